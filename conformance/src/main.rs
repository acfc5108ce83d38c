//! `contracts`: checks events against the coder.events contracts. Parses the command line,
//! runs the command, and turns its outcome into an exit code. The command line (`cli`), the
//! mapping of flags to the library's settings and the dispatch (`app`, `schema_checks`) live
//! in this binary only: the `conformance` library never sees clap.

use std::io::{self, Write};
use std::process::ExitCode;

mod app;
mod cli;
mod output;
mod schema_checks;
mod traffic_impact;

use clap::Parser;
use contracts_findings::exit::Exit;

use crate::cli::{Cli, Command};
use crate::output::{NamedStdout, QuietOnBrokenPipe};

/// `check` builds and frees a JSON tree per record on several threads; mimalloc does that far
/// faster than the system allocator (conformance/bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut stdout = io::BufWriter::new(NamedStdout(io::stdout().lock()));
    let outcome = if app::acknowledges_what_it_writes(&cli.command) {
        // A reader gone away is a write error like any other: it must stop the acks.
        run(cli.command, &mut stdout)
    } else {
        run(cli.command, &mut QuietOnBrokenPipe::new(&mut stdout))
    };
    match outcome {
        Ok(exit) => ExitCode::from(exit.code()),
        Err(e) => {
            eprintln!("contracts: {e:#}");
            ExitCode::from(Exit::Trouble.code())
        }
    }
}

fn run(command: Command, stdout: &mut impl Write) -> anyhow::Result<Exit> {
    let exit = app::run(command, stdout)?;
    stdout.flush()?;
    Ok(exit)
}
