//! The KB in use, and queueing re-screens when it or the waivers change.

use super::audit::Head;
use super::require_text;
use super::scans::enqueue;
use crate::db::{Db, Row, Val};
use crate::{Actor, AuditEvent, KbChange, KbState, ScanCause, ScanId, StoreError, UploadId};
use jiff::Timestamp;
use serde_json::json;

fn state(row: &Row) -> Result<KbState, StoreError> {
    Ok(KbState {
        version: row.text(0)?,
        hash: row.text(1)?,
        since: row.time(2)?,
    })
}

/// The recorded KB.
pub(crate) async fn get<D: Db>(db: &mut D) -> Result<Option<KbState>, StoreError> {
    db.query_opt(
        "SELECT version, hash, since FROM kb_state WHERE id = 1",
        &[],
    )
    .await?
    .map(|r| state(&r))
    .transpose()
}

/// Records the KB in use; on a change, audits it and queues re-screens.
pub(crate) async fn set<D: Db>(
    db: &mut D,
    version: &str,
    hash: &str,
    actor: &Actor,
    at: Timestamp,
) -> Result<KbChange, StoreError> {
    require_text("KB version", version, 200)?;
    require_text("KB hash", hash, 200)?;
    let mut head = Head::lock(db).await?;
    let previous = get(db).await?;
    if previous.as_ref().is_some_and(|p| p.hash == hash) {
        return Ok(KbChange::Unchanged);
    }
    db.execute(
        "INSERT INTO kb_state (id, version, hash, since) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, hash = excluded.hash, \
         since = excluded.since",
        &[Val::from(version), Val::from(hash), Val::from(at)],
    )
    .await?;
    let detail = json!({"version": version, "hash": hash,
        "previous_version": previous.as_ref().map(|p| &p.version),
        "previous_hash": previous.as_ref().map(|p| &p.hash)});
    head.append(db, at, actor, AuditEvent::KbChanged, "kb", &detail)
        .await?;
    let cause = ScanCause::KbChanged {
        kb_hash: hash.to_owned(),
    };
    let rescreens = queue(db, &mut head, &cause, actor, at).await?;
    Ok(KbChange::Changed {
        previous,
        rescreens,
    })
}

/// Queues re-screens (taking the audit head itself).
pub(crate) async fn queue_rescreens<D: Db>(
    db: &mut D,
    cause: &ScanCause,
    actor: &Actor,
    at: Timestamp,
) -> Result<Vec<ScanId>, StoreError> {
    let mut head = Head::lock(db).await?;
    queue(db, &mut head, cause, actor, at).await
}

/// Queues a re-screen of every inventory screened at least once, or being
/// screened now (that screening may have read the state before the change),
/// that has no scan queued.
pub(crate) async fn queue<D: Db>(
    db: &mut D,
    head: &mut Head,
    cause: &ScanCause,
    actor: &Actor,
    at: Timestamp,
) -> Result<Vec<ScanId>, StoreError> {
    let uploads = db
        .query(
            "SELECT u.id FROM uploads u WHERE \
             EXISTS (SELECT 1 FROM scans d WHERE d.upload_id = u.id AND d.status IN ('done', 'running')) \
             AND NOT EXISTS (SELECT 1 FROM scans q WHERE q.upload_id = u.id \
             AND q.status = 'queued') ORDER BY u.id",
            &[],
        )
        .await?;
    let mut scans = Vec::with_capacity(uploads.len());
    for row in &uploads {
        scans.push(enqueue(db, UploadId(row.int(0)?), cause, at).await?);
    }
    if !scans.is_empty() {
        let detail = json!({"cause": cause, "scans": scans});
        head.append(db, at, actor, AuditEvent::RescreensQueued, "scans", &detail)
            .await?;
    }
    Ok(scans)
}
