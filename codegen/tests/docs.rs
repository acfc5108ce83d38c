//! The event documentation pages: the documented contract (`dashboard.analytics.metric.recorded`
//! 1.0, the one the module's own documentation spells out) is held to that seed document line
//! for line; every contract of the catalog is held to the generated layout (table row, section,
//! bundled schema, first valid example, deprecation); and `--check` reports stale pages while
//! write mode brings them up to date. Drift of the committed pages is `cargo xtask codegen
//! --check`'s (and xtask's test's) to catch.

use std::path::{Path, PathBuf};

use codegen::catalog::{Catalog, Contract};
use codegen::docs::{docs, render, DocPage, DocsMode, DocsOptions, GENERATED_MARKER};
use codegen::examples::{self, Expected};
use serde_json::{json, Value};

/// The contract the seed document describes in full.
const SEED_TYPE: &str = "dashboard.analytics.metric.recorded";
const SEED_VERSION: &str = "1.0";
/// The module whose page replaces the seed document.
const SEED_MODULE: &str = "dashboard-analytics";

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// The shared document the generated page replaces, as copied into the fixtures.
fn seed_document() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docs/dashboard-analytics-events.md");
    std::fs::read_to_string(path).unwrap()
}

fn pages(schemas: &Path) -> Vec<DocPage> {
    render(schemas).unwrap()
}

fn page_of(pages: &[DocPage], module: &str) -> String {
    pages
        .iter()
        .find(|p| p.file_name == format!("{module}.md"))
        .unwrap_or_else(|| panic!("no page for {module}"))
        .contents
        .clone()
}

/// The lines of the `### ...` section whose heading is `heading` (or `heading (version V)`),
/// without the heading, up to the next `---`.
fn section<'a>(markdown: &'a str, heading: &str, version: Option<&str>) -> Vec<&'a str> {
    let plain = format!("### {heading}");
    let versioned = version.map(|v| format!("### {heading} (version {v})"));
    let mut lines = markdown.lines();
    for line in lines.by_ref() {
        if line == plain || Some(line) == versioned.as_deref() {
            return lines.take_while(|l| *l != "---").collect();
        }
    }
    panic!("no section {plain} in\n{markdown}");
}

/// The fenced JSON blocks that follow `label` (`**Event Schema**:` or `**Example Event**:`).
fn blocks_after(lines: &[&str], label: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut iter = lines.iter();
    while let Some(line) = iter.next() {
        if *line != label {
            continue;
        }
        let mut block = Vec::new();
        let mut inside = false;
        for line in iter.by_ref() {
            match (inside, *line) {
                (false, "```json") => inside = true,
                (false, "") => {}
                (false, _) => break,
                (true, "```") => {
                    blocks.push(block.join("\n"));
                    break;
                }
                (true, _) => block.push(*line),
            }
        }
    }
    blocks
}

/// The seed document's lines outside any event's section and outside the event tables: what
/// the catalog's module entry must reproduce.
fn seed_module_lines(seed: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut in_section = false;
    for line in seed.lines() {
        if line.starts_with("### ") {
            in_section = true;
        } else if line == "---" || line.starts_with("## ") {
            in_section = false;
        }
        let table_row = line.starts_with("| `");
        if !in_section && !table_row && !line.trim().is_empty() {
            lines.push(line);
        }
    }
    lines
}

#[test]
fn the_documented_contract_is_held_to_the_seed_document() {
    let seed = seed_document();
    let page = page_of(&pages(&schemas_dir()), SEED_MODULE);
    // Everything about the module: overview, guideline, tables' headers, links, versions.
    let missing: Vec<&str> = seed_module_lines(&seed)
        .into_iter()
        .filter(|line| !page.lines().any(|l| l == *line))
        .collect();
    assert!(
        missing.is_empty(),
        "module lines missing:\n{}",
        missing.join("\n")
    );

    // The contract's table row and its section, line for line (the seed's schema is an
    // abbreviation: tests/examples.rs holds the contract to accepting exactly what it accepts).
    let row = seed
        .lines()
        .find(|l| l.starts_with(&format!("| `{SEED_TYPE}` |")))
        .expect("the seed lists the contract");
    let (_, rest) = row.split_once("` |").unwrap();
    assert!(
        page.lines()
            .any(|l| l.starts_with(&format!("| `{SEED_TYPE}`")) && l.ends_with(&format!("|{rest}"))),
        "row {row:?} missing"
    );
    let seed_section = section(&seed, SEED_TYPE, None);
    let generated = section(&page, SEED_TYPE, Some(SEED_VERSION));
    let seed_schema_lines: Vec<String> = blocks_after(&seed_section, "**Event Schema**:")
        .concat()
        .lines()
        .map(str::to_string)
        .collect();
    let missing: Vec<&&str> = seed_section
        .iter()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| !seed_schema_lines.iter().any(|s| s == *l))
        .filter(|l| !generated.contains(l))
        .collect();
    assert!(missing.is_empty(), "section lines missing: {missing:#?}");
    // The documented example, verbatim.
    assert_eq!(
        blocks_after(&generated, "**Example Event**:"),
        blocks_after(&seed_section, "**Example Event**:")
    );
}

fn several_versions(catalog: &Catalog, contract: &Contract) -> bool {
    catalog
        .contracts
        .iter()
        .filter(|c| c.event_type == contract.event_type)
        .count()
        > 1
}

/// What the generated layout promises for every contract of a catalog, on the pages `render`
/// made of it.
fn assert_layout(schemas: &Path) {
    let (catalog, bundled) = codegen::load(schemas).unwrap();
    let (examples, errors) = examples::load_all(schemas).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let pages = pages(schemas);
    assert_eq!(
        pages
            .iter()
            .map(|p| p.file_name.clone())
            .collect::<Vec<_>>(),
        catalog
            .modules
            .iter()
            .map(|m| format!("{}.md", m.name))
            .collect::<Vec<_>>()
    );
    for page in &pages {
        assert!(page
            .contents
            .starts_with(&format!("{GENERATED_MARKER}\n# ")));
    }
    for b in &bundled {
        let contract = &b.contract;
        let key = contract.key();
        let mut cell = if several_versions(&catalog, contract) {
            format!("`{}` {}", contract.event_type, contract.version)
        } else {
            format!("`{}`", contract.event_type)
        };
        if contract.deprecated.is_some() {
            cell.push_str(" (deprecated)");
        }

        // On its owner's page: a row in the published table and a section of its own.
        let owner = page_of(&pages, &contract.owner);
        let consumers: Vec<&str> = contract.consumers.iter().map(|k| k.name.as_str()).collect();
        let by = if consumers.is_empty() {
            "-".to_string()
        } else {
            consumers.join(", ")
        };
        let row = format!("| {cell} | {} | {by} |", contract.description);
        assert!(owner.lines().any(|l| l == row), "{key}: no row {row:?}");
        let version = several_versions(&catalog, contract).then_some(contract.version.as_str());
        let lines = section(&owner, &contract.event_type, version);
        let has = |line: String| assert!(lines.contains(&line.as_str()), "{key}: no {line:?}");
        has(format!("**Description**: {}", contract.summary));
        for trigger in &contract.triggered_when {
            has(format!("- {trigger}"));
        }
        has(format!("**Event Type**: `{}`", contract.event_type));
        has(format!(
            "**Version**: `{}` (compatibility: {})",
            contract.version,
            contract.compatibility.as_str()
        ));
        if let Some(publisher) = &contract.publisher {
            has(format!("**Publisher**: `{publisher}`"));
        }
        match &contract.deprecated {
            Some(why) => has(format!("> **Deprecated**: {why}")),
            None => assert!(!lines.iter().any(|l| l.contains("**Deprecated**")), "{key}"),
        }
        let schema = blocks_after(&lines, "**Event Schema**:");
        assert_eq!(schema.len(), 1, "{key}");
        let shown: Value = serde_json::from_str(&schema[0]).unwrap();
        assert_eq!(shown, b.schema, "schema of {key}");
        let first_valid = examples.iter().find(|e| {
            e.event_type == contract.event_type
                && e.version == contract.version
                && matches!(e.expected, Expected::Valid)
        });
        match first_valid {
            Some(example) => assert_eq!(
                blocks_after(&lines, "**Example Event**:"),
                [String::from_utf8_lossy(&example.bytes)
                    .trim_end()
                    .to_string()],
                "example of {key}"
            ),
            None => has("**Example Event**: none documented yet.".into()),
        }

        // On each consumer's page: a row with its handler.
        for consumer in &contract.consumers {
            let Some(module) = catalog.modules.iter().find(|m| m.name == consumer.module) else {
                continue;
            };
            let consumer_page = page_of(&pages, &module.name);
            let row = format!(
                "| {cell} | {} | {} |",
                contract.description, consumer.handler
            );
            assert!(
                consumer_page.lines().any(|l| l == row),
                "{key}: no row {row:?} on {}'s page",
                module.name
            );
        }
    }
}

#[test]
fn every_catalog_contract_follows_the_generated_layout() {
    assert_layout(&schemas_dir());
}

#[test]
fn versions_side_by_side_and_a_deprecated_one_follow_the_layout_too() {
    let temp = tempfile::tempdir().unwrap();
    codegen::tree::copy_dir(&schemas_dir(), temp.path()).unwrap();
    let catalog_path = temp.path().join("catalog.json");
    let mut catalog: Value =
        serde_json::from_str(&std::fs::read_to_string(&catalog_path).unwrap()).unwrap();
    let mut next = catalog["contracts"][0].clone();
    catalog["contracts"][0]["deprecated"] = json!("use version 9.0");
    next["version"] = json!("9.0");
    next["rustName"] = json!("SideBySideV9");
    catalog["contracts"].as_array_mut().unwrap().push(next);
    std::fs::write(&catalog_path, catalog.to_string()).unwrap();
    assert_layout(temp.path());
}

#[test]
fn check_lists_stale_pages_and_write_brings_them_up_to_date() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("events");
    let options = |mode| DocsOptions {
        schemas_dir: schemas_dir(),
        out_dir: out.clone(),
        mode,
    };
    let expected = pages(&schemas_dir());
    let all: Vec<PathBuf> = expected.iter().map(|p| out.join(&p.file_name)).collect();

    let check = docs(&options(DocsMode::Check)).unwrap();
    assert_eq!(check.changed, all);
    assert_eq!(check.exit_code(), 1);
    assert!(!out.exists(), "check wrote something");

    let write = docs(&options(DocsMode::Write)).unwrap();
    assert_eq!(write.changed, all);
    assert_eq!(write.exit_code(), 0);
    assert_eq!(
        docs(&options(DocsMode::Check)).unwrap().changed,
        Vec::<PathBuf>::new()
    );

    // An edited page, a page of a module no longer listed, and a hand-written note.
    let edited = &all[0];
    std::fs::write(edited, "edited by hand\n").unwrap();
    let leftover = out.join("retired-module.md");
    std::fs::write(&leftover, format!("{GENERATED_MARKER}\n# Retired\n")).unwrap();
    let note = out.join("notes.md");
    std::fs::write(&note, "hand-written\n").unwrap();
    let check = docs(&options(DocsMode::Check)).unwrap();
    let mut stale = vec![edited.clone(), leftover.clone()];
    stale.sort();
    let mut changed = check.changed.clone();
    changed.sort();
    assert_eq!(changed, stale);
    docs(&options(DocsMode::Write)).unwrap();
    assert!(!leftover.exists());
    assert_eq!(std::fs::read_to_string(&note).unwrap(), "hand-written\n");
    assert_eq!(
        std::fs::read_to_string(edited).unwrap(),
        expected[0].contents
    );
    assert_eq!(
        docs(&options(DocsMode::Check)).unwrap().changed,
        Vec::<PathBuf>::new()
    );
}
