//! The archive (`archive.html`: the years with their counts) and year
//! listings (`year.html`).

use tera::Context;

use crate::diagnostic::Diagnostic;

use super::super::views::YearView;
use super::Renderer;

/// `/briefs/`: every year, newest first.
pub(super) fn render(r: &Renderer<'_>) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = r.context(
        "archive",
        &r.ui("archive_title"),
        &r.in_lang("briefs/"),
        &r.ui("archive_description"),
    );
    let years: Vec<YearView> = r
        .site
        .index
        .years
        .iter()
        .rev()
        .map(|(&year, list)| year_view(r, year, list.len()))
        .collect();
    ctx.insert("years", &years);
    ctx.insert("total_briefs", &r.site.index.newest_first.len());
    r.finish("archive.html", ctx)
}

/// A year listing's own variables: `year`, with its brief count.
pub(super) fn year_context(r: &Renderer<'_>, year: i16, count: usize, path: &str) -> Context {
    let shown = [("year", r.ui_number(year))];
    let title = r.ui_with("year_title", None, &shown);
    let description = r.ui_with("year_description", Some(count as u64), &shown);
    let mut ctx = r.context_with_feed(
        "year",
        &title,
        path,
        &description,
        &super::super::routes::Listing::Year(year),
    );
    ctx.insert("year", &year_view(r, year, count));
    ctx
}

fn year_view(r: &Renderer<'_>, year: i16, count: usize) -> YearView {
    YearView {
        year,
        count,
        url: r.lang_url(&format!("briefs/{year}/")),
    }
}
