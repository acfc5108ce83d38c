//! `cargo xtask codegen [--check]`: writes generated/ from schemas/, or checks it is up to date.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};

pub const COMMAND: &str = "cargo xtask codegen";

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the project root")
        .to_path_buf()
}

/// Regenerates generated/; with `check`, writes nothing and fails naming every stale file.
pub fn run(check: bool) -> Result<()> {
    let root = project_root();
    let started = Instant::now();
    let stale = generate(&root, check)?;
    if check && !stale.is_empty() {
        let list: Vec<String> = stale.iter().map(|p| format!("  {}", p.display())).collect();
        bail!(
            "generated code is out of date with schemas/:\n{}\nrun `{COMMAND}` and commit the result",
            list.join("\n")
        );
    }
    let outcome = if stale.is_empty() {
        "generated/ is up to date".to_string()
    } else {
        format!("rewrote {} file(s) in generated/", stale.len())
    };
    eprintln!("codegen: {outcome} in {:.2?}", started.elapsed());
    Ok(())
}

/// Generates into `root/generated`, returning the files that differed (or are extra).
pub fn generate(root: &Path, check: bool) -> Result<Vec<PathBuf>> {
    let files = codegen::generate(&root.join("schemas")).map_err(|e| anyhow::anyhow!("{e}"))?;
    let crate_dir = root.join("generated");
    let mut stale = Vec::new();
    for file in &files {
        let path = crate_dir.join(&file.path);
        if !ensure_file_contents(&path, &file.contents, check)? {
            stale.push(path);
        }
    }
    for existing in list_files(&crate_dir)? {
        let relative = existing
            .strip_prefix(&crate_dir)
            .expect("listed below crate_dir");
        if !files.iter().any(|f| f.path == relative) {
            if !check {
                std::fs::remove_file(&existing)
                    .with_context(|| format!("removing stale {}", existing.display()))?;
            }
            stale.push(existing);
        }
    }
    Ok(stale)
}

/// Writes `contents` to `path` unless it is already there; returns whether it was up to date.
/// In check mode nothing is written.
pub fn ensure_file_contents(path: &Path, contents: &str, check: bool) -> Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(true);
    }
    if !check {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(false)
}

fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                // A build directory inside the crate is not ours to police.
                if path.file_name().is_some_and(|n| n != "target") {
                    pending.push(path);
                }
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_crate_is_up_to_date() {
        let stale = super::generate(&super::project_root(), true).expect("codegen runs");
        assert!(
            stale.is_empty(),
            "generated/ is stale ({stale:?}); run `{}` and commit the result",
            super::COMMAND
        );
    }
}
