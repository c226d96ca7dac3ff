//! Helpers shared by the CLI test files: run the real entry point from the
//! workspace root with a fixed clock, and redact the KB hash.

#![allow(dead_code)] // each test file uses its own subset

use std::path::PathBuf;

use supplyscreen_cli::{Environment, run};
use supplyscreen_model::Date;

/// The date every test screens at.
pub const TODAY: Date = Date::constant(2026, 11, 28);

/// Runs the CLI from the workspace root; returns (exit code, stdout, stderr).
pub fn cli(args: &[&str]) -> (u8, String, String) {
    cli_in(&Environment::fixed(TODAY), args)
}

/// Like [`cli`], in a given environment (a KB home, say).
pub fn cli_in(env: &Environment, args: &[&str]) -> (u8, String, String) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::set_current_dir(&root).expect("workspace root");
    let mut out = anstream::StripStream::new(Vec::new());
    let mut err = anstream::StripStream::new(Vec::new());
    let mut argv = vec!["supplyscreen"];
    argv.extend_from_slice(args);
    let code = run(argv, env, &mut out, &mut err).code();
    let text =
        |s: anstream::StripStream<Vec<u8>>| String::from_utf8(s.into_inner()).expect("utf-8");
    (code, redact(&text(out)), text(err))
}

pub fn redact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("sha256:") {
        out.push_str(&rest[..i + 7]);
        let tail = &rest[i + 7..];
        let hex_len = tail.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str("[hash]");
        rest = &tail[hex_len..];
    }
    out.push_str(rest);
    out
}

pub fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).expect("valid JSON report")
}

/// `scan FILE --profile P --as-of D --format json`, parsed; panics with the
/// CLI's standard error when the report has no findings array.
pub fn scan_report(file: &str, profile: &str, as_of: &str) -> serde_json::Value {
    let (_, out, err) = cli(&[
        "scan",
        file,
        "--profile",
        profile,
        "--as-of",
        as_of,
        "--format",
        "json",
    ]);
    let report = json(&out);
    assert!(report["findings"].is_array(), "{err}");
    report
}

/// The PO number of a finding's component in a JSON report (empty when none).
pub fn po_of(report: &serde_json::Value, finding: &serde_json::Value) -> String {
    report["components"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == finding["component"]))
        .and_then(|c| c["fields"].as_array())
        .and_then(|fs| fs.iter().find(|x| x["name"] == "PO Number"))
        .and_then(|x| x["value"].as_str())
        .unwrap_or("")
        .to_owned()
}

/// Owned pairs (PO number and verdict, locator and entity, ...), for comparing
/// with a test's expectation.
pub fn rows(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// (locator, attributed entity or `-`) of every component of a JSON report.
pub fn located_entities(report: &serde_json::Value) -> Vec<(String, String)> {
    report["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            let text = |v: &serde_json::Value, none: &str| v.as_str().unwrap_or(none).to_owned();
            (
                text(&c["source"]["locator"], ""),
                text(&c["attribution"]["entity"], "-"),
            )
        })
        .collect()
}
