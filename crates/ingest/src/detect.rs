//! Format detection from content, not file names.

use crate::{Format, headers, lspci, windows, wmic};

/// Detects the format of an input from its first decoded bytes.
pub fn detect(head: &str) -> Option<Format> {
    let head = head.trim_start_matches('\u{feff}');
    // Comment lines (`# ...`, as `collect` writes) do not decide; `#TYPE` does.
    let first = head
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && (!l.starts_with('#') || l.starts_with("#TYPE ")))?;
    if is_dmidecode(head) {
        return Some(Format::Dmidecode);
    }
    if first.starts_with("smartctl ") || head.contains("=== START OF INFORMATION SECTION ===") {
        return Some(Format::SmartctlText);
    }
    if first.starts_with("<?xml") || first.starts_with("<node") || first.starts_with("<list") {
        return head.contains("<node").then_some(Format::LshwXml);
    }
    if first.starts_with('{') && first.contains("\"hostIdentifier\"") {
        return Some(Format::OsqueryLog);
    }
    if first.starts_with('{') || json_array(head) {
        return Some(json_format(head));
    }
    if first.starts_with("#TYPE ") {
        return Some(Format::Csv);
    }
    if first.starts_with("Bus ") && first.contains(" Device ") && first.contains(": ID ") {
        return Some(Format::Lsusb);
    }
    if lspci::is_slot_line(first) || first.starts_with("Slot:\t") {
        return Some(Format::Lspci);
    }
    let property_lines = head
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(5);
    if property_lines.clone().count() >= 2 && property_lines.clone().all(wmic::is_property_line) {
        return Some(Format::Wmic);
    }
    headers::looks_like_header(first).then_some(Format::Csv)
}

/// True when the text is a JSON array of objects (not a TOML `[table]`).
fn json_array(head: &str) -> bool {
    let rest = head.trim_start().strip_prefix('[');
    rest.is_some_and(|r| matches!(r.trim_start().chars().next(), Some('{' | ']') | None))
}

/// Tells the JSON documents of hardware tools from our JSON Lines by their keys.
fn json_format(head: &str) -> Format {
    let has = |key: &str| head.contains(&format!("\"{key}\""));
    let smartctl_device =
        has("device") && has("protocol") && (has("model_name") || has("info_name"));
    let osquery_row = [
        "part_number",
        "device_locator",
        "pci_slot",
        "usb_address",
        "hardware_model",
        "block_size",
    ]
    .iter()
    .any(|k| has(k));
    let profiler = [
        "SPMemoryDataType",
        "SPNVMeDataType",
        "SPSerialATADataType",
        "SPUSBDataType",
    ];
    if profiler.iter().any(|k| has(k)) {
        Format::SystemProfiler
    } else if windows::looks_like_cim(head) {
        Format::WindowsCim
    } else if head.trim_start().starts_with('[') && osquery_row {
        Format::OsqueryJson
    } else if has("json_format_version") || has("smartctl") || smartctl_device {
        Format::SmartctlJson
    } else if has("Devices") {
        Format::NvmeList
    } else if has("vid") && has("mn") {
        Format::NvmeIdCtrl
    } else if has("blockdevices") {
        Format::Lsblk
    } else if has("class") && has("id") && (has("children") || has("businfo") || has("physid")) {
        Format::LshwJson
    } else {
        Format::Jsonl
    }
}

fn is_dmidecode(head: &str) -> bool {
    head.starts_with("# dmidecode")
        || head.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("Handle 0x") && (l.contains("DMI type") || l.len() <= 14)
        }) && head.contains("DMI type")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_by_content() {
        assert_eq!(
            detect("# dmidecode 3.4\nGetting SMBIOS data from sysfs.\n"),
            Some(Format::Dmidecode)
        );
        assert_eq!(
            detect("Handle 0x0000\n\tDMI type 0, 18 bytes.\n"),
            Some(Format::Dmidecode)
        );
        assert_eq!(detect("\n{\"kind\":\"memory\"}\n"), Some(Format::Jsonl));
        assert_eq!(detect("Vendor;MPN;Qty\nMicron;X;1\n"), Some(Format::Csv));
        assert_eq!(
            detect("smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.1.0] (local build)\n"),
            Some(Format::SmartctlText)
        );
        assert_eq!(
            detect("{\n  \"json_format_version\": [1, 0],\n  \"smartctl\": {}\n"),
            Some(Format::SmartctlJson)
        );
        assert_eq!(detect("{\n  \"Devices\" : [\n"), Some(Format::NvmeList));
        assert_eq!(
            detect(
                "{\n  \"vid\" : 4932,\n  \"ssvid\" : 4932,\n  \"sn\" : \"x\",\n  \"mn\" : \"y\"\n"
            ),
            Some(Format::NvmeIdCtrl)
        );
        assert_eq!(detect("{\n   \"blockdevices\": [\n"), Some(Format::Lsblk));
        assert_eq!(
            detect("{\n  \"id\" : \"db-01\",\n  \"class\" : \"system\",\n  \"children\" : [\n"),
            Some(Format::LshwJson)
        );
        assert_eq!(
            detect(
                "<?xml version=\"1.0\" standalone=\"yes\" ?>\n<node id=\"db-01\" class=\"system\">\n"
            ),
            Some(Format::LshwXml)
        );
        assert_eq!(
            detect("00:00.0 Host bridge [0600]: Intel Corporation Device [8086:3e0f]\n"),
            Some(Format::Lspci)
        );
        assert_eq!(
            detect("Slot:\t00:00.0\nClass:\tHost bridge\n"),
            Some(Format::Lspci)
        );
        assert_eq!(
            detect("Bus 001 Device 001: ID 1d6b:0002 Linux Foundation 2.0 root hub\n"),
            Some(Format::Lsusb)
        );
        assert_eq!(
            detect(
                "[\n  {\n    \"device_locator\": \"DIMM_A1\",\n    \"manufacturer\": \"Micron\"\n"
            ),
            Some(Format::OsqueryJson)
        );
        assert_eq!(
            detect("{\"name\":\"pack_hw_memory\",\"hostIdentifier\":\"db-01\",\"columns\":{}}\n"),
            Some(Format::OsqueryLog)
        );
        assert_eq!(
            detect(
                "[\r\n    {\r\n        \"Manufacturer\":  \"Micron\",\r\n        \"PartNumber\":  \"X\",\r\n        \"PSComputerName\":  \"WS-1\"\r\n"
            ),
            Some(Format::WindowsCim)
        );
        assert_eq!(
            detect(
                "#TYPE Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_PhysicalMemory\r\n\"Manufacturer\",\"PartNumber\"\r\n"
            ),
            Some(Format::Csv)
        );
        assert_eq!(
            detect("{\n  \"SPMemoryDataType\" : [\n"),
            Some(Format::SystemProfiler)
        );
        assert_eq!(
            detect("# exceptions\n[[waivers]]\ndirective = \"x\"\n"),
            None
        );
        assert_eq!(detect("[section]\nkey = 1\n"), None);
        assert_eq!(
            detect("\r\n\r\nBankLabel=\r\nCapacity=1073741824\r\nCaption=Physical Memory\r\n"),
            Some(Format::Wmic)
        );
        assert_eq!(detect("just some text\n"), None);
        assert_eq!(detect(""), None);
    }
}
