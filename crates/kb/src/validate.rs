//! Turns raw files into validated records, collecting every error with its
//! file and line instead of stopping at the first.

use std::ops::Range;

use regex::Regex;
use supplyscreen_model::{
    Diagnostic, EntityId, Identifier, Jurisdiction, KbRef, PartialDate, ProfileId, Scheme, Sector,
    VocabError,
};
use toml::Spanned;

use crate::raw::{self, S};
use crate::types::*;

/// Which closed vocabulary a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VocabKind {
    /// `[[jurisdictions]]`.
    Jurisdiction,
    /// `[[sectors]]`.
    Sector,
    /// `[[categories]]`.
    Category,
    /// `[[uses]]`.
    Use,
}

/// A vocabulary value used by a directive or profile, checked against
/// `vocabulary.toml` once every file is read.
#[derive(Debug, Clone)]
pub struct VocabUse {
    /// Which vocabulary.
    pub kind: VocabKind,
    /// The value as written.
    pub value: String,
    /// Where it is written.
    pub at: KbRef,
}

/// One file being validated: its display path, text and line index.
pub struct FileCx<'a> {
    pub path: &'a str,
    text: &'a str,
    line_starts: Vec<usize>,
    pub errors: Vec<Diagnostic>,
    /// Vocabulary values the file uses.
    pub vocab: Vec<VocabUse>,
}

impl<'a> FileCx<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            path,
            text,
            line_starts,
            errors: Vec::new(),
            vocab: Vec::new(),
        }
    }

    /// Parses a vocabulary value's spelling and records it for the membership check.
    pub fn vocab<T>(
        &mut self,
        kind: VocabKind,
        value: &str,
        span: Range<usize>,
        parse: fn(&str) -> Result<T, VocabError>,
    ) -> Option<T> {
        match parse(value) {
            Ok(v) => {
                let at = self.kb_ref(span);
                self.vocab.push(VocabUse {
                    kind,
                    value: value.to_owned(),
                    at,
                });
                Some(v)
            }
            Err(e) => {
                self.error(span, e.to_string());
                None
            }
        }
    }

    /// Every value of a spanned list, parsed and recorded.
    pub fn vocab_list<T>(
        &mut self,
        kind: VocabKind,
        list: Option<&Spanned<Vec<String>>>,
        parse: fn(&str) -> Result<T, VocabError>,
    ) -> Vec<T> {
        let Some(list) = list else {
            return Vec::new();
        };
        let span = list.span();
        list.get_ref()
            .iter()
            .filter_map(|v| self.vocab(kind, v, span.clone(), parse))
            .collect()
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        let idx = self.line_starts.partition_point(|&s| s <= offset);
        u32::try_from(idx.max(1)).unwrap_or(u32::MAX)
    }

    pub fn kb_ref(&self, span: Range<usize>) -> KbRef {
        KbRef {
            file: self.path.into(),
            line: self.line_of(span.start),
        }
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let line = self.line_of(span.start);
        self.errors
            .push(Diagnostic::error(self.path, u64::from(line), message));
    }

    /// Parses the file as `T`, recording a TOML or schema error.
    pub fn parse<T: serde::de::DeserializeOwned>(&mut self) -> Option<T> {
        match toml::from_str::<T>(self.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let msg = crate::toml_message(self.text, &e);
                self.error(span, msg);
                None
            }
        }
    }

    pub fn require_source(&mut self, source: &S) -> String {
        if source.get_ref().trim().is_empty() {
            self.error(source.span(), "every fact needs a non-empty source");
        }
        source.get_ref().clone()
    }

    pub fn partial_date(&mut self, s: &Option<S>) -> Option<PartialDate> {
        let s = s.as_ref()?;
        match PartialDate::parse(s.get_ref()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(s.span(), e.to_string());
                None
            }
        }
    }

    pub fn id<T>(
        &mut self,
        s: &S,
        parse: fn(&str) -> Result<T, supplyscreen_model::IdError>,
    ) -> Option<T> {
        match parse(s.get_ref()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(s.span(), e.to_string());
                None
            }
        }
    }
}

fn named(cx: &FileCx<'_>, s: &S) -> Named {
    Named {
        text: s.get_ref().clone(),
        kb: cx.kb_ref(s.span()),
        note: None,
    }
}

/// Validates an entity file.
pub fn entity(cx: &mut FileCx<'_>, raw: raw::RawEntity) -> Option<Entity> {
    let id = cx.id(&raw.id, EntityId::new);
    if raw.names.is_empty() {
        cx.error(raw.id.span(), "an entity needs at least one name");
    }
    sources_present(cx, &raw.sources);
    let identifiers = raw
        .identifiers
        .iter()
        .filter_map(|r| identifier(cx, r))
        .collect();
    let brands = raw
        .brands
        .iter()
        .map(|b| Brand {
            name: named(cx, &b.name),
            source: cx.require_source(&b.source),
            note: b.note.clone(),
        })
        .collect();
    let part_numbers = raw
        .part_numbers
        .iter()
        .filter_map(|p| part_pattern(cx, p))
        .collect();
    let relations = raw
        .relations
        .iter()
        .filter_map(|r| relation(cx, r))
        .collect();
    Some(Entity {
        id: id?,
        name: raw.name,
        country: raw.country,
        names: raw.names.iter().map(|n| named(cx, n)).collect(),
        sources: raw.sources.into_inner(),
        identifiers,
        brands,
        part_numbers,
        relations,
        listings: raw.listings.iter().filter_map(|l| listing(cx, l)).collect(),
        weak_names: raw.weak_names.iter().map(|n| named(cx, n)).collect(),
        layer: None,
        lookalikes: raw
            .lookalikes
            .iter()
            .map(|l| Named {
                note: Some(l.note.clone()),
                ..named(cx, &l.name)
            })
            .collect(),
        kb: KbRef {
            file: cx.path.into(),
            line: 1,
        },
    })
}

pub fn sources_present(cx: &mut FileCx<'_>, sources: &Spanned<Vec<String>>) {
    if sources.get_ref().is_empty() || sources.get_ref().iter().any(|s| s.trim().is_empty()) {
        cx.error(
            sources.span(),
            "sources must list at least one non-empty source",
        );
    }
}

fn listing(cx: &mut FileCx<'_>, l: &raw::RawListing) -> Option<Listing> {
    let source = cx.require_source(&l.source);
    let from = cx.partial_date(&Some(l.from.clone()))?;
    Some(Listing {
        list: l.list.clone(),
        from,
        source,
        note: l.note.clone(),
        kb: cx.kb_ref(l.from.span()),
    })
}

fn identifier(cx: &mut FileCx<'_>, r: &raw::RawIdentifier) -> Option<IdentifierRule> {
    let source = cx.require_source(&r.source);
    let scheme = match Scheme::parse(r.scheme.get_ref()) {
        Ok(s) => s,
        Err(e) => {
            cx.error(r.scheme.span(), e.to_string());
            return None;
        }
    };
    // Hex digits are accepted in either case in the KB.
    let value = match scheme {
        Scheme::Jep106 => r.value.get_ref().to_ascii_uppercase(),
        _ => r.value.get_ref().to_ascii_lowercase(),
    };
    let id = match Identifier::parse(scheme, &value) {
        Ok(id) => id,
        Err(e) => {
            cx.error(r.value.span(), e.to_string());
            return None;
        }
    };
    Some(IdentifierRule {
        id,
        label: r.label.clone(),
        brand: r.brand.as_ref().map(|b| b.get_ref().clone()),
        source,
        kb: cx.kb_ref(r.scheme.span()),
    })
}

fn part_pattern(cx: &mut FileCx<'_>, p: &raw::RawPartNumber) -> Option<PartPattern> {
    let source = cx.require_source(&p.source);
    if !p.pattern.get_ref().starts_with('^') {
        cx.error(
            p.pattern.span(),
            "part-number patterns must be anchored with '^'",
        );
    }
    let regex = match Regex::new(p.pattern.get_ref()) {
        Ok(r) => r,
        Err(e) => {
            cx.error(p.pattern.span(), format!("invalid regex: {e}"));
            return None;
        }
    };
    if p.examples.is_empty() {
        cx.error(
            p.pattern.span(),
            "a part-number pattern needs at least one real example",
        );
    }
    for ex in &p.examples {
        if !regex.is_match(ex.get_ref()) {
            cx.error(
                ex.span(),
                format!("example {:?} does not match its pattern", ex.get_ref()),
            );
        }
    }
    Some(PartPattern {
        regex,
        kind: *p.kind.get_ref(),
        brand: p.brand.as_ref().map(|b| b.get_ref().clone()),
        examples: p.examples.iter().map(|e| e.get_ref().clone()).collect(),
        source,
        note: p.note.clone(),
        kb: cx.kb_ref(p.pattern.span()),
    })
}

fn relation(cx: &mut FileCx<'_>, r: &raw::RawRelation) -> Option<Relation> {
    let source = cx.require_source(&r.source);
    let kind = *r.kind.get_ref();
    let to = cx.id(&r.entity, EntityId::new);
    let from = cx.partial_date(&r.from);
    let until = cx.partial_date(&r.until);
    if let (Some(f), Some(u)) = (from, until)
        && u.latest() < f.earliest()
    {
        cx.error(
            r.kind.span(),
            format!("relation ends ({u}) before it starts ({f})"),
        );
    }
    Some(Relation {
        kind,
        to: to?,
        from,
        until,
        source,
        note: r.note.clone(),
        kb: cx.kb_ref(r.kind.span()),
    })
}

/// Validates a profile file.
pub fn profile(cx: &mut FileCx<'_>, raw: raw::RawProfile) -> Option<Profile> {
    let id = cx.id(&raw.id, ProfileId::new);
    if raw.jurisdictions.get_ref().is_empty() {
        cx.error(raw.id.span(), "a profile needs at least one jurisdiction");
    }
    let jurisdictions = cx.vocab_list(
        VocabKind::Jurisdiction,
        Some(&raw.jurisdictions),
        Jurisdiction::new,
    );
    let sectors = cx.vocab_list(VocabKind::Sector, raw.sectors.as_ref(), Sector::new);
    Some(Profile {
        id: id?,
        title: raw.title,
        jurisdictions,
        sectors,
        kb: KbRef {
            file: cx.path.into(),
            line: 1,
        },
    })
}

/// Validates `vocabulary.toml`.
pub fn vocabulary(cx: &mut FileCx<'_>, raw: raw::RawVocabulary) -> Vocabulary {
    use supplyscreen_model::{Category, Use};
    Vocabulary {
        jurisdictions: terms(cx, &raw.jurisdictions, Jurisdiction::new),
        sectors: terms(cx, &raw.sectors, Sector::new),
        categories: terms(cx, &raw.categories, Category::new),
        uses: terms(cx, &raw.uses, Use::new),
    }
}

fn terms<T: Ord>(
    cx: &mut FileCx<'_>,
    raw: &[raw::RawTerm],
    parse: fn(&str) -> Result<T, VocabError>,
) -> std::collections::BTreeMap<T, Term> {
    let mut out = std::collections::BTreeMap::new();
    for t in raw {
        let value = match parse(t.id.get_ref()) {
            Ok(v) => v,
            Err(e) => {
                cx.error(t.id.span(), e.to_string());
                continue;
            }
        };
        let term = Term {
            description: t.description.clone(),
            kb: cx.kb_ref(t.id.span()),
        };
        if out.insert(value, term).is_some() {
            cx.error(
                t.id.span(),
                format!("{:?} is declared twice", t.id.get_ref()),
            );
        }
    }
    out
}
