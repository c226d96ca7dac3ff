//! A fleet screened on several threads gives the same report as on one:
//! dmidecode dumps of many hosts (serials and part numbers varied), the
//! fleet archive three times, an lshw dump, purchase orders, an asset
//! register, a file in no known format, and the example waivers. Also: a
//! directory of many files screens with few file descriptors allowed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{cli, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A dump of host `n`: the example server with its module serials and the
/// SK hynix part's speed bin changed, so no two hosts are alike.
fn host(template: &str, n: usize) -> String {
    template
        .replace("3A1B2C4D", &format!("{:08X}", 0x3A1B_0000 + n))
        .replace("2177C1A0", &format!("{:08X}", 0x2177_0000 + 7 * n))
        .replace(
            "HMA84GR7CJR4N-XN",
            if n.is_multiple_of(3) {
                "HMA84GR7CJR4N-WM"
            } else {
                "HMA84GR7CJR4N-XN"
            },
        )
}

fn fleet(dir: &Path) {
    let db07 = fs::read_to_string(root().join("examples/db-07.dmi")).expect("example dump");
    let legacy = fs::read_to_string(root().join("fixtures/dmidecode-2x-legacy/x7dbr-8.txt"))
        .expect("legacy dump");
    fs::create_dir_all(dir.join("hosts")).expect("temp dir");
    for n in 0..48 {
        let text = if n % 5 == 4 {
            legacy.clone()
        } else {
            host(&db07, n)
        };
        fs::write(dir.join(format!("hosts/srv-{n:03}.dmi")), text).expect("dump");
    }
    fs::write(dir.join("hosts/db-07.dmi"), &db07).expect("dump");
    for n in 0..3 {
        fs::copy(
            root().join("fixtures/fleet-archive/fleet.tar.gz"),
            dir.join(format!("rack-{n}.tar.gz")),
        )
        .expect("archive");
    }
    for (from, to) in [
        (
            "fixtures/storage-server-tools/stor-04.lshw.json",
            "stor-04.lshw.json",
        ),
        ("examples/purchase-order-2024.csv", "po-2024.csv"),
        ("examples/asset-register.csv", "assets.csv"),
        ("fixtures/fleet-archive/README.md", "NOTES.md"),
    ] {
        fs::copy(root().join(from), dir.join(to)).expect("fixture");
    }
}

fn scan_json(dir: &Path, jobs: &str) -> String {
    let d = dir.to_string_lossy();
    let args = [
        "scan",
        &d,
        "--format",
        "json",
        "--waivers",
        "examples/waivers.toml",
        "--jobs",
        jobs,
    ];
    let (code, out, err) = cli(&args);
    assert_eq!(code, 1, "violations expected: {err}");
    out
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("supplyscreen-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_json_report_is_the_same_byte_for_byte_on_one_two_and_four_threads() {
    let dir = temp("fleet");
    fleet(&dir);
    let one = scan_json(&dir, "1");
    let report = json(&one);
    let components = report["components"].as_array().expect("components");
    assert!(components.len() > 500, "{} components", components.len());
    let paths: Vec<&str> = report["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|i| i["path"].as_str())
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("rack-2.tar.gz:hosts/db-07.dmi"))
    );
    assert!(
        report["skipped_files"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
    );
    let used: u64 = report["waivers"]
        .as_array()
        .expect("waivers")
        .iter()
        .filter_map(|w| w["used"].as_u64())
        .sum();
    assert!(
        used >= 4,
        "the db-07 waiver covers the hosts named db-07: {used}"
    );
    for jobs in ["2", "4"] {
        assert!(
            scan_json(&dir, jobs) == one,
            "--jobs {jobs} differs from --jobs 1"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn thousands_of_files_screen_with_sixty_four_descriptors() {
    let dir = temp("many");
    fs::create_dir_all(&dir).expect("temp dir");
    for n in 0..3000 {
        let text =
            format!("Manufacturer,Part Number,Serial\nMicron,MTA18ASF4G72PDZ-3G2R1,{n:06}\n");
        fs::write(dir.join(format!("po-{n:05}.csv")), text).expect("file");
    }
    let bin = env!("CARGO_BIN_EXE_supplyscreen");
    let script = format!(
        "ulimit -n 64 && exec \"{bin}\" scan \"{}\" --jobs 4 --format jsonl --as-of 2026-11-28",
        dir.display()
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let components = stdout
        .lines()
        .filter(|l| l.starts_with("{\"type\":\"component\""))
        .count();
    assert_eq!(components, 3000);
    let _ = fs::remove_dir_all(&dir);
}
