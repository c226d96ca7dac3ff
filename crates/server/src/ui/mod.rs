//! The web UI: server-rendered pages (no script, no CDN). Signing in once
//! with a token sets an HttpOnly, SameSite=Strict cookie; the pages and
//! their forms authenticate with it, and a form post is refused unless the
//! browser says it came from this origin (see `guard`). The `/v1` API stays
//! Bearer-only.

mod guard;
mod html;
mod pages;
mod waiver_pages;

use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use supplyscreen_store::Principal;

use crate::state::AppState;

/// The cookie holding the signed-in token.
const COOKIE: &str = "supplyscreen_token";

/// The UI's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/ui/findings", get(pages::findings))
        .route("/ui/findings/{scan}/{finding}", get(pages::finding))
        .route("/ui/scans", get(pages::scans))
        .route("/ui/scans/{id}", get(pages::scan))
        .route(
            "/ui/waivers",
            get(waiver_pages::waivers).post(waiver_pages::propose),
        )
        .route("/ui/waivers/{id}/{decision}", post(waiver_pages::decide))
        .route("/ui/style.css", get(style))
        .layer(axum::middleware::from_fn(guard::guard))
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        html::STYLE,
    )
        .into_response()
}

/// The token in the request's cookie.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// The signed-in user, or the answer to give instead (the sign-in page).
pub(crate) async fn user(state: &AppState, headers: &HeaderMap) -> Result<Principal, Response> {
    match cookie_token(headers) {
        Some(t) => state.authenticate(&t).await.map_err(|e| {
            if e.status == StatusCode::UNAUTHORIZED {
                login_form(
                    "Your token is no longer valid; sign in again.",
                    StatusCode::UNAUTHORIZED,
                )
            } else {
                login_form(
                    "The store cannot be reached; try again shortly.",
                    StatusCode::SERVICE_UNAVAILABLE,
                )
            }
        }),
        None => Err(Redirect::to("/login").into_response()),
    }
}

fn login_form(message: &str, status: StatusCode) -> Response {
    let msg = if message.is_empty() {
        String::new()
    } else {
        format!("<p class=\"msg\">{}</p>", html::esc(message))
    };
    let body = format!(
        "<h2>Sign in</h2>{msg}<form class=\"grid\" method=\"post\" action=\"/login\">\
         <label for=\"token\">Bearer token</label>\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required>\
         <span></span><button>Sign in</button></form>\
         <p>Create a token with <code>supplyscreen token create --role viewer --name NAME</code>.</p>"
    );
    (status, Html(html::page("Sign in", None, &body))).into_response()
}

async fn login_page() -> Response {
    login_form("", StatusCode::OK)
}

#[derive(Deserialize)]
struct Login {
    token: String,
    /// The page to go to after signing in (a path on this server).
    #[serde(default)]
    next: String,
}

/// Where to go after signing in: a local path, never another site.
fn next_page(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.bytes().all(|b| b.is_ascii_graphic());
    if local { next } else { "/" }
}

async fn login(State(state): State<AppState>, Form(f): Form<Login>) -> Response {
    let token = f.token.trim();
    let valid = !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
        && match state.authenticate(token).await {
            Ok(_) => true,
            Err(e) if e.status == StatusCode::UNAUTHORIZED => false,
            Err(_) => {
                return login_form(
                    "The store cannot be reached; try again shortly.",
                    StatusCode::SERVICE_UNAVAILABLE,
                );
            }
        };
    if !valid {
        return login_form("That token is not valid.", StatusCode::UNAUTHORIZED);
    }
    (
        [(
            header::SET_COOKIE,
            format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"),
        )],
        Redirect::to(next_page(&f.next)),
    )
        .into_response()
}

async fn logout() -> Response {
    (
        [(
            header::SET_COOKIE,
            format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
        )],
        Redirect::to("/login"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_pages_follow_a_sign_in() {
        assert_eq!(next_page("/ui/scans/3"), "/ui/scans/3");
        assert_eq!(next_page("//evil.example/"), "/");
        assert_eq!(next_page("https://evil.example/"), "/");
        assert_eq!(next_page("/\\evil"), "/");
        assert_eq!(next_page(""), "/");
    }

    #[test]
    fn the_token_is_read_from_its_cookie() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; supplyscreen_token=sst_1_ab; b=2"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(cookie_token(&h).as_deref(), Some("sst_1_ab"));
    }
}
