//! The five limiters, each a small state machine offered one request at a time (whole
//! milliseconds, in order), and the "busiest span" measure. Formulas are in the crate docs.

use std::collections::VecDeque;

/// Token bucket with `capacity` tokens refilled at `limit` per `window` ms. Tokens are kept in
/// units of 1/window token, so refills of whole milliseconds are exact.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: i64,
    limit: i64,
    window: i64,
    units: i64,
    last: i64,
}

impl TokenBucket {
    pub fn new(capacity: u32, limit: u32, window: i64) -> TokenBucket {
        let capacity = i64::from(capacity) * window;
        TokenBucket { capacity, limit: i64::from(limit), window, units: capacity, last: 0 }
    }
    pub fn offer(&mut self, t: i64) -> bool {
        self.units = (self.units + (t - self.last).max(0) * self.limit).min(self.capacity);
        self.last = self.last.max(t);
        let ok = self.units >= self.window;
        if ok {
            self.units -= self.window;
        }
        ok
    }
    pub fn tokens(&self) -> f64 {
        self.units as f64 / self.window as f64
    }
}

/// Leaky bucket as a queue: one request leaves every `window / limit` ms, at most `queue` wait.
/// Times inside are ticks of 1/limit ms, so the drain interval is exactly `window` ticks.
#[derive(Debug, Clone)]
pub struct LeakyBucket {
    limit: i64,
    window: i64,
    queue: usize,
    last_out: Option<i64>,
    waiting: VecDeque<i64>,
}

impl LeakyBucket {
    pub fn new(queue: u32, limit: u32, window: i64) -> LeakyBucket {
        LeakyBucket { limit: i64::from(limit), window, queue: queue as usize, last_out: None, waiting: VecDeque::new() }
    }
    /// The departure time in ticks (ms × limit) if the request is queued, `None` if rejected.
    pub fn offer(&mut self, t: i64) -> Option<i64> {
        let now = t * self.limit;
        while self.waiting.front().is_some_and(|d| *d <= now) {
            self.waiting.pop_front();
        }
        if self.waiting.len() >= self.queue {
            return None;
        }
        let d = self.last_out.map_or(now, |p| now.max(p + self.window));
        self.last_out = Some(d);
        if d > now {
            self.waiting.push_back(d);
        }
        Some(d)
    }
}

#[derive(Debug, Clone)]
pub struct FixedWindow {
    limit: u32,
    window: i64,
    index: i64,
    count: u32,
}

impl FixedWindow {
    pub fn new(limit: u32, window: i64) -> FixedWindow {
        FixedWindow { limit, window, index: 0, count: 0 }
    }
    pub fn offer(&mut self, t: i64) -> bool {
        let w = t.div_euclid(self.window);
        if w != self.index {
            self.index = w;
            self.count = 0;
        }
        let ok = self.count < self.limit;
        self.count += u32::from(ok);
        ok
    }
}

#[derive(Debug, Clone)]
pub struct SlidingLog {
    limit: usize,
    window: i64,
    log: VecDeque<i64>,
}

impl SlidingLog {
    pub fn new(limit: u32, window: i64) -> SlidingLog {
        SlidingLog { limit: limit as usize, window, log: VecDeque::new() }
    }
    pub fn offer(&mut self, t: i64) -> bool {
        while self.log.front().is_some_and(|p| *p <= t - self.window) {
            self.log.pop_front();
        }
        let ok = self.log.len() < self.limit;
        if ok {
            self.log.push_back(t);
        }
        ok
    }
}

#[derive(Debug, Clone)]
pub struct SlidingCounter {
    limit: i64,
    window: i64,
    index: i64,
    prev: i64,
    curr: i64,
}

impl SlidingCounter {
    pub fn new(limit: u32, window: i64) -> SlidingCounter {
        SlidingCounter { limit: i64::from(limit), window, index: 0, prev: 0, curr: 0 }
    }
    fn roll(&mut self, t: i64) -> i64 {
        let w = t.div_euclid(self.window);
        if w != self.index {
            self.prev = if w == self.index + 1 { self.curr } else { 0 };
            self.curr = 0;
            self.index = w;
        }
        t - w * self.window
    }
    /// `previous × (W − elapsed) / W + current` at time `t`.
    pub fn estimate(&mut self, t: i64) -> f64 {
        let elapsed = self.roll(t);
        (self.prev * (self.window - elapsed)) as f64 / self.window as f64 + self.curr as f64
    }
    pub fn offer(&mut self, t: i64) -> bool {
        let elapsed = self.roll(t);
        // estimate < L, multiplied through by W to stay in integers.
        let ok = self.prev * (self.window - elapsed) + self.curr * self.window < self.limit * self.window;
        self.curr += i64::from(ok);
        ok
    }
}

/// The most sorted `times` in any span `[s, s + width)`, and the first time of that span.
pub fn busiest(times: &[i64], width: i64) -> (u32, i64) {
    let (mut best, mut start, mut j) = (0usize, 0i64, 0usize);
    for (i, t) in times.iter().enumerate() {
        j = j.max(i);
        while j < times.len() && times[j] < t + width {
            j += 1;
        }
        if j - i > best {
            best = j - i;
            start = *t;
        }
    }
    (best as u32, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_bucket_by_hand() {
        // Capacity 3, 2 tokens per 1,000 ms (one per 500 ms), starting full.
        let mut tb = TokenBucket::new(3, 2, 1000);
        // t = 0: three requests take the three tokens; the fourth finds 0.
        assert_eq!([tb.offer(0), tb.offer(0), tb.offer(0), tb.offer(0)], [true, true, true, false]);
        // t = 250: 0 + 250 × 2/1000 = 0.5 token: rejected.
        assert!(!tb.offer(250));
        assert!((tb.tokens() - 0.5).abs() < 1e-12);
        // t = 500: 0.5 + 0.5 = 1 token: passes, leaving 0.
        assert!(tb.offer(500));
        // t = 5,000: 4.5 s × 2 = 9 tokens, capped at 3: three pass, the fourth fails.
        assert_eq!((0..4).map(|_| tb.offer(5000)).collect::<Vec<_>>(), [true, true, true, false]);
    }

    #[test]
    fn leaky_bucket_by_hand() {
        // L = 10 per 1,000 ms: one leaves every 100 ms; Q = 2 may wait.
        let mut lb = LeakyBucket::new(2, 10, 1000);
        // Four at t = 0: the first leaves at once (tick 0), two wait (leave at 100 and 200 ms,
        // ticks 1,000 and 2,000 of 1/10 ms), the fourth finds 2 waiting: rejected.
        assert_eq!([lb.offer(0), lb.offer(0), lb.offer(0), lb.offer(0)], [Some(0), Some(1000), Some(2000), None]);
        // t = 150 ms: the one leaving at 100 ms is gone, one waits: accepted, leaves at 300 ms.
        assert_eq!(lb.offer(150), Some(3000));
        // t = 1,000 ms: the queue is empty and the last left at 300 ms: leaves at once.
        assert_eq!(lb.offer(1000), Some(10_000));
        // A drain of 1000/3 ms stays exact in ticks of 1/3 ms: 0, 1000, 2000, 3000 ticks.
        let mut lb3 = LeakyBucket::new(5, 3, 1000);
        assert_eq!((0..4).map(|_| lb3.offer(0).unwrap()).collect::<Vec<_>>(), [0, 1000, 2000, 3000]);
    }

    #[test]
    fn fixed_window_by_hand_and_the_boundary_problem() {
        // L = 3 per second. Three at 900 ms pass, a fourth at 999 ms fails; at 1,000 ms a new
        // window opens and three more pass: six within 100 ms, twice the limit.
        let mut fw = FixedWindow::new(3, 1000);
        let got: Vec<bool> = [900, 900, 900, 999, 1000, 1000, 1000, 1001].iter().map(|t| fw.offer(*t)).collect();
        assert_eq!(got, [true, true, true, false, true, true, true, false]);
    }

    #[test]
    fn sliding_log_by_hand() {
        // L = 3 per 1,000 ms; the log holds passed times in (t − 1000, t].
        let mut sl = SlidingLog::new(3, 1000);
        let got: Vec<bool> = [900, 900, 900, 1000, 1899, 1900].iter().map(|t| sl.offer(*t)).collect();
        // 1,000: log {900, 900, 900} all > 0: full. 1,899: still > 899: full. 1,900: the 900s
        // are ≤ 900 = 1900 − 1000, dropped: passes.
        assert_eq!(got, [true, true, true, false, false, true]);
    }

    #[test]
    fn sliding_counter_matches_cloudflare_example() {
        // Cloudflare, 2017: limit 50 per minute, 42 in the previous minute, 18 so far in this
        // one, 15 s in: 42 × (60 − 15)/60 + 18 = 31.5 + 18 = 49.5 < 50, so one more passes;
        // then 42 × 0.75 + 19 = 50.5, so the next fails. (The 18 arrive at 15 s: the 18th sees
        // 31.5 + 17 = 48.5 < 50.)
        let mut sc = SlidingCounter::new(50, 60_000);
        for _ in 0..42 {
            assert!(sc.offer(30_000));
        }
        for _ in 0..18 {
            assert!(sc.offer(75_000));
        }
        assert!((sc.estimate(75_000) - 49.5).abs() < 1e-12);
        assert!(sc.offer(75_000));
        assert!(!sc.offer(75_000));
        // A skipped window forgets everything: at 3 minutes the previous minute (2:00-3:00) was empty.
        assert!((sc.estimate(180_000) - 0.0).abs() < 1e-12);
    }

    #[test]
    fn sliding_counter_at_a_boundary() {
        // L = 10 per second, 10 passed in [0, 1000). At 1,050 ms: 10 × 950/1000 + 0 = 9.5 < 10,
        // passes; then 9.5 + 1 = 10.5: fails. At 1,100: 10 × 0.9 + 1 = 10: fails (not < 10).
        // At 1,200: 10 × 0.8 + 1 = 9: passes.
        let mut sc = SlidingCounter::new(10, 1000);
        for _ in 0..10 {
            assert!(sc.offer(900));
        }
        assert_eq!([sc.offer(1050), sc.offer(1050), sc.offer(1100), sc.offer(1200)], [true, false, false, true]);
    }

    #[test]
    fn the_rate_limiting_pages_worked_answer() {
        // content/modules/06-reliability/rate-limiting.md, "Pen-and-paper check": 5 requests per
        // 10 s, bursts of 5 at t = 8, 11 and 19 s, windows [0, 10) and [10, 20); the token
        // bucket holds 5 and refills 0.5/s (5 per 10 s). Expected admissions per burst:
        // fixed 5, 5, 0; log 5, 0, 5; counter 5, 1, 4; token 5, 1, 4.
        let w = 10_000;
        let bursts = [8_000, 11_000, 19_000];
        let run = |offer: &mut dyn FnMut(i64) -> bool| bursts.map(|t| (0..5).filter(|_| offer(t)).count());
        let mut fw = FixedWindow::new(5, w);
        assert_eq!(run(&mut |t| fw.offer(t)), [5, 5, 0]);
        let mut sl = SlidingLog::new(5, w);
        assert_eq!(run(&mut |t| sl.offer(t)), [5, 0, 5]);
        // Counter at 11 s: f = 0.1, 5 × 0.9 + 0 = 4.5 < 5 admits one, then 5.5 rejects. At
        // 19 s (still in [10, 20), f = 0.9): 5 × 0.1 + 1 = 1.5, then 2.5, 3.5, 4.5 admit four,
        // and 5.5 rejects the fifth.
        let mut sc = SlidingCounter::new(5, w);
        assert_eq!(run(&mut |t| sc.offer(t)), [5, 1, 4]);
        // Token bucket: full (5) at 8 s; 3 s × 0.5 = 1.5 by 11 s; 0.5 + 8 × 0.5 = 4.5 by 19 s.
        let mut tb = TokenBucket::new(5, 5, w);
        assert_eq!(run(&mut |t| tb.offer(t)), [5, 1, 4]);
        // Leaky bucket releasing one every 2 s (5 per 10 s), first at once: 8, 10, 12, 14, 16 s,
        // so the fifth request waits 8 s. Ticks are ms × 5.
        let mut lb = LeakyBucket::new(5, 5, w);
        let out: Vec<i64> = (0..5).map(|_| lb.offer(8_000).unwrap() / 5).collect();
        assert_eq!(out, [8_000, 10_000, 12_000, 14_000, 16_000]);
    }

    #[test]
    fn busiest_span_by_hand() {
        // Spans [s, s + 1000): 0, 500, 999 fit in [0, 1000); 1000 starts the next.
        assert_eq!(busiest(&[0, 500, 999, 1000, 1999, 2500], 1000), (3, 0));
        assert_eq!(busiest(&[0, 1500, 1600, 2400, 2499], 1000), (4, 1500));
        assert_eq!(busiest(&[], 1000), (0, 0));
    }
}
