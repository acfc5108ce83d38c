//! LINT010 codegen-keyword: `cargo xtask codegen` refuses a keyword the engine cannot decide or
//! typify cannot express, and anything that is no draft-07 keyword (the registry,
//! `codegen::engine::keywords`, says which); finding them here points at every use at once,
//! before anyone runs the codegen.

use codegen::engine::keywords::refusal;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT010",
        name: "codegen-keyword",
        purpose: "Every keyword is one the engine decides and the Rust codegen expresses (see `contracts rules`' keyword table).",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    context.for_each_node(&mut |file, node, pointer| {
        let Some(map) = node.as_object() else { return };
        for keyword in map.keys() {
            if let Some(why) = refusal(keyword) {
                hits.push(Hit::at(
                    &file.path,
                    format!("{pointer}/{}", codegen::walk::escape(keyword)),
                    why,
                ));
            }
        }
    });
    hits
}
