//! The vocabulary types of supplyscreen (ARCHITECTURE.md lists them).
//!
//! This crate has no I/O and no policy logic: it defines the values that flow
//! through the pipeline `ingest -> identify -> policy -> report`, and parses
//! the small textual forms (identifiers, dates) once, so that later stages
//! never validate twice.

mod component;
mod date;
mod diagnostic;
mod explain;
mod finding;
mod identifier;
mod ids;
mod judgement;
mod stable_id;
mod vocab;

pub use component::{Component, ComponentKind, Field, FieldRole, Role, SourceLocation};
pub use date::{Date, PartialDate, PartialDateError, parse_iso_date};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use explain::{Explanation, NearMiss, PieceWhy};
pub use finding::{Attribution, Confidence, Evidence, EvidenceKind, KbRef, Measure, Verdict};
pub use identifier::{
    Identifier, IdentifierError, Jep106Code, OuiId, PciVendorId, Scheme, UsbVendorId,
};
pub use ids::{DirectiveId, EntityId, IdError, ProfileId};
pub use judgement::{
    CategorySource, CategoryWord, DateBasis, Doubt, Finding, FindingCode, Hop, MatchedRole,
    ProductScope, RelationKind, SuspensionRef, WaiverEffect, WaiverRef,
};
pub use stable_id::{ComponentId, FindingId};
pub use vocab::{Category, Jurisdiction, PartKind, Sector, Use, VocabError};
