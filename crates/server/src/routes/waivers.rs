//! Waivers: proposed by a submitter, approved or rejected by an approver who
//! is not the proposer (four eyes). An approval changes what screens apply,
//! so the store queues re-screens of every stored inventory with it.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use supplyscreen_store::{Actor, Decision, WaiverDraft, WaiverId, WaiverMatch, WaiverStatus};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Decider, Proposer, Reader};
use crate::error::{ApiError, ErrorBody};
use crate::routes::Json;
use crate::state::AppState;
use crate::views::WaiverView;

/// A waiver to propose (the fields of a waiver file's entry; the approver is
/// whoever approves it).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiverProposal {
    /// The directive it waives.
    pub directive: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Last day it applies (`YYYY-MM-DD`).
    pub expires: String,
    /// The change or risk ticket.
    #[serde(default)]
    pub ticket: Option<String>,
    /// Which components it covers: `entity`, `part_number`, `host`, `path`,
    /// `serial`, each exact (case-insensitive) or a `*` glob.
    #[serde(rename = "match")]
    pub matcher: BTreeMap<String, String>,
}

/// The answer to a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct Proposed {
    /// The waiver's id.
    pub id: i64,
    /// `proposed`.
    pub status: String,
}

/// The draft the store keeps, after checking it as a waiver file would be.
pub fn draft(state: &AppState, p: WaiverProposal, proposer: &str) -> Result<WaiverDraft, ApiError> {
    let expires: jiff::civil::Date = p.expires.parse().map_err(|_| {
        ApiError::bad_request(format!(
            "expires {:?} is not a date (YYYY-MM-DD)",
            p.expires
        ))
    })?;
    if expires.to_string() < state.today().to_string() {
        return Err(ApiError::unprocessable(format!(
            "expires {expires} is in the past"
        )));
    }
    let mut matcher = WaiverMatch::default();
    for (k, v) in p.matcher {
        let slot = match k.as_str() {
            "entity" => &mut matcher.entity,
            "part_number" => &mut matcher.part_number,
            "host" => &mut matcher.host,
            "path" => &mut matcher.path,
            "serial" => &mut matcher.serial,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "unknown match key {k:?} (keys: entity, part_number, host, path, serial)"
                )));
            }
        };
        *slot = Some(v);
    }
    let draft = WaiverDraft {
        directive: p.directive,
        reason: p.reason,
        expires,
        ticket: p.ticket.filter(|t| !t.is_empty()),
        matcher,
    };
    crate::waivers::validate(state.screener().kb(), &draft, proposer)
        .map_err(ApiError::unprocessable)?;
    Ok(draft)
}

/// Proposes a waiver.
#[utoipa::path(
    post,
    path = "/v1/waivers",
    tag = "waivers",
    request_body = WaiverProposal,
    responses(
        (status = 201, body = Proposed),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "Unknown directive, empty reason, past expiry", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn propose(
    State(state): State<AppState>,
    Proposer(who): Proposer,
    Json(p): Json<WaiverProposal>,
) -> Result<(StatusCode, axum::Json<Proposed>), ApiError> {
    let draft = draft(&state, p, &who.name)?;
    let stored = state
        .store()
        .propose_waiver(draft, &Actor::token(&who), state.now())
        .await
        .map_err(|e| state.store_error(&e))?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Proposed {
            id: stored.id.0,
            status: stored.status.as_str().to_owned(),
        }),
    ))
}

/// Applies a decision; on approval reloads the waivers and wakes the workers
/// for the re-screens the store queued.
pub async fn decide_as(
    state: &AppState,
    id: i64,
    decision: Decision,
    actor: &Actor,
) -> Result<WaiverView, ApiError> {
    let d = state
        .store()
        .decide_waiver(WaiverId(id), decision, actor, state.now())
        .await
        .map_err(|e| state.store_error(&e))?;
    if decision == Decision::Approve {
        if let Err(e) = state.refresh_waivers().await {
            state.log(&format!(
                "reloading waivers: {}",
                crate::state::error_chain(&e)
            ));
        }
        state.wake_workers();
    }
    Ok(WaiverView::from(&d.waiver))
}

/// Approves a proposed waiver (not by its proposer).
#[utoipa::path(
    post,
    path = "/v1/waivers/{id}/approve",
    tag = "waivers",
    params(("id" = i64, Path, description = "The waiver id")),
    responses(
        (status = 200, body = WaiverView),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an approver, or the proposer (four eyes)", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn approve(
    State(state): State<AppState>,
    Decider(who): Decider,
    Path(id): Path<i64>,
) -> Result<axum::Json<WaiverView>, ApiError> {
    decide_as(&state, id, Decision::Approve, &Actor::token(&who))
        .await
        .map(axum::Json)
}

/// Rejects a proposed waiver (not by its proposer).
#[utoipa::path(
    post,
    path = "/v1/waivers/{id}/reject",
    tag = "waivers",
    params(("id" = i64, Path, description = "The waiver id")),
    responses(
        (status = 200, body = WaiverView),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not an approver, or the proposer (four eyes)", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn reject(
    State(state): State<AppState>,
    Decider(who): Decider,
    Path(id): Path<i64>,
) -> Result<axum::Json<WaiverView>, ApiError> {
    decide_as(&state, id, Decision::Reject, &Actor::token(&who))
        .await
        .map(axum::Json)
}

/// Which waivers to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WaiverQuery {
    /// Only `proposed`, `approved` or `rejected` ones.
    pub status: Option<String>,
}

/// Waivers, oldest first.
#[utoipa::path(
    get,
    path = "/v1/waivers",
    tag = "waivers",
    params(WaiverQuery),
    responses(
        (status = 200, body = Vec<WaiverView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    _who: Reader,
    Query(q): Query<WaiverQuery>,
) -> Result<axum::Json<Vec<WaiverView>>, ApiError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(WaiverStatus::parse(s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown status {s:?} (proposed, approved, rejected)"
            ))
        })?),
    };
    let list = state
        .store()
        .list_waivers(status)
        .await
        .map_err(|e| state.store_error(&e))?;
    Ok(axum::Json(list.iter().map(WaiverView::from).collect()))
}
