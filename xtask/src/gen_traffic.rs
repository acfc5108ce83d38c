//! `cargo xtask gen-traffic`: synthetic traffic for benchmarks and load tests, as plain JSON
//! Lines events or as recorded deliveries (`conformance/recording.schema.json`).
//!
//! Every event is one of the catalog's valid examples with fresh values: a new `id` and new
//! UUIDs throughout, a `timestamp` one second after the previous event's, and numbers drawn
//! between the smallest and largest value the contract's valid examples give that field (the
//! schemas bound numbers only by `minimum`/`maximum`, so a value between two valid ones is
//! valid). About 1% of the records carry one planted problem of an assorted kind; the counts
//! are printed. The output depends only on the arguments and the examples: same seed, same
//! bytes.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use serde_json::{json, Value};

use crate::codegen::project_root;

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One event a line.
    Plain,
    /// One recorded delivery a line: exchange, routing key, properties, body.
    Recording,
}

/// One record in this many carries a planted problem.
const PROBLEM_ONE_IN: u64 = 100;
/// The first event's timestamp: 2026-01-23T10:00:00Z.
const FIRST_TIMESTAMP: u64 = 1_769_162_400;

/// The kinds of planted problem, and the rule `contracts check` reports each by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    /// CT001: `tenantId` removed.
    MissingRequired,
    /// CT001: `id` is not a UUID.
    BadUuid,
    /// CT001: `timestamp` is not a date-time.
    BadTimestamp,
    /// CT001: `data` is a string.
    DataNotObject,
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

const PLAIN_PROBLEMS: [Problem; 8] = [
    Problem::MissingRequired,
    Problem::BadUuid,
    Problem::BadTimestamp,
    Problem::DataNotObject,
    Problem::UnknownType,
    Problem::UnknownVersion,
    Problem::DuplicateId,
    Problem::TruncatedLine,
];

const RECORDING_PROBLEMS: [Problem; 13] = [
    Problem::MissingRequired,
    Problem::BadUuid,
    Problem::BadTimestamp,
    Problem::DataNotObject,
    Problem::UnknownType,
    Problem::UnknownVersion,
    Problem::DuplicateId,
    Problem::TruncatedLine,
    Problem::BodyNotJson,
    Problem::RoutingKeyMismatch,
    Problem::WrongExchange,
    Problem::ContentType,
    Problem::MessageIdMismatch,
];

pub fn run(args: &Args) -> Result<()> {
    let templates = Template::load_all(&project_root().join("schemas"))?;
    let file =
        File::create(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut generator = Generator::new(templates, args.format, args.seed);
    let mut planted: BTreeMap<Problem, u64> = BTreeMap::new();
    for _ in 0..args.events {
        let (line, problem) = generator.next_record();
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        if let Some(problem) = problem {
            *planted.entry(problem).or_default() += 1;
        }
    }
    out.flush()?;
    let total: u64 = planted.values().sum();
    eprintln!(
        "wrote {} {:?} records to {}, {total} with a planted problem: {planted:?}",
        args.events,
        args.format,
        args.out.display()
    );
    Ok(())
}

/// A valid example, with what may vary in it.
pub struct Template {
    event: Value,
    /// Numeric fields (JSON pointers) with the range the contract's valid examples span, and
    /// whether every one of those values is an integer.
    numbers: Vec<(String, f64, f64, bool)>,
}

impl Template {
    /// Every valid example of every contract in the catalog, in catalog then file name order.
    pub fn load_all(schemas: &Path) -> Result<Vec<Template>> {
        let catalog: Value = read_json(&schemas.join("catalog.json"))?;
        let Some(contracts) = catalog["contracts"].as_array() else {
            bail!("catalog.json has no contracts array");
        };
        let mut templates = Vec::new();
        for contract in contracts {
            let examples = contract["examples"]
                .as_str()
                .context("a contract without examples")?;
            let dir = schemas.join(examples).join("valid");
            let mut files: Vec<PathBuf> = fs::read_dir(&dir)
                .with_context(|| format!("listing {}", dir.display()))?
                .map(|entry| entry.map(|e| e.path()))
                .collect::<Result<_, _>>()?;
            files.sort();
            let events: Vec<Value> = files.iter().map(|f| read_json(f)).collect::<Result<_>>()?;
            let mut ranges: BTreeMap<String, (f64, f64, bool, usize)> = BTreeMap::new();
            for event in &events {
                collect_numbers(event, String::new(), &mut |pointer, n, integer| {
                    let range = ranges.entry(pointer).or_insert((n, n, true, 0));
                    range.0 = range.0.min(n);
                    range.1 = range.1.max(n);
                    range.2 &= integer;
                    range.3 += 1;
                });
            }
            // A field only one example sets, or set to one value, has nothing to vary between.
            let numbers: Vec<(String, f64, f64, bool)> = ranges
                .into_iter()
                .filter(|(_, (low, high, _, _))| low < high)
                .map(|(pointer, (low, high, integer, _))| (pointer, low, high, integer))
                .collect();
            for event in events {
                templates.push(Template {
                    event,
                    numbers: numbers.clone(),
                });
            }
        }
        if templates.is_empty() {
            bail!("no valid example in {}", schemas.display());
        }
        Ok(templates)
    }
}

fn read_json(path: &Path) -> Result<Value> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Calls `found` with the pointer of every number under an object key (numbers in arrays are
/// left alone).
fn collect_numbers(value: &Value, pointer: String, found: &mut dyn FnMut(String, f64, bool)) {
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64() {
                found(pointer, f, n.is_i64() || n.is_u64());
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                collect_numbers(item, format!("{pointer}/{key}"), found);
            }
        }
        _ => {}
    }
}

/// Makes the records, one at a time.
pub struct Generator {
    templates: Vec<Template>,
    format: Format,
    rng: SplitMix64,
    count: u64,
    /// An id already written, for planted duplicates.
    earlier_id: Option<String>,
}

impl Generator {
    pub fn new(templates: Vec<Template>, format: Format, seed: u64) -> Generator {
        Generator {
            templates,
            format,
            rng: SplitMix64(seed),
            count: 0,
            earlier_id: None,
        }
    }

    /// The next record as one line, and the problem planted in it, if any.
    pub fn next_record(&mut self) -> (String, Option<Problem>) {
        let template = &self.templates[self.rng.below(self.templates.len() as u64) as usize];
        let mut event = template.event.clone();
        fresh_uuids(&mut event, &mut self.rng);
        event["timestamp"] = Value::String(rfc3339(FIRST_TIMESTAMP + self.count));
        for (pointer, low, high, integer) in &template.numbers {
            if self.rng.below(2) == 0 {
                continue;
            }
            let value = if *integer {
                let (low, high) = (*low as i64, *high as i64);
                json!(low + self.rng.below((high - low) as u64 + 1) as i64)
            } else {
                // Three decimals, clamped: rounding must not step outside the range.
                let drawn = low + self.rng.unit() * (high - low);
                json!(((drawn * 1000.0).round() / 1000.0).clamp(*low, *high))
            };
            if let Some(slot) = event.pointer_mut(pointer) {
                *slot = value;
            }
        }
        self.count += 1;

        let problem = (self.rng.below(PROBLEM_ONE_IN) == 0).then(|| {
            let kinds: &[Problem] = match self.format {
                Format::Plain => &PLAIN_PROBLEMS,
                Format::Recording => &RECORDING_PROBLEMS,
            };
            kinds[self.rng.below(kinds.len() as u64) as usize]
        });
        // A duplicate needs an earlier id: the first records have none to reuse.
        let problem = match (problem, &self.earlier_id) {
            (Some(Problem::DuplicateId), None) => None,
            _ => problem,
        };
        let id = event["id"].as_str().unwrap_or_default().to_string();
        match problem {
            Some(Problem::MissingRequired) => {
                event.as_object_mut().map(|e| e.remove("tenantId"));
            }
            Some(Problem::BadUuid) => event["id"] = json!(format!("event-{}", self.count)),
            Some(Problem::BadTimestamp) => event["timestamp"] = json!("2026-13-45T99:00:00Z"),
            Some(Problem::DataNotObject) => event["data"] = json!("n/a"),
            Some(Problem::UnknownType) => event["type"] = json!("dashboard.archived"),
            Some(Problem::UnknownVersion) => event["version"] = json!("2.0"),
            Some(Problem::DuplicateId) => {
                event["id"] = json!(self.earlier_id.clone().expect("checked above"))
            }
            _ => {}
        }
        // Only a record written as it was generated gives later ones an id to reuse.
        if problem.is_none() {
            self.earlier_id = Some(id);
        }
        let line = match self.format {
            Format::Plain => envelope_first(&event),
            Format::Recording => self.delivery(event, problem),
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

    /// The event as a recorded delivery line, with the transport problems planted in it.
    fn delivery(&mut self, event: Value, problem: Option<Problem>) -> String {
        let event_type = event["type"].as_str().unwrap_or_default().to_string();
        let mut routing_key = event_type.clone();
        if problem == Some(Problem::RoutingKeyMismatch) {
            let other = &self.templates[self.rng.below(self.templates.len() as u64) as usize];
            routing_key = other.event["type"].as_str().unwrap_or_default().to_string();
            if routing_key == event_type {
                routing_key.push_str(".v2");
            }
        }
        let exchange = match problem {
            Some(Problem::WrongExchange) => "amq.topic",
            _ => "coder.events",
        };
        let content_type = match problem {
            Some(Problem::ContentType) => "text/plain",
            _ => "application/json",
        };
        let message_id = match problem {
            Some(Problem::MessageIdMismatch) => uuid(&mut self.rng),
            _ => event["id"].as_str().unwrap_or_default().to_string(),
        };
        let headers = match event.get("tenantId") {
            Some(tenant) => json!({"x-tenant-id": tenant}),
            None => json!({}),
        };
        // Written field by field: serde_json's maps sort keys, and a recorder writes them in
        // the order recording.schema.json lists them.
        let properties = format!(
            r#"{{"contentType":{},"messageId":{},"timestamp":{},"type":{},"deliveryMode":2,"headers":{headers}}}"#,
            json!(content_type),
            json!(message_id),
            // The event's own timestamp, in seconds (`count` already counts this record).
            FIRST_TIMESTAMP + self.count - 1,
            json!(event_type),
        );
        let body = if problem == Some(Problem::BodyNotJson) {
            let html = "<html><body>502 Bad Gateway</body></html>";
            let encoded = base64::engine::general_purpose::STANDARD.encode(html);
            format!(r#""bodyBase64":{}"#, json!(encoded))
        } else {
            format!(r#""body":{}"#, envelope_first(&event))
        };
        format!(
            r#"{{"exchange":{},"routingKey":{},"redelivered":false,"properties":{properties},{body}}}"#,
            json!(exchange),
            json!(routing_key),
        )
    }
}

/// The event as compact JSON with the envelope fields first, in the order the schemas list
/// them, as publishers write events (serde_json's maps would sort the keys).
fn envelope_first(event: &Value) -> String {
    const ENVELOPE: [&str; 7] = [
        "id",
        "type",
        "version",
        "timestamp",
        "tenantId",
        "source",
        "data",
    ];
    let Some(map) = event.as_object() else {
        return event.to_string();
    };
    let ordered = ENVELOPE
        .iter()
        .filter_map(|key| map.get_key_value(*key))
        .chain(
            map.iter()
                .filter(|(key, _)| !ENVELOPE.contains(&key.as_str())),
        );
    let fields: Vec<String> = ordered
        .map(|(key, value)| format!("{}:{value}", json!(key)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// Replaces every UUID string with a new one, so that no two events share content.
fn fresh_uuids(value: &mut Value, rng: &mut SplitMix64) {
    match value {
        Value::String(s) if looks_like_uuid(s) => *s = uuid(rng),
        Value::Array(items) => items.iter_mut().for_each(|item| fresh_uuids(item, rng)),
        Value::Object(map) => map.values_mut().for_each(|item| fresh_uuids(item, rng)),
        _ => {}
    }
}

fn looks_like_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A random (version 4) UUID.
fn uuid(rng: &mut SplitMix64) -> String {
    let high = (rng.next() & !0xf000) | 0x4000;
    let low = (rng.next() & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the Unix epoch.
fn rfc3339(seconds: u64) -> String {
    let (days, time) = (seconds / 86_400, seconds % 86_400);
    // Howard Hinnant's days-to-civil, for days since 1970-01-01.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

/// A small, fast, seedable generator: the output must not change with a dependency's version.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (the modulo bias is far below what a benchmark mix notices).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generator(format: Format, seed: u64) -> Generator {
        let templates = Template::load_all(&project_root().join("schemas")).unwrap();
        Generator::new(templates, format, seed)
    }

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(FIRST_TIMESTAMP), "2026-01-23T10:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn the_same_seed_gives_the_same_records() {
        let mut a = generator(Format::Recording, 7);
        let mut b = generator(Format::Recording, 7);
        let mut c = generator(Format::Recording, 8);
        let first: Vec<String> = (0..50).map(|_| a.next_record().0).collect();
        assert_eq!(
            first,
            (0..50).map(|_| b.next_record().0).collect::<Vec<_>>()
        );
        assert_ne!(
            first,
            (0..50).map(|_| c.next_record().0).collect::<Vec<_>>()
        );
    }

    /// Every event is valid unless a problem was planted in it, and every schema-level problem
    /// makes it invalid: the mix measures what it says it does.
    #[test]
    fn only_planted_records_break_their_contract() {
        for format in [Format::Plain, Format::Recording] {
            let mut generator = generator(format, 1);
            let mut seen_types = std::collections::BTreeSet::new();
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
                        let transport_ok = record["exchange"] == "coder.events"
                            && record["routingKey"] == record["body"]["type"]
                            && record["properties"]["contentType"] == "application/json"
                            && record["properties"]["messageId"] == record["body"]["id"];
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
                    seen_types.insert(event["type"].as_str().unwrap().to_string());
                }
                let valid = coder_events::validate(&event).is_ok();
                let schema_problem = matches!(
                    problem,
                    Some(
                        Problem::MissingRequired
                            | Problem::BadUuid
                            | Problem::BadTimestamp
                            | Problem::DataNotObject
                            | Problem::UnknownType
                            | Problem::UnknownVersion
                    )
                );
                assert_eq!(valid, !schema_problem, "{problem:?}: {line}");
            }
            assert_eq!(seen_types.len(), coder_events::CONTRACTS.len());
            assert!((20..=80).contains(&planted), "{planted} planted in 5000");
        }
    }
}
