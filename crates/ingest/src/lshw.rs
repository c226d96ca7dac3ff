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
    /// JSON: the node's locator (`/host/a/b`); XML: its own id only.
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
    crate::json_doc::check_duplicates(text, summary);
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
    emit(path, &node, &node.path, summary, sink);
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
/// first child node starts or when it ends, whichever comes first. Time is
/// linear in the text, memory in the nesting depth.
pub fn read_xml(path: &str, text: &str, summary: &mut Summary, sink: &mut Sink<'_>) {
    let mut reader = Reader::from_str(text);
    let mut lines = LineCounter::new(text);
    let mut stack: Vec<(Node, bool)> = Vec::new();
    // The field element being read, its text so far and its line.
    let mut field: Option<(String, String, u64)> = None;
    loop {
        let pos = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == b"node" => {
                if stack.last().is_some_and(|(_, done)| !*done) {
                    let at = node_path(&stack);
                    if let Some((parent, emitted)) = stack.last_mut() {
                        emit(path, parent, &at, summary, sink);
                        *emitted = true;
                    }
                }
                let decoder = reader.decoder();
                let attr = |name: &[u8]| {
                    e.try_get_attribute(name)
                        .ok()
                        .flatten()
                        .and_then(|a| a.decode_and_unescape_value(decoder).ok())
                        .map(|v| v.into_owned())
                };
                let node = Node {
                    path: attr(b"id").unwrap_or_default(),
                    class: attr(b"class").unwrap_or_default(),
                    line: lines.line_at(pos),
                    fields: Vec::new(),
                };
                stack.push((node, false));
            }
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                field = KEYS
                    .contains(&name.as_str())
                    .then(|| (name, String::new(), lines.line_at(pos)));
            }
            Ok(Event::Text(t)) => push_text(&mut field, &t.decode().unwrap_or_default()),
            Ok(Event::CData(t)) => push_text(&mut field, &t.decode().unwrap_or_default()),
            Ok(Event::GeneralRef(r)) => push_text(&mut field, &reference(&r)),
            Ok(Event::End(e)) if e.name().as_ref() == b"node" => {
                let at = node_path(&stack);
                if let Some((node, emitted)) = stack.pop()
                    && !emitted
                {
                    emit(path, &node, &at, summary, sink);
                }
            }
            Ok(Event::End(_)) => {
                if let (Some((key, value, line)), Some((node, _))) =
                    (field.take(), stack.last_mut())
                {
                    add_field(node, key, value, line, summary);
                }
            }
            Ok(Event::Eof) => return unclosed(path, stack, summary, sink),
            Ok(_) => {}
            Err(e) => {
                let line = lines.line_at(reader.error_position());
                summary.error(line, format!("malformed lshw XML: {e}"));
                return;
            }
        }
    }
}

/// Counts lines moving forward through a text, so that finding the line of
/// every node costs time linear in the text.
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `pos`.
    fn line_at(&mut self, pos: u64) -> u64 {
        let pos = (pos as usize).min(self.text.len());
        if pos < self.pos {
            (self.pos, self.line) = (0, 1);
        }
        self.line += self.text[self.pos..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.pos = pos;
        self.line
    }
}

/// Nodes nested deeper than this name only the root and their nearest
/// ancestors in their locator, so that a locator costs bounded time.
const MAX_PATH_IDS: usize = 32;

/// The locator of the innermost node on the XML stack (`/host/a/b`; deeper
/// than `MAX_PATH_IDS`: `/host/.../y/z`). XML nodes keep only their own id.
fn node_path(stack: &[(Node, bool)]) -> String {
    let ids: Vec<&str> = if stack.len() <= MAX_PATH_IDS {
        stack.iter().map(|(n, _)| n.path.as_str()).collect()
    } else {
        let near = &stack[stack.len() - (MAX_PATH_IDS - 2)..];
        [stack[0].0.path.as_str(), "..."]
            .into_iter()
            .chain(near.iter().map(|(n, _)| n.path.as_str()))
            .collect()
    };
    format!("/{}", ids.join("/"))
}

/// Appends a piece of element text (text, CDATA or a resolved reference).
fn push_text(field: &mut Option<(String, String, u64)>, piece: &str) {
    if let Some((_, value, _)) = field.as_mut() {
        value.push_str(piece);
    }
}

/// The text a character or entity reference stands for. An entity this
/// reader does not define (lshw defines none) and a reference to a control
/// character, which XML 1.0 does not allow, are kept as written.
fn reference(r: &quick_xml::events::BytesRef<'_>) -> String {
    let name = r.decode().unwrap_or_default();
    if let Ok(Some(ch)) = r.resolve_char_ref()
        && (!ch.is_control() || matches!(ch, '\t' | '\n' | '\r'))
    {
        return ch.to_string();
    }
    quick_xml::escape::resolve_predefined_entity(&name)
        .map_or_else(|| format!("&{name};"), str::to_owned)
}

/// Records a field of a node; the same element twice with different values
/// makes the node ambiguous.
fn add_field(node: &mut Node, key: String, value: String, line: u64, summary: &mut Summary) {
    let value = value.trim().to_owned();
    if value.is_empty() {
        return;
    }
    match node.fields.iter().find(|(k, _)| *k == key) {
        Some((_, old)) if *old == value => {}
        Some((_, old)) => summary.error(
            line,
            format!("lshw XML node repeats <{key}> with another value ({old:?}, then {value:?})"),
        ),
        None => node.fields.push((key, value)),
    }
}

/// A document that ends inside nodes was cut short: what was read is still
/// reported, and the cut is an error at the innermost open node.
fn unclosed(path: &str, mut stack: Vec<(Node, bool)>, summary: &mut Summary, sink: &mut Sink<'_>) {
    let Some(line) = stack.last().map(|(n, _)| n.line) else {
        return;
    };
    while !stack.is_empty() {
        let at = node_path(&stack);
        if let Some((node, false)) = stack.pop() {
            emit(path, &node, &at, summary, sink);
        }
    }
    summary.error(
        line,
        "lshw XML ends inside the <node> opened on this line: the document is cut short",
    );
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

fn emit(path: &str, n: &Node, node_path: &str, summary: &mut Summary, sink: &mut Sink<'_>) {
    let Some(kind) = kind_of(n) else {
        return summary.skip(SkipReason::LshwNodeWithoutProduct);
    };
    let source = SourceLocation {
        path: path.to_owned(),
        line: n.line,
        locator: Some(format!("lshw:{node_path}")),
    };
    let mut c = Component::new(kind, Role::Installed, source);
    // lshw names the root node after the machine's hostname.
    let root = node_path
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

    fn xml(text: &str) -> (Vec<Component>, Summary) {
        let mut out = Vec::new();
        let mut summary = Summary::new(
            "h.xml",
            crate::Format::from_name("lshw-xml").expect("a format"),
            "UTF-8",
        );
        let mut sink = |c: Component, _: &mut Summary| out.push(c);
        read_xml("h.xml", text, &mut summary, &mut sink);
        (out, summary)
    }

    fn bank(i: usize, vendor: &str) -> String {
        format!(
            " <node id=\"bank:{i}\" class=\"memory\">\n  <vendor>{vendor}</vendor>\n  <product>P{i}</product>\n </node>\n"
        )
    }

    #[test]
    fn xml_lines_are_right_for_many_siblings() {
        let body: String = (0..3000).map(|i| bank(i, "Samsung")).collect();
        let (out, s) = xml(&format!(
            "<node id=\"h\" class=\"system\">\n{body}</node>\n"
        ));
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(out.len(), 3000);
        assert_eq!(out[0].source.line, 2);
        assert_eq!(out[2999].source.line, 2 + 4 * 2999);
        assert_eq!(
            out[2999].source.locator.as_deref(),
            Some("lshw:/h/bank:2999")
        );
    }

    #[test]
    fn xml_text_is_joined_across_references_and_cdata() {
        let (out, s) = xml(
            "<node id=\"h\" class=\"memory\"><vendor>Mi&#99;ron &amp; <![CDATA[Crucial]]> &x;&#27;]0;T&#x7;</vendor><product>P</product></node>",
        );
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(
            out[0].field("vendor"),
            Some("Micron & Crucial &x;&#27;]0;T&#x7;")
        );
        assert_eq!(
            out[0].fields.iter().filter(|f| f.name == "vendor").count(),
            1
        );
    }

    #[test]
    fn xml_repeated_element_with_another_value_is_an_error() {
        let (out, s) = xml(&format!(
            "<node id=\"h\" class=\"system\">\n{}</node>\n",
            bank(0, "Micron</vendor>\n  <vendor>Samsung")
        ));
        assert_eq!(out[0].field("vendor"), Some("Micron"));
        assert_eq!(s.errors().map(|d| d.line).collect::<Vec<_>>(), vec![4]);
        assert!(s.diagnostics[0].message.contains("\"Samsung\""));
    }

    #[test]
    fn xml_cut_short_is_an_error_and_keeps_what_was_read() {
        let text = format!("<node id=\"h\" class=\"system\">\n{}", bank(0, "Micron"));
        let (out, s) = xml(&text[..text.len() - " </node>\n".len()]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].field("vendor"), Some("Micron"));
        assert_eq!(s.errors().map(|d| d.line).collect::<Vec<_>>(), vec![2]);
        assert!(s.diagnostics[0].message.contains("cut short"));
    }

    #[test]
    fn deep_xml_locators_are_bounded() {
        let depth = 5000;
        let open: String = (0..depth).map(|i| format!("<node id=\"n{i}\">")).collect();
        let close = "</node>".repeat(depth);
        let (out, s) = xml(&format!("{open}{}{close}", bank(7, "Micron")));
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        let locator = out[0].source.locator.clone().unwrap_or_default();
        assert!(locator.starts_with("lshw:/n0/.../"), "{locator}");
        assert!(locator.ends_with("/n4999/bank:7"), "{locator}");
        assert_eq!(locator.matches('/').count(), MAX_PATH_IDS);
        assert_eq!(out[0].host.as_deref(), Some("n0"));
    }

    #[test]
    fn mac_ouis_skip_locally_administered_addresses() {
        assert_eq!(mac_oui("00:a0:75:12:34:56").as_deref(), Some("00a075"));
        assert_eq!(mac_oui("02:fc:00:00:00:01"), None);
        assert_eq!(mac_oui("garbage"), None);
    }
}
