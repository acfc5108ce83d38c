//! `cargo xtask`: the project's own build tasks (codegen, scaffolds, the CI job).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod ci;
mod codegen;
mod evolve;
mod gen_traffic;
mod ordered;
mod readme;
mod root;
mod scaffold;
mod scratch;
mod tidy;
mod ts_agree;
mod typescript;

#[derive(Parser)]
#[command(about = "Project tasks: cargo xtask <task>")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate every file derived from schemas/: the `coder-events` crate in generated/rust/, the
    /// `@coder/events` TypeScript package in generated/typescript/ (with Node.js and npm), the
    /// event documentation in docs/events/, the JSON report's schema.
    Codegen {
        /// Write nothing; fail naming every derived file that differs from what the schemas
        /// produce.
        #[arg(long)]
        check: bool,
    },
    /// Add a version of an existing contract: the latest version's schema and examples, copied
    /// with the new version, and its catalog entry.
    NewVersion(scaffold::NewVersionArgs),
    /// Add a new contract at version 1.0: a minimal schema on the shared envelope, example
    /// stubs and a catalog entry, with TODO(scaffold) where you fill in.
    NewContract(scaffold::NewContractArgs),
    /// The main job on the repo's own contracts: regenerate, check every documented example,
    /// then check the sample recordings.
    Verify,
    /// Run everything CI runs: fmt, derived files, lint, breaking, clippy, every test, the
    /// scratch-copy evolution and README's consumer snippet.
    Ci,
    /// On a scratch copy: add a version and a contract by writing files, then codegen, lint,
    /// examples, breaking, docs and a typed parse (part of `ci`).
    Evolve,
    /// Write synthetic traffic of every contract (~1% planted problems) for benchmarks.
    GenTraffic(gen_traffic::Args),
    /// Compare the Rust crate's and the TypeScript package's verdicts on generated traffic, every
    /// example and edge cases, and their format checks (part of `ci`, on 20,000 records).
    TsAgree(ts_agree::Args),
    /// Build and run README's code: the Rust consumer snippet, and the TypeScript publisher
    /// against RabbitMQ, its messages recorded and checked (part of `ci`).
    Readme,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Codegen { check } => codegen::run(check),
        Task::NewVersion(args) => schemas_dir().and_then(|schemas| {
            scaffold::new_version(&schemas, &args).map(|w| w.print("new version"))
        }),
        Task::NewContract(args) => schemas_dir().and_then(|schemas| {
            scaffold::new_contract(&schemas, &args).map(|w| w.print("new contract"))
        }),
        Task::Verify => ci::verify(),
        Task::Ci => ci::run(),
        Task::Evolve => root::project_root().and_then(|root| evolve::run(&root)),
        Task::GenTraffic(args) => gen_traffic::run(&args),
        Task::TsAgree(args) => ts_agree::run(&args),
        Task::Readme => root::project_root().and_then(|root| {
            readme::run_consumer_snippet(&root)?;
            readme::run_typescript_publisher(&root)
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn schemas_dir() -> anyhow::Result<std::path::PathBuf> {
    Ok(root::project_root()?.join(::codegen::tree::SCHEMAS_DIR))
}
