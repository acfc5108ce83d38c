//! `cargo xtask ci` and `cargo xtask verify`: every check CI runs, and the main job. Every step
//! runs even when an earlier one failed, so one red step hides no other; the failures are
//! listed at the end with the test totals.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::root::project_root;

/// The broker the tests talk to.
const BROKER: &str = "127.0.0.1:5672";

/// Regenerates the derived files, then runs `contracts examples` and `contracts check` on the
/// tree's own examples and sample recordings.
pub fn verify() -> Result<()> {
    let root = project_root()?;
    crate::codegen::run(false)?;
    // `check` on the samples exits 1: they carry planted violations to show what a finding
    // looks like. Only a usage error or unreadable input (2) fails the job.
    for (args, accepted) in [(&["examples"][..], &[0][..]), (&["check"][..], &[0, 1][..])] {
        eprintln!("==> contracts {}", args.join(" "));
        let status = Command::new(env!("CARGO"))
            .args(contracts_run_args())
            .args(args)
            .current_dir(&root)
            .status()?;
        if !status.code().is_some_and(|code| accepted.contains(&code)) {
            bail!("contracts {} exited with {status}", args.join(" "));
        }
    }
    Ok(())
}

/// `cargo run` of the `contracts` binary, in the profile every other step builds (one build of
/// the workspace serves `verify`, `ci` and the tests).
fn contracts_run_args() -> [&'static str; 6] {
    ["run", "-p", "conformance", "--bin", "contracts", "--"]
}

/// What `ci` learned from one step.
struct Outcome {
    name: String,
    passed: bool,
    detail: Vec<String>,
}

pub fn run() -> Result<()> {
    let root = project_root()?;
    let started = Instant::now();
    prerequisites(&root)?;
    let contracts = |args: &[&str]| -> Vec<String> {
        contracts_run_args()
            .iter()
            .copied()
            .chain(args.iter().copied())
            .map(String::from)
            .collect()
    };
    let cargo = |args: &[&str]| -> Vec<String> { args.iter().map(|s| s.to_string()).collect() };
    let (against, against_why) = breaking_baseline(&root)?;
    let steps: Vec<(String, Vec<String>)> = vec![
        ("format".into(), cargo(&["fmt", "--all", "--check"])),
        (
            "derived files up to date".into(),
            cargo(&["xtask", "codegen", "--check"]),
        ),
        ("schema lint".into(), contracts(&["lint"])),
        (
            format!("breaking changes against {against_why}"),
            contracts(&["breaking", "--against", &against]),
        ),
        (
            "clippy".into(),
            cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        (
            "types-only build".into(),
            cargo(&["check", "-p", "coder-events", "--no-default-features"]),
        ),
        // Unit, integration and doc tests; not the benches, which are run by hand (README).
        (
            "tests and doc tests".into(),
            cargo(&["test", "--workspace", "--no-fail-fast"]),
        ),
    ];
    let mut outcomes = Vec::new();
    let mut totals = TestTotals::default();
    for (name, args) in &steps {
        eprintln!("==> {name}: cargo {}", args.join(" "));
        let outcome = run_step(&root, name, env!("CARGO"), args, &mut totals)?;
        outcomes.push(outcome);
    }
    let typescript_started = Instant::now();
    outcomes.extend(typescript_steps(&root, &mut totals)?);
    let typescript_took = typescript_started.elapsed();
    eprintln!("==> a new version and a new contract, on a scratch copy: cargo xtask evolve");
    outcomes.push(in_process("evolution of a scratch copy", || {
        crate::evolve::run(&root)
    }));
    eprintln!("==> README's Rust block, built as a standalone crate against generated/rust/");
    outcomes.push(in_process("README's consumer snippet", || {
        crate::readme::run_consumer_snippet(&root)
    }));

    eprintln!();
    eprintln!("==> the TypeScript steps took {typescript_took:.0?}");
    eprintln!(
        "tests: {} passed, {} failed, {} ignored (every test target ran)",
        totals.passed, totals.failed, totals.ignored
    );
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.passed).collect();
    if failed.is_empty() {
        eprintln!(
            "==> ci: all {} steps passed in {:.0?}",
            outcomes.len(),
            started.elapsed()
        );
        return Ok(());
    }
    eprintln!(
        "==> ci: {} of {} steps failed:",
        failed.len(),
        outcomes.len()
    );
    for outcome in &failed {
        eprintln!("  {}", outcome.name);
        for line in &outcome.detail {
            eprintln!("      {line}");
        }
    }
    bail!("ci failed");
}

fn in_process(name: &str, step: impl FnOnce() -> Result<()>) -> Outcome {
    match step() {
        Ok(()) => Outcome {
            name: name.into(),
            passed: true,
            detail: Vec::new(),
        },
        Err(e) => Outcome {
            name: name.into(),
            passed: false,
            detail: vec![format!("{e:#}")],
        },
    }
}

#[derive(Default)]
struct TestTotals {
    passed: u64,
    failed: u64,
    ignored: u64,
}

/// The TypeScript package's steps: type-check (strict) and build it, its tests, agreement with
/// the Rust crate on 20,000 generated records and more, and README's publisher on the broker.
fn typescript_steps(root: &Path, totals: &mut TestTotals) -> Result<Vec<Outcome>> {
    let tsc = root.join("node_modules/typescript/bin/tsc");
    let tsc = tsc.to_string_lossy().to_string();
    let config = format!("{}/tsconfig.json", crate::typescript::PACKAGE_DIR);
    let tests = format!("{}/tests/", crate::typescript::TOOLCHAIN_DIR);
    let steps: Vec<(&str, &str, Vec<String>)> = vec![
        (
            "TypeScript type check (strict)",
            "node",
            vec![tsc.clone(), "--noEmit".into(), "-p".into(), config.clone()],
        ),
        ("TypeScript build", "node", vec![tsc, "-p".into(), config]),
        (
            "TypeScript tests",
            "node",
            vec!["--test".into(), "--test-reporter=tap".into(), tests],
        ),
    ];
    let mut outcomes = Vec::new();
    for (name, program, args) in &steps {
        eprintln!("==> {name}: {program} {}", args.join(" "));
        let started = Instant::now();
        outcomes.push(run_step(root, name, program, args, totals)?);
        eprintln!("==> {name} took {:.1?}", started.elapsed());
    }
    let agreement = crate::ts_agree::Args {
        events: 20_000,
        seed: 1,
    };
    eprintln!("==> Rust and TypeScript verdicts: cargo xtask ts-agree --events 20000");
    let started = Instant::now();
    outcomes.push(in_process(
        "Rust and TypeScript agree (generated traffic, examples, edge cases, formats)",
        || crate::ts_agree::run(&agreement),
    ));
    eprintln!("==> ts-agree took {:.1?}", started.elapsed());
    eprintln!("==> README's TypeScript publisher against RabbitMQ, read back by contracts record and check");
    let started = Instant::now();
    outcomes.push(in_process("README's TypeScript publisher", || {
        crate::readme::run_typescript_publisher(root)
    }));
    eprintln!("==> the publisher check took {:.1?}", started.elapsed());
    Ok(outcomes)
}

/// Runs one step (cargo, or node for the TypeScript steps), its output shown as it comes and
/// read for test results and failures.
fn run_step(
    root: &Path,
    name: &str,
    program: &str,
    args: &[String],
    totals: &mut TestTotals,
) -> Result<Outcome> {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {program} {}", args.join(" ")))?;
    let stderr = child.stderr.take().expect("piped");
    let stderr_lines = std::thread::spawn(move || tee(stderr, &mut std::io::stderr()));
    let stdout_lines = tee(child.stdout.take().expect("piped"), &mut std::io::stdout());
    let stderr_lines = stderr_lines
        .join()
        .expect("the stderr reader does not panic");
    let status = child.wait()?;
    let mut detail = Vec::new();
    for line in &stdout_lines {
        if let Some(result) = line.strip_prefix("test result: ") {
            totals.passed += count_before(result, "passed");
            totals.failed += count_before(result, "failed");
            totals.ignored += count_before(result, "ignored");
        }
        if let Some(test) = line
            .strip_prefix("test ")
            .and_then(|l| l.strip_suffix(" ... FAILED"))
        {
            detail.push(format!("failed: {test}"));
        }
        // node --test's TAP: its closing counts, and each failed test.
        if let Some((word, count)) = line
            .strip_prefix("# ")
            .and_then(|l| l.split_once(' '))
            .filter(|_| program == "node")
        {
            let count: u64 = count.trim().parse().unwrap_or(0);
            match word {
                "pass" => totals.passed += count,
                "fail" => totals.failed += count,
                "skipped" | "todo" => totals.ignored += count,
                _ => {}
            }
        }
        if let Some(test) = line.strip_prefix("not ok ").filter(|_| program == "node") {
            detail.push(format!("failed: {test}"));
        }
    }
    // cargo's closing lines: which targets failed, and how to rerun each.
    let mut in_failed_targets = false;
    for line in &stderr_lines {
        if line.starts_with("error:") && line.contains("target") && line.contains("failed") {
            in_failed_targets = true;
        } else if in_failed_targets && line.starts_with("    ") {
            detail.push(format!("failed target: {}", line.trim()));
            continue;
        } else {
            in_failed_targets = false;
        }
    }
    if !status.success() && detail.is_empty() {
        // A build or lint step: its first errors, each with where it is.
        let mut lines = stderr_lines.iter().chain(&stdout_lines).peekable();
        while let Some(line) = lines.next() {
            if detail.len() >= 10 {
                break;
            }
            if line.starts_with("error") && !line.starts_with("error: could not compile") {
                detail.push(line.clone());
                if let Some(at) = lines.next_if(|l| l.trim_start().starts_with("-->")) {
                    detail.push(at.trim().to_string());
                }
            }
        }
        if program == "node" {
            // tsc reports on stdout: its errors, each with where it is.
            detail.extend(
                stdout_lines
                    .iter()
                    .filter(|l| l.contains("error TS"))
                    .take(10)
                    .cloned(),
            );
        }
        detail.push(format!("{program} {} exited with {status}", args.join(" ")));
    }
    Ok(Outcome {
        name: name.to_string(),
        passed: status.success(),
        detail,
    })
}

/// Copies `from` to `to` line by line, returning the lines.
fn tee(from: impl Read, to: &mut dyn Write) -> Vec<String> {
    let mut lines = Vec::new();
    for line in BufReader::new(from).lines() {
        let Ok(line) = line else { break };
        let _ = writeln!(to, "{line}");
        lines.push(line);
    }
    lines
}

/// `3` from `ok. 3 passed; 0 failed; ...` for `passed`.
fn count_before(result: &str, word: &str) -> u64 {
    let words: Vec<&str> = result.split_whitespace().collect();
    words
        .windows(2)
        .find(|w| w[1].trim_end_matches([';', ',']) == word)
        .and_then(|w| w[0].parse().ok())
        .unwrap_or(0)
}

/// What the breaking check compares with: the merge base with the main branch, or, with no main
/// branch, the last commit. Never skipped: a tree that is no git repository fails the step.
fn breaking_baseline(root: &Path) -> Result<(String, String)> {
    let git = |args: &[&str]| -> Option<String> {
        let output = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    for branch in ["main", "origin/main"] {
        if let Some(base) = git(&["merge-base", "HEAD", branch]) {
            return Ok((base, format!("the merge base with {branch}")));
        }
    }
    match git(&["rev-parse", "HEAD"]) {
        Some(head) => Ok((head, "the last commit (no main branch)".into())),
        None => bail!(
            "{} is not a git repository with a commit: the breaking check needs one to compare with",
            root.display()
        ),
    }
}

/// What the tests need from the machine: the broker accepting connections (started when it is
/// down), Python's pika for the independent publisher of the broker tests, and Node.js 20+ with
/// npm for the TypeScript package (its packages installed with `npm ci` when missing).
fn prerequisites(root: &Path) -> Result<()> {
    let broker_up = || {
        std::net::TcpStream::connect_timeout(
            &BROKER.parse().expect("an address"),
            Duration::from_secs(1),
        )
        .is_ok()
    };
    if !broker_up() {
        eprintln!(
            "==> RabbitMQ is not listening on {BROKER}; starting it (rabbitmq-server -detached)"
        );
        let _ = Command::new("rabbitmq-server").arg("-detached").status();
        let deadline = Instant::now() + Duration::from_secs(120);
        while !broker_up() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_secs(1));
        }
        if !broker_up() {
            bail!("RabbitMQ did not come up on {BROKER}");
        }
    }
    eprintln!("==> RabbitMQ accepts connections on {BROKER}");
    let has_pika = || {
        Command::new("python3")
            .args(["-c", "import pika"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !has_pika() {
        eprintln!("==> installing Python's pika for the broker tests' publisher");
        let status = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "pika"])
            .status()
            .context("running pip")?;
        if !status.success() || !has_pika() {
            bail!("could not install pika (python3 -m pip install pika)");
        }
    }
    let node_major = Command::new("node")
        .args(["-p", "process.versions.node.split('.')[0]"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<u32>()
                .ok()
        });
    match node_major {
        Some(major) if major >= 20 => eprintln!("==> Node.js {major} for the TypeScript package"),
        Some(major) => bail!("the TypeScript package needs Node.js 20 or later; node is {major}"),
        None => {
            bail!("the TypeScript package needs Node.js 20 or later and npm: node is not on PATH")
        }
    }
    crate::typescript::ensure_installed(root)
}

#[cfg(test)]
mod tests {
    use super::count_before;

    #[test]
    fn test_results_are_counted() {
        let line =
            "ok. 75 passed; 2 failed; 3 ignored; 0 measured; 0 filtered out; finished in 1.38s";
        assert_eq!(count_before(line, "passed"), 75);
        assert_eq!(count_before(line, "failed"), 2);
        assert_eq!(count_before(line, "ignored"), 3);
        assert_eq!(count_before("FAILED. 0 passed; 5 failed;", "failed"), 5);
    }
}
