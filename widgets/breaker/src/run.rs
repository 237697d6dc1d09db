//! One run of the caller, its circuit breaker and the dependency, on the shared discrete-event
//! engine ([`widget_core::sim::Sim`]) with a seeded [`Rng`], so a seed reproduces a run exactly.
//!
//! - The caller sends dependency calls at a fixed mean rate `rps` and, at its own rate, other
//!   requests that only need a thread for [`OTHER_MS`] of local work. Gaps between requests are
//!   uniform in 0.5 to 1.5 times `1 / rate` (a fixed rate with jitter: without it every timeout
//!   would land exactly on the next call's arrival and always win the freed thread). Both kinds
//!   take a thread from one pool of `pool`; with none free a request fails at once ("pool full").
//! - Each dependency call draws its latency, uniform in 0.5 to 1.5 times the mean (the slow mean
//!   while the dependency is slow, by the time the call is sent), and whether it fails. It holds
//!   its thread for `min(latency, timeout)`; a latency at or over the timeout is a timeout.
//!   The two draws are made for every call, sent or not, so runs with the breaker on and off
//!   meet the same dependency.
//! - Breaker (as Resilience4j's count-based one): closed, it records each finished call in a
//!   window of the last `window` calls and opens when the window is full and its failure rate
//!   (failures and timeouts) is at least `threshold_pct`. Open, it rejects calls at once, without
//!   a thread; after `open_s` it is half-open and lets `probes` calls through (rejecting the
//!   rest); when they have all finished it closes (window emptied) if their failure rate is under
//!   the threshold, and opens again otherwise.

use widget_core::rng::Rng;
use widget_core::sim::Sim;

/// Time each other request holds a thread, ms (an assumption of the model).
pub const OTHER_MS: f64 = 50.0;
/// Columns of the timeline.
pub const BUCKETS: usize = 60;
/// A run never handles more events than this (a guard; the parameter limits stay far below).
const MAX_EVENTS: u32 = 200_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub breaker: bool,
    pub seed: u64,
    /// Calls per second to the dependency, and other requests per second.
    pub rps: f64,
    pub other_rps: f64,
    pub pool: u32,
    pub timeout_ms: f64,
    pub latency_ms: f64,
    pub fail_pct: f64,
    /// The slowdown: start and length in seconds, mean latency in ms.
    pub slow_at: f64,
    pub slow_for: f64,
    pub slow_ms: f64,
    pub window: u32,
    pub threshold_pct: f64,
    pub open_s: f64,
    pub probes: u32,
    /// Length of the run, seconds.
    pub duration: f64,
    /// Jittered gaps between arrivals (the widget always uses them; exact `k / rate` arrivals
    /// make hand-checked tests possible).
    pub jitter: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Closed,
    Open,
    HalfOpen,
}

/// What happened to one dependency call, in the order of the chart's stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok = 0,
    Failed = 1,
    TimedOut = 2,
    Rejected = 3,
    PoolFull = 4,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bucket {
    /// Dependency calls sent in this column, by outcome.
    pub counts: [u32; 5],
    /// Threads in use: the most at any moment of the column.
    pub peak: u32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run {
    /// Dependency calls sent, and their outcomes.
    pub sent: u32,
    pub counts: [u32; 5],
    /// Other requests: sent and served, over the run and during the slowdown.
    pub other_sent: u32,
    pub other_ok: u32,
    pub other_slow_sent: u32,
    pub other_slow_ok: u32,
    /// Calls that reached the dependency during the slowdown.
    pub slow_reached: u32,
    /// Latency the caller saw per dependency call (0 for a call failed at once), ms.
    pub mean_ms: f64,
    pub p99_ms: f64,
    pub peak: u32,
    /// Mean threads in use, and seconds with every thread in use.
    pub mean_busy: f64,
    pub full_s: f64,
    pub buckets: Vec<Bucket>,
    /// State changes, starting with `(0, Closed)`.
    pub transitions: Vec<(f64, State)>,
    /// Times each arrow of the state machine was taken: closed → open, open → half-open,
    /// half-open → closed, half-open → open.
    pub arrows: [u32; 4],
    pub events: u32,
}

impl Run {
    pub fn success(&self) -> f64 {
        ratio(self.counts[Outcome::Ok as usize], self.sent)
    }
    /// The breaker's state at time `t`.
    pub fn state_at(&self, t: f64) -> State {
        self.transitions.iter().take_while(|(at, _)| *at <= t).last().map_or(State::Closed, |(_, s)| *s)
    }
}

pub fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 { 0.0 } else { f64::from(a) / f64::from(b) }
}

#[derive(Debug, Clone, Copy)]
enum Ev {
    /// The k-th dependency call, the k-th other request.
    Dep(u32),
    Other(u32),
    /// A dependency call finishes: its index; or an other request does.
    DepDone(u32),
    OtherDone,
    /// Start of a timeline column.
    Tick(u32),
    /// The open period of this opening ends.
    HalfOpen(u32),
}

struct Breaker {
    state: State,
    /// The last `window` outcomes (true: failed) as a ring, how many are filled, and failures.
    window: Vec<bool>,
    filled: usize,
    fails: usize,
    opening: u32,
    probes_sent: u32,
    probes_done: u32,
    probe_fails: u32,
}

pub fn run(c: &Config) -> Run {
    let mut sim: Sim<Ev> = Sim::new();
    // One generator per stream, so the order of the two kinds of arrivals never shifts the draws.
    let mut rng = Rng::new(c.seed);
    let mut other_rng = Rng::new(c.seed ^ 0x5DEE_CE66_D1CE_4E5B);
    let jitter = |u: f64| if c.jitter { 0.5 + u } else { 1.0 };
    let width = c.duration / BUCKETS as f64;
    let column = |t: f64| ((t / width) as usize).min(BUCKETS - 1);
    let slow = |t: f64| t >= c.slow_at && t < c.slow_at + c.slow_for;
    let mut r = Run { buckets: vec![Bucket::default(); BUCKETS], transitions: vec![(0.0, State::Closed)], ..Run::default() };
    let mut b = Breaker { state: State::Closed, window: vec![false; c.window as usize], filled: 0, fails: 0, opening: 0, probes_sent: 0, probes_done: 0, probe_fails: 0 };
    // Per dependency call: its outcome and whether it is a half-open probe; latencies seen.
    let mut calls: Vec<(Outcome, bool)> = vec![];
    // Latencies seen, counted per whole millisecond (rounded up) for the percentile.
    let mut seen = vec![0u32; c.timeout_ms as usize + 2];
    let mut total_ms = 0.0;
    let (mut busy, mut last, mut area) = (0u32, 0.0f64, 0.0f64);

    sim.schedule(0.0, Ev::Dep(0));
    if c.other_rps > 0.0 {
        sim.schedule(0.5 / c.other_rps, Ev::Other(0));
    }
    let (mut next_dep, mut next_other) = (0.0, 0.5 / c.other_rps.max(1e-9));
    for i in 0..BUCKETS as u32 {
        sim.schedule(f64::from(i) * width, Ev::Tick(i));
    }
    while let Some((now, ev)) = sim.next() {
        r.events += 1;
        if r.events > MAX_EVENTS {
            break;
        }
        // Threads in use over time, within the run.
        let t = now.min(c.duration);
        area += f64::from(busy) * (t - last);
        if busy >= c.pool {
            r.full_s += t - last;
        }
        last = t;
        match ev {
            Ev::Tick(i) => {
                let bk = &mut r.buckets[i as usize];
                bk.peak = bk.peak.max(busy);
            }
            Ev::Dep(k) => {
                let (u_gap, u_latency, u_fail) = (rng.next_f64(), rng.next_f64(), rng.next_f64());
                next_dep += jitter(u_gap) / c.rps;
                if next_dep < c.duration - 1e-9 {
                    sim.schedule(next_dep - now, Ev::Dep(k + 1));
                }
                let mut probe = false;
                let mut outcome = if !c.breaker {
                    None
                } else {
                    match b.state {
                        State::Closed => None,
                        State::Open => Some(Outcome::Rejected),
                        State::HalfOpen if b.probes_sent < c.probes => {
                            probe = true;
                            None
                        }
                        State::HalfOpen => Some(Outcome::Rejected),
                    }
                };
                if outcome.is_none() && busy >= c.pool {
                    outcome = Some(Outcome::PoolFull);
                    probe = false;
                }
                let outcome = match outcome {
                    Some(o) => {
                        seen[0] += 1;
                        o
                    }
                    None => {
                        let latency = if slow(now) { c.slow_ms } else { c.latency_ms } * (0.5 + u_latency);
                        let held = latency.min(c.timeout_ms);
                        busy += 1;
                        r.peak = r.peak.max(busy);
                        let bk = &mut r.buckets[column(now)];
                        bk.peak = bk.peak.max(busy);
                        if probe {
                            b.probes_sent += 1;
                        }
                        if slow(now) {
                            r.slow_reached += 1;
                        }
                        let slot = (held.ceil() as usize).min(seen.len() - 1);
                        seen[slot] += 1;
                        total_ms += held;
                        sim.schedule(held / 1000.0, Ev::DepDone(calls.len() as u32));
                        if latency >= c.timeout_ms {
                            Outcome::TimedOut
                        } else if u_fail * 100.0 < c.fail_pct {
                            Outcome::Failed
                        } else {
                            Outcome::Ok
                        }
                    }
                };
                calls.push((outcome, probe));
                r.sent += 1;
                r.counts[outcome as usize] += 1;
                r.buckets[column(now)].counts[outcome as usize] += 1;
            }
            Ev::Other(k) => {
                next_other += jitter(other_rng.next_f64()) / c.other_rps;
                if next_other < c.duration - 1e-9 {
                    sim.schedule(next_other - now, Ev::Other(k + 1));
                }
                r.other_sent += 1;
                let during = slow(now);
                r.other_slow_sent += u32::from(during);
                if busy < c.pool {
                    busy += 1;
                    r.peak = r.peak.max(busy);
                    let bk = &mut r.buckets[column(now)];
                    bk.peak = bk.peak.max(busy);
                    r.other_ok += 1;
                    r.other_slow_ok += u32::from(during);
                    sim.schedule(OTHER_MS / 1000.0, Ev::OtherDone);
                }
            }
            Ev::OtherDone => busy -= 1,
            Ev::DepDone(i) => {
                busy -= 1;
                let (outcome, probe) = calls[i as usize];
                // After the end only threads are returned: the breaker's story stops there.
                if c.breaker && now <= c.duration {
                    record(&mut b, &mut r, &mut sim, c, outcome != Outcome::Ok, probe, now);
                }
            }
            Ev::HalfOpen(n) => {
                if b.state == State::Open && n == b.opening && now <= c.duration {
                    b.state = State::HalfOpen;
                    (b.probes_sent, b.probes_done, b.probe_fails) = (0, 0, 0);
                    r.transitions.push((now, State::HalfOpen));
                    r.arrows[1] += 1;
                }
            }
        }
    }
    if last < c.duration {
        area += f64::from(busy) * (c.duration - last);
        if busy >= c.pool {
            r.full_s += c.duration - last;
        }
    }
    r.mean_busy = area / c.duration;
    if r.sent > 0 {
        r.mean_ms = total_ms / f64::from(r.sent);
        let rank = p99_rank(r.sent as usize) as u32;
        let mut below = 0;
        r.p99_ms = seen.iter().position(|n| {
            below += n;
            below >= rank
        }).unwrap_or(0) as f64;
    }
    r
}

/// Nearest-rank 99th percentile: the `⌈0.99 n⌉`-th smallest of `n` values (counted to the
/// whole millisecond above).
pub fn p99_rank(n: usize) -> usize {
    (n * 99).div_ceil(100).max(1)
}

#[allow(clippy::too_many_arguments)]
fn record(b: &mut Breaker, r: &mut Run, sim: &mut Sim<Ev>, c: &Config, failed: bool, probe: bool, now: f64) {
    let mut open = false;
    match b.state {
        State::Closed => {
            // Overwrite the oldest outcome (slot `recorded mod window`).
            let n = b.window.len();
            let slot = &mut b.window[b.filled % n];
            if b.filled >= n && *slot {
                b.fails -= 1;
            }
            *slot = failed;
            b.fails += usize::from(failed);
            b.filled += 1;
            if b.filled >= n && b.fails as f64 * 100.0 >= c.threshold_pct * n as f64 {
                open = true;
                r.arrows[0] += 1;
            }
        }
        State::HalfOpen if probe => {
            b.probes_done += 1;
            b.probe_fails += u32::from(failed);
            if b.probes_done == c.probes {
                if f64::from(b.probe_fails) * 100.0 >= c.threshold_pct * f64::from(c.probes) {
                    open = true;
                    r.arrows[3] += 1;
                } else {
                    b.state = State::Closed;
                    (b.filled, b.fails) = (0, 0);
                    r.transitions.push((now, State::Closed));
                    r.arrows[2] += 1;
                }
            }
        }
        _ => {}
    }
    if open {
        b.state = State::Open;
        b.opening += 1;
        r.transitions.push((now, State::Open));
        sim.schedule(c.open_s, Ev::HalfOpen(b.opening));
    }
}
