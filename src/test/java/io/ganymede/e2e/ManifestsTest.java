package io.ganymede.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariants of the Kubernetes manifests under k8s/, checked on what {@code kubectl kustomize}
 * renders for the base, every overlay, and the gke overlay with every optional component.
 * Nothing here talks to a cluster.
 */
class ManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("ganymede.root", "../.."))
            .toAbsolutePath().normalize();
    private static final Path K8S = ROOT.resolve("k8s");
    private static final String ALL_COMPONENTS = "gke+components";

    /** The only permissions the hub's Role may grant in its namespace: "group/resource:verb". */
    private static final Set<String> HUB_ROLE = Set.of(
            "/pods:get", "/pods:list", "/pods:watch", "/pods:create", "/pods:delete",
            "/persistentvolumeclaims:get", "/persistentvolumeclaims:list", "/persistentvolumeclaims:watch",
            "/persistentvolumeclaims:create", "/persistentvolumeclaims:patch", "/persistentvolumeclaims:delete",
            "/services:get", "/services:list", "/services:watch", "/services:create", "/services:delete",
            "/events:get", "/events:list", "/events:watch",
            "coordination.k8s.io/leases:get", "coordination.k8s.io/leases:create",
            "coordination.k8s.io/leases:update");
    /**
     * And its ClusterRole, cluster-wide: read nodes and the pods on them for the free-capacity view,
     * and storage classes (whether a disk may grow).
     */
    private static final Set<String> HUB_CLUSTER_ROLE = Set.of("/nodes:list", "/nodes:watch", "/pods:list", "/pods:watch",
            "storage.k8s.io/storageclasses:get", "storage.k8s.io/storageclasses:list");

    /** Paths the hub serves for probes (Quarkus SmallRye Health). */
    private static final Set<String> HUB_HEALTH_PATHS = Set.of("/q/health/live", "/q/health/ready", "/q/health/started");
    /** The proxy's health path on its public port, as configurable-http-proxy has it. */
    private static final String PROXY_HEALTH_PATH = "/_chp_healthz";

    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "Pod");

    /** Rendered objects by variant: "base", each overlay's directory name, and ALL_COMPONENTS. */
    private static final Map<String, List<JsonNode>> RENDERED = new TreeMap<>();

    @BeforeAll
    static void render() throws Exception {
        String kubectl = findKubectl();
        RENDERED.put("base", kustomize(kubectl, K8S.resolve("base")));
        List<Path> overlays;
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            overlays = dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().toList();
        }
        assertTrue(overlays.stream().anyMatch(d -> d.endsWith("gke")), "no gke overlay under " + K8S);
        assertTrue(overlays.stream().anyMatch(d -> d.endsWith("dev")), "no dev overlay under " + K8S);
        for (Path overlay : overlays) {
            RENDERED.put(overlay.getFileName().toString(), kustomize(kubectl, overlay));
        }
        RENDERED.put(ALL_COMPONENTS, kustomize(kubectl, gkeWithAllComponents()));
    }

    @Test
    void everyVariantHasTheHubAndTheProxy() {
        RENDERED.forEach((variant, objects) -> {
            assertNotNull(find(objects, "Deployment", "ganymede-hub"), variant + ": no hub Deployment");
            assertNotNull(find(objects, "Deployment", "ganymede-proxy"), variant + ": no proxy Deployment");
            for (String name : List.of("ganymede-hub", "ganymede-proxy")) {
                JsonNode pdb = find(objects, "PodDisruptionBudget", name);
                assertNotNull(pdb, variant + ": no PodDisruptionBudget " + name);
                assertTrue(selects(pdb.path("spec").path("selector"), podLabels(find(objects, "Deployment", name))),
                        variant + ": PodDisruptionBudget " + name + " selects no pod of its Deployment");
            }
        });
        assertEquals(2, find(RENDERED.get("gke"), "Deployment", "ganymede-hub").at("/spec/replicas").asInt(),
                "gke: two hub replicas (HA)");
        assertEquals(2, find(RENDERED.get("gke"), "Deployment", "ganymede-proxy").at("/spec/replicas").asInt(),
                "gke: two proxy replicas (HA)");
        assertEquals(1, find(RENDERED.get("dev"), "Deployment", "ganymede-hub").at("/spec/replicas").asInt(),
                "dev runs H2, which allows a single hub");
    }

    @Test
    void everyContainerHasRequestsAndLimits() {
        forEachContainer((where, pod, container) -> {
            JsonNode resources = container.path("resources");
            for (String bound : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    assertFalse(resources.path(bound).path(resource).asText().isBlank(),
                            where + ": no resources." + bound + "." + resource);
                }
            }
        });
    }

    @Test
    void everyContainerRunsAsNonRootWithoutPrivilege() {
        forEachContainer((where, pod, container) -> {
            JsonNode podContext = pod.path("securityContext");
            JsonNode context = container.path("securityContext");
            assertFalse(context.path("privileged").asBoolean(false), where + ": privileged");
            assertTrue(context.has("allowPrivilegeEscalation") && !context.path("allowPrivilegeEscalation").asBoolean(),
                    where + ": allowPrivilegeEscalation must be false");
            boolean nonRoot = context.has("runAsNonRoot")
                    ? context.path("runAsNonRoot").asBoolean()
                    : podContext.path("runAsNonRoot").asBoolean(false);
            assertTrue(nonRoot, where + ": runAsNonRoot must be true");
            JsonNode user = context.has("runAsUser") ? context.path("runAsUser") : podContext.path("runAsUser");
            assertTrue(user.isMissingNode() || user.asLong() > 0, where + ": runs as uid 0");
            Set<String> dropped = new TreeSet<>();
            context.path("capabilities").path("drop").forEach(c -> dropped.add(c.asText()));
            assertTrue(dropped.contains("ALL"), where + ": capabilities.drop must contain ALL");
            assertTrue(context.path("capabilities").path("add").isEmpty(), where + ": adds capabilities");
            String seccomp = context.at("/seccompProfile/type").asText(podContext.at("/seccompProfile/type").asText());
            assertEquals("RuntimeDefault", seccomp, where + ": seccompProfile");
        });
        RENDERED.forEach((variant, objects) -> objects.stream().filter(o -> WORKLOAD_KINDS.contains(kind(o)))
                .forEach(o -> {
                    JsonNode pod = podSpec(o);
                    for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                        assertFalse(pod.path(host).asBoolean(false), variant + " " + name(o) + ": " + host);
                    }
                    pod.path("volumes").forEach(v -> assertFalse(v.has("hostPath"),
                            variant + " " + name(o) + ": hostPath volume " + v.path("name").asText()));
                }));
    }

    @Test
    void hubProbesUseQuarkusHealthAndProxyProbesItsHealthPath() {
        RENDERED.forEach((variant, objects) -> {
            JsonNode hub = container(find(objects, "Deployment", "ganymede-hub"), "hub");
            assertEquals("/q/health/ready", hub.at("/readinessProbe/httpGet/path").asText(), variant + ": hub readiness");
            assertEquals("/q/health/live", hub.at("/livenessProbe/httpGet/path").asText(), variant + ": hub liveness");
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                JsonNode get = hub.path(probe).path("httpGet");
                if (get.isMissingNode()) {
                    continue;
                }
                assertTrue(HUB_HEALTH_PATHS.contains(get.path("path").asText()),
                        variant + ": hub " + probe + " on " + get.path("path").asText());
                assertEquals(8081, containerPort(hub, get.path("port")), variant + ": hub " + probe + " port");
            }
            JsonNode proxy = container(find(objects, "Deployment", "ganymede-proxy"), "proxy");
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                assertEquals(PROXY_HEALTH_PATH, proxy.at("/" + probe + "/httpGet/path").asText(), variant + ": proxy " + probe);
                assertEquals(8000, containerPort(proxy, proxy.at("/" + probe + "/httpGet/port")), variant + ": proxy " + probe);
            }
        });
    }

    @Test
    void gkeIngressHasIapOnTheProxyBackendWithTheProxyHealthCheck() throws IOException {
        for (String variant : List.of("gke", ALL_COMPONENTS)) {
            List<JsonNode> objects = RENDERED.get(variant);
            JsonNode ingress = only(objects, "Ingress");
            JsonNode annotations = ingress.at("/metadata/annotations");
            assertFalse(annotations.path("kubernetes.io/ingress.global-static-ip-name").asText().isBlank(),
                    variant + ": Ingress without a global static IP");
            assertNotNull(find(objects, "ManagedCertificate", annotations.path("networking.gke.io/managed-certificates").asText()),
                    variant + ": the Ingress names no ManagedCertificate that exists");
            JsonNode frontend = find(objects, "FrontendConfig", annotations.path("networking.gke.io/v1beta1.FrontendConfig").asText());
            assertNotNull(frontend, variant + ": the Ingress names no FrontendConfig that exists");
            assertTrue(frontend.at("/spec/redirectToHttps/enabled").asBoolean(), variant + ": no HTTPS redirect");
            assertFalse(frontend.at("/spec/sslPolicy").asText().isBlank(), variant + ": no SSL policy");

            String backendService = ingress.at("/spec/defaultBackend/service/name").asText();
            int backendPort = ingress.at("/spec/defaultBackend/service/port/number").asInt();
            assertEquals("ganymede-proxy-public", backendService, variant + ": the Ingress must send traffic to the proxy");
            JsonNode service = find(objects, "Service", backendService);
            JsonNode proxyDeployment = find(objects, "Deployment", "ganymede-proxy");
            assertTrue(selects(service.path("spec").path("selector"), podLabels(proxyDeployment)),
                    variant + ": " + backendService + " does not select the proxy pods");
            JsonNode servicePort = servicePort(service, backendPort);
            JsonNode proxy = container(proxyDeployment, "proxy");
            int proxyPublicPort = containerPort(proxy, servicePort.path("targetPort"));
            assertEquals(8000, proxyPublicPort, variant + ": the Ingress does not reach the proxy's public port");

            JsonNode ref = new ObjectMapper().readTree(
                    service.at("/metadata/annotations/cloud.google.com~1backend-config").asText("{}"));
            String configName = ref.path("ports").path(servicePort.path("name").asText())
                    .asText(ref.path("ports").path(String.valueOf(backendPort)).asText(ref.path("default").asText()));
            JsonNode backendConfig = find(objects, "BackendConfig", configName);
            assertNotNull(backendConfig, variant + ": " + backendService + " is attached to no BackendConfig that exists");
            assertTrue(backendConfig.at("/spec/iap/enabled").asBoolean(), variant + ": IAP is not enabled on " + configName);
            assertFalse(backendConfig.at("/spec/iap/oauthclientCredentials/secretName").asText().isBlank(),
                    variant + ": IAP without oauthclientCredentials.secretName");
            assertEquals(PROXY_HEALTH_PATH, backendConfig.at("/spec/healthCheck/requestPath").asText(),
                    variant + ": the load balancer's health check must use the proxy's health path");
            assertEquals(proxy.at("/readinessProbe/httpGet/path").asText(), backendConfig.at("/spec/healthCheck/requestPath").asText(),
                    variant + ": the load balancer and the readiness probe must agree on health");
            assertEquals(proxyPublicPort, backendConfig.at("/spec/healthCheck/port").asInt(),
                    variant + ": the health check must target the proxy's public port (NEG: the container port)");
            assertTrue(backendConfig.at("/spec/timeoutSec").asInt() >= 3600,
                    variant + ": the backend timeout caps WebSocket lifetime; it must be at least an hour");
        }
    }

    @Test
    void gkeGatewayRoutesToTheProxyWithIapOnItsBackendAndNoIngress() {
        List<JsonNode> objects = RENDERED.get("gke-gateway");
        assertNotNull(objects, "no gke-gateway overlay");
        for (String kind : List.of("Ingress", "BackendConfig", "FrontendConfig", "ManagedCertificate")) {
            assertTrue(objects.stream().noneMatch(o -> kind(o).equals(kind)), "gke-gateway: a leftover " + kind);
        }
        JsonNode gateway = only(objects, "Gateway");
        assertEquals("gke-l7-global-external-managed", gateway.at("/spec/gatewayClassName").asText());
        assertEquals("ganymede-ip", gateway.at("/spec/addresses/0/value").asText(), "gke-gateway: the static IP");
        assertFalse(gateway.at("/metadata/annotations/networking.gke.io~1certmap").asText().isBlank(), "gke-gateway: no certificate map");
        JsonNode route = find(objects, "HTTPRoute", "ganymede");
        assertEquals(name(gateway), route.at("/spec/parentRefs/0/name").asText());
        assertEquals("ganymede.example.com", route.at("/spec/hostnames/0").asText());
        JsonNode backend = route.at("/spec/rules/0/backendRefs/0");
        JsonNode service = find(objects, "Service", backend.path("name").asText());
        JsonNode proxyDeployment = find(objects, "Deployment", "ganymede-proxy");
        assertTrue(selects(service.path("spec").path("selector"), podLabels(proxyDeployment)),
                "gke-gateway: the route's Service does not select the proxy pods");
        int proxyPort = containerPort(container(proxyDeployment, "proxy"), servicePort(service, backend.path("port").asInt()).path("targetPort"));
        assertEquals(8000, proxyPort, "gke-gateway: the route does not reach the proxy's public port");
        assertTrue(service.at("/metadata/annotations").path("cloud.google.com/backend-config").isMissingNode(),
                "gke-gateway: the Ingress's BackendConfig annotation is left on " + name(service));
        JsonNode redirect = find(objects, "HTTPRoute", "ganymede-https-redirect");
        assertEquals("https", redirect.at("/spec/rules/0/filters/0/requestRedirect/scheme").asText());

        JsonNode policy = only(objects, "GCPBackendPolicy");
        assertEquals(name(service), policy.at("/spec/targetRef/name").asText(), "gke-gateway: IAP is not on the proxy's Service");
        assertTrue(policy.at("/spec/default/iap/enabled").asBoolean(), "gke-gateway: IAP is off");
        assertFalse(policy.at("/spec/default/iap/oauth2ClientSecret/name").asText().isBlank(), "gke-gateway: IAP without its secret");
        assertFalse(policy.at("/spec/default/iap/clientID").asText().isBlank(), "gke-gateway: IAP without its client id");
        assertTrue(policy.at("/spec/default/timeoutSec").asInt() >= 3600, "gke-gateway: the backend timeout caps WebSockets");
        JsonNode health = only(objects, "HealthCheckPolicy");
        assertEquals(name(service), health.at("/spec/targetRef/name").asText());
        assertEquals(PROXY_HEALTH_PATH, health.at("/spec/default/config/httpHealthCheck/requestPath").asText());
        assertEquals(proxyPort, health.at("/spec/default/config/httpHealthCheck/port").asInt());
        assertEquals("ganymede-ssl-policy", only(objects, "GCPGatewayPolicy").at("/spec/default/sslPolicy").asText());
    }

    @Test
    void z2jhNamesReachTheHubAndTheProxyOnZ2jhsPorts() {
        List<JsonNode> objects = RENDERED.get(ALL_COMPONENTS);
        // name, port, the Deployment behind it, and the container port it must reach
        for (Object[] expected : new Object[][] {{"hub", 8081, "ganymede-hub", "hub", 8081},
                {"proxy-public", 80, "ganymede-proxy", "proxy", 8000}, {"proxy-api", 8001, "ganymede-proxy", "proxy", 8001}}) {
            JsonNode service = find(objects, "Service", (String) expected[0]);
            assertNotNull(service, "z2jh-names: no Service " + expected[0]);
            JsonNode deployment = find(objects, "Deployment", (String) expected[2]);
            assertTrue(selects(service.path("spec").path("selector"), podLabels(deployment)),
                    "z2jh-names: " + expected[0] + " does not select " + expected[2]);
            assertEquals(expected[4], containerPort(container(deployment, (String) expected[3]),
                    servicePort(service, (Integer) expected[1]).path("targetPort")), "z2jh-names: " + expected[0]);
        }
    }

    /**
     * Pipelines reach the hub API, services ({@code /services/<name>/}) and users' servers through
     * the internal load balancer: it must land on the proxy's public port, which routes all of
     * them, and the proxy must be let through to the hub, which it asks about API tokens on gated
     * routes (at the hub's internal URL, checked in {@link #hubAndProxyPointAtEachOtherThroughServices}).
     */
    @Test
    void theInternalLoadBalancerFrontsTheProxyWhichMayAskTheHubAboutTokens() {
        List<JsonNode> objects = RENDERED.get(ALL_COMPONENTS);
        JsonNode internal = find(objects, "Service", "ganymede-internal");
        assertNotNull(internal, "internal-lb: no Service ganymede-internal");
        assertEquals("LoadBalancer", internal.at("/spec/type").asText());
        assertEquals("Internal", internal.at("/metadata/annotations/networking.gke.io~1load-balancer-type").asText());
        JsonNode proxy = find(objects, "Deployment", "ganymede-proxy");
        JsonNode hub = find(objects, "Deployment", "ganymede-hub");
        assertTrue(selects(internal.path("spec").path("selector"), podLabels(proxy)), "internal-lb does not select the proxy");
        assertFalse(selects(internal.path("spec").path("selector"), podLabels(hub)), "internal-lb must not bypass the proxy");
        assertEquals(8000, containerPort(container(proxy, "proxy"), servicePort(internal, 80).path("targetPort")),
                "internal-lb: port 80 must reach the proxy's public port");
        boolean proxyToHub = false;
        boolean hubFromProxy = false;
        for (JsonNode policy : objects.stream().filter(o -> kind(o).equals("NetworkPolicy")).toList()) {
            JsonNode spec = policy.path("spec");
            if (selects(spec.path("podSelector"), podLabels(proxy))) {
                for (JsonNode rule : spec.path("egress")) {
                    boolean toHub = false;
                    for (JsonNode peer : rule.path("to")) {
                        toHub |= selects(peer.path("podSelector"), podLabels(hub));
                    }
                    proxyToHub |= toHub && rule.path("ports").toString().contains("8081");
                }
            }
            if (selects(spec.path("podSelector"), podLabels(hub))) {
                for (JsonNode rule : spec.path("ingress")) {
                    for (JsonNode peer : rule.path("from")) {
                        hubFromProxy |= selects(peer.path("podSelector"), podLabels(proxy));
                    }
                }
            }
        }
        assertTrue(proxyToHub, "the proxy's NetworkPolicy must let it reach the hub on 8081 (token checks, error pages)");
        assertTrue(hubFromProxy, "the hub's NetworkPolicy must admit the proxy");
    }

    @Test
    void hubRbacIsExactlyTheAllowedSet() {
        RENDERED.forEach((variant, objects) -> {
            List<JsonNode> roles = objects.stream().filter(o -> kind(o).equals("Role")).toList();
            List<JsonNode> clusterRoles = objects.stream().filter(o -> kind(o).equals("ClusterRole")).toList();
            assertEquals(List.of("ganymede-hub"), roles.stream().map(ManifestsTest::name).toList(), variant + ": Roles");
            assertEquals(List.of("ganymede-hub-nodes"), clusterRoles.stream().map(ManifestsTest::name).toList(),
                    variant + ": ClusterRoles");
            assertEquals(new TreeSet<>(HUB_ROLE), permissions(roles.get(0)), variant + ": the hub's Role");
            assertEquals(new TreeSet<>(HUB_CLUSTER_ROLE), permissions(clusterRoles.get(0)), variant + ": the hub's ClusterRole");
            objects.stream().filter(o -> kind(o).endsWith("RoleBinding")).forEach(binding -> {
                List<String> subjects = new ArrayList<>();
                binding.path("subjects").forEach(s -> subjects.add(s.path("kind").asText() + "/" + s.path("name").asText()));
                assertEquals(List.of("ServiceAccount/ganymede-hub"), subjects, variant + ": " + name(binding) + " subjects");
            });
            String hubAccount = podSpec(find(objects, "Deployment", "ganymede-hub")).path("serviceAccountName").asText();
            assertEquals("ganymede-hub", hubAccount, variant + ": the hub's ServiceAccount");
            for (String other : List.of("ganymede-proxy", "ganymede-user")) {
                assertFalse(find(objects, "ServiceAccount", other).path("automountServiceAccountToken").asBoolean(true),
                        variant + ": " + other + " must not mount a Kubernetes API token");
            }
        });
    }

    @Test
    void everyReferencedSecretIsDocumentedAndNoneIsInline() throws IOException {
        Map<String, Set<String>> documented = documentedSecrets();
        assertFalse(documented.isEmpty(), "k8s/README.md documents no Secret between the secrets markers");
        Map<String, Set<String>> referenced = new TreeMap<>();
        RENDERED.forEach((variant, objects) -> {
            for (JsonNode o : objects) {
                assertFalse(kind(o).equals("Secret"), variant + ": Secret " + name(o) + " is defined in the manifests;"
                        + " Secrets are created out of band (k8s/README.md, Secrets)");
                if (WORKLOAD_KINDS.contains(kind(o))) {
                    collectSecretReferences(podSpec(o), referenced);
                }
                if (kind(o).equals("BackendConfig")) {
                    String secret = o.at("/spec/iap/oauthclientCredentials/secretName").asText();
                    if (!secret.isEmpty()) {
                        referenced.computeIfAbsent(secret, k -> new TreeSet<>()).addAll(Set.of("client_id", "client_secret"));
                    }
                }
                if (kind(o).equals("GCPBackendPolicy")) {
                    // GKE's Gateway reads the IAP client's secret from the key "key".
                    String secret = o.at("/spec/default/iap/oauth2ClientSecret/name").asText();
                    if (!secret.isEmpty()) {
                        referenced.computeIfAbsent(secret, k -> new TreeSet<>()).add("key");
                    }
                }
            }
        });
        assertTrue(referenced.containsKey("ganymede-proxy-token"), "the proxy token Secret is not referenced: " + referenced);
        referenced.forEach((secret, keys) -> {
            assertTrue(documented.containsKey(secret), "Secret " + secret + " is referenced but not listed in k8s/README.md");
            assertTrue(documented.get(secret).containsAll(keys),
                    "Secret " + secret + ": keys " + keys + " referenced, README lists " + documented.get(secret));
        });
    }

    @Test
    void profilesAreMountedAsADirectoryAndMatchTheRepository() throws IOException {
        String repository = Files.readString(ROOT.resolve("profiles/profiles.yaml"));
        assertEquals(repository, Files.readString(K8S.resolve("base/profiles.yaml")),
                "k8s/base/profiles.yaml differs from profiles/profiles.yaml; run: cp profiles/profiles.yaml k8s/base/profiles.yaml");
        assertEquals(repository, find(RENDERED.get("base"), "ConfigMap", "ganymede-profiles").at("/data/profiles.yaml").asText());
        RENDERED.forEach((variant, objects) -> {
            JsonNode hub = find(objects, "Deployment", "ganymede-hub");
            String path = hubEnv(objects, hub).get("GANYMEDE_PROFILES_PATH");
            assertNotNull(path, variant + ": GANYMEDE_PROFILES_PATH is not set");
            JsonNode mount = null;
            for (JsonNode m : container(hub, "hub").path("volumeMounts")) {
                if (path.startsWith(m.path("mountPath").asText() + "/")) {
                    mount = m;
                }
            }
            assertNotNull(mount, variant + ": nothing is mounted at " + path);
            assertFalse(mount.has("subPath"), variant + ": a subPath mount never sees ConfigMap updates");
            String fileName = path.substring(mount.path("mountPath").asText().length() + 1);
            JsonNode volume = volume(podSpec(hub), mount.path("name").asText());
            JsonNode configMap = find(objects, "ConfigMap", volume.at("/configMap/name").asText());
            assertNotNull(configMap, variant + ": the profiles volume names no ConfigMap that exists");
            assertTrue(configMap.path("data").has(fileName), variant + ": the profiles ConfigMap has no " + fileName);
            assertTrue(name(configMap).equals("ganymede-profiles"),
                    variant + ": the profiles ConfigMap must keep its name (no hash suffix) to be updated in place");
        });
    }

    @Test
    void severalHubReplicasShareADatabaseAndElectALeader() {
        RENDERED.forEach((variant, objects) -> {
            JsonNode hub = find(objects, "Deployment", "ganymede-hub");
            Map<String, String> env = hubEnv(objects, hub);
            String leader = env.getOrDefault("GANYMEDE_LEADER_KIND", "auto");
            boolean elects = leader.equals("lease") || leader.equals("auto") && "kubernetes".equals(env.get("GANYMEDE_SPAWNER_KIND"));
            // Even one replica elects: a rolling update runs two for a while (maxSurge).
            assertTrue(elects, variant + ": the hub must elect its leader on a Lease (GANYMEDE_LEADER_KIND=" + leader + ")");
            assertEquals("false", env.get("GANYMEDE_SPAWNER_CLEANUP_ON_SHUTDOWN"),
                    variant + ": a hub replica that shuts down must leave users' servers running");
            if (hub.at("/spec/replicas").asInt(1) > 1) {
                assertEquals("postgresql", env.get("QUARKUS_DATASOURCE_DB_KIND"),
                        variant + ": several hub replicas need a shared database (H2 is a local file)");
                assertTrue(env.getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "").startsWith("jdbc:postgresql:"),
                        variant + ": database URL " + env.get("QUARKUS_DATASOURCE_JDBC_URL"));
            }
            String url = env.getOrDefault("QUARKUS_DATASOURCE_JDBC_URL", "");
            assertTrue(!url.startsWith("jdbc:h2:file:") || url.contains(";WRITE_DELAY=0"),
                    variant + ": an H2 file database must write each commit before the hub answers (WRITE_DELAY=0): " + url);
            String leaseNamespace = env.get("GANYMEDE_LEADER_NAMESPACE");
            assertTrue(leaseNamespace == null || leaseNamespace.equals(hub.at("/metadata/namespace").asText()),
                    variant + ": the Lease must live in the hub's namespace, where its Role grants leases");
        });
    }

    @Test
    void hubAndProxyPointAtEachOtherThroughServices() {
        RENDERED.forEach((variant, objects) -> {
            JsonNode hub = find(objects, "Deployment", "ganymede-hub");
            JsonNode proxy = find(objects, "Deployment", "ganymede-proxy");
            Map<String, String> env = hubEnv(objects, hub);
            assertEquals("false", env.get("GANYMEDE_PROXY_EMBEDDED"), variant + ": the proxy runs as its own Deployment");
            assertEquals("0.0.0.0", env.get("QUARKUS_HTTP_HOST"), variant + ": the hub must listen beyond loopback");
            assertEquals("kubernetes", env.get("GANYMEDE_SPAWNER_KIND"), variant + ": spawner");
            assertReaches(objects, env.get("GANYMEDE_PROXY_API_URL"), proxy, "proxy", 8001, variant + ": proxy API URL");
            assertReaches(objects, env.get("GANYMEDE_HUB_INTERNAL_URL"), hub, "hub", 8081, variant + ": hub internal URL");
            List<String> args = new ArrayList<>();
            container(proxy, "proxy").path("args").forEach(a -> args.add(a.asText()));
            int target = args.indexOf("--default-target");
            assertTrue(target >= 0 && target + 1 < args.size(), variant + ": the proxy has no --default-target");
            assertReaches(objects, args.get(target + 1), hub, "hub", 8081, variant + ": proxy --default-target");
            Set<String> envNames = new TreeSet<>();
            container(proxy, "proxy").path("env").forEach(e -> envNames.add(e.path("name").asText()));
            assertTrue(envNames.contains("CONFIGPROXY_AUTH_TOKEN"), variant + ": the proxy has no CONFIGPROXY_AUTH_TOKEN");
        });
    }

    @Test
    void usersServersAreReachedOnlyByTheProxyAndHubAndNeverReachEachOther() {
        // The labels a user's pod has (and app.kubernetes.io/name, which a spawner may add).
        Map<String, String> userPod = Map.of("component", "singleuser-server", "app.kubernetes.io/name", "ganymede",
                "app.kubernetes.io/managed-by", "ganymede", "hub.jupyter.org/username", "alice");
        RENDERED.forEach((variant, objects) -> {
            List<JsonNode> policies = objects.stream().filter(o -> kind(o).equals("NetworkPolicy"))
                    .filter(p -> selects(p.path("spec").path("podSelector"), userPod)).toList();
            assertFalse(policies.isEmpty(), variant + ": no NetworkPolicy selects users' servers");
            boolean egressRestricted = false;
            for (JsonNode policy : policies) {
                JsonNode spec = policy.path("spec");
                egressRestricted |= spec.path("policyTypes").toString().contains("Egress");
                for (JsonNode rule : spec.path("ingress")) {
                    assertTrue(rule.has("from") && !rule.path("from").isEmpty(),
                            variant + ": " + name(policy) + " lets anything reach users' servers");
                    for (JsonNode peer : rule.path("from")) {
                        assertFalse(peer.has("ipBlock") || peer.has("namespaceSelector"),
                                variant + ": " + name(policy) + " admits " + peer);
                        String component = peer.at("/podSelector/matchLabels/component").asText();
                        assertTrue(Set.of("proxy", "hub").contains(component),
                                variant + ": " + name(policy) + " admits pods other than the proxy and the hub: " + peer);
                    }
                }
                for (JsonNode rule : spec.path("egress")) {
                    for (JsonNode peer : rule.path("to")) {
                        assertFalse(selects(peer.path("podSelector"), userPod) && peer.has("podSelector"),
                                variant + ": " + name(policy) + " lets users' servers reach each other");
                        JsonNode block = peer.path("ipBlock");
                        if (block.path("cidr").asText().equals("0.0.0.0/0")) {
                            Set<String> except = new TreeSet<>();
                            block.path("except").forEach(e -> except.add(e.asText()));
                            assertTrue(except.contains("169.254.169.254/32"), variant + ": " + name(policy)
                                    + " opens the internet without excluding the metadata server: " + except);
                            assertTrue(coversEveryPrivateAddress(except), variant + ": " + name(policy)
                                    + " opens the internet without excluding every private (site-local) range: " + except);
                        }
                        if (block.path("cidr").asText().startsWith("169.254.")) {
                            assertTrue(rule.has("ports") && !rule.path("ports").isEmpty(),
                                    variant + ": " + name(policy) + " opens the metadata address on every port");
                        }
                    }
                }
            }
            assertTrue(egressRestricted, variant + ": users' servers' egress is not restricted");
        });
        boolean metadataInBase = RENDERED.get("base").stream().filter(o -> kind(o).equals("NetworkPolicy"))
                .anyMatch(p -> p.toString().contains("\"cidr\":\"169.254.169.254/32\""));
        assertFalse(metadataInBase, "the base must not open the metadata server to users' servers");
    }

    /** Kubernetes' own kinds, read into fabric8's typed model, which keeps unknown fields aside. */
    private static final Map<String, Class<?>> BUILT_IN_KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", io.fabric8.kubernetes.api.model.rbac.Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", io.fabric8.kubernetes.api.model.rbac.RoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", io.fabric8.kubernetes.api.model.rbac.ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding",
                    io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class));
    /** Custom resources of GKE and Managed Prometheus, which have no typed model here. */
    private static final Set<String> CUSTOM_KINDS = Set.of("cloud.google.com/v1/BackendConfig",
            "networking.gke.io/v1beta1/FrontendConfig", "networking.gke.io/v1/ManagedCertificate",
            "monitoring.googleapis.com/v1/PodMonitoring", "gateway.networking.k8s.io/v1/Gateway",
            "gateway.networking.k8s.io/v1/HTTPRoute", "networking.gke.io/v1/GCPBackendPolicy",
            "networking.gke.io/v1/HealthCheckPolicy", "networking.gke.io/v1/GCPGatewayPolicy");

    @Test
    void builtInKindsHaveNoUnknownOrMistypedFields() {
        ObjectMapper mapper = new ObjectMapper();
        List<String> unknown = new ArrayList<>();
        RENDERED.forEach((variant, objects) -> {
            for (JsonNode o : objects) {
                String type = o.path("apiVersion").asText() + "/" + kind(o);
                if (CUSTOM_KINDS.contains(type)) {
                    continue;
                }
                Class<?> model = BUILT_IN_KINDS.get(type);
                assertNotNull(model, variant + ": " + type + " " + name(o) + " is neither a known kind nor a listed custom one");
                Object typed;
                try {
                    typed = mapper.treeToValue(o, model);
                } catch (IOException e) {
                    throw new AssertionError(variant + ": " + type + " " + name(o) + " does not read as " + model.getSimpleName(), e);
                }
                collectUnknownFields(typed, variant + ": " + kind(o) + "/" + name(o), unknown);
            }
        });
        assertTrue(unknown.isEmpty(), "fields Kubernetes does not know:\n" + String.join("\n", unknown));
    }

    @Test
    void grafanaDashboardQueriesJupyterHubAndProxyMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(K8S.resolve("observability/grafana-dashboard.json").toFile());
        Set<Integer> ids = new TreeSet<>();
        Set<String> exprs = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertFalse(panel.path("targets").isEmpty(), "panel " + panel.path("title") + " has no query");
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertFalse(expr.isBlank(), "panel " + panel.path("title") + " has an empty query");
                assertEquals("${datasource}", target.at("/datasource/uid").asText(),
                        "panel " + panel.path("title") + " must use the dashboard's data source variable");
                exprs.add(expr);
            }
        }
        String all = String.join("\n", exprs);
        for (String metric : List.of("jupyterhub_total_users", "jupyterhub_running_servers", "jupyterhub_active_users",
                "jupyterhub_server_spawn_duration_seconds_bucket", "jupyterhub_request_duration_seconds",
                "ganymede_proxy_http_requests_total", "ganymede_proxy_responses_total", "ganymede_proxy_errors_total",
                "ganymede_proxy_websockets_open", "ganymede_hub_leader")) {
            assertTrue(all.contains(metric), "the dashboard does not chart " + metric);
        }
    }

    // ---- rendering -------------------------------------------------------------------------

    private static String findKubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        fail("kubectl is not on PATH: ManifestsTest renders k8s/ with `kubectl kustomize` (offline, no cluster). "
                + "Install kubectl (any release with kustomize v5) and rerun.");
        return null;
    }

    private static List<JsonNode> kustomize(String kubectl, Path dir) throws Exception {
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectError(err.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize " + dir + " did not finish in 120 s");
            }
            assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + " failed:\n" + Files.readString(err));
            List<JsonNode> objects = new ArrayList<>();
            try (var values = new YAMLMapper().readerFor(JsonNode.class).readValues(new String(out, StandardCharsets.UTF_8))) {
                while (values.hasNext()) {
                    JsonNode node = (JsonNode) values.next();
                    if (node != null && node.isObject()) {
                        objects.add(node);
                    }
                }
            }
            assertFalse(objects.isEmpty(), "kubectl kustomize " + dir + " rendered nothing");
            return objects;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** A throwaway overlay next to the build output: the gke overlay plus every component. */
    private static Path gkeWithAllComponents() throws IOException {
        Path dir = ROOT.resolve("src/test/target/manifests-test/gke-all-components");
        Files.createDirectories(dir);
        StringBuilder kustomization = new StringBuilder("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                components:
                """.formatted(dir.relativize(K8S.resolve("overlays/gke"))));
        try (Stream<Path> components = Files.list(K8S.resolve("components"))) {
            for (Path component : components.sorted().toList()) {
                kustomization.append("  - ").append(dir.relativize(component)).append('\n');
            }
        }
        Files.writeString(dir.resolve("kustomization.yaml"), kustomization.toString());
        return dir;
    }

    // ---- the README's list of Secrets ----------------------------------------------------------

    /** Rows of the table between the secrets markers: | `name` | `key`, `key` | ... */
    private static Map<String, Set<String>> documentedSecrets() throws IOException {
        String readme = Files.readString(K8S.resolve("README.md"));
        int begin = readme.indexOf("<!-- secrets:begin -->");
        int end = readme.indexOf("<!-- secrets:end -->");
        assertTrue(begin >= 0 && end > begin, "k8s/README.md has no <!-- secrets:begin --> ... <!-- secrets:end --> list");
        Map<String, Set<String>> secrets = new TreeMap<>();
        Pattern row = Pattern.compile("^\\|\\s*`([a-z0-9.-]+)`\\s*\\|([^|]*)\\|", Pattern.MULTILINE);
        Pattern code = Pattern.compile("`([^`]+)`");
        Matcher rows = row.matcher(readme.substring(begin, end));
        while (rows.find()) {
            Set<String> keys = new TreeSet<>();
            Matcher keyMatcher = code.matcher(rows.group(2));
            while (keyMatcher.find()) {
                keys.add(keyMatcher.group(1));
            }
            secrets.put(rows.group(1), keys);
        }
        return secrets;
    }

    private static void collectSecretReferences(JsonNode pod, Map<String, Set<String>> into) {
        List<JsonNode> containers = new ArrayList<>();
        pod.path("containers").forEach(containers::add);
        pod.path("initContainers").forEach(containers::add);
        for (JsonNode c : containers) {
            for (JsonNode e : c.path("env")) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                if (!ref.isMissingNode()) {
                    into.computeIfAbsent(ref.path("name").asText(), k -> new TreeSet<>()).add(ref.path("key").asText());
                }
            }
            for (JsonNode e : c.path("envFrom")) {
                if (e.has("secretRef")) {
                    into.computeIfAbsent(e.at("/secretRef/name").asText(), k -> new TreeSet<>());
                }
            }
        }
        for (JsonNode v : pod.path("volumes")) {
            if (v.has("secret")) {
                into.computeIfAbsent(v.at("/secret/secretName").asText(), k -> new TreeSet<>());
            }
            for (JsonNode source : v.at("/projected/sources")) {
                if (source.has("secret")) {
                    into.computeIfAbsent(source.at("/secret/name").asText(), k -> new TreeSet<>());
                }
            }
        }
    }

    /**
     * Whether the site-local (RFC 1918) blocks among these CIDRs cover all of private IPv4 space:
     * the union of the blocks wholly inside it must be as large as it.
     * (Written without private addresses in the code: Java's InetAddress knows which are.)
     */
    private static boolean coversEveryPrivateAddress(Set<String> cidrs) {
        long privateSpace = (1L << 24) + (1L << 20) + (1L << 16);
        List<long[]> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            String[] parts = cidr.split("/");
            long first = ipv4(parts[0]);
            long last = first + (1L << (32 - Integer.parseInt(parts[1]))) - 1;
            if (siteLocal(first) && siteLocal(last)) {
                blocks.add(new long[] {first, last});
            }
        }
        blocks.sort((a, b) -> Long.compare(a[0], b[0]));
        long covered = 0;
        long end = -1;
        for (long[] block : blocks) {
            long from = Math.max(block[0], end + 1);
            if (block[1] >= from) {
                covered += block[1] - from + 1;
                end = block[1];
            }
        }
        return covered == privateSpace;
    }

    private static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = value * 256 + Integer.parseInt(octet);
        }
        return value;
    }

    private static boolean siteLocal(long address) {
        byte[] bytes = {(byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address};
        try {
            return java.net.InetAddress.getByAddress(bytes).isSiteLocalAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Walks a fabric8 model object; any non-empty additionalProperties is a field the schema lacks. */
    private static void collectUnknownFields(Object value, String path, List<String> into) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, into));
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectUnknownFields(list.get(i), path + "[" + i + "]", into);
            }
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (java.lang.reflect.Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(path + ": " + getter, e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    into.add(path + ": " + extra.keySet());
                }
                continue;
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            collectUnknownFields(field, path + "." + name, into);
        }
    }

    // ---- object helpers -----------------------------------------------------------------------

    private interface ContainerCheck {
        void check(String where, JsonNode pod, JsonNode container);
    }

    private static void forEachContainer(ContainerCheck check) {
        int[] seen = {0};
        RENDERED.forEach((variant, objects) -> objects.stream().filter(o -> WORKLOAD_KINDS.contains(kind(o))).forEach(o -> {
            JsonNode pod = podSpec(o);
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : pod.path(list)) {
                    seen[0]++;
                    check.check(variant + " " + kind(o) + "/" + name(o) + " container " + c.path("name").asText(), pod, c);
                }
            }
        }));
        assertTrue(seen[0] >= 2 * RENDERED.size(), "fewer containers than expected were checked: " + seen[0]);
    }

    private static String kind(JsonNode o) {
        return o.path("kind").asText();
    }

    private static String name(JsonNode o) {
        return o.at("/metadata/name").asText();
    }

    private static JsonNode find(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> kind(o).equals(kind) && name(o).equals(name)).findFirst().orElse(null);
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream().filter(o -> kind(o).equals(kind)).toList();
        assertEquals(1, found.size(), "expected exactly one " + kind);
        return found.get(0);
    }

    private static JsonNode podSpec(JsonNode workload) {
        return kind(workload).equals("Pod") ? workload.path("spec") : workload.at("/spec/template/spec");
    }

    private static Map<String, String> podLabels(JsonNode workload) {
        Map<String, String> labels = new LinkedHashMap<>();
        workload.at("/spec/template/metadata/labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** A label selector (matchLabels form, or a Service's plain map) against a pod's labels. */
    private static boolean selects(JsonNode selector, Map<String, String> labels) {
        JsonNode match = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
        if (selector.has("matchExpressions")) {
            throw new AssertionError("matchExpressions are not evaluated by this test: " + selector);
        }
        boolean[] all = {true};
        match.fields().forEachRemaining(e -> all[0] &= e.getValue().asText().equals(labels.get(e.getKey())));
        return all[0];
    }

    private static JsonNode container(JsonNode workload, String name) {
        for (JsonNode c : podSpec(workload).path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(name(workload) + " has no container " + name);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    /** A probe's or Service's port (number or name) resolved against the container's ports. */
    private static int containerPort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("container " + container.path("name").asText() + " has no port named " + port.asText());
    }

    private static JsonNode servicePort(JsonNode service, int port) {
        for (JsonNode p : service.at("/spec/ports")) {
            if (p.path("port").asInt() == port) {
                return p;
            }
        }
        throw new AssertionError("Service " + name(service) + " has no port " + port);
    }

    /** The hub's environment: its ConfigMap (envFrom) overlaid by literal env values. */
    private static Map<String, String> hubEnv(List<JsonNode> objects, JsonNode hub) {
        Map<String, String> env = new TreeMap<>();
        JsonNode container = container(hub, "hub");
        for (JsonNode from : container.path("envFrom")) {
            JsonNode configMap = find(objects, "ConfigMap", from.at("/configMapRef/name").asText());
            if (configMap != null) {
                configMap.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            }
        }
        for (JsonNode e : container.path("env")) {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        return env;
    }

    /** http://service:port[/...] names a Service of this namespace that reaches the workload's port. */
    private static void assertReaches(List<JsonNode> objects, String url, JsonNode workload, String containerName,
                                      int containerPort, String what) {
        assertNotNull(url, what + " is not set");
        Matcher m = Pattern.compile("^http://([a-z0-9-]+):(\\d+)(/.*)?$").matcher(url);
        assertTrue(m.matches(), what + ": " + url + " is not http://<service>:<port>");
        JsonNode service = find(objects, "Service", m.group(1));
        assertNotNull(service, what + ": no Service " + m.group(1));
        assertTrue(selects(service.path("spec").path("selector"), podLabels(workload)),
                what + ": Service " + m.group(1) + " does not select " + name(workload));
        JsonNode port = servicePort(service, Integer.parseInt(m.group(2)));
        JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
        assertEquals(containerPort, containerPort(container(workload, containerName), target), what + ": target port");
    }

    private static Set<String> permissions(JsonNode role) {
        Set<String> granted = new TreeSet<>();
        for (JsonNode rule : role.path("rules")) {
            assertTrue(rule.path("resourceNames").isMissingNode() && rule.path("nonResourceURLs").isMissingNode(),
                    name(role) + ": unexpected rule shape " + rule);
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        granted.add(group.asText() + "/" + resource.asText() + ":" + verb.asText());
                    }
                }
            }
        }
        return granted;
    }
}
