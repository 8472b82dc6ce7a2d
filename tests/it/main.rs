//! Integration tests: fixture sites built in temp dirs with the real binary.

mod build;
mod check;
mod cli;
mod common;
mod errors;
mod example_site;
mod frontmatter;
mod incremental;
mod links;
#[cfg(feature = "pdf")]
mod pdf;
mod properties;
mod publish;
mod safety;
mod serve;
mod theme;
