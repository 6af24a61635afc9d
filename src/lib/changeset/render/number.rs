//! Text forms of numbers and timestamps, matching what the C++ side prints.

use std::fmt::{self, Write};

use crate::changeset::scalar::{Decimal128, Timestamp, MAX_CANONICAL_COEFFICIENT, NULL_DECIMAL};

/// C's `%.17g`: 17 significant digits (enough to read back the same double),
/// trailing zeros removed, exponent form below 1e-4 and from 1e17 on. This is
/// what a C++ stream with precision 17 prints, so text renderings of doubles are
/// exact and match the vectors' `Double(2.5)`, `Double(3)`.
pub(crate) fn write_g17(out: &mut String, value: f64) {
    if value.is_nan() {
        out.push_str(if value.is_sign_negative() {
            "-nan"
        } else {
            "nan"
        });
        return;
    }
    if value.is_infinite() {
        out.push_str(if value < 0.0 { "-inf" } else { "inf" });
        return;
    }
    if value == 0.0 {
        out.push_str(if value.is_sign_negative() { "-0" } else { "0" });
        return;
    }
    // `{:.16e}` rounds exactly, like printf, to 17 significant digits.
    let scientific = format!("{:.16e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if value < 0.0 {
        out.push('-');
    }
    if (-4..17).contains(&exponent) {
        let (int_part, frac_part) = if exponent >= 0 {
            let split = usize::try_from(exponent).unwrap_or(0) + 1;
            let (i, f) = digits.split_at(split.min(digits.len()));
            (i.to_string(), f.to_string())
        } else {
            let zeros = "0".repeat(usize::try_from(-exponent - 1).unwrap_or(0));
            ("0".to_string(), zeros + &digits)
        };
        out.push_str(&int_part);
        push_fraction(out, &frac_part);
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        push_fraction(out, rest);
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    }
}

fn push_fraction(out: &mut String, fraction: &str) {
    let trimmed = fraction.trim_end_matches('0');
    if !trimmed.is_empty() {
        out.push('.');
        out.push_str(trimmed);
    }
}

/// realm-core's `Timestamp::to_string`: `YYYY-MM-DD HH:MM:SS` in UTC (proleptic
/// Gregorian), followed by `.nnnnnnnnn` when there are nanoseconds. Years beyond
/// 9999 are printed in full (realm-core's fixed 4-digit field garbles them).
pub(crate) fn write_timestamp(out: &mut String, t: Timestamp) {
    let mut seconds = i128::from(t.seconds());
    let mut nanos = t.nanoseconds();
    if nanos < 0 {
        nanos += Timestamp::NANOS_PER_SECOND;
        seconds -= 1;
    }
    let days = seconds.div_euclid(86_400);
    let in_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let sign = if year < 0 { "-" } else { "" };
    let _ = write!(
        out,
        "{sign}{:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        year.unsigned_abs(),
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    );
    if nanos != 0 {
        let _ = write!(out, ".{nanos:09}");
    }
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's
/// `civil_from_days`.
fn civil_from_days(days: i128) -> (i128, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i128::from(month <= 2);
    let small = |v: i128| u32::try_from(v).unwrap_or(0);
    (year, small(month), small(day))
}

/// realm-core's `Decimal128::to_string`, see [`Decimal128`]'s `Display`.
pub(crate) fn write_decimal(f: &mut fmt::Formatter<'_>, d: Decimal128) -> fmt::Result {
    let bits = d.to_bits();
    let hi = (bits >> 64) as u64;
    if bits == NULL_DECIMAL {
        return f.write_str("NULL");
    }
    let coefficient = d.coefficient();
    if coefficient > u128::from(u64::MAX) {
        return write_intel_form(f, bits);
    }
    let sign = if d.is_negative() { "-" } else { "" };
    if hi & 0x7800_0000_0000_0000 == 0x7800_0000_0000_0000 {
        let special = if hi & 0x7c00_0000_0000_0000 == 0x7c00_0000_0000_0000 {
            "NaN"
        } else {
            "Inf"
        };
        return write!(f, "{sign}{special}");
    }
    let digits = coefficient.to_string();
    let mut exponent = i64::from(d.exponent());
    let mut before_point = digits.len();
    while before_point > 1 && exponent != 0 {
        before_point -= 1;
        exponent += 1;
    }
    let (int_part, frac_part) = digits.split_at(before_point);
    write!(f, "{sign}{int_part}")?;
    if !frac_part.is_empty() {
        write!(f, ".{frac_part}")?;
    }
    if exponent != 0 {
        write!(f, "E{exponent}")?;
    }
    Ok(())
}

/// The Intel decimal library's `bid128_to_string` form, which realm-core falls back
/// to for coefficients wider than 64 bits: `[+-]<digits>E[+-]<exponent>`, with
/// non-canonical coefficients (above 10^34 − 1) printed as 0.
fn write_intel_form(f: &mut fmt::Formatter<'_>, bits: u128) -> fmt::Result {
    let hi = (bits >> 64) as u64;
    let sign = if hi >> 63 == 1 { '-' } else { '+' };
    if hi & 0x7c00_0000_0000_0000 == 0x7c00_0000_0000_0000 {
        let snan = hi & 0x7e00_0000_0000_0000 == 0x7e00_0000_0000_0000;
        return write!(f, "{sign}{}", if snan { "SNaN" } else { "NaN" });
    }
    if hi & 0x7800_0000_0000_0000 == 0x7800_0000_0000_0000 {
        return write!(f, "{sign}Inf");
    }
    let (coefficient, biased) = if hi & 0x6000_0000_0000_0000 == 0x6000_0000_0000_0000 {
        // "Large coefficient" form: always above 10^34 − 1, hence non-canonical.
        (0, (hi >> 47) & 0x3FFF)
    } else {
        let c = bits & ((1u128 << 113) - 1);
        (
            if c > MAX_CANONICAL_COEFFICIENT { 0 } else { c },
            (hi >> 49) & 0x3FFF,
        )
    };
    let exponent = i64::try_from(biased).unwrap_or(0) - i64::from(Decimal128::EXPONENT_BIAS);
    let exp_sign = if exponent < 0 { '-' } else { '+' };
    write!(
        f,
        "{sign}{coefficient}E{exp_sign}{}",
        exponent.unsigned_abs()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g17(v: f64) -> String {
        let mut s = String::new();
        write_g17(&mut s, v);
        s
    }

    #[test]
    fn g17_matches_printf() {
        assert_eq!(g17(3.0), "3");
        assert_eq!(g17(-2.25), "-2.25");
        assert_eq!(g17(0.1), "0.10000000000000001");
        assert_eq!(g17(1e17), "1e+17");
        assert_eq!(g17(123456789012345680.0), "1.2345678901234568e+17");
        assert_eq!(g17(0.0001), "0.0001");
        assert_eq!(g17(0.00001), "1.0000000000000001e-05");
        assert_eq!(g17(-0.0), "-0");
        assert_eq!(g17(f64::NEG_INFINITY), "-inf");
        assert_eq!(g17(f64::from(1.1f32)), "1.1000000238418579");
    }

    fn ts(s: i64, ns: i32) -> String {
        let mut out = String::new();
        write_timestamp(&mut out, Timestamp::new(s, ns).expect("valid"));
        out
    }

    #[test]
    fn timestamps_match_realm() {
        assert_eq!(
            ts(1_700_000_000, 123_456_789),
            "2023-11-14 22:13:20.123456789"
        );
        assert_eq!(ts(-1, -5), "1969-12-31 23:59:58.999999995");
        assert_eq!(ts(55_290, 0), "1970-01-01 15:21:30");
        assert_eq!(ts(951_782_400, 0), "2000-02-29 00:00:00");
        assert_eq!(ts(-62_135_596_800, 0), "0001-01-01 00:00:00");
    }

    #[test]
    fn decimals_match_realm() {
        let d =
            |c: u128, e: i32, n: bool| Decimal128::from_parts(c, e, n).expect("fits").to_string();
        assert_eq!(d(123_456, -3, false), "123.456");
        assert_eq!(d(1, -10, true), "-1E-10");
        assert_eq!(d(39_960, -2, true), "-399.60");
        assert_eq!(d(15, 2, false), "1.5E3");
        assert_eq!(d(0, 0, false), "0");
        assert_eq!(d(7, 0, false), "7");
        assert_eq!(Decimal128::from_bits(NULL_DECIMAL).to_string(), "NULL");
        assert_eq!(d(1 << 64, 0, false), "+18446744073709551616E+0");
    }
}
