//! What the server reads and asks of the queue beyond the listings: one
//! finding by id, grouped counts, a per-component host, giving a scan back,
//! and re-screens for scans running when the state changed; on both backends.

mod common;

use common::{Fixture, finding, local, result, t, upload};
use std::time::Duration;
use supplyscreen_store::{
    FindingFilter, FindingKey, PageRequest, ScanCause, ScanId, ScanStatus, StoreError, WorkerId,
};

both!(
    one_finding_is_read_by_scan_and_id,
    counts_are_grouped_in_the_store,
    a_component_host_is_used_when_the_upload_names_none,
    a_released_scan_is_claimed_again_at_once,
    a_scan_running_at_a_change_is_screened_again,
);

const LEASE: Duration = Duration::from_secs(60);

/// Uploads, claims and finishes one scan with `findings`; returns its id.
async fn screened(
    f: &Fixture,
    host: Option<&str>,
    findings: Vec<supplyscreen_store::FindingDraft>,
    at: i64,
) -> ScanId {
    let mut up = upload(&format!("inv-{at}.csv"), "h");
    up.host = host.map(str::to_owned);
    let r = f
        .store
        .add_upload(up, &local("agent"), t(at))
        .await
        .expect("upload");
    let w = WorkerId("w".into());
    let c = f
        .store
        .claim_scan(&w, LEASE, t(at))
        .await
        .expect("claim")
        .expect("queued");
    assert_eq!(c.scan, r.scan);
    f.store
        .finish_scan(c.scan, &w, result(findings, "kb1"), t(at + 1))
        .await
        .expect("finish");
    r.scan
}

async fn one_finding_is_read_by_scan_and_id(f: Fixture) {
    let a = finding("f-a", "violation", "cn-cac-2023-micron", "micron", "Arrow");
    let b = finding("f-b", "review", "us-bis-entity-list", "ymtc", "Avnet");
    let scan = screened(&f, Some("db-03"), vec![a.clone(), b], 0).await;
    let row = f
        .store
        .finding(scan, "f-a")
        .await
        .expect("read")
        .expect("exists");
    assert_eq!((row.scan, row.host.as_deref()), (scan, Some("db-03")));
    assert_eq!(row.finding.verdict, "violation");
    assert_eq!(row.finding.detail, a.detail);
    assert!(f.store.finding(scan, "f-z").await.expect("read").is_none());
    assert!(
        f.store
            .finding(ScanId(scan.0 + 1), "f-a")
            .await
            .expect("read")
            .is_none()
    );
}

async fn counts_are_grouped_in_the_store(f: Fixture) {
    let v = |id: &str, verdict: &str, supplier: &str| {
        finding(id, verdict, "cn-cac-2023-micron", "micron", supplier)
    };
    screened(
        &f,
        Some("db-03"),
        vec![v("1", "violation", "Arrow"), v("2", "violation", "Avnet")],
        0,
    )
    .await;
    let mut no_supplier = v("3", "review", "");
    no_supplier.supplier = None;
    screened(
        &f,
        None,
        vec![no_supplier, v("4", "violation", "Arrow")],
        10,
    )
    .await;
    let s = &f.store;
    let verdicts = s
        .finding_counts(FindingKey::Verdict, 12)
        .await
        .expect("counts");
    assert_eq!(
        verdicts,
        [(Some("violation".into()), 3), (Some("review".into()), 1)]
    );
    let suppliers = s
        .finding_counts(FindingKey::Supplier, 12)
        .await
        .expect("counts");
    assert_eq!(
        suppliers,
        [
            (Some("Arrow".into()), 2),
            (Some("Avnet".into()), 1),
            (None, 1)
        ]
    );
    let hosts = s.finding_counts(FindingKey::Host, 1).await.expect("counts");
    assert_eq!(hosts, [(Some("db-03".into()), 2)]);
}

async fn a_component_host_is_used_when_the_upload_names_none(f: Fixture) {
    let mut on_app = finding("f-1", "violation", "cn-cac-2023-micron", "micron", "Arrow");
    on_app.host = Some("app-11".into());
    let mut on_db = finding("f-2", "violation", "cn-cac-2023-micron", "micron", "Arrow");
    on_db.host = Some("db-03".into());
    let none = screened(&f, None, vec![on_app.clone(), on_db.clone()], 0).await;
    // The upload's own host wins over a column.
    let named = screened(&f, Some("edge-1"), vec![on_app], 10).await;
    let filter = |host: &str| FindingFilter {
        host: Some(host.into()),
        ..FindingFilter::default()
    };
    let page = PageRequest {
        limit: 10,
        offset: 0,
    };
    let app = f
        .store
        .findings(&filter("app-11"), page)
        .await
        .expect("list");
    assert_eq!(app.total, 1);
    assert_eq!(
        (app.items[0].scan, app.items[0].finding.finding_id.as_str()),
        (none, "f-1")
    );
    let edge = f
        .store
        .findings(&filter("edge-1"), page)
        .await
        .expect("list");
    assert_eq!(edge.total, 1);
    assert_eq!(edge.items[0].scan, named);
    let db = f
        .store
        .finding(none, "f-2")
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(db.host.as_deref(), Some("db-03"));
}

async fn a_released_scan_is_claimed_again_at_once(f: Fixture) {
    let s = &f.store;
    let r = s
        .add_upload(upload("fleet.csv", "db-07"), &local("agent"), t(0))
        .await
        .expect("upload");
    let (a, b) = (WorkerId("a".into()), WorkerId("b".into()));
    let c = s
        .claim_scan(&a, LEASE, t(1))
        .await
        .expect("claim")
        .expect("queued");
    // Only the holder may give it back.
    assert!(matches!(
        s.release_scan(c.scan, &b).await,
        Err(StoreError::LeaseLost(_))
    ));
    s.release_scan(c.scan, &a).await.expect("release");
    let info = s.scan(r.scan).await.expect("scan").expect("exists").info;
    assert_eq!((info.status, info.attempt), (ScanStatus::Queued, 1));
    // Long before the lease would have expired, another worker takes it.
    let again = s
        .claim_scan(&b, LEASE, t(2))
        .await
        .expect("claim")
        .expect("queued");
    assert_eq!((again.scan, again.attempt), (r.scan, 2));
    assert!(matches!(
        s.release_scan(c.scan, &a).await,
        Err(StoreError::LeaseLost(_))
    ));
}

async fn a_scan_running_at_a_change_is_screened_again(f: Fixture) {
    let s = &f.store;
    let done = screened(&f, Some("db-03"), vec![], 0).await;
    let running = s
        .add_upload(upload("new.csv", "app-11"), &local("agent"), t(10))
        .await
        .expect("upload");
    let w = WorkerId("w".into());
    let c = s
        .claim_scan(&w, LEASE, t(11))
        .await
        .expect("claim")
        .expect("queued");
    assert_eq!(c.scan, running.scan);
    let queued = s
        .queue_rescreens(
            ScanCause::Requested {
                note: "waivers changed".into(),
            },
            &local("ops"),
            t(12),
        )
        .await
        .expect("queue");
    assert_eq!(queued.len(), 2, "{queued:?}");
    let mut uploads = Vec::new();
    for id in &queued {
        let info = s.scan(*id).await.expect("scan").expect("exists").info;
        assert_eq!(info.status, ScanStatus::Queued);
        uploads.push(info.upload);
    }
    let first = s
        .scan(done)
        .await
        .expect("scan")
        .expect("exists")
        .info
        .upload;
    assert_eq!(uploads, [first, running.upload]);
    // Once queued, asking again adds nothing for either.
    let more = s
        .queue_rescreens(
            ScanCause::Requested {
                note: "again".into(),
            },
            &local("ops"),
            t(13),
        )
        .await
        .expect("queue");
    assert!(more.is_empty());
}
