"""Demo data of the transfer service (transfer.json): good practices born in the demo projects,
guides, transfer events with attendees (NDJSON bulk), adoptions by other municipalities with their
status history (bulk, then transitions), and declared ties (bulk). Only what is missing or differs
is written."""
import json
import os

from projects_part import HERE, same, upsert_bulk

T = "/v1/transfer"


def mine(client, path):
    return {i["external_id"]: i for i in client.list_all("transfer", path)
            if i.get("owner_org") == client.org and i.get("external_id")}


def ensure_json(client, path, wanted, existing):
    """POSTs missing records, PATCHes (with If-Match) those that differ; returns external_id -> id."""
    ids, created, updated = {}, 0, 0
    for w in wanted:
        have = existing.get(w["external_id"])
        if have is None:
            _, got = client.ok("transfer", "POST", path, w, expect=(201,))
            created += 1
        elif not same(w, have):
            _, got = client.ok("transfer", "PATCH", "%s/%s" % (path, have["id"]), w, expect=(200,),
                               headers={"If-Match": '"v%d"' % have["version"]})
            updated += 1
        else:
            got = have
        ids[w["external_id"]] = got["id"]
    return ids, created, updated


def load(client, log, ids):
    with open(os.path.join(HERE, "transfer.json"), encoding="utf-8") as f:
        data = json.load(f)
    org = ids["organisations"]
    project = ids["projects"]

    practices = []
    for p in data["practices"]:
        body = {k: v for k, v in p.items() if k not in ("origin_project", "lead_organisation")}
        body["origin_project_id"] = project[p["origin_project"]]
        body["lead_organisation_id"] = org[p["lead_organisation"]]
        practices.append(body)
    practice_ids, c, u = ensure_json(client, T + "/practices", practices,
                                     mine(client, T + "/practices"))
    log("transfer practices: %d in the demo, %d created, %d updated" % (len(practices), c, u))

    guides = []
    for g in data["guides"]:
        body = {k: v for k, v in g.items() if k != "practice"}
        body["practice_id"] = practice_ids[g["practice"]]
        guides.append(body)
    guide_ids, c, u = ensure_json(client, T + "/guides", guides, mine(client, T + "/guides"))
    log("transfer guides: %d in the demo, %d created, %d updated" % (len(guides), c, u))

    events = []
    for e in data["events"]:
        events.append({
            "external_id": e["external_id"], "kind": e["kind"], "title": e["title"],
            "summary": e["summary"], "held_on": e["held_on"],
            "host_organisation_id": org[e["host"]], "municipality": e["municipality"],
            "practice_ids": [practice_ids[x] for x in e["practices"]],
            "attendees": [{"organisation_id": org[o], "people": n} for o, n in e["attendees"]]})
    event_ids, n = upsert_bulk(client, T + "/events/bulk", events, mine(client, T + "/events"),
                               lambda r: r["external_id"], service="transfer")
    log("transfer events: %d in the demo, %d written" % (len(events), n))

    existing = mine(client, T + "/adoptions")
    lines = []
    for a in data["adoptions"]:
        line = {
            "external_id": a["external_id"], "practice_id": practice_ids[a["practice"]],
            "adopter_organisation_id": org[a["adopter"]], "municipality": a["municipality"],
            "mentor_organisation_id": org[a["mentor"]] if a["mentor"] else None,
            "adaptations": a["adaptations"],
            "event_ids": [event_ids[x] for x in a["events"]],
            "guide_ids": [guide_ids[x] for x in a["guides"]]}
        if a["external_id"] not in existing:
            # The status it started at; later moves are transitions, as they happened.
            line["status"], line["status_since"] = a["start"]
        lines.append(line)
    adoption_ids, n = upsert_bulk(client, T + "/adoptions/bulk", lines, existing,
                                  lambda r: r["external_id"], service="transfer")
    moves = 0
    for a in data["adoptions"]:
        aid = adoption_ids[a["external_id"]]
        done = {t["to_status"] for t in
                client.list_all("transfer", "%s/adoptions/%s/transitions" % (T, aid))}
        for status, date in a["history"]:
            if status not in done:
                client.ok("transfer", "POST", "%s/adoptions/%s/transitions" % (T, aid),
                          {"status": status, "date": date}, expect=(200, 201))
                moves += 1
    log("transfer adoptions: %d in the demo, %d written, %d status changes" % (len(lines), n, moves))

    ties = [{"external_id": t["external_id"], "organisation_a_id": org[t["a"]],
             "organisation_b_id": org[t["b"]], "kind": t["kind"], "since": t["since"],
             "until": t["until"], "notes": t["notes"]} for t in data["ties"]]
    _, n = upsert_bulk(client, T + "/ties/bulk", ties, mine(client, T + "/ties"),
                       lambda r: r["external_id"], service="transfer")
    log("transfer ties: %d in the demo, %d written" % (len(ties), n))
