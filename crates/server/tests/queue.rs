//! Two server instances on one store share the scan queue: every upload is
//! screened exactly once, whichever instance took it.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use serde_json::Value;
use supplyscreen_store::Location;

async fn two_instances_share_the_queue(location: Location, dir: Option<tempfile::TempDir>) {
    let a = common::server_at(location.clone(), None, 2).await;
    let b = common::server_at(location, dir, 2).await;
    let mut scans = Vec::new();
    for i in 0..12 {
        let s = if i % 2 == 0 { &a } else { &b };
        let host = format!("host-{i}");
        let up = s
            .upload(
                &format!("name=register-{i}.csv&profile=cn-cii&host={host}"),
                &s.submitter,
                common::asset_register(),
            )
            .await;
        assert_eq!(up.status, StatusCode::ACCEPTED, "{}", up.text());
        scans.push(up.json()["scan"].as_i64().unwrap());
    }
    for id in &scans {
        let st = a.wait_scan(*id).await;
        assert_eq!(st["status"], "done", "{st}");
        assert_eq!(st["attempt"], 1, "scan {id} was claimed twice: {st}");
    }
    // Each instance sees the other's results; the fleet holds every host once.
    let from_b = b
        .get("/v1/findings?entity=micron&limit=1000", &b.viewer)
        .await
        .json();
    let hosts: std::collections::BTreeSet<String> = from_b["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["host"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(hosts.len(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let location = Location::Sqlite(dir.path().to_path_buf());
    two_instances_share_the_queue(location, Some(dir)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres() {
    if let Some(location) = common::fresh_postgres().await {
        two_instances_share_the_queue(location, None).await;
    }
}

/// A server started with another KB (an overlay, a new bundle) re-screens
/// every stored inventory and records why.
async fn a_kb_change_rescreens_stored_inventories(
    location: Location,
    dir: Option<tempfile::TempDir>,
) {
    let first = common::server_at(location.clone(), None, 1).await;
    let up = first
        .upload(
            "name=order.csv&profile=cn-cii&action=purchase",
            &first.submitter,
            std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../fixtures/kb-overlay/order.csv"
            ))
            .unwrap(),
        )
        .await;
    let scan = up.json()["scan"].as_i64().unwrap();
    assert_eq!(first.wait_scan(scan).await["status"], "done");
    let before = first
        .get("/v1/findings?directive=acme-2025-no-lexar", &first.viewer)
        .await
        .json();
    assert_eq!(before["total"], 0);

    let overlay = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/kb-overlay/kb");
    let kb = supplyscreen_screen::load_kb(Some(std::path::Path::new(overlay))).unwrap();
    let second = common::server_with(
        location,
        dir,
        1,
        std::sync::Arc::new(supplyscreen_screen::Screener::new(kb)),
    )
    .await;
    second.wait_idle().await;
    let r = second.get("/v1/rescreens", &second.viewer).await.json();
    let item = &r["items"][0];
    assert_eq!(item["previous"], scan, "{r}");
    assert_eq!(item["cause"]["kind"], "kb-changed");
    assert!(
        !item["new_findings"].as_array().unwrap().is_empty(),
        "the overlay's rule finds the Lexar card: {r}"
    );
    let after = second
        .get("/v1/findings?verdict=violation", &second.viewer)
        .await
        .json();
    assert!(
        after["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["directive"] != "cn-cac-2023-micron"),
        "{after}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kb_change_rescreens_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let location = Location::Sqlite(dir.path().to_path_buf());
    a_kb_change_rescreens_stored_inventories(location, Some(dir)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kb_change_rescreens_on_postgres() {
    if let Some(location) = common::fresh_postgres().await {
        a_kb_change_rescreens_stored_inventories(location, None).await;
    }
}

/// The verdicts of the findings under the Micron decision, sorted.
async fn micron_verdicts(s: &common::TestServer) -> Vec<String> {
    let v = s
        .get("/v1/findings?directive=cn-cac-2023-micron", &s.viewer)
        .await
        .json();
    let mut verdicts: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["verdict"].as_str().unwrap().to_owned())
        .collect();
    verdicts.sort();
    verdicts
}

/// Waits until a scan queued for `cause` is done; gives the re-screen record.
async fn wait_rescreen(s: &common::TestServer, cause: &str) -> Value {
    for _ in 0..600 {
        let r = s.get("/v1/rescreens", &s.viewer).await.json();
        if let Some(item) = r["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["cause"]["kind"] == cause)
        {
            s.wait_idle().await;
            return item.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no {cause} re-screen recorded");
}

/// An approved waiver turns the findings it covers to `waived`; the first day
/// after its last day, the stored inventory is re-screened and they stand
/// again, with the expiry audited once and the re-screen recorded.
async fn an_expired_waiver_rescreens_stored_inventories(
    location: Location,
    dir: Option<tempfile::TempDir>,
) {
    let day = |d: &str| supplyscreen_model::parse_iso_date(d).unwrap();
    let clock = std::sync::Arc::new(common::MovableClock(std::sync::Mutex::new(day(
        "2026-06-01",
    ))));
    let s = common::server_clocked(location, dir, 1, common::screener(), clock.clone()).await;
    let dump = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/db-07.dmi"
    ))
    .unwrap();
    let up = s
        .upload(
            "name=db-07.dmi&profile=cn-cii&action=inventory&host=db-07",
            &s.submitter,
            dump,
        )
        .await;
    let scan = up.json()["scan"].as_i64().unwrap();
    assert_eq!(s.wait_scan(scan).await["status"], "done");
    let before = micron_verdicts(&s).await;
    assert!(
        !before.is_empty() && !before.iter().any(|v| v == "waived"),
        "{before:?}"
    );

    let proposal = serde_json::json!({
        "directive": "cn-cac-2023-micron",
        "reason": "Modules replaced in the June maintenance window",
        "expires": "2026-06-10",
        "ticket": "CHG-7001",
        "match": {"entity": "micron", "host": "db-07"}
    });
    let w = s
        .post_json("/v1/waivers", &s.submitter, &proposal)
        .await
        .json();
    let id = w["id"].as_i64().unwrap();
    let approved = s
        .post_json(
            &format!("/v1/waivers/{id}/approve"),
            &s.approver,
            &Value::Null,
        )
        .await;
    assert_eq!(
        approved.status,
        axum::http::StatusCode::OK,
        "{}",
        approved.text()
    );
    wait_rescreen(&s, "waiver-approved").await;
    // The three Micron modules are covered; the Kingston module with Micron
    // dies (attributed to Kingston) is not.
    let waived = micron_verdicts(&s).await;
    assert_eq!(waived.len(), before.len());
    assert_eq!(
        waived.iter().filter(|v| *v == "waived").count(),
        3,
        "{waived:?}"
    );

    // The last day still counts; nothing happens on it.
    *clock.0.lock().unwrap() = day("2026-06-10");
    assert_eq!(s.state.expire_waivers().await.unwrap(), 0);
    // The day after, the waiver has expired.
    *clock.0.lock().unwrap() = day("2026-06-11");
    let item = wait_rescreen(&s, "waiver-expired").await;
    assert_eq!(item["cause"]["waiver"], id, "{item}");
    assert_eq!(micron_verdicts(&s).await, before);
    let page = supplyscreen_store::PageRequest {
        limit: supplyscreen_store::MAX_PAGE,
        offset: 0,
    };
    let entries = s.store.audit_entries(page).await.unwrap().items;
    let expiries: Vec<_> = entries
        .iter()
        .filter(|e| e.event == supplyscreen_store::AuditEvent::WaiverExpired)
        .collect();
    assert_eq!(expiries.len(), 1, "{expiries:?}");
    assert_eq!(expiries[0].subject, format!("waiver:{id}"));
    assert_eq!(expiries[0].actor, "local:service");
    // Recorded once: another instance (or a restart) on the same day finds nothing.
    let again = s
        .store
        .expire_waivers(
            day("2026-06-11"),
            &supplyscreen_store::Actor::local("test"),
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
    assert!(again.is_empty(), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_waiver_rescreens_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let location = Location::Sqlite(dir.path().to_path_buf());
    an_expired_waiver_rescreens_stored_inventories(location, Some(dir)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_waiver_rescreens_on_postgres() {
    if let Some(location) = common::fresh_postgres().await {
        an_expired_waiver_rescreens_stored_inventories(location, None).await;
    }
}
