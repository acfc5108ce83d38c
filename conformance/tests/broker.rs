//! `contracts record`, `tap` and `replay` against the real RabbitMQ on 127.0.0.1:5672 (no
//! mock), driving the built binary, with traffic published by `tests/broker/publish.py` on
//! pika: a client that shares no code with this project. Each test uses exchanges and queues
//! of its own and deletes them afterwards. The broker must be up (CI's `.ci/run` starts it):
//! these tests fail, never skip, without it.
//!
//! The tests run one at a time: one of them closes every connection of the broker.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead as _, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::value::RawValue;
use serde_json::Value;

const CRATE_DIR: &str = env!("CARGO_MANIFEST_DIR");
const CONTRACTS: &str = env!("CARGO_BIN_EXE_contracts");
const URL: &str = "amqp://guest:guest@127.0.0.1:5672/%2f";
const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
static NEXT_NAME: AtomicUsize = AtomicUsize::new(0);

/// Takes the broker for one test, after making sure it and pika are there.
fn broker() -> MutexGuard<'static, ()> {
    let guard = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let address: SocketAddr = "127.0.0.1:5672".parse().unwrap();
    if let Err(e) = TcpStream::connect_timeout(&address, Duration::from_secs(3)) {
        panic!(
            "RabbitMQ is not reachable on 127.0.0.1:5672 ({e}). These tests need the real \
             broker: start it with `rabbitmq-server -detached` (.ci/run does)."
        );
    }
    let pika = Command::new("python3")
        .args(["-c", "import pika"])
        .output()
        .expect("python3 runs");
    assert!(
        pika.status.success(),
        "the publisher needs pika: `pip install pika` (.ci/run installs it)\n{}",
        String::from_utf8_lossy(&pika.stderr)
    );
    guard
}

/// Names of this test's own: `coder.events.test-<pid>-<n>`.
fn unique(kind: &str) -> String {
    let n = NEXT_NAME.fetch_add(1, Ordering::SeqCst);
    format!("coder.events.test-{}-{n}{kind}", std::process::id())
}

/// Exchanges and queues deleted when the test ends, passed or failed.
struct Topology {
    exchanges: Vec<String>,
    queues: Vec<String>,
}

impl Topology {
    fn new() -> Topology {
        Topology {
            exchanges: Vec::new(),
            queues: Vec::new(),
        }
    }

    fn exchange(&mut self) -> String {
        let name = unique("");
        self.exchanges.push(name.clone());
        name
    }

    fn queue(&mut self) -> String {
        let name = unique(".queue");
        self.queues.push(name.clone());
        name
    }
}

impl Drop for Topology {
    fn drop(&mut self) {
        let mut command = publisher();
        command.arg("cleanup");
        for exchange in &self.exchanges {
            command.args(["--exchange", exchange]);
        }
        for queue in &self.queues {
            command.args(["--queue", queue]);
        }
        let _ = run_bounded(&mut command, Duration::from_secs(20));
    }
}

fn publisher() -> Command {
    let mut command = Command::new("python3");
    command.arg(Path::new(CRATE_DIR).join("tests/broker/publish.py"));
    command
}

fn schemas_dir() -> PathBuf {
    Path::new(CRATE_DIR).join("../schemas")
}

/// Runs a command to its end, within `limit`; its exit status, stdout and stderr.
fn run_bounded(command: &mut Command, limit: Duration) -> (ExitStatus, String, String) {
    let process = Process::spawn(command);
    process.wait(limit)
}

/// Waits for `done`, polling, failing with `what` after `limit`.
fn wait_until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// Gathers what a pipe carries, line by line, as it comes.
fn collect(pipe: Box<dyn Read + Send>, into: &Arc<Mutex<String>>) -> thread::JoinHandle<()> {
    let into = Arc::clone(into);
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut text = into.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    })
}

/// A child process whose stdout and stderr are collected as they come.
struct Process {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<thread::JoinHandle<()>>,
}

impl Process {
    fn spawn(command: &mut Command) -> Process {
        let (mut process, stdout) = Process::spawn_keeping_stdout(command);
        let reader = collect(Box::new(stdout), &process.stdout);
        process.readers.push(reader);
        process
    }

    /// Like `spawn`, but standard output is the caller's to read, or to close.
    fn spawn_keeping_stdout(command: &mut Command) -> (Process, ChildStdout) {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the process starts");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let readers = vec![collect(Box::new(child.stderr.take().unwrap()), &stderr)];
        let pipe = child.stdout.take().unwrap();
        let process = Process {
            child,
            stdout,
            stderr,
            readers,
        };
        (process, pipe)
    }

    /// `contracts` with `args`.
    fn contracts(args: &[&str]) -> Process {
        Process::spawn(Command::new(CONTRACTS).args(args))
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn wait_for_stderr(&self, needle: &str, limit: Duration) {
        let start = Instant::now();
        while !self.stderr().contains(needle) {
            assert!(
                start.elapsed() < limit,
                "no {needle:?} on stderr within {limit:?}:\n{}",
                self.stderr()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the consumer says its queue is bound: from then on nothing published is
    /// missed.
    fn wait_bound(&self) {
        self.wait_for_stderr(" bound to exchange ", Duration::from_secs(15));
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    fn wait(mut self, limit: Duration) -> (ExitStatus, String, String) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("waits") {
                break status;
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "still running after {limit:?}; killed.\nstderr:\n{}",
                    self.stderr()
                );
            }
            thread::sleep(Duration::from_millis(20));
        };
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        let stdout = self.stdout.lock().unwrap().clone();
        (status, stdout, self.stderr())
    }

    /// SIGTERM, then the exit within a few seconds.
    fn terminate(self) -> (ExitStatus, String, String) {
        self.signal("-TERM");
        self.wait(Duration::from_secs(15))
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // A test that failed half way leaves nothing running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One line of a recording: the line as JSON, and its body's exact bytes.
struct Recorded {
    line: Value,
    body: Vec<u8>,
    embedded: bool,
}

fn read_recording(path: &Path) -> Vec<Recorded> {
    read_recording_but(path, None)
}

/// The complete lines of a recording (not a last one still being written), but for the line
/// `unfinished` (numbered from 1), which a killed recorder left unfinished and the next one
/// kept.
fn read_recording_but(path: &Path, unfinished: Option<usize>) -> Vec<Recorded> {
    let text = std::fs::read(path).unwrap_or_default();
    let complete = &text[..text
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |end| end + 1)];
    complete
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(i, line)| !line.is_empty() && Some(i + 1) != unfinished)
        .map(|(i, bytes)| {
            let line: Value = serde_json::from_slice(bytes)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1));
            #[derive(serde::Deserialize)]
            struct Embedded {
                body: Box<RawValue>,
            }
            let (body, embedded) = if line.get("body").is_some() {
                let raw: Embedded = serde_json::from_slice(bytes).unwrap();
                (raw.body.get().as_bytes().to_vec(), true)
            } else {
                let base64 = line["bodyBase64"].as_str().expect("bodyBase64");
                (BASE64.decode(base64).expect("base64"), false)
            };
            Recorded {
                line,
                body,
                embedded,
            }
        })
        .collect()
}

fn line_count(path: &Path) -> usize {
    std::fs::read(path)
        .map(|bytes| bytes.iter().filter(|b| **b == b'\n').count())
        .unwrap_or(0)
}

/// Whether a body's bytes can stand in a JSON line as they are: the recorder must embed
/// exactly those and base64-encode the rest.
fn embeddable(body: &[u8]) -> bool {
    !body.is_empty()
        && !body.contains(&b'\n')
        && !body.contains(&b'\r')
        && !body[0].is_ascii_whitespace()
        && !body[body.len() - 1].is_ascii_whitespace()
        && serde_json::from_slice::<Value>(body).is_ok()
}

/// The mixed stream's manifest: what publish.py sent, as recording lines plus `expect`.
fn manifest_of(path: &Path) -> Vec<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Writes the manifest of the mixed stream without publishing it: its length is the --limit.
fn mixed_manifest(dir: &Path, exchange: &str) -> (PathBuf, Vec<Value>) {
    let path = dir.join("manifest.json");
    let (status, _, stderr) = run_bounded(
        publisher()
            .args(["mixed", "--dry-run", "--exchange", exchange])
            .args([
                "--schemas".as_ref(),
                schemas_dir().as_os_str(),
                "--manifest".as_ref(),
                path.as_os_str(),
            ]),
        Duration::from_secs(20),
    );
    assert!(status.success(), "{stderr}");
    let manifest = manifest_of(&path);
    (path, manifest)
}

fn publish_mixed(exchange: &str, manifest: &Path) {
    let (status, stdout, stderr) = run_bounded(
        publisher()
            .args(["mixed", "--url", URL, "--exchange", exchange])
            .args([
                "--schemas".as_ref(),
                schemas_dir().as_os_str(),
                "--manifest".as_ref(),
                manifest.as_os_str(),
            ]),
        Duration::from_secs(30),
    );
    assert!(
        status.success(),
        "publish.py mixed failed:\n{stdout}\n{stderr}"
    );
}

/// Asserts that `recording` holds what the manifest says was published, message for
/// message: routing keys, every property, headers with their types, bodies byte for byte.
fn assert_recording_matches(recording: &[Recorded], manifest: &[Value], exchange: &str) {
    assert_eq!(recording.len(), manifest.len(), "message count");
    for (i, (recorded, sent)) in recording.iter().zip(manifest).enumerate() {
        let at = format!("message {i} ({})", sent["routingKey"]);
        assert_eq!(recorded.line["exchange"], exchange, "{at}");
        assert_eq!(recorded.line["routingKey"], sent["routingKey"], "{at}");
        assert_eq!(recorded.line["redelivered"], false, "{at}");
        assert_eq!(
            recorded.line["properties"], sent["properties"],
            "{at}: properties and typed headers"
        );
        let body = BASE64.decode(sent["bodyBase64"].as_str().unwrap()).unwrap();
        assert_eq!(recorded.body, body, "{at}: body bytes");
        assert_eq!(
            recorded.embedded,
            embeddable(&body),
            "{at}: embedded or base64"
        );
    }
}

/// Every line follows recording.schema.json.
fn assert_lines_follow_the_schema(recording: &[Recorded]) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(CRATE_DIR).join("recording.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("the schema compiles");
    for (i, recorded) in recording.iter().enumerate() {
        let errors: Vec<String> = validator
            .iter_errors(&recorded.line)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "line {}: {errors:#?}", i + 1);
    }
}

/// The rule IDs of each result of a JSON report, in order.
fn rules_per_record(report: &Value) -> Vec<BTreeSet<String>> {
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| {
            assert!(result.get("unreadable").is_none(), "{result}");
            result["violations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["rule"].as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn planted(manifest: &[Value]) -> Vec<BTreeSet<String>> {
    manifest
        .iter()
        .map(|m| {
            m["expect"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn counts(sets: &[BTreeSet<String>]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for rule in sets.iter().flatten() {
        *counts.entry(rule.clone()).or_default() += 1;
    }
    counts
}

fn check_json(args: &[&str]) -> (i32, Value) {
    let output = Command::new(CONTRACTS)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("check runs");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&output.stderr));
    });
    (output.status.code().unwrap(), report)
}

/// Records the mixed stream published to a new exchange; returns the recording's path and
/// the manifest.
fn record_mixed(dir: &Path, topology: &mut Topology) -> (PathBuf, Vec<Value>, String) {
    let exchange = topology.exchange();
    let (manifest_path, manifest) = mixed_manifest(dir, &exchange);
    let out = dir.join("mixed.jsonl");
    let limit = manifest.len().to_string();
    let recorder = start_recording(&exchange, &out, &["--limit", &limit]);
    recorder.wait_bound();
    publish_mixed(&exchange, &manifest_path);
    let (status, _, stderr) = recorder.wait(Duration::from_secs(20));
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("stopped by --limit"), "{stderr}");
    let recording = read_recording(&out);
    assert_recording_matches(&recording, &manifest, &exchange);
    (out, manifest, exchange)
}

/// Starts `contracts record` on `exchange` into `out`, with `more` arguments.
fn start_recording(exchange: &str, out: &Path, more: &[&str]) -> Process {
    let mut args = vec![
        "record",
        "--url",
        URL,
        "--exchange",
        exchange,
        "--out",
        path(out),
    ];
    args.extend_from_slice(more);
    Process::contracts(&args)
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

/// `contracts tap` on the test broker, bound to `exchange` (not coder.events, so CT006 is off),
/// with `flags`.
fn start_tap(exchange: &str, flags: &[&str]) -> Process {
    let mut args = vec![
        "tap",
        "--url",
        URL,
        "--exchange",
        exchange,
        "--rule",
        "CT006=off",
    ];
    args.extend_from_slice(flags);
    Process::contracts(&args)
}

#[test]
fn a_recording_of_a_mixed_stream_is_what_was_published_and_check_finds_the_planted_violations() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    let (manifest_path, manifest) = mixed_manifest(dir.path(), &exchange);
    let limit = manifest.len().to_string();
    let out = dir.path().join("mixed.jsonl");
    let recorder = start_recording(&exchange, &out, &["--limit", &limit]);
    // A tap on a queue of its own sees the same stream, and checks it as it comes; one more,
    // for code scanning, writes its SARIF log at the end.
    let tap = start_tap(&exchange, &["--limit", &limit]);
    let tap_sarif = start_tap(&exchange, &["--limit", &limit, "--format", "sarif"]);
    recorder.wait_bound();
    tap.wait_bound();
    tap_sarif.wait_bound();
    publish_mixed(&exchange, &manifest_path);

    let (status, _, stderr) = recorder.wait(Duration::from_secs(20));
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("stopped by --limit"), "{stderr}");
    let recording = read_recording(&out);
    assert_recording_matches(&recording, &manifest, &exchange);
    assert_lines_follow_the_schema(&recording);
    let base64_bodies = recording.iter().filter(|r| !r.embedded).count();
    assert!(
        base64_bodies >= 8,
        "non-JSON and multi-line bodies: {base64_bodies}"
    );

    // `check` finds exactly what was planted, message for message. The test exchange is not
    // coder.events, so CT006 is off here and checked on its own below.
    let expected = planted(&manifest);
    let (code, report) = check_json(&[path(&out), "--rule", "CT006=off"]);
    assert_eq!(rules_per_record(&report), expected);
    assert_eq!(code, 1);
    let expected_counts = counts(&expected);
    for rule in [
        "CT001", "CT002", "CT003", "CT004", "CT005", "CT007", "CT008", "CT009",
    ] {
        assert!(expected_counts.contains_key(rule), "{rule} is planted");
    }
    let (_, with_ct006) = check_json(&[path(&out)]);
    let ct006 = counts(&rules_per_record(&with_ct006))["CT006"];
    assert_eq!(ct006, manifest.len(), "every message is on a test exchange");

    // The tap printed the same findings live, one line each, and the same totals.
    let (status, stdout, stderr) = tap.wait(Duration::from_secs(20));
    assert_eq!(status.code(), Some(1), "{stderr}");
    let mut tapped = vec![BTreeSet::new(); manifest.len()];
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("<tap>:") else {
            continue;
        };
        let (number, finding) = rest.split_once(": ").unwrap();
        let number: usize = number.parse().unwrap();
        tapped[number - 1].insert(finding[..5].to_string());
    }
    assert_eq!(tapped, expected);
    let totals = report["summary"]["records"].as_u64().unwrap();
    let totals_line = format!(
        "{totals} records: {} conforming, {} violating, 0 unreadable",
        report["summary"]["conforming"], report["summary"]["violating"]
    );
    assert!(
        stdout.contains(&totals_line),
        "{totals_line:?} not in\n{stdout}"
    );
    // The SARIF tap: a result per finding, at the delivery's number.
    let (status, stdout, stderr) = tap_sarif.wait(Duration::from_secs(20));
    assert_eq!(status.code(), Some(1), "{stderr}");
    let log: Value = serde_json::from_str(&stdout).expect("a SARIF log");
    assert_eq!(log["version"], "2.1.0");
    let mut in_sarif = vec![BTreeSet::new(); manifest.len()];
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "%3Ctap%3E", "{result}");
        let number = location["region"]["startLine"].as_u64().unwrap() as usize;
        in_sarif[number - 1].insert(result["ruleId"].as_str().unwrap().to_string());
    }
    assert_eq!(in_sarif, expected);
    eprintln!(
        "mixed stream: {} messages, {base64_bodies} bodies in base64, planted {expected_counts:?}",
        manifest.len()
    );
}

#[test]
fn replay_publishes_a_recording_that_records_the_same() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let (original, manifest, _) = record_mixed(dir.path(), &mut topology);

    let exchange = topology.exchange();
    let out = dir.path().join("replayed.jsonl");
    let limit = manifest.len().to_string();
    let recorder = start_recording(&exchange, &out, &["--limit", &limit]);
    recorder.wait_bound();
    let rate = 2000.0;
    let start = Instant::now();
    let (status, _, stderr) = run_bounded(
        Command::new(CONTRACTS).args([
            "replay",
            path(&original),
            "--url",
            URL,
            "--exchange",
            &exchange,
            "--rate",
            "2000/s",
        ]),
        Duration::from_secs(20),
    );
    let took = start.elapsed();
    assert!(status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "replay: {} published and confirmed",
            manifest.len()
        )),
        "{stderr}"
    );
    let paced = Duration::from_secs_f64((manifest.len() - 1) as f64 / rate);
    assert!(took >= paced, "--rate: {took:?} < {paced:?}");
    let (status, _, stderr) = recorder.wait(Duration::from_secs(20));
    assert!(status.success(), "{stderr}");

    let before = read_recording(&original);
    let after = read_recording(&out);
    assert_eq!(after.len(), before.len());
    for (i, (a, b)) in before.iter().zip(&after).enumerate() {
        assert_eq!(a.body, b.body, "message {i}: body bytes");
        assert_eq!(a.embedded, b.embedded, "message {i}");
        assert_eq!(a.line["routingKey"], b.line["routingKey"], "message {i}");
        assert_eq!(a.line["properties"], b.line["properties"], "message {i}");
        assert_eq!(b.line["exchange"], exchange.as_str(), "message {i}");
    }
    // Replayed into a fresh exchange, the recording is the original, but for the exchange.
    assert_recording_matches(&after, &manifest, &exchange);

    // Nothing bound: every message comes back unroutable, and replay says so (exit 1).
    let unbound = topology.exchange();
    let (status, _, stderr) = run_bounded(
        publisher().args(["declare", "--url", URL, "--exchange", &unbound]),
        Duration::from_secs(20),
    );
    assert!(status.success(), "{stderr}");
    let (status, _, stderr) = run_bounded(
        Command::new(CONTRACTS).args([
            "replay",
            path(&original),
            "--url",
            URL,
            "--exchange",
            &unbound,
        ]),
        Duration::from_secs(20),
    );
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{} returned unroutable", manifest.len())),
        "{stderr}"
    );
}

/// Publishes `count` numbered messages in the background, confirmed and republished over a
/// lost connection.
fn publish_small(exchange: &str, count: usize, rate: u32) -> Process {
    Process::spawn(publisher().args([
        "small",
        "--url",
        URL,
        "--exchange",
        exchange,
        "--count",
        &count.to_string(),
        "--rate",
        &rate.to_string(),
        "--schemas",
        path(&schemas_dir()),
    ]))
}

/// The `seq` header of each line (but the `unfinished` one): which numbered message it is.
fn sequence_numbers(path: &Path, unfinished: Option<usize>) -> Vec<u64> {
    read_recording_but(path, unfinished)
        .iter()
        .map(|r| {
            let seq = &r.line["properties"]["headers"]["seq"];
            assert_eq!(seq["$amqp"], "i32", "{seq}");
            seq["value"].as_u64().unwrap()
        })
        .collect()
}

/// How many different messages of a numbered stream a recording holds so far.
fn distinct_sequence_numbers(path: &Path, unfinished: Option<usize>) -> usize {
    sequence_numbers(path, unfinished)
        .into_iter()
        .collect::<BTreeSet<u64>>()
        .len()
}

/// Loss and duplicates of a numbered stream: asserts nothing is missing, returns how many
/// lines are duplicates.
fn assert_none_lost(seqs: &[u64], count: usize) -> usize {
    let distinct: BTreeSet<u64> = seqs.iter().copied().collect();
    let missing: Vec<u64> = (0..count as u64)
        .filter(|s| !distinct.contains(s))
        .collect();
    assert!(
        missing.is_empty(),
        "lost {} messages: {missing:?}",
        missing.len()
    );
    assert_eq!(distinct.len(), count, "only the published numbers");
    seqs.len() - distinct.len()
}

fn queue_depth(queue: &str) -> u64 {
    let (status, stdout, stderr) = run_bounded(
        publisher().args(["depth", "--url", URL, "--queue", queue]),
        Duration::from_secs(20),
    );
    assert!(status.success(), "{stderr}");
    stdout.trim().parse().unwrap()
}

const NUMBERED: usize = 3000;

/// How long a publisher may take to publish what a test needs: a guard against a hang, not a
/// speed target, so it is generous: on a machine busy with builds, pika published 3,000 small
/// messages in over a minute.
const PUBLISHING_LIMIT: Duration = Duration::from_secs(300);

#[test]
fn a_recorder_killed_mid_stream_loses_nothing_from_a_durable_queue() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    let queue = topology.queue();
    let out = dir.path().join("killed.jsonl");
    let recorder = start_recording(&exchange, &out, &["--queue", &queue, "--prefetch", "200"]);
    recorder.wait_bound();
    let publishing = publish_small(&exchange, NUMBERED, 3000);
    wait_until(Duration::from_secs(30), "a third of the stream", || {
        line_count(&out) >= NUMBERED / 3
    });
    recorder.signal("-KILL");
    let (status, _, _) = recorder.wait(Duration::from_secs(5));
    assert_eq!(status.code(), None, "killed by a signal");
    let at_kill = line_count(&out);
    let written_at_kill = std::fs::read(&out).unwrap();
    // The kill may have cut the last line short; the next recorder keeps it, as line N + 1.
    let unfinished = (!written_at_kill.ends_with(b"\n")).then_some(at_kill + 1);

    let restarted = start_recording(&exchange, &out, &["--queue", &queue, "--prefetch", "200"]);
    restarted.wait_bound();
    let (status, published, stderr) = publishing.wait(PUBLISHING_LIMIT);
    assert!(status.success(), "{stderr}");
    wait_until(Duration::from_secs(30), "every message recorded", || {
        distinct_sequence_numbers(&out, unfinished) == NUMBERED
    });
    let (status, _, stderr) = restarted.terminate();
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("stopped by SIGTERM"), "{stderr}");
    assert_eq!(
        stderr.contains("unfinished"),
        unfinished.is_some(),
        "{stderr}"
    );
    let after = std::fs::read(&out).unwrap();
    assert!(
        after.starts_with(&written_at_kill),
        "what the killed recorder wrote is kept"
    );
    let duplicates = assert_none_lost(&sequence_numbers(&out, unfinished), NUMBERED);
    assert_eq!(
        queue_depth(&queue),
        0,
        "everything recorded was acknowledged"
    );
    eprintln!(
        "kill -9 after {at_kill} lines of {NUMBERED}: lost 0, duplicates {duplicates} \
         (publisher: {})",
        published.trim()
    );
}

/// Has the broker close the connection `process` (a `contracts command`) opened, and that one
/// only: the connection names its command and pid. Closing every connection would cut the
/// clients of other tests, and of other checkouts running theirs on the same broker.
fn close_connection_of(process: &Process, command: &str) {
    let named = format!("contracts {command} (pid {})", process.child.id());
    // The table, not JSON: close_connection takes the pid as the table writes it.
    let (status, listed, stderr) = run_bounded(
        Command::new("rabbitmqctl").args([
            "--quiet",
            "list_connections",
            "--no-table-headers",
            "pid",
            "client_properties",
        ]),
        Duration::from_secs(30),
    );
    assert!(status.success(), "rabbitmqctl: {stderr}");
    let ours: Vec<&str> = listed
        .lines()
        .filter(|line| line.contains(&named))
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(ours.len(), 1, "{named:?} among {listed}");
    let (status, _, stderr) = run_bounded(
        Command::new("rabbitmqctl").args(["close_connection", ours[0], "test"]),
        Duration::from_secs(30),
    );
    assert!(status.success(), "rabbitmqctl: {stderr}");
}

#[test]
fn a_connection_closed_by_the_broker_is_reopened_and_nothing_is_lost() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    let queue = topology.queue();
    let out = dir.path().join("reconnected.jsonl");
    let recorder = start_recording(&exchange, &out, &["--queue", &queue, "--prefetch", "200"]);
    recorder.wait_bound();
    let publishing = publish_small(&exchange, NUMBERED, 3000);
    wait_until(Duration::from_secs(30), "a third of the stream", || {
        line_count(&out) >= NUMBERED / 3
    });
    let at_close = line_count(&out);
    close_connection_of(&recorder, "record");
    recorder.wait_for_stderr("record: connection lost", Duration::from_secs(10));
    recorder.wait_for_stderr("record: reconnected", Duration::from_secs(20));
    let (status, published, stderr) = publishing.wait(PUBLISHING_LIMIT);
    assert!(status.success(), "{stderr}");
    wait_until(Duration::from_secs(30), "every message recorded", || {
        distinct_sequence_numbers(&out, None) == NUMBERED
    });
    let (status, _, stderr) = recorder.terminate();
    assert!(status.success(), "{stderr}");
    let duplicates = assert_none_lost(&sequence_numbers(&out, None), NUMBERED);
    assert_eq!(queue_depth(&queue), 0);
    eprintln!(
        "connection closed after {at_close} lines of {NUMBERED}: lost 0, duplicates \
         {duplicates} (publisher: {})",
        published.trim()
    );
}

#[test]
fn two_taps_on_one_queue_share_the_traffic_between_them() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    let queue = topology.queue();
    let outs = [dir.path().join("a.jsonl"), dir.path().join("b.jsonl")];
    let taps: Vec<Process> = outs
        .iter()
        .map(|out| {
            start_tap(
                &exchange,
                &["--queue", &queue, "--out", path(out), "--prefetch", "10"],
            )
        })
        .collect();
    for tap in &taps {
        tap.wait_bound();
    }
    let count = 2000;
    let (status, _, stderr) = publish_small(&exchange, count, 4000).wait(PUBLISHING_LIMIT);
    assert!(status.success(), "{stderr}");
    wait_until(
        Duration::from_secs(30),
        "the taps to take everything",
        || outs.iter().map(|out| line_count(out)).sum::<usize>() >= count,
    );
    let mut shares = Vec::new();
    for (tap, out) in taps.into_iter().zip(&outs) {
        let (status, stdout, stderr) = tap.terminate();
        let seqs: BTreeSet<u64> = sequence_numbers(out, None).into_iter().collect();
        assert_eq!(status.code(), Some(0), "{stdout}\n{stderr}");
        let totals = format!("{0} records: {0} conforming", seqs.len());
        assert!(stdout.contains(&totals), "{totals:?} not in\n{stdout}");
        shares.push(seqs);
    }
    assert!(
        shares.iter().all(|s| !s.is_empty()),
        "both taps took a share"
    );
    assert!(shares[0].is_disjoint(&shares[1]), "no message went to both");
    let union: BTreeSet<u64> = shares[0].union(&shares[1]).copied().collect();
    assert_eq!(union, (0..count as u64).collect());
    eprintln!(
        "two taps on one queue: {} + {} = {count}",
        shares[0].len(),
        shares[1].len()
    );
}

/// A durable queue bound (`#`) to a new exchange, holding `count` numbered messages that no
/// one has consumed yet.
fn queue_holding(topology: &mut Topology, count: usize) -> (String, String) {
    let exchange = topology.exchange();
    let queue = topology.queue();
    let (status, _, stderr) = run_bounded(
        publisher().args([
            "declare",
            "--url",
            URL,
            "--exchange",
            &exchange,
            "--queue",
            &queue,
        ]),
        Duration::from_secs(20),
    );
    assert!(status.success(), "{stderr}");
    let (status, _, stderr) = publish_small(&exchange, count, 100_000).wait(PUBLISHING_LIMIT);
    assert!(status.success(), "{stderr}");
    assert_eq!(queue_depth(&queue), count as u64, "published and queued");
    (exchange, queue)
}

/// How many messages a recorder that stopped on a write error says it acknowledged (each
/// once it was written).
fn acknowledged_before_the_write_error(stderr: &str) -> u64 {
    let count = stderr
        .split_once("stopped by a write error after acknowledging ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok());
    count.unwrap_or_else(|| panic!("no count of acknowledged messages on stderr:\n{stderr}"))
}

#[test]
fn a_recording_whose_reader_goes_away_stops_and_leaves_the_unwritten_messages_queued() {
    let _broker = broker();
    let mut topology = Topology::new();
    let (exchange, queue) = queue_holding(&mut topology, NUMBERED);
    // `contracts record --out - | head -n 1`: the reader takes one line and goes.
    let (recorder, stdout) = Process::spawn_keeping_stdout(Command::new(CONTRACTS).args([
        "record",
        "--url",
        URL,
        "--exchange",
        &exchange,
        "--queue",
        &queue,
        "--out",
        "-",
        "--duration",
        "10s",
    ]));
    let mut reader = BufReader::new(stdout);
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let line: Value = serde_json::from_str(&first)
        .unwrap_or_else(|e| panic!("{e}: {first:?}\n{}", recorder.stderr()));
    assert_eq!(line["exchange"], exchange.as_str());
    drop(reader);

    let (status, _, stderr) = recorder.wait(Duration::from_secs(30));
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("standard output"), "{stderr}");
    let acknowledged = acknowledged_before_the_write_error(&stderr);
    assert!(acknowledged < NUMBERED as u64, "it stopped early: {stderr}");
    assert_eq!(
        queue_depth(&queue),
        NUMBERED as u64 - acknowledged,
        "every message not acknowledged is still queued: {stderr}"
    );
}

#[test]
fn a_recording_file_that_cannot_be_written_stops_the_consumer_and_leaves_the_queue_whole() {
    let _broker = broker();
    for command in ["record", "tap"] {
        let mut topology = Topology::new();
        let count = 500;
        let (exchange, queue) = queue_holding(&mut topology, count);
        // Every write to /dev/full fails with ENOSPC, as on a full disk.
        let (status, _, stderr) = run_bounded(
            Command::new(CONTRACTS).args([
                command,
                "--url",
                URL,
                "--exchange",
                &exchange,
                "--queue",
                &queue,
                "--out",
                "/dev/full",
                "--duration",
                "10s",
            ]),
            Duration::from_secs(30),
        );
        assert_eq!(status.code(), Some(2), "{command}: {stderr}");
        assert!(stderr.contains("/dev/full"), "{command}: {stderr}");
        assert!(
            stderr.contains("No space left on device"),
            "{command}: {stderr}"
        );
        assert_eq!(
            acknowledged_before_the_write_error(&stderr),
            0,
            "{command}: {stderr}"
        );
        assert_eq!(
            queue_depth(&queue),
            count as u64,
            "{command}: nothing was acknowledged"
        );
    }
}

/// An AMQP short string can hold 255 bytes: this is one that cannot.
fn too_long(letter: char) -> String {
    std::iter::repeat_n(letter, 300).collect()
}

#[test]
fn names_too_long_for_amqp_are_usage_errors_that_name_the_argument() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    // Should a name slip through, nothing is declared on an exchange the other tests use.
    let exchange = topology.exchange();
    let out = dir.path().join("out.jsonl");
    let recording = dir.path().join("one.jsonl");
    std::fs::write(
        &recording,
        serde_json::json!({"exchange": exchange, "routingKey": "k", "body": 1}).to_string() + "\n",
    )
    .unwrap();
    let long = too_long('n');
    let long_vhost = format!("amqp://guest:guest@127.0.0.1:5672/{long}");
    let record = ["record", "--out", path(&out)];
    let tap = ["tap"];
    let replay = ["replay", path(&recording)];
    let mut cases: Vec<(Vec<&str>, &str)> = Vec::new();
    for command in [&record[..], &tap[..]] {
        for flag in ["--exchange", "--queue", "--binding"] {
            let mut args = command.to_vec();
            if flag != "--exchange" {
                args.extend(["--exchange", exchange.as_str()]);
            }
            args.extend([flag, long.as_str()]);
            cases.push((args, flag));
        }
        let mut args = command.to_vec();
        args.extend(["--exchange", exchange.as_str(), "--url", &long_vhost]);
        cases.push((args, "--url"));
    }
    cases.push((
        replay
            .iter()
            .copied()
            .chain(["--exchange", &long])
            .collect(),
        "--exchange",
    ));
    cases.push((
        replay
            .iter()
            .copied()
            .chain(["--url", &long_vhost])
            .collect(),
        "--url",
    ));
    for (args, flag) in cases {
        let (status, _, stderr) =
            run_bounded(Command::new(CONTRACTS).args(&args), Duration::from_secs(20));
        let case = format!("{} {flag}", args[0]);
        assert_eq!(status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains(flag), "{case}: {stderr}");
        assert!(stderr.contains("300 bytes"), "{case}: {stderr}");
        assert!(
            !stderr.contains("guest:guest"),
            "{case}: no password: {stderr}"
        );
    }
    assert!(!out.exists(), "nothing was recorded");
}

/// A recording line to `exchange` with routing key `key` and these properties.
fn recording_line(exchange: &str, key: &str, properties: Value) -> String {
    serde_json::json!({
        "exchange": exchange, "routingKey": key, "properties": properties, "body": {"n": 1}
    })
    .to_string()
}

#[test]
fn replay_checks_every_short_string_of_the_file_before_publishing_and_check_flags_the_same_lines() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    let queue = topology.queue();
    let (status, _, stderr) = run_bounded(
        publisher().args([
            "declare",
            "--url",
            URL,
            "--exchange",
            &exchange,
            "--queue",
            &queue,
        ]),
        Duration::from_secs(20),
    );
    assert!(status.success(), "{stderr}");
    let long = too_long('k');
    let mut lines = vec![recording_line(&exchange, "fine", serde_json::json!({}))];
    // Each bad line, with what its message must name.
    let mut bad: Vec<(usize, &str)> = Vec::new();
    let mut push_bad = |lines: &mut Vec<String>, line: String, names: &'static str| {
        lines.push(line);
        bad.push((lines.len(), names));
    };
    push_bad(
        &mut lines,
        recording_line(&exchange, &long, serde_json::json!({})),
        "routingKey",
    );
    push_bad(
        &mut lines,
        recording_line(&long, "fine", serde_json::json!({})),
        "exchange",
    );
    for property in [
        "contentType",
        "contentEncoding",
        "messageId",
        "appId",
        "type",
        "userId",
        "correlationId",
        "replyTo",
        "expiration",
        "clusterId",
    ] {
        push_bad(
            &mut lines,
            recording_line(&exchange, "fine", serde_json::json!({ property: long })),
            property,
        );
    }
    push_bad(
        &mut lines,
        recording_line(
            &exchange,
            "fine",
            serde_json::json!({"headers": {&long: 1}}),
        ),
        "header",
    );
    push_bad(
        &mut lines,
        recording_line(
            &exchange,
            "fine",
            serde_json::json!({"headers": {"outer": [{"$amqp": "table", "value": {&long: true}}]}}),
        ),
        "header",
    );
    lines.push(recording_line(
        &exchange,
        "fine",
        serde_json::json!({"headers": {"ok": 1}}),
    ));
    let file = dir.path().join("long-names.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();

    let (status, _, stderr) = run_bounded(
        Command::new(CONTRACTS).args(["replay", path(&file), "--url", URL]),
        Duration::from_secs(30),
    );
    assert_eq!(status.code(), Some(2), "{stderr}");
    for (number, names) in &bad {
        let at = format!("{}:{number}: ", path(&file));
        let reported = stderr.lines().find(|line| line.contains(&at));
        let reported = reported.unwrap_or_else(|| panic!("no {at:?} in\n{stderr}"));
        assert!(reported.contains(names), "{names}: {reported}");
        assert!(reported.contains("300 bytes"), "{reported}");
    }
    for good in [1, lines.len()] {
        let at = format!("{}:{good}: ", path(&file));
        assert!(!stderr.contains(&at), "line {good} is fine:\n{stderr}");
    }
    assert!(stderr.contains("nothing was published"), "{stderr}");
    assert_eq!(queue_depth(&queue), 0, "nothing was published");

    let (code, report) = check_json(&[path(&file)]);
    assert_eq!(code, 1);
    let flagged: Vec<usize> = rules_per_record(&report)
        .iter()
        .enumerate()
        .filter(|(_, rules)| rules.contains("CT011"))
        .map(|(i, _)| i + 1)
        .collect();
    let refused: Vec<usize> = bad.iter().map(|(number, _)| *number).collect();
    assert_eq!(flagged, refused, "check flags the lines replay refuses");
}

#[test]
fn record_leaves_a_file_that_is_not_a_recording_as_it_is() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    for (name, content) in [
        ("settings.conf", "retries = 3"),
        ("notes.txt", "first line\nsecond line\n"),
        ("events.jsonl", "{\"id\":1}\n{\"id\":2}\n"),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, content).unwrap();
        let recorder = start_recording(&exchange, &file, &["--duration", "2s"]);
        let (status, _, stderr) = recorder.wait(Duration::from_secs(20));
        assert_eq!(status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(path(&file)), "{name}: {stderr}");
        assert!(stderr.contains("not a recording"), "{name}: {stderr}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            content,
            "{name} is untouched"
        );
    }
}

#[test]
fn record_appends_after_an_unfinished_last_line_and_keeps_it() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    let complete = recording_line(&exchange, "earlier", serde_json::json!({})) + "\n";
    let unfinished = format!("{{\"exchange\":\"{exchange}\",\"routingKey\":\"cut");
    // A recording whose last line a killed recorder left unfinished, and one with nothing but
    // such a line.
    for (name, before) in [
        ("two-lines.jsonl", format!("{complete}{unfinished}")),
        ("cut-first-line.jsonl", unfinished.clone()),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, &before).unwrap();
        let count = 3;
        let recorder = start_recording(&exchange, &file, &["--limit", &count.to_string()]);
        recorder.wait_bound();
        let (status, _, stderr) =
            publish_small(&exchange, count, 1000).wait(Duration::from_secs(30));
        assert!(status.success(), "{stderr}");
        let (status, _, stderr) = recorder.wait(Duration::from_secs(20));
        assert!(status.success(), "{name}: {stderr}");
        assert!(stderr.contains("unfinished"), "{name}: {stderr}");
        let after = std::fs::read_to_string(&file).unwrap();
        let appended = after
            .strip_prefix(&format!("{before}\n"))
            .unwrap_or_else(|| panic!("{name}: what was there is kept, then a newline:\n{after}"));
        assert_eq!(appended.lines().count(), count, "{name}: {appended}");
        for line in appended.lines() {
            let line: Value = serde_json::from_str(line).unwrap();
            assert_eq!(line["exchange"], exchange.as_str());
        }
    }
}

#[test]
fn replay_to_an_exchange_that_does_not_exist_says_so_and_publishes_nothing() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    let queue = topology.queue();
    let (status, _, stderr) = run_bounded(
        publisher().args([
            "declare",
            "--url",
            URL,
            "--exchange",
            &exchange,
            "--queue",
            &queue,
        ]),
        Duration::from_secs(20),
    );
    assert!(status.success(), "{stderr}");
    let missing = topology.exchange();
    // Far more lines than the confirms in flight: the refusal must not drown in the
    // publications after it.
    let lines: Vec<String> = (0..NUMBERED)
        .map(|i| {
            let to = if i < NUMBERED / 2 {
                &exchange
            } else {
                &missing
            };
            recording_line(to, "k", serde_json::json!({}))
        })
        .collect();
    let file = dir.path().join("two-exchanges.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let said = format!("exchange {missing} does not exist on the broker");

    let (status, _, stderr) = run_bounded(
        Command::new(CONTRACTS).args(["replay", path(&file), "--url", URL]),
        Duration::from_secs(30),
    );
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&said), "{stderr}");
    assert_eq!(queue_depth(&queue), 0, "nothing was published");

    let (status, _, stderr) = run_bounded(
        Command::new(CONTRACTS).args(["replay", path(&file), "--url", URL, "--exchange", &missing]),
        Duration::from_secs(30),
    );
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&said), "{stderr}");
}

#[test]
fn replay_refuses_nan_and_infinite_float_headers_before_publishing_and_check_flags_them() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    let queue = topology.queue();
    let (status, _, stderr) = run_bounded(
        publisher().args([
            "declare",
            "--url",
            URL,
            "--exchange",
            &exchange,
            "--queue",
            &queue,
        ]),
        Duration::from_secs(20),
    );
    assert!(status.success(), "{stderr}");
    let headers = |headers: Value| serde_json::json!({ "headers": headers });
    let lines = [
        recording_line(
            &exchange,
            "k",
            headers(serde_json::json!({"f": {"$amqp": "f64", "value": 1.5}})),
        ),
        recording_line(
            &exchange,
            "k",
            headers(serde_json::json!({"ratio": {"$amqp": "f64", "value": "NaN"}})),
        ),
        recording_line(
            &exchange,
            "k",
            headers(
                serde_json::json!({"nested": [{"limit": {"$amqp": "f32", "value": "-Infinity"}}]}),
            ),
        ),
        recording_line(
            &exchange,
            "k",
            headers(
                serde_json::json!({"odd": {"$amqp": "f64", "value": "NaN:0x7ff8000000000001"}}),
            ),
        ),
        recording_line(&exchange, "k", serde_json::json!({})),
    ];
    let file = dir.path().join("floats.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();

    let (status, _, stderr) = run_bounded(
        Command::new(CONTRACTS).args(["replay", path(&file), "--url", URL]),
        Duration::from_secs(30),
    );
    assert_eq!(status.code(), Some(2), "{stderr}");
    for (number, header, value) in [
        (2, "ratio", "NaN"),
        (3, "limit", "-Infinity"),
        (4, "odd", "NaN"),
    ] {
        let at = format!("{}:{number}: ", path(&file));
        let reported = stderr.lines().find(|line| line.contains(&at));
        let reported = reported.unwrap_or_else(|| panic!("no {at:?} in\n{stderr}"));
        assert!(
            reported.contains(header) && reported.contains(value),
            "{reported}"
        );
    }
    for fine in [1, 5] {
        assert!(
            !stderr.contains(&format!("{}:{fine}: ", path(&file))),
            "{stderr}"
        );
    }
    assert_eq!(queue_depth(&queue), 0, "nothing was published");

    let (_, report) = check_json(&[path(&file)]);
    let flagged: Vec<usize> = rules_per_record(&report)
        .iter()
        .enumerate()
        .filter(|(_, rules)| rules.contains("CT011"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(flagged, [2, 3, 4], "check flags the lines replay refuses");
}

#[test]
fn replay_says_why_the_broker_closed_its_channel() {
    let _broker = broker();
    let dir = tempfile::tempdir().unwrap();
    let mut topology = Topology::new();
    let exchange = topology.exchange();
    let (status, _, stderr) = run_bounded(
        publisher().args(["declare", "--url", URL, "--exchange", &exchange]),
        Duration::from_secs(20),
    );
    assert!(status.success(), "{stderr}");
    // RabbitMQ closes the channel of a publisher that claims to be another user.
    let line = recording_line(
        &exchange,
        "k",
        serde_json::json!({"userId": "someone-else"}),
    );
    let file = dir.path().join("other-user.jsonl");
    std::fs::write(&file, format!("{line}\n").repeat(NUMBERED)).unwrap();
    let (status, _, stderr) = run_bounded(
        Command::new(CONTRACTS).args(["replay", path(&file), "--url", URL]),
        Duration::from_secs(30),
    );
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("PRECONDITION_FAILED"), "{stderr}");
    assert!(stderr.contains("someone-else"), "{stderr}");
}
