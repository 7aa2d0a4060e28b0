//! Saving a file so that it cannot be lost: the bytes go to a new temporary
//! file beside the target (a unique name, created exclusively), are flushed
//! to disk, take the target's permissions and ownership, and only then are
//! renamed over it; the folder is flushed after. On any failure the
//! temporary file is removed and the target is left as it was.
//!
//! A symbolic link is written through: the file it points to is replaced
//! and the link stays a link. A target that is a folder is refused before
//! anything is written.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

/// A per-process counter that, with the process id, names temporary files.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// The file a save to `path` replaces: the path itself, or what a symbolic
/// link at it points to (followed to the end of a chain of links).
fn target_of(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            // A dangling link names a file yet to be made; follow it by hand.
            if let Ok(target) = fs::canonicalize(path) {
                Ok(target)
            } else {
                let link = fs::read_link(path)?;
                Ok(match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                })
            }
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// How the bytes reach the temporary file: the real write, or, in the
/// tests, one that fails part way as a full disk would.
type Writer = fn(&mut File, &[u8], Option<&fs::Metadata>) -> io::Result<()>;

/// Writes `bytes` to `path` as described in the module docs.
pub(crate) fn save(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    save_with(path, bytes, write_all)
}

fn save_with(path: &Path, bytes: &[u8], write: Writer) -> Result<(), Error> {
    let io = |e: io::Error| Error::io(path, e);
    let target = target_of(path).map_err(io)?;
    let existing = match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => {
            return Err(io(io::Error::new(
                io::ErrorKind::IsADirectory,
                "the path is a folder; name a file inside it",
            )));
        }
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "registry".into(), |n| n.to_string_lossy().into_owned());
    let (temp, mut file) = create_temp(&dir, &name).map_err(io)?;
    let written =
        write(&mut file, bytes, existing.as_ref()).and_then(|()| fs::rename(&temp, &target));
    if let Err(e) = written {
        drop(file);
        let _ = fs::remove_file(&temp);
        return Err(io(e));
    }
    // The rename is durable once the folder's entry is on disk too.
    if let Ok(folder) = File::open(&dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Creates a new, uniquely named temporary file in `dir`.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{pid}.{n}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
}

fn write_all(file: &mut File, bytes: &[u8], existing: Option<&fs::Metadata>) -> io::Result<()> {
    file.write_all(bytes)?;
    if let Some(meta) = existing {
        file.set_permissions(meta.permissions())?;
        keep_owner(file, meta);
    }
    file.sync_all()
}

/// Gives the new file the old one's owner and group, where the process may
/// (a process that is not the owner's or root's cannot, and the file is
/// then its own, as any new file would be).
#[cfg(unix)]
fn keep_owner(file: &File, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
}

#[cfg(not(unix))]
fn keep_owner(_file: &File, _meta: &fs::Metadata) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of its own under the system's temporary folder.
    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "collab-registry-save-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a temporary folder");
        dir
    }

    /// Writes half the bytes, then fails as a full disk does.
    fn disk_full(file: &mut File, bytes: &[u8], _: Option<&fs::Metadata>) -> io::Result<()> {
        file.write_all(bytes.get(..bytes.len() / 2).unwrap_or_default())?;
        Err(io::Error::new(
            io::ErrorKind::StorageFull,
            "no space left on device",
        ))
    }

    #[test]
    fn a_full_disk_leaves_the_original_and_no_temporary_file() {
        let dir = folder("full");
        let path = dir.join("registry.json");
        fs::write(&path, "the original").expect("written");
        let err = save_with(&path, b"the new registry, never finished", disk_full)
            .expect_err("the disk is full");
        assert!(err.is_io());
        assert!(err.to_string().contains("no space left on device"), "{err}");
        assert_eq!(
            fs::read_to_string(&path).ok().as_deref(),
            Some("the original")
        );
        let names: Vec<_> = fs::read_dir(&dir)
            .expect("listed")
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        assert_eq!(names, ["registry.json"], "nothing is left behind");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn temporary_names_never_repeat() {
        let dir = folder("names");
        let (a, _fa) = create_temp(&dir, "registry.json").expect("created");
        let (b, _fb) = create_temp(&dir, "registry.json").expect("created");
        assert_ne!(a, b);
        let _ = fs::remove_dir_all(&dir);
    }
}
