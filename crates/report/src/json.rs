//! The JSON report, schema `supplyscreen/report/v2` (documented in the README).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use supplyscreen_ingest::Summary;
use supplyscreen_model::{Date, Finding, Verdict};
use supplyscreen_policy::{Action, WaiverStatus};
use supplyscreen_screen::{End, Header, Outcome, Screened, TOOL_VERSION};

use crate::format::RenderOptions;
use crate::prose;
use crate::spool::{Spool, pretty, pretty_into, record_with, records};
use crate::stream::{Destination, FormatOut};

/// The schema name and version of the JSON report.
pub const SCHEMA: &str = "supplyscreen/report/v2";

#[derive(Serialize)]
pub(crate) struct Tool {
    name: &'static str,
    version: &'static str,
    algorithm: &'static str,
}

#[derive(Serialize)]
pub(crate) struct KbInfo<'a> {
    version: &'a str,
    hash: &'a str,
    origin: OriginOut<'a>,
    #[serde(skip_serializing_if = "<[LayerOut<'_>]>::is_empty")]
    layers: Vec<LayerOut<'a>>,
}

/// Where the KB came from: `{"base": "embedded"}` or
/// `{"base": "bundle", "source": ..., "signer": ...}`, with the overlay.
#[derive(Serialize)]
pub(crate) struct OriginOut<'a> {
    base: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overlay: Option<&'a str>,
}

fn origin(o: &supplyscreen_screen::KbOrigin) -> OriginOut<'_> {
    let (base, source, signer) = match &o.base {
        supplyscreen_screen::KbBase::Embedded => ("embedded", None, None),
        supplyscreen_screen::KbBase::Bundle { source, signer } => {
            ("bundle", Some(source.as_str()), Some(signer.as_str()))
        }
    };
    OriginOut {
        base,
        source,
        signer,
        overlay: o.overlay.as_deref(),
    }
}

#[derive(Serialize)]
pub(crate) struct LayerOut<'a> {
    name: &'a str,
    source: &'a str,
    retrieved: &'a str,
    hash: &'a str,
    entities: usize,
}

#[derive(Serialize)]
pub(crate) struct FindingOut<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    /// The finding in words, written from its data.
    reason: String,
}

#[derive(Serialize)]
pub(crate) struct WaiverOut<'a> {
    at: &'a str,
    directive: &'a str,
    approver: &'a str,
    expires: String,
    status: &'static str,
    used: usize,
    expired_matches: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket: Option<&'a str>,
}

#[derive(Serialize)]
struct SkippedFile<'a> {
    path: &'a str,
    reason: &'static str,
}

/// The tool's name, version and identification algorithm.
pub(crate) fn tool(o: &Header) -> Tool {
    Tool {
        name: "supplyscreen",
        version: TOOL_VERSION,
        algorithm: o.algorithm(),
    }
}

/// The KB's version, hash and imported layers.
pub(crate) fn kb_info(o: &Header) -> KbInfo<'_> {
    KbInfo {
        version: &o.kb_version,
        hash: &o.kb_hash,
        origin: origin(&o.kb_origin),
        layers: o
            .kb_layers
            .iter()
            .map(|l| LayerOut {
                name: &l.name,
                source: &l.source,
                retrieved: &l.retrieved,
                hash: &l.hash,
                entities: l.entities,
            })
            .collect(),
    }
}

/// A finding as the JSON report writes it, with its reason in words.
pub(crate) fn finding_out(f: &Finding, as_of: Date) -> FindingOut<'_> {
    FindingOut {
        finding: f,
        reason: prose::reason(f, as_of),
    }
}

/// A waiver and what became of it.
pub(crate) fn waiver_out(w: &WaiverStatus) -> WaiverOut<'_> {
    WaiverOut {
        at: &w.waiver.at,
        directive: w.waiver.directive.as_str(),
        approver: &w.waiver.approver,
        expires: w.waiver.expires.to_string(),
        status: w.state.as_str(),
        used: w.used,
        expired_matches: w.expired_matches,
        ticket: w.waiver.ticket.as_deref(),
    }
}

/// Renders the outcome as pretty-printed JSON with a trailing newline.
pub fn render_json(o: &Outcome) -> Result<String, crate::RenderError> {
    crate::stream::replay(crate::OutputFormat::Json, RenderOptions::default(), o)
}

/// Where array elements of the document sit.
const ELEMENT: &str = "    ";
/// Where the document's fields sit.
const FIELD: &str = "  ";

/// One component: its element of `components` (section 0), then each
/// finding's element of `findings` (section 1).
pub(crate) fn encode(s: &Screened, as_of: Date, out: &mut Vec<u8>) {
    // A value that cannot be serialised leaves no record (none can: the
    // types are plain data).
    let _ = record_with(out, 0, |o| {
        crate::json_line::write_component(s, crate::json_line::Layout::Nested(ELEMENT), o);
        Ok(())
    });
    for f in &s.findings {
        let _ = record_with(out, 1, |o| pretty_into(&finding_out(f, as_of), ELEMENT, o));
    }
}

/// Writes the `supplyscreen/report/v2` document: the header at once, the
/// arrays kept in spools until the end (inputs come before components).
pub(crate) struct JsonOut<'a> {
    to: Destination<'a>,
    profile_assumed: bool,
    inputs: Spool,
    components: Spool,
    findings: Spool,
    skipped: Spool,
}

impl<'a> JsonOut<'a> {
    pub(crate) fn new(to: Destination<'a>, profile_assumed: bool) -> Self {
        Self {
            to,
            profile_assumed,
            inputs: Spool::default(),
            components: Spool::default(),
            findings: Spool::default(),
            skipped: Spool::default(),
        }
    }

    /// Writes `,\n  "key": ` (without the comma for the first field).
    fn key(&mut self, key: &str, first: bool) -> io::Result<()> {
        let sep = if first { "{\n" } else { ",\n" };
        write!(self.to, "{sep}{FIELD}{}: ", serde_json::Value::from(key))
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> io::Result<()> {
        self.key(key, false)?;
        self.to.write_all(&pretty(value, FIELD)?)
    }
}

impl FormatOut for JsonOut<'_> {
    fn begin(&mut self, h: &Header) -> io::Result<()> {
        self.key("schema", true)?;
        self.to.write_all(&pretty(SCHEMA, FIELD)?)?;
        self.field("tool", &tool(h))?;
        self.field("kb", &kb_info(h))?;
        self.field("profile", h.profile.as_str())?;
        if self.profile_assumed {
            self.field("profile_assumed", &true)?;
        }
        self.field("action", Action::name(h.action))?;
        self.field("as_of", &h.as_of.to_string())
    }

    fn component(&mut self, _: Verdict, chunk: &[u8]) -> io::Result<()> {
        for (section, bytes) in records(chunk) {
            match section {
                0 => self.components.element(ELEMENT, bytes)?,
                _ => self.findings.element(ELEMENT, bytes)?,
            }
        }
        Ok(())
    }

    fn input(&mut self, s: &Summary) -> io::Result<()> {
        self.inputs.element(ELEMENT, &pretty(s, ELEMENT)?)
    }

    fn skipped(&mut self, f: &supplyscreen_screen::SkippedFile) -> io::Result<()> {
        let out = SkippedFile {
            path: &f.path,
            reason: f.reason.as_str(),
        };
        self.skipped.element(ELEMENT, &pretty(&out, ELEMENT)?)
    }

    fn end(&mut self, end: &End) -> io::Result<()> {
        for (key, spool) in [
            ("inputs", std::mem::take(&mut self.inputs)),
            ("components", std::mem::take(&mut self.components)),
            ("findings", std::mem::take(&mut self.findings)),
        ] {
            self.key(key, false)?;
            spool.close_array(ELEMENT, &mut self.to)?;
        }
        let waivers: Vec<WaiverOut<'_>> = end.waivers.iter().map(waiver_out).collect();
        self.field("waivers", &waivers)?;
        self.key("skipped_files", false)?;
        std::mem::take(&mut self.skipped).close_array(ELEMENT, &mut self.to)?;
        let summary: BTreeMap<&str, usize> = end
            .totals
            .counts()
            .into_iter()
            .map(|(v, n)| (v.as_str(), n))
            .collect();
        self.field("summary", &summary)?;
        self.to.write_all(b"\n}\n")?;
        self.to.flush()
    }
}
