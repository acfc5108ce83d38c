//! Input that a capture tool, a pipe or a disk got wrong, through the `contracts` binary: every
//! record is still accounted for, each bad one is named with its file, line and cause, and the
//! run goes on reading.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
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
        .arg(Path::new(CRATE_DIR).join("tests/fixtures/lint/clean"))
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
        .arg(Path::new(CRATE_DIR).join("tests/fixtures/lint/clean"))
        .arg("--config")
        .arg(&config)
        .assert()
        .code(0);
}
