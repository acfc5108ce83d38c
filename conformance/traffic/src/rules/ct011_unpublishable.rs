//! CT011 unpublishable: the recorded delivery holds what RabbitMQ refuses to carry, so
//! `contracts replay` refuses its recording; the same lines are reported here as there.

use super::{Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT011",
        name: "unpublishable",
        purpose: "A recording line holds what RabbitMQ refuses to carry (an AMQP short string over 255 bytes, a NaN or infinite float header), so replay refuses it.",
        default_severity: Severity::Error,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    let Some(delivery) = facts.delivery else {
        return Vec::new();
    };
    // The value itself is not quoted: it is long, and the message names it.
    delivery
        .unpublishable
        .iter()
        .map(|refused| Hit::about("", refused.to_string(), None))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::input::recording::Recording;
    use crate::input::{decode_value, Origin};

    fn findings(line: serde_json::Value) -> Vec<Hit> {
        let message = decode_value(&Recording, &line, &Origin::NONE).unwrap();
        let facts = Facts {
            delivery: message.delivery.as_ref(),
            body: super::super::BodyFacts::of(&message.body),
            contract: None,
            violations: &[],
            same_id_other_content: None,
        };
        check(&facts)
    }

    #[test]
    fn each_short_string_over_255_bytes_is_a_finding() {
        let long = "k".repeat(300);
        let found = findings(json!({
            "exchange": "coder.events", "routingKey": long,
            "properties": {"replyTo": long, "headers": {"ok": 1, &long: 1}}, "body": {}
        }));
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(
            messages[0].starts_with("routingKey is 300 bytes"),
            "{}",
            messages[0]
        );
        assert!(
            messages[1].starts_with("replyTo is 300 bytes"),
            "{}",
            messages[1]
        );
        assert!(
            messages[2].starts_with("the name of header [\"kkk"),
            "{}",
            messages[2]
        );
        assert!(found
            .iter()
            .all(|f| f.value.is_none() && f.instance_path.is_empty()));
    }

    #[test]
    fn a_nan_or_infinite_float_header_is_a_finding() {
        let found = findings(json!({
            "exchange": "coder.events", "routingKey": "k", "body": {},
            "properties": {"headers": {"ratio": {"$amqp": "f64", "value": "NaN"}}}
        }));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0]
                .message
                .starts_with("header [\"ratio\"] is NaN (f64)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn names_of_255_bytes_and_deliveries_of_other_inputs_are_fine() {
        let limit = "k".repeat(255);
        let found = findings(json!({
            "exchange": limit, "routingKey": limit, "properties": {"headers": {&limit: 1}},
            "body": {}
        }));
        assert_eq!(found, []);
        let no_delivery = Facts {
            delivery: None,
            body: super::super::BodyFacts::Event(Default::default()),
            contract: None,
            violations: &[],
            same_id_other_content: None,
        };
        assert_eq!(check(&no_delivery), []);
    }
}
