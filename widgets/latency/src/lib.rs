//! Latency numbers every programmer should know, on a logarithmic scale, with a "human scale"
//! (if 1 ns were 1 s) and each number's source and year.

use widget_core::format::{coord, duration, number, short};
use widget_core::{Markup, ParamError, Params, Widget};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Cpu,
    Memory,
    Storage,
    Network,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::Cpu => "cpu",
            Category::Memory => "memory",
            Category::Storage => "storage",
            Category::Network => "network",
        }
    }
}

pub struct Source {
    pub short: &'static str,
    pub year: u16,
    pub url: &'static str,
}

const DEAN: Source = Source {
    short: "Jeff Dean, LADIS keynote",
    year: 2009,
    url: "https://www.cs.cornell.edu/projects/ladis2009/talks/dean-keynote-ladis2009.pdf",
};
const BONER: Source = Source {
    short: "Jonas Bonér's compilation of these numbers",
    year: 2012,
    url: "https://gist.github.com/jboner/2841832",
};

pub struct Row {
    pub what: &'static str,
    pub ns: f64,
    pub category: Category,
    pub source: &'static Source,
}

/// The classic table. Figures are approximate, for hardware of their time, and are meant as
/// orders of magnitude.
pub const ROWS: &[Row] = &[
    Row { what: "L1 cache reference", ns: 0.5, category: Category::Memory, source: &DEAN },
    Row { what: "Branch mispredict", ns: 5.0, category: Category::Cpu, source: &DEAN },
    Row { what: "L2 cache reference", ns: 7.0, category: Category::Memory, source: &DEAN },
    Row { what: "Mutex lock/unlock", ns: 25.0, category: Category::Cpu, source: &DEAN },
    Row { what: "Main memory reference", ns: 100.0, category: Category::Memory, source: &DEAN },
    Row { what: "Compress 1 KB with Zippy (Snappy)", ns: 3_000.0, category: Category::Cpu, source: &DEAN },
    Row { what: "Send 2 KB over a 1 Gbps network", ns: 20_000.0, category: Category::Network, source: &DEAN },
    Row { what: "SSD random read", ns: 150_000.0, category: Category::Storage, source: &BONER },
    Row { what: "Read 1 MB sequentially from memory", ns: 250_000.0, category: Category::Memory, source: &DEAN },
    Row { what: "Round trip within the same datacenter", ns: 500_000.0, category: Category::Network, source: &DEAN },
    Row { what: "Read 1 MB sequentially from SSD", ns: 1_000_000.0, category: Category::Storage, source: &BONER },
    Row { what: "Disk seek", ns: 10_000_000.0, category: Category::Storage, source: &DEAN },
    Row { what: "Read 1 MB sequentially from disk", ns: 20_000_000.0, category: Category::Storage, source: &DEAN },
    Row { what: "Packet California → Netherlands → California", ns: 150_000_000.0, category: Category::Network, source: &DEAN },
];

const FILTERS: [&str; 5] = ["all", "cpu", "memory", "storage", "network"];

pub struct Latency {
    filter: &'static str,
    human: bool,
    /// Index into ROWS of the row compared against the L1 reference.
    selected: usize,
}

impl Latency {
    pub fn visible(&self) -> impl Iterator<Item = (usize, &'static Row)> + '_ {
        ROWS.iter().enumerate().filter(|(_, r)| self.filter == "all" || r.category.name() == self.filter)
    }
}

/// Bar length on the log scale: 0 at 0.1 ns, 1 at 1 s (ten decades).
pub fn log_position(ns: f64) -> f64 {
    ((ns / 0.1).log10() / 10.0).clamp(0.0, 1.0)
}

/// A latency shown as a time: nanoseconds as they are, or (human scale) as if 1 ns were 1 s.
pub fn show(ns: f64, human: bool) -> String {
    match human {
        true if ns < 1.0 => format!("{} s", number(ns, 1)),
        true => duration(ns),
        false => duration(ns * 1e-9),
    }
}

impl Widget for Latency {
    const NAME: &'static str = "latency";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        p.only(&["filter", "human", "selected"])?;
        Ok(Latency {
            filter: p.choice("filter", "all", &FILTERS)?,
            human: p.bool_or("human", false)?,
            selected: p.u32_in("selected", 4, 0, ROWS.len() as u32 - 1)? as usize,
        })
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        p.set("filter", self.filter).set("human", self.human).set("selected", self.selected);
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        match event {
            "filter" => {
                if let Some(f) = FILTERS.iter().find(|f| **f == value) {
                    self.filter = f;
                }
            }
            "human" => self.human = value == "true",
            "select" => {
                if let Ok(i) = value.parse::<usize>() {
                    if i < ROWS.len() {
                        self.selected = i;
                    }
                }
            }
            _ => {}
        }
    }

    fn view(&self) -> String {
        let mut m = Markup::new();
        m.open("div", &[("class", "w-latency")]);
        m.open("div", &[("class", "w-controls")]);
        m.open("label", &[]).text("Show ");
        m.open("select", &[("data-ev", "filter")]);
        for f in FILTERS {
            let label = match f {
                "all" => "all categories",
                "cpu" => "CPU",
                other => other,
            };
            if f == self.filter {
                m.el("option", &[("value", f), ("selected", "")], label);
            } else {
                m.el("option", &[("value", f)], label);
            }
        }
        m.close("select").close("label");
        m.open("label", &[]).checkbox("human", None, self.human).text(" Human scale (if 1 ns were 1 second)").close("label");
        m.close("div");

        // The chart: one bar per row on a log axis from 0.1 ns to 1 s, each label above its bar
        // so the chart stays readable when a phone shrinks it.
        let rows: Vec<(usize, &Row)> = self.visible().collect();
        let (width, row_h) = (400.0, 34.0);
        let height = 30.0 + row_h * rows.len() as f64;
        m.open("svg", &[("viewBox", &format!("0 0 {} {}", coord(width + 20.0), coord(height))), ("class", "w-diagram w-latency-chart"), ("role", "img"), ("aria-label", "Bar chart of the latencies on a logarithmic scale; the table below has the same numbers")]);
        for (decade, label) in [(1.0, "1 ns"), (1e3, "1 µs"), (1e6, "1 ms"), (1e9, "1 s")] {
            let x = 10.0 + width * log_position(decade);
            m.void("line", &[("x1", &coord(x)), ("y1", "18"), ("x2", &coord(x)), ("y2", &coord(height - 4.0)), ("class", "w-grid")]);
            m.el("text", &[("x", &coord(x)), ("y", "12"), ("text-anchor", "middle"), ("class", "w-small")], label);
        }
        for (k, (i, r)) in rows.iter().enumerate() {
            let y = 24.0 + row_h * k as f64;
            let class = if *i == self.selected { "w-bar w-bar-selected" } else { "w-bar" };
            m.el("text", &[("x", "10"), ("y", &coord(y + 11.0)), ("class", "w-small")], &format!("{} · {}", r.what, show(r.ns, self.human)));
            m.void("rect", &[("x", "10"), ("y", &coord(y + 15.0)), ("width", &coord((width * log_position(r.ns)).max(2.0))), ("height", "12"), ("rx", "3"), ("class", class)]);
        }
        m.close("svg");
        m.el("p", &[("class", "w-formula")], "Logarithmic axis: each grid line is 1,000 times the one before; a bar's length is log10(t / 0.1 ns) / 10 of the axis.");

        // The same numbers as a table, with sources and the comparison.
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], if self.human { "Latencies, scaled so that 1 ns becomes 1 s" } else { "Latencies" });
        m.open("thead", &[]).open("tr", &[]);
        for h in ["Operation and source", if self.human { "Human scale" } else { "Time" }, "× L1 cache"] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        for (i, r) in &rows {
            let idx = i.to_string();
            let selected = if *i == self.selected { "true" } else { "false" };
            m.open("tr", &[]);
            m.open("th", &[("scope", "row")]).el("button", &[("type", "button"), ("class", "w-link"), ("data-ev", "select"), ("data-arg", &idx), ("aria-pressed", selected)], r.what);
            m.el("a", &[("href", r.source.url), ("class", "w-source")], &format!("{}, {}", r.source.short, r.source.year)).close("th");
            m.el("td", &[], &show(r.ns, self.human));
            m.el("td", &[], &number(r.ns / ROWS[0].ns, 0));
            m.close("tr");
        }
        m.close("tbody").close("table");

        let s = &ROWS[self.selected];
        m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
        m.open("p", &[]).el("strong", &[], s.what).textf(format_args!(
            " takes {} ({} on the human scale): {} times an L1 cache reference and {} times a main memory reference.",
            show(s.ns, false), show(s.ns, true), number(s.ns / ROWS[0].ns, 0), short(s.ns / ROWS[4].ns, 2)
        )).close("p");
        let ns = short(s.ns, 1);
        m.el("p", &[("class", "w-formula")], &format!("Human scale: t × 10⁹, so {ns} ns becomes {ns} s. Ratio: {ns} ns / 0.5 ns = {}.", number(s.ns / 0.5, 0)));
        m.el("p", &[("class", "w-note")], "These are approximate figures for Google's hardware of 2009, useful as orders of magnitude, not measurements of your machine. The SSD rows come from the 2012 compilation, which gives no measurement behind them. Modern NVMe drives and networks are faster; the speed of light is not.");
        m.close("div").close("div");
        m.finish()
    }
}

widget_core::export_widget!(crate::Latency);

#[cfg(test)]
mod tests {
    use super::*;

    fn widget(config: &str) -> Latency {
        Latency::from_params(&Params::parse(config).unwrap()).unwrap()
    }

    #[test]
    fn log_scale_spans_ten_decades() {
        assert_eq!(log_position(0.1), 0.0);
        assert!((log_position(1.0) - 0.1).abs() < 1e-12);
        assert!((log_position(1e9) - 1.0).abs() < 1e-12);
        assert!((log_position(100.0) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn human_scale_turns_nanoseconds_into_seconds() {
        assert_eq!(show(0.5, true), "0.5 s");
        assert_eq!(show(100.0, true), "100 s");
        assert_eq!(show(150_000_000.0, true), "4.75 years");
        assert_eq!(show(150_000_000.0, false), "150 ms");
    }

    #[test]
    fn filters_by_category() {
        let mut w = widget("filter: network");
        assert_eq!(w.visible().count(), 3);
        assert!(w.view().contains("Round trip within the same datacenter") && !w.view().contains(">L1 cache reference<"));
        w.update("filter", "storage");
        assert_eq!(w.visible().count(), 4);
        w.update("filter", "<bogus>");
        assert_eq!(w.filter, "storage");
    }

    #[test]
    fn every_row_has_a_source_and_the_table_is_sorted() {
        assert!(ROWS.windows(2).all(|w| w[0].ns <= w[1].ns));
        let html = widget("").view();
        for r in ROWS {
            let cited = widget_core::markup::escape(&format!("{}, {}", r.source.short, r.source.year));
            assert!(html.contains(&cited), "{cited}");
        }
    }

    #[test]
    fn selecting_a_row_explains_it_with_ratios() {
        let mut w = widget("human: true");
        w.update("select", "13");
        let html = w.view();
        assert!(html.contains("300,000,000 times an L1 cache reference"), "{html}");
        assert!(html.contains("Human scale"));
        let fragment = w.to_params().to_fragment();
        let (back, _) = widget_core::restore::<Latency>("", &fragment).unwrap();
        assert_eq!((back.selected, back.human, back.filter), (13, true, "all"));
    }

    #[test]
    fn bad_parameters_are_refused() {
        for bad in ["filter: gpu", "human: yes", "selected: 99", "colour: red"] {
            assert!(Latency::from_params(&Params::parse(bad).unwrap()).is_err(), "{bad}");
        }
    }
}
