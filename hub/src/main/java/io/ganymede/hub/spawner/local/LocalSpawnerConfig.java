package io.ganymede.hub.spawner.local;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the local-process spawner; defaults and comments live in application.yaml. */
@ConfigMapping(prefix = "ganymede.spawner.local")
public interface LocalSpawnerConfig {

    /** The single-user command and its fixed arguments. */
    @WithDefault("jupyterhub-singleuser")
    List<String> cmd();

    /** The command of servers whose profile has {@code app: code-server}, before its listening arguments. */
    @WithDefault("code-server")
    List<String> codeServerCmd();

    /** Extra arguments, after the command. */
    Optional<List<String>> args();

    /** Folder under which each server gets its working directory and log. */
    @WithDefault("data/servers")
    String root();

    /** Environment variables of the hub passed on to servers. */
    @WithDefault("PATH,LANG,LC_ALL,PYTHONPATH,VIRTUAL_ENV,CONDA_ROOT,CONDA_DEFAULT_ENV,JUPYTERHUB_SINGLEUSER_APP")
    List<String> envKeep();

    /** How long a stopped server may take to exit after SIGTERM before it is killed. */
    @WithDefault("10s")
    Duration stopGrace();
}
