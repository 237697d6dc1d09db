//! The simulation: clients, the server, and the five retry policies. Formulas are in the
//! crate docs.

use widget_core::rng::Rng;
use widget_core::sim::Sim;

pub const POLICIES: [(&str, &str); 5] = [
    ("none", "No backoff"),
    ("exponential", "Exponential, no jitter"),
    ("full", "Full jitter"),
    ("equal", "Equal jitter"),
    ("decorrelated", "Decorrelated jitter"),
];
/// Share of a second the server can hold at once.
pub const HOLD_S: f64 = 0.1;
/// The span over which the peak load after recovery is measured, s.
pub const PEAK_S: f64 = 0.1;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub clients: u32,
    /// First attempts are uniform in `[0, spread)` seconds.
    pub spread: f64,
    pub down_from: f64,
    pub down_until: f64,
    /// Attempts per second the server serves.
    pub capacity: u32,
    pub policy: usize,
    pub compare: Option<usize>,
    pub retries: u32,
    pub base_ms: u32,
    pub cap_ms: u32,
    /// Retry budget in percent of first attempts; 0 = none.
    pub budget: u32,
    pub rtt_ms: u32,
    pub seed: u32,
}

/// The backoff ceiling before retry `n`: `min(cap, base × 2^n)`, in ms.
pub fn ceiling(base_ms: f64, cap_ms: f64, n: u32) -> f64 {
    cap_ms.min(base_ms * 2f64.powi(n.min(60) as i32))
}

/// The sleep before retry `n` in ms, given a uniform draw `u` in [0, 1) and the previous sleep
/// (for decorrelated jitter).
pub fn sleep_ms(policy: usize, base: f64, cap: f64, n: u32, u: f64, previous: f64) -> f64 {
    let c = ceiling(base, cap, n);
    match POLICIES[policy].0 {
        "none" => 0.0,
        "exponential" => c,
        "full" => u * c,
        "equal" => c / 2.0 + u * c / 2.0,
        _ => cap.min(base + u * (3.0 * previous - base).max(0.0)),
    }
}

/// What one policy did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Every attempt: when it reached the server (s) and whether it was served.
    pub attempts: Vec<(f64, bool)>,
    pub retries: u32,
    pub gave_up: u32,
    /// When the last client got its answer or gave up, s.
    pub finished: f64,
    /// Most attempts in any 100 ms `[s, s + 0.1)` with `s ≥ t2`, after recovery.
    pub peak_after: u32,
}

#[derive(Clone, Copy)]
struct Client {
    retries: u32,
    previous_ms: f64,
}

/// First-attempt times, the same for every policy.
pub fn first_attempts(c: &Config) -> Vec<f64> {
    let mut rng = Rng::new(u64::from(c.seed));
    (0..c.clients).map(|_| rng.next_f64() * c.spread).collect()
}

pub fn simulate(c: &Config, policy: usize) -> Outcome {
    let rtt = f64::from(c.rtt_ms) / 1000.0;
    let (base, cap) = (f64::from(c.base_ms), f64::from(c.cap_ms));
    let hold = (f64::from(c.capacity) * HOLD_S).max(1.0);
    let mut rng = Rng::new(u64::from(c.seed) ^ (0x9E37_79B9 * (policy as u64 + 1)));
    let mut clients = vec![Client { retries: 0, previous_ms: base }; c.clients as usize];
    let mut sim = Sim::new();
    for (i, t) in first_attempts(c).into_iter().enumerate() {
        sim.schedule(t, i);
    }
    let mut out = Outcome { attempts: Vec::with_capacity(c.clients as usize * (c.retries as usize + 1)), ..Outcome::default() };
    let (mut tokens, mut last, mut firsts) = (hold, 0.0, 0u32);
    while let Some((t, i)) = sim.next() {
        tokens = (tokens + (t - last) * f64::from(c.capacity)).min(hold);
        last = t;
        let cl = &mut clients[i];
        if cl.retries == 0 {
            firsts += 1;
        }
        let up = !(c.down_from..c.down_until).contains(&t);
        let ok = up && tokens >= 1.0;
        if ok {
            tokens -= 1.0;
        }
        out.attempts.push((t, ok));
        if ok {
            out.finished = out.finished.max(t + rtt);
            continue;
        }
        let budget_ok = c.budget == 0 || f64::from(out.retries) < f64::from(c.budget) / 100.0 * f64::from(firsts);
        if cl.retries < c.retries && budget_ok {
            let s = sleep_ms(policy, base, cap, cl.retries, rng.next_f64(), cl.previous_ms);
            cl.previous_ms = s;
            cl.retries += 1;
            out.retries += 1;
            sim.schedule(rtt + s / 1000.0, i);
        } else {
            out.gave_up += 1;
            out.finished = out.finished.max(t + rtt);
        }
    }
    let after: Vec<f64> = out.attempts.iter().map(|a| a.0).filter(|t| *t >= c.down_until).collect();
    out.peak_after = busiest(&after, PEAK_S);
    out
}

/// The most sorted `times` in any span `[s, s + width)`.
pub fn busiest(times: &[f64], width: f64) -> u32 {
    let (mut best, mut j) = (0, 0);
    for (i, t) in times.iter().enumerate() {
        j = j.max(i);
        while j < times.len() && times[j] < t + width {
            j += 1;
        }
        best = best.max(j - i);
    }
    best as u32
}


/// The peak after recovery as requests per second.
pub fn peak_rate(o: &Outcome) -> f64 {
    f64::from(o.peak_after) / PEAK_S
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_and_sleeps_match_the_course_page() {
        // Page, Part A: base 100 ms, cap 2,000 ms: ceilings 100, 200, 400, 800, 1,600, 2,000.
        let c: Vec<f64> = (0..6).map(|n| ceiling(100.0, 2000.0, n)).collect();
        assert_eq!(c, [100.0, 200.0, 400.0, 800.0, 1600.0, 2000.0]);
        // No jitter: the sum of the six sleeps is 5,100 ms.
        assert_eq!((0..6).map(|n| sleep_ms(1, 100.0, 2000.0, n, 0.7, 0.0)).sum::<f64>(), 5100.0);
        // Full jitter at n = 3 (ceiling 800): u = 0 gives 0, u = 0.5 gives 400 (the mean).
        assert_eq!(sleep_ms(2, 100.0, 2000.0, 3, 0.0, 0.0), 0.0);
        assert_eq!(sleep_ms(2, 100.0, 2000.0, 3, 0.5, 0.0), 400.0);
        // Equal jitter at n = 3: 400 + u × 400, so 400 to 800 with mean 600.
        assert_eq!(sleep_ms(3, 100.0, 2000.0, 3, 0.0, 0.0), 400.0);
        assert_eq!(sleep_ms(3, 100.0, 2000.0, 3, 0.5, 0.0), 600.0);
        // Decorrelated: from previous 100 the range is random(100, 300): u = 0 → 100, u = 0.5 → 200.
        assert_eq!(sleep_ms(4, 100.0, 2000.0, 0, 0.0, 100.0), 100.0);
        assert_eq!(sleep_ms(4, 100.0, 2000.0, 0, 0.5, 100.0), 200.0);
        // From previous 250: random(100, 750), u = 1/2 → 425. From 600: random(100, 1800) capped at 2,000.
        assert_eq!(sleep_ms(4, 100.0, 2000.0, 1, 0.5, 250.0), 425.0);
        assert_eq!(sleep_ms(4, 100.0, 2000.0, 2, 0.999_999, 1000.0), 2000.0, "3 × 1000 = 3000, capped");
        assert_eq!(sleep_ms(0, 100.0, 2000.0, 4, 0.5, 0.0), 0.0, "no backoff");
        // Large n does not overflow.
        assert_eq!(ceiling(100.0, 2000.0, 10_000), 2000.0);
    }

    #[test]
    fn busiest_span_by_hand() {
        // Spans [s, s + 0.1): 2.0, 2.05, 2.099 fit in [2.0, 2.1); 2.1 starts the next one.
        assert_eq!(busiest(&[2.0, 2.05, 2.099, 2.1, 2.3], 0.1), 3);
        assert_eq!(busiest(&[], 0.1), 0);
    }
}
