//! Windows inventories: `Get-CimInstance Win32_PhysicalMemory |
//! ConvertTo-Json` (and Win32_DiskDrive, Win32_PnPEntity), one object or an
//! array. `Export-Csv` files go through the table reader (their `#TYPE`
//! line is skipped there); PnP device ids are decoded here for both.

use serde_json::{Map, Value};
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::json_doc::{LineFinder, text_of};
use crate::{Sink, SkipReason, Summary, host_from_path};

/// True when a JSON document looks like CIM objects.
pub fn looks_like_cim(head: &str) -> bool {
    let has = |k: &str| head.contains(&format!("\"{k}\""));
    has("CimClass")
        || has("PSComputerName")
        || has("CreationClassName")
        || (has("Manufacturer") && (has("PartNumber") || has("PNPDeviceID") || has("DeviceID")))
}

fn kind_of(o: &Map<String, Value>) -> ComponentKind {
    let class = o
        .get("CreationClassName")
        .and_then(text_of)
        .unwrap_or_default();
    match class.as_str() {
        "Win32_PhysicalMemory" => ComponentKind::Memory,
        "Win32_DiskDrive" => ComponentKind::Disk,
        _ if o.contains_key("PartNumber") && o.contains_key("BankLabel") => ComponentKind::Memory,
        _ if o.contains_key("InterfaceType") => ComponentKind::Disk,
        _ => pnp_vendor(
            o.get("PNPDeviceID")
                .or(o.get("DeviceID"))
                .and_then(text_of)
                .as_deref(),
        )
        .map_or(ComponentKind::Other, |(k, _)| k),
    }
}

/// `PCI\VEN_1344&DEV_51C3&...` -> (Pci, "1344"); `USB\VID_05DC&PID_B051\...` -> (Usb, "05dc").
pub fn pnp_vendor(id: Option<&str>) -> Option<(ComponentKind, String)> {
    let id = id?.to_ascii_uppercase();
    let grab = |marker: &str| {
        id.split(marker)
            .nth(1)
            .and_then(|r| r.get(..4))
            .map(str::to_ascii_lowercase)
    };
    if id.starts_with("PCI\\") {
        grab("VEN_").map(|v| (ComponentKind::Pci, v))
    } else if id.starts_with("USB\\") {
        grab("VID_").map(|v| (ComponentKind::Usb, v))
    } else {
        None
    }
}

fn role_of(key: &str) -> FieldRole {
    match key {
        "Manufacturer" => FieldRole::Maker,
        "PartNumber" => FieldRole::PartNumber,
        "Model" | "Name" | "Caption" => FieldRole::Model,
        _ => FieldRole::Other,
    }
}

const KEEP: &[&str] = &[
    "Manufacturer",
    "PartNumber",
    "SerialNumber",
    "Model",
    "Name",
    "Caption",
    "BankLabel",
    "DeviceLocator",
    "Capacity",
    "InterfaceType",
    "PNPDeviceID",
    "DeviceID",
    "FirmwareRevision",
    "CreationClassName",
];

/// Reads a CIM JSON document.
pub fn read_cim(path: &str, text: &str, doc: &Value, summary: &mut Summary, sink: &mut Sink<'_>) {
    crate::json_doc::check_duplicates(text, summary);
    let mut lines = LineFinder::new(text);
    let objects: Vec<&Value> = match doc {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for (i, o) in objects.into_iter().enumerate() {
        let Some(o) = o.as_object() else { continue };
        let line = lines.line_of("{").unwrap_or(1);
        let kind = kind_of(o);
        let source = SourceLocation {
            path: path.to_owned(),
            line,
            locator: Some(format!("cim[{i}]")),
        };
        let mut c = Component::new(kind, Role::Installed, source);
        c.host = o
            .get("PSComputerName")
            .or(o.get("SystemName"))
            .and_then(text_of)
            .or_else(|| host_from_path(path));
        for key in KEEP {
            if let Some(v) = o.get(*key).and_then(text_of) {
                c.push(key, &v, role_of(key));
            }
        }
        push_pnp(
            &mut c,
            o.get("PNPDeviceID")
                .or(o.get("DeviceID"))
                .and_then(text_of)
                .as_deref(),
        );
        if c.fields.is_empty() {
            summary.skip(SkipReason::CimObjectWithoutIdentity);
        } else {
            sink(c, summary);
        }
    }
}

/// Adds the vendor id a PnP device id carries.
pub fn push_pnp(c: &mut Component, id: Option<&str>) {
    match pnp_vendor(id) {
        Some((ComponentKind::Pci, v)) => c.push("PNP vendor id", &v, FieldRole::PciVendor),
        Some((_, v)) => c.push("PNP vendor id", &v, FieldRole::UsbVendor),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pnp_ids() {
        assert_eq!(
            pnp_vendor(Some(
                "PCI\\VEN_1344&DEV_51C3&SUBSYS_41001344&REV_01\\4&2D3A5C&0&0008"
            )),
            Some((ComponentKind::Pci, "1344".into()))
        );
        assert_eq!(
            pnp_vendor(Some("USB\\VID_05DC&PID_B051\\000000000001")),
            Some((ComponentKind::Usb, "05dc".into()))
        );
        assert_eq!(
            pnp_vendor(Some("SCSI\\DISK&VEN_NVME&PROD_MICRON_7450")),
            None
        );
    }
}
