//! Vendor names from the registries a Debian machine may have installed
//! (`pci.ids`, `usb.ids`, IEEE `oui.txt`), used only to name makers the KB
//! does not know, as lspci does. They never attribute a component: the KB
//! stays the authority.

use std::collections::HashMap;
use std::path::Path;

/// Vendor names by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pci: HashMap<u16, String>,
    usb: HashMap<u16, String>,
    oui: HashMap<u32, String>,
    /// The files the names came from.
    pub sources: Vec<String>,
}

/// Where Debian and other distributions install the registries.
const PCI: &[&str] = &["/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids"];
const USB: &[&str] = &[
    "/usr/share/misc/usb.ids",
    "/var/lib/usbutils/usb.ids",
    "/usr/share/hwdata/usb.ids",
];
const OUI: &[&str] = &["/usr/share/ieee-data/oui.txt"];

impl Registry {
    /// Loads whichever registries this machine has; missing ones are skipped.
    pub fn load_system() -> Self {
        let mut r = Registry::default();
        let first = |paths: &[&str]| {
            paths
                .iter()
                .find_map(|p| Some((p.to_string(), std::fs::read(Path::new(p)).ok()?)))
        };
        if let Some((path, text)) = first(PCI) {
            r.pci = parse_ids(&String::from_utf8_lossy(&text));
            r.sources.push(path);
        }
        if let Some((path, text)) = first(USB) {
            r.usb = parse_ids(&String::from_utf8_lossy(&text));
            r.sources.push(path);
        }
        if let Some((path, text)) = first(OUI) {
            r.oui = parse_oui(&String::from_utf8_lossy(&text));
            r.sources.push(path);
        }
        r
    }

    /// The PCI vendor's name.
    pub fn pci(&self, id: u16) -> Option<&str> {
        self.pci.get(&id).map(String::as_str)
    }

    /// The USB vendor's name.
    pub fn usb(&self, id: u16) -> Option<&str> {
        self.usb.get(&id).map(String::as_str)
    }

    /// The OUI owner's name.
    pub fn oui(&self, id: u32) -> Option<&str> {
        self.oui.get(&id).map(String::as_str)
    }
}

/// Vendor lines of a `pci.ids`/`usb.ids` file: `1344  Micron Technology Inc`
/// at the start of a line (devices are indented; classes start with `C `).
pub fn parse_ids(text: &str) -> HashMap<u16, String> {
    text.lines()
        .filter(|l| {
            l.len() > 6
                && l.as_bytes()[..4].iter().all(u8::is_ascii_hexdigit)
                && l.as_bytes()[4] == b' '
        })
        .filter_map(|l| {
            Some((
                u16::from_str_radix(&l[..4], 16).ok()?,
                l[4..].trim().to_owned(),
            ))
        })
        .collect()
}

/// `00A075 (base 16) MICRON TECHNOLOGY, INC.` lines of `oui.txt` (tab-separated).
pub fn parse_oui(text: &str) -> HashMap<u32, String> {
    text.lines()
        .filter_map(|l| {
            let (hex, rest) = l.split_once("(base 16)")?;
            Some((
                u32::from_str_radix(hex.trim(), 16).ok()?,
                rest.trim().to_owned(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vendor_lines_only() {
        let ids = parse_ids(
            "# comment\n1344  Micron Technology Inc\n\t5150  RealSSD P320h\n8086  Intel Corporation\nC 00  Unclassified device\n",
        );
        assert_eq!(
            ids.get(&0x1344).map(String::as_str),
            Some("Micron Technology Inc")
        );
        assert_eq!(ids.len(), 2);
        let oui = parse_oui(
            "00-A0-75   (hex)\t\tMICRON TECHNOLOGY, INC.\n00A075     (base 16)\t\tMICRON TECHNOLOGY, INC.\n\t\t\t\t8000 S. Federal Way\n",
        );
        assert_eq!(
            oui.get(&0x00A075).map(String::as_str),
            Some("MICRON TECHNOLOGY, INC.")
        );
    }
}
