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
    let contracts = [
        "run",
        "--quiet",
        "-p",
        "conformance",
        "--bin",
        "contracts",
        "--",
    ];
    let with_contracts = |args: &[&'static str]| -> Vec<&'static str> {
        contracts.iter().chain(args).copied().collect()
    };
    let mut steps: Vec<(&str, Vec<&str>)> = vec![
        ("format", vec!["fmt", "--all", "--check"]),
        ("codegen drift", vec!["xtask", "codegen", "--check"]),
        ("schema lint", with_contracts(&["lint"])),
        ("docs drift", with_contracts(&["docs", "--check"])),
    ];
    let base = merge_base();
    if let Some(base) = &base {
        let mut args = with_contracts(&["breaking", "--against"]);
        args.push(base.as_str());
        steps.push(("breaking changes against the merge base with main", args));
    } else {
        eprintln!("==> breaking changes: no main branch to compare with; skipped");
    }
    steps.extend([
        (
            "clippy",
            vec![
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
            vec!["check", "-p", "coder-events", "--no-default-features"],
        ),
        // Unit, integration and doc tests; not the benches, which are run by hand (README).
        ("tests and doc tests", vec!["test", "--workspace"]),
    ]);
    for (name, args) in &steps {
        eprintln!("==> {name}: cargo {}", args.join(" "));
        let status = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(project_root())
            .status()?;
        if !status.success() {
            bail!("{name} failed: cargo {}", args.join(" "));
        }
    }
    eprintln!("==> ci: all steps passed");
    Ok(())
}

/// The merge base of HEAD with the main branch (local `main`, else `origin/main`), if any.
fn merge_base() -> Option<String> {
    ["main", "origin/main"].iter().find_map(|branch| {
        let output = Command::new("git")
            .args(["merge-base", "HEAD", branch])
            .current_dir(project_root())
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
            .filter(|sha| !sha.is_empty())
    })
}
