#!/usr/bin/env python3
"""Loads the demo hub data set through the API. Run by deploy/local/demo.sh, which sets:
  DEMO_MODE  gateway (API_URL + DEMO_TOKEN) or direct (<SERVICE>_URL + INTERNAL_SECRET)
  DEMO_ORG   the organisation that owns the demo records (their external_id namespace)
Loading twice writes nothing the second time. Prints the hub summary at the end."""
import json
import os
import sys

from client import ApiError, Client
import evaluation_part
import itineraries_part
import projects_part
import transfer_part


def log(msg):
    if os.environ.get("QUIET") != "1":
        print("  demo: " + msg, file=sys.stderr)


def main():
    client = Client()
    try:
        ids = projects_part.load(client, log)
        if client.has("transfer"):
            transfer_part.load(client, log, ids)
        if client.has("itineraries"):
            itineraries_part.load(client, log, ids)
        if client.has("evaluation"):
            evaluation_part.load(client, log, ids)
            evaluation_part.snapshot(client, log)
        _, summary = client.ok("projects", "GET", "/v1/hub/summary")
    except ApiError as e:
        print("demo load failed: %s" % e, file=sys.stderr)
        return 1
    log("%d requests; hub summary: %s" % (client.requests, json.dumps(
        {k: summary[k] for k in ("projects", "institutions", "people_involved",
                                 "persons_reached")}, ensure_ascii=False)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
