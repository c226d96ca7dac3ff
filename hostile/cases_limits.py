"""Cases for archive members, compressed streams and their limits, capped
diagnostics, CR-only line numbers and hand-written TOML, each checking that
the message names what is wrong (`mentions`)."""

import tarfile

import templates as T
from cases_special import newline_bomb
from corpus import gzip_bytes, tar_bytes

NC = {"not_clear": True, "no_raw_controls": True}


def generate(c):
    members(c)
    streams(c)
    limits(c)
    diagnostics(c)
    toml_dates(c)


def members(c):
    good = T.dmidecode().encode()
    samsung = T.dmidecode(maker="Samsung", part="M393A2K40DB3-CWE").encode()
    t = tar_bytes([("fleet/db-01.dmi", samsung), ("fleet/db-02.dmi", tarfile.LNKTYPE, "fleet/gone.dmi"),
                   ("fleet/db-03.dmi", good)])
    c.add("archive-member", "tar", "hard link to a member the archive does not hold", {"fleet.tar": t},
          expect={**NC, "exit": [2], "keeps_others": "db-03.dmi", "mentions": ["fleet/db-02.dmi", "hard link"]})
    t = tar_bytes([("./fleet/db-01.dmi", good), ("fleet/db-02.dmi", tarfile.LNKTYPE, "fleet/db-01.dmi")],
                  compress=True)
    c.add("archive-member", "tar", "hard link in a tar.gz, target written with ./", {"fleet.tar.gz": t},
          expect={**NC, "exit": [1], "keeps_others": "db-02.dmi"})
    t = tar_bytes([("fleet/link.dmi", tarfile.SYMTYPE, "db-01.dmi"), ("fleet/db-01.dmi", good)])
    c.add("archive-member", "tar", "symlink member to a sibling", {"fleet.tar": t},
          expect={**NC, "exit": [2], "keeps_others": "db-01.dmi", "mentions": ["fleet/link.dmi", "symbolic link"]})
    for desc, kind, word in [("character-device member", tarfile.CHRTYPE, "character device"),
                             ("FIFO member", tarfile.FIFOTYPE, "FIFO")]:
        t = tar_bytes([("fleet/dev.dmi", kind), ("fleet/db-01.dmi", good)], compress=True)
        c.add("archive-member", "tar", desc + " in a tar.gz", {"fleet.tar.gz": t},
              expect={**NC, "exit": [2], "keeps_others": "db-01.dmi", "mentions": ["fleet/dev.dmi", word]})


def streams(c):
    good = T.dmidecode().encode()
    samsung = T.dmidecode(maker="Samsung", part="M393A2K40DB3-CWE").encode()
    first = tar_bytes([("fleet/db-00.dmi", samsung)])
    second = tar_bytes([("fleet/db-01.dmi", good)])
    c.add("archive-stream", "tar", "two tars concatenated (cat a.tar b.tar)", {"fleet.tar": first + second},
          expect={**NC, "exit": [1], "keeps_others": "db-01.dmi"})
    c.add("archive-stream", "gzip", "two tar.gz concatenated", {"fleet.tar.gz": gzip_bytes(first) + gzip_bytes(second)},
          expect={**NC, "exit": [1], "keeps_others": "db-01.dmi"})
    t = bytearray(tar_bytes([("fleet/db-01.dmi", good)]))
    end = 512 + (len(good) + 511) // 512 * 512
    c.add("archive-stream", "tar", "tar cut exactly after a member (no end-of-archive blocks)",
          {"fleet.tar": bytes(t[:end])}, expect={**NC, "exit": [2], "mentions": ["end-of-archive"]})
    c.add("archive-stream", "tar", "garbage after the end-of-archive blocks",
          {"fleet.tar": bytes(t[:end]) + b"\0" * 1024 + b"GARBAGE!" * 64 + b"\0" * 512},
          expect={**NC, "exit": [2]})
    c.add("archive-stream", "tar", "member cut short names member and offset",
          {"fleet.tar": bytes(t[:512 + 100])},
          expect={**NC, "exit": [2], "mentions": ["fleet/db-01.dmi", "byte offset 612"]})
    gz = bytearray(gzip_bytes(bytes(t)))
    gz[-4] ^= 0x01
    c.add("archive-stream", "gzip", "tar.gz whose length field is wrong", {"fleet.tar.gz": bytes(gz)},
          expect={**NC, "exit": [2], "mentions": ["gzip stream"]})
    inner = tar_bytes([("db-01.dmi", good)], compress=True)
    c.add("archive-stream", "tar", "tar.gz inside a tar", {"outer.tar": tar_bytes([("inner.tar.gz", inner)])},
          expect={**NC, "exit": [1], "mentions": ["outer.tar:inner.tar.gz:db-01.dmi"]})
    deep = tar_bytes([("db-01.dmi", good)])
    for i in range(4):
        deep = tar_bytes([(f"level{i}.tar", deep)])
    c.add("archive-stream", "tar", "tar nested five deep", {"deep.tar": deep},
          expect={"exit": [2], "no_raw_controls": True, "mentions": ["nested more than 3 deep"]}, keep=True)
    c.add("archive-stream", "gzip", "gzip of one dmidecode file on standard input", {}, args=["-"],
          stdin=gzip_bytes(good), expect={**NC, "exit": [1]})
    c.add("archive-stream", "gzip", "gzip of a gzip of a tar", {"fleet.tar.gz.gz": gzip_bytes(gzip_bytes(bytes(t) + b"\0" * 1024))},
          expect={**NC, "exit": [1]})


def limits(c):
    bomb = newline_bomb(1 << 26)
    c.add("decompression-limit", "gzip", "64 MB of newlines from 64 KB (ratio ~1000) stops at --max-expansion",
          {"bomb.tar.gz": bomb}, expect={**NC, "exit": [2], "mentions": ["--max-expansion 500"], "time_limit": 10},
          keep=True)
    c.add("decompression-limit", "gzip", "the same bomb with a higher ratio reaches --max-input-size",
          {"bomb.tar.gz": bomb}, flags=["--max-expansion", "5000", "--max-input-size", "32M"],
          expect={**NC, "exit": [2], "mentions": ["--max-input-size 32M"], "time_limit": 10})
    c.add("decompression-limit", "gzip", "a gzip of a gzip bomb (each layer limited)",
          {"bomb.tar.gz.gz": gzip_bytes(bomb)}, expect={**NC, "exit": [2], "time_limit": 10})
    c.add("decompression-limit", "cli", "--max-expansion 0 is refused", {"db.dmi": T.dmidecode()},
          flags=["--max-expansion", "0"], expect={"exit": [2], "no_raw_controls": True})
    c.add("decompression-limit", "cli", "--max-input-size 4X is refused", {"db.dmi": T.dmidecode()},
          flags=["--max-input-size", "4X"], expect={"exit": [2], "no_raw_controls": True})


def diagnostics(c):
    head = "Manufacturer,Part Number,Order Date\n"
    rows = "".join(f"Samsung,M393A2K40DB3-CWE,2024-02-{30 + i % 2}\n" for i in range(300000))
    c.add("diagnostics-cap", "csv", "300,000 rows with impossible dates, then a Micron row",
          {"po.csv": head + rows + f"Micron,{T.MICRON_PN},2024-02-01\n"},
          expect={**NC, "exit": [2], "mentions": ["299,900 more error(s)"], "mem_limit": 1024, "time_limit": 20})
    cr = head.replace("\n", "\r") + "Samsung,M393A2K40DB3-CWE,2024-03-01\r\r" + f"Micron,{T.MICRON_PN},2024-02-30\r"
    c.add("diagnostics-cap", "csv", "CR-only line ends: the bad date is on line 4", {"po.csv": cr},
          expect={"exit": [2], "no_raw_controls": True, "mentions": ["po.csv:4:"]})


def toml_dates(c):
    waiver = ('[[waivers]]\ndirective = "cn-cac-2023-micron"\nreason = "spares"\napprover = "ops"\n'
              'expires = 2027-03-31\n[waivers.match]\nhost = "db-01"\n')
    c.add("toml-date", "waivers", "an unquoted TOML date where the waiver expects text",
          {"db-01.dmi": T.dmidecode(), "w.toml": waiver}, args=["db-01.dmi"], flags=["--waivers", "w.toml"],
          expect={"exit": [2], "no_raw_controls": True, "mentions": ["w.toml:5", "is a TOML date"]})
    ent = ('id = "acme"\nname = "Acme"\nnames = ["Acme"]\nsources = ["https://example.invalid/s"]\n\n'
           '[[relations]]\nkind = "owned-by"\nentity = "micron"\nfrom = "2001-01-01"\n'
           'source = 2020-01-01\n')
    c.add("toml-date", "kb", "an unquoted TOML date as a relation's source",
          {"kb/entities/acme.toml": ent}, command=["kb", "validate", "kb"],
          expect={"exit": [2], "no_raw_controls": True, "mentions": ["acme.toml:10", "is a TOML date"]})
    cyc = {
        "kb/entities/alpha.toml": ('id = "alpha"\nname = "Alpha"\nnames = ["Alpha"]\nsources = ["https://example.invalid/s"]\n'
                                   '\n[[relations]]\nkind = "owned-by"\nentity = "beta"\nfrom = "2001-01-01"\nsource = "https://example.invalid/s"\n'),
        "kb/entities/beta.toml": ('id = "beta"\nname = "Beta"\nnames = ["Beta"]\nsources = ["https://example.invalid/s"]\n'
                                  '\n[[relations]]\nkind = "subsidiary-of"\nentity = "alpha"\nfrom = "2001-01-01"\nsource = "https://example.invalid/s"\n'),
    }
    c.add("kb-cycle", "kb", "two entities owning each other", cyc, command=["kb", "validate", "kb"],
          expect={"exit": [2], "no_raw_controls": True, "mentions": ["relation cycle"]})
    cfg = '[scan]\nas_of = 2026-11-28\n'
    c.add("toml-date", "cli", "supplyscreen.toml with a date where text is expected",
          {"supplyscreen.toml": cfg, "db-01.dmi": T.dmidecode()}, args=["db-01.dmi"],
          expect={"exit": [0, 1, 2], "no_raw_controls": True})
