//! `supplyscreen serve` over a real socket, killed with SIGKILL right after
//! answering: nothing acknowledged is lost, and a scan interrupted half way
//! is screened again after the restart.

#![allow(clippy::unwrap_used)]
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use supplyscreen_store::{Actor, Location, Role, Store};

fn tokens(dir: &Path) -> (String, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = Store::open(Location::Sqlite(dir.to_path_buf()))
            .await
            .unwrap();
        let now = jiff::Timestamp::now();
        let (_, s) = store
            .create_token("sam", Role::Submitter, &Actor::local("test"), now)
            .await
            .unwrap();
        let (_, v) = store
            .create_token("vera", Role::Viewer, &Actor::local("test"), now)
            .await
            .unwrap();
        (s.expose().to_owned(), v.expose().to_owned())
    })
}

/// Starts the server on a free port; returns it and its base URL.
fn start(dir: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_supplyscreen"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--lease-secs",
            "2",
            "--data",
        ])
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("serve printed where it listens")
            .unwrap();
        if let Some(rest) = line.strip_prefix("listening on ") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get(url: &str, token: &str) -> (u16, Value) {
    let mut res = agent()
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    let status = res.status().as_u16();
    let text = res
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn post(url: &str, token: &str, body: &[u8], content_type: &str) -> (u16, Value) {
    let mut res = agent()
        .post(url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", content_type)
        .send(body)
        .unwrap();
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// An asset register long enough that screening it takes a while.
fn big_register() -> Vec<u8> {
    let mut out = String::from("Asset,Hostname,Manufacturer,Part Number,Serial,Purchase Date\n");
    for i in 0..20_000 {
        out.push_str(&format!(
            "A-{i},db-{},Micron,MTA36ASF4G72PZ-2G9E2,S{i:08},2021-09-14\n",
            i % 50
        ));
    }
    out.into_bytes()
}

fn wait_status(base: &str, viewer: &str, scan: i64, want: &[&str], limit: Duration) -> Value {
    let start = Instant::now();
    loop {
        let (_, v) = get(&format!("{base}/v1/scans/{scan}/status"), viewer);
        if want.iter().any(|w| v["status"] == *w) {
            return v;
        }
        assert!(start.elapsed() < limit, "scan {scan} stayed {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn kill_9_loses_nothing_acknowledged_and_redoes_the_interrupted_scan() {
    let dir = tempfile::tempdir().unwrap();
    let (submitter, viewer) = tokens(dir.path());
    let (mut server, base) = start(dir.path());

    // A long scan, running when the server dies.
    let (status, body) = post(
        &format!("{base}/v1/inventories?name=big.csv&profile=cn-cii"),
        &submitter,
        &big_register(),
        "text/csv",
    );
    assert_eq!(status, 202, "{body}");
    let big = body["scan"].as_i64().unwrap();
    wait_status(&base, &viewer, big, &["running"], Duration::from_secs(30));

    // Uploads and waiver proposals, each acknowledged, then SIGKILL at once.
    let small = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/asset-register.csv"
    ))
    .unwrap();
    let mut scans = Vec::new();
    let mut waivers = Vec::new();
    for i in 0..10 {
        let (s, b) = post(
            &format!("{base}/v1/inventories?name=r{i}.csv&profile=cn-cii&host=h{i}"),
            &submitter,
            &small,
            "text/csv",
        );
        assert_eq!(s, 202, "{b}");
        scans.push(b["scan"].as_i64().unwrap());
        let w = json!({"directive": "cn-cac-2023-micron", "reason": format!("spare {i}"), "expires": "2099-12-31", "match": {"host": format!("h{i}")}});
        let (s, b) = post(
            &format!("{base}/v1/waivers"),
            &submitter,
            w.to_string().as_bytes(),
            "application/json",
        );
        assert_eq!(s, 201, "{b}");
        waivers.push(b["id"].as_i64().unwrap());
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let (mut server, base) = start(dir.path());
    let (_, listed) = get(&format!("{base}/v1/waivers"), &viewer);
    let kept: Vec<i64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_i64().unwrap())
        .collect();
    for id in &waivers {
        assert!(kept.contains(id), "waiver {id} was acknowledged and lost");
    }
    for id in &scans {
        let v = wait_status(&base, &viewer, *id, &["done"], Duration::from_secs(120));
        assert_eq!(v["status"], "done");
    }
    let v = wait_status(&base, &viewer, big, &["done"], Duration::from_secs(300));
    assert!(
        v["attempt"].as_u64().unwrap() >= 2,
        "the interrupted scan was claimed again: {v}"
    );
    assert_eq!(v["summary"]["components"], 20_000);
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn collect_pushes_this_machines_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let (submitter, viewer) = tokens(dir.path());
    let (mut server, base) = start(dir.path());
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/sysfs-server/root"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_supplyscreen"))
        .args([
            "collect", "--root", root, "--push", &base, "--token", &submitter,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let scan = answer["scan"].as_i64().unwrap();
    let v = wait_status(
        &base,
        &viewer,
        scan,
        &["done", "failed"],
        Duration::from_secs(60),
    );
    assert_eq!(v["status"], "done", "{v}");
    assert!(v["summary"]["components"].as_u64().unwrap() > 0, "{v}");
    assert!(v["name"].as_str().unwrap().starts_with("collect-"), "{v}");

    // A viewer may not push: the server's refusal is the command's error.
    let out = Command::new(env!("CARGO_BIN_EXE_supplyscreen"))
        .args([
            "collect", "--root", root, "--push", &base, "--token", &viewer,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("403"));
    server.kill().unwrap();
    server.wait().unwrap();
}
