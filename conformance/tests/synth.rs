//! `codegen::synth` on every catalog contract: the events it makes conform, and each mutation
//! of one is rejected, with a violation where the mutation says. Traffic generation and the
//! property tests build on both promises.

use std::path::{Path, PathBuf};

use codegen::examples::{self, Expected};
use codegen::synth::{Rng, Synth};
use coder_events::ContractSet;

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

const EVENTS_PER_CONTRACT: u64 = 100;

#[test]
fn synthesized_events_conform_and_every_mutation_is_rejected_where_it_says() {
    let (_, bundled) = codegen::load(&schemas_dir()).unwrap();
    let (examples, errors) = examples::load_all(&schemas_dir()).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let contracts = ContractSet::compiled();
    let mut mutations = 0;
    for b in &bundled {
        let key = b.contract.key();
        let valid: Vec<&serde_json::Value> = examples
            .iter()
            .filter(|e| e.event_type == b.contract.event_type && e.version == b.contract.version)
            .filter(|e| matches!(e.expected, Expected::Valid))
            .map(|e| &e.event)
            .collect();
        // With the examples, and from the schema alone (a contract with none yet).
        for examples in [valid.clone(), Vec::new()] {
            let synth = Synth::new(&b.schema, examples);
            let mut rng = Rng::new(42);
            for _ in 0..EVENTS_PER_CONTRACT {
                let event = synth.event(&mut rng);
                let index = contracts
                    .position(&b.contract.event_type, &b.contract.version)
                    .expect("compiled in");
                if let Err(violations) = contracts.validate_against(index, &event) {
                    panic!("{key}: synthesized {event} is rejected: {violations:#?}");
                }
                for mutation in synth.mutations(&event) {
                    let violations = contracts
                        .validate_against(index, &mutation.event)
                        .expect_err(&format!("{key}: {mutation:?} is accepted"));
                    assert!(
                        violations
                            .iter()
                            .any(|v| v.instance_path == mutation.instance_path),
                        "{key}: {:?} at {} found {violations:#?}",
                        mutation.kind,
                        mutation.instance_path
                    );
                    mutations += 1;
                }
            }
        }
    }
    assert!(mutations > 0);
}
