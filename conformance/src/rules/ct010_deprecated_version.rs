//! CT010 deprecated-version: the event's contract version is marked deprecated in the catalog,
//! so its publisher should move to the version the catalog names.

use serde_json::Value;

use super::{Facts, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    id: "CT010",
    name: "deprecated-version",
    doc: "The event's contract version is deprecated in the catalog.",
    default_severity: Severity::Warning,
    check,
};

fn check(facts: &Facts) -> Vec<Finding> {
    let Some(contract) = facts.contract else {
        return Vec::new();
    };
    let Some(why) = contract.deprecated else {
        return Vec::new();
    };
    vec![Finding::about(
        "/version",
        format!(
            "{} {} is deprecated: {why}",
            contract.event_type, contract.version
        ),
        Some(Value::String(contract.version.to_string())),
    )]
}
