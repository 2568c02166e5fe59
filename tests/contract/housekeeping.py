#!/usr/bin/env python3
"""Expired Idempotency-Key answers are deleted by every service's housekeeping thread; answers
still inside their 24-hour window stay. Needs the running suite with HOUSEKEEPING_INTERVAL_S=1
(tests/run.sh sets it)."""
import os, subprocess, sys, time

root = os.path.join(os.path.dirname(__file__), "..", "..")
url = subprocess.run(["bash", os.path.join(root, "deploy/local/run.sh"), "superuser-url"],
                     capture_output=True, text=True).stdout.strip()
SCHEMAS = ("projects", "itineraries", "evaluation", "transfer")


def psql(sql):
    out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr.strip())
    return out.stdout.strip()


def count(schema, caller):
    return int(psql("SELECT count(*) FROM %s.idempotency_keys WHERE caller = '%s'" % (schema, caller)))


caller = "housekeeping-check-%d" % os.getpid()
checks = {}
for s in SCHEMAS:
    psql("INSERT INTO %s.idempotency_keys (caller, key, request_hash, status, created_at) VALUES"
         " ('%s', 'old', 'h', 201, now() - interval '25 hours'),"
         " ('%s', 'fresh', 'h', 201, now() - interval '23 hours')" % (s, caller, caller))
deadline = time.time() + 15
while time.time() < deadline and any(count(s, caller) != 1 for s in SCHEMAS):
    time.sleep(0.5)
for s in SCHEMAS:
    left = psql("SELECT string_agg(key, ',') FROM %s.idempotency_keys WHERE caller = '%s'" % (s, caller))
    checks["%s: the expired answer is gone, the one in its window stays" % s] = left == "fresh"
    psql("DELETE FROM %s.idempotency_keys WHERE caller = '%s'" % (s, caller))
for name, ok in checks.items():
    if not ok:
        print("FAIL", name)
passed = sum(checks.values())
print("housekeeping: %d passed, %d failed" % (passed, len(checks) - passed))
sys.exit(0 if passed == len(checks) else 1)
