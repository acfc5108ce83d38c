//! `.contracts.json`, the one configuration file of every rule family, read by one loader:
//!
//! ```json
//! {
//!   "check": {"rules": {"CT007": "off", "message-id-mismatch": "error"}},
//!   "lint": {"rules": {"LINT006": "error"}, "ignore": {"LINT006": ["common/"]}},
//!   "breaking": {"rules": {"BRK025": "warning"}}
//! }
//! ```
//!
//! Every `rules` section sets severities (`error`, `warning`, `info`, or `off`) by rule ID or
//! name. `check`, `validate` and `tap` read the file in the current directory (or `--config`);
//! `lint` and `breaking` the one in the schemas directory (or `lint --config`). A top-level key
//! that is no section is a typo (`"chekc"`), an error rather than settings silently not applied.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{Finding, RuleDoc, RunError, Severity};

/// The file name looked for, in the current directory (`check`) or the schemas directory
/// (`lint`, `breaking`).
pub const CONFIG_FILE: &str = ".contracts.json";

/// Every section of the file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// A JSON Schema an editor completes the file with: allowed, and not read.
    #[serde(default, rename = "$schema")]
    pub schema: Option<String>,
    #[serde(default)]
    pub check: RulesSection,
    #[serde(default)]
    pub lint: LintSection,
    #[serde(default)]
    pub breaking: RulesSection,
}

/// A family's `rules`: rule ID or name to severity, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSection {
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
}

/// `lint`'s section: severities, and rules switched off under path prefixes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintSection {
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    #[serde(default)]
    pub ignore: BTreeMap<String, Vec<String>>,
}

/// A configuration file as read: its text (for the line of an entry) and its sections.
#[derive(Debug)]
pub struct Config {
    pub text: String,
    pub sections: ConfigFile,
}

/// Why a configuration file could not be read; each command words it its own way.
#[derive(Debug)]
pub enum ConfigError {
    Read(std::io::Error),
    Parse(serde_json::Error),
}

impl Config {
    /// Reads and parses the file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(ConfigError::Read)?;
        let sections = serde_json::from_str(&text).map_err(ConfigError::Parse)?;
        Ok(Config { text, sections })
    }

    /// The line of an entry: the first place its key is written.
    pub fn line_of_key(&self, key: &str) -> usize {
        self.text
            .find(&format!("\"{key}\""))
            .map_or(1, |at| self.text[..at].lines().count().max(1))
    }
}

/// A severity as a `rules` section spells it; `None` is `off`.
pub fn parse_severity(text: &str) -> Result<Option<Severity>, String> {
    match text {
        "error" => Ok(Some(Severity::Error)),
        "warning" => Ok(Some(Severity::Warning)),
        "info" => Ok(Some(Severity::Info)),
        "off" => Ok(None),
        other => Err(format!(
            "unknown severity {other:?}: use error, warning, info or off"
        )),
    }
}

/// The severities a `rules` section sets for the rules of one registry (`rules`), by ID;
/// `None` switches a rule off. `Err` names the entry that names no rule or no severity.
pub fn severities(
    section: &BTreeMap<String, String>,
    rules: &[RuleDoc],
) -> Result<BTreeMap<&'static str, Option<Severity>>, (String, String)> {
    let mut set = BTreeMap::new();
    for (name, severity) in section {
        let Some(rule) = rules
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(name) || r.name == name)
        else {
            let ids: Vec<&str> = rules.iter().map(|r| r.id).collect();
            return Err((
                name.clone(),
                format!("no rule {name:?}; the IDs are {}", ids.join(", ")),
            ));
        };
        let severity = parse_severity(severity).map_err(|why| (name.clone(), why))?;
        set.insert(rule.id, severity);
    }
    Ok(set)
}

/// Applies configured severities to findings: a rule switched off loses its findings, any
/// other configured rule's findings get its severity.
pub fn apply(findings: &mut Vec<Finding>, severities: &BTreeMap<&'static str, Option<Severity>>) {
    findings.retain_mut(|f| match severities.get(f.rule) {
        None => true,
        Some(None) => false,
        Some(Some(severity)) => {
            f.severity = *severity;
            true
        }
    });
}

/// Reads the configuration file at `path` for `lint` or `breaking`, its errors as theirs are.
pub fn read_for_schemas(path: &Path) -> Result<Config, RunError> {
    Config::load(path).map_err(|e| match e {
        ConfigError::Read(e) => RunError::io(path, &e),
        ConfigError::Parse(e) => RunError {
            line: Some(e.line()),
            ..RunError::new(path, format!("not a lint configuration: {e}"))
        },
    })
}

/// The severities a family's `rules` section (`section`, named `at` in messages) sets for the
/// rules of `rules`, or which entry is wrong.
pub fn severities_for_schemas(
    path: &Path,
    file: &Config,
    at: &str,
    section: &BTreeMap<String, String>,
    rules: &[RuleDoc],
) -> Result<BTreeMap<&'static str, Option<Severity>>, RunError> {
    severities(section, rules).map_err(|(entry, why)| RunError {
        line: Some(file.line_of_key(&entry)),
        pointer: Some(format!("/{at}/rules/{entry}")),
        ..RunError::new(path, why)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Family;

    const RULES: [RuleDoc; 2] = [
        RuleDoc {
            id: "LINT001",
            name: "meta-schema",
            purpose: "p",
            default_severity: Severity::Error,
            family: Family::Lint,
        },
        RuleDoc {
            id: "LINT006",
            name: "property-description",
            purpose: "p",
            default_severity: Severity::Warning,
            family: Family::Lint,
        },
    ];

    fn finding(rule: &'static str) -> Finding {
        Finding {
            rule,
            severity: Severity::Warning,
            file: "a.json".into(),
            line: None,
            pointer: String::new(),
            message: "m".into(),
            ..Finding::default()
        }
    }

    /// `$schema` (for an editor) is allowed; any other unknown key is a mistake to say.
    #[test]
    fn a_schema_key_is_allowed_and_an_unknown_section_is_not() {
        let dir = std::env::temp_dir().join(format!("contracts-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(CONFIG_FILE);
        std::fs::write(
            &file,
            r#"{"$schema": "./contracts-config.schema.json", "check": {"rules": {"CT007": "off"}}}"#,
        )
        .unwrap();
        let config = Config::load(&file).unwrap();
        assert_eq!(config.sections.check.rules["CT007"], "off");
        std::fs::write(&file, r#"{"chekc": {"rules": {}}}"#).unwrap();
        let refused = Config::load(&file).unwrap_err();
        assert!(
            matches!(&refused, ConfigError::Parse(e) if e.to_string().contains("unknown field `chekc`")),
            "{refused:?}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rules_sections_set_severities_by_id_or_name_and_switch_rules_off() {
        let section: BTreeMap<String, String> = [
            ("LINT001".to_string(), "off".to_string()),
            ("property-description".to_string(), "error".to_string()),
        ]
        .into();
        let set = severities(&section, &RULES).unwrap();
        let mut findings = vec![finding("LINT001"), finding("LINT006"), finding("LINT002")];
        apply(&mut findings, &set);
        let left: Vec<_> = findings.iter().map(|f| (f.rule, f.severity)).collect();
        assert_eq!(
            left,
            [("LINT006", Severity::Error), ("LINT002", Severity::Warning)]
        );
    }

    #[test]
    fn an_unknown_rule_or_severity_is_an_error_naming_the_entry() {
        let unknown: BTreeMap<String, String> = [("LINT099".into(), "off".into())].into();
        let (entry, why) = severities(&unknown, &RULES).unwrap_err();
        assert_eq!(entry, "LINT099");
        assert!(why.contains("LINT001, LINT006"), "{why}");
        let fatal: BTreeMap<String, String> = [("LINT001".into(), "fatal".into())].into();
        assert!(severities(&fatal, &RULES)
            .unwrap_err()
            .1
            .contains("unknown severity \"fatal\""));
    }
}
