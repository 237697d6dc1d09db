//! CAP visualizer: a replicated key-value store of three nodes (A, B, C) holding one register
//! `x`. The learner cuts and heals links, picks how the store behaves during a partition, and
//! sends writes and reads to chosen nodes.
//!
//! Model (stated in the view too):
//! - Nodes that are connected, directly or through the third node, form a group. A write
//!   reaches every node of the writer's group at once, and nodes of one group always agree.
//! - CP: a request needs a majority of the N = 3 nodes, ⌊N/2⌋ + 1 = 2, in the group of the node
//!   receiving it; otherwise it is refused. Write quorum W = 2, read quorum R = 2:
//!   W + R = 4 > N, so every read quorum overlaps the last write quorum (Gifford, 1979) and a
//!   read returns the latest committed value (a linearizable read). Healing is a catch-up.
//! - AP: every node accepts writes and answers reads from its own copy (W = R = 1). A write is
//!   stamped (version, node) with version = the node's version + 1. A read is stale when its
//!   stamp is below the highest stamp held anywhere. When links heal, the joined group keeps the
//!   highest stamp (last writer wins; ties go to the later node name); a write is lost when the
//!   winner was written without knowing it (tracked with a bit set of the writes each write
//!   had seen).
//!
//! State is a replay: (mode, links cut at the start, list of at most 40 operations). Switching
//! the mode replays the same operations, so the log always matches the shared link.

mod model;

pub use model::*;
use widget_core::format::short;
use widget_core::{Markup, ParamError, Params, Widget};

#[derive(Debug, Clone)]
pub struct Cap {
    pub mode: Mode,
    pub scenario: Option<usize>,
    pub start_cut: [bool; 3],
    pub ops: Vec<Op>,
    pub sim: Sim,
}

impl Cap {
    fn replay(&mut self) {
        let mut sim = Sim::new(self.start_cut);
        for op in &self.ops {
            sim.apply(*op, self.mode);
        }
        self.sim = sim;
    }

    fn push(&mut self, op: Op) {
        if self.ops.len() < MAX_OPS {
            self.ops.push(op);
            self.sim.apply(op, self.mode);
        }
    }

    fn start(&mut self, scenario: Option<usize>) {
        self.scenario = scenario;
        self.start_cut = [false; 3];
        self.ops = scenario.map(scenario_ops).unwrap_or_default();
        self.replay();
    }
}

impl Widget for Cap {
    const NAME: &'static str = "cap";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        p.only(&["mode", "scenario", "cut", "ops"])?;
        let mode = if p.choice("mode", "cp", &["cp", "ap"])? == "ap" { Mode::Ap } else { Mode::Cp };
        let scenario = match p.get("scenario") {
            None | Some("none") => None,
            Some(v) => Some(SCENARIOS.iter().position(|s| s.id == v).ok_or_else(|| {
                let ids: Vec<&str> = SCENARIOS.iter().map(|s| s.id).collect();
                ParamError::new("scenario", format!("expected none or one of {}, got `{v}`", ids.join(", ")))
            })?),
        };
        let start_cut = parse_cut(p.get("cut").unwrap_or("none"))?;
        let ops = match (p.get("ops"), scenario) {
            (Some(text), _) => parse_ops(text).map_err(|m| ParamError::new("ops", m))?,
            (None, Some(i)) => scenario_ops(i),
            (None, None) => vec![],
        };
        if let Some(i) = scenario
            && !ops.starts_with(&scenario_ops(i))
        {
            return Err(ParamError::new("ops", format!("must start with the steps of scenario {} ({}), or be left out", SCENARIOS[i].id, SCENARIOS[i].ops)));
        }
        let mut w = Cap { mode, scenario, start_cut, ops, sim: Sim::new(start_cut) };
        w.replay();
        Ok(w)
    }

    fn to_params(&self) -> Params {
        let cut: Vec<String> = (0..3).filter(|&l| self.start_cut[l]).map(link_code).collect();
        let ops: Vec<String> = self.ops.iter().map(|o| o.token()).collect();
        let or_none = |v: Vec<String>| if v.is_empty() { "none".to_string() } else { v.join(",") };
        let mut p = Params::new();
        p.set("mode", if self.mode == Mode::Ap { "ap" } else { "cp" })
            .set("scenario", self.scenario.map_or("none", |i| SCENARIOS[i].id))
            .set("cut", or_none(cut))
            .set("ops", or_none(ops));
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let node = node_of(value);
        match event {
            "mode" => {
                let mode = match value {
                    "cp" => Mode::Cp,
                    "ap" => Mode::Ap,
                    _ => return,
                };
                if mode != self.mode {
                    self.mode = mode;
                    self.replay();
                }
            }
            "scenario" if value == "none" => self.start(None),
            "scenario" => {
                if let Some(i) = SCENARIOS.iter().position(|s| s.id == value) {
                    self.start(Some(i));
                }
            }
            "reset" => self.start(None),
            "write" => node.into_iter().for_each(|n| self.push(Op::Write(n))),
            "read" => node.into_iter().for_each(|n| self.push(Op::Read(n))),
            "link" => {
                if let Some(l) = link_of(value) {
                    self.push(if self.sim.up[l] { Op::Cut(l) } else { Op::Heal(l) });
                }
            }
            "isolate" => {
                if let Some(n) = node
                    && (0..3).any(|l| self.sim.up[l] && (LINKS[l].0 == n || LINKS[l].1 == n))
                {
                    self.push(Op::Isolate(n));
                }
            }
            "heal-all" if self.sim.up.contains(&false) => self.push(Op::HealAll),
            "undo" if self.ops.pop().is_some() => {
                if self.scenario.is_some_and(|i| !self.ops.starts_with(&scenario_ops(i))) {
                    self.scenario = None;
                }
                self.replay();
            }
            _ => {}
        }
    }

    fn view(&self) -> String {
        let mut m = Markup::new();
        let s = &self.sim;
        let full = self.ops.len() >= MAX_OPS;
        m.open("div", &[("class", "w-cap")]);

        m.open("div", &[("class", "w-controls")]);
        m.open("label", &[]).text("Mode ");
        m.open("select", &[("data-ev", "mode")]);
        for (v, label, on) in [("cp", "CP: consistency first", self.mode == Mode::Cp), ("ap", "AP: availability first", self.mode == Mode::Ap)] {
            option(&mut m, v, label, on);
        }
        m.close("select").close("label");
        m.open("label", &[]).text("Scenario ");
        m.open("select", &[("data-ev", "scenario")]);
        option(&mut m, "none", "None: start from scratch", self.scenario.is_none());
        for (i, sc) in SCENARIOS.iter().enumerate() {
            option(&mut m, sc.id, sc.title, self.scenario == Some(i));
        }
        m.close("select").close("label");
        m.close("div");
        if let Some(i) = self.scenario {
            m.open("p", &[("class", "w-note")]).el("strong", &[], SCENARIOS[i].title).text(". Look for: ").text(SCENARIOS[i].look).close("p");
        }

        let button = |m: &mut Markup, ev: &'static str, arg: &str, label: &str, off: bool| {
            let mut attrs = vec![("type", "button"), ("data-ev", ev), ("data-arg", arg)];
            if off {
                attrs.push(("disabled", ""));
            }
            m.el("button", &attrs, label);
        };
        m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", "Requests")]);
        m.el("span", &[], "Requests:");
        for name in NODES {
            button(&mut m, "write", name, &format!("Write x={} at {name}", s.next_value), full);
        }
        for name in NODES {
            button(&mut m, "read", name, &format!("Read at {name}"), full);
        }
        m.close("div");
        m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", "Network")]);
        m.el("span", &[], "Network:");
        for l in 0..3 {
            let label = format!("{} {}", if s.up[l] { "Cut" } else { "Heal" }, link_name(l));
            button(&mut m, "link", &link_code(l), &label, full);
        }
        for (n, name) in NODES.iter().enumerate() {
            let linked = (0..3).any(|l| s.up[l] && (LINKS[l].0 == n || LINKS[l].1 == n));
            button(&mut m, "isolate", name, &format!("Isolate {name}"), full || !linked);
        }
        m.el("button", &[("type", "button"), ("data-ev", "heal-all")], "Heal all");
        m.close("div");
        m.open("div", &[("class", "w-controls")]);
        m.el("button", &[("type", "button"), ("data-ev", "undo")], "Undo last step");
        m.el("button", &[("type", "button"), ("data-ev", "reset")], "Start over");
        m.el("span", &[("class", "w-note")], &format!("{} of {MAX_OPS} steps{}", self.ops.len(), if full { ": the history is full, undo or start over" } else { "" }));
        m.close("div");

        self.picture(&mut m);
        self.node_table(&mut m);
        self.results(&mut m);
        s.log.view(&mut m, "Nothing yet: pick a scenario, or isolate a node and then write and read at different nodes.");
        m.el("p", &[("class", "w-formula")], &format!("ops: {}", self.to_params().get("ops").unwrap_or("none")));
        m.el(
            "p",
            &[("class", "w-source")],
            "Model: messages travel over any working link, also through the third node; a write reaches its whole group at once; copies reconcile when links heal. Sources: CAP conjecture, Eric Brewer, PODC keynote, 2000; its proof, Seth Gilbert and Nancy Lynch, SIGACT News, 2002; quorums with R + W > N and version numbers, David Gifford, “Weighted Voting for Replicated Data”, SOSP, 1979.",
        );
        m.close("div");
        m.finish()
    }
}

fn option(m: &mut Markup, value: &str, label: &str, selected: bool) {
    if selected {
        m.el("option", &[("value", value), ("selected", "")], label);
    } else {
        m.el("option", &[("value", value)], label);
    }
}

/// Node centres in the picture, and where each node's status line goes (x, y, anchor).
const POS: [(f64, f64); 3] = [(160.0, 62.0), (62.0, 198.0), (258.0, 198.0)];
const STATUS: [(&str, &str, &str); 3] = [("160", "20", "middle"), ("12", "244", "start"), ("308", "244", "end")];

impl Cap {
    fn serves(&self, n: usize) -> bool {
        self.mode == Mode::Ap || self.sim.group(n).count_ones() >= MAJORITY
    }

    fn status(&self, n: usize) -> String {
        let s = &self.sim;
        let fresh = if s.is_stale(n) { format!("stale: latest is {}", s.stamp_text(s.latest())) } else { "up to date".to_string() };
        if self.serves(n) { fresh } else { format!("refuses (no majority); {fresh}") }
    }

    fn picture(&self, m: &mut Markup) {
        use widget_core::format::coord;
        let s = &self.sim;
        let cut: Vec<String> = (0..3).filter(|&l| !s.up[l]).map(link_name).collect();
        let mut label = String::from("The three nodes and their links. ");
        for (n, name) in NODES.iter().enumerate() {
            label.push_str(&format!("{name} holds {}, {}. ", s.describe(s.holds[n]), self.status(n)));
        }
        label.push_str(&if cut.is_empty() { "No link is cut.".to_string() } else { format!("Cut: {}.", cut.join(", ")) });
        m.open("svg", &[("viewBox", "0 0 320 256"), ("class", "w-diagram w-ring"), ("role", "img"), ("aria-label", &label)]);
        m.el("title", &[], &label);
        for (l, &(a, b)) in LINKS.iter().enumerate() {
            let ((x1, y1), (x2, y2)) = (POS[a], POS[b]);
            let class = if s.up[l] { "w-edge" } else { "w-grid w-c1" };
            m.void("line", &[("x1", &coord(x1)), ("y1", &coord(y1)), ("x2", &coord(x2)), ("y2", &coord(y2)), ("class", class)]);
            if !s.up[l] {
                let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
                m.el("text", &[("x", &coord(mx)), ("y", &coord(my + 4.0)), ("text-anchor", "middle"), ("class", "w-label")], "✕");
                let (tx, ty, anchor) = match l {
                    0 => (mx - 10.0, my + 4.0, "end"),
                    1 => (mx + 10.0, my + 4.0, "start"),
                    _ => (mx, my - 8.0, "middle"),
                };
                m.el("text", &[("x", &coord(tx)), ("y", &coord(ty)), ("text-anchor", anchor), ("class", "w-small")], "cut");
            }
        }
        for (n, &(x, y)) in POS.iter().enumerate() {
            let w = s.holds[n];
            m.void("rect", &[("x", &coord(x - 50.0)), ("y", &coord(y - 29.0)), ("width", "100"), ("height", "58"), ("rx", "6"), ("class", "w-node")]);
            m.el("text", &[("x", &coord(x)), ("y", &coord(y - 11.0)), ("text-anchor", "middle"), ("class", "w-label")], &format!("Node {}", NODES[n]));
            m.el("text", &[("x", &coord(x)), ("y", &coord(y + 6.0)), ("text-anchor", "middle"), ("class", "w-label")], &format!("x = {}", s.writes[w].value));
            m.el("text", &[("x", &coord(x)), ("y", &coord(y + 21.0)), ("text-anchor", "middle"), ("class", "w-small")], &s.stamp_text(w));
            let (sx, sy, anchor) = STATUS[n];
            let short_status = match (self.serves(n), s.is_stale(n)) {
                (false, true) => "refuses; stale copy".to_string(),
                (false, false) => "refuses: no majority".to_string(),
                (true, true) => format!("stale: latest v{}", s.writes[s.latest()].version),
                (true, false) => "up to date".to_string(),
            };
            m.el("text", &[("x", sx), ("y", sy), ("text-anchor", anchor), ("class", "w-small")], &short_status);
        }
        m.close("svg");
    }

    fn node_table(&self, m: &mut Markup) {
        let s = &self.sim;
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], "Each node's copy of x");
        m.open("thead", &[]).open("tr", &[]);
        for h in ["Node", "x", "Version", "Reaches", "Status"] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        for (n, name) in NODES.iter().enumerate() {
            let g = s.group(n);
            m.open("tr", &[]).el("th", &[("scope", "row")], name);
            m.el("td", &[], &s.writes[s.holds[n]].value.to_string());
            m.el("td", &[], &s.stamp_text(s.holds[n]));
            m.el("td", &[], &format!("{} ({} of 3)", names(g), g.count_ones()));
            m.el("td", &[], &self.status(n));
            m.close("tr");
        }
        m.close("tbody").close("table");
    }

    fn results(&self, m: &mut Markup) {
        let (s, c) = (&self.sim, &self.sim.counts);
        m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
        let groups = s.groups();
        m.open("p", &[]);
        if groups.len() == 1 {
            m.el("strong", &[], "No partition:").text(" A, B and C reach each other.");
        } else {
            let parts: Vec<String> = groups.iter().map(|g| format!("{{{}}}", names(*g))).collect();
            m.el("strong", &[], "Partitioned:").textf(format_args!(" the nodes are split into {}.", parts.join(" and ")));
        }
        m.text(match self.mode {
            Mode::Cp => " CP: a request is served only where a majority (2 of 3) is reachable; elsewhere it is refused.",
            Mode::Ap => " AP: every node serves reads and writes from its own copy; copies may differ until the links heal.",
        });
        m.close("p");

        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], "Requests so far");
        m.open("thead", &[]).open("tr", &[]);
        for h in ["", "Writes", "Reads"] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        for (what, w, r) in [
            ("Accepted", c.writes_ok.to_string(), c.reads_ok.to_string()),
            ("Refused", c.writes_refused.to_string(), c.reads_refused.to_string()),
            ("Stale (older than the latest version)", "–".to_string(), c.stale.to_string()),
            ("Lost in reconciliation", c.lost.to_string(), "–".to_string()),
        ] {
            m.open("tr", &[]).el("th", &[("scope", "row")], what).el("td", &[], &w).el("td", &[], &r).close("tr");
        }
        m.close("tbody").close("table");

        let accepted = c.writes_ok + c.reads_ok;
        let requests = accepted + c.writes_refused + c.reads_refused;
        if requests > 0 {
            m.el("p", &[("class", "w-formula")], &format!("Answered = accepted / requests = {accepted} / {requests} = {}%", short(100.0 * f64::from(accepted) / f64::from(requests), 1)));
        }
        m.el("p", &[("class", "w-formula")], "Majority of N = 3 nodes: ⌊N / 2⌋ + 1 = ⌊1.5⌋ + 1 = 2");
        let lines: [&str; 2] = match self.mode {
            Mode::Cp => [
                "CP quorums: W = 2, R = 2; W + R = 4 > N = 3, so every read quorum shares W + R − N = 1 node with the last write quorum and sees the latest version.",
                "Writes only happen on the majority side, so versions never fork: healing is a catch-up, never a conflict.",
            ],
            Mode::Ap => [
                "AP: W = 1, R = 1 (the node's own copy); W + R = 2 ≤ N = 3, so a read can miss the last write.",
                "Last writer wins: stamps (version, node) are compared as pairs, the higher version first, then the later node name (C > B > A); the loser's writes are lost.",
            ],
        };
        for line in lines {
            m.el("p", &[("class", "w-formula")], line);
        }
        m.close("div");
    }
}

widget_core::export_widget!(crate::Cap);

#[cfg(test)]
mod tests {
    use super::*;
    use widget_core::rng::Rng;

    fn cap(config: &str) -> Cap {
        Cap::from_params(&Params::parse(config).unwrap()).unwrap()
    }

    fn values(w: &Cap) -> [u32; 3] {
        w.sim.holds.map(|h| w.sim.writes[h].value)
    }

    fn versions(w: &Cap) -> [u32; 3] {
        w.sim.holds.map(|h| w.sim.writes[h].version)
    }

    #[test]
    fn operations_parse_and_print() {
        for t in ["w@A", "r@C", "cut@AB", "heal@BC", "iso@B", "heal@all"] {
            assert_eq!(Op::parse(t).unwrap().token(), t);
        }
        assert_eq!(Op::parse("cut@CA"), Some(Op::Cut(1)), "either order names the link");
        for bad in ["w@D", "cut@AA", "x@A", "w", "@", "cut@ABC", "heal@", "w@a", "cut@Aé", "cut@é"] {
            assert_eq!(Op::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn cp_refuses_without_a_majority_and_catches_up_on_heal() {
        // Scenario isolate-c in CP: w@A x=1 v1 on all; C isolated; w@C x=2 refused (C alone is
        // 1 < 2); w@A x=3 = v1 + 1 = v2 on A and B; heal: C catches up to x=3 v2.
        let w = cap("scenario: isolate-c");
        assert_eq!(values(&w), [3, 3, 3]);
        assert_eq!(versions(&w), [2, 2, 2]);
        assert_eq!(w.sim.counts, Counts { writes_ok: 2, writes_refused: 1, lost: 0, ..Counts::default() });
        let html = w.view();
        assert!(html.contains("Step 3: Write x=2 at C refused: C reaches only itself, and a majority is 2 of 3."), "{html}");
        assert!(html.contains("C catches up to x=3 (v2 by A)."));
        // 2 accepted of 3 requests: 200 / 3 = 66.67 -> 66.7%.
        assert!(html.contains("Answered = accepted / requests = 2 / 3 = 66.7%"));
    }

    #[test]
    fn ap_accepts_on_both_sides_and_last_writer_wins_on_heal() {
        // AP: w@C is v1 + 1 = v2 by C; w@A is also v2, by A. Heal: (2, C) > (2, A), so C's x=2
        // beats A's later x=3, which is lost.
        let w = cap("scenario: isolate-c\nmode: ap");
        assert_eq!(values(&w), [2, 2, 2]);
        assert_eq!(w.sim.counts, Counts { writes_ok: 3, lost: 1, ..Counts::default() });
        let html = w.view();
        assert!(html.contains("Write x=2 at C accepted as v2 and kept on C only. A and B are cut off and keep x=1 (v1 by A)."), "{html}");
        assert!(html.contains("x=2 (v2 by C) beats x=3 (v2 by A), so the write x=3 at A is lost."), "{html}");
    }

    #[test]
    fn minority_reads_are_stale_in_ap_and_refused_in_cp() {
        let ap = cap("scenario: minority-read\nmode: ap");
        assert_eq!((ap.sim.counts.reads_ok, ap.sim.counts.stale), (2, 1));
        assert!(ap.view().contains("Read at C from its own copy: x=1 (v1 by A), stale: the latest anywhere is x=2 (v2 by B) on A and B."));
        let cp = cap("scenario: minority-read");
        assert_eq!((cp.sim.counts.reads_ok, cp.sim.counts.reads_refused, cp.sim.counts.stale), (1, 1, 0));
        assert!(cp.view().contains("Read at A through a quorum of A and B: x=2 (v2 by B), the latest committed value"));
        assert!(cp.view().contains("stale: latest is v2 by B"), "C's copy is shown as stale");
    }

    #[test]
    fn reconciliation_loses_only_writes_the_winner_never_saw() {
        // AP: A writes x=1 (v1 by A); C writes x=2 (v1 by C) then x=3 (v2 by C, which saw x=2).
        // Heal: (2, C) wins; x=2 was superseded, not lost; x=1 at A is lost.
        let w = cap("scenario: heal-reconcile\nmode: ap");
        assert_eq!(values(&w), [3, 3, 3]);
        assert_eq!(w.sim.counts.lost, 1);
        assert!(w.view().contains("x=3 (v2 by C) beats x=1 (v1 by A), so the write x=1 at A is lost."), "{}", w.view());
        // Three singletons: all version 1, C wins, A's and B's writes are lost; CP refuses all.
        let three = cap("scenario: three-way\nmode: ap");
        assert_eq!((values(&three), three.sim.counts.lost), ([3, 3, 3], 2));
        assert!(three.view().contains("so the writes x=1 at A and x=2 at B are lost"));
        assert_eq!(cap("scenario: three-way").sim.counts.writes_refused, 3);
        // Healed in two steps: A–B first, (1, B) beats (1, A) and x=1 is lost; then C's (1, C)
        // beats (1, B) and only x=2 is newly lost: 2 lost writes in all, none counted twice.
        let steps = cap("mode: ap\nops: iso@A,iso@B,w@A,w@B,w@C,heal@AB,heal@all");
        assert_eq!(steps.sim.counts.lost, 2);
        let html = steps.view();
        assert!(html.contains("x=2 (v1 by B) beats x=1 (v1 by A), so the write x=1 at A is lost."), "{html}");
        assert!(html.contains("x=3 (v1 by C) beats x=2 (v1 by B), so the write x=2 at B is lost."), "{html}");
    }

    #[test]
    fn without_a_partition_both_modes_agree() {
        for id in ["connected", "one-link"] {
            let (cp, ap) = (cap(&format!("scenario: {id}")), cap(&format!("scenario: {id}\nmode: ap")));
            assert_eq!(cp.sim.counts, ap.sim.counts, "{id}");
            assert_eq!((cp.sim.counts.writes_refused, cp.sim.counts.reads_refused, cp.sim.counts.stale), (0, 0, 0));
            assert_eq!(values(&cp), values(&ap));
        }
        assert!(cap("scenario: one-link").view().contains("still reach each other through the remaining links: no partition"));
    }

    #[test]
    fn cp_is_never_stale_and_never_loses_and_ap_converges() {
        let mut rng = Rng::new(7);
        for _ in 0..300 {
            let ops: Vec<Op> = (0..MAX_OPS)
                .map(|_| match rng.below(6) {
                    0 => Op::Write(rng.below(3) as usize),
                    1 => Op::Read(rng.below(3) as usize),
                    2 => Op::Cut(rng.below(3) as usize),
                    3 => Op::Heal(rng.below(3) as usize),
                    4 => Op::Isolate(rng.below(3) as usize),
                    _ => Op::HealAll,
                })
                .collect();
            for mode in [Mode::Cp, Mode::Ap] {
                let mut sim = Sim::new([false; 3]);
                for op in &ops {
                    sim.apply(*op, mode);
                    for g in sim.groups() {
                        let first = sim.holds[members(g).next().unwrap()];
                        assert!(members(g).all(|j| sim.holds[j] == first), "a group agrees");
                    }
                }
                if mode == Mode::Cp {
                    assert_eq!((sim.counts.stale, sim.counts.lost), (0, 0));
                }
                sim.apply(Op::HealAll, mode);
                assert!(sim.holds.iter().all(|h| *h == sim.holds[0]), "healed copies converge");
                assert!(sim.counts.lost <= sim.counts.writes_ok);
            }
        }
    }

    #[test]
    fn events_drive_the_store() {
        let mut w = cap("");
        w.update("isolate", "C");
        assert_eq!(w.sim.up, [true, false, false]);
        w.update("isolate", "C");
        assert_eq!(w.ops.len(), 1, "isolating again changes nothing and is not recorded");
        w.update("write", "C");
        assert_eq!(w.sim.counts.writes_refused, 1);
        w.update("mode", "ap");
        assert_eq!((w.sim.counts.writes_refused, w.sim.counts.writes_ok), (0, 1), "the same history replayed in AP");
        w.update("link", "BC");
        assert_eq!(w.sim.up, [true, false, true]);
        assert_eq!(values(&w), [1, 1, 1], "B and then A learn C's write");
        w.update("heal-all", "");
        w.update("heal-all", "");
        assert_eq!(w.ops.iter().map(|o| o.token()).collect::<Vec<_>>(), ["iso@C", "w@C", "heal@BC", "heal@all"]);
        w.update("scenario", "minority-read");
        assert_eq!((w.scenario, w.ops.len()), (Some(1), 5));
        w.update("read", "B");
        w.update("undo", "");
        assert_eq!(w.scenario, Some(1), "still the scenario's steps");
        w.update("undo", "");
        assert_eq!(w.scenario, None, "undoing a scenario step leaves the scenario");
        w.update("reset", "");
        assert!(w.ops.is_empty() && w.sim.up == [true; 3]);
    }

    #[test]
    fn hostile_events_never_panic_and_history_is_capped() {
        let mut w = cap("mode: ap");
        for ev in ["mode", "scenario", "write", "read", "link", "isolate", "heal-all", "undo", "reset", "", "<script>"] {
            for v in ["", "none", "A", "Z", "AB", "AA", "é", "Aé", "éA", "ABC", "-1", "99999999999999999999", "<img src=x>", "ap|cp", "\u{0}"] {
                w.update(ev, v);
                let _ = w.view();
            }
        }
        let mut w = cap("");
        for i in 0..100 {
            w.update(if i % 2 == 0 { "write" } else { "link" }, if i % 2 == 0 { "A" } else { "AB" });
        }
        assert_eq!(w.ops.len(), MAX_OPS);
        let html = w.view();
        assert!(html.contains("40 of 40 steps: the history is full"));
        assert!(html.contains("disabled"));
    }

    #[test]
    fn state_round_trips_through_the_fragment() {
        let mut w = cap("cut: AC");
        for (ev, v) in [("write", "A"), ("isolate", "B"), ("write", "B"), ("mode", "ap"), ("write", "C"), ("read", "B"), ("link", "AB")] {
            w.update(ev, v);
        }
        let fragment = w.to_params().to_fragment();
        assert!(fragment.contains("cut=AC") && fragment.contains("mode=ap"), "{fragment}");
        let (back, notice) = widget_core::restore::<Cap>("scenario: connected", &fragment).unwrap();
        assert!(notice.is_none());
        assert_eq!(back.view(), w.view(), "the same view, log included");
        // Starting over must override an author's configuration when shared.
        w.update("reset", "");
        let (back, _) = widget_core::restore::<Cap>("scenario: connected\ncut: AB", &w.to_params().to_fragment()).unwrap();
        assert_eq!(back.view(), w.view());
        let (fallback, notice) = widget_core::restore::<Cap>("mode: ap", "ops=w%40D").unwrap();
        assert!(fallback.ops.is_empty() && notice.unwrap().contains("could not be used"));
    }

    #[test]
    fn bad_configuration_names_the_problem() {
        let long = vec!["w@A"; 41].join(",");
        for (bad, key) in [
            ("mode: ca", "mode"),
            ("scenario: nope", "scenario"),
            ("cut: AD", "cut"),
            ("cut: AB,BA", "cut"),
            ("ops: w@A,x@B", "ops"),
            (&format!("ops: {long}") as &str, "ops"),
            ("scenario: connected\nops: r@A", "ops"),
            ("colour: red", "colour"),
        ] {
            let err = Cap::from_params(&Params::parse(bad).unwrap()).unwrap_err();
            assert_eq!(err.key.as_deref(), Some(key), "{bad}: {err}");
        }
        assert!(Cap::from_params(&Params::parse("ops: w@A,x@B").unwrap()).unwrap_err().message.contains("`x@B` is not an operation"));
        assert_eq!(cap(&format!("ops: {}", vec!["w@A"; 40].join(","))).ops.len(), 40);
        assert_eq!(cap("cut: none\nops: none\nscenario: none").ops.len(), 0);
    }

    #[test]
    fn view_has_picture_controls_numbers_and_sources() {
        let w = cap("scenario: isolate-c\nmode: ap");
        let html = w.view();
        assert_eq!(html, cap("scenario: isolate-c\nmode: ap").view(), "deterministic");
        assert!(html.contains("<svg viewBox=\"0 0 320 256\"") && !html.contains("width=\"320\""));
        assert!(html.contains("<title>") && html.contains("role=\"img\""));
        assert!(html.contains("data-ev=\"mode\"") && html.contains("data-ev=\"scenario\""));
        assert!(html.contains("data-ev=\"link\" data-arg=\"AB\">Cut A–B<"));
        assert!(html.contains("W + R = 2 ≤ N = 3"));
        assert!(html.contains("Look for:"));
        assert!(html.contains("Nancy Lynch, SIGACT News, 2002") && html.contains("SOSP, 1979"));
        assert!(html.contains("ops: w@A,iso@C,w@C,w@A,heal@all"));
        let cut = cap("cut: AB,AC");
        let html = cut.view();
        assert_eq!(html.matches("class=\"w-grid w-c1\"").count(), 2, "two cut links drawn dashed red");
        assert!(html.contains("Partitioned:"));
        assert!(html.contains("split into {A} and {B and C}"), "{html}");
        assert!(html.contains("refuses: no majority"));
        assert!(cap("cut: AB,AC,BC\nmode: ap").view().contains("W = 1, R = 1"));
    }
}
