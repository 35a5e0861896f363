package io.ganymede.hub.web;

import io.ganymede.hub.fairuse.Admission;
import io.ganymede.hub.profiles.Choice;
import io.ganymede.hub.profiles.Profile;
import io.ganymede.hub.profiles.ProfileCatalog;
import io.ganymede.hub.profiles.ProfileOption;
import io.ganymede.hub.profiles.ResolvedProfile;
import io.ganymede.hub.profiles.StorageSpec;
import io.ganymede.hub.spawner.ProfileCapacity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The spawn page's profile cards, and the way back from its form to user options. Field names are
 * KubeSpawner's ({@code profile}, {@code profile-option-<slug>--<option>}, and {@code ...--unlisted-choice}
 * for free text), so links that pre-select a profile for KubeSpawner work here too.
 */
@ApplicationScoped
public class ProfileCards {

    static final String UNLISTED = "unlisted_choice";
    static final String UNLISTED_SUFFIX = "--unlisted-choice";

    public record Card(String slug, String displayName, String description, boolean checked, String app, String image,
            String cpu, String memory, String gpu, String storage, String capacity, boolean fits, List<String> quota,
            List<Field> options) {}

    public record Field(String id, String name, String label, List<Opt> choices, Unlisted unlisted) {}

    public record Opt(String value, String label, boolean selected) {}

    public record Unlisted(String id, String name, String label, String pattern, String message, String value) {}

    private final ProfileCatalog catalog;
    private final ProfileCapacity capacity;
    private final Admission admission;

    ProfileCards(ProfileCatalog catalog, ProfileCapacity capacity, Admission admission) {
        this.catalog = catalog;
        this.capacity = capacity;
        this.admission = admission;
    }

    public boolean capacityAvailable() {
        return capacity.available();
    }

    /**
     * Cards for the profiles a user may pick, with {@code selected} (user options: what the query
     * asks for, else what the user chose last) pre-selected.
     */
    public List<Card> cards(String user, Set<String> groups, boolean admin, Map<String, Object> selected) {
        List<ResolvedProfile> resolved = catalog.withDefaults(groups, admin);
        List<Profile> profiles = resolved.stream().map(ResolvedProfile::profile).toList();
        Map<String, ProfileCapacity.Line> lines = capacity.available() ? capacity.of(resolved, admission.heldFrom(user)) : Map.of();
        // Each profile's quota state next to its capacity: GPU lines only for GPU profiles.
        List<String> cpuQuota = admission.quotaState(user, 0);
        List<String> gpuQuota = resolved.stream().anyMatch(r -> r.gpuCount() > 0) ? admission.quotaState(user, 1) : List.of();
        Object want = selected.get("profile");
        String checkedSlug = profiles.stream().anyMatch(p -> p.slug().equals(want)) ? String.valueOf(want)
                : profiles.stream().filter(Profile::isDefault).findFirst().or(() -> profiles.stream().findFirst())
                        .map(Profile::slug).orElse(null);
        List<Card> cards = new ArrayList<>();
        for (int i = 0; i < profiles.size(); i++) {
            Profile p = profiles.get(i);
            Map<String, Object> spec = resolved.get(i).spec();
            boolean checked = p.slug().equals(checkedSlug);
            ProfileCapacity.Line line = lines.get(p.slug());
            int gpus = resolved.get(i).gpuCount();
            String gpu = p.gpuType() == null ? null : Math.max(1, gpus) + " × " + ProfileCapacity.gpuName(p.gpuType());
            cards.add(new Card(p.slug(), p.displayName(), p.description(), checked, appName(p.app().id()),
                    text(spec.get("image")), cpu(spec), memory(spec), gpu, storage(p.storage()),
                    line == null ? null : line.text(), line == null || line.fits(), gpus > 0 ? gpuQuota : cpuQuota,
                    fields(i, p, checked ? selected : Map.of())));
        }
        return cards;
    }

    private static List<Field> fields(int card, Profile p, Map<String, Object> selected) {
        List<Field> fields = new ArrayList<>();
        for (int j = 0; j < p.options().size(); j++) {
            ProfileOption o = p.options().get(j);
            String name = fieldName(p.slug(), o.name());
            Object picked = selected.get(o.name());
            Object typed = selected.get(o.name() + UNLISTED_SUFFIX);
            boolean other = o.unlistedEnabled() && typed != null && !String.valueOf(typed).isEmpty()
                    && (picked == null || UNLISTED.equals(picked));
            String current = other ? UNLISTED
                    : o.choice(String.valueOf(picked)).map(Choice::name).orElse(o.defaultChoice().map(Choice::name).orElse(null));
            List<Opt> opts = new ArrayList<>();
            for (Choice c : o.choices()) {
                opts.add(new Opt(c.name(), c.displayName(), c.name().equals(current)));
            }
            Unlisted unlisted = null;
            if (o.unlistedEnabled()) {
                var u = o.unlistedChoice();
                unlisted = new Unlisted("opt-" + card + "-" + j + "-other", name + UNLISTED_SUFFIX,
                        u.displayName() == null ? "Other" : u.displayName(),
                        u.validationRegex() == null ? null : u.validationRegex().pattern(), u.validationMessage(),
                        other ? String.valueOf(typed) : "");
                if (current == null) {
                    current = UNLISTED;
                }
                opts.add(new Opt(UNLISTED, "Other…", UNLISTED.equals(current)));
            }
            fields.add(new Field("opt-" + card + "-" + j, name, o.displayName() == null ? o.name() : o.displayName(), opts, unlisted));
        }
        return fields;
    }

    static String fieldName(String slug, String option) {
        return "profile-option-" + slug + "--" + option;
    }

    /**
     * User options from the spawn form or a pre-selecting query: {@code {"profile": slug, "<option>":
     * choice, "<option>--unlisted-choice": text}} for the chosen profile only. The API's short form
     * ({@code ?profile=gpu&image=pyspark}) is understood too.
     */
    public Map<String, Object> options(MultivaluedMap<String, String> form) {
        Map<String, Object> options = new LinkedHashMap<>();
        String slug = form.getFirst("profile");
        if (slug == null || slug.isEmpty()) {
            return options;
        }
        options.put("profile", slug);
        catalog.current().bySlug(slug).ifPresent(p -> {
            for (ProfileOption o : p.options()) {
                String prefix = fieldName(slug, o.name());
                String choice = first(form, prefix, o.name());
                String typed = first(form, prefix + UNLISTED_SUFFIX, o.name() + UNLISTED_SUFFIX);
                if (UNLISTED.equals(choice) || (choice == null && typed != null)) {
                    if (typed != null) {
                        options.put(o.name(), UNLISTED);
                        options.put(o.name() + UNLISTED_SUFFIX, typed.strip());
                    }
                } else if (choice != null && !choice.isEmpty()) {
                    options.put(o.name(), choice);
                }
            }
        });
        return options;
    }

    private static String first(MultivaluedMap<String, String> form, String... keys) {
        for (String key : keys) {
            String v = form.getFirst(key);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** A profile's display name for a slug, or the slug when the profile is gone. */
    public String displayName(Object slug) {
        if (slug == null) {
            return null;
        }
        return catalog.current().bySlug(String.valueOf(slug)).map(Profile::displayName).orElse(String.valueOf(slug));
    }

    private static String appName(String id) {
        return switch (id) {
            case "jupyterlab" -> "JupyterLab";
            case "rstudio" -> "RStudio";
            case "code-server" -> "code-server (VS Code)";
            default -> id;
        };
    }

    private static String storage(StorageSpec s) {
        String size = s.size() == null ? "" : " (" + s.size() + ")";
        return switch (s.kind()) {
            case NONE -> "none: files are lost when the server stops";
            case PD -> "your own persistent disk" + size;
            case FILESTORE -> (s.shared() ? "shared Filestore, your own folder" : "your own Filestore share") + size;
            case GCSFUSE -> "Cloud Storage bucket" + (s.bucket() == null ? "" : " " + s.bucket());
        };
    }

    private static String cpu(Map<String, Object> spec) {
        String limit = text(spec.get("cpu_limit"));
        String guarantee = text(spec.get("cpu_guarantee"));
        if (limit == null && guarantee == null) {
            return null;
        }
        if (limit == null) {
            return guarantee + " guaranteed";
        }
        return "up to " + limit + (guarantee == null ? "" : ", " + guarantee + " guaranteed");
    }

    private static String memory(Map<String, Object> spec) {
        String limit = text(spec.get("mem_limit"));
        String guarantee = text(spec.get("mem_guarantee"));
        if (limit == null && guarantee == null) {
            return null;
        }
        if (limit == null) {
            return guarantee + " guaranteed";
        }
        return "up to " + limit + (guarantee == null ? "" : ", " + guarantee + " guaranteed");
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
