//! One imported post -> the text of a briefly brief: YAML front matter
//! (every scalar quoted as JSON, which YAML reads as the same string, so no
//! title can break the YAML) and the converted Markdown body.

use std::fmt::Write as _;

use serde_json::Value;

use super::post::Post;
use super::terms::PostTerms;

/// The brief file's text.
/// The file is named after the brief's slug, so the front matter needs none.
pub(crate) fn text(post: &Post, terms: &PostTerms, body: &str) -> String {
    let mut out = String::from("---\n");
    line(&mut out, "title", &Value::from(post.title.as_str()));
    line(&mut out, "date", &Value::from(post.date.as_str()));
    if let Some(u) = &post.updated {
        line(&mut out, "updated", &Value::from(u.as_str()));
    }
    if let Some(s) = &post.summary {
        line(&mut out, "summary", &Value::from(s.as_str()));
    }
    list(&mut out, "authors", &post.authors);
    list(&mut out, "countries", &terms.countries);
    list(&mut out, "actors", &terms.actors);
    list(&mut out, "topics", &terms.topics);
    list(&mut out, "aliases", &post.aliases);
    if post.draft {
        out.push_str("draft: true\n");
    }
    let mut extra = post.extra.clone();
    if !terms.tags.is_empty() {
        extra.insert("tags".into(), Value::from(terms.tags.clone()));
    }
    if !post.media.is_empty() {
        extra.insert("media".into(), Value::from(post.media.clone()));
    }
    extra.insert(
        "imported_from".into(),
        Value::from(post.origin.to_string_lossy().replace('\\', "/")),
    );
    out.push_str("extra:\n");
    for (k, v) in &extra {
        let _ = writeln!(out, "  {}: {}", json(&Value::from(k.as_str())), json(v));
    }
    out.push_str("---\n");
    out.push_str(body.trim_start_matches('\n'));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn json(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn line(out: &mut String, key: &str, v: &Value) {
    let _ = writeln!(out, "{key}: {}", json(v));
}

fn list(out: &mut String, key: &str, items: &[String]) {
    if !items.is_empty() {
        line(out, key, &Value::from(items.to_vec()));
    }
}
