//! The scan queue: storing uploads, claiming, leasing, finishing and failing scans.

use super::audit::Head;
use super::{json, require_text, to_json};
use crate::crypto::sha256_hex;
use crate::db::{Db, Val};
use crate::{
    Actor, AuditEvent, ClaimedScan, FindingDraft, MAX_ATTEMPTS, MAX_UPLOAD_BYTES, Rescreen,
    ScanCause, ScanId, ScanResult, StoreError, Upload, UploadId, UploadReceipt, WorkerId,
};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;

/// Stores an upload with its first scan, queued.
pub(crate) async fn add_upload<D: Db>(
    db: &mut D,
    upload: Upload,
    actor: &Actor,
    at: Timestamp,
) -> Result<UploadReceipt, StoreError> {
    require_text("file name", &upload.name, 1000)?;
    require_text("profile", &upload.profile, 200)?;
    require_text("action", &upload.action, 200)?;
    if upload.body.len() > MAX_UPLOAD_BYTES {
        return Err(StoreError::Invalid(format!(
            "the upload is larger than {MAX_UPLOAD_BYTES} bytes"
        )));
    }
    let mut head = Head::lock(db).await?;
    let sha256 = sha256_hex(&upload.body);
    let size = i64::try_from(upload.body.len()).unwrap_or(i64::MAX);
    let id = db
        .query_one(
            "INSERT INTO uploads (name, host, profile, action, body, sha256, size, created_at, \
             created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            &[
                Val::from(upload.name.as_str()),
                Val::from(upload.host.clone()),
                Val::from(upload.profile.as_str()),
                Val::from(upload.action.as_str()),
                Val::Bytes(upload.body),
                Val::from(sha256.as_str()),
                Val::Int(size),
                Val::from(at),
                Val::from(actor.label()),
            ],
        )
        .await?
        .int(0)?;
    let scan = enqueue(db, UploadId(id), &ScanCause::Upload, at).await?;
    let detail = json!({"name": upload.name, "host": upload.host, "profile": upload.profile,
        "action": upload.action, "sha256": sha256, "bytes": size, "scan": scan});
    head.append(
        db,
        at,
        actor,
        AuditEvent::InventoryUploaded,
        &format!("upload:{id}"),
        &detail,
    )
    .await?;
    Ok(UploadReceipt {
        upload: UploadId(id),
        scan,
        sha256,
    })
}

/// Queues a scan of an upload.
pub(crate) async fn enqueue<D: Db>(
    db: &mut D,
    upload: UploadId,
    cause: &ScanCause,
    at: Timestamp,
) -> Result<ScanId, StoreError> {
    let row = db
        .query_one(
            "INSERT INTO scans (upload_id, status, cause, attempt, queued_at) \
             VALUES ($1, 'queued', $2, 0, $3) RETURNING id",
            &[
                Val::Int(upload.0),
                Val::from(to_json(cause)?),
                Val::from(at),
            ],
        )
        .await?;
    Ok(ScanId(row.int(0)?))
}

fn lease_end(now: Timestamp, lease: Duration) -> Result<Timestamp, StoreError> {
    let lease = SignedDuration::try_from(lease)
        .map_err(|_| StoreError::Invalid("lease too long".into()))?;
    now.checked_add(lease)
        .map_err(|_| StoreError::Invalid("lease too long".into()))
}

/// Leases the oldest claimable scan; fails scans claimed too often on the way.
pub(crate) async fn claim<D: Db>(
    db: &mut D,
    worker: &WorkerId,
    lease: Duration,
    now: Timestamp,
    kb_hash: Option<&str>,
) -> Result<Option<ClaimedScan>, StoreError> {
    let until = lease_end(now, lease)?;
    // With a KB hash, nothing is claimed while the recorded KB is another one: in
    // the same statement, so a re-screen queued with a KB change is never taken
    // by an instance that still screens with the old KB.
    let same_kb = if kb_hash.is_some() {
        " AND NOT EXISTS (SELECT 1 FROM kb_state k WHERE k.id = 1 AND k.hash <> $2)"
    } else {
        ""
    };
    let pick = format!(
        "SELECT id, attempt FROM scans WHERE (status = 'queued' \
         OR (status = 'running' AND lease_until < $1)){same_kb} ORDER BY id LIMIT 1{}",
        db.dialect().skip_locked()
    );
    let mut params = vec![Val::from(now)];
    params.extend(kb_hash.map(Val::from));
    let params = &params[..];
    loop {
        let Some(row) = db.query_opt(&pick, params).await? else {
            return Ok(None);
        };
        let (id, attempt) = (ScanId(row.int(0)?), row.int(1)?);
        if attempt >= i64::from(MAX_ATTEMPTS) {
            let message = format!("abandoned after {attempt} attempts whose leases expired");
            mark_failed(db, id, &message, &Actor::local("service"), now).await?;
            continue;
        }
        db.execute(
            "UPDATE scans SET status = 'running', attempt = attempt + 1, lease_owner = $1, \
             lease_until = $2, started_at = $3 WHERE id = $4",
            &[
                Val::from(worker.0.as_str()),
                Val::from(until),
                Val::from(now),
                Val::Int(id.0),
            ],
        )
        .await?;
        return claimed(db, id, until).await.map(Some);
    }
}

async fn claimed<D: Db>(
    db: &mut D,
    id: ScanId,
    until: Timestamp,
) -> Result<ClaimedScan, StoreError> {
    let row = db
        .query_one(
            "SELECT s.upload_id, u.name, u.host, u.profile, u.action, u.body, s.attempt, s.cause \
             FROM scans s JOIN uploads u ON u.id = s.upload_id WHERE s.id = $1",
            &[Val::Int(id.0)],
        )
        .await?;
    Ok(ClaimedScan {
        scan: id,
        upload: UploadId(row.int(0)?),
        name: row.text(1)?,
        host: row.opt_text(2)?,
        profile: row.text(3)?,
        action: row.text(4)?,
        body: row.bytes(5)?,
        attempt: u32::try_from(row.int(6)?).unwrap_or(u32::MAX),
        cause: json(&row.text(7)?)?,
        lease_until: until,
    })
}

/// Locks the scan's row and checks that `worker` holds its lease; returns its upload.
async fn held<D: Db>(db: &mut D, id: ScanId, worker: &WorkerId) -> Result<UploadId, StoreError> {
    let sql = format!(
        "SELECT status, lease_owner, upload_id FROM scans WHERE id = $1{}",
        db.dialect().for_update()
    );
    let row = db
        .query_opt(&sql, &[Val::Int(id.0)])
        .await?
        .ok_or(StoreError::ScanNotFound(id))?;
    if row.text(0)? != "running" || row.opt_text(1)?.as_deref() != Some(worker.0.as_str()) {
        return Err(StoreError::LeaseLost(id));
    }
    Ok(UploadId(row.int(2)?))
}

/// Extends a held lease.
pub(crate) async fn extend<D: Db>(
    db: &mut D,
    id: ScanId,
    worker: &WorkerId,
    lease: Duration,
    now: Timestamp,
) -> Result<Timestamp, StoreError> {
    let until = lease_end(now, lease)?;
    held(db, id, worker).await?;
    db.execute(
        "UPDATE scans SET lease_until = $1 WHERE id = $2",
        &[Val::from(until), Val::Int(id.0)],
    )
    .await?;
    Ok(until)
}

/// Puts a held scan back in the queue (its attempt still counted).
pub(crate) async fn release<D: Db>(
    db: &mut D,
    id: ScanId,
    worker: &WorkerId,
) -> Result<(), StoreError> {
    held(db, id, worker).await?;
    db.execute(
        "UPDATE scans SET status = 'queued', lease_owner = NULL, lease_until = NULL \
         WHERE id = $1",
        &[Val::Int(id.0)],
    )
    .await?;
    Ok(())
}

/// Fails a held scan for good.
pub(crate) async fn fail<D: Db>(
    db: &mut D,
    id: ScanId,
    worker: &WorkerId,
    message: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    held(db, id, worker).await?;
    mark_failed(db, id, message, &Actor::local(worker.0.as_str()), at).await
}

async fn mark_failed<D: Db>(
    db: &mut D,
    id: ScanId,
    message: &str,
    actor: &Actor,
    at: Timestamp,
) -> Result<(), StoreError> {
    let mut head = Head::lock(db).await?;
    db.execute(
        "UPDATE scans SET status = 'failed', error = $1, finished_at = $2, lease_owner = NULL, \
         lease_until = NULL WHERE id = $3",
        &[Val::from(message), Val::from(at), Val::Int(id.0)],
    )
    .await?;
    head.append(
        db,
        at,
        actor,
        AuditEvent::ScanFailed,
        &format!("scan:{id}"),
        &json!({"error": message}),
    )
    .await?;
    Ok(())
}

/// Records a finished scan, its findings and, for a re-screen, its diff.
pub(crate) async fn finish<D: Db>(
    db: &mut D,
    id: ScanId,
    worker: &WorkerId,
    result: ScanResult,
    at: Timestamp,
) -> Result<Option<Rescreen>, StoreError> {
    let upload = held(db, id, worker).await?;
    let mut head = Head::lock(db).await?;
    let previous = current_scan(db, upload).await?;
    let becomes_current = previous.is_none_or(|p| p < id);
    db.execute(
        "UPDATE scans SET status = 'done', report_json = $1, summary = $2, kb_hash = $3, \
         waivers_hash = $4, finished_at = $5, lease_owner = NULL, lease_until = NULL, \
         current = $6 WHERE id = $7",
        &[
            Val::from(result.report_json.as_str()),
            Val::from(to_json(&result.summary)?),
            Val::from(result.kb_hash.as_str()),
            Val::from(result.waivers_hash.as_str()),
            Val::from(at),
            Val::Int(i64::from(becomes_current)),
            Val::Int(id.0),
        ],
    )
    .await?;
    if let Some(p) = previous.filter(|_| becomes_current) {
        for table in [
            "scans SET current = 0 WHERE id",
            "findings SET current = 0 WHERE scan_id",
        ] {
            db.execute(&format!("UPDATE {table} = $1"), &[Val::Int(p.0)])
                .await?;
        }
    }
    insert_findings(db, id, upload, becomes_current, &result.findings).await?;
    let rescreen = match previous.filter(|_| becomes_current) {
        Some(p) => Some(record_diff(db, id, p, upload, &result.findings, at).await?),
        None => None,
    };
    let detail = json!({"upload": upload, "findings": result.findings.len(),
        "kb_hash": result.kb_hash, "waivers_hash": result.waivers_hash,
        "previous": rescreen.as_ref().map(|r| r.previous),
        "new_findings": rescreen.as_ref().map(|r| r.new_findings.len()),
        "resolved_findings": rescreen.as_ref().map(|r| r.resolved_findings.len())});
    head.append(
        db,
        at,
        &Actor::local(worker.0.as_str()),
        AuditEvent::ScanFinished,
        &format!("scan:{id}"),
        &detail,
    )
    .await?;
    Ok(rescreen)
}

async fn current_scan<D: Db>(db: &mut D, upload: UploadId) -> Result<Option<ScanId>, StoreError> {
    let row = db
        .query_opt(
            "SELECT id FROM scans WHERE upload_id = $1 AND current = 1",
            &[Val::Int(upload.0)],
        )
        .await?;
    row.map(|r| r.int(0).map(ScanId)).transpose()
}

/// Findings inserted per statement (11 parameters each, well under both databases'
/// parameter limits).
const FINDINGS_PER_INSERT: usize = 50;

async fn insert_findings<D: Db>(
    db: &mut D,
    scan: ScanId,
    upload: UploadId,
    current: bool,
    findings: &[FindingDraft],
) -> Result<(), StoreError> {
    let host = db
        .query_one(
            "SELECT host FROM uploads WHERE id = $1",
            &[Val::Int(upload.0)],
        )
        .await?
        .opt_text(0)?;
    for chunk in findings.chunks(FINDINGS_PER_INSERT) {
        let mut params = Vec::with_capacity(chunk.len() * 11);
        let mut rows = Vec::with_capacity(chunk.len());
        for f in chunk {
            let first = params.len() + 1;
            rows.push(format!(
                "({})",
                (first..first + 11)
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            params.extend([
                Val::Int(scan.0),
                Val::from(f.finding_id.as_str()),
                Val::Int(upload.0),
                Val::Int(i64::from(current)),
                Val::from(host.clone().or_else(|| f.host.clone())),
                Val::from(f.component_id.as_str()),
                Val::from(f.verdict.as_str()),
                Val::from(f.directive.as_str()),
                Val::from(f.entity.clone()),
                Val::from(f.supplier.clone()),
                Val::from(f.detail.to_string()),
            ]);
        }
        let sql = format!(
            "INSERT INTO findings (scan_id, finding_id, upload_id, current, host, component_id, \
             verdict, directive, entity, supplier, detail) VALUES {} \
             ON CONFLICT (scan_id, finding_id) DO NOTHING",
            rows.join(", ")
        );
        db.execute(&sql, &params).await?;
    }
    Ok(())
}

async fn record_diff<D: Db>(
    db: &mut D,
    scan: ScanId,
    previous: ScanId,
    upload: UploadId,
    findings: &[FindingDraft],
    at: Timestamp,
) -> Result<Rescreen, StoreError> {
    let old: BTreeSet<String> = db
        .query(
            "SELECT finding_id FROM findings WHERE scan_id = $1",
            &[Val::Int(previous.0)],
        )
        .await?
        .iter()
        .map(|r| r.text(0))
        .collect::<Result<_, _>>()?;
    let new: BTreeSet<String> = findings.iter().map(|f| f.finding_id.clone()).collect();
    let cause: ScanCause = json(
        &db.query_one("SELECT cause FROM scans WHERE id = $1", &[Val::Int(scan.0)])
            .await?
            .text(0)?,
    )?;
    let r = Rescreen {
        scan,
        previous,
        upload,
        cause,
        new_findings: new.difference(&old).cloned().collect(),
        resolved_findings: old.difference(&new).cloned().collect(),
        at,
    };
    db.execute(
        "INSERT INTO rescreens (scan_id, previous_scan, upload_id, cause, new_findings, \
         resolved_findings, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            Val::Int(scan.0),
            Val::Int(previous.0),
            Val::Int(upload.0),
            Val::from(to_json(&r.cause)?),
            Val::from(to_json(&r.new_findings)?),
            Val::from(to_json(&r.resolved_findings)?),
            Val::from(at),
        ],
    )
    .await?;
    Ok(r)
}
