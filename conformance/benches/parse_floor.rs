//! The floor `conformance/bench/run.sh` measures `contracts check` against: read a JSON Lines
//! file the way `check` reads one (a 64 KiB buffered reader, a line at a time) and parse every
//! line into a `serde_json::Value`, on one thread, checking nothing. Run by the script as
//! `PARSE_FLOOR_FILE=traffic.jsonl target/release/deps/parse_floor-*`; not a Criterion bench.
//! It uses the same allocator as `contracts`.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::time::Instant;

/// The allocator `contracts` uses, so that the floor and the tool parse at the same cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `cargo test --all-targets` and `cargo bench` run this too: without a file it does nothing.
    let Ok(path) = std::env::var("PARSE_FLOOR_FILE") else {
        eprintln!("parse_floor: set PARSE_FLOOR_FILE to a JSON Lines file (conformance/bench/run.sh does)");
        return;
    };
    let started = Instant::now();
    let mut reader = BufReader::with_capacity(64 * 1024, File::open(&path).expect("opens"));
    let mut line = Vec::new();
    let (mut parsed, mut not_json) = (0u64, 0u64);
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).expect("reads") == 0 {
            break;
        }
        match serde_json::from_slice::<serde_json::Value>(&line) {
            Ok(value) => {
                parsed += 1;
                std::hint::black_box(value);
            }
            Err(_) => not_json += 1,
        }
    }
    eprintln!(
        "parse_floor: {parsed} lines parsed, {not_json} not JSON, in {:.2} s",
        started.elapsed().as_secs_f64()
    );
}
