//! README's code: the Rust consumer snippet, built as its own crate against generated/rust/
//! and run, the way a consumer would paste it into a fresh project; and the TypeScript publisher,
//! compiled against generated/typescript/ and run against RabbitMQ while `contracts record`
//! listens, its messages then judged by `contracts check`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};

/// The fenced Rust blocks of a Markdown text, in order.
pub fn rust_blocks(markdown: &str) -> Vec<String> {
    fenced_blocks(markdown, "rust")
}

/// The fenced blocks of `language` in a Markdown text, in order.
pub fn fenced_blocks(markdown: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}");
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_end() == fence => current = Some(Vec::new()),
            None => {}
            Some(lines) if line.trim_end() == "```" => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            Some(lines) => lines.push(line),
        }
    }
    blocks
}

/// A README block as a program: lines rustdoc hides (`# ...`) shown, and the body wrapped in a
/// `main` returning the block's last expression unless it has a `main` of its own.
pub fn as_main(block: &str) -> String {
    let body: Vec<&str> = block
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(hidden) => hidden,
            None if line == "#" => "",
            None => line,
        })
        .collect();
    let body = body.join("\n");
    if body.contains("fn main(") {
        return body + "\n";
    }
    format!("fn main() -> Result<(), Box<dyn std::error::Error>> {{\n{body}\n}}\n")
}

pub fn run_consumer_snippet(root: &Path) -> Result<()> {
    let readme = std::fs::read_to_string(root.join("README.md")).context("reading README.md")?;
    let blocks = rust_blocks(&readme);
    ensure!(!blocks.is_empty(), "README.md has no ```rust block");
    let scratch = tempfile::Builder::new()
        .prefix("contracts-readme-")
        .tempdir()?;
    for (i, block) in blocks.iter().enumerate() {
        crate::scratch::run_probe_crate(
            &scratch.path().join(format!("block-{i}")),
            &root.join("generated/rust"),
            &root.join("Cargo.lock"),
            &as_main(block),
            &root.join("target/probe"),
        )
        .with_context(|| format!("README.md's Rust block {}", i + 1))?;
    }
    eprintln!(
        "readme: {} Rust block(s) built and run as standalone crates",
        blocks.len()
    );
    Ok(())
}

/// How many times the publisher runs: each run publishes one event.
const PUBLISHER_RUNS: u64 = 3;

/// README's TypeScript block, compiled with tsc (strict) against the built package and run
/// [`PUBLISHER_RUNS`] times against the broker, while `contracts record` records `coder.events`;
/// `contracts check` must then find every recorded message conforming, and no other there.
pub fn run_typescript_publisher(root: &Path) -> Result<()> {
    let readme = std::fs::read_to_string(root.join("README.md")).context("reading README.md")?;
    let blocks = fenced_blocks(&readme, "ts");
    let [block] = blocks.as_slice() else {
        bail!(
            "README.md has {} ```ts blocks; the publisher is to be the one",
            blocks.len()
        );
    };
    crate::typescript::ensure_built(root)?;
    // Under the tree (target/ is ignored), so Node and tsc find the workspace's packages.
    let dir = root.join("target/readme-typescript");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("package.json"),
        "{ \"type\": \"module\", \"private\": true }\n",
    )?;
    let tsconfig = serde_json::json!({
        "compilerOptions": {
            "strict": true,
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "types": ["node"],
            "outDir": "out",
        },
        "files": ["publisher.ts"],
    });
    std::fs::write(dir.join("tsconfig.json"), tsconfig.to_string())?;
    std::fs::write(dir.join("publisher.ts"), format!("{block}\n"))?;
    let tsc = root.join("node_modules/typescript/bin/tsc");
    let status = Command::new("node")
        .arg(&tsc)
        .args(["-p", "."])
        .current_dir(&dir)
        .status()
        .context("running tsc")?;
    ensure!(status.success(), "tsc rejects README.md's TypeScript block");

    let scratch = tempfile::Builder::new()
        .prefix("contracts-readme-ts-")
        .tempdir()?;
    let recording = scratch.path().join("published.jsonl");
    let contracts = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO"));
        command
            .args([
                "run",
                "--quiet",
                "-p",
                "conformance",
                "--bin",
                "contracts",
                "--",
            ])
            .args(args)
            .current_dir(root);
        command
    };
    let mut recorder = contracts(&[
        "record",
        "--exchange",
        "coder.events",
        "--binding",
        "#",
        "--out",
        &recording.display().to_string(),
        "--limit",
        &PUBLISHER_RUNS.to_string(),
        "--duration",
        "30s",
    ])
    .stdin(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .context("starting contracts record")?;
    // The recorder says when its queue is bound: from then on nothing published is missed.
    let (bound_tx, bound_rx) = mpsc::channel();
    let stderr = recorder.stderr.take().expect("piped");
    let echo = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            if line.contains(" bound to exchange ") {
                let _ = bound_tx.send(());
            }
        }
    });
    let published = (|| -> Result<()> {
        bound_rx
            .recv_timeout(Duration::from_secs(60))
            .context("contracts record did not bind its queue within 60 s")?;
        for run in 1..=PUBLISHER_RUNS {
            let status = Command::new("node")
                .arg(dir.join("out/publisher.js"))
                .current_dir(&dir)
                .status()
                .context("running the publisher")?;
            ensure!(
                status.success(),
                "README.md's publisher failed on run {run}: {status}"
            );
        }
        Ok(())
    })();
    if published.is_err() {
        let _ = recorder.kill();
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = recorder.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = recorder.kill();
            bail!("contracts record did not stop within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = echo.join();
    published?;
    ensure!(status.success(), "contracts record exited with {status}");

    let output = contracts(&[
        "check",
        &recording.display().to_string(),
        "--format",
        "json",
    ])
    .stderr(Stdio::inherit())
    .output()
    .context("running contracts check")?;
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("contracts check's JSON report")?;
    let results = report["results"].as_array().cloned().unwrap_or_default();
    let conforming = results.iter().filter(|r| r["conforms"] == true).count();
    ensure!(
        output.status.success() && results.len() as u64 == PUBLISHER_RUNS && conforming == results.len(),
        "contracts check on the published messages: exit {}, {} recorded, {conforming} conforming (expected {PUBLISHER_RUNS}, all conforming):\n{}",
        output.status,
        results.len(),
        String::from_utf8_lossy(&output.stdout)
    );
    eprintln!(
        "readme: the TypeScript publisher's {conforming} messages, recorded from coder.events, all conform"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_programs() {
        let markdown = "text\n```rust\nlet x = 1;\n# Ok::<(), Box<dyn std::error::Error>>(())\n```\n```sh\nls\n```\n";
        let blocks = rust_blocks(markdown);
        assert_eq!(
            blocks,
            ["let x = 1;\n# Ok::<(), Box<dyn std::error::Error>>(())"]
        );
        assert_eq!(
            as_main(&blocks[0]),
            "fn main() -> Result<(), Box<dyn std::error::Error>> {\nlet x = 1;\nOk::<(), Box<dyn std::error::Error>>(())\n}\n"
        );
        assert_eq!(as_main("fn main() {}"), "fn main() {}\n");
    }
}
