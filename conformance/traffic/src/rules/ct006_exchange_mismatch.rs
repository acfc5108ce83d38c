//! CT006 exchange-mismatch: the message was published to an exchange other than the one every
//! contract travels on.

use serde_json::Value;

use super::{Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT006",
        name: "exchange-mismatch",
        purpose: "The message was published to an exchange other than coder.events.",
        default_severity: Severity::Error,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    match facts.delivery {
        Some(delivery) if delivery.exchange != coder_events::EXCHANGE => vec![Hit::about(
            "",
            format!(
                "published to exchange {:?}, not {:?}",
                delivery.exchange,
                coder_events::EXCHANGE
            ),
            Some(Value::String(delivery.exchange.clone())),
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{delivery_of, judge, valid_event};
    use crate::input::Body;

    #[test]
    fn another_exchange_is_found() {
        let event = valid_event();
        let delivery = delivery_of(&event);
        assert!(judge(
            &super::RULE,
            Body::Json(event.clone()),
            Some(delivery.clone()),
            None
        )
        .is_empty());
        let other = crate::input::Delivery {
            exchange: "amq.topic".into(),
            ..delivery
        };
        let found = judge(&super::RULE, Body::Json(event), Some(other), None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, Some(serde_json::json!("amq.topic")));
    }
}
