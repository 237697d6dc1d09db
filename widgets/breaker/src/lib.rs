//! Circuit breaker simulator. A caller sends calls at a fixed rate to a flaky dependency, through
//! a thread pool it shares with other requests; for a period the dependency slows down beyond the
//! caller's timeout. With the breaker off, calls wait out the timeout, threads pile up to the pool
//! limit and the caller's other requests fail too (a cascading failure). With it on, the breaker
//! opens, calls fail fast and the pool recovers. The run (see [`run`]) is computed up front on the
//! shared discrete-event engine, for both settings, so the metrics compare them.
//!
//! Formulas shown beside the numbers:
//! - threads needed (Little's law): `busy = arrival rate × time each request holds a thread`;
//! - success rate `ok ÷ sent`; mean latency `Σ latency ÷ sent`; p99 the `⌈0.99 n⌉`-th smallest
//!   (to the whole millisecond above);
//! - the breaker opens when `failures ÷ window ≥ threshold` over the last `window` calls.

pub mod run;

use run::{BUCKETS, Config, OTHER_MS, Outcome, Run, State, ratio};
use widget_core::format::{self, coord, number, short};
use widget_core::{Log, Markup, ParamError, Params, Widget};

/// Numeric parameters: key, label, unit, min, max, default, whole number.
type Spec = (&'static str, &'static str, &'static str, f64, f64, f64, bool);
const SPECS: [Spec; 15] = [
    ("rps", "Calls to the dependency", "/s", 1.0, 100.0, 50.0, false),
    ("other_rps", "Other requests", "/s", 0.0, 50.0, 20.0, false),
    ("pool", "Thread pool", "threads", 1.0, 200.0, 20.0, true),
    ("latency_ms", "Dependency latency", "ms", 1.0, 5000.0, 100.0, false),
    ("fail_pct", "Dependency failures", "%", 0.0, 100.0, 5.0, false),
    ("timeout_ms", "Caller timeout", "ms", 10.0, 10000.0, 1000.0, false),
    ("slow_at", "Slowdown starts at", "s", 0.0, 120.0, 10.0, false),
    ("slow_for", "Slowdown lasts", "s", 0.0, 120.0, 20.0, false),
    ("slow_ms", "Latency while slow", "ms", 1.0, 30000.0, 3000.0, false),
    ("window", "Window", "calls", 2.0, 100.0, 20.0, true),
    ("threshold_pct", "Opens at failure rate", "%", 1.0, 100.0, 50.0, false),
    ("open_s", "Stays open", "s", 0.1, 60.0, 5.0, false),
    ("probes", "Half-open probes", "calls", 1.0, 20.0, 3.0, true),
    ("duration", "Run length", "s", 10.0, 120.0, 60.0, false),
    ("at", "Time shown", "s", 0.0, 120.0, 20.0, false),
];
const GROUPS: [(&str, std::ops::Range<usize>); 3] = [("Caller and dependency", 0..6), ("Slowdown", 6..9), ("Breaker", 9..13)];
const NAMES: [&str; 5] = ["ok", "failed", "timed out", "rejected fast (breaker open)", "pool full (caller's own failure)"];
const CLASSES: [&str; 5] = ["w-c2", "w-c1", "w-c4", "w-c9", "w-c13"];

#[derive(Debug)]
pub struct Breaker {
    /// Values of [`SPECS`], in order.
    pub values: [f64; 15],
    pub on: bool,
    pub seed: u32,
    /// Runs with the breaker off and on.
    pub off_run: Run,
    pub on_run: Run,
    log: Log,
}

fn plain(x: f64) -> String {
    short(x, 3).replace(',', "")
}

fn ms(x: f64) -> String {
    format!("{} ms", number(x, 0))
}

impl Breaker {
    pub fn get(&self, key: &str) -> f64 {
        SPECS.iter().position(|s| s.0 == key).map_or(0.0, |i| self.values[i])
    }

    pub fn config(&self, on: bool) -> Config {
        let g = |k| self.get(k);
        Config {
            breaker: on,
            seed: u64::from(self.seed),
            rps: g("rps"),
            other_rps: g("other_rps"),
            pool: g("pool") as u32,
            timeout_ms: g("timeout_ms"),
            latency_ms: g("latency_ms"),
            fail_pct: g("fail_pct"),
            slow_at: g("slow_at"),
            slow_for: g("slow_for"),
            slow_ms: g("slow_ms"),
            window: g("window") as u32,
            threshold_pct: g("threshold_pct"),
            open_s: g("open_s"),
            probes: g("probes") as u32,
            duration: g("duration"),
            jitter: true,
        }
    }

    /// The run the chart shows.
    pub fn shown(&self) -> &Run {
        if self.on { &self.on_run } else { &self.off_run }
    }

    fn simulate(&mut self) {
        self.off_run = run::run(&self.config(false));
        self.on_run = run::run(&self.config(true));
    }

    fn summary(&self) -> String {
        let (off, on) = (&self.off_run, &self.on_run);
        format!(
            "other requests served during the slowdown: {} with the breaker off, {} with it on; p99 {} vs {}.",
            pct(ratio(off.other_slow_ok, off.other_slow_sent)),
            pct(ratio(on.other_slow_ok, on.other_slow_sent)),
            ms(off.p99_ms),
            ms(on.p99_ms)
        )
    }
}

fn pct(x: f64) -> String {
    format!("{}%", short(x * 100.0, 1))
}

impl Widget for Breaker {
    const NAME: &'static str = "breaker";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        let mut keys: Vec<&str> = SPECS.iter().map(|s| s.0).collect();
        keys.extend(["breaker", "seed"]);
        p.only(&keys)?;
        let mut values = [0.0; 15];
        for (i, (key, _, _, lo, hi, default, whole)) in SPECS.iter().enumerate() {
            values[i] = if *whole { f64::from(p.u32_in(key, *default as u32, *lo as u32, *hi as u32)?) } else { p.f64_in(key, *default, *lo, *hi)? };
        }
        let mut w = Breaker {
            values,
            on: p.choice("breaker", "on", &["on", "off"])? == "on",
            seed: p.u32_in("seed", 1, 0, u32::MAX)?,
            off_run: Run::default(),
            on_run: Run::default(),
            log: Log::default(),
        };
        let duration = w.get("duration");
        for key in ["slow_at", "at"] {
            if w.get(key) > duration {
                return Err(ParamError::new(key, format!("must be within the run: at most `duration` ({} s), got {} s", plain(duration), plain(w.get(key)))));
            }
        }
        w.simulate();
        Ok(w)
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        for (i, s) in SPECS.iter().enumerate() {
            p.set(s.0, plain(self.values[i]));
        }
        p.set("breaker", if self.on { "on" } else { "off" }).set("seed", self.seed);
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let what = match event {
            "breaker" => match value {
                "on" | "off" => {
                    self.on = value == "on";
                    format!("Breaker {value}")
                }
                _ => return,
            },
            "reseed" => {
                self.seed = self.seed.wrapping_mul(1_103_515_245).wrapping_add(12_345) % 1_000_000;
                format!("New seed {}", self.seed)
            }
            "seed" => match value.trim().parse::<u32>() {
                Ok(s) => {
                    self.seed = s;
                    format!("Seed {s}")
                }
                Err(_) => return self.log.push("Ignored a seed that is not a whole number.".to_string()),
            },
            _ => {
                let Some(i) = SPECS.iter().position(|s| s.0 == event) else { return };
                let (key, label, unit, lo, mut hi, _, whole) = SPECS[i];
                if key == "at" || key == "slow_at" {
                    hi = self.get("duration");
                }
                let v = format::parse(value).filter(|v| *v >= lo && *v <= hi && (!whole || v.fract() == 0.0));
                let Some(v) = v else {
                    let shown: String = value.chars().take(16).collect();
                    return self.log.push(format!("Ignored `{shown}` for {label}: use {} to {} {unit}.", plain(lo), plain(hi)));
                };
                self.values[i] = v;
                if key == "duration" {
                    // Keep the slowdown start and the time shown inside a shorter run.
                    for k in [6, 14] {
                        self.values[k] = self.values[k].min(v);
                    }
                }
                if key == "at" {
                    // Moving the time cursor changes no run.
                    let r = self.shown();
                    let state = if self.on { state_name(r.state_at(v)) } else { "not in the path (off)" };
                    let bk = &r.buckets[((v / self.get("duration") * BUCKETS as f64) as usize).min(BUCKETS - 1)];
                    return self.log.push(format!("At {} s the breaker is {state}; {} threads in use.", plain(v), bk.peak));
                }
                format!("{label}: {} {unit}", plain(v))
            }
        };
        self.simulate();
        let line = format!("{what}: {}", self.summary());
        self.log.push(line);
    }

    fn view(&self) -> String {
        let mut m = Markup::new();
        m.open("div", &[("class", "w-breaker")]);
        self.controls(&mut m);
        self.state_machine(&mut m);
        self.timeline(&mut m);
        self.metrics(&mut m);
        self.log.view(&mut m, "Nothing yet: turn the breaker off and on, or change the slowdown, and compare.");
        m.open("p", &[("class", "w-note")]).text("Pattern: Michael Nygard, Release It! (2007); ");
        m.el("a", &[("href", "https://martinfowler.com/bliki/CircuitBreaker.html")], "Martin Fowler, CircuitBreaker (2014)");
        m.text(". States and count-based window as in ");
        m.el("a", &[("href", "https://resilience4j.readme.io/docs/circuitbreaker")], "Resilience4j's CircuitBreaker");
        m.text(" (its defaults: opens at 50% failures over the last 100 calls, 10 calls in half-open, 60 s open); the defaults here are smaller so a run fits in a minute. Model: arrivals at a fixed mean rate, each gap 0.5 to 1.5 times the mean; latency uniform from 0.5 to 1.5 times the mean, other requests hold a thread for ");
        m.textf(format_args!("{} ms; a call failed at once counts 0 ms of latency.", number(OTHER_MS, 0)));
        m.close("p");
        m.close("div");
        m.finish()
    }
}

fn state_name(s: State) -> &'static str {
    match s {
        State::Closed => "closed",
        State::Open => "open",
        State::HalfOpen => "half-open",
    }
}

// Timeline geometry, in viewBox units (440 wide).
const X0: f64 = 40.0;
const X1: f64 = 432.0;
const BAR_TOP: f64 = 20.0;
const BAR_H: f64 = 100.0;
const BUSY_TOP: f64 = 142.0;
const BUSY_H: f64 = 56.0;
const BAND_TOP: f64 = 214.0;

impl Breaker {
    fn number_input(&self, m: &mut Markup, i: usize) {
        let (key, label, unit, lo, hi, _, whole) = SPECS[i];
        let hi = if key == "slow_at" { self.get("duration") } else { hi };
        m.open("label", &[]).text(label).text(" ");
        m.void("input", &[("type", "number"), ("data-ev", key), ("value", &plain(self.values[i])), ("min", &plain(lo)), ("max", &plain(hi)), ("step", if whole { "1" } else { "any" }), ("inputmode", "decimal")]);
        m.el("span", &[("class", "w-unit")], unit).close("label");
    }

    fn controls(&self, m: &mut Markup) {
        m.open("div", &[("class", "w-controls")]);
        m.open("label", &[]).text("Circuit breaker ");
        m.open("select", &[("data-ev", "breaker")]);
        for v in ["on", "off"] {
            if (v == "on") == self.on {
                m.el("option", &[("value", v), ("selected", "")], v);
            } else {
                m.el("option", &[("value", v)], v);
            }
        }
        m.close("select").close("label");
        self.number_input(m, 13);
        m.open("label", &[]).text("Seed ");
        m.void("input", &[("type", "number"), ("data-ev", "seed"), ("value", &self.seed.to_string()), ("min", "0"), ("step", "1"), ("inputmode", "numeric")]);
        m.close("label");
        m.el("button", &[("type", "button"), ("data-ev", "reseed")], "New seed");
        m.close("div");
        for (title, range) in GROUPS {
            m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", title)]);
            m.el("strong", &[], title);
            for i in range {
                self.number_input(m, i);
            }
            m.close("div");
        }
    }

    /// Closed, open and half-open, each arrow labelled with its rule and how often it was taken.
    fn state_machine(&self, m: &mut Markup) {
        let r = &self.on_run;
        let at = self.get("at");
        let now = r.state_at(at);
        let (th, win, probes) = (plain(self.get("threshold_pct")), plain(self.get("window")), plain(self.get("probes")));
        let label = if self.on {
            format!("Breaker state machine; at {} s the breaker is {}", plain(at), state_name(now))
        } else {
            "Breaker state machine; the breaker is off, so no state applies".to_string()
        };
        m.open("svg", &[("viewBox", "0 0 440 164"), ("class", "w-diagram"), ("role", "img"), ("aria-label", &label)]);
        m.el("title", &[], &label);
        let nodes = [(State::Closed, 10.0, 36.0, "Closed"), (State::Open, 320.0, 36.0, "Open"), (State::HalfOpen, 165.0, 118.0, "Half-open")];
        for (state, x, y, name) in nodes {
            m.void("rect", &[("x", &coord(x)), ("y", &coord(y)), ("width", "110"), ("height", "40"), ("rx", "8"), ("class", "w-node")]);
            let current = self.on && state == now;
            if current {
                m.void("rect", &[("x", &coord(x)), ("y", &coord(y)), ("width", "110"), ("height", "40"), ("rx", "8"), ("class", "w-bar")]);
            }
            m.el("text", &[("x", &coord(x + 55.0)), ("y", &coord(y + 17.0)), ("text-anchor", "middle"), ("class", "w-label")], &if current { format!("{name} (now)") } else { name.to_string() });
            let sub = match state {
                State::Closed => "calls pass",
                State::Open => "calls fail fast",
                State::HalfOpen => "probes pass",
            };
            m.el("text", &[("x", &coord(x + 55.0)), ("y", &coord(y + 32.0)), ("text-anchor", "middle"), ("class", "w-small")], sub);
        }
        let times = |n: u32| if self.on { format!("({n}×)") } else { String::new() };
        // closed → open, open → half-open, half-open → closed, half-open → open.
        arrow(m, (120.0, 56.0), (320.0, 56.0), (220.0, 48.0), "middle", &[&format!("≥ {th}% of last {win} calls failed {}", times(r.arrows[0]))]);
        arrow(m, (335.0, 76.0), (262.0, 118.0), (292.0, 92.0), "end", &[&format!("after {} s {}", plain(self.get("open_s")), times(r.arrows[1]))]);
        arrow(m, (165.0, 138.0), (70.0, 76.0), (8.0, 128.0), "start", &[&format!("{probes} probes, < {th}% failed"), &times(r.arrows[2])]);
        arrow(m, (275.0, 138.0), (385.0, 76.0), (334.0, 128.0), "start", &[&format!("≥ {th}% failed"), &times(r.arrows[3])]);
        m.el("text", &[("x", "220"), ("y", "14"), ("text-anchor", "middle"), ("class", "w-small")], if self.on { "(n×): times the change happened in this run" } else { "Breaker off: every call goes to the dependency" });
        m.close("svg");

        // The time cursor.
        let d = self.get("duration");
        m.open("div", &[("class", "w-controls")]);
        m.open("label", &[]).text("Time shown ");
        m.void("input", &[("type", "range"), ("data-ev", "at"), ("value", &plain(at)), ("min", "0"), ("max", &plain(d)), ("step", &plain(d / BUCKETS as f64)), ("aria-valuetext", &format!("{} seconds", plain(at)))]);
        m.el("output", &[], &format!("{} s", plain(at))).close("label");
        m.close("div");
        let run = self.shown();
        let bk = &run.buckets[((at / d * BUCKETS as f64) as usize).min(BUCKETS - 1)];
        let per_s = |o: Outcome| short(f64::from(bk.counts[o as usize]) * BUCKETS as f64 / d, 1);
        m.open("p", &[("aria-live", "polite")]);
        if self.on {
            m.textf(format_args!("At {} s the breaker is ", plain(at))).el("strong", &[], state_name(now)).text(". ");
        }
        m.textf(format_args!(
            "{} of {} threads in use; calls per second: {} ok, {} failed, {} timed out, {} rejected fast, {} pool full.",
            bk.peak,
            plain(self.get("pool")),
            per_s(Outcome::Ok),
            per_s(Outcome::Failed),
            per_s(Outcome::TimedOut),
            per_s(Outcome::Rejected),
            per_s(Outcome::PoolFull)
        ));
        m.close("p");
    }

    fn timeline(&self, m: &mut Markup) {
        let r = self.shown();
        let d = self.get("duration");
        let width = d / BUCKETS as f64;
        let x = |t: f64| X0 + (X1 - X0) * t / d;
        let col = (X1 - X0) / BUCKETS as f64;
        let most = r.buckets.iter().map(|b| b.counts.iter().sum::<u32>()).max().unwrap_or(0);
        let top = nice_ceiling(f64::from(most) / width);
        let label = format!(
            "Timeline with the breaker {}: calls per second stacked by outcome, threads in use against the pool, and the breaker's state; the tables give the numbers",
            if self.on { "on" } else { "off" }
        );
        m.open("svg", &[("viewBox", "0 0 440 262"), ("class", "w-diagram"), ("role", "img"), ("aria-label", &label)]);
        m.el("title", &[], &label);
        // The slowdown, behind everything.
        let (s0, s1) = (self.get("slow_at").min(d), (self.get("slow_at") + self.get("slow_for")).min(d));
        if s1 > s0 {
            m.open("g", &[("class", "w-c9")]);
            m.void("rect", &[("x", &coord(x(s0))), ("y", &coord(BAR_TOP)), ("width", &coord(x(s1) - x(s0))), ("height", &coord(BAND_TOP + 12.0 - BAR_TOP)), ("fill-opacity", "0.15"), ("stroke", "none")]);
            m.close("g");
        }
        // Calls per second by outcome.
        m.el("text", &[("x", "2"), ("y", "12"), ("class", "w-small")], "Calls sent per second, by outcome");
        for (frac, y) in [(0.0, BAR_TOP + BAR_H), (0.5, BAR_TOP + BAR_H / 2.0), (1.0, BAR_TOP)] {
            m.void("line", &[("x1", &coord(X0)), ("y1", &coord(y)), ("x2", &coord(X1)), ("y2", &coord(y)), ("class", "w-grid")]);
            m.el("text", &[("x", &coord(X0 - 4.0)), ("y", &coord(y + 4.0)), ("text-anchor", "end"), ("class", "w-small")], &short(top * frac, 1));
        }
        for (o, class) in CLASSES.iter().enumerate() {
            m.open("g", &[("class", class)]);
            for (i, b) in r.buckets.iter().enumerate() {
                let below: u32 = b.counts[..o].iter().sum();
                let n = b.counts[o];
                if n == 0 || top <= 0.0 {
                    continue;
                }
                let h = BAR_H * f64::from(n) / width / top;
                let y = BAR_TOP + BAR_H - BAR_H * f64::from(below) / width / top - h;
                m.void("rect", &[("x", &coord(X0 + col * i as f64 + 0.5)), ("y", &coord(y)), ("width", &coord(col - 1.0)), ("height", &coord(h)), ("stroke", "none")]);
            }
            m.close("g");
        }
        // Threads in use against the pool.
        let pool = self.get("pool");
        m.el("text", &[("x", "2"), ("y", &coord(BUSY_TOP - 6.0)), ("class", "w-small")], &format!("Threads in use (most per column; pool {})", plain(pool)));
        for (v, y) in [(0.0, BUSY_TOP + BUSY_H), (pool, BUSY_TOP)] {
            m.void("line", &[("x1", &coord(X0)), ("y1", &coord(y)), ("x2", &coord(X1)), ("y2", &coord(y)), ("class", "w-grid")]);
            m.el("text", &[("x", &coord(X0 - 4.0)), ("y", &coord(y + 4.0)), ("text-anchor", "end"), ("class", "w-small")], &plain(v));
        }
        let mut pts = String::new();
        for (i, b) in r.buckets.iter().enumerate() {
            let y = coord(BUSY_TOP + BUSY_H - BUSY_H * f64::from(b.peak) / pool);
            pts.push_str(&format!("{},{y} {},{y} ", coord(X0 + col * i as f64), coord(X0 + col * (i + 1) as f64)));
        }
        m.open("g", &[("class", "w-c0")]);
        m.void("polyline", &[("points", pts.trim_end()), ("fill", "none"), ("stroke-width", "2")]);
        m.close("g");
        // The breaker's state.
        m.el("text", &[("x", "2"), ("y", &coord(BAND_TOP - 4.0)), ("class", "w-small")], if self.on { "Breaker: closed (green), open (red), half-open (orange)" } else { "Breaker off" });
        if self.on {
            for (k, (t, s)) in r.transitions.iter().enumerate() {
                let end = r.transitions.get(k + 1).map_or(d, |n| n.0).min(d);
                if *t >= d {
                    break;
                }
                let class = match s {
                    State::Closed => "w-c2",
                    State::Open => "w-c1",
                    State::HalfOpen => "w-c4",
                };
                m.open("g", &[("class", class)]);
                m.void("rect", &[("x", &coord(x(*t))), ("y", &coord(BAND_TOP)), ("width", &coord((x(end) - x(*t)).max(0.8))), ("height", "12"), ("stroke", "none")]);
                m.close("g");
            }
        }
        // Time axis and the cursor.
        let step = if d > 60.0 { 20.0 } else if d > 30.0 { 10.0 } else { 5.0 };
        let mut t = 0.0;
        while t <= d + 1e-9 {
            m.el("text", &[("x", &coord(x(t))), ("y", "242"), ("text-anchor", "middle"), ("class", "w-small")], &plain(t));
            t += step;
        }
        m.el("text", &[("x", &coord((X0 + X1) / 2.0)), ("y", "258"), ("text-anchor", "middle"), ("class", "w-small")], "Time, seconds (grey band: dependency slow)");
        let cx = coord(x(self.get("at")));
        m.void("line", &[("x1", &cx), ("y1", &coord(BAR_TOP)), ("x2", &cx), ("y2", &coord(BAND_TOP + 12.0)), ("stroke", "currentColor"), ("stroke-dasharray", "3 2")]);
        m.close("svg");

        m.open("p", &[("class", "w-note")]).text("Outcomes: ");
        for (name, class) in NAMES.iter().zip(CLASSES) {
            m.open("span", &[("class", class)]).el("span", &[("class", "w-swatch")], "").close("span");
            m.textf(format_args!(" {name} "));
        }
        m.text("· dashed line: the time shown.").close("p");
    }

    fn metrics(&self, m: &mut Markup) {
        let (off, on) = (&self.off_run, &self.on_run);
        let runs = [off, on];
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], &format!("The same run with the breaker off and on (the chart shows {})", if self.on { "on" } else { "off" }));
        m.open("thead", &[]).open("tr", &[]);
        for h in ["", "Breaker off", "Breaker on"] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        let row = |m: &mut Markup, name: &str, cell: &dyn Fn(&Run) -> String| {
            m.open("tr", &[]).el("th", &[("scope", "row")], name);
            for r in runs {
                m.el("td", &[], &cell(r));
            }
            m.close("tr");
        };
        row(m, "Dependency calls that succeeded", &|r| format!("{} ({} of {})", pct(r.success()), number(f64::from(r.counts[0]), 0), number(f64::from(r.sent), 0)));
        for o in [Outcome::Failed, Outcome::TimedOut, Outcome::Rejected, Outcome::PoolFull] {
            let name = NAMES[o as usize];
            let mut cap = name.to_string();
            cap[..1].make_ascii_uppercase();
            row(m, &cap, &|r| number(f64::from(r.counts[o as usize]), 0));
        }
        row(m, "Latency the caller saw: mean, p99", &|r| format!("{}, {}", ms(r.mean_ms), ms(r.p99_ms)));
        row(m, "Other requests served: whole run, during the slowdown", &|r| format!("{}, {}", pct(ratio(r.other_ok, r.other_sent)), pct(ratio(r.other_slow_ok, r.other_slow_sent))));
        row(m, "Threads in use: most, mean", &|r| format!("{} of {}, {}", r.peak, plain(self.get("pool")), short(r.mean_busy, 1)));
        row(m, "Time with the pool full", &|r| format!("{} s", short(r.full_s, 1)));
        row(m, "Calls that reached the slow dependency", &|r| number(f64::from(r.slow_reached), 0));
        m.close("tbody").close("table");

        let (rps, other, pool) = (self.get("rps"), self.get("other_rps"), self.get("pool"));
        let (lat, slow, timeout) = (self.get("latency_ms"), self.get("slow_ms"), self.get("timeout_ms"));
        let held = slow.min(timeout) / 1000.0;
        let local = other * OTHER_MS / 1000.0;
        let need = rps * held + local;
        m.open("div", &[("class", "w-result")]);
        m.open("p", &[]).text("Threads needed while the dependency is slow: ").el("strong", &[], &short(need, 1));
        m.textf(format_args!(" for a pool of {}: {}", plain(pool), if need > pool { "it fills, and every request after that fails until threads come back." } else { "it fits." }));
        m.close("p");
        m.el("p", &[("class", "w-formula")], &format!("Little's law, busy = rate × hold time: {} /s × min({}, {}) ms + {} /s × {} ms = {}", plain(rps), plain(slow), plain(timeout), plain(other), plain(OTHER_MS), short(need, 2)));
        m.el("p", &[("class", "w-formula")], &format!("Normally: {} /s × {} ms + {} = {} threads", plain(rps), plain(lat.min(timeout)), short(local, 2), short(rps * lat.min(timeout) / 1000.0 + local, 2)));
        if on.arrows[0] == 0 && off.full_s > 0.0 {
            m.el("p", &[("class", "w-note")], &format!(
                "The breaker never opened: it counts failures and timeouts, and with a {} ms timeout the slow calls (about {} ms) succeed, slowly, while they hold threads. A timeout shorter than the slowdown, or a breaker that also counts slow calls (Resilience4j can), would trip it.",
                plain(timeout), plain(slow)
            ));
        }
        let r = self.shown();
        m.el("p", &[("class", "w-formula")], &format!("success = ok ÷ sent = {} ÷ {} = {}; p99 = the {}th of {} latencies sorted (to the ms above)", r.counts[0], r.sent, pct(r.success()), run::p99_rank(r.sent as usize), r.sent));
        m.el("p", &[("class", "w-formula")], &format!("opens when failures ÷ {} calls ≥ {}%: at least {} failed or timed out", plain(self.get("window")), plain(self.get("threshold_pct")), short((self.get("threshold_pct") * self.get("window") / 100.0).ceil(), 0)));
        m.close("div");
    }
}

/// An arrow from `from` to `to` with a chevron head, and its label lines from `at` down.
fn arrow(m: &mut Markup, from: (f64, f64), to: (f64, f64), at: (f64, f64), anchor: &str, lines: &[&str]) {
    let ((x1, y1), (x2, y2)) = (from, to);
    m.void("line", &[("x1", &coord(x1)), ("y1", &coord(y1)), ("x2", &coord(x2)), ("y2", &coord(y2)), ("class", "w-edge")]);
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    for side in [-1.0, 1.0] {
        let (hx, hy) = (x2 - 9.0 * ux + 5.0 * side * uy, y2 - 9.0 * uy - 5.0 * side * ux);
        m.void("line", &[("x1", &coord(x2)), ("y1", &coord(y2)), ("x2", &coord(hx)), ("y2", &coord(hy)), ("class", "w-edge")]);
    }
    for (i, line) in lines.iter().enumerate() {
        m.el("text", &[("x", &coord(at.0)), ("y", &coord(at.1 + 13.0 * i as f64)), ("text-anchor", anchor), ("class", "w-small")], line);
    }
}

/// A round axis maximum at least `x`: 1, 2, 5 times a power of ten.
fn nice_ceiling(x: f64) -> f64 {
    let mut p = 1.0;
    while p * 10.0 < x {
        p *= 10.0;
    }
    [1.0, 2.0, 5.0, 10.0].iter().map(|k| k * p).find(|v| *v >= x).unwrap_or(10.0 * p)
}

widget_core::export_widget!(crate::Breaker);

#[cfg(test)]
mod tests;
