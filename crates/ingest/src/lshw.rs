//! `lshw -json` (the single-object form and the array form of newer lshw)
//! and `lshw -xml`. Every node that names a product becomes a component:
//! memory banks, disks, processors, network interfaces (their MAC's OUI is
//! kept), PCI and USB devices, the system and the baseboard.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::json_doc::{LineFinder, text_of};
use crate::{Sink, SkipReason, Summary, host_from_path};

/// One node's identity, from JSON or XML.
#[derive(Default)]
struct Node {
    path: String,
    class: String,
    line: u64,
    fields: Vec<(String, String)>,
}

const KEYS: &[&str] = &[
    "vendor",
    "product",
    "serial",
    "businfo",
    "description",
    "version",
    "slot",
];

/// Reads the JSON forms, walking nodes in document order.
pub fn read_json(path: &str, text: &str, doc: &Value, summary: &mut Summary, sink: &mut Sink<'_>) {
    let mut lines = LineFinder::new(text);
    let roots: Vec<&Value> = match doc {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for root in roots {
        walk_json(path, root, "", &mut lines, summary, sink);
    }
}

fn walk_json(
    path: &str,
    v: &Value,
    parent: &str,
    lines: &mut LineFinder<'_>,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) {
    let id = v.get("id").and_then(text_of).unwrap_or_default();
    let node = Node {
        path: format!("{parent}/{id}"),
        class: v.get("class").and_then(text_of).unwrap_or_default(),
        line: lines.line_of("\"id\"").unwrap_or(1),
        fields: KEYS
            .iter()
            .filter_map(|k| Some(((*k).to_owned(), v.get(*k).and_then(text_of)?)))
            .collect(),
    };
    emit(path, &node, summary, sink);
    for child in v
        .get("children")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        walk_json(path, child, &node.path, lines, summary, sink);
    }
}

/// Reads the XML form with a streaming parser; a node is emitted when its
/// first child node starts or when it ends, whichever comes first.
pub fn read_xml(path: &str, text: &str, summary: &mut Summary, sink: &mut Sink<'_>) {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<(Node, bool)> = Vec::new();
    let mut field: Option<String> = None;
    let line_at = |pos: u64| {
        text.as_bytes()[..(pos as usize).min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
            + 1
    };
    loop {
        let pos = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == b"node" => {
                if let Some((parent, emitted)) = stack.last_mut().filter(|(_, done)| !*done) {
                    emit(path, parent, summary, sink);
                    *emitted = true;
                }
                let decoder = reader.decoder();
                let attr = |name: &[u8]| {
                    e.try_get_attribute(name)
                        .ok()
                        .flatten()
                        .and_then(|a| a.decode_and_unescape_value(decoder).ok())
                        .map(|v| v.into_owned())
                };
                let parent = stack
                    .last()
                    .map(|(n, _)| n.path.clone())
                    .unwrap_or_default();
                let node = Node {
                    path: format!("{parent}/{}", attr(b"id").unwrap_or_default()),
                    class: attr(b"class").unwrap_or_default(),
                    line: line_at(pos),
                    fields: Vec::new(),
                };
                stack.push((node, false));
            }
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                field = KEYS.contains(&name.as_str()).then_some(name);
            }
            Ok(Event::Text(t)) => {
                if let (Some(key), Some((node, _))) = (field.as_ref(), stack.last_mut()) {
                    let value = t.decode().map(|v| v.trim().to_owned()).unwrap_or_default();
                    if !value.is_empty() {
                        node.fields.push((key.clone(), value));
                    }
                }
            }
            Ok(Event::End(e)) if e.name().as_ref() == b"node" => {
                if let Some((node, emitted)) = stack.pop()
                    && !emitted
                {
                    emit(path, &node, summary, sink);
                }
            }
            Ok(Event::End(_)) => field = None,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                summary.error(
                    line_at(reader.error_position()),
                    format!("malformed lshw XML: {e}"),
                );
                break;
            }
        }
    }
}

/// What a node becomes, or `None` when it names no product.
fn kind_of(n: &Node) -> Option<ComponentKind> {
    let get = |k: &str| {
        n.fields
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.as_str())
    };
    if get("vendor").is_none() && get("product").is_none() {
        return None;
    }
    if get("description").is_some_and(|d| d.contains("[empty]")) {
        return None;
    }
    let bus = get("businfo").unwrap_or("");
    Some(match n.class.as_str() {
        "memory" => ComponentKind::Memory,
        "disk" => ComponentKind::Disk,
        "processor" => ComponentKind::Processor,
        "network" => ComponentKind::Network,
        "system" => ComponentKind::System,
        "bus" if !bus.starts_with("pci@") && !bus.starts_with("usb@") => ComponentKind::Baseboard,
        _ if bus.starts_with("pci@") => ComponentKind::Pci,
        _ if bus.starts_with("usb@") => ComponentKind::Usb,
        _ => ComponentKind::Other,
    })
}

fn emit(path: &str, n: &Node, summary: &mut Summary, sink: &mut Sink<'_>) {
    let Some(kind) = kind_of(n) else {
        return summary.skip(SkipReason::LshwNodeWithoutProduct);
    };
    let source = SourceLocation {
        path: path.to_owned(),
        line: n.line,
        locator: Some(format!("lshw:{}", n.path)),
    };
    let mut c = Component::new(kind, Role::Installed, source);
    // lshw names the root node after the machine's hostname.
    let root = n
        .path
        .trim_start_matches('/')
        .split('/')
        .next()
        .filter(|r| !r.is_empty());
    c.host = root.map(str::to_owned).or_else(|| host_from_path(path));
    for (k, v) in &n.fields {
        let role = match (k.as_str(), kind) {
            ("vendor", _) => FieldRole::Maker,
            ("product", ComponentKind::Memory) => FieldRole::PartNumber,
            ("product", _) => FieldRole::Model,
            _ => FieldRole::Other,
        };
        c.push(k, v, role);
        if kind == ComponentKind::Network
            && k == "serial"
            && let Some(oui) = mac_oui(v)
        {
            c.push("serial.oui", &oui, FieldRole::Oui);
        }
    }
    sink(c, summary);
}

/// The OUI of a universally administered MAC address (`00:a0:75:12:34:56`).
fn mac_oui(mac: &str) -> Option<String> {
    let bytes: Vec<u8> = mac
        .split([':', '-'])
        .map(|b| u8::from_str_radix(b, 16).ok())
        .collect::<Option<_>>()?;
    (bytes.len() == 6 && bytes[0] & 0x02 == 0)
        .then(|| format!("{:02x}{:02x}{:02x}", bytes[0], bytes[1], bytes[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_form_and_empty_banks() {
        let text = "[\n  {\n    \"id\" : \"db-01\",\n    \"class\" : \"system\",\n    \"vendor\" : \"Dell Inc.\",\n    \"children\" : [\n      {\n        \"id\" : \"bank:0\",\n        \"class\" : \"memory\",\n        \"vendor\" : \"Micron\",\n        \"product\" : \"36ASF4G72PZ-2G9E2\"\n      },\n      {\n        \"id\" : \"bank:1\",\n        \"class\" : \"memory\",\n        \"description\" : \"DIMM Synchronous [empty]\",\n        \"vendor\" : \"\"\n      }\n    ]\n  }\n]\n";
        let doc: Value = serde_json::from_str(text).expect("json");
        let mut out = Vec::new();
        let format = crate::Format::from_name("lshw-json").expect("a format");
        let mut summary = Summary::new("db-01.json", format, "UTF-8");
        let mut sink = |c: Component, _: &mut Summary| out.push(c);
        read_json("db-01.json", text, &doc, &mut summary, &mut sink);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].field("product"), Some("36ASF4G72PZ-2G9E2"));
        assert_eq!(out[1].source.line, 8);
        assert_eq!(out[1].host.as_deref(), Some("db-01"));
        assert_eq!(out[1].with_role(FieldRole::PartNumber).count(), 1);
        assert_eq!(
            summary.skipped.get(&SkipReason::LshwNodeWithoutProduct),
            Some(&1)
        );
    }

    #[test]
    fn mac_ouis_skip_locally_administered_addresses() {
        assert_eq!(mac_oui("00:a0:75:12:34:56").as_deref(), Some("00a075"));
        assert_eq!(mac_oui("02:fc:00:00:00:01"), None);
        assert_eq!(mac_oui("garbage"), None);
    }
}
