//! Where each link of a brief body is written in the brief's Markdown, so
//! that `check` reports `content/briefs/x.md:LINE:COL` for the very
//! occurrence that is broken (not the first one with the same text).
//!
//! Reads the Markdown with pulldown-cmark's offsets: Markdown links and
//! images, and `href`/`src` in raw HTML (through [`super::html`]). The
//! rendered body's links are then matched to these in order, per URL.

use std::collections::HashMap;

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Options, Parser, Tag};

use super::html;

/// Byte offsets (in the whole file) of every link the body writes, by URL
/// (percent-decoded, as the rendered page and the source may encode
/// differently), in order of appearance.
#[derive(Debug, Default)]
pub(super) struct SourceLinks {
    by_url: HashMap<String, Vec<usize>>,
    /// How many occurrences of each URL have been matched so far.
    used: HashMap<String, usize>,
}

impl SourceLinks {
    /// Reads the links of `body`, which starts at `body_offset` in its file.
    pub(super) fn parse(body: &str, body_offset: usize) -> SourceLinks {
        let mut links = SourceLinks::default();
        // The options only need to agree with the renderer on what is a link.
        let options = Options::ENABLE_FOOTNOTES
            | Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_HEADING_ATTRIBUTES;
        for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
            match event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    // Point at the destination when it is written inline,
                    // at the link text for reference links.
                    let written = body.get(range.clone()).unwrap_or_default();
                    let at = written
                        .rfind(&format!("({dest_url}"))
                        .map(|i| i + 1)
                        .or_else(|| written.rfind(dest_url.as_ref()))
                        .map_or(range.start, |i| range.start + i);
                    links.add(&dest_url, body_offset + at);
                }
                // A whole HTML block at once: a tag may span several lines.
                Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => {
                    let fragment = body.get(range.clone()).unwrap_or_default();
                    for (at, url) in html::scan(fragment).links {
                        links.add(&url, body_offset + range.start + at);
                    }
                }
                _ => {}
            }
        }
        links
    }

    fn add(&mut self, url: &str, at: usize) {
        self.by_url.entry(decoded(url)).or_default().push(at);
    }

    /// The offset of the next unmatched occurrence of `url`; `None` for
    /// links the renderer made (footnotes, citations) or an occurrence
    /// past the last one written.
    pub(super) fn next(&mut self, url: &str) -> Option<usize> {
        let key = decoded(url);
        let offsets = self.by_url.get(&key)?;
        let used = self.used.entry(key).or_default();
        let at = offsets.get(*used).or(offsets.last()).copied();
        *used += 1;
        at
    }
}

fn decoded(url: &str) -> String {
    percent_decode_str(url).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_occurrence_has_its_own_offset() {
        let body = "[a](/x/)\n[b](/x/)\n\n<a href=\"/x/\">c</a>\n\n[r][ref]\n\n[ref]: /y/\n";
        let mut links = SourceLinks::parse(body, 100);
        assert_eq!(links.next("/x/"), Some(104));
        assert_eq!(links.next("/x/"), Some(113));
        assert_eq!(
            links.next("/x/"),
            Some(100 + body.find("/x/\">").unwrap_or(0))
        );
        assert_eq!(links.next("/y/"), Some(100 + body.find("[r]").unwrap_or(0)));
        assert_eq!(links.next("#fn-1"), None);
    }

    #[test]
    fn code_and_shortcode_text_are_not_links() {
        let body = "`<a href=\"/code/\">`\n\n```\n<a href=\"/block/\">\n```\n\n{{< figure src=\"/x.png\" >}}\n";
        let links = SourceLinks::parse(body, 0);
        assert!(links.by_url.is_empty(), "{:?}", links.by_url);
    }

    #[test]
    fn encodings_agree() {
        let mut links = SourceLinks::parse("[a](/actors/حسن/)", 0);
        assert_eq!(links.next("/actors/%D8%AD%D8%B3%D9%86/"), Some(4));
    }
}
