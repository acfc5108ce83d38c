//! `cargo xtask ci`: every check CI runs, in the order that fails fastest.

use std::process::Command;

use anyhow::{bail, Result};

use crate::codegen::project_root;

/// Regenerates the crate, then runs `contracts examples` and `contracts check`.
pub fn verify() -> Result<()> {
    crate::codegen::run(false)?;
    // `check` on the samples exits 1: they carry planted violations to show what a finding
    // looks like. Only a usage error or unreadable input (2) fails the job.
    for (args, accepted) in [(&["examples"][..], &[0][..]), (&["check"][..], &[0, 1][..])] {
        let mut command = Command::new(env!("CARGO"));
        command
            .args([
                "run",
                "--quiet",
                "--release",
                "-p",
                "conformance",
                "--bin",
                "contracts",
                "--",
            ])
            .args(args);
        eprintln!("==> contracts {}", args.join(" "));
        let status = command.current_dir(project_root()).status()?;
        if !status.code().is_some_and(|code| accepted.contains(&code)) {
            bail!("contracts {} exited with {status}", args.join(" "));
        }
    }
    Ok(())
}

pub fn run() -> Result<()> {
    let steps: &[(&str, &[&str])] = &[
        ("format", &["fmt", "--all", "--check"]),
        ("codegen drift", &["xtask", "codegen", "--check"]),
        (
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        (
            "types-only build",
            &["check", "-p", "coder-events", "--no-default-features"],
        ),
        ("tests", &["test", "--workspace", "--all-targets"]),
        ("doc tests", &["test", "--workspace", "--doc"]),
    ];
    for (name, args) in steps {
        eprintln!("==> {name}: cargo {}", args.join(" "));
        let status = Command::new(env!("CARGO"))
            .args(*args)
            .current_dir(project_root())
            .status()?;
        if !status.success() {
            bail!("{name} failed: cargo {}", args.join(" "));
        }
    }
    eprintln!("==> ci: all steps passed");
    Ok(())
}
