//! A small discrete-event simulation engine shared by the simulators: a clock and a queue of
//! events ordered by time (ties in the order they were scheduled, so runs are deterministic).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Scheduled<E> {
    at: f64,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Scheduled<E> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<E> Eq for Scheduled<E> {}
impl<E> PartialOrd for Scheduled<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Scheduled<E> {
    /// Reversed, so the max-heap pops the earliest event first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.at.total_cmp(&self.at).then(other.seq.cmp(&self.seq))
    }
}

pub struct Sim<E> {
    now: f64,
    seq: u64,
    queue: BinaryHeap<Scheduled<E>>,
}

impl<E> Default for Sim<E> {
    fn default() -> Self {
        Sim { now: 0.0, seq: 0, queue: BinaryHeap::new() }
    }
}

impl<E> Sim<E> {
    pub fn new() -> Sim<E> {
        Sim::default()
    }

    /// The simulated time of the event being handled (or of the last one).
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Schedule `event` after `delay` (clamped to zero: the past cannot be scheduled).
    pub fn schedule(&mut self, delay: f64, event: E) {
        let at = self.now + delay.max(0.0);
        self.seq += 1;
        self.queue.push(Scheduled { at, seq: self.seq, event });
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Take the next event and move the clock to its time.
    pub fn next(&mut self) -> Option<(f64, E)> {
        let s = self.queue.pop()?;
        self.now = s.at;
        Some((s.at, s.event))
    }

    /// Handle events in order until the next one is after `until`; the clock ends at `until`.
    pub fn run_until(&mut self, until: f64, mut handle: impl FnMut(&mut Sim<E>, E)) {
        while self.queue.peek().is_some_and(|s| s.at <= until) {
            let (_, e) = self.next().expect("peeked");
            handle(self, e);
        }
        self.now = self.now.max(until);
    }
}

/// The nearest-rank percentile of `sorted` (ascending; `p` from 0 to 1): the ⌈p × n⌉-th value,
/// at least the first. `None` when there is nothing to rank.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_come_out_in_time_order_ties_in_schedule_order() {
        let mut sim = Sim::new();
        sim.schedule(5.0, "c");
        sim.schedule(1.0, "a");
        sim.schedule(5.0, "d");
        sim.schedule(2.0, "b");
        let order: Vec<_> = std::iter::from_fn(|| sim.next().map(|(_, e)| e)).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
        assert_eq!(sim.now(), 5.0);
    }

    #[test]
    fn an_m_m_1_queue_matches_theory() {
        // Poisson arrivals (rate 0.8) to one server with exponential service (rate 1): the mean
        // time in system is 1 / (mu - lambda) = 5.
        #[derive(Clone, Copy)]
        enum Ev { Arrive, Depart }
        let mut rng = crate::rng::Rng::new(42);
        let mut sim = Sim::new();
        let (mut queue, mut busy, mut total, mut done) = (std::collections::VecDeque::new(), false, 0.0, 0u32);
        sim.schedule(rng.exponential(1.25), Ev::Arrive);
        let mut in_service = 0.0;
        sim.run_until(400_000.0, |sim, e| match e {
            Ev::Arrive => {
                sim.schedule(rng.exponential(1.25), Ev::Arrive);
                if busy { queue.push_back(sim.now()) } else { busy = true; in_service = sim.now(); sim.schedule(rng.exponential(1.0), Ev::Depart) }
            }
            Ev::Depart => {
                total += sim.now() - in_service;
                done += 1;
                match queue.pop_front() {
                    Some(arrived) => { in_service = arrived; sim.schedule(rng.exponential(1.0), Ev::Depart) }
                    None => busy = false,
                }
            }
        });
        let mean = total / f64::from(done);
        assert!((mean - 5.0).abs() < 0.25, "mean time in system {mean}");
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        // 1..=10: p50 is the ceil(0.5 × 10) = 5th value, p95 the ceil(9.5) = 10th, p10 the 1st.
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), Some(5.0));
        assert_eq!(percentile(&v, 0.95), Some(10.0));
        assert_eq!(percentile(&v, 0.99), Some(10.0));
        assert_eq!(percentile(&v, 0.1), Some(1.0));
        assert_eq!(percentile(&v, 0.0), Some(1.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
