//! Answer keys and grading. The generator writes a [`Key`] for each question into the page (as
//! JSON); the browser sends the learner's [`Answer`] and the key here, and shows the [`Graded`]
//! result.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Key {
    /// One right option (also "predict, then run" questions).
    Single { options: usize, correct: usize },
    /// Every right option and no wrong one.
    Multiple { options: usize, correct: Vec<usize> },
    /// Items are numbered in their right order; the learner's order must match.
    Order { items: usize },
    /// A number within the tolerance.
    Numeric { answer: f64, tolerance: Tolerance },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Tolerance {
    /// Plus or minus this much.
    Absolute(f64),
    /// Plus or minus this fraction of the answer (0.2 for 20%).
    Relative(f64),
}

impl Tolerance {
    /// `"20%"` -> Relative(0.2); `"2"` or `2` -> Absolute(2.0).
    pub fn parse(text: &str) -> Option<Tolerance> {
        let t = text.trim();
        let tol = match t.strip_suffix('%') {
            Some(p) => Tolerance::Relative(widget_core::format::parse(p)? / 100.0),
            None => Tolerance::Absolute(widget_core::format::parse(t)?),
        };
        match tol {
            Tolerance::Absolute(x) | Tolerance::Relative(x) if x > 0.0 && x.is_finite() => Some(tol),
            _ => None,
        }
    }

    fn allows(self, answer: f64, given: f64) -> bool {
        let margin = match self {
            Tolerance::Absolute(x) => x,
            Tolerance::Relative(f) => (answer * f).abs(),
        };
        (given - answer).abs() <= margin * (1.0 + 1e-9)
    }

    pub fn describe(self) -> String {
        match self {
            Tolerance::Absolute(x) => format!("± {}", widget_core::format::short(x, 3)),
            Tolerance::Relative(f) => format!("± {}%", widget_core::format::short(f * 100.0, 2)),
        }
    }
}

/// What the learner gave: option or item numbers (in their order), or typed text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Choices(Vec<usize>),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Graded {
    pub correct: bool,
    /// What the result means, in words (shown under the question).
    pub message: String,
}

impl Key {
    pub fn grade(&self, answer: &Answer) -> Graded {
        let result = |correct: bool, message: String| Graded { correct, message };
        match (self, answer) {
            (Key::Single { options, correct }, Answer::Choices(c)) => match c.as_slice() {
                [] => result(false, "No option was chosen.".into()),
                [one] if one == correct => result(true, "Correct.".into()),
                [one] if one < options => result(false, "Not quite.".into()),
                _ => result(false, "Choose one option.".into()),
            },
            (Key::Multiple { options, correct }, Answer::Choices(c)) => {
                let mut given: Vec<usize> = c.iter().copied().filter(|i| i < options).collect();
                given.sort_unstable();
                given.dedup();
                let right = given.iter().filter(|i| correct.contains(i)).count();
                let wrong = given.len() - right;
                if right == correct.len() && wrong == 0 {
                    result(true, format!("Correct: all {} right options and no other.", correct.len()))
                } else {
                    result(false, format!("{right} of {} right options chosen, {wrong} wrong.", correct.len()))
                }
            }
            (Key::Order { items }, Answer::Choices(c)) => {
                let valid = c.len() == *items && { let mut s = c.clone(); s.sort_unstable(); s == (0..*items).collect::<Vec<_>>() };
                if !valid {
                    return result(false, "Put every item in the list once.".into());
                }
                let placed = c.iter().enumerate().filter(|(i, v)| i == *v).count();
                if placed == *items {
                    result(true, "Correct order.".into())
                } else {
                    result(false, format!("{placed} of {items} in the right place."))
                }
            }
            (Key::Numeric { answer, tolerance }, Answer::Text(t)) => match parse_number(t) {
                None => result(false, "Type a number, such as 25, 2.5k or 3e6.".into()),
                Some(x) if tolerance.allows(*answer, x) => result(
                    true,
                    format!("Correct: the answer is {} ({} accepted).", widget_core::format::number(*answer, decimals(*answer)), tolerance.describe()),
                ),
                Some(_) => result(
                    false,
                    format!("The answer is {} ({} accepted).", widget_core::format::number(*answer, decimals(*answer)), tolerance.describe()),
                ),
            },
            _ => result(false, "That kind of answer does not fit this question.".into()),
        }
    }

    /// Whether the key is self-consistent (the generator checks keys before writing them).
    pub fn problem(&self) -> Option<String> {
        match self {
            Key::Single { options, correct } if correct >= options => Some("the correct option does not exist".into()),
            Key::Multiple { options, correct } if correct.iter().any(|c| c >= options) => Some("a correct option does not exist".into()),
            Key::Multiple { options, correct } if correct.len() < 2 || correct.len() >= *options => {
                Some(format!("a multiple-choice question needs at least two correct options and one wrong one (has {} of {options} correct)", correct.len()))
            }
            Key::Order { items } if *items < 3 => Some("an ordering question needs at least three items".into()),
            Key::Numeric { answer, .. } if !answer.is_finite() => Some("the answer is not a number".into()),
            _ => None,
        }
    }
}

fn decimals(x: f64) -> usize {
    let mut d = 0;
    while d < 4 && (x * 10f64.powi(d as i32)).fract().abs() > 1e-9 {
        d += 1;
    }
    d
}

/// A typed number: `25`, `1,200`, `2.5k`, `3M`, `1.5e6`, `40 %` (units after the number are
/// ignored, so `12 servers` reads as 12).
pub fn parse_number(text: &str) -> Option<f64> {
    let t: String = text.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')).unwrap_or(t.len());
    // `e` may start a unit word ("12 each"): only take it as an exponent when digits follow.
    let (mut num, mut rest) = t.split_at(end);
    if let Some(i) = num.find(['e', 'E']) {
        if !num[i + 1..].trim_start_matches(['+', '-']).starts_with(|c: char| c.is_ascii_digit()) {
            (num, rest) = t.split_at(i);
        }
    }
    let (mantissa, exponent) = match num.find(['e', 'E']) {
        Some(i) => (&num[..i], num[i + 1..].parse::<i32>().ok()?),
        None => (num, 0),
    };
    let base = widget_core::format::parse(mantissa)?;
    let scale = match rest.trim_start().chars().next() {
        Some('k' | 'K') => 1e3,
        Some('M') => 1e6,
        Some('B' | 'G') if rest.trim_start().len() == 1 => 1e9,
        _ => 1.0,
    };
    let x = base * 10f64.powi(exponent) * scale;
    x.is_finite().then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices(c: &[usize]) -> Answer {
        Answer::Choices(c.to_vec())
    }

    #[test]
    fn single_choice_needs_the_one_right_option() {
        let k = Key::Single { options: 4, correct: 2 };
        assert!(k.grade(&choices(&[2])).correct);
        assert!(!k.grade(&choices(&[1])).correct);
        assert!(!k.grade(&choices(&[])).correct);
        assert!(!k.grade(&choices(&[2, 1])).correct);
        assert!(!k.grade(&Answer::Text("2".into())).correct);
    }

    #[test]
    fn multiple_choice_needs_all_right_and_no_wrong() {
        let k = Key::Multiple { options: 5, correct: vec![0, 3] };
        assert!(k.grade(&choices(&[3, 0])).correct);
        let partial = k.grade(&choices(&[0]));
        assert!(!partial.correct && partial.message.starts_with("1 of 2"));
        assert!(!k.grade(&choices(&[0, 3, 4])).correct);
        assert!(k.grade(&choices(&[0, 3, 9])).correct, "options that do not exist are ignored");
    }

    #[test]
    fn order_counts_items_in_place_and_rejects_non_permutations() {
        let k = Key::Order { items: 4 };
        assert!(k.grade(&choices(&[0, 1, 2, 3])).correct);
        let g = k.grade(&choices(&[1, 0, 2, 3]));
        assert!(!g.correct && g.message.starts_with("2 of 4"));
        assert!(!k.grade(&choices(&[0, 0, 1, 2])).correct);
        assert!(!k.grade(&choices(&[0, 1, 2])).correct);
    }

    #[test]
    fn numeric_answers_within_tolerance() {
        let abs = Key::Numeric { answer: 25.0, tolerance: Tolerance::Absolute(2.0) };
        assert!(abs.grade(&Answer::Text("27".into())).correct);
        assert!(abs.grade(&Answer::Text("23 servers".into())).correct);
        assert!(!abs.grade(&Answer::Text("28".into())).correct);
        let rel = Key::Numeric { answer: 50_000.0, tolerance: Tolerance::parse("20%").unwrap() };
        for ok in ["50000", "50,000", "50k", "5e4", "58k", "40000"] {
            assert!(rel.grade(&Answer::Text(ok.into())).correct, "{ok}");
        }
        for bad in ["61k", "39,000", "five", "", "1e999"] {
            assert!(!rel.grade(&Answer::Text(bad.into())).correct, "{bad}");
        }
        assert!(rel.grade(&Answer::Text("1".into())).message.contains("50,000"));
    }

    #[test]
    fn numbers_parse_with_separators_suffixes_and_exponents() {
        assert_eq!(parse_number("1,200"), Some(1200.0));
        assert_eq!(parse_number("2.5k"), Some(2500.0));
        assert_eq!(parse_number("3M"), Some(3e6));
        assert_eq!(parse_number("1.5e6"), Some(1.5e6));
        assert_eq!(parse_number("12 each"), Some(12.0));
        assert_eq!(parse_number("4 B"), Some(4e9));
        assert_eq!(parse_number("4 bytes"), Some(4.0));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("k"), None);
    }

    #[test]
    fn tolerances_parse_and_keys_are_checked() {
        assert_eq!(Tolerance::parse("10%"), Some(Tolerance::Relative(0.1)));
        assert_eq!(Tolerance::parse("0.5"), Some(Tolerance::Absolute(0.5)));
        assert_eq!(Tolerance::parse("0"), None);
        assert_eq!(Tolerance::parse("-1"), None);
        assert!(Key::Multiple { options: 4, correct: vec![1] }.problem().is_some());
        assert!(Key::Single { options: 3, correct: 3 }.problem().is_some());
        assert!(Key::Order { items: 2 }.problem().is_some());
        assert!(Key::Single { options: 3, correct: 0 }.problem().is_none());
        let json = serde_json::to_string(&Key::Numeric { answer: 5.0, tolerance: Tolerance::Relative(0.1) }).unwrap();
        assert_eq!(json, r#"{"type":"numeric","answer":5.0,"tolerance":{"relative":0.1}}"#);
        assert!(serde_json::from_str::<Key>(&json).is_ok());
    }
}
