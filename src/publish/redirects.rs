//! Redirects: the page that stands at a brief's old URL (`aliases:`) and
//! the `_redirects` file of Netlify and Cloudflare Pages.
//!
//! A static host cannot answer 301 by itself, so each old URL gets a small
//! page with `<meta http-equiv="refresh">` (browsers follow it at once) and
//! `rel=canonical` (search engines move the old URL's standing to the new
//! one); hosts that read `_redirects` answer a real 301 instead.

use std::fmt::Write as _;

use crate::escape::escaped;

/// One old URL and where it now lives.
pub(crate) struct Redirect<'a> {
    /// Root-relative old URL, percent-encoded (`/briefs/2019/05/x/`).
    pub(crate) from: String,
    /// Root-relative new URL (`/briefs/briefs/x/`).
    pub(crate) to: String,
    /// Absolute new URL when the site has one, else the root-relative one.
    pub(crate) canonical: String,
    /// The brief's title, for the page's text.
    pub(crate) title: &'a str,
}

/// The redirect page of one old URL.
pub(crate) fn page(r: &Redirect<'_>, language: &str) -> String {
    let to = escaped(&r.to);
    let title = escaped(r.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <title>{title}</title><link rel=\"canonical\" href=\"{}\">\
         <meta name=\"robots\" content=\"noindex\">\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\"></head>\
         <body><p>This brief has moved to <a href=\"{to}\">{title}</a>.</p></body></html>\n",
        escaped(language),
        escaped(&r.canonical),
    )
}

/// The `_redirects` file: one `from to 301` line per old URL, in the order given.
pub(crate) fn redirects_file(redirects: &[Redirect<'_>]) -> String {
    let mut out = String::from("# Old URLs of imported briefs (aliases:), written by briefly\n");
    for r in redirects {
        // The format splits on spaces; url_path leaves none unencoded.
        let _ = writeln!(
            out,
            "{} {} 301",
            r.from.replace(' ', "%20"),
            r.to.replace(' ', "%20")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_refreshes_to_the_brief_and_names_it_canonical() {
        let r = Redirect {
            from: "/2019/05/old/".into(),
            to: "/briefs/new/".into(),
            canonical: "https://example.org/briefs/new/".into(),
            title: "A & B",
        };
        let html = page(&r, "en");
        assert!(html.contains(r#"<meta http-equiv="refresh" content="0; url=/briefs/new/">"#));
        assert!(html.contains(r#"<link rel="canonical" href="https://example.org/briefs/new/">"#));
        assert!(html.contains("A &amp; B"));
        assert_eq!(
            redirects_file(&[r]).lines().nth(1),
            Some("/2019/05/old/ /briefs/new/ 301")
        );
    }
}
