//! CT002 unknown-event-type: no contract has the event's `type`.

use coder_events::ViolationKind;

use super::{violations_of_kind, Facts, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    id: "CT002",
    name: "unknown-event-type",
    doc: "No contract has the event's type.",
    default_severity: Severity::Error,
    check,
};

fn check(facts: &Facts) -> Vec<Finding> {
    violations_of_kind(facts, &[ViolationKind::UnknownType])
}
