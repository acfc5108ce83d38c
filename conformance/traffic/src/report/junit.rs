//! JUnit XML, for CI systems that show test reports: one test suite per input file and one
//! test case per record, written with the findings framework's cases (a violation at error
//! severity fails the case, an unreadable record is its error, warnings go to its system-out).

use std::io::{self, Write};

use super::{RecordResult, Report};
use crate::finding::junit::{self, Counts};
use crate::finding::Finding;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    let run = Counts {
        tests: s.records,
        failures: s.violating,
        errors: s.unreadable,
    };
    junit::open_run(out, "contracts", run)?;
    // Results are in input order, so each file's records are contiguous. A suite's counts come
    // before its cases: one pass counts them, a second writes the cases, so that the results
    // (read back from their spool) are never all held at once.
    let mut suites: Vec<(String, Counts)> = Vec::new();
    for result in report.results.iter() {
        let result = result?;
        let counts = match suites.last_mut() {
            Some((file, counts)) if *file == result.source.file => counts,
            _ => {
                suites.push((result.source.file.clone(), Counts::default()));
                &mut suites.last_mut().expect("just pushed").1
            }
        };
        counts.tests += 1;
        counts.failures += u64::from(result.unreadable.is_none() && !result.conforms);
        counts.errors += u64::from(result.unreadable.is_some());
    }
    let mut results = report.results.iter();
    for (file, counts) in &suites {
        junit::open_suite(out, file, *counts)?;
        for result in results.by_ref().take(counts.tests as usize) {
            write_case(&*result?, out)?;
        }
        junit::close_suite(out)?;
    }
    junit::close_run(out)
}

fn write_case(result: &RecordResult, out: &mut dyn Write) -> io::Result<()> {
    let class = match (&result.event_type, &result.version) {
        (Some(t), Some(v)) => format!("{t}@{v}"),
        (Some(t), None) => t.clone(),
        _ => "(no event type)".into(),
    };
    let violations: Vec<&Finding> = result.violations.iter().collect();
    junit::write_case(
        out,
        &result.source.to_string(),
        &class,
        result.unreadable.as_deref(),
        &violations,
    )
}
