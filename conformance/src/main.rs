//! `contracts`: checks events against the coder.events contracts.

fn main() {}
