//! Titles and summaries as archives write them: inline Markdown
//! (`*Search.gov*`), HTML entities (`CDC&#8217;s`, `&mdash;`) and straight
//! quotes. One parse gives both forms a page needs: inline HTML for visible
//! headings and plain text for `<title>`, meta tags, JSON-LD, citations and
//! feeds. Punctuation is made smart as in bodies.
//!
//! Only inline Markdown counts: a title that starts like a block (`1. `,
//! `# `, `- `, `> `) stays text, and links keep only their text (a title is
//! itself a link on listings). Raw HTML in a title is kept only for a few
//! attribute-free inline tags (`<em>`, `<i>`, `<strong>`, `<b>`, `<sub>`,
//! `<sup>`); any other tag is dropped from both forms, never passed through.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A title or summary in its two forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inline {
    /// Inline HTML, safe to print unescaped.
    pub(crate) html: String,
    /// Plain text: entities decoded, tags and Markdown marks removed.
    pub(crate) plain: String,
}

/// Inline tags a title may carry as raw HTML.
const KEPT_TAGS: &[&str] = &["em", "i", "strong", "b", "sub", "sup"];

/// Parses `text` as one line of inline Markdown.
pub(crate) fn inline(text: &str) -> Inline {
    let source = escape_block_start(text.trim());
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let mut out = Inline {
        html: String::with_capacity(source.len() + 16),
        plain: String::with_capacity(source.len()),
    };
    let mut open_raw: Vec<String> = Vec::new();
    for event in Parser::new_ext(&source, options) {
        push_event(&mut out, &mut open_raw, event);
    }
    // Raw tags left open are closed, so the title never leaks into the page.
    while let Some(name) = open_raw.pop() {
        out.html.push_str(&format!("</{name}>"));
    }
    out.plain = out.plain.replace(SENTINEL, "").trim().to_string();
    out.html = out.html.replace(SENTINEL, "").trim().to_string();
    out
}

/// Whether `text` needs [`inline`] at all: plain words with no Markdown
/// mark, entity, tag or straight quote come out unchanged, so most titles
/// skip the parser.
pub(crate) fn is_plain(text: &str) -> bool {
    !text.bytes().any(|b| {
        matches!(
            b,
            b'*' | b'_'
                | b'`'
                | b'&'
                | b'<'
                | b'>'
                | b'['
                | b'!'
                | b'\\'
                | b'~'
                | b'"'
                | b'\''
                | b'-'
                | b'.'
                | b'\n'
                | b'#'
        )
    }) && text.trim() == text
}

fn push_event(out: &mut Inline, open_raw: &mut Vec<String>, event: Event<'_>) {
    match event {
        Event::Text(t) => {
            escape_into(&mut out.html, &t);
            out.plain.push_str(&t);
        }
        Event::Code(t) => {
            out.html.push_str("<code>");
            escape_into(&mut out.html, &t);
            out.html.push_str("</code>");
            out.plain.push_str(&t);
        }
        Event::SoftBreak | Event::HardBreak => {
            out.html.push(' ');
            out.plain.push(' ');
        }
        Event::InlineHtml(tag) | Event::Html(tag) => match kept_tag(&tag) {
            Some((false, name)) => {
                out.html.push_str(&format!("<{name}>"));
                open_raw.push(name);
            }
            // A closing tag only closes what a kept tag opened.
            Some((true, name)) if open_raw.last() == Some(&name) => {
                out.html.push_str(&format!("</{name}>"));
                open_raw.pop();
            }
            _ => {}
        },
        Event::Start(tag) => out.html.push_str(open_tag(&tag)),
        Event::End(tag) => out.html.push_str(close_tag(tag)),
        _ => {}
    }
}

fn open_tag(tag: &Tag<'_>) -> &'static str {
    match tag {
        Tag::Emphasis => "<em>",
        Tag::Strong => "<strong>",
        Tag::Strikethrough => "<del>",
        _ => "",
    }
}

fn close_tag(tag: TagEnd) -> &'static str {
    match tag {
        TagEnd::Emphasis => "</em>",
        TagEnd::Strong => "</strong>",
        TagEnd::Strikethrough => "</del>",
        _ => "",
    }
}

/// `(closing, name)` of `<em>`, `</em>` and the other kept tags, written
/// exactly so, without attributes.
fn kept_tag(raw: &str) -> Option<(bool, String)> {
    let inner = raw.trim().strip_prefix('<')?.strip_suffix('>')?;
    let (closing, name) = match inner.strip_prefix('/') {
        Some(name) => (true, name.trim()),
        None => (false, inner.trim()),
    };
    let name = name.to_ascii_lowercase();
    KEPT_TAGS
        .contains(&name.as_str())
        .then_some((closing, name))
}

/// Put before a title that starts with a tag, so that the tag is inline
/// HTML (kept or dropped like any other) and not an HTML block, which
/// Markdown would pass through whole; removed from the result.
const SENTINEL: char = '\u{E000}';

/// A backslash before a mark that would start a block (a heading, list,
/// quote or thematic break), or a sentinel before a starting tag, so the
/// text parses as one paragraph.
fn escape_block_start(text: &str) -> String {
    if text.starts_with('<') {
        return format!("{SENTINEL}{text}");
    }
    let bytes = text.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let followed_by_space = |i: usize| bytes.get(i).is_none_or(|b| b.is_ascii_whitespace());
    let starts_block = match bytes.first() {
        Some(b'#' | b'>') => true,
        Some(b'-' | b'+' | b'*' | b'=') => followed_by_space(1),
        _ => false,
    };
    let numbered = digits > 0
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && followed_by_space(digits + 1);
    let at = if starts_block {
        Some(0)
    } else if numbered {
        Some(digits)
    } else {
        None
    };
    match at {
        Some(i) => format!("{}\\{}", &text[..i], &text[i..]),
        None => text.to_string(),
    }
}

/// `text` escaped for HTML exactly as Tera's autoescape does (the same
/// function), so text that needs no parse looks the same either way.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(text: &str) -> (String, String) {
        let i = inline(text);
        (i.html, i.plain)
    }

    #[test]
    fn entities_are_decoded_and_quotes_made_smart() {
        assert_eq!(
            both("CDC&#8217;s new site &mdash; a review"),
            (
                "CDC\u{2019}s new site \u{2014} a review".into(),
                "CDC\u{2019}s new site \u{2014} a review".into()
            )
        );
        assert_eq!(
            both("Iran's \"red lines\"").1,
            "Iran\u{2019}s \u{201c}red lines\u{201d}"
        );
    }

    #[test]
    fn inline_markdown_is_html_on_pages_and_text_elsewhere() {
        assert_eq!(
            both("Why *Search.gov* moved to `https`"),
            (
                "Why <em>Search.gov</em> moved to <code>https</code>".into(),
                "Why Search.gov moved to https".into()
            )
        );
        assert_eq!(both("See [the report](https://x.org)").0, "See the report");
    }

    #[test]
    fn block_marks_stay_text() {
        assert_eq!(both("1. Introduction").1, "1. Introduction");
        assert_eq!(both("# hashtag diplomacy").1, "# hashtag diplomacy");
        assert_eq!(both("- dash").1, "- dash");
        assert_eq!(both("> quoted").0, "&gt; quoted");
        assert_eq!(both("2019: a year").1, "2019: a year");
    }

    #[test]
    fn raw_html_keeps_only_plain_inline_tags() {
        assert_eq!(
            both("The <em>real</em> <script>alert(1)</script> story"),
            (
                "The <em>real</em> alert(1) story".into(),
                "The real alert(1) story".into()
            )
        );
        assert_eq!(both("<b onclick=\"x()\">bold</b>").0, "bold");
        assert_eq!(both("<em>never closed").0, "<em>never closed</em>");
        assert_eq!(both("a < b & c").0, "a &lt; b &amp; c");
        // A title that starts with a tag is no HTML block passed through whole.
        assert_eq!(
            both("<script>alert(1)</script> & co"),
            ("alert(1) &amp; co".into(), "alert(1) & co".into())
        );
        assert_eq!(
            both("<em>Foreign Affairs</em> on Iran").0,
            "<em>Foreign Affairs</em> on Iran"
        );
    }

    #[test]
    fn plain_titles_need_no_parse() {
        for text in ["Rouhani calls Macron", "Iran and the IAEA in 2020"] {
            assert!(is_plain(text));
            assert_eq!(both(text), (text.into(), text.into()));
        }
        for text in ["Iran's choice", "A &amp; B", "*x*", " padded"] {
            assert!(!is_plain(text), "{text}");
        }
    }
}
