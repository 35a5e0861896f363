package io.ganymede.hub;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** The hub's entry point ({@code java -XX:SharedArchiveFile=hub/target/app-cds.jsa -jar hub/target/ganymede-hub-runner.jar}, see README.md). */
@QuarkusMain
public class GanymedeHub {

    public static void main(String... args) {
        if (HubCommands.isCommand(args)) {
            // Quarkus' log manager, as when serving: Flyway's logging would otherwise find the JDK's first.
            System.getProperties().putIfAbsent("java.util.logging.manager", "org.jboss.logmanager.LogManager");
            System.exit(HubCommands.run(args));
        }
        // Quarkus turns WebSockets off JVM-wide when it has no WebSocket extension, unless the
        // property is already set; the embedded proxy must pass WebSocket upgrades through.
        System.getProperties().putIfAbsent("vertx.disableWebsockets", "false");
        Quarkus.run(args);
    }
}
