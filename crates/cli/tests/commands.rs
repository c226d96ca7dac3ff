//! The commands besides `scan`: `identify` (with `--explain`), `kb`,
//! `directives`, through the real CLI entry point.

mod common;

use common::{cli, json};

#[test]
fn identify_and_kb_commands() {
    let (code, out, _) = cli(&[
        "identify",
        "Crucial CT16G4DFRA32A",
        "HT Micron",
        "802C",
        "美光科技有限公司",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("identify_table", out);
    let (code, out, _) = cli(&["kb", "show", "elpida"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("relation acquired-by micron from 2013-07-31 [data/entities/elpida.toml:"),
        "{out}"
    );
    let (code, out, _) = cli(&["kb", "validate"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("ok: "), "{out}");
    let (code, out, _) = cli(&["directives", "--profile", "cn-cii", "--as-of", "2024-01-01"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("cn-cac-2023-micron [CN]"), "{out}");
    let (_, out, _) = cli(&["directives", "--as-of", "2015-01-01"]);
    assert_eq!(out, "no directive matches\n");
    // Dates and profile ids are checked when the arguments are parsed.
    let (code, _, err) = cli(&["directives", "--as-of", "2024-02-30"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value '2024-02-30' for '--as-of <DATE>': invalid date"),
        "{err}"
    );
    let (code, _, err) = cli(&["scan", "examples/", "--profile", "CN CII"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("for '--profile <PROFILE>': invalid id \"CN CII\""),
        "{err}"
    );
    let (code, _, err) = cli(&["directives", "--profile", "nobody"]);
    assert_eq!(code, 2);
    assert_eq!(err, "error: --profile: no profile \"nobody\" in the KB\n");
    let (code, _, err) = cli(&["kb", "show", "nobody"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no entity, directive or profile \"nobody\""),
        "{err}"
    );
}

#[test]
fn kb_validate_reports_a_broken_overlay_with_lines() {
    let dir = std::env::temp_dir().join(format!("supplyscreen-kb-{}", std::process::id()));
    let entities = dir.join("entities");
    std::fs::create_dir_all(&entities).expect("temp dir");
    std::fs::write(entities.join("bad.toml"), "id = \"bad\"\nname = \"Bad\"\nnames = [\"Bad\"]\nsources = [\"s\"]\n\n[[relations]]\nkind = \"owned-by\"\nentity = \"ghost\"\nfrom = \"2019-13\"\nsource = \"s\"\n").expect("write");
    let dir_arg = dir.to_str().expect("utf-8 path");
    let (code, _, err) = cli(&["kb", "validate", "--kb", dir_arg]);
    // The older positional form still works.
    let (positional, _, positional_err) = cli(&["kb", "validate", dir_arg]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!((positional, positional_err.as_str()), (code, err.as_str()));
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.toml:9: invalid date \"2019-13\""),
        "{err}"
    );
    assert!(err.contains("bad.toml:7: related entity"), "{err}");
}

#[test]
fn identify_explain_shows_evidence_reasons_and_near_misses() {
    let texts = [
        "Crucial_CT250MX200SSD1",
        "Mircon",
        "Micron M393A2K40BB1-CRC",
        "HT Micron",
        "SKhynix",
        "MT4OA1G8SA",
        "Zebra Printers",
    ];
    let mut args = vec!["identify", "--explain"];
    args.extend(texts);
    let (code, out, _) = cli(&args);
    assert_eq!(code, 0);
    insta::assert_snapshot!("identify_explain_table", out);

    args.extend(["--format", "json"]);
    let (code, out, _) = cli(&args);
    assert_eq!(code, 0);
    let doc = json(&out);
    let results = doc["results"].as_array().expect("results");
    assert_eq!(results.len(), texts.len());
    let why = |i: usize| &results[i]["explanation"];
    // Brand and part number agree: high, and the decision says why.
    assert_eq!(why(0)["pieces"].as_array().map(Vec::len), Some(2));
    assert!(
        why(0)["decision"]
            .as_str()
            .is_some_and(|d| d.contains("independent kinds of evidence agree"))
    );
    // A typo alone stays low, hence review.
    assert_eq!(results[1]["attribution"]["confidence"], "low");
    assert!(
        why(1)["decision"]
            .as_str()
            .is_some_and(|d| d.contains("review"))
    );
    // Samsung's part number outranks the Micron name: the name is a conflict piece.
    let pieces = why(2)["pieces"].as_array().expect("pieces");
    assert!(
        pieces
            .iter()
            .any(|p| p["conflict"] == true && p["entity"] == "micron" && p["kind"] == "name"),
        "{pieces:?}"
    );
    // Near misses: each names the KB line and why it fell short.
    let near = |i: usize| {
        why(i)["near_misses"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        near(3)[0]["why"]
            .as_str()
            .is_some_and(|w| w.contains("look-alike"))
    );
    assert_eq!(near(4)[0]["entity"], "sk-hynix");
    assert!(
        near(4)[0]["kb"]
            .as_str()
            .is_some_and(|k| k.starts_with("data/entities/sk-hynix.toml:"))
    );
    assert!(
        near(5)[0]["why"]
            .as_str()
            .is_some_and(|w| w.contains("'O' is read as '0'"))
    );
    assert!(near(6).is_empty());
    // Without --explain the JSON carries no explanation.
    let (_, plain, _) = cli(&["identify", "--format", "json", "Mircon"]);
    assert!(json(&plain)["results"][0].get("explanation").is_none());
}

#[test]
fn identify_output_is_byte_identical_across_runs() {
    let args = [
        "identify",
        "--explain",
        "--format",
        "json",
        "Micron M393A2K40BB1-CRC",
        "Microns Inc",
        "802C",
        "美光科技有限公司",
    ];
    let (_, first, _) = cli(&args);
    let (_, second, _) = cli(&args);
    assert_eq!(first, second);
    assert!(first.contains("\"algorithm\": \"identify-3\""), "{first}");
}

/// A pipe whose reader goes away after `room` bytes, as `| head -c N` does.
struct ClosingPipe {
    room: usize,
}

impl std::io::Write for ClosingPipe {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.room == 0 {
            return Err(std::io::ErrorKind::BrokenPipe.into());
        }
        let n = buf.len().min(self.room);
        self.room -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn scan_into_closing_pipe(args: &[&str], room: usize) -> (u8, String) {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::set_current_dir(&root).expect("workspace root");
    let mut out = ClosingPipe { room };
    let mut err = Vec::new();
    let mut argv = vec!["supplyscreen", "scan", "--as-of", "2026-11-28"];
    argv.extend_from_slice(args);
    let env = supplyscreen_cli::Environment::fixed(common::TODAY);
    let status = supplyscreen_cli::run(argv, &env, &mut out, &mut err);
    (status.code(), String::from_utf8(err).expect("utf-8"))
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_scans_status() {
    let args = ["examples/", "--waivers", "examples/waivers.toml"];
    // The full scan finds violations: status 1.
    let (full, _, _) = cli(&["scan", "--as-of", "2026-11-28", args[0], args[1], args[2]]);
    assert_eq!(full, 1);
    for room in [0, 10, 4096] {
        let (code, err) = scan_into_closing_pipe(&args, room);
        assert_eq!(code, 1, "room {room}: {err}");
        assert!(!err.contains("error:"), "room {room}: {err}");
    }
    // A clean scan stays clean when its reader goes away.
    let dir = std::env::temp_dir().join(format!("supplyscreen-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let po = dir.join("po.csv");
    std::fs::write(
        &po,
        "Vendor,MPN,Qty,Order Date\nKingston,SA400S37/480G,3,2024-06-01\n",
    )
    .expect("write");
    let (code, err) = scan_into_closing_pipe(&[po.to_str().expect("utf-8 path")], 10);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn other_write_failures_are_errors() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut err = Vec::new();
    let env = supplyscreen_cli::Environment::fixed(common::TODAY);
    let status = supplyscreen_cli::run(["supplyscreen", "kb", "list"], &env, &mut Full, &mut err);
    assert_eq!(status, supplyscreen_cli::ExitStatus::Error);
    let err = String::from_utf8(err).expect("utf-8");
    assert_eq!(err, "error: cannot write output: disk full\n");
}
