//! Load shedding. One server with a FIFO queue completes requests at `capacity` per second on
//! average (exponential service times). Requests of three priorities (critical, normal,
//! best-effort, in the given shares) arrive as a Poisson stream at the base rate, then at the
//! surge rate for a while, then at the base rate again until arrivals stop. Each client waits
//! `deadline` and then gives up; a request completed later is throughput but not goodput.
//!
//! - Without shedding the server queues everything and serves it, late or not. During a surge
//!   the backlog grows by (surge − capacity) a second, the wait by backlog ÷ capacity, and after
//!   the surge it drains at only (capacity − base) a second.
//! - With prioritised shedding an arriving request is refused at once (a fast 503) when the
//!   estimated wait, (queued + in service) ÷ capacity, is at least its priority's limit:
//!   best-effort `threshold`, normal 2 × `threshold`, critical the deadline (it could not be
//!   answered in time anyway). A queued request whose client has already given up is dropped
//!   instead of served.
//! - goodput = requests answered within the deadline ÷ run time; throughput = all completions ÷
//!   run time. At a steady load below capacity the mean response time is M/M/1's 1 ÷ (capacity −
//!   rate).
//!
//! Both runs (shedding off and on) use the same seeded arrivals and service times, computed up
//! front with the shared discrete-event engine.

use std::collections::VecDeque;
use widget_core::field::{self, Field};
use widget_core::format::{number, short};
use widget_core::rng::Rng;
use widget_core::sim::Sim;
use widget_core::{Log, Markup, ParamError, Params, Widget};

#[cfg(test)]
mod tests;
mod view;

pub const PRIORITIES: [&str; 3] = ["critical", "normal", "best-effort"];
/// Most arrivals a run may expect (rate × time), so a run takes a few milliseconds.
pub const MAX_ARRIVALS: f64 = 8_000.0;

pub const FIELDS: [Field; 8] = [
    Field::num("capacity", "Server capacity", "requests/s", 50.0, 1.0, 1_000.0),
    Field::num("base", "Normal arrival rate", "requests/s", 40.0, 0.1, 2_000.0),
    Field::num("peak", "Surge arrival rate", "requests/s", 80.0, 0.1, 2_000.0),
    Field::num("surge_at", "Surge starts at", "s", 20.0, 0.0, 600.0),
    Field::num("surge_for", "Surge lasts", "s", 20.0, 0.0, 600.0),
    Field::num("duration", "Arrivals stop at", "s", 120.0, 5.0, 600.0),
    Field::num("deadline_ms", "Client deadline (timeout)", "ms", 1_000.0, 10.0, 60_000.0),
    Field::num("threshold_ms", "Shedding threshold (best-effort)", "ms", 200.0, 1.0, 60_000.0),
];
pub const NF: usize = FIELDS.len();
pub const CAP: usize = 0;
pub const BASE: usize = 1;
pub const PEAK: usize = 2;
pub const AT: usize = 3;
pub const FOR: usize = 4;
pub const DUR: usize = 5;
pub const DEADLINE: usize = 6;
pub const THRESHOLD: usize = 7;

/// The run's setup.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub v: [f64; NF],
    /// Percentages of critical, normal and best-effort requests (they add up to 100).
    pub shares: [u32; 3],
    pub seed: u64,
}

impl Config {
    pub fn deadline(&self) -> f64 {
        self.v[DEADLINE] / 1_000.0
    }

    /// Refusal limits on the estimated wait, seconds, by priority.
    pub fn limits(&self) -> [f64; 3] {
        let t = self.v[THRESHOLD] / 1_000.0;
        [self.deadline(), 2.0 * t, t]
    }

    pub fn surge_end(&self) -> f64 {
        self.v[AT] + self.v[FOR]
    }

    /// Arrivals a run expects: base × (duration − surge) + surge rate × surge length.
    pub fn expected_arrivals(&self) -> f64 {
        let v = &self.v;
        v[BASE] * (v[DUR] - v[FOR]) + v[PEAK] * v[FOR]
    }

    /// Check the fields together; the error names the field to change.
    pub fn check(&self) -> Result<(), ParamError> {
        if self.surge_end() > self.v[DUR] {
            return Err(ParamError::new("surge_for", format!(
                "the surge ({} s from {} s) must end by the time arrivals stop ({} s)",
                plain(self.v[FOR]), plain(self.v[AT]), plain(self.v[DUR])
            )));
        }
        if self.expected_arrivals() > MAX_ARRIVALS {
            return Err(ParamError::new("duration", format!(
                "these rates and times make about {} requests; at most {}: shorten the run or lower the rates",
                number(self.expected_arrivals(), 0), number(MAX_ARRIVALS, 0)
            )));
        }
        Ok(())
    }

    /// Arrival rate at time `t` and when that rate ends.
    fn rate_at(&self, t: f64) -> (f64, f64) {
        let v = &self.v;
        if t < v[AT] {
            (v[BASE], v[AT])
        } else if t < self.surge_end() {
            (v[PEAK], self.surge_end())
        } else {
            (v[BASE], v[DUR])
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrival {
    pub at: f64,
    pub prio: usize,
    /// Service time this request needs, seconds.
    pub work: f64,
}

/// The seeded arrivals: a Poisson stream whose rate changes at the surge's start and end (an
/// exponential gap that crosses a change of rate restarts from it, which is exact for Poisson).
pub fn arrivals(c: &Config) -> Vec<Arrival> {
    let mut rng = Rng::new(c.seed);
    let mut out = vec![];
    let mut t = 0.0;
    while t < c.v[DUR] && out.len() < 2 * MAX_ARRIVALS as usize {
        let (rate, until) = c.rate_at(t);
        let next = t + rng.exponential(1.0 / rate);
        if next >= until {
            t = until;
            continue;
        }
        t = next;
        let u = rng.next_f64() * 100.0;
        let prio = if u < f64::from(c.shares[0]) { 0 } else if u < f64::from(c.shares[0] + c.shares[1]) { 1 } else { 2 };
        out.push(Arrival { at: t, prio, work: rng.exponential(1.0 / c.v[CAP]) });
    }
    out
}

/// What happened to one priority's requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Class {
    pub offered: u32,
    /// Refused on arrival (shedding on).
    pub rejected: u32,
    /// Dropped from the queue after the client gave up (shedding on).
    pub expired: u32,
    /// Completed after the deadline: work for nobody.
    pub late: u32,
    pub on_time: u32,
    /// Response times of completed requests, sorted, seconds.
    pub latencies: Vec<f64>,
}

impl Class {
    /// Nearest-rank percentile of the response times (`p` in 0..=1).
    pub fn percentile(&self, p: f64) -> Option<f64> {
        percentile(&self.latencies, p)
    }
}

pub use widget_core::sim::percentile;

/// One run, with per-bin series for the charts.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub classes: [Class; 3],
    /// Last completion or the end of arrivals, whichever is later.
    pub end: f64,
    /// Server time spent on requests answered late, and in all.
    pub busy_late: f64,
    pub busy: f64,
    /// Width of a chart bin, seconds.
    pub bin: f64,
    pub offered: Vec<u32>,
    pub done: Vec<u32>,
    pub good: Vec<u32>,
    /// p95 response time of each priority's completions in each bin.
    pub p95: [Vec<Option<f64>>; 3],
    /// Mean response time of the requests completed before the surge starts.
    pub pre_surge_mean: Option<f64>,
}

impl Outcome {
    /// Start and width of chart bin `k` (the last one ends at the end of the run).
    pub fn bin_span(&self, k: usize) -> (f64, f64) {
        let start = k as f64 * self.bin;
        let end = if k + 1 == self.done.len() { self.end } else { start + self.bin };
        (start, end - start)
    }
    pub fn total(&self, f: impl Fn(&Class) -> u32) -> u32 {
        self.classes.iter().map(f).sum()
    }
    pub fn completed(&self) -> u32 {
        self.total(|c| c.on_time + c.late)
    }
    pub fn goodput(&self) -> f64 {
        f64::from(self.total(|c| c.on_time)) / self.end
    }
    pub fn throughput(&self) -> f64 {
        f64::from(self.completed()) / self.end
    }
    /// Share of a priority's requests answered in time (all priorities for `None`).
    pub fn in_time(&self, prio: Option<usize>) -> f64 {
        let (good, all) = match prio {
            Some(i) => (self.classes[i].on_time, self.classes[i].offered),
            None => (self.total(|c| c.on_time), self.total(|c| c.offered)),
        };
        if all == 0 { 1.0 } else { f64::from(good) / f64::from(all) }
    }
}

#[derive(Clone, Copy)]
enum Ev {
    Arrive(usize),
    Done(usize),
}

/// Run the server over the arrivals with the discrete-event engine.
pub fn simulate(c: &Config, arr: &[Arrival], shedding: bool) -> Outcome {
    let (cap, deadline, limits) = (c.v[CAP], c.deadline(), c.limits());
    let mut classes: [Class; 3] = Default::default();
    let mut sim = Sim::new();
    if let Some(a) = arr.first() {
        sim.schedule(a.at, Ev::Arrive(0));
    }
    let mut queue: VecDeque<usize> = VecDeque::new();
    let mut busy = false;
    let (mut busy_time, mut busy_late) = (0.0, 0.0);
    // (completion time, priority, response time)
    let mut completions: Vec<(f64, usize, f64)> = vec![];
    while let Some((t, ev)) = sim.next() {
        match ev {
            Ev::Arrive(i) => {
                if let Some(next) = arr.get(i + 1) {
                    sim.schedule(next.at - t, Ev::Arrive(i + 1));
                }
                let a = arr[i];
                classes[a.prio].offered += 1;
                if shedding {
                    let wait = (queue.len() + usize::from(busy)) as f64 / cap;
                    if wait >= limits[a.prio] {
                        classes[a.prio].rejected += 1;
                        continue;
                    }
                }
                if busy {
                    queue.push_back(i);
                } else {
                    busy = true;
                    sim.schedule(a.work, Ev::Done(i));
                }
            }
            Ev::Done(i) => {
                let a = arr[i];
                let response = t - a.at;
                busy_time += a.work;
                let class = &mut classes[a.prio];
                if response <= deadline {
                    class.on_time += 1;
                } else {
                    class.late += 1;
                    busy_late += a.work;
                }
                class.latencies.push(response);
                completions.push((t, a.prio, response));
                busy = false;
                while let Some(j) = queue.pop_front() {
                    if shedding && t - arr[j].at >= deadline {
                        classes[arr[j].prio].expired += 1;
                        continue;
                    }
                    busy = true;
                    sim.schedule(arr[j].work, Ev::Done(j));
                    break;
                }
            }
        }
    }
    let end = completions.last().map_or(0.0, |c| c.0).max(c.v[DUR]);
    let bin = [1.0, 2.0, 5.0, 10.0, 20.0].into_iter().find(|b| end / b <= 120.0).unwrap_or(30.0);
    // The last bin stretches to the end of the run rather than leaving a sliver.
    let n = ((end / bin).round() as usize).max(1);
    let index = |t: f64| ((t / bin) as usize).min(n - 1);
    let mut offered = vec![0; n];
    for a in arr {
        offered[index(a.at)] += 1;
    }
    let (mut done, mut good) = (vec![0; n], vec![0; n]);
    let mut per_bin: [Vec<Vec<f64>>; 3] = [vec![vec![]; n], vec![vec![]; n], vec![vec![]; n]];
    for &(t, prio, r) in &completions {
        let k = index(t);
        done[k] += 1;
        if r <= deadline {
            good[k] += 1;
        }
        per_bin[prio][k].push(r);
    }
    let p95 = per_bin.map(|bins| {
        bins.into_iter()
            .map(|mut v| {
                v.sort_by(f64::total_cmp);
                percentile(&v, 0.95)
            })
            .collect()
    });
    for class in &mut classes {
        class.latencies.sort_by(f64::total_cmp);
    }
    let before: Vec<f64> = completions.iter().filter(|x| x.0 < c.v[AT]).map(|x| x.2).collect();
    let pre_surge_mean = (!before.is_empty()).then(|| before.iter().sum::<f64>() / before.len() as f64);
    Outcome { classes, end, busy_late, busy: busy_time, bin, offered, done, good, p95, pre_surge_mean }
}

pub use widget_core::format::plain;

pub fn pct(fraction: f64) -> String {
    format!("{}%", number(100.0 * fraction, 1))
}

fn parse_shares(text: &str) -> Result<[u32; 3], ParamError> {
    let err = || ParamError::new("shares", format!("expected critical,normal,best-effort percentages adding up to 100, such as 20,50,30; got `{text}`"));
    let parts: Vec<u32> = text.split(',').map(|s| s.trim().parse::<u32>()).collect::<Result<_, _>>().map_err(|_| err())?;
    match parts[..] {
        [c, n, b] if c + n + b == 100 => Ok([c, n, b]),
        _ => Err(err()),
    }
}

#[derive(Debug)]
pub struct Shedding {
    pub cfg: Config,
    pub shedding: bool,
    /// Runs with shedding off and on.
    pub runs: [Outcome; 2],
    log: Log,
}

impl Shedding {
    fn new(cfg: Config, shedding: bool) -> Shedding {
        let runs = Self::compute(&cfg);
        Shedding { cfg, shedding, runs, log: Log::default() }
    }

    fn compute(cfg: &Config) -> [Outcome; 2] {
        let arr = arrivals(cfg);
        [simulate(cfg, &arr, false), simulate(cfg, &arr, true)]
    }

    /// The run shown.
    pub fn run(&self) -> &Outcome {
        &self.runs[usize::from(self.shedding)]
    }

    fn headline(&self) -> String {
        let r = self.run();
        format!(
            "Shedding {}: goodput {}/s of {}/s throughput; critical answered in time {}.",
            if self.shedding { "on" } else { "off" },
            number(r.goodput(), 1),
            number(r.throughput(), 1),
            pct(r.in_time(Some(0)))
        )
    }

    /// Try a new configuration: keep it (and say what changed) if valid, else say why not.
    fn try_config(&mut self, cfg: Config, what: String) {
        match cfg.check() {
            Ok(()) => {
                self.runs = Self::compute(&cfg);
                self.cfg = cfg;
                let h = self.headline();
                self.log.push(format!("{what} {h}"));
            }
            Err(e) => self.log.push(format!("Ignored: {}.", e.message)),
        }
    }

    fn set(&mut self, value: &str) {
        let Some((key, raw)) = value.split_once('|') else { return };
        let Some(i) = field::position(&FIELDS, key) else { return };
        let f = &FIELDS[i];
        match f.parse(raw) {
            Ok(x) if x != self.cfg.v[i] => {
                let mut cfg = self.cfg.clone();
                cfg.v[i] = x;
                let what = format!("{}: {} → {} {}.", f.label, short(self.cfg.v[i], 3), short(x, 3), f.unit);
                self.try_config(cfg, what);
            }
            Ok(_) => {}
            Err(m) => self.log.push(format!("Ignored a new {}: {m}.", f.label.to_ascii_lowercase())),
        }
    }

    fn set_share(&mut self, value: &str) {
        let Some((who, raw)) = value.split_once('|') else { return };
        let i = match who {
            "critical" => 0,
            "normal" => 1,
            _ => return,
        };
        let Some(x) = raw.trim().parse::<u32>().ok().filter(|x| *x <= 100) else {
            self.log.push("Ignored: a share is a whole percentage from 0 to 100.".to_string());
            return;
        };
        let mut shares = self.cfg.shares;
        shares[i] = x;
        if shares[0] + shares[1] > 100 {
            self.log.push(format!("Ignored: critical and normal would add up to {}%, over 100%.", shares[0] + shares[1]));
            return;
        }
        shares[2] = 100 - shares[0] - shares[1];
        if shares != self.cfg.shares {
            let mut cfg = self.cfg.clone();
            cfg.shares = shares;
            let what = format!("Shares: critical {}%, normal {}%, best-effort {}%.", shares[0], shares[1], shares[2]);
            self.try_config(cfg, what);
        }
    }
}

impl Widget for Shedding {
    const NAME: &'static str = "shedding";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        let mut known = vec!["shedding", "shares", "seed"];
        known.extend(FIELDS.iter().map(|f| f.key));
        p.only(&known)?;
        let mut v = [0.0; NF];
        for (i, f) in FIELDS.iter().enumerate() {
            v[i] = f.read(p)?;
        }
        let cfg = Config { v, shares: parse_shares(p.get("shares").unwrap_or("20,50,30"))?, seed: u64::from(p.u32_in("seed", 1, 0, u32::MAX)?) };
        cfg.check()?;
        let shedding = p.choice("shedding", "off", &["off", "on"])? == "on";
        Ok(Shedding::new(cfg, shedding))
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        for (f, x) in FIELDS.iter().zip(self.cfg.v) {
            p.set(f.key, plain(x));
        }
        let s = self.cfg.shares;
        p.set("shares", format!("{},{},{}", s[0], s[1], s[2]))
            .set("seed", self.cfg.seed)
            .set("shedding", if self.shedding { "on" } else { "off" });
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        match event {
            "shedding" => {
                let on = match value {
                    "true" | "on" => true,
                    "false" | "off" => false,
                    _ => return,
                };
                if on != self.shedding {
                    self.shedding = on;
                    let h = self.headline();
                    self.log.push(h);
                }
            }
            "set" => self.set(value),
            "share" => self.set_share(value),
            "reseed" => {
                let mut cfg = self.cfg.clone();
                cfg.seed = self.cfg.seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407) % 1_000_000;
                let what = format!("New seed {}: other arrival times, same rates.", cfg.seed);
                self.try_config(cfg, what);
            }
            _ => {}
        }
    }

    fn view(&self) -> String {
        view::view(self)
    }
}

widget_core::export_widget!(crate::Shedding);
