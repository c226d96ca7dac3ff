//! `supplyscreen directives` for people: one line per directive, one per measure.

use std::fmt::Write as _;

use supplyscreen_screen::{DirectiveView, MeasureStatus};

/// Renders the directives a filter chose, in the order given, with each
/// measure's status on the date asked for.
pub fn render_directives(views: &[DirectiveView<'_>]) -> String {
    crate::visible::shown(render_directives_raw(views))
}

fn render_directives_raw(views: &[DirectiveView<'_>]) -> String {
    let mut s = String::new();
    for v in views {
        let d = v.directive;
        let _ = writeln!(
            s,
            "{} [{}] {} · {} · {}",
            d.id,
            d.jurisdiction,
            d.title,
            d.authority,
            d.published_text()
        );
        if !d.force.is_law() {
            let _ = writeln!(s, "  {}, not law", d.force);
        }
        for (i, m) in d.measures.iter().enumerate() {
            let until = m.until.map(|u| format!(" until {u}")).unwrap_or_default();
            let status = v
                .statuses
                .as_ref()
                .and_then(|st| st.get(i))
                .map(status)
                .unwrap_or_default();
            let reach = m
                .unverified
                .as_ref()
                .map(|u| format!(" · reach not verified ({u}): findings are a review"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "  {} restricted from {}{until}{status}{reach}",
                m.measure, m.from
            );
        }
    }
    if s.is_empty() {
        s.push_str("no directive matches\n");
    }
    s
}

/// A measure's status as a suffix of its line.
fn status(st: &MeasureStatus) -> String {
    match st {
        MeasureStatus::InForce => " · in force".into(),
        MeasureStatus::NotYet => " · not yet in force".into(),
        MeasureStatus::Ended => " · ended".into(),
        MeasureStatus::Suspended {
            from,
            until: Some(u),
        } => {
            format!(" · SUSPENDED from {from} until {u}")
        }
        MeasureStatus::Suspended { from, until: None } => {
            format!(" · SUSPENDED from {from}, no end recorded")
        }
        MeasureStatus::Unknown { since } => format!(
            " · status unknown: the recorded suspension ended on {since} and no source recorded here says whether it was extended"
        ),
    }
}
