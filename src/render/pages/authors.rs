//! The authors page (`authors.html`) and author listings (`author.html`).

use tera::Context;

use crate::diagnostic::Diagnostic;

use super::super::routes::Listing;
use super::super::views::{Counted, counted_terms};
use super::Renderer;

/// `/authors/`: every author by name, with counts.
pub(super) fn render(r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = r.context(
        "authors",
        "Authors",
        "authors/",
        "Everyone who wrote for the site, with their briefs.",
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
    let description = format!("Briefs by {}.", term.name);
    let mut ctx = r.context_with_feed(
        "author",
        &term.name,
        path,
        &description,
        &Listing::Author(key.clone()),
    );
    ctx.insert(
        "author",
        &Counted {
            link,
            count: term.briefs.len(),
        },
    );
    ctx
}
