//! Work done on threads of their own at the lowest priority, so that it
//! runs when a core would otherwise be idle: a build after one edit leaves
//! one core idle while Pagefind indexes the edited brief's shard on the other.

/// Lowers the calling thread's priority as far as it goes. On Linux the
/// nice value is a thread's own; elsewhere it would be the whole
/// process's, so such threads run at the build's priority there.
pub(crate) fn lowest_priority() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::setpriority_process(None, 19);
    }
}
