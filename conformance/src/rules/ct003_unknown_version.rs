//! CT003 unknown-version: the event's `type` is known, but not at its `version`.

use coder_events::ViolationKind;

use super::{violations_of_kind, Facts, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    id: "CT003",
    name: "unknown-version",
    doc: "The event's type has a contract, but not at the event's version.",
    default_severity: Severity::Error,
    check,
};

fn check(facts: &Facts) -> Vec<Finding> {
    violations_of_kind(facts, &[ViolationKind::UnknownVersion])
}
