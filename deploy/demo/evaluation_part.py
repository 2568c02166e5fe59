"""Demo data of the evaluation service (evaluation.json, evaluation_hub.json): hub indicator values
that no other service computes (recorded by people: collected), two closed campaigns of the
think-tank questionnaire (its five accelerators and eight spaces of transition, revision 2),
2025-H2 with 20 respondents and 2026-H1 with 24, collected in workshops (a few respondents answer
the open "other accelerators / other spaces" questions, the others leave them blank), two yearly
campaigns of the hub's perception questionnaire (HUB-PERCEPTION, its items feed the participatory
indicators), the social return models of several projects (sroi.json), and, once every service
is loaded, the snapshot of
the computed figures of each monitoring period. Only what is missing or differs is written; a
closed campaign is left as it is."""
import json
import os

from projects_part import HERE, same

S = "evaluation"
E = "/v1/evaluation"


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def load_values(client, log, values):
    indicators = {i["code"]: i for i in client.list_all(S, E + "/indicators")}
    have = {(v["indicator_id"], v.get("scope_id"), v["period"]): v
            for v in client.list_all(S, E + "/indicator-values", "scope_type=hub")}
    written = 0
    for v in values:
        ind = indicators[v["indicator"]]
        body = {"indicator_id": ind["id"], "scope_type": "hub", "period": v["period"],
                "value": v["value"], "source": v["source"], "evidence": v["evidence"]}
        got = have.get((ind["id"], None, v["period"]))
        if got is None:
            client.ok(S, "POST", E + "/indicator-values", body, expect=(201,))
            written += 1
        else:
            change = {k: body[k] for k in ("value", "source", "evidence")}
            if not same(change, got):
                client.ok(S, "PATCH", "%s/indicator-values/%s" % (E, got["id"]), change,
                          expect=(200,), headers={"If-Match": '"v%d"' % got["version"]})
                written += 1
    log("evaluation indicator values: %d in the demo, %d written" % (len(values), written))


def load_campaign(client, log, c, responses):
    questionnaires = {q["code"]: q for q in client.list_all(S, E + "/questionnaires")}
    campaign = next((x for x in client.list_all(S, E + "/campaigns") if x.get("code") == c["code"]),
                    None)
    if campaign is None:
        body = {k: v for k, v in c.items() if k != "questionnaire"}
        body["questionnaire_id"] = questionnaires[c["questionnaire"]]["id"]
        _, campaign = client.ok(S, "POST", E + "/campaigns", body, expect=(201,))
    answered = 0
    if campaign["status"] != "closed":
        for r in responses:
            client.ok(S, "POST", "%s/campaigns/%s/responses" % (E, campaign["id"]), r,
                      expect=(200, 201))
            answered += 1
        client.ok(S, "POST", "%s/campaigns/%s/close" % (E, campaign["id"]), expect=(200, 204))
    log("evaluation campaign %s: %d responses written%s" % (
        c["code"], answered, ", closed" if answered else " (already closed)"))


def load_sroi(client, log, project_ids):
    """The social return model of several projects (sroi.json), written when missing or different."""
    models = read("sroi.json")["models"]
    written = 0
    for ext, model in sorted(models.items()):
        path = "%s/projects/%s/sroi-model" % (E, project_ids[ext])
        status, _, have = client.call(S, "GET", path)
        if status == 200 and same(model, have):
            continue
        headers = {"If-Match": '"v%d"' % have["version"]} if status == 200 else {}
        client.ok(S, "PUT", path, model, expect=(200, 201), headers=headers)
        written += 1
    log("evaluation SROI models: %d in the demo, %d written" % (len(models), written))


def load(client, log, ids):
    data, hub = read("evaluation.json"), read("evaluation_hub.json")
    load_values(client, log, data["indicator_values"] + hub["indicator_values"])
    for c in data["campaigns"] + hub["campaigns"]:
        load_campaign(client, log, c["campaign"], c["responses"])
    load_sroi(client, log, ids["projects"])


def snapshot(client, log):
    """Stores the computed figures of each monitoring period (a figure that did not change is
    not written again)."""
    for s in read("evaluation_hub.json")["snapshots"]:
        _, out = client.ok(S, "POST", E + "/computed/snapshot", s, expect=(200,))
        log("evaluation computed figures of %s %s: %d stored, %d written, %d missing%s" % (
            s["scope_type"], s["period"], out["stored"], out["written"], out["missing"],
            "".join("; %s: %s" % (i["code"], i["reason"]) for i in out["items"]
                    if i["status"] != "ok")))
