//! Deciding whether events conform, with the engine: [`check_slice`] for one event, and
//! [`ContractSet`] for the contracts a tool checks against (the compiled-in ones, or others
//! known only at run time) with a reusable [`Checker`] for many events.

use std::sync::OnceLock;

use serde_json::Value;

use crate::contract::{dispatch, dispatch_view, Contract, ParseError, Violation};
use crate::engine::{Program, Tape, View};

/// Whether one event conforms to the contract its `type` and `version` name.
#[derive(Debug)]
pub enum Verdict {
    /// It does.
    Conforms(&'static Contract),
    /// It does not: not JSON, not an event, an unknown contract, or the first way it breaks
    /// its contract.
    Invalid(ParseError),
}

impl Verdict {
    pub fn conforms(&self) -> bool {
        matches!(self, Verdict::Conforms(_))
    }
}

/// Whether `bytes` are an event that conforms to the compiled-in contract it names.
pub fn check_slice(bytes: &[u8]) -> Verdict {
    ContractSet::compiled().check_slice(bytes)
}

/// Validates an event against the contract its `type` and `version` name, listing every
/// violation (with the `validate` feature; without it, the first one). An unknown type or
/// version, or a value that is not an event, is a violation too.
pub fn validate(event: &Value) -> Result<(), Vec<Violation>> {
    ContractSet::compiled().validate(event)
}

/// A set of contracts, each with its compiled program.
pub struct ContractSet {
    contracts: Vec<&'static Contract>,
    programs: Vec<Program>,
    /// `jsonschema` per contract, compiled when a rejected event first needs explaining.
    #[cfg(feature = "validate")]
    explainers: Vec<crate::validate::ContractValidator>,
}

impl std::fmt::Debug for ContractSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContractSet")
            .field("contracts", &self.contracts)
            .finish()
    }
}

/// A contract whose schema the engine cannot decide: which, and why.
#[derive(Debug, Clone)]
pub struct SetError {
    pub contract: &'static Contract,
    pub error: crate::engine::CompileError,
}

impl std::fmt::Display for SetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}@{}: {}",
            self.contract.event_type, self.contract.version, self.error
        )
    }
}

impl std::error::Error for SetError {}

impl ContractSet {
    /// The contracts of [`CONTRACTS`](crate::CONTRACTS), compiled on first use.
    pub fn compiled() -> &'static ContractSet {
        static COMPILED: OnceLock<ContractSet> = OnceLock::new();
        COMPILED.get_or_init(|| {
            ContractSet::new(crate::CONTRACTS.iter().collect())
                .expect("every compiled-in contract compiles: cargo xtask codegen checked it")
        })
    }

    /// A set of contracts known at run time, each schema compiled now.
    pub fn new(contracts: Vec<&'static Contract>) -> Result<ContractSet, SetError> {
        let programs = contracts
            .iter()
            .map(|contract| {
                let schema: Value = serde_json::from_str(contract.schema).map_err(|e| SetError {
                    contract,
                    error: crate::engine::CompileError {
                        pointer: String::new(),
                        message: format!("the schema is not JSON: {e}"),
                    },
                })?;
                Program::compile(&schema).map_err(|error| SetError { contract, error })
            })
            .collect::<Result<_, _>>()?;
        Ok(ContractSet {
            #[cfg(feature = "validate")]
            explainers: contracts
                .iter()
                .map(|c| crate::validate::ContractValidator::new(c))
                .collect(),
            contracts,
            programs,
        })
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

    /// The `jsonschema` validator of the contract at `index`: the explainer.
    #[cfg(feature = "validate")]
    pub fn explainer(&self, index: usize) -> &crate::validate::ContractValidator {
        &self.explainers[index]
    }

    /// The program of the contract at `index`.
    pub fn program(&self, index: usize) -> &Program {
        &self.programs[index]
    }

    fn index_of(&self, contract: &'static Contract) -> usize {
        self.contracts
            .iter()
            .position(|c| std::ptr::eq(*c, contract))
            .expect("dispatch returns a contract of the set")
    }

    /// The contract an event's `type` and `version` name, by index.
    pub fn dispatch(&self, event: &Value) -> Result<usize, ParseError> {
        let field = |name: &str| match event.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(ParseError::NotAnEvent(format!("field {name:?} is not a string"))),
        };
        if !event.is_object() {
            return Err(ParseError::NotAnEvent("not a JSON object".into()));
        }
        let contract = dispatch(self.contracts.iter().copied(), field("type")?, field("version")?)?;
        Ok(self.index_of(contract))
    }

    /// The contract the value at `at` on a tape names, by index.
    pub fn dispatch_view(&self, view: &View<'_>, at: usize) -> Result<usize, ParseError> {
        let contract = dispatch_view(self.contracts.iter().copied(), view, at)?;
        Ok(self.index_of(contract))
    }

    /// Whether the value at `at` conforms to the contract it names (by index), and if not, the
    /// first way it does not. A repeated key anywhere in the document fails it.
    pub fn judge(&self, view: &View<'_>, at: usize) -> Result<usize, ParseError> {
        self.judge_with(view, at, |program| program.is_valid(view, at))
    }

    /// [`judge`](Self::judge), and for a conforming value the optional fields it has, as
    /// [`Program::fields_present`] finds them, read in the same pass.
    pub fn judge_covering(
        &self,
        view: &View<'_>,
        at: usize,
        present: &mut Vec<u64>,
    ) -> Result<usize, ParseError> {
        self.judge_with(view, at, |program| {
            program.is_valid_covering(view, at, present)
        })
    }

    fn judge_with(
        &self,
        view: &View<'_>,
        at: usize,
        is_valid: impl FnOnce(&Program) -> bool,
    ) -> Result<usize, ParseError> {
        let index = self.dispatch_view(view, at)?;
        let contract = self.contracts[index];
        if let Some((pointer, key)) = view.duplicate_key(at) {
            return Err(ParseError::Contract {
                contract,
                violation: Violation::duplicate_key(pointer, key),
            });
        }
        let program = &self.programs[index];
        if is_valid(program) {
            return Ok(index);
        }
        let failure = program
            .first_failure(view, at)
            .expect("a program explains what it rejects");
        Err(ParseError::Contract {
            contract,
            violation: Violation::from_failure(failure),
        })
    }

    /// Whether `bytes` are an event conforming to the contract it names.
    pub fn check_slice(&self, bytes: &[u8]) -> Verdict {
        let mut tape = Tape::new();
        if let Err(e) = read(&mut tape, bytes) {
            return Verdict::Invalid(e);
        }
        match self.judge(&tape.view(bytes), 0) {
            Ok(index) => Verdict::Conforms(self.contracts[index]),
            Err(e) => Verdict::Invalid(e),
        }
    }

    /// A checker reusing one tape for many events.
    pub fn checker(&self) -> Checker<'_> {
        Checker {
            set: self,
            tape: Tape::new(),
        }
    }

    /// Validates an event against the contract it names: the engine decides, and a rejected
    /// event gets every violation `jsonschema` lists (with the `validate` feature; without
    /// it, the engine's first).
    pub fn validate(&self, event: &Value) -> Result<(), Vec<Violation>> {
        let index = self
            .dispatch(event)
            .map_err(|e| vec![Violation::from_parse_error(&e)])?;
        let bytes = serde_json::to_vec(event).expect("a Value always serializes");
        let mut tape = Tape::new();
        read(&mut tape, &bytes).map_err(|e| vec![Violation::from_parse_error(&e)])?;
        let view = tape.view(&bytes);
        match self.judge(&view, 0) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.explain(index, event, e)),
        }
    }

    /// Validates an event against the contract at `index`, whatever contract the event names
    /// (an example of a wrong `type` is checked against the contract it illustrates): the
    /// engine decides, the explainer lists.
    pub fn validate_against(&self, index: usize, event: &Value) -> Result<(), Vec<Violation>> {
        let bytes = serde_json::to_vec(event).expect("a Value always serializes");
        let mut tape = Tape::new();
        read(&mut tape, &bytes).map_err(|e| vec![Violation::from_parse_error(&e)])?;
        let view = tape.view(&bytes);
        let contract = self.contracts[index];
        let rejected = if let Some((pointer, key)) = view.duplicate_key(0) {
            Violation::duplicate_key(pointer, key)
        } else {
            match self.programs[index].first_failure(&view, 0) {
                None => return Ok(()),
                Some(failure) => Violation::from_failure(failure),
            }
        };
        Err(self.explain(
            index,
            event,
            ParseError::Contract {
                contract,
                violation: rejected,
            },
        ))
    }

    /// Every violation of the event `value` that [`judge`](Self::judge) rejected with
    /// `rejected`: the explainer's list (a repeated key, which a `Value` cannot hold, first),
    /// or the engine's own violation when the list is empty.
    pub fn violations(&self, value: &Value, rejected: &ParseError) -> Vec<Violation> {
        match rejected {
            ParseError::Contract {
                contract,
                violation,
            } => {
                let index = self.index_of(contract);
                let mut found = Vec::new();
                if violation.kind == crate::ViolationKind::DuplicateKey {
                    found.push(violation.clone());
                }
                #[cfg(feature = "validate")]
                found.extend(self.explainers[index].violations(value));
                let _ = (index, value);
                if found.is_empty() {
                    found.push(violation.clone());
                }
                found
            }
            other => vec![Violation::from_parse_error(other)],
        }
    }

    /// Every violation of a rejected event: `jsonschema`'s list, or the engine's first when
    /// the list is empty (a repeated key, which a `Value` cannot hold) or `jsonschema` is not
    /// compiled in.
    #[allow(unused_variables)]
    fn explain(&self, index: usize, event: &Value, rejected: ParseError) -> Vec<Violation> {
        #[cfg(feature = "validate")]
        {
            let listed = self.explainers[index].violations(event);
            if !listed.is_empty() {
                return listed;
            }
        }
        vec![Violation::from_parse_error(&rejected)]
    }
}

/// Reads `bytes` into `tape`, as a parse error when they are not one JSON document.
pub(crate) fn read(tape: &mut Tape, bytes: &[u8]) -> Result<(), ParseError> {
    tape.read(bytes).map_err(|e| match e {
        crate::engine::TapeError::Json(e) => ParseError::Json(e),
        other => ParseError::NotAnEvent(other.to_string()),
    })
}

/// Checks many events with one tape.
pub struct Checker<'s> {
    set: &'s ContractSet,
    tape: Tape,
}

impl Checker<'_> {
    /// Reads `bytes` into the tape: then [`View`]s of it answer everything about them.
    pub fn read(&mut self, bytes: &[u8]) -> Result<(), crate::engine::TapeError> {
        self.tape.read(bytes)
    }

    /// The tape of the last bytes read.
    pub fn view<'a>(&'a self, bytes: &'a [u8]) -> View<'a> {
        self.tape.view(bytes)
    }

    pub fn set(&self) -> &ContractSet {
        self.set
    }
}
