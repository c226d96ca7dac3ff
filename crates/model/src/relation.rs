//! Relations between entities, and the hops a finding follows from the
//! attributed entity to a directive's target.

use std::fmt;

use serde::Serialize;

use crate::{EntityId, KbRef, PartialDate};

/// How one entity belongs to another.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    /// Bought by the other entity.
    AcquiredBy,
    /// A subsidiary.
    SubsidiaryOf,
    /// Owned (a brand or company held by the other).
    OwnedBy,
    /// A business unit.
    UnitOf,
}

impl RelationKind {
    /// Every kind.
    pub const ALL: [RelationKind; 4] = [
        Self::AcquiredBy,
        Self::SubsidiaryOf,
        Self::OwnedBy,
        Self::UnitOf,
    ];

    /// The KB spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AcquiredBy => "acquired-by",
            Self::SubsidiaryOf => "subsidiary-of",
            Self::OwnedBy => "owned-by",
            Self::UnitOf => "unit-of",
        }
    }
}

impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One relation followed from the attributed entity towards a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// The entity the relation starts from.
    pub from: EntityId,
    /// The relation.
    pub kind: RelationKind,
    /// The entity it leads to.
    pub to: EntityId,
    /// First day it holds, as precisely as the source gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<PartialDate>,
    /// The day it ended, as precisely as the source gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<PartialDate>,
    /// False when the judged date falls inside the imprecision of one of its dates.
    pub certain: bool,
    /// Where the relation is written.
    pub kb: KbRef,
}
