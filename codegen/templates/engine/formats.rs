//! The `format` checks the engine asserts, each accepting exactly the strings JSON Schema's
//! format accepts (`uuid` as draft 2019-09 defines it, the others as RFC 3339 and the
//! `jsonschema` crate read them): the typed parse and every validator use these.

/// True when `s` is a hyphenated RFC 4122 uuid (`8-4-4-4-12` hex digits, either case).
pub fn is_uuid(s: &str) -> bool {
    uuid_shaped(s, false)
}

/// True when `s` is a hyphenated uuid whose letters are all lowercase.
pub fn is_lowercase_uuid(s: &str) -> bool {
    uuid_shaped(s, true)
}

/// The positions of a hyphenated uuid's dashes, as bits; every other of its 36 is a hex digit.
const UUID_DASHES: u32 = 1 << 8 | 1 << 13 | 1 << 18 | 1 << 23;

/// Whether `s` is 36 bytes with dashes where a uuid has them and hex digits everywhere else
/// (letters only lowercase when `lowercase`). Every byte is classified with no branch per
/// byte, sixteen at a time where SSE2 is: an event holds several ids, and checking them is a
/// fair share of validating it.
#[inline]
fn uuid_shaped(s: &str, lowercase: bool) -> bool {
    let Ok(bytes) = <&[u8; 36]>::try_from(s.as_bytes()) else {
        return false;
    };
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8,
            _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        // The sixteen bytes at `at` (0, 16 and 20: the last two overlap) are what a uuid has
        // there.
        let chunk = |at: usize| -> bool {
            // SAFETY: SSE2 is part of x86-64, so every processor this runs on has it; the
            // load reads the 16 bytes of `bytes[at..at + 16]`.
            let (hex, dashes) = unsafe {
                let x: __m128i = _mm_loadu_si128(bytes[at..at + 16].as_ptr().cast());
                // Compared as signed bytes: a byte of 0x80 or above is below all of these.
                let within = |x: __m128i, low: u8, high: u8| {
                    _mm_and_si128(
                        _mm_cmpgt_epi8(x, _mm_set1_epi8(low as i8 - 1)),
                        _mm_cmplt_epi8(x, _mm_set1_epi8(high as i8 + 1)),
                    )
                };
                // Setting bit 5 turns `A`-`F` into `a`-`f`, and nothing else into them.
                let letters = if lowercase {
                    x
                } else {
                    _mm_or_si128(x, _mm_set1_epi8(0x20))
                };
                let hex = _mm_or_si128(within(x, b'0', b'9'), within(letters, b'a', b'f'));
                let dashes = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'-' as i8));
                (_mm_movemask_epi8(hex), _mm_movemask_epi8(dashes))
            };
            let dashes_here = ((UUID_DASHES >> at) & 0xffff) as i32;
            dashes == dashes_here && hex == !dashes_here & 0xffff
        };
        chunk(0) && chunk(16) && chunk(20)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        bytes.iter().enumerate().all(|(i, b)| {
            if UUID_DASHES & (1 << i) != 0 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
                    || matches!(b, b'a'..=b'f')
                    || (!lowercase && matches!(b, b'A'..=b'F'))
            }
        })
    }
}

/// True when `s` is an RFC 3339 `date-time`: `T` or `t` between date and time, seconds
/// required, any number of fraction digits, `Z`/`z` or a `+hh:mm` offset, a leap second only
/// at 23:59:60 UTC.
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') {
        return false;
    }
    is_full_date(&b[..10]) && is_full_time(&b[11..])
}

fn two_digits(b: &[u8]) -> Option<u32> {
    match b {
        [h @ b'0'..=b'9', l @ b'0'..=b'9'] => Some(u32::from(h - b'0') * 10 + u32::from(l - b'0')),
        _ => None,
    }
}

fn is_full_date(b: &[u8]) -> bool {
    if b[4] != b'-' || b[7] != b'-' || !b[..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let year: u32 = b[..4]
        .iter()
        .fold(0, |acc, d| acc * 10 + u32::from(d - b'0'));
    let (Some(month), Some(day)) = (two_digits(&b[5..7]), two_digits(&b[8..10])) else {
        return false;
    };
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

fn is_full_time(b: &[u8]) -> bool {
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (
        two_digits(&b[..2]),
        two_digits(&b[3..5]),
        two_digits(&b[6..8]),
    ) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 8;
    if b.get(i) == Some(&b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        i += 1 + digits;
    }
    // Minutes east of UTC; a leap second must fall on 23:59:60 in UTC.
    let offset_minutes: i32 = match &b[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (Some(oh), Some(om)) = (two_digits(&[*h1, *h2]), two_digits(&[*m1, *m2])) else {
                return false;
            };
            if oh > 23 || om > 59 {
                return false;
            }
            let minutes = (oh * 60 + om) as i32;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return false,
    };
    if second == 60 {
        let utc = ((hour * 60 + minute) as i32 - offset_minutes).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

/// True when `s` is an RFC 3339 `full-date`, `YYYY-MM-DD`, a real day of the Gregorian calendar.
pub fn is_date(s: &str) -> bool {
    s.len() == 10 && is_full_date(s.as_bytes())
}

/// True when `s` is an RFC 3339 `full-time`: `HH:MM:SS`, optional fraction digits, then `Z`,
/// `z` or `+hh:mm`/`-hh:mm`; a leap second only at 23:59:60 UTC.
pub fn is_time(s: &str) -> bool {
    is_full_time(s.as_bytes())
}

/// True when `s` is a dotted-quad IPv4 address as Rust's standard library reads one (four
/// decimal octets, no leading zeros), which is the `ipv4` format.
pub fn is_ipv4(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok()
}

/// True when `s` is an IPv6 address in RFC 4291 text form, as Rust's standard library reads one.
pub fn is_ipv6(s: &str) -> bool {
    s.parse::<std::net::Ipv6Addr>().is_ok()
}
