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

/// An approved waiver found expired, and the re-screens that queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverExpiry {
    /// The waiver.
    pub waiver: WaiverId,
    /// Its last day.
    pub expires: String,
    /// Re-screens queued (empty when every stored inventory already had one queued).
    pub rescreens: Vec<crate::ScanId>,
}

/// One waiver in a waiver file's shape.
#[derive(Serialize)]
struct FileWaiver<'a> {
    directive: &'a str,
    reason: &'a str,
    approver: &'a str,
    expires: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket: Option<&'a str>,
    #[serde(rename = "match")]
    matcher: FileMatch<'a>,
}

#[derive(Serialize)]
struct FileMatch<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    part_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    host: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    serial: Option<&'a str>,
}

#[derive(Serialize)]
struct WaiverFile<'a> {
    waivers: Vec<FileWaiver<'a>>,
}

/// The approved waivers among `waivers` as a waiver file (the format of
/// `examples/waivers.toml`: `directive`, `reason`, `approver` (who approved it in the
/// service), `expires`, `ticket`, `match`), in the order given, for the screen's waiver
/// loader. Waivers not approved are left out.
pub fn waivers_toml(waivers: &[StoredWaiver]) -> Result<String, crate::StoreError> {
    let entries = waivers
        .iter()
        .filter(|w| w.status == WaiverStatus::Approved)
        .map(|w| {
            let m = &w.draft.matcher;
            FileWaiver {
                directive: &w.draft.directive,
                reason: &w.draft.reason,
                approver: w.decided_by_name.as_deref().unwrap_or(""),
                expires: w.draft.expires.to_string(),
                ticket: w.draft.ticket.as_deref(),
                matcher: FileMatch {
                    entity: m.entity.as_deref(),
                    part_number: m.part_number.as_deref(),
                    host: m.host.as_deref(),
                    path: m.path.as_deref(),
                    serial: m.serial.as_deref(),
                },
            }
        })
        .collect();
    toml::to_string(&WaiverFile { waivers: entries })
        .map_err(|e| crate::StoreError::Corrupt(format!("encoding waivers: {e}")))
}

/// SHA-256 (hex) of [`waivers_toml`]: what a scan records as its `waivers_hash`.
pub fn waivers_hash(waivers: &[StoredWaiver]) -> Result<String, crate::StoreError> {
    waivers_toml(waivers).map(|text| crate::crypto::sha256_hex(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: i64, status: WaiverStatus, host: Option<&str>) -> StoredWaiver {
        let at = Timestamp::from_second(1_800_000_000).expect("time");
        StoredWaiver {
            id: WaiverId(id),
            draft: WaiverDraft {
                directive: "cn-cac-2023-micron".into(),
                reason: "DIMMs installed before the decision".into(),
                expires: "2027-03-31".parse().expect("date"),
                ticket: None,
                matcher: WaiverMatch {
                    entity: Some("micron".into()),
                    host: host.map(Into::into),
                    ..Default::default()
                },
            },
            status,
            proposed_by: "token:1:li".into(),
            proposed_at: at,
            decided_by: Some("token:2:zhang".into()),
            decided_by_name: Some("Zhang Min".into()),
            decided_at: Some(at),
        }
    }

    #[test]
    fn approved_waivers_become_a_waiver_file() {
        let ws = [
            stored(1, WaiverStatus::Approved, Some("db-07")),
            stored(2, WaiverStatus::Rejected, None),
        ];
        let text = waivers_toml(&ws).expect("toml");
        let doc: toml::Table = text.parse().expect("valid TOML");
        let list = doc["waivers"].as_array().expect("array");
        assert_eq!(list.len(), 1, "{text}");
        let w = list[0].as_table().expect("table");
        let keys: Vec<&str> = w.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["approver", "directive", "expires", "match", "reason"]
        );
        assert_eq!(w["approver"].as_str(), Some("Zhang Min"));
        assert_eq!(w["expires"].as_str(), Some("2027-03-31"));
        assert_eq!(w["match"]["host"].as_str(), Some("db-07"));
        assert_ne!(
            waivers_hash(&ws).expect("hash"),
            waivers_hash(
                &ws[..1]
                    .iter()
                    .cloned()
                    .map(|mut w| {
                        w.draft.matcher.host = None;
                        w
                    })
                    .collect::<Vec<_>>()
            )
            .expect("hash")
        );
    }
}
