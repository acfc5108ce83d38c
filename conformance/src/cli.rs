//! The command line: every subcommand and flag of `contracts`, defined here and nowhere else,
//! and how flags become the plain settings the library takes (ripgrep's split: the library
//! never sees clap).

use std::ffi::OsStr;
use std::path::PathBuf;

use std::time::Duration;

use clap::builder::{PossibleValue, PossibleValuesParser, StringValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use contracts_broker::{self as broker, recorder, replay};
use contracts_traffic::check::{CheckSettings, Contracts};
use contracts_traffic::input::{Decoder, FormatChoice, DEFAULT_MAX_MESSAGE_BYTES};
use contracts_traffic::report::{self, Keep};
use contracts_traffic::rules::{self, RuleOverride};

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
    /// Record what a queue bound to the exchange receives, in the recording format.
    Record(RecordArgs),
    /// Check messages as they arrive on a queue bound to the exchange (optionally recording).
    Tap(TapArgs),
    /// Publish a recording back to the broker, with publisher confirms.
    Replay(ReplayArgs),
    /// Lint the schemas: meta-schema, catalog agreement, conventions, examples present.
    Lint(LintArgs),
    /// Classify every schema change against a git ref or a directory; breaking ones fail.
    Breaking(BreakingArgs),
    /// Generate each module's event documentation (docs/events/), or check it is up to date.
    Docs(DocsArgs),
    /// Print the AsyncAPI 3.0 document of the exchange.
    Asyncapi(AsyncApiArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories (read recursively), `-` for standard input; gzip is decompressed.
    pub paths: Vec<PathBuf>,
    /// How to read records; `auto` tells each record's format by its field names (a recording
    /// line, a rabtap message, a management API `get` element, a rabbitmq_tracing line) and
    /// reads anything else as a plain event.
    #[arg(long, value_parser = input_format(), default_value = "auto")]
    pub input_format: FormatChoice,
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
    /// The schemas directory holding catalog.json (default: the nearest schemas/catalog.json
    /// at or above the current directory). Examples are validated against these schemas.
    #[arg(long)]
    pub schemas: Option<PathBuf>,
}

/// The flags `check` and `validate` share.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Report format: a human summary, JSON (`contracts report-schema`), JUnit XML, GitHub
    /// Actions annotations, a Markdown summary, or SARIF 2.1.0.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// How many failures the text and Markdown reports list.
    #[arg(long, default_value_t = 20)]
    pub max_failures: usize,
    /// Which records the JSON and JUnit reports list: every one, or only the failures
    /// (conforming records are still counted).
    #[arg(long, value_enum, default_value_t = ResultsChoice::All)]
    pub results: ResultsChoice,
    /// Hide the offending values (and quotes of them in messages).
    #[arg(long)]
    pub mask_values: bool,
    /// Set a rule's severity, e.g. CT007=off or content-type=error (repeatable; applied after
    /// the configuration file).
    #[arg(long = "rule", value_name = "ID=SEVERITY")]
    pub rules: Vec<RuleOverride>,
    /// Rule severities from the `check.rules` section of this JSON file, e.g.
    /// {"check": {"rules": {"CT007": "off"}}} (default: ./.contracts.json when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A longer line (or document) is reported as unreadable and skipped without being held.
    #[arg(long, default_value_t = DEFAULT_MAX_MESSAGE_BYTES as u64, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_message_bytes: u64,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1024))]
    pub threads: Option<u64>,
    /// Check against the contracts of this schemas directory, read now, instead of those
    /// compiled into this binary.
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
}

impl CommonArgs {
    /// The settings of a run of `check`, `validate` or `tap`: the one place they are made.
    pub fn check_settings(
        &self,
        decoder: Decoder,
        keep: Keep,
        threads: Option<usize>,
    ) -> Result<CheckSettings, String> {
        Ok(CheckSettings {
            contracts: Contracts::for_run(self.schemas.as_deref())?,
            decoder,
            rules: rules::config::settings(self.config.as_deref(), &self.rules)?,
            max_message_bytes: usize::try_from(self.max_message_bytes).unwrap_or(usize::MAX),
            threads,
            mask_values: self.mask_values,
            keep,
        })
    }
}

/// `--input-format`'s values: `auto`, `plain` and every capture format of the input
/// registry (`input::FORMATS`), each with its help.
fn input_format() -> impl TypedValueParser<Value = FormatChoice> {
    let values = FormatChoice::all().map(|choice| {
        let help = match choice {
            FormatChoice::Capture(format) => format.help,
            FormatChoice::Auto | FormatChoice::Plain => None,
        };
        PossibleValue::new(choice.name()).help(help)
    });
    PossibleValuesParser::new(values).map(|name| {
        FormatChoice::named(&name).expect("a possible value names a format of the registry")
    })
}

/// Which records a JSON or JUnit report lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResultsChoice {
    All,
    Failures,
}

/// The formats of every report (`check`, `validate`, `tap`, `lint`, `breaking`): a human
/// summary, JSON, JUnit XML, GitHub Actions annotations, a Markdown summary for a pull-request
/// comment or a CI job summary, and SARIF 2.1.0 for code scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Junit,
    Github,
    Markdown,
    Sarif,
}

impl From<ReportFormat> for report::Format {
    fn from(format: ReportFormat) -> report::Format {
        match format {
            ReportFormat::Text => report::Format::Text,
            ReportFormat::Json => report::Format::Json,
            ReportFormat::Junit => report::Format::Junit,
            ReportFormat::Github => report::Format::Github,
            ReportFormat::Markdown => report::Format::Markdown,
            ReportFormat::Sarif => report::Format::Sarif,
        }
    }
}

/// Where `record` and `tap` consume from, and when they stop.
#[derive(Debug, Args)]
pub struct ConsumeArgs {
    /// The broker, as an AMQP URI (the vhost percent-encoded: %2f is /).
    #[arg(long, default_value = broker::DEFAULT_URL, value_parser = AmqpUrl)]
    pub url: String,
    /// The exchange to bind to; declared as a durable topic exchange if it does not exist.
    #[arg(long, default_value = coder_events::EXCHANGE, value_parser = AmqpShortString)]
    pub exchange: String,
    /// A binding key (repeatable); `#` is every routing key.
    #[arg(long = "binding", value_name = "KEY", default_value = "#", value_parser = AmqpShortString)]
    pub bindings: Vec<String>,
    /// Consume from a durable queue of this name, which keeps what arrives while no process
    /// consumes and is shared by every process given the name (default: a server-named
    /// exclusive queue, deleted on exit).
    #[arg(long, value_parser = AmqpShortString)]
    pub queue: Option<String>,
    /// How many unacknowledged messages the broker sends ahead.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..))]
    pub prefetch: u16,
    /// Stop after this many messages.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Stop after this long, e.g. 30s, 5m, 1h, 250ms.
    #[arg(long, value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// fsync the recording before each acknowledgement (survives a power loss, not just a
    /// crash; slower).
    #[arg(long)]
    pub fsync: bool,
}

impl ConsumeArgs {
    /// The recorder's settings for `command` (`record` or `tap`), appending to `out`.
    pub fn settings(self, command: &'static str, out: Option<PathBuf>) -> recorder::Settings {
        recorder::Settings {
            command,
            url: self.url,
            exchange: self.exchange,
            bindings: self.bindings,
            queue: self.queue,
            prefetch: self.prefetch,
            limit: self.limit,
            duration: self.duration,
            out,
            fsync: self.fsync,
        }
    }
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    pub consume: ConsumeArgs,
    /// The recording to append to (`-`: standard output).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct TapArgs {
    #[command(flatten)]
    pub consume: ConsumeArgs,
    /// Also append every message to this recording.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The recording to publish (`-`: standard input; gzip is decompressed).
    pub path: PathBuf,
    /// The broker, as an AMQP URI.
    #[arg(long, default_value = broker::DEFAULT_URL, value_parser = AmqpUrl)]
    pub url: String,
    /// Publish every message to this exchange instead of the one it was recorded from.
    #[arg(long, value_parser = AmqpShortString)]
    pub exchange: Option<String>,
    /// At most this many messages a second, e.g. 100/s (default: as fast as confirms come).
    #[arg(long, value_parser = parse_rate)]
    pub rate: Option<f64>,
}

impl ReplayArgs {
    pub fn settings(self) -> replay::Settings {
        replay::Settings {
            path: self.path,
            url: self.url,
            exchange: self.exchange,
            rate: self.rate,
        }
    }
}

/// A name the broker takes as an AMQP short string (exchange, queue, binding key): at most 255
/// bytes. A longer one is a usage error here, naming the argument and the length, rather than
/// a panic in the AMQP client. The value is not repeated: it is long, by definition.
#[derive(Clone)]
struct AmqpShortString;

impl TypedValueParser for AmqpShortString {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let text = StringValueParser::new().parse_ref(cmd, arg, value)?;
        match broker::short_string_refusal(&text) {
            Some(why) => Err(invalid(cmd, arg, why)),
            None => Ok(text),
        }
    }
}

/// An AMQP URI whose vhost fits in the AMQP short string the broker takes it as. A URI that
/// does not parse is left for the connection to report, with its password hidden; so is this
/// error, which does not repeat the URI.
#[derive(Clone)]
struct AmqpUrl;

impl TypedValueParser for AmqpUrl {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        let text = StringValueParser::new().parse_ref(cmd, arg, value)?;
        match broker::url_refusal(&text) {
            Some(why) => Err(invalid(cmd, arg, why)),
            None => Ok(text),
        }
    }
}

fn invalid(cmd: &clap::Command, arg: Option<&clap::Arg>, why: String) -> clap::Error {
    let name = arg.map_or_else(|| "an argument".to_string(), |arg| format!("'{arg}'"));
    clap::Error::raw(
        clap::error::ErrorKind::ValueValidation,
        format!("invalid value for {name}: {why}\n"),
    )
    .with_cmd(cmd)
}

fn parse_json_pointer(s: &str) -> Result<String, String> {
    if s.is_empty() || s.starts_with('/') {
        Ok(s.to_string())
    } else {
        Err("a JSON pointer is empty or starts with /, e.g. /fields/event".into())
    }
}

/// `30s`, `5m`, `1h`, `250ms`, or a number of seconds.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{s:?} is not a duration such as 30s, 5m, 1h or 250ms"))?;
    let seconds = match unit {
        "" | "s" => number,
        "ms" => number / 1000.0,
        "m" => number * 60.0,
        "h" => number * 3600.0,
        other => return Err(format!("unknown unit {other:?}: use ms, s, m or h")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{s:?}: {e}"))
}

/// `100` or `100/s`: messages a second, more than zero.
fn parse_rate(s: &str) -> Result<f64, String> {
    let number = s.trim().strip_suffix("/s").unwrap_or(s.trim());
    match number.parse::<f64>() {
        Ok(rate) if rate > 0.0 && rate.is_finite() => Ok(rate),
        _ => Err(format!(
            "{s:?} is not a rate such as 100/s (messages a second)"
        )),
    }
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The schemas directory holding catalog.json (default: the nearest schemas/catalog.json
    /// at or above the current directory).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
    /// Per-path rule ignores; default `<schemas>/.contracts.json` when it exists.
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct BreakingArgs {
    /// A git ref (schemas read with git, work tree untouched) or a schemas directory; repeat it
    /// to stay compatible with several released states at once.
    #[arg(long, required_unless_present = "against_tags")]
    pub against: Vec<String>,
    /// Compare with every git tag matching this glob too (e.g. 'v*'): compatible with every
    /// release, not just the last one.
    #[arg(long, value_name = "PATTERN")]
    pub against_tags: Option<String>,
    /// Recordings and logs (any format `check` reads; files, directories, `-`) to weigh each
    /// changed contract with: how many recorded messages the new schema rejects that the old
    /// accepted, and the other way round.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub traffic: Vec<PathBuf>,
    /// How to read the traffic (as `check --input-format`).
    #[arg(long, value_parser = input_format(), default_value = "auto", requires = "traffic")]
    pub input_format: FormatChoice,
    /// JSON pointer to the event inside each line of logs given to --traffic (as `validate
    /// --event-pointer`), e.g. /fields/event.
    #[arg(long, value_parser = parse_json_pointer, requires = "traffic")]
    pub event_pointer: Option<String>,
    /// The current schemas directory (default: the nearest schemas/catalog.json at or above
    /// the current directory).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Write nothing; exit 1 naming the pages that differ from what the schemas produce.
    #[arg(long)]
    pub check: bool,
    /// The schemas directory (default: the nearest schemas/catalog.json at or above the
    /// current directory).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
    /// Where the pages go (default: docs/events beside the schemas directory).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AsyncApiArgs {
    /// The schemas directory (default: the nearest schemas/catalog.json at or above the
    /// current directory).
    #[arg(long)]
    pub schemas: Option<PathBuf>,
    /// Write the document here instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_and_rates_parse() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3d").is_err());
        assert_eq!(parse_rate("100/s"), Ok(100.0));
        assert_eq!(parse_rate("0.5"), Ok(0.5));
        assert!(parse_rate("0/s").is_err());
        assert!(parse_rate("fast").is_err());
    }
}
