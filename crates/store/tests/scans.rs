//! The scan queue, findings and re-screens, on both backends.

mod common;

use common::{Fixture, local, t};
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;
use supplyscreen_store::{
    FindingDraft, FindingFilter, KbChange, MAX_ATTEMPTS, PageRequest, ScanCause, ScanId,
    ScanResult, ScanStatus, ScanSummary, Store, StoreError, Upload, WorkerId,
};

both!(
    upload_claim_finish,
    concurrent_claimers_never_share_a_scan,
    an_expired_lease_is_reclaimed_and_the_old_worker_loses_it,
    a_scan_whose_leases_keep_expiring_is_failed,
    findings_filter_and_paginate,
    a_kb_change_rescreens_and_records_the_diff,
);

fn upload(name: &str, host: &str) -> Upload {
    Upload {
        name: name.into(),
        host: Some(host.into()),
        profile: "cn-cii-operator".into(),
        action: "install".into(),
        body: format!("Vendor,Part Number\nMicron,MT40A1G8SA-075:E\n# {name}\n").into_bytes(),
    }
}

fn finding(id: &str, verdict: &str, directive: &str, entity: &str, supplier: &str) -> FindingDraft {
    FindingDraft {
        finding_id: id.into(),
        component_id: format!("c-{id}"),
        verdict: verdict.into(),
        directive: directive.into(),
        entity: Some(entity.into()),
        supplier: Some(supplier.into()),
        detail: json!({"id": id, "verdict": verdict}),
    }
}

fn result(findings: Vec<FindingDraft>, kb_hash: &str) -> ScanResult {
    let mut summary = ScanSummary {
        components: 1,
        findings: findings.len() as u64,
        ..Default::default()
    };
    for f in &findings {
        *summary.by_verdict.entry(f.verdict.clone()).or_default() += 1;
    }
    ScanResult {
        report_json: json!({"schema": "supplyscreen/report/v2", "findings": findings.len()})
            .to_string(),
        summary,
        findings,
        kb_hash: kb_hash.into(),
        waivers_hash: "w0".into(),
    }
}

const LEASE: Duration = Duration::from_secs(60);

async fn upload_claim_finish(f: Fixture) {
    let s = &f.store;
    let receipt = s
        .add_upload(upload("fleet.csv", "db-07"), &local("agent"), t(0))
        .await
        .expect("upload");
    assert_eq!(receipt.sha256.len(), 64);
    let info = s
        .scan(receipt.scan)
        .await
        .expect("scan")
        .expect("exists")
        .info;
    assert_eq!(
        (info.status, info.cause.clone(), info.attempt),
        (ScanStatus::Queued, ScanCause::Upload, 0)
    );

    let w = WorkerId("node-a".into());
    let c = s
        .claim_scan(&w, LEASE, t(1))
        .await
        .expect("claim")
        .expect("one queued");
    assert_eq!(
        (c.scan, c.upload, c.attempt),
        (receipt.scan, receipt.upload, 1)
    );
    assert_eq!(
        (c.name.as_str(), c.host.as_deref(), c.profile.as_str()),
        ("fleet.csv", Some("db-07"), "cn-cii-operator")
    );
    assert!(c.body.starts_with(b"Vendor,Part Number\n"));
    assert_eq!(c.lease_until, t(61));
    assert!(
        s.claim_scan(&WorkerId("node-b".into()), LEASE, t(2))
            .await
            .expect("claim")
            .is_none()
    );
    assert_eq!(
        s.extend_lease(c.scan, &w, LEASE, t(30))
            .await
            .expect("extend"),
        t(90)
    );

    let findings = vec![finding(
        "f1",
        "violation",
        "cn-cac-2023-micron",
        "micron",
        "Acme",
    )];
    let diff = s
        .finish_scan(c.scan, &w, result(findings, "kb1"), t(3))
        .await
        .expect("finish");
    assert_eq!(diff, None, "a first scan has nothing to compare with");
    let rec = s.scan(c.scan).await.expect("scan").expect("exists");
    assert_eq!(rec.info.status, ScanStatus::Done);
    assert!(rec.info.current);
    assert_eq!(rec.info.summary.as_ref().map(|x| x.findings), Some(1));
    assert!(
        rec.report_json
            .expect("report")
            .contains("supplyscreen/report/v2")
    );
    assert!(matches!(
        s.finish_scan(c.scan, &w, result(vec![], "kb1"), t(4)).await,
        Err(StoreError::LeaseLost(id)) if id == c.scan
    ));
    let page = s
        .findings(&FindingFilter::default(), PageRequest::default())
        .await
        .expect("findings");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].host.as_deref(), Some("db-07"));
    let stats = s.stats().await.expect("stats");
    assert_eq!(stats.findings_by_verdict.get("violation"), Some(&1));
    assert_eq!(stats.scans_by_status.get("done"), Some(&1));

    // A failed scan keeps its message.
    let r2 = s
        .add_upload(upload("broken.bin", "db-08"), &local("agent"), t(5))
        .await
        .expect("upload");
    let c2 = s
        .claim_scan(&w, LEASE, t(6))
        .await
        .expect("claim")
        .expect("queued");
    assert_eq!(c2.scan, r2.scan);
    s.fail_scan(c2.scan, &w, "unknown input format", t(7))
        .await
        .expect("fail");
    let info = s.scan(r2.scan).await.expect("scan").expect("exists").info;
    assert_eq!(
        (info.status, info.error.as_deref()),
        (ScanStatus::Failed, Some("unknown input format"))
    );
    let listed = s.list_scans(PageRequest::default()).await.expect("list");
    assert_eq!(
        listed.items.iter().map(|x| x.id).collect::<Vec<_>>(),
        [r2.scan, receipt.scan]
    );
    assert!(matches!(s.scan(ScanId(999)).await, Ok(None)));
}

async fn concurrent_claimers_never_share_a_scan(f: Fixture) {
    const SCANS: usize = 120;
    for i in 0..SCANS {
        f.store
            .add_upload(
                upload(&format!("h{i}.csv"), &format!("h{i}")),
                &local("agent"),
                t(0),
            )
            .await
            .expect("upload");
    }
    // Two instances (separate pools, as two `serve` processes), six workers each, all
    // claiming at once; each claim is its own transaction.
    let instances = [f.store.clone(), f.another().await];
    let mut tasks = Vec::new();
    for (n, store) in instances.iter().enumerate() {
        for k in 0..6 {
            let store: Store = store.clone();
            let worker = WorkerId(format!("instance{n}-worker{k}"));
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                while let Some(c) = store.claim_scan(&worker, LEASE, t(1)).await.expect("claim") {
                    got.push(c.scan);
                }
                for scan in &got {
                    store
                        .finish_scan(*scan, &worker, result(vec![], "kb1"), t(2))
                        .await
                        .expect("finish");
                }
                got
            }));
        }
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("join"));
    }
    let distinct: BTreeSet<_> = all.iter().copied().collect();
    assert_eq!(all.len(), SCANS, "every scan claimed exactly once: {all:?}");
    assert_eq!(distinct.len(), SCANS);
}

async fn an_expired_lease_is_reclaimed_and_the_old_worker_loses_it(f: Fixture) {
    let s = &f.store;
    let r = s
        .add_upload(upload("a.csv", "a"), &local("agent"), t(0))
        .await
        .expect("upload");
    let (a, b) = (WorkerId("crashed".into()), WorkerId("survivor".into()));
    let first = s
        .claim_scan(&a, Duration::from_secs(10), t(0))
        .await
        .expect("claim")
        .expect("queued");
    assert!(
        s.claim_scan(&b, LEASE, t(9))
            .await
            .expect("claim")
            .is_none(),
        "lease still held"
    );
    let again = s
        .claim_scan(&b, LEASE, t(11))
        .await
        .expect("claim")
        .expect("lease expired");
    assert_eq!((again.scan, again.attempt), (first.scan, 2));
    assert!(matches!(
        s.finish_scan(first.scan, &a, result(vec![], "kb1"), t(12))
            .await,
        Err(StoreError::LeaseLost(_))
    ));
    assert!(matches!(
        s.extend_lease(first.scan, &a, LEASE, t(12)).await,
        Err(StoreError::LeaseLost(_))
    ));
    s.finish_scan(again.scan, &b, result(vec![], "kb1"), t(13))
        .await
        .expect("finish");
    assert_eq!(
        s.scan(r.scan)
            .await
            .expect("scan")
            .expect("exists")
            .info
            .status,
        ScanStatus::Done
    );
}

async fn a_scan_whose_leases_keep_expiring_is_failed(f: Fixture) {
    let s = &f.store;
    let r = s
        .add_upload(upload("poison.csv", "p"), &local("agent"), t(0))
        .await
        .expect("upload");
    let w = WorkerId("w".into());
    let mut now = 0;
    for attempt in 1..=MAX_ATTEMPTS {
        let c = s
            .claim_scan(&w, Duration::from_secs(5), t(now))
            .await
            .expect("claim")
            .expect("claimable");
        assert_eq!(c.attempt, attempt);
        now += 10;
    }
    assert!(
        s.claim_scan(&w, Duration::from_secs(5), t(now))
            .await
            .expect("claim")
            .is_none()
    );
    let info = s.scan(r.scan).await.expect("scan").expect("exists").info;
    assert_eq!(info.status, ScanStatus::Failed);
    assert!(info.error.expect("message").contains("attempts"));
    assert!(matches!(
        s.verify_audit().await.expect("verify"),
        supplyscreen_store::AuditCheck::Intact { entries: 2, .. }
    ));
}

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
