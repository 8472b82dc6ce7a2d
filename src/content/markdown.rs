//! Markdown to HTML with pulldown-cmark: CommonMark plus footnotes, tables,
//! strikethrough, heading anchors, smart punctuation and `[@id]` citations.
//!
//! Knows nothing about templates or files: what a brief's links, images and
//! raw HTML become is asked of a [`Rewrite`] given by the caller, in the same
//! single pass over the events.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, Options, Parser, Tag, TagEnd};

mod footnotes;
mod rewrite;

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
    /// Template syntax of other generators (`{{`, `{%`) outside code: the
    /// byte offset of the first and how many (only with a [`Rewrite`]).
    pub foreign_syntax: Option<(usize, usize)>,
}

/// What a citation id refers to: the source's 1-based number in its list.
pub(crate) type CitationLookup<'a> = &'a dyn Fn(&str) -> Option<usize>;

/// What a body's links, images and raw HTML become. The caller knows the
/// brief's folder, the site's briefs and the raw HTML policy; this module
/// asks at each one, giving its byte range in the text for diagnostics.
pub(crate) trait Rewrite {
    /// A link's new destination, or `None` to keep it as written.
    fn link(&mut self, dest: &str, at: Range<usize>) -> Option<String>;
    /// An image's destination (`None`: as written) and size in pixels.
    fn image(&mut self, dest: &str, at: Range<usize>) -> Image;
    /// A raw HTML fragment (a whole HTML block, or one inline tag) made
    /// safe, or `None` to keep it as written.
    fn raw_html(&mut self, html: &str, at: Range<usize>) -> Option<String>;
}

/// What an image becomes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Image {
    /// The new `src`, or `None` to keep the destination as written.
    pub(crate) src: Option<String>,
    /// Width and height, when the file is known.
    pub(crate) size: Option<(u32, u32)>,
}

const CITE_SCHEME: &str = "briefly-cite:";

/// The end of the Notes heading as `footnotes` writes it: a brief's page
/// puts the heading in the brief's language there (bodies are rendered
/// before the theme's strings are read).
pub(crate) const NOTES_HEADING: &str = "id=\"footnotes-heading\">Notes</h2>";

fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders Markdown without citations (bios, profiles, disclaimers).
pub(crate) fn render_plain(text: &str) -> Rendered {
    render(text, &|_| None)
}

/// Renders a brief body; `[@id]` and `[@a; @b]` become links to sources.
pub fn render(text: &str, cite: CitationLookup<'_>) -> Rendered {
    render_with(text, cite, None)
}

/// Renders a brief body with its links, images and raw HTML rewritten by
/// `rewrite` (without one, they stay as written).
pub(crate) fn render_with(
    text: &str,
    cite: CitationLookup<'_>,
    rewrite: Option<&mut dyn Rewrite>,
) -> Rendered {
    let mut unknown = Vec::new();
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
    let parser =
        Parser::new_with_broken_link_callback(text, options(), Some(callback)).into_offset_iter();
    let mut out = Rendered::default();
    // One pass: events stream from the parser through the heading-id,
    // citation, rewriting and text-statistics steps straight into the HTML writer.
    let mut stream = BodyEvents {
        inner: parser,
        text,
        pending: std::collections::VecDeque::new(),
        used_ids: HashMap::new(),
        out: &mut out,
        stats: TextStats::default(),
        rewrite,
        images: 0,
        code_depth: 0,
        notes: footnotes::Footnotes::default(),
        tail: std::collections::VecDeque::new(),
        ended: false,
        after_marker: false,
    };
    let mut html = String::with_capacity(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut html, &mut stream);
    let stats = stream.stats;
    out.html = html;
    out.word_count = stats.words;
    out.first_paragraph = stats.first_paragraph.trim().to_string();
    out.unknown_citations = unknown;
    // Bodies stay in memory for the whole build: keep no spare capacity.
    out.html.shrink_to_fit();
    out
}

/// The parser's events with heading ids assigned and citation placeholders
/// replaced, counting words and the first paragraph on the way.
struct BodyEvents<'a, 'o, 'r, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: I,
    /// The Markdown text, to find other generators' syntax at its offset.
    text: &'a str,
    /// A heading's events, held until its text gives it an id.
    pending: std::collections::VecDeque<Event<'a>>,
    used_ids: HashMap<String, usize>,
    out: &'o mut Rendered,
    stats: TextStats,
    rewrite: Option<&'r mut dyn Rewrite>,
    /// Images seen so far: all but the first load lazily.
    images: usize,
    /// Inside a code block, where `{{` is code, not a leftover.
    code_depth: usize,
    /// Footnote numbers, references and the notes, for the section at the end.
    notes: footnotes::Footnotes<'a>,
    /// The notes section, emitted after the last event.
    tail: std::collections::VecDeque<Event<'a>>,
    /// The parser is done (and the notes section made).
    ended: bool,
    /// The last event was a citation or footnote marker: the next marker
    /// right after it gets a separator.
    after_marker: bool,
}

#[derive(Default)]
struct TextStats {
    words: usize,
    first_paragraph: String,
    in_first_paragraph: bool,
    first_done: bool,
    footnote_depth: usize,
}

impl TextStats {
    fn see(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => self.footnote_depth += 1,
            Event::End(TagEnd::FootnoteDefinition) => self.footnote_depth -= 1,
            Event::Start(Tag::Paragraph) if !self.first_done && self.footnote_depth == 0 => {
                self.in_first_paragraph = true;
            }
            Event::End(TagEnd::Paragraph) if self.in_first_paragraph => {
                self.in_first_paragraph = false;
                self.first_done = true;
            }
            Event::Text(t) | Event::Code(t) => {
                self.words += count_words(t);
                if self.in_first_paragraph {
                    self.first_paragraph.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if self.in_first_paragraph => {
                self.first_paragraph.push(' ');
            }
            _ => {}
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> BodyEvents<'a, '_, '_, I> {
    /// The next event with citations replaced and links, images and raw
    /// HTML rewritten, before heading ids.
    fn next_replaced(&mut self) -> Option<Event<'a>> {
        let (event, at) = self.inner.next()?;
        let separator = if self.after_marker {
            footnotes::MARKER_SEPARATOR
        } else {
            ""
        };
        if let Event::FootnoteReference(label) = &event {
            let html = [separator, &self.notes.reference(label)].concat();
            self.after_marker = true;
            return Some(Event::InlineHtml(html.into()));
        }
        let numbers = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => dest_url.strip_prefix(CITE_SCHEME),
            _ => None,
        };
        let Some(numbers) = numbers else {
            self.after_marker = false;
            return Some(match self.rewrite {
                Some(_) => self.rewritten(event, at),
                None => event,
            });
        };
        self.after_marker = true;
        let html = [
            separator,
            &citation_html(numbers, &mut self.out.citation_anchors),
        ]
        .concat();
        // Drop the placeholder's own text up to its end tag.
        for (inner, _) in self.inner.by_ref() {
            if matches!(inner, Event::End(TagEnd::Link)) {
                break;
            }
        }
        Some(Event::InlineHtml(html.into()))
    }

    /// A footnote definition's events up to its end, counted as read (the
    /// notes go out at the end of the body).
    fn read_note(&mut self) -> Vec<Event<'a>> {
        let mut events = Vec::new();
        while let Some(event) = self.next_replaced() {
            self.stats.see(&event);
            if matches!(event, Event::End(TagEnd::FootnoteDefinition)) {
                break;
            }
            events.push(event);
        }
        events
    }

    /// Reads a whole heading into `pending` and gives it an id (its explicit
    /// `{#id}` or one made from its text), unique within the document.
    fn hold_heading(&mut self, start: Event<'a>) {
        self.pending.push_back(start);
        let mut text = String::new();
        while let Some(event) = self.next_replaced() {
            if let Event::Text(t) | Event::Code(t) = &event {
                text.push_str(t);
            }
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            self.pending.push_back(event);
            if end {
                break;
            }
        }
        let Some(Event::Start(Tag::Heading { id, .. })) = self.pending.front_mut() else {
            return;
        };
        let base = id.as_ref().map(|s| s.to_string()).unwrap_or_else(|| {
            let s = slug::slugify(&text);
            if s.is_empty() { "section".into() } else { s }
        });
        let count = self.used_ids.entry(base.clone()).or_insert(0);
        let unique = if *count == 0 {
            base
        } else {
            format!("{base}-{count}")
        };
        *count += 1;
        *id = Some(unique.clone().into());
        self.out.heading_ids.push(unique);
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for BodyEvents<'a, '_, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            // The notes section: its events were counted when they were read.
            if let Some(event) = self.tail.pop_front() {
                return Some(event);
            }
            if !self.pending.is_empty() {
                let event = self.pending.pop_front()?;
                self.stats.see(&event);
                return Some(event);
            }
            let Some(event) = self.next_replaced() else {
                if self.ended {
                    return None;
                }
                self.ended = true;
                self.tail.extend(self.notes.section());
                continue;
            };
            match event {
                Event::Start(Tag::Heading { .. }) => self.hold_heading(event),
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    self.stats
                        .see(&Event::Start(Tag::FootnoteDefinition(label.clone())));
                    let events = self.read_note();
                    self.notes.define(&label, events);
                }
                event => {
                    self.stats.see(&event);
                    return Some(event);
                }
            }
        }
    }
}

#[cfg(feature = "pdf")]
/// The events of a brief body, parsed as [`render`] parses it, with each
/// `[@id]` citation a link to `briefly-cite:N,M` (see
/// [`citation_numbers`]): for outputs other than HTML (the PDF edition).
/// Unknown ids are left out (validation has reported them).
pub(crate) fn events<'a>(
    text: &'a str,
    cite: CitationLookup<'_>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let callback = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        let ids = citation_ids(&link.reference)?;
        let numbers: Vec<String> = ids
            .into_iter()
            .filter_map(|id| cite(id).map(|n| n.to_string()))
            .collect();
        Some((
            format!("{CITE_SCHEME}{}", numbers.join(",")).into(),
            "".into(),
        ))
    };
    Parser::new_with_broken_link_callback(text, options(), Some(callback))
        .into_offset_iter()
        .collect()
}

#[cfg(feature = "pdf")]
/// The source numbers of a citation link made by [`events`], or `None`
/// when `dest` is an ordinary link.
pub(crate) fn citation_numbers(dest: &str) -> Option<Vec<usize>> {
    let numbers = dest.strip_prefix(CITE_SCHEME)?;
    Some(numbers.split(',').filter_map(|n| n.parse().ok()).collect())
}

/// Numbered superscript links for the sources of one citation; each gets an
/// anchor so the source can link back.
fn citation_html(numbers: &str, anchors: &mut HashMap<usize, Vec<String>>) -> String {
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
    html
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

/// Words separated by whitespace, as `split_whitespace().count()` counts
/// them, in one byte loop: only the lead bytes that can start a non-ASCII
/// space (U+0085, U+00A0, U+1680, U+2000-U+205F, U+3000) are decoded.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = match b {
            // char::is_whitespace on ASCII: space, \t, \n, \x0B, \x0C, \r.
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => (true, 1),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => match text[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            },
            _ => (false, 1),
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
        i += len;
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
    fn a_citation_in_a_heading_stays_out_of_its_id() {
        let r = render("## Tehran's view [@fars]\n\nText.", &lookup);
        assert_eq!(r.heading_ids, vec!["tehran-s-view"]);
        assert!(r.html.contains("<h2 id=\"tehran-s-view\">"), "{}", r.html);
        assert!(r.html.contains("href=\"#source-1\""), "{}", r.html);
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
    fn footnotes_gather_under_a_heading_with_links_back() {
        let r = render(
            "[^b]: Defined first, cited second.\n\nOne[^a] two[^b] again[^a].\n\n[^a]: The *first* note.\n\nAfter.",
            &lookup,
        );
        let html = &r.html;
        // Numbered by first reference, wherever the notes were written.
        assert!(
            html.contains(r##"<a href="#fn-1" id="fnref-1-1" role="doc-noteref">1</a>"##),
            "{html}"
        );
        assert!(
            html.contains(r##"<a href="#fn-2" id="fnref-2-1" role="doc-noteref">2</a>"##),
            "{html}"
        );
        assert!(html.contains(r##"id="fnref-1-2""##), "{html}");
        // One section at the end, with a heading, notes in number order.
        let section = html
            .find(r#"<section class="footnotes""#)
            .expect("notes section");
        assert!(
            html[..section].contains("After."),
            "the section comes last: {html}"
        );
        assert!(html[section..].contains(NOTES_HEADING), "{html}");
        let first = html.find(r#"<li id="fn-1""#).expect("note 1");
        let second = html.find(r#"<li id="fn-2""#).expect("note 2");
        assert!(first < second);
        // Each note links back to each of its references, inside its paragraph.
        assert!(html.contains(
            r##"<em>first</em> note. <a class="footnote-backref" href="#fnref-1-1" role="doc-backlink" aria-label="Back to reference 1 (1 of 2)">↩</a> <a class="footnote-backref" href="#fnref-1-2""##
        ), "{html}");
        assert!(
            html.contains(r##"cited second. <a class="footnote-backref" href="#fnref-2-1""##),
            "{html}"
        );
        assert_eq!(
            r.first_paragraph, "One two again.",
            "notes are not the summary"
        );
        assert!(!html.contains("footnote-definition"));
    }

    #[test]
    fn a_citation_and_a_footnote_side_by_side_are_separated() {
        let r = render(
            "He said \"no\"[@fars][^1] and[^1][^2].\n\n[^1]: Note.\n\n[^2]: Two.",
            &lookup,
        );
        let sep = footnotes::MARKER_SEPARATOR;
        assert!(
            r.html.contains(&format!(
                "[1]</a></sup>{sep}<sup class=\"footnote-reference\">"
            )),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(&format!(
                ">1</a></sup>{sep}<sup class=\"footnote-reference\"><a href=\"#fn-2\""
            )),
            "{}",
            r.html
        );
        // Apart, they need none.
        let r = render("A[@fars] b[^1].\n\n[^1]: Note.", &lookup);
        assert!(!r.html.contains("marker-sep"), "{}", r.html);
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
            "\u{85}a\u{3000}b\u{1680}c\u{2028}d\u{2029}e\u{202f}f\u{205f}g\u{200b}h",
            "\u{201c}quoted\u{201d} \u{2014} dash \u{c7}avu\u{15f}o\u{11f}lu \u{2009}thin",
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
