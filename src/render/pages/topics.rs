//! The topics page (`topics.html`) and topic listings (`topic.html`): the
//! optional third taxonomy, beside countries and actors.

use tera::Context;

use crate::diagnostic::Diagnostic;

use super::super::routes::Listing;
use super::super::views::{Counted, counted_terms};
use super::Renderer;

/// `/topics/`: every topic by name, with counts.
pub(super) fn render(r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = r.context(
        "topics",
        &r.ui("nav_topics"),
        &r.in_lang("topics/"),
        &r.ui("topics_description"),
    );
    let all = counted_terms(&r.site.index.topics, |k| r.topic_link(k));
    ctx.insert("topics", &all);
    r.finish("topics.html", ctx)
}

/// A topic listing's own variables: `topic`, with a count.
pub(super) fn topic_context(r: &Renderer<'_>, key: &str, path: &str) -> Context {
    let Some((key, term)) = r.site.index.topics.get_key_value(key) else {
        unreachable!("topic pages are only made for indexed topics");
    };
    let Some(link) = r.topic_link(key) else {
        unreachable!("an indexed topic has a link");
    };
    let description = r.ui_with(
        "topic_description",
        None,
        &[("name", term.name.to_string())],
    );
    let mut ctx = r.context_with_feed(
        "topic",
        &term.name,
        path,
        &description,
        &Listing::Topic(key.clone()),
    );
    ctx.insert(
        "topic",
        &Counted {
            link,
            count: term.briefs.len(),
        },
    );
    ctx
}
