"""Demo data of the evaluation service (evaluation.json): hub indicator values that no other
service computes, and a closed questionnaire campaign (the think-tank's accelerators and spaces of
transition) with the answers of 24 respondents collected in workshops. Only what is missing or
differs is written; a closed campaign is left as it is."""
import json
import os

from projects_part import HERE, same

S = "evaluation"
E = "/v1/evaluation"


def load(client, log, ids):
    with open(os.path.join(HERE, "evaluation.json"), encoding="utf-8") as f:
        data = json.load(f)

    indicators = {i["code"]: i for i in client.list_all(S, E + "/indicators")}
    have = {(v["indicator_id"], v.get("scope_id"), v["period"]): v
            for v in client.list_all(S, E + "/indicator-values", "scope_type=hub")}
    written = 0
    for v in data["indicator_values"]:
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
    log("evaluation indicator values: %d in the demo, %d written" % (len(data["indicator_values"]),
                                                                     written))

    c = data["campaign"]
    questionnaires = {q["code"]: q for q in client.list_all(S, E + "/questionnaires")}
    campaign = next((x for x in client.list_all(S, E + "/campaigns") if x.get("code") == c["code"]),
                    None)
    if campaign is None:
        body = {k: v for k, v in c.items() if k != "questionnaire"}
        body["questionnaire_id"] = questionnaires[c["questionnaire"]]["id"]
        _, campaign = client.ok(S, "POST", E + "/campaigns", body, expect=(201,))
    answered = 0
    if campaign["status"] != "closed":
        for r in data["responses"]:
            client.ok(S, "POST", "%s/campaigns/%s/responses" % (E, campaign["id"]), r,
                      expect=(200, 201))
            answered += 1
        client.ok(S, "POST", "%s/campaigns/%s/close" % (E, campaign["id"]), expect=(200, 204))
    log("evaluation campaign %s: %d responses written%s" % (
        c["code"], answered, ", closed" if answered else " (already closed)"))
