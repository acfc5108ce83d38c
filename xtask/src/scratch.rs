//! Scratch copies of the tree and standalone crates built against it: how `cargo xtask ci`
//! proves what a user would see, outside the repository's own build.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Directories never compared: build output, version control, installed packages.
const SKIPPED: [&str; 3] = ["target", ".git", "node_modules"];

/// Copies the tree at `from` into `to` (which may exist), without build output or `.git`.
pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    codegen::tree::copy_dir(from, to)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))
}

/// Every file below `dir`, relative to it, sorted, without the skipped directories.
pub fn list_tree(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if !SKIPPED.iter().any(|s| entry.file_name() == *s) {
                    walk(root, &path, out)?;
                }
            } else {
                out.push(path.strip_prefix(root).expect("below root").to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// The files that differ between two trees (added, removed or changed), relative paths.
pub fn changed_files(before: &Path, after: &Path) -> Result<Vec<PathBuf>> {
    let old = list_tree(before)?;
    let new = list_tree(after)?;
    let mut changed: Vec<PathBuf> = new
        .iter()
        .filter(|p| {
            !old.contains(p)
                || std::fs::read(before.join(p)).ok() != std::fs::read(after.join(p)).ok()
        })
        .cloned()
        .collect();
    changed.extend(old.iter().filter(|p| !new.contains(p)).cloned());
    changed.sort();
    Ok(changed)
}

/// Writes a standalone crate at `dir` depending on the `coder-events` crate at `generated`,
/// with `main_rs` as its `src/main.rs`, and runs it. Its build directory is `target_dir`, kept
/// between runs; its lock file is the tree's, so it builds the versions the tree was tested with.
pub fn run_probe_crate(
    dir: &Path,
    generated: &Path,
    lock_file: &Path,
    main_rs: &str,
    target_dir: &Path,
) -> Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    let manifest = format!(
        "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\ncoder-events = {{ path = {:?} }}\nserde_json = \"1\"\n\n\
         # Not a member of the tree's workspace: built as a consumer would build it.\n[workspace]\n",
        generated.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::copy(lock_file, dir.join("Cargo.lock"))
        .with_context(|| format!("copying {}", lock_file.display()))?;
    std::fs::write(dir.join("src/main.rs"), main_rs)?;
    let status = Command::new(env!("CARGO"))
        .args(["run", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target_dir)
        .status()
        .context("running cargo")?;
    if !status.success() {
        bail!("the standalone crate in {} failed: {status}", dir.display());
    }
    Ok(())
}
