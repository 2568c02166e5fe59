"""A bounded soak: mixed traffic through the gateway (writes, updates, deletes, paged reads,
errors, other services' reads) for SOAK_SECONDS after a warm-up, sampling the resident memory and
open file descriptors of every service process and of the PostgreSQL postmaster. Passes when no
process grows between the first and the last third of the run (median RSS within 10 % + 8 MB,
largest fd count within 4), no answer is a 5xx, and every service still answers /readyz."""

import json
import os
import statistics
import sys
import threading
import time
import uuid

import faultlib as F

WARMUP = float(os.environ.get("SOAK_WARMUP", "15"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))


def postmaster_pid():
    with open(os.path.join(F.pg_data(), "postmaster.pid")) as f:
        return int(f.readline())


def main():
    if os.environ.get("FLAVOR") == "asan":
        # ASan keeps up to 256 MB of freed memory in quarantine, which would read as growth: the
        # services run the soak with a small quarantine (leak checks stay on).
        env = {"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") +
               ":quarantine_size_mb=4:thread_local_quarantine_size_kb=64"}
        order = [s for s in F.PORTS if s in F.running_services()]
        for s in [s for s in order if s != "gateway"] + [s for s in order if s == "gateway"]:
            F.restart_service(s, env)
    procs = {s: F.pid_of(s) for s in F.running_services()}
    procs["postgres"] = postmaster_pid()
    stop = threading.Event()
    counts = {}
    lock = threading.Lock()
    fives = []

    def note(a, what):
        with lock:
            counts[a.status] = counts.get(a.status, 0) + 1
            if a.status >= 500 or a.status == 0:
                fives.append("%s: %d %s" % (what, a.status, a.body[:120]))

    def wait_429(fn):
        while True:
            a = fn()
            if a.status != 429:
                return a
            time.sleep(0.5)

    def writer(n):
        org = "f3f3f3f3-0000-4000-8000-%012d" % n
        tok = F.token("project_manager", org)
        i = 0
        while not stop.is_set():
            i += 1
            body = json.dumps({"code": "SOAK-%d-%d-%s" % (n, i, uuid.uuid4().hex[:6]),
                               "title": "Soak %d" % i, "municipalities": ["Tolosa"],
                               "themes": ["ageing"]})
            a = wait_429(lambda: F.request("POST", "/v1/projects", tok, body,
                                           {"Idempotency-Key": uuid.uuid4().hex}))
            note(a, "create")
            if a.status == 201:
                path = "/v1/projects/" + a.json()["id"]
                note(wait_429(lambda: F.request("PATCH", path, tok, '{"phase":"consolidation"}',
                                                {"If-Match": a.headers.get("etag", "*")})), "patch")
                note(wait_429(lambda: F.request("POST", path + "/reports", tok,
                                                '{"period":"2025","status":"on_track","reach_fragile":3}')),
                     "report")
                if i % 2 == 0:
                    note(wait_429(lambda: F.request("DELETE", path, tok)), "delete")
            time.sleep(0.02)

    def reader(n):
        tok = F.token("admin", "f4f4f4f4-0000-4000-8000-%012d" % n)
        while not stop.is_set():
            cursor = None
            for _ in range(3):
                url = "/v1/municipalities?limit=50" + ("&cursor=" + cursor if cursor else "")
                a = wait_429(lambda: F.request("GET", url, tok))
                note(a, "page")
                cursor = (a.json() or {}).get("next_cursor") if a.status == 200 else None
                if not cursor:
                    break
            note(wait_429(lambda: F.request("GET", "/v1/projects?limit=20&sort=-created_at", tok)), "list")
            note(wait_429(lambda: F.request("GET", "/v1/hub/summary", tok)), "summary")
            for path in ("/v1/transfer/practices?limit=5", "/v1/evaluation/frameworks"):
                note(wait_429(lambda: F.request("GET", path, tok)), path)
            time.sleep(0.02)

    def errors(n):
        tok = F.token("project_manager", "f5f5f5f5-0000-4000-8000-%012d" % n)
        while not stop.is_set():
            note(wait_429(lambda: F.request("GET", "/v1/projects/" + str(uuid.uuid4()), tok)), "404")
            note(wait_429(lambda: F.request("POST", "/v1/projects", tok, '{"code":1}')), "422")
            note(wait_429(lambda: F.request("POST", "/v1/projects", tok, '{"code":')), "400")
            note(F.request("GET", "/v1/projects", "not-a-token"), "401")
            time.sleep(0.05)

    threads = [threading.Thread(target=f, args=(i,), daemon=True)
               for i, f in enumerate([writer, writer, reader, reader, errors])]
    for t in threads:
        t.start()
    time.sleep(WARMUP)
    samples = {p: [] for p in procs}
    t0 = time.monotonic()
    while time.monotonic() - t0 < SECONDS:
        for name, pid in procs.items():
            samples[name].append(F.proc_figures(pid))
        time.sleep(2)
    stop.set()
    for t in threads:
        t.join(30)

    ok = True
    problems = []
    report = []
    for name, s in samples.items():
        third = max(1, len(s) // 3)
        first, last = s[:third], s[-third:]
        rss0 = statistics.median(r for r, _ in first)
        rss1 = statistics.median(r for r, _ in last)
        fd0 = max(f for _, f in first)
        fd1 = max(f for _, f in last)
        report.append("%s rss %d->%d kB fds %d->%d" % (name, rss0, rss1, fd0, fd1))
        if rss1 > rss0 * 1.10 + 8192:
            ok = False
            problems.append("%s resident memory grew %d -> %d kB" % (name, rss0, rss1))
        if fd1 > fd0 + 4:
            ok = False
            problems.append("%s file descriptors grew %d -> %d" % (name, fd0, fd1))
    if fives:
        ok = False
        problems.append("%d answers were 5xx or none: %s" % (len(fives), fives[:5]))
    for s in F.running_services():
        a = F.request("GET", F.service_url(s) + "/readyz")
        if a.status != 200:
            ok = False
            problems.append("%s /readyz %d after the soak" % (s, a.status))
    for p in problems:
        print("  problem:", p)
    for r in report:
        print("  " + r)
    total = sum(counts.values())
    print("requests: %d by status %s" % (total, dict(sorted(counts.items()))))
    return F.result_line("soak", ok, seconds=int(SECONDS + WARMUP), requests=total,
                         processes=len(procs), errors_5xx=len(fives),
                         growth="'%s'" % "; ".join(report))


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
