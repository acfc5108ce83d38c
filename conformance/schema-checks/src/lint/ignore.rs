//! `lint`'s ignores: rules switched off for some paths, from the `lint` section of the
//! configuration file (`finding::config`), such as `schemas/.contracts.json`:
//!
//! ```json
//! {"lint": {"ignore": {"LINT006": ["contracts/dashboard.created/", "common/"]}}}
//! ```
//!
//! Each entry is a path prefix relative to the schemas directory (`/` separated); a trailing `*`
//! is allowed and means the same, and `*` alone (or `""`) ignores the rule everywhere.

use std::collections::BTreeMap;
use std::path::Path;

use crate::finding::config::Config;
use crate::finding::RunError;

/// Which rules are ignored under which path prefixes.
#[derive(Debug, Default, Clone)]
pub struct IgnoreConfig {
    prefixes: BTreeMap<String, Vec<String>>,
}

impl IgnoreConfig {
    /// The ignores of a configuration read with [`read`]. A rule ID no registry lists is an
    /// error, so a typo never silently ignores nothing.
    pub fn load(
        path: &Path,
        file: &Config,
        known_rules: &[&str],
    ) -> Result<IgnoreConfig, RunError> {
        let ignore = &file.sections.lint.ignore;
        for rule in ignore.keys() {
            if !known_rules.contains(&rule.as_str()) {
                return Err(RunError {
                    pointer: Some(format!("/lint/ignore/{rule}")),
                    ..RunError::new(
                        path,
                        format!(
                            "no lint rule has the ID {rule:?}; the IDs are {}",
                            known_rules.join(", ")
                        ),
                    )
                });
            }
        }
        let prefixes = ignore
            .iter()
            .map(|(rule, prefixes)| {
                let prefixes = prefixes
                    .iter()
                    .map(|p| p.trim_end_matches('*').to_string())
                    .collect();
                (rule.clone(), prefixes)
            })
            .collect();
        Ok(IgnoreConfig { prefixes })
    }

    /// Whether findings of `rule` in `path` (relative to the schemas directory) are ignored.
    pub fn ignores(&self, rule: &str, path: &Path) -> bool {
        let path = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        self.prefixes
            .get(rule)
            .is_some_and(|prefixes| prefixes.iter().any(|p| path.starts_with(p.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_from_the_start_of_the_path() {
        let config = IgnoreConfig {
            prefixes: [("LINT006".to_string(), vec!["contracts/a/".to_string()])].into(),
        };
        assert!(config.ignores("LINT006", Path::new("contracts/a/1.0/schema.json")));
        assert!(!config.ignores("LINT006", Path::new("contracts/b/1.0/schema.json")));
        assert!(!config.ignores("LINT005", Path::new("contracts/a/1.0/schema.json")));
    }
}
