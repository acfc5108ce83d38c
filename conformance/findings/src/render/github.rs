//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` annotation per
//! finding, at its file and line, titled with its rule; the escapes the command syntax needs.

use std::fmt::Write as _;

use crate::{Finding, RuleDoc, Severity, Totals};

/// Every finding's annotation, then the totals as a plain line.
pub fn render_github(rules: &[RuleDoc], findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&annotation(rules, f));
    }
    let _ = writeln!(out, "{}", Totals::of(findings));
    out
}

/// `::error file=F,line=N,title=RULE name::pointer: message (breaks X)` and a newline; a
/// record in a file's top-level array, which has no line, says its element in the message.
pub fn annotation(rules: &[RuleDoc], f: &Finding) -> String {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = format!("file={}", escape_property(&f.file.display().to_string()));
    if let Some(line) = f.line {
        let _ = write!(properties, ",line={line}");
    }
    let title = match rules.iter().find(|r| r.id == f.rule) {
        Some(rule) => format!("{} {}", f.rule, rule.name),
        None => f.rule.to_string(),
    };
    let _ = write!(properties, ",title={}", escape_property(&title));
    let mut message = String::new();
    if let Some(element) = f.element {
        let _ = write!(message, "element #{element}: ");
    }
    if !f.pointer.is_empty() {
        let _ = write!(message, "{}: ", f.pointer);
    }
    message.push_str(&f.message);
    if let Some(breaks) = f.breaks {
        let _ = write!(message, " (breaks {breaks})");
    }
    format!("::{level} {properties}::{}\n", escape_data(&message))
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
    use crate::{Breaks, Family};

    const RULE: RuleDoc = RuleDoc {
        id: "BRK009",
        name: "type-narrowed",
        purpose: "A type no longer accepted.",
        default_severity: Severity::Error,
        family: Family::Breaking,
    };

    #[test]
    fn annotations_escape_their_properties_and_name_their_rule() {
        let f = Finding {
            rule: "BRK009",
            severity: Severity::Error,
            file: "schemas/a,b.json".into(),
            line: Some(3),
            pointer: "/type".into(),
            message: "50% narrower\nnow".into(),
            breaks: Some(Breaks::Producers),
            ..Finding::default()
        };
        assert_eq!(
            render_github(&[RULE], std::slice::from_ref(&f)).lines().next().unwrap(),
            "::error file=schemas/a%2Cb.json,line=3,title=BRK009 type-narrowed::/type: 50%25 narrower%0Anow (breaks producers)"
        );
        // A rule the list does not describe is titled by its ID alone.
        assert!(annotation(&[], &f).contains(",title=BRK009::"));
    }

    #[test]
    fn a_record_without_a_line_says_its_element() {
        let f = Finding {
            rule: "CT001",
            severity: Severity::Warning,
            file: "capture.json".into(),
            element: Some(4),
            message: "bad".into(),
            ..Finding::default()
        };
        assert_eq!(
            annotation(&[], &f),
            "::warning file=capture.json,title=CT001::element #4: bad\n"
        );
    }

    #[test]
    fn command_syntax_is_escaped() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
