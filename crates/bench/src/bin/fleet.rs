//! Screens a generated fleet of dmidecode dumps with the release binary in
//! every output format and with `--summary`, beside `grep -ril micron` and a
//! Python pipeline (the dumps parsed, makers matched with rapidfuzz), and
//! prints throughput, peak resident memory per format and the ratios.
//! Figures are printed, never asserted.
//!
//! `cargo build --release -p supplyscreen-cli &&
//!  cargo run --release -p supplyscreen-bench --bin fleet -- [--gb 1] [--hosts N]
//!  [--jobs N] [--formats json,csv] [--bin PATH] [--compare OLD_BIN] [--python PYTHON]
//!  [--dir DIR]`
//!
//! The fleet (48,000 dumps of about 20.8 KB for each GB asked) is written in
//! a temporary directory and deleted at the end; with `--dir DIR` it is
//! written to DIR and kept, and a fleet already there is used as it is.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark program prints its figures

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use supplyscreen_bench::{
    BenchError, Fleet, Run, Template, measure, repo_root, secs, table, write_fleet,
};

/// Bytes of one generated dump: 48,000 dumps make a GB.
const PER_HOST: usize = 20_800;
/// Every format the scan writes.
const FORMATS: [&str; 8] = [
    "table",
    "json",
    "jsonl",
    "csv",
    "sarif",
    "markdown",
    "cyclonedx",
    "html",
];
/// The screening date, fixed so that runs compare.
const AS_OF: &str = "2026-11-28";

/// The Python pipeline: the dumps parsed as dmidecode records, every
/// Manufacturer and Part Number field matched against the Micron family's
/// names from the KB with rapidfuzz's token_set_ratio (the `eval/baselines.py`
/// scorer) at 90.
const PYTHON: &str = r#"
import os, sys
sys.path.insert(0, os.path.join(sys.argv[2], "eval"))
from baselines import family_names
from rapidfuzz import fuzz, process, utils
names = family_names()
components = flagged = 0
for top, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        with open(os.path.join(top, name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for record in text.split("\n\n"):
            fields = {}
            for line in record.splitlines():
                if line.startswith("\t") and ": " in line:
                    k, v = line.strip().split(": ", 1)
                    fields[k] = v.strip()
            texts = [fields[k] for k in ("Manufacturer", "Part Number") if fields.get(k, "Not Specified") not in ("", "Not Specified", "Unknown")]
            if not texts:
                continue
            components += 1
            if any(process.extractOne(t, names, scorer=fuzz.token_set_ratio, processor=utils.default_process, score_cutoff=90) for t in texts):
                flagged += 1
print(components, flagged)
"#;

struct Args {
    gb: f64,
    hosts: Option<u64>,
    jobs: Option<String>,
    formats: Vec<String>,
    bin: PathBuf,
    compare: Option<PathBuf>,
    python: String,
    dir: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        gb: 1.0,
        hosts: None,
        jobs: None,
        formats: FORMATS.iter().map(|s| (*s).to_owned()).collect(),
        bin: repo_root().join("target/release/supplyscreen"),
        compare: None,
        python: "python3".to_owned(),
        dir: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--gb" => a.gb = value()?.parse().map_err(|e| format!("--gb: {e}"))?,
            "--hosts" => a.hosts = Some(value()?.parse().map_err(|e| format!("--hosts: {e}"))?),
            "--jobs" => a.jobs = Some(value()?),
            "--formats" => a.formats = value()?.split(',').map(str::to_owned).collect(),
            "--bin" => a.bin = PathBuf::from(value()?),
            "--compare" => a.compare = Some(PathBuf::from(value()?)),
            "--python" => a.python = value()?,
            "--dir" => a.dir = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(a)
}

fn scan(a: &Args, bin: &Path, dir: &Path, extra: &[&str], out: &Path) -> Result<Run, BenchError> {
    let mut cmd = Command::new(bin);
    cmd.arg("scan")
        .arg(dir)
        .args(["--as-of", AS_OF])
        .args(extra);
    if let Some(j) = &a.jobs {
        cmd.args(["--jobs", j]);
    }
    let file = File::create(out).map_err(|source| BenchError::Io {
        what: out.display().to_string(),
        source,
    })?;
    measure(&mut cmd, Stdio::from(file))
}

fn mib(kib: u64) -> String {
    format!("{:.0}", kib as f64 / 1024.0)
}

fn main() {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("fleet: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&a) {
        eprintln!("fleet: {e}");
        std::process::exit(1);
    }
}

fn run(a: &Args) -> Result<(), BenchError> {
    let tmp = tempfile::tempdir().map_err(|source| BenchError::Io {
        what: "temporary directory".into(),
        source,
    })?;
    let hosts = a
        .hosts
        .unwrap_or((a.gb * 1e9 / PER_HOST as f64).round() as u64);
    let t = Template::load(&repo_root())?;
    let start = Instant::now();
    let fleet = match &a.dir {
        Some(dir) if dir.join("rack-000").is_dir() => existing(dir)?,
        Some(dir) => write_fleet(&t, dir, hosts, PER_HOST)?,
        None => write_fleet(&t, &tmp.path().join("fleet"), hosts, PER_HOST)?,
    };
    let mb = fleet.bytes as f64 / 1e6;
    println!(
        "fleet: {} dmidecode dumps, {mb:.0} MB, written in {} s",
        fleet.files,
        secs(start.elapsed())
    );
    machine();
    let grep = grep(&fleet)?;
    println!(
        "grep -ril micron: {} s (second run, files in the page cache)",
        secs(grep.wall)
    );
    let summary_out = tmp.path().join("out.summary");
    let summary = scan(a, &a.bin, &fleet.dir, &["--summary"], &summary_out)?;
    let components = components(&summary_out).unwrap_or(0);
    let mut rows = vec![vec![
        "run".to_owned(),
        "wall s".into(),
        "MB/s".into(),
        "components/s".into(),
        "peak RSS MiB".into(),
        "output MB".into(),
        "x grep".into(),
    ]];
    let mut row = |name: &str, r: &Run, out: &Path| {
        let s = r.wall.as_secs_f64();
        let size = std::fs::metadata(out).map_or(0, |m| m.len()) as f64 / 1e6;
        rows.push(vec![
            name.to_owned(),
            secs(r.wall),
            format!("{:.0}", mb / s),
            format!("{:.0}", components as f64 / s),
            mib(r.peak_kib),
            format!("{size:.1}"),
            format!("{:.2}", s / grep.wall.as_secs_f64()),
        ]);
    };
    row("--summary", &summary, &summary_out);
    let mut json = None;
    for f in &a.formats {
        let out = tmp.path().join(format!("out.{f}"));
        let r = scan(a, &a.bin, &fleet.dir, &["--format", f], &out)?;
        row(&format!("--format {f}"), &r, &out);
        if f == "json" {
            json = Some((r, out.clone()));
        }
    }
    println!("components screened: {components}");
    print!("{}", table(&rows));
    if let Some(py) = python(a, &fleet)? {
        let (r, counts) = py;
        println!(
            "python (dmidecode parsed, rapidfuzz token_set_ratio >= 90): {} s, peak RSS {} MiB, {counts}",
            secs(r.wall),
            mib(r.peak_kib)
        );
        if let Some((ours, _)) = &json {
            println!(
                "ours --format json / python: {:.2}; ours --summary / python: {:.2}",
                ours.wall.as_secs_f64() / r.wall.as_secs_f64(),
                summary.wall.as_secs_f64() / r.wall.as_secs_f64()
            );
        }
    }
    if let Some((ours, out)) = &json {
        println!(
            "ours --format json / grep: {:.2} (target <= 4); ours --summary / grep: {:.2} (target <= 2)",
            ours.wall.as_secs_f64() / grep.wall.as_secs_f64(),
            summary.wall.as_secs_f64() / grep.wall.as_secs_f64()
        );
        if let Some(old) = &a.compare {
            compare(a, old, &fleet, out, tmp.path())?;
        }
    }
    Ok(())
}

/// A fleet written by an earlier run with `--dir`, kept as it is.
fn existing(dir: &Path) -> Result<Fleet, BenchError> {
    let (mut files, mut bytes) = (0, 0);
    let racks = std::fs::read_dir(dir).map_err(|source| BenchError::Io {
        what: dir.display().to_string(),
        source,
    })?;
    for rack in racks.flatten() {
        for f in std::fs::read_dir(rack.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            files += 1;
            bytes += f.metadata().map_or(0, |m| m.len());
        }
    }
    Ok(Fleet {
        dir: dir.to_owned(),
        files,
        bytes,
    })
}

/// The machine the figures were measured on.
fn machine() {
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let kib: u64 = m.lines().next()?.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.0} GiB", kib as f64 / 1048576.0))
        })
        .unwrap_or_default();
    println!("machine: {cpus} cores ({model}), {mem}");
}

/// `grep -ril micron` over the fleet, run twice so the files are cached.
fn grep(fleet: &Fleet) -> Result<Run, BenchError> {
    let mut last = None;
    for _ in 0..2 {
        let mut cmd = Command::new("grep");
        cmd.arg("-ril").arg("micron").arg(&fleet.dir);
        last = Some(measure(&mut cmd, Stdio::null())?);
    }
    last.ok_or(BenchError::Template("grep run"))
}

/// The component count from the `--summary` output.
fn components(summary: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(summary).ok()?;
    let line = text.lines().find(|l| l.starts_with("Summary "))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The Python pipeline, when rapidfuzz can be imported.
fn python(a: &Args, fleet: &Fleet) -> Result<Option<(Run, String)>, BenchError> {
    let probe = Command::new(&a.python)
        .args(["-c", "import rapidfuzz"])
        .stderr(Stdio::null())
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        println!(
            "python baseline skipped: {} cannot import rapidfuzz (pip install -r eval/requirements.txt, then --python PATH)",
            a.python
        );
        return Ok(None);
    }
    let out = fleet.dir.with_extension("python.out");
    let mut cmd = Command::new(&a.python);
    cmd.args(["-c", PYTHON]).arg(&fleet.dir).arg(repo_root());
    let file = File::create(&out).map_err(|source| BenchError::Io {
        what: out.display().to_string(),
        source,
    })?;
    let r = measure(&mut cmd, Stdio::from(file))?;
    let counts = std::fs::read_to_string(&out).unwrap_or_default();
    let counts = match counts.split_whitespace().collect::<Vec<_>>()[..] {
        [c, f] => format!("{c} records with a maker or part number, {f} matched"),
        _ => "no counts printed".to_owned(),
    };
    Ok(Some((r, counts)))
}

/// Runs another binary (an earlier build) with `--format json` and says
/// whether its report is byte-identical to ours.
fn compare(a: &Args, old: &Path, fleet: &Fleet, ours: &Path, tmp: &Path) -> Result<(), BenchError> {
    let out = tmp.join("old.json");
    let mut cmd = Command::new(old);
    cmd.arg("scan")
        .arg(&fleet.dir)
        .args(["--as-of", AS_OF, "--format", "json"]);
    let file = File::create(&out).map_err(|source| BenchError::Io {
        what: out.display().to_string(),
        source,
    })?;
    let r = measure(&mut cmd, Stdio::from(file))?;
    let same = std::fs::read(&out).ok() == std::fs::read(ours).ok();
    println!(
        "{} --format json: {} s, peak RSS {} MiB; report {} ours{}",
        old.display(),
        secs(r.wall),
        mib(r.peak_kib),
        if same {
            "byte-identical to"
        } else {
            "DIFFERS from"
        },
        a.jobs
            .as_ref()
            .map(|j| format!(" (--jobs {j})"))
            .unwrap_or_default()
    );
    Ok(())
}
