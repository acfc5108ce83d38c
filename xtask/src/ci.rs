//! `cargo xtask ci`: every check CI runs, in the order that fails fastest.

use std::process::Command;

use anyhow::{bail, Result};

use crate::codegen::project_root;

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
