//! The vocabulary types of supplyscreen (see DESIGN.md section 2).
//!
//! This crate has no I/O and no policy logic: it defines the values that flow
//! through the pipeline `ingest -> identify -> policy -> report`, and parses
//! the small textual forms (identifiers, dates) once, so that later stages
//! never validate twice.

mod component;
mod date;
mod explain;
mod finding;
mod identifier;
mod ids;

pub use component::{Component, ComponentKind, Field, FieldRole, Role, SourceLocation};
pub use date::{Date, PartialDate, PartialDateError, parse_iso_date};
pub use explain::{Explanation, NearMiss, PieceWhy};
pub use finding::{
    Attribution, Confidence, Evidence, EvidenceKind, Finding, KbRef, Measure, Verdict,
};
pub use identifier::{
    Identifier, IdentifierError, Jep106Code, OuiId, PciVendorId, Scheme, UsbVendorId,
};
pub use ids::{DirectiveId, EntityId, IdError, ProfileId};
