//! Feeds parsed back with real parsers (roxmltree, feed-rs).
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
        lang: "en",
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
        lang: "en",
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
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n"
    ));
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
    assert!(
        xml.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;quoted&quot;")
    );
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
            .find(|n| n.has_tag_name("link") && n.parent().is_some_and(|p| p.has_tag_name("entry")))
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
    let title = "Bad\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{fffe}\u{ffff} title\twith\ttabs";
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

#[test]
fn entries_in_another_language_carry_xml_lang() {
    let mut persian = entry("https://example.org/briefs/fa/", "ایران");
    persian.lang = "fa";
    let xml = atom(&feed(vec![
        persian,
        entry("https://example.org/briefs/en/", "Iran"),
    ]));
    assert!(xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
    assert_eq!(xml.matches("<entry xml:lang=\"fa\">").count(), 1);
    assert_eq!(xml.matches("<entry>").count(), 1);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert!(doc.descendants().any(|n| n.has_tag_name("entry")));
}
