//! LINT001 meta-schema: a schema file that is not JSON, or not a draft-07 schema, means nothing
//! to the validators and the codegen; every meta-schema violation is reported where it is.

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT001",
        name: "meta-schema",
        purpose: "Every schema file is JSON and valid against the draft-07 meta-schema.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let meta = jsonschema::draft7::meta::validator();
    let mut hits = Vec::new();
    for file in &context.schema_files {
        match &file.parsed {
            Err((line, cause)) => hits.push(Hit {
                line: Some(*line).filter(|l| *l > 0),
                ..Hit::at(&file.path, "", format!("not JSON: {cause}"))
            }),
            Ok(schema) => {
                for error in meta.iter_errors(schema) {
                    hits.push(Hit::at(
                        &file.path,
                        error.instance_path().as_str(),
                        format!("not a valid draft-07 schema: {error}"),
                    ));
                }
            }
        }
    }
    hits
}
