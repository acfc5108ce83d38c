//! Where the previous state of the schemas comes from: a directory as it is, or a git ref read
//! with `git ls-tree` and `git cat-file` into a temporary directory, the work tree untouched.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use codegen::catalog::CATALOG_FILE;
use tempfile::TempDir;

use crate::finding::RunError;

/// What to compare the schemas against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Against {
    /// A commit-ish (`main`, `HEAD~1`, a tag, a SHA) of the repository holding the schemas
    /// directory; its schemas are read from the same path inside the repository.
    GitRef(String),
    /// Another schemas directory (with its own catalog.json).
    Directory(PathBuf),
}

impl Against {
    /// An existing directory is a directory; anything else is taken for a git ref.
    pub fn parse(text: &str) -> Against {
        if Path::new(text).is_dir() {
            Against::Directory(PathBuf::from(text))
        } else {
            Against::GitRef(text.to_string())
        }
    }
}

/// The previous schemas directory, on disk for as long as this value lives.
pub struct Previous {
    pub dir: PathBuf,
    /// How findings and errors name the previous tree: `REF:schemas/` or the directory.
    pub label: String,
    _temporary: Option<TempDir>,
}

impl Previous {
    /// How to name `relative` (a path inside the previous tree) in a message.
    pub fn name(&self, relative: &Path) -> PathBuf {
        PathBuf::from(format!("{}{}", self.label, relative.display()))
    }
}

/// The previous tree, or `None` when the git ref has no schemas directory yet (so every
/// contract is new).
pub fn previous(schemas_dir: &Path, against: &Against) -> Result<Option<Previous>, RunError> {
    match against {
        Against::Directory(dir) => {
            if !dir.join(CATALOG_FILE).is_file() {
                return Err(RunError::new(
                    dir,
                    "has no catalog.json: --against names a schemas directory or a git ref",
                ));
            }
            Ok(Some(Previous {
                dir: dir.clone(),
                label: format!("{}/", dir.display()),
                _temporary: None,
            }))
        }
        Against::GitRef(reference) => from_git(schemas_dir, reference),
    }
}

fn from_git(schemas_dir: &Path, reference: &str) -> Result<Option<Previous>, RunError> {
    let fail = |message: String| RunError::new(schemas_dir, message);
    if reference.starts_with('-') || reference.is_empty() {
        return Err(fail(format!("{reference:?} is not a git ref")));
    }
    let prefix = git(schemas_dir, &["rev-parse", "--show-prefix"]).map_err(|e| {
        fail(format!(
            "is not inside a git repository, so --against {reference} cannot be read: {e}"
        ))
    })?;
    let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
    git(
        schemas_dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    )
    .map_err(|_| fail(format!("{reference:?} names no commit of this repository")))?;
    let label = format!("{reference}:{prefix}");
    // Paths are listed relative to the schemas directory's tree at that commit; without
    // --full-tree, ls-tree run in a subdirectory would also filter them by that subdirectory.
    let listing = git(
        schemas_dir,
        &["ls-tree", "-r", "-z", "--full-tree", "--name-only", &label],
    );
    let Ok(listing) = listing else {
        return Ok(None);
    };
    let temporary = tempfile::Builder::new()
        .prefix("contracts-breaking-")
        .tempdir()
        .map_err(|e| fail(format!("cannot create a temporary directory: {e}")))?;
    for name in listing.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).to_string();
        let relative = Path::new(&name);
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            continue;
        }
        let target = temporary.path().join(relative);
        // Of the examples, the valid ones are where the search for counterexamples starts;
        // the catalog only needs the directory of the others.
        if let Some(examples) = examples_dir(relative) {
            if !relative.starts_with(examples.join("valid")) {
                let dir = temporary.path().join(examples);
                std::fs::create_dir_all(&dir).map_err(|e| RunError::io(&dir, &e))?;
                continue;
            }
        }
        let contents = git(
            schemas_dir,
            &["cat-file", "blob", &format!("{label}{name}")],
        )
        .map_err(|e| RunError::new(format!("{label}{name}"), e))?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| RunError::io(parent, &e))?;
        }
        std::fs::write(&target, contents).map_err(|e| RunError::io(&target, &e))?;
    }
    if !temporary.path().join(CATALOG_FILE).is_file() {
        return Ok(None);
    }
    Ok(Some(Previous {
        dir: temporary.path().to_path_buf(),
        label,
        _temporary: Some(temporary),
    }))
}

/// The `.../examples` directory `path` lies in, if any.
fn examples_dir(path: &Path) -> Option<PathBuf> {
    let mut dir = PathBuf::new();
    for component in path.components() {
        dir.push(component);
        if component.as_os_str() == "examples" {
            return Some(dir);
        }
    }
    None
}

/// The tags of the repository holding `schemas_dir` that match the glob `pattern` (as
/// `git tag --list` matches), oldest first by the date of their commit. None matching is an
/// error: a gate against no release would pass without checking anything.
pub fn tags_matching(schemas_dir: &Path, pattern: &str) -> Result<Vec<String>, RunError> {
    let listing = git(
        schemas_dir,
        &["tag", "--list", "--sort=creatordate", pattern],
    )
    .map_err(|e| {
        RunError::new(
            schemas_dir,
            format!("cannot list the tags {pattern:?}: {e}"),
        )
    })?;
    let tags: Vec<String> = String::from_utf8_lossy(&listing)
        .lines()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    if tags.is_empty() {
        return Err(RunError::new(
            schemas_dir,
            format!("no tag matches {pattern:?}: --against-tags would compare with nothing"),
        ));
    }
    Ok(tags)
}

/// Runs git in `dir`, returning its standard output, or its standard error as the cause.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}
