//! The command line: every subcommand and flag of `contracts`, defined here and nowhere else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input::FormatChoice;
use crate::rules::RuleOverride;

/// Checks events against the coder.events contracts.
#[derive(Debug, Parser)]
#[command(name = "contracts", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check recorded deliveries and plain events (default: the sample recordings in
    /// conformance/recordings/).
    Check(CheckArgs),
    /// Check logs: each line (or document) is an event, or holds one at --event-pointer.
    Validate(ValidateArgs),
    /// Check that every documented example gets its labelled answer.
    Examples(ExamplesArgs),
    /// List the rules with their IDs, default severities and docs.
    Rules,
    /// Print the JSON Schema of the `--format json` report.
    ReportSchema,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories (read recursively), `-` for standard input; gzip is decompressed.
    pub paths: Vec<PathBuf>,
    /// How to read records; `auto` reads a line with routingKey and body (or bodyBase64) as a
    /// recorded delivery and anything else as a plain event.
    #[arg(long, value_enum, default_value_t = InputFormatArg::Auto)]
    pub input_format: InputFormatArg,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files, directories (read recursively), `-` for standard input (the default).
    pub paths: Vec<PathBuf>,
    /// JSON pointer to the event inside each record, e.g. /fields/event; the value there may
    /// also be a string holding the event's JSON.
    #[arg(long, value_parser = parse_json_pointer)]
    pub event_pointer: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ExamplesArgs {
    /// The schemas directory holding catalog.json.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas"))]
    pub schemas: PathBuf,
}

/// The flags `check` and `validate` share.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Report format: a human summary, JSON (`contracts report-schema`), JUnit XML, or GitHub
    /// Actions annotations.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// How many failures the text report lists.
    #[arg(long, default_value_t = 20)]
    pub max_failures: usize,
    /// Hide the offending values (and quotes of them in messages).
    #[arg(long)]
    pub mask_values: bool,
    /// Set a rule's severity, e.g. CT007=off or content-type=error (repeatable).
    #[arg(long = "rule", value_name = "ID=SEVERITY")]
    pub rules: Vec<RuleOverride>,
    /// A longer line (or document) is reported as unreadable and skipped without being held.
    #[arg(long, default_value_t = 16 * 1024 * 1024, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_message_bytes: u64,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1024))]
    pub threads: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    Auto,
    Plain,
    Recording,
}

impl From<InputFormatArg> for FormatChoice {
    fn from(arg: InputFormatArg) -> FormatChoice {
        match arg {
            InputFormatArg::Auto => FormatChoice::Auto,
            InputFormatArg::Plain => FormatChoice::Plain,
            InputFormatArg::Recording => FormatChoice::Recording,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Junit,
    Github,
}

fn parse_json_pointer(s: &str) -> Result<String, String> {
    if s.is_empty() || s.starts_with('/') {
        Ok(s.to_string())
    } else {
        Err("a JSON pointer is empty or starts with /, e.g. /fields/event".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
