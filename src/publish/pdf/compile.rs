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
        vec![Diagnostic::file_error(origins.brief.0, e.to_string())]
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
    let (brief_path, brief_text) = origins.brief;
    let typst_hints: Vec<&str> = error.hints.iter().map(|h| h.v.as_str()).collect();
    let in_template = error.span.id() == Some(world.template().id());
    let range = world.range(error.span);
    let (path, line, column) = match (range, in_template) {
        (Some(range), true) => {
            let (line, column) = line_col(world.template().text(), range.start);
            (origins.template, line, column)
        }
        (Some(range), false) if range.start >= origins.document.body_start => {
            let in_body = range.start - origins.document.body_start;
            let md = origins.document.body.source_offset(in_body);
            let (line, column) = line_col(brief_text, origins.body_offset + md);
            (brief_path, line, column)
        }
        // The generated metadata or a detached span: the brief as a whole.
        _ => (brief_path, 1, 1),
    };
    let mut hint = String::new();
    if !typst_hints.is_empty() {
        hint.push_str(&typst_hints.join("; "));
        hint.push_str("; ");
    }
    if in_template {
        hint.push_str("this is the PDF template of the theme (see the README's PDF template reference)");
    } else {
        hint.push_str(&format!(
            "the PDF edition could not typeset this brief (template `{}`); `pdf: false` in site.yaml builds the site without PDFs",
            origins.template.display()
        ));
    }
    let message = format!("PDF: {}", error.message);
    Diagnostic::error(path, line, column, message).with_hint(hint)
}
