//! The state file's lock: one writer at a time, across processes.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::Error;

/// An exclusive advisory lock on a state file, held until dropped.
///
/// The lock is taken on a companion file, `.NAME.lock` beside the state file (the state file itself
/// is replaced by a rename on every save, so a lock on it would not outlive the first save). The
/// companion file is left in place: removing it would let two processes lock two different files.
/// A second process (or a second lock in this one) fails at once with a message saying so, rather
/// than waiting.
///
/// ```
/// use wehostvoip_client::StateLock;
///
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("acme.json");
/// let held = StateLock::acquire(&path)?;
/// let err = StateLock::acquire(&path).unwrap_err();
/// assert!(err.to_string().contains("acme.json"));
/// drop(held);
/// StateLock::acquire(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct StateLock {
    path: PathBuf,
    /// The locked file; closing it (on drop) releases the lock.
    _file: fd_lock::RwLock<File>,
}

impl std::fmt::Debug for StateLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateLock")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl StateLock {
    /// Locks the state file at `state` (creating its companion lock file), or fails at once.
    ///
    /// # Errors
    /// [`Error::StateFileIo`] with action `lock` when another process holds the lock, or when the
    /// lock file cannot be created (the directory is missing or not writable).
    pub fn acquire(state: &Path) -> Result<StateLock, Error> {
        let name = state
            .file_name()
            .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
        let path = state.with_file_name(format!(".{name}.lock"));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| Error::StateFileIo {
                path: state.to_owned(),
                action: "lock (create the lock file beside it)",
                source,
            })?;
        let mut lock = fd_lock::RwLock::new(file);
        match lock.try_write() {
            // The lock belongs to the open file, not to the guard: it lasts until `lock` (the file)
            // is closed when this `StateLock` drops. Forgetting the guard keeps it from unlocking
            // early; it owns no memory.
            Ok(guard) => std::mem::forget(guard),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                return Err(Error::StateFileIo {
                    path: state.to_owned(),
                    action: "lock",
                    source: std::io::Error::new(
                        std::io::ErrorKind::WouldBlock,
                        format!(
                            "another process is using this state file (it holds {}); wait for \
                             it to finish, then run again",
                            path.display()
                        ),
                    ),
                });
            }
            Err(source) => {
                return Err(Error::StateFileIo {
                    path: state.to_owned(),
                    action: "lock",
                    source,
                });
            }
        }
        Ok(StateLock { path, _file: lock })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
