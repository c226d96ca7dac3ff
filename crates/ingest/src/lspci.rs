//! `lspci` in its common forms: `-nn` (optionally with `-v`, whose
//! `Subsystem:` line gives the subsystem vendor), `-vmm -nn` (one
//! `Tag:\tValue` record per function) and `-mm -n` (one quoted line per
//! function). Plain `lspci` without ids is read too; its names are kept.

use std::io::{self, BufRead};

use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::{Sink, Summary, each_record, host_from_path};

/// True when a line starts with a PCI address (`00:1f.2`, `0000:04:00.0`).
pub fn is_slot_line(line: &str) -> bool {
    let slot = line.split_whitespace().next().unwrap_or("");
    let (bus, func) = match slot.rsplit_once('.') {
        Some(parts) => parts,
        None => return false,
    };
    let hexes = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit());
    let parts: Vec<&str> = bus.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| hexes(p))
        && func.len() == 1
        && hexes(func)
}

/// Reads lspci output line by line; one function at a time is in memory.
pub fn read(
    path: &str,
    input: &mut dyn BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    let host = host_from_path(path);
    let start = |line_no, line: &str| {
        if is_slot_line(line) {
            Some(function(path, &host, line_no, line))
        } else {
            let slot = line.strip_prefix("Slot:\t")?;
            Some(new_function(path, &host, line_no, slot.trim()))
        }
    };
    each_record(input, start, detail, |done| sink(done, summary))
}

fn new_function(path: &str, host: &Option<String>, line: u64, slot: &str) -> Component {
    let source = SourceLocation {
        path: path.to_owned(),
        line,
        locator: Some(format!("pci:{slot}")),
    };
    let mut c = Component::new(ComponentKind::Pci, Role::Installed, source);
    c.host = host.clone();
    c.push("Slot", slot, FieldRole::Other);
    c
}

/// Splits `text [1234:5678]` into the text and the two ids; `text [0108]` into text and one.
fn trailing_ids(text: &str) -> (&str, Vec<&str>) {
    let t = text.trim();
    if let Some(open) = t.rfind(" [") {
        let inner = t[open + 2..].trim_end_matches(']');
        let ids: Vec<&str> = inner.split(':').collect();
        if t.ends_with(']')
            && ids
                .iter()
                .all(|i| i.len() == 4 && i.chars().all(|c| c.is_ascii_hexdigit()))
        {
            return (t[..open].trim(), ids);
        }
    }
    (t, Vec::new())
}

/// A `-nn`/plain line, or a `-mm -n` line.
fn function(path: &str, host: &Option<String>, line_no: u64, line: &str) -> Component {
    let (slot, rest) = line.split_once(' ').unwrap_or((line, ""));
    let mut c = new_function(path, host, line_no, slot);
    if rest.starts_with('"') {
        machine_readable(&mut c, rest);
        return c;
    }
    let (class, desc) = rest.split_once(": ").unwrap_or(("", rest));
    c.push("Class", class, FieldRole::Other);
    let desc = desc.split(" (rev ").next().unwrap_or(desc);
    let (name, ids) = trailing_ids(desc);
    c.push("Device", name, FieldRole::Model);
    if let [vendor, device] = ids.as_slice() {
        c.push("Vendor ID", vendor, FieldRole::PciVendor);
        c.push("Device ID", device, FieldRole::Other);
    }
    c
}

/// `-mm -n`: `"0108" "c0a9" "2263" -r03 -p02 "c0a9" "2263"`.
fn machine_readable(c: &mut Component, rest: &str) {
    let quoted: Vec<&str> = rest.split('"').skip(1).step_by(2).collect();
    let names = [
        "Class",
        "Vendor ID",
        "Device ID",
        "Subsystem Vendor ID",
        "Subsystem ID",
    ];
    for (name, value) in names.iter().zip(quoted) {
        let role = match *name {
            "Vendor ID" => FieldRole::PciVendor,
            "Subsystem Vendor ID" => FieldRole::PciSubsystemVendor,
            _ => FieldRole::Other,
        };
        c.push(name, value, role);
    }
}

/// A `-v` detail line or a `-vmm` tag line.
fn detail(c: &mut Component, line: &str) {
    let Some((tag, value)) = line.trim().split_once(':') else {
        return;
    };
    let value = value.trim();
    match tag {
        "Subsystem" if line.starts_with('\t') => {
            let (name, ids) = trailing_ids(value);
            c.push("Subsystem", name, FieldRole::Other);
            if let [vendor, _] = ids.as_slice() {
                c.push("Subsystem Vendor ID", vendor, FieldRole::PciSubsystemVendor);
            }
        }
        "Vendor" | "SVendor" if line.contains('\t') && !line.starts_with('\t') => {
            let (name, ids) = trailing_ids(value);
            let (id_name, role) = if tag == "Vendor" {
                ("Vendor ID", FieldRole::PciVendor)
            } else {
                ("Subsystem Vendor ID", FieldRole::PciSubsystemVendor)
            };
            c.push(
                tag,
                name,
                if tag == "Vendor" {
                    FieldRole::Maker
                } else {
                    FieldRole::Other
                },
            );
            if let [id] = ids.as_slice() {
                c.push(id_name, id, role);
            }
        }
        "Class" | "Device" | "SDevice" | "Rev"
            if line.contains('\t') && !line.starts_with('\t') =>
        {
            let role = if tag == "Device" {
                FieldRole::Model
            } else {
                FieldRole::Other
            };
            c.push(tag, trailing_ids(value).0, role);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Component> {
        crate::run_reader("lspci", "host.lspci", text).0
    }

    #[test]
    fn nn_verbose_with_subsystem() {
        let cs = run(
            "04:00.0 Non-Volatile memory controller [0108]: Micron/Crucial Technology P1 NVMe PCIe SSD [c0a9:2263] (rev 03) (prog-if 02 [NVM Express])\n\tSubsystem: Micron/Crucial Technology P1 NVMe PCIe SSD [c0a9:2263]\n\tFlags: bus master, fast devsel, latency 0, IRQ 40\n\n00:1f.2 SATA controller [0106]: Intel Corporation 82801 [8086:2929] (rev 03)\n",
        );
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].field("Vendor ID"), Some("c0a9"));
        assert_eq!(cs[0].field("Subsystem Vendor ID"), Some("c0a9"));
        assert_eq!(
            cs[0].field("Device"),
            Some("Micron/Crucial Technology P1 NVMe PCIe SSD")
        );
        assert_eq!(cs[1].source.line, 5);
        assert_eq!(cs[1].source.locator.as_deref(), Some("pci:00:1f.2"));
    }

    #[test]
    fn vmm_and_mm_forms() {
        let cs = run(
            "Slot:\t04:00.0\nClass:\tNon-Volatile memory controller [0108]\nVendor:\tMicron/Crucial Technology [c0a9]\nDevice:\tP1 NVMe PCIe SSD [2263]\nSVendor:\tMicron/Crucial Technology [c0a9]\nSDevice:\tP1 NVMe PCIe SSD [2263]\nRev:\t03\n\nSlot:\t00:02.0\nClass:\tVGA compatible controller [0300]\nVendor:\tIntel Corporation [8086]\nDevice:\tHD Graphics 530 [1912]\n",
        );
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].field("Vendor ID"), Some("c0a9"));
        assert_eq!(cs[0].field("Vendor"), Some("Micron/Crucial Technology"));
        assert_eq!(cs[1].field("Vendor ID"), Some("8086"));
        let cs = run("04:00.0 \"0108\" \"c0a9\" \"2263\" -r03 -p02 \"c0a9\" \"2263\"\n");
        assert_eq!(cs[0].field("Vendor ID"), Some("c0a9"));
        assert_eq!(cs[0].field("Subsystem Vendor ID"), Some("c0a9"));
    }
}
