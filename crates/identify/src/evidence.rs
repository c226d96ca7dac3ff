//! Collecting evidence for one component and deciding the attribution.

use supplyscreen_model::{
    Attribution, Confidence, EntityId, Evidence, EvidenceKind, KbRef, PartKind,
};

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
    /// Each piece, once per (kind, entity, field).
    items: Vec<Item<'m>>,
    pub notes: Vec<String>,
}

/// A piece as kept, with the product category a part-number pattern implies.
type Item<'m> = (Evidence, Option<&'m PartKind>);

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
    pub fn add_with_category(&mut self, p: Piece<'_>, category: Option<&'m PartKind>) {
        let dup = self
            .items
            .iter()
            .any(|(e, _)| e.kind == p.kind && &e.entity == p.entity && e.field == p.field);
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
            confidence: p.confidence,
            note: p.note,
        };
        self.items.push((ev, category));
    }

    /// Chooses the entity: the strongest piece wins; pieces for the same
    /// entity or a related one agree; the rest are conflicts.
    pub fn decide(self, same_family: impl Fn(&EntityId, &EntityId) -> bool) -> Identification {
        let Collected { mut items, notes } = self;
        items.sort_by_key(|(e, _)| (rank(e.kind), std::cmp::Reverse(e.confidence)));
        let Some((first, _)) = items.first() else {
            return Identification {
                attribution: None,
                notes,
            };
        };
        let winner = first.entity.clone();
        // In place: what stays agrees with the winner.
        let conflicts: Vec<Evidence> = items
            .extract_if(.., |(e, _)| !same_family(&winner, &e.entity))
            .map(|(e, _)| e)
            .collect();
        let category = items.iter().find_map(|(_, c)| c.map(|k| k.category()));
        let agree: Vec<Evidence> = items.into_iter().map(|(e, _)| e).collect();
        let (confidence, reason) = confidence(&agree, &conflicts);
        let brand = agree
            .iter()
            .filter(|e| e.entity == winner)
            .find_map(|e| e.brand.clone());
        let attribution = Attribution {
            entity: winner,
            brand,
            category,
            confidence,
            reason: reason.into(),
            evidence: agree,
            conflicts,
        };
        Identification {
            attribution: Some(attribution),
            notes,
        }
    }
}

/// The confidence of an attribution and why: agreement of different kinds
/// raises it; a conflict as strong as a maker name makes it low.
fn confidence(agree: &[Evidence], conflicts: &[Evidence]) -> (Confidence, &'static str) {
    let strong_conflict = conflicts
        .iter()
        .any(|e| rank(e.kind) <= rank(EvidenceKind::Name));
    let best = agree
        .iter()
        .map(|e| e.confidence)
        .max()
        .unwrap_or(Confidence::Low);
    let kinds_differ = agree.iter().any(|e| e.kind != agree[0].kind);
    if strong_conflict {
        (
            Confidence::Low,
            "evidence as strong as a maker name points at another company (see conflicts)",
        )
    } else if kinds_differ && agree.iter().any(|e| e.confidence >= Confidence::Medium) {
        (Confidence::High, "independent kinds of evidence agree")
    } else if conflicts.is_empty() {
        (best, "the strongest piece alone; nothing disagrees")
    } else {
        (
            best.min(Confidence::Medium),
            "the strongest piece, capped at medium: weaker evidence points at another company (see conflicts)",
        )
    }
}
