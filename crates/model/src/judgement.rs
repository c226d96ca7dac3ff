//! Findings as data: what a directive says about one component, why, on
//! which date, through which relations, and what doubts or exceptions
//! changed the verdict. Prose is written from these values by the report
//! layer only.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::{
    Category, ComponentId, Date, DirectiveId, EntityId, FindingId, Force, Hop, KbRef, Measure,
    TargetBasis, Use, Verdict,
};

/// Which party of a purchase a finding is about: who made the item (product
/// bans restrict what the target made) or who sells it (listings restrict
/// dealings with the target as a counterparty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchedRole {
    /// The maker (manufacturer or brand).
    Maker,
    /// The supplier (seller, vendor, distributor): the counterparty.
    Supplier,
}

impl MatchedRole {
    /// The role's name.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedRole::Maker => "maker",
            MatchedRole::Supplier => "supplier",
        }
    }
}

/// Which date a finding was judged on, and why that one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateBasis {
    /// The purchase line's order date.
    OrderDate,
    /// The installed item's acquisition date.
    AcquisitionDate,
    /// A purchase line without an order date: judged as bought on the screening date.
    AsOfNoOrderDate,
    /// An installed item without an acquisition date: judged on the screening date.
    AsOfNoAcquisitionDate,
}

impl DateBasis {
    /// The basis as a kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrderDate => "order-date",
            Self::AcquisitionDate => "acquisition-date",
            Self::AsOfNoOrderDate => "as-of-no-order-date",
            Self::AsOfNoAcquisitionDate => "as-of-no-acquisition-date",
        }
    }
}

/// The rule of the policy that gave the verdict before doubts, suspensions
/// and waivers: a stable code with a one-line description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingCode {
    /// A purchase dated within the measure's period.
    PurchaseInPeriod,
    /// A purchase dated outside the measure's period.
    PurchaseOutsidePeriod,
    /// A purchase whose installation falls within a deploy measure's period.
    DeployInPeriod,
    /// A purchase outside a deploy measure's period.
    DeployOutsidePeriod,
    /// An installed item acquired on or after the measure's first day.
    AcquiredAfterStart,
    /// An installed item acquired before the measure's first day.
    AcquiredBeforeStart,
    /// An installed item whose acquisition date is unknown.
    AcquisitionDateUnknown,
    /// Operation or updates must stop by a deadline that has not passed.
    DeadlineAhead,
    /// The deadline to stop operating or updating has passed.
    DeadlinePassed,
    /// The maker no longer supplies updates: replace the product.
    UpdatesEnded,
    /// Operation is restricted with no deadline.
    OperationRestricted,
    /// An installed item acquired after the measure had ended.
    AcquiredAfterEnd,
    /// An installed item acquired before the measure, which has since ended.
    MeasureEnded,
}

impl FindingCode {
    /// Every code.
    pub const ALL: [FindingCode; 13] = [
        Self::PurchaseInPeriod,
        Self::PurchaseOutsidePeriod,
        Self::DeployInPeriod,
        Self::DeployOutsidePeriod,
        Self::AcquiredAfterStart,
        Self::AcquiredBeforeStart,
        Self::AcquisitionDateUnknown,
        Self::DeadlineAhead,
        Self::DeadlinePassed,
        Self::UpdatesEnded,
        Self::OperationRestricted,
        Self::AcquiredAfterEnd,
        Self::MeasureEnded,
    ];

    /// The code as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PurchaseInPeriod => "purchase-in-period",
            Self::PurchaseOutsidePeriod => "purchase-outside-period",
            Self::DeployInPeriod => "deploy-in-period",
            Self::DeployOutsidePeriod => "deploy-outside-period",
            Self::AcquiredAfterStart => "acquired-after-start",
            Self::AcquiredBeforeStart => "acquired-before-start",
            Self::AcquisitionDateUnknown => "acquisition-date-unknown",
            Self::DeadlineAhead => "deadline-ahead",
            Self::DeadlinePassed => "deadline-passed",
            Self::UpdatesEnded => "updates-ended",
            Self::OperationRestricted => "operation-restricted",
            Self::AcquiredAfterEnd => "acquired-after-end",
            Self::MeasureEnded => "measure-ended",
        }
    }

    /// One line saying what the code means.
    pub fn description(self) -> &'static str {
        match self {
            Self::PurchaseInPeriod => "the purchase falls within the measure's period",
            Self::PurchaseOutsidePeriod => "the purchase falls outside the measure's period",
            Self::DeployInPeriod => "installing this purchase falls within the measure's period",
            Self::DeployOutsidePeriod => {
                "installing this purchase falls outside the measure's period"
            }
            Self::AcquiredAfterStart => {
                "the installed item was acquired on or after the measure's first day"
            }
            Self::AcquiredBeforeStart => {
                "the installed item predates the measure: keep it, replacements must come from elsewhere"
            }
            Self::AcquisitionDateUnknown => {
                "the acquisition date is unknown, so whether the item predates the measure cannot be told"
            }
            Self::DeadlineAhead => "operation or updates must stop by the measure's deadline",
            Self::DeadlinePassed => "the deadline to stop has passed",
            Self::UpdatesEnded => {
                "the maker no longer supplies updates; the product should be replaced"
            }
            Self::OperationRestricted => "operating the product is restricted",
            Self::AcquiredAfterEnd => "the installed item was acquired after the measure had ended",
            Self::MeasureEnded => {
                "the measure has ended; it no longer restricts the installed item"
            }
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a verdict must be reviewed by a person rather than acted on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "doubt", rename_all = "kebab-case")]
pub enum Doubt {
    /// The attribution's confidence is low (weak or conflicting evidence).
    LowConfidence,
    /// The strongest evidence names another entity; conflicting evidence names this target.
    ConflictingEvidence {
        /// The entity the attribution chose.
        attributed: EntityId,
        /// The entity conflicting evidence points to, judged here.
        judged: EntityId,
    },
    /// A relation's source dates are imprecise around the judged date.
    ImpreciseRelation {
        /// The date judged.
        date: Date,
    },
    /// The directive covers only some categories and the input states none.
    UnstatedCategory {
        /// The categories covered for this target.
        covered: Vec<Category>,
    },
    /// The input states a category the vocabulary does not know.
    UnknownCategory {
        /// The value as stated.
        stated: String,
        /// The categories covered for this target.
        covered: Vec<Category>,
    },
    /// The restriction depends on the item's use and the input states none.
    UnstatedUse {
        /// The uses covered.
        covered: Vec<Use>,
    },
    /// The input states a use the vocabulary does not know.
    UnknownUse {
        /// The value as stated.
        stated: String,
        /// The uses covered.
        covered: Vec<Use>,
    },
    /// The item is another maker's product containing the target's dies; the
    /// directive does not say whether it reaches components.
    ContainsTargetDies {
        /// The maker the item is attributed to.
        attributed: EntityId,
        /// The maker of its dies, judged here.
        dies: EntityId,
    },
    /// The input's date reads both day-first and month-first.
    AmbiguousDate {
        /// The date as written.
        stated: String,
    },
    /// A recorded suspension ended and no source says whether it was extended.
    SuspensionLapsed {
        /// The day the recorded suspension ended.
        until: Date,
        /// Where the suspension is written.
        kb: KbRef,
    },
    /// The instrument is guidance without legal force of its own: it
    /// prohibits nothing by itself, so a person decides what it means here.
    GuidanceNotLaw,
    /// No source checked confirms that the measure reaches this act: the
    /// knowledge base records the listing and what it could not verify.
    UnverifiedMeasure {
        /// What is not verified, as the KB says it.
        what: String,
        /// Where the measure is written.
        kb: KbRef,
    },
    /// The measure was suspended with no end recorded: whether it is enforced today is unknown.
    OpenSuspension {
        /// First day suspended.
        from: Date,
        /// Where the suspension is written.
        kb: KbRef,
    },
}

impl Doubt {
    /// The doubt as a kebab-case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::LowConfidence => "low-confidence",
            Self::ConflictingEvidence { .. } => "conflicting-evidence",
            Self::ImpreciseRelation { .. } => "imprecise-relation",
            Self::UnstatedCategory { .. } => "unstated-category",
            Self::UnknownCategory { .. } => "unknown-category",
            Self::UnstatedUse { .. } => "unstated-use",
            Self::UnknownUse { .. } => "unknown-use",
            Self::OpenSuspension { .. } => "open-suspension",
            Self::SuspensionLapsed { .. } => "suspension-lapsed",
            Self::ContainsTargetDies { .. } => "contains-target-dies",
            Self::AmbiguousDate { .. } => "ambiguous-date",
            Self::GuidanceNotLaw => "guidance-not-law",
            Self::UnverifiedMeasure { .. } => "unverified-measure",
        }
    }

    /// One line saying what the doubt means.
    pub fn description(&self) -> &'static str {
        match self {
            Self::LowConfidence => "the attribution's confidence is low",
            Self::ConflictingEvidence { .. } => "evidence conflicts over who made the item",
            Self::ImpreciseRelation { .. } => {
                "a family relation's dates are imprecise around the judged date"
            }
            Self::UnstatedCategory { .. } => {
                "the directive covers only some product categories and the input states none"
            }
            Self::UnknownCategory { .. } => {
                "the input states a product category the knowledge base does not know"
            }
            Self::UnstatedUse { .. } => {
                "the restriction depends on the item's use and the input states none"
            }
            Self::UnknownUse { .. } => "the input states a use the knowledge base does not know",
            Self::OpenSuspension { .. } => "the measure was suspended with no end recorded",
            Self::SuspensionLapsed { .. } => {
                "a recorded suspension has ended and no source says whether it was extended"
            }
            Self::AmbiguousDate { .. } => {
                "the input's date reads both day-first and month-first, so the date judged is not known"
            }
            Self::ContainsTargetDies { .. } => {
                "the item contains the target's dies; whether the directive reaches components is not stated"
            }
            Self::GuidanceNotLaw => {
                "the instrument is guidance, not law: it prohibits nothing by itself"
            }
            Self::UnverifiedMeasure { .. } => {
                "no source checked confirms that the measure reaches this act"
            }
        }
    }
}

/// Where the component's product category came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CategorySource {
    /// A Category column or field of the input.
    Stated,
    /// The matching part-number pattern's kind.
    PartNumber,
    /// The component's kind (a memory device, a disk).
    Kind,
    /// A word of the KB's category lexicon in a description or model field.
    Lexicon,
}

/// The lexicon word that gave a component its category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryWord {
    /// The word as the lexicon writes it (`router`, `硬盘录像机`).
    pub word: String,
    /// The input field it was found in.
    pub field: String,
    /// Where the word is written in the KB.
    pub kb: crate::KbRef,
}

/// How the component falls within the directive's product scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "scope", rename_all = "kebab-case")]
pub enum ProductScope {
    /// The directive names no product categories: every product of the target is covered.
    Unspecified,
    /// The component's category is one the directive covers.
    Covered {
        /// The category.
        category: Category,
        /// Where it came from.
        source: CategorySource,
        /// The lexicon word, when the category came from one.
        #[serde(skip_serializing_if = "Option::is_none")]
        word: Option<CategoryWord>,
    },
    /// Not decidable from the input; a doubt says why.
    Undecided,
}

/// A suspension of the measure that applied on the date acted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuspensionRef {
    /// First day suspended.
    pub from: Date,
    /// First day enforced again, when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Where it is written.
    pub kb: KbRef,
}

/// Whether a waiver that matched the finding applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverEffect {
    /// It turned the finding to `waived`.
    Applied,
    /// It matched but had expired: the verdict stands.
    Expired,
}

/// The waiver that matched a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverRef {
    /// Where the waiver is written (`waivers.toml:12`).
    pub at: Arc<str>,
    /// Who approved it.
    pub approver: String,
    /// Why.
    pub reason: String,
    /// Last day it applies.
    pub expires: Date,
    /// Applied or expired.
    pub effect: WaiverEffect,
    /// The change or risk ticket that records the approval, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

/// One component judged under one measure of one directive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id: component, directive and measure.
    pub id: FindingId,
    /// The component's stable id.
    pub component: ComponentId,
    /// The directive.
    pub directive: DirectiveId,
    /// The measure.
    pub measure: Measure,
    /// The verdict after doubts, suspension and waiver.
    pub verdict: Verdict,
    /// The rule that gave the verdict from dates alone.
    pub code: FindingCode,
    /// The first day of the measure.
    pub measure_from: Date,
    /// The measure's deadline or end, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure_until: Option<Date>,
    /// The date the verdict was judged at.
    pub judged_at: Date,
    /// Why that date.
    pub date_basis: DateBasis,
    /// The entity judged (the attributed one, or one conflicting evidence names).
    pub entity: EntityId,
    /// The target entity of the directive.
    pub target: EntityId,
    /// Whether the entity was judged as the item's maker or as its supplier.
    pub role: MatchedRole,
    /// True when the input names the company in one column only, so its
    /// role here was assumed (a supplier column taken for the maker, or a
    /// maker taken for the counterparty).
    pub role_assumed: bool,
    /// The relations from `entity` to `target` (empty when they are the same).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<Hop>,
    /// How the component falls within the product scope.
    pub scope: ProductScope,
    /// What made the verdict a review.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<Doubt>,
    /// The suspension that applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspension: Option<SuspensionRef>,
    /// The waiver that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverRef>,
    /// Where the directive's measure is written in the KB.
    pub kb: KbRef,
    /// The directive's first source.
    pub citation: String,
    /// The legal force of the directive's instrument.
    pub force: Force,
    /// Whether the instrument names what was judged (the target, and an
    /// extension to its affiliates when `via` is not empty) or it is the
    /// knowledge base's reading of the instrument.
    pub basis: TargetBasis,
    /// Where the reading is written (the directive's target line), when
    /// `basis` is the knowledge base's reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis_kb: Option<KbRef>,
}
