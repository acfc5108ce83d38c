//! Input that a capture tool, a pipe or a disk got wrong: every record is still accounted for,
//! each bad one is named with its file, line and cause, and the run goes on reading. Defects
//! found by probing the binary are tests through it; property tests (fuzzing on stable Rust;
//! `conformance/scripts/fuzz.sh` runs them longer) feed every reader damaged captures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use contracts_traffic::check::{check, CheckSettings, Contracts};
use contracts_traffic::input::framing::read_records;
use contracts_traffic::input::sources::expand;
use contracts_traffic::input::{Decoder, FormatChoice, Location, RawRecord};
use contracts_traffic::report::{Keep, Report};
use contracts_traffic::rules::RuleSettings;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};
use tempfile::TempDir;

const CRATE_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The binary, run from the crate directory so that reports name files relative to it.
fn contracts() -> Command {
    let mut command = cargo_bin_cmd!("contracts");
    command.current_dir(CRATE_DIR);
    command
}

/// Runs `command` with a JSON report: its exit code and the report, whose totals add up.
fn json_report(command: &mut Command) -> (i32, Value) {
    let output = command.arg("--format").arg("json").output().expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let summary = &report["summary"];
    let count = |name: &str| summary[name].as_u64().expect(name);
    assert_eq!(
        count("records"),
        count("conforming") + count("violating") + count("unreadable"),
        "{summary}"
    );
    assert_eq!(
        report["results"].as_array().expect("results").len() as u64,
        count("records")
    );
    (output.status.code().expect("exit code"), report)
}

fn summary(records: u64, conforming: u64, violating: u64, unreadable: u64) -> Value {
    json!({"records": records, "conforming": conforming, "violating": violating, "unreadable": unreadable})
}

/// A valid event, one JSON line.
fn valid_event_line() -> String {
    let events = fs::read_to_string(Path::new(CRATE_DIR).join("recordings/events.jsonl"))
        .expect("sample events");
    events.lines().next().expect("an event").to_string()
}

/// An event of no contract: readable, and violating.
const VIOLATING_LINE: &str = r#"{"type":"no.such.event"}"#;

/// A scratch directory with `good.jsonl`, one valid event: checked after a bad input, that it
/// is read proves the run went on.
fn scratch() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.jsonl");
    fs::write(&good, valid_event_line() + "\n").expect("write");
    (dir, good)
}

/// The unreadable results of a report, as (where, why): `file:line`, `file#index` or `file`.
fn unreadable(report: &Value) -> Vec<(String, String)> {
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|result| {
            let why = result.get("unreadable")?.as_str().expect("a reason");
            let source = &result["source"];
            let mut at = source["file"].as_str().expect("a file").to_string();
            if let Some(line) = source["line"].as_u64() {
                at += &format!(":{line}");
            }
            if let Some(index) = source["index"].as_u64() {
                at += &format!("#{index}");
            }
            Some((at, why.to_string()))
        })
        .collect()
}

// --- A NUL byte is one bad line, not a binary file --------------------------------------------

#[test]
fn a_nul_byte_in_one_line_makes_that_line_unreadable_and_the_rest_is_read() {
    let (dir, good) = scratch();
    let bad = dir.path().join("events.jsonl");
    let mut text = format!("{}\n{{\"a\":\"\0\"}}\n", valid_event_line());
    text += &format!("{VIOLATING_LINE}\n").repeat(1000);
    fs::write(&bad, text).unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&bad).arg(&good));
    assert_eq!(code, 2);
    assert_eq!(report["summary"], summary(1003, 2, 1000, 1));
    let bad_line = format!("{}:2", bad.display());
    let found = unreadable(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, bad_line);
    assert!(
        found[0].1.contains("binary data") && found[0].1.contains("a NUL byte at column 7"),
        "{found:?}"
    );
}

#[test]
fn a_binary_file_is_reported_once_and_json_lines_after_it_are_read() {
    let (dir, good) = scratch();
    // An executable's header, a protocol's text lines and zeroed padding: binary, with some
    // lines in it that are text but not JSON.
    let mut binary = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0\n".to_vec();
    binary.extend_from_slice(b"GET /events HTTP/1.1\r\nHost: broker\r\n\r\n");
    binary.extend((0..=255u8).cycle().take(4096));
    binary.extend_from_slice(b"\n\0\0\0\n");
    let elf = dir.path().join("core.bin");
    fs::write(&elf, &binary).unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&elf).arg(&good));
    assert_eq!(code, 2);
    assert_eq!(report["summary"], summary(2, 1, 0, 1), "{report:#}");
    let found = unreadable(&report);
    assert_eq!(found[0].0, format!("{}:1", elf.display()));
    assert!(found[0].1.starts_with("binary data"), "{found:?}");

    // What follows the binary part and is JSON is read: no readable line is lost.
    let mut mixed = binary.clone();
    mixed.extend_from_slice(format!("{}\n{VIOLATING_LINE}\n", valid_event_line()).as_bytes());
    let mixed_file = dir.path().join("mixed.bin");
    fs::write(&mixed_file, &mixed).unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&mixed_file));
    assert_eq!(code, 2);
    assert_eq!(report["summary"], summary(3, 1, 1, 1), "{report:#}");

    // No newline at all, longer than --max-message-bytes: still binary, reported once.
    let blob = dir.path().join("blob.bin");
    let no_newlines: Vec<u8> = (0..=255u8)
        .filter(|&b| b != b'\n')
        .cycle()
        .take(8192)
        .collect();
    fs::write(&blob, no_newlines).unwrap();
    let (code, report) = json_report(
        contracts()
            .args(["check", "--max-message-bytes", "1024"])
            .arg(&blob)
            .arg(&good),
    );
    assert_eq!(code, 2);
    assert_eq!(report["summary"], summary(2, 1, 0, 1));
    let found = unreadable(&report);
    assert_eq!(found[0].0, format!("{}:1", blob.display()));
    assert!(found[0].1.starts_with("binary data"), "{found:?}");
}

// --- A top-level array cut short -------------------------------------------------------------

#[test]
fn a_top_level_array_without_its_closing_bracket_is_unreadable_at_its_end() {
    let (dir, good) = scratch();
    let event = valid_event_line();
    for (name, text) in [
        ("cut.json", format!("[{event},{event}")),
        ("cut-newline.json", format!("[\n  {event},\n  {event}\n")),
    ] {
        let bad = dir.path().join(name);
        fs::write(&bad, text).unwrap();
        let (code, report) = json_report(contracts().arg("check").arg(&bad).arg(&good));
        assert_eq!(code, 2, "{name}");
        assert_eq!(report["summary"], summary(4, 3, 0, 1), "{name}");
        assert_eq!(
            unreadable(&report),
            vec![(
                format!("{}#2", bad.display()),
                "truncated JSON: the array ends without its closing `]`".to_string()
            )]
        );
    }
}

// --- Messages that say what is wrong ---------------------------------------------------------

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

#[test]
fn a_utf8_byte_order_mark_at_the_start_of_a_file_is_skipped() {
    let (dir, _) = scratch();
    let event = valid_event_line();
    for (name, text) in [
        ("lines.jsonl", format!("{event}\n{event}\n")),
        ("array.json", format!("[{event},{event}]")),
        ("blank-first.jsonl", format!("\n{event}\n{event}")),
    ] {
        let file = dir.path().join(name);
        fs::write(&file, [UTF8_BOM, text.as_bytes()].concat()).unwrap();
        let (code, report) = json_report(contracts().arg("check").arg(&file));
        assert_eq!(
            (code, &report["summary"]),
            (0, &summary(2, 2, 0, 0)),
            "{name}"
        );
    }
    let (code, report) = json_report(
        contracts()
            .args(["check", "-"])
            .write_stdin([UTF8_BOM, event.as_bytes()].concat()),
    );
    assert_eq!((code, &report["summary"]), (0, &summary(1, 1, 0, 0)));
}

#[test]
fn a_byte_order_mark_that_cannot_be_skipped_is_named() {
    let (dir, good) = scratch();
    let event = valid_event_line();
    // Files concatenated with `cat`: the second one's mark is in the middle.
    let joined = dir.path().join("joined.jsonl");
    fs::write(
        &joined,
        [event.as_bytes(), b"\n", UTF8_BOM, event.as_bytes(), b"\n"].concat(),
    )
    .unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&joined).arg(&good));
    assert_eq!(code, 2);
    let found = unreadable(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, format!("{}:2", joined.display()));
    assert!(
        found[0].1.contains("byte order mark") && !found[0].1.contains("expected value"),
        "{found:?}"
    );

    // UTF-16, as some Windows tools write: named once, not read as binary line by line.
    let utf16 = dir.path().join("utf16.jsonl");
    let mut bytes = vec![0xff, 0xfe];
    for unit in format!("{event}\n{event}\n").encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    fs::write(&utf16, bytes).unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&utf16).arg(&good));
    assert_eq!(code, 2);
    assert_eq!(report["summary"], summary(2, 1, 0, 1));
    let found = unreadable(&report);
    assert!(found[0].1.contains("UTF-16"), "{found:?}");
}

#[test]
fn a_fifo_named_on_the_command_line_is_read() {
    let (dir, _) = scratch();
    let fifo = dir.path().join("events.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let event = valid_event_line();
    let writer = {
        let (fifo, text) = (fifo.clone(), format!("{event}\n{VIOLATING_LINE}\n"));
        // Opening a FIFO to write waits for its reader: if `contracts` never opens it, this
        // thread waits until the test process ends, and the assertions below say why.
        std::thread::spawn(move || fs::write(fifo, text))
    };
    let (code, report) = json_report(contracts().arg("check").arg(&fifo));
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["summary"], summary(2, 1, 1, 0));
    writer.join().unwrap().unwrap();

    // A walk does not open one: nothing may be writing to it.
    let (code, report) = json_report(contracts().arg("check").arg(dir.path()));
    assert_eq!(code, 2);
    assert_eq!(report["summary"], summary(2, 1, 0, 1));
    let found = unreadable(&report);
    assert_eq!(found[0].0, fifo.display().to_string());
    assert!(
        found[0].1.contains("name it on the command line"),
        "{found:?}"
    );

    // What `check <(cmd)` passes: /dev/fd/N, a pipe.
    let mut shell = std::process::Command::new("bash");
    shell.current_dir(CRATE_DIR).arg("-c").arg(format!(
        "exec {} check --format json <(cat recordings/events.jsonl)",
        assert_cmd::cargo::cargo_bin!("contracts").display()
    ));
    let output = shell.output().expect("bash runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    let events = fs::read_to_string(Path::new(CRATE_DIR).join("recordings/events.jsonl")).unwrap();
    assert_eq!(
        report["summary"]["conforming"],
        json!(events.lines().count())
    );
}

#[test]
fn a_recording_line_without_a_body_is_named_as_such() {
    let (dir, good) = scratch();
    let bad = dir.path().join("session.jsonl");
    let line = json!({
        "exchange": "coder.events", "routingKey": "dashboard.created",
        "properties": {"contentType": "application/json"}
    });
    fs::write(&bad, format!("{line}\n")).unwrap();
    let (code, report) = json_report(contracts().arg("check").arg(&bad).arg(&good));
    assert_eq!(code, 2);
    let found = unreadable(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0].0, format!("{}:1", bad.display()));
    assert!(
        found[0].1.contains("a recording line without a body"),
        "{found:?}"
    );
}

#[test]
fn an_empty_file_and_an_empty_array_are_both_no_record_and_exit_2() {
    let (dir, good) = scratch();
    for (name, text) in [("empty.json", ""), ("empty-array.json", " [ ]\n")] {
        let bad = dir.path().join(name);
        fs::write(&bad, text).unwrap();
        let (code, report) = json_report(contracts().arg("check").arg(&bad).arg(&good));
        assert_eq!(code, 2, "{name}");
        assert_eq!(report["summary"], summary(2, 1, 0, 1), "{name}");
        let found = unreadable(&report);
        assert_eq!(found[0].0, bad.display().to_string());
        assert!(
            found[0].1.starts_with("the file holds no record"),
            "{found:?}"
        );
    }
}

#[test]
fn an_unknown_top_level_key_in_the_configuration_is_an_error() {
    let (dir, good) = scratch();
    let config = dir.path().join("contracts.json");
    fs::write(
        &config,
        "{\n  \"check\": {\"rules\": {\"CT007\": \"off\"}},\n  \"chekc\": {}\n}\n",
    )
    .unwrap();
    let output = contracts()
        .arg("check")
        .arg("--config")
        .arg(&config)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", config.display())) && stderr.contains("`chekc`"),
        "{stderr}"
    );

    let output = contracts()
        .arg("lint")
        .arg("--schemas")
        .arg(Path::new(CRATE_DIR).join("schema-checks/tests/fixtures/lint/clean"))
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", config.display())) && stderr.contains("`chekc`"),
        "{stderr}"
    );

    // Each command reads its own section and leaves the other's alone.
    fs::write(
        &config,
        r#"{"check": {"rules": {"CT007": "off"}}, "lint": {"ignore": {}}}"#,
    )
    .unwrap();
    let (code, _) = json_report(
        contracts()
            .arg("check")
            .arg("--config")
            .arg(&config)
            .arg(&good),
    );
    assert_eq!(code, 0);
    contracts()
        .arg("lint")
        .arg("--schemas")
        .arg(Path::new(CRATE_DIR).join("schema-checks/tests/fixtures/lint/clean"))
        .arg("--config")
        .arg(&config)
        .assert()
        .code(0);
}

// --- Fuzzing on stable Rust: properties over every reader and the framing --------------------
//
// Inputs are random bytes, JSON-ish soup, the sample captures cut at any offset, spliced into
// one another or with bytes overwritten, and gzip streams of them, intact or corrupted. They
// are checked in process (the library `contracts check` runs) for speed, and a few through the
// binary. `conformance/scripts/fuzz.sh` runs the same properties with many more cases.

/// How many cases a property runs: `in_ci` by default; with `PROPTEST_CASES` set (as
/// `scripts/fuzz.sh` does), that many divided by `cost` for properties whose cases are dearer,
/// and never fewer than in CI.
fn cases(in_ci: u32, cost: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse::<u32>().ok())
        .map_or(in_ci, |cases| (cases / cost).max(in_ci))
}

/// Runs `property` over `cases` inputs from `strategy`; on a failure, panics with the smallest
/// failing input proptest found. Says how many cases ran, and how long they took, on stderr
/// (which `scripts/fuzz.sh` shows).
fn run_property<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases,
        // A failure is reported with its smallest input; nothing is written beside the tests.
        failure_persistence: None,
        ..Config::default()
    });
    let ran = Cell::new(0u64);
    let started = Instant::now();
    let outcome = runner.run(&strategy, |input| {
        ran.set(ran.get() + 1);
        property(input)
    });
    eprintln!(
        "fuzz: {name}: {} cases run ({cases} passing needed) in {:.1}s: {}",
        ran.get(),
        started.elapsed().as_secs_f64(),
        if outcome.is_ok() { "passed" } else { "FAILED" }
    );
    if let Err(failure) = outcome {
        panic!("{name}: {failure}");
    }
}

/// Bytes, shown as a byte string when a case fails.
#[derive(Clone)]
struct Bytes(Vec<u8>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\" ({} bytes)", self.0.escape_ascii(), self.0.len())
    }
}

/// Every sample capture, and the fixture of a cut management API answer.
fn samples() -> &'static [Vec<u8>] {
    static SAMPLES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let crate_dir = Path::new(CRATE_DIR);
        let mut paths = vec![crate_dir.join("tests/fixtures/management-get-truncated.json")];
        let mut directories = vec![crate_dir.join("recordings")];
        while let Some(directory) = directories.pop() {
            for entry in fs::read_dir(directory).expect("the samples") {
                let path = entry.expect("a sample").path();
                if path.is_dir() {
                    directories.push(path);
                } else if path.extension().is_none_or(|e| e != "md") {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        paths
            .iter()
            .map(|path| fs::read(path).expect("a sample"))
            .collect()
    })
}

/// Bytes that make or break JSON and its framing.
const JSONISH: &[u8] = b"{}[]\",:\\ \n\r\t0123456789.-eEtrufalsn\0\xef\xbb\xbf\xff";

/// A capture as a tool, a pipe or a disk may have damaged it.
fn damaged_capture() -> impl Strategy<Value = Bytes> {
    let sample = || (0..samples().len()).prop_map(|i| samples()[i].clone());
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..1024),
        prop::collection::vec(prop::sample::select(JSONISH), 0..1024),
        // Cut at any offset.
        (sample(), any::<Index>())
            .prop_map(|(sample, at)| { sample[..at.index(sample.len() + 1)].to_vec() }),
        // The start of one capture joined to the end of another.
        (sample(), any::<Index>(), sample(), any::<Index>()).prop_map(|(a, i, b, j)| {
            let mut spliced = a[..i.index(a.len() + 1)].to_vec();
            spliced.extend_from_slice(&b[j.index(b.len() + 1)..]);
            spliced
        }),
        // Bytes overwritten here and there.
        (
            sample(),
            prop::collection::vec((any::<Index>(), prop::sample::select(JSONISH)), 1..8)
        )
            .prop_map(|(mut sample, damage)| {
                for (at, byte) in damage {
                    let at = at.index(sample.len());
                    sample[at] = byte;
                }
                sample
            }),
    ]
    .prop_flat_map(|capture| (Just(capture), start()))
    .prop_map(|(capture, start)| Bytes([start, &capture].concat()))
}

/// What a file may start with before its first record, read or reported by framing alone.
fn start() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![
        6 => Just(&b""[..]),
        1 => Just(&b"\xef\xbb\xbf"[..]),
        1 => Just(&b"\xff\xfe"[..]),
        1 => Just(&b"\n \r\n"[..]),
        1 => Just(&b"["[..]),
        1 => Just(&b"\0"[..]),
    ]
}

/// How many bytes a read returns at most: a few, as a pipe may, or a file's buffer.
fn read_size() -> impl Strategy<Value = usize> {
    prop_oneof![1..=8usize, 9..=4096usize]
}

/// How a capture is stored: as it is, or gzip-compressed and then perhaps damaged.
#[derive(Debug, Clone)]
enum Storage {
    Plain,
    Gzip,
    GzipCut(Index),
    GzipByteFlipped(Index, u8),
    GzipWithTrailingBytes(Bytes),
}

fn storage() -> impl Strategy<Value = Storage> {
    prop_oneof![
        3 => Just(Storage::Plain),
        1 => Just(Storage::Gzip),
        1 => any::<Index>().prop_map(Storage::GzipCut),
        1 => (any::<Index>(), 1..=255u8).prop_map(|(at, bits)| Storage::GzipByteFlipped(at, bits)),
        1 => prop::collection::vec(any::<u8>(), 1..64)
            .prop_map(|bytes| Storage::GzipWithTrailingBytes(Bytes(bytes))),
    ]
}

impl Storage {
    fn store(&self, capture: &[u8]) -> Vec<u8> {
        if let Storage::Plain = self {
            return capture.to_vec();
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gzip, capture).expect("compresses");
        let mut gzip = gzip.finish().expect("compresses");
        match self {
            Storage::Plain | Storage::Gzip => {}
            Storage::GzipCut(at) => gzip.truncate(at.index(gzip.len() + 1)),
            Storage::GzipByteFlipped(at, bits) => {
                let at = at.index(gzip.len());
                gzip[at] ^= bits;
            }
            Storage::GzipWithTrailingBytes(bytes) => gzip.extend_from_slice(&bytes.0),
        }
        gzip
    }
}

/// Every reader: detection, each input format of the registry forced, and `validate
/// --event-pointer`.
fn decoder(choice: usize) -> Decoder {
    match FormatChoice::all().nth(choice) {
        Some(format) => Decoder::new(format, None),
        None => Decoder::new(FormatChoice::Plain, Some("/body".into())),
    }
}

/// How many readers [`decoder`] and [`command_line_reader`] number: every format choice, and
/// plain with a pointer.
fn readers() -> usize {
    FormatChoice::all().count() + 1
}

/// The settings `contracts check --max-message-bytes MAX --threads 1` runs with (as `app.rs`
/// builds them), keeping no result: only the totals are looked at.
fn settings(reader: usize, max_message_bytes: usize) -> CheckSettings {
    CheckSettings {
        contracts: Contracts::compiled(),
        decoder: decoder(reader),
        rules: RuleSettings::default(),
        max_message_bytes,
        threads: Some(1),
        mask_values: false,
        keep: Keep::FirstFailures(0),
    }
}

/// The records framing cuts `bytes` into, read through a buffer of `buffer` bytes.
fn frame(bytes: &[u8], max_bytes: usize, buffer: usize) -> Vec<(Location, RawRecord)> {
    let file: Arc<str> = "capture.json".into();
    let mut records = Vec::new();
    let reader = BufReader::with_capacity(buffer, bytes);
    read_records(reader, &file, max_bytes, &mut |location, record| {
        records.push((location, record))
    });
    records
}

/// Checks the file at `path` in process.
fn check_file(path: &Path, reader: usize, max_message_bytes: usize) -> Report {
    check(
        &expand(&[path.to_path_buf()]),
        &settings(reader, max_message_bytes),
    )
    .expect("a check runs")
}

/// What no reason for an unreadable record needs to be longer than: none quotes its input.
const LONGEST_REASON: usize = 512;

#[test]
fn framing_cuts_any_bytes_into_records_no_longer_than_the_limit() {
    let strategy = (damaged_capture(), 1..=2048usize, read_size());
    run_property(
        "framing",
        cases(3000, 1),
        strategy,
        |(capture, max_bytes, buffer)| {
            let records = frame(&capture.0, max_bytes, buffer);
            // A file is never passed over in silence: even an empty one is a record.
            prop_assert!(!records.is_empty());
            let mut last_line = 0;
            let mut last_index = None;
            for (location, record) in &records {
                match record {
                    RawRecord::Line(bytes) => prop_assert!(bytes.len() <= max_bytes),
                    RawRecord::Unreadable(why) => prop_assert!(why.len() <= LONGEST_REASON),
                }
                // In input order: lines never go back, and array elements count up by one.
                if let Some(line) = location.line {
                    prop_assert!(line >= last_line, "{location} after line {last_line}");
                    last_line = line;
                }
                if let Some(index) = location.index {
                    prop_assert_eq!(index, last_index.map_or(0, |last| last + 1));
                    last_index = Some(index);
                }
            }
            // However the bytes arrive (a pipe's small reads, a file's large ones), the records
            // are the same.
            let whole = frame(&capture.0, max_bytes, 64 * 1024);
            prop_assert_eq!(format!("{records:?}"), format!("{whole:?}"));
            Ok(())
        },
    );
}

#[test]
fn check_accounts_for_every_record_of_any_damaged_capture_with_any_reader() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = (damaged_capture(), storage(), 0..readers(), 16..=2048usize);
    run_property(
        "check",
        cases(2000, 1),
        strategy,
        |(capture, storage, reader, max_bytes)| {
            let path = dir.path().join("capture.json");
            fs::write(&path, storage.store(&capture.0)).unwrap();
            let report = check_file(&path, reader, max_bytes);
            let totals = report.summary;
            prop_assert!(totals.adds_up(), "{totals:?}");
            prop_assert!(totals.records >= 1, "{totals:?}");
            // Nothing framing cut is lost on the way to the report; gzip is transparent.
            if let Storage::Plain | Storage::Gzip = storage {
                let framed = frame(&capture.0, max_bytes, 64 * 1024).len() as u64;
                prop_assert_eq!(totals.records, framed);
            }
            Ok(())
        },
    );
}

/// Counts the bytes allocated and not yet freed, per thread: `check` with one thread runs on
/// the calling one, so a test sees its own run's memory whatever other tests do meanwhile.
struct CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

thread_local! {
    static LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
    static PEAK_LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
}

fn count_allocated(bytes: isize) {
    // `try_with`: a thread being torn down frees memory after its counters are gone.
    let _ = LIVE_BYTES.try_with(|live| {
        let now = live.get() + bytes;
        live.set(now);
        let _ = PEAK_LIVE_BYTES.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            count_allocated(layout.size() as isize);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            count_allocated(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        count_allocated(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            count_allocated(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

/// The most memory `run` held at once, beyond what was held before it, on this thread.
fn peak_memory_of<T>(run: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE_BYTES.with(Cell::get);
    PEAK_LIVE_BYTES.with(|peak| peak.set(before));
    let result = run();
    let peak = PEAK_LIVE_BYTES.with(Cell::get);
    (result, usize::try_from(peak - before).unwrap_or(0))
}

/// A capture whose records are far larger than `--max-message-bytes`, of `size` bytes.
#[derive(Debug, Clone, Copy)]
enum Oversized {
    /// JSON Lines whose one line never ends.
    Line,
    /// Huge lines between valid events.
    Lines,
    /// A top-level array whose one element never ends.
    ArrayElement,
    /// A pretty-printed document that never closes.
    Document,
    /// Binary data with no line break.
    Binary,
    /// A gzip stream of a few KiB that inflates to one line of `size` bytes.
    GzipOfOneLine,
}

impl Oversized {
    fn bytes(self, size: usize) -> Vec<u8> {
        let pad = |bytes: &mut Vec<u8>, until: usize| {
            bytes.extend(std::iter::repeat_n(b'x', until.saturating_sub(bytes.len())))
        };
        let mut bytes = Vec::with_capacity(size + 64);
        match self {
            Oversized::Line | Oversized::GzipOfOneLine => {
                bytes.extend_from_slice(b"{\"pad\":\"");
                pad(&mut bytes, size);
            }
            Oversized::Lines => {
                let event = valid_event_line();
                while bytes.len() < size {
                    bytes.extend_from_slice(event.as_bytes());
                    bytes.extend_from_slice(b"\n{\"pad\":\"");
                    let line_end = bytes.len() + size / 8;
                    pad(&mut bytes, line_end);
                    bytes.extend_from_slice(b"\"}\n");
                }
            }
            Oversized::ArrayElement => {
                bytes.extend_from_slice(b"[{\"pad\": [\"");
                pad(&mut bytes, size);
            }
            Oversized::Document => {
                bytes.extend_from_slice(b"{\n  \"pad\": \"");
                pad(&mut bytes, size);
            }
            Oversized::Binary => {
                bytes.extend((0..=255u8).filter(|&b| b != b'\n').cycle().take(size));
            }
        }
        if let Oversized::GzipOfOneLine = self {
            return Storage::Gzip.store(&bytes);
        }
        bytes
    }
}

/// What one check may hold at once whatever its input: a batch of records of at most
/// `--max-message-bytes` each (a batch is cut at 256 records), read and inflate buffers, and
/// the state of the run, which does not grow with a record. Measured: 80 KiB, 220 KiB from
/// gzip; every input here is larger than the bound, so a reader that held one would fail.
fn memory_bound(max_message_bytes: usize) -> usize {
    256 * max_message_bytes + 512 * 1024
}

#[test]
fn memory_stays_bounded_whatever_the_size_of_a_record() {
    let dir = tempfile::tempdir().unwrap();
    // Built before any run is measured: the compiled-in contracts are built once, on first use.
    let _ = check_file(
        &Path::new(CRATE_DIR).join("recordings/events.jsonl"),
        0,
        1024,
    );
    let shapes = prop::sample::select(vec![
        Oversized::Line,
        Oversized::Lines,
        Oversized::ArrayElement,
        Oversized::Document,
        Oversized::Binary,
        Oversized::GzipOfOneLine,
    ]);
    // From 1 MiB up, in eighths of one: above the bound at the largest limit.
    let strategy = (shapes, 8usize..=24, 0..readers(), 64..=1024usize);
    run_property(
        "memory",
        cases(12, 1000),
        strategy,
        |(shape, size_mib_eighths, reader, max_bytes)| {
            let size = size_mib_eighths * 1024 * 1024 / 8;
            let path = dir.path().join("capture.json");
            fs::write(&path, shape.bytes(size)).unwrap();
            let (report, peak) = peak_memory_of(|| check_file(&path, reader, max_bytes));
            prop_assert!(report.summary.adds_up());
            prop_assert!(report.summary.unreadable >= 1);
            prop_assert!(
                peak <= memory_bound(max_bytes),
                "{peak} bytes held at once reading {size} bytes, over {}",
                memory_bound(max_bytes)
            );
            Ok(())
        },
    );
}

/// The input formats `check --input-format` takes, and `validate` with a pointer.
fn command_line_reader(reader: usize) -> Vec<&'static str> {
    match FormatChoice::all().nth(reader) {
        Some(format) => vec!["check", "--input-format", format.name()],
        None => vec!["validate", "--event-pointer", "/body"],
    }
}

#[test]
fn the_binary_accounts_for_every_record_of_damaged_captures_and_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let strategy = (
        damaged_capture(),
        storage(),
        0..readers(),
        16..=2048usize,
        1..=2usize,
    );
    run_property(
        "binary",
        cases(8, 1000),
        strategy,
        |(capture, storage, reader, max_bytes, threads)| {
            let path = dir.path().join("capture.json");
            fs::write(&path, storage.store(&capture.0)).unwrap();
            let output = contracts()
                .args(command_line_reader(reader))
                .args(["--format", "json", "--max-message-bytes"])
                .arg(max_bytes.to_string())
                .arg("--threads")
                .arg(threads.to_string())
                .arg(&path)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            prop_assert!(!stderr.contains("panicked"), "{stderr}");
            let report: Value = serde_json::from_slice(&output.stdout)
                .map_err(|e| TestCaseError::fail(format!("not a JSON report ({e}): {stderr}")))?;
            let count = |name: &str| report["summary"][name].as_u64().unwrap();
            prop_assert_eq!(
                count("records"),
                count("conforming") + count("violating") + count("unreadable")
            );
            prop_assert_eq!(
                report["results"].as_array().unwrap().len() as u64,
                count("records")
            );
            let expected_exit = if count("unreadable") > 0 {
                2
            } else if count("violating") > 0 {
                1
            } else {
                0
            };
            prop_assert_eq!(output.status.code(), Some(expected_exit));
            Ok(())
        },
    );
}
