//! The real binary: standard input, colour and exit codes as a shell sees them.

use std::io::Write;
use std::process::{Command, Stdio};

fn supplyscreen() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_supplyscreen"));
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    c
}

#[test]
fn scans_standard_input_without_colour_when_piped() {
    let mut child = supplyscreen()
        .args(["scan", "-", "--as-of", "2026-11-28"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let po = "Vendor,MPN,Qty,Order Date\nCrucial,CT500MX500SSD1,3,2024-06-01\nKingston,SA400S37/480G,3,2024-06-01\n";
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(po.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("finishes");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("  -:2  order-line"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no ANSI escapes when stdout is not a terminal"
    );
}

#[test]
fn help_and_bad_arguments() {
    let out = supplyscreen().arg("--help").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("scan"));
    let out = supplyscreen()
        .args(["scan", "examples/", "--fail-on", "sometimes"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'sometimes'"));
    let out = supplyscreen()
        .args(["scan", "examples/", "--profile", "nobody"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown profile \"nobody\""));
}

#[test]
fn a_reader_that_goes_away_ends_the_scan_quietly_with_its_status() {
    let mut child = supplyscreen()
        .args(["scan", "examples/", "--waivers", "examples/waivers.toml"])
        .args(["--as-of", "2026-11-28"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    // Close the read end before the scan has written anything, as `| head -c 0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("finishes");
    assert_eq!(out.status.code(), Some(1), "violations found");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
