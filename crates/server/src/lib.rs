//! `supplyscreen serve`: the HTTP API, the background scan workers and the
//! web UI, over the `screen` facade (the pipeline is the CLI's) and the
//! `store` (SQLite or PostgreSQL).
//!
//! Every route under `/v1` needs `Authorization: Bearer TOKEN`; the web UI
//! at `/` signs in once with a token kept in an HttpOnly cookie. The OpenAPI
//! document at `/openapi.json` is generated from the handlers' types.

pub mod auth;
pub mod columns;
pub mod error;
mod fields;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod screening;
pub mod state;
mod ui;
pub mod views;
mod waivers;
pub mod worker;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use supplyscreen_store::{Actor, KbChange, StoreError};
use tower_http::timeout::TimeoutLayer;

pub use axum;
pub use state::{AppState, Clock};
pub use worker::WorkerConfig;

use crate::routes::{inventories, kb, scans, screen, waivers as waiver_routes};

/// Limits of the HTTP layer.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest JSON body (screen requests, waiver proposals).
    pub json_body: usize,
    /// Largest uploaded inventory.
    pub upload_body: usize,
    /// Longest a request may take before it is answered 408.
    pub timeout: Duration,
    /// Uploads read at once; further uploads wait (unread) for a place, so
    /// that at most this many bodies of `upload_body` bytes are in memory.
    pub concurrent_uploads: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            json_body: 4 * 1024 * 1024,
            upload_body: 64 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            concurrent_uploads: 4,
        }
    }
}

/// Every API route: path, method and handler. The router is built from this
/// table and the OpenAPI document is checked against it.
pub fn api_routes(limits: Limits) -> Vec<(&'static str, Method, MethodRouter<AppState>)> {
    vec![
        ("/healthz", Method::GET, get(healthz)),
        ("/metrics", Method::GET, get(metrics_text)),
        ("/openapi.json", Method::GET, get(openapi::document)),
        ("/v1/screen", Method::POST, post(screen::screen)),
        (
            "/v1/inventories",
            Method::POST,
            post(inventories::upload)
                .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(limits.upload_body))
                .layer::<_, std::convert::Infallible>(
                    tower::limit::GlobalConcurrencyLimitLayer::new(
                        limits.concurrent_uploads.max(1),
                    ),
                ),
        ),
        ("/v1/scans", Method::GET, get(scans::list_scans)),
        ("/v1/scans/{id}", Method::GET, get(scans::get_scan)),
        (
            "/v1/scans/{id}/status",
            Method::GET,
            get(scans::get_scan_status),
        ),
        (
            "/v1/scans/{id}/diff",
            Method::GET,
            get(scans::get_scan_diff),
        ),
        ("/v1/rescreens", Method::GET, get(scans::list_rescreens)),
        ("/v1/findings", Method::GET, get(scans::list_findings)),
        ("/v1/waivers", Method::GET, get(waiver_routes::list)),
        ("/v1/waivers", Method::POST, post(waiver_routes::propose)),
        (
            "/v1/waivers/{id}/approve",
            Method::POST,
            post(waiver_routes::approve),
        ),
        (
            "/v1/waivers/{id}/reject",
            Method::POST,
            post(waiver_routes::reject),
        ),
        ("/v1/directives", Method::GET, get(kb::list_directives)),
        ("/v1/entities/{id}", Method::GET, get(kb::get_entity)),
        ("/v1/kb", Method::GET, get(kb::get_kb)),
    ]
}

/// The whole application: API, UI, limits, metrics and JSON errors.
pub fn router(state: AppState, limits: Limits) -> Router {
    let mut r: Router<AppState> = Router::new();
    let mut by_path: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for (path, _, handler) in api_routes(limits) {
        match by_path.iter_mut().find(|(p, _)| *p == path) {
            Some((_, existing)) => {
                let merged = std::mem::take(existing).merge(handler);
                *existing = merged;
            }
            None => by_path.push((path, handler)),
        }
    }
    for (path, handler) in by_path {
        r = r.route(path, handler);
    }
    r.merge(ui::router())
        .fallback(|| async { error::for_status(StatusCode::NOT_FOUND) })
        .layer(DefaultBodyLimit::max(limits.json_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Counts each request by route template and status, and gives every error
/// that a layer or extractor produced in another shape the API's JSON shape.
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    // A matched path is a shared string: cloning it allocates nothing.
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let route = matched.as_ref().map_or("unmatched", MatchedPath::as_str);
    let mut res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let is_html = route == "/" || route.starts_with("/ui") || route == "/login";
    if (status.is_client_error() || status.is_server_error()) && !is_json && !is_html {
        res = error::for_status(status).into_response();
    }
    state
        .metrics
        .request(route, status.as_u16(), start.elapsed());
    res
}

/// Liveness and store reachability.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    responses(
        (status = 200, description = "`ok`: serving, store reachable", content_type = "text/plain", body = String),
        (status = 503, description = "The store does not answer", body = error::ErrorBody),
    )
)]
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => state.store_error(&e).into_response(),
    }
}

/// Prometheus metrics (text format 0.0.4).
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    responses(
        (status = 200, description = "Requests by route and status, latency histogram, scans, findings by verdict", content_type = "text/plain", body = String),
        (status = 401, body = error::ErrorBody), (status = 403, body = error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn metrics_text(State(state): State<AppState>, _who: auth::Reader) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// What the server does on start, before it answers: records the KB in use
/// (a changed hash queues re-screens of every stored inventory), loads the
/// approved waivers, and starts the scan workers and the waiver refresher.
pub async fn start(
    state: &AppState,
    workers: WorkerConfig,
    instance: &str,
) -> Result<KbChange, StoreError> {
    let screener = state.screener();
    let change = state
        .store()
        .set_kb_state(
            screener.kb().version(),
            screener.kb().hash(),
            &Actor::local("service"),
            state.now(),
        )
        .await?;
    state.refresh_waivers().await?;
    state.expire_waivers().await?;
    worker::spawn(state, workers, instance, state.wake_handle());
    let refresher = state.clone();
    tokio::spawn(async move {
        // Approvals made on other instances reach this one's screens; on a new
        // day, waivers that expired have the inventories re-screened.
        loop {
            tokio::time::sleep(Duration::from_secs(2)).await;
            if let Err(e) = refresher.refresh_waivers().await {
                refresher.log(&format!("reloading waivers: {}", state::error_chain(&e)));
            }
            if let Err(e) = refresher.expire_waivers().await {
                refresher.log(&format!(
                    "recording expired waivers: {}",
                    state::error_chain(&e)
                ));
            }
        }
    });
    Ok(change)
}

/// Shared handle type for tests and the CLI.
pub type SharedScreener = Arc<supplyscreen_screen::Screener>;
