//! LINT004 contract-location: a contract's files live at `contracts/<type>/<version>/`, so the
//! path alone says which contract a file belongs to and a new version is a new directory.

use std::path::PathBuf;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};
use codegen::catalog::CATALOG_FILE;

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT004",
        name: "contract-location",
        purpose: "A contract's schema and examples are at contracts/<type>/<version>/.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, contract) in context.contracts().iter().enumerate() {
        let dir = PathBuf::from("contracts")
            .join(&contract.event_type)
            .join(&contract.version);
        for (field, actual, expected) in [
            ("schema", &contract.schema, dir.join("schema.json")),
            ("examples", &contract.examples, dir.join("examples")),
        ] {
            if *actual != expected {
                hits.push(Hit::at(
                    CATALOG_FILE,
                    format!("/contracts/{i}/{field}"),
                    format!(
                        "{} of {} is {}; it belongs at {}",
                        field,
                        contract.key(),
                        actual.display(),
                        expected.display()
                    ),
                ));
            }
        }
    }
    hits
}
