//! The `lint`, `breaking`, `docs` and `asyncapi` subcommands: from parsed arguments to output
//! and an exit code, over the library's `lint`, `breaking`, `docs` and `asyncapi` modules.

use std::io::Write;
use std::path::Path;

use crate::app::EXIT_TROUBLE;
use crate::asyncapi::{self, AsyncApiOptions};
use crate::breaking::{self, Against, BreakingOptions};
use crate::cli::{AsyncApiArgs, BreakingArgs, DocsArgs, LintArgs, ReportFormat};
use crate::docs::{self, DocsMode, DocsOptions};
use crate::finding::{self, Finding, RuleDoc, RunError};
use crate::lint::{self, LintOptions};

/// Prints why a command could not run and returns the "trouble" exit code.
fn trouble(error: &RunError) -> u8 {
    eprintln!("contracts: {error}");
    EXIT_TROUBLE
}

fn write_findings(
    out: &mut dyn Write,
    format: ReportFormat,
    suite: &str,
    rules: &[RuleDoc],
    findings: &[Finding],
) -> std::io::Result<()> {
    let text = match format {
        ReportFormat::Text => finding::render_text(findings),
        ReportFormat::Json => finding::render_json(findings),
        ReportFormat::Junit => finding::render_junit(suite, rules, findings),
        ReportFormat::Github => finding::render_github(findings),
    };
    out.write_all(text.as_bytes())
}

pub fn run_lint(args: LintArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let options = LintOptions {
        schemas_dir: args.schemas,
        config: args.config,
    };
    match lint::lint(&options) {
        Ok(report) => {
            write_findings(
                out,
                args.format,
                "contracts lint",
                &lint::rule_docs(),
                &report.findings,
            )?;
            Ok(report.exit_code())
        }
        Err(e) => Ok(trouble(&e)),
    }
}

pub fn run_breaking(args: BreakingArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let options = BreakingOptions {
        schemas_dir: args.schemas,
        against: Against::parse(&args.against),
    };
    match breaking::breaking(&options) {
        Ok(report) => {
            write_findings(
                out,
                args.format,
                "contracts breaking",
                &breaking::rule_docs(),
                &report.findings,
            )?;
            if args.format == ReportFormat::Text {
                writeln!(
                    out,
                    "compared {} contract(s) with {}",
                    report.compared, report.previous
                )?;
            }
            Ok(report.exit_code())
        }
        Err(e) => Ok(trouble(&e)),
    }
}

pub fn run_docs(args: DocsArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let options = DocsOptions {
        schemas_dir: args.schemas,
        out_dir: args.out,
        mode: if args.check {
            DocsMode::Check
        } else {
            DocsMode::Write
        },
    };
    match docs::docs(&options) {
        Ok(outcome) => {
            for path in &outcome.changed {
                let verb = if args.check { "stale" } else { "wrote" };
                writeln!(out, "{verb}: {}", path.display())?;
            }
            if args.check && !outcome.changed.is_empty() {
                writeln!(
                    out,
                    "run `{}` and commit the result",
                    docs::REGENERATE_COMMAND
                )?;
            }
            Ok(outcome.exit_code())
        }
        Err(e) => Ok(trouble(&e)),
    }
}

pub fn run_asyncapi(args: AsyncApiArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let document = match asyncapi::document(&AsyncApiOptions {
        schemas_dir: args.schemas,
    }) {
        Ok(document) => document,
        Err(e) => return Ok(trouble(&e)),
    };
    let text = asyncapi::render_json(&document);
    match args.out {
        Some(path) => write_file(&path, &text)?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(finding::EXIT_CLEAN)
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
}

/// The rules of `lint` and `breaking`, for `contracts rules`.
pub fn schema_rule_docs() -> Vec<RuleDoc> {
    let mut docs = lint::rule_docs();
    docs.extend(breaking::rule_docs());
    docs
}
