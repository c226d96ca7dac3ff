//! osquery results for `memory_devices`, `pci_devices`, `usb_devices`,
//! `disk_info` and `block_devices`: the JSON array `osqueryi --json` prints,
//! and the result-log lines osqueryd writes (differential `columns` and
//! `snapshot` forms, one JSON object per line, host from `hostIdentifier`).

use std::io::{self, BufRead};

use serde_json::{Map, Value};
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::json_doc::{LineFinder, text_of};
use crate::{Sink, SkipReason, Summary, each_line, host_from_path};

/// What a row is, from the columns it has (osquery names them per table).
fn kind_of(row: &Map<String, Value>) -> Option<ComponentKind> {
    let has = |k: &str| row.contains_key(k);
    Some(if has("part_number") || has("device_locator") {
        ComponentKind::Memory
    } else if has("pci_slot") {
        ComponentKind::Pci
    } else if has("usb_address") || has("usb_port") {
        ComponentKind::Usb
    } else if has("hardware_model") || (has("block_size") && has("model")) || has("disk_index") {
        ComponentKind::Disk
    } else {
        return None;
    })
}

fn role_of(key: &str) -> FieldRole {
    match key {
        "manufacturer" | "vendor" => FieldRole::Maker,
        "part_number" => FieldRole::PartNumber,
        "model" | "hardware_model" | "description" => FieldRole::Model,
        "vendor_id" => FieldRole::Other, // PCI or USB: decided by the row's kind
        "subsystem_vendor_id" => FieldRole::PciSubsystemVendor,
        _ => FieldRole::Other,
    }
}

/// One row as a component; `None` when the row is of another table.
fn row_component(
    path: &str,
    line: u64,
    locator: String,
    host: Option<String>,
    row: &Map<String, Value>,
) -> Option<Component> {
    let kind = kind_of(row)?;
    let source = SourceLocation {
        path: path.to_owned(),
        line,
        locator: Some(locator),
    };
    let mut c = Component::new(kind, Role::Installed, source);
    c.host = host.or_else(|| host_from_path(path));
    for (k, v) in row {
        let Some(v) = text_of(v) else { continue };
        let role = match (k.as_str(), kind) {
            ("vendor_id", ComponentKind::Pci) => FieldRole::PciVendor,
            ("vendor_id", ComponentKind::Usb) => FieldRole::UsbVendor,
            _ => role_of(k),
        };
        c.push(k, v.trim_start_matches("0x"), role);
    }
    Some(c)
}

/// Reads `osqueryi --json` output: an array of rows.
pub fn read_query(path: &str, text: &str, doc: &Value, summary: &mut Summary, sink: &mut Sink<'_>) {
    crate::json_doc::check_duplicates(text, summary);
    let mut lines = LineFinder::new(text);
    let rows = doc.as_array().map(Vec::as_slice).unwrap_or_default();
    for (i, row) in rows.iter().enumerate() {
        let line = lines.line_of("{").unwrap_or(1);
        match row
            .as_object()
            .and_then(|r| row_component(path, line, format!("row {}", i + 1), None, r))
        {
            Some(c) => sink(c, summary),
            None => summary.skip(SkipReason::OsqueryRowOfAnotherTable),
        }
    }
}

/// Reads osqueryd result-log lines.
pub fn read_log(
    path: &str,
    input: &mut dyn BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    each_line(input, |line_no, line| {
        if line.trim().is_empty() {
            return true;
        }
        match crate::json_doc::parse_checked(line.trim()) {
            Ok(entry) => log_entry(path, line_no, &entry, summary, sink),
            Err(e) => summary.error(line_no, format!("invalid osquery log line: {e}")),
        }
        true
    })
}

fn log_entry(path: &str, line: u64, entry: &Value, summary: &mut Summary, sink: &mut Sink<'_>) {
    let host = entry.get("hostIdentifier").and_then(text_of);
    let name = entry.get("name").and_then(text_of).unwrap_or_default();
    if entry.get("action").and_then(Value::as_str) == Some("removed") {
        return summary.skip(SkipReason::OsqueryDifferentialRowRemoved);
    }
    let rows: Vec<&Map<String, Value>> = match (entry.get("columns"), entry.get("snapshot")) {
        (Some(Value::Object(row)), _) => vec![row],
        (_, Some(Value::Array(rows))) => rows.iter().filter_map(Value::as_object).collect(),
        _ => return summary.skip(SkipReason::OsqueryLogLineWithoutRows),
    };
    for (i, row) in rows.into_iter().enumerate() {
        match row_component(
            path,
            line,
            format!("{name} row {}", i + 1),
            host.clone(),
            row,
        ) {
            Some(c) => sink(c, summary),
            None => summary.skip(SkipReason::OsqueryRowOfAnotherTable),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_log_line_repeating_a_column_with_another_value_is_an_error() {
        let line = r#"{"name":"pci","hostIdentifier":"db-22","columns":{"vendor":"Micron Technology Inc","vendor_id":"1344","vendor_id":"8086","pci_slot":"0000:3b:00.0"},"action":"added"}"#;
        let text = format!("{line}\n");
        let (cs, s) = crate::run_reader("osquery-log", "fleet.log", &text);
        assert!(cs.is_empty());
        assert_eq!(s.errors().map(|d| d.line).collect::<Vec<_>>(), vec![1]);
        assert!(s.diagnostics[0].message.contains("vendor_id"));
    }
}
