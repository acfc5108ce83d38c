//! CT005 routing-key-mismatch: the message was routed by a key other than its event type, so
//! the consumers bound to that type never see it.

use serde_json::Value;

use super::{Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT005",
        name: "routing-key-mismatch",
        purpose: "The routing key is not the event's type (checked only when the input records routing keys).",
        default_severity: Severity::Error,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
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
    vec![Hit::about(
        "/type",
        format!(
            "routed with key {:?}, but the event type is {event_type:?}",
            delivery.routing_key
        ),
        Some(Value::String(delivery.routing_key.clone())),
    )]
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{delivery_of, judge, paths, valid_event};
    use crate::input::Body;

    #[test]
    fn a_routing_key_other_than_the_type_is_found() {
        let event = valid_event();
        let delivery = delivery_of(&event);
        assert!(judge(
            &super::RULE,
            Body::Json(event.clone()),
            Some(delivery.clone()),
            None
        )
        .is_empty());
        // Without a recorded delivery there is no routing key to judge.
        assert!(judge(&super::RULE, Body::Json(event.clone()), None, None).is_empty());
        let elsewhere = crate::input::Delivery {
            routing_key: "routed.elsewhere".into(),
            ..delivery
        };
        let found = judge(&super::RULE, Body::Json(event), Some(elsewhere), None);
        assert_eq!(paths(&found), ["/type"]);
        assert_eq!(found[0].value, Some(serde_json::json!("routed.elsewhere")));
    }
}
