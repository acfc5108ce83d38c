//! CT009 duplicate-id-different-content: two events share an id but not their content. A
//! redelivery repeats an event whole; this is two different events that consumers deduplicating
//! by id will treat as one.

use super::{Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT009",
        name: "duplicate-id-different-content",
        purpose: "An event id was seen before with different content.",
        default_severity: Severity::Error,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    match facts.same_id_other_content {
        Some(first) => vec![Hit::about(
            "/id",
            format!("the same id was first seen at {first} with different content"),
            None,
        )],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::fixtures::{judge, paths, valid_event};
    use crate::input::{Body, Location};

    #[test]
    fn an_id_first_seen_with_other_content_is_found_and_named_where() {
        let event = valid_event();
        assert!(judge(&super::RULE, Body::Json(event.clone()), None, None).is_empty());
        let first = Location::line(&Arc::from("earlier.jsonl"), 7);
        let found = judge(&super::RULE, Body::Json(event), None, Some(first));
        assert_eq!(paths(&found), ["/id"]);
        assert!(found[0].message.contains("earlier.jsonl:7"), "{found:?}");
    }
}
