"""Demo data of the itineraries service (itineraries.json): a catalogue of care services offered by
demo organisations with their unit prices, pseudonymised persons (NDJSON bulk) with caregivers,
assessments (bulk), itinerary templates the suggestions offer, and care itineraries built from
each person's life project (one on a joint diagnosis by two professionals), with stages,
their planned intensity and delivered units, progress and obstacles; and the table of what follows
without intervention for every segment (risk band x comarca) that holds a demo itinerary.
Only what is missing or differs is written."""
import json
import os

from client import ApiError
from projects_part import HERE, same, upsert_bulk

S = "itineraries"


def mine(client, path, params=""):
    return {i["external_id"]: i for i in client.list_all(S, path, params)
            if i.get("owner_org") == client.org and i.get("external_id")}


def ensure(client, list_items, create_path, item_path, wanted, compare=None):
    """POSTs missing records, PATCHes those that differ (fields in compare, or all); returns ids."""
    ids, created, updated = {}, 0, 0
    for w in wanted:
        have = list_items.get(w["external_id"])
        if have is None:
            _, got = client.ok(S, "POST", create_path(w), w, expect=(201,))
            created += 1
        else:
            got = have
            probe = {k: w[k] for k in compare} if compare else w
            if not same(probe, have):
                _, got = client.ok(S, "PATCH", item_path % have["id"], probe, expect=(200,),
                                   headers={"If-Match": '"v%d"' % have["version"]})
                updated += 1
        ids[w["external_id"]] = got["id"]
    return ids, created, updated


def patch(client, path, have, body):
    _, got = client.ok(S, "PATCH", path % have["id"], body, expect=(200,),
                       headers={"If-Match": '"v%d"' % have["version"]})
    return got


def put_if_differs(client, path, want):
    """PUTs want to path unless a GET already answers the same fields; returns 1 when written."""
    _, have = client.ok(S, "GET", path)
    if same(want, have):
        return 0
    client.ok(S, "PUT", path, want, expect=(200,))
    return 1


def set_units(client, stage_id, want, itin_status):
    """The stage's planned intensity (the lead organisation's part) and delivered units (the
    responsible organisation's; the loader is an admin, who writes both). Returns (written,
    kept): the plan of a closed itinerary cannot change any more, so a difference there is kept
    and counted."""
    path = "/v1/stages/%s/units" % stage_id
    _, have = client.ok(S, "GET", path)
    body = {k: v for k, v in want.items() if not same({k: v}, have)}
    kept = 0
    if itin_status not in ("draft", "active", "on_hold") and \
            ("intensity" in body or "period" in body):
        body.pop("intensity", None)
        body.pop("period", None)
        kept = 1
    if not body:
        return 0, kept
    client.ok(S, "PUT", path, body, expect=(200,))
    return 1, kept


def segments_of(client, data, person_ids):
    """The comarca segments ({risk_band}:{slug}) of the persons with a demo itinerary, from their
    current risk band and comarca as the service computes them."""
    _, listed = client.ok(S, "GET", "/v1/segments?by=comarca")
    slug = {(x["risk_band"], x["area"]): x["segment"] for x in listed["items"]}
    persons = {p["id"]: p for p in client.list_all(S, "/v1/persons")}
    found = {}
    for it in data["itineraries"]:
        p = persons[person_ids[it["person"]]]
        found[slug[(p["risk_band"], p["comarca"])]] = p["risk_band"]
    return found


def load(client, log, ids):
    with open(os.path.join(HERE, "itineraries.json"), encoding="utf-8") as f:
        data = json.load(f)
    org = ids["organisations"]

    services = []
    for s in data["services"]:
        body = {k: v for k, v in s.items() if k not in ("provider", "prices")}
        body["provider_org"] = org[s["provider"]]
        services.append(body)
    service_ids, c, u = ensure(client, mine(client, "/v1/services"), lambda w: "/v1/services",
                               "/v1/services/%s", services)
    log("itineraries services: %d in the demo, %d created, %d updated" % (len(services), c, u))
    n = 0
    for s in data["services"]:
        n += put_if_differs(client, "/v1/services/%s/prices" % service_ids[s["external_id"]],
                            s["prices"])
    log("itineraries service prices: %d in the demo, %d written" % (len(data["services"]), n))

    persons = data["persons"]
    person_ids, n = upsert_bulk(client, "/v1/persons/bulk", persons, mine(client, "/v1/persons"),
                                lambda r: r["external_id"], service=S, skip=("consent",))
    log("itineraries persons: %d in the demo, %d written" % (len(persons), n))

    created, caregiver_ids = 0, {}
    for c in data["caregivers"]:
        pid = person_ids[c["person"]]
        have = {x["external_id"]: x for x in client.list_all(S, "/v1/persons/%s/caregivers" % pid)
                if x.get("external_id")}
        body = {k: v for k, v in c.items() if k != "person"}
        got, c2, _ = ensure(client, have, lambda w: "/v1/persons/%s/caregivers" % pid,
                            "/v1/caregivers/%s", [body])
        caregiver_ids.update(got)
        created += c2
    log("itineraries caregivers: %d in the demo, %d created" % (len(data["caregivers"]), created))

    existing = {}
    for ext, pid in person_ids.items():
        for a in client.list_all(S, "/v1/persons/%s/assessments" % pid):
            if a.get("external_id"):
                existing[a["external_id"]] = a
    lines = []
    for a in data["assessments"]:
        line = {k: v for k, v in a.items() if k not in ("person", "caregiver")}
        line["person_external_id"] = a["person"]
        if a.get("caregiver"):
            line["caregiver_id"] = caregiver_ids[a["caregiver"]]
        lines.append(line)
    _, n = upsert_bulk(client, "/v1/assessments/bulk", lines, existing,
                       lambda r: r["external_id"], service=S, skip=("person_external_id",))
    log("itineraries assessments: %d in the demo, %d written" % (len(lines), n))

    have_templates = {t["code"]: t for t in client.list_all(S, "/v1/templates")}
    t_created = t_updated = 0
    for t in data["templates"]:
        have = have_templates.get(t["code"])
        if have is None:
            client.ok(S, "POST", "/v1/templates", t, expect=(201,))
            t_created += 1
        elif not same({k: v for k, v in t.items() if k != "code"}, have):
            patch(client, "/v1/templates/%s", have, {k: v for k, v in t.items() if k != "code"})
            t_updated += 1
    log("itineraries templates: %d in the demo, %d created, %d updated" % (
        len(data["templates"]), t_created, t_updated))

    assessment_ids = {}
    for pid in person_ids.values():
        for a in client.list_all(S, "/v1/persons/%s/assessments" % pid):
            if a.get("external_id"):
                assessment_ids[a["external_id"]] = a["id"]

    have_itins = mine(client, "/v1/itineraries")
    stages_added = stage_moves = obstacles_added = units_written = units_kept = 0
    itins = []
    for it in data["itineraries"]:
        itin = {"external_id": it["external_id"], "person_id": person_ids[it["person"]],
                "title": it["title"], "case_manager": it["case_manager"],
                "life_project": it["life_project"], "start_date": it["start_date"]}
        if it.get("based_on"):
            # A joint diagnosis: the assessments of several professionals the itinerary rests on.
            itin["based_on"] = [assessment_ids[a] for a in it["based_on"]]
        itins.append(itin)
    itin_ids, c, u = ensure(client, have_itins, lambda w: "/v1/itineraries", "/v1/itineraries/%s",
                            itins, compare=("title", "case_manager"))
    for it in data["itineraries"]:
        iid = itin_ids[it["external_id"]]
        current = client.list_all(S, "/v1/itineraries/%s/stages" % iid)
        stage_ids = []
        for st in it["stages"]:
            sid_service = service_ids[st["service"]]
            got = next((x for x in current if x["service_id"] == sid_service
                        and x["title"] == st["title"]), None)
            if got is None:
                _, got = client.ok(S, "POST", "/v1/itineraries/%s/stages" % iid, {
                    "service_id": sid_service, "responsible_org": org[st["responsible"]],
                    "title": st["title"], "planned_start": st["planned_start"],
                    "planned_end": st["planned_end"]}, expect=(201,))
                stages_added += 1
            have_obs = {o["description"]: o for o in
                        client.list_all(S, "/v1/stages/%s/obstacles" % got["id"])}
            for ob in st.get("obstacles", []):
                o = have_obs.get(ob["description"])
                if o is None:
                    _, o = client.ok(S, "POST", "/v1/stages/%s/obstacles" % got["id"],
                                     {"category": ob["category"],
                                      "description": ob["description"]}, expect=(201,))
                    obstacles_added += 1
                if ob.get("resolution") and o.get("open", True):
                    patch(client, "/v1/obstacles/%s", o, {"resolution": ob["resolution"]})
            # Progress as it happened: started, then finished (or blocked). Obstacles touch the
            # stage, so its current version is read again.
            _, got = client.ok(S, "GET", "/v1/stages/%s" % got["id"])
            want = st["status"]
            if want in ("in_progress", "done") and got["status"] == "pending":
                got = patch(client, "/v1/stages/%s", got,
                            {"status": "in_progress", "actual_start": st["actual_start"]})
                stage_moves += 1
            if want == "done" and got["status"] == "in_progress":
                got = patch(client, "/v1/stages/%s", got,
                            {"status": "done", "actual_end": st["actual_end"]})
                stage_moves += 1
            if want == "blocked" and got["status"] == "pending":
                got = patch(client, "/v1/stages/%s", got, {"status": "blocked"})
                stage_moves += 1
            stage_ids.append(got["id"])
        _, full = client.ok(S, "GET", "/v1/itineraries/%s" % iid)
        if full["status"] == "draft":
            full = patch(client, "/v1/itineraries/%s", full, {"status": "active"})
            stage_moves += 1
        # Units once the itinerary is active (nothing is delivered in a draft) and before it is
        # closed (a closed itinerary's plan is final).
        for st, sid in zip(it["stages"], stage_ids):
            w, k = set_units(client, sid, st["units"], full["status"])
            units_written += w
            units_kept += k
        target = it.get("status", "active")
        if full["status"] == "active" and target != "active":
            patch(client, "/v1/itineraries/%s", full,
                  {"status": target, "status_reason": it.get("status_reason")})
            stage_moves += 1
    log("itineraries: %d in the demo, %d created, %d updated; %d stages added, %d obstacles, "
        "%d status changes" % (len(itins), c, u, stages_added, obstacles_added, stage_moves))
    n_stages = sum(len(it["stages"]) for it in data["itineraries"])
    log("itineraries stage units: %d in the demo, %d written%s" % (
        n_stages, units_written, "; %d plan(s) of closed itineraries differ and are kept "
        "(load into a fresh database to get them)" % units_kept if units_kept else ""))

    tables = data["no_intervention"]
    segments = segments_of(client, data, person_ids)
    n = 0
    for seg, band in sorted(segments.items()):
        if band not in tables:
            raise ApiError("no no-intervention table for risk band %s (segment %s) in "
                           "itineraries.json" % (band, seg))
        n += put_if_differs(client, "/v1/segments/%s/no-intervention" % seg, tables[band])
    log("itineraries no-intervention tables: %d segments with a demo itinerary (%s), %d written"
        % (len(segments), ", ".join(sorted(segments)), n))
