//! SARIF 2.1.0 for code scanning: every rule a traffic report can name, then one result per
//! violation and per unreadable record at its file and line, streamed through the findings
//! framework's log writer as the results are read back.

use std::io::{self, Write};

use super::Report;
use crate::finding::sarif::SarifLog;
use crate::rules;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules = rules::rule_docs();
    let mut log = SarifLog::start(out, "contracts check", &rules)?;
    for result in report.results.iter() {
        for finding in result?.findings() {
            log.result(&finding)?;
        }
    }
    log.finish()
}
