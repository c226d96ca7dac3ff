//! Attributions (who made a component, and why we think so) and findings
//! (what a directive says about it).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Category, EntityId};

/// A place in the knowledge base: file (relative to the KB root) and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KbRef {
    /// File path as the KB names it, e.g. `data/entities/micron.toml`;
    /// shared, so that copying a reference into evidence does not copy it.
    pub file: std::sync::Arc<str>,
    /// 1-based line.
    pub line: u32,
}

impl fmt::Display for KbRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl Serialize for KbRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Kinds of evidence (their rank is `identify`'s evidence ordering, not this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A JEDEC JEP106 manufacturer code.
    Jep106,
    /// A PCI vendor id.
    PciVendor,
    /// A USB vendor id.
    UsbVendor,
    /// An IEEE OUI (WWN, NVMe `ieee`, MAC address).
    Oui,
    /// A documented part-number pattern.
    PartNumber,
    /// An entity name or brand in a maker field.
    Name,
    /// An entity name or brand inside a model string.
    ModelName,
    /// An entity name or brand in free text.
    FreeText,
    /// A one-keystroke typo of a distinctive name (transposed or neighbouring keys).
    FuzzyName,
}

impl EvidenceKind {
    /// The kind's name as reports print it.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Jep106 => "jep106",
            EvidenceKind::PciVendor => "pci-vendor",
            EvidenceKind::UsbVendor => "usb-vendor",
            EvidenceKind::Oui => "ieee-oui",
            EvidenceKind::PartNumber => "part-number",
            EvidenceKind::Name => "name",
            EvidenceKind::ModelName => "model-name",
            EvidenceKind::FreeText => "free-text",
            EvidenceKind::FuzzyName => "fuzzy-name",
        }
    }

    /// True for identifier evidence (JEDEC, PCI, USB).
    pub fn is_identifier(self) -> bool {
        matches!(
            self,
            EvidenceKind::Jep106
                | EvidenceKind::PciVendor
                | EvidenceKind::UsbVendor
                | EvidenceKind::Oui
        )
    }
}

impl fmt::Display for EvidenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of evidence for (or against) an attribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// What kind of evidence.
    pub kind: EvidenceKind,
    /// The entity this piece points to.
    pub entity: EntityId,
    /// The brand it names, if any (`Crucial`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The input field it was read from.
    pub field: String,
    /// The field's value as printed.
    pub value: String,
    /// What matched, in words (`JEDEC bank 1 code 0x2C`, pattern text, name).
    pub matched: String,
    /// The KB line of the rule that decided.
    pub kb: KbRef,
    /// How sure this piece is on its own.
    pub confidence: Confidence,
    /// A caveat (missing parity bit, hex-decoded part number, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How sure an attribution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Weak or contradicted evidence: a person should look.
    Low,
    /// One good piece of evidence with a caveat.
    Medium,
    /// Strong evidence, or agreeing pieces.
    High,
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        })
    }
}

/// The entity a component is attributed to, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// The attributed entity.
    pub entity: EntityId,
    /// The brand, when the evidence names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// The product category the matching part-number pattern implies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// How sure.
    pub confidence: Confidence,
    /// Why the confidence is what it is (`independent kinds of evidence agree`).
    pub reason: std::borrow::Cow<'static, str>,
    /// The evidence for this entity, strongest first.
    pub evidence: Vec<Evidence>,
    /// Evidence pointing at other entities.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Evidence>,
}

/// A restricted action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Buying.
    Purchase,
    /// Keeping in operation (usually until a deadline).
    Operate,
    /// Installing or deploying.
    Deploy,
    /// Importing.
    Import,
    /// Receiving updates.
    Update,
    /// Exporting to the target (export controls: no finding on a component).
    Export,
}

impl Measure {
    /// Every measure, in declaration order.
    pub const ALL: [Measure; 6] = [
        Measure::Purchase,
        Measure::Operate,
        Measure::Deploy,
        Measure::Import,
        Measure::Update,
        Measure::Export,
    ];

    /// The measure's name as the KB writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Purchase => "purchase",
            Measure::Operate => "operate",
            Measure::Deploy => "deploy",
            Measure::Import => "import",
            Measure::Update => "update",
            Measure::Export => "export",
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of a finding, most severe last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Nothing restricts it.
    Clear,
    /// An approved exception covers it.
    Waived,
    /// Uncertain attribution, date or scope: a person should decide.
    Review,
    /// A restricted product is present; act before a deadline or on replacement.
    Restricted,
    /// A prohibited action is planned or was done.
    Violation,
}

impl Verdict {
    /// All verdicts, most severe first.
    pub const ALL: [Verdict; 5] = [
        Verdict::Violation,
        Verdict::Restricted,
        Verdict::Review,
        Verdict::Waived,
        Verdict::Clear,
    ];

    /// The verdict's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clear => "clear",
            Verdict::Waived => "waived",
            Verdict::Review => "review",
            Verdict::Restricted => "restricted",
            Verdict::Violation => "violation",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The legal force of the instrument a directive records: whether it is law
/// (a statute, a regulation, a decision binding the persons it names) or
/// guidance without legal force of its own. Reports say "guidance, not law"
/// for the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Force {
    /// An act of a legislature (an NDAA section, a national law).
    Statute,
    /// A rule of general application made by an agency under a statute
    /// (Code of Federal Regulations, EAR entity-list rules, FCC rules).
    Regulation,
    /// A decision of an authority binding the persons it names or the
    /// operators it addresses (a listing announcement, a review
    /// conclusion, a direction, licence conditions, a countermeasure decision).
    AdministrativeDecision,
    /// A public-law agreement between an authority and the operators it
    /// binds (binding on its parties, not on others).
    Agreement,
    /// Guidance, advice or a policy statement with no legal force of its own.
    Guidance,
    /// An organisation's own rule (a procurement policy): binding on its
    /// staff, not law.
    InternalRule,
}

impl Force {
    /// Every value, in declaration order.
    pub const ALL: [Force; 6] = [
        Force::Statute,
        Force::Regulation,
        Force::AdministrativeDecision,
        Force::Agreement,
        Force::Guidance,
        Force::InternalRule,
    ];

    /// The value as the KB writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Force::Statute => "statute",
            Force::Regulation => "regulation",
            Force::AdministrativeDecision => "administrative-decision",
            Force::Agreement => "agreement",
            Force::Guidance => "guidance",
            Force::InternalRule => "internal-rule",
        }
    }

    /// True when the instrument has legal force of its own.
    pub fn is_law(self) -> bool {
        !matches!(self, Force::Guidance | Force::InternalRule)
    }

    /// True for guidance: it binds nobody, so findings under it are a review.
    pub fn is_guidance(self) -> bool {
        self == Force::Guidance
    }
}

impl fmt::Display for Force {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// On whose word a target (or its extension to affiliates) rests: the
/// instrument names it, or the knowledge base reads the instrument that way.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum TargetBasis {
    /// The instrument names the entity (or, for an extension, says it
    /// reaches subsidiaries, affiliates or branches).
    #[default]
    Named,
    /// The knowledge base's own reading: the instrument does not name it.
    KbReading,
}

impl TargetBasis {
    /// The value as the KB writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetBasis::Named => "named",
            TargetBasis::KbReading => "kb-reading",
        }
    }
}

impl fmt::Display for TargetBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
