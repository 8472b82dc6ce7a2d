//! Compile one brief's world and export it as PDF; Typst's errors become
//! diagnostics at the brief's line (for its body) or the template's line.

use std::path::Path;

use typst::WorldExt;
use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::diagnostic::{Diagnostic, line_col};

use super::document::Document;
use super::world::BriefWorld;

/// Where Typst's positions point back to.
pub(super) struct Origins<'a> {
    /// The brief's file (relative to the site root) and its text.
    pub(super) brief: (&'a Path, &'a str),
    /// Where the body starts in the brief's file.
    pub(super) body_offset: usize,
    /// The template as messages name it.
    pub(super) template: &'a Path,
    /// The generated document.
    pub(super) document: &'a Document,
}

/// Typesets `world` into PDF bytes; `ident` identifies the document
/// (stable across builds).
pub(super) fn pdf(
    world: &BriefWorld,
    ident: &str,
    origins: &Origins<'_>,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let Warned { output, .. } = typst::compile::<PagedDocument>(world);
    let doc = output.map_err(|errors| diagnostics(world, &errors, origins))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| {
        vec![Diagnostic::file_error(
            origins.brief.0,
            e.message().to_string(),
        )]
    })?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some("briefly (Typst)".into())),
        // The document's date is the brief's (`set document(date:)`);
        // no build time goes in, so the same brief gives the same bytes.
        timestamp: None,
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|errors| diagnostics(world, &errors, origins))
}

/// Typst's errors as diagnostics, each once.
fn diagnostics(
    world: &BriefWorld,
    errors: &[SourceDiagnostic],
    origins: &Origins<'_>,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for error in errors {
        let d = diagnostic(world, error, origins);
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

fn diagnostic(world: &BriefWorld, error: &SourceDiagnostic, origins: &Origins<'_>) -> Diagnostic {
    let (brief_path, _) = origins.brief;
    let typst_hints: Vec<&str> = error.hints.iter().map(|h| h.v.as_str()).collect();
    // The error's own span, then the calls that led to it: an error inside
    // a prelude helper (a corrupt image) is reported at the body's call.
    let spans = std::iter::once(error.span).chain(error.trace.iter().map(|t| t.span.into()));
    let place = spans
        .filter_map(|span| place(world, span, origins))
        .min_by_key(|p| p.rank);
    let in_template = place.as_ref().is_some_and(|p| p.rank == 1);
    let (path, line, column) = place.map_or((brief_path, 1, 1), |p| (p.path, p.line, p.column));
    let mut hint = String::new();
    if !typst_hints.is_empty() {
        hint.push_str(&typst_hints.join("; "));
        hint.push_str("; ");
    }
    if in_template {
        hint.push_str("this is the PDF template of the theme (see the README's theme reference)");
    } else {
        hint.push_str(&format!(
            "the PDF edition could not typeset this brief (template `{}`); `pdf: false` in site.yaml builds the site without PDFs",
            origins.template.display()
        ));
    }
    let message = format!("PDF: {}", error.message);
    Diagnostic::error(path, line, column, message).with_hint(hint)
}

/// Where a span points, ranked: the brief's body (0) before the template (1).
struct Place<'a> {
    rank: u8,
    path: &'a Path,
    line: usize,
    column: usize,
}

fn place<'a>(
    world: &BriefWorld,
    span: typst::syntax::DiagSpan,
    origins: &Origins<'a>,
) -> Option<Place<'a>> {
    let range = world.range(span)?;
    if span.id() == Some(world.template().id()) {
        let (line, column) = line_col(world.template().text(), range.start);
        return Some(Place {
            rank: 1,
            path: origins.template,
            line,
            column,
        });
    }
    let in_body = range.start.checked_sub(origins.document.body_start)?;
    let md = origins.document.body.source_offset(in_body);
    let (path, text) = origins.brief;
    let (line, column) = line_col(text, origins.body_offset + md);
    Some(Place {
        rank: 0,
        path,
        line,
        column,
    })
}
