"""Slow clients (slowloris): many connections to the gateway and to a service that send their
request head one byte at a time, and others that stop half-way through it. Meanwhile an ordinary
client keeps calling. Passes when every ordinary call answers 200 within 2 s, and the connections
that went silent are closed by the server within its connection timeout (CONNECTION_TIMEOUT_S,
15 s) plus a margin. How long trickling connections live is reported.

With SLOWLORIS_EXHAUST=1 (or KNOWN_BUGS=1) it also opens more connections than the server's
connection limit (MAX_CONNECTIONS, 1024) from one address and checks that ordinary calls still get
through: a known bug today (no per-address limit, no deadline for the request head)."""

import os
import resource
import socket
import sys
import threading
import time

import faultlib as F

TRICKLE = int(os.environ.get("SLOWLORIS_TRICKLE", "150"))
SILENT = int(os.environ.get("SLOWLORIS_SILENT", "50"))
SECONDS = float(os.environ.get("SLOWLORIS_SECONDS", "25"))
TIMEOUT = float(os.environ.get("CONNECTION_TIMEOUT_S", "15"))
HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nX-Pad: " + b"a" * 4000


def open_conn(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setblocking(False)
    return s


def closed_by_peer(s):
    try:
        data = s.recv(4096)
        return data == b"" or data.startswith(b"HTTP/")  # closed, or answered (e.g. 408)
    except BlockingIOError:
        return False
    except OSError:
        return True


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    ports = [F.PORTS["gateway"], F.PORTS["projects"]]
    tok = F.token("admin", "f2f2f2f2-0000-4000-8000-000000000001")
    trickle, silent = [], []
    t0 = time.monotonic()
    for i in range(TRICKLE):
        s = open_conn(ports[i % 2])
        s.send(HEAD[:20])
        trickle.append([s, 20, ports[i % 2], None])
    for i in range(SILENT):
        s = open_conn(ports[i % 2])
        s.send(HEAD[:30])
        silent.append([s, ports[i % 2], None])
    print("%d trickling and %d silent connections open" % (len(trickle), len(silent)))

    calls = []
    stop = threading.Event()

    def ordinary():
        while not stop.is_set():
            a = F.request("GET", "/v1/comarcas", tok, timeout=10)
            b = F.request("GET", F.service_url("projects") + "/healthz", timeout=10)
            calls.extend([a, b])
            time.sleep(0.2)

    th = threading.Thread(target=ordinary, daemon=True)
    th.start()
    last_byte = time.monotonic()
    while time.monotonic() - t0 < SECONDS:
        now = time.monotonic()
        if now - last_byte >= 1.0:  # one more byte on every trickling connection each second
            last_byte = now
            for c in trickle:
                if c[3] is None:
                    try:
                        c[0].send(HEAD[c[1]:c[1] + 1])
                        c[1] += 1
                    except OSError:
                        c[3] = now - t0
        for c in trickle:
            if c[3] is None and closed_by_peer(c[0]):
                c[3] = now - t0
        for c in silent:
            if c[2] is None and closed_by_peer(c[0]):
                c[2] = now - t0
        time.sleep(0.1)
    stop.set()
    th.join(15)

    ok = True
    problems = []
    failed = [a for a in calls if a.status != 200 or a.seconds > 2.0]
    if not calls or failed:
        ok = False
        problems.append("%d of %d ordinary calls failed or were slow: %s" %
                        (len(failed), len(calls), [(a.status, round(a.seconds, 2)) for a in failed[:5]]))
    open_silent = [c for c in silent if c[2] is None]
    late = [c for c in silent if c[2] is not None and c[2] > TIMEOUT + 5]
    if open_silent or late:
        ok = False
        problems.append("%d silent connections still open after %.0f s, %d closed late" %
                        (len(open_silent), SECONDS, len(late)))
    alive = len([c for c in trickle if c[3] is None])
    closed_times = sorted(c[2] for c in silent if c[2] is not None)
    for c in trickle + silent:
        c[0].close()

    exhausted = "not run"
    if "1" in (os.environ.get("SLOWLORIS_EXHAUST"), os.environ.get("KNOWN_BUGS")):
        hold = []
        try:
            for _ in range(1100):
                s = open_conn(F.PORTS["gateway"])
                s.send(HEAD[:20])
                hold.append(s)
        except OSError:
            pass
        time.sleep(1)
        a = F.request("GET", "/v1/comarcas", tok, timeout=5)
        exhausted = "%d held, ordinary call %d in %.1f s" % (len(hold), a.status, a.seconds)
        if a.status != 200:
            ok = False
            problems.append("with %d slow connections held the gateway refused others" % len(hold))
        for s in hold:
            s.close()
    for p in problems:
        print("  problem:", p)
    print("silent connections closed after %.1f-%.1f s; trickling still open after %.0f s: %d of %d" %
          (closed_times[0] if closed_times else -1, closed_times[-1] if closed_times else -1,
           SECONDS, alive, len(trickle)))
    return F.result_line("slowloris", ok, slow_connections=TRICKLE + SILENT,
                         ordinary_calls=len(calls), ordinary_failed=len(failed),
                         silent_closed_s="%.1f" % (closed_times[-1] if closed_times else -1),
                         trickling_alive=alive, exhaustion="'%s'" % exhausted)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
