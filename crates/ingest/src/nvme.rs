//! nvme-cli: `nvme list -o json` (the flat `Devices[]` layout of nvme-cli 1.x
//! and the `Devices[].Subsystems[].Controllers[]` layout of 2.x) and
//! `nvme id-ctrl -o json` (PCI vendor `vid`, subsystem vendor `ssvid`,
//! model `mn`, serial `sn`, IEEE OUI `ieee`).

use serde_json::Value;
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::json_doc::{LineFinder, text_of};
use crate::{Sink, SkipReason, Summary, host_from_path};

fn disk(path: &str, line: u64, locator: String) -> Component {
    let source = SourceLocation {
        path: path.to_owned(),
        line,
        locator: Some(locator),
    };
    let mut c = Component::new(ComponentKind::Disk, Role::Installed, source);
    c.host = host_from_path(path);
    c
}

fn push_keys(c: &mut Component, obj: &Value, keys: &[(&str, FieldRole)]) {
    for (key, role) in keys {
        if let Some(v) = obj.get(*key).and_then(text_of) {
            c.push(key, &v, *role);
        }
    }
}

const LIST_KEYS: &[(&str, FieldRole)] = &[
    ("ModelNumber", FieldRole::Model),
    ("ProductName", FieldRole::Other),
    ("SerialNumber", FieldRole::Other),
    ("Firmware", FieldRole::Other),
    ("Transport", FieldRole::Other),
    ("Address", FieldRole::Other),
];

/// Reads `nvme list -o json`, either layout.
pub fn read_list(path: &str, text: &str, doc: &Value, summary: &mut Summary, sink: &mut Sink<'_>) {
    crate::json_doc::check_duplicates(text, summary);
    let mut lines = LineFinder::new(text);
    let devices = doc
        .get("Devices")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for dev in devices {
        match dev.get("Subsystems").and_then(Value::as_array) {
            Some(subsystems) => {
                for ctrl in subsystems
                    .iter()
                    .filter_map(|s| s.get("Controllers")?.as_array())
                    .flatten()
                {
                    let name = ctrl.get("Controller").and_then(text_of).unwrap_or_default();
                    let line = lines.line_of(&format!("\"{name}\"")).unwrap_or(1);
                    let mut c = disk(path, line, format!("nvme:{name}"));
                    push_keys(&mut c, ctrl, LIST_KEYS);
                    sink(c, summary);
                }
            }
            None => {
                let name = dev.get("DevicePath").and_then(text_of).unwrap_or_default();
                let line = lines.line_of(&format!("\"{name}\"")).unwrap_or(1);
                let mut c = disk(path, line, format!("nvme:{name}"));
                push_keys(&mut c, dev, LIST_KEYS);
                sink(c, summary);
            }
        }
    }
    if devices.is_empty() {
        summary.skip(SkipReason::NvmeListWithoutDevices);
    }
}

/// Reads `nvme id-ctrl -o json`: one controller.
pub fn read_id_ctrl(
    path: &str,
    text: &str,
    doc: &Value,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) {
    crate::json_doc::check_duplicates(text, summary);
    let line = LineFinder::new(text).line_of("\"vid\"").unwrap_or(1);
    let mut c = disk(path, line, "nvme:id-ctrl".into());
    push_keys(
        &mut c,
        doc,
        &[
            ("mn", FieldRole::Model),
            ("sn", FieldRole::Other),
            ("fr", FieldRole::Other),
        ],
    );
    let hex = |key: &str, width: usize| {
        doc.get(key)
            .and_then(Value::as_u64)
            .map(|v| format!("{v:0width$x}"))
    };
    if let Some(v) = hex("vid", 4) {
        c.push("vid", &v, FieldRole::PciVendor);
    }
    if let Some(v) = hex("ssvid", 4) {
        c.push("ssvid", &v, FieldRole::PciSubsystemVendor);
    }
    if let Some(v) = hex("ieee", 6) {
        c.push("ieee", &v, FieldRole::Oui);
    }
    sink(c, summary);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_empty_devices_array_is_an_error() {
        let text = "{\n  \"Devices\": [{\"Subsystems\": [{\"Controllers\": [{\"ModelNumber\": \"Micron_7450_MTFDKCC3T8TFR\", \"SerialNumber\": \"X\"}]}]}],\n  \"Devices\": []\n}\n";
        let doc: Value = serde_json::from_str(text).expect("json");
        let mut summary = Summary::new(
            "n.json",
            crate::Format::from_name("nvme-list").expect("a format"),
            "UTF-8",
        );
        let mut sink = |_: Component, _: &mut Summary| {};
        read_list("n.json", text, &doc, &mut summary, &mut sink);
        let errors: Vec<&str> = summary.errors().map(|d| d.message.as_str()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("duplicate key \"Devices\""),
            "{errors:?}"
        );
    }
}
