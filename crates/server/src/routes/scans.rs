//! Scans, their reports and diffs, and the fleet's findings.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use supplyscreen_store::{FindingFilter, ScanId, ScanStatus};
use utoipa::IntoParams;

use crate::auth::Reader;
use crate::error::{ApiError, ErrorBody};
use crate::routes::Paging;
use crate::state::AppState;
use crate::views::{ChangedView, FindingView, Listing, RescreenView, ScanView};
use supplyscreen_screen::diff_reports;

/// One scan: the report document when done, else the scan and its status.
#[utoipa::path(
    get,
    path = "/v1/scans/{id}",
    tag = "scans",
    params(("id" = i64, Path, description = "The scan id")),
    responses(
        (status = 200, description = "When done: the report (`supplyscreen/report/v2`, as `scan --format json`); before: the scan with its `status`", content_type = "application/json", body = ScanView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such scan", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn get_scan(
    State(state): State<AppState>,
    _who: Reader,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let record = state
        .store()
        .scan(ScanId(id))
        .await
        .map_err(|e| state.store_error(&e))?
        .ok_or_else(|| ApiError::not_found(format!("no scan {id}")))?;
    match (record.info.status, record.report_json) {
        (ScanStatus::Done, Some(report)) => Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            report,
        )
            .into_response()),
        _ => Ok(axum::Json(ScanView::from(&record.info)).into_response()),
    }
}

/// The scan record itself (status, counts, KB and waivers hashes), also when done.
#[utoipa::path(
    get,
    path = "/v1/scans/{id}/status",
    tag = "scans",
    params(("id" = i64, Path, description = "The scan id")),
    responses(
        (status = 200, body = ScanView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn get_scan_status(
    State(state): State<AppState>,
    _who: Reader,
    Path(id): Path<i64>,
) -> Result<axum::Json<ScanView>, ApiError> {
    let record = state
        .store()
        .scan(ScanId(id))
        .await
        .map_err(|e| state.store_error(&e))?
        .ok_or_else(|| ApiError::not_found(format!("no scan {id}")))?;
    Ok(axum::Json(ScanView::from(&record.info)))
}

/// What a re-screen changed against the inventory's previous scan.
#[utoipa::path(
    get,
    path = "/v1/scans/{id}/diff",
    tag = "scans",
    params(("id" = i64, Path, description = "The scan id")),
    responses(
        (status = 200, body = RescreenView),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such scan, or it is not a finished re-screen", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn get_scan_diff(
    State(state): State<AppState>,
    _who: Reader,
    Path(id): Path<i64>,
) -> Result<axum::Json<RescreenView>, ApiError> {
    let diff = state
        .store()
        .scan_diff(ScanId(id))
        .await
        .map_err(|e| state.store_error(&e))?
        .ok_or_else(|| ApiError::not_found(format!("scan {id} has no re-screen diff")))?;
    let mut view = RescreenView::from(&diff);
    view.changed = Some(changed(&state, diff.previous, diff.scan).await?);
    Ok(axum::Json(view))
}

/// The findings whose judgement changed between two stored reports, by the
/// `screen` diff facade (the same comparison as `supplyscreen diff`).
pub async fn changed(
    state: &AppState,
    old: ScanId,
    new: ScanId,
) -> Result<Vec<ChangedView>, ApiError> {
    let report = |id: ScanId| async move {
        state
            .store()
            .scan(id)
            .await
            .map_err(|e| state.store_error(&e))?
            .and_then(|r| r.report_json)
            .ok_or_else(|| ApiError::not_found(format!("scan {id} has no report")))
    };
    let (old_text, new_text) = (report(old).await?, report(new).await?);
    let diff = diff_reports(
        (&format!("scan/{old}"), &old_text),
        (&format!("scan/{new}"), &new_text),
    )
    .map_err(|e| {
        state.log(&format!("diff of scans {old} and {new}: {e}"));
        ApiError::internal()
    })?;
    Ok(diff
        .changed
        .iter()
        .map(|c| ChangedView {
            finding_id: c.new.id.to_string(),
            directive: c.new.directive.clone(),
            location: c.new.location.clone(),
            from: c.old.verdict.as_str().to_owned(),
            to: c.new.verdict.as_str().to_owned(),
            what: c.what.iter().map(|w| (*w).to_owned()).collect(),
        })
        .collect())
}

/// Scans, newest first.
#[utoipa::path(
    get,
    path = "/v1/scans",
    tag = "scans",
    params(Paging),
    responses(
        (status = 200, body = Listing<ScanView>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list_scans(
    State(state): State<AppState>,
    _who: Reader,
    Query(paging): Query<Paging>,
) -> Result<axum::Json<Listing<ScanView>>, ApiError> {
    let page = state
        .store()
        .list_scans(paging.page())
        .await
        .map_err(|e| state.store_error(&e))?;
    Ok(axum::Json(Listing::of(page, |s| ScanView::from(&s))))
}

/// Re-screen diffs, newest first.
#[utoipa::path(
    get,
    path = "/v1/rescreens",
    tag = "scans",
    params(Paging),
    responses(
        (status = 200, body = Listing<RescreenView>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list_rescreens(
    State(state): State<AppState>,
    _who: Reader,
    Query(paging): Query<Paging>,
) -> Result<axum::Json<Listing<RescreenView>>, ApiError> {
    let page = state
        .store()
        .rescreens(paging.page())
        .await
        .map_err(|e| state.store_error(&e))?;
    Ok(axum::Json(Listing::of(page, |r| RescreenView::from(&r))))
}

/// Filters of `GET /v1/findings`; each given one must hold.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FindingQuery {
    /// Verdict (`violation`, `restricted`, `review`, `waived`, `clear`).
    pub verdict: Option<String>,
    /// Directive id.
    pub directive: Option<String>,
    /// Entity id.
    pub entity: Option<String>,
    /// Host.
    pub host: Option<String>,
    /// Supplier, as the input's supplier column wrote it.
    pub supplier: Option<String>,
    /// Only this scan's findings (default: each inventory's current scan).
    pub scan: Option<i64>,
    /// At most this many items (1 to 1000; 100 by default).
    pub limit: Option<u32>,
    /// Items to skip.
    pub offset: Option<u64>,
}

impl FindingQuery {
    /// The store's filter.
    pub fn filter(&self) -> FindingFilter {
        let keep = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        FindingFilter {
            verdict: keep(&self.verdict),
            directive: keep(&self.directive),
            entity: keep(&self.entity),
            host: keep(&self.host),
            supplier: keep(&self.supplier),
            scan: self.scan.map(ScanId),
        }
    }

    /// The page asked for.
    pub fn paging(&self) -> Paging {
        Paging {
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// The fleet's findings (each inventory's current scan), filtered and paged.
#[utoipa::path(
    get,
    path = "/v1/findings",
    tag = "findings",
    params(FindingQuery),
    responses(
        (status = 200, body = Listing<FindingView>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn list_findings(
    State(state): State<AppState>,
    _who: Reader,
    Query(q): Query<FindingQuery>,
) -> Result<axum::Json<Listing<FindingView>>, ApiError> {
    let page = state
        .store()
        .findings(&q.filter(), q.paging().page())
        .await
        .map_err(|e| state.store_error(&e))?;
    Ok(axum::Json(Listing::of(page, FindingView::from)))
}
