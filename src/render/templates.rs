//! Templates: the theme's Tera setup (compiling the templates, the
//! `asset` function) and the mapping of Tera errors to diagnostics that
//! point at `templates/x.html:line:col`.
//!
//! Templates arrive as strings; this module never reads the disk and never
//! builds page contexts.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::{Kwargs, State, Tera};

use crate::content::source::{StaticFile, TextFile};
use crate::diagnostic::Diagnostic;

/// Templates every theme must provide.
pub(crate) const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "archive.html",
    "year.html",
    "brief.html",
    "countries.html",
    "country.html",
    "actors.html",
    "actor.html",
    "authors.html",
    "author.html",
    "404.html",
];

/// The theme partial that renders one card; its output is kept in `card.html`.
pub(crate) const CARD_PARTIAL: &str = "partials/brief_card.html";

/// Compiles the theme templates (site overrides already come after theme
/// files, so they replace them). Reports every template with a syntax error.
pub(crate) fn templates(
    files: &[(String, TextFile)],
    base_path: &str,
    static_files: &[StaticFile],
    i18n: &crate::I18n,
    language: &str,
) -> Result<Tera, Vec<Diagnostic>> {
    let mut by_name: HashMap<&str, &TextFile> = HashMap::new();
    for (name, file) in files {
        by_name.insert(name.as_str(), file);
    }
    let mut names: Vec<&str> = by_name.keys().copied().collect();
    names.sort_unstable();
    let errors = template_errors(&names, &by_name);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    register_asset_function(&mut tera, base_path, static_files);
    crate::i18n::register(&mut tera, i18n, language);
    let pairs: Vec<(&str, &str)> = names
        .iter()
        .map(|n| (*n, by_name[n].text.as_str()))
        .collect();
    tera.add_raw_templates(pairs)
        .map_err(|err| vec![template_diagnostic(&err, &by_name)])?;
    Ok(tera)
}

/// Every template with a syntax error, and every required template that is
/// missing. Each file is compiled alone so that every broken template is
/// reported, not only the first one Tera meets.
fn template_errors(names: &[&str], by_name: &HashMap<&str, &TextFile>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for name in names {
        let mut alone = Tera::new();
        if let Err(err) = alone.add_raw_template(name, &by_name[name].text)
            && matches!(err.kind(), tera::ErrorKind::SyntaxError(_))
        {
            errors.push(template_diagnostic(&err, by_name));
        }
    }
    for required in REQUIRED_TEMPLATES {
        if !by_name.contains_key(required) {
            errors.push(
                Diagnostic::error(
                    format!("templates/{required}"),
                    0,
                    0,
                    format!("the theme has no `{required}` template"),
                )
                .with_hint(
                    "add it to the theme's templates/ folder or to the site's templates/ folder",
                ),
            );
        }
    }
    errors
}

/// `asset(path=...)`: the URL of a static file under the base path.
fn register_asset_function(tera: &mut Tera, base_path: &str, static_files: &[StaticFile]) {
    let base = base_path.to_string();
    let assets: HashMap<String, String> = static_files
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.output_path.to_string_lossy().replace('\\', "/"),
            )
        })
        .collect();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            // The fingerprinted name when the file exists; a missing asset
            // keeps its name, so the broken link shows up in `check`.
            let output = assets.get(path).map_or(path, String::as_str);
            Ok(format!("{base}{output}"))
        },
    );
}

/// Turns a Tera error into `templates/x.html:line:col: message`.
pub(crate) fn template_diagnostic(
    err: &tera::Error,
    files: &HashMap<&str, &TextFile>,
) -> Diagnostic {
    let path_of = |name: &str| {
        files
            .get(name)
            .map(|f| f.path.clone())
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let message = report.message();
            let hint = if message.contains("not found in context")
                || message.contains("not defined")
                || message.contains("undefined")
            {
                "templates may only use the variables listed in the README's theme reference; test optional values with `{% if x %}`"
            } else if message.contains("t(") {
                "interface strings are the keys of the theme's and site's `i18n/<lang>.yaml` (README: Interface strings)"
            } else {
                "check the Tera 2 syntax at this position"
            };
            Diagnostic::error(
                path_of(report.filename()),
                span.start_line.max(1),
                span.start_col + 1,
                report.message().to_string(),
            )
            .with_hint(hint)
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::file_error(
            path_of(current),
            format!("extends `{parent}`, which does not exist"),
        )
        .with_hint("fix the name in `{% extends %}` or add the template"),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::error(
            format!("templates/{name}"),
            0,
            0,
            format!("template `{name}` not found"),
        )
        .with_hint("the theme must provide every template named in the README's theme reference"),
        other => Diagnostic::error("templates", 0, 0, first_line(&other.to_string()))
            .with_hint("check the theme's templates"),
    }
}

/// The first line of a message (Tera errors can span several).
fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}
