//! `kb show`: one entity, directive or profile with its sources and KB lines.

use std::fmt::Write as _;

use supplyscreen_model::{Force, TargetBasis};
use supplyscreen_screen::{Directive, Entity, KbItem, Products, Profile, Relation};

/// Renders one KB record (`supplyscreen kb show ID`).
pub fn render_kb_item(item: &KbItem<'_>) -> String {
    crate::visible::shown(render_kb_item_raw(item))
}

fn render_kb_item_raw(item: &KbItem<'_>) -> String {
    match item {
        KbItem::Entity {
            entity: e,
            affiliates,
        } => entity(e, affiliates),
        KbItem::Directive(d) => directive(d),
        KbItem::Profile {
            profile: p,
            bound_by,
        } => profile(p, bound_by),
    }
}

fn entity(e: &Entity, affiliates: &[(&Entity, &Relation)]) -> String {
    let mut s = String::new();
    let country = e.country.as_deref().unwrap_or("?");
    let _ = writeln!(s, "entity {} — {} ({country}) [{}]", e.id, e.name, e.kb);
    for n in &e.names {
        let _ = writeln!(s, "  name {:?} [{}]", n.text, n.kb);
    }
    identifiers(&mut s, e);
    part_numbers(&mut s, e);
    relations(&mut s, e, affiliates);
    for l in &e.listings {
        let _ = writeln!(
            s,
            "  listed on {} from {} [{}]\n    source: {}",
            l.list, l.from, l.kb, l.source
        );
    }
    for l in &e.lookalikes {
        let _ = writeln!(s, "  not this entity: {:?} [{}]", l.text, l.kb);
    }
    for src in &e.sources {
        let _ = writeln!(s, "  source: {src}");
    }
    s
}

/// Identifiers (JEDEC, PCI, USB, OUI) and brands, each with its source.
fn identifiers(s: &mut String, e: &Entity) {
    for i in &e.identifiers {
        let brand = i
            .brand
            .as_ref()
            .map(|b| format!(", brand {b}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  identifier {} {:?}{brand} [{}]\n    source: {}",
            i.id, i.label, i.kb, i.source
        );
    }
    for b in &e.brands {
        let _ = writeln!(
            s,
            "  brand {:?} [{}]\n    source: {}",
            b.name.text, b.name.kb, b.source
        );
    }
}

/// Part-number patterns with their real examples.
fn part_numbers(s: &mut String, e: &Entity) {
    for p in &e.part_numbers {
        let brand = p
            .brand
            .as_ref()
            .map(|b| format!(", brand {b}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  part numbers {} ({}{brand}) [{}]",
            p.regex.as_str(),
            p.kind,
            p.kb
        );
        let _ = writeln!(
            s,
            "    examples: {}\n    source: {}",
            crate::prose::list(&p.examples),
            p.source
        );
    }
}

/// The entity's own relations, then other entities' relations to it.
fn relations(s: &mut String, e: &Entity, affiliates: &[(&Entity, &Relation)]) {
    for r in &e.relations {
        let from = r.from.map(|d| format!(" from {d}")).unwrap_or_default();
        let until = r.until.map(|d| format!(" until {d}")).unwrap_or_default();
        let _ = writeln!(
            s,
            "  relation {} {}{from}{until} [{}]\n    source: {}",
            r.kind.as_str(),
            r.to,
            r.kb,
            r.source
        );
        if let Some(n) = &r.note {
            let _ = writeln!(s, "    note: {n}");
        }
    }
    for (other, r) in affiliates {
        let _ = writeln!(
            s,
            "  affiliate {} {} {} [{}]",
            other.id,
            r.kind.as_str(),
            e.id,
            r.kb
        );
    }
}

fn directive(d: &Directive) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "directive {} ({}) — {} [{}]",
        d.id,
        d.kind.as_str(),
        d.title,
        d.kb
    );
    let _ = writeln!(
        s,
        "  authority: {} ({}), {}",
        d.authority,
        d.jurisdiction,
        d.published_text()
    );
    let sectors = if d.sectors.is_empty() {
        "everyone in the jurisdiction".to_owned()
    } else {
        crate::prose::list(&d.sectors)
    };
    let law = match d.force {
        Force::Guidance => ", not law",
        Force::InternalRule => " (an organisation's own rule), not law",
        _ => "",
    };
    let _ = writeln!(s, "  force: {}{law} — source: {}", d.force, d.force_source);
    let _ = writeln!(s, "  binds: {sectors}");
    targets(&mut s, d);
    let products = match &d.products {
        Products::Unspecified => {
            "unspecified (the directive names no categories: all products)".to_owned()
        }
        Products::Categories(c) => crate::prose::list(c),
    };
    let _ = writeln!(s, "  products: {products}");
    measures(&mut s, d);
    if let Some(n) = &d.note {
        let _ = writeln!(s, "  note: {n}");
    }
    for src in &d.sources {
        let _ = writeln!(s, "  source: {src}");
    }
    s
}

/// Whom and what a directive targets.
fn targets(s: &mut String, d: &Directive) {
    for t in &d.targets {
        let aff = match (t.affiliates, t.affiliates_basis) {
            (false, _) => "",
            (true, TargetBasis::Named) => " with affiliates (named in the instrument)",
            (true, TargetBasis::KbReading) => " with affiliates (the KB's reading)",
        };
        let named = match t.basis {
            TargetBasis::Named => "",
            TargetBasis::KbReading => " (not named in the instrument: the KB's reading)",
        };
        let products = t
            .products
            .as_ref()
            .map(|p| format!(", products {}", crate::prose::list(p)))
            .unwrap_or_default();
        let uses = t
            .uses
            .as_ref()
            .map(|u| format!(", only when used for {}", crate::prose::list(u)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  targets: {}{named}{aff}{products}{uses} [{}]",
            t.entity, t.kb
        );
        if let Some(n) = &t.note {
            let _ = writeln!(s, "    note: {n}");
        }
    }
}

/// A directive's measures with their suspensions.
fn measures(s: &mut String, d: &Directive) {
    for m in &d.measures {
        let until = m.until.map(|u| format!(" until {u}")).unwrap_or_default();
        let _ = writeln!(
            s,
            "  measure: {} restricted from {}{until} [{}]",
            m.measure, m.from, m.kb
        );
        for sp in &m.suspensions {
            let until = sp.until.map_or_else(
                || "with no end recorded".to_owned(),
                |u| format!("until {u}"),
            );
            let _ = writeln!(
                s,
                "    suspended from {} {until} [{}] — source: {}",
                sp.from, sp.kb, sp.source
            );
        }
        if let Some(n) = &m.note {
            let _ = writeln!(s, "    note: {n}");
        }
        if let Some(u) = &m.unverified {
            let _ = writeln!(s, "    not verified (findings are a review): {u}");
        }
    }
}

fn profile(p: &Profile, bound_by: &[&Directive]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "profile {} — {} [{}]", p.id, p.title, p.kb);
    let _ = writeln!(
        s,
        "  jurisdictions: {}",
        crate::prose::list(&p.jurisdictions)
    );
    let _ = writeln!(s, "  sectors: {}", crate::prose::list(&p.sectors));
    for d in bound_by {
        let _ = writeln!(s, "  bound by: {} ({})", d.id, d.title);
    }
    s
}
