//! The conformance harness behind the `contracts` binary: checks recorded deliveries, logs and
//! the documented examples against every contract, by rules with stable IDs, and reports in
//! text, JSON, JUnit or GitHub annotations.

pub mod app;
pub mod check;
pub mod cli;
pub mod examples;
pub mod examples_check;
pub mod input;
pub mod output;
pub mod report;
pub mod rules;
