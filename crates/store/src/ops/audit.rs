//! Appending to and checking the audit chain.

use crate::crypto::{AuditFields, audit_hash};
use crate::db::{Db, Row, Val, micros};
use crate::{
    Actor, AuditBreak, AuditCheck, AuditEntry, AuditEvent, GENESIS_HASH, Page, PageRequest,
    StoreError,
};
use jiff::Timestamp;

/// The chain's head, locked for the rest of the transaction: every audited change takes
/// it first (after any scan row it locks), so audited changes are serialised and the
/// chain never forks.
pub(crate) struct Head {
    seq: i64,
    hash: String,
}

impl Head {
    /// Reads and locks the head.
    pub async fn lock<D: Db>(db: &mut D) -> Result<Head, StoreError> {
        let sql = format!(
            "SELECT seq, hash FROM audit_head WHERE id = 1{}",
            db.dialect().for_update()
        );
        let row = db.query_one(&sql, &[]).await?;
        Ok(Head {
            seq: row.int(0)?,
            hash: row.text(1)?,
        })
    }

    /// Appends an entry and moves the head to it.
    pub async fn append<D: Db>(
        &mut self,
        db: &mut D,
        at: Timestamp,
        actor: &Actor,
        event: AuditEvent,
        subject: &str,
        detail: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        let seq = self.seq + 1;
        let actor = actor.label();
        let detail = detail.to_string();
        let fields = AuditFields {
            seq,
            at_micros: micros(at),
            actor: &actor,
            event: event.as_str(),
            subject,
            detail: &detail,
        };
        let hash = audit_hash(&self.hash, &fields);
        db.execute(
            "INSERT INTO audit_log (seq, at, actor, event, subject, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                Val::Int(seq),
                Val::Int(fields.at_micros),
                Val::from(actor.as_str()),
                Val::from(event.as_str()),
                Val::from(subject),
                Val::from(detail.as_str()),
                Val::from(self.hash.as_str()),
                Val::from(hash.as_str()),
            ],
        )
        .await?;
        db.execute(
            "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
            &[Val::Int(seq), Val::from(hash.as_str())],
        )
        .await?;
        self.seq = seq;
        self.hash = hash;
        Ok(seq)
    }
}

const ENTRY_COLUMNS: &str = "seq, at, actor, event, subject, detail, prev_hash, hash";

/// A stored entry as read, its event kind still text (an unknown kind is a break).
struct RawEntry {
    seq: i64,
    at: i64,
    actor: String,
    event: String,
    subject: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

fn raw(row: &Row) -> Result<RawEntry, StoreError> {
    Ok(RawEntry {
        seq: row.int(0)?,
        at: row.int(1)?,
        actor: row.text(2)?,
        event: row.text(3)?,
        subject: row.text(4)?,
        detail: row.text(5)?,
        prev_hash: row.text(6)?,
        hash: row.text(7)?,
    })
}

fn entry(row: &Row) -> Result<AuditEntry, StoreError> {
    let r = raw(row)?;
    Ok(AuditEntry {
        seq: r.seq,
        at: crate::db::from_micros(r.at)?,
        actor: r.actor,
        event: AuditEvent::parse(&r.event)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown audit event {:?}", r.event)))?,
        subject: r.subject,
        detail: r.detail,
        prev_hash: r.prev_hash,
        hash: r.hash,
    })
}

/// Entries, oldest first.
pub(crate) async fn entries<D: Db>(
    db: &mut D,
    page: PageRequest,
) -> Result<Page<AuditEntry>, StoreError> {
    super::paged(
        db,
        &format!("SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY seq"),
        "SELECT COUNT(*) FROM audit_log",
        Vec::new(),
        page,
        entry,
    )
    .await
}

/// How many entries `verify` reads at a time.
const VERIFY_BATCH: i64 = 1000;

/// Checks the whole chain in `seq` order, then the head.
pub(crate) async fn verify<D: Db>(db: &mut D) -> Result<AuditCheck, StoreError> {
    let mut expected_seq = 1;
    let mut prev = GENESIS_HASH.to_owned();
    let sql =
        format!("SELECT {ENTRY_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2");
    loop {
        let rows = db
            .query(&sql, &[Val::Int(expected_seq), Val::Int(VERIFY_BATCH)])
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let e = raw(row)?;
            if let Some(reason) = check_entry(&e, expected_seq, &prev) {
                return Ok(AuditCheck::Broken {
                    seq: expected_seq,
                    reason,
                });
            }
            prev = e.hash;
            expected_seq += 1;
        }
    }
    let entries = expected_seq - 1;
    let head = db
        .query_one("SELECT seq, hash FROM audit_head WHERE id = 1", &[])
        .await?;
    if head.int(0)? != entries || head.text(1)? != prev {
        return Ok(AuditCheck::Broken {
            seq: entries + 1,
            reason: AuditBreak::HeadMismatch,
        });
    }
    Ok(AuditCheck::Intact {
        entries: u64::try_from(entries).unwrap_or(0),
        head: prev,
    })
}

/// Why one entry does not check, if it does not.
fn check_entry(e: &RawEntry, expected_seq: i64, prev: &str) -> Option<AuditBreak> {
    if e.seq != expected_seq {
        return Some(AuditBreak::SequenceGap);
    }
    if AuditEvent::parse(&e.event).is_none() {
        return Some(AuditBreak::Unreadable);
    }
    let fields = AuditFields {
        seq: e.seq,
        at_micros: e.at,
        actor: &e.actor,
        event: &e.event,
        subject: &e.subject,
        detail: &e.detail,
    };
    if audit_hash(&e.prev_hash, &fields) != e.hash {
        return Some(AuditBreak::HashMismatch);
    }
    if e.prev_hash != prev {
        return Some(AuditBreak::PrevHashMismatch);
    }
    None
}
