//! The built console, served by `kyros serve` itself so that a self-hosted Kyros is one process
//! on one port. The files of `frontend/dist` are embedded in release builds (a debug build reads
//! them from that folder instead, so `npm run build` shows up without recompiling); a build made
//! before the console was built simply serves no console.
//!
//! The API keeps its paths at the root. A browser navigation (an HTML page load) to any path
//! that is not a console file and not one of the API's browser-facing documents gets the
//! console's `index.html`, whose router shows the page; every other request reaches the API.
//! The console's own API calls never ask for HTML, so the two never meet.

use std::sync::Arc;

use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use rust_embed::Embed;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;

#[derive(Embed)]
#[folder = "../../../frontend/dist/"]
#[allow_missing = true]
struct Assets;

const INDEX: &str = "index.html";

/// Vite names everything under `assets/` by its content hash, so it never changes.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// The page and the unhashed files are checked again on every load (cheap: an ETag answer).
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The console is a same-origin page: its scripts, styles and API calls come from this server.
/// Inline `style` attributes are allowed because the charts and toasts position themselves with
/// them; images may come from anywhere over HTTPS (pictures in a pasted article's preview, and
/// connected accounts' avatars, served by each network's CDN or by any Mastodon instance). It
/// may also call `connect_src` (`CONSOLE_CONNECT_SRC`): the hosts of its error reports and
/// analytics, when the build sends them.
fn content_security_policy(connect_src: &[String]) -> HeaderValue {
    let connect_src: String = connect_src.iter().map(|origin| format!(" {origin}")).collect();
    HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: https:; font-src 'self'; connect-src 'self'{connect_src}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ))
    // Origins come from the configuration, which admits only URLs' ASCII origins.
    .expect("origins are valid header text")
}

/// Paths the API serves to browsers itself: the API reference, the calendar feed and the
/// health and metrics documents.
const API_DOCUMENTS: [&str; 6] =
    ["/docs", "/openapi.json", "/schedule.ics", "/healthz", "/readyz", "/metrics"];

/// Whether this build carries a console to serve.
pub fn is_built() -> bool {
    Assets::get(INDEX).is_some()
}

/// Puts the console in front of `api`: console files and page loads are answered here, the rest
/// goes on to the API. The page may call this server and the `connect_src` origins.
pub fn in_front_of(api: Router, connect_src: &[String]) -> Router {
    let policy = content_security_policy(connect_src);
    let files = Arc::new(
        Router::new()
            .fallback(move |request: Request| serve_file(request, policy.clone()))
            .layer(CompressionLayer::new()),
    );
    api.layer(middleware::from_fn_with_state(files, route))
}

async fn route(State(files): State<Arc<Router>>, request: Request, next: Next) -> Response {
    if wants_console(request.method(), request.uri().path(), request.headers()) {
        match files.as_ref().clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    } else {
        next.run(request).await
    }
}

fn wants_console(method: &Method, path: &str, headers: &HeaderMap) -> bool {
    if method != Method::GET && method != Method::HEAD {
        return false;
    }
    if asset_name(path).is_some_and(|name| Assets::get(name).is_some()) {
        return true;
    }
    is_page_load(headers)
        && !API_DOCUMENTS.iter().any(|doc| path == *doc || path.starts_with(&format!("{doc}/")))
}

/// A browser loading a page: `Sec-Fetch-Mode: navigate`, or (older clients) an `Accept` header
/// that names HTML. The console's `fetch` calls and calendar apps send neither.
fn is_page_load(headers: &HeaderMap) -> bool {
    let header = |name| headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default();
    header(header::HeaderName::from_static("sec-fetch-mode")) == "navigate"
        || header(header::ACCEPT).split(',').any(|range| range.trim().starts_with("text/html"))
}

/// The embedded file a path names, if it names one at all: `/`, folders, hidden files (the
/// build's `.vite/manifest.json`), source maps (kept for the error reports, not for visitors)
/// and anything climbing out of the folder do not.
fn asset_name(path: &str) -> Option<&str> {
    let name = path.strip_prefix('/')?;
    let plain = name.split('/').all(|segment| !segment.is_empty() && !segment.starts_with('.'));
    (plain && !name.contains('\\') && !name.ends_with(".map")).then_some(name)
}

async fn serve_file(request: Request, policy: HeaderValue) -> Response {
    let path = request.uri().path();
    let (name, file) = match asset_name(path).and_then(|name| Some((name, Assets::get(name)?))) {
        Some(found) => found,
        None => match Assets::get(INDEX) {
            Some(index) => (INDEX, index),
            None => return StatusCode::NOT_FOUND.into_response(),
        },
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()));
    let cache = if name.starts_with("assets/") { IMMUTABLE } else { REVALIDATE };
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, cache);
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if request.headers().get(header::IF_NONE_MATCH).is_some_and(|sent| sent.as_bytes() == etag.as_bytes()) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    if let Ok(value) = HeaderValue::from_str(file.metadata.mimetype()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if name == INDEX {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        headers.insert(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        );
    }
    (headers, Body::from(file.data.into_owned())).into_response()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (header::HeaderName::from_static(name), HeaderValue::from_static(value)))
            .collect()
    }

    #[test]
    fn page_loads_are_told_from_api_calls() {
        let navigation = headers(&[("sec-fetch-mode", "navigate"), ("accept", "*/*")]);
        let old_browser = headers(&[("accept", "text/html,application/xhtml+xml,*/*;q=0.8")]);
        let fetch = headers(&[("sec-fetch-mode", "cors"), ("accept", "application/json")]);
        let calendar = headers(&[("accept", "text/calendar")]);
        assert!(is_page_load(&navigation));
        assert!(is_page_load(&old_browser));
        assert!(!is_page_load(&fetch));
        assert!(!is_page_load(&calendar));
        assert!(!is_page_load(&HeaderMap::new()));
    }

    #[test]
    fn the_api_keeps_its_methods_and_browser_documents() {
        let navigation = headers(&[("sec-fetch-mode", "navigate")]);
        assert!(!wants_console(&Method::POST, "/jobs", &navigation));
        for path in ["/docs", "/docs/index.html", "/openapi.json", "/schedule.ics", "/healthz"] {
            assert!(!wants_console(&Method::GET, path, &navigation), "{path}");
        }
        assert!(!wants_console(&Method::GET, "/jobs", &headers(&[("accept", "application/json")])));
    }

    #[test]
    fn asset_names_are_file_paths_only() {
        assert_eq!(asset_name("/assets/index-3f2a.js"), Some("assets/index-3f2a.js"));
        assert_eq!(asset_name("/"), None);
        assert_eq!(asset_name("/assets/"), None);
        assert_eq!(asset_name("relative"), None);
        assert_eq!(asset_name("/assets/../../Cargo.toml"), None);
        assert_eq!(asset_name("/..\\Cargo.toml"), None);
        assert_eq!(asset_name("/.vite/manifest.json"), None);
        assert_eq!(asset_name("/assets/index-3f2a.js.map"), None);
    }

    #[test]
    fn the_page_may_call_this_server_and_the_configured_origins_only() {
        let own = content_security_policy(&[]);
        assert!(own.to_str().unwrap().contains("connect-src 'self';"), "{own:?}");
        let policy = content_security_policy(&[
            "https://o1.ingest.sentry.io".to_owned(),
            "https://eu.i.posthog.com".to_owned(),
        ]);
        let policy = policy.to_str().unwrap();
        assert!(
            policy.contains("connect-src 'self' https://o1.ingest.sentry.io https://eu.i.posthog.com;"),
            "{policy}"
        );
        assert!(policy.contains("script-src 'self';"), "{policy}");
    }
}
