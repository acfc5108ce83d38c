//! CT002 unknown-event-type: no contract has the event's `type`.

use coder_events::ViolationKind;

use super::{violations_of_kind, Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT002",
        name: "unknown-event-type",
        purpose: "No contract has the event's type.",
        default_severity: Severity::Error,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    violations_of_kind(facts, &[ViolationKind::UnknownType])
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{judge, paths, valid_event};
    use crate::input::Body;

    #[test]
    fn a_type_no_contract_has_is_found_and_a_known_one_is_not() {
        let valid = valid_event();
        assert!(judge(&super::RULE, Body::Json(valid.clone()), None, None).is_empty());
        let mut unknown = valid;
        unknown["type"] = serde_json::json!("no.such.event");
        let found = judge(&super::RULE, Body::Json(unknown), None, None);
        assert_eq!(paths(&found), ["/type"]);
        assert!(found[0].message.contains("no.such.event"), "{found:?}");
    }
}
