//! Counterexamples of a schema change: a concrete event one state of a contract accepts and the
//! other rejects, found by generating events and asking both validators.
//!
//! A *producer break* is an event the old schema accepts and the new rejects (what producers
//! send today fails the new contract); a *consumer break* is one the new accepts and the old
//! rejects (consumers still on the old contract fail on what the new lets through).
//!
//! The generator is [`Synth`]: the contract's valid examples first, then events synthesized from
//! each schema in turn, each such *seed* followed by candidates made from it, the smallest edits
//! first so that what is shown reads as the seed with one change. With the JSON pointer of a
//! change (into the schema, through references, as `contracts breaking` names it), the search is
//! *directed* at the instance location that pointer governs: there, the value in another JSON
//! type (`1250` → `"1250"`), a string resized to each length either schema bounds (the nearest
//! first), a member removed or added; then every single-keyword mutation of either schema
//! ([`Synth::mutations`]) near that location; then values drawn from both schemas' subschemas
//! there (each `anyOf`/`oneOf`/`allOf` branch alone), their bounds and one past them, the value
//! other synthesized events have there; then every other mutation and random value changes
//! anywhere. Without a pointer (*undirected*, as for a change no rule can place): the small edits
//! at every place of the event, every mutation, random value changes.
//!
//! Every candidate is judged by the engine under both schemas; one that splits them is judged
//! again by `jsonschema` (draft-07, formats asserted, `uuid` registered, no reference fetched)
//! and returned only when both validators agree on both sides. A search that finds nothing says
//! how many events it tried: no counterexample in N events is evidence, never a proof of
//! compatibility.

use std::fmt;

use serde_json::{json, Value};

use crate::engine::{Program, Tape};
use crate::synth::{Rng, Synth};
use crate::walk::{escape, unescape};

/// One state of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Old,
    New,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }

    fn other(self) -> Side {
        match self {
            Side::Old => Side::New,
            Side::New => Side::Old,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An event one schema accepts and the other rejects, as both validators judged it.
#[derive(Debug, Clone, PartialEq)]
pub struct Counterexample {
    pub event: Value,
    /// Where the two states differ on it: the instance pointer of the first failing keyword in
    /// the rejecting schema (the engine's first failure; `""` is the whole event).
    pub instance_pointer: String,
    /// That keyword's pointer in the rejecting schema (bundled).
    pub schema_pointer: String,
    /// The keyword that rejects it.
    pub keyword: String,
    /// The rejecting validator's words for it.
    pub message: String,
    pub accepted_by: Side,
    pub rejected_by: Side,
    /// Which event of the search it was (1: the first judged).
    pub found_after: usize,
}

impl Counterexample {
    /// Whom the change breaks with this event: producers when the old schema accepts it.
    pub fn breaks_producers(&self) -> bool {
        self.accepted_by == Side::Old
    }

    /// The event as compact JSON with the value at [`instance_pointer`](Self::instance_pointer)
    /// between `»` and `«`: `{"data":{"value":»"1250"«}}`. At the root (a property missing from
    /// the event itself), the whole event is marked: `»{…}«`. The markers are outside any JSON
    /// string, so removing them gives the event's compact JSON back.
    pub fn compact_with_marker(&self) -> String {
        let mut out = String::new();
        let mut path = String::new();
        write_marked(&self.event, &mut path, &self.instance_pointer, &mut out);
        out
    }
}

impl fmt::Display for Counterexample {
    /// `<marked event>: the old schema accepts it, the new rejects it at /data/value (type: …)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.instance_pointer.is_empty() {
            "/"
        } else {
            &self.instance_pointer
        };
        write!(
            f,
            "{}: the {} schema accepts it, the {} rejects it at {at} ({}: {})",
            self.compact_with_marker(),
            self.accepted_by,
            self.rejected_by,
            self.keyword,
            self.message
        )
    }
}

fn write_marked(value: &Value, path: &mut String, target: &str, out: &mut String) {
    if path == target {
        out.push('»');
        out.push_str(&value.to_string());
        out.push('«');
        return;
    }
    let inside = target.starts_with(path.as_str());
    match value {
        Value::Object(map) if inside => {
            out.push('{');
            for (i, (key, child)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                let len = path.len();
                path.push('/');
                path.push_str(&escape(key));
                write_marked(child, path, target, out);
                path.truncate(len);
            }
            out.push('}');
        }
        Value::Array(items) if inside => {
            out.push('[');
            for (i, child) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let len = path.len();
                path.push_str(&format!("/{i}"));
                write_marked(child, path, target, out);
                path.truncate(len);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// What a search found, and how many events it judged to find it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Search {
    /// Accepted by the old schema, rejected by the new.
    pub producer_break: Option<Counterexample>,
    /// Accepted by the new schema, rejected by the old.
    pub consumer_break: Option<Counterexample>,
    /// Events judged (each under both schemas), counterexamples included.
    pub tried: usize,
    /// Events on which the engine and `jsonschema` disagreed (never returned as
    /// counterexamples; each is a validator bug to report).
    pub disagreements: usize,
    /// The first of them, to report.
    pub disagreement: Option<Value>,
}

/// Whom a change breaks, as far as a search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Counterexamples both ways: no rollout order is safe (a new version).
    Both,
    /// Only events the old schema accepts and the new rejects: what producers send today fails
    /// consumers on the new contract (producers move first).
    Producers,
    /// Only events the new schema accepts and the old rejects: consumers still on the old
    /// contract fail on them (consumers move first).
    Consumers,
    /// Nothing found in `tried` events: no direction decided, and no proof of compatibility.
    NoneFound { tried: usize },
}

impl Search {
    /// The direction the counterexamples found decide.
    pub fn verdict(&self) -> Verdict {
        match (&self.producer_break, &self.consumer_break) {
            (Some(_), Some(_)) => Verdict::Both,
            (Some(_), None) => Verdict::Producers,
            (None, Some(_)) => Verdict::Consumers,
            (None, None) => Verdict::NoneFound { tried: self.tried },
        }
    }

    /// "no counterexample in 10,000 generated events": the words for a direction none was found
    /// in.
    pub fn none_found(&self) -> String {
        none_found_in(self.tried)
    }
}

/// "no counterexample in 10,000 generated events", for a search of `tried` events.
pub fn none_found_in(tried: usize) -> String {
    format!("no counterexample in {} generated events", thousands(tried))
}

/// `10000` → `10,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How long a search goes on and what it looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Events judged at most.
    pub tries: usize,
    /// The generator's seed: the same seed, schemas and examples give the same search.
    pub seed: u64,
    /// Look for a producer break (old accepts, new rejects).
    pub producers: bool,
    /// Look for a consumer break (new accepts, old rejects).
    pub consumers: bool,
}

impl Default for Options {
    /// 10,000 events, both directions, a fixed seed.
    fn default() -> Options {
        Options {
            tries: 10_000,
            seed: 0x5eed,
            producers: true,
            consumers: true,
        }
    }
}

/// Why a search cannot start: a schema neither validator can compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchError {
    pub side: Side,
    pub message: String,
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} schema does not compile: {}",
            self.side, self.message
        )
    }
}

impl std::error::Error for SearchError {}

/// The `jsonschema` options every contract validator is built with (as the generated crate's
/// `options()`): draft-07, formats asserted with `uuid` registered, a linear-time regex engine,
/// no reference ever fetched.
pub fn oracle_options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_format("uuid", crate::engine::formats::is_uuid)
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .offline()
}

/// One state: its schema, compiled by both validators, and its generator.
struct State<'s> {
    root: &'s Value,
    program: Program,
    oracle: jsonschema::Validator,
    synth: Synth<'s>,
}

impl<'s> State<'s> {
    fn new(
        side: Side,
        root: &'s Value,
        examples: &'s [Value],
        oracle: &jsonschema::ValidationOptions,
    ) -> Result<State<'s>, SearchError> {
        let program = Program::compile(root).map_err(|e| SearchError {
            side,
            message: e.to_string(),
        })?;
        let oracle = oracle.build(root).map_err(|e| SearchError {
            side,
            message: e.to_string(),
        })?;
        Ok(State {
            root,
            program,
            oracle,
            synth: Synth::new(root, examples.iter().collect()),
        })
    }
}

/// Both states of one contract, compiled once for any number of searches (one per change).
pub struct Searcher<'s> {
    old: State<'s>,
    new: State<'s>,
    examples: &'s [Value],
}

/// Finds counterexamples between `old` and `new` (bundled schemas of one contract), directed at
/// `change` (a JSON pointer into the schema) when given. See [`Searcher::search`].
pub fn search(
    old: &Value,
    new: &Value,
    examples: &[Value],
    change: Option<&str>,
    options: &Options,
) -> Result<Search, SearchError> {
    Ok(Searcher::new(old, new, examples)?.search(change, options))
}

impl<'s> Searcher<'s> {
    /// `examples`: the contract's valid examples (of the old state; the search starts from them).
    pub fn new(
        old: &'s Value,
        new: &'s Value,
        examples: &'s [Value],
    ) -> Result<Searcher<'s>, SearchError> {
        Searcher::with_oracle(old, new, examples, &oracle_options())
    }

    /// A searcher whose second opinion is `jsonschema` built with `oracle`: always
    /// [`oracle_options`], but for a test that makes the validators disagree.
    fn with_oracle(
        old: &'s Value,
        new: &'s Value,
        examples: &'s [Value],
        oracle: &jsonschema::ValidationOptions,
    ) -> Result<Searcher<'s>, SearchError> {
        Ok(Searcher {
            old: State::new(Side::Old, old, examples, oracle)?,
            new: State::new(Side::New, new, examples, oracle)?,
            examples,
        })
    }

    fn state(&self, side: Side) -> &State<'s> {
        match side {
            Side::Old => &self.old,
            Side::New => &self.new,
        }
    }

    /// Judges at most `options.tries` events, and stops as soon as every direction asked for
    /// has a counterexample. `change`: the pointer (into the schema, through references as
    /// `contracts breaking` reports it: `/properties/data/properties/value/type`) of the change
    /// to direct the search at; `None` searches undirected.
    pub fn search(&self, change: Option<&str>, options: &Options) -> Search {
        let mut run = Run {
            searcher: self,
            options,
            tape: Tape::new(),
            found: Search::default(),
        };
        if run.done() {
            return run.found;
        }
        let mut rng = Rng::new(options.seed);
        let focus = change.map(|pointer| Focus::new(pointer, self.old.root, self.new.root));
        let palette = focus
            .as_ref()
            .map(|f| f.palette(self, &mut rng))
            .unwrap_or_default();
        for round in 0usize.. {
            let seed = match self.examples.get(round) {
                Some(example) => example.clone(),
                None if round % 2 == 0 => self.old.synth.event(&mut rng),
                None => self.new.synth.event(&mut rng),
            };
            if run.offer(&seed) {
                break;
            }
            let others = [
                self.old.synth.event(&mut rng),
                self.new.synth.event(&mut rng),
            ];
            let (near, far): (Vec<_>, Vec<_>) = [&self.old, &self.new]
                .iter()
                .flat_map(|s| s.synth.mutations(&seed))
                .partition(|m| focus.as_ref().is_some_and(|f| f.near(&m.instance_path)));
            // Nearest the seed first, so that what is shown reads as the seed with one edit.
            let (small, large) = match &focus {
                Some(f) => f.candidates(&seed, &palette, &others),
                None => (everywhere(&seed), Vec::new()),
            };
            let directed = small
                .into_iter()
                .chain(near.into_iter().map(|m| m.event))
                .chain(large);
            if run.offer_all(directed) {
                break;
            }
            if run.offer_all(far.into_iter().map(|m| m.event)) {
                break;
            }
            if run.offer_all(perturbations(&seed, &others, &mut rng)) {
                break;
            }
        }
        run.found
    }
}

/// One search under way.
struct Run<'a, 's> {
    searcher: &'a Searcher<'s>,
    options: &'a Options,
    tape: Tape,
    found: Search,
}

impl Run<'_, '_> {
    fn done(&self) -> bool {
        self.found.tried >= self.options.tries
            || ((!self.options.producers || self.found.producer_break.is_some())
                && (!self.options.consumers || self.found.consumer_break.is_some()))
    }

    fn offer_all(&mut self, events: impl IntoIterator<Item = Value>) -> bool {
        for event in events {
            if self.offer(&event) {
                return true;
            }
        }
        false
    }

    /// Judges `event` under both schemas; true when the search is over.
    fn offer(&mut self, event: &Value) -> bool {
        if self.done() {
            return true;
        }
        self.found.tried += 1;
        let bytes = serde_json::to_vec(event).expect("a Value serializes");
        if self.tape.read(&bytes).is_err() {
            return self.done();
        }
        let view = self.tape.view(&bytes);
        let old_ok = self.searcher.old.program.is_valid(&view, 0);
        let new_ok = self.searcher.new.program.is_valid(&view, 0);
        let accepted_by = match (old_ok, new_ok) {
            (true, false) if self.options.producers && self.found.producer_break.is_none() => {
                Side::Old
            }
            (false, true) if self.options.consumers && self.found.consumer_break.is_none() => {
                Side::New
            }
            _ => return self.done(),
        };
        let rejected_by = accepted_by.other();
        let accepting = self.searcher.state(accepted_by);
        let rejecting = self.searcher.state(rejected_by);
        // The second opinion: `jsonschema` must say the same on both sides.
        if !accepting.oracle.is_valid(event) || rejecting.oracle.is_valid(event) {
            self.found.disagreements += 1;
            self.found.disagreement.get_or_insert_with(|| event.clone());
            return self.done();
        }
        let failure = rejecting
            .program
            .first_failure(&view, 0)
            .expect("the engine rejected it");
        let counterexample = Counterexample {
            event: event.clone(),
            instance_pointer: failure.instance_path,
            schema_pointer: failure.schema_path,
            keyword: failure.keyword.to_string(),
            message: failure.message,
            accepted_by,
            rejected_by,
            found_after: self.found.tried,
        };
        match accepted_by {
            Side::Old => self.found.producer_break = Some(counterexample),
            Side::New => self.found.consumer_break = Some(counterexample),
        }
        self.done()
    }
}

/// One step from a value to a member of it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    AnyKey,
    Index(usize),
    AnyIndex,
}

/// Where in the event a change to the schema shows: the instance location its pointer governs,
/// and the subschemas there in both states.
struct Focus<'s> {
    steps: Vec<Step>,
    /// The schema nodes at that location, old and new (resolved through references).
    nodes: (&'s Value, &'s Value),
}

/// Follows local references.
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..64 {
        match node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| root.pointer(p))
        {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

impl<'s> Focus<'s> {
    fn new(pointer: &str, old: &'s Value, new: &'s Value) -> Focus<'s> {
        let segments: Vec<String> = pointer.split('/').skip(1).map(unescape).collect::<Vec<_>>();
        let mut steps = Vec::new();
        // The schema nodes of each state at the location reached so far: `None` once the
        // pointer leaves a state (a branch it no longer has), which then keeps the last.
        let mut at = [Some(old), Some(new)];
        let mut last = [old, new];
        let roots = [old, new];
        let mut i = 0;
        let descend = |at: &mut [Option<&'s Value>; 2], keys: &[&str]| {
            for (slot, root) in at.iter_mut().zip(roots) {
                *slot = slot.and_then(|node| {
                    keys.iter()
                        .try_fold(resolve(root, node), |n, k| match n {
                            Value::Array(items) => {
                                k.parse::<usize>().ok().and_then(|i| items.get(i))
                            }
                            other => other.get(*k),
                        })
                        .map(|n| resolve(root, n))
                });
            }
        };
        while i < segments.len() {
            let s = segments[i].as_str();
            let next = segments.get(i + 1).map(String::as_str);
            let (step, used): (Option<Step>, usize) = match (s, next) {
                ("properties", Some(name)) => (Some(Step::Key(name.to_string())), 2),
                ("patternProperties", Some(_)) => (Some(Step::AnyKey), 2),
                ("additionalProperties", _) => (Some(Step::AnyKey), 1),
                ("items", Some(n)) if n.parse::<usize>().is_ok() => {
                    (Some(Step::Index(n.parse().unwrap_or(0))), 2)
                }
                ("items" | "additionalItems" | "contains", _) => (Some(Step::AnyIndex), 1),
                ("allOf" | "anyOf" | "oneOf", Some(n)) if n.parse::<usize>().is_ok() => (None, 2),
                ("dependencies", Some(_)) => (None, 2),
                ("not" | "if" | "then" | "else", _) => (None, 1),
                // A keyword: it applies where the pointer has got to.
                _ => break,
            };
            let keys: Vec<&str> = segments[i..i + used].iter().map(String::as_str).collect();
            descend(&mut at, &keys);
            if let Some(step) = step {
                steps.push(step);
                for (l, a) in last.iter_mut().zip(at) {
                    if let Some(node) = a {
                        *l = node;
                    }
                }
            }
            i += used;
        }
        // A state the pointer left keeps its node at the last location both had.
        let nodes = (at[0].unwrap_or(last[0]), at[1].unwrap_or(last[1]));
        Focus { steps, nodes }
    }

    /// Whether an instance pointer is at, above or below the focus.
    fn near(&self, instance: &str) -> bool {
        let segments: Vec<String> = instance.split('/').skip(1).map(unescape).collect();
        segments
            .iter()
            .zip(&self.steps)
            .all(|(s, step)| match step {
                Step::Key(k) => k == s,
                Step::Index(i) => s.parse::<usize>() == Ok(*i),
                Step::AnyKey | Step::AnyIndex => true,
            })
    }

    /// Values worth trying at the focus: what each state's subschemas there produce (each
    /// combinator branch alone), their bounds and one past them, and a value of every JSON type.
    fn palette(&self, searcher: &Searcher<'_>, rng: &mut Rng) -> Vec<Value> {
        let mut out = Vec::new();
        gather(searcher.old.root, self.nodes.0, rng, &mut out, 0);
        gather(searcher.new.root, self.nodes.1, rng, &mut out, 0);
        out.extend([
            Value::Null,
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(""),
            json!("text"),
            json!({}),
            json!([]),
        ]);
        let mut unique: Vec<Value> = Vec::new();
        for v in out {
            if !unique.contains(&v) {
                unique.push(v);
            }
        }
        unique
    }

    /// Every concrete pointer in `event` the focus names.
    fn matches(&self, event: &Value, steps: &[Step]) -> Vec<String> {
        let mut out = Vec::new();
        walk_steps(event, steps, String::new(), &mut out);
        out
    }

    /// The directed candidates of one seed event, the small edits apart from the large. At each
    /// place the focus names in it (or, where it lacks the member, under its parent). Small: the
    /// value in another JSON type (`1250` → `"1250"`), a string resized to each length the
    /// palette has, a member of it removed or one added, an array one shorter or longer, the
    /// value removed. Large: each palette value, the value the other events have there, the
    /// whole parent swapped for theirs.
    fn candidates(
        &self,
        seed: &Value,
        palette: &[Value],
        others: &[Value],
    ) -> (Vec<Value>, Vec<Value>) {
        let (mut small, mut large) = (Vec::new(), Vec::new());
        let mut places = self.matches(seed, &self.steps);
        if let Some((Step::Key(name), parent_steps)) = self.steps.split_last() {
            for parent in self.matches(seed, parent_steps) {
                if seed.pointer(&parent).is_some_and(Value::is_object) {
                    let place = format!("{parent}/{}", escape(name));
                    if seed.pointer(&place).is_none() {
                        places.push(place);
                    }
                }
            }
        }
        let lengths: Vec<usize> = palette
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.chars().count())
            .collect();
        for place in &places {
            let current = seed.pointer(place);
            let mut edits: Vec<Value> = current.map(converted).unwrap_or_default();
            match current {
                Some(Value::String(s)) => {
                    // The nearest length first: the smallest edit that crosses a bound.
                    let count = s.chars().count();
                    let mut near = lengths.clone();
                    near.sort_by_key(|&len| (len.abs_diff(count), len));
                    near.dedup();
                    edits.extend(near.iter().map(|&len| json!(resize(s, len))));
                }
                Some(Value::Array(items)) => {
                    if let Some(last) = items.last() {
                        let mut longer = items.clone();
                        longer.push(last.clone());
                        edits.push(Value::Array(longer));
                        edits.push(Value::Array(items[..items.len() - 1].to_vec()));
                    }
                    edits.push(json!([]));
                }
                Some(Value::Object(map)) => {
                    for key in map.keys() {
                        let mut fewer = map.clone();
                        fewer.remove(key);
                        edits.push(Value::Object(fewer));
                    }
                    let mut more = map.clone();
                    more.insert("unexpectedProperty".into(), json!(true));
                    edits.push(Value::Object(more));
                }
                _ => {}
            }
            for value in edits {
                if current != Some(&value) {
                    small.extend(with_value(seed, place, Some(value)));
                }
            }
            small.extend(with_value(seed, place, None));
            let elsewhere = others.iter().filter_map(|o| o.pointer(place).cloned());
            for value in palette.iter().cloned().chain(elsewhere) {
                if current != Some(&value) {
                    large.extend(with_value(seed, place, Some(value)));
                }
            }
            if let Some((parent, _)) = place.rsplit_once('/') {
                for other in others {
                    if let Some(v) = other.pointer(parent) {
                        large.extend(with_value(seed, parent, Some(v.clone())));
                    }
                }
            }
        }
        (small, large)
    }
}

/// The same value in other JSON types, where it has an obvious reading there: `1250` →
/// `"1250"`, `"1250"` → `1250`, `true` → `"true"`, `1` → `true`, `x` → `[x]`.
fn converted(value: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    match value {
        Value::Number(n) => {
            out.push(json!(n.to_string()));
            if let Some(i) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9e15) {
                // 12.0 as 12 (an integer), 12 as 12.5 (not one).
                out.push(json!(i as i64));
                out.push(json!(i + 0.5));
            }
            out.push(json!(n.as_f64() != Some(0.0)));
        }
        Value::String(s) => {
            if let Ok(n) = s.parse::<serde_json::Number>() {
                out.push(Value::Number(n));
            }
            if let Ok(b) = s.parse::<bool>() {
                out.push(json!(b));
            }
        }
        Value::Bool(b) => {
            out.push(json!(b.to_string()));
            out.push(json!(u8::from(*b)));
        }
        _ => {}
    }
    if !value.is_array() {
        out.push(json!([value]));
    }
    out
}

fn walk_steps(value: &Value, steps: &[Step], at: String, out: &mut Vec<String>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(at);
        return;
    };
    match (step, value) {
        (Step::Key(k), Value::Object(map)) => {
            if let Some(child) = map.get(k) {
                walk_steps(child, rest, format!("{at}/{}", escape(k)), out);
            }
        }
        (Step::AnyKey, Value::Object(map)) => {
            for (k, child) in map {
                walk_steps(child, rest, format!("{at}/{}", escape(k)), out);
            }
        }
        (Step::Index(i), Value::Array(items)) => {
            if let Some(child) = items.get(*i) {
                walk_steps(child, rest, format!("{at}/{i}"), out);
            }
        }
        (Step::AnyIndex, Value::Array(items)) => {
            for (i, child) in items.iter().enumerate() {
                walk_steps(child, rest, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Values a subschema (in `root`) suggests: a few it produces, its `const` and `enum`, its
/// bounds and one step past each, a value of each type it names; each combinator branch alone.
fn gather(root: &Value, node: &Value, rng: &mut Rng, out: &mut Vec<Value>, depth: usize) {
    let node = resolve(root, node);
    let Value::Object(map) = node else {
        return;
    };
    if depth > 4 {
        return;
    }
    // The subschema as a schema of its own, the root's definitions beside it.
    let mut sub = node.clone();
    if let (Some(definitions), Value::Object(sub_map)) = (root.get("definitions"), &mut sub) {
        sub_map
            .entry("definitions")
            .or_insert_with(|| definitions.clone());
    }
    let synth = Synth::new(&sub, Vec::new());
    for _ in 0..3 {
        let v = synth.event(rng);
        if !v.is_null() || map.get("type") == Some(&json!("null")) {
            out.push(v);
        }
    }
    if let Some(c) = map.get("const") {
        out.push(c.clone());
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        out.extend(values.iter().cloned());
    }
    let integer = map.get("type") == Some(&json!("integer"));
    for key in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
        if let Some(b) = map.get(key).and_then(Value::as_f64) {
            let steps: &[f64] = if integer {
                &[-1.0, 0.0, 1.0]
            } else {
                &[-1.0, -0.5, 0.0, 0.5, 1.0]
            };
            for d in steps {
                let n = b + d;
                if integer || n.fract() == 0.0 && n.abs() < 9e15 {
                    out.push(json!(n as i64));
                } else if let Some(n) = serde_json::Number::from_f64(n) {
                    out.push(Value::Number(n));
                }
            }
        }
    }
    for key in ["minLength", "maxLength"] {
        if let Some(len) = map.get(key).and_then(Value::as_u64) {
            for l in [len.saturating_sub(1), len, len + 1] {
                out.push(json!("x".repeat(l as usize)));
            }
        }
    }
    for key in ["minItems", "maxItems"] {
        if let Some(len) = map.get(key).and_then(Value::as_u64) {
            for l in [len.saturating_sub(1), len, len + 1] {
                out.push(Value::Array(vec![json!("x"); l as usize]));
            }
        }
    }
    let types: Vec<&str> = match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for t in types {
        out.push(match t {
            "string" => json!("x"),
            "number" => json!(0.5),
            "integer" => json!(1),
            "boolean" => json!(false),
            "object" => json!({}),
            "array" => json!([]),
            _ => Value::Null,
        });
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get(keyword) {
            for branch in branches {
                gather(root, branch, rng, out, depth + 1);
            }
        }
    }
    for keyword in ["not", "if", "then", "else"] {
        if let Some(branch) = map.get(keyword) {
            gather(root, branch, rng, out, depth + 1);
        }
    }
}

/// `s` cut or padded (with its last character, else `x`) to `len` characters.
fn resize(s: &str, len: usize) -> String {
    let count = s.chars().count();
    if count >= len {
        return s.chars().take(len).collect();
    }
    let pad = s.chars().last().unwrap_or('x');
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(pad, len - count));
    out
}

/// `event` with the value at `pointer` replaced (or added under an object parent), or removed
/// with `None`; nothing when the pointer has no place in it.
fn with_value(event: &Value, pointer: &str, value: Option<Value>) -> Option<Value> {
    if pointer.is_empty() {
        // The whole event: replaced, never removed.
        return value;
    }
    let mut out = event.clone();
    let (parent, key) = pointer.rsplit_once('/')?;
    let key = unescape(key);
    let slot = if parent.is_empty() {
        Some(&mut out)
    } else {
        out.pointer_mut(parent)
    }?;
    match (slot, value) {
        (Value::Object(map), Some(v)) => {
            map.insert(key, v);
        }
        (Value::Object(map), None) => {
            map.remove(&key)?;
        }
        (Value::Array(items), Some(v)) => {
            *items.get_mut(key.parse::<usize>().ok()?)? = v;
        }
        (Value::Array(items), None) => {
            let i = key.parse::<usize>().ok()?;
            (i < items.len()).then(|| items.remove(i))?;
        }
        _ => return None,
    }
    Some(out)
}

/// Every pointer in `value`, root excluded.
fn all_pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{at}/{}", escape(k));
                out.push(p.clone());
                all_pointers(child, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                all_pointers(child, &p, out);
            }
        }
        _ => {}
    }
}

/// Without a focus, the small edits at every place of `seed`: each value in another JSON type
/// (`1250` → `"1250"`), each member removed.
fn everywhere(seed: &Value) -> Vec<Value> {
    let mut pointers = Vec::new();
    all_pointers(seed, "", &mut pointers);
    let mut out = Vec::new();
    for place in &pointers {
        let Some(current) = seed.pointer(place) else {
            continue;
        };
        for value in converted(current) {
            out.extend(with_value(seed, place, Some(value)));
        }
        out.extend(with_value(seed, place, None));
    }
    out
}

/// Random changes anywhere in `seed`: a value swapped for the other events' one at the same
/// place, for a value of another type, or removed.
fn perturbations(seed: &Value, others: &[Value], rng: &mut Rng) -> Vec<Value> {
    const GENERIC: [fn() -> Value; 7] = [
        || Value::Null,
        || json!(true),
        || json!(0),
        || json!(2.5),
        || json!(""),
        || json!("text"),
        || json!({}),
    ];
    let mut pointers = Vec::new();
    all_pointers(seed, "", &mut pointers);
    let mut out = Vec::new();
    if pointers.is_empty() {
        return out;
    }
    for _ in 0..8 {
        let Some(place) = rng.pick(&pointers) else {
            break;
        };
        let value = match rng.below(3) {
            0 => rng
                .pick(others)
                .and_then(|o| o.pointer(place))
                .cloned()
                .or_else(|| rng.pick(&GENERIC).map(|f| f())),
            1 => rng.pick(&GENERIC).map(|f| f()),
            _ => None,
        };
        out.extend(with_value(seed, place, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_wraps_the_differing_value() {
        let c = Counterexample {
            event: json!({"a": 1, "data": {"value": "1250", "x/y": [1, 2]}}),
            instance_pointer: "/data/value".into(),
            schema_pointer: "/properties/data/properties/value/type".into(),
            keyword: "type".into(),
            message: String::new(),
            accepted_by: Side::New,
            rejected_by: Side::Old,
            found_after: 1,
        };
        assert_eq!(
            c.compact_with_marker(),
            r#"{"a":1,"data":{"value":»"1250"«,"x/y":[1,2]}}"#
        );
        let at = |p: &str| Counterexample {
            instance_pointer: p.into(),
            ..c.clone()
        };
        assert_eq!(
            at("/data/x~1y/1").compact_with_marker(),
            r#"{"a":1,"data":{"value":"1250","x/y":[1,»2«]}}"#
        );
        assert_eq!(at("").compact_with_marker(), format!("»{}«", c.event));
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn edits_reach_the_root_and_a_verdict_follows_what_was_found() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let required = json!({"type": "object", "required": ["a"],
                              "properties": {"a": {"type": "string"}}});
        let examples = [json!({"a": "x"})];
        let found = search(
            &schema,
            &required,
            &examples,
            Some("/required"),
            &Options::default(),
        )
        .unwrap();
        let producer = found.producer_break.as_ref().unwrap();
        assert_eq!(producer.event, json!({}));
        assert_eq!(producer.instance_pointer, "");
        assert_eq!(producer.compact_with_marker(), "»{}«");
        assert_eq!(found.verdict(), Verdict::Producers);
        assert_eq!(found.tried, 10_000);
        let none = Search {
            tried: 7,
            ..Search::default()
        };
        assert_eq!(none.verdict(), Verdict::NoneFound { tried: 7 });
        assert_eq!(none.none_found(), "no counterexample in 7 generated events");
    }

    /// An event the engine and `jsonschema` judge differently is never evidence: it is counted,
    /// and the first is kept to report. Here `jsonschema` is built to accept any `uuid`, so that
    /// every event telling the two states apart is one the validators disagree on.
    #[test]
    fn an_event_the_validators_disagree_on_is_kept_to_report_and_never_shown_as_evidence() {
        let old = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        let new = json!({"type": "object",
                         "properties": {"id": {"type": "string", "format": "uuid"}}});
        let examples = [json!({"id": "550e8400-e29b-41d4-a716-446655440000"})];
        let lenient = oracle_options().with_format("uuid", |_: &str| true);
        let searcher = Searcher::with_oracle(&old, &new, &examples, &lenient).unwrap();
        let found = searcher.search(Some("/properties/id/format"), &Options::default());
        assert_eq!(found.producer_break, None);
        assert!(found.disagreements > 0, "{found:?}");
        let event = found.disagreement.as_ref().expect("the first one kept");
        let id = event["id"].as_str().expect("an id");
        assert!(!crate::engine::formats::is_uuid(id), "{event}");
        // With the validators as they ship, the same search finds a counterexample instead.
        let found = Searcher::new(&old, &new, &examples)
            .unwrap()
            .search(Some("/properties/id/format"), &Options::default());
        assert!(found.producer_break.is_some() && found.disagreements == 0);
    }

    #[test]
    fn a_pointer_maps_to_the_instance_it_governs() {
        let schema = json!({"properties": {"a": {"$ref": "#/definitions/A"}},
                            "definitions": {"A": {"items": {"anyOf": [{"type": "string"}]}}}});
        let f = Focus::new("/properties/a/items/anyOf/0/type", &schema, &schema);
        assert_eq!(f.steps, [Step::Key("a".into()), Step::AnyIndex]);
        assert_eq!(f.nodes.0, &json!({"type": "string"}));
        assert!(f.near("/a/3"));
        assert!(f.near("/a"));
        assert!(!f.near("/b"));
        assert_eq!(
            f.matches(&json!({"a": ["x", "y"]}), &f.steps),
            ["/a/0", "/a/1"]
        );
    }
}
