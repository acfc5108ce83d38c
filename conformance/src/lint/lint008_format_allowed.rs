//! LINT008 format-allowed: a `format` the validators do not assert is silently accepted, so a
//! schema would promise a check nobody makes.

use serde_json::Value;

use super::{Context, Hit, LintRule};
use crate::finding::{RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT008",
        name: "format-allowed",
        purpose: "`format` is one the toolkit asserts (see ALLOWED_FORMATS).",
        default_severity: Severity::Error,
    },
    check,
};

/// The formats the toolkit's validators assert: `uuid` and `date-time` (checked by the
/// generated crate's own functions, and typed by the codegen), and those the jsonschema crate
/// asserts under draft-07 as this workspace builds it (without `idn-*`: no `idna` feature).
pub const ALLOWED_FORMATS: &[&str] = &[
    "uuid",
    "date-time",
    "date",
    "time",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    context.for_each_node(&mut |file, node, pointer| {
        let Some(format) = node.get("format").and_then(Value::as_str) else {
            return;
        };
        if !ALLOWED_FORMATS.contains(&format) {
            hits.push(Hit::at(
                &file.path,
                format!("{pointer}/format"),
                format!(
                    "format {format:?} is not asserted by the validators; use one of {}",
                    ALLOWED_FORMATS.join(", ")
                ),
            ));
        }
    });
    hits
}
