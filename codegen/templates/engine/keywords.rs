//! Every draft-07 keyword, once: where its subschemas are, whether it only annotates, and which
//! parts of the toolkit support it (the engine that decides conformance, the Rust codegen, the
//! breaking-change comparison). The codegen, lint, the schema walk and the breaking comparison
//! read this table and keep no list of their own; a keyword not in it is refused.

/// Where a keyword's value holds subschemas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subschemas {
    /// None: a number, a string, a list of names...
    None,
    /// One schema.
    One,
    /// An array of schemas.
    Array,
    /// A schema, or an array of schemas (`items`).
    OneOrArray,
    /// An object of name → schema.
    Map,
    /// An object of name → schema or array of names (`dependencies`).
    MapOfSchemaOrNames,
}

/// How `contracts breaking` reads a change of the keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Breaking {
    /// It constrains nothing: a change breaks nobody.
    Annotation,
    /// A rule tells narrowing from widening (BRK001–BRK025).
    Classified,
    /// Any change is reported as a change of unknown direction (BRK026).
    Equality,
}

/// One keyword and who supports it.
#[derive(Clone, Copy, Debug)]
pub struct Keyword {
    pub name: &'static str,
    pub subschemas: Subschemas,
    /// It only annotates: no instance is rejected because of it.
    pub annotation: bool,
    /// The engine decides it exactly as JSON Schema draft-07 says.
    pub engine: bool,
    /// The Rust codegen (typify 0.8) expresses it without panicking or misreading it; when
    /// false, `cargo xtask codegen` refuses a schema using it, and `contracts lint` says so.
    pub codegen: bool,
    pub breaking: Breaking,
    /// What it does, in a few words.
    pub purpose: &'static str,
}

const fn keyword(
    name: &'static str,
    subschemas: Subschemas,
    annotation: bool,
    codegen: bool,
    breaking: Breaking,
    purpose: &'static str,
) -> Keyword {
    Keyword {
        name,
        subschemas,
        annotation,
        engine: true,
        codegen,
        breaking,
        purpose,
    }
}

use Breaking::{Annotation, Classified, Equality};
use Subschemas as S;

/// Every keyword of draft-07 (core, validation, meta-data), in the order the specification
/// lists them.
pub static KEYWORDS: &[Keyword] = &[
    keyword("$schema", S::None, true, true, Annotation, "the dialect"),
    keyword("$id", S::None, true, true, Annotation, "the schema's URI"),
    keyword(
        "$ref",
        S::None,
        false,
        true,
        Classified,
        "the schema at a local JSON pointer applies instead",
    ),
    keyword(
        "$comment",
        S::None,
        true,
        true,
        Annotation,
        "a note for schema authors",
    ),
    keyword(
        "definitions",
        S::Map,
        true,
        true,
        Annotation,
        "schemas to reference",
    ),
    keyword(
        "type",
        S::None,
        false,
        true,
        Classified,
        "the JSON types allowed",
    ),
    keyword(
        "enum",
        S::None,
        false,
        true,
        Classified,
        "the values allowed",
    ),
    keyword(
        "const",
        S::None,
        false,
        true,
        Classified,
        "the one value allowed",
    ),
    keyword(
        "multipleOf",
        S::None,
        false,
        true,
        Classified,
        "a number is a multiple of it",
    ),
    keyword(
        "maximum",
        S::None,
        false,
        true,
        Classified,
        "a number is at most it",
    ),
    keyword(
        "exclusiveMaximum",
        S::None,
        false,
        true,
        Classified,
        "a number is below it",
    ),
    keyword(
        "minimum",
        S::None,
        false,
        true,
        Classified,
        "a number is at least it",
    ),
    keyword(
        "exclusiveMinimum",
        S::None,
        false,
        true,
        Classified,
        "a number is above it",
    ),
    keyword(
        "maxLength",
        S::None,
        false,
        true,
        Classified,
        "a string has at most this many characters",
    ),
    keyword(
        "minLength",
        S::None,
        false,
        true,
        Classified,
        "a string has at least this many characters",
    ),
    keyword(
        "pattern",
        S::None,
        false,
        true,
        Classified,
        "a string matches this regular expression",
    ),
    keyword(
        "items",
        S::OneOrArray,
        false,
        true,
        Classified,
        "the schema of the elements (or of each position)",
    ),
    keyword(
        "additionalItems",
        S::One,
        false,
        true,
        Equality,
        "the schema of elements past the positions `items` lists",
    ),
    keyword(
        "maxItems",
        S::None,
        false,
        true,
        Classified,
        "an array has at most this many elements",
    ),
    keyword(
        "minItems",
        S::None,
        false,
        true,
        Classified,
        "an array has at least this many elements",
    ),
    keyword(
        "uniqueItems",
        S::None,
        false,
        true,
        Equality,
        "no two elements are equal",
    ),
    keyword(
        "contains",
        S::One,
        false,
        false,
        Equality,
        "some element matches the schema",
    ),
    keyword(
        "maxProperties",
        S::None,
        false,
        true,
        Equality,
        "an object has at most this many members",
    ),
    keyword(
        "minProperties",
        S::None,
        false,
        true,
        Equality,
        "an object has at least this many members",
    ),
    keyword(
        "required",
        S::None,
        false,
        true,
        Classified,
        "members an object must have",
    ),
    keyword(
        "properties",
        S::Map,
        false,
        true,
        Classified,
        "the schema of each named member",
    ),
    keyword(
        "patternProperties",
        S::Map,
        false,
        false,
        Equality,
        "the schema of members whose name matches",
    ),
    keyword(
        "additionalProperties",
        S::One,
        false,
        true,
        Classified,
        "the schema of the other members",
    ),
    keyword(
        "dependencies",
        S::MapOfSchemaOrNames,
        false,
        false,
        Equality,
        "members, or a schema, that a member brings",
    ),
    keyword(
        "propertyNames",
        S::One,
        false,
        false,
        Equality,
        "the schema member names match",
    ),
    keyword(
        "if",
        S::One,
        false,
        false,
        Equality,
        "which of then and else applies",
    ),
    keyword(
        "then",
        S::One,
        false,
        false,
        Equality,
        "applies when if matches",
    ),
    keyword(
        "else",
        S::One,
        false,
        false,
        Equality,
        "applies when if does not match",
    ),
    keyword(
        "allOf",
        S::Array,
        false,
        false,
        Equality,
        "every schema matches",
    ),
    keyword(
        "anyOf",
        S::Array,
        false,
        true,
        Equality,
        "at least one schema matches",
    ),
    keyword(
        "oneOf",
        S::Array,
        false,
        true,
        Equality,
        "exactly one schema matches",
    ),
    keyword(
        "not",
        S::One,
        false,
        false,
        Equality,
        "the schema does not match",
    ),
    keyword(
        "format",
        S::None,
        false,
        true,
        Classified,
        "a string is of a named format (see FORMATS)",
    ),
    // Draft-07 validators (jsonschema among them) assert these; the engine does not.
    Keyword {
        engine: false,
        ..keyword(
            "contentMediaType",
            S::None,
            false,
            true,
            Equality,
            "the media type of a string's content",
        )
    },
    Keyword {
        engine: false,
        ..keyword(
            "contentEncoding",
            S::None,
            false,
            true,
            Equality,
            "the encoding of a string's content",
        )
    },
    keyword("title", S::None, true, true, Annotation, "a short name"),
    keyword(
        "description",
        S::None,
        true,
        true,
        Annotation,
        "what it means",
    ),
    keyword(
        "default",
        S::None,
        true,
        true,
        Annotation,
        "the value assumed when absent",
    ),
    keyword(
        "readOnly",
        S::None,
        true,
        true,
        Annotation,
        "managed by the owner",
    ),
    keyword(
        "writeOnly",
        S::None,
        true,
        true,
        Annotation,
        "never returned",
    ),
    keyword("examples", S::None, true, true, Annotation, "sample values"),
];

/// The keyword called `name`, if draft-07 has it.
pub fn keyword_named(name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.name == name)
}

/// The `format` values the engine asserts, each exactly as JSON Schema (and the `jsonschema`
/// crate the tests compare with) defines it. Another format is refused: the engine cannot
/// decide it.
pub static FORMATS: &[&str] = &["uuid", "date-time", "date", "time", "ipv4", "ipv6"];

/// Why the toolkit cannot take `name` where a schema uses it, if it cannot: not a draft-07
/// keyword, not decided by the engine, or not expressed by the Rust codegen.
pub fn refusal(name: &str) -> Option<String> {
    match keyword_named(name) {
        None => Some(format!(
            "{name:?} is not a draft-07 keyword; validators ignore it silently (a typo?)"
        )),
        Some(k) if !k.engine => Some(format!("keyword {name:?} is not decided by the engine")),
        Some(k) if !k.codegen => Some(format!(
            "keyword {name:?} cannot be expressed by the Rust codegen (typify 0.8)"
        )),
        Some(_) => None,
    }
}
