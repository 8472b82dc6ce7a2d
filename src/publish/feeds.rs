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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// The entries, written in this order.
    pub entries: Vec<FeedEntry<'a>>,
}

/// One entry (one brief) of a feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
}

/// An Atom `<category>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
    let _ = writeln!(out, "<feed xmlns=\"{ATOM_NS}\">");
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
        write_entry(&mut out, entry);
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

fn write_entry(out: &mut String, entry: &FeedEntry<'_>) {
    indent(out, 1);
    out.push_str("<entry>\n");
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
mod tests {
    use super::*;

    fn entry<'a>(id: &'a str, title: &'a str) -> FeedEntry<'a> {
        FeedEntry {
            id,
            title,
            url: id,
            published: "2018-01-02",
            updated: "2018-01-03T10:00:00+03:30",
            summary: "A short summary.",
            content_html: "<p>Body <em>text</em> &amp; more.</p>",
            authors: vec!["Leila Haddad", "Tom Becker"],
            categories: vec![
                Category {
                    term: "country:IR",
                    label: "Iran",
                    scheme: Some("https://example.org/briefs/countries/"),
                },
                Category {
                    term: "actor:irgc",
                    label: "IRGC",
                    scheme: None,
                },
            ],
        }
    }

    fn feed<'a>(entries: Vec<FeedEntry<'a>>) -> Feed<'a> {
        Feed {
            id: "https://example.org/briefs/feed.xml",
            title: "Example Briefs",
            subtitle: Some("Analysis of the region"),
            html_url: "https://example.org/briefs/",
            updated: "2018-01-05",
            generator: "briefly 0.1.0",
            entries,
        }
    }

    fn parse(xml: &str) -> feed_rs::model::Feed {
        // Strict well-formedness first (feed-rs is lenient), then Atom.
        if let Err(e) = roxmltree::Document::parse(xml) {
            panic!("not well-formed XML: {e}\n{xml}");
        }
        match feed_rs::parser::parse(xml.as_bytes()) {
            Ok(f) => f,
            Err(e) => panic!("feed-rs rejected the feed: {e}\n{xml}"),
        }
    }

    fn text(t: &Option<feed_rs::model::Text>) -> &str {
        t.as_ref().map(|t| t.content.as_str()).unwrap_or("")
    }

    /// A feed of two full entries, as XML and as parsed by feed-rs.
    fn full_feed() -> (String, feed_rs::model::Feed) {
        let xml = atom(&feed(vec![
            entry("https://example.org/briefs/a/", "First brief"),
            entry("https://example.org/briefs/b/", "Second brief"),
        ]));
        let parsed = parse(&xml);
        (xml, parsed)
    }

    #[test]
    fn full_feed_has_all_feed_fields() {
        let (xml, f) = full_feed();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"));
        assert_eq!(f.feed_type, feed_rs::model::FeedType::Atom);
        assert_eq!(f.id, "https://example.org/briefs/feed.xml");
        assert_eq!(text(&f.title), "Example Briefs");
        assert_eq!(text(&f.description), "Analysis of the region");
        assert_eq!(
            f.updated.map(|d| d.to_rfc3339()).as_deref(),
            Some("2018-01-05T00:00:00+00:00")
        );
        let links: Vec<_> = f
            .links
            .iter()
            .map(|l| (l.rel.as_deref(), l.media_type.as_deref(), l.href.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                (
                    Some("self"),
                    Some("application/atom+xml"),
                    "https://example.org/briefs/feed.xml"
                ),
                (
                    Some("alternate"),
                    Some("text/html"),
                    "https://example.org/briefs/"
                ),
            ]
        );
        assert_eq!(
            f.generator.as_ref().map(|g| g.content.as_str()),
            Some("briefly 0.1.0")
        );
        // Every entry has authors, so the feed needs none.
        assert!(f.authors.is_empty());
        assert!(!xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <author>"));
    }

    #[test]
    fn full_feed_has_all_entry_fields() {
        let (xml, f) = full_feed();
        assert_eq!(f.entries.len(), 2);
        let e = &f.entries[0];
        assert_eq!(e.id, "https://example.org/briefs/a/");
        assert_eq!(text(&e.title), "First brief");
        assert_eq!(e.links.len(), 1);
        assert_eq!(e.links[0].href, "https://example.org/briefs/a/");
        assert_eq!(e.links[0].rel.as_deref(), Some("alternate"));
        assert_eq!(e.links[0].media_type.as_deref(), Some("text/html"));
        assert_eq!(
            e.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2018-01-02T00:00:00+00:00")
        );
        assert_eq!(
            e.updated.map(|d| d.to_rfc3339()).as_deref(),
            Some("2018-01-03T06:30:00+00:00")
        );
        let authors: Vec<_> = e.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(authors, ["Leila Haddad", "Tom Becker"]);
        let cats: Vec<_> = e
            .categories
            .iter()
            .map(|c| (c.term.as_str(), c.label.as_deref(), c.scheme.as_deref()))
            .collect();
        assert_eq!(
            cats,
            [
                (
                    "country:IR",
                    Some("Iran"),
                    Some("https://example.org/briefs/countries/")
                ),
                ("actor:irgc", Some("IRGC"), None),
            ]
        );
        let summary = e
            .summary
            .as_ref()
            .map(|s| (s.content.as_str(), s.content_type.to_string()));
        assert_eq!(
            summary,
            Some(("A short summary.", "text/plain".to_string()))
        );
        let content = e
            .content
            .as_ref()
            .map(|c| (c.body.as_deref(), c.content_type.to_string()));
        assert_eq!(
            content,
            Some((
                Some("<p>Body <em>text</em> &amp; more.</p>"),
                "text/html".to_string()
            ))
        );
        assert!(xml.contains(
            "<content type=\"html\">&lt;p&gt;Body &lt;em&gt;text&lt;/em&gt; &amp;amp; more.&lt;/p&gt;</content>"
        ));
    }

    #[test]
    fn hostile_text_is_escaped_and_round_trips() {
        let title = "<script>alert('x')</script> & \"quoted\" 'single' > done";
        let mut e = entry("https://example.org/briefs/a/?q=1&r=2", title);
        e.url = "https://example.org/briefs/a/?q=1&r=\"2\"";
        e.summary = "Tom & Jerry <b>not bold</b>";
        e.authors = vec!["O'Brien <admin@example.org>"];
        e.categories = vec![Category {
            term: "actor:a&b",
            label: "A & \"B\" <c>",
            scheme: Some("https://example.org/?a=1&b=2"),
        }];
        let mut f = feed(vec![e]);
        f.title = "Briefs & <Analysis>";
        f.subtitle = Some("\"Quotes\" & 'apostrophes'");
        let xml = atom(&f);
        assert!(!xml.contains("<script>"));
        assert!(xml.contains(
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;quoted&quot;"
        ));
        let parsed = parse(&xml);
        assert_eq!(text(&parsed.title), "Briefs & <Analysis>");
        assert_eq!(text(&parsed.description), "\"Quotes\" & 'apostrophes'");
        let pe = &parsed.entries[0];
        assert_eq!(text(&pe.title), title);
        assert_eq!(pe.id, "https://example.org/briefs/a/?q=1&r=2");
        // feed-rs re-serialises hrefs as URLs, so read the attribute as XML.
        let doc = roxmltree::Document::parse(&xml).ok();
        let href = doc.as_ref().and_then(|d| {
            d.descendants()
                .find(|n| {
                    n.has_tag_name("link") && n.parent().is_some_and(|p| p.has_tag_name("entry"))
                })
                .and_then(|n| n.attribute("href").map(str::to_string))
        });
        assert_eq!(
            href.as_deref(),
            Some("https://example.org/briefs/a/?q=1&r=\"2\"")
        );
        assert_eq!(text(&pe.summary), "Tom & Jerry <b>not bold</b>");
        assert_eq!(pe.authors[0].name, "O'Brien <admin@example.org>");
        assert_eq!(pe.categories[0].term, "actor:a&b");
        assert_eq!(pe.categories[0].label.as_deref(), Some("A & \"B\" <c>"));
        assert_eq!(
            pe.categories[0].scheme.as_deref(),
            Some("https://example.org/?a=1&b=2")
        );
    }

    #[test]
    fn control_characters_are_stripped() {
        let title =
            "Bad\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{fffe}\u{ffff} title\twith\ttabs";
        let mut e = entry("https://example.org/briefs/a/", title);
        e.summary = "line one\nline two\r\nend\u{7}";
        e.content_html = "<p>bell\u{7}</p>";
        e.authors = vec!["Name\u{0}"];
        let xml = atom(&feed(vec![e]));
        assert!(
            !xml.chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            "control character left in {xml:?}"
        );
        assert!(!xml.contains('\u{fffe}') && !xml.contains('\u{ffff}'));
        let parsed = parse(&xml);
        let pe = &parsed.entries[0];
        assert_eq!(text(&pe.title), "Bad title\twith\ttabs");
        assert!(text(&pe.summary).starts_with("line one\nline two"));
        assert!(text(&pe.summary).ends_with("end"));
        assert_eq!(
            pe.content.as_ref().and_then(|c| c.body.as_deref()),
            Some("<p>bell</p>")
        );
        assert_eq!(pe.authors[0].name, "Name");
    }

    #[test]
    fn entry_without_authors_gets_feed_author() {
        let mut anonymous = entry("https://example.org/briefs/b/", "Unsigned");
        anonymous.authors = vec![];
        let mut blank = entry("https://example.org/briefs/c/", "Blank author");
        blank.authors = vec!["  ", "\u{0}"];
        let xml = atom(&feed(vec![
            entry("https://example.org/briefs/a/", "Signed"),
            anonymous,
            blank,
        ]));
        let f = parse(&xml);
        let names: Vec<_> = f.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Example Briefs"]);
        assert_eq!(f.entries[0].authors.len(), 2);
        assert!(f.entries[1].authors.is_empty());
        assert!(f.entries[2].authors.is_empty());
        // The feed author comes before the first entry, as Atom requires.
        let author_at = xml.find("<author>").unwrap_or(usize::MAX);
        let entry_at = xml.find("<entry>").unwrap_or(0);
        assert!(author_at < entry_at);
    }

    #[test]
    fn empty_feed_is_valid_and_has_author() {
        let mut f = feed(vec![]);
        f.subtitle = None;
        f.generator = "";
        let xml = atom(&f);
        let parsed = parse(&xml);
        assert!(parsed.entries.is_empty());
        assert_eq!(parsed.authors.len(), 1);
        assert!(parsed.description.is_none());
        assert!(parsed.generator.is_none());
        assert!(!xml.contains("<subtitle>") && !xml.contains("<generator>"));
    }

    #[test]
    fn unicode_titles_round_trip() {
        let fa = "تحریم‌ها و اقتصاد ایران";
        let ar = "العلاقات السعودية الإيرانية: «مرحلة جديدة»";
        let mut e1 = entry("https://example.org/briefs/%D8%AA/", fa);
        e1.authors = vec!["لیلا حداد"];
        e1.categories = vec![Category {
            term: "country:IR",
            label: "ایران",
            scheme: None,
        }];
        let mut e2 = entry("https://example.org/briefs/b/", ar);
        e2.authors = vec!["Mevlüt Çavuşoğlu"];
        e2.content_html = "<p dir=\"rtl\">نص عربي 🌍</p>";
        let mut f = feed(vec![e1, e2]);
        f.title = "گزارش‌ها";
        let xml = atom(&f);
        assert!(xml.contains(fa) && xml.contains(ar));
        let parsed = parse(&xml);
        assert_eq!(text(&parsed.title), "گزارش‌ها");
        assert_eq!(text(&parsed.entries[0].title), fa);
        assert_eq!(parsed.entries[0].authors[0].name, "لیلا حداد");
        assert_eq!(
            parsed.entries[0].categories[0].label.as_deref(),
            Some("ایران")
        );
        assert_eq!(text(&parsed.entries[1].title), ar);
        assert_eq!(parsed.entries[1].authors[0].name, "Mevlüt Çavuşoğlu");
        assert_eq!(
            parsed.entries[1]
                .content
                .as_ref()
                .and_then(|c| c.body.as_deref()),
            Some("<p dir=\"rtl\">نص عربي 🌍</p>")
        );
    }

    #[test]
    fn optional_parts_are_omitted() {
        let mut e = entry("https://example.org/briefs/a/", "T");
        e.summary = " ";
        e.content_html = "";
        e.updated = "";
        e.categories = vec![
            Category {
                term: "",
                label: "no term",
                scheme: None,
            },
            Category {
                term: "country:FR",
                label: "",
                scheme: Some(""),
            },
        ];
        let mut f = feed(vec![e]);
        f.updated = "";
        let xml = atom(&f);
        assert!(!xml.contains("<summary") && !xml.contains("<content"));
        assert!(xml.contains("<category term=\"country:FR\"/>"));
        let parsed = parse(&xml);
        let pe = &parsed.entries[0];
        assert_eq!(pe.categories.len(), 1);
        assert_eq!(pe.categories[0].label, None);
        assert_eq!(pe.categories[0].scheme, None);
        // Blank `updated` falls back to `published`, and the feed's to the latest entry.
        assert_eq!(
            pe.updated.map(|d| d.to_rfc3339()).as_deref(),
            Some("2018-01-02T00:00:00+00:00")
        );
        assert_eq!(
            parsed.updated.map(|d| d.to_rfc3339()).as_deref(),
            Some("2018-01-02T00:00:00+00:00")
        );
    }

    #[test]
    fn feed_updated_defaults_to_latest_entry() {
        let mut a = entry("https://example.org/briefs/a/", "A");
        a.updated = "2019-05-01T12:00:00Z";
        let mut b = entry("https://example.org/briefs/b/", "B");
        b.updated = "2020-02-29T23:30:00-01:00";
        let mut f = feed(vec![a, b]);
        f.updated = " ";
        assert!(atom(&f).contains("\n  <updated>2020-03-01T00:30:00Z</updated>\n"));
    }

    #[test]
    fn output_is_deterministic() {
        let make = || {
            atom(&feed(vec![
                entry("https://example.org/briefs/a/", "A"),
                entry("https://example.org/briefs/b/", "B"),
            ]))
        };
        let first = make();
        assert_eq!(first, make());
        assert!(first.ends_with("</feed>\n"));
        // Entries keep the caller's order.
        let a = first.find("briefs/a/").unwrap_or(usize::MAX);
        let b = first.find("briefs/b/").unwrap_or(0);
        assert!(a < b);
    }
}
