//! Single-core throughput of the whole pipeline on dmidecode text: builds two
//! fleets of synthetic hosts from the repository's real dmidecode outputs, a
//! dense one (the templates' dumps, about 0.7 KB of text per component:
//! serials, module makers, part numbers and sizes varied) and a
//! server-shaped one (the `fleet` bench's hosts, about 20.8 KB and 2.4 KB
//! per component, as real server dumps run), then times `supplyscreen scan
//! --format jsonl --as-of 2026-11-28 DIR > /dev/null` on each, pinned to one
//! core (`taskset -c 0`) and unpinned, and prints MB/s.
//!
//! ```text
//! cargo build --release -p supplyscreen-cli -p supplyscreen-bench
//! target/release/core [--mb 200] [--dir DIR] [--bin target/release/supplyscreen] [--runs 3]
//! ```
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use supplyscreen_bench::{Template, repo_root, write_fleet};

/// The real outputs the hosts are made from, with how often each is used.
const TEMPLATES: [(&str, u32); 3] = [
    (include_str!("../../../../examples/db-07.dmi"), 7),
    (
        include_str!("../../../../fixtures/dmidecode-2x-legacy/x7dbr-8.txt"),
        2,
    ),
    (
        include_str!("../../../../fixtures/dmidecode-apple-crlf/macbookpro8-2.dmi"),
        1,
    ),
];

/// Memory modules as dmidecode prints them: maker field, part number,
/// module manufacturer id. Known makers in the forms seen in real dumps,
/// and makers the KB does not know.
const MODULES: [(&str, &str, &str); 12] = [
    ("Micron", "MTA18ASF4G72PDZ-3G2R1", "Bank 1, Hex 0x2C"),
    ("802C0000802C", "MTA36ASF8G72PZ-2G9E1", "Bank 1, Hex 0x2C"),
    (
        "Micron Technology",
        "18ASF2G72PDZ-2G6E1",
        "Bank 1, Hex 0x2C",
    ),
    ("Samsung", "M393A4K40EB3-CWE", "Bank 1, Hex 0xCE"),
    ("00CE00B300CE", "M393A2K40DB3-CWE", "Bank 1, Hex 0xCE"),
    ("SK Hynix", "HMA84GR7CJR4N-XN", "Bank 1, Hex 0xAD"),
    ("00AD063200AD", "HMAA8GR7AJR4N-XN", "Bank 1, Hex 0xAD"),
    ("Kingston", "KSM32RD4/32HDR", "Bank 2, Hex 0x98"),
    ("Kingston", "9965745-002.A00G", "Bank 2, Hex 0x98"),
    ("Unknown", "Not Specified", "Unknown"),
    ("Undefined", "RMSA3300MH78HBF-3200", "Unknown"),
    ("NO DIMM", "NO DIMM", "Unknown"),
];

const SIZES: [&str; 5] = ["8 GB", "16 GB", "32 GB", "64 GB", "No Module Installed"];

/// A small deterministic generator (xorshift64*), so every run builds the same fleet.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn pick_template(rng: &mut Rng) -> &'static str {
    let total: u32 = TEMPLATES.iter().map(|t| t.1).sum();
    let mut r = rng.below(total as usize) as u32;
    for (text, weight) in TEMPLATES {
        if r < weight {
            return text;
        }
        r -= weight;
    }
    TEMPLATES[0].0
}

/// One host's dump: the template with its serials and memory modules varied.
fn host(rng: &mut Rng, n: usize) -> String {
    let template = pick_template(rng);
    let mut out = String::with_capacity(template.len() + 256);
    let mut module = MODULES[0];
    let mut size = SIZES[0];
    let mut in_memory = false;
    for line in template.split_inclusive('\n') {
        let body = line.trim_end_matches(['\r', '\n']);
        let end = &line[body.len()..];
        let text = body.trim_start();
        let indent = &body[..body.len() - text.len()];
        if text.starts_with("Handle ") {
            in_memory = text.contains("DMI type 17");
            module = MODULES[rng.below(MODULES.len())];
            size = SIZES[rng.below(SIZES.len())];
        } else if text.starts_with("DMI type 17") {
            in_memory = true;
        }
        let replaced = match text.split_once(':').map(|(k, _)| k) {
            Some("Serial Number") => Some(format!("Serial Number: {:08X}", rng.next() as u32)),
            Some("Asset Tag") => Some(format!("Asset Tag: HOST-{n:06}")),
            Some("Manufacturer") if in_memory => Some(format!("Manufacturer: {}", module.0)),
            Some("Part Number") if in_memory => Some(format!("Part Number: {}", module.1)),
            Some("Size") if in_memory => Some(format!("Size: {size}")),
            Some("Module Manufacturer ID") if in_memory => {
                Some(format!("Module Manufacturer ID: {}", module.2))
            }
            _ => None,
        };
        match replaced {
            Some(r) => {
                out.push_str(indent);
                out.push_str(&r);
                out.push_str(end);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Writes hosts into `dir` until `bytes` are written; returns files and bytes.
fn build_fleet(dir: &Path, bytes: u64) -> std::io::Result<(usize, u64)> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(0x05EE_D0FF_1EE7);
    let (mut files, mut written) = (0usize, 0u64);
    while written < bytes {
        let text = host(&mut rng, files);
        std::fs::write(dir.join(format!("host-{files:06}.dmi")), &text)?;
        written += text.len() as u64;
        files += 1;
    }
    Ok((files, written))
}

/// CPU seconds (user and system) used by the children waited for so far,
/// from `/proc/self/stat` (Linux; clock ticks of 1/100 s).
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold blanks.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17 of the line: 13 and 14 counted from 0 after the name.
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(13) + ticks(14)) / 100.0
}

/// Times one scan of `dir`; `pin` runs it under `taskset -c 0`. Returns the
/// wall time and the CPU time the scan used.
fn time_scan(bin: &Path, dir: &Path, pin: bool) -> std::io::Result<(f64, f64)> {
    let mut cmd = if pin {
        let mut c = Command::new("taskset");
        c.args(["-c", "0"]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(["scan", "--format", "jsonl", "--as-of", "2026-11-28"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let cpu = children_cpu();
    let start = Instant::now();
    let status = cmd.status()?;
    let secs = start.elapsed().as_secs_f64();
    let cpu = children_cpu() - cpu;
    // Findings make the exit code non-zero; only a usage or input error (2) is a failure.
    if status.code() == Some(2) || status.code().is_none() {
        return Err(std::io::Error::other(format!("scan failed: {status}")));
    }
    Ok((secs, cpu))
}

struct Args {
    mb: u64,
    dir: PathBuf,
    bin: PathBuf,
    runs: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        mb: 200,
        dir: std::env::temp_dir().join("supplyscreen-bench-core"),
        bin: PathBuf::from("target/release/supplyscreen"),
        runs: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--mb" => a.mb = value.parse().map_err(|e| format!("--mb: {e}"))?,
            "--dir" => a.dir = value.into(),
            "--bin" => a.bin = value.into(),
            "--runs" => a.runs = value.parse().map_err(|e| format!("--runs: {e}"))?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(a)
}

/// Components the scan reads in `dir`, from its `--summary` line.
fn components(bin: &Path, dir: &Path) -> std::io::Result<u64> {
    let out = Command::new(bin)
        .args(["scan", "--summary", "--as-of", "2026-11-28"])
        .arg(dir)
        .stderr(Stdio::null())
        .output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .lines()
        .find_map(|l| l.strip_prefix("Summary ")?.split(' ').next()?.parse().ok())
        .unwrap_or(0))
}

/// Times the scan of one fleet pinned and unpinned and prints MB/s.
fn measure(a: &Args, label: &str, dir: &Path, files: usize, bytes: u64) -> std::io::Result<()> {
    let mb = bytes as f64 / 1e6;
    let comps = components(&a.bin, dir)?;
    println!(
        "{label}: {files} dmidecode dumps, {mb:.1} MB, {comps} components ({:.2} KB per component, {:.1} KB per dump) in {}",
        bytes as f64 / 1e3 / comps.max(1) as f64,
        bytes as f64 / 1e3 / files.max(1) as f64,
        dir.display()
    );
    for pin in [true, false] {
        let (mut wall, mut cpu) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..a.runs {
            let (w, c) = time_scan(&a.bin, dir, pin)?;
            (wall, cpu) = (wall.min(w), cpu.min(c));
        }
        let how = if pin {
            "one core (taskset -c 0)"
        } else {
            "unpinned"
        };
        println!(
            "  scan --format jsonl, {how}, best of {}: wall {wall:.2} s = {:.0} MB/s; CPU {cpu:.2} s = {:.0} MB/s per core",
            a.runs,
            mb / wall,
            mb / cpu
        );
    }
    Ok(())
}

/// Writes the fleet just made out to disk first, so that its write-back
/// does not run during the timed scans.
fn settle() {
    let _ = Command::new("sync").status();
}

fn main() -> Result<(), String> {
    let a = args()?;
    let io = |e: std::io::Error| e.to_string();
    // Dense: the templates' dumps with every slot varied (many modules per byte).
    let dense = a.dir.join("dense");
    let (files, bytes) = build_fleet(&dense, a.mb * 1_000_000).map_err(io)?;
    settle();
    measure(&a, "dense fleet", &dense, files, bytes).map_err(io)?;
    // Server-shaped: the `fleet` bench's hosts (about 20.8 KB and 8 components
    // each, as real server dumps run).
    let shaped = a.dir.join("server-shaped");
    let t = Template::load(&repo_root()).map_err(|e| e.to_string())?;
    let hosts = a.mb * 1_000_000 / 20_800;
    let fleet = write_fleet(&t, &shaped, hosts, 20_800).map_err(|e| e.to_string())?;
    let files = fleet.files as usize;
    settle();
    measure(&a, "server-shaped fleet", &shaped, files, fleet.bytes).map_err(io)?;
    Ok(())
}
