//! JSON Lines in the `supplyscreen/component/v1` schema: one object per line,
//! for inventories that other tools export to us. See the README for the
//! schema; unknown keys are errors so that typos do not pass silently.

use std::collections::BTreeMap;
use std::io::{self, BufRead};

use serde::{Deserialize, Serialize};
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::{Severity, Sink, Summary, dates, each_line};

/// One line of the schema.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    kind: Option<ComponentKind>,
    role: Option<Role>,
    host: Option<String>,
    acquired: Option<String>,
    ordered: Option<String>,
    quantity: Option<u32>,
    manufacturer: Option<String>,
    part_number: Option<String>,
    model: Option<String>,
    description: Option<String>,
    pci_vendor: Option<String>,
    usb_vendor: Option<String>,
    serial: Option<String>,
    category: Option<String>,
    #[serde(rename = "use")]
    usage: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
    /// Fields with their roles, in order (what `supplyscreen collect` writes).
    #[serde(default)]
    identity: Vec<IdentityField>,
}

/// One field with its role.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentityField {
    name: String,
    value: String,
    role: FieldRole,
}

/// Reads JSON Lines; blank lines and `#` comments are ignored.
pub fn read(
    path: &str,
    input: impl BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    each_line(input, |line_no, line| {
        let text = line.trim().trim_start_matches('\u{feff}');
        if text.is_empty() || text.starts_with('#') {
            return true;
        }
        match serde_json::from_str::<Line>(text) {
            Ok(l) => {
                if let Some(c) = component(path, line_no, l, summary) {
                    sink(c, summary);
                }
            }
            Err(e) => {
                summary.diag(
                    line_no,
                    Severity::Error,
                    format!("invalid component record: {e}"),
                );
                summary.skip("malformed record");
            }
        }
        true
    })
}

fn component(path: &str, line: u64, l: Line, summary: &mut Summary) -> Option<Component> {
    let mut date = |field: &str, v: &Option<String>| match v.as_deref().map(dates::parse_input_date)
    {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            summary.diag(line, Severity::Error, format!("{field}: {e}"));
            None
        }
        None => None,
    };
    let acquired = date("acquired", &l.acquired);
    let ordered = date("ordered", &l.ordered);
    let role = l.role.unwrap_or(if l.ordered.is_some() {
        Role::Order
    } else {
        Role::Installed
    });
    let default_kind = if role == Role::Order {
        ComponentKind::OrderLine
    } else {
        ComponentKind::Other
    };
    let source = SourceLocation {
        path: path.to_owned(),
        line,
        locator: None,
    };
    let mut c = Component::new(l.kind.unwrap_or(default_kind), role, source);
    let typed = [
        ("manufacturer", &l.manufacturer, FieldRole::Maker),
        ("part_number", &l.part_number, FieldRole::PartNumber),
        ("model", &l.model, FieldRole::Model),
        ("description", &l.description, FieldRole::Description),
        ("pci_vendor", &l.pci_vendor, FieldRole::PciVendor),
        ("usb_vendor", &l.usb_vendor, FieldRole::UsbVendor),
        ("serial", &l.serial, FieldRole::Other),
    ];
    for (name, value, role) in typed {
        if let Some(v) = value {
            c.push(name, v, role);
        }
    }
    for (k, v) in &l.fields {
        c.push(k, v, FieldRole::Other);
    }
    for f in &l.identity {
        c.push(&f.name, &f.value, f.role);
    }
    if c.fields.is_empty() {
        summary.diag(
            line,
            Severity::Warning,
            "record names no maker, part number, model or description",
        );
    }
    c.host = l.host;
    c.acquired = acquired;
    c.ordered = ordered;
    c.quantity = l.quantity;
    c.category = l.category.as_deref().map(crate::table::slug);
    c.usage = l.usage.as_deref().map(crate::table::slug);
    Some(c)
}

/// One component as a JSON Lines record of this schema (every field kept
/// with its role in `identity`), without a trailing newline.
pub fn to_line(c: &Component) -> String {
    let identity: Vec<IdentityField> = c
        .fields
        .iter()
        .map(|f| IdentityField {
            name: f.name.clone(),
            value: f.value.clone(),
            role: f.role,
        })
        .collect();
    let record = serde_json::json!({
        "kind": c.kind,
        "role": c.role,
        "host": c.host,
        "acquired": c.acquired.map(|d| d.to_string()),
        "quantity": c.quantity,
        "category": c.category,
        "use": c.usage,
        "fields": { "source": format!("{}{}", c.source.path, c.source.locator.as_ref().map(|l| format!(" ({l})")).unwrap_or_default()) },
        "identity": identity,
    });
    record.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Format;

    #[test]
    fn reads_records_and_reports_bad_lines() {
        let text = "{\"kind\":\"memory\",\"host\":\"db-01\",\"manufacturer\":\"802C\",\"part_number\":\"MTA18ASF2G72PZ-2G6E1\",\"acquired\":\"2024-01-10\"}\n\n{\"kind\":\"memory\",\"maker\":\"x\"}\nnot json\n";
        let (out, s) = crate::run_reader(
            |p, b, s, k| read(p, b, s, k),
            "inv.jsonl",
            Format::Jsonl,
            text,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].field("manufacturer"), Some("802C"));
        assert_eq!(
            out[0].acquired.map(|d| d.to_string()).as_deref(),
            Some("2024-01-10")
        );
        let lines: Vec<u64> = s.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert!(s.diagnostics[0].message.contains("unknown field `maker`"));
    }
}
