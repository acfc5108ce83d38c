//! What each rule's own tests judge: a valid event of the catalog, changed the way a test says,
//! with its violations found as the checker finds them, and a delivery that carried it.

use coder_events::{Contract, ContractSet};
use serde_json::Value;

use super::{Facts, Hit, Rule};
use crate::input::{Body, Delivery, Location};

/// The first valid example of the catalog's first contract.
pub fn valid_event() -> Value {
    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let (examples, _) = codegen::examples::load_all(&schemas).expect("the catalog loads");
    examples
        .into_iter()
        .find(|e| matches!(e.expected, codegen::examples::Expected::Valid))
        .expect("a valid example")
        .event
}

/// A delivery that carried `event` as it should: on the exchange, with its type as routing
/// key, JSON content type and its id as message id.
pub fn delivery_of(event: &Value) -> Delivery {
    let field = |name: &str| event.get(name).and_then(Value::as_str).map(String::from);
    Delivery {
        exchange: coder_events::EXCHANGE.into(),
        routing_key: field("type").unwrap_or_default(),
        content_type: Some("application/json".into()),
        message_id: field("id"),
        unpublishable: Vec::new(),
    }
}

/// What `rule` finds in `body`, as delivered by `delivery`, with the violations and the
/// contract the checker would find for it, and where an earlier event with its id was seen.
pub fn judge(
    rule: &Rule,
    body: Body,
    delivery: Option<Delivery>,
    same_id_other_content: Option<Location>,
) -> Vec<Hit> {
    let contracts = ContractSet::compiled();
    let (violations, contract): (Vec<_>, Option<&'static Contract>) = match &body {
        Body::Json(event) => (
            contracts.validate(event).err().unwrap_or_default(),
            contracts
                .dispatch(event)
                .ok()
                .map(|i| contracts.contracts()[i]),
        ),
        Body::NotJson(_) => (Vec::new(), None),
    };
    (rule.check)(&Facts {
        delivery: delivery.as_ref(),
        body: super::BodyFacts::of(&body),
        contract,
        violations: &violations,
        same_id_other_content: same_id_other_content.as_ref(),
    })
}

/// What `rule` finds in an event given as bytes (so that it may hold what a `Value` cannot: a
/// repeated key), judged as the checker judges a plain event.
pub fn judge_bytes(rule: &Rule, bytes: &[u8]) -> Vec<Hit> {
    let set = ContractSet::compiled();
    let mut tape = coder_events::engine::Tape::new();
    tape.read(bytes).expect("the test's event is JSON");
    let view = tape.view(bytes);
    let value = view.to_value(0);
    let (violations, contract) = match set.judge(&view, 0) {
        Ok(index) => (Vec::new(), Some(set.contracts()[index])),
        Err(rejected) => (
            crate::check::violations_of(set, &view, 0, &value, &rejected),
            set.dispatch(&value).ok().map(|i| set.contracts()[i]),
        ),
    };
    let body = Body::Json(value);
    (rule.check)(&Facts {
        delivery: None,
        body: super::BodyFacts::of(&body),
        contract,
        violations: &violations,
        same_id_other_content: None,
    })
}

/// The instance paths of `findings`.
pub fn paths(findings: &[Hit]) -> Vec<&str> {
    findings.iter().map(|f| f.instance_path.as_str()).collect()
}
