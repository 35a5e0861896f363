package io.ganymede.hub.z2jh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganymede.hub.profiles.Profile;
import io.ganymede.hub.profiles.ProfileParser;
import io.ganymede.hub.profiles.ProfileSet;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** translate-z2jh on a realistic z2jh values.yaml ({@code resources/z2jh/values.yaml}). */
class TranslateCommandTest {

    @TempDir
    Path dir;
    private Path values;

    @BeforeEach
    void copyValues() throws Exception {
        values = dir.resolve("values.yaml");
        try (InputStream in = getClass().getResourceAsStream("/z2jh/values.yaml")) {
            Files.copy(in, values);
        }
    }

    private record Run(int status, String out, String err) {}

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TranslateCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run translate() {
        return run("--values", values.toString(), "--profiles-out", dir.resolve("profiles.yaml").toString(),
                "--settings-out", dir.resolve("hub-settings.yaml").toString());
    }

    @Test
    void profilesAreWhatKubeSpawnerWouldRun() throws Exception {
        Run run = translate();
        assertEquals(0, run.status(), run.err());
        ProfileParser.Result parsed = ProfileParser.parse(Files.readString(dir.resolve("profiles.yaml")), "profiles.yaml");
        assertTrue(parsed.ok(), parsed.problems().toString());
        ProfileSet set = parsed.profiles();
        assertEquals(List.of("cpu-small", "gpu-t4"), set.profiles().stream().map(Profile::slug).toList());
        Map<String, Object> defaults = set.defaults();
        assertEquals("quay.io/jupyter/scipy-notebook:2025-10-20", defaults.get("image"));
        assertEquals("8G", defaults.get("mem_limit"));
        assertEquals("/lab", defaults.get("default_url"));
        assertEquals(Map.of("cloud.google.com/gke-nodepool", "user-pool"), defaults.get("node_selector"));
        assertEquals(Map.of("GOOGLE_CLOUD_PROJECT", "my-project", "TEAM", "data-science"), defaults.get("environment"));

        @SuppressWarnings("unchecked")
        Map<String, Object> yaml = new Yaml().load(Files.readString(dir.resolve("profiles.yaml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> gpu = ((List<Map<String, Object>>) yaml.get("profiles")).get(1);
        assertEquals(Map.of("kind", "pd", "storage_class", "standard-rwo", "size", "20Gi"), gpu.get("storage"));
        @SuppressWarnings("unchecked")
        Map<String, Object> override = (Map<String, Object>) gpu.get("kubespawner_override");
        assertEquals(Map.of("nvidia.com/gpu", "1"), override.get("extra_resource_limits"));
        assertFalse(override.containsKey("lifecycle_hooks"));
        assertTrue(gpu.toString().contains("validation_regex=^europe-docker[.]pkg[.]dev/my-project/"), gpu.toString());
    }

    @Test
    void settingsCarryTheCullerTheAuthenticatorAndTheRoles() throws Exception {
        assertEquals(0, translate().status());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Object>>> settings = new Yaml().load(Files.readString(dir.resolve("hub-settings.yaml")));
        Map<String, Object> culler = settings.get("ganymede").get("culler");
        assertEquals(Map.of("enabled", true, "timeout", 1800, "every", 300, "max-age", 28800, "users", false,
                "exempt-admins", false), culler);
        Map<String, Object> auth = settings.get("ganymede").get("auth");
        assertEquals(List.of("alice@example.com"), auth.get("admin-users"));
        assertEquals(List.of("alice@example.com", "bob"), auth.get("allowed-users"));
        assertEquals(false, auth.get("admin-access"));
        assertEquals(List.of(
                Map.of("name", "data-readers", "scopes", List.of("read:users", "list:users", "read:servers!group=data-science"),
                        "users", List.of(), "groups", List.of("data-science")),
                Map.of("name", "monitoring", "scopes", List.of("read:metrics"), "users", List.of(), "groups", List.of())),
                auth.get("roles"));
    }

    @Test
    void theReportListsEveryKeyNotTranslatedWithTheReason() {
        Run run = translate();
        assertEquals(0, run.status(), run.err());
        String out = run.out();
        String report = out.substring(out.indexOf("Not translated ("));
        for (String line : List.of(
                "proxy.secretToken: Ganymede runs its own proxy",
                "proxy.service.type: Ganymede runs its own proxy",
                "proxy.chp.resources.requests.cpu: Ganymede runs its own proxy",
                "hub.cookieSecret: Ganymede's login cookie is its own",
                "hub.db.type: import JupyterHub's database with import-jupyterhub",
                "hub.db.pvc.storage: import JupyterHub's database with import-jupyterhub",
                "hub.config.JupyterHub.authenticator_class: set ganymede.auth.mode",
                "hub.config.GCPIAPAuthenticator.header_name: JupyterHub configuration with no Ganymede setting",
                "hub.config.GCPIAPAuthenticator.project_id: JupyterHub configuration with no Ganymede setting",
                "hub.loadRoles.data-readers.description",
                "hub.loadRoles.monitoring.services: Ganymede has no services",
                "hub.services.pipeline-admin.apiToken: Ganymede has no services",
                "hub.services.pipeline-admin.admin: Ganymede has no services",
                "hub.extraConfig.timeouts: Python configuration cannot be translated",
                "singleuser.extraEnv.BQ_KEY: valueFrom",
                "singleuser.lifecycleHooks.postStart.exec.command: Ganymede's pods have no lifecycle hooks",
                "singleuser.profileList[1].kubespawner_override.lifecycle_hooks: not an override key of Ganymede",
                "scheduling.userScheduler.enabled: no user scheduler",
                "scheduling.podPriority.enabled: no user scheduler",
                "prePuller.hook.enabled: no image pre-puller",
                "ingress.enabled: the GKE overlays of k8s/",
                "ingress.hosts: the GKE overlays of k8s/")) {
            assertTrue(report.contains("  " + line), "missing '" + line + "' in:\n" + report);
        }
        assertTrue(report.startsWith("Not translated (22):"), report);
        String translated = out.substring(out.indexOf("Translated:"), out.indexOf("Not translated ("));
        assertTrue(translated.contains("  cull.timeout: timeout = 1800"), translated);
        assertTrue(translated.contains("  singleuser.profileList[1]: profile gpu-t4"), translated);
        assertFalse(out.contains("svc-0123456789abcdef"), "no secret is printed");
    }

    @Test
    void existingFilesAreNotOverwrittenWithoutForce() throws Exception {
        Files.writeString(dir.resolve("profiles.yaml"), "# mine\n");
        Run run = translate();
        assertEquals(1, run.status());
        assertTrue(run.err().contains("profiles.yaml exists; name another file or add --force"), run.err());
        assertEquals("# mine\n", Files.readString(dir.resolve("profiles.yaml")));
        assertEquals(2, run("--bogus").status());
    }
}
