//! Coverage read in the evaluator's pass (`Program::is_valid_covering`, what `contracts check`
//! uses) against coverage's own walk (`Program::fields_present`): on every conforming event
//! they find the same optional fields, and both passes decide the same. The events are every
//! example of the catalog and events synthesized for every contract with their mutations,
//! written as they are and with every object's keys in reverse order.

use std::path::{Path, PathBuf};

use codegen::engine::{Program, Tape};
use codegen::synth::{Rng, Synth};
use serde_json::Value;

mod spelling;
use spelling::keys_reversed;

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

#[test]
fn the_evaluators_pass_finds_the_fields_coverage_walks_to() {
    let (examples, _) = codegen::examples::load_all(&schemas_dir()).expect("the catalog loads");
    let (_, bundled) = codegen::load(&schemas_dir()).expect("the catalog loads");
    let mut rng = Rng::new(23);
    let (mut conforming, mut with_fields) = (0, 0);
    let mut tape = Tape::new();
    for b in &bundled {
        let program = Program::compile(&b.schema).expect("the contract compiles");
        let synth = Synth::new(&b.schema, Vec::new());
        let mut events: Vec<Value> = examples.iter().map(|e| e.event.clone()).collect();
        for _ in 0..40 {
            let event = synth.event(&mut rng);
            events.extend(synth.mutations(&event).into_iter().map(|m| m.event));
            events.push(event);
        }
        for event in &events {
            for text in [
                serde_json::to_vec(event).unwrap(),
                keys_reversed(event).into_bytes(),
            ] {
                tape.read(&text).expect("an event is JSON");
                let view = tape.view(&text);
                let (mut walked, mut passed) = (Vec::new(), Vec::new());
                let valid = program.is_valid_covering(&view, 0, &mut passed);
                assert_eq!(valid, program.is_valid(&view, 0), "{event}");
                if valid {
                    program.fields_present(&view, 0, &mut walked);
                    assert_eq!(passed, walked, "{} on {event}", b.contract.rust_name);
                    conforming += 1;
                    with_fields += usize::from(walked.iter().any(|w| *w != 0));
                }
            }
        }
    }
    assert!(conforming > 200, "{conforming}");
    assert!(with_fields > 100, "{with_fields}");
}
