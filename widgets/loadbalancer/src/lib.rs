//! Load balancer simulator. Clients send requests as a Poisson stream (`rate` per second, each
//! from one of `clients` clients, whose id stands for its IP address) through one balancer to
//! servers of different capacity. Each server is a first-come-first-served queue in front of
//! `workers` slots with exponential service times of mean `workers ÷ capacity`, so it completes
//! `capacity` requests per second when busy; a response time is queueing plus service. A client
//! gives up after `timeout`: its latency is then the timeout and the request is an error.
//!
//! The balancer picks among the servers in rotation (registered and passing health checks; if
//! none passes, all registered ones: it fails open, as AWS ALB does):
//! - round robin: the next server in turn (each gets 1/N);
//! - weighted round robin: smooth weighted round robin with weight = capacity (NGINX's
//!   algorithm; server i gets capacity_i ÷ Σ capacity);
//! - least connections: fewest requests in flight (ties rotate);
//! - least response time: lowest EWMA(response time) × (in flight + 1), with α = 0.2, a
//!   timeout counting as the timeout;
//! - IP hash: hash(client) mod (servers in rotation);
//! - power of two choices: two uniform draws with replacement, the one with fewer in flight
//!   (ties to the first draw).
//!
//! Sticky sessions keep a client on its server until that server leaves the rotation. Active
//! health checks probe each server every `interval` (first probe at a seeded random phase); a
//! hung server fails a probe `check_timeout` after it is sent; `unhealthy` failures in a row
//! remove it, `healthy` passes in a row restore it. `kill` makes servers hang (accept, never
//! answer) and optionally recover. A rolling deploy drains each server in turn (no new
//! requests; in-flight ones finish, or are cut when the deregistration delay `drain` runs out),
//! restarts it for `restart` seconds, and moves on. The run's events are told in words (the
//! first 40).
//!
//! Worked numbers from the page: removal (U − 1) × interval + timeout to U × interval + timeout
//! after a hang (35 to 65 s with ALB's defaults), restoration (H − 1) to H intervals after a fix
//! (120 to 150 s), and (k/N)^d of requests reaching k stuck servers of N with d random choices.
//! The whole run is computed up front with the shared discrete-event engine.

use widget_core::field::{self, Field};
use widget_core::format::{number, short};
use widget_core::{Log, ParamError, Params, Widget};

mod model;
mod view;
pub use model::*;

#[cfg(test)]
mod tests;

pub use widget_core::format::plain;

pub const CAPACITY: Field = Field::num("servers", "Server capacity", "req/s", 40.0, 1.0, 10_000.0);

/// `40,40,20,80`, or with repeats `12x100`.
pub fn parse_servers(text: &str) -> Result<Vec<f64>, ParamError> {
    let err = |m: String| ParamError::new("servers", m);
    let mut caps = vec![];
    for part in text.split(',').map(str::trim) {
        let (count, cap) = match part.split_once(['x', '×']) {
            Some((k, c)) => (
                k.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|k| (1..=MAX_SERVERS).contains(k))
                    .ok_or_else(|| err(format!("`{part}`: the count before x must be 1 to {MAX_SERVERS}")))?,
                c,
            ),
            None => (1, part),
        };
        let cap = CAPACITY.parse(cap).map_err(|m| err(format!("each capacity is {m}")))?;
        caps.extend(std::iter::repeat_n(cap, count));
        if caps.len() > MAX_SERVERS {
            return Err(err(format!("at most {MAX_SERVERS} servers")));
        }
    }
    Ok(caps)
}

pub fn servers_text(caps: &[f64]) -> String {
    let mut out = String::new();
    for c in caps {
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&plain(*c));
    }
    out
}

/// `none`, or `2@10` (server 2 hangs at 10 s) and `2@10-70` (fixed at 70 s), comma-separated.
pub fn parse_kills(text: &str) -> Result<Vec<Kill>, ParamError> {
    let t = text.trim();
    if t.is_empty() || t == "none" {
        return Ok(vec![]);
    }
    let mut kills: Vec<Kill> = vec![];
    for part in t.split(',').map(str::trim) {
        let err = || ParamError::new("kill", format!("`{part}` should be server@seconds or server@from-to, such as 2@10 or 2@10-70; or none"));
        let (s, times) = part.split_once('@').ok_or_else(err)?;
        let server = s.trim().parse::<usize>().ok().filter(|s| (1..=MAX_SERVERS).contains(s)).ok_or_else(err)? - 1;
        let num = |x: &str| widget_core::format::parse(x).filter(|v| (0.0..=600.0).contains(v)).ok_or_else(err);
        let (at, until) = match times.split_once('-') {
            Some((a, u)) => (num(a)?, Some(num(u)?)),
            None => (num(times)?, None),
        };
        if until.is_some_and(|u| u <= at) {
            return Err(ParamError::new("kill", format!("`{part}`: the fix must come after the hang")));
        }
        if kills.iter().any(|k| k.server == server) {
            return Err(ParamError::new("kill", format!("server {} is listed twice", server + 1)));
        }
        if kills.len() == MAX_SERVERS {
            return Err(ParamError::new("kill", format!("at most {MAX_SERVERS} entries")));
        }
        kills.push(Kill { server, at, until });
    }
    Ok(kills)
}

pub fn kills_text(kills: &[Kill]) -> String {
    if kills.is_empty() {
        return "none".to_string();
    }
    let mut out = String::new();
    for k in kills {
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&format!("{}@{}", k.server + 1, plain(k.at)));
        if let Some(u) = k.until {
            out.push('-');
            out.push_str(&plain(u));
        }
    }
    out
}

pub fn parse_deploy(text: &str) -> Result<Option<f64>, ParamError> {
    match text.trim() {
        "off" | "" => Ok(None),
        t => widget_core::format::parse(t)
            .filter(|v| (0.0..=600.0).contains(v))
            .map(Some)
            .ok_or_else(|| ParamError::new("deploy", "expected off or a start time from 0 to 600 s")),
    }
}

impl Config {
    /// Check the settings together; the error names the one to change.
    pub fn check(&self) -> Result<(), ParamError> {
        let dur = self.v[DURATION];
        if self.v[RATE] * dur > MAX_REQUESTS {
            return Err(ParamError::new("rate", "rate × duration must be at most 10,000 requests: lower the rate or the duration"));
        }
        if self.v[CHECK_TIMEOUT] >= self.v[INTERVAL] {
            return Err(ParamError::new("check_timeout", "must be shorter than the interval"));
        }
        for k in &self.kills {
            if k.server >= self.n() {
                return Err(ParamError::new("kill", format!("there is no server {}", k.server + 1)));
            }
            if k.at >= dur {
                return Err(ParamError::new("kill", "a server must hang before requests stop (duration)"));
            }
        }
        if self.deploy.is_some_and(|d| d >= dur) {
            return Err(ParamError::new("deploy", "must start before requests stop (duration)"));
        }
        Ok(())
    }
}

pub struct LoadBalancer {
    pub cfg: Config,
    pub run: Run,
    log: Log,
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// Every parameter key, for `Params::only`.
const KEYS: [&str; 7 + NF] = {
    let mut k = ["algorithm", "servers", "sticky", "checks", "kill", "deploy", "seed", "", "", "", "", "", "", "", "", "", "", ""];
    let mut i = 0;
    while i < NF {
        k[7 + i] = FIELDS[i].key;
        i += 1;
    }
    k
};

/// Read and check a configuration: from the author's parameters, a shared link, or the current
/// parameters with one changed by an event.
pub fn config(p: &Params) -> Result<Config, ParamError> {
    p.only(&KEYS)?;
    let names = ALGOS.map(|a| a.0);
    let algo = p.choice("algorithm", "weighted", &names)?;
    let mut v = [0.0; NF];
    for (i, f) in FIELDS.iter().enumerate() {
        v[i] = f.read(p)?;
    }
    let flag = |key: &str, default: &'static str| p.choice(key, default, &["off", "on"]).map(|x| x == "on");
    let cfg = Config {
        algo: names.iter().position(|n| *n == algo).unwrap_or(0),
        caps: parse_servers(p.get("servers").unwrap_or("40,40,20,80"))?,
        v,
        sticky: flag("sticky", "off")?,
        checks: flag("checks", "on")?,
        kills: parse_kills(p.get("kill").unwrap_or("2@10"))?,
        deploy: parse_deploy(p.get("deploy").unwrap_or("off"))?,
        seed: u64::from(p.u32_in("seed", 1, 0, 999_999)?),
    };
    cfg.check()?;
    Ok(cfg)
}

impl LoadBalancer {
    fn headline(&self) -> String {
        let a = &self.run.all;
        let total = a.sent + self.run.refused;
        format!(
            "{}: {} requests, {} errors ({}), p99 {}.",
            ALGOS[self.cfg.algo].1,
            number(f64::from(total), 0),
            number(f64::from(a.errors() + self.run.refused), 0),
            view::pct(f64::from(a.errors() + self.run.refused), f64::from(total)),
            view::dur(a.percentile(0.99))
        )
    }
}

impl Widget for LoadBalancer {
    const NAME: &'static str = "loadbalancer";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        let cfg = config(p)?;
        Ok(LoadBalancer { run: simulate(&cfg), cfg, log: Log::default() })
    }

    fn to_params(&self) -> Params {
        let c = &self.cfg;
        let mut p = Params::new();
        for (f, x) in FIELDS.iter().zip(c.v) {
            p.set(f.key, plain(x));
        }
        p.set("algorithm", ALGOS[c.algo].0)
            .set("servers", servers_text(&c.caps))
            .set("sticky", on_off(c.sticky))
            .set("checks", on_off(c.checks))
            .set("kill", kills_text(&c.kills))
            .set("deploy", c.deploy.map_or("off".to_string(), plain))
            .set("seed", (c.seed as u32).to_string());
        p
    }

    /// Every event sets one parameter; the whole configuration is then read again, so events
    /// are checked exactly like parameters.
    fn update(&mut self, event: &str, value: &str) {
        let value = value.trim();
        if value.len() > 200 {
            return self.log.push("Ignored: that value is too long.".to_string());
        }
        let c = &self.cfg;
        let (key, new) = match event {
            "set" => {
                let Some((key, raw)) = value.split_once('|') else { return };
                let Some(i) = field::position(&FIELDS, key) else { return };
                (FIELDS[i].key, raw.trim().to_string())
            }
            "algorithm" | "servers" | "kill" | "deploy" => (event, value.to_string()),
            "sticky" | "checks" => (
                event,
                if value == "true" {
                    "on"
                } else if value == "false" {
                    "off"
                } else {
                    value
                }
                .to_string(),
            ),
            "kill-preset" => {
                ("kill", if c.kills.is_empty() { format!("{}@{}", 2.min(c.n()), if c.v[DURATION] > 10.0 { 10 } else { 0 }) } else { "none".to_string() })
            }
            "deploy-preset" => (
                "deploy",
                if c.deploy.is_some() {
                    "off"
                } else if c.v[DURATION] > 20.0 {
                    "20"
                } else {
                    "0"
                }
                .to_string(),
            ),
            "reseed" => ("seed", ((c.seed * 48_271 + 11) % 999_983).to_string()),
            _ => return,
        };
        let mut p = self.to_params();
        p.set(key, new.as_str());
        let label = field::position(&FIELDS, key).map_or(key, |i| FIELDS[i].label);
        match config(&p) {
            Ok(cfg) if cfg == self.cfg => {}
            Ok(cfg) => {
                self.run = simulate(&cfg);
                self.cfg = cfg;
                let h = self.headline();
                self.log.push(format!("{label}: {new}. {h}"));
            }
            Err(e) => self.log.push(format!("Ignored: {e}.")),
        }
    }

    fn view(&self) -> String {
        view::view(self)
    }
}

widget_core::export_widget!(crate::LoadBalancer);
