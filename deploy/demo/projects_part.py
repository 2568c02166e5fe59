"""Demo data of the projects service: organisations, projects and monitoring reports pushed with
the NDJSON bulk routes, participants added one by one. Only records that are missing or differ are
sent, so a second load writes nothing."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def read_ndjson(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def norm(v):
    """A comparable form: numbers as floats, lists in a canonical order, dicts recursively."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return sorted((norm(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True))
    return v


def same(want, have, skip=()):
    """True when every field of want has the same value in have."""
    return all(norm(v) == norm(have.get(k)) for k, v in want.items() if k not in skip)


def upsert_bulk(client, path, wanted, existing_by_key, key, skip=(), service="projects"):
    """Sends the wanted records that are missing or differ; returns key -> id for all of them."""
    ids, changed = {}, []
    for w in wanted:
        have = existing_by_key.get(key(w))
        if have is not None and same(w, have, skip):
            ids[key(w)] = have["id"]
        else:
            changed.append(w)
    for w, res in zip(changed, client.bulk(service, path, changed)):
        ids[key(w)] = res["id"]
    return ids, len(changed)


def load(client, log):
    orgs = read_ndjson("organisations.ndjson") + read_ndjson("organisations-adopters.ndjson")
    projects = read_ndjson("projects.ndjson")
    participants = read_ndjson("participants.ndjson")
    reports = read_ndjson("reports.ndjson")
    mine = lambda items: {i["external_id"]: i for i in items  # noqa: E731
                          if i.get("owner_org") == client.org and i.get("external_id")}

    have = mine(client.list_all("projects", "/v1/organisations"))
    org_ids, n = upsert_bulk(client, "/v1/organisations/bulk", orgs, have, lambda r: r["external_id"])
    log("organisations: %d in the demo, %d written" % (len(orgs), n))

    have = mine(client.list_all("projects", "/v1/projects"))
    project_ids, n = upsert_bulk(client, "/v1/projects/bulk", projects, have,
                                 lambda r: r["external_id"])
    log("projects: %d in the demo, %d written" % (len(projects), n))

    added = updated = 0
    for pext, pid in sorted(project_ids.items()):
        current = {(x["organisation_id"], x["role"]): x
                   for x in client.list_all("projects", "/v1/projects/%s/participants" % pid)}
        for w in (x for x in participants if x["project_external_id"] == pext):
            body = {k: v for k, v in w.items() if not k.endswith("_external_id")}
            body["organisation_id"] = org_ids[w["organisation_external_id"]]
            got = current.get((body["organisation_id"], body["role"]))
            if got is None:
                client.ok("projects", "POST", "/v1/projects/%s/participants" % pid, body,
                          expect=(201,))
                added += 1
            elif not same(body, got):
                client.ok("projects", "PATCH", "/v1/projects/%s/participants/%s" % (pid, got["id"]),
                          body, expect=(200,), headers={"If-Match": '"v%d"' % got["version"]})
                updated += 1
    log("participants: %d in the demo, %d added, %d updated" % (len(participants), added, updated))

    existing = {}
    for pext, pid in project_ids.items():
        for r in client.list_all("projects", "/v1/projects/%s/reports" % pid):
            existing[(pext, r["period"])] = r
    _, n = upsert_bulk(client, "/v1/reports/bulk", reports, existing,
                       lambda r: (r["project_external_id"], r["period"]),
                       skip=("project_external_id",))
    log("reports: %d in the demo, %d written" % (len(reports), n))
    return {"organisations": org_ids, "projects": project_ids}
