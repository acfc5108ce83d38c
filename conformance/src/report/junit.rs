//! JUnit XML, for CI systems that show test reports: one test suite per input file and one
//! test case per record; a violation at error severity is a failure, an unreadable record an
//! error, and warnings go to the case's system-out.

use std::io::{self, Write};

use super::{RecordResult, Report};
use crate::rules::Severity;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="contracts" tests="{}" failures="{}" errors="{}">"#,
        s.records, s.violating, s.unreadable
    )?;
    // Results are in input order, so each file's records are contiguous.
    for file_results in report
        .results
        .chunk_by(|a, b| a.source.file == b.source.file)
    {
        write_suite(file_results, out)?;
    }
    writeln!(out, "</testsuites>")
}

fn write_suite(results: &[RecordResult], out: &mut dyn Write) -> io::Result<()> {
    let failures = results
        .iter()
        .filter(|r| r.unreadable.is_none() && !r.conforms)
        .count();
    let errors = results.iter().filter(|r| r.unreadable.is_some()).count();
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{}" failures="{failures}" errors="{errors}">"#,
        escape(&results[0].source.file),
        results.len()
    )?;
    for result in results {
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
            writeln!(out, "/>")?;
            continue;
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
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
fn escape(s: &str) -> String {
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
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
