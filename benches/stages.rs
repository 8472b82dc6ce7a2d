//! Micro-benchmarks of the hot stages (run with `cargo bench`), on the
//! repository's example site: front matter + validation of one brief,
//! Markdown, the index over 1,200 briefs, and page rendering.

use std::path::{Path, PathBuf};

use briefly::BuildOptions;
use briefly::Loaded;
use briefly::internals::source::TextFile;
use briefly::internals::{index, render};
use briefly::internals::{markdown, validate};

fn main() {
    divan::main();
}

fn example_site() -> Loaded {
    let options = BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        ..BuildOptions::default()
    };
    match briefly::load(&options) {
        Ok(loaded) => loaded,
        Err(errors) => panic!("the example site must load: {errors:?}"),
    }
}

const BRIEF: &str = "content/briefs/2018-01-02-rouhani-macron-call.md";

fn brief_file() -> TextFile {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match briefly::internals::source::read_text(root, Path::new(BRIEF)) {
        Ok(file) => file,
        Err(d) => panic!("{d}"),
    }
}

/// 1,200 briefs: the example briefs, each repeated with its own slug and date.
fn many_briefs(loaded: &Loaded) -> Vec<briefly::internals::model::Brief> {
    let mut briefs = Vec::new();
    for copy in 0..100 {
        for b in &loaded.briefs {
            let mut b = b.clone();
            b.slug = format!("{}-{copy}", b.slug);
            b.path = PathBuf::from(format!("content/briefs/{}.md", b.slug));
            b.date.sort_key += i64::from(copy) * 86_400;
            briefs.push(b);
        }
    }
    briefs.sort_by(|a, b| a.path.cmp(&b.path));
    briefs
}

#[divan::bench]
fn validate_one_brief(bencher: divan::Bencher) {
    let loaded = example_site();
    let file = brief_file();
    bencher.bench(|| validate::brief(divan::black_box(&file), &loaded.validation_context()));
}

#[divan::bench]
fn markdown_one_brief(bencher: divan::Bencher) {
    let file = brief_file();
    let body = file
        .text
        .split("\n---\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    bencher.bench(|| markdown::render(divan::black_box(&body), &|_| Some(1)));
}

#[divan::bench]
fn index_1200_briefs(bencher: divan::Bencher) {
    let loaded = example_site();
    let briefs = many_briefs(&loaded);
    bencher.bench(|| index::build(divan::black_box(&briefs), &loaded.actors, 4));
}

#[divan::bench]
fn render_brief_and_country_pages(bencher: divan::Bencher) {
    let loaded = example_site();
    let index = index::build(&loaded.briefs, &loaded.actors, 4);
    let site = loaded.site(&index);
    let cards = match render::cards(&site, &loaded.tera, &loaded.templates) {
        Ok(cards) => cards,
        Err(errors) => panic!("{errors:?}"),
    };
    let pages = [
        render::Page::Brief(0),
        render::Page::List(render::Listing::Country("IR".into()), 1),
    ];
    bencher.bench(|| {
        render::render_pages(
            &site,
            &loaded.tera,
            &loaded.templates,
            &cards,
            divan::black_box(&pages),
        )
    });
}
