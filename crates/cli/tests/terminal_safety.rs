//! What an input says is shown, never obeyed: terminal control sequences,
//! bidi overrides and bare carriage returns in fields, file names, KB
//! overlays and arguments reach neither standard output nor standard error
//! raw, whatever the command. The JSON report stays data and never repeats
//! a key.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use supplyscreen_cli::{Environment, run};
use supplyscreen_model::Date;

/// Clear screen, OSC 52 (set the clipboard), OSC 8 (a hidden link), a
/// right-to-left override and a bare carriage return.
const CLEAR: &str = "\u{1b}[2J";
const OSC52: &str = "\u{1b}]52;c;ZWNobyBvd25lZA==\u{7}";
const OSC8: &str = "\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\";
const RLO: &str = "\u{202e}";
const BARE_CR: &str = "Micron\rSamsung";

/// Runs the CLI with raw writers (no stripping), as a terminal would get it.
fn raw(args: &[&str]) -> (u8, String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::set_current_dir(&root).expect("workspace root");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut argv = vec!["supplyscreen"];
    argv.extend_from_slice(args);
    let env = Environment::fixed(Date::constant(2026, 11, 28));
    let code = run(argv, &env, &mut out, &mut err).code();
    let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8");
    (code, text(out), text(err))
}

/// Panics with the offending character when `text` holds a control or
/// format character other than a line feed, once the table's own styles
/// (SGR sequences, `ESC [ digits m`) are taken out.
fn assert_no_raw_controls(what: &str, text: &str) {
    if let Some(c) = without_styles(text)
        .chars()
        .find(|&c| c != '\n' && supplyscreen_report::is_hidden(c))
    {
        panic!("{what} carries raw {c:?}:\n{text}");
    }
}

/// `text` without its Select Graphic Rendition sequences.
fn without_styles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 2..];
        let params = tail
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b';')
            .count();
        if tail.as_bytes().get(params) == Some(&b'm') {
            rest = &tail[params + 1..];
        } else {
            out.push('\u{1b}');
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn the_check_sees_input_sequences_but_not_the_table_s_styles() {
    assert_eq!(without_styles("\u{1b}[1mA\u{1b}[0m\u{1b}[2J"), "A\u{1b}[2J");
}

fn hostile_csv(dir: &Path) -> String {
    let name = format!("po{CLEAR}.csv");
    let text = format!(
        "PO Number,Manufacturer,Part Number,Description,Quantity,Order Date\n\
         PO-7,\"{BARE_CR}\",MT40A1G8SA-075:E,DDR4 {OSC52}{OSC8}{RLO}8GB,4,2024-03-01\n"
    );
    std::fs::write(dir.join(&name), text).expect("write csv");
    dir.join(name).to_str().expect("utf-8 path").to_owned()
}

#[test]
fn a_table_report_shows_hostile_fields_and_file_names_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = hostile_csv(dir.path());
    let (code, out, err) = raw(&["scan", &path, "--show-clear"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_no_raw_controls("table", &out);
    assert_no_raw_controls("stderr", &err);
    assert!(out.contains("Manufacturer: Micron\\rSamsung"), "{out}");
    assert!(out.contains("po\\x1b[2J.csv:2"), "{out}");
    assert!(
        out.contains("DDR4 \\x1b]52;c;ZWNobyBvd25lZA==\\x07"),
        "{out}"
    );
    assert!(
        out.contains("\\x1b]8;;https://evil.example/\\x1b\\click"),
        "{out}"
    );
    assert!(out.contains("\\u{202e}8GB"), "{out}");
}

#[test]
fn markdown_shows_hostile_fields_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = hostile_csv(dir.path());
    let (_, out, err) = raw(&["scan", &path, "--format", "markdown"]);
    assert_no_raw_controls("markdown", &out);
    assert_no_raw_controls("stderr", &err);
    assert!(out.contains("po\\x1b\\[2J.csv:2"), "{out}");
}

#[test]
fn identify_and_its_explanation_show_the_text_escaped() {
    let text = format!("{BARE_CR} {CLEAR}{OSC52}{OSC8}{RLO}");
    let (code, out, err) = raw(&["identify", &text, "--explain"]);
    assert_eq!(code, 0, "{err}");
    assert_no_raw_controls("identify", &out);
    assert!(out.contains("Micron\\rSamsung"), "{out}");
    assert!(out.contains("\\u{202e}"), "{out}");
}

#[test]
fn kb_search_and_show_escape_an_overlay_s_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let entities = dir.path().join("entities");
    std::fs::create_dir_all(&entities).expect("entities dir");
    // TOML basic strings spell the controls as \u escapes.
    let toml = "id = \"evilcorp\"\n\
        name = \"Evilcorp\\u001b[2J\\u001b]52;c;eA==\\u0007 \\u202eLtd\\rMicron\"\n\
        names = [\"Evilcorp\"]\n\
        sources = [\"https://evil.example/\\u001b]8;;https://x/\\u001b\\\\a\"]\n";
    std::fs::write(entities.join("evilcorp.toml"), toml).expect("write entity");
    let kb = dir.path().to_str().expect("utf-8 path");
    let (code, out, err) = raw(&["kb", "search", "Evilcorp", "--kb", kb]);
    assert_no_raw_controls("kb search", &out);
    assert_no_raw_controls("kb search stderr", &err);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Evilcorp\\x1b[2J\\x1b]52;c;eA==\\x07 \\u{202e}Ltd\\rMicron"),
        "{out}"
    );
    let (code, out, err) = raw(&["kb", "show", "evilcorp", "--kb", kb]);
    assert_eq!(code, 0, "{err}");
    assert_no_raw_controls("kb show", &out);
    assert!(out.contains("https://evil.example/\\x1b]8;;"), "{out}");
}

#[test]
fn error_messages_show_file_names_and_input_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join(format!("gone{OSC52}{RLO}.csv"));
    let missing = missing.to_str().expect("utf-8 path");
    let (code, out, err) = raw(&["scan", missing]);
    assert_eq!(code, 2);
    assert_no_raw_controls("stderr", &err);
    assert!(
        err.contains("gone\\x1b]52;c;ZWNobyBvd25lZA==\\x07\\u{202e}.csv"),
        "{err}"
    );

    // A malformed record quotes its line; the error list names the file.
    let bad = dir.path().join(format!("bad{CLEAR}.csv"));
    let text = format!("Manufacturer,Part Number\n\"{BARE_CR}{OSC8},MT40A1G8SA-075:E\n");
    std::fs::write(&bad, text).expect("write csv");
    let (code, out2, err) = raw(&["scan", bad.to_str().expect("utf-8 path")]);
    assert_eq!(code, 2, "{out2}{err}");
    assert_no_raw_controls("stdout", &out);
    assert_no_raw_controls("stdout", &out2);
    assert_no_raw_controls("stderr", &err);
    assert!(err.contains("bad\\x1b[2J.csv"), "{err}");

    // An argument clap refuses is quoted in its error.
    let (code, _, err) = raw(&["scan", "x.csv", "--as-of", &format!("20{CLEAR}26")]);
    assert_eq!(code, 2);
    assert_no_raw_controls("clap error", &err);
}

/// A JSON value that refuses an object with a repeated key, at any depth.
struct Strict;

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value without repeated keys")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<Strict>()?;
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key {key:?}")));
            }
        }
        Ok(Strict)
    }
}

#[test]
fn the_strict_check_refuses_a_repeated_key() {
    assert!(serde_json::from_str::<Strict>(r#"{"a": [{"b": 1, "c": 2}]}"#).is_ok());
    assert!(serde_json::from_str::<Strict>(r#"{"a": [{"b": 1, "b": 2}]}"#).is_err());
}

#[test]
fn a_repeated_column_keeps_both_values_in_the_json_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("po.csv");
    std::fs::write(
        &path,
        "PO Number,Vendor,Part Number,Vendor,Quantity\n\
         PO-9,Samsung,MT40A1G8SA-075:E,Micron,2\n",
    )
    .expect("write csv");
    let (_, out, err) = raw(&["scan", path.to_str().expect("utf-8"), "--format", "json"]);
    if let Err(e) = serde_json::from_str::<Strict>(&out) {
        panic!("{e}\n{out}{err}");
    }
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let fields = report["components"][0]["fields"]
        .as_array()
        .expect("fields are a list");
    let vendors: Vec<&str> = fields
        .iter()
        .filter(|f| f["name"] == "Vendor")
        .filter_map(|f| f["value"].as_str())
        .collect();
    assert_eq!(vendors, ["Samsung", "Micron"]);
}
