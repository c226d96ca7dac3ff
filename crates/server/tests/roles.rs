//! Every route against every role, no token and a bad token; and the
//! OpenAPI document against the router's routes.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::{TestServer, micron_line};
use serde_json::json;

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Nobody,
    BadToken,
    Viewer,
    Submitter,
    Approver,
    Admin,
}

const EVERYONE: [Who; 6] = [
    Who::Nobody,
    Who::BadToken,
    Who::Viewer,
    Who::Submitter,
    Who::Approver,
    Who::Admin,
];

impl Who {
    fn token(self, s: &TestServer) -> Option<String> {
        match self {
            Who::Nobody => None,
            Who::BadToken => Some(
                "sst_1_0000000000000000000000000000000000000000000000000000000000000000".into(),
            ),
            Who::Viewer => Some(s.viewer.clone()),
            Who::Submitter => Some(s.submitter.clone()),
            Who::Approver => Some(s.approver2.clone()),
            Who::Admin => Some(s.admin.clone()),
        }
    }
    fn rank(self) -> u8 {
        match self {
            Who::Nobody | Who::BadToken => 0,
            Who::Viewer => 1,
            Who::Submitter => 2,
            Who::Approver => 3,
            Who::Admin => 4,
        }
    }
}

/// One row of the matrix: the request, the least role that may make it
/// (0: anyone, no token needed) and the status it gets when allowed.
struct Case {
    method: Method,
    path: String,
    body: Option<(Vec<u8>, &'static str)>,
    least: u8,
    allowed: StatusCode,
}

fn case(method: Method, path: &str, least: u8, allowed: StatusCode) -> Case {
    Case {
        method,
        path: path.into(),
        body: None,
        least,
        allowed,
    }
}

fn with_json(mut c: Case, v: &serde_json::Value) -> Case {
    c.body = Some((serde_json::to_vec(v).unwrap(), "application/json"));
    c
}

async fn matrix(s: &TestServer) -> Vec<Case> {
    // A scan and a proposal to point at.
    let up = s
        .upload(
            "name=a.csv&profile=cn-cii",
            &s.submitter,
            common::asset_register(),
        )
        .await;
    let scan = up.json()["scan"].as_i64().unwrap();
    let waiver = json!({"directive": "cn-cac-2023-micron", "reason": "r", "expires": "2026-12-31", "match": {"host": "x"}});
    let upload = Case {
        body: Some((
            b"Manufacturer,Part Number\nMicron,MTA18ASF4G72PDZ-3G2R1\n".to_vec(),
            "text/csv",
        )),
        ..case(
            Method::POST,
            "/v1/inventories?name=po.csv&profile=cn-cii",
            2,
            StatusCode::ACCEPTED,
        )
    };
    vec![
        case(Method::GET, "/healthz", 0, StatusCode::OK),
        case(Method::GET, "/metrics", 1, StatusCode::OK),
        case(Method::GET, "/openapi.json", 1, StatusCode::OK),
        with_json(
            case(Method::POST, "/v1/screen", 2, StatusCode::OK),
            &micron_line(),
        ),
        upload,
        case(Method::GET, "/v1/scans", 1, StatusCode::OK),
        case(Method::GET, &format!("/v1/scans/{scan}"), 1, StatusCode::OK),
        case(
            Method::GET,
            &format!("/v1/scans/{scan}/status"),
            1,
            StatusCode::OK,
        ),
        case(
            Method::GET,
            &format!("/v1/scans/{scan}/diff"),
            1,
            StatusCode::NOT_FOUND,
        ),
        case(Method::GET, "/v1/rescreens", 1, StatusCode::OK),
        case(
            Method::GET,
            "/v1/findings?verdict=violation",
            1,
            StatusCode::OK,
        ),
        case(Method::GET, "/v1/waivers", 1, StatusCode::OK),
        with_json(
            case(Method::POST, "/v1/waivers", 2, StatusCode::CREATED),
            &waiver,
        ),
        case(
            Method::POST,
            "/v1/waivers/999999/approve",
            3,
            StatusCode::NOT_FOUND,
        ),
        case(
            Method::POST,
            "/v1/waivers/999999/reject",
            3,
            StatusCode::NOT_FOUND,
        ),
        case(Method::GET, "/v1/directives", 1, StatusCode::OK),
        case(Method::GET, "/v1/entities/micron", 1, StatusCode::OK),
        case(Method::GET, "/v1/kb", 1, StatusCode::OK),
    ]
}

async fn every_route_by_every_role(s: TestServer) {
    let cases = matrix(&s).await;
    let mut failures = Vec::new();
    for c in &cases {
        for who in EVERYONE {
            let body = c.body.as_ref().map(|(b, _)| Body::from(b.clone()));
            let ct = c.body.as_ref().map_or("", |(_, t)| *t);
            let a = s
                .call(
                    c.method.clone(),
                    &c.path,
                    who.token(&s).as_deref(),
                    body,
                    ct,
                )
                .await;
            let expected = if c.least == 0 || who.rank() >= c.least {
                c.allowed
            } else if who.rank() == 0 {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::FORBIDDEN
            };
            if a.status != expected {
                failures.push(format!(
                    "{} {} as {who:?}: {} (expected {expected}) {}",
                    c.method,
                    c.path,
                    a.status,
                    a.text()
                ));
            }
            if a.status.is_client_error() {
                let code = a.json()["error"]["code"].as_str().map(str::to_owned);
                if code.is_none() {
                    failures.push(format!(
                        "{} {} as {who:?}: error without a JSON code",
                        c.method, c.path
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
both_stores!(every_route_by_every_role, 0);

/// Routes of the router (from the table it is built from) and of the document.
#[tokio::test]
async fn the_openapi_document_matches_the_routes() {
    let s = common::sqlite_server(0).await;
    let a = s.get("/openapi.json", &s.viewer).await;
    let doc = a.json();
    assert_eq!(
        doc["openapi"]
            .as_str()
            .unwrap()
            .split('.')
            .take(2)
            .collect::<Vec<_>>(),
        ["3", "1"]
    );
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((path.clone(), method.to_uppercase()));
        }
    }
    let routed: BTreeSet<(String, String)> =
        supplyscreen_server::api_routes(supplyscreen_server::Limits::default())
            .into_iter()
            .map(|(p, m, _)| (p.to_owned(), m.to_string()))
            .collect();
    assert_eq!(documented, routed);
    // Every documented path answers its method (not the router's 404 or 405).
    for (path, method) in &documented {
        let concrete = path.replace("{id}", "1");
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let a = s.call(m, &concrete, Some(&s.admin), None, "").await;
        assert_ne!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        if a.status == StatusCode::NOT_FOUND {
            assert_ne!(
                a.json()["error"]["message"],
                "no such route",
                "{method} {path}"
            );
        }
    }
    // The bearer scheme is declared and every /v1 operation requires it.
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for (path, item) in doc["paths"].as_object().unwrap() {
        if path.starts_with("/v1") {
            for op in item.as_object().unwrap().values() {
                assert!(
                    op["security"].is_array(),
                    "{path} has no security requirement"
                );
            }
        }
    }
    assert!(doc["components"]["schemas"]["ScreenRequest"].is_object());
}

#[tokio::test]
async fn body_limits_and_json_errors() {
    let s = common::sqlite_server(0).await;
    let big = vec![b'x'; 5 * 1024 * 1024];
    let a = s
        .call(
            Method::POST,
            "/v1/screen",
            Some(&s.submitter),
            Some(Body::from(big)),
            "application/json",
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.json()["error"]["code"], "payload_too_large");
    let a = s
        .call(Method::DELETE, "/v1/kb", Some(&s.viewer), None, "")
        .await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.json()["error"]["code"], "method_not_allowed");
    let a = s
        .call(
            Method::POST,
            "/v1/screen",
            Some(&s.submitter),
            Some(Body::from("{}")),
            "text/plain",
        )
        .await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(!a.text().contains("axum"), "{}", a.text());
}
