#!/usr/bin/env python3
"""Writes the hostile-input corpus into a directory: one sub-directory per
case holding its files, and `manifest.json` listing every case with its
command line, standard input and expectations.

Usage: generate.py OUT_DIR [--seed N]

Python 3 standard library only; the same seed writes the same bytes.
Expectations come from what the tool must guarantee (fail closed, never
hang, never blow up, never write input-derived control characters to a
terminal, one bad input never costs the others), not from what it does
today. The closed set of expectation keys:

  exit            list of acceptable exit codes
  not_clear       a restricted item inside must not come out clear with exit 0
  no_raw_controls no C0/C1/DEL/bidi/format character from the input reaches
                  stdout or stderr; JSON output stays valid JSON without
                  duplicate keys
  keeps_others    path of a readable file beside the bad one whose findings
                  must still be reported
  time_limit      seconds
  mem_limit       MiB of address space
"""

import argparse
import json
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cases_cli  # noqa: E402
import cases_formats  # noqa: E402
import cases_kb  # noqa: E402
import cases_limits  # noqa: E402
import cases_special  # noqa: E402
from corpus import Corpus  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="directory to write (emptied first)")
    ap.add_argument("--seed", type=int, default=20261201)
    args = ap.parse_args()
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    corpus = Corpus(args.out, random.Random(args.seed))
    cases_formats.generate(corpus)
    cases_special.generate(corpus)
    cases_kb.generate(corpus)
    cases_cli.generate(corpus)
    cases_limits.generate(corpus)
    corpus.write_manifest()
    by_class = {}
    for c in corpus.cases:
        by_class[c["class"]] = by_class.get(c["class"], 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(by_class.items()))
    print(f"{len(corpus.cases)} cases in {args.out} ({summary})")


if __name__ == "__main__":
    main()
