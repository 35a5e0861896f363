package io.ganymede.hub.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProfileParserTest {

    /** Broken files, each with the exact problem list the admin sees. */
    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                Arguments.of("unknown override key with suggestion", """
                        profiles:
                          - display_name: Small
                            kubespawner_override:
                              mem_limt: 4G
                        """, List.of("p.yaml:4:7: unknown key 'mem_limt' in kubespawner_override; did you mean 'mem_limit'?")),
                Arguments.of("unknown profile key with suggestion", """
                        profiles:
                          - display_name: Small
                            descripton: typo
                        """, List.of("p.yaml:3:5: unknown key 'descripton' in profile; did you mean 'description'?")),
                Arguments.of("unknown top-level key, no close match", """
                        profiles:
                          - display_name: Small
                        zebra: 1
                        """, List.of("p.yaml:3:1: unknown key 'zebra' in the top level")),
                Arguments.of("bad memory quantity", """
                        profiles:
                          - display_name: Small
                            kubespawner_override:
                              mem_limit: 4GG
                        """, List.of("p.yaml:4:18: bad quantity '4GG' for mem_limit: expected bytes like 512M, 4G or 4Gi")),
                Arguments.of("bad cpu quantity", """
                        profiles:
                          - display_name: Small
                            override:
                              cpu_limit: two
                        """, List.of("p.yaml:4:18: bad quantity 'two' for cpu_limit: expected CPUs like 2, 0.5 or 500m")),
                Arguments.of("bad gpu quantity", """
                        profiles:
                          - display_name: GPU
                            override:
                              extra_resource_limits:
                                nvidia.com/gpu: one
                        """, List.of("p.yaml:5:25: bad quantity 'one' for extra_resource_limits.nvidia.com/gpu: expected a Kubernetes quantity like 1")),
                Arguments.of("duplicate slug", """
                        profiles:
                          - display_name: Small
                            slug: cpu
                          - display_name: Large
                            slug: cpu
                        """, List.of("p.yaml:5:11: duplicate slug 'cpu' (first used at line 3)")),
                Arguments.of("duplicate slug derived from display names", """
                        profiles:
                          - display_name: CPU Small
                          - display_name: cpu small
                        """, List.of("p.yaml:3:5: duplicate slug 'cpu-small' (first used at line 2)")),
                Arguments.of("unknown storage kind", """
                        profiles:
                          - display_name: Small
                            storage:
                              kind: nfs
                        """, List.of("p.yaml:4:13: unknown storage kind 'nfs'; expected one of none, pd, filestore, gcsfuse")),
                Arguments.of("storage key of another kind", """
                        profiles:
                          - display_name: Small
                            storage:
                              kind: pd
                              bucket: x
                        """, List.of("p.yaml:5:7: 'bucket' does not apply to storage kind 'pd'")),
                Arguments.of("two defaults", """
                        profiles:
                          - display_name: Small
                            default: true
                          - display_name: Large
                            default: true
                        """, List.of("p.yaml:5:5: profile 'large' is marked default too, but only the first default (line 3) is ever used: remove one")),
                Arguments.of("unknown app", """
                        profiles:
                          - display_name: Small
                            app: jupyter
                        """, List.of("p.yaml:3:10: unknown app 'jupyter'; expected one of jupyterlab, rstudio, code-server")),
                Arguments.of("missing display name and bad regex", """
                        profiles:
                          - slug: x
                            profile_options:
                              image:
                                display_name: Image
                                unlisted_choice:
                                  enabled: true
                                  validation_regex: "(unclosed"
                        """, List.of("p.yaml:2:5: missing required key 'display_name'",
                                "p.yaml:8:29: bad validation_regex: Unclosed group")),
                Arguments.of("option without choices", """
                        profiles:
                          - display_name: Small
                            profile_options:
                              image:
                                display_name: Image
                        """, List.of("p.yaml:5:9: option 'image' has no choices and no enabled unlisted_choice: users could pick nothing")),
                Arguments.of("both override spellings", """
                        profiles:
                          - display_name: Small
                            kubespawner_override: {image: a}
                            override: {image: b}
                        """, List.of("p.yaml:4:5: both 'kubespawner_override' and 'override' given: use one")),
                Arguments.of("duplicate key", """
                        profiles:
                          - display_name: Small
                            display_name: Again
                        """, List.of("p.yaml:3:5: duplicate key 'display_name' (first at line 2)")),
                Arguments.of("bad cull", """
                        profiles:
                          - display_name: Small
                            cull: {timeout: -5, maxage: 3}
                        """, List.of("p.yaml:3:21: 'timeout' must be a whole number of seconds (0 or more), not '-5'",
                                "p.yaml:3:25: unknown key 'maxage' in cull; did you mean 'max_age'?")),
                Arguments.of("root user", """
                        profiles:
                          - display_name: Small
                            override: {uid: 0}
                        """, List.of("p.yaml:3:21: 'uid' must not be 0: servers never run as root")),
                Arguments.of("profiles not a list", """
                        profiles: {}
                        """, List.of("p.yaml:1:11: 'profiles' must be a list")),
                Arguments.of("invalid YAML", """
                        profiles:
                          - display_name: "Small
                        """, List.of("p.yaml:3:1: invalid YAML: found unexpected end of stream")),
                Arguments.of("empty file", "", List.of("p.yaml:1:1: the file is empty: expected a top-level 'profiles:' list")),
                Arguments.of("two default choices in one option", """
                        profiles:
                          - display_name: Small
                            profile_options:
                              image:
                                display_name: Image
                                choices:
                                  a: {display_name: A, default: true}
                                  b: {display_name: B, default: true}
                        """, List.of("p.yaml:8:32: choice 'b' of option 'image' is marked default too, but only the first default (line 7) is ever used: remove one")),
                Arguments.of("default on an option instead of on a choice", """
                        profiles:
                          - display_name: Small
                            profile_options:
                              image:
                                display_name: Image
                                default: b
                                choices:
                                  b: {display_name: B}
                        """, List.of("p.yaml:6:9: unknown key 'default' in profile option")),
                Arguments.of("misspelt default with suggestion", """
                        profiles:
                          - display_name: Small
                            defualt: true
                        """, List.of("p.yaml:3:5: unknown key 'defualt' in profile; did you mean 'default'?")),
                Arguments.of("misspelt storage key with suggestion", """
                        profiles:
                          - display_name: Small
                            storage: {kind: pd, storage_clas: fast}
                        """, List.of("p.yaml:3:25: unknown key 'storage_clas' in storage; did you mean 'storage_class'?")),
                Arguments.of("bad storage size", """
                        profiles:
                          - display_name: Small
                            storage: {kind: pd, size: 10GB}
                        """, List.of("p.yaml:3:31: bad quantity '10GB' for size: expected a Kubernetes quantity like 10Gi")),
                Arguments.of("max_size below size", """
                        profiles:
                          - display_name: Small
                            storage: {kind: pd, size: 10Gi, max_size: 5Gi}
                        """, List.of("p.yaml:3:47: max_size 5Gi is smaller than size 10Gi")),
                Arguments.of("max_size for a bucket", """
                        profiles:
                          - display_name: Small
                            storage: {kind: gcsfuse, max_size: 5Gi}
                        """, List.of("p.yaml:3:30: 'max_size' does not apply to storage kind 'gcsfuse'")),
                Arguments.of("storage without a kind", """
                        profiles:
                          - display_name: Small
                            storage: {size: 10Gi}
                        """, List.of("p.yaml:3:14: missing required key 'kind' in storage; expected one of none, pd, filestore, gcsfuse")),
                Arguments.of("bad slug", """
                        profiles:
                          - display_name: Small
                            slug: GPU T4
                        """, List.of("p.yaml:3:11: bad slug 'GPU T4': use lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit")),
                Arguments.of("wrong types", """
                        profiles:
                          - display_name: [Small, Large]
                            default: maybe
                            groups: ml
                            cull: 3600
                            kubespawner_override:
                              tolerations: NoSchedule
                              node_selector: [pool]
                              automount_service_account_token: "yes"
                              start_timeout: 5m
                              image_pull_policy: always
                              image: {name: x}
                          - display_name: Two
                            profile_options: [image]
                        """, List.of(
                                "p.yaml:2:19: 'display_name' must be a single value, found a list",
                                "p.yaml:3:14: 'default' must be true or false, not 'maybe'",
                                "p.yaml:4:13: 'groups' must be a list of group names",
                                "p.yaml:5:11: expected a map for cull, found '3600'",
                                "p.yaml:7:20: 'tolerations' must be a list (or a map whose values are taken in key order)",
                                "p.yaml:8:22: 'node_selector' must be a map of names to strings",
                                "p.yaml:9:40: 'automount_service_account_token' must be true or false",
                                "p.yaml:10:22: 'start_timeout' must be a whole number",
                                "p.yaml:11:26: bad image_pull_policy 'always'; expected one of Always, IfNotPresent, Never",
                                "p.yaml:12:14: 'image' must be a string",
                                "p.yaml:14:22: expected a map for profile_options, found a list")),
                Arguments.of("a profile that is not a map", """
                        profiles:
                          - small
                        """, List.of("p.yaml:2:5: expected a map for profile, found 'small'")),
                Arguments.of("tab indentation", "profiles:\n\t- display_name: Small\n",
                        List.of("p.yaml:2:1: invalid YAML: found character '\\t(TAB)' that cannot start any token. "
                                + "(Do not use \\t(TAB) for indentation)")),
                Arguments.of("a colon inside a plain value", """
                        profiles:
                          - display_name: GPU: T4
                        """, List.of("p.yaml:2:22: invalid YAML: mapping values are not allowed here")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void reportsEveryProblemWithItsPlace(String name, String yaml, List<String> expected) {
        ProfileParser.Result r = ProfileParser.parse(yaml, "p.yaml");
        assertFalse(r.ok());
        assertNull(r.profiles());
        assertEquals(expected, r.problems().stream().map(ProfileProblem::toString).toList());
    }

    @Test
    void readsEveryKey() {
        ProfileParser.Result r = ProfileParser.parse("""
                defaults:
                  image: base:1
                  node_selector: {pool: users}
                profiles:
                  - display_name: GPU T4
                    slug: gpu-t4
                    description: One T4
                    app: rstudio
                    groups: [ml, admins]
                    gpu: nvidia-tesla-t4
                    cull: {timeout: 1800, max_age: 28800}
                    storage:
                      kind: filestore
                      shared: true
                      sub_path: "home/{username}"
                    kubespawner_override:
                      mem_limit: 30G
                      extra_resource_limits: {nvidia.com/gpu: "1"}
                    profile_options:
                      image:
                        display_name: Image
                        choices:
                          torch: {display_name: PyTorch, kubespawner_override: {image: torch:1}}
                          tf: {display_name: TensorFlow, default: true, override: {image: tf:1}}
                        unlisted_choice:
                          enabled: true
                          display_name: Other image
                          validation_regex: "^[a-z./-]+:[0-9]+$"
                          validation_message: Must be name:tag
                          kubespawner_override: {image: "{value}"}
                """, "p.yaml");
        assertTrue(r.ok(), r.problems().toString());
        Profile p = r.profiles().profiles().get(0);
        assertEquals(Map.of("image", "base:1", "node_selector", Map.of("pool", "users")), r.profiles().defaults());
        assertEquals("gpu-t4", p.slug());
        assertEquals(AppKind.RSTUDIO, p.app());
        assertEquals(Set.of("ml", "admins"), p.groups());
        assertEquals("nvidia-tesla-t4", p.gpuType());
        assertEquals(new CullPolicy(1800L, 28800L), p.cull());
        assertEquals(StorageKind.FILESTORE, p.storage().kind());
        assertTrue(p.storage().shared());
        assertEquals("home/{username}", p.storage().subPath());
        assertEquals("home-shared", p.storage().claimName());
        assertEquals("standard-rwx", p.storage().storageClass());
        assertEquals("30G", p.override().get("mem_limit"));
        ProfileOption o = p.options().get(0);
        assertEquals("tf", o.defaultChoice().orElseThrow().name());
        assertEquals(Map.of("image", "tf:1"), o.choice("tf").orElseThrow().override());
        assertTrue(o.unlistedEnabled());
        assertEquals("Must be name:tag", o.unlistedChoice().validationMessage());
    }

    @Test
    void anchorsAndMergeKeysShareSettings() {
        ProfileParser.Result r = ProfileParser.parse("""
                profiles:
                  - display_name: GPU T4
                    kubespawner_override: &gpu
                      cpu_limit: 8
                      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                      node_selector: {cloud.google.com/gke-accelerator: nvidia-tesla-t4}
                  - display_name: GPU L4
                    kubespawner_override:
                      <<: *gpu
                      node_selector: {cloud.google.com/gke-accelerator: nvidia-l4}
                      mem_limt: 1G
                """, "p.yaml");
        assertEquals(List.of("p.yaml:11:7: unknown key 'mem_limt' in kubespawner_override; did you mean 'mem_limit'?"),
                r.problems().stream().map(ProfileProblem::toString).toList());
        ProfileParser.Result ok = ProfileParser.parse("""
                profiles:
                  - display_name: GPU T4
                    kubespawner_override: &gpu
                      cpu_limit: 8
                      node_selector: {cloud.google.com/gke-accelerator: nvidia-tesla-t4}
                  - display_name: GPU L4
                    kubespawner_override:
                      <<: *gpu
                      node_selector: {cloud.google.com/gke-accelerator: nvidia-l4}
                """, "p.yaml");
        assertTrue(ok.ok(), ok.problems().toString());
        assertEquals(Map.of("node_selector", Map.of("cloud.google.com/gke-accelerator", "nvidia-l4"), "cpu_limit", 8L),
                ok.profiles().profiles().get(1).override());
    }

    @Test
    void theRepositoryExampleIsValid() throws Exception {
        var file = java.nio.file.Path.of("../profiles/profiles.yaml");
        ProfileParser.Result r = ProfileParser.parse(java.nio.file.Files.readString(file), file.toString());
        assertTrue(r.ok(), r.problems().toString());
        assertTrue(r.profiles().profiles().size() >= 6);
    }
}
