#!/usr/bin/env python3
"""Webhook receiver for the API tests, and an independent check of Standard Webhooks signatures.

    webhook_receiver.py serve PORT_FILE LOG_FILE FAIL_FIRST
        listens on 127.0.0.1 (a free port, written to PORT_FILE), answers 500 to the first
        FAIL_FIRST requests and 204 afterwards, and appends one JSON line per request to LOG_FILE.
    webhook_receiver.py verify SECRET LOG_FILE
        prints {"valid": n, "invalid": m}: requests whose webhook-signature is (not) the
        HMAC-SHA256 of "id.timestamp.body" with the secret's key.
"""
import base64
import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


def serve(port_file, log_file, fail_first):
    count = {"n": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            count["n"] += 1
            status = 500 if count["n"] <= fail_first else 204
            line = {
                "id": self.headers.get("webhook-id"),
                "timestamp": self.headers.get("webhook-timestamp"),
                "signature": self.headers.get("webhook-signature"),
                "content_type": self.headers.get("Content-Type"),
                "path": self.path,
                "body": body.decode("utf-8"),
                "answered": status,
            }
            with open(log_file, "a", encoding="utf-8") as f:
                f.write(json.dumps(line) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    # Never outlives a test run by much, whatever happens to the test.
    import threading
    threading.Timer(300, lambda: os._exit(0)).start()
    server.serve_forever()


def verify(secret, log_file):
    key = base64.b64decode(secret[len("whsec_"):])
    valid = invalid = 0
    with open(log_file, encoding="utf-8") as f:
        for raw in f:
            line = json.loads(raw)
            signed = f"{line['id']}.{line['timestamp']}.{line['body']}".encode("utf-8")
            expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
            given = [s.split(",", 1)[1] for s in (line["signature"] or "").split(" ") if s.startswith("v1,")]
            if any(hmac.compare_digest(expected, g) for g in given):
                valid += 1
            else:
                invalid += 1
    print(json.dumps({"valid": valid, "invalid": invalid}))


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        verify(sys.argv[2], sys.argv[3])
