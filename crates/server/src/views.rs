//! The API's response documents: what the store holds, shaped for clients
//! and described in the OpenAPI document (times are RFC 3339 text).

use std::collections::BTreeMap;

use serde::Serialize;
use supplyscreen_store::{
    FindingRow, Page, Rescreen, ScanCause, ScanInfo, ScanSummary, StoredWaiver,
};
use utoipa::ToSchema;

/// `202` answer to an upload: the queued scan.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanAccepted {
    /// The scan's id (`GET /v1/scans/{id}`).
    pub scan: i64,
    /// The stored inventory's id.
    pub upload: i64,
    /// SHA-256 of the stored bytes.
    pub sha256: String,
}

/// Why a scan was queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct CauseView {
    /// `upload`, `kb-changed`, `waiver-approved`, `waiver-expired` or `requested`.
    pub kind: String,
    /// The KB hash, for `kb-changed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kb_hash: Option<String>,
    /// The waiver, for `waiver-approved` and `waiver-expired`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<i64>,
    /// Why, for `requested`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl From<&ScanCause> for CauseView {
    fn from(c: &ScanCause) -> Self {
        let mut v = CauseView {
            kind: String::new(),
            kb_hash: None,
            waiver: None,
            note: None,
        };
        match c {
            ScanCause::Upload => v.kind = "upload".into(),
            ScanCause::KbChanged { kb_hash } => {
                v.kind = "kb-changed".into();
                v.kb_hash = Some(kb_hash.clone());
            }
            ScanCause::WaiverApproved { waiver } => {
                v.kind = "waiver-approved".into();
                v.waiver = Some(waiver.0);
            }
            ScanCause::WaiverExpired { waiver } => {
                v.kind = "waiver-expired".into();
                v.waiver = Some(waiver.0);
            }
            ScanCause::Requested { note } => {
                v.kind = "requested".into();
                v.note = Some(note.clone());
            }
        }
        v
    }
}

/// Counts of a finished scan.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryView {
    /// Components read.
    pub components: u64,
    /// Findings.
    pub findings: u64,
    /// Findings per verdict.
    pub by_verdict: BTreeMap<String, u64>,
}

impl From<&ScanSummary> for SummaryView {
    fn from(s: &ScanSummary) -> Self {
        Self {
            components: s.components,
            findings: s.findings,
            by_verdict: s.by_verdict.clone(),
        }
    }
}

/// A scan: one screening of one stored inventory.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanView {
    /// Its id.
    pub id: i64,
    /// The inventory.
    pub upload: i64,
    /// The file name given at upload.
    pub name: String,
    /// The host, when given.
    pub host: Option<String>,
    /// The profile.
    pub profile: String,
    /// The action.
    pub action: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// Why it was queued.
    pub cause: CauseView,
    /// Claims so far (more than 1 when a worker died while screening it).
    pub attempt: u32,
    /// When it was queued.
    pub queued_at: String,
    /// When it finished or failed.
    pub finished_at: Option<String>,
    /// Counts, when done.
    pub summary: Option<SummaryView>,
    /// KB hash, when done.
    pub kb_hash: Option<String>,
    /// Hash of the approved waivers applied, when done.
    pub waivers_hash: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// True for the latest finished scan of its inventory.
    pub current: bool,
}

impl From<&ScanInfo> for ScanView {
    fn from(s: &ScanInfo) -> Self {
        Self {
            id: s.id.0,
            upload: s.upload.0,
            name: s.name.clone(),
            host: s.host.clone(),
            profile: s.profile.clone(),
            action: s.action.clone(),
            status: s.status.as_str().to_owned(),
            cause: (&s.cause).into(),
            attempt: s.attempt,
            queued_at: s.queued_at.to_string(),
            finished_at: s.finished_at.map(|t| t.to_string()),
            summary: s.summary.as_ref().map(Into::into),
            kb_hash: s.kb_hash.clone(),
            waivers_hash: s.waivers_hash.clone(),
            error: s.error.clone(),
            current: s.current,
        }
    }
}

/// One finding of the fleet.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingView {
    /// The scan that produced it.
    pub scan: i64,
    /// The inventory.
    pub upload: i64,
    /// The host.
    pub host: Option<String>,
    /// The stable finding id.
    pub finding_id: String,
    /// The stable component id.
    pub component_id: String,
    /// The verdict.
    pub verdict: String,
    /// The directive.
    pub directive: String,
    /// The attributed entity.
    pub entity: Option<String>,
    /// The supplier, from the input's columns.
    pub supplier: Option<String>,
    /// `{"finding", "component"}` as the report wrote them: evidence, relation
    /// chain, the measure and its source.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<FindingRow> for FindingView {
    fn from(r: FindingRow) -> Self {
        Self {
            scan: r.scan.0,
            upload: r.upload.0,
            host: r.host,
            finding_id: r.finding.finding_id,
            component_id: r.finding.component_id,
            verdict: r.finding.verdict,
            directive: r.finding.directive,
            entity: r.finding.entity,
            supplier: r.finding.supplier,
            detail: r.finding.detail,
        }
    }
}

/// What a re-screen changed, keyed on the stable finding ids.
#[derive(Debug, Serialize, ToSchema)]
pub struct RescreenView {
    /// The new scan.
    pub scan: i64,
    /// The scan it replaced.
    pub previous: i64,
    /// The inventory.
    pub upload: i64,
    /// Why it was re-screened.
    pub cause: CauseView,
    /// Finding ids new in this scan.
    pub new_findings: Vec<String>,
    /// Finding ids no longer found.
    pub resolved_findings: Vec<String>,
    /// Findings under the same id whose judgement changed (a waiver now
    /// applies, a verdict moved), compared from the two stored reports; only
    /// in `GET /v1/scans/{id}/diff`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<Vec<ChangedView>>,
    /// When it finished.
    pub at: String,
}

/// A finding whose judgement changed between two scans.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangedView {
    /// The stable finding id.
    pub finding_id: String,
    /// The directive.
    pub directive: String,
    /// Where its component was read (`file:line`).
    pub location: String,
    /// The verdict before.
    pub from: String,
    /// The verdict now.
    pub to: String,
    /// What differs, among `verdict`, `code`, `doubts` and `waiver`.
    pub what: Vec<String>,
}

impl From<&Rescreen> for RescreenView {
    fn from(r: &Rescreen) -> Self {
        Self {
            scan: r.scan.0,
            previous: r.previous.0,
            upload: r.upload.0,
            cause: (&r.cause).into(),
            new_findings: r.new_findings.clone(),
            resolved_findings: r.resolved_findings.clone(),
            changed: None,
            at: r.at.to_string(),
        }
    }
}

/// A waiver held by the service.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaiverView {
    /// Its id.
    pub id: i64,
    /// `proposed`, `approved` or `rejected`.
    pub status: String,
    /// The directive it waives.
    pub directive: String,
    /// Why.
    pub reason: String,
    /// Last day it applies.
    pub expires: String,
    /// The change or risk ticket.
    pub ticket: Option<String>,
    /// Which components it covers (`entity`, `part_number`, `host`, `path`, `serial`).
    #[serde(rename = "match")]
    pub matcher: BTreeMap<String, String>,
    /// Who proposed it.
    pub proposed_by: String,
    /// When.
    pub proposed_at: String,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<String>,
}

impl From<&StoredWaiver> for WaiverView {
    fn from(w: &StoredWaiver) -> Self {
        let m = &w.draft.matcher;
        let matcher = [
            ("entity", &m.entity),
            ("part_number", &m.part_number),
            ("host", &m.host),
            ("path", &m.path),
            ("serial", &m.serial),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.to_owned(), v)))
        .collect();
        Self {
            id: w.id.0,
            status: w.status.as_str().to_owned(),
            directive: w.draft.directive.clone(),
            reason: w.draft.reason.clone(),
            expires: w.draft.expires.to_string(),
            ticket: w.draft.ticket.clone(),
            matcher,
            proposed_by: w.proposed_by.clone(),
            proposed_at: w.proposed_at.to_string(),
            decided_by: w.decided_by.clone(),
            decided_at: w.decided_at.map(|t| t.to_string()),
        }
    }
}

/// One page of a listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct Listing<T: ToSchema> {
    /// The items.
    pub items: Vec<T>,
    /// How many items the whole listing has.
    pub total: u64,
    /// The `offset` of the next page, when there is one.
    pub next_offset: Option<u64>,
}

impl<T: ToSchema> Listing<T> {
    /// A listing from a store page.
    pub fn of<S>(page: Page<S>, f: impl FnMut(S) -> T) -> Self {
        Self {
            next_offset: page.next.map(|n| n.offset),
            total: page.total,
            items: page.items.into_iter().map(f).collect(),
        }
    }
}
