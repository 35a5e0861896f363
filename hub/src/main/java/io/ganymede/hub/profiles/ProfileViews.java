package io.ganymede.hub.profiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Profiles as JSON-able maps for {@code GET /hub/api/profiles} and the spawn page: KubeSpawner's
 * profile_list shape (so existing spawn forms can render it) plus Ganymede's keys. Overrides are
 * left out: they name images and node pools, which users need not see.
 */
public final class ProfileViews {

    private ProfileViews() {}

    public static List<Map<String, Object>> of(List<Profile> profiles) {
        return profiles.stream().map(ProfileViews::of).toList();
    }

    public static Map<String, Object> of(Profile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slug", p.slug());
        m.put("display_name", p.displayName());
        m.put("description", p.description());
        m.put("default", p.isDefault());
        m.put("app", p.app().id());
        m.put("storage", p.storage().kind().id());
        if (p.gpuType() != null) {
            m.put("gpu", p.gpuType());
        }
        if (!p.groups().isEmpty()) {
            m.put("groups", new ArrayList<>(p.groups()));
        }
        m.put("cull", p.cull().toMap());
        Map<String, Object> options = new LinkedHashMap<>();
        for (ProfileOption o : p.options()) {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("display_name", o.displayName());
            Map<String, Object> choices = new LinkedHashMap<>();
            String def = o.defaultChoice().map(Choice::name).orElse(null);
            for (Choice c : o.choices()) {
                choices.put(c.name(), Map.of("display_name", c.displayName(), "default", c.name().equals(def)));
            }
            om.put("choices", choices);
            if (o.unlistedEnabled()) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("enabled", true);
                u.put("display_name", o.unlistedChoice().displayName());
                if (o.unlistedChoice().validationRegex() != null) {
                    u.put("validation_regex", o.unlistedChoice().validationRegex().pattern());
                }
                if (o.unlistedChoice().validationMessage() != null) {
                    u.put("validation_message", o.unlistedChoice().validationMessage());
                }
                om.put("unlisted_choice", u);
            }
            options.put(o.name(), om);
        }
        m.put("profile_options", options);
        return m;
    }
}
