//! LINT002 schema-header: a schema file says which dialect it is written in (the validators
//! and the codegen read draft-07 only) and has a title for documentation and tools.

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT002",
        name: "schema-header",
        purpose: "A schema file's root declares `$schema` draft-07 and has a `title`.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

/// The draft-07 meta-schema URI, with and without its empty fragment.
const DRAFT_07: [&str; 2] = [
    "http://json-schema.org/draft-07/schema#",
    "http://json-schema.org/draft-07/schema",
];

fn check(context: &Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    for file in &context.schema_files {
        let Ok(root) = &file.parsed else { continue };
        match root.get("$schema") {
            None => hits.push(Hit::at(
                &file.path,
                "",
                format!("has no \"$schema\"; declare {:?}", DRAFT_07[0]),
            )),
            Some(value) if !DRAFT_07.iter().any(|d| value == d) => hits.push(Hit::at(
                &file.path,
                "/$schema",
                format!(
                    "\"$schema\" is {value}; the validators and the codegen read only {:?}",
                    DRAFT_07[0]
                ),
            )),
            Some(_) => {}
        }
        let has_title = root
            .get("title")
            .and_then(|t| t.as_str())
            .is_some_and(|t| !t.trim().is_empty());
        if !has_title {
            hits.push(Hit::at(&file.path, "", "has no \"title\""));
        }
    }
    hits
}
