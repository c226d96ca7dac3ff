#!/usr/bin/env python3
"""Builds eval/records.jsonl, the identification evaluation set.

Every record is a set of fields as a tool prints them (dmidecode, lshw,
smartctl, nvme-cli, lsusb, lspci, purchase orders) with the entity the
knowledge base should attribute it to, or none. Records come from forms
documented in public sources (each record says which) and from systematic
variants of them (case, truncation, typos, encodings). Deterministic: the
same script writes the same file. Run: python3 eval/build.py
"""
import json, os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "records.jsonl")
MICRON_FAMILY = {"micron", "elpida", "spectek"}
JEP = "JEP106 as transcribed in OpenOCD src/helper/jep106.inc (commit 11b81104)"
DMI = "dmidecode Manufacturer-field forms seen in linux-hardware.org DMI dumps and glpi-agent test data"
recs = []

def add(kind, fields, entity, tags, provenance):
    family = "micron" if entity in MICRON_FAMILY else "not-micron"
    recs.append({"id": f"{kind}-{len([r for r in recs if r['id'].startswith(kind + '-')]) + 1:04d}",
                 "fields": [{"role": r, "value": v} for r, v in fields],
                 "expect_entity": entity, "expect_family": family, "tags": tags, "provenance": provenance})

# ---------------------------------------------------------------- JEDEC codes
def parity(b):
    return b if bin(b).count("1") % 2 == 1 else b | 0x80
CODES = [("micron", 1, 0x2C), ("mcms", 2, 0x45), ("micron", 6, 0x1B), ("spectek", 3, 0x35), ("elpida", 3, 0x7E),
         ("samsung", 1, 0x4E), ("sk-hynix", 1, 0x2D), ("kingston", 2, 0x18), ("nanya", 4, 0x0B), ("cxmt", 11, 0x11),
         ("ymtc", 10, 0x1B), ("longsys", 10, 0x4D), ("lexar", 7, 0x5E), ("lexar", 11, 0x76), ("huawei", 11, 0x64),
         ("corsair", 3, 0x1E), (None, 12, 0x2C), ("ramaxel", 5, 0x43), (None, 2, 0x15), (None, 1, 0x01), (None, 1, 0x09)]
for entity, bank, code in CODES:
    cb, bb = parity(code), parity(bank - 1)
    neg = [] if entity in MICRON_FAMILY else ["hard-negative"] if (code == 0x2C or entity is None) else ["other-maker"]
    forms = [f"{bb:02X}{cb:02X}", f"0x{bb:02X}{cb:02X}", f"{cb:02X}{bb:02X}", f"{bank - 1:02X}{cb:02X}",
             f"{bb:02X}{cb:02X}0000{bb:02X}{cb:02X}", f"JEDEC ID:{bb:02X} {cb:02X}", f"Unknown - [0x{cb:02X}{bb:02X}]",
             f"Unknown ID:0x{cb:02X}{bank - 1:02X}", f"Bank {bank}, Hex 0x{cb:02X}", "7F" * (bank - 1) + f"{cb:02X}" + "00" * (8 - bank),
             f"{bb:02x}{cb:02x}"]
    for f in forms:
        # An 8-byte SPD list holds at most 7 continuation bytes; a bare pair in
        # swapped order is ambiguous when both bytes could be a bank byte.
        if f.startswith("7F") and bank > 8 or len(f) > 16:
            continue
        if f == f"{cb:02X}{bb:02X}" and (cb & 0x7F) <= 15:
            continue
        add("jedec", [("maker", f)], entity, ["jedec"] + neg, f"{JEP}; form per {DMI}")
# Module maker with a Micron DRAM die: the module maker is the attribution.
for entity, bank, code in [("kingston", 2, 0x18), ("corsair", 3, 0x1E), ("ramaxel", 5, 0x43), ("samsung", 1, 0x4E)]:
    bb, cb = parity(bank - 1), parity(code)
    add("jedec", [("maker", f"{bank - 1:02X}{cb:02X}0000802C")], entity, ["jedec", "micron-dram-die-on-non-micron-module", "hard-negative"], f"{JEP}; 12-hex form per {DMI}")
    add("jedec", [("maker", f"{bb:02X}{cb:02X}0000802C")], entity, ["jedec", "micron-dram-die-on-non-micron-module", "hard-negative"], f"{JEP}; 12-hex form per {DMI}")
for p in ["Unknown", "Undefined", "Not Specified", "<BAD INDEX>", "Manufacturer00", "Manufacturer01", "A1_Manufacturer1", "0000", "FFFF", "00000000", "1315", "NO DIMM", "Empty", "To Be Filled By O.E.M."]:
    add("placeholder", [("maker", p)], None, ["placeholder", "hard-negative"], f"placeholder values per {DMI}")

# ------------------------------------------------------------- part numbers
MICRON_MOD = "Micron module numbering (MTA/MT + component count + technology + type), e.g. Micron data sheet MTA18ASF1G72PDZ"
def micron_modules():
    out = []
    for count, tech, typ, depth, width, pkg, speeds in [
        ("18", "A", "SF", "1G", "72", "PDZ", ["2G3A2", "2G3B1", "2G6D1"]), ("18", "A", "SF", "2G", "72", "PZ", ["2G6E1", "2G9E1", "3G2E1"]),
        ("36", "A", "SF", "4G", "72", "PZ", ["2G9E2", "3G2F1"]), ("9", "A", "SF", "1G", "72", "PZ", ["2G6J1", "2G9E1"]),
        ("8", "A", "TF", "1G", "64", "AZ", ["2G6E1", "3G2J1"]), ("16", "A", "TF", "2G", "64", "HZ", ["2G6E1", "3G2E1"]),
        ("4", "A", "TF", "512", "64", "HZ", ["2G6E1", "2G3A1"]), ("18", "AD", "F", "2G", "72", "PZ", ["3G2E1"]),
        ("16", "K", "TF", "1G", "64", "HZ", ["1G6E1", "1G6M1"]), ("8", "K", "TF", "512", "64", "HZ", ["1G6E1"]),
        ("18", "K", "SF", "1G", "72", "PDZ", ["1G6E1"]), ("36", "K", "SF", "2G", "72", "PZ", ["1G6E1", "1G4D1"]),
        ("16", "J", "TF", "512", "64", "AZ", ["1G4D1"]), ("8", "J", "SF", "256", "64", "HZ", ["1G4D1"]),
        ("16", "H", "TF", "256", "64", "HY", ["800J1", "667H1"]), ("18", "H", "TF", "256", "72", "PY", ["667E1"])]:
        base = f"{count}{tech}{typ}{depth}{width}{pkg}"
        for s in speeds:
            out.append(f"{base}-{s}")
    return out
for pn in micron_modules():
    for prefix in ["MTA", "MT", ""]:
        if prefix == "MTA" and not ("A" in pn[:4]):
            continue
        full = prefix + pn
        add("part", [("part-number", full)], "micron", ["part-number", "micron-module"] + (["prefix-dropped-by-bios"] if not prefix else []), MICRON_MOD)
for pn in ["MTC16C2085S1SC48BA1", "MTC20F2085S1RC48BA1", "MTC8C1084S1SC48BA1", "MTC10F1084S1RC48BA1", "MTC40F2046S1RC48BA1"]:
    add("part", [("part-number", pn)], "micron", ["part-number", "micron-module", "ddr5"], "Micron DDR5 module numbering (MTC...) as in linux-hardware.org DMI dumps")
for pn in ["MT40A1G8SA-075:E", "MT40A512M16LY-083E:B", "MT40A2G4WE-083E:B", "MT41K256M16HA-125:E", "MT41J256M16HA-125", "MT53E1G32D2NQ-046:B", "MT53D512M32D2DS-046", "MT62F1G32D2DS-026 WT", "MT62F2G32D8DR-031", "MT60B2G8HB-48B:A", "MT47H64M16HR-25E", "MT46V32M16P-5B", "MT48LC16M16A2P-6A", "MT29F512G08EECAGJ4-5M:A", "MT29F1T08EEHAFJ4-3R:A", "MT29F2T08EMHAFJ4-3R:B"]:
    add("part", [("part-number", pn)], "micron", ["part-number", "micron-component"], "Micron component marketing part numbers (MT4x/5x/6x DRAM, MT29F NAND), Micron data sheets")
SSD = ["MTFDDAK480TDS", "MTFDDAK960TDS", "MTFDDAK1T9TDS", "MTFDDAK3T8TDS", "MTFDDAV256TBN", "MTFDDAV512TBN", "MTFDHBA512TDV", "MTFDHBA1T0TDV", "MTFDKBA960TFR", "MTFDKCC3T8TFR", "MTFDKCC7T6TFR", "MTFDDAK256MAM", "MTFDDAK512TDL", "MTFDDAK240TCB", "MTFDDAK960TGA"]
for m in SSD:
    add("part", [("part-number", m + "-1AW1ZABYY")], "micron", ["part-number", "micron-ssd"], "Micron SSD part numbers (MT + FD + interface + capacity + NAND), Micron C200/C400 data sheets")
    series = {"TDS": "5300", "TBN": "1100", "TDV": "2300", "TFR": "7450", "MAM": "C400", "TDL": "1300", "TCB": "5100", "TGA": "5400"}[m[-3:]]
    add("model", [("model", f"Micron_{series}_{m}")], "micron", ["model-string", "micron-ssd"], "smartctl Device Model form Micron_<series>_<part> (smartmontools drive database families)")
for cap in ["250", "500", "1000", "2000", "4000"]:
    for series, ff in [("MX500", "SSD1"), ("MX500", "SSD4"), ("BX500", "SSD1"), ("P3", "SSD8"), ("P3P", "SSD8"), ("P5P", "SSD8"), ("T500", "SSD8"), ("T700", "SSD5")]:
        pn = f"CT{cap}{series}{ff}"
        add("part", [("part-number", pn)], "micron", ["part-number", "brand-crucial", "crucial-ssd"], "Crucial SSD part numbers CT<GB><series>SSD<n>, crucial.com product pages and techpowerup reviews")
        add("model", [("model", f"Crucial_{pn}" if cap in ("250", "500") else pn)], "micron", ["model-string", "brand-crucial"], "smartctl Device Model form (Crucial_ prefix on older drives)")
for gb in ["4", "8", "16", "32", "64"]:
    for gen in ["G4DFRA32A", "G4SFRA32A", "G4DFS8266", "G4SFS824A", "G4DFD832A", "G48C40U5", "G56C46S5", "G3S160BM"]:
        add("part", [("part-number", f"CT{gb}{gen}")], "micron", ["part-number", "brand-crucial", "crucial-memory"], "Crucial module part numbers CT<GB>G<gen>..., as printed in linux-hardware.org DMI dumps (SPD maker Crucial Technology)")
    add("part", [("part-number", f"CT2K{gb}G4DFRA32A")], "micron", ["part-number", "brand-crucial", "kit"], "Crucial kit part numbers CT2K...")
for pn in ["CT102464BA160B.M16", "CT25664BA1339.C16F", "CT51264BD160BJ.C8F", "CT12864AA667.M8FJ2", "CT51264BF160B.C1"]:
    add("part", [("part-number", pn)], "micron", ["part-number", "brand-crucial", "crucial-memory"], "older Crucial part numbers CT<depth><width>..., linux-hardware.org DMI dumps")
for pn in ["BLS8G4D32AESBK.M8FE1", "BL8G32C16U4B.M8FE1", "BLS16G4D240FSC.16FAD", "BLT8G3D1608ET3LX0.", "BL2K8G36C16U4B", "BL16G26C16U4W.16FD", "BLS4G3D1609DS1S00.", "BLE8G4D30AEEA.K16FB", "BLM2K8G51C19U4B", "BL32G32C16U4B.M16FB1"]:
    add("part", [("part-number", pn)], "micron", ["part-number", "brand-ballistix"], "Ballistix part numbers BL[S|T|E|M]<GB>G..., SPD reports (hardwareluxx) and DMI dumps")
for pn in ["EBJ41HE4BDFA-DJ-F", "EBJ41EF8BDWA-GN-F", "EBJ10UE8BDF0-DJ-F", "EBJ20UF8BCS0-DJ-F", "EBE21UE8AFSA-8G-F", "EBE11UE6ACUA-6E-E", "EBD11RD8ADFA-6B-E", "EDJ8416E6MB-GNL-F-R", "EDJ4216EFBG-GN-F", "EDF8132A3MA-GD-F", "EDFB164A1MA-GD-F", "EDFB232A1MA-JD-F"]:
    add("part", [("part-number", pn)], "elpida", ["part-number", "brand-elpida"], "Elpida part numbers (EB*/ED*), Elpida data sheets")
# Hex-encoded part numbers (Apple firmware).
for pn, ent in [("8JSF25664HZ-1G4D1 ", "micron"), ("16JSF51264HZ-1G4D1", "micron"), ("EBJ40UG8EFU0-GN-F ", "elpida"), ("CT4G3S1067M.C16FKR", "micron"), ("M471B5273CH0-CH9 ", "samsung"), ("HMT351S6CFR8C-H9  ", "sk-hynix")]:
    h = "0x" + pn.encode().hex().upper()
    add("part", [("part-number", h)], ent, ["part-number", "hex-encoded-part-number"] + ([] if ent in MICRON_FAMILY else ["other-maker"]), "hex-encoded part numbers as Apple firmware prints them (glpi-agent and linux-hardware.org dumps)")
# Other makers' part numbers: must not be Micron.
OTHER = {
 "samsung": ["M393A2K43BB1-CTD", "M393A4K40CB2-CVF", "M471A5244BB0-CPB", "M378A1K43CB2-CTD", "M471A1G44AB0-CWE", "M425R1GB4BB0-CWM0D", "M321R4GA3BB6-CQKEG", "M393A2K40DB3-CWE", "M471B5273DH0-CH9", "M378B5173QH0-CK0"],
 "sk-hynix": ["HMA82GR7AFR8N-VK", "HMA84GR7CJR4N-XN", "HMA81GS6CJR8N-VK", "HMA851U6DJR6N-WM", "HMAA4GR7AJR8N-XN", "HMT351S6CFR8C-PB", "HMT41GS6BFR8A-PB", "HMA82GU6DJR8N-XN", "HMCG88MEBRA174N", "HMA41GR7AFR4N-UH"],
}
for ent, pns in OTHER.items():
    for pn in pns:
        add("part", [("part-number", pn)], ent, ["part-number", "other-maker", "hard-negative"], "vendor data sheets and listings of SK hynix and Samsung modules")
UNKNOWN_PARTS = ["KVR24N17S8/8", "KVR26N19S8/16", "KSM32RD4/32MRR", "KSM26RD4/32MEI", "KF432C16BB/8", "KHX2666C16/8G", "9905702-017.A00G", "9995417-001.A00G",
  "CMK16GX4M2B3200C16", "CMW32GX4M2E3200C16", "CMSX16GX4M2A2666C18", "F4-3200C16-8GVKB", "F4-3600C18D-32GTZR", "F3-12800CL9-4GBXL",
  "AD4U26668G19-SGN", "AD4S3200716G22-SGN", "TLZGD416G3200HC16CDC01", "TF3D416G3200HC16CDC01", "PSD48G266681", "PVS416G320C6K",
  "NT8GA72D89FX3R-JR", "NT16GA72D8PFX3K-JR", "NT8GA64D88CX3S-JR", "RMSA3260ME78HAF-2666", "RMT3160ED58E9W1600", "HKED4081CAB1S2ZA1/8G",
  "CXDB5CCBM-MK", "SA400S37/480G", "SKC3000D/2048G", "MZ-77E1T0BW", "MZ-V8V1T0BW", "MZQL23T8HCLS-00A07", "WDS100T3X0C", "ST4000NM000A",
  "SSDPEKNW010T8", "SSDSC2KB960G8", "KXG60ZNV1T02", "THNSN5256GPUK", "SDSSDH3-1T00-G25", "PM9A3", "ZP4000GM30023", "LMS1066128G-BNANG",
  "LSD64GCB1NA633", "LD4AU016G-B3200GSST", "Lexar NM790", "HS-SSD-C2000Pro", "ZHITAI TiPro7000", "MV-2T0", "A2000NVMe", "BPX-PRO"]
KNOWN_NOW = {"9905702-017.A00G": "kingston", "9995417-001.A00G": "kingston", "RMSA3260ME78HAF-2666": "ramaxel",
             "RMT3160ED58E9W1600": "ramaxel", "Lexar NM790": "lexar", "ZHITAI TiPro7000": "ymtc", "CMK16GX4M2B3200C16": "corsair", "CMW32GX4M2E3200C16": "corsair",
             "CMSX16GX4M2A2666C18": "corsair", "F4-3200C16-8GVKB": "g-skill", "F4-3600C18D-32GTZR": "g-skill", "F3-12800CL9-4GBXL": None,
             "AD4U26668G19-SGN": "adata", "AD4S3200716G22-SGN": "adata"}
for pn in UNKNOWN_PARTS:
    add("part", [("part-number", pn)], KNOWN_NOW.get(pn), ["part-number", "other-maker", "hard-negative"], "part numbers of other makers (Kingston, Corsair, G.Skill, ADATA, Team, Patriot, Nanya, Ramaxel, Hikvision, CXMT, Samsung, WD, Seagate, Intel, Kioxia, SanDisk, Seagate, Lexar, ZhiTai) from their product listings")

# ---------------------------------------------------------------------- names
NAME = "KB names and brands (data/entities/*.toml) as printed by firmware and exports"
for v in ["Micron", "MICRON", "micron", "Micron Technology", "MICRON TECHNOLOGY", "Micron Technology, Inc.", "Micron Technology Inc.", "MICRON TECH.", "Micron Technolo",
          "Micron Semiconductor", "Micron Semiconductor Products", "Micron Semiconductor Malaysia Sdn. Bhd.", "Micron Semiconductor (Deutschland) GmbH", "Micron Technology Taiwan",
          "美光", "美光科技", "美光科技有限公司", "美光科技(西安)有限公司", "美光半导体", "美光科技股份有限公司", "镁光", "鎂光", "MICRON(镁光)", "Micron Memory Japan", "Micron Memory Japan, K.K.",
          "Crucial", "CRUCIAL", "crucial", "Crucial Technology", "CRUCIAL TECHNOLOGY", "Ballistix", "BALLISTIX", "Elpida", "ELPIDA", "Elpida Memory", "Elpida Memory, Inc.", "SpecTek", "SPECTEK"]:
    ent = "elpida" if ("Elpida" in v or "ELPIDA" in v or "Japan" in v) else "spectek" if "SPEC" in v.upper() else "micron"
    add("name", [("maker", v)], ent, ["name"] + (["cjk"] if any(ord(c) > 0x3000 for c in v) else []) + (["truncated"] if v.endswith("Technolo") or v.endswith("TECH.") else []), NAME)
JA = "Japanese names as the Japanese press writes them (MONOist 2013-08-01, monoist.itmedia.co.jp/mn/articles/1308/01/news042.html)"
for v, ent in [("マイクロン", "micron"), ("マイクロン・テクノロジー", "micron"), ("ﾏｲｸﾛﾝ", "micron"), ("エルピーダ", "elpida"), ("エルピーダメモリ", "elpida"),
               ("エルピーダメモリ株式会社", "elpida"), ("マイクロン・メモリー・ジャパン", "elpida")]:
    add("name", [("maker", v)], ent, ["name", "cjk", "japanese"], JA)
for v in ["マイクロソフト", "日本マイクロソフト株式会社", "マイクロチップ・テクノロジー", "日本マイクロニクス", "オムロン"]:
    add("name", [("maker", v)], None, ["name", "cjk", "japanese", "hard-negative", "name-contains-micro"], "Japanese names of other companies that begin like マイクロン (Microsoft, Microchip, Micronics Japan) or end like it (Omron)")
for v, tag in [("Mircon", "typo"), ("Micorn", "typo"), ("Mucron", "typo"), ("Micrpn", "typo"), ("Crucail", "typo"), ("Cruical", "typo"), ("Elpdia", "typo"), ("Ballsitix", "typo")]:
    ent = "elpida" if v.lower().startswith("elp") else "micron"
    add("typo", [("maker", v)], ent, ["name", tag], "typing errors (transposition or adjacent-key substitution) of KB names, as in hand-typed purchase orders")
# Names in model strings and descriptions.
for v in ["Crucial_CT250MX200SSD1", "Crucial_CT525MX300SSD1", "M4-CT128M4SSD2", "Micron_1100_MTFDDAV256TBN", "Micron_5200_MTFDDAK960TDD", "Micron 7450 PRO NVMe SSD", "Micron/Crucial Technology P1 NVMe PCIe SSD", "Crucial P3 Plus 1TB"]:
    add("model", [("model", v)], "micron", ["model-string"], "smartctl, lspci and lsblk model strings")
# Drive model strings with a series prefix, as hdparm and smartctl print them.
for v in ["C300-CTFDDAC256MAG", "C300-CTFDDAC128MAG", "M4-CT256M4SSD2"]:
    add("model", [("part-number", v)], "micron", ["model-string", "part-number"], "ATA model strings: hdparm -I output of a Crucial C300, and FreeBSD's ada quirk table (C300-CTFDDAC???MAG, M4-CT???M4SSD2)")
for v in ["Crucial 16GB DDR4-3200 UDIMM", "Crucial MX500 1TB 2.5in SATA SSD", "Micron 5400 PRO 960GB SATA SSD", "美光 DDR4 32GB 服务器内存", "镁光 DDR4 8Gb 颗粒", "Ballistix 2x8GB DDR4-3600 kit"]:
    add("desc", [("description", v)], "micron", ["free-text"], "purchase-order descriptions")
# Hard negatives: look-alike names, other makers, adjectives.
HN = "look-alike and other-maker names as firmware, lspci, lsusb and purchase orders print them"
for v in ["HT Micron", "HT MICRON", "HT Micron Semicondutores S.A.", "HT Micron Semiconductors", "Hana Micron", "Hana Micron Inc.", "HANA MICRON", "Micronics", "MICRONICS", "Micronics Japan",
          "Micronet", "Micronet Communications", "Micronet Corporation", "Micro-Star International Co., Ltd.", "Micro-Star International Co., Ltd", "MSI", "Micro Star", "Microchip Technology", "Microchip Technology Inc.",
          "Microsoft", "Microsoft Corporation", "Micro Center", "JMicron Technology Corp.", "JMicron", "Supermicro", "Super Micro Computer, Inc.", "Super Micro Computer", "Sun Microsystems",
          "Sun Microsystems, Inc.", "Omicron", "OMICRON electronics", "Micronas", "Micro Memory Bank", "Micronik Multimedia", "Micro Linear", "Microtek", "Microsemi", "Micro Computer (HK) Tech Limited",
          "Micromax", "Micron Electronics", "Micron Electronics, Inc.", "MicronPC", "Micronpc.com", "STAR MICRONICS", "Computadoras Micron", "Macron", "Mikron", "Microns", "Micro",
          "Samsung", "SAMSUNG", "Samsung Electronics", "SK hynix", "SK Hynix", "Hynix Semiconductor", "Hynix", "Kingston", "KINGSTON", "Kingston Technology", "ADATA", "ADATA Technology",
          "Nanya", "Nanya Technology", "NANYA", "Longsys", "Lexar", "Lexar Media", "Corsair", "G.Skill", "Team Group", "Patriot", "Transcend", "Ramaxel", "CXMT", "长鑫存储", "长江存储", "YMTC",
          "三星", "海力士", "金士顿", "英特尔", "Intel", "Intel Corporation", "Western Digital", "Seagate", "Toshiba", "Kioxia", "SanDisk", "Apple", "Dell", "HP", "Lenovo", "Hewlett-Packard",
          "Phison", "Silicon Motion", "Marvell", "Realtek", "Unknown", "Undefined", "完美光学", "华美光电", "光明", "美光灯", "美的"]:
    ent = {"samsung": "samsung", "sk hynix": "sk-hynix", "hynix": "sk-hynix", "hynix semiconductor": "sk-hynix", "kingston": "kingston", "kingston technology": "kingston",
           "nanya": "nanya", "nanya technology": "nanya", "longsys": "longsys", "lexar": "lexar", "lexar media": "lexar", "cxmt": "cxmt", "team group": "team-group", "ramaxel": "ramaxel", "corsair": "corsair", "g.skill": "g-skill", "adata": "adata", "adata technology": "adata", "长鑫存储": "cxmt", "ymtc": "ymtc",
           "micron electronics": "micron-electronics", "micron electronics, inc.": "micron-electronics", "samsung electronics": "samsung"}.get(v.lower())
    add("neg", [("maker", v)], ent, ["name", "hard-negative"] + (["name-contains-micro"] if "micro" in v.lower() else []), HN)
for v in ["crucial spare part for the storage array", "mission-crucial server memory", "a crucial upgrade for the lab", "5 micron air filter cartridge", "0.5 micron polishing film",
          "micron-level precision stage", "ballistic gel test kit", "Kingston 16GB DDR4", "Samsung 870 EVO 1TB", "SK hynix Platinum P41 2TB"]:
    ent = {"Kingston 16GB DDR4": "kingston", "Samsung 870 EVO 1TB": "samsung", "SK hynix Platinum P41 2TB": "sk-hynix"}.get(v)
    add("neg", [("description", v)], ent, ["free-text", "hard-negative"], "purchase-order descriptions that use the words as ordinary words")

# ----------------------------------------------------------- vendor identifiers
PCIIDS = "Debian pci.ids 2023.04.10 / usb.ids 2025.07.26 / ieee-data 20220827.1"
for role, v, ent in [("pci-vendor", "1344", "micron"), ("pci-vendor", "c0a9", "micron"), ("pci-vendor", "C0A9", "micron"), ("usb-vendor", "0634", "micron"), ("oui", "00a075", "micron"), ("oui", "00242f", "micron"),
                     ("pci-vendor", "1042", None), ("usb-vendor", "0496", "micron-electronics"), ("usb-vendor", "05dc", "lexar"), ("pci-vendor", "1e49", "ymtc"), ("pci-vendor", "1d97", "longsys"),
                     ("pci-vendor", "19e5", "huawei"), ("usb-vendor", "12d1", "huawei"), ("usb-vendor", "1472", None), ("usb-vendor", "19d2", "zte"), ("usb-vendor", "238b", "hytera"),
                     ("pci-vendor", "8086", None), ("pci-vendor", "144d", None), ("pci-vendor", "1987", None), ("pci-vendor", "2646", None), ("pci-vendor", "1c5c", None), ("pci-vendor", "15b7", None),
                     ("pci-vendor", "1bb1", None), ("pci-vendor", "1179", None), ("usb-vendor", "05ac", None), ("usb-vendor", "0781", None), ("usb-vendor", "0951", None), ("oui", "002538", None),
                     ("oui", "0014ee", None), ("oui", "000c50", None), ("oui", "6479a7", None), ("oui", "5cd2e4", None)]:
    add("id", [(role, v)], ent, ["identifier", role] + ([] if ent in MICRON_FAMILY else ["hard-negative"]), PCIIDS)

# ----------------------------------------------------- combined dmidecode records
for mfr, pn, ent, tags in [("802C", "MTA18ASF2G72PZ-2G6E1", "micron", []), ("Unknown", "18ASF2G72PDZ-2G3D1", "micron", ["micron-by-part-number-only"]),
                           ("859B", "CT16G4DFRA32A.C16FE", "micron", []), ("1315", "BLS8G3D1609ES2LX0.", "micron", ["misreported-jedec"]), ("0515", "CT16G4SFD8213.C16FER", "micron", ["misreported-jedec"]),
                           ("0x02FE", "0x384A53463235363634485A2D314734443120", "micron", ["hex-encoded-part-number"]), ("Micron", "H9CCNNNCLTMLAR-NUD", "sk-hynix", ["conflicting-evidence", "other-maker", "hard-negative"]),
                           ("Micron", "M471A5244BB0-CPB", "samsung", ["conflicting-evidence", "hard-negative"]), ("Micron", "HMA82GS6CJR8N-VK", "sk-hynix", ["conflicting-evidence", "hard-negative"]),
                           ("01980000802C", "9905702-017.A00G", "kingston", ["micron-dram-die-on-non-micron-module", "hard-negative"]), ("0B2C", "HKED4081CAB1S2ZA1/8G", None, ["code-contains-2C-not-micron", "hard-negative"]),
                           ("Samsung", "M393A4K40CB2-CVF", "samsung", ["other-maker", "hard-negative"]), ("00AD063200AD", "HMA84GR7CJR4N-XN", "sk-hynix", ["other-maker", "hard-negative"]),
                           ("Microsoft", "None", None, ["hyper-v", "hard-negative"]), ("Elpida", "EBJ41HE4BDFA-DJ-F", "elpida", []), ("7F7FFE0000000000", "EBJ21UE8BDS1-DJ-F", "elpida", [])]:
    add("dmi", [("maker", mfr), ("part-number", pn)], ent, ["combined"] + tags, DMI)

# ------------------------------------------- systematic combined records
# dmidecode prints a maker field and a part number together; purchase orders a
# vendor, a part number and a description. Every Micron-family part is paired
# with the maker forms firmware prints for it; other makers' parts likewise.
MAKERS_MICRON = ["802C", "Micron", "Micron Technology", "Unknown", "2C00000000000000", "JEDEC ID:80 2C", "Undefined"]
MAKERS_CRUCIAL = ["Crucial Technology", "859B", "Unknown - [0x9B85]", "Unknown", "CRUCIAL", "7F7F7F7F7F9B0000"]
parts = [(r["fields"][0]["value"], r["expect_entity"], r["tags"]) for r in recs if r["id"].startswith("part-") and len(r["fields"]) == 1]
for pn, ent, tags in parts:
    if ent == "micron" and "brand-crucial" in tags:
        makers = MAKERS_CRUCIAL
    elif ent == "micron" and "brand-ballistix" in tags:
        makers = MAKERS_CRUCIAL[:4]
    elif ent == "micron":
        makers = MAKERS_MICRON
    elif ent == "elpida":
        makers = ["Elpida", "0x02FE", "7F7FFE0000000000", "Unknown"]
    else:
        continue
    for m in makers:
        add("combo", [("maker", m), ("part-number", pn)], ent, ["combined", "dmidecode"] + [t for t in tags if t != "part-number"], DMI)
def gen_other():
    out = []
    for d in ["1", "2", "4"]:
        for k in ["K40", "K43"]:
            for r in ["BB1", "CB2", "DB3"]:
                for s in ["CTD", "CVF", "CWE"]:
                    out.append(("samsung", f"M393A{d}{k}{r}-{s}", ["Samsung", "80CE", "Unknown", "Samsung Electronics"]))
    for d in ["1G", "2G", "4G"]:
        for t in ["R7", "S6", "U6"]:
            for r in ["AFR8N", "CJR8N", "DJR8N"]:
                for s in ["VK", "WM", "XN"]:
                    out.append(("sk-hynix", f"HMA8{d}{t}{r}-{s}", ["SK Hynix", "80AD", "Hynix Semiconductor", "Unknown"]))
    for sp in ["21", "24", "26", "32"]:
        for cl in ["15", "17", "19", "22"]:
            for sz in ["S8/8", "D8/16", "S6/4"]:
                out.append((None, f"KVR{sp}N{cl}{sz}", ["Kingston", "0198", "Unknown"]))
    for g in ["8", "16", "32"]:
        for m in ["1", "2"]:
            for sp in ["2400C14", "3200C16", "3600C18"]:
                out.append((None, f"CMK{g}GX4M{m}B{sp}", ["Corsair", "029E", "Unknown"]))
    return out
for ent, pn, makers in gen_other():
    for m in makers:
        maker_ent = {"Kingston": "kingston", "0198": "kingston"}.get(m)
        expect = ent or maker_ent or ("corsair" if pn.startswith("CMK") else None)
        add("combo", [("maker", m), ("part-number", pn)], expect, ["combined", "dmidecode", "other-maker", "hard-negative"], "module part numbers of Samsung, SK hynix, Kingston and Corsair with the maker forms firmware prints for them")

# ------------------------------------------------ the long tail of firmware
LONG = "forms firmware prints in linux-hardware.org DMI dumps; part numbers from maker data sheets and product listings"
# JEP106 lists padded with FF instead of 00, in hex and in dmidecode's JEDEC ID: spelling.
for entity, bank, code in CODES:
    if bank > 8:
        continue
    cb = parity(code)
    neg = [] if entity in MICRON_FAMILY else ["hard-negative"] if (code == 0x2C or entity is None) else ["other-maker"]
    listed = ["7F"] * (bank - 1) + [f"{cb:02X}"]
    forms = ["".join(listed + ["FF"] * (8 - bank)), "JEDEC ID:" + " ".join(listed + ["FF"] * (8 - bank))]
    if bank <= 6:
        forms.append("".join(listed + ["FF"] * 2))
    for f in forms:
        add("ffpad", [("maker", f)], entity, ["jedec", "ff-padding"] + neg, f"{JEP}; FF padding per {DMI}")
# Eight hex digits: the module maker's and the DRAM maker's codes, each pair
# printed code byte first.
for mod, mb, mc in [("kingston", 2, 0x18), ("micron", 6, 0x1B), ("corsair", 3, 0x1E), ("ramaxel", 5, 0x43), ("samsung", 1, 0x4E), ("sk-hynix", 1, 0x2D), ("team-group", 5, 0x6F)]:
    for die, db, dc in [("micron", 1, 0x2C), ("samsung", 1, 0x4E), ("sk-hynix", 1, 0x2D)]:
        f = f"{parity(mc):02X}{parity(mb - 1):02X}{parity(dc):02X}{parity(db - 1):02X}"
        tags = ["jedec", "swapped-module-and-die"] + (["micron-dram-die-on-non-micron-module", "hard-negative"] if die == "micron" and mod not in MICRON_FAMILY else [] if mod in MICRON_FAMILY else ["other-maker"])
        add("swap8", [("maker", f)], mod, tags, f"{JEP}; 8-hex module and die form per {DMI}")
        add("swap8", [("maker", f), ("part-number", "")], mod, tags, f"{JEP}; 8-hex module and die form per {DMI}")
# Micron numbers as firmware prints them.
LP = ["53E1G32D2NQ-046", "53E1G32D4NQ-046", "53D512M32D2DS-046", "53E2G32D4DT-046", "53D1G64D4NW-046", "53E512M32D2NP-046", "53D512M64D4RQ-046"]
for pn in LP:
    for m in ["Micron Technology", "Micron", "Unknown", "802C", "Samsung", "SK Hynix", ""]:
        tags = ["combined", "mt-dropped", "lpddr4"] + (["maker-field-names-another-dram-maker"] if m in ("Samsung", "SK Hynix") else [])
        add("mtdrop", [("maker", m), ("part-number", pn)], "micron", tags, "Micron LPDDR4 part numbers (MT53 data sheets) with MT dropped, " + LONG)
for pn in micron_modules():
    short = pn.lstrip("0123456789")
    for m in ["Micron", "Unknown", "802C"]:
        add("mtdrop", [("maker", m), ("part-number", short)], "micron", ["combined", "mt-and-count-dropped"], MICRON_MOD + " with MT and the count dropped")
DDR1 = ["MT8VDDT3264AG-40B", "MT8VDDT6464AG-335", "MT16VDDT6464AG-335", "MT16VDDT12864AG-40B", "MT16VDDT25664AG-335", "MT18VDDF6472DG-335", "MT18VDDF12872DG-40B", "MT9VDDT3272AG-335",
        "MT8VDDT3264HDG-335", "MT16VDDF6464HG-335", "MT4VDDT864AG-26A", "MT18VDVF12872DG-335"]
for pn in DDR1:
    for v in [pn, pn[2:], "0x" + pn[2:].encode().hex().upper()]:
        for m in ["Micron", "Unknown", "2C00000000000000"]:
            tags = ["combined", "legacy-ddr"] + (["hex-encoded-part-number"] if v.startswith("0x") else [])
            add("ddr1", [("maker", m), ("part-number", v)], "micron", tags, "Micron DDR SDRAM module data sheets (MT8VDDT3264A, MT16VDDT6464A, MT18VDDF6472D families)")
CRUCIAL_OLD = ["CB8GS2666.C8ET", "CB16GS2666.C8ET", "CB8GU2400.C8ET", "CB16GU3200.C8FT", "CB4GS2400.C4RT", "CT2KIT51264BF160B", "CT2KIT102464BF160B", "CT2KIT25664BA1339",
               "ST51264BA1339.16FM", "ST102464BA160B.16F", "ST25664BA1339.8FMD", "RM102464BA1339.16F", "RM51264BA1339.16FR", "BL25664TB1608.16FF", "BL51264BA1339.16FD", "BL25664BN1337.16FF"]
for pn in CRUCIAL_OLD:
    for m in ["859B", "Crucial Technology", "Unknown", "1315", "Undefined"]:
        add("crucial", [("maker", m), ("part-number", pn)], "micron", ["combined", "brand-crucial", "crucial-legacy"], "Crucial Basics, kit and RM/ST/BL legacy part numbers, " + LONG)
for pn in ["Crucial", "CRUCIAL 8GB DDR4", "Micron 4GB DDR3", "Ballistix Sport LT", "8GB DDR4 Crucial Technology", "MICRON/MT60B1G16HC-48B"]:
    for m in ["Unknown", "Undefined", "0000"]:
        add("brandpn", [("maker", m), ("part-number", pn)], "micron", ["combined", "brand-in-part-number"], "brand words in the Part Number field, " + LONG)
# Another maker's part number beside a Micron or Elpida maker field: the
# part number decides.
OTHER_PN = {"samsung": ["K4A8G165WC-BCWE", "K4UBE3D4AA-MGCR", "K4EBE304EB-EGCG", "M471A5244CB0-CRC", "M378A1K43CB2-CTD", "M393A2K43BB1-CTD", "K3LKBKB0BM-MGCP", "M395T5663QZ4-CE66"],
            "sk-hynix": ["H9HCNNNCPMMLXR-NEE", "H9JCNNNCP3MLYR-N6E", "H9CCNNNBJTALAR-NVD", "H5AN8G6NCJR-VKC", "H5TC4G63CFR-PBA", "HMT451S6BFR8A-PB", "HMA81GS6CJR8N-VK", "H5ANAG6NCMR-XNC", "HYMP125S64CP8-S6", "HMP125S6EFR8C-S6"],
            "kingston": ["9905702-017.A00G", "99U5584-005.A00LF", "99P5471-039.A00LF", "99U5428-018.A00LF", "9905471-006.A00LF"],
            "ramaxel": ["RMSA3260ME78HAF-2666", "RMT3170ME68F9F1600", "RMUA5110ME78HAF-2666", "RMR5040ED58E9W1600"],
            "team-group": ["TEAMGROUP-UD4-3600", "TEAMGROUP-UD4-3200", "TEAMGROUP-UD4-2666"]}
for ent, pns in OTHER_PN.items():
    for pn in pns:
        for m in ["Micron", "Micron Technology", "Elpida", "802C", "JEDEC ID:80 2C"]:
            add("falsemicron", [("maker", m), ("part-number", pn)], ent, ["combined", "maker-field-names-another-dram-maker", "other-maker", "hard-negative"], "module and component part numbers of Samsung, SK hynix, Kingston, Ramaxel and Team Group; " + LONG)
for mfr, pn, ent in [("01980000802C", "9905702-017.A00G", "kingston"), ("01980000802C", "99U5584-005.A00LF", "kingston"), ("0198802C", "99P5471-039.A00LF", "kingston"),
                     ("98012C80", "9905702-017.A00G", "kingston"), ("04430000802C", "RMSA3260ME78HAF-2666", "ramaxel"), ("01980000802C", "", "kingston")]:
    add("falsemicron", [("maker", mfr), ("part-number", pn)], ent, ["combined", "micron-dram-die-on-non-micron-module", "hard-negative"], f"{JEP}; module and die codes per {DMI}")

with open(OUT, "w", encoding="utf-8") as f:
    for r in recs:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
neg = sum(1 for r in recs if "hard-negative" in r["tags"])
print(f"{len(recs)} records, {neg} hard negatives ({100 * neg / len(recs):.1f}%), written to {OUT}")
