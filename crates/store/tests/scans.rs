//! The scan queue, findings and re-screens, on both backends.

mod common;

use common::{Fixture, finding, local, result, t, upload};
use std::collections::BTreeSet;
use std::time::Duration;
use supplyscreen_store::{
    FindingFilter, MAX_ATTEMPTS, PageRequest, ScanCause, ScanId, ScanStatus, Store, StoreError,
    WorkerId,
};

both!(
    upload_claim_finish,
    concurrent_claimers_never_share_a_scan,
    an_expired_lease_is_reclaimed_and_the_old_worker_loses_it,
    a_scan_whose_leases_keep_expiring_is_failed,
    an_instance_with_an_older_kb_claims_nothing,
);

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

/// Once another instance recorded a new KB (and queued its re-screens), a worker
/// screening with the old KB claims nothing; one with the new KB claims them.
async fn an_instance_with_an_older_kb_claims_nothing(f: Fixture) {
    let s = &f.store;
    s.set_kb_state("1", "kb1", &local("service"), t(0))
        .await
        .expect("kb1");
    s.add_upload(upload("fleet.csv", "db-07"), &local("agent"), t(1))
        .await
        .expect("upload");
    let w = WorkerId("old".into());
    let first = s
        .claim_scan_for_kb(&w, LEASE, t(2), "kb1")
        .await
        .expect("claim")
        .expect("queued");
    s.finish_scan(first.scan, &w, result(Vec::new(), "kb1"), t(3))
        .await
        .expect("finish");
    s.set_kb_state("2", "kb2", &local("service-2"), t(4))
        .await
        .expect("kb2 queues a re-screen");
    assert!(
        s.claim_scan_for_kb(&w, LEASE, t(5), "kb1")
            .await
            .expect("claim")
            .is_none(),
        "the old KB's worker took the re-screen"
    );
    let new = s
        .claim_scan_for_kb(&WorkerId("new".into()), LEASE, t(6), "kb2")
        .await
        .expect("claim")
        .expect("the re-screen");
    assert!(
        matches!(new.cause, ScanCause::KbChanged { .. }),
        "{:?}",
        new.cause
    );
}
