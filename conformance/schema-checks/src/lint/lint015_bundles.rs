//! LINT015 bundles: each schema file must bundle as the codegen bundles a contract: every
//! reference resolves to a definition, and no two files supply a definition of one name.

use codegen::ErrorKind;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT015",
        name: "bundles",
        purpose:
            "Every schema file bundles: each `$ref` resolves to a definition, names never clash.",
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
        // URLs and escapes are LINT009's; a file that is not JSON is LINT001's.
        .filter(|e| {
            !matches!(
                e.kind,
                ErrorKind::RefUrl | ErrorKind::RefOutsideSchemas | ErrorKind::Json | ErrorKind::Io
            )
        })
        .map(|e| Hit {
            line: e.line,
            ..Hit::at(&e.file, e.pointer.clone().unwrap_or_default(), &e.message)
        })
        .collect()
}
