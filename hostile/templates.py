"""Well-formed inputs, one per reader, each naming one restricted item (a
Micron product) so that a case built from it can tell "screened" from
"silently clear". Python 3 standard library only."""

import json
import struct

MICRON_PN = "MTA18ASF2G72PZ-2G6E1"


def dmidecode(maker="Micron", part=MICRON_PN, extra_field=""):
    return (
        "# dmidecode 3.4\nGetting SMBIOS data from sysfs.\nSMBIOS 3.2.0 present.\n\n"
        "Handle 0x0100, DMI type 1, 27 bytes\nSystem Information\n"
        "\tManufacturer: Dell Inc.\n\tProduct Name: PowerEdge R740\n\tSerial Number: 7GQ2XK2\n\n"
        "Handle 0x1100, DMI type 17, 84 bytes\nMemory Device\n"
        "\tSize: 32 GB\n\tForm Factor: DIMM\n\tLocator: A1\n"
        f"\tManufacturer: {maker}\n\tSerial Number: 3A1B2C4D\n"
        f"\tPart Number: {part}\n{extra_field}\tRank: 2\n\n"
    )


def csv_po(maker="Micron", part=MICRON_PN, date="2024-03-01"):
    return (
        "Manufacturer,Part Number,Description,Order Date\n"
        f"{maker},{part},32GB DDR4 RDIMM,{date}\n"
    )


def jsonl(maker="Micron", part=MICRON_PN):
    return json.dumps(
        {
            "kind": "memory",
            "host": "web-01",
            "manufacturer": maker,
            "part_number": part,
            "acquired": "2024-04-18",
        }
    ) + "\n"


def smartctl_text(model="Micron_5300_MTFDDAK1T9TDS"):
    return (
        "smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.1.0-18-amd64] (local build)\n"
        "Copyright (C) 2002-22, Bruce Allen, Christian Franke, www.smartmontools.org\n\n"
        "=== START OF INFORMATION SECTION ===\n"
        "Model Family:     Micron 5100 Pro / 52x0 / 5300 SSDs\n"
        f"Device Model:     {model}\n"
        "Serial Number:    21042F6A1B3C\nFirmware Version: D3MU001\n"
        "User Capacity:    1,920,383,410,176 bytes [1.92 TB]\n\n"
    )


def smartctl_json(model="Micron_7450_MTFDKCC3T8TFR"):
    return json.dumps(
        {
            "json_format_version": [1, 0],
            "smartctl": {"version": [7, 3], "exit_status": 0},
            "device": {"name": "/dev/nvme0", "info_name": "/dev/nvme0", "type": "nvme", "protocol": "NVMe"},
            "model_name": model,
            "serial_number": "22383C0A5E71",
            "firmware_version": "E2MU200",
            "nvme_pci_vendor": {"id": 4932, "subsystem_id": 4932},
        },
        indent=2,
    ) + "\n"


def nvme_list(model="Micron_7450_MTFDKCC3T8TFR"):
    return json.dumps(
        {
            "Devices": [
                {
                    "HostNQN": "nqn.2014-08.org.nvmexpress:uuid:4c4c4544",
                    "Subsystems": [
                        {
                            "Subsystem": "nvme-subsys0",
                            "SubsystemNQN": "nqn.2016-08.com.micron:nvme:nvm-subsystem-sn-22383C0A5E71",
                            "Controllers": [
                                {
                                    "Controller": "nvme0",
                                    "SerialNumber": "22383C0A5E71",
                                    "ModelNumber": model,
                                    "Firmware": "E2MU200",
                                    "Transport": "pcie",
                                    "Address": "0000:5e:00.0",
                                    "Namespaces": [],
                                    "Paths": [],
                                }
                            ],
                            "Namespaces": [],
                        }
                    ],
                }
            ]
        },
        indent=2,
    ) + "\n"


def nvme_id_ctrl(model="Micron_7450_MTFDKCC3T8TFR"):
    return json.dumps(
        {"vid": 4932, "ssvid": 4932, "sn": "22383C0A5E71  ", "mn": model + "   ", "fr": "E2MU200 "},
        indent=2,
    ) + "\n"


def lsblk(model="Micron_5300_MTFDDAK1T9TDS"):
    return json.dumps(
        {"blockdevices": [{"name": "sda", "model": model, "vendor": "ATA     ", "serial": "21042F6A1B3C", "tran": "sata"}]},
        indent=3,
    ) + "\n"


def lshw_json(vendor="Micron", product="36ASF4G72PZ-2G9E2"):
    return json.dumps(
        {
            "id": "stor-04",
            "class": "system",
            "vendor": "Dell Inc.",
            "product": "PowerEdge R740xd",
            "children": [
                {
                    "id": "memory",
                    "class": "memory",
                    "physid": "1000",
                    "children": [
                        {
                            "id": "bank:0",
                            "class": "memory",
                            "description": "DIMM DDR4 Synchronous Registered (Buffered) 2933 MHz",
                            "product": product,
                            "vendor": vendor,
                            "physid": "0",
                            "serial": "2177C1A0",
                            "slot": "A1",
                        }
                    ],
                }
            ],
        },
        indent=2,
    ) + "\n"


def lshw_xml_node(i, vendor="Micron", product="36ASF4G72PZ-2G9E2"):
    return (
        f' <node id="bank:{i}" claimed="true" class="memory">\n'
        "  <description>DIMM DDR4 Synchronous Registered (Buffered)</description>\n"
        f"  <product>{product}</product>\n  <vendor>{vendor}</vendor>\n"
        f"  <physid>{i}</physid>\n  <slot>A{i}</slot>\n </node>\n"
    )


def lshw_xml(vendor="Micron", product="36ASF4G72PZ-2G9E2", body=None):
    inner = body if body is not None else lshw_xml_node(0, vendor, product)
    return (
        '<?xml version="1.0" standalone="yes" ?>\n<!-- generated by lshw-B.02.19.2 -->\n'
        '<node id="stor-04" claimed="true" class="system">\n'
        " <description>Rack Mount Chassis</description>\n <vendor>Dell Inc.</vendor>\n"
        + inner
        + "</node>\n"
    )


def lspci(name="Micron Technology Inc 7450 PRO NVMe SSD [1344:51c3]"):
    return (
        "00:00.0 Host bridge [0600]: Intel Corporation Sky Lake-E DMI3 Registers [8086:2020] (rev 07)\n"
        f"5e:00.0 Non-Volatile memory controller [0108]: {name} (rev 01)\n"
    )


def lsusb(name="Micron Technology, Inc. Embedded Mass Storage Drive [RealSSD]"):
    return (
        "Bus 002 Device 001: ID 1d6b:0003 Linux Foundation 3.0 root hub\n"
        f"Bus 001 Device 004: ID 0634:0655 {name}\n"
    )


def osquery_row(maker="Micron", part=MICRON_PN):
    return {
        "device_locator": "ChannelA-DIMM0",
        "bank_locator": "BANK 0",
        "manufacturer": maker,
        "part_number": part,
        "serial_number": "E6A1B2C3",
        "size": "16384",
        "memory_type": "DDR4",
    }


def osquery_json(maker="Micron", part=MICRON_PN):
    return json.dumps([osquery_row(maker, part)], indent=2) + "\n"


def osquery_log(vendor="Micron Technology Inc", vendor_id="1344"):
    return json.dumps(
        {
            "name": "pack_hardware_pci_devices",
            "hostIdentifier": "db-22",
            "calendarTime": "Tue Mar 12 02:15:07 2024 UTC",
            "unixTime": 1710209707,
            "columns": {
                "model": "7450 PRO NVMe SSD",
                "model_id": "51c3",
                "pci_slot": "0000:3b:00.0",
                "vendor": vendor,
                "vendor_id": vendor_id,
            },
            "action": "added",
        }
    ) + "\n"


def windows_cim(maker="Micron", part="4ATF1G64HZ-3G2E2"):
    return json.dumps(
        [
            {
                "Caption": "Physical Memory",
                "CreationClassName": "Win32_PhysicalMemory",
                "Manufacturer": maker,
                "PartNumber": part,
                "SerialNumber": "E6A1B2C3",
                "PSComputerName": "WS-201",
            }
        ],
        indent=4,
    ) + "\n"


def system_profiler(maker="0x802C", part="0x384A5346353132363448592D314736443120"):
    return json.dumps(
        {
            "SPMemoryDataType": [
                {
                    "_items": [
                        {
                            "_name": "BANK 0/ChannelA-DIMM0",
                            "dimm_manufacturer": maker,
                            "dimm_part_number": part,
                            "dimm_serial_number": "0x12345678",
                            "dimm_size": "4 GB",
                            "dimm_type": "DDR3",
                        }
                    ]
                }
            ]
        },
        indent=2,
    ) + "\n"


def wmic(maker="Micron", part="4ATF1G64HZ-3G2E2"):
    return (
        "\r\n\r\nCreationClassName=Win32_PhysicalMemory\r\n"
        f"Manufacturer={maker}\r\nPartNumber={part}\r\nSerialNumber=E6A1B2C3\r\n\r\n\r\n"
    )


def smbios_structure(kind, handle, formatted_tail, strings):
    """One SMBIOS structure: header, formatted area, string set."""
    formatted = struct.pack("<BBH", kind, 4 + len(formatted_tail), handle) + formatted_tail
    if strings:
        tail = b"".join(s + b"\x00" for s in strings) + b"\x00"
    else:
        tail = b"\x00\x00"
    return formatted + tail


def smbios_memory_device(handle=0x1100, maker=b"Micron", part=MICRON_PN.encode()):
    body = bytearray(0x28 - 4)
    struct.pack_into("<H", body, 0x0C - 4, 0x7FFF)  # size in the extended field
    struct.pack_into("<I", body, 0x1C - 4, 32 * 1024)
    body[0x10 - 4] = 1  # locator
    body[0x17 - 4] = 2  # manufacturer
    body[0x18 - 4] = 3  # serial
    body[0x1A - 4] = 4  # part number
    return smbios_structure(17, handle, bytes(body), [b"A1", maker, b"3A1B2C4D", part])


def smbios_end(handle=0xFEFF):
    return smbios_structure(127, handle, b"", [])


def smbios_dump(table=None, table_len=None, table_addr=0x20):
    """A `dmidecode --dump-bin` file: an SMBIOS 3 entry point at 0, the table at 0x20."""
    if table is None:
        table = smbios_memory_device() + smbios_end()
    length = len(table) if table_len is None else table_len
    ep = bytearray(0x18)
    ep[0:5] = b"_SM3_"
    ep[7], ep[8], ep[9] = 3, 2, 0
    ep[0x0A] = 1
    struct.pack_into("<I", ep, 0x0C, length)
    struct.pack_into("<Q", ep, 0x10, table_addr)
    ep[6] = 0x18  # entry point length
    ep[5] = (-sum(ep)) & 0xFF  # checksum over the entry point
    ep = bytes(ep)
    pad = b"\x00" * (table_addr - len(ep))
    return ep + pad + table


# Each reader: a file name and a builder of its good content (bytes).
READERS = {
    "dmidecode": ("db-01.dmi", lambda: dmidecode().encode()),
    "csv": ("po.csv", lambda: csv_po().encode()),
    "jsonl": ("inv.jsonl", lambda: jsonl().encode()),
    "smartctl-text": ("stor-04.smartctl.txt", lambda: smartctl_text().encode()),
    "smartctl-json": ("stor-04.smartctl.json", lambda: smartctl_json().encode()),
    "nvme-list": ("stor-04.nvme-list.json", lambda: nvme_list().encode()),
    "nvme-id-ctrl": ("stor-04.id-ctrl.json", lambda: nvme_id_ctrl().encode()),
    "lsblk": ("stor-04.lsblk.json", lambda: lsblk().encode()),
    "lshw-json": ("stor-04.lshw.json", lambda: lshw_json().encode()),
    "lshw-xml": ("stor-04.lshw.xml", lambda: lshw_xml().encode()),
    "lspci": ("stor-04.lspci.txt", lambda: lspci().encode()),
    "lsusb": ("stor-04.lsusb.txt", lambda: lsusb().encode()),
    "osquery-json": ("ws-118.osquery.json", lambda: osquery_json().encode()),
    "osquery-log": ("fleet.osquery.log", lambda: osquery_log().encode()),
    "windows-cim": ("ws-201.memory.json", lambda: windows_cim().encode()),
    "system-profiler": ("mbp-07.profiler.json", lambda: system_profiler().encode()),
    "wmic": ("ws-201.wmi", lambda: wmic().encode()),
    "smbios-dump": ("db-01.bin", lambda: smbios_dump()),
}
