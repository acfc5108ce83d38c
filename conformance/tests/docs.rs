//! `contracts docs`: the generated pages carry everything the shared module documentation
//! carries, add a schema and an example for every published event, stay in sync with the
//! schemas (the committed pages are checked for drift), and `--check` reports stale pages.

use std::path::{Path, PathBuf};

use conformance::docs::{
    docs, render, DocPage, DocsMode, DocsOptions, GENERATED_MARKER, REGENERATE_COMMAND,
};
use conformance::examples::{self, Expected};
use serde_json::Value;

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn committed_docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/events")
}

/// The shared document the generated page replaces, as copied into the fixtures.
fn shared_document() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/docs/dashboard-analytics-events.md");
    std::fs::read_to_string(path).unwrap()
}

fn page(name: &str) -> String {
    render(&schemas_dir())
        .unwrap()
        .into_iter()
        .find(|p| p.file_name == name)
        .unwrap_or_else(|| panic!("no page {name}"))
        .contents
}

/// The fenced blocks that follow `label` (`**Event Schema**:` or `**Example Event**:`).
fn blocks_after(markdown: &str, label: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if line != label {
            continue;
        }
        let mut block = Vec::new();
        let mut inside = false;
        for line in lines.by_ref() {
            match (inside, line) {
                (false, "```json") => inside = true,
                (false, "") => {}
                (false, _) => break,
                (true, "```") => {
                    blocks.push(block.join("\n"));
                    break;
                }
                (true, _) => block.push(line),
            }
        }
    }
    blocks
}

#[test]
fn the_dashboard_analytics_page_carries_every_line_of_the_shared_document() {
    let shared = shared_document();
    let generated = page("dashboard-analytics.md");
    let generated_lines: Vec<&str> = generated.lines().collect();
    // The shared document's schema is a hand-written abbreviation of the contract; the page
    // shows the real bundled schema instead (compared below).
    let schema_lines: Vec<String> = blocks_after(&shared, "**Event Schema**:")
        .concat()
        .lines()
        .map(str::to_string)
        .collect();
    let mut missing = Vec::new();
    for line in shared.lines().filter(|l| !l.trim().is_empty()) {
        if !generated_lines.contains(&line) && !schema_lines.iter().any(|s| s == line) {
            missing.push(line);
        }
    }
    assert!(
        missing.is_empty(),
        "lines of the shared document missing from the generated page:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_dashboard_analytics_page_keeps_the_shared_documents_named_parts() {
    let generated = page("dashboard-analytics.md");
    for expected in [
        "This document describes all events **published** by the Dashboard Analytics module that get logged by the Logging module. These events represent important dashboard analytics activities that should be tracked for audit and compliance purposes.",
        "| `dashboard.analytics.metric.recorded` | Dashboard metric recorded | Logging module |",
        "| `dashboard.analytics.report.generated` | Dashboard report generated | Logging module |",
        "| `dashboard.analytics.insight.created` | Dashboard insight created | Logging module |",
        "| `dashboard.created` | Dashboard created | Initializes analytics tracking |",
        "| `dashboard.updated` | Dashboard updated | Updates analytics configuration |",
        "- Metric aggregation completes",
        "- Scheduled report is generated",
        "- Insight is available for display",
        "**Publisher**: `src/events/publishers/DashboardAnalyticsEventPublisher.ts`",
        "- [OpenAPI Specification](./openapi.yaml) - API documentation",
        "- [Architecture](./architecture.md) - Module architecture",
        "*Document Version: 1.0*  \n*Last Updated: 2026-01-23*",
    ] {
        assert!(generated.contains(expected), "missing: {expected}");
    }
    assert_eq!(
        generated
            .matches("**Publisher**: `src/events/publishers/DashboardAnalyticsEventPublisher.ts`")
            .count(),
        3
    );
}

#[test]
fn the_documented_example_is_included_verbatim() {
    let shared = blocks_after(&shared_document(), "**Example Event**:");
    assert_eq!(shared.len(), 1);
    let generated = blocks_after(&page("dashboard-analytics.md"), "**Example Event**:");
    assert_eq!(generated[0], shared[0]);
}

#[test]
fn every_published_event_has_its_bundled_schema_and_first_valid_example() {
    let (catalog, bundled) = codegen::load(&schemas_dir()).unwrap();
    let (examples, errors) = examples::load_all(&schemas_dir()).unwrap();
    assert!(errors.is_empty());
    for module in &catalog.modules {
        let page = page(&format!("{}.md", module.name));
        let schemas = blocks_after(&page, "**Event Schema**:");
        let shown_examples = blocks_after(&page, "**Example Event**:");
        let published: Vec<_> = bundled
            .iter()
            .filter(|b| b.contract.owner == module.name)
            .collect();
        assert_eq!(schemas.len(), published.len(), "{}", module.name);
        assert_eq!(shown_examples.len(), published.len(), "{}", module.name);
        for (i, b) in published.iter().enumerate() {
            let shown: Value = serde_json::from_str(&schemas[i]).unwrap();
            assert_eq!(shown, b.schema, "schema of {}", b.contract.key());
            let first = examples
                .iter()
                .find(|e| {
                    e.event_type == b.contract.event_type
                        && e.version == b.contract.version
                        && matches!(e.expected, Expected::Valid)
                })
                .unwrap();
            assert_eq!(
                shown_examples[i],
                String::from_utf8_lossy(&first.bytes).trim_end(),
                "example of {}",
                b.contract.key()
            );
        }
    }
}

#[test]
fn the_dashboard_page_lists_its_events_with_their_consumers() {
    let dashboard = page("dashboard.md");
    assert!(dashboard.starts_with(&format!(
        "{GENERATED_MARKER}\n# Dashboard Module - Events\n"
    )));
    assert!(dashboard.contains("| Event | Description | Consumed By |\n|-------|-------------|-------------|\n| `dashboard.created` | Dashboard created | Dashboard Analytics module |\n| `dashboard.updated` | Dashboard updated | Dashboard Analytics module |\n"));
    assert!(dashboard.contains("The catalog lists no events consumed by the Dashboard module."));
    assert!(!dashboard.contains("**Publisher**"));
    assert!(page("dashboard-analytics.md").contains(
        "Their schemas and examples are on their publishers' pages: [Dashboard](./dashboard.md)."
    ));
}

#[test]
fn the_committed_pages_are_up_to_date() {
    let update = std::env::var_os("CONTRACTS_UPDATE_DOCS").is_some();
    let outcome = docs(&DocsOptions {
        schemas_dir: schemas_dir(),
        out_dir: committed_docs(),
        mode: if update {
            DocsMode::Write
        } else {
            DocsMode::Check
        },
    })
    .unwrap();
    assert_eq!(
        outcome.pages,
        vec![
            committed_docs().join("dashboard-analytics.md"),
            committed_docs().join("dashboard.md")
        ]
    );
    if !update {
        assert!(
            outcome.changed.is_empty(),
            "docs/events/ is out of date with schemas/: {:?}\nrun `{REGENERATE_COMMAND}`",
            outcome.changed
        );
    }
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
    let analytics = out.join("dashboard-analytics.md");
    let dashboard = out.join("dashboard.md");

    let check = docs(&options(DocsMode::Check)).unwrap();
    assert_eq!(check.changed, vec![analytics.clone(), dashboard.clone()]);
    assert_eq!(check.exit_code(), 1);
    assert!(!out.exists(), "check wrote something");

    let write = docs(&options(DocsMode::Write)).unwrap();
    assert_eq!(write.changed, vec![analytics.clone(), dashboard.clone()]);
    assert_eq!(write.exit_code(), 0);
    assert_eq!(
        docs(&options(DocsMode::Check)).unwrap().changed,
        Vec::<PathBuf>::new()
    );

    // An edited page, a page of a module no longer listed, and a hand-written note.
    std::fs::write(&dashboard, "edited by hand\n").unwrap();
    let leftover = out.join("retired-module.md");
    std::fs::write(&leftover, format!("{GENERATED_MARKER}\n# Retired\n")).unwrap();
    let note = out.join("notes.md");
    std::fs::write(&note, "hand-written\n").unwrap();
    let check = docs(&options(DocsMode::Check)).unwrap();
    assert_eq!(check.changed, vec![dashboard.clone(), leftover.clone()]);
    docs(&options(DocsMode::Write)).unwrap();
    assert!(!leftover.exists());
    assert_eq!(std::fs::read_to_string(&note).unwrap(), "hand-written\n");
    let expected: Vec<DocPage> = render(&schemas_dir()).unwrap();
    assert_eq!(
        std::fs::read_to_string(&dashboard).unwrap(),
        expected[1].contents
    );
    assert_eq!(
        docs(&options(DocsMode::Check)).unwrap().changed,
        Vec::<PathBuf>::new()
    );
}
