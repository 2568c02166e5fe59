#!/usr/bin/env python3
"""Bundles openapi/*.yaml into the one public OpenAPI document the gateway serves.

gateway.yaml gives the document's info, servers and security schemes; every other file adds its
paths and components. A component name used by two files with different content is renamed with
the service's name as prefix (and its references in that file rewritten), so no file silently
changes another's schema. A file that is not valid YAML is skipped with a warning. Writes JSON
to standard output.
Usage: openapi_bundle.py DIR
"""
import json
import os
import sys

import yaml


def rewrite_refs(node, renames):
    if isinstance(node, dict):
        return {k: (renames.get(v, v) if k == "$ref" and isinstance(v, str) else rewrite_refs(v, renames))
                for k, v in node.items()}
    if isinstance(node, list):
        return [rewrite_refs(v, renames) for v in node]
    return node


def main(directory):
    files = sorted(f for f in os.listdir(directory) if f.endswith((".yaml", ".yml")))
    if "gateway.yaml" not in files:
        sys.exit("openapi_bundle: gateway.yaml missing in " + directory)
    files.remove("gateway.yaml")
    files.insert(0, "gateway.yaml")
    bundle = None
    for name in files:
        try:
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                doc = yaml.safe_load(f)
        except (OSError, yaml.YAMLError) as error:
            # One broken document must not take the others down with it.
            print("openapi_bundle: %s skipped: %s" % (name, str(error).replace("\n", " ")), file=sys.stderr)
            continue
        if not isinstance(doc, dict):
            continue
        service = os.path.splitext(name)[0]
        if bundle is None:
            bundle = {k: v for k, v in doc.items() if k not in ("paths", "components")}
            bundle["paths"] = {}
            bundle["components"] = {}
            bundle["tags"] = list(doc.get("tags", []))
        else:
            known = {t.get("name") for t in bundle["tags"]}
            bundle["tags"] += [t for t in doc.get("tags", []) if t.get("name") not in known]
        renames = {}
        for kind, items in (doc.get("components") or {}).items():
            have = bundle["components"].setdefault(kind, {})
            for cname, value in (items or {}).items():
                if cname in have and have[cname] != value:
                    prefix = "".join(p.capitalize() for p in service.split("_"))
                    renames["#/components/%s/%s" % (kind, cname)] = "#/components/%s/%s%s" % (kind, prefix, cname)
        doc = rewrite_refs(doc, renames)
        for kind, items in (doc.get("components") or {}).items():
            have = bundle["components"].setdefault(kind, {})
            for cname, value in (items or {}).items():
                target = renames.get("#/components/%s/%s" % (kind, cname), "#/components/%s/%s" % (kind, cname))
                have[target.rsplit("/", 1)[1]] = value
        for path, item in (doc.get("paths") or {}).items():
            if path in bundle["paths"]:
                print("openapi_bundle: %s: %s already described, ignored" % (name, path), file=sys.stderr)
                continue
            bundle["paths"][path] = item
    json.dump(bundle, sys.stdout, ensure_ascii=False, separators=(",", ":"), default=str)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "openapi")
