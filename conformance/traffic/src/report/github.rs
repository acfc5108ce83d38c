//! GitHub Actions workflow commands: one `::error` or `::warning` annotation per violation and
//! per unreadable record, then the totals as a plain line.

use std::io::{self, Write};

use super::{RecordResult, Report};
use crate::finding::Severity;
use crate::finding::{escape_data, escape_property};
use crate::rules::RULES;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for result in report.results.iter() {
        write_result(&*result?, out)?;
    }
    writeln!(out, "{}", report.summary.totals_line())
}

/// The annotations of one record (none for a conforming record).
pub fn write_result(result: &RecordResult, out: &mut dyn Write) -> io::Result<()> {
    if let Some(why) = &result.unreadable {
        annotate(out, "error", result, "unreadable", why)?;
    }
    for v in &result.violations {
        let level = match v.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let at = if v.instance_path.is_empty() {
            "/"
        } else {
            &v.instance_path
        };
        let name = RULES
            .iter()
            .find(|r| r.doc.id == v.rule)
            .map_or("", |r| r.doc.name);
        let title = format!("{} {name}", v.rule);
        annotate(out, level, result, &title, &format!("{at}: {}", v.message))?;
    }
    Ok(())
}

fn annotate(
    out: &mut dyn Write,
    level: &str,
    result: &RecordResult,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let mut properties = format!("file={}", escape_property(&result.source.file));
    if let Some(line) = result.source.line {
        properties.push_str(&format!(",line={line}"));
    }
    properties.push_str(&format!(",title={}", escape_property(title)));
    // An array element has no line of its own: say which element in the message.
    let message = match result.source.index {
        Some(index) => format!("element #{index}: {message}"),
        None => message.to_string(),
    };
    writeln!(out, "::{level} {properties}::{}", escape_data(&message))
}
