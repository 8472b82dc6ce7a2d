//! Footnotes of the body pass: references are numbered in the order they
//! are first cited and link to their note; the notes are gathered (wherever
//! they were written) into one "Notes" section at the end of the body, each
//! with a link back to every place that cites it. pulldown-cmark's own HTML
//! leaves definitions where they were written, without a heading or a way
//! back.
//!
//! Also: a citation and a footnote marker side by side get a separator, so
//! `”[@src][^1]` does not read as one number (`[3]1`).

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, TagEnd};

use crate::escape::push_escaped;

/// The id of the notes section and of its heading's target.
pub(super) const SECTION_ID: &str = "footnotes";

/// What is known of the body's footnotes so far.
#[derive(Default)]
pub(super) struct Footnotes<'a> {
    /// Number of each label, in order of first reference.
    numbers: HashMap<String, usize>,
    /// For each number, the ids of its references.
    references: HashMap<usize, Vec<String>>,
    /// Each note's label and events, in the order written.
    notes: Vec<(String, Vec<Event<'a>>)>,
}

/// The separator between a citation and a footnote marker that touch.
pub(super) const MARKER_SEPARATOR: &str =
    "<sup class=\"marker-sep\" aria-hidden=\"true\">,\u{200a}</sup>";

impl<'a> Footnotes<'a> {
    fn number(&mut self, label: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(label.to_string()).or_insert(next)
    }

    /// The marker for a reference to `label`, with an id to come back to.
    pub(super) fn reference(&mut self, label: &str) -> String {
        let n = self.number(label);
        let refs = self.references.entry(n).or_default();
        let id = format!("fnref-{n}-{}", refs.len() + 1);
        let html = format!(
            "<sup class=\"footnote-reference\"><a href=\"#fn-{n}\" id=\"{id}\" role=\"doc-noteref\">{n}</a></sup>"
        );
        refs.push(id);
        html
    }

    /// Keeps a note's events (from after its start tag to before its end
    /// tag) for the section at the end.
    pub(super) fn define(&mut self, label: &str, events: Vec<Event<'a>>) {
        self.notes.push((label.to_string(), events));
    }

    /// The "Notes" section, notes in number order, each ending with its
    /// links back; empty when the body has no notes.
    pub(super) fn section(&mut self) -> Vec<Event<'a>> {
        if self.notes.is_empty() {
            return Vec::new();
        }
        // Notes nobody cites are numbered after the cited ones, as written.
        let mut notes: Vec<(usize, Vec<Event<'a>>)> = std::mem::take(&mut self.notes)
            .into_iter()
            .map(|(label, events)| (self.number(&label), events))
            .collect();
        notes.sort_by_key(|(n, _)| *n);
        let mut out = vec![html(format!(
            "<section class=\"footnotes\" id=\"{SECTION_ID}\" role=\"doc-endnotes\" aria-labelledby=\"{SECTION_ID}-heading\">\n<h2 class=\"footnotes__title\" id=\"{SECTION_ID}-heading\">Notes</h2>\n<ol>\n"
        ))];
        for (n, mut events) in notes {
            out.push(html(format!("<li id=\"fn-{n}\" value=\"{n}\">")));
            let back = self.backlinks(n);
            // Inside the note's last paragraph, so the arrow ends its text.
            let last_paragraph_end = events
                .iter()
                .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)));
            match last_paragraph_end {
                Some(i) => events.insert(i, Event::InlineHtml(back.into())),
                None => events.push(html(back)),
            }
            out.extend(events);
            out.push(html("</li>\n".to_string()));
        }
        out.push(html("</ol>\n</section>\n".to_string()));
        out
    }

    /// ` ↩` links to each reference of note `n` (none when never cited).
    fn backlinks(&self, n: usize) -> String {
        let mut out = String::new();
        let refs = self.references.get(&n).map_or(&[][..], Vec::as_slice);
        for (k, id) in refs.iter().enumerate() {
            let label = if refs.len() == 1 {
                format!("Back to reference {n}")
            } else {
                format!("Back to reference {n} ({} of {})", k + 1, refs.len())
            };
            out.push_str(" <a class=\"footnote-backref\" href=\"#");
            push_escaped(&mut out, id);
            out.push_str("\" role=\"doc-backlink\" aria-label=\"");
            push_escaped(&mut out, &label);
            out.push_str("\">↩</a>");
        }
        out
    }
}

fn html<'a>(text: String) -> Event<'a> {
    Event::Html(CowStr::from(text))
}
