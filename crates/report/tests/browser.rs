//! The HTML report in a real browser: headless Chromium loads the page from
//! a file, runs its inline script under the page's Content-Security-Policy,
//! and the DOM it dumps must hold every finding row, the filter's count
//! (written by the script, so a script blocked by the policy fails here)
//! and the input's script tag as text only. Skips with a message when no
//! Chromium is installed.

#![allow(clippy::print_stderr)] // a skipped check says why

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use supplyscreen_model::Verdict;
use supplyscreen_report::{OutputFormat, render};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
}

/// Runs the browser on the page and returns the DOM after scripts ran.
fn dump_dom(browser: &str, page: &std::path::Path) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = tempfile::NamedTempFile::new().expect("out file");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .stdout(out.reopen().expect("reopen"))
        .stderr(Stdio::null())
        .spawn()
        .expect("browser starts");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{browser} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::read_to_string(out.path()).expect("DOM")
}

#[test]
fn chromium_runs_the_filters_and_shows_every_finding_row() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no chromium on PATH (apt-get install chromium)");
        return;
    };
    let o = common::outcome();
    let dir = tempfile::tempdir().expect("dir");
    let page = dir.path().join("report.html");
    std::fs::write(&page, render(OutputFormat::Html, &o).expect("renders")).expect("written");
    let dom = dump_dom(browser, &page);
    let listed = o.findings().filter(|f| f.verdict > Verdict::Clear).count();
    assert_eq!(dom.matches("<tr data-verdict=").count(), listed, "{dom}");
    assert!(
        dom.contains(&format!("{listed} of {listed} finding(s) shown")),
        "the page's script did not run"
    );
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt; 32GB RDIMM"));
}
