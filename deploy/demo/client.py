"""HTTP client of the demo loader: the gateway with a bearer token, or each service's own port
with an internal token minted from INTERNAL_SECRET (when no gateway runs). Standard library only."""
import base64
import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request

ITOKEN_ISSUER = "care-hub-internal"


def _b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# The purpose of use the loader states for person-level routes (see PRIVACY.md).
PURPOSE = "care_coordination"


def internal_token(secret, service, org, roles, sub="demo-loader", ttl=600):
    """An HS256 token exactly as common/token.c mints it: aud is the target service."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"iss": ITOKEN_ISSUER, "aud": service, "sub": sub, "org": org, "roles": roles,
              "iat": now, "exp": now + ttl}
    if list(roles) != ["person"]:
        claims["purpose"] = PURPOSE
    signing = _b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + \
        _b64url(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return signing + "." + _b64url(sig)


class ApiError(Exception):
    pass


class Client:
    """call(service, method, path, body) -> (status, headers, parsed body or text)."""

    def __init__(self, env=os.environ, org=None, roles=("admin",)):
        self.mode = env.get("DEMO_MODE", "gateway")
        self.org = org or env["DEMO_ORG"]
        self.roles = list(roles)
        self.api_url = env.get("API_URL", "").rstrip("/")
        self.token = env.get("DEMO_TOKEN", "")
        self.secret = env.get("INTERNAL_SECRET", "")
        self.urls = {k[:-4].lower(): v.rstrip("/") for k, v in env.items()
                     if k.endswith("_URL") and k[:-4].isalpha()}
        self.requests = 0

    def with_identity(self, org, roles, token=None):
        other = Client.__new__(Client)
        other.__dict__.update(self.__dict__)
        other.org, other.roles = org, list(roles)
        if token is not None:
            other.token = token
        return other

    def has(self, service):
        """Whether the service is deployed and ready (through the gateway: its probe)."""
        base = self.urls.get(service)
        if not base:
            return False
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=5) as resp:
                return resp.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _target(self, service, path):
        if self.mode == "gateway":
            return self.api_url + path, self.token
        base = self.urls.get(service)
        if not base:
            raise ApiError("no %s_URL for a direct call" % service.upper())
        return base + path, internal_token(self.secret, service, self.org, self.roles)

    def call(self, service, method, path, body=None, ctype="application/json", headers=None):
        url, token = self._target(service, path)
        data = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        for attempt in range(8):
            req = urllib.request.Request(url, data=data, method=method)
            req.add_header("Authorization", "Bearer " + token)
            req.add_header("Accept", "application/json")
            if self.mode == "gateway":
                req.add_header("X-Purpose-Of-Use", PURPOSE)
            if data is not None:
                req.add_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                req.add_header(k, v)
            self.requests += 1
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    status, hdrs, raw = resp.status, dict(resp.headers), resp.read()
            except urllib.error.HTTPError as e:
                status, hdrs, raw = e.code, dict(e.headers), e.read()
            if status in (429, 502, 503) and attempt < 7:
                time.sleep(min(float(hdrs.get("Retry-After", "1") or 1), 5.0))
                continue
            break
        text = raw.decode("utf-8", "replace")
        ctype_out = hdrs.get("Content-Type", "")
        parsed = text
        if "json" in ctype_out and "ndjson" not in ctype_out and text:
            parsed = json.loads(text)
        return status, hdrs, parsed

    def ok(self, service, method, path, body=None, expect=(200, 201, 204), **kw):
        status, hdrs, parsed = self.call(service, method, path, body, **kw)
        if status not in expect:
            raise ApiError("%s %s -> %d: %s" % (method, path, status, str(parsed)[:600]))
        return hdrs, parsed

    def list_all(self, service, path, params=""):
        """Every item of a paginated list."""
        items, cursor = [], None
        while True:
            q = "limit=500" + (("&" + params) if params else "")
            if cursor:
                q += "&cursor=" + urllib.request.quote(cursor, safe="")
            _, page = self.ok(service, "GET", path + "?" + q)
            items.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return items

    def bulk(self, service, path, records):
        """POSTs records as NDJSON; returns the per-line results, raising on any failed line."""
        if not records:
            return []
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        _, text = self.ok(service, "POST", path, body, ctype="application/x-ndjson")
        results = [json.loads(line) for line in text.splitlines() if line.strip()]
        bad = [r for r in results if r.get("status", 500) >= 300]
        if bad or len(results) != len(records):
            raise ApiError("%s: %d of %d lines failed: %s" % (path, len(bad), len(records),
                                                              json.dumps(bad[:5])))
        return results
