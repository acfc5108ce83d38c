//! JUnit XML, for CI systems that show test reports: one test suite per input file and one
//! test case per record; a violation at error severity is a failure, an unreadable record an
//! error, and warnings go to the case's system-out.

use std::io::{self, Write};

use super::{RecordResult, Report};
use crate::finding::xml_escape as escape;
use crate::finding::Severity;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="contracts" tests="{}" failures="{}" errors="{}">"#,
        s.records, s.violating, s.unreadable
    )?;
    // Results are in input order, so each file's records are contiguous. A suite's counts come
    // before its cases: one pass counts them, a second writes the cases, so that the results
    // (read back from their spool) are never all held at once.
    let mut suites: Vec<Suite> = Vec::new();
    for result in report.results.iter() {
        let result = result?;
        match suites.last_mut() {
            Some(suite) if suite.file == result.source.file => suite.count(&result),
            _ => {
                let mut suite = Suite {
                    file: result.source.file.clone(),
                    tests: 0,
                    failures: 0,
                    errors: 0,
                };
                suite.count(&result);
                suites.push(suite);
            }
        }
    }
    let mut results = report.results.iter();
    for suite in &suites {
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="{}">"#,
            escape(&suite.file),
            suite.tests,
            suite.failures,
            suite.errors
        )?;
        for result in results.by_ref().take(suite.tests) {
            write_case(&*result?, out)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// One input file's records.
struct Suite {
    file: String,
    tests: usize,
    failures: usize,
    errors: usize,
}

impl Suite {
    fn count(&mut self, result: &RecordResult) {
        self.tests += 1;
        self.failures += usize::from(result.unreadable.is_none() && !result.conforms);
        self.errors += usize::from(result.unreadable.is_some());
    }
}

fn write_case(result: &RecordResult, out: &mut dyn Write) -> io::Result<()> {
    let class = match (&result.event_type, &result.version) {
        (Some(t), Some(v)) => format!("{t}@{v}"),
        (Some(t), None) => t.clone(),
        _ => "(no event type)".into(),
    };
    write!(
        out,
        r#"    <testcase name="{}" classname="{}""#,
        escape(&result.source.to_string()),
        escape(&class)
    )?;
    if !result.is_failure() {
        return writeln!(out, "/>");
    }
    writeln!(out, ">")?;
    if let Some(why) = &result.unreadable {
        writeln!(
            out,
            r#"      <error message="unreadable">{}</error>"#,
            escape(why)
        )?;
    }
    let lines = |severity: Severity| -> Vec<String> {
        result
            .violations
            .iter()
            .filter(|v| v.severity == severity)
            .map(|v| format!("{} at {}: {}", v.rule, v.instance_path, v.message))
            .collect()
    };
    let errors = lines(Severity::Error);
    if !errors.is_empty() {
        let first_rule = result
            .violations
            .iter()
            .find(|v| v.severity == Severity::Error);
        writeln!(
            out,
            r#"      <failure message="{}" type="{}">{}</failure>"#,
            escape(&errors[0]),
            escape(first_rule.map_or("", |v| &v.rule)),
            escape(&errors.join("\n"))
        )?;
    }
    let warnings = lines(Severity::Warning);
    if !warnings.is_empty() {
        writeln!(
            out,
            "      <system-out>{}</system-out>",
            escape(&warnings.join("\n"))
        )?;
    }
    writeln!(out, "    </testcase>")
}
