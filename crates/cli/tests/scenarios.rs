//! Scenario tests: each folder under fixtures/ is scanned through the real
//! CLI entry point; exit codes and key verdicts are asserted, and the whole
//! report is kept as a snapshot (the KB hash redacted so that a KB edit does
//! not churn every snapshot; the KB version stays visible).

use std::path::PathBuf;

use supplyscreen_cli::{Environment, run};
use supplyscreen_model::Date;

const TODAY: Date = Date::constant(2026, 11, 28);

/// Runs the CLI from the workspace root; returns (exit code, stdout, stderr).
fn cli(args: &[&str]) -> (u8, String, String) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::env::set_current_dir(&root).expect("workspace root");
    let mut out = anstream::StripStream::new(Vec::new());
    let mut err = anstream::StripStream::new(Vec::new());
    let mut argv = vec!["supplyscreen"];
    argv.extend_from_slice(args);
    let code = run(argv, &Environment::fixed(TODAY), &mut out, &mut err);
    let text =
        |s: anstream::StripStream<Vec<u8>>| String::from_utf8(s.into_inner()).expect("utf-8");
    (code, redact(&text(out)), text(err))
}

fn redact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("sha256:") {
        out.push_str(&rest[..i + 7]);
        let tail = &rest[i + 7..];
        let hex_len = tail.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str("[hash]");
        rest = &tail[hex_len..];
    }
    out.push_str(rest);
    out
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).expect("valid JSON report")
}

/// (line, verdict, entity) of every component in a JSON report.
fn verdicts(report: &serde_json::Value) -> Vec<(u64, String, String)> {
    report["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            let entity = c["attribution"]["entity"]
                .as_str()
                .unwrap_or("-")
                .to_owned();
            (
                c["source"]["line"].as_u64().unwrap_or(0),
                c["verdict"].as_str().unwrap_or("").to_owned(),
                entity,
            )
        })
        .collect()
}

fn v(line: u64, verdict: &str, entity: &str) -> (u64, String, String) {
    (line, verdict.to_owned(), entity.to_owned())
}

#[test]
fn mixed_quote_flags_the_micron_family_and_nothing_else() {
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/po-mixed-utf8/quote.csv",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let r = json(&out);
    let flagged: Vec<_> = verdicts(&r)
        .into_iter()
        .filter(|(_, v, _)| v != "clear")
        .collect();
    let want = vec![
        v(2, "violation", "micron"),
        v(3, "violation", "micron"),
        v(8, "violation", "micron"),
        v(9, "violation", "elpida"),
        v(10, "violation", "micron"),
    ];
    assert_eq!(flagged, want);
    assert_eq!(r["inputs"][0]["components"], 15);
    insta::assert_snapshot!("po_mixed_utf8_json", out);
}

#[test]
fn gbk_purchase_order_is_read_and_screened() {
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/po-gbk/purchase-order.csv",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let r = json(&out);
    assert_eq!(r["inputs"][0]["encoding"], "gb18030");
    let got = verdicts(&r);
    assert_eq!(got[0], v(2, "violation", "micron"));
    assert_eq!(got[1].1, "clear");
    assert_eq!(got[3], v(5, "clear", "cxmt"));
    assert_eq!(r["components"][0]["ordered"], "2024-03-01");
    insta::assert_snapshot!("po_gbk_json", out);
}

#[test]
fn legacy_dmidecode_finds_micron_and_crucial_modules() {
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/dmidecode-2x-legacy/x7dbr-8.txt",
        "--format",
        "json",
    ]);
    assert_eq!(
        code, 0,
        "installed, acquisition unknown: review, below the default --fail-on"
    );
    let r = json(&out);
    let micron: Vec<_> = verdicts(&r)
        .into_iter()
        .filter(|(_, _, e)| e == "micron")
        .collect();
    assert_eq!(micron.len(), 3);
    assert!(micron.iter().all(|(_, v, _)| v == "review"));
    assert_eq!(r["inputs"][0]["skipped"]["empty memory slot"], 1);
    let (code, _, _) = cli(&[
        "scan",
        "fixtures/dmidecode-2x-legacy/x7dbr-8.txt",
        "--fail-on",
        "review",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn apple_hex_fields_and_crlf_are_decoded() {
    let (_, out, _) = cli(&[
        "scan",
        "fixtures/dmidecode-apple-crlf/macbookpro8-2.dmi",
        "--format",
        "json",
    ]);
    let r = json(&out);
    let got = verdicts(&r);
    assert_eq!(
        got[1..],
        [
            v(15, "review", "elpida"),
            v(34, "review", "micron"),
            v(53, "review", "micron")
        ]
    );
    let note = r["components"][1]["attribution"]["evidence"][0]["note"]
        .as_str()
        .unwrap_or("");
    assert!(note.contains("EBJ40UG8EFU0-GN-F"), "{note}");
    insta::assert_snapshot!(
        "apple_crlf_table",
        cli(&["scan", "fixtures/dmidecode-apple-crlf/macbookpro8-2.dmi"]).1
    );
}

#[test]
fn ownership_dates_decide_lexar_and_elpida() {
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/lexar-ownership-dates/assets.csv",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let got = verdicts(&json(&out));
    let want = vec![
        v(2, "restricted", "lexar"),
        v(3, "review", "lexar"),
        v(4, "clear", "lexar"),
        v(5, "clear", "lexar"),
        v(6, "clear", "elpida"),
        v(7, "restricted", "elpida"),
        v(8, "violation", "micron"),
    ];
    assert_eq!(got, want);
}

#[test]
fn as_of_before_the_decision_finds_nothing_to_act_on() {
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/lexar-ownership-dates/assets.csv",
        "--format",
        "json",
        "--as-of",
        "2023-05-20",
    ]);
    assert_eq!(code, 0);
    assert!(verdicts(&json(&out)).iter().all(|(_, v, _)| v == "clear"));
}

#[test]
fn malformed_inputs_exit_2_naming_file_and_line() {
    let (code, out, err) = cli(&[
        "scan",
        "fixtures/malformed-inputs/po-broken.csv",
        "fixtures/malformed-inputs/inventory.jsonl",
    ]);
    assert_eq!(code, 2);
    assert!(
        out.contains("Summary"),
        "the readable part is still reported"
    );
    for needle in [
        "fixtures/malformed-inputs/po-broken.csv:3: row has 4 fields but the header has 5",
        "fixtures/malformed-inputs/po-broken.csv:4: column \"Order Date\": invalid date \"2024-02-30\"",
        "fixtures/malformed-inputs/po-broken.csv:5: column \"Order Date\": ambiguous date \"03/04/2024\"",
        "fixtures/malformed-inputs/inventory.jsonl:2: invalid component record: unknown field `partnumber`",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    let (code, _, err) = cli(&["scan", "fixtures/malformed-inputs/notes.txt"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("fixtures/malformed-inputs/notes.txt:1: unknown input format"),
        "{err}"
    );
    let (code, _, err) = cli(&["scan", "fixtures/no-such-file.csv"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("fixtures/no-such-file.csv: cannot open"),
        "{err}"
    );
    let (code, _, err) = cli(&["scan", "examples/db-07.dmi", "--as-of", "2026-13-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("--as-of: invalid date"), "{err}");
}

#[test]
fn a_company_rule_overlays_the_kb() {
    let (code, out, _) = cli(&["scan", "fixtures/kb-overlay/order.csv", "--format", "json"]);
    assert_eq!(code, 0);
    let base_hash = json(&out)["kb"]["hash"].clone();
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/kb-overlay/order.csv",
        "--format",
        "json",
        "--kb",
        "fixtures/kb-overlay/kb",
    ]);
    assert_eq!(code, 1);
    let r = json(&out);
    assert_eq!(r["findings"][0]["directive"], "acme-2025-no-lexar");
    assert_eq!(verdicts(&r)[1], v(3, "clear", "kingston"));
    assert_eq!(base_hash, "sha256:[hash]", "hashes are redacted in tests");
}

#[test]
fn examples_scan_as_the_readme_shows() {
    let (code, out, _) = cli(&[
        "scan",
        "examples/",
        "--waivers",
        "examples/waivers.toml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let r = json(&out);
    assert_eq!(r["summary"]["violation"], 9);
    assert_eq!(r["summary"]["waived"], 3);
    let statuses: Vec<&str> = r["waivers"]
        .as_array()
        .expect("waivers")
        .iter()
        .filter_map(|w| w["status"].as_str())
        .collect();
    assert_eq!(statuses, ["used", "expired", "unused"]);
    insta::assert_snapshot!(
        "examples_table",
        cli(&["scan", "examples/", "--waivers", "examples/waivers.toml"]).1
    );
}

#[test]
fn every_tool_of_a_storage_server_is_read_and_attributed() {
    let (code, out, _) = cli(&["scan", "fixtures/storage-server-tools/", "--format", "json"]);
    assert_eq!(
        code, 0,
        "installed items without acquisition dates are reviews"
    );
    let r = json(&out);
    let formats: Vec<&str> = r["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|i| i["format"].as_str())
        .collect();
    assert_eq!(
        formats,
        [
            "lsblk",
            "lshw-json",
            "lshw-xml",
            "lspci",
            "lsusb",
            "nvme-id-ctrl",
            "nvme-list",
            "smartctl-json",
            "smartctl-text"
        ]
    );
    let components = r["components"].as_array().expect("components");
    let micron: Vec<&str> = components
        .iter()
        .filter(|c| c["attribution"]["entity"] == "micron")
        .filter_map(|c| c["source"]["locator"].as_str())
        .collect();
    let want = [
        "lsblk:sda",
        "lsblk:nvme0n1",
        "lshw:/stor-04/core/memory/bank:0",
        "lshw:/stor-04/core/memory/bank:1",
        "lshw:/stor-04/core/pci:0/nvme",
        "lshw:/stor-04/core/sata/disk",
        "lshw:/stor-04/core/memory/bank:0",
        "lshw:/stor-04/core/memory/bank:1",
        "lshw:/stor-04/core/pci:0/nvme",
        "lshw:/stor-04/core/sata/disk",
        "pci:5e:00.0",
        "pci:d8:00.0",
        "usb:001:004",
        "nvme:id-ctrl",
        "nvme:nvme0",
        "drive",
        "drive",
    ];
    assert_eq!(micron, want);
    for c in components
        .iter()
        .filter(|c| c["attribution"]["entity"] != "micron")
    {
        assert_eq!(c["verdict"], "clear", "{c}");
    }
    assert!(components.iter().all(|c| c["host"] == "stor-04"));
    insta::assert_snapshot!(
        "storage_server_table",
        cli(&["scan", "fixtures/storage-server-tools/"]).1
    );
}

#[test]
fn endpoint_inventories_from_osquery_windows_and_macos() {
    let (_, out, _) = cli(&["scan", "fixtures/endpoint-inventories/", "--format", "json"]);
    let r = json(&out);
    let inputs: Vec<(String, String)> = r["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| {
            (
                i["format"].as_str().unwrap_or("").to_owned(),
                i["encoding"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want = [
        ("osquery-log", "UTF-8"),
        ("system-profiler", "UTF-8"),
        ("osquery-json", "UTF-8"),
        ("csv", "UTF-16LE"),
        ("windows-cim", "UTF-16LE"),
    ];
    assert_eq!(inputs, want.map(|(f, e)| (f.to_owned(), e.to_owned())));
    let flagged: Vec<(String, u64, String)> = r["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter(|c| c["verdict"] != "clear")
        .map(|c| {
            let file = c["source"]["path"]
                .as_str()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_owned();
            (
                file,
                c["source"]["line"].as_u64().unwrap_or(0),
                c["host"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want = [
        ("fleet.osquery.log", 1, "db-22"),
        ("mbp-07.system_profiler.json", 6, "mbp-07"),
        ("ws-118.osquery-memory.json", 2, "ws-118"),
        ("ws-201.diskdrive.csv", 3, "WS-201"),
        ("ws-201.physicalmemory.json", 2, "ws-201"),
        ("ws-201.physicalmemory.json", 41, "ws-201"),
    ];
    assert_eq!(
        flagged,
        want.map(|(f, l, h)| (f.to_owned(), l, h.to_owned()))
    );
    assert_eq!(
        r["inputs"][0]["skipped"]["osquery differential row removed"],
        1
    );
    assert!(
        r["components"]
            .as_array()
            .expect("components")
            .iter()
            .all(|c| c["verdict"] == "clear" || c["verdict"] == "review")
    );
}

#[test]
fn a_tar_gz_of_hosts_is_read_member_by_member() {
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/fleet-archive/fleet.tar.gz",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let r = json(&out);
    let inputs: Vec<&str> = r["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|i| i["path"].as_str())
        .collect();
    assert_eq!(
        inputs,
        [
            "fixtures/fleet-archive/fleet.tar.gz:hosts/legacy-01.dmi",
            "fixtures/fleet-archive/fleet.tar.gz:hosts/stor-04.lspci",
            "fixtures/fleet-archive/fleet.tar.gz:hosts/db-07.dmi",
        ]
    );
    assert_eq!(
        r["skipped_files"][0]["path"],
        "fixtures/fleet-archive/fleet.tar.gz:hosts/README"
    );
    let hosts: std::collections::BTreeSet<&str> = r["components"]
        .as_array()
        .expect("c")
        .iter()
        .filter_map(|c| c["host"].as_str())
        .collect();
    assert_eq!(
        hosts.into_iter().collect::<Vec<_>>(),
        ["db-07", "legacy-01", "stor-04"]
    );
    assert_eq!(r["summary"]["review"], 8);
}

#[test]
fn collect_reads_sysfs_and_scan_local_screens_it() {
    let (code, out, err) = cli(&["collect", "--root", "fixtures/sysfs-server/root"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("# supplyscreen collect: host db-31, 8 component(s)\n"),
        "{out}"
    );
    let records: Vec<serde_json::Value> = out
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(records.len(), 8);
    assert!(records.iter().all(|r| r["host"] == "db-31"));
    let kinds: Vec<&str> = records.iter().filter_map(|r| r["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        [
            "system", "memory", "memory", "pci", "pci", "usb", "disk", "disk"
        ]
    );
    assert!(err.is_empty(), "nothing missing on this machine: {err}");

    let (code, out, _) = cli(&[
        "scan",
        "--local",
        "--root",
        "fixtures/sysfs-server/root",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let r = json(&out);
    assert_eq!(r["inputs"][0]["path"], "local:db-31");
    let micron: Vec<&str> = r["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter(|c| c["attribution"]["entity"] == "micron")
        .map(|c| c["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(micron, ["memory", "pci", "disk", "disk"]);

    let (code, out, err) = cli(&["collect", "--root", "fixtures/sysfs-server/root-vm"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("sys/firmware/dmi/tables/DMI: not present"),
        "{err}"
    );
    assert!(err.contains("no USB devices visible"), "{err}");
    assert!(
        out.contains("\"QEMU\""),
        "names from /sys/class/dmi/id: {out}"
    );
}

/// (directive, measure, verdict) of a finding.
type Found = (String, String, String);
/// (line, verdict, findings) of a component.
type Row = (u64, String, Vec<Found>);

/// The rows of every component of a report.
fn findings_by_line(report: &serde_json::Value) -> Vec<Row> {
    let findings = report["findings"].as_array().expect("findings");
    report["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            let mine = findings
                .iter()
                .filter(|f| f["component"] == c["id"])
                .map(|f| {
                    let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
                    (s("directive"), s("measure"), s("verdict"))
                })
                .collect();
            (
                c["source"]["line"].as_u64().unwrap_or(0),
                c["verdict"].as_str().unwrap_or("").to_owned(),
                mine,
            )
        })
        .collect()
}

fn f3(d: &str, m: &str, v: &str) -> Found {
    (d.to_owned(), m.to_owned(), v.to_owned())
}

#[test]
fn us_contractor_dates_categories_and_uses() {
    let scan = |as_of: &str| {
        let (_, out, _) = cli(&[
            "scan",
            "fixtures/multi-jurisdiction/us-contractor-assets.csv",
            "--profile",
            "us-federal-contractor",
            "--as-of",
            as_of,
            "--format",
            "json",
        ]);
        findings_by_line(&json(&out))
    };
    let now = scan("2026-11-28");
    let verdicts: Vec<(u64, &str)> = now.iter().map(|(l, v, _)| (*l, v.as_str())).collect();
    assert_eq!(
        verdicts,
        [
            (2, "review"),
            (3, "clear"),
            (4, "violation"),
            (5, "violation"),
            (6, "violation"),
            (7, "clear"),
            (8, "clear"),
            (9, "violation"),
            (10, "restricted")
        ]
    );
    // Kaspersky: new sales barred from 2024-07-20, updates from 2024-09-29.
    let kaspersky = |rows: &[Row]| rows[8].2.clone();
    let d = "us-commerce-icts-kaspersky-2024";
    assert_eq!(
        kaspersky(&now),
        [
            f3(d, "purchase", "restricted"),
            f3(d, "update", "restricted")
        ]
    );
    assert_eq!(
        kaspersky(&scan("2024-09-28")),
        [f3(d, "purchase", "restricted")]
    );
    assert!(kaspersky(&scan("2024-07-19")).is_empty());
}

#[test]
fn cn_importer_uel_dates_and_suspensions() {
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/cn-importer-po.csv",
        "--profile",
        "cn-enterprise",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let rows = findings_by_line(&json(&out));
    assert_eq!(
        rows[0].2,
        [f3(
            "cn-mofcom-uel-2025-03-04-illumina",
            "import",
            "violation"
        )]
    );
    assert_eq!(
        rows[1].2,
        [f3("cn-mofcom-uel-2025-04-04", "import", "violation")]
    );
    assert_eq!(
        rows[2].2,
        [f3("cn-mofcom-uel-2025-04-04", "import", "clear")],
        "ordered during the 90-day suspension"
    );
    assert_eq!(
        rows[3].2,
        [f3("cn-mofcom-uel-2025-04-09", "import", "review")],
        "open-ended pause"
    );
    assert!(rows[4].2.is_empty(), "DJI is not on a Chinese list");
    // The same order screened by a CII operator: UEL measures bind every PRC organisation.
    let (_, out, _) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/cn-importer-po.csv",
        "--profile",
        "cn-cii",
        "--format",
        "json",
    ]);
    assert_eq!(findings_by_line(&json(&out))[1].1, "violation");
}

#[test]
fn directives_by_profile_and_date() {
    let (_, out, _) = cli(&[
        "directives",
        "--profile",
        "us-federal-agency",
        "--as-of",
        "2020-01-01",
    ]);
    let ids: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        ids,
        [
            "us-bis-entity-list-hikvision-dahua-2019",
            "us-bis-entity-list-huawei-2019",
            "us-ndaa-fy2019-889-a1a"
        ]
    );
    let (_, out, _) = cli(&["directives", "--jurisdiction", "UK"]);
    assert_eq!(out.lines().filter(|l| !l.starts_with(' ')).count(), 3);
    let (_, out, _) = cli(&["kb", "show", "cn-mofcom-uel-2025-04-04"]);
    assert!(
        out.contains("suspended from 2025-05-14 until 2025-08-12"),
        "{out}"
    );
    let (_, out, _) = cli(&["kb", "show", "honor"]);
    assert!(
        out.contains("relation owned-by huawei until 2020-11-17"),
        "{out}"
    );
}

#[test]
fn public_lists_import_into_a_layer_that_name_matching_uses() {
    let dir = std::env::temp_dir().join(format!("supplyscreen-layer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let into = dir.to_str().expect("utf-8 path");
    let (code, out, err) = cli(&[
        "kb",
        "import",
        "--csl",
        "fixtures/public-lists/csl.json",
        "--into",
        into,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("imported 2 organisation(s) from csl.json (sha256:[hash])"),
        "{out}"
    );
    let (code, out, err) = cli(&[
        "kb",
        "import",
        "--opensanctions",
        "fixtures/public-lists/targets.nested.json",
        "--into",
        into,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("imported 2 organisation(s)"), "{out}");
    let layer = std::fs::read_to_string(dir.join("imports/opensanctions.toml")).expect("layer");
    assert!(
        layer.contains("entity = \"os-nk-exampleimaging\""),
        "ownership edge kept: {layer}"
    );

    // A broken list fails and leaves the last good layer in place.
    let before = std::fs::read_to_string(dir.join("imports/csl.toml")).expect("layer");
    let (code, _, err) = cli(&[
        "kb",
        "import",
        "--csl",
        "fixtures/public-lists/broken.json",
        "--into",
        into,
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("broken.json:1: not Consolidated Screening List JSON"),
        "{err}"
    );
    assert!(
        err.contains("the previous layer, if any, is unchanged"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("imports/csl.toml")).expect("layer"),
        before
    );

    let (_, out, _) = cli(&[
        "scan",
        "fixtures/public-lists/order.csv",
        "--kb",
        into,
        "--profile",
        "us-federal-agency",
        "--format",
        "json",
    ]);
    let r = json(&out);
    let layers: Vec<&str> = r["kb"]["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(layers, ["csl", "opensanctions"]);
    assert_eq!(
        r["components"][0]["attribution"]["entity"],
        "csl-e0e1f2a3b4c5"
    );
    assert_eq!(
        r["components"][1]["attribution"]["entity"], "huawei",
        "the curated entity wins"
    );
    let (_, out, _) = cli(&["kb", "search", "example imaging", "--kb", into]);
    assert!(
        out.contains("(imported: csl)") && out.contains("(imported: opensanctions)"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

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
    let (code, _, err) = cli(&["kb", "validate", dir.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.toml:9: invalid date \"2019-13\""),
        "{err}"
    );
    assert!(err.contains("bad.toml:7: related entity"), "{err}");
}
