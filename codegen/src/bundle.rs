//! Bundles a contract schema: every `$ref` into another file under `schemas/` is copied into the
//! contract's own `definitions` and rewritten to a local `#/definitions/...` reference.
//!
//! References are resolved against the file system only, inside the schemas directory.
//! A URL, or a path that leaves the directory, is an error; nothing is ever fetched.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::walk::{self, escape, unescape};

/// A contract schema with every reference made local.
#[derive(Debug, Clone)]
pub struct Bundled {
    /// The schema, with `definitions` holding everything it references.
    pub schema: Value,
    /// Files the bundle was made from, the contract's own first.
    pub sources: Vec<PathBuf>,
}

/// Loads schema files once and bundles contracts from them.
pub struct Bundler {
    root: PathBuf,
    docs: HashMap<PathBuf, Value>,
}

/// Where an imported definition came from, so two files can't claim one name.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Origin {
    file: PathBuf,
    pointer: String,
}

impl Bundler {
    pub fn new(schemas_dir: &Path) -> Result<Bundler> {
        let root = schemas_dir
            .canonicalize()
            .map_err(|e| Error::io(schemas_dir, e))?;
        Ok(Bundler {
            root,
            docs: HashMap::new(),
        })
    }

    /// The directory references may not leave.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn load(&mut self, file: &Path) -> Result<&Value> {
        if !self.docs.contains_key(file) {
            let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
            let value: Value = serde_json::from_str(&text).map_err(|e| Error::json(file, e))?;
            self.docs.insert(file.to_path_buf(), value);
        }
        Ok(&self.docs[file])
    }

    /// Bundles the schema at `relative` (a path inside the schemas directory).
    pub fn bundle(&mut self, relative: &Path) -> Result<Bundled> {
        let file = self.resolve_file(&self.root.clone(), relative, &self.root.join(relative))?;
        let mut schema = self.load(&file)?.clone();
        let own_definitions: Vec<String> = schema
            .get("definitions")
            .and_then(Value::as_object)
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default();
        let mut state = State {
            imported: BTreeMap::new(),
            origins: own_definitions
                .into_iter()
                .map(|name| {
                    let origin = Origin {
                        file: file.clone(),
                        pointer: format!("/definitions/{name}"),
                    };
                    (name, origin)
                })
                .collect(),
            sources: vec![file.clone()],
        };
        self.rewrite(&mut schema, &file, "", &mut state)?;
        if !state.imported.is_empty() {
            let obj = schema.as_object_mut().ok_or_else(|| {
                Error::new(
                    ErrorKind::Unsupported,
                    &file,
                    "schema root is not an object",
                )
            })?;
            let definitions = obj
                .entry("definitions")
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Unsupported,
                        &file,
                        "definitions is not an object",
                    )
                    .at_pointer("/definitions")
                })?;
            definitions.extend(state.imported);
        }
        Ok(Bundled {
            schema,
            sources: state.sources,
        })
    }

    /// Rewrites every `$ref` in the schema `node` (which lives in `file` at `pointer`) and below.
    fn rewrite(
        &mut self,
        node: &mut Value,
        file: &Path,
        pointer: &str,
        state: &mut State,
    ) -> Result<()> {
        if let Some(Value::String(reference)) = node.get_mut("$ref") {
            let at = format!("{pointer}/$ref");
            *reference = self.import(&reference.clone(), file, &at, state)?;
        }
        walk::for_each_subschema_mut(node, pointer, &mut |child, at| {
            self.rewrite(child, file, at, state)
        })
    }

    /// Makes the reference `reference` (found in `file`) local, importing its target if needed,
    /// and returns the rewritten reference.
    fn import(
        &mut self,
        reference: &str,
        file: &Path,
        at: &str,
        state: &mut State,
    ) -> Result<String> {
        let err = |kind, msg: String| Error::new(kind, file, msg).at_pointer(at);
        if has_scheme(reference) {
            return Err(err(
                ErrorKind::RefUrl,
                format!("$ref {reference:?} names a URL; references must be relative paths inside schemas/ and are never fetched"),
            ));
        }
        let (path_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target_file = if path_part.is_empty() {
            file.to_path_buf()
        } else {
            let dir = file.parent().unwrap_or(&self.root).to_path_buf();
            self.resolve_file(&dir, Path::new(path_part), file)
                .map_err(|e| e.at_pointer(at))?
        };
        if target_file == state.sources[0] && path_part.is_empty() {
            // A reference inside the contract itself stays as written, once it is known to
            // point at something: a dangling one would pass every tool that never follows it.
            if self.load(file)?.pointer(fragment).is_none() {
                return Err(err(
                    ErrorKind::RefTarget,
                    format!("$ref {reference:?} points at nothing in this file"),
                ));
            }
            return Ok(reference.to_string());
        }
        if target_file == state.sources[0] {
            return Ok(format!("#{fragment}"));
        }
        let name = match fragment.rsplit('/').next() {
            Some(name) if !name.is_empty() => unescape(name),
            _ => {
                return Err(err(
                    ErrorKind::RefTarget,
                    format!("$ref {reference:?} must point at a definition inside the file, such as file.json#/definitions/Name"),
                ))
            }
        };
        let origin = Origin {
            file: target_file.clone(),
            pointer: fragment.to_string(),
        };
        match state.origins.get(&name) {
            Some(existing) if *existing == origin => return Ok(format!("#/definitions/{}", escape(&name))),
            Some(existing) => {
                return Err(err(
                    ErrorKind::Unsupported,
                    format!(
                        "$ref {reference:?} would import definition {name:?}, which already comes from {}#{}",
                        existing.file.display(),
                        existing.pointer
                    ),
                ))
            }
            None => {}
        }
        let doc = self.load(&target_file)?;
        let mut target = doc.pointer(fragment).cloned().ok_or_else(|| {
            err(
                ErrorKind::RefTarget,
                format!(
                    "$ref {reference:?}: {} has nothing at {fragment:?}",
                    target_file.display()
                ),
            )
        })?;
        // Registered before recursing, so recursive references terminate.
        state.origins.insert(name.clone(), origin);
        if !state.sources.contains(&target_file) {
            state.sources.push(target_file.clone());
        }
        self.rewrite(&mut target, &target_file, fragment, state)?;
        state.imported.insert(name.clone(), target);
        Ok(format!("#/definitions/{}", escape(&name)))
    }

    /// Resolves `relative` against `dir`, refusing anything outside the schemas directory.
    fn resolve_file(&self, dir: &Path, relative: &Path, referrer: &Path) -> Result<PathBuf> {
        let joined = dir.join(relative);
        let resolved = joined.canonicalize().map_err(|e| {
            Error::new(
                ErrorKind::RefTarget,
                referrer,
                format!("cannot open {}: {e}", joined.display()),
            )
        })?;
        if !resolved.starts_with(&self.root) {
            return Err(Error::new(
                ErrorKind::RefOutsideSchemas,
                referrer,
                format!(
                    "{} resolves to {}, outside the schemas directory {}",
                    relative.display(),
                    resolved.display(),
                    self.root.display()
                ),
            ));
        }
        Ok(resolved)
    }
}

struct State {
    imported: BTreeMap<String, Value>,
    origins: BTreeMap<String, Origin>,
    sources: Vec<PathBuf>,
}

/// True for `http://...`, `urn:...`, `file:...`: anything with a URI scheme.
fn has_scheme(reference: &str) -> bool {
    match reference.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::has_scheme;

    #[test]
    fn schemes_are_recognised() {
        assert!(has_scheme("https://example.com/x.json"));
        assert!(has_scheme("urn:coder:x"));
        assert!(has_scheme("file:///etc/passwd"));
        assert!(!has_scheme("../common/envelope.json#/definitions/EventId"));
        assert!(!has_scheme("#/definitions/a:b"));
        assert!(!has_scheme("defs.json#/definitions/a:b"));
    }
}
