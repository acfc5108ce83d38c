//! Per-event cost of the generated crate's two paths on every valid example:
//! `cargo bench -p xtask --bench validate`. Prints a Markdown table for the README.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

fn main() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let rounds: u32 = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200_000);
    println!("| contract | parse to Value | Event::from_slice | is_valid | validate() |");
    println!("|---|---|---|---|---|");
    for contract in &coder_events::CONTRACTS {
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
        let validator =
            coder_events::validator_for(contract.event_type, contract.version).expect("validator");
        validator.is_valid(&values[0]); // compile outside the timing
        let per_event = |f: &dyn Fn(usize)| {
            let started = Instant::now();
            for round in 0..rounds {
                f(round as usize % bodies.len());
            }
            started.elapsed().as_nanos() as f64 / f64::from(rounds)
        };
        let parse = per_event(&|i| {
            black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(&bodies[i])).expect("JSON"),
            );
        });
        let typed = per_event(&|i| {
            black_box(coder_events::Event::from_slice(black_box(&bodies[i])).expect("typed"));
        });
        let is_valid = per_event(&|i| assert!(validator.is_valid(black_box(&values[i]))));
        let validate = per_event(&|i| assert!(validator.validate(black_box(&values[i])).is_ok()));
        println!(
            "| `{}@{}` | {parse:.0} ns | {typed:.0} ns | {is_valid:.0} ns | {validate:.0} ns |",
            contract.event_type, contract.version
        );
    }
}
