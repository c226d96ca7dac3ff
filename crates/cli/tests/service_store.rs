//! `token` and `audit verify` through the real binary, on the SQLite store.

use std::path::Path;
use std::process::{Command, Output};

fn supplyscreen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_supplyscreen"))
        .args(args)
        .env("USER", "ops")
        .output()
        .expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

fn with_data<'a>(args: &[&'a str], data: &'a str) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.extend(["--data", data]);
    v
}

fn tamper(data: &Path, sql: &str) {
    let db = rusqlite::Connection::open(data.join("supplyscreen.sqlite3")).expect("open");
    db.execute_batch(sql).expect("tamper");
}

#[test]
fn token_create_list_revoke() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8 path");

    let out = supplyscreen(&with_data(
        &["token", "create", "--role", "approver", "--name", "li"],
        data,
    ));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let token = text(&out.stdout);
    let token = token.trim_end();
    let secret = token.strip_prefix("sst_1_").expect("token format");
    assert!(
        secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()),
        "{token}"
    );
    assert!(text(&out.stderr).contains("created token 1 for \"li\" (approver)"));

    // The printed token authenticates against the same store, as the server will check it.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let principal = runtime.block_on(async {
        let store =
            supplyscreen_store::Store::open(supplyscreen_store::Location::Sqlite(data.into()))
                .await
                .expect("open");
        store.authenticate(token).await.expect("authenticate")
    });
    let principal = principal.expect("valid token");
    assert_eq!(
        (principal.name.as_str(), principal.role),
        ("li", supplyscreen_store::Role::Approver)
    );

    let out = supplyscreen(&with_data(
        &["token", "create", "--role", "viewer", "--name", "dashboard"],
        data,
    ));
    assert_eq!(out.status.code(), Some(0));
    let out = supplyscreen(&with_data(&["token", "list"], data));
    let list = text(&out.stdout);
    assert!(list.starts_with("id  role"), "{list}");
    assert!(
        list.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("1   approver  li ")
                && l.contains("local:cli:ops")
                && l.ends_with(" -")),
        "{list}"
    );
    assert!(
        list.lines()
            .nth(2)
            .is_some_and(|l| l.starts_with("2   viewer    dashboard")),
        "{list}"
    );
    assert!(!list.contains(secret), "list never shows a secret");

    let out = supplyscreen(&with_data(&["token", "revoke", "1"], data));
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), "revoked token 1 (\"li\", approver)\n".into())
    );
    let list = text(&supplyscreen(&with_data(&["token", "list"], data)).stdout);
    assert!(
        list.lines().nth(1).is_some_and(|l| !l.ends_with(" -")),
        "revocation time shown: {list}"
    );
    let out = supplyscreen(&with_data(&["token", "revoke", "1"], data));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("token 1 is already revoked"));
    let out = supplyscreen(&with_data(&["token", "revoke", "99"], data));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no token 99"));
}

#[test]
fn audit_verify_intact_then_tampered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_path = dir.path().join("data");
    let data = data_path.to_str().expect("utf-8 path");
    for name in ["a", "b", "c"] {
        let out = supplyscreen(&with_data(
            &["token", "create", "--role", "submitter", "--name", name],
            data,
        ));
        assert_eq!(out.status.code(), Some(0));
    }
    let out = supplyscreen(&with_data(&["audit", "verify"], data));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(
        report.starts_with("audit log intact: 3 entries, head "),
        "{report}"
    );

    tamper(
        &data_path,
        "UPDATE audit_log SET detail = '{\"name\":\"mallory\",\"role\":\"admin\"}' WHERE seq = 2",
    );
    let out = supplyscreen(&with_data(&["audit", "verify"], data));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "audit log broken at entry 2: its content does not match its hash (changed)\n"
    );
}

#[test]
fn audit_verify_names_a_removed_last_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_path = dir.path().join("data");
    let data = data_path.to_str().expect("utf-8 path");
    for name in ["a", "b"] {
        supplyscreen(&with_data(
            &["token", "create", "--role", "viewer", "--name", name],
            data,
        ));
    }
    tamper(&data_path, "DELETE FROM audit_log WHERE seq = 2");
    let out = supplyscreen(&with_data(&["audit", "verify"], data));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("audit log broken at entry 2: the recorded head"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn store_options_and_default_data_directory() {
    let out = supplyscreen(&[
        "token",
        "list",
        "--data",
        "x",
        "--database",
        "postgres://h/db",
    ]);
    assert_eq!(out.status.code(), Some(2), "the two stores are exclusive");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_supplyscreen"))
        .args(["token", "create", "--role", "admin", "--name", "root"])
        .env("SUPPLYSCREEN_DATA", dir.path().join("default"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        dir.path()
            .join("default")
            .join("supplyscreen.sqlite3")
            .is_file()
    );
}

#[test]
fn approved_service_waivers_load_as_a_waiver_file() {
    use supplyscreen_store::{
        StoredWaiver, WaiverDraft, WaiverId, WaiverMatch, WaiverStatus, waivers_toml,
    };
    let at = jiff::Timestamp::from_second(1_800_000_000).expect("time");
    let waiver = StoredWaiver {
        id: WaiverId(4),
        draft: WaiverDraft {
            directive: "cn-cac-2023-micron".into(),
            reason: "DIMMs installed before the decision; replacement scheduled".into(),
            expires: "2027-03-31".parse().expect("date"),
            ticket: Some("CHG-1042".into()),
            matcher: WaiverMatch {
                entity: Some("micron".into()),
                host: Some("db-07".into()),
                ..Default::default()
            },
        },
        status: WaiverStatus::Approved,
        proposed_by: "token:1:li".into(),
        proposed_at: at,
        decided_by: Some("token:2:zhang".into()),
        decided_by_name: Some("zhang".into()),
        decided_at: Some(at),
    };
    let text = waivers_toml(&[waiver]).expect("toml");
    let kb = supplyscreen_screen::load_active_kb(None, None).expect("built-in KB");
    let parsed = supplyscreen_screen::parse_waivers("service-waivers", &text, &kb)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0].approver, "zhang");
    assert_eq!(parsed[0].ticket.as_deref(), Some("CHG-1042"));
    assert_eq!(parsed[0].expires.to_string(), "2027-03-31");
}

#[test]
#[allow(clippy::print_stderr)]
fn token_and_audit_on_postgres() {
    let Some(url) = std::env::var("SUPPLYSCREEN_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!(
            "skipped: SUPPLYSCREEN_TEST_DATABASE_URL is not set, so --database is not tested here"
        );
        return;
    };
    let url = fresh_database(&url);
    let url = url.as_str();
    let name = format!("cli-{}", std::process::id());
    let out = supplyscreen(&[
        "token",
        "create",
        "--role",
        "viewer",
        "--name",
        &name,
        "--database",
        url,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let id = text(&out.stdout)
        .strip_prefix("sst_")
        .and_then(|rest| rest.split('_').next().map(str::to_owned))
        .expect("token id");
    let list = text(&supplyscreen(&["token", "list", "--database", url]).stdout);
    assert!(
        list.lines()
            .any(|l| l.starts_with(&format!("{id} ")) && l.contains(&name)),
        "{list}"
    );
    let out = supplyscreen(&["token", "revoke", &id, "--database", url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = supplyscreen(&["audit", "verify", "--database", url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).starts_with("audit log intact: "));
}

/// A new database on the test server (other suites may tamper with theirs); its
/// connection string.
fn fresh_database(url: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let name = format!("supplyscreen_cli_test_{}", std::process::id());
    runtime.block_on(async {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("connect");
        tokio::spawn(conn);
        client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .await
            .expect("drop");
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create");
    });
    let config: tokio_postgres::Config = url.parse().expect("URL");
    let mut parts = vec![format!("dbname={name}")];
    if let Some(tokio_postgres::config::Host::Tcp(host)) = config.get_hosts().first() {
        parts.push(format!("host={host}"));
    }
    if let Some(port) = config.get_ports().first() {
        parts.push(format!("port={port}"));
    }
    if let Some(user) = config.get_user() {
        parts.push(format!("user={user}"));
    }
    if let Some(password) = config.get_password() {
        parts.push(format!("password={}", String::from_utf8_lossy(password)));
    }
    parts.join(" ")
}
