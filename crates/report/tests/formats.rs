//! Every output format on a realistic outcome: the examples plus a purchase
//! order whose supplier is a spreadsheet formula and whose description holds
//! a script tag. Each test would fail on a wrong location, an unescaped cell
//! or a document of the wrong shape.

mod common;

use std::collections::BTreeSet;

use supplyscreen_model::Verdict;
use supplyscreen_report::{CSV_COLUMNS, OutputFormat, RenderOptions, render, render_with};
use supplyscreen_screen::{Outcome, Screened};

use common::{HOSTILE_PATH, outcome};

fn hostile_line(o: &Outcome, line: u64) -> &Screened {
    o.components
        .iter()
        .find(|s| s.component.source.path == HOSTILE_PATH && s.component.source.line == line)
        .expect("hostile line screened")
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

#[test]
fn the_hostile_line_is_a_violation_and_the_other_is_clear() {
    let o = outcome();
    assert_eq!(hostile_line(&o, 2).verdict, Verdict::Violation);
    assert_eq!(hostile_line(&o, 3).verdict, Verdict::Clear);
}

#[test]
fn csv_has_a_bom_one_row_per_component_and_neutralised_formulas() {
    let o = outcome();
    let text = render(OutputFormat::Csv, &o).expect("renders");
    let body = text.strip_prefix('\u{feff}').expect("starts with a BOM");
    assert!(body.contains("\r\n"), "CRLF line ends");
    let mut r = csv::Reader::from_reader(body.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(headers, CSV_COLUMNS);
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), o.components.len());
    let hostile = rows
        .iter()
        .find(|r| &r[col("file")] == HOSTILE_PATH && &r[col("line")] == "2")
        .expect("hostile row");
    assert_eq!(
        &hostile[col("supplier")],
        "'=HYPERLINK(\"http://evil.example/x\",\"click\")"
    );
    assert_eq!(&hostile[col("verdict")], "violation");
    assert_eq!(&hostile[col("directive")], "cn-cac-2023-micron");
    assert_eq!(&hostile[col("measure")], "purchase");
    assert_eq!(&hostile[col("po_number")], "PO-2024-0907");
    assert_eq!(&hostile[col("quantity")], "64");
    assert_eq!(&hostile[col("unit_price")], "1,150.00");
    assert_eq!(&hostile[col("currency")], "CNY");
    assert_eq!(&hostile[col("value_at_risk")], "73600.00");
    // No cell anywhere starts with a formula character.
    for row in &rows {
        for cell in row {
            let first = cell.trim_start_matches(' ').chars().next();
            assert!(
                !first.is_some_and(|c| "=+-@\t\r".contains(c)),
                "unneutralised cell {cell:?}"
            );
        }
    }
    // A clear line has no value at risk.
    let clear = rows
        .iter()
        .find(|r| &r[col("file")] == HOSTILE_PATH && &r[col("line")] == "3")
        .expect("clear row");
    assert_eq!(&clear[col("verdict")], "clear");
    assert_eq!(&clear[col("value_at_risk")], "");
}

#[test]
fn sarif_results_sit_at_the_input_line_with_level_and_fingerprint() {
    let o = outcome();
    let doc = json(&render(OutputFormat::Sarif, &o).expect("renders"));
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let rule_ids: BTreeSet<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(rule_ids, BTreeSet::from(["cn-cac-2023-micron"]));
    // The rule reads as the directive's title in the KB, not only its id.
    assert_eq!(
        rules[0]["shortDescription"]["text"],
        "CAC cybersecurity review conclusion on Micron products sold in China"
    );
    assert!(
        rules[0]["fullDescription"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("(cn-cac-2023-micron) restricts ")),
        "{}",
        rules[0]
    );
    assert!(
        rules[0]["helpUri"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
    let results = run["results"].as_array().expect("results");
    let listed: Vec<_> = o
        .components
        .iter()
        .flat_map(|s| {
            s.findings
                .iter()
                .filter(|f| f.verdict > Verdict::Clear)
                .map(move |f| (s, f))
        })
        .collect();
    assert_eq!(results.len(), listed.len());
    for (r, (s, f)) in results.iter().zip(&listed) {
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["region"]["startLine"], s.component.source.line);
        assert_eq!(
            r["partialFingerprints"]["supplyscreenFindingId/v1"],
            f.id.to_string()
        );
        assert_eq!(r["ruleId"], f.directive.as_str());
        let level = match f.verdict {
            Verdict::Violation => "error",
            Verdict::Restricted => "warning",
            _ => "note",
        };
        assert_eq!(r["level"], level, "{r}");
        assert_eq!(r["suppressions"].is_array(), f.verdict == Verdict::Waived);
    }
    let hostile = results
        .iter()
        .find(|r| r["properties"]["componentId"] == hostile_line(&o, 2).id.to_string())
        .expect("hostile result");
    let loc = &hostile["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "orders/po%202024%3Aq3.csv");
    assert_eq!(loc["region"]["startLine"], 2);
    let dmi = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "examples/db-07.dmi"
        })
        .expect("dmidecode result");
    assert_eq!(
        dmi["locations"][0]["physicalLocation"]["region"]["startLine"],
        199
    );
    assert!(
        dmi["suppressions"][0]["justification"]
            .as_str()
            .is_some_and(
                |j| j.starts_with("risk accepted by Li Wei, CISO until 2027-03-31")
                    && j.contains("examples/waivers.toml:5, ticket CHG-2291)")
            ),
        "{dmi}"
    );
}

#[test]
fn a_waiver_ticket_reaches_every_report_that_names_the_waiver() {
    let o = outcome();
    let json: serde_json::Value =
        serde_json::from_str(&render(OutputFormat::Json, &o).expect("renders")).expect("JSON");
    let waivers = json["waivers"].as_array().expect("waivers");
    let with_ticket: Vec<_> = waivers.iter().filter(|w| w["ticket"].is_string()).collect();
    assert_eq!(with_ticket.len(), 1, "{waivers:?}");
    assert_eq!(with_ticket[0]["ticket"], "CHG-2291");
    assert_eq!(with_ticket[0]["approver"], "Li Wei, CISO");
    let waived: Vec<_> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["verdict"] == "waived")
        .collect();
    assert!(!waived.is_empty());
    for f in waived {
        assert_eq!(f["waiver"]["ticket"], "CHG-2291", "{f}");
        assert!(
            f["reason"]
                .as_str()
                .is_some_and(|r| r.contains("[examples/waivers.toml:5, ticket CHG-2291]")),
            "{f}"
        );
    }
    let table = render(OutputFormat::Table, &o).expect("renders");
    assert!(
        table.contains("approved by Li Wei, CISO, ticket CHG-2291"),
        "{table}"
    );
}

#[test]
fn html_escapes_input_text_and_loads_nothing() {
    let o = outcome();
    let page = render(OutputFormat::Html, &o).expect("renders");
    assert!(
        !page.contains("<script>alert(1)</script>"),
        "raw script tag from input"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; 32GB RDIMM"));
    assert!(
        page.contains("title=\"=HYPERLINK(&quot;http://evil.example/x&quot;,&quot;click&quot;)\"")
    );
    // Exactly one script element: the page's own.
    assert_eq!(page.matches("<script").count(), 1);
    for remote in ["src=", "<link", "@import", "url(", "<img", "<iframe"] {
        assert!(!page.contains(remote), "{remote} in the page");
    }
    assert!(page.contains("Content-Security-Policy\" content=\"default-src &#39;none&#39;;"));
    let listed = o.findings().filter(|f| f.verdict > Verdict::Clear).count();
    assert_eq!(page.matches("<tr data-verdict=").count(), listed);
    for chart in [
        "chart-directive",
        "chart-entity",
        "chart-host",
        "chart-supplier",
    ] {
        assert!(page.contains(chart), "{chart}");
    }
    assert!(page.contains("examples/db-07.dmi:199 (handle 0x1101)"));
    assert!(
        page.contains("<a href=\"https://qntz.me/post/36c9018ecd7395ba6074f6ae64d09177.html\"")
    );
}

#[test]
fn markdown_escapes_cells_and_lists_findings() {
    let o = outcome();
    let md = render(OutputFormat::Markdown, &o).expect("renders");
    assert!(md.contains("| violation | 7 |"), "{md}");
    assert!(!md.contains("<script>"));
    assert!(md.contains("| **violation** | orders/po 2024:q3.csv:2 | MTA18ASF4G72PDZ-3G2R1 · Micron Technology · qty 64 | micron (high) |"), "{md}");
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" · purchase |"))
        .count();
    assert_eq!(
        rows,
        o.findings().filter(|f| f.verdict > Verdict::Clear).count()
    );
}

#[test]
fn jsonl_is_one_record_per_line_components_then_their_findings() {
    let o = outcome();
    let text = render(OutputFormat::Jsonl, &o).expect("renders");
    let lines: Vec<serde_json::Value> = text.lines().map(json).collect();
    assert_eq!(lines[0]["type"], "report");
    assert_eq!(lines[0]["schema"], "supplyscreen/report-lines/v1");
    assert_eq!(lines.last().expect("summary")["type"], "summary");
    let of = |t: &str| lines.iter().filter(|l| l["type"] == t).count();
    assert_eq!(of("component"), o.components.len());
    assert_eq!(of("finding"), o.findings().count());
    assert_eq!(of("input"), o.inputs.len());
    // Each finding follows its component.
    let mut current = None;
    for l in &lines {
        match l["type"].as_str() {
            Some("component") => current = Some(l["id"].clone()),
            Some("finding") => assert_eq!(Some(l["component"].clone()), current),
            _ => {}
        }
    }
}

#[test]
fn cyclonedx_lists_every_component_with_its_verdict() {
    let o = outcome();
    let doc = json(&render(OutputFormat::Cyclonedx, &o).expect("renders"));
    assert_eq!(doc["bomFormat"], "CycloneDX");
    assert_eq!(doc["specVersion"], "1.6");
    let comps = doc["components"].as_array().expect("components");
    assert_eq!(comps.len(), o.components.len());
    let hostile = hostile_line(&o, 2);
    let c = comps
        .iter()
        .find(|c| c["bom-ref"] == hostile.id.to_string())
        .expect("hostile component");
    let prop = |name: &str| {
        c["properties"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == name))
            .map(|p| p["value"].clone())
    };
    assert_eq!(prop("supplyscreen:verdict"), Some("violation".into()));
    assert_eq!(
        prop("supplyscreen:source"),
        Some(format!("{HOSTILE_PATH}:2").into())
    );
    assert_eq!(
        prop("supplyscreen:attribution:entity"),
        Some("micron".into())
    );
    assert_eq!(prop("supplyscreen:value-at-risk"), Some("73600.00".into()));
    let f = &hostile.findings[0];
    assert_eq!(
        prop(&format!("supplyscreen:finding:{}", f.id)),
        Some("violation cn-cac-2023-micron purchase purchase-in-period".into())
    );
}

#[test]
fn the_table_lists_clear_lines_on_request_and_the_summary_only_counts() {
    let o = outcome();
    let plain = render(OutputFormat::Table, &o).expect("renders");
    assert!(plain.contains("(not listed here; --show-clear lists them)"));
    assert!(!plain.contains("MZ-77E1T0BW"));
    let opts = RenderOptions {
        show_clear: true,
        summary_only: false,
    };
    let all = render_with(OutputFormat::Table, &o, opts).expect("renders");
    assert!(!all.contains("--show-clear lists them"));
    assert!(all.contains(&format!("{HOSTILE_PATH}:3")), "{all}");
    let opts = RenderOptions {
        show_clear: false,
        summary_only: true,
    };
    let summary = render_with(OutputFormat::Table, &o, opts).expect("renders");
    assert!(
        summary.contains(
            "cn-cac-2023-micron: 7 violation, 2 restricted, 2 review, 3 waived finding(s)"
        ),
        "{summary}"
    );
    assert!(!summary.contains("attributed to"));
}

#[test]
fn every_format_is_deterministic() {
    let (a, b) = (outcome(), outcome());
    for f in OutputFormat::ALL {
        assert_eq!(
            render(f, &a).expect("renders"),
            render(f, &b).expect("renders"),
            "{f}"
        );
    }
}
