//! The findings table's filters and pages, and re-screens with their diffs; on both backends.

mod common;

use common::{Fixture, finding, local, result, t, upload};
use std::collections::BTreeSet;
use std::time::Duration;
use supplyscreen_store::{FindingFilter, KbChange, PageRequest, ScanCause, WorkerId};

both!(
    findings_filter_and_paginate,
    a_kb_change_rescreens_and_records_the_diff,
    a_large_report_is_stored_whole_and_duplicates_once,
);

const LEASE: Duration = Duration::from_secs(60);

async fn findings_filter_and_paginate(f: Fixture) {
    let s = &f.store;
    let w = WorkerId("w".into());
    for (host, offset) in [("db-07", 0), ("web-01", 100)] {
        s.add_upload(upload(&format!("{host}.csv"), host), &local("agent"), t(0))
            .await
            .expect("upload");
        let c = s
            .claim_scan(&w, LEASE, t(1))
            .await
            .expect("claim")
            .expect("queued");
        let findings = (0..13)
            .map(|i| {
                let (verdict, directive) = if i % 3 == 0 {
                    ("violation", "cn-cac-2023-micron")
                } else {
                    ("review", "us-ndaa-889")
                };
                let supplier = if i % 2 == 0 { "Acme" } else { "Globex" };
                finding(
                    &format!("f{:03}", offset + i),
                    verdict,
                    directive,
                    if i < 5 { "micron" } else { "hikvision" },
                    supplier,
                )
            })
            .collect();
        s.finish_scan(c.scan, &w, result(findings, "kb1"), t(2))
            .await
            .expect("finish");
    }
    let count = |filter: FindingFilter| async move {
        s.findings(&filter, PageRequest::default())
            .await
            .expect("findings")
            .total
    };
    assert_eq!(count(FindingFilter::default()).await, 26);
    assert_eq!(
        count(FindingFilter {
            verdict: Some("violation".into()),
            ..Default::default()
        })
        .await,
        10
    );
    assert_eq!(
        count(FindingFilter {
            directive: Some("us-ndaa-889".into()),
            ..Default::default()
        })
        .await,
        16
    );
    assert_eq!(
        count(FindingFilter {
            entity: Some("micron".into()),
            ..Default::default()
        })
        .await,
        10
    );
    assert_eq!(
        count(FindingFilter {
            host: Some("web-01".into()),
            ..Default::default()
        })
        .await,
        13
    );
    assert_eq!(
        count(FindingFilter {
            supplier: Some("Globex".into()),
            ..Default::default()
        })
        .await,
        12
    );
    let narrow = FindingFilter {
        verdict: Some("violation".into()),
        host: Some("db-07".into()),
        supplier: Some("Acme".into()),
        ..Default::default()
    };
    assert_eq!(count(narrow).await, 3, "f000, f006, f012");
    assert_eq!(
        count(FindingFilter {
            host: Some("nowhere".into()),
            ..Default::default()
        })
        .await,
        0
    );

    // Pages of 10 walk all 26 once, newest scan first, then by finding id.
    let mut seen = Vec::new();
    let mut req = Some(PageRequest {
        limit: 10,
        offset: 0,
    });
    while let Some(r) = req {
        let page = s
            .findings(&FindingFilter::default(), r)
            .await
            .expect("page");
        assert_eq!(page.total, 26);
        seen.extend(page.items.iter().map(|x| x.finding.finding_id.clone()));
        req = page.next;
    }
    assert_eq!(seen.len(), 26);
    assert_eq!(seen.first().map(String::as_str), Some("f100"));
    assert_eq!(seen.last().map(String::as_str), Some("f012"));
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 26);
}

async fn a_kb_change_rescreens_and_records_the_diff(f: Fixture) {
    let s = &f.store;
    let w = WorkerId("w".into());
    assert!(matches!(
        s.set_kb_state("1", "kb1", &local("service"), t(0))
            .await
            .expect("kb"),
        KbChange::Changed { previous: None, .. }
    ));
    let r = s
        .add_upload(upload("a.csv", "a"), &local("agent"), t(1))
        .await
        .expect("upload");
    let c = s
        .claim_scan(&w, LEASE, t(2))
        .await
        .expect("claim")
        .expect("queued");
    let old = vec![
        finding("a", "violation", "d", "micron", "Acme"),
        finding("b", "review", "d", "micron", "Acme"),
    ];
    s.finish_scan(c.scan, &w, result(old, "kb1"), t(3))
        .await
        .expect("finish");

    assert_eq!(
        s.set_kb_state("1", "kb1", &local("service-2"), t(4))
            .await
            .expect("kb"),
        KbChange::Unchanged
    );
    let KbChange::Changed {
        previous,
        rescreens,
    } = s
        .set_kb_state("2", "kb2", &local("service"), t(5))
        .await
        .expect("kb")
    else {
        panic!("a new hash is a change");
    };
    assert_eq!(previous.map(|p| p.hash), Some("kb1".into()));
    assert_eq!(rescreens.len(), 1);
    assert_eq!(
        s.kb_state()
            .await
            .expect("kb")
            .map(|k| (k.version, k.since)),
        Some(("2".into(), t(5)))
    );
    // Queuing again while one is queued adds nothing.
    let more = s
        .queue_rescreens(
            ScanCause::Requested {
                note: "manual".into(),
            },
            &local("ops"),
            t(6),
        )
        .await
        .expect("queue");
    assert!(more.is_empty());

    let c2 = s
        .claim_scan(&w, LEASE, t(7))
        .await
        .expect("claim")
        .expect("re-screen queued");
    assert_eq!(
        (c2.scan, c2.upload, c2.cause.clone()),
        (
            rescreens[0],
            r.upload,
            ScanCause::KbChanged {
                kb_hash: "kb2".into()
            }
        )
    );
    let new = vec![
        finding("b", "review", "d", "micron", "Acme"),
        finding("c", "violation", "d", "micron", "Acme"),
    ];
    let diff = s
        .finish_scan(c2.scan, &w, result(new, "kb2"), t(8))
        .await
        .expect("finish")
        .expect("a diff");
    assert_eq!(
        (
            diff.previous,
            diff.new_findings.clone(),
            diff.resolved_findings.clone()
        ),
        (c.scan, vec!["c".to_string()], vec!["a".to_string()])
    );
    assert_eq!(
        s.scan_diff(c2.scan).await.expect("diff"),
        Some(diff.clone())
    );
    assert_eq!(s.scan_diff(c.scan).await.expect("diff"), None);
    assert_eq!(
        s.rescreens(PageRequest::default())
            .await
            .expect("list")
            .items,
        vec![diff]
    );
    // The fleet's findings are the current scan's; the old scan's stay reachable by id.
    let ids = |p: supplyscreen_store::Page<supplyscreen_store::FindingRow>| {
        p.items
            .into_iter()
            .map(|x| x.finding.finding_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(s
            .findings(&FindingFilter::default(), PageRequest::default())
            .await
            .expect("f")),
        ["b", "c"]
    );
    let old_scan = FindingFilter {
        scan: Some(c.scan),
        ..Default::default()
    };
    assert_eq!(
        ids(s
            .findings(&old_scan, PageRequest::default())
            .await
            .expect("f")),
        ["a", "b"]
    );
    assert!(
        !s.scan(c.scan)
            .await
            .expect("scan")
            .expect("exists")
            .info
            .current
    );
}

async fn a_large_report_is_stored_whole_and_duplicates_once(f: Fixture) {
    let s = &f.store;
    let w = WorkerId("w".into());
    s.add_upload(upload("big.csv", "big"), &local("agent"), t(0))
        .await
        .expect("upload");
    let c = s
        .claim_scan(&w, LEASE, t(1))
        .await
        .expect("claim")
        .expect("queued");
    let mut findings: Vec<_> = (0..137)
        .map(|i| finding(&format!("f{i:03}"), "review", "d", "micron", "Acme"))
        .collect();
    findings.push(finding("f007", "review", "d", "micron", "Acme"));
    s.finish_scan(c.scan, &w, result(findings, "kb1"), t(2))
        .await
        .expect("finish");
    let page = s
        .findings(
            &FindingFilter::default(),
            PageRequest {
                limit: 1000,
                offset: 0,
            },
        )
        .await
        .expect("findings");
    assert_eq!(page.total, 137);
    assert_eq!(
        page.items.last().map(|x| x.finding.finding_id.as_str()),
        Some("f136")
    );
    assert_eq!(page.items[7].finding.detail["id"], "f007");
}
