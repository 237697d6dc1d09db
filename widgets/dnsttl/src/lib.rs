//! DNS TTLs and failover: how long a changed DNS answer takes to reach clients behind different
//! caches. Each row is `clients` clients behind one kind of resolver and client behaviour:
//!
//! - `ttl`: a resolver that honours the record's TTL (a browser, say): one cache of TTL `R`;
//! - `floor`: a resolver that holds every answer at least `floor` seconds: `R = max(TTL, floor)`;
//! - `jvm`: a Java service: the resolver, then the JVM's own cache of `jvm` seconds on top (the
//!   JVM ignores the record's TTL);
//! - `pool`: the same Java service with a connection pool that keeps its connections while the
//!   old address still accepts them, and looks the name up again only when a connection reaches
//!   its maximum lifetime `L` (0 = never).
//!
//! Two events at t = 0. A planned record change: the authoritative answer changes at `D = 0`;
//! caches hold the record under its old TTL unless it was lowered one old-TTL ahead of time (then
//! every cache has fetched it since, under the new TTL). A failed region: a health check every
//! `interval` seconds needs `threshold` failures, and the last good check ended just before t = 0
//! (the page's worst case), so the answer changes at `D = interval × threshold`. A dead region
//! refuses connections, so pools reconnect at once; a degraded one still accepts them.
//!
//! Every cache is kept warm by steady traffic: it fetches again the moment its copy expires, and
//! each client's copy has a random age, uniform within that cache's TTL (seeded). A client moves
//! when the new answer has passed through all its layers, so its delay after `D` is a sum of
//! independent uniforms:
//!
//! - worst case = `D + R + J + L` (J, L: the JVM cache and pool lifetime where the row has them;
//!   unbounded when the pool's connections never close);
//! - median ≈ mean = `D + (R + J + L) ÷ 2` (a sum of uniforms is symmetric);
//! - failed requests (failure only) = request rate × Σ seconds each client stays on the failed
//!   region = `clients × rate × mean switch time`.
//!
//! The run is computed up front with the shared discrete-event engine: health checks, the
//! answer's change, then one event per cache layer per client (at most 3), so at most ~12,000.

use widget_core::field::{Field, position};
use widget_core::format::{duration, short};
use widget_core::rng::Rng;
use widget_core::sim::Sim;
use widget_core::{Log, Markup, ParamError, Params, Widget};

#[cfg(test)]
mod tests;
mod view;

pub const FIELDS: [Field; 10] = [
    Field::num("ttl", "Record TTL", "s", 60.0, 1.0, 86_400.0).whole(),
    Field::num("interval", "Health check interval", "s", 30.0, 1.0, 600.0).whole(),
    Field::num("threshold", "Failures to fail over", "checks", 3.0, 1.0, 10.0).whole(),
    Field::num("floor", "Resolver minimum TTL (floor)", "s", 300.0, 0.0, 86_400.0).whole(),
    Field::num("jvm", "JVM DNS cache", "s", 30.0, 0.0, 3_600.0).whole(),
    Field::num("pool_lifetime", "Pool connection lifetime (0 = never)", "s", 0.0, 0.0, 86_400.0).whole(),
    Field::num("old_ttl", "TTL before the change", "s", 3_600.0, 1.0, 86_400.0).whole(),
    Field::num("clients", "Clients per row", "clients", 200.0, 10.0, 1_000.0).whole(),
    Field::num("rate", "Requests per client", "requests/s", 1.0, 0.0, 1_000.0),
    Field::num("seed", "Seed", "", 1.0, 0.0, 999_999.0).whole(),
];
pub const NF: usize = FIELDS.len();
pub const TTL: usize = 0;
pub const INTERVAL: usize = 1;
pub const THRESHOLD: usize = 2;
pub const FLOOR: usize = 3;
pub const JVM: usize = 4;
pub const LIFE: usize = 5;
pub const OLD_TTL: usize = 6;
pub const CLIENTS: usize = 7;
pub const RATE: usize = 8;
pub const SEED: usize = 9;

/// Rows: key, label, colour class.
pub const ROWS: [(&str, &str, &str); 4] = [
    ("ttl", "Resolver honours the TTL", "w-c0"),
    ("floor", "Resolver with a minimum TTL", "w-c4"),
    ("jvm", "Java client (JVM cache)", "w-c3"),
    ("pool", "Java client, pooled connections", "w-c1"),
];
pub const POOL_ROW: usize = 3;

/// How a row's pool holds its connections.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pool {
    /// No pool, or connections break and reconnect at once (the region refuses them).
    None,
    /// Connections close at this age, then reconnect and look the name up again.
    Lifetime(f64),
    Never,
}

/// A row's cache layers, seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layers {
    pub resolver: f64,
    /// The client's own cache (0 = none).
    pub client: f64,
    pub pool: Pool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub v: [f64; NF],
    /// A planned record change (true) or a failed region (false).
    pub change: bool,
    /// The failed region refuses connections (true) or still accepts them (false).
    pub dead: bool,
    /// The TTL was lowered one old-TTL before the planned change.
    pub lowered: bool,
    pub rows: [bool; 4],
}

impl Config {
    /// When the authoritative answer changes: at once, or after the health checks fail.
    pub fn detection(&self) -> f64 {
        if self.change { 0.0 } else { self.v[INTERVAL] * self.v[THRESHOLD] }
    }

    /// The TTL caches hold the record under when the answer changes.
    pub fn cached_ttl(&self) -> f64 {
        if self.change && !self.lowered { self.v[OLD_TTL] } else { self.v[TTL] }
    }

    pub fn layers(&self, row: usize) -> Layers {
        let t = self.cached_ttl();
        let resolver = if row == 1 { t.max(self.v[FLOOR]) } else { t };
        let client = if row >= 2 { self.v[JVM] } else { 0.0 };
        // Connections stay open unless the region is dead and refuses them.
        let pool = if row != POOL_ROW || (!self.change && self.dead) {
            Pool::None
        } else if self.v[LIFE] == 0.0 {
            Pool::Never
        } else {
            Pool::Lifetime(self.v[LIFE])
        };
        Layers { resolver, client, pool }
    }

    /// Worst-case switch time: D + R + J + L; `None` when connections never close.
    pub fn worst(&self, row: usize) -> Option<f64> {
        let l = self.layers(row);
        let pool = match l.pool {
            Pool::Never => return None,
            Pool::Lifetime(x) => x,
            Pool::None => 0.0,
        };
        Some(self.detection() + l.resolver + l.client + pool)
    }

    /// Expected median switch time: D + (R + J + L) ÷ 2.
    pub fn median(&self, row: usize) -> Option<f64> {
        self.worst(row).map(|w| (w + self.detection()) / 2.0)
    }

    pub fn clients(&self) -> usize {
        self.v[CLIENTS] as usize
    }
}

/// One row's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRun {
    /// Switch times of the clients that moved, ascending.
    pub times: Vec<f64>,
    /// Clients that never move.
    pub never: usize,
}

impl RowRun {
    /// Nearest-rank percentile (`p` in 0..=1) over all clients; `None` if that client never moves.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        let n = self.times.len() + self.never;
        let rank = ((p * n as f64).ceil() as usize).max(1);
        self.times.get(rank - 1).copied()
    }
    pub fn slowest(&self) -> Option<f64> {
        if self.never > 0 { None } else { self.times.last().copied() }
    }
    /// Σ seconds each client stays on the old answer; `None` when some never leave.
    pub fn on_old(&self) -> Option<f64> {
        if self.never > 0 { None } else { Some(self.times.iter().sum()) }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// When the authoritative answer changed, as simulated.
    pub detection: f64,
    pub rows: Vec<RowRun>,
    pub events: usize,
}

#[derive(Clone, Copy)]
enum Ev {
    Check(u32),
    Flip,
    /// Client `idx`'s resolver fetched the new answer.
    Resolver(usize),
    /// Client `idx`'s own cache (the JVM's) holds the new answer.
    Client(usize),
    /// Client `idx`'s pooled connection closed and reconnected to the new address.
    Reconnect(usize),
}

/// The first time after `t` at which a cache of this TTL, `u` of the way through its TTL at
/// time 0, fetches again: in (t, t + ttl].
fn next_fetch(t: f64, ttl: f64, u: f64) -> f64 {
    let x = u + t / ttl;
    t + ttl * (1.0 - (x - x.floor()))
}

pub fn simulate(c: &Config) -> Run {
    let n = c.clients();
    let mut rng = Rng::new(c.v[SEED] as u64);
    // How far through each layer's TTL (resolver, JVM, connection) every client is at t = 0.
    let ages: Vec<[f64; 3]> = (0..4 * n).map(|_| [rng.next_f64(), rng.next_f64(), rng.next_f64()]).collect();
    let layers: Vec<Layers> = (0..4).map(|r| c.layers(r)).collect();
    let mut switch: Vec<Option<f64>> = vec![None; 4 * n];
    let mut sim = Sim::new();
    if c.change {
        sim.schedule(0.0, Ev::Flip);
    } else {
        let k = c.v[THRESHOLD] as u32;
        for i in 1..=k {
            sim.schedule(f64::from(i) * c.v[INTERVAL], Ev::Check(i));
        }
    }
    let (mut detection, mut events) = (0.0, 0);
    while let Some((t, ev)) = sim.next() {
        events += 1;
        match ev {
            // Every check fails: the region is down. The last one flips the answer.
            Ev::Check(i) => {
                if f64::from(i) >= c.v[THRESHOLD] {
                    sim.schedule(0.0, Ev::Flip);
                }
            }
            Ev::Flip => {
                detection = t;
                for (idx, age) in ages.iter().enumerate() {
                    let r = layers[idx / n].resolver;
                    sim.schedule(next_fetch(t, r, age[0]) - t, Ev::Resolver(idx));
                }
            }
            Ev::Resolver(idx) => {
                let j = layers[idx / n].client;
                let at = if j > 0.0 { next_fetch(t, j, ages[idx][1]) } else { t };
                sim.schedule(at - t, Ev::Client(idx));
            }
            Ev::Client(idx) => match layers[idx / n].pool {
                Pool::None => switch[idx] = Some(t),
                Pool::Lifetime(l) => sim.schedule(next_fetch(t, l, ages[idx][2]) - t, Ev::Reconnect(idx)),
                Pool::Never => {}
            },
            Ev::Reconnect(idx) => switch[idx] = Some(t),
        }
    }
    let rows = switch
        .chunks(n)
        .map(|s| {
            let mut times: Vec<f64> = s.iter().flatten().copied().collect();
            times.sort_unstable_by(f64::total_cmp);
            RowRun { never: n - times.len(), times }
        })
        .collect();
    Run { detection, rows, events }
}

pub use widget_core::format::plain;

/// Seconds as shown: `149.6 s`, with minutes or hours beside from two minutes up.
pub fn secs(x: f64) -> String {
    let s = format!("{}\u{a0}s", short(x, 1));
    if x >= 120.0 { format!("{s} ({})", duration(x).replace(' ', "\u{a0}")) } else { s }
}

pub struct DnsTtl {
    pub cfg: Config,
    pub run: Run,
    log: Log,
}

impl DnsTtl {
    fn new(cfg: Config) -> DnsTtl {
        DnsTtl { run: simulate(&cfg), cfg, log: Log::default() }
    }

    /// Worst cases of the rows shown, in words.
    pub fn headline(&self) -> String {
        let c = &self.cfg;
        let parts: Vec<String> = (0..4)
            .filter(|r| c.rows[*r])
            .map(|r| format!("{} {}", ["TTL-honouring", "floor", "JVM", "pool"][r], c.worst(r).map_or("unbounded".to_string(), |w| format!("{}\u{a0}s", short(w, 1)))))
            .collect();
        let when = if c.change { "The answer changes at 0 s".to_string() } else { format!("The answer changes at {}\u{a0}s", short(c.detection(), 1)) };
        format!("{when}; worst cases: {}.", parts.join(", "))
    }

    /// Keep a changed configuration, rerun, and say what changed.
    fn apply(&mut self, cfg: Config, what: String) {
        if cfg == self.cfg {
            return;
        }
        self.run = simulate(&cfg);
        self.cfg = cfg;
        let h = self.headline();
        self.log.push(format!("{what} {h}"));
    }

    fn set(&mut self, value: &str) {
        let Some((key, raw)) = value.split_once('|') else { return };
        let Some(i) = position(&FIELDS, key) else { return };
        let f = &FIELDS[i];
        let parsed = if i == LIFE && raw.trim() == "never" { Ok(0.0) } else { f.parse(raw) };
        match parsed {
            Ok(x) => {
                let mut cfg = self.cfg.clone();
                cfg.v[i] = x;
                let what = format!("{}: {} → {} {}.", f.label, short(self.cfg.v[i], 6), short(x, 6), f.unit);
                self.apply(cfg, what);
            }
            Err(e) => self.log.push(format!("Ignored {}: {e}.", f.label.to_ascii_lowercase())),
        }
    }

    fn toggle_row(&mut self, value: &str) {
        let Some((key, on)) = value.split_once('|') else { return };
        let Some(r) = ROWS.iter().position(|x| x.0 == key) else { return };
        let on = match on {
            "true" => true,
            "false" => false,
            _ => return,
        };
        let mut cfg = self.cfg.clone();
        cfg.rows[r] = on;
        if !cfg.rows.contains(&true) {
            self.log.push("Ignored: keep at least one row shown.".to_string());
            return;
        }
        self.apply(cfg, format!("{} {}.", ROWS[r].1, if on { "shown" } else { "hidden" }));
    }
}

fn parse_rows(text: &str) -> Result<[bool; 4], ParamError> {
    let mut rows = [false; 4];
    for part in text.split(',').map(str::trim) {
        match ROWS.iter().position(|r| r.0 == part) {
            Some(r) if !rows[r] => rows[r] = true,
            _ => {
                let shown: String = part.chars().take(24).collect();
                return Err(ParamError::new("rows", format!("expected a comma-separated list of ttl, floor, jvm, pool, each once; got `{shown}`")));
            }
        }
    }
    Ok(rows)
}

impl Widget for DnsTtl {
    const NAME: &'static str = "dnsttl";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        let mut known = vec!["event", "region", "lowered", "rows"];
        known.extend(FIELDS.iter().map(|f| f.key));
        p.only(&known)?;
        let mut v = [0.0; NF];
        for (i, f) in FIELDS.iter().enumerate() {
            v[i] = if i == LIFE && p.get(f.key) == Some("never") { 0.0 } else { f.read(p)? };
        }
        let cfg = Config {
            v,
            change: p.choice("event", "failure", &["failure", "change"])? == "change",
            dead: p.choice("region", "degraded", &["degraded", "dead"])? == "dead",
            lowered: p.bool_or("lowered", false)?,
            rows: parse_rows(p.get("rows").unwrap_or("ttl,floor,jvm,pool"))?,
        };
        Ok(DnsTtl::new(cfg))
    }

    fn to_params(&self) -> Params {
        let c = &self.cfg;
        let mut p = Params::new();
        for (i, f) in FIELDS.iter().enumerate() {
            if i == LIFE && c.v[i] == 0.0 {
                p.set(f.key, "never");
            } else {
                p.set(f.key, plain(c.v[i]));
            }
        }
        let rows: Vec<&str> = (0..4).filter(|r| c.rows[*r]).map(|r| ROWS[r].0).collect();
        p.set("event", if c.change { "change" } else { "failure" })
            .set("region", if c.dead { "dead" } else { "degraded" })
            .set("lowered", c.lowered)
            .set("rows", rows.join(","));
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let mut cfg = self.cfg.clone();
        let what = match (event, value) {
            ("event", "failure") => {
                cfg.change = false;
                "Event: a region fails at t = 0."
            }
            ("event", "change") => {
                cfg.change = true;
                "Event: a planned record change at t = 0."
            }
            ("region", "degraded") => {
                cfg.dead = false;
                "The failed region still accepts connections (degraded)."
            }
            ("region", "dead") => {
                cfg.dead = true;
                "The failed region refuses connections (dead)."
            }
            ("lowered", "true") => {
                cfg.lowered = true;
                "TTL lowered one old TTL ahead of the change."
            }
            ("lowered", "false") => {
                cfg.lowered = false;
                "TTL changed only at the moment of the change."
            }
            ("reseed", _) => {
                cfg.v[SEED] = ((cfg.v[SEED] as u64 * 48_271 + 11) % 999_983) as f64;
                "New seed: other random cache ages."
            }
            ("reset", _) => {
                let Ok(fresh) = DnsTtl::from_params(&Params::new()) else { return };
                cfg = fresh.cfg;
                "Back to the page's exercise."
            }
            ("set", v) => return self.set(v),
            ("row", v) => return self.toggle_row(v),
            _ => return,
        };
        self.apply(cfg, what.to_string());
    }

    fn view(&self) -> String {
        view::view(self)
    }
}

widget_core::export_widget!(crate::DnsTtl);
