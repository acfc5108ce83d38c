//! The checking pipeline: sources are framed into records on this thread, records are parsed,
//! decoded and schema-validated in parallel batches, and then, in input order, checked for
//! duplicate ids, judged by the rules, and added to the report. [`LiveChecker`] judges records
//! one at a time as they arrive (`contracts tap`), the same way.

mod content_hash;
pub mod contracts;
mod duplicates;
pub mod plan;
mod progress;
pub mod scan;
mod uuid_table;

use std::collections::VecDeque;
use std::mem;
use std::sync::mpsc;

use anyhow::Context as _;
use coder_events::Violation;
use rayon::prelude::*;
use serde_json::Value;

use crate::input::framing::{describe_json_error, read_records};
use crate::input::sources::{self, Source, SourceKind};
use crate::input::{Body, Decoder, Location, Message, Origin, RawRecord};
use crate::report::{Keep, RecordResult, Report, ReportBuilder, ReportedViolation};
use crate::rules::{Facts, Finding, Rule, RuleSettings, Severity};
use content_hash::content_hash;
use duplicates::DuplicateTracker;
use progress::Progress;
use scan::{Conforming, FastPath};

pub use contracts::Contracts;

pub struct CheckSettings {
    /// What records are checked against: the compiled-in contracts, or a tree's.
    pub contracts: &'static Contracts,
    pub decoder: Decoder,
    pub rules: RuleSettings,
    pub max_message_bytes: usize,
    /// Worker threads; `None`: one per core.
    pub threads: Option<usize>,
    pub mask_values: bool,
    pub keep: Keep,
}

/// A batch is handed to the workers once it holds this many records (a few batches are held
/// at once: one being read, `IN_FLIGHT` analysed, one judged)...
const BATCH_RECORDS: usize = 256;
/// ...or this many bytes, whichever comes first, to bound the memory lines in flight take.
const BATCH_BYTES: usize = 8 * 1024 * 1024;
/// How many batches the workers may have at once: more than one, so that neither they nor
/// the reading worker wait whenever one batch takes longer than another.
const IN_FLIGHT: usize = 2;

const MASK: &str = "<masked>";
const SHOWN_VALUE_CHARS: usize = 120;
/// At most this much of a message is reported (a value it quotes is cut to
/// `SHOWN_VALUE_CHARS` first).
const SHOWN_MESSAGE_CHARS: usize = 500;

/// Checks every record of every source. Unreadable sources and records are reported in the
/// result, never fatal.
///
/// With one thread everything runs on this one. With more, a pool of that many workers
/// analyses a batch while one of them reads the next one and judges the one before: reading
/// and judging (in input order, on one thread) overlap the parallel work instead of waiting
/// for it, and join it while they would wait.
pub fn check(sources: &[Source], settings: &CheckSettings) -> anyhow::Result<Report> {
    let threads = settings.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let checker = Checker {
        judge: Judge::new(settings),
        workers: None,
        in_flight: VecDeque::new(),
        batch: Vec::new(),
        batch_bytes: 0,
        report: ReportBuilder::new(settings.keep, settings.contracts)
            .context("starting the report")?,
        progress: Progress::new(sources::total_file_bytes(sources)),
    };
    if threads <= 1 {
        return checker.run(sources);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        // Named, so that a profile tells the workers from the reading and judging thread.
        .thread_name(|i| format!("check-worker-{i}"))
        .build()
        .context("starting the worker threads")?;
    // Reading and judging run on one of the workers, not on a thread of their own: with as
    // many threads as cores none of them waits for a core, and while that worker waits for a
    // batch it analyses records itself (see `judge_oldest_in_flight`).
    pool.install(|| {
        rayon::in_place_scope(|scope| {
            Checker {
                workers: Some(scope),
                ..checker
            }
            .run(sources)
        })
    })
}

/// A batch's records, each with what a worker found out about it, in input order.
type Analysed = Vec<(Location, Analysis)>;

struct Checker<'a, 's> {
    judge: Judge<'a>,
    /// Where batches are analysed: `None`, on this thread.
    workers: Option<&'s rayon::Scope<'a>>,
    /// The batches the workers are analysing, oldest first.
    in_flight: VecDeque<mpsc::Receiver<Analysed>>,
    batch: Vec<(Location, RawRecord)>,
    batch_bytes: usize,
    report: ReportBuilder,
    progress: Progress,
}

/// Applies the rules to analysed records, in input order (duplicate ids depend on it).
struct Judge<'a> {
    settings: &'a CheckSettings,
    duplicates: DuplicateTracker,
    tracks_duplicates: bool,
    /// `None` when the input format leaves no line to it.
    fast: Option<FastPath>,
}

/// Checks records one at a time, as they arrive: what `contracts tap` does with each delivery.
/// A record gets the same result as it would in a `check` of the same records in that order.
pub struct LiveChecker<'a> {
    judge: Judge<'a>,
}

impl<'a> LiveChecker<'a> {
    pub fn new(settings: &'a CheckSettings) -> LiveChecker<'a> {
        LiveChecker {
            judge: Judge::new(settings),
        }
    }

    pub fn check(&mut self, location: &Location, record: RawRecord) -> RecordResult {
        let judge = &mut self.judge;
        // A live delivery has no file of its own for a body to be read from.
        let analysis = analyze(
            record,
            judge.settings,
            &Origin::NONE,
            judge.tracks_duplicates,
            judge.fast,
        );
        judge.conclude(location, &analysis)
    }
}

/// What a worker found out about one record.
enum Analysis {
    Unreadable(String),
    Readable {
        message: Message,
        violations: Vec<Violation>,
        content_hash: Option<u64>,
        /// The catalog index of the event's contract and the optional fields it has.
        fields: Option<(usize, u128)>,
    },
    /// A plain event the fast path found conforming, with the line it was read from.
    Conforming {
        line: Vec<u8>,
        found: Conforming,
    },
}

impl<'a> Checker<'a, '_> {
    fn run(mut self, sources: &[Source]) -> anyhow::Result<Report> {
        let settings = self.judge.settings;
        for source in sources {
            let opened = match &source.kind {
                SourceKind::Unreadable(why) => Err(why.clone()),
                _ => sources::open_counting(source, self.progress.bytes_read())
                    .map_err(|e| format!("cannot open: {e}")),
            };
            match opened {
                Ok(reader) => read_records(
                    reader,
                    &source.name,
                    settings.max_message_bytes,
                    &mut |location, record| self.push(location, record),
                ),
                Err(why) => self.push(Location::file(&source.name), RawRecord::Unreadable(why)),
            }
        }
        self.flush();
        while !self.in_flight.is_empty() {
            self.judge_oldest_in_flight();
        }
        self.progress.finish();
        self.report.finish().context("writing the report")
    }

    fn push(&mut self, location: Location, record: RawRecord) {
        if let RawRecord::Line(bytes) = &record {
            self.batch_bytes += bytes.len();
        }
        self.batch.push((location, record));
        if self.batch.len() >= BATCH_RECORDS || self.batch_bytes >= BATCH_BYTES {
            self.flush();
        }
    }

    /// Hands the batch to the workers (judging the oldest they have once `IN_FLIGHT` are
    /// theirs), or analyses and judges it here when there are none.
    fn flush(&mut self) {
        let batch = mem::take(&mut self.batch);
        self.batch_bytes = 0;
        let settings = self.judge.settings;
        let hash = self.judge.tracks_duplicates;
        let fast = self.judge.fast;
        let analyse = move |(location, record): (Location, RawRecord)| {
            let origin = Origin {
                location: Some(&location),
                max_message_bytes: settings.max_message_bytes,
            };
            let analysis = analyze(record, settings, &origin, hash, fast);
            (location, analysis)
        };
        match self.workers {
            None => {
                let analysed: Analysed = batch.into_iter().map(analyse).collect();
                self.judge_batch(analysed);
            }
            Some(scope) => {
                let (done, analysed) = mpsc::sync_channel(1);
                scope.spawn(move |_| {
                    // `collect` on an indexed parallel iterator keeps input order.
                    let result: Analysed = batch.into_par_iter().map(analyse).collect();
                    // The receiver is only gone when this thread is unwinding already.
                    let _ = done.send(result);
                });
                self.in_flight.push_back(analysed);
                if self.in_flight.len() > IN_FLIGHT {
                    self.judge_oldest_in_flight();
                }
            }
        }
    }

    /// Waits for the oldest batch the workers have, and judges it.
    fn judge_oldest_in_flight(&mut self) {
        if let Some(analysed) = self.in_flight.pop_front() {
            let analysed = loop {
                match analysed.try_recv() {
                    Ok(analysed) => break analysed,
                    // Meanwhile, works on what the pool has: most likely this very batch.
                    Err(mpsc::TryRecvError::Empty) => {
                        if rayon::yield_now() != Some(rayon::Yield::Executed) {
                            std::thread::yield_now();
                        }
                    }
                    Err(mpsc::TryRecvError::Disconnected) => {
                        panic!("a worker panicked analysing a batch")
                    }
                }
            };
            self.judge_batch(analysed);
        }
    }

    fn judge_batch(&mut self, analysed: Analysed) {
        let keeps_clean = self.report.keeps_clean_records();
        for (location, analysis) in &analysed {
            let verdict = self.judge.verdict(location, analysis);
            if let Verdict::Readable {
                fields: Some((contract, fields)),
                ..
            } = &verdict
            {
                self.report.cover(*contract, *fields);
            }
            match verdict {
                Verdict::Readable {
                    event_type,
                    version,
                    violations,
                    fields,
                } if violations.is_empty() && !keeps_clean => {
                    let contract = fields.map(|(contract, _)| contract);
                    self.report.count_clean(event_type, version, contract);
                }
                verdict => self.report.add(verdict.into_result(location)),
            }
        }
        self.progress.advance(analysed.len());
        // Freeing the JSON trees of records the fast path did not take is a fair share of the
        // work: a worker does it, while this thread reads on. Lines (and the file names their
        // locations share) are freed here, where they were allocated: freed on another thread,
        // their memory and reference counts would move between cores record by record.
        let trees = analysed
            .iter()
            .any(|(_, a)| matches!(a, Analysis::Readable { .. }));
        match self.workers {
            Some(scope) if trees => scope.spawn(move |_| drop(analysed)),
            _ => drop(analysed),
        }
    }
}

impl<'a> Judge<'a> {
    fn new(settings: &'a CheckSettings) -> Judge<'a> {
        Judge {
            settings,
            duplicates: DuplicateTracker::default(),
            tracks_duplicates: settings.rules.severity("CT009") != Severity::Off,
            fast: FastPath::new(&settings.decoder, settings.contracts),
        }
    }

    /// Applies the rules to one analysed record, in input order (duplicate ids depend on it).
    /// Borrows the analysis: the caller frees it, on a worker when there are some.
    fn conclude(&mut self, location: &Location, analysis: &Analysis) -> RecordResult {
        self.verdict(location, analysis).into_result(location)
    }

    /// What `conclude` finds, still borrowing the analysis: a clean record a report does not
    /// keep is then only counted, and nothing of it is copied.
    fn verdict<'r>(&mut self, location: &Location, analysis: &'r Analysis) -> Verdict<'r> {
        let (message, violations, content_hash, fields) = match analysis {
            Analysis::Unreadable(why) => return Verdict::Unreadable(why),
            Analysis::Readable {
                message,
                violations,
                content_hash,
                fields,
            } => (message, violations, *content_hash, *fields),
            Analysis::Conforming { line, found } => return self.conforming(location, line, found),
        };
        let event_str = |name: &str| match &message.body {
            Body::Json(event) => event.get(name).and_then(Value::as_str),
            Body::NotJson(_) => None,
        };
        let same_id_other_content = match (event_str("id"), content_hash) {
            (Some(id), Some(hash)) => self.duplicates.observe(id, hash, location),
            _ => None,
        };
        let facts = Facts {
            delivery: message.delivery.as_ref(),
            body: &message.body,
            contract: fields.map(|(i, _)| self.settings.contracts.contract(i)),
            violations,
            same_id_other_content: same_id_other_content.as_ref(),
        };
        let (event_type, version) = self.shown(event_str("type"), event_str("version"));
        Verdict::Readable {
            event_type,
            version,
            violations: self.findings(&facts),
            fields,
        }
    }

    /// The `type` and `version` a report shows: as the event has them (cut to their first
    /// `SHOWN_VALUE_CHARS` characters: a report stays small whatever a record holds), unless
    /// values are masked and they name no contract of the run (a catalog's names are no
    /// secret; anything else an event carries may be).
    fn shown<'r>(
        &self,
        event_type: Option<&'r str>,
        version: Option<&'r str>,
    ) -> (Option<&'r str>, Option<&'r str>) {
        if !self.settings.mask_values {
            return (event_type.map(cut), version.map(cut));
        }
        let contracts = self.settings.contracts;
        let known_type = event_type.filter(|t| contracts.iter().any(|c| c.event_type == *t));
        let known_version = match (known_type, version) {
            (Some(t), Some(v)) => contracts.index(t, v).map(|_| v),
            _ => None,
        };
        (
            event_type.map(|_| known_type.unwrap_or(MASK)),
            version.map(|_| known_version.unwrap_or(MASK)),
        )
    }

    /// The verdict on a plain event the fast path found conforming. No rule finds anything
    /// in such an event (`rules::tests::no_rule_fires_on_a_conforming_plain_event` holds them
    /// to it) unless its id was seen with other content: only then is it parsed, for the rules.
    fn conforming<'r>(
        &mut self,
        location: &Location,
        line: &[u8],
        found: &Conforming,
    ) -> Verdict<'r> {
        let contract = self.settings.contracts.contract(found.contract);
        let id = found
            .id
            .clone()
            .filter(|_| self.tracks_duplicates)
            .and_then(|range| std::str::from_utf8(&line[range]).ok());
        let same_id_other_content = id.and_then(|id| {
            self.duplicates
                .observe_keyed(id, found.id_key, found.content_hash, location)
        });
        // A deprecated version is reported by a rule (CT010), so its events are judged by the
        // rules like any other.
        let violations = match (&same_id_other_content, contract.deprecated) {
            (None, None) => Vec::new(),
            (first, _) => {
                let body = Body::Json(
                    serde_json::from_slice(line).expect("the fast path read the line as JSON"),
                );
                self.findings(&Facts {
                    delivery: None,
                    body: &body,
                    contract: Some(contract),
                    violations: &[],
                    same_id_other_content: first.as_ref(),
                })
            }
        };
        Verdict::Readable {
            event_type: Some(contract.event_type),
            version: Some(contract.version),
            violations,
            fields: Some((found.contract, found.optional_fields)),
        }
    }

    /// What every active rule finds in one record, as the report shows it.
    fn findings(&self, facts: &Facts) -> Vec<ReportedViolation> {
        let mask = self.settings.mask_values;
        self.settings
            .rules
            .active()
            .flat_map(|(rule, severity)| {
                (rule.check)(facts)
                    .into_iter()
                    .map(move |finding| reported(rule, severity, finding, mask))
            })
            .collect()
    }
}

/// What the rules concluded about one record, borrowing its `type` and `version` from the
/// analysis until a [`RecordResult`] is needed.
enum Verdict<'r> {
    Unreadable(&'r str),
    Readable {
        event_type: Option<&'r str>,
        version: Option<&'r str>,
        violations: Vec<ReportedViolation>,
        /// The catalog index of the event's contract and the optional fields it has.
        fields: Option<(usize, u128)>,
    },
}

impl Verdict<'_> {
    fn into_result(self, location: &Location) -> RecordResult {
        match self {
            Verdict::Unreadable(why) => RecordResult {
                source: location.into(),
                event_type: None,
                version: None,
                conforms: false,
                unreadable: Some(why.to_string()),
                violations: Vec::new(),
            },
            Verdict::Readable {
                event_type,
                version,
                violations,
                ..
            } => RecordResult {
                source: location.into(),
                event_type: event_type.map(str::to_string),
                version: version.map(str::to_string),
                conforms: !violations.iter().any(|v| v.severity == Severity::Error),
                unreadable: None,
                violations,
            },
        }
    }
}

/// Parses, decodes and validates one record: the costly part, run on the workers. A line the
/// fast path finds conforming is done with then; anything else is parsed and validated whole.
fn analyze(
    record: RawRecord,
    settings: &CheckSettings,
    origin: &Origin,
    hash_content: bool,
    fast: Option<FastPath>,
) -> Analysis {
    if let (RawRecord::Line(line), Some(fast)) = (&record, fast) {
        if let Some(found) = fast.scan(line) {
            let RawRecord::Line(line) = record else {
                unreachable!("matched above")
            };
            return Analysis::Conforming { line, found };
        }
    }
    let value = match record {
        RawRecord::Line(bytes) => match parse_line(&bytes) {
            Ok(value) => value,
            Err(why) => return Analysis::Unreadable(why),
        },
        RawRecord::Value(value) => value,
        RawRecord::Unreadable(why) => return Analysis::Unreadable(why),
    };
    let message = match settings.decoder.decode_from(value, origin) {
        Ok(message) => message,
        Err(why) => return Analysis::Unreadable(why),
    };
    let (violations, content_hash, fields) = match &message.body {
        Body::Json(event) => {
            let contracts = settings.contracts;
            let contract = contract_named_by(event, contracts);
            let fields = contract.map(|i| (i, contracts.plans()[i].optional_fields_in(event)));
            (
                violations_of(event, contract, contracts),
                hash_content.then(|| content_hash(event)),
                fields,
            )
        }
        Body::NotJson(_) => (Vec::new(), None, None),
    };
    Analysis::Readable {
        message,
        violations,
        content_hash,
        fields,
    }
}

/// The index of the contract an event's `type` and `version` name.
fn contract_named_by(event: &Value, contracts: &Contracts) -> Option<usize> {
    let field = |name: &str| event.get(name).and_then(Value::as_str);
    contracts.index(field("type")?, field("version")?)
}

/// Every way `event` breaks its contract (`contract`, the one it names), as its validator finds
/// them. Most events break none, and the validator's `is_valid` says so without building any
/// error: only an event it rejects (or that names no contract) is validated again to collect
/// the errors.
fn violations_of(event: &Value, contract: Option<usize>, contracts: &Contracts) -> Vec<Violation> {
    let set = contracts.set();
    let _ = contract;
    set.validate(event).err().unwrap_or_default()
}

fn parse_line(bytes: &[u8]) -> Result<Value, String> {
    // Parsed as bytes: serde_json checks the UTF-8 of what it reads, so a whole-line check
    // first would only read every line twice. A line that fails is told apart after.
    serde_json::from_slice(bytes).map_err(|e| match std::str::from_utf8(bytes) {
        Err(utf8) => format!(
            "not UTF-8: invalid byte at column {}",
            utf8.valid_up_to() + 1
        ),
        // Where files that start with one were joined (`cat`), a line does; the parser
        // would only say that it expected a value at column 1.
        Ok(text) if text.starts_with('\u{feff}') => "not JSON: the line starts with a byte \
            order mark (EF BB BF), as the first line of a file joined onto another may"
            .to_string(),
        Ok(_) => describe_json_error(&e),
    })
}

/// A finding as the report shows it, with values hidden when `mask` is set.
fn reported(rule: &Rule, severity: Severity, finding: Finding, mask: bool) -> ReportedViolation {
    let value_json = finding
        .value
        .as_ref()
        .map(|v| serde_json::to_string(v).expect("a Value always serializes"));
    let (message, value) = match (mask, value_json) {
        (true, Some(json)) => (mask_value_in(&finding.message, &json), Some(MASK.into())),
        (false, Some(json)) => {
            // Validator messages quote the value whole: a report quotes it as `value:` does.
            let message = finding.message.replacen(&json, &shorten(json.clone()), 1);
            (message, Some(shorten(json)))
        }
        (_, None) => (finding.message, None),
    };
    // Whatever else a message quotes (an unknown type, a routing key) is capped too: a report
    // is never much larger than the records' count.
    let message = shorten_to(message, SHOWN_MESSAGE_CHARS);
    ReportedViolation {
        rule: rule.id.to_string(),
        severity,
        instance_path: finding.instance_path,
        schema_path: finding.schema_path,
        keyword: finding.keyword,
        message,
        value,
    }
}

/// Hides the offending value where the message quotes it: validator messages quote the
/// instance once, first, as compact JSON; other messages do not quote it.
fn mask_value_in(message: &str, value_json: &str) -> String {
    message.replacen(value_json, MASK, 1)
}

fn shorten(json: String) -> String {
    shorten_to(json, SHOWN_VALUE_CHARS)
}

/// The first `SHOWN_VALUE_CHARS` characters of `text`.
fn cut(text: &str) -> &str {
    match text.char_indices().nth(SHOWN_VALUE_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

fn shorten_to(text: String, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_hides_the_quoted_value() {
        assert_eq!(
            mask_value_in(r#""abc" is not a "uuid""#, r#""abc""#),
            r#"<masked> is not a "uuid""#
        );
        assert_eq!(
            mask_value_in("2 is less than the minimum of 20", "2"),
            "<masked> is less than the minimum of 20"
        );
    }

    #[test]
    fn long_values_are_shortened_on_a_char_boundary() {
        let long = "é".repeat(200);
        let shown = shorten(long);
        assert_eq!(shown.chars().count(), SHOWN_VALUE_CHARS + 1);
        assert!(shown.ends_with('…'));
    }
}
