//! `dmidecode` text output, from dmidecode 2.x (`Handle 0x0000` and
//! `DMI type 0, 20 bytes.` on separate lines) to 3.x (`Handle 0x0000, DMI
//! type 0, 26 bytes`), tab- or space-indented, LF or CRLF.
//!
//! Structures that name a maker become components: system (1), baseboard
//! (2), chassis (3), processor (4, populated sockets), memory device (17,
//! installed modules), portable battery (22) and power supply (39, present).

use std::io::{self, BufRead};

use supplyscreen_model::{Component, ComponentKind, Field, FieldRole, Role, SourceLocation};

use crate::{Sink, SkipReason, Summary, each_record, host_from_path};

/// One DMI structure as read so far.
#[derive(Default)]
struct Record {
    handle: String,
    dmi_type: Option<u8>,
    line: u64,
    /// The structure's title line (`Memory Device`) was read.
    titled: bool,
    field_indent: Option<usize>,
    fields: Vec<(String, String)>,
    /// The structure is an empty memory slot: its other fields are not kept.
    empty_slot: bool,
}

/// Reads dmidecode output line by line; memory holds one structure at a time.
pub fn read(
    path: &str,
    input: &mut dyn BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    let host = host_from_path(path);
    each_record(
        input,
        |line_no, line| {
            let rest = line.trim_start().strip_prefix("Handle 0x")?;
            Some(start_record(rest, line_no))
        },
        add_line,
        |done| emit(path, &host, done, summary, sink),
    )
}

fn start_record(rest: &str, line: u64) -> Record {
    let handle = rest.split(',').next().unwrap_or("").trim();
    let mut r = Record {
        handle: format!("0x{handle}"),
        line,
        ..Record::default()
    };
    r.dmi_type = parse_type(rest);
    r
}

/// Reads `DMI type 17` out of `..., DMI type 17, 40 bytes` or `DMI type 17, 40 bytes.`.
fn parse_type(text: &str) -> Option<u8> {
    let at = memchr::memmem::find(text.as_bytes(), b"DMI type")?;
    let after = text.get(at + "DMI type".len()..)?;
    // The text up to the next "DMI type" (if the line holds two) or comma.
    let after = match memchr::memmem::find(after.as_bytes(), b"DMI type") {
        Some(end) => after.get(..end)?,
        None => after,
    };
    after.trim().split(',').next()?.trim().parse().ok()
}

fn indent_width(line: &str) -> usize {
    let bytes = line.as_bytes();
    let ascii = bytes.iter().take_while(|b| b.is_ascii_whitespace());
    let width: usize = ascii.clone().map(|&b| if b == b'\t' { 8 } else { 1 }).sum();
    // Whitespace beyond ASCII (rare) is counted a character at a time.
    match bytes.get(ascii.count()) {
        Some(&b) if !b.is_ascii() || b == 0x0b => indent_width_chars(line),
        _ => width,
    }
}

fn indent_width_chars(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 8 } else { 1 })
        .sum()
}

/// True for the structure types that can become a component; the fields of
/// other types are not kept, since the structure is skipped whatever they say.
fn may_be_component(dmi_type: Option<u8>) -> bool {
    matches!(dmi_type, Some(1 | 2 | 3 | 4 | 17 | 22 | 39))
}

fn add_line(r: &mut Record, line: &str) {
    if r.empty_slot {
        return;
    }
    let text = trim(line);
    if text.is_empty() {
        return;
    }
    if r.dmi_type.is_none() && text.starts_with("DMI type") {
        r.dmi_type = parse_type(text);
        return;
    }
    if !r.titled {
        r.titled = true;
        return;
    }
    if !may_be_component(r.dmi_type) {
        return;
    }
    let indent = indent_width(line);
    let level = *r.field_indent.get_or_insert(indent);
    if indent != level {
        return; // a list item under the previous field (Characteristics, Flags, ...)
    }
    if let Some(colon) = memchr::memchr(b':', text.as_bytes()) {
        let (key, value) = (trim(&text[..colon]), trim(&text[colon + 1..]));
        // An empty memory slot (most slots of a large server) is skipped at
        // its first `Size`, as `kind_of` reads it: the rest is not kept.
        r.empty_slot = r.dmi_type == Some(17)
            && key == "Size"
            && is_empty_slot(value)
            && !r.fields.iter().any(|(n, _)| n == "Size");
        r.fields.push((key.to_owned(), value.to_owned()));
    }
}

/// `str::trim`, with ASCII whitespace (nearly all there is) taken off a
/// byte at a time first.
fn trim(text: &str) -> &str {
    let t = text.trim_ascii();
    let edges = [t.as_bytes().first(), t.as_bytes().last()];
    // A vertical tab is whitespace to `trim` but not to `trim_ascii`.
    if edges.iter().flatten().all(|b| b.is_ascii() && **b != 0x0b) {
        t
    } else {
        t.trim()
    }
}

/// What a structure type becomes, or why it is skipped.
fn kind_of(r: &Record) -> Result<ComponentKind, SkipReason> {
    let field = |k: &str| {
        r.fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    };
    match r.dmi_type {
        Some(1) => Ok(ComponentKind::System),
        Some(2) => Ok(ComponentKind::Baseboard),
        Some(3) => Ok(ComponentKind::Chassis),
        Some(4) if field("Status").is_some_and(|s| s.contains("Unpopulated")) => {
            Err(SkipReason::UnpopulatedProcessorSocket)
        }
        Some(4) => Ok(ComponentKind::Processor),
        Some(17) if field("Size").is_some_and(is_empty_slot) => Err(SkipReason::EmptyMemorySlot),
        Some(17) => Ok(ComponentKind::Memory),
        Some(22) => Ok(ComponentKind::Battery),
        Some(39) if field("Status").is_some_and(|s| s.contains("Not Present")) => {
            Err(SkipReason::PowerSupplyNotPresent)
        }
        Some(39) => Ok(ComponentKind::PowerSupply),
        _ => Err(SkipReason::DmiStructureWithoutProduct),
    }
}

fn is_empty_slot(size: &str) -> bool {
    let s = size.trim();
    s.eq_ignore_ascii_case("No Module Installed")
        || s.eq_ignore_ascii_case("Not Installed")
        || s == "0 MB"
        || s == "0 GB"
}

fn role_of(key: &str) -> FieldRole {
    match key {
        "Manufacturer" | "Vendor" | "Module Manufacturer ID" => FieldRole::Maker,
        "Part Number" | "Model Part Number" => FieldRole::PartNumber,
        "Product Name" | "Product" | "Name" | "Version" => FieldRole::Model,
        _ => FieldRole::Other,
    }
}

fn emit(path: &str, host: &Option<String>, r: Record, summary: &mut Summary, sink: &mut Sink<'_>) {
    let kind = match kind_of(&r) {
        Ok(k) => k,
        Err(reason) => return summary.skip(reason),
    };
    let source = SourceLocation {
        path: path.to_owned(),
        line: r.line,
        locator: Some(format!("handle {}", r.handle)),
    };
    let mut c = Component::new(kind, Role::Installed, source);
    c.host = host.clone();
    // The names and values are already trimmed: they move into the component.
    c.fields = r
        .fields
        .into_iter()
        .map(|(name, value)| {
            // A processor's Version is its model; a system's is a revision string.
            let role = match (kind, role_of(&name)) {
                (ComponentKind::Processor, r) => r,
                (_, FieldRole::Model) if name == "Version" => FieldRole::Other,
                (_, r) => r,
            };
            Field { name, value, role }
        })
        .collect();
    sink(c, summary);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<Component>, Summary) {
        crate::run_reader("dmidecode", "host17.dmi", text)
    }

    const V2: &str = "# dmidecode 2.6\nLegacy DMI 2.0 present.\nHandle 0x0001\n        DMI type 1, 8 bytes.\n        System Information\n                Manufacturer: VIA Technologies, Inc.\n                Product Name: VT82C691\n                Version:\nHandle 0x0029\n        DMI type 17, 21 bytes.\n        Memory Device\n                Size: 512 MB\n                Locator: DIMM1\nHandle 0x002A\n        DMI type 17, 21 bytes.\n        Memory Device\n                Size: No Module Installed\n";

    #[test]
    fn reads_dmidecode_2_layout() {
        let (cs, summary) = run(V2);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].kind, ComponentKind::System);
        assert_eq!(cs[0].field("Manufacturer"), Some("VIA Technologies, Inc."));
        assert_eq!(cs[0].source.line, 3);
        assert_eq!(cs[1].kind, ComponentKind::Memory);
        assert_eq!(cs[1].source.locator.as_deref(), Some("handle 0x0029"));
        assert_eq!(summary.skipped.get(&SkipReason::EmptyMemorySlot), Some(&1));
        assert_eq!(cs[1].host.as_deref(), Some("host17"));
    }

    #[test]
    fn crlf_and_nested_lists_do_not_leak_into_fields() {
        let text = "Handle 0x0400, DMI type 4, 48 bytes\r\nProcessor Information\r\n\tSocket Designation: CPU1\r\n\tManufacturer: Intel\r\n\tFlags:\r\n\t\tFPU (Floating-point unit on-chip)\r\n\tVersion: Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz\r\n\tStatus: Populated, Enabled\r\n";
        let (cs, _) = run(text);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].field("Manufacturer"), Some("Intel"));
        assert!(cs[0].field("FPU (Floating-point unit on-chip)").is_none());
        assert_eq!(cs[0].with_role(FieldRole::Model).count(), 1);
    }

    #[test]
    fn fast_trim_and_indent_agree_with_the_unicode_ones() {
        let cases = [
            "\tManufacturer: Micron ",
            "  \u{a0}Part Number:\u{2003}MTA18\u{a0}",
            "\u{b}\tSize: 16 GB\u{b}",
            "\t\t",
            "",
            " \u{3000}x",
            "Locator:\u{85}",
        ];
        for c in cases {
            assert_eq!(trim(c), c.trim(), "{c:?}");
            assert_eq!(indent_width(c), indent_width_chars(c), "{c:?}");
        }
    }
}
