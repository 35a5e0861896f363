package io.ganymede.hub;

import io.ganymede.hub.importer.ImportCommand;
import io.ganymede.hub.z2jh.TranslateCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The hub jar's commands besides serving ({@code java -jar ganymede-hub-runner.jar <command> ...}):
 * one-off tools that run without starting the hub.
 */
final class HubCommands {

    private static final Map<String, BiFunction<List<String>, Map<String, String>, Integer>> COMMANDS = Map.of(
            "import-jupyterhub", (args, env) -> ImportCommand.run(args, env, System.out, System.err),
            "translate-z2jh", (args, env) -> TranslateCommand.run(args, System.out, System.err));

    private HubCommands() {}

    static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.containsKey(args[0]);
    }

    /** Runs the command {@code args[0]}; returns its exit status. */
    static int run(String[] args) {
        return COMMANDS.get(args[0]).apply(Arrays.asList(args).subList(1, args.length), System.getenv());
    }
}
