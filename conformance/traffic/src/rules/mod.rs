//! The rules a record is checked by: one module each, listed once in [`RULES`]. A rule has a
//! stable ID, a one-line doc and a default severity, and is a pure function of the [`Facts`]
//! the checker gathered about one record.

pub mod config;
mod ct001_schema_violation;
mod ct002_unknown_event_type;
mod ct003_unknown_version;
mod ct004_body_not_json;
mod ct005_routing_key_mismatch;
mod ct006_exchange_mismatch;
mod ct007_content_type;
mod ct008_message_id_mismatch;
mod ct009_duplicate_id_different_content;
mod ct010_deprecated_version;
mod ct011_unpublishable;
mod ct012_duplicate_key;
#[cfg(test)]
mod fixtures;

use std::str::FromStr;

use coder_events::Violation;
use serde_json::Value;

pub use crate::finding::{Family, RuleDoc, Severity};
use crate::input::{Body, Delivery, Location};

/// Every rule, in ID order.
pub static RULES: [Rule; 12] = [
    ct001_schema_violation::RULE,
    ct002_unknown_event_type::RULE,
    ct003_unknown_version::RULE,
    ct004_body_not_json::RULE,
    ct005_routing_key_mismatch::RULE,
    ct006_exchange_mismatch::RULE,
    ct007_content_type::RULE,
    ct008_message_id_mismatch::RULE,
    ct009_duplicate_id_different_content::RULE,
    ct010_deprecated_version::RULE,
    ct011_unpublishable::RULE,
    ct012_duplicate_key::RULE,
];

/// What a record that could not be read at all is reported as, where a report names a rule for
/// everything it shows (SARIF, annotations): not a rule of [`RULES`], since no setting turns it
/// off or down, and nothing about such a record could be checked.
pub const UNREADABLE: RuleDoc = RuleDoc {
    id: "CT000",
    name: "unreadable-record",
    purpose: "The record could not be read: not JSON, over the size limit, or not a record of its input format (always an error).",
    default_severity: Severity::Error,
    family: Family::Traffic,
};

/// The descriptor of everything a traffic report can name: [`UNREADABLE`], then every rule.
pub fn rule_docs() -> Vec<RuleDoc> {
    std::iter::once(UNREADABLE)
        .chain(RULES.iter().map(|rule| rule.doc))
        .collect()
}

/// The ID `id` names, as the registry holds it.
pub fn rule_id(id: &str) -> Option<&'static str> {
    std::iter::once(&UNREADABLE)
        .chain(RULES.iter().map(|rule| &rule.doc))
        .find(|doc| doc.id == id)
        .map(|doc| doc.id)
}

/// One message rule: its descriptor (the same type `lint` and `breaking` rules have) and the
/// check, a pure function of what the checker found about one record.
pub struct Rule {
    pub doc: RuleDoc,
    pub check: fn(&Facts) -> Vec<Hit>,
}

/// What the checker knows about one readable record; every rule reads only this.
pub struct Facts<'a> {
    /// The delivery, when the input recorded one (a recording, not a plain event).
    pub delivery: Option<&'a Delivery>,
    pub body: BodyFacts<'a>,
    /// The contract the event's `type` and `version` name, when the run knows it.
    pub contract: Option<&'static coder_events::Contract>,
    /// Every way the body breaks its contract, as the engine and its explainer found them
    /// (empty when the body conforms or is not JSON).
    pub violations: &'a [Violation],
    /// Where this event's `id` was first seen, when that earlier event had other content.
    pub same_id_other_content: Option<&'a Location>,
}

/// What a record's body is, as far as the rules need to know.
#[derive(Debug, Clone, Copy)]
pub enum BodyFacts<'a> {
    /// Not UTF-8 JSON: why.
    NotJson(&'a str),
    Event(EventFacts<'a>),
}

/// The fields of an event the rules read. A conforming event is not built into a `Value`
/// (the engine decided it from its bytes), so only a rejected one has `value`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventFacts<'a> {
    pub event_type: Option<&'a str>,
    pub version: Option<&'a str>,
    pub id: Option<&'a str>,
    /// The event itself, when the engine rejected it: where violations' values are read.
    pub value: Option<&'a Value>,
}

impl<'a> BodyFacts<'a> {
    /// The facts of a body held as a `Value` (a rejected event, a test's).
    pub fn of(body: &'a Body) -> BodyFacts<'a> {
        match body {
            Body::NotJson(why) => BodyFacts::NotJson(why),
            Body::Json(event) => {
                let field = |name: &str| event.get(name).and_then(Value::as_str);
                BodyFacts::Event(EventFacts {
                    event_type: field("type"),
                    version: field("version"),
                    id: field("id"),
                    value: Some(event),
                })
            }
        }
    }
}

impl Facts<'_> {
    /// The event as a `Value`, when the engine rejected it.
    pub fn event(&self) -> Option<&Value> {
        match self.body {
            BodyFacts::Event(event) => event.value,
            BodyFacts::NotJson(_) => None,
        }
    }

    /// A string field at the top of the event: `type`, `version` or `id`.
    pub fn event_field(&self, name: &str) -> Option<&str> {
        let BodyFacts::Event(event) = self.body else {
            return None;
        };
        match name {
            "type" => event.event_type,
            "version" => event.version,
            "id" => event.id,
            other => unreachable!("rules read no event field {other:?} but type, version and id"),
        }
    }
}

/// One way a record breaks a rule, as the rule found it: the checker makes it a finding, with
/// the rule, the severity it runs at and the record's place.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// JSON pointer into the event (`""`: the event, or the delivery as a whole).
    pub instance_path: String,
    pub schema_path: Option<String>,
    pub keyword: Option<String>,
    pub message: String,
    /// The offending value, shown by the text report unless values are masked.
    pub value: Option<Value>,
}

impl Hit {
    /// A hit on the record as a whole, with no schema keyword.
    pub fn about(instance_path: &str, message: String, value: Option<Value>) -> Hit {
        Hit {
            instance_path: instance_path.to_string(),
            schema_path: None,
            keyword: None,
            message,
            value,
        }
    }
}

/// The findings of `coder_events::validate` of one kind, with the offending values.
fn violations_of_kind(facts: &Facts, kinds: &[coder_events::ViolationKind]) -> Vec<Hit> {
    // Nearly every record conforms: nothing to look through, and an empty iterator collected
    // cost as much as the rest of the rule.
    if facts.violations.is_empty() {
        return Vec::new();
    }
    facts
        .violations
        .iter()
        .filter(|v| kinds.contains(&v.kind))
        .map(|v| Hit {
            instance_path: v.instance_path.clone(),
            schema_path: Some(v.schema_path.clone()).filter(|p| !p.is_empty()),
            keyword: Some(v.keyword.clone()),
            message: v.message.clone(),
            value: offending_value(facts.event(), v),
        })
        .collect()
}

/// The value a violation is about. `required`, `additionalProperties` and a duplicate key are
/// about a property name (already in the message), not the value of the object that holds it.
fn offending_value(event: Option<&Value>, violation: &Violation) -> Option<Value> {
    match violation.keyword.as_str() {
        // The key is named in the message; the object holding it would only repeat the event.
        "required" | "additionalProperties" | "duplicateKey" => None,
        _ => event?.pointer(&violation.instance_path).cloned(),
    }
}

/// The severity each rule runs at (`None`: off): its default unless `--rule` says otherwise.
#[derive(Debug, Clone)]
pub struct RuleSettings {
    severities: [Option<Severity>; RULES.len()],
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            severities: RULES.each_ref().map(|rule| Some(rule.doc.default_severity)),
        }
    }
}

impl RuleSettings {
    pub fn with_overrides(overrides: &[RuleOverride]) -> RuleSettings {
        let mut settings = RuleSettings::default();
        for o in overrides {
            settings.severities[o.rule] = o.severity;
        }
        settings
    }

    /// The rules that are on, with the severity each runs at.
    pub fn active(&self) -> impl Iterator<Item = (&'static Rule, Severity)> + '_ {
        RULES
            .iter()
            .zip(self.severities)
            .filter_map(|(rule, severity)| Some((rule, severity?)))
    }

    /// The severity rule `id` runs at; `None` when it is off (or no rule has that ID).
    pub fn severity(&self, id: &str) -> Option<Severity> {
        RULES
            .iter()
            .position(|rule| rule.doc.id == id)
            .and_then(|i| self.severities[i])
    }
}

/// `ID=SEVERITY` (or `NAME=SEVERITY`) from `--rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleOverride {
    /// Index into [`RULES`].
    pub rule: usize,
    /// `None`: off.
    pub severity: Option<Severity>,
}

impl FromStr for RuleOverride {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (name, severity) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} is not ID=SEVERITY, e.g. CT007=off"))?;
        if UNREADABLE.id.eq_ignore_ascii_case(name) || UNREADABLE.name == name {
            return Err(format!(
                "{} {} cannot be set: a record that cannot be read is always an error",
                UNREADABLE.id, UNREADABLE.name
            ));
        }
        let rule = RULES
            .iter()
            .position(|r| r.doc.id.eq_ignore_ascii_case(name) || r.doc.name == name)
            .ok_or_else(|| format!("no rule {name:?}: `contracts rules` lists them"))?;
        let severity = match severity {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "off" => None,
            other => {
                return Err(format!(
                    "unknown severity {other:?}: use error, warning or off"
                ))
            }
        };
        Ok(RuleOverride { rule, severity })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_ordered_and_documented() {
        for (i, rule) in RULES.iter().enumerate() {
            let doc = &rule.doc;
            assert_eq!(doc.id, format!("{}{:03}", doc.family.prefix(), i + 1));
            assert_eq!(doc.family, Family::Traffic, "{}", doc.id);
            assert!(
                !doc.purpose.is_empty() && !doc.purpose.contains('\n'),
                "{}",
                doc.id
            );
            assert!(
                doc.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                doc.name
            );
        }
    }

    /// A valid event with no delivery has nothing any rule could find (unless its version is
    /// deprecated): the rules only look at what is wrong.
    #[test]
    fn no_rule_fires_on_a_conforming_plain_event() {
        let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let (examples, _) = codegen::examples::load_all(&schemas).expect("the catalog loads");
        let valid = examples
            .into_iter()
            .filter(|e| matches!(e.expected, codegen::examples::Expected::Valid));
        let mut checked = 0;
        for example in valid {
            let body = Body::Json(example.event);
            let facts = Facts {
                delivery: None,
                body: BodyFacts::of(&body),
                contract: coder_events::contract(&example.event_type, &example.version)
                    .filter(|c| c.deprecated.is_none()),
                violations: &[],
                same_id_other_content: None,
            };
            for rule in &RULES {
                assert_eq!((rule.check)(&facts), [], "{}", rule.doc.id);
            }
            checked += 1;
        }
        assert!(checked > 0, "the catalog has valid examples");
    }

    #[test]
    fn overrides_name_a_rule_by_id_or_name() {
        let by_id: RuleOverride = "ct007=off".parse().unwrap();
        let by_name: RuleOverride = "content-type=off".parse().unwrap();
        assert_eq!(by_id, by_name);
        let settings = RuleSettings::with_overrides(&[by_id, "CT008=error".parse().unwrap()]);
        assert_eq!(settings.severity("CT007"), None);
        assert_eq!(settings.severity("CT008"), Some(Severity::Error));
        assert!(settings.active().all(|(rule, _)| rule.doc.id != "CT007"));
        assert!("CT099=off".parse::<RuleOverride>().is_err());
        for unreadable in ["CT000=off", "unreadable-record=warning"] {
            let refused = unreadable.parse::<RuleOverride>().unwrap_err();
            assert!(refused.contains("always an error"), "{refused}");
        }
        assert!("CT001=fatal".parse::<RuleOverride>().is_err());
        assert!("CT001".parse::<RuleOverride>().is_err());
    }
}
