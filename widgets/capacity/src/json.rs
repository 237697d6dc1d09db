//! The plan as JSON, by hand: a writer for the flat object the widget exports and a parser that
//! accepts that shape only — one object of string keys whose values are strings, plain decimal
//! numbers or booleans. Anything else (arrays, nested objects, `null`, exponents, trailing text)
//! is refused with a sentence saying what and where. The parser never panics: it walks the text by
//! characters, and every failure is an `Err`.

/// A value in the flat object. Numbers keep their literal text: the widget validates them with
/// the same checks as its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Num(String),
    Bool(bool),
}

/// Most settings an object may hold, and the longest key and string.
const MAX_PAIRS: usize = 48;
const MAX_KEY: usize = 32;
const MAX_STRING: usize = 256;
const MAX_NUMBER: usize = 24;

/// `s` as a JSON string literal, quotes included: `"` and `\` escaped, control characters as
/// `\n`, `\t`, ... or `\u00XX`; everything else (any Unicode) written as it is.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let n = c as usize;
                out.push_str("\\u00");
                out.push(HEX[n >> 4] as char);
                out.push(HEX[n & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The object, one setting a line, in the order given.
pub fn write(pairs: &[(String, Value)]) -> String {
    let mut out = String::from("{\n");
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push_str("  ");
        out.push_str(&quote(k));
        out.push_str(": ");
        match v {
            Value::Str(s) => out.push_str(&quote(s)),
            Value::Num(n) => out.push_str(n),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        }
        out.push_str(if i + 1 < pairs.len() { ",\n" } else { "\n" });
    }
    out.push('}');
    out
}

struct Parser<'a> {
    text: &'a str,
    /// Byte offset; always on a character boundary.
    at: usize,
}

/// Parse one flat object. Keys are unique; the caller checks which keys and types it accepts.
pub fn parse(text: &str) -> Result<Vec<(String, Value)>, String> {
    let mut p = Parser { text, at: 0 };
    p.skip_space();
    if p.peek() != Some('{') {
        return Err(p.fail("a plan is one JSON object: it starts with `{`"));
    }
    p.at += 1;
    let mut out: Vec<(String, Value)> = Vec::new();
    p.skip_space();
    if p.peek() == Some('}') {
        p.at += 1;
    } else {
        loop {
            p.skip_space();
            if p.peek() != Some('"') {
                return Err(p.fail("expected a setting name in double quotes"));
            }
            let key = p.string(MAX_KEY)?;
            if out.iter().any(|(k, _)| *k == key) {
                return Err(format!("`{}` is given twice", clip(&key)));
            }
            if out.len() == MAX_PAIRS {
                return Err(format!("a plan has at most {MAX_PAIRS} settings"));
            }
            p.skip_space();
            if p.peek() != Some(':') {
                return Err(p.fail("expected `:` after a setting name"));
            }
            p.at += 1;
            p.skip_space();
            let value = p.value(&key)?;
            out.push((key, value));
            p.skip_space();
            match p.peek() {
                Some(',') => p.at += 1,
                Some('}') => {
                    p.at += 1;
                    break;
                }
                _ => return Err(p.fail("expected `,` or `}` after a value")),
            }
        }
    }
    p.skip_space();
    if p.at < text.len() {
        return Err(p.fail("unexpected text after the closing `}`"));
    }
    Ok(out)
}

/// At most 24 characters of `s`, for messages.
pub fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(24).collect();
    if s.chars().nth(24).is_some() {
        out.push('…');
    }
    out
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.at..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_space(&mut self) {
        while let Some(c @ (' ' | '\t' | '\n' | '\r')) = self.peek() {
            self.at += c.len_utf8();
        }
    }

    /// `message`, saying where (1-based character position).
    fn fail(&self, message: &str) -> String {
        let position = self.text.get(..self.at).map_or(self.at, |s| s.chars().count()) + 1;
        match self.peek() {
            Some(c) if !c.is_control() => format!("{message} (found `{c}` at character {position})"),
            Some(_) => format!("{message} (found a control character at character {position})"),
            None => format!("{message} (the text ended)"),
        }
    }

    fn value(&mut self, key: &str) -> Result<Value, String> {
        let key = clip(key);
        let rest = self.rest();
        match self.peek() {
            Some('"') => Ok(Value::Str(self.string(MAX_STRING)?)),
            Some('t') if rest.starts_with("true") => {
                self.at += 4;
                Ok(Value::Bool(true))
            }
            Some('f') if rest.starts_with("false") => {
                self.at += 5;
                Ok(Value::Bool(false))
            }
            Some('n') if rest.starts_with("null") => Err(format!("`{key}`: null is not a value a plan can hold")),
            Some('{' | '[') => Err(format!("`{key}`: nested objects and lists are not part of a plan")),
            Some('-' | '0'..='9') => self.number(&key),
            _ => Err(self.fail(&format!("`{key}`: expected a string, a number, true or false"))),
        }
    }

    /// JSON's number grammar without the exponent: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`.
    fn number(&mut self, key: &str) -> Result<Value, String> {
        let rest = self.rest();
        let len = rest.bytes().take_while(|b| b"+-.0123456789eE".contains(b)).count();
        let literal = rest.get(..len).unwrap_or("");
        if literal.contains(['e', 'E']) {
            return Err(format!("`{key}`: write the number out in full, without an exponent such as 1e6"));
        }
        let digits = literal.strip_prefix('-').unwrap_or(literal);
        let (int, frac) = match digits.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (digits, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let valid = all_digits(int) && (int == "0" || !int.starts_with('0')) && frac.is_none_or(all_digits);
        if !valid || len > MAX_NUMBER {
            return Err(format!("`{key}`: `{}` is not a plain decimal number", clip(literal)));
        }
        self.at += len;
        Ok(Value::Num(literal.to_string()))
    }

    /// A string literal starting at the opening quote, escapes decoded.
    fn string(&mut self, max_chars: usize) -> Result<String, String> {
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut count = 0;
        loop {
            let Some(c) = self.peek() else {
                self.at = start;
                return Err(self.fail("a string is not closed with `\"`"));
            };
            match c {
                '"' => {
                    self.at += 1;
                    return Ok(out);
                }
                '\\' => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                c if (c as u32) < 0x20 => return Err(self.fail("a string holds a raw control character; write it as \\n or \\u00XX")),
                c => {
                    self.at += c.len_utf8();
                    out.push(c);
                }
            }
            count += 1;
            if count > max_chars {
                self.at = start;
                return Err(self.fail(&format!("a string is longer than {max_chars} characters")));
            }
        }
    }

    /// After a backslash: one escape, including `\uXXXX` and surrogate pairs.
    fn escape(&mut self) -> Result<char, String> {
        let Some(c) = self.peek() else {
            return Err(self.fail("a string ends inside an escape"));
        };
        self.at += c.len_utf8();
        Ok(match c {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let high = self.hex4()?;
                let code = match high {
                    0xD800..=0xDBFF => {
                        if !self.rest().starts_with("\\u") {
                            return Err(self.fail("a \\u escape is half of a surrogate pair without its other half"));
                        }
                        self.at += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.fail("a \\u escape is half of a surrogate pair without its other half"));
                        }
                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(self.fail("a \\u escape is half of a surrogate pair without its other half")),
                    code => code,
                };
                char::from_u32(code).ok_or_else(|| self.fail("a \\u escape is not a character"))?
            }
            _ => return Err(self.fail("unknown escape after `\\`")),
        })
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let hex = self.rest().get(..4).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        let Some(hex) = hex else {
            return Err(self.fail("\\u must be followed by four hexadecimal digits"));
        };
        let value = u32::from_str_radix(hex, 16).map_err(|_| self.fail("\\u must be followed by four hexadecimal digits"))?;
        self.at += 4;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_strings_and_writes_one_setting_a_line() {
        assert_eq!(quote("a\"b\\c\nd\u{1}é"), "\"a\\\"b\\\\c\\nd\\u0001é\"");
        let text = write(&[("name".into(), Value::Str("Q\"".into())), ("n".into(), Value::Num("1.5".into())), ("on".into(), Value::Bool(true))]);
        assert_eq!(text, "{\n  \"name\": \"Q\\\"\",\n  \"n\": 1.5,\n  \"on\": true\n}");
        assert_eq!(parse(&text).unwrap()[0].1, Value::Str("Q\"".into()), "what we write, we read");
    }

    #[test]
    fn parses_the_flat_object_with_escapes() {
        let got = parse(" {\"a\":\"\\u00e9\\ud83d\\ude00\\/\\t\" , \"b\" : -0.25,\"c\":false}\n").unwrap();
        assert_eq!(got[0].1, Value::Str("é😀/\t".into()));
        assert_eq!(got[1].1, Value::Num("-0.25".into()));
        assert_eq!(got[2].1, Value::Bool(false));
        assert_eq!(parse("{}").unwrap(), vec![]);
    }

    #[test]
    fn refuses_everything_else_with_a_reason() {
        for (bad, says) in [
            ("", "starts with `{`"),
            ("[1]", "starts with `{`"),
            ("{\"a\":1", "`,` or `}`"),
            ("{\"a\":1,}", "setting name"),
            ("{a:1}", "setting name"),
            ("{\"a\":1} x", "after the closing"),
            ("{\"a\":1,\"a\":2}", "twice"),
            ("{\"a\":1e6}", "exponent"),
            ("{\"a\":01}", "plain decimal"),
            ("{\"a\":1.}", "plain decimal"),
            ("{\"a\":-}", "plain decimal"),
            ("{\"a\":null}", "null"),
            ("{\"a\":{\"b\":1}}", "nested"),
            ("{\"a\":[1]}", "nested"),
            ("{\"a\":\"x}", "not closed"),
            ("{\"a\":\"\\ud800\"}", "surrogate"),
            ("{\"a\":\"\\udc00\"}", "surrogate"),
            ("{\"a\":\"\\u12\"}", "four hexadecimal"),
            ("{\"a\":\"\\q\"}", "unknown escape"),
            ("{\"a\":\"\n\"}", "control character"),
            ("{\"a\":tru}", "expected a string"),
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad:?}: {err}");
        }
        let many: Vec<String> = (0..60).map(|i| format!("\"k{i}\":1")).collect();
        assert!(parse(&format!("{{{}}}", many.join(","))).unwrap_err().contains("at most"));
        assert!(parse(&format!("{{\"a\":\"{}\"}}", "x".repeat(300))).unwrap_err().contains("longer than"));
    }

    #[test]
    fn never_panics_on_cut_or_odd_text() {
        let sample = "{\"name\": \"é😀\\u00e9\", \"peak_qps\": 10000, \"compare\": true}";
        for end in 0..=sample.len() {
            if let Some(prefix) = sample.get(..end) {
                let _ = parse(prefix);
            }
        }
        for odd in ["{\"\\", "{\"a\":\"\\u", "{\"a\":\"\\ud83d\\u", "{\"é\":é}", "{{{{{{", "\u{0}", "{\"a\":-", "{\"a\":+1}"] {
            assert!(parse(odd).is_err(), "{odd:?}");
        }
    }
}
