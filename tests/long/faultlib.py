"""Shared parts of the long fault tests: the running suite (from the environment tests/run.sh sets:
VAR_DIR, PORT_BASE, API_URL), HTTP calls with hard time limits, tokens, PostgreSQL and service
processes, writers that retry with Idempotency-Keys, and the check that every acknowledged write
is present exactly once. Loopback only."""

import glob
import http.client
import json
import os
import subprocess
import threading
import time
import urllib.parse
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VAR_DIR = os.environ.get("VAR_DIR", os.path.join(ROOT, "var", "test"))
PORT_BASE = int(os.environ.get("PORT_BASE", "18080"))
API_URL = os.environ.get("API_URL", "http://127.0.0.1:%d" % PORT_BASE)
PORTS = {"gateway": PORT_BASE, "projects": PORT_BASE + 1, "itineraries": PORT_BASE + 2,
         "evaluation": PORT_BASE + 3, "transfer": PORT_BASE + 4}


def run_sh(*args, check=True, timeout=180, extra_env=None):
    """deploy/local/run.sh with the suite's VAR_DIR; DATABASE_URL (the gateway's own role, set
    by tests/run.sh) must not reach it, or it would take that server for an external one."""
    env = dict(os.environ)
    env.update(extra_env or {})
    env.pop("DATABASE_URL", None)
    env.setdefault("DEMO", "0")
    env["QUIET"] = "1"
    p = subprocess.run(["bash", os.path.join(ROOT, "deploy/local/run.sh")] + list(args), env=env,
                       capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError("run.sh %s failed: %s %s" % (" ".join(args), p.stdout, p.stderr))
    return p.stdout.strip()


_tokens = {}


def token(role, org=""):
    key = (role, org)
    for attempt in range(10):
        if key in _tokens:
            break
        try:
            _tokens[key] = run_sh("token", role, org)
        except RuntimeError:
            if attempt == 9:
                raise
            time.sleep(1)  # the binary that mints them may be being rebuilt
    return _tokens[key]


class Answer:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def is_problem(self):
        return self.headers.get("content-type", "").startswith("application/problem+json")


def request(method, url, tok=None, body=None, headers=None, timeout=15.0, ctype="application/json"):
    """One HTTP exchange on a fresh connection. status 0: no answer (refused, reset, timeout)."""
    u = urllib.parse.urlsplit(url if url.startswith("http") else API_URL + url)
    h = dict(headers or {})
    if tok:
        h["Authorization"] = "Bearer " + tok
    data = None
    if body is not None:
        data = body.encode() if isinstance(body, str) else body
        h["Content-Type"] = ctype
    t0 = time.monotonic()
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request(method, u.path + ("?" + u.query if u.query else ""), body=data, headers=h)
        r = conn.getresponse()
        raw = r.read()
        return Answer(r.status, {k.lower(): v for k, v in r.getheaders()},
                      raw.decode("utf-8", "replace"), time.monotonic() - t0)
    except (OSError, http.client.HTTPException):
        return Answer(0, {}, "", time.monotonic() - t0)
    finally:
        conn.close()


def service_url(svc):
    return "http://127.0.0.1:%d" % PORTS[svc]


def pid_of(svc):
    with open(os.path.join(VAR_DIR, "run", svc + ".pid")) as f:
        return int(f.read().strip())


def restart_service(svc, extra_env=None):
    """SIGTERM, wait for the process to end, start it again (run.sh start-service)."""
    pid = pid_of(svc)
    run_sh("stop-service", svc)
    for _ in range(300):
        try:
            os.kill(pid, 0)
            time.sleep(0.1)
        except OSError:
            break
    run_sh("start-service", svc, extra_env=extra_env, timeout=180)


def running_services():
    out = []
    for svc in PORTS:
        try:
            os.kill(pid_of(svc), 0)
            out.append(svc)
        except (OSError, ValueError):
            pass
    return out


# ---- PostgreSQL ----

def _pg_bin(name):
    return sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name))[-1]


def _as_postgres(cmd):
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def pg_data():
    return os.path.realpath(os.path.join(VAR_DIR, "pg", "data"))


def pg_kill():
    """Stops PostgreSQL the hard way: immediate shutdown, no checkpoint (a crash, for the WAL)."""
    p = _as_postgres([_pg_bin("pg_ctl"), "-D", pg_data(), "-m", "immediate", "-w", "stop"])
    if p.returncode != 0:
        raise RuntimeError("pg_ctl stop failed: " + p.stderr)


def pg_restart():
    """Starts PostgreSQL again as run.sh does (same port, crash recovery from the WAL)."""
    run_sh("start", timeout=300)


def pg_running():
    return _as_postgres([_pg_bin("pg_ctl"), "-D", pg_data(), "status"]).returncode == 0


def superuser_psql(sql):
    url = run_sh("superuser-url")
    p = subprocess.run(["psql", "-tAX", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise RuntimeError("psql: " + p.stderr)
    return p.stdout.strip()


# ---- processes ----

def proc_figures(pid):
    """(resident kB, open file descriptors) of a process."""
    rss = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return rss, len(os.listdir("/proc/%d/fd" % pid))


# ---- writers with Idempotency-Keys ----

class Writers:
    """Threads that create organisations through the gateway, one unique name each, and retry a
    write with the same Idempotency-Key until it is acknowledged (2xx) or its time is up. Every
    answer is counted by status; acknowledged writes are kept with the id the API gave."""

    def __init__(self, tag, org, threads=3, role="project_manager", retry_for=90.0, pause=0.02):
        self.tag, self.org, self.role = tag, org, role
        self.threads, self.retry_for, self.pause = threads, retry_for, pause
        self.lock = threading.Lock()
        self.statuses = {}
        self.acked = {}        # name -> id
        self.abandoned = []    # names never acknowledged
        self.slowest = 0.0
        self.bad = []          # answers that break the rules (5xx other than 503, non-problem errors)
        self.events = []       # (start, end, status) of every attempt
        self.stop = threading.Event()
        self.n = 0
        self.tok = token(role, org)
        token("admin", org)  # for verify(), minted before any fault
        self.workers = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def start(self):
        for w in self.workers:
            w.start()

    def finish(self):
        self.stop.set()
        for w in self.workers:
            w.join(self.retry_for + 60)

    def _next_name(self):
        with self.lock:
            self.n += 1
            return "%s-%06d" % (self.tag, self.n)

    def _record(self, a):
        end = time.monotonic()
        with self.lock:
            self.events.append((end - a.seconds, end, a.status))
            self.statuses[a.status] = self.statuses.get(a.status, 0) + 1
            self.slowest = max(self.slowest, a.seconds)
            if a.status >= 500 and a.status != 503:
                self.bad.append("%d %s" % (a.status, a.body[:200]))
            if a.status >= 400 and a.status != 429 and not a.is_problem():
                self.bad.append("%d without problem+json: %s" % (a.status, a.body[:200]))

    def _run(self):
        while not self.stop.is_set():
            name = self._next_name()
            key = str(uuid.uuid4())
            body = json.dumps({"name": name, "type": "other"})
            deadline = time.monotonic() + self.retry_for
            done = False
            while time.monotonic() < deadline:
                a = request("POST", "/v1/organisations", self.tok, body,
                            {"Idempotency-Key": key}, timeout=20)
                self._record(a)
                if 200 <= a.status < 300:
                    with self.lock:
                        self.acked[name] = (a.json() or {}).get("id")
                    done = True
                    break
                if a.status in (400, 401, 403, 404, 422):
                    break  # a refusal is final: retrying cannot help
                time.sleep(0.2 if a.status in (0, 409, 429, 502, 503, 504) else self.pause)
            if not done:
                with self.lock:
                    self.abandoned.append(name)
            time.sleep(self.pause)

    def verify(self):
        """Every acknowledged write present exactly once with its id; nothing written twice.
        Returns (lost, duplicated, wrong_id, present_abandoned)."""
        seen = {}
        cursor = None
        tok = token("admin", self.org)
        while True:
            url = "/v1/organisations?limit=500&name=%s" % urllib.parse.quote(self.tag)
            if cursor:
                url += "&cursor=" + urllib.parse.quote(cursor)
            for _ in range(50):
                a = request("GET", url, tok, timeout=30)
                if a.status != 429:
                    break
                time.sleep(1.1)
            if a.status != 200:
                raise RuntimeError("listing for the check failed: %d %s" % (a.status, a.body[:200]))
            page = a.json()
            for it in page["items"]:
                seen.setdefault(it["name"], []).append(it["id"])
            cursor = page.get("next_cursor")
            if not cursor:
                break
        lost = [n for n in self.acked if n not in seen]
        dup = [n for n, ids in seen.items() if len(ids) > 1]
        wrong = [n for n, i in self.acked.items() if n in seen and i and i not in seen[n]]
        present_abandoned = [n for n in self.abandoned if n in seen]
        return lost, dup, wrong, present_abandoned


class Prober:
    """Polls URLs every `every` seconds and keeps (time, url, status) samples."""

    def __init__(self, urls, every=0.1, tok=None):
        self.urls, self.every, self.tok = urls, every, tok
        self.samples = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()

    def finish(self):
        self.stop.set()
        self.thread.join(30)

    def _run(self):
        while not self.stop.is_set():
            for u in self.urls:
                a = request("GET", u, self.tok, timeout=5)
                self.samples.append((time.monotonic(), u, a.status, a.seconds))
            time.sleep(self.every)

    def statuses(self, url, t0=0.0, t1=float("inf")):
        return [s for (t, u, s, _) in self.samples if u == url and t0 <= t <= t1]


def result_line(name, ok, **figures):
    parts = " ".join("%s=%s" % (k, v) for k, v in figures.items())
    line = "RESULT %s %s %s" % (name, "PASS" if ok else "FAIL", parts)
    print(line, flush=True)
    with open(os.path.join(VAR_DIR, "long-results.txt"), "a") as f:
        f.write(time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) + line + "\n")
    return ok
