//! The checking pipeline: sources are framed into records on this thread, records are parsed,
//! decoded and schema-validated in parallel batches, and then, in input order, checked for
//! duplicate ids, judged by the rules, and added to the report. [`LiveChecker`] judges records
//! one at a time as they arrive (`contracts tap`), the same way.

mod duplicates;
mod progress;
mod uuid_table;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::mem;
use std::sync::mpsc;

use anyhow::Context as _;
use coder_events::engine::{Tape, TapeError, View};
use coder_events::{ParseError, Violation};
use rayon::prelude::*;
use serde_json::Value;

use crate::finding::Finding;
use crate::input::framing::{describe_json_error, read_records};
use crate::input::sources::{self, Source, SourceKind};
use crate::input::{Body, Decoder, Delivery, EventSource, Location, Origin, RawRecord};
use crate::report::{Keep, RecordResult, Report, ReportBuilder};
use crate::rules::{BodyFacts, EventFacts, Facts, Hit, Rule, RuleSettings, Severity};
use duplicates::{lowercase_uuid, DuplicateTracker};
use progress::Progress;

pub use crate::contracts::{Contracts, Fields};

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
    let report =
        ReportBuilder::new(settings.keep, settings.contracts).context("starting the report")?;
    check_into(sources, settings, report)
}

/// [`check`], adding the results to `report` (one that streams them, say).
pub fn check_into(
    sources: &[Source],
    settings: &CheckSettings,
    report: ReportBuilder,
) -> anyhow::Result<Report> {
    let threads = settings.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let checker = Checker {
        judge: Judge::new(settings),
        workers: None,
        in_flight: VecDeque::new(),
        batch: Vec::new(),
        batch_bytes: 0,
        report,
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

    /// Judges one record and adds it to `report` (its result, and the fields it covers); the
    /// result is returned too, for a report that prints failures as they come.
    pub fn check(
        &mut self,
        location: &Location,
        record: RawRecord,
        report: &mut ReportBuilder,
    ) -> RecordResult {
        let judge = &mut self.judge;
        // A live delivery has no file of its own for a body to be read from.
        let analysis = analyze(
            record,
            judge.settings,
            &Origin::NONE,
            judge.tracks_duplicates,
        );
        let verdict = judge.verdict(location, &analysis);
        if let Some((contract, fields)) = verdict.fields() {
            report.cover(contract, fields);
        }
        let result = verdict.into_result(location);
        report.add(result.clone());
        result
    }
}

/// What a worker found out about one record.
enum Analysis {
    Unreadable(String),
    /// The engine found the event conforming to the contract it names; nothing of it is kept
    /// but what the rules and the report read.
    Conforming(Conforming),
    /// Anything else: an event the engine rejected (with every violation the explainer lists),
    /// or a body that is not JSON.
    Explained(Explained),
}

struct Conforming {
    delivery: Option<Delivery>,
    /// Index into the run's contracts.
    contract: usize,
    /// The event's `id`, when a rule may read it (duplicate ids are tracked, or a delivery
    /// carries a message id to compare it with).
    id: Option<Box<str>>,
    /// The id's key in the duplicate tracker, when it is a lowercase UUID: worked out here, on
    /// a worker, so that the thread tracking ids only looks it up.
    id_key: Option<[u64; 2]>,
    content_hash: Option<u64>,
    fields: Fields,
}

struct Explained {
    delivery: Option<Delivery>,
    body: Body,
    violations: Vec<Violation>,
    content_hash: Option<u64>,
    /// The catalog index of the contract the event names, and the optional fields it has.
    fields: Option<(usize, Fields)>,
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
        let track_ids = self.judge.tracks_duplicates;
        let analyse = move |(location, record): (Location, RawRecord)| {
            let origin = Origin {
                location: Some(&location),
                max_message_bytes: settings.max_message_bytes,
            };
            let analysis = analyze(record, settings, &origin, track_ids);
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
        for (location, analysis) in &analysed {
            let verdict = self.judge.verdict(location, analysis);
            if let Some((contract, fields)) = verdict.fields() {
                self.report.cover(contract, fields);
            }
            match verdict {
                Verdict::Readable {
                    event_type,
                    version,
                    violations,
                    fields,
                } if violations.is_empty() => {
                    let contract = fields.map(|(contract, _)| contract);
                    self.report
                        .add_clean(location, event_type, version, contract);
                }
                verdict => self.report.add(verdict.into_result(location)),
            }
        }
        self.progress.advance(analysed.len());
        // Freeing the JSON trees of rejected events is a fair share of the work when there are
        // many: a worker does it, while this thread reads on. Anything else is freed here,
        // where it was allocated: freed on another thread, its memory would move between
        // cores record by record.
        let trees = analysed
            .iter()
            .any(|(_, a)| matches!(a, Analysis::Explained(e) if matches!(e.body, Body::Json(_))));
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
            tracks_duplicates: settings.rules.severity("CT009").is_some(),
        }
    }

    /// What the rules find in one analysed record, in input order (duplicate ids depend on
    /// it), still borrowing the analysis: a clean record a report does not keep is then only
    /// counted, and nothing of it is copied. The caller frees the analysis, on a worker when
    /// there are some.
    fn verdict<'r>(&mut self, location: &Location, analysis: &'r Analysis) -> Verdict<'r> {
        match analysis {
            Analysis::Unreadable(why) => Verdict::Unreadable(why),
            Analysis::Conforming(found) => self.conforming(location, found),
            Analysis::Explained(explained) => self.explained(location, explained),
        }
    }

    /// The verdict on an event the engine found conforming: the rules still look at it (its
    /// delivery, its id, its contract's deprecation), with what the worker kept of it.
    fn conforming<'r>(&mut self, location: &Location, found: &'r Conforming) -> Verdict<'r> {
        let contract = self.settings.contracts.contract(found.contract);
        let same_id_other_content = match (&found.id, found.content_hash) {
            (Some(id), Some(hash)) => {
                self.duplicates
                    .observe_keyed(id, found.id_key, hash, location)
            }
            _ => None,
        };
        let facts = Facts {
            delivery: found.delivery.as_ref(),
            body: BodyFacts::Event(EventFacts {
                event_type: Some(contract.event_type),
                version: Some(contract.version),
                id: found.id.as_deref(),
                value: None,
            }),
            contract: Some(contract),
            violations: &[],
            same_id_other_content: same_id_other_content.as_ref(),
        };
        Verdict::Readable {
            event_type: Some(contract.event_type),
            version: Some(contract.version),
            violations: self.findings(&facts),
            fields: Some((found.contract, &found.fields)),
        }
    }

    /// The verdict on an event the engine rejected, or a body that is not JSON.
    fn explained<'r>(&mut self, location: &Location, explained: &'r Explained) -> Verdict<'r> {
        let event = match &explained.body {
            Body::Json(event) => Some(event),
            Body::NotJson(_) => None,
        };
        let event_str = |name: &str| event?.get(name).and_then(Value::as_str);
        let same_id_other_content = match (event_str("id"), explained.content_hash) {
            (Some(id), Some(hash)) => self.duplicates.observe(id, hash, location),
            _ => None,
        };
        let contract = explained
            .fields
            .as_ref()
            .map(|(i, _)| self.settings.contracts.contract(*i));
        let body = match &explained.body {
            Body::Json(event) => BodyFacts::Event(EventFacts {
                event_type: event_str("type"),
                version: event_str("version"),
                id: event_str("id"),
                value: Some(event),
            }),
            Body::NotJson(why) => BodyFacts::NotJson(why),
        };
        let facts = Facts {
            delivery: explained.delivery.as_ref(),
            body,
            contract,
            violations: &explained.violations,
            same_id_other_content: same_id_other_content.as_ref(),
        };
        let (event_type, version) = self.shown(event_str("type"), event_str("version"));
        Verdict::Readable {
            event_type,
            version,
            violations: self.findings(&facts),
            fields: explained.fields.as_ref().map(|(i, fields)| (*i, fields)),
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

    /// What every active rule finds in one record, as the report shows it (placed at the
    /// record by [`Verdict::into_result`]).
    fn findings(&self, facts: &Facts) -> Vec<Finding> {
        let mask = self.settings.mask_values;
        let mut findings = Vec::new();
        // A loop that skips what finds nothing, not a `flat_map`: nearly every rule finds
        // nothing in nearly every record, and the adapter cost more than the rules did.
        for (rule, severity) in self.settings.rules.active() {
            let found = (rule.check)(facts);
            if !found.is_empty() {
                findings.extend(
                    found
                        .into_iter()
                        .map(|hit| reported(rule, severity, hit, mask)),
                );
            }
        }
        findings
    }
}

/// What the rules concluded about one record, borrowing its `type` and `version` from the
/// analysis until a [`RecordResult`] is needed.
enum Verdict<'r> {
    Unreadable(&'r str),
    Readable {
        event_type: Option<&'r str>,
        version: Option<&'r str>,
        violations: Vec<Finding>,
        /// The catalog index of the event's contract and the optional fields it has.
        fields: Option<(usize, &'r Fields)>,
    },
}

impl<'r> Verdict<'r> {
    fn fields(&self) -> Option<(usize, &'r Fields)> {
        match self {
            Verdict::Readable { fields, .. } => *fields,
            Verdict::Unreadable(_) => None,
        }
    }

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
                mut violations,
                ..
            } => {
                let source = crate::report::Source::from(location);
                let place = source.finding();
                for v in &mut violations {
                    v.file.clone_from(&place.file);
                    v.line = place.line;
                    v.element = place.element;
                }
                RecordResult {
                    source,
                    event_type: event_type.map(str::to_string),
                    version: version.map(str::to_string),
                    conforms: !violations.iter().any(|v| v.severity == Severity::Error),
                    unreadable: None,
                    violations,
                }
            }
        }
    }
}

/// What a worker reads records with: the record's tape, a tape for a body held in bytes of its
/// own (base64, a payload string), and the words of a field set. Reused from record to record,
/// so that a run allocates for them only while records grow.
#[derive(Default)]
struct Scratch {
    record: Tape,
    body: Tape,
    fields: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Reads, decodes and judges one record with the engine: the costly part, run on the workers.
/// An event the engine rejects is explained (every violation `jsonschema` lists) here too.
fn analyze(
    record: RawRecord,
    settings: &CheckSettings,
    origin: &Origin,
    track_ids: bool,
) -> Analysis {
    let line = match record {
        RawRecord::Line(line) => line,
        RawRecord::Unreadable(why) => return Analysis::Unreadable(why),
    };
    SCRATCH.with_borrow_mut(|scratch| {
        let Scratch {
            record,
            body,
            fields,
        } = scratch;
        if let Err(e) = record.read(&line) {
            return Analysis::Unreadable(why_not_a_line(&line, &e));
        }
        let view = record.view(&line);
        let decoded = match settings.decoder.decode(&view, 0, origin) {
            Ok(decoded) => decoded,
            Err(why) => return Analysis::Unreadable(why),
        };
        let judged = Judged {
            settings,
            track_ids,
            delivery: decoded.delivery,
        };
        match decoded.event {
            EventSource::At(at) => judged.event(&view, at, fields),
            EventSource::Bytes { bytes, name } => match body.read(&bytes) {
                Ok(()) => judged.event(&body.view(&bytes), 0, fields),
                Err(e) => judged.not_json(why_not_json(&bytes, &name, &e)),
            },
            EventSource::NotJson(why) => judged.not_json(why),
        }
    })
}

/// One record's event, judged on a worker.
struct Judged<'s> {
    settings: &'s CheckSettings,
    track_ids: bool,
    delivery: Option<Delivery>,
}

impl Judged<'_> {
    fn event(self, view: &View<'_>, at: usize, scratch: &mut Vec<u64>) -> Analysis {
        let set = self.settings.contracts.set();
        // A conforming event's optional fields are read in the pass that decides it; a
        // rejected one's (rare) in a pass of their own.
        let judged = set.judge_covering(view, at, scratch);
        let fields = match &judged {
            Ok(index) => Some((*index, Fields::from_words(scratch))),
            Err(ParseError::Contract { contract, .. }) => set
                .position(contract.event_type, contract.version)
                .map(|index| {
                    set.program(index).fields_present(view, at, scratch);
                    (index, Fields::from_words(scratch))
                }),
            Err(_) => None,
        };
        let content_hash = self
            .track_ids
            .then(|| coder_events::engine::hash::content_hash(view, at));
        match (judged, fields) {
            (Ok(contract), Some((_, fields))) => {
                let wants_id = self.track_ids
                    || self
                        .delivery
                        .as_ref()
                        .is_some_and(|d| d.message_id.is_some());
                let id = view
                    .get(at, "id")
                    .and_then(|i| view.str(i))
                    .filter(|_| wants_id);
                Analysis::Conforming(Conforming {
                    id_key: id.and_then(lowercase_uuid),
                    id: id.map(Box::from),
                    delivery: self.delivery,
                    contract,
                    content_hash,
                    fields,
                })
            }
            (judged, fields) => {
                let value = view.to_value(at);
                let violations = match judged {
                    Err(rejected) => violations_of(set, view, at, &value, &rejected),
                    Ok(_) => unreachable!("a conforming event names its contract"),
                };
                Analysis::Explained(Explained {
                    delivery: self.delivery,
                    body: Body::Json(value),
                    violations,
                    content_hash,
                    fields,
                })
            }
        }
    }

    fn not_json(self, why: String) -> Analysis {
        Analysis::Explained(Explained {
            delivery: self.delivery,
            body: Body::NotJson(why),
            violations: Vec::new(),
            content_hash: None,
            fields: None,
        })
    }
}

/// Every violation of the event at `at` (`value` on a `Value`) that the engine rejected with
/// `rejected`: the explainer's list, and a repeated key however the event was rejected (an
/// unknown type does not make a repeated key any less ambiguous).
pub(crate) fn violations_of(
    set: &coder_events::ContractSet,
    view: &View<'_>,
    at: usize,
    value: &Value,
    rejected: &ParseError,
) -> Vec<Violation> {
    let mut violations = set.violations(value, rejected);
    let has_duplicate = |v: &[Violation]| {
        v.iter()
            .any(|v| v.kind == coder_events::ViolationKind::DuplicateKey)
    };
    if !has_duplicate(&violations) {
        if let Some((pointer, key)) = view.duplicate_key(at) {
            violations.insert(0, coder_events::Violation::duplicate_key(pointer, key));
        }
    }
    violations
}

/// Why a record's line could not be read.
fn why_not_a_line(bytes: &[u8], error: &TapeError) -> String {
    let e = match error {
        TapeError::Json(e) => e,
        other => return other.to_string(),
    };
    // Parsed as bytes: serde_json checks the UTF-8 of what it reads, so a whole-line check
    // first would only read every line twice. A line that fails is told apart after.
    match std::str::from_utf8(bytes) {
        Err(utf8) => format!(
            "not UTF-8: invalid byte at column {}",
            utf8.valid_up_to() + 1
        ),
        // Where files that start with one were joined (`cat`), a line does; the parser
        // would only say that it expected a value at column 1.
        Ok(text) if text.starts_with('\u{feff}') => "not JSON: the line starts with a byte \
            order mark (EF BB BF), as the first line of a file joined onto another may"
            .to_string(),
        Ok(_) => describe_json_error(e),
    }
}

/// Why a body (called `name`) is not an event's JSON.
fn why_not_json(bytes: &[u8], name: &str, error: &TapeError) -> String {
    match error {
        TapeError::Json(e) => crate::input::not_json(bytes, name, e),
        other => format!("{name}: {other}"),
    }
}

/// A rule's hit as the report shows it, with values hidden when `mask` is set.
fn reported(rule: &Rule, severity: Severity, hit: Hit, mask: bool) -> Finding {
    let value_json = hit
        .value
        .as_ref()
        .map(|v| serde_json::to_string(v).expect("a Value always serializes"));
    let (message, value) = match (mask, value_json) {
        (true, Some(json)) => (mask_value_in(&hit.message, &json), Some(MASK.into())),
        (false, Some(json)) => {
            // Validator messages quote the value whole: a report quotes it as `value:` does.
            let message = hit.message.replacen(&json, &shorten(json.clone()), 1);
            (message, Some(shorten(json)))
        }
        (_, None) => (hit.message, None),
    };
    // Whatever else a message quotes (an unknown type, a routing key) is capped too: a report
    // is never much larger than the records' count.
    let message = shorten_to(message, SHOWN_MESSAGE_CHARS);
    Finding {
        rule: rule.doc.id,
        severity,
        pointer: hit.instance_path,
        schema_path: hit.schema_path,
        keyword: hit.keyword,
        message,
        value,
        ..Finding::default()
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
