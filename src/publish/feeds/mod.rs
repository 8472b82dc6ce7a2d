//! Atom 1.0 feeds (RFC 4287): the site-wide feed and any per-country or
//! per-actor feed are all written by [`atom`] from a [`Feed`].
//!
//! This module owns the feed's XML: element order, escaping, stripping of
//! characters XML 1.0 forbids, the choice of dates (normalised by
//! [`rfc3339`], shared with the sitemap in `publish::dates`) and the
//! feed-level author Atom requires when some entry has none. It does no I/O
//! and adds no timestamps of its own: the same [`Feed`] always gives the same
//! bytes. Entries are written in the order given (callers sort, normally
//! newest first).

pub(crate) use crate::publish::dates::rfc3339;

use crate::escape::{push_escaped, xml_clean};
use crate::publish::dates::instant;
use std::fmt::Write as _;

/// A whole Atom feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Feed<'a> {
    /// The feed's own absolute URL; used as `<id>` and as the `rel="self"` link.
    pub id: &'a str,
    /// Feed title, plain text.
    pub title: &'a str,
    /// Optional subtitle, plain text (omitted when `None` or blank).
    pub subtitle: Option<&'a str>,
    /// The HTML page the feed belongs to (`rel="alternate"` link).
    pub html_url: &'a str,
    /// Last change of the feed, RFC 3339 (or `YYYY-MM-DD`; see [`rfc3339`]).
    /// When blank, the latest entry `updated` is used.
    pub updated: &'a str,
    /// Name of the generating program, e.g. `briefly 0.1.0`.
    pub generator: &'a str,
    /// The feed's language tag (`xml:lang` of `<feed>`); none when blank.
    pub lang: &'a str,
    /// The entries, written in this order.
    pub entries: Vec<FeedEntry<'a>>,
}

/// One entry (one brief) of a feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct FeedEntry<'a> {
    /// Permanent identifier, normally the brief's absolute permalink.
    pub id: &'a str,
    /// Title, plain text.
    pub title: &'a str,
    /// Absolute URL of the brief's page (`rel="alternate"` link).
    pub url: &'a str,
    /// First publication, RFC 3339 (or `YYYY-MM-DD`; see [`rfc3339`]).
    pub published: &'a str,
    /// Last update, RFC 3339 (or `YYYY-MM-DD`); when blank, `published` is used.
    pub updated: &'a str,
    /// Summary, plain text (`type="text"`); omitted when blank.
    pub summary: &'a str,
    /// Full body as HTML, written escaped as `type="html"`; omitted when blank.
    pub content_html: &'a str,
    /// Author names; blank names are skipped.
    pub authors: Vec<&'a str>,
    /// Categories (countries, actors, ...).
    pub categories: Vec<Category<'a>>,
    /// The brief's language tag: the entry's `xml:lang` when it is not the
    /// feed's (so a reader shapes and hyphenates a Persian entry as Persian).
    pub lang: &'a str,
}

/// An Atom `<category>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct Category<'a> {
    /// Machine term, e.g. `country:IR` or `actor:irgc`.
    pub term: &'a str,
    /// Human-readable label, e.g. `Iran`; omitted when blank.
    pub label: &'a str,
    /// Optional scheme IRI; omitted when `None` or blank.
    pub scheme: Option<&'a str>,
}

/// The Atom namespace.
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// Writes `feed` as an Atom 1.0 document (UTF-8, with XML declaration,
/// two-space indentation, trailing newline).
///
/// Every text and attribute value is XML-escaped and stripped of characters
/// that XML 1.0 forbids. Dates go through [`rfc3339`]. Atom requires an
/// author for every entry: when at least one entry has no (non-blank) author,
/// or there are no entries, the feed gets `<author><name>{title}</name></author>`,
/// which those entries inherit.
pub(crate) fn atom(feed: &Feed<'_>) -> String {
    let mut out = String::with_capacity(1024 + feed.entries.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(out, "<feed xmlns=\"{ATOM_NS}\"");
    if !feed.lang.trim().is_empty() {
        attr(&mut out, "xml:lang", feed.lang);
    }
    out.push_str(">\n");
    element(&mut out, 1, "id", feed.id);
    element(&mut out, 1, "title", feed.title);
    if let Some(subtitle) = feed.subtitle.filter(|s| !s.trim().is_empty()) {
        element(&mut out, 1, "subtitle", subtitle);
    }
    let updated = if feed.updated.trim().is_empty() {
        latest_update(&feed.entries)
    } else {
        rfc3339(feed.updated)
    };
    element(&mut out, 1, "updated", &updated);
    link(&mut out, 1, "self", "application/atom+xml", feed.id);
    link(&mut out, 1, "alternate", "text/html", feed.html_url);
    let needs_feed_author = feed.entries.is_empty()
        || feed
            .entries
            .iter()
            .any(|e| author_names(e).next().is_none());
    if needs_feed_author {
        author(&mut out, 1, feed.title);
    }
    if !feed.generator.trim().is_empty() {
        element(&mut out, 1, "generator", feed.generator);
    }
    for entry in &feed.entries {
        write_entry(&mut out, entry, feed.lang);
    }
    out.push_str("</feed>\n");
    out
}

/// The latest `updated` (or `published`) of the entries, normalised; empty
/// when no entry has a parseable date.
fn latest_update(entries: &[FeedEntry<'_>]) -> String {
    entries
        .iter()
        .filter_map(|e| instant(entry_updated(e)).map(|i| i.at))
        .max()
        .map(|ts| ts.to_string())
        .unwrap_or_default()
}

/// The entry's `updated`, falling back to `published`.
fn entry_updated<'a>(entry: &FeedEntry<'a>) -> &'a str {
    if entry.updated.trim().is_empty() {
        entry.published
    } else {
        entry.updated
    }
}

/// The entry's non-blank author names.
fn author_names<'e>(entry: &'e FeedEntry<'_>) -> impl Iterator<Item = &'e str> {
    entry
        .authors
        .iter()
        .copied()
        .filter(|a| !xml_clean(a).trim().is_empty())
}

fn write_entry(out: &mut String, entry: &FeedEntry<'_>, feed_lang: &str) {
    indent(out, 1);
    out.push_str("<entry");
    if !entry.lang.trim().is_empty() && entry.lang != feed_lang {
        attr(out, "xml:lang", entry.lang);
    }
    out.push_str(">\n");
    element(out, 2, "id", entry.id);
    element(out, 2, "title", entry.title);
    link(out, 2, "alternate", "text/html", entry.url);
    if !entry.published.trim().is_empty() {
        element(out, 2, "published", &rfc3339(entry.published));
    }
    element(out, 2, "updated", &rfc3339(entry_updated(entry)));
    for name in author_names(entry) {
        author(out, 2, xml_clean(name).trim());
    }
    for category in &entry.categories {
        if category.term.trim().is_empty() {
            continue;
        }
        indent(out, 2);
        out.push_str("<category");
        attr(out, "term", category.term);
        if !category.label.trim().is_empty() {
            attr(out, "label", category.label);
        }
        if let Some(scheme) = category.scheme.filter(|s| !s.trim().is_empty()) {
            attr(out, "scheme", scheme);
        }
        out.push_str("/>\n");
    }
    if !entry.summary.trim().is_empty() {
        indent(out, 2);
        out.push_str("<summary type=\"text\">");
        push_escaped(out, entry.summary);
        out.push_str("</summary>\n");
    }
    if !entry.content_html.trim().is_empty() {
        indent(out, 2);
        out.push_str("<content type=\"html\">");
        push_escaped(out, entry.content_html);
        out.push_str("</content>\n");
    }
    indent(out, 1);
    out.push_str("</entry>\n");
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// `<name>text</name>` on its own line.
fn element(out: &mut String, depth: usize, name: &str, text: &str) {
    indent(out, depth);
    let _ = write!(out, "<{name}>");
    push_escaped(out, text);
    let _ = writeln!(out, "</{name}>");
}

fn link(out: &mut String, depth: usize, rel: &str, media_type: &str, href: &str) {
    indent(out, depth);
    let _ = write!(out, "<link rel=\"{rel}\" type=\"{media_type}\"");
    attr(out, "href", href);
    out.push_str("/>\n");
}

fn author(out: &mut String, depth: usize, name: &str) {
    indent(out, depth);
    out.push_str("<author>\n");
    element(out, depth + 1, "name", name);
    indent(out, depth);
    out.push_str("</author>\n");
}

/// ` name="value"` with the value escaped.
fn attr(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"");
    push_escaped(out, value);
    out.push('"');
}

#[cfg(test)]
mod tests;
