//! LINT012 orphan-file: a schema under `contracts/` that the catalog does not list is neither
//! generated nor checked, yet looks like a contract to anyone reading the tree.

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT012",
        name: "orphan-file",
        purpose: "Every JSON file under contracts/ is a listed contract's schema or example.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    // Without a catalog every file would look orphaned; LINT014 reports the catalog instead.
    if context.catalog.is_err() {
        return Vec::new();
    }
    let contracts = context.contracts();
    context
        .contract_tree
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter(|path| {
            !contracts
                .iter()
                .any(|c| **path == c.schema || path.starts_with(&c.examples))
        })
        .map(|path| {
            Hit::at(
                path,
                "",
                "no contract in catalog.json lists this file as its schema or under its examples",
            )
        })
        .collect()
}
