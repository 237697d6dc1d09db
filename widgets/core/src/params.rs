//! Parameters: how authors configure a widget in Markdown (`key: value` lines) and how its state
//! travels in a URL fragment (`key=value;key=value`, percent-encoded). Both are untrusted text
//! with the same limits; a widget reads them with typed, range-checked getters.

use std::fmt;

/// Longest fragment accepted, in bytes.
pub const MAX_FRAGMENT: usize = 2048;
const MAX_PAIRS: usize = 48;
const MAX_VALUE: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter at fault, when there is one.
    pub key: Option<String>,
    pub message: String,
}

impl ParamError {
    pub fn new(key: &str, message: impl Into<String>) -> ParamError {
        ParamError { key: Some(key.to_string()), message: message.into() }
    }
    fn general(message: impl Into<String>) -> ParamError {
        ParamError { key: None, message: message.into() }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(k) => write!(f, "`{k}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Parameters sorted by key. A sorted `Vec` rather than a `BTreeMap`: a handful of entries,
/// and the map's code costs about 12 KB in every WebAssembly widget.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    values: Vec<(String, String)>,
    /// 1-based line of each key in the configuration text it came from.
    lines: Vec<(String, usize)>,
}

fn valid_key(k: &str) -> bool {
    !k.is_empty() && k.len() <= 32 && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

impl Params {
    pub fn new() -> Params {
        Params::default()
    }

    /// `key: value` lines; blank lines and `#` comments are skipped.
    pub fn parse(text: &str) -> Result<Params, ParamError> {
        let mut p = Params::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((k, v)) = line.split_once(':') else {
                return Err(ParamError::general(format!("line {}: expected `key: value`, found `{line}`", i + 1)));
            };
            let (k, v) = (k.trim(), v.trim());
            if !valid_key(k) {
                return Err(ParamError::general(format!("line {}: `{k}` is not a parameter name", i + 1)));
            }
            if p.get(k).is_some() {
                return Err(ParamError::new(k, format!("given twice (line {})", i + 1)));
            }
            if v.len() > MAX_VALUE {
                return Err(ParamError::new(k, "value is too long"));
            }
            p.lines.push((k.to_string(), i + 1));
            p.set(k, v);
        }
        Ok(p)
    }

    /// Line of `key` in the text it was parsed from.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.lines.iter().find(|(k, _)| k == key).map(|(_, l)| *l)
    }

    /// Set `key`, replacing any value it had.
    pub fn set(&mut self, key: &str, value: impl ToString) -> &mut Self {
        let value = value.to_string();
        match self.values.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => self.values[i].1 = value,
            Err(i) => self.values.insert(i, (key.to_string(), value)),
        }
        self
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok().map(|i| self.values[i].1.as_str())
    }

    /// These parameters with `other`'s values on top.
    pub fn overlaid(&self, other: &Params) -> Params {
        let mut p = self.clone();
        for (k, v) in &other.values {
            p.set(k, v);
        }
        p
    }

    /// Fail on any key not in `known`, so a typo is an error rather than a silent default.
    pub fn only(&self, known: &[&str]) -> Result<(), ParamError> {
        match self.values.iter().map(|(k, _)| k).find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(ParamError::new(k, format!("unknown parameter; known: {}", known.join(", ")))),
            None => Ok(()),
        }
    }

    pub fn f64_in(&self, key: &str, default: f64, min: f64, max: f64) -> Result<f64, ParamError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => match crate::format::parse(v) {
                Some(x) if x >= min && x <= max => Ok(x),
                _ => Err(ParamError::new(
                    key,
                    format!("expected a number from {} to {}, got `{v}`", crate::format::short(min, 6), crate::format::short(max, 6)),
                )),
            },
        }
    }

    pub fn u32_in(&self, key: &str, default: u32, min: u32, max: u32) -> Result<u32, ParamError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => match v.parse::<u32>() {
                Ok(x) if x >= min && x <= max => Ok(x),
                _ => Err(ParamError::new(key, format!("expected a whole number from {min} to {max}, got `{v}`"))),
            },
        }
    }

    pub fn bool_or(&self, key: &str, default: bool) -> Result<bool, ParamError> {
        match self.get(key) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(v) => Err(ParamError::new(key, format!("expected true or false, got `{v}`"))),
        }
    }

    /// One of `choices`, or `default` when absent.
    pub fn choice<'a>(&self, key: &str, default: &'a str, choices: &[&'a str]) -> Result<&'a str, ParamError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => choices
                .iter()
                .find(|c| **c == v)
                .copied()
                .ok_or_else(|| ParamError::new(key, format!("expected one of {}, got `{v}`", choices.join(", ")))),
        }
    }

    /// `k=v;k=v`, with everything but letters, digits and `.-_,` percent-encoded.
    pub fn to_fragment(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.values {
            if !out.is_empty() {
                out.push(';');
            }
            out.push_str(k);
            out.push('=');
            for b in v.bytes() {
                if b.is_ascii_alphanumeric() || b"-._,".contains(&b) {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
        out
    }

    /// Parse a fragment made by [`Params::to_fragment`]. Untrusted: bounded in size and pairs,
    /// keys checked, values decoded and checked as UTF-8.
    pub fn from_fragment(fragment: &str) -> Result<Params, ParamError> {
        if fragment.len() > MAX_FRAGMENT {
            return Err(ParamError::general("the link is too long"));
        }
        let mut p = Params::new();
        for pair in fragment.split(';').filter(|s| !s.is_empty()) {
            if p.values.len() >= MAX_PAIRS {
                return Err(ParamError::general("the link has too many settings"));
            }
            let (k, v) = pair.split_once('=').ok_or_else(|| ParamError::general("a setting has no value"))?;
            if !valid_key(k) {
                return Err(ParamError::general("a setting has an invalid name"));
            }
            let v = percent_decode(v).ok_or_else(|| ParamError::new(k, "badly encoded value"))?;
            if v.len() > MAX_VALUE || v.chars().any(char::is_control) {
                return Err(ParamError::new(k, "invalid value"));
            }
            p.set(k, v);
        }
        Ok(p)
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_config_with_lines() {
        let p = Params::parse("# comment\nnodes: 4\n\nlabel: a: b\n").unwrap();
        assert_eq!(p.get("nodes"), Some("4"));
        assert_eq!(p.get("label"), Some("a: b"));
        assert_eq!(p.line_of("label"), Some(4));
        assert!(Params::parse("nodes 4").is_err());
        assert!(Params::parse("a: 1\na: 2").unwrap_err().to_string().contains("twice"));
    }

    #[test]
    fn typed_getters_check_ranges() {
        let p = Params::parse("n: 12\nx: 0.5\nb: yes\nc: ap").unwrap();
        assert_eq!(p.u32_in("n", 1, 1, 20).unwrap(), 12);
        assert!(p.u32_in("n", 1, 1, 10).is_err());
        assert_eq!(p.f64_in("missing", 3.0, 0.0, 5.0).unwrap(), 3.0);
        assert!(p.bool_or("b", false).is_err());
        assert_eq!(p.choice("c", "cp", &["cp", "ap"]).unwrap(), "ap");
        assert!(p.only(&["n", "x", "b"]).unwrap_err().to_string().contains("`c`"));
    }

    #[test]
    fn fragments_round_trip() {
        let mut p = Params::new();
        p.set("tiers", "lb:2:99.99,app:3:99.9").set("note", "a b;c=d%é");
        let f = p.to_fragment();
        assert!(!f.contains(' ') && !f.contains('é'));
        assert_eq!(Params::from_fragment(&f).unwrap(), {
            let mut q = Params::new();
            q.set("note", "a b;c=d%é").set("tiers", "lb:2:99.99,app:3:99.9");
            q
        });
    }

    #[test]
    fn hostile_fragments_are_refused() {
        assert!(Params::from_fragment(&"a=1;".repeat(600)).is_err(), "too long");
        assert!(Params::from_fragment(&(0..60).map(|i| format!("k{i}=1")).collect::<Vec<_>>().join(";")).is_err());
        assert!(Params::from_fragment("<script>=1").is_err());
        assert!(Params::from_fragment("a=%ZZ").is_err());
        assert!(Params::from_fragment("a=%FF%FE").is_err(), "not UTF-8");
        assert!(Params::from_fragment("a=%0A").is_err(), "control character");
        assert!(Params::from_fragment("novalue").is_err());
    }
}
