//! `lsusb` (one `Bus 001 Device 002: ID 0634:... name` line per device) and
//! `lsusb -v` (the same line, then descriptors with `idVendor`,
//! `iManufacturer`, `iProduct`, `iSerial`).

use std::io::{self, BufRead};

use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::{Sink, Summary, each_record, host_from_path};

/// Reads lsusb output; one device at a time is in memory.
pub fn read(
    path: &str,
    input: &mut dyn BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    let host = host_from_path(path);
    each_record(
        input,
        |line_no, line| bus_line(path, &host, line_no, line),
        |c, line| descriptor(c, line.trim()),
        |done| sink(done, summary),
    )
}

/// `Bus 001 Device 002: ID 0a5c:4500 Broadcom Corp. BCM2046B1 USB 2.0 Hub`.
fn bus_line(path: &str, host: &Option<String>, line_no: u64, line: &str) -> Option<Component> {
    let rest = line.strip_prefix("Bus ")?;
    let (bus, rest) = rest.split_once(" Device ")?;
    let (dev, rest) = rest.split_once(": ID ")?;
    let (ids, name) = rest.split_once(' ').unwrap_or((rest, ""));
    let (vendor, product) = ids.split_once(':')?;
    let source = SourceLocation {
        path: path.to_owned(),
        line: line_no,
        locator: Some(format!("usb:{bus}:{dev}")),
    };
    let mut c = Component::new(ComponentKind::Usb, Role::Installed, source);
    c.host = host.clone();
    c.push("Vendor ID", vendor, FieldRole::UsbVendor);
    c.push("Product ID", product, FieldRole::Other);
    c.push("Name", name.trim(), FieldRole::Model);
    Some(c)
}

/// A `-v` descriptor line such as `iManufacturer           1 Micron`.
fn descriptor(c: &mut Component, line: &str) {
    let mut words = line.split_whitespace();
    let (Some(key), Some(index)) = (words.next(), words.next()) else {
        return;
    };
    let text = words.collect::<Vec<_>>().join(" ");
    let role = match key {
        "iManufacturer" => FieldRole::Maker,
        "iProduct" => FieldRole::Model,
        "iSerial" => FieldRole::Other,
        _ => return,
    };
    if index != "0" && !text.is_empty() && c.field(key).is_none() {
        c.push(key, &text, role);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_and_verbose() {
        let text = "Bus 002 Device 003: ID 05dc:a781 Lexar Media, Inc. JumpDrive\nDevice Descriptor:\n  idVendor           0x05dc Lexar Media, Inc.\n  iManufacturer           1 Lexar\n  iProduct                2 JumpDrive\n  iSerial                 3 AA00000000000485\nBus 001 Device 001: ID 1d6b:0002 Linux Foundation 2.0 root hub\n";
        let (cs, _) = crate::run_reader("lsusb", "h.lsusb", text);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].field("Vendor ID"), Some("05dc"));
        assert_eq!(cs[0].field("iManufacturer"), Some("Lexar"));
        assert_eq!(cs[0].source.locator.as_deref(), Some("usb:002:003"));
        assert_eq!(cs[1].source.line, 7);
    }
}
