package io.ganymede.hub.z2jh;

import io.ganymede.hub.commands.CommandArgs;
import io.ganymede.hub.profiles.ProfileParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code translate-z2jh --values values.yaml [--profiles-out profiles.yaml] [--settings-out hub-settings.yaml] [--force]}:
 * writes Ganymede's profiles and hub settings from a z2jh values file and prints what was
 * translated and what was not, with the reason. The profiles written are checked by the hub's own
 * parser. Existing files are not overwritten without {@code --force}.
 */
public final class TranslateCommand {

    static final String USAGE = """
            usage: translate-z2jh --values <values.yaml> [--profiles-out <file>] [--settings-out <file>] [--force]
              --values        z2jh's values.yaml (the chart's values you install with)
              --profiles-out  Ganymede's profiles file to write (default profiles.yaml)
              --settings-out  hub settings to write (default hub-settings.yaml); give it to the hub with
                              QUARKUS_CONFIG_LOCATIONS
              --force         overwrite those files if they exist
            """;

    private TranslateCommand() {}

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandArgs parsed;
        try {
            parsed = CommandArgs.parse(args, Set.of("--values", "--profiles-out", "--settings-out"), Set.of("--force"),
                    Set.of("--values"));
        } catch (CommandArgs.Refused e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        Map<String, String> options = parsed.options();
        boolean force = parsed.flag("--force");
        Path profilesOut = Path.of(options.getOrDefault("--profiles-out", "profiles.yaml"));
        Path settingsOut = Path.of(options.getOrDefault("--settings-out", "hub-settings.yaml"));
        try {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(Files.readString(Path.of(options.get("--values")), StandardCharsets.UTF_8));
            if (loaded != null && !(loaded instanceof Map)) {
                err.println("translate-z2jh failed: " + options.get("--values") + " is not a map of values");
                return 1;
            }
            @SuppressWarnings("unchecked")
            Z2jhTranslator.Translation t = Z2jhTranslator.translate((Map<String, Object>) loaded);
            String profiles = "# Translated from " + options.get("--values") + " by translate-z2jh; keys in profiles/README.md.\n"
                    + dump(t.profiles());
            ProfileParser.Result checked = ProfileParser.parse(profiles, profilesOut.toString());
            if (!checked.ok()) {
                err.println("translate-z2jh failed: the translated profiles are not valid:");
                checked.problems().forEach(p -> err.println("  " + p));
                return 1;
            }
            for (Path file : List.of(profilesOut, settingsOut)) {
                if (!force && Files.exists(file)) {
                    err.println("translate-z2jh failed: " + file + " exists; name another file or add --force");
                    return 1;
                }
            }
            Files.writeString(profilesOut, profiles, StandardCharsets.UTF_8);
            Files.writeString(settingsOut, "# Hub settings translated from " + options.get("--values")
                    + " by translate-z2jh; start the hub with QUARKUS_CONFIG_LOCATIONS=" + settingsOut + "\n"
                    + (t.settings().isEmpty() ? "" : dump(t.settings())), StandardCharsets.UTF_8);
            out.println("Wrote " + profilesOut + " (" + checked.profiles().profiles().size() + " profiles) and " + settingsOut);
            out.println("Translated:");
            t.translated().forEach(l -> out.println("  " + l.key() + ": " + l.note()));
            out.println("Not translated (" + t.untranslated().size() + "):");
            t.untranslated().forEach(l -> out.println("  " + l.key() + ": " + l.note()));
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("translate-z2jh failed: " + e.getMessage());
            return 1;
        }
    }

    private static String dump(Map<String, Object> tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setDereferenceAliases(true);
        return new Yaml(options).dump(tree);
    }
}
