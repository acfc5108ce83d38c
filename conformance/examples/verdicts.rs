//! The Rust side of the Rust/TypeScript agreement check (`cargo xtask ts-agree`): reads JSON
//! Lines and prints, for each line, the verdict of `coder_events::check_slice` on its bytes, as
//! the TypeScript side's `parseEvent` is asked for it: whether it conforms, and if not, the
//! first violation's kind, instancePath and keyword.
//!
//!     cargo run -p conformance --example verdicts -- FILE > verdicts.jsonl

use std::io::{BufWriter, Write};

use coder_events::{ParseError, Verdict, ViolationKind};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: verdicts FILE (JSON Lines)")?;
    let input = std::fs::read(&path).map_err(|e| format!("reading {path}: {e}"))?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    // Every line but the empty one after the last newline is a record.
    let mut lines: Vec<&[u8]> = input.split(|b| *b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    for line in lines {
        let verdict = match coder_events::check_slice(line) {
            Verdict::Conforms(_) => json!({ "conforms": true }),
            Verdict::Invalid(error) => {
                let (kind, instance_path, keyword) = first_violation(&error);
                json!({
                    "conforms": false,
                    "kind": kind,
                    "instancePath": instance_path,
                    "keyword": keyword,
                })
            }
        };
        writeln!(out, "{verdict}")?;
    }
    out.flush()?;
    Ok(())
}

/// The kind, instance path and keyword of the violation a rejected event amounts to, named as
/// the TypeScript package names them.
fn first_violation(error: &ParseError) -> (&'static str, String, String) {
    match error {
        ParseError::Json(_) | ParseError::NotAnEvent(_) => {
            ("notAnEvent", String::new(), "type".into())
        }
        ParseError::UnknownType { .. } => ("unknownType", "/type".into(), "type".into()),
        ParseError::UnknownVersion { .. } => {
            ("unknownVersion", "/version".into(), "version".into())
        }
        ParseError::Contract { violation, .. } => {
            let kind = match violation.kind {
                ViolationKind::Schema => "schema",
                ViolationKind::DuplicateKey => "duplicateKey",
                ViolationKind::NotAnEvent => "notAnEvent",
                ViolationKind::UnknownType => "unknownType",
                ViolationKind::UnknownVersion => "unknownVersion",
            };
            (
                kind,
                violation.instance_path.clone(),
                violation.keyword.clone(),
            )
        }
    }
}
