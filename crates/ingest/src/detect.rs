//! Format detection from content, not file names. Each format's predicate
//! is named in its entry of the format table (`formats.rs`); the table's
//! order is the order in which they are tried, first match wins.

use crate::formats::Input;
use crate::{Format, ReadOptions, headers, lspci, windows, wmic};

/// The first decoded bytes of an input, as text predicates see them.
pub(crate) struct Sniff<'a> {
    /// The head, without a byte-order mark.
    pub text: &'a str,
    /// The first line that is neither blank nor a `#` comment (`#TYPE` counts), trimmed.
    pub first: &'a str,
    /// What the user said about columns (a mapped header makes a table).
    pub options: &'a ReadOptions,
}

impl<'a> Sniff<'a> {
    /// `None` when the head has no line that could decide.
    fn new(head: &'a str, options: &'a ReadOptions) -> Option<Self> {
        let text = head.trim_start_matches('\u{feff}');
        // Comment lines (`# ...`, as `collect` writes) do not decide; `#TYPE` does.
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && (!l.starts_with('#') || l.starts_with("#TYPE ")))?;
        Some(Self {
            text,
            first,
            options,
        })
    }

    /// True when the head names `"key"`.
    fn has(&self, key: &str) -> bool {
        self.text.contains(&format!("\"{key}\""))
    }

    /// True when the head opens a JSON object, or a JSON array of objects
    /// (not a TOML `[table]`).
    fn is_json(&self) -> bool {
        let rest = self.text.trim_start().strip_prefix('[');
        self.first.starts_with('{')
            || rest.is_some_and(|r| matches!(r.trim_start().chars().next(), Some('{' | ']') | None))
    }

    /// True when the first line opens an XML document.
    fn is_markup(&self) -> bool {
        ["<?xml", "<node", "<list"]
            .iter()
            .any(|p| self.first.starts_with(p))
    }
}

/// Detects the format of a text input from its first decoded bytes.
pub fn detect(head: &str) -> Option<Format> {
    detect_with(head, &ReadOptions::default())
}

/// Like [`detect`], with the user's column mapping (a table whose headers
/// only the mapping names is still a table).
pub fn detect_with(head: &str, options: &ReadOptions) -> Option<Format> {
    let sniff = Sniff::new(head, options)?;
    Format::all().find(|f| match f.input() {
        Input::Binary { .. } | Input::Workbook { .. } => false,
        Input::Lines { detect, .. }
        | Input::Table { detect, .. }
        | Input::Json { detect, .. }
        | Input::Document { detect, .. } => detect(&sniff),
    })
}

/// Detects a binary format from the first raw bytes.
pub(crate) fn detect_binary(head: &[u8]) -> Option<Format> {
    Format::all().find(|f| match f.input() {
        Input::Binary { detect, .. } | Input::Workbook { detect, .. } => detect(head),
        Input::Lines { .. } | Input::Table { .. } | Input::Json { .. } | Input::Document { .. } => {
            false
        }
    })
}

/// `dmidecode` text: `# dmidecode` or `Handle 0x...` lines with `DMI type`.
pub(crate) fn dmidecode(s: &Sniff<'_>) -> bool {
    s.text.starts_with("# dmidecode")
        || s.text.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("Handle 0x") && (l.contains("DMI type") || l.len() <= 14)
        }) && s.text.contains("DMI type")
}

/// `smartctl` text: its banner, its information section's heading, or the
/// information section alone (copied without its banner): the first line
/// and two more of the first ten are `Key: value` lines of that section.
pub(crate) fn smartctl_text(s: &Sniff<'_>) -> bool {
    s.first.starts_with("smartctl ")
        || s.text.contains("=== START OF INFORMATION SECTION ===")
        || smartctl_information_section(s)
}

fn smartctl_information_section(s: &Sniff<'_>) -> bool {
    const KEYS: &[&str] = &[
        "Model Family",
        "Device Model",
        "Model Number",
        "Serial Number",
        "Serial number",
        "LU WWN Device Id",
        "Logical Unit id",
        "Firmware Version",
        "User Capacity",
        "Total NVM Capacity",
        "Vendor",
        "Product",
        "Revision",
        "Rotation Rate",
        "Form Factor",
        "Device type",
        "Transport protocol",
        "PCI Vendor/Subsystem ID",
        "IEEE OUI Identifier",
        "SMART support is",
        "Sector Size",
        "ATA Version is",
        "SATA Version is",
    ];
    let is_key = |l: &str| {
        l.split_once(':')
            .is_some_and(|(k, _)| KEYS.contains(&k.trim()) && !k.starts_with(' '))
    };
    let lines: Vec<&str> = s
        .text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(10)
        .collect();
    is_key(s.first) && lines.iter().filter(|l| is_key(l)).count() >= 3
}

/// `lshw -xml`: an XML document with `<node` elements.
pub(crate) fn lshw_xml(s: &Sniff<'_>) -> bool {
    s.is_markup() && s.text.contains("<node")
}

/// osqueryd result-log lines: JSON objects naming `hostIdentifier`.
pub(crate) fn osquery_log(s: &Sniff<'_>) -> bool {
    s.first.starts_with('{') && s.first.contains("\"hostIdentifier\"")
}

/// A CycloneDX JSON BOM: `"bomFormat": "CycloneDX"`.
pub(crate) fn cyclonedx_json(s: &Sniff<'_>) -> bool {
    s.is_json() && s.has("bomFormat") && s.text.contains("\"CycloneDX\"")
}

/// An SPDX 2.x JSON document: `"spdxVersion": "SPDX-2..."`.
pub(crate) fn spdx_json(s: &Sniff<'_>) -> bool {
    s.is_json() && s.has("spdxVersion") && s.text.contains("\"SPDX-2.")
}

/// A CycloneDX XML BOM: a `<bom>` element in CycloneDX's namespace.
pub(crate) fn cyclonedx_xml(s: &Sniff<'_>) -> bool {
    (s.first.starts_with("<?xml") || s.first.starts_with("<bom"))
        && s.text.contains("<bom")
        && s.text.contains("http://cyclonedx.org/schema/bom/")
}

/// An SPDX 2.x tag-value document: `SPDXVersion: SPDX-2...` first.
pub(crate) fn spdx_tag_value(s: &Sniff<'_>) -> bool {
    s.first.starts_with("SPDXVersion:") && s.first.contains("SPDX-2.")
}

/// macOS `system_profiler -json`: one of the data-type sections we read.
pub(crate) fn system_profiler(s: &Sniff<'_>) -> bool {
    let sections = [
        "SPMemoryDataType",
        "SPNVMeDataType",
        "SPSerialATADataType",
        "SPUSBDataType",
    ];
    s.is_json() && sections.iter().any(|k| s.has(k))
}

/// `Get-CimInstance ... | ConvertTo-Json`.
pub(crate) fn windows_cim(s: &Sniff<'_>) -> bool {
    s.is_json() && windows::looks_like_cim(s.text)
}

/// `osqueryi --json`: an array of rows with the columns of the tables we read.
pub(crate) fn osquery_json(s: &Sniff<'_>) -> bool {
    let columns = [
        "part_number",
        "device_locator",
        "pci_slot",
        "usb_address",
        "hardware_model",
        "block_size",
    ];
    s.is_json() && s.text.trim_start().starts_with('[') && columns.iter().any(|k| s.has(k))
}

/// `smartctl --json`, its keys in any order (`jq -S` sorts them, so the
/// `ata_*` sections may fill the head before `json_format_version`).
pub(crate) fn smartctl_json(s: &Sniff<'_>) -> bool {
    let device =
        s.has("device") && s.has("protocol") && (s.has("model_name") || s.has("info_name"));
    let sections = [
        "json_format_version",
        "smartctl",
        "ata_smart_attributes",
        "ata_smart_data",
        "ata_smart_error_log",
        "ata_smart_self_test_log",
        "nvme_smart_health_information_log",
        "scsi_error_counter_log",
    ];
    s.is_json() && (device || sections.iter().any(|k| s.has(k)))
}

/// `nvme list -o json`.
pub(crate) fn nvme_list(s: &Sniff<'_>) -> bool {
    s.is_json() && s.has("Devices")
}

/// `nvme id-ctrl -o json`.
pub(crate) fn nvme_id_ctrl(s: &Sniff<'_>) -> bool {
    s.is_json() && s.has("vid") && s.has("mn")
}

/// `lsblk --json`.
pub(crate) fn lsblk(s: &Sniff<'_>) -> bool {
    s.is_json() && s.has("blockdevices")
}

/// `lshw -json`.
pub(crate) fn lshw_json(s: &Sniff<'_>) -> bool {
    s.is_json()
        && s.has("class")
        && s.has("id")
        && (s.has("children") || s.has("businfo") || s.has("physid"))
}

/// Our JSON Lines: the first record is one JSON object on one line that
/// names a field of the component schema (another JSON document is not ours).
pub(crate) fn jsonl(s: &Sniff<'_>) -> bool {
    let keys = [
        "kind",
        "manufacturer",
        "part_number",
        "model",
        "description",
        "pci_vendor",
        "usb_vendor",
        "identity",
    ];
    let Ok(serde_json::Value::Object(first)) = serde_json::from_str(s.first) else {
        return false;
    };
    keys.iter().any(|k| first.contains_key(*k))
}

/// `lsusb`: `Bus 001 Device 002: ID ...`.
pub(crate) fn lsusb(s: &Sniff<'_>) -> bool {
    s.first.starts_with("Bus ") && s.first.contains(" Device ") && s.first.contains(": ID ")
}

/// `lspci`: a PCI address, or the `Slot:` tag of `-vmm`.
pub(crate) fn lspci(s: &Sniff<'_>) -> bool {
    lspci::is_slot_line(s.first) || s.first.starts_with("Slot:\t")
}

/// `wmic /format:list`: the first lines are all `Property=Value`.
pub(crate) fn wmic_list(s: &Sniff<'_>) -> bool {
    let lines = s
        .text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(5);
    lines.clone().count() >= 2 && lines.clone().all(wmic::is_property_line)
}

/// A CSV/TSV table: PowerShell's `#TYPE` line, or a header row naming a
/// maker, supplier, part number, model or description column, after an
/// optional `sep=` line, comment lines and title or preamble rows (never an
/// XML document or a JSON one).
pub(crate) fn csv(s: &Sniff<'_>) -> bool {
    if s.first.starts_with("#TYPE ") {
        return true;
    }
    if s.is_markup() || s.is_json() {
        return false;
    }
    let lines: Vec<&str> = s
        .text
        .lines()
        .take(crate::table::HEADER_SEARCH_LINES)
        .collect();
    headers::find_header_line(&lines, &s.options.columns).is_some()
}

#[cfg(test)]
mod tests {
    /// The detected format's name, as reports print it.
    fn detect(head: &str) -> Option<String> {
        super::detect(head).map(|f| f.to_string())
    }

    #[test]
    fn detects_each_format_by_content() {
        assert_eq!(
            detect("# dmidecode 3.4\nGetting SMBIOS data from sysfs.\n"),
            Some("dmidecode".into())
        );
        assert_eq!(
            detect("Handle 0x0000\n\tDMI type 0, 18 bytes.\n"),
            Some("dmidecode".into())
        );
        assert_eq!(detect("\n{\"kind\":\"memory\"}\n"), Some("jsonl".into()));
        assert_eq!(detect("{\"name\":\"x\"}\n"), None);
        assert_eq!(detect("{\n  \"bomFormat\": \"X\"\n}\n"), None);
        assert_eq!(
            detect("# Exported from ERP\nVendor,Mfr Part #,Order Date\n"),
            Some("csv".into())
        );
        assert_eq!(
            detect("sep=;\nPurchase order 4711\n\nSupplier;Item Number;PO Date\n"),
            Some("csv".into())
        );
        assert_eq!(detect("# Title\n\n| Manufacturer | Part Number |\n"), None);
        assert_eq!(detect("Vendor;MPN;Qty\nMicron;X;1\n"), Some("csv".into()));
        assert_eq!(
            detect("smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.1.0] (local build)\n"),
            Some("smartctl-text".into())
        );
        assert_eq!(
            detect("{\n  \"json_format_version\": [1, 0],\n  \"smartctl\": {}\n"),
            Some("smartctl-json".into())
        );
        assert_eq!(detect("{\n  \"Devices\" : [\n"), Some("nvme-list".into()));
        assert_eq!(
            detect("{\n\t\"ata_smart_attributes\": {\n\t\t\"revision\": 16,\n"),
            Some("smartctl-json".into())
        );
        assert_eq!(
            detect(
                "Vendor:               SEAGATE\nProduct:              ST4000NM0023\nRevision:             0003\nUser Capacity:        4,000,787,030,016 bytes\n"
            ),
            Some("smartctl-text".into())
        );
        assert_eq!(
            detect(
                "Device Model:     Micron_5300_MTFDDAK960TDS\nSerial Number:    2049301A1B2C\nLU WWN Device Id: 5 00a075 1301a1b2c\nFirmware Version: D3MU001\n"
            ),
            Some("smartctl-text".into())
        );
        assert_eq!(detect("Product: x\nVersion: 2\n"), None);
        assert_eq!(
            detect(
                "{\n  \"vid\" : 4932,\n  \"ssvid\" : 4932,\n  \"sn\" : \"x\",\n  \"mn\" : \"y\"\n"
            ),
            Some("nvme-id-ctrl".into())
        );
        assert_eq!(detect("{\n   \"blockdevices\": [\n"), Some("lsblk".into()));
        assert_eq!(
            detect("{\n  \"id\" : \"db-01\",\n  \"class\" : \"system\",\n  \"children\" : [\n"),
            Some("lshw-json".into())
        );
        assert_eq!(
            detect(
                "<?xml version=\"1.0\" standalone=\"yes\" ?>\n<node id=\"db-01\" class=\"system\">\n"
            ),
            Some("lshw-xml".into())
        );
        assert_eq!(
            detect("00:00.0 Host bridge [0600]: Intel Corporation Device [8086:3e0f]\n"),
            Some("lspci".into())
        );
        assert_eq!(
            detect("Slot:\t00:00.0\nClass:\tHost bridge\n"),
            Some("lspci".into())
        );
        assert_eq!(
            detect("Bus 001 Device 001: ID 1d6b:0002 Linux Foundation 2.0 root hub\n"),
            Some("lsusb".into())
        );
        assert_eq!(
            detect(
                "[\n  {\n    \"device_locator\": \"DIMM_A1\",\n    \"manufacturer\": \"Micron\"\n"
            ),
            Some("osquery-json".into())
        );
        assert_eq!(
            detect("{\"name\":\"pack_hw_memory\",\"hostIdentifier\":\"db-01\",\"columns\":{}}\n"),
            Some("osquery-log".into())
        );
        assert_eq!(
            detect(
                "[\r\n    {\r\n        \"Manufacturer\":  \"Micron\",\r\n        \"PartNumber\":  \"X\",\r\n        \"PSComputerName\":  \"WS-1\"\r\n"
            ),
            Some("windows-cim".into())
        );
        assert_eq!(
            detect(
                "#TYPE Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_PhysicalMemory\r\n\"Manufacturer\",\"PartNumber\"\r\n"
            ),
            Some("csv".into())
        );
        assert_eq!(
            detect("{\n  \"SPMemoryDataType\" : [\n"),
            Some("system-profiler".into())
        );
        assert_eq!(
            detect("# exceptions\n[[waivers]]\ndirective = \"x\"\n"),
            None
        );
        assert_eq!(detect("[section]\nkey = 1\n"), None);
        assert_eq!(
            detect("\r\n\r\nBankLabel=\r\nCapacity=1073741824\r\nCaption=Physical Memory\r\n"),
            Some("wmic-list".into())
        );
        assert_eq!(detect("just some text\n"), None);
        assert_eq!(detect(""), None);
    }
}
