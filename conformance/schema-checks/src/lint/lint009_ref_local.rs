//! LINT009 ref-local: the codegen and the validators never fetch anything, so a `$ref` must
//! name a file inside `schemas/`. Found by bundling each file as the codegen does, which stops
//! at the first such reference in a file.

use codegen::ErrorKind;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT009",
        name: "ref-local",
        purpose: "No `$ref` names a URL or resolves outside the schemas directory.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    context
        .schema_files
        .iter()
        .filter_map(|file| file.bundled.as_ref().err())
        .filter(|e| matches!(e.kind, ErrorKind::RefUrl | ErrorKind::RefOutsideSchemas))
        .map(|e| Hit {
            line: e.line,
            ..Hit::at(&e.file, e.pointer.clone().unwrap_or_default(), &e.message)
        })
        .collect()
}
