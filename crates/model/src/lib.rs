//! The vocabulary types of supplyscreen (ARCHITECTURE.md lists them).
//!
//! This crate has no I/O and no policy logic: it defines the values that flow
//! through the pipeline `ingest -> identify -> policy -> report`, and parses
//! the small textual forms (identifiers, dates) once, so that later stages
//! never validate twice.

/// The impls every checked text newtype shares (ids, vocabularies): `as_str`,
/// `Display`, `FromStr` and serde through the type's own `new`.
macro_rules! text_newtype_impls {
    ($name:ident, $err:ty) => {
        impl $name {
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, $err> {
                Self::new(s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::new(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

mod component;
mod date;
mod diagnostic;
mod explain;
mod finding;
mod identifier;
mod ids;
mod judgement;
mod relation;
mod stable_id;
mod vocab;

pub use component::{Component, ComponentKind, Field, FieldRole, Role, SourceLocation};
pub use date::{Date, PartialDate, PartialDateError, parse_iso_date};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use explain::{Explanation, NearMiss, PieceWhy};
pub use finding::{
    Attribution, Confidence, Evidence, EvidenceKind, Force, KbRef, Measure, TargetBasis, Verdict,
};
pub use identifier::{
    Identifier, IdentifierError, Jep106Code, OuiId, PciVendorId, Scheme, UsbVendorId,
};
pub use ids::{DirectiveId, EntityId, IdError, ProfileId};
pub use judgement::{
    CategorySource, CategoryWord, DateBasis, Doubt, Finding, FindingCode, MatchedRole,
    ProductScope, SuspensionRef, WaiverEffect, WaiverRef,
};
pub use relation::{Hop, RelationKind};
pub use stable_id::{ComponentId, FindingId};
pub use vocab::{Category, Jurisdiction, PartKind, Sector, Use, VocabError};
