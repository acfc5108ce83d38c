//! The explainer: `jsonschema` lists every violation of an event the engine rejected (the
//! engine stops at the first). Compiled once per contract, from its embedded bundled schema,
//! as the tests' oracle is.

use std::sync::OnceLock;

use serde_json::Value;

use crate::contract::{Contract, Violation, ViolationKind};

/// The options every contract validator is built with: draft-07, formats asserted (with a
/// `uuid` check registered, which draft-07 would otherwise ignore), a linear-time regex engine,
/// and no reference ever fetched.
pub fn options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_format("uuid", crate::formats::is_uuid)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .offline()
}

/// The `jsonschema` validator of one contract, compiled on first use.
#[derive(Debug)]
pub struct ContractValidator {
    contract: &'static Contract,
    compiled: OnceLock<jsonschema::Validator>,
}

impl ContractValidator {
    /// The validator of `contract`, compiled from its bundled schema on first use.
    pub const fn new(contract: &'static Contract) -> Self {
        ContractValidator {
            contract,
            compiled: OnceLock::new(),
        }
    }

    pub fn contract(&self) -> &'static Contract {
        self.contract
    }

    /// The compiled `jsonschema` validator.
    pub fn validator(&self) -> &jsonschema::Validator {
        self.compiled.get_or_init(|| {
            let schema: Value = serde_json::from_str(self.contract.schema)
                .expect("embedded schema is JSON: checked by cargo xtask codegen");
            options()
                .build(&schema)
                .expect("embedded schema compiles: checked by the crate's tests")
        })
    }

    /// Every way `event` breaks this contract, as `jsonschema` finds them.
    pub fn violations(&self, event: &Value) -> Vec<Violation> {
        self.validator()
            .iter_errors(event)
            .map(|error| Violation {
                kind: ViolationKind::Schema,
                instance_path: error.instance_path().to_string(),
                schema_path: error.schema_path().to_string(),
                keyword: error.kind().keyword().to_string(),
                message: error.to_string(),
            })
            .collect()
    }
}

/// The validator of the compiled-in contract with this `type` and `version`.
pub fn validator_for(event_type: &str, version: &str) -> Option<&'static ContractValidator> {
    crate::VALIDATORS
        .iter()
        .find(|v| v.contract.event_type == event_type && v.contract.version == version)
}
