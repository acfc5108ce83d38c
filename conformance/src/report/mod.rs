//! The report of a run: what `--format json` prints (its schema is `contracts report-schema`),
//! built record by record, and rendered by one module per format.

pub mod github;
pub mod junit;
pub mod text;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, Write};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::input::Location;
use crate::rules::Severity;

/// The outcome of checking every record of a run.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub summary: Summary,
    /// One row per event type and version seen, then one for records with no event type.
    pub contracts: Vec<ContractRow>,
    /// Every contract of the catalog, with how many messages of it were seen (0: never).
    pub coverage: Vec<Coverage>,
    /// Per record in input order: every record in the JSON report; only the first failures
    /// (`--max-failures`) in the text report.
    pub results: Results,
    /// How many records failed (were unreadable or had any violation), kept or not.
    #[serde(skip)]
    pub failures: u64,
}

/// Every record is exactly one of conforming, violating or unreadable.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub records: u64,
    /// Readable, with no violation at error severity (warnings allowed).
    pub conforming: u64,
    /// Readable, with at least one violation at error severity.
    pub violating: u64,
    /// Not JSON, too long, or not a record of the input format: nothing could be checked.
    pub unreadable: u64,
}

impl Summary {
    /// Whether every record is counted exactly once.
    pub fn adds_up(&self) -> bool {
        self.records == self.conforming + self.violating + self.unreadable
    }

    /// `26 records: 22 conforming, 4 violating, 0 unreadable`.
    pub fn totals_line(&self) -> String {
        let plural = if self.records == 1 { "" } else { "s" };
        format!(
            "{} record{plural}: {} conforming, {} violating, {} unreadable",
            self.records, self.conforming, self.violating, self.unreadable
        )
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractRow {
    /// Absent for records whose body has no string `type` (not JSON, or not an event).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Whether the catalog has this contract.
    pub known: bool,
    pub messages: u64,
    pub conforming: u64,
    pub violating: u64,
    /// The most frequent violations (at most three), most frequent first.
    pub most_frequent: Vec<ViolationCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ViolationCount {
    pub rule: String,
    pub instance_path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    pub event_type: String,
    pub version: String,
    pub messages: u64,
    /// Every optional field of the contract (a property no `required` lists), with how many
    /// readable messages of it had the field (0: never exercised).
    pub optional_fields: Vec<FieldCoverage>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FieldCoverage {
    /// JSON pointer to the field; `*` stands for any element of an array.
    pub field: String,
    pub messages: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordResult {
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub conforms: bool,
    /// Why the record could not be checked; present only for an unreadable record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    pub violations: Vec<ReportedViolation>,
}

impl RecordResult {
    pub fn is_failure(&self) -> bool {
        self.unreadable.is_some() || !self.violations.is_empty()
    }
}

/// Where a record is: a line of a file, or an element of a file's top-level array.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
}

impl From<&Location> for Source {
    fn from(location: &Location) -> Source {
        Source {
            file: location.file.to_string(),
            line: location.line,
            index: location.index,
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::input::write_location(f, &self.file, self.line, self.index)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportedViolation {
    /// The rule's stable ID, e.g. `CT001`.
    pub rule: String,
    pub severity: Severity,
    /// JSON pointer into the event (`""`: the whole event or its delivery).
    pub instance_path: String,
    /// JSON pointer to the failing keyword in the contract's bundled schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    pub message: String,
    /// The offending value as compact JSON (or `<masked>`), for the text report only: the JSON
    /// report carries no event content beyond what messages quote.
    #[serde(skip)]
    pub value: Option<String>,
}

impl Report {
    /// The process exit code: 2 when anything was unreadable, 1 on violations, 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.summary.unreadable > 0 {
            2
        } else if self.summary.violating > 0 {
            1
        } else {
            0
        }
    }

    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }
}

/// The results a report kept, in input order: in memory (the first failures), or, for a report
/// of every record or every failure, spooled to an unnamed temporary file a compact JSON line
/// each, so that a run of any size takes the same memory. A spooled result comes back without its `value`,
/// which only the text report shows (and it keeps its results in memory).
#[derive(Debug)]
pub enum Results {
    Kept(Vec<RecordResult>),
    Spooled { file: File, len: u64 },
}

impl Results {
    pub fn len(&self) -> u64 {
        match self {
            Results::Kept(results) => results.len() as u64,
            Results::Spooled { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The results in input order; read again from the start on every call.
    pub fn iter(&self) -> Box<dyn Iterator<Item = io::Result<Cow<'_, RecordResult>>> + '_> {
        match self {
            Results::Kept(results) => Box::new(results.iter().map(|r| Ok(Cow::Borrowed(r)))),
            Results::Spooled { file, .. } => {
                let mut reader = file;
                if let Err(e) = reader.rewind() {
                    return Box::new(std::iter::once(Err(e)));
                }
                Box::new(BufReader::new(reader).lines().map(|line| {
                    let result = serde_json::from_str(&line?).map_err(io::Error::other)?;
                    Ok(Cow::Owned(result))
                }))
            }
        }
    }
}

/// As the sequence of results it holds, written as it is read back.
impl Serialize for Results {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        let mut seq = serializer.serialize_seq(usize::try_from(self.len()).ok())?;
        for result in self.iter() {
            seq.serialize_element(&*result.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

impl JsonSchema for Results {
    fn schema_name() -> Cow<'static, str> {
        <Vec<RecordResult>>::schema_name()
    }

    fn inline_schema() -> bool {
        <Vec<RecordResult>>::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<RecordResult>>::json_schema(generator)
    }
}

/// Where a report builder puts the results it keeps.
enum ResultSink {
    Memory(Vec<RecordResult>),
    Spool {
        out: BufWriter<File>,
        len: u64,
        /// The first write that failed: the report cannot be written, said at the end.
        failed: Option<io::Error>,
    },
}

impl ResultSink {
    fn len(&self) -> u64 {
        match self {
            ResultSink::Memory(results) => results.len() as u64,
            ResultSink::Spool { len, .. } => *len,
        }
    }
}

/// Which results a report keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every record's (spooled to a temporary file).
    All,
    /// Every failure's (spooled to a temporary file); conforming records are only counted.
    AllFailures,
    /// At most this many failures, in memory; conforming records are only counted.
    FirstFailures(usize),
}

/// Adds up results as they come, keeping only what the report needs.
pub struct ReportBuilder {
    keep: Keep,
    summary: Summary,
    failures: u64,
    results: ResultSink,
    /// By event type, then version: looked up by `&str` (see [`Field`]), so that counting a
    /// record allocates nothing once its contract has a row.
    rows: RowTable<RowTable<RowTally>>,
    /// By catalog contract, then by optional field: how many messages had it.
    fields: Vec<Vec<u64>>,
    /// Clean records of each catalog contract counted by `count_clean` and not yet in `rows`:
    /// most records are, and an index costs less than two lookups by name.
    clean: Vec<u64>,
}

/// Keyed by an event's `type` or `version` (`None`: it has none). Looked up once or twice per
/// record, with a hash much cheaper than SipHash; their order does not matter, `finish` sorts.
type RowTable<V> = hashbrown::HashMap<Option<String>, V, foldhash::fast::RandomState>;

/// An event's `type` or `version` as the rules read it, to look up a [`RowTable`] without
/// allocating the `Option<String>` it is keyed by.
#[derive(Hash)]
struct Field<'a>(Option<&'a str>);

impl hashbrown::Equivalent<Option<String>> for Field<'_> {
    fn equivalent(&self, key: &Option<String>) -> bool {
        self.0 == key.as_deref()
    }
}

/// The row of `key` in `table`, made empty the first time `key` is seen.
fn row_of<'t, V: Default>(table: &'t mut RowTable<V>, key: Option<&str>) -> &'t mut V {
    // `Field` hashes as the `Option<String>` it stands for (both hash the variant, then the
    // text), so a lookup by it finds the row the owned key was inserted under.
    if !table.contains_key(&Field(key)) {
        table.insert(key.map(str::to_string), V::default());
    }
    table.get_mut(&Field(key)).expect("inserted")
}

#[derive(Default)]
struct RowTally {
    messages: u64,
    conforming: u64,
    violating: u64,
    /// Violations by (rule, instance path, keyword), with the order each was first seen in so
    /// that ties are broken the same way on every run.
    violations: HashMap<(String, String, Option<String>), (u64, u64)>,
}

impl ReportBuilder {
    /// A builder; one that keeps every result spools them to a temporary file, which may fail.
    pub fn new(keep: Keep) -> io::Result<ReportBuilder> {
        let results = match keep {
            Keep::All | Keep::AllFailures => ResultSink::Spool {
                out: BufWriter::new(tempfile::tempfile()?),
                len: 0,
                failed: None,
            },
            Keep::FirstFailures(_) => ResultSink::Memory(Vec::new()),
        };
        Ok(ReportBuilder {
            keep,
            summary: Summary::default(),
            failures: 0,
            results,
            rows: RowTable::default(),
            fields: crate::check::scan::plans()
                .iter()
                .map(|plan| vec![0; plan.optional_fields.len()])
                .collect(),
            clean: vec![0; coder_events::CONTRACTS.len()],
        })
    }

    /// Counts the optional fields (bit `i`: the contract's `i`th) a message of a catalog
    /// contract had.
    pub fn cover(&mut self, contract: usize, mut fields: u128) {
        let counts = &mut self.fields[contract];
        while fields != 0 {
            let bit = fields.trailing_zeros() as usize;
            counts[bit] += 1;
            fields &= fields - 1;
        }
    }

    /// Whether `add` keeps a record that has no violation, i.e. whether the caller must build
    /// its [`RecordResult`] rather than only `count_clean` it.
    pub fn keeps_clean_records(&self) -> bool {
        self.keep == Keep::All
    }

    /// Counts a readable record with no violation exactly as `add` does, for a report that does
    /// not keep it (`keeps_clean_records` is false): most records are clean, and building a
    /// result only to drop it would cost more than counting it. `contract` is the catalog index
    /// of the contract `event_type` and `version` name, when they name one.
    pub fn count_clean(
        &mut self,
        event_type: Option<&str>,
        version: Option<&str>,
        contract: Option<usize>,
    ) {
        debug_assert!(!self.keeps_clean_records());
        self.summary.records += 1;
        self.summary.conforming += 1;
        match contract {
            Some(i) => self.clean[i] += 1,
            None => {
                let row = row_of(row_of(&mut self.rows, event_type), version);
                row.messages += 1;
                row.conforming += 1;
            }
        }
        assert!(self.summary.adds_up(), "{:?}", self.summary);
    }

    pub fn add(&mut self, result: RecordResult) {
        self.summary.records += 1;
        if result.unreadable.is_some() {
            self.summary.unreadable += 1;
        } else {
            let versions = row_of(&mut self.rows, result.event_type.as_deref());
            let row = row_of(versions, result.version.as_deref());
            row.messages += 1;
            if result.conforms {
                self.summary.conforming += 1;
                row.conforming += 1;
            } else {
                self.summary.violating += 1;
                row.violating += 1;
            }
            for v in &result.violations {
                let seen = row.violations.len() as u64;
                let key = (v.rule.clone(), v.instance_path.clone(), v.keyword.clone());
                row.violations.entry(key).or_insert((0, seen)).0 += 1;
            }
        }
        let failed = result.is_failure();
        self.failures += u64::from(failed);
        assert!(self.summary.adds_up(), "{:?}", self.summary);
        let keep = match self.keep {
            Keep::All => true,
            Keep::AllFailures => failed,
            Keep::FirstFailures(limit) => failed && self.results.len() < limit as u64,
        };
        if !keep {
            return;
        }
        match &mut self.results {
            ResultSink::Memory(results) => results.push(result),
            ResultSink::Spool { out, len, failed } => {
                *len += 1;
                if failed.is_none() {
                    let written = serde_json::to_writer(&mut *out, &result)
                        .map_err(io::Error::from)
                        .and_then(|()| out.write_all(b"\n"));
                    if let Err(e) = written {
                        *failed = Some(e);
                    }
                }
            }
        }
    }

    /// The report; fails only when the results spooled for it could not be written.
    pub fn finish(mut self) -> io::Result<Report> {
        assert!(self.summary.adds_up(), "{:?}", self.summary);
        let results = match self.results {
            ResultSink::Memory(results) => Results::Kept(results),
            ResultSink::Spool {
                out,
                len,
                failed: None,
            } => Results::Spooled {
                file: out.into_inner().map_err(io::IntoInnerError::into_error)?,
                len,
            },
            ResultSink::Spool {
                failed: Some(e), ..
            } => return Err(e),
        };
        for (contract, clean) in coder_events::CONTRACTS.iter().zip(&self.clean) {
            if *clean > 0 {
                let versions = row_of(&mut self.rows, Some(contract.event_type));
                let row = row_of(versions, Some(contract.version));
                row.messages += clean;
                row.conforming += clean;
            }
        }
        let plans = crate::check::scan::plans();
        let coverage = coder_events::CONTRACTS
            .iter()
            .zip(plans)
            .zip(&self.fields)
            .map(|((c, plan), counts)| Coverage {
                event_type: c.event_type.to_string(),
                version: c.version.to_string(),
                messages: self
                    .rows
                    .get(&Field(Some(c.event_type)))
                    .and_then(|versions| versions.get(&Field(Some(c.version))))
                    .map_or(0, |row| row.messages),
                optional_fields: plan
                    .optional_fields
                    .iter()
                    .zip(counts)
                    .map(|(field, messages)| FieldCoverage {
                        field: field.clone(),
                        messages: *messages,
                    })
                    .collect(),
            })
            .collect();
        let mut contracts: Vec<ContractRow> = self
            .rows
            .into_iter()
            .flat_map(|(event_type, versions)| {
                versions
                    .into_iter()
                    .map(move |(version, tally)| row(event_type.clone(), version, tally))
            })
            .collect();
        contracts.sort_by_key(row_order);
        Ok(Report {
            summary: self.summary,
            contracts,
            coverage,
            results,
            failures: self.failures,
        })
    }
}

fn row(event_type: Option<String>, version: Option<String>, tally: RowTally) -> ContractRow {
    let mut counts: Vec<_> = tally.violations.into_iter().collect();
    counts.sort_by_key(|(_, (count, first_seen))| (std::cmp::Reverse(*count), *first_seen));
    let known = event_type
        .as_deref()
        .zip(version.as_deref())
        .is_some_and(|(t, v)| coder_events::contract(t, v).is_some());
    ContractRow {
        event_type,
        version,
        known,
        messages: tally.messages,
        conforming: tally.conforming,
        violating: tally.violating,
        most_frequent: counts
            .into_iter()
            .take(3)
            .map(
                |((rule, instance_path, keyword), (count, _))| ViolationCount {
                    rule,
                    instance_path,
                    keyword,
                    count,
                },
            )
            .collect(),
    }
}

/// Catalog contracts in catalog order, then other types by name, then records with no type.
fn row_order(row: &ContractRow) -> (usize, Option<String>, Option<String>) {
    let catalog_position = row
        .event_type
        .as_deref()
        .zip(row.version.as_deref())
        .and_then(|(event_type, version)| crate::check::scan::contract_index(event_type, version));
    let group = match (catalog_position, &row.event_type) {
        (Some(position), _) => position,
        (None, Some(_)) => coder_events::CONTRACTS.len(),
        (None, None) => coder_events::CONTRACTS.len() + 1,
    };
    (group, row.event_type.clone(), row.version.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(line: u64, conforms: bool) -> RecordResult {
        RecordResult {
            source: Source {
                file: "events.jsonl".into(),
                line: Some(line),
                index: None,
            },
            event_type: Some("dashboard.created".into()),
            version: Some("1.0".into()),
            conforms,
            unreadable: None,
            violations: if conforms {
                Vec::new()
            } else {
                vec![ReportedViolation {
                    rule: "CT001".into(),
                    severity: Severity::Error,
                    instance_path: "/id".into(),
                    schema_path: Some("/properties/id/format".into()),
                    keyword: Some("format".into()),
                    message: "\"x\" is not a \"uuid\"".into(),
                    value: None,
                }]
            },
        }
    }

    /// A report of every record spools its results, and gives them back whole, in order, as
    /// often as it is read.
    #[test]
    fn spooled_results_come_back_in_order_every_time() {
        let mut builder = ReportBuilder::new(Keep::All).unwrap();
        for line in 1..=1000 {
            builder.add(result(line, line % 7 != 0));
        }
        let report = builder.finish().unwrap();
        assert!(matches!(report.results, Results::Spooled { len: 1000, .. }));
        for _ in 0..2 {
            let lines: Vec<u64> = report
                .results
                .iter()
                .map(|r| r.unwrap().source.line.unwrap())
                .collect();
            assert_eq!(lines, (1..=1000).collect::<Vec<_>>());
        }
        let json = serde_json::to_value(&report.results).unwrap();
        let kept = (1..=1000)
            .map(|l| result(l, l % 7 != 0))
            .collect::<Vec<_>>();
        assert_eq!(json, serde_json::to_value(kept).unwrap());
        assert_eq!(report.summary.violating, 142);
    }

    #[test]
    fn a_report_of_failures_keeps_only_the_first_ones_in_memory() {
        let mut builder = ReportBuilder::new(Keep::FirstFailures(3)).unwrap();
        for line in 1..=100 {
            builder.add(result(line, line % 10 != 0));
        }
        let report = builder.finish().unwrap();
        let Results::Kept(kept) = &report.results else {
            panic!("kept in memory")
        };
        let lines: Vec<_> = kept.iter().map(|r| r.source.line.unwrap()).collect();
        assert_eq!(lines, [10, 20, 30]);
        assert_eq!(report.failures, 10);
    }
}
