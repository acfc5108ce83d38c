//! The catalog: one file listing every contract, its direction, owner and documentation.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// File name of the catalog inside the schemas directory.
pub const CATALOG_FILE: &str = "catalog.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Catalog {
    /// The module whose point of view `direction` takes.
    pub module: String,
    /// The exchange every contract is published on.
    pub exchange: String,
    pub modules: Vec<Module>,
    pub contracts: Vec<Contract>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Module {
    pub name: String,
    pub title: String,
    pub overview: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guideline: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related_documentation: Vec<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub href: String,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Published,
    Consumed,
}

/// How a contract may evolve inside one version (Confluent Schema Registry's modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compatibility {
    Backward,
    Forward,
    Full,
    None,
}

impl Compatibility {
    /// The catalog's name of the mode.
    pub fn as_str(self) -> &'static str {
        match self {
            Compatibility::Backward => "backward",
            Compatibility::Forward => "forward",
            Compatibility::Full => "full",
            Compatibility::None => "none",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Consumer {
    pub module: String,
    pub name: String,
    pub handler: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Contract {
    #[serde(rename = "type")]
    pub event_type: String,
    pub version: String,
    /// Name of the generated Rust type, e.g. `MetricRecordedV1_0`.
    pub rust_name: String,
    pub owner: String,
    pub direction: Direction,
    pub exchange: String,
    pub routing_key: String,
    pub description: String,
    pub summary: String,
    pub triggered_when: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    pub consumers: Vec<Consumer>,
    pub compatibility: Compatibility,
    /// Set when the version is on its way out: why, and what to use instead. Traffic on a
    /// deprecated version is reported (rule CT010), and the docs and AsyncAPI say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// Schema file, relative to the schemas directory.
    pub schema: PathBuf,
    /// Examples directory (with `valid/` and `invalid/`), relative to the schemas directory.
    pub examples: PathBuf,
}

impl Contract {
    /// `type@version`, the key contracts are known by in messages and file names.
    pub fn key(&self) -> String {
        format!("{}@{}", self.event_type, self.version)
    }
}

impl Catalog {
    /// Reads `catalog.json` from `schemas_dir` and checks that it is self-consistent
    /// and that every file it names exists.
    pub fn load(schemas_dir: &Path) -> Result<Catalog> {
        let path = schemas_dir.join(CATALOG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let catalog: Catalog = serde_json::from_str(&text).map_err(|e| Error::json(&path, e))?;
        catalog.check(schemas_dir, &path)?;
        Ok(catalog)
    }

    fn check(&self, schemas_dir: &Path, path: &Path) -> Result<()> {
        match self.problems(schemas_dir, path).into_iter().next() {
            Some(first) => Err(first),
            None => Ok(()),
        }
    }

    /// Every way the catalog is inconsistent, in catalog order: what the codegen refuses.
    pub fn problems(&self, schemas_dir: &Path, path: &Path) -> Vec<Error> {
        let mut problems = Vec::new();
        let mut keys = BTreeSet::new();
        let mut names = BTreeSet::new();
        let modules: BTreeSet<&str> = self.modules.iter().map(|m| m.name.as_str()).collect();
        for (i, module) in self.modules.iter().enumerate() {
            // A module's name is the file name of its documentation page.
            if !is_plain_name(&module.name, b"-") {
                problems.push(
                    Error::new(
                        ErrorKind::Catalog,
                        path,
                        format!(
                            "module name {:?} is not a plain name (lowercase letters, digits and '-'): it becomes a file name",
                            module.name
                        ),
                    )
                    .at_pointer(format!("/modules/{i}/name")),
                );
            }
        }
        for (i, c) in self.contracts.iter().enumerate() {
            let at = |field: &str, msg: String| {
                let pointer = match field {
                    "" => format!("/contracts/{i}"),
                    field => format!("/contracts/{i}/{field}"),
                };
                Error::new(ErrorKind::Catalog, path, msg).at_pointer(pointer)
            };
            // The type and the version become directory and file names.
            if !is_plain_name(&c.event_type, b".-_") {
                problems.push(at(
                    "type",
                    format!(
                        "type {:?} is not a plain name (lowercase letters, digits, '.', '-', '_'): it becomes a directory name",
                        c.event_type
                    ),
                ));
            }
            if !is_version(&c.version) {
                problems.push(at(
                    "version",
                    format!("version {:?} is not MAJOR.MINOR, e.g. 1.0", c.version),
                ));
            }
            if !keys.insert((c.event_type.clone(), c.version.clone())) {
                problems.push(at("", format!("contract {} is listed twice", c.key())));
            }
            if !names.insert(c.rust_name.clone()) {
                problems.push(at(
                    "rustName",
                    format!("rustName {} is used twice", c.rust_name),
                ));
            }
            if !is_rust_type_name(&c.rust_name) {
                problems.push(at(
                    "rustName",
                    format!(
                        "rustName {:?} is not an UpperCamelCase Rust identifier",
                        c.rust_name
                    ),
                ));
            }
            if c.routing_key != c.event_type {
                problems.push(at(
                    "routingKey",
                    format!(
                        "routingKey {:?} differs from the event type {:?}",
                        c.routing_key, c.event_type
                    ),
                ));
            }
            if c.exchange != self.exchange {
                problems.push(at(
                    "exchange",
                    format!(
                        "exchange {:?} differs from the catalog's {:?}",
                        c.exchange, self.exchange
                    ),
                ));
            }
            if !modules.contains(c.owner.as_str()) {
                problems.push(at(
                    "owner",
                    format!("owner {:?} is not a listed module", c.owner),
                ));
            }
            for (field, file) in [("schema", &c.schema), ("examples", &c.examples)] {
                if !schemas_dir.join(file).exists() {
                    problems.push(at(field, format!("{} does not exist", file.display())));
                }
            }
        }
        problems
    }
}

/// A name that is safe as a file or directory name: lowercase ASCII letters and digits, with
/// the `separators` between them, never first or last (so never `..`, `/` or empty).
pub fn is_plain_name(name: &str, separators: &[u8]) -> bool {
    let bytes = name.as_bytes();
    let word = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    bytes.first().is_some_and(word)
        && bytes.last().is_some_and(word)
        && bytes.iter().all(|b| word(b) || separators.contains(b))
        && !bytes
            .windows(2)
            .any(|w| separators.contains(&w[0]) && separators.contains(&w[1]))
}

/// `MAJOR.MINOR`, digits only.
fn is_version(version: &str) -> bool {
    version.split_once('.').is_some_and(|(major, minor)| {
        [major, minor]
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn is_rust_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
