//! CT001 schema-violation: the event breaks its contract's JSON Schema.

use coder_events::ViolationKind;

use super::{violations_of_kind, Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT001",
        name: "schema-violation",
        purpose: "The event breaks its contract's JSON Schema (or is not an object with string type and version).",
        default_severity: Severity::Error,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    // A value that is not an event at all breaks the envelope every contract shares.
    violations_of_kind(facts, &[ViolationKind::Schema, ViolationKind::NotAnEvent])
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{judge, paths, valid_event};
    use crate::input::Body;

    #[test]
    fn a_schema_violation_is_found_where_it_is_and_a_valid_event_has_none() {
        let valid = valid_event();
        assert!(judge(&super::RULE, Body::Json(valid.clone()), None, None).is_empty());
        let mut broken = valid;
        broken["id"] = serde_json::json!("not-a-uuid");
        let found = judge(&super::RULE, Body::Json(broken), None, None);
        assert_eq!(paths(&found), ["/id"]);
        assert_eq!(found[0].keyword.as_deref(), Some("format"));
        assert_eq!(found[0].value, Some(serde_json::json!("not-a-uuid")));
    }
}
