"""PostgreSQL killed (immediate shutdown) while clients write through the gateway with retries and
Idempotency-Keys, then started again. Passes when: every acknowledged write is present exactly
once with the id the API gave; no retry wrote twice; during the outage the writes got 503
problem+json (no other 5xx), each within a bounded time (no hang); the services' /readyz said 503
during the outage and 200 after, without the services being restarted."""

import sys
import time
import uuid

import faultlib as F

OUTAGE_SECONDS = 6.0
ORG = "f0f0f0f0-0000-4000-8000-%012d" % (int(time.time()) % 10**12)


def main():
    services = [s for s in F.running_services() if s != "gateway"]
    pids = {s: F.pid_of(s) for s in F.running_services()}
    ready_urls = [F.service_url(s) + "/readyz" for s in services]
    prober = F.Prober(ready_urls + [F.API_URL + "/readyz"], every=0.1)
    tag = "pgkill-" + uuid.uuid4().hex[:8]
    w = F.Writers(tag, ORG, threads=2, pause=0.05, retry_for=120)
    prober.start()
    w.start()
    time.sleep(3)
    t_kill = time.monotonic()
    F.pg_kill()
    print("PostgreSQL killed (immediate) at +3 s; writes acknowledged so far: %d" % len(w.acked))
    time.sleep(OUTAGE_SECONDS)
    during = dict(w.statuses)
    t_restart = time.monotonic()
    F.pg_restart()
    t_back = time.monotonic()
    print("PostgreSQL back after %.1f s of outage" % (t_back - t_kill))
    time.sleep(4)
    w.finish()
    prober.finish()
    time.sleep(0.5)

    lost, dup, wrong, extra = w.verify()
    ok = True
    problems = []
    if lost or dup or wrong:
        ok = False
        problems.append("lost %s duplicated %s wrong id %s" % (lost[:5], dup[:5], wrong[:5]))
    if w.bad:
        ok = False
        problems.append("rule-breaking answers: %s" % w.bad[:5])
    if w.slowest > 15:
        ok = False
        problems.append("a write waited %.1f s" % w.slowest)
    if 503 not in during:
        ok = False
        problems.append("no 503 seen during the outage: %s" % during)
    for u in ready_urls:
        mid = F.Prober.statuses(prober, u, t_kill + 1.0, t_restart)
        after = F.Prober.statuses(prober, u, t_back + 1.0)
        if not mid or any(s == 200 for s in mid):
            ok = False
            problems.append("%s during the outage: %s" % (u, sorted(set(mid))))
        if not after or after[-1] != 200:
            ok = False
            problems.append("%s after: %s" % (u, after[-3:]))
    for s, pid in pids.items():
        if F.pid_of(s) != pid:
            ok = False
            problems.append("%s was restarted" % s)
    for p in problems:
        print("  problem:", p)
    print("answers by status: %s" % dict(sorted(w.statuses.items())))
    return F.result_line("pg_kill", ok, faults=1, outage_s="%.1f" % (t_back - t_kill),
                         writes_acked=len(w.acked), writes_lost=len(lost), duplicates=len(dup),
                         abandoned=len(w.abandoned), abandoned_but_written=len(extra),
                         other_5xx=len([b for b in w.bad if not b.startswith("4")]),
                         slowest_s="%.2f" % w.slowest)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
