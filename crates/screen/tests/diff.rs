//! `diff_reports`: findings keyed on their stable ids.

use supplyscreen_model::Verdict;
use supplyscreen_screen::{DiffError, diff_reports};

fn report(findings: &[(&str, &str, &str, &str)]) -> String {
    let list: Vec<String> = findings
        .iter()
        .map(|(id, verdict, code, reason)| {
            format!(
                r#"{{"id": "{id}", "component": "c000000000000001", "directive": "cn-cac-2023-micron",
                   "measure": "purchase", "verdict": "{verdict}", "code": "{code}", "reason": "{reason}"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"schema": "supplyscreen/report/v2", "components": [{{"id": "c000000000000001",
            "source": {{"path": "po.csv", "line": 7}}, "host": "db-07"}}], "findings": [{}]}}"#,
        list.join(",")
    )
}

#[test]
fn new_resolved_and_changed_by_id() {
    let old = report(&[
        ("00000000000000a1", "violation", "purchase-in-period", "r1"),
        (
            "00000000000000a2",
            "review",
            "acquisition-date-unknown",
            "r2",
        ),
        (
            "00000000000000a3",
            "restricted",
            "acquired-before-start",
            "r3",
        ),
    ]);
    let new = report(&[
        (
            "00000000000000a2",
            "violation",
            "acquired-after-start",
            "r2 now",
        ),
        // Same judgement, reworded reason: not a change.
        (
            "00000000000000a3",
            "restricted",
            "acquired-before-start",
            "r3 reworded",
        ),
        ("00000000000000a4", "violation", "purchase-in-period", "r4"),
    ]);
    let d = diff_reports(("old.json", &old), ("new.json", &new)).expect("diff");
    assert_eq!(d.added.len(), 1);
    assert_eq!(d.added[0].id.to_string(), "00000000000000a4");
    assert_eq!(d.added[0].location, "po.csv:7");
    assert_eq!(d.added[0].host.as_deref(), Some("db-07"));
    assert_eq!(d.resolved.len(), 1);
    assert_eq!(d.resolved[0].id.to_string(), "00000000000000a1");
    assert_eq!(d.changed.len(), 1);
    let c = &d.changed[0];
    assert_eq!(c.what, vec!["verdict", "code"]);
    assert_eq!(
        (c.old.verdict, c.new.verdict),
        (Verdict::Review, Verdict::Violation)
    );
    assert!(c.is_worse());
}

#[test]
fn errors_name_the_file_and_what_is_wrong() {
    let good = report(&[]);
    let e = diff_reports(("a.json", "{\"schema\": 2"), ("b.json", &good)).expect_err("syntax");
    assert!(matches!(e, DiffError::Json { line: 1, .. }), "{e}");
    assert!(e.to_string().starts_with("a.json:1:"), "{e}");
    let e = diff_reports(("a.json", &good), ("b.json", "[1, 2]")).expect_err("array");
    assert_eq!(
        e.to_string(),
        "b.json: not a supplyscreen/report/v2 report: it is not a JSON object (write one with `supplyscreen scan --format json`)"
    );
    let no_findings = "{\"schema\": \"supplyscreen/report/v2\"}";
    let e = diff_reports(("a.json", &good), ("b.json", no_findings)).expect_err("no findings");
    assert_eq!(e.to_string(), "b.json: findings: missing or not an array");
    let bad_verdict = report(&[("00000000000000a1", "fine", "purchase-in-period", "r")]);
    let e = diff_reports(("a.json", &bad_verdict), ("b.json", &good)).expect_err("verdict");
    assert_eq!(
        e.to_string(),
        "a.json: findings[0].verdict: missing or not a verdict"
    );
}
