//! The findings framework every rule family reports through (buf's check framework): one rule
//! descriptor ([`RuleDoc`], with its [`Family`]: CT, LINT or BRK), one [`Severity`], the one
//! configuration file of every family (`config`), the renderers and escapes (text, JSON,
//! JUnit, GitHub annotations, Markdown, SARIF), and the exit status a run ends with
//! ([`exit::Exit`]).
//!
//! [`Finding`] is what every rule reports: rule ID, severity, file, line (or element) and JSON
//! pointer, message, and what its family knows besides (the keyword and offending value of a
//! record's violation, whom a schema change breaks and its evidence). [`RunError`] is the one error of those commands, for input that
//! stops a run before it has findings to give.

pub mod config;
pub mod exit;
mod lines;
mod render;

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use codegen::catalog::Compatibility;
use serde::Serialize;

use crate::exit::Exit;

pub use lines::{line_of_pointer, locate_lines};
pub use render::github::{escape_data, escape_property};
pub use render::junit::xml_escape;
pub use render::{
    github, junit, markdown, render, render_github, render_json, render_json_with, render_junit,
    render_markdown, render_sarif, render_text, sarif,
};

/// How much a finding matters, in every rule family: only errors fail a run.
// A rule switched off (`CT007=off`) has no severity: it does not run (`Option<Severity>`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Whom a schema change breaks. Consumers and producers stand for the two ways a contract is
/// used once published: a reader validating events against it, and events already written
/// against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Breaks {
    /// New events, old reader: the new schema accepts events the old one rejected, so a consumer
    /// still on the old schema fails on what upgraded producers send (a widening change).
    Consumers,
    /// Old events, new schema: the new schema rejects events the old one accepted, so events
    /// existing producers send (or sent) fail against it (a narrowing change).
    Producers,
    /// Both at once, e.g. a `const` that now names another value.
    Both,
}

impl Breaks {
    pub fn as_str(self) -> &'static str {
        match self {
            Breaks::Consumers => "consumers",
            Breaks::Producers => "producers",
            Breaks::Both => "both",
        }
    }

    /// Whether a contract evolving under `mode` may not make this change inside a version.
    ///
    /// The mapping, after Confluent Schema Registry: `backward` means the new schema must still
    /// read every old event, so it forbids narrowing changes (those that break producers);
    /// `forward` means readers on the old schema must still read every new event, so it forbids
    /// widening changes (those that break consumers); `full` forbids both; `none` allows all.
    pub fn forbidden_by(self, mode: Compatibility) -> bool {
        match mode {
            Compatibility::None => false,
            Compatibility::Full => true,
            Compatibility::Backward => matches!(self, Breaks::Producers | Breaks::Both),
            Compatibility::Forward => matches!(self, Breaks::Consumers | Breaks::Both),
        }
    }
}

impl fmt::Display for Breaks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The catalog's name of a compatibility mode.
pub fn compatibility_name(mode: Compatibility) -> &'static str {
    mode.as_str()
}

/// The formats every family's report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A human summary.
    Text,
    /// JSON (for `check`, as `contracts report-schema` describes it).
    Json,
    /// JUnit XML.
    Junit,
    /// GitHub Actions annotations.
    Github,
    /// A Markdown summary for a pull-request comment or a CI job summary.
    Markdown,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// Which check a rule belongs to: what it reads, and the command that runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `CT`: one message (`check`, `validate`, `tap`).
    Traffic,
    /// `LINT`: the schemas directory (`lint`).
    Lint,
    /// `BRK`: a change between two states of the schemas (`breaking`).
    Breaking,
}

impl Family {
    /// The prefix of its rules' IDs.
    pub fn prefix(self) -> &'static str {
        match self {
            Family::Traffic => "CT",
            Family::Lint => "LINT",
            Family::Breaking => "BRK",
        }
    }
}

/// A rule as listed by a registry, in every family: its stable ID, a short name, what it is
/// for (one line), the severity its findings get unless configured otherwise, and its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDoc {
    /// Stable: reports, `--rule` and `.contracts.json` name rules by it.
    pub id: &'static str,
    pub name: &'static str,
    pub purpose: &'static str,
    pub default_severity: Severity,
    pub family: Family,
}

/// One thing a rule found in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's stable ID, such as `LINT005` or `BRK009`.
    pub rule: &'static str,
    pub severity: Severity,
    /// The file the finding is about, as reached from the schemas directory the run was given.
    pub file: PathBuf,
    /// 1-based line in `file` of what `pointer` names (or of its nearest existing ancestor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// JSON pointer into `file`; empty for the whole file.
    pub pointer: String,
    pub message: String,
    /// For a record of traffic in a file's top-level array, which element it is: such a record
    /// has no line of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<u64>,
    /// For a record of traffic, the schema keyword that failed and where it is in the
    /// contract's bundled schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_path: Option<String>,
    /// The offending value as compact JSON (shortened, or `<masked>`): shown by the text
    /// report only, so that no other report carries event content beyond what messages quote.
    #[serde(skip)]
    pub value: Option<String>,
    /// For a schema change, whom it breaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaks: Option<Breaks>,
    /// For a schema change, the event that shows it: one state of the schema accepts it and
    /// the other rejects it (checked with both validators), or how many were tried in vain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// What a search for a counterexample to a schema change found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Evidence {
    /// An event one state of the schema accepts and the other rejects.
    Counterexample {
        /// The event, as compact JSON.
        event: String,
        /// The same, with the value where the rejecting schema fails marked `»…«`.
        marked: String,
        /// JSON pointer into the event where the rejecting schema fails.
        at: String,
        /// `old` or `new`: the schema that accepts it.
        accepted_by: &'static str,
        /// The schema that rejects it.
        rejected_by: &'static str,
        /// Why the rejecting schema rejects it (keyword: message).
        why: String,
    },
    /// No event told the two states apart in this many generated events.
    NoneFound { tried: usize },
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::Counterexample {
                marked,
                at,
                accepted_by,
                rejected_by,
                why,
                ..
            } => write!(
                f,
                "counterexample: {marked} (the {accepted_by} schema accepts it, the {rejected_by} rejects it at {at:?}: {why})"
            ),
            Evidence::NoneFound { tried } => {
                f.write_str(&codegen::counterexample::none_found_in(*tried))
            }
        }
    }
}

/// What the fields no family sets are when a finding does not say: so that a rule family
/// names only the fields it knows (`Finding { rule, severity, file, .., ..Default::default() }`).
impl Default for Finding {
    fn default() -> Finding {
        Finding {
            rule: "",
            severity: Severity::Error,
            file: PathBuf::new(),
            line: None,
            pointer: String::new(),
            message: String::new(),
            element: None,
            keyword: None,
            schema_path: None,
            value: None,
            breaks: None,
            evidence: None,
        }
    }
}

impl Finding {
    /// `file:line#pointer`, the way the text report and error messages name a place.
    pub fn location(&self) -> String {
        let mut at = self.place();
        if !self.pointer.is_empty() {
            let _ = write!(at, "#{}", self.pointer);
        }
        at
    }

    /// `file:line` (or `file[element]` for a record of a top-level array): the place in the
    /// file, without the pointer into it.
    pub fn place(&self) -> String {
        let mut at = self.file.display().to_string();
        if let Some(line) = self.line {
            let _ = write!(at, ":{line}");
        }
        if let Some(element) = self.element {
            let _ = write!(at, "[{element}]");
        }
        at
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Totals {
    pub fn of(findings: &[Finding]) -> Totals {
        let mut totals = Totals::default();
        for f in findings {
            match f.severity {
                Severity::Error => totals.errors += 1,
                Severity::Warning => totals.warnings += 1,
                Severity::Info => totals.infos += 1,
            }
        }
        totals
    }
}

impl fmt::Display for Totals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} error(s), {} warning(s), {} info",
            self.errors, self.warnings, self.infos
        )
    }
}

/// Findings when any finding is at error severity, clean otherwise.
pub fn exit_code(findings: &[Finding]) -> Exit {
    if findings.iter().any(|f| f.severity == Severity::Error) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// Sorts findings into the order every report shows them in: by file, then position, then rule.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line, &a.pointer, a.rule, &a.message)
            .cmp(&(&b.file, b.line, &b.pointer, b.rule, &b.message))
    });
}

/// Why `lint`, `breaking`, `docs` or `asyncapi` could not run: the file (or directory, or git
/// ref) concerned, where in it when known, and the cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub pointer: Option<String>,
    pub message: String,
}

impl RunError {
    pub fn new(file: impl AsRef<Path>, message: impl Into<String>) -> RunError {
        RunError {
            file: file.as_ref().to_path_buf(),
            line: None,
            pointer: None,
            message: message.into(),
        }
    }

    pub fn io(file: impl AsRef<Path>, err: &std::io::Error) -> RunError {
        RunError::new(file, err.to_string())
    }
}

impl From<codegen::Error> for RunError {
    fn from(e: codegen::Error) -> RunError {
        RunError {
            file: e.file,
            line: e.line,
            pointer: e.pointer,
            message: e.message,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, "#{pointer}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for RunError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_forbid_the_directions_they_protect() {
        use Compatibility::*;
        assert!(Breaks::Producers.forbidden_by(Backward));
        assert!(!Breaks::Consumers.forbidden_by(Backward));
        assert!(Breaks::Consumers.forbidden_by(Forward));
        assert!(!Breaks::Producers.forbidden_by(Forward));
        assert!(Breaks::Both.forbidden_by(Backward) && Breaks::Both.forbidden_by(Forward));
        assert!(Breaks::Consumers.forbidden_by(Full) && Breaks::Producers.forbidden_by(Full));
        assert!(!Breaks::Both.forbidden_by(None));
    }

    #[test]
    fn exit_code_counts_only_errors() {
        let finding = |severity| Finding {
            rule: "LINT006",
            severity,
            file: "a.json".into(),
            line: None,
            pointer: String::new(),
            message: "m".into(),
            ..Finding::default()
        };
        assert_eq!(exit_code(&[finding(Severity::Warning)]), Exit::Clean);
        assert_eq!(
            exit_code(&[finding(Severity::Info), finding(Severity::Error)]),
            Exit::Findings
        );
    }
}
