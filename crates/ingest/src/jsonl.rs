//! JSON Lines in the `supplyscreen/component/v1` schema: one object per line,
//! for inventories that other tools export to us. See the README for the
//! schema; unknown keys are errors so that typos do not pass silently.

use std::collections::BTreeMap;
use std::io::{self, BufRead};

use serde::{Deserialize, Serialize};
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::{Sink, SkipReason, Summary, dates, each_line};

/// One line of the schema, as read and as written.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<ComponentKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    host: Option<String>,
    /// Where the record was read from before it was written here
    /// (`handle 0x0011`, `pci:0000:04:00.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    locator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acquired: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ordered: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manufacturer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    part_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pci_vendor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    usb_vendor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(rename = "use", skip_serializing_if = "Option::is_none")]
    usage: Option<String>,
    /// Raw fields, without a role.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    fields: BTreeMap<String, String>,
    /// Fields with their roles, in order (what `supplyscreen collect` writes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
    input: &mut dyn BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    each_line(input, |line_no, line| {
        let text = line.trim().trim_start_matches('\u{feff}');
        if text.is_empty() || text.starts_with('#') {
            return true;
        }
        match serde_json::from_str::<Record>(text) {
            Ok(r) => {
                let c = component(path, line_no, r, summary);
                sink(c, summary);
            }
            Err(e) => {
                summary.error(line_no, format!("invalid component record: {e}"));
                summary.skip(SkipReason::MalformedRecord);
            }
        }
        true
    })
}

fn component(path: &str, line: u64, r: Record, summary: &mut Summary) -> Component {
    let mut date = |field: &str, v: &Option<String>| match v.as_deref().map(dates::parse_input_date)
    {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            summary.error(line, format!("{field}: {e}"));
            None
        }
        None => None,
    };
    let acquired = date("acquired", &r.acquired);
    let ordered = date("ordered", &r.ordered);
    let role = r.role.unwrap_or(if r.ordered.is_some() {
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
        locator: r.locator,
    };
    let mut c = Component::new(r.kind.unwrap_or(default_kind), role, source);
    let typed = [
        ("manufacturer", &r.manufacturer, FieldRole::Maker),
        ("part_number", &r.part_number, FieldRole::PartNumber),
        ("model", &r.model, FieldRole::Model),
        ("description", &r.description, FieldRole::Description),
        ("pci_vendor", &r.pci_vendor, FieldRole::PciVendor),
        ("usb_vendor", &r.usb_vendor, FieldRole::UsbVendor),
        ("serial", &r.serial, FieldRole::Other),
    ];
    for (name, value, role) in typed {
        if let Some(v) = value {
            c.push(name, v, role);
        }
    }
    for (k, v) in &r.fields {
        c.push(k, v, FieldRole::Other);
    }
    for f in &r.identity {
        c.push(&f.name, &f.value, f.role);
    }
    if c.fields.is_empty() {
        summary.warning(
            line,
            "record names no maker, part number, model or description",
        );
    }
    c.host = r.host;
    c.acquired = acquired;
    c.ordered = ordered;
    c.quantity = r.quantity;
    c.category = r.category.as_deref().map(crate::table::slug);
    c.usage = r.usage.as_deref().map(crate::table::slug);
    c
}

/// One component as a JSON Lines record of this schema (every field kept
/// with its role in `identity`, the source locator in `locator`), without a
/// trailing newline. Reading the line back gives the same component, read
/// from the new file and line.
pub fn to_line(c: &Component) -> String {
    let record = Record {
        kind: Some(c.kind),
        role: Some(c.role),
        host: c.host.clone(),
        locator: c.source.locator.clone(),
        acquired: c.acquired.map(|d| d.to_string()),
        ordered: c.ordered.map(|d| d.to_string()),
        quantity: c.quantity,
        category: c.category.clone(),
        usage: c.usage.clone(),
        identity: c
            .fields
            .iter()
            .map(|f| IdentityField {
                name: f.name.clone(),
                value: f.value.clone(),
                role: f.role,
            })
            .collect(),
        ..Record::default()
    };
    // Strings, enums and integers only: serialization cannot fail.
    serde_json::to_string(&record).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_and_reports_bad_lines() {
        let text = "{\"kind\":\"memory\",\"host\":\"db-01\",\"manufacturer\":\"802C\",\"part_number\":\"MTA18ASF2G72PZ-2G6E1\",\"acquired\":\"2024-01-10\"}\n\n{\"kind\":\"memory\",\"maker\":\"x\"}\nnot json\n";
        let (out, s) = crate::run_reader("jsonl", "inv.jsonl", text);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].field("manufacturer"), Some("802C"));
        assert_eq!(
            out[0].acquired.map(|d| d.to_string()).as_deref(),
            Some("2024-01-10")
        );
        let lines: Vec<u64> = s.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert!(s.diagnostics[0].message.contains("unknown field `maker`"));
        assert_eq!(&*s.diagnostics[0].file, "inv.jsonl");
        assert_eq!(s.skipped.get(&SkipReason::MalformedRecord), Some(&2));
    }

    #[test]
    fn a_written_line_reads_back_as_the_same_component() {
        let source = SourceLocation {
            path: "/sys/firmware/dmi/tables/DMI".into(),
            line: 7,
            locator: Some("handle 0x1100 at offset 0x2A4".into()),
        };
        let mut c = Component::new(ComponentKind::Memory, Role::Order, source);
        c.push("Manufacturer", "Micron", FieldRole::Maker);
        c.push("Part Number", "MTA18ASF2G72PZ-2G6E1", FieldRole::PartNumber);
        c.push("Product Name", "16GB DDR4 RDIMM", FieldRole::Model);
        c.push(
            "Description",
            "DIMM \"A1\", 2666 MT/s",
            FieldRole::Description,
        );
        c.push("Vendor ID", "c0a9", FieldRole::PciVendor);
        c.push("Subsystem Vendor ID", "c0a9", FieldRole::PciSubsystemVendor);
        c.push("idVendor", "0634", FieldRole::UsbVendor);
        c.push("wwn.oui", "00a075", FieldRole::Oui);
        c.push("Locator", "DIMM_A1", FieldRole::Other);
        c.host = Some("db-01".into());
        c.acquired = dates::parse_input_date("2023-11-02").ok();
        c.ordered = dates::parse_input_date("2023-10-15").ok();
        c.quantity = Some(4);
        c.category = Some("memory-module".into());
        c.usage = Some("public-safety".into());

        let line = to_line(&c);
        let (read, summary) = crate::run_reader("jsonl", "copy.jsonl", &line);
        assert!(summary.diagnostics.is_empty(), "{:?}", summary.diagnostics);
        assert_eq!(read.len(), 1);
        let mut expected = c;
        expected.source.path = "copy.jsonl".into();
        expected.source.line = 1;
        assert_eq!(read[0], expected);
    }
}
