//! The waivers page: the list with approval buttons, and the proposal form.

use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use supplyscreen_store::{Actor, Decision, Permission};

use super::html::{esc, page, table, verdict};
use super::pages::failed;
use super::user;
use crate::routes::waivers::{WaiverProposal, decide_as, draft};
use crate::state::AppState;
use crate::views::WaiverView;

/// `/ui/waivers`: the list, approval buttons and the proposal form.
pub async fn waivers(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match user(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    waivers_page(&state, &who, "", StatusCode::OK).await
}

async fn waivers_page(
    state: &AppState,
    who: &supplyscreen_store::Principal,
    message: &str,
    status: StatusCode,
) -> Response {
    let list = match state.store().list_waivers(None).await {
        Ok(l) => l,
        Err(e) => {
            let m = state.store_error(&e).message;
            return failed("Waivers", &who.name, StatusCode::SERVICE_UNAVAILABLE, &m);
        }
    };
    let may_decide = who.role.can(Permission::DecideWaiver);
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|w| {
            let v = WaiverView::from(w);
            let matcher = v.matcher.iter().map(|(k, x)| format!("{k}={x}")).collect::<Vec<_>>().join(", ");
            let actions = if may_decide && v.status == "proposed" {
                format!(
                    "<form class=\"inline\" method=\"post\" action=\"/ui/waivers/{0}/approve\"><button>Approve</button></form> \
                     <form class=\"inline\" method=\"post\" action=\"/ui/waivers/{0}/reject\"><button>Reject</button></form>",
                    v.id
                )
            } else {
                String::new()
            };
            vec![
                v.id.to_string(),
                verdict(&v.status),
                esc(&v.directive),
                esc(&matcher),
                esc(&v.reason),
                esc(&v.expires),
                esc(&v.proposed_by),
                esc(v.decided_by.as_deref().unwrap_or("")),
                actions,
            ]
        })
        .collect();
    let mut body = String::from("<h2>Waivers</h2>");
    if !message.is_empty() {
        body.push_str(&format!("<p class=\"msg\">{}</p>", esc(message)));
    }
    body.push_str(&table(
        &[
            "id",
            "status",
            "directive",
            "match",
            "reason",
            "expires",
            "proposed by",
            "decided by",
            "",
        ],
        &rows,
    ));
    if who.role.can(Permission::ProposeWaiver) {
        body.push_str(
            "<h2>Propose a waiver</h2><form class=\"grid\" method=\"post\" action=\"/ui/waivers\">\
             <label>directive</label><input name=\"directive\" required>\
             <label>reason</label><input name=\"reason\" required>\
             <label>expires (YYYY-MM-DD)</label><input name=\"expires\" required>\
             <label>ticket</label><input name=\"ticket\">\
             <label>match: entity</label><input name=\"entity\">\
             <label>match: part_number</label><input name=\"part_number\">\
             <label>match: host</label><input name=\"host\">\
             <label>match: serial</label><input name=\"serial\">\
             <span></span><button>Propose</button></form>",
        );
    }
    (status, Html(page("Waivers", Some(&who.name), &body))).into_response()
}

/// The proposal form's fields.
#[derive(Debug, Deserialize)]
pub struct ProposalForm {
    directive: String,
    reason: String,
    expires: String,
    #[serde(default)]
    ticket: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    part_number: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    serial: String,
}

/// `POST /ui/waivers`: proposes a waiver from the form.
pub async fn propose(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<ProposalForm>,
) -> Response {
    let who = match user(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !who.role.can(Permission::ProposeWaiver) {
        return waivers_page(
            &state,
            &who,
            "Your role may not propose waivers.",
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let matcher = [
        ("entity", f.entity),
        ("part_number", f.part_number),
        ("host", f.host),
        ("serial", f.serial),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
    .collect();
    let proposal = WaiverProposal {
        directive: f.directive.trim().to_owned(),
        reason: f.reason.trim().to_owned(),
        expires: f.expires.trim().to_owned(),
        ticket: Some(f.ticket.trim().to_owned()).filter(|t| !t.is_empty()),
        matcher,
    };
    let result = match draft(&state, proposal, &who.name) {
        Ok(d) => state
            .store()
            .propose_waiver(d, &Actor::token(&who), state.now())
            .await
            .map_err(|e| state.store_error(&e)),
        Err(e) => Err(e),
    };
    match result {
        Ok(w) => {
            waivers_page(
                &state,
                &who,
                &format!("Waiver {} proposed.", w.id),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => waivers_page(&state, &who, &e.message, e.status).await,
    }
}

/// `POST /ui/waivers/{id}/approve|reject`.
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, decision)): Path<(i64, String)>,
) -> Response {
    let who = match user(&state, &headers).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let decision = match decision.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject,
        _ => {
            return failed(
                "Waivers",
                &who.name,
                StatusCode::NOT_FOUND,
                "no such action",
            );
        }
    };
    if !who.role.can(Permission::DecideWaiver) {
        return waivers_page(
            &state,
            &who,
            "Your role may not decide waivers.",
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    match decide_as(&state, id, decision, &Actor::token(&who)).await {
        Ok(_) => Redirect::to("/ui/waivers").into_response(),
        Err(e) => waivers_page(&state, &who, &e.message, e.status).await,
    }
}
