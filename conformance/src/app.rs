//! What each subcommand does, from parsed arguments to a report written out and an exit code.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use contracts_broker as broker;
use contracts_findings::exit::Exit;
use contracts_findings::RuleDoc;
use contracts_traffic::check::{check, check_into};
use contracts_traffic::examples_check::check_examples;
use contracts_traffic::input::sources::expand;
use contracts_traffic::input::{self, Decoder, FormatChoice};
use contracts_traffic::report::{self, Keep};

use crate::cli::{CheckArgs, Command, CommonArgs, ReportFormat, ResultsChoice, ValidateArgs};

/// The sample recordings `check` reads when given no path, relative to the tree's root.
const SAMPLE_RECORDINGS: &str = "conformance/recordings";

/// Runs one command, writing its output to `out`. An `Err` is an I/O error writing `out`, or
/// a failure that is no fault of the input (reported on stderr by the caller).
pub fn run(command: Command, out: &mut dyn Write) -> anyhow::Result<Exit> {
    match command {
        Command::Check(args) => run_check(args, out),
        Command::Validate(args) => run_validate(args, out),
        Command::Examples(args) => {
            let tree = match crate::schema_checks::resolve_schemas(args.schemas) {
                Ok(tree) => tree,
                Err(why) => {
                    eprintln!("contracts: {why}");
                    return Ok(Exit::Trouble);
                }
            };
            let outcome = check_examples(&tree.schemas)?;
            outcome.write(out)?;
            writeln!(
                out,
                "against the schemas in {}",
                crate::schema_checks::tree_name(&tree)
            )?;
            Ok(outcome.exit_code())
        }
        Command::Rules => {
            write_rules(out)?;
            Ok(Exit::Clean)
        }
        Command::Record(args) => {
            broker::record(&args.consume.settings("record", Some(args.out)), out)
        }
        Command::Tap(args) => {
            let format = report::Format::from(args.common.format);
            let keep = broker::tap::keep(format, args.common.max_failures);
            let decoder = Decoder::new(FormatChoice::Capture(&input::recording::FORMAT), None);
            let check = args
                .common
                .check_settings(decoder, keep, Some(1))
                .map_err(anyhow::Error::msg)?;
            let settings = args.consume.settings("tap", args.out);
            broker::tap(&settings, &check, format, out)
        }
        Command::Replay(args) => broker::replay(&args.settings()),
        Command::Lint(args) => crate::schema_checks::run_lint(args, out),
        Command::Breaking(args) => crate::schema_checks::run_breaking(args, out),
        Command::Docs(args) => crate::schema_checks::run_docs(args, out),
        Command::Asyncapi(args) => crate::schema_checks::run_asyncapi(args, out),
        Command::ReportSchema => {
            out.write_all(report::schema_text().as_bytes())?;
            Ok(Exit::Clean)
        }
    }
}

/// Whether the command acknowledges broker messages once it has written them (`record`,
/// `tap`): then no write error may go unnoticed, a closed standard output included, or it
/// would acknowledge what nobody received. Every other command may go quiet when its reader
/// goes away (`contracts check | head`).
pub fn acknowledges_what_it_writes(command: &Command) -> bool {
    matches!(command, Command::Record(_) | Command::Tap(_))
}

fn run_check(args: CheckArgs, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let paths = if args.paths.is_empty() {
        let samples = codegen::Tree::find()
            .map(|tree| tree.join(SAMPLE_RECORDINGS))
            .filter(|dir| dir.is_dir());
        match samples {
            Some(dir) => vec![relative_to_current_dir(&dir)],
            None => {
                eprintln!(
                    "contracts: no path given, and no {SAMPLE_RECORDINGS} in a tree at or above the current directory: name the files to check (- for standard input)"
                );
                return Ok(Exit::Trouble);
            }
        }
    } else {
        args.paths
    };
    let decoder = Decoder::new(args.input_format, None);
    check_and_report(&paths, decoder, &args.common, out)
}

fn run_validate(args: ValidateArgs, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths
    };
    let decoder = Decoder::new(FormatChoice::Plain, args.event_pointer);
    check_and_report(&paths, decoder, &args.common, out)
}

fn check_and_report(
    paths: &[PathBuf],
    decoder: Decoder,
    common: &CommonArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Exit> {
    let keep = match (common.format, common.results) {
        (ReportFormat::Text | ReportFormat::Markdown, _) => {
            Keep::FirstFailures(common.max_failures)
        }
        (ReportFormat::Github | ReportFormat::Sarif, _) | (_, ResultsChoice::Failures) => {
            Keep::AllFailures
        }
        (ReportFormat::Json | ReportFormat::Junit, ResultsChoice::All) => Keep::All,
    };
    let settings = common
        .check_settings(decoder, keep, common.threads.map(|n| n as usize))
        .map_err(anyhow::Error::msg)?;
    let sources = expand(paths);
    let render = match common.format {
        ReportFormat::Json => {
            // Written as it is judged: no spool, no second pass.
            let report = report::stream_json(out, keep, settings.contracts, |builder| {
                check_into(&sources, &settings, builder)
            })?;
            return Ok(report.exit_code());
        }
        ReportFormat::Text => report::text::write,
        ReportFormat::Junit => report::junit::write,
        ReportFormat::Github => report::github::write,
        ReportFormat::Markdown => report::markdown::write,
        ReportFormat::Sarif => report::sarif::write,
    };
    let report = check(&sources, &settings)?;
    render(&report, out)?;
    Ok(report.exit_code())
}

fn write_rules(out: &mut dyn Write) -> io::Result<()> {
    write_rule_table(out, &contracts_traffic::rules::rule_docs())?;
    writeln!(out, "\nschema rules (contracts lint, contracts breaking):")?;
    write_rule_table(out, &contracts_schema_checks::rule_docs())?;
    write_keywords(out)
}

/// One line per rule: ID, name, default severity, purpose, in aligned columns.
fn write_rule_table(out: &mut dyn Write, rules: &[RuleDoc]) -> io::Result<()> {
    let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for rule in rules {
        writeln!(
            out,
            "{}  {:<name_width$}  {:<7}  {}",
            rule.id, rule.name, rule.default_severity, rule.purpose
        )?;
    }
    Ok(())
}

/// The keyword registry: which draft-07 keyword the engine decides, the Rust codegen expresses,
/// and `breaking` classifies (LINT010 refuses what is not supported).
fn write_keywords(out: &mut dyn Write) -> io::Result<()> {
    use codegen::engine::keywords::{Breaking, FORMATS, KEYWORDS};
    writeln!(
        out,
        "\nkeywords (draft-07; a contract may use a keyword marked yes in both columns):"
    )?;
    let width = KEYWORDS.iter().map(|k| k.name.len()).max().unwrap_or(0);
    writeln!(
        out,
        "{:<width$}  engine  codegen  breaking    what",
        "keyword"
    )?;
    let yes = |b: bool| if b { "yes" } else { "no" };
    for k in KEYWORDS {
        let breaking = match k.breaking {
            Breaking::Annotation => "annotation",
            Breaking::Classified => "classified",
            Breaking::Equality => "any change",
        };
        writeln!(
            out,
            "{:<width$}  {:<6}  {:<7}  {:<10}  {}",
            k.name,
            yes(k.engine),
            yes(k.codegen),
            breaking,
            k.purpose
        )?;
    }
    writeln!(out, "formats the engine asserts: {}", FORMATS.join(", "))
}

/// Reports name files as they were given; the default path is absolute, so it is shown
/// relative to the current directory when it is under it.
fn relative_to_current_dir(path: &Path) -> PathBuf {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|relative| !relative.as_os_str().is_empty())
        .unwrap_or(path)
}
