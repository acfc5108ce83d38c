//! CT001 schema-violation: the event breaks its contract's JSON Schema.

use coder_events::ViolationKind;

use super::{violations_of_kind, Facts, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    id: "CT001",
    name: "schema-violation",
    doc: "The event breaks its contract's JSON Schema (or is not an object with string type and version).",
    default_severity: Severity::Error,
    check,
};

fn check(facts: &Facts) -> Vec<Finding> {
    // A value that is not an event at all breaks the envelope every contract shares.
    violations_of_kind(facts, &[ViolationKind::Schema, ViolationKind::NotAnEvent])
}
