//! The engine's fast reader against serde_json's reading: on every document, both accept or
//! both reject it, and build the same tape (nodes, strings, repeated keys, content hashes).
//! The documents are every example of the catalog, events synthesized for every contract and
//! their mutations, written compact and pretty, and a corpus of what parsers disagree on.

use std::path::{Path, PathBuf};

use codegen::engine::hash::content_hash;
use codegen::engine::Tape;
use codegen::synth::{Rng, Synth};

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// What a tape holds, to compare: every node, each string's text, the repeated key, and the
/// content hash of every value (the fast reader's worked out as it read, serde_json's by a
/// walk over the tape after).
fn contents(tape: &Tape, input: &[u8]) -> String {
    let view = tape.view(input);
    let mut out = String::new();
    for at in 0..view.len() {
        out.push_str(&format!(
            "{:?} {:?} {:x}\n",
            view.node(at),
            view.str(at),
            content_hash(&view, at)
        ));
    }
    out.push_str(&format!("{:?}", view.duplicate_key(0)));
    out
}

/// Reads `input` both ways; returns whether the fast reader took it.
fn assert_same(input: &[u8], fast: &mut Tape, serde: &mut Tape) -> bool {
    let by_serde = serde
        .read_with_serde(input)
        .map(|()| contents(serde, input))
        .map_err(|e| e.to_string());
    let taken = fast.read_fast(input);
    if taken {
        let shown = String::from_utf8_lossy(input);
        let Ok(expected) = &by_serde else {
            panic!("{shown}: the fast reader took what serde_json rejects: {by_serde:?}")
        };
        assert_eq!(&contents(fast, input), expected, "{shown}");
    }
    // And `read`, whichever reader it used, is serde_json's verdict.
    let by_read = fast
        .read(input)
        .map(|()| contents(fast, input))
        .map_err(|e| e.to_string());
    assert_eq!(by_read, by_serde);
    taken
}

/// Documents parsers disagree on, or that sit at the edge of what the fast reader takes.
fn edge_documents() -> Vec<Vec<u8>> {
    let mut docs: Vec<String> = Vec::new();
    let numbers = [
        "0",
        "-0",
        "1",
        "-1",
        "01",
        "-01",
        "1.",
        ".5",
        "1.0",
        "-0.0",
        "1e5",
        "1E+5",
        "-1e-5",
        "1e400",
        "-1e400",
        "1e-400",
        "2.5e-308",
        "4.9e-324",
        "1.7976931348623157e308",
        "0.1",
        "18446744073709551615",
        "18446744073709551616",
        "9223372036854775807",
        "-9223372036854775808",
        "-9223372036854775809",
        "1234567890123456789",
        "12345678901234567890",
        "123456789012345678901234",
        "1e",
        "1e+",
        "-",
        "+1",
        "1.5e3",
        "8.0",
        "1e2",
        "0e0",
        "00",
        "1_0",
        "NaN",
        "Infinity",
        "0x10",
    ];
    for n in numbers {
        docs.push(n.to_string());
        docs.push(format!("{{\"n\":{n}}}"));
        docs.push(format!("[{n},{n}]"));
    }
    let strings = [
        r#""""#,
        r#""a""#,
        r#""\"""#,
        r#""\\""#,
        r#""\u0041""#,
        r#""\ud83d\ude00""#,
        r#""\ud83d""#,
        r#""\x""#,
        "\"tab\there\"",
        "\"nl\nhere\"",
        "\"é\"",
        "\"\u{1F600}\"",
        "\"\u{7f}\"",
        "\"unterminated",
        r#""a\/b""#,
    ];
    for s in strings {
        docs.push(s.to_string());
        docs.push(format!("{{{s}:1}}"));
        docs.push(format!("{{\"k\":{s}}}"));
    }
    let structural = [
        "",
        " ",
        "{}",
        "[]",
        "{ }",
        "[ ]",
        " {\"a\" : [ 1 , 2 ] } ",
        "{\"a\":1,}",
        "[1,]",
        "[,1]",
        "{\"a\" 1}",
        "{\"a\":1 \"b\":2}",
        "{1:2}",
        "true",
        "false",
        "null",
        "tru",
        "nul",
        "truex",
        "[true false]",
        "{} {}",
        "{}x",
        "\u{feff}{}",
        "{\"a\":1}\n",
        "\t\r\n{}\t\r\n",
        "{\"a\":1,\"a\":2}",
        "{\"a\":{\"b\":1,\"b\":1},\"a\":3}",
        "[{\"x\":1,\"x\":1}]",
        "{\"ab\":1,\"ba\":2}",
        "\u{c}{}",
        "{\"a\":1}\u{0}",
    ];
    docs.extend(structural.iter().map(|s| s.to_string()));
    for depth in [99, 100, 101, 126, 127, 128, 129, 200] {
        docs.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        docs.push(format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)));
    }
    for keys in [31, 32, 33, 64] {
        let members: Vec<String> = (0..keys).map(|i| format!("\"k{i}\":{i}")).collect();
        docs.push(format!("{{{}}}", members.join(",")));
        docs.push(format!("{{{},\"k0\":0}}", members.join(",")));
    }
    // Strings the reader scans sixteen or eight bytes at a time: what stops it (the closing
    // quote, an escape, a control character, a byte that is not ASCII) at every position of a
    // word and past its end.
    for before in 0..40 {
        let lead = "x".repeat(before);
        for stop in [
            "\"",
            "\\n\"",
            "\u{1}\"",
            "\t\"",
            "\u{7f}\"",
            "é\"",
            "ab\u{1F600}cdefghij\"",
        ] {
            for tail in ["", "abcdefgh", "é\u{2}"] {
                docs.push(format!("\"{lead}{stop}"));
                docs.push(format!("{{\"{lead}{stop}:\"{tail}\"}}"));
                docs.push(format!("[\"{lead}{stop},\"{lead}{tail}\"]"));
            }
        }
    }
    let mut bytes: Vec<Vec<u8>> = docs.into_iter().map(String::into_bytes).collect();
    for before in 0..10 {
        let lead = "y".repeat(before).into_bytes();
        for bad in [
            &b"\xff"[..],
            b"\xc3",
            b"\xc3\x28",
            b"\xe2\x82",
            b"\xed\xa0\x80",
            b"\xc3\xa9\x01",
        ] {
            bytes.push([&b"\""[..], &lead, bad, b"\""].concat());
            bytes.push([&b"{\"k\":\""[..], &lead, bad, b"abcdefgh\"}"].concat());
        }
    }
    bytes.push(b"\"\xff\"".to_vec());
    bytes.push(b"{\"a\":\"\xc3\"}".to_vec());
    bytes.push(b"\xef\xbb\xbf{}".to_vec());
    bytes
}

#[test]
fn the_fast_reader_builds_what_serde_json_reads() {
    let (mut fast, mut serde) = (Tape::new(), Tape::new());
    let (mut documents, mut taken) = (0, 0);
    for doc in edge_documents() {
        taken += usize::from(assert_same(&doc, &mut fast, &mut serde));
        documents += 1;
    }
    let (examples, _) = codegen::examples::load_all(&schemas_dir()).expect("the catalog loads");
    let (_, bundled) = codegen::load(&schemas_dir()).expect("the catalog loads");
    let mut events: Vec<serde_json::Value> = examples.iter().map(|e| e.event.clone()).collect();
    let mut rng = Rng::new(7);
    for b in &bundled {
        let synth = Synth::new(&b.schema, Vec::new());
        for _ in 0..50 {
            let event = synth.event(&mut rng);
            events.extend(synth.mutations(&event).into_iter().map(|m| m.event));
            events.push(event);
        }
    }
    for (i, event) in events.iter().enumerate() {
        let compact = serde_json::to_vec(event).unwrap();
        let pretty = serde_json::to_vec_pretty(event).unwrap();
        for doc in [&compact, &pretty] {
            taken += usize::from(assert_same(doc, &mut fast, &mut serde));
            documents += 1;
        }
        // Every prefix of some: each cut is an error to both.
        if i % 100 == 0 {
            for cut in 0..compact.len() {
                assert_same(&compact[..cut], &mut fast, &mut serde);
            }
        }
    }
    assert!(documents > 1000, "{documents}");
    // The fast reader is what reads events: it takes nearly every one.
    assert!(taken * 10 > documents * 8, "{taken} of {documents}");
}
