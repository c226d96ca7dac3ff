//! `supplyscreen serve`: the HTTP API, background scans and web UI over the
//! same `screen` facade as `scan`, with an embedded SQLite store in a data
//! directory or a shared PostgreSQL database.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use supplyscreen_model::{Date, parse_iso_date};
use supplyscreen_screen::Screener;
use supplyscreen_server::{AppState, Clock, Limits, WorkerConfig};
use supplyscreen_store::{KbChange, Location, Store};

use super::CmdResult;
use crate::args::ServeArgs;
use crate::{CliError, ExitStatus};

/// The system clock (the server reads the time through it, as the day turns).
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }

    fn today(&self) -> Date {
        let today = jiff::ZonedDateTime::now().date().to_string();
        parse_iso_date(&today).unwrap_or_default()
    }
}

fn service_error(what: &str, e: impl std::fmt::Display) -> CliError {
    CliError::Service(format!("{what}: {e}"))
}

/// A name for this process's workers, unique across machines sharing a database.
fn instance_name(listen: SocketAddr) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    format!("{host}:{}:{}", listen.port(), std::process::id())
}

/// Runs the server until interrupted (Ctrl-C or SIGTERM).
pub fn run(a: ServeArgs, env: &crate::Environment, err: &mut dyn Write) -> CmdResult<ExitStatus> {
    let kb = super::active_kb(&a.kb, env)?;
    let screener = Arc::new(Screener::new(kb).with_registry(env.registry.clone()));
    let location = Location::from_args(a.data.clone(), a.database.clone())
        .map_err(|e| service_error("store", e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| service_error("cannot start the runtime", e))?;
    runtime.block_on(serve(a, screener, location, err))
}

async fn serve(
    a: ServeArgs,
    screener: Arc<Screener>,
    location: Location,
    err: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let described = location.describe();
    let store = Store::open(location)
        .await
        .map_err(|e| service_error(&format!("cannot open the store ({described})"), e))?;
    let log: Arc<dyn Fn(&str) + Send + Sync> = Arc::new(|line: &str| {
        let _ = writeln!(
            std::io::stderr(),
            "serve: {}",
            supplyscreen_report::visible(line)
        );
    });
    let state = AppState::new(screener, store, Arc::new(SystemClock), log);
    let listener = tokio::net::TcpListener::bind(a.listen)
        .await
        .map_err(|e| service_error(&format!("cannot listen on {}", a.listen), e))?;
    let addr = listener.local_addr().unwrap_or(a.listen);
    let workers = WorkerConfig {
        workers: a.workers,
        lease: Duration::from_secs(a.lease_secs.max(1)),
        ..WorkerConfig::default()
    };
    let change = supplyscreen_server::start(&state, workers, &instance_name(addr))
        .await
        .map_err(|e| service_error("cannot start", e))?;
    if let KbChange::Changed { rescreens, .. } = &change {
        let _ = writeln!(
            err,
            "KB changed: {} stored inventories queued for re-screening",
            rescreens.len()
        );
    }
    let _ = writeln!(
        err,
        "listening on http://{addr} ({described}, {} workers)",
        a.workers
    );
    let _ = err.flush();
    let app = supplyscreen_server::router(state, Limits::default());
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| service_error("server", e))?;
    Ok(ExitStatus::Clean)
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, () = term => {} }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
