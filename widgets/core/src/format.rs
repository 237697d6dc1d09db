//! Number formatting shared by widgets, so every widget writes numbers the same way.

/// `1234567.8` -> `1,234,568`; keeps `decimals` digits after the point.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "∞".to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
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
    while decimals < 9 && ((p * 10f64.powi(decimals as i32)).round() / 10f64.powi(decimals as i32) - p).abs() > 1e-9 * p.max(1.0) {
        decimals += 1;
    }
    let s = format!("{:.*}", decimals, p);
    format!("{s}%")
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
    fn formats_numbers_percentages_and_durations() {
        assert_eq!(number(1234567.8, 0), "1,234,568");
        assert_eq!(number(-0.5, 2), "-0.50");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(percent(0.999), "99.9%");
        assert_eq!(percent(0.99995), "99.995%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(duration(31.536), "31.5 s");
        assert_eq!(duration(525.6 * 60.0), "8.76 h");
        assert_eq!(duration(0.000_5), "500 µs");
        assert_eq!(duration(3.0 * 86_400.0), "3.00 days");
    }
}
