package io.ganymede.hub.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The arguments of a command of the hub's jar: {@code --name value} options and {@code --flag}
 * switches, nothing positional.
 *
 * @param options the options given, by name ({@code --from})
 * @param flags the switches given
 */
public record CommandArgs(Map<String, String> options, Set<String> flags) {

    /** Why arguments were refused, for the command's error output. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * @param valued options that take a value
     * @param switches flags without one
     * @param required options that must be given
     */
    public static CommandArgs parse(List<String> args, Set<String> valued, Set<String> switches, Set<String> required)
            throws Refused {
        Map<String, String> options = new LinkedHashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (switches.contains(arg)) {
                flags.add(arg);
            } else if (valued.contains(arg) && i + 1 < args.size()) {
                options.put(arg, args.get(++i));
            } else {
                throw new Refused("unknown or incomplete argument: " + arg);
            }
        }
        for (String option : required) {
            if (!options.containsKey(option)) {
                throw new Refused("missing " + option);
            }
        }
        return new CommandArgs(Map.copyOf(options), Set.copyOf(flags));
    }

    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }
}
