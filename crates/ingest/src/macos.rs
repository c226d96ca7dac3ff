//! macOS `system_profiler -json SPMemoryDataType SPNVMeDataType
//! SPSerialATADataType SPUSBDataType`: memory modules, NVMe and SATA drives,
//! USB devices, found by walking every `_items` list.

use serde_json::Value;
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::json_doc::{LineFinder, text_of};
use crate::{Sink, SkipReason, Summary, host_from_path};

fn kind_of(section: &str) -> Option<ComponentKind> {
    Some(match section {
        "SPMemoryDataType" => ComponentKind::Memory,
        "SPNVMeDataType" | "SPSerialATADataType" => ComponentKind::Disk,
        "SPUSBDataType" => ComponentKind::Usb,
        _ => return None,
    })
}

fn role_of(key: &str) -> FieldRole {
    match key {
        "dimm_manufacturer" | "manufacturer" | "f_manufacturer" => FieldRole::Maker,
        "dimm_part_number" => FieldRole::PartNumber,
        "_name" | "device_model" => FieldRole::Model,
        "vendor_id" | "b_vendor_id" => FieldRole::UsbVendor,
        _ => FieldRole::Other,
    }
}

const KEYS: &[&str] = &[
    "_name",
    "dimm_manufacturer",
    "dimm_part_number",
    "dimm_serial_number",
    "dimm_size",
    "dimm_type",
    "device_model",
    "device_serial",
    "device_revision",
    "manufacturer",
    "f_manufacturer",
    "vendor_id",
    "b_vendor_id",
    "product_id",
    "serial_num",
];

/// Reads the document: each section's items, recursively.
pub fn read(path: &str, text: &str, doc: &Value, summary: &mut Summary, sink: &mut Sink<'_>) {
    crate::json_doc::check_duplicates(text, summary);
    let mut lines = LineFinder::new(text);
    let Some(sections) = doc.as_object() else {
        return;
    };
    for (section, value) in sections {
        let Some(kind) = kind_of(section) else {
            summary.skip(SkipReason::SystemProfilerSectionNotScreened);
            continue;
        };
        walk(
            path,
            kind,
            &format!("sp:{section}"),
            value,
            &mut lines,
            summary,
            sink,
        );
    }
}

fn walk(
    path: &str,
    kind: ComponentKind,
    at: &str,
    v: &Value,
    lines: &mut LineFinder<'_>,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) {
    let items = match v {
        Value::Array(a) => a.as_slice(),
        Value::Object(o) => o
            .get("_items")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default(),
        _ => return,
    };
    for item in items {
        let name = item.get("_name").and_then(text_of).unwrap_or_default();
        let here = if name.is_empty() {
            at.to_owned()
        } else {
            format!("{at}/{name}")
        };
        let is_device = KEYS[1..].iter().any(|k| item.get(*k).is_some());
        if is_device
            && !(kind == ComponentKind::Memory
                && item.get("dimm_status").and_then(Value::as_str) == Some("empty"))
        {
            let line = lines.line_of(&format!("\"{name}\"")).unwrap_or(1);
            let source = SourceLocation {
                path: path.to_owned(),
                line,
                locator: Some(here.clone()),
            };
            let mut c = Component::new(kind, Role::Installed, source);
            c.host = host_from_path(path);
            for key in KEYS {
                if let Some(v) = item.get(*key).and_then(text_of) {
                    // USB vendor ids print as "0x05ac  (Apple Inc.)".
                    let value = if role_of(key) == FieldRole::UsbVendor {
                        v.split_whitespace().next().unwrap_or("").to_owned()
                    } else {
                        v
                    };
                    c.push(key, &value, role_of(key));
                }
            }
            sink(c, summary);
        }
        if item.get("_items").is_some() {
            walk(path, kind, &here, item, lines, summary, sink);
        }
    }
}
