//! The traffic checker behind `contracts check`, `validate` and `examples`: reads captures of
//! every supported format (`input`, with the recording format's model in `recording`), judges
//! each record with the generated engine (`check`) by the CT rules (`rules`), and reports in
//! text, JSON, JUnit or GitHub annotations (`report`). It links no broker client: the live
//! side (`contracts-broker`) builds on it.

pub mod check;
pub mod contract_set;
pub mod contracts;
pub mod examples_check;
pub mod input;
pub mod recording;
pub mod report;
pub mod rules;

// The findings framework, under the names this crate's modules use.
use contracts_findings as finding;
use contracts_findings::exit;
