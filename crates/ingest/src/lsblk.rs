//! `lsblk --json -o NAME,MODEL,VENDOR,SERIAL,WWN,TRAN`: whole disks (not
//! partitions); the WWN's OUI is kept as an identifier.

use serde_json::Value;
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::json_doc::{LineFinder, text_of};
use crate::{Sink, SkipReason, Summary, host_from_path};

/// Reads the top-level `blockdevices`; children (partitions) are counted as skipped.
pub fn read(path: &str, text: &str, doc: &Value, summary: &mut Summary, sink: &mut Sink<'_>) {
    crate::json_doc::check_duplicates(text, summary);
    let mut lines = LineFinder::new(text);
    let devices = doc
        .get("blockdevices")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for dev in devices {
        let name = dev.get("name").and_then(text_of).unwrap_or_default();
        let line = lines.line_of(&format!("\"{name}\"")).unwrap_or(1);
        let source = SourceLocation {
            path: path.to_owned(),
            line,
            locator: Some(format!("lsblk:{name}")),
        };
        let mut c = Component::new(ComponentKind::Disk, Role::Installed, source);
        c.host = host_from_path(path);
        c.push("name", &name, FieldRole::Other);
        for (key, role) in [
            ("vendor", FieldRole::Maker),
            ("model", FieldRole::Model),
            ("serial", FieldRole::Other),
            ("tran", FieldRole::Other),
        ] {
            if let Some(v) = dev.get(key).and_then(text_of) {
                c.push(key, &v, role);
            }
        }
        if let Some(wwn) = dev.get("wwn").and_then(text_of) {
            c.push("wwn", &wwn, FieldRole::Other);
            if let Some(oui) = wwn_oui(&wwn) {
                c.push("wwn.oui", &oui, FieldRole::Oui);
            }
        }
        if let Some(children) = dev.get("children").and_then(Value::as_array) {
            for _ in children {
                summary.skip(SkipReason::PartitionOrHolder);
            }
        }
        sink(c, summary);
    }
}

/// The OUI of a NAA 5/6 WWN (`0x500a0751234abcd`) or an EUI-64 (`eui.00a0750...`).
pub fn wwn_oui(wwn: &str) -> Option<String> {
    let w = wwn.trim().to_ascii_lowercase();
    if let Some(eui) = w.strip_prefix("eui.") {
        // EUI-64: the OUI leads; NGUID (16 bytes): it follows the 8-byte extension id.
        return match eui.len() {
            16 => eui.get(..6),
            32 => eui.get(16..22),
            _ => None,
        }
        .map(str::to_owned);
    }
    let hex = w
        .strip_prefix("0x")
        .or_else(|| w.strip_prefix("naa."))
        .unwrap_or(&w);
    matches!(hex.get(..1), Some("5" | "6"))
        .then(|| hex.get(1..7).map(str::to_owned))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ouis_from_wwns() {
        assert_eq!(wwn_oui("0x500a0751234abcd0").as_deref(), Some("00a075"));
        assert_eq!(wwn_oui("naa.5000c500a1b2c3d4").as_deref(), Some("000c50"));
        assert_eq!(wwn_oui("eui.00a0750123456789").as_deref(), Some("00a075"));
        assert_eq!(
            wwn_oui("eui.36344730527012340025384500000001").as_deref(),
            Some("002538")
        );
        assert_eq!(wwn_oui("0x2000c5"), None);
    }
}
