#!/usr/bin/env python3
"""Change retention: the housekeeping thread deletes changes older than CHANGES_RETENTION_DAYS
and moves the outbox horizon past them; a feed cursor behind the horizon answers 410 naming the
service, a reader starting again (no since) reads on, and changes after the horizon stay. Ages
changes of the projects service by rewriting their time. Needs the running suite with
HOUSEKEEPING_INTERVAL_S=1 (tests/run.sh sets it)."""
import json, os, subprocess, sys, time, urllib.error, urllib.request, uuid

root = os.path.join(os.path.dirname(__file__), "..", "..")
run = os.path.join(root, "deploy/local/run.sh")
api = os.environ.get("API_URL", "http://127.0.0.1:8080")
url = subprocess.run(["bash", run, "superuser-url"], capture_output=True, text=True).stdout.strip()
token = subprocess.run(["bash", run, "token", "admin", ""], capture_output=True, text=True).stdout.strip()


def psql(sql):
    out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr.strip())
    return out.stdout.strip()


def call(method, path, body=None):
    req = urllib.request.Request(api + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), json.loads(e.read() or b"null")


def new_org(name):
    status, _, got = call("POST", "/v1/organisations",
                          {"name": name, "type": "third_sector", "municipality": "Tolosa"})
    assert status == 201, (status, got)
    return got["id"]


checks = {}
status, _, first = call("GET", "/v1/changes?limit=5")
old_cursor = first["next_cursor"]
aged = new_org("Retention check %s (aged)" % uuid.uuid4().hex[:8])
kept = new_org("Retention check %s (kept)" % uuid.uuid4().hex[:8])
time.sleep(1)  # both committed and below every snapshot's xmin
txid, seq = psql("SELECT txid, seq FROM projects.outbox WHERE id = '%s'" % aged).split("|")
psql("UPDATE projects.outbox SET at = now() - interval '40 days'"
     " WHERE (txid, seq) <= ('%s'::xid8, %s)" % (txid, seq))
deadline = time.time() + 15
horizon = ""
while time.time() < deadline:
    horizon = psql("SELECT txid || '.' || seq FROM projects.outbox_horizon"
                   " WHERE (txid, seq) >= ('%s'::xid8, %s)" % (txid, seq))
    if horizon:
        break
    time.sleep(0.5)
checks["the horizon moved past the aged changes"] = bool(horizon)
left = psql("SELECT count(*) FROM projects.outbox WHERE (txid, seq) <= ('%s'::xid8, %s)" % (txid, seq))
checks["the aged changes are deleted"] = left == "0"
checks["a later change stays"] = psql("SELECT count(*) FROM projects.outbox WHERE id = '%s'" % kept) == "1"

status, ctype, body = call("GET", "/v1/changes?since=" + old_cursor)
checks["a cursor behind the horizon is 410 problem+json naming the service"] = (
    status == 410 and ctype.startswith("application/problem+json") and "projects" in body.get("detail", ""))
ids, cursor, ok = set(), None, True
for _ in range(200):  # a reader starting again reads on, and sees the change that was kept
    status, _, page = call("GET", "/v1/changes?limit=500" + ("&since=" + cursor if cursor else ""))
    if status != 200:
        ok = False
        break
    ids.update(i["id"] for i in page["items"])
    cursor = page["next_cursor"]
    if not page["more"]:
        break
checks["a reader starting again reads to the end"] = ok
checks["it sees the change after the horizon, not the deleted one"] = kept in ids and aged not in ids
for name, good in checks.items():
    if not good:
        print("FAIL", name)
passed = sum(checks.values())
print("outbox_retention: %d passed, %d failed" % (passed, len(checks) - passed))
sys.exit(0 if passed == len(checks) else 1)
