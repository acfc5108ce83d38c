//! LINT008 format-allowed: the engine decides only the formats it asserts (the registry's
//! `FORMATS`); the codegen refuses any other, and this finds every one at once.

use codegen::engine::keywords::FORMATS;
use serde_json::Value;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT008",
        name: "format-allowed",
        purpose: "`format` is one the engine asserts (uuid, date-time, date, time, ipv4, ipv6).",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    context.for_each_node(&mut |file, node, pointer| {
        let Some(format) = node.get("format").and_then(Value::as_str) else {
            return;
        };
        if !FORMATS.contains(&format) {
            hits.push(Hit::at(
                &file.path,
                format!("{pointer}/format"),
                format!(
                    "format {format:?} is not asserted by the engine; use one of {}",
                    FORMATS.join(", ")
                ),
            ));
        }
    });
    hits
}
