//! Markdown to HTML with pulldown-cmark: CommonMark plus footnotes, tables,
//! strikethrough, heading anchors, smart punctuation and `[@id]` citations.
//!
//! Knows nothing about templates or files.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, Options, Parser, Tag, TagEnd};

/// The HTML of a Markdown text and what the rest of the pipeline needs from it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Text of the first paragraph, used as a default summary.
    pub first_paragraph: String,
    /// Words of text (not markup).
    pub word_count: usize,
    /// `[@id]` citations whose id is not a source, with their byte range in the input.
    pub unknown_citations: Vec<(String, Range<usize>)>,
    /// For each cited source number, the anchors of the citations pointing at it, in order.
    pub citation_anchors: HashMap<usize, Vec<String>>,
    /// Ids of the headings, in order.
    pub heading_ids: Vec<String>,
}

/// What a citation id refers to: the source's 1-based number in its list.
pub type CitationLookup<'a> = &'a dyn Fn(&str) -> Option<usize>;

const CITE_SCHEME: &str = "briefly-cite:";

fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders Markdown without citations (bios, profiles, disclaimers).
pub fn render_plain(text: &str) -> Rendered {
    render(text, &|_| None)
}

/// Renders a brief body; `[@id]` and `[@a; @b]` become links to sources.
pub fn render(text: &str, cite: CitationLookup<'_>) -> Rendered {
    let mut unknown = Vec::new();
    let mut events: Vec<Event<'_>> = {
        let callback = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
            let ids = citation_ids(&link.reference)?;
            let mut numbers = Vec::new();
            for id in ids {
                match cite(id) {
                    Some(n) => numbers.push(n.to_string()),
                    None => unknown.push((id.to_string(), link.span.clone())),
                }
            }
            Some((
                format!("{CITE_SCHEME}{}", numbers.join(",")).into(),
                "".into(),
            ))
        };
        Parser::new_with_broken_link_callback(text, options(), Some(callback)).collect()
    };

    let heading_ids = assign_heading_ids(&mut events);
    let mut out = Rendered {
        unknown_citations: unknown,
        heading_ids,
        ..Rendered::default()
    };
    let events = replace_citations(events, &mut out.citation_anchors);
    collect_text_stats(&events, &mut out);
    out.html.reserve(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    // Bodies stay in memory for the whole build: keep no spare capacity.
    out.html.shrink_to_fit();
    out
}

/// `@a` or `@a; @b` -> ["a", "b"]; anything else is not a citation.
fn citation_ids(reference: &str) -> Option<Vec<&str>> {
    let ids: Vec<&str> = reference
        .split(';')
        .map(|part| part.trim().strip_prefix('@'))
        .collect::<Option<_>>()?;
    let valid = |id: &&str| {
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
    };
    ids.iter().all(valid).then_some(ids)
}

/// Gives every heading without an explicit `{#id}` an id made from its text,
/// unique within the document.
fn assign_heading_ids(events: &mut [Event<'_>]) -> Vec<String> {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i] {
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit.unwrap_or_else(|| {
                let s = slug::slugify(&text);
                if s.is_empty() { "section".into() } else { s }
            });
            let count = used.entry(base.clone()).or_insert(0);
            let unique = if *count == 0 {
                base.clone()
            } else {
                format!("{base}-{count}")
            };
            *count += 1;
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(unique.clone().into());
            }
            ids.push(unique);
            i = j;
        }
        i += 1;
    }
    ids
}

/// Replaces the placeholder links made by the broken-link callback with
/// numbered superscript links; each gets an anchor so sources can link back.
fn replace_citations<'a>(
    events: Vec<Event<'a>>,
    anchors: &mut HashMap<usize, Vec<String>>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        let numbers = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => dest_url.strip_prefix(CITE_SCHEME),
            _ => None,
        };
        let Some(numbers) = numbers else {
            out.push(event);
            continue;
        };
        let mut html = String::from("<sup class=\"citation\">");
        let numbers: Vec<usize> = numbers.split(',').filter_map(|n| n.parse().ok()).collect();
        for (k, n) in numbers.iter().enumerate() {
            let list = anchors.entry(*n).or_default();
            let anchor = format!("cite-{n}-{}", list.len() + 1);
            if k > 0 {
                html.push_str("<span class=\"citation-sep\">,</span>");
            }
            html.push_str(&format!(
                "<a href=\"#source-{n}\" id=\"{anchor}\" role=\"doc-noteref\">[{n}]</a>"
            ));
            list.push(anchor);
        }
        html.push_str("</sup>");
        // Drop the placeholder's own text up to its end tag.
        for inner in iter.by_ref() {
            if matches!(inner, Event::End(TagEnd::Link)) {
                break;
            }
        }
        out.push(Event::InlineHtml(html.into()));
    }
    out
}

fn collect_text_stats(events: &[Event<'_>], out: &mut Rendered) {
    let mut depth_in_first_paragraph: Option<usize> = None;
    let mut first_done = false;
    let mut footnote_depth = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => footnote_depth += 1,
            Event::End(TagEnd::FootnoteDefinition) => footnote_depth -= 1,
            Event::Start(Tag::Paragraph) if !first_done && footnote_depth == 0 => {
                depth_in_first_paragraph = Some(0);
            }
            Event::End(TagEnd::Paragraph) if depth_in_first_paragraph.is_some() => {
                depth_in_first_paragraph = None;
                first_done = true;
            }
            Event::Text(t) | Event::Code(t) => {
                out.word_count += count_words(t);
                if depth_in_first_paragraph.is_some() {
                    out.first_paragraph.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if depth_in_first_paragraph.is_some() => {
                out.first_paragraph.push(' ');
            }
            _ => {}
        }
    }
    out.first_paragraph = out.first_paragraph.trim().to_string();
}

/// Words separated by whitespace, as `split_whitespace().count()` counts
/// them, with a byte loop for ASCII text (most of a brief).
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in text.as_bytes() {
        // char::is_whitespace on ASCII: space, \t, \n, \x0B, \x0C, \r.
        let space = matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(id: &str) -> Option<usize> {
        match id {
            "fars" => Some(1),
            "elysee" => Some(2),
            _ => None,
        }
    }

    #[test]
    fn citations_become_numbered_links_with_backlink_anchors() {
        let r = render("Said so [@fars], twice [@fars; @elysee].", &lookup);
        assert!(
            r.html.contains("<a href=\"#source-1\" id=\"cite-1-1\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"cite-1-2\""), "{}", r.html);
        assert!(r.html.contains("href=\"#source-2\""), "{}", r.html);
        assert!(!r.html.contains("@fars"));
        assert_eq!(r.citation_anchors[&1], vec!["cite-1-1", "cite-1-2"]);
        assert!(r.unknown_citations.is_empty());
    }

    #[test]
    fn unknown_citation_is_reported_with_its_span() {
        let text = "Intro.\n\nClaim [@nope].";
        let r = render(text, &lookup);
        assert_eq!(r.unknown_citations.len(), 1);
        let (id, span) = &r.unknown_citations[0];
        assert_eq!(id, "nope");
        assert_eq!(&text[span.clone()], "[@nope]");
    }

    #[test]
    fn ordinary_brackets_stay_text() {
        let r = render("An [aside] and [x](https://e.org).", &lookup);
        assert!(r.html.contains("[aside]"), "{}", r.html);
        assert!(r.html.contains("href=\"https://e.org\""));
    }

    #[test]
    fn headings_get_unique_ids_and_extensions_work() {
        let r = render(
            "## Comment\n\n## Comment\n\n## Own {#mine}\n\n~~x~~ \"q\"[^1]\n\n[^1]: Note.\n\n| a |\n|---|\n| b |\n",
            &lookup,
        );
        assert_eq!(r.heading_ids, vec!["comment", "comment-1", "mine"]);
        assert!(r.html.contains("<h2 id=\"comment-1\">"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains('\u{201c}'), "smart quotes: {}", r.html);
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("<table>"));
    }

    #[test]
    fn word_count_agrees_with_split_whitespace() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tand\nnew\x0Bline\x0C\rx",
            "caf\u{e9} au\u{a0}lait \u{2003} x",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn first_paragraph_and_word_count() {
        let r = render_plain("# Title\n\nFirst *para*\nhere.\n\nSecond one.");
        assert_eq!(r.first_paragraph, "First para here.");
        assert_eq!(r.word_count, 6);
    }
}
