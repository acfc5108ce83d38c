//! LINT003 contract-constants: the `type` and `version` an event carries are how consumers
//! dispatch it, so the schema must pin them to exactly what the catalog lists.

use serde_json::Value;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT003",
        name: "contract-constants",
        purpose: "The schema's `type` and `version` consts are the catalog's type and version.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    for contract in context.contracts() {
        let Some(file) = context.schema_file(&contract.schema) else {
            continue;
        };
        for (field, expected) in [
            ("type", &contract.event_type),
            ("version", &contract.version),
        ] {
            let pointer = format!("/properties/{field}");
            match file.effective(&pointer).map(|s| s.get("const")) {
                // The file did not bundle; LINT009 or LINT015 says why.
                None if file.bundled.is_err() => {}
                None => hits.push(Hit::at(
                    &file.path,
                    "/properties",
                    format!(
                        "has no \"{field}\" property; it must be const {expected:?} as in the catalog"
                    ),
                )),
                Some(Some(Value::String(found))) if found == expected => {}
                Some(found) => hits.push(Hit::at(
                    &file.path,
                    &pointer,
                    format!(
                        "\"{field}\" must be const {expected:?} as in the catalog ({}), but is {}",
                        contract.key(),
                        found.map_or("not a const".to_string(), |v| format!("const {v}"))
                    ),
                )),
            }
        }
    }
    hits
}
