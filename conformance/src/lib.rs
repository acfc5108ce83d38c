//! The conformance harness behind the `contracts` binary: checks recorded deliveries, logs and
//! the documented examples against every contract, by rules with stable IDs, and reports in
//! text, JSON, JUnit or GitHub annotations; lints schemas, classifies schema changes, and
//! generates the event documentation and the AsyncAPI document.

pub mod asyncapi;
pub mod breaking;
pub mod broker;
pub mod check;
pub mod contract_set;
pub mod contracts;
pub mod examples_check;
pub mod exit;
pub mod finding;
pub mod input;
pub mod lint;
pub mod recording;
pub mod report;
pub mod rules;
