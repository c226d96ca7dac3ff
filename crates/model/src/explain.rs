//! Explanations: why an attribution came out as it did, and why an input
//! that matched nothing fell short of the names and patterns nearest to it.

use serde::Serialize;

use crate::{Confidence, EntityId, EvidenceKind, KbRef};

/// Why an identification came out as it did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Explanation {
    /// Each piece of evidence, agreeing first, then conflicting, with why it
    /// counts as much as it does.
    pub pieces: Vec<PieceWhy>,
    /// How the attribution's confidence follows from the pieces and what a
    /// verdict does with it; `None` when nothing matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// For an input nothing matched: the nearest KB names and part-number
    /// patterns, closest first, each with why it fell short.
    pub near_misses: Vec<NearMiss>,
}

/// One piece of evidence and why it weighs what it weighs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PieceWhy {
    /// The kind of evidence.
    pub kind: EvidenceKind,
    /// The entity it points to.
    pub entity: EntityId,
    /// The KB line of the rule.
    pub kb: KbRef,
    /// Its confidence alone.
    pub confidence: Confidence,
    /// It points away from the attributed entity.
    pub conflict: bool,
    /// Why this kind of evidence carries this confidence.
    pub why: String,
}

/// A KB name or pattern close to the input that did not match it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    /// The part of the input compared (a word, the whole text, a part number).
    pub input: String,
    /// The KB name, or the part-number pattern, it came close to.
    pub candidate: String,
    /// Whose name or pattern it is.
    pub entity: EntityId,
    /// Where the name or pattern is written.
    pub kb: KbRef,
    /// How alike the two are, 0 to 100 (normalised Damerau-Levenshtein).
    pub similarity: u8,
    /// Why it is not a match.
    pub why: String,
}
