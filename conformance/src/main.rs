//! `contracts`: checks events against the coder.events contracts. Parses the command line,
//! runs the command, and turns its outcome into an exit code.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use conformance::app::{self, EXIT_TROUBLE};
use conformance::cli::Cli;
use conformance::output::QuietOnBrokenPipe;

/// `check` builds and frees a JSON tree per record on several threads; mimalloc does that far
/// faster than the system allocator (conformance/bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut stdout = QuietOnBrokenPipe::new(io::BufWriter::new(io::stdout().lock()));
    let outcome = app::run(cli.command, &mut stdout).and_then(|code| {
        stdout.flush()?;
        Ok(code)
    });
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("contracts: {e:#}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}
