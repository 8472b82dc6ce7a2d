//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A static site generator for policy briefs.
#[derive(Debug, Parser)]
#[command(name = "briefly", version, about, long_about = None)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Create a new site (site.yaml and a sample brief; the theme is built in) in DIR.
    Init {
        /// Folder to create; must be empty or absent.
        dir: PathBuf,
    },
    /// Copy the built-in theme into themes/NAME/ to edit it (keep only the files you change).
    CopyTheme {
        /// Site folder (holds site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Name of the theme folder to create.
        #[arg(long, default_value = "default")]
        name: String,
    },
    /// Build, serve on 127.0.0.1, rebuild on every save and reload open pages.
    Serve(ServeArgs),
    /// Build in memory and report broken links and likely mistakes, writing nothing.
    Check(CheckArgs),
    /// Print the scheduled briefs or the drafts, with their dates and files.
    List(ListArgs),
    /// Import an archive from Hugo, Jekyll/Eleventy or a WordPress export, keeping old URLs as aliases.
    Import(ImportArgs),
    /// Write a draft content/briefs/<slug>.md with a front matter skeleton.
    New {
        /// Title of the brief.
        title: String,
        /// Site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Options of `build`.
#[derive(Debug, Args, Clone)]
pub(crate) struct BuildArgs {
    /// Site folder (holds site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder [default: ROOT/output].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override base_url from site.yaml (e.g. https://org.github.io/briefs/).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include briefs marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include scheduled briefs (dated after the clock), with a banner and noindex: for a staging copy.
    #[arg(long)]
    pub scheduled: bool,
    /// The build's clock: briefs dated after it are left out (2027-03-01, 2027-03-01T09:00:00Z) [default: now].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Print how long each stage of the build took.
    #[arg(long)]
    pub timings: bool,
    /// Build without reading or writing the build cache (.briefly-cache/build/).
    #[arg(long)]
    pub no_cache: bool,
    /// Render the pages the build cache keeps after all and fail if any differs (a check of briefly itself).
    #[arg(long)]
    pub verify_kept: bool,
}

/// Options of `serve`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ServeArgs {
    /// Site folder (holds site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder [default: ROOT/output].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Port to listen on; if the default is taken the next free one is used. 0 picks any free port.
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to listen on. Other machines can reach the preview only if you bind 0.0.0.0.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Include briefs marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of using native file events (network or container file systems).
    #[arg(long)]
    pub poll: bool,
    /// The clock that decides which briefs are scheduled (shown with a banner) [default: now].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// Options of `check`.
#[derive(Debug, Args, Clone)]
pub(crate) struct CheckArgs {
    /// Site folder (holds site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Overrides `base_url` from site.yaml, as in `build` (checks links as they will be deployed).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include briefs marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// The clock, as for `build`: briefs dated after it are left out of the check [default: now].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Also fetch links to other sites (8 at a time, 10 s timeout; good results cached for a week in .briefly-cache/).
    #[arg(long)]
    pub external: bool,
}

/// Which briefs `list` prints.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ListWhat {
    /// Briefs dated after the clock: published by the first build at or after their date.
    Scheduled,
    /// Briefs marked `draft: true`.
    Drafts,
}

/// Options of `list`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ListArgs {
    /// What to list.
    pub what: ListWhat,
    /// Site folder (holds site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The clock that decides which briefs are scheduled (2027-03-01, 2027-03-01T09:00:00Z) [default: now].
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// Options of `import`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ImportArgs {
    /// What the archive is: hugo, jekyll (also Eleventy) or wordpress.
    #[arg(value_enum)]
    pub kind: ImportFrom,
    /// The old site's folder, or the WordPress export file (.xml).
    pub source: PathBuf,
    /// The briefly site to import into (created when absent or empty).
    #[arg(long, default_value = ".")]
    pub into: PathBuf,
    /// Print the report without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite briefs edited since the last import.
    #[arg(long)]
    pub force: bool,
    /// Download images that WordPress posts use on the old host into their briefs' folders.
    #[arg(long)]
    pub fetch_media: bool,
    /// The old URL pattern when the importer cannot read it (e.g. Eleventy): /:year/:month/:day/:slug/
    #[arg(long)]
    pub permalink: Option<String>,
}

/// The archive kinds `import` reads.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ImportFrom {
    /// A Hugo site folder.
    Hugo,
    /// A Jekyll or Eleventy site folder.
    Jekyll,
    /// A WordPress export (WXR) file.
    Wordpress,
}
