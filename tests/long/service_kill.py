"""One service killed with SIGKILL under load, then started again with run.sh start-service.
Writers create organisations (projects service) through the gateway with Idempotency-Key retries;
readers call another service through the gateway at the same time. Passes when: during the
outage the gateway answers the dead service's routes with 503 problem+json (never a hang, never
another 5xx), the other service keeps answering 200, traffic resumes after the restart, and every
acknowledged write is present exactly once."""

import os
import signal
import sys
import threading
import time
import uuid

import faultlib as F

VICTIM = "projects"
ORG = "f1f1f1f1-0000-4000-8000-%012d" % (int(time.time()) % 10**12)


def other_route():
    """A read route of another running service, answered 200 before the fault."""
    candidates = [("transfer", "/v1/transfer/practices?limit=5"),
                  ("evaluation", "/v1/evaluation/frameworks"),
                  ("itineraries", "/v1/services?limit=5"),
                  ("gateway", "/v1/clients?limit=5")]
    running = F.running_services()
    tok = F.token("admin", ORG)
    for svc, path in candidates:
        if svc in running and F.request("GET", path, tok).status == 200:
            return svc, path
    return None, None


def main():
    svc, path = other_route()
    print("other service watched: %s %s" % (svc, path))
    tok = F.token("admin", ORG)
    others = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            a = F.request("GET", path, tok, timeout=10)
            others.append((time.monotonic(), a.status, a.seconds))
            time.sleep(0.05)

    rt = threading.Thread(target=reader, daemon=True)
    if path:
        rt.start()
    tag = "svckill-" + uuid.uuid4().hex[:8]
    w = F.Writers(tag, ORG, threads=2, pause=0.05, retry_for=120)
    w.start()
    time.sleep(3)
    pid = F.pid_of(VICTIM)
    t_kill = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    print("%s (pid %d) killed with SIGKILL; writes acknowledged so far: %d" % (VICTIM, pid, len(w.acked)))
    # what the gateway answers for the dead service's routes
    outage = []
    t_end = time.monotonic() + 5
    while time.monotonic() < t_end:
        outage.append(F.request("GET", "/v1/organisations?limit=1", tok, timeout=20))
        time.sleep(0.1)
    while True:  # the process must be gone before run.sh may start a new one
        try:
            os.kill(pid, 0)
            time.sleep(0.1)
        except OSError:
            break
    t_restart = time.monotonic()
    F.run_sh("start-service", VICTIM, timeout=180)
    t_back = time.monotonic()
    print("%s started again after %.1f s" % (VICTIM, t_back - t_kill))
    time.sleep(4)
    w.finish()
    stop.set()
    if path:
        rt.join(15)

    ok = True
    problems = []
    lost, dup, wrong, extra = w.verify()
    if lost or dup or wrong:
        ok = False
        problems.append("lost %s duplicated %s wrong id %s" % (lost[:5], dup[:5], wrong[:5]))
    # A write in flight when the process died has no answer to pass on: the gateway says 502 (it
    # cannot know whether the write happened; the retry with the same key settles it). Any other
    # 5xx but 503 breaks the rule.
    in_flight = [e for e in w.events if e[2] == 502 and e[0] <= t_kill + 0.05 and e[1] >= t_kill - 0.05]
    other = [e for e in w.events if e[2] >= 500 and e[2] != 503 and e not in in_flight]
    if other or [b for b in w.bad if not b.startswith("502 ")]:
        ok = False
        problems.append("rule-breaking answers: %s %s" % (other[:5], w.bad[:5]))
    late = [a for a in outage[3:] if a.status != 503 or not a.is_problem()]
    if not outage or late:
        ok = False
        problems.append("gateway during the outage: %s" % sorted(set(a.status for a in outage)))
    slow = max([a.seconds for a in outage] + [0])
    if slow > 6:
        ok = False
        problems.append("a request waited %.1f s during the outage" % slow)
    other_bad = [s for (t, s, _) in others if s != 200]
    if path and (other_bad or not [1 for (t, s, _) in others if t_kill < t < t_restart]):
        ok = False
        problems.append("%s answered %s during the outage" % (svc, sorted(set(other_bad))))
    after = F.request("GET", "/v1/organisations?limit=1", tok).status
    if after != 200:
        ok = False
        problems.append("after the restart: %d" % after)
    for p in problems:
        print("  problem:", p)
    print("answers to writers by status: %s; gateway during the outage: %s" %
          (dict(sorted(w.statuses.items())), sorted(set(a.status for a in outage))))
    return F.result_line("service_kill", ok, faults=1, victim=VICTIM,
                         outage_s="%.1f" % (t_back - t_kill), writes_acked=len(w.acked),
                         writes_lost=len(lost), duplicates=len(dup), abandoned=len(w.abandoned),
                         in_flight_502=len(in_flight), other_5xx=len(other),
                         other_service_errors=len(other_bad), slowest_s="%.2f" % max(slow, w.slowest))


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
