//! The conformance harness behind the `contracts` binary: checks documented examples (and,
//! later, recorded traffic and logs) against every contract.

pub mod examples;
