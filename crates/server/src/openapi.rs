//! The OpenAPI 3.1 document, generated from the handlers' annotations and
//! their request and response types.

use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::auth::Reader;
use crate::routes::{inventories, kb, scans, screen, waivers};

/// The API document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "supplyscreen",
        description = "Screens purchase orders and hardware inventories against government vendor restrictions. Every route but /healthz needs `Authorization: Bearer TOKEN` (create one with `supplyscreen token create`)."
    ),
    paths(
        crate::healthz,
        crate::metrics_text,
        document,
        screen::screen,
        inventories::upload,
        scans::list_scans,
        scans::get_scan,
        scans::get_scan_status,
        scans::get_scan_diff,
        scans::list_rescreens,
        scans::list_findings,
        waivers::list,
        waivers::propose,
        waivers::approve,
        waivers::reject,
        kb::list_directives,
        kb::get_entity,
        kb::get_kb,
    ),
    modifiers(&Bearer),
    tags(
        (name = "screen", description = "Synchronous screening of purchase-order lines"),
        (name = "inventories", description = "Uploaded inventories, screened in the background"),
        (name = "scans", description = "Scans, their reports and re-screen diffs"),
        (name = "findings", description = "The fleet's findings"),
        (name = "waivers", description = "Exceptions, proposed and approved by two people"),
        (name = "kb", description = "The knowledge base in use"),
        (name = "service", description = "Health, metrics and this document"),
    )
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "service",
    responses(
        (status = 200, description = "OpenAPI 3.1", content_type = "application/json", body = Object),
        (status = 401, body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn document(_who: Reader) -> impl IntoResponse {
    axum::Json(ApiDoc::openapi())
}
