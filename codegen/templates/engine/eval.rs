//! Deciding an instance on a tape against a compiled program. One evaluator serves both
//! questions: "does it conform?" (no path kept, stops at the first failure) and "where does it
//! first fail, and on which keyword?" (the path kept), so the two answers never disagree.

use super::formats;
use super::numbers;
use super::program::{
    Checks, CoverageTree, Dependency, Format, Items, Program, SchemaNode, APPLICATORS, ARRAY,
    BOOLEAN, INTEGER, ITEMS, MEMBERS, NULL, NUMBER, NUMERIC, OBJECT, STRING, TEXT, VALUE,
};
use super::tape::{Node, View};

/// How deep schema references may nest while the instance does not: a loop of references
/// that never reaches the instance ends here, as a match (a reference cycle on the same
/// instance adds no constraint, and validators count it valid).
const MAX_DEPTH: usize = 512;

/// The first way an instance breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// JSON pointer into the instance.
    pub instance_path: String,
    /// JSON pointer to the failing keyword in the schema.
    pub schema_path: String,
    /// The keyword that failed.
    pub keyword: &'static str,
    /// What is wrong, quoting the offending value (cut to a readable length).
    pub message: String,
}

/// Where the evaluator reports what failed: nowhere (deciding), or the first failure with its
/// path (explaining). The message is built only when explaining.
trait Sink {
    /// Whether the evaluator follows the coverage tree and marks the optional fields it passes:
    /// coverage read in the evaluator's own pass over the event, not in a second one.
    const MARKS: bool = false;
    fn enter(&mut self, segment: Segment<'_>);
    fn leave(&mut self);
    fn fail(&mut self, schema_node: usize, keyword: &'static str, message: &dyn Fn() -> String);
    fn mark(&mut self, _field: usize) {}
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

struct Decide;

impl Sink for Decide {
    fn enter(&mut self, _: Segment<'_>) {}
    fn leave(&mut self) {}
    fn fail(&mut self, _: usize, _: &'static str, _: &dyn Fn() -> String) {}
}

/// Deciding, and marking the optional fields present (bit `i` of word `i / 64`).
struct Cover<'a> {
    present: &'a mut [u64],
}

impl Sink for Cover<'_> {
    const MARKS: bool = true;
    fn enter(&mut self, _: Segment<'_>) {}
    fn leave(&mut self) {}
    fn fail(&mut self, _: usize, _: &'static str, _: &dyn Fn() -> String) {}
    #[inline]
    fn mark(&mut self, field: usize) {
        if let Some(word) = self.present.get_mut(field / 64) {
            *word |= 1 << (field % 64);
        }
    }
}

struct Explain<'p> {
    pointers: &'p [String],
    path: Vec<String>,
    first: Option<Failure>,
}

impl Sink for Explain<'_> {
    fn enter(&mut self, segment: Segment<'_>) {
        self.path.push(match segment {
            Segment::Key(k) => k.replace('~', "~0").replace('/', "~1"),
            Segment::Index(i) => i.to_string(),
        });
    }
    fn leave(&mut self) {
        self.path.pop();
    }
    fn fail(&mut self, schema_node: usize, keyword: &'static str, message: &dyn Fn() -> String) {
        if self.first.is_none() {
            let instance_path = self.path.iter().map(|s| format!("/{s}")).collect();
            let schema_path = match keyword {
                "false" => self.pointers[schema_node].clone(),
                keyword => format!("{}/{keyword}", self.pointers[schema_node]),
            };
            self.first = Some(Failure {
                instance_path,
                schema_path,
                keyword,
                message: message(),
            });
        }
    }
}

impl Program {
    /// Whether the value at `at` on the tape conforms.
    pub fn is_valid(&self, view: &View<'_>, at: usize) -> bool {
        Evaluator {
            program: self,
            view,
        }
        .valid(0, at, &mut Decide, 0, CoverageTree::EMPTY)
    }

    /// Whether the value at `at` conforms, and when it does, which optional fields it has, as
    /// [`fields_present`](Self::fields_present) finds them, in the same pass. When it does not,
    /// `present` holds only some of them.
    pub fn is_valid_covering(&self, view: &View<'_>, at: usize, present: &mut Vec<u64>) -> bool {
        present.clear();
        present.resize(self.optional_fields.len().div_ceil(64), 0);
        Evaluator {
            program: self,
            view,
        }
        .valid(0, at, &mut Cover { present }, 0, &self.coverage)
    }

    /// The first way the value at `at` breaks the schema; `None` when it conforms.
    pub fn first_failure(&self, view: &View<'_>, at: usize) -> Option<Failure> {
        let mut explain = Explain {
            pointers: &self.pointers,
            path: Vec::new(),
            first: None,
        };
        let valid = Evaluator {
            program: self,
            view,
        }
        .valid(0, at, &mut explain, 0, CoverageTree::EMPTY);
        match (valid, explain.first) {
            (true, _) => None,
            (false, Some(failure)) => Some(failure),
            // Every failing path reports itself; this is a safety net, never reached in tests.
            (false, None) => Some(Failure {
                instance_path: String::new(),
                schema_path: String::new(),
                keyword: "schema",
                message: "the value does not conform".into(),
            }),
        }
    }

    /// Which optional fields the (conforming) value at `at` has: bit `i` of word `i / 64` for
    /// `optional_fields()[i]`.
    pub fn fields_present(&self, view: &View<'_>, at: usize, present: &mut Vec<u64>) {
        present.clear();
        present.resize(self.optional_fields.len().div_ceil(64), 0);
        mark(&self.coverage, view, at, present);
    }
}

fn mark(tree: &super::program::CoverageTree, view: &View<'_>, at: usize, present: &mut [u64]) {
    match view.node(at) {
        Node::Object { .. } if !tree.properties.is_empty() => {
            let mut next = 0;
            for (key, value) in view.members(at) {
                let Some(p) = tree.lookup.find(view.bytes(key).unwrap_or_default(), next) else {
                    continue;
                };
                next = p + 1;
                let (_, index, below) = &tree.properties[p];
                if let Some(i) = index {
                    present[i / 64] |= 1 << (i % 64);
                }
                mark(below, view, value, present);
            }
        }
        Node::Array { .. } => {
            if let Some(items) = &tree.items {
                for element in view.elements(at) {
                    mark(items, view, element, present);
                }
            }
        }
        _ => {}
    }
}

struct Evaluator<'p, 'v, 'a> {
    program: &'p Program,
    view: &'v View<'a>,
}

impl Evaluator<'_, '_, '_> {
    /// Whether the value at `at` conforms to schema `node`. `tree` is the coverage walk of that
    /// schema, followed only by a sink that marks (else empty).
    fn valid<S: Sink>(
        &self,
        node: usize,
        at: usize,
        sink: &mut S,
        depth: usize,
        tree: &CoverageTree,
    ) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        match &self.program.nodes[node] {
            SchemaNode::Bool(true) => true,
            SchemaNode::Bool(false) => {
                sink.fail(node, "false", &|| {
                    "False schema does not allow anything".into()
                });
                false
            }
            // The coverage tree follows `$ref`s as the program does: it stays the same.
            SchemaNode::Ref(target) => self.valid(*target, at, sink, depth + 1, tree),
            SchemaNode::Checks(checks) => self.checks(node, checks, at, sink, depth, tree),
        }
    }

    /// Decides a subschema without reporting: for combinators, whose branches may fail.
    fn matches(&self, node: usize, at: usize, depth: usize) -> bool {
        self.valid(node, at, &mut Decide, depth + 1, CoverageTree::EMPTY)
    }

    fn checks<S: Sink>(
        &self,
        index: usize,
        c: &Checks,
        at: usize,
        sink: &mut S,
        depth: usize,
        tree: &CoverageTree,
    ) -> bool {
        let view = self.view;
        let node = view.node(at);
        let value = || quote(view, at);
        // In the order the keywords' failures are most telling; both deciding and explaining
        // stop at the first.
        macro_rules! check {
            ($ok:expr, $keyword:literal, $($message:tt)+) => {
                if !$ok {
                    sink.fail(index, $keyword, &|| format!($($message)+));
                    return false;
                }
            };
        }
        if let Some(types) = c.types {
            check!(
                types & type_of(node) != 0,
                "type",
                "{} is not of type {}",
                value(),
                type_names(types)
            );
        }
        // A schema has few keywords: a group it has none of is passed over with one test.
        if c.groups & VALUE != 0 {
            if let Some(value) = &c.const_ {
                check!(
                    numbers::equals_value(view, at, value),
                    "const",
                    "{} was expected",
                    value
                );
            }
            if let Some(values) = &c.enum_ {
                check!(
                    values.iter().any(|v| numbers::equals_value(view, at, v)),
                    "enum",
                    "{} is not one of {}",
                    value(),
                    candidates(values)
                );
            }
        }
        match node {
            Node::U64(_) | Node::I64(_) | Node::F64(_) if c.groups & NUMERIC != 0 => {
                if let Some(limit) = &c.minimum {
                    check!(
                        numbers::ge(node, limit),
                        "minimum",
                        "{} is less than the minimum of {limit}",
                        value()
                    );
                }
                if let Some(limit) = &c.maximum {
                    check!(
                        numbers::le(node, limit),
                        "maximum",
                        "{} is greater than the maximum of {limit}",
                        value()
                    );
                }
                if let Some(limit) = &c.exclusive_minimum {
                    check!(
                        numbers::gt(node, limit),
                        "exclusiveMinimum",
                        "{} is less than or equal to the minimum of {limit}",
                        value()
                    );
                }
                if let Some(limit) = &c.exclusive_maximum {
                    check!(
                        numbers::lt(node, limit),
                        "exclusiveMaximum",
                        "{} is greater than or equal to the maximum of {limit}",
                        value()
                    );
                }
                if let Some(multiple) = c.multiple_of {
                    check!(
                        numbers::is_multiple_of(node, multiple),
                        "multipleOf",
                        "{} is not a multiple of {multiple}",
                        value()
                    );
                }
            }
            Node::Str { .. } if c.groups & TEXT != 0 => {
                let s = view.str(at).unwrap_or_default();
                // A character is one to four bytes: the byte length decides most bounds, and
                // the characters are counted only when it does not.
                let bytes = s.len() as u64;
                let decided = c.min_length.is_none_or(|min| bytes / 4 >= min)
                    && c.max_length.is_none_or(|max| bytes <= max);
                if !decided {
                    let chars = s.chars().count() as u64;
                    if let Some(min) = c.min_length {
                        check!(
                            chars >= min,
                            "minLength",
                            "{} is shorter than {min} character{}",
                            value(),
                            plural(min)
                        );
                    }
                    if let Some(max) = c.max_length {
                        check!(
                            chars <= max,
                            "maxLength",
                            "{} is longer than {max} character{}",
                            value(),
                            plural(max)
                        );
                    }
                }
                if let Some((pattern, _)) = &c.pattern {
                    check!(
                        pattern.is_match(s),
                        "pattern",
                        "{} does not match {:?}",
                        value(),
                        c.pattern.as_ref().map_or("", |(_, p)| p.as_str())
                    );
                }
                if let Some(format) = c.format {
                    check!(
                        format_holds(format, s),
                        "format",
                        "{} is not a {:?}",
                        value(),
                        format.name()
                    );
                }
            }
            Node::Array { len, .. } if c.groups & ITEMS != 0 => {
                if let Some(min) = c.min_items {
                    check!(
                        u64::from(len) >= min,
                        "minItems",
                        "{} has less than {min} item{}",
                        value(),
                        plural(min)
                    );
                }
                if let Some(max) = c.max_items {
                    check!(
                        u64::from(len) <= max,
                        "maxItems",
                        "{} has more than {max} item{}",
                        value(),
                        plural(max)
                    );
                }
                if c.unique_items {
                    check!(
                        numbers::all_unique(view, at),
                        "uniqueItems",
                        "{} has non-unique elements",
                        value()
                    );
                }
                if !self.items(c, at, sink, depth, tree) {
                    return false;
                }
                if let Some(contains) = c.contains {
                    check!(
                        view.elements(at).any(|e| self.matches(contains, e, depth)),
                        "contains",
                        "None of {} are valid under the given schema",
                        value()
                    );
                }
            }
            Node::Object { len, .. } if c.groups & MEMBERS != 0 => {
                if let Some(min) = c.min_properties {
                    check!(
                        u64::from(len) >= min,
                        "minProperties",
                        "{} has less than {min} propert{}",
                        value(),
                        if min == 1 { "y" } else { "ies" }
                    );
                }
                if let Some(max) = c.max_properties {
                    check!(
                        u64::from(len) <= max,
                        "maxProperties",
                        "{} has more than {max} propert{}",
                        value(),
                        if max == 1 { "y" } else { "ies" }
                    );
                }
                let Some(seen) = self.members(index, c, at, sink, depth, tree) else {
                    return false;
                };
                for (i, name) in c.required.iter().enumerate() {
                    let bit = if i < 64 { 1u64 << i } else { 0 };
                    let present = if c.required_in_properties & bit != 0 {
                        seen & bit != 0
                    } else {
                        view.get(at, name).is_some()
                    };
                    check!(present, "required", "{name:?} is a required property");
                }
                for (name, dependency) in &c.dependencies {
                    if view.get(at, name).is_none() {
                        continue;
                    }
                    match dependency {
                        Dependency::Names(names) => {
                            check!(
                                names.iter().all(|n| view.get(at, n).is_some()),
                                "dependencies",
                                "{name:?} needs {}",
                                names
                                    .iter()
                                    .map(|n| format!("{n:?}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            );
                        }
                        Dependency::Schema(schema) => {
                            check!(
                                self.matches(*schema, at, depth),
                                "dependencies",
                                "{} does not match the schema {name:?} brings",
                                value()
                            );
                        }
                    }
                }
            }
            _ => {}
        }
        if c.groups & APPLICATORS == 0 {
            return true;
        }
        if let Some((condition, then, otherwise)) = c.if_then_else {
            let branch = if self.matches(condition, at, depth) {
                then
            } else {
                otherwise
            };
            if let Some(branch) = branch {
                check!(
                    self.matches(branch, at, depth),
                    "if",
                    "{} does not match the schema its condition selects",
                    value()
                );
            }
        }
        for schema in &c.all_of {
            check!(
                self.matches(*schema, at, depth),
                "allOf",
                "{} is not valid under every schema of allOf",
                value()
            );
        }
        if !c.any_of.is_empty() {
            check!(
                c.any_of.iter().any(|s| self.matches(*s, at, depth)),
                "anyOf",
                "{} is not valid under any of the schemas listed in the 'anyOf' keyword",
                value()
            );
        }
        if !c.one_of.is_empty() {
            let mut matching = c.one_of.iter().filter(|s| self.matches(**s, at, depth));
            let one = matching.next().is_some() && matching.next().is_none();
            check!(
                one,
                "oneOf",
                "{} is not valid under exactly one of the schemas listed in the 'oneOf' keyword",
                value()
            );
        }
        if let Some(not) = c.not {
            check!(
                !self.matches(not, at, depth),
                "not",
                "{} should not be valid under the schema of 'not'",
                value()
            );
        }
        true
    }

    fn items<S: Sink>(
        &self,
        c: &Checks,
        at: usize,
        sink: &mut S,
        depth: usize,
        tree: &CoverageTree,
    ) -> bool {
        match &c.items {
            Items::Any => true,
            Items::Each(schema) => {
                // Coverage follows `items` when it is one schema, as this is.
                let below = match &tree.items {
                    Some(below) if S::MARKS => below,
                    _ => CoverageTree::EMPTY,
                };
                for (i, element) in self.view.elements(at).enumerate() {
                    sink.enter(Segment::Index(i));
                    let ok = self.valid(*schema, element, sink, depth + 1, below);
                    sink.leave();
                    if !ok {
                        return false;
                    }
                }
                true
            }
            Items::Positions(schemas) => {
                for (i, element) in self.view.elements(at).enumerate() {
                    let schema = match schemas.get(i) {
                        Some(schema) => *schema,
                        None => match c.additional_items {
                            Some(schema) => schema,
                            None => break,
                        },
                    };
                    sink.enter(Segment::Index(i));
                    let ok = self.valid(schema, element, sink, depth + 1, CoverageTree::EMPTY);
                    sink.leave();
                    if !ok {
                        return false;
                    }
                }
                true
            }
        }
    }

    /// `properties`, `patternProperties`, `additionalProperties` and `propertyNames`, member
    /// by member: `None` when a member fails, else the `required` bits of the properties seen.
    fn members<S: Sink>(
        &self,
        index: usize,
        c: &Checks,
        at: usize,
        sink: &mut S,
        depth: usize,
        tree: &CoverageTree,
    ) -> Option<u64> {
        let has_member_checks = !c.properties.is_empty()
            || !c.pattern_properties.is_empty()
            || c.additional_properties.is_some()
            || c.property_names.is_some();
        if !has_member_checks {
            return Some(0);
        }
        let mut seen = 0u64;
        let view = self.view;
        let mut next = 0;
        for (key, value) in view.members(at) {
            let name = view.str(key).unwrap_or_default();
            if let Some(names) = c.property_names {
                if !self.matches(names, key, depth) {
                    sink.enter(Segment::Key(name));
                    sink.fail(index, "propertyNames", &|| {
                        format!("{name:?} does not match the schema of property names")
                    });
                    sink.leave();
                    return None;
                }
            }
            let mut matched = false;
            sink.enter(Segment::Key(name));
            if let Some(p) = c.property_lookup.find(name.as_bytes(), next) {
                next = p + 1;
                matched = true;
                seen |= c.property_required_bit[p];
                // The tree was built from this very `properties`, in its order: entry `p` is
                // this property's (checked by length, in case a schema ever makes them differ).
                let mut below = CoverageTree::EMPTY;
                if S::MARKS && tree.properties.len() == c.properties.len() {
                    let (_, field, walk) = &tree.properties[p];
                    if let Some(field) = field {
                        sink.mark(*field);
                    }
                    below = walk;
                }
                if !self.valid(c.properties[p].1, value, sink, depth + 1, below) {
                    sink.leave();
                    return None;
                }
            }
            for (pattern, _, schema) in &c.pattern_properties {
                if pattern.is_match(name) {
                    matched = true;
                    if !self.valid(*schema, value, sink, depth + 1, CoverageTree::EMPTY) {
                        sink.leave();
                        return None;
                    }
                }
            }
            if !matched {
                if let Some(schema) = c.additional_properties {
                    if !self.matches(schema, value, depth) {
                        // Reported at the object, with the keyword, as validators do.
                        sink.leave();
                        sink.fail(index, "additionalProperties", &|| {
                            format!(
                                "Additional properties are not allowed ({name:?} was unexpected)"
                            )
                        });
                        return None;
                    }
                }
            }
            sink.leave();
        }
        Some(seen)
    }
}

/// How many characters of a value a message quotes.
const QUOTED_CHARS: usize = 120;

/// The value at `at` as compact JSON, cut to [`QUOTED_CHARS`] characters.
fn quote(view: &View<'_>, at: usize) -> String {
    let json = view.to_value(at).to_string();
    match json.char_indices().nth(QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &json[..cut]),
        None => json,
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn type_names(types: u8) -> String {
    let names: Vec<String> = [
        (NULL, "null"),
        (BOOLEAN, "boolean"),
        (NUMBER, "number"),
        (INTEGER, "integer"),
        (STRING, "string"),
        (ARRAY, "array"),
        (OBJECT, "object"),
    ]
    .into_iter()
    // "number" covers "integer".
    .filter(|(bit, name)| types & bit != 0 && !(*name == "integer" && types & NUMBER != 0))
    .map(|(_, name)| format!("{name:?}"))
    .collect();
    names.join(", ")
}

fn candidates(values: &[serde_json::Value]) -> String {
    let shown: Vec<String> = values.iter().take(3).map(|v| v.to_string()).collect();
    match values.len() {
        n if n <= 3 => shown.join(", "),
        n => format!("{} or {} other candidates", shown.join(", "), n - 3),
    }
}

/// The JSON type of a node, as a bit of a type set (an integral number is an integer).
fn type_of(node: Node) -> u8 {
    match node {
        Node::Null => NULL,
        Node::Bool(_) => BOOLEAN,
        Node::U64(_) | Node::I64(_) => INTEGER,
        Node::F64(f) if numbers::is_integral(f) => INTEGER,
        Node::F64(_) => NUMBER,
        Node::Str { .. } => STRING,
        Node::Array { .. } => ARRAY,
        Node::Object { .. } => OBJECT,
    }
}

fn format_holds(format: Format, s: &str) -> bool {
    match format {
        Format::Uuid => formats::is_uuid(s),
        Format::DateTime => formats::is_date_time(s),
        Format::Date => formats::is_date(s),
        Format::Time => formats::is_time(s),
        Format::Ipv4 => formats::is_ipv4(s),
        Format::Ipv6 => formats::is_ipv6(s),
    }
}
