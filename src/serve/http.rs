//! The HTTP side of `serve`: routes, static files from the output folder,
//! the status endpoint and the error overlay.
//!
//! Serves what is on disk and nothing else: it never builds, and must never
//! serve a file outside the output folder (no `..`, no symbolic link out).
//! tower-livereload (added in [`super::run`]) injects its reload script into
//! served HTML only, never into `build` output.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use tower_http::services::{ServeDir, ServeFile};

use super::{LiveStatus, Shared};

/// Where pages poll the generation and errors of the last rebuild.
const STATUS_PATH: &str = "/__briefly/status";

/// The HTTP routes: the status endpoint and the output folder.
pub(super) fn router(output: &Path, status: Shared) -> Router {
    let not_found = ServeFile::new(output.join("404.html"));
    let files = ServeDir::new(output)
        .append_index_html_on_directories(true)
        .not_found_service(not_found);
    Router::new()
        .route(
            STATUS_PATH,
            get({
                let status = Arc::clone(&status);
                move || async move { axum::Json(read_status(&status)) }
            }),
        )
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(status, overlay_errors))
        .layer(middleware::from_fn_with_state(
            output.to_path_buf(),
            stay_inside,
        ))
}

pub(super) fn read_status(status: &Shared) -> LiveStatus {
    status.read().map(|s| s.clone()).unwrap_or_default()
}

/// Refuses requests whose path would leave the output folder, including
/// through a symbolic link inside it (`ServeDir` already rejects `..`), and
/// answers 404 for paths the file system cannot hold.
async fn stay_inside(State(output): State<PathBuf>, request: Request, next: Next) -> Response {
    // Decoded as `ServeDir` does; a path that is not UTF-8 names no file of ours.
    let Ok(decoded) = percent_decode_str(request.uri().path()).decode_utf8() else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let candidate = output.join(rel);
    if !could_exist(&candidate, decoded.ends_with('/')) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if candidate.exists() {
        let inside = match (candidate.canonicalize(), output.canonicalize()) {
            (Ok(c), Ok(o)) => c.starts_with(o),
            _ => false,
        };
        if !inside {
            return StatusCode::NOT_FOUND.into_response();
        }
    }
    let mut response = next.run(request).await;
    // A preview must never show a cached page from before the last save.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether the file system can hold `path` (and, for a folder request, the
/// `index.html` that `ServeDir` appends to it): a name or a path too long,
/// or a file used as a folder, is no page, where `ServeDir` would answer 500.
fn could_exist(path: &Path, folder: bool) -> bool {
    let index = folder.then(|| path.join("index.html"));
    std::iter::once(path)
        .chain(index.as_deref())
        .all(|p| match p.symlink_metadata() {
            Ok(_) => true,
            Err(e) => e.kind() == io::ErrorKind::NotFound,
        })
}

/// Adds the error overlay to HTML pages while the last rebuild failed.
async fn overlay_errors(State(status): State<Shared>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let errors = read_status(&status).errors;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if errors.is_empty() || !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    let overlay = overlay_html(&errors);
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &overlay),
        None => html.push_str(&overlay),
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

fn overlay_html(errors: &[String]) -> String {
    let items: String = errors
        .iter()
        .map(|e| {
            format!(
                r#"<li><pre style="white-space:pre-wrap;overflow-wrap:anywhere;margin:0 0 .5rem">{}</pre></li>"#,
                crate::escape::escaped(e)
            )
        })
        .collect();
    format!(
        r#"<div id="briefly-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0b0e;color:#ffe3e3;font:14px/1.45 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #e5484d;box-shadow:0 -8px 24px rgba(0,0,0,.35)"><button type="button" onclick="this.parentNode.remove()" aria-label="Hide these errors until the next rebuild" style="float:right;margin:0 0 .5rem .75rem;font:600 14px system-ui,sans-serif;color:inherit;background:transparent;border:1px solid currentColor;border-radius:4px;padding:.2rem .6rem;cursor:pointer">Hide</button><strong style="font:600 15px system-ui,sans-serif">briefly: the last rebuild failed ({n} error{s}); this is the last good version of the page.</strong><ul style="margin:.5rem 0 0;padding-left:1.2rem">{items}</ul></div>"#,
        n = errors.len(),
        s = if errors.len() == 1 { "" } else { "s" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the hand-written decoder this replaced did, kept.
    #[test]
    fn percent_decoding() {
        let decode = |p| {
            percent_decode_str(p)
                .decode_utf8()
                .ok()
                .map(|s| s.into_owned())
        };
        assert_eq!(decode("/a%2e%2e/b").as_deref(), Some("/a../b"));
        assert_eq!(decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(decode("/caf%C3%A9").as_deref(), Some("/café"));
        assert_eq!(decode("/bad%ff"), None);
        assert_eq!(decode("/trailing%2").as_deref(), Some("/trailing%2"));
    }

    #[test]
    fn names_too_long_cannot_exist() {
        let dir = std::env::temp_dir();
        assert!(could_exist(&dir.join("no-such-page"), true));
        assert!(!could_exist(&dir.join("a".repeat(300)), false));
        let deep = (0..20).fold(dir.clone(), |p, _| p.join("c".repeat(250)));
        assert!(!could_exist(&deep, true));
    }

    #[test]
    fn overlay_escapes_messages() {
        let html = overlay_html(&["a.md:1:1: error: <script>".into()]);
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("1 error)"));
    }

    /// Issue 16: long paths wrap at 390 px and the overlay can be hidden.
    #[test]
    fn overlay_wraps_and_can_be_dismissed() {
        let html = overlay_html(&[format!(
            "content/briefs/{}.md:1:1: error: x",
            "a".repeat(200)
        )]);
        assert!(html.contains("white-space:pre-wrap;overflow-wrap:anywhere"));
        assert!(html.contains(r#"<button type="button" onclick="this.parentNode.remove()""#));
    }
}
