package io.ganymede.hub.spawner.kubernetes;

import io.ganymede.hub.profiles.AppKind;
import java.util.List;

/**
 * How each app kind is started in its container when the profile sets no {@code cmd}, and which
 * path the readiness probe asks. JupyterLab images start {@code jupyterhub-singleuser} themselves
 * from the Contract 3 environment; RStudio's image entrypoint (s6 init) needs root, so rserver is
 * started directly as the unprivileged user instead; code-server keeps its entrypoint.
 */
final class AppLaunch {

    private AppLaunch() {}

    static List<String> command(AppKind app) {
        return switch (app) {
            case JUPYTERLAB, CODE_SERVER -> null;
            case RSTUDIO -> List.of("/usr/lib/rstudio-server/bin/rserver", "--server-daemonize=0",
                    "--www-address=0.0.0.0", "--www-port=" + app.port(), "--auth-none=1",
                    "--server-user=rstudio", "--server-data-dir=/tmp/rstudio-server",
                    "--server-pid-file=/tmp/rstudio-server.pid");
        };
    }

    static List<String> args(AppKind app) {
        return switch (app) {
            case JUPYTERLAB, RSTUDIO -> null;
            case CODE_SERVER -> AppKind.codeServerArgs("0.0.0.0", app.port());
        };
    }

    /** The readiness probe's path: below the prefix for JupyterLab, at the root for stripped apps. */
    static String probePath(AppKind app, String servicePrefix) {
        return switch (app) {
            case JUPYTERLAB -> servicePrefix + app.healthPath();
            case RSTUDIO, CODE_SERVER -> "/" + app.healthPath();
        };
    }
}
