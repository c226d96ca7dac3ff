//! The JSON report, schema `supplyscreen/report/v2` (documented in the README).

use std::collections::BTreeMap;

use serde::Serialize;
use supplyscreen_ingest::Summary;
use supplyscreen_model::{Attribution, Component, ComponentId, Finding, Verdict};
use supplyscreen_policy::{Action, WaiverStatus};
use supplyscreen_screen::{Outcome, Screened, TOOL_VERSION};

use crate::prose;

/// The schema name and version of the JSON report.
pub const SCHEMA: &str = "supplyscreen/report/v2";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    tool: Tool,
    kb: KbInfo<'a>,
    profile: &'a str,
    action: &'static str,
    as_of: String,
    inputs: &'a [Summary],
    components: Vec<ComponentOut<'a>>,
    findings: Vec<FindingOut<'a>>,
    waivers: Vec<WaiverOut<'a>>,
    skipped_files: Vec<SkippedFile<'a>>,
    summary: BTreeMap<&'static str, usize>,
}

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
pub(crate) struct ComponentOut<'a> {
    id: ComponentId,
    verdict: Verdict,
    #[serde(flatten)]
    component: &'a Component,
    attribution: Option<&'a Attribution>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
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
}

#[derive(Serialize)]
struct SkippedFile<'a> {
    path: &'a str,
    reason: &'static str,
}

/// The tool's name, version and identification algorithm.
pub(crate) fn tool(o: &Outcome) -> Tool {
    Tool {
        name: "supplyscreen",
        version: TOOL_VERSION,
        algorithm: o.algorithm(),
    }
}

/// The KB's version, hash and imported layers.
pub(crate) fn kb_info(o: &Outcome) -> KbInfo<'_> {
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

/// A component as the JSON report writes it.
pub(crate) fn component_out(s: &Screened) -> ComponentOut<'_> {
    ComponentOut {
        id: s.id,
        verdict: s.verdict,
        component: &s.component,
        attribution: s.identification.attribution.as_ref(),
        notes: &s.identification.notes,
    }
}

/// A finding as the JSON report writes it, with its reason in words.
pub(crate) fn finding_out<'a>(f: &'a Finding, o: &Outcome) -> FindingOut<'a> {
    FindingOut {
        finding: f,
        reason: prose::reason(f, o.as_of),
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
    }
}

/// Renders the outcome as pretty-printed JSON with a trailing newline.
pub fn render_json(o: &Outcome) -> serde_json::Result<String> {
    let report = Report {
        schema: SCHEMA,
        tool: tool(o),
        kb: kb_info(o),
        profile: o.profile.as_str(),
        action: Action::name(o.action),
        as_of: o.as_of.to_string(),
        inputs: &o.inputs,
        components: o.components.iter().map(component_out).collect(),
        findings: o.findings().map(|f| finding_out(f, o)).collect(),
        waivers: o.waivers.iter().map(waiver_out).collect(),
        skipped_files: o
            .skipped_files
            .iter()
            .map(|f| SkippedFile {
                path: &f.path,
                reason: f.reason.as_str(),
            })
            .collect(),
        summary: o
            .counts()
            .into_iter()
            .map(|(v, n)| (v.as_str(), n))
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&report)?;
    s.push('\n');
    Ok(s)
}
