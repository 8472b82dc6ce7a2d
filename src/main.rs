//! The `briefly` command: parse arguments, call the library, print
//! diagnostics, set the exit code.

mod cli;

use std::process::ExitCode;
use std::time::Instant;

use briefly::{BuildError, BuildOptions, Diagnostic};
use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Serve(args) => serve(args),
        Command::Check(args) => check(args),
        Command::List(args) => list(args),
        Command::Init { dir } => match briefly::init(&dir, today()) {
            Ok(files) => {
                println!(
                    "created a new site in {} ({} files)",
                    dir.display(),
                    files.len()
                );
                println!(
                    "next: cd {} && briefly serve   (preview at http://127.0.0.1:{DEFAULT_PORT}/)",
                    dir.display()
                );
                println!(
                    "the default theme is built in; `briefly copy-theme` copies it out for editing"
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("cannot create the site: {e}")),
        },
        Command::CopyTheme { root, name } => match briefly::copy_theme(&root, &name) {
            Ok(rel) => {
                println!(
                    "copied the built-in theme into {}",
                    root.join(&rel).display()
                );
                if name != "default" {
                    println!("to use it, set `theme: {name}` in site.yaml");
                }
                println!("keep only the files you change: the built-in theme fills in the others");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("cannot copy the theme: {e}")),
        },
        Command::Import(args) => import(args),
        Command::New { title, root } => match briefly::new_brief(&root, &title, today()) {
            Ok(path) => {
                println!("wrote a draft: {}", root.join(&path).display());
                println!(
                    "it is left out of builds until you set `draft: false` in its front matter (`briefly serve --drafts` previews it)"
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("cannot write the brief: {e}")),
        },
    }
}

fn import(args: cli::ImportArgs) -> ExitCode {
    let options = briefly::ImportOptions {
        kind: match args.kind {
            cli::ImportFrom::Hugo => briefly::ImportKind::Hugo,
            cli::ImportFrom::Jekyll => briefly::ImportKind::Jekyll,
            cli::ImportFrom::Wordpress => briefly::ImportKind::Wordpress,
        },
        source: args.source,
        into: args.into,
        dry_run: args.dry_run,
        force: args.force,
        fetch_media: args.fetch_media,
        permalink: args.permalink,
    };
    match briefly::import(&options) {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("{w}");
            }
            for p in &report.problems {
                eprintln!("{p}");
            }
            println!("{report}");
            if report.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("error: nothing was imported");
            ExitCode::FAILURE
        }
    }
}

fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}

/// `345 MB in 32,444 files`: the output folder's size, as hosts state their limits.
fn output_size(site: &briefly::BuildSummary) -> String {
    format!(
        "{} in {} files",
        briefly::output_size_display(site.output_bytes),
        briefly::output_count_display(site.output_files)
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// With `--timings`: the wall time of each stage, then what the build cache saved.
fn print_timings(options: &BuildOptions, site: &briefly::BuildSummary) {
    let Some(timings) = &options.timings else {
        return;
    };
    for (stage, began, took) in timings.spans() {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        println!("  {:>9.1} ms  {stage} (from {:.0} ms)", ms(took), ms(began));
    }
    // What the build cache saved: "label: N of M rest".
    let saved = [
        (
            "input files",
            site.inputs_read,
            "read, the others unchanged since they were hashed",
        ),
        (
            "parsed briefs",
            site.briefs_from_cache,
            "from the build cache",
        ),
        (
            "card keys",
            site.card_keys_remembered,
            "remembered from the last build",
        ),
        (
            "brief pages",
            site.brief_pages_kept,
            "kept as the last build wrote them",
        ),
        (
            "listing pages",
            site.listing_pages_kept,
            "kept as the last build wrote them",
        ),
        (
            "feeds",
            site.feeds_kept,
            "kept as the last build wrote them",
        ),
        (
            "search index",
            (site.search_shards.1, site.search_shards.0),
            "shard(s) from the build cache",
        ),
    ];
    for (label, (n, of), rest) in saved {
        if of > 0 {
            println!("  {label}: {n} of {of} {rest}");
        }
    }
    let indexed_again = site.search_shards.0 - site.search_shards.1;
    if site.brief_pages_kept.1 > 0 && indexed_again > 0 {
        println!(
            "  search index ahead: {} of {indexed_again} shard(s) indexed again were handed the last build's pages while the site loaded",
            site.search_shards_ahead
        );
    }
    if site.listings_unkeyed {
        println!(
            "  listing pages and feeds without bodies: kept unkeyed, no brief changed in what they show"
        );
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

fn build(args: cli::BuildArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        scheduled: args.scheduled,
        now: args.now,
        progress: true,
        timings: args.timings.then(Default::default),
        no_cache: args.no_cache,
        verify_kept: args.verify_kept,
    };
    let started = Instant::now();
    match briefly::build(&options) {
        Ok(site) if site.up_to_date => {
            print_diagnostics(&site.warnings);
            println!(
                "nothing changed since the last build: {} ({} pages, {}) in {} are up to date ({:.2?}; `--no-cache` builds anyway)",
                plural(site.briefs, "brief", "briefs"),
                site.pages,
                output_size(&site),
                options.output_dir().display(),
                started.elapsed(),
            );
            print_timings(&options, &site);
            ExitCode::SUCCESS
        }
        Ok(site) => {
            print_diagnostics(&site.warnings);
            println!(
                "built {} ({} pages, {}) into {} in {:.2?}{}",
                plural(site.briefs, "brief", "briefs"),
                site.pages,
                output_size(&site),
                options.output_dir().display(),
                started.elapsed(),
                left_out(&site)
            );
            print_timings(&options, &site);
            ExitCode::SUCCESS
        }
        Err(BuildError::Invalid(diagnostics)) => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "error: build failed with {} error(s); {} was left unchanged",
                diagnostics.iter().filter(|d| d.is_error()).count(),
                options.output_dir().display()
            );
            ExitCode::FAILURE
        }
        Err(BuildError::Write(briefly::WriteError::Refused(d))) => {
            print_diagnostics(&[*d]);
            ExitCode::FAILURE
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// `; 1 draft left out (...)` and the same for scheduled briefs.
fn left_out(site: &briefly::BuildSummary) -> String {
    let mut text = String::new();
    if site.drafts_skipped > 0 {
        text += &format!(
            "; {} left out (use --drafts to include them)",
            plural(site.drafts_skipped, "draft", "drafts")
        );
    }
    if site.scheduled_skipped > 0 {
        text += &format!(
            "; {} left out until their date (`briefly list scheduled`)",
            plural(
                site.scheduled_skipped,
                "scheduled brief",
                "scheduled briefs"
            )
        );
    }
    text
}

fn list(args: cli::ListArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        now: args.now,
        ..BuildOptions::default()
    };
    let kind = match args.what {
        cli::ListWhat::Scheduled => briefly::ListKind::Scheduled,
        cli::ListWhat::Drafts => briefly::ListKind::Drafts,
    };
    match briefly::list(&options, kind) {
        Ok(listed) => {
            for b in &listed {
                println!("{:<25}  {}  {}", b.date, b.path.display(), b.title);
            }
            if listed.is_empty() {
                let what = match kind {
                    briefly::ListKind::Scheduled => "no scheduled briefs",
                    briefly::ListKind::Drafts => "no drafts",
                };
                eprintln!("{what}");
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            ExitCode::FAILURE
        }
    }
}

fn serve(args: cli::ServeArgs) -> ExitCode {
    let options = briefly::ServeOptions {
        build: BuildOptions {
            root: args.root,
            output: args.output,
            base_url: None,
            drafts: args.drafts,
            scheduled: true,
            now: args.now,
            progress: false,
            timings: None,
            no_cache: false,
            verify_kept: false,
        },
        bind: args.bind,
        port: args.port.unwrap_or(DEFAULT_PORT),
        port_given: args.port.is_some(),
        open: args.open,
        poll: args.poll,
    };
    match briefly::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(briefly::ServeError::Write(briefly::WriteError::Refused(d))) => {
            print_diagnostics(&[*d]);
            ExitCode::FAILURE
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn check(args: cli::CheckArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.root,
        drafts: args.drafts,
        base_url: args.base_url,
        now: args.now,
        ..BuildOptions::default()
    };
    let found = briefly::check(&options, args.external);
    print_diagnostics(&found);
    let errors = found.iter().filter(|d| d.is_error()).count();
    let warnings = found.len() - errors;
    if errors > 0 {
        eprintln!("check: {errors} error(s), {warnings} warning(s)");
        ExitCode::FAILURE
    } else {
        println!("check: no errors, {warnings} warning(s)");
        ExitCode::SUCCESS
    }
}

/// The preview port when none is given.
const DEFAULT_PORT: u16 = 1111;

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read at start-up (a `_RJEM_MALLOC_CONF` variable
/// still overrides them). One arena instead of one per pair of threads:
/// rendering and the two Pagefind indexes free memory on other threads than
/// the ones that took it, and per-thread arenas kept those pages; at 50,000
/// briefs with search one arena lowers the peak from 1.18 to 1.10 GB (shards
/// of 1,000) at no measured cost in speed (thread caches serve most
/// allocations).
#[cfg(not(target_env = "msvc"))]
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8; 10] = b"narenas:1\0";
