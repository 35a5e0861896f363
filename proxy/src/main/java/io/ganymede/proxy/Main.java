package io.ganymede.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;

/** The standalone proxy, started with configurable-http-proxy's command line. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Before Vert.x loads: an embedding JVM may have turned WebSocket upgrades off globally.
        System.setProperty("vertx.disableWebsockets", "false");
        // Per-dispatch costs that a standalone proxy does without (flags given on the command line
        // win): Vert.x timing every handler for its blocked-thread warnings, Netty sampling buffers
        // for leak reports.
        defaultProperty("vertx.disableContextTimings", "true");
        defaultProperty("io.netty.leakDetection.level", "disabled");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        CommandLine cli;
        try {
            cli = CommandLine.parse(args, System.getenv("CONFIGPROXY_AUTH_TOKEN"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().equals("help") ? CommandLine.USAGE : "ganymede-proxy: " + e.getMessage()
                    + "\n" + CommandLine.USAGE);
            System.exit(e.getMessage().equals("help") ? 0 : 2);
            return;
        }
        setLogLevel(cli.logLevel());
        System.Logger log = System.getLogger(Main.class.getName());
        cli.warnings().forEach(w -> log.log(Level.WARNING, w));
        ProxyOptions options = cli.options();
        if (options.authToken() == null || options.authToken().isEmpty()) {
            log.log(Level.WARNING, "CONFIGPROXY_AUTH_TOKEN is not set: the REST API accepts anyone who reaches it");
        }
        if (cli.pidFile() != null) {
            Files.writeString(Path.of(cli.pidFile()), ProcessHandle.current().pid() + "\n");
        }
        int loops = options.eventLoops() > 0 ? options.eventLoops() : Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2).setDisableTCCL(true));
        ProxyServer server;
        try {
            server = ProxyServer.start(vertx, options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.log(Level.ERROR, "could not start: " + (e.getCause() == null ? e : e.getCause()).getMessage());
            vertx.close();
            System.exit(1);
            return;
        }
        log.log(Level.INFO, "Proxying http://{0}:{1} (default target {2}); REST API at http://{3}:{4}/api/routes; {5}",
                options.ip(), String.valueOf(server.publicPort()), options.defaultTarget(), options.apiIp(),
                String.valueOf(server.apiPort()), vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
            if (cli.pidFile() != null) {
                try {
                    Files.deleteIfExists(Path.of(cli.pidFile()));
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }, "ganymede-proxy-shutdown"));
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    private static void setLogLevel(String name) {
        java.util.logging.Level level = switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "debug", "trace" -> java.util.logging.Level.FINE;
            case "warn", "warning" -> java.util.logging.Level.WARNING;
            case "error" -> java.util.logging.Level.SEVERE;
            default -> java.util.logging.Level.INFO;
        };
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        root.setLevel(level);
        for (java.util.logging.Handler handler : root.getHandlers()) {
            handler.setLevel(level);
        }
    }
}
