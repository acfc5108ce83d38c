//! CT012 duplicate-key: an object of the event has the same key twice. JSON parsers disagree
//! on such a document (the first value wins, the last wins, or it is an error), so consumers
//! would read different events from the same bytes.

use coder_events::ViolationKind;

use super::{violations_of_kind, Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT012",
        name: "duplicate-key",
        purpose:
            "An object of the event has the same key twice, which JSON parsers read differently.",
        default_severity: Severity::Error,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    violations_of_kind(facts, &[ViolationKind::DuplicateKey])
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{judge_bytes, paths, valid_event};

    #[test]
    fn a_repeated_key_is_found_at_its_object_and_named() {
        let valid = serde_json::to_string(&valid_event()).unwrap();
        assert!(judge_bytes(&super::RULE, valid.as_bytes()).is_empty());
        // The envelope's `id` written twice, with the same value: still two keys.
        let id = valid_event()["id"].to_string();
        let twice = valid.replacen('{', &format!("{{\"id\":{id},"), 1);
        let found = judge_bytes(&super::RULE, twice.as_bytes());
        assert_eq!(paths(&found), [""]);
        assert!(found[0].message.contains("\"id\""), "{found:?}");
        assert_eq!(found[0].keyword.as_deref(), Some("duplicateKey"));
        assert_eq!(found[0].value, None);
    }

    #[test]
    fn a_repeated_key_deeper_in_the_event_is_found_where_it_is() {
        let mut event = valid_event();
        let object = event
            .as_object_mut()
            .unwrap()
            .iter_mut()
            .find(|(_, v)| v.is_object())
            .map(|(k, _)| k.clone())
            .expect("the catalog's first event has an object field");
        event[&object] = serde_json::json!({"k": 1});
        let text = serde_json::to_string(&event)
            .unwrap()
            .replace(r#"{"k":1}"#, r#"{"k":1,"k":2}"#);
        let found = judge_bytes(&super::RULE, text.as_bytes());
        assert_eq!(paths(&found), [format!("/{object}").as_str()]);
    }
}
