//! GitHub Actions workflow commands: one annotation per violation and per unreadable record
//! (the findings framework's annotation), then the totals as a plain line.

use std::io::{self, Write};

use super::{RecordResult, Report};
use crate::finding::github::annotation;
use crate::rules;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules = rules::rule_docs();
    for result in report.results.iter() {
        write_result(&*result?, &rules, out)?;
    }
    writeln!(out, "{}", report.summary.totals_line())
}

/// The annotations of one record (none for a conforming record); `rules` is
/// [`rules::rule_docs`], which titles each with its rule's name.
pub fn write_result(
    result: &RecordResult,
    rules: &[crate::finding::RuleDoc],
    out: &mut dyn Write,
) -> io::Result<()> {
    for finding in result.findings() {
        out.write_all(annotation(rules, &finding).as_bytes())?;
    }
    Ok(())
}
