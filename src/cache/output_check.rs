//! The output check of a build that has work to do, run beside it.
//!
//! A build whose inputs changed needs the check's answer only when it moves
//! its files into the output: until then it works as though the output is
//! as the last build left it, and the check (130,000 files and 72,000
//! folders looked at, 0.35 s of CPU at 50,000 briefs) runs on threads of
//! its own at the lowest priority, in the time the build leaves a core
//! idle: while the search index of the edited brief's shard is made, the
//! build has one thing left to do. Had the output been changed by someone
//! else, the build throws its staging folder away and builds the output
//! whole, as it would have from the start.

use std::path::PathBuf;

use super::output_folders::{self, FolderTimes, Found};
use crate::output::WrittenFile;

/// Whether the output is as the last build left it: known, or being found out.
pub(crate) enum OutputCheck {
    /// Checked already (by the "nothing changed" check): the folders' times as found.
    Done(Found),
    /// Being checked on threads of its own.
    Running(std::thread::JoinHandle<Option<Found>>),
}

impl OutputCheck {
    /// Starts checking that `output` holds exactly `files` (sorted by path
    /// bytes), its folders with the recorded `times`.
    pub(crate) fn start(output: PathBuf, files: Vec<WrittenFile>, times: FolderTimes) -> Self {
        let check = move || {
            let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|i| format!("briefly-output-check-{i}"))
                .start_handler(|_| crate::background::lowest_priority())
                .build();
            let as_left = || output_folders::as_left(&output, &files, &times);
            match pool {
                Ok(pool) => pool.install(as_left),
                // No threads to be had: checked on the build's own, as before.
                Err(_) => as_left(),
            }
        };
        OutputCheck::Running(std::thread::spawn(check))
    }

    /// The folders' times as found when the output is as the last build
    /// left it; `None` when it is not (or the check could not finish).
    pub(crate) fn wait(self) -> Option<Found> {
        match self {
            OutputCheck::Done(found) => Some(found),
            OutputCheck::Running(check) => check.join().ok().flatten(),
        }
    }
}
