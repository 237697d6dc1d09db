//! CDN edge caching. Requests arrive as a Poisson stream at `rate` per second for `duration`
//! seconds, each to one of `pops` edge PoPs chosen uniformly and for one of `objects` objects
//! chosen by a Zipf law with exponent `zipf`: object i (1 = most popular) is asked for with
//! probability i^−s ÷ H(N, s), where H(N, s) = Σ_{i=1..N} i^−s. Each PoP is an LRU cache of
//! `cache` objects; a copy is fresh for `ttl` seconds after the origin served it.
//!
//! - Pull: a miss goes to the origin shield (one LRU cache of `shield_cache` objects) if there
//!   is one, else to the origin; the copy is stored on the way back. A copy from the shield
//!   keeps the shield's expiry (its age counts, as with HTTP's Age header).
//! - Push: the top `push_top` objects are uploaded to CDN storage and placed at every PoP before
//!   the run (beside the pull cache, not counted in `cache`); when such a copy expires or is
//!   purged, the PoP refetches it from CDN storage, never from the origin.
//! - `start: warm` begins every cache full of the most popular objects it would hold at peak
//!   (expiring at random points of their TTL); `cold` begins empty.
//! - At `update_at` the `changed` most popular objects change. `ttl`: copies keep serving the
//!   old version until they expire (stale responses); `purge` / `purge-all`: the changed
//!   objects' / all copies are dropped everywhere, so they are fetched again; `versioned`: the
//!   changed objects get new names, fetched once per cache, while the old copies age out of
//!   the LRU; nothing stale is served.
//!
//! Shown, at peak before the update: edge hit ratio h₁ = 1 − edge misses ÷ requests; shield hit
//! ratio h₂ = 1 − origin requests ÷ misses sent to it; origin load = rate × (1 − h₁) × (1 − h₂);
//! mean latency = user–edge RTT + (1 − h₁) × edge–origin RTT + origin share × origin time;
//! egress = rate × size. After the update: stale responses and the refetches it caused.
//!
//! Up to [`model::BUDGET`] requests are simulated; above that the run samples 1 in k
//! (k = rate × duration ÷ budget). Every request stands for k; an eviction miss too (an LRU's
//! contents depend on the order of requests, not their rate); a first fetch after an event or
//! a refresh after expiry stands for as many real ones as it represents and is moved to when a
//! real one would happen ([`model::Weights`]). Both shield variants replay the same seeded
//! requests on the shared discrete-event engine.

use widget_core::field::Field;

use widget_core::{Log, ParamError, Params, Widget};

pub mod model;
#[cfg(test)]
mod tests;
mod view;

pub use model::*;

pub const FIELDS: [Field; 17] = [
    Field::num("rate", "Requests at peak", "req/s", 60_000.0, 1.0, 10_000_000.0),
    Field::num("pops", "Edge PoPs", "PoPs", 200.0, 1.0, 500.0).whole(),
    Field::num("objects", "Catalogue", "objects", 12_000.0, 1.0, 100_000.0).whole(),
    Field::num("zipf", "Popularity skew s (Zipf)", "", 1.0, 0.0, 2.0),
    Field::num("cache", "Edge cache size", "objects per PoP", 5_000.0, 0.0, 100_000.0).whole(),
    Field::num("shield_cache", "Shield cache size", "objects", 10_000.0, 0.0, 100_000.0).whole(),
    Field::num("ttl", "TTL", "s", 31_536_000.0, 0.0, 31_536_000.0).whole(),
    Field::num("duration", "Run length", "s", 900.0, 10.0, 86_400.0).whole(),
    Field::num("update_at", "Content update at", "s", 450.0, 0.0, 86_400.0).whole(),
    Field::num("changed", "Objects changed by the update", "objects", 50.0, 0.0, 100_000.0).whole(),
    Field::num("push_top", "Pushed objects (top K, push only)", "objects", 12_000.0, 1.0, 100_000.0).whole(),
    Field::num("rtt_edge_ms", "User–edge round trip", "ms", 10.0, 0.0, 1_000.0),
    Field::num("rtt_origin_ms", "Edge–origin round trip", "ms", 200.0, 0.0, 1_000.0),
    Field::num("origin_ms", "Origin time per request", "ms", 50.0, 0.0, 10_000.0),
    Field::num("size_kb", "Average response size", "KB", 80.0, 0.001, 1_000_000.0),
    Field::num("origin_capacity", "Origin fleet capacity", "req/s", 3_000.0, 1.0, 10_000_000.0),
    Field::num("seed", "Seed", "", 1.0, 0.0, 999_999.0).whole(),
];
pub const NF: usize = FIELDS.len();
pub const RATE: usize = 0;
pub const POPS: usize = 1;
pub const OBJECTS: usize = 2;
pub const ZIPF: usize = 3;
pub const CACHE: usize = 4;
pub const SHIELD_CACHE: usize = 5;
pub const TTL: usize = 6;
pub const DURATION: usize = 7;
pub const UPDATE_AT: usize = 8;
pub const CHANGED: usize = 9;
pub const PUSH_TOP: usize = 10;
pub const RTT_EDGE: usize = 11;
pub const RTT_ORIGIN: usize = 12;
pub const ORIGIN_MS: usize = 13;
pub const SIZE_KB: usize = 14;
pub const ORIGIN_CAP: usize = 15;
pub const SEED: usize = 16;

/// Everything a view is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub v: [f64; NF],
    pub shield: bool,
    pub push: bool,
    pub warm: bool,
    pub inval: usize,
}

impl Config {
    /// Check the fields together; the error names the field to change.
    pub fn check(&self) -> Result<(), ParamError> {
        let v = &self.v;
        if v[UPDATE_AT] > v[DURATION] {
            return Err(ParamError::new("update_at", format!("the update ({} s) must come by the end of the run ({} s)", plain(v[UPDATE_AT]), plain(v[DURATION]))));
        }
        if v[CHANGED] > v[OBJECTS] {
            return Err(ParamError::new("changed", format!("the changed objects must fit in the catalogue ({} objects)", plain(v[OBJECTS]))));
        }
        if v[PUSH_TOP] > v[OBJECTS] {
            return Err(ParamError::new("push_top", format!("the pushed objects must fit in the catalogue ({} objects)", plain(v[OBJECTS]))));
        }
        Ok(())
    }

    pub fn setup(&self) -> Setup {
        let v = &self.v;
        Setup {
            rate: v[RATE],
            pops: v[POPS] as u32,
            objects: v[OBJECTS] as u32,
            zipf: v[ZIPF],
            cache: v[CACHE] as u32,
            shield_cache: v[SHIELD_CACHE] as u32,
            warm: self.warm,
            ttl: v[TTL],
            duration: v[DURATION],
            update_at: v[UPDATE_AT],
            changed: v[CHANGED] as u32,
            push: self.push,
            push_top: v[PUSH_TOP] as u32,
            inval: self.inval,
            rtt_edge_ms: v[RTT_EDGE],
            rtt_origin_ms: v[RTT_ORIGIN],
            origin_ms: v[ORIGIN_MS],
            seed: v[SEED] as u64,
        }
    }
}

pub use widget_core::format::plain;

#[derive(Debug)]
pub struct Cdn {
    pub cfg: Config,
    /// Runs without and with the shield, on the same requests.
    pub runs: [Run; 2],
    log: Log,
}

impl Cdn {
    fn compute(cfg: &Config) -> [Run; 2] {
        let s = cfg.setup();
        let cdf = zipf_cdf(s.objects, s.zipf);
        let arr = arrivals(&s, &cdf);
        [simulate(&s, &cdf, &arr, false), simulate(&s, &cdf, &arr, true)]
    }

    /// The run the numbers describe (the shield setting chosen).
    pub fn run(&self) -> &Run {
        &self.runs[usize::from(self.cfg.shield)]
    }

    /// Whether the numbers describe the peak before the update (else the whole run).
    pub fn has_pre(&self) -> bool {
        self.run().pre.requests > 0.0
    }

    /// The counts the peak numbers describe.
    pub fn steady(&self) -> &Counts {
        let r = self.run();
        if self.has_pre() { &r.pre } else { &r.total }
    }

    /// Mean latency (ms) of some counts: user–edge RTT, plus the edge–origin RTT on a miss,
    /// plus the origin's time when the origin answers.
    pub fn latency(&self, c: &Counts) -> f64 {
        let v = &self.cfg.v;
        if c.requests > 0.0 { v[RTT_EDGE] + c.misses / c.requests * v[RTT_ORIGIN] + c.origin_share() * v[ORIGIN_MS] } else { v[RTT_EDGE] }
    }

    /// The highest origin rate in a chart bin from the one holding the update on, and its start.
    pub fn peak_after(&self) -> (f64, f64) {
        let bw = self.cfg.v[DURATION] / BINS as f64;
        let first = ((self.cfg.v[UPDATE_AT] / bw) as usize).min(BINS - 1);
        self.run().bins[first..].iter().enumerate().map(|(j, b)| (b.origin / bw, (first + j) as f64 * bw)).fold((0.0, first as f64 * bw), |a, b| if b.0 > a.0 { b } else { a })
    }

    /// Real requests each simulated one stands for.
    pub fn scale(&self) -> f64 {
        scale(&self.cfg.setup())
    }

    fn headline(&self) -> String {
        let t = self.steady();
        let mut s = format!("Edge hit ratio {}, origin {}", view::pct(t.edge_hit_ratio()), view::per_s(self.cfg.v[RATE] * t.origin_share()));
        if self.cfg.setup().has_update() {
            s.push_str(&format!("; after the update {} stale, origin peak {}", view::num(self.run().total.stale.round()), view::per_s(self.peak_after().0)));
        }
        s + "."
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

    fn set(&mut self, i: usize, raw: &str) {
        let f = &FIELDS[i];
        match f.parse(raw) {
            Ok(x) if x != self.cfg.v[i] => {
                let mut cfg = self.cfg.clone();
                cfg.v[i] = x;
                let mut what = format!("{}: {} → {}{}.", f.label, view::num(self.cfg.v[i]), view::num(x), unit(f.unit));
                if i == OBJECTS {
                    // Keep the changed and pushed counts inside the new catalogue; pushing the
                    // whole catalogue stays the whole catalogue.
                    let whole = self.cfg.v[PUSH_TOP] == self.cfg.v[OBJECTS];
                    if whole || cfg.v[PUSH_TOP] > x {
                        cfg.v[PUSH_TOP] = x;
                    }
                    if cfg.v[CHANGED] > x {
                        cfg.v[CHANGED] = x;
                        what.push_str(&format!(" Objects changed lowered to {}.", view::num(x)));
                    }
                }
                self.try_config(cfg, what);
            }
            Ok(_) => {}
            Err(m) => self.log.push(format!("Ignored for {}: {m}.", f.label.to_ascii_lowercase())),
        }
    }
}

fn unit(u: &str) -> String {
    if u.is_empty() { String::new() } else { format!(" {u}") }
}

/// `a ÷ b`, 0 when b is 0.
pub fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 { 0.0 } else { f64::from(a) / f64::from(b) }
}

/// Requests per second reaching the origin: miss ratios multiply across tiers.
pub fn origin_load(rate: f64, edge_hit: f64, shield_hit: f64) -> f64 {
    rate * (1.0 - edge_hit) * (1.0 - shield_hit)
}

impl Widget for Cdn {
    const NAME: &'static str = "cdn";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        let mut known = vec!["shield", "delivery", "start", "invalidation"];
        known.extend(FIELDS.iter().map(|f| f.key));
        p.only(&known)?;
        let mut v = [0.0; NF];
        for (i, f) in FIELDS.iter().enumerate() {
            v[i] = if i == PUSH_TOP { f.read_or(p, v[OBJECTS])? } else { f.read(p)? };
        }
        let names: Vec<&str> = INVALS.iter().map(|x| x.0).collect();
        let inval = p.choice("invalidation", "purge-all", &names)?;
        let cfg = Config {
            v,
            shield: p.choice("shield", "off", &["off", "on"])? == "on",
            push: p.choice("delivery", "pull", &["pull", "push"])? == "push",
            warm: p.choice("start", "warm", &["warm", "cold"])? == "warm",
            inval: names.iter().position(|n| *n == inval).unwrap_or(0),
        };
        cfg.check()?;
        Ok(Cdn { runs: Self::compute(&cfg), cfg, log: Log::default() })
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        for (f, x) in FIELDS.iter().zip(self.cfg.v) {
            p.set(f.key, plain(x));
        }
        p.set("shield", if self.cfg.shield { "on" } else { "off" })
            .set("delivery", if self.cfg.push { "push" } else { "pull" })
            .set("start", if self.cfg.warm { "warm" } else { "cold" })
            .set("invalidation", INVALS[self.cfg.inval].0);
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let value = value.trim();
        match event {
            "shield" => {
                let on = match value {
                    "on" | "true" => true,
                    "off" | "false" => false,
                    _ => return,
                };
                if on != self.cfg.shield {
                    // Both variants are already computed: only the numbers shown change.
                    self.cfg.shield = on;
                    let h = self.headline();
                    self.log.push(format!("Origin shield {}. {h}", if on { "on" } else { "off" }));
                }
            }
            "delivery" => {
                let push = match value {
                    "pull" => false,
                    "push" => true,
                    _ => return,
                };
                if push != self.cfg.push {
                    let mut cfg = self.cfg.clone();
                    cfg.push = push;
                    let what = if push {
                        format!("Push: the top {} objects are placed at every PoP before the run.", view::num(cfg.v[PUSH_TOP]))
                    } else {
                        "Pull: every PoP starts cold and fills on misses.".to_string()
                    };
                    self.try_config(cfg, what);
                }
            }
            "start" => {
                let warm = match value {
                    "warm" => true,
                    "cold" => false,
                    _ => return,
                };
                if warm != self.cfg.warm {
                    let mut cfg = self.cfg.clone();
                    cfg.warm = warm;
                    let what = if warm { "Warm start: every cache begins full of the most popular objects, as at peak." } else { "Cold start: every cache begins empty, as after a restart or a new deploy." };
                    self.try_config(cfg, what.to_string());
                }
            }
            "invalidation" => {
                if let Some(i) = INVALS.iter().position(|x| x.0 == value)
                    && i != self.cfg.inval
                {
                    let mut cfg = self.cfg.clone();
                    cfg.inval = i;
                    self.try_config(cfg, format!("On update: {}.", INVALS[i].1));
                }
            }
            "reseed" => {
                let mut cfg = self.cfg.clone();
                cfg.v[SEED] = ((cfg.v[SEED] as u64 * 48_271 + 11) % 999_983) as f64;
                let what = format!("New seed {}: other requests, same rates.", plain(cfg.v[SEED]));
                self.try_config(cfg, what);
            }
            _ => {
                if let Some(i) = widget_core::field::position(&FIELDS, event) {
                    self.set(i, value);
                }
            }
        }
    }

    fn view(&self) -> String {
        view::view(self)
    }
}

widget_core::export_widget!(crate::Cdn);
