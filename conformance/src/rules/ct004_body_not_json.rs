//! CT004 body-not-json: the message body is not UTF-8 JSON, so no consumer can read it.

use crate::input::Body;

use super::{Facts, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    id: "CT004",
    name: "body-not-json",
    doc: "The message body is not UTF-8 or not JSON.",
    default_severity: Severity::Error,
    check,
};

fn check(facts: &Facts) -> Vec<Finding> {
    match facts.body {
        Body::NotJson(why) => vec![Finding::about("", why.clone(), None)],
        Body::Json(_) => Vec::new(),
    }
}
