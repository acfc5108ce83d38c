//! Rule severities from a configuration file, for a CI job that keeps them in the repository
//! rather than on its command line. The `check` section of a JSON file such as
//! `.contracts.json` (the file `contracts lint` reads its `lint` section from):
//!
//! ```json
//! {"check": {"rules": {"CT007": "off", "message-id-mismatch": "error"}}}
//! ```
//!
//! A rule is named by ID or name, as with `--rule`; `--rule` flags apply after the file.

use std::path::Path;

use super::{RuleOverride, RuleSettings};
use crate::finding::config::{Config, ConfigError, CONFIG_FILE};

/// The configuration file `check`, `validate` and `tap` read when given none.
pub const DEFAULT_CONFIG: &str = CONFIG_FILE;

/// Each rule's severity: its default, then the configuration file's (`file`, else
/// [`DEFAULT_CONFIG`] when it exists), then `flags`' (`--rule`).
pub fn settings(file: Option<&Path>, flags: &[RuleOverride]) -> Result<RuleSettings, String> {
    let file = file.or(Some(Path::new(DEFAULT_CONFIG)).filter(|p| p.is_file()));
    let mut overrides = match file {
        Some(path) => read(path)?,
        None => Vec::new(),
    };
    overrides.extend_from_slice(flags);
    Ok(RuleSettings::with_overrides(&overrides))
}

/// The severities the file at `path` sets, or what is wrong with it, naming the file and line.
pub fn read(path: &Path) -> Result<Vec<RuleOverride>, String> {
    let shown = path.display();
    let config = Config::load(path).map_err(|e| match e {
        ConfigError::Read(e) => format!("{shown}: cannot read: {e}"),
        ConfigError::Parse(e) => format!(
            "{shown}:{}:{}: not a configuration: {e}",
            e.line(),
            e.column()
        ),
    })?;
    config
        .sections
        .check
        .rules
        .iter()
        .map(|(rule, severity)| {
            format!("{rule}={severity}").parse().map_err(|why| {
                let line = config.line_of_key(rule);
                format!("{shown}:{line}: check.rules: {why}")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RuleSettings, Severity};

    fn config(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".contracts.json");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn the_check_section_sets_severities_by_id_or_name() {
        let (_dir, path) = config(
            r#"{"lint": {"ignore": {}}, "check": {"rules": {"CT007": "off", "message-id-mismatch": "error"}}}"#,
        );
        let settings = RuleSettings::with_overrides(&read(&path).unwrap());
        assert_eq!(settings.severity("CT007"), None);
        assert_eq!(settings.severity("CT008"), Some(Severity::Error));
        assert_eq!(settings.severity("CT001"), Some(Severity::Error));
    }

    #[test]
    fn a_bad_file_is_an_error_naming_the_file_and_line() {
        let (_dir, path) =
            config("{\n  \"check\": {\"rules\": {\n    \"CT099\": \"off\"\n  }}\n}\n");
        let why = read(&path).unwrap_err();
        assert!(why.starts_with(&format!("{}:3: ", path.display())), "{why}");
        assert!(why.contains("no rule \"CT099\""), "{why}");

        let (_dir, path) = config("{\"check\": {\"rules\": {\"CT007\": \"fatal\"}}}");
        assert!(read(&path)
            .unwrap_err()
            .contains("unknown severity \"fatal\""));

        let (_dir, path) = config("{\"check\": {\"rulez\": {}}}");
        let why = read(&path).unwrap_err();
        assert!(
            why.contains(":1:") && why.contains("unknown field `rulez`"),
            "{why}"
        );

        let (_dir, path) = config("{\n  \"check\": ");
        assert!(read(&path).unwrap_err().contains(":2:"));
        assert!(read(Path::new("/nonexistent/.contracts.json"))
            .unwrap_err()
            .contains("cannot read"));
    }
}
