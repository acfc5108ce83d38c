//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: one run of one tool, every
//! rule it has with its purpose and default level, and one result per finding at its file and
//! line. Written as findings come ([`SarifLog`]), so that `check` streams a run of any size.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::{Finding, RuleDoc, Severity};

/// Where the results go in the log's pretty-printed text: the log is printed with an empty
/// `results` array, and split there.
const EMPTY_RESULTS: &str = "\"results\": []";
/// How deep a result sits in the log (`runs[0].results[i]`), in spaces: the indentation
/// `serde_json::to_string_pretty` gives the whole log.
const RESULT_INDENT: &str = "        ";

/// The findings as one SARIF log, pretty-printed.
pub fn render_sarif(tool: &str, rules: &[RuleDoc], findings: &[Finding]) -> String {
    super::into_string(|out| {
        let mut log = SarifLog::start(out, tool, rules)?;
        for f in findings {
            log.result(f)?;
        }
        log.finish()
    })
}

/// A SARIF log being written: its tool and rules first, then each result as it comes, then
/// its end. The text is what pretty-printing the whole log at once would give.
pub struct SarifLog<'w> {
    out: &'w mut dyn Write,
    rules: &'w [RuleDoc],
    /// The log's text after its results.
    tail: String,
    results: u64,
}

impl<'w> SarifLog<'w> {
    pub fn start(
        out: &'w mut dyn Write,
        tool: &str,
        rules: &'w [RuleDoc],
    ) -> io::Result<SarifLog<'w>> {
        let descriptors: Vec<Value> = rules
            .iter()
            .map(|rule| {
                json!({
                    "id": rule.id,
                    "name": rule.name,
                    "shortDescription": {"text": rule.purpose},
                    "defaultConfiguration": {"level": level(rule.default_severity)},
                })
            })
            .collect();
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": tool, "rules": descriptors}},
                "results": [],
            }],
        });
        let text = serde_json::to_string_pretty(&log).expect("a SARIF log serializes");
        let at = text
            .find(EMPTY_RESULTS)
            .expect("the log has an empty results array");
        // Up to the results array's `[`; its `]` begins the tail.
        let (head, tail) = text.split_at(at + EMPTY_RESULTS.len() - 1);
        out.write_all(head.as_bytes())?;
        Ok(SarifLog {
            out,
            rules,
            tail: tail.to_string(),
            results: 0,
        })
    }

    pub fn result(&mut self, f: &Finding) -> io::Result<()> {
        let text = serde_json::to_string_pretty(&result(self.rules, f))
            .expect("a SARIF result serializes");
        let mut indented = String::with_capacity(text.len() + 64);
        indented.push_str(if self.results == 0 { "\n" } else { ",\n" });
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                indented.push('\n');
            }
            indented.push_str(RESULT_INDENT);
            indented.push_str(line);
        }
        self.results += 1;
        self.out.write_all(indented.as_bytes())
    }

    pub fn finish(self) -> io::Result<()> {
        if self.results > 0 {
            // The closing bracket of a non-empty array goes on a line of its own.
            write!(self.out, "\n{}", &RESULT_INDENT[2..])?;
        }
        self.out.write_all(self.tail.as_bytes())?;
        writeln!(self.out)
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One result: its rule, level and message; its file and line as the physical location, its
/// JSON pointer as the logical one; what else the finding knows in the result's properties.
fn result(rules: &[RuleDoc], f: &Finding) -> Value {
    let mut message = f.message.clone();
    if let Some(evidence) = &f.evidence {
        message.push_str("; ");
        message.push_str(&evidence.to_string());
    }
    let mut region = Map::new();
    if let Some(line) = f.line {
        region.insert("startLine".into(), line.into());
    }
    let mut physical = json!({
        "artifactLocation": {"uri": uri_reference(&f.file)},
    });
    if !region.is_empty() {
        physical["region"] = region.into();
    }
    let mut location = json!({"physicalLocation": physical});
    if !f.pointer.is_empty() {
        location["logicalLocations"] = json!([{"fullyQualifiedName": f.pointer, "kind": "member"}]);
    }
    let mut result = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": {"text": message},
        "locations": [location],
    });
    if let Some(index) = rules.iter().position(|r| r.id == f.rule) {
        result["ruleIndex"] = index.into();
    }
    let mut properties = Map::new();
    if let Some(element) = f.element {
        properties.insert("element".into(), element.into());
    }
    if let Some(keyword) = &f.keyword {
        properties.insert("keyword".into(), keyword.as_str().into());
    }
    if let Some(schema_path) = &f.schema_path {
        properties.insert("schemaPath".into(), schema_path.as_str().into());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed log is the log pretty-printed whole: with no result, one, and several.
    #[test]
    fn a_streamed_log_is_the_whole_log_pretty_printed() {
        let finding = |line| Finding {
            rule: "CT001",
            file: "e.jsonl".into(),
            line: Some(line),
            pointer: "/data".into(),
            message: "m".into(),
            ..Finding::default()
        };
        for n in [0, 1, 3] {
            let findings: Vec<Finding> = (1..=n).map(finding).collect();
            let streamed = render_sarif("t", &[], &findings);
            let whole: Value = serde_json::from_str(&streamed).unwrap();
            let mut expected = serde_json::to_string_pretty(&whole).unwrap();
            expected.push('\n');
            assert_eq!(streamed, expected, "{n} results");
            assert_eq!(whole["runs"][0]["results"].as_array().unwrap().len(), n);
        }
    }
}
