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
use crate::content::model::{BodyHtml, Brief};
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
                    BodyHtml::restoring(read, || read_pack(entry, &paths))
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
        let packs: Vec<(Key, Vec<u8>)> = (packs.into_iter())
            .map(|(key, bytes, _)| (key, bytes))
            .collect();
        if packs.is_empty() {
            return;
        }
        for (key, _) in &packs {
            self.cache.claim(KIND, *key);
        }
        let writer = self.cache.sibling();
        self.saving = Some(std::thread::spawn(move || {
            for (key, bytes) in packs {
                writer.put(KIND, key, &[(PathBuf::from(PACK_FILE), bytes)]);
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
