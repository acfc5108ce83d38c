//! The TypeScript side of codegen: the package in generated/typescript/, written by a Node
//! script (codegen/typescript/generate.mjs: json-schema-to-typescript and ajv, pinned by the
//! tree's package-lock.json) from a manifest of the catalog and the bundled schemas that the
//! Rust codegen library loads, so both languages are generated from the very same schemas.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use anyhow::{bail, ensure, Context, Result};
use serde::Serialize;

/// Where the generated package goes, relative to the tree's root.
pub const PACKAGE_DIR: &str = "generated/typescript";
/// The generator: its script, templates and package.json, relative to the tree's root.
pub const TOOLCHAIN_DIR: &str = "codegen/typescript";
/// Directories inside the package that are build output or installed packages, never derived.
pub const NOT_DERIVED: [&str; 2] = ["node_modules", "dist"];

/// What the generator is handed: everything it writes is derived from this.
#[derive(Serialize)]
struct Manifest<'a> {
    /// The first line every generated source file carries.
    preamble: &'a str,
    /// The formats the engine asserts: each needs a branded type and a check.
    formats: &'a [&'a str],
    catalog: &'a codegen::Catalog,
    contracts: Vec<ManifestContract<'a>>,
}

#[derive(Serialize)]
struct ManifestContract<'a> {
    contract: &'a codegen::Contract,
    /// The bundled schema: every `$ref` local, as the Rust crate embeds it.
    schema: &'a serde_json::Value,
}

/// The Node workspace whose tools generate and test the package: the tree xtask runs in. Like
/// the Rust codegen, which is compiled into xtask, the generator is the running tree's own, also
/// when it writes into a scratch copy (`cargo xtask evolve`, the tests), which has no installed
/// packages of its own.
pub fn workspace() -> Result<PathBuf> {
    crate::root::project_root()
}

/// Every file of the package, paths relative to the tree's root.
pub fn generate(schemas: &Path) -> Result<Vec<(PathBuf, String)>> {
    let (catalog, bundled) = codegen::load(schemas).map_err(|e| anyhow::anyhow!("{e}"))?;
    let manifest = Manifest {
        preamble: codegen::PREAMBLE,
        formats: codegen::engine::keywords::FORMATS,
        catalog: &catalog,
        contracts: bundled
            .iter()
            .map(|b| ManifestContract {
                contract: &b.contract,
                schema: &b.schema,
            })
            .collect(),
    };
    let workspace = workspace()?;
    ensure_installed(&workspace)?;
    let scratch = tempfile::Builder::new()
        .prefix("contracts-typescript-")
        .tempdir()
        .context("creating a scratch directory")?;
    let manifest_path = scratch.path().join("manifest.json");
    std::fs::write(&manifest_path, serde_json::to_vec(&manifest)?)?;
    let out = scratch.path().join("out");
    let script = workspace.join(TOOLCHAIN_DIR).join("generate.mjs");
    let output = Command::new("node")
        .arg(&script)
        .arg(&manifest_path)
        .arg(&out)
        .current_dir(&workspace)
        .stderr(Stdio::inherit())
        .output()
        .context(
            "running node (Node.js 20 or later is needed to generate the TypeScript package)",
        )?;
    ensure!(
        output.status.success(),
        "node {} exited with {}",
        script.display(),
        output.status
    );
    let mut files = Vec::new();
    for path in crate::scratch::list_tree(&out)? {
        let contents = std::fs::read_to_string(out.join(&path))
            .with_context(|| format!("reading generated {}", path.display()))?;
        files.push((Path::new(PACKAGE_DIR).join(path), contents));
    }
    ensure!(!files.is_empty(), "the TypeScript generator wrote no file");
    Ok(files)
}

/// One install at a time in this process: tests generate in parallel threads.
static INSTALL: Mutex<()> = Mutex::new(());

/// Runs `npm ci` in the Node workspace when its packages are missing or older than its lock
/// file, so a fresh clone generates with nothing but Node.js and npm on the machine.
pub fn ensure_installed(workspace: &Path) -> Result<()> {
    let _one_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let lock = workspace.join("package-lock.json");
    // npm writes this copy of the lock on every install: its age is the install's.
    let installed = workspace.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    eprintln!(
        "==> npm ci in {} (the TypeScript generator and test tools)",
        workspace.display()
    );
    npm(workspace, &["ci", "--no-audit", "--no-fund"])
}

/// Runs npm in `dir`, its output on stderr.
pub fn npm(dir: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new("npm")
        .args(args)
        .current_dir(dir)
        // stdout stays for what xtask itself prints.
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .context("running npm (npm 9 or later is needed for the TypeScript package)")?;
    if !status.success() {
        bail!(
            "npm {} exited with {status} in {}",
            args.join(" "),
            dir.display()
        );
    }
    Ok(())
}

/// Installs the Node workspace when needed and builds the package (tsc, into dist/): what the
/// TypeScript tests and the agreement check import.
pub fn ensure_built(workspace: &Path) -> Result<()> {
    ensure_installed(workspace)?;
    npm(
        workspace,
        &["run", "--silent", "build", "--workspace", PACKAGE_NAME],
    )
}

/// The generated package's name in the Node workspace.
pub const PACKAGE_NAME: &str = "@coder/events";
