package io.ganymede.hub.profiles;

import java.util.List;
import java.util.Optional;

/** A profile option ({@code profile_options.<name>}): listed choices and maybe free text. */
public record ProfileOption(String name, String displayName, List<Choice> choices, UnlistedChoice unlistedChoice) {

    public ProfileOption {
        choices = List.copyOf(choices);
    }

    public Optional<Choice> choice(String choiceName) {
        return choices.stream().filter(c -> c.name().equals(choiceName)).findFirst();
    }

    /** The choice marked default, else the first one (KubeSpawner's rule). */
    public Optional<Choice> defaultChoice() {
        return choices.stream().filter(Choice::isDefault).findFirst().or(() -> choices.stream().findFirst());
    }

    public boolean unlistedEnabled() {
        return unlistedChoice != null && unlistedChoice.enabled();
    }
}
