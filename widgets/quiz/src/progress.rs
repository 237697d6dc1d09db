//! The learner's progress: pages read, module quiz scores, review cards and active days. It
//! lives in the browser's storage as JSON and moves between browsers as an exported file.
//!
//! Everything that comes in, from storage or from a file, goes through [`Progress::import`]:
//! size, shape, every key and every number are checked, and a file that fails any check is
//! rejected whole with a message saying what is wrong (nothing is merged or half-applied).
//! Keys are restricted to the characters course URLs and ids use, so no text from a file can
//! carry markup into the page.

use crate::date;
use crate::sm2::Card;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const VERSION: u32 = 1;
/// Larger files are refused before parsing.
pub const MAX_BYTES: usize = 1_000_000;
const MAX_ENTRIES: usize = 10_000;
/// A module quiz counts as passed at this score.
pub const PASS: f64 = 0.8;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    /// Page URL path (`modules/01-foundations/availability/`) -> day first read.
    pub read: BTreeMap<String, i64>,
    /// Module folder -> its quiz record.
    pub quizzes: BTreeMap<String, QuizRecord>,
    /// Question id -> its review card.
    pub cards: BTreeMap<String, Card>,
    /// Days on which the learner read or answered something.
    pub days: BTreeSet<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizRecord {
    pub best: f64,
    pub last: f64,
    pub attempts: u32,
    pub date: String,
}

/// The file format: dates as `YYYY-MM-DD` so the file reads well.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    #[serde(default)]
    read: BTreeMap<String, String>,
    #[serde(default)]
    quizzes: BTreeMap<String, QuizRecord>,
    #[serde(default)]
    cards: BTreeMap<String, FileCard>,
    #[serde(default)]
    days: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCard {
    ef: f64,
    reps: u32,
    interval: u32,
    due: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    again: Option<String>,
}

const FORMAT: &str = "sdp-progress";

impl Progress {
    /// Read and check a progress file (or stored progress). An empty text is a new learner.
    pub fn import(text: &str) -> Result<Progress, String> {
        if text.trim().is_empty() {
            return Ok(Progress::default());
        }
        if text.len() > MAX_BYTES {
            return Err(format!("the file is {} KB; a progress file is at most {} KB", text.len() / 1000, MAX_BYTES / 1000));
        }
        let file: File = serde_json::from_str(text).map_err(|e| format!("this is not a progress file from this course ({e})"))?;
        if file.format != FORMAT {
            return Err(format!("this is not a progress file from this course (format is {:?}, expected {FORMAT:?})", clip(&file.format)));
        }
        if file.version != VERSION {
            return Err(format!("progress file version {} is not supported (this site reads version {VERSION})", file.version));
        }
        let total = file.read.len() + file.quizzes.len() + file.cards.len() + file.days.len();
        if total > MAX_ENTRIES {
            return Err(format!("the file has {total} entries; at most {MAX_ENTRIES} are accepted"));
        }
        let day = |what: &str, s: &str| date::parse(s).ok_or_else(|| format!("{what}: {:?} is not a date written YYYY-MM-DD", clip(s)));
        let mut p = Progress::default();
        for (url, d) in &file.read {
            if !is_url_path(url) {
                return Err(format!("`read` has an entry {:?} that is not a page of this course", clip(url)));
            }
            p.read.insert(url.clone(), day("a read date", d)?);
        }
        for (module, q) in file.quizzes {
            if !is_module(&module) {
                return Err(format!("`quizzes` has an entry {:?} that is not a module folder such as 01-foundations", clip(&module)));
            }
            let score_ok = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
            if !score_ok(q.best) || !score_ok(q.last) || q.last > q.best || q.attempts == 0 || q.attempts > 100_000 {
                return Err(format!("the quiz record for {module} has impossible numbers (scores are 0 to 1, best at least last, attempts 1 or more)"));
            }
            day("a quiz date", &q.date)?;
            p.quizzes.insert(module, q);
        }
        for (id, c) in file.cards {
            if !is_id(&id) {
                return Err(format!("`cards` has an entry {:?} that is not a question id", clip(&id)));
            }
            if !c.ef.is_finite() || !(1.3..=5.0).contains(&c.ef) || c.interval > 36_500 || c.reps > 10_000 {
                return Err(format!("the review card for {id} has impossible numbers"));
            }
            let due = day("a due date", &c.due)?;
            let again = c.again.as_deref().map(|a| day("a repeat date", a)).transpose()?;
            p.cards.insert(id, Card { ef: c.ef, reps: c.reps, interval: c.interval, due, again });
        }
        for d in &file.days {
            p.days.insert(day("an active day", d)?);
        }
        Ok(p)
    }

    pub fn export(&self) -> String {
        let file = File {
            format: FORMAT.into(),
            version: VERSION,
            read: self.read.iter().map(|(u, d)| (u.clone(), date::format(*d))).collect(),
            quizzes: self.quizzes.clone(),
            cards: self
                .cards
                .iter()
                .map(|(id, c)| (id.clone(), FileCard { ef: c.ef, reps: c.reps, interval: c.interval, due: date::format(c.due), again: c.again.map(date::format) }))
                .collect(),
            days: self.days.iter().map(|d| date::format(*d)).collect(),
        };
        serde_json::to_string(&file).expect("progress serializes")
    }

    pub fn read_page(&mut self, url: &str, today: i64) {
        if is_url_path(url) {
            self.read.entry(url.to_string()).or_insert(today);
            self.days.insert(today);
        }
    }

    /// A question answered in a quiz or a quick check: right is graded 4, wrong 2.
    pub fn answer(&mut self, id: &str, correct: bool, today: i64) {
        self.rate(id, if correct { 4 } else { 2 }, today);
    }

    /// A review graded by the learner (0 to 5).
    pub fn rate(&mut self, id: &str, q: u8, today: i64) {
        if !is_id(id) {
            return;
        }
        let card = self.cards.get(id).cloned().unwrap_or_else(|| Card::new(today));
        self.cards.insert(id.to_string(), card.review(q, today));
        self.days.insert(today);
    }

    pub fn finish_quiz(&mut self, module: &str, score: f64, today: i64) {
        if !is_module(module) || !score.is_finite() {
            return;
        }
        let score = score.clamp(0.0, 1.0);
        let record = self.quizzes.entry(module.to_string()).or_insert(QuizRecord { best: 0.0, last: 0.0, attempts: 0, date: date::format(today) });
        record.attempts += 1;
        record.last = score;
        if score >= record.best {
            record.best = score;
            record.date = date::format(today);
        }
        self.days.insert(today);
    }

    /// Question ids to review on `today`, most overdue first.
    pub fn due(&self, today: i64) -> Vec<String> {
        let mut due: Vec<(&String, &Card)> = self.cards.iter().filter(|(_, c)| c.is_due(today)).collect();
        due.sort_by_key(|(id, c)| (c.due.min(c.again.unwrap_or(i64::MAX)), *id));
        due.into_iter().map(|(id, _)| id.clone()).collect()
    }

    /// Days in a row with activity, ending today (or yesterday, when today has none yet).
    pub fn streak(&self, today: i64) -> u32 {
        let mut day = if self.days.contains(&today) { today } else { today - 1 };
        let mut n = 0;
        while self.days.contains(&day) {
            n += 1;
            day -= 1;
        }
        n
    }
}

/// At most 40 characters of untrusted text, for error messages.
fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

/// A course URL path such as `modules/01-foundations/availability/`.
pub fn is_url_path(s: &str) -> bool {
    !s.is_empty() && s.len() <= 200 && s.ends_with('/') && !s.contains("//") && !s.starts_with('/')
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/')
}

/// A question id: a lowercase-hyphen slug.
pub fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 80 && !s.starts_with('-') && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A module folder such as `01-foundations`.
pub fn is_module(s: &str) -> bool {
    s.len() > 3 && s.as_bytes()[..2].iter().all(u8::is_ascii_digit) && s.as_bytes()[2] == b'-' && is_id(&s[3..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        date::parse(s).unwrap()
    }

    fn sample() -> Progress {
        let mut p = Progress::default();
        p.read_page("modules/01-foundations/availability/", day("2026-11-25"));
        p.answer("availability-serial-chain", true, day("2026-11-26"));
        p.answer("latency-disk-vs-network", false, day("2026-11-26"));
        p.finish_quiz("01-foundations", 0.9, day("2026-11-27"));
        p
    }

    #[test]
    fn export_then_import_gives_the_same_progress() {
        let p = sample();
        let text = p.export();
        assert!(text.contains("\"format\":\"sdp-progress\"") && text.contains("2026-11-27"));
        assert_eq!(Progress::import(&text).unwrap(), p);
        assert_eq!(Progress::import("").unwrap(), Progress::default());
    }

    #[test]
    fn quiz_records_keep_the_best_score() {
        let mut p = sample();
        p.finish_quiz("01-foundations", 0.5, day("2026-11-28"));
        let r = &p.quizzes["01-foundations"];
        assert_eq!((r.best, r.last, r.attempts, r.date.as_str()), (0.9, 0.5, 2, "2026-11-27"));
    }

    #[test]
    fn due_and_streak() {
        let p = sample();
        // The wrong answer (graded 2) is due again the same day and the next; the right one next day.
        assert_eq!(p.due(day("2026-11-26")), ["latency-disk-vs-network"]);
        assert_eq!(p.due(day("2026-11-27")).len(), 2);
        assert_eq!(p.streak(day("2026-11-27")), 3);
        assert_eq!(p.streak(day("2026-11-28")), 3, "today not active yet: count to yesterday");
        assert_eq!(p.streak(day("2026-11-30")), 0);
    }

    fn rejects(text: &str, fragment: &str) {
        let e = Progress::import(text).unwrap_err();
        assert!(e.contains(fragment), "{e}");
    }

    #[test]
    fn malformed_and_hostile_files_are_rejected_with_a_reason() {
        rejects("not json", "not a progress file");
        rejects("[1,2,3]", "not a progress file");
        rejects(r#"{"format":"other","version":1}"#, "format is");
        rejects(r#"{"format":"sdp-progress","version":2}"#, "version 2");
        rejects(r#"{"format":"sdp-progress","version":1,"extra":true}"#, "unknown field");
        rejects(r#"{"format":"sdp-progress","version":"1"}"#, "not a progress file");
        rejects(r#"{"format":"sdp-progress","version":1,"read":{"<script>alert(1)</script>/":"2026-11-27"}}"#, "not a page of this course");
        rejects(r#"{"format":"sdp-progress","version":1,"read":{"modules/x/":"yesterday"}}"#, "not a date");
        rejects(r#"{"format":"sdp-progress","version":1,"cards":{"q\"><img src=x onerror=alert(1)>":{"ef":2.5,"reps":1,"interval":1,"due":"2026-11-27"}}}"#, "not a question id");
        rejects(r#"{"format":"sdp-progress","version":1,"cards":{"q":{"ef":1e308,"reps":1,"interval":1,"due":"2026-11-27"}}}"#, "impossible numbers");
        rejects(r#"{"format":"sdp-progress","version":1,"quizzes":{"01-a":{"best":7,"last":0.5,"attempts":1,"date":"2026-11-27"}}}"#, "impossible numbers");
        rejects(r#"{"format":"sdp-progress","version":1,"quizzes":{"../../etc":{"best":1,"last":1,"attempts":1,"date":"2026-11-27"}}}"#, "not a module folder");
        rejects(r#"{"format":"sdp-progress","version":1,"days":[1,2]}"#, "not a progress file");
        let huge = format!(r#"{{"format":"sdp-progress","version":1,"days":["{}"]}}"#, "x".repeat(MAX_BYTES));
        rejects(&huge, "at most 1000 KB");
        let many: Vec<String> = (0..MAX_ENTRIES + 1).map(|i| format!("\"modules/p{i}/\":\"2026-11-27\"")).collect();
        rejects(&format!(r#"{{"format":"sdp-progress","version":1,"read":{{{}}}}}"#, many.join(",")), "entries");
    }

    #[test]
    fn keys_are_limited_to_safe_characters() {
        assert!(is_url_path("modules/01-foundations/availability/"));
        assert!(!is_url_path("/modules/x/") && !is_url_path("modules/x") && !is_url_path("modules/<b>/") && !is_url_path("a//b/"));
        assert!(is_id("availability-serial-chain") && !is_id("Bad Id") && !is_id("-x"));
        assert!(is_module("01-foundations") && !is_module("1-foundations") && !is_module("01-") && !is_module("ab-cd"));
    }
}
