//! Where the redirect pages of briefs' old URLs (`aliases:`) go, and the
//! check that no old URL lands on a page or on another old URL.
//!
//! The bytes are `publish::redirects`'; this module only places them, next
//! to `routes`, which places every other page.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::content::model::Alias;
use crate::content::slugs::url_path;
use crate::diagnostic::Diagnostic;
use crate::index::BriefId;
use crate::publish::redirects::{self, Redirect};

use super::routes::{Page, brief_dir, has_absolute_urls, output_path};
use super::{OutputFile, Site};

/// The file a web server serves for an old URL: `x/` and `x` are folders
/// (hosts add the slash), `x.html` is that file.
pub(crate) fn alias_output(path: &str) -> PathBuf {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        PathBuf::from(path)
    } else {
        PathBuf::from(format!("{}/index.html", path.trim_end_matches('/')))
    }
}

/// Every alias that may be written (the first claim of each output path
/// wins, pages before aliases) and a diagnostic for each one that may not.
fn placed<'s>(
    site: &'s Site<'_>,
    pages: &[Page],
) -> (Vec<(BriefId, &'s Alias, PathBuf)>, Vec<Diagnostic>) {
    let mut claimed: HashMap<PathBuf, String> = pages
        .iter()
        .map(|p| (output_path(site, p), "a page of the site".to_string()))
        .collect();
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for (id, brief) in site.briefs.iter().enumerate() {
        for alias in &brief.aliases {
            let out = alias_output(&alias.path);
            if let Some(owner) = claimed.get(&out) {
                let (line, column) = alias.at;
                errors.push(
                    Diagnostic::error(
                        &brief.path,
                        line,
                        column,
                        format!("alias `/{}` is the URL of {owner}", alias.path),
                    )
                    .with_hint("an old URL can redirect to one brief only, and never replace a page: remove this alias or the other"),
                );
                continue;
            }
            claimed.insert(
                out.clone(),
                format!("an alias of `{}`", brief.path.display()),
            );
            ok.push((id, alias, out));
        }
    }
    (ok, errors)
}

/// Aliases that would overwrite a page or another brief's alias.
pub(crate) fn alias_collisions(site: &Site<'_>, pages: &[Page]) -> Vec<Diagnostic> {
    placed(site, pages).1
}

/// The redirect pages and `_redirects` (none when no brief has aliases).
pub(crate) fn redirect_files(site: &Site<'_>, pages: &[Page]) -> Vec<OutputFile> {
    let (aliases, _) = placed(site, pages);
    if aliases.is_empty() {
        return Vec::new();
    }
    let base_path = &site.config.base_path;
    let absolute = has_absolute_urls(site);
    let list: Vec<(Redirect<'_>, PathBuf)> = aliases
        .into_iter()
        .map(|(id, alias, out)| {
            let brief = &site.briefs[id];
            let target = [
                site.config.language_path(&brief.lang),
                &url_path(&brief_dir(&brief.slug)),
            ]
            .concat();
            let to = [base_path.as_str(), &target].concat();
            let canonical = if absolute {
                [site.config.base_url.as_str(), &target].concat()
            } else {
                to.clone()
            };
            let from = [base_path.as_str(), &url_path(&alias.path)].concat();
            let redirect = Redirect {
                from,
                to,
                canonical,
                title: &brief.title,
            };
            (redirect, out)
        })
        .collect();
    let mut files: Vec<OutputFile> = list
        .iter()
        .map(|(r, out)| OutputFile {
            path: out.clone(),
            bytes: redirects::page(r, &site.config.language).into_bytes(),
        })
        .collect();
    let all: Vec<Redirect<'_>> = list.into_iter().map(|(r, _)| r).collect();
    files.push(OutputFile {
        path: PathBuf::from("_redirects"),
        bytes: redirects::redirects_file(&all).into_bytes(),
    });
    files
}

/// The root `index.html` of a site whose default language has its own
/// folder (`default_language_in_path: true`): it sends readers to the
/// default language's home page and links every language's.
pub(crate) fn language_root(site: &Site<'_>) -> Option<OutputFile> {
    use crate::escape::escaped;
    let config = site.config;
    let default = config.languages.first()?;
    if !config.is_multilingual() || default.path.is_empty() {
        return None;
    }
    let home = |path: &str| [config.base_path.as_str(), path].concat();
    let to = home(&default.path);
    let mut links = String::new();
    for l in &config.languages {
        links.push_str(&format!(
            "<li><a href=\"{}\" lang=\"{}\" hreflang=\"{}\">{}</a></li>",
            escaped(&home(&l.path)),
            escaped(&l.code),
            escaped(&l.code),
            escaped(&l.name)
        ));
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <title>{}</title><meta http-equiv=\"refresh\" content=\"0; url={}\"></head>\
         <body><ul>{links}</ul></body></html>\n",
        escaped(&default.code),
        escaped(&default.title),
        escaped(&to),
    );
    Some(OutputFile {
        path: PathBuf::from("index.html"),
        bytes: html.into_bytes(),
    })
}
