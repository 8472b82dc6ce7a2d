//! "Nothing changed": a build whose inputs are byte for byte those of the
//! last successful build, into an output folder nobody touched since, has
//! nothing to do. The last build's record (a cache entry like any other)
//! holds a hash of every input file, the options, every output file's
//! path, size and modification time, and every output folder's
//! status-change time ([`super::output_folders`]); when all match, `build`
//! stops there.
//!
//! Inputs are what the loader reads: `site.yaml` and everything under
//! `content/`, `templates/`, `static/`, `themes/` and `i18n/`, by content, not by
//! modification time, so that a fresh clone in CI (every file new) still
//! matches. The binary is part of every key (see [`super::KeyBuilder`]).

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::output_check::OutputCheck;
use super::output_folders::{self, FolderTimes, Found};
use super::{BuildCache, Key, KeyBuilder, codec, input_hashes};
use crate::BuildOptions;
use crate::diagnostic::Diagnostic;
use crate::output::{PreviousOutput, WrittenFile};
use crate::publish::search::ahead;
use crate::publish::search::kept::{self, ShardOutputs};
use crate::unchanged_pages::Kept;

/// The cache kind of the last build's record.
const KIND: &str = "last-build";

/// The folders under the site root the loader reads from.
const INPUT_DIRS: [&str; 5] = ["content", "templates", "static", "themes", "i18n"];

/// What the last successful build made, to report again when nothing changed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Record {
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) briefs: usize,
    pub(crate) pages: usize,
    pub(crate) drafts_skipped: usize,
    pub(crate) scheduled_skipped: usize,
    /// When the first brief the build left out as scheduled is due: from
    /// then on the same inputs make another site.
    pub(crate) valid_until: Option<i64>,
    /// Bytes and files in the output folder.
    #[serde(default)]
    pub(crate) output_bytes: u64,
    #[serde(default)]
    pub(crate) output_files: usize,
}

impl Record {
    /// The record of a build that made `summary`, valid until `valid_until`.
    pub(crate) fn of(summary: &crate::BuildSummary, valid_until: Option<i64>) -> Record {
        Record {
            warnings: summary.warnings.clone(),
            briefs: summary.briefs,
            pages: summary.pages,
            drafts_skipped: summary.drafts_skipped,
            scheduled_skipped: summary.scheduled_skipped,
            valid_until,
            output_bytes: summary.output_bytes,
            output_files: summary.output_files,
        }
    }
}

/// What a build reads, hashed before it reads anything (so an edit made
/// while it runs makes the next build run too).
pub(crate) struct Inputs {
    /// Everything: every input file, the options and the output folder.
    pub(crate) key: Key,
    /// Each input file's hash, by path relative to the site root.
    pub(crate) files: Vec<(PathBuf, Key)>,
    /// How many of them were read, not known by their status.
    pub(crate) read: usize,
    /// The input files whose text changed since the last build hashed them
    /// (relative to the site root), when all are brief files; empty when
    /// another input changed: what a search shard is indexed ahead for
    /// (`publish::search::ahead`).
    pub(crate) briefs_changed: Vec<PathBuf>,
    /// Their hashes being stored for the next build.
    pub(crate) saving: Saving,
}

/// Hashes every input file and the options of a build into [`Inputs`].
/// Files whose status is as it was when the last build hashed them are not
/// read again (see [`input_hashes`]).
pub(crate) fn inputs(options: &BuildOptions, output: &Path, cache: &BuildCache) -> Inputs {
    let root = &options.root;
    let mut listed = Vec::new();
    for dir in INPUT_DIRS {
        input_hashes::list(&root.join(dir), &mut listed);
    }
    let config = root.join(crate::content::source::CONFIG_FILE);
    let status = fs::metadata(&config).ok();
    listed.push(input_hashes::Listed::new(config, status.as_ref()));
    // By the paths' bytes: any fixed order will do, and comparing `Path`s
    // walks their components (50,000 briefs: a tenth of this stage).
    listed.sort_unstable_by(|a, b| {
        (a.path.as_os_str().as_encoded_bytes()).cmp(b.path.as_os_str().as_encoded_bytes())
    });
    let remembered = input_hashes::Remembered::read(cache);
    let hashed: Vec<(&Path, &input_hashes::Listed, u128, bool)> = listed
        .par_iter()
        .map(|file| {
            let rel = file.path.strip_prefix(root).unwrap_or(&file.path);
            match remembered.hash(rel, file) {
                Some(hash) => (rel, file, hash, false),
                None => {
                    // XXH3: SipHash over a 50,000-brief archive's 200 MB of
                    // text cost more than reading it; the binary is in every
                    // key these hashes go into.
                    let bytes = fs::read(&file.path).unwrap_or_default();
                    (rel, file, xxhash_rust::xxh3::xxh3_128(&bytes), true)
                }
            }
        })
        .collect();
    let read = hashed.iter().filter(|(_, _, _, read)| *read).count();
    let changed: Vec<PathBuf> = (hashed.iter())
        .filter(|&&(rel, _, hash, read)| read && remembered.last_hash(rel) != Some(hash))
        .map(|(rel, _, _, _)| rel.to_path_buf())
        .collect();
    let briefs_changed = if changed.iter().all(|rel| super::briefs::is_brief(rel)) {
        changed
    } else {
        Vec::new()
    };
    // Stored on a thread of its own (6 MB at 50,000 briefs, rewritten after
    // every edit), which the build joins before it ends.
    let to_store =
        remembered.to_store(hashed.iter().map(|&(rel, file, hash, _)| (rel, file, hash)));
    let saving = Saving(to_store.map(|stored| {
        let cache = cache.sibling();
        std::thread::spawn(move || {
            input_hashes::store(&cache, &stored);
            cache.take_warnings()
        })
    }));
    let files: Vec<(PathBuf, Key)> = (hashed.into_iter())
        .map(|(rel, _, hash, _)| (rel.to_path_buf(), Key(hash)))
        .collect();
    let mut key = KeyBuilder::new(KIND);
    key.part(output.to_string_lossy().as_bytes())
        .part(options.base_url.as_deref().unwrap_or("").as_bytes())
        .part(&[u8::from(options.drafts), u8::from(options.scheduled)])
        .part(options.now.as_deref().unwrap_or("").as_bytes());
    for (rel, hash) in &files {
        key.part(rel.to_string_lossy().as_bytes())
            .part(&hash.0.to_le_bytes());
    }
    Inputs {
        key: key.finish(),
        files,
        read,
        briefs_changed,
        saving,
    }
}

/// The input hashes being stored for the next build, on a thread of its
/// own; joined when dropped, so no build ends with it still writing.
pub(crate) struct Saving(Option<std::thread::JoinHandle<Vec<crate::Diagnostic>>>);

impl Saving {
    /// Waits for the hashes to be stored; the cache's warnings about them.
    pub(crate) fn finish(&mut self) -> Vec<crate::Diagnostic> {
        (self.0.take())
            .and_then(|saving| saving.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Saving {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The build's render key: everything pages are rendered from besides the
/// briefs, which every page's key starts from (`render::page_keys`): every
/// input file that is neither a brief nor a static file, the options, and
/// the name each static file is published under (`static_files`). A static
/// file's bytes reach no page; its name does, through `asset()`, and holds
/// a hash of its bytes when it is fingerprinted.
pub(crate) fn render_base(
    inputs: &Inputs,
    options: &BuildOptions,
    static_files: &[crate::content::source::StaticFile],
) -> Key {
    let mut key = KeyBuilder::new("pages");
    key.part(options.base_url.as_deref().unwrap_or("").as_bytes())
        .part(&[u8::from(options.drafts), u8::from(options.scheduled)])
        .part(options.now.as_deref().unwrap_or("").as_bytes());
    let read_by_pages = |rel: &Path| !super::briefs::is_brief(rel) && !is_static(rel);
    for (rel, hash) in (inputs.files.iter()).filter(|(rel, _)| read_by_pages(rel)) {
        key.part(rel.as_os_str().as_encoded_bytes())
            .part(&hash.0.to_le_bytes());
    }
    for file in static_files {
        key.part(file.name.as_bytes())
            .part(file.output_path.as_os_str().as_encoded_bytes());
    }
    key.finish()
}

/// Whether an input file is in a static folder (the site's or a theme's).
fn is_static(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str());
    match parts.next() {
        Some(top) if top == "static" => true,
        Some(top) if top == "themes" => parts.nth(1).is_some_and(|p| p == "static"),
        _ => false,
    }
}

/// The last successful build's record, read once per build: both the
/// "nothing changed" check and the in-place build ask it whether the output
/// folder is as that build left it, and the folder is looked at once.
pub(crate) struct LastBuild {
    entry: super::Files,
    /// The files that build wrote and the folders' times as found, when the
    /// output is as it left it ([`output_folders::as_left`]).
    as_left: std::sync::OnceLock<Option<(Vec<WrittenFile>, Found)>>,
}

impl LastBuild {
    /// The record in the cache, if there is one.
    pub(crate) fn read(cache: &BuildCache) -> Option<LastBuild> {
        Some(LastBuild {
            entry: cache.get(KIND, Key(0))?,
            as_left: std::sync::OnceLock::new(),
        })
    }

    fn field(&self, name: &str) -> Option<&[u8]> {
        (self.entry.iter())
            .find(|(n, _)| n == Path::new(name))
            .map(|(_, b)| b.as_slice())
    }

    /// Whether every file under `output` has the path, size and
    /// modification time the last build left it with, and no other entry is
    /// there. Looks once; later calls give the same answer.
    pub(crate) fn output_as_left(&self, output: &Path) -> bool {
        self.check(output).is_some()
    }

    fn check(&self, output: &Path) -> Option<&(Vec<WrittenFile>, Found)> {
        (self.as_left.get_or_init(|| {
            if !output.is_dir() {
                return None;
            }
            let files = decode_files(self.field("files")?)?;
            let times: FolderTimes = postcard::from_bytes(self.field("folder-times")?).ok()?;
            let found = output_folders::as_left(output, &files, &times)?;
            Some((files, found))
        }))
        .as_ref()
    }

    /// The last build's record when its inputs were `inputs`, the output
    /// folder is as it left it, and no brief it left out as scheduled is due
    /// at `now` (seconds since the epoch).
    pub(crate) fn unchanged(&self, inputs: Key, output: &Path, now: i64) -> Option<Record> {
        if self.field("inputs")? != inputs.0.to_le_bytes() || !self.output_as_left(output) {
            return None;
        }
        let record: Record = serde_json::from_slice(self.field("record")?).ok()?;
        record
            .valid_until
            .is_none_or(|due| now < due)
            .then_some(record)
    }

    /// The files of the output folder as the last build left them, and
    /// whether it still is so: the build may then update it in place,
    /// comparing its pages with these, but must wait for the check before
    /// it moves files in. With them, the last build's page keys, index
    /// hashes and search shard files, which are only true of an output it
    /// left as it was. `None` when the output is known not to be so, or
    /// nothing is recorded of it.
    pub(crate) fn previous_with_keys(
        &mut self,
        output: &Path,
    ) -> Option<(PreviousOutput, OutputCheck, PreviousKeys)> {
        // Checked already (by the "nothing changed" check), or to be
        // checked from the recorded folder times while the build goes on.
        let (files, checked): (Vec<WrittenFile>, Result<Found, FolderTimes>) =
            match self.as_left.take() {
                Some(as_left) => {
                    let (files, found) = as_left?;
                    (files, Ok(found))
                }
                None => {
                    if !output.is_dir() {
                        return None;
                    }
                    let files = decode_files(self.field("files")?)?;
                    let times = postcard::from_bytes(self.field("folder-times")?).ok()?;
                    (files, Err(times))
                }
            };
        // Made here, while the site loads.
        let previous = PreviousOutput::new(files.clone());
        let check = match checked {
            Ok(found) => OutputCheck::Done(found),
            Err(times) => OutputCheck::start(output.to_path_buf(), files, times),
        };
        let listings = (self.field("listings-key"))
            .and_then(|b| b.try_into().ok())
            .map(u128::from_le_bytes);
        let keys = (
            self.page_keys(),
            self.index_hashes(),
            self.shard_outputs(),
            listings,
            self.site_files(),
        );
        Some((previous, check, keys))
    }

    /// The key of each brief page the last build wrote, by output path
    /// (empty when it recorded none). Only true of the output folder while
    /// [`LastBuild::previous_with_keys`] finds it as that build left it.
    pub(crate) fn page_keys(&self) -> PageKeys {
        (self.field("page-keys"))
            .and_then(|bytes| codec::read_keyed(bytes, codec::os_string))
            .map(|keys| keys.into_iter().collect())
            .unwrap_or_default()
    }

    /// The hash of each brief page's indexed HTML the last build recorded,
    /// by path with `/` separators (`search::shards::page_hash`).
    pub(crate) fn index_hashes(&self) -> std::collections::HashMap<String, u128> {
        (self.field("index-hashes"))
            .and_then(|bytes| codec::read_keyed(bytes, codec::string))
            .map(|hashes| hashes.into_iter().collect())
            .unwrap_or_default()
    }

    /// The site files (sitemap, robots.txt, redirects) the last build made
    /// or kept, when it recorded them.
    pub(crate) fn site_files(&self) -> Option<Vec<PathBuf>> {
        let mut reader = codec::Reader::new(self.field("site-files")?)?;
        let mut paths = Vec::with_capacity(reader.len);
        while reader.len > 0 {
            paths.push(codec::path_buf(reader.path()?)?);
        }
        reader.done().then_some(paths)
    }

    /// Which brief files' pages each search shard of the last build held
    /// (`publish::search::ahead`), when it recorded them.
    pub(crate) fn shard_sources(&self) -> Option<ahead::Recorded> {
        postcard::from_bytes(self.field("shard-sources")?).ok()
    }

    /// The files of each search shard the last build wrote or kept (empty
    /// when it recorded none). Only true of the output folder while
    /// [`LastBuild::previous_with_keys`] finds it as that build left it.
    pub(crate) fn shard_outputs(&self) -> ShardOutputs {
        (self.field("shard-outputs"))
            .and_then(|bytes| postcard::from_bytes::<kept::Recorded>(bytes).ok())
            .map(kept::from_record)
            .unwrap_or_default()
    }
}

/// The last build's page keys, index hashes, search shard files,
/// listings key (`render::page_keys::listings_key`) and site files.
pub(crate) type PreviousKeys = (
    PageKeys,
    std::collections::HashMap<String, u128>,
    ShardOutputs,
    Option<u128>,
    Option<Vec<PathBuf>>,
);

/// Page keys by output path (`render::page_keys`). Keyed by the path's
/// bytes, which hash faster than a `PathBuf`'s components (75,000 pages,
/// each looked up twice per build at 50,000 briefs).
/// Hashed with FxHash, as the in-place staging's map of the output is.
pub(crate) type PageKeys =
    std::collections::HashMap<std::ffi::OsString, u128, rustc_hash::FxBuildHasher>;

/// The pages' keys, their indexed HTML's hashes and the search shards'
/// files, encoded for the record; made while the output is replaced, as
/// they do not depend on it.
pub(crate) struct EncodedKeys {
    page_keys: Vec<u8>,
    index_hashes: Vec<u8>,
    shard_outputs: Vec<u8>,
    shard_sources: Vec<u8>,
    listings_key: u128,
    site_files: Vec<u8>,
}

impl EncodedKeys {
    /// What a build records besides its output, of what it `made`: the
    /// pages' keys, the hashes of their indexed HTML, the search shards'
    /// files and the brief files whose pages they hold, the listings key and
    /// the site files' paths. `None` when one cannot be encoded (not
    /// expected): nothing is recorded.
    pub(crate) fn new(made: &Kept) -> Option<EncodedKeys> {
        let mut pages: Vec<(&[u8], u128)> = (made.keys.iter())
            .map(|(p, k)| (p.as_encoded_bytes(), *k))
            .collect();
        let mut indexed: Vec<(&[u8], u128)> = (made.index_hashes.iter())
            .map(|(p, k)| (p.as_bytes(), *k))
            .collect();
        let (page_keys, index_hashes) = rayon::join(
            || codec::keyed_list(&mut pages),
            || codec::keyed_list(&mut indexed),
        );
        Some(EncodedKeys {
            page_keys,
            index_hashes,
            shard_outputs: postcard::to_stdvec(&kept::to_record(&made.shard_outputs)).ok()?,
            shard_sources: postcard::to_stdvec(&made.shard_sources).ok()?,
            listings_key: made.listings_key,
            site_files: {
                let mut writer = codec::Writer::new(made.site_files.len());
                for path in &made.site_files {
                    writer.path(path.as_os_str().as_encoded_bytes());
                }
                writer.finish()
            },
        })
    }
}

/// The output folder's files and its folders' times, encoded for the
/// record; made while the build's last warnings are gathered, which the
/// record holds.
pub(crate) struct EncodedOutput {
    files: Vec<u8>,
    folder_times: Vec<u8>,
}

impl EncodedOutput {
    /// Of `written`, every file of the output folder `output`, which a
    /// check found with the folders' times `found` before the build moved in
    /// or deleted the files `changed`. `None` when it cannot be encoded (not
    /// expected): nothing is recorded.
    pub(crate) fn new(
        output: &Path,
        written: &[WrittenFile],
        (found, changed): (&Found, &[PathBuf]),
    ) -> Option<EncodedOutput> {
        let (files, folder_times) = rayon::join(
            || encode_files(written),
            || {
                let times = output_folders::to_record(output, written, found, changed);
                postcard::to_stdvec(&times)
            },
        );
        Some(EncodedOutput {
            files,
            folder_times: folder_times.ok()?,
        })
    }
}

/// Records a successful build made from `inputs` that wrote `output` (the
/// whole output folder), the key of each page it rendered or kept, and the
/// hash of each brief page's indexed HTML (`keys`).
pub(crate) fn record(
    cache: &BuildCache,
    inputs: Key,
    output: EncodedOutput,
    record: &Record,
    keys: EncodedKeys,
) {
    let EncodedKeys {
        page_keys,
        index_hashes,
        shard_outputs,
        shard_sources,
        listings_key,
        site_files,
    } = keys;
    let Ok(json) = serde_json::to_vec(record) else {
        return;
    };
    let files = vec![
        ("inputs".into(), inputs.0.to_le_bytes().to_vec()),
        ("folder-times".into(), output.folder_times),
        ("record".into(), json),
        ("files".into(), output.files),
        ("page-keys".into(), page_keys),
        ("index-hashes".into(), index_hashes),
        ("shard-outputs".into(), shard_outputs),
        ("shard-sources".into(), shard_sources),
        ("listings-key".into(), listings_key.to_le_bytes().to_vec()),
        ("site-files".into(), site_files),
    ];
    cache.put(KIND, Key(0), &files);
}

/// The record's form of the output's files (sorted by path bytes).
fn encode_files(written: &[WrittenFile]) -> Vec<u8> {
    let mut writer = codec::Writer::new(written.len());
    for file in written {
        (writer.path(file.path.as_os_str().as_encoded_bytes()))
            .number(u128::from(file.len))
            .number(file.modified);
    }
    writer.finish()
}

/// What [`encode_files`] wrote; `None` on anything else.
fn decode_files(bytes: &[u8]) -> Option<Vec<WrittenFile>> {
    let mut list = codec::Reader::new(bytes)?;
    let mut files = Vec::with_capacity(list.len);
    while list.len > 0 {
        let path = codec::path_buf(list.path()?)?;
        let len = u64::try_from(list.number()?).ok()?;
        files.push(WrittenFile {
            path,
            len,
            modified: list.number()?,
        });
    }
    list.done().then_some(files)
}

/// Forgets the last build's record, before a build changes the output in
/// place: if it is killed half way, the next one trusts nothing.
pub(crate) fn forget(cache: &BuildCache) {
    cache.remove(KIND, Key(0));
}
