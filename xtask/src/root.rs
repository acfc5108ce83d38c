//! Where the project is: the tree a task acts on, found from the current directory (nothing
//! of the machine xtask was built on is compiled in).

use std::path::PathBuf;

use anyhow::Result;

/// The root of the tree xtask acts on: the nearest directory at or above the current one with
/// `schemas/catalog.json` (cargo runs xtask from wherever it was invoked), so the same binary
/// acts on whichever clone it is run in.
pub fn project_root() -> Result<PathBuf> {
    codegen::Tree::find()
        .map(|tree| tree.root)
        .ok_or_else(|| anyhow::anyhow!(codegen::tree::not_found_message()))
}
