//! Journey of a request: one HTTPS page load from a browser, step by step, drawn as a waterfall
//! on a millisecond axis with the time to first byte and to last byte. Every step is priced in
//! round trips (RTT) to whoever answers it; bandwidth, packet loss and rendering are ignored.
//!
//! - DNS: browser or OS cache = 0; resolver cache hit = 1 × resolver RTT; resolver miss =
//!   resolver RTT + the resolver's round trips to a root, a TLD and the authoritative server.
//! - TCP handshake: 1 × RTT to the endpoint (the origin, or the CDN edge when going through it);
//!   0 on a reused connection.
//! - TLS: 1.3 = 1 × RTT, 1.2 = 2 × RTT; 0 on a reused connection.
//! - HTTP request: 1 × RTT to the endpoint, plus what the endpoint waits for:
//!   - direct: origin time = load balancer hop + application code + app cache lookup
//!     (+ database query on an app cache miss);
//!   - edge cache hit: 0 (answered at the edge);
//!   - edge miss or uncacheable: edge↔origin RTT on the edge's warm connection + origin time.
//! - time to first byte (TTFB) = DNS + TCP + TLS + RTT + that wait.
//! - Response: TCP slow start. The first flight is the initial window, 10 segments of 1,460 B
//!   = 14,600 B (RFC 6928); each further flight doubles the window and costs one more RTT on the
//!   user's leg. Flights n = the least n with 14,600 × (2ⁿ − 1) ≥ size. A reused connection
//!   whose window is already open sends everything in one flight.
//!   time to last byte = TTFB + (n − 1) × RTT.
//!
//! The defaults are the page's exercise: a Sydney user, a North Virginia origin 200 ms away, a
//! resolver and an edge 10 ms away, a 50 ms answer (0.5 ms load balancer hop + 49 ms code +
//! 0.5 ms cache hit), 40 KB of HTML: first byte 660 ms, last byte 860 ms.

use widget_core::field::{position, Field};
use widget_core::format::{number, short};
use widget_core::{Log, Markup, ParamError, Params, Widget};

mod view;
#[cfg(test)]
mod tests;

/// TCP's initial window, bytes: 10 segments of 1,460 B (RFC 6928).
pub const INITIAL_WINDOW: f64 = 14_600.0;

pub const FIELDS: [Field; 12] = [
    Field::num("rtt", "User ↔ origin round trip", "ms", 200.0, 0.0, 2_000.0),
    Field::num("resolver_rtt", "User ↔ DNS resolver round trip", "ms", 10.0, 0.0, 1_000.0),
    Field::num("root_rtt", "Resolver ↔ root server (on a miss)", "ms", 20.0, 0.0, 1_000.0),
    Field::num("tld_rtt", "Resolver ↔ TLD server (on a miss)", "ms", 20.0, 0.0, 1_000.0),
    Field::num("auth_rtt", "Resolver ↔ authoritative server (on a miss)", "ms", 20.0, 0.0, 1_000.0),
    Field::num("edge_rtt", "User ↔ CDN edge round trip", "ms", 10.0, 0.0, 1_000.0),
    Field::num("edge_origin_rtt", "Edge ↔ origin round trip", "ms", 200.0, 0.0, 2_000.0),
    Field::num("lb_ms", "Load balancer → app hop", "ms", 0.5, 0.0, 1_000.0),
    Field::num("app_ms", "Application code", "ms", 49.0, 0.0, 10_000.0),
    Field::num("cache_ms", "App cache lookup", "ms", 0.5, 0.0, 1_000.0),
    Field::num("db_ms", "Database query (app cache miss)", "ms", 10.0, 0.0, 10_000.0),
    Field::num("size_kb", "Response size (1 KB = 1,000 B)", "KB", 40.0, 0.1, 100_000.0),
];
pub const RTT: usize = 0;
pub const RESOLVER: usize = 1;
pub const ROOT: usize = 2;
pub const TLD: usize = 3;
pub const AUTH: usize = 4;
pub const EDGE_RTT: usize = 5;
pub const EDGE_ORIGIN: usize = 6;
pub const LB: usize = 7;
pub const APP: usize = 8;
pub const CACHE: usize = 9;
pub const DB: usize = 10;
pub const SIZE: usize = 11;

/// A select: parameter and event name, label, (value, label) options, default.
pub struct Choice {
    pub key: &'static str,
    pub label: &'static str,
    pub options: &'static [(&'static str, &'static str)],
    pub default: &'static str,
}

pub const CHOICES: [Choice; 7] = [
    Choice { key: "dns", label: "DNS", options: &[("browser", "cached in browser/OS"), ("resolver", "resolver cache hit"), ("miss", "resolver miss")], default: "resolver" },
    Choice { key: "connection", label: "Connection", options: &[("new", "new"), ("reused", "reused")], default: "new" },
    Choice { key: "tls", label: "TLS", options: &[("1.3", "1.3"), ("1.2", "1.2")], default: "1.3" },
    Choice { key: "window", label: "Window if reused", options: &[("open", "already open"), ("fresh", "back to 10 segments")], default: "open" },
    Choice { key: "path", label: "Path", options: &[("direct", "straight to the origin"), ("edge", "via a CDN edge")], default: "direct" },
    Choice { key: "edge_cache", label: "Edge cache", options: &[("miss", "miss or uncacheable"), ("hit", "hit")], default: "miss" },
    Choice { key: "app_cache", label: "App cache", options: &[("hit", "hit"), ("miss", "miss (ask the database)")], default: "hit" },
];
pub const DNS: usize = 0;
pub const CONN: usize = 1;
pub const TLS: usize = 2;
pub const WINDOW: usize = 3;
pub const PATH: usize = 4;
pub const EDGE: usize = 5;
pub const APPC: usize = 6;

/// Round trips of the near and far presets: user ↔ origin and edge ↔ origin, ms. Far is the
/// page's exercise (Sydney to North Virginia, 200 ms); near is a New York user, 350 km away:
/// 3.5 ms of fibre, about 7.4 ms with the 2.1× route stretch, rounded up to 8 ms.
pub const NEAR_RTT: f64 = 8.0;
pub const FAR_RTT: f64 = 200.0;

/// Where a step's time goes, for the colour of its bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dns,
    User,
    Backbone,
    Work,
    Transfer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub name: &'static str,
    pub start: f64,
    /// The step's own time, ms. For a round trip with work in the middle, the network part.
    pub ms: f64,
    /// Time spent further along while this round trip is open (drawn as a gap in its bar).
    pub gap: f64,
    pub formula: String,
    pub kind: Kind,
}

impl Step {
    pub fn end(&self) -> f64 {
        self.start + self.ms + self.gap
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub ttfb: f64,
    pub ttlb: f64,
    pub flights: u32,
    /// RTT of the user's leg (to the edge or the origin) and who is at its end.
    pub leg: f64,
    pub host: &'static str,
    /// Round trips on the user's leg before the first byte (handshakes and the request).
    pub trips: u32,
    /// Time spent working in the origin's data centre (0 on an edge hit).
    pub work: f64,
}

/// Flights of a fresh slow start to send `bytes`: the least n with 14,600 × (2ⁿ − 1) ≥ bytes.
pub fn flights(bytes: f64) -> u32 {
    let (mut n, mut window, mut sent) = (1, INITIAL_WINDOW, INITIAL_WINDOW);
    while sent < bytes && n < 64 {
        window *= 2.0;
        sent += window;
        n += 1;
    }
    n
}

/// Milliseconds as shown: `660 ms`, `1,060 ms`, `0.5 ms`.
pub fn ms(x: f64) -> String {
    format!("{} ms", short(x, 2))
}

pub use widget_core::format::plain;

#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    pub v: [f64; 12],
    pub c: [&'static str; 7],
    log: Log,
}

impl Journey {
    fn is(&self, i: usize, value: &str) -> bool {
        self.c[i] == value
    }

    pub fn is_cold(&self) -> bool {
        self.is(DNS, "resolver") && self.is(CONN, "new")
    }

    pub fn is_warm(&self) -> bool {
        self.is(DNS, "browser") && self.is(CONN, "reused") && self.is(WINDOW, "open") && self.is(APPC, "hit")
    }

    /// Time at the origin: load balancer hop + code + cache lookup (+ database on a miss).
    pub fn origin_ms(&self) -> f64 {
        let v = &self.v;
        v[LB] + v[APP] + v[CACHE] + if self.is(APPC, "miss") { v[DB] } else { 0.0 }
    }

    pub fn plan(&self) -> Plan {
        let v = &self.v;
        let edge = self.is(PATH, "edge");
        let edge_hit = edge && self.is(EDGE, "hit");
        let reused = self.is(CONN, "reused");
        let (leg, host) = if edge { (v[EDGE_RTT], "edge") } else { (v[RTT], "origin") };
        let mut steps = vec![];
        let mut step = |name, start, ms, gap, formula, kind| steps.push(Step { name, start, ms, gap, formula, kind });

        let (dns, f) = match self.c[DNS] {
            "browser" => (0.0, "DNS: answer cached in the browser or OS = 0 ms".to_string()),
            "resolver" => (v[RESOLVER], format!("DNS: resolver cache hit, 1 × {} RTT to the resolver = {}", ms(v[RESOLVER]), ms(v[RESOLVER]))),
            _ => {
                let d = v[RESOLVER] + v[ROOT] + v[TLD] + v[AUTH];
                (d, format!(
                    "DNS: resolver miss, {} to the resolver + the resolver's round trips to root {} + TLD {} + authoritative {} = {}",
                    ms(v[RESOLVER]), ms(v[ROOT]), ms(v[TLD]), ms(v[AUTH]), ms(d)
                ))
            }
        };
        step("DNS lookup", 0.0, dns, 0.0, f, Kind::Dns);
        let mut t = dns;

        let (tcp, f) = if reused {
            (0.0, "TCP: connection reused, no handshake = 0 ms".to_string())
        } else {
            (leg, format!("TCP: 1 × {} RTT (SYN, SYN-ACK with the {host}) = {}", ms(leg), ms(leg)))
        };
        step("TCP handshake", t, tcp, 0.0, f, Kind::User);
        t += tcp;

        let version = self.c[TLS];
        let rounds: u32 = if reused { 0 } else if version == "1.2" { 2 } else { 1 };
        let tls = f64::from(rounds) * leg;
        let f = if reused {
            "TLS: keys already agreed on the reused connection = 0 ms".to_string()
        } else {
            format!("TLS {version}: {rounds} × {} RTT = {}", ms(leg), ms(tls))
        };
        step(if version == "1.2" { "TLS 1.2 handshake" } else { "TLS 1.3 handshake" }, t, tls, 0.0, f, Kind::User);
        t += tls;

        let origin = self.origin_ms();
        let work = if edge_hit { 0.0 } else { origin };
        let wait = if !edge { origin } else if edge_hit { 0.0 } else { v[EDGE_ORIGIN] + origin };
        step("HTTP request", t, leg, wait, format!(
            "Request: GET / there and the first bytes back, 1 × {} RTT to the {host} = {}, around {} waiting at the {host}",
            ms(leg), ms(leg), ms(wait)
        ), Kind::User);
        let mut s = t + leg / 2.0;
        if edge_hit {
            step("Edge cache hit", s, 0.0, 0.0, "Edge: cache hit, answered at the edge, no trip to the origin = 0 ms".to_string(), Kind::Work);
        } else {
            if edge {
                let eo = v[EDGE_ORIGIN];
                step("Edge → origin", s, eo, origin, format!(
                    "Edge: miss or uncacheable, 1 × {} RTT to the origin on the edge's warm connection (no handshakes) = {}, around {} at the origin",
                    ms(eo), ms(eo), ms(origin)
                ), Kind::Backbone);
                s += eo / 2.0;
            }
            let miss = self.is(APPC, "miss");
            let inside = [
                ("Load balancer → app", v[LB], format!("Load balancer: forwards over a pooled connection inside the data centre = {}", ms(v[LB]))),
                ("Application code", v[APP], format!("Application: its own work = {}", ms(v[APP]))),
                ("App cache lookup", v[CACHE], format!("App cache: {} lookup = {}", if miss { "a missed" } else { "a hit," }, ms(v[CACHE]))),
            ];
            for (name, d, f) in inside {
                step(name, s, d, 0.0, f, Kind::Work);
                s += d;
            }
            if miss {
                step("Database query", s, v[DB], 0.0, format!("Database: the cache missed, so query the database = {}", ms(v[DB])), Kind::Work);
            }
        }
        let ttfb = t + leg + wait;

        let open = reused && self.is(WINDOW, "open");
        let bytes = v[SIZE] * 1_000.0;
        let n = if open { 1 } else { flights(bytes) };
        let extra = f64::from(n - 1) * leg;
        let f = if open {
            format!("Response: the window is already open, so all {} B come in the first flight = 0 ms more", number(bytes, 0))
        } else {
            let mut sent = vec![];
            let (mut w, mut total) = (INITIAL_WINDOW, 0.0);
            for _ in 0..n {
                total += w;
                w *= 2.0;
                sent.push(number(total, 0));
            }
            format!(
                "Response: {} B in flights of 14,600 × 2ᵏ B (cumulative {} B) = {n} flight{}; {} more × {} RTT = {}",
                number(bytes, 0), sent.join(", "), if n == 1 { "" } else { "s" }, n - 1, ms(leg), ms(extra)
            )
        };
        step("Rest of the response", ttfb, extra, 0.0, f, Kind::Transfer);
        let trips = if reused { 1 } else { 2 + rounds };
        Plan { steps, ttfb, ttlb: ttfb + extra, flights: n, leg, host, trips, work }
    }

    /// Apply a change, then log it with its effect on the first and last byte.
    fn change(&mut self, what: String, apply: impl FnOnce(&mut Journey)) {
        let before = self.plan();
        let old = self.clone();
        apply(self);
        if *self == old {
            return;
        }
        let after = self.plan();
        self.log.push(format!(
            "{what} First byte {} → {}, last byte {} → {}.",
            ms(before.ttfb), ms(after.ttfb), ms(before.ttlb), ms(after.ttlb)
        ));
    }

    fn preset(&mut self, which: &str) {
        match which {
            "cold" => self.change("Cold: name cached only at the resolver, new connection.".into(), |w| {
                w.c[DNS] = "resolver";
                w.c[CONN] = "new";
            }),
            "warm" => self.change("Warm: name cached, connection reused, window open, app cache hit.".into(), |w| {
                w.c[DNS] = "browser";
                w.c[CONN] = "reused";
                w.c[WINDOW] = "open";
                w.c[APPC] = "hit";
            }),
            "near" => self.change(format!("Near user (New York): {} round trips to the origin.", ms(NEAR_RTT)), |w| {
                w.v[RTT] = NEAR_RTT;
                w.v[EDGE_ORIGIN] = NEAR_RTT;
            }),
            "far" => self.change(format!("Far user (Sydney): {} round trips to the origin.", ms(FAR_RTT)), |w| {
                w.v[RTT] = FAR_RTT;
                w.v[EDGE_ORIGIN] = FAR_RTT;
            }),
            _ => {}
        }
    }

    fn set(&mut self, value: &str) {
        let Some((key, raw)) = value.split_once('|') else { return };
        let Some(i) = position(&FIELDS, key) else { return };
        let f = &FIELDS[i];
        match f.parse(raw) {
            Ok(x) => self.change(format!("{}: {} → {}.", f.label, ms_or(self.v[i], f.unit), ms_or(x, f.unit)), |w| w.v[i] = x),
            Err(e) => {
                let (first, rest) = f.label.split_at(1);
                self.log.push(format!("Ignored {}{rest}: {e}.", first.to_ascii_lowercase()));
            }
        }
    }

    fn choose(&mut self, i: usize, value: &str) {
        let ch = &CHOICES[i];
        if let Some(&(val, label)) = ch.options.iter().find(|o| o.0 == value) {
            self.change(format!("{}: {label}.", ch.label), |w| w.c[i] = val);
        }
    }
}

/// A value with its unit: `200 ms`, `40 KB`.
fn ms_or(x: f64, unit: &str) -> String {
    format!("{} {unit}", short(x, 2))
}

impl Widget for Journey {
    const NAME: &'static str = "journey";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        let mut known: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
        known.extend(CHOICES.iter().map(|c| c.key));
        p.only(&known)?;
        let mut v = [0.0; 12];
        for (i, f) in FIELDS.iter().enumerate() {
            v[i] = f.read(p)?;
        }
        let mut c = [""; 7];
        for (i, ch) in CHOICES.iter().enumerate() {
            let values: Vec<&'static str> = ch.options.iter().map(|o| o.0).collect();
            c[i] = p.choice(ch.key, ch.default, &values)?;
        }
        Ok(Journey { v, c, log: Log::default() })
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        for (f, x) in FIELDS.iter().zip(self.v) {
            p.set(f.key, plain(x));
        }
        for (ch, val) in CHOICES.iter().zip(self.c) {
            p.set(ch.key, val);
        }
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        match event {
            "preset" => self.preset(value),
            "set" => self.set(value),
            _ => {
                if let Some(i) = CHOICES.iter().position(|c| c.key == event) {
                    self.choose(i, value);
                }
            }
        }
    }

    fn view(&self) -> String {
        view::view(self, &self.log)
    }
}

widget_core::export_widget!(crate::Journey);
