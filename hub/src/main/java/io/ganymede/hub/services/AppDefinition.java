package io.ganymede.hub.services;

import io.ganymede.hub.profiles.Quantities;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A managed team app, checked: what {@code ganymede.services.<name>.app} declares. The hub runs it
 * as a pod when someone allowed first opens {@code /services/<name>/} and stops it when idle.
 * Commands, arguments, environment values and the readiness path may use {@code {prefix}}
 * ({@code /services/<name>/}) and {@code {prefix_no_slash}} ({@code /services/<name>}), so an app
 * is told the path it is served under (TensorBoard's {@code --path_prefix}, MLflow's
 * {@code --static-prefix}).
 *
 * @param command the container's command, or null for the image's entrypoint (unexpanded)
 * @param args the command's arguments, or null (unexpanded)
 * @param readyPath the readiness probe's path (expanded)
 * @param bucket the GCS bucket mounted through GCSFuse, or null for no storage
 * @param groups groups whose members may open the app
 */
public record AppDefinition(String name, String image, List<String> command, List<String> args, int port,
        boolean stripPrefix, String readyPath, Map<String, String> env, String cpuGuarantee, String cpuLimit,
        String memGuarantee, String memLimit, String bucket, String mountPath, boolean readOnly,
        String mountOptions, String serviceAccount, List<String> groups, Duration idleTimeout) {

    /** GCSFuse's mount options when none are given: the bucket's folders as directories, files as the notebook user's. */
    public static final String DEFAULT_MOUNT_OPTIONS = "implicit-dirs,uid=1000,gid=100";

    /** From {@code ganymede.services.<name>.app}. */
    public static AppDefinition fromConfig(String name, ServicesConfig.App app) {
        ServicesConfig.Storage storage = app.storage().orElse(null);
        if (storage != null && !"gcsfuse".equals(storage.kind())) {
            throw new ServiceDefinition.InvalidServiceException("Service " + name + ": app.storage.kind must be gcsfuse, not "
                    + storage.kind());
        }
        String readyPath = app.readyPath().orElse(app.stripPrefix() ? "/" : "{prefix}");
        return new AppDefinition(name, app.image(), app.command().orElse(null), app.args().orElse(null), app.port(),
                app.stripPrefix(), readyPath, new LinkedHashMap<>(app.env()), app.cpuGuarantee().orElse(null),
                app.cpuLimit().orElse(null), app.memGuarantee().orElse(null), app.memLimit().orElse(null),
                storage == null ? null : storage.bucket().orElse(null), storage == null ? null : storage.mountPath(),
                storage == null || storage.readOnly(),
                storage == null ? null : storage.mountOptions().orElse(DEFAULT_MOUNT_OPTIONS),
                storage == null ? null : storage.serviceAccount().orElse(null),
                app.groups().orElse(List.of()), app.idleTimeout())
                .checked(storage != null);
    }

    /**
     * This definition, or a clear reason why it cannot run.
     *
     * @param storageDeclared whether a storage section was given (it then needs a bucket)
     */
    AppDefinition checked(boolean storageDeclared) {
        String where = "Service " + name + ": app.";
        if (image == null || image.isBlank()) {
            throw new ServiceDefinition.InvalidServiceException(where + "image is required");
        }
        if (port < 1 || port > 65535) {
            throw new ServiceDefinition.InvalidServiceException(where + "port must be 1 to 65535, not " + port);
        }
        if (command != null && command.isEmpty()) {
            throw new ServiceDefinition.InvalidServiceException(where + "command is empty: leave it out to run the image's entrypoint");
        }
        if (!expand(readyPath).startsWith("/")) {
            throw new ServiceDefinition.InvalidServiceException(where + "ready-path must start with '/': " + readyPath);
        }
        checkQuantity(where + "cpu-guarantee", cpuGuarantee, true);
        checkQuantity(where + "cpu-limit", cpuLimit, true);
        checkQuantity(where + "mem-guarantee", memGuarantee, false);
        checkQuantity(where + "mem-limit", memLimit, false);
        if (storageDeclared && (bucket == null || bucket.isBlank())) {
            throw new ServiceDefinition.InvalidServiceException(where + "storage.bucket is required for gcsfuse");
        }
        if (storageDeclared && (mountPath == null || !mountPath.startsWith("/"))) {
            throw new ServiceDefinition.InvalidServiceException(where + "storage.mount-path must be absolute: " + mountPath);
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new ServiceDefinition.InvalidServiceException(where + "idle-timeout must be positive");
        }
        for (String group : groups) {
            if (group == null || group.isBlank()) {
                throw new ServiceDefinition.InvalidServiceException(where + "groups has an empty name");
            }
        }
        return this;
    }

    private static void checkQuantity(String key, String value, boolean cpu) {
        if (value != null && !(cpu ? Quantities.isCpu(value) : Quantities.isBytes(value))) {
            throw new ServiceDefinition.InvalidServiceException(key + " is not a " + (cpu ? "CPU" : "memory")
                    + " quantity: " + value);
        }
    }

    /** The path the app is served under, {@code /services/<name>/}. */
    public String prefix() {
        return ServiceDefinition.prefix(name);
    }

    /** Replaces {@code {prefix}} and {@code {prefix_no_slash}}. */
    public String expand(String template) {
        String prefix = prefix();
        return template.replace("{prefix_no_slash}", prefix.substring(0, prefix.length() - 1)).replace("{prefix}", prefix);
    }

    /** {@link #expand} over a list; null stays null. */
    public List<String> expand(List<String> templates) {
        return templates == null ? null : templates.stream().map(this::expand).toList();
    }

    /** The route data the proxy needs beyond a service's: prefix stripping when asked. */
    public Map<String, Object> routeData() {
        return stripPrefix ? Map.of("strip_prefix", true) : Map.of();
    }
}
