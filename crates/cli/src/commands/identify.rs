//! `supplyscreen identify`.

use std::io::Write;

use serde::Serialize;
use supplyscreen_identify::{ALGORITHM, Identification, Matcher};
use supplyscreen_model::{Attribution, Explanation};
use supplyscreen_report::{render_explanation, render_identified};

use super::{CmdResult, emit, load_kb};
use crate::ExitStatus;
use crate::args::{IdentifyArgs, OutputFormat};

#[derive(Serialize)]
struct Out<'a> {
    text: &'a str,
    attribution: Option<&'a Attribution>,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Explanation>,
}

/// Attributes each text and prints the evidence.
pub fn run(
    a: IdentifyArgs,
    env: &crate::Environment,
    out: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let kb = load_kb(a.kb.kb.as_deref())?;
    let matcher = Matcher::new(&kb).with_registry(env.registry.clone());
    let results: Vec<(&str, Identification, Option<Explanation>)> = a
        .texts
        .iter()
        .map(|t| {
            let id = matcher.identify_text(t);
            let why = a.explain.then(|| matcher.explain(t, &id));
            (t.as_str(), id, why)
        })
        .collect();
    let text = match a.format {
        OutputFormat::Json => {
            let items: Vec<Out<'_>> = results
                .iter()
                .map(|(t, i, why)| Out {
                    text: t,
                    attribution: i.attribution.as_ref(),
                    notes: &i.notes,
                    explanation: why.clone(),
                })
                .collect();
            let doc = serde_json::json!({ "algorithm": ALGORITHM, "kb": { "version": kb.version(), "hash": kb.hash() }, "results": items });
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        OutputFormat::Table => results
            .iter()
            .map(|(t, i, why)| {
                let mut text = describe(&matcher, t, i);
                text.extend(why.as_ref().map(render_explanation));
                text
            })
            .collect(),
    };
    emit(out, &text, ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}

fn describe(m: &Matcher, text: &str, id: &Identification) -> String {
    let a = id.attribution.as_ref();
    let name = a.and_then(|a| m.entity_name(&a.entity));
    render_identified(text, a, name, &id.notes)
}
