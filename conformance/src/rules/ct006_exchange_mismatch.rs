//! CT006 exchange-mismatch: the message was published to an exchange other than the one every
//! contract travels on.

use serde_json::Value;

use super::{Facts, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    id: "CT006",
    name: "exchange-mismatch",
    doc: "The message was published to an exchange other than coder.events.",
    default_severity: Severity::Error,
    check,
};

fn check(facts: &Facts) -> Vec<Finding> {
    match facts.delivery {
        Some(delivery) if delivery.exchange != coder_events::EXCHANGE => vec![Finding::about(
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
