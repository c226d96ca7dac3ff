//! Two server instances on one store share the scan queue: every upload is
//! screened exactly once, whichever instance took it.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
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
