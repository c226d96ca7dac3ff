//! `POST /v1/screen`: synchronous screening of request items, answered with
//! the CLI's JSON report.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use supplyscreen_model::Date;
use utoipa::ToSchema;

use crate::auth::Submitter;
use crate::error::{ApiError, ErrorBody};
use crate::fields::Fields;
use crate::routes::Json;
use crate::screening::{Params, ScreeningError, screen_items};
use crate::state::AppState;

/// Requests with more items than this are screened on the blocking pool
/// instead of the request's own thread (a few lines take microseconds).
const INLINE_ITEMS: usize = 32;

/// What to screen.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    /// The profile id (see `GET /v1/kb` and `supplyscreen kb list`).
    pub profile: String,
    /// `purchase`, `inventory` or `auto` (each component's role); default `auto`.
    #[serde(default)]
    pub action: Option<String>,
    /// The screening date (`YYYY-MM-DD`); today by default.
    #[serde(default)]
    pub as_of: Option<String>,
    /// The lines to screen.
    pub items: Vec<ScreenItem>,
}

/// One line: its fields by column header, as a purchase-order export has them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenItem {
    /// Column header to value (`{"Vendor": "Micron", "Mfr Part #": "MTA18ASF4G72PDZ-3G2R1"}`).
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub fields: Fields,
}

/// Parses `as_of`, defaulting to `today`.
pub fn parse_as_of(text: Option<&str>, today: Date) -> Result<Date, ApiError> {
    match text {
        None | Some("") => Ok(today),
        Some(t) => supplyscreen_model::parse_iso_date(t)
            .map_err(|e| ApiError::bad_request(format!("as_of {t:?}: {e}"))),
    }
}

/// Maps a screening error to the API's.
pub fn screening_error(e: ScreeningError) -> ApiError {
    match e {
        ScreeningError::Params(m) => ApiError::bad_request(m),
        ScreeningError::Input(m) => ApiError::unprocessable(m),
        ScreeningError::Render(_) => ApiError::internal(),
    }
}

/// Screens the items and returns the report (`supplyscreen/report/v2`).
#[utoipa::path(
    post,
    path = "/v1/screen",
    tag = "screen",
    request_body = ScreenRequest,
    responses(
        (status = 200, description = "The report, as `supplyscreen scan --format json` writes it", content_type = "application/json", body = Object),
        (status = 400, description = "Unknown profile or action, bad date", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The role may not screen", body = ErrorBody),
        (status = 422, description = "No item could be read as a component", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn screen(
    State(state): State<AppState>,
    _who: Submitter,
    Json(body): Json<ScreenRequest>,
) -> Result<Response, ApiError> {
    let params = Params {
        profile: body.profile,
        action: body.action,
        as_of: parse_as_of(body.as_of.as_deref(), state.today())?,
    };
    let items: Vec<Vec<(String, String)>> = body.items.into_iter().map(|i| i.fields.0).collect();
    if items.is_empty() {
        return Err(ApiError::bad_request("`items` is empty"));
    }
    let waivers = state.waivers();
    let screener = state.screener();
    let inline = items.len() <= INLINE_ITEMS;
    let run = move || screen_items(&screener, &items, &params, (*waivers).clone());
    let screening = if inline {
        run()
    } else {
        tokio::task::spawn_blocking(run)
            .await
            .map_err(|_| ApiError::internal())?
    };
    let s = screening.map_err(screening_error)?;
    state.metrics.findings(s.verdicts.iter().copied());
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        s.report,
    )
        .into_response())
}
