//! Persistence for the supplyscreen service, in an embedded SQLite database or a
//! shared PostgreSQL database, with the same semantics on both.
//!
//! [`Store`] holds bearer tokens (salted hashes only), the audit log (a hash chain
//! appended in the same transaction as each change), uploaded inventories and their
//! scans (a queue claimed with leases, so several `serve` processes share the work and
//! a scan interrupted by a crash is redone), the findings of finished scans (indexed for
//! the fleet's filters), waivers (proposed, then approved or rejected by someone else),
//! the knowledge base in use, and the diff each re-screen made.
//!
//! The clock is an argument: every method that records a time takes it. Nothing here
//! prints; errors are [`StoreError`]s whose text shows no SQL.

mod audit;
mod auth;
mod cache;
mod crypto;
mod db;
mod error;
mod ids;
mod location;
mod ops;
mod page;
mod pg_tls;
mod postgres;
mod scans;
mod schema;
mod sqlite;
mod waivers;

pub use audit::{AuditBreak, AuditCheck, AuditEntry, AuditEvent, GENESIS_HASH};
pub use auth::{Permission, Principal, Role, SecretToken, TokenInfo};
pub use error::{StoreError, StoreErrorKind};
pub use ids::{Actor, ScanId, TokenId, UploadId, WaiverId, WorkerId};
pub use location::{DATA_ENV, Location, SQLITE_FILE, default_data_dir};
pub use page::{MAX_PAGE, Page, PageRequest};
pub use scans::{
    ClaimedScan, FindingDraft, FindingFilter, FindingKey, FindingRow, KbChange, KbState,
    MAX_ATTEMPTS, MAX_UPLOAD_BYTES, Rescreen, ScanCause, ScanInfo, ScanRecord, ScanResult,
    ScanStatus, ScanSummary, StoreStats, Upload, UploadReceipt,
};
pub use waivers::{
    Decision, StoredWaiver, WaiverDecision, WaiverDraft, WaiverExpiry, WaiverMatch, WaiverStatus,
    waivers_hash, waivers_toml,
};

use db::{Db, stored_time};
use jiff::Timestamp;
use ops::{audit as audit_ops, kb, scans as scan_ops, tokens, views, waivers as waiver_ops};
use sqlite::Mode;
use std::sync::Arc;
use std::time::Duration;

/// The service's store. Cheap to clone (shared pools inside); use one per process.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    cache: Arc<cache::AuthCache>,
}

#[derive(Clone)]
enum Backend {
    Sqlite(sqlite::SqliteBackend),
    Postgres(postgres::PgBackend),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.backend {
            Backend::Sqlite(_) => "Store(SQLite)",
            Backend::Postgres(_) => "Store(PostgreSQL)",
        })
    }
}

/// Runs one operation of `ops` in a transaction on whichever backend the store has.
/// Every captured value must be owned.
macro_rules! on_db {
    ($self:ident, $mode:expr, |$db:ident| $body:expr) => {
        match &$self.backend {
            Backend::Sqlite(b) => {
                b.run($mode, move |$db| Box::pin(async move { $body.await }))
                    .await
            }
            Backend::Postgres(b) => {
                b.run($mode, move |$db| Box::pin(async move { $body.await }))
                    .await
            }
        }
    };
}

impl Store {
    /// Opens the store, creating the data directory or schema when missing and applying
    /// pending migrations (versioned and recorded; several processes opening the same
    /// PostgreSQL database at once are serialised by an advisory lock).
    pub async fn open(location: Location) -> Result<Store, StoreError> {
        let backend = match location {
            Location::Sqlite(dir) => Backend::Sqlite(sqlite::SqliteBackend::open(dir).await?),
            Location::Postgres(url) => Backend::Postgres(postgres::PgBackend::open(&url).await?),
        };
        Ok(Store {
            backend,
            cache: Arc::default(),
        })
    }

    /// Checks that the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_db!(self, Mode::Read, |db| db.query_one("SELECT 1", &[])).map(|_| ())
    }

    // ---- tokens -------------------------------------------------------------------

    /// Creates a token; the returned secret is shown once and never stored (only a random
    /// salt and SHA-256 of salt and secret are). Audited as `token-created`.
    pub async fn create_token(
        &self,
        name: &str,
        role: Role,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<(TokenInfo, SecretToken), StoreError> {
        let (name, actor, at) = (name.to_owned(), actor.clone(), stored_time(at)?);
        on_db!(self, Mode::Write, |db| tokens::create(
            db, &name, role, &actor, at
        ))
    }

    /// The principal of a bearer string, or `None` when it is malformed, unknown or
    /// revoked. Results are cached in this process for at most two seconds (bounded), so
    /// a revocation made by another instance takes effect within two seconds; one made
    /// through this `Store` takes effect at once.
    pub async fn authenticate(&self, bearer: &str) -> Result<Option<Principal>, StoreError> {
        if let Some(answer) = self.cache.get(bearer) {
            return Ok(answer);
        }
        let Some((id, secret)) = crypto::parse_bearer(bearer) else {
            return Ok(None);
        };
        let secret = secret.to_owned();
        let answer = on_db!(self, Mode::Read, |db| tokens::lookup(db, id, &secret))?;
        self.cache.put(bearer, answer.clone());
        Ok(answer)
    }

    /// Every token, oldest first (revoked ones included).
    pub async fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        on_db!(self, Mode::Read, |db| tokens::list(db))
    }

    /// Revokes a token. Audited as `token-revoked`.
    pub async fn revoke_token(
        &self,
        id: TokenId,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<TokenInfo, StoreError> {
        let (actor, at) = (actor.clone(), stored_time(at)?);
        let token = on_db!(self, Mode::Write, |db| tokens::revoke(db, id, &actor, at))?;
        self.cache.clear();
        Ok(token)
    }

    // ---- inventories and scans ------------------------------------------------------

    /// Stores an inventory and queues its first scan in one transaction (audited as
    /// `inventory-uploaded`); returns after the commit is durable (SQLite
    /// `synchronous=FULL`, PostgreSQL commit), so a 2xx answer means stored.
    pub async fn add_upload(
        &self,
        upload: Upload,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<UploadReceipt, StoreError> {
        let (actor, at) = (actor.clone(), stored_time(at)?);
        on_db!(self, Mode::Write, |db| scan_ops::add_upload(
            db, upload, &actor, at
        ))
    }

    /// Leases the oldest claimable scan to `worker` until `now + lease`: a queued scan, or
    /// a running one whose lease expired (its worker died). Scans claimed
    /// [`MAX_ATTEMPTS`] times are failed instead. `None` when there is nothing to do.
    /// Concurrent claimers never get the same scan (PostgreSQL `FOR UPDATE SKIP LOCKED`,
    /// SQLite an immediate transaction).
    pub async fn claim_scan(
        &self,
        worker: &WorkerId,
        lease: Duration,
        now: Timestamp,
    ) -> Result<Option<ClaimedScan>, StoreError> {
        let (worker, now) = (worker.clone(), stored_time(now)?);
        on_db!(self, Mode::Write, |db| scan_ops::claim(
            db, &worker, lease, now, None
        ))
    }

    /// Like [`Store::claim_scan`], for a worker screening with the KB of `kb_hash`:
    /// nothing is claimed while the recorded KB is another one (a newer instance
    /// changed it), checked in the claiming statement itself.
    pub async fn claim_scan_for_kb(
        &self,
        worker: &WorkerId,
        lease: Duration,
        now: Timestamp,
        kb_hash: &str,
    ) -> Result<Option<ClaimedScan>, StoreError> {
        let (worker, now, kb) = (worker.clone(), stored_time(now)?, kb_hash.to_owned());
        on_db!(self, Mode::Write, |db| scan_ops::claim(
            db,
            &worker,
            lease,
            now,
            Some(&kb)
        ))
    }

    /// Extends a lease the worker holds to `now + lease`; [`StoreError::LeaseLost`] when
    /// it no longer holds it.
    pub async fn extend_lease(
        &self,
        scan: ScanId,
        worker: &WorkerId,
        lease: Duration,
        now: Timestamp,
    ) -> Result<Timestamp, StoreError> {
        let (worker, now) = (worker.clone(), stored_time(now)?);
        on_db!(self, Mode::Write, |db| scan_ops::extend(
            db, scan, &worker, lease, now
        ))
    }

    /// Records a scan's report and findings, makes it its inventory's current scan and,
    /// when it replaced an earlier finished scan, records the diff (returned). Audited as
    /// `scan-finished`. [`StoreError::LeaseLost`] when the worker no longer holds the lease.
    pub async fn finish_scan(
        &self,
        scan: ScanId,
        worker: &WorkerId,
        result: ScanResult,
        at: Timestamp,
    ) -> Result<Option<Rescreen>, StoreError> {
        let (worker, at) = (worker.clone(), stored_time(at)?);
        on_db!(self, Mode::Write, |db| scan_ops::finish(
            db, scan, &worker, result, at
        ))
    }

    /// Fails a scan for good (e.g. the input cannot be read). Audited as `scan-failed`.
    pub async fn fail_scan(
        &self,
        scan: ScanId,
        worker: &WorkerId,
        message: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let (worker, message, at) = (worker.clone(), message.to_owned(), stored_time(at)?);
        on_db!(self, Mode::Write, |db| scan_ops::fail(
            db, scan, &worker, &message, at
        ))
    }

    /// Gives a held scan back to the queue at once (a retryable failure: the
    /// worker could not finish it but another attempt may), instead of waiting for
    /// its lease to expire. The attempt still counts towards [`MAX_ATTEMPTS`].
    /// [`StoreError::LeaseLost`] when the worker no longer holds the lease.
    pub async fn release_scan(&self, scan: ScanId, worker: &WorkerId) -> Result<(), StoreError> {
        let worker = worker.clone();
        on_db!(self, Mode::Write, |db| scan_ops::release(db, scan, &worker))
    }

    /// A scan with its report, or `None`.
    pub async fn scan(&self, id: ScanId) -> Result<Option<ScanRecord>, StoreError> {
        on_db!(self, Mode::Read, |db| views::scan(db, id))
    }

    /// Scans, newest first.
    pub async fn list_scans(&self, page: PageRequest) -> Result<Page<ScanInfo>, StoreError> {
        on_db!(self, Mode::Read, |db| views::list_scans(db, page))
    }

    /// Findings matching the filter (by default those of each inventory's current scan),
    /// ordered by scan (newest first) then finding id.
    pub async fn findings(
        &self,
        filter: &FindingFilter,
        page: PageRequest,
    ) -> Result<Page<FindingRow>, StoreError> {
        let filter = filter.clone();
        on_db!(self, Mode::Read, |db| views::findings(db, &filter, page))
    }

    /// One finding of one scan, or `None`.
    pub async fn finding(
        &self,
        scan: ScanId,
        finding_id: &str,
    ) -> Result<Option<FindingRow>, StoreError> {
        let id = finding_id.to_owned();
        on_db!(self, Mode::Read, |db| views::finding(db, scan, &id))
    }

    /// Current findings counted by `key`, the largest `limit` groups first (ties by
    /// value); a finding without a value counts under `None`.
    pub async fn finding_counts(
        &self,
        key: FindingKey,
        limit: u32,
    ) -> Result<Vec<(Option<String>, u64)>, StoreError> {
        on_db!(self, Mode::Read, |db| views::finding_counts(db, key, limit))
    }

    /// Counts for `/metrics` and the dashboard.
    pub async fn stats(&self) -> Result<StoreStats, StoreError> {
        on_db!(self, Mode::Read, |db| views::stats(db))
    }

    // ---- waivers ------------------------------------------------------------------

    /// Records a proposed waiver. Audited as `waiver-proposed`.
    pub async fn propose_waiver(
        &self,
        draft: WaiverDraft,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<StoredWaiver, StoreError> {
        let (actor, at) = (actor.clone(), stored_time(at)?);
        on_db!(self, Mode::Write, |db| waiver_ops::propose(
            db, draft, &actor, at
        ))
    }

    /// Approves or rejects a proposed waiver. Refused with [`StoreError::FourEyes`] when
    /// `actor` proposed it ([`Actor::same_person`]) and [`StoreError::WaiverNotProposed`]
    /// when it was already decided. An approval queues re-screens of every stored
    /// inventory in the same transaction. Audited as `waiver-approved`/`waiver-rejected`.
    pub async fn decide_waiver(
        &self,
        id: WaiverId,
        decision: Decision,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<WaiverDecision, StoreError> {
        let (actor, at) = (actor.clone(), stored_time(at)?);
        on_db!(self, Mode::Write, |db| waiver_ops::decide(
            db, id, decision, &actor, at
        ))
    }

    /// Records the approved waivers whose last day is before `today` (once each,
    /// audited as `waiver-expired`) and queues re-screens of the stored inventories,
    /// so findings they covered are judged again without them.
    pub async fn expire_waivers(
        &self,
        today: jiff::civil::Date,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Vec<WaiverExpiry>, StoreError> {
        let (actor, at, today) = (actor.clone(), stored_time(at)?, today.to_string());
        on_db!(self, Mode::Write, |db| waiver_ops::expire(
            db, &today, &actor, at
        ))
    }

    /// One waiver, or `None`.
    pub async fn waiver(&self, id: WaiverId) -> Result<Option<StoredWaiver>, StoreError> {
        on_db!(self, Mode::Read, |db| waiver_ops::get(db, id))
    }

    /// Waivers, oldest first, optionally only those in one status.
    pub async fn list_waivers(
        &self,
        status: Option<WaiverStatus>,
    ) -> Result<Vec<StoredWaiver>, StoreError> {
        on_db!(self, Mode::Read, |db| waiver_ops::list(db, status))
    }

    /// The approved waivers (what screens apply), oldest first.
    pub async fn approved_waivers(&self) -> Result<Vec<StoredWaiver>, StoreError> {
        self.list_waivers(Some(WaiverStatus::Approved)).await
    }

    // ---- knowledge base and re-screens ------------------------------------------------

    /// The KB recorded as in use, if any.
    pub async fn kb_state(&self) -> Result<Option<KbState>, StoreError> {
        on_db!(self, Mode::Read, |db| kb::get(db))
    }

    /// Records the KB in use. When its hash differs from the recorded one, the change is
    /// audited (`kb-changed`) and re-screens of every stored inventory are queued in the
    /// same transaction; several instances starting with the same KB change it once.
    pub async fn set_kb_state(
        &self,
        version: &str,
        hash: &str,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<KbChange, StoreError> {
        let (version, hash) = (version.to_owned(), hash.to_owned());
        let (actor, at) = (actor.clone(), stored_time(at)?);
        on_db!(self, Mode::Write, |db| kb::set(
            db, &version, &hash, &actor, at
        ))
    }

    /// Queues a re-screen of every stored inventory that has no scan already queued.
    /// Audited as `rescreens-queued` when any was queued.
    pub async fn queue_rescreens(
        &self,
        cause: ScanCause,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Vec<ScanId>, StoreError> {
        let (actor, at) = (actor.clone(), stored_time(at)?);
        on_db!(self, Mode::Write, |db| kb::queue_rescreens(
            db, &cause, &actor, at
        ))
    }

    /// Recorded re-screen diffs, newest first.
    pub async fn rescreens(&self, page: PageRequest) -> Result<Page<Rescreen>, StoreError> {
        on_db!(self, Mode::Read, |db| views::rescreens(db, page))
    }

    /// The diff a scan made against its inventory's previous scan, if it was a re-screen.
    pub async fn scan_diff(&self, scan: ScanId) -> Result<Option<Rescreen>, StoreError> {
        on_db!(self, Mode::Read, |db| views::scan_diff(db, scan))
    }

    // ---- audit ----------------------------------------------------------------------

    /// Audit entries, oldest first.
    pub async fn audit_entries(&self, page: PageRequest) -> Result<Page<AuditEntry>, StoreError> {
        on_db!(self, Mode::Read, |db| audit_ops::entries(db, page))
    }

    /// Checks the whole chain: every entry's hash, every link, the sequence and the head.
    pub async fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        on_db!(self, Mode::Read, |db| audit_ops::verify(db))
    }
}

/// The server awaits these futures in handlers run on a multi-threaded runtime: they
/// must be `Send`. This does not compile if one is not.
#[cfg(test)]
#[allow(dead_code)]
fn futures_are_send(s: &Store, w: &WorkerId, a: &Actor) {
    fn send<T: Send>(_: T) {}
    let now = Timestamp::UNIX_EPOCH;
    send(Store::open(Location::Sqlite(".".into())));
    send(s.authenticate("x"));
    send(s.claim_scan(w, Duration::from_secs(1), now));
    send(s.findings(&FindingFilter::default(), PageRequest::default()));
    send(s.decide_waiver(WaiverId(1), Decision::Approve, a, now));
    send(s.verify_audit());
    send(s.set_kb_state("v", "h", a, now));
}
