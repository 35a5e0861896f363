-- Managed team apps: a service whose pod the hub starts on the first visit to /services/<name>/
-- and stops when idle. One row per such service, its current run and who used it last; the
-- app's definition itself is configuration (ganymede.services.<name>.app). Portable SQL (H2 and
-- PostgreSQL).

CREATE TABLE service_apps (
    service_id     BIGINT PRIMARY KEY REFERENCES services (id) ON DELETE CASCADE,
    -- stopped, starting, running or stopping
    state          VARCHAR(16) NOT NULL DEFAULT 'stopped',
    -- Where the running app listens (the pod's address and port); null unless running.
    url            VARCHAR(2048),
    -- The pod (or local process) that runs it, for the spawner to find it again after a restart.
    pod_name       VARCHAR(255),
    started_at     TIMESTAMP WITH TIME ZONE,
    -- Last request through the proxy; the idle stop counts from here.
    last_activity  TIMESTAMP WITH TIME ZONE,
    -- Who opened it last (a user's name, or service:<name> for a service's token), and when.
    last_user      VARCHAR(255),
    last_used_at   TIMESTAMP WITH TIME ZONE,
    -- Why the last run ended: idle, admin, failure or shutdown; and the message of a failure.
    stop_reason    VARCHAR(16),
    message        VARCHAR(2048)
);
