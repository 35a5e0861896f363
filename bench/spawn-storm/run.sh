#!/usr/bin/env bash
# Spawn storm: N (default 1000) servers started at once by the kubernetes spawner against
# fabric8's CRUD mock API server on loopback. Prints the time until every pod exists, the API
# requests per spawn and the JVM's memory (also left in hub/target/spawn-storm.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000}"
mvn -B -q -pl hub -am verify -Dspawn-storm="$N" \
  -Dtest='io.ganymede.hub.spawner.kubernetes.SpawnStormBench' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dquarkus.log.level=WARN
cat hub/target/spawn-storm.txt
