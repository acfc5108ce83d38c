//! README's Rust: the consumer snippet, built as its own crate against generated/ and run, the
//! way a consumer would paste it into a fresh project.

use std::path::Path;

use anyhow::{ensure, Context, Result};

/// The fenced Rust blocks of a Markdown text, in order.
pub fn rust_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_end() == "```rust" => current = Some(Vec::new()),
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
