//! Bills of materials: CycloneDX 1.4-1.7 JSON and SPDX 2.3 JSON.
//!
//! Every component of a CycloneDX BOM (the product in `metadata.component`,
//! then `components`, nested ones included) and every SPDX package becomes a
//! component. Who made it (`manufacturer`, `publisher`, SPDX `originator`)
//! is a maker field, who supplied it (`supplier`) a supplier field; the
//! `group`, the package URL's namespace and descriptions are free text;
//! `properties` whose name says maker, part number or model are read as
//! such. A BOM describes what a product contains: its components are
//! installed items, and its timestamp is when the BOM was written, never an
//! order or acquisition date.

use serde_json::Value;
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role};

use crate::json_doc::{LineFinder, text_of};
use crate::table::source;
use crate::{Sink, SkipReason, Summary};

/// How deep nested components are followed.
const MAX_DEPTH: usize = 32;

/// Reads a CycloneDX JSON BOM.
pub(crate) fn read_cyclonedx(
    path: &str,
    text: &str,
    doc: &Value,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) {
    let mut lines = LineFinder::new(text);
    if let Some(product) = doc.pointer("/metadata/component") {
        cdx_component(path, product, 0, &mut lines, summary, sink);
    }
    for c in array(doc, "components") {
        cdx_component(path, c, 0, &mut lines, summary, sink);
    }
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// One CycloneDX component and its nested components.
fn cdx_component(
    path: &str,
    v: &Value,
    depth: usize,
    lines: &mut LineFinder<'_>,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) {
    let name = v.get("name").and_then(text_of);
    let line = name
        .as_deref()
        .and_then(|n| lines.line_of(&json_string(n)))
        .unwrap_or(1);
    let mut c = Component::new(
        ComponentKind::Other,
        Role::Installed,
        source(path, line, None),
    );
    c.source.locator = v.get("bom-ref").and_then(text_of);
    for (name, pointer, role) in CYCLONEDX_FIELDS {
        push(&mut c, name, v.pointer(pointer), role);
    }
    if let Some(purl) = v.get("purl").and_then(text_of) {
        push_purl(&mut c, &purl);
    }
    for p in array(v, "properties") {
        if let (Some(n), Some(value)) = (p.get("name").and_then(text_of), p.get("value")) {
            let role = property_role(&n);
            push(&mut c, &n, Some(value), role);
        }
    }
    if identifies(&c) {
        sink(c, summary);
    } else {
        summary.skip(SkipReason::BomEntryWithoutIdentity);
    }
    if depth < MAX_DEPTH {
        for child in array(v, "components") {
            cdx_component(path, child, depth + 1, lines, summary, sink);
        }
    }
}

/// Reads an SPDX 2.x JSON document: one component per package.
pub(crate) fn read_spdx(
    path: &str,
    text: &str,
    doc: &Value,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) {
    let mut lines = LineFinder::new(text);
    for p in array(doc, "packages") {
        let id = p.get("SPDXID").and_then(text_of);
        let line = id
            .as_deref()
            .and_then(|i| lines.line_of(&json_string(i)))
            .unwrap_or(1);
        let mut c = Component::new(
            ComponentKind::Other,
            Role::Installed,
            source(path, line, id),
        );
        push(
            &mut c,
            "primaryPackagePurpose",
            p.get("primaryPackagePurpose"),
            FieldRole::Other,
        );
        push(&mut c, "name", p.get("name"), FieldRole::Model);
        push_party(&mut c, "originator", p.get("originator"), FieldRole::Maker);
        push_party(&mut c, "supplier", p.get("supplier"), FieldRole::Supplier);
        push(
            &mut c,
            "versionInfo",
            p.get("versionInfo"),
            FieldRole::Other,
        );
        push(&mut c, "summary", p.get("summary"), FieldRole::Description);
        push(
            &mut c,
            "description",
            p.get("description"),
            FieldRole::Description,
        );
        for r in array(p, "externalRefs") {
            let purl = r.get("referenceType").and_then(Value::as_str) == Some("purl");
            if let Some(loc) = r.get("referenceLocator").and_then(text_of).filter(|_| purl) {
                push_purl(&mut c, &loc);
            }
        }
        if identifies(&c) {
            sink(c, summary);
        } else {
            summary.skip(SkipReason::BomEntryWithoutIdentity);
        }
    }
}

/// The members of a CycloneDX component kept as fields: name, JSON pointer, role.
const CYCLONEDX_FIELDS: [(&str, &str, FieldRole); 8] = [
    ("type", "/type", FieldRole::Other),
    ("name", "/name", FieldRole::Model),
    ("manufacturer", "/manufacturer/name", FieldRole::Maker),
    ("publisher", "/publisher", FieldRole::Maker),
    ("supplier", "/supplier/name", FieldRole::Supplier),
    ("group", "/group", FieldRole::Description),
    ("version", "/version", FieldRole::Other),
    ("description", "/description", FieldRole::Description),
];

fn push(c: &mut Component, name: &str, v: Option<&Value>, role: FieldRole) {
    if let Some(text) = v.and_then(text_of) {
        c.push(name, &text, role);
    }
}

/// An SPDX `Organization: Name (email)` or `Person: Name`; `NOASSERTION` says nothing.
pub(crate) fn push_party(c: &mut Component, name: &str, v: Option<&Value>, role: FieldRole) {
    let Some(text) = v.and_then(text_of) else {
        return;
    };
    let who = text
        .split_once(':')
        .map_or(text.as_str(), |(_, rest)| rest)
        .split(" (")
        .next()
        .unwrap_or_default()
        .trim();
    if !who.is_empty() && who != "NOASSERTION" && text != "NOASSERTION" {
        c.push(name, who, role);
    }
}

/// A package URL, kept whole, and its namespace as free text
/// (`pkg:maven/com.huawei.ivs/sdk@1.0` -> `com.huawei.ivs`).
pub(crate) fn push_purl(c: &mut Component, purl: &str) {
    c.push("purl", purl, FieldRole::Other);
    let Some(rest) = purl.strip_prefix("pkg:") else {
        return;
    };
    let path = rest.split(['@', '?', '#']).next().unwrap_or_default();
    let mut parts: Vec<&str> = path.split('/').collect();
    if parts.len() >= 3 {
        parts.pop();
        let namespace = parts[1..].join("/");
        c.push("purl namespace", &namespace, FieldRole::Description);
    }
}

/// What a property's name says its value is.
pub(crate) fn property_role(name: &str) -> FieldRole {
    let n = name.to_ascii_lowercase();
    if ["manufacturer", "vendor", "brand", "maker"]
        .iter()
        .any(|k| n.contains(k))
    {
        FieldRole::Maker
    } else if ["partnumber", "part-number", "part_number", "mpn"]
        .iter()
        .any(|k| n.contains(k))
    {
        FieldRole::PartNumber
    } else if n.contains("model") {
        FieldRole::Model
    } else {
        FieldRole::Other
    }
}

/// True when some field can say who made or sold it, or what it is.
fn identifies(c: &Component) -> bool {
    c.fields.iter().any(|f| f.role != FieldRole::Other)
}

/// A string as JSON writes it (quotes and escapes), to find it in the text.
fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cyclonedx_device_with_nested_components_and_roles() {
        let text = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "metadata": {
    "timestamp": "2025-06-01T00:00:00Z",
    "component": {"type": "device", "name": "Edge gateway EG-200", "bom-ref": "eg-200",
      "manufacturer": {"name": "Example Systems"}}
  },
  "components": [
    {"type": "device", "name": "AR6140-16G4XG", "bom-ref": "router",
     "manufacturer": {"name": "Huawei Technologies Co., Ltd."},
     "supplier": {"name": "Shenzhen Example Trading"},
     "properties": [{"name": "mpn", "value": "02354AKB"}],
     "components": [
       {"type": "firmware", "name": "VRP", "version": "V300R022",
        "publisher": "Huawei"}
     ]},
    {"type": "library", "name": "sdk", "purl": "pkg:maven/com.hikvision/sdk@6.1"},
    {"type": "data", "version": "1"}
  ]
}"#;
        let (cs, s) = crate::run_reader("cyclonedx-json", "bom.json", text);
        let names: Vec<(&str, u64)> = cs
            .iter()
            .map(|c| (c.field("name").unwrap_or(""), c.source.line))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Edge gateway EG-200", 6),
                ("AR6140-16G4XG", 10),
                ("VRP", 15),
                ("sdk", 18)
            ]
        );
        assert_eq!(cs[1].field("supplier"), Some("Shenzhen Example Trading"));
        assert_eq!(cs[1].with_role(FieldRole::Supplier).count(), 1);
        assert_eq!(cs[1].with_role(FieldRole::PartNumber).count(), 1);
        assert_eq!(cs[2].with_role(FieldRole::Maker).count(), 1);
        assert_eq!(cs[3].field("purl namespace"), Some("com.hikvision"));
        assert!(
            cs.iter()
                .all(|c| c.ordered.is_none() && c.acquired.is_none())
        );
        assert_eq!(
            s.skipped.get(&SkipReason::BomEntryWithoutIdentity),
            Some(&1)
        );
    }

    #[test]
    fn spdx_packages_with_supplier_and_originator() {
        let text = r#"{
  "spdxVersion": "SPDX-2.3",
  "SPDXID": "SPDXRef-DOCUMENT",
  "creationInfo": {"created": "2025-06-01T00:00:00Z", "creators": ["Tool: x"]},
  "packages": [
    {"SPDXID": "SPDXRef-camera", "name": "DS-2CD2143G2-I",
     "supplier": "Organization: Example Distribution Ltd (sales@example.com)",
     "originator": "Organization: Hangzhou Hikvision Digital Technology Co., Ltd.",
     "primaryPackagePurpose": "DEVICE", "downloadLocation": "NOASSERTION"},
    {"SPDXID": "SPDXRef-lib", "name": "libfoo", "supplier": "NOASSERTION",
     "downloadLocation": "NOASSERTION"}
  ]
}"#;
        let (cs, _) = crate::run_reader("spdx-json", "sbom.spdx.json", text);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].source.line, 6);
        assert_eq!(cs[0].source.locator.as_deref(), Some("SPDXRef-camera"));
        assert_eq!(cs[0].field("supplier"), Some("Example Distribution Ltd"));
        assert_eq!(
            cs[0].field("originator"),
            Some("Hangzhou Hikvision Digital Technology Co., Ltd.")
        );
        assert_eq!(cs[1].field("supplier"), None);
    }
}
