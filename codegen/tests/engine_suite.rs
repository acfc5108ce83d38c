//! The engine against the official JSON-Schema-Test-Suite (draft-07, and the 2019-09 `uuid`
//! format cases the contracts assert), read from `../shared/json-schema-test-suite/`, and
//! against `jsonschema` (configured as the contracts' validators are) on the same cases: for
//! every keyword the engine decides, it must give the suite's answer on every case. A case
//! whose schema the engine refuses (a remote reference, a format it does not assert) is
//! counted and named, never silently passed.

use std::path::{Path, PathBuf};

use codegen::engine::keywords::{FORMATS, KEYWORDS};
use codegen::engine::{Program, Tape};
use serde_json::Value;

fn suite() -> PathBuf {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/json-schema-test-suite/tests");
    assert!(
        dir.is_dir(),
        "the JSON-Schema-Test-Suite is not at {} (CI has it at ../shared/json-schema-test-suite): these tests need it",
        dir.display()
    );
    dir
}

fn oracle(schema: &Value) -> Option<jsonschema::Validator> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_format("uuid", codegen::engine::formats::is_uuid)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .offline()
        .build(schema)
        .ok()
}

#[derive(Default, Debug)]
struct Tally {
    cases: usize,
    groups: usize,
    refused: Vec<String>,
    wrong: Vec<String>,
    oracle_differs: Vec<String>,
}

fn run(file: &Path, tally: &mut Tally) {
    let groups: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let mut tape = Tape::new();
    for group in groups {
        let description = group["description"].as_str().unwrap_or_default();
        let program = match Program::compile(&group["schema"]) {
            Ok(program) => program,
            Err(e) => {
                tally.refused.push(format!("{name}: {description}: {e}"));
                continue;
            }
        };
        tally.groups += 1;
        let validator = oracle(&group["schema"]);
        for case in group["tests"].as_array().unwrap() {
            tally.cases += 1;
            let bytes = serde_json::to_vec(&case["data"]).unwrap();
            tape.read(&bytes).unwrap();
            let view = tape.view(&bytes);
            let found = program.is_valid(&view, 0);
            let expected = case["valid"].as_bool().unwrap();
            let label = format!(
                "{name}: {description}: {} ({})",
                case["description"].as_str().unwrap_or_default(),
                case["data"]
            );
            if found != expected {
                tally.wrong.push(format!(
                    "{label}: engine says {found}, the suite {expected}"
                ));
            }
            // The first failure the engine explains is there exactly when it rejects.
            assert_eq!(program.first_failure(&view, 0).is_none(), found, "{label}");
            if let Some(validator) = &validator {
                if validator.is_valid(&case["data"]) != found {
                    tally.oracle_differs.push(label);
                }
            }
        }
    }
}

/// The suite's files for a keyword the engine decides: `<keyword>.json`.
fn keyword_files() -> Vec<PathBuf> {
    let dir = suite().join("draft7");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_engine_gives_the_suites_answer_for_every_keyword_it_decides() {
    let mut tally = Tally::default();
    let mut files = keyword_files();
    for format in FORMATS {
        let file = suite().join(format!("draft7/optional/format/{format}.json"));
        if file.exists() {
            files.push(file);
        }
    }
    files.push(suite().join("draft2019-09/optional/format/uuid.json"));
    for extra in [
        "bignum",
        "ecmascript-regex",
        "float-overflow",
        "non-bmp-regex",
    ] {
        files.push(suite().join(format!("draft7/optional/{extra}.json")));
    }
    for file in &files {
        run(file, &mut tally);
    }
    eprintln!(
        "JSON-Schema-Test-Suite: {} files, {} groups compiled, {} cases; {} groups refused",
        files.len(),
        tally.groups,
        tally.cases,
        tally.refused.len()
    );
    // Refused only for what a bundled contract never holds (a reference leaving the document,
    // an `$id`-relative one) or a format the engine does not assert: never a keyword it decides.
    let expected_refusal = |why: &str| {
        why.contains("leaves the document")
            || why.contains("is not a JSON pointer")
            || why.contains("points at nothing")
            || why.contains("is not one the engine asserts")
    };
    for refused in &tally.refused {
        eprintln!("  refused: {refused}");
        assert!(
            expected_refusal(refused),
            "refused for another reason: {refused}"
        );
    }
    assert!(
        tally.wrong.is_empty(),
        "{} case(s) where the engine differs from the suite:\n{}",
        tally.wrong.len(),
        tally.wrong.join("\n")
    );
    assert!(
        tally.oracle_differs.is_empty(),
        "{} case(s) where the engine differs from jsonschema:\n{}",
        tally.oracle_differs.len(),
        tally.oracle_differs.join("\n")
    );
    // Every keyword the engine decides has cases here that ran.
    for keyword in KEYWORDS.iter().filter(|k| k.engine && !k.annotation) {
        let file = suite().join(format!("draft7/{}.json", keyword.name));
        if file.exists() {
            let mut one = Tally::default();
            run(&file, &mut one);
            assert!(one.cases > 0, "no case of {} ran", keyword.name);
        }
    }
}
