//! `contracts breaking --against REF`: compares every contract with its previous state (a git
//! ref or a directory) and reports each change with a rule ID and whom it breaks. Whether a
//! change is an error depends on the contract's compatibility mode (see
//! [`Breaks::forbidden_by`]); a change that is allowed is reported at info severity.
//!
//! Contracts are compared version by version: a breaking change inside an existing version is
//! an error telling to add a new version instead, and a new version beside the old one is not
//! compared with anything, so it passes.

mod compare;
mod rules;
mod source;

use std::path::{Path, PathBuf};

use codegen::bundle::Bundler;
use codegen::catalog::{Catalog, Compatibility, Contract, CATALOG_FILE};
use codegen::counterexample::{Options, Search, Searcher, Verdict};
use codegen::examples::Expected;
use serde_json::Value;

pub use compare::{compare, Change};
pub use rules::{BreakingRule, BREAKING_RULES};
pub use source::{tags_matching, Against};

use crate::finding::{
    self, compatibility_name, Breaks, Evidence, Finding, RuleDoc, RunError, Severity,
};

/// The documentation of every breaking rule, for `contracts rules` and the JUnit report.
pub fn rule_docs() -> Vec<RuleDoc> {
    BREAKING_RULES.iter().map(|r| r.doc).collect()
}

#[derive(Debug, Clone)]
pub struct BreakingOptions {
    /// The current schemas directory (the work tree's, usually `schemas`).
    pub schemas_dir: PathBuf,
    pub against: Against,
}

#[derive(Debug, Clone)]
pub struct BreakingReport {
    /// Sorted by file, line and pointer.
    pub findings: Vec<Finding>,
    /// Contracts present in both states and compared.
    pub compared: usize,
    /// How the previous state was named: `REF:schemas/` or a directory.
    pub previous: String,
    /// Every contract with a change, with both states of its bundled schema: what a caller
    /// weighs recorded traffic with.
    pub changed: Vec<ChangedContract>,
    /// Events the engine and `jsonschema` judged differently while evidence was searched for.
    pub disagreements: Vec<Disagreement>,
}

/// Generated events of one change that the engine and `jsonschema` judged differently: a bug in
/// one of the two validators. Such an event is never shown as evidence; it is reported, with
/// the first of them, so that the bug gets fixed.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// `type@version`.
    pub contract: String,
    /// The schema file and the change's JSON pointer in it.
    pub file: PathBuf,
    pub pointer: String,
    pub events: usize,
    pub first: Value,
}

impl std::fmt::Display for Disagreement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the engine and jsonschema disagreed on {} generated event(s) of {} while looking for a counterexample to {}#{}: a validator bug, not used as evidence; please report it with this event: {}",
            self.events,
            self.contract,
            self.file.display(),
            self.pointer,
            self.first
        )
    }
}

/// A contract whose schema changed between the two states.
#[derive(Debug, Clone)]
pub struct ChangedContract {
    pub event_type: String,
    pub version: String,
    pub old: Value,
    pub new: Value,
}

impl BreakingReport {
    pub fn exit_code(&self) -> crate::exit::Exit {
        finding::exit_code(&self.findings)
    }
}

/// Compares the schemas directory with its previous state. An `Err` when either catalog cannot
/// be read or the ref cannot be resolved; a contract that cannot be bundled is a BRK000 finding
/// and the others are still compared.
pub fn breaking(options: &BreakingOptions) -> Result<BreakingReport, RunError> {
    let current_catalog = Catalog::load(&options.schemas_dir)?;
    let Some(previous) = source::previous(&options.schemas_dir, &options.against)? else {
        // No schemas at that ref: every contract is new, and nothing can break.
        let previous = match &options.against {
            Against::GitRef(r) => format!("{r} (no schemas there)"),
            Against::Directory(d) => d.display().to_string(),
        };
        return Ok(BreakingReport {
            findings: Vec::new(),
            compared: 0,
            previous,
            changed: Vec::new(),
            disagreements: Vec::new(),
        });
    };
    let previous_catalog = Catalog::load(&previous.dir).map_err(|e| RunError {
        file: previous.name(e.file.strip_prefix(&previous.dir).unwrap_or(&e.file)),
        line: e.line,
        pointer: e.pointer,
        message: e.message,
    })?;
    // The previous state's valid examples: where the search for counterexamples starts. A tree
    // whose examples cannot be read only makes the search start from the schema alone.
    let (old_examples, _) = codegen::examples::load_all(&previous.dir).unwrap_or_default();
    let mut old_bundler = Bundler::new(&previous.dir)?;
    let mut new_bundler = Bundler::new(&options.schemas_dir)?;
    let catalog_file = options.schemas_dir.join(CATALOG_FILE);
    let mut findings = Vec::new();
    let mut changed = Vec::new();
    let mut disagreements = Vec::new();
    let mut compared = 0;
    for old in &previous_catalog.contracts {
        let current = current_catalog
            .contracts
            .iter()
            .find(|c| c.event_type == old.event_type && c.version == old.version);
        let Some(new) = current else {
            findings.push(removal(old, &current_catalog, &catalog_file));
            continue;
        };
        let new_file = options.schemas_dir.join(&new.schema);
        let unreadable = |file: PathBuf, e: codegen::Error| Finding {
            rule: rules::UNREADABLE.doc.id,
            severity: Severity::Error,
            file,
            line: e.line,
            pointer: e.pointer.clone().unwrap_or_default(),
            message: format!("{} could not be compared: {}", new.key(), e.message),
            ..Finding::default()
        };
        let old_schema = match old_bundler.bundle(&old.schema) {
            Ok(b) => b.schema,
            Err(e) => {
                findings.push(unreadable(previous.name(&old.schema), e));
                continue;
            }
        };
        let new_schema = match new_bundler.bundle(&new.schema) {
            Ok(b) => b.schema,
            Err(e) => {
                findings.push(unreadable(new_file, e));
                continue;
            }
        };
        compared += 1;
        let mode = Mode::of(old.compatibility, new.compatibility);
        let examples = old_examples
            .iter()
            .filter(|e| e.event_type == old.event_type && e.version == old.version)
            .filter(|e| matches!(e.expected, Expected::Valid))
            .map(|e| e.event.clone())
            .collect::<Vec<_>>();
        let found = changes(
            &current_catalog,
            new,
            &mode,
            &new_file,
            (&old_schema, &new_schema),
            &examples,
            &mut disagreements,
        );
        if !found.is_empty() {
            changed.push(ChangedContract {
                event_type: new.event_type.clone(),
                version: new.version.clone(),
                old: old_schema.clone(),
                new: new_schema.clone(),
            });
        }
        findings.extend(found);
    }
    // `breaking.rules` of the schemas directory's configuration sets severities.
    let config_path = options.schemas_dir.join(finding::config::CONFIG_FILE);
    if config_path.is_file() {
        let file = finding::config::read_for_schemas(&config_path)?;
        let section = &file.sections.breaking.rules;
        let severities = finding::config::severities_for_schemas(
            &config_path,
            &file,
            "breaking",
            section,
            &rule_docs(),
        )?;
        finding::config::apply(&mut findings, &severities);
    }
    finding::locate_lines(&mut findings);
    finding::sort(&mut findings);
    Ok(BreakingReport {
        findings,
        compared,
        previous: previous.label.clone(),
        changed,
        disagreements,
    })
}

/// The compatibility a change is judged by: the stricter of the previous and current modes,
/// so a change cannot pass by relaxing the mode in the same commit.
struct Mode {
    effective: Compatibility,
    previous: Compatibility,
    current: Compatibility,
}

impl Mode {
    fn of(previous: Compatibility, current: Compatibility) -> Mode {
        use Compatibility::*;
        let backward = matches!(previous, Backward | Full) || matches!(current, Backward | Full);
        let forward = matches!(previous, Forward | Full) || matches!(current, Forward | Full);
        let effective = match (backward, forward) {
            (true, true) => Full,
            (true, false) => Backward,
            (false, true) => Forward,
            (false, false) => None,
        };
        Mode {
            effective,
            previous,
            current,
        }
    }

    fn describe(&self) -> String {
        let name = compatibility_name(self.effective);
        if self.previous == self.current {
            format!("{name} compatibility")
        } else {
            format!(
                "{name} compatibility (the stricter of the previous {} and the current {})",
                compatibility_name(self.previous),
                compatibility_name(self.current)
            )
        }
    }
}

fn party(breaks: Breaks) -> &'static str {
    match breaks {
        Breaks::Producers => "existing producers (old events fail the new schema)",
        Breaks::Consumers => "existing consumers (new events fail readers on the old schema)",
        Breaks::Both => "existing producers and consumers",
    }
}

/// The next major version after `version` (`1.0` → `2.0`), for the advice in messages.
/// The major version after every version of `event_type` the catalog has.
fn next_version(catalog: &Catalog, event_type: &str) -> String {
    catalog
        .contracts
        .iter()
        .filter(|c| c.event_type == event_type)
        .filter_map(|c| c.version.split('.').next()?.parse::<u64>().ok())
        .max()
        .map_or_else(|| "a new version".to_string(), |m| format!("{}.0", m + 1))
}

/// How many events a search for a counterexample to one change judges at most.
pub const COUNTEREXAMPLE_TRIES: usize = 2_000;

fn changes(
    catalog: &Catalog,
    contract: &Contract,
    mode: &Mode,
    file: &Path,
    (old_schema, new_schema): (&Value, &Value),
    examples: &[Value],
    disagreements: &mut Vec<Disagreement>,
) -> Vec<Finding> {
    // Both states compiled once for every change of the contract; a state neither validator
    // can compile (codegen would have refused it) just goes without evidence.
    let searcher = Searcher::new(old_schema, new_schema, examples).ok();
    compare(old_schema, new_schema)
        .into_iter()
        .map(|change| {
            // BRK026 (a keyword the comparison does not analyse) has no direction of its own:
            // the search looks both ways, and what it finds decides.
            let directed = change.rule.breaks;
            let undirected = directed.is_none();
            let search = searcher.as_ref().map(|searcher| {
                let options = Options {
                    tries: COUNTEREXAMPLE_TRIES,
                    producers: !matches!(directed, Some(Breaks::Consumers)),
                    consumers: !matches!(directed, Some(Breaks::Producers)),
                    ..Options::default()
                };
                searcher.search(Some(&change.pointer), &options)
            });
            if let Some(search) = &search {
                if let Some(first) = &search.disagreement {
                    disagreements.push(Disagreement {
                        contract: contract.key(),
                        file: file.to_path_buf(),
                        pointer: change.pointer.clone(),
                        events: search.disagreements,
                        first: first.clone(),
                    });
                }
            }
            // A change the rules cannot direct gets its direction from what the search found;
            // found nothing, it stays as breaking both (never reported as compatible).
            let breaks = directed.unwrap_or_else(|| match search.as_ref().map(Search::verdict) {
                Some(Verdict::Producers) => Breaks::Producers,
                Some(Verdict::Consumers) => Breaks::Consumers,
                _ => Breaks::Both,
            });
            let evidence = search.as_ref().map(|search| {
                let found = match breaks {
                    Breaks::Consumers => search.consumer_break.as_ref(),
                    _ => search
                        .producer_break
                        .as_ref()
                        .or(search.consumer_break.as_ref()),
                };
                match found {
                    Some(c) => Evidence::Counterexample {
                        event: c.event.to_string(),
                        marked: c.compact_with_marker(),
                        at: c.instance_pointer.clone(),
                        accepted_by: c.accepted_by.name(),
                        rejected_by: c.rejected_by.name(),
                        why: format!("{}: {}", c.keyword, c.message),
                    },
                    None => Evidence::NoneFound {
                        tried: search.tried,
                    },
                }
            });
            let mut change_message = change.message;
            if let (true, Some(search)) = (undirected, &search) {
                let decided = match search.verdict() {
                    Verdict::NoneFound { .. } => {
                        format!("{}, so it counts as breaking both ways", search.none_found())
                    }
                    Verdict::Both => "counterexamples show it breaks both ways".to_string(),
                    Verdict::Producers | Verdict::Consumers => format!(
                        "a counterexample decides whom it breaks (none the other way in {} generated events)",
                        codegen::counterexample::thousands(search.tried)
                    ),
                };
                change_message = change_message.replace(compare::UNANALYSED, &decided);
            }
            let forbidden = breaks.forbidden_by(mode.effective);
            let message = if forbidden {
                format!(
                    "{}: breaks {}, which {}'s {} forbids inside a version; add a new version instead ({} {} beside {}, with its own catalog entry)",
                    change_message,
                    party(breaks),
                    contract.key(),
                    mode.describe(),
                    contract.event_type,
                    next_version(catalog, &contract.event_type),
                    contract.version
                )
            } else {
                format!(
                    "{}: breaks {}, which {}'s {} allows",
                    change_message,
                    party(breaks),
                    contract.key(),
                    mode.describe()
                )
            };
            Finding {
                rule: change.rule.doc.id,
                severity: if forbidden {
                    Severity::Error
                } else {
                    Severity::Info
                },
                file: file.to_path_buf(),
                line: None,
                pointer: change.pointer,
                message,
                breaks: Some(breaks),
                evidence,
                ..Finding::default()
            }
        })
        .collect()
}

/// A contract the previous catalog lists and the current one does not.
fn removal(old: &Contract, current: &Catalog, catalog_file: &Path) -> Finding {
    let others: Vec<&str> = current
        .contracts
        .iter()
        .filter(|c| c.event_type == old.event_type)
        .map(|c| c.version.as_str())
        .collect();
    let (rule, what) = if others.is_empty() {
        (
            rules::CONTRACT_REMOVED,
            format!(
                "contract {} was removed, and no version of {} remains",
                old.key(),
                old.event_type
            ),
        )
    } else {
        (
            rules::VERSION_REMOVED,
            format!(
                "version {} of {} was removed (remaining: {})",
                old.version,
                old.event_type,
                others.join(", ")
            ),
        )
    };
    let breaks = rule.breaks.unwrap_or(Breaks::Both);
    let mode = Mode::of(old.compatibility, old.compatibility);
    let forbidden = breaks.forbidden_by(mode.effective);
    let message = if forbidden {
        format!(
            "{what}: events producers already send under it no longer validate, which its {} forbids; keep it in the catalog until no producer sends it",
            mode.describe()
        )
    } else {
        format!("{what}: allowed by its {}", mode.describe())
    };
    Finding {
        rule: rule.doc.id,
        severity: if forbidden {
            Severity::Error
        } else {
            Severity::Info
        },
        file: catalog_file.to_path_buf(),
        line: None,
        pointer: String::new(),
        message,
        breaks: Some(breaks),
        ..Finding::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disagreement_says_where_how_often_and_with_which_event() {
        let d = Disagreement {
            contract: "demo.created@1.0".into(),
            file: "contracts/demo.created/1.0/schema.json".into(),
            pointer: "/properties/id/format".into(),
            events: 3,
            first: serde_json::json!({"id": "x"}),
        };
        assert_eq!(
            d.to_string(),
            "the engine and jsonschema disagreed on 3 generated event(s) of demo.created@1.0 while \
             looking for a counterexample to contracts/demo.created/1.0/schema.json#/properties/id/format: \
             a validator bug, not used as evidence; please report it with this event: {\"id\":\"x\"}"
        );
    }
}
