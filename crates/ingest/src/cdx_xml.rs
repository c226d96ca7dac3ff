//! CycloneDX XML BOMs (`<bom xmlns="http://cyclonedx.org/schema/bom/1.x">`),
//! read as the JSON form is (see `bom`): every `<component>`, nested ones
//! and the one in `<metadata>` included, in document order.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role};

use crate::table::source;
use crate::{Sink, SkipReason, Summary};

/// A component being read: its builder and the element depth it opened at.
struct Open {
    c: Component,
    depth: usize,
    order: usize,
}

/// Reads the document with a streaming parser.
pub(crate) fn read(path: &str, text: &str, summary: &mut Summary, sink: &mut Sink<'_>) {
    let mut reader = Reader::from_str(text);
    // Lines counted forward from the last position asked for, so that a
    // document is scanned once (positions only grow while parsing).
    let (mut seen, mut lines) = (0usize, 1u64);
    let mut line_at = |pos: u64| {
        let pos = (pos as usize).min(text.len());
        if pos >= seen {
            lines += text.as_bytes()[seen..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            seen = pos;
        }
        lines
    };
    let mut path_stack: Vec<String> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut done: Vec<(usize, Component)> = Vec::new();
    let mut property: Option<String> = None;
    let mut count = 0;
    loop {
        let pos = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = local(&e);
                if name == "component" {
                    let mut c = Component::new(
                        ComponentKind::Other,
                        Role::Installed,
                        source(path, line_at(pos), None),
                    );
                    for (key, field) in [("bom-ref", None), ("type", Some("type"))] {
                        let value = attr(&e, key, &reader);
                        match (field, value) {
                            (None, Some(v)) => c.source.locator = Some(v),
                            (Some(f), Some(v)) => c.push(f, &v, FieldRole::Other),
                            _ => {}
                        }
                    }
                    open.push(Open {
                        c,
                        depth: path_stack.len(),
                        order: count,
                    });
                    count += 1;
                } else if name == "property" {
                    property = attr(&e, "name", &reader);
                }
                path_stack.push(name);
            }
            Ok(Event::Text(t)) => {
                let value = t.decode().map(|v| v.trim().to_owned()).unwrap_or_default();
                if let Some(o) = open.last_mut().filter(|_| !value.is_empty()) {
                    let rel: Vec<&str> = path_stack[o.depth + 1..]
                        .iter()
                        .map(String::as_str)
                        .collect();
                    field(&mut o.c, &rel, &value, property.as_deref());
                }
            }
            Ok(Event::End(_)) => {
                let closes = path_stack.pop().as_deref() == Some("component");
                if let Some(o) = open.pop_if(|_| closes) {
                    done.push((o.order, o.c));
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                summary.error(
                    line_at(reader.error_position()),
                    format!("malformed CycloneDX XML: {e}"),
                );
                break;
            }
            Ok(_) => {}
        }
    }
    done.sort_by_key(|(order, _)| *order);
    for (_, c) in done {
        if c.fields.iter().any(|f| f.role != FieldRole::Other) {
            sink(c, summary);
        } else {
            summary.skip(SkipReason::BomEntryWithoutIdentity);
        }
    }
}

/// The element's name without its namespace prefix.
fn local(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

fn attr(e: &BytesStart<'_>, key: &str, reader: &Reader<&[u8]>) -> Option<String> {
    e.try_get_attribute(key)
        .ok()
        .flatten()
        .and_then(|a| a.decode_and_unescape_value(reader.decoder()).ok())
        .map(|v| v.trim().to_owned())
}

/// A text inside a component, by its path below the `<component>` element.
fn field(c: &mut Component, rel: &[&str], value: &str, property: Option<&str>) {
    match rel {
        ["name"] => c.push("name", value, FieldRole::Model),
        ["manufacturer", "name"] => c.push("manufacturer", value, FieldRole::Maker),
        ["publisher"] => c.push("publisher", value, FieldRole::Maker),
        ["supplier", "name"] => c.push("supplier", value, FieldRole::Supplier),
        ["group"] => c.push("group", value, FieldRole::Description),
        ["version"] => c.push("version", value, FieldRole::Other),
        ["description"] => c.push("description", value, FieldRole::Description),
        ["purl"] => crate::bom::push_purl(c, value),
        ["properties", "property"] => {
            if let Some(name) = property {
                c.push(name, value, crate::bom::property_role(name));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn components_in_document_order_with_their_parties() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <metadata>
    <timestamp>2025-06-01T08:00:00Z</timestamp>
    <component type="device" bom-ref="site-gateway"><name>Branch site gateway rack</name></component>
  </metadata>
  <components>
    <component type="device" bom-ref="router-1">
      <supplier><name>Example Distribution Ltd</name></supplier>
      <manufacturer><name>Huawei Technologies Co., Ltd.</name></manufacturer>
      <name>AR6140-16G4XG enterprise router</name>
      <licenses><license><name>Proprietary</name></license></licenses>
      <properties><property name="mpn">AR6140-16G4XG</property></properties>
      <components>
        <component type="firmware" bom-ref="router-1-fw"><publisher>Huawei</publisher><name>VRP</name></component>
      </components>
    </component>
  </components>
</bom>
"#;
        let (cs, s) = crate::run_reader("cyclonedx-xml", "bom.xml", text);
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        let got: Vec<(Option<&str>, u64, Option<&str>)> = cs
            .iter()
            .map(|c| (c.source.locator.as_deref(), c.source.line, c.field("name")))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("site-gateway"), 5, Some("Branch site gateway rack")),
                (Some("router-1"), 8, Some("AR6140-16G4XG enterprise router")),
                (Some("router-1-fw"), 15, Some("VRP")),
            ]
        );
        assert_eq!(cs[1].field("supplier"), Some("Example Distribution Ltd"));
        assert_eq!(
            cs[1].field("manufacturer"),
            Some("Huawei Technologies Co., Ltd.")
        );
        assert_eq!(cs[1].field("mpn"), Some("AR6140-16G4XG"));
        assert_eq!(cs[1].fields.iter().filter(|f| f.name == "name").count(), 1);
        assert_eq!(cs[2].field("publisher"), Some("Huawei"));
    }
}
