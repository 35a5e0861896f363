package io.ganymede.hub.spawn;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The spawn lifecycle's settings (JupyterHub's names in brackets); comments in application.yaml. */
@ConfigMapping(prefix = "ganymede.spawner")
public interface SpawnConfig {

    /** Which spawner runs servers: {@code local} or {@code kubernetes}. */
    @WithDefault("local")
    String kind();

    /** Whole start, from request to running (start_timeout). */
    @WithDefault("120s")
    Duration startTimeout();

    /** Wait for the started server to answer HTTP (http_timeout). */
    @WithDefault("30s")
    Duration httpTimeout();

    /** How long a start or stop request waits before answering 202 (slow_spawn_timeout). */
    @WithDefault("10s")
    Duration slowTimeout();

    /** Starts in flight at once; more are refused with 429 (concurrent_spawn_limit). 0: no limit. */
    @WithDefault("100")
    int concurrentSpawnLimit();

    /** Seconds (min, max) a refused start is told to wait, picked at random (spawn_throttle_retry_range). */
    @WithDefault("30,60")
    List<Integer> spawnThrottleRetryRange();

    /** Whether a refused start's wait follows how long starts take now, within the range's maximum. */
    @WithDefault("true")
    boolean spawnThrottleAdaptive();

    /** Whether users may have named servers (allow_named_servers). */
    @WithDefault("true")
    boolean allowNamedServers();

    /** Which names a new named server may have; servers named before keep theirs either way. */
    @WithDefault("jupyterhub-6")
    ServerNameRule newServerNames();

    /** JupyterHub 6's names (safe slugs), or JupyterHub 5's (anything without '/'). */
    enum ServerNameRule { JUPYTERHUB_6, JUPYTERHUB_5 }

    /**
     * Scopes a server's OAuth tokens may carry besides access to that server (JupyterHub's
     * Spawner.oauth_client_allowed_scopes); {@code !server} and {@code !user} without a value mean
     * that server and its user.
     */
    Optional<List<String>> oauthClientAllowedScopes();

    /** Named servers per user; 0: no limit (named_server_limit_per_user). */
    @WithDefault("0")
    int namedServerLimit();

    /** How often the leader checks that recorded servers still run (poll_interval). */
    @WithDefault("30s")
    Duration pollInterval();

    /**
     * Stop servers found running that the hub has no record of (reported either way). Unset: when
     * the spawner knows they are this hub's ({@link io.ganymede.hub.spawner.Spawner#orphansAreOwn}).
     */
    Optional<Boolean> deleteOrphans();

    /** Stop every server when the hub shuts down (cleanup_servers). */
    @WithDefault("true")
    boolean cleanupOnShutdown();
}
