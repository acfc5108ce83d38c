//! Everything the lint rules read, gathered once: the catalog (or why it could not be read),
//! every schema file parsed and bundled, and every file under `contracts/`.

use std::path::{Path, PathBuf};

use codegen::bundle::Bundler;
use codegen::catalog::{Catalog, Contract, CATALOG_FILE};
use codegen::walk;
use serde_json::Value;

use crate::finding::RunError;

/// The configuration file looked for in the schemas directory (not a schema).
pub use crate::finding::config::CONFIG_FILE;

/// What the rules see of one schemas directory. Paths are relative to that directory.
pub struct Context {
    /// The catalog as written, without the codegen's consistency checks (LINT013 and LINT014
    /// report those), or why it could not be read: line and cause.
    pub catalog: Result<Catalog, (Option<usize>, String)>,
    /// Every `.json` file that is a schema: all of them except the catalog, the configuration
    /// and the examples.
    pub schema_files: Vec<SchemaFile>,
    /// Every file under `contracts/`, examples included.
    pub contract_tree: Vec<PathBuf>,
    /// The schemas directory, for rules that look at the file system.
    pub root: PathBuf,
}

pub struct SchemaFile {
    pub path: PathBuf,
    /// The file's JSON, or the line and cause of the syntax error.
    pub parsed: Result<Value, (usize, String)>,
    /// The file bundled as the codegen bundles a contract, or the codegen's reason not to.
    pub bundled: Result<Value, codegen::Error>,
}

impl SchemaFile {
    /// The schema that applies at `pointer`: the node there, with any `$ref` followed. `None`
    /// when the file did not bundle and the node is a reference, so what it means is unknown.
    pub fn effective(&self, pointer: &str) -> Option<&Value> {
        match &self.bundled {
            Ok(bundled) => Some(resolve(bundled, bundled.pointer(pointer)?)),
            Err(_) => {
                let node = self.parsed.as_ref().ok()?.pointer(pointer)?;
                self.follow(node)
            }
        }
    }

    /// `node` (a schema found inside [`SchemaFile::effective`]'s answer) with any `$ref`
    /// followed; `None` when it is a reference and the file did not bundle.
    pub fn follow<'a>(&'a self, node: &'a Value) -> Option<&'a Value> {
        match &self.bundled {
            Ok(bundled) => Some(resolve(bundled, node)),
            Err(_) => node.get("$ref").is_none().then_some(node),
        }
    }
}

/// Follows local `$ref`s from `node` inside the bundled schema `root`, stopping at a reference
/// that does not resolve, and after as many hops as a reference chain can have without a loop.
pub fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..64 {
        let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|fragment| root.pointer(fragment))
        else {
            break;
        };
        node = target;
    }
    node
}

/// Calls `f(node, pointer)` on `schema` and every schema below it, as the codegen walks them.
fn for_each_node<'a>(schema: &'a Value, f: &mut dyn FnMut(&'a Value, &str)) {
    fn visit<'a>(node: &'a Value, pointer: &str, f: &mut dyn FnMut(&'a Value, &str)) {
        f(node, pointer);
        walk::for_each_subschema(node, pointer, &mut |child, at| visit(child, at, f));
    }
    visit(schema, "", f);
}

impl Context {
    /// Calls `f` with every node (and its pointer) of every schema file that parsed: what the
    /// rules about single schema nodes go through.
    pub fn for_each_node(&self, f: &mut dyn FnMut(&SchemaFile, &Value, &str)) {
        for file in &self.schema_files {
            if let Ok(root) = &file.parsed {
                for_each_node(root, &mut |node, pointer| f(file, node, pointer));
            }
        }
    }

    pub fn load(schemas_dir: &Path) -> Result<Context, RunError> {
        let mut bundler = Bundler::new(schemas_dir)?;
        let catalog = read_catalog(&schemas_dir.join(CATALOG_FILE));
        let mut all_files = Vec::new();
        list_files(schemas_dir, Path::new(""), &mut all_files)?;
        let examples_dirs: Vec<&Path> = match &catalog {
            Ok(c) => c.contracts.iter().map(|c| c.examples.as_path()).collect(),
            Err(_) => Vec::new(),
        };
        let is_example = |path: &Path| {
            path.components().any(|c| c.as_os_str() == "examples")
                || examples_dirs.iter().any(|dir| path.starts_with(dir))
        };
        let mut schema_files = Vec::new();
        for path in &all_files {
            let is_json = path.extension().is_some_and(|e| e == "json");
            if !is_json || path == Path::new(CATALOG_FILE) || is_example(path) {
                continue;
            }
            schema_files.push(load_schema_file(schemas_dir, path, &mut bundler));
        }
        let contract_tree = all_files
            .into_iter()
            .filter(|p| p.starts_with("contracts"))
            .collect();
        Ok(Context {
            catalog,
            schema_files,
            contract_tree,
            root: schemas_dir.to_path_buf(),
        })
    }

    /// The catalog's contracts, none when the catalog could not be read.
    pub fn contracts(&self) -> &[Contract] {
        match &self.catalog {
            Ok(catalog) => &catalog.contracts,
            Err(_) => &[],
        }
    }

    pub fn schema_file(&self, path: &Path) -> Option<&SchemaFile> {
        self.schema_files.iter().find(|f| f.path == path)
    }
}

fn read_catalog(path: &Path) -> Result<Catalog, (Option<usize>, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| (None, e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| (Some(e.line()), e.to_string()))
}

fn load_schema_file(schemas_dir: &Path, path: &Path, bundler: &mut Bundler) -> SchemaFile {
    let parsed = std::fs::read_to_string(schemas_dir.join(path))
        .map_err(|e| (0, e.to_string()))
        .and_then(|text| serde_json::from_str(&text).map_err(|e| (e.line(), e.to_string())));
    let root = bundler.root().to_path_buf();
    let bundled = bundler.bundle(path).map(|b| b.schema).map_err(|mut e| {
        // The bundler names files by their canonical path; findings name them as the rest do.
        if let Ok(relative) = e.file.strip_prefix(&root) {
            e.file = relative.to_path_buf();
        }
        e
    });
    SchemaFile {
        path: path.to_path_buf(),
        parsed,
        bundled,
    }
}

/// Lists the files below `dir` (relative paths, sorted), skipping hidden ones such as the
/// configuration.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), RunError> {
    let full = root.join(dir);
    let entries = std::fs::read_dir(&full).map_err(|e| RunError::io(&full, &e))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| dir.join(e.file_name()))
        .collect();
    paths.sort();
    for path in paths {
        if root.join(&path).is_dir() {
            list_files(root, &path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}
