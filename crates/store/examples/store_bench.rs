//! Prints figures for the store's hot paths on SQLite (a temporary data directory) and,
//! when `SUPPLYSCREEN_TEST_DATABASE_URL` names a server, on PostgreSQL (a new database):
//! `authenticate` latency (cached and uncached), uploads per second, and claim+finish
//! throughput with several workers on two instances.
//!
//! `cargo run --release -p supplyscreen-store --example store_bench`
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

use std::time::{Duration, Instant};
use supplyscreen_store::{
    Actor, FindingDraft, Location, Role, ScanResult, ScanSummary, Store, Upload, WorkerId,
};

const UPLOADS: usize = 400;
const WORKERS_PER_INSTANCE: usize = 4;
const FINDINGS_PER_SCAN: usize = 20;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

async fn auth(store: &Store, label: &str) {
    let now = jiff::Timestamp::now();
    let (_, secret) = store
        .create_token("bench", Role::Submitter, &Actor::local("bench"), now)
        .await
        .unwrap();
    // Uncached: a fresh instance per lookup would measure opening; instead use bearer
    // strings with a wrong secret, which always reach the database and fail the compare.
    let mut cold = Vec::new();
    for i in 0..2000 {
        let wrong = format!("{}{:0>4}", &secret.expose()[..secret.expose().len() - 4], i);
        let t = Instant::now();
        store.authenticate(&wrong).await.unwrap();
        cold.push(t.elapsed());
    }
    let mut warm = Vec::new();
    for _ in 0..100_000 {
        let t = Instant::now();
        store.authenticate(secret.expose()).await.unwrap();
        warm.push(t.elapsed());
    }
    cold.sort();
    warm.sort();
    println!(
        "{label}: authenticate uncached p50 {:?} p99 {:?}; cached p50 {:?} p99 {:?}",
        percentile(&cold, 0.5),
        percentile(&cold, 0.99),
        percentile(&warm, 0.5),
        percentile(&warm, 0.99)
    );
}

fn result() -> ScanResult {
    let findings: Vec<FindingDraft> = (0..FINDINGS_PER_SCAN)
        .map(|i| FindingDraft {
            host: None,
            finding_id: format!("f{i:04}"),
            component_id: format!("c{i:04}"),
            verdict: "violation".into(),
            directive: "cn-cac-2023-micron".into(),
            entity: Some("micron".into()),
            supplier: Some("Acme".into()),
            detail: serde_json::json!({"i": i}),
        })
        .collect();
    ScanResult {
        report_json: "{}".repeat(2000),
        summary: ScanSummary {
            components: 100,
            findings: FINDINGS_PER_SCAN as u64,
            ..Default::default()
        },
        findings,
        kb_hash: "kb".into(),
        waivers_hash: "w".into(),
    }
}

async fn queue(location: Location, label: &str) {
    let a = Store::open(location.clone()).await.unwrap();
    let b = Store::open(location).await.unwrap();
    let body = "Vendor,Part Number,Qty\nMicron,MT40A1G8SA-075:E,4\n"
        .repeat(100)
        .into_bytes();
    let t = Instant::now();
    for i in 0..UPLOADS {
        let up = Upload {
            name: format!("h{i}.csv"),
            host: Some(format!("h{i}")),
            profile: "p".into(),
            action: "install".into(),
            body: body.clone(),
        };
        a.add_upload(up, &Actor::local("bench"), jiff::Timestamp::now())
            .await
            .unwrap();
    }
    let upload_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut tasks = Vec::new();
    for (n, store) in [a, b].into_iter().enumerate() {
        for k in 0..WORKERS_PER_INSTANCE {
            let store = store.clone();
            let worker = WorkerId(format!("i{n}w{k}"));
            tasks.push(tokio::spawn(async move {
                let mut done = 0usize;
                let lease = Duration::from_secs(60);
                while let Some(c) = store
                    .claim_scan(&worker, lease, jiff::Timestamp::now())
                    .await
                    .unwrap()
                {
                    store
                        .finish_scan(c.scan, &worker, result(), jiff::Timestamp::now())
                        .await
                        .unwrap();
                    done += 1;
                }
                done
            }));
        }
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label}: {UPLOADS} uploads of {} bytes in {upload_secs:.2}s ({:.0}/s); {total} claim+finish \
         ({FINDINGS_PER_SCAN} findings each, {} workers on 2 instances) in {secs:.2}s ({:.0}/s)",
        body.len(),
        UPLOADS as f64 / upload_secs,
        2 * WORKERS_PER_INSTANCE,
        total as f64 / secs
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Location::Sqlite(dir.path().join("data"));
    auth(&Store::open(sqlite.clone()).await.unwrap(), "SQLite").await;
    queue(sqlite, "SQLite").await;
    match std::env::var("SUPPLYSCREEN_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            let name = format!("supplyscreen_bench_{}", std::process::id());
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            let config: tokio_postgres::Config = url.parse().unwrap();
            let host = match config.get_hosts().first() {
                Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
                _ => "localhost".into(),
            };
            let port = config.get_ports().first().copied().unwrap_or(5432);
            let user = config.get_user().unwrap_or("postgres");
            let pg =
                Location::Postgres(format!("host={host} port={port} user={user} dbname={name}"));
            auth(&Store::open(pg.clone()).await.unwrap(), "PostgreSQL").await;
            queue(pg, "PostgreSQL").await;
        }
        _ => eprintln!("PostgreSQL skipped: SUPPLYSCREEN_TEST_DATABASE_URL is not set"),
    }
}
