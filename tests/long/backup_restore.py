"""make backup / make restore round trip on the running suite. Writes marker data, takes a backup
(pg_dump -Fc), then deletes, adds and changes data, restores, and checks that every table of every
service schema holds exactly what it held at backup time (a checksum of each table's rows), that
the markers read back through the API as before, and that the services keep working afterwards
without a restart."""

import json
import os
import subprocess
import sys
import time
import uuid

import faultlib as F

ORG = "f6f6f6f6-0000-4000-8000-%012d" % (int(time.time()) % 10**12)
SCHEMAS = ("projects", "itineraries", "evaluation", "transfer", "gateway")


def checksums():
    tables = F.superuser_psql(
        "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname IN (%s) ORDER BY 1"
        % ",".join("'%s'" % s for s in SCHEMAS)).split()
    sql = " UNION ALL ".join(
        "SELECT '%s', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM %s t"
        % (t, t) for t in tables)
    rows = F.superuser_psql(sql).splitlines()
    return dict((r.split("|")[0], r.split("|", 1)[1]) for r in rows)


def make(target, path):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    p = subprocess.run(["make", "-s", "--no-print-directory", target, "FILE=" + path], cwd=F.ROOT,
                       env=env, capture_output=True, text=True, timeout=600)
    return p.returncode, (p.stdout + p.stderr).strip()


def main():
    tok = F.token("project_manager", ORG)
    tag = "bk-" + uuid.uuid4().hex[:8]
    a = F.request("POST", "/v1/organisations", tok, json.dumps({"name": tag + "-kept", "type": "other"}))
    assert a.status == 201, a.body
    kept = "/v1/organisations/" + a.json()["id"]
    a = F.request("POST", "/v1/projects", tok, json.dumps({"code": tag, "title": "Before backup"}))
    assert a.status == 201, a.body
    project = "/v1/projects/" + a.json()["id"]
    before_kept = F.request("GET", kept, tok).json()
    before_project = F.request("GET", project, tok).json()
    sums_before = checksums()

    dump = os.path.join(F.VAR_DIR, "roundtrip-%s.dump" % tag)
    t0 = time.monotonic()
    rc, out = make("backup", dump)
    backup_s = time.monotonic() - t0
    ok = rc == 0 and os.path.getsize(dump) > 0
    problems = [] if ok else ["make backup: %d %s" % (rc, out[-300:])]

    # after the backup: delete, add, change
    F.request("DELETE", kept, tok)
    a = F.request("POST", "/v1/organisations", tok, json.dumps({"name": tag + "-after", "type": "other"}))
    after_path = "/v1/organisations/" + (a.json() or {}).get("id", "none")
    F.request("PATCH", project, tok, json.dumps({"title": "Changed after backup"}))
    if checksums() == sums_before:
        ok = False
        problems.append("the changes after the backup did not change the checksums")

    t0 = time.monotonic()
    rc, out = make("restore", dump)
    restore_s = time.monotonic() - t0
    if rc != 0:
        ok = False
        problems.append("make restore: %d %s" % (rc, out[-500:]))
    sums_after = checksums()
    differ = sorted(t for t in set(sums_before) | set(sums_after)
                    if sums_before.get(t) != sums_after.get(t))
    if differ:
        ok = False
        problems.append("tables differ from the backup: %s" % differ[:10])

    # through the API, the services still running since before the restore
    deadline = time.monotonic() + 30
    while True:
        got_kept = F.request("GET", kept, tok)
        if got_kept.status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    if got_kept.status != 200 or got_kept.json() != before_kept:
        ok = False
        problems.append("the deleted organisation did not come back as it was: %d" % got_kept.status)
    got_project = F.request("GET", project, tok)
    if got_project.json() != before_project:
        ok = False
        problems.append("the project is not as it was at backup time")
    if F.request("GET", after_path, tok).status != 404:
        ok = False
        problems.append("an organisation created after the backup survived the restore")
    a = F.request("POST", "/v1/organisations", tok, json.dumps({"name": tag + "-later", "type": "other"}))
    if a.status != 201:
        ok = False
        problems.append("a write after the restore: %d %s" % (a.status, a.body[:200]))
    os.unlink(dump)
    for p in problems:
        print("  problem:", p)
    return F.result_line("backup_restore", ok, tables=len(sums_before), tables_differing=len(differ),
                         backup_s="%.1f" % backup_s, restore_s="%.1f" % restore_s)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
