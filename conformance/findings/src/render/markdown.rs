//! Markdown short enough for a pull-request comment or a CI job summary: the breaking-change
//! summary of `lint` and `breaking`, and the list item every family's summary shows a finding
//! as (`check`'s summary is written by its report, with the same items).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::{Breaks, Evidence, Finding, Severity, Totals};

/// A summary short enough for a pull-request comment: per schema file, each finding in plain
/// words, whom it breaks and the rollout it needs, and its counterexample.
pub fn render_markdown(title: &str, findings: &[Finding]) -> String {
    let mut out = String::new();
    let totals = Totals::of(findings);
    let _ = writeln!(out, "## {title}: {totals}\n");
    if findings.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    let mut by_file: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_file
            .entry(f.file.display().to_string())
            .or_default()
            .push(f);
    }
    for (file, findings) in by_file {
        let _ = writeln!(out, "### `{file}`\n");
        for f in findings {
            // A breaking finding's message is the change, then whom it breaks and the verdict:
            // the summary says the change, and puts the rest in words of its own.
            let change = match f.breaks {
                Some(_) => f.message.split(": breaks ").next().unwrap_or(&f.message),
                None => &f.message,
            };
            let _ = writeln!(out, "{}", list_item(f, false, change));
            if let Some(breaks) = f.breaks {
                let rollout = match breaks {
                    Breaks::Producers => "breaks **producers** (events already sent fail the new schema): inside a version, ship it as a new version; otherwise move producers first, then consumers",
                    Breaks::Consumers => "breaks **consumers** (new events fail readers on the old schema): move consumers first, then producers",
                    Breaks::Both => "breaks **producers and consumers**: no rollout order is safe; ship it as a new version",
                };
                let verdict = match f.severity {
                    Severity::Error => "not allowed here",
                    _ => "allowed by the contract's compatibility",
                };
                let _ = writeln!(out, "  - {rollout} ({verdict})");
            }
            match &f.evidence {
                Some(Evidence::Counterexample {
                    marked,
                    at,
                    accepted_by,
                    rejected_by,
                    why,
                    ..
                }) => {
                    let _ = writeln!(
                        out,
                        "  - counterexample (the {accepted_by} schema accepts it, the {rejected_by} rejects it at `{at}`: {}):\n    ```json\n    {marked}\n    ```",
                        markdown_text(why)
                    );
                }
                Some(evidence @ Evidence::NoneFound { .. }) => {
                    let _ = writeln!(out, "  - {evidence}");
                }
                None => {}
            }
        }
        out.push('\n');
    }
    out
}

/// `- ❌ **RULE** `file:line` at `pointer`: message`: one finding as a list item (its file
/// and line left out where a heading names the file already), saying `message` for it.
pub fn list_item(f: &Finding, with_place: bool, message: &str) -> String {
    let mark = match f.severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
    };
    let mut place = String::new();
    if with_place {
        let _ = write!(place, " `{}`", f.place());
    }
    if !f.pointer.is_empty() {
        let _ = write!(place, " at `{}`", f.pointer);
    }
    format!("- {mark} **{}**{place}: {}", f.rule, markdown_text(message))
}

/// Text for a Markdown list item or table cell: no line breaks, no stray table or HTML syntax.
pub fn markdown_text(text: &str) -> String {
    text.replace('\n', " ")
        .replace('<', "&lt;")
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pull-request summary of a breaking change with a counterexample, an undirected
    /// change nothing told apart, and a lint finding.
    #[test]
    fn the_markdown_summary_says_each_change_whom_it_breaks_and_shows_its_evidence() {
        let schema = "schemas/contracts/demo.created/1.0/schema.json";
        let breaking = |rule, severity, pointer: &str, message: &str, breaks, evidence| Finding {
            rule,
            severity,
            file: schema.into(),
            line: Some(12),
            pointer: pointer.into(),
            message: message.into(),
            breaks: Some(breaks),
            evidence: Some(evidence),
            ..Finding::default()
        };
        let findings = [
            breaking(
                "BRK009",
                Severity::Error,
                "/properties/data/properties/count/type",
                "type narrowed from number to string: number no longer accepted: breaks existing producers (old events fail the new schema), which demo.created@1.0's backward compatibility forbids inside a version",
                Breaks::Producers,
                Evidence::Counterexample {
                    event: r#"{"data":{"count":3}}"#.into(),
                    marked: r#"{"data":{"count":»3«}}"#.into(),
                    at: "/data/count".into(),
                    accepted_by: "old",
                    rejected_by: "new",
                    why: "type: 3 is not of type \"string\"".into(),
                },
            ),
            breaking(
                "BRK026",
                Severity::Error,
                "/properties/data/allOf",
                "\"allOf\" changed; no counterexample in 2,000 generated events, so it counts as breaking both ways: breaks existing producers and consumers, which demo.created@1.0's backward compatibility forbids inside a version",
                Breaks::Both,
                Evidence::NoneFound { tried: 2000 },
            ),
            Finding {
                rule: "LINT006",
                severity: Severity::Warning,
                file: schema.into(),
                line: Some(3),
                pointer: "/properties/data/properties/count".into(),
                message: "property \"count\" has no description".into(),
                ..Finding::default()
            },
        ];
        insta::assert_snapshot!(render_markdown("contracts breaking", &findings));
        assert_eq!(
            render_markdown("contracts lint", &[]),
            "## contracts lint: 0 error(s), 0 warning(s), 0 info\n\nNo findings.\n"
        );
    }
}
