"""Cases aimed at one weakness each: CSV quoting, duplicate keys, dates,
SMBIOS structure, archive members, special files, size and time."""

import json
import struct
import tarfile
import zlib

import templates as T
from corpus import directory, fifo, gzip_bytes, sock, symlink, tar_bytes

NC = {"not_clear": True, "no_raw_controls": True}
CSV_HEAD = "Manufacturer,Part Number,Order Date,Note\n"
MICRON_ROW = f"Micron,{T.MICRON_PN},2024-02-01,x\n"


def generate(c):
    csv_quoting(c)
    csv_headers_and_dates(c)
    duplicate_keys(c)
    lshw_xml_text(c)
    smbios(c)
    archives(c)
    special_files(c)
    size_and_time(c)


def csv_quoting(c):
    rows = MICRON_ROW * 50
    cases = {
        "unbalanced quote in a free-text last column":
            CSV_HEAD + 'Samsung,M393A2K40DB3-CWE,2024-03-01,"urgent\n' + rows,
        "unbalanced quote in the header":
            'Manufacturer,"Part Number,Order Date,Note\n' + rows,
        "unbalanced quote in the first column":
            CSV_HEAD + '"Samsung,M393A2K40DB3-CWE,2024-03-01,x\n' + rows,
        "unbalanced quote on the last line":
            CSV_HEAD + rows + 'Samsung,M393A2K40DB3-CWE,2024-03-01,"urgent\n',
        "unbalanced quote, TSV":
            (CSV_HEAD + 'Samsung,M393A2K40DB3-CWE,2024-03-01,"urgent\n' + rows).replace(",", "\t"),
    }
    for desc, text in cases.items():
        c.add("csv-quoting", "csv", desc, {"po.csv": text}, expect={**NC, "exit": [2]})
    # A quote inside an unquoted field is a literal character, and text after a
    # closing quote continues the field: nothing is lost, so either outcome is
    # acceptable as long as the Micron rows are screened.
    for desc, row in [("quote inside an unquoted field", 'Samsung,M393"A2K40DB3-CWE,2024-03-01,x\n'),
                      ("text after a closing quote", '"Samsung"x,M393A2K40DB3-CWE,2024-03-01,x\n')]:
        c.add("csv-quoting", "csv", desc, {"po.csv": CSV_HEAD + row + rows}, expect={**NC, "exit": [1, 2]})
    c.add("csv-quoting", "csv", "unbalanced quote beside a readable file",
          {"po.csv": CSV_HEAD + 'Samsung,X,2024-03-01,"urgent\n' + rows},
          expect={"exit": [2], "no_raw_controls": True}, keep=True)
    c.add("csv-quoting", "csv", "row with more fields than the header",
          {"po.csv": CSV_HEAD + f"Micron,{T.MICRON_PN},2024-02-01,x,extra\n"},
          expect={**NC, "exit": [2]})
    c.add("csv-quoting", "csv", "embedded newline in a quoted description",
          {"po.csv": CSV_HEAD + f'Micron,{T.MICRON_PN},2024-02-01,"two\nlines"\n'},
          expect={**NC, "exit": [1]})
    c.add("csv-quoting", "csv", "formula cells",
          {"po.csv": CSV_HEAD + f'Micron,{T.MICRON_PN},2024-02-01,"=HYPERLINK(""http://x.invalid"",""a"")"\n'
           + '"=cmd|\' /C calc\'!A0",X,2024-02-01,"@SUM(1+1)"\n'},
          expect={**NC, "exit": [1, 2]})
    c.add("csv-quoting", "csv", "repeated column, JSON report keeps both values without duplicate keys",
          {"po.csv": "Manufacturer,Manufacturer,Part Number,Order Date\n"
           f"Micron,Crucial,{T.MICRON_PN},2024-02-01\n"},
          flags=["--format", "json"], expect={**NC, "exit": [1]})


def csv_headers_and_dates(c):
    micron = f"Micron,MTA18ASF4G72PDZ-3G2R1,2024-03-01\n"
    c.add("headers", "csv", "'#' comment line before the header",
          {"po.csv": "# Exported from ERP\nVendor,Mfr Part #,Order Date\n" + micron},
          expect={**NC, "exit": [1, 2]})
    c.add("headers", "csv", "unrecognised header names",
          {"po.csv": "Supplier,Item Number,Item Description,Ordered Qty,PO Date\n"
           "Micron Technology,MTA18ASF4G72PDZ-3G2R1,32GB RDIMM,4,2024-03-01\n"},
          expect={**NC, "exit": [1, 2]})
    c.add("headers", "csv", "title rows above the header",
          {"po.csv": "ACME Corp purchase orders\nQ1 2024\n\nManufacturer,Part Number,Order Date\n" + micron},
          expect={**NC, "exit": [1, 2]})
    c.add("headers", "csv", "Export-Csv cut before its header",
          {"po.csv": "#TYPE Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_PhysicalMemory\n"},
          expect={"exit": [2], "no_raw_controls": True})
    c.add("headers", "csv", "header only, beside a readable file",
          {"po.csv": "Manufacturer,Part Number,Order Date\n"},
          expect={"exit": [0, 1, 2], "no_raw_controls": True}, keep=True)
    for date in ["2024-02-30", "0000-01-01", "9999-12-31", "2201-01-01", "2024-13-01",
                 "99999999999999999999", "2024-03-01T25:00", "１２０２４-03-01"]:
        c.add("dates", "csv", f"order date {date!r}",
              {"po.csv": f"Manufacturer,Part Number,Order Date\nMicron,{T.MICRON_PN},{date}\n"},
              expect={**NC, "exit": [1, 2]})
    c.add("dates", "jsonl", "acquired date that is a number",
          {"inv.jsonl": '{"kind":"memory","manufacturer":"Micron","part_number":"%s","acquired":20240301}\n'
           % T.MICRON_PN}, expect={**NC, "exit": [2]})


def duplicate_keys(c):
    # The later duplicate names another maker, the earlier one Micron.
    docs = {
        "lshw-json": ("stor-04.lshw.json", T.lshw_json(), '"vendor": "Micron"', '"vendor": "Micron", "vendor": "Samsung"'),
        "osquery-json": ("ws.osquery.json", T.osquery_json(), '"manufacturer": "Micron"',
                         '"manufacturer": "Micron", "manufacturer": "Samsung"'),
        "smartctl-json": ("sda.smartctl.json", T.smartctl_json(), '"model_name": "Micron_7450_MTFDKCC3T8TFR"',
                          '"model_name": "Micron_7450_MTFDKCC3T8TFR", "model_name": "SAMSUNG MZQL23T8HCLS-00A07"'),
        "nvme-id-ctrl": ("id-ctrl.json", T.nvme_id_ctrl(), '"vid": 4932', '"vid": 4932, "vid": 5197'),
        "lsblk": ("lsblk.json", T.lsblk(), '"model": "Micron_5300_MTFDDAK1T9TDS"',
                  '"model": "Micron_5300_MTFDDAK1T9TDS", "model": "SAMSUNG MZ7L3960HCJR"'),
        "windows-cim": ("mem.json", T.windows_cim(), '"Manufacturer": "Micron"',
                        '"Manufacturer": "Micron", "Manufacturer": "Samsung"'),
        "system-profiler": ("mbp.json", T.system_profiler(), '"dimm_manufacturer": "0x802C"',
                            '"dimm_manufacturer": "0x802C", "dimm_manufacturer": "0x80CE"'),
        "jsonl": ("inv.jsonl", T.jsonl(), '"manufacturer": "Micron"',
                  '"manufacturer": "Micron", "manufacturer": "Samsung"'),
        "osquery-log": ("fleet.osquery.log", T.osquery_log(), '"vendor_id": "1344"',
                        '"vendor_id": "1344", "vendor_id": "8086"'),
    }
    for reader, (name, text, key, both) in docs.items():
        assert key in text, (reader, key)
        c.add("duplicate-keys", reader, "a key repeated with another value",
              {name: text.replace(key, both, 1)}, expect={**NC, "exit": [2]})
        same = key + ", " + key
        c.add("duplicate-keys", reader, "a key repeated with the same value",
              {name: text.replace(key, same, 1)}, expect={**NC, "exit": [1, 2]})
    nvme = T.nvme_list().rstrip().rstrip("}") + ', "Devices": []\n}\n'
    c.add("duplicate-keys", "nvme-list", "a second, empty Devices array",
          {"nvme.json": nvme}, expect={**NC, "exit": [2]})
    c.add("duplicate-keys", "lshw-xml", "two vendor elements, Micron then Samsung",
          {"lshw.xml": T.lshw_xml(vendor="Micron</vendor>\n  <vendor>Samsung")},
          expect={**NC, "exit": [1, 2]})
    c.add("duplicate-keys", "dmidecode", "Manufacturer printed twice, JSON report",
          {"db.dmi": T.dmidecode(extra_field="\tManufacturer: Samsung\n")},
          flags=["--format", "json"], expect={**NC, "exit": [1, 2]})


def lshw_xml_text(c):
    for desc, vendor in [("character reference inside the vendor", "Mi&#99;ron"),
                         ("entity reference inside the vendor", "Micron &amp; Crucial"),
                         ("CDATA vendor", "<![CDATA[Micron]]>"),
                         ("vendor split by a comment", "Mic<!-- x -->ron")]:
        c.add("lshw-xml-text", "lshw-xml", desc, {"lshw.xml": T.lshw_xml(vendor=vendor)},
              expect={**NC, "exit": [1]})
    c.add("lshw-xml-text", "lshw-xml", "XXE external entity",
          {"lshw.xml": '<?xml version="1.0"?>\n<!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
           + T.lshw_xml(vendor="Micron &x;").split("\n", 1)[1]},
          expect={**NC, "exit": [1, 2]})
    c.add("lshw-xml-text", "lshw-xml", "billion laughs",
          {"lshw.xml": '<?xml version="1.0"?>\n<!DOCTYPE n [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
           + "]>\n" + T.lshw_xml(vendor="Micron &j;").split("\n", 1)[1]},
          expect={**NC, "exit": [1, 2], "mem_limit": 1024})
    c.add("lshw-xml-text", "lshw-xml", "root element after a 20 KB DOCTYPE",
          {"lshw.xml": '<?xml version="1.0"?>\n<!DOCTYPE node [' + "<!-- " + "x" * 20000 + " -->]>\n"
           + T.lshw_xml().split("\n", 1)[1]},
          expect={**NC, "exit": [1, 2]})
    c.add("lshw-xml-text", "lshw-xml", "unclosed root element",
          {"lshw.xml": T.lshw_xml()[: -len("</node>\n")]}, expect={**NC, "exit": [2]})
    c.add("lshw-xml-text", "lshw-xml", "mismatched end tag",
          {"lshw.xml": T.lshw_xml().replace("</vendor>", "</vendr>", 1)}, expect={**NC, "exit": [2]})


def smbios(c):
    md, end = T.smbios_memory_device(), T.smbios_end()
    dmi = T.smbios_dump
    bad_len = bytearray(md)
    bad_len[1] = 255
    short = bytearray(md)
    short[1] = 2
    unterminated = md[:-2]
    bad_index = bytearray(md)
    bad_index[0x1A] = 9
    cases = {
        "table length 0": (dmi(table_len=0), [2]),
        "end-of-table marker first": (dmi(end + md + end), [2]),
        "structure length 255 past the table": (dmi(bytes(bad_len) + end), [2]),
        "structure length 2": (dmi(bytes(short) + end), [2]),
        "strings never terminated": (dmi(unterminated), [2]),
        "table offset past the end of the file": (dmi(table_addr=0x10000)[:0x40], [2]),
        "entry point only": (b"_SM3_", [2]),
        "table shorter than the entry point says": (dmi(table_len=4096), [2]),
        "no end-of-table marker": (dmi(md), [1, 2]),
        "string index out of range": (dmi(bytes(bad_index) + end), [1, 2]),
        "non-UTF-8 maker string": (dmi(T.smbios_memory_device(maker=b"Micron \xff\xfe") + end), [1, 2]),
        "memory device after 1,000 zero-string structures":
            (dmi(b"".join(T.smbios_structure(126, i, b"", []) for i in range(1000)) + md + end), [1]),
    }
    for desc, (data, code) in cases.items():
        expect = {**NC, "exit": code} if code != [2] or desc != "entry point only" else \
            {"exit": code, "no_raw_controls": True}
        c.add("smbios-structure", "smbios-dump", desc, {"db.bin": data}, expect=expect)
        if code == [2]:
            c.add("smbios-structure", "smbios-dump", desc + ", beside a readable file",
                  {"db.bin": data}, expect={"exit": [2], "no_raw_controls": True}, keep=True)
    legacy = bytearray(0x20)
    legacy[0:4] = b"_SM_"
    legacy[0x10:0x15] = b"_DMI_"
    table = md + end
    struct.pack_into("<H", legacy, 0x16, len(table))
    struct.pack_into("<I", legacy, 0x18, 0x20)
    c.add("smbios-structure", "smbios-dump", "SMBIOS 2.x entry point",
          {"db.bin": bytes(legacy) + table}, expect={**NC, "exit": [1]})
    many = b"".join(T.smbios_memory_device(handle=i) for i in range(20000)) + end
    c.add("smbios-structure", "smbios-dump", "20,000 memory devices",
          {"db.bin": dmi(many)}, expect={**NC, "exit": [1], "time_limit": 10})


def archives(c):
    good = T.dmidecode().encode()
    intel = T.dmidecode(maker="Samsung", part="M393A2K40DB3-CWE").encode()
    hl = tar_bytes([("fleet/db-01.dmi", intel), ("fleet/db-02.dmi", tarfile.LNKTYPE, "fleet/db-01.dmi")])
    hl_micron = tar_bytes([("fleet/db-01.dmi", good), ("fleet/db-02.dmi", tarfile.LNKTYPE, "fleet/db-01.dmi")])
    c.add("archive", "tar", "hard-link member (db-02 stored as a link to db-01)",
          {"fleet.tar": hl_micron}, expect={**NC, "exit": [1], "keeps_others": "db-02.dmi"})
    c.add("archive", "tar", "hard-link member to a clean file, JSON report", {"fleet.tar": hl},
          flags=["--format", "json"], expect={"exit": [0], "no_raw_controls": True, "keeps_others": "db-02.dmi"})
    for desc, kind in [("character-device member", tarfile.CHRTYPE), ("FIFO member", tarfile.FIFOTYPE),
                       ("block-device member", tarfile.BLKTYPE)]:
        t = tar_bytes([("fleet/dev.dmi", kind), ("fleet/db-01.dmi", good)])
        c.add("archive", "tar", desc, {"fleet.tar": t},
              expect={**NC, "exit": [2], "keeps_others": "db-01.dmi"})
    t = tar_bytes([("fleet/link.dmi", tarfile.SYMTYPE, "/etc/passwd"), ("fleet/db-01.dmi", good)])
    c.add("archive", "tar", "symlink member to /etc/passwd", {"fleet.tar": t},
          expect={**NC, "exit": [1, 2], "keeps_others": "db-01.dmi"})
    for name in ["../../etc/x.dmi", "/etc/passwd.dmi", "fleet/\x1b]0;PWNED\x07.dmi",
                 "fleet/\u202egpj.dmi", "fleet/a\rb.dmi", "fleet/" + "d/" * 200 + "x.dmi"]:
        c.add("archive", "tar", f"member named {name[:40]!r}", {"fleet.tar": tar_bytes([(name, good)])},
              expect={**NC, "exit": [1]})
    c.add("archive", "tar", "unknown-format member beside a host dump",
          {"fleet.tar": tar_bytes([("fleet/README", b"notes\n"), ("fleet/db-01.dmi", good)])},
          expect={**NC, "exit": [1, 2], "keeps_others": "db-01.dmi"})
    c.add("archive", "tar", "empty tar (end-of-archive blocks only)", {"fleet.tar": b"\x00" * 10240},
          expect={"exit": [2], "no_raw_controls": True})
    t = bytearray(tar_bytes([("fleet/db-00.dmi", intel), ("fleet/db-01.dmi", good)]))
    t[512 * 2 + len(intel) // 512 * 512 + 148] ^= 0x55  # corrupt the second header's checksum
    c.add("archive", "tar", "bad header checksum in the second member", {"fleet.tar": bytes(t)},
          expect={**NC, "exit": [2]})
    c.add("archive", "tar", "tar inside tar",
          {"outer.tar": tar_bytes([("inner.tar", tar_bytes([("db-01.dmi", good)]))])},
          expect={**NC, "exit": [1, 2]})
    c.add("archive", "gzip", "gzip of a dmidecode file, not a tar",
          {"db-01.dmi.gz": gzip_bytes(good)}, expect={**NC, "exit": [1, 2]})
    c.add("archive", "gzip", "gzip of a dmidecode file beside a readable file",
          {"db-01.dmi.gz": gzip_bytes(intel)}, expect={"exit": [0, 1, 2], "no_raw_controls": True}, keep=True)
    gz = bytearray(tar_bytes([("fleet/db-01.dmi", good)], compress=True))
    gz[-8] ^= 0xFF
    c.add("archive", "gzip", "tar.gz with a bad CRC", {"fleet.tar.gz": bytes(gz)},
          expect={**NC, "exit": [2]})
    c.add("archive", "gzip", "tar.gz with a bad CRC beside a readable file", {"fleet.tar.gz": bytes(gz)},
          expect={"exit": [2], "no_raw_controls": True}, keep=True)
    two = gzip_bytes(tar_bytes([("fleet/db-00.dmi", intel)])[:-1024]) + gzip_bytes(
        tar_bytes([("fleet/db-01.dmi", good)]))
    c.add("archive", "gzip", "multi-member gzip (concatenated)", {"fleet.tar.gz": two},
          expect={**NC, "exit": [1, 2]})
    arch = tar_bytes([("fleet/db-01.dmi", good)], compress=True)
    c.add("archive", "gzip", "tar.gz on standard input (-)", {}, args=["-"], stdin=arch,
          expect={**NC, "exit": [1]})
    c.add("archive", "gzip", "tar.gz on /dev/stdin (a pipe)", {}, args=["/dev/stdin"], stdin=arch,
          expect={**NC, "exit": [1]})
    c.add("archive", "gzip", "gzip member cut in the gzip header", {"fleet.tar.gz": arch[:5]},
          expect={"exit": [2], "no_raw_controls": True}, keep=True)
    pax = tar_bytes([("fleet/" + "long-host-name-" * 20 + ".dmi", good)])
    c.add("archive", "tar", "member with a 300-character name (GNU long name)", {"fleet.tar": pax},
          expect={**NC, "exit": [1]})
    c.add("archive", "gzip", "decompression bomb: 256 MB of newlines in a 256 KB tar.gz CSV member",
          {"bomb.tar.gz": newline_bomb(1 << 28)}, expect={**NC, "exit": [2], "time_limit": 20})


def newline_bomb(size):
    """A tar.gz holding one CSV member: a header, `size` newlines, a Micron row.
    Built from one deflate block repeated, so it takes no time to write."""
    header = tarfile.TarInfo("po.csv")
    head_text = CSV_HEAD.encode()
    tail_text = MICRON_ROW.encode()
    header.size = len(head_text) + size + len(tail_text)
    header.mtime = 1700000000
    tar_head = header.tobuf(format=tarfile.GNU_FORMAT)
    pad = (-header.size) % 512
    tail = tail_text + b"\x00" * pad + b"\x00" * 1024
    chunk = b"\n" * (1 << 20)
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    a = comp.compress(tar_head + head_text) + comp.flush(zlib.Z_FULL_FLUSH)
    b = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    z = comp.compress(tail) + comp.flush(zlib.Z_FINISH)
    crc = zlib.crc32(tar_head + head_text)
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    total = len(tar_head) + len(head_text) + size + len(tail)
    gz_head = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return gz_head + a + b * (size // len(chunk)) + z + struct.pack("<II", crc & 0xFFFFFFFF, total & 0xFFFFFFFF)


def special_files(c):
    good = T.dmidecode().encode()
    t5 = {"time_limit": 5}
    c.add("special-files", "cli", "FIFO named on the command line", {"p.dmi": fifo()},
          expect={"exit": [2], "no_raw_controls": True, **t5}, keep=True)
    c.add("special-files", "cli", "FIFO inside a scanned directory", {"d/p.dmi": fifo(), "d/db-01.dmi": good},
          args=["d"], expect={**NC, "exit": [2], "keeps_others": "db-01.dmi", **t5})
    c.add("special-files", "cli", "socket inside a scanned directory", {"d/s.dmi": sock(), "d/db-01.dmi": good},
          args=["d"], expect={**NC, "exit": [2], "keeps_others": "db-01.dmi", **t5})
    c.add("special-files", "cli", "dangling symlink inside a scanned directory",
          {"d/gone.dmi": symlink("nowhere.dmi"), "d/db-01.dmi": good},
          args=["d"], expect={**NC, "exit": [2], "keeps_others": "db-01.dmi", **t5})
    c.add("special-files", "cli", "two self-loop symlinks inside a scanned directory",
          {"d/db-01.dmi": good, "d/a": symlink("."), "d/b": symlink(".")},
          args=["d"], expect={**NC, "exit": [1, 2], "keeps_others": "db-01.dmi", **t5})
    c.add("special-files", "cli", "symlink to the parent directory",
          {"d/db-01.dmi": good, "d/up": symlink("..")},
          args=["d"], expect={**NC, "exit": [1, 2], "keeps_others": "db-01.dmi", **t5})
    c.add("special-files", "cli", "one-level symlink loop (a -> b -> a)",
          {"d/db-01.dmi": good, "d/a": symlink("b"), "d/b": symlink("a")},
          args=["d"], expect={**NC, "exit": [2], "keeps_others": "db-01.dmi", **t5})
    c.add("special-files", "cli", "symlink to /dev/zero inside a scanned directory",
          {"d/db-01.dmi": good, "d/z.dmi": symlink("/dev/zero")},
          args=["d"], expect={**NC, "exit": [2], "keeps_others": "db-01.dmi", **t5})
    c.add("special-files", "cli", "/dev/zero named on the command line", {},
          args=["/dev/zero"], expect={"exit": [2], "no_raw_controls": True, **t5}, keep=True)
    c.add("special-files", "cli", "/dev/null named on the command line", {},
          args=["/dev/null"], expect={"exit": [2], "no_raw_controls": True, **t5}, keep=True)
    c.add("special-files", "waivers", "FIFO as --waivers", {"db-01.dmi": good, "w.toml": fifo()},
          args=["db-01.dmi"], flags=["--waivers", "w.toml"], expect={"exit": [2], "no_raw_controls": True, **t5})
    c.add("special-files", "waivers", "directory as --waivers", {"db-01.dmi": good, "w": directory()},
          args=["db-01.dmi"], flags=["--waivers", "w"], expect={"exit": [2], "no_raw_controls": True, **t5})
    c.add("special-files", "waivers", "/dev/zero as --waivers", {"db-01.dmi": good},
          args=["db-01.dmi"], flags=["--waivers", "/dev/zero"], expect={"exit": [2], "no_raw_controls": True, **t5})
    c.add("special-files", "kb", "FIFO *.toml in --kb", {"db-01.dmi": good, "kb/entities/x.toml": fifo()},
          args=["db-01.dmi"], flags=["--kb", "kb"], expect={"exit": [2], "no_raw_controls": True, **t5})
    c.add("special-files", "kb", "self-loop symlinks in --kb",
          {"db-01.dmi": good, "kb/entities/a": symlink("."), "kb/entities/b": symlink(".")},
          args=["db-01.dmi"], flags=["--kb", "kb"],
          expect={"exit": [1, 2], "no_raw_controls": True, **t5})
    c.add("special-files", "local", "FIFO as the DMI table of --local --root",
          {"root/sys/firmware/dmi/tables/DMI": fifo(), "root/proc/sys/kernel/hostname": "h1\n"},
          command=["scan", "--local", "--root", "root", "--as-of", "2026-11-28"],
          expect={"exit": [0, 1, 2], "no_raw_controls": True, **t5})
    many = {f"many/h{i:04d}.lspci": T.lspci(name="Intel Corporation Device [8086:2020]") for i in range(1100)}
    many["many/h9999.lspci"] = T.lspci()
    c.add("special-files", "cli", "directory of 1,101 host files (ulimit -n 1024)", many,
          args=["many"], expect={**NC, "exit": [1], "time_limit": 20})
    c.add("nothing-screened", "cli", "empty directory", {"empty": directory()},
          expect={"exit": [2], "no_raw_controls": True})
    c.add("nothing-screened", "cli", "directory of hidden files only",
          {"d/.db-01.dmi": good, "d/.git/config": "x"}, args=["d"],
          expect={"exit": [0, 1, 2], "no_raw_controls": True})
    c.add("nothing-screened", "cli", "empty file named on the command line", {"e.csv": b""},
          expect={"exit": [2], "no_raw_controls": True}, keep=True)
    c.add("nothing-screened", "cli", "blank lines only", {"e.csv": b"\n" * 5000},
          expect={"exit": [2], "no_raw_controls": True}, keep=True)


def size_and_time(c):
    m = {"mem_limit": 2048}
    siblings = "".join(T.lshw_xml_node(i, vendor="Samsung") for i in range(20000)) + T.lshw_xml_node(20000)
    c.add("time", "lshw-xml", "20,000 sibling nodes (3.5 MB)", {"big.lshw.xml": T.lshw_xml(body=siblings)},
          expect={**NC, "exit": [1], "time_limit": 5})
    deep = 16000
    nested = "".join(f'<node id="n{i}" class="bus">' for i in range(deep)) + T.lshw_xml_node(0) + "</node>" * deep
    c.add("memory", "lshw-xml", "16,000 nested nodes", {"deep.lshw.xml": T.lshw_xml(body=nested)},
          expect={**NC, "exit": [1, 2], "mem_limit": 512, "time_limit": 10})
    deep = 100000
    nested = "".join(f'<node id="n{i}">' for i in range(deep)) + T.lshw_xml_node(0) + "</node>" * deep
    c.add("memory", "lshw-xml", "100,000 nested nodes (2.4 MB)", {"deep.lshw.xml": T.lshw_xml(body=nested)},
          expect={**NC, "exit": [1, 2], **m, "time_limit": 20})
    c.add("memory", "lshw-json", "100,000-deep JSON arrays", {"x.json": '{"children":' + "[" * 100000 + "]" * 100000 + ', "class":"system","id":"x"}'},
          expect={"exit": [2], "no_raw_controls": True, **m})
    rows = "Samsung,M393A2K40DB3-CWE,2024-02-30\n" * 500_000
    c.add("memory", "csv", "500,000 rows with an impossible date (tar.gz)",
          {"po.tar.gz": tar_bytes([("po.csv", ("Manufacturer,Part Number,Order Date\n" + rows + f"Micron,{T.MICRON_PN},2024-02-01\n").encode())], compress=True)},
          expect={**NC, "exit": [2], **m, "time_limit": 20})
    row = T.osquery_row("Samsung", "M393A2K40DB3-CWE")
    arr = "[\n" + ",\n".join([json.dumps(row)] * 400000 + [json.dumps(T.osquery_row())]) + "\n]\n"
    c.add("memory", "osquery-json", "osquery JSON array of 400,001 rows (80 MB, tar.gz)",
          {"osq.tar.gz": tar_bytes([("ws.osquery.json", arr.encode())], compress=True)},
          expect={**NC, "exit": [1, 2], **m, "time_limit": 30})
    usb = "".join("Bus 001 Device 002: ID 413c:a001 Dell Computer Corp. Hub\n" for _ in range(300000)) + T.lsusb()
    c.add("memory", "lsusb", "300,000 lsusb lines (tar.gz)",
          {"usb.tar.gz": tar_bytes([("h.lsusb.txt", usb.encode())], compress=True)},
          expect={**NC, "exit": [1], **m, "time_limit": 30})
    blank = "Manufacturer,Part Number,Order Date\n" + "\n" * 5_000_000 + f"Micron,{T.MICRON_PN},2024-02-01\n"
    c.add("memory", "csv", "5,000,000 blank lines before a Micron row", {"po.csv": blank},
          expect={**NC, "exit": [1], "mem_limit": 256, "time_limit": 20})
    po = "Manufacturer,Part Number,Order Date\n" + f"Micron,{T.MICRON_PN},2024-02-01\n" * 100000
    c.add("time", "csv", "100,000 Micron order lines, table report", {"po.csv": po},
          expect={**NC, "exit": [1], "time_limit": 10})
    line = '{"kind":"memory","manufacturer":"Micron","part_number":"%s","note":"%s"}\n' % (T.MICRON_PN, "x" * 20_000_000)
    c.add("memory", "jsonl", "one 20 MB JSON Lines record", {"big.jsonl": line},
          expect={**NC, "exit": [1, 2], **m, "time_limit": 20})
