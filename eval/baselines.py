#!/usr/bin/env python3
"""Scores general-purpose name matchers on eval/records.jsonl, for comparison
with `cargo run --release -p supplyscreen-eval`.

Each baseline is given what a name matcher can use: the Micron family's names
and brands, read from the knowledge base (data/entities/{micron,elpida,spectek}.toml),
and every textual field of a record (maker, model, description, part number).
A record is claimed as Micron family when its best score reaches the threshold.

Baselines:
  rapidfuzz token_set_ratio   (lowercased, punctuation stripped by its
                              default_process) at 90, and at the threshold that maximises its F1
                              on this very set (an optimistic figure for it)
  nomenklatura logic-v1       OpenSanctions' entity matcher (the yente default),
                              Company query against Company candidates, at 0.7
  nomenklatura name-based     its name-only matcher, at 0.7

Not part of CI. Setup: python3 -m venv .venv && .venv/bin/pip install -r eval/requirements.txt
Run: .venv/bin/python eval/baselines.py [eval/records.jsonl]
"""
import json
import os
import sys
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FAMILY = ["micron", "elpida", "spectek"]
TEXT_ROLES = {"maker", "model", "description", "part-number"}


def family_names():
    """Names and brands of the Micron family, as the KB lists them."""
    names = []
    for entity in FAMILY:
        with open(os.path.join(ROOT, "data", "entities", f"{entity}.toml"), "rb") as f:
            doc = tomllib.load(f)
        names.append(doc["name"])
        names.extend(doc.get("names", []))
        names.extend(b["name"] for b in doc.get("brands", []))
    return sorted(set(names))


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def is_name_record(record):
    """A record a name matcher can fairly be judged on: text fields only
    (maker, model, description), no JEDEC code."""
    return "jedec" not in record["tags"] and all(
        f["role"] in {"maker", "model", "description"} for f in record["fields"])


def texts(record):
    return [f["value"] for f in record["fields"] if f["role"] in TEXT_ROLES and f["value"].strip()]


def score(records, claimed):
    """Precision, recall, F1 for the Micron family, and hard negatives claimed."""
    tp = fp = fn = hard = 0
    for r, c in zip(records, claimed):
        positive = r["expect_family"] == "micron"
        tp += c and positive
        fp += c and not positive
        fn += (not c) and positive
        hard += c and "hard-negative" in r["tags"]
    p = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    return p, rec, f1, hard


def line(name, records, claimed, seconds):
    p, r, f1, hard = score(records, claimed)
    rate = len(records) / seconds if seconds else float("inf")
    print(f"  {name:<44} P {100 * p:7.3f}%  R {100 * r:7.3f}%  F1 {f1:.4f}  "
          f"hard negatives claimed {hard:4d}  ({rate:,.0f} records/s)")


def rapidfuzz_scores(records, names):
    from rapidfuzz import fuzz, utils

    def ratio(a, b):
        # Lowercased, punctuation stripped: the fair way to call it on names.
        return fuzz.token_set_ratio(a, b, processor=utils.default_process)

    start = time.perf_counter()
    best = [max((ratio(t, n) for t in texts(r) for n in names), default=0.0) for r in records]
    return best, time.perf_counter() - start


def nomenklatura_scores(records, names, algorithm):
    from followthemoney import model
    from nomenklatura.matching import ScoringConfig, get_algorithm

    algo = get_algorithm(algorithm)
    config = ScoringConfig.defaults()
    candidate = model.make_entity("Company")
    candidate.id = "micron-family"
    for n in names:
        candidate.add("name", n)
    start = time.perf_counter()
    best = []
    for r in records:
        values = texts(r)
        if not values:
            best.append(0.0)
            continue
        query = model.make_entity("Company")
        query.id = r["id"]
        for v in values:
            query.add("name", v)
        best.append(algo.compare(query, candidate, config).score)
    return best, time.perf_counter() - start


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "records.jsonl")
    names = family_names()
    everything = load(path)
    for title, records in [("all records", everything),
                           ("name records only", [r for r in everything if is_name_record(r)])]:
        print(f"\n{title}:")
        run(records, names)


def run(records, names):
    positives = sum(r["expect_family"] == "micron" for r in records)
    hard = sum("hard-negative" in r["tags"] for r in records)
    print(f"{len(records)} records ({positives} Micron family, {hard} hard negatives)")
    print(f"  names given to each matcher: {', '.join(names)}")

    best, secs = rapidfuzz_scores(records, names)
    line("rapidfuzz token_set_ratio >= 90", records, [s >= 90 for s in best], secs)
    f1_at = {t: score(records, [s >= t for s in best])[2] for t in range(50, 101)}
    t = max(f1_at, key=lambda k: (f1_at[k], k))
    line(f"rapidfuzz token_set_ratio >= {t} (best F1 here)", records, [s >= t for s in best], secs)

    for algorithm in ["logic-v1", "name-based"]:
        best, secs = nomenklatura_scores(records, names, algorithm)
        line(f"nomenklatura {algorithm} >= 0.7", records, [s >= 0.7 for s in best], secs)


if __name__ == "__main__":
    main()
