"""Prints the side-by-side results (one JSON line per system and N) as the tables of BENCHMARKS.md,
with Ganymede's ratios against JupyterHub + KubeSpawner where both ran the same N."""
import json
import sys


def fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
print("| system | N | load at end | all ready (s) | spawns/s | failed | 429s | pod created → scheduled p50 / p90 (s) "
      "| GET user p50 / p99 / max (ms) | API requests per spawn | hub CPU s | hub RSS end / peak (MiB) "
      "| idle API requests/min | all stopped (s) | API requests per stop | errors |")
print("|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---|---:|---:|---:|---:|")
for r in rows:
    s, i, t = r.get("storm", {}), r.get("idle", {}), r.get("stop", {})
    lat = s.get("user_get_ms", {})
    sched = s.get("pods", {}).get("created_to_scheduled_s", {})
    print(f"| {r['system']} | {r['n']} | {fmt(r.get('load_average_1m_at_storm_end'))} | {fmt(s.get('all_ready_s'))} "
          f"| {fmt(s.get('spawns_per_s'), 2)} | {fmt(s.get('failed'))} "
          f"| {fmt(s.get('refused_429'))} | {fmt(sched.get('p50'), 0)} / {fmt(sched.get('p90'), 0)} "
          f"| {fmt(lat.get('p50'))} / {fmt(lat.get('p99'))} / {fmt(lat.get('max'))} "
          f"| {fmt(s.get('apiserver_requests_per_spawn'), 2)} | {fmt(s.get('hub_cpu_s'))} "
          f"| {fmt(s.get('hub_rss_mib'), 0)} / {fmt(s.get('hub_peak_rss_mib'), 0)} | {fmt(i.get('apiserver_requests_per_min'))} "
          f"| {fmt(t.get('all_stopped_s'))} | {fmt(t.get('apiserver_requests_per_stop'), 2)} | {len(r.get('errors', []))} |")
by = {(r["system"], r["n"]): r for r in rows}
print()
print("| N | storm completion, KubeSpawner / Ganymede (goal ≥ 5×) | Ganymede GET user p99 (goal < 100 ms) "
      "| API requests per spawn, Ganymede / KubeSpawner (goal ≤ 1) | idle API requests/min, Ganymede / KubeSpawner |")
print("|---:|---:|---:|---:|---:|")
for n in sorted({r["n"] for r in rows}):
    g, j = by.get(("ganymede", n)), by.get(("jupyterhub-kubespawner", n))
    if not g or not j:
        continue
    gs, js = g.get("storm", {}), j.get("storm", {})
    ratio = (js["all_ready_s"] / gs["all_ready_s"]) if gs.get("all_ready_s") and js.get("all_ready_s") else None
    api = (gs["apiserver_requests_per_spawn"] / js["apiserver_requests_per_spawn"]) if js.get("apiserver_requests_per_spawn") else None
    idle = (g["idle"]["apiserver_requests_per_min"] / j["idle"]["apiserver_requests_per_min"]) \
        if g.get("idle") and j.get("idle") and j["idle"]["apiserver_requests_per_min"] else None
    print(f"| {n} | {fmt(ratio, 2)}× | {fmt(gs.get('user_get_ms', {}).get('p99'))} ms | {fmt(api, 2)} | {fmt(idle, 2)} |")
