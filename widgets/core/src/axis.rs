//! Chart axes: round tick spacings, so that every chart labels its axes the same way.

/// A round tick spacing (1, 2 or 5 × 10ⁿ) giving at most 5 intervals over `range`.
pub fn nice_step(range: f64) -> f64 {
    let mut s = 0.001;
    loop {
        for k in [1.0, 2.0, 5.0] {
            if range / (s * k) <= 5.0 || s > 1e12 {
                return s * k;
            }
        }
        s *= 10.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_give_at_most_five_intervals() {
        // 100 ÷ 20 = 5 intervals; 101 needs 50 (101 ÷ 20 = 5.05 > 5); 7 ÷ 2 = 3.5; 0.3 ÷ 0.1 = 3.
        assert_eq!(nice_step(100.0), 20.0);
        assert_eq!(nice_step(101.0), 50.0);
        assert_eq!(nice_step(7.0), 2.0);
        assert_eq!(nice_step(0.3), 0.1);
        assert_eq!(nice_step(0.0), 0.001);
        assert!(nice_step(f64::INFINITY).is_finite(), "stops on absurd ranges");
    }
}
