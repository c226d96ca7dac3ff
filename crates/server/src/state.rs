//! What every handler shares: the screener (KB and matcher, built once),
//! the store, the approved waivers as policy values, the clock and the
//! metrics.

use std::sync::{Arc, RwLock};

use jiff::Timestamp;
use supplyscreen_model::Date;
use supplyscreen_screen::{ReadOptions, Screener, Waiver};
use supplyscreen_store::{Actor, Principal, Store, StoreError, StoredWaiver};
use tokio::sync::Notify;

use crate::columns::ColumnCache;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::waivers::{policy_waivers, waivers_hash};

/// The time source: libraries never read the clock themselves; `serve`
/// passes the system clock and tests a fixed one.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> Timestamp;
    /// Today's date (the default `as_of` of a screening).
    fn today(&self) -> Date;
}

/// The approved waivers as screening applies them, with their hash.
#[derive(Debug, Clone, Default)]
pub struct ActiveWaivers {
    /// As policy values.
    pub waivers: Arc<Vec<Waiver>>,
    /// A hash of the approved waivers' ids and contents (recorded with scans).
    pub hash: String,
}

struct Inner {
    screener: Arc<Screener>,
    store: Store,
    clock: Arc<dyn Clock>,
    waivers: RwLock<ActiveWaivers>,
    log: Arc<dyn Fn(&str) + Send + Sync>,
    wake: Arc<Notify>,
    /// The day waiver expiries were last recorded on this instance.
    expiries_checked: std::sync::Mutex<Option<Date>>,
    columns: ColumnCache,
}

/// The shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
    /// The counters behind `/metrics`.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// State over a store, with the KB's screener and a clock.
    /// `log` receives what the server cannot tell its clients (a store
    /// failure's cause, a scan that failed); `serve` writes it to stderr.
    pub fn new(
        screener: Arc<Screener>,
        store: Store,
        clock: Arc<dyn Clock>,
        log: Arc<dyn Fn(&str) + Send + Sync>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                screener,
                store,
                clock,
                waivers: RwLock::new(ActiveWaivers::default()),
                log,
                wake: Arc::new(Notify::new()),
                expiries_checked: std::sync::Mutex::new(None),
                columns: ColumnCache::new(ReadOptions::default()),
            }),
            metrics: Arc::new(Metrics::default()),
        }
    }

    /// The screener (KB and matcher).
    pub fn screener(&self) -> Arc<Screener> {
        Arc::clone(&self.inner.screener)
    }

    /// The column mappings of the header lists screen requests used.
    pub fn columns(&self) -> &ColumnCache {
        &self.inner.columns
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Now, from the clock.
    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    /// Today, from the clock.
    pub fn today(&self) -> Date {
        self.inner.clock.today()
    }

    /// Wakes an idle worker (new work was queued on this instance).
    pub fn wake_workers(&self) {
        self.inner.wake.notify_waiters();
        self.inner.wake.notify_one();
    }

    /// What idle workers wait on.
    pub fn wake_handle(&self) -> Arc<Notify> {
        Arc::clone(&self.inner.wake)
    }

    /// Logs a line for the operator.
    pub fn log(&self, line: &str) {
        (self.inner.log)(line);
    }

    /// The API error for a store error, logging its cause.
    pub fn store_error(&self, e: &StoreError) -> ApiError {
        if matches!(e, StoreError::Backend { .. } | StoreError::Corrupt(_)) {
            self.log(&format!("store: {}", error_chain(e)));
        }
        store_error(e)
    }

    /// The approved waivers as last loaded.
    pub fn waivers(&self) -> Arc<Vec<Waiver>> {
        Arc::clone(&self.active_waivers().waivers)
    }

    /// The approved waivers and their hash.
    pub fn active_waivers(&self) -> ActiveWaivers {
        self.inner
            .waivers
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Reloads the approved waivers from the store; returns true when they
    /// changed. A waiver that no longer validates against the KB is left out
    /// (it was checked when proposed, against the KB of that time).
    pub async fn refresh_waivers(&self) -> Result<bool, StoreError> {
        let approved: Vec<StoredWaiver> = self.store().approved_waivers().await?;
        let hash = waivers_hash(&approved);
        if hash == self.active_waivers().hash && !hash.is_empty() {
            return Ok(false);
        }
        let waivers = policy_waivers(self.inner.screener.kb(), &approved);
        let mut w = self
            .inner
            .waivers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let changed = w.hash != hash;
        *w = ActiveWaivers {
            waivers: Arc::new(waivers),
            hash,
        };
        Ok(changed)
    }

    /// Once a day (the first call on a new date): records the approved waivers
    /// that expired and queues re-screens for them, waking the workers. Gives
    /// how many re-screens were queued.
    pub async fn expire_waivers(&self) -> Result<usize, StoreError> {
        let today = self.today();
        let checked = *self
            .inner
            .expiries_checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if checked == Some(today) {
            return Ok(0);
        }
        let expired = self
            .store()
            .expire_waivers(today, &Actor::local("service"), self.now())
            .await?;
        *self
            .inner
            .expiries_checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(today);
        let queued: usize = expired.iter().map(|e| e.rescreens.len()).sum();
        for e in &expired {
            self.log(&format!(
                "waiver {} expired on {}: {} re-screen(s) queued",
                e.waiver,
                e.expires,
                e.rescreens.len()
            ));
        }
        if queued > 0 {
            self.wake_workers();
        }
        Ok(queued)
    }

    /// The principal of a bearer token; 401 when unknown or revoked.
    pub async fn authenticate(&self, token: &str) -> Result<Principal, ApiError> {
        match self.store().authenticate(token).await {
            Ok(Some(p)) => Ok(p),
            Ok(None) => Err(ApiError::unauthorized()),
            Err(e) => Err(self.store_error(&e)),
        }
    }
}

/// The API error for a store error: what the client can act on, never the
/// driver's text.
pub fn store_error(e: &StoreError) -> ApiError {
    match e {
        StoreError::ScanNotFound(id) => ApiError::not_found(format!("no scan {id}")),
        StoreError::WaiverNotFound(id) => ApiError::not_found(format!("no waiver {id}")),
        StoreError::TokenNotFound(id) => ApiError::not_found(format!("no token {id}")),
        StoreError::FourEyes(_) => ApiError::forbidden(e.to_string()),
        StoreError::WaiverNotProposed { .. } | StoreError::TokenAlreadyRevoked(_) => {
            ApiError::conflict(e.to_string())
        }
        StoreError::Invalid(m) => ApiError::bad_request(m.clone()),
        StoreError::Backend { .. } => ApiError::unavailable(),
        _ => ApiError::internal(),
    }
}

/// An error with its sources, for the log.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
