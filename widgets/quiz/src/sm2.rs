//! SM-2, the SuperMemo 2 spaced-repetition algorithm (Piotr Woźniak, 1990), as published at
//! <https://super-memory.com/english/ol/sm2.htm>:
//!
//! - each item has an E-Factor (EF), starting at 2.5;
//! - after a review graded q (0 to 5), EF' = EF + (0.1 − (5 − q) × (0.08 + (5 − q) × 0.02)),
//!   and never below 1.3;
//! - intervals are I(1) = 1 day, I(2) = 6 days, I(n) = I(n − 1) × EF, rounded up to whole days;
//! - a grade below 3 starts the repetitions again from I(1) without resetting EF;
//! - items graded below 4 are repeated again the same day until they reach 4.
//!
//! The site grades a question answered in a quiz 4 when right and 2 when wrong; on the review
//! page the learner grades themselves (Again 1, Hard 3, Good 4, Easy 5).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub ef: f64,
    /// Successful repetitions in a row.
    pub reps: u32,
    /// Days until the next review.
    pub interval: u32,
    /// Day number of the next review.
    pub due: i64,
    /// Graded below 4 on this day: show it again that day.
    pub again: Option<i64>,
}

impl Card {
    pub fn new(today: i64) -> Card {
        Card { ef: 2.5, reps: 0, interval: 0, due: today, again: None }
    }

    /// The card after a review graded `q` (clamped to 0..=5) on day `today`.
    pub fn review(&self, q: u8, today: i64) -> Card {
        let q = q.min(5);
        let d = f64::from(5 - q);
        let ef = (self.ef + (0.1 - d * (0.08 + d * 0.02))).max(1.3);
        let (reps, interval) = if q < 3 {
            (0, 1)
        } else {
            let reps = self.reps + 1;
            let interval = match reps {
                1 => 1,
                2 => 6,
                _ => (f64::from(self.interval) * ef).ceil() as u32,
            };
            (reps, interval)
        };
        Card { ef, reps, interval, due: today + i64::from(interval), again: (q < 4).then_some(today) }
    }

    /// Whether the card belongs in the queue on `today`.
    pub fn is_due(&self, today: i64) -> bool {
        self.due <= today || self.again == Some(today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The E-Factor change for each grade, from the published formula: +0.10, 0, −0.14, −0.32,
    /// −0.54, −0.80 for q = 5 down to 0.
    #[test]
    fn ef_changes_by_grade_as_published() {
        let expected = [(5, 0.10), (4, 0.0), (3, -0.14), (2, -0.32), (1, -0.54), (0, -0.80)];
        for (q, delta) in expected {
            let c = Card::new(0).review(q, 0);
            assert!((c.ef - (2.5 + delta)).abs() < 1e-9, "q={q}: {}", c.ef);
        }
    }

    #[test]
    fn intervals_are_1_then_6_then_multiplied_by_ef_and_rounded_up() {
        let mut c = Card::new(0);
        let mut day = 0;
        let mut intervals = vec![];
        for _ in 0..5 {
            c = c.review(4, day);
            intervals.push(c.interval);
            day = c.due;
        }
        // EF stays 2.5 at grade 4: 1, 6, 6 × 2.5 = 15, 15 × 2.5 = 37.5 -> 38, 38 × 2.5 = 95.
        assert_eq!(intervals, [1, 6, 15, 38, 95]);
        assert_eq!(c.due, 1 + 6 + 15 + 38 + 95);
    }

    #[test]
    fn ef_never_falls_below_1_3() {
        let mut c = Card::new(0);
        for _ in 0..10 {
            c = c.review(0, 0);
        }
        assert_eq!(c.ef, 1.3);
    }

    #[test]
    fn a_lapse_restarts_repetitions_but_keeps_ef_and_repeats_today() {
        let mut c = Card::new(0);
        c = c.review(5, 0);
        c = c.review(5, 1);
        c = c.review(5, 7);
        assert_eq!((c.reps, c.interval), (3, 17)); // EF 2.8 after three 5s: 6 × 2.8 = 16.8 -> 17
        let ef_before = c.ef;
        let lapsed = c.review(2, 24);
        assert_eq!((lapsed.reps, lapsed.interval, lapsed.due), (0, 1, 25));
        assert!((lapsed.ef - (ef_before - 0.32)).abs() < 1e-9);
        assert!(lapsed.is_due(24), "graded below 4: again the same day");
        assert!(!lapsed.review(4, 24).is_due(24), "graded 4 later that day: done for today");
        // Grade 3 passes (interval grows) but is still repeated the same day.
        let hard = Card::new(0).review(3, 0);
        assert_eq!((hard.reps, hard.interval), (1, 1));
        assert!(hard.is_due(0));
    }
}
