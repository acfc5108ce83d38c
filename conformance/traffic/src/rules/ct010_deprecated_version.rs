//! CT010 deprecated-version: the event's contract version is marked deprecated in the catalog,
//! so its publisher should move to the version the catalog names.

use serde_json::Value;

use super::{Facts, Family, Hit, Rule, RuleDoc, Severity};

pub const RULE: Rule = Rule {
    doc: RuleDoc {
        id: "CT010",
        name: "deprecated-version",
        purpose: "The event's contract version is deprecated in the catalog.",
        default_severity: Severity::Warning,
        family: Family::Traffic,
    },
    check,
};

fn check(facts: &Facts) -> Vec<Hit> {
    let Some(contract) = facts.contract else {
        return Vec::new();
    };
    let Some(why) = contract.deprecated else {
        return Vec::new();
    };
    vec![Hit::about(
        "/version",
        format!(
            "{} {} is deprecated: {why}",
            contract.event_type, contract.version
        ),
        Some(Value::String(contract.version.to_string())),
    )]
}

#[cfg(test)]
mod tests {
    use super::super::{BodyFacts, EventFacts, Facts, Rule};

    fn judge_with(contract: &'static coder_events::Contract) -> Vec<super::Hit> {
        let rule: &Rule = &super::RULE;
        (rule.check)(&Facts {
            delivery: None,
            body: BodyFacts::Event(EventFacts::default()),
            contract: Some(contract),
            violations: &[],
            same_id_other_content: None,
        })
    }

    #[test]
    fn an_event_of_a_deprecated_version_is_found_and_of_a_current_one_is_not() {
        let current = &coder_events::CONTRACTS[0];
        assert!(judge_with(current).is_empty() || current.deprecated.is_some());
        let deprecated: &'static coder_events::Contract =
            Box::leak(Box::new(coder_events::Contract {
                deprecated: Some("use 2.0"),
                ..*current
            }));
        let found = judge_with(deprecated);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].instance_path, "/version");
        assert!(
            found[0].message.ends_with("is deprecated: use 2.0"),
            "{found:?}"
        );
    }
}
