//! LINT010 codegen-keyword: `cargo xtask codegen` refuses a keyword typify cannot express;
//! finding it here points at every use at once, before anyone runs the codegen.

use codegen::typify_input::UNSUPPORTED_KEYWORDS;

use super::{Context, Hit, LintRule};
use crate::finding::{RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT010",
        name: "codegen-keyword",
        purpose: "No keyword the Rust codegen cannot express (if/then/else, allOf, not, ...).",
        default_severity: Severity::Error,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    context.for_each_node(&mut |file, node, pointer| {
        let Some(map) = node.as_object() else { return };
        for keyword in UNSUPPORTED_KEYWORDS {
            if map.contains_key(*keyword) {
                hits.push(Hit::at(
                    &file.path,
                    format!("{pointer}/{keyword}"),
                    format!("keyword {keyword:?} cannot be expressed by the Rust codegen"),
                ));
            }
        }
    });
    hits
}
