//! The codegen on small fixture schemas: snapshots of what it emits, and one test per way a
//! schema set can be refused.

use std::path::{Path, PathBuf};

use codegen::ErrorKind;
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn file<'a>(files: &'a [codegen::GeneratedFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path} generated"))
        .contents
}

#[test]
fn mini_types_snapshot() {
    let files = codegen::generate(&fixture("mini")).expect("generates");
    insta::assert_snapshot!("mini_types", file(&files, "src/types.rs"));
    insta::assert_snapshot!("mini_contracts", file(&files, "src/contracts.rs"));
    insta::assert_snapshot!(
        "mini_bundled_schema",
        file(&files, "schemas/thing.created/1.0.json")
    );
}

#[test]
fn output_is_deterministic_and_carries_the_preamble() {
    let first = codegen::generate(&fixture("mini")).unwrap();
    let second = codegen::generate(&fixture("mini")).unwrap();
    assert_eq!(first, second);
    for f in &first {
        let head = f.contents.lines().next().unwrap_or_default();
        let has_preamble = head.contains(codegen::PREAMBLE)
            || f.contents
                .contains(&format!("\"$comment\": \"{}\"", codegen::PREAMBLE));
        assert!(
            has_preamble,
            "{} does not start with the preamble",
            f.path.display()
        );
    }
}

#[test]
fn cross_file_refs_are_bundled_once_and_recursion_terminates() {
    let (_, bundled) = codegen::load(&fixture("mini")).unwrap();
    let schema = &bundled[0].schema;
    let definitions = schema["definitions"].as_object().unwrap();
    let mut names: Vec<&str> = definitions.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(names, ["Colour", "Id", "Node", "When"]);
    assert_eq!(schema["properties"]["id"]["$ref"], "#/definitions/Id");
    assert_eq!(
        definitions["Node"]["properties"]["children"]["items"]["$ref"],
        "#/definitions/Node"
    );
    assert_eq!(bundled[0].sources.len(), 2);
}

/// Copies the mini fixture to a temporary directory with `schema` as the contract's schema
/// and `extra` files beside it.
/// The copy is `tree/` inside a directory of the test's own, which also holds whatever `extra`
/// puts beside the tree (`../outside.json`): removing that directory removes everything.
fn mini_with(name: &str, schema: Value, extra: &[(&str, &str)]) -> PathBuf {
    let parent = std::env::temp_dir().join(format!("codegen-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&parent);
    let dir = parent.join("tree");
    copy_dir(&fixture("mini"), &dir);
    std::fs::write(
        dir.join("contracts/thing.created/1.0/schema.json"),
        serde_json::to_string_pretty(&schema).unwrap(),
    )
    .unwrap();
    for (path, contents) in extra {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    codegen::tree::copy_dir(from, to).unwrap();
}

fn refused(name: &str, schema: Value, extra: &[(&str, &str)]) -> codegen::Error {
    let dir = mini_with(name, schema, extra);
    let error = codegen::generate(&dir).expect_err("must be refused");
    remove_copy(&dir);
    error
}

/// Removes what `mini_with` wrote.
fn remove_copy(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir.parent().expect("inside the test's directory"));
}

#[test]
fn a_local_ref_inside_an_imported_file_imports_its_target_too() {
    // `Pair` refers to `Half` in its own file; the contract names only `Pair`.
    let dir = mini_with(
        "sibling",
        json!({"type": "object", "properties": {"p": {"$ref": "../../../common/pair.json#/definitions/Pair"}}}),
        &[(
            "common/pair.json",
            r##"{"definitions": {"Pair": {"type": "array", "items": {"$ref": "#/definitions/Half"}}, "Half": {"type": "string"}}}"##,
        )],
    );
    let loaded = codegen::load(&dir);
    remove_copy(&dir);
    let (_, bundled) = loaded.expect("bundles");
    let definitions = bundled[0].schema["definitions"].as_object().unwrap();
    assert_eq!(definitions["Half"], json!({"type": "string"}));
    assert_eq!(
        definitions["Pair"]["items"]["$ref"], "#/definitions/Half",
        "the sibling is referred to where the bundle put it"
    );
}

#[test]
fn a_ref_to_a_whole_file_is_refused() {
    for reference in ["../../../common/defs.json", "../../../common/defs.json#"] {
        let e = refused(
            "whole-file",
            json!({"type": "object", "properties": {"a": {"$ref": reference}}}),
            &[],
        );
        assert_eq!(e.kind, ErrorKind::RefTarget, "{reference}: {e}");
        assert!(e.message.contains("must point at a definition"), "{e}");
    }
}

#[test]
fn one_name_defined_by_two_files_is_refused() {
    let e = refused(
        "same-name",
        json!({"type": "object", "properties": {
            "a": {"$ref": "../../../common/defs.json#/definitions/Id"},
            "b": {"$ref": "../../../common/other.json#/definitions/Id"}
        }}),
        &[(
            "common/other.json",
            r#"{"definitions": {"Id": {"type": "integer"}}}"#,
        )],
    );
    assert_eq!(e.kind, ErrorKind::Unsupported, "{e}");
    assert!(e.message.contains("already comes from"), "{e}");
}

#[test]
fn a_url_ref_is_refused_and_never_fetched() {
    let e = refused(
        "url",
        json!({"type": "object", "properties": {"a": {"$ref": "https://example.com/a.json#/definitions/A"}}}),
        &[],
    );
    assert_eq!(e.kind, ErrorKind::RefUrl);
    assert_eq!(e.pointer.as_deref(), Some("/properties/a/$ref"));
    assert!(
        e.file.ends_with("contracts/thing.created/1.0/schema.json"),
        "{e}"
    );
}

#[test]
fn a_ref_leaving_the_schemas_directory_is_refused() {
    // The file outside holds the definition: only the guard keeps it out.
    let e = refused(
        "outside",
        json!({"type": "object", "properties": {"a": {"$ref": "../../../../outside.json#/definitions/A"}}}),
        &[(
            "../outside.json",
            r#"{"definitions": {"A": {"type": "string"}}}"#,
        )],
    );
    assert_eq!(e.kind, ErrorKind::RefOutsideSchemas, "{e}");
    assert_eq!(e.pointer.as_deref(), Some("/properties/a/$ref"), "{e}");
    assert!(e.message.contains("outside the schemas directory"), "{e}");
}

#[test]
fn a_local_ref_to_nothing_is_refused() {
    let e = refused(
        "dangling",
        json!({"type": "object", "properties": {"a": {"$ref": "#/definitions/Nope"}}}),
        &[],
    );
    assert_eq!(e.kind, ErrorKind::RefTarget, "{e}");
    assert_eq!(e.pointer.as_deref(), Some("/properties/a/$ref"), "{e}");
    assert!(e.message.contains("#/definitions/Nope"), "{e}");
}

#[test]
fn a_ref_to_a_missing_definition_is_refused() {
    let e = refused(
        "missing",
        json!({"type": "object", "properties": {"a": {"$ref": "../../../common/defs.json#/definitions/Nope"}}}),
        &[],
    );
    assert_eq!(e.kind, ErrorKind::RefTarget);
    assert!(e.message.contains("/definitions/Nope"), "{e}");
}

#[test]
fn if_then_else_is_refused_with_its_location() {
    let e = refused(
        "if",
        json!({"type": "object", "properties": {"a": {"if": {"type": "string"}, "then": {"minLength": 1}}}}),
        &[],
    );
    assert_eq!(e.kind, ErrorKind::Unsupported);
    assert_eq!(e.pointer.as_deref(), Some("/properties/a/if"));
}

#[test]
fn malformed_json_names_the_file_and_line() {
    let dir = mini_with("json", json!({}), &[]);
    std::fs::write(
        dir.join("contracts/thing.created/1.0/schema.json"),
        "{\n  \"type\": \"object\",\n  oops\n}",
    )
    .unwrap();
    let e = codegen::generate(&dir).expect_err("must be refused");
    remove_copy(&dir);
    assert_eq!(e.kind, ErrorKind::Json);
    assert_eq!(e.line, Some(3));
    assert!(e.to_string().contains("schema.json:3"), "{e}");
}
