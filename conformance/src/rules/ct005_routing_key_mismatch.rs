//! CT005 routing-key-mismatch: the message was routed by a key other than its event type, so
//! the consumers bound to that type never see it.

use serde_json::Value;

use super::{Facts, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    id: "CT005",
    name: "routing-key-mismatch",
    doc: "The routing key is not the event's type (checked only when the input records routing keys).",
    default_severity: Severity::Error,
    check,
};

fn check(facts: &Facts) -> Vec<Finding> {
    // The delivery first: most inputs record none, and then the event is not looked into.
    let Some(delivery) = facts.delivery else {
        return Vec::new();
    };
    let Some(event_type) = facts.event_field("type") else {
        return Vec::new();
    };
    if delivery.routing_key == event_type {
        return Vec::new();
    }
    vec![Finding::about(
        "/type",
        format!(
            "routed with key {:?}, but the event type is {event_type:?}",
            delivery.routing_key
        ),
        Some(Value::String(delivery.routing_key.clone())),
    )]
}
