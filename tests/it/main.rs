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
mod properties;
mod publish;
mod safety;
mod serve;
mod sources;
mod theme;
