//! A summary short enough for a pull-request comment or a CI job summary: the totals as its
//! heading, the per-contract table, coverage, and the first failures as the findings
//! framework's list items (`--max-failures` of them).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::text::{coverage_lines, table_cells, TABLE_HEADER};
use super::Report;
use crate::finding::markdown::{list_item, markdown_text};

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut md = String::new();
    let _ = writeln!(md, "## contracts check: {}\n", report.summary.totals_line());
    if report.contracts.is_empty() {
        md.push_str("No readable record.\n\n");
    } else {
        let _ = writeln!(md, "| {} |", TABLE_HEADER.join(" | "));
        md.push_str("|---|---|---:|---:|---:|---|\n");
        for row in &report.contracts {
            let cells = table_cells(row).map(|cell| markdown_text(&cell));
            let _ = writeln!(md, "| {} |", cells.join(" | "));
        }
        md.push('\n');
    }
    let coverage = coverage_lines(report);
    let _ = writeln!(md, "{}", markdown_text(&coverage.contracts));
    if let Some(fields) = coverage.fields {
        let _ = writeln!(md, "{}", markdown_text(&fields.summary));
        for (contract, absent) in fields.absent {
            let _ = writeln!(md, "- {contract}: `{absent}`");
        }
    }
    md.push('\n');
    out.write_all(md.as_bytes())?;
    write_failures(report, out)
}

fn write_failures(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.failures == 0 {
        return Ok(());
    }
    let mut items = Vec::new();
    let mut records = 0;
    for result in report.results.iter() {
        let result = result?;
        if !result.is_failure() {
            continue;
        }
        records += 1;
        for finding in result.findings() {
            items.push(list_item(&finding, true, &finding.message));
        }
    }
    if records == report.failures {
        writeln!(out, "### Failures ({records})\n")?;
    } else {
        writeln!(
            out,
            "### Failures (first {records} of {})\n",
            report.failures
        )?;
    }
    for item in items {
        writeln!(out, "{item}")?;
    }
    writeln!(out)
}
