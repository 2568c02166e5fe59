"""The social return of a project while the projects service, which gives the project's funding,
is down. A project with funders and a complete SROI model are set up through the gateway; the
projects service is stopped (SIGTERM to its process id, as run.sh stop-service does) and
started again with run.sh start-service. Passes when: before the fault the return is 200 with
the hand-computed figures; during the outage GET /v1/evaluation/projects/{id}/sroi answers 503
application/problem+json quickly, with Retry-After and a detail naming the projects service,
while the evaluation service itself keeps answering (the stored model reads 200); after the
restart the return is 200 again with the same figures. The projects service is started again
even when a check fails."""

import json
import os
import signal
import sys
import time

import faultlib as F

VICTIM = "projects"
ORG = "5e0a5e0a-0000-4000-8000-%012d" % (int(time.time()) % 10**12)

# The model of tests/api/sroi_test.c: 6000 + 4000 funding + 2000 in kind = 12000 of inputs;
# present value 9060.86 + 8677.69 = 17738.54; ratio 17738.54 / 12000 = 1.478.
FUNDERS = [{"name": "Provincial council", "amount": 6000}, {"name": "Foundation", "amount": 4000}]
MODEL = {
    "discount_rate_pct": 10,
    "in_kind": [{"description": "Volunteer hours", "amount": 2000, "source": "timesheets"}],
    "outcomes": [
        {"code": "QOL", "name": "Better quality of life", "indicator": "quality_of_life",
         "people": 10, "proxy_value": 1000, "proxy_source": "WELLBY value", "deadweight_pct": 20,
         "attribution_pct": 25, "drop_off_pct": 50, "duration_years": 3},
        {"code": "BURDEN", "name": "Less caregiver burden", "indicator": "caregiver_burden",
         "people": 4, "proxy_value": 2500, "proxy_source": "price of respite care",
         "deadweight_pct": 0, "attribution_pct": 50, "drop_off_pct": 0, "duration_years": 2},
    ],
}
EXPECTED = {"inputs": 12000, "present_value": 17738.54, "sroi_ratio": 1.478}


def figures(answer):
    """(inputs, present value, ratio) of a 200 answer, or None."""
    j = answer.json() if answer.status == 200 else None
    if not isinstance(j, dict):
        return None
    try:
        return {k: j[k]["value"] for k in EXPECTED}
    except (KeyError, TypeError):
        return None


def set_up(pm):
    """A project of ORG with funders and its complete model; returns the project's id."""
    code = "SROI-UP-%d" % (int(time.time() * 1000) % 10**9)
    body = {"code": code, "title": "Zaintza sarea", "funders": FUNDERS}
    a = F.request("POST", "/v1/projects", pm, json.dumps(body))
    if a.status != 201:
        raise RuntimeError("project not created: %d %s" % (a.status, a.body[:300]))
    pid = a.json()["id"]
    a = F.request("PUT", "/v1/evaluation/projects/%s/sroi-model" % pid, pm, json.dumps(MODEL))
    if a.status != 201:
        raise RuntimeError("model not stored: %d %s" % (a.status, a.body[:300]))
    return pid


def wait_gone(pid, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except OSError:
            return True
        time.sleep(0.05)
    return False


def main():
    pm = F.token("project_manager", ORG)
    analyst = F.token("hub_analyst")
    project = set_up(pm)
    sroi = "/v1/evaluation/projects/%s/sroi" % project
    model = "/v1/evaluation/projects/%s/sroi-model" % project
    problems = []

    before = F.request("GET", sroi, analyst)
    if figures(before) != EXPECTED:
        problems.append("before the fault: %d %s" % (before.status, before.body[:300]))

    pid = F.pid_of(VICTIM)
    t_stop = time.monotonic()
    outage, model_reads, restarted, after = [], [], False, []
    try:
        os.kill(pid, signal.SIGTERM)
        if not wait_gone(pid, 15):
            os.kill(pid, signal.SIGKILL)
            wait_gone(pid, 10)
        print("%s (pid %d) stopped after %.1f s" % (VICTIM, pid, time.monotonic() - t_stop))
        t_end = time.monotonic() + 3
        while time.monotonic() < t_end:
            outage.append(F.request("GET", sroi, analyst, timeout=20))
            model_reads.append(F.request("GET", model, analyst, timeout=20).status)
            time.sleep(0.2)
    finally:
        F.run_sh("start-service", VICTIM, timeout=120)
        restarted = True
    t_back = time.monotonic()
    print("%s started again after %.1f s" % (VICTIM, t_back - t_stop))
    # The first call after the restart must already find the new process.
    after.append(F.request("GET", sroi, analyst, timeout=20))
    after.append(F.request("GET", sroi, analyst, timeout=20))

    statuses = sorted(set(a.status for a in outage))
    bad = [a for a in outage if a.status != 503 or not a.is_problem()]
    if not outage or bad:
        problems.append("during the outage: %s %s" % (statuses, [a.body[:200] for a in bad[:2]]))
    details = set((a.json() or {}).get("detail", "") for a in outage if a.status == 503)
    if [d for d in details if "projects service" not in d]:
        problems.append("a 503 without a detail naming the projects service: %s" % details)
    if [a for a in outage if a.status == 503 and not a.headers.get("retry-after")]:
        problems.append("a 503 without Retry-After")
    slow = max([a.seconds for a in outage] + [0])
    if slow > 3:
        problems.append("an answer during the outage took %.1f s" % slow)
    if [s for s in model_reads if s != 200]:
        problems.append("the stored model during the outage: %s" % sorted(set(model_reads)))
    for i, a in enumerate(after):
        if figures(a) != EXPECTED:
            problems.append("call %d after the restart: %d %s" % (i + 1, a.status, a.body[:300]))

    for p in problems:
        print("  problem:", p)
    print("during the outage: %d calls, statuses %s, detail %s" % (len(outage), statuses, details))
    return F.result_line("sroi_upstream", not problems and restarted, faults=1, victim=VICTIM,
                         outage_s="%.1f" % (t_back - t_stop), calls_during=len(outage),
                         answers_503=len([a for a in outage if a.status == 503]),
                         slowest_s="%.2f" % slow, after=",".join(str(a.status) for a in after),
                         ratio=(figures(after[0]) or {}).get("sroi_ratio"))


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
