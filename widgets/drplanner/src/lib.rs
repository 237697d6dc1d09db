//! Disaster-recovery planner. The learner picks one of the four strategies of AWS's whitepaper
//! "Disaster Recovery of Workloads on AWS: Recovery in the Cloud" (2021), a primary and a
//! recovery region, and the inputs below; the widget shows the plan's RPO, RTO and monthly DR
//! cost, compares the four strategies against the learner's targets, and "fails the primary
//! region" to play the recovery as a timeline computed with the shared discrete-event engine.
//!
//! Model (all times are typical values the learner enters, not measurements; steps run one after
//! another unless stated):
//! - backup and restore: RPO = backup interval (a failure lands at a uniformly random moment of
//!   the backup cycle, so on average half of it is lost); RTO = detect + decide + provision
//!   infrastructure + data ÷ restore throughput + DNS switch;
//! - pilot light: the database is replicated, app servers are off. RPO = replication lag;
//!   RTO = detect + decide + start and scale the app servers + DNS switch;
//! - warm standby: a scaled-down working copy runs. RPO = replication lag; RTO = detect + decide +
//!   DNS switch (it serves at reduced capacity at once); full capacity after detect + decide +
//!   max(scale-up, DNS);
//! - multi-site active/active: both regions serve. RPO = replication lag; RTO = detect + DNS
//!   (health checks remove the failed region; no human decision);
//! - DR cost a month = share of the primary's monthly cost, one illustrative share per strategy
//!   (5%, 15%, 35%, 100%), which the learner can override;
//! - regions: great-circle distance ÷ 200,000 km/s (light in silica fibre) is the least one-way
//!   delay, so synchronous replication would add at least one round trip to every write.

use widget_core::field::{self, Field};
use widget_core::format::{coord, duration, number, short};
use widget_core::rng::Rng;
use widget_core::sim::Sim;
use widget_core::{Log, Markup, ParamError, Params, Widget};

#[cfg(test)]
mod tests;
mod view;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    BackupRestore,
    PilotLight,
    WarmStandby,
    ActiveActive,
}

pub const STRATEGIES: [Strategy; 4] = [Strategy::BackupRestore, Strategy::PilotLight, Strategy::WarmStandby, Strategy::ActiveActive];

impl Strategy {
    pub fn id(self) -> &'static str {
        match self {
            Strategy::BackupRestore => "backup-restore",
            Strategy::PilotLight => "pilot-light",
            Strategy::WarmStandby => "warm-standby",
            Strategy::ActiveActive => "active-active",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Strategy::BackupRestore => "Backup and restore",
            Strategy::PilotLight => "Pilot light",
            Strategy::WarmStandby => "Warm standby",
            Strategy::ActiveActive => "Multi-site active/active",
        }
    }

    /// The RPO/RTO band the AWS whitepaper gives the strategy.
    pub fn band(self) -> &'static str {
        match self {
            Strategy::BackupRestore => "hours",
            Strategy::PilotLight => "tens of minutes",
            Strategy::WarmStandby => "minutes",
            Strategy::ActiveActive => "real time",
        }
    }

    /// What runs in the recovery region before any disaster.
    pub fn standing(self) -> &'static str {
        match self {
            Strategy::BackupRestore => "Backups copied to the recovery region; no servers.",
            Strategy::PilotLight => "A database replica kept in sync; app servers off, images and code ready.",
            Strategy::WarmStandby => "A scaled-down but working copy of the whole stack; database in sync.",
            Strategy::ActiveActive => "A second full-size stack serving live traffic; data replicated between regions.",
        }
    }

    /// Assumed DR cost a month as a percentage of the primary's (illustrative, not AWS figures).
    pub fn cost_pct(self) -> f64 {
        match self {
            Strategy::BackupRestore => 5.0,
            Strategy::PilotLight => 15.0,
            Strategy::WarmStandby => 35.0,
            Strategy::ActiveActive => 100.0,
        }
    }

    pub fn cost_why(self) -> &'static str {
        match self {
            Strategy::BackupRestore => "backup storage and cross-region copies",
            Strategy::PilotLight => "a running replica database",
            Strategy::WarmStandby => "a replica database plus a small always-on fleet",
            Strategy::ActiveActive => "a second region sized to carry all traffic alone",
        }
    }

    fn from_id(id: &str) -> Option<Strategy> {
        STRATEGIES.into_iter().find(|s| s.id() == id)
    }
}

/// AWS Regions offered, with the metro area they are in.
pub const REGIONS: [(&str, &str); 6] = [
    ("us-east-1", "N. Virginia"),
    ("us-west-2", "Oregon"),
    ("eu-west-1", "Ireland"),
    ("eu-central-1", "Frankfurt"),
    ("ap-southeast-1", "Singapore"),
    ("ap-northeast-1", "Tokyo"),
];

/// Great-circle distances between the metro areas above, km (haversine on a 6,371 km sphere,
/// rounded to 10 km). Fibre routes are longer.
const DIST_KM: [[f64; 6]; 6] = [
    [0.0, 3_500.0, 5_460.0, 6_550.0, 15_520.0, 10_870.0],
    [3_500.0, 0.0, 7_320.0, 8_250.0, 13_260.0, 7_970.0],
    [5_460.0, 7_320.0, 0.0, 1_090.0, 11_200.0, 9_590.0],
    [6_550.0, 8_250.0, 1_090.0, 0.0, 10_260.0, 9_330.0],
    [15_520.0, 13_260.0, 11_200.0, 10_260.0, 0.0, 5_310.0],
    [10_870.0, 7_970.0, 9_590.0, 9_330.0, 5_310.0, 0.0],
];

/// Light in silica fibre (refractive index about 1.47), km/s.
pub const FIBRE_KM_S: f64 = 200_000.0;

pub fn distance_km(a: usize, b: usize) -> f64 {
    DIST_KM[a][b]
}

pub const FIELDS: [Field; 12] = [
    Field::num("data_gb", "Data to restore", "GB", 500.0, 1.0, 1_000_000.0),
    Field::num("backup_h", "Backup interval", "hours", 24.0, 0.25, 720.0),
    Field::num("lag_s", "Replication lag", "seconds", 1.0, 0.0, 3_600.0),
    Field::num("restore_mbps", "Restore throughput", "MB/s", 100.0, 1.0, 100_000.0),
    Field::num("detect_min", "Detect the outage", "min", 5.0, 0.0, 1_440.0),
    Field::num("decide_min", "Decide to fail over", "min", 15.0, 0.0, 1_440.0),
    Field::num("provision_min", "Provision infrastructure from code", "min", 30.0, 0.0, 1_440.0),
    Field::num("scale_min", "Start or scale up app servers", "min", 15.0, 0.0, 1_440.0),
    Field::num("dns_min", "Switch DNS (TTL and caches)", "min", 5.0, 0.0, 1_440.0),
    Field::num("cost", "Primary region cost", "$/month", 20_000.0, 0.0, 100_000_000.0),
    Field::num("rpo_target_min", "RPO target", "min", 60.0, 0.0, 100_000.0),
    Field::num("rto_target_min", "RTO target", "min", 240.0, 0.0, 100_000.0),
];
pub const NF: usize = FIELDS.len();
pub const DATA: usize = 0;
pub const BACKUP: usize = 1;
pub const LAG: usize = 2;
pub const MBPS: usize = 3;
pub const DETECT: usize = 4;
pub const DECIDE: usize = 5;
pub const PROVISION: usize = 6;
pub const SCALE: usize = 7;
pub const DNS: usize = 8;
pub const COST: usize = 9;
pub const RPO_T: usize = 10;
pub const RTO_T: usize = 11;

/// Input rows in groups, as the table shows them.
pub const GROUPS: [(&str, usize, usize); 3] =
    [("Data and replication", DATA, DETECT), ("Recovery steps", DETECT, COST), ("Cost and objectives", COST, NF)];

const MAX_DR_PCT: f64 = 300.0;

/// The plan's numbers, in seconds and dollars a month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// Worst-case data loss.
    pub rpo: f64,
    /// Average data loss.
    pub typical_loss: f64,
    /// Until serving again.
    pub rto: f64,
    /// Until serving at full capacity.
    pub full: f64,
    pub pct: f64,
    pub dr_cost: f64,
}

impl Plan {
    pub fn meets(&self, v: &[f64; NF]) -> (bool, bool) {
        (self.rpo <= v[RPO_T] * 60.0 + 1e-9, self.rto <= v[RTO_T] * 60.0 + 1e-9)
    }
}

/// Seconds to restore the data: GB × 1,000 MB/GB ÷ MB/s.
pub fn restore_s(v: &[f64; NF]) -> f64 {
    v[DATA] * 1_000.0 / v[MBPS]
}

pub fn plan(s: Strategy, v: &[f64; NF], pct: f64) -> Plan {
    let m = |i: usize| v[i] * 60.0;
    let lag = v[LAG];
    let (rpo, typical_loss, rto, full) = match s {
        Strategy::BackupRestore => {
            let rpo = v[BACKUP] * 3_600.0;
            let rto = m(DETECT) + m(DECIDE) + m(PROVISION) + restore_s(v) + m(DNS);
            (rpo, rpo / 2.0, rto, rto)
        }
        Strategy::PilotLight => {
            let rto = m(DETECT) + m(DECIDE) + m(SCALE) + m(DNS);
            (lag, lag, rto, rto)
        }
        Strategy::WarmStandby => (lag, lag, m(DETECT) + m(DECIDE) + m(DNS), m(DETECT) + m(DECIDE) + m(SCALE).max(m(DNS))),
        Strategy::ActiveActive => {
            let rto = m(DETECT) + m(DNS);
            (lag, lag, rto, rto)
        }
    };
    Plan { rpo, typical_loss, rto, full, pct, dr_cost: pct / 100.0 * v[COST] }
}

/// A step of the recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Detect,
    Decide,
    Provision,
    Restore,
    Scale,
    Dns,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub step: Step,
    pub start: f64,
    pub end: f64,
}

/// One failure of the primary region, played out.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Writes lost: time between the last recovery point and the failure, seconds.
    pub lost: f64,
    pub bars: Vec<Bar>,
    /// Serving again (the RTO of this run).
    pub serving: f64,
    pub full: f64,
}

struct Ev {
    step: Step,
    started: f64,
}

/// Fail the primary at time 0 and play the recovery with the discrete-event engine. The seed
/// picks where in the backup cycle the failure lands (backup and restore only).
pub fn fail(s: Strategy, v: &[f64; NF], seed: u64) -> Run {
    let lost = match s {
        Strategy::BackupRestore => Rng::new(seed).next_f64() * v[BACKUP] * 3_600.0,
        _ => v[LAG],
    };
    let m = |i: usize| v[i] * 60.0;
    let mut sim: Sim<Ev> = Sim::new();
    let after = |sim: &mut Sim<Ev>, step: Step, secs: f64| {
        let started = sim.now();
        sim.schedule(secs, Ev { step, started });
    };
    after(&mut sim, Step::Detect, m(DETECT));
    let (mut bars, mut serving, mut full) = (vec![], 0.0, 0.0f64);
    while let Some((t, ev)) = sim.next() {
        bars.push(Bar { step: ev.step, start: ev.started, end: t });
        match (ev.step, s) {
            (Step::Detect, Strategy::ActiveActive) => after(&mut sim, Step::Dns, m(DNS)),
            (Step::Detect, _) => after(&mut sim, Step::Decide, m(DECIDE)),
            (Step::Decide, Strategy::BackupRestore) => after(&mut sim, Step::Provision, m(PROVISION)),
            (Step::Decide, Strategy::WarmStandby) => {
                // The standby takes traffic as soon as DNS moves, while it scales up.
                after(&mut sim, Step::Dns, m(DNS));
                after(&mut sim, Step::Scale, m(SCALE));
            }
            (Step::Decide, _) => after(&mut sim, Step::Scale, m(SCALE)),
            (Step::Provision, _) => after(&mut sim, Step::Restore, restore_s(v)),
            (Step::Restore, _) => after(&mut sim, Step::Dns, m(DNS)),
            (Step::Scale, Strategy::WarmStandby) => full = full.max(t),
            (Step::Scale, _) => after(&mut sim, Step::Dns, m(DNS)),
            (Step::Dns, _) => {
                serving = t;
                full = full.max(t);
            }
        }
    }
    Run { lost, bars, serving, full }
}

pub use widget_core::format::plain;

pub fn money(x: f64) -> String {
    format!("${}", number(x, 0))
}

/// Minutes with at most one decimal: 83.333 -> `83.3`.
pub fn mins(seconds: f64) -> String {
    short(seconds / 60.0, 1)
}

#[derive(Debug, Clone)]
pub struct DrPlanner {
    pub strategy: Strategy,
    pub primary: usize,
    pub recovery: usize,
    pub v: [f64; NF],
    /// Override of the strategy's DR cost share, percent.
    pub dr_pct: Option<f64>,
    pub failed: bool,
    pub seed: u64,
    log: Log,
}

fn region_index(id: &str) -> Option<usize> {
    REGIONS.iter().position(|(r, _)| *r == id)
}

fn region_param(p: &Params, key: &str, default: usize) -> Result<usize, ParamError> {
    match p.get(key) {
        None => Ok(default),
        Some(v) => region_index(v).ok_or_else(|| {
            let ids: Vec<&str> = REGIONS.iter().map(|(r, _)| *r).collect();
            ParamError::new(key, format!("expected one of {}, got `{v}`", ids.join(", ")))
        }),
    }
}

impl DrPlanner {
    pub fn pct(&self) -> f64 {
        self.dr_pct.unwrap_or(self.strategy.cost_pct())
    }

    pub fn plan(&self) -> Plan {
        plan(self.strategy, &self.v, self.pct())
    }

    /// The plan of each strategy, with its own assumed cost share (the chosen one with the
    /// learner's override, if any).
    pub fn all_plans(&self) -> [Plan; 4] {
        STRATEGIES.map(|s| plan(s, &self.v, if s == self.strategy { self.pct() } else { s.cost_pct() }))
    }

    /// The cheapest strategy that meets both targets.
    pub fn cheapest_meeting(&self) -> Option<Strategy> {
        let plans = self.all_plans();
        let mut best: Option<(Strategy, f64)> = None;
        for (s, p) in STRATEGIES.into_iter().zip(plans) {
            if p.meets(&self.v) == (true, true) && best.is_none_or(|(_, c)| p.dr_cost < c) {
                best = Some((s, p.dr_cost));
            }
        }
        best.map(|(s, _)| s)
    }

    pub fn run(&self) -> Option<Run> {
        self.failed.then(|| fail(self.strategy, &self.v, self.seed))
    }

    fn region(&self, i: usize) -> String {
        format!("{} ({})", REGIONS[i].0, REGIONS[i].1)
    }

    fn summary(&self) -> String {
        let p = self.plan();
        format!("RPO {}, RTO {}, DR cost {} a month.", duration(p.rpo), duration(p.rto), money(p.dr_cost))
    }

    fn log_run(&mut self) {
        if let Some(r) = self.run() {
            self.log.push(format!(
                "{} failed. Serving again from {} after {}; {} of writes lost.",
                REGIONS[self.primary].0,
                REGIONS[self.recovery].0,
                duration(r.serving),
                duration(r.lost)
            ));
        }
    }

    /// Apply `key|value` from an input.
    fn set(&mut self, value: &str) {
        if self.apply(value) {
            self.log_run();
        }
    }

    /// Apply `key|value`; whether anything changed.
    fn apply(&mut self, value: &str) -> bool {
        let Some((key, raw)) = value.split_once('|') else { return false };
        if key == "dr_pct" {
            match widget_core::format::parse(raw).filter(|x| (0.0..=MAX_DR_PCT).contains(x)) {
                Some(x) => {
                    self.dr_pct = Some(x);
                    let s = self.summary();
                    self.log.push(format!("DR cost share set to {}% of the primary. {s}", short(x, 2)));
                    return true;
                }
                None => self.log.push(format!("Ignored a DR cost share of “{}”: use 0 to {}%.", clip(raw), plain(MAX_DR_PCT))),
            }
            return false;
        }
        let Some(i) = field::position(&FIELDS, key) else { return false };
        let f = &FIELDS[i];
        match f.parse(raw) {
            Ok(x) if x != self.v[i] => {
                let old = self.v[i];
                self.v[i] = x;
                let s = self.summary();
                self.log.push(format!("{}: {} → {} {}. {s}", f.label, short(old, 3), short(x, 3), f.unit));
                return true;
            }
            Ok(_) => {}
            Err(m) => self.log.push(format!("Ignored a new {}: {m}.", f.label.to_ascii_lowercase())),
        }
        false
    }

    fn set_region(&mut self, recovery: bool, value: &str) {
        let Some(i) = region_index(value) else { return };
        let (this, other) = if recovery { (self.recovery, self.primary) } else { (self.primary, self.recovery) };
        if i == this {
            return;
        }
        if i == other {
            // Choosing the other side's region swaps the two.
            std::mem::swap(&mut self.primary, &mut self.recovery);
        } else if recovery {
            self.recovery = i;
        } else {
            self.primary = i;
        }
        self.log.push(format!("Primary {}, recovery {}.", self.region(self.primary), self.region(self.recovery)));
        self.log_run();
    }
}

/// At most 24 characters of untrusted text, for a log line.
fn clip(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(24).collect()
}

impl Widget for DrPlanner {
    const NAME: &'static str = "drplanner";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        let mut known = vec!["strategy", "primary", "recovery", "dr_pct", "failed", "seed"];
        known.extend(FIELDS.iter().map(|f| f.key));
        p.only(&known)?;
        let ids = STRATEGIES.map(Strategy::id);
        let strategy = Strategy::from_id(p.choice("strategy", "backup-restore", &ids)?).expect("a listed id");
        let primary = region_param(p, "primary", 0)?;
        let recovery = region_param(p, "recovery", 1)?;
        if primary == recovery {
            return Err(ParamError::new("recovery", "must be a different region from `primary`: a regional disaster takes both"));
        }
        let mut v = [0.0; NF];
        for (i, f) in FIELDS.iter().enumerate() {
            v[i] = f.read(p)?;
        }
        let dr_pct = match p.get("dr_pct") {
            None | Some("auto") => None,
            Some(_) => Some(p.f64_in("dr_pct", 0.0, 0.0, MAX_DR_PCT).map_err(|e| ParamError::new("dr_pct", format!("{}, or auto", e.message)))?),
        };
        Ok(DrPlanner {
            strategy,
            primary,
            recovery,
            v,
            dr_pct,
            failed: p.bool_or("failed", false)?,
            seed: u64::from(p.u32_in("seed", 1, 0, u32::MAX)?),
            log: Log::default(),
        })
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        p.set("strategy", self.strategy.id()).set("primary", REGIONS[self.primary].0).set("recovery", REGIONS[self.recovery].0);
        for (f, x) in FIELDS.iter().zip(self.v) {
            p.set(f.key, plain(x));
        }
        p.set("dr_pct", self.dr_pct.map_or("auto".to_string(), plain)).set("failed", self.failed).set("seed", self.seed);
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        match event {
            "strategy" => {
                if let Some(s) = Strategy::from_id(value).filter(|s| *s != self.strategy) {
                    self.strategy = s;
                    self.dr_pct = None;
                    let summary = self.summary();
                    self.log.push(format!("Strategy: {}. {summary}", s.name()));
                    self.log_run();
                }
            }
            "primary" => self.set_region(false, value),
            "recovery" => self.set_region(true, value),
            "set" => self.set(value),
            "dr-auto" if self.dr_pct.is_some() => {
                self.dr_pct = None;
                self.log.push(format!("DR cost share back to the assumption for {}: {}%.", self.strategy.name(), short(self.strategy.cost_pct(), 2)));
            }
            "fail" => {
                if self.failed {
                    // Fail again at another moment (another point of the backup cycle).
                    self.seed = self.seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407) % 1_000_000;
                }
                self.failed = true;
                self.log_run();
            }
            "reset" if self.failed => {
                self.failed = false;
                self.log.push(format!("{} is back; the recovery timeline is cleared.", REGIONS[self.primary].0));
            }
            _ => {}
        }
    }

    fn view(&self) -> String {
        view::view(self)
    }
}

widget_core::export_widget!(crate::DrPlanner);
