//! `supplyscreen kb validate|show|list`.

use std::fmt::Write as _;
use std::io::Write;

use supplyscreen_kb::import::{ListFormat, read_list, write_layer};
use supplyscreen_kb::{Directive, Entity, Kb, Products, Profile};

use super::{CmdResult, emit, load_kb};
use crate::args::KbCommand;
use crate::{CliError, ExitStatus};

/// Runs a `kb` subcommand.
pub fn run(cmd: KbCommand, env: &crate::Environment, out: &mut dyn Write) -> CmdResult<ExitStatus> {
    match cmd {
        KbCommand::Validate { dir } => {
            let kb = load_kb(dir.as_deref())?;
            let n = |it: usize, what: &str| format!("{it} {what}");
            let text = format!(
                "ok: {}, {}, {} · KB {} {}\n",
                n(kb.entities().count(), "entities"),
                n(kb.directives().count(), "directives"),
                n(kb.profiles().count(), "profiles"),
                kb.version(),
                kb.hash()
            );
            emit(out, &text, ExitStatus::Clean)?;
        }
        KbCommand::Show { id, kb } => {
            let kb = load_kb(kb.kb.as_deref())?;
            emit(out, &show(&kb, &id)?, ExitStatus::Clean)?;
        }
        KbCommand::List { kb } => {
            let kb = load_kb(kb.kb.as_deref())?;
            emit(out, &list(&kb), ExitStatus::Clean)?;
        }
        KbCommand::Search { text, kb } => {
            let kb = load_kb(kb.kb.as_deref())?;
            emit(out, &search(&kb, &text), ExitStatus::Clean)?;
        }
        KbCommand::Import {
            opensanctions,
            csl,
            into,
        } => {
            let (path, format) = match (opensanctions, csl) {
                (Some(p), _) => (p, ListFormat::OpenSanctions),
                (None, Some(p)) => (p, ListFormat::Csl),
                (None, None) => {
                    return Err(CliError::Usage(
                        "give --opensanctions FILE or --csl FILE".into(),
                    ));
                }
            };
            let layer = read_list(&path, format).map_err(CliError::Import)?;
            let source = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let written = write_layer(&into, &layer, &source, &env.today.to_string())
                .map_err(CliError::WriteLayer)?;
            // The layer must load with the KB before it is reported as imported.
            load_kb(Some(&into))?;
            let msg = format!(
                "imported {} organisation(s) from {} ({}) into {}\n",
                layer.entities.len(),
                source,
                layer.hash,
                written.display()
            );
            emit(out, &msg, ExitStatus::Clean)?;
        }
    }
    Ok(ExitStatus::Clean)
}

/// Entities and directives whose id or names contain `text`.
fn search(kb: &Kb, text: &str) -> String {
    let needle = text.to_lowercase();
    let hit = |s: &str| s.to_lowercase().contains(&needle);
    let mut s = String::new();
    for e in kb
        .entities()
        .filter(|e| hit(e.id.as_str()) || hit(&e.name) || e.names.iter().any(|n| hit(&n.text)))
    {
        let layer = e
            .layer
            .as_ref()
            .map(|l| format!(" (imported: {l})"))
            .unwrap_or_default();
        let _ = writeln!(s, "entity {:<28} {}{layer} [{}]", e.id, e.name, e.kb);
    }
    for d in kb.directives().filter(|d| {
        hit(d.id.as_str()) || hit(&d.title) || d.targets.iter().any(|t| hit(t.entity.as_str()))
    }) {
        let _ = writeln!(s, "directive {:<28} {} [{}]", d.id, d.title, d.kb);
    }
    if s.is_empty() {
        s = format!("nothing in the KB matches {text:?}\n");
    }
    s
}

fn list(kb: &Kb) -> String {
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

fn show(kb: &Kb, id: &str) -> CmdResult<String> {
    if let Some(e) = kb.entities().find(|e| e.id.as_str() == id) {
        return Ok(entity(kb, e));
    }
    if let Some(d) = kb.directives().find(|d| d.id.as_str() == id) {
        return Ok(directive(d));
    }
    if let Some(p) = kb.profiles().find(|p| p.id.as_str() == id) {
        return Ok(profile(kb, p));
    }
    Err(CliError::NotInKb(id.to_owned()))
}

fn entity(kb: &Kb, e: &Entity) -> String {
    let mut s = String::new();
    let country = e.country.as_deref().unwrap_or("?");
    let _ = writeln!(s, "entity {} — {} ({country}) [{}]", e.id, e.name, e.kb);
    for n in &e.names {
        let _ = writeln!(s, "  name {:?} [{}]", n.text, n.kb);
    }
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
            p.examples.join(", "),
            p.source
        );
    }
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
    for other in kb.entities() {
        for r in other.relations.iter().filter(|r| r.to == e.id) {
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

fn directive(d: &Directive) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "directive {} ({}) — {} [{}]",
        d.id,
        d.kind_name(),
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
        d.sectors.join(", ")
    };
    let _ = writeln!(s, "  binds: {sectors}");
    for t in &d.targets {
        let aff = if t.affiliates { " with affiliates" } else { "" };
        let products = t
            .products
            .as_ref()
            .map(|p| format!(", products {}", p.join(", ")))
            .unwrap_or_default();
        let uses = t
            .uses
            .as_ref()
            .map(|u| format!(", only when used for {}", u.join(", ")))
            .unwrap_or_default();
        let _ = writeln!(s, "  targets: {}{aff}{products}{uses} [{}]", t.entity, t.kb);
        if let Some(n) = &t.note {
            let _ = writeln!(s, "    note: {n}");
        }
    }
    let products = match &d.products {
        Products::Unspecified => {
            "unspecified (the directive names no categories: all products)".to_owned()
        }
        Products::Categories(c) => c.join(", "),
    };
    let _ = writeln!(s, "  products: {products}");
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
    }
    if let Some(n) = &d.note {
        let _ = writeln!(s, "  note: {n}");
    }
    for src in &d.sources {
        let _ = writeln!(s, "  source: {src}");
    }
    s
}

fn profile(kb: &Kb, p: &Profile) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "profile {} — {} [{}]", p.id, p.title, p.kb);
    let _ = writeln!(s, "  jurisdictions: {}", p.jurisdictions.join(", "));
    let _ = writeln!(s, "  sectors: {}", p.sectors.join(", "));
    for d in supplyscreen_policy::binding(kb, p) {
        let _ = writeln!(s, "  bound by: {} ({})", d.id, d.title);
    }
    s
}
