//! `contracts docs [--check]`: writes each module's event documentation, `docs/events/<module>.md`,
//! from the catalog, the bundled schemas and the examples, in the layout of the module guide's
//! event documentation (overview, published events with their schema and an example, consumed
//! events with their handler, related documentation, document version). `--check` writes
//! nothing and lists the pages that are out of date.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codegen::catalog::{Catalog, Contract, Module};
use serde_json::Value;

use crate::examples::{self, Example, Expected};
use crate::finding::{compatibility_name, RunError};

/// How to bring the pages up to date; named by the drift test and by every page.
pub const REGENERATE_COMMAND: &str = "cargo run -p conformance --bin contracts -- docs";

/// The first line of every generated page: tells readers not to edit it, and tells this module
/// which files in the output directory are its own (and may be replaced or removed).
pub const GENERATED_MARKER: &str = "<!-- generated from schemas/ by conformance::docs, do not edit; regenerate with `cargo run -p conformance --bin contracts -- docs` -->";

/// The module whose consumer makes a published-events table a list of what gets logged.
const LOGGING_MODULE: &str = "logging";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocsMode {
    /// Write every page that differs, remove generated pages of modules no longer listed.
    Write,
    /// Change nothing; report the pages `Write` would change.
    Check,
}

#[derive(Debug, Clone)]
pub struct DocsOptions {
    pub schemas_dir: PathBuf,
    /// Where the pages go, usually `docs/events`.
    pub out_dir: PathBuf,
    pub mode: DocsMode,
}

/// One generated page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocPage {
    /// `<module>.md`.
    pub file_name: String,
    pub contents: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocsOutcome {
    pub mode: DocsMode,
    /// Pages written or removed (`Write`), or that would be (`Check`): the stale files.
    pub changed: Vec<PathBuf>,
    /// Every page generated.
    pub pages: Vec<PathBuf>,
}

impl DocsOutcome {
    /// 1 when `--check` found stale pages, 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.mode == DocsMode::Check && !self.changed.is_empty())
    }
}

/// Writes or checks the pages, as `options.mode` says.
pub fn docs(options: &DocsOptions) -> Result<DocsOutcome, RunError> {
    let pages = render(&options.schemas_dir)?;
    let mut changed = Vec::new();
    let mut generated = BTreeSet::new();
    for page in &pages {
        let path = options.out_dir.join(&page.file_name);
        generated.insert(path.clone());
        if std::fs::read_to_string(&path).ok().as_deref() == Some(page.contents.as_str()) {
            continue;
        }
        if options.mode == DocsMode::Write {
            std::fs::create_dir_all(&options.out_dir)
                .map_err(|e| RunError::io(&options.out_dir, &e))?;
            std::fs::write(&path, &page.contents).map_err(|e| RunError::io(&path, &e))?;
        }
        changed.push(path);
    }
    for leftover in generated_pages(&options.out_dir)? {
        if generated.contains(&leftover) {
            continue;
        }
        if options.mode == DocsMode::Write {
            std::fs::remove_file(&leftover).map_err(|e| RunError::io(&leftover, &e))?;
        }
        changed.push(leftover);
    }
    Ok(DocsOutcome {
        mode: options.mode,
        changed,
        pages: generated.into_iter().collect(),
    })
}

/// The pages this module generated earlier, recognised by their first line.
fn generated_pages(dir: &Path) -> Result<Vec<PathBuf>, RunError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(RunError::io(dir, &e)),
    };
    let mut pages: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| {
            std::fs::read_to_string(p)
                .is_ok_and(|text| text.lines().next() == Some(GENERATED_MARKER))
        })
        .collect();
    pages.sort();
    Ok(pages)
}

/// Every module's page, in catalog order.
pub fn render(schemas_dir: &Path) -> Result<Vec<DocPage>, RunError> {
    let (catalog, bundled) = codegen::load(schemas_dir)?;
    let (examples, unreadable) = examples::load_all(schemas_dir)?;
    if let Some(error) = unreadable.first() {
        return Err(RunError {
            line: error.line,
            ..RunError::new(&error.path, &error.message)
        });
    }
    let sources = Sources {
        catalog: &catalog,
        schemas: bundled.iter().map(|b| (&b.contract, &b.schema)).collect(),
        examples: &examples,
    };
    Ok(catalog
        .modules
        .iter()
        .map(|module| DocPage {
            file_name: format!("{}.md", module.name),
            contents: sources.page(module),
        })
        .collect())
}

/// What a page is made from.
struct Sources<'a> {
    catalog: &'a Catalog,
    schemas: Vec<(&'a Contract, &'a Value)>,
    examples: &'a [Example],
}

impl Sources<'_> {
    fn page(&self, module: &Module) -> String {
        let published: Vec<&Contract> = self
            .catalog
            .contracts
            .iter()
            .filter(|c| c.owner == module.name)
            .collect();
        let consumed: Vec<(&Contract, &str)> = self
            .catalog
            .contracts
            .iter()
            .filter_map(|c| {
                let consumer = c.consumers.iter().find(|k| k.module == module.name)?;
                Some((c, consumer.handler.as_str()))
            })
            .collect();
        // The guide's pages list events "logged by" the Logging module; a module whose events
        // go elsewhere gets the general wording.
        let logged = !published.is_empty()
            && published.iter().all(|c| {
                !c.consumers.is_empty() && c.consumers.iter().all(|k| k.module == LOGGING_MODULE)
            });

        let mut out = String::new();
        let _ = writeln!(out, "{GENERATED_MARKER}");
        let kind = if logged { "Logs Events" } else { "Events" };
        let _ = writeln!(out, "# {} Module - {kind}\n", module.title);
        if let Some(guideline) = &module.guideline {
            let _ = writeln!(out, "{guideline}\n");
        }
        let _ = writeln!(out, "## Overview\n\n{}\n\n---\n", module.overview);

        let _ = writeln!(out, "## Published Events\n");
        if published.is_empty() {
            let _ = writeln!(
                out,
                "The catalog lists no events published by the {} module.\n",
                module.title
            );
        } else {
            let _ = writeln!(
                out,
                "The {} module publishes the following events to the `{}` exchange:\n",
                module.title, self.catalog.exchange
            );
            let by = if logged { "Logged By" } else { "Consumed By" };
            table(
                &mut out,
                ["Event", "Description", by],
                published.iter().map(|c| {
                    let consumers: Vec<&str> =
                        c.consumers.iter().map(|k| k.name.as_str()).collect();
                    [
                        self.event_cell(c),
                        c.description.clone(),
                        if consumers.is_empty() {
                            "-".to_string()
                        } else {
                            consumers.join(", ")
                        },
                    ]
                }),
            );
            let _ = writeln!(out, "\n---\n");
            for contract in &published {
                self.event_section(&mut out, contract);
                let _ = writeln!(out, "---\n");
            }
        }

        let _ = writeln!(out, "## Consumed Events\n");
        if consumed.is_empty() {
            let _ = writeln!(
                out,
                "The catalog lists no events consumed by the {} module.\n",
                module.title
            );
        } else {
            let _ = writeln!(
                out,
                "The {} module consumes the following events:\n",
                module.title
            );
            table(
                &mut out,
                ["Event", "Description", "Handler"],
                consumed.iter().map(|(c, handler)| {
                    [
                        self.event_cell(c),
                        c.description.clone(),
                        handler.to_string(),
                    ]
                }),
            );
            let owners: BTreeSet<&str> = consumed.iter().map(|(c, _)| c.owner.as_str()).collect();
            let links: Vec<String> = owners
                .iter()
                .map(|owner| {
                    let title = self
                        .catalog
                        .modules
                        .iter()
                        .find(|m| m.name == *owner)
                        .map_or(*owner, |m| m.title.as_str());
                    format!("[{title}](./{owner}.md)")
                })
                .collect();
            let _ = writeln!(
                out,
                "\nTheir schemas and examples are on their publishers' pages: {}.\n",
                links.join(", ")
            );
        }
        let _ = writeln!(out, "---\n");

        if !module.related_documentation.is_empty() {
            let _ = writeln!(out, "## Related Documentation\n");
            for link in &module.related_documentation {
                let _ = writeln!(
                    out,
                    "- [{}]({}) - {}",
                    link.title, link.href, link.description
                );
            }
            let _ = writeln!(out, "\n---\n");
        }
        match (&module.document_version, &module.last_updated) {
            (Some(version), Some(updated)) => {
                // Two trailing spaces: a Markdown line break between the two lines.
                let _ = writeln!(
                    out,
                    "*Document Version: {version}*  \n*Last Updated: {updated}*"
                );
            }
            (Some(version), None) => {
                let _ = writeln!(out, "*Document Version: {version}*");
            }
            (None, Some(updated)) => {
                let _ = writeln!(out, "*Last Updated: {updated}*");
            }
            (None, None) => {
                let _ = writeln!(out, "*Generated from the schemas; the catalog gives this module no document version.*");
            }
        }
        out
    }

    /// The event's type, with its version when the catalog has several versions of it.
    fn event_cell(&self, contract: &Contract) -> String {
        if self.has_several_versions(contract) {
            format!("`{}` {}", contract.event_type, contract.version)
        } else {
            format!("`{}`", contract.event_type)
        }
    }

    fn has_several_versions(&self, contract: &Contract) -> bool {
        self.catalog
            .contracts
            .iter()
            .filter(|c| c.event_type == contract.event_type)
            .count()
            > 1
    }

    fn event_section(&self, out: &mut String, contract: &Contract) {
        if self.has_several_versions(contract) {
            let _ = writeln!(
                out,
                "### {} (version {})\n",
                contract.event_type, contract.version
            );
        } else {
            let _ = writeln!(out, "### {}\n", contract.event_type);
        }
        let _ = writeln!(out, "**Description**: {}\n", contract.summary);
        let _ = writeln!(out, "**Triggered When**:");
        for trigger in &contract.triggered_when {
            let _ = writeln!(out, "- {trigger}");
        }
        let _ = writeln!(out, "\n**Event Type**: `{}`\n", contract.event_type);
        let _ = writeln!(
            out,
            "**Version**: `{}` (compatibility: {})\n",
            contract.version,
            compatibility_name(contract.compatibility)
        );
        if let Some(publisher) = &contract.publisher {
            let _ = writeln!(out, "**Publisher**: `{publisher}`\n");
        }
        if !contract.consumers.is_empty() {
            let consumers: Vec<String> = contract
                .consumers
                .iter()
                .map(|k| format!("{} ({})", k.name, k.handler))
                .collect();
            let _ = writeln!(out, "**Consumers**: {}\n", consumers.join("; "));
        }
        let schema = self
            .schemas
            .iter()
            .find(|(c, _)| c.key() == contract.key())
            .map(|(_, schema)| *schema);
        if let Some(schema) = schema {
            let text = serde_json::to_string_pretty(schema).expect("a schema always serializes");
            let _ = writeln!(out, "**Event Schema**:\n\n```json\n{text}\n```\n");
        }
        let example = self.examples.iter().find(|e| {
            e.event_type == contract.event_type
                && e.version == contract.version
                && matches!(e.expected, Expected::Valid)
        });
        match example {
            Some(example) => {
                // The file as written, so the page shows the documented example verbatim.
                let text = String::from_utf8_lossy(&example.bytes);
                let _ = writeln!(
                    out,
                    "**Example Event**:\n\n```json\n{}\n```\n",
                    text.trim_end()
                );
            }
            None => {
                let _ = writeln!(out, "**Example Event**: none documented yet.\n");
            }
        }
    }
}

/// A Markdown table whose separator row is as wide as each header plus its padding, as the
/// guide's pages write it.
fn table(out: &mut String, headers: [&str; 3], rows: impl Iterator<Item = [String; 3]>) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let dashes: Vec<String> = headers.iter().map(|h| "-".repeat(h.len() + 2)).collect();
    let _ = writeln!(out, "|{}|", dashes.join("|"));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}
