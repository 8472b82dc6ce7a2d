//! Tests of streamed indexing: the bundle is the one made from all pages
//! at once, and pages come from the output only when they index as recorded.

use super::*;
use crate::publish::search::{Page, bundle_cached, indexed};

fn page(i: usize, language: &str) -> (String, String) {
    let words = if language == "fa" {
        "ایران كشور"
    } else {
        "naval patrols"
    };
    (
        format!("briefs/b{i}/index.html"),
        format!(
            "<html lang=\"{language}\"><head><title>Brief {i}</title></head><body>\
             <article data-pagefind-body><h1>Brief {i}</h1><p>{words} {i}</p>\
             <span data-pagefind-filter=\"year\">{}</span></article></body></html>",
            2000 + i % 7
        ),
    )
}

/// Shards handed over one by one, with room for one more than the
/// workers index, hold at most three shards' pages, and give the bytes
/// of the bundle made from all pages at once (two languages, one
/// folded, pages arriving out of order within a shard).
#[test]
fn streamed_shards_hold_few_pages_and_give_the_bundle_of_all_pages() {
    let languages = |i: usize| if i.is_multiple_of(3) { "fa" } else { "en" };
    let pages: Vec<PlannedPage<usize>> = (0..23)
        .map(|i| PlannedPage {
            path: page(i, languages(i)).0,
            rank: i,
            language: languages(i).to_string(),
            item: i,
        })
        .collect();
    let plan = Plan::new(pages, "en", 2).expect("plan");
    let indexer = Indexer::new(&plan, None);
    let mut written = Vec::new();
    let summary = std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| indexer.work());
        }
        let mut write = |file: OutputFile| {
            written.push(file);
            Ok::<(), ()>(())
        };
        for shard in plan.shards() {
            indexer.wait_for_room(WORKERS, &mut write).expect("room");
            let mut shard: Vec<usize> = shard.copied().collect();
            shard.reverse();
            for i in shard {
                let (path, html) = page(i, languages(i));
                indexer.keep(&path, html.as_bytes(), None);
            }
        }
        let summary = indexer.finish(&mut write);
        indexer.close();
        summary.expect("finished")
    });
    assert_eq!((summary.shards, summary.from_cache), (12, 0));
    assert!(summary.peak_held <= (WORKERS + 1) * 2, "{summary:?}");

    let at_once: Vec<Page> = (0..23)
        .map(|i| {
            let (path, html) = page(i, languages(i));
            Page {
                path,
                language: languages(i).to_string(),
                html: indexed(html),
            }
        })
        .collect();
    let at_once = bundle_cached(at_once, "en", 2, None).expect("bundle");
    assert_eq!(at_once.shards, 12);
    written.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(written == at_once.files, "the streamed bundle differs");
}

/// A page made from its published file and parts (not rendered) is
/// taken only when it indexes as the last build recorded, and then
/// gives the bundle it gives rendered.
#[test]
fn a_page_from_the_output_is_taken_only_when_it_indexes_as_recorded() {
    let pages: Vec<PlannedPage<usize>> = (0..2)
        .map(|i| PlannedPage {
            path: page(i, "en").0,
            rank: i,
            language: "en".to_string(),
            item: i,
        })
        .collect();
    let plan = Plan::new(pages, "en", 2).expect("plan");
    let indexer = Indexer::new(&plan, None);
    let (path, html) = page(1, "en");
    let recorded = page_hash(&indexed(html.clone()));
    let parts = Parts::default();
    // Before any worker runs, so that a failed assertion cannot leave one waiting.
    assert!(!indexer.keep_known(&path, html.as_bytes(), &parts, recorded ^ 1));
    let unplanned = "briefs/other/index.html";
    assert!(!indexer.keep_known(unplanned, html.as_bytes(), &parts, recorded));
    assert!(indexer.keep_known(&path, html.as_bytes(), &parts, recorded));
    let mut written = Vec::new();
    std::thread::scope(|scope| {
        scope.spawn(|| indexer.work());
        let (path, html) = page(0, "en");
        indexer.keep(&path, html.as_bytes(), None);
        let mut write = |file: OutputFile| {
            written.push(file);
            Ok::<(), ()>(())
        };
        indexer.finish(&mut write).expect("finished");
        indexer.close();
    });
    let at_once: Vec<Page> = (0..2)
        .map(|i| {
            let (path, html) = page(i, "en");
            Page {
                path,
                language: "en".to_string(),
                html: indexed(html),
            }
        })
        .collect();
    let at_once = bundle_cached(at_once, "en", 2, None).expect("bundle");
    written.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(written == at_once.files, "the bundle differs");
}

/// A shard that fails while [`Indexer::finish`] waits for the last ones
/// fails the bundle. (The wait once ended there, with no shard unfinished,
/// and the build succeeded without the failed shard's files.)
#[test]
fn a_shard_failing_while_the_last_are_awaited_fails_the_bundle() {
    let pages = vec![PlannedPage {
        path: page(0, "en").0,
        rank: 0,
        language: "en".to_string(),
        item: 0,
    }];
    let plan = Plan::new(pages, "en", 2).expect("plan");
    let indexer = Indexer::new(&plan, None);
    let finished = std::thread::scope(|scope| {
        // A worker that takes the shard and, once `finish` waits for it, fails.
        scope.spawn(|| {
            let mut state = indexer.state();
            while !state.closed || state.jobs.is_empty() {
                state = indexer.changed.wait(state).expect("state");
            }
            state.jobs.clear();
            drop(state);
            std::thread::sleep(std::time::Duration::from_millis(200));
            let mut state = indexer.state();
            state.unfinished -= 1;
            state.failure = Some(SearchError::Panicked);
            indexer.changed.notify_all();
        });
        let (path, html) = page(0, "en");
        indexer.keep(&path, html.as_bytes(), None);
        let mut write = |_: OutputFile| Ok::<(), ()>(());
        let finished = indexer.finish(&mut write);
        indexer.close();
        finished
    });
    assert!(
        matches!(finished, Err(Stop::Search(SearchError::Panicked))),
        "{finished:?}"
    );
}
