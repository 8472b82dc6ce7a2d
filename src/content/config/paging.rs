//! `archive_per_page:`, the size of the later pages of every listing (the
//! compact archive; the first page keeps `home_briefs` or `page_size`
//! full cards).

use std::path::Path;

use serde_saphyr::Spanned;

use crate::content::frontmatter::file_position;
use crate::diagnostic::Diagnostic;

/// Briefs per later page when `archive_per_page:` is absent: rows are about
/// a sixth of a card's size, so a page of 100 rows weighs about as much as
/// one of 20 cards.
const DEFAULT_ARCHIVE_PER_PAGE: usize = 100;

/// `archive_per_page:`, at least 1; the default when absent or 0 (and reported
/// at its line).
pub(super) fn archive_per_page(
    path: &Path,
    value: Option<Spanned<usize>>,
    errors: &mut Vec<Diagnostic>,
) -> usize {
    match value {
        None => DEFAULT_ARCHIVE_PER_PAGE,
        Some(v) if v.value == 0 => {
            let (line, column) = file_position(0, &v.referenced);
            errors.push(
                Diagnostic::error(path, line, column, "`archive_per_page` must be at least 1")
                    .with_hint("leave it out for the default, 100 briefs per later page"),
            );
            DEFAULT_ARCHIVE_PER_PAGE
        }
        Some(v) => v.value,
    }
}
