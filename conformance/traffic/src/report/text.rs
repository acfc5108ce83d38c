//! The human report: a per-contract table, contract coverage, the first failures with where
//! they are and what is wrong, and the totals.

use std::io::{self, Write};

use super::{ContractRow, RecordResult, Report};
use crate::rules::RULES;

const NO_EVENT_TYPE: &str = "(no event type)";

pub(super) const TABLE_HEADER: [&str; 6] = [
    "Contract",
    "Version",
    "Messages",
    "Conforming",
    "Violating",
    "Most frequent violations",
];

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_contract_table(report, out)?;
    write_coverage(report, out)?;
    write_failures(report, out)?;
    writeln!(out, "{}", report.summary.totals_line())
}

/// The report without its failures: what `contracts tap` prints at the end, having printed
/// each failure as it came ([`write_result`]).
pub fn write_summary(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write_contract_table(report, out)?;
    write_coverage(report, out)?;
    writeln!(out, "{}", report.summary.totals_line())
}

fn write_contract_table(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.contracts.is_empty() {
        return writeln!(out, "No readable record.\n");
    }
    let header = TABLE_HEADER;
    let rows: Vec<[String; 6]> = report.contracts.iter().map(table_cells).collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        let [contract, version, messages, conforming, violating, frequent] = cells;
        let [w0, w1, w2, w3, w4, _] = widths;
        format!("{contract:<w0$}  {version:<w1$}  {messages:>w2$}  {conforming:>w3$}  {violating:>w4$}  {frequent}")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(header))?;
    for row in &rows {
        writeln!(out, "{}", line(row.each_ref().map(String::as_str)))?;
    }
    writeln!(out)
}

/// A contract's row as the table shows it: contract, version, messages, conforming, violating
/// and the most frequent violations.
pub(super) fn table_cells(row: &ContractRow) -> [String; 6] {
    let mut contract = row
        .event_type
        .as_deref()
        .unwrap_or(NO_EVENT_TYPE)
        .to_string();
    if row.event_type.is_some() && !row.known {
        contract.push_str(" (unknown)");
    }
    let frequent: Vec<String> = row
        .most_frequent
        .iter()
        .map(|v| {
            let path = if v.instance_path.is_empty() {
                String::new()
            } else {
                format!(" {}", v.instance_path)
            };
            let keyword = v
                .keyword
                .as_deref()
                .map(|k| format!(" {k}"))
                .unwrap_or_default();
            format!("{}{path}{keyword} ({})", v.rule, v.count)
        })
        .collect();
    [
        contract,
        row.version.clone().unwrap_or_default(),
        row.messages.to_string(),
        row.conforming.to_string(),
        row.violating.to_string(),
        frequent.join(", "),
    ]
}

fn write_coverage(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let coverage = coverage_lines(report);
    writeln!(out, "{}", coverage.contracts)?;
    if let Some(fields) = coverage.fields {
        writeln!(out, "{}", fields.summary)?;
        for (contract, absent) in fields.absent {
            writeln!(out, "  {contract}: {absent}")?;
        }
    }
    writeln!(out)
}

/// What the report says of coverage, in words.
pub(super) struct CoverageLines {
    /// How many contracts were seen, and which never were.
    pub contracts: String,
    /// When the contracts seen have optional fields: how many of them were present.
    pub fields: Option<FieldLines>,
}

pub(super) struct FieldLines {
    pub summary: String,
    /// Per contract seen that lacked some: the contract, and its never-present fields.
    pub absent: Vec<(String, String)>,
}

/// What coverage the report says, in words: how many contracts were seen (and which never
/// were), and, when the contracts seen have optional fields, how many of those were present,
/// with the never-present ones per contract.
pub(super) fn coverage_lines(report: &Report) -> CoverageLines {
    let never_seen: Vec<String> = report
        .coverage
        .iter()
        .filter(|c| c.messages == 0)
        .map(|c| format!("{} {}", c.event_type, c.version))
        .collect();
    let seen = report.coverage.len() - never_seen.len();
    let mut contracts = format!(
        "Coverage: {seen} of {} contracts seen",
        report.coverage.len()
    );
    if never_seen.is_empty() {
        contracts.push('.');
    } else {
        contracts.push_str(&format!("; never seen: {}.", never_seen.join(", ")));
    }
    CoverageLines {
        contracts,
        fields: field_coverage(report),
    }
}

/// Which optional fields the messages of each contract seen never had: a contract never seen
/// has none of them, and is named among those never seen already.
fn field_coverage(report: &Report) -> Option<FieldLines> {
    let seen = || report.coverage.iter().filter(|c| c.messages > 0);
    let fields = seen().map(|c| c.optional_fields.len()).sum::<usize>();
    if fields == 0 {
        return None;
    }
    let present = seen()
        .flat_map(|c| &c.optional_fields)
        .filter(|f| f.messages > 0)
        .count();
    let mut summary = format!(
        "Optional fields of the contracts seen: {present} of {fields} present at least once"
    );
    if present == fields {
        summary.push('.');
        return Some(FieldLines {
            summary,
            absent: Vec::new(),
        });
    }
    summary.push_str("; never present:");
    let absent = seen()
        .filter_map(|contract| {
            let absent: Vec<&str> = contract
                .optional_fields
                .iter()
                .filter(|f| f.messages == 0)
                .map(|f| f.field.as_str())
                .collect();
            (!absent.is_empty()).then(|| {
                (
                    format!("{} {}", contract.event_type, contract.version),
                    absent.join(", "),
                )
            })
        })
        .collect();
    Some(FieldLines { summary, absent })
}

fn write_failures(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.failures == 0 {
        return Ok(());
    }
    let mut shown = Vec::new();
    for result in report.results.iter() {
        let result = result?;
        if result.is_failure() {
            shown.push(result);
        }
    }
    if shown.len() as u64 == report.failures {
        writeln!(out, "Failures ({}):", report.failures)?;
    } else {
        writeln!(
            out,
            "Failures (first {} of {}):",
            shown.len(),
            report.failures
        )?;
    }
    for result in &shown {
        write_result(result, out)?;
    }
    writeln!(out)
}

/// What is wrong with one record, a line each (nothing for a conforming record).
pub fn write_result(result: &RecordResult, out: &mut dyn Write) -> io::Result<()> {
    if let Some(why) = &result.unreadable {
        writeln!(out, "{}: unreadable: {why}", result.source)?;
    }
    for v in &result.violations {
        let name = RULES
            .iter()
            .find(|r| r.doc.id == v.rule)
            .map_or("", |r| r.doc.name);
        let at = if v.pointer.is_empty() {
            "/"
        } else {
            &v.pointer
        };
        let keyword = v
            .keyword
            .as_deref()
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}: {} {name} [{}] at {at}{keyword}: {}",
            result.source, v.rule, v.severity, v.message
        )?;
        if let Some(value) = &v.value {
            writeln!(out, "    value: {value}")?;
        }
    }
    Ok(())
}
