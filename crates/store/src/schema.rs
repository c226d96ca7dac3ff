//! The schema, as numbered migrations for each dialect. A migration once released is
//! never edited; changes are new migrations. Applied versions are recorded in
//! `schema_migrations`.

use crate::StoreError;
use crate::db::{Db, Dialect, Val};

/// One schema change.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// The tables, shared by both dialects except for the id column and the bytes type.
macro_rules! tables {
    ($id:literal, $bytes:literal) => {
        concat!(
            "CREATE TABLE tokens (id ", $id, ", name TEXT NOT NULL, role TEXT NOT NULL,
               salt ", $bytes, " NOT NULL, hash ", $bytes, " NOT NULL, created_at BIGINT NOT NULL,
               created_by TEXT NOT NULL, revoked_at BIGINT);
             CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL,
               actor TEXT NOT NULL, event TEXT NOT NULL, subject TEXT NOT NULL,
               detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
             CREATE TABLE audit_head (id BIGINT PRIMARY KEY CHECK (id = 1),
               seq BIGINT NOT NULL, hash TEXT NOT NULL);
             INSERT INTO audit_head (id, seq, hash) VALUES (1, 0,
               '0000000000000000000000000000000000000000000000000000000000000000');
             CREATE TABLE uploads (id ", $id, ", name TEXT NOT NULL, host TEXT,
               profile TEXT NOT NULL, action TEXT NOT NULL, body ", $bytes, " NOT NULL,
               sha256 TEXT NOT NULL, size BIGINT NOT NULL, created_at BIGINT NOT NULL,
               created_by TEXT NOT NULL);
             CREATE TABLE scans (id ", $id, ", upload_id BIGINT NOT NULL REFERENCES uploads (id),
               status TEXT NOT NULL, cause TEXT NOT NULL, attempt BIGINT NOT NULL DEFAULT 0,
               lease_owner TEXT, lease_until BIGINT, queued_at BIGINT NOT NULL,
               started_at BIGINT, finished_at BIGINT, report_json TEXT, summary TEXT,
               kb_hash TEXT, waivers_hash TEXT, error TEXT, current BIGINT NOT NULL DEFAULT 0);
             CREATE INDEX scans_queue ON scans (status, id);
             CREATE INDEX scans_upload ON scans (upload_id, current);
             CREATE TABLE findings (scan_id BIGINT NOT NULL REFERENCES scans (id),
               finding_id TEXT NOT NULL, upload_id BIGINT NOT NULL, current BIGINT NOT NULL,
               host TEXT, component_id TEXT NOT NULL, verdict TEXT NOT NULL,
               directive TEXT NOT NULL, entity TEXT, supplier TEXT, detail TEXT NOT NULL,
               PRIMARY KEY (scan_id, finding_id));
             CREATE INDEX findings_verdict ON findings (current, verdict);
             CREATE INDEX findings_directive ON findings (current, directive);
             CREATE INDEX findings_entity ON findings (current, entity);
             CREATE INDEX findings_host ON findings (current, host);
             CREATE INDEX findings_supplier ON findings (current, supplier);
             CREATE TABLE waivers (id ", $id, ", directive TEXT NOT NULL, reason TEXT NOT NULL,
               expires TEXT NOT NULL, ticket TEXT, match_entity TEXT, match_part_number TEXT,
               match_host TEXT, match_path TEXT, match_serial TEXT, status TEXT NOT NULL,
               proposed_by TEXT NOT NULL, proposed_by_token BIGINT, proposed_by_name TEXT NOT NULL,
               proposed_at BIGINT NOT NULL, decided_by TEXT, decided_by_name TEXT,
               decided_at BIGINT);
             CREATE INDEX waivers_status ON waivers (status, id);
             CREATE TABLE kb_state (id BIGINT PRIMARY KEY CHECK (id = 1),
               version TEXT NOT NULL, hash TEXT NOT NULL, since BIGINT NOT NULL);
             CREATE TABLE rescreens (scan_id BIGINT PRIMARY KEY REFERENCES scans (id),
               previous_scan BIGINT NOT NULL, upload_id BIGINT NOT NULL, cause TEXT NOT NULL,
               new_findings TEXT NOT NULL, resolved_findings TEXT NOT NULL, at BIGINT NOT NULL);"
        )
    };
}

const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "tokens, audit log, uploads, scans, findings, waivers, KB state, re-screens",
    sqlite: tables!("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB"),
    postgres: tables!("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA"),
}];

/// The latest schema version this program knows.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Applies every migration not yet recorded, in order. The caller holds the lock that
/// serialises openers (SQLite `BEGIN IMMEDIATE`, PostgreSQL an advisory lock) and
/// commits. Returns the versions applied.
pub(crate) async fn migrate<D: Db>(db: &mut D) -> Result<Vec<i64>, StoreError> {
    db.batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations \
         (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
    )
    .await?;
    let done = db
        .query(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?;
    let current = done.first().map(|r| r.int(0)).transpose()?.unwrap_or(0);
    if current > latest() {
        return Err(StoreError::SchemaTooNew {
            found: current,
            known: latest(),
        });
    }
    let mut applied = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        let sql = match db.dialect() {
            Dialect::Sqlite => m.sqlite,
            Dialect::Postgres => m.postgres,
        };
        db.batch(sql).await?;
        db.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[Val::Int(m.version), Val::from(m.name)],
        )
        .await?;
        applied.push(m.version);
    }
    Ok(applied)
}
