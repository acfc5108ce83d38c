//! The engine's uuid checks, which classify sixteen bytes at a time, against a byte-by-byte
//! reading of the format: every position of a uuid holding every ASCII character, and a
//! character that is not ASCII there.

use codegen::engine::formats::{is_lowercase_uuid, is_uuid};

/// The format read byte by byte: `8-4-4-4-12` hex digits, `lowercase` letters only if asked.
fn reference(s: &str, lowercase: bool) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => {
                c.is_ascii_digit()
                    || matches!(c, b'a'..=b'f')
                    || !lowercase && matches!(c, b'A'..=b'F')
            }
        })
}

#[test]
fn the_uuid_checks_read_every_position_as_the_format_does() {
    let bases = [
        "550e8400-e29b-41d4-a716-446655440000",
        "ABCDEF00-0000-4000-8000-0123456789ab",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
    ];
    let mut checked = 0;
    for base in bases {
        assert!(is_uuid(base), "{base}");
        for at in 0..36 {
            let mut replacements: Vec<String> =
                (0u8..0x80).map(|b| char::from(b).to_string()).collect();
            replacements.extend(["é".to_string(), "\u{ff10}".to_string()]);
            for replacement in replacements {
                let s = format!("{}{replacement}{}", &base[..at], &base[at + 1..]);
                assert_eq!(is_uuid(&s), reference(&s, false), "is_uuid({s:?})");
                assert_eq!(
                    is_lowercase_uuid(&s),
                    reference(&s, true),
                    "is_lowercase_uuid({s:?})"
                );
                checked += 1;
            }
        }
    }
    for s in [
        "",
        "550e8400-e29b-41d4-a716-44665544000",
        "550e8400-e29b-41d4-a716-4466554400000",
    ] {
        assert!(!is_uuid(s) && !is_lowercase_uuid(s), "{s}");
    }
    assert!(checked > 10_000, "{checked}");
}
