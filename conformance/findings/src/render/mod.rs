//! Findings in every report format, written once for every rule family: text and JSON here,
//! and one module per other format, each with the pieces `check`'s report (a finding list per
//! record, streamed) writes with too: a JUnit test case, a GitHub annotation, a SARIF result,
//! a Markdown list item.

pub mod github;
pub mod junit;
pub mod markdown;
pub mod sarif;

use std::fmt::Write as _;

use serde::Serialize;

use super::{Finding, Format, RuleDoc, Totals};

pub use github::render_github;
pub use junit::render_junit;
pub use markdown::render_markdown;
pub use sarif::render_sarif;

/// The findings in `format`. `title` names the run: JUnit's suite, SARIF's tool, the Markdown
/// summary's heading. JUnit has a case per rule of `rules`, SARIF describes them all.
pub fn render(format: Format, title: &str, rules: &[RuleDoc], findings: &[Finding]) -> String {
    match format {
        Format::Text => render_text(findings),
        Format::Json => render_json(findings),
        Format::Junit => render_junit(title, rules, findings),
        Format::Github => render_github(rules, findings),
        Format::Markdown => render_markdown(title, findings),
        Format::Sarif => render_sarif(title, rules, findings),
    }
}

/// Where a finding's writer failed: rendering into memory cannot.
fn into_string(render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    render(&mut out).expect("writing into memory does not fail");
    String::from_utf8(out).expect("reports are written as UTF-8")
}

/// One line per finding, `file:line#pointer: severity[RULE] message`, then the totals.
pub fn render_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = write!(
            out,
            "{}: {}[{}] {}",
            f.location(),
            f.severity,
            f.rule,
            f.message
        );
        if let Some(breaks) = f.breaks {
            let _ = write!(out, " (breaks {breaks})");
        }
        out.push('\n');
        if let Some(evidence) = &f.evidence {
            let _ = writeln!(out, "    {evidence}");
        }
    }
    let _ = writeln!(out, "{}", Totals::of(findings));
    out
}

/// `{"findings": [...], "totals": {...}}`, pretty-printed.
pub fn render_json(findings: &[Finding]) -> String {
    render_json_with(findings, serde_json::Map::new())
}

/// [`render_json`], with `more` members after the totals (what a command adds to its findings,
/// such as `breaking --traffic`'s).
pub fn render_json_with(
    findings: &[Finding],
    more: serde_json::Map<String, serde_json::Value>,
) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        findings: &'a [Finding],
        totals: Totals,
        #[serde(flatten)]
        more: serde_json::Map<String, serde_json::Value>,
    }
    let document = Document {
        findings,
        totals: Totals::of(findings),
        more,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("findings always serialize");
    text.push('\n');
    text
}
