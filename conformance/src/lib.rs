//! The conformance harness behind the `contracts` binary: checks recorded deliveries, logs and
//! the documented examples against every contract, by rules with stable IDs, and reports in
//! text, JSON, JUnit or GitHub annotations; lints schemas, classifies schema changes, and
//! generates the event documentation and the AsyncAPI document.

pub mod app;
pub mod asyncapi;
pub mod breaking;
pub mod broker;
pub mod check;
pub mod cli;
pub mod contract_set;
pub mod examples_check;
pub mod finding;
pub mod input;
pub mod lint;
pub mod output;
pub mod report;
pub mod rules;
pub mod schema_checks;
