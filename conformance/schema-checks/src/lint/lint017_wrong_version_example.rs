//! LINT017 wrong-version-example: an invalid example labelled at `/version` shows the contract
//! refusing a version that is not its own. If the catalog has a contract at that version, the
//! example is an event of that other contract (dispatched to it by every consumer), not a
//! wrong version; it must carry a version no contract of its type has.

use serde_json::Value;

use super::{Context, Hit, LintRule};
use crate::finding::{Family, RuleDoc, Severity};

pub const RULE: LintRule = LintRule {
    doc: RuleDoc {
        id: "LINT017",
        name: "wrong-version-example",
        purpose: "An example labelled with a wrong version carries a version the catalog does not have for its type.",
        default_severity: Severity::Error,
        family: Family::Lint,
    },
    check,
};

fn check(context: &Context) -> Vec<Hit> {
    let Ok((examples, _)) = codegen::examples::load_all(&context.root) else {
        // The catalog does not load; LINT013 and LINT014 say why.
        return Vec::new();
    };
    let contracts = context.contracts();
    let mut hits = Vec::new();
    for example in &examples {
        let codegen::examples::Expected::Invalid { violation, .. } = &example.expected else {
            continue;
        };
        if violation.instance_path != "/version" {
            continue;
        }
        let Some(Value::String(version)) = example.event.get("version") else {
            continue;
        };
        let exists = contracts
            .iter()
            .any(|c| c.event_type == example.event_type && &c.version == version);
        if exists {
            let file = example
                .path
                .strip_prefix(&context.root)
                .unwrap_or(&example.path);
            hits.push(Hit::at(
                file,
                "/event/version",
                format!(
                    "labelled a wrong version, but {} {version} is in the catalog: use a version it does not have, such as 0.0",
                    example.event_type
                ),
            ));
        }
    }
    hits
}
