#!/usr/bin/env bash
# Culler pass: one built-in culler pass over N (default 10000) running servers, IDLE (default
# 0.01) of them idle, against a fake configurable-http-proxy API and the local spawner with no
# processes behind the records, while 4 clients call the hub API. Prints pass durations and the
# API's latency during the passes (also left in hub/target/culler-bench.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-10000}"
IDLE="${2:-0.01}"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
mvn -B -o -q -pl hub test -Dculler-bench="$N" -Dculler-bench.idle="$IDLE" \
  -Dtest='io.ganymede.hub.culler.CullerPassBench' -Dsurefire.failIfNoSpecifiedTests=false
cat hub/target/culler-bench.txt
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
