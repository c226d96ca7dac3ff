//! Load on `POST /v1/screen`: starts the server (release build, SQLite in a
//! temporary directory; and PostgreSQL when SUPPLYSCREEN_TEST_DATABASE_URL
//! is set), drives single-line screening requests over loopback keep-alive
//! connections, and prints requests/s with p50 and p99 latency.
//!
//! `cargo run --release -p supplyscreen-bench --bin serve [-- SECONDS CONNECTIONS]`

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use supplyscreen_model::{Date, parse_iso_date};
use supplyscreen_screen::{Screener, load_kb};
use supplyscreen_server::{AppState, Clock, Limits, WorkerConfig};
use supplyscreen_store::{Actor, Location, Role, Store};

struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
    fn today(&self) -> Date {
        parse_iso_date("2026-06-01").unwrap_or_default()
    }
}

const BODY: &str = r#"{"profile":"cn-cii","action":"purchase","items":[{"fields":{"Vendor":"Micron Technology","Mfr Part #":"MTA18ASF4G72PDZ-3G2R1","Order Date":"2024-01-22"}}]}"#;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Starts the server on its own runtime (two threads); returns its address and a token.
fn start_server(location: Location) -> Result<(SocketAddr, String), Error> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let run = async {
                let store = Store::open(location).await?;
                let (_, token) = store
                    .create_token(
                        "bench",
                        Role::Submitter,
                        &Actor::local("bench"),
                        jiff::Timestamp::now(),
                    )
                    .await?;
                let screener = Arc::new(Screener::new(load_kb(None)?));
                let log: Arc<dyn Fn(&str) + Send + Sync> =
                    Arc::new(|l: &str| eprintln!("serve: {l}"));
                let state = AppState::new(screener, store, Arc::new(SystemClock), log);
                supplyscreen_server::start(&state, WorkerConfig::default(), "bench").await?;
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
                let addr = listener.local_addr()?;
                Ok::<_, Error>((listener, addr, token.expose().to_owned(), state))
            };
            match run.await {
                Ok((listener, addr, token, state)) => {
                    let _ = tx.send(Ok((addr, token)));
                    let app = supplyscreen_server::router(state, Limits::default());
                    let _ = axum_serve(listener, app).await;
                }
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                }
            }
        });
    });
    rx.recv()?.map_err(Into::into)
}

async fn axum_serve(
    listener: tokio::net::TcpListener,
    app: supplyscreen_server::axum::Router,
) -> std::io::Result<()> {
    supplyscreen_server::axum::serve(listener, app).await
}

/// One keep-alive connection sending requests until `until`; its latencies.
async fn connection(
    addr: SocketAddr,
    token: String,
    until: Instant,
) -> Result<Vec<Duration>, Error> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let auth = format!("Bearer {token}");
    let mut out = Vec::with_capacity(100_000);
    while Instant::now() < until {
        let req = Request::post("/v1/screen")
            .header("host", "bench")
            .header("authorization", &auth)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from_static(BODY.as_bytes())))?;
        let t = Instant::now();
        let res = sender.send_request(req).await?;
        let status = res.status();
        let _ = res.into_body().collect().await?;
        out.push(t.elapsed());
        if status != StatusCode::OK {
            return Err(format!("the server answered {status}").into());
        }
    }
    Ok(out)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// CPU seconds this process (server and client) has used, from /proc.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The machine's one-minute load average.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn drive(name: &str, addr: SocketAddr, token: &str, secs: u64, conns: usize) -> Result<(), Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        // Warm up: one second, not counted.
        let warm = Instant::now() + Duration::from_secs(1);
        let _ = connection(addr, token.to_owned(), warm).await?;
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        let until = start + Duration::from_secs(secs);
        let tasks: Vec<_> = (0..conns)
            .map(|_| tokio::spawn(connection(addr, token.to_owned(), until)))
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await??);
        }
        let elapsed = start.elapsed().as_secs_f64();
        let cpu = cpu_start.zip(cpu_seconds()).map(|(a, b)| b - a);
        all.sort();
        println!(
            "{name}: {} requests in {elapsed:.1} s over {conns} connections: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms",
            all.len(),
            all.len() as f64 / elapsed,
            percentile(&all, 0.50).as_secs_f64() * 1e3,
            percentile(&all, 0.99).as_secs_f64() * 1e3,
        );
        if let Some(cpu) = cpu {
            let per = cpu / all.len().max(1) as f64;
            println!(
                "  CPU (server and client together): {:.0} us per request; {:.0} requests/s if both cores were ours (load average {})",
                per * 1e6,
                2.0 / per,
                load()
            );
        }
        Ok::<_, Error>(())
    })
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs = args.first().and_then(|a| a.parse().ok()).unwrap_or(10);
    let conns = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    println!(
        "POST /v1/screen, one line per request, {} cores, {secs} s, {conns} keep-alive connections",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let dir = tempfile::tempdir()?;
    let (addr, token) = start_server(Location::Sqlite(dir.path().to_path_buf()))?;
    drive("SQLite", addr, &token, secs, conns)?;
    match std::env::var("SUPPLYSCREEN_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let (addr, token) = start_server(Location::Postgres(url))?;
            drive("PostgreSQL", addr, &token, secs, conns)?;
        }
        _ => println!("PostgreSQL: skipped (SUPPLYSCREEN_TEST_DATABASE_URL is not set)"),
    }
    Ok(())
}
