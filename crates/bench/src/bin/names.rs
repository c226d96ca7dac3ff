//! Name search over an imported public list: writes a synthetic
//! FollowTheMoney file of OpenSanctions' shape (companies, organisations and
//! persons with multilingual names, aliases, countries, datasets, ownership
//! edges), imports it with `kb import`'s code (a compact layer file with its
//! search index), loads the KB with the layer, and times `kb search` and
//! `identify` on query names (hits, near misses, misses). Import, search and
//! identify each run in their own process so each peak RSS is its own; CPU
//! time is printed beside wall time, the machine being shared.
//!
//! ```text
//! cargo build --release -p supplyscreen-bench
//! target/release/names [--entities 1000000] [--queries 10000] [--dir DIR]
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "names/ftm.rs"]
mod ftm;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use supplyscreen_identify::Matcher;
use supplyscreen_screen::{ListFormat, import_list, load_kb, search_kb};

/// Peak and current resident memory of this process, in MiB (Linux).
fn rss() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// CPU time this process has run, in seconds (Linux schedstat).
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

/// Times `f` over every query; prints p50, p90, p99 and the mean in microseconds.
fn latency(label: &str, queries: &[String], mut f: impl FnMut(&str) -> usize) {
    let mut times = Vec::with_capacity(queries.len());
    let mut found = 0;
    let mut slowest = (0.0, "");
    for q in queries {
        let start = Instant::now();
        found += f(q);
        let us = start.elapsed().as_secs_f64() * 1e6;
        if us > slowest.0 {
            slowest = (us, q);
        }
        times.push(us);
    }
    let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
    times.sort_by(f64::total_cmp);
    println!(
        "{label}: {} names, p50 {:.1} us, p90 {:.1} us, p99 {:.1} us, mean {mean:.1} us, {found} with a result",
        queries.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
    );
    println!("  slowest: {:.0} us for {:?}", slowest.0, slowest.1);
}

fn phase_import(dir: &Path) -> Result<(), String> {
    let list = dir.join("entities.ftm.json");
    let kb_dir = dir.join("kb");
    let today = jiff::civil::date(2026, 11, 28);
    let (start, cpu0) = (Instant::now(), cpu());
    let imported =
        import_list(&list, ListFormat::OpenSanctions, &kb_dir, today).map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    let size = std::fs::metadata(&imported.written).map_or(0, |m| m.len());
    println!(
        "import: {} organisations in {secs:.1} s wall, {:.1} s CPU (stream the list, write the layer and its index, load it to check); layer {:.0} MB; peak RSS {:.0} MiB",
        imported.layer.entities,
        cpu() - cpu0,
        size as f64 / 1e6,
        rss().0
    );
    Ok(())
}

/// Loads the KB with the layer, printing time and memory.
fn load(dir: &Path) -> Result<supplyscreen_kb::Kb, String> {
    let (start, cpu0) = (Instant::now(), cpu());
    let kb = load_kb(Some(&dir.join("kb"))).map_err(|e| e.to_string())?;
    let (peak, now) = rss();
    println!(
        "  load: KB with {} imported organisations in {:.2} s wall, {:.2} s CPU; peak RSS {peak:.0} MiB, RSS {now:.0} MiB",
        kb.imported().iter().map(|l| l.len()).sum::<usize>(),
        start.elapsed().as_secs_f64(),
        cpu() - cpu0
    );
    Ok(kb)
}

fn queries(dir: &Path) -> Result<Vec<String>, String> {
    Ok(std::fs::read_to_string(dir.join("queries.txt"))
        .map_err(|e| e.to_string())?
        .lines()
        .map(str::to_owned)
        .collect())
}

fn phase_search(dir: &Path) -> Result<(), String> {
    println!("kb search (own process):");
    let kb = load(dir)?;
    let queries = queries(dir)?;
    latency("  kb search", &queries, |q| {
        usize::from(!search_kb(&kb, q).entities.is_empty())
    });
    let (peak, now) = rss();
    println!("  search phase: peak RSS {peak:.0} MiB, RSS {now:.0} MiB");
    Ok(())
}

fn phase_identify(dir: &Path) -> Result<(), String> {
    println!("identify (own process):");
    let kb = load(dir)?;
    let queries = queries(dir)?;
    let (start, cpu0) = (Instant::now(), cpu());
    let matcher = Matcher::new(&kb);
    let (peak, _) = rss();
    println!(
        "  matcher: built in {:.2} s wall, {:.2} s CPU; peak RSS {peak:.0} MiB",
        start.elapsed().as_secs_f64(),
        cpu() - cpu0
    );
    latency("  identify", &queries, |q| {
        usize::from(matcher.identify_text(q).attribution.is_some())
    });
    let (peak, now) = rss();
    println!("  identify phase: peak RSS {peak:.0} MiB, RSS {now:.0} MiB");
    Ok(())
}

struct Args {
    entities: usize,
    queries: usize,
    dir: PathBuf,
    phase: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        entities: 1_000_000,
        queries: 10_000,
        dir: std::env::temp_dir().join("supplyscreen-bench-names"),
        phase: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--entities" => a.entities = value.parse().map_err(|e| format!("--entities: {e}"))?,
            "--queries" => a.queries = value.parse().map_err(|e| format!("--queries: {e}"))?,
            "--dir" => a.dir = value.into(),
            "--phase" => a.phase = Some(value),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(a)
}

/// Runs this program again for one phase, so that phase's peak RSS is its own.
fn child(a: &Args, phase: &str) -> Result<(), String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let status = Command::new(me)
        .args(["--dir", &a.dir.display().to_string(), "--phase", phase])
        .status()
        .map_err(|e| e.to_string())?;
    status
        .success()
        .then_some(())
        .ok_or(format!("phase {phase} failed: {status}"))
}

fn main() -> Result<(), String> {
    let a = args()?;
    match a.phase.as_deref() {
        Some("import") => return phase_import(&a.dir),
        Some("search") => return phase_search(&a.dir),
        Some("identify") => return phase_identify(&a.dir),
        Some(other) => return Err(format!("unknown phase {other}")),
        None => {}
    }
    let _ = std::fs::remove_dir_all(a.dir.join("kb"));
    std::fs::create_dir_all(&a.dir).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let (bytes, queries) = ftm::write(&a.dir, a.entities, a.queries).map_err(|e| e.to_string())?;
    println!(
        "generated: {} FollowTheMoney entities, {:.0} MB, {queries} query names, in {:.1} s",
        a.entities,
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    child(&a, "import")?;
    child(&a, "search")?;
    child(&a, "identify")
}
