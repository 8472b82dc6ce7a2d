//! The authors page (`authors.html`) and author listings (`author.html`).

use tera::Context;

use crate::diagnostic::Diagnostic;

use super::super::routes::Listing;
use super::super::views::{AuthorPage, ProfileLink, counted_terms, profile_label};
use super::Renderer;
use crate::content::model::AuthorEntry;

/// `/authors/`: every author by name, with counts.
pub(super) fn render(r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = r.context(
        "authors",
        &r.ui("nav_authors"),
        &r.in_lang("authors/"),
        &r.ui("authors_description"),
    );
    let all = counted_terms(&r.site.index.authors, |k| r.author_link(k));
    ctx.insert("authors", &all);
    r.finish("authors.html", ctx)
}

/// An author listing's own variables: `author`, with a count.
pub(super) fn author_context(r: &Renderer<'_>, key: &str, path: &str) -> Context {
    let Some((key, term)) = r.site.index.authors.get_key_value(key) else {
        unreachable!("author pages are only made for indexed authors");
    };
    let Some(link) = r.author_link(key) else {
        unreachable!("an indexed author has a link");
    };
    let description = r.ui_with(
        "author_description",
        None,
        &[("name", term.name.to_string())],
    );
    let mut ctx = r.context_with_feed(
        "author",
        &term.name,
        path,
        &description,
        &Listing::Author(key.clone()),
    );
    let record = r.site.authors.get(key);
    let field = |f: fn(&AuthorEntry) -> &Option<String>| record.and_then(|a| f(a).as_deref());
    let links = record.map_or(&[][..], |a| a.links.as_slice());
    ctx.insert(
        "author",
        &AuthorPage {
            link,
            count: term.briefs.len(),
            role: field(|a| &a.role),
            affiliation: field(|a| &a.affiliation),
            photo: field(|a| &a.photo),
            orcid_url: field(|a| &a.orcid).map(|id| format!("https://orcid.org/{id}")),
            links: (links.iter())
                .map(|url| ProfileLink {
                    url,
                    label: profile_label(url),
                })
                .collect(),
            bio: field(|a| &a.bio_html),
        },
    );
    ctx
}
