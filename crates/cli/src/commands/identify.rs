//! `supplyscreen identify`.

use std::io::Write;

use serde::Serialize;
use supplyscreen_identify::{ALGORITHM, Identification, Matcher};
use supplyscreen_model::Attribution;
use supplyscreen_report::render_identified;

use super::{CmdResult, emit, load_kb};
use crate::EXIT_OK;
use crate::args::{IdentifyArgs, OutputFormat};

#[derive(Serialize)]
struct Out<'a> {
    text: &'a str,
    attribution: Option<&'a Attribution>,
    notes: &'a [String],
}

/// Attributes each text and prints the evidence.
pub fn run(a: IdentifyArgs, env: &crate::Environment, out: &mut dyn Write) -> CmdResult<u8> {
    let kb = load_kb(a.kb.kb.as_deref())?;
    let matcher = Matcher::new(&kb).with_registry(env.registry.clone());
    let results: Vec<(&str, Identification)> = a
        .texts
        .iter()
        .map(|t| (t.as_str(), matcher.identify_text(t)))
        .collect();
    let text = match a.format {
        OutputFormat::Json => {
            let items: Vec<Out<'_>> = results
                .iter()
                .map(|(t, i)| Out {
                    text: t,
                    attribution: i.attribution.as_ref(),
                    notes: &i.notes,
                })
                .collect();
            let doc = serde_json::json!({ "algorithm": ALGORITHM, "kb": { "version": kb.version(), "hash": kb.hash() }, "results": items });
            serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())? + "\n"
        }
        OutputFormat::Table => results
            .iter()
            .map(|(t, i)| describe(&matcher, t, i))
            .collect(),
    };
    emit(out, &text)?;
    Ok(EXIT_OK)
}

fn describe(m: &Matcher, text: &str, id: &Identification) -> String {
    let a = id.attribution.as_ref();
    let name = a.and_then(|a| m.entity_name(&a.entity));
    render_identified(text, a, name, &id.notes)
}
