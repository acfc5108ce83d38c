//! LINT006 property-description: the schemas are the documentation (`contracts docs` renders
//! them), so every property says what it holds. A warning: it never blocks a change.

use serde_json::Value;

use super::{property_pointer, Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT006",
        name: "property-description",
        purpose: "Every property has a `description` (its own or its reference's).",
        default_severity: Severity::Warning,
        family: Family::Lint,
    },
    check,
};

fn has_description(schema: &Value) -> bool {
    schema
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| !d.trim().is_empty())
}

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    context.for_each_node(&mut |file, node, pointer| {
        let Some(properties) = node.get("properties").and_then(Value::as_object) else {
            return;
        };
        for (name, raw) in properties {
            let at = property_pointer(pointer, name);
            if has_description(raw) {
                continue;
            }
            if let Some(schema) = file.effective(&at) {
                if !has_description(schema) {
                    hits.push(Hit::at(
                        &file.path,
                        &at,
                        format!("property \"{name}\" has no description"),
                    ));
                }
            }
        }
    });
    hits
}
