package io.ganymede.hub.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ganymede.hub.spawner.Volume;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * How full disks are, from the kubelet's {@code kubelet_volume_stats_used_bytes} through the
 * Prometheus HTTP API ({@code GET /api/v1/query}): one query per listing, for all the
 * namespaces involved. Where Prometheus is not configured, fails, or has no sample for a claim
 * (the kubelet reports only mounted volumes), the fill is unknown with the reason: never a guess.
 */
@ApplicationScoped
public class FillLevels {

    private static final Logger LOG = Logger.getLogger(FillLevels.class);
    static final String METRIC = "kubelet_volume_stats_used_bytes";

    /** Used bytes, or null with why they are unknown. */
    public record Fill(Long usedBytes, String unknownReason) {}

    private final StorageConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    FillLevels(StorageConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.prometheusTimeout()).build();
    }

    /** The fill of each volume, keyed {@code namespace/name}. Blocks up to the configured timeout. */
    public Map<String, Fill> of(Collection<Volume> volumes) {
        Map<String, Fill> out = new HashMap<>();
        if (volumes.isEmpty()) {
            return out;
        }
        if (config.prometheusUrl().isEmpty()) {
            volumes.forEach(v -> out.put(key(v), new Fill(null, "no metrics source is configured (ganymede.storage.prometheus-url)")));
            return out;
        }
        Map<String, Long> used;
        try {
            used = query(volumes.stream().map(Volume::namespace).collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        } catch (Exception e) {
            LOG.warnf("fill levels: Prometheus at %s did not answer: %s", config.prometheusUrl().get(), e.toString());
            volumes.forEach(v -> out.put(key(v), new Fill(null, "the metrics source did not answer")));
            return out;
        }
        for (Volume v : volumes) {
            Long bytes = used.get(key(v));
            out.put(key(v), bytes != null ? new Fill(bytes, null)
                    : new Fill(null, "no usage reported (the kubelet reports a disk only while a server mounts it)"));
        }
        return out;
    }

    public static String key(Volume v) {
        return v.namespace() + "/" + v.name();
    }

    private Map<String, Long> query(Collection<String> namespaces) throws Exception {
        // Namespace names are DNS labels: nothing in them is special to a PromQL regex.
        String promql = "max by (namespace, persistentvolumeclaim) (" + METRIC + "{namespace=~\""
                + String.join("|", namespaces) + "\"})";
        URI base = config.prometheusUrl().get();
        String prefix = base.toString().endsWith("/") ? base.toString() : base + "/";
        HttpRequest request = HttpRequest.newBuilder(URI.create(prefix + "api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(config.prometheusTimeout()).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        JsonNode body = json.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException(body.path("error").asText("status " + body.path("status").asText()));
        }
        Map<String, Long> out = new HashMap<>();
        for (JsonNode series : body.path("data").path("result")) {
            JsonNode metric = series.path("metric");
            // A sample is [time, "value"].
            out.put(metric.path("namespace").asText() + "/" + metric.path("persistentvolumeclaim").asText(),
                    (long) Double.parseDouble(series.path("value").path(1).asText()));
        }
        return out;
    }
}
