//! `contracts examples`: every documented example must get its labelled answer: a valid one
//! passes validation against the schemas it sits beside, an invalid one fails its own contract
//! with exactly its labelled (instancePath, keyword) and nothing else.

use std::io::{self, Write};
use std::path::Path;

use coder_events::ContractSet;

use crate::exit::Exit;
use codegen::examples::{self, Example, ExampleError, Expected};

/// What checking the examples found.
pub struct ExamplesOutcome {
    pub checked: usize,
    /// One line per example that did not get its labelled answer.
    pub mismatches: Vec<String>,
    pub unreadable: Vec<ExampleError>,
}

impl ExamplesOutcome {
    /// Trouble when an example could not be read, findings on a mismatch, clean otherwise.
    pub fn exit_code(&self) -> Exit {
        if !self.unreadable.is_empty() {
            Exit::Trouble
        } else if !self.mismatches.is_empty() {
            Exit::Findings
        } else {
            Exit::Clean
        }
    }

    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        for error in &self.unreadable {
            writeln!(out, "unreadable: {error}")?;
        }
        for mismatch in &self.mismatches {
            writeln!(out, "mismatch: {mismatch}")?;
        }
        writeln!(
            out,
            "examples: {} checked, {} as labelled, {} mismatched, {} unreadable",
            self.checked,
            self.checked - self.mismatches.len(),
            self.mismatches.len(),
            self.unreadable.len()
        )
    }
}

/// Checks every example of the schemas directory against that directory's own schemas (not the
/// contracts compiled into this binary).
pub fn check_examples(schemas_dir: &Path) -> Result<ExamplesOutcome, codegen::Error> {
    let (examples, unreadable) = examples::load_all(schemas_dir)?;
    let contracts = crate::contract_set::load(schemas_dir)?;
    let mismatches = examples
        .iter()
        .filter_map(|example| mismatch(example, schemas_dir, &contracts))
        .collect();
    Ok(ExamplesOutcome {
        checked: examples.len(),
        mismatches,
        unreadable,
    })
}

/// Why `example` does not get its labelled answer, if it does not.
fn mismatch(example: &Example, schemas_dir: &Path, contracts: &ContractSet) -> Option<String> {
    let name = example
        .path
        .strip_prefix(schemas_dir)
        .unwrap_or(&example.path)
        .display();
    let describe = |violations: &[coder_events::Violation]| {
        violations
            .iter()
            .map(|v| format!("({}, {}): {}", v.instance_path, v.keyword, v.message))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match &example.expected {
        Expected::Valid => match contracts.validate(&example.event) {
            Ok(()) => None,
            Err(violations) => Some(format!(
                "{name}: a valid example is rejected: {}",
                describe(&violations)
            )),
        },
        Expected::Invalid { violation, .. } => {
            // Against the example's own contract: a wrong `type` or `version` is a `const`
            // violation there, where `validate` would dispatch to another contract or none.
            let Some(index) = contracts.position(&example.event_type, &example.version) else {
                return Some(format!(
                    "{name}: no validator for {} {}",
                    example.event_type, example.version
                ));
            };
            let found = contracts
                .validate_against(index, &example.event)
                .err()
                .unwrap_or_default();
            let exactly_the_label = matches!(
                found.as_slice(),
                [only] if only.instance_path == violation.instance_path && only.keyword == violation.keyword
            );
            (!exactly_the_label).then(|| {
                format!(
                    "{name}: labelled ({}, {}), found [{}]",
                    violation.instance_path,
                    violation.keyword,
                    describe(&found)
                )
            })
        }
    }
}
