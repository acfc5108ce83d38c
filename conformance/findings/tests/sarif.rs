//! `--format sarif` against the official SARIF 2.1.0 JSON Schema (vendored in
//! `tests/fixtures/`, its source named in the README there): every kind of finding renders as
//! a valid SARIF log, with its rule's metadata and its location.

use std::path::Path;

use contracts_findings::{render_sarif, Breaks, Evidence, Family, Finding, RuleDoc, Severity};
use serde_json::Value;

fn sarif_schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const RULES: [RuleDoc; 2] = [
    RuleDoc {
        id: "BRK009",
        name: "type-narrowed",
        purpose: "A type no longer accepted.",
        default_severity: Severity::Error,
        family: Family::Breaking,
    },
    RuleDoc {
        id: "LINT006",
        name: "property-description",
        purpose: "Every property says what it is.",
        default_severity: Severity::Warning,
        family: Family::Lint,
    },
];

fn findings() -> Vec<Finding> {
    vec![
        Finding {
            rule: "BRK009",
            severity: Severity::Error,
            file: "schemas/contracts/demo created/1.0/schema.json".into(),
            line: Some(12),
            pointer: "/properties/data/properties/count/type".into(),
            message: "type narrowed from number to string".into(),
            breaks: Some(Breaks::Producers),
            evidence: Some(Evidence::Counterexample {
                event: r#"{"data":{"count":3}}"#.into(),
                marked: r#"{"data":{"count":»3«}}"#.into(),
                at: "/data/count".into(),
                accepted_by: "old",
                rejected_by: "new",
                why: "type: 3 is not of type \"string\"".into(),
            }),
            ..Finding::default()
        },
        Finding {
            rule: "LINT006",
            severity: Severity::Info,
            file: "/abs/schemas/x.json".into(),
            line: None,
            pointer: String::new(),
            message: "no description".into(),
            breaks: None,
            evidence: Some(Evidence::NoneFound { tried: 2000 }),
            ..Finding::default()
        },
    ]
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0_with_rules_and_locations() {
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&sarif_schema())
        .expect("the SARIF schema compiles");
    for findings in [findings(), Vec::new()] {
        let log: Value =
            serde_json::from_str(&render_sarif("contracts breaking", &RULES, &findings)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
        let run = &log["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            RULES.len()
        );
        assert_eq!(run["results"].as_array().unwrap().len(), findings.len());
    }
    let log: Value =
        serde_json::from_str(&render_sarif("contracts breaking", &RULES, &findings())).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "BRK009");
    assert_eq!(result["ruleIndex"], 0);
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "schemas/contracts/demo%20created/1.0/schema.json"
    );
    assert_eq!(location["physicalLocation"]["region"]["startLine"], 12);
    assert_eq!(
        location["logicalLocations"][0]["fullyQualifiedName"],
        "/properties/data/properties/count/type"
    );
    assert_eq!(result["properties"]["breaks"], "producers");
    assert_eq!(result["properties"]["evidence"]["at"], "/data/count");
    assert_eq!(log["runs"][0]["results"][1]["level"], "note");
    // A schema that checks something: a result without a message is refused.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&broken));
}
