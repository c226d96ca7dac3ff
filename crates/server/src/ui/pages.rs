//! The UI's pages. Each reads the store like the API does and renders HTML;
//! every value shown is escaped.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;
use supplyscreen_store::{FindingFilter, FindingKey, FindingRow, PageRequest, ScanId, ScanInfo};

use super::html::{bar_chart, esc, page, table, url, verdict};
use super::user;
use crate::routes::scans::FindingQuery;
use crate::state::AppState;

/// Groups shown in each dashboard chart.
const CHART_GROUPS: u32 = 12;

/// Findings listed on a scan's page (the findings page pages through all).
const SCAN_PAGE_FINDINGS: u32 = 500;

fn ok(title: &str, who: &str, body: &str) -> Response {
    Html(page(title, Some(who), body)).into_response()
}

pub(super) fn failed(title: &str, who: &str, status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<h2>{}</h2><p class=\"msg\">{}</p>",
        esc(title),
        esc(message)
    );
    (status, Html(page(title, Some(who), &body))).into_response()
}

/// Current findings counted by `key` in the store, for a chart.
async fn counts(state: &AppState, key: FindingKey) -> Result<Vec<(String, u64)>, String> {
    let rows = state
        .store()
        .finding_counts(key, CHART_GROUPS)
        .await
        .map_err(|e| state.store_error(&e).message)?;
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k.unwrap_or_else(|| "(none)".into()), n))
        .collect())
}

/// `/`: the fleet at a glance.
pub async fn dashboard(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match user(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let unavailable = |m: String| failed("Fleet", &who.name, StatusCode::SERVICE_UNAVAILABLE, &m);
    let stats = match state.store().stats().await {
        Ok(s) => s,
        Err(e) => return unavailable(state.store_error(&e).message),
    };
    let mut charts = Vec::new();
    for key in [
        FindingKey::Verdict,
        FindingKey::Directive,
        FindingKey::Host,
        FindingKey::Supplier,
    ] {
        match counts(&state, key).await {
            Ok(c) => charts.push(c),
            Err(m) => return unavailable(m),
        }
    }
    let kb = state.screener();
    let mut body = String::from("<h2>Fleet</h2><div class=\"cards\">");
    let card = |label: &str, n: u64| format!("<div class=\"card\"><b>{n}</b>{}</div>", esc(label));
    body.push_str(&card("inventories", stats.uploads));
    let total: u64 = stats.findings_by_verdict.values().sum();
    body.push_str(&card("current findings", total));
    for v in ["violation", "restricted", "review", "waived"] {
        let n = stats.findings_by_verdict.get(v).copied().unwrap_or(0);
        body.push_str(&card(v, n));
    }
    body.push_str(&format!(
        "</div><p>KB {} · hash <code>{}</code></p><div class=\"charts\">",
        esc(kb.kb().version()),
        esc(&kb.kb().hash().chars().take(16).collect::<String>())
    ));
    let link = |key: &'static str| move |l: &str| format!("/ui/findings?{key}={}", url(l));
    let titles = [
        ("Findings by verdict", "verdict"),
        ("Findings by directive", "directive"),
        ("Findings by host", "host"),
        ("Findings by supplier", "supplier"),
    ];
    for ((title, key), c) in titles.into_iter().zip(&charts) {
        body.push_str(&bar_chart(title, c, &link(key)));
    }
    body.push_str("</div>");
    ok("Fleet", &who.name, &body)
}

fn finding_rows(rows: &[FindingRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let part = component_field(
                &r.finding.detail,
                &["Part Number", "part_number", "Mfr Part #", "Model"],
            );
            vec![
                verdict(&r.finding.verdict),
                esc(&r.finding.directive),
                esc(r.finding.entity.as_deref().unwrap_or("")),
                esc(r.host.as_deref().unwrap_or("")),
                esc(r.finding.supplier.as_deref().unwrap_or("")),
                esc(&part),
                format!(
                    "<a href=\"/ui/findings/{}/{}\">{}</a>",
                    r.scan,
                    url(&r.finding.finding_id),
                    esc(&r.finding.finding_id)
                ),
            ]
        })
        .collect()
}

/// A field of the finding's component, by any of its names.
fn component_field(detail: &Value, names: &[&str]) -> String {
    detail
        .pointer("/component/fields")
        .and_then(Value::as_array)
        .and_then(|fields| {
            fields.iter().find(|f| {
                f.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| names.iter().any(|x| x.eq_ignore_ascii_case(n)))
            })
        })
        .and_then(|f| f.get("value").and_then(Value::as_str))
        .unwrap_or("")
        .to_owned()
}

/// `/ui/findings`: the filterable list.
pub async fn findings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<FindingQuery>,
) -> Response {
    let who = match user(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let paging = q.paging().page();
    let page = match state.store().findings(&q.filter(), paging).await {
        Ok(p) => p,
        Err(e) => {
            let m = state.store_error(&e).message;
            return failed("Findings", &who.name, StatusCode::SERVICE_UNAVAILABLE, &m);
        }
    };
    let f = q.filter();
    let input = |name: &str, v: &Option<String>| {
        format!(
            "<label>{name} <input name=\"{name}\" value=\"{}\" size=\"14\"></label> ",
            esc(v.as_deref().unwrap_or(""))
        )
    };
    let mut body = String::from("<h2>Findings</h2><form method=\"get\" action=\"/ui/findings\">");
    body.push_str(&input("verdict", &f.verdict));
    body.push_str(&input("directive", &f.directive));
    body.push_str(&input("entity", &f.entity));
    body.push_str(&input("host", &f.host));
    body.push_str(&input("supplier", &f.supplier));
    body.push_str("<button>Filter</button></form>");
    body.push_str(&format!("<p>{} finding(s)</p>", page.total));
    body.push_str(&table(
        &[
            "verdict",
            "directive",
            "entity",
            "host",
            "supplier",
            "part",
            "finding",
        ],
        &finding_rows(&page.items),
    ));
    if let Some(next) = page.next {
        let keep = |k: &str, v: &Option<String>| {
            v.as_ref()
                .map(|v| format!("&{k}={}", url(v)))
                .unwrap_or_default()
        };
        body.push_str(&format!(
            "<p class=\"pager\"><a href=\"/ui/findings?offset={}{}{}{}{}{}\">next page</a></p>",
            next.offset,
            keep("verdict", &f.verdict),
            keep("directive", &f.directive),
            keep("entity", &f.entity),
            keep("host", &f.host),
            keep("supplier", &f.supplier),
        ));
    }
    ok("Findings", &who.name, &body)
}

/// `/ui/findings/{scan}/{finding}`: one finding with its component's
/// evidence, relation chain and the directive's citation.
pub async fn finding(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((scan, finding)): Path<(i64, String)>,
) -> Response {
    let who = match user(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let row = match state.store().finding(ScanId(scan), &finding).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            return failed(
                "Finding",
                &who.name,
                StatusCode::NOT_FOUND,
                "no such finding in that scan",
            );
        }
        Err(e) => {
            let m = state.store_error(&e).message;
            return failed("Finding", &who.name, StatusCode::SERVICE_UNAVAILABLE, &m);
        }
    };
    let d = &row.finding.detail;
    let text = |p: &str| {
        d.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let mut body = format!(
        "<h2>Finding {}</h2><p>{} · directive <b>{}</b> · entity <b>{}</b> · scan <a href=\"/ui/scans/{}\">{}</a></p>\
         <p>{}</p>",
        esc(&row.finding.finding_id),
        verdict(&row.finding.verdict),
        esc(&row.finding.directive),
        esc(row.finding.entity.as_deref().unwrap_or("")),
        row.scan,
        row.scan,
        esc(&text("/finding/reason")),
    );
    let fields: Vec<Vec<String>> = d
        .pointer("/component/fields")
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .map(|f| {
                    let s = |k: &str| esc(f.get(k).and_then(Value::as_str).unwrap_or(""));
                    vec![s("name"), s("value")]
                })
                .collect()
        })
        .unwrap_or_default();
    body.push_str("<h2>Component</h2>");
    body.push_str(&table(&["field", "value"], &fields));
    body.push_str("<h2>Evidence and citation</h2>");
    for (title, pointer) in [
        (
            "Attribution (evidence with KB lines)",
            "/component/attribution",
        ),
        ("Relation chain", "/finding/via"),
        ("Citation (the directive's source)", "/finding/citation"),
        ("Where the KB records the measure", "/finding/kb"),
        ("Where the component was read", "/component/source"),
    ] {
        if let Some(v) = d.pointer(pointer) {
            let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
            body.push_str(&format!(
                "<h3>{}</h3><pre>{}</pre>",
                esc(title),
                esc(&pretty)
            ));
        }
    }
    let all = serde_json::to_string_pretty(&d["finding"]).unwrap_or_default();
    body.push_str(&format!(
        "<details><summary>The finding as the report wrote it</summary><pre>{}</pre></details>",
        esc(&all)
    ));
    ok("Finding", &who.name, &body)
}

fn scan_row(s: &ScanInfo) -> Vec<String> {
    let findings = s
        .summary
        .as_ref()
        .map(|x| x.findings.to_string())
        .unwrap_or_default();
    vec![
        format!("<a href=\"/ui/scans/{0}\">{0}</a>", s.id),
        verdict(s.status.as_str()),
        esc(&s.name),
        esc(s.host.as_deref().unwrap_or("")),
        esc(&s.profile),
        esc(&crate::views::CauseView::from(&s.cause).kind),
        findings,
        esc(&s.queued_at.to_string()),
    ]
}

/// `/ui/scans`: recent scans and re-screens.
pub async fn scans(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match user(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let page = match state
        .store()
        .list_scans(PageRequest {
            limit: 200,
            offset: 0,
        })
        .await
    {
        Ok(p) => p,
        Err(e) => {
            let m = state.store_error(&e).message;
            return failed("Scans", &who.name, StatusCode::SERVICE_UNAVAILABLE, &m);
        }
    };
    let rows: Vec<Vec<String>> = page.items.iter().map(scan_row).collect();
    let body = format!(
        "<h2>Scans</h2><p>{} scan(s); the newest 200 are shown.</p>{}",
        page.total,
        table(
            &[
                "scan", "status", "file", "host", "profile", "cause", "findings", "queued"
            ],
            &rows
        )
    );
    ok("Scans", &who.name, &body)
}

/// `/ui/scans/{id}`: one scan, and what it changed when it was a re-screen.
pub async fn scan(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let who = match user(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let record = match state.store().scan(ScanId(id)).await {
        Ok(Some(r)) => r,
        Ok(None) => return failed("Scan", &who.name, StatusCode::NOT_FOUND, "no such scan"),
        Err(e) => {
            let m = state.store_error(&e).message;
            return failed("Scan", &who.name, StatusCode::SERVICE_UNAVAILABLE, &m);
        }
    };
    let mut body = format!("<h2>Scan {id}</h2>");
    body.push_str(&table(
        &[
            "scan", "status", "file", "host", "profile", "cause", "findings", "queued",
        ],
        &[scan_row(&record.info)],
    ));
    if let Some(e) = &record.info.error {
        body.push_str(&format!("<p class=\"msg\">{}</p>", esc(e)));
    }
    if let Ok(Some(diff)) = state.store().scan_diff(ScanId(id)).await {
        let list = |ids: &[String]| {
            if ids.is_empty() {
                "none".to_owned()
            } else {
                ids.iter()
                    .map(|f| format!("<a href=\"/ui/findings/{id}/{}\">{}</a>", url(f), esc(f)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        body.push_str(&format!(
            "<h2>Re-screen diff against scan <a href=\"/ui/scans/{0}\">{0}</a></h2>\
             <p>New findings: {1}</p><p>Resolved findings: {2}</p>",
            diff.previous,
            list(&diff.new_findings),
            list(&diff.resolved_findings)
        ));
        if let Ok(changed) = crate::routes::scans::changed(&state, diff.previous, diff.scan).await {
            let rows: Vec<Vec<String>> = changed
                .iter()
                .map(|c| {
                    vec![
                        format!(
                            "<a href=\"/ui/findings/{id}/{}\">{}</a>",
                            url(&c.finding_id),
                            esc(&c.finding_id)
                        ),
                        esc(&c.directive),
                        esc(&c.location),
                        format!("{} → {}", verdict(&c.from), verdict(&c.to)),
                        esc(&c.what.join(", ")),
                    ]
                })
                .collect();
            body.push_str("<h3>Changed findings</h3>");
            body.push_str(&table(
                &[
                    "finding",
                    "directive",
                    "component",
                    "verdict",
                    "what changed",
                ],
                &rows,
            ));
        }
    }
    let filter = FindingFilter {
        scan: Some(ScanId(id)),
        ..FindingFilter::default()
    };
    let first = PageRequest {
        limit: SCAN_PAGE_FINDINGS,
        offset: 0,
    };
    if let Ok(page) = state.store().findings(&filter, first).await {
        body.push_str(&format!(
            "<h2>Findings</h2><p>{} finding(s){}</p>",
            page.total,
            if page.next.is_some() {
                format!("; the first {SCAN_PAGE_FINDINGS} are shown")
            } else {
                String::new()
            }
        ));
        let rows = page.items;
        body.push_str(&table(
            &[
                "verdict",
                "directive",
                "entity",
                "host",
                "supplier",
                "part",
                "finding",
            ],
            &finding_rows(&rows),
        ));
    }
    ok("Scan", &who.name, &body)
}
