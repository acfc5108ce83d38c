//! LINT005 id-format: identifiers are UUIDs across coder.events, and the typed parse maps
//! `format: uuid` to a UUID type; an id without the format would be any string.

use serde_json::Value;

use super::{property_pointer, Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT005",
        name: "id-format",
        purpose: "An id-like property (`id`, `…Id`, `…_id`) and the items of an `…Ids` array have `format: uuid`.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

/// `id`, `tenantId`, `tenant_id`; not `valid` or `paid`, which only end in the letters.
fn is_id(name: &str) -> bool {
    name == "id" || name.ends_with("Id") || name.ends_with("_id")
}

fn is_id_list(name: &str) -> bool {
    name == "ids" || name.ends_with("Ids") || name.ends_with("_ids")
}

fn is_uuid(schema: Option<&Value>) -> bool {
    schema.and_then(|s| s.get("format")) == Some(&Value::from("uuid"))
}

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    context.for_each_node(&mut |file, node, pointer| {
        let Some(properties) = node.get("properties").and_then(Value::as_object) else {
            return;
        };
        for name in properties.keys() {
            let at = property_pointer(pointer, name);
            // A reference the file cannot resolve is LINT009's or LINT015's to report.
            let Some(schema) = file.effective(&at) else {
                continue;
            };
            if is_id(name) && !is_uuid(Some(schema)) {
                hits.push(Hit::at(
                    &file.path,
                    &at,
                    format!("\"{name}\" is an identifier but has no \"format\": \"uuid\""),
                ));
            } else if is_id_list(name) {
                let items_are_uuids = match schema.get("items") {
                    None => false,
                    Some(items) => file.follow(items).is_none_or(|i| is_uuid(Some(i))),
                };
                if !items_are_uuids {
                    hits.push(Hit::at(
                        &file.path,
                        &at,
                        format!("\"{name}\" lists identifiers but its items have no \"format\": \"uuid\""),
                    ));
                }
            }
        }
    });
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_names_are_recognised_by_their_suffix() {
        assert!(is_id("id") && is_id("tenantId") && is_id("tenant_id"));
        assert!(!is_id("valid") && !is_id("paid") && !is_id("identity"));
        assert!(is_id_list("metricIds") && is_id_list("ids") && !is_id_list("idsOfThings"));
    }
}
