//! LINT014 catalog-valid: the catalog is read by the codegen, which refuses duplicates, bad
//! Rust names, a routing key other than the type, a foreign exchange, an unknown owner, and
//! names that become paths (module names, types, versions) unless they are plain names.

use codegen::catalog::CATALOG_FILE;

use super::{lint013_missing_file, Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT014",
        name: "catalog-valid",
        purpose: "catalog.json is readable and passes the codegen's consistency checks.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    match &context.catalog {
        Err((line, cause)) => vec![Hit {
            line: *line,
            ..Hit::at(
                CATALOG_FILE,
                "",
                format!("cannot be read as the catalog: {cause}"),
            )
        }],
        // The codegen's checks stop at the first missing file, which LINT013 reports already;
        // run them only once every file is there, so each problem is reported once.
        Ok(_) if !lint013_missing_file::all_present(context) => Vec::new(),
        Ok(catalog) => catalog
            .problems(&context.root, &context.root.join(CATALOG_FILE))
            .into_iter()
            .map(|e| Hit {
                line: e.line,
                ..Hit::at(CATALOG_FILE, e.pointer.unwrap_or_default(), e.message)
            })
            .collect(),
    }
}
