//! The `/v1` handlers, one module per resource, and the JSON body extractor
//! whose rejections are answered in the API's error shape.

pub mod inventories;
pub mod kb;
pub mod scans;
pub mod screen;
pub mod waivers;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use supplyscreen_store::PageRequest;
use utoipa::IntoParams;

use crate::error::{ApiError, for_status};

/// A JSON request body; a malformed one is a 400 with the parser's message
/// (which quotes the request, not the server).
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(r: &JsonRejection) -> ApiError {
    match r {
        JsonRejection::JsonDataError(e) => ApiError::bad_request(e.body_text()),
        JsonRejection::JsonSyntaxError(e) => ApiError::bad_request(e.body_text()),
        JsonRejection::MissingJsonContentType(_) => for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        other => for_status(other.status()),
    }
}

/// Which page of a listing to return.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// At most this many items (1 to 1000; 100 by default).
    pub limit: Option<u32>,
    /// Items to skip (0 by default).
    pub offset: Option<u64>,
}

impl Paging {
    /// The store's page request.
    pub fn page(self) -> PageRequest {
        let d = PageRequest::default();
        PageRequest {
            limit: self.limit.unwrap_or(d.limit),
            offset: self.offset.unwrap_or(d.offset),
        }
    }
}
