//! Saves that cannot lose a file: written through a symbolic link, keeping
//! permissions, racing savers each writing a whole file, and on a full disk,
//! a read-only folder or a target that is a folder an error with the
//! original intact and nothing left behind. The full and read-only cases use a tiny tmpfs mounted for the
//! test where the machine allows it (as root in CI); elsewhere they say so
//! and the injected full-disk unit test in `src/store/save.rs` stands in.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

use collab_registry::{ErrorKind, Registry};

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let dir = std::env::temp_dir().join(format!(
            "collab-registry-saves-{name}-{}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        Folder(dir)
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.0)
            .map(|d| {
                d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).output();
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn sample() -> Registry {
    collab_registry::sample().unwrap_or_else(|e| panic!("{e}"))
}

/// The sample under another name.
fn renamed(name: &str) -> Registry {
    Registry::from_json_str(&collab_registry::SAMPLE_JSON.replacen("Sample register", name, 1))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_symbolic_link_is_written_through_and_stays_a_link() -> Result {
    let dir = Folder::new("link");
    let target = dir.0.join("real.json");
    let link = dir.0.join("registry.json");
    fs::write(&target, "old")?;
    symlink(&target, &link)?;
    sample().save(&link)?;
    assert!(fs::symlink_metadata(&link)?.file_type().is_symlink());
    assert_eq!(fs::read_to_string(&target)?, sample().to_json_string());
    // A dangling link names the file to make.
    let dangling = dir.0.join("later.json");
    symlink(dir.0.join("made.json"), &dangling)?;
    sample().save(&dangling)?;
    assert!(Registry::load(dir.0.join("made.json")).is_ok());
    assert_eq!(
        dir.names(),
        ["later.json", "made.json", "real.json", "registry.json"]
    );
    Ok(())
}

#[test]
fn permissions_are_kept() -> Result {
    let dir = Folder::new("mode");
    let path = dir.0.join("registry.json");
    fs::write(&path, "old")?;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
    sample().save(&path)?;
    assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
    Ok(())
}

#[test]
fn racing_savers_each_write_a_whole_file_and_leave_nothing_behind() -> Result {
    let dir = Folder::new("race");
    let path = dir.0.join("registry.json");
    let texts: Vec<String> = (0..8)
        .map(|i| renamed(&format!("Saver {i} register")).to_json_string())
        .collect();
    std::thread::scope(|s| {
        for text in &texts {
            let path = path.clone();
            s.spawn(move || {
                let registry = Registry::from_json_str(text).unwrap_or_else(|e| panic!("{e}"));
                for _ in 0..5 {
                    registry.save(&path).unwrap_or_else(|e| panic!("{e}"));
                }
            });
        }
    });
    let written = fs::read_to_string(&path)?;
    assert!(
        texts.contains(&written),
        "the file is one saver's whole file"
    );
    assert_eq!(dir.names(), ["registry.json"]);
    Ok(())
}

/// Mounts a tmpfs of `size` at `dir`, or says why not.
fn mount_tmpfs(dir: &Path, size: &str) -> std::result::Result<(), String> {
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

#[test]
fn a_full_disk_leaves_the_original_intact_and_nothing_behind() -> Result {
    let dir = Folder::new("full");
    if let Err(why) = mount_tmpfs(&dir.0, "16k") {
        println!(
            "skipped, no tmpfs can be mounted here ({why}); see the unit test in src/store/save.rs"
        );
        return Ok(());
    }
    let path = dir.0.join("registry.json");
    let small = Registry::from_json_str(r#"{"schema_version": 2}"#)?;
    small.save(&path)?;
    let before = fs::read(&path)?;
    // The sample is about 40 KB: it cannot fit in 16 KB.
    let err = sample().save(&path).expect_err("the disk is full");
    assert_eq!(err.kind(), ErrorKind::Io);
    assert_eq!(fs::read(&path)?, before, "the original is intact");
    assert_eq!(dir.names(), ["registry.json"], "nothing is left behind");
    Ok(())
}

#[test]
fn a_read_only_folder_refuses_the_save_and_keeps_the_original() -> Result {
    let dir = Folder::new("readonly");
    if let Err(why) = mount_tmpfs(&dir.0, "1m") {
        println!("skipped, no tmpfs can be mounted here ({why})");
        return Ok(());
    }
    let path = dir.0.join("registry.json");
    sample().save(&path)?;
    let before = fs::read(&path)?;
    let remount = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&dir.0)
        .status()?;
    assert!(remount.success(), "remounted read-only");
    let err = renamed("Changed register")
        .save(&path)
        .expect_err("a read-only folder");
    assert_eq!(err.kind(), ErrorKind::Io);
    assert_eq!(err.path(), Some(path.as_path()));
    assert_eq!(fs::read(&path)?, before);
    assert_eq!(dir.names(), ["registry.json"]);
    Ok(())
}

#[test]
fn a_target_that_is_a_folder_is_refused_and_nothing_is_left_behind() -> Result {
    let dir = Folder::new("folder");
    let target = dir.0.join("registry.json");
    fs::create_dir(&target)?;
    fs::write(target.join("inside.txt"), "kept")?;
    let err = sample()
        .save(&target)
        .err()
        .ok_or("a save over a folder was accepted")?;
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(err.to_string().contains("is a folder"), "{err}");
    assert!(target.is_dir());
    assert_eq!(fs::read_to_string(target.join("inside.txt"))?, "kept");
    assert_eq!(dir.names(), ["registry.json"]);
    Ok(())
}
