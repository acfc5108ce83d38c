//! LINT013 missing-file: a catalog entry whose schema or examples do not exist cannot be
//! generated, validated or documented.

use codegen::catalog::CATALOG_FILE;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT013",
        name: "missing-file",
        purpose: "Every schema file and examples directory the catalog names exists.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, contract) in context.contracts().iter().enumerate() {
        for (field, path) in [
            ("schema", &contract.schema),
            ("examples", &contract.examples),
        ] {
            if !context.root.join(path).exists() {
                hits.push(Hit::at(
                    CATALOG_FILE,
                    format!("/contracts/{i}/{field}"),
                    format!("{} of {} does not exist", path.display(), contract.key()),
                ));
            }
        }
    }
    hits
}

/// Whether every file the catalog names exists, so the codegen's catalog checks can run.
pub(super) fn all_present(context: &Context) -> bool {
    check(context).is_empty()
}
