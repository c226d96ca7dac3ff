//! Load on `POST /v1/screen`: starts the release `supplyscreen serve` binary
//! as its own process (SQLite in a temporary directory; and PostgreSQL when
//! SUPPLYSCREEN_TEST_DATABASE_URL is set), drives single-line screening
//! requests over loopback keep-alive connections from one client thread,
//! and prints requests/s, p50, p99 and p99.9 latency, errors, and the CPU
//! time per request of the server and of the client apart (from
//! /proc/PID/stat), so that the client's share is not charged to the server.
//!
//! `cargo build --release -p supplyscreen-cli -p supplyscreen-bench`, then
//! `target/release/serve [SECONDS [CONNECTIONS [PIPELINE]]]`
//! (`SUPPLYSCREEN_BIN` names another `supplyscreen` binary).

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "serve/client.rs"]
mod client;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

const BODY: &str = r#"{"profile":"cn-cii","action":"purchase","items":[{"fields":{"Vendor":"Micron Technology","Mfr Part #":"MTA18ASF4G72PDZ-3G2R1","Order Date":"2024-01-22"}}]}"#;

/// Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

/// The `supplyscreen` binary: `SUPPLYSCREEN_BIN`, else beside this program.
fn binary() -> Result<PathBuf, Error> {
    if let Some(p) = std::env::var_os("SUPPLYSCREEN_BIN") {
        return Ok(p.into());
    }
    let exe = std::env::current_exe()?;
    let bin = exe.with_file_name("supplyscreen");
    if !bin.exists() {
        return Err(format!(
            "{} not found: cargo build --release -p supplyscreen-cli first",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

/// A running `supplyscreen serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Creates a submitter token in the store and starts the server on it.
fn start(bin: &Path, store: &[&str]) -> Result<Server, Error> {
    let out = Command::new(bin)
        .args(["token", "create", "--role", "submitter", "--name", "bench"])
        .args(store)
        .output()?;
    if !out.status.success() {
        return Err(format!("token create: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let token = String::from_utf8(out.stdout)?.trim().to_owned();
    let mut child = Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(store)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let Some(line) = lines.next().transpose()? else {
            let _ = child.kill();
            return Err("the server ended before it listened".into());
        };
        if let Some(rest) = line.strip_prefix("listening on http://") {
            let addr = rest.split_whitespace().next().unwrap_or_default();
            break addr.parse::<SocketAddr>()?;
        }
    };
    // Keep reading what the server logs so that it never blocks on the pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Ok(Server { child, addr, token })
}

/// User plus system CPU seconds of a process (`self` or a pid).
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / TICKS)
}

/// The machine's one-minute load average.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return 0.0;
    };
    let i = ((last as f64) * p).round() as usize;
    sorted[i.min(last)].as_secs_f64() * 1e3
}

/// The run's shape: seconds, connections, requests in flight per connection.
#[derive(Clone, Copy)]
struct Shape {
    secs: u64,
    conns: usize,
    depth: usize,
}

/// Drives the server for one run; prints the figures.
fn drive(name: &str, server: &Server, shape: Shape) -> Result<(), Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let request = client::request_bytes("/v1/screen", &server.token, BODY);
    let spid = server.child.id().to_string();
    rt.block_on(async {
        // Warm up for a second, not counted.
        let warm = Instant::now() + Duration::from_secs(1);
        client::connection(server.addr, request.clone(), 1, warm).await?;
        let (c0, s0) = (cpu_seconds("self"), cpu_seconds(&spid));
        let start = Instant::now();
        let until = start + Duration::from_secs(shape.secs);
        let tasks: Vec<_> = (0..shape.conns)
            .map(|_| {
                let r = request.clone();
                tokio::spawn(client::connection(server.addr, r, shape.depth, until))
            })
            .collect();
        let (mut all, mut errors, mut failed) = (Vec::new(), 0, 0);
        for t in tasks {
            match t.await? {
                Ok(s) => {
                    all.extend(s.latencies);
                    errors += s.errors;
                }
                Err(_) => failed += 1,
            }
        }
        let elapsed = start.elapsed().as_secs_f64();
        let (c1, s1) = (cpu_seconds("self"), cpu_seconds(&spid));
        all.sort();
        let n = all.len().max(1) as f64;
        println!(
            "{name}: {} requests in {elapsed:.1} s: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, {errors} non-200, {failed} connections failed",
            all.len(),
            all.len() as f64 / elapsed,
            percentile(&all, 0.50),
            percentile(&all, 0.99),
            percentile(&all, 0.999),
        );
        if let (Some(c0), Some(c1), Some(s0), Some(s1)) = (c0, c1, s0, s1) {
            let (client, server) = ((c1 - c0) / n * 1e6, (s1 - s0) / n * 1e6);
            println!(
                "  CPU per request: server {server:.0} us, client {client:.0} us; with both cores for the two: about {:.0} requests/s (load average {})",
                2e6 / (server + client),
                load()
            );
        }
        Ok::<_, Error>(())
    })
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, d: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    let shape = Shape {
        secs: arg(0, 10) as u64,
        conns: arg(1, 16).max(1),
        depth: arg(2, 1).max(1),
    };
    let bin = binary()?;
    println!(
        "POST /v1/screen, one line per request, {} cores, {} s, {} keep-alive connections, {} in flight each; server: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        shape.secs,
        shape.conns,
        shape.depth,
        bin.display()
    );
    let dir = tempfile::tempdir()?;
    let data = dir.path().to_string_lossy().into_owned();
    let server = start(&bin, &["--data", &data])?;
    drive("SQLite", &server, shape)?;
    drop(server);
    match std::env::var("SUPPLYSCREEN_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let server = start(&bin, &["--database", &url])?;
            drive("PostgreSQL", &server, shape)?;
        }
        _ => println!("PostgreSQL: skipped (SUPPLYSCREEN_TEST_DATABASE_URL is not set)"),
    }
    Ok(())
}
