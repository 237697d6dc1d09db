//! Rate limiters side by side. One seeded traffic pattern is offered to five limiters that share
//! one limit of `L` requests per second, and the widget shows what each lets through.
//!
//! Time is whole milliseconds; windows are 1 s (`W` = 1,000 ms). Arrivals are events in the
//! shared discrete-event engine ([`widget_core::sim`]); the leaky bucket schedules each request's
//! departure as a further event.
//!
//! - Token bucket (capacity `b`): `tokens = min(b, tokens + L × Δt)`; a request passes if
//!   `tokens ≥ 1` and takes one. Starts full. Any 1 s can pass up to `b + L`.
//! - Leaky bucket as a queue (limit `Q`): one request leaves every `W / L`; a request joins the
//!   queue if fewer than `Q` are waiting, else it is rejected. Departure
//!   `d = max(t, previous d + W / L)`; wait `d − t ≤ Q × W / L`. At most `L` leave in any 1 s.
//! - Fixed window counter: windows `[kW, (k+1)W)`; passes if fewer than `L` passed in this
//!   window. Across a boundary, `L` just before and `L` just after: up to `2L` in 1 s.
//! - Sliding log: passes if fewer than `L` passed in `(t − W, t]`. Never more than `L` in any
//!   1 s, at the price of one timestamp per passed request.
//! - Sliding window counter: `estimate = previous × (W − elapsed) / W + current`, passes if
//!   `estimate < L` (Cloudflare's approximation, 2017). Two counters; close to the log.
//!
//! The counters count passed requests only. "Busiest 1 s" is the most requests reaching the
//! service in any span `[s, s + W)`, found with two pointers over the sorted pass times (the
//! leaky bucket's are its departures). Times are kept in ticks of `1/L` ms so the leaky bucket's
//! drain `W / L` is exact.

use widget_core::format::{coord, duration, number};
use widget_core::rng::Rng;
use widget_core::sim::Sim;
use widget_core::{Log, Markup, ParamError, Params, Widget};

mod limiters;
pub use limiters::*;

/// The window of every counter and of the "busiest span", in ms.
pub const W: i64 = 1000;
pub const PATTERNS: [&str; 3] = ["steady", "bursty", "boundary"];
pub const NAMES: [&str; 5] = ["Token bucket", "Leaky bucket", "Fixed window", "Sliding log", "Sliding window counter"];
/// How long a half of a boundary burst lasts, and a burst of the bursty pattern, in ms.
const EDGE_MS: i64 = 200;
const BURST_MS: i64 = 250;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub pattern: usize,
    /// Offered average rate, requests per second.
    pub rate: u32,
    pub limit: u32,
    pub burst: u32,
    pub queue: u32,
    /// Seconds of traffic.
    pub duration: u32,
    pub seed: u32,
}

/// Arrival times in ms, sorted.
pub fn traffic(c: &Config) -> Vec<i64> {
    let mut rng = Rng::new(u64::from(c.seed) ^ 0x5EED_0F7E_AFF1);
    let end = i64::from(c.duration) * W;
    let rate = f64::from(c.rate);
    let mut out = vec![];
    let poisson = |rng: &mut Rng, per_s: f64, out: &mut Vec<i64>| {
        let mut t = rng.exponential(1000.0 / per_s);
        while (t as i64) < end {
            out.push(t as i64);
            t += rng.exponential(1000.0 / per_s);
        }
    };
    match PATTERNS[c.pattern] {
        "steady" => poisson(&mut rng, rate, &mut out),
        "bursty" => {
            poisson(&mut rng, rate / 4.0, &mut out);
            let size = (rate * 1.5).round() as u64;
            for p in 0..(i64::from(c.duration) + 1) / 2 {
                let start = p * 2 * W + rng.below(2 * W as u64 - BURST_MS as u64) as i64;
                for _ in 0..size {
                    let t = start + rng.below(BURST_MS as u64) as i64;
                    if t < end {
                        out.push(t);
                    }
                }
            }
        }
        _ => {
            for k in (1..i64::from(c.duration)).step_by(2) {
                for side in [-EDGE_MS, 0] {
                    for _ in 0..c.rate {
                        out.push(k * W + side + rng.below(EDGE_MS as u64) as i64);
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out
}

/// What one limiter did with the traffic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// When passed requests reach the service, in ticks of 1/L ms, in order.
    pub passed: Vec<i64>,
    /// Arrival times of rejected requests, ms.
    pub rejected: Vec<i64>,
    pub max_wait_ms: f64,
    pub busiest: u32,
    pub busiest_start_ms: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub arrivals: Vec<i64>,
    pub outcomes: Vec<Outcome>,
}

enum Ev {
    Arrive(i64),
    Leave(i64),
}

pub fn simulate(c: &Config) -> Run {
    let arrivals = traffic(c);
    let mut tb = TokenBucket::new(c.burst, c.limit, W);
    let mut lb = LeakyBucket::new(c.queue, c.limit, W);
    let mut fw = FixedWindow::new(c.limit, W);
    let mut sl = SlidingLog::new(c.limit, W);
    let mut sc = SlidingCounter::new(c.limit, W);
    let mut out = vec![Outcome::default(); 5];
    let l = i64::from(c.limit);
    let mut sim = Sim::new();
    for &t in &arrivals {
        sim.schedule(t as f64, Ev::Arrive(t));
    }
    while let Some((now, ev)) = sim.next() {
        match ev {
            Ev::Arrive(t) => {
                let verdicts = [tb.offer(t), false, fw.offer(t), sl.offer(t), sc.offer(t)];
                for (i, ok) in verdicts.into_iter().enumerate() {
                    if i == 1 {
                        continue;
                    }
                    if ok { out[i].passed.push(t * l) } else { out[i].rejected.push(t) }
                }
                match lb.offer(t) {
                    Some(d) => {
                        let wait = (d - t * l) as f64 / l as f64;
                        out[1].max_wait_ms = out[1].max_wait_ms.max(wait);
                        sim.schedule(d as f64 / l as f64 - now, Ev::Leave(d));
                    }
                    None => out[1].rejected.push(t),
                }
            }
            Ev::Leave(d) => out[1].passed.push(d),
        }
    }
    for o in &mut out {
        let (n, s) = busiest(&o.passed, W * l);
        o.busiest = n;
        o.busiest_start_ms = s as f64 / l as f64;
    }
    Run { arrivals, outcomes: out }
}

pub struct RateLimit {
    pub config: Config,
    pub run: Run,
    log: Log,
}

fn option(m: &mut Markup, value: &str, label: &str, selected: bool) {
    if selected {
        m.el("option", &[("value", value), ("selected", "")], label);
    } else {
        m.el("option", &[("value", value)], label);
    }
}

/// Number inputs: event and parameter name, label, min, max.
const FIELDS: [(&str, &str, u32, u32); 6] = [
    ("rate", "Offered rate (requests/s)", 1, 100),
    ("limit", "Limit L (requests/s)", 1, 50),
    ("burst", "Token bucket capacity b", 1, 100),
    ("queue", "Leaky bucket queue Q", 1, 100),
    ("duration", "Seconds of traffic", 2, 30),
    ("seed", "Seed", 0, 999_999),
];

impl RateLimit {
    fn field(&mut self, key: &str) -> Option<&mut u32> {
        let c = &mut self.config;
        Some(match key {
            "rate" => &mut c.rate,
            "limit" => &mut c.limit,
            "burst" => &mut c.burst,
            "queue" => &mut c.queue,
            "duration" => &mut c.duration,
            "seed" => &mut c.seed,
            _ => return None,
        })
    }

    fn rerun(&mut self, what: String) {
        self.run = simulate(&self.config);
        let b: Vec<String> = self.run.outcomes.iter().map(|o| o.busiest.to_string()).collect();
        self.log.push(format!(
            "{what} Busiest 1 s (limit {}): token {}, leaky {}, fixed {}, log {}, counter {}.",
            self.config.limit, b[0], b[1], b[2], b[3], b[4]
        ));
    }

    fn describe(&self) -> String {
        let c = &self.config;
        match PATTERNS[c.pattern] {
            "steady" => format!("Steady: random (Poisson) arrivals at an average {} requests/s.", c.rate),
            "bursty" => format!(
                "Bursty: a background of {} requests/s, plus a burst of {} requests within {} ms once every 2 s; {} requests/s on average.",
                number(f64::from(c.rate) / 4.0, 2),
                number(f64::from(c.rate) * 1.5, 0),
                BURST_MS,
                c.rate
            ),
            _ => format!(
                "Boundary burst: {r} requests in the {e} ms before and {r} in the {e} ms after every other window boundary (1 s, 3 s, 5 s …); {r} requests/s on average.",
                r = c.rate,
                e = EDGE_MS
            ),
        }
    }
}

impl Widget for RateLimit {
    const NAME: &'static str = "ratelimit";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        p.only(&["pattern", "rate", "limit", "burst", "queue", "duration", "seed"])?;
        let pattern = p.choice("pattern", "boundary", &PATTERNS)?;
        let config = Config {
            pattern: PATTERNS.iter().position(|x| *x == pattern).unwrap_or(0),
            rate: p.u32_in("rate", 15, 1, 100)?,
            limit: p.u32_in("limit", 10, 1, 50)?,
            burst: p.u32_in("burst", 10, 1, 100)?,
            queue: p.u32_in("queue", 10, 1, 100)?,
            duration: p.u32_in("duration", 10, 2, 30)?,
            seed: p.u32_in("seed", 1, 0, 999_999)?,
        };
        Ok(RateLimit { config, run: simulate(&config), log: Log::default() })
    }

    fn to_params(&self) -> Params {
        let c = &self.config;
        let mut p = Params::new();
        p.set("pattern", PATTERNS[c.pattern])
            .set("rate", c.rate)
            .set("limit", c.limit)
            .set("burst", c.burst)
            .set("queue", c.queue)
            .set("duration", c.duration)
            .set("seed", c.seed);
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let value = value.trim();
        match event {
            "pattern" => {
                if let Some(i) = PATTERNS.iter().position(|x| *x == value)
                    && i != self.config.pattern
                {
                    self.config.pattern = i;
                    let what = format!("Pattern: {value}.");
                    self.rerun(what);
                }
            }
            "reseed" => {
                self.config.seed = ((u64::from(self.config.seed) * 48_271 + 11) % 999_983) as u32;
                let what = format!("New seed {}.", self.config.seed);
                self.rerun(what);
            }
            _ => {
                let Some(&(key, label, lo, hi)) = FIELDS.iter().find(|f| f.0 == event) else { return };
                match value.parse::<u32>().ok().filter(|v| (lo..=hi).contains(v)) {
                    Some(v) => {
                        let slot = self.field(key).expect("every field has a slot");
                        if *slot != v {
                            *slot = v;
                            self.rerun(format!("{label}: {v}."));
                        }
                    }
                    None => {
                        let shown: String = value.chars().take(12).collect();
                        self.log.push(format!("Ignored “{shown}” for {label}: use a whole number from {lo} to {hi}."));
                    }
                }
            }
        }
    }

    fn view(&self) -> String {
        let c = &self.config;
        let mut m = Markup::new();
        m.open("div", &[("class", "w-ratelimit")]);

        m.open("div", &[("class", "w-controls")]);
        m.open("label", &[]).text("Traffic ");
        m.open("select", &[("data-ev", "pattern")]);
        for (i, (v, label)) in PATTERNS.iter().zip(["steady", "bursty", "boundary burst"]).enumerate() {
            option(&mut m, v, label, i == c.pattern);
        }
        m.close("select").close("label");
        for (key, label, lo, hi) in FIELDS {
            let value = match key {
                "rate" => c.rate,
                "limit" => c.limit,
                "burst" => c.burst,
                "queue" => c.queue,
                "duration" => c.duration,
                _ => c.seed,
            };
            m.open("label", &[]).text(label).text(" ");
            m.void("input", &[("type", "number"), ("data-ev", key), ("value", &value.to_string()), ("min", &lo.to_string()), ("max", &hi.to_string()), ("step", "1"), ("inputmode", "numeric")]);
            m.close("label");
        }
        m.el("button", &[("type", "button"), ("data-ev", "reseed")], "New seed");
        m.close("div");
        m.el("p", &[("class", "w-note")], &self.describe());

        self.chart(&mut m);
        self.table(&mut m);
        self.results(&mut m);
        self.log.view(&mut m, "Nothing yet: change the traffic or the limit to compare the five limiters.");
        m.el(
            "p",
            &[("class", "w-source")],
            "Model: arrivals at whole milliseconds; every window is 1 s; counters and the log count passed requests only. Algorithms as in Alex Xu, System Design Interview, chapter 4 “Design a rate limiter”, 2020; the sliding window counter is Cloudflare's (Julien Desgats, “Counting things, a lot of different things”, Cloudflare blog, 2017).",
        );
        m.close("div");
        m.finish()
    }
}

/// A chart row: its name, passed and rejected per bar, and the limiter's outcome.
type Row<'a> = (&'a str, Vec<u32>, Vec<u32>, Option<&'a Outcome>);

impl RateLimit {
    fn bucket_ms(&self) -> i64 {
        match self.config.duration {
            0..=6 => 100,
            7..=12 => 200,
            _ => 500,
        }
    }

    /// One row per limiter (and one for the offered traffic): passed and rejected per bucket.
    fn chart(&self, m: &mut Markup) {
        let c = &self.config;
        let l = i64::from(c.limit);
        let bucket = self.bucket_ms();
        let end = i64::from(c.duration) * W;
        let nb = (end / bucket) as usize;
        let count = |times: &mut dyn Iterator<Item = i64>| {
            let mut v = vec![0u32; nb];
            for t in times {
                if (0..end).contains(&t) {
                    v[(t / bucket) as usize] += 1;
                }
            }
            v
        };
        let mut rows: Vec<Row> = vec![("Offered traffic", count(&mut self.run.arrivals.iter().copied()), vec![0; nb], None)];
        for (name, o) in NAMES.iter().zip(&self.run.outcomes) {
            rows.push((name, count(&mut o.passed.iter().map(|d| d / l)), count(&mut o.rejected.iter().copied()), Some(o)));
        }
        let per_bucket = f64::from(c.limit) * bucket as f64 / 1000.0;
        let top = rows.iter().flat_map(|r| r.1.iter().zip(&r.2).map(|(a, b)| f64::from(a + b))).fold(per_bucket * 1.25, f64::max).ceil();

        let (x0, pw, pitch, ph) = (26.0, 346.0, 66.0, 40.0);
        let height = 22.0 + pitch * rows.len() as f64 + 22.0;
        let xs = |ms: f64| x0 + pw * ms / end as f64;
        let label = format!(
            "Timeline over {} s, in bars of {} ms: the offered requests, then for each limiter the requests passed and rejected, with the limit and each limiter's busiest 1-second span marked. The table below gives the same totals.",
            c.duration, bucket
        );
        m.open("svg", &[("viewBox", &format!("0 0 380 {}", coord(height))), ("class", "w-diagram"), ("role", "img"), ("aria-label", &label)]);
        m.el("title", &[], "Passed and rejected requests over time, per limiter");
        // Legend.
        for (x, class, text) in [(26.0, "w-c0", "passed"), (86.0, "w-c4", "rejected"), (226.0, "w-c3", "busiest 1 s")] {
            let mut attrs = vec![("x", coord(x)), ("y", "3".to_string()), ("width", "10".to_string()), ("height", "10".to_string()), ("class", class.to_string())];
            if class == "w-c3" {
                attrs.push(("fill-opacity", "0.15".to_string()));
            }
            let a: Vec<(&'static str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            m.void("rect", &a);
            m.el("text", &[("x", &coord(x + 14.0)), ("y", "12"), ("class", "w-small")], text);
        }
        m.void("line", &[("x1", "156"), ("y1", "8"), ("x2", "174"), ("y2", "8"), ("class", "w-c1"), ("stroke-dasharray", "4 3"), ("stroke-width", "1.5")]);
        m.el("text", &[("x", "178"), ("y", "12"), ("class", "w-small")], "limit");
        // Window boundaries.
        let bottom = 22.0 + pitch * rows.len() as f64;
        for s in 1..c.duration {
            let x = coord(xs(f64::from(s) * 1000.0));
            m.void("line", &[("x1", &x), ("y1", "18"), ("x2", &x), ("y2", &coord(bottom - 8.0)), ("class", "w-grid")]);
        }
        let step = match c.duration {
            0..=8 => 1,
            9..=16 => 2,
            _ => 5,
        };
        for s in (0..=c.duration).step_by(step) {
            let anchor = if s == 0 { "start" } else if s == c.duration { "end" } else { "middle" };
            m.el("text", &[("x", &coord(xs(f64::from(s) * 1000.0))), ("y", &coord(bottom + 6.0)), ("text-anchor", anchor), ("class", "w-small")], &format!("{s} s"));
        }
        let bw = pw / nb as f64;
        for (r, (name, passed, rejected, outcome)) in rows.iter().enumerate() {
            let y0 = 22.0 + pitch * r as f64;
            let base = y0 + 16.0 + ph;
            let h = |n: u32| ph * f64::from(n) / top;
            if let Some(o) = outcome {
                let (x1, x2) = (xs(o.busiest_start_ms), xs((o.busiest_start_ms + 1000.0).min(end as f64)));
                if o.busiest > 0 && x2 > x1 {
                    m.void("rect", &[("x", &coord(x1)), ("y", &coord(y0 + 14.0)), ("width", &coord(x2 - x1)), ("height", &coord(ph + 2.0)), ("class", "w-c3"), ("fill-opacity", "0.15")]);
                }
            }
            let title = match outcome {
                Some(o) => format!("{name}: busiest 1 s passed {}", o.busiest),
                None => format!("{name}: {} requests", self.run.arrivals.len()),
            };
            m.el("text", &[("x", &coord(x0)), ("y", &coord(y0 + 11.0)), ("class", "w-label")], &title);
            m.el("text", &[("x", &coord(x0 - 3.0)), ("y", &coord(y0 + 22.0)), ("text-anchor", "end"), ("class", "w-small")], &number(top, 0));
            m.el("text", &[("x", &coord(x0 - 3.0)), ("y", &coord(base)), ("text-anchor", "end"), ("class", "w-small")], "0");
            m.void("line", &[("x1", &coord(x0)), ("y1", &coord(base)), ("x2", &coord(x0 + pw)), ("y2", &coord(base)), ("class", "w-edge")]);
            for b in 0..nb {
                let x = coord(x0 + bw * b as f64 + bw * 0.1);
                let w = coord(bw * 0.8);
                let (hp, hr) = (h(passed[b]), h(rejected[b]));
                let class = if outcome.is_some() { "w-c0" } else { "w-c9" };
                if passed[b] > 0 {
                    m.void("rect", &[("x", &x), ("y", &coord(base - hp)), ("width", &w), ("height", &coord(hp)), ("class", class)]);
                }
                if rejected[b] > 0 {
                    m.void("rect", &[("x", &x), ("y", &coord(base - hp - hr)), ("width", &w), ("height", &coord(hr)), ("class", "w-c4")]);
                }
            }
            let ly = coord(base - h(1) * per_bucket);
            m.void("line", &[("x1", &coord(x0)), ("y1", &ly), ("x2", &coord(x0 + pw)), ("y2", &ly), ("class", "w-c1"), ("stroke-dasharray", "4 3"), ("stroke-width", "1.5")]);
        }
        m.close("svg");
        m.el(
            "p",
            &[("class", "w-note")],
            &format!(
                "Bars count requests per {bucket} ms (rejected stacked on passed); the red dashed line is the limit, L × {bucket} ms = {} per bar; grey dashed lines mark the 1 s windows. The leaky bucket's bars show when requests leave its queue.",
                number(per_bucket, 1)
            ),
        );
    }

    fn table(&self, m: &mut Markup) {
        let c = &self.config;
        let (l, b) = (c.limit, c.burst);
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], &format!("The same {} requests through each limiter (L = {l} per second)", self.run.arrivals.len()));
        m.open("thead", &[]).open("tr", &[]);
        for h in ["Limiter", "Passed", "Rejected", "Busiest 1 s", "At most"] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        let bounds = [format!("b + L = {}", b + l), format!("L = {l}"), format!("2L = {}", 2 * l), format!("L = {l}"), "about L".to_string()];
        for (i, o) in self.run.outcomes.iter().enumerate() {
            m.open("tr", &[]);
            m.el("th", &[("scope", "row")], NAMES[i]);
            m.el("td", &[], &o.passed.len().to_string());
            m.el("td", &[], &o.rejected.len().to_string());
            m.open("td", &[]).el("strong", &[], &o.busiest.to_string()).close("td");
            m.el("td", &[], &bounds[i]);
            m.close("tr");
        }
        m.close("tbody").close("table");
    }

    fn results(&self, m: &mut Markup) {
        let c = &self.config;
        let (l, q, b) = (c.limit, c.queue, c.burst);
        let o = &self.run.outcomes;
        let n = self.run.arrivals.len();
        let drain = 1000.0 / f64::from(l);
        let ls = l.to_string();
        m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
        m.open("p", &[]).textf(format_args!(
            "Offered: {n} requests in {} s, {n} ÷ {} s = {} per second, against a limit of {l} per second. ",
            c.duration,
            c.duration,
            number(n as f64 / f64::from(c.duration), 1)
        ));
        m.text("Busiest 1 s: fixed window ").el("strong", &[], &o[2].busiest.to_string());
        m.textf(format_args!(" ({}× the limit), sliding log ", number(f64::from(o[2].busiest) / f64::from(l), 2)));
        m.el("strong", &[], &o[3].busiest.to_string()).text(".").close("p");
        let lines = [
            format!("Token bucket: tokens = min(b, tokens + L × Δt), passes if tokens ≥ 1. It starts full, so a burst of b = {b} passes at once, then L = {ls}/s: up to b + L = {} in 1 s.", b + l),
            format!(
                "Leaky bucket: one request leaves every 1 s ÷ L = {}; at most Q = {q} wait, so a request waits up to Q ÷ L = {}. Longest wait here: {}.",
                duration(drain / 1000.0),
                duration(f64::from(q) / f64::from(l)),
                duration(o[1].max_wait_ms / 1000.0)
            ),
            format!("Fixed window: passes while count in [⌊t⌋, ⌊t⌋ + 1 s) < L = {ls}. L just before a boundary and L just after make 2L = {} within one second.", 2 * l),
            format!("Sliding log: passes while the passed requests in (t − 1 s, t] number fewer than L = {ls}: never more than L in any second, but it stores a timestamp per request."),
            format!("Sliding window counter: previous × (1 s − elapsed) ÷ 1 s + current < L = {ls}. Two counters only; it assumes the previous second was even, so it can pass a little more or less than the log."),
            "Busiest 1 s = the most requests reaching the service in any span [s, s + 1 s).".to_string(),
        ];
        for line in lines {
            m.el("p", &[("class", "w-formula")], &line);
        }
        let late = o[1].passed.iter().filter(|d| **d >= i64::from(c.duration) * W * i64::from(l)).count();
        if late > 0 {
            m.el("p", &[("class", "w-note")], &format!("{late} requests still in the leaky bucket's queue at {} s leave after the end of the chart.", c.duration));
        }
        m.close("div");
    }
}

widget_core::export_widget!(crate::RateLimit);

#[cfg(test)]
mod tests {
    use super::*;

    fn widget(config: &str) -> RateLimit {
        RateLimit::from_params(&Params::parse(config).unwrap()).unwrap()
    }

    #[test]
    fn boundary_burst_shows_twice_the_limit_for_fixed_windows() {
        // rate 15, L = 10: 15 arrive in [800, 1000) ms and 15 in [1000, 1200) ms (and again at
        // 3 s ...). The fixed window passes 10 + 10 = 20 within 400 ms: 2 × L.
        let w = widget("pattern: boundary\nrate: 15\nlimit: 10\nburst: 10\nqueue: 10\nduration: 4");
        let o = &w.run.outcomes;
        assert_eq!(w.run.arrivals.len(), 2 * 2 * 15, "bursts at 1 s and 3 s");
        assert_eq!(o[2].busiest, 20, "fixed window: 2L");
        assert_eq!(o[3].busiest, 10, "sliding log: L");
        assert!(o[1].busiest <= 10, "leaky bucket never exceeds L: {}", o[1].busiest);
        // Token bucket: full (10) at 800 ms, refills 1 per 100 ms over the 400 ms burst: at most
        // 10 + 4 = 14, and at least the 10 it held.
        assert!((10..=14).contains(&o[0].busiest), "token {}", o[0].busiest);
        assert!(o[4].busiest <= 12, "counter {}", o[4].busiest);
        // Every request is either passed or rejected.
        for x in o {
            assert_eq!(x.passed.len() + x.rejected.len(), 60);
        }
        // Fixed window passes 10 on each side of both boundaries = 40; sliding log only 10 per
        // pair of bursts (the second half arrives within 1 s of the first) = 20.
        assert_eq!(o[2].passed.len(), 40);
        assert_eq!(o[3].passed.len(), 20);
        // Leaky bucket with Q = 10 waits at most Q ÷ L = 1 s.
        assert!(o[1].max_wait_ms <= 1000.0 && o[1].max_wait_ms >= 900.0, "{}", o[1].max_wait_ms);
    }

    #[test]
    fn sliding_log_never_exceeds_the_limit_on_any_pattern() {
        for pattern in PATTERNS {
            for seed in 0..5 {
                let w = widget(&format!("pattern: {pattern}\nrate: 40\nlimit: 7\nburst: 20\nseed: {seed}"));
                let o = &w.run.outcomes;
                assert!(o[3].busiest <= 7, "{pattern}");
                assert!(o[1].busiest <= 7, "leaky {pattern}");
                assert!(o[2].busiest <= 14, "fixed {pattern}");
                assert!(o[0].busiest <= 27, "token {pattern}");
            }
        }
    }

    #[test]
    fn patterns_have_the_stated_average_rate() {
        // Steady and bursty average `rate`: 20/s over 30 s is about 600 requests.
        for pattern in ["steady", "bursty"] {
            let n = widget(&format!("pattern: {pattern}\nrate: 20\nduration: 30")).run.arrivals.len() as f64;
            assert!((n - 600.0).abs() < 90.0, "{pattern}: {n}");
        }
    }

    #[test]
    fn quiz_configs_show_the_expected_answers() {
        // /tmp/quiz-ratelimit.yaml, ratelimit-fixed-window-boundary: 2L = 20 in one second.
        let w = widget("pattern: boundary\nrate: 15\nlimit: 10\nseed: 1");
        assert_eq!(w.run.outcomes[2].busiest, 20);
        assert!(w.view().contains("Fixed window: busiest 1 s passed 20"));
        // ratelimit-sliding-counter-approximation: a little over L (12), unlike the log (10).
        assert_eq!(w.run.outcomes[4].busiest, 12);
        assert_eq!(w.run.outcomes[3].busiest, 10);
        assert!(w.view().contains("Sliding window counter: busiest 1 s passed 12"));
        // Robust to the seed: at 1 s + e the estimate is 10 × (1 − e/1000) + passed, so one
        // passes at once and a second once e > 100 ms; a third would need e > 200 ms.
        for seed in 0..20 {
            let w = widget(&format!("pattern: boundary\nrate: 15\nlimit: 10\nseed: {seed}"));
            assert!((11..=12).contains(&w.run.outcomes[4].busiest), "seed {seed}");
        }
    }

    #[test]
    fn same_seed_same_markup() {
        assert_eq!(widget("seed: 4").view(), widget("seed: 4").view());
        assert_ne!(widget("pattern: steady\nseed: 4").run.arrivals, widget("pattern: steady\nseed: 5").run.arrivals);
    }

    #[test]
    fn view_shows_the_numbers_and_formulas() {
        let html = widget("").view();
        assert!(html.contains("<svg") && html.contains("viewBox") && html.contains("<title>"));
        assert!(!html.contains("width=\"380\""), "no fixed pixel width");
        assert!(html.contains("2L = 20"));
        assert!(html.contains("b + L = 20"));
        assert!(html.contains("Q ÷ L = 1.00 s"), "{html}");
        assert!(html.contains("one request leaves every 1 s ÷ L = 100 ms"));
        assert!(html.contains("Busiest 1 s: fixed window <strong>20</strong> (2.00× the limit), sliding log <strong>10</strong>"), "{html}");
        assert!(html.contains("Cloudflare") && html.contains("2017") && html.contains("2020"));
        for f in FIELDS {
            assert!(html.contains(&format!("data-ev=\"{}\"", f.0)));
        }
    }

    #[test]
    fn round_trip_through_the_fragment() {
        let mut w = widget("pattern: bursty\nrate: 30");
        w.update("limit", "7");
        w.update("reseed", "");
        let (back, notice) = widget_core::restore::<RateLimit>("", &w.to_params().to_fragment()).unwrap();
        assert!(notice.is_none());
        assert_eq!(back.config, w.config);
        assert_eq!(back.run, w.run);
        // The view differs only by the log.
        let strip = |s: String| s.split("<div class=\"w-log\">").next().unwrap().to_string();
        assert_eq!(strip(back.view()), strip(w.view()));
    }

    #[test]
    fn events_change_the_run_and_log_in_words() {
        let mut w = widget("");
        w.update("pattern", "steady");
        assert_eq!(PATTERNS[w.config.pattern], "steady");
        assert!(w.log.latest().unwrap().starts_with("Pattern: steady. Busiest 1 s (limit 10)"));
        w.update("limit", "20");
        assert_eq!(w.config.limit, 20);
        assert_eq!(w.run, simulate(&w.config));
    }

    #[test]
    fn hostile_events_are_ignored() {
        let mut w = widget("");
        let before = w.config;
        for (ev, v) in [("limit", "0"), ("limit", "51"), ("limit", "-3"), ("limit", "1e3"), ("rate", "99999999999999999999"), ("burst", ""), ("queue", "<script>"), ("duration", "NaN"), ("pattern", "evil"), ("seed", "1000000"), ("nope", "1"), ("", "")] {
            w.update(ev, v);
        }
        assert_eq!(w.config, before);
        assert!(w.log.latest().unwrap().contains("Ignored"));
        assert!(!w.view().contains("<script>"));
    }

    #[test]
    fn bad_parameters_are_refused() {
        for bad in ["pattern: spiky", "rate: 0", "rate: 101", "limit: 0", "limit: 51", "burst: 0", "queue: 0", "queue: 101", "duration: 1", "duration: 31", "seed: -1", "colour: red", "limit: 2.5"] {
            let e = RateLimit::from_params(&Params::parse(bad).unwrap());
            assert!(e.is_err(), "{bad}");
            let key = bad.split(':').next().unwrap();
            assert!(e.err().unwrap().to_string().contains(key), "{bad}");
        }
    }
}
