//! Collecting evidence for one component and deciding the attribution.

use supplyscreen_model::{Attribution, Confidence, EntityId, Evidence, EvidenceKind, KbRef};

use crate::Identification;

/// One piece of evidence as a rule produced it.
pub struct Piece<'a> {
    pub kind: EvidenceKind,
    pub entity: &'a EntityId,
    pub brand: Option<String>,
    pub field: &'a str,
    pub value: &'a str,
    pub matched: String,
    pub kb: KbRef,
    pub note: Option<String>,
    pub confidence: Confidence,
}

/// Evidence gathered from a component's fields.
#[derive(Default)]
pub struct Collected<'m> {
    /// Each piece with its confidence and the product category a matching
    /// part-number pattern implies.
    items: Vec<Item<'m>>,
    pub notes: Vec<String>,
}

/// A piece as kept: evidence, its confidence alone, its product category.
type Item<'m> = (Evidence, Confidence, Option<&'m str>);

/// Strength order used to choose between disagreeing pieces: vendor ids,
/// then part numbers (firmware misreports JEDEC codes, part numbers are
/// printed from the module's own SPD), then JEDEC codes, then names.
fn rank(kind: EvidenceKind) -> u8 {
    match kind {
        EvidenceKind::PciVendor | EvidenceKind::UsbVendor => 0,
        EvidenceKind::PartNumber => 1,
        EvidenceKind::Jep106 | EvidenceKind::Oui => 2,
        EvidenceKind::Name => 3,
        EvidenceKind::ModelName => 4,
        EvidenceKind::FreeText => 5,
        EvidenceKind::FuzzyName => 6,
    }
}

impl<'m> Collected<'m> {
    /// Records a piece, once per (kind, entity, field).
    pub fn add(&mut self, p: Piece<'_>) {
        self.add_with_category(p, None);
    }

    /// Records a piece that also says what kind of product it is.
    pub fn add_with_category(&mut self, p: Piece<'_>, category: Option<&'m str>) {
        let dup = self
            .items
            .iter()
            .any(|(e, ..)| e.kind == p.kind && &e.entity == p.entity && e.field == p.field);
        if dup {
            return;
        }
        let ev = Evidence {
            kind: p.kind,
            entity: p.entity.clone(),
            brand: p.brand,
            field: p.field.to_owned(),
            value: p.value.to_owned(),
            matched: p.matched,
            kb: p.kb,
            note: p.note,
        };
        self.items.push((ev, p.confidence, category));
    }

    /// Chooses the entity: the strongest piece wins; pieces for the same
    /// entity or a related one agree; the rest are conflicts.
    pub fn decide(self, same_family: impl Fn(&EntityId, &EntityId) -> bool) -> Identification {
        let Collected { mut items, notes } = self;
        items.sort_by_key(|(e, c, _)| (rank(e.kind), std::cmp::Reverse(*c)));
        let Some((first, ..)) = items.first() else {
            return Identification {
                attribution: None,
                notes,
            };
        };
        let winner = first.entity.clone();
        // In place: what stays agrees with the winner.
        let conflicts: Vec<_> = items
            .extract_if(.., |(e, ..)| !same_family(&winner, &e.entity))
            .collect();
        let agree = items;
        let confidence = confidence(&agree, &conflicts);
        let brand = agree
            .iter()
            .filter(|(e, ..)| e.entity == winner)
            .find_map(|(e, ..)| e.brand.clone());
        let category = agree.iter().find_map(|(.., c)| c.map(str::to_owned));
        let attribution = Attribution {
            entity: winner,
            brand,
            category,
            confidence,
            evidence: agree.into_iter().map(|(e, ..)| e).collect(),
            conflicts: conflicts.into_iter().map(|(e, ..)| e).collect(),
            notes: Vec::new(),
        };
        Identification {
            attribution: Some(attribution),
            notes,
        }
    }
}

/// Agreement of different kinds raises confidence; a strong conflict makes it low.
fn confidence(agree: &[Item<'_>], conflicts: &[Item<'_>]) -> Confidence {
    let strong_conflict = conflicts
        .iter()
        .any(|(e, ..)| rank(e.kind) <= rank(EvidenceKind::Name));
    let best = agree
        .iter()
        .map(|(_, c, _)| *c)
        .max()
        .unwrap_or(Confidence::Low);
    let kinds_differ = agree.iter().any(|(e, ..)| e.kind != agree[0].0.kind);
    if strong_conflict {
        Confidence::Low
    } else if kinds_differ && agree.iter().any(|(_, c, _)| *c >= Confidence::Medium) {
        Confidence::High
    } else if conflicts.is_empty() {
        best
    } else {
        best.min(Confidence::Medium)
    }
}
