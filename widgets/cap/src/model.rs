//! The store itself: operations and their compact text form, the scripted scenarios, and the
//! replay of a history over three nodes (see the crate documentation for the rules).

use widget_core::{Log, ParamError};

/// Longest history; write ids (at most 1 + MAX_OPS) must fit the 64-bit "seen" sets.
pub const MAX_OPS: usize = 40;
pub(crate) const NODES: [&str; 3] = ["A", "B", "C"];
/// Links by index: 0 = A–B, 1 = A–C, 2 = B–C.
pub(crate) const LINKS: [(usize, usize); 3] = [(0, 1), (0, 2), (1, 2)];
/// Majority of 3 nodes: ⌊3/2⌋ + 1.
pub(crate) const MAJORITY: u32 = 2;
const OPS_HELP: &str = "use w@A (write), r@A (read), cut@AB, heal@AB, iso@A (isolate) or heal@all, separated by commas";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Cp,
    Ap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Write(usize),
    Read(usize),
    Cut(usize),
    Heal(usize),
    Isolate(usize),
    HealAll,
}

pub(crate) fn node_of(s: &str) -> Option<usize> {
    NODES.iter().position(|n| *n == s)
}

/// `AB`, `BA`, `ac` ... to a link index.
pub(crate) fn link_of(s: &str) -> Option<usize> {
    let s = s.to_ascii_uppercase();
    let (x, y) = (node_of(s.get(..1)?)?, node_of(s.get(1..)?)?);
    LINKS.iter().position(|&l| l == (x.min(y), x.max(y)))
}

pub(crate) fn link_code(l: usize) -> String {
    format!("{}{}", NODES[LINKS[l].0], NODES[LINKS[l].1])
}

pub(crate) fn link_name(l: usize) -> String {
    format!("{}–{}", NODES[LINKS[l].0], NODES[LINKS[l].1])
}

impl Op {
    pub fn parse(token: &str) -> Option<Op> {
        let (kind, target) = token.split_once('@')?;
        match kind {
            "w" => node_of(target).map(Op::Write),
            "r" => node_of(target).map(Op::Read),
            "iso" => node_of(target).map(Op::Isolate),
            "cut" => link_of(target).map(Op::Cut),
            "heal" if target == "all" => Some(Op::HealAll),
            "heal" => link_of(target).map(Op::Heal),
            _ => None,
        }
    }

    pub fn token(self) -> String {
        match self {
            Op::Write(n) => format!("w@{}", NODES[n]),
            Op::Read(n) => format!("r@{}", NODES[n]),
            Op::Isolate(n) => format!("iso@{}", NODES[n]),
            Op::Cut(l) => format!("cut@{}", link_code(l)),
            Op::Heal(l) => format!("heal@{}", link_code(l)),
            Op::HealAll => "heal@all".to_string(),
        }
    }
}

/// `none` or comma-separated operations, at most [`MAX_OPS`].
pub fn parse_ops(text: &str) -> Result<Vec<Op>, String> {
    let text = text.trim();
    if text.is_empty() || text == "none" {
        return Ok(vec![]);
    }
    let tokens: Vec<&str> = text.split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
    if tokens.len() > MAX_OPS {
        return Err(format!("at most {MAX_OPS} operations, got {}", tokens.len()));
    }
    tokens.iter().map(|t| Op::parse(t).ok_or_else(|| format!("`{t}` is not an operation; {OPS_HELP}"))).collect()
}

pub(crate) fn parse_cut(text: &str) -> Result<[bool; 3], ParamError> {
    let mut cut = [false; 3];
    let text = text.trim();
    if text.is_empty() || text == "none" {
        return Ok(cut);
    }
    for t in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let l = link_of(t).ok_or_else(|| ParamError::new("cut", format!("`{t}` is not a link; use none or AB, AC, BC separated by commas")))?;
        if cut[l] {
            return Err(ParamError::new("cut", format!("link {} is listed twice", link_code(l))));
        }
        cut[l] = true;
    }
    Ok(cut)
}

/// A scripted sequence applied from a reset state (all links up, x = 0 everywhere).
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    pub ops: &'static str,
    pub look: &'static str,
}

/// Each fits in the log (six entries), so the whole story stays visible.
pub const SCENARIOS: [Scenario; 6] = [
    Scenario {
        id: "isolate-c",
        title: "Partition isolates C, write at C",
        ops: "w@A,iso@C,w@C,w@A,heal@all",
        look: "CP refuses the write at C because C alone is not a majority; AP accepts it, and on healing last-writer-wins keeps C's write over A's later one (both are version 2 and C sorts after A), so x=3 is lost.",
    },
    Scenario {
        id: "minority-read",
        title: "Read from the minority side",
        ops: "w@A,iso@C,w@B,r@C,r@A",
        look: "C never saw the write x=2: AP answers the read at C with the old x=1 (a stale read), while CP refuses to answer rather than return it.",
    },
    Scenario {
        id: "heal-reconcile",
        title: "Heal and reconcile",
        ops: "iso@C,w@A,w@C,w@C,heal@all,r@A",
        look: "In AP, C wrote twice so its version counter is higher and wins on healing: A's write x=1 is lost although two of the three nodes stored it; in CP, C's writes were refused and C simply catches up.",
    },
    Scenario {
        id: "three-way",
        title: "Every node alone",
        ops: "iso@A,iso@B,w@A,w@B,w@C,heal@all",
        look: "With no majority anywhere CP refuses all three writes; AP accepts all three and keeps only one when the network heals (all are version 1, so C's wins).",
    },
    Scenario {
        id: "connected",
        title: "Everything connected",
        ops: "w@A,r@B,w@C,r@A",
        look: "Without a partition CP and AP behave the same: every request is accepted and every read returns the latest write. CAP forces a choice only during a partition.",
    },
    Scenario {
        id: "one-link",
        title: "One link cut is not a partition",
        ops: "cut@AB,w@A,r@B",
        look: "A and B still reach each other through C, so nothing is refused or stale in either mode: a partition means some nodes cannot reach the others at all.",
    },
];

pub(crate) fn scenario_ops(i: usize) -> Vec<Op> {
    parse_ops(SCENARIOS[i].ops).unwrap_or_default()
}

/// One accepted write: its value, its stamp (version, node) and the writes its writer had seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Write {
    pub value: u32,
    pub version: u32,
    pub node: usize,
    pub(crate) known: u64,
}

impl Write {
    fn stamp(&self) -> (u32, usize) {
        (self.version, self.node)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub writes_ok: u32,
    pub writes_refused: u32,
    pub reads_ok: u32,
    pub reads_refused: u32,
    pub stale: u32,
    pub lost: u32,
}

/// The store after replaying a history.
#[derive(Debug, Clone)]
pub struct Sim {
    /// Write 0 is the initial x = 0, version 0.
    pub writes: Vec<Write>,
    /// The write each node holds.
    pub holds: [usize; 3],
    pub(crate) seen: [u64; 3],
    pub up: [bool; 3],
    pub(crate) lost: u64,
    pub(crate) next_value: u32,
    pub(crate) step: u32,
    pub counts: Counts,
    pub(crate) log: Log,
}

pub(crate) fn members(mask: u8) -> impl Iterator<Item = usize> {
    (0..3).filter(move |j| mask >> j & 1 == 1)
}

/// `A`, `A and B`, `A, B and C`.
pub(crate) fn names(mask: u8) -> String {
    let v: Vec<&str> = members(mask).map(|j| NODES[j]).collect();
    match v.len() {
        0 => String::new(),
        1 => v[0].to_string(),
        n => format!("{} and {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

impl Sim {
    pub fn new(cut: [bool; 3]) -> Sim {
        Sim {
            writes: vec![Write { value: 0, version: 0, node: 0, known: 1 }],
            holds: [0; 3],
            seen: [1; 3],
            up: cut.map(|c| !c),
            lost: 0,
            next_value: 1,
            step: 0,
            counts: Counts::default(),
            log: Log::default(),
        }
    }

    /// Nodes reachable from `n`, directly or through the third node, as a bit mask.
    pub fn group(&self, n: usize) -> u8 {
        let mut g = 1u8 << n;
        for _ in 0..2 {
            for (i, &(a, b)) in LINKS.iter().enumerate() {
                if self.up[i] && (g >> a & 1 == 1 || g >> b & 1 == 1) {
                    g |= 1 << a | 1 << b;
                }
            }
        }
        g
    }

    /// The distinct groups, in node order.
    pub fn groups(&self) -> Vec<u8> {
        let mut out: Vec<u8> = vec![];
        for n in 0..3 {
            let g = self.group(n);
            if !out.contains(&g) {
                out.push(g);
            }
        }
        out
    }

    /// The write with the highest stamp held anywhere.
    pub fn latest(&self) -> usize {
        self.holds.iter().copied().max_by_key(|&w| self.writes[w].stamp()).unwrap_or(0)
    }

    pub fn is_stale(&self, n: usize) -> bool {
        self.writes[self.holds[n]].stamp() < self.writes[self.latest()].stamp()
    }

    /// `v2 by A`, or `v0` for the initial value.
    pub fn stamp_text(&self, w: usize) -> String {
        let w = &self.writes[w];
        if w.version == 0 { "v0".to_string() } else { format!("v{} by {}", w.version, NODES[w.node]) }
    }

    pub(crate) fn describe(&self, w: usize) -> String {
        format!("x={} ({})", self.writes[w].value, self.stamp_text(w))
    }

    pub(crate) fn holders(&self, w: usize) -> u8 {
        (0..3).filter(|&j| self.holds[j] == w).fold(0, |m, j| m | 1 << j)
    }

    pub fn apply(&mut self, op: Op, mode: Mode) {
        self.step += 1;
        let line = match op {
            Op::Write(n) => self.write(n, mode),
            Op::Read(n) => self.read(n, mode),
            _ => self.relink(op),
        };
        self.log.push(format!("Step {}: {line}", self.step));
    }

    fn refusal(&self, n: usize) -> String {
        format!("{} reaches only itself, and a majority is {MAJORITY} of 3.", NODES[n])
    }

    fn write(&mut self, n: usize, mode: Mode) -> String {
        let value = self.next_value;
        self.next_value += 1;
        let (g, name) = (self.group(n), NODES[n]);
        if mode == Mode::Cp && g.count_ones() < MAJORITY {
            self.counts.writes_refused += 1;
            return format!("Write x={value} at {name} refused: {}", self.refusal(n));
        }
        let id = self.writes.len();
        let known = self.seen[n] | 1u64 << id;
        let version = self.writes[self.holds[n]].version + 1;
        self.writes.push(Write { value, version, node: n, known });
        for j in members(g) {
            self.holds[j] = id;
            self.seen[j] = known;
        }
        self.counts.writes_ok += 1;
        let mut line = match mode {
            Mode::Cp => format!("Write x={value} at {name} committed as v{version} on {} ({} of 3 nodes; a majority is {MAJORITY}).", names(g), g.count_ones()),
            Mode::Ap if g.count_ones() == 1 => format!("Write x={value} at {name} accepted as v{version} and kept on {name} only."),
            Mode::Ap => format!("Write x={value} at {name} accepted as v{version} and copied to {}.", names(g & !(1 << n))),
        };
        for other in self.groups().into_iter().filter(|o| *o != g) {
            let verb = if other.count_ones() == 1 { "is cut off and keeps" } else { "are cut off and keep" };
            line.push_str(&format!(" {} {verb} {}.", names(other), self.describe(self.holds[members(other).next().unwrap_or(0)])));
        }
        line
    }

    fn read(&mut self, n: usize, mode: Mode) -> String {
        let (g, name) = (self.group(n), NODES[n]);
        if mode == Mode::Cp && g.count_ones() < MAJORITY {
            self.counts.reads_refused += 1;
            return format!("Read at {name} refused: {}", self.refusal(n));
        }
        self.counts.reads_ok += 1;
        let got = self.describe(self.holds[n]);
        let from = match mode {
            Mode::Cp => format!("Read at {name} through a quorum of {}: {got}", names(g)),
            Mode::Ap => format!("Read at {name} from its own copy: {got}"),
        };
        if self.is_stale(n) {
            self.counts.stale += 1;
            let latest = self.latest();
            format!("{from}, stale: the latest anywhere is {} on {}.", self.describe(latest), names(self.holders(latest)))
        } else if mode == Mode::Cp {
            format!("{from}, the latest committed value (a linearizable read).")
        } else {
            format!("{from}, up to date.")
        }
    }

    fn relink(&mut self, op: Op) -> String {
        let before = self.up;
        let what = match op {
            Op::Cut(l) => {
                self.up[l] = false;
                format!("Link {} cut.", link_name(l))
            }
            Op::Heal(l) => {
                self.up[l] = true;
                format!("Link {} healed.", link_name(l))
            }
            Op::Isolate(n) => {
                let touching: Vec<usize> = (0..3).filter(|&l| LINKS[l].0 == n || LINKS[l].1 == n).collect();
                for &l in &touching {
                    self.up[l] = false;
                }
                format!("{} isolated (links {} and {} cut).", NODES[n], link_name(touching[0]), link_name(touching[1]))
            }
            _ => {
                self.up = [true; 3];
                "All links healed.".to_string()
            }
        };
        if before == self.up {
            return format!("{what} Nothing changes: the links already were like this.");
        }
        let groups = self.groups();
        let mut line = if groups.len() > 1 {
            let parts: Vec<String> = groups.iter().map(|g| format!("{{{}}}", names(*g))).collect();
            format!("{what} The nodes are split into {}.", parts.join(" and "))
        } else if self.up.iter().all(|u| *u) {
            format!("{what} All three nodes are connected.")
        } else {
            format!("{what} All three nodes still reach each other through the remaining links: no partition.")
        };
        for g in groups {
            if let Some(merged) = self.reconcile(g) {
                line.push(' ');
                line.push_str(&merged);
            }
        }
        line
    }

    /// Bring a newly joined group to one value: the highest stamp wins; writes it never saw are lost.
    fn reconcile(&mut self, g: u8) -> Option<String> {
        let winner = members(g).map(|j| self.holds[j]).max_by_key(|&w| self.writes[w].stamp())?;
        if members(g).all(|j| self.holds[j] == winner) {
            return None;
        }
        let known = self.writes[winner].known;
        let union = members(g).fold(0, |u, j| u | self.seen[j]);
        let (mut behind, mut beaten) = (0u8, vec![]);
        for j in members(g) {
            let h = self.holds[j];
            if h != winner && known >> h & 1 == 1 {
                behind |= 1 << j;
            } else if h != winner && !beaten.contains(&h) {
                beaten.push(h);
            }
        }
        let lost = union & !known & !self.lost;
        self.lost |= lost;
        self.counts.lost += lost.count_ones();
        for j in members(g) {
            self.holds[j] = winner;
            self.seen[j] = union;
        }
        let mut out = vec![];
        if behind != 0 {
            let verb = if behind.count_ones() == 1 { "catches" } else { "catch" };
            out.push(format!("{} {verb} up to {}.", names(behind), self.describe(winner)));
        }
        if !beaten.is_empty() {
            let beaten: Vec<String> = beaten.iter().map(|&w| self.describe(w)).collect();
            let lost: Vec<String> = (0..self.writes.len()).filter(|w| lost >> w & 1 == 1).map(|w| format!("x={} at {}", self.writes[w].value, NODES[self.writes[w].node])).collect();
            let (s, verb) = if lost.len() == 1 { ("", "is") } else { ("s", "are") };
            out.push(format!(
                "Last writer wins on (version, node): {} beats {}, so the write{s} {} {verb} lost.",
                self.describe(winner),
                beaten.join(" and "),
                lost.join(" and ")
            ));
        }
        Some(out.join(" "))
    }
}
