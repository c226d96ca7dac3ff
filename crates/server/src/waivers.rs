//! Waivers held by the service, as the policy applies them: each approved
//! waiver is written as a one-entry waiver file named `waiver/ID` and read
//! by the same parser as the CLI's `--waivers` files, so reports cite it as
//! `waiver/ID:1` and the same validation holds.

use serde::Serialize;
use sha2::{Digest, Sha256};
use supplyscreen_screen::{Kb, Waiver, parse_waivers};
use supplyscreen_store::{StoredWaiver, WaiverDraft};

#[derive(Serialize)]
struct File<'a> {
    waivers: [Entry<'a>; 1],
}

#[derive(Serialize)]
struct Entry<'a> {
    directive: &'a str,
    reason: &'a str,
    approver: &'a str,
    expires: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket: Option<&'a str>,
    #[serde(rename = "match")]
    matches: &'a supplyscreen_store::WaiverMatch,
}

/// The waiver file text for one waiver.
fn file_text(draft: &WaiverDraft, approver: &str) -> Result<String, String> {
    let file = File {
        waivers: [Entry {
            directive: &draft.directive,
            reason: &draft.reason,
            approver,
            expires: draft.expires.to_string(),
            ticket: draft.ticket.as_deref(),
            matches: &draft.matcher,
        }],
    };
    toml::to_string(&file).map_err(|e| e.to_string())
}

/// Checks a proposed waiver against the KB as a waiver file would be:
/// a known directive, a non-empty reason, a match. The messages name the
/// problems; they quote only what the caller sent.
pub fn validate(kb: &Kb, draft: &WaiverDraft, proposer: &str) -> Result<(), String> {
    let m = &draft.matcher;
    if [&m.entity, &m.part_number, &m.host, &m.path, &m.serial]
        .iter()
        .all(|v| v.is_none())
    {
        return Err("`match` needs at least one of entity, part_number, host, path, serial".into());
    }
    let text = file_text(draft, proposer)?;
    parse_waivers("waiver", &text, kb)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The approved waivers as policy values, each cited as `waiver/ID:1`;
/// one that does not validate against this KB is left out.
pub fn policy_waivers(kb: &Kb, approved: &[StoredWaiver]) -> Vec<Waiver> {
    approved
        .iter()
        .filter_map(|w| {
            let approver = w.decided_by_name.as_deref().unwrap_or("");
            let text = file_text(&w.draft, approver).ok()?;
            parse_waivers(&format!("waiver/{}", w.id), &text, kb).ok()
        })
        .flatten()
        .collect()
}

/// A hash over the approved waivers (ids and contents), recorded with each
/// scan; empty text when there are none.
pub fn waivers_hash(approved: &[StoredWaiver]) -> String {
    if approved.is_empty() {
        return "none".into();
    }
    let mut h = Sha256::new();
    for w in approved {
        h.update(w.id.to_string().as_bytes());
        h.update([0]);
        h.update(
            serde_json::to_string(&w.draft)
                .unwrap_or_default()
                .as_bytes(),
        );
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
