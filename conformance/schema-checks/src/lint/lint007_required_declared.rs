//! LINT007 required-declared: a `required` name with no property is almost always a typo, and
//! it makes a field mandatory that the typed parse knows nothing about.

use serde_json::Value;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT007",
        name: "required-declared",
        purpose: "`required` names only properties declared beside it.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    context.for_each_node(&mut |file, node, pointer| {
        let Some(required) = node.get("required").and_then(Value::as_array) else {
            return;
        };
        let declared = node.get("properties").and_then(Value::as_object);
        for (i, name) in required.iter().enumerate() {
            let Some(name) = name.as_str() else { continue };
            if !declared.is_some_and(|d| d.contains_key(name)) {
                hits.push(Hit::at(
                    &file.path,
                    format!("{pointer}/required/{i}"),
                    format!("\"{name}\" is required but not declared in \"properties\""),
                ));
            }
        }
    });
    hits
}
