//! `contracts`: checks events against the coder.events contracts. Parses the command line,
//! runs the command, and turns its outcome into an exit code.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use conformance::app::{self, EXIT_TROUBLE};
use conformance::cli::{Cli, Command};
use conformance::output::QuietOnBrokenPipe;

/// `check` builds and frees a JSON tree per record on several threads; mimalloc does that far
/// faster than the system allocator (conformance/bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    let outcome = if app::acknowledges_what_it_writes(&cli.command) {
        // A reader gone away is a write error like any other: it must stop the acks.
        run(cli.command, &mut stdout)
    } else {
        run(cli.command, &mut QuietOnBrokenPipe::new(&mut stdout))
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("contracts: {e:#}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

fn run(command: Command, stdout: &mut impl Write) -> anyhow::Result<u8> {
    let code = app::run(command, stdout)?;
    stdout.flush()?;
    Ok(code)
}
