//! The simulation: seeded Poisson arrivals over the run, each to a uniformly chosen edge PoP and
//! a Zipf-chosen object, through per-PoP LRU caches with a TTL, an optional shield and the
//! origin (or CDN storage for pushed objects), with the content update applied at its time.
//! Both shield variants replay the same seeded requests.

use widget_core::rng::Rng;
use widget_core::sim::Sim;

/// Most requests a run simulates; above `rate × duration` the run samples 1 in k requests.
pub const BUDGET: f64 = 20_000.0;
/// Hard stop on arrivals (a Poisson count around [`BUDGET`] stays far below it).
pub const MAX_ARRIVALS: usize = 24_000;
/// Chart bins over the run.
pub const BINS: usize = 60;
/// Width of the windows before and after the update compared in the results, seconds.
pub const WINDOW_S: f64 = 60.0;

/// What happens at the content update.
pub const INVALS: [(&str, &str); 4] = [
    ("ttl", "wait for the TTL"),
    ("purge", "purge the changed objects"),
    ("purge-all", "purge everything"),
    ("versioned", "versioned URLs (new names)"),
];
pub const TTL_WAIT: usize = 0;
pub const PURGE: usize = 1;
pub const PURGE_ALL: usize = 2;
pub const VERSIONED: usize = 3;

/// The run's setup, in the units of the inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    pub rate: f64,
    pub pops: u32,
    pub objects: u32,
    pub zipf: f64,
    pub cache: u32,
    pub shield_cache: u32,
    /// Caches start in steady state (the most popular objects) rather than empty.
    pub warm: bool,
    pub ttl: f64,
    pub duration: f64,
    pub update_at: f64,
    pub changed: u32,
    pub push: bool,
    pub push_top: u32,
    pub inval: usize,
    pub rtt_edge_ms: f64,
    pub rtt_origin_ms: f64,
    pub origin_ms: f64,
    pub seed: u64,
}

impl Setup {
    /// Whether the update happens inside the run.
    pub fn has_update(&self) -> bool {
        self.changed > 0 && self.update_at < self.duration
    }
}

/// i^−s, through exp and ln (a separate `powf` would add 2 KB to the WebAssembly).
fn rank_weight(i: u32, s: f64) -> f64 {
    (-s * f64::from(i).ln()).exp()
}

/// Generalised harmonic number H(n, s) = Σ_{i=1..n} i^−s.
pub fn harmonic(n: u32, s: f64) -> f64 {
    (1..=n).map(|i| rank_weight(i, s)).sum()
}

/// Cumulative Zipf probabilities: object o (0-based, most popular first) has p = (o+1)^−s / H(N, s).
pub fn zipf_cdf(n: u32, s: f64) -> Vec<f64> {
    let mut acc = 0.0;
    let mut cdf: Vec<f64> = (1..=n)
        .map(|i| {
            acc += rank_weight(i, s);
            acc
        })
        .collect();
    for x in &mut cdf {
        *x /= acc;
    }
    cdf
}

/// What the simulated requests did, as counted (the sample).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub requests: u32,
    pub edge_hits: u32,
    /// Edge misses answered by CDN storage (pushed objects).
    pub storage: u32,
    /// Edge misses sent to the shield, and those it answered.
    pub shield_req: u32,
    pub shield_hits: u32,
    /// Requests that reached the origin.
    pub origin: u32,
    /// Responses served with content older than the current version.
    pub stale: u32,
}

/// The same at the real rate: each simulated request stands for k real ones; each miss for as
/// many real misses as it represents (see [`Weights`]), at the time a real one would happen.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub requests: f64,
    /// Edge misses, of which `storage` went to CDN storage; the rest went on to the shield (if
    /// any) or the origin.
    pub misses: f64,
    pub storage: f64,
    pub origin: f64,
    pub stale: f64,
}

// `max(..).min(..)` rather than `clamp`: clamp's panic message formats floats, which would add
// about 20 KB of float formatting to the WebAssembly.
#[allow(clippy::manual_clamp)]
impl Counts {
    /// Edge hit ratio h₁, kept within 0 to 1 (weighted estimates can overshoot in a short bin).
    pub fn edge_hit_ratio(&self) -> f64 {
        if self.requests > 0.0 { (1.0 - self.misses / self.requests).max(0.0).min(1.0) } else { 0.0 }
    }

    /// Edge misses that went towards the origin (to the shield, when there is one).
    pub fn upstream(&self) -> f64 {
        self.misses - self.storage
    }

    /// Shield hit ratio h₂ = shield hits ÷ misses sent to it.
    pub fn shield_hit_ratio(&self) -> f64 {
        if self.upstream() > 0.0 { (1.0 - self.origin / self.upstream()).max(0.0).min(1.0) } else { 0.0 }
    }

    pub fn origin_share(&self) -> f64 {
        if self.requests > 0.0 { self.origin / self.requests } else { 0.0 }
    }

    pub fn stale_share(&self) -> f64 {
        if self.requests > 0.0 { self.stale / self.requests } else { 0.0 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The simulated requests as counted.
    pub raw: Tally,
    /// At the real rate, over the run and before the update.
    pub total: Counts,
    pub pre: Counts,
    pub bins: Vec<Counts>,
    /// Refetches the update caused (first fetches after it): at the edges and at the origin.
    pub refill_edge: f64,
    pub refill_origin: f64,
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u32,
    cache: u32,
    obj: u32,
    name: u8,
    content: u8,
    present: bool,
    /// Dropped by the update's purge and not fetched since.
    purged: bool,
    expires: f64,
    prev: u32,
    next: u32,
}

/// A small open-addressing map from a key to an entry (no removal: an evicted or purged copy is
/// marked absent and reused if the object comes back).
struct Table {
    slots: Vec<u32>,
    shift: u32,
    entries: Vec<Entry>,
}

impl Table {
    fn new(max_entries: usize) -> Table {
        let n = (2 * max_entries + 16).next_power_of_two();
        Table { slots: vec![0; n], shift: 64 - n.trailing_zeros(), entries: Vec::new() }
    }

    fn slot(&self, key: u32) -> (usize, Option<usize>) {
        let mask = self.slots.len() - 1;
        let mut i = ((u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15)) >> self.shift) as usize;
        loop {
            match self.slots[i] {
                0 => return (i, None),
                j if self.entries[j as usize - 1].key == key => return (i, Some(j as usize - 1)),
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn find(&self, key: u32) -> Option<usize> {
        self.slot(key).1
    }

    fn get_or_insert(&mut self, key: u32, cache: u32, obj: u32, name: u8) -> usize {
        match self.slot(key) {
            (_, Some(j)) => j,
            (i, None) => {
                self.entries.push(Entry { key, cache, obj, name, content: 0, present: false, purged: false, expires: 0.0, prev: NONE, next: NONE });
                self.slots[i] = self.entries.len() as u32;
                self.entries.len() - 1
            }
        }
    }
}

/// A uniform number in (0, 1] from a seed, a cache and an object (the age of a warm copy).
fn unit_hash(seed: u64, cache: u32, obj: u32) -> f64 {
    let mut z = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (u64::from(cache) << 32 | u64::from(obj));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64 + 1.0 / (1u64 << 53) as f64
}

/// The LRU caches: every edge PoP (0..E) and the shield (E), their entries in one table and
/// their recency lists threaded through it.
///
/// A warm start fills cache c with the most popular objects it serves, `vbase..vtop[c]`, without
/// storing them: such a "virtual" copy exists while the object has no entry in c; it is older
/// than every copy touched in the run (so evicted first, least popular first), holds the old
/// version and expires at a random point of its first TTL, as copies fetched at random times
/// before the run would.
struct Caches {
    t: Table,
    head: Vec<u32>,
    tail: Vec<u32>,
    size: Vec<u32>,
    cap: Vec<u32>,
    vbase: u32,
    vtop: Vec<u32>,
    vcount: Vec<u32>,
    /// After purging the changed objects: objects below this have no virtual copy.
    holes_below: u32,
    objects: u32,
    seed: u64,
    ttl: f64,
}

impl Caches {
    fn key(&self, c: u32, o: u32, name: u8) -> u32 {
        c * 2 * self.objects + 2 * o + u32::from(name)
    }

    fn is_virtual(&self, c: u32, o: u32, name: u8) -> bool {
        name == 0 && o >= self.vbase && o < self.vtop[c as usize] && o >= self.holes_below && self.t.find(self.key(c, o, 0)).is_none()
    }

    /// What cache c holds of (o, name).
    fn lookup(&self, c: u32, o: u32, name: u8) -> Copy {
        match self.t.find(self.key(c, o, name)) {
            Some(i) => {
                let x = &self.t.entries[i];
                if x.present {
                    Copy::Held { content: x.content, expires: x.expires, idx: Some(i) }
                } else if x.purged {
                    Copy::Purged
                } else {
                    Copy::Evicted
                }
            }
            None if self.is_virtual(c, o, name) => Copy::Held { content: 0, expires: self.ttl * unit_hash(self.seed, c, o), idx: None },
            None => Copy::Never,
        }
    }

    fn unlink(&mut self, i: usize) {
        let Entry { prev, next, cache, .. } = self.t.entries[i];
        let c = cache as usize;
        if prev == NONE { self.head[c] = next } else { self.t.entries[prev as usize].next = next }
        if next == NONE { self.tail[c] = prev } else { self.t.entries[next as usize].prev = prev }
        self.t.entries[i].prev = NONE;
        self.t.entries[i].next = NONE;
        self.t.entries[i].present = false;
        self.size[c] -= 1;
    }

    fn push_front(&mut self, i: usize) {
        let c = self.t.entries[i].cache as usize;
        let old = self.head[c];
        self.t.entries[i].prev = NONE;
        self.t.entries[i].next = old;
        self.t.entries[i].present = true;
        if old == NONE { self.tail[c] = i as u32 } else { self.t.entries[old as usize].prev = i as u32 }
        self.head[c] = i as u32;
        self.size[c] += 1;
    }

    /// Store a copy as the most recently used, evicting the least recently used beyond the size.
    fn store(&mut self, c: u32, o: u32, name: u8, content: u8, expires: f64) {
        if self.cap[c as usize] == 0 {
            return;
        }
        let key = self.key(c, o, name);
        match self.t.find(key) {
            Some(i) if self.t.entries[i].present => self.unlink(i),
            Some(_) => {}
            None if self.is_virtual(c, o, name) => self.vcount[c as usize] -= 1,
            None => {}
        }
        let i = self.t.get_or_insert(key, c, o, name);
        self.t.entries[i].content = content;
        self.t.entries[i].expires = expires;
        self.t.entries[i].purged = false;
        self.push_front(i);
        let cu = c as usize;
        while self.size[cu] + self.vcount[cu] > self.cap[cu] {
            if self.vcount[cu] > 0 {
                // The least popular untouched warm copy goes first.
                loop {
                    self.vtop[cu] -= 1;
                    let v = self.vtop[cu];
                    if v >= self.holes_below && self.t.find(self.key(c, v, 0)).is_none() {
                        self.vcount[cu] -= 1;
                        break;
                    }
                }
            } else {
                let last = self.tail[cu] as usize;
                self.unlink(last);
            }
        }
    }

    /// A hit: the copy becomes the most recently used.
    fn touch(&mut self, c: u32, o: u32, name: u8, idx: Option<usize>) {
        match idx {
            Some(i) => {
                self.unlink(i);
                self.push_front(i);
            }
            None => {
                let expires = self.ttl * unit_hash(self.seed, c, o);
                self.store(c, o, name, 0, expires);
            }
        }
    }

    /// Drop every copy (purge everything).
    fn purge_all(&mut self) {
        for x in &mut self.t.entries {
            (x.purged, x.present, x.prev, x.next) = (x.present, false, NONE, NONE);
        }
        for c in 0..self.cap.len() {
            (self.head[c], self.tail[c], self.size[c]) = (NONE, NONE, 0);
            (self.vtop[c], self.vcount[c]) = (self.vbase, 0);
        }
    }

    /// Drop every copy of the objects below `m` (their old names).
    fn purge_below(&mut self, m: u32) {
        // Warm copies of those objects vanish: count them per cache before marking them gone.
        let mut touched = vec![0u32; self.cap.len()];
        for x in &self.t.entries {
            if x.name == 0 && x.obj >= self.vbase && x.obj < m.min(self.vtop[x.cache as usize]) {
                touched[x.cache as usize] += 1;
            }
        }
        for (c, n) in touched.into_iter().enumerate() {
            let range = m.min(self.vtop[c]).saturating_sub(self.vbase);
            self.vcount[c] -= range - n;
        }
        self.holes_below = self.holes_below.max(m);
        for i in 0..self.t.entries.len() {
            let x = self.t.entries[i];
            if x.present && x.name == 0 && x.obj < m {
                self.unlink(i);
                self.t.entries[i].purged = true;
            }
        }
    }
}

/// What a cache holds of an object.
enum Copy {
    Held { content: u8, expires: f64, idx: Option<usize> },
    /// Dropped by the purge.
    Purged,
    /// Pushed out by the LRU.
    Evicted,
    /// Not held since the run started (and not part of a warm start).
    Never,
}

/// Why a copy was missing.
#[derive(Clone, Copy)]
pub enum Kind {
    /// The first fetch since an event at this time (a cold start, a purge, a new name).
    First(f64),
    /// The copy expired at this time.
    Expired(f64),
    /// The LRU pushed it out (or it was out before a warm start).
    Evicted,
}

/// How many real misses one simulated miss stands for, and when the first real one happens.
///
/// Sampling 1 in k requests leaves each object's requests k times sparser. An LRU cache's
/// contents depend only on the order of requests, so an eviction miss stands for k real ones.
/// A refetch after an event happens once per cache whatever the rate: a real cache asking for
/// an object at rate r fetches it first after Exp(r), the sample after Exp(r ÷ k); within the
/// W seconds left, the sampled first fetch stands for (1 − e^(−rW)) ÷ (1 − e^(−rW/k)) real ones
/// (1 for a popular object, k for a rare one) and is moved to the matching quantile of Exp(r).
/// A refresh after expiry: one per cycle of TTL + 1/r in reality against TTL + k/r in the
/// sample, so it stands for (TTL + k/r) ÷ (TTL + 1/r), moved k times closer to the expiry.
pub struct Weights {
    pub k: f64,
    pub ttl: f64,
    pub duration: f64,
}

/// 1 − e^(−x), precise for small x too (without `exp_m1`, which would add 1 KB).
fn one_minus_exp(x: f64) -> f64 {
    if x < 1e-4 { x * (1.0 - x / 2.0 * (1.0 - x / 3.0)) } else { 1.0 - (-x).exp() }
}

#[allow(clippy::manual_clamp)]
impl Weights {
    /// Real misses a simulated one stands for, as (count, time) parts: the first real one where
    /// it would happen, the rest (refreshes standing for several cycles) spread up to `t`.
    pub fn weigh(&self, kind: Kind, r: f64, t: f64) -> [(f64, f64); 2] {
        let k = self.k;
        match kind {
            Kind::Evicted => [(k, t), (0.0, t)],
            Kind::Expired(x) => {
                let w = (self.ttl + k / r) / (self.ttl + 1.0 / r);
                let first = x + (t - x) / k;
                [(w.min(1.0), first), ((w - 1.0).max(0.0), (first + t) / 2.0)]
            }
            Kind::First(t0) => {
                let left = self.duration - t0;
                let real = one_minus_exp(r * left);
                let sampled = one_minus_exp(r / k * left);
                if sampled <= 0.0 || real <= 0.0 {
                    return [(k, t), (0.0, t)];
                }
                // The quantile of the sample's first-fetch time x under Exp(r/k) truncated to W,
                // mapped to Exp(r) truncated to W: 1 − F = e^(−x') solved stably as
                // (e^(−ax)(1 − e^(−a(W−x))) + e^(−rW)(1 − e^(−ax))) ÷ (1 − e^(−aW)).
                let (a, x) = (r / k, t - t0);
                let rest = (-a * x).exp() * one_minus_exp(a * (left - x)) + (-r * left).exp() * one_minus_exp(a * x);
                let real_x = if rest > 0.0 { ((sampled.ln() - rest.ln()) / r).max(0.0).min(x) } else { x };
                [(real / sampled, t0 + real_x), (0.0, t)]
            }
        }
    }
}

struct State<'a> {
    s: &'a Setup,
    shield: bool,
    caches: Caches,
    push: Table,
    updated: bool,
    weights: Weights,
    /// Popularity of each object (Zipf probabilities).
    pmf: Vec<f64>,
    run: Run,
}

/// Which quantity a weighted event adds to.
#[derive(Clone, Copy)]
enum Add {
    Miss,
    Storage,
    Origin,
}

impl State<'_> {
    /// Current content version of object `o`: 1 once the update changed it.
    fn version(&self, o: u32) -> u8 {
        u8::from(self.updated && o < self.s.changed)
    }

    /// Whether the update's purge dropped the pushed copies of `o` under its first name.
    fn push_purged(&self, o: u32) -> bool {
        self.updated && (self.s.inval == PURGE_ALL || (self.s.inval == PURGE && o < self.s.changed))
    }

    /// Why cache c (`None`: a PoP's push store, which keeps everything) lacks (o, name). Only
    /// an object among the cache's most popular (as many as it holds) counts as fetched once
    /// after a purge, a new name or a cold start: a real cache would keep it; any other object
    /// misses again and again, as it did before.
    fn kind(&self, c: Option<u32>, copy: &Copy, o: u32, name: u8) -> Kind {
        let s = self.s;
        let kept = s.ttl > 0.0 && c.is_none_or(|c| o < self.caches.vbase + self.caches.cap[c as usize]);
        match copy {
            Copy::Held { expires, .. } => Kind::Expired(*expires),
            _ if !kept => Kind::Evicted,
            Copy::Purged => Kind::First(s.update_at),
            Copy::Evicted => Kind::Evicted,
            Copy::Never if self.updated && (name == 1 || s.inval == PURGE_ALL || (s.inval == PURGE && o < s.changed)) => Kind::First(s.update_at),
            Copy::Never if !s.warm => Kind::First(0.0),
            Copy::Never => Kind::Evicted,
        }
    }

    /// Weigh a miss of this kind for an object asked for at rate r, and add it.
    fn miss(&mut self, what: &[Add], kind: Kind, r: f64, t: f64) {
        let parts = self.weights.weigh(kind, r, t);
        for a in what {
            for (w, at) in parts {
                self.add(*a, w, at);
            }
            if matches!(kind, Kind::First(t0) if t0 == self.s.update_at && self.updated) {
                match a {
                    Add::Miss => self.run.refill_edge += parts[0].0,
                    Add::Origin => self.run.refill_origin += parts[0].0,
                    Add::Storage => {}
                }
            }
        }
    }

    fn add(&mut self, what: Add, w: f64, t: f64) {
        let s = self.s;
        let bin = ((t / s.duration * BINS as f64).max(0.0) as usize).min(BINS - 1);
        let pre = s.has_update() && t < s.update_at;
        for c in [Some(&mut self.run.total), Some(&mut self.run.bins[bin]), pre.then_some(&mut self.run.pre)].into_iter().flatten() {
            match what {
                Add::Miss => c.misses += w,
                Add::Storage => c.storage += w,
                Add::Origin => c.origin += w,
            }
        }
    }

    fn request(&mut self, t: f64, e: u32, o: u32) {
        let s = self.s;
        let cv = self.version(o);
        let name = u8::from(s.inval == VERSIONED && cv == 1);
        let r_edge = s.rate * self.pmf[o as usize] / f64::from(s.pops);
        let mut c = Tally { requests: 1, ..Tally::default() };
        let served;
        if s.push && o < s.push_top {
            // A pushed object: a copy placed at every PoP ahead of time (before the run, or at
            // the update for a new name), kept beside the pull cache and refreshed from CDN
            // storage when it expires or is purged.
            let key = e * 2 * s.objects + 2 * o + u32::from(name);
            let copy = match self.push.find(key) {
                Some(i) => {
                    let x = self.push.entries[i];
                    if x.present { Copy::Held { content: x.content, expires: x.expires, idx: Some(i) } } else { Copy::Purged }
                }
                None if name == 1 => Copy::Held { content: 1, expires: s.update_at + s.ttl, idx: None },
                None if self.push_purged(o) => Copy::Purged,
                None => Copy::Held { content: 0, expires: s.ttl, idx: None },
            };
            match copy {
                Copy::Held { content, expires, .. } if expires > t => {
                    c.edge_hits = 1;
                    served = content;
                }
                _ => {
                    c.storage = 1;
                    served = cv;
                    self.miss(&[Add::Miss, Add::Storage], self.kind(None, &copy, o, name), r_edge, t);
                    let i = self.push.get_or_insert(key, e, o, name);
                    let x = &mut self.push.entries[i];
                    (x.present, x.content, x.expires) = (true, cv, t + s.ttl);
                }
            }
        } else {
            let copy = self.caches.lookup(e, o, name);
            match copy {
                Copy::Held { content, expires, idx } if expires > t => {
                    c.edge_hits = 1;
                    served = content;
                    self.caches.touch(e, o, name, idx);
                }
                _ => {
                    let edge_kind = self.kind(Some(e), &copy, o, name);
                    self.miss(&[Add::Miss], edge_kind, r_edge, t);
                    // Fetch from the shield or the origin. A copy from the shield keeps the
                    // shield's expiry (its age counts against the TTL, as with HTTP's Age).
                    let sh = s.pops;
                    let (content, expires) = if self.shield {
                        c.shield_req = 1;
                        let copy = self.caches.lookup(sh, o, name);
                        match copy {
                            Copy::Held { content, expires, idx } if expires > t => {
                                c.shield_hits = 1;
                                self.caches.touch(sh, o, name, idx);
                                (content, expires)
                            }
                            _ => {
                                c.origin = 1;
                                self.miss(&[Add::Origin], self.kind(Some(sh), &copy, o, name), s.rate * self.pmf[o as usize], t);
                                self.caches.store(sh, o, name, cv, t + s.ttl);
                                (cv, t + s.ttl)
                            }
                        }
                    } else {
                        c.origin = 1;
                        self.miss(&[Add::Origin], edge_kind, r_edge, t);
                        (cv, t + s.ttl)
                    };
                    served = content;
                    self.caches.store(e, o, name, content, expires);
                }
            }
        }
        c.stale = u32::from(served < cv);
        let raw = &mut self.run.raw;
        raw.requests += c.requests;
        raw.edge_hits += c.edge_hits;
        raw.storage += c.storage;
        raw.shield_req += c.shield_req;
        raw.shield_hits += c.shield_hits;
        raw.origin += c.origin;
        raw.stale += c.stale;
        let (k, bin) = (self.weights.k, ((t / s.duration * BINS as f64) as usize).min(BINS - 1));
        let pre = s.has_update() && t < s.update_at;
        for x in [Some(&mut self.run.total), Some(&mut self.run.bins[bin]), pre.then_some(&mut self.run.pre)].into_iter().flatten() {
            x.requests += k;
            x.stale += k * f64::from(c.stale);
        }
    }

    /// The content update: the changed objects get a new version (and, with versioned URLs, a
    /// new name); a purge drops copies everywhere.
    fn update(&mut self) {
        self.updated = true;
        match self.s.inval {
            PURGE_ALL => self.caches.purge_all(),
            PURGE => self.caches.purge_below(self.s.changed),
            _ => {}
        }
        for i in 0..self.push.entries.len() {
            let x = self.push.entries[i];
            if x.name == 0 && self.push_purged(x.obj) {
                self.push.entries[i].present = false;
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Ev {
    Arrive(usize),
    Update,
}

/// Requests a run simulates on average: every request, or [`BUDGET`] of them.
pub fn sampled(s: &Setup) -> f64 {
    (s.rate * s.duration).min(BUDGET)
}

/// Real requests each simulated one stands for (1 when every request is simulated).
pub fn scale(s: &Setup) -> f64 {
    s.rate * s.duration / sampled(s)
}

/// One simulated request: when, at which PoP, for which object (0 = most popular).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrival {
    pub at: f64,
    pub pop: u32,
    pub obj: u32,
}

/// The seeded requests: a Poisson stream of [`sampled`] requests on average over the run, each
/// to a uniformly chosen PoP and a Zipf-chosen object.
pub fn arrivals(s: &Setup, cdf: &[f64]) -> Vec<Arrival> {
    let mean_gap = s.duration / sampled(s);
    let mut rng = Rng::new(s.seed);
    let mut out = Vec::with_capacity(sampled(s) as usize + 512);
    let mut t = rng.exponential(mean_gap);
    while t < s.duration && out.len() < MAX_ARRIVALS {
        let pop = rng.below(u64::from(s.pops)) as u32;
        let u = rng.next_f64();
        let obj = cdf.partition_point(|p| *p <= u).min(cdf.len() - 1) as u32;
        out.push(Arrival { at: t, pop, obj });
        t += rng.exponential(mean_gap);
    }
    out
}

/// One run over the requests, with or without the shield, on the shared discrete-event engine
/// (the arrivals and the update are its events).
pub fn simulate(s: &Setup, cdf: &[f64], arr: &[Arrival], shield: bool) -> Run {
    let caches = s.pops as usize + 1;
    let mut cap = vec![s.cache; caches];
    cap[s.pops as usize] = if shield { s.shield_cache } else { 0 };
    let vbase = if s.push { s.push_top } else { 0 };
    let vtop: Vec<u32> = cap.iter().map(|c| if s.warm { (vbase + c).min(s.objects) } else { vbase }).collect();
    let mut st = State {
        s,
        shield,
        caches: Caches {
            t: Table::new(2 * arr.len()),
            head: vec![NONE; caches],
            tail: vec![NONE; caches],
            size: vec![0; caches],
            vcount: vtop.iter().map(|v| v - vbase).collect(),
            vtop,
            cap,
            vbase,
            holes_below: 0,
            objects: s.objects,
            seed: s.seed,
            ttl: s.ttl,
        },
        push: Table::new(if s.push { arr.len() } else { 0 }),
        updated: false,
        weights: Weights { k: scale(s), ttl: s.ttl, duration: s.duration },
        pmf: cdf.iter().scan(0.0, |prev, c| {
            let p = c - *prev;
            *prev = *c;
            Some(p)
        }).collect(),
        run: Run { raw: Tally::default(), total: Counts::default(), pre: Counts::default(), bins: vec![Counts::default(); BINS], refill_edge: 0.0, refill_origin: 0.0 },
    };
    let mut sim = Sim::new();
    if s.has_update() {
        sim.schedule(s.update_at, Ev::Update);
    }
    if let Some(a) = arr.first() {
        sim.schedule(a.at, Ev::Arrive(0));
    }
    sim.run_until(s.duration, |sim, ev| match ev {
        Ev::Update => st.update(),
        Ev::Arrive(i) => {
            if let Some(next) = arr.get(i + 1) {
                sim.schedule(next.at - sim.now(), Ev::Arrive(i + 1));
            }
            st.request(sim.now(), arr[i].pop, arr[i].obj);
        }
    });
    st.run
}
