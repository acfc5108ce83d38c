//! `contracts lint`: each rule against its own fixture (a minimal schemas directory under
//! tests/fixtures/lint/<ID>/ that breaks that rule and no other), the repository's schemas, the
//! ignore configuration, and the renderers.

use std::path::{Path, PathBuf};

use contracts_findings::exit::Exit;
use contracts_findings::{self as finding, Finding, Severity};
use contracts_schema_checks::lint::{lint, rule_docs, LintOptions, LINT_RULES};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint")
}

/// (rule, severity, file relative to the schemas directory, line, pointer, message)
type Row = (
    &'static str,
    Severity,
    String,
    Option<usize>,
    String,
    String,
);

fn rows(dir: &Path, findings: &[Finding]) -> Vec<Row> {
    findings
        .iter()
        .map(|f| {
            let file = f.file.strip_prefix(dir).unwrap_or(&f.file);
            (
                f.rule,
                f.severity,
                file.display().to_string(),
                f.line,
                f.pointer.clone(),
                f.message.clone(),
            )
        })
        .collect()
}

fn lint_fixture(name: &str) -> Vec<Row> {
    let dir = fixtures().join(name);
    let report = lint(&LintOptions::new(&dir)).expect("the fixture can be read");
    rows(&dir, &report.findings)
}

fn row(
    rule: &'static str,
    severity: Severity,
    file: &str,
    line: usize,
    pointer: &str,
    message: &str,
) -> Row {
    (
        rule,
        severity,
        file.to_string(),
        Some(line),
        pointer.to_string(),
        message.to_string(),
    )
}

const SCHEMA: &str = "contracts/demo.created/1.0/schema.json";
use Severity::{Error, Warning};

#[test]
fn the_clean_fixture_has_no_findings() {
    assert_eq!(lint_fixture("clean"), vec![]);
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it_and_nothing_else() {
    for rule in &LINT_RULES {
        let found = lint_fixture(rule.doc.id);
        assert!(
            !found.is_empty(),
            "{} found nothing in its fixture",
            rule.doc.id
        );
        for f in &found {
            assert_eq!(
                f.0, rule.doc.id,
                "{}'s fixture also triggers {f:?}",
                rule.doc.id
            );
            assert_eq!(f.1, rule.doc.default_severity);
        }
    }
}

#[test]
fn lint001_meta_schema() {
    assert_eq!(
        lint_fixture("LINT001"),
        vec![row(
            "LINT001",
            Error,
            SCHEMA,
            29,
            "/properties/name/minLength",
            "not a valid draft-07 schema: -1 is less than the minimum of 0"
        )]
    );
}

#[test]
fn lint002_schema_header() {
    assert_eq!(
        lint_fixture("LINT002"),
        vec![row("LINT002", Error, SCHEMA, 1, "", "has no \"title\"")]
    );
}

#[test]
fn lint003_contract_constants() {
    assert_eq!(
        lint_fixture("LINT003"),
        vec![row(
            "LINT003",
            Error,
            SCHEMA,
            17,
            "/properties/type",
            "\"type\" must be const \"demo.created\" as in the catalog (demo.created@1.0), but is const \"demo.removed\""
        )]
    );
}

#[test]
fn lint004_contract_location() {
    assert_eq!(
        lint_fixture("LINT004"),
        vec![
            row(
                "LINT004",
                Error,
                "catalog.json",
                27,
                "/contracts/0/schema",
                "schema of demo.created@1.0 is contracts/demo/1.0/schema.json; it belongs at contracts/demo.created/1.0/schema.json"
            ),
            row(
                "LINT004",
                Error,
                "catalog.json",
                28,
                "/contracts/0/examples",
                "examples of demo.created@1.0 is contracts/demo/1.0/examples; it belongs at contracts/demo.created/1.0/examples"
            ),
        ]
    );
}

#[test]
fn lint005_id_format() {
    assert_eq!(
        lint_fixture("LINT005"),
        vec![
            row(
                "LINT005",
                Error,
                SCHEMA,
                27,
                "/properties/ownerId",
                "\"ownerId\" is an identifier but has no \"format\": \"uuid\""
            ),
            row(
                "LINT005",
                Error,
                SCHEMA,
                31,
                "/properties/tagIds",
                "\"tagIds\" lists identifiers but its items have no \"format\": \"uuid\""
            ),
        ]
    );
}

#[test]
fn lint006_property_description() {
    assert_eq!(
        lint_fixture("LINT006"),
        vec![row(
            "LINT006",
            Warning,
            SCHEMA,
            27,
            "/properties/name",
            "property \"name\" has no description"
        )]
    );
}

#[test]
fn lint007_required_declared() {
    assert_eq!(
        lint_fixture("LINT007"),
        vec![row(
            "LINT007",
            Error,
            SCHEMA,
            10,
            "/required/3",
            "\"name\" is required but not declared in \"properties\""
        )]
    );
}

#[test]
fn lint008_format_allowed() {
    assert_eq!(
        lint_fixture("LINT008"),
        vec![row(
            "LINT008",
            Error,
            SCHEMA,
            29,
            "/properties/count/format",
            "format \"int32\" is not asserted by the engine; use one of uuid, date-time, date, time, ipv4, ipv6"
        )]
    );
}

#[test]
fn lint009_ref_local() {
    assert_eq!(
        lint_fixture("LINT009"),
        vec![row(
            "LINT009",
            Error,
            SCHEMA,
            28,
            "/properties/source/$ref",
            "$ref \"https://schemas.example.com/source.json#/definitions/Source\" names a URL; references must be relative paths inside schemas/ and are never fetched"
        )]
    );
}

#[test]
fn lint010_codegen_keyword() {
    assert_eq!(
        lint_fixture("LINT010"),
        vec![row(
            "LINT010",
            Error,
            SCHEMA,
            30,
            "/properties/kind/allOf",
            "keyword \"allOf\" cannot be expressed by the Rust codegen (typify 0.8)"
        )]
    );
}

#[test]
fn lint011_examples_present() {
    assert_eq!(
        lint_fixture("LINT011"),
        vec![row(
            "LINT011",
            Error,
            "catalog.json",
            28,
            "/contracts/0/examples",
            "demo.created@1.0 has no invalid example: add one under contracts/demo.created/1.0/examples/invalid"
        )]
    );
}

#[test]
fn lint012_orphan_file() {
    assert_eq!(
        lint_fixture("LINT012"),
        vec![row(
            "LINT012",
            Error,
            "contracts/demo.created/0.9/schema.json",
            1,
            "",
            "no contract in catalog.json lists this file as its schema or under its examples"
        )]
    );
}

#[test]
fn lint013_missing_file() {
    assert_eq!(
        lint_fixture("LINT013"),
        vec![row(
            "LINT013",
            Error,
            "catalog.json",
            28,
            "/contracts/0/examples",
            "contracts/demo.created/1.0/examples of demo.created@1.0 does not exist"
        )]
    );
}

#[test]
fn lint014_catalog_valid() {
    assert_eq!(
        lint_fixture("LINT014"),
        vec![row(
            "LINT014",
            Error,
            "catalog.json",
            19,
            "/contracts/0/routingKey",
            "routingKey \"demo.made\" differs from the event type \"demo.created\""
        )]
    );
}

#[test]
fn lint015_bundles() {
    assert_eq!(
        lint_fixture("LINT015"),
        vec![row(
            "LINT015",
            Error,
            SCHEMA,
            28,
            "/properties/source/$ref",
            "$ref \"../../../common/parts.json\" must point at a definition inside the file, such as file.json#/definitions/Name"
        )]
    );
}

#[test]
fn lint016_placeholder_left() {
    assert_eq!(
        lint_fixture("LINT016"),
        vec![
            row(
                "LINT016",
                Error,
                "catalog.json",
                21,
                "/contracts/0/summary",
                "still says \"TODO(scaffold): when it is emitted, in one sentence\": write what belongs here"
            ),
            row(
                "LINT016",
                Error,
                SCHEMA,
                4,
                "/description",
                "still says \"TODO(scaffold): what the event means and who publishes it\": write what belongs here"
            ),
        ]
    );
}

#[test]
fn lint017_wrong_version_example() {
    assert_eq!(
        lint_fixture("LINT017"),
        vec![row(
            "LINT017",
            Error,
            "contracts/demo.created/1.0/examples/invalid/02-wrong-version.json",
            10,
            "/event/version",
            "labelled a wrong version, but demo.created 1.0 is in the catalog: use a version it does not have, such as 0.0"
        )]
    );
}

#[test]
fn the_repository_schemas_have_no_error_findings() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let report = lint(&LintOptions::new(&schemas)).expect("the schemas can be read");
    let errors: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity == Error)
        .collect();
    assert!(errors.is_empty(), "lint errors in schemas/:\n{errors:#?}");
    assert_eq!(report.exit_code(), Exit::Clean);
    let catalog = codegen::Catalog::load(&schemas).unwrap();
    assert_eq!(report.contracts, catalog.contracts.len());
    // Every contract's schema and the shared parts they reach by `$ref`.
    let shared = std::fs::read_dir(schemas.join("common")).unwrap().count();
    assert_eq!(report.schema_files, catalog.contracts.len() + shared);
}

#[test]
fn the_configuration_ignores_a_rule_under_a_path_prefix() {
    let dir = fixtures().join("ignore-config");
    let report = lint(&LintOptions::new(&dir)).expect("the fixture can be read");
    assert_eq!(rows(&dir, &report.findings), vec![]);
    assert_eq!(report.ignored, 1);

    // The same schemas without the configuration: the finding is back.
    let elsewhere = tempfile::tempdir().unwrap();
    let config = elsewhere.path().join("empty.json");
    std::fs::write(&config, r#"{"lint": {"ignore": {}}}"#).unwrap();
    let report = lint(&LintOptions {
        schemas_dir: dir.clone(),
        config: Some(config),
    })
    .unwrap();
    assert_eq!(
        rows(&dir, &report.findings),
        vec![row(
            "LINT006",
            Warning,
            SCHEMA,
            27,
            "/properties/name",
            "property \"name\" has no description"
        )]
    );
}

/// `lint.rules` of the one configuration file sets a lint rule's severity, or switches it off.
#[test]
fn the_configuration_sets_lint_severities_by_id_or_name() {
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = fixtures().join("LINT006");
    let severities = |rules: &str| -> Vec<Severity> {
        let config = elsewhere.path().join("rules.json");
        std::fs::write(&config, format!(r#"{{"lint": {{"rules": {rules}}}}}"#)).unwrap();
        let report = lint(&LintOptions {
            schemas_dir: dir.clone(),
            config: Some(config),
        })
        .unwrap();
        report
            .findings
            .iter()
            .filter(|f| f.rule == "LINT006")
            .map(|f| f.severity)
            .collect()
    };
    assert_eq!(severities("{}"), [Warning]);
    assert_eq!(severities(r#"{"LINT006": "error"}"#), [Error]);
    assert_eq!(severities(r#"{"property-description": "off"}"#), []);

    let config = elsewhere.path().join("typo.json");
    std::fs::write(&config, r#"{"lint": {"rules": {"LINT06": "off"}}}"#).unwrap();
    let error = lint(&LintOptions {
        schemas_dir: dir,
        config: Some(config),
    })
    .unwrap_err();
    assert_eq!(error.pointer.as_deref(), Some("/lint/rules/LINT06"));
}

#[test]
fn a_configuration_naming_an_unknown_rule_is_an_error() {
    let elsewhere = tempfile::tempdir().unwrap();
    let config = elsewhere.path().join("typo.json");
    std::fs::write(
        &config,
        r#"{"lint": {"ignore": {"LINT06": ["contracts/"]}}}"#,
    )
    .unwrap();
    let error = lint(&LintOptions {
        schemas_dir: fixtures().join("clean"),
        config: Some(config.clone()),
    })
    .unwrap_err();
    assert_eq!(error.file, config);
    assert_eq!(error.pointer.as_deref(), Some("/lint/ignore/LINT06"));
    assert!(
        error
            .message
            .starts_with("no lint rule has the ID \"LINT06\""),
        "{error}"
    );
}

#[test]
fn a_file_that_is_not_json_is_reported_with_its_line_and_the_rest_is_still_linted() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("schemas");
    codegen::tree::copy_dir(&fixtures().join("LINT006"), &dir).expect("copying the fixture");
    std::fs::create_dir_all(dir.join("common")).unwrap();
    std::fs::write(
        dir.join("common/broken.json"),
        "{\n  \"title\": \"x\",\n  oops\n}\n",
    )
    .unwrap();
    let report = lint(&LintOptions::new(&dir)).unwrap();
    let found = rows(&dir, &report.findings);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        (found[0].0, found[0].2.as_str(), found[0].3),
        ("LINT001", "common/broken.json", Some(3))
    );
    assert!(
        found[0].5.starts_with("not JSON: key must be a string"),
        "{}",
        found[0].5
    );
    assert_eq!(
        (found[1].0, found[1].4.as_str()),
        ("LINT006", "/properties/name")
    );
}

#[test]
fn findings_render_as_text_json_junit_and_github_annotations() {
    let dir = fixtures().join("LINT009");
    let report = lint(&LintOptions::new(&dir)).unwrap();
    let file = dir.join(SCHEMA).display().to_string();

    let text = finding::render_text(&report.findings);
    assert_eq!(
        text,
        format!("{file}:28#/properties/source/$ref: error[LINT009] $ref \"https://schemas.example.com/source.json#/definitions/Source\" names a URL; references must be relative paths inside schemas/ and are never fetched\n1 error(s), 0 warning(s), 0 info\n")
    );

    let json: Value = serde_json::from_str(&finding::render_json(&report.findings)).unwrap();
    assert_eq!(json["totals"]["errors"], 1);
    assert_eq!(json["findings"][0]["rule"], "LINT009");
    assert_eq!(json["findings"][0]["line"], 28);
    assert_eq!(json["findings"][0]["pointer"], "/properties/source/$ref");

    let junit = finding::render_junit("lint", &rule_docs(), &report.findings);
    assert_eq!(junit.matches("<testcase ").count(), LINT_RULES.len());
    assert!(junit.contains(&format!(
        r#"<testsuite name="lint" tests="{}" failures="1" errors="0">"#,
        LINT_RULES.len()
    )));
    assert!(junit.contains(r#"<testcase name="LINT009 ref-local" classname="lint">"#));
    assert_eq!(junit.matches("<failure ").count(), 1);

    let github = finding::render_github(&rule_docs(), &report.findings);
    assert_eq!(
        github.lines().next().unwrap(),
        format!("::error file={file},line=28,title=LINT009 ref-local::/properties/source/$ref: $ref \"https://schemas.example.com/source.json#/definitions/Source\" names a URL; references must be relative paths inside schemas/ and are never fetched")
    );
    assert_eq!(report.exit_code(), Exit::Findings);
}

#[test]
fn a_dangling_local_ref_is_a_lint015_finding_and_stops_asyncapi() {
    let temp = tempfile::tempdir().unwrap();
    codegen::tree::copy_dir(&fixtures().join("clean"), temp.path()).expect("copying the fixture");
    let file = temp.path().join(SCHEMA);
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    schema["properties"]["id"] = serde_json::json!({"$ref": "#/definitions/Nope"});
    std::fs::write(&file, serde_json::to_string_pretty(&schema).unwrap()).unwrap();

    let found = rows(
        temp.path(),
        &lint(&LintOptions::new(temp.path())).unwrap().findings,
    );
    assert!(
        found.iter().any(|f| f.0 == "LINT015"
            && f.4 == "/properties/id/$ref"
            && f.5.contains("#/definitions/Nope")),
        "{found:#?}"
    );
    let error = contracts_schema_checks::asyncapi::document(
        &contracts_schema_checks::asyncapi::AsyncApiOptions {
            schemas_dir: temp.path().to_path_buf(),
        },
    )
    .expect_err("a dangling reference stops the document");
    assert_eq!(error.pointer.as_deref(), Some("/properties/id/$ref"));
}
