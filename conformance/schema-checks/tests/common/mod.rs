//! Helpers shared by the integration tests of this crate.

use std::path::Path;

/// Copies a directory tree (a fixture) so a test can change it.
pub fn copy_dir(from: &Path, to: &Path) {
    codegen::tree::copy_dir(from, to)
        .unwrap_or_else(|e| panic!("copying {} to {}: {e}", from.display(), to.display()));
}
