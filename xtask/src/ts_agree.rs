//! `cargo xtask ts-agree [--events N]`: the Rust crate and the TypeScript package must give the
//! same verdict on every record of one corpus: N records of `gen-traffic` (about 1% with a
//! planted problem), every documented example, and edge cases made from the valid examples (a
//! string or number of each field swapped for a tricky one, repeated keys, nesting at serde_json's
//! limit, bytes that are not UTF-8...). The Rust verdicts come from `coder_events::check_slice`
//! (`conformance/examples/verdicts.rs`), the TypeScript ones from `parseEvent` on the same bytes
//! (`codegen/typescript/verdicts.mjs`). The format checks are compared on their own too, on the
//! JSON-Schema-Test-Suite's strings and thousands of near misses. `cargo xtask ci` runs it on
//! 20,000 generated records.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use codegen::examples::{self, Expected};
use codegen::synth::Rng;
use serde_json::Value;

use crate::gen_traffic::{Format, Generator, Sources};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many records of generated traffic the corpus starts with.
    #[arg(long, default_value_t = 100_000)]
    pub events: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Where a record of the corpus comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Traffic,
    Example,
    EdgeCase,
}

impl Origin {
    fn label(self) -> &'static str {
        match self {
            Origin::Traffic => "generated records",
            Origin::Example => "documented examples",
            Origin::EdgeCase => "edge cases",
        }
    }
}

/// What each side said of one record.
#[derive(Debug)]
struct Verdicts {
    conforms: bool,
    /// Rust's first violation: kind, instancePath, keyword.
    rust_first: Option<(String, String, String)>,
    /// Every TypeScript violation, the same three.
    typescript: Vec<(String, String, String)>,
}

pub fn run(args: &Args) -> Result<()> {
    let root = crate::root::project_root()?;
    let started = Instant::now();
    let schemas = root.join(codegen::tree::SCHEMAS_DIR);
    crate::typescript::ensure_built(&root)?;
    let scratch = tempfile::Builder::new()
        .prefix("contracts-ts-agree-")
        .tempdir()
        .context("creating a scratch directory")?;

    let records = corpus(&schemas, args)?;
    let corpus_file = scratch.path().join("corpus.jsonl");
    let mut bytes = Vec::new();
    for (_, record) in &records {
        bytes.extend_from_slice(record);
        bytes.push(b'\n');
    }
    std::fs::write(&corpus_file, &bytes)?;

    let rust = run_lines(
        Command::new(env!("CARGO"))
            .args([
                "run",
                "--quiet",
                "-p",
                "conformance",
                "--example",
                "verdicts",
                "--",
            ])
            .arg(&corpus_file),
        &root,
    )?;
    let typescript = run_lines(
        Command::new("node")
            .arg(
                root.join(crate::typescript::TOOLCHAIN_DIR)
                    .join("verdicts.mjs"),
            )
            .arg("events")
            .arg(&corpus_file),
        &root,
    )?;
    ensure!(
        rust.len() == records.len() && typescript.len() == records.len(),
        "{} records, but {} Rust and {} TypeScript verdicts",
        records.len(),
        rust.len(),
        typescript.len()
    );

    let mut per_origin: BTreeMap<Origin, (u64, u64)> = BTreeMap::new();
    let mut disagreements = Vec::new();
    let (mut rejected, mut first_listed) = (0u64, 0u64);
    for (i, ((origin, record), (rust, typescript))) in
        records.iter().zip(rust.iter().zip(&typescript)).enumerate()
    {
        let verdicts = read_verdicts(rust, typescript)
            .with_context(|| format!("record {}: {rust} / {typescript}", i + 1))?;
        let counts = per_origin.entry(*origin).or_default();
        counts.0 += 1;
        match verdicts {
            Some(v) => {
                if !v.conforms {
                    counts.1 += 1;
                    rejected += 1;
                    if v.rust_first
                        .as_ref()
                        .is_some_and(|f| v.typescript.contains(f))
                    {
                        first_listed += 1;
                    }
                }
            }
            None => disagreements.push(format!(
                "record {} ({}): Rust {rust}, TypeScript {typescript}: {}",
                i + 1,
                origin.label(),
                preview(record)
            )),
        }
    }

    let formats = compare_formats(&root, scratch.path(), args.seed)?;

    for (origin, (count, rejected)) in &per_origin {
        eprintln!(
            "ts-agree: {count} {} ({rejected} rejected by both)",
            origin.label()
        );
    }
    eprintln!(
        "ts-agree: Rust's first violation (kind, instancePath, keyword) is among TypeScript's on {first_listed} of {rejected} rejected records"
    );
    eprintln!(
        "ts-agree: {} format strings ({}) checked by both",
        formats.checked,
        formats
            .per_format
            .iter()
            .map(|(f, n)| format!("{f} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !disagreements.is_empty() || !formats.disagreements.is_empty() {
        let total = disagreements.len() + formats.disagreements.len();
        let shown: Vec<String> = disagreements
            .iter()
            .chain(&formats.disagreements)
            .take(20)
            .cloned()
            .collect();
        bail!(
            "Rust and TypeScript disagree on {total} record(s) or string(s):\n  {}",
            shown.join("\n  ")
        );
    }
    eprintln!(
        "ts-agree: identical verdicts on all {} records and {} format strings in {:.1?}",
        records.len(),
        formats.checked,
        started.elapsed()
    );
    Ok(())
}

/// The verdicts of one record, or None when they differ.
fn read_verdicts(rust: &str, typescript: &str) -> Result<Option<Verdicts>> {
    let rust: Value = serde_json::from_str(rust).context("a Rust verdict")?;
    let typescript: Value = serde_json::from_str(typescript).context("a TypeScript verdict")?;
    let conforms = |v: &Value| v["conforms"].as_bool().context("conforms is a boolean");
    let (rust_conforms, typescript_conforms) = (conforms(&rust)?, conforms(&typescript)?);
    if rust_conforms != typescript_conforms {
        return Ok(None);
    }
    let triple = |v: &Value| {
        let field = |name: &str| v[name].as_str().unwrap_or_default().to_string();
        (field("kind"), field("instancePath"), field("keyword"))
    };
    Ok(Some(Verdicts {
        conforms: rust_conforms,
        rust_first: (!rust_conforms).then(|| triple(&rust)),
        typescript: typescript["violations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(triple)
            .collect(),
    }))
}

/// Runs a command in `dir` and returns its standard output's lines.
fn run_lines(command: &mut Command, dir: &Path) -> Result<Vec<String>> {
    let output = command
        .current_dir(dir)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {command:?}"))?;
    ensure!(
        output.status.success(),
        "{command:?} exited with {}",
        output.status
    );
    let text = String::from_utf8(output.stdout).context("verdicts are UTF-8")?;
    Ok(text.lines().map(String::from).collect())
}

fn preview(record: &[u8]) -> String {
    let text = String::from_utf8_lossy(record);
    let mut cut: String = text.chars().take(300).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

/// Generated traffic, the examples, and the edge cases made from the valid examples.
fn corpus(schemas: &Path, args: &Args) -> Result<Vec<(Origin, Vec<u8>)>> {
    let mut records = Vec::new();
    let sources = Sources::load(schemas)?;
    let mut generator = Generator::new(&sources, Format::Plain, args.seed, 100);
    for _ in 0..args.events {
        records.push((Origin::Traffic, generator.next_record().0.into_bytes()));
    }
    let (examples, unreadable) = examples::load_all(schemas).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(error) = unreadable.first() {
        bail!("{error}");
    }
    for example in &examples {
        // One line each: the event as compact JSON (an example file is pretty-printed).
        records.push((Origin::Example, serde_json::to_vec(&example.event)?));
    }
    for example in examples
        .iter()
        .filter(|e| matches!(e.expected, Expected::Valid))
    {
        for record in edge_cases(&example.event)? {
            records.push((Origin::EdgeCase, record));
        }
    }
    Ok(records)
}

/// Strings that validators are known to read differently: code points beyond the BMP against
/// length limits, ECMA-262's `\s` against Unicode's White_Space, `$` before a final newline,
/// lower-case `t`/`z` and leap seconds in date-times, uuids without hyphens or with braces.
fn tricky_strings() -> Vec<String> {
    let mut strings: Vec<String> = [
        "",
        " ",
        "a",
        "abc\n",
        "a-b",
        "-a",
        "A",
        "s3://bucket/key",
        "s3://bucket/\u{a0}key",
        "s3://bucket/\u{85}key",
        "s3://bucket/\u{2028}key",
        "s3://bucket/\u{feff}key",
        "s3://bucket/\u{180e}key",
        "s3://bucket/\u{3000}key",
        "https://x/\u{1680}",
        "gs://b/k\u{b}",
        "ftp://x",
        "550e8400-e29b-41d4-a716-446655440000",
        "550E8400-E29B-41D4-A716-446655440000",
        "550e8400e29b41d4a716446655440000",
        "{550e8400-e29b-41d4-a716-446655440000}",
        "550e8400-e29b-41d4-a716-44665544000g",
        "2026-01-23T10:00:00Z",
        "2026-01-23t10:00:00z",
        "2026-01-23T10:00:00.123456789+05:30",
        "2026-01-23T10:00:00",
        "2026-01-23 10:00:00Z",
        "1998-12-31T23:59:60Z",
        "1998-12-31T15:59:60-08:00",
        "1998-12-31T23:59:60+01:00",
        "2026-02-29T10:00:00Z",
        "2024-02-29T10:00:00Z",
        "2026-01-23T24:00:00Z",
        "2026-01-23T10:00:00+24:00",
        "\u{1F600}",
        "e\u{301}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Length limits of 1 to 4001 characters, counted in code points.
    for n in [
        2, 50, 51, 100, 101, 200, 201, 500, 501, 1000, 1001, 4000, 4001,
    ] {
        strings.push("\u{1F600}".repeat(n));
        strings.push("x".repeat(n));
    }
    strings
}

/// Number spellings serde_json and `JSON.parse` read differently, or that sit on a bound.
const TRICKY_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1.0",
    "1e2",
    "1E+2",
    "1.5",
    "-1",
    "0.1",
    "1e400",
    "-1e400",
    "1e-400",
    "9007199254740993",
    "18446744073709551616",
    "100000000000000000000000",
    "1.7976931348623157e308",
    "2147483648",
    "86400",
    "86401",
];

/// Records made from one valid event: each string and number swapped for tricky ones, then
/// changes to the document as a whole.
fn edge_cases(event: &Value) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    // A marker no event holds, replaced in the text by the raw spelling of a number.
    const MARK: &str = "\u{1}number\u{1}";
    let strings = tricky_strings();
    for (pointer, leaf) in leaves(event, String::new()) {
        let with_leaf = |replacement: Value| -> Result<String> {
            let mut copy = event.clone();
            *copy.pointer_mut(&pointer).expect("a leaf of the event") = replacement;
            Ok(serde_json::to_string(&copy)?)
        };
        match leaf {
            Value::String(_) => {
                for s in &strings {
                    out.push(with_leaf(Value::String(s.clone()))?.into_bytes());
                }
            }
            Value::Number(_) => {
                let text = with_leaf(Value::String(MARK.into()))?;
                let quoted = serde_json::to_string(MARK)?;
                for n in TRICKY_NUMBERS {
                    out.push(text.replace(&quoted, n).into_bytes());
                }
            }
            _ => {}
        }
    }
    let text = serde_json::to_string(event)?;
    let Some(body) = text.strip_prefix('{') else {
        return Ok(out);
    };
    let with_member = |member: &str| format!("{{{member},{body}").into_bytes();
    if let Some(Value::String(id)) = event.get("id") {
        // Repeated keys: the same spelling, an escaped spelling, a different value first.
        out.push(with_member(&format!(
            "\"id\":{}",
            Value::String(id.clone())
        )));
        out.push(with_member(&format!(
            "\"\\u0069d\":{}",
            Value::String(id.clone())
        )));
    }
    if let Some(Value::String(t)) = event.get("type") {
        out.push(with_member(&format!("\"type\":\"{t}.unknown\"")));
    }
    if let Some(Value::Object(data)) = event.get("data") {
        if let Some((key, value)) = data.iter().next() {
            let nested = text.replacen(
                "\"data\":{",
                &format!("\"data\":{{{}:{value},", Value::String(key.clone())),
                1,
            );
            out.push(nested.into_bytes());
        }
    }
    // Members the schema does not list are allowed, so their content alone decides.
    for depth in 124..=129 {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        out.push(with_member(&format!("\"extra\":{nested}")));
        let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        out.push(with_member(&format!("\"extra\":{objects}")));
    }
    for extra in [
        r#""\ud800""#,
        r#""\udc00""#,
        r#""\ud83d\ude00""#,
        r#""\ud800\n""#,
        r#""\ud800\u0041""#,
        "1e400",
        "-1e309",
        "1e-400",
        r#"{"k":1,"k":2}"#,
        r#"[{"k":1},{"k":1}]"#,
        r#"{"k":1,"\u006b":1}"#,
        r#""\u0000""#,
    ] {
        out.push(with_member(&format!("\"extra\":{extra}")));
    }
    // The whole document: a byte order mark, bytes that are not UTF-8, whitespace, a cut.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(text.as_bytes());
    out.push(bom);
    out.push(
        with_member("\"extra\":\"\u{1}\"")
            .into_iter()
            .map(|b| if b == 1 { 0xff } else { b })
            .collect(),
    );
    out.push(format!(" \t{text}\r ").into_bytes());
    out.push(format!("{text} x").into_bytes());
    out.push(format!("[{text}]").into_bytes());
    Ok(out)
}

/// Every string and number in `value`, with its JSON pointer.
fn leaves(value: &Value, pointer: String) -> Vec<(String, &Value)> {
    let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| leaves(v, format!("{pointer}/{}", escape(k))))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, v)| leaves(v, format!("{pointer}/{i}")))
            .collect(),
        Value::String(_) | Value::Number(_) => vec![(pointer, value)],
        _ => Vec::new(),
    }
}

/// What comparing the format checks found.
struct FormatAgreement {
    checked: usize,
    per_format: BTreeMap<&'static str, usize>,
    disagreements: Vec<String>,
}

/// The Rust engine's check of a format, by name.
fn rust_check(format: &str) -> Option<fn(&str) -> bool> {
    use codegen::engine::formats as f;
    Some(match format {
        "uuid" => f::is_uuid,
        "date-time" => f::is_date_time,
        "date" => f::is_date,
        "time" => f::is_time,
        "ipv4" => f::is_ipv4,
        "ipv6" => f::is_ipv6,
        _ => return None,
    })
}

/// The suite's files of format cases, for each format the engine asserts.
fn suite_files(format: &str) -> PathBuf {
    let dir = if format == "uuid" {
        "draft2019-09"
    } else {
        "draft7"
    };
    crate::root::project_root()
        .unwrap_or_default()
        .join("../shared/json-schema-test-suite/tests")
        .join(dir)
        .join(format!("optional/format/{format}.json"))
}

/// Compares the format checks on the suite's strings, the tricky strings above and seeded near
/// misses of every string the suite or the Rust check accepts.
fn compare_formats(root: &Path, scratch: &Path, seed: u64) -> Result<FormatAgreement> {
    let mut cases: Vec<(&'static str, String)> = Vec::new();
    let mut per_format = BTreeMap::new();
    let mut rng = Rng::new(seed);
    const ALPHABET: &[char] = &[
        '0',
        '1',
        '5',
        '9',
        'a',
        'f',
        'g',
        'A',
        'F',
        'G',
        ':',
        '-',
        '.',
        '+',
        'T',
        't',
        'Z',
        'z',
        ' ',
        '\u{e9}',
        '\u{663}',
        '\u{ff11}',
        '\u{1F600}',
        '\n',
        '%',
        '[',
    ];
    for &format in codegen::engine::keywords::FORMATS {
        let check = rust_check(format).with_context(|| {
            format!("the engine asserts format {format} but this check does not know it")
        })?;
        let file = suite_files(format);
        let text = std::fs::read_to_string(&file).with_context(|| {
            format!(
                "reading {} (the JSON-Schema-Test-Suite, which CI has at ../shared/json-schema-test-suite)",
                file.display()
            )
        })?;
        let groups: Value = serde_json::from_str(&text)?;
        let mut seeds: Vec<String> = groups
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|g| g["tests"].as_array().into_iter().flatten())
            .filter_map(|t| t["data"].as_str().map(String::from))
            .collect();
        seeds.extend(
            tricky_strings()
                .into_iter()
                .filter(|s| s.chars().count() < 60),
        );
        let mut strings = seeds.clone();
        for seed in seeds.iter().filter(|s| check(s) || s.len() > 6) {
            let chars: Vec<char> = seed.chars().collect();
            for _ in 0..40 {
                let mut mutated = chars.clone();
                let at = rng.below(mutated.len().max(1) as u64) as usize;
                let pick = ALPHABET[rng.below(ALPHABET.len() as u64) as usize];
                match rng.below(4) {
                    0 if !mutated.is_empty() => {
                        mutated.remove(at);
                    }
                    1 => mutated.insert(at.min(mutated.len()), pick),
                    2 if !mutated.is_empty() => mutated[at] = pick,
                    _ if !mutated.is_empty() => {
                        let c = mutated[at];
                        mutated[at] = if c.is_ascii_uppercase() {
                            c.to_ascii_lowercase()
                        } else {
                            c.to_ascii_uppercase()
                        };
                    }
                    _ => {}
                }
                strings.push(mutated.into_iter().collect());
            }
        }
        strings.sort();
        strings.dedup();
        per_format.insert(format, strings.len());
        cases.extend(strings.into_iter().map(|s| (format, s)));
    }
    let file = scratch.join("formats.jsonl");
    let lines: Vec<String> = cases
        .iter()
        .map(|(format, value)| serde_json::json!({ "format": format, "value": value }).to_string())
        .collect();
    std::fs::write(&file, lines.join("\n") + "\n")?;
    let answers = run_lines(
        Command::new("node")
            .arg(
                root.join(crate::typescript::TOOLCHAIN_DIR)
                    .join("verdicts.mjs"),
            )
            .arg("formats")
            .arg(&file),
        root,
    )?;
    ensure!(
        answers.len() == cases.len(),
        "{} format strings, {} answers",
        cases.len(),
        answers.len()
    );
    let mut disagreements = Vec::new();
    for ((format, value), answer) in cases.iter().zip(&answers) {
        let rust = rust_check(format).expect("checked above")(value);
        if answer != if rust { "true" } else { "false" } {
            disagreements.push(format!(
                "format {format} {value:?}: Rust {rust}, TypeScript {answer}"
            ));
        }
    }
    Ok(FormatAgreement {
        checked: cases.len(),
        per_format,
        disagreements,
    })
}
