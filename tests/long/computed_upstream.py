"""The hub's computed indicators while the services that own some of their figures are down.
The itineraries and the transfer services are stopped in turn (SIGTERM to their process ids, as
run.sh stop-service does) and started again with run.sh start-service. Passes when: before the
fault GET /v1/evaluation/computed answers 200 with the itineraries' and transfer's figures; while
one of them is down the answer is 503 quickly, with Retry-After and the JSON body of the partial
figures (partial: true): every figure of the stopped service has value null, status missing and a
reason naming the service that is not answering (never a zero), the other services' figures are
still there; POST /v1/evaluation/computed/snapshot stores what could be had and reports the
stopped service's figures as missing with that reason, and the stored values of those indicators
are left as they were (no zero written); after the restart the figures are back. The services
are started again even when a check fails."""

import json
import os
import signal
import sys
import time

import faultlib as F

PERIOD = "2031"
QUERY = "/v1/evaluation/computed?period=%s" % PERIOD
VICTIMS = {"itineraries": "itineraries.", "transfer": "transfer."}


def items_of(answer):
    j = answer.json()
    return j.get("items", []) if isinstance(j, dict) else []


def owned(items, prefix):
    return [i for i in items if i.get("compute_key", "").startswith(prefix)]


def wait_gone(pid, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except OSError:
            return True
        time.sleep(0.05)
    return False


def hub_values(analyst):
    """indicator code -> value of the hub's stored values for PERIOD."""
    a = F.request("GET", "/v1/evaluation/indicator-values?scope_type=hub&period=%s&limit=500"
                  % PERIOD, analyst)
    j = a.json() if a.status == 200 else {}
    return {v["indicator_code"]: v["value"] for v in (j or {}).get("items", [])}


def check_outage(victim, prefix, analyst, problems):
    """Stops victim, checks the live answer and a snapshot, starts it again."""
    pid = F.pid_of(victim)
    t_stop = time.monotonic()
    live, snap = [], None
    stored_before = hub_values(analyst)
    try:
        os.kill(pid, signal.SIGTERM)
        if not wait_gone(pid, 15):
            os.kill(pid, signal.SIGKILL)
            wait_gone(pid, 10)
        print("%s (pid %d) stopped after %.1f s" % (victim, pid, time.monotonic() - t_stop))
        t_end = time.monotonic() + 2
        while time.monotonic() < t_end:
            live.append(F.request("GET", QUERY, analyst, timeout=20))
            time.sleep(0.2)
        snap = F.request("POST", "/v1/evaluation/computed/snapshot", analyst,
                         json.dumps({"period": PERIOD, "scope_type": "hub"}), timeout=30)
        stored_during = hub_values(analyst)
    finally:
        F.run_sh("start-service", victim, timeout=120)
    print("%s started again after %.1f s" % (victim, time.monotonic() - t_stop))

    for a in live:
        if a.status != 503 or not a.headers.get("retry-after"):
            problems.append("%s down: live answer %d (Retry-After %r)"
                            % (victim, a.status, a.headers.get("retry-after")))
            continue
        j = a.json() or {}
        if j.get("partial") is not True:
            problems.append("%s down: the 503 body is not the partial figures: %s"
                            % (victim, a.body[:200]))
        items = items_of(a)
        theirs = owned(items, prefix)
        if not theirs:
            problems.append("%s down: no figure of the service in the answer" % victim)
        for i in theirs:
            if i.get("value") is not None or i.get("status") != "missing" \
                    or "not answering" not in (i.get("reason") or ""):
                problems.append("%s down: %s given as %r (%s, %r)" % (
                    victim, i["code"], i.get("value"), i.get("status"), i.get("reason")))
        others = [i for i in owned(items, "hub_summary.") if i.get("status") == "ok"]
        if not others:
            problems.append("%s down: the projects figures are gone too" % victim)
    slow = max([a.seconds for a in live] + [0])
    if slow > 5:
        problems.append("%s down: an answer took %.1f s" % (victim, slow))

    if snap is None or snap.status != 200:
        problems.append("%s down: snapshot %s" % (victim, snap and (snap.status, snap.body[:200])))
    else:
        for i in owned(items_of(snap), prefix):
            if i.get("status") != "missing" or i.get("value") is not None:
                problems.append("%s down: the snapshot took %s as %r" % (victim, i["code"],
                                                                         i.get("value")))
        for i in owned(items_of(snap), prefix):
            if stored_during.get(i["code"]) != stored_before.get(i["code"]):
                problems.append("%s down: the stored value of %s went from %r to %r" % (
                    victim, i["code"], stored_before.get(i["code"]),
                    stored_during.get(i["code"])))
    return len(live)


def main():
    analyst = F.token("hub_analyst")
    problems = []
    before = F.request("GET", QUERY, analyst, timeout=30)
    if before.status != 200:
        problems.append("before the faults: %d %s" % (before.status, before.body[:300]))
    # The first snapshot stores what every service gives: the values the outages must not touch.
    F.request("POST", "/v1/evaluation/computed/snapshot", analyst,
              json.dumps({"period": PERIOD, "scope_type": "hub"}), timeout=30)
    calls = 0
    for victim, prefix in VICTIMS.items():
        calls += check_outage(victim, prefix, analyst, problems)
    after = F.request("GET", QUERY, analyst, timeout=30)
    if after.status != 200:
        problems.append("after the restarts: %d %s" % (after.status, after.body[:300]))
    for prefix in VICTIMS.values():
        back = [i for i in owned(items_of(after), prefix)
                if "not answering" in (i.get("reason") or "")]
        if back:
            problems.append("after the restarts, still missing: %s" % [i["code"] for i in back])

    for p in problems:
        print("  problem:", p)
    return F.result_line("computed_upstream", not problems, faults=len(VICTIMS),
                         victims="+".join(VICTIMS), calls_during=calls,
                         before=before.status, after=after.status)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
