//! LINT016 placeholder-left: `cargo xtask new-version` and `new-contract` write
//! `TODO(scaffold)` where only a person knows what to say; none may reach a published contract.

use std::path::Path;

use codegen::catalog::CATALOG_FILE;
use codegen::walk::escape;
use serde_json::Value;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT016",
        name: "placeholder-left",
        purpose: "No text the scaffold left to fill in (TODO(scaffold)) remains in the catalog or a schema.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    // The catalog as written: the rule reports what a person sees in the file.
    let catalog = std::fs::read_to_string(context.root.join(CATALOG_FILE))
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok());
    if let Some(catalog) = &catalog {
        find(catalog, "", Path::new(CATALOG_FILE), &mut hits);
    }
    for file in &context.schema_files {
        if let Ok(schema) = &file.parsed {
            find(schema, "", &file.path, &mut hits);
        }
    }
    hits
}

fn find(value: &Value, pointer: &str, file: &Path, hits: &mut Vec<Hit>) {
    match value {
        Value::String(text) if text.contains(codegen::PLACEHOLDER) => hits.push(Hit::at(
            file,
            pointer,
            format!("still says {text:?}: write what belongs here"),
        )),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find(item, &format!("{pointer}/{i}"), file, hits);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                find(item, &format!("{pointer}/{}", escape(key)), file, hits);
            }
        }
        _ => {}
    }
}
