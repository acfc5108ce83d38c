//! CT007 content-type: the message declares a content type other than JSON.

use serde_json::Value;

use super::{Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT007",
        name: "content-type",
        purpose: "The contentType property is set and is not application/json.",
        default_severity: Severity::Warning,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    let Some(content_type) = facts.delivery.and_then(|d| d.content_type.as_deref()) else {
        return Vec::new();
    };
    // Parameters such as `; charset=utf-8` do not change the media type.
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if media_type.eq_ignore_ascii_case("application/json") {
        return Vec::new();
    }
    vec![Hit::about(
        "",
        format!("content type {content_type:?} is not application/json"),
        Some(Value::String(content_type.to_string())),
    )]
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{delivery_of, judge, valid_event};
    use crate::input::Body;

    #[test]
    fn a_content_type_other_than_json_is_found() {
        let event = valid_event();
        let delivery = delivery_of(&event);
        assert!(judge(
            &super::RULE,
            Body::Json(event.clone()),
            Some(delivery.clone()),
            None
        )
        .is_empty());
        let text = crate::input::Delivery {
            content_type: Some("text/plain".into()),
            ..delivery
        };
        let found = judge(&super::RULE, Body::Json(event), Some(text), None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, Some(serde_json::json!("text/plain")));
    }
}
