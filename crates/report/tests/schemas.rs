//! The SARIF and CycloneDX outputs validated against the published JSON
//! schemas (SARIF 2.1.0; CycloneDX 1.6 with the SPDX and JSF schemas it
//! references), with Python's `jsonschema`. The schemas are found in the
//! directory named by `SUPPLYSCREEN_SCHEMAS`; without them, or without
//! python3 and jsonschema, the test says so and passes.

#![allow(clippy::print_stderr)] // a skipped check says why

mod common;

use std::path::PathBuf;
use std::process::Command;

use supplyscreen_report::{OutputFormat, render};

const VALIDATE: &str = r#"
import json, sys, pathlib
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
d, kind, path = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
doc = json.load(open(path, encoding="utf-8"))
if kind == "sarif":
    v = jsonschema.Draft4Validator(json.load(open(d / "sarif-schema-2.1.0.json")))
else:
    res = [(n, Resource.from_contents(json.load(open(d / n)), default_specification=DRAFT7))
           for n in ["spdx.schema.json", "jsf-0.82.schema.json"]]
    reg = Registry().with_resources(res + [("http://cyclonedx.org/schema/" + n, r) for n, r in res])
    v = jsonschema.Draft7Validator(json.load(open(d / "bom-1.6.schema.json")), registry=reg,
                                   format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
errors = [("/".join(map(str, e.absolute_path)) + ": " + e.message[:200]) for e in v.iter_errors(doc)]
print("\n".join(errors[:20]))
sys.exit(1 if errors else 0)
"#;

fn schemas() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("SUPPLYSCREEN_SCHEMAS").unwrap_or_default());
    if !dir.join("sarif-schema-2.1.0.json").is_file() {
        eprintln!(
            "skipped: no JSON schemas in {} (set SUPPLYSCREEN_SCHEMAS to a directory holding sarif-schema-2.1.0.json, bom-1.6.schema.json, spdx.schema.json and jsf-0.82.schema.json)",
            dir.display()
        );
        return None;
    }
    let python = Command::new("python3")
        .args(["-c", "import jsonschema, referencing"])
        .output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 with the jsonschema package is not installed");
        return None;
    }
    Some(dir)
}

/// Validates a document; returns the validator's complaints on failure.
fn validate(dir: &PathBuf, kind: &str, text: &str) -> Result<(), String> {
    let file = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    std::fs::write(file.path(), text).map_err(|e| e.to_string())?;
    let out = Command::new("python3")
        .arg("-c")
        .arg(VALIDATE)
        .arg(dir)
        .arg(kind)
        .arg(file.path())
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

#[test]
fn sarif_and_cyclonedx_are_valid_and_the_validator_rejects_broken_ones() {
    let Some(dir) = schemas() else { return };
    let o = common::outcome();
    let sarif = render(OutputFormat::Sarif, &o).expect("renders");
    validate(&dir, "sarif", &sarif).expect("valid SARIF 2.1.0");
    let bom = render(OutputFormat::Cyclonedx, &o).expect("renders");
    validate(&dir, "cyclonedx", &bom).expect("valid CycloneDX 1.6");
    // The check can fail: a level SARIF does not have, a component type
    // CycloneDX does not have.
    let broken = sarif.replacen("\"level\": \"error\"", "\"level\": \"fatal\"", 1);
    assert!(validate(&dir, "sarif", &broken).is_err());
    let broken = bom.replacen("\"type\":\"device\"", "\"type\":\"hardware\"", 1);
    assert!(validate(&dir, "cyclonedx", &broken).is_err());
}
