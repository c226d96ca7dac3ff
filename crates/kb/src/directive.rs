//! Validation of directive files: kind, targets with their product scope and
//! uses, measures with their dates and suspensions.

use supplyscreen_model::{DirectiveId, EntityId, KbRef, Measure, parse_iso_date};
use toml::Spanned;

use crate::raw::{self, S};
use crate::types::*;
use crate::validate::{FileCx, sources_present};

/// Validates a directive file.
pub fn directive(cx: &mut FileCx<'_>, raw: raw::RawDirective) -> Option<Directive> {
    let id = cx.id(&raw.id, DirectiveId::new);
    sources_present(cx, &raw.sources);
    let kind = directive_kind(cx, raw.kind.as_ref());
    let published = raw.published.as_ref().map(|p| date(cx, p));
    if raw.targets.is_empty() {
        cx.error(raw.id.span(), "a directive needs at least one target");
    }
    if raw.measures.is_empty() && kind == DirectiveKind::Restriction {
        cx.error(
            raw.id.span(),
            "a restriction needs at least one [[measures]] entry",
        );
    }
    let targets = raw.targets.iter().filter_map(|t| target(cx, t)).collect();
    let products = products(cx, &raw.products);
    let measures = raw.measures.iter().filter_map(|m| measure(cx, m)).collect();
    Some(Directive {
        id: id?,
        kind,
        title: raw.title,
        authority: raw.authority,
        jurisdiction: raw.jurisdiction.get_ref().clone(),
        published: published.flatten(),
        sources: raw.sources.into_inner(),
        sectors: raw.binds.sectors,
        targets,
        products,
        measures,
        note: raw.note,
        kb: KbRef {
            file: cx.path.into(),
            line: 1,
        },
    })
}

fn date(cx: &mut FileCx<'_>, s: &S) -> Option<supplyscreen_model::Date> {
    match parse_iso_date(s.get_ref()) {
        Ok(d) => Some(d),
        Err(e) => {
            cx.error(s.span(), e.to_string());
            None
        }
    }
}

fn directive_kind(cx: &mut FileCx<'_>, kind: Option<&S>) -> DirectiveKind {
    match kind.map(|k| k.get_ref().as_str()) {
        None | Some("restriction") => DirectiveKind::Restriction,
        Some("export-control") => DirectiveKind::ExportControl,
        Some("countermeasure") => DirectiveKind::Countermeasure,
        Some(other) => {
            let span = kind.map_or(0..0, Spanned::span);
            cx.error(span, format!("unknown directive kind {other:?} (expected restriction, export-control or countermeasure)"));
            DirectiveKind::Restriction
        }
    }
}

/// Checks categories against the vocabulary.
fn categories(cx: &mut FileCx<'_>, span: std::ops::Range<usize>, list: &[String]) {
    for c in list.iter().filter(|c| !CATEGORIES.contains(&c.as_str())) {
        cx.error(
            span.clone(),
            format!(
                "unknown product category {c:?} (known: {})",
                CATEGORIES.join(", ")
            ),
        );
    }
}

fn products(cx: &mut FileCx<'_>, p: &Spanned<raw::RawProducts>) -> Products {
    match p.get_ref() {
        raw::RawProducts::Word(w) if w == "unspecified" => Products::Unspecified,
        raw::RawProducts::Categories(c) if !c.is_empty() => {
            categories(cx, p.span(), c);
            Products::Categories(c.clone())
        }
        _ => {
            cx.error(
                p.span(),
                "products must be \"unspecified\" or a non-empty list of categories",
            );
            Products::Unspecified
        }
    }
}

fn target(cx: &mut FileCx<'_>, t: &raw::RawTarget) -> Option<Target> {
    let entity = cx.id(&t.entity, EntityId::new)?;
    if let Some(p) = &t.products {
        categories(cx, p.span(), p.get_ref());
    }
    Some(Target {
        entity,
        affiliates: t.affiliates,
        products: t.products.as_ref().map(|p| p.get_ref().clone()),
        uses: t.uses.clone(),
        note: t.note.clone(),
        kb: cx.kb_ref(t.entity.span()),
    })
}

fn measure(cx: &mut FileCx<'_>, m: &raw::RawMeasure) -> Option<MeasureRule> {
    let measure = match m.restricts.get_ref().as_str() {
        "purchase" => Measure::Purchase,
        "operate" => Measure::Operate,
        "deploy" => Measure::Deploy,
        "import" => Measure::Import,
        "update" => Measure::Update,
        "export" => Measure::Export,
        other => {
            let msg = format!(
                "unknown measure {other:?} (expected purchase, operate, deploy, import, update or export)"
            );
            cx.error(m.restricts.span(), msg);
            return None;
        }
    };
    let from = date(cx, &m.from);
    let until = m.until.as_ref().map(|u| date(cx, u));
    let suspensions = m
        .suspended
        .iter()
        .filter_map(|s| suspension(cx, s))
        .collect();
    Some(MeasureRule {
        measure,
        from: from?,
        until: until.flatten(),
        suspensions,
        note: m.note.clone(),
        kb: cx.kb_ref(m.restricts.span()),
    })
}

fn suspension(cx: &mut FileCx<'_>, s: &raw::RawSuspension) -> Option<Suspension> {
    let source = cx.require_source(&s.source);
    let from = date(cx, &s.from);
    let until = s.until.as_ref().map(|u| date(cx, u));
    if let (Some(f), Some(Some(u))) = (from, until)
        && u <= f
    {
        cx.error(
            s.from.span(),
            format!("suspension ends ({u}) before it starts ({f})"),
        );
    }
    Some(Suspension {
        from: from?,
        until: until.flatten(),
        source,
        note: s.note.clone(),
        kb: cx.kb_ref(s.from.span()),
    })
}
