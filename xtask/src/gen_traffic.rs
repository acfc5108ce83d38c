//! `cargo xtask gen-traffic`: synthetic traffic of every catalog contract, for benchmarks, load
//! tests and cross-checks, as plain JSON Lines events or as recorded deliveries
//! (`conformance/recording.schema.json`).
//!
//! Each event is made from its contract's schema by `codegen::synth`, shaped like one of the
//! contract's valid examples when it has some: a new contract gets traffic with no change here.
//! About 1% of the records carry one planted problem: a schema violation (a mutation that
//! breaks one keyword of the contract), an unknown type or version, a reused id, a cut line, or
//! (recordings only) a transport mistake. The counts are printed. The output depends only on
//! the arguments and the schemas: same seed, same bytes.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use codegen::examples::{self, Expected};
use codegen::synth::{MutationKind, Rng, Synth};
use serde_json::{json, Value};

use crate::root::project_root;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many records to write.
    #[arg(long)]
    events: u64,
    /// Where to write them (JSON Lines).
    #[arg(long)]
    out: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Plain)]
    format: Format,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// In how many records one carries a planted problem (0: none).
    #[arg(long, default_value_t = 100)]
    problem_one_in: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One event a line.
    Plain,
    /// One recorded delivery a line: exchange, routing key, properties, body.
    Recording,
}

/// The first event's timestamp property: 2026-01-23T10:00:00Z.
const FIRST_TIMESTAMP: u64 = 1_769_162_400;
/// The exchange every delivery is recorded from, but for a planted wrong one.
const EXCHANGE: &str = "coder.events";

/// The kinds of planted problem, and the rule `contracts check` reports each by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// CT001: one keyword of the contract broken.
    Schema(MutationKind),
    /// CT002.
    UnknownType,
    /// CT003.
    UnknownVersion,
    /// CT009: an earlier event's id on other content.
    DuplicateId,
    /// Unreadable: the line is cut in half.
    TruncatedLine,
    /// CT004 (recording only): a body that is not JSON.
    BodyNotJson,
    /// CT005 (recording only).
    RoutingKeyMismatch,
    /// CT006 (recording only).
    WrongExchange,
    /// CT007, a warning (recording only).
    ContentType,
    /// CT008, a warning (recording only).
    MessageIdMismatch,
}

/// The kinds a record may get, besides schema violations (drawn like one more kind).
const PLAIN_PROBLEMS: [Option<Problem>; 5] = [
    None, // a schema violation
    Some(Problem::UnknownType),
    Some(Problem::UnknownVersion),
    Some(Problem::DuplicateId),
    Some(Problem::TruncatedLine),
];

const RECORDING_PROBLEMS: [Option<Problem>; 10] = [
    None, // a schema violation
    Some(Problem::UnknownType),
    Some(Problem::UnknownVersion),
    Some(Problem::DuplicateId),
    Some(Problem::TruncatedLine),
    Some(Problem::BodyNotJson),
    Some(Problem::RoutingKeyMismatch),
    Some(Problem::WrongExchange),
    Some(Problem::ContentType),
    Some(Problem::MessageIdMismatch),
];

pub fn run(args: &Args) -> Result<()> {
    let sources = Sources::load(&project_root()?.join(codegen::tree::SCHEMAS_DIR))?;
    let file =
        File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut generator = Generator::new(&sources, args.format, args.seed, args.problem_one_in);
    let mut planted: BTreeMap<String, u64> = BTreeMap::new();
    for _ in 0..args.events {
        let (line, problem) = generator.next_record();
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        if let Some(problem) = problem {
            *planted.entry(format!("{problem:?}")).or_default() += 1;
        }
    }
    out.flush()?;
    let total: u64 = planted.values().sum();
    eprintln!(
        "wrote {} {:?} records of {} contracts to {}, {total} with a planted problem: {planted:?}",
        args.events,
        args.format,
        sources.contracts.len(),
        args.out.display()
    );
    Ok(())
}

/// Every catalog contract's bundled schema and valid examples.
pub struct Sources {
    contracts: Vec<ContractSource>,
}

struct ContractSource {
    event_type: String,
    version: String,
    schema: Value,
    examples: Vec<Value>,
    /// The order properties are written in: `required` first, as the schema lists them.
    key_order: Vec<String>,
}

impl Sources {
    pub fn load(schemas: &Path) -> Result<Sources> {
        let (_, bundled) = codegen::load(schemas).map_err(|e| anyhow::anyhow!("{e}"))?;
        let (examples, unreadable) =
            examples::load_all(schemas).map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Some(error) = unreadable.first() {
            bail!("{error}");
        }
        let contracts: Vec<ContractSource> = bundled
            .into_iter()
            .map(|b| {
                let examples = examples
                    .iter()
                    .filter(|e| {
                        e.event_type == b.contract.event_type && e.version == b.contract.version
                    })
                    .filter(|e| matches!(e.expected, Expected::Valid))
                    .map(|e| e.event.clone())
                    .collect();
                let key_order = b
                    .schema
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default();
                ContractSource {
                    event_type: b.contract.event_type.clone(),
                    version: b.contract.version.clone(),
                    schema: b.schema,
                    examples,
                    key_order,
                }
            })
            .collect();
        if contracts.is_empty() {
            bail!("the catalog in {} lists no contract", schemas.display());
        }
        Ok(Sources { contracts })
    }

    /// For differential tests: `events` valid events of the contract `event_type` `version`,
    /// drawn from its schema and examples, each followed by every mutation of it that breaks one
    /// keyword; each case as compact JSON.
    pub fn cases(
        &self,
        event_type: &str,
        version: &str,
        events: usize,
        seed: u64,
    ) -> Result<Vec<String>> {
        let contract = self
            .contracts
            .iter()
            .find(|c| c.event_type == event_type && c.version == version)
            .with_context(|| format!("no contract {event_type} {version} in the catalog"))?;
        let synth = Synth::new(&contract.schema, contract.examples.iter().collect());
        let mut rng = Rng::new(seed);
        let mut cases = Vec::new();
        for _ in 0..events {
            let event = synth.event(&mut rng);
            cases.push(event.to_string());
            cases.extend(synth.mutations(&event).iter().map(|m| m.event.to_string()));
        }
        Ok(cases)
    }

    fn knows(&self, event_type: &str, version: Option<&str>) -> bool {
        self.contracts
            .iter()
            .any(|c| c.event_type == event_type && version.is_none_or(|v| c.version == v))
    }
}

/// Makes the records, one at a time.
pub struct Generator<'s> {
    sources: &'s Sources,
    synths: Vec<Synth<'s>>,
    format: Format,
    problem_one_in: u64,
    rng: Rng,
    count: u64,
    /// An id already written, for planted duplicates.
    earlier_id: Option<String>,
}

impl<'s> Generator<'s> {
    pub fn new(sources: &'s Sources, format: Format, seed: u64, problem_one_in: u64) -> Self {
        let synths = sources
            .contracts
            .iter()
            .map(|c| Synth::new(&c.schema, c.examples.iter().collect()))
            .collect();
        Generator {
            sources,
            synths,
            format,
            problem_one_in,
            rng: Rng::new(seed),
            count: 0,
            earlier_id: None,
        }
    }

    /// The next record as one line, and the problem planted in it, if any.
    pub fn next_record(&mut self) -> (String, Option<Problem>) {
        let index = self.rng.below(self.sources.contracts.len() as u64) as usize;
        let source = &self.sources.contracts[index];
        let mut event = self.synths[index].event(&mut self.rng);
        self.count += 1;

        let planted = self.problem_one_in > 0 && self.rng.below(self.problem_one_in) == 0;
        let mut problem = if planted {
            let kinds: &[Option<Problem>] = match self.format {
                Format::Plain => &PLAIN_PROBLEMS,
                Format::Recording => &RECORDING_PROBLEMS,
            };
            match *self.rng.pick(kinds).expect("kinds are listed") {
                Some(problem) => Some(problem),
                None => {
                    let mutations = self.synths[index].mutations(&event);
                    self.rng.pick(&mutations).map(|m| {
                        event = m.event.clone();
                        Problem::Schema(m.kind)
                    })
                }
            }
        } else {
            None
        };
        // A duplicate needs an earlier id: the first records have none to reuse.
        if problem == Some(Problem::DuplicateId) && self.earlier_id.is_none() {
            problem = None;
        }
        let id = event.get("id").and_then(Value::as_str).map(String::from);
        match problem {
            Some(Problem::UnknownType) => {
                let mut unknown = format!("{}.unknown", source.event_type);
                while self.sources.knows(&unknown, None) {
                    unknown.push_str(".unknown");
                }
                event["type"] = json!(unknown);
            }
            Some(Problem::UnknownVersion) => {
                let unknown = (0..)
                    .map(|minor| format!("0.{minor}"))
                    .find(|v| !self.sources.knows(&source.event_type, Some(v)))
                    .expect("an unbounded supply of versions");
                event["version"] = json!(unknown);
            }
            Some(Problem::DuplicateId) => {
                event["id"] = json!(self.earlier_id.clone().expect("checked above"));
            }
            _ => {}
        }
        // Only a record written as it was generated gives later ones an id to reuse.
        if problem.is_none() {
            self.earlier_id = id;
        }
        let body = in_order(&event, &source.key_order);
        let line = match self.format {
            Format::Plain => body,
            Format::Recording => {
                let routing_key = source.event_type.clone();
                self.delivery(&event, &routing_key, body, problem)
            }
        };
        let line = match problem {
            Some(Problem::TruncatedLine) => {
                let cut = (0..=line.len() / 2)
                    .rev()
                    .find(|&i| line.is_char_boundary(i))
                    .unwrap_or(0);
                line[..cut].to_string()
            }
            _ => line,
        };
        (line, problem)
    }

    /// The event as a recorded delivery line, published with its contract's routing key (its
    /// type), with the transport problems planted in it.
    fn delivery(
        &mut self,
        event: &Value,
        event_type: &str,
        body: String,
        problem: Option<Problem>,
    ) -> String {
        let routing_key = match problem {
            Some(Problem::RoutingKeyMismatch) => format!("{event_type}.elsewhere"),
            _ => event_type.to_string(),
        };
        let exchange = match problem {
            Some(Problem::WrongExchange) => "amq.topic",
            _ => EXCHANGE,
        };
        let content_type = match problem {
            Some(Problem::ContentType) => "text/plain",
            _ => "application/json",
        };
        // A publisher sets the message id to the event's, when it has one.
        let message_id = match problem {
            Some(Problem::MessageIdMismatch) => Some(self.rng.uuid()),
            _ => event.get("id").and_then(Value::as_str).map(String::from),
        };
        let message_id =
            message_id.map_or_else(String::new, |id| format!(r#""messageId":{},"#, json!(id)));
        // Written field by field: serde_json's maps sort keys, and a recorder writes them in
        // the order recording.schema.json lists them.
        let properties = format!(
            r#"{{"contentType":{},{message_id}"timestamp":{},"type":{},"deliveryMode":2,"headers":{{}}}}"#,
            json!(content_type),
            // `count` already counts this record.
            FIRST_TIMESTAMP + self.count - 1,
            json!(event_type),
        );
        let body = if problem == Some(Problem::BodyNotJson) {
            let html = "<html><body>502 Bad Gateway</body></html>";
            let encoded = base64::engine::general_purpose::STANDARD.encode(html);
            format!(r#""bodyBase64":{}"#, json!(encoded))
        } else {
            format!(r#""body":{body}"#)
        };
        format!(
            r#"{{"exchange":{},"routingKey":{},"redelivered":false,"properties":{properties},{body}}}"#,
            json!(exchange),
            json!(routing_key),
        )
    }
}

/// The event as compact JSON with the keys of `order` first, as publishers write events in the
/// order their schema lists the fields (serde_json's maps would sort them).
fn in_order(event: &Value, order: &[String]) -> String {
    let Some(map) = event.as_object() else {
        return event.to_string();
    };
    let ordered = order
        .iter()
        .filter_map(|key| map.get_key_value(key))
        .chain(map.iter().filter(|(key, _)| !order.contains(key)));
    let fields: Vec<String> = ordered
        .map(|(key, value)| format!("{}:{value}", json!(key)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> Sources {
        Sources::load(&project_root().unwrap().join("schemas")).unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_records() {
        let sources = sources();
        let lines = |seed| {
            let mut generator = Generator::new(&sources, Format::Recording, seed, 100);
            (0..50)
                .map(|_| generator.next_record().0)
                .collect::<Vec<_>>()
        };
        assert_eq!(lines(7), lines(7));
        assert_ne!(lines(7), lines(8));
    }

    /// Every event is valid unless a problem was planted in it, every schema-level problem
    /// makes it invalid, and every catalog contract gets traffic: the mix measures what it
    /// says it does.
    #[test]
    fn only_planted_records_break_their_contract() {
        let sources = sources();
        for format in [Format::Plain, Format::Recording] {
            let mut generator = Generator::new(&sources, format, 1, 20);
            let mut seen = std::collections::BTreeSet::new();
            let mut planted = 0;
            for _ in 0..5000 {
                let (line, problem) = generator.next_record();
                planted += usize::from(problem.is_some());
                let Ok(record) = serde_json::from_str::<Value>(&line) else {
                    assert_eq!(problem, Some(Problem::TruncatedLine), "{line}");
                    continue;
                };
                let event = match format {
                    Format::Plain => record,
                    Format::Recording if problem == Some(Problem::BodyNotJson) => {
                        assert!(record.get("bodyBase64").is_some());
                        continue;
                    }
                    Format::Recording => {
                        let body = &record["body"];
                        let message_id = &record["properties"]["messageId"];
                        // A mutation may change the type (or the whole event): the routing key
                        // is the contract's, the type property's.
                        let transport_ok = record["exchange"] == EXCHANGE
                            && record["routingKey"] == record["properties"]["type"]
                            && record["properties"]["contentType"] == "application/json"
                            && if body["id"].is_string() {
                                *message_id == body["id"]
                            } else {
                                message_id.is_null()
                            };
                        let transport_problem = matches!(
                            problem,
                            Some(
                                Problem::RoutingKeyMismatch
                                    | Problem::WrongExchange
                                    | Problem::ContentType
                                    | Problem::MessageIdMismatch
                            )
                        );
                        assert_eq!(transport_ok, !transport_problem, "{problem:?}: {line}");
                        record["body"].clone()
                    }
                };
                if problem.is_none() {
                    seen.insert((event["type"].to_string(), event["version"].to_string()));
                }
                let valid = coder_events::validate(&event).is_ok();
                let schema_problem = matches!(
                    problem,
                    Some(Problem::Schema(_) | Problem::UnknownType | Problem::UnknownVersion)
                );
                assert_eq!(valid, !schema_problem, "{problem:?}: {line}");
            }
            assert_eq!(seen.len(), coder_events::CONTRACTS.len());
            assert!((100..=400).contains(&planted), "{planted} planted in 5000");
        }
    }
}
