//! The summary an import ends with: briefs written, terms mapped and
//! unmapped (every one, with its count), shortcodes converted and kept,
//! media, redirects, problems, and the command to build.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::ImportOptions;
use super::post::Post;
use super::write::Outcome;
use crate::diagnostic::Diagnostic;

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct ImportReport {
    /// The archive read.
    pub source: PathBuf,
    /// The site written.
    pub into: PathBuf,
    /// Nothing was written.
    pub dry_run: bool,
    /// Briefs by outcome.
    pub briefs: BTreeMap<String, usize>,
    /// Briefs imported as drafts.
    pub drafts: usize,
    /// Briefs not rewritten because they were edited since the last import.
    pub kept_edited: Vec<PathBuf>,
    /// Old URLs recorded as aliases.
    pub redirects: usize,
    /// Terms mapped, by where they went (`countries`, `actors`, `topics`, `dropped`).
    pub terms_mapped: BTreeMap<&'static str, usize>,
    /// Terms no rule or map entry names, with their counts.
    pub unmapped: BTreeMap<String, usize>,
    /// Shortcodes and Liquid tags converted to Markdown.
    pub shortcodes_converted: usize,
    /// Shortcodes and tags kept as written (each also a warning).
    pub shortcodes_kept: usize,
    /// Files copied (bundle images, static files), by outcome.
    pub media: BTreeMap<String, usize>,
    /// Images left on the old host.
    pub media_external: Vec<String>,
    /// Slugs taken twice: (post, slug, the slug it got).
    pub renamed: Vec<(PathBuf, String, String)>,
    /// Old URLs claimed by two posts: (post, URL, the post that keeps it).
    pub alias_conflicts: Vec<(PathBuf, String, PathBuf)>,
    /// Things that are not posts, by kind, with counts.
    pub skipped: BTreeMap<String, usize>,
    /// Warnings (shortcodes kept), at their file and line.
    pub warnings: Vec<Diagnostic>,
    /// Posts or files that could not be imported, at their file and line.
    pub problems: Vec<Diagnostic>,
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::New => "new",
        Outcome::Updated => "updated",
        Outcome::Unchanged => "unchanged",
        Outcome::KeptEdited => "kept (edited since the last import)",
    }
}

impl ImportReport {
    pub(crate) fn new(options: &ImportOptions) -> Self {
        ImportReport {
            source: options.source.clone(),
            into: options.into.clone(),
            dry_run: options.dry_run,
            ..Default::default()
        }
    }

    pub(crate) fn count_brief(&mut self, outcome: Outcome, rel: &Path, post: &Post) {
        *self.briefs.entry(outcome_word(outcome).into()).or_default() += 1;
        if outcome == Outcome::KeptEdited {
            self.kept_edited.push(rel.to_path_buf());
        }
        self.drafts += usize::from(post.draft);
        self.redirects += post.aliases.len();
    }

    pub(crate) fn count_media(&mut self, result: std::io::Result<Outcome>, from: &Path) {
        match result {
            Ok(o) => *self.media.entry(outcome_word(o).into()).or_default() += 1,
            Err(e) => self
                .problems
                .push(Diagnostic::file_error(from, format!("cannot copy: {e}"))),
        }
    }

    /// Briefs imported (whatever their outcome).
    pub fn brief_count(&self) -> usize {
        self.briefs.values().sum()
    }
}

fn counts(map: &BTreeMap<String, usize>) -> String {
    if map.is_empty() {
        return "none".into();
    }
    map.iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl ImportReport {
    /// Terms mapped by kind, and every unmapped term, most used first.
    fn write_terms(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mapped: BTreeMap<String, usize> = self
            .terms_mapped
            .iter()
            .map(|(k, v)| ((*k).to_string(), *v))
            .collect();
        writeln!(f, "terms mapped: {}", counts(&mapped))?;
        let mut unmapped: Vec<(&String, &usize)> = self.unmapped.iter().collect();
        unmapped.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        writeln!(
            f,
            "terms unmapped: {} (categories became topics, tags were kept in extra.tags; map them in {}):",
            unmapped.len(),
            super::MAP_FILE
        )?;
        for (term, n) in unmapped {
            writeln!(f, "  {n:>5}  {term}")?;
        }
        Ok(())
    }

    /// Slugs and old URLs that had to change.
    fn write_renamed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (origin, from, to) in &self.renamed {
            writeln!(
                f,
                "  slug `{from}` was taken: {} became `{to}`",
                origin.display()
            )?;
        }
        for (origin, url, owner) in &self.alias_conflicts {
            writeln!(
                f,
                "  old URL {url} of {} is taken by {}: left out",
                origin.display(),
                owner.display()
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run {
            "would import"
        } else {
            "imported"
        };
        writeln!(
            f,
            "{verb} {} briefs from {} ({}; {} drafts)",
            self.brief_count(),
            self.source.display(),
            counts(&self.briefs),
            self.drafts
        )?;
        for p in &self.kept_edited {
            writeln!(
                f,
                "  kept {}: edited since the last import (--force overwrites it)",
                p.display()
            )?;
        }
        self.write_terms(f)?;
        writeln!(
            f,
            "shortcodes: {} converted, {} kept as written (listed above as warnings)",
            self.shortcodes_converted, self.shortcodes_kept
        )?;
        writeln!(
            f,
            "media: {} files copied ({}); {} images left on the old host",
            self.media.values().sum::<usize>(),
            counts(&self.media),
            self.media_external.len()
        )?;
        writeln!(
            f,
            "redirects: {} old URLs recorded as aliases",
            self.redirects
        )?;
        self.write_renamed(f)?;
        if !self.skipped.is_empty() {
            writeln!(f, "not imported (not posts): {}", counts(&self.skipped))?;
        }
        if !self.problems.is_empty() {
            writeln!(
                f,
                "{} problem(s): the posts they name were not imported",
                self.problems.len()
            )?;
        }
        let into = self.into.display();
        if self.dry_run {
            write!(
                f,
                "nothing was written (--dry-run); run again without it to import"
            )
        } else {
            write!(
                f,
                "next: briefly build --root {into}   (or: cd {into} && briefly serve)"
            )
        }
    }
}
