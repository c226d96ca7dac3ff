//! The validated knowledge base's records.

use regex::Regex;
use std::collections::BTreeMap;

use supplyscreen_model::{
    Category, Date, DirectiveId, EntityId, Force, Identifier, Jurisdiction, KbRef, Measure,
    PartKind, PartialDate, ProfileId, RelationKind, Sector, TargetBasis, Use,
};

/// A name (or brand, or look-alike) with the KB line that states it.
#[derive(Debug, Clone)]
pub struct Named {
    /// The text as written in the KB.
    pub text: String,
    /// Where it is written.
    pub kb: KbRef,
    /// A remark from the KB (why a look-alike is another company).
    pub note: Option<String>,
}

/// An identifier owned by an entity.
#[derive(Debug, Clone)]
pub struct IdentifierRule {
    /// The identifier.
    pub id: Identifier,
    /// The registry's name for it.
    pub label: String,
    /// The brand it stands for, if narrower than the entity.
    pub brand: Option<String>,
    /// The source of the fact.
    pub source: String,
    /// Where it is written.
    pub kb: KbRef,
}

/// A brand owned by an entity.
#[derive(Debug, Clone)]
pub struct Brand {
    /// The brand name.
    pub name: Named,
    /// The source of the fact.
    pub source: String,
    /// A remark from the KB.
    pub note: Option<String>,
}

/// A documented part-number grammar.
#[derive(Debug, Clone)]
pub struct PartPattern {
    /// The compiled, anchored pattern.
    pub regex: Regex,
    /// What the parts are (`memory-module`, `ssd`, ...).
    pub kind: PartKind,
    /// The brand the parts carry, if any.
    pub brand: Option<String>,
    /// Real part numbers the pattern must match (checked at load).
    pub examples: Vec<String>,
    /// The source of the grammar.
    pub source: String,
    /// How the grammar reads, from the KB.
    pub note: Option<String>,
    /// Where it is written.
    pub kb: KbRef,
}

/// Whether something holds at a date, given partially known dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Certainly.
    Yes,
    /// Certainly not.
    No,
    /// The date falls inside the imprecision of a source date.
    Unsure,
}

/// A dated relation from the entity that carries it to `to`.
#[derive(Debug, Clone)]
pub struct Relation {
    /// What kind.
    pub kind: RelationKind,
    /// The entity it points to.
    pub to: EntityId,
    /// First day it holds (inclusive), if known.
    pub from: Option<PartialDate>,
    /// The day it ends (exclusive), if it ended.
    pub until: Option<PartialDate>,
    /// The source.
    pub source: String,
    /// A remark from the KB (what the dates mean).
    pub note: Option<String>,
    /// Where it is written.
    pub kb: KbRef,
}

impl Relation {
    /// Whether the relation holds on `date`.
    pub fn holds_at(&self, date: Date) -> Holds {
        let started = match self.from {
            None => Holds::Yes,
            Some(f) if date >= f.latest() => Holds::Yes,
            Some(f) if date < f.earliest() => Holds::No,
            Some(_) => Holds::Unsure,
        };
        let running = match self.until {
            None => Holds::Yes,
            Some(u) if date < u.earliest() => Holds::Yes,
            Some(u) if date > u.latest() || matches!(u, PartialDate::Day(_)) => Holds::No,
            Some(_) => Holds::Unsure,
        };
        match (started, running) {
            (Holds::No, _) | (_, Holds::No) => Holds::No,
            (Holds::Yes, Holds::Yes) => Holds::Yes,
            _ => Holds::Unsure,
        }
    }
}

/// A company or organisation.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Its id.
    pub id: EntityId,
    /// Its full legal name.
    pub name: String,
    /// ISO country code, if given.
    pub country: Option<String>,
    /// Names it is known by, in any script.
    pub names: Vec<Named>,
    /// Sources of the names and the entity's existence.
    pub sources: Vec<String>,
    /// Identifiers.
    pub identifiers: Vec<IdentifierRule>,
    /// Brands.
    pub brands: Vec<Brand>,
    /// Part-number grammars.
    pub part_numbers: Vec<PartPattern>,
    /// Dated relations to other entities.
    pub relations: Vec<Relation>,
    /// Names of other companies that contain this entity's names.
    pub lookalikes: Vec<Named>,
    /// Names that are also common words or other companies' names
    /// ("Cubic", "Honor"): they count only when a field holds nothing else
    /// distinctive, and written bare (without a legal form) they are weak
    /// evidence. A name in `names` that reads the same once its legal form
    /// is dropped ("Cubic Corporation") is weak too.
    pub weak_names: Vec<Named>,
    /// Listings on public lists that carry no measure here.
    pub listings: Vec<Listing>,
    /// The imported layer it comes from (`csl`, `opensanctions`), or `None`
    /// for the curated KB.
    pub layer: Option<String>,
    /// Where the entity's file starts.
    pub kb: KbRef,
}

/// A directive's product scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Products {
    /// The directive names no product categories: it covers all.
    Unspecified,
    /// Only these categories.
    Categories(Vec<Category>),
}

/// Whether a directive reaches the target's components inside other makers'
/// products (Micron DRAM dies on a Kingston module).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Components {
    /// Only products attributed to the target are judged.
    #[default]
    No,
    /// The sources do not say: a product containing the target's dies is a review.
    Review,
}

/// An entity a directive targets.
#[derive(Debug, Clone)]
pub struct Target {
    /// The entity.
    pub entity: EntityId,
    /// Whether affiliates (through valid relations) are targeted too.
    pub affiliates: bool,
    /// Whether the instrument names the target or it is the KB's reading.
    pub basis: TargetBasis,
    /// Whether the instrument itself reaches affiliates or it is the KB's
    /// reading (`Named` when `affiliates` is false: nothing is extended).
    pub affiliates_basis: TargetBasis,
    /// Product categories for this target, narrowing the directive's.
    pub products: Option<Vec<Category>>,
    /// Uses the restriction depends on (`public-safety`, ...); `None` for any use.
    pub uses: Option<Vec<Use>>,
    /// A remark from the KB.
    pub note: Option<String>,
    /// Where it is written.
    pub kb: KbRef,
}

/// A period during which a measure is not enforced.
#[derive(Debug, Clone)]
pub struct Suspension {
    /// First day suspended.
    pub from: Date,
    /// First day enforced again, when the source gives it.
    pub until: Option<Date>,
    /// True when no source says whether the suspension was extended past
    /// `until`: from then on the measure's status is unknown (a review).
    pub extension_unknown: bool,
    /// The source.
    pub source: String,
    /// A remark (how the end was derived, what is unverified).
    pub note: Option<String>,
    /// Where it is written.
    pub kb: KbRef,
}

/// One restricted action with its dates.
#[derive(Debug, Clone)]
pub struct MeasureRule {
    /// The action.
    pub measure: Measure,
    /// First day restricted.
    pub from: Date,
    /// Deadline or end, if any.
    pub until: Option<Date>,
    /// Periods during which it is not enforced.
    pub suspensions: Vec<Suspension>,
    /// What no source checked confirms about the measure's reach (a review
    /// at most, never a violation, while it is set).
    pub unverified: Option<String>,
    /// A remark from the KB.
    pub note: Option<String>,
    /// Where it is written.
    pub kb: KbRef,
}

/// What kind of instrument a directive is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DirectiveKind {
    /// Restricts what the bound operators buy, deploy or operate.
    Restriction,
    /// Restricts exports to the targets (Entity List, Unreliable Entity List).
    ExportControl,
    /// A countermeasure or listing without product measures recorded here.
    Countermeasure,
}

/// An entity's listing on a public list that carries no measure here.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The list's name.
    pub list: String,
    /// When the entity was added.
    pub from: PartialDate,
    /// The source.
    pub source: String,
    /// A remark.
    pub note: Option<String>,
    /// Where it is written.
    pub kb: KbRef,
}

/// A restriction issued by an authority.
#[derive(Debug, Clone)]
pub struct Directive {
    /// Its id.
    pub id: DirectiveId,
    /// What kind of instrument.
    pub kind: DirectiveKind,
    /// The instrument's legal force.
    pub force: Force,
    /// The source that shows the legal force (one of `sources`).
    pub force_source: String,
    /// Its title.
    pub title: String,
    /// Who issued it.
    pub authority: String,
    /// ISO country code (or a bloc) of the authority.
    pub jurisdiction: Jurisdiction,
    /// Publication date, when the sources give it.
    pub published: Option<Date>,
    /// Sources, first one cited in findings.
    pub sources: Vec<String>,
    /// Sectors bound; empty means everyone in the jurisdiction.
    pub sectors: Vec<Sector>,
    /// Targeted entities.
    pub targets: Vec<Target>,
    /// Product scope.
    pub products: Products,
    /// Whether the target's components inside other makers' products are reached.
    pub components: Components,
    /// Measures.
    pub measures: Vec<MeasureRule>,
    /// A remark from the KB.
    pub note: Option<String>,
    /// Where the file starts.
    pub kb: KbRef,
}

impl Directive {
    /// The publication date, or a phrase saying it is not recorded.
    pub fn published_text(&self) -> String {
        self.published.map_or_else(
            || "publication date not recorded".to_owned(),
            |d| format!("published {d}"),
        )
    }
}

impl DirectiveKind {
    /// The kind as written in the KB.
    pub fn as_str(self) -> &'static str {
        match self {
            DirectiveKind::Restriction => "restriction",
            DirectiveKind::ExportControl => "export-control",
            DirectiveKind::Countermeasure => "countermeasure",
        }
    }
}

/// An imported public list, as reports cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerInfo {
    /// Its name.
    pub name: String,
    /// Where it came from.
    pub source: String,
    /// When it was imported.
    pub retrieved: String,
    /// SHA-256 of the imported file.
    pub hash: String,
    /// How many entities it holds.
    pub entities: usize,
}

/// Who is screening.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Its id.
    pub id: ProfileId,
    /// A title.
    pub title: String,
    /// Jurisdictions the operator is subject to.
    pub jurisdictions: Vec<Jurisdiction>,
    /// Sectors the operator belongs to.
    pub sectors: Vec<Sector>,
    /// Where the file starts.
    pub kb: KbRef,
}

/// One declared value of a vocabulary.
#[derive(Debug, Clone)]
pub struct Term {
    /// What it means.
    pub description: String,
    /// Where it is declared.
    pub kb: KbRef,
}

/// The closed vocabularies, as `vocabulary.toml` declares them.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Jurisdictions.
    pub jurisdictions: BTreeMap<Jurisdiction, Term>,
    /// Sectors.
    pub sectors: BTreeMap<Sector, Term>,
    /// Product categories.
    pub categories: BTreeMap<Category, Term>,
    /// Uses.
    pub uses: BTreeMap<Use, Term>,
}

impl Vocabulary {
    /// The declared category spelled `text`, if any.
    pub fn category(&self, text: &str) -> Option<Category> {
        let c = Category::new(text).ok()?;
        self.categories.contains_key(&c).then_some(c)
    }

    /// The declared use spelled `text`, if any.
    pub fn use_named(&self, text: &str) -> Option<Use> {
        let u = Use::new(text).ok()?;
        self.uses.contains_key(&u).then_some(u)
    }
}
