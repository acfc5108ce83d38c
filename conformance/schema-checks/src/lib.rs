//! The checks of the schemas themselves, behind `contracts lint`, `breaking` and `asyncapi`:
//! lint rules (LINT001-LINT017) over a schemas directory, the classification of every change
//! between two states of it (BRK000-BRK026), and the AsyncAPI 3.0 document of the exchange.
//! (`contracts docs` is codegen's.) No broker client and no async runtime are linked.

pub mod asyncapi;
pub mod breaking;
pub mod lint;

/// The rules of `lint` and `breaking`, in that order, for `contracts rules`.
pub fn rule_docs() -> Vec<contracts_findings::RuleDoc> {
    let mut docs = lint::rule_docs();
    docs.extend(breaking::rule_docs());
    docs
}

// The findings framework, under the names this crate's modules use.
use contracts_findings as finding;
use contracts_findings::exit;
