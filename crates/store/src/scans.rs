//! Uploaded inventories, scans, findings and re-screens.

use crate::{ScanId, UploadId, WaiverId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The largest upload the store accepts (the server should refuse earlier).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

/// How many times a scan is claimed before it is failed for good.
pub const MAX_ATTEMPTS: u32 = 5;

/// An inventory to store and screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The file name given (`?name=`), used for format detection and display.
    pub name: String,
    /// The host it describes (`?host=`), when given.
    pub host: Option<String>,
    /// The profile to screen against (`?profile=`).
    pub profile: String,
    /// The action screened (`?action=`, e.g. `install`, `buy`).
    pub action: String,
    /// The file's bytes.
    pub body: Vec<u8>,
}

/// What `add_upload` stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadReceipt {
    /// The stored inventory.
    pub upload: UploadId,
    /// Its first scan (queued).
    pub scan: ScanId,
    /// SHA-256 of the body (lowercase hex), computed by the store.
    pub sha256: String,
}

/// Where a scan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScanStatus {
    /// Waiting for a worker.
    Queued,
    /// Leased to a worker.
    Running,
    /// Finished with a report.
    Done,
    /// Failed for good (unreadable input, or too many attempts).
    Failed,
}

impl ScanStatus {
    /// Every status.
    pub const ALL: [ScanStatus; 4] = [
        ScanStatus::Queued,
        ScanStatus::Running,
        ScanStatus::Done,
        ScanStatus::Failed,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ScanStatus::Queued => "queued",
            ScanStatus::Running => "running",
            ScanStatus::Done => "done",
            ScanStatus::Failed => "failed",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl fmt::Display for ScanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a scan was queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ScanCause {
    /// The inventory was uploaded.
    Upload,
    /// The knowledge base changed to this hash.
    KbChanged {
        /// The new KB hash.
        kb_hash: String,
    },
    /// A waiver was approved.
    WaiverApproved {
        /// The waiver.
        waiver: WaiverId,
    },
    /// An approved waiver expired: the findings it covered stand again.
    WaiverExpired {
        /// The waiver.
        waiver: WaiverId,
    },
    /// Asked for by an operator or a schedule.
    Requested {
        /// Why, in words.
        note: String,
    },
}

/// A scan leased to a worker, with everything needed to run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedScan {
    /// The scan.
    pub scan: ScanId,
    /// The inventory.
    pub upload: UploadId,
    /// File name.
    pub name: String,
    /// Host, when given.
    pub host: Option<String>,
    /// Profile.
    pub profile: String,
    /// Action.
    pub action: String,
    /// The inventory's bytes.
    pub body: Vec<u8>,
    /// 1 for the first claim, 2 when a lease expired once, ...
    pub attempt: u32,
    /// Why it was queued.
    pub cause: ScanCause,
    /// Until when the lease holds (renew with `extend_lease` for long scans).
    pub lease_until: Timestamp,
}

/// Counts of a finished scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanSummary {
    /// Components read.
    pub components: u64,
    /// Findings.
    pub findings: u64,
    /// Findings per verdict name.
    pub by_verdict: BTreeMap<String, u64>,
}

/// One finding as the findings table holds it (filled by the worker from the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingDraft {
    /// The report's stable finding id.
    pub finding_id: String,
    /// The report's stable component id.
    pub component_id: String,
    /// Verdict name as in the JSON report.
    pub verdict: String,
    /// Directive id.
    pub directive: String,
    /// Attributed entity id, when any.
    pub entity: Option<String>,
    /// Supplier (from the input's columns), when known.
    pub supplier: Option<String>,
    /// The component's host (from the input's host column), used when the
    /// upload names none; read back as [`FindingRow::host`].
    #[serde(skip)]
    pub host: Option<String>,
    /// The finding's JSON object from the report, for drill-down.
    pub detail: serde_json::Value,
}

/// A finding row with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRow {
    /// The scan that produced it.
    pub scan: ScanId,
    /// The inventory.
    pub upload: UploadId,
    /// The host: the upload's when it named one, else the component's.
    pub host: Option<String>,
    /// The finding.
    #[serde(flatten)]
    pub finding: FindingDraft,
}

/// The result of a scan, handed to `finish_scan`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanResult {
    /// The report document (the CLI's JSON format).
    pub report_json: String,
    /// Its counts.
    pub summary: ScanSummary,
    /// Its findings.
    pub findings: Vec<FindingDraft>,
    /// Hash of the KB screened against.
    pub kb_hash: String,
    /// Hash of the approved waivers applied.
    pub waivers_hash: String,
}

/// A scan as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanInfo {
    /// The scan.
    pub id: ScanId,
    /// The inventory.
    pub upload: UploadId,
    /// File name.
    pub name: String,
    /// Host, when given.
    pub host: Option<String>,
    /// Profile.
    pub profile: String,
    /// Action.
    pub action: String,
    /// Where it is.
    pub status: ScanStatus,
    /// Why it was queued.
    pub cause: ScanCause,
    /// Claims so far.
    pub attempt: u32,
    /// When it was queued.
    pub queued_at: Timestamp,
    /// When it finished or failed.
    pub finished_at: Option<Timestamp>,
    /// Counts, when done.
    pub summary: Option<ScanSummary>,
    /// KB hash, when done.
    pub kb_hash: Option<String>,
    /// Waivers hash, when done.
    pub waivers_hash: Option<String>,
    /// Why it failed, when failed.
    pub error: Option<String>,
    /// True for the latest finished scan of its inventory (its findings are the fleet's).
    pub current: bool,
}

/// A scan with its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanRecord {
    /// The scan.
    pub info: ScanInfo,
    /// The report document, when done.
    pub report_json: Option<String>,
}

/// A column current findings are counted by ([`crate::Store::finding_counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKey {
    /// Verdict name.
    Verdict,
    /// Directive id.
    Directive,
    /// Host.
    Host,
    /// Supplier.
    Supplier,
}

impl FindingKey {
    /// The findings table's column.
    pub(crate) fn column(self) -> &'static str {
        match self {
            Self::Verdict => "verdict",
            Self::Directive => "directive",
            Self::Host => "host",
            Self::Supplier => "supplier",
        }
    }
}

/// Filters of the findings listing; `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingFilter {
    /// Verdict name.
    pub verdict: Option<String>,
    /// Directive id.
    pub directive: Option<String>,
    /// Entity id.
    pub entity: Option<String>,
    /// Host.
    pub host: Option<String>,
    /// Supplier.
    pub supplier: Option<String>,
    /// Only this scan's findings; by default the current scan of each inventory.
    pub scan: Option<ScanId>,
}

/// The difference a re-screen made, keyed on the stable finding ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rescreen {
    /// The new scan.
    pub scan: ScanId,
    /// The scan it replaced (the inventory's previous current scan).
    pub previous: ScanId,
    /// The inventory.
    pub upload: UploadId,
    /// Why it was re-screened.
    pub cause: ScanCause,
    /// Finding ids in the new scan and not the previous one, sorted.
    pub new_findings: Vec<String>,
    /// Finding ids in the previous scan and not the new one, sorted.
    pub resolved_findings: Vec<String>,
    /// When it finished.
    pub at: Timestamp,
}

/// Counts for metrics and the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    /// Scans per status.
    pub scans_by_status: BTreeMap<String, u64>,
    /// Findings of current scans per verdict.
    pub findings_by_verdict: BTreeMap<String, u64>,
    /// Stored inventories.
    pub uploads: u64,
}

/// The knowledge base the service screens with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbState {
    /// Its version string.
    pub version: String,
    /// Its content hash.
    pub hash: String,
    /// When it was recorded.
    pub since: Timestamp,
}

/// What `set_kb_state` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum KbChange {
    /// The same hash was already recorded: nothing changed.
    Unchanged,
    /// Recorded (audited); re-screens of every stored inventory were queued.
    Changed {
        /// The state before, if any.
        previous: Option<KbState>,
        /// Scans queued.
        rescreens: Vec<ScanId>,
    },
}
