//! Every input is read or refused out loud: preambles, column mappings and
//! date orders in tables; spreadsheets; many files where some are bad.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{cli, json, located_entities, rows};

/// A fresh directory under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("supplyscreen-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn verdict_of(report: &serde_json::Value, line: u64) -> String {
    report["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["source"]["line"] == line)
        .map(|c| c["verdict"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

#[test]
fn an_erp_export_with_a_preamble_is_read_and_ambiguous_dates_are_a_review() {
    let (code, out, err) = cli(&[
        "scan",
        "fixtures/po-preamble/erp-export.csv",
        "--profile",
        "cn-cii",
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "a review, not a failure: {err}");
    let r = json(&out);
    let message = r["inputs"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.starts_with("column \"PO Date\": \"03/04/2024\" reads day-first and month-first"),
        "{message}"
    );
    assert_eq!(r["inputs"][0]["components"], 2);
    assert_eq!(r["inputs"][0]["skipped"]["preamble-row"], 2);
    assert_eq!(r["inputs"][0]["skipped"]["comment-line"], 1);
    assert_eq!(r["inputs"][0]["skipped"]["totals-row"], 1);
    // The Micron line is never guessed into a date: its finding is a review that says why.
    let f = &r["findings"][0];
    assert_eq!(f["verdict"], "review");
    assert_eq!(f["doubts"][0]["doubt"], "ambiguous-date");
    assert_eq!(f["doubts"][0]["stated"], "03/04/2024");
}

#[test]
fn a_column_mapping_and_a_date_order_read_every_line() {
    let (code, out, err) = cli(&[
        "scan",
        "fixtures/po-preamble/erp-export.csv",
        "--columns",
        "part=Item Number",
        "--date-order",
        "dmy",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    assert_eq!(verdict_of(&r, 7), "violation");
    assert_eq!(verdict_of(&r, 8), "clear");
    let f = &r["findings"][0];
    assert_eq!(f["directive"], "cn-cac-2023-micron");
    assert_eq!(f["role"], "maker");
    assert_eq!(
        f["role_assumed"], true,
        "the supplier column was taken for the maker"
    );
    assert_eq!(r["components"][0]["ordered"], "2024-04-03");
    let (code, _, err) = cli(&[
        "scan",
        "fixtures/po-preamble/erp-export.csv",
        "--columns",
        "colour=Red",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown column role \"colour\""), "{err}");
}

#[test]
fn a_table_with_nothing_to_identify_names_its_headers_and_exits_2() {
    let dir = scratch("ledger");
    let path = dir.join("ledger.csv");
    fs::write(&path, "Posted,Amount,Description\n2024-03-01,100,\n").expect("write");
    let p = path.to_string_lossy().into_owned();
    let (code, _, err) = cli(&["scan", &p, "--columns", "ignore=Description"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("headers: \"Posted\", \"Amount\", \"Description\""),
        "{err}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn spreadsheets_are_read_sheet_by_sheet_with_their_locations() {
    let (code, out, err) = cli(&["scan", "fixtures/spreadsheets/", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    let flagged: Vec<(String, String, String)> = r["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter(|c| c["verdict"] == "violation")
        .map(|c| {
            let s = &c["source"];
            (
                s["path"].as_str().unwrap_or_default().to_owned(),
                s["locator"].as_str().unwrap_or_default().to_owned(),
                c["ordered"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("fixtures/spreadsheets/po-2024.ods", "订单!R4", "2024-02-05"),
        (
            "fixtures/spreadsheets/po-2024.xlsx",
            "PO 4711!R5",
            "2024-03-01",
        ),
        ("fixtures/spreadsheets/po-2024.xlsx", "Q2!R2", "2024-05-01"),
        (
            "fixtures/spreadsheets/po-legacy.xls",
            "Sheet1!R2",
            "2024-02-05",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into()))
        .collect();
    assert_eq!(flagged, expected);
    let xlsx = &r["inputs"][1];
    assert_eq!(xlsx["format"], "xlsx");
    assert_eq!(xlsx["components"], 5);
    assert_eq!(xlsx["skipped"]["totals-row"], 1);
    assert_eq!(xlsx["skipped"]["note-row"], 1);
    assert_eq!(xlsx["skipped"]["sheet-without-table"], 1);
    // The formula cell's cached value is kept.
    let amount = r["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["source"]["locator"] == "PO 4711!R5")
        .and_then(|c| {
            c["fields"]
                .as_array()?
                .iter()
                .find(|f| f["name"] == "Amount")
                .map(|f| f["value"].clone())
        });
    assert_eq!(amount, Some(serde_json::json!("800")));
}

#[test]
fn one_bad_file_never_costs_the_others() {
    let dir = scratch("many");
    fs::write(
        dir.join("a-po.csv"),
        "Manufacturer,Part Number,Order Date\nMicron,MTA18ASF4G72PDZ-3G2R1,2024-03-01\n",
    )
    .expect("write");
    fs::write(dir.join("meta.json"), "{\"name\":\"x\"}\n").expect("write");
    fs::write(
        dir.join("README.md"),
        "# Notes\n\nNothing to screen here.\n",
    )
    .expect("write");
    let a = dir.join("a-po.csv").to_string_lossy().into_owned();
    let missing = dir.join("missing.csv").to_string_lossy().into_owned();
    let notes = dir.join("README.md").to_string_lossy().into_owned();
    // Named on the command line: a missing file and a README are errors, the PO is still screened.
    let (code, out, err) = cli(&["scan", &missing, &notes, &a, "--format", "json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.csv: cannot open or read"), "{err}");
    assert!(err.contains("README.md:1: unknown input format"), "{err}");
    assert_eq!(json(&out)["summary"]["violation"], 1);
    // Found in a directory: files not screened by design are listed, and do not make the status 2.
    let d = dir.to_string_lossy().into_owned();
    let (code, out, err) = cli(&["scan", &d, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let skipped: Vec<String> = json(&out)["skipped_files"]
        .as_array()
        .expect("list")
        .iter()
        .map(|f| {
            f["path"]
                .as_str()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(skipped, ["README.md", "meta.json"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_empty_directory_or_nothing_screenable_exits_2_and_says_why() {
    let dir = scratch("empty");
    let d = dir.to_string_lossy().into_owned();
    let (code, _, err) = cli(&["scan", &d]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no component was screened: 0 file(s) read"),
        "{err}"
    );
    fs::write(dir.join("README.md"), "# Notes\n").expect("write");
    let (code, _, err) = cli(&["scan", &d]);
    assert_eq!(code, 2);
    assert!(err.contains("1 not screened"), "{err}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_walk_over_many_files_holds_few_open() {
    let dir = scratch("wide");
    for i in 0..3000 {
        fs::write(
            dir.join(format!("po-{i:05}.csv")),
            "Manufacturer,Part Number\nKingston,KSM32RD4/32HDR\n",
        )
        .expect("write");
    }
    let d = dir.to_string_lossy().into_owned();
    let (code, out, err) = cli(&["scan", &d, "--format", "json"]);
    assert_eq!(
        code,
        0,
        "{}",
        err.lines().take(3).collect::<Vec<_>>().join("\n")
    );
    assert_eq!(json(&out)["summary"]["clear"], 3000);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_gzip_compressed_csv_is_read_by_its_content() {
    use std::io::Write;
    let dir = scratch("gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"Manufacturer,Part Number,Order Date\nMicron,MTA18ASF4G72PDZ-3G2R1,2024-03-01\n")
        .expect("in memory");
    let path = dir.join("po.csv.gz");
    fs::write(&path, gz.finish().expect("in memory")).expect("write");
    let p = path.to_string_lossy().into_owned();
    let (code, out, err) = cli(&["scan", &p, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(json(&out)["inputs"][0]["format"], "csv");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn bills_of_materials_name_makers_and_suppliers_and_carry_no_order_date() {
    let (code, out, err) = cli(&[
        "scan",
        "fixtures/boms/gateway.cdx.json",
        "fixtures/boms/gateway.spdx.json",
        "--profile",
        "us-federal-contractor",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    let formats: Vec<&str> = r["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|i| i["format"].as_str())
        .collect();
    assert_eq!(formats, ["cyclonedx-json", "spdx-json"]);
    let attributed = located_entities(&r);
    let expected = [
        ("site-gateway", "-"),
        ("router-1", "huawei"),
        ("router-1-fw", "huawei"),
        ("camera-1", "hikvision"),
        ("dimm-1", "micron"),
        ("pkg:cargo/serde@1.0.228", "-"),
        ("SPDXRef-router", "huawei"),
        ("SPDXRef-camera", "hikvision"),
        ("SPDXRef-serde", "-"),
    ];
    assert_eq!(attributed, rows(&expected));
    assert!(
        r["components"]
            .as_array()
            .expect("components")
            .iter()
            .all(|c| c.get("ordered").is_none() && c.get("acquired").is_none()),
        "a BOM's timestamp is not an order date"
    );
    let camera = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["entity"] == "hikvision")
        .expect("a finding on the camera");
    assert_eq!(camera["role"], "maker");
    assert_eq!(
        camera["role_assumed"], true,
        "the BOM names only a supplier"
    );
}

/// Validates the BOM fixtures against the CycloneDX schema (and the SPDX
/// validator when installed); runs when SUPPLYSCREEN_SCHEMAS names a
/// directory holding bom-1.6.schema.json and python3 has jsonschema.
#[test]
#[allow(clippy::print_stderr)] // says why it skipped
fn bom_fixtures_are_valid_against_the_published_schemas() {
    let Some(dir) = std::env::var_os("SUPPLYSCREEN_SCHEMAS") else {
        eprintln!("SUPPLYSCREEN_SCHEMAS not set: skipped");
        return;
    };
    let python = std::env::var("SUPPLYSCREEN_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_jsonschema = std::process::Command::new(&python)
        .args(["-c", "import jsonschema, referencing"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_jsonschema {
        eprintln!("{python} has no jsonschema: skipped");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = std::process::Command::new(&python)
        .arg(root.join("fixtures/boms/validate.py"))
        .arg(dir)
        .output()
        .expect("python runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("gateway.cdx.json: valid CycloneDX 1.6"),
        "{text}"
    );
}

#[test]
fn smartctl_reports_in_other_key_orders_and_without_their_banner_are_read() {
    let dir = scratch("smartctl");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let json_text =
        fs::read_to_string(root.join("fixtures/storage-server-tools/stor-04.smartctl-nvme0.json"))
            .expect("fixture");
    let doc: serde_json::Value = serde_json::from_str(&json_text).expect("fixture JSON");
    // serde_json writes object keys sorted, as `jq -S` does; then tabs for indentation.
    let sorted = serde_json::to_string_pretty(&doc)
        .expect("JSON")
        .lines()
        .map(|l| {
            let depth = (l.len() - l.trim_start().len()) / 2;
            format!("{}{}", "\t".repeat(depth), l.trim_start())
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!sorted.starts_with("{\n\t\"json_format_version\""));
    fs::write(dir.join("stor-04.sorted.json"), sorted).expect("write");
    let text =
        fs::read_to_string(root.join("fixtures/storage-server-tools/stor-04.smartctl-sda.txt"))
            .expect("fixture");
    let section: String = text
        .lines()
        .skip_while(|l| !l.starts_with("=== START OF INFORMATION SECTION"))
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(dir.join("stor-04.sda.txt"), section).expect("write");
    let d = dir.to_string_lossy().into_owned();
    let (_, out, err) = cli(&["scan", &d, "--format", "json"]);
    let r = json(&out);
    let read: Vec<(String, String)> = r["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| {
            (
                i["format"].as_str().unwrap_or_default().to_owned(),
                i["components"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            ("smartctl-text".to_owned(), "1".to_owned()),
            ("smartctl-json".to_owned(), "1".to_owned())
        ],
        "{err}"
    );
    let makers: Vec<&str> = r["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["attribution"]["entity"].as_str())
        .collect();
    assert_eq!(makers, ["micron", "micron"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_spdx_tag_value_document_is_read_like_its_json_form() {
    let (code, out, err) = cli(&[
        "scan",
        "fixtures/boms/gateway.spdx",
        "--profile",
        "us-federal-contractor",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    assert_eq!(r["inputs"][0]["format"], "spdx-tag-value");
    let got = located_entities(&r);
    assert_eq!(
        got,
        rows(&[
            ("SPDXRef-router", "huawei"),
            ("SPDXRef-camera", "hikvision")
        ])
    );
}

#[test]
fn a_cyclonedx_xml_bom_is_read_like_its_json_form() {
    let (code, out, err) = cli(&[
        "scan",
        "fixtures/boms/gateway.cdx.xml",
        "--profile",
        "us-federal-contractor",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    assert_eq!(r["inputs"][0]["format"], "cyclonedx-xml");
    let got = located_entities(&r);
    let expected = [
        ("site-gateway", "-"),
        ("router-1", "huawei"),
        ("router-1-fw", "huawei"),
        ("camera-1", "hikvision"),
    ];
    assert_eq!(got, rows(&expected));
}

#[test]
fn the_config_file_maps_columns_too() {
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("supplyscreen.toml");
    std::fs::write(
        &config,
        "profile = \"cn-cii\"\n\n[columns]\npart = \"Item Number\"\n",
    )
    .expect("write");
    let config = config.to_string_lossy().into_owned();
    let (code, out, err) = cli(&[
        "scan",
        "fixtures/po-preamble/erp-export.csv",
        "--config",
        &config,
        "--date-order",
        "dmy",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    assert_eq!(verdict_of(&r, 7), "violation");
    let evidence = r["components"][0]["attribution"]["evidence"].to_string();
    assert!(evidence.contains("\"field\":\"Item Number\""), "{evidence}");
}

#[test]
fn a_workbook_whose_header_would_exhaust_memory_is_refused() {
    // Found by fuzzing: an OLE2 header whose directory chain loops, which
    // made the workbook reader grow a buffer until memory ran out.
    let (code, _, err) = cli(&[
        "scan",
        "fuzz/regressions/xls-header-2gib-alloc.xls",
        "--profile",
        "cn-cii",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "xls-header-2gib-alloc.xls: cannot read the workbook: its directory chain loops"
        ),
        "{err}"
    );
}
