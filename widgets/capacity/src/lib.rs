//! Capacity planner: from a peak load to app servers, database primaries and read replicas, cache
//! nodes, stored bytes and a monthly bill. Every input is a labelled assumption the learner can
//! change; every output shows the formula that produced it.
//!
//! With `P` peak requests/s, `r` the read share, `h` the cache hit ratio:
//! - reads `= P × r`, writes `= P × (1 − r)`;
//! - app servers `= ceil(P ÷ (per-server × utilisation)) + spares` (N+k);
//! - database primaries (shards) `= max(1, ceil(writes ÷ writes per primary))`;
//! - database reads after the cache `= reads × (1 − h)`; read replicas `= ceil(that ÷ reads per replica)`;
//! - cache nodes `= ceil(cache GB ÷ GB per node)`; stored GB `= TB × 1,000 × replication factor`;
//! - monthly cost `= 730 h × (servers × VM $/h + (primaries + replicas) × DB $/h + nodes × cache $/h)
//!   + stored GB × $/GB-month`;
//! - requests a month `= P × average share of peak × 730 h × 3,600 s`; cost per million requests
//!   `= monthly cost ÷ (requests ÷ 10⁶)`.
//!
//! The parameters are the plan (so a shared link restores it); the same plan can be exported as
//! JSON and imported back (see [`json`]). Comparison mode holds a second design, B, whose
//! parameters carry the prefix `b_`.

pub mod json;
mod view;

use json::{Value, clip};
use widget_core::field::Field;
use widget_core::format::{self, number, short};
use view::{SOURCES, cost_table, differences, needs_table, picture, summary};
use widget_core::{Log, Markup, ParamError, Params, Widget};

pub const HOURS_PER_MONTH: f64 = 730.0;
/// Longest JSON the import accepts, in bytes.
pub const MAX_IMPORT: usize = 4096;
const MAX_NAME: usize = 32;
/// Most boxes drawn for one tier of the picture.
const DRAWN: usize = 18;
const PER_LINE: usize = 9;

pub const FIELDS: [Field; 17] = [
    Field::num("peak_qps", "Peak load", "requests/s", 10_000.0, 1.0, 100_000_000.0),
    Field::num("read_pct", "Reads", "% of requests", 90.0, 0.0, 100.0),
    Field::num("avg_pct", "Average load", "% of peak", 50.0, 1.0, 100.0),
    Field::num("server_qps", "One app server handles", "requests/s", 1_000.0, 1.0, 1_000_000.0),
    Field::num("util_pct", "Target utilisation", "%", 70.0, 5.0, 100.0),
    Field::num("spares", "Spare servers (N+k)", "servers", 1.0, 0.0, 100.0).whole(),
    Field::num("primary_writes", "One primary handles", "writes/s", 2_000.0, 1.0, 1_000_000.0),
    Field::num("replica_reads", "One replica handles", "reads/s", 5_000.0, 1.0, 1_000_000.0),
    Field::num("hit_pct", "Cache hit ratio", "% of reads", 80.0, 0.0, 100.0),
    Field::num("cache_gb", "Cache memory needed", "GB", 20.0, 0.0, 1_000_000.0),
    Field::num("node_gb", "Memory per cache node", "GB", 6.38, 0.1, 10_000.0),
    Field::num("storage_tb", "Data stored", "TB", 2.0, 0.0, 1_000_000.0),
    Field::num("replication", "Replication factor", "copies", 3.0, 1.0, 10.0).whole(),
    Field::num("vm_hour", "App server (VM)", "$/hour", 0.0816, 0.0, 1_000.0),
    Field::num("db_hour", "Database instance", "$/hour", 0.168, 0.0, 1_000.0),
    Field::num("cache_hour", "Cache node", "$/hour", 0.158, 0.0, 1_000.0),
    Field::num("gb_month", "Block storage", "$/GB-month", 0.08, 0.0, 100.0),
];
const NF: usize = FIELDS.len();
pub const PEAK: usize = 0;
pub const READ: usize = 1;
pub const AVG: usize = 2;
pub const SERVER: usize = 3;
pub const UTIL: usize = 4;
pub const SPARES: usize = 5;
pub const PRIMARY: usize = 6;
pub const REPLICA: usize = 7;
pub const HIT: usize = 8;
pub const CACHE_GB: usize = 9;
pub const NODE_GB: usize = 10;
pub const STORAGE: usize = 11;
pub const RF: usize = 12;
pub const VM: usize = 13;
pub const DB: usize = 14;
pub const CACHE: usize = 15;
pub const GB: usize = 16;

/// Input rows in groups, as the table shows them.
const GROUPS: [(&str, usize, usize); 6] = [
    ("Load", PEAK, SERVER),
    ("App servers", SERVER, PRIMARY),
    ("Database", PRIMARY, HIT),
    ("Cache", HIT, STORAGE),
    ("Storage", STORAGE, VM),
    ("Unit prices (editable assumptions, see below)", VM, NF),
];

/// `ceil`, forgiving float noise: 10.000000000000002 servers is 10.
pub fn ceil(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() <= 1e-9 * r.abs().max(1.0) { r } else { x.ceil() }
}

pub use widget_core::format::plain;

fn n0(x: f64) -> String {
    number(x, 0)
}

fn num(x: f64) -> String {
    short(x, 4)
}

fn pct(x: f64) -> String {
    format!("{}%", short(x, 2))
}

pub fn money(x: f64) -> String {
    let digits = if x.abs() < 1.0 && x != 0.0 { 4 } else { 2 };
    let sign = if x < 0.0 { "−" } else { "" };
    format!("{sign}${}", number(x.abs(), digits))
}

fn plural(n: f64, one: &str, many: &str) -> String {
    format!("{} {}", n0(n), if n == 1.0 { one } else { many })
}


pub fn check_name(raw: &str) -> Result<String, String> {
    let t = raw.trim();
    if t.is_empty() || t.chars().count() > MAX_NAME || t.chars().any(char::is_control) {
        return Err(format!("expected a name of 1 to {MAX_NAME} characters"));
    }
    Ok(t.to_string())
}

#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub name: String,
    pub v: [f64; NF],
}

/// What a design needs and costs.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub reads: f64,
    pub writes: f64,
    /// Peak ÷ usable capacity of one server, before rounding up.
    pub app_exact: f64,
    pub app_servers: f64,
    pub primaries: f64,
    pub db_reads: f64,
    pub replicas: f64,
    pub cache_nodes: f64,
    pub stored_gb: f64,
    pub app_cost: f64,
    pub db_cost: f64,
    pub cache_cost: f64,
    pub storage_cost: f64,
    pub total: f64,
    pub requests_month: f64,
    pub per_million: f64,
}

impl Design {
    pub fn default_a() -> Design {
        let mut v = [0.0; NF];
        for (x, f) in v.iter_mut().zip(&FIELDS) {
            *x = f.default;
        }
        Design { name: "Design A".to_string(), v }
    }

    /// B as a copy of A.
    fn copy_as_b(&self) -> Design {
        Design { name: "Design B".to_string(), v: self.v }
    }

    fn from_params(p: &Params, prefix: &str, base: &Design) -> Result<Design, ParamError> {
        let mut d = base.clone();
        let key = format!("{prefix}name");
        if let Some(raw) = p.get(&key) {
            d.name = check_name(raw).map_err(|m| ParamError::new(&key, m))?;
        }
        for (i, f) in FIELDS.iter().enumerate() {
            let key = format!("{prefix}{}", f.key);
            if let Some(raw) = p.get(&key) {
                d.v[i] = f.parse_param(raw).map_err(|m| ParamError::new(&key, m))?;
            }
        }
        Ok(d)
    }

    fn pairs(&self, prefix: &str, out: &mut Vec<(String, Value)>) {
        out.push((format!("{prefix}name"), Value::Str(self.name.clone())));
        for (f, x) in FIELDS.iter().zip(self.v) {
            out.push((format!("{prefix}{}", f.key), Value::Num(plain(x))));
        }
    }

    pub fn plan(&self) -> Plan {
        let v = &self.v;
        let reads = v[PEAK] * v[READ] / 100.0;
        let writes = v[PEAK] * (100.0 - v[READ]) / 100.0;
        let app_exact = v[PEAK] / (v[SERVER] * v[UTIL] / 100.0);
        let app_servers = ceil(app_exact) + v[SPARES];
        let primaries = ceil(writes / v[PRIMARY]).max(1.0);
        let db_reads = reads * (100.0 - v[HIT]) / 100.0;
        let replicas = ceil(db_reads / v[REPLICA]);
        let cache_nodes = ceil(v[CACHE_GB] / v[NODE_GB]);
        let stored_gb = v[STORAGE] * 1000.0 * v[RF];
        let app_cost = app_servers * v[VM] * HOURS_PER_MONTH;
        let db_cost = (primaries + replicas) * v[DB] * HOURS_PER_MONTH;
        let cache_cost = cache_nodes * v[CACHE] * HOURS_PER_MONTH;
        let storage_cost = stored_gb * v[GB];
        let total = app_cost + db_cost + cache_cost + storage_cost;
        let requests_month = v[PEAK] * v[AVG] / 100.0 * HOURS_PER_MONTH * 3600.0;
        let per_million = total / (requests_month / 1e6);
        Plan { reads, writes, app_exact, app_servers, primaries, db_reads, replicas, cache_nodes, stored_gb, app_cost, db_cost, cache_cost, storage_cost, total, requests_month, per_million }
    }
}

#[derive(Debug, Clone)]
pub struct Capacity {
    pub a: Design,
    pub b: Design,
    pub compare: bool,
    /// Whether the JSON export and import panel is open.
    pub export: bool,
    /// The last refused import text, kept so the learner can fix it.
    draft: String,
    /// What the last import did.
    notice: String,
    log: Log,
}

/// Every parameter name: the plan's, B's with `b_`, and the panel switch.
fn all_keys() -> Vec<String> {
    let mut keys = vec!["compare".to_string(), "export".to_string()];
    for prefix in ["", "b_"] {
        keys.push(format!("{prefix}name"));
        keys.extend(FIELDS.iter().map(|f| format!("{prefix}{}", f.key)));
    }
    keys
}

impl Capacity {
    /// The plan, in the order the JSON shows it: A, the switch, then B when comparing.
    pub fn pairs(&self) -> Vec<(String, Value)> {
        let mut out = Vec::with_capacity(2 * NF + 3);
        self.a.pairs("", &mut out);
        out.push(("compare".to_string(), Value::Bool(self.compare)));
        if self.compare {
            self.b.pairs("b_", &mut out);
        }
        out
    }

    pub fn to_json(&self) -> String {
        json::write(&self.pairs())
    }

    fn design(&self, is_b: bool) -> &Design {
        if is_b { &self.b } else { &self.a }
    }

    fn set(&mut self, value: &str) {
        let Some((key, raw)) = value.split_once('|') else { return };
        let (is_b, base) = match key.strip_prefix("b_") {
            Some(k) => (true, k),
            None => (false, key),
        };
        if is_b && !self.compare {
            return;
        }
        let tag = if is_b { "B" } else { "A" };
        let before = self.design(is_b).plan();
        let d = if is_b { &mut self.b } else { &mut self.a };
        if base == "name" {
            match check_name(raw) {
                Ok(name) if name != d.name => {
                    self.log.push(format!("{tag} is now called “{name}”."));
                    d.name = name;
                }
                Ok(_) => {}
                Err(m) => self.log.push(format!("Ignored the new name for {tag}: {m}.")),
            }
            return;
        }
        let Some(i) = FIELDS.iter().position(|f| f.key == base) else { return };
        let f = &FIELDS[i];
        match f.parse(raw) {
            Ok(x) if x != d.v[i] => {
                let old = d.v[i];
                d.v[i] = x;
                let after = d.plan();
                let what = format!("{tag}: {} {} → {} {}.", f.label, num(old), num(x), f.unit);
                self.log.push(format!("{what} {}", effects(&before, &after)));
            }
            Ok(_) => {}
            Err(m) => self.log.push(format!("Ignored a new value for {tag}'s “{}”: {m}.", f.label)),
        }
    }

    fn import(&mut self, text: &str) {
        if text.len() > MAX_IMPORT {
            return self.refuse(format!("the text is {} bytes; the limit is 4 KB ({} bytes)", number(text.len() as f64, 0), number(MAX_IMPORT as f64, 0)), "");
        }
        if text.trim().is_empty() {
            return self.refuse("there is nothing to import: paste a plan's JSON into the box first".to_string(), "");
        }
        match self.imported(text) {
            Ok((w, count)) => {
                let before = self.a.plan().total;
                (self.a, self.b, self.compare) = (w.a, w.b, w.compare);
                self.draft.clear();
                self.notice = format!("Imported {count} setting{}; the others kept their values.", if count == 1 { "" } else { "s" });
                self.log.push(format!("Imported a plan ({count} settings). A's monthly cost {} → {}.", money(before), money(self.a.plan().total)));
            }
            Err(e) => self.refuse(e, text),
        }
    }

    fn refuse(&mut self, why: String, text: &str) {
        self.draft = text.to_string();
        self.notice = format!("Import refused: {why}. Nothing was changed.");
        self.log.push(format!("Import refused: {why}."));
    }

    /// The current plan with the JSON's settings on top, validated like parameters.
    fn imported(&self, text: &str) -> Result<(Capacity, usize), String> {
        let pairs = json::parse(text)?;
        let mut p = self.to_params();
        for (key, value) in &pairs {
            let shown = clip(key);
            let base = key.strip_prefix("b_").unwrap_or(key);
            let text = match (value, key.as_str()) {
                (_, "export") => return Err("`export` is a view setting, not part of a plan".to_string()),
                (Value::Bool(b), "compare") => b.to_string(),
                (_, "compare") => return Err("`compare` must be true or false".to_string()),
                (Value::Str(s), _) if base == "name" => s.clone(),
                (_, _) if base == "name" => return Err(format!("`{shown}` must be a string in double quotes")),
                (Value::Num(n), _) if FIELDS.iter().any(|f| f.key == base) => n.clone(),
                (_, _) if FIELDS.iter().any(|f| f.key == base) => return Err(format!("`{shown}` must be a number")),
                _ => return Err(format!("`{shown}` is not a plan setting")),
            };
            p.set(key, text);
        }
        let w = Capacity::from_params(&p).map_err(|e| e.to_string())?;
        Ok((w, pairs.len()))
    }
}

/// What changed in the plan, in words.
fn effects(before: &Plan, after: &Plan) -> String {
    let mut parts = vec![];
    for (what, x, y) in [
        ("app servers", before.app_servers, after.app_servers),
        ("primaries", before.primaries, after.primaries),
        ("replicas", before.replicas, after.replicas),
        ("cache nodes", before.cache_nodes, after.cache_nodes),
    ] {
        if x != y {
            parts.push(format!("{what} {} → {}", n0(x), n0(y)));
        }
    }
    parts.push(format!("monthly cost {} → {}", money(before.total), money(after.total)));
    let mut s = parts.join("; ");
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    s + "."
}

impl Widget for Capacity {
    const NAME: &'static str = "capacity";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        let keys = all_keys();
        p.only(&keys.iter().map(String::as_str).collect::<Vec<_>>())?;
        let a = Design::from_params(p, "", &Design::default_a())?;
        let b = Design::from_params(p, "b_", &a.copy_as_b())?;
        Ok(Capacity {
            a,
            b,
            compare: p.bool_or("compare", false)?,
            export: p.bool_or("export", false)?,
            draft: String::new(),
            notice: String::new(),
            log: Log::default(),
        })
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        for (key, value) in self.pairs() {
            match value {
                Value::Str(s) | Value::Num(s) => p.set(&key, s),
                Value::Bool(b) => p.set(&key, b),
            };
        }
        p.set("export", self.export);
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        match (event, value) {
            ("set", _) => self.set(value),
            ("compare", "true") if !self.compare => {
                self.compare = true;
                self.b = self.a.copy_as_b();
                self.log.push("Comparison on: B starts as a copy of A. Change B's inputs to see the differences.".to_string());
            }
            ("compare", "false") if self.compare => {
                self.compare = false;
                self.log.push("Comparison off: only A is planned.".to_string());
            }
            ("copy", _) if self.compare => {
                self.b = self.a.copy_as_b();
                self.log.push("B is a copy of A again.".to_string());
            }
            ("export", "true" | "false") => self.export = value == "true",
            ("import", _) => self.import(value),
            _ => {}
        }
    }

    fn view(&self) -> String {
        let mut m = Markup::new();
        let designs: Vec<(&str, &Design, Plan)> = if self.compare {
            vec![("A", &self.a, self.a.plan()), ("B", &self.b, self.b.plan())]
        } else {
            vec![("A", &self.a, self.a.plan())]
        };
        m.open("div", &[("class", "w-capacity")]);

        m.open("div", &[("class", "w-controls")]);
        m.open("label", &[]).checkbox("compare", None, self.compare).text(" Compare two designs (A and B)").close("label");
        m.open("label", &[]).checkbox("export", None, self.export).text(" Export or import the plan as JSON").close("label");
        if self.compare {
            m.el("button", &[("type", "button"), ("data-ev", "copy")], "Copy A into B");
        }
        m.close("div");

        self.inputs(&mut m, &designs);
        for (tag, d, p) in &designs {
            picture(&mut m, tag, d, p);
        }
        summary(&mut m, &designs);
        needs_table(&mut m, &designs);
        cost_table(&mut m, &designs);
        if self.compare {
            differences(&mut m, &designs[0].2, &designs[1].2);
        }
        if self.export {
            self.export_panel(&mut m);
        }
        self.log.view(&mut m, "Nothing yet: change an input to see what it does to the plan.");
        m.el("p", &[("class", "w-note")], "Not counted: load balancers, data transfer, backups and snapshots, a standby for failover, monitoring, and the people who run it all. Replicas here serve reads only; a real design also keeps at least one per shard for failover.");
        m.el("p", &[("class", "w-note")], SOURCES);
        m.close("div");
        m.finish()
    }
}

widget_core::export_widget!(crate::Capacity);

#[cfg(test)]
mod tests;
