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

/// The maker of a module's DRAM dies, when the input names one beside the
/// module's own maker. Policy can judge it apart from the attribution (a
/// Kingston module with Micron dies is a Kingston product containing Micron
/// components).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DieMaker {
    /// The entity that made the dies.
    pub entity: EntityId,
    /// How the input says so.
    pub basis: DieBasis,
    /// The field that says so.
    pub field: String,
    /// Its value as printed.
    pub value: String,
    /// The KB line of the identifier or name that matched.
    pub kb: KbRef,
}

/// What a [`DieMaker`] rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DieBasis {
    /// The Manufacturer field carries a second JEDEC code, the DRAM-die
    /// maker's (`01980000802C`: Kingston module, Micron dies).
    JedecDieCode,
    /// The maker field names a DRAM maker while the part number is another
    /// company's module (`Micron` beside Kingston `9905...`): firmware that
    /// prints the die maker there; it may also be a wrong table entry.
    MakerField,
}

/// Evidence gathered from a component's fields.
#[derive(Default)]
pub struct Collected<'m> {
    /// Each piece, once per (kind, entity, field).
    items: Vec<Item<'m>>,
    pub notes: Vec<String>,
    /// A DRAM-die maker printed as a JEDEC die code.
    pub dies: Option<DieMaker>,
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
    /// entity or a related one agree; the rest are conflicts, except a maker
    /// field naming a DRAM maker beside another company's memory part number
    /// (see [`Collected::die_claims`]).
    pub fn decide(
        self,
        same_family: impl Fn(&EntityId, &EntityId) -> bool,
        dram_maker: impl Fn(&EntityId) -> bool,
    ) -> Identification {
        let Collected {
            mut items,
            mut notes,
            mut dies,
        } = self;
        items.sort_by_key(|(e, _)| (rank(e.kind), std::cmp::Reverse(e.confidence)));
        let Some((first, _)) = items.first() else {
            return Identification {
                attribution: None,
                notes,
                dies,
            };
        };
        let winner = first.entity.clone();
        // In place: what stays agrees with the winner (and stays first).
        let mut conflicts: Vec<Evidence> = items
            .extract_if(.., |(e, _)| !same_family(&winner, &e.entity))
            .map(|(e, _)| e)
            .collect();
        if let Some((first, Some(kind))) = items.first().filter(|_| !conflicts.is_empty())
            && first.kind == EvidenceKind::PartNumber
            && matches!(kind, PartKind::MemoryModule | PartKind::MemoryComponent)
        {
            let part = (&winner, first.field.as_str(), first.value.as_str(), **kind);
            let claim = die_claims(&mut conflicts, part, &dram_maker, &mut notes);
            dies = dies.or(claim);
        }
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
            dies,
        }
    }
}

/// A memory part number decides over a maker field that names a DRAM maker
/// (a company with DRAM-component patterns in the KB): such pieces leave the
/// conflicts for a note. Beside a module part number the field is read as
/// the DRAM-die maker; beside a DRAM component's own part number it can only
/// be a wrong firmware table entry.
fn die_claims(
    conflicts: &mut Vec<Evidence>,
    (module_maker, part_field, part_number, kind): (&EntityId, &str, &str, PartKind),
    dram_maker: &impl Fn(&EntityId) -> bool,
    notes: &mut Vec<String>,
) -> Option<DieMaker> {
    let mut claim = None;
    // A maker field beside the part number: another field than the part
    // number's (one free text naming both is a plain conflict).
    let from_maker_field = |e: &Evidence| {
        matches!(e.kind, EvidenceKind::Name | EvidenceKind::Jep106) && e.field != part_field
    };
    for e in conflicts.extract_if(.., |e| from_maker_field(e) && dram_maker(&e.entity)) {
        let module = kind == PartKind::MemoryModule;
        let reading = if module {
            "read as the DRAM-die maker (firmware prints it there; it may also be a wrong table entry)"
        } else {
            "a wrong firmware table entry: the part number is the DRAM component itself"
        };
        notes.push(format!(
            "{} {:?} names {}, but part number {} is {}'s ({kind}); the part number decides and the maker field is {reading}",
            e.field, e.value, e.entity, part_number, module_maker
        ));
        if module && claim.is_none() {
            claim = Some(DieMaker {
                entity: e.entity,
                basis: DieBasis::MakerField,
                field: e.field,
                value: e.value,
                kb: e.kb,
            });
        }
    }
    claim
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
