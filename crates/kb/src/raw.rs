//! The knowledge base's files as written: serde structs that reject unknown
//! keys. Nothing here is checked beyond TOML's types; see `validate`.

use serde::Deserialize;
use supplyscreen_model::{Force, Measure, PartKind, RelationKind, TargetBasis};
use toml::Spanned;

use crate::types::DirectiveKind;

/// A text value with its byte span in the file.
pub type S = Spanned<String>;

/// `kb.toml`: metadata of the KB.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub version: S,
}

/// `entities/*.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntity {
    pub id: S,
    pub name: String,
    pub country: Option<String>,
    pub names: Vec<S>,
    pub sources: Spanned<Vec<String>>,
    #[serde(default)]
    pub identifiers: Vec<RawIdentifier>,
    #[serde(default)]
    pub brands: Vec<RawBrand>,
    #[serde(default)]
    pub part_numbers: Vec<RawPartNumber>,
    #[serde(default)]
    pub relations: Vec<RawRelation>,
    #[serde(default)]
    pub lookalikes: Vec<RawLookalike>,
    /// Names that are common words or other companies' names too.
    #[serde(default)]
    pub weak_names: Vec<S>,
    #[serde(default)]
    pub listings: Vec<RawListing>,
}

/// A listing on a public list that carries no measure of its own here.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawListing {
    pub list: String,
    pub from: S,
    pub source: S,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIdentifier {
    pub scheme: S,
    pub value: S,
    pub label: String,
    pub brand: Option<S>,
    pub source: S,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBrand {
    pub name: S,
    pub source: S,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartNumber {
    pub pattern: S,
    pub kind: Spanned<PartKind>,
    pub brand: Option<S>,
    pub examples: Vec<S>,
    pub source: S,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelation {
    pub kind: Spanned<RelationKind>,
    pub entity: S,
    pub from: Option<S>,
    pub until: Option<S>,
    pub source: S,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLookalike {
    pub name: S,
    pub note: String,
}

/// `imports/<name>.toml`: a layer written by `kb import`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayerFile {
    pub layer: RawLayerMeta,
    #[serde(default)]
    pub entities: Vec<RawEntity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayerMeta {
    pub name: String,
    pub source: String,
    pub retrieved: String,
    pub hash: String,
}

/// `directives/<jurisdiction>/*.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDirective {
    pub id: S,
    pub kind: Option<DirectiveKind>,
    /// The instrument's legal force, and the source that shows it.
    pub force: Spanned<Force>,
    pub force_source: S,
    pub title: String,
    pub authority: String,
    pub jurisdiction: S,
    pub published: Option<S>,
    pub sources: Spanned<Vec<String>>,
    pub binds: RawBinds,
    pub targets: Vec<RawTarget>,
    pub products: Spanned<RawProducts>,
    #[serde(default)]
    pub components: crate::types::Components,
    #[serde(default)]
    pub measures: Vec<RawMeasure>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBinds {
    pub sectors: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub entity: S,
    #[serde(default)]
    pub affiliates: bool,
    /// Whether the instrument names the target or the KB reads it so.
    #[serde(default)]
    pub basis: TargetBasis,
    /// The same for the extension to affiliates (required with `affiliates = true`).
    pub affiliates_basis: Option<Spanned<TargetBasis>>,
    pub products: Option<Spanned<Vec<String>>>,
    pub uses: Option<Spanned<Vec<String>>>,
    pub note: Option<String>,
}

/// `"unspecified"` or a list of product categories.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawProducts {
    Word(String),
    Categories(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeasure {
    pub restricts: Spanned<Measure>,
    pub from: S,
    pub until: Option<S>,
    pub note: Option<String>,
    /// What no source checked confirms about this measure's reach: present,
    /// it makes every finding under the measure a review.
    pub unverified: Option<String>,
    #[serde(default)]
    pub suspended: Vec<RawSuspension>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSuspension {
    pub from: S,
    pub until: Option<S>,
    #[serde(default)]
    pub extension_unknown: bool,
    pub source: S,
    pub note: Option<String>,
}

/// `profiles/*.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub id: S,
    pub title: String,
    pub jurisdictions: Spanned<Vec<String>>,
    pub sectors: Option<Spanned<Vec<String>>>,
}

/// `vocabulary.toml`: the values directives, profiles and inputs may use.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVocabulary {
    #[serde(default)]
    pub jurisdictions: Vec<RawTerm>,
    #[serde(default)]
    pub sectors: Vec<RawTerm>,
    #[serde(default)]
    pub categories: Vec<RawTerm>,
    #[serde(default)]
    pub uses: Vec<RawTerm>,
}

/// One declared value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub id: S,
    pub description: String,
}
