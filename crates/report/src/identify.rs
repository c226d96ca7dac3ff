//! `supplyscreen identify`: the attribution of free-standing texts, for people
//! (with `--explain`, why) and as JSON.
//!
//! The JSON document is described by the private types below. Its objects are
//! written with their keys in alphabetical order at every depth (the document
//! goes through `serde_json::Value`), as this output always has been.

use serde::Serialize;
use supplyscreen_model::{Attribution, Explanation};
use supplyscreen_screen::{ALGORITHM, IdentifiedText, Kb};

use crate::{render_explanation, render_identified};

/// The identify JSON document.
#[derive(Serialize)]
struct Doc<'a> {
    /// The identification algorithm's version.
    algorithm: &'static str,
    /// The KB attributed against.
    kb: KbStamp<'a>,
    /// One result per text, in the order given.
    results: Vec<Entry<'a>>,
}

/// The KB's version and content hash.
#[derive(Serialize)]
struct KbStamp<'a> {
    hash: &'a str,
    version: &'a str,
}

/// One text's attribution; `explanation` only with `--explain`.
#[derive(Serialize)]
struct Entry<'a> {
    attribution: Option<&'a Attribution>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a Explanation>,
    notes: &'a [String],
    text: &'a str,
}

/// Renders each text's attribution with its evidence (and, when present, the
/// explanation) for people.
pub fn render_identify_table(results: &[IdentifiedText]) -> String {
    results
        .iter()
        .map(|r| {
            let id = &r.identification;
            let mut text = render_identified(
                &r.text,
                id.attribution.as_ref(),
                r.entity_name.as_deref(),
                &id.notes,
            );
            text.extend(r.explanation.as_ref().map(render_explanation));
            text
        })
        .collect()
}

/// Renders the results as a pretty-printed JSON document, stamped with the
/// algorithm and the KB they were attributed with.
pub fn render_identify_json(
    kb: &Kb,
    results: &[IdentifiedText],
) -> Result<String, serde_json::Error> {
    let doc = Doc {
        algorithm: ALGORITHM,
        kb: KbStamp {
            hash: kb.hash(),
            version: kb.version(),
        },
        results: results
            .iter()
            .map(|r| Entry {
                attribution: r.identification.attribution.as_ref(),
                explanation: r.explanation.as_ref(),
                notes: &r.identification.notes,
                text: &r.text,
            })
            .collect(),
    };
    let sorted = serde_json::to_value(doc)?;
    Ok(serde_json::to_string_pretty(&sorted)? + "\n")
}
