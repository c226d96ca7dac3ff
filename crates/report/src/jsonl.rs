//! JSON Lines, schema `supplyscreen/report-lines/v1`: one record per line,
//! each with a `type`: the `report` header first, then every `component`
//! followed by its `finding`s, then each `input`, each `waiver`, and the
//! `summary` last. A consumer can act on each line as it arrives.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use supplyscreen_policy::Action;
use supplyscreen_screen::Outcome;

use crate::json::{KbInfo, Tool, component_out, finding_out, kb_info, tool, waiver_out};

/// The schema name and version of the JSON Lines report.
pub const LINES_SCHEMA: &str = "supplyscreen/report-lines/v1";

#[derive(Serialize)]
struct Line<T: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    body: T,
}

#[derive(Serialize)]
struct Head<'a> {
    schema: &'static str,
    tool: Tool,
    kb: KbInfo<'a>,
    profile: &'a str,
    action: &'static str,
    as_of: String,
}

#[derive(Serialize)]
struct Counts {
    components: usize,
    verdicts: BTreeMap<&'static str, usize>,
}

fn push<T: Serialize>(out: &mut String, kind: &'static str, body: T) -> serde_json::Result<()> {
    let line = serde_json::to_string(&Line { kind, body })?;
    let _ = writeln!(out, "{line}");
    Ok(())
}

/// Renders the outcome as JSON Lines.
pub fn render_jsonl(o: &Outcome) -> serde_json::Result<String> {
    let mut out = String::with_capacity(1024 + 1500 * o.components.len());
    let head = Head {
        schema: LINES_SCHEMA,
        tool: tool(o),
        kb: kb_info(o),
        profile: o.profile.as_str(),
        action: Action::name(o.action),
        as_of: o.as_of.to_string(),
    };
    push(&mut out, "report", head)?;
    for s in &o.components {
        push(&mut out, "component", component_out(s))?;
        for f in &s.findings {
            push(&mut out, "finding", finding_out(f, o))?;
        }
    }
    for i in &o.inputs {
        push(&mut out, "input", i)?;
    }
    for w in &o.waivers {
        push(&mut out, "waiver", waiver_out(w))?;
    }
    let counts = Counts {
        components: o.components.len(),
        verdicts: o
            .counts()
            .into_iter()
            .map(|(v, n)| (v.as_str(), n))
            .collect(),
    };
    push(&mut out, "summary", counts)?;
    Ok(out)
}
