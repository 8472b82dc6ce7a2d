//! `aliases:`: the old URLs of a brief (from the site it was imported from),
//! each checked here and published later as a redirect page.
//!
//! Accepts a path (`/2019/05/old-post/`, `news/item.html`) or a whole URL
//! (`https://old.example.org/a/b/`, of which only the path is kept), and
//! stores it decoded, relative to the base URL, so that the redirect file is
//! written where a web server looks for that URL.

use serde_saphyr::Spanned;

use super::brief::BriefBuilder;
use crate::content::model::Alias;

impl BriefBuilder<'_> {
    /// Checks each alias, reporting the bad ones at their line.
    pub(super) fn aliases(&mut self, values: Vec<Spanned<String>>) -> Vec<Alias> {
        let mut out: Vec<Alias> = Vec::with_capacity(values.len());
        for v in values {
            match alias_path(&v.value) {
                Ok(path) => {
                    if !out.iter().any(|a| a.path == path) {
                        out.push(Alias {
                            path,
                            at: self.at(&v),
                        });
                    }
                }
                Err(why) => self.error_at(
                    &v,
                    format!("alias `{}` {why}", v.value),
                    Some(
                        "write the old URL's path, e.g. `/2019/05/old-post/` or `/news/item.html`"
                            .into(),
                    ),
                ),
            }
        }
        out
    }
}

/// The alias as a path under the base URL (no leading `/`, decoded), or why
/// it cannot be one.
pub(crate) fn alias_path(written: &str) -> Result<String, &'static str> {
    let trimmed = written.trim();
    let path = match trimmed.split_once("://") {
        Some((scheme, rest)) if scheme == "http" || scheme == "https" => {
            rest.find('/').map_or("/", |i| &rest[i..])
        }
        Some(_) => return Err("is a URL of another kind than http(s)"),
        None => trimmed,
    };
    if path.contains(['?', '#']) {
        return Err("has a query or fragment, which a static redirect page cannot match");
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| "is percent-encoded but not UTF-8")?;
    let relative = decoded.trim_start_matches('/');
    if relative.is_empty() {
        return Err("is the site's home page");
    }
    let mut segments = relative.split('/').peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        let bad = matches!(segment, "." | "..")
            || segment.contains(['\\', '\0'])
            || segment.chars().any(char::is_control)
            || (segment.is_empty() && !last);
        if bad {
            return Err("is not a plain path (empty, `.` or `..` segments, backslashes)");
        }
    }
    Ok(relative.to_string())
}

#[cfg(test)]
mod tests {
    use super::alias_path;

    #[test]
    fn paths_and_urls_become_relative_decoded_paths() {
        assert_eq!(alias_path("/2019/05/x/").as_deref(), Ok("2019/05/x/"));
        assert_eq!(
            alias_path("news/item.html").as_deref(),
            Ok("news/item.html")
        );
        assert_eq!(
            alias_path("https://old.example.org/a/b/").as_deref(),
            Ok("a/b/")
        );
        assert_eq!(
            alias_path("/%D8%B3%D9%84%D8%A7%D9%85/").as_deref(),
            Ok("سلام/")
        );
    }

    #[test]
    fn paths_that_escape_or_match_nothing_are_refused() {
        for bad in [
            "/",
            "",
            "/a/../b/",
            "/a//b/",
            "/a?p=1",
            "ftp://x/y",
            "/a\\b",
        ] {
            assert!(alias_path(bad).is_err(), "{bad}");
        }
    }
}
