//! Refusals that protect the service: cross-site form posts to the UI, the
//! UI's framing policy, and screen requests beyond the item and field caps;
//! plus per-host findings from an upload that names no host.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestServer;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use supplyscreen_server::axum;
use tower::ServiceExt;

/// A UI form post with the given browser headers; returns status, headers and body.
async fn ui_post(
    s: &TestServer,
    path: &str,
    form: &str,
    extra: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "screen.example:8080")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("supplyscreen_token={}", s.approver));
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let res = s
        .router
        .clone()
        .oneshot(req.body(Body::from(form.to_owned())).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

async fn cross_site_posts_are_refused(s: TestServer) {
    let form = "directive=cn-cac-2023-micron&reason=Refresh&expires=2026-12-31&entity=micron";
    let refusals: [&[(&str, &str)]; 4] = [
        &[("sec-fetch-site", "cross-site")],
        &[("origin", "https://evil.example")],
        &[
            ("sec-fetch-site", "same-site"),
            ("origin", "http://screen.example:8080"),
        ],
        &[],
    ];
    for headers in refusals {
        let (status, h, _) = ui_post(&s, "/ui/waivers", form, headers).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(
            h[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'")
        );
    }
    let (status, _, _) = ui_post(
        &s,
        "/login",
        &format!("token={}", s.viewer),
        &[("origin", "null")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let listed = s.get("/v1/waivers", &s.viewer).await.json();
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "{listed}");

    // The same posts from the server's own pages are taken.
    let (status, _, body) = ui_post(
        &s,
        "/ui/waivers",
        form,
        &[("sec-fetch-site", "same-origin")],
    )
    .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status}: {body}"
    );
    let (status, h, _) = ui_post(
        &s,
        "/login",
        &format!("token={}", s.viewer),
        &[("origin", "http://screen.example:8080")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = h[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let listed = s.get("/v1/waivers", &s.viewer).await.json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
}
both_stores!(cross_site_posts_are_refused, 0);

async fn screen_requests_are_capped(s: TestServer) {
    let line = common::micron_line();
    let one = line["items"][0].clone();
    let mut many = line.clone();
    many["items"] = Value::Array(vec![
        one;
        supplyscreen_server::routes::screen::MAX_ITEMS + 1
    ]);
    let a = s.post_json("/v1/screen", &s.submitter, &many).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.text());
    assert_eq!(a.json()["error"]["code"], "payload_too_large");

    let mut wide = line.clone();
    let fields = wide["items"][0]["fields"].as_object_mut().unwrap();
    for i in 0..supplyscreen_server::routes::screen::MAX_FIELDS {
        fields.insert(format!("Extra {i}"), json!("x"));
    }
    let a = s.post_json("/v1/screen", &s.submitter, &wide).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());

    // A large request within the caps is screened (off the runtime threads).
    let mut big = line.clone();
    let items: Vec<Value> = (0..2000)
        .map(|i| {
            json!({"fields": {"Vendor": "Micron Technology", "Mfr Part #": "MTA18ASF4G72PDZ-3G2R1",
                "Line": i, "Order Date": "2024-01-22"}})
        })
        .collect();
    big["items"] = Value::Array(items);
    let a = s.post_json("/v1/screen", &s.submitter, &big).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["components"].as_array().map(Vec::len), Some(2000));

    let a = s
        .call(
            Method::POST,
            "/v1/screen",
            Some(&s.submitter),
            Some(Body::from(serde_json::to_vec(&line).unwrap())),
            "text/plain",
        )
        .await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}
both_stores!(screen_requests_are_capped, 0);

async fn a_fleet_export_gives_findings_per_host(s: TestServer) {
    let up = s
        .upload(
            "name=register.csv&profile=cn-cii",
            &s.submitter,
            common::asset_register(),
        )
        .await;
    assert_eq!(up.status, StatusCode::ACCEPTED, "{}", up.text());
    s.wait_scan(up.json()["scan"].as_i64().unwrap()).await;
    let all = s.get("/v1/findings?limit=500", &s.viewer).await.json();
    let on_db03 = s
        .get("/v1/findings?host=db-03&limit=500", &s.viewer)
        .await
        .json();
    let n = |v: &Value| v["items"].as_array().map_or(0, Vec::len);
    assert!(n(&on_db03) > 0, "{all}");
    assert!(n(&on_db03) < n(&all), "{all}");
    assert!(
        on_db03["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["host"] == "db-03")
    );
}
both_stores!(a_fleet_export_gives_findings_per_host, 1);
