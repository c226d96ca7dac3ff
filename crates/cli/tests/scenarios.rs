//! Scenario tests: each folder under fixtures/ is scanned through the real
//! CLI entry point; exit codes and key verdicts are asserted, and the whole
//! report is kept as a snapshot (the KB hash redacted so that a KB edit does
//! not churn every snapshot; the KB version stays visible).

mod common;

use common::{cli, json};

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
    assert_eq!(r["inputs"][0]["skipped"]["empty-memory-slot"], 1);
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
        "fixtures/malformed-inputs/inventory.jsonl:2: invalid component record: unknown field `partnumber`",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    // An ambiguous date is not malformed: it is kept as written and its
    // findings are reviews (see the inputs tests).
    assert!(!err.contains("po-broken.csv:5"), "{err}");
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
    assert!(
        err.contains("for '--as-of <DATE>': invalid date \"2026-13-01\""),
        "{err}"
    );
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
        r["inputs"][0]["skipped"]["osquery-differential-row-removed"],
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
    // Eight Micron modules of unknown acquisition date, and a Kingston module
    // with Micron dies (KSM26RD4/32MEI, 01980000802C).
    assert_eq!(r["summary"]["review"], 9);
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
