//! Background scans: each worker claims a queued scan from the store (a
//! lease, so that several `serve` processes share one queue and a scan whose
//! worker died is claimed again when its lease expires), screens the stored
//! bytes through the `screen` facade, and records the report and findings.

use std::sync::Arc;
use std::time::Duration;

use supplyscreen_store::{ClaimedScan, ScanResult, ScanSummary, StoreError, WorkerId};
use tokio::sync::Notify;

use crate::screening::{Params, Screening, ScreeningError, screen_bytes};
use crate::state::{AppState, error_chain};

/// How workers lease and poll.
#[derive(Debug, Clone, Copy)]
pub struct WorkerConfig {
    /// How many scans run at once in this process.
    pub workers: usize,
    /// How long a claimed scan is held before another worker may take it
    /// (renewed while screening).
    pub lease: Duration,
    /// How often an idle worker asks the store for work (it is also woken
    /// at once by an upload or an approval on this instance).
    pub poll: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            workers: 2,
            lease: Duration::from_secs(60),
            poll: Duration::from_secs(1),
        }
    }
}

/// Starts the workers; they run until the runtime stops.
pub fn spawn(state: &AppState, config: WorkerConfig, instance: &str, wake: Arc<Notify>) {
    for n in 0..config.workers.max(1) {
        let worker = WorkerId(format!("{instance}/{n}"));
        let state = state.clone();
        let wake = Arc::clone(&wake);
        tokio::spawn(async move { run(state, worker, config, wake).await });
    }
}

async fn run(state: AppState, worker: WorkerId, config: WorkerConfig, wake: Arc<Notify>) {
    // An instance whose KB another instance superseded claims nothing (the
    // claim checks the recorded KB), while it still serves reads.
    let kb = state.screener().kb().hash().to_owned();
    loop {
        match state
            .store()
            .claim_scan_for_kb(&worker, config.lease, state.now(), &kb)
            .await
        {
            Ok(Some(claim)) => {
                let id = claim.scan;
                if let Err(e) = scan(&state, &worker, config, claim).await {
                    state.log(&format!("scan {id}: {}", error_chain(&e)));
                }
            }
            Ok(None) => {
                let _ = tokio::time::timeout(config.poll, wake.notified()).await;
            }
            Err(e) => {
                state.log(&format!("claiming a scan: {}", error_chain(&e)));
                tokio::time::sleep(config.poll).await;
            }
        }
    }
}

/// Screens one claimed scan and records the result; a screening that fails
/// on its input (or its parameters) fails the scan for good and is never
/// retried; anything else gives the scan back to the queue at once so that
/// it is tried again (at most `MAX_ATTEMPTS` times).
async fn scan(
    state: &AppState,
    worker: &WorkerId,
    config: WorkerConfig,
    claim: ClaimedScan,
) -> Result<(), StoreError> {
    if let Err(e) = state.refresh_waivers().await {
        state.log(&format!("reloading waivers: {}", error_chain(&e)));
    }
    let active = state.active_waivers();
    let params = Params {
        profile: claim.profile.clone(),
        action: Some(claim.action.clone()),
        as_of: state.today(),
    };
    let screener = state.screener();
    let (name, body) = (claim.name.clone(), claim.body);
    let waivers = (*active.waivers).clone();
    let job =
        tokio::task::spawn_blocking(move || screen_bytes(&screener, &name, body, &params, waivers));
    let outcome = with_lease(state, worker, config, claim.scan, job).await?;
    match outcome {
        Ok(Ok(s)) => {
            state.metrics.findings(s.verdicts.iter().copied());
            let result = result(s, active.hash);
            let diff = state
                .store()
                .finish_scan(claim.scan, worker, result, state.now())
                .await?;
            state.metrics.scan("done");
            if diff.is_some() {
                state.metrics.rescreen();
            }
            Ok(())
        }
        Ok(Err(ScreeningError::Render(e))) => {
            state.log(&format!(
                "scan {}: the report could not be rendered: {e}",
                claim.scan
            ));
            state.metrics.scan("retried");
            state.store().release_scan(claim.scan, worker).await
        }
        Ok(Err(e @ (ScreeningError::Input(_) | ScreeningError::Params(_)))) => {
            state.metrics.scan("failed");
            state
                .store()
                .fail_scan(claim.scan, worker, &e.to_string(), state.now())
                .await
        }
        Err(_) => {
            state.log(&format!(
                "scan {}: the screening stopped unexpectedly",
                claim.scan
            ));
            state.metrics.scan("retried");
            state.store().release_scan(claim.scan, worker).await
        }
    }
}

/// Awaits the screening, renewing the lease every third of its length.
async fn with_lease<T>(
    state: &AppState,
    worker: &WorkerId,
    config: WorkerConfig,
    scan: supplyscreen_store::ScanId,
    mut job: tokio::task::JoinHandle<T>,
) -> Result<Result<T, tokio::task::JoinError>, StoreError> {
    let every = config.lease / 3;
    loop {
        match tokio::time::timeout(every, &mut job).await {
            Ok(done) => return Ok(done),
            Err(_) => {
                state
                    .store()
                    .extend_lease(scan, worker, config.lease, state.now())
                    .await?;
            }
        }
    }
}

fn result(s: Screening, waivers_hash: String) -> ScanResult {
    let mut summary = ScanSummary {
        components: s.components as u64,
        findings: s.rows.len() as u64,
        ..ScanSummary::default()
    };
    for r in &s.rows {
        *summary.by_verdict.entry(r.verdict.clone()).or_default() += 1;
    }
    ScanResult {
        report_json: s.report,
        summary,
        findings: s.rows,
        kb_hash: s.kb_hash,
        waivers_hash,
    }
}
