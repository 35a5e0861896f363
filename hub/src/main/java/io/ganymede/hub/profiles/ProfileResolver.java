package io.ganymede.hub.profiles;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a user's options into a {@link ResolvedProfile}, KubeSpawner's way: the profile by slug (or
 * the default), then per option the {@code <option>--unlisted-choice} free text when given, else the
 * listed choice, else the option's default; overrides merged defaults, profile, options in order.
 */
final class ProfileResolver {

    static final String UNLISTED_SUFFIX = "--unlisted-choice";

    private ProfileResolver() {}

    static ResolvedProfile resolve(ProfileSet set, Map<String, Object> userOptions, Set<String> groups, boolean admin) {
        Map<String, Object> options = userOptions == null ? Map.of() : userOptions;
        List<Profile> visible = set.profiles().stream().filter(p -> p.allows(groups, admin)).toList();
        Profile profile;
        Object slug = options.get("profile");
        if (slug == null || String.valueOf(slug).isEmpty()) {
            // The default among the profiles this user may use: marked default, else the first.
            profile = visible.stream().filter(Profile::isDefault).findFirst()
                    .or(() -> visible.stream().findFirst())
                    .orElseThrow(() -> ProfileSelectionException.forbidden("No profile is available to you"));
        } else {
            profile = set.bySlug(String.valueOf(slug)).orElseThrow(() -> ProfileSelectionException.badRequest(
                    "No such profile: " + slug + ". Options include: "
                            + visible.stream().map(Profile::slug).collect(Collectors.joining(", "))));
            if (!profile.allows(groups, admin)) {
                throw ProfileSelectionException.forbidden("Profile " + slug + " is not available to you");
            }
        }

        Map<String, Object> spec = Overrides.merge(set.defaults(), profile.override());
        Map<String, String> chosen = new LinkedHashMap<>();
        for (ProfileOption option : profile.options()) {
            Object unlisted = options.get(option.name() + UNLISTED_SUFFIX);
            Object picked = options.get(option.name());
            // As KubeSpawner's _load_profile: a free-text value, when given, wins over a listed pick.
            if (unlisted != null && !String.valueOf(unlisted).isEmpty()) {
                String value = String.valueOf(unlisted);
                UnlistedChoice u = option.unlistedChoice();
                if (!option.unlistedEnabled()) {
                    throw ProfileSelectionException.badRequest(
                            "Option " + option.name() + " of profile " + profile.slug() + " takes no free-text value");
                }
                if (u.validationRegex() != null && !u.validationRegex().matcher(value).lookingAt()) {
                    throw ProfileSelectionException.badRequest(u.validationMessage() != null ? u.validationMessage()
                            : "Invalid value for " + option.displayName() + ": " + value
                                    + " does not match " + u.validationRegex().pattern());
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> o = (Map<String, Object>) Overrides.format(u.override(), value);
                spec = Overrides.merge(spec, o);
                chosen.put(option.name(), value);
                continue;
            }
            Choice choice;
            if (picked == null || String.valueOf(picked).isEmpty()) {
                choice = option.defaultChoice().orElse(null);
                if (choice == null) {
                    throw ProfileSelectionException.badRequest("Option " + option.name() + " of profile "
                            + profile.slug() + " needs a value (" + option.name() + UNLISTED_SUFFIX + ")");
                }
            } else {
                choice = option.choice(String.valueOf(picked)).orElseThrow(() -> ProfileSelectionException.badRequest(
                        "No such choice " + picked + " for option " + option.name() + " of profile " + profile.slug()
                                + ". Choices: " + option.choices().stream().map(Choice::name)
                                        .collect(Collectors.joining(", "))));
            }
            spec = Overrides.merge(spec, choice.override());
            chosen.put(option.name(), choice.name());
        }
        // Ganymede's own keys travel with the spec so a spawner (and an adopted server after a
        // restart) needs nothing but SpawnRequest.spec.
        spec.put("profile", profile.slug());
        spec.put("app", profile.app().id());
        spec.put("storage", profile.storage().toMap());
        spec.put("cull", profile.cull().toMap());
        if (profile.gpuType() != null) {
            spec.put("gpu_type", profile.gpuType());
        }
        return new ResolvedProfile(profile, chosen, spec);
    }
}
