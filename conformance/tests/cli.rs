//! The `contracts` binary end to end: the sample recordings, every report format, the
//! examples, rule settings, and bad input of every kind, each reported with where it is while
//! the run goes on.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use contracts_traffic::rules::RULES;
use serde_json::{json, Value};
use tempfile::TempDir;

const CRATE_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The schemas the sample recordings were made against, frozen (its README says why): tests of
/// reports over the recordings check against these, not the live catalog, so a new contract or
/// version changes none of them.
const FIXTURE_SCHEMAS: &str = "tests/fixtures/recordings-schemas";

/// The binary, run from the crate directory so that reports name files relative to it.
fn contracts() -> Command {
    let mut command = cargo_bin_cmd!("contracts");
    command.current_dir(CRATE_DIR);
    command
}

/// Runs `contracts` with `args`, returning its exit code and its JSON report.
fn json_report(command: &mut Command) -> (i32, Value) {
    let output = command.arg("--format").arg("json").output().expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_accounting_holds(&report);
    (output.status.code().expect("exit code"), report)
}

/// records = conforming + violating + unreadable, and each result is counted in exactly one.
fn assert_accounting_holds(report: &Value) {
    let summary = &report["summary"];
    let count = |name: &str| summary[name].as_u64().expect(name);
    assert_eq!(
        count("records"),
        count("conforming") + count("violating") + count("unreadable"),
        "{summary}"
    );
    let results = report["results"].as_array().expect("results");
    assert_eq!(results.len() as u64, count("records"));
    let unreadable = results.iter().filter(|r| r.get("unreadable").is_some());
    assert_eq!(unreadable.count() as u64, count("unreadable"));
    let conforming = results.iter().filter(|r| r["conforms"] == json!(true));
    assert_eq!(conforming.count() as u64, count("conforming"));
}

/// The rule IDs found, with how many times each.
fn rule_counts(report: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for result in report["results"].as_array().expect("results") {
        for violation in result["violations"].as_array().expect("violations") {
            let rule = violation["rule"].as_str().expect("rule").to_string();
            *counts.entry(rule).or_default() += 1;
        }
    }
    counts
}

/// The results of the records of `file` (as the report names it).
fn results_of<'a>(report: &'a Value, file: &str) -> Vec<&'a Value> {
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["source"]["file"] == json!(file))
        .collect()
}

fn expected_counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// A valid event, one JSON line.
fn valid_event_line() -> String {
    let events = fs::read_to_string(Path::new(CRATE_DIR).join("recordings/events.jsonl"))
        .expect("sample events");
    events.lines().next().expect("an event").to_string()
}

/// A scratch directory with a file of three valid events, `good.jsonl`, to check after a bad
/// input: that it is read proves the run went on.
fn scratch() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.jsonl");
    fs::write(&good, valid_event_line() + "\n").expect("write");
    (dir, good)
}

/// Checks `bad` then `good`; asserts `bad` gives exactly one unreadable record, whose reason
/// contains `why`, at `line`, that `good` was still read and conforms, and that the run exits 2.
fn assert_unreadable_then_continues(bad: &Path, good: &Path, line: Option<u64>, why: &str) {
    assert_unreadable_then_continues_with(&[], bad, good, line, why);
}

fn assert_unreadable_then_continues_with(
    flags: &[&str],
    bad: &Path,
    good: &Path,
    line: Option<u64>,
    why: &str,
) {
    let (code, report) = json_report(contracts().arg("check").args(flags).arg(bad).arg(good));
    let bad_name = bad.display().to_string();
    let unreadable: Vec<&Value> = results_of(&report, &bad_name)
        .into_iter()
        .filter(|r| r.get("unreadable").is_some())
        .collect();
    assert_eq!(unreadable.len(), 1, "{report:#}");
    let reason = unreadable[0]["unreadable"].as_str().expect("reason");
    assert!(reason.contains(why), "{reason:?} does not say {why:?}");
    assert_eq!(unreadable[0]["source"]["line"].as_u64(), line, "{report:#}");
    let good_results = results_of(&report, &good.display().to_string());
    assert_eq!(good_results.len(), 1, "the run stopped at {bad_name}");
    assert_eq!(good_results[0]["conforms"], json!(true));
    assert_eq!(code, 2);

    // The text report names the file and line too.
    let text = contracts()
        .arg("check")
        .args(flags)
        .arg(bad)
        .arg(good)
        .output()
        .expect("runs");
    let at = match line {
        Some(line) => format!("{bad_name}:{line}: unreadable: "),
        None => format!("{bad_name}: unreadable: "),
    };
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains(&at), "{at:?} not in:\n{stdout}");

    // And SARIF, as a result of the unreadable-record rule at that line.
    let sarif = sarif_log(contracts().arg("check").args(flags).arg(bad).arg(good));
    let unreadable: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "CT000")
        .collect();
    assert_eq!(unreadable.len(), 1, "{sarif:#}");
    let location = &unreadable[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["region"]["startLine"].as_u64(), line, "{sarif:#}");
    assert!(unreadable[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains(why));
}

/// Runs `contracts` with `--format sarif` and returns the log, checked against the official
/// SARIF 2.1.0 schema (vendored with the findings crate's tests).
fn sarif_log(command: &mut Command) -> Value {
    let output = command.args(["--format", "sarif"]).output().expect("runs");
    let log: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not a SARIF log ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let schema_file = Path::new(CRATE_DIR).join("findings/tests/fixtures/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(schema_file).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    log
}

/// Every finding of a report as (file relative to `recordings/`, line or `#index`, rule).
fn findings_in_recordings(report: &Value) -> Vec<(String, String, String)> {
    let mut findings = Vec::new();
    for result in report["results"].as_array().expect("results") {
        let file = result["source"]["file"].as_str().expect("file");
        let (_, relative) = file.split_once("recordings/").expect("a sample");
        let at = match (
            result["source"]["line"].as_u64(),
            result["source"]["index"].as_u64(),
        ) {
            (Some(line), _) => line.to_string(),
            (None, Some(index)) => format!("#{index}"),
            (None, None) => String::new(),
        };
        for violation in result["violations"].as_array().expect("violations") {
            let rule = violation["rule"].as_str().expect("rule").to_string();
            findings.push((relative.to_string(), at.clone(), rule));
        }
    }
    findings
}

#[test]
fn check_without_paths_finds_exactly_the_planted_problems() {
    // From a directory deep in the tree: the samples are found by walking up to the tree's root.
    let (code, report) = json_report(
        contracts()
            .current_dir(Path::new(CRATE_DIR).join("traffic/src/check"))
            .args(["check", "--schemas"])
            .arg(Path::new(CRATE_DIR).join(FIXTURE_SCHEMAS)),
    );
    assert_eq!(code, 1);
    // The planted problems recordings/README.md lists, file by file. The README itself and the
    // raw-mode .dat beside its .json are no records of their own.
    let expected: Vec<(String, String, String)> = [
        ("management-get.json", "#2", "CT008"),
        ("management-get.json", "#5", "CT005"),
        ("management-get.json", "#6", "CT001"),
        ("management-get.json", "#7", "CT004"),
        ("rabtap/rabtap-1769166000000000003.json", "1", "CT008"),
        ("rabtap/rabtap-1769166000000000006.json", "1", "CT005"),
        ("rabtap-stream.json", "47", "CT001"),
        ("sample.recording.jsonl", "7", "CT001"),
        ("sample.recording.jsonl", "11", "CT002"),
        ("sample.recording.jsonl", "15", "CT004"),
        ("sample.recording.jsonl", "19", "CT005"),
        ("tracing.log", "3", "CT008"),
        ("tracing.log", "6", "CT005"),
        ("tracing.log", "7", "CT001"),
        ("tracing.log", "8", "CT004"),
    ]
    .iter()
    .map(|(file, at, rule)| (file.to_string(), at.to_string(), rule.to_string()))
    .collect();
    assert_eq!(findings_in_recordings(&report), expected);
    let records_per_file: BTreeMap<String, usize> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .fold(BTreeMap::new(), |mut counts, r| {
            let file = r["source"]["file"].as_str().unwrap();
            let (_, relative) = file.split_once("recordings/").unwrap();
            *counts.entry(relative.to_string()).or_default() += 1;
            counts
        });
    assert_eq!(
        records_per_file,
        expected_counts(&[
            ("events.jsonl", 6),
            ("management-get.json", 8),
            ("rabtap-stream.json", 3),
            ("rabtap/rabtap-1769166000000000003.json", 1),
            ("rabtap/rabtap-1769166000000000004.json", 1),
            ("rabtap/rabtap-1769166000000000006.json", 1),
            ("sample.recording.jsonl", 20),
            ("tracing.log", 8),
        ])
    );
    // CT008 is a warning: those records still conform.
    assert_eq!(
        report["summary"],
        json!({"records": 48, "conforming": 36, "violating": 12, "unreadable": 0})
    );
    // Coverage lists every contract checked against, seen or not.
    let catalog = codegen::Catalog::load(&Path::new(CRATE_DIR).join(FIXTURE_SCHEMAS)).unwrap();
    let covered: Vec<(String, String)> = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["eventType"].as_str().unwrap().into(),
                c["version"].as_str().unwrap().into(),
            )
        })
        .collect();
    let listed: Vec<(String, String)> = catalog
        .contracts
        .iter()
        .map(|c| (c.event_type.clone(), c.version.clone()))
        .collect();
    assert_eq!(covered, listed);
}

#[test]
fn check_without_paths_outside_a_tree_is_a_usage_error() {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let output = contracts()
        .current_dir(elsewhere.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("no path given, and no conformance/recordings in a tree"),
        "{stderr}"
    );
}

#[test]
fn coverage_names_the_contracts_the_input_never_had() {
    let (dir, good) = scratch();
    let output = contracts().arg("check").arg(&good).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let event: Value = serde_json::from_str(&valid_event_line()).unwrap();
    let seen = (
        event["type"].as_str().unwrap(),
        event["version"].as_str().unwrap(),
    );
    let unseen: Vec<String> = coder_events::CONTRACTS
        .iter()
        .filter(|c| (c.event_type, c.version) != seen)
        .map(|c| format!("{} {}", c.event_type, c.version))
        .collect();
    let expected = if unseen.is_empty() {
        "Coverage: 1 of 1 contracts seen.".to_string()
    } else {
        format!(
            "Coverage: 1 of {} contracts seen; never seen: {}.",
            coder_events::CONTRACTS.len(),
            unseen.join(", ")
        )
    };
    assert!(text.contains(&expected), "{expected}\n{text}");
    drop(dir);
}

/// `check` of the sample recordings (against the schemas they were made with) in `format`,
/// with `flags`: its standard output, once it has exited 1 (the recordings hold violations).
fn report_of_the_recordings(format: &str, flags: &[&str]) -> String {
    let output = contracts()
        .args(["check", "--schemas", FIXTURE_SCHEMAS, "recordings"])
        .args(["--format", format])
        .args(flags)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{format} {flags:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn text_report_of_the_recordings() {
    insta::assert_snapshot!(report_of_the_recordings("text", &[]));
}

#[test]
fn json_report_of_the_recordings() {
    let (code, report) =
        json_report(contracts().args(["check", "--schemas", FIXTURE_SCHEMAS, "recordings"]));
    assert_eq!(code, 1);
    insta::assert_json_snapshot!(report);
}

#[test]
fn github_annotations_of_the_recordings() {
    insta::assert_snapshot!(report_of_the_recordings("github", &[]));
}

#[test]
fn junit_report_has_a_case_per_record_and_a_failure_per_violating_one() {
    let xml = report_of_the_recordings("junit", &[]);
    assert!(xml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    assert!(xml.contains(r#"<testsuites name="contracts" tests="48" failures="12" errors="0">"#));
    assert!(xml.contains(
        r#"<testsuite name="recordings/sample.recording.jsonl" tests="20" failures="4" errors="0">"#
    ));
    assert_eq!(xml.matches("<testcase ").count(), 48);
    assert_eq!(xml.matches("<failure ").count(), 12);
    assert!(xml.contains(r#"type="CT005""#));
}

/// Every violation and unreadable record of the JSON report is one SARIF result, with its rule
/// (described in the run's rules), file and line; a record of a top-level array says its
/// element.
#[test]
fn sarif_report_of_the_recordings_has_a_result_per_violation_at_its_record() {
    let (code, report) =
        json_report(contracts().args(["check", "--schemas", FIXTURE_SCHEMAS, "recordings"]));
    assert_eq!(code, 1);
    let log = sarif_log(contracts().args(["check", "--schemas", FIXTURE_SCHEMAS, "recordings"]));
    let run = &log["runs"][0];
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for rule in RULES.iter() {
        assert!(
            rule_ids.contains(&rule.doc.id),
            "{} is not described",
            rule.doc.id
        );
    }
    let mut expected = Vec::new();
    for result in report["results"].as_array().unwrap() {
        let source = &result["source"];
        let place = |rule: &str| {
            (
                rule.to_string(),
                source["file"].as_str().unwrap().to_string(),
                source["line"].as_u64(),
                source["index"].as_u64(),
            )
        };
        if result.get("unreadable").is_some() {
            expected.push(place("CT000"));
        }
        for v in result["violations"].as_array().unwrap() {
            expected.push(place(v["rule"].as_str().unwrap()));
        }
    }
    let found: Vec<_> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let rule = r["ruleId"].as_str().unwrap();
            assert_eq!(
                rule_ids[r["ruleIndex"].as_u64().unwrap() as usize],
                rule,
                "{r:#}"
            );
            let location = &r["locations"][0]["physicalLocation"];
            (
                rule.to_string(),
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                location["region"]["startLine"].as_u64(),
                r["properties"]["element"].as_u64(),
            )
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(found, expected);
}

/// The pull-request summary of a check: totals, the per-contract table, coverage and the
/// failures, each a list item at its record.
#[test]
fn markdown_summary_of_the_recordings() {
    let summary = report_of_the_recordings("markdown", &[]);
    insta::assert_snapshot!(summary);
    // --max-failures cuts the list, and says so.
    let short = report_of_the_recordings("markdown", &["--max-failures", "2"]);
    assert!(short.contains("### Failures (first 2 of 15)"), "{short}");
    assert!(short.len() < summary.len());
}

#[test]
fn the_report_schema_describes_the_json_report() {
    let output = contracts().arg("report-schema").output().unwrap();
    assert!(output.status.success());
    let schema: Value = serde_json::from_slice(&output.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let (_, report) =
        json_report(contracts().args(["check", "--schemas", FIXTURE_SCHEMAS, "recordings"]));
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Only the text report shows offending values.
    assert!(!report.to_string().contains("\"value\""));
}

#[test]
fn sample_recording_lines_follow_the_recording_schema() {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(Path::new(CRATE_DIR).join("recording.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("the schema compiles");
    let recording =
        fs::read_to_string(Path::new(CRATE_DIR).join("recordings/sample.recording.jsonl")).unwrap();
    for (i, line) in recording.lines().enumerate() {
        let delivery: Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&delivery)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "line {}: {errors:?}", i + 1);
    }
    let both_bodies =
        json!({"exchange": "coder.events", "routingKey": "k", "body": {}, "bodyBase64": ""});
    assert!(!validator.is_valid(&both_bodies));
}

#[test]
fn examples_all_get_their_labelled_answer() {
    let output = contracts().arg("examples").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(" as labelled, 0 mismatched, 0 unreadable"),
        "{stdout}"
    );
}

#[test]
fn a_mislabelled_example_is_a_mismatch() {
    let schemas = tempfile::tempdir().unwrap();
    codegen::tree::copy_dir(&Path::new(CRATE_DIR).join("../schemas"), schemas.path())
        .expect("copying the fixture");
    // The first invalid example of the catalog, labelled with a keyword it does not break.
    let (examples, _) = codegen::examples::load_all(schemas.path()).unwrap();
    let (example, violation) = examples
        .iter()
        .find_map(|e| match &e.expected {
            codegen::examples::Expected::Invalid { violation, .. } => Some((e, violation)),
            codegen::examples::Expected::Valid => None,
        })
        .expect("an invalid example");
    let wrong = if violation.keyword == "maxLength" {
        "minLength"
    } else {
        "maxLength"
    };
    let mut labelled: Value =
        serde_json::from_str(&fs::read_to_string(&example.path).unwrap()).unwrap();
    labelled["expect"]["keyword"] = json!(wrong);
    fs::write(&example.path, labelled.to_string()).unwrap();

    let output = contracts()
        .arg("examples")
        .arg("--schemas")
        .arg(schemas.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let file = example.path.file_name().unwrap().to_string_lossy();
    let expected = format!(
        "{file}: labelled ({}, {wrong}), found [({}, {})",
        violation.instance_path, violation.instance_path, violation.keyword
    );
    assert!(stdout.contains(&expected), "{expected}\n{stdout}");
    assert!(stdout.contains(", 1 mismatched, 0 unreadable"), "{stdout}");
}

#[test]
fn rules_lists_every_rule_with_its_default_severity() {
    let output = contracts().arg("rules").output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let (message_rules, schema_rules) = stdout
        .split_once("\nschema rules (contracts lint, contracts breaking):\n")
        .expect("two sections");
    // The unreadable-record descriptor first (what reports name an unreadable record by),
    // then every rule.
    let (unreadable, lines) = message_rules.split_once('\n').expect("lines");
    assert!(
        unreadable.starts_with("CT000  unreadable-record  "),
        "{stdout}"
    );
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines.len(), RULES.len(), "{stdout}");
    let schema_ids: Vec<&str> = schema_rules
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(schema_ids.first(), Some(&"LINT001"), "{stdout}");
    assert!(schema_ids.contains(&"BRK013"), "{stdout}");
    for (line, rule) in lines.iter().zip(&RULES) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            words[..3],
            [
                rule.doc.id,
                rule.doc.name,
                &rule.doc.default_severity.to_string()
            ],
            "{line}"
        );
        assert!(line.ends_with(rule.doc.purpose), "{line}");
    }
}

#[test]
fn rule_severities_are_set_by_id_or_name() {
    let (code, report) = json_report(contracts().args([
        "check",
        "--schemas",
        FIXTURE_SCHEMAS,
        "recordings",
        "--rule",
        "CT005=off",
    ]));
    assert_eq!(code, 1);
    assert_eq!(rule_counts(&report).get("CT005"), None);
    assert_eq!(report["summary"]["violating"], json!(8));

    let (code, report) = json_report(contracts().args([
        "check",
        "--schemas",
        FIXTURE_SCHEMAS,
        "recordings",
        "--rule",
        "schema-violation=warning",
        "--rule",
        "CT002=off",
        "--rule",
        "CT004=off",
        "--rule",
        "routing-key-mismatch=warning",
    ]));
    assert_eq!(code, 0, "warnings alone do not fail a run");
    assert_eq!(
        rule_counts(&report),
        expected_counts(&[("CT001", 4), ("CT005", 4), ("CT008", 3)])
    );
    assert_eq!(report["summary"]["violating"], json!(0));
}

#[test]
fn rule_severities_come_from_a_configuration_file_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("contracts.json");
    fs::write(
        &config,
        r#"{"check": {"rules": {"CT005": "off", "message-id-mismatch": "error"}}}"#,
    )
    .unwrap();
    let config_arg = config.display().to_string();
    let (code, report) = json_report(contracts().args([
        "check",
        "--schemas",
        FIXTURE_SCHEMAS,
        "recordings",
        "--config",
        &config_arg,
    ]));
    assert_eq!(code, 1);
    let counts = rule_counts(&report);
    assert_eq!(counts.get("CT005"), None);
    let ct008 = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["violations"].as_array().unwrap())
        .find(|v| v["rule"] == "CT008")
        .expect("a CT008 finding");
    assert_eq!(ct008["severity"], json!("error"));

    // A flag applies after the file.
    let (_, report) = json_report(contracts().args([
        "check",
        "--schemas",
        FIXTURE_SCHEMAS,
        "recordings",
        "--config",
        &config_arg,
        "--rule",
        "CT005=error",
    ]));
    assert_eq!(rule_counts(&report).get("CT005"), Some(&4));

    // `.contracts.json` in the current directory is read when no file is named.
    fs::copy(&config, dir.path().join(".contracts.json")).unwrap();
    let recordings = Path::new(CRATE_DIR).join("recordings");
    let (_, report) = json_report(
        contracts()
            .current_dir(dir.path())
            .arg("check")
            .arg(&recordings),
    );
    assert_eq!(rule_counts(&report).get("CT005"), None);

    // A bad file stops the run before it reads anything, naming the file and line.
    fs::write(
        &config,
        "{\"check\": {\"rules\": {\n  \"CT077\": \"off\"}}}",
    )
    .unwrap();
    let output = contracts()
        .args([
            "check",
            "--schemas",
            FIXTURE_SCHEMAS,
            "recordings",
            "--config",
            &config_arg,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{config_arg}:2: check.rules: no rule \"CT077\"")),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["check", "--rule", "CT099=off"],
        vec!["check", "--rule", "CT001=fatal"],
        vec!["check", "--format", "xml"],
        vec!["validate", "--event-pointer", "event"],
        vec!["frobnicate"],
    ] {
        contracts().args(&args).assert().code(2);
    }
}

#[test]
fn transport_rules_check_what_the_recording_carries() {
    let (dir, _) = scratch();
    let event: Value = serde_json::from_str(&valid_event_line()).unwrap();
    let delivery = |exchange: &str, content_type: &str, message_id: &str| {
        json!({
            "exchange": exchange, "routingKey": event["type"], "redelivered": false,
            "properties": {"contentType": content_type, "messageId": message_id},
            "body": event,
        })
        .to_string()
    };
    let id = event["id"].as_str().unwrap();
    let lines = [
        delivery(
            "coder.events",
            "application/json; charset=utf-8",
            &id.to_uppercase(),
        ),
        delivery("amq.topic", "application/json", id),
        delivery("coder.events", "text/plain", id),
        delivery("coder.events", "application/json", "not-the-event-id"),
    ];
    let file = dir.path().join("deliveries.jsonl");
    fs::write(&file, lines.join("\n")).unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&file));
    let found: Vec<Vec<(String, String)>> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["violations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    (
                        v["rule"].as_str().unwrap().to_string(),
                        v["severity"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .collect();
    let pair = |rule: &str, severity: &str| vec![(rule.to_string(), severity.to_string())];
    assert_eq!(
        found,
        vec![
            vec![],
            pair("CT006", "error"),
            pair("CT007", "warning"),
            pair("CT008", "warning")
        ]
    );
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["violating"], json!(1));
}

#[test]
fn an_id_reused_for_other_content_is_a_duplicate_and_a_redelivery_is_not() {
    let (dir, _) = scratch();
    let line = valid_event_line();
    let mut changed: Value = serde_json::from_str(&line).unwrap();
    // The same event with its keys in another order is the same content.
    let reordered: serde_json::Map<String, Value> = changed
        .as_object()
        .unwrap()
        .iter()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    changed["timestamp"] = json!("2026-01-24T00:00:00Z");
    // Read by the full path rather than the fast one (an escaped key), with the same content:
    // both paths hash content alike.
    let escaped = line.replacen("\"type\"", "\"\\u0074ype\"", 1);
    assert_ne!(escaped, line);
    // Other content that also breaks the contract: both rules find it.
    let mut invalid: Value = serde_json::from_str(&line).unwrap();
    invalid["timestamp"] = json!("yesterday");
    let file = dir.path().join("events.jsonl");
    fs::write(
        &file,
        format!(
            "{line}\n{}\n{}\n{escaped}\n{invalid}\n",
            Value::Object(reordered),
            changed
        ),
    )
    .unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&file));
    assert_eq!(code, 1);
    assert_eq!(
        rule_counts(&report),
        expected_counts(&[("CT009", 2), ("CT001", 1)])
    );
    let rules_of = |i: usize| -> Vec<&str> {
        let violations = report["results"][i]["violations"].as_array().unwrap();
        violations
            .iter()
            .map(|v| v["rule"].as_str().unwrap())
            .collect()
    };
    assert_eq!(rules_of(3), Vec::<&str>::new());
    assert_eq!(rules_of(4), ["CT001", "CT009"]);
    let duplicate = &report["results"][2]["violations"][0];
    let first_seen = format!("first seen at {}:1 ", file.display());
    assert!(
        duplicate["message"].as_str().unwrap().contains(&first_seen),
        "{duplicate}"
    );
}

#[test]
fn coverage_counts_the_optional_fields_messages_had() {
    let (dir, good) = scratch();
    let event: Value = serde_json::from_str(&valid_event_line()).unwrap();
    let (event_type, version) = (
        event["type"].as_str().unwrap(),
        event["version"].as_str().unwrap(),
    );
    let (code, report) = json_report(contracts().arg("check").arg(&good));
    assert_eq!(code, 0);
    let coverage = report["coverage"].as_array().unwrap();
    let contract = coverage
        .iter()
        .find(|c| c["eventType"] == event_type && c["version"] == version)
        .unwrap();
    let fields = contract["optionalFields"].as_array().unwrap();
    assert!(!fields.is_empty());
    for field in fields {
        let pointer = field["field"].as_str().unwrap();
        let present = !pointer.contains('*') && event.pointer(pointer).is_some();
        assert_eq!(field["messages"], json!(u64::from(present)), "{pointer}");
    }
    // The text report names the fields its messages never had.
    let absent: Vec<&str> = fields
        .iter()
        .filter(|f| f["messages"] == json!(0))
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(!absent.is_empty());
    let output = contracts().arg("check").arg(&good).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("never present:"), "{text}");
    let expected = format!("  {event_type} {version}: {}\n", absent.join(", "));
    assert!(text.contains(&expected), "{expected}\n{text}");
    drop(dir);
}

#[test]
fn mask_values_hides_offending_values() {
    let shown = contracts()
        .args(["check", "--schemas", FIXTURE_SCHEMAS, "recordings"])
        .output()
        .unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(shown.contains("value: \"urgent\""), "{shown}");
    let masked = contracts()
        .args([
            "check",
            "--schemas",
            FIXTURE_SCHEMAS,
            "recordings",
            "--mask-values",
        ])
        .output()
        .unwrap();
    let masked = String::from_utf8(masked.stdout).unwrap();
    assert!(!masked.contains("urgent"), "{masked}");
    assert!(masked.contains("value: <masked>"), "{masked}");
    assert!(masked.contains("<masked> is not one of"), "{masked}");
}

#[test]
fn max_failures_limits_the_text_report_only() {
    let output = contracts()
        .args([
            "check",
            "--schemas",
            FIXTURE_SCHEMAS,
            "recordings",
            "--max-failures",
            "1",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("Failures (first 1 of 15):"), "{stdout}");
    assert_eq!(stdout.matches(": CT0").count(), 1, "{stdout}");
}

#[test]
fn validate_reads_events_from_log_lines_at_a_pointer() {
    let (dir, _) = scratch();
    let event = valid_event_line();
    let log = dir.path().join("service.log");
    let lines = [
        format!(r#"{{"level":"info","event":{event}}}"#),
        "plain text, not JSON".to_string(),
        format!(
            r#"{{"level":"info","event":{}}}"#,
            Value::String(event.clone())
        ),
        r#"{"level":"debug","msg":"no event here"}"#.to_string(),
        r#"{"level":"info","event":"not json either"}"#.to_string(),
    ];
    fs::write(&log, lines.join("\n") + "\n").unwrap();
    let (code, report) = json_report(
        contracts()
            .args(["validate", "--event-pointer", "/event"])
            .arg(&log),
    );
    assert_eq!(code, 2);
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(results[0]["conforms"], json!(true));
    assert!(results[1]["unreadable"]
        .as_str()
        .unwrap()
        .starts_with("not JSON"));
    assert_eq!(results[1]["source"]["line"], json!(2));
    assert_eq!(results[2]["conforms"], json!(true));
    assert_eq!(
        results[3]["unreadable"],
        json!("no value at --event-pointer /event")
    );
    assert_eq!(results[4]["violations"][0]["rule"], json!("CT004"));
}

#[test]
fn stdin_gzip_arrays_and_documents_are_read() {
    let (dir, _) = scratch();
    let event: Value = serde_json::from_str(&valid_event_line()).unwrap();

    let gz = dir.path().join("events.jsonl.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(fs::File::create(&gz).unwrap(), Default::default());
    let sample = fs::read(Path::new(CRATE_DIR).join("recordings/sample.recording.jsonl")).unwrap();
    encoder.write_all(&sample).unwrap();
    encoder.finish().unwrap();
    let (_, report) = json_report(contracts().arg("check").arg(&gz));
    assert_eq!(report["summary"]["records"], json!(20));
    assert_eq!(report["summary"]["violating"], json!(4));

    let array = dir.path().join("array.json");
    fs::write(&array, json!([event, {"type": "nope"}]).to_string()).unwrap();
    let (_, report) = json_report(contracts().arg("check").arg(&array));
    assert_eq!(report["results"][1]["source"]["index"], json!(1));
    assert_eq!(
        report["results"][1]["violations"][0]["rule"],
        json!("CT002")
    );

    let document = dir.path().join("document.json");
    fs::write(&document, serde_json::to_string_pretty(&event).unwrap()).unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&document));
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["records"], json!(1));

    let (code, report) = json_report(
        contracts()
            .args(["validate", "-"])
            .write_stdin(format!("{event}\n{event}\n")),
    );
    assert_eq!(code, 0);
    assert_eq!(
        report["results"][1]["source"],
        json!({"file": "<stdin>", "line": 2})
    );
}

#[test]
fn a_truncated_last_line_is_unreadable() {
    let (dir, good) = scratch();
    let line = valid_event_line();
    let bad = dir.path().join("truncated.jsonl");
    fs::write(&bad, format!("{line}\n{}", &line[..line.len() / 2])).unwrap();
    assert_unreadable_then_continues(&bad, &good, Some(2), "truncated JSON: EOF while parsing");
}

#[test]
fn an_invalid_utf8_line_is_unreadable() {
    let (dir, good) = scratch();
    let bad = dir.path().join("latin1.jsonl");
    let mut bytes = format!("{}\n", valid_event_line()).into_bytes();
    bytes.extend_from_slice(b"{\"name\": \"caf\xe9\"}\n");
    fs::write(&bad, bytes).unwrap();
    assert_unreadable_then_continues(&bad, &good, Some(2), "not UTF-8: invalid byte at column 14");
}

#[test]
fn a_line_over_max_message_bytes_is_skipped_unread() {
    let (dir, good) = scratch();
    let bad = dir.path().join("huge.jsonl");
    let huge_line = format!("{{\"pad\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    fs::write(&bad, format!("{huge_line}\n{}\n", valid_event_line())).unwrap();
    let why = format!(
        "the line is {} bytes, over the limit of 1048576",
        huge_line.len()
    );
    assert_unreadable_then_continues_with(
        &["--max-message-bytes", "1048576"],
        &bad,
        &good,
        Some(1),
        &why,
    );

    // So is an element of a top-level array: the elements after it are still read.
    let array = dir.path().join("huge.json");
    let event = valid_event_line();
    fs::write(&array, format!("[{huge_line},\n{event}]\n")).unwrap();
    let (code, report) = json_report(
        contracts()
            .arg("check")
            .args(["--max-message-bytes", "1048576"])
            .arg(&array),
    );
    assert_eq!(code, 2);
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{report:#}");
    assert_eq!(results[0]["source"]["index"], json!(0));
    let why = format!(
        "the element is {} bytes, over the limit of 1048576",
        huge_line.len()
    );
    assert!(
        results[0]["unreadable"].as_str().unwrap().contains(&why),
        "{:#}",
        results[0]
    );
    assert_eq!(results[1]["source"]["index"], json!(1));
    assert_eq!(results[1]["conforms"], json!(true));
}

#[test]
fn json_nested_10000_deep_is_unreadable_not_a_crash() {
    let (dir, good) = scratch();
    let bad = dir.path().join("deep.jsonl");
    let deep = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    fs::write(&bad, format!("{}\n{deep}\n", valid_event_line())).unwrap();
    assert_unreadable_then_continues(&bad, &good, Some(2), "recursion limit exceeded");

    let deep_array = dir.path().join("deep.json");
    fs::write(
        &deep_array,
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
    )
    .unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&deep_array).arg(&good));
    assert_eq!(code, 2);
    assert_eq!(report["summary"]["unreadable"], json!(1));
    assert!(report["results"][0]["unreadable"]
        .as_str()
        .unwrap()
        .contains("recursion limit exceeded"));
}

#[test]
fn an_empty_file_is_reported() {
    let (dir, good) = scratch();
    let bad = dir.path().join("empty.jsonl");
    fs::write(&bad, "").unwrap();
    assert_unreadable_then_continues(&bad, &good, None, "the file holds no record");
}

/// A directory named to be checked that holds nothing to check is a mistake to say, as an empty
/// file is: a run over it would otherwise pass having read nothing.
#[test]
fn an_empty_directory_is_reported() {
    let (dir, good) = scratch();
    let bad = dir.path().join("captures");
    fs::create_dir_all(bad.join("empty-too")).unwrap();
    fs::write(bad.join("README.md"), "not a capture\n").unwrap();
    assert_unreadable_then_continues(&bad, &good, None, "the directory holds no file to check");
}

#[test]
fn a_binary_file_is_reported_once() {
    let (dir, good) = scratch();
    let bad = dir.path().join("capture.pcap");
    let binary: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    fs::write(&bad, binary).unwrap();
    assert_unreadable_then_continues(&bad, &good, Some(1), "binary data");
}

#[test]
fn an_unreadable_entry_in_a_directory_is_reported_and_the_walk_goes_on() {
    let (dir, _) = scratch();
    let tree = dir.path().join("tree");
    fs::create_dir(&tree).unwrap();
    let line = valid_event_line();
    fs::write(tree.join("a.jsonl"), format!("{line}\n")).unwrap();
    // Tests run as root, who can read a chmod 000 file; a dangling symbolic link cannot be
    // opened by anyone.
    std::os::unix::fs::symlink(tree.join("gone.jsonl"), tree.join("b.jsonl")).unwrap();
    fs::create_dir(tree.join("c")).unwrap();
    fs::write(tree.join("c/d.jsonl"), format!("{line}\n")).unwrap();

    let (code, report) = json_report(contracts().arg("check").arg(&tree));
    assert_eq!(code, 2);
    let files: Vec<(String, bool)> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let file = r["source"]["file"].as_str().unwrap();
            let relative = Path::new(file).strip_prefix(&tree).unwrap();
            (
                relative.display().to_string(),
                r.get("unreadable").is_some(),
            )
        })
        .collect();
    assert_eq!(
        files,
        vec![
            ("a.jsonl".to_string(), false),
            ("b.jsonl".to_string(), true),
            ("c/d.jsonl".to_string(), false)
        ]
    );
    assert!(report["results"][1]["unreadable"]
        .as_str()
        .unwrap()
        .starts_with("cannot open: "));
}

#[test]
fn accounting_holds_over_every_kind_of_record() {
    let (dir, good) = scratch();
    let line = valid_event_line();
    let mixed = dir.path().join("mixed.jsonl");
    fs::write(
        &mixed,
        format!("{line}\nnot json\n{{\"type\":\"x\"}}\n\n{}", &line[..10]),
    )
    .unwrap();
    let empty = dir.path().join("empty.json");
    fs::write(&empty, "").unwrap();
    let (code, report) = json_report(
        contracts()
            .arg("check")
            .arg("recordings")
            .arg(&mixed)
            .arg(&empty)
            .arg(dir.path().join("missing.jsonl"))
            .arg(&good),
    );
    assert_eq!(code, 2);
    assert_eq!(
        report["summary"],
        json!({"records": 48 + 4 + 1 + 1 + 1, "conforming": 36 + 1 + 1, "violating": 12 + 1, "unreadable": 2 + 1 + 1})
    );
}

#[test]
fn threads_do_not_change_the_report() {
    let (dir, _) = scratch();
    let sample =
        fs::read_to_string(Path::new(CRATE_DIR).join("recordings/sample.recording.jsonl")).unwrap();
    let big = dir.path().join("big.jsonl");
    // Several batches' worth, with problems spread through them.
    fs::write(&big, sample.repeat(200)).unwrap();
    let run = |threads: &str| {
        let output = contracts()
            .args(["check", "--format", "json", "--threads", threads])
            .arg(&big)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        output.stdout
    };
    let single = run("1");
    assert_eq!(single, run("2"));
    assert_eq!(single, run("4"));
    let report: Value = serde_json::from_slice(&single).unwrap();
    assert_eq!(report["summary"]["records"], json!(4000));
    // Every later copy of the planted deliveries repeats content under the same id: not a
    // duplicate, so the counts are the planted ones times the copies.
    assert_eq!(
        rule_counts(&report),
        expected_counts(&[
            ("CT001", 200),
            ("CT002", 200),
            ("CT004", 200),
            ("CT005", 200)
        ])
    );
}

/// `--results failures` lists only the records that failed, in JSON and JUnit, and counts the
/// rest exactly as a report of every record does.
#[test]
fn results_failures_lists_only_the_failing_records() {
    let run = |format: &str, results: &str| {
        let output = contracts()
            .args(["check", "recordings", "--schemas", FIXTURE_SCHEMAS])
            .args(["--format", format, "--results", results])
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    let (code, every) = run("json", "all");
    let (failures_code, failures) = run("json", "failures");
    assert_eq!(code, failures_code);
    let every: Value = serde_json::from_str(&every).unwrap();
    let failures: Value = serde_json::from_str(&failures).unwrap();
    assert_eq!(every["summary"], failures["summary"]);
    assert_eq!(every["contracts"], failures["contracts"]);
    assert_eq!(every["coverage"], failures["coverage"]);
    let failing: Vec<&Value> = every["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("unreadable").is_some() || r["violations"] != json!([]))
        .collect();
    assert!(!failing.is_empty(), "the samples plant failures");
    let listed: Vec<&Value> = failures["results"].as_array().unwrap().iter().collect();
    assert_eq!(listed, failing);
    let summary = &every["summary"];
    assert!(
        (listed.len() as u64) < summary["records"].as_u64().unwrap(),
        "some records conform"
    );

    let (_, junit) = run("junit", "failures");
    let (_, junit_every) = run("junit", "all");
    assert_eq!(
        junit.matches("<testcase ").count(),
        failing.len(),
        "{junit}"
    );
    assert_eq!(
        junit_every.matches("<testcase ").count() as u64,
        summary["records"].as_u64().unwrap()
    );
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let (dir, _) = scratch();
    let sample =
        fs::read_to_string(Path::new(CRATE_DIR).join("recordings/sample.recording.jsonl")).unwrap();
    let big = dir.path().join("big.jsonl");
    // A report far larger than a pipe's buffer, so that writing it meets the closed pipe.
    fs::write(&big, sample.repeat(100)).unwrap();
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_contracts"))
        .args(["check", "--format", "json"])
        .arg(&big)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "no panic, no error message"
    );
    assert_eq!(output.status.code(), Some(1), "the verdict still decides");
}

/// A report that cannot be written (standard output on a full disk) stops the run with exit 2
/// and says that standard output is what failed, in every command and format.
#[test]
fn a_report_that_cannot_be_written_names_standard_output() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here: nothing to test");
        return;
    };
    for args in [
        &["check", "recordings/events.jsonl"][..],
        &["check", "recordings/events.jsonl", "--format", "json"],
        &["check", "recordings/events.jsonl", "--format", "sarif"],
        &["lint"],
        &["rules"],
    ] {
        let output = StdCommand::new(env!("CARGO_BIN_EXE_contracts"))
            .current_dir(CRATE_DIR)
            .args(args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}

/// The first `n` records of a sample, as compact JSON lines.
fn sample_records(file: &str) -> Vec<Value> {
    let text = fs::read_to_string(Path::new(CRATE_DIR).join(file)).unwrap();
    serde_json::Deserializer::from_str(&text)
        .into_iter::<Value>()
        .map(|record| record.unwrap())
        .collect()
}

#[test]
fn a_truncated_management_payload_is_unreadable_and_never_checked() {
    let fixture = "tests/fixtures/management-get-truncated.json";
    let (code, report) = json_report(contracts().args(["check", fixture]));
    assert_eq!(code, 2);
    assert_eq!(
        report["summary"],
        json!({"records": 8, "conforming": 4, "violating": 3, "unreadable": 1})
    );
    let truncated = &report["results"][1];
    assert_eq!(truncated["source"], json!({"file": fixture, "index": 1}));
    assert_eq!(
        truncated["unreadable"],
        json!(
            "the payload is truncated: 850 of its 945 bytes were returned (the get request's \
             \"truncate\"); not checked, fetch it again with a larger truncate"
        )
    );
    assert_eq!(truncated["violations"], json!([]));
}

#[test]
fn every_format_is_recognised_record_by_record() {
    let (dir, _) = scratch();
    let mut tracing = sample_records("recordings/tracing.log").remove(0);
    // Older brokers' timestamp format does not stop a line from being read.
    tracing["timestamp"] = json!("2026-01-23 9:00:00:123");
    let lines = [
        sample_records("recordings/sample.recording.jsonl").remove(0),
        sample_records("recordings/rabtap/rabtap-1769166000000000004.json").remove(0),
        sample_records("recordings/management-get.json")[0][0].clone(),
        tracing,
        serde_json::from_str(&valid_event_line()).unwrap(),
    ];
    let mixed = dir.path().join("mixed.jsonl");
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    fs::write(&mixed, text.join("\n") + "\n").unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&mixed));
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        report["summary"],
        json!({"records": 5, "conforming": 5, "violating": 0, "unreadable": 0})
    );
    assert_eq!(rule_counts(&report), BTreeMap::new());

    // rabtap's stream one object a line (`--json` compact) reads as the pretty one does.
    let stream = dir.path().join("rabtap.jsonl");
    let compact: Vec<String> = sample_records("recordings/rabtap-stream.json")
        .iter()
        .map(Value::to_string)
        .collect();
    fs::write(&stream, compact.join("\n") + "\n").unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&stream));
    assert_eq!(code, 1);
    assert_eq!(rule_counts(&report), expected_counts(&[("CT001", 1)]));
    assert_eq!(report["results"][2]["source"]["line"], json!(3));
}

#[test]
fn input_format_forces_one_format_and_says_why_a_record_is_not_of_it() {
    for (format, path, counts) in [
        (
            "rabtap",
            "recordings/rabtap",
            &[("CT005", 1), ("CT008", 1)][..],
        ),
        (
            "management",
            "recordings/management-get.json",
            &[("CT001", 1), ("CT004", 1), ("CT005", 1), ("CT008", 1)][..],
        ),
        (
            "tracing",
            "recordings/tracing.log",
            &[("CT001", 1), ("CT004", 1), ("CT005", 1), ("CT008", 1)][..],
        ),
    ] {
        let (code, report) =
            json_report(contracts().args(["check", "--input-format", format, path]));
        assert_eq!(code, 1, "{format}");
        assert_eq!(rule_counts(&report), expected_counts(counts), "{format}");
    }
    let (dir, _) = scratch();
    let events = dir.path().join("events.jsonl");
    fs::write(&events, valid_event_line() + "\n").unwrap();
    for (format, why) in [
        ("rabtap", "not a rabtap message: missing field `Exchange`"),
        (
            "management",
            "not a management API message: missing field `payload`",
        ),
        (
            "tracing",
            "not a rabbitmq_tracing line: missing field `exchange`",
        ),
    ] {
        let (code, report) = json_report(
            contracts()
                .args(["check", "--input-format", format])
                .arg(&events),
        );
        assert_eq!(code, 2, "{format}");
        let reason = report["results"][0]["unreadable"].as_str().unwrap();
        assert!(reason.starts_with(why), "{format}: {reason}");
        assert_eq!(report["results"][0]["source"]["line"], json!(1));
    }
}

#[test]
fn a_broken_tracing_line_names_its_line_and_the_run_goes_on() {
    let (dir, good) = scratch();
    let mut lines: Vec<Value> = sample_records("recordings/tracing.log")[..3].to_vec();
    lines[1].as_object_mut().unwrap().remove("payload");
    let bad = dir.path().join("trace.log");
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    fs::write(&bad, text.join("\n") + "\n").unwrap();
    // Still recognised as a trace line (not taken for an event of type "published"), so
    // the report says what is missing.
    assert_unreadable_then_continues(
        &bad,
        &good,
        Some(2),
        "not a rabbitmq_tracing line: missing field `payload`",
    );
}

#[test]
fn a_rabtap_raw_mode_file_without_its_dat_is_an_empty_body() {
    let (dir, _) = scratch();
    let saved = dir.path().join("saveto");
    fs::create_dir(&saved).unwrap();
    let sample = Path::new(CRATE_DIR).join("recordings/rabtap/rabtap-1769166000000000006.json");
    fs::copy(&sample, saved.join("rabtap-1.json")).unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&saved));
    assert_eq!(code, 1);
    let violation = &report["results"][0]["violations"][0];
    assert_eq!(violation["rule"], json!("CT004"));
    let message = violation["message"].as_str().unwrap();
    assert!(
        message.contains("rabtap-1.dat beside the file"),
        "{message}"
    );

    // With the .dat beside it, the body is read from there, and the .dat is no record.
    fs::copy(sample.with_extension("dat"), saved.join("rabtap-1.dat")).unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&saved));
    assert_eq!(code, 1);
    assert_eq!(report["summary"]["records"], json!(1));
    assert_eq!(rule_counts(&report), expected_counts(&[("CT005", 1)]));
}

#[test]
fn the_checked_in_report_schema_is_current() {
    let output = contracts().arg("report-schema").output().unwrap();
    assert!(output.status.success());
    let current = String::from_utf8(output.stdout).unwrap();
    let checked_in =
        fs::read_to_string(Path::new(CRATE_DIR).join("report.schema.json")).unwrap_or_default();
    assert!(
        current == checked_in,
        "conformance/report.schema.json is not what `contracts report-schema` prints; run\n    \
         cargo run -q -p conformance --bin contracts -- report-schema > conformance/report.schema.json"
    );
}

/// A scratch tree whose first contract has a second version beside the first, requiring one
/// more field, with the first marked deprecated; and a file of three events: one of each
/// version, and one labelled with the new version but shaped like the old.
fn two_versions_side_by_side() -> (TempDir, PathBuf, PathBuf, (String, String, String)) {
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    codegen::tree::copy_dir(&Path::new(CRATE_DIR).join("../schemas"), &schemas)
        .expect("copying the fixture");
    let catalog_path = schemas.join("catalog.json");
    let mut catalog: Value =
        serde_json::from_str(&fs::read_to_string(&catalog_path).unwrap()).unwrap();
    let first = catalog["contracts"][0].clone();
    let (event_type, old) = (
        first["type"].as_str().unwrap().to_string(),
        first["version"].as_str().unwrap().to_string(),
    );
    let new = "99.0".to_string();
    let old_schema_path = schemas.join(first["schema"].as_str().unwrap());
    let mut schema: Value =
        serde_json::from_str(&fs::read_to_string(&old_schema_path).unwrap()).unwrap();
    schema["properties"]["version"] = json!({"type": "string", "const": new});
    schema["properties"]["addedIn99"] = json!({"type": "string"});
    schema["required"]
        .as_array_mut()
        .unwrap()
        .push(json!("addedIn99"));
    let new_dir = format!("contracts/{event_type}/{new}");
    fs::create_dir_all(schemas.join(&new_dir).join("examples")).unwrap();
    fs::write(
        schemas.join(&new_dir).join("schema.json"),
        schema.to_string(),
    )
    .unwrap();
    let mut entry = first.clone();
    entry["version"] = json!(new);
    entry["rustName"] = json!("SideBySideV99");
    entry["schema"] = json!(format!("{new_dir}/schema.json"));
    entry["examples"] = json!(format!("{new_dir}/examples"));
    catalog["contracts"][0]["deprecated"] = json!("use 99.0");
    catalog["contracts"].as_array_mut().unwrap().push(entry);
    fs::write(&catalog_path, catalog.to_string()).unwrap();

    let old_event: Value = {
        let examples = schemas
            .join(first["examples"].as_str().unwrap())
            .join("valid");
        let mut files: Vec<PathBuf> = fs::read_dir(examples)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        serde_json::from_slice(&fs::read(&files[0]).unwrap()).unwrap()
    };
    let mut new_event = old_event.clone();
    new_event["version"] = json!(new);
    new_event["addedIn99"] = json!("here");
    new_event["id"] = json!("00000000-0000-4000-8000-000000000099");
    let mut old_shape_new_label = old_event.clone();
    old_shape_new_label["version"] = json!(new);
    old_shape_new_label["id"] = json!("00000000-0000-4000-8000-000000000098");
    let events = dir.path().join("events.jsonl");
    fs::write(
        &events,
        format!("{old_event}\n{new_event}\n{old_shape_new_label}\n"),
    )
    .unwrap();
    (dir, schemas, events, (event_type, old, new))
}

#[test]
fn versions_side_by_side_are_rows_of_their_own_and_a_deprecated_one_is_reported() {
    let (dir, schemas, events, (event_type, old, new)) = two_versions_side_by_side();
    let (code, report) = json_report(
        contracts()
            .arg("check")
            .arg("--schemas")
            .arg(&schemas)
            .arg(&events),
    );
    assert_eq!(code, 1);
    let row = |version: &str| {
        report["contracts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["eventType"] == json!(event_type) && r["version"] == json!(version))
            .unwrap_or_else(|| panic!("no row for {version}: {report:#}"))
            .clone()
    };
    assert_eq!(
        (
            row(&old)["messages"].clone(),
            row(&old)["conforming"].clone()
        ),
        (json!(1), json!(1))
    );
    assert_eq!(
        (
            row(&new)["messages"].clone(),
            row(&new)["violating"].clone()
        ),
        (json!(2), json!(1))
    );
    let results = report["results"].as_array().unwrap();
    // The old version conforms, with the deprecation as a warning.
    assert_eq!(results[0]["conforms"], json!(true));
    assert_eq!(results[0]["violations"][0]["rule"], json!("CT010"));
    assert_eq!(results[0]["violations"][0]["severity"], json!("warning"));
    assert_eq!(results[1]["violations"], json!([]));
    // Labelled with the new version, shaped like the old: a violation of the new version's
    // schema (the field it requires), not an unknown version.
    let violations = results[2]["violations"].as_array().unwrap();
    assert_eq!(violations.len(), 1, "{violations:#?}");
    assert_eq!(violations[0]["rule"], json!("CT001"));
    assert_eq!(violations[0]["keyword"], json!("required"));
    drop(dir);
}

#[test]
fn check_inside_a_tree_with_other_schemas_says_so_and_checks_the_tree_with_schemas() {
    let (dir, schemas, events, (event_type, _, new)) = two_versions_side_by_side();
    // Inside the scratch tree, compiled-in contracts: the note names what differs.
    let output = contracts()
        .current_dir(dir.path())
        .arg("check")
        .arg(&events)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("{event_type}@{new} (not compiled in)")),
        "{stderr}"
    );
    assert!(stderr.contains("pass --schemas"), "{stderr}");
    // Compiled in, the new version is unknown (CT003); with the tree's schemas it is known.
    let (_, compiled) = json_report(
        contracts()
            .current_dir(dir.path())
            .arg("check")
            .arg(&events),
    );
    assert_eq!(
        compiled["results"][1]["violations"][0]["rule"],
        json!("CT003")
    );
    let (_, tree) = json_report(
        contracts()
            .current_dir(dir.path())
            .arg("check")
            .arg("--schemas")
            .arg(&schemas)
            .arg(&events),
    );
    assert_eq!(tree["results"][1]["violations"], json!([]));
}

fn git(dir: &Path, args: &[&str]) {
    let status = StdCommand::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// A second clone: the repository's schemas committed in a scratch git repository.
fn second_clone() -> TempDir {
    let clone = tempfile::tempdir().unwrap();
    codegen::tree::copy_dir(
        &Path::new(CRATE_DIR).join("../schemas"),
        &clone.path().join("schemas"),
    )
    .expect("copying the fixture");
    git(clone.path(), &["init", "-q"]);
    git(clone.path(), &["add", "."]);
    git(clone.path(), &["commit", "-q", "-m", "schemas"]);
    clone
}

#[test]
fn schema_commands_act_on_the_tree_they_run_in_and_name_it() {
    let clone = second_clone();
    let root = clone.path().canonicalize().unwrap();
    let named = root.join("schemas").display().to_string();
    let inside = root.join("schemas/contracts");
    // Clean: every schema command exits 0 and names the tree.
    for args in [
        &["lint"][..],
        &["breaking", "--against", "HEAD"],
        &["examples"],
    ] {
        let output = contracts()
            .current_dir(&inside)
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stdout}");
        assert!(
            stdout.contains(&named),
            "{args:?} does not name {named}: {stdout}"
        );
    }
    // A breaking edit of the first contract in place: lint (the type const no longer the
    // catalog's) and breaking both fail.
    let catalog = codegen::Catalog::load(&root.join("schemas")).unwrap();
    let first = &catalog.contracts[0];
    let file = root.join("schemas").join(&first.schema);
    let mut schema: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    schema["properties"]["type"]["const"] = json!("renamed.in.place");
    fs::write(&file, serde_json::to_string_pretty(&schema).unwrap()).unwrap();
    for (args, rule) in [
        (&["lint"][..], "LINT003"),
        (&["breaking", "--against", "HEAD"], "BRK013"),
    ] {
        let output = contracts()
            .current_dir(&inside)
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stdout}");
        assert!(stdout.contains(rule), "{args:?}: {stdout}");
        assert!(stdout.contains(&named), "{args:?}: {stdout}");
        // And each format of the findings renders them, with the same exit code.
        for format in ["json", "junit", "github"] {
            let output = contracts()
                .current_dir(&inside)
                .args(args)
                .args(["--format", format])
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(1), "{args:?} {format}");
            assert!(
                String::from_utf8(output.stdout).unwrap().contains(rule),
                "{format}"
            );
        }
    }
}

#[test]
fn schema_commands_outside_a_tree_say_how_to_name_one() {
    let nowhere = tempfile::tempdir().unwrap();
    for args in [
        &["lint"][..],
        &["breaking", "--against", "HEAD"],
        &["docs", "--check"],
        &["asyncapi"],
        &["examples"],
    ] {
        let output = contracts()
            .current_dir(nowhere.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("no schemas/catalog.json in"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("--schemas DIR"), "{args:?}: {stderr}");
    }
}

#[test]
fn docs_and_asyncapi_run_as_the_binary() {
    let clone = second_clone();
    let output = contracts()
        .current_dir(clone.path())
        .args(["docs", "--check"])
        .output()
        .unwrap();
    // No docs/events in the clone yet: every page is stale.
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("stale: ") && stdout.contains("cargo xtask codegen"),
        "{stdout}"
    );
    let output = contracts()
        .current_dir(clone.path())
        .arg("docs")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(clone.path().join("docs/events").read_dir().unwrap().count() > 0);
    let output = contracts()
        .current_dir(clone.path())
        .args(["docs", "--check"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );

    let output = contracts()
        .current_dir(clone.path())
        .arg("asyncapi")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["asyncapi"], json!("3.0.0"));
}

#[test]
fn a_module_name_that_would_leave_the_docs_directory_is_refused_and_linted() {
    let clone = second_clone();
    let catalog_path = clone.path().join("schemas/catalog.json");
    let mut catalog: Value =
        serde_json::from_str(&fs::read_to_string(&catalog_path).unwrap()).unwrap();
    let escaping = clone.path().join("escaped");
    let name = format!("../../{}", escaping.file_name().unwrap().to_string_lossy());
    let old = catalog["modules"][0]["name"].as_str().unwrap().to_string();
    catalog["modules"][0]["name"] = json!(name);
    for contract in catalog["contracts"].as_array_mut().unwrap() {
        if contract["owner"] == json!(old) {
            contract["owner"] = json!(name);
        }
    }
    fs::write(
        &catalog_path,
        serde_json::to_string_pretty(&catalog).unwrap(),
    )
    .unwrap();

    let output = contracts()
        .current_dir(clone.path())
        .arg("docs")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("/modules/0/name") && stderr.contains("not a plain name"),
        "{stderr}"
    );
    assert!(!clone.path().join("escaped.md").exists());
    assert!(!escaping.with_extension("md").exists());

    let output = contracts()
        .current_dir(clone.path())
        .arg("lint")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("#/modules/0/name: error[LINT014]"),
        "{stdout}"
    );
}

#[test]
fn mask_values_masks_unknown_types_and_versions_in_every_format() {
    let (dir, _) = scratch();
    let event: Value = serde_json::from_str(&valid_event_line()).unwrap();
    let mut unknown_type = event.clone();
    unknown_type["type"] = json!("secret.customer.acme");
    let mut unknown_version = event.clone();
    unknown_version["version"] = json!("9.9-secret-tenant");
    let file = dir.path().join("secrets.jsonl");
    fs::write(
        &file,
        format!("{unknown_type}\n{unknown_version}\n{event}\n"),
    )
    .unwrap();
    for format in ["text", "json", "junit", "github"] {
        let output = contracts()
            .args(["check", "--mask-values", "--format", format])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        for secret in ["secret.customer.acme", "9.9-secret-tenant"] {
            assert!(
                !stdout.contains(secret),
                "{format} shows {secret}:\n{stdout}"
            );
        }
        // The known contract is no secret.
        assert!(
            stdout.contains(event["type"].as_str().unwrap()),
            "{format}:\n{stdout}"
        );
    }
}

#[test]
fn a_huge_offending_value_is_quoted_short_in_every_format() {
    let (dir, _) = scratch();
    let mut event: Value = serde_json::from_str(&valid_event_line()).unwrap();
    let huge = "x".repeat(2 * 1024 * 1024);
    event["tenantId"] = json!(huge);
    let mut unknown = event.clone();
    unknown["type"] = json!(huge);
    let file = dir.path().join("huge.jsonl");
    fs::write(&file, format!("{event}\n{unknown}\n")).unwrap();
    for format in ["text", "json", "junit", "github"] {
        let output = contracts()
            .args(["check", "--format", format])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        // Two records of 2 MB each: the report quotes neither whole.
        assert!(
            output.stdout.len() < 64 * 1024,
            "{format}: a {} byte report",
            output.stdout.len()
        );
        assert!(
            String::from_utf8(output.stdout).unwrap().contains("xxxx"),
            "{format}"
        );
    }
}

/// A key written twice in an event is CT012 whichever input carries the event (a plain line, a
/// recording's body, a management payload, a log line at a pointer), and nowhere else: a key
/// repeated in a recording's own fields makes the line unreadable, not the event violating.
#[test]
fn a_repeated_key_is_a_violation_in_every_input_that_carries_an_event() {
    let (dir, _) = scratch();
    let event = valid_event_line();
    let parsed: Value = serde_json::from_str(&event).unwrap();
    let id = parsed["id"].to_string();
    let doubled = event.replacen('{', &format!("{{\"id\":{id},"), 1);
    let delivery = |body: &str| {
        format!(
            r#"{{"exchange":"coder.events","routingKey":{},"properties":{{"contentType":"application/json"}},"body":{body}}}"#,
            parsed["type"]
        )
    };
    let management = format!(
        r#"[{{"payload_bytes":1,"redelivered":false,"exchange":"coder.events","routing_key":{},"message_count":0,"properties":{{"content_type":"application/json"}},"payload":{},"payload_encoding":"string"}}]"#,
        parsed["type"],
        Value::String(doubled.clone())
    );
    let files = [
        ("plain.jsonl", doubled.clone()),
        ("body.recording.jsonl", delivery(&doubled)),
        ("management.json", management),
        (
            "envelope.recording.jsonl",
            delivery(&event).replacen('{', r#"{"exchange":"elsewhere","#, 1),
        ),
    ];
    for (name, text) in &files {
        fs::write(dir.path().join(name), format!("{text}\n")).unwrap();
    }
    let (code, report) = json_report(contracts().arg("check").arg(dir.path()));
    assert_eq!(code, 2, "{report}");
    for (name, _) in &files[..3] {
        let file = dir.path().join(name).display().to_string();
        let results = results_of(&report, &file);
        assert_eq!(results.len(), 1, "{name}: {report}");
        assert_eq!(
            results[0]["violations"][0]["rule"],
            json!("CT012"),
            "{name}"
        );
        assert_eq!(
            results[0]["violations"][0]["instancePath"],
            json!(""),
            "{name}"
        );
    }
    let envelope = dir
        .path()
        .join("envelope.recording.jsonl")
        .display()
        .to_string();
    let results = results_of(&report, &envelope);
    assert!(
        results[0]["unreadable"]
            .as_str()
            .is_some_and(|why| why.contains("exchange")),
        "{results:?}"
    );

    let log = dir.path().join("service.log");
    fs::write(
        &log,
        format!("{{\"level\":\"info\",\"event\":{doubled}}}\n"),
    )
    .unwrap();
    let (code, report) = json_report(
        contracts()
            .args(["validate", "--event-pointer", "/event"])
            .arg(&log),
    );
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        report["results"][0]["violations"][0]["rule"],
        json!("CT012")
    );
}

/// Two copies of the repository's schemas (previous, current), the first contract that has a
/// `number` property (its schema file in `current`, as the catalog names it), and the pointer to
/// that property's schema.
struct NumberProperty {
    _dir: TempDir,
    previous: PathBuf,
    current: PathBuf,
    schema: PathBuf,
    pointer: String,
}

fn schemas_with_a_number_property() -> NumberProperty {
    let dir = tempfile::tempdir().unwrap();
    let (previous, current) = (dir.path().join("previous"), dir.path().join("current"));
    let schemas = Path::new(CRATE_DIR).join("../schemas");
    codegen::tree::copy_dir(&schemas, &previous).expect("copying the fixture");
    codegen::tree::copy_dir(&schemas, &current).expect("copying the fixture");
    fn find_number(node: &Value, at: String) -> Option<String> {
        let properties = node.get("properties").and_then(Value::as_object)?;
        for (name, property) in properties {
            let here = format!("{at}/properties/{name}");
            if property.get("type") == Some(&json!("number")) {
                return Some(here);
            }
            if let Some(found) = find_number(property, here) {
                return Some(found);
            }
        }
        None
    }
    let catalog = codegen::Catalog::load(&current).unwrap();
    for contract in &catalog.contracts {
        let text = fs::read_to_string(current.join(&contract.schema)).unwrap();
        if let Some(pointer) = find_number(&serde_json::from_str(&text).unwrap(), String::new()) {
            return NumberProperty {
                _dir: dir,
                previous,
                current,
                schema: contract.schema.clone(),
                pointer,
            };
        }
    }
    panic!("no catalog contract has a number property to change");
}

impl NumberProperty {
    /// Edits the current schema's property.
    fn edit(&self, edit: impl FnOnce(&mut Value)) {
        let file = self.current.join(&self.schema);
        let mut schema: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
        edit(schema.pointer_mut(&self.pointer).expect("the property"));
        fs::write(file, serde_json::to_string_pretty(&schema).unwrap()).unwrap();
    }

    /// `contracts breaking --format FORMAT` of the current schemas against the previous ones,
    /// with `more` arguments.
    fn breaking(&self, format: &str, more: &[&std::ffi::OsStr]) -> std::process::Output {
        contracts()
            .args(["breaking", "--format", format, "--against"])
            .arg(&self.previous)
            .arg("--schemas")
            .arg(&self.current)
            .args(more)
            .output()
            .unwrap()
    }

    /// `contracts breaking --format json` of the current schemas against the previous ones.
    fn findings(&self) -> Vec<Value> {
        let output = self.breaking("json", &[]);
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
        report["findings"].as_array().unwrap().clone()
    }

    /// Whether the contract's bundled schema in `dir` accepts `event`, by jsonschema configured
    /// as the contracts' validators are.
    fn accepts(&self, dir: &Path, event: &Value) -> bool {
        let (_, bundled) = codegen::load(dir).unwrap();
        let contract = bundled
            .iter()
            .find(|b| b.contract.schema == self.schema)
            .expect("the contract");
        coder_events::options()
            .build(&contract.schema)
            .unwrap()
            .is_valid(event)
    }

    /// Asserts `finding` carries a counterexample that the `accepting` state of the schema
    /// accepts and the other rejects (both checked here with jsonschema), marked where it fails.
    fn assert_counterexample(&self, finding: &Value, accepting: &str) {
        let (accepted, rejected, rejecting) = match accepting {
            "old" => (&self.previous, &self.current, "new"),
            _ => (&self.current, &self.previous, "old"),
        };
        let evidence = &finding["evidence"];
        assert_eq!(evidence["kind"], "counterexample", "{finding}");
        assert_eq!(evidence["acceptedBy"], accepting, "{finding}");
        assert_eq!(evidence["rejectedBy"], rejecting, "{finding}");
        let text = evidence["event"].as_str().unwrap();
        let event: Value = serde_json::from_str(text).unwrap();
        assert!(self.accepts(accepted, &event), "{finding}");
        assert!(!self.accepts(rejected, &event), "{finding}");
        let marked = evidence["marked"].as_str().unwrap();
        assert!(marked.contains('»') && marked.contains('«'), "{marked}");
        assert_eq!(marked.replace(['»', '«'], ""), text);
    }
}

/// A number property made a string: BRK009 (producers) and BRK010 (consumers), each with an
/// event that shows it, which jsonschema confirms on both states of the schema.
#[test]
fn a_breaking_change_comes_with_a_counterexample_both_validators_confirm() {
    let tree = schemas_with_a_number_property();
    tree.edit(|property| property["type"] = json!("string"));
    let findings = tree.findings();
    let at = |rule: &str| {
        let pointer = format!("{}/type", tree.pointer);
        findings
            .iter()
            .find(|f| f["rule"] == rule && f["pointer"] == pointer)
            .unwrap_or_else(|| panic!("no {rule} at {pointer}: {findings:?}"))
            .clone()
    };
    tree.assert_counterexample(&at("BRK009"), "old");
    tree.assert_counterexample(&at("BRK010"), "new");
    // Recorded traffic weighs it: two messages the new schema rejects (the producer break's
    // counterexample twice), one it newly accepts, and a line that holds no event.
    let traffic = tree.current.parent().unwrap().join("traffic.jsonl");
    let event = |rule: &str| at(rule)["evidence"]["event"].as_str().unwrap().to_string();
    let (producer, consumer) = (event("BRK009"), event("BRK010"));
    fs::write(
        &traffic,
        format!("{producer}\n{producer}\n{consumer}\nnot json\n"),
    )
    .unwrap();
    let output = tree.breaking("json", &["--traffic".as_ref(), traffic.as_os_str()]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let weighed = &report["traffic"];
    assert_eq!(weighed["records"], 4, "{weighed}");
    assert_eq!(weighed["recordsWithoutEvent"], 1, "{weighed}");
    let contract = &weighed["contracts"][0];
    assert_eq!(contract["messages"], 3, "{weighed}");
    assert_eq!(contract["rejectedByNew"], 2, "{weighed}");
    assert_eq!(contract["acceptedByNew"], 1, "{weighed}");
    let file = traffic.display().to_string();
    assert_eq!(
        contract["rejectedByNewAt"],
        json!([format!("{file}:1"), format!("{file}:2")])
    );
    assert_eq!(contract["acceptedByNewAt"], json!([format!("{file}:3")]));
    // The same events in log lines, read at --event-pointer (one as an object, the others as
    // a string holding the event's JSON), weigh the same.
    let logs = tree.current.parent().unwrap().join("service.log");
    let log_line = |event: &str, embed: bool| {
        let event: Value = serde_json::from_str(event).unwrap();
        let at = if embed {
            json!(event.to_string())
        } else {
            event
        };
        json!({"level": "info", "fields": {"event": at}}).to_string()
    };
    fs::write(
        &logs,
        [
            log_line(&producer, false),
            log_line(&producer, true),
            log_line(&consumer, true),
            json!({"level": "info", "fields": {}}).to_string(),
        ]
        .join("\n"),
    )
    .unwrap();
    let output = tree.breaking(
        "json",
        &[
            "--traffic".as_ref(),
            logs.as_os_str(),
            "--event-pointer".as_ref(),
            "/fields/event".as_ref(),
        ],
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let from_logs = &report["traffic"];
    assert_eq!(from_logs["records"], 4, "{from_logs}");
    assert_eq!(from_logs["recordsWithoutEvent"], 1, "{from_logs}");
    let contract = &from_logs["contracts"][0];
    assert_eq!(
        (
            &contract["messages"],
            &contract["rejectedByNew"],
            &contract["acceptedByNew"]
        ),
        (&json!(3), &json!(2), &json!(1)),
        "{from_logs}"
    );
    let file = logs.display().to_string();
    assert_eq!(
        contract["rejectedByNewAt"],
        json!([format!("{file}:1"), format!("{file}:2")])
    );
    // The pull-request summary says the same in words.
    let output = tree.breaking("markdown", &[]);
    assert_eq!(output.status.code(), Some(1));
    let summary = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "**BRK009**",
        "breaks **producers**",
        "**BRK010**",
        "breaks **consumers**",
        "counterexample (the old schema accepts it, the new rejects it",
        "```json",
    ] {
        assert!(summary.contains(expected), "{expected}:\n{summary}");
    }
    // And for code scanning: SARIF with the rule, the file and line, and the evidence.
    let output = tree.breaking("sarif", &[]);
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let narrowed = results
        .iter()
        .find(|r| r["ruleId"] == "BRK009")
        .expect("BRK009 in the SARIF log");
    assert_eq!(narrowed["level"], "error");
    assert!(narrowed["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64());
    assert_eq!(narrowed["properties"]["evidence"]["kind"], "counterexample");
}

/// `--traffic` on the sample recordings: the changed contract's recorded messages are the ones
/// `check` counts for it, and a number property made a string rejects some of them.
#[test]
fn breaking_weighs_a_change_with_the_sample_recordings() {
    let tree = schemas_with_a_number_property();
    let catalog = codegen::Catalog::load(&tree.current).unwrap();
    let contract = catalog
        .contracts
        .iter()
        .find(|c| c.schema == tree.schema)
        .unwrap()
        .clone();
    tree.edit(|property| property["type"] = json!("string"));
    let recordings = Path::new(CRATE_DIR).join("recordings");
    let output = tree.breaking("json", &["--traffic".as_ref(), recordings.as_os_str()]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let weighed = report["traffic"]["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["eventType"] == contract.event_type && c["version"] == contract.version)
        .cloned()
        .expect("the changed contract is weighed");
    let (_, checked) = json_report(
        contracts()
            .args(["check", "--schemas", FIXTURE_SCHEMAS])
            .arg(&recordings),
    );
    let recorded = checked["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["eventType"] == contract.event_type && c["version"] == contract.version)
        .map_or(0, |c| c["messages"].as_u64().unwrap());
    assert_eq!(weighed["messages"], recorded, "{weighed}");
    if recorded > 0 {
        let rejected = weighed["rejectedByNew"].as_u64().unwrap();
        assert!(rejected > 0 && rejected <= recorded, "{weighed}");
        assert!(!weighed["rejectedByNewAt"].as_array().unwrap().is_empty());
    }
}

/// A change the comparison cannot direct (BRK026: an `anyOf` added) gets its direction from a
/// counterexample: a number property that may now also be a string breaks consumers only.
#[test]
fn an_anyof_edit_gets_its_direction_from_a_counterexample() {
    let tree = schemas_with_a_number_property();
    tree.edit(|property| {
        let description = property["description"].clone();
        *property = json!({
            "description": description,
            "anyOf": [{"type": "number"}, {"type": "string"}]
        });
    });
    let findings = tree.findings();
    let pointer = format!("{}/anyOf", tree.pointer);
    let keyword_changed: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "BRK026" && f["pointer"] == pointer)
        .collect();
    assert!(!keyword_changed.is_empty(), "{findings:?}");
    for finding in keyword_changed {
        assert_eq!(finding["breaks"], "consumers", "{finding}");
        let message = finding["message"].as_str().unwrap();
        assert!(
            message.contains("a counterexample decides whom it breaks"),
            "{message}"
        );
        tree.assert_counterexample(finding, "new");
    }
}

/// The `contracts` invocations of the CI recipe (`docs/ci/github-actions.yml`): each `run:` line
/// that runs the binary, as its arguments (quotes removed, the base ref of a pull request given
/// as `base_ref`, a redirection and `|| true` left out).
fn recipe_commands(recipe: &str, base_ref: &str) -> Vec<Vec<String>> {
    const MARK: &str = "--bin contracts -- ";
    recipe
        .lines()
        .filter_map(|line| line.trim().strip_prefix("run: "))
        .filter_map(|run| run.split_once(MARK).map(|(_, args)| args))
        .map(|args| {
            let args = args.split(" > ").next().unwrap();
            let args = args.split(" >> ").next().unwrap();
            let args = args.trim_end_matches(" || true");
            args.replace("origin/${{ github.base_ref }}", base_ref)
                .split_whitespace()
                .map(|word| word.trim_matches('"').to_string())
                .collect()
        })
        .collect()
}

/// The CI recipe users copy runs here: every `contracts` command it names works on this
/// repository (0 or 1, never 2), and the SARIF and Markdown it writes are what they claim.
#[test]
fn the_ci_recipe_runs_every_contracts_command_it_names() {
    let root = Path::new(CRATE_DIR).join("..");
    let recipe = fs::read_to_string(root.join("docs/ci/github-actions.yml")).unwrap();
    let commands = recipe_commands(&recipe, "HEAD");
    let named: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
    for command in ["lint", "breaking", "check"] {
        assert!(
            named.contains(&command),
            "the recipe runs {command}: {named:?}"
        );
    }
    for args in &commands {
        let output = contracts().current_dir(&root).args(args).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let code = output.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "{args:?} exited {code:?}: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let format = args
            .iter()
            .position(|a| a == "--format")
            .map(|i| args[i + 1].as_str());
        match format {
            Some("sarif") => {
                let log: Value = serde_json::from_str(&stdout).unwrap();
                assert_eq!(log["version"], "2.1.0", "{args:?}");
            }
            Some("markdown") => assert!(stdout.starts_with("## "), "{args:?}: {stdout}"),
            Some("github") => assert!(
                stdout
                    .lines()
                    .all(|l| l.starts_with("::") || !l.contains("::")),
                "{args:?}: {stdout}"
            ),
            _ => {}
        }
    }
}

/// Runs git in `dir`, with an identity of its own for commits and tags.
fn git_in(dir: &Path, args: &[&str]) {
    let status = StdCommand::new("git")
        .args([
            "-c",
            "user.name=contracts tests",
            "-c",
            "user.email=tests@example.invalid",
        ])
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `--against` several refs and `--against-tags`: the schemas stay compatible with every
/// released state, each finding naming the one it breaks with; a pattern no tag matches is an
/// error, not a pass.
#[test]
fn breaking_compares_with_every_release_a_tag_pattern_names() {
    let tree = schemas_with_a_number_property();
    let repo = tree.current.parent().unwrap().join("repo");
    codegen::tree::copy_dir(&tree.current, &repo.join("schemas")).expect("copying the fixture");
    git_in(&repo, &["init", "-q"]);
    git_in(&repo, &["add", "."]);
    git_in(&repo, &["commit", "-q", "-m", "v1"]);
    git_in(&repo, &["tag", "v1"]);
    git_in(&repo, &["commit", "-q", "--allow-empty", "-m", "v2"]);
    git_in(&repo, &["tag", "v2"]);
    let file = repo.join("schemas").join(&tree.schema);
    let mut schema: Value = serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    schema.pointer_mut(&tree.pointer).unwrap()["type"] = json!("string");
    fs::write(&file, serde_json::to_string_pretty(&schema).unwrap()).unwrap();

    let run = |args: &[&str]| {
        let output = contracts()
            .current_dir(&repo)
            .arg("breaking")
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (code, stdout, _) = run(&["--against-tags", "v*"]);
    assert_eq!(code, Some(1), "{stdout}");
    for tag in ["v1", "v2"] {
        assert!(
            stdout.contains(&format!("error[BRK009] against {tag}: ")),
            "{stdout}"
        );
        assert!(stdout.contains(&format!("with {tag}:schemas/")), "{stdout}");
    }
    let (code, stdout, _) = run(&["--against", "v1", "--against", "v2"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(
        stdout.matches("error[BRK009] against v").count(),
        2,
        "{stdout}"
    );
    let (code, _, stderr) = run(&["--against-tags", "release-*"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no tag matches \"release-*\""), "{stderr}");
    // Run from the repository's root, findings name files as the repository does, which is
    // what code scanning resolves a SARIF location by.
    let (_, sarif, _) = run(&["--against", "v1", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    let expected = format!("schemas/{}", tree.schema.display());
    assert_eq!(uri.as_str(), Some(expected.as_str()), "{sarif}");
}
