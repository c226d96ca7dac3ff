//! What the API tests share: a server on a store in a temporary directory
//! (or the PostgreSQL database named by SUPPLYSCREEN_TEST_DATABASE_URL), tokens for
//! each role, and requests through the router without a socket.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use supplyscreen_model::{Date, parse_iso_date};
use supplyscreen_screen::{Screener, load_kb};
use supplyscreen_server::{AppState, Clock, Limits, WorkerConfig};
use supplyscreen_store::{Actor, Location, Role, Store};
use tower::ServiceExt;

/// The day the tests screen on.
pub const TODAY: &str = "2026-06-01";

/// A fixed clock: the time moves, the date does not.
pub struct FixedClock;

impl Clock for FixedClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
    fn today(&self) -> Date {
        parse_iso_date(TODAY).unwrap()
    }
}

/// A clock whose date a test moves forward (to let a waiver expire).
pub struct MovableClock(pub std::sync::Mutex<Date>);

impl Clock for MovableClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
    fn today(&self) -> Date {
        *self.0.lock().unwrap()
    }
}

/// The embedded KB's screener, built once for every test of a binary.
pub fn screener() -> Arc<Screener> {
    static S: OnceLock<Arc<Screener>> = OnceLock::new();
    Arc::clone(S.get_or_init(|| Arc::new(Screener::new(load_kb(None).unwrap()))))
}

/// Which store a test runs on.
pub enum Backend {
    /// SQLite in this directory.
    Sqlite(tempfile::TempDir),
    /// A fresh schema of the test PostgreSQL database.
    Postgres(String),
}

/// The PostgreSQL URL for tests, when CI started a database.
pub fn postgres_url() -> Option<String> {
    std::env::var("SUPPLYSCREEN_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A server under test.
pub struct TestServer {
    pub state: AppState,
    pub router: Router,
    pub store: Store,
    pub viewer: String,
    pub submitter: String,
    pub submitter2: String,
    pub approver: String,
    pub approver2: String,
    pub admin: String,
    _dir: Option<tempfile::TempDir>,
}

async fn token(store: &Store, name: &str, role: Role) -> String {
    let (_, secret) = store
        .create_token(name, role, &Actor::local("test"), jiff::Timestamp::now())
        .await
        .unwrap();
    secret.expose().to_owned()
}

/// Opens a store at `location` and builds the app, with `workers` scan
/// workers (0: none; tests then run scans by hand or not at all).
pub async fn server_at(
    location: Location,
    dir: Option<tempfile::TempDir>,
    workers: usize,
) -> TestServer {
    server_with(location, dir, workers, screener()).await
}

/// Like [`server_at`], screening with another KB.
pub async fn server_with(
    location: Location,
    dir: Option<tempfile::TempDir>,
    workers: usize,
    screener: Arc<Screener>,
) -> TestServer {
    server_clocked(location, dir, workers, screener, Arc::new(FixedClock)).await
}

/// Like [`server_with`], on another clock.
pub async fn server_clocked(
    location: Location,
    dir: Option<tempfile::TempDir>,
    workers: usize,
    screener: Arc<Screener>,
    clock: Arc<dyn Clock>,
) -> TestServer {
    let store = Store::open(location).await.unwrap();
    let log: Arc<dyn Fn(&str) + Send + Sync> = Arc::new(|_line: &str| {});
    let state = AppState::new(screener, store.clone(), clock, log);
    if workers > 0 {
        let cfg = WorkerConfig {
            workers,
            lease: Duration::from_secs(5),
            poll: Duration::from_millis(50),
        };
        supplyscreen_server::start(&state, cfg, "test")
            .await
            .unwrap();
    } else {
        state.refresh_waivers().await.unwrap();
    }
    let router = supplyscreen_server::router(state.clone(), Limits::default());
    TestServer {
        viewer: token(&store, "vera", Role::Viewer).await,
        submitter: token(&store, "sam", Role::Submitter).await,
        submitter2: token(&store, "sue", Role::Submitter).await,
        approver: token(&store, "alex", Role::Approver).await,
        approver2: token(&store, "ana", Role::Approver).await,
        admin: token(&store, "ada", Role::Admin).await,
        state,
        router,
        store,
        _dir: dir,
    }
}

/// A fresh database on the test PostgreSQL server, or `None` (with a
/// message saying the PostgreSQL run is skipped) when none is configured.
#[allow(clippy::print_stderr)]
pub async fn fresh_postgres() -> Option<Location> {
    let Some(url) = postgres_url() else {
        eprintln!(
            "skipped: SUPPLYSCREEN_TEST_DATABASE_URL is not set, so this test does not run on PostgreSQL"
        );
        return None;
    };
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "ss_server_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        jiff::Timestamp::now().as_millisecond()
    );
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let mut config: tokio_postgres::Config = url.parse().unwrap();
    config.dbname(&name);
    let mut parts = vec![format!("dbname={name}")];
    for host in config.get_hosts() {
        match host {
            tokio_postgres::config::Host::Tcp(h) => parts.push(format!("host={h}")),
            tokio_postgres::config::Host::Unix(p) => parts.push(format!("host={}", p.display())),
        }
    }
    if let Some(port) = config.get_ports().first() {
        parts.push(format!("port={port}"));
    }
    if let Some(user) = config.get_user() {
        parts.push(format!("user={user}"));
    }
    if let Some(pw) = config.get_password() {
        parts.push(format!("password={}", String::from_utf8_lossy(pw)));
    }
    Some(Location::Postgres(parts.join(" ")))
}

/// A server on a fresh PostgreSQL database, when one is configured.
pub async fn postgres_server(workers: usize) -> Option<TestServer> {
    let location = fresh_postgres().await?;
    Some(server_at(location, None, workers).await)
}

/// Runs `async fn $name(s: TestServer)` on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! both_stores {
    ($name:ident, $workers:expr) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(super::common::sqlite_server($workers).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(s) = super::common::postgres_server($workers).await {
                    super::$name(s).await;
                }
            }
        }
    };
}

/// A server on SQLite in a fresh temporary directory.
pub async fn sqlite_server(workers: usize) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    server_at(
        Location::Sqlite(dir.path().to_path_buf()),
        Some(dir),
        workers,
    )
    .await
}

/// An answer: status, content type and body.
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl TestServer {
    /// Sends a request through the router (no socket).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Body>,
        content_type: &str,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if !content_type.is_empty() {
            req = req.header(header::CONTENT_TYPE, content_type);
        }
        let req = req.body(body.unwrap_or_else(Body::empty)).unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let content_type = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Answer {
            status,
            content_type,
            body,
        }
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None, "").await
    }

    /// POST JSON with a token.
    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> Answer {
        let b = Body::from(serde_json::to_vec(body).unwrap());
        self.call(Method::POST, path, Some(token), Some(b), "application/json")
            .await
    }

    /// Uploads a file.
    pub async fn upload(&self, query: &str, token: &str, bytes: Vec<u8>) -> Answer {
        let path = format!("/v1/inventories?{query}");
        self.call(
            Method::POST,
            &path,
            Some(token),
            Some(Body::from(bytes)),
            "application/octet-stream",
        )
        .await
    }

    /// Waits until the scan is done (or failed); returns its status record.
    pub async fn wait_scan(&self, id: i64) -> Value {
        for _ in 0..400 {
            let a = self
                .get(&format!("/v1/scans/{id}/status"), &self.viewer)
                .await;
            let v = a.json();
            match v["status"].as_str() {
                Some("done" | "failed") => return v,
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        panic!("scan {id} did not finish");
    }

    /// Waits until no scan is queued or running.
    pub async fn wait_idle(&self) {
        for _ in 0..400 {
            let a = self.get("/v1/scans?limit=1000", &self.viewer).await;
            let busy = a.json()["items"]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .any(|s| matches!(s["status"].as_str(), Some("queued" | "running")))
                })
                .unwrap_or(true);
            if !busy {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the queue did not drain");
    }
}

/// The asset register example: installed Micron modules on db-03 and others.
pub fn asset_register() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/asset-register.csv"
    ))
    .unwrap()
}

/// A purchase order line for Micron server memory (a violation for cn-cii).
pub fn micron_line() -> Value {
    serde_json::json!({
        "profile": "cn-cii",
        "action": "purchase",
        "items": [{"fields": {
            "Vendor": "Micron Technology",
            "Mfr Part #": "MTA18ASF4G72PDZ-3G2R1",
            "Description": "32GB DDR4-3200 ECC RDIMM 2Rx8",
            "Order Date": "2024-01-22"
        }}]
    })
}
