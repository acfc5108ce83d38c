//! JUnit XML, for CI systems that show test reports. A run is a set of suites of test cases;
//! what a case is depends on the family (a rule for `lint` and `breaking`, a record for
//! `check`), what a case says does not: its findings at error severity fail it, the others go
//! to its system-out, and something that could not be checked at all is its error.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::{Finding, RuleDoc, Severity};

/// How many cases a suite (or the whole run) has, and how many of them failed or erred.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tests: u64,
    pub failures: u64,
    pub errors: u64,
}

/// The XML declaration and the `<testsuites>` element that holds every suite.
pub fn open_run(out: &mut dyn Write, name: &str, counts: Counts) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="{}" tests="{}" failures="{}" errors="{}">"#,
        xml_escape(name),
        counts.tests,
        counts.failures,
        counts.errors
    )
}

pub fn close_run(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "</testsuites>")
}

pub fn open_suite(out: &mut dyn Write, name: &str, counts: Counts) -> io::Result<()> {
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{}" failures="{}" errors="{}">"#,
        xml_escape(name),
        counts.tests,
        counts.failures,
        counts.errors
    )
}

pub fn close_suite(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "  </testsuite>")
}

/// Whether a case with these findings fails.
pub fn fails(findings: &[&Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// One test case: `error` (why it could not be checked) as its error, its findings at error
/// severity as one failure (typed by the first one's rule), the rest as its system-out.
pub fn write_case(
    out: &mut dyn Write,
    name: &str,
    classname: &str,
    error: Option<&str>,
    findings: &[&Finding],
) -> io::Result<()> {
    write!(
        out,
        r#"    <testcase name="{}" classname="{}""#,
        xml_escape(name),
        xml_escape(classname)
    )?;
    if error.is_none() && findings.is_empty() {
        return writeln!(out, "/>");
    }
    writeln!(out, ">")?;
    if let Some(why) = error {
        writeln!(
            out,
            r#"      <error message="unreadable">{}</error>"#,
            xml_escape(why)
        )?;
    }
    let lines = |errors: bool| -> Vec<String> {
        findings
            .iter()
            .filter(|f| (f.severity == Severity::Error) == errors)
            .map(|f| format!("{}: {}[{}] {}", f.location(), f.severity, f.rule, f.message))
            .collect()
    };
    let errors = lines(true);
    if let Some(first) = findings.iter().find(|f| f.severity == Severity::Error) {
        writeln!(
            out,
            r#"      <failure message="{}" type="{}">{}</failure>"#,
            xml_escape(&errors[0]),
            xml_escape(first.rule),
            xml_escape(&errors.join("\n"))
        )?;
    }
    let others = lines(false);
    if !others.is_empty() {
        writeln!(
            out,
            "      <system-out>{}</system-out>",
            xml_escape(&others.join("\n"))
        )?;
    }
    writeln!(out, "    </testcase>")
}

/// One suite named `suite` with a case per rule of `rules`, so that a clean run still shows
/// what was checked: a rule with an error finding fails, and its other findings go to
/// system-out.
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
    let found = |id: &str| by_rule.get(id).map(Vec::as_slice).unwrap_or_default();
    let counts = Counts {
        tests: cases.len() as u64,
        failures: cases.iter().filter(|(id, _)| fails(found(id))).count() as u64,
        errors: 0,
    };
    super::into_string(|out| {
        open_run(out, suite, counts)?;
        open_suite(out, suite, counts)?;
        for (id, name) in &cases {
            let case_name = if name.is_empty() {
                id.to_string()
            } else {
                format!("{id} {name}")
            };
            write_case(out, &case_name, suite, None, found(id))?;
        }
        close_suite(out)?;
        close_run(out)
    })
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
pub fn xml_escape(s: &str) -> String {
    let mut escaped = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\n' => escaped.push_str("&#10;"),
            '\t' | '\r' => escaped.push(c),
            c if (c as u32) < 0x20 => {}
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_special_and_forbidden_characters_are_escaped() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn a_case_fails_on_errors_keeps_the_rest_as_output_and_errs_when_unchecked() {
        let finding = |rule, severity| Finding {
            rule,
            severity,
            file: "e.jsonl".into(),
            line: Some(2),
            pointer: "/data".into(),
            message: "m".into(),
            ..Finding::default()
        };
        let error = finding("CT001", Severity::Error);
        let warning = finding("CT007", Severity::Warning);
        let case = |error_text: Option<&str>, findings: &[&Finding]| {
            super::super::into_string(|out| write_case(out, "n", "c", error_text, findings))
        };
        assert_eq!(
            case(None, &[]),
            "    <testcase name=\"n\" classname=\"c\"/>\n"
        );
        let written = case(None, &[&warning, &error]);
        assert!(
            written.contains(r#"<failure message="e.jsonl:2#/data: error[CT001] m" type="CT001">"#),
            "{written}"
        );
        assert!(
            written.contains("<system-out>e.jsonl:2#/data: warning[CT007] m</system-out>"),
            "{written}"
        );
        let only_warning = case(None, &[&warning]);
        assert!(
            !only_warning.contains("<failure") && fails(&[&warning, &error]) && !fails(&[&warning])
        );
        assert!(
            case(Some("not JSON"), &[]).contains(r#"<error message="unreadable">not JSON</error>"#)
        );
    }
}
