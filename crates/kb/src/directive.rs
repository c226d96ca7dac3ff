//! Validation of directive files: kind, targets with their product scope and
//! uses, measures with their dates and suspensions.

use supplyscreen_model::{
    Category, DirectiveId, EntityId, Jurisdiction, KbRef, Sector, TargetBasis, Use, parse_iso_date,
};
use toml::Spanned;

use crate::raw::{self, S};
use crate::types::*;
use crate::validate::{FileCx, VocabKind, sources_present};

/// Validates a directive file.
pub fn directive(cx: &mut FileCx<'_>, raw: raw::RawDirective) -> Option<Directive> {
    let id = cx.id(&raw.id, DirectiveId::new);
    sources_present(cx, &raw.sources);
    let kind = raw.kind.unwrap_or(DirectiveKind::Restriction);
    let published = raw.published.as_ref().map(|p| date(cx, p));
    let force_source = cx.require_source(&raw.force_source);
    if !raw.sources.get_ref().contains(&force_source) {
        cx.error(
            raw.force_source.span(),
            "force_source must be one of the directive's sources",
        );
    }
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
    let jurisdiction = cx.vocab(
        VocabKind::Jurisdiction,
        raw.jurisdiction.get_ref(),
        raw.jurisdiction.span(),
        Jurisdiction::new,
    );
    let sectors = cx.vocab_list(VocabKind::Sector, raw.binds.sectors.as_ref(), Sector::new);
    Some(Directive {
        id: id?,
        kind,
        force: *raw.force.get_ref(),
        force_source,
        title: raw.title,
        authority: raw.authority,
        jurisdiction: jurisdiction?,
        published: published.flatten(),
        sources: raw.sources.into_inner(),
        sectors,
        targets,
        products,
        components: raw.components,
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

fn products(cx: &mut FileCx<'_>, p: &Spanned<raw::RawProducts>) -> Products {
    match p.get_ref() {
        raw::RawProducts::Word(w) if w == "unspecified" => Products::Unspecified,
        raw::RawProducts::Categories(c) if !c.is_empty() => {
            let span = p.span();
            let cats = c
                .iter()
                .filter_map(|v| cx.vocab(VocabKind::Category, v, span.clone(), Category::new))
                .collect();
            Products::Categories(cats)
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
    let products = t
        .products
        .as_ref()
        .map(|p| cx.vocab_list(VocabKind::Category, Some(p), Category::new));
    let uses = t
        .uses
        .as_ref()
        .map(|u| cx.vocab_list(VocabKind::Use, Some(u), Use::new));
    let affiliates_basis = match (&t.affiliates_basis, t.affiliates) {
        (Some(b), true) => *b.get_ref(),
        (Some(b), false) => {
            cx.error(b.span(), "affiliates_basis needs `affiliates = true`");
            TargetBasis::Named
        }
        (None, true) => {
            cx.error(
                t.entity.span(),
                "`affiliates = true` needs affiliates_basis: \"named\" (the instrument reaches affiliates) or \"kb-reading\"",
            );
            TargetBasis::Named
        }
        (None, false) => TargetBasis::Named,
    };
    Some(Target {
        entity,
        affiliates: t.affiliates,
        basis: t.basis,
        affiliates_basis,
        products,
        uses,
        note: t.note.clone(),
        kb: cx.kb_ref(t.entity.span()),
    })
}

fn measure(cx: &mut FileCx<'_>, m: &raw::RawMeasure) -> Option<MeasureRule> {
    let measure = *m.restricts.get_ref();
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
        unverified: m.unverified.clone(),
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
    if s.extension_unknown && s.until.is_none() {
        cx.error(
            s.from.span(),
            "extension_unknown needs the suspension's `until` date",
        );
    }
    Some(Suspension {
        from: from?,
        until: until.flatten(),
        extension_unknown: s.extension_unknown,
        source,
        note: s.note.clone(),
        kb: cx.kb_ref(s.from.span()),
    })
}
