//! LINT011 examples-present: the examples are the contract's tests (`contracts examples`) and
//! its documentation, so each contract shows at least one event it accepts and one it rejects.

use std::path::Path;

use codegen::catalog::CATALOG_FILE;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT011",
        name: "examples-present",
        purpose: "Every contract has at least one valid and one invalid example.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn json_files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count()
    })
}

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, contract) in context.contracts().iter().enumerate() {
        let dir = context.root.join(&contract.examples);
        // A missing examples directory is LINT013's.
        if !dir.is_dir() {
            continue;
        }
        for kind in ["valid", "invalid"] {
            if json_files_in(&dir.join(kind)) == 0 {
                hits.push(Hit::at(
                    CATALOG_FILE,
                    format!("/contracts/{i}/examples"),
                    format!(
                        "{} has no {kind} example: add one under {}",
                        contract.key(),
                        contract.examples.join(kind).display()
                    ),
                ));
            }
        }
    }
    hits
}
