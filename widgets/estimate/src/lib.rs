//! Back-of-envelope calculator: turns a few stated assumptions into request rates, storage,
//! bandwidth and cache size, writing out the arithmetic and unit conversions behind each number.
//!
//! Inputs (all assumptions the learner can change): daily active users `dau`, writes per user
//! per day `writes`, reads per write `reads_per_write`, object size `size` in `size_unit`
//! (B, KB or MB), retention in years, replication factor `replicas`, peak factor `peak`, and the
//! hot share of a day's reads kept in cache `hot` (a percentage). Templates fill them all in.
//!
//! Decimal units throughout (1 KB = 1,000 B, 1 MB = 10⁶ B ...); a day is 86,400 s and a year
//! 365 days. Sizes are payload only.
//!
//! - writes/day = dau × writes; reads/day = writes/day × reads_per_write;
//! - write QPS = writes/day ÷ 86,400 s; read QPS = reads/day ÷ 86,400 s;
//! - peak QPS = (write QPS + read QPS) × peak;
//! - storage/day = writes/day × object size; total = storage/day × 365 × years × replicas;
//! - ingress = write QPS × object size, egress = read QPS × object size (bytes/s; × 8 for bit/s);
//! - cache = hot × reads/day × object size, an upper bound since repeated reads of one object
//!   share an entry; hot × writes/day × object size is the hot set if reads go to the day's new
//!   objects only.

use widget_core::field::{self, Field};
use widget_core::format::{self, number, short};
use widget_core::{Log, Markup, ParamError, Params, Widget};

pub const DAY_S: f64 = 86_400.0;
pub const YEAR_DAYS: f64 = 365.0;

pub const DAU: usize = 0;
pub const WRITES: usize = 1;
pub const RPW: usize = 2;
pub const SIZE: usize = 3;
pub const RETENTION: usize = 4;
pub const REPLICAS: usize = 5;
pub const PEAK: usize = 6;
pub const HOT: usize = 7;

/// The inputs. Their defaults come from the chosen [`Template`], so `default` is unused.
/// The object size has no unit text: a select beside it picks the unit.
pub const FIELDS: [Field; 8] = [
    Field::num("dau", "Daily active users", "", 0.0, 1.0, 1e10).whole(),
    Field::num("writes", "Writes", "per user per day", 0.0, 0.000001, 10_000.0),
    Field::num("reads_per_write", "Read:write ratio", "reads per write", 0.0, 0.0, 100_000.0),
    Field::num("size", "Object size", "", 0.0, 0.001, 1_000_000.0),
    Field::num("retention", "Retention", "years", 0.0, 0.0, 100.0),
    Field::num("replicas", "Replication factor", "copies", 0.0, 1.0, 10.0).whole(),
    Field::num("peak", "Peak factor", "× average", 0.0, 1.0, 100.0),
    Field::num("hot", "Hot cache", "% of a day's reads", 0.0, 0.0, 100.0),
];

/// Object size units, decimal: 1000^index bytes.
pub const UNITS: [&str; 3] = ["B", "KB", "MB"];
const BYTE_UNITS: [&str; 9] = ["B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BIT_UNITS: [&str; 7] = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s", "Pbit/s", "Ebit/s"];

pub struct Template {
    pub key: &'static str,
    pub label: &'static str,
    /// In the order of [`FIELDS`].
    pub values: [f64; 8],
    pub unit: usize,
    /// The stated assumptions, each saying whether it is an assumption or has a source.
    pub notes: &'static [&'static str],
}

pub const TEMPLATES: [Template; 5] = [
    Template {
        key: "custom",
        label: "Your own numbers",
        values: [10_000_000.0, 2.0, 10.0, 1.0, 5.0, 3.0, 2.0, 20.0],
        unit: 1,
        notes: &["Every input is an assumption: state it, then change it and watch what follows. The starting numbers (10 million users making 2 writes a day, 10 reads per write, 1 KB objects, 5 years, 3 replicas, peak 2×) are a generic example."],
    },
    Template {
        key: "url-shortener",
        label: "URL shortener",
        values: [20_000_000.0, 0.3333, 100.0, 500.0, 5.0, 3.0, 3.0, 20.0],
        unit: 0,
        notes: &[
            "20,000,000 daily users, a third of whom create a link a day (0.3333 each): 6.67 million links a day, about 200 million a month, as on the URL shortener page. Assumption.",
            "100 redirects per link created; 500 B per stored link (code, URL, owner, timestamps, index overhead). Assumptions.",
            "Kept 5 years, 3 replicas, peak 3× the average. Assumptions.",
        ],
    },
    Template {
        key: "photos",
        label: "Photo sharing",
        values: [10_000_000.0, 0.2, 250.0, 2.0, 5.0, 3.0, 3.0, 20.0],
        unit: 2,
        notes: &[
            "10,000,000 daily users, each uploading 0.2 photos and viewing 50 a day: 250 views per upload. Assumption.",
            "A photo is about 2 MB (a 12-megapixel phone photo as JPEG or HEIF). Assumption.",
            "Kept 5 years, 3 replicas, peak 3×. Views are counted at full size; real services send resized copies, so their egress is lower. Assumptions.",
        ],
    },
    Template {
        key: "video",
        label: "Video streaming",
        values: [100_000_000.0, 0.01, 1000.0, 60.0, 10.0, 3.0, 3.0, 20.0],
        unit: 2,
        notes: &[
            "One object is one minute of 1080p video: 8 Mbit/s × 60 s ÷ 8 bit/B = 60 MB. 8 Mbit/s is YouTube's recommended upload bitrate for 1080p at 24 to 30 frames/s (YouTube Help, read in 2026).",
            "100,000,000 daily users; one in 100 uploads a minute a day (0.01 each) and each watches 10 minutes: 1,000 minutes watched per minute uploaded. Assumption.",
            "Kept 10 years, 3 replicas, peak 3×. Real services store several encodings and stream at adaptive, often lower, bitrates. Assumptions.",
        ],
    },
    Template {
        key: "chat",
        label: "Chat",
        values: [100_000_000.0, 40.0, 1.0, 100.0, 5.0, 3.0, 3.0, 20.0],
        unit: 0,
        notes: &[
            "100,000,000 daily users sending 40 messages each a day. Assumption.",
            "A message is about 100 B (text, sender, conversation, timestamp). Assumption.",
            "Each message is read once, by one recipient (group chats multiply reads); kept 5 years, 3 replicas, peak 3×. Assumptions.",
        ],
    },
];

/// Everything the calculator derives, in bytes, seconds and requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Results {
    pub object_bytes: f64,
    pub writes_day: f64,
    pub reads_day: f64,
    pub write_qps: f64,
    pub read_qps: f64,
    pub peak_qps: f64,
    pub storage_day: f64,
    pub storage_total: f64,
    /// Bytes per second in (writes) and out (reads), on average.
    pub ingress: f64,
    pub egress: f64,
    pub cache: f64,
    /// The hot set if reads go only to the day's new objects.
    pub cache_new: f64,
}

/// The formulas, from inputs in the order of [`FIELDS`] and a unit index into [`UNITS`].
pub fn compute(v: &[f64; 8], unit: usize) -> Results {
    let object_bytes = v[SIZE] * 1000f64.powi(unit as i32);
    let writes_day = v[DAU] * v[WRITES];
    let reads_day = writes_day * v[RPW];
    let (write_qps, read_qps) = (writes_day / DAY_S, reads_day / DAY_S);
    let storage_day = writes_day * object_bytes;
    let hot = v[HOT] / 100.0;
    Results {
        object_bytes,
        writes_day,
        reads_day,
        write_qps,
        read_qps,
        peak_qps: (write_qps + read_qps) * v[PEAK],
        storage_day,
        storage_total: storage_day * YEAR_DAYS * v[RETENTION] * v[REPLICAS],
        ingress: write_qps * object_bytes,
        egress: read_qps * object_bytes,
        cache: hot * reads_day * object_bytes,
        cache_new: hot * writes_day * object_bytes,
    }
}

/// About three significant figures: 231.48 → `231`, 77.15 → `77.2`, 0.01157 → `0.0116`;
/// from 10¹⁵ up in powers of ten.
pub fn sig(x: f64) -> String {
    let a = x.abs();
    if !x.is_finite() || a >= 1e15 {
        return sci(x);
    }
    if a >= 100.0 {
        number(x, 0)
    } else if a >= 10.0 {
        short(x, 1)
    } else if a >= 1.0 || a == 0.0 {
        short(x, 2)
    } else {
        let (mut m, mut d) = (a, 2);
        while m < 1.0 && d < 9 {
            m *= 10.0;
            d += 1;
        }
        short(x, d)
    }
}

const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

fn superscript(e: i32) -> String {
    e.to_string().bytes().map(|b| if b == b'-' { '⁻' } else { SUPERSCRIPT[(b - b'0') as usize] }).collect()
}

/// Scientific notation with three significant figures: 1.8248e13 → `1.82 × 10¹³`.
pub fn sci(x: f64) -> String {
    if !x.is_finite() {
        return "∞".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let (mut m, mut e) = (x.abs(), 0);
    while m >= 10.0 {
        m /= 10.0;
        e += 1;
    }
    while m < 1.0 {
        m *= 10.0;
        e -= 1;
    }
    let mut mantissa = short(m, 2);
    if mantissa == "10" {
        mantissa = "1".to_string();
        e += 1;
    }
    format!("{}{mantissa} × 10{}", if x < 0.0 { "-" } else { "" }, superscript(e))
}

/// `x` in the largest decimal unit that keeps it at least 1: (value, unit, power of 1,000).
fn scaled(x: f64, units: &[&'static str]) -> (f64, &'static str, usize) {
    let (mut v, mut k) = (x, 0);
    while v >= 1000.0 && k + 1 < units.len() {
        v /= 1000.0;
        k += 1;
    }
    (v, units[k], k)
}

/// A value already in its unit; powers of ten past the largest unit.
fn in_unit(v: f64) -> String {
    if v >= 1000.0 { sci(v) } else { sig(v) }
}

/// Bytes in decimal units: 1.8248e13 → `18.2 TB`.
pub fn bytes(x: f64) -> String {
    let (v, u, _) = scaled(x, &BYTE_UNITS);
    format!("{} {u}", in_unit(v))
}

/// Bits per second in decimal units: 3.09e5 → `309 kbit/s`.
pub fn bits(x: f64) -> String {
    let (v, u, _) = scaled(x, &BIT_UNITS);
    format!("{} {u}", in_unit(v))
}

/// Bytes with the conversion written out: `1.82 × 10¹³ B = 18.2 TB (1 TB = 10¹² B)`.
pub fn converted(x: f64) -> String {
    let (_, u, k) = scaled(x, &BYTE_UNITS);
    if k == 0 {
        return format!("{} B", sig(x));
    }
    format!("{} B = {} (1 {u} = 10{} B)", sci(x), bytes(x), superscript(3 * k as i32))
}

pub use widget_core::format::plain;

#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// In the order of [`FIELDS`].
    pub values: [f64; 8],
    /// Index into [`UNITS`].
    pub unit: usize,
    /// Index into [`TEMPLATES`] of the template these numbers started from.
    pub base: usize,
    log: Log,
}

impl Estimate {
    pub fn results(&self) -> Results {
        compute(&self.values, self.unit)
    }

    /// The template whose numbers these are exactly, if any (the base first).
    pub fn matching(&self) -> Option<usize> {
        let same = |i: usize| TEMPLATES[i].values == self.values && TEMPLATES[i].unit == self.unit;
        if same(self.base) { Some(self.base) } else { (1..TEMPLATES.len()).find(|&i| same(i)) }
    }

    fn show(&self, i: usize, x: f64) -> String {
        match i {
            SIZE => format!("{} {}", short(x, 6), UNITS[self.unit]),
            HOT => format!("{}%", short(x, 6)),
            _ => short(x, 6),
        }
    }

    fn size_text(&self) -> String {
        self.show(SIZE, self.values[SIZE])
    }

    fn record(&mut self, before: Results, what: String) {
        let after = self.results();
        self.log.push(format!(
            "{what} Peak {} → {} requests/s; storage {} → {}; egress {} → {}.",
            sig(before.peak_qps),
            sig(after.peak_qps),
            bytes(before.storage_total),
            bytes(after.storage_total),
            bits(before.egress * 8.0),
            bits(after.egress * 8.0)
        ));
    }
}

impl Widget for Estimate {
    const NAME: &'static str = "estimate";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        p.only(&["template", "dau", "writes", "reads_per_write", "size", "size_unit", "retention", "replicas", "peak", "hot"])?;
        let keys: Vec<&str> = TEMPLATES.iter().map(|t| t.key).collect();
        let key = p.choice("template", "custom", &keys)?;
        let base = TEMPLATES.iter().position(|t| t.key == key).unwrap_or(0);
        let t = &TEMPLATES[base];
        let mut values = t.values;
        for (i, f) in FIELDS.iter().enumerate() {
            values[i] = f.read_or(p, t.values[i])?;
        }
        let unit = p.choice("size_unit", UNITS[t.unit], &UNITS)?;
        let unit = UNITS.iter().position(|u| *u == unit).unwrap_or(0);
        Ok(Estimate { values, unit, base, log: Log::default() })
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        p.set("template", TEMPLATES[self.base].key).set("size_unit", UNITS[self.unit]);
        for (f, x) in FIELDS.iter().zip(self.values) {
            p.set(f.key, plain(x));
        }
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let before = self.results();
        match event {
            "template" => match TEMPLATES.iter().position(|t| t.key == value) {
                Some(0) => {
                    self.base = 0;
                    self.log.push("Kept the current numbers as your own.".to_string());
                }
                Some(i) => {
                    let t = &TEMPLATES[i];
                    (self.values, self.unit, self.base) = (t.values, t.unit, i);
                    self.record(before, format!("Loaded the {} template.", t.label));
                }
                None => {}
            },
            "size_unit" => {
                if let Some(u) = UNITS.iter().position(|u| *u == value)
                    && u != self.unit
                {
                    let old = self.size_text();
                    let factor = if u > self.unit { "×" } else { "÷" };
                    let scale = number(1000f64.powi((u as i32 - self.unit as i32).abs()), 0);
                    self.unit = u;
                    let what = format!("Object size {old} → {}: every byte figure {factor} {scale}.", self.size_text());
                    self.record(before, what);
                }
            }
            _ => {
                let Some(i) = field::position(&FIELDS, event) else { return };
                let f = &FIELDS[i];
                match f.parse(value) {
                    Ok(x) if x != self.values[i] => {
                        let what = format!("{} {} → {}.", f.label, self.show(i, self.values[i]), self.show(i, x));
                        self.values[i] = x;
                        self.record(before, what);
                    }
                    Ok(_) => {}
                    Err(m) => self.log.push(format!("Ignored a new {}: {m}.", f.label.to_ascii_lowercase())),
                }
            }
        }
    }

    fn view(&self) -> String {
        let r = self.results();
        let v = &self.values;
        let mut m = Markup::new();
        m.open("div", &[("class", "w-estimate")]);

        // Scenario and its stated assumptions.
        let shown = self.matching().unwrap_or(0);
        m.open("div", &[("class", "w-controls")]);
        m.open("label", &[]).text("Scenario ");
        m.open("select", &[("data-ev", "template")]);
        for (i, t) in TEMPLATES.iter().enumerate() {
            if i == shown {
                m.el("option", &[("value", t.key), ("selected", "")], t.label);
            } else {
                m.el("option", &[("value", t.key)], t.label);
            }
        }
        m.close("select").close("label").close("div");
        let base = &TEMPLATES[self.base];
        if self.base != 0 {
            let changed: Vec<&str> = FIELDS.iter().enumerate().filter(|(i, _)| v[*i] != base.values[*i]).map(|(_, f)| f.label).collect();
            let unit_changed = self.unit != base.unit && !changed.contains(&"Object size");
            let mut head = format!("Assumptions of the “{}” template", base.label);
            if !changed.is_empty() || unit_changed {
                let list = if changed.is_empty() { "Object size".to_string() } else { changed.join(", ") + if unit_changed { ", Object size" } else { "" } };
                head.push_str(&format!(" (you changed: {list})"));
            }
            m.el("p", &[("class", "w-note")], &format!("{head}:"));
        }
        m.open("ul", &[("class", "w-note")]);
        for note in base.notes {
            m.el("li", &[], note);
        }
        m.close("ul");

        // The inputs.
        m.open("div", &[("class", "w-controls")]);
        for (i, f) in FIELDS.iter().enumerate() {
            let (value, min, max) = (plain(v[i]), plain(f.min), plain(f.max));
            m.open("label", &[]).text(f.label).text(" ");
            if i == DAU {
                // Text, so that ten digits fit and can be grouped: 10,000,000.
                m.void("input", &[("type", "text"), ("data-ev", f.key), ("value", &number(v[i], 0)), ("size", "14"), ("inputmode", "numeric"), ("autocomplete", "off")]);
            } else {
                m.void("input", &[
                    ("type", "number"),
                    ("data-ev", f.key),
                    ("value", &value),
                    ("min", &min),
                    ("max", &max),
                    ("step", if f.whole { "1" } else { "any" }),
                    ("inputmode", if f.whole { "numeric" } else { "decimal" }),
                ]);
            }
            if i == SIZE {
                m.open("select", &[("data-ev", "size_unit"), ("aria-label", "Object size unit")]);
                for (u, name) in UNITS.iter().enumerate() {
                    if u == self.unit {
                        m.el("option", &[("value", name), ("selected", "")], name);
                    } else {
                        m.el("option", &[("value", name)], name);
                    }
                }
                m.close("select");
            } else if !f.unit.is_empty() {
                m.el("span", &[("class", "w-unit")], f.unit);
            }
            m.close("label");
        }
        m.close("div");

        self.diagram(&mut m, &r);

        m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
        m.open("p", &[]).text("Peak load ").el("strong", &[("class", "w-total")], &format!("{} requests/s", sig(r.peak_qps)));
        m.textf(format_args!("; {} stored after {} years; {} out on average.", bytes(r.storage_total), short(v[RETENTION], 6), bits(r.egress * 8.0)));
        m.close("p").close("div");

        // Every number with its formula.
        let (d, w, rpw, peak, size) = (short(v[DAU], 6), short(v[WRITES], 6), short(v[RPW], 6), short(v[PEAK], 6), self.size_text());
        let size_bytes = if self.unit == 0 { size.clone() } else { format!("{size} ({} B)", sig(r.object_bytes)) };
        let rows: [(String, String, Vec<String>); 8] = [
            ("Average write QPS".into(), format!("{} writes/s", sig(r.write_qps)), vec![
                format!("{d} × {w} ÷ 86,400 s = {} writes/s", sig(r.write_qps)),
                format!("{d} users × {w} writes each = {} writes a day; a day is 24 × 60 × 60 = 86,400 s", sig(r.writes_day)),
            ]),
            ("Average read QPS".into(), format!("{} reads/s", sig(r.read_qps)), vec![
                format!("{} writes/day × {rpw} reads per write ÷ 86,400 s = {} reads/s", sig(r.writes_day), sig(r.read_qps)),
            ]),
            ("Peak QPS".into(), format!("{} requests/s", sig(r.peak_qps)), vec![
                format!("({} + {}) requests/s × {peak} = {} requests/s", sig(r.write_qps), sig(r.read_qps), sig(r.peak_qps)),
                format!("of which {} writes/s and {} reads/s", sig(r.write_qps * v[PEAK]), sig(r.read_qps * v[PEAK])),
            ]),
            ("Storage per day".into(), format!("{} a day", bytes(r.storage_day)), vec![
                format!("{} writes/day × {size_bytes} = {}", sig(r.writes_day), converted(r.storage_day)),
            ]),
            (format!("Storage over {} years", short(v[RETENTION], 6)), bytes(r.storage_total), vec![
                format!("{}/day × 365 days × {} years × {} replicas = {}", bytes(r.storage_day), short(v[RETENTION], 6), short(v[REPLICAS], 0), converted(r.storage_total)),
                format!("one copy: {}", bytes(r.storage_total / v[REPLICAS])),
            ]),
            ("Ingress (writes in)".into(), format!("{}/s = {}", bytes(r.ingress), bits(r.ingress * 8.0)), vec![
                format!("{} writes/s × {size_bytes} = {}/s", sig(r.write_qps), bytes(r.ingress)),
                format!("{}/s × 8 bit/B = {}; at peak (× {peak}) {}", bytes(r.ingress), bits(r.ingress * 8.0), bits(r.ingress * 8.0 * v[PEAK])),
            ]),
            ("Egress (reads out)".into(), format!("{}/s = {}", bytes(r.egress), bits(r.egress * 8.0)), vec![
                format!("{} reads/s × {size_bytes} = {}/s", sig(r.read_qps), bytes(r.egress)),
                format!("{}/s × 8 bit/B = {}; at peak (× {peak}) {}", bytes(r.egress), bits(r.egress * 8.0), bits(r.egress * 8.0 * v[PEAK])),
            ]),
            ("Cache for the hot set".into(), bytes(r.cache), {
                let hot = short(v[HOT], 6);
                let mut lines = vec![
                    format!("{hot}% × {} reads/day × {size_bytes} = {}", sig(r.reads_day), converted(r.cache)),
                    format!("reads/day = {} writes/day × {rpw} = {}", sig(r.writes_day), sig(r.reads_day)),
                ];
                if v[RPW] > 1.0 {
                    lines.push(format!(
                        "An upper bound: repeated reads of one object share one entry. If the reads go only to the day's new objects: {hot}% × {} objects × {size} = {}",
                        sig(r.writes_day),
                        bytes(r.cache_new)
                    ));
                }
                lines
            }),
        ];
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], "Estimates and the arithmetic behind them (decimal units)");
        m.open("tbody", &[]);
        for (title, result, lines) in &rows {
            m.open("tr", &[]).el("th", &[("scope", "row")], title).open("td", &[]).el("strong", &[], result);
            for line in lines {
                m.el("span", &[("class", "w-formula")], line);
            }
            m.close("td").close("tr");
        }
        m.close("tbody").close("table");

        self.log.view(&mut m, "Nothing yet: pick a scenario or change an input to see what follows.");
        m.el("p", &[("class", "w-note")], "Decimal units: 1 KB = 1,000 B, 1 MB = 10⁶ B, 1 GB = 10⁹ B, 1 TB = 10¹² B, 1 PB = 10¹⁵ B (binary units are larger: 1 TiB = 2⁴⁰ B ≈ 1.1 TB). A day is 86,400 s and a year 365 days. Sizes are payload only: headers, TLS, indexes and metadata are not counted.");
        m.el("a", &[("class", "w-source"), ("href", "https://support.google.com/youtube/answer/1722171")], "Video bitrate: YouTube Help, “Recommended upload encoding settings”, 1080p at 24–30 frames/s: 8 Mbps (living page, read in 2026)");
        m.close("div");
        m.finish()
    }
}

impl Estimate {
    /// Users, the service, its cache and its storage, with the headline numbers on them.
    fn diagram(&self, m: &mut Markup, r: &Results) {
        let users = if self.values[DAU] >= 1e9 {
            format!("{} billion", sig(self.values[DAU] / 1e9))
        } else if self.values[DAU] >= 1e6 {
            format!("{} million", sig(self.values[DAU] / 1e6))
        } else {
            number(self.values[DAU], 0)
        };
        m.open("svg", &[("viewBox", "0 0 480 210"), ("class", "w-diagram"), ("role", "img"), ("aria-label", "Diagram: users send writes in and get reads out through the service, which keeps a hot cache and replicated storage; the table below has the same numbers")]);
        let boxed = |m: &mut Markup, x: f64, y: f64, w: f64, h: f64, lines: &[String]| {
            m.void("rect", &[("x", &format::coord(x)), ("y", &format::coord(y)), ("width", &format::coord(w)), ("height", &format::coord(h)), ("rx", "6"), ("class", "w-node")]);
            for (k, line) in lines.iter().enumerate() {
                let class = if k == 0 { "w-label" } else { "w-small" };
                m.el("text", &[("x", &format::coord(x + w / 2.0)), ("y", &format::coord(y + 20.0 + 16.0 * k as f64)), ("text-anchor", "middle"), ("class", class)], line);
            }
        };
        let line = |m: &mut Markup, x1: &str, y1: &str, x2: &str, y2: &str| {
            m.void("line", &[("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2), ("class", "w-edge")]);
        };
        boxed(m, 5.0, 70.0, 90.0, 70.0, &["Users".into(), users, "a day".into()]);
        line(m, "95", "90", "215", "90");
        line(m, "95", "120", "215", "120");
        m.el("text", &[("x", "155"), ("y", "84"), ("text-anchor", "middle"), ("class", "w-small")], &format!("in {} →", bits(r.ingress * 8.0)));
        m.el("text", &[("x", "155"), ("y", "136"), ("text-anchor", "middle"), ("class", "w-small")], &format!("← out {}", bits(r.egress * 8.0)));
        boxed(m, 215.0, 55.0, 110.0, 100.0, &[
            "Service".into(),
            format!("{} writes/s", sig(r.write_qps)),
            format!("{} reads/s", sig(r.read_qps)),
            format!("peak {}/s", sig(r.peak_qps)),
        ]);
        line(m, "325", "85", "355", "45");
        line(m, "325", "125", "355", "165");
        boxed(m, 355.0, 10.0, 120.0, 60.0, &[format!("Cache ({}% hot)", short(self.values[HOT], 1)), bytes(r.cache)]);
        boxed(m, 355.0, 130.0, 120.0, 75.0, &[
            format!("Storage × {}", short(self.values[REPLICAS], 0)),
            bytes(r.storage_total),
            format!("over {} years", short(self.values[RETENTION], 2)),
        ]);
        m.close("svg");
    }
}

widget_core::export_widget!(crate::Estimate);

#[cfg(test)]
mod tests;
