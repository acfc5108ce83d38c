//! The breaking-change rules: one per kind of change, each with the party it breaks. Whether a
//! finding is an error depends on the contract's compatibility mode, not on the rule.

use crate::finding::{Breaks, Family, RuleDoc, Severity};

/// A kind of change between two states of a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakingRule {
    pub doc: RuleDoc,
    /// Whom the change breaks; `None` for a contract that could not be compared at all, and
    /// for a change only counterexamples can direct (BRK026).
    pub breaks: Option<Breaks>,
}

const fn rule(
    id: &'static str,
    name: &'static str,
    purpose: &'static str,
    breaks: Option<Breaks>,
) -> BreakingRule {
    BreakingRule {
        doc: RuleDoc {
            id,
            name,
            purpose,
            default_severity: Severity::Error,
            family: Family::Breaking,
        },
        breaks,
    }
}

use Breaks::{Both, Consumers, Producers};

pub const UNREADABLE: BreakingRule = rule(
    "BRK000",
    "unreadable",
    "A contract's schema could not be bundled in one of the two trees, so it was not compared.",
    None,
);
pub const CONTRACT_REMOVED: BreakingRule = rule(
    "BRK001",
    "contract-removed",
    "Every version of an event type was removed from the catalog.",
    Some(Producers),
);
pub const VERSION_REMOVED: BreakingRule = rule(
    "BRK002",
    "version-removed",
    "A version of an event type was removed while others remain.",
    Some(Producers),
);
pub const PROPERTY_ADDED_TO_OPEN_MODEL: BreakingRule = rule(
    "BRK003",
    "property-added-to-open-model",
    "A constrained property was declared where undeclared properties were accepted with any value.",
    Some(Producers),
);
pub const PROPERTY_ADDED_TO_CLOSED_MODEL: BreakingRule = rule(
    "BRK004",
    "property-added-to-closed-model",
    "A property was declared where undeclared properties were rejected.",
    Some(Consumers),
);
pub const PROPERTY_REMOVED_FROM_OPEN_MODEL: BreakingRule = rule(
    "BRK005",
    "property-removed-from-open-model",
    "A constrained property was removed where undeclared properties are accepted with any value.",
    Some(Consumers),
);
pub const PROPERTY_REMOVED_FROM_CLOSED_MODEL: BreakingRule = rule(
    "BRK006",
    "property-removed-from-closed-model",
    "A property was removed where undeclared properties are rejected.",
    Some(Producers),
);
pub const REQUIRED_ADDED: BreakingRule = rule(
    "BRK007",
    "required-added",
    "A property became required.",
    Some(Producers),
);
pub const REQUIRED_REMOVED: BreakingRule = rule(
    "BRK008",
    "required-removed",
    "A property is no longer required.",
    Some(Consumers),
);
pub const TYPE_NARROWED: BreakingRule = rule(
    "BRK009",
    "type-narrowed",
    "A JSON type is no longer accepted (number to integer, a type added where any was allowed).",
    Some(Producers),
);
pub const TYPE_WIDENED: BreakingRule = rule(
    "BRK010",
    "type-widened",
    "A JSON type is newly accepted (integer to number, a type removed from a restriction).",
    Some(Consumers),
);
pub const ENUM_NARROWED: BreakingRule = rule(
    "BRK011",
    "enum-narrowed",
    "A value of an enum is no longer accepted, or values became restricted.",
    Some(Producers),
);
pub const ENUM_EXTENDED: BreakingRule = rule(
    "BRK012",
    "enum-extended",
    "A value is newly accepted by an enum, or a restriction to values was lifted.",
    Some(Consumers),
);
pub const CONST_CHANGED: BreakingRule = rule(
    "BRK013",
    "const-changed",
    "A const names another value.",
    Some(Both),
);
pub const FORMAT_ADDED: BreakingRule = rule(
    "BRK014",
    "format-added",
    "A format is now asserted where none was.",
    Some(Producers),
);
pub const FORMAT_REMOVED: BreakingRule = rule(
    "BRK015",
    "format-removed",
    "A format is no longer asserted.",
    Some(Consumers),
);
pub const FORMAT_CHANGED: BreakingRule = rule(
    "BRK016",
    "format-changed",
    "A format names another format.",
    Some(Both),
);
pub const PATTERN_TIGHTENED: BreakingRule = rule(
    "BRK017",
    "pattern-tightened",
    "A pattern is now required where none was.",
    Some(Producers),
);
pub const PATTERN_RELAXED: BreakingRule = rule(
    "BRK018",
    "pattern-relaxed",
    "A pattern is no longer required.",
    Some(Consumers),
);
pub const PATTERN_CHANGED: BreakingRule = rule(
    "BRK019",
    "pattern-changed",
    "A pattern was rewritten; regular expressions are not compared, so it counts both ways.",
    Some(Both),
);
pub const LENGTH_TIGHTENED: BreakingRule = rule(
    "BRK020",
    "length-tightened",
    "A length or size bound got stricter (minLength/maxLength, minItems/maxItems, minProperties/maxProperties, uniqueItems).",
    Some(Producers),
);
pub const LENGTH_RELAXED: BreakingRule = rule(
    "BRK021",
    "length-relaxed",
    "A length or size bound got looser or was removed.",
    Some(Consumers),
);
pub const RANGE_TIGHTENED: BreakingRule = rule(
    "BRK022",
    "range-tightened",
    "A numeric bound got stricter (minimum/maximum, exclusive bounds, multipleOf).",
    Some(Producers),
);
pub const RANGE_RELAXED: BreakingRule = rule(
    "BRK023",
    "range-relaxed",
    "A numeric bound got looser or was removed.",
    Some(Consumers),
);
pub const ADDITIONAL_PROPERTIES_NARROWED: BreakingRule = rule(
    "BRK024",
    "additional-properties-narrowed",
    "Undeclared properties are rejected or constrained where they were accepted.",
    Some(Producers),
);
pub const ADDITIONAL_PROPERTIES_WIDENED: BreakingRule = rule(
    "BRK025",
    "additional-properties-widened",
    "Undeclared properties are accepted where they were rejected or constrained.",
    Some(Consumers),
);
pub const KEYWORD_CHANGED: BreakingRule = rule(
    "BRK026",
    "keyword-changed",
    "A keyword the comparison does not analyse (allOf, not, if, dependencies, a tuple, anyOf/oneOf of another length...) changed; counterexamples decide whom it breaks, both ways when none is found.",
    None,
);

/// Every breaking-change rule, in ID order.
pub static BREAKING_RULES: [BreakingRule; 27] = [
    UNREADABLE,
    CONTRACT_REMOVED,
    VERSION_REMOVED,
    PROPERTY_ADDED_TO_OPEN_MODEL,
    PROPERTY_ADDED_TO_CLOSED_MODEL,
    PROPERTY_REMOVED_FROM_OPEN_MODEL,
    PROPERTY_REMOVED_FROM_CLOSED_MODEL,
    REQUIRED_ADDED,
    REQUIRED_REMOVED,
    TYPE_NARROWED,
    TYPE_WIDENED,
    ENUM_NARROWED,
    ENUM_EXTENDED,
    CONST_CHANGED,
    FORMAT_ADDED,
    FORMAT_REMOVED,
    FORMAT_CHANGED,
    PATTERN_TIGHTENED,
    PATTERN_RELAXED,
    PATTERN_CHANGED,
    LENGTH_TIGHTENED,
    LENGTH_RELAXED,
    RANGE_TIGHTENED,
    RANGE_RELAXED,
    ADDITIONAL_PROPERTIES_NARROWED,
    ADDITIONAL_PROPERTIES_WIDENED,
    KEYWORD_CHANGED,
];
