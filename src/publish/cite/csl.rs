//! CSL styles through hayagriva: a brief's reference ("Cite this brief")
//! and its sources list, in the style `citation_style:` names.
//!
//! Our own types become hayagriva entries here (a brief is a web page of
//! the site; a source by its `kind`: news and state media are articles of
//! their agency, reports are reports, the rest web pages of their
//! publisher). The output tree is written as HTML by [`write_html`], which
//! escapes text itself: hayagriva's own HTML writer does not.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use hayagriva::archive::{ArchivedStyle, locales};
use hayagriva::citationberg::{IndependentStyle, Locale, Style};
use hayagriva::types::{Date, EntryType, FormatString, Person, Publisher, QualifiedUrl};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild, Entry,
};

use super::names::Name;
use super::{CiteInput, authors, tidy};
use crate::content::model::Source;
use crate::escape::escaped as escape_html;

/// The style used when `site.yaml` names none. It is formatted by
/// briefly's own Chicago author-date code (`chicago.rs`), not here:
/// hayagriva costs about 0.45 ms per entry, ten times the rest of a build
/// (measured on the 10k benchmark corpus: 1.7 s of CPU without, 17.9 s with).
pub(crate) const DEFAULT_STYLE: &str = "chicago-author-date";

/// Whether hayagriva's archive has a style of this name.
pub(crate) fn is_known_style(name: &str) -> bool {
    ArchivedStyle::by_name(name).is_some_and(|s| matches!(s.get(), Style::Independent(_)))
}

/// Every style name of the archive, for "did you mean" hints.
pub(crate) fn style_names() -> Vec<&'static str> {
    ArchivedStyle::all()
        .iter()
        .flat_map(|s| s.names().iter().copied())
        .collect()
}

/// A style whose citations are a constant: see [`CslStyle::cite_style`].
const CITE_NOTHING: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Cite nothing</title><id>briefly-cite-nothing</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text value="-"/></layout></citation>
</style>"#;

/// Styles loaded so far, by style name and language.
type Loaded = HashMap<(String, String), Arc<CslStyle>>;

/// A loaded style and the locale its terms come from, made once per build.
pub(crate) struct CslStyle {
    style: IndependentStyle,
    /// The style citations are rendered in: hayagriva renders a citation for
    /// every entry, and we show only bibliography entries, so a style
    /// whose citation is one word saves that work.
    cite_style: IndependentStyle,
    /// Only the site's language (with English as the fallback): fewer
    /// locales to search makes every entry cheaper to format.
    locales: Vec<Locale>,
    /// References already formatted (see `memo.rs`).
    pub(super) memo: super::memo::Memo,
}

impl CslStyle {
    /// The style of this name (an unknown name was refused by the config),
    /// with the locales of `language`.
    pub(crate) fn new(name: &str, language: &str) -> Option<CslStyle> {
        let Style::Independent(style) = ArchivedStyle::by_name(name)?.get() else {
            return None;
        };
        let lang = language.split(['-', '_']).next().unwrap_or("en");
        let locales = locales()
            .into_iter()
            .filter(|l| {
                l.lang
                    .as_ref()
                    .is_some_and(|id| id.0 == "en-US" || id.0.split('-').next() == Some(lang))
            })
            .collect();
        let cite_style = IndependentStyle::from_xml(CITE_NOTHING).ok()?;
        Some(CslStyle {
            style,
            cite_style,
            locales,
            memo: super::memo::Memo::default(),
        })
    }

    /// The style a site's pages use: `None` for the default style, which
    /// briefly formats itself (see [`DEFAULT_STYLE`]).
    pub(crate) fn for_site(name: &str, language: &str) -> Option<Arc<CslStyle>> {
        if name == DEFAULT_STYLE {
            return None;
        }
        CslStyle::cached(name, language)
    }

    /// The style of this name for `language`, loaded once per process:
    /// loading the locales costs tens of milliseconds, too much for every
    /// preview rebuild.
    pub(crate) fn cached(name: &str, language: &str) -> Option<Arc<CslStyle>> {
        static LOADED: OnceLock<Mutex<Loaded>> = OnceLock::new();
        let mut loaded = LOADED.get_or_init(Default::default).lock().ok()?;
        let key = (name.to_string(), language.to_string());
        if let Some(style) = loaded.get(&key) {
            return Some(style.clone());
        }
        let style = Arc::new(CslStyle::new(name, language)?);
        loaded.insert(key, style.clone());
        Some(style)
    }

    /// The bibliography entry of each entry, in the given order.
    /// Entries formatted before (in this process or, through the build
    /// cache, in the last build) are not formatted again.
    fn format(&self, entries: &[Entry]) -> Vec<Reference> {
        entries
            .iter()
            .map(|entry| {
                let key = super::memo::Memo::key(entry);
                self.memo.get(key).unwrap_or_else(|| {
                    let reference = self
                        .format_citing_with(std::slice::from_ref(entry), &self.cite_style)
                        .pop()
                        .unwrap_or_default();
                    self.memo.put(key, &reference);
                    reference
                })
            })
            .collect()
    }

    /// [`CslStyle::format`], rendering the (unused) citations in `cite_style`.
    fn format_citing_with(
        &self,
        entries: &[Entry],
        cite_style: &IndependentStyle,
    ) -> Vec<Reference> {
        entries
            .iter()
            .map(|entry| {
                // One driver per entry: a driver's cost grows faster than its size.
                let mut driver = BibliographyDriver::new();
                driver.citation(CitationRequest::from_items(
                    vec![CitationItem::with_entry(entry)],
                    cite_style,
                    &self.locales,
                ));
                let request = BibliographyRequest::new(&self.style, None, &self.locales);
                let mut reference = Reference::default();
                let rendered = driver.finish(request);
                if let Some(item) = rendered
                    .bibliography
                    .and_then(|b| b.items.into_iter().next())
                {
                    for child in &item.content.0 {
                        write_html(child, &mut reference.html);
                        write_text(child, &mut reference.text);
                    }
                }
                reference
            })
            .collect()
    }

    /// The brief's reference.
    pub(crate) fn brief(&self, c: &CiteInput<'_>) -> Reference {
        self.format(&[brief_entry(c)]).pop().unwrap_or_default()
    }

    /// Each source's reference, in the brief's order.
    pub(crate) fn sources(&self, sources: &[Source]) -> Vec<Reference> {
        let entries: Vec<Entry> = sources
            .iter()
            .enumerate()
            .map(|(i, s)| source_entry(i, s))
            .collect();
        let mut refs = self.format(&entries);
        for (r, s) in refs.iter_mut().zip(sources) {
            if s.publisher.is_none() && s.url.is_none() && s.date.is_none() {
                // A plain-string source is free text: a style would title-case it.
                *r = Reference {
                    html: escape_html(&s.title),
                    text: s.title.clone(),
                };
            }
        }
        refs
    }
}

/// A formatted reference, as HTML (italics, a link) and as plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reference {
    pub(crate) html: String,
    pub(crate) text: String,
}

/// Writes one node of hayagriva's output as HTML, escaping its text.
fn write_html(child: &ElemChild, out: &mut String) {
    match child {
        ElemChild::Text(t) => formatted(&t.text, t.formatting, out),
        ElemChild::Elem(e) => {
            for c in &e.children.0 {
                write_html(c, out);
            }
        }
        ElemChild::Markup(m) => out.push_str(&escape_html(m)),
        ElemChild::Link { text, url } => {
            let _ = write!(
                out,
                "<a href=\"{}\" rel=\"noopener noreferrer\">",
                escape_html(url)
            );
            formatted(&text.text, text.formatting, out);
            out.push_str("</a>");
        }
        ElemChild::Transparent { .. } => {}
    }
}

/// Writes one node of hayagriva's output as plain text.
fn write_text(child: &ElemChild, out: &mut String) {
    match child {
        ElemChild::Text(t) => out.push_str(&t.text),
        ElemChild::Elem(e) => {
            for c in &e.children.0 {
                write_text(c, out);
            }
        }
        ElemChild::Markup(m) => out.push_str(m),
        ElemChild::Link { text, .. } => out.push_str(&text.text),
        ElemChild::Transparent { .. } => {}
    }
}

/// Text with its italics and bold as tags.
fn formatted(text: &str, f: hayagriva::Formatting, out: &mut String) {
    use hayagriva::citationberg::{FontStyle, FontWeight};
    let italic = f.font_style == FontStyle::Italic;
    let bold = f.font_weight == FontWeight::Bold;
    if italic {
        out.push_str("<i>");
    }
    if bold {
        out.push_str("<b>");
    }
    out.push_str(&escape_html(text));
    if bold {
        out.push_str("</b>");
    }
    if italic {
        out.push_str("</i>");
    }
}

/// The brief as a web page of the site, by its authors (or the site).
fn brief_entry(c: &CiteInput<'_>) -> Entry {
    let mut e = Entry::new("brief", EntryType::Web);
    e.set_title(FormatString::with_value(tidy(c.title)));
    e.set_authors(authors(c).iter().map(person).collect());
    e.set_date(day(c.date));
    if let Ok(url) = tidy(c.url).parse::<QualifiedUrl>() {
        e.set_url(url);
    }
    // The site as the page's container only: also naming it publisher
    // prints it twice in Chicago and APA.
    let publisher = tidy(c.publisher);
    if !publisher.is_empty() {
        e.set_publisher(Publisher::new(
            Some(FormatString::with_value(publisher)),
            None,
        ));
    }
    e
}

/// A source by its kind: agency and press items are articles in their
/// publisher, reports are reports, anything else a page of its publisher.
fn source_entry(i: usize, s: &Source) -> Entry {
    let kind = s.kind.as_deref().unwrap_or("").to_ascii_lowercase();
    let news = ["news", "state-media", "press", "media", "agency"]
        .iter()
        .any(|w| kind.contains(w));
    let entry_type = if news {
        EntryType::Article
    } else if kind.contains("report") {
        EntryType::Report
    } else {
        EntryType::Web
    };
    let mut e = Entry::new(&format!("source-{}", i + 1), entry_type);
    e.set_title(FormatString::with_value(tidy(&s.title)));
    if let Some(d) = &s.date {
        e.set_date(day(d.date));
    }
    if let Some(url) = s
        .url
        .as_deref()
        .and_then(|u| u.parse::<QualifiedUrl>().ok())
    {
        e.set_url(url);
    }
    let publisher = s.publisher.as_deref().map(tidy).filter(|p| !p.is_empty());
    if let Some(p) = publisher.filter(|p| *p != tidy(&s.title)) {
        match entry_type {
            EntryType::Article => {
                let mut parent = Entry::new("agency", EntryType::Newspaper);
                parent.set_title(FormatString::with_value(p));
                e.set_parents(vec![parent]);
            }
            EntryType::Report => {
                e.set_publisher(Publisher::new(Some(FormatString::with_value(p)), None));
            }
            _ => {
                let mut parent = Entry::new("site", EntryType::Web);
                parent.set_title(FormatString::with_value(p));
                e.set_parents(vec![parent]);
            }
        }
    }
    e
}

/// Our reading of an author name as a hayagriva person. Institutions are
/// built by hand: parsing "Ministry for Europe and Foreign Affairs" would
/// split it into a given and a family name.
fn person(name: &Name) -> Person {
    let (name, given_name, suffix) = match name {
        Name::Person {
            given,
            family,
            suffix,
        } => (
            family.clone(),
            (!given.is_empty()).then(|| given.clone()),
            (!suffix.is_empty()).then(|| suffix.clone()),
        ),
        Name::Institution(text) => (text.clone(), None, None),
    };
    Person {
        name,
        given_name,
        prefix: None,
        suffix,
        comma_suffix: false,
        alias: None,
    }
}

/// A calendar day as hayagriva's date (months and days count from 0).
fn day(d: jiff::civil::Date) -> Date {
    Date {
        year: i32::from(d.year()),
        month: u8::try_from(d.month() - 1).ok(),
        day: u8::try_from(d.day() - 1).ok(),
        approximate: false,
        season: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::BriefDate;
    use crate::publish::cite::tests::input;

    fn source(title: &str, publisher: &str, kind: &str) -> Source {
        Source {
            id: None,
            title: title.into(),
            publisher: Some(publisher.into()),
            publisher_key: None,
            url: Some("https://example.org/a?b=1&c=2".into()),
            date: Some(BriefDate {
                date: jiff::civil::date(2018, 1, 2),
                machine: "2018-01-02".into(),
                sort_key: 0,
            }),
            kind: (!kind.is_empty()).then(|| kind.into()),
            at: (1, 1),
        }
    }

    /// Plain text of the brief's reference and of each source in `style`.
    fn texts(style: &str, authors: Vec<&str>, sources: &[Source]) -> (String, Vec<String>) {
        let style = CslStyle::new(style, "en").expect("style in the archive");
        let brief = style.brief(&input(authors, "Sanctions and Talks")).text;
        (
            brief,
            style.sources(sources).into_iter().map(|r| r.text).collect(),
        )
    }

    /// Our source kinds: a news agency, a Persian one, a report, a
    /// government readout.
    fn our_sources() -> Vec<Source> {
        vec![
            source(
                "Rouhani's phone call with Macron",
                "Fars News Agency",
                "state-media",
            ),
            source(
                "گفت‌وگوی وزیران خارجه ایران و فرانسه",
                "خبرگزاری فارس",
                "state-media",
            ),
            source(
                "Iran nuclear deal report",
                "International Crisis Group",
                "report",
            ),
            source(
                "Readout of the President's call",
                "Élysée Palace",
                "official-readout",
            ),
        ]
    }

    const URL: &str = "https://example.org/a?b=1&c=2";
    const BRIEF_URL: &str = "https://org.github.io/briefs/sanctions/";

    #[test]
    fn apa_golden() {
        let (brief, sources) = texts(
            "apa",
            vec!["Leila Haddad", "Middle East Institute"],
            &our_sources(),
        );
        assert_eq!(
            brief,
            format!(
                "Haddad, L., & Middle East Institute. (2018, January 2). Sanctions and Talks. Example Briefs. {BRIEF_URL}"
            )
        );
        assert_eq!(
            sources,
            [
                format!(
                    "Rouhani's phone call with Macron. (2018, January 2). Fars News Agency. {URL}"
                ),
                format!(
                    "گفت‌وگوی وزیران خارجه ایران و فرانسه. (2018, January 2). خبرگزاری فارس. {URL}"
                ),
                format!("Iran nuclear deal report. (2018). International Crisis Group. {URL}"),
                format!("Readout of the President's call. (2018, January 2). Élysée Palace. {URL}"),
            ]
        );
    }

    #[test]
    fn harvard_golden() {
        let (brief, sources) = texts(
            "harvard-cite-them-right",
            vec!["Leila Haddad"],
            &our_sources(),
        );
        assert_eq!(
            brief,
            format!(
                "Haddad, L. (2018) Sanctions and Talks. Example Briefs. Available at: {BRIEF_URL}."
            )
        );
        assert_eq!(
            sources[2],
            format!(
                "Iran nuclear deal report (2018). International Crisis Group. Available at: {URL}."
            )
        );
    }

    #[test]
    fn html_is_escaped_and_plain_sources_stay_as_written() {
        let style = CslStyle::new("apa", "en").expect("apa");
        let brief = style.brief(&input(vec!["Leila Haddad"], "Sanctions & <b>Talks</b>"));
        assert!(
            brief
                .html
                .contains("<i>Sanctions &amp; &lt;b&gt;Talks&lt;/b&gt;</i>"),
            "{}",
            brief.html
        );
        assert!(brief.html.contains(&format!(
            "<a href=\"{BRIEF_URL}\" rel=\"noopener noreferrer\">"
        )));
        let mut plain = source("a plain string source, as written", "x", "");
        (plain.publisher, plain.url, plain.date) = (None, None, None);
        let refs = style.sources(&[plain]);
        assert_eq!(refs[0].text, "a plain string source, as written");
    }

    /// Rendering the unused citations in a one-word style changes no
    /// bibliography entry (the times print with `--nocapture`).
    #[test]
    fn a_one_word_citation_style_leaves_entries_alone() {
        let style = CslStyle::new("apa", "en").expect("style");
        let sources: Vec<Source> = (0..40)
            .map(|i| {
                source(
                    &format!("Report number {i}"),
                    &format!("Publisher {}", i % 60),
                    "report",
                )
            })
            .collect();
        let entries: Vec<Entry> = sources
            .iter()
            .enumerate()
            .map(|(i, s)| source_entry(i, s))
            .collect();
        let started = std::time::Instant::now();
        let cheap = style.format_citing_with(&entries, &style.cite_style);
        eprintln!(
            "{:?} per entry, citations in a one-word style",
            started.elapsed() / 40
        );
        let started = std::time::Instant::now();
        let full = style.format_citing_with(&entries, &style.style);
        eprintln!(
            "{:?} per entry, citations in the style",
            started.elapsed() / 40
        );
        assert_eq!(
            cheap, full,
            "the citation style does not change bibliography entries"
        );
    }

    #[test]
    fn an_entry_is_formatted_once_and_then_remembered() {
        let style = CslStyle::new("apa", "en").expect("apa");
        let sources = our_sources();
        let first = style.sources(&sources);
        let remembered = style.memo.known.lock().expect("memo").len();
        assert_eq!(remembered, sources.len());
        assert_eq!(style.sources(&sources), first);
        assert_eq!(style.memo.known.lock().expect("memo").len(), remembered);
    }

    #[test]
    fn only_independent_styles_are_known() {
        assert!(is_known_style("apa") && is_known_style(DEFAULT_STYLE));
        assert!(!is_known_style("chicago-autor-date"));
        assert!(style_names().contains(&"harvard-cite-them-right"));
    }
}
