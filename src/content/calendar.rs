//! The publishing calendar: which briefs a build publishes at its clock.
//!
//! A brief's publication time is its `date` (a plain day: its midnight in
//! site.yaml's `timezone:`). There is no separate `publish_at`: readers see
//! the date as the day the brief went out, so a second field could only let
//! the two disagree. A brief dated after the build's clock is *scheduled*:
//! `build` and `check` leave it out of every output until a build runs at
//! or after its time (`--now` fixes the clock); `serve` shows it with a
//! banner, kept out of feeds and the sitemap like a draft.

use crate::BuildOptions;
use crate::content::config::Config;
use crate::content::model::Brief;
use crate::content::validate::parse_date;
use crate::diagnostic::Diagnostic;

/// The build's clock in seconds since the epoch: `--now` read like a front
/// matter date (a plain day is its midnight in the site's zone), else the
/// current time.
pub(crate) fn resolve_now(options: &BuildOptions, config: &Config) -> Result<i64, Diagnostic> {
    let Some(text) = options.now.as_deref() else {
        return Ok(jiff::Timestamp::now().as_second());
    };
    parse_date(text, &config.timezone)
        .map(|d| d.sort_key)
        .map_err(|e| {
            Diagnostic::error("--now", 0, 0, format!("`{text}` is {}", e.reason())).with_hint(
                "write a day (2027-03-01, midnight in site.yaml's `timezone:`) or a time (2027-03-01T09:00:00Z)",
            )
        })
}

/// Whether a build with these options publishes `brief`.
pub(crate) fn is_shown(brief: &Brief, options: &BuildOptions) -> bool {
    (options.drafts || !brief.draft) && (options.scheduled || !brief.scheduled)
}

/// Whether a shown brief is not public yet (a draft or a scheduled brief
/// in a preview): its page gets `noindex` and it stays out of feeds, the
/// sitemap and the search index.
pub(crate) fn is_preview_only(brief: &Brief) -> bool {
    brief.draft || brief.scheduled
}

/// Which briefs `briefly list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Briefs dated after the clock (drafts excluded).
    Scheduled,
    /// Briefs with `draft: true`.
    Drafts,
}

/// One line of `briefly list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The publication time as written (`2027-03-01` or RFC 3339).
    pub date: String,
    /// The brief's file, relative to the site root.
    pub path: std::path::PathBuf,
    /// The title as plain text.
    pub title: String,
}

/// The scheduled briefs or the drafts of the site, soonest first.
pub fn list(options: &BuildOptions, kind: ListKind) -> Result<Vec<Listed>, Vec<Diagnostic>> {
    let everything = BuildOptions {
        drafts: true,
        scheduled: true,
        ..options.clone()
    };
    let loaded = crate::content::load(&everything)?;
    let mut listed: Vec<(i64, Listed)> = loaded
        .briefs
        .into_iter()
        .filter(|b| match kind {
            ListKind::Scheduled => b.scheduled && !b.draft,
            ListKind::Drafts => b.draft,
        })
        .map(|b| {
            let listed = Listed {
                date: b.date.machine,
                path: b.path,
                title: b.title,
            };
            (b.date.sort_key, listed)
        })
        .collect();
    listed.sort_by(|a, b| (a.0, &a.1.path).cmp(&(b.0, &b.1.path)));
    Ok(listed.into_iter().map(|(_, l)| l).collect())
}
