//! Waivers proposed and decided through the service.

use crate::WaiverId;
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which components a waiver covers (the `match` table of a waiver file; `*` is a
/// wildcard). At least one field must be set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverMatch {
    /// Entity id.
    pub entity: Option<String>,
    /// Part number pattern.
    pub part_number: Option<String>,
    /// Host pattern.
    pub host: Option<String>,
    /// Input path pattern.
    pub path: Option<String>,
    /// Serial number pattern.
    pub serial: Option<String>,
}

/// A waiver as proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverDraft {
    /// The directive it waives.
    pub directive: String,
    /// Why.
    pub reason: String,
    /// Last day it applies.
    pub expires: Date,
    /// The change or risk ticket, when any.
    pub ticket: Option<String>,
    /// Which components it covers.
    #[serde(rename = "match")]
    pub matcher: WaiverMatch,
}

/// Where a waiver is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverStatus {
    /// Waiting for an approver other than the proposer.
    Proposed,
    /// Approved: applied by screens.
    Approved,
    /// Rejected.
    Rejected,
}

impl WaiverStatus {
    /// Every status.
    pub const ALL: [WaiverStatus; 3] = [
        WaiverStatus::Proposed,
        WaiverStatus::Approved,
        WaiverStatus::Rejected,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverStatus::Proposed => "proposed",
            WaiverStatus::Approved => "approved",
            WaiverStatus::Rejected => "rejected",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl fmt::Display for WaiverStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An approver's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Approve: the waiver applies from now on.
    Approve,
    /// Reject.
    Reject,
}

/// A stored waiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredWaiver {
    /// Its id.
    pub id: WaiverId,
    /// What was proposed.
    #[serde(flatten)]
    pub draft: WaiverDraft,
    /// Where it is.
    pub status: WaiverStatus,
    /// Who proposed it ([`crate::Actor::label`]).
    pub proposed_by: String,
    /// When.
    pub proposed_at: Timestamp,
    /// Who decided it, once decided (the waiver's approver when approved).
    pub decided_by: Option<String>,
    /// The decider's name alone (what a waiver file's `approver` holds).
    pub decided_by_name: Option<String>,
    /// When it was decided.
    pub decided_at: Option<Timestamp>,
}

/// What `decide_waiver` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverDecision {
    /// The waiver after the decision.
    pub waiver: StoredWaiver,
    /// Re-screens queued because an approval changed the waivers in force (empty on reject).
    pub rescreens: Vec<crate::ScanId>,
}
