//! `contracts tap`: the recorder's loop with every delivery checked as it arrives, by the
//! same code as `check` (the line it would record is what is checked, so a tap and a `check`
//! of its `--out` recording agree). Text and GitHub reports print each failure at once and
//! the totals at the end; JSON, JUnit, Markdown and SARIF print the whole report at the end.

use anyhow::Context as _;
use std::io::{self, Write};
use std::sync::Arc;

use super::recorder::{self, Observer, Settings};
use crate::check::{CheckSettings, LiveChecker};
use crate::exit::Exit;
use crate::input::{Location, RawRecord};
use crate::report::{self, Format, Keep, ReportBuilder};

/// What reports name a delivery by when there is no `--out` file: `<tap>:N`, the N-th
/// delivery of the run.
const NO_FILE: &str = "<tap>";

const CANNOT_WRITE_THE_REPORT: &str = "cannot write the report";

/// What a tap's report keeps of the results in `format`: text and GitHub reports print each
/// failure as it comes, so they keep none; JSON and JUnit print every result at the end,
/// SARIF every failure, Markdown the first `max_failures`.
pub fn keep(format: Format, max_failures: usize) -> Keep {
    match format {
        Format::Text | Format::Github => Keep::FirstFailures(0),
        Format::Json | Format::Junit => Keep::All,
        Format::Markdown => Keep::FirstFailures(max_failures),
        Format::Sarif => Keep::AllFailures,
    }
}

/// Runs the recorder's loop with every line checked by `check_settings` (whose decoder reads
/// recording lines, and whose `keep` is [`keep`]`(format)`).
pub async fn tap(
    settings: &Settings,
    check_settings: &CheckSettings,
    format: Format,
    out: &mut dyn Write,
) -> anyhow::Result<Exit> {
    let keep = check_settings.keep;
    let file: Arc<str> = match &settings.out {
        Some(path) => path.display().to_string().into(),
        None => NO_FILE.into(),
    };
    let mut live = Live {
        checker: LiveChecker::new(check_settings),
        rules: contracts_traffic::rules::rule_docs(),
        report: ReportBuilder::new(keep, check_settings.contracts)
            .context("starting the report")?,
        format,
        max_message_bytes: check_settings.max_message_bytes,
        file,
        out: &mut *out,
    };
    // Standard output carries the report, so no recording goes there (checked by the caller).
    let mut no_stdout = io::sink();
    recorder::run(settings, &mut no_stdout, &mut live).await?;
    let report = live.report.finish().context("writing the report")?;
    match format {
        Format::Text => {
            writeln!(out)?;
            report::text::write_summary(&report, out)?;
        }
        Format::Github => writeln!(out, "{}", report.summary.totals_line())?,
        Format::Json => report.write_json(out)?,
        Format::Junit => report::junit::write(&report, out)?,
        Format::Markdown => report::markdown::write(&report, out)?,
        Format::Sarif => report::sarif::write(&report, out)?,
    }
    Ok(report.exit_code())
}

struct Live<'a> {
    checker: LiveChecker<'a>,
    /// What GitHub annotations are titled with.
    rules: Vec<contracts_findings::RuleDoc>,
    report: ReportBuilder,
    format: Format,
    max_message_bytes: usize,
    file: Arc<str>,
    out: &'a mut dyn Write,
}

impl Observer for Live<'_> {
    fn delivered(&mut self, line: &[u8], number: u64) -> anyhow::Result<()> {
        // As `check` would read the line back from the recording.
        let record = if line.len() > self.max_message_bytes {
            RawRecord::Unreadable(format!(
                "the line is {} bytes, over the limit of {} (--max-message-bytes); skipped",
                line.len(),
                self.max_message_bytes
            ))
        } else {
            RawRecord::Line(line.to_vec())
        };
        let location = Location::line(&self.file, number);
        let result = self.checker.check(&location, record, &mut self.report);
        match self.format {
            Format::Text => report::text::write_result(&result, self.out),
            Format::Github => report::github::write_result(&result, &self.rules, self.out),
            Format::Json | Format::Junit | Format::Markdown | Format::Sarif => Ok(()),
        }
        .context(CANNOT_WRITE_THE_REPORT)?;
        Ok(())
    }

    fn batch_done(&mut self) -> anyhow::Result<()> {
        self.out.flush().context(CANNOT_WRITE_THE_REPORT)
    }
}
