//! Schema validation: one validator per contract, compiled once from its embedded bundled schema,
//! and [`validate`] dispatching on `type` and `version`.

use std::sync::OnceLock;

use serde_json::Value;

use crate::contract::{dispatch_value, Contract, ParseError};

/// What a violation is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ViolationKind {
    /// The event breaks its contract's schema.
    Schema,
    /// The value is not an object with string `type` and `version`.
    NotAnEvent,
    /// No contract has the event's `type`.
    UnknownType,
    /// The `type` is known, but not at this `version`.
    UnknownVersion,
}

/// One way an event breaks its contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub kind: ViolationKind,
    /// JSON pointer to the offending part of the event (`""` is the whole event).
    pub instance_path: String,
    /// JSON pointer to the keyword in the contract's bundled schema (`""` when no schema applies).
    pub schema_path: String,
    /// The JSON Schema keyword that failed (`required`, `format`, ...), or `type`/`version` for
    /// an unknown contract.
    pub keyword: String,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.instance_path.is_empty() { "/" } else { &self.instance_path };
        write!(f, "{at}: {} ({})", self.message, self.keyword)
    }
}

impl Violation {
    fn from_parse_error(error: ParseError) -> Violation {
        let (kind, instance_path, keyword) = match &error {
            ParseError::UnknownType { .. } => (ViolationKind::UnknownType, "/type", "type"),
            ParseError::UnknownVersion { .. } => (ViolationKind::UnknownVersion, "/version", "version"),
            _ => (ViolationKind::NotAnEvent, "", "type"),
        };
        Violation {
            kind,
            instance_path: instance_path.to_string(),
            schema_path: String::new(),
            keyword: keyword.to_string(),
            message: error.to_string(),
        }
    }
}

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

/// The validator of one contract, compiled on first use.
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

    pub fn is_valid(&self, event: &Value) -> bool {
        self.validator().is_valid(event)
    }

    /// Every way `event` breaks this contract.
    pub fn validate(&self, event: &Value) -> Result<(), Vec<Violation>> {
        let violations: Vec<Violation> = self
            .validator()
            .iter_errors(event)
            .map(|error| Violation {
                kind: ViolationKind::Schema,
                instance_path: error.instance_path().to_string(),
                schema_path: error.schema_path().to_string(),
                keyword: error.kind().keyword().to_string(),
                message: error.to_string(),
            })
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(violations)
        }
    }
}

/// The validator of the contract with this `type` and `version`.
pub fn validator_for(event_type: &str, version: &str) -> Option<&'static ContractValidator> {
    crate::VALIDATORS
        .iter()
        .find(|v| v.contract.event_type == event_type && v.contract.version == version)
}

/// Validates an event against the contract its `type` and `version` name. An unknown type or
/// version, or a value that is not an event, is reported as a violation too.
pub fn validate(event: &Value) -> Result<(), Vec<Violation>> {
    ContractSet::compiled().validate(event)
}

/// The contracts events are validated against: the ones compiled into this crate
/// ([`ContractSet::compiled`]), or others known only at run time (a tool reading a schemas
/// directory builds them with [`ContractSet::new`]).
#[derive(Debug)]
pub struct ContractSet {
    contracts: Vec<&'static Contract>,
    validators: Vec<&'static ContractValidator>,
}

impl ContractSet {
    /// The contracts of [`CONTRACTS`](crate::CONTRACTS), with the validators of
    /// [`VALIDATORS`](crate::VALIDATORS).
    pub fn compiled() -> &'static ContractSet {
        static COMPILED: OnceLock<ContractSet> = OnceLock::new();
        COMPILED.get_or_init(|| ContractSet {
            contracts: crate::CONTRACTS.iter().collect(),
            validators: crate::VALIDATORS.iter().collect(),
        })
    }

    /// A set of contracts known at run time. Their validators live as long as the program
    /// (a process loads its contracts once).
    pub fn new(contracts: Vec<&'static Contract>) -> ContractSet {
        let validators = contracts
            .iter()
            .map(|c| &*Box::leak(Box::new(ContractValidator::new(c))))
            .collect();
        ContractSet {
            contracts,
            validators,
        }
    }

    /// The contracts, in catalog order.
    pub fn contracts(&self) -> &[&'static Contract] {
        &self.contracts
    }

    /// The index of the contract with this `type` and `version`.
    pub fn position(&self, event_type: &str, version: &str) -> Option<usize> {
        self.contracts
            .iter()
            .position(|c| c.event_type == event_type && c.version == version)
    }

    /// The validator of the contract at `index`.
    pub fn validator(&self, index: usize) -> &'static ContractValidator {
        self.validators[index]
    }

    /// The contract an event's `type` and `version` name, by index.
    pub fn dispatch(&self, event: &Value) -> Result<usize, ParseError> {
        let contract = dispatch_value(self.contracts.iter().copied(), event)?;
        Ok(self
            .contracts
            .iter()
            .position(|c| std::ptr::eq(*c, contract))
            .expect("dispatch returns a contract of the set"))
    }

    /// Validates an event against the contract its `type` and `version` name. An unknown type
    /// or version, or a value that is not an event, is reported as a violation too.
    pub fn validate(&self, event: &Value) -> Result<(), Vec<Violation>> {
        let index = self
            .dispatch(event)
            .map_err(|e| vec![Violation::from_parse_error(e)])?;
        self.validators[index].validate(event)
    }
}
