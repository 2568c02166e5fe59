"""Prints the bench table and writes results.json from the rows bench/run.sh measured.

usage: report.py ROWS.tsv MEMORY.tsv NOTES.txt RESULTS.json "key=value ..."
"""
import json
import re
import sys
import time

rows_path, mem_path, notes_path, out_path, params = sys.argv[1:6]


def num(text):
    try:
        return float(text)
    except ValueError:
        return None


rows = []
with open(rows_path) as f:
    for line in f:
        name, kind, rps, p50, p99, errors, requests, note, load = line.rstrip("\n").split("\t")
        rows.append({"workload": name, "kind": kind, "rate": num(rps), "p50_ms": num(p50),
                     "p99_ms": num(p99), "errors": int(errors) if errors else None,
                     "requests": int(requests) if requests else None, "note": note or None,
                     "load_average": num(load)})
by_name = {r["workload"]: r for r in rows}


def rate(name):
    r = by_name.get(name)
    return r["rate"] if r and r["rate"] else None


def ratio(a, b):
    return round(a / b, 3) if a and b else None


# Each row's ratios to the references of the same run, and the target where it has one.
for r in rows:
    n, v = r["workload"], r["rate"]
    ratios = {}
    if n in ("hello", "pgbench-S", "W4 COPY (reference)"):
        r["reference"] = True
    elif n == "pgbench-W2sql":
        ratios["pgbench-S"] = ratio(v, rate("pgbench-S"))
    elif n.startswith("W2"):
        ratios["pgbench-S"] = ratio(v, rate("pgbench-S"))
        ratios["pgbench-W2sql"] = ratio(v, rate("pgbench-W2sql"))
        ratios["hello"] = ratio(v, rate("hello"))
    elif n.startswith("W1"):
        run = n.split()[-1]
        ratios["pgbench-S"] = ratio(v, rate("pgbench-S"))
        ratios["W2 run " + run] = ratio(v, rate("W2 run " + run))
        r["targets"] = {"pgbench-S >= 0.5": (ratios["pgbench-S"] or 0) >= 0.5,
                        "W2 >= 0.6": (ratios["W2 run " + run] or 0) >= 0.6,
                        "p99 < 10 ms": (r["p99_ms"] or 1e9) < 10,
                        "0 errors": r["errors"] == 0}
    elif n == "W3 page 1" or n.startswith("W5") or n.startswith("W6"):
        ratios["hello"] = ratio(v, rate("hello"))
    elif n.startswith("W3 deep"):
        p1 = by_name.get("W3 page 1")
        ratios["W3 page 1"] = ratio(v, rate("W3 page 1"))
        if p1 and p1["p50_ms"] and r["p50_ms"]:
            r["p50_vs_page_1"] = round(r["p50_ms"] / p1["p50_ms"], 3)
            r["targets"] = {"deep p50 within 20 % of page 1": r["p50_vs_page_1"] <= 1.2}
    elif n == "W4 NDJSON bulk":
        ratios["COPY"] = ratio(v, rate("W4 COPY (reference)"))
        r["targets"] = {"COPY >= 0.3": (ratios["COPY"] or 0) >= 0.3}
    r["ratios"] = ratios

memory = []
with open(mem_path) as f:
    for line in f:
        s, pid, end, w21, w22, w11, w12, w20, w10 = (line.rstrip("\n").split("\t") + [""] * 9)[:9]
        kb = lambda t: int(t) if t else None
        m = {"service": s, "pid": int(pid), "rss_kb_end": kb(end),
             "rss_kb_after_warmup_w2": kb(w20), "rss_kb_after_w2_run_1": kb(w21),
             "rss_kb_after_w2_run_2": kb(w22), "rss_kb_after_warmup_w1": kb(w10),
             "rss_kb_after_w1_run_1": kb(w11), "rss_kb_after_w1_run_2": kb(w12)}
        if m["rss_kb_after_w2_run_1"] and m["rss_kb_after_w2_run_2"]:
            m["growth_kb_w2_run_2"] = m["rss_kb_after_w2_run_2"] - m["rss_kb_after_w2_run_1"]
        if m["rss_kb_after_w1_run_1"] and m["rss_kb_after_w1_run_2"]:
            m["growth_kb_w1_run_2"] = m["rss_kb_after_w1_run_2"] - m["rss_kb_after_w1_run_1"]
        memory.append(m)

with open(notes_path) as f:
    notes = [line.strip() for line in f if line.strip()]


def fmt(v, digits=1):
    return "-" if v is None else f"{v:,.{digits}f}"


def ratio_text(r):
    if r.get("reference"):
        return "reference"
    parts = [f"{v:.2f} x {k}" for k, v in r["ratios"].items() if v is not None]
    if "p50_vs_page_1" in r:
        parts.append(f"p50 {r['p50_vs_page_1']:.2f} x page 1")
    return "; ".join(parts) or "-"


head = ["workload", "req/s | rows/s", "p50 ms", "p99 ms", "errors", "load", "ratio to references"]
table = [head]
for r in rows:
    unit = " rows/s" if r["kind"] == "rows" else ""
    table.append([r["workload"], fmt(r["rate"]) + unit, fmt(r["p50_ms"], 2), fmt(r["p99_ms"], 2),
                  "-" if r["errors"] is None else str(r["errors"]), fmt(r["load_average"], 1),
                  ratio_text(r)])
widths = [max(len(row[i]) for row in table) for i in range(len(head))]
print()
print(f"bench ({params})")
for i, row in enumerate(table):
    print("  ".join(c.ljust(widths[j]) if j in (0, 6) else c.rjust(widths[j])
                    for j, c in enumerate(row)).rstrip())
    if i == 0:
        print("  ".join("-" * w for w in widths))
missed = [f"{r['workload']}: {k}" for r in rows for k, ok in r.get("targets", {}).items() if not ok]
print()
print("targets missed: " + ("; ".join(missed) if missed else "none"))
print()
print("memory (VmRSS, kB)  after run  after W2 run 1 -> run 2 (growth)  after W1 run 1 -> run 2 (growth)")
for m in memory:
    w2 = (f"{m['rss_kb_after_w2_run_1']} -> {m['rss_kb_after_w2_run_2']} "
          f"({m['growth_kb_w2_run_2']:+d})") if "growth_kb_w2_run_2" in m else "-"
    w1 = (f"{m['rss_kb_after_w1_run_1']} -> {m['rss_kb_after_w1_run_2']} "
          f"({m['growth_kb_w1_run_2']:+d})") if "growth_kb_w1_run_2" in m else "-"
    print(f"  {m['service']:<12} {fmt(m['rss_kb_end'], 0):>10}  {w2:>30}  {w1:>30}")
for n in notes:
    print("note: " + n)

out = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
       "parameters": dict(re.findall(r"(\w+)=(\S+)", params)),
       "rows": rows, "memory": memory, "notes": notes, "targets_missed": missed}
with open(out_path, "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print(f"\nwritten: {out_path}")
