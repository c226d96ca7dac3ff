//! Waivers: proposal, the four-eyes decision, listing.

use super::audit::Head;
use super::kb::queue;
use super::require_text;
use crate::db::{Db, Row, Val};
use crate::{
    Actor, AuditEvent, Decision, ScanCause, StoreError, StoredWaiver, TokenId, WaiverDecision,
    WaiverDraft, WaiverExpiry, WaiverId, WaiverMatch, WaiverStatus,
};
use jiff::Timestamp;
use serde_json::json;

const COLUMNS: &str = "id, directive, reason, expires, ticket, match_entity, match_part_number, \
    match_host, match_path, match_serial, status, proposed_by, proposed_at, decided_by, \
    decided_by_name, decided_at, proposed_by_token, proposed_by_name";

fn waiver(row: &Row) -> Result<StoredWaiver, StoreError> {
    let expires = row.text(3)?;
    let status = row.text(10)?;
    Ok(StoredWaiver {
        id: WaiverId(row.int(0)?),
        draft: WaiverDraft {
            directive: row.text(1)?,
            reason: row.text(2)?,
            expires: expires
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("waiver expiry {expires:?}")))?,
            ticket: row.opt_text(4)?,
            matcher: WaiverMatch {
                entity: row.opt_text(5)?,
                part_number: row.opt_text(6)?,
                host: row.opt_text(7)?,
                path: row.opt_text(8)?,
                serial: row.opt_text(9)?,
            },
        },
        status: WaiverStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown waiver status {status:?}")))?,
        proposed_by: row.text(11)?,
        proposed_at: row.time(12)?,
        decided_by: row.opt_text(13)?,
        decided_by_name: row.opt_text(14)?,
        decided_at: row.opt_time(15)?,
    })
}

fn proposer(row: &Row) -> Result<Actor, StoreError> {
    Ok(Actor {
        token: row.opt_int(16)?.map(TokenId),
        name: row.text(17)?,
    })
}

fn validate(d: &WaiverDraft) -> Result<(), StoreError> {
    require_text("directive", &d.directive, 200)?;
    require_text("reason", &d.reason, 4000)?;
    let m = &d.matcher;
    let fields = [&m.entity, &m.part_number, &m.host, &m.path, &m.serial];
    if fields
        .iter()
        .all(|f| f.as_deref().is_none_or(|v| v.trim().is_empty()))
    {
        return Err(StoreError::Invalid(
            "a waiver must match on at least one of entity, part_number, host, path, serial".into(),
        ));
    }
    Ok(())
}

/// Records a proposed waiver.
pub(crate) async fn propose<D: Db>(
    db: &mut D,
    d: WaiverDraft,
    actor: &Actor,
    at: Timestamp,
) -> Result<StoredWaiver, StoreError> {
    validate(&d)?;
    let mut head = Head::lock(db).await?;
    let m = &d.matcher;
    let sql = format!(
        "INSERT INTO waivers (directive, reason, expires, ticket, match_entity, \
         match_part_number, match_host, match_path, match_serial, status, proposed_by, \
         proposed_by_token, proposed_by_name, proposed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'proposed', $10, $11, $12, $13) \
         RETURNING {COLUMNS}"
    );
    let params = [
        Val::from(d.directive.as_str()),
        Val::from(d.reason.as_str()),
        Val::from(d.expires.to_string()),
        Val::from(d.ticket.clone()),
        Val::from(m.entity.clone()),
        Val::from(m.part_number.clone()),
        Val::from(m.host.clone()),
        Val::from(m.path.clone()),
        Val::from(m.serial.clone()),
        Val::from(actor.label()),
        Val::from(actor.token.map(|t| t.0)),
        Val::from(actor.name.as_str()),
        Val::from(at),
    ];
    let w = waiver(&db.query_one(&sql, &params).await?)?;
    let detail = serde_json::to_value(&w.draft)
        .map_err(|e| StoreError::Corrupt(format!("encoding JSON: {e}")))?;
    head.append(
        db,
        at,
        actor,
        AuditEvent::WaiverProposed,
        &format!("waiver:{}", w.id),
        &detail,
    )
    .await?;
    Ok(w)
}

/// Approves or rejects a proposed waiver (never by its proposer).
pub(crate) async fn decide<D: Db>(
    db: &mut D,
    id: WaiverId,
    decision: Decision,
    actor: &Actor,
    at: Timestamp,
) -> Result<WaiverDecision, StoreError> {
    let mut head = Head::lock(db).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM waivers WHERE id = $1{}",
        db.dialect().for_update()
    );
    let row = db
        .query_opt(&sql, &[Val::Int(id.0)])
        .await?
        .ok_or(StoreError::WaiverNotFound(id))?;
    let current = waiver(&row)?;
    if current.status != WaiverStatus::Proposed {
        return Err(StoreError::WaiverNotProposed {
            id,
            status: current.status,
        });
    }
    if proposer(&row)?.same_person(actor) {
        return Err(StoreError::FourEyes(id));
    }
    let (status, event) = match decision {
        Decision::Approve => (WaiverStatus::Approved, AuditEvent::WaiverApproved),
        Decision::Reject => (WaiverStatus::Rejected, AuditEvent::WaiverRejected),
    };
    let sql = format!(
        "UPDATE waivers SET status = $1, decided_by = $2, decided_by_name = $3, decided_at = $4 \
         WHERE id = $5 RETURNING {COLUMNS}"
    );
    let params = [
        Val::from(status.as_str()),
        Val::from(actor.label()),
        Val::from(actor.name.as_str()),
        Val::from(at),
        Val::Int(id.0),
    ];
    let w = waiver(&db.query_one(&sql, &params).await?)?;
    let detail = json!({"directive": w.draft.directive, "proposed_by": w.proposed_by});
    head.append(db, at, actor, event, &format!("waiver:{id}"), &detail)
        .await?;
    let rescreens = match decision {
        Decision::Approve => {
            let cause = ScanCause::WaiverApproved { waiver: id };
            queue(db, &mut head, &cause, actor, at).await?
        }
        Decision::Reject => Vec::new(),
    };
    Ok(WaiverDecision {
        waiver: w,
        rescreens,
    })
}

/// Records each approved waiver whose last day is before `today` and has not
/// been recorded yet (`waiver-expired`), queueing re-screens for it. The audit
/// head's lock makes instances doing this at once record each expiry once.
pub(crate) async fn expire<D: Db>(
    db: &mut D,
    today: &str,
    actor: &Actor,
    at: Timestamp,
) -> Result<Vec<WaiverExpiry>, StoreError> {
    let mut head = Head::lock(db).await?;
    let rows = db
        .query(
            "SELECT w.id, w.expires FROM waivers w WHERE w.status = 'approved' AND w.expires < $1 \
             AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.event = 'waiver-expired' \
             AND a.subject = 'waiver:' || w.id) ORDER BY w.id",
            &[Val::from(today)],
        )
        .await?;
    let mut expired = Vec::with_capacity(rows.len());
    for row in &rows {
        let (waiver, expires) = (WaiverId(row.int(0)?), row.text(1)?);
        let detail = json!({"expires": expires});
        head.append(
            db,
            at,
            actor,
            AuditEvent::WaiverExpired,
            &format!("waiver:{waiver}"),
            &detail,
        )
        .await?;
        let cause = ScanCause::WaiverExpired { waiver };
        let rescreens = queue(db, &mut head, &cause, actor, at).await?;
        expired.push(WaiverExpiry {
            waiver,
            expires,
            rescreens,
        });
    }
    Ok(expired)
}

/// One waiver.
pub(crate) async fn get<D: Db>(
    db: &mut D,
    id: WaiverId,
) -> Result<Option<StoredWaiver>, StoreError> {
    db.query_opt(
        &format!("SELECT {COLUMNS} FROM waivers WHERE id = $1"),
        &[Val::Int(id.0)],
    )
    .await?
    .map(|r| waiver(&r))
    .transpose()
}

/// Waivers, oldest first, optionally of one status.
pub(crate) async fn list<D: Db>(
    db: &mut D,
    status: Option<WaiverStatus>,
) -> Result<Vec<StoredWaiver>, StoreError> {
    let rows = match status {
        Some(s) => {
            let sql = format!("SELECT {COLUMNS} FROM waivers WHERE status = $1 ORDER BY id");
            db.query(&sql, &[Val::from(s.as_str())]).await?
        }
        None => {
            db.query(&format!("SELECT {COLUMNS} FROM waivers ORDER BY id"), &[])
                .await?
        }
    };
    rows.iter().map(waiver).collect()
}
