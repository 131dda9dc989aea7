//! Decimal numbers read from text one way: short ones (every quantity and price) exactly by Clinger's fast path, the
//! rest by serde_json's number parser (the one that reads every CRM answer), so the wasm does not also carry core's
//! float parser and its 10 KB table of powers of five.

/// The number `text` writes (`-12`, `+3.5`, `.5`, `7.`, `1e3`; no spaces, no thousands separators), `None` for
/// anything else and for numbers beyond `f64`'s range. Up to 15 significant digits (and a power of ten up to 22) it
/// is the nearest `f64`, as `str::parse` gives it; beyond, serde_json's reading, within a few units of the last place.
// Inlined (with `short`): it runs for every number cell of a file, and the wasm's inliner threshold
// (`.cargo/config.toml`) would otherwise keep it a call.
#[inline]
pub fn parse(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    match short(body.as_bytes()) {
        Short::Value(x) => Some(if negative { -x } else { x }),
        Short::NotANumber => None,
        Short::TooLong => long(negative, body),
    }
}

/// What the fast path made of a number without its sign.
enum Short {
    Value(f64),
    NotANumber,
    /// More than 15 significant digits, a scale beyond 22 or an exponent: for the parser.
    TooLong,
}

/// Digits with an optional point and at most 15 significant digits (most cells), without the parser: those digits
/// as an integer `m` and the power of ten that scales them (at most 22) are both exact in `f64`, so `m * 10^e` or
/// `m / 10^-e` is rounded once, to the nearest `f64` (Clinger's fast path).
#[inline]
fn short(body: &[u8]) -> Short {
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (mut m, mut significant, mut zeros) = (0u64, 0usize, 0usize);
    let (mut digits, mut point, mut fraction) = (0usize, false, 0usize);
    for &b in body {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                fraction += usize::from(point);
                if b == b'0' {
                    // Leading zeros count for nothing; the others wait to see whether a digit follows them.
                    zeros += usize::from(significant > 0);
                    continue;
                }
                significant += zeros + 1;
                if significant > 15 {
                    return Short::TooLong;
                }
                m = (0..zeros).fold(m, |m, _| m * 10) * 10 + u64::from(b - b'0');
                zeros = 0;
            }
            b'.' if !point => point = true,
            b'e' | b'E' => return Short::TooLong,
            _ => return Short::NotANumber,
        }
    }
    if digits == 0 {
        return Short::NotANumber;
    }
    let scale = zeros as isize - fraction as isize;
    match POWERS.get(scale.unsigned_abs()) {
        Some(power) if scale >= 0 => Short::Value(m as f64 * power),
        Some(power) => Short::Value(m as f64 / power),
        None => Short::TooLong,
    }
}

/// A number the fast path leaves: rewritten in JSON's grammar (no `+`, no leading zeros, digits on both sides of the
/// point) for serde_json's parser.
fn long(negative: bool, body: &str) -> Option<f64> {
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let mut json = String::with_capacity(body.len() + 2);
    if negative {
        json.push('-');
    }
    let whole = whole.trim_start_matches('0');
    json.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        json.push('.');
        json.push_str(fraction);
    }
    if let Some(exponent) = exponent {
        let unsigned = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if unsigned.is_empty() || !digits(unsigned) {
            return None;
        }
        json.push('e');
        json.push_str(exponent);
    }
    serde_json::from_str::<f64>(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_str_parse_reads() {
        for text in [
            "0",
            "-0",
            "+3.5",
            "12",
            "007",
            ".5",
            "7.",
            "-.25",
            "1e3",
            "2.5E-3",
            "1e+2",
            "0.1",
            "19.99",
            "0.30000000000000004",
            "123456789012345678901234567890",
            "4.9e-324",
            "1.7976931348623157e308",
        ] {
            assert_eq!(parse(text), text.parse::<f64>().ok(), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_plain_number() {
        for text in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "0x10", "inf", "NaN",
            "--1", "1e400",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}

/// Properties over many numbers (proptest runs natively only).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn short_decimals_read_as_str_parse_reads_them(
            m in 0u64..1_000_000_000_000_000,
            k in 0usize..=15,
            zeros in 0usize..30,
        ) {
            let digits = format!("{m:0>15}{}", "0".repeat(zeros));
            let text = format!("{}.{}", &digits[..15 - k], &digits[15 - k..]);
            prop_assert_eq!(parse(&text), text.parse::<f64>().ok(), "{}", text);
        }

        #[test]
        fn any_f64_reads_back_within_a_few_units_of_the_last_place(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
            for text in [x.to_string(), format!("{x:e}")] {
                let read = parse(&text);
                prop_assert!(read.is_some_and(|r| (r - x).abs() <= x.abs() * 1e-15), "{} -> {:?}", text, read);
            }
        }
    }
}
