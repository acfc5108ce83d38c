//! The documented examples of every contract: valid events, and invalid ones labelled with the
//! violation they must produce.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

/// The violation an invalid example is labelled with.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expectation {
    pub instance_path: String,
    pub keyword: String,
}

/// The file layout of an invalid example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct InvalidFile {
    description: String,
    expect: Expectation,
    event: Value,
}

#[derive(Debug, Clone)]
pub enum Expected {
    Valid,
    Invalid {
        description: String,
        violation: Expectation,
    },
}

/// One example event of one contract.
#[derive(Debug, Clone)]
pub struct Example {
    pub event_type: String,
    pub version: String,
    pub path: PathBuf,
    pub expected: Expected,
    /// The event as JSON bytes: the file itself for a valid example.
    pub bytes: Vec<u8>,
    pub event: Value,
}

/// A file under an examples directory that could not be read as an example.
#[derive(Debug, Clone)]
pub struct ExampleError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ExampleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Loads every example of every contract in the catalog. Unreadable files are returned beside
/// the examples, never skipped.
pub fn load_all(schemas_dir: &Path) -> crate::Result<(Vec<Example>, Vec<ExampleError>)> {
    let catalog = crate::Catalog::load(schemas_dir)?;
    let mut examples = Vec::new();
    let mut errors = Vec::new();
    for contract in &catalog.contracts {
        let dir = schemas_dir.join(&contract.examples);
        for (sub, valid) in [("valid", true), ("invalid", false)] {
            for path in json_files(&dir.join(sub), &mut errors) {
                match read_example(&path, valid) {
                    Ok((expected, bytes, event)) => examples.push(Example {
                        event_type: contract.event_type.clone(),
                        version: contract.version.clone(),
                        path,
                        expected,
                        bytes,
                        event,
                    }),
                    Err(e) => errors.push(e),
                }
            }
        }
    }
    Ok((examples, errors))
}

fn json_files(dir: &Path, errors: &mut Vec<ExampleError>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(ExampleError {
                path: dir.to_path_buf(),
                line: None,
                message: format!("cannot read the examples directory: {e}"),
            });
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    files.retain(|p| {
        let is_json = p.extension().is_some_and(|e| e == "json");
        if !is_json {
            errors.push(ExampleError {
                path: p.clone(),
                line: None,
                message: "not a .json file; examples directories hold only examples".into(),
            });
        }
        is_json
    });
    files
}

fn read_example(path: &Path, valid: bool) -> Result<(Expected, Vec<u8>, Value), ExampleError> {
    let error = |line, message: String| ExampleError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| error(None, e.to_string()))?;
    if valid {
        let event =
            serde_json::from_slice(&bytes).map_err(|e| error(Some(e.line()), e.to_string()))?;
        return Ok((Expected::Valid, bytes, event));
    }
    let file: InvalidFile = serde_json::from_slice(&bytes).map_err(|e| {
        error(
            Some(e.line()),
            format!("{e} (an invalid example is {{\"description\", \"expect\": {{\"instancePath\", \"keyword\"}}, \"event\"}})"),
        )
    })?;
    let bytes = serde_json::to_vec_pretty(&file.event).expect("a Value always serializes");
    Ok((
        Expected::Invalid {
            description: file.description,
            violation: file.expect,
        },
        bytes,
        file.event,
    ))
}
