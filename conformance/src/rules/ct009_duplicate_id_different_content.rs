//! CT009 duplicate-id-different-content: two events share an id but not their content. A
//! redelivery repeats an event whole; this is two different events that consumers deduplicating
//! by id will treat as one.

use super::{Facts, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    id: "CT009",
    name: "duplicate-id-different-content",
    doc: "An event id was seen before with different content.",
    default_severity: Severity::Error,
    check,
};

fn check(facts: &Facts) -> Vec<Finding> {
    match facts.same_id_other_content {
        Some(first) => vec![Finding::about(
            "/id",
            format!("the same id was first seen at {first} with different content"),
            None,
        )],
        None => Vec::new(),
    }
}
