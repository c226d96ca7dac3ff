"""Cases built from each reader's well-formed input: terminal injection,
truncation, encodings, archives, standard input and seeded mutations."""

import json

import templates as T
from corpus import tar_bytes

# Input-derived text that must never reach a terminal raw.
PAYLOADS = {
    "osc-title": "\x1b]0;PWNED\x07",
    "clear-screen": "\x1b[2J\x1b[H",
    "osc52-clipboard": "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "osc8-link": "\x1b]8;;http://evil.invalid/\x1b\\click\x1b]8;;\x1b\\",
    "c1-csi": "\u009b2J\u009b31m",
    "bidi-override": "\u202eSamsung\u202c",
    "bare-cr": "\rSamsung          ",
    "del": "ab\x7f\x7f\x7f",
    "backspace": "\x08\x08\x08\x08\x08\x08Samsung",
    "format-chars": "\u200b\u2066x\u2069\u00ad\u2060",
    "bell-nul": "\x07\x00\x07",
}
JSON_PAYLOADS = ["osc-title", "c1-csi", "bidi-override", "bare-cr"]

# Readers whose input is one document (or one JSON record per line): a cut
# anywhere leaves it malformed.
DOCUMENTS = {
    "smartctl-json", "nvme-list", "nvme-id-ctrl", "lsblk", "lshw-json", "lshw-xml",
    "osquery-json", "windows-cim", "system-profiler", "smbios-dump", "jsonl", "osquery-log",
}
BINARY = {"smbios-dump"}


def csv_field(v):
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def xml_text(v):
    out = []
    for ch in v:
        o = ord(ch)
        if ch in "<>&":
            out.append({"<": "&lt;", ">": "&gt;", "&": "&amp;"}[ch])
        elif o < 0x20 and ch not in "\t\n\r":
            out.append(f"&#{o};")  # XML 1.0 cannot carry these; lshw writes them anyway
        else:
            out.append(ch)
    return "".join(out)


def with_text(reader, text):
    """The reader's good input with `text` appended to its maker field."""
    maker = "Micron " + text
    b = {
        "dmidecode": lambda: T.dmidecode(maker=maker),
        "csv": lambda: T.csv_po(maker=csv_field(maker)),
        "jsonl": lambda: T.jsonl(maker=maker),
        "smartctl-text": lambda: T.smartctl_text(model="Micron_5300_MTFDDAK1T9TDS " + text),
        "smartctl-json": lambda: T.smartctl_json(model="Micron_7450_MTFDKCC3T8TFR " + text),
        "nvme-list": lambda: T.nvme_list(model="Micron_7450_MTFDKCC3T8TFR " + text),
        "nvme-id-ctrl": lambda: T.nvme_id_ctrl(model="Micron_7450_MTFDKCC3T8TFR " + text),
        "lsblk": lambda: T.lsblk(model="Micron_5300_MTFDDAK1T9TDS " + text),
        "lshw-json": lambda: T.lshw_json(vendor=maker),
        "lshw-xml": lambda: T.lshw_xml(vendor=xml_text(maker)),
        "lspci": lambda: T.lspci(name=f"Micron Technology Inc {text} 7450 PRO NVMe SSD [1344:51c3]"),
        "lsusb": lambda: T.lsusb(name=f"Micron Technology, Inc. {text} Embedded Mass Storage Drive"),
        "osquery-json": lambda: T.osquery_json(maker=maker),
        "osquery-log": lambda: T.osquery_log(vendor="Micron Technology Inc " + text),
        "windows-cim": lambda: T.windows_cim(maker=maker),
        "system-profiler": lambda: T.system_profiler().replace(
            "BANK 0/ChannelA-DIMM0", "BANK 0/ChannelA-DIMM0 " + json.dumps(text)[1:-1]),
        "wmic": lambda: T.wmic(maker=maker.replace("\r", "\r ").replace("\n", " ")),
    }
    if reader == "smbios-dump":
        table = T.smbios_memory_device(maker=maker.replace("\x00", "").encode()) + T.smbios_end()
        return T.smbios_dump(table)
    return b[reader]().encode()


def late_gbk(reader):
    """16 KB and more of ASCII records, then a Micron record in GBK (美光)."""
    gbk = "美光".encode("gbk")
    if reader == "csv":
        head = "Manufacturer,Part Number,Description,Order Date\n"
        rows = "".join(f"Samsung,M393A2K40DB3-CWE,32GB RDIMM line {i},2024-03-01\n" for i in range(400))
        return head.encode() + rows.encode() + gbk + ",,内存条 16GB,2024-03-01\n".encode("gbk")
    if reader == "jsonl":
        rows = "".join(T.jsonl(maker="Samsung", part="M393A2K40DB3-CWE") for _ in range(200))
        return rows.encode() + T.jsonl(maker="美光", part="").encode("gbk").replace(
            b"\\u7f8e\\u5149", gbk)
    if reader == "dmidecode":
        pad = "".join(
            f"Handle 0x{0x200 + i:04X}, DMI type 9, 17 bytes\nSystem Slot Information\n"
            f"\tDesignation: PCIe Slot {i}\n\tType: x16 PCI Express 3\n\tCurrent Usage: Available\n\n"
            for i in range(250))
        return (T.dmidecode(maker="Samsung", part="M393A2K40DB3-CWE") + pad).encode() + (
            "Handle 0x1101, DMI type 17, 84 bytes\nMemory Device\n\tSize: 32 GB\n\tLocator: A2\n"
            "\tManufacturer: 美光\n\tPart Number: 内存\n\n").encode("gbk")
    if reader == "wmic":
        block = T.wmic(maker="Samsung", part="M393A2K40DB3-CWE")
        return (block * 200).encode() + T.wmic(maker="美光", part="内存").encode("gbk")
    if reader == "osquery-log":
        rows = "".join(T.osquery_log(vendor="Intel Corporation", vendor_id="8086") for _ in range(60))
        return rows.encode() + T.osquery_log(vendor="美光", vendor_id="").encode("gbk").replace(
            b"\\u7f8e\\u5149", gbk)
    return None


def mutate(rng, data):
    """One seeded mutation: flip, delete, duplicate or insert bytes."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        op = rng.choice(["flip", "delete", "dup", "insert", "cut"])
        at = rng.randrange(len(data))
        if op == "flip":
            data[at] ^= 1 << rng.randrange(8)
        elif op == "delete":
            del data[at:at + rng.randint(1, 16)]
        elif op == "dup":
            piece = data[at:at + rng.randint(1, 64)]
            data[at:at] = piece * rng.randint(1, 50)
        elif op == "insert":
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        else:
            del data[at:]
    return bytes(data)


def generate(c):
    for reader, (name, build) in T.READERS.items():
        good = build()
        per_reader(c, reader, name, good)


def per_reader(c, reader, name, good):
    nc = {"not_clear": True, "no_raw_controls": True}
    for label, text in PAYLOADS.items():
        c.add("terminal-injection", reader, f"{label} in the maker field",
              {name: with_text(reader, text)}, expect={**nc, "exit": [1, 2]})
    for label in JSON_PAYLOADS:
        c.add("terminal-injection", reader, f"{label} in the maker field, JSON report",
              {name: with_text(reader, PAYLOADS[label])}, flags=["--format", "json"],
              expect={**nc, "exit": [1, 2]})
    c.add("terminal-injection", reader, "file name with an OSC title sequence",
          {"host-\x1b]0;PWNED\x07." + name: good}, expect={**nc, "exit": [1, 2]})

    cut = good[: len(good) * 6 // 10]
    if reader in DOCUMENTS:
        c.add("truncated", reader, "document cut at 60%", {name: cut},
              expect={**nc, "exit": [2]})
        c.add("truncated", reader, "document cut at 60% beside a readable file",
              {name: cut}, expect={"exit": [2], "no_raw_controls": True}, keep=True)
    else:
        c.add("truncated", reader, "text cut at 60%", {name: cut},
              expect={"exit": [0, 1, 2], "no_raw_controls": True})

    if reader not in BINARY:
        at = good.index(b"Micron" if b"Micron" in good else b"0x802C") + 3
        bad = good[:at] + b"\xff\xfe" + good[at:]
        # ASCII, then bytes that are neither UTF-8 nor GB18030: read on as
        # windows-1252 (a smartctl no-break space in a Latin-1 locale) with a
        # warning naming the byte offset, so exit 1 or 2; the Micron part
        # number still makes it a finding.
        c.add("encoding", reader, "invalid UTF-8 bytes inside the Micron record",
              {name: bad}, expect={**nc, "exit": [1, 2]})
        c.add("encoding", reader, "invalid UTF-8 bytes beside a readable file",
              {name: bad}, expect={"exit": [1, 2], "no_raw_controls": True}, keep=True)
        c.add("encoding", reader, "UTF-8 BOM", {name: b"\xef\xbb\xbf" + good},
              expect={**nc, "exit": [1, 2]})
        text = good.decode()
        c.add("encoding", reader, "UTF-16LE with BOM",
              {name: b"\xff\xfe" + text.encode("utf-16-le")}, expect={**nc, "exit": [1, 2]})
        c.add("encoding", reader, "UTF-16BE with BOM",
              {name: b"\xfe\xff" + text.encode("utf-16-be")}, expect={**nc, "exit": [1, 2]})
        c.add("encoding", reader, "NUL byte inside the Micron record",
              {name: good[:at] + b"\x00" + good[at:]}, expect={**nc, "exit": [1, 2]})
        crlf = good.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        c.add("line-endings", reader, "CRLF line ends", {name: crlf},
              expect={**nc, "exit": [1]})
        c.add("line-endings", reader, "CR-only line ends (classic Mac)",
              {name: good.replace(b"\r\n", b"\n").replace(b"\n", b"\r")},
              expect={**nc, "exit": [1, 2]})
        gbk = late_gbk(reader)
        if gbk is not None:
            c.add("encoding", reader, "GBK Micron record after 16 KB of ASCII",
                  {name: gbk}, expect={**nc, "exit": [1, 2]})
            bad_gbk = gbk[:-6] + b"\xff" + gbk[-6:]
            c.add("encoding", reader, "GBK after 16 KB, one invalid GBK byte",
                  {name: bad_gbk}, expect={**nc, "exit": [2]})

    arch = tar_bytes([("fleet/" + name, good)], compress=True)
    c.add("archive", reader, "inside a tar.gz", {"fleet.tar.gz": arch},
          expect={**nc, "exit": [1]})
    c.add("archive", reader, "inside a tar.gz cut in half", {"fleet.tar.gz": arch[: len(arch) // 2]},
          expect={**nc, "exit": [2]})
    plain = tar_bytes([("fleet/" + name, good), ("fleet/z.txt", b"x" * 4000)])
    c.add("archive", reader, "inside a tar cut inside a later member",
          {"fleet.tar": plain[: plain.index(b"x" * 4000) + 1000]},
          expect={"exit": [2], "no_raw_controls": True})
    c.add("cli", reader, "read from standard input (-)", {}, args=["-"], stdin=good,
          expect={**nc, "exit": [1]})

    for i in range(6):
        c.add("mutation", reader, f"seeded mutation {i}", {name: mutate(c.rng, good)},
              expect={"exit": [0, 1, 2], "no_raw_controls": True, "time_limit": 10})
