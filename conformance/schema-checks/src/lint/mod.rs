//! `contracts lint`: checks the schemas directory itself, rule by rule. Each rule is one module
//! with a stable ID, a one-line purpose and a default severity, listed once in [`LINT_RULES`]
//! (buf's lint layout); a rule is a function of the [`Context`] gathered once per run.

mod context;
mod ignore;
mod lint001_meta_schema;
mod lint002_schema_header;
mod lint003_contract_constants;
mod lint004_contract_location;
mod lint005_id_format;
mod lint006_property_description;
mod lint007_required_declared;
mod lint008_format_allowed;
mod lint009_ref_local;
mod lint010_codegen_keyword;
mod lint011_examples_present;
mod lint012_orphan_file;
mod lint013_missing_file;
mod lint014_catalog_valid;
mod lint015_bundles;
mod lint016_placeholder_left;
mod lint017_wrong_version_example;

use std::path::{Path, PathBuf};

use context::Context;
pub use context::CONFIG_FILE;
pub use ignore::IgnoreConfig;

use crate::finding::config;
use crate::finding::{self, Finding, RuleDoc, RunError};

/// One lint rule: what it is, and the check that finds its violations.
pub struct LintRule {
    pub doc: RuleDoc,
    check: fn(&Context) -> Vec<Hit>,
}

/// Every lint rule, in ID order.
pub static LINT_RULES: [LintRule; 17] = [
    lint001_meta_schema::RULE,
    lint002_schema_header::RULE,
    lint003_contract_constants::RULE,
    lint004_contract_location::RULE,
    lint005_id_format::RULE,
    lint006_property_description::RULE,
    lint007_required_declared::RULE,
    lint008_format_allowed::RULE,
    lint009_ref_local::RULE,
    lint010_codegen_keyword::RULE,
    lint011_examples_present::RULE,
    lint012_orphan_file::RULE,
    lint013_missing_file::RULE,
    lint014_catalog_valid::RULE,
    lint015_bundles::RULE,
    lint016_placeholder_left::RULE,
    lint017_wrong_version_example::RULE,
];

/// The documentation of every lint rule, for `contracts rules` and the JUnit report.
pub fn rule_docs() -> Vec<RuleDoc> {
    LINT_RULES.iter().map(|r| r.doc).collect()
}

/// A rule's raw finding, before the runner gives it its rule, severity and full path.
struct Hit {
    /// Relative to the schemas directory.
    file: PathBuf,
    line: Option<usize>,
    pointer: String,
    message: String,
}

impl Hit {
    fn at(file: impl AsRef<Path>, pointer: impl Into<String>, message: impl Into<String>) -> Hit {
        Hit {
            file: file.as_ref().to_path_buf(),
            line: None,
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LintOptions {
    pub schemas_dir: PathBuf,
    /// The configuration file; `None` reads `<schemas_dir>/.contracts.json` when it exists.
    pub config: Option<PathBuf>,
}

impl LintOptions {
    pub fn new(schemas_dir: impl Into<PathBuf>) -> LintOptions {
        LintOptions {
            schemas_dir: schemas_dir.into(),
            config: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LintReport {
    /// Sorted by file, line and pointer; paths start with the schemas directory as given.
    pub findings: Vec<Finding>,
    /// Findings the configuration ignored.
    pub ignored: usize,
    pub schema_files: usize,
    pub contracts: usize,
}

impl LintReport {
    pub fn exit_code(&self) -> crate::exit::Exit {
        finding::exit_code(&self.findings)
    }
}

/// Lints the schemas directory. An `Err` only when the directory or the configuration cannot be
/// read; everything wrong with the schemas themselves is a finding.
pub fn lint(options: &LintOptions) -> Result<LintReport, RunError> {
    let known: Vec<&str> = LINT_RULES.iter().map(|r| r.doc.id).collect();
    let config_path = options
        .config
        .clone()
        .or_else(|| Some(options.schemas_dir.join(CONFIG_FILE)).filter(|p| p.exists()));
    let (ignore, severities) = match &config_path {
        Some(path) => {
            let file = config::read_for_schemas(path)?;
            let section = &file.sections.lint.rules;
            let severities =
                config::severities_for_schemas(path, &file, "lint", section, &rule_docs())?;
            (IgnoreConfig::load(path, &file, &known)?, severities)
        }
        None => (IgnoreConfig::default(), Default::default()),
    };
    let context = Context::load(&options.schemas_dir)?;
    let mut findings = Vec::new();
    let mut ignored = 0;
    for rule in &LINT_RULES {
        for hit in (rule.check)(&context) {
            if ignore.ignores(rule.doc.id, &hit.file) {
                ignored += 1;
                continue;
            }
            findings.push(Finding {
                rule: rule.doc.id,
                severity: rule.doc.default_severity,
                file: options.schemas_dir.join(&hit.file),
                line: hit.line,
                pointer: hit.pointer,
                message: hit.message,
                ..Finding::default()
            });
        }
    }
    finding::config::apply(&mut findings, &severities);
    finding::locate_lines(&mut findings);
    finding::sort(&mut findings);
    // A shared file's problem is found once per contract that bundles it.
    findings.dedup();
    Ok(LintReport {
        findings,
        ignored,
        schema_files: context.schema_files.len(),
        contracts: context.contracts().len(),
    })
}

/// `/`-joined pointer to property `name` of the schema at `pointer`.
fn property_pointer(pointer: &str, name: &str) -> String {
    format!("{pointer}/properties/{}", codegen::walk::escape(name))
}
