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
