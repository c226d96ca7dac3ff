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
