//! `scan -o FORMAT[=FILE]`, `--format`, `--summary`, `--quiet` and
//! `--show-clear` on the examples.

mod common;

use common::cli;

const EXAMPLES: [&str; 8] = [
    "scan",
    "examples/",
    "--waivers",
    "examples/waivers.toml",
    "--as-of",
    "2026-11-28",
    "--profile",
    "cn-cii",
];

fn scan(extra: &[&str]) -> (u8, String, String) {
    let mut args = EXAMPLES.to_vec();
    args.extend_from_slice(extra);
    cli(&args)
}

#[test]
fn several_outputs_go_to_their_files_and_the_table_to_stdout() {
    let dir = tempfile::tempdir().expect("dir");
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (sarif, html, table) = (path("r.sarif"), path("r.html"), path("r.txt"));
    let (code, out, err) = scan(&[
        "-o",
        "table",
        "-o",
        &format!("sarif={sarif}"),
        "--output",
        &format!("html={html}"),
        "-o",
        &format!("table={table}"),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("supplyscreen 0.1.0"), "{out}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif written"))
            .expect("JSON");
    assert_eq!(doc["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(&html)
            .expect("html")
            .starts_with("<!DOCTYPE html>")
    );
    // The table in a file carries no ANSI styles.
    let text = std::fs::read_to_string(&table).expect("table");
    assert!(!text.contains('\u{1b}') && text.contains("VIOLATION 9 component(s)"));
    // Nothing else is left in the directory (the temporary files were renamed).
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["r.html", "r.sarif", "r.txt"]);
}

#[test]
fn an_unwritable_output_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let missing = dir.path().join("no-such-dir/report.csv");
    let missing = missing.to_string_lossy();
    let (code, out, err) = scan(&["-o", &format!("csv={missing}")]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains(&format!("error: {missing}: cannot write:")),
        "{err}"
    );
    // A directory where the file should be: the error names it too.
    let target = dir.path().join("taken");
    std::fs::create_dir(&target).expect("dir");
    let (code, _, err) = scan(&["-o", &format!("json={}", target.display())]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{}: cannot write", target.display())),
        "{err}"
    );
}

#[test]
fn format_is_a_synonym_and_two_reports_cannot_share_stdout() {
    let (code, out, _) = scan(&["--format", "jsonl"]);
    assert_eq!(code, 1);
    let first: serde_json::Value =
        serde_json::from_str(out.lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["type"], "report");
    let (code, out, err) = scan(&["-o", "json", "-o", "csv"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("only one report can go to standard output"),
        "{err}"
    );
    let (code, _, err) = scan(&["--format", "json", "-o", "csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
    let (code, _, err) = scan(&["-o", "pdf"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown output format \"pdf\""), "{err}");
}

#[test]
fn summary_quiet_and_show_clear() {
    let (code, out, _) = scan(&["--summary"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "cn-cac-2023-micron: 9 violation, 2 restricted, 2 review, 3 waived finding(s)"
        ),
        "{out}"
    );
    assert!(out.contains(
        "Summary 37 component(s): 9 violation, 2 restricted, 2 review, 3 waived, 21 clear"
    ));
    assert!(!out.contains("attributed to"));
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("r.csv");
    let (code, out, err) = scan(&["--quiet", "-o", &format!("csv={}", csv.display())]);
    assert_eq!((code, out.as_str(), err.as_str()), (1, "", ""));
    assert!(
        std::fs::read(&csv)
            .expect("csv")
            .starts_with(b"\xef\xbb\xbfverdict,")
    );
    let (_, listed, _) = scan(&["--show-clear"]);
    assert!(listed.contains("CLEAR 21 component(s)\n"), "{listed}");
    assert!(
        listed.contains("Samsung · Mfr Part #: MZ-77E1T0BW"),
        "{listed}"
    );
    let (_, plain, _) = scan(&[]);
    assert!(plain.contains("CLEAR 21 component(s) (not listed here; --show-clear lists them)"));
}
