package io.ganymede.hub.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCatalogTest {

    static final String PROFILES = """
            defaults:
              image: base:1
              cpu_limit: 1
              node_selector: {pool: users, zone: a}
              environment: {A: "1", B: "2"}
            profiles:
              - display_name: Small
                slug: small
              - display_name: GPU
                slug: gpu
                default: true
                gpu: nvidia-l4
                groups: [ml]
                kubespawner_override:
                  cpu_limit: 8
                  node_selector: {zone: null, cloud.google.com/gke-accelerator: nvidia-l4}
                  environment: {B: null, C: "3"}
                  extra_resource_limits: {nvidia.com/gpu: 2}
                profile_options:
                  image:
                    display_name: Image
                    choices:
                      torch: {display_name: PyTorch, kubespawner_override: {image: torch:1}}
                      jax: {display_name: JAX, kubespawner_override: {image: jax:1, environment: {J: "x"}}}
                    unlisted_choice:
                      enabled: true
                      validation_regex: "^ghcr[.]io/"
                      validation_message: "Only images from ghcr.io"
                      kubespawner_override: {image: "{value}", environment: {CUSTOM: "{value}", LIT: "{{value}}"}}
              - display_name: Admins only
                slug: secret
                groups: [ops]
            """;

    @TempDir
    Path dir;

    ProfileCatalog catalog;

    @BeforeEach
    void load() throws Exception {
        Files.writeString(dir.resolve("profiles.yaml"), PROFILES);
        catalog = new ProfileCatalog(dir.resolve("profiles.yaml"), Clock.systemUTC());
    }

    @Test
    void groupsDecideWhoSeesWhat() {
        assertEquals(List.of("small"), slugs(catalog.visibleTo(Set.of(), false)));
        assertEquals(List.of("small", "gpu"), slugs(catalog.visibleTo(Set.of("ml"), false)));
        assertEquals(List.of("small", "gpu", "secret"), slugs(catalog.visibleTo(Set.of(), true)));
    }

    @Test
    void mergesDefaultsProfileAndChoiceInOrder() {
        ResolvedProfile r = catalog.resolve(Map.of("profile", "gpu", "image", "jax"), Set.of("ml"), false);
        assertEquals("jax:1", r.spec().get("image"));
        assertEquals(8L, r.spec().get("cpu_limit"));
        assertEquals(Map.of("pool", "users", "cloud.google.com/gke-accelerator", "nvidia-l4"), r.spec().get("node_selector"));
        assertEquals(Map.of("A", "1", "C", "3", "J", "x"), r.spec().get("environment"));
        assertEquals(Map.of("image", "jax"), r.chosen());
        assertEquals(2, r.gpuCount());
        assertEquals("nvidia-l4", r.spec().get("gpu_type"));
        assertEquals("gpu", r.spec().get("profile"));
        assertEquals("jupyterlab", r.spec().get("app"));
        assertEquals(Map.of("kind", "none", "mount_path", "/home/jovyan"), r.spec().get("storage"));
    }

    @Test
    void defaultProfileIsTheMarkedOneAmongVisible() {
        assertEquals("gpu", catalog.resolve(Map.of(), Set.of("ml"), false).slug());
        // gpu is not visible without the group: the first visible one is the default then.
        assertEquals("small", catalog.resolve(Map.of(), Set.of(), false).slug());
        // First choice is the default when none says so.
        assertEquals("torch:1", catalog.resolve(Map.of("profile", "gpu"), Set.of("ml"), false).spec().get("image"));
    }

    @Test
    void unlistedChoiceIsValidatedAndSubstituted() {
        ResolvedProfile r = catalog.resolve(
                Map.of("profile", "gpu", "image--unlisted-choice", "ghcr.io/me/img:2"), Set.of("ml"), false);
        assertEquals("ghcr.io/me/img:2", r.spec().get("image"));
        assertEquals(Map.of("A", "1", "C", "3", "CUSTOM", "ghcr.io/me/img:2", "LIT", "{value}"), r.spec().get("environment"));
        var e = assertThrows(ProfileSelectionException.class, () -> catalog.resolve(
                Map.of("profile", "gpu", "image--unlisted-choice", "docker.io/evil"), Set.of("ml"), false));
        assertEquals(400, e.status());
        assertEquals("Only images from ghcr.io", e.getMessage());
    }

    /** KubeSpawner's _load_profile and _validate_user_options, case by case. */
    @Test
    void kubeSpawnerOptionSemantics() {
        ProfileSet set = ProfileParser.parse("""
                defaults:
                  node_selector: {pool: users}
                  environment: {KEEP: "1", DROP: "2"}
                profiles:
                  - display_name: Free text only
                    slug: free
                    kubespawner_override:
                      node_selector: null
                      environment: {DROP: null}
                    profile_options:
                      image:
                        display_name: Image
                        unlisted_choice:
                          enabled: true
                          validation_regex: "[a-z]+:[0-9]+"
                          kubespawner_override:
                            image: "{value}"
                            volumes: [{name: "{value}-cache", emptyDir: {}}]
                            extra_labels: {"img-{value}": "yes"}
                  - display_name: Listed
                    slug: listed
                    profile_options:
                      size:
                        display_name: Size
                        choices:
                          s: {display_name: S, kubespawner_override: {cpu_limit: 1}}
                          m: {display_name: M, kubespawner_override: {cpu_limit: 2}}
                        unlisted_choice:
                          enabled: false
                """, "p.yaml").profiles();
        // A top-level null drops the default's whole key; a nested null drops one entry.
        ResolvedProfile free = ProfileResolver.resolve(set, Map.of("profile", "free", "image--unlisted-choice", "img:1"),
                Set.of(), false);
        assertFalse(free.spec().containsKey("node_selector"));
        assertEquals(Map.of("KEEP", "1"), free.spec().get("environment"));
        // {value} is substituted in strings, in lists and in keys (recursive_format).
        assertEquals("img:1", free.spec().get("image"));
        assertEquals(List.of(Map.of("name", "img:1-cache", "emptyDir", Map.of())), free.spec().get("volumes"));
        assertEquals(Map.of("img-img:1", "yes"), free.spec().get("extra_labels"));
        // re.match: anchored at the start only.
        assertEquals("img:1 extra", ProfileResolver.resolve(set,
                Map.of("profile", "free", "image--unlisted-choice", "img:1 extra"), Set.of(), false).spec().get("image"));
        var unanchored = assertThrows(ProfileSelectionException.class, () -> ProfileResolver.resolve(set,
                Map.of("profile", "free", "image--unlisted-choice", "Ximg:1"), Set.of(), false));
        assertEquals("Invalid value for Image: Ximg:1 does not match [a-z]+:[0-9]+", unanchored.getMessage());
        // Only free text and none given: no default can be determined.
        var none = assertThrows(ProfileSelectionException.class,
                () -> ProfileResolver.resolve(set, Map.of("profile", "free"), Set.of(), false));
        assertEquals(400, none.status());
        assertEquals("Option image of profile free needs a value (image--unlisted-choice)", none.getMessage());
        // Free text for an option whose unlisted_choice is not enabled.
        var disabled = assertThrows(ProfileSelectionException.class, () -> ProfileResolver.resolve(set,
                Map.of("profile", "listed", "size--unlisted-choice", "xl"), Set.of(), false));
        assertEquals(400, disabled.status());
        assertEquals("Option size of profile listed takes no free-text value", disabled.getMessage());
        // First choice is the default; a listed pick applies its override.
        assertEquals(1L, ProfileResolver.resolve(set, Map.of("profile", "listed"), Set.of(), false).spec().get("cpu_limit"));
        assertEquals(2L, ProfileResolver.resolve(set, Map.of("profile", "listed", "size", "m"), Set.of(), false)
                .spec().get("cpu_limit"));
    }

    @Test
    void freeTextWinsOverAListedPickAsInKubeSpawner() {
        ResolvedProfile r = catalog.resolve(Map.of("profile", "gpu", "image", "torch",
                "image--unlisted-choice", "ghcr.io/me/img:3"), Set.of("ml"), false);
        assertEquals("ghcr.io/me/img:3", r.spec().get("image"));
        assertEquals(Map.of("image", "ghcr.io/me/img:3"), r.chosen());
        // An empty free-text field counts as not given.
        assertEquals("torch:1", catalog.resolve(Map.of("profile", "gpu", "image", "torch", "image--unlisted-choice", ""),
                Set.of("ml"), false).spec().get("image"));
    }

    @Test
    void selectionErrorsCarryTheirStatus() {
        var unknown = assertThrows(ProfileSelectionException.class,
                () -> catalog.resolve(Map.of("profile", "nope"), Set.of("ml"), false));
        assertEquals(400, unknown.status());
        assertEquals("No such profile: nope. Options include: small, gpu", unknown.getMessage());
        var choice = assertThrows(ProfileSelectionException.class,
                () -> catalog.resolve(Map.of("profile", "gpu", "image", "tf"), Set.of("ml"), false));
        assertEquals(400, choice.status());
        assertEquals("No such choice tf for option image of profile gpu. Choices: torch, jax", choice.getMessage());
        var forbidden = assertThrows(ProfileSelectionException.class,
                () -> catalog.resolve(Map.of("profile", "gpu"), Set.of("other"), false));
        assertEquals(403, forbidden.status());
        assertEquals("gpu", catalog.resolve(Map.of("profile", "gpu"), Set.of(), true).slug());
    }

    @Test
    void noFileMeansOneBuiltInProfile() {
        ProfileCatalog empty = new ProfileCatalog(dir.resolve("missing.yaml"), Clock.systemUTC());
        assertTrue(empty.status().builtIn());
        ResolvedProfile r = empty.resolve(Map.of(), Set.of(), false);
        assertEquals("default", r.slug());
        assertEquals(Map.of("profile", "default", "app", "jupyterlab",
                "storage", Map.of("kind", "none", "mount_path", "/home/jovyan"), "cull", Map.of()), r.spec());
    }

    @Test
    void refusedVersionKeepsTheLastGoodOne() throws Exception {
        var before = catalog.status();
        Files.writeString(dir.resolve("profiles.yaml"), "profiles:\n  - display_name: X\n    override: {mem_limit: 4GG}\n");
        assertEquals(ProfileCatalog.ReloadOutcome.REFUSED, catalog.reload());
        var after = catalog.status();
        assertEquals(before.profiles(), after.profiles());
        assertEquals(before.lastGoodLoad(), after.lastGoodLoad());
        assertEquals(List.of(dir.resolve("profiles.yaml") + ":3:27: bad quantity '4GG' for mem_limit: expected bytes like 512M, 4G or 4Gi"),
                after.lastRefusedErrors());
        assertFalse(after.builtIn());
        assertEquals(ProfileCatalog.ReloadOutcome.UNCHANGED, catalog.reload());
        Map<String, Object> view = after.toView();
        assertEquals(after.lastRefusedErrors(), view.get("last_refused_errors"));
        assertEquals(List.of("small", "gpu", "secret"),
                ((List<?>) view.get("profiles")).stream().map(p -> ((Map<?, ?>) p).get("slug")).toList());
    }

    private static List<String> slugs(List<Profile> ps) {
        return ps.stream().map(Profile::slug).toList();
    }
}
