//! Helpers shared by the benchmark programs: synthetic fleets of
//! dmidecode dumps made from the repository's example server, and running
//! a program while measuring its wall time and peak resident memory.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Why a benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A file or program could not be used.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: io::Error,
    },
    /// The template dump lacks a record the generator needs.
    #[error("the template dump has no {0}")]
    Template(&'static str),
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> BenchError {
    let what = what.into();
    move |source| BenchError::Io { what, source }
}

/// A memory module as a dmidecode dump names it: the Manufacturer field (a
/// JEDEC code or a name), the Module Manufacturer ID and part numbers.
struct Module {
    maker: &'static str,
    bank: &'static str,
    parts: &'static [&'static str],
}

/// Makers of server memory, with JEDEC codes as BIOSes print them.
const MODULES: &[Module] = &[
    Module {
        maker: "00AD063200AD",
        bank: "Bank 1, Hex 0xAD",
        parts: &["HMA84GR7CJR4N-XN", "HMA82GR7DJR8N-XN", "HMAA4GR7AJR8N-WM"],
    },
    Module {
        maker: "00CE00B300CE",
        bank: "Bank 1, Hex 0xCE",
        parts: &["M393A4K40DB3-CWE", "M393A2K43DB3-CWE", "M393A8G40AB2-CWE"],
    },
    Module {
        maker: "Samsung",
        bank: "Bank 1, Hex 0xCE",
        parts: &["M393A4K40DB3-CWE", "M393A4K40CB2-CTD"],
    },
    Module {
        maker: "Kingston",
        bank: "Bank 2, Hex 0x98",
        parts: &["KSM32RD4/32MRR", "KSM29RD8/16HDR"],
    },
    Module {
        maker: "802C0000802C",
        bank: "Bank 1, Hex 0x2C",
        parts: &["36ASF4G72PZ-2G9E2", "18ASF2G72PDZ-2G6E1"],
    },
    Module {
        maker: "Micron Technology",
        bank: "Bank 1, Hex 0x2C",
        parts: &["MTA36ASF4G72PZ-2G9E2", "MTA18ASF2G72PDZ-3G2E1"],
    },
];

/// A deterministic pseudo-random sequence (SplitMix64).
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn serial(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        (0..len)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len())]))
            .collect()
    }
}

/// The example server's dump cut into the records a host is made of.
pub struct Template {
    head: String,
    system: Vec<String>,
    populated: String,
    empty: String,
    tail: Vec<String>,
}

impl Template {
    /// Reads the example server (`examples/db-07.dmi`) under `root`.
    pub fn load(root: &Path) -> Result<Self, BenchError> {
        let path = root.join("examples/db-07.dmi");
        let text = fs::read_to_string(&path).map_err(io_err(path.display().to_string()))?;
        let records: Vec<&str> = text.split("\n\n").collect();
        let (head, rest) = records
            .split_first()
            .ok_or(BenchError::Template("header"))?;
        let is_dimm = |r: &&str| r.contains("DMI type 17,");
        let populated = rest
            .iter()
            .find(|r| is_dimm(r) && !r.contains("No Module Installed"))
            .ok_or(BenchError::Template("populated memory slot"))?;
        let empty = rest
            .iter()
            .find(|r| r.contains("No Module Installed"))
            .ok_or(BenchError::Template("empty memory slot"))?;
        let first_dimm = rest.iter().position(is_dimm).unwrap_or(rest.len());
        let last_dimm = rest.iter().rposition(is_dimm).unwrap_or(first_dimm);
        Ok(Self {
            head: (*head).to_owned(),
            system: rest[..first_dimm].iter().map(|r| (*r).to_owned()).collect(),
            populated: (*populated).to_owned(),
            empty: (*empty).to_owned(),
            tail: rest[last_dimm + 1..]
                .iter()
                .map(|r| (*r).to_owned())
                .collect(),
        })
    }

    /// The dump of host `n`, about `target` bytes: its own serials, asset
    /// tag, two or three populated slots of one maker (a quarter of hosts
    /// Micron), empty slots up to the size.
    pub fn host(&self, n: u64, target: usize) -> String {
        let mut rng = Mix(n.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED);
        let system_serial = rng.serial(7);
        let mut out = String::with_capacity(target + 2048);
        out.push_str(&self.head);
        for r in &self.system {
            out.push_str("\n\n");
            out.push_str(
                &r.replace("7GQ2XK2", &system_serial)
                    .replace("CNFCP0097U01BD", &rng.serial(14))
                    .replace("DB-07", &format!("SRV-{n:06}")),
            );
        }
        let module = &MODULES[rng.below(MODULES.len())];
        let part = module.parts[rng.below(module.parts.len())];
        let populated = 2 + usize::from(rng.below(3) == 0);
        let mut slot = 0usize;
        let tail: usize = self.tail.iter().map(|r| r.len() + 2).sum();
        while slot < populated || out.len() + tail + self.empty.len() < target {
            let locator = format!(
                "{}{}",
                if slot.is_multiple_of(2) { 'A' } else { 'B' },
                slot / 2 + 1
            );
            let record = if slot < populated {
                self.populated
                    .replace("00AD063200AD", module.maker)
                    .replace("Bank 1, Hex 0xAD", module.bank)
                    .replace("HMA84GR7CJR4N-XN", part)
                    .replace("3A1B2C4D", &rng.serial(8))
                    .replace("Locator: A1", &format!("Locator: {locator}"))
            } else {
                self.empty
                    .replace("Locator: A4", &format!("Locator: {locator}"))
            };
            let handle = format!("Handle 0x{:04X},", 0x1100 + slot);
            out.push_str("\n\n");
            out.push_str(&record.replacen("Handle 0x1100,", &handle, 1).replacen(
                "Handle 0x1103,",
                &handle,
                1,
            ));
            slot += 1;
        }
        for r in &self.tail {
            out.push_str("\n\n");
            out.push_str(&r.replace("CNDED0096S0VAK", &rng.serial(14)));
        }
        out
    }
}

/// The repository root (the bench crate sits two directories below it).
pub fn repo_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fleet written to disk.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// Its directory.
    pub dir: PathBuf,
    /// Dumps written.
    pub files: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// Writes `hosts` dumps of about `per_host` bytes under `dir`, a thousand
/// per rack directory.
pub fn write_fleet(
    t: &Template,
    dir: &Path,
    hosts: u64,
    per_host: usize,
) -> Result<Fleet, BenchError> {
    let mut bytes = 0;
    for n in 0..hosts {
        let rack = dir.join(format!("rack-{:03}", n / 1000));
        if n.is_multiple_of(1000) {
            fs::create_dir_all(&rack).map_err(io_err(rack.display().to_string()))?;
        }
        let dump = t.host(n, per_host);
        bytes += dump.len() as u64;
        let path = rack.join(format!("srv-{n:06}.dmi"));
        fs::write(&path, dump).map_err(io_err(path.display().to_string()))?;
    }
    Ok(Fleet {
        dir: dir.to_owned(),
        files: hosts,
        bytes,
    })
}

/// What running a program cost.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// Wall time.
    pub wall: Duration,
    /// Peak resident memory in KiB (`VmHWM`, sampled every 5 ms).
    pub peak_kib: u64,
    /// How it ended.
    pub status: ExitStatus,
}

/// The peak resident memory of a running process, in KiB.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `cmd` with its standard output into `stdout`, measuring its wall
/// time and peak resident memory.
pub fn measure(cmd: &mut Command, stdout: Stdio) -> Result<Run, BenchError> {
    let what = format!("{cmd:?}");
    let start = Instant::now();
    let mut child = cmd
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .map_err(io_err(what.clone()))?;
    let pid = child.id();
    let mut peak = 0;
    loop {
        if let Some(k) = peak_kib(pid) {
            peak = peak.max(k);
        }
        if let Some(status) = child.try_wait().map_err(io_err(what.clone()))? {
            return Ok(Run {
                wall: start.elapsed(),
                peak_kib: peak,
                status,
            });
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Seconds with two decimals.
pub fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

/// A table of rows, columns padded to their widest cell.
pub fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        for (c, cell) in r.iter().enumerate() {
            let _ = write!(out, "{cell:<w$}  ", w = width[c]);
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_differ_reach_their_size_and_keep_the_dump_shape() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let t = Template::load(&root).expect("example dump");
        let (a, b) = (t.host(1, 21_000), t.host(2, 21_000));
        assert_ne!(a, b);
        assert!(a.len() >= 20_000 && a.len() < 24_000, "{}", a.len());
        assert!(a.starts_with("# dmidecode"));
        assert!(a.trim_end().ends_with("End Of Table"));
        assert!(a.contains("Asset Tag: SRV-000001"));
        let micron = (0..400)
            .filter(|n| t.host(*n, 21_000).contains("Hex 0x2C"))
            .count();
        assert!(
            (100..=170).contains(&micron),
            "{micron} of 400 hosts with Micron modules"
        );
    }
}
