//! CT004 body-not-json: the message body is not UTF-8 JSON, so no consumer can read it.

use super::{BodyFacts, Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT004",
        name: "body-not-json",
        purpose: "The message body is not UTF-8 or not JSON.",
        default_severity: Severity::Error,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    match facts.body {
        BodyFacts::NotJson(why) => vec![Hit::about("", why.to_string(), None)],
        BodyFacts::Event(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{judge, paths, valid_event};
    use crate::input::Body;

    #[test]
    fn a_body_that_is_not_json_is_found_and_json_is_not() {
        assert!(judge(&super::RULE, Body::Json(valid_event()), None, None).is_empty());
        let found = judge(&super::RULE, Body::from_bytes(b"\xff\xfe"), None, None);
        assert_eq!(paths(&found), [""]);
        assert!(found[0].message.contains("not UTF-8"), "{found:?}");
        assert_eq!(
            judge(&super::RULE, Body::from_bytes(b"{oops"), None, None).len(),
            1
        );
    }
}
