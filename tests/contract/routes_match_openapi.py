#!/usr/bin/env python3
"""The routes each service serves and the ones its OpenAPI document lists are the same, both ways,
and so are the query parameters each route accepts (struct route's `query`) and its operation's.

Static: the route tables in services/<svc>/*.c against openapi/<svc>.yaml, and the gateway's role
table (services/gateway/policy_<svc>.c) against the same document. Live: every documented
operation reaches a handler of the running service (never the "no such route" answer), and an
undocumented path does not.
The gateway's own route table (services/gateway/dispatch.c) against openapi/gateway.yaml, with each
route's query list; live, every GET of it refuses an undocumented query parameter.
Needs the suite running; reads <SVC>_URL, INTERNAL_SECRET and API_URL from the environment."""
import base64, glob, hashlib, hmac, json, os, re, subprocess, sys, time, urllib.request, urllib.error
import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
ROUTE = re.compile(r'\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"(/v1/[^"]*)"')
# A route table entry with its accepted query parameters: {"GET", "/v1/x", handler, flags, "a b"},
# optionally followed by the resource its generic handler serves (&things, crud.h).
# The gateway's own route table (services/gateway/dispatch.c): {"GET", "/v1/x", handler, roles,
# flags, part, "a b"}, every path (probes and /auth/token too).
OWN_ROUTE = re.compile(r'\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"(/[^"]*)",\s*\w+,\s*[^,{}"]*,\s*[^,{}"]*,'
                       r'\s*(?:"[^"]*"|NULL),\s*((?:"[^"]*"\s*)+|NULL)\s*\}')
ROUTE_QUERY = re.compile(r'\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"(/v1/[^"]*)",\s*\w+,\s*[^,{}"]*?'
                         r'(?:,\s*((?:"[^"]*"\s*)+|NULL))?(?:,\s*(?:&\w+|NULL))?\s*\}')
METHODS = ("get", "post", "put", "patch", "delete")
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def shape(path):
    return re.sub(r"/[:@][^/]+|/\{[^}]+\}", "/{}", path)


def served(svc):
    ops = set()
    for f in glob.glob(os.path.join(ROOT, "services", svc, "*.c")):
        for m, p in ROUTE.findall(open(f, encoding="utf-8").read()):
            ops.add((m, shape(p)))
    return ops


def served_query(svc):
    """(method, shape) -> the set of query parameters the route table accepts."""
    out = {}
    for f in glob.glob(os.path.join(ROOT, "services", svc, "*.c")):
        for m, p, q in ROUTE_QUERY.findall(open(f, encoding="utf-8").read()):
            words = "".join(re.findall(r'"([^"]*)"', q))
            out[(m, shape(p))] = set(words.split())
    return out


def own_query():
    """The gateway's own routes: (method, shape) -> the set of query parameters each accepts."""
    text = open(os.path.join(ROOT, "services", "gateway", "dispatch.c"), encoding="utf-8").read()
    return {(m, shape(p)): set("".join(re.findall(r'"([^"]*)"', q)).split())
            for m, p, q in OWN_ROUTE.findall(text)}


def documented_query(svc, every_path=False):
    doc = yaml.safe_load(open(os.path.join(ROOT, "openapi", svc + ".yaml"), encoding="utf-8"))
    shared = doc.get("components", {}).get("parameters", {})

    def resolve(p):
        return shared[p["$ref"].split("/")[-1]] if "$ref" in p else p

    out = {}
    for path, item in doc.get("paths", {}).items():
        common = [resolve(p) for p in item.get("parameters", [])]
        for m, op in item.items():
            if m in METHODS and (every_path or path.startswith("/v1/")):
                params = common + [resolve(p) for p in op.get("parameters", [])]
                out[(m.upper(), shape(path))] = {p["name"] for p in params if p.get("in") == "query"}
    return out


def policy(svc):
    f = os.path.join(ROOT, "services", "gateway", "policy_%s.c" % svc)
    if not os.path.exists(f):
        return None
    return {(m, shape(p)) for m, p in ROUTE.findall(open(f, encoding="utf-8").read())}


def documented(svc, every_path=False):
    doc = yaml.safe_load(open(os.path.join(ROOT, "openapi", svc + ".yaml"), encoding="utf-8"))
    ops = set()
    for path, item in doc.get("paths", {}).items():
        for m in item:
            if m in METHODS and (every_path or path.startswith("/v1/")):
                ops.add((m.upper(), shape(path), path))
    return ops


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def internal_token(svc):
    now = int(time.time())
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64(json.dumps({"iss": "care-hub-internal", "aud": svc, "sub": "contract-test",
                             "org": "", "roles": ["admin"], "iat": now, "exp": now + 300}).encode())
    sig = hmac.new(os.environ["INTERNAL_SECRET"].encode(), (header + "." + claims).encode(),
                   hashlib.sha256).digest()
    return header + "." + claims + "." + b64(sig)


def call(svc, method, path):
    base = os.environ[svc.upper() + "_URL"]
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    ctype = "application/x-ndjson" if path.endswith("/bulk") else "application/json"
    req = urllib.request.Request(base + path, data=body, method=method, headers={
        "Authorization": "Bearer " + internal_token(svc), "Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def live_path(path):
    path = re.sub(r"\{period\}", "2025", path)
    return re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)


for spec in sorted(glob.glob(os.path.join(ROOT, "openapi", "*.yaml"))):
    svc = os.path.basename(spec)[:-5]
    if svc == "gateway" or not os.path.exists(os.path.join(ROOT, "services", svc, "main.c")):
        continue
    doc = documented(svc)
    doc_ops = {(m, s) for m, s, _ in doc}
    srv = served(svc)
    for op in sorted(srv - doc_ops):
        check(False, "%s serves %s %s, not in openapi/%s.yaml" % (svc, op[0], op[1], svc))
    for op in sorted(doc_ops - srv):
        check(False, "openapi/%s.yaml lists %s %s, not served" % (svc, op[0], op[1]))
    check(srv == doc_ops, "%s: served routes equal documented routes" % svc)
    srv_q, doc_q = served_query(svc), documented_query(svc)
    check(set(srv_q) == srv, "%s: every route's entry is read with its query list (%s)"
          % (svc, sorted(srv ^ set(srv_q))))
    for op in sorted(set(srv_q) & set(doc_q)):
        check(srv_q[op] == doc_q[op], "%s %s %s: the route accepts query %s, openapi/%s.yaml lists %s"
              % (svc, op[0], op[1], sorted(srv_q[op]), svc, sorted(doc_q[op])))
    pol = policy(svc)
    if pol is not None:
        check(pol == doc_ops, "%s: the gateway's role table covers exactly the documented routes (%s)"
              % (svc, sorted(pol ^ doc_ops)))
    if os.environ.get(svc.upper() + "_URL") and os.environ.get("INTERNAL_SECRET"):
        for m, _, path in sorted(doc):
            status, body = call(svc, m, live_path(path))
            check(status not in (405, 500) and b"No such route" not in body,
                  "%s %s %s reaches a handler (got %d %s)" % (svc, m, path, status, body[:120]))
            if m == "GET":
                status, body = call(svc, m, live_path(path) + "?not_a_parameter=1")
                check(status == 400 and b"/query/not_a_parameter" in body,
                      "%s GET %s refuses an undocumented query parameter (got %d %s)"
                      % (svc, path, status, body[:120]))
        status, body = call(svc, "GET", "/v1/undocumented-route-%d" % os.getpid())
        check(status == 404 and b"No such route" in body, "%s: an undocumented path is not served" % svc)

def gateway_token():
    out = subprocess.run(["bash", os.path.join(ROOT, "deploy", "local", "run.sh"), "token", "admin", ""],
                         capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else ""


def gateway_call(token, path):
    req = urllib.request.Request(os.environ["API_URL"] + path, method="GET",
                                 headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


# The gateway's own routes: each accepts exactly its operation's query parameters, and (live,
# through API_URL with an admin token) every GET refuses an undocumented one.
own, gw_doc = own_query(), documented_query("gateway", every_path=True)
check(set(own) == set(gw_doc), "gateway: its own route table equals openapi/gateway.yaml (%s)"
      % sorted(set(own) ^ set(gw_doc)))
for op in sorted(set(own) & set(gw_doc)):
    check(own[op] == gw_doc[op], "gateway %s %s: the route accepts query %s, openapi/gateway.yaml lists %s"
          % (op[0], op[1], sorted(own[op]), sorted(gw_doc[op])))
gw_token = gateway_token() if os.environ.get("API_URL") else ""
if gw_token:
    for m, _, path in sorted(documented("gateway", every_path=True)):
        if m != "GET":
            continue
        status, ctype, body = gateway_call(gw_token, live_path(path) + "?not_a_parameter=1")
        check(status == 400 and ctype.startswith("application/problem+json")
              and b"/query/not_a_parameter" in body,
              "gateway GET %s refuses an undocumented query parameter (got %d %s)"
              % (path, status, body[:120]))

print("contract: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
