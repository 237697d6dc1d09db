//! Everything a learner's browser does with quizzes, as plain Rust that is unit-tested natively
//! and compiled to WebAssembly for the site (`web` holds the browser exports):
//!
//! - [`key`]: what a question accepts, and grading an answer against it;
//! - [`sm2`]: the SM-2 spaced-repetition schedule;
//! - [`progress`]: the learner's record (pages read, quiz scores, review cards, active days),
//!   kept in the browser and exported or imported as JSON, validated so that a malformed or
//!   hostile file is rejected whole;
//! - [`certificate`]: the one-page certificate PDF with its verification code;
//! - [`date`]: calendar days, as the learner's browser gives them (`YYYY-MM-DD`).
//!
//! The generator uses [`key`] too: the answer keys it writes into pages are this crate's types.

pub mod certificate;
pub mod date;
pub mod key;
pub mod progress;
pub mod sm2;
#[cfg(target_arch = "wasm32")]
mod web;

/// A seeded order of `n` items (Fisher-Yates with SplitMix64), so a shared quiz link shows the
/// same order on every machine.
pub fn shuffled(seed: u64, n: usize) -> Vec<usize> {
    let mut rng = widget_core::rng::Rng::new(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

#[cfg(test)]
mod tests {
    #[test]
    fn shuffles_are_seeded_permutations() {
        let a = super::shuffled(42, 10);
        assert_eq!(a, super::shuffled(42, 10));
        assert_ne!(a, super::shuffled(43, 10));
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
        assert_ne!(a, (0..10).collect::<Vec<_>>());
    }
}
