package io.ganymede.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JupyterHub software the flows run against: Debian's JupyterHub 3.0 from its packages, and
 * JupyterHub 5.5 (what Zero to JupyterHub 4.4 runs) and 6.1 with JupyterLab 4.6,
 * jupyterhub-idle-culler 1.4.0 and 2.0.0 and configurable-http-proxy 5.3.0, which
 * {@code src/test/peers/install.sh} installs from PyPI and npm with pinned versions, and
 * code-server from npm ({@code install-code-server.sh}). The script runs
 * at most once per JVM, and only when a test asks for one of those; when they are already
 * installed it only prints their folder.
 */
final class Peers {

    /** A first install downloads and unpacks a few hundred megabytes. */
    private static final long INSTALL_MINUTES = 15;
    private static Path folder;
    private static Path codeServer;
    private static Path jupyterHubExamples;
    private static Path tensorBoard;

    private Peers() {}

    /** A JupyterHub release: its hub, its single-user server (with its notebook UI), its Python. */
    enum JupyterHub {
        /** Debian's package: the classic notebook 6.4 behind jupyterhub-singleuser; Debian's Python. */
        V3_0("3.0", null),
        /** From {@code jupyterhub-5.5.in}: jupyter-server with JupyterLab 4.6. */
        V5_5("5.5", "jupyterhub-5.5"),
        /** From {@code jupyterhub-6.1.in}: jupyter-server with JupyterLab 4.6 and jupyter-collaboration 5.0. */
        V6_1("6.1", "jupyterhub-6.1");

        private final String version;
        private final String venv;

        JupyterHub(String version, String venv) {
            this.version = version;
            this.venv = venv;
        }

        /** The interpreter JupyterHub runs on (its scripts can be run as {@code python script}). */
        Path python() {
            return venv == null ? Path.of("/usr/bin/python3") : bin("python");
        }

        /** The {@code jupyterhub} script. */
        Path jupyterhub() {
            return venv == null ? Path.of("/usr/bin/jupyterhub") : bin("jupyterhub");
        }

        /** The {@code jupyterhub-singleuser} script. */
        Path singleUser() {
            return venv == null ? Path.of("/usr/bin/jupyterhub-singleuser") : bin("jupyterhub-singleuser");
        }

        /**
         * The page a person opens on their server: the classic notebook's file tree in 3.0,
         * JupyterLab (which has no {@code tree} page without notebook 7) in 5.5 and 6.1.
         */
        String landingPage() {
            return venv == null ? "tree" : "lab";
        }

        /**
         * A static file every open tab loads, which is not activity of the user's own: the
         * classic notebook's favicon in 3.0, jupyter-server's in 5.5 and 6.1.
         */
        String staticFile() {
            return venv == null ? "static/base/images/favicon.ico" : "static/favicons/favicon.ico";
        }

        /** Fails with how to get Debian's release when it is missing (the others install themselves). */
        JupyterHub require() {
            for (Path tool : List.of(python(), jupyterhub(), singleUser())) {
                if (!Files.isExecutable(tool)) {
                    throw new IllegalStateException(tool + " is missing"
                            + (venv == null ? ": apt-get install -y jupyterhub python3-notebook python3-ipykernel" : ""));
                }
            }
            return this;
        }

        private Path bin(String name) {
            return folder().resolve(venv).resolve("bin").resolve(name);
        }

        @Override
        public String toString() {
            return version;
        }
    }

    /** jupyterhub-idle-culler, as z2jh runs it: {@code python -m jupyterhub_idle_culler}. */
    enum IdleCuller {
        /** What z2jh 4.4 pins, installed beside JupyterHub 5.5. */
        V1_4_0("1.4.0", JupyterHub.V5_5),
        /** The newest, a traitlets application now, installed beside JupyterHub 6.1. */
        V2_0_0("2.0.0", JupyterHub.V6_1);

        private final String version;
        final JupyterHub installedWith;

        IdleCuller(String version, JupyterHub installedWith) {
            this.version = version;
            this.installedWith = installedWith;
        }

        /** The command, to which the culler's options are added. */
        List<String> command() {
            return List.of(installedWith.python().toString(), "-m", "jupyterhub_idle_culler");
        }

        @Override
        public String toString() {
            return version;
        }
    }

    /** configurable-http-proxy 5.3.0's launcher. */
    static Path configurableHttpProxy() {
        return folder().resolve("chp/node_modules/.bin/configurable-http-proxy");
    }

    /** Where {@code install.sh} put them, installing them first if needed. */
    static synchronized Path folder() {
        if (folder == null) {
            folder = install("install.sh");
        }
        return folder;
    }

    /** code-server 4.139's launcher (with the Node it needs), from {@code install-code-server.sh}. */
    static synchronized Path codeServer() {
        if (codeServer == null) {
            codeServer = install("install-code-server.sh");
        }
        return codeServer;
    }

    /**
     * JupyterHub 6.1.1's {@code examples/} folder, from its source distribution
     * ({@code install-jupyterhub-examples.sh}): the services JupyterHub ships as examples.
     */
    static synchronized Path jupyterHubExamples() {
        if (jupyterHubExamples == null) {
            jupyterHubExamples = install("install-jupyterhub-examples.sh");
        }
        return jupyterHubExamples;
    }

    /** TensorBoard 2.21.0's virtualenv ({@code install-tensorboard.sh}): its launcher is {@code bin/tensorboard}. */
    static synchronized Path tensorBoard() {
        if (tensorBoard == null) {
            tensorBoard = install("install-tensorboard.sh");
        }
        return tensorBoard;
    }

    /** Runs one of {@code src/test/peers/}'s install scripts and answers the path it printed last. */
    private static Path install(String name) {
        Path script = HubProcess.ROOT.resolve("src/test/peers").resolve(name);
        try {
            Path log = Files.createTempFile("peers-install", ".log");
            // Its progress goes to the build's output: a first install takes minutes.
            Process process = new ProcessBuilder("bash", script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                throw new IllegalStateException(script + " did not finish within " + INSTALL_MINUTES + " minutes");
            }
            List<String> out = Files.readAllLines(log);
            Files.deleteIfExists(log);
            if (process.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException(script + " failed (" + process.exitValue() + "): " + out);
            }
            Path printed = Path.of(out.get(out.size() - 1));
            if (!Files.exists(printed)) {
                throw new IllegalStateException(script + " printed no path that exists: " + out);
            }
            return printed;
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }
}
