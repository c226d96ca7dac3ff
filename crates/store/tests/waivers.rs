//! Waivers: proposal, four eyes, state errors, re-screens on approval; on both backends.

mod common;

use common::{Fixture, local, t};
use std::time::Duration;
use supplyscreen_store::{
    Actor, Decision, Principal, Role, ScanCause, ScanResult, StoreError, TokenId, Upload,
    WaiverDraft, WaiverId, WaiverMatch, WaiverStatus, WorkerId,
};

both!(four_eyes_and_state_errors, an_approval_queues_rescreens);

fn draft() -> WaiverDraft {
    WaiverDraft {
        directive: "cn-cac-2023-micron".into(),
        reason: "DIMMs installed before the decision; replacement scheduled".into(),
        expires: "2027-03-31".parse().expect("date"),
        ticket: Some("CHG-1042".into()),
        matcher: WaiverMatch {
            entity: Some("micron".into()),
            host: Some("db-07".into()),
            ..Default::default()
        },
    }
}

fn person(id: i64, name: &str) -> Actor {
    Actor::token(&Principal {
        token_id: TokenId(id),
        name: name.into(),
        role: Role::Approver,
    })
}

async fn four_eyes_and_state_errors(f: Fixture) {
    let s = &f.store;
    let (li, zhang) = (person(1, "li"), person(2, "zhang"));
    let w = s.propose_waiver(draft(), &li, t(0)).await.expect("propose");
    assert_eq!(
        (w.status, w.proposed_by.as_str()),
        (WaiverStatus::Proposed, "token:1:li")
    );
    assert_eq!(w.draft, draft());

    assert!(
        matches!(s.decide_waiver(w.id, Decision::Approve, &li, t(1)).await, Err(StoreError::FourEyes(id)) if id == w.id)
    );
    // Another token with the proposer's name is the same person.
    assert!(matches!(
        s.decide_waiver(w.id, Decision::Approve, &person(9, "li"), t(1))
            .await,
        Err(StoreError::FourEyes(_))
    ));
    let decided = s
        .decide_waiver(w.id, Decision::Approve, &zhang, t(2))
        .await
        .expect("approve");
    assert_eq!(decided.waiver.status, WaiverStatus::Approved);
    assert_eq!(decided.waiver.decided_by_name.as_deref(), Some("zhang"));
    assert_eq!(decided.waiver.decided_at, Some(t(2)));
    assert!(matches!(
        s.decide_waiver(w.id, Decision::Reject, &person(3, "wang"), t(3))
            .await,
        Err(StoreError::WaiverNotProposed {
            status: WaiverStatus::Approved,
            ..
        })
    ));
    assert!(matches!(
        s.decide_waiver(WaiverId(77), Decision::Approve, &zhang, t(3))
            .await,
        Err(StoreError::WaiverNotFound(WaiverId(77)))
    ));

    let err = s
        .decide_waiver(w.id, Decision::Approve, &zhang, t(3))
        .await
        .expect_err("decided already");
    assert_eq!(err.kind(), supplyscreen_store::StoreErrorKind::Conflict);
    assert!(!err.to_string().contains("SELECT"), "{err}");
    let second = s
        .propose_waiver(draft(), &zhang, t(4))
        .await
        .expect("propose");
    let rejected = s
        .decide_waiver(second.id, Decision::Reject, &li, t(5))
        .await
        .expect("reject");
    assert_eq!(
        (rejected.waiver.status, rejected.rescreens.len()),
        (WaiverStatus::Rejected, 0)
    );
    let empty = WaiverDraft {
        matcher: WaiverMatch::default(),
        ..draft()
    };
    assert!(matches!(
        s.propose_waiver(empty, &li, t(6)).await,
        Err(StoreError::Invalid(_))
    ));

    let ids =
        |v: Vec<supplyscreen_store::StoredWaiver>| v.into_iter().map(|w| w.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s.list_waivers(None).await.expect("list")),
        [w.id, second.id]
    );
    assert_eq!(ids(s.approved_waivers().await.expect("approved")), [w.id]);
    assert_eq!(
        ids(s
            .list_waivers(Some(WaiverStatus::Rejected))
            .await
            .expect("list")),
        [second.id]
    );
    assert!(
        s.list_waivers(Some(WaiverStatus::Proposed))
            .await
            .expect("list")
            .is_empty()
    );
    assert_eq!(
        s.waiver(w.id).await.expect("get").map(|x| x.status),
        Some(WaiverStatus::Approved)
    );
    // Proposed, approved, proposed, rejected: four audited changes, chain intact.
    assert!(matches!(
        s.verify_audit().await.expect("verify"),
        supplyscreen_store::AuditCheck::Intact { entries: 4, .. }
    ));
}

async fn an_approval_queues_rescreens(f: Fixture) {
    let s = &f.store;
    let w = WorkerId("w".into());
    let upload = Upload {
        name: "db-07.csv".into(),
        host: Some("db-07".into()),
        profile: "cn-cii-operator".into(),
        action: "install".into(),
        body: b"Vendor,Part\nMicron,MT40A1G8\n".to_vec(),
    };
    let r = s
        .add_upload(upload, &local("agent"), t(0))
        .await
        .expect("upload");
    // Not yet screened: an approval has nothing to re-screen.
    let early = s
        .propose_waiver(draft(), &person(1, "li"), t(1))
        .await
        .expect("propose");
    assert!(
        s.decide_waiver(early.id, Decision::Approve, &person(2, "zhang"), t(2))
            .await
            .expect("approve")
            .rescreens
            .is_empty()
    );
    let c = s
        .claim_scan(&w, Duration::from_secs(60), t(3))
        .await
        .expect("claim")
        .expect("queued");
    let done = ScanResult {
        report_json: "{}".into(),
        summary: Default::default(),
        findings: vec![],
        kb_hash: "kb".into(),
        waivers_hash: "w1".into(),
    };
    s.finish_scan(c.scan, &w, done, t(4)).await.expect("finish");

    let later = s
        .propose_waiver(draft(), &person(1, "li"), t(5))
        .await
        .expect("propose");
    let decided = s
        .decide_waiver(later.id, Decision::Approve, &person(2, "zhang"), t(6))
        .await
        .expect("approve");
    assert_eq!(decided.rescreens.len(), 1);
    let info = s
        .scan(decided.rescreens[0])
        .await
        .expect("scan")
        .expect("exists")
        .info;
    assert_eq!(
        (info.upload, info.cause),
        (r.upload, ScanCause::WaiverApproved { waiver: later.id })
    );
}
