//! Raw HTML in brief bodies: the policy (`raw_html:` and `embed_hosts:` in
//! `site.yaml`) and the sanitiser that applies it.
//!
//! Why sanitise at all: a brief is published on the institute's own domain,
//! so a script in it runs with that domain's cookies and reputation. A
//! compromised author account or an embed code pasted from a third party
//! must not be able to do that. By default ([`RawHtmlMode::Sanitize`]) raw
//! HTML keeps what briefs use (tables, figures, `<details>`, `<sup>`/`<sub>`,
//! ids and anchors, iframes from the allowed embed hosts) and loses scripts,
//! event handlers and `javascript:` URLs; each removal is a warning, not an
//! error, so migrated archives still build. `raw_html: trusted` turns it off.
//!
//! Security rests on ammonia (html5ever's parser, an allow-list); the small
//! scanner here only finds what to *report*, never decides what is kept.
//! Only raw fragments go through it, never the HTML we generate ourselves.

use std::collections::HashSet;
use std::path::Path;

use serde_saphyr::Spanned;

use crate::content::frontmatter::file_position;
use crate::diagnostic::Diagnostic;

/// Embed hosts allowed when `embed_hosts:` is not set: video, maps and the
/// two chart services think tanks use most. An entry may carry a path
/// prefix (`www.google.com/maps`).
pub(crate) const DEFAULT_EMBED_HOSTS: &[&str] = &[
    "www.youtube-nocookie.com",
    "player.vimeo.com",
    "www.google.com/maps",
    "datawrapper.dwcdn.net",
    "flo.uri.sh",
];

/// Whether raw HTML in bodies is sanitised or passed through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtmlMode {
    /// Keep a safe subset; report what was removed (the default).
    Sanitize,
    /// Pass raw HTML through untouched (every author is trusted).
    Trusted,
}

/// `raw_html:` and `embed_hosts:` resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlPolicy {
    /// Sanitise or trust.
    pub mode: RawHtmlMode,
    /// Hosts (with an optional path prefix) whose `https://` iframes are kept.
    pub embed_hosts: Vec<String>,
}

impl Default for HtmlPolicy {
    fn default() -> Self {
        HtmlPolicy {
            mode: RawHtmlMode::Sanitize,
            embed_hosts: DEFAULT_EMBED_HOSTS.iter().map(|h| h.to_string()).collect(),
        }
    }
}

impl HtmlPolicy {
    /// The policy from the two `site.yaml` keys; a bad `raw_html:` is
    /// reported and the default (sanitise) used.
    pub(crate) fn from_raw(
        path: &Path,
        raw_html: Option<Spanned<String>>,
        embed_hosts: Option<Vec<String>>,
        errors: &mut Vec<Diagnostic>,
    ) -> HtmlPolicy {
        let mut policy = HtmlPolicy::default();
        if let Some(hosts) = embed_hosts {
            policy.embed_hosts = hosts
                .iter()
                .map(|h| h.trim().trim_start_matches("https://").to_lowercase())
                .filter(|h| !h.is_empty())
                .collect();
        }
        match raw_html.as_ref().map(|r| r.value.as_str()) {
            None | Some("sanitize") => {}
            Some("trusted") => policy.mode = RawHtmlMode::Trusted,
            Some(other) => {
                let at = raw_html
                    .as_ref()
                    .map_or((1, 1), |r| file_position(0, &r.referenced));
                errors.push(
                    Diagnostic::error(path, at.0, at.1, format!("`raw_html: {other}` is not a choice"))
                        .with_hint("use `sanitize` (the default: scripts, event handlers and javascript: URLs are removed) or `trusted` (raw HTML is published as written)"),
                );
            }
        }
        policy
    }
}

/// Something the sanitiser removed, at a byte offset in the fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removed {
    /// Offset of the tag in the fragment.
    pub(crate) offset: usize,
    /// What it was, for the warning (`<script>`, "event handler `onerror`").
    pub(crate) what: String,
}

/// The policy, ready to apply: built once per build and shared by the
/// threads that validate briefs.
pub(crate) struct Sanitizer {
    mode: RawHtmlMode,
    hosts: Vec<String>,
    /// Iframes allowed (their `src` still filtered by host).
    with_iframes: ammonia::Builder<'static>,
    /// Iframes removed with their content: for fragments with an iframe from
    /// a host not on the list, so no empty frame is left behind.
    without_iframes: ammonia::Builder<'static>,
    allowed: HashSet<&'static str>,
}

/// Elements removed together with their content, not just their tags.
const REMOVED_WITH_CONTENT: &[&str] = &[
    "script", "style", "object", "embed", "applet", "svg", "math", "frame", "frameset", "template",
];

/// Elements whose removal is reported (the others lose only their tag).
const REPORTED: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "applet", "svg", "math", "form", "input",
    "button", "base", "meta", "link", "frame", "frameset", "template",
];

impl Sanitizer {
    /// The sanitiser for `policy`.
    pub(crate) fn new(policy: &HtmlPolicy) -> Sanitizer {
        let hosts = policy.embed_hosts.clone();
        let mut with_iframes = builder();
        with_iframes.add_tags(["iframe"]).add_tag_attributes(
            "iframe",
            [
                "src",
                "width",
                "height",
                "title",
                "allow",
                "allowfullscreen",
                "frameborder",
                "loading",
                "referrerpolicy",
            ],
        );
        let filter_hosts = hosts.clone();
        // The last word on iframes: a `src` that is not https on an allowed host goes.
        with_iframes.attribute_filter(move |element, attribute, value| {
            if element == "iframe" && attribute == "src" && !embed_allowed(&filter_hosts, value) {
                return None;
            }
            Some(value.into())
        });
        let mut without_iframes = builder();
        without_iframes.add_clean_content_tags(["iframe"]);
        let allowed = with_iframes.clone_tags();
        Sanitizer {
            mode: policy.mode,
            hosts,
            with_iframes,
            without_iframes,
            allowed,
        }
    }

    /// Whether raw HTML is published as written.
    pub(crate) fn trusted(&self) -> bool {
        self.mode == RawHtmlMode::Trusted
    }

    /// A raw fragment made safe, and what was removed from it. A fragment
    /// may be one tag of an element that Markdown text continues (`<sup>`,
    /// `<details>`): the end tags the parser adds are taken off again, and a
    /// lone allowed end tag is kept.
    pub(crate) fn clean(&self, html: &str) -> (String, Vec<Removed>) {
        let removed = self.scan(html);
        let (lead, rest) = leading_end_tags(html, &self.allowed);
        let iframes_ok = removed.iter().all(|r| !r.what.starts_with("<iframe>"));
        let builder = if iframes_ok {
            &self.with_iframes
        } else {
            &self.without_iframes
        };
        let cleaned = if rest.trim().is_empty() {
            rest.to_string()
        } else {
            builder.clean(rest).to_string()
        };
        (
            format!("{lead}{}", without_added_end_tags(rest, cleaned)),
            removed,
        )
    }

    /// What [`Sanitizer::clean`] will remove that a reader would miss or
    /// that was an attack: reported, not relied on.
    fn scan(&self, html: &str) -> Vec<Removed> {
        let mut removed = Vec::new();
        for tag in tags(html) {
            let name = tag.name.to_ascii_lowercase();
            if name == "iframe" {
                let src = tag.attr("src").unwrap_or_default();
                if !embed_allowed(&self.hosts, src) {
                    removed.push(Removed {
                        offset: tag.offset,
                        what: format!("<iframe> from `{src}` (not in `embed_hosts`)"),
                    });
                }
            } else if REPORTED.contains(&name.as_str()) {
                removed.push(Removed {
                    offset: tag.offset,
                    what: format!("<{name}>"),
                });
            }
            for (attr, value) in &tag.attrs {
                let attr = attr.to_ascii_lowercase();
                if attr.starts_with("on") {
                    removed.push(Removed {
                        offset: tag.offset,
                        what: format!("event handler `{attr}` on <{name}>"),
                    });
                } else if let Some(scheme) = dangerous_scheme(value) {
                    removed.push(Removed {
                        offset: tag.offset,
                        what: format!("`{scheme}:` URL in `{attr}` of <{name}>"),
                    });
                }
            }
        }
        removed
    }
}

/// The allow-list shared by both builders.
fn builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["tfoot", "section", "abbr", "cite", "caption"])
        .add_clean_content_tags(
            REMOVED_WITH_CONTENT
                .iter()
                .copied()
                .filter(|t| *t != "script" && *t != "style"),
        )
        .add_generic_attributes(["id", "class", "dir"])
        .add_tag_attributes("a", ["name", "title", "target"])
        .add_tag_attributes("img", ["title", "loading"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("ol", ["reversed", "type"])
        .add_tag_attributes("li", ["value"])
        .add_tag_attributes("time", ["datetime"]);
    b
}

/// `javascript:`, `vbscript:` or `data:` at the start of a URL, as a
/// browser reads it (case, whitespace and control characters ignored).
pub(crate) fn dangerous_scheme(url: &str) -> Option<&'static str> {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript", "vbscript", "data"]
        .into_iter()
        .find(|s| squeezed.starts_with(s) && squeezed[s.len()..].starts_with(':'))
}

/// Whether an iframe `src` is `https://` on one of `hosts` (an entry with a
/// path is a prefix: `www.google.com/maps` allows `/maps/embed?...`).
fn embed_allowed(hosts: &[String], src: &str) -> bool {
    let Some(rest) = src.trim().strip_prefix("https://") else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(end);
    let host = host.to_ascii_lowercase();
    hosts.iter().any(|entry| match entry.split_once('/') {
        None => host == *entry,
        Some((h, prefix)) => {
            host == h
                && path
                    .strip_prefix('/')
                    .and_then(|p| p.strip_prefix(prefix))
                    .is_some_and(|after| after.is_empty() || after.starts_with(['/', '?', '#']))
        }
    })
}

/// End tags of allowed elements at the start of a fragment (an element
/// opened in an earlier fragment closes here), and the rest.
fn leading_end_tags<'h>(html: &'h str, allowed: &HashSet<&str>) -> (String, &'h str) {
    let mut kept = String::new();
    let mut rest = html;
    loop {
        let trimmed = rest.trim_start();
        let Some(after) = trimmed.strip_prefix("</") else {
            break;
        };
        let Some(end) = after.find('>') else { break };
        let name = after[..end].trim().to_ascii_lowercase();
        if !name.bytes().all(|b| b.is_ascii_alphanumeric()) || name.is_empty() {
            break;
        }
        if allowed.contains(name.as_str()) {
            kept.push_str(&format!("</{name}>"));
        }
        rest = &after[end + 1..];
    }
    (kept, rest)
}

/// `cleaned` without the end tags the HTML parser added at its end for
/// elements the fragment left open.
fn without_added_end_tags(input: &str, mut cleaned: String) -> String {
    let lower = input.to_ascii_lowercase();
    while let Some(start) = cleaned.rfind("</") {
        if !cleaned.ends_with('>') {
            break;
        }
        let name = cleaned[start + 2..cleaned.len() - 1].to_string();
        let closer = format!("</{name}");
        if cleaned.matches(&format!("</{name}>")).count() > lower.matches(&closer).count() {
            cleaned.truncate(start);
        } else {
            break;
        }
    }
    cleaned
}

/// A start tag found by [`tags`].
struct TagSeen<'h> {
    offset: usize,
    name: &'h str,
    attrs: Vec<(&'h str, &'h str)>,
}

impl TagSeen<'_> {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// The start tags of a fragment with their attributes: a forgiving reader
/// for diagnostics only (see the module comment).
fn tags(html: &str) -> Vec<TagSeen<'_>> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        i = lt + 1;
        let name_len = html[i..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if name_len == 0 || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let name = &html[i..i + name_len];
        i += name_len;
        let mut attrs = Vec::new();
        loop {
            i += html[i..]
                .bytes()
                .take_while(|b| b.is_ascii_whitespace() || *b == b'/')
                .count();
            if i >= html.len() || bytes[i] == b'>' {
                break;
            }
            let attr_len = html[i..]
                .bytes()
                .take_while(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
                .count()
                .max(1);
            let attr = &html[i..i + attr_len];
            i += attr_len;
            let mut value = "";
            if html[i..].starts_with('=') {
                i += 1;
                let (v, used) = attr_value(&html[i..]);
                value = v;
                i += used;
            }
            attrs.push((attr, value));
        }
        found.push(TagSeen {
            offset: lt,
            name,
            attrs,
        });
    }
    found
}

/// An attribute value (quoted or not) and the bytes it used.
fn attr_value(s: &str) -> (&str, usize) {
    match s.chars().next() {
        Some(q @ ('"' | '\'')) => match s[1..].find(q) {
            Some(end) => (&s[1..1 + end], end + 2),
            None => (&s[1..], s.len()),
        },
        _ => {
            let end = s
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(s.len());
            (&s[..end], end)
        }
    }
}

/// Width and height of an SVG from the start of its text: the root's
/// `width`/`height` in pixels (or without unit), else its `viewBox`.
pub(crate) fn svg_size(text: &str) -> Option<(u32, u32)> {
    let root = tags(text)
        .into_iter()
        .find(|t| t.name.eq_ignore_ascii_case("svg"))?;
    let px = |v: &str| -> Option<u32> {
        let n: f64 = v.trim().trim_end_matches("px").parse().ok()?;
        (n > 0.0 && n < 100_000.0).then(|| n.round() as u32)
    };
    if let (Some(w), Some(h)) = (
        root.attr("width").and_then(px),
        root.attr("height").and_then(px),
    ) {
        return Some((w, h));
    }
    let view: Vec<&str> = root
        .attr("viewBox")?
        .split([' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    match view.as_slice() {
        [_, _, w, h] => Some((px(w)?, px(h)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sanitizer() -> Sanitizer {
        Sanitizer::new(&HtmlPolicy::default())
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_go_and_are_reported() {
        let s = sanitizer();
        let (html, removed) = s.clean("<p onclick=\"x()\">Hi<script>alert(1)</script> <a href=\"JaVa\tscript:alert(1)\">x</a></p>\n");
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        assert!(html.contains("<p>Hi"), "{html}");
        let whats: Vec<&str> = removed.iter().map(|r| r.what.as_str()).collect();
        assert_eq!(removed.len(), 3, "{whats:?}");
        assert!(
            whats[0].contains("onclick")
                && whats[1] == "<script>"
                && whats[2].contains("javascript:")
        );
        let (img, removed) = s.clean("<img src=x onerror=alert(1)>");
        assert_eq!(img, "<img src=\"x\">");
        assert_eq!(removed.len(), 1);
    }

    #[test]
    fn briefs_keep_tables_figures_details_anchors_and_allowed_embeds() {
        let s = sanitizer();
        for kept in [
            "<table><thead><tr><th colspan=\"2\">a</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
            "<figure id=\"f1\"><img src=\"chart.png\" alt=\"c\"><figcaption>Chart</figcaption></figure>",
            "<details open=\"\"><summary>More</summary>x<sup>2</sup>H<sub>2</sub>O</details>",
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" width=\"560\" height=\"315\"></iframe>",
            "<iframe src=\"https://www.google.com/maps/embed?pb=1\"></iframe>",
        ] {
            let (html, removed) = s.clean(kept);
            assert_eq!(html, kept);
            assert!(removed.is_empty(), "{kept}: {removed:?}");
        }
        // Links get rel="noopener noreferrer"; anchors keep their name and id.
        let (a, _) = s.clean("<a name=\"top\" id=\"top\"></a>");
        assert!(a.starts_with("<a name=\"top\" id=\"top\""), "{a}");
    }

    #[test]
    fn iframes_from_other_hosts_go_entirely() {
        let s = sanitizer();
        for src in [
            "https://evil.example/x",
            "http://www.youtube-nocookie.com/embed/x",
            "https://www.google.com/mapsfake",
            "https://www.google.com/search",
        ] {
            let (html, removed) =
                s.clean(&format!("<p>a<iframe src=\"{src}\">fallback</iframe></p>"));
            assert_eq!(html, "<p>a</p>", "{src}");
            assert!(removed[0].what.contains("embed_hosts"), "{src}");
        }
    }

    #[test]
    fn split_elements_stay_open_or_closed_across_fragments() {
        let s = sanitizer();
        assert_eq!(
            s.clean("<details>\n<summary>More</summary>\n").0,
            "<details>\n<summary>More</summary>\n"
        );
        assert_eq!(s.clean("</details>\n").0, "</details>\n");
        assert_eq!(s.clean("<sup>").0, "<sup>");
        assert_eq!(s.clean("</sup>").0, "</sup>");
        assert_eq!(s.clean("</script>").0, "");
        assert_eq!(
            s.clean("<a href=\"/x\">").0,
            "<a href=\"/x\" rel=\"noopener noreferrer\">"
        );
    }

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg_size("<?xml?><svg xmlns=\"x\" width=\"120px\" height=\"80\">"),
            Some((120, 80))
        );
        assert_eq!(
            svg_size("<svg viewBox=\"0 0 300 150\" width=\"100%\">"),
            Some((300, 150))
        );
        assert_eq!(svg_size("<svg>"), None);
    }

    #[test]
    fn policy_from_site_yaml() {
        let mut errors = Vec::new();
        let p = HtmlPolicy::from_raw(
            Path::new("site.yaml"),
            None,
            Some(vec!["https://Example.org ".into()]),
            &mut errors,
        );
        assert_eq!(
            (p.mode, p.embed_hosts),
            (RawHtmlMode::Sanitize, vec!["example.org".to_string()])
        );
        assert!(errors.is_empty());
        assert!(embed_allowed(
            &["example.org".into()],
            "https://example.org/v/1"
        ));
        assert!(!embed_allowed(
            &["example.org".into()],
            "https://example.org.evil.net/"
        ));
    }
}
