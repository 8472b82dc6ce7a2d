//! Whether the output folder is as the last build left it, without reading
//! every folder in it. At 50,000 briefs the output holds 130,000 files in
//! 72,000 folders; opening, reading and closing each folder was seven
//! tenths of the check's 0.5 s of CPU.
//!
//! Adding, removing or renaming an entry sets its folder's status-change
//! time (`ctime`), which nobody can set back. So the record keeps every
//! folder's `ctime` besides every file's size and modification time: a
//! folder whose `ctime` is the recorded one holds the entries it held, and
//! only its files are looked at; any other folder is read and its entries
//! compared with the record. A folder whose status changed less than
//! [`RACY_WINDOW_NANOS`] before the record was made is always read: a second
//! change in the same clock tick would leave its `ctime` as it was.
//! Without these times (not a Unix system) every folder is read.
//!
//! The record holds the times only, in the order of [`folders_of`] the
//! recorded files, which both sides derive the same way.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::WrittenFile;

/// How long before the record a folder's status must have changed for its
/// `ctime` to be trusted (two seconds: coarser than any file system clock tick).
const RACY_WINDOW_NANOS: i128 = 2_000_000_000;

/// The status-change time of every folder holding the recorded files, in
/// the order of [`folders_of`] them, and when they were recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct FolderTimes {
    times: Vec<Option<i128>>,
    recorded_at: i128,
}

/// The folders' times as a check found them: by path, sorted by its bytes.
pub(crate) type Found = Vec<(PathBuf, Option<i128>)>;

/// What the check reads of an entry: a folder (with its status-change
/// time), a file (with its size and modification time), or something else.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    Folder(Option<i128>),
    File(u64, u128),
    Other,
}

/// The output folder, open, so that its entries are looked at by their
/// paths under it: the kernel then walks `briefs/x/index.html` rather than
/// the output's whole path again for each of 200,000 entries.
struct Output {
    path: PathBuf,
    #[cfg(unix)]
    open: fs::File,
}

impl Output {
    fn open(path: &Path) -> Option<Output> {
        Some(Output {
            path: path.to_path_buf(),
            #[cfg(unix)]
            open: fs::File::open(path).ok()?,
        })
    }

    /// The entry at `rel` (the output itself when empty), not following a
    /// symbolic link.
    #[cfg(unix)]
    fn entry(&self, rel: &Path) -> Option<Entry> {
        use rustix::fs::{AtFlags, FileType, statat};
        let path = if rel.as_os_str().is_empty() {
            Path::new(".")
        } else {
            rel
        };
        let stat = statat(&self.open, path, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        let nanos = |secs: i64, nsecs: u64| i128::from(secs) * 1_000_000_000 + i128::from(nsecs);
        // The fields' integer types differ between targets.
        #[allow(clippy::unnecessary_cast)]
        Some(match FileType::from_raw_mode(stat.st_mode) {
            FileType::Directory => {
                Entry::Folder(Some(nanos(stat.st_ctime as i64, stat.st_ctime_nsec as u64)))
            }
            FileType::RegularFile => Entry::File(
                u64::try_from(stat.st_size).ok()?,
                u128::try_from(nanos(stat.st_mtime as i64, stat.st_mtime_nsec as u64)).ok()?,
            ),
            _ => Entry::Other,
        })
    }

    #[cfg(not(unix))]
    fn entry(&self, rel: &Path) -> Option<Entry> {
        let meta = fs::symlink_metadata(self.path.join(rel)).ok()?;
        // No status-change time here: every folder is read.
        Some(if meta.is_dir() {
            Entry::Folder(None)
        } else if meta.is_file() {
            Entry::File(meta.len(), crate::output::modified_nanos(&meta)?)
        } else {
            Entry::Other
        })
    }

    /// The names in folder `rel` (as bytes, sorted), `None` when it cannot be read.
    fn names(&self, rel: &Path) -> Option<Vec<Vec<u8>>> {
        let mut names: Vec<Vec<u8>> = (fs::read_dir(self.path.join(rel)).ok()?)
            .map(|e| e.ok().map(|e| e.file_name().as_encoded_bytes().to_vec()))
            .collect::<Option<_>>()?;
        names.sort_unstable();
        Some(names)
    }
}

fn now_nanos() -> i128 {
    (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH))
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX))
}

fn bytes(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// The folders holding `files`, each once, sorted by their paths' bytes:
/// the files' parents, their parents' parents, up to the output itself
/// (the empty path).
fn folders_of(files: &[WrittenFile]) -> Vec<&Path> {
    let mut seen: HashSet<&Path, rustc_hash::FxBuildHasher> = HashSet::default();
    let mut folders = Vec::new();
    for file in files {
        for folder in file.path.ancestors().skip(1) {
            if !seen.insert(folder) {
                break;
            }
            folders.push(folder);
        }
    }
    folders.par_sort_unstable_by(|a, b| bytes(a).cmp(bytes(b)));
    folders
}

/// The names `folder` holds (as bytes, sorted), as `files` (sorted by path
/// bytes) and `folders` tell. Everything under a folder shares the prefix
/// `folder/`, so it is one run of each sorted list.
fn expected_names(folder: &Path, files: &[WrittenFile], folders: &[&Path]) -> Vec<Vec<u8>> {
    let separator = std::path::MAIN_SEPARATOR_STR.as_bytes();
    let prefix: Vec<u8> = if folder.as_os_str().is_empty() {
        Vec::new()
    } else {
        [bytes(folder), separator].concat()
    };
    // A name right under the folder: what follows the prefix, with no
    // separator in it.
    let name_under = |path: &[u8]| -> Option<Vec<u8>> {
        let rest = path.strip_prefix(prefix.as_slice())?;
        (!rest.is_empty() && !rest.windows(separator.len()).any(|w| w == separator))
            .then(|| rest.to_vec())
    };
    let from = files.partition_point(|f| bytes(&f.path) < prefix.as_slice());
    let mut names: Vec<Vec<u8>> = (files[from..].iter())
        .map(|f| bytes(&f.path))
        .take_while(|p| p.starts_with(&prefix))
        .filter_map(name_under)
        .collect();
    let from = folders.partition_point(|f| bytes(f) < prefix.as_slice());
    names.extend(
        (folders[from..].iter())
            .map(|f| bytes(f))
            .take_while(|p| p.starts_with(&prefix))
            .filter_map(name_under),
    );
    names.sort_unstable();
    names
}

/// Whether `output` holds exactly `files` (each with its recorded size and
/// modification time, sorted by path bytes) and no other entry, as the
/// recorded `times` tell: the folders' times as found when it does.
pub(crate) fn as_left(output: &Path, files: &[WrittenFile], times: &FolderTimes) -> Option<Found> {
    let folders = folders_of(files);
    if folders.len() != times.times.len() {
        return None;
    }
    let trusted = |time: &Option<i128>| {
        time.is_some_and(|t| t.saturating_add(RACY_WINDOW_NANOS) < times.recorded_at)
    };
    let output = Output::open(output)?;
    let found: Option<Found> = (folders.par_iter().zip(&times.times))
        .map(|(folder, recorded)| {
            let Some(Entry::Folder(time)) = output.entry(folder) else {
                return None;
            };
            if (time != *recorded || !trusted(recorded))
                && output.names(folder)? != expected_names(folder, files, &folders)
            {
                return None;
            }
            Some((folder.to_path_buf(), time))
        })
        .collect();
    let files_as_left = (files.par_iter())
        .all(|file| output.entry(&file.path) == Some(Entry::File(file.len, file.modified)));
    if !files_as_left {
        return None;
    }
    found
}

/// The times to record of the folders of an output holding `written`
/// (sorted by path bytes), as they are now: those a check found (`found`)
/// keep their times unless the build moved a file into them or deleted one
/// (`changed`: such files' paths), which are looked at again, as is every
/// folder the check did not see.
pub(crate) fn to_record(
    output: &Path,
    written: &[WrittenFile],
    found: &Found,
    changed: &[PathBuf],
) -> FolderTimes {
    let touched: HashSet<&Path> = (changed.iter())
        .flat_map(|path| path.ancestors().skip(1))
        .collect();
    // Taken before looking, so that a change made meanwhile is in the window.
    let recorded_at = now_nanos();
    let open = Output::open(output);
    let found_time = |folder: &Path| {
        (found.binary_search_by(|(f, _)| bytes(f).cmp(bytes(folder))))
            .ok()
            .map(|at| found[at].1)
    };
    let times = (folders_of(written).par_iter())
        .map(|folder| match found_time(folder) {
            Some(time) if !touched.contains(folder) => time,
            _ => match open.as_ref().and_then(|o| o.entry(folder)) {
                Some(Entry::Folder(time)) => time,
                _ => None,
            },
        })
        .collect();
    FolderTimes { times, recorded_at }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Staging;
    use crate::render::OutputFile;

    fn site(output: &Path) -> Vec<WrittenFile> {
        let staging = Staging::create(output).expect("staging");
        // `a-b` sorts between `a` and `a/x` by bytes.
        for (path, bytes) in [
            ("index.html", "home"),
            ("briefs/a/index.html", "a"),
            ("briefs/a-b/index.html", "ab"),
            ("briefs/b/index.html", "bb"),
            ("pagefind/shard-1/index.pf", "ccc"),
        ] {
            let file = OutputFile {
                path: path.into(),
                bytes: bytes.into(),
            };
            staging.write_one(&file).expect("write");
        }
        staging.commit().expect("commit").0
    }

    /// Records the output as if the record had been made `age` seconds
    /// after its folders last changed.
    fn recorded(output: &Path, written: &[WrittenFile], age: i128) -> FolderTimes {
        let mut times = to_record(output, written, &Found::new(), &[]);
        times.recorded_at += age * 1_000_000_000;
        times
    }

    #[test]
    fn each_folder_expects_the_names_the_record_puts_in_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let output = dir.path().join("out");
        let written = site(&output);
        let folders = folders_of(&written);
        let output = Output::open(&output).expect("open");
        for folder in &folders {
            let on_disk = output.names(folder).expect("names");
            assert_eq!(
                on_disk,
                expected_names(folder, &written, &folders),
                "{folder:?}"
            );
        }
        assert_eq!(folders.len(), 7, "{folders:?}");
    }

    #[test]
    fn an_output_as_left_is_found_so_and_any_new_entry_is_seen() {
        let dir = tempfile::tempdir().expect("tmp");
        let output = dir.path().join("out");
        let written = site(&output);
        for age in [0, 10] {
            let times = recorded(&output, &written, age);
            let found = as_left(&output, &written, &times).expect("as left");
            assert_eq!(found.len(), times.times.len(), "{found:?}");
        }
        // A new file deep down, whether or not its folder's time is trusted;
        // a new empty folder; a file gone.
        for age in [10, 0] {
            let times = recorded(&output, &written, age);
            fs::write(output.join("briefs/a/stray.html"), "x").expect("stray");
            assert!(as_left(&output, &written, &times).is_none(), "{age}");
            fs::remove_file(output.join("briefs/a/stray.html")).expect("rm");
        }
        let times = recorded(&output, &written, 10);
        fs::create_dir(output.join("briefs/new")).expect("mkdir");
        assert!(as_left(&output, &written, &times).is_none());
        fs::remove_dir(output.join("briefs/new")).expect("rmdir");
        let times = recorded(&output, &written, 10);
        fs::remove_file(output.join("briefs/b/index.html")).expect("rm");
        assert!(as_left(&output, &written, &times).is_none());
    }

    #[test]
    fn a_changed_file_is_seen_in_a_folder_whose_time_is_trusted() {
        let dir = tempfile::tempdir().expect("tmp");
        let output = dir.path().join("out");
        let written = site(&output);
        let times = recorded(&output, &written, 10);
        fs::write(output.join("briefs/b/index.html"), "bbb").expect("edit");
        assert!(as_left(&output, &written, &times).is_none());
    }

    /// A folder whose recorded time is within the racy window is read even
    /// when its time did not change: a stray file made in the same clock
    /// tick is still seen.
    #[cfg(unix)]
    #[test]
    fn a_folder_changed_just_before_the_record_is_read() {
        let dir = tempfile::tempdir().expect("tmp");
        let output = dir.path().join("out");
        let written = site(&output);
        let mut times = recorded(&output, &written, 0);
        fs::write(output.join("briefs/a/stray.html"), "x").expect("stray");
        // As if the stray file had come in the tick of the last change.
        times.times = to_record(&output, &written, &Found::new(), &[]).times;
        assert!(as_left(&output, &written, &times).is_none());
        // Trusted, the same times would hide it: the window is what finds it.
        times.recorded_at += 10 * 1_000_000_000;
        assert!(as_left(&output, &written, &times).is_some());
    }

    #[cfg(unix)]
    #[test]
    fn a_build_that_changed_files_records_their_folders_again() {
        let dir = tempfile::tempdir().expect("tmp");
        let output = dir.path().join("out");
        let written = site(&output);
        let found = as_left(&output, &written, &recorded(&output, &written, 10)).expect("found");
        // Someone else's change after the check is not recorded as the
        // folder's time, unless the build says it changed a file there.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(output.join("briefs/a/new.html"), "x").expect("new");
        let stale = to_record(&output, &written, &found, &[]);
        let fresh = to_record(
            &output,
            &written,
            &found,
            &[PathBuf::from("briefs/a/new.html")],
        );
        let at = (folders_of(&written).iter())
            .position(|f| *f == Path::new("briefs/a"))
            .expect("briefs/a");
        assert_ne!(stale.times[at], fresh.times[at]);
        let found_time = found.iter().find(|(f, _)| f == Path::new("briefs/a"));
        assert_eq!(Some(stale.times[at]), found_time.map(|(_, t)| *t));
    }
}
