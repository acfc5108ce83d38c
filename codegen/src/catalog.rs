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
        let mut keys = BTreeSet::new();
        let mut names = BTreeSet::new();
        let modules: BTreeSet<&str> = self.modules.iter().map(|m| m.name.as_str()).collect();
        for (i, c) in self.contracts.iter().enumerate() {
            let at = |msg: String| {
                Error::new(ErrorKind::Catalog, path, msg).at_pointer(format!("/contracts/{i}"))
            };
            if !keys.insert((c.event_type.clone(), c.version.clone())) {
                return Err(at(format!("contract {} is listed twice", c.key())));
            }
            if !names.insert(c.rust_name.clone()) {
                return Err(at(format!("rustName {} is used twice", c.rust_name)));
            }
            if !is_rust_type_name(&c.rust_name) {
                return Err(at(format!(
                    "rustName {:?} is not an UpperCamelCase Rust identifier",
                    c.rust_name
                )));
            }
            if c.routing_key != c.event_type {
                return Err(at(format!(
                    "routingKey {:?} differs from the event type {:?}",
                    c.routing_key, c.event_type
                )));
            }
            if c.exchange != self.exchange {
                return Err(at(format!(
                    "exchange {:?} differs from the catalog's {:?}",
                    c.exchange, self.exchange
                )));
            }
            if !modules.contains(c.owner.as_str()) {
                return Err(at(format!("owner {:?} is not a listed module", c.owner)));
            }
            for file in [&c.schema, &c.examples] {
                if !schemas_dir.join(file).exists() {
                    return Err(at(format!("{} does not exist", file.display())));
                }
            }
        }
        Ok(())
    }
}

fn is_rust_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
