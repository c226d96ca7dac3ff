//! `POST /v1/inventories`: an inventory file is stored, then screened by a
//! background worker; the answer comes after the store committed it.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use supplyscreen_model::ProfileId;
use supplyscreen_store::{Actor, Upload};
use utoipa::IntoParams;

use crate::auth::Submitter;
use crate::error::{ApiError, ErrorBody};
use crate::screening::parse_action;
use crate::state::AppState;
use crate::views::ScanAccepted;

/// What the uploaded file is.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file name (shown in reports; any format the CLI reads, archives included).
    pub name: String,
    /// The profile to screen against.
    pub profile: String,
    /// `purchase`, `inventory` or `auto` (default `auto`).
    pub action: Option<String>,
    /// The host the inventory describes.
    pub host: Option<String>,
}

/// Checks the upload's parameters before anything is stored.
fn check(state: &AppState, q: &UploadQuery, body: &[u8]) -> Result<(), ApiError> {
    if q.name.trim().is_empty() {
        return Err(ApiError::bad_request("`name` is empty"));
    }
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "the body is empty: send the file as the body",
        ));
    }
    let profile = ProfileId::new(&q.profile)
        .map_err(|e| ApiError::bad_request(format!("profile {:?}: {e}", q.profile)))?;
    if state.screener().kb().profile(&profile).is_none() {
        return Err(ApiError::bad_request(format!(
            "unknown profile {:?}",
            q.profile
        )));
    }
    parse_action(q.action.as_deref()).map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(())
}

/// Stores an inventory and queues its scan.
#[utoipa::path(
    post,
    path = "/v1/inventories",
    tag = "inventories",
    params(UploadQuery),
    request_body(content = Vec<u8>, description = "The inventory file, as the CLI reads it", content_type = "application/octet-stream"),
    responses(
        (status = 202, description = "Stored and queued", body = ScanAccepted),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn upload(
    State(state): State<AppState>,
    Submitter(who): Submitter,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> Result<(StatusCode, axum::Json<ScanAccepted>), ApiError> {
    check(&state, &q, &body)?;
    let upload = Upload {
        name: q.name,
        host: q.host.filter(|h| !h.is_empty()),
        profile: q.profile,
        action: q.action.unwrap_or_else(|| "auto".into()),
        body: Vec::from(body),
    };
    let receipt = state
        .store()
        .add_upload(upload, &Actor::token(&who), state.now())
        .await
        .map_err(|e| state.store_error(&e))?;
    state.wake_workers();
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(ScanAccepted {
            scan: receipt.scan.0,
            upload: receipt.upload.0,
            sha256: receipt.sha256,
        }),
    ))
}
