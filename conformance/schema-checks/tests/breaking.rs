//! `contracts breaking`: one previous/current fixture pair per rule (tests/fixtures/breaking/
//! <ID>/), the compatibility modes, `--against` a git ref in a scripted repository, and the
//! end-to-end case on every contract of the repository's catalog.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::catalog::Compatibility;
use contracts_findings::exit::Exit;
use contracts_findings::{self as finding, Breaks, Finding, Severity};
use contracts_schema_checks::breaking::{
    breaking, Against, BreakingOptions, BreakingReport, BREAKING_RULES,
};
use contracts_schema_checks::lint::{lint, LintOptions};
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/breaking")
}

fn repository_schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

/// Runs `breaking`; in every test, the engine and jsonschema agree on every event the searches
/// for evidence generate.
fn run(current: &Path, against: Against) -> BreakingReport {
    let report = breaking(&BreakingOptions {
        schemas_dir: current.to_path_buf(),
        against,
    })
    .expect("both trees can be read");
    let disagreements: Vec<String> = report.disagreements.iter().map(|d| d.to_string()).collect();
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    report
}

/// (rule, severity, file relative to the current schemas directory, line, pointer, breaks,
/// message)
type Row = (
    &'static str,
    Severity,
    String,
    Option<usize>,
    String,
    Option<Breaks>,
    String,
);

fn rows(dir: &Path, findings: &[Finding]) -> Vec<Row> {
    findings
        .iter()
        .map(|f| {
            (
                f.rule,
                f.severity,
                f.file
                    .strip_prefix(dir)
                    .unwrap_or(&f.file)
                    .display()
                    .to_string(),
                f.line,
                f.pointer.clone(),
                f.breaks,
                f.message.clone(),
            )
        })
        .collect()
}

fn compare_fixture(name: &str) -> Vec<Row> {
    let dir = fixtures().join(name);
    let current = dir.join("current");
    let report = run(&current, Against::Directory(dir.join("previous")));
    rows(&current, &report.findings)
}

const SCHEMA: &str = "contracts/demo.created/1.0/schema.json";

/// A change the fixture's backward mode forbids.
fn forbidden(change: &str, party: &str) -> String {
    format!("{change}: breaks {party}, which demo.created@1.0's backward compatibility forbids inside a version; add a new version instead (demo.created 2.0 beside 1.0, with its own catalog entry)")
}

/// A change the fixture's backward mode allows.
fn allowed(change: &str, party: &str) -> String {
    format!("{change}: breaks {party}, which demo.created@1.0's backward compatibility allows")
}

const PRODUCERS: &str = "existing producers (old events fail the new schema)";
const CONSUMERS: &str = "existing consumers (new events fail readers on the old schema)";
const BOTH: &str = "existing producers and consumers";

/// The one finding a schema-change fixture must produce: an error when it breaks producers
/// (backward forbids that), info when it breaks only consumers.
fn one_change(
    rule: &'static str,
    line: usize,
    pointer: &str,
    breaks: Breaks,
    change: &str,
) -> Vec<Row> {
    let (severity, message) = match breaks {
        Breaks::Producers => (Severity::Error, forbidden(change, PRODUCERS)),
        Breaks::Both => (Severity::Error, forbidden(change, BOTH)),
        Breaks::Consumers => (Severity::Info, allowed(change, CONSUMERS)),
    };
    vec![(
        rule,
        severity,
        SCHEMA.to_string(),
        Some(line),
        pointer.to_string(),
        Some(breaks),
        message,
    )]
}

#[test]
fn an_unchanged_contract_has_no_findings() {
    assert_eq!(compare_fixture("unchanged"), vec![]);
}

#[test]
fn every_rule_has_a_fixture_pair_that_triggers_it_and_nothing_else() {
    for rule in &BREAKING_RULES {
        let found = compare_fixture(rule.doc.id);
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
            // A rule without a direction: BRK000 (nothing compared) has none, and BRK026's
            // comes from the counterexamples found (`brk026_keyword_changed` checks it).
            if rule.breaks.is_some() {
                assert_eq!(f.5, rule.breaks, "{}", rule.doc.id);
            }
        }
    }
}

#[test]
fn brk000_unreadable() {
    let found = compare_fixture("BRK000");
    assert_eq!(found.len(), 1, "{found:#?}");
    let (rule, severity, file, line, pointer, breaks, message) = &found[0];
    assert_eq!(
        (
            *rule,
            *severity,
            file.as_str(),
            *line,
            pointer.as_str(),
            *breaks
        ),
        (
            "BRK000",
            Severity::Error,
            SCHEMA,
            Some(69),
            "/properties/data/properties/ref/$ref",
            None
        )
    );
    assert!(
        message.starts_with("demo.created@1.0 could not be compared: cannot open ")
            && message.contains("common/missing.json"),
        "{message}"
    );
}

#[test]
fn brk001_contract_removed() {
    assert_eq!(
        compare_fixture("BRK001"),
        vec![(
            "BRK001",
            Severity::Error,
            "catalog.json".to_string(),
            Some(1),
            String::new(),
            Some(Breaks::Producers),
            "contract demo.deleted@1.0 was removed, and no version of demo.deleted remains: events producers already send under it no longer validate, which its backward compatibility forbids; keep it in the catalog until no producer sends it".to_string(),
        )]
    );
}

#[test]
fn brk002_version_removed() {
    assert_eq!(
        compare_fixture("BRK002"),
        vec![(
            "BRK002",
            Severity::Error,
            "catalog.json".to_string(),
            Some(1),
            String::new(),
            Some(Breaks::Producers),
            "version 1.0 of demo.created was removed (remaining: 2.0): events producers already send under it no longer validate, which its backward compatibility forbids; keep it in the catalog until no producer sends it".to_string(),
        )]
    );
}

#[test]
fn brk003_property_added_to_open_model() {
    assert_eq!(
        compare_fixture("BRK003"),
        one_change("BRK003", 75, "/properties/data/properties/note", Breaks::Producers,
            "property \"note\" added to an open content model: old events may carry \"note\" with any value, and the new schema constrains it")
    );
}

#[test]
fn brk004_property_added_to_closed_model() {
    assert_eq!(
        compare_fixture("BRK004"),
        one_change("BRK004", 75, "/properties/data/properties/note", Breaks::Consumers,
            "property \"note\" added to a closed content model (additionalProperties: false): readers on the old schema reject events that carry it")
    );
}

#[test]
fn brk005_property_removed_from_open_model() {
    assert_eq!(
        compare_fixture("BRK005"),
        one_change("BRK005", 31, "/properties/data/properties/code", Breaks::Consumers,
            "property \"code\" removed from an open content model: any value of it is now accepted, which readers on the old schema may reject")
    );
}

#[test]
fn brk006_property_removed_from_closed_model() {
    assert_eq!(
        compare_fixture("BRK006"),
        one_change("BRK006", 31, "/properties/data/properties/code", Breaks::Producers,
            "property \"code\" removed from a closed content model (additionalProperties: false): events that carry it are now rejected")
    );
}

#[test]
fn brk007_required_added() {
    assert_eq!(
        compare_fixture("BRK007"),
        one_change(
            "BRK007",
            28,
            "/properties/data/required",
            Breaks::Producers,
            "\"kind\" is now required: events without it are rejected"
        )
    );
}

#[test]
fn brk008_required_removed() {
    assert_eq!(
        compare_fixture("BRK008"),
        one_change(
            "BRK008",
            28,
            "/properties/data/required",
            Breaks::Consumers,
            "\"name\" is no longer required: readers on the old schema reject events without it"
        )
    );
}

#[test]
fn brk009_type_narrowed() {
    assert_eq!(
        compare_fixture("BRK009"),
        one_change(
            "BRK009",
            53,
            "/properties/data/properties/value/type",
            Breaks::Producers,
            "type narrowed from number to integer: number no longer accepted"
        )
    );
}

#[test]
fn brk010_type_widened() {
    assert_eq!(
        compare_fixture("BRK010"),
        one_change(
            "BRK010",
            47,
            "/properties/data/properties/count/type",
            Breaks::Consumers,
            "type widened from integer to number: number now accepted"
        )
    );
}

#[test]
fn brk011_enum_narrowed() {
    assert_eq!(
        compare_fixture("BRK011"),
        one_change(
            "BRK011",
            40,
            "/properties/data/properties/kind/enum",
            Breaks::Producers,
            "\"b\" no longer accepted"
        )
    );
}

#[test]
fn brk012_enum_extended() {
    assert_eq!(
        compare_fixture("BRK012"),
        one_change(
            "BRK012",
            40,
            "/properties/data/properties/kind/enum",
            Breaks::Consumers,
            "\"c\" now accepted"
        )
    );
}

#[test]
fn brk013_const_changed() {
    assert_eq!(
        compare_fixture("BRK013"),
        one_change(
            "BRK013",
            72,
            "/properties/data/properties/source/const",
            Breaks::Both,
            "const changed from \"demo\" to \"demo-service\""
        )
    );
}

#[test]
fn brk014_format_added() {
    assert_eq!(
        compare_fixture("BRK014"),
        one_change(
            "BRK014",
            69,
            "/properties/data/properties/ref/format",
            Breaks::Producers,
            "format \"uuid\" added"
        )
    );
}

#[test]
fn brk015_format_removed_inside_a_referenced_definition() {
    // `id` is a $ref to #/definitions/EventId: the change is found through the reference.
    assert_eq!(
        compare_fixture("BRK015"),
        one_change(
            "BRK015",
            12,
            "/properties/id/format",
            Breaks::Consumers,
            "format \"uuid\" removed"
        )
    );
}

#[test]
fn brk016_format_changed() {
    assert_eq!(
        compare_fixture("BRK016"),
        one_change(
            "BRK016",
            63,
            "/properties/data/properties/at/format",
            Breaks::Both,
            "format changed from \"date-time\" to \"date\""
        )
    );
}

#[test]
fn brk017_pattern_tightened() {
    assert_eq!(
        compare_fixture("BRK017"),
        one_change(
            "BRK017",
            37,
            "/properties/data/properties/name/pattern",
            Breaks::Producers,
            "pattern \"^[A-Za-z ]+$\" added"
        )
    );
}

#[test]
fn brk018_pattern_relaxed() {
    assert_eq!(
        compare_fixture("BRK018"),
        one_change(
            "BRK018",
            56,
            "/properties/data/properties/code/pattern",
            Breaks::Consumers,
            "pattern \"^[a-z]+$\" removed"
        )
    );
}

#[test]
fn brk019_pattern_changed() {
    assert_eq!(
        compare_fixture("BRK019"),
        one_change(
            "BRK019",
            58,
            "/properties/data/properties/code/pattern",
            Breaks::Both,
            "pattern changed from \"^[a-z]+$\" to \"^[a-z0-9]+$\""
        )
    );
}

#[test]
fn brk020_length_tightened() {
    assert_eq!(
        compare_fixture("BRK020"),
        one_change(
            "BRK020",
            35,
            "/properties/data/properties/name/maxLength",
            Breaks::Producers,
            "maxLength changed from 100 to 50"
        )
    );
}

#[test]
fn brk021_length_relaxed() {
    assert_eq!(
        compare_fixture("BRK021"),
        one_change(
            "BRK021",
            32,
            "/properties/data/properties/name/minLength",
            Breaks::Consumers,
            "minLength changed from 1 to none"
        )
    );
}

#[test]
fn brk022_range_tightened() {
    assert_eq!(
        compare_fixture("BRK022"),
        one_change(
            "BRK022",
            49,
            "/properties/data/properties/count/maximum",
            Breaks::Producers,
            "upper bound changed from maximum 10 to maximum 5"
        )
    );
}

#[test]
fn brk023_range_relaxed() {
    assert_eq!(
        compare_fixture("BRK023"),
        one_change(
            "BRK023",
            48,
            "/properties/data/properties/count/minimum",
            Breaks::Consumers,
            "lower bound changed from minimum 0 to minimum -5"
        )
    );
}

#[test]
fn brk024_additional_properties_narrowed() {
    assert_eq!(
        compare_fixture("BRK024"),
        one_change("BRK024", 76, "/properties/data/additionalProperties", Breaks::Producers,
            "additionalProperties: false added: undeclared properties, which old events may carry, are now rejected or constrained")
    );
}

#[test]
fn brk025_additional_properties_widened() {
    assert_eq!(
        compare_fixture("BRK025"),
        one_change("BRK025", 25, "/properties/data/additionalProperties", Breaks::Consumers,
            "additionalProperties: false removed: undeclared properties are now accepted, which readers on the old schema reject")
    );
}

#[test]
fn brk026_keyword_changed() {
    assert_eq!(
        compare_fixture("BRK026"),
        one_change(
            "BRK026",
            45,
            "/properties/data/properties/kind/not",
            Breaks::Producers,
            "\"not\" was added; a counterexample decides whom it breaks (none the other way in 2,000 generated events)"
        )
    );
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn write_json(path: &Path, value: &Value) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap() + "\n").unwrap();
}

fn set_compatibility(schemas: &Path, mode: &str) {
    let path = schemas.join("catalog.json");
    let mut catalog = read_json(&path);
    for contract in catalog["contracts"].as_array_mut().unwrap() {
        contract["compatibility"] = json!(mode);
    }
    write_json(&path, &catalog);
}

#[test]
fn each_mode_forbids_the_changes_it_protects_against() {
    use Compatibility::{Backward, Forward, Full};
    // (fixture, whom its change breaks)
    let cases = [
        ("BRK011", Breaks::Producers),
        ("BRK012", Breaks::Consumers),
        ("BRK013", Breaks::Both),
    ];
    for (mode, name) in [
        (Backward, "backward"),
        (Forward, "forward"),
        (Full, "full"),
        (Compatibility::None, "none"),
    ] {
        for (fixture, breaks) in cases {
            let temp = tempfile::tempdir().unwrap();
            codegen::tree::copy_dir(&fixtures().join(fixture), temp.path())
                .expect("copying the fixture");
            for side in ["previous", "current"] {
                set_compatibility(&temp.path().join(side), name);
            }
            let report = run(
                &temp.path().join("current"),
                Against::Directory(temp.path().join("previous")),
            );
            assert_eq!(report.findings.len(), 1, "{fixture} under {name}");
            let f = &report.findings[0];
            let expected = if breaks.forbidden_by(mode) {
                Severity::Error
            } else {
                Severity::Info
            };
            assert_eq!(
                f.severity, expected,
                "{fixture} under {name}: {}",
                f.message
            );
            let says_forbidden = f.message.contains(&format!("{name} compatibility forbids"));
            assert_eq!(says_forbidden, expected == Severity::Error, "{}", f.message);
        }
    }
    // The mapping itself, spelled out.
    assert!(Breaks::Producers.forbidden_by(Backward) && !Breaks::Consumers.forbidden_by(Backward));
    assert!(Breaks::Consumers.forbidden_by(Forward) && !Breaks::Producers.forbidden_by(Forward));
}

#[test]
fn relaxing_the_mode_in_the_same_change_does_not_let_a_break_through() {
    let temp = tempfile::tempdir().unwrap();
    codegen::tree::copy_dir(&fixtures().join("BRK009"), temp.path()).expect("copying the fixture");
    set_compatibility(&temp.path().join("current"), "none");
    let report = run(
        &temp.path().join("current"),
        Against::Directory(temp.path().join("previous")),
    );
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].severity, Severity::Error);
    assert!(
        report.findings[0].message.contains(
            "backward compatibility (the stricter of the previous backward and the current none) forbids"
        ),
        "{}",
        report.findings[0].message
    );
}

fn git(repo: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Contracts Test",
            "-c",
            "user.email=contracts@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn against_a_git_ref_reads_the_old_schemas_from_the_repository_and_leaves_the_work_tree_alone() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path();
    git(repo, &["init", "--quiet"]);
    std::fs::write(repo.join("README.md"), "demo\n").unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "--quiet", "-m", "before the schemas"]);
    git(repo, &["tag", "before-schemas"]);

    let schemas = repo.join("schemas");
    codegen::tree::copy_dir(&fixtures().join("unchanged/previous"), &schemas)
        .expect("copying the fixture");
    git(repo, &["add", "."]);
    git(repo, &["commit", "--quiet", "-m", "schemas 1.0"]);
    git(repo, &["tag", "v1"]);

    let schema_file = schemas.join(SCHEMA);
    let mut schema = read_json(&schema_file);
    schema["properties"]["data"]["properties"]["value"]["type"] = json!("integer");
    write_json(&schema_file, &schema);
    git(repo, &["commit", "--quiet", "-am", "value is an integer"]);

    let narrowed = |report: &BreakingReport| -> Vec<(&str, Severity, String)> {
        report
            .findings
            .iter()
            .map(|f| (f.rule, f.severity, f.pointer.clone()))
            .collect()
    };
    let expected = vec![(
        "BRK009",
        Severity::Error,
        "/properties/data/properties/value/type".to_string(),
    )];
    let against = |r: &str| run(&schemas, Against::GitRef(r.to_string()));
    let report = against("HEAD~1");
    assert_eq!(narrowed(&report), expected);
    assert_eq!(report.previous, "HEAD~1:schemas/");
    assert_eq!(report.findings[0].file, schema_file);
    assert_eq!(narrowed(&against("v1")), expected);
    assert_eq!(narrowed(&against("HEAD")), vec![]);

    // A ref from before the schemas existed: every contract is new.
    let report = against("before-schemas");
    assert_eq!((report.findings.len(), report.compared), (0, 0));

    // Uncommitted edits are compared with HEAD, and neither the files nor the index change.
    let mut schema = read_json(&schema_file);
    schema["properties"]["data"]["required"] = json!(["name", "kind"]);
    write_json(&schema_file, &schema);
    let text_before = std::fs::read_to_string(&schema_file).unwrap();
    let status_before = git(repo, &["status", "--porcelain"]);
    let report = against("HEAD");
    assert_eq!(
        narrowed(&report),
        vec![(
            "BRK007",
            Severity::Error,
            "/properties/data/required".to_string()
        )]
    );
    assert_eq!(std::fs::read_to_string(&schema_file).unwrap(), text_before);
    assert_eq!(git(repo, &["status", "--porcelain"]), status_before);
    assert_eq!(status_before, format!(" M schemas/{SCHEMA}\n"));

    let error = breaking(&BreakingOptions {
        schemas_dir: schemas.clone(),
        against: Against::GitRef("no-such-ref".into()),
    })
    .unwrap_err();
    assert_eq!(error.file, schemas);
    assert_eq!(
        error.message,
        "\"no-such-ref\" names no commit of this repository"
    );
}

#[test]
fn against_parses_an_existing_directory_as_a_directory_and_anything_else_as_a_ref() {
    let dir = fixtures().join("unchanged/previous");
    assert_eq!(
        Against::parse(dir.to_str().unwrap()),
        Against::Directory(dir.clone())
    );
    assert_eq!(Against::parse("HEAD~1"), Against::GitRef("HEAD~1".into()));
}

/// An edit each contract's compatibility mode forbids inside a version (none for `none`): a
/// new required property narrows (breaks producers), dropping one from `required` widens
/// (breaks consumers).
fn forbidden_edit(mode: Compatibility, schema: &mut Value) -> bool {
    match mode {
        Compatibility::Backward | Compatibility::Full => {
            schema["properties"]["addedInPlace"] = json!({"type": "string"});
            schema["required"]
                .as_array_mut()
                .unwrap()
                .push(json!("addedInPlace"));
            true
        }
        Compatibility::Forward => {
            schema["required"].as_array_mut().unwrap().pop();
            true
        }
        Compatibility::None => false,
    }
}

/// The major version after every version of `event_type` in the catalog.
fn next_major(catalog: &codegen::Catalog, event_type: &str) -> String {
    let major = catalog
        .contracts
        .iter()
        .filter(|c| c.event_type == event_type)
        .filter_map(|c| c.version.split('.').next()?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{}.0", major + 1)
}

#[test]
fn a_breaking_edit_inside_any_catalog_version_fails_and_says_to_add_a_version() {
    let temp = tempfile::tempdir().unwrap();
    let schemas = temp.path().join("schemas");
    codegen::tree::copy_dir(&repository_schemas(), &schemas).expect("copying the fixture");
    let catalog = codegen::Catalog::load(&schemas).unwrap();
    let mut edited = Vec::new();
    for contract in &catalog.contracts {
        let file = schemas.join(&contract.schema);
        let mut schema = read_json(&file);
        if forbidden_edit(contract.compatibility, &mut schema) {
            write_json(&file, &schema);
            edited.push(contract);
        }
    }

    let report = run(&schemas, Against::Directory(repository_schemas()));
    for contract in &edited {
        let file = schemas.join(&contract.schema);
        let own: Vec<&Finding> = report.findings.iter().filter(|f| f.file == file).collect();
        assert!(
            !own.is_empty(),
            "{} broke without a finding",
            contract.key()
        );
        let advice = format!(
            "add a new version instead ({} {} beside {}, with its own catalog entry)",
            contract.event_type,
            next_major(&catalog, &contract.event_type),
            contract.version
        );
        for f in own {
            assert_eq!(f.severity, Severity::Error, "{f:?}");
            assert!(f.message.ends_with(&advice), "{}", f.message);
        }
    }
    assert_eq!(report.compared, catalog.contracts.len());
    let expected = if edited.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    };
    assert_eq!(report.exit_code(), expected);
}

#[test]
fn the_same_edits_shipped_as_new_versions_beside_the_old_pass() {
    let temp = tempfile::tempdir().unwrap();
    let schemas = temp.path().join("schemas");
    codegen::tree::copy_dir(&repository_schemas(), &schemas).expect("copying the fixture");
    let catalog = codegen::Catalog::load(&schemas).unwrap();
    let catalog_path = schemas.join("catalog.json");
    let mut catalog_json = read_json(&catalog_path);
    let mut added = 0;
    let mut grown = catalog.clone();
    for (i, contract) in catalog.contracts.iter().enumerate() {
        let mut schema = read_json(&schemas.join(&contract.schema));
        if !forbidden_edit(contract.compatibility, &mut schema) {
            continue;
        }
        // After every version of the type, those added here included.
        let version = next_major(&grown, &contract.event_type);
        let mut new_entry = contract.clone();
        new_entry.version = version.clone();
        grown.contracts.push(new_entry);
        let dir = format!("contracts/{}/{version}", contract.event_type);
        schema["properties"]["version"] = json!({
            "type": "string", "const": version, "description": format!("Contract version {version}")
        });
        write_json(&schemas.join(&dir).join("schema.json"), &schema);
        codegen::tree::copy_dir(
            &schemas.join(&contract.examples),
            &schemas.join(&dir).join("examples"),
        )
        .expect("copying the fixture");
        let mut entry = catalog_json["contracts"][i].clone();
        entry["version"] = json!(version);
        entry["rustName"] = json!(format!("{}Next{added}", contract.rust_name));
        entry["schema"] = json!(format!("{dir}/schema.json"));
        entry["examples"] = json!(format!("{dir}/examples"));
        catalog_json["contracts"]
            .as_array_mut()
            .unwrap()
            .push(entry);
        added += 1;
    }
    write_json(&catalog_path, &catalog_json);

    let report = run(&schemas, Against::Directory(repository_schemas()));
    assert_eq!(report.findings, vec![]);
    assert_eq!(report.exit_code(), Exit::Clean);
    assert_eq!(report.compared, catalog.contracts.len());
    // And each new version is a well-formed contract.
    let linted = lint(&LintOptions::new(&schemas)).unwrap();
    let errors: Vec<&Finding> = linted
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(linted.contracts, catalog.contracts.len() + added);
}

#[test]
fn the_repository_schemas_compared_with_themselves_have_no_findings() {
    let report = run(
        &repository_schemas(),
        Against::Directory(repository_schemas()),
    );
    assert_eq!(report.findings, vec![]);
    let catalog = codegen::Catalog::load(&repository_schemas()).unwrap();
    assert_eq!(report.compared, catalog.contracts.len());
}

#[test]
fn breaking_findings_render_their_direction() {
    let dir = fixtures().join("BRK009");
    let report = run(
        &dir.join("current"),
        Against::Directory(dir.join("previous")),
    );
    let github = finding::render_github(
        &contracts_schema_checks::breaking::rule_docs(),
        &report.findings,
    );
    let first = github.lines().next().unwrap();
    assert!(first.starts_with("::error file="), "{first}");
    assert!(
        first.contains(
            ",line=53,title=BRK009 type-narrowed::/properties/data/properties/value/type: type narrowed"
        ),
        "{first}"
    );
    assert!(first.ends_with("(breaks producers)"), "{first}");
    let json: Value = serde_json::from_str(&finding::render_json(&report.findings)).unwrap();
    assert_eq!(json["findings"][0]["breaks"], "producers");
    let junit = finding::render_junit(
        "breaking",
        &contracts_schema_checks::breaking::rule_docs(),
        &report.findings,
    );
    assert_eq!(junit.matches("<testcase ").count(), BREAKING_RULES.len());
    assert!(junit.contains(r#"<testcase name="BRK009 type-narrowed" classname="breaking">"#));
}

/// `breaking.rules` of the schemas directory's configuration file (the one `lint` reads) sets
/// a breaking rule's severity, or switches it off.
#[test]
fn the_configuration_sets_breaking_severities() {
    let temp = tempfile::tempdir().unwrap();
    let current = temp.path().join("current");
    codegen::tree::copy_dir(&fixtures().join("BRK009/current"), &current)
        .expect("copying the fixture");
    let previous = fixtures().join("BRK009/previous");
    let severities = |rules: &str| -> Vec<Severity> {
        std::fs::write(
            current.join(".contracts.json"),
            format!(r#"{{"breaking": {{"rules": {rules}}}}}"#),
        )
        .unwrap();
        let report = run(&current, Against::Directory(previous.clone()));
        report.findings.iter().map(|f| f.severity).collect()
    };
    assert_eq!(severities("{}"), [Severity::Error]);
    assert_eq!(severities(r#"{"BRK009": "warning"}"#), [Severity::Warning]);
    assert_eq!(severities(r#"{"type-narrowed": "off"}"#), []);
}
