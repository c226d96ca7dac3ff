//! `supplyscreen directives` for people: one line per directive, one per measure.

use std::fmt::Write as _;

use supplyscreen_screen::Directive;

/// Renders the directives a filter chose, in the order given.
pub fn render_directives(directives: &[&Directive]) -> String {
    let mut s = String::new();
    for d in directives {
        let _ = writeln!(
            s,
            "{} [{}] {} · {} · {}",
            d.id,
            d.jurisdiction,
            d.title,
            d.authority,
            d.published_text()
        );
        for m in &d.measures {
            let until = m.until.map(|u| format!(" until {u}")).unwrap_or_default();
            let _ = writeln!(s, "  {} restricted from {}{until}", m.measure, m.from);
        }
    }
    if s.is_empty() {
        s.push_str("no directive matches\n");
    }
    s
}
