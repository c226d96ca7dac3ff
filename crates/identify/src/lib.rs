//! Attribution: which entity made a component, with evidence and confidence.
//!
//! Identify knows companies and identifiers, nothing about law. Evidence
//! kinds, strongest first: vendor ids (PCI, USB), part-number patterns, JEDEC
//! codes, a name or brand in a maker field, in a model string, in free text.
//! When pieces disagree the strongest wins, the confidence drops to `low` and
//! the disagreement is reported, never hidden.

mod cache;
mod evidence;
mod explain;
mod jedec;
mod names;
mod normalize;
mod parts;

use std::collections::{HashMap, HashSet};

use supplyscreen_kb::Kb;
use supplyscreen_kb::registry::Registry;
use supplyscreen_model::{
    Attribution, Component, ComponentKind, Confidence, EntityId, EvidenceKind, FieldRole,
    Identifier, KbRef, Role, SourceLocation,
};

pub use cache::IdentifyCache;
pub use evidence::{DieBasis, DieMaker};
pub use jedec::{Decoded as JedecDecoded, decode as decode_jedec};
pub use normalize::tokens;
pub use parts::hex_ascii;

use evidence::{Collected, Piece};

/// The version of the identification algorithm, printed in every report.
/// Change it whenever the same input and KB could attribute differently.
pub const ALGORITHM: &str = "identify-3";

/// The result of identifying one component.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identification {
    /// The attribution, or `None` when nothing in the KB matched.
    pub attribution: Option<Attribution>,
    /// Remarks that hold either way (a DRAM-die maker, a JEDEC code not in the KB).
    pub notes: Vec<String>,
    /// The DRAM-die maker, when the input names one beside the module's
    /// maker; judged apart from the attribution.
    pub dies: Option<DieMaker>,
}

/// An identifier owned by an entity, as the matcher keeps it.
#[derive(Debug, Clone)]
struct IdOwner {
    entity: EntityId,
    brand: Option<String>,
    label: String,
    /// What a match on it says in evidence, written once at load.
    matched: String,
    kb: KbRef,
}

/// Attributes components using one knowledge base.
#[derive(Debug)]
pub struct Matcher {
    ids: HashMap<Identifier, IdOwner>,
    parts: parts::PartIndex,
    names: names::NameIndex,
    related: HashSet<(EntityId, EntityId)>,
    /// Entities with DRAM-component part-number patterns.
    dram_makers: HashSet<EntityId>,
    entity_names: HashMap<EntityId, String>,
    registry: Registry,
}

impl Matcher {
    /// Indexes the KB's identifiers, part numbers, names and relations.
    pub fn new(kb: &Kb) -> Self {
        let mut ids = HashMap::new();
        let mut related = HashSet::new();
        for e in kb.entities() {
            for i in &e.identifiers {
                let owner = IdOwner {
                    entity: e.id.clone(),
                    brand: i.brand.clone(),
                    label: i.label.clone(),
                    matched: matched_text(i.id, &i.label),
                    kb: i.kb.clone(),
                };
                ids.insert(i.id, owner);
            }
            for r in &e.relations {
                related.insert((e.id.clone(), r.to.clone()));
                related.insert((r.to.clone(), e.id.clone()));
            }
        }
        for (owned, owner) in kb.imported_ownership() {
            related.insert((owner.clone(), owned.clone()));
            related.insert((owned, owner));
        }
        let parts = parts::PartIndex::build(kb);
        let dram_makers = parts
            .rules()
            .iter()
            .filter(|(_, r)| r.kind == supplyscreen_model::PartKind::MemoryComponent)
            .map(|(e, _)| e.clone())
            .collect();
        Self {
            ids,
            parts,
            dram_makers,
            names: names::NameIndex::build(kb),
            related,
            registry: Registry::default(),
            entity_names: kb
                .entities()
                .map(|e| (e.id.clone(), e.name.clone()))
                .collect(),
        }
    }

    /// Names makers the KB does not know from the system's registries
    /// (pci.ids, usb.ids, oui.txt); they add notes, never attributions.
    pub fn with_registry(mut self, registry: Registry) -> Self {
        self.registry = registry;
        self
    }

    /// Attributes one component.
    pub fn identify(&self, c: &Component) -> Identification {
        let mut got = Collected::default();
        for f in &c.fields {
            if f.value.is_empty() {
                continue;
            }
            match f.role {
                FieldRole::Maker => self.maker_field(&f.name, &f.value, &mut got),
                FieldRole::PartNumber => {
                    // A maker field with the same text has already been read for names.
                    let named = c
                        .fields
                        .iter()
                        .any(|g| g.role == FieldRole::Maker && g.value == f.value);
                    self.part_field(&f.name, &f.value, !named, &mut got);
                }
                FieldRole::Model => {
                    self.text_field(&f.name, &f.value, EvidenceKind::ModelName, &mut got)
                }
                FieldRole::Description => {
                    self.text_field(&f.name, &f.value, EvidenceKind::FreeText, &mut got)
                }
                FieldRole::PciVendor
                | FieldRole::PciSubsystemVendor
                | FieldRole::UsbVendor
                | FieldRole::Oui => self.vendor_field(f.role, &f.name, &f.value, &mut got),
                // The seller is screened as a counterparty, not as the maker.
                FieldRole::Supplier | FieldRole::Other => {}
            }
        }
        got.decide(
            |a, b| a == b || self.related.contains(&(a.clone(), b.clone())),
            |e| self.dram_makers.contains(e),
        )
    }

    /// Attributes a free-standing text, such as `Crucial CT16G4DFRA32A` or `802C`,
    /// read both as a maker field and as a part number.
    pub fn identify_text(&self, text: &str) -> Identification {
        let source = SourceLocation {
            path: "-".into(),
            line: 1,
            locator: None,
        };
        let mut c = Component::new(ComponentKind::Other, Role::Installed, source);
        c.push("text", text, FieldRole::Maker);
        c.push("text", text, FieldRole::PartNumber);
        self.identify(&c)
    }

    fn registry_name(&self, id: Identifier) -> Option<&str> {
        match id {
            Identifier::PciVendor(v) => self.registry.pci(v.0),
            Identifier::UsbVendor(v) => self.registry.usb(v.0),
            Identifier::Oui(v) => self.registry.oui(v.value()),
            Identifier::Jep106(_) => None,
        }
    }

    /// The full name of an entity, for messages.
    pub fn entity_name(&self, id: &EntityId) -> Option<&str> {
        self.entity_names
            .get(id)
            .map(String::as_str)
            .or_else(|| self.names.imported_name(id))
    }

    fn maker_field(&self, field: &str, value: &str, got: &mut Collected<'_>) {
        match jedec::decode(value) {
            Some(d) => self.jedec_evidence(field, value, d, got),
            None => self.name_evidence(field, value, EvidenceKind::Name, got),
        }
    }

    fn jedec_evidence(&self, field: &str, value: &str, d: jedec::Decoded, got: &mut Collected<'_>) {
        let describe =
            |code: supplyscreen_model::Jep106Code| match self.ids.get(&Identifier::Jep106(code)) {
                Some(o) => format!("{} (JEDEC {code})", o.label),
                None => format!("JEDEC {code}, not in the knowledge base"),
            };
        if let Some(die) = d.die.filter(|die| *die != d.maker) {
            got.notes.push(format!(
                "{field} {value}: DRAM-die maker {}; the module maker is {}",
                describe(die),
                describe(d.maker)
            ));
            if let Some(o) = self.ids.get(&Identifier::Jep106(die)) {
                got.dies = Some(DieMaker {
                    entity: o.entity.clone(),
                    basis: DieBasis::JedecDieCode,
                    field: field.to_owned(),
                    value: value.to_owned(),
                    kb: o.kb.clone(),
                });
            }
        }
        let Some(owner) = self.ids.get(&Identifier::Jep106(d.maker)) else {
            got.notes
                .push(format!("{field} {value}: {}", describe(d.maker)));
            return;
        };
        let mut caveats = Vec::new();
        if !d.parity_ok {
            caveats.push("code printed without its parity bit");
        }
        if !d.standard_order {
            caveats.push("bytes printed in swapped order");
        }
        if d.bank_assumed {
            caveats.push("only the code byte printed: bank 1 assumed");
        }
        let confidence = if caveats.is_empty() {
            Confidence::High
        } else {
            Confidence::Medium
        };
        let matched = owner.matched.clone();
        let note = (!caveats.is_empty()).then(|| caveats.join("; "));
        got.add(Piece {
            kind: EvidenceKind::Jep106,
            entity: &owner.entity,
            brand: owner.brand.clone(),
            field,
            value,
            matched,
            kb: owner.kb.clone(),
            note,
            confidence,
        });
    }

    /// Evidence from a vendor-id or OUI field (hex, with or without `0x`).
    fn vendor_field(&self, role: FieldRole, field: &str, value: &str, got: &mut Collected<'_>) {
        let Some((id, kind, confidence, note)) = vendor_id(role, value) else {
            return;
        };
        let Some(o) = self.ids.get(&id) else {
            if let Some(name) = self.registry_name(id) {
                got.notes.push(format!("{field} {value}: {id} is {name} (system registry; not an entity of the knowledge base)"));
            }
            return;
        };
        {
            let matched = o.matched.clone();
            got.add(Piece {
                kind,
                entity: &o.entity,
                brand: o.brand.clone(),
                field,
                value,
                matched,
                kb: o.kb.clone(),
                note: note.map(str::to_owned),
                confidence,
            });
        }
    }

    /// A part-number field: its part number, or failing that a maker's name
    /// or brand written in it (`Crucial`, `4GB DDR3 MICRON`), read as a
    /// model string.
    fn part_field<'m>(&'m self, field: &str, value: &str, names: bool, got: &mut Collected<'m>) {
        for cand in parts::from_part_field(value) {
            if self.part_evidence(field, value, &cand, None, got) {
                return;
            }
        }
        if !names {
            return;
        }
        // Part numbers are single words with digits; a name is words.
        let wordy = value.trim().contains(char::is_whitespace)
            || !value.is_ascii()
            || value.bytes().all(|b| b.is_ascii_alphabetic());
        if wordy {
            self.name_evidence(field, value, EvidenceKind::ModelName, got);
        }
    }

    fn text_field<'m>(
        &'m self,
        field: &str,
        value: &str,
        kind: EvidenceKind,
        got: &mut Collected<'m>,
    ) {
        let note = (kind == EvidenceKind::FreeText).then_some("part number found in free text");
        for cand in parts::from_text(value) {
            if self.part_evidence(field, value, &cand, note, got) {
                break;
            }
        }
        self.name_evidence(field, value, kind, got);
    }

    /// Adds part-number evidence when `cand` matches a pattern.
    fn part_evidence<'m>(
        &'m self,
        field: &str,
        value: &str,
        cand: &parts::Candidate,
        extra: Option<&str>,
        got: &mut Collected<'m>,
    ) -> bool {
        let Some((entity, rule)) = self.parts.find(&cand.text) else {
            return false;
        };
        let matched = [
            &cand.text,
            " matches ",
            rule.regex.as_str(),
            " (",
            rule.kind.as_str(),
            ")",
        ]
        .concat();
        let note = match (cand.note.as_deref(), extra) {
            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
            (a, b) => a.or(b).map(str::to_owned),
        };
        let piece = Piece {
            kind: EvidenceKind::PartNumber,
            entity,
            brand: rule.brand.clone(),
            field,
            value,
            matched,
            kb: rule.kb.clone(),
            note,
            confidence: Confidence::Medium,
        };
        got.add_with_category(piece, Some(&rule.kind));
        true
    }

    fn name_evidence(&self, field: &str, value: &str, kind: EvidenceKind, got: &mut Collected<'_>) {
        let toks = tokens(value);
        let hits = self.names.find(&toks);
        if hits.is_empty() && kind == EvidenceKind::Name {
            self.typo_evidence(field, value, &toks, got);
        }
        for hit in hits {
            let (id, brand) = match &hit.entry.owner {
                names::Owner::Entity { id, brand } => (id, brand),
                names::Owner::Lookalike { of } => {
                    let note = format!(
                        "{field} {value:?}: {:?} is another company, not {of} (look-alike listed at {})",
                        hit.entry.text, hit.entry.kb
                    );
                    got.notes.push(note);
                    continue;
                }
            };
            // In free text a Latin name must be written as a name ("Crucial",
            // not "crucial" the adjective).
            if kind == EvidenceKind::FreeText
                && !toks[hit.start].cjk
                && !toks[hit.start].capitalised
            {
                continue;
            }
            let confidence = match kind {
                EvidenceKind::Name if hit.weak_and_bare(&toks) => Confidence::Low,
                EvidenceKind::Name => Confidence::High,
                EvidenceKind::ModelName => Confidence::Medium,
                _ => Confidence::Low,
            };
            let what = if brand.is_some() { "brand" } else { "name" };
            let matched = format!("{what} {:?}", hit.entry.text);
            got.add(Piece {
                kind,
                entity: id,
                brand: brand.clone(),
                field,
                value,
                matched,
                kb: hit.entry.kb.clone(),
                note: None,
                confidence,
            });
        }
    }
}

impl Matcher {
    /// A maker field with no name in it, one of whose words is one keystroke
    /// away from a distinctive KB name (`Mircon`): low-confidence evidence,
    /// so that it is reviewed unless other evidence agrees.
    fn typo_evidence(
        &self,
        field: &str,
        value: &str,
        toks: &[normalize::Token],
        got: &mut Collected<'_>,
    ) {
        for t in toks.iter().filter(|t| !t.cjk) {
            let Some(entry) = self.names.fuzzy(&t.text) else {
                continue;
            };
            let names::Owner::Entity { id, brand } = &entry.owner else {
                continue;
            };
            got.add(Piece {
                kind: EvidenceKind::FuzzyName,
                entity: id,
                brand: brand.clone(),
                field,
                value,
                matched: format!("{:?} is one keystroke from {:?}", t.text, entry.text),
                kb: entry.kb.clone(),
                note: Some("possible typo: confirm".to_owned()),
                confidence: Confidence::Low,
            });
        }
    }
}

/// How evidence names a matched identifier: `JEDEC bank 1 code 0x2C (Micron
/// Technology)`, `PCI vendor 0x1344 (Micron)`.
fn matched_text(id: Identifier, label: &str) -> String {
    match id {
        Identifier::Jep106(code) => format!(
            "JEDEC bank {} code 0x{:02X} ({label})",
            code.bank(),
            code.code()
        ),
        other => format!("{other} ({label})"),
    }
}

/// Reads a vendor-id or OUI field into an identifier, with the evidence kind,
/// its confidence alone, and a caveat.
fn vendor_id(
    role: FieldRole,
    value: &str,
) -> Option<(Identifier, EvidenceKind, Confidence, Option<&'static str>)> {
    use supplyscreen_model::{OuiId, PciVendorId, UsbVendorId};
    let hex = value
        .trim()
        .trim_start_matches("0x")
        .trim_start_matches("0X");
    let id16 = || u16::from_str_radix(hex, 16).ok().filter(|_| hex.len() == 4);
    Some(match role {
        FieldRole::PciVendor => (
            Identifier::PciVendor(PciVendorId(id16()?)),
            EvidenceKind::PciVendor,
            Confidence::High,
            None,
        ),
        FieldRole::PciSubsystemVendor => (
            Identifier::PciVendor(PciVendorId(id16()?)),
            EvidenceKind::PciVendor,
            Confidence::Medium,
            Some(
                "PCI subsystem vendor: the brand of a device that may be built on another maker's chip",
            ),
        ),
        FieldRole::UsbVendor => (
            Identifier::UsbVendor(UsbVendorId(id16()?)),
            EvidenceKind::UsbVendor,
            Confidence::High,
            None,
        ),
        FieldRole::Oui => (
            Identifier::Oui(OuiId::parse_hex(hex)?),
            EvidenceKind::Oui,
            Confidence::Medium,
            Some(
                "IEEE OUI of the device's world-wide name: the maker, also under an OEM's model name",
            ),
        ),
        _ => return None,
    })
}
