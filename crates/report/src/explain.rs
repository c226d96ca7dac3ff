//! `identify --explain` for people: each piece of evidence with its KB line,
//! confidence and why; the decision; the near misses of an input that
//! matched nothing.

use std::fmt::Write as _;

use supplyscreen_model::Explanation;

/// Renders an explanation, indented under the attribution it explains.
pub fn render_explanation(e: &Explanation) -> String {
    crate::visible::shown(render_explanation_raw(e))
}

fn render_explanation_raw(e: &Explanation) -> String {
    let mut out = String::new();
    if !e.pieces.is_empty() {
        out.push_str("  why:\n");
    }
    for p in &e.pieces {
        let role = if p.conflict {
            format!("conflict, points to {}", p.entity)
        } else {
            p.entity.to_string()
        };
        let _ = writeln!(
            out,
            "    {} ({role}) [{}] confidence {}: {}",
            p.kind, p.kb, p.confidence, p.why
        );
    }
    if let Some(d) = &e.decision {
        let _ = writeln!(out, "  decision: {d}");
    }
    if e.decision.is_none() {
        near_misses(&mut out, e);
    }
    out
}

fn near_misses(out: &mut String, e: &Explanation) {
    if e.near_misses.is_empty() {
        out.push_str("  near misses: none (no KB name or documented part number is close)\n");
        return;
    }
    out.push_str("  near misses, closest first:\n");
    for m in &e.near_misses {
        let _ = writeln!(
            out,
            "    {:?} vs {:?} ({}, {}% alike) [{}]: {}",
            m.input, m.candidate, m.entity, m.similarity, m.kb, m.why
        );
    }
}
