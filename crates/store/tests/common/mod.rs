//! The fixture every store test runs on: a fresh SQLite data directory, or a fresh
//! PostgreSQL database on the server named by `SUPPLYSCREEN_TEST_DATABASE_URL`, with
//! raw SQL access for tampering. `both!` runs one async test body on each backend.
#![allow(dead_code, clippy::print_stderr)]

use jiff::Timestamp;
use serde_json::json;
use std::sync::atomic::{AtomicU32, Ordering};
use supplyscreen_store::{Actor, Location, Store};
use supplyscreen_store::{FindingDraft, ScanResult, ScanSummary, Upload};

/// The environment variable naming the test server.
pub const PG_ENV: &str = "SUPPLYSCREEN_TEST_DATABASE_URL";

/// A store on a fresh database, and how to reach that database directly.
pub struct Fixture {
    /// The store.
    pub store: Store,
    /// Where it is (to open more instances).
    pub location: Location,
    _dir: Option<tempfile::TempDir>,
}

impl Fixture {
    /// A store in a new temporary data directory.
    pub async fn sqlite() -> Fixture {
        let dir = tempfile::tempdir().expect("temporary directory");
        let location = Location::Sqlite(dir.path().join("data"));
        let store = Store::open(location.clone())
            .await
            .expect("open SQLite store");
        Fixture {
            store,
            location,
            _dir: Some(dir),
        }
    }

    /// A store in a new PostgreSQL database, or `None` (with a message) when no test
    /// server is configured.
    pub async fn postgres() -> Option<Fixture> {
        let location = fresh_pg_database().await?;
        let store = Store::open(location.clone())
            .await
            .expect("open PostgreSQL store");
        Some(Fixture {
            store,
            location,
            _dir: None,
        })
    }

    /// Another instance on the same database (its own pool and cache).
    pub async fn another(&self) -> Store {
        Store::open(self.location.clone())
            .await
            .expect("open a second instance")
    }

    /// Runs SQL directly on the database, bypassing the store.
    pub async fn raw(&self, sql: &str) {
        match &self.location {
            Location::Sqlite(dir) => {
                let conn = rusqlite::Connection::open(dir.join(supplyscreen_store::SQLITE_FILE))
                    .expect("open SQLite directly");
                conn.execute_batch(sql).expect("raw SQL");
            }
            Location::Postgres(url) => pg_client(url)
                .await
                .batch_execute(sql)
                .await
                .expect("raw SQL"),
        }
    }

    /// Runs a query returning one integer directly on the database.
    pub async fn raw_count(&self, sql: &str) -> i64 {
        match &self.location {
            Location::Sqlite(dir) => {
                let conn = rusqlite::Connection::open(dir.join(supplyscreen_store::SQLITE_FILE))
                    .expect("open SQLite directly");
                conn.query_row(sql, [], |r| r.get(0)).expect("raw query")
            }
            Location::Postgres(url) => {
                let row = pg_client(url)
                    .await
                    .query_one(sql, &[])
                    .await
                    .expect("raw query");
                row.get::<_, i64>(0)
            }
        }
    }
}

async fn pg_client(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to the test server");
    tokio::spawn(conn);
    client
}

/// Creates a uniquely named database on the test server; its connection string.
async fn fresh_pg_database() -> Option<Location> {
    let Some(url) = std::env::var(PG_ENV).ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipped: {PG_ENV} is not set, so the PostgreSQL store is not tested here");
        return None;
    };
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "supplyscreen_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        Timestamp::now().as_microsecond()
    );
    pg_client(&url)
        .await
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    let config: tokio_postgres::Config = url.parse().expect("test server URL");
    let mut parts = vec![format!("dbname={name}")];
    if let Some(host) = config.get_hosts().first() {
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

/// A fixed instant, plus `secs` seconds: tests pass the clock in.
pub fn t(secs: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + secs).expect("valid time")
}

/// An inventory upload for `host`.
pub fn upload(name: &str, host: &str) -> Upload {
    Upload {
        name: name.into(),
        host: Some(host.into()),
        profile: "cn-cii-operator".into(),
        action: "install".into(),
        body: format!("Vendor,Part Number\nMicron,MT40A1G8SA-075:E\n# {name}\n").into_bytes(),
    }
}

/// A finding row.
pub fn finding(
    id: &str,
    verdict: &str,
    directive: &str,
    entity: &str,
    supplier: &str,
) -> FindingDraft {
    FindingDraft {
        host: None,
        finding_id: id.into(),
        component_id: format!("c-{id}"),
        verdict: verdict.into(),
        directive: directive.into(),
        entity: Some(entity.into()),
        supplier: Some(supplier.into()),
        detail: json!({"id": id, "verdict": verdict}),
    }
}

/// A finished scan with these findings.
pub fn result(findings: Vec<FindingDraft>, kb_hash: &str) -> ScanResult {
    let mut summary = ScanSummary {
        components: 1,
        findings: findings.len() as u64,
        ..Default::default()
    };
    for f in &findings {
        *summary.by_verdict.entry(f.verdict.clone()).or_default() += 1;
    }
    ScanResult {
        report_json: json!({"schema": "supplyscreen/report/v2", "findings": findings.len()})
            .to_string(),
        summary,
        findings,
        kb_hash: kb_hash.into(),
        waivers_hash: "w0".into(),
    }
}

/// A local actor by name.
pub fn local(name: &str) -> Actor {
    Actor::local(name)
}

/// Runs `async fn $name(f: Fixture)` on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::common::Fixture::sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(f) = $crate::common::Fixture::postgres().await {
                        super::$name(f).await;
                    }
                }
            }
        )*
    };
}
