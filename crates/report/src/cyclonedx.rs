//! CycloneDX 1.6 JSON, for Dependency-Track and other BOM tools: every
//! screened component as a `device` whose properties (namespace
//! `supplyscreen:`) hold its source, fields as printed, attribution with
//! evidence, verdict and findings. Deterministic: no serial number or
//! timestamp, which the specification leaves optional.

use std::io::{self, Write};

use serde::Serialize;
use supplyscreen_ingest::Summary;
use supplyscreen_model::{Date, Verdict};
use supplyscreen_policy::Action;
use supplyscreen_screen::{End, Header, Outcome, Screened, SkippedFile, TOOL_VERSION};

use crate::spool::Spool;
use crate::stream::{Destination, FormatOut};
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

fn properties(s: &Screened, as_of: Date) -> Vec<Property> {
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
            prose::reason(f, as_of),
        );
        prop(&mut p, &format!("finding:{id}:rule"), &f.kb);
        prop(&mut p, &format!("finding:{id}:citation"), &f.citation);
    }
    p
}

fn component(s: &Screened, as_of: Date) -> Component {
    let c = &s.component;
    Component {
        kind: "device",
        bom_ref: s.id.to_string(),
        name: facts::product(c),
        description: facts::description(c).map(str::to_owned),
        supplier: facts::supplier(c).map(|n| Organization { name: n.to_owned() }),
        properties: properties(s, as_of),
    }
}

/// Renders the outcome as a CycloneDX 1.6 JSON BOM on one line (a BOM
/// repeats its property names for every component; indenting them would
/// double its size).
pub fn render_cyclonedx(o: &Outcome) -> Result<String, crate::RenderError> {
    crate::stream::replay(crate::OutputFormat::Cyclonedx, Default::default(), o)
}

/// One component as the BOM writes it.
pub(crate) fn encode(s: &Screened, as_of: Date, out: &mut Vec<u8>) {
    let _ = serde_json::to_writer(out, &component(s, as_of));
}

/// Keeps the components in a spool: the metadata before them holds the counts.
pub(crate) struct CyclonedxOut<'a> {
    to: Destination<'a>,
    header: Option<Header>,
    components: Spool,
}

impl<'a> CyclonedxOut<'a> {
    pub(crate) fn new(to: Destination<'a>) -> Self {
        Self {
            to,
            header: None,
            components: Spool::default(),
        }
    }
}

impl FormatOut for CyclonedxOut<'_> {
    fn begin(&mut self, h: &Header) -> io::Result<()> {
        self.header = Some(h.clone());
        Ok(())
    }

    fn component(&mut self, _: Verdict, chunk: &[u8]) -> io::Result<()> {
        if !self.components.is_empty() {
            self.components.put(b",")?;
        }
        self.components.put(chunk)
    }

    fn input(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn skipped(&mut self, _: &SkippedFile) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, end: &End) -> io::Result<()> {
        let o = self
            .header
            .take()
            .ok_or_else(|| io::Error::other("BOM ended before it began"))?;
        let mut meta = Vec::new();
        prop(&mut meta, "profile", &o.profile);
        prop(&mut meta, "action", Action::name(o.action));
        prop(&mut meta, "as-of", o.as_of);
        prop(&mut meta, "kb-version", &o.kb_version);
        prop(&mut meta, "kb-hash", &o.kb_hash);
        prop(&mut meta, "algorithm", o.algorithm());
        for (v, n) in end.totals.counts() {
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
            components: Vec::new(),
        };
        let text = serde_json::to_string(&bom).map_err(io::Error::other)?;
        // `components` is the last field and empty: `[]}` ends the text.
        let head = text
            .strip_suffix("[]}")
            .ok_or_else(|| io::Error::other("BOM without its components"))?;
        self.to.write_all(head.as_bytes())?;
        self.to.write_all(b"[")?;
        std::mem::take(&mut self.components).copy_to(&mut self.to)?;
        self.to.write_all(b"]}\n")?;
        self.to.flush()
    }
}
