//! The API through the router (no socket), on SQLite and, when CI started
//! one, on PostgreSQL: screening, uploads and their scans, the findings
//! filters, waivers with four eyes, and the re-screen after an approval.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{TODAY, TestServer, asset_register, micron_line};
use serde_json::{Value, json};

async fn screen_returns_the_cli_report(s: TestServer) {
    let a = s
        .post_json("/v1/screen", &s.submitter, &micron_line())
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert!(a.content_type.starts_with("application/json"));
    let r = a.json();
    assert_eq!(r["schema"], "supplyscreen/report/v2");
    assert_eq!(r["profile"], "cn-cii");
    assert_eq!(r["action"], "purchase");
    assert_eq!(r["as_of"], TODAY);
    assert_eq!(r["kb"]["hash"], common::screener().kb().hash());
    let f = &r["findings"][0];
    assert_eq!(f["directive"], "cn-cac-2023-micron");
    assert_eq!(f["verdict"], "violation");
    assert_eq!(r["components"][0]["source"]["path"], "request");
    assert_eq!(r["components"][0]["source"]["line"], 2);
    // as_of from the body wins over the clock; without an order date the
    // line is judged on it, before the measure took effect.
    let mut body = micron_line();
    body["as_of"] = json!("2023-01-01");
    body["items"][0]["fields"]
        .as_object_mut()
        .unwrap()
        .remove("Order Date");
    let r = s.post_json("/v1/screen", &s.submitter, &body).await.json();
    assert_eq!(r["as_of"], "2023-01-01");
    assert_eq!(r["findings"][0]["judged_at"], "2023-01-01", "{r}");
    assert_ne!(
        r["findings"][0]["verdict"], "violation",
        "the measure was not in force yet"
    );
}
both_stores!(screen_returns_the_cli_report, 0);

async fn screen_errors_are_json_and_name_the_problem(s: TestServer) {
    let mut body = micron_line();
    body["profile"] = json!("nowhere");
    let a = s.post_json("/v1/screen", &s.submitter, &body).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["error"]["code"], "bad_request");
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown profile")
    );

    let a = s
        .post_json(
            "/v1/screen",
            &s.submitter,
            &json!({"profile": "cn-cii", "items": []}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);

    let a = s
        .post_json(
            "/v1/screen",
            &s.submitter,
            &json!({"profile": "cn-cii", "items": [{"fields": {"Colour": "blue"}}]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert_eq!(a.json()["error"]["code"], "unprocessable");

    let a = s
        .call(
            Method::POST,
            "/v1/screen",
            Some(&s.submitter),
            Some(Body::from("{not json")),
            "application/json",
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["error"]["code"], "bad_request");

    let a = s
        .post_json(
            "/v1/screen",
            &s.submitter,
            &json!({"profile": "cn-cii", "items": [], "extra": 1}),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);

    let a = s.get("/v1/nothing-here", &s.viewer).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.json()["error"]["code"], "not_found");
}
both_stores!(screen_errors_are_json_and_name_the_problem, 0);

async fn screen_reads_items_of_several_header_sets_and_names_unknown_headers(s: TestServer) {
    let body = json!({"profile": "cn-cii", "action": "purchase", "items": [
        {"fields": {"Vendor": "Micron Technology", "Mfr Part #": "MTA18ASF4G72PDZ-3G2R1", "Order Date": "2024-01-22"}},
        {"fields": {"Manufacturer": "Crucial", "Part Number": "CT1000MX500SSD1", "Qty": 4}},
        {"fields": {"Vendor": "Micron Technology", "Mfr Part #": "MTA9ASF2G72PZ-3G2R1", "Order Date": "2024-02-05"}},
    ]});
    let a = s.post_json("/v1/screen", &s.submitter, &body).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let r = a.json();
    let components = r["components"].as_array().unwrap();
    assert_eq!(components.len(), 3, "{r}");
    let lines: Vec<&Value> = components.iter().map(|c| &c["source"]["line"]).collect();
    assert_eq!(lines, [&json!(2), &json!(3), &json!(4)]);
    assert_eq!(r["findings"][0]["directive"], "cn-cac-2023-micron");
    assert_eq!(r["findings"][0]["verdict"], "violation");

    // Headers no synonym knows: refused, naming them, never a clear report.
    let unknown = json!({"profile": "cn-cii", "items": [
        {"fields": {"Lieferant": "Micron Technology", "Teilenummer": "MTA18ASF4G72PDZ-3G2R1"}},
    ]});
    let a = s.post_json("/v1/screen", &s.submitter, &unknown).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    let message = a.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("\"Lieferant\", \"Teilenummer\""),
        "{message}"
    );
}
both_stores!(
    screen_reads_items_of_several_header_sets_and_names_unknown_headers,
    0
);

async fn an_upload_is_screened_and_its_findings_filter(s: TestServer) {
    let a = s
        .upload(
            "name=asset-register.csv&profile=cn-cii&host=dc1",
            &s.submitter,
            asset_register(),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text());
    let scan = a.json()["scan"].as_i64().unwrap();
    let status = s.wait_scan(scan).await;
    assert_eq!(status["status"], "done", "{status}");
    let report = s.get(&format!("/v1/scans/{scan}"), &s.viewer).await.json();
    assert_eq!(report["schema"], "supplyscreen/report/v2");
    let in_report = report["findings"].as_array().unwrap().len() as u64;
    assert!(in_report > 0);

    let all = s.get("/v1/findings?limit=1000", &s.viewer).await.json();
    assert_eq!(all["total"].as_u64().unwrap(), in_report);
    let micron = s
        .get(
            "/v1/findings?directive=cn-cac-2023-micron&entity=micron",
            &s.viewer,
        )
        .await
        .json();
    let items = micron["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|f| f["directive"] == "cn-cac-2023-micron" && f["entity"] == "micron")
    );
    assert!(items.iter().all(|f| f["host"] == "dc1"));
    assert!(
        items[0]["detail"]["finding"]["citation"].is_object()
            || items[0]["detail"]["finding"]["citation"].is_string()
    );
    let verdict = items[0]["verdict"].as_str().unwrap().to_owned();
    let by_verdict = s
        .get(&format!("/v1/findings?verdict={verdict}"), &s.viewer)
        .await
        .json();
    assert!(
        by_verdict["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["verdict"] == verdict.as_str())
    );
    assert_eq!(
        s.get("/v1/findings?host=elsewhere", &s.viewer).await.json()["total"],
        0
    );

    // Pagination: pages of 2 cover every finding once.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let p = s
            .get(&format!("/v1/findings?limit=2&offset={offset}"), &s.viewer)
            .await
            .json();
        for f in p["items"].as_array().unwrap() {
            seen.push(format!("{}/{}", f["scan"], f["finding_id"]));
        }
        match p["next_offset"].as_u64() {
            Some(n) => offset = n,
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len());
    assert_eq!(seen.len() as u64, in_report);

    let scans = s.get("/v1/scans", &s.viewer).await.json();
    assert_eq!(scans["items"][0]["id"], scan);
    assert_eq!(scans["items"][0]["current"], true);
}
both_stores!(an_upload_is_screened_and_its_findings_filter, 1);

async fn an_unreadable_upload_fails_its_scan(s: TestServer) {
    let a = s
        .upload(
            "name=notes.txt&profile=cn-cii",
            &s.submitter,
            b"just some words\nnothing tabular\n".to_vec(),
        )
        .await;
    assert_eq!(a.status, StatusCode::ACCEPTED);
    let status = s.wait_scan(a.json()["scan"].as_i64().unwrap()).await;
    assert_eq!(status["status"], "failed");
    assert!(!status["error"].as_str().unwrap_or("").is_empty());

    let a = s
        .upload(
            "name=x.csv&profile=nowhere",
            &s.submitter,
            b"a,b\n".to_vec(),
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::BAD_REQUEST,
        "an unknown profile is refused before storing"
    );
    let a = s
        .upload("profile=cn-cii", &s.submitter, b"a,b\n".to_vec())
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["error"]["code"], "bad_request");
}
both_stores!(an_unreadable_upload_fails_its_scan, 1);

fn proposal(host: &str) -> Value {
    json!({
        "directive": "cn-cac-2023-micron",
        "reason": "Installed before the decision; replaced at the 2027 refresh",
        "expires": "2026-12-31",
        "ticket": "CHG-1",
        "match": {"entity": "micron", "host": host}
    })
}

async fn waivers_need_four_eyes(s: TestServer) {
    let a = s
        .post_json("/v1/waivers", &s.approver, &proposal("db-03"))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    assert_eq!(a.json()["status"], "proposed");
    let id = a.json()["id"].as_i64().unwrap();

    let own = s
        .post_json(
            &format!("/v1/waivers/{id}/approve"),
            &s.approver,
            &json!({}),
        )
        .await;
    assert_eq!(
        own.status,
        StatusCode::FORBIDDEN,
        "the proposer may not approve: {}",
        own.text()
    );
    let by_submitter = s
        .post_json(
            &format!("/v1/waivers/{id}/approve"),
            &s.submitter,
            &json!({}),
        )
        .await;
    assert_eq!(by_submitter.status, StatusCode::FORBIDDEN);
    let ok = s
        .post_json(
            &format!("/v1/waivers/{id}/approve"),
            &s.approver2,
            &json!({}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    assert_eq!(ok.json()["status"], "approved");
    assert!(ok.json()["decided_by"].as_str().unwrap().contains("ana"));
    let again = s
        .post_json(
            &format!("/v1/waivers/{id}/reject"),
            &s.approver2,
            &json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let b = s
        .post_json("/v1/waivers", &s.submitter, &proposal("db-04"))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let rejected = s
        .post_json(&format!("/v1/waivers/{b}/reject"), &s.approver, &json!({}))
        .await;
    assert_eq!(rejected.json()["status"], "rejected");
    let missing = s
        .post_json("/v1/waivers/999999/approve", &s.approver, &json!({}))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let list = s.get("/v1/waivers", &s.viewer).await.json();
    let statuses: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["approved", "rejected"]);
    let approved = s.get("/v1/waivers?status=approved", &s.viewer).await.json();
    assert_eq!(approved.as_array().unwrap().len(), 1);
    assert_eq!(approved[0]["match"]["host"], "db-03");

    let mut bad = proposal("db-05");
    bad["directive"] = json!("no-such-directive");
    let a = s.post_json("/v1/waivers", &s.submitter, &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    let mut past = proposal("db-05");
    past["expires"] = json!("2020-01-01");
    assert_eq!(
        s.post_json("/v1/waivers", &s.submitter, &past).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut unknown_key = proposal("db-05");
    unknown_key["match"]["colour"] = json!("blue");
    assert_eq!(
        s.post_json("/v1/waivers", &s.submitter, &unknown_key)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}
both_stores!(waivers_need_four_eyes, 0);

async fn an_approval_rescreens_and_records_the_diff(s: TestServer) {
    let a = s
        .upload(
            "name=asset-register.csv&profile=cn-cii",
            &s.submitter,
            asset_register(),
        )
        .await;
    let first = a.json()["scan"].as_i64().unwrap();
    assert_eq!(s.wait_scan(first).await["status"], "done");
    let filter = "/v1/findings?entity=micron&directive=cn-cac-2023-micron";
    let before = s.get(filter, &s.viewer).await.json();
    let waived_before = before["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["verdict"] == "waived")
        .count();
    assert_eq!(waived_before, 0);
    assert!(
        before["total"].as_u64().unwrap() > 0,
        "the register holds Micron modules"
    );

    let mut waiver = proposal("*");
    waiver["match"] = json!({"entity": "micron"});
    let id = s
        .post_json("/v1/waivers", &s.submitter, &waiver)
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let ok = s
        .post_json(
            &format!("/v1/waivers/{id}/approve"),
            &s.approver,
            &json!({}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    s.wait_idle().await;

    let rescreens = s.get("/v1/rescreens", &s.viewer).await.json();
    let r = &rescreens["items"][0];
    assert_eq!(r["previous"], first, "{rescreens}");
    assert_eq!(r["cause"]["kind"], "waiver-approved");
    assert_eq!(r["cause"]["waiver"], id);
    let second = r["scan"].as_i64().unwrap();
    let diff = s
        .get(&format!("/v1/scans/{second}/diff"), &s.viewer)
        .await
        .json();
    let changed = diff["changed"].as_array().unwrap();
    assert!(!changed.is_empty(), "{diff}");
    assert!(changed.iter().all(|c| c["to"] == "waived"), "{diff}");

    let after = s.get(filter, &s.viewer).await.json();
    assert!(
        after["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["verdict"] == "waived" && f["scan"] == second)
    );
    let report = s
        .get(&format!("/v1/scans/{second}"), &s.viewer)
        .await
        .json();
    assert_eq!(report["waivers"][0]["at"], format!("waiver/{id}:1"));
}
both_stores!(an_approval_rescreens_and_records_the_diff, 1);

async fn kb_routes_describe_the_kb(s: TestServer) {
    let kb = s.get("/v1/kb", &s.viewer).await.json();
    assert_eq!(kb["hash"], common::screener().kb().hash());
    assert_eq!(kb["base"], "embedded");
    assert!(
        kb["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "cn-cii")
    );
    let ds = s.get("/v1/directives", &s.viewer).await.json();
    let micron = ds
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "cn-cac-2023-micron")
        .unwrap();
    assert!(micron["sources"][0].as_str().unwrap().starts_with("http"));
    assert!(
        micron["targets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "micron")
    );
    let e = s.get("/v1/entities/micron", &s.viewer).await.json();
    assert_eq!(e["id"], "micron");
    assert!(!e["sources"].as_array().unwrap().is_empty());
    assert_eq!(
        s.get("/v1/entities/no-such", &s.viewer).await.status,
        StatusCode::NOT_FOUND
    );
    let m = s.get("/metrics", &s.viewer).await;
    assert!(
        m.text().contains(
            "supplyscreen_http_requests_total{route=\"/v1/entities/{id}\",status=\"404\"} 1"
        ),
        "{}",
        m.text()
    );
}
both_stores!(kb_routes_describe_the_kb, 0);
