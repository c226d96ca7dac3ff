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
pub struct Collected {
    items: Vec<(Evidence, Confidence)>,
    pub notes: Vec<String>,
    /// Product categories implied by matching part-number patterns, by entity.
    pub categories: Vec<(EntityId, String)>,
}

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

impl Collected {
    /// Records a piece, once per (kind, entity, field).
    pub fn add(&mut self, p: Piece<'_>) {
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
            note: p.note,
        };
        self.items.push((ev, p.confidence));
    }

    /// Chooses the entity: the strongest piece wins; pieces for the same
    /// entity or a related one agree; the rest are conflicts.
    pub fn decide(self, same_family: impl Fn(&EntityId, &EntityId) -> bool) -> Identification {
        let Collected {
            mut items,
            notes,
            categories,
        } = self;
        items.sort_by_key(|(e, c)| (rank(e.kind), std::cmp::Reverse(*c)));
        let Some((first, _)) = items.first() else {
            return Identification {
                attribution: None,
                notes,
            };
        };
        let winner = first.entity.clone();
        let (agree, conflicts): (Vec<_>, Vec<_>) = items
            .into_iter()
            .partition(|(e, _)| same_family(&winner, &e.entity));
        let confidence = confidence(&agree, &conflicts);
        let brand = agree
            .iter()
            .filter(|(e, _)| e.entity == winner)
            .find_map(|(e, _)| e.brand.clone());
        let category = categories
            .into_iter()
            .find(|(e, _)| same_family(&winner, e))
            .map(|(_, c)| c);
        let attribution = Attribution {
            entity: winner,
            brand,
            category,
            confidence,
            evidence: agree.into_iter().map(|(e, _)| e).collect(),
            conflicts: conflicts.into_iter().map(|(e, _)| e).collect(),
            notes: Vec::new(),
        };
        Identification {
            attribution: Some(attribution),
            notes,
        }
    }
}

/// Agreement of different kinds raises confidence; a strong conflict makes it low.
fn confidence(
    agree: &[(Evidence, Confidence)],
    conflicts: &[(Evidence, Confidence)],
) -> Confidence {
    let strong_conflict = conflicts
        .iter()
        .any(|(e, _)| rank(e.kind) <= rank(EvidenceKind::Name));
    let best = agree
        .iter()
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(Confidence::Low);
    let mut kinds: Vec<EvidenceKind> = agree.iter().map(|(e, _)| e.kind).collect();
    kinds.dedup();
    if strong_conflict {
        Confidence::Low
    } else if kinds.len() >= 2 && agree.iter().any(|(_, c)| *c >= Confidence::Medium) {
        Confidence::High
    } else if conflicts.is_empty() {
        best
    } else {
        best.min(Confidence::Medium)
    }
}
