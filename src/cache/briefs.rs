//! Parsed briefs kept across builds, so a build parses only the brief files
//! whose text changed (at 50,000 briefs parsing is 1.5 s of every build).
//!
//! A validated brief is a function of its file's text and of its context:
//! `site.yaml`, the registries, profiles, static files and images (every
//! input file that is not a brief, a template or interface strings), the
//! `--base-url` option and this binary.
//! The clock is the one other input, and it is applied again on the way out
//! (`scheduled`). Briefs are kept in packs, each brief in the pack its path
//! hashes to; a pack's key hashes the context and every member's path and
//! text hash, so one edited brief costs one pack (a 256th of the briefs) and
//! a changed context costs them all. A pack holding a brief that failed
//! validation is not kept: its errors are reported again by parsing it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::up_to_date::Inputs;
use super::{BuildCache, Key, KeyBuilder};
use crate::BuildOptions;
use crate::content::model::{BodyHandle, BodyHtml, Brief};
use crate::render::page_keys::{Hashed, Known, hashed};

/// The cache kind of brief packs.
const KIND: &str = "briefs";

/// Packs per site: small enough that one edit parses and rewrites few
/// briefs (about 200 at 50,000; 64 packs made it 780 and 90 ms), few enough
/// that a build opens few files.
const PACKS: usize = 256;

/// The one file of a pack entry.
const PACK_FILE: &str = "briefs.postcard";

/// Briefs restored from the build cache, and the packs still to save.
pub(crate) struct BriefMemo<'a> {
    cache: &'a BuildCache,
    /// Briefs of the packs found, by path relative to the site root (its
    /// bytes, which hash faster than a `PathBuf`'s components).
    pub(crate) restored: Restored,
    /// The identities of the briefs restored and saved
    /// (`render::page_keys::Known`), for the pages' keys.
    pub(crate) known: Known,
    /// Packs not found: their key and members, to save after validation.
    missing: Vec<(Key, Vec<PathBuf>)>,
    /// The thread writing the packs saved, while pages render.
    saving: Option<std::thread::JoinHandle<Vec<crate::diagnostic::Diagnostic>>>,
}

/// Restored briefs by path bytes, hashed with FxHash (50,000 inserts and
/// lookups of the build's own paths).
pub(crate) type Restored = HashMap<std::ffi::OsString, Brief, rustc_hash::FxBuildHasher>;

/// Whether an input file is a brief (as `content::source` lists them).
pub(super) fn is_brief(rel: &Path) -> bool {
    rel.starts_with("content/briefs") && rel.extension().is_some_and(|e| e == "md")
}

/// Whether validating a brief can read this input file: everything but
/// briefs, templates and interface strings (a template edit keeps every
/// parsed brief). Unknown files count, to be safe.
fn is_context(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str());
    let in_theme =
        |part: Option<&std::ffi::OsStr>| part.is_some_and(|p| p == "templates" || p == "i18n");
    let rendering_only = match parts.next() {
        Some(top) if top == "templates" || top == "i18n" => true,
        Some(top) if top == "themes" => in_theme(parts.nth(1)),
        _ => false,
    };
    !is_brief(rel) && !rendering_only
}

/// The pack a brief file belongs to: the same for a path in every build.
fn pack_of(rel: &Path) -> usize {
    use std::hash::Hasher;
    let mut hasher = siphasher::sip::SipHasher13::new();
    hasher.write(rel.as_os_str().as_encoded_bytes());
    (hasher.finish() % PACKS as u64) as usize
}

/// The hash of everything a brief's validation reads besides its own text.
fn context_key(inputs: &Inputs, options: &BuildOptions) -> Key {
    let mut key = KeyBuilder::new(KIND);
    key.part(options.base_url.as_deref().unwrap_or("").as_bytes());
    for (rel, hash) in inputs.files.iter().filter(|(rel, _)| is_context(rel)) {
        key.part(rel.as_os_str().as_encoded_bytes())
            .part(&hash.as_u128().to_le_bytes());
    }
    key.finish()
}

impl<'a> BriefMemo<'a> {
    /// Reads the packs of the current brief files that the cache holds.
    pub(crate) fn restore(
        cache: &'a BuildCache,
        inputs: &Inputs,
        options: &BuildOptions,
    ) -> BriefMemo<'a> {
        let context = context_key(inputs, options);
        let mut members: Vec<Vec<(&PathBuf, Key)>> = vec![Vec::new(); PACKS];
        for (rel, hash) in inputs.files.iter().filter(|(rel, _)| is_brief(rel)) {
            members[pack_of(rel)].push((rel, *hash));
        }
        let packs: Vec<(Key, Vec<PathBuf>, Option<Pack>)> = members
            .into_par_iter()
            .filter(|files| !files.is_empty())
            .map(|files| {
                let mut key = KeyBuilder::new(KIND);
                key.part(&context.as_u128().to_le_bytes());
                for (rel, hash) in &files {
                    key.part(rel.as_os_str().as_encoded_bytes())
                        .part(&hash.as_u128().to_le_bytes());
                }
                let key = key.finish();
                let paths: Vec<PathBuf> = files.into_iter().map(|(rel, _)| rel.clone()).collect();
                let briefs = cache.read_with(KIND, key, |read, entry| {
                    let pack = BodyHtml::restoring(read, || read_pack(entry, &paths));
                    // Checking and decoding read every page; only the
                    // bodies are read again, and only those of changed pages.
                    read.forget_pages(0..read.len());
                    pack
                });
                (key, paths, briefs)
            })
            .collect();
        let mut restored = Restored::with_capacity_and_hasher(
            packs.iter().map(|(_, p, _)| p.len()).sum(),
            Default::default(),
        );
        let mut known = Known::default();
        known.reserve(restored.capacity());
        let mut missing = Vec::new();
        for (key, paths, pack) in packs {
            match pack {
                Some((briefs, identities)) => {
                    for (brief, identity) in briefs.iter().zip(identities) {
                        known.insert(brief, identity);
                    }
                    restored
                        .extend((briefs.into_iter()).map(|b| (b.path.clone().into_os_string(), b)));
                }
                None => missing.push((key, paths)),
            }
        }
        BriefMemo {
            cache,
            restored,
            known,
            missing,
            saving: None,
        }
    }

    /// Saves the packs that were missing, from the briefs just validated
    /// (sorted by path); a pack with a brief that failed is left out. The
    /// briefs are encoded here; the files are written on a thread of their
    /// own while the build goes on ([`BriefMemo::finish`] waits for it).
    pub(crate) fn save(&mut self, briefs: &[Brief]) {
        let packs: Vec<Saved<'_>> = (self.missing.par_iter())
            .filter_map(|(key, paths)| {
                let members: Option<Vec<&Brief>> = paths
                    .iter()
                    .map(|p| {
                        let at = briefs.binary_search_by(|b| b.path.as_path().cmp(p)).ok()?;
                        Some(&briefs[at])
                    })
                    .collect();
                let members = members?;
                let identities: Vec<Hashed> = members.iter().map(|b| hashed(b)).collect();
                let bytes = postcard::to_stdvec(&(&members, &identities)).ok()?;
                Some((*key, bytes, members.into_iter().zip(identities).collect()))
            })
            .collect();
        for (brief, identity) in packs.iter().flat_map(|(_, _, known)| known) {
            self.known.insert(brief, *identity);
        }
        let packs: Vec<ToWrite> = (packs.into_iter())
            .map(|(key, bytes, members)| {
                let (paths, bodies) = (members.iter())
                    .map(|(b, _)| (b.path.clone(), b.body_html.handle()))
                    .unzip();
                (key, bytes, paths, bodies)
            })
            .collect();
        if packs.is_empty() {
            return;
        }
        for (key, ..) in &packs {
            self.cache.claim(KIND, *key);
        }
        let writer = self.cache.sibling();
        self.saving = Some(std::thread::spawn(move || {
            for (key, bytes, paths, bodies) in packs {
                writer.put(KIND, key, &[(PathBuf::from(PACK_FILE), bytes)]);
                move_bodies_to_pack(&writer, key, &paths, &bodies);
            }
            writer.take_warnings()
        }));
    }

    /// Waits for the packs to be written (after a successful build), then
    /// forgets those of earlier builds. Returns the warnings of writing them.
    pub(crate) fn finish(&mut self) -> Vec<crate::diagnostic::Diagnostic> {
        let warnings = (self.saving.take())
            .and_then(|saving| saving.join().ok())
            .unwrap_or_default();
        self.cache.prune(KIND);
        warnings
    }
}

/// A pack to save: its key, bytes, and briefs with their identities and
/// listing hashes.
type Saved<'b> = (Key, Vec<u8>, Vec<(&'b Brief, Hashed)>);

/// A pack to write: its key and bytes, and its briefs' paths and bodies.
type ToWrite = (Key, Vec<u8>, Vec<PathBuf>, Vec<BodyHandle>);

/// Moves the bodies of a pack's briefs from memory into the pack entry
/// just written, read back mapped ([`BodyHandle::move_to_pack`]): the
/// kernel's cache then holds them, and each page reads its body from there.
/// At 50,000 briefs this takes about 250 MB off a cold build's peak, for
/// decoding the packs once more on this thread while the pages render.
fn move_bodies_to_pack(cache: &BuildCache, key: Key, paths: &[PathBuf], bodies: &[BodyHandle]) {
    cache.read_with(KIND, key, |read, entry| {
        if !read.is_mapped() {
            return None;
        }
        let (briefs, _) = BodyHtml::restoring(read, || read_pack(entry, paths))?;
        for (body, brief) in bodies.iter().zip(&briefs) {
            body.move_to_pack(&brief.body_html);
        }
        drop(briefs);
        read.forget_pages(0..read.len());
        Some(())
    });
}

/// A pack's briefs, and the identity and listing hash of each as it was saved.
type Pack = (Vec<Brief>, Vec<Hashed>);

/// The briefs of a pack entry, when it holds exactly the expected files
/// (the key says so already; this guards against a stray entry).
fn read_pack(entry: &[(&str, &[u8])], paths: &[PathBuf]) -> Option<Pack> {
    let [(name, bytes)] = entry else {
        return None;
    };
    if *name != PACK_FILE {
        return None;
    }
    let (briefs, identities): Pack = postcard::from_bytes(bytes).ok()?;
    let same = briefs.len() == paths.len()
        && identities.len() == briefs.len()
        && briefs.iter().zip(paths).all(|(b, p)| &b.path == p);
    same.then_some((briefs, identities))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The test fixture site in a temporary folder, with one brief long
    /// enough that its pack is mapped rather than read (see `EntryBytes`).
    fn site_with_a_long_brief(dir: &Path) -> PathBuf {
        let root = crate::fixture::copy_site(dir);
        let paragraph = "The call covered sanctions relief, the nuclear file and regional \
                         security, and both sides said they would speak again.\n\n";
        std::fs::write(
            root.join("content/briefs/long.md"),
            format!(
                "---\ntitle: A long brief\ndate: 2018-02-01\nauthors: [\"Dana Analyst\"]\n\
                 countries: [Iran]\nactors: [IRGC]\n---\n{}",
                paragraph.repeat(3_000)
            ),
        )
        .expect("long brief");
        root
    }

    /// Saving parsed briefs moves each body of a mapped pack out of memory
    /// into the pack (a cold build's largest saving of memory), and the
    /// body then reads as it was; bodies of packs read into memory stay
    /// where they are, as does a body already let go of.
    #[test]
    fn saved_bodies_move_into_their_mapped_packs_and_read_as_they_were() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = site_with_a_long_brief(dir.path());
        let options = BuildOptions {
            root: root.clone(),
            ..BuildOptions::default()
        };
        let fresh = crate::content::load(&options).expect("loads");
        let cache = BuildCache::open(&root);
        let inputs = super::super::up_to_date::inputs(&options, &root.join("output"), &cache);
        let mut memo = None;
        let loaded = crate::content::load_with(&options, &mut memo, || {
            Some(BriefMemo::restore(&cache, &inputs, &options))
        })
        .expect("loads");
        let mut memo = memo.expect("a memo");
        assert!(memo.finish().is_empty(), "packs written");

        let by_name = |name: &str| {
            (loaded.briefs.iter())
                .find(|b| b.path.ends_with(name))
                .expect(name)
        };
        let fresh_body = |name: &str| {
            (fresh.briefs.iter())
                .find(|b| b.path.ends_with(name))
                .and_then(|b| b.body_html.get())
                .expect(name)
        };
        let long = by_name("long.md");
        assert!(long.body_html.is_in_mapped_pack(), "the long body moved");
        assert_eq!(long.body_html.get(), Some(fresh_body("long.md")));
        assert!(!long.body_html.is_in_mapped_pack(), "read once, held");
        let alpha = by_name("alpha.md");
        assert!(!alpha.body_html.is_in_mapped_pack(), "a small pack is read");
        assert_eq!(alpha.body_html.get(), Some(fresh_body("alpha.md")));

        // A body let go of before its pack was written stays let go of.
        long.body_html.release();
        let handle = long.body_html.handle();
        let restored = BriefMemo::restore(&cache, &inputs, &options);
        let again = (restored.restored.values())
            .find(|b| b.path.ends_with("long.md"))
            .expect("restored");
        assert!(again.body_html.is_in_mapped_pack(), "restored packed");
        assert!(!handle.move_to_pack(&again.body_html));
        assert_eq!(long.body_html.get(), None);
    }
}
