//! Finds the contract tree a command acts on: the nearest `schemas/catalog.json` above the
//! current directory, as git finds `.git` and buf finds `buf.yaml`. Nothing about the machine a
//! binary was built on is compiled in: an installed `contracts` run inside another clone acts on
//! that clone.

use std::path::{Path, PathBuf};

use crate::catalog::CATALOG_FILE;

/// The directory, under a tree's root, that holds the catalog and the schemas.
pub const SCHEMAS_DIR: &str = "schemas";

/// A contract tree: a root directory with `schemas/catalog.json` below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    /// The directory holding `schemas/` (a repository's root).
    pub root: PathBuf,
    /// `root/schemas`.
    pub schemas: PathBuf,
}

impl Tree {
    /// The tree whose schemas directory is `schemas` (its root is the parent directory).
    pub fn of_schemas_dir(schemas: impl Into<PathBuf>) -> Tree {
        let schemas = schemas.into();
        let root = match schemas.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Tree { root, schemas }
    }

    /// The nearest tree at or above `start`: the first directory, walking up, that holds
    /// `schemas/catalog.json`.
    pub fn find_from(start: &Path) -> Option<Tree> {
        start.ancestors().find_map(|dir| {
            let schemas = dir.join(SCHEMAS_DIR);
            schemas.join(CATALOG_FILE).is_file().then(|| Tree {
                root: dir.to_path_buf(),
                schemas,
            })
        })
    }

    /// The nearest tree at or above the current directory.
    pub fn find() -> Option<Tree> {
        let cwd = std::env::current_dir().ok()?;
        Tree::find_from(&cwd)
    }

    /// `path` under the tree's root, e.g. `docs/events`.
    pub fn join(&self, path: impl AsRef<Path>) -> PathBuf {
        self.root.join(path)
    }
}

/// Directories a copy of a tree leaves out: build output, version control, installed packages.
const NOT_COPIED: [&str; 3] = ["target", ".git", "node_modules"];

/// Copies the directory `from` into `to` (created if missing), leaving out build output,
/// `.git` and `node_modules`: how tests and `cargo xtask` get a scratch tree to change.
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !NOT_COPIED.iter().any(|n| name == *n) {
                copy_dir(&entry.path(), &to.join(&name))?;
            }
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

/// Why no tree was found, said the same way by every command that needs one.
pub fn not_found_message() -> String {
    let cwd = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_else(|_| "the current directory".into());
    format!(
        "no {SCHEMAS_DIR}/{CATALOG_FILE} in {cwd} or any directory above it; run inside a contract tree or pass --schemas DIR"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_tree_above_wins() {
        let dir = std::env::temp_dir().join(format!("codegen-tree-{}", std::process::id()));
        let outer = dir.join("outer");
        let inner = outer.join("nested/inner");
        for root in [&outer, &inner] {
            std::fs::create_dir_all(root.join("schemas")).unwrap();
            std::fs::write(root.join("schemas/catalog.json"), "{}").unwrap();
        }
        std::fs::create_dir_all(inner.join("a/b")).unwrap();
        std::fs::create_dir_all(outer.join("nested/elsewhere")).unwrap();

        let found = Tree::find_from(&inner.join("a/b")).unwrap();
        assert_eq!(found.root, inner);
        assert_eq!(found.schemas, inner.join("schemas"));
        let found = Tree::find_from(&outer.join("nested/elsewhere")).unwrap();
        assert_eq!(found.root, outer);
        // Inside the schemas directory itself, the tree is the one above it.
        let found = Tree::find_from(&inner.join("schemas")).unwrap();
        assert_eq!(found.root, inner);
        assert_eq!(Tree::find_from(&dir), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_schemas_dir_given_names_its_parent_as_the_root() {
        assert_eq!(Tree::of_schemas_dir("x/schemas").root, PathBuf::from("x"));
        assert_eq!(Tree::of_schemas_dir("schemas").root, PathBuf::from("."));
    }
}
