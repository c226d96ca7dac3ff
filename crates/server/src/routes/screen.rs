//! `POST /v1/screen`: synchronous screening of request items, answered with
//! the CLI's JSON report.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use supplyscreen_model::Date;
use utoipa::ToSchema;

use crate::auth::Submitter;
use crate::error::{ApiError, ErrorBody, for_status};
use crate::fields::Fields;
use crate::screening::{Params, Screening, ScreeningError, screen_items};
use crate::state::AppState;

/// Bodies larger than this are parsed and screened on the blocking pool
/// instead of the request's own thread (a few lines take microseconds).
const INLINE_BYTES: usize = 4 * 1024;

/// The most items one request may hold (more: 413).
pub const MAX_ITEMS: usize = 10_000;

/// The most fields one item may hold (more: 422).
pub const MAX_FIELDS: usize = 256;

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
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            let m = m.trim();
            m.eq_ignore_ascii_case("application/json") || m.ends_with("+json")
        });
    if !json {
        return Err(for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE));
    }
    let (today, waivers) = (state.today(), state.waivers());
    let inline = body.len() <= INLINE_BYTES;
    let shared = state.clone();
    let run = move || -> Result<Screening, ApiError> {
        let (items, params) = parse(&body, today)?;
        let screener = shared.screener();
        screen_items(
            &screener,
            shared.columns(),
            &items,
            &params,
            (*waivers).clone(),
        )
        .map_err(screening_error)
    };
    let s = if inline {
        run()
    } else {
        tokio::task::spawn_blocking(run)
            .await
            .map_err(|_| ApiError::internal())?
    }?;
    state.metrics.findings(s.verdicts.iter().copied());
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        s.report,
    )
        .into_response())
}

type Items = Vec<Vec<(String, String)>>;

/// Parses and checks a screen request: at most [`MAX_ITEMS`] items of at
/// most [`MAX_FIELDS`] fields each.
fn parse(body: &[u8], today: Date) -> Result<(Items, Params), ApiError> {
    let req: ScreenRequest =
        serde_json::from_slice(body).map_err(|e| ApiError::bad_request(e.to_string()))?;
    if req.items.is_empty() {
        return Err(ApiError::bad_request("`items` is empty"));
    }
    if req.items.len() > MAX_ITEMS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "{} items: a request holds at most {MAX_ITEMS} (upload larger inventories to /v1/inventories)",
                req.items.len()
            ),
        ));
    }
    if let Some((n, item)) = req
        .items
        .iter()
        .enumerate()
        .find(|(_, i)| i.fields.0.len() > MAX_FIELDS)
    {
        return Err(ApiError::unprocessable(format!(
            "item {n} has {} fields: an item holds at most {MAX_FIELDS}",
            item.fields.0.len()
        )));
    }
    let params = Params {
        profile: req.profile,
        action: req.action,
        as_of: parse_as_of(req.as_of.as_deref(), today)?,
    };
    Ok((req.items.into_iter().map(|i| i.fields.0).collect(), params))
}
