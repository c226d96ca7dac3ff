//! `kb validate`, `kb list`, `kb search` and `kb import` for people.

use std::fmt::Write as _;

use supplyscreen_screen::{Imported, Kb, KbMatches};

/// The line `kb validate` prints for a KB that loaded: its size and hash.
pub fn render_kb_validated(kb: &Kb) -> String {
    crate::visible::shown(render_kb_validated_raw(kb))
}

fn render_kb_validated_raw(kb: &Kb) -> String {
    let n = |it: usize, what: &str| format!("{it} {what}");
    format!(
        "ok: {}, {}, {} · KB {} {}\n",
        n(kb.entities().count(), "entities"),
        n(kb.directives().count(), "directives"),
        n(kb.profiles().count(), "profiles"),
        kb.version(),
        kb.hash()
    )
}

/// Every entity, directive and profile, one line each (`kb list`).
pub fn render_kb_list(kb: &Kb) -> String {
    crate::visible::shown(render_kb_list_raw(kb))
}

fn render_kb_list_raw(kb: &Kb) -> String {
    let mut s = format!("KB {} {}\n\nentities\n", kb.version(), kb.hash());
    for e in kb.entities() {
        let _ = writeln!(s, "  {:<20} {}", e.id, e.name);
    }
    s.push_str("\ndirectives\n");
    for d in kb.directives() {
        let _ = writeln!(
            s,
            "  {:<28} {} {} {}",
            d.id,
            d.jurisdiction,
            d.published_text(),
            d.title
        );
    }
    s.push_str("\nprofiles\n");
    for p in kb.profiles() {
        let _ = writeln!(s, "  {:<20} {}", p.id, p.title);
    }
    s
}

/// What `kb search TEXT` found, one line per record with its KB line.
pub fn render_kb_search(text: &str, found: &KbMatches<'_>) -> String {
    crate::visible::shown(render_kb_search_raw(text, found))
}

fn render_kb_search_raw(text: &str, found: &KbMatches<'_>) -> String {
    let mut s = String::new();
    for e in &found.entities {
        let layer = e
            .layer
            .as_ref()
            .map(|l| format!(" (imported: {l})"))
            .unwrap_or_default();
        let _ = writeln!(s, "entity {:<28} {}{layer} [{}]", e.id, e.name, e.kb);
    }
    for d in &found.directives {
        let _ = writeln!(s, "directive {:<28} {} [{}]", d.id, d.title, d.kb);
    }
    if s.is_empty() {
        s = format!("nothing in the KB matches {text:?}\n");
    }
    s
}

/// The line `kb import` prints once the layer is written and loads.
pub fn render_kb_imported(i: &Imported) -> String {
    crate::visible::shown(render_kb_imported_raw(i))
}

fn render_kb_imported_raw(i: &Imported) -> String {
    format!(
        "imported {} organisation(s) from {} ({}) into {}\n",
        i.layer.entities,
        i.layer.source,
        i.layer.hash,
        i.written.display()
    )
}
