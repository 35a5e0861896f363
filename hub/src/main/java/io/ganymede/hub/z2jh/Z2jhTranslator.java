package io.ganymede.hub.z2jh;

import io.ganymede.hub.profiles.OverrideKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates a z2jh values.yaml into Ganymede's profiles ({@code singleuser.*}: KubeSpawner's
 * profile_list, resources, storage, environment) and hub settings ({@code cull.*},
 * {@code hub.config.Authenticator}, {@code hub.config.JupyterHub}, {@code hub.loadRoles}), and
 * lists every key it did not translate with the reason. Pure: values in, files' content out.
 */
public final class Z2jhTranslator {

    /** One key of values.yaml and what became of it. */
    public record Line(String key, String note) {}

    /** The translation: profiles.yaml's and the settings file's trees, and the report. */
    public record Translation(Map<String, Object> profiles, Map<String, Object> settings,
            List<Line> translated, List<Line> untranslated) {}

    /** z2jh's singleuser values that are KubeSpawner override keys, in the order they are written. */
    private static final List<Map.Entry<String, String>> SINGLEUSER_PATHS = List.of(
            Map.entry("singleuser.cpu.limit", "cpu_limit"), Map.entry("singleuser.cpu.guarantee", "cpu_guarantee"),
            Map.entry("singleuser.memory.limit", "mem_limit"), Map.entry("singleuser.memory.guarantee", "mem_guarantee"),
            Map.entry("singleuser.extraResource.limits", "extra_resource_limits"),
            Map.entry("singleuser.extraResource.guarantees", "extra_resource_guarantees"),
            Map.entry("singleuser.extraNodeAffinity.required", "node_affinity_required"),
            Map.entry("singleuser.extraNodeAffinity.preferred", "node_affinity_preferred"),
            Map.entry("singleuser.cmd", "cmd"), Map.entry("singleuser.defaultUrl", "default_url"),
            Map.entry("singleuser.extraAnnotations", "extra_annotations"), Map.entry("singleuser.extraLabels", "extra_labels"),
            Map.entry("singleuser.extraTolerations", "tolerations"), Map.entry("singleuser.fsGid", "fs_gid"),
            Map.entry("singleuser.nodeSelector", "node_selector"),
            Map.entry("singleuser.priorityClassName", "priority_class_name"),
            Map.entry("singleuser.serviceAccountName", "service_account"),
            Map.entry("singleuser.startTimeout", "start_timeout"), Map.entry("singleuser.uid", "uid"),
            Map.entry("singleuser.workingDir", "working_dir"));

    /** z2jh's cull values and the ganymede.culler settings they are. */
    private static final List<Map.Entry<String, String>> CULL_PATHS = List.of(
            Map.entry("cull.enabled", "enabled"), Map.entry("cull.timeout", "timeout"), Map.entry("cull.every", "every"),
            Map.entry("cull.maxAge", "max-age"), Map.entry("cull.users", "users"),
            Map.entry("cull.removeNamedServers", "remove-named-servers"), Map.entry("cull.concurrency", "concurrency"));

    /** Why whole sections have no Ganymede setting; keys under them are reported with it. */
    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("proxy", "Ganymede runs its own proxy (k8s/); its Services keep z2jh's names with the z2jh-names component"),
            Map.entry("ingress", "the GKE overlays of k8s/ make the Ingress (or the Gateway with httpRoute)"),
            Map.entry("httpRoute", "use the gateway overlay of k8s/ (GKE Gateway, IAP through GCPBackendPolicy)"),
            Map.entry("scheduling", "no user scheduler or placeholder pods: GKE's cluster autoscaler places pods"),
            Map.entry("prePuller", "no image pre-puller: GKE image streaming or a DaemonSet of your own"),
            Map.entry("rbac", "k8s/ carries the hub's Role and RoleBinding"),
            Map.entry("hub.config.JupyterHub.authenticator_class", "set ganymede.auth.mode: iap (behind Google Cloud IAP), oidc (Google, Keycloak...) and its settings"),
            Map.entry("hub.db", "import JupyterHub's database with import-jupyterhub; Ganymede's is set by QUARKUS_DATASOURCE_*"),
            Map.entry("hub.services", "Ganymede has no services: give automation GANYMEDE_ADMIN_TOKEN or a user's token"),
            Map.entry("hub.extraConfig", "Python configuration cannot be translated; see what it does and set the matching ganymede.* setting"),
            Map.entry("hub.image", "the hub is Ganymede's image"),
            Map.entry("hub.cookieSecret", "Ganymede's login cookie is its own; users sign in again once"),
            Map.entry("hub.networkPolicy", "k8s/ carries the hub's NetworkPolicy"),
            Map.entry("singleuser.networkPolicy", "k8s/ carries the servers' NetworkPolicy"),
            Map.entry("singleuser.lifecycleHooks", "Ganymede's pods have no lifecycle hooks: move the commands into the image or the start command (cmd)"),
            Map.entry("singleuser.initContainers", "Ganymede's pods have no init containers"),
            Map.entry("singleuser.extraContainers", "Ganymede's pods have no extra containers"),
            Map.entry("singleuser.extraPodConfig", "no raw pod configuration: use the override keys of profiles/README.md"),
            Map.entry("singleuser.allowPrivilegeEscalation", "Ganymede's pods never allow privilege escalation"),
            Map.entry("singleuser.podNameTemplate", "set ganymede.kubernetes.pod-name-template (default jupyter-{user_server}, KubeSpawner 7's)"),
            Map.entry("singleuser.storage.dynamic.pvcNameTemplate", "set ganymede.kubernetes.pvc-name-template (default claim-{user_server}, KubeSpawner 7's)"),
            Map.entry("singleuser.storage.dynamic.volumeNameTemplate", "Ganymede names the volume itself"),
            Map.entry("singleuser.cloudMetadata", "use GKE Workload Identity (the metadata server is blocked by GKE for pods with it)"),
            Map.entry("imagePullSecret", "create the Secret yourself and list it in image_pull_secrets"),
            Map.entry("debug", "Ganymede's log level is quarkus.log.level"),
            Map.entry("global", "no Helm globals"),
            Map.entry("custom", "free-form values for Helm templates of your own"));

    private final ValuesTree values;
    private final List<Line> translated = new ArrayList<>();
    private final List<Line> untranslated = new ArrayList<>();

    private Z2jhTranslator(Map<String, Object> values) {
        this.values = new ValuesTree(values);
    }

    public static Translation translate(Map<String, Object> values) {
        return new Z2jhTranslator(values).run();
    }

    private Translation run() {
        Map<String, Object> profiles = new LinkedHashMap<>();
        Map<String, Object> defaults = defaults();
        if (!defaults.isEmpty()) {
            profiles.put("defaults", defaults);
        }
        profiles.put("profiles", profileList(storage()));
        Map<String, Object> settings = new LinkedHashMap<>();
        Map<String, Object> culler = culler();
        Map<String, Object> auth = auth();
        if (!culler.isEmpty()) {
            settings.put("culler", culler);
        }
        if (!auth.isEmpty()) {
            settings.put("auth", auth);
        }
        for (String key : values.unread()) {
            untranslated.add(new Line(key, reason(key)));
        }
        return new Translation(profiles, settings.isEmpty() ? Map.of() : Map.of("ganymede", settings),
                List.copyOf(translated), List.copyOf(untranslated));
    }

    private Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        Optional<String> image = values.string("singleuser.image.name");
        Optional<String> tag = values.string("singleuser.image.tag");
        image.ifPresent(name -> put(d, "image", tag.map(t -> name + ":" + t).orElse(name), "singleuser.image.name, .tag"));
        values.string("singleuser.image.pullPolicy").ifPresent(p -> put(d, "image_pull_policy", p, "singleuser.image.pullPolicy"));
        values.take("singleuser.image.pullSecrets").ifPresent(s -> put(d, "image_pull_secrets", secretNames(s), "singleuser.image.pullSecrets"));
        copy(d, SINGLEUSER_PATHS);
        values.take("singleuser.extraEnv").ifPresent(env -> {
            Map<String, Object> environment = environment(env);
            if (!environment.isEmpty()) {
                put(d, "environment", environment, "singleuser.extraEnv");
            }
        });
        values.take("singleuser.storage.extraVolumes").ifPresent(v -> put(d, "volumes", v, "singleuser.storage.extraVolumes"));
        values.take("singleuser.storage.extraVolumeMounts").ifPresent(v -> put(d, "volume_mounts", v, "singleuser.storage.extraVolumeMounts"));
        return d;
    }

    /** extraEnv: a map of names to strings or {value}/{valueFrom}, or a list of {name, value}. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> environment(Object env) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> entries = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            entries.putAll((Map<String, Object>) m);
        } else if (env instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> e && e.get("name") != null) {
                    entries.put(String.valueOf(e.get("name")), e);
                }
            }
        }
        entries.forEach((name, value) -> {
            if (value instanceof Map<?, ?> spec) {
                if (spec.get("value") != null) {
                    out.put(name, String.valueOf(spec.get("value")));
                } else {
                    untranslated.add(new Line("singleuser.extraEnv." + name,
                            "valueFrom (a Secret or a field reference) has no equivalent in environment; use a volume or the image"));
                }
            } else if (value != null) {
                out.put(name, String.valueOf(value));
            }
        });
        return out;
    }

    private Map<String, Object> storage() {
        Map<String, Object> s = new LinkedHashMap<>();
        String type = values.string("singleuser.storage.type").orElse("dynamic");
        Optional<String> mount = values.string("singleuser.storage.homeMountPath");
        switch (type) {
            case "none" -> s.put("kind", "none");
            case "static" -> {
                s.put("kind", "filestore");
                s.put("shared", true);
                values.string("singleuser.storage.static.pvcName").ifPresent(c -> s.put("claim_name", c));
                s.put("sub_path", values.string("singleuser.storage.static.subPath").orElse("{username}"));
            }
            default -> {
                s.put("kind", "pd");
                values.string("singleuser.storage.dynamic.storageClass").ifPresent(c -> s.put("storage_class", c));
                s.put("size", values.string("singleuser.storage.capacity").orElse("10Gi"));
                values.take("singleuser.storage.dynamic.storageAccessModes").ifPresent(m -> {
                    if (!List.of("ReadWriteOnce").equals(m)) {
                        untranslated.add(new Line("singleuser.storage.dynamic.storageAccessModes",
                                "a pd claim is ReadWriteOnce; use storage kind filestore for ReadWriteMany"));
                    }
                });
            }
        }
        mount.ifPresent(m -> s.put("mount_path", m));
        translated.add(new Line("singleuser.storage", "every profile's storage: " + s));
        return s;
    }

    @SuppressWarnings("unchecked")
    private List<Object> profileList(Map<String, Object> storage) {
        List<Object> out = new ArrayList<>();
        Optional<Object> list = values.take("singleuser.profileList");
        if (list.isEmpty() || !(list.get() instanceof List<?> profiles) || profiles.isEmpty()) {
            Map<String, Object> only = new LinkedHashMap<>();
            only.put("display_name", "Default");
            only.put("slug", "default");
            only.put("storage", storage);
            out.add(only);
            return out;
        }
        for (int i = 0; i < profiles.size(); i++) {
            if (!(profiles.get(i) instanceof Map<?, ?> raw)) {
                untranslated.add(new Line("singleuser.profileList[" + i + "]", "not a profile (a map)"));
                continue;
            }
            Map<String, Object> p = (Map<String, Object>) raw;
            String at = "singleuser.profileList[" + i + "]";
            Map<String, Object> profile = new LinkedHashMap<>();
            for (String key : List.of("display_name", "slug", "description", "default")) {
                if (p.containsKey(key)) {
                    profile.put(key, p.get(key));
                }
            }
            profile.put("storage", storage);
            Map<String, Object> override = override(p.get("kubespawner_override"), at + ".kubespawner_override");
            if (!override.isEmpty()) {
                profile.put("kubespawner_override", override);
            }
            if (p.get("profile_options") instanceof Map<?, ?> options) {
                profile.put("profile_options", options((Map<String, Object>) options, at + ".profile_options"));
            }
            p.keySet().stream().filter(k -> !List.of("display_name", "slug", "description", "default",
                    "kubespawner_override", "profile_options").contains(k))
                    .forEach(k -> untranslated.add(new Line(at + "." + k, "not a profile key of Ganymede")));
            out.add(profile);
            translated.add(new Line(at, "profile " + profile.getOrDefault("slug", profile.get("display_name"))));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> options(Map<String, Object> options, String at) {
        Map<String, Object> out = new LinkedHashMap<>();
        options.forEach((name, raw) -> {
            if (!(raw instanceof Map<?, ?> option)) {
                return;
            }
            Map<String, Object> o = new LinkedHashMap<>();
            if (option.get("display_name") != null) {
                o.put("display_name", option.get("display_name"));
            }
            if (option.get("choices") instanceof Map<?, ?> choices) {
                Map<String, Object> cs = new LinkedHashMap<>();
                ((Map<String, Object>) choices).forEach((choiceName, c) -> {
                    if (c instanceof Map<?, ?> choice) {
                        Map<String, Object> ch = new LinkedHashMap<>();
                        for (String key : List.of("display_name", "default")) {
                            if (choice.get(key) != null) {
                                ch.put(key, choice.get(key));
                            }
                        }
                        Map<String, Object> ov = override(choice.get("kubespawner_override"),
                                at + "." + name + ".choices." + choiceName + ".kubespawner_override");
                        if (!ov.isEmpty()) {
                            ch.put("kubespawner_override", ov);
                        }
                        cs.put(choiceName, ch);
                    }
                });
                o.put("choices", cs);
            }
            if (option.get("unlisted_choice") instanceof Map<?, ?> unlisted) {
                Map<String, Object> u = new LinkedHashMap<>();
                for (String key : List.of("enabled", "display_name", "validation_regex", "validation_message")) {
                    if (unlisted.get(key) != null) {
                        u.put(key, unlisted.get(key));
                    }
                }
                Map<String, Object> ov = override(unlisted.get("kubespawner_override"), at + "." + name + ".unlisted_choice.kubespawner_override");
                if (!ov.isEmpty()) {
                    u.put("kubespawner_override", ov);
                }
                o.put("unlisted_choice", u);
            }
            out.put(name, o);
        });
        return out;
    }

    /** A KubeSpawner override with only the keys Ganymede's pods honour; the others are reported. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> override(Object raw, String at) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((key, value) -> {
                if (OverrideKeys.names().contains(key)) {
                    out.put(key, value);
                } else {
                    untranslated.add(new Line(at + "." + key, "not an override key of Ganymede (profiles/README.md lists them)"));
                }
            });
        }
        return out;
    }

    private Map<String, Object> culler() {
        Map<String, Object> c = new LinkedHashMap<>();
        copy(c, CULL_PATHS);
        // z2jh's adminUsers says whether admins' servers are culled; Ganymede's setting says the opposite.
        values.take("cull.adminUsers").ifPresent(v -> put(c, "exempt-admins", !Boolean.parseBoolean(String.valueOf(v)), "cull.adminUsers"));
        return c;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> auth() {
        Map<String, Object> a = new LinkedHashMap<>();
        values.take("hub.config.Authenticator.admin_users").ifPresent(v -> put(a, "admin-users", v, "hub.config.Authenticator.admin_users"));
        values.take("hub.config.Authenticator.allowed_users").ifPresent(v -> put(a, "allowed-users", v, "hub.config.Authenticator.allowed_users"));
        values.take("hub.config.Authenticator.allow_all").ifPresent(v -> translated.add(new Line("hub.config.Authenticator.allow_all",
                "nothing to set: with no allowed users or groups Ganymede admits every verified user")));
        values.take("hub.config.JupyterHub.admin_access").ifPresent(v -> put(a, "admin-access", v, "hub.config.JupyterHub.admin_access"));
        values.take("hub.loadRoles").ifPresent(raw -> {
            List<Object> roles = new ArrayList<>();
            if (raw instanceof Map<?, ?> m) {
                ((Map<String, Object>) m).forEach((key, r) -> {
                    if (!(r instanceof Map<?, ?> role)) {
                        return;
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("name", role.get("name") != null ? role.get("name") : key);
                    out.put("scopes", role.get("scopes") != null ? role.get("scopes") : List.of());
                    out.put("users", role.get("users") != null ? role.get("users") : List.of());
                    out.put("groups", role.get("groups") != null ? role.get("groups") : List.of());
                    if (role.get("services") != null) {
                        untranslated.add(new Line("hub.loadRoles." + key + ".services", "Ganymede has no services"));
                    }
                    role.keySet().stream().map(String::valueOf)
                            .filter(k -> !List.of("name", "scopes", "users", "groups", "services").contains(k))
                            .forEach(k -> untranslated.add(new Line("hub.loadRoles." + key + "." + k, "Ganymede's roles have no " + k)));
                    roles.add(out);
                });
            }
            put(a, "roles", roles, "hub.loadRoles");
        });
        return a;
    }

    /** Copies each values path that is set to its key. */
    private void copy(Map<String, Object> into, List<Map.Entry<String, String>> paths) {
        for (Map.Entry<String, String> p : paths) {
            values.take(p.getKey()).ifPresent(v -> put(into, p.getValue(), v, p.getKey()));
        }
    }

    private void put(Map<String, Object> into, String key, Object value, String from) {
        into.put(key, value);
        translated.add(new Line(from, key + " = " + value));
    }

    private static Object secretNames(Object secrets) {
        if (secrets instanceof List<?> list) {
            return list.stream().map(s -> s instanceof Map<?, ?> m && m.get("name") != null ? m.get("name") : s)
                    .map(String::valueOf).toList();
        }
        return secrets;
    }

    private static String reason(String key) {
        for (String p = key; ; p = p.substring(0, p.lastIndexOf('.'))) {
            String reason = REASONS.get(p);
            if (reason != null) {
                return reason;
            }
            if (p.indexOf('.') < 0) {
                return key.startsWith("hub.config.") ? "JupyterHub configuration with no Ganymede setting"
                        : "no Ganymede setting";
            }
        }
    }
}
