//! `build`: the cached, in-place build to an output folder. It checks
//! whether anything changed since the last build, loads the site (restoring
//! parsed briefs from the build cache), renders through [`render_site`]
//! into a staging folder keeping the pages whose keys are the last build's,
//! replaces the output, and records what it made for the next build.
//! Apart from `lib.rs`, which keeps the public API and the rendering shared
//! with `check` and the preview server.

use std::path::PathBuf;

use crate::{
    BuildError, BuildOptions, BuildSummary, SearchIndex, cache, content, output, progress, publish,
    render_site, timed, unchanged_pages,
};

/// Builds the site and replaces the output folder. Pages are written as they
/// are rendered into a staging folder that replaces the output only when
/// everything succeeded: on any error the previous output is left exactly as
/// it was.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, BuildError> {
    // Refuse a dangerous output before doing any work.
    let output = output::check_location(&options.root, &options.output_dir())?;
    let timings = options.timings.as_deref();
    let cache = (!options.no_cache).then(|| cache::BuildCache::open(&options.root));
    let mut last_build = cache.as_ref().and_then(cache::up_to_date::LastBuild::read);
    // The output is looked at here only when the inputs are the last
    // build's ("nothing changed"); otherwise beside the build (`OutputCheck`).
    let mut hashed = cache.as_ref().map(|cache| {
        timed(timings, "hash inputs", || {
            cache::up_to_date::inputs(options, &output, cache)
        })
    });
    let inputs = hashed.as_ref().map(|h| h.key);
    let inputs_read = hashed.as_ref().map_or((0, 0), |h| (h.read, h.files.len()));
    // A fixed `--now` is part of the inputs; the real clock can make a
    // scheduled brief due.
    let clock = match options.now {
        Some(_) => i64::MIN,
        None => jiff::Timestamp::now().as_second(),
    };
    if let (Some(last_build), Some(inputs)) = (&last_build, inputs)
        && let Some(last) = timed(timings, "check output", || {
            last_build.unchanged(inputs, &output, clock)
        })
    {
        return Ok(BuildSummary {
            warnings: last.warnings,
            briefs: last.briefs,
            pages: last.pages,
            drafts_skipped: last.drafts_skipped,
            search_shards: (0, 0),
            search_shards_ahead: 0,
            inputs_read,
            briefs_from_cache: (0, 0),
            card_keys_remembered: (0, 0),
            brief_pages_kept: (0, 0),
            listing_pages_kept: (0, 0),
            feeds_kept: (0, 0),
            listings_unkeyed: false,
            up_to_date: true,
            scheduled_skipped: last.scheduled_skipped,
            output_bytes: last.output_bytes,
            output_files: last.output_files,
        });
    }
    // The search shard of the edited briefs is indexed from the last
    // build's pages while the site loads (`publish::search::ahead`).
    let ahead = (cache.as_ref().zip(last_build.as_ref()).zip(hashed.as_ref()))
        .filter(|(_, hashed)| !hashed.briefs_changed.is_empty() && output.is_dir())
        .and_then(|((cache, last), hashed)| {
            publish::search::ahead::Ahead::start(
                cache.sibling(),
                last.shard_sources()?,
                &hashed.briefs_changed,
                &output,
                unchanged_pages::verify_wanted(options),
            )
        });
    let mut briefs_memo = None;
    let restore = || {
        (cache.as_ref().zip(hashed.as_ref())).map(|(cache, hashed)| {
            timed(timings, "restore parsed briefs", || {
                cache::briefs::BriefMemo::restore(cache, hashed, options)
            })
        })
    };
    // When the output is as the last build left it, only changed files are
    // written (and moved in at the end) instead of the whole site; that
    // build's record of it is decoded while the site loads.
    let previous = || {
        (last_build.as_mut()).and_then(|last| {
            timed(timings, "read last build's record", || {
                last.previous_with_keys(&output)
            })
        })
    };
    let (loaded, previous) = rayon::join(
        || content::load_with(options, &mut briefs_memo, restore),
        previous,
    );
    let loaded = loaded.map_err(BuildError::Invalid)?;
    if let Some(cache) = &cache {
        publish::cite::memo::restore(&loaded.config, cache);
    }
    let bar = progress::bar(options.progress);
    let (previous, output_check, keys) = match previous {
        Some((previous, check, keys)) => (Some(previous), Some(check), keys),
        None => (None, None, Default::default()),
    };
    let (previous_keys, previous_index, previous_shards, previous_listings, previous_site_files) =
        keys;
    drop(last_build);
    let staging = match previous {
        Some(previous) => output::Staging::in_place(&output, previous)?,
        None => output::Staging::create(&output)?,
    };
    // Its pages are those of an output updated in place.
    let ahead = ahead.filter(|_| staging.is_in_place());
    let keep = |path: &std::path::Path| staging.keep_unrendered(path);
    let keep_files = |paths: &[PathBuf]| staging.keep_all_unrendered(paths);
    let reuse = hashed.as_ref().map(|hashed| unchanged_pages::Reuse {
        base: cache::up_to_date::render_base(hashed, options, &loaded.static_files).as_u128(),
        previous: previous_keys,
        previous_index,
        keep: &keep,
        previous_shards,
        previous_listings,
        previous_site_files,
        keep_files: &keep_files,
        in_place: staging.is_in_place().then_some(output.as_path()),
        verify_in: unchanged_pages::verify_wanted(options).then_some(output.as_path()),
        known: (briefs_memo.as_mut())
            .map(|memo| std::mem::take(&mut memo.known))
            .unwrap_or_default(),
        ahead: ahead.as_ref(),
    });
    let rendered = staging
        .copy_static(&loaded.static_files)
        .and_then(|()| staging.copy_static(&loaded.bundle_files))
        .and_then(|()| staging.copy_static(&loaded.flag_files))
        .map_err(BuildError::from)
        .and_then(|()| {
            render_site(
                &loaded,
                Some(&bar),
                timings,
                SearchIndex::Build(cache.as_ref()),
                reuse.as_ref(),
                |file| staging.write_one(&file),
            )
        });
    drop(reuse);
    drop(ahead);
    bar.finish_and_clear();
    // Files are moved into the output only once it is known to be as the
    // last build left it; had someone else changed it, it is built whole.
    // Also after an error: a kept page that no longer matches the output
    // (`--verify-kept`) is no error of the site's if someone changed it.
    let found = match output_check {
        Some(check) => match timed(timings, "wait for the output check", || check.wait()) {
            Some(found) => found,
            None => {
                staging.abandon();
                if let Some(cache) = &cache {
                    cache::up_to_date::forget(cache);
                }
                // The input hashes are stored before the next build reads them.
                if let Some(hashed) = hashed.as_mut() {
                    hashed.saving.finish();
                }
                return build(options);
            }
        },
        None => Vec::new(),
    };
    match rendered {
        Ok((mut summary, kept)) => {
            summary.inputs_read = inputs_read;
            if let (Some(cache), true) = (&cache, staging.is_in_place()) {
                cache::up_to_date::forget(cache);
            }
            // The keys are encoded for the record while files are moved.
            let encode =
                || (cache.as_ref()).and_then(|_| cache::up_to_date::EncodedKeys::new(&kept));
            let (written, keys) = rayon::join(
                || timed(timings, "replace output", || staging.commit()),
                encode,
            );
            let (written, changed) = written?;
            (summary.output_bytes, summary.output_files) = output::size::total(&written);
            // The record holds the build's warnings, the size warning among
            // them; what it encodes besides, and the memos, are done meanwhile.
            let finish_cache = || {
                let cache = cache.as_ref()?;
                let finished = timed(timings, "build cache", || {
                    rayon::join(
                        || {
                            let changes = (&found, changed.as_slice());
                            cache::up_to_date::EncodedOutput::new(&output, &written, changes)
                        },
                        || {
                            let warnings = (briefs_memo.as_mut()).map(|m| m.finish());
                            publish::cite::memo::save(&loaded.config, cache);
                            warnings.unwrap_or_default()
                        },
                    )
                });
                Some(finished)
            };
            let (over_limit, finished) = rayon::join(
                || output::size::over_host_limit(&output, &written),
                finish_cache,
            );
            summary.warnings.extend(over_limit);
            if let (Some(cache), Some(inputs), Some((encoded, memo_warnings))) =
                (&cache, inputs, finished)
            {
                let record = cache::up_to_date::Record::of(&summary, loaded.next_scheduled);
                timed(timings, "record", || {
                    if let (Some(keys), Some(encoded)) = (keys, encoded) {
                        cache::up_to_date::record(cache, inputs, encoded, &record, keys);
                    }
                });
                summary.warnings.extend(memo_warnings);
                summary.warnings.extend(cache.take_warnings());
            }
            if let Some(hashed) = hashed.as_mut() {
                summary.warnings.extend(hashed.saving.finish());
            }
            // Nothing reads the site again: a thread of its own frees it (at
            // 50,000 briefs 50 ms of the one-edit build), and a process that
            // exits first does not wait for it.
            std::thread::spawn(move || drop(loaded));
            Ok(summary)
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}
