package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The container images Maven built with Jib as docker-archive tars (profile image-tars, which .ci/run builds before the tests):
 * loadable by {@code docker load}, {@code kind load image-archive} or {@code skopeo}, run as the
 * non-root user the Deployment expects, labelled with the version, and holding the application.
 */
class ImagesTest {

    private static final Path ROOT = Path.of(System.getProperty("ganymede.root", "../.."))
            .toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void built() {
        Assumptions.assumeTrue(Boolean.getBoolean("ganymede.images"),
                "image tars are built in CI or with -Pimage-tars (k8s/README.md, Images)");
    }

    @ParameterizedTest
    @CsvSource({
        "hub/target/ganymede-hub-image.tar, ganymede-hub, k8s/base/hub-deployment.yaml, 8081, quarkus-run.jar",
        "proxy/target/ganymede-proxy-image.tar, ganymede-proxy, k8s/base/proxy-deployment.yaml, 8000, io/ganymede/proxy/Main.class"})
    void imageTarIsNonRootLabelledAndHoldsTheApplication(String tar, String title, String deployment, int port, String entry)
            throws IOException {
        Path file = ROOT.resolve(tar);
        assertTrue(Files.isRegularFile(file), tar + " was not built");
        Map<String, byte[]> entries = read(file);

        JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
        assertEquals(1, manifest.size(), "one image per tar");
        String repoTag = manifest.get(0).path("RepoTags").get(0).asText();
        assertTrue(repoTag.endsWith(title + ":" + System.getProperty("ganymede.version")), "tagged with the version: " + repoTag);
        JsonNode config = JSON.readTree(entries.get(manifest.get(0).path("Config").asText())).path("config");

        String version = System.getProperty("ganymede.version");
        assertEquals(version, config.at("/Labels/org.opencontainers.image.version").asText(), title + ": version label");
        assertEquals(title, config.at("/Labels/org.opencontainers.image.title").asText(), title + ": title label");

        // Non-root, and the same user the Deployment's securityContext pins (runAsNonRoot needs a numeric one).
        String user = config.path("User").asText();
        assertFalse(user.isEmpty(), title + ": no user set, so it would run as root");
        long uid = Long.parseLong(user.split(":")[0]);
        assertNotEquals(0, uid, title + ": runs as root");
        JsonNode pod = new YAMLMapper().readTree(ROOT.resolve(deployment).toFile()).at("/spec/template/spec");
        assertEquals(pod.at("/securityContext/runAsUser").asLong(), uid, title + ": image user vs the Deployment's runAsUser");

        assertTrue(config.path("ExposedPorts").has(port + "/tcp"), title + ": exposes " + port);
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertEquals("java", entrypoint.isEmpty() ? "" : entrypoint.get(0), title + ": entrypoint " + entrypoint);

        // Every layer the manifest names is in the tar, and one of them holds the application.
        boolean found = false;
        for (JsonNode layer : manifest.get(0).path("Layers")) {
            byte[] bytes = entries.get(layer.asText());
            assertTrue(bytes != null && bytes.length > 0, title + ": layer " + layer.asText() + " missing");
            found |= layerHas(bytes, entry);
        }
        assertTrue(found, title + ": no layer holds " + entry);
    }

    /** The files of a tar (small images: held in memory). */
    private static Map<String, byte[]> read(Path tar) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tar))) {
            return entries(in);
        }
    }

    private static boolean layerHas(byte[] gzippedTar, String suffix) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzippedTar))) {
            return entries(in).keySet().stream().anyMatch(name -> name.endsWith(suffix));
        }
    }

    /** A minimal ustar reader: 512-byte headers, name at 0 (prefix at 345), octal size at 124. */
    private static Map<String, byte[]> entries(InputStream in) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            String full = prefix.isEmpty() ? name : prefix + "/" + name;
            long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
            byte[] data = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (header[156] == '0' || header[156] == 0) {
                files.put(full.startsWith("./") ? full.substring(2) : full, data);
            }
        }
        return files;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
