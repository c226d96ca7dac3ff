"""Cases for the command line itself: arguments, unknown inputs beside
readable ones, and text arguments carrying terminal controls."""

import templates as T
from cases_formats import PAYLOADS

NC = {"not_clear": True, "no_raw_controls": True}
ERR = {"exit": [2], "no_raw_controls": True}


def generate(c):
    good = T.dmidecode().encode()
    c.add("lost-report", "cli", "a path that does not exist beside a readable file", {},
          args=["missing.dmi"], expect=ERR, keep=True)
    c.add("lost-report", "cli", "a README beside a readable file", {"README.md": "# Notes\n\nSee the wiki.\n"},
          expect=ERR, keep=True)
    c.add("lost-report", "cli", "a Shift-JIS file beside a readable file",
          {"po.csv": "メーカー,型番\nマイクロン,X\n".encode("shift_jis")}, expect=ERR, keep=True)
    c.add("lost-report", "cli", "a Big5 file beside a readable file",
          {"po.csv": "廠商,料號\n美光,X\n".encode("big5")}, expect=ERR, keep=True)
    c.add("lost-report", "cli", "JSON Lines with a BOM on every line beside a readable file",
          {"inv.jsonl": (b"\xef\xbb\xbf" + T.jsonl().encode()) * 3},
          expect={**NC, "exit": [1, 2]}, keep=True)
    c.add("lost-report", "cli", "a JSON document of no known tool beside a readable file",
          {"meta.json": '{"name": "x"}\n'}, expect=ERR, keep=True)
    c.add("lost-report", "cli", "a directory with an unknown JSON file beside readable CSVs",
          {"d/po.csv": T.csv_po(), "d/meta.json": '{"name":"x"}\n'}, args=["d"],
          expect={**NC, "exit": [1, 2], "keeps_others": "po.csv"})
    c.add("lost-report", "cli", "a binary file beside a readable file",
          {"blob.bin": bytes(range(256)) * 64}, expect=ERR, keep=True)
    c.add("lost-report", "cli", "a file named twice", {"db-01.dmi": good}, args=["db-01.dmi", "db-01.dmi"],
          expect={**NC, "exit": [1, 2]})
    c.add("cli", "cli", "standard input named twice", {}, args=["-", "-"], stdin=good,
          expect={**NC, "exit": [1, 2]})
    c.add("cli", "cli", "empty standard input", {}, args=["-"], stdin=b"", expect=ERR)
    for date in ["2026-02-30", "0000-01-01", "tomorrow", "2026-11-28\x1b]0;PWNED\x07"]:
        c.add("cli", "cli", f"--as-of {date[:12]!r}", {"db-01.dmi": good},
              command=["scan", "db-01.dmi", "--as-of", date], expect=ERR)
    for label in ["osc-title", "c1-csi", "bidi-override", "bare-cr", "clear-screen"]:
        p = PAYLOADS[label]
        c.add("terminal-injection", "cli", f"{label} in --profile", {"db-01.dmi": good},
              command=["scan", "db-01.dmi", "--profile", "cn" + p], expect=ERR)
        c.add("terminal-injection", "cli", f"{label} in a missing path", {},
              command=["scan", "x" + p + ".dmi"], expect=ERR)
        c.add("terminal-injection", "cli", f"{label} in identify TEXT", {},
              command=["identify", "Micron " + p], expect={"exit": [0, 1, 2], "no_raw_controls": True})
        c.add("terminal-injection", "cli", f"{label} in identify --explain", {},
              command=["identify", "--explain", "Micron" + p + "Technology"],
              expect={"exit": [0, 1, 2], "no_raw_controls": True})
        c.add("terminal-injection", "cli", f"{label} in kb show ID", {},
              command=["kb", "show", "micron" + p], expect={"exit": [0, 2], "no_raw_controls": True})
        c.add("terminal-injection", "cli", f"{label} in kb search TEXT", {},
              command=["kb", "search", "Micron" + p], expect={"exit": [0, 1, 2], "no_raw_controls": True})
        c.add("terminal-injection", "cli", f"{label} in a directory name", {f"d{p}/db-01.dmi": good},
              expect={**NC, "exit": [1]})
    c.add("cli", "cli", "identify with a 100 KB argument", {}, command=["identify", "Micron " + "A" * 100_000],
          expect={"exit": [0, 1, 2], "no_raw_controls": True, "time_limit": 10})
    c.add("cli", "cli", "identify with 5,000 arguments", {}, command=["identify"] + ["Micron"] * 5000,
          expect={"exit": [0, 1, 2], "no_raw_controls": True, "time_limit": 10})
    c.add("cli", "cli", "unknown --format", {"db-01.dmi": good},
          command=["scan", "db-01.dmi", "--format", "yaml"], expect=ERR)
    c.add("cli", "cli", "no paths", {}, command=["scan"], expect=ERR)
