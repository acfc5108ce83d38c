//! What `lint` and `breaking` report about the schemas: one [`Finding`] type with its rule ID,
//! severity, file, line and JSON pointer, the renderers (text, JSON, JUnit, GitHub annotations)
//! and the exit code a run ends with. Also the one error type of those commands, [`RunError`],
//! for input that stops a run before it has findings to give.

use crate::report::github::{escape_data, escape_property};
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use codegen::catalog::Compatibility;
use serde::Serialize;

use crate::exit::Exit;

/// How much a finding matters. Only errors fail a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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

/// A rule as listed by a registry: its stable ID, a short name, what it is for, and the
/// severity its findings get unless the rule says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDoc {
    pub id: &'static str,
    pub name: &'static str,
    pub purpose: &'static str,
    pub default_severity: Severity,
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
    /// For a schema change, whom it breaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breaks: Option<Breaks>,
}

impl Finding {
    /// `file:line#pointer`, the way the text report and error messages name a place.
    pub fn location(&self) -> String {
        let mut at = self.file.display().to_string();
        if let Some(line) = self.line {
            let _ = write!(at, ":{line}");
        }
        if !self.pointer.is_empty() {
            let _ = write!(at, "#{}", self.pointer);
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

/// One line per finding, `file:line#pointer: severity[RULE] message`, then the totals.
pub fn render_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = write!(
            out,
            "{}: {}[{}] {}",
            f.location(),
            f.severity,
            f.rule,
            f.message
        );
        if let Some(breaks) = f.breaks {
            let _ = write!(out, " (breaks {breaks})");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", Totals::of(findings));
    out
}

/// `{"findings": [...], "totals": {...}}`, pretty-printed.
pub fn render_json(findings: &[Finding]) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        findings: &'a [Finding],
        totals: Totals,
    }
    let document = Document {
        findings,
        totals: Totals::of(findings),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("findings always serialize");
    text.push('\n');
    text
}

/// JUnit XML with one test case per rule of `rules`, so a clean run still shows what was
/// checked: a rule with an error finding fails, and its other findings go to system-out.
pub fn render_junit(suite: &str, rules: &[RuleDoc], findings: &[Finding]) -> String {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.rule).or_default().push(f);
    }
    // A finding of a rule the registry does not list still has to show up somewhere.
    let mut cases: Vec<(&str, &str)> = rules.iter().map(|r| (r.id, r.name)).collect();
    for id in by_rule.keys() {
        if !rules.iter().any(|r| r.id == *id) {
            cases.push((id, ""));
        }
    }
    let failing = |id: &str| {
        by_rule
            .get(id)
            .is_some_and(|fs| fs.iter().any(|f| f.severity == Severity::Error))
    };
    let failures = cases.iter().filter(|(id, _)| failing(id)).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        r#"<testsuites name="{0}" tests="{1}" failures="{failures}" errors="0">"#,
        xml_escape(suite),
        cases.len()
    );
    let _ = writeln!(
        out,
        r#"  <testsuite name="{0}" tests="{1}" failures="{failures}" errors="0">"#,
        xml_escape(suite),
        cases.len()
    );
    for (id, name) in &cases {
        let case_name = if name.is_empty() {
            id.to_string()
        } else {
            format!("{id} {name}")
        };
        let found = by_rule.get(id).map(Vec::as_slice).unwrap_or_default();
        if found.is_empty() {
            let _ = writeln!(
                out,
                r#"    <testcase name="{}" classname="{}"/>"#,
                xml_escape(&case_name),
                xml_escape(suite)
            );
            continue;
        }
        let _ = writeln!(
            out,
            r#"    <testcase name="{}" classname="{}">"#,
            xml_escape(&case_name),
            xml_escape(suite)
        );
        let lines = |errors: bool| -> String {
            found
                .iter()
                .filter(|f| (f.severity == Severity::Error) == errors)
                .map(|f| format!("{}: {}[{}] {}", f.location(), f.severity, f.rule, f.message))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if failing(id) {
            let errors = lines(true);
            let first = errors.lines().next().unwrap_or_default().to_string();
            let _ = writeln!(
                out,
                r#"      <failure message="{}">{}</failure>"#,
                xml_escape(&first),
                xml_escape(&errors)
            );
        }
        let others = lines(false);
        if !others.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                xml_escape(&others)
            );
        }
        let _ = writeln!(out, "    </testcase>");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// GitHub Actions workflow commands: `::error file=...,line=...,title=RULE::pointer: message`
/// per finding (`::warning` and `::notice` for the lower severities), then the totals.
pub fn render_github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = format!("file={}", escape_property(&f.file.display().to_string()));
        if let Some(line) = f.line {
            let _ = write!(properties, ",line={line}");
        }
        let _ = write!(properties, ",title={}", escape_property(f.rule));
        let mut message = if f.pointer.is_empty() {
            f.message.clone()
        } else {
            format!("{}: {}", f.pointer, f.message)
        };
        if let Some(breaks) = f.breaks {
            let _ = write!(message, " (breaks {breaks})");
        }
        let _ = writeln!(out, "::{level} {properties}::{}", escape_data(&message));
    }
    let _ = writeln!(out, "{}", Totals::of(findings));
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Fills in the line of every finding that has none, by reading its file (once per file) and
/// finding its pointer. Files that cannot be read, or are not JSON, leave the line unset.
pub fn locate_lines(findings: &mut [Finding]) {
    let mut texts: HashMap<PathBuf, Option<String>> = HashMap::new();
    for f in findings.iter_mut().filter(|f| f.line.is_none()) {
        let text = texts
            .entry(f.file.clone())
            .or_insert_with(|| std::fs::read_to_string(&f.file).ok());
        if let Some(text) = text {
            f.line = line_of_pointer(text, &f.pointer);
        }
    }
}

/// The 1-based line where the member or element `pointer` names starts in the JSON `text`, or
/// that of its nearest ancestor present in the text. `None` when `text` is not a JSON document
/// the scanner can follow.
pub fn line_of_pointer(text: &str, pointer: &str) -> Option<usize> {
    let segments: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(codegen::walk::unescape)
            .collect()
    };
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    scanner.skip_whitespace();
    let mut best = scanner.line;
    let mut depth = 0;
    while depth < segments.len() {
        match scanner.enter(&segments[depth])? {
            Some(line) => {
                best = line;
                depth += 1;
            }
            None => break,
        }
    }
    Some(best)
}

/// Just enough of a JSON reader to follow a pointer and count lines on the way.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.bump();
        }
    }

    /// From the start of a container, moves to the start of the value of member or element
    /// `segment` and returns its line (the key's line for a member). `Some(None)` when the
    /// container has no such member; `None` when the text is not JSON.
    fn enter(&mut self, segment: &str) -> Option<Option<usize>> {
        match self.bump()? {
            b'{' => loop {
                self.skip_whitespace();
                if self.peek()? == b'}' {
                    return Some(None);
                }
                let key_line = self.line;
                let key = self.string()?;
                self.skip_whitespace();
                if self.bump()? != b':' {
                    return None;
                }
                self.skip_whitespace();
                if key == segment {
                    return Some(Some(key_line));
                }
                self.skip_value()?;
                self.skip_whitespace();
                match self.bump()? {
                    b',' => continue,
                    b'}' => return Some(None),
                    _ => return None,
                }
            },
            b'[' => {
                let Ok(wanted) = segment.parse::<usize>() else {
                    return Some(None);
                };
                let mut index = 0;
                loop {
                    self.skip_whitespace();
                    if self.peek()? == b']' {
                        return Some(None);
                    }
                    if index == wanted {
                        return Some(Some(self.line));
                    }
                    self.skip_value()?;
                    self.skip_whitespace();
                    match self.bump()? {
                        b',' => index += 1,
                        b']' => return Some(None),
                        _ => return None,
                    }
                }
            }
            _ => Some(None),
        }
    }

    /// Reads a string starting at its opening quote; escapes other than `\"` and `\\` are kept
    /// as written, which is enough to compare keys.
    fn string(&mut self) -> Option<String> {
        if self.bump()? != b'"' {
            return None;
        }
        let mut bytes = Vec::new();
        loop {
            match self.bump()? {
                b'"' => return String::from_utf8(bytes).ok(),
                b'\\' => match self.bump()? {
                    escaped @ (b'"' | b'\\' | b'/') => bytes.push(escaped),
                    other => bytes.extend([b'\\', other]),
                },
                b => bytes.push(b),
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.bump();
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.bump();
                }
            }
            _ => {
                while !matches!(
                    self.peek()?,
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'
                ) {
                    self.bump();
                }
                Some(())
            }
        }
    }
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

    const TEXT: &str = r#"{
  "a": 1,
  "properties": {
    "x/y": {"type": "string"},
    "list": [
      true,
      {"k": "v"}
    ]
  }
}"#;

    #[test]
    fn pointers_are_found_on_their_lines() {
        assert_eq!(line_of_pointer(TEXT, ""), Some(1));
        assert_eq!(line_of_pointer(TEXT, "/a"), Some(2));
        assert_eq!(line_of_pointer(TEXT, "/properties/x~1y"), Some(4));
        assert_eq!(line_of_pointer(TEXT, "/properties/list/1/k"), Some(7));
    }

    #[test]
    fn a_missing_member_gives_its_nearest_ancestor() {
        assert_eq!(line_of_pointer(TEXT, "/properties/list/5"), Some(5));
        assert_eq!(line_of_pointer(TEXT, "/properties/nope/type"), Some(3));
    }

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
            breaks: None,
        };
        assert_eq!(exit_code(&[finding(Severity::Warning)]), Exit::Clean);
        assert_eq!(
            exit_code(&[finding(Severity::Info), finding(Severity::Error)]),
            Exit::Findings
        );
    }

    #[test]
    fn github_annotations_escape_their_properties() {
        let f = Finding {
            rule: "BRK009",
            severity: Severity::Error,
            file: "schemas/a,b.json".into(),
            line: Some(3),
            pointer: "/type".into(),
            message: "50% narrower\nnow".into(),
            breaks: Some(Breaks::Producers),
        };
        assert_eq!(
            render_github(&[f]).lines().next().unwrap(),
            "::error file=schemas/a%2Cb.json,line=3,title=BRK009::/type: 50%25 narrower%0Anow (breaks producers)"
        );
    }
}
