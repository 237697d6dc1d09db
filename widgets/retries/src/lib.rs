//! Retry storms. `N` clients each need one request to succeed; they send it at random times in
//! the first `spread` seconds (clients that start together, as after a deploy, a cron job on the
//! hour or a dropped connection). The server is down from `t1` to `t2` (every attempt fails) and
//! otherwise serves `C` attempts per second: it holds at most `C × 0.1 s` at once (a token
//! bucket refilled at `C` per second), and an attempt that finds no room fails at once.
//! An attempt's answer comes back after `rtt`; a failed client then sleeps and retries, up to
//! `R` retries. Every run is a discrete-event simulation ([`widget_core::sim`]) with a seed.
//!
//! Sleep before retry `n` (n = 0 for the first retry), as in Marc Brooker's AWS Architecture
//! Blog post "Exponential Backoff And Jitter" (2015) and the course page:
//! - ceiling `c(n) = min(cap, base × 2^n)`;
//! - no backoff: 0 (retry as soon as the failure comes back);
//! - exponential: `c(n)`;
//! - full jitter: `random(0, c(n))`;
//! - equal jitter: `c(n)/2 + random(0, c(n)/2)`;
//! - decorrelated jitter: `min(cap, random(base, 3 × previous sleep))`, the previous sleep
//!   starting at `base`.
//!
//! Retry budget `b` % (0 = none): a client may retry only while the retries sent so far by all
//! clients are fewer than `b % ×` the first attempts sent so far.
//!
//! Reported per policy: total attempts (and attempts ÷ clients), clients that gave up, the
//! time the last client finished (success or giving up), and the peak load after recovery: the
//! most attempts in any 100 ms `[s, s + 0.1 s)` with `s ≥ t2`, as a rate (× 10 per second)
//! against the capacity `C`.

use widget_core::format::{self, coord, number, short};
use widget_core::{Log, Markup, ParamError, Params, Widget};

mod model;
pub use model::*;

pub struct Retries {
    pub config: Config,
    pub runs: Vec<Outcome>,
    log: Log,
}

fn simulate_all(c: &Config) -> Vec<Outcome> {
    (0..POLICIES.len()).map(|p| simulate(c, p)).collect()
}

/// Whole-number inputs: event and parameter name, label, min, max.
const WHOLE: [(&str, &str, u32, u32); 8] = [
    ("retries", "Max retries R", 0, 10),
    ("base", "Base (ms)", 1, 10_000),
    ("cap", "Cap (ms)", 1, 60_000),
    ("budget", "Retry budget (% of requests, 0 = none)", 0, 100),
    ("clients", "Clients N", 10, 1000),
    ("capacity", "Server capacity C (requests/s)", 1, 10_000),
    ("rtt", "Round trip (ms)", 1, 2000),
    ("seed", "Seed", 0, 999_999),
];
/// Seconds inputs: event and parameter name, label, max.
const SECONDS: [(&str, &str, f64); 3] = [("spread", "Clients start within (s)", 60.0), ("down_from", "Outage from t1 (s)", 120.0), ("down_until", "Outage until t2 (s)", 300.0)];

/// Seconds rounded to whole milliseconds, so a shared link restores them exactly.
fn ms_round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn policy_index(v: &str) -> Option<usize> {
    POLICIES.iter().position(|p| p.0 == v)
}

fn check(c: &Config) -> Result<(), ParamError> {
    if c.cap_ms < c.base_ms {
        return Err(ParamError::new("cap", format!("must be at least base ({} ms)", c.base_ms)));
    }
    if c.down_until <= c.down_from {
        return Err(ParamError::new("down_until", format!("must be after down_from ({} s)", short(c.down_from, 3))));
    }
    Ok(())
}

fn option(m: &mut Markup, value: &str, label: &str, selected: bool) {
    if selected {
        m.el("option", &[("value", value), ("selected", "")], label);
    } else {
        m.el("option", &[("value", value)], label);
    }
}

/// The whole-number field of `c` that event `key` sets.
fn whole<'a>(c: &'a mut Config, key: &str) -> Option<&'a mut u32> {
    Some(match key {
        "retries" => &mut c.retries,
        "base" => &mut c.base_ms,
        "cap" => &mut c.cap_ms,
        "budget" => &mut c.budget,
        "clients" => &mut c.clients,
        "capacity" => &mut c.capacity,
        "rtt" => &mut c.rtt_ms,
        "seed" => &mut c.seed,
        _ => return None,
    })
}

/// The seconds field of `c` that event `key` sets.
fn seconds<'a>(c: &'a mut Config, key: &str) -> Option<&'a mut f64> {
    Some(match key {
        "spread" => &mut c.spread,
        "down_from" => &mut c.down_from,
        "down_until" => &mut c.down_until,
        _ => return None,
    })
}

impl Retries {
    fn rerun(&mut self, what: String) {
        self.runs = simulate_all(&self.config);
        let p = self.config.policy;
        let o = &self.runs[p];
        self.log.push(format!(
            "{what} {}: {} attempts, {} gave up, finished at {} s, peak after recovery {} in 100 ms.",
            POLICIES[p].1,
            number(o.attempts.len() as f64, 0),
            o.gave_up,
            number(o.finished, 1),
            o.peak_after
        ));
    }

    /// Apply a change to a copy, and keep it only if the configuration stays valid.
    fn try_change(&mut self, label: &str, shown: String, change: impl FnOnce(&mut Config)) {
        let mut next = self.config;
        change(&mut next);
        if next == self.config {
            return;
        }
        match check(&next) {
            Ok(()) => {
                self.config = next;
                self.rerun(format!("{label}: {shown}."));
            }
            Err(e) => self.log.push(format!("Ignored {label} {shown}: {} {}.", e.key.unwrap_or_default(), e.message)),
        }
    }
}

impl Widget for Retries {
    const NAME: &'static str = "retries";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        p.only(&["policy", "compare", "retries", "base", "cap", "budget", "clients", "spread", "down_from", "down_until", "capacity", "rtt", "seed"])?;
        let names: Vec<&str> = POLICIES.iter().map(|p| p.0).collect();
        let policy = policy_index(p.choice("policy", "exponential", &names)?).unwrap_or(0);
        let mut with_none = names.clone();
        with_none.push("off");
        let compare = policy_index(p.choice("compare", "full", &with_none)?);
        let config = Config {
            clients: p.u32_in("clients", 1000, 10, 1000)?,
            spread: ms_round(p.f64_in("spread", 0.2, 0.0, 60.0)?),
            down_from: ms_round(p.f64_in("down_from", 0.0, 0.0, 120.0)?),
            down_until: ms_round(p.f64_in("down_until", 2.0, 0.001, 300.0)?),
            capacity: p.u32_in("capacity", 200, 1, 10_000)?,
            policy,
            compare,
            retries: p.u32_in("retries", 8, 0, 10)?,
            base_ms: p.u32_in("base", 100, 1, 10_000)?,
            cap_ms: p.u32_in("cap", 2000, 1, 60_000)?,
            budget: p.u32_in("budget", 0, 0, 100)?,
            rtt_ms: p.u32_in("rtt", 10, 1, 2000)?,
            seed: p.u32_in("seed", 1, 0, 999_999)?,
        };
        check(&config)?;
        Ok(Retries { config, runs: simulate_all(&config), log: Log::default() })
    }

    fn to_params(&self) -> Params {
        let c = &self.config;
        let mut p = Params::new();
        p.set("policy", POLICIES[c.policy].0)
            .set("compare", c.compare.map_or("off", |i| POLICIES[i].0))
            .set("retries", c.retries)
            .set("base", c.base_ms)
            .set("cap", c.cap_ms)
            .set("budget", c.budget)
            .set("clients", c.clients)
            .set("spread", short(c.spread, 3).replace(',', ""))
            .set("down_from", short(c.down_from, 3).replace(',', ""))
            .set("down_until", short(c.down_until, 3).replace(',', ""))
            .set("capacity", c.capacity)
            .set("rtt", c.rtt_ms)
            .set("seed", c.seed);
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let value = value.trim();
        let shown: String = value.chars().take(12).collect();
        match event {
            "policy" => {
                if let Some(i) = policy_index(value) {
                    self.try_change("Policy", POLICIES[i].1.to_string(), |c| c.policy = i);
                }
            }
            "compare" => {
                let pick = if value == "off" { Some(None) } else { policy_index(value).map(Some) };
                if let Some(v) = pick {
                    self.try_change("Compare with", v.map_or("nothing", |i| POLICIES[i].1).to_string(), |c| c.compare = v);
                }
            }
            "reseed" => {
                let seed = ((u64::from(self.config.seed) * 48_271 + 11) % 999_983) as u32;
                self.try_change("New seed", seed.to_string(), |c| c.seed = seed);
            }
            _ => {
                if let Some(&(key, label, lo, hi)) = WHOLE.iter().find(|f| f.0 == event) {
                    match value.parse::<u32>().ok().filter(|v| (lo..=hi).contains(v)) {
                        Some(v) => self.try_change(label, v.to_string(), |c| {
                            if let Some(slot) = whole(c, key) {
                                *slot = v;
                            }
                        }),
                        None => self.log.push(format!("Ignored “{shown}” for {label}: use a whole number from {lo} to {hi}.")),
                    }
                } else if let Some(&(key, label, hi)) = SECONDS.iter().find(|f| f.0 == event) {
                    match format::parse(value).filter(|v| (0.0..=hi).contains(v)) {
                        Some(v) => {
                            let v = ms_round(v);
                            self.try_change(label, format!("{} s", short(v, 3)), |c| {
                                if let Some(slot) = seconds(c, key) {
                                    *slot = v;
                                }
                            });
                        }
                        None => self.log.push(format!("Ignored “{shown}” for {label}: use seconds from 0 to {}.", short(hi, 0))),
                    }
                }
            }
        }
    }

    fn view(&self) -> String {
        let c = &self.config;
        let mut m = Markup::new();
        m.open("div", &[("class", "w-retries")]);

        m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", "Retry policy")]);
        m.open("label", &[]).text("Policy ");
        m.open("select", &[("data-ev", "policy")]);
        for (i, (v, label)) in POLICIES.iter().enumerate() {
            option(&mut m, v, label, i == c.policy);
        }
        m.close("select").close("label");
        m.open("label", &[]).text("Compare with ");
        m.open("select", &[("data-ev", "compare")]);
        option(&mut m, "off", "nothing", c.compare.is_none());
        for (i, (v, label)) in POLICIES.iter().enumerate() {
            option(&mut m, v, label, c.compare == Some(i));
        }
        m.close("select").close("label");
        let values = [c.retries, c.base_ms, c.cap_ms, c.budget, c.clients, c.capacity, c.rtt_ms, c.seed];
        let number_input = |m: &mut Markup, key: &'static str, label: &str, value: String, lo: String, hi: String, step: &str| {
            m.open("label", &[]).text(label).text(" ");
            m.void("input", &[("type", "number"), ("data-ev", key), ("value", &value), ("min", &lo), ("max", &hi), ("step", step), ("inputmode", "decimal")]);
            m.close("label");
        };
        for (i, (key, label, lo, hi)) in WHOLE[..4].iter().enumerate() {
            number_input(&mut m, key, label, values[i].to_string(), lo.to_string(), hi.to_string(), "1");
        }
        m.close("div");
        m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", "Clients and server")]);
        for (i, (key, label, lo, hi)) in WHOLE[4..7].iter().enumerate() {
            number_input(&mut m, key, label, values[4 + i].to_string(), lo.to_string(), hi.to_string(), "1");
        }
        for (key, label, hi) in SECONDS {
            let v = match key {
                "spread" => c.spread,
                "down_from" => c.down_from,
                _ => c.down_until,
            };
            number_input(&mut m, key, label, short(v, 3).replace(',', ""), "0".into(), short(hi, 0), "any");
        }
        let (key, label, lo, hi) = WHOLE[7];
        number_input(&mut m, key, label, c.seed.to_string(), lo.to_string(), hi.to_string(), "1");
        m.el("button", &[("type", "button"), ("data-ev", "reseed")], "New seed");
        m.close("div");

        m.el(
            "p",
            &[("class", "w-note")],
            &format!(
                "{} clients each need one request. They send it within the first {} s; the server is down from {} s to {} s and otherwise serves {} requests/s. Each client retries at most {} time{}.",
                number(f64::from(c.clients), 0),
                short(c.spread, 3),
                short(c.down_from, 3),
                short(c.down_until, 3),
                number(f64::from(c.capacity), 0),
                c.retries,
                if c.retries == 1 { "" } else { "s" }
            ),
        );
        self.chart(&mut m);
        self.table(&mut m);
        self.results(&mut m);
        self.log.view(&mut m, "Nothing yet: change the policy, the outage or the budget to see the load change.");
        m.el(
            "p",
            &[("class", "w-source")],
            "Backoff and jitter formulas: Marc Brooker, “Exponential Backoff And Jitter”, AWS Architecture Blog, 2015, and its simulator (aws-samples/aws-arch-backoff-simulator, which assumes a 10 ms network delay). Retry budget of 10% of requests: Google, Site Reliability Engineering, chapter 21, 2016. Model assumptions: the server holds at most 0.1 s of work, failures come back after one round trip, every failure is retryable.",
        );
        m.close("div");
        m.finish()
    }
}

impl Retries {
    fn horizon(&self) -> (f64, f64) {
        let c = &self.config;
        let mut end = self.runs[c.policy].finished.max(c.down_until);
        if let Some(k) = c.compare {
            end = end.max(self.runs[k].finished);
        }
        let bucket = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0].into_iter().find(|b| end / b <= 60.0).unwrap_or(10.0);
        (bucket, ((end / bucket).floor() + 1.0) * bucket)
    }

    fn chart(&self, m: &mut Markup) {
        let c = &self.config;
        let (bucket, end) = self.horizon();
        let nb = (end / bucket).round() as usize;
        let counts = |o: &Outcome| {
            let mut v = vec![(0u32, 0u32); nb];
            for (t, ok) in &o.attempts {
                let b = ((t / bucket) as usize).min(nb - 1);
                if *ok { v[b].0 += 1 } else { v[b].1 += 1 }
            }
            v
        };
        let main = counts(&self.runs[c.policy]);
        let other = c.compare.map(|k| counts(&self.runs[k]));
        let cap_line = f64::from(c.capacity) * bucket;
        let height = |v: &[(u32, u32)], from: usize| v[from.min(nb)..].iter().map(|(a, b)| a + b).max().unwrap_or(0);
        let series: Vec<&Vec<(u32, u32)>> = std::iter::once(&main).chain(other.as_ref()).collect();
        let tallest = f64::from(series.iter().map(|v| height(v, 0)).max().unwrap_or(0));
        // The first bar that starts at or after recovery.
        let recovered = ((c.down_until - 1e-9) / bucket).ceil().max(0.0) as usize;
        let after = f64::from(series.iter().map(|v| height(v, recovered)).max().unwrap_or(0));
        // Scale to what happens after recovery; cut the outage's bars when they would squash it.
        let mut top = nice(after.max(cap_line * 2.0));
        if after == 0.0 || tallest <= top * 1.5 {
            top = nice(tallest.max(cap_line * 1.2));
        }
        let cut = tallest > top;

        let (x0, y0, pw, ph) = (52.0, 38.0, 318.0, 170.0);
        let base = y0 + ph;
        let xs = |t: f64| x0 + pw * t / end;
        let ys = |n: f64| base - ph * n.min(top) / top;
        let label = format!(
            "Attempts reaching the server per {} s under {}: served and failed, with the outage from {} s to {} s shaded and the capacity of {} per bar dashed{}.{} The table below compares all policies.",
            short(bucket, 2),
            POLICIES[c.policy].1,
            short(c.down_from, 3),
            short(c.down_until, 3),
            short(cap_line, 1),
            c.compare.map_or(String::new(), |k| format!("; a line shows {} for comparison", POLICIES[k].1)),
            if cut { format!(" Bars taller than {} are cut at the top.", number(top, 0)) } else { String::new() }
        );
        m.open("svg", &[("viewBox", "0 0 380 244"), ("class", "w-diagram"), ("role", "img"), ("aria-label", &label)]);
        m.el("title", &[], "Load on the server over time");
        // Legend.
        let mut x = x0;
        for (class, text) in [("w-c0", "served"), ("w-c4", "failed"), ("w-c1", "outage")] {
            let op = if class == "w-c1" { "0.15" } else { "1" };
            m.void("rect", &[("x", &coord(x)), ("y", "4"), ("width", "10"), ("height", "10"), ("class", class), ("fill-opacity", op)]);
            m.el("text", &[("x", &coord(x + 13.0)), ("y", "13"), ("class", "w-small")], text);
            x += 60.0;
        }
        m.void("line", &[("x1", &coord(x)), ("y1", "9"), ("x2", &coord(x + 16.0)), ("y2", "9"), ("class", "w-c3"), ("stroke-dasharray", "4 3"), ("stroke-width", "2")]);
        m.el("text", &[("x", &coord(x + 19.0)), ("y", "13"), ("class", "w-small")], "capacity");
        if let Some(k) = c.compare {
            m.void("line", &[("x1", &coord(x0)), ("y1", "24"), ("x2", &coord(x0 + 16.0)), ("y2", "24"), ("class", "w-c9"), ("stroke-width", "2")]);
            m.el("text", &[("x", &coord(x0 + 19.0)), ("y", "28"), ("class", "w-small")], &format!("{}: all attempts, for comparison", POLICIES[k].1));
        }
        // Outage, axes and grid.
        let (o1, o2) = (xs(c.down_from.min(end)), xs(c.down_until.min(end)));
        m.void("rect", &[("x", &coord(o1)), ("y", &coord(y0)), ("width", &coord(o2 - o1)), ("height", &coord(ph)), ("class", "w-c1"), ("fill-opacity", "0.15"), ("stroke-opacity", "0")]);
        for f in [0.0, 0.5, 1.0] {
            let y = coord(ys(top * f));
            m.void("line", &[("x1", &coord(x0)), ("y1", &y), ("x2", &coord(x0 + pw)), ("y2", &y), ("class", if f == 0.0 { "w-edge" } else { "w-grid" })]);
            m.el("text", &[("x", &coord(x0 - 4.0)), ("y", &coord(ys(top * f) + 4.0)), ("text-anchor", "end"), ("class", "w-small")], &number(top * f, 0));
        }
        let step = nice(end / 6.0);
        let mut t = 0.0;
        while t <= end + 1e-9 {
            m.el("text", &[("x", &coord(xs(t))), ("y", &coord(base + 14.0)), ("text-anchor", "middle"), ("class", "w-small")], &format!("{} s", short(t, 2)));
            t += step;
        }
        m.el("text", &[("x", &coord(x0 + pw / 2.0)), ("y", &coord(base + 30.0)), ("text-anchor", "middle"), ("class", "w-small")], "time since the clients started");
        m.el("text", &[("x", "10"), ("y", &coord(y0 + ph / 2.0)), ("text-anchor", "middle"), ("class", "w-small"), ("transform", &format!("rotate(-90 10 {})", coord(y0 + ph / 2.0)))], &format!("attempts per {} s", short(bucket, 2)));

        // Bars.
        let bw = pw / nb as f64;
        for (b, (ok, bad)) in main.iter().enumerate() {
            let x = coord(x0 + bw * b as f64 + bw * 0.1);
            let w = coord(bw * 0.8);
            let (y_ok, y_all) = (ys(f64::from(*ok)), ys(f64::from(ok + bad)));
            if *ok > 0 {
                m.void("rect", &[("x", &x), ("y", &coord(y_ok)), ("width", &w), ("height", &coord(base - y_ok)), ("class", "w-c0")]);
            }
            if *bad > 0 {
                m.void("rect", &[("x", &x), ("y", &coord(y_all)), ("width", &w), ("height", &coord(y_ok - y_all)), ("class", "w-c4")]);
            }
        }
        let cy = coord(ys(cap_line));
        m.void("line", &[("x1", &coord(x0)), ("y1", &cy), ("x2", &coord(x0 + pw)), ("y2", &cy), ("class", "w-c3"), ("stroke-dasharray", "4 3"), ("stroke-width", "2")]);
        if let Some(v) = other {
            let points: Vec<String> = v.iter().enumerate().map(|(b, (a, f))| format!("{},{}", coord(x0 + bw * (b as f64 + 0.5)), coord(ys(f64::from(a + f))))).collect();
            m.void("polyline", &[("points", &points.join(" ")), ("class", "w-c9"), ("fill-opacity", "0"), ("stroke-width", "2")]);
        }
        m.close("svg");
        let mut note = format!("Bars count attempts reaching the server per {} s, failed stacked on served; the dashed line is the capacity, C × {} s = {} per bar.", short(bucket, 2), short(bucket, 2), short(cap_line, 1));
        if cut {
            note.push_str(&format!(" Bars taller than {} are cut at the top of the chart; the tallest reaches {}.", number(top, 0), number(tallest, 0)));
        }
        m.el("p", &[("class", "w-note")], &note);
    }

    fn table(&self, m: &mut Markup) {
        let c = &self.config;
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], &format!("All policies on the same {} clients (capacity {} requests/s)", number(f64::from(c.clients), 0), number(f64::from(c.capacity), 0)));
        m.open("thead", &[]).open("tr", &[]);
        for h in ["Policy", "Attempts (per client)", "Gave up", "Finished at", "Peak after recovery, per 100 ms"] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        for (i, o) in self.runs.iter().enumerate() {
            let name = POLICIES[i].1;
            m.open("tr", &[]).open("th", &[("scope", "row")]);
            if i == c.policy {
                m.el("strong", &[], name).text(" (bars)");
            } else if c.compare == Some(i) {
                m.text(name).text(" (line)");
            } else {
                m.text(name);
            }
            m.close("th");
            m.el("td", &[], &format!("{} ({})", number(o.attempts.len() as f64, 0), number(o.attempts.len() as f64 / f64::from(c.clients), 2)));
            m.el("td", &[], &number(f64::from(o.gave_up), 0));
            m.el("td", &[], &format!("{} s", number(o.finished, 1)));
            m.el("td", &[], &format!("{} ({}× C)", number(f64::from(o.peak_after), 0), number(peak_rate(o) / f64::from(c.capacity), 1)));
            m.close("tr");
        }
        m.close("tbody").close("table");
    }

    fn results(&self, m: &mut Markup) {
        let c = &self.config;
        let o = &self.runs[c.policy];
        let total = o.attempts.len() as f64;
        m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
        m.open("p", &[]).el("strong", &[], POLICIES[c.policy].1).textf(format_args!(
            ": {} attempts for {} clients, {} ÷ {} = {} per client; {} gave up; the last client finished at {} s. Peak after recovery: {} attempts in 100 ms, a rate of {} × 10 = {}/s against a capacity of {}/s ({}×).",
            number(total, 0),
            number(f64::from(c.clients), 0),
            number(total, 0),
            number(f64::from(c.clients), 0),
            number(total / f64::from(c.clients), 2),
            number(f64::from(o.gave_up), 0),
            number(o.finished, 1),
            number(f64::from(o.peak_after), 0),
            number(f64::from(o.peak_after), 0),
            number(peak_rate(o), 0),
            number(f64::from(c.capacity), 0),
            number(peak_rate(o) / f64::from(c.capacity), 1)
        ));
        m.close("p");
        let ceilings: Vec<String> = (0..c.retries.max(1)).map(|n| number(ceiling(f64::from(c.base_ms), f64::from(c.cap_ms), n), 0)).collect();
        let mut lines = vec![format!("Ceiling c(n) = min(cap, base × 2ⁿ) = min({}, {} × 2ⁿ) ms for retry n = 0, 1, …: {} ms.", number(f64::from(c.cap_ms), 0), number(f64::from(c.base_ms), 0), ceilings.join(", "))];
        let mut shown = vec![c.policy];
        shown.extend(c.compare.filter(|k| *k != c.policy));
        for p in shown {
            lines.push(format!("{}: sleep = {}.", POLICIES[p].1, match POLICIES[p].0 {
                "none" => "0, the retry leaves as soon as the failure comes back".to_string(),
                "exponential" => "c(n), the same for every client".to_string(),
                "full" => "random(0, c(n))".to_string(),
                "equal" => "c(n)/2 + random(0, c(n)/2)".to_string(),
                _ => format!("min(cap, random(base, 3 × previous sleep)), starting from previous = base = {} ms", c.base_ms),
            }));
        }
        lines.push(format!(
            "Server: serves C = {} per second and holds at most C × 0.1 s = {} at once; during the outage every attempt fails. A failure comes back after one round trip, {} ms.",
            number(f64::from(c.capacity), 0),
            short((f64::from(c.capacity) * HOLD_S).max(1.0), 1),
            c.rtt_ms
        ));
        lines.push(if c.budget == 0 {
            format!("No retry budget: in the worst case every client makes 1 + R = {} attempts.", 1 + c.retries)
        } else {
            format!(
                "Retry budget: a retry is sent only while retries so far < {}% × first attempts so far, at most {} retries for {} clients: about {} attempts per client at worst. One budget is shared by all clients here, since each sends one request; Google's keeps one per client.",
                c.budget,
                number(f64::from(c.budget) / 100.0 * f64::from(c.clients), 0),
                number(f64::from(c.clients), 0),
                short(1.0 + f64::from(c.budget) / 100.0, 2)
            )
        });
        for line in lines {
            m.el("p", &[("class", "w-formula")], &line);
        }
        m.close("div");
    }
}

/// A round number at or above `x` for axis ticks: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k.
pub fn nice(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let mut p = 1e-3;
    while p * 10.0 <= x {
        p *= 10.0;
    }
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0].into_iter().map(|k| k * p).find(|v| *v >= x - 1e-9).unwrap_or(10.0 * p)
}

widget_core::export_widget!(crate::Retries);

#[cfg(test)]
mod tests {
    use super::*;

    fn widget(config: &str) -> Retries {
        Retries::from_params(&Params::parse(config).unwrap()).unwrap()
    }

    #[test]
    fn one_client_without_jitter_by_hand() {
        // One client at t = 0 (spread 0), down 0 to 1 s, rtt 10 ms, base 100, cap 2,000, no
        // jitter. Attempts at 0; 0.01 + 0.1 = 0.11; 0.11 + 0.01 + 0.2 = 0.32; 0.32 + 0.41 = 0.73;
        // 0.73 + 0.81 = 1.54, after the outage: served. Finished at 1.54 + 0.01 = 1.55 s.
        let w = widget("clients: 10\nspread: 0\ndown_until: 1\npolicy: exponential\nretries: 6\ncapacity: 1000");
        let o = &w.runs[1];
        let firsts: Vec<f64> = o.attempts.iter().take(10).map(|a| a.0).collect();
        assert!(firsts.iter().all(|t| *t == 0.0));
        let times: Vec<f64> = o.attempts.iter().step_by(10).map(|a| a.0).collect();
        let expect = [0.0, 0.11, 0.32, 0.73, 1.54];
        assert_eq!(times.len(), expect.len());
        for (t, e) in times.iter().zip(expect) {
            assert!((t - e).abs() < 1e-9, "{times:?}");
        }
        assert_eq!(o.attempts.len(), 50, "10 clients × 5 attempts");
        assert_eq!(o.gave_up, 0);
        assert!((o.finished - 1.55).abs() < 1e-9);
        // Capacity 1,000/s holds 100 at once: all 10 served together.
        assert!(o.attempts[40..].iter().all(|a| a.1));
    }

    #[test]
    fn no_backoff_burns_its_retries_during_the_outage() {
        // 100 clients, outage 0 to 5 s, 3 retries, rtt 10 ms: four attempts within 30 ms, all in
        // the outage, so every client gives up: 100 × 4 = 400 attempts.
        let w = widget("clients: 100\nspread: 1\ndown_until: 5\nretries: 3");
        let o = &w.runs[0];
        assert_eq!(o.attempts.len(), 400);
        assert_eq!(o.gave_up, 100);
        assert!(o.attempts.iter().all(|a| !a.1));
        assert!(o.finished < 1.05);
    }

    #[test]
    fn capacity_limits_what_is_served() {
        // Capacity 10/s holds 10 × 0.1 = 1 at once. 50 clients all at t = 0 (no outage: down
        // 100 to 101 s), no retries: 1 served, 49 give up.
        let w = widget("clients: 50\nspread: 0\ndown_from: 100\ndown_until: 101\nretries: 0\ncapacity: 10");
        assert_eq!(w.runs[1].attempts.iter().filter(|a| a.1).count(), 1);
        assert_eq!(w.runs[1].gave_up, 49);
        // Spread over 10 s (5 per second) against 100/s holding 10 at once: all served.
        let w = widget("clients: 50\nspread: 10\ndown_from: 100\ndown_until: 101\nretries: 0\ncapacity: 100");
        assert_eq!(w.runs[1].gave_up, 0);
        // But 10/s holds only one at once: two within 100 ms collide, so some give up.
        let w = widget("clients: 50\nspread: 10\ndown_from: 100\ndown_until: 101\nretries: 0\ncapacity: 10");
        assert!((1..=25).contains(&w.runs[1].gave_up), "{}", w.runs[1].gave_up);
    }

    #[test]
    fn retry_budget_caps_retries_at_a_share_of_requests() {
        // A 10% budget: retries ≤ 10% of 1,000 first attempts = 100, so attempts ≤ 1,100.
        let w = widget("budget: 10\npolicy: none\nretries: 10");
        for o in &w.runs {
            assert!(o.retries <= 100, "{}", o.retries);
            assert!(o.attempts.len() <= 1100);
        }
        // Without a budget the same outage costs far more.
        assert!(widget("policy: none\nretries: 10").runs[0].attempts.len() > 5000);
    }

    #[test]
    fn default_run_shows_the_storm_and_jitter_flattening_it() {
        let w = widget("");
        let (exp, full, decor) = (&w.runs[1], &w.runs[2], &w.runs[4]);
        // Without jitter, the clients retry together after recovery.
        assert!(exp.peak_after >= 150, "{}", exp.peak_after);
        // With full jitter the peak after recovery is much lower.
        assert!(full.peak_after * 2 < exp.peak_after, "{} vs {}", full.peak_after, exp.peak_after);
        assert!(decor.peak_after * 2 < exp.peak_after);
        // And fewer clients give up.
        assert!(full.gave_up < exp.gave_up, "{} vs {}", full.gave_up, exp.gave_up);
        // Every attempt is a first attempt or a retry.
        for o in &w.runs {
            assert_eq!(o.attempts.len() as u32, 1000 + o.retries);
            assert!(o.retries <= 1000 * 8);
        }
    }

    #[test]
    fn quiz_configs_show_the_expected_answers() {
        // /tmp/quiz-retries.yaml, retries-storm-after-recovery: without jitter the clients come
        // back in waves about 2 s apart (the cap), each far above what the server serves in
        // 100 ms (200 × 0.1 = 20), until their retries run out.
        let w = widget("policy: exponential\ncompare: off\nclients: 1000\nspread: 0.2\ndown_from: 0\ndown_until: 2\ncapacity: 200\nretries: 8\nbase: 100\ncap: 2000");
        let o = &w.runs[1];
        assert!(o.peak_after >= 10 * 20, "{}", o.peak_after);
        let waves: Vec<usize> = (0..4).map(|k| o.attempts.iter().filter(|a| a.0 >= 3.0 + 2.0 * k as f64 && a.0 < 3.0 + 2.0 * k as f64 + 0.5).count()).collect();
        assert!(waves.iter().all(|n| *n >= 300), "a wave of hundreds every 2 s: {waves:?}");
        let between = o.attempts.iter().filter(|a| a.0 >= 3.6 && a.0 < 5.0).count();
        assert_eq!(between, 0, "nothing between the waves");
        assert!(o.gave_up >= 500, "{}", o.gave_up);
        // Full jitter spreads the same clients out: a far lower peak and fewer give-ups.
        assert!(w.runs[2].peak_after * 3 < o.peak_after && w.runs[2].gave_up * 2 < o.gave_up);
        // retries-budget-load: a 10% budget on immediate retries: 1,000 first attempts + at
        // most 10% × 1,000 = 100 retries = 1,100 attempts, instead of 1,000 × (1 + 8) = 9,000.
        let w = widget("policy: none\ncompare: off\nbudget: 10\nclients: 1000\nretries: 8\ndown_from: 0\ndown_until: 2");
        assert_eq!(w.runs[0].attempts.len(), 1100);
        assert_eq!(w.runs[0].gave_up, 1000, "every client fails fast during the outage");
        assert_eq!(widget("policy: none\ncompare: off").runs[0].attempts.len(), 9000);
        assert!(w.view().contains("1,100 attempts for 1,000 clients"));
    }

    #[test]
    fn spread_out_clients_need_jitter_less() {
        // Clients starting over 20 s are not synchronised: no-jitter's peak after recovery
        // falls far below the synchronised case.
        let sync = widget("").runs[1].peak_after;
        let spread = widget("spread: 20").runs[1].peak_after;
        assert!(spread * 3 < sync, "{spread} vs {sync}");
    }

    #[test]
    fn nice_numbers() {
        assert_eq!(nice(0.0), 1.0);
        assert_eq!(nice(7.0), 8.0);
        assert_eq!(nice(10.0), 10.0);
        assert_eq!(nice(120.0), 150.0);
        assert_eq!(nice(450.0), 500.0);
        assert_eq!(nice(2400.0), 2500.0);
        assert!((nice(0.3) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn view_shows_chart_numbers_and_formulas() {
        let w = widget("");
        let html = w.view();
        assert!(html.contains("<svg") && html.contains("viewBox=\"0 0 380 244\"") && html.contains("<title>"));
        assert!(html.contains("min(2,000, 100 × 2ⁿ) ms for retry n = 0, 1, …: 100, 200, 400, 800, 1,600, 2,000, 2,000, 2,000 ms"), "{html}");
        assert!(html.contains("random(0, c(n))"));
        assert!(html.contains("C × 0.1 s = 20 at once"));
        assert!(html.contains("Brooker") && html.contains("2015") && html.contains("2016"));
        let o = &w.runs[1];
        assert!(html.contains(&format!("{} attempts for 1,000 clients", number(o.attempts.len() as f64, 0))));
        assert!(html.contains("polyline"), "the comparison line");
        for key in ["policy", "compare", "retries", "base", "cap", "budget", "clients", "capacity", "rtt", "spread", "down_from", "down_until", "seed", "reseed"] {
            assert!(html.contains(&format!("data-ev=\"{key}\"")), "{key}");
        }
    }

    #[test]
    fn same_config_same_markup() {
        assert_eq!(widget("seed: 3").view(), widget("seed: 3").view());
        assert_ne!(widget("seed: 3").runs[2], widget("seed: 4").runs[2]);
    }

    #[test]
    fn round_trip_through_the_fragment() {
        let mut w = widget("policy: decorrelated\ncompare: off");
        w.update("spread", "1.2345");
        w.update("budget", "20");
        w.update("down_until", "4.5");
        w.update("reseed", "");
        assert!((w.config.spread - 1.235).abs() < 0.0011, "rounded to whole ms: {}", w.config.spread);
        let (back, notice) = widget_core::restore::<Retries>("", &w.to_params().to_fragment()).unwrap();
        assert!(notice.is_none());
        assert_eq!(back.config, w.config);
        assert_eq!(back.runs, w.runs);
        let strip = |s: String| s.split("<div class=\"w-log\">").next().unwrap().to_string();
        assert_eq!(strip(back.view()), strip(w.view()));
    }

    #[test]
    fn events_change_the_run_and_log_in_words() {
        let mut w = widget("");
        w.update("policy", "full");
        assert_eq!(w.config.policy, 2);
        assert!(w.log.latest().unwrap().starts_with("Policy: Full jitter. Full jitter:"), "{:?}", w.log.latest());
        w.update("compare", "off");
        assert_eq!(w.config.compare, None);
        assert!(!w.view().contains("polyline"));
        w.update("capacity", "500");
        assert_eq!(w.config.capacity, 500);
        assert_eq!(w.runs, simulate_all(&w.config));
    }

    #[test]
    fn hostile_events_are_ignored() {
        let mut w = widget("");
        let before = w.config;
        for (ev, v) in [
            ("retries", "11"), ("retries", "-1"), ("base", "0"), ("cap", "50"), ("cap", "1e9"), ("budget", "101"),
            ("clients", "5000"), ("capacity", ""), ("rtt", "<b>"), ("spread", "61"), ("spread", "NaN"),
            ("down_from", "3"), ("down_until", "0"), ("down_until", "-2"), ("policy", "fastest"), ("compare", "x"),
            ("seed", "99999999999999999999999"), ("", ""), ("unknown", "1"),
        ] {
            w.update(ev, v);
        }
        assert_eq!(w.config, before);
        assert!(w.log.latest().unwrap().contains("Ignored"));
        // cap below base and an outage ending before it starts are refused with a reason.
        w.update("cap", "50");
        assert!(w.log.latest().unwrap().contains("at least base"), "{:?}", w.log.latest());
        assert!(!w.view().contains("<b>"));
    }

    #[test]
    fn bad_parameters_are_refused() {
        for (bad, key) in [
            ("policy: fast", "policy"), ("compare: x", "compare"), ("retries: 11", "retries"), ("base: 0", "base"),
            ("cap: 50", "cap"), ("budget: 101", "budget"), ("clients: 5", "clients"), ("clients: 1001", "clients"),
            ("spread: -1", "spread"), ("down_from: 5", "down_until"), ("down_until: 0", "down_until"), ("capacity: 0", "capacity"),
            ("rtt: 0", "rtt"), ("seed: x", "seed"), ("colour: red", "colour"),
        ] {
            let e = Retries::from_params(&Params::parse(bad).unwrap());
            assert!(e.is_err(), "{bad}");
            assert!(e.err().unwrap().to_string().contains(key), "{bad}");
        }
    }
}
