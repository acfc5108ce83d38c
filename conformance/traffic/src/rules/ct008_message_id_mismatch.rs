//! CT008 message-id-mismatch: the AMQP message id is set and is not the event's id, so
//! deduplication by either one disagrees with the other.

use serde_json::Value;

use super::{Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT008",
        name: "message-id-mismatch",
        purpose: "The messageId property is set and is not the event's id.",
        default_severity: Severity::Warning,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    // The delivery first: most inputs record none, and then the event is not looked into.
    let Some(message_id) = facts.delivery.and_then(|d| d.message_id.as_deref()) else {
        return Vec::new();
    };
    let Some(event_id) = facts.event_field("id") else {
        return Vec::new();
    };
    // Ids are UUIDs, which compare without regard to case.
    if message_id.eq_ignore_ascii_case(event_id) {
        return Vec::new();
    }
    vec![Hit::about(
        "/id",
        "the messageId property is not the event's id".into(),
        Some(Value::String(message_id.to_string())),
    )]
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{delivery_of, judge, paths, valid_event};
    use crate::input::Body;

    #[test]
    fn a_message_id_other_than_the_event_id_is_found_whatever_its_case() {
        let event = valid_event();
        let delivery = delivery_of(&event);
        let upper = crate::input::Delivery {
            message_id: delivery.message_id.as_deref().map(str::to_uppercase),
            ..delivery.clone()
        };
        assert!(judge(&super::RULE, Body::Json(event.clone()), Some(upper), None).is_empty());
        let other = crate::input::Delivery {
            message_id: Some("another-id".into()),
            ..delivery
        };
        let found = judge(&super::RULE, Body::Json(event), Some(other), None);
        assert_eq!(paths(&found), ["/id"]);
    }
}
