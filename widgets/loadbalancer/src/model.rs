//! The simulation: configuration, the balancer's state and the discrete-event run.

use widget_core::field::Field;
use widget_core::rng::Rng;
use widget_core::sim::Sim;

pub const MAX_SERVERS: usize = 20;
/// Most requests a run may expect (rate × duration): about two events each, so a run stays
/// near 20,000 events and computes in a few milliseconds.
pub const MAX_REQUESTS: f64 = 10_000.0;
/// Weight of the newest response time in the least-response-time EWMA.
pub const EWMA_ALPHA: f64 = 0.2;
/// Timeline entries kept.
pub const TIMELINE_MAX: usize = 40;

/// Parameter name and label of each algorithm.
pub const ALGOS: [(&str, &str); 6] = [
    ("round-robin", "Round robin"),
    ("weighted", "Weighted round robin"),
    ("least-conn", "Least connections"),
    ("least-time", "Least response time"),
    ("ip-hash", "IP hash"),
    ("p2c", "Power of two choices"),
];
pub const RR: usize = 0;
pub const WRR: usize = 1;
pub const LC: usize = 2;
pub const LT: usize = 3;
pub const IPH: usize = 4;
pub const P2C: usize = 5;

pub const FIELDS: [Field; 11] = [
    Field::num("rate", "Request rate", "req/s", 100.0, 0.1, 10_000.0),
    Field::num("clients", "Clients", "clients", 50.0, 1.0, 10_000.0).whole(),
    Field::num("workers", "Worker slots per server", "slots", 4.0, 1.0, 64.0).whole(),
    Field::num("duration", "Requests arrive for", "s", 90.0, 5.0, 600.0),
    Field::num("timeout", "Client timeout", "s", 2.0, 0.05, 60.0),
    Field::num("interval", "Health check interval", "s", 30.0, 1.0, 300.0),
    Field::num("check_timeout", "Health check timeout", "s", 5.0, 0.1, 120.0),
    Field::num("unhealthy", "Failures to remove", "checks", 2.0, 1.0, 10.0).whole(),
    Field::num("healthy", "Successes to restore", "checks", 5.0, 1.0, 10.0).whole(),
    Field::num("drain", "Deregistration delay", "s", 300.0, 0.0, 3_600.0),
    Field::num("restart", "Restart time per server", "s", 10.0, 0.0, 600.0),
];
pub const NF: usize = FIELDS.len();
pub const RATE: usize = 0;
pub const CLIENTS: usize = 1;
pub const WORKERS: usize = 2;
pub const DURATION: usize = 3;
pub const TIMEOUT: usize = 4;
pub const INTERVAL: usize = 5;
pub const CHECK_TIMEOUT: usize = 6;
pub const UNHEALTHY: usize = 7;
pub const HEALTHY: usize = 8;
pub const DRAIN: usize = 9;
pub const RESTART: usize = 10;

/// Server `server` (0-based) hangs at `at` and, if `until` is set, is fixed then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Kill {
    pub server: usize,
    pub at: f64,
    pub until: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub algo: usize,
    /// Capacity of each server, requests per second.
    pub caps: Vec<f64>,
    pub v: [f64; NF],
    pub sticky: bool,
    pub checks: bool,
    pub kills: Vec<Kill>,
    /// Start of a rolling deploy.
    pub deploy: Option<f64>,
    pub seed: u64,
}

impl Config {
    pub fn n(&self) -> usize {
        self.caps.len()
    }
    /// Mean service time of server `s`: worker slots ÷ capacity.
    pub fn service(&self, s: usize) -> f64 {
        self.v[WORKERS] / self.caps[s]
    }
    pub fn total_cap(&self) -> f64 {
        self.caps.iter().sum()
    }
    /// The share of requests round robin (1/N) or weighted round robin (capacity ÷ total)
    /// gives server `s` while all servers are in rotation; `None` for adaptive algorithms.
    pub fn static_share(&self, s: usize) -> Option<f64> {
        match self.algo {
            RR => Some(1.0 / self.n() as f64),
            WRR => Some(self.caps[s] / self.total_cap()),
            _ => None,
        }
    }
    /// Distinct servers that hang at some point.
    pub fn hung_servers(&self) -> usize {
        (0..self.n()).filter(|s| self.kills.iter().any(|k| k.server == *s)).count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pending,
    Ok,
    Timeout,
    /// In flight when a deploy stopped its server (a 502).
    Cut,
    /// No server to send it to (a 503).
    Refused,
}

/// One request. `latency` is what the client waited: the response time, the client timeout for
/// a request that timed out, or the time until a deploy cut it.
#[derive(Debug, Clone, PartialEq)]
pub struct Req {
    pub at: f64,
    pub client: u32,
    /// Server index, or `None` when refused.
    pub server: Option<u8>,
    pub outcome: Outcome,
    pub latency: f64,
    work: f64,
    epoch: u32,
}

/// One server's turn in a rolling deploy.
#[derive(Debug, Clone, PartialEq)]
pub struct Drain {
    pub server: usize,
    pub start: f64,
    pub in_flight: u32,
    pub stop: Option<f64>,
    pub cut: u32,
    pub rejoin: Option<f64>,
}

/// A moment marked on the charts: time, server, short label.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub at: f64,
    pub server: usize,
    pub label: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub sent: u32,
    pub ok: u32,
    pub timeouts: u32,
    pub cut: u32,
    /// Sorted client-observed latencies, seconds.
    pub latencies: Vec<f64>,
}

impl Stats {
    pub fn errors(&self) -> u32 {
        self.timeouts + self.cut
    }
    pub fn percentile(&self, p: f64) -> Option<f64> {
        percentile(&self.latencies, p)
    }
}

/// Sort keys by their upper 32 bits, keeping the order of equal ones (a radix sort, one byte a
/// pass: linear time and far less WebAssembly than the standard sorts).
pub fn sort(v: &mut Vec<u64>) {
    let mut tmp = vec![0u64; v.len()];
    for shift in [32, 40, 48, 56] {
        let mut start = [0usize; 257];
        for &k in v.iter() {
            start[((k >> shift) & 255) as usize + 1] += 1;
        }
        for d in 0..256 {
            start[d + 1] += start[d];
        }
        for &k in v.iter() {
            let d = ((k >> shift) & 255) as usize;
            tmp[start[d]] = k;
            start[d] += 1;
        }
        std::mem::swap(v, &mut tmp);
    }
}

pub use widget_core::sim::percentile;

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub reqs: Vec<Req>,
    pub per: Vec<Stats>,
    pub all: Stats,
    pub refused: u32,
    /// Chart window, seconds, and the number of windows over the arrival period.
    pub bin: f64,
    pub bins: usize,
    /// Successful responses per server per window.
    pub thr: Vec<Vec<u32>>,
    /// p50, p95, p99 of the requests sent in each window.
    pub pct: Vec<[Option<f64>; 3]>,
    pub timeline: Vec<(f64, String)>,
    pub dropped: usize,
    pub marks: Vec<Mark>,
    pub drains: Vec<Drain>,
    /// (server, time) of removals and restorations by active health checks.
    pub events: u32,
}

impl Run {
    /// Start and width of window `k` (the last one ends with the arrivals).
    pub fn window(&self, k: usize, duration: f64) -> (f64, f64) {
        let start = k as f64 * self.bin;
        (start, (start + self.bin).min(duration) - start)
    }
    /// The first time from `from` on that server `s` got mark `label` ("out": removed by health
    /// checks, "in": restored).
    pub fn first(&self, label: &str, s: usize, from: f64) -> Option<f64> {
        self.marks.iter().find(|m| m.label == label && m.server == s && m.at >= from).map(|m| m.at)
    }
    pub fn marked(&self, label: &str, s: usize) -> Vec<f64> {
        self.marks.iter().filter(|m| m.label == label && m.server == s).map(|m| m.at).collect()
    }

    /// Requests sent to a server while it was hung.
    pub fn sent_to_hung(&self, c: &Config) -> u32 {
        self.reqs
            .iter()
            .filter(|r| r.server.is_some_and(|s| c.kills.iter().any(|k| k.server == s as usize && r.at >= k.at && k.until.is_none_or(|u| r.at < u))))
            .count() as u32
    }
}

#[derive(Clone, Copy)]
enum Ev {
    Arrive,
    Finish(u32, bool),
    Probe(u8),
    ProbeResult(u8),
    Kill(u8),
    Recover(u8),
    DrainStart(u8),
    DrainEnd(u8, u32),
    Rejoin(u8),
}

#[derive(Clone, Default)]
struct Srv {
    /// When each worker slot is next free.
    free: Vec<f64>,
    hung: bool,
    /// Changes when the server hangs or restarts: answers promised before are lost.
    epoch: u32,
    healthy: bool,
    fails: u32,
    passes: u32,
    first_fail: f64,
    first_pass: f64,
    draining: bool,
    stopped: bool,
    drain_gen: u32,
    active: u32,
    ewma: Option<f64>,
    /// Smooth weighted round robin's running score.
    current: f64,
}

struct State<'a> {
    c: &'a Config,
    srv: Vec<Srv>,
    reqs: Vec<Req>,
    /// Each client's server, `u32::MAX` for none.
    sticky: Vec<u32>,
    next: usize,
    arrivals: Rng,
    picks: Rng,
    timeline: Vec<(f64, String)>,
    dropped: usize,
    marks: Vec<Mark>,
    drains: Vec<Drain>,
    /// 0: servers in rotation; 1: failing open; 2: nothing registered.
    mode: u8,
}

/// `12.3 s` for the timeline.
pub fn at(t: f64) -> String {
    format!("{} s", widget_core::format::short(t, 1))
}

impl State<'_> {
    fn say(&mut self, t: f64, text: String) {
        if self.timeline.len() < TIMELINE_MAX {
            self.timeline.push((t, text));
        } else {
            self.dropped += 1;
        }
    }

    fn mark(&mut self, t: f64, s: usize, label: &'static str) {
        self.marks.push(Mark { at: t, server: s, label });
    }

    /// Servers the balancer may choose, as a bit mask: registered and passing health checks;
    /// when none passes, every registered server (fail open); when none is registered, none.
    fn available(&mut self, t: f64) -> u32 {
        let (mut registered, mut good) = (0u32, 0u32);
        for (s, x) in self.srv.iter().enumerate() {
            if !x.draining && !x.stopped {
                registered |= 1 << s;
                if x.healthy {
                    good |= 1 << s;
                }
            }
        }
        let (mode, mask) = if good != 0 { (0, good) } else { (1 + u8::from(registered == 0), registered) };
        if mode != self.mode {
            self.mode = mode;
            let text = match mode {
                0 => "Servers are back in rotation.",
                1 => "No server passes its checks: the balancer fails open, to all registered servers.",
                _ => "No server is registered: requests are refused (503).",
            };
            self.say(t, text.to_string());
        }
        mask
    }

    /// The `j`-th server (from 0) in `mask`.
    fn nth(mask: u32, j: u64) -> usize {
        let mut left = j;
        for s in 0..32 {
            if mask & (1 << s) != 0 {
                if left == 0 {
                    return s;
                }
                left -= 1;
            }
        }
        0
    }

    fn choose(&mut self, mask: u32, client: u32) -> usize {
        let n = self.srv.len();
        let c = self.c;
        let count = u64::from(mask.count_ones());
        // Scan in turn from the server after the last pick, so ties rotate; keep the best.
        let (mut first, mut best) = (usize::MAX, usize::MAX);
        let mut total = 0.0;
        for k in 0..n {
            let s = (self.next + k) % n;
            if mask & (1 << s) == 0 {
                continue;
            }
            if first == usize::MAX {
                first = s;
                best = s;
            }
            let x = &self.srv[s];
            let b = &self.srv[best];
            let better = match c.algo {
                // Smooth weighted round robin: every server gains its weight, the highest
                // running score wins and pays back the total.
                WRR => {
                    total += c.caps[s];
                    self.srv[s].current += c.caps[s];
                    self.srv[s].current > self.srv[best].current
                }
                LC => x.active < b.active,
                // EWMA × (in flight + 1), ties to fewer in flight.
                LT => {
                    let score = |y: &Srv| y.ewma.unwrap_or(0.0) * f64::from(y.active + 1);
                    (score(x), x.active) < (score(b), b.active)
                }
                _ => false,
            };
            if better {
                best = s;
            }
        }
        let pick = match c.algo {
            WRR => {
                self.srv[best].current -= total;
                best
            }
            IPH => Self::nth(mask, client_hash(c.seed, client) % count),
            P2C => {
                let a = Self::nth(mask, self.picks.below(count));
                let b = Self::nth(mask, self.picks.below(count));
                if self.srv[b].active < self.srv[a].active { b } else { a }
            }
            LC | LT => best,
            _ => first,
        };
        self.next = pick + 1;
        pick
    }

    fn arrive(&mut self, sim: &mut Sim<Ev>) {
        let (t, c) = (sim.now(), self.c);
        let gap = self.arrivals.exponential(1.0 / c.v[RATE]);
        if t + gap < c.v[DURATION] {
            sim.schedule(gap, Ev::Arrive);
        }
        let client = self.arrivals.below(c.v[CLIENTS] as u64) as u32;
        let work = self.arrivals.exponential(1.0);
        let id = self.reqs.len();
        self.reqs.push(Req { at: t, client, server: None, outcome: Outcome::Refused, latency: 0.0, work, epoch: 0 });
        let mask = self.available(t);
        if mask == 0 {
            return;
        }
        let kept = self.sticky[client as usize];
        let s = if c.sticky && kept < 32 && mask & (1 << kept) != 0 { kept as usize } else { self.choose(mask, client) };
        self.sticky[client as usize] = s as u32;
        let (timeout, srv) = (c.v[TIMEOUT], &mut self.srv[s]);
        let r = &mut self.reqs[id];
        r.server = Some(s as u8);
        r.outcome = Outcome::Pending;
        r.epoch = srv.epoch;
        srv.active += 1;
        if srv.hung {
            sim.schedule(timeout, Ev::Finish(id as u32, false));
            return;
        }
        // First come, first served over the worker slots: start when a slot frees up.
        let mut w = 0;
        for (i, f) in srv.free.iter().enumerate() {
            if *f < srv.free[w] {
                w = i;
            }
        }
        let free = srv.free[w];
        let end = free.max(t) + work * c.service(s);
        srv.free[w] = end;
        if end - t <= timeout {
            sim.schedule(end - t, Ev::Finish(id as u32, true));
        } else {
            sim.schedule(timeout, Ev::Finish(id as u32, false));
        }
    }

    fn finish(&mut self, sim: &mut Sim<Ev>, id: usize, answered: bool) {
        let t = sim.now();
        let r = &self.reqs[id];
        if r.outcome != Outcome::Pending {
            return;
        }
        let s = r.server.unwrap_or(0) as usize;
        let mut answered = answered;
        if answered && self.srv[s].epoch != r.epoch {
            // The server hung or restarted before answering: the client waits for its timeout.
            let left = r.at + self.c.v[TIMEOUT] - t;
            if left > 0.0 {
                sim.schedule(left, Ev::Finish(id as u32, false));
                return;
            }
            answered = false;
        }
        let c = self.c;
        let r = &mut self.reqs[id];
        r.outcome = if answered { Outcome::Ok } else { Outcome::Timeout };
        r.latency = if answered { t - r.at } else { c.v[TIMEOUT] };
        let latency = r.latency;
        let srv = &mut self.srv[s];
        srv.active -= 1;
        srv.ewma = Some(srv.ewma.map_or(latency, |e| EWMA_ALPHA * latency + (1.0 - EWMA_ALPHA) * e));
        if self.srv[s].draining && self.srv[s].active == 0 {
            self.stop(sim, s);
        }
    }

    fn probe(&mut self, sim: &mut Sim<Ev>, s: usize) {
        let t = sim.now();
        if t + self.c.v[INTERVAL] < self.c.v[DURATION] {
            sim.schedule(self.c.v[INTERVAL], Ev::Probe(s as u8));
        }
        if self.srv[s].stopped {
            return;
        }
        if self.srv[s].hung {
            sim.schedule(self.c.v[CHECK_TIMEOUT], Ev::ProbeResult(s as u8));
        } else {
            self.probe_passed(t, s);
        }
    }

    fn probe_passed(&mut self, t: f64, s: usize) {
        let need = self.c.v[HEALTHY] as u32;
        let srv = &mut self.srv[s];
        srv.fails = 0;
        if srv.passes == 0 {
            srv.first_pass = t;
        }
        srv.passes += 1;
        if !srv.healthy && srv.passes >= need {
            srv.healthy = true;
            let first = srv.first_pass;
            self.mark(t, s, "in");
            self.say(t, format!("Server {} back in rotation: {need} checks in a row passed since {}.", s + 1, at(first)));
        }
    }

    fn probe_failed(&mut self, t: f64, s: usize) {
        let c = self.c;
        let need = c.v[UNHEALTHY] as u32;
        let srv = &mut self.srv[s];
        if srv.stopped {
            return;
        }
        srv.passes = 0;
        if srv.fails == 0 {
            srv.first_fail = t - c.v[CHECK_TIMEOUT];
        }
        srv.fails += 1;
        if srv.healthy && srv.fails >= need {
            srv.healthy = false;
            let first = srv.first_fail;
            self.mark(t, s, "out");
            self.say(
                t,
                format!("Server {} removed by health checks: {need} in a row got no answer within {}, since {}.", s + 1, at(c.v[CHECK_TIMEOUT]), at(first)),
            );
        }
    }

    fn drain_start(&mut self, sim: &mut Sim<Ev>, s: usize) {
        let t = sim.now();
        let srv = &mut self.srv[s];
        srv.draining = true;
        srv.drain_gen += 1;
        let (turn, active) = (srv.drain_gen, srv.active);
        self.drains.push(Drain { server: s, start: t, in_flight: active, stop: None, cut: 0, rejoin: None });
        self.mark(t, s, "drain");
        self.say(t, format!("Deploy: server {} drains (no new requests), {} in flight.", s + 1, active));
        if active == 0 {
            self.stop(sim, s);
        } else {
            sim.schedule(self.c.v[DRAIN], Ev::DrainEnd(s as u8, turn));
        }
    }

    /// Stop server `s` for its restart: what is still in flight is cut.
    fn stop(&mut self, sim: &mut Sim<Ev>, s: usize) {
        let t = sim.now();
        let srv = &mut self.srv[s];
        srv.draining = false;
        srv.stopped = true;
        srv.epoch += 1;
        srv.active = 0;
        let mut cut = 0;
        // Every request resolves within the client timeout, so only recent ones can be pending.
        for r in self.reqs.iter_mut().rev() {
            if r.at < t - self.c.v[TIMEOUT] - 1.0 {
                break;
            }
            if r.outcome == Outcome::Pending && r.server == Some(s as u8) {
                r.outcome = Outcome::Cut;
                r.latency = t - r.at;
                cut += 1;
            }
        }
        let restart = self.c.v[RESTART];
        let mut start = t;
        if let Some(d) = self.drains.last_mut() {
            d.stop = Some(t);
            d.cut = cut;
            start = d.start;
        }
        let text = if cut == 0 {
            format!(
                "Server {} drained in {}; it restarts for {}.",
                s + 1,
                if t > start { widget_core::format::duration(t - start) } else { "no time".to_string() },
                at(restart)
            )
        } else {
            format!("Server {}: the deregistration delay ({}) ran out; {cut} requests cut (502); it restarts for {}.", s + 1, at(self.c.v[DRAIN]), at(restart))
        };
        self.say(t, text);
        sim.schedule(restart, Ev::Rejoin(s as u8));
    }

    fn rejoin(&mut self, sim: &mut Sim<Ev>, s: usize) {
        let t = sim.now();
        let workers = self.srv[s].free.len();
        self.srv[s] = Srv { free: vec![t; workers], healthy: true, epoch: self.srv[s].epoch + 1, drain_gen: self.srv[s].drain_gen, ..Srv::default() };
        if let Some(d) = self.drains.last_mut() {
            d.rejoin = Some(t);
        }
        self.mark(t, s, "new");
        let next = s + 1;
        if next < self.srv.len() {
            if t < self.c.v[DURATION] {
                self.say(t, format!("Server {} is back with the new version.", s + 1));
                sim.schedule(0.0, Ev::DrainStart(next as u8));
            } else {
                self.say(t, format!("Server {} is back; the run ends before server {}'s turn.", s + 1, next + 1));
            }
        } else {
            let started = self.drains.first().map_or(t, |d| d.start);
            self.say(t, format!("Server {} is back: the deploy of {} servers took {}.", s + 1, self.srv.len(), widget_core::format::duration(t - started)));
        }
    }
}

/// The client's address hashed (stable for a seed).
pub fn client_hash(seed: u64, client: u32) -> u64 {
    Rng::new(seed ^ (u64::from(client) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
}

/// Run the whole simulation.
pub fn simulate(c: &Config) -> Run {
    let n = c.n();
    let workers = c.v[WORKERS] as usize;
    let mut st = State {
        c,
        srv: vec![],
        reqs: Vec::with_capacity((c.v[RATE] * c.v[DURATION] * 1.1) as usize + 16),
        sticky: vec![u32::MAX; c.v[CLIENTS] as usize],
        next: 0,
        arrivals: Rng::new(c.seed),
        picks: Rng::new(c.seed ^ 0x5EED_0FC4_01CE),
        timeline: vec![],
        dropped: 0,
        marks: vec![],
        drains: vec![],
        mode: 0,
    };
    for _ in 0..n {
        st.srv.push(Srv { free: vec![0.0; workers], healthy: true, ..Srv::default() });
    }
    let mut sim: Sim<Ev> = Sim::new();
    let first = st.arrivals.exponential(1.0 / c.v[RATE]);
    if first < c.v[DURATION] {
        sim.schedule(first, Ev::Arrive);
    }
    if c.checks {
        let mut phase = Rng::new(c.seed ^ 0xC4EC_4500);
        for s in 0..n {
            sim.schedule(phase.next_f64() * c.v[INTERVAL], Ev::Probe(s as u8));
        }
    }
    for k in &c.kills {
        sim.schedule(k.at, Ev::Kill(k.server as u8));
        if let Some(u) = k.until {
            sim.schedule(u, Ev::Recover(k.server as u8));
        }
    }
    if let Some(d) = c.deploy {
        sim.schedule(d, Ev::DrainStart(0));
    }
    let mut events = 0u32;
    while let Some((t, ev)) = sim.next() {
        events += 1;
        match ev {
            Ev::Arrive => st.arrive(&mut sim),
            Ev::Finish(id, answered) => st.finish(&mut sim, id as usize, answered),
            Ev::Probe(s) => st.probe(&mut sim, s as usize),
            Ev::ProbeResult(s) => st.probe_failed(t, s as usize),
            Ev::Kill(s) => {
                let s = s as usize;
                st.srv[s].hung = true;
                st.srv[s].epoch += 1;
                st.mark(t, s, "hangs");
                st.say(t, format!("Server {} hangs: it accepts requests but never answers.", s + 1));
            }
            Ev::Recover(s) => {
                let s = s as usize;
                if st.srv[s].hung {
                    let srv = &mut st.srv[s];
                    srv.hung = false;
                    srv.epoch += 1;
                    srv.free.iter_mut().for_each(|f| *f = t);
                    st.mark(t, s, "fixed");
                    st.say(t, format!("Server {} is fixed and answers again.", s + 1));
                }
            }
            Ev::DrainStart(s) => st.drain_start(&mut sim, s as usize),
            Ev::DrainEnd(s, turn) => {
                let s = s as usize;
                if st.srv[s].draining && st.srv[s].drain_gen == turn {
                    st.stop(&mut sim, s);
                }
            }
            Ev::Rejoin(s) => st.rejoin(&mut sim, s as usize),
        }
    }
    summarise(c, st, events)
}

fn summarise(c: &Config, st: State, events: u32) -> Run {
    let n = c.n();
    let dur = c.v[DURATION];
    let bin = [1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0].into_iter().find(|b| dur / b <= 30.0).unwrap_or(60.0);
    let bins = ((dur / bin).ceil() as usize).max(1);
    let index = |t: f64| ((t / bin) as usize).min(bins - 1);
    let (mut per, mut thr, mut windows) = (vec![], vec![], vec![]);
    for _ in 0..n {
        per.push(Stats::default());
        thr.push(vec![0u32; bins]);
    }
    for _ in 0..bins {
        windows.push(vec![]);
    }
    let mut all = Stats::default();
    let mut refused = 0;
    // One sort of every request by latency (as f32 bits, which order like the numbers for
    // values ≥ 0, above the request's index); then every list filled in that order is sorted.
    let mut keys = vec![];
    for (i, r) in st.reqs.iter().enumerate() {
        let Some(s) = r.server else {
            refused += 1;
            continue;
        };
        let s = s as usize;
        for x in [&mut per[s], &mut all] {
            x.sent += 1;
            match r.outcome {
                Outcome::Ok => x.ok += 1,
                Outcome::Timeout => x.timeouts += 1,
                _ => x.cut += 1,
            }
        }
        if r.outcome == Outcome::Ok && r.at + r.latency < dur {
            thr[s][index(r.at + r.latency)] += 1;
        }
        keys.push(u64::from((r.latency as f32).to_bits()) << 32 | i as u64);
    }
    sort(&mut keys);
    for k in keys {
        let r = &st.reqs[(k & 0xFFFF_FFFF) as usize];
        per[r.server.unwrap_or(0) as usize].latencies.push(r.latency);
        all.latencies.push(r.latency);
        windows[index(r.at)].push(r.latency);
    }
    let mut pct = vec![];
    for w in windows {
        pct.push([percentile(&w, 0.5), percentile(&w, 0.95), percentile(&w, 0.99)]);
    }
    Run { reqs: st.reqs, per, all, refused, bin, bins, thr, pct, timeline: st.timeline, dropped: st.dropped, marks: st.marks, drains: st.drains, events }
}

/// Seconds from a hang to removal by active checks: from (U − 1) × interval + timeout (the hang
/// starts just before a probe) to U × interval + timeout (just after one).
pub fn detection_window(interval: f64, timeout: f64, unhealthy: f64) -> (f64, f64) {
    ((unhealthy - 1.0) * interval + timeout, unhealthy * interval + timeout)
}

/// Seconds from a fix to restoration: H passing probes, the first from 0 to one interval later.
pub fn recovery_window(interval: f64, healthy: f64) -> (f64, f64) {
    ((healthy - 1.0) * interval, healthy * interval)
}

/// Share of requests that reach one of `k` stuck servers out of `n` when each request draws `d`
/// servers at random (with replacement) and takes the least loaded: all draws must be stuck.
pub fn stuck_share(k: f64, n: f64, d: i32) -> f64 {
    (k / n).powi(d)
}

/// Two draws without replacement: k/n × (k − 1)/(n − 1).
pub fn stuck_share_distinct(k: f64, n: f64) -> f64 {
    if n < 2.0 { 1.0 } else { k / n * (k - 1.0).max(0.0) / (n - 1.0) }
}
