//! CT003 unknown-version: the event's `type` is known, but not at its `version`.

use coder_events::ViolationKind;

use super::{violations_of_kind, Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT003",
        name: "unknown-version",
        purpose: "The event's type has a contract, but not at the event's version.",
        default_severity: Severity::Error,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    violations_of_kind(facts, &[ViolationKind::UnknownVersion])
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{judge, paths, valid_event};
    use crate::input::Body;

    #[test]
    fn a_version_its_type_lacks_is_found_and_a_known_one_is_not() {
        let valid = valid_event();
        assert!(judge(&super::RULE, Body::Json(valid.clone()), None, None).is_empty());
        let mut unknown = valid;
        unknown["version"] = serde_json::json!("0.0");
        let found = judge(&super::RULE, Body::Json(unknown.clone()), None, None);
        assert_eq!(paths(&found), ["/version"]);
        assert!(found[0].message.contains("\"0.0\""), "{found:?}");
        // An unknown type is CT002's, not this rule's.
        unknown["type"] = serde_json::json!("no.such.event");
        assert!(judge(&super::RULE, Body::Json(unknown), None, None).is_empty());
    }
}
