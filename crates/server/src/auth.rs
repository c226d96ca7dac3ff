//! Bearer tokens: extractors that authenticate a request and check its role
//! before the body is read (so a request without a valid token is answered
//! 401 whatever its body). The store verifies the salted hash and keeps
//! verified tokens for two seconds, so the hot path asks no database.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use supplyscreen_store::{Permission, Principal};

use crate::error::ApiError;
use crate::state::AppState;

/// The bearer string of a request, if it has one.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

async fn authorize(
    parts: &Parts,
    state: &AppState,
    need: Permission,
) -> Result<Principal, ApiError> {
    let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
    let principal = state.authenticate(token).await?;
    if principal.role.can(need) {
        Ok(principal)
    } else {
        Err(ApiError::forbidden(format!(
            "the role {} may not do this (needs {})",
            principal.role,
            supplyscreen_store::Role::least_for(need)
        )))
    }
}

macro_rules! caller {
    ($(#[$doc:meta])* $name:ident, $perm:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub Principal);

        impl FromRequestParts<AppState> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, Self::Rejection> {
                authorize(parts, state, $perm).await.map($name)
            }
        }
    };
}

caller!(
    /// A caller who may read (every role).
    Reader,
    Permission::Read
);
caller!(
    /// A caller who may screen and upload (submitter and above).
    Submitter,
    Permission::Submit
);
caller!(
    /// A caller who may propose waivers (submitter and above).
    Proposer,
    Permission::ProposeWaiver
);
caller!(
    /// A caller who may approve or reject waivers (approver and above).
    Decider,
    Permission::DecideWaiver
);
