//! `smartctl` reports: plain text (`-i`, `-a`, `-x`, smartctl 5.x to 7.x; ATA,
//! SCSI and NVMe devices) and `--json`. One report is one drive.

use std::io::{self, BufRead};

use serde_json::Value;
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::json_doc::{LineFinder, text_of};
use crate::{Sink, SkipReason, Summary, each_line, host_from_path};

/// What a key of the information section means.
fn text_role(key: &str) -> Option<FieldRole> {
    Some(match key {
        "Model Family" | "Device Model" | "Model Number" | "Product" => FieldRole::Model,
        "Vendor" => FieldRole::Maker,
        "LU WWN Device Id" | "Logical Unit id" | "IEEE OUI Identifier" => FieldRole::Oui,
        "PCI Vendor ID" => FieldRole::PciVendor,
        "PCI Vendor Subsystem ID" => FieldRole::PciSubsystemVendor,
        "Serial Number"
        | "Serial number"
        | "Firmware Version"
        | "Revision"
        | "User Capacity"
        | "Total NVM Capacity"
        | "Rotation Rate"
        | "Form Factor"
        | "Device type"
        | "Transport protocol"
        | "Device Model Family" => FieldRole::Other,
        _ => return None,
    })
}

/// Reads a text report: the information section's identity lines.
pub fn read_text(
    path: &str,
    input: &mut dyn BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    let source = SourceLocation {
        path: path.to_owned(),
        line: 1,
        locator: Some("drive".into()),
    };
    let mut c = Component::new(ComponentKind::Disk, Role::Installed, source);
    c.host = host_from_path(path);
    let mut first = None;
    each_line(input, |line_no, line| {
        let identity_ends = line.starts_with("=== START OF READ SMART DATA")
            || line.starts_with("=== START OF SMART DATA");
        if !identity_ends && add_text_line(&mut c, line) {
            first.get_or_insert(line_no);
        }
        !identity_ends
    })?;
    if c.fields.is_empty() {
        summary.skip(SkipReason::SmartctlReportWithoutIdentity);
        return Ok(());
    }
    c.source.line = first.unwrap_or(1);
    sink(c, summary);
    Ok(())
}

/// Adds the fields of one line; true when it carried identity.
fn add_text_line(c: &mut Component, line: &str) -> bool {
    if let Some(rest) = line.strip_prefix("Device: ") {
        // smartctl 5.x SCSI banner: "Device: VENDOR PRODUCT   Version: REV"
        let ident = rest.split("Version:").next().unwrap_or(rest).trim();
        let (vendor, product) = ident.split_once(' ').unwrap_or((ident, ""));
        c.push("Vendor", vendor, FieldRole::Maker);
        c.push("Product", product.trim(), FieldRole::Model);
        return true;
    }
    let Some((key, value)) = line.split_once(':') else {
        return false;
    };
    let (key, value) = (key.trim(), value.trim());
    if key == "PCI Vendor/Subsystem ID" {
        // One id when vendor and subsystem agree, else "vendor/subsystem".
        let mut ids = value.split('/').map(str::trim);
        c.push(key, ids.next().unwrap_or(""), FieldRole::PciVendor);
        if let Some(sub) = ids.next() {
            c.push(
                "PCI Subsystem Vendor ID",
                sub,
                FieldRole::PciSubsystemVendor,
            );
        }
        return true;
    }
    let Some(role) = text_role(key) else {
        return false;
    };
    match key {
        "LU WWN Device Id" => c.push(key, value.split_whitespace().nth(1).unwrap_or(""), role),
        "Logical Unit id" => c.push(key, &naa_oui(value).unwrap_or_default(), role),
        _ => c.push(key, value, role),
    }
    true
}

/// The OUI inside a NAA 5 or 6 world-wide name written as hex (`0x5000c500a1b2c3d4`).
fn naa_oui(wwn: &str) -> Option<String> {
    let hex = wwn.trim().trim_start_matches("0x");
    matches!(hex.get(..1), Some("5" | "6"))
        .then(|| hex.get(1..7).map(str::to_owned))
        .flatten()
}

/// Reads a `smartctl --json` document.
pub fn read_json(path: &str, text: &str, doc: &Value, summary: &mut Summary, sink: &mut Sink<'_>) {
    crate::json_doc::check_duplicates(text, summary);
    let mut lines = LineFinder::new(text);
    let line = lines
        .line_of("\"model_name\"")
        .or_else(|| lines.line_of("\"device\""))
        .unwrap_or(1);
    let source = SourceLocation {
        path: path.to_owned(),
        line,
        locator: Some("drive".into()),
    };
    let mut c = Component::new(ComponentKind::Disk, Role::Installed, source);
    c.host = host_from_path(path);
    for (key, role) in [
        ("model_family", FieldRole::Model),
        ("model_name", FieldRole::Model),
        ("vendor", FieldRole::Maker),
        ("product", FieldRole::Model),
        ("serial_number", FieldRole::Other),
        ("firmware_version", FieldRole::Other),
    ] {
        if let Some(v) = doc.get(key).and_then(text_of) {
            c.push(key, &v, role);
        }
    }
    for key in ["name", "protocol"] {
        if let Some(v) = doc.pointer(&format!("/device/{key}")).and_then(text_of) {
            c.push(&format!("device.{key}"), &v, FieldRole::Other);
        }
    }
    if let Some(oui) = doc.pointer("/wwn/oui").and_then(Value::as_u64) {
        c.push("wwn.oui", &format!("{oui:06x}"), FieldRole::Oui);
    }
    if let Some(oui) = doc.get("nvme_ieee_oui_identifier").and_then(Value::as_u64) {
        c.push(
            "nvme_ieee_oui_identifier",
            &format!("{oui:06x}"),
            FieldRole::Oui,
        );
    }
    if let Some(id) = doc.pointer("/nvme_pci_vendor/id").and_then(Value::as_u64) {
        c.push(
            "nvme_pci_vendor.id",
            &format!("{id:04x}"),
            FieldRole::PciVendor,
        );
    }
    if let Some(id) = doc
        .pointer("/nvme_pci_vendor/subsystem_id")
        .and_then(Value::as_u64)
    {
        c.push(
            "nvme_pci_vendor.subsystem_id",
            &format!("{id:04x}"),
            FieldRole::PciSubsystemVendor,
        );
    }
    if c.fields.is_empty() {
        summary.skip(SkipReason::SmartctlReportWithoutIdentity);
    } else {
        sink(c, summary);
    }
}
