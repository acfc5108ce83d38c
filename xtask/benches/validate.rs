//! Per-event cost of the generated crate's paths on every valid example of every contract:
//! `cargo bench -p xtask --bench validate`. Prints a Markdown table for the README: parsing to
//! a `Value` (the floor a `Value`-based validator starts from), the engine deciding from bytes
//! (`check_slice`, and with a reused tape), the typed parse, and jsonschema's `is_valid` on a
//! parsed `Value` (the explainer, for comparison).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn main() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let rounds: u32 = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200_000);
    let set = coder_events::ContractSet::compiled();
    println!("| contract | parse to Value | engine (check_slice) | engine, tape reused | Event::from_slice | jsonschema is_valid (parsed) |");
    println!("|---|---|---|---|---|---|");
    for (index, contract) in set.contracts().iter().enumerate() {
        let dir = schemas.join(format!(
            "contracts/{}/{}/examples/valid",
            contract.event_type, contract.version
        ));
        let mut bodies: Vec<Vec<u8>> = std::fs::read_dir(&dir)
            .expect("examples directory")
            .map(|e| std::fs::read(e.expect("entry").path()).expect("example"))
            .collect();
        bodies.sort();
        let values: Vec<serde_json::Value> = bodies
            .iter()
            .map(|b| serde_json::from_slice(b).expect("JSON"))
            .collect();
        let explainer = set.explainer(index).validator();
        let per_event = |f: &mut dyn FnMut(usize)| {
            let started = Instant::now();
            for round in 0..rounds {
                f(round as usize % bodies.len());
            }
            started.elapsed().as_nanos() as f64 / f64::from(rounds)
        };
        let parse = per_event(&mut |i| {
            black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(&bodies[i])).expect("JSON"),
            );
        });
        let engine = per_event(&mut |i| {
            assert!(coder_events::check_slice(black_box(&bodies[i])).conforms());
        });
        let mut checker = set.checker();
        let reused = per_event(&mut |i| {
            let bytes = black_box(&bodies[i]);
            checker.read(bytes).expect("JSON");
            assert!(set.judge(&checker.view(bytes), 0).is_ok());
        });
        let typed = per_event(&mut |i| {
            black_box(coder_events::Event::from_slice(black_box(&bodies[i])).expect("typed"));
        });
        let oracle = per_event(&mut |i| assert!(explainer.is_valid(black_box(&values[i]))));
        println!(
            "| `{}@{}` | {parse:.0} ns | {engine:.0} ns | {reused:.0} ns | {typed:.0} ns | {oracle:.0} ns |",
            contract.event_type, contract.version
        );
    }
}
