"""One system's spawn storm, measured from outside: N users start their servers at once through
the hub's REST API, then the servers sit idle, then all stop at once. Prints one JSON object.

Measured: time until every server is ready (from the hub's own user list, polled every 2 s the
same way for both hubs), starts per second, the latency of GET /hub/api/users/{name} called one
at a time throughout the storm (p50, p99, max), the API server's requests during the storm per
spawn and per minute while idle (the sum of apiserver_request_total from its /metrics), the hub
process's CPU seconds and resident memory (/proc), and errors. A 429 is waited out as its
Retry-After says, as a polite client does.
"""
import argparse
import asyncio
import datetime
import json
import random
import re
import ssl
import subprocess
import time
import urllib.parse

import aiohttp


def quote(name):
    # JupyterHub's url_escape_path: quote(name, safe="@~")
    return urllib.parse.quote(name, safe="@~")


class Hub:
    def __init__(self, session, url, token):
        self.s = session
        self.url = url.rstrip("/") + "/hub/api"
        self.h = {"Authorization": "token " + token}

    async def call(self, method, path, body=None):
        async with self.s.request(method, self.url + path, headers=self.h, json=body) as r:
            text = await r.text()
            return r.status, r.headers, text


def proc_stat(pid):
    """CPU seconds (user + system) and resident and peak resident MiB of a process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    rss = hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024
    return ticks / 100.0, rss, hwm


async def apiserver_requests(session, url, token, ca):
    ctx = ssl.create_default_context(cafile=ca)
    async with session.get(url + "/metrics", headers={"Authorization": "Bearer " + token}, ssl=ctx) as r:
        text = await r.text()
    counts = {}
    for line in text.splitlines():
        if line.startswith("apiserver_request_total{"):
            labels = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}", 1)[0]))
            kind = labels.get("verb", "") + " " + labels.get("resource", "") + (
                "/" + labels["subresource"] if labels.get("subresource") else "")
            counts[kind] = counts.get(kind, 0.0) + float(line.rsplit(" ", 1)[1])
    return counts


def per_request(before, after, n):
    """What the API server served in a window, per spawn (or stop), by verb and resource, largest first."""
    diff = {k: (after.get(k, 0.0) - before.get(k, 0.0)) / n for k in after}
    return {k: round(v, 2) for k, v in sorted(diff.items(), key=lambda kv: -kv[1]) if v >= 0.05}


async def pod_timeline(session, url, token, ca, namespace):
    """Seconds from each pod's creation to its scheduling and on to its readiness, from the pods'
    own timestamps (whole seconds): where a spawn's time goes outside the hub."""
    ctx = ssl.create_default_context(cafile=ca)
    async with session.get(f"{url}/api/v1/namespaces/{namespace}/pods", headers={"Authorization": "Bearer " + token},
                           ssl=ctx) as r:
        pods = (await r.json())["items"]

    def at(text):
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    scheduled, ready = [], []
    for pod in pods:
        created = at(pod["metadata"]["creationTimestamp"])
        conditions = {c["type"]: at(c["lastTransitionTime"]) for c in pod.get("status", {}).get("conditions", [])
                      if c.get("status") == "True" and c.get("lastTransitionTime")}
        if "PodScheduled" in conditions and "Ready" in conditions:
            scheduled.append(conditions["PodScheduled"] - created)
            ready.append(conditions["Ready"] - conditions["PodScheduled"])
    return {"pods": len(scheduled),
            "created_to_scheduled_s": {"p50": percentile(scheduled, 50), "p90": percentile(scheduled, 90),
                                       "max": max(scheduled, default=None)},
            "scheduled_to_ready_s": {"p50": percentile(ready, 50), "p90": percentile(ready, 90),
                                     "max": max(ready, default=None)}}


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


async def users_state(hub, users):
    """name -> 'ready' | 'pending' | 'stopped', from the hub's user list (pages of 200)."""
    states = {}
    offset = 0
    while True:
        status, _, text = await hub.call("GET", f"/users?offset={offset}&limit=200")
        page = json.loads(text)
        items = page["items"] if isinstance(page, dict) else page
        for u in items:
            server = (u.get("servers") or {}).get("")
            if server is None:
                states[u["name"]] = "stopped"
            elif server.get("ready") and not server.get("pending"):
                states[u["name"]] = "ready"
            else:
                states[u["name"]] = "pending"
        if len(items) < 200:
            return states
        offset += 200


async def warm_up(hub, names, create, options, out):
    """A hub that has served people before the storm, as on a Monday morning: a few servers started
    and stopped first, the same way for both systems, so the storm does not measure a hub's first
    minute (a JVM still compiling, queries parsed for the first time)."""
    await asyncio.gather(*(create(u) for u in names))
    for method, path, settled in (("POST", "/server", "ready"), ("DELETE", "/server", "stopped")):
        results = await asyncio.gather(*(hub.call(method, "/users/" + quote(u) + path, options if method == "POST" else None)
                                         for u in names))
        for u, (status, _, text) in zip(names, results):
            if status not in (201, 202, 204):
                out["errors"].append(f"warm-up {method} {u}: {status} {text[:200]}")
        for _ in range(300):
            states = await users_state(hub, names)
            if all(states.get(u) == settled for u in names):
                break
            await asyncio.sleep(1)


async def main():
    a = argparse.ArgumentParser()
    a.add_argument("--hub", required=True)
    a.add_argument("--token", required=True)
    a.add_argument("--n", type=int, required=True)
    a.add_argument("--prefix", required=True)
    a.add_argument("--options", default='{"profile": "cpu-small"}')
    a.add_argument("--pid", type=int, required=True, help="the hub's process")
    a.add_argument("--apiserver", required=True)
    a.add_argument("--apiserver-token", required=True)
    a.add_argument("--ca", required=True)
    a.add_argument("--idle", type=int, default=60, help="seconds of steady state measured")
    a.add_argument("--timeout", type=int, default=1800)
    a.add_argument("--warmup", type=int, default=0, help="servers started and stopped before the storm")
    a.add_argument("--namespace", help="the pods' namespace, for their timeline")
    a.add_argument("--on-storm", nargs=2, metavar=("BEGIN", "END"), help="shell commands run as the storm begins and ends")
    args = a.parse_args()
    options = json.loads(args.options)
    users = [f"{args.prefix}-{i:04d}@example.com" for i in range(args.n)]
    out = {"n": args.n, "errors": []}
    conn = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=600)
    async with aiohttp.ClientSession(connector=conn, timeout=timeout) as s:
        hub = Hub(s, args.hub, args.token)
        sem = asyncio.Semaphore(20)

        async def create(u):
            async with sem:
                status, _, text = await hub.call("POST", "/users/" + quote(u))
                if status not in (201, 409):
                    out["errors"].append(f"create {u}: {status} {text[:200]}")
        await asyncio.gather(*(create(u) for u in users))

        if args.warmup:
            await warm_up(hub, [f"{args.prefix}-warm-{i:02d}@example.com" for i in range(args.warmup)], create, options, out)

        async def api_counts():
            return await apiserver_requests(s, args.apiserver, args.apiserver_token, args.ca)

        # The storm.
        latencies = []
        refused = [0]
        storming = [True]

        async def probe():
            while storming[0]:
                u = random.choice(users)
                t = time.perf_counter()
                try:
                    status, _, _ = await hub.call("GET", "/users/" + quote(u))
                except aiohttp.ClientError as e:
                    # A connection the hub's proxy reset counts as an error, not as a latency.
                    out["errors"].append(f"GET user {u}: {type(e).__name__} {e}")
                    await asyncio.sleep(0.05)
                    continue
                latencies.append((time.perf_counter() - t) * 1000)
                if status != 200:
                    out["errors"].append(f"GET user {u}: {status}")
                await asyncio.sleep(0.05)

        async def start(u):
            while True:
                try:
                    status, headers, text = await hub.call("POST", "/users/" + quote(u) + "/server", options)
                except aiohttp.ClientError as e:
                    out["errors"].append(f"start {u}: {type(e).__name__} {e}")
                    return
                if status == 429:
                    refused[0] += 1
                    await asyncio.sleep(float(headers.get("Retry-After", "30")))
                    continue
                if status not in (201, 202):
                    out["errors"].append(f"start {u}: {status} {text[:200]}")
                return

        if args.on_storm:
            subprocess.run(args.on_storm[0], shell=True, check=True)
        api0 = await api_counts()
        cpu0, _, _ = proc_stat(args.pid)
        t0 = time.perf_counter()
        prober = asyncio.create_task(probe())
        starts = asyncio.gather(*(start(u) for u in users))
        ready_at = None
        failed = set()
        while time.perf_counter() - t0 < args.timeout:
            await asyncio.sleep(2)
            states = await users_state(hub, users)
            ready = sum(1 for u in users if states.get(u) == "ready")
            if starts.done():
                # A start that ended without a server failed (its progress said why; the hub logged it).
                failed = {u for u in users if states.get(u) == "stopped"}
            if ready + len(failed) >= len(users) and starts.done():
                ready_at = time.perf_counter() - t0
                break
        storming[0] = False
        await prober
        await starts
        cpu1, rss1, hwm1 = proc_stat(args.pid)
        api1 = await api_counts()
        if args.on_storm:
            subprocess.run(args.on_storm[1], shell=True, check=True)
        with open("/proc/loadavg") as f:
            out["load_average_1m_at_storm_end"] = float(f.read().split()[0])
        out["storm"] = {
            "all_ready_s": ready_at, "ready": len(users) - len(failed) if ready_at else None,
            "failed": len(failed), "refused_429": refused[0],
            "spawns_per_s": (len(users) - len(failed)) / ready_at if ready_at else None,
            "user_get_ms": {"n": len(latencies), "p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
                            "max": max(latencies) if latencies else None},
            "apiserver_requests": sum(api1.values()) - sum(api0.values()),
            "apiserver_requests_per_spawn": (sum(api1.values()) - sum(api0.values())) / len(users),
            "apiserver_per_spawn_by_request": per_request(api0, api1, len(users)),
            "hub_cpu_s": cpu1 - cpu0, "hub_rss_mib": rss1, "hub_peak_rss_mib": hwm1,
        }

        if args.namespace:
            out["storm"]["pods"] = await pod_timeline(s, args.apiserver, args.apiserver_token, args.ca, args.namespace)

        # Steady state: everything running, nobody doing anything.
        api0 = await api_counts()
        cpu0, _, _ = proc_stat(args.pid)
        await asyncio.sleep(args.idle)
        api1 = await api_counts()
        cpu1, rss1, _ = proc_stat(args.pid)
        out["idle"] = {"seconds": args.idle, "apiserver_requests_per_min": (sum(api1.values()) - sum(api0.values())) * 60 / args.idle,
                       "apiserver_per_min_by_request": per_request(api0, api1, args.idle / 60),
                       "hub_cpu_s": cpu1 - cpu0, "hub_rss_mib": rss1}

        # All stop at once.
        api0 = await api_counts()
        cpu0, _, _ = proc_stat(args.pid)
        t0 = time.perf_counter()

        async def stop(u):
            status, _, text = await hub.call("DELETE", "/users/" + quote(u) + "/server")
            if status not in (202, 204):
                out["errors"].append(f"stop {u}: {status} {text[:200]}")
        await asyncio.gather(*(stop(u) for u in users))
        stopped_at = None
        while time.perf_counter() - t0 < args.timeout:
            states = await users_state(hub, users)
            if all(states.get(u) == "stopped" for u in users):
                stopped_at = time.perf_counter() - t0
                break
            await asyncio.sleep(2)
        cpu1, rss1, _ = proc_stat(args.pid)
        api1 = await api_counts()
        out["stop"] = {"all_stopped_s": stopped_at, "apiserver_requests": sum(api1.values()) - sum(api0.values()),
                       "apiserver_requests_per_stop": (sum(api1.values()) - sum(api0.values())) / len(users),
                       "apiserver_per_stop_by_request": per_request(api0, api1, len(users)), "hub_cpu_s": cpu1 - cpu0,
                       "hub_rss_mib": rss1}
    out["errors"] = out["errors"][:20] + ([f"... {len(out['errors']) - 20} more"] if len(out["errors"]) > 20 else [])
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
