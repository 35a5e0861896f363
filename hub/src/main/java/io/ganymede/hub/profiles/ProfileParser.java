package io.ganymede.hub.profiles;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads profiles.yaml through SnakeYAML's node tree, so every problem carries the line and column
 * of the node at fault, and collects all problems instead of stopping at the first: an admin fixes
 * a broken file in one round.
 */
public final class ProfileParser {

    /** The outcome: a profile set when there were no problems, otherwise the problems in file order. */
    public record Result(ProfileSet profiles, List<ProfileProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final Set<String> TOP_KEYS = Set.of("profiles", "defaults");
    private static final Set<String> PROFILE_KEYS = Set.of("display_name", "slug", "description", "default",
            "kubespawner_override", "override", "profile_options", "app", "storage", "groups", "cull", "gpu");
    private static final Set<String> OPTION_KEYS = Set.of("display_name", "choices", "unlisted_choice");
    private static final Set<String> CHOICE_KEYS = Set.of("display_name", "default", "kubespawner_override", "override");
    private static final Set<String> UNLISTED_KEYS = Set.of("enabled", "display_name", "validation_regex",
            "validation_message", "kubespawner_override", "override");
    private static final Set<String> CULL_KEYS = Set.of("timeout", "max_age");
    private static final Set<String> STORAGE_KEYS = Set.of("kind", "mount_path", "storage_class", "size", "max_size", "shared",
            "claim_name", "sub_path", "bucket", "mount_options", "service_account", "sidecar");
    private static final Map<StorageKind, Set<String>> STORAGE_KEYS_BY_KIND = Map.of(
            StorageKind.NONE, Set.of("kind", "mount_path"),
            StorageKind.PD, Set.of("kind", "mount_path", "storage_class", "size", "max_size"),
            StorageKind.FILESTORE, Set.of("kind", "mount_path", "storage_class", "size", "max_size", "shared", "claim_name",
                    "sub_path"),
            StorageKind.GCSFUSE, Set.of("kind", "mount_path", "bucket", "mount_options", "service_account", "sidecar"));
    private static final Set<String> SIDECAR_KEYS = Set.of("cpu_limit", "memory_limit", "ephemeral_storage_limit",
            "cpu_request", "memory_request", "ephemeral_storage_request");
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$");

    private final String file;
    private final List<ProfileProblem> problems = new ArrayList<>();

    private ProfileParser(String file) {
        this.file = file;
    }

    /** Parses and validates {@code text}; {@code file} names it in problems. */
    public static Result parse(String text, String file) {
        return new ProfileParser(file).run(text);
    }

    private Result run(String text) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(new ProfileProblem(file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1,
                    "invalid YAML: " + e.getProblem()));
            return new Result(null, problems);
        } catch (RuntimeException e) {
            problems.add(new ProfileProblem(file, 1, 1, "invalid YAML: " + e.getMessage()));
            return new Result(null, problems);
        }
        if (root == null) {
            problems.add(new ProfileProblem(file, 1, 1, "the file is empty: expected a top-level 'profiles:' list"));
            return new Result(null, problems);
        }
        ProfileSet set = top(root);
        problems.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                : Integer.compare(a.column(), b.column()));
        return new Result(problems.isEmpty() ? set : null, List.copyOf(problems));
    }

    private ProfileSet top(Node root) {
        Map<String, NodeTuple> keys = mapping(root, "the top level", TOP_KEYS);
        if (keys == null) {
            return null;
        }
        Map<String, Object> defaults = Map.of();
        if (keys.containsKey("defaults")) {
            defaults = override(keys.get("defaults").getValueNode(), "defaults", false);
        }
        NodeTuple list = keys.get("profiles");
        if (list == null) {
            problem(root, "missing required key 'profiles'");
            return null;
        }
        if (!(list.getValueNode() instanceof SequenceNode seq)) {
            problem(list.getValueNode(), "'profiles' must be a list");
            return null;
        }
        if (seq.getValue().isEmpty()) {
            problem(seq, "'profiles' is empty: list at least one profile");
        }
        List<Profile> profiles = new ArrayList<>();
        Map<String, Node> slugs = new HashMap<>();
        Node firstDefault = null;
        for (Node item : seq.getValue()) {
            Profile p = profile(item);
            if (p == null) {
                continue;
            }
            Node slugNode = item;
            Map<String, NodeTuple> pk = keysOf(item);
            if (pk.containsKey("slug")) {
                slugNode = pk.get("slug").getValueNode();
            }
            if (slugs.containsKey(p.slug())) {
                problem(slugNode, "duplicate slug '" + p.slug() + "' (first used at line "
                        + line(slugs.get(p.slug())) + ")");
            } else {
                slugs.put(p.slug(), slugNode);
            }
            if (p.isDefault()) {
                if (firstDefault != null) {
                    problem(pk.get("default").getKeyNode(), "profile '" + p.slug()
                            + "' is marked default too, but only the first default (line " + line(firstDefault)
                            + ") is ever used: remove one");
                } else {
                    firstDefault = pk.get("default").getKeyNode();
                }
            }
            profiles.add(p);
        }
        return new ProfileSet(defaults, profiles);
    }

    private Profile profile(Node node) {
        Map<String, NodeTuple> k = mapping(node, "profile", PROFILE_KEYS);
        if (k == null) {
            return null;
        }
        String displayName = string(k, "display_name", node, true);
        String slug = string(k, "slug", node, false);
        if (slug == null && displayName != null) {
            slug = slugify(displayName);
        } else if (slug != null && !SLUG.matcher(slug).matches()) {
            problem(k.get("slug").getValueNode(), "bad slug '" + slug
                    + "': use lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
        String description = string(k, "description", node, false);
        boolean isDefault = bool(k, "default", false);
        AppKind app = AppKind.JUPYTERLAB;
        if (k.containsKey("app")) {
            Node v = k.get("app").getValueNode();
            String id = scalar(v, "app");
            if (id != null) {
                app = AppKind.byId(id).orElse(null);
                if (app == null) {
                    problem(v, "unknown app '" + id + "'; expected one of " + AppKind.ids());
                    app = AppKind.JUPYTERLAB;
                }
            }
        }
        StorageSpec storage = k.containsKey("storage") ? storage(k.get("storage").getValueNode()) : StorageSpec.none();
        Set<String> groups = new LinkedHashSet<>();
        if (k.containsKey("groups")) {
            Node g = k.get("groups").getValueNode();
            if (g instanceof SequenceNode seq) {
                for (Node item : seq.getValue()) {
                    String name = scalar(item, "a group name");
                    if (name != null) {
                        groups.add(name);
                    }
                }
            } else {
                problem(g, "'groups' must be a list of group names");
            }
        }
        CullPolicy cull = k.containsKey("cull") ? cull(k.get("cull").getValueNode()) : CullPolicy.INHERIT;
        String gpu = string(k, "gpu", node, false);
        Map<String, Object> override = overrideOf(k, node, false);
        List<ProfileOption> options = new ArrayList<>();
        if (k.containsKey("profile_options")) {
            Map<String, NodeTuple> opts = mapping(k.get("profile_options").getValueNode(), "profile_options", null);
            if (opts != null) {
                opts.forEach((name, t) -> {
                    ProfileOption o = option(name, t.getValueNode());
                    if (o != null) {
                        options.add(o);
                    }
                });
            }
        }
        if (displayName == null || slug == null) {
            return null;
        }
        return new Profile(slug, displayName, description == null ? "" : description, isDefault, app, storage,
                groups, cull, gpu, override, options);
    }

    private ProfileOption option(String name, Node node) {
        Map<String, NodeTuple> k = mapping(node, "profile option", OPTION_KEYS);
        if (k == null) {
            return null;
        }
        String displayName = string(k, "display_name", node, true);
        List<Choice> choices = new ArrayList<>();
        Node firstDefault = null;
        if (k.containsKey("choices")) {
            Map<String, NodeTuple> cs = mapping(k.get("choices").getValueNode(), "choices", null);
            if (cs != null) {
                for (var e : cs.entrySet()) {
                    Map<String, NodeTuple> ck = mapping(e.getValue().getValueNode(), "choice", CHOICE_KEYS);
                    if (ck == null) {
                        continue;
                    }
                    String cname = string(ck, "display_name", e.getValue().getValueNode(), true);
                    boolean def = bool(ck, "default", false);
                    if (def && firstDefault != null) {
                        problem(ck.get("default").getKeyNode(), "choice '" + e.getKey() + "' of option '" + name
                                + "' is marked default too, but only the first default (line " + line(firstDefault)
                                + ") is ever used: remove one");
                    } else if (def) {
                        firstDefault = ck.get("default").getKeyNode();
                    }
                    choices.add(new Choice(e.getKey(), cname == null ? e.getKey() : cname, def,
                            overrideOf(ck, e.getValue().getValueNode(), false)));
                }
            }
        }
        UnlistedChoice unlisted = null;
        if (k.containsKey("unlisted_choice")) {
            unlisted = unlisted(k.get("unlisted_choice").getValueNode());
        }
        if (choices.isEmpty() && (unlisted == null || !unlisted.enabled())) {
            problem(node, "option '" + name + "' has no choices and no enabled unlisted_choice: users could pick nothing");
        }
        return displayName == null ? null : new ProfileOption(name, displayName, choices, unlisted);
    }

    private UnlistedChoice unlisted(Node node) {
        Map<String, NodeTuple> k = mapping(node, "unlisted_choice", UNLISTED_KEYS);
        if (k == null) {
            return null;
        }
        boolean enabled = bool(k, "enabled", false);
        String displayName = string(k, "display_name", node, false);
        Pattern regex = null;
        if (k.containsKey("validation_regex")) {
            Node v = k.get("validation_regex").getValueNode();
            String s = scalar(v, "validation_regex");
            if (s != null) {
                try {
                    regex = Pattern.compile(s);
                } catch (PatternSyntaxException e) {
                    problem(v, "bad validation_regex: " + e.getDescription());
                }
            }
        }
        String message = string(k, "validation_message", node, false);
        return new UnlistedChoice(enabled, displayName == null ? "Other" : displayName, regex, message,
                overrideOf(k, node, true));
    }

    private CullPolicy cull(Node node) {
        Map<String, NodeTuple> k = mapping(node, "cull", CULL_KEYS);
        if (k == null) {
            return CullPolicy.INHERIT;
        }
        return new CullPolicy(seconds(k, "timeout"), seconds(k, "max_age"));
    }

    private Long seconds(Map<String, NodeTuple> k, String key) {
        if (!k.containsKey(key)) {
            return null;
        }
        Node v = k.get(key).getValueNode();
        Object value = value(v);
        if (value instanceof Long l && l >= 0) {
            return l;
        }
        problem(v, "'" + key + "' must be a whole number of seconds (0 or more), not '" + text(v) + "'");
        return null;
    }

    private StorageSpec storage(Node node) {
        Map<String, NodeTuple> k = mapping(node, "storage", STORAGE_KEYS);
        if (k == null) {
            return StorageSpec.none();
        }
        if (!k.containsKey("kind")) {
            problem(node, "missing required key 'kind' in storage; expected one of " + StorageKind.ids());
            return StorageSpec.none();
        }
        Node kindNode = k.get("kind").getValueNode();
        String id = scalar(kindNode, "kind");
        StorageKind kind = id == null ? null : StorageKind.byId(id).orElse(null);
        if (kind == null) {
            if (id != null) {
                problem(kindNode, "unknown storage kind '" + id + "'; expected one of " + StorageKind.ids());
            }
            return StorageSpec.none();
        }
        for (var e : k.entrySet()) {
            if (!STORAGE_KEYS_BY_KIND.get(kind).contains(e.getKey())) {
                problem(e.getValue().getKeyNode(), "'" + e.getKey() + "' does not apply to storage kind '" + kind.id() + "'");
            }
        }
        StorageSpec d = StorageSpec.defaults(kind);
        String size = string(k, "size", node, false);
        if (size != null && !Quantities.isKubernetes(size)) {
            problem(k.get("size").getValueNode(), "bad quantity '" + size + "' for size: expected a Kubernetes quantity like 10Gi");
        }
        String maxSize = string(k, "max_size", node, false);
        if (maxSize != null && !Quantities.isKubernetes(maxSize)) {
            problem(k.get("max_size").getValueNode(), "bad quantity '" + maxSize
                    + "' for max_size: expected a Kubernetes quantity like 100Gi");
        } else if (maxSize != null && Quantities.isKubernetes(orElse(size, d.size()))) {
            try {
                if (Quantities.kubernetesBytes(maxSize) < Quantities.kubernetesBytes(orElse(size, d.size()))) {
                    problem(k.get("max_size").getValueNode(), "max_size " + maxSize + " is smaller than size "
                            + orElse(size, d.size()));
                }
            } catch (IllegalArgumentException e) {
                problem(k.get("max_size").getValueNode(), e.getMessage() + " in max_size or size");
            }
        }
        Map<String, String> sidecar = new LinkedHashMap<>();
        if (k.containsKey("sidecar")) {
            Map<String, NodeTuple> sk = mapping(k.get("sidecar").getValueNode(), "sidecar", SIDECAR_KEYS);
            if (sk != null) {
                sk.forEach((name, t) -> {
                    String q = scalar(t.getValueNode(), name);
                    if (q != null && !Quantities.isKubernetes(q)) {
                        problem(t.getValueNode(), "bad quantity '" + q + "' for " + name
                                + ": expected a Kubernetes quantity like 500m or 1Gi");
                    }
                    sidecar.put(name, q);
                });
            }
        }
        boolean shared = bool(k, "shared", false);
        return new StorageSpec(kind,
                orElse(string(k, "mount_path", node, false), d.mountPath()),
                orElse(string(k, "storage_class", node, false), d.storageClass()),
                orElse(size, d.size()),
                maxSize,
                shared,
                shared ? orElse(string(k, "claim_name", node, false), d.claimName()) : null,
                shared ? orElse(string(k, "sub_path", node, false), d.subPath()) : null,
                orElse(string(k, "bucket", node, false), d.bucket()),
                orElse(string(k, "mount_options", node, false), d.mountOptions()),
                orElse(string(k, "service_account", node, false), d.serviceAccount()),
                sidecar);
    }

    // --- overrides ---

    private Map<String, Object> overrideOf(Map<String, NodeTuple> k, Node owner, boolean templated) {
        NodeTuple ks = k.get("kubespawner_override");
        NodeTuple g = k.get("override");
        if (ks != null && g != null) {
            problem(g.getKeyNode(), "both 'kubespawner_override' and 'override' given: use one");
        }
        NodeTuple t = ks != null ? ks : g;
        if (t == null) {
            return Map.of();
        }
        return override(t.getValueNode(), ks != null ? "kubespawner_override" : "override", templated);
    }

    /** An override map, each key checked against the keys the spawner honours and their shapes. */
    private Map<String, Object> override(Node node, String where, boolean templated) {
        Map<String, NodeTuple> k = mapping(node, where, OverrideKeys.KEYS.keySet());
        if (k == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : k.entrySet()) {
            Node v = e.getValue().getValueNode();
            Object value = value(v);
            out.put(e.getKey(), value);
            if (value != null && !(templated && containsTemplate(value))) {
                checkShape(e.getKey(), v, value);
            }
        }
        return out;
    }

    private void checkShape(String key, Node v, Object value) {
        switch (OverrideKeys.KEYS.get(key)) {
            case STRING -> {
                if (!(value instanceof String)) {
                    problem(v, "'" + key + "' must be a string");
                }
            }
            case PULL_POLICY -> {
                if (!OverrideKeys.PULL_POLICIES.contains(value)) {
                    problem(v, "bad image_pull_policy '" + text(v) + "'; expected one of Always, IfNotPresent, Never");
                }
            }
            case CPU -> {
                if (!Quantities.isCpu(value)) {
                    problem(v, "bad quantity '" + text(v) + "' for " + key + ": expected CPUs like 2, 0.5 or 500m");
                }
            }
            case BYTES -> {
                if (!Quantities.isBytes(value)) {
                    problem(v, "bad quantity '" + text(v) + "' for " + key + ": expected bytes like 512M, 4G or 4Gi");
                }
            }
            case QUANTITY -> {
                if (!Quantities.isKubernetes(value)) {
                    problem(v, "bad quantity '" + text(v) + "' for " + key + ": expected a Kubernetes quantity like 10Gi");
                }
            }
            case QUANTITY_MAP -> {
                if (v instanceof MappingNode m) {
                    for (NodeTuple t : tuples(m)) {
                        Object q = value(t.getValueNode());
                        if (!Quantities.isKubernetes(q)) {
                            problem(t.getValueNode(), "bad quantity '" + text(t.getValueNode()) + "' for " + key + "."
                                    + text(t.getKeyNode()) + ": expected a Kubernetes quantity like 1");
                        }
                    }
                } else {
                    problem(v, "'" + key + "' must be a map of resource names to quantities");
                }
            }
            case STRING_MAP -> {
                if (v instanceof MappingNode m) {
                    for (NodeTuple t : tuples(m)) {
                        if (!(t.getValueNode() instanceof ScalarNode)) {
                            problem(t.getValueNode(), "'" + key + "." + text(t.getKeyNode()) + "' must be a string");
                        }
                    }
                } else {
                    problem(v, "'" + key + "' must be a map of names to strings");
                }
            }
            case LIST -> {
                if (!(v instanceof SequenceNode)) {
                    problem(v, "'" + key + "' must be a list");
                }
            }
            case LIST_OR_MAP -> {
                if (!(v instanceof SequenceNode) && !(v instanceof MappingNode)) {
                    problem(v, "'" + key + "' must be a list (or a map whose values are taken in key order)");
                }
            }
            case INT -> {
                if (!(value instanceof Long)) {
                    problem(v, "'" + key + "' must be a whole number");
                } else if (key.equals("uid") && (Long) value == 0) {
                    problem(v, "'uid' must not be 0: servers never run as root");
                }
            }
            case BOOL -> {
                if (!(value instanceof Boolean)) {
                    problem(v, "'" + key + "' must be true or false");
                }
            }
        }
    }

    private static boolean containsTemplate(Object value) {
        if (value instanceof String s) {
            return s.contains("{value}");
        }
        if (value instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(ProfileParser::containsTemplate);
        }
        if (value instanceof List<?> l) {
            return l.stream().anyMatch(ProfileParser::containsTemplate);
        }
        return false;
    }

    // --- node helpers ---

    /**
     * The keys of a mapping node, reporting a non-mapping, duplicate keys and (when {@code known} is
     * given) unknown keys with a suggestion.
     */
    private Map<String, NodeTuple> mapping(Node node, String where, Set<String> known) {
        if (!(node instanceof MappingNode m)) {
            problem(node, "expected a map for " + where + ", found " + describe(node));
            return null;
        }
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : tuples(m)) {
            String key = text(t.getKeyNode());
            if (out.containsKey(key)) {
                problem(t.getKeyNode(), "duplicate key '" + key + "' (first at line " + line(out.get(key).getKeyNode()) + ")");
                continue;
            }
            if (known != null && !known.contains(key)) {
                String msg = "unknown key '" + key + "' in " + where;
                msg += DidYouMean.suggest(key, known).map(s -> "; did you mean '" + s + "'?").orElse("");
                problem(t.getKeyNode(), msg);
                continue;
            }
            out.put(key, t);
        }
        return out;
    }

    private static Map<String, NodeTuple> keysOf(Node node) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        if (node instanceof MappingNode m) {
            for (NodeTuple t : tuples(m)) {
                out.putIfAbsent(text(t.getKeyNode()), t);
            }
        }
        return out;
    }

    /**
     * A mapping's entries with YAML merge keys ({@code <<: *base}) expanded, as admins use anchors
     * to share settings between profiles: keys written in the mapping win over merged ones, and
     * earlier merged mappings win over later ones (YAML's merge rule).
     */
    static List<NodeTuple> tuples(MappingNode m) {
        List<NodeTuple> own = new ArrayList<>();
        List<NodeTuple> merged = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && Tag.MERGE.equals(k.getTag())) {
                Node v = t.getValueNode();
                List<Node> sources = v instanceof SequenceNode seq ? seq.getValue() : List.of(v);
                for (Node src : sources) {
                    if (src instanceof MappingNode sm) {
                        merged.addAll(tuples(sm));
                    }
                }
            } else {
                own.add(t);
            }
        }
        if (merged.isEmpty()) {
            return own;
        }
        Set<String> seen = new java.util.HashSet<>();
        own.forEach(t -> seen.add(text(t.getKeyNode())));
        List<NodeTuple> out = new ArrayList<>(own);
        for (NodeTuple t : merged) {
            if (seen.add(text(t.getKeyNode()))) {
                out.add(t);
            }
        }
        return out;
    }

    private String string(Map<String, NodeTuple> k, String key, Node owner, boolean required) {
        NodeTuple t = k.get(key);
        if (t == null) {
            if (required) {
                problem(owner, "missing required key '" + key + "'");
            }
            return null;
        }
        return scalar(t.getValueNode(), "'" + key + "'");
    }

    private String scalar(Node v, String what) {
        if (v instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) {
            return s.getValue();
        }
        problem(v, what + " must be a single value, found " + describe(v));
        return null;
    }

    private boolean bool(Map<String, NodeTuple> k, String key, boolean fallback) {
        NodeTuple t = k.get(key);
        if (t == null) {
            return fallback;
        }
        Object v = value(t.getValueNode());
        if (v instanceof Boolean b) {
            return b;
        }
        problem(t.getValueNode(), "'" + key + "' must be true or false, not '" + text(t.getValueNode()) + "'");
        return fallback;
    }

    /** A node as plain Java values (String, Long, Double, Boolean, null, LinkedHashMap, ArrayList). */
    static Object value(Node node) {
        if (node instanceof ScalarNode s) {
            Tag tag = s.getTag();
            String v = s.getValue();
            try {
                if (Tag.NULL.equals(tag)) {
                    return null;
                }
                if (Tag.BOOL.equals(tag)) {
                    return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
                }
                if (Tag.INT.equals(tag)) {
                    return Long.decode(v.replace("_", ""));
                }
                if (Tag.FLOAT.equals(tag)) {
                    return Double.valueOf(v.replace("_", ""));
                }
            } catch (NumberFormatException e) {
                return v;
            }
            return v;
        }
        if (node instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            seq.getValue().forEach(n -> out.add(value(n)));
            return out;
        }
        if (node instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            tuples(m).forEach(t -> out.put(text(t.getKeyNode()), value(t.getValueNode())));
            return out;
        }
        return null;
    }

    private static String text(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : describe(n);
    }

    private static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a map";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        if (n instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
            return "nothing";
        }
        return n instanceof ScalarNode s ? "'" + s.getValue() + "'" : "something else";
    }

    private static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    private void problem(Node n, String reason) {
        Mark m = n.getStartMark();
        problems.add(new ProfileProblem(file, m.getLine() + 1, m.getColumn() + 1, reason));
    }

    private static String orElse(String v, String fallback) {
        return v == null ? fallback : v;
    }

    /** KubeSpawner derives a missing slug from the display name; so do we. */
    static String slugify(String displayName) {
        String s = displayName.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "profile" : s;
    }
}
