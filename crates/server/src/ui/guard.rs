//! Cross-site request refusal and framing policy for the UI: a form post is
//! taken only when the browser says it came from this origin
//! (`Sec-Fetch-Site: same-origin`, or an `Origin` naming the `Host`), and
//! every UI answer forbids framing and loads nothing from elsewhere.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::html;

/// The policy sent with every UI answer.
pub const CSP: &str = "default-src 'self'; frame-ancestors 'none'; form-action 'self'";

/// Whether a request may change state: reads always, posts only from this origin.
pub fn same_origin(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD) {
        return true;
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return site == "same-origin";
    }
    match (text("origin"), text("host")) {
        (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(scheme, rest)| {
            matches!(scheme, "http" | "https") && rest.eq_ignore_ascii_case(host)
        }),
        _ => false,
    }
}

/// Refuses cross-site posts with 403 and adds the framing policy.
pub async fn guard(req: Request, next: Next) -> Response {
    let mut res = if same_origin(req.method(), req.headers()) {
        next.run(req).await
    } else {
        let body = "<h2>Refused</h2><p class=\"msg\">This form was not sent from a page \
                    of this server, so it was not acted on.</p>";
        (
            StatusCode::FORBIDDEN,
            Html(html::page("Refused", None, body)),
        )
            .into_response()
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_same_origin_posts_pass() {
        let post = Method::POST;
        assert!(same_origin(&Method::GET, &headers(&[])));
        assert!(!same_origin(&post, &headers(&[])));
        assert!(same_origin(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(!same_origin(
            &post,
            &headers(&[
                ("sec-fetch-site", "cross-site"),
                ("origin", "http://a:1"),
                ("host", "a:1")
            ])
        ));
        assert!(!same_origin(
            &post,
            &headers(&[("sec-fetch-site", "same-site")])
        ));
        assert!(same_origin(
            &post,
            &headers(&[
                ("origin", "https://screen.example:8080"),
                ("host", "screen.example:8080")
            ])
        ));
        assert!(!same_origin(
            &post,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "screen.example")
            ])
        ));
        assert!(!same_origin(
            &post,
            &headers(&[("origin", "null"), ("host", "screen.example")])
        ));
    }
}
