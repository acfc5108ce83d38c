//! The `lint`, `breaking`, `docs` and `asyncapi` subcommands: from parsed arguments to output
//! and an exit status, over the library's `lint`, `breaking`, `asyncapi` and codegen's `docs`.

use std::io::Write;
use std::path::Path;

use codegen::docs::{self, DocsMode, DocsOptions};
use contracts_findings::exit::Exit;
use contracts_findings::{self as finding, Finding, RuleDoc, RunError};
use contracts_schema_checks::asyncapi::{self, AsyncApiOptions};
use contracts_schema_checks::breaking::{self, Against, BreakingOptions};
use contracts_schema_checks::lint::{self, LintOptions};
use contracts_traffic::input::Decoder;

use crate::cli::{AsyncApiArgs, BreakingArgs, DocsArgs, LintArgs, ReportFormat};

/// The schemas directory a command acts on: `--schemas` when given, else the nearest
/// `schemas/catalog.json` at or above the current directory. Nothing about the machine the
/// binary was built on decides it.
pub fn resolve_schemas(flag: Option<std::path::PathBuf>) -> Result<codegen::Tree, String> {
    match flag {
        Some(dir) => Ok(codegen::Tree::of_schemas_dir(dir)),
        None => {
            let tree = codegen::Tree::find().ok_or_else(codegen::tree::not_found_message)?;
            // Run from the tree's root (as CI is), findings name files as the repository does,
            // `schemas/...`: what code scanning and a pull-request comment resolve them by.
            let at_root = std::env::current_dir().is_ok_and(|cwd| cwd == tree.root);
            Ok(if at_root {
                codegen::Tree::of_schemas_dir(codegen::tree::SCHEMAS_DIR)
            } else {
                tree
            })
        }
    }
}

/// How text output names the tree it used: the schemas directory's full path.
pub fn tree_name(tree: &codegen::Tree) -> String {
    tree.schemas
        .canonicalize()
        .unwrap_or_else(|_| tree.schemas.clone())
        .display()
        .to_string()
}

/// Resolves the schemas directory, or says why not and returns the "trouble" exit code.
macro_rules! tree_or_trouble {
    ($flag:expr) => {
        match resolve_schemas($flag) {
            Ok(tree) => tree,
            Err(why) => {
                eprintln!("contracts: {why}");
                return Ok(Exit::Trouble);
            }
        }
    };
}

/// Prints why a command could not run and returns the "trouble" exit code.
fn trouble(error: &RunError) -> Exit {
    eprintln!("contracts: {error}");
    Exit::Trouble
}

fn write_findings(
    out: &mut dyn Write,
    format: ReportFormat,
    suite: &str,
    rules: &[RuleDoc],
    findings: &[Finding],
) -> std::io::Result<()> {
    out.write_all(finding::render(format.into(), suite, rules, findings).as_bytes())
}

pub fn run_lint(args: LintArgs, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let tree = tree_or_trouble!(args.schemas);
    let options = LintOptions {
        schemas_dir: tree.schemas.clone(),
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
            if args.format == ReportFormat::Text {
                writeln!(
                    out,
                    "linted {} contract(s) in {}",
                    report.contracts,
                    tree_name(&tree)
                )?;
            }
            Ok(report.exit_code())
        }
        Err(e) => Ok(trouble(&e)),
    }
}

pub fn run_breaking(args: BreakingArgs, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let tree = tree_or_trouble!(args.schemas);
    let mut against = args.against;
    if let Some(pattern) = &args.against_tags {
        match breaking::tags_matching(&tree.schemas, pattern) {
            Ok(tags) => against.extend(tags),
            Err(e) => return Ok(trouble(&e)),
        }
    }
    let mut findings = Vec::new();
    let mut compared = Vec::new();
    let mut changed = Vec::new();
    for previous in &against {
        let options = BreakingOptions {
            schemas_dir: tree.schemas.clone(),
            against: Against::parse(previous),
        };
        match breaking::breaking(&options) {
            Ok(report) => {
                let several = against.len() > 1;
                findings.extend(report.findings.into_iter().map(|mut f| {
                    // Against several states, each finding says which one it breaks with.
                    if several {
                        f.message = format!("against {previous}: {}", f.message);
                    }
                    f
                }));
                compared.push((report.compared, report.previous.clone()));
                // A validator bug met on the way: said on standard error, whatever the format,
                // so that it reaches someone who can report it.
                for disagreement in &report.disagreements {
                    eprintln!("contracts: warning: {disagreement}");
                }
                changed.extend(
                    report
                        .changed
                        .into_iter()
                        .map(|c| (report.previous.clone(), c)),
                );
            }
            Err(e) => return Ok(trouble(&e)),
        }
    }
    let impact = if args.traffic.is_empty() {
        None
    } else {
        let decoder = Decoder::new(args.input_format, args.event_pointer.clone());
        Some(crate::traffic_impact::weigh(
            &args.traffic,
            &decoder,
            &changed,
        ))
    };
    match (&impact, args.format) {
        (Some(impact), ReportFormat::Json) => {
            // The findings document, with what the traffic says beside them.
            let mut traffic = serde_json::Map::new();
            traffic.insert("traffic".into(), serde_json::to_value(impact)?);
            out.write_all(finding::render_json_with(&findings, traffic).as_bytes())?;
        }
        _ => write_findings(
            out,
            args.format,
            "contracts breaking",
            &breaking::rule_docs(),
            &findings,
        )?,
    }
    if let Some(impact) = &impact {
        match args.format {
            ReportFormat::Text => write!(out, "{}", impact.text())?,
            ReportFormat::Markdown => write!(out, "{}", impact.markdown())?,
            _ => {}
        }
    }
    if args.format == ReportFormat::Text {
        for (count, previous) in compared {
            writeln!(
                out,
                "compared {count} contract(s) in {} with {previous}",
                tree_name(&tree)
            )?;
        }
    }
    Ok(finding::exit_code(&findings))
}

pub fn run_docs(args: DocsArgs, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let tree = tree_or_trouble!(args.schemas);
    let options = DocsOptions {
        schemas_dir: tree.schemas.clone(),
        out_dir: args.out.unwrap_or_else(|| tree.join(docs::DOCS_DIR)),
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
            } else {
                writeln!(
                    out,
                    "{} page(s) {} from {}",
                    outcome.pages.len(),
                    if args.check {
                        "up to date"
                    } else {
                        "generated"
                    },
                    tree_name(&tree)
                )?;
            }
            Ok(match outcome.exit_code() {
                0 => Exit::Clean,
                _ => Exit::Findings,
            })
        }
        Err(e) => Ok(trouble(&e.into())),
    }
}

pub fn run_asyncapi(args: AsyncApiArgs, out: &mut dyn Write) -> anyhow::Result<Exit> {
    let tree = tree_or_trouble!(args.schemas);
    // Standard output is the document; the tree it was made from is named beside it.
    eprintln!("asyncapi: from {}", tree_name(&tree));
    let document = match asyncapi::document(&AsyncApiOptions {
        schemas_dir: tree.schemas.clone(),
    }) {
        Ok(document) => document,
        Err(e) => return Ok(trouble(&e)),
    };
    let text = asyncapi::render_json(&document);
    match args.out {
        Some(path) => write_file(&path, &text)?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(Exit::Clean)
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
}
