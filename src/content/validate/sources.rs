//! A brief's `sources:` entries: each one read by `raw_source.rs` is
//! checked here (a title, a web URL, a valid date, a unique id) and becomes
//! a [`Source`].
//!
//! Part of the brief's checks (an `impl` of `BriefBuilder`); it knows nothing
//! of the body or the other front matter fields.

use serde_saphyr::Spanned;

use super::brief::BriefBuilder;
use super::dates::{ACCEPTED, parse_date};
use super::raw_source::{RawSource, SOURCE_KEYS, SourceProblem};
use crate::content::model::Source;
use crate::diagnostic::{Diagnostic, did_you_mean};

impl BriefBuilder<'_> {
    /// Checks each `sources:` entry; a bad one is reported and left out.
    pub(super) fn sources(&mut self, values: Vec<Spanned<RawSource>>) -> Vec<Source> {
        let mut out = Vec::with_capacity(values.len());
        let mut ids: Vec<String> = Vec::new();
        let zone = &self.ctx.config.timezone;
        for v in values {
            if self.source_problem(&v) {
                continue;
            }
            let at = self.at(&v);
            let mut entry = v.value;
            // Copied links often carry a space or a line break at either end.
            entry.url = entry.url.map(trimmed);
            let mut error = |message: String, hint: &str| {
                self.errors.push(
                    Diagnostic::error(self.path, at.0, at.1, message).with_hint(hint.to_string()),
                );
            };
            let title = entry
                .title
                .or_else(|| entry.publisher.clone())
                .unwrap_or_default();
            if title.trim().is_empty() {
                error(
                    "source has neither `title` nor `publisher`".into(),
                    "give the source a `title:`",
                );
            }
            if let Some(url) = entry.url.as_deref().filter(|u| !is_web_url(u)) {
                error(
                    format!("source URL `{url}` must start with http:// or https://"),
                    "link the published page; other schemes (javascript:, file:, data:) are refused",
                );
            }
            let date = entry.date.as_ref().and_then(|d| match parse_date(d, zone) {
                Ok(d) => Some(d),
                Err(why) => {
                    error(
                        format!("source date `{d}` is not a valid date ({})", why.reason()),
                        ACCEPTED,
                    );
                    None
                }
            });
            if let Some(id) = &entry.id {
                if ids.contains(id) {
                    error(
                        format!("two sources have the id `{id}`"),
                        "give each source its own id",
                    );
                }
                ids.push(id.clone());
            }
            let publisher_key = entry
                .publisher
                .as_deref()
                .and_then(|p| self.ctx.publishers.key_for(p));
            out.push(Source {
                publisher_key,
                id: entry.id,
                title: title.trim().to_string(),
                publisher: entry.publisher,
                url: entry.url,
                date,
                kind: entry.kind,
                at,
            });
        }
        out
    }

    /// Reports what is wrong with a source entry, if anything (a source is a
    /// plain string or a map of the known keys).
    fn source_problem(&mut self, v: &Spanned<RawSource>) -> bool {
        let Some(problem) = &v.value.problem else {
            return false;
        };
        let keys = SOURCE_KEYS.join(", ");
        let (message, hint) = match problem {
            SourceProblem::UnknownKey(unknown) => (
                format!("unknown source field `{unknown}`"),
                match did_you_mean(unknown, SOURCE_KEYS.iter().copied()) {
                    Some(g) => format!("did you mean `{g}`? A source's keys are {keys}"),
                    None => format!("a source's keys are {keys}"),
                },
            ),
            SourceProblem::NotText(field) => (
                format!("invalid source: `{field}` must be text, not a list or a map"),
                "write each source field as text, e.g. `date: 2018-01-02`".into(),
            ),
            SourceProblem::NotAnEntry => (
                "invalid entry in `sources`".into(),
                format!("a source is either a string or a map with the keys {keys}"),
            ),
        };
        self.error_at(v, message, Some(hint));
        true
    }
}

/// `text` without surrounding whitespace, reusing it when there is none.
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

/// An absolute http(s) URL with a host.
fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty() && !r.starts_with('/') && !r.chars().any(char::is_whitespace)
    })
}
