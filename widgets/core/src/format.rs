//! Number formatting and parsing shared by widgets, so every widget writes numbers the same way.
//!
//! Written with integer arithmetic on purpose: Rust's own float formatting and parsing
//! (`{:.2}`, `str::parse::<f64>`) add about 25 KB to every WebAssembly widget. Widgets must not
//! format or parse an `f64` any other way.

/// `x` with exactly `decimals` digits after the point (at most 9), rounded half away from zero.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "∞".to_string();
    }
    let decimals = decimals.min(9);
    let scale = 10u64.pow(decimals as u32);
    // Saturates above 1.8e19 / 10^decimals, far beyond anything a widget shows.
    let scaled = (x.abs() * scale as f64).round() as u64;
    let (int, frac) = (scaled / scale, scaled % scale);
    let sign = if x < 0.0 && scaled != 0 { "-" } else { "" };
    if decimals == 0 {
        return format!("{sign}{int}");
    }
    let mut f = frac.to_string();
    while f.len() < decimals {
        f.insert(0, '0');
    }
    format!("{sign}{int}.{f}")
}

/// Like [`number`], with trailing zeros dropped: 99.90 -> `99.9`, 3.0 -> `3`, 1e6 -> `1,000,000`.
pub fn short(x: f64, decimals: usize) -> String {
    let s = number(x, decimals);
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// A value as a parameter or an input holds it: up to 6 decimals, no digit grouping, no trailing
/// zeros (`1234.5` -> `1234.5`, `0.1234567` -> `0.123457`, `3.0` -> `3`).
pub fn plain(x: f64) -> String {
    let s = fixed(x, 6);
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// An SVG coordinate: one decimal.
pub fn coord(x: f64) -> String {
    fixed(x, 1)
}

/// Parse a plain decimal number (`-12.5`, `99.999`, `.5`): digits, an optional point and sign.
/// `None` for anything else, including exponents, `inf` and `NaN`.
pub fn parse(text: &str) -> Option<f64> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if (int.is_empty() && frac.is_empty()) || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = int.len() + frac.len();
    if digits > 18 {
        return None;
    }
    let mantissa: u64 = format!("{int}{frac}").parse().ok()?;
    let value = mantissa as f64 / 10f64.powi(frac.len() as i32);
    Some(if negative { -value } else { value })
}

/// `1234567.8` -> `1,234,568`; keeps `decimals` digits after the point.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "∞".to_string();
    }
    let s = fixed(x.abs(), decimals);
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    if frac.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped}.{frac}") }
}

/// A fraction as a percentage with enough digits to show its nines: 0.99995 -> `99.995%`.
pub fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    let mut decimals = 0;
    // Enough digits that rounding changes the value by less than float noise: 99.9999999% must
    // never show as 100%.
    while decimals < 9 && ((p * 10f64.powi(decimals as i32)).round() / 10f64.powi(decimals as i32) - p).abs() > 1e-11 * p.max(1.0) {
        decimals += 1;
    }
    format!("{}%", fixed(p, decimals))
}

/// Seconds as a short human duration: `31.5 s`, `8.8 min`, `3.65 h`, `2.1 days`.
pub fn duration(seconds: f64) -> String {
    let (value, unit) = if seconds < 1e-6 {
        (seconds * 1e9, "ns")
    } else if seconds < 1e-3 {
        (seconds * 1e6, "µs")
    } else if seconds < 1.0 {
        (seconds * 1e3, "ms")
    } else if seconds < 120.0 {
        (seconds, "s")
    } else if seconds < 7200.0 {
        (seconds / 60.0, "min")
    } else if seconds < 172_800.0 {
        (seconds / 3600.0, "h")
    } else if seconds < 3.0 * 31_557_600.0 {
        (seconds / 86_400.0, "days")
    } else {
        (seconds / 31_557_600.0, "years")
    };
    let decimals = if value >= 100.0 { 0 } else if value >= 10.0 { 1 } else { 2 };
    format!("{} {unit}", number(value, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_keeps_six_decimals_without_grouping() {
        assert_eq!(plain(1234.5), "1234.5");
        assert_eq!(plain(0.1234567), "0.123457");
        assert_eq!(plain(3.0), "3");
        assert_eq!(plain(1e7), "10000000");
    }

    #[test]
    fn fixed_and_parse_agree_with_the_standard_library() {
        for x in [0.0, 0.5, 1.25, 99.99999, 123456.789, -3.14159, 1e-9, 0.999999999, 150_000_000.0] {
            for d in 0..=9 {
                let ours = fixed(x, d);
                let std = format!("{:.*}", d, x);
                // Rounding of exact halves may differ (std rounds half to even); compare as numbers.
                assert!((ours.parse::<f64>().unwrap() - std.parse::<f64>().unwrap()).abs() <= 10f64.powi(-(d as i32)) + 1e-12, "{x} {d}: {ours} vs {std}");
            }
        }
        assert_eq!(fixed(2.5, 0), "3");
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(short(99.900, 5), "99.9");
        assert_eq!(short(3.0, 2), "3");
        assert_eq!(short(1.0 - 1e-12, 9), "1", "no dangling point");
        assert_eq!(short(150_000_000.0, 1), "150,000,000");
        assert_eq!(parse("99.99"), Some(99.99));
        assert_eq!(parse("-.5"), Some(-0.5));
        assert_eq!(parse("7"), Some(7.0));
        for bad in ["", ".", "1e3", "inf", "NaN", "1.2.3", "12a", "--1"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_numbers_percentages_and_durations() {
        assert_eq!(number(1234567.8, 0), "1,234,568");
        assert_eq!(number(-0.5, 2), "-0.50");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(percent(0.999), "99.9%");
        assert_eq!(percent(0.99995), "99.995%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.999999999), "99.9999999%", "not rounded up to 100%");
        assert_eq!(percent(1.0 - 0.0005f64.powi(2)), "99.999975%");
        assert_eq!(duration(31.536), "31.5 s");
        assert_eq!(duration(525.6 * 60.0), "8.76 h");
        assert_eq!(duration(0.000_5), "500 µs");
        assert_eq!(duration(3.0 * 86_400.0), "3.00 days");
    }
}
