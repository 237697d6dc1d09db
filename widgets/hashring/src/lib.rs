//! Consistent hashing ring: nodes with virtual nodes, a replication factor, and keys placed on
//! the ring. Shows the load per node (standard deviation, max/mean) and, on every change, how
//! many keys moved, next to what `hash mod N` would have moved.
//!
//! Positions come from a stable 64-bit hash of `seed:node#vnode` and `seed:key-i`; a key belongs
//! to the first virtual node clockwise from it, and its replicas to the next distinct nodes.

use widget_core::format::{coord, number};
use widget_core::rng::hash64;
use widget_core::trig::sin_cos;
use widget_core::{Log, Markup, ParamError, Params, Widget};

const MAX_NODES: usize = 16;
const NAMES: [&str; MAX_NODES] = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P"];

#[derive(Debug, Clone)]
pub struct Ring {
    /// Node names in the order they joined.
    pub nodes: Vec<&'static str>,
    pub vnodes: u32,
    pub replicas: u32,
    pub keys: u32,
    pub seed: u64,
    log: Log,
}

/// Load statistics over nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    pub per_node: Vec<u32>,
    pub mean: f64,
    pub std_dev: f64,
    pub max_over_mean: f64,
}

impl Ring {
    /// Sorted `(position, node index)` of every virtual node.
    pub fn points(&self) -> Vec<(u64, usize)> {
        let mut pts: Vec<(u64, usize)> = self
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(i, name)| (0..self.vnodes).map(move |v| (i, name, v)))
            .map(|(i, name, v)| (hash64(&format!("{}:{name}#{v}", self.seed)), i))
            .collect();
        pts.sort_unstable();
        pts
    }

    pub fn key_position(&self, k: u32) -> u64 {
        hash64(&format!("{}:key-{k}", self.seed))
    }

    /// The node owning each key (its primary replica), by node name.
    pub fn owners(&self) -> Vec<&'static str> {
        let pts = self.points();
        (0..self.keys).map(|k| self.nodes[owner_index(&pts, self.key_position(k))]).collect()
    }

    /// The nodes holding key `k`: its owner, then the next distinct nodes clockwise.
    pub fn preference_list(&self, points: &[(u64, usize)], k: u32) -> Vec<usize> {
        let start = points.partition_point(|p| p.0 < self.key_position(k));
        let mut out = vec![];
        for j in 0..points.len() {
            let node = points[(start + j) % points.len()].1;
            if !out.contains(&node) {
                out.push(node);
                if out.len() == self.replicas as usize {
                    break;
                }
            }
        }
        out
    }

    /// Keys stored per node, counting every replica.
    pub fn load(&self) -> Load {
        let pts = self.points();
        let mut per_node = vec![0u32; self.nodes.len()];
        for k in 0..self.keys {
            for n in self.preference_list(&pts, k) {
                per_node[n] += 1;
            }
        }
        stats(per_node)
    }

    /// The node `hash mod N` would pick for each key, for comparison.
    pub fn mod_n_owners(&self) -> Vec<&'static str> {
        (0..self.keys).map(|k| self.nodes[(self.key_position(k) % self.nodes.len() as u64) as usize]).collect()
    }

    fn apply(&mut self, change: impl FnOnce(&mut Ring) -> Option<String>) {
        let (before, before_mod) = (self.owners(), self.mod_n_owners());
        let Some(what) = change(self) else { return };
        let (after, after_mod) = (self.owners(), self.mod_n_owners());
        let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        let moved_mod = before_mod.iter().zip(&after_mod).filter(|(a, b)| a != b).count();
        let pct = |n: usize| number(100.0 * n as f64 / f64::from(self.keys), 1);
        self.log.push(format!(
            "{what} Ring: {moved} of {} keys moved ({}%); hash mod N would move {moved_mod} ({}%).",
            self.keys,
            pct(moved),
            pct(moved_mod)
        ));
    }

    fn clamp_replicas(&mut self) {
        self.replicas = self.replicas.min(self.nodes.len() as u32).max(1);
    }
}

fn owner_index(points: &[(u64, usize)], key: u64) -> usize {
    let i = points.partition_point(|p| p.0 < key);
    points[i % points.len()].1
}

pub fn stats(per_node: Vec<u32>) -> Load {
    let n = per_node.len().max(1) as f64;
    let mean = per_node.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    let var = per_node.iter().map(|&x| (f64::from(x) - mean).powi(2)).sum::<f64>() / n;
    let max = per_node.iter().copied().max().unwrap_or(0);
    Load { std_dev: var.sqrt(), max_over_mean: if mean > 0.0 { f64::from(max) / mean } else { 0.0 }, mean, per_node }
}

impl Widget for Ring {
    const NAME: &'static str = "hashring";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        p.only(&["nodes", "vnodes", "replicas", "keys", "seed", "names"])?;
        let nodes: Vec<&'static str> = match p.get("names") {
            // Shared state names the nodes (after removals they are not simply A, B, C ...).
            Some(list) => {
                let mut v = vec![];
                for name in list.split(',').filter(|s| !s.is_empty()) {
                    let n = NAMES.iter().find(|n| **n == name).ok_or_else(|| ParamError::new("names", format!("`{name}` is not a node name A to P")))?;
                    if v.contains(n) {
                        return Err(ParamError::new("names", format!("node {name} is listed twice")));
                    }
                    v.push(*n);
                }
                if v.is_empty() {
                    return Err(ParamError::new("names", "list at least one node"));
                }
                v
            }
            None => NAMES[..p.u32_in("nodes", 4, 1, MAX_NODES as u32)? as usize].to_vec(),
        };
        let replicas = p.u32_in("replicas", 1, 1, 3)?;
        if replicas as usize > nodes.len() {
            return Err(ParamError::new("replicas", "cannot exceed the number of nodes"));
        }
        Ok(Ring {
            nodes,
            vnodes: p.u32_in("vnodes", 8, 1, 200)?,
            replicas,
            keys: p.u32_in("keys", 200, 10, 2000)?,
            seed: u64::from(p.u32_in("seed", 1, 0, u32::MAX)?),
            log: Log::default(),
        })
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        p.set("names", self.nodes.join(","))
            .set("vnodes", self.vnodes)
            .set("replicas", self.replicas)
            .set("keys", self.keys)
            .set("seed", self.seed);
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let number_in = |lo: u32, hi: u32| value.trim().parse::<u32>().ok().filter(|v| (lo..=hi).contains(v));
        match event {
            "add-node" => self.apply(|r| {
                let name = *NAMES.iter().find(|n| !r.nodes.contains(n))?;
                r.nodes.push(name);
                Some(format!("Added node {name} ({} nodes).", r.nodes.len()))
            }),
            "remove-node" => self.apply(|r| {
                if r.nodes.len() <= 1 {
                    return None;
                }
                let i = r.nodes.iter().position(|n| *n == value)?;
                let name = r.nodes.remove(i);
                r.clamp_replicas();
                Some(format!("Removed node {name} ({} nodes).", r.nodes.len()))
            }),
            "vnodes" => {
                if let Some(v) = number_in(1, 200) {
                    self.apply(|r| {
                        r.vnodes = v;
                        Some(format!("Virtual nodes per node: {v}."))
                    });
                }
            }
            "replicas" => {
                if let Some(v) = number_in(1, 3) {
                    self.replicas = v;
                    self.clamp_replicas();
                }
            }
            "keys" => {
                if let Some(v) = number_in(10, 2000) {
                    self.keys = v;
                }
            }
            "reseed" => {
                self.seed = self.seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407) % 1_000_000;
                self.log.push(format!("New seed {}: every position is hashed again.", self.seed));
            }
            _ => {}
        }
    }

    fn view(&self) -> String {
        let mut m = Markup::new();
        let pts = self.points();
        let load = self.load();
        m.open("div", &[("class", "w-hashring")]);

        m.open("div", &[("class", "w-controls")]);
        if self.nodes.len() < MAX_NODES {
            m.el("button", &[("type", "button"), ("data-ev", "add-node")], "Add a node");
        }
        for (label, ev, value, lo, hi) in [
            ("Virtual nodes per node", "vnodes", self.vnodes, "1", "200"),
            ("Replication factor", "replicas", self.replicas, "1", "3"),
            ("Keys", "keys", self.keys, "10", "2000"),
        ] {
            m.open("label", &[]).text(label).text(" ");
            m.void("input", &[("type", "number"), ("data-ev", ev), ("value", &value.to_string()), ("min", lo), ("max", hi), ("step", "1"), ("inputmode", "numeric")]);
            m.close("label");
        }
        m.el("button", &[("type", "button"), ("data-ev", "reseed")], "New seed");
        m.close("div");

        // The ring: virtual nodes as ticks on the circle, keys as dots inside, coloured by owner.
        let (cx, cy, r) = (150.0, 150.0, 120.0);
        m.open("svg", &[("viewBox", "0 0 300 300"), ("class", "w-diagram w-ring"), ("role", "img"), ("aria-label", "The hash ring: each node's virtual nodes as coloured ticks, keys as dots coloured by their owner; the table lists the same loads")]);
        m.void("circle", &[("cx", "150"), ("cy", "150"), ("r", "120"), ("class", "w-track")]);
        let angle = |pos: u64| (pos as f64 / u64::MAX as f64) * std::f64::consts::TAU - std::f64::consts::FRAC_PI_2;
        let step = (self.keys as usize / 400).max(1);
        for k in (0..self.keys).step_by(step) {
            let pos = self.key_position(k);
            let (sin, cos) = sin_cos(angle(pos));
            let owner = owner_index(&pts, pos);
            m.void("circle", &[("cx", &coord(cx + (r - 14.0) * cos)), ("cy", &coord(cy + (r - 14.0) * sin)), ("r", "2.2"), ("class", &format!("w-key w-c{owner}"))]);
        }
        for (pos, node) in &pts {
            let (s, c) = sin_cos(angle(*pos));
            m.void("line", &[("x1", &coord(cx + (r - 7.0) * c)), ("y1", &coord(cy + (r - 7.0) * s)), ("x2", &coord(cx + (r + 7.0) * c)), ("y2", &coord(cy + (r + 7.0) * s)), ("class", &format!("w-vnode w-c{node}"))]);
        }
        m.el("text", &[("x", "150"), ("y", "146"), ("text-anchor", "middle"), ("class", "w-label")], &format!("{} nodes × {} vnodes", self.nodes.len(), self.vnodes));
        m.el("text", &[("x", "150"), ("y", "164"), ("text-anchor", "middle"), ("class", "w-small")], &format!("{} keys, {} cop{}", self.keys, self.replicas, if self.replicas == 1 { "y" } else { "ies" }));
        m.close("svg");

        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], "Keys stored per node (every replica counts)");
        m.open("thead", &[]).open("tr", &[]);
        for h in ["Node", "Keys", "Share", ""] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        let total: u32 = load.per_node.iter().sum();
        for (i, name) in self.nodes.iter().enumerate() {
            m.open("tr", &[]);
            m.open("th", &[("scope", "row")]).el("span", &[("class", &format!("w-swatch w-c{i}")), ("aria-hidden", "true")], "").text(" ").text(name).close("th");
            m.el("td", &[], &load.per_node[i].to_string());
            m.el("td", &[], &format!("{}%", number(100.0 * f64::from(load.per_node[i]) / f64::from(total.max(1)), 1)));
            m.open("td", &[]);
            if self.nodes.len() > 1 {
                m.el("button", &[("type", "button"), ("data-ev", "remove-node"), ("data-arg", name), ("aria-label", &format!("Remove node {name}"))], "Remove");
            }
            m.close("td").close("tr");
        }
        m.close("tbody").close("table");

        let n = self.nodes.len() as f64;
        m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
        m.open("p", &[]).textf(format_args!(
            "Mean {} keys per node; standard deviation {} ({}% of the mean); busiest node carries {}× the mean.",
            number(load.mean, 1), number(load.std_dev, 1), number(100.0 * load.std_dev / load.mean.max(1e-9), 1), number(load.max_over_mean, 2)
        )).close("p");
        m.el("p", &[("class", "w-formula")], "σ = √(Σ (loadᵢ − mean)² / N); max/mean = max(loadᵢ) / mean. More virtual nodes per node make σ smaller, roughly as 1/√vnodes.");
        m.el("p", &[("class", "w-formula")], &format!(
            "Adding one node to {} moves about 1/(N+1) = {}% of keys on the ring; hash mod N moves about N/(N+1) = {}%.",
            self.nodes.len(), number(100.0 / (n + 1.0), 1), number(100.0 * n / (n + 1.0), 1)
        ));
        m.close("div");

        self.log.view(&mut m, "Nothing yet: add or remove a node to see how many keys move.");
        m.close("div");
        m.finish()
    }
}

widget_core::export_widget!(crate::Ring);

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(config: &str) -> Ring {
        Ring::from_params(&Params::parse(config).unwrap()).unwrap()
    }

    #[test]
    fn more_virtual_nodes_even_out_the_load() {
        let spread = |v: u32| {
            let l = ring(&format!("nodes: 8\nvnodes: {v}\nkeys: 2000\nseed: 3")).load();
            l.std_dev / l.mean
        };
        let (few, many) = (spread(1), spread(200));
        assert!(few > 0.3, "one token per node is lumpy: {few}");
        assert!(many < 0.12, "200 vnodes per node is even: {many}");
        assert!(few > 3.0 * many);
    }

    #[test]
    fn adding_a_node_moves_about_one_in_n_plus_one_keys() {
        for n in [4usize, 9] {
            let mut r = ring(&format!("nodes: {n}\nvnodes: 100\nkeys: 2000\nseed: 11"));
            let before = r.owners();
            r.update("add-node", "");
            let after = r.owners();
            let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count() as f64 / 2000.0;
            let expected = 1.0 / (n as f64 + 1.0);
            assert!((moved - expected).abs() < 0.05, "n={n}: moved {moved}, expected about {expected}");
            // Every moved key moved to the new node.
            let new = *r.nodes.last().unwrap();
            assert!(before.iter().zip(&after).filter(|(a, b)| a != b).all(|(_, b)| *b == new));
            assert!(r.log.latest().unwrap().contains("hash mod N would move"));
        }
    }

    #[test]
    fn mod_n_moves_most_keys() {
        let mut r = ring("nodes: 4\nkeys: 2000");
        let before = r.mod_n_owners();
        r.update("add-node", "");
        let moved = before.iter().zip(r.mod_n_owners()).filter(|(a, b)| *a != b).count() as f64 / 2000.0;
        assert!((moved - 0.8).abs() < 0.05, "{moved}");
    }

    #[test]
    fn replicas_land_on_distinct_nodes() {
        let r = ring("nodes: 5\nvnodes: 3\nreplicas: 3\nkeys: 300");
        let pts = r.points();
        for k in 0..r.keys {
            let list = r.preference_list(&pts, k);
            assert_eq!(list.len(), 3);
            assert!(list[0] != list[1] && list[1] != list[2] && list[0] != list[2]);
        }
        assert_eq!(r.load().per_node.iter().sum::<u32>(), 900);
    }

    #[test]
    fn removing_nodes_and_sharing_state() {
        let mut r = ring("nodes: 4\nreplicas: 3");
        r.update("remove-node", "B");
        r.update("remove-node", "A");
        assert_eq!(r.nodes, ["C", "D"]);
        assert_eq!(r.replicas, 2, "replicas shrink with the nodes");
        let (back, notice) = widget_core::restore::<Ring>("nodes: 4", &r.to_params().to_fragment()).unwrap();
        assert!(notice.is_none());
        assert_eq!(back.nodes, ["C", "D"]);
        assert_eq!(back.owners(), r.owners());
        let (_, notice) = widget_core::restore::<Ring>("nodes: 4", "names=Z,%3Cimg%3E").unwrap();
        assert!(notice.is_some());
    }

    #[test]
    fn the_same_seed_gives_the_same_ring() {
        assert_eq!(ring("seed: 5").owners(), ring("seed: 5").owners());
        assert_ne!(ring("seed: 5").owners(), ring("seed: 6").owners());
    }
}
