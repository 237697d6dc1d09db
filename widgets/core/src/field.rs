//! A numeric input: its key, label, unit, default and range, and the one reader that checks a
//! value against them, whether it comes from the author's configuration, a shared link or what a
//! learner typed.
//!
//! Widgets with a row of number inputs keep a `const FIELDS: [Field; N]` and read every value
//! through [`Field::parse`] (events) or [`Field::read`] (parameters), so a value outside the range
//! is refused with the same words everywhere.

use crate::format::short;
use crate::{ParamError, Params};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    /// Shown after the input and in messages.
    pub unit: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    /// Only whole numbers are allowed.
    pub whole: bool,
}

/// Decimals a value keeps, so that it survives a link or JSON round trip exactly.
pub const DECIMALS: i32 = 6;

impl Field {
    /// A field taking any number from `min` to `max`.
    pub const fn num(key: &'static str, label: &'static str, unit: &'static str, default: f64, min: f64, max: f64) -> Field {
        Field { key, label, unit, default, min, max, whole: false }
    }

    /// The same field, taking whole numbers only.
    pub const fn whole(self) -> Field {
        Field { whole: true, ..self }
    }

    /// "a whole number from 1 to 100 (servers)", for messages.
    pub fn expected(&self) -> String {
        let kind = if self.whole { "a whole number" } else { "a number" };
        let unit = if self.unit.is_empty() { String::new() } else { format!(" ({})", self.unit) };
        format!("{kind} from {} to {}{unit}", short(self.min, DECIMALS as usize), short(self.max, DECIMALS as usize))
    }

    /// Check a value as typed: a plain decimal (digits may be grouped with commas or spaces), in
    /// range and whole where required, rounded to [`DECIMALS`] decimals. The error says what was
    /// expected and quotes (a bounded part of) what was given.
    pub fn parse(&self, text: &str) -> Result<f64, String> {
        let shown: String = text.trim().chars().take(24).collect();
        let bad = || format!("expected {}, got `{shown}`", self.expected());
        if text.len() > 64 {
            return Err(bad());
        }
        let bare: String = text.trim().chars().filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '\u{202f}')).collect();
        let scale = 10f64.powi(DECIMALS);
        let x = (crate::format::parse(&bare).ok_or_else(bad)? * scale).round() / scale;
        if !(self.min..=self.max).contains(&x) || (self.whole && x.fract() != 0.0) {
            return Err(bad());
        }
        Ok(x)
    }

    /// This field's value in `params`, or its default when absent.
    pub fn read(&self, params: &Params) -> Result<f64, ParamError> {
        self.read_or(params, self.default)
    }

    /// This field's value in `params`, or `default` when absent (for widgets whose defaults
    /// depend on a preset). Unlike a typed value, a parameter with more than [`DECIMALS`]
    /// decimals is an error rather than rounded: the author should see what the page will use.
    pub fn read_or(&self, params: &Params, default: f64) -> Result<f64, ParamError> {
        match params.get(self.key) {
            None => Ok(default),
            Some(v) => self.parse_param(v).map_err(|m| ParamError::new(self.key, m)),
        }
    }

    /// Check a parameter's text: as [`Field::parse`], but more than [`DECIMALS`] decimals is an
    /// error. For widgets that read this field under another key (a prefix per design, say).
    pub fn parse_param(&self, text: &str) -> Result<f64, String> {
        let shown: String = text.trim().chars().take(24).collect();
        if text.trim().split_once('.').is_some_and(|(_, frac)| frac.len() > DECIMALS as usize) {
            return Err(format!("give at most {DECIMALS} digits after the decimal point, got `{shown}`"));
        }
        self.parse(text)
    }
}

/// The position of the field named `key`.
pub fn position(fields: &[Field], key: &str) -> Option<usize> {
    fields.iter().position(|f| f.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVERS: Field = Field::num("servers", "Servers", "servers", 4.0, 1.0, 100.0).whole();
    const RATE: Field = Field::num("rate", "Rate", "requests/s", 10.0, 0.5, 1_000.0);

    #[test]
    fn accepts_values_in_range_with_grouped_digits() {
        assert_eq!(RATE.parse("0.5"), Ok(0.5));
        assert_eq!(RATE.parse(" 1,000 "), Ok(1000.0));
        assert_eq!(SERVERS.parse("100"), Ok(100.0));
    }

    #[test]
    fn refuses_out_of_range_fractional_and_garbage() {
        assert_eq!(RATE.parse("0.4"), Err("expected a number from 0.5 to 1,000 (requests/s), got `0.4`".to_string()));
        assert_eq!(SERVERS.parse("2.5"), Err("expected a whole number from 1 to 100 (servers), got `2.5`".to_string()));
        for bad in ["", "abc", "1e3", "NaN", "inf", "-1", "1001", &"9".repeat(80)] {
            assert!(RATE.parse(bad).is_err(), "{bad}");
        }
        assert_eq!(RATE.parse("1.0000004"), Ok(1.0));
        assert_eq!(RATE.parse("1.2345678"), Ok(1.234568));
    }

    #[test]
    fn reads_params_with_default_and_names_the_key_on_error() {
        let p = Params::parse("rate: 20").unwrap();
        assert_eq!(RATE.read(&p).unwrap(), 20.0);
        assert_eq!(SERVERS.read(&p).unwrap(), 4.0);
        assert_eq!(SERVERS.read_or(&p, 7.0).unwrap(), 7.0);
        let e = RATE.read(&Params::parse("rate: 2000").unwrap()).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("rate"));
        let e = RATE.read(&Params::parse("rate: 1.0000001").unwrap()).unwrap_err();
        assert_eq!(e.message, "give at most 6 digits after the decimal point, got `1.0000001`");
        assert_eq!(position(&[SERVERS, RATE], "rate"), Some(1));
        assert_eq!(position(&[SERVERS, RATE], "nope"), None);
    }
}
