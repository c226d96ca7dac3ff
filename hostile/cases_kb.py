"""Cases for knowledge-base overlays (--kb DIR) and waivers files."""

import templates as T
from cases_formats import PAYLOADS

NC = {"not_clear": True, "no_raw_controls": True}
SRC = "https://example.invalid/source"


def entity(eid, name, extra=""):
    return (f'id = "{eid}"\nname = "{name}"\nnames = ["{name}"]\nsources = ["{SRC}"]\n' + extra)


def part_number(pattern, example):
    return (f"\n[[part_numbers]]\npattern = '{pattern}'\nkind = \"memory-module\"\n"
            f'examples = ["{example}"]\nsource = "{SRC}"\n')


def relation(kind, target):
    return f'\n[[relations]]\nkind = "{kind}"\nentity = "{target}"\nfrom = "2001-01-01"\nsource = "{SRC}"\n'


def generate(c):
    overlays(c)
    waivers(c)


def scan_with_kb(c, desc, kb_files, expect, po=None, validate=True):
    files = {"po.csv": po or T.csv_po()}
    files.update({"kb/" + k: v for k, v in kb_files.items()})
    c.add("kb-overlay", "kb", desc, files, args=["po.csv"], flags=["--kb", "kb"], expect=expect)
    if validate:
        c.add("kb-overlay", "kb", desc + " (kb validate)", {"kb/" + k: v for k, v in kb_files.items()},
              command=["kb", "validate", "kb"], expect={"exit": [0, 2], "no_raw_controls": True,
                                                         "time_limit": expect.get("time_limit", 20)})


# A purchase order whose only evidence is a Micron part number.
PN_ONLY = "Manufacturer,Part Number,Order Date\nAcme Distribution,%s,2024-03-01\n" % T.MICRON_PN


def overlays(c):
    big = entity("zz-widgets", "ZZ Widgets") + part_number(r"^ZZ\w{120}", "ZZ" + "A" * 120) + \
        part_number(r"^ZY\w{120}", "ZY" + "A" * 120)
    scan_with_kb(c, "two valid patterns that overflow the combined pattern set",
                 {"entities/zz.toml": big}, {**NC, "exit": [1, 2]}, po=PN_ONLY)
    many = entity("zz-many", "ZZ Many") + "".join(
        part_number(rf"^Z{i:03d}[A-Z0-9]{{40}}", f"Z{i:03d}" + "A" * 40) for i in range(200))
    scan_with_kb(c, "200 long part-number patterns", {"entities/many.toml": many}, {**NC, "exit": [1, 2]}, po=PN_ONLY)
    for n, to_micron in [(12, True), (30, True), (12, False), (30, False)]:
        ids = [f"web{i:02d}" for i in range(n)]
        kb = {}
        for i, eid in enumerate(ids):
            rel = "".join(relation("owned-by", o) for o in ids if o != eid)
            rel += relation("owned-by", "micron") if to_micron else ""
            kb[f"entities/{eid}.toml"] = entity(eid, f"Qorvex Web{i:02d}", rel)
        po = "Manufacturer,Part Number,Order Date\nQorvex Web00,X-1,2024-03-01\n"
        if not to_micron:  # the web itself is clear; a Micron line beside it is not
            po += f"Micron,{T.MICRON_PN},2024-03-01\n"
        desc = f"{n} entities each related to every other" + ("" if to_micron else ", none to Micron")
        scan_with_kb(c, desc, kb, {**NC, "exit": [1, 2], "time_limit": 5}, po=po)
    chain = {}
    for i in range(2000):
        nxt = f"chain{i + 1:04d}" if i < 1999 else "micron"
        chain[f"entities/chain{i:04d}.toml"] = entity(f"chain{i:04d}", f"Chainco {i:04d}", relation("owned-by", nxt))
    po = "Manufacturer,Part Number,Order Date\nChainco 0000,X-1,2024-03-01\n"
    scan_with_kb(c, "a 2,000-entity ownership chain ending at Micron", chain,
                 {**NC, "exit": [1, 2], "time_limit": 10}, po=po)
    cyc = {"entities/a.toml": entity("cyc-a", "Cyc Alpha", relation("owned-by", "cyc-b")),
           "entities/b.toml": entity("cyc-b", "Cyc Beta", relation("owned-by", "cyc-a") + relation("owned-by", "micron"))}
    po = "Manufacturer,Part Number,Order Date\nCyc Alpha,X-1,2024-03-01\n"
    scan_with_kb(c, "two entities owned by each other, one also by Micron", cyc, {**NC, "exit": [1, 2], "time_limit": 5}, po=po)
    bad = {
        "a date where a string is expected": entity("d1", "Date One").replace(
            'sources = ["' + SRC + '"]', "sources = [2024-01-01]"),
        "an unknown key": entity("d2", "Key Two", "colour = \"red\"\n"),
        "an invalid regular expression": entity("d3", "Re Three") + part_number("^AB(", "AB("),
        "an over-size regular expression": entity("d4", "Re Four") + part_number(r"^\w{5000}\w{5000}", "A"),
        "a relation to an unknown entity": entity("d5", "Rel Five", relation("owned-by", "no-such-entity")),
        "a duplicate TOML key": entity("d6", "Dup Six") + 'name = "Other"\n',
        "an id that is not a slug": entity("D 7!", "Slug Seven"),
        "100,000-deep nested arrays": entity("d8", "Deep Eight") + "x = " + "[" * 100000 + "]" * 100000 + "\n",
        "invalid UTF-8": entity("d9", "Bad \xff Nine").encode("latin-1"),
        "UTF-16": b"\xff\xfe" + entity("d10", "Wide Ten").encode("utf-16-le"),
    }
    for desc, text in bad.items():
        scan_with_kb(c, f"entity file with {desc}", {"entities/bad.toml": text},
                     {**NC, "exit": [2]})
    for label in ["osc-title", "c1-csi", "bidi-override", "bare-cr"]:
        esc = PAYLOADS[label].encode("unicode_escape").decode().replace("\\x", "\\u00")
        text = (f'id = "inj-{label}"\nname = "Injco {esc}"\nnames = ["Injco"]\nsources = ["{SRC}{esc}"]\n'
                + relation("owned-by", "micron"))
        files = {"po.csv": "Manufacturer,Part Number,Order Date\nInjco,X-1,2024-03-01\n",
                 "kb/entities/inj.toml": text}
        c.add("terminal-injection", "kb", f"{label} in an overlay entity's name and source", files,
              args=["po.csv"], flags=["--kb", "kb"], expect={**NC, "exit": [1, 2]})
        c.add("terminal-injection", "kb", f"{label} in an overlay entity, kb show", files,
              command=["kb", "show", f"inj-{label}", "--kb", "kb"],
              expect={"exit": [0, 2], "no_raw_controls": True})
    c.add("kb-overlay", "kb", "--kb names a file", {"po.csv": T.csv_po(), "kb": "x"},
          args=["po.csv"], flags=["--kb", "kb"], expect={"exit": [2], "no_raw_controls": True})
    c.add("kb-overlay", "kb", "--kb names nothing", {"po.csv": T.csv_po()},
          args=["po.csv"], flags=["--kb", "missing"], expect={"exit": [2], "no_raw_controls": True})


def waiver(directive="cn-cac-2023-micron", reason="r", approver="a", expires='"2027-03-31"',
           match='{ entity = "micron", host = "other-host" }'):
    return (f'[[waivers]]\ndirective = "{directive}"\nreason = "{reason}"\napprover = "{approver}"\n'
            f"expires = {expires}\nmatch = {match}\n\n")


def scan_with_waivers(c, desc, text, expect, cls="waivers"):
    c.add(cls, "waivers", desc, {"db-01.dmi": T.dmidecode(), "w.toml": text},
          args=["db-01.dmi"], flags=["--waivers", "w.toml"], expect=expect)


def waivers(c):
    bad = {
        "a TOML date for expires": waiver(expires="2027-03-31"),
        "an unknown directive": waiver(directive="no-such-directive"),
        "an unknown key": waiver() .replace("reason", "colour = \"red\"\nreason"),
        "a duplicate key": waiver().replace("reason = \"r\"", "reason = \"r\"\nreason = \"s\""),
        "an impossible expiry date": waiver(expires='"2027-02-30"'),
        "an empty match": waiver(match="{}"),
        "invalid UTF-8": waiver(reason="caf\xe9").encode("latin-1"),
        "100,000-deep nested arrays": waiver() + "x = " + "[" * 100000 + "]" * 100000 + "\n",
        "a truncated table": waiver()[:40],
    }
    for desc, text in bad.items():
        scan_with_waivers(c, f"waivers file with {desc}", text, {**NC, "exit": [2]})
    scan_with_waivers(c, "UTF-16 waivers file", b"\xff\xfe" + waiver().encode("utf-16-le"),
                      {**NC, "exit": [1, 2]})
    scan_with_waivers(c, "empty waivers file", "", {**NC, "exit": [1]})
    scan_with_waivers(c, "waiver with a pathological glob",
                      waiver(match='{ part_number = "' + "*A" * 200 + '*B" }'),
                      {**NC, "exit": [1], "time_limit": 5})
    scan_with_waivers(c, "50,000 waivers", waiver() * 50000, {**NC, "exit": [1], "time_limit": 5})
    for label, text in PAYLOADS.items():
        esc = text.encode("unicode_escape").decode().replace("\\x", "\\u00")
        scan_with_waivers(c, f"{label} in the approver and reason of a waiver that applies",
                          waiver(reason="ok" + esc, approver="Li Wei" + esc,
                                 match='{ entity = "micron" }'),
                          {"exit": [0, 1], "no_raw_controls": True}, cls="terminal-injection")
    scan_with_waivers(c, "OSC title in an unused waiver's match pattern",
                      waiver(match='{ host = "x\\u001b]0;PWNED\\u0007" }'),
                      {**NC, "exit": [1]}, cls="terminal-injection")
