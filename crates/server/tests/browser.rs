//! The web UI in headless Chromium: sign in once, then the dashboard, a
//! finding's evidence, a scan's re-screen diff and the waivers page render
//! from a real socket, with input-derived text escaped. Skips with a
//! message when Chromium is not installed. With SUPPLYSCREEN_UI_SCREENSHOTS=DIR
//! it also writes a PNG of each page there.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::json;
use supplyscreen_server::axum;

/// Percent-encodes a query value.
fn form_urlencoded(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A page on the server's origin that posts the sign-in form at once (the
/// UI itself runs no script).
async fn sign_in_page(
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Html<String> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    axum::response::Html(format!(
        "<!DOCTYPE html><form method=\"post\" action=\"/login\">\
         <input name=\"token\" value=\"{}\"><input name=\"next\" value=\"{}\"></form>\
         <script>document.forms[0].submit()</script>",
        get("token"),
        get("next")
    ))
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Signs in through the login form (posted by a page of the same origin,
/// as the server's own sign-in page would) and loads `next`; returns the
/// DOM, and writes a screenshot when asked.
fn visit(
    browser: &str,
    base: &str,
    token: &str,
    next: &str,
    _dir: &Path,
    shot: Option<&Path>,
) -> String {
    let page = format!(
        "{base}/test-sign-in?token={}&next={}",
        form_urlencoded(token),
        form_urlencoded(next)
    );
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=8000",
        "--window-size=1280,900",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()));
    if let Some(png) = shot {
        let out = cmd
            .arg(format!("--screenshot={}", png.display()))
            .arg(&page)
            .output()
            .unwrap();
        assert!(
            png.exists(),
            "no screenshot: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return String::new();
    }
    let out = cmd.arg("--dump-dom").arg(&page).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_renders_in_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: Chromium is not installed, so the UI is not checked in a browser");
        return;
    };
    let s = common::sqlite_server(1).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = s.router.clone().route(
        "/test-sign-in",
        supplyscreen_server::axum::routing::get(sign_in_page),
    );
    tokio::spawn(async move { supplyscreen_server::axum::serve(listener, app).await });

    let hostile = "<script>alert(1)</script>";
    let up = s
        .upload(
            &format!(
                "name=register.csv&profile=cn-cii&host={}",
                "%3Cscript%3Ealert(1)%3C%2Fscript%3E"
            ),
            &s.submitter,
            common::asset_register(),
        )
        .await;
    let first = up.json()["scan"].as_i64().unwrap();
    s.wait_scan(first).await;
    let w = json!({"directive": "cn-cac-2023-micron", "reason": "Refresh in 2027", "expires": "2026-12-31", "match": {"entity": "micron", "host": "db-03"}});
    let id = s.post_json("/v1/waivers", &s.submitter, &w).await.json()["id"]
        .as_i64()
        .unwrap();
    s.post_json(
        &format!("/v1/waivers/{id}/approve"),
        &s.approver,
        &json!({}),
    )
    .await;
    s.wait_idle().await;
    let rescreen = s.get("/v1/rescreens", &s.viewer).await.json()["items"][0]["scan"]
        .as_i64()
        .unwrap();
    let finding = s
        .get("/v1/findings?verdict=violation", &s.viewer)
        .await
        .json()["items"][0]
        .clone();
    let finding_page = format!(
        "/ui/findings/{}/{}",
        finding["scan"],
        finding["finding_id"].as_str().unwrap_or("")
    );

    let dir = tempfile::tempdir().unwrap();
    let token = s.approver2.clone();
    let (b, d) = (base.clone(), dir.path().to_path_buf());
    let pages = [
        (
            "/".to_owned(),
            vec![
                "Findings by directive",
                "Findings by supplier",
                "<svg",
                "cn-cac-2023-micron",
            ],
        ),
        (
            finding_page,
            vec!["Evidence and citation", "Citation", "http"],
        ),
        (
            format!("/ui/scans/{rescreen}"),
            vec!["Re-screen diff", "Changed findings", "waived"],
        ),
        (
            "/ui/waivers".to_owned(),
            vec!["Propose a waiver", "approved", "Refresh in 2027"],
        ),
    ];
    let shots = std::env::var_os("SUPPLYSCREEN_UI_SCREENSHOTS").map(std::path::PathBuf::from);
    let checked = tokio::task::spawn_blocking(move || {
        let mut doms = Vec::new();
        for (i, (path, expected)) in pages.iter().enumerate() {
            let dom = visit(browser, &b, &token, path, &d, None);
            for e in expected {
                assert!(dom.contains(e), "{path} lacks {e:?}:\n{dom}");
            }
            if let Some(shots) = &shots {
                std::fs::create_dir_all(shots).unwrap();
                visit(
                    browser,
                    &b,
                    &token,
                    path,
                    &d,
                    Some(&shots.join(format!("ui-{i}.png"))),
                );
            }
            doms.push(dom);
        }
        doms
    })
    .await
    .unwrap();
    // The host came from the upload: shown as text, never run as markup.
    assert!(
        checked[0].contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{}",
        checked[0]
    );
    assert!(!checked.iter().any(|d| d.contains(hostile)));
}
