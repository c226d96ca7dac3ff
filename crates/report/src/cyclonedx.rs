//! CycloneDX 1.6 JSON, for Dependency-Track and other BOM tools: every
//! screened component as a `device` whose properties (namespace
//! `supplyscreen:`) hold its source, fields as printed, attribution with
//! evidence, verdict and findings. Deterministic: no serial number or
//! timestamp, which the specification leaves optional.

use serde::Serialize;
use supplyscreen_policy::Action;
use supplyscreen_screen::{Outcome, Screened, TOOL_VERSION};

use crate::{facts, prose};

#[derive(Serialize)]
struct Bom {
    #[serde(rename = "$schema")]
    schema: &'static str,
    #[serde(rename = "bomFormat")]
    bom_format: &'static str,
    #[serde(rename = "specVersion")]
    spec_version: &'static str,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
}

#[derive(Serialize)]
struct Metadata {
    tools: Tools,
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<ToolComponent>,
}

#[derive(Serialize)]
struct ToolComponent {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Component {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<Organization>,
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Organization {
    name: String,
}

#[derive(Serialize)]
struct Property {
    name: String,
    value: String,
}

fn prop(props: &mut Vec<Property>, name: &str, value: impl ToString) {
    let value = value.to_string();
    if !value.is_empty() {
        props.push(Property {
            name: format!("supplyscreen:{name}"),
            value,
        });
    }
}

fn properties(s: &Screened, o: &Outcome) -> Vec<Property> {
    let c = &s.component;
    let mut p = Vec::new();
    prop(&mut p, "verdict", s.verdict);
    prop(&mut p, "kind", c.kind);
    prop(&mut p, "source", &c.source);
    if let Some(l) = &c.source.locator {
        prop(&mut p, "locator", l);
    }
    for (name, v) in [
        ("host", c.host.clone()),
        ("quantity", c.quantity.map(|q| q.to_string())),
        ("ordered", c.ordered.map(|d| d.to_string())),
        ("acquired", c.acquired.map(|d| d.to_string())),
        ("po-number", facts::po_number(c).map(str::to_owned)),
        (
            "value-at-risk",
            facts::value_at_risk(s).map(|v| v.to_string()),
        ),
    ] {
        if let Some(v) = v {
            prop(&mut p, name, v);
        }
    }
    for f in c.fields.iter().filter(|f| !f.value.is_empty()) {
        prop(&mut p, &format!("field:{}", f.name), &f.value);
    }
    if let Some(a) = &s.identification.attribution {
        prop(&mut p, "attribution:entity", &a.entity);
        if let Some(b) = &a.brand {
            prop(&mut p, "attribution:brand", b);
        }
        prop(&mut p, "attribution:confidence", a.confidence);
        prop(&mut p, "attribution:reason", &a.reason);
        for e in &a.evidence {
            let line = format!(
                "{} {}={:?}: {} [{}]",
                e.kind, e.field, e.value, e.matched, e.kb
            );
            prop(&mut p, "attribution:evidence", line);
        }
        for e in &a.conflicts {
            let line = format!(
                "{} {}={:?} points to {} [{}]",
                e.kind, e.field, e.value, e.entity, e.kb
            );
            prop(&mut p, "attribution:conflict", line);
        }
    }
    for n in &s.identification.notes {
        prop(&mut p, "note", n);
    }
    for f in &s.findings {
        let id = f.id;
        prop(
            &mut p,
            &format!("finding:{id}"),
            format!("{} {} {} {}", f.verdict, f.directive, f.measure, f.code),
        );
        prop(
            &mut p,
            &format!("finding:{id}:reason"),
            prose::reason(f, o.as_of),
        );
        prop(&mut p, &format!("finding:{id}:rule"), &f.kb);
        prop(&mut p, &format!("finding:{id}:citation"), &f.citation);
    }
    p
}

fn component(s: &Screened, o: &Outcome) -> Component {
    let c = &s.component;
    Component {
        kind: "device",
        bom_ref: s.id.to_string(),
        name: facts::product(c),
        description: facts::description(c).map(str::to_owned),
        supplier: facts::supplier(c).map(|n| Organization { name: n.to_owned() }),
        properties: properties(s, o),
    }
}

/// Renders the outcome as a CycloneDX 1.6 JSON BOM on one line (a BOM
/// repeats its property names for every component; indenting them would
/// double its size).
pub fn render_cyclonedx(o: &Outcome) -> serde_json::Result<String> {
    let mut meta = Vec::new();
    prop(&mut meta, "profile", &o.profile);
    prop(&mut meta, "action", Action::name(o.action));
    prop(&mut meta, "as-of", o.as_of);
    prop(&mut meta, "kb-version", &o.kb_version);
    prop(&mut meta, "kb-hash", &o.kb_hash);
    prop(&mut meta, "algorithm", o.algorithm());
    for (v, n) in o.counts() {
        prop(&mut meta, &format!("summary:{v}"), n);
    }
    let bom = Bom {
        schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
        bom_format: "CycloneDX",
        spec_version: "1.6",
        version: 1,
        metadata: Metadata {
            tools: Tools {
                components: vec![ToolComponent {
                    kind: "application",
                    name: "supplyscreen",
                    version: TOOL_VERSION,
                }],
            },
            properties: meta,
        },
        components: o.components.iter().map(|s| component(s, o)).collect(),
    };
    let mut s = serde_json::to_string(&bom)?;
    s.push('\n');
    Ok(s)
}
