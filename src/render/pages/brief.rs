//! Brief pages (`brief.html`): the brief's card plus its body, sources,
//! disclaimer, related cards, citation and JSON-LD.

use tera::Value;

use crate::content::model::Brief;
use crate::diagnostic::Diagnostic;
use crate::index::BriefId;
use crate::publish::{cite, jsonld};

use super::super::routes::brief_dir;
use super::super::views::{CitationView, SourceView, display_date};
use super::Renderer;

/// `/briefs/<slug>/`.
pub(super) fn render(r: &Renderer<'_>, id: BriefId) -> Result<Vec<u8>, Diagnostic> {
    let b = &r.site.briefs[id];
    let path = [r.site.lang_path(), &brief_dir(&b.slug)].concat();
    let mut ctx = r.context_in(
        "brief",
        &b.title,
        &path,
        &b.summary,
        &crate::render::routes::Listing::Home,
        &b.lang,
        &super::languages::Sibling::Brief(id),
    );
    let disclaimer = b
        .disclaimer
        .as_ref()
        .and_then(|k| r.disclaimers.get(k.as_str()));
    // The brief's own card and its related cards are the shared card
    // values: cloning them shares their strings instead of rebuilding them.
    let Some(body) = b.body_html.get() else {
        return Err(Diagnostic::file_error(
            &b.path,
            "briefly let go of this brief's body before rendering its page (a bug in briefly: please report it)",
        ));
    };
    let mut page = r.cards.card(id)?.into_map().unwrap_or_default();
    page.insert("html".into(), Value::none());
    page.insert(
        "body".into(),
        Value::from(body_in_language(r, &b.lang, &body)),
    );
    let formatted = r
        .csl
        .as_ref()
        .map(|style| style.sources(&b.sources))
        .unwrap_or_default();
    page.insert(
        "sources".into(),
        Value::from_serializable(&sources(r, b, formatted)),
    );
    page.insert(
        "publishers".into(),
        Value::from_serializable(&super::sources::publishers_of(r, b)),
    );
    page.insert(
        "disclaimer".into(),
        Value::from(disclaimer.map(String::as_str)),
    );
    page.insert("word_count".into(), Value::from(b.word_count));
    page.insert(
        "reading_minutes".into(),
        Value::from(b.word_count.div_ceil(230).max(1)),
    );
    page.insert("related".into(), r.cards_of(&r.site.index.related[id])?);
    page.insert("extra".into(), Value::from_serializable(&b.extra));
    page.insert(
        "citation".into(),
        Value::from_serializable(&citation(r, b, &path)),
    );
    page.insert(
        "jsonld".into(),
        Value::from(jsonld::brief_jsonld(r.site, b)),
    );
    page.insert("pdf".into(), pdf(r, id));
    ctx.insert_value("brief", Value::from(page));
    r.finish("brief.html", ctx)
}

/// The brief's PDF edition (`url`, `permalink`, `size`, `size_display`;
/// the sizes null while `serve` has not made it yet), or null when the
/// site makes no PDFs.
fn pdf(r: &Renderer<'_>, id: BriefId) -> Value {
    let Some(sizes) = r.site.pdf_sizes else {
        return Value::none();
    };
    let size = sizes.get(id).copied().flatten();
    let path = [
        "briefs/",
        &r.site.briefs[id].slug,
        "/",
        &r.site.briefs[id].slug,
        ".pdf",
    ]
    .concat();
    let mut pdf = tera::Map::new();
    pdf.insert("url".into(), Value::from(r.url(&path)));
    pdf.insert("permalink".into(), Value::from(r.permalink(&path)));
    pdf.insert("size".into(), Value::from(size));
    pdf.insert("size_display".into(), Value::from(size.map(size_display)));
    Value::from(pdf)
}

/// `182 KB`, `1.4 MB`: a file size as a download link shows it.
fn size_display(bytes: u64) -> String {
    if bytes < 1000 * 1000 {
        format!("{} KB", bytes.div_ceil(1000))
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// The brief's sources, numbered as cited, with their backlinks.
fn sources<'a>(
    r: &Renderer<'a>,
    b: &'a Brief,
    formatted: Vec<cite::csl::Reference>,
) -> Vec<SourceView<'a>> {
    let mut formatted = formatted.into_iter();
    b.sources
        .iter()
        .enumerate()
        .map(|(i, s)| SourceView {
            formatted: formatted.next().map(|f| f.html).unwrap_or_default(),
            number: i + 1,
            anchor: format!("source-{}", i + 1),
            id: s.id.as_deref(),
            title: &s.title,
            publisher: s.publisher.as_deref(),
            publisher_url: s
                .publisher_key
                .as_deref()
                .map(|k| r.lang_url(&["sources/", k, "/"].concat())),
            url: s.url.as_deref(),
            date: s.date.as_ref().map(|d| d.machine.as_str()),
            date_display: (s.date.as_ref()).map(|d| display_date(r.site.i18n, &b.lang, d)),
            kind: s.kind.as_deref(),
            backlinks: b.source_backlinks.get(i).map_or(&[], Vec::as_slice),
        })
        .collect()
}

/// How to cite the brief; `path` is its page's path.
fn citation(r: &Renderer<'_>, b: &Brief, path: &str) -> CitationView {
    let url = r.permalink(path);
    let input = cite::CiteInput {
        title: &b.title,
        authors: b.authors.iter().map(String::as_str).collect(),
        date: b.date.date,
        publisher: &r.site.config.title,
        url: &url,
        slug: &b.slug,
        lang: &b.lang,
    };
    let (text, html) = match &r.csl {
        Some(style) => {
            let reference = style.brief(&input);
            (reference.text, reference.html)
        }
        None => {
            let text = cite::formatted(&input);
            let html = crate::escape::escaped(&text);
            (text, html)
        }
    };
    CitationView {
        date: b.date.date.strftime("%Y/%m/%d").to_string(),
        text,
        html,
        key: cite::key(&input),
        // Downloads embedded in the page: a brief stays one file, which
        // keeps builds and deploys of large archives fast.
        bibtex_url: data_url("application/x-bibtex", &cite::bibtex(&input)),
        ris_url: data_url("application/x-research-info-systems", &cite::ris(&input)),
    }
}

/// Characters a URL may hold as they are (the URL Standard's URL code points,
/// ASCII part); everything else is percent-encoded.
const DATA_URL_ENCODE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b'-')
    .remove(b'.')
    .remove(b'/')
    .remove(b':')
    .remove(b';')
    .remove(b'=')
    .remove(b'?')
    .remove(b'@')
    .remove(b'_')
    .remove(b'~');

/// A `data:` URL holding `text` (UTF-8) for a download link.
fn data_url(mime: &str, text: &str) -> String {
    let mut url = String::with_capacity(text.len() * 2 + 40);
    url.push_str("data:");
    url.push_str(mime);
    url.push_str(";charset=utf-8,");
    url.extend(percent_encoding::utf8_percent_encode(text, DATA_URL_ENCODE));
    url
}

/// The body with its Notes heading in the brief's language `lang`.
pub(super) fn body_in_language(r: &Renderer<'_>, lang: &str, html: &str) -> String {
    use crate::content::markdown::NOTES_HEADING;
    let notes = r.site.i18n.language(lang).text("brief_notes");
    if notes == "Notes" || !html.contains(NOTES_HEADING) {
        return html.to_string();
    }
    let heading = [
        "id=\"footnotes-heading\">",
        &crate::escape::escaped(&notes),
        "</h2>",
    ]
    .concat();
    html.replacen(NOTES_HEADING, &heading, 1)
}
