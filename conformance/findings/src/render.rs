//! The findings of `lint` and `breaking` in every report format: text, JSON, JUnit and GitHub
//! annotations. The escaping of the two formats that need it (XML; workflow commands) is here
//! once, and `check`'s report (`report::junit`, `report::github`) writes with the same.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::{Breaks, Evidence, Finding, Format, RuleDoc, Severity, Totals};

/// The findings in `format`; JUnit names its suite `suite` and has a case per rule of `rules`.
pub fn render(format: Format, suite: &str, rules: &[RuleDoc], findings: &[Finding]) -> String {
    match format {
        Format::Text => render_text(findings),
        Format::Json => render_json(findings),
        Format::Junit => render_junit(suite, rules, findings),
        Format::Github => render_github(findings),
    }
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

/// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run of `tool`, every rule
/// of `rules` with its purpose and default level, and one result per finding at its file and
/// line (the JSON pointer as a logical location; whom a change breaks and its evidence in the
/// result's properties).
pub fn render_sarif(tool: &str, rules: &[RuleDoc], findings: &[Finding]) -> String {
    let level = |severity: Severity| match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let descriptors: Vec<serde_json::Value> = rules
        .iter()
        .map(|rule| {
            serde_json::json!({
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.purpose},
                "defaultConfiguration": {"level": level(rule.default_severity)},
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let mut message = f.message.clone();
            if let Some(evidence) = &f.evidence {
                message.push_str("; ");
                message.push_str(&evidence.to_string());
            }
            let mut region = serde_json::Map::new();
            if let Some(line) = f.line {
                region.insert("startLine".into(), line.into());
            }
            let mut physical = serde_json::json!({
                "artifactLocation": {"uri": uri_reference(&f.file)},
            });
            if !region.is_empty() {
                physical["region"] = region.into();
            }
            let mut location = serde_json::json!({"physicalLocation": physical});
            if !f.pointer.is_empty() {
                location["logicalLocations"] =
                    serde_json::json!([{"fullyQualifiedName": f.pointer, "kind": "member"}]);
            }
            let mut result = serde_json::json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": message},
                "locations": [location],
            });
            if let Some(index) = rules.iter().position(|r| r.id == f.rule) {
                result["ruleIndex"] = index.into();
            }
            let mut properties = serde_json::Map::new();
            if let Some(breaks) = f.breaks {
                properties.insert("breaks".into(), breaks.as_str().into());
            }
            if let Some(evidence) = &f.evidence {
                properties.insert(
                    "evidence".into(),
                    serde_json::to_value(evidence).expect("evidence serializes"),
                );
            }
            if !properties.is_empty() {
                result["properties"] = properties.into();
            }
            result
        })
        .collect();
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": tool, "rules": descriptors}},
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).expect("a SARIF log serializes");
    text.push('\n');
    text
}

/// A file path as a URI reference: `/` between segments, and every byte outside RFC 3986's
/// unreserved characters and `/` percent-encoded.
fn uri_reference(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

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
            let mark = match f.severity {
                Severity::Error => "❌",
                Severity::Warning => "⚠️",
                Severity::Info => "ℹ️",
            };
            let place = if f.pointer.is_empty() {
                String::new()
            } else {
                format!(" at `{}`", f.pointer)
            };
            let _ = writeln!(
                out,
                "- {mark} **{}**{place}: {}",
                f.rule,
                markdown_text(change)
            );
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

/// Text for a Markdown list item: no line breaks, no stray table or HTML syntax.
fn markdown_text(text: &str) -> String {
    text.replace('\n', " ")
        .replace('<', "&lt;")
        .replace('|', "\\|")
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

/// JUnit XML with one test case per rule of `rules`, so a clean run still shows what was
/// checked: a rule with an error finding fails, and its other findings go to system-out.
pub fn render_junit(suite: &str, rules: &[RuleDoc], findings: &[Finding]) -> String {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.rule).or_default().push(f);
    }
    // A finding of a rule the registry does not list still has to show up somewhere.
    let mut cases: Vec<(&str, &str)> = rules.iter().map(|r| (r.id, r.name)).collect();
    for id in by_rule.keys() {
        if !rules.iter().any(|r| r.id == *id) {
            cases.push((id, ""));
        }
    }
    let failing = |id: &str| {
        by_rule
            .get(id)
            .is_some_and(|fs| fs.iter().any(|f| f.severity == Severity::Error))
    };
    let failures = cases.iter().filter(|(id, _)| failing(id)).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        r#"<testsuites name="{0}" tests="{1}" failures="{failures}" errors="0">"#,
        xml_escape(suite),
        cases.len()
    );
    let _ = writeln!(
        out,
        r#"  <testsuite name="{0}" tests="{1}" failures="{failures}" errors="0">"#,
        xml_escape(suite),
        cases.len()
    );
    for (id, name) in &cases {
        let case_name = if name.is_empty() {
            id.to_string()
        } else {
            format!("{id} {name}")
        };
        let found = by_rule.get(id).map(Vec::as_slice).unwrap_or_default();
        if found.is_empty() {
            let _ = writeln!(
                out,
                r#"    <testcase name="{}" classname="{}"/>"#,
                xml_escape(&case_name),
                xml_escape(suite)
            );
            continue;
        }
        let _ = writeln!(
            out,
            r#"    <testcase name="{}" classname="{}">"#,
            xml_escape(&case_name),
            xml_escape(suite)
        );
        let lines = |errors: bool| -> String {
            found
                .iter()
                .filter(|f| (f.severity == Severity::Error) == errors)
                .map(|f| format!("{}: {}[{}] {}", f.location(), f.severity, f.rule, f.message))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if failing(id) {
            let errors = lines(true);
            let first = errors.lines().next().unwrap_or_default().to_string();
            let _ = writeln!(
                out,
                r#"      <failure message="{}">{}</failure>"#,
                xml_escape(&first),
                xml_escape(&errors)
            );
        }
        let others = lines(false);
        if !others.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                xml_escape(&others)
            );
        }
        let _ = writeln!(out, "    </testcase>");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// GitHub Actions workflow commands: `::error file=...,line=...,title=RULE::pointer: message`
/// per finding (`::warning` and `::notice` for the lower severities), then the totals.
pub fn render_github(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = format!("file={}", escape_property(&f.file.display().to_string()));
        if let Some(line) = f.line {
            let _ = write!(properties, ",line={line}");
        }
        let _ = write!(properties, ",title={}", escape_property(f.rule));
        let mut message = if f.pointer.is_empty() {
            f.message.clone()
        } else {
            format!("{}: {}", f.pointer, f.message)
        };
        if let Some(breaks) = f.breaks {
            let _ = write!(message, " (breaks {breaks})");
        }
        let _ = writeln!(out, "::{level} {properties}::{}", escape_data(&message));
    }
    let _ = writeln!(out, "{}", Totals::of(findings));
    out
}

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
pub fn xml_escape(s: &str) -> String {
    let mut escaped = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\n' => escaped.push_str("&#10;"),
            '\t' | '\r' => escaped.push(c),
            c if (c as u32) < 0x20 => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Escapes a message as the GitHub workflow command syntax requires.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value, which also ends at `,` and `:`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_annotations_escape_their_properties() {
        let f = Finding {
            rule: "BRK009",
            severity: Severity::Error,
            file: "schemas/a,b.json".into(),
            line: Some(3),
            pointer: "/type".into(),
            message: "50% narrower\nnow".into(),
            breaks: Some(super::super::Breaks::Producers),
            evidence: None,
        };
        assert_eq!(
            render_github(&[f]).lines().next().unwrap(),
            "::error file=schemas/a%2Cb.json,line=3,title=BRK009::/type: 50%25 narrower%0Anow (breaks producers)"
        );
    }

    #[test]
    fn xml_special_and_forbidden_characters_are_escaped() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn command_syntax_is_escaped() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }

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
                breaks: None,
                evidence: None,
            },
        ];
        insta::assert_snapshot!(render_markdown("contracts breaking", &findings));
        assert_eq!(
            render_markdown("contracts lint", &[]),
            "## contracts lint: 0 error(s), 0 warning(s), 0 info\n\nNo findings.\n"
        );
    }
}
