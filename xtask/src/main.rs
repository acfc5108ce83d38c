//! `cargo xtask`: the project's own build tasks (codegen, the CI job).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod ci;
mod codegen;
mod gen_traffic;

#[derive(Parser)]
#[command(about = "Project tasks: cargo xtask <task>")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate the `coder-events` crate in generated/ from schemas/.
    Codegen {
        /// Write nothing; fail if generated/ differs from what the schemas produce.
        #[arg(long)]
        check: bool,
    },
    /// The main job on the repo's own contracts: regenerate generated/, check every documented
    /// example, then check the sample recordings.
    Verify,
    /// Run everything CI runs: fmt, clippy, tests, codegen drift.
    Ci,
    /// Write synthetic traffic of every contract (~1% planted problems) for benchmarks.
    GenTraffic(gen_traffic::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Codegen { check } => codegen::run(check),
        Task::Verify => ci::verify(),
        Task::Ci => ci::run(),
        Task::GenTraffic(args) => gen_traffic::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
