//! Integration tests: fixture sites built in temp dirs with the real binary.

mod aliases;
mod archive_pages;
mod authors;
mod brief_cache;
mod build;
mod cache;
mod calendar;
mod check;
mod cli;
mod common;
mod errors;
mod example_site;
mod frontmatter;
mod i18n;
mod import;
#[cfg(unix)]
mod in_place;
mod incremental;
mod incremental_languages;
mod kept_pages;
#[cfg(unix)]
mod killed;
mod languages;
mod links;
mod output_size;
#[cfg(feature = "pdf")]
mod pdf;
mod properties;
mod publish;
mod reader;
mod safety;
mod serve;
mod sources;
mod theme;
mod topics;
mod translations;
