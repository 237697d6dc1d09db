//! The widget's markup: the toggle, the headline numbers with their formulas, two charts over
//! time (rates; p95 response time by priority), tables by priority and off against on, the
//! inputs, the log and the sources.

use crate::*;
use widget_core::format::{coord, duration};

/// Priority colours (critical, normal, best-effort) in the charts and tables.
const PRIO_CLASS: [&str; 3] = ["w-c3", "w-c5", "w-c4"];
const PRIO_NAME: [&str; 3] = ["Critical", "Normal", "Best-effort"];

/// `duration` with a no-break space, and `–` for nothing measured.
pub fn dur(t: Option<f64>) -> String {
    match t {
        Some(t) if t > 0.0 => duration(t).replace(' ', "\u{a0}"),
        Some(_) => "0\u{a0}s".to_string(),
        None => "–".to_string(),
    }
}

fn rate(x: f64) -> String {
    format!("{}/s", number(x, 1))
}

use widget_core::axis::nice_step;

struct Series {
    class: &'static str,
    /// One value per bin.
    values: Vec<Option<f64>>,
}

struct Chart<'a> {
    title: &'a str,
    aria: &'a str,
    series: Vec<Series>,
    /// A horizontal reference line: value, class, label.
    line: (f64, &'static str, String),
}

// Plot area inside a 400 × 184 view box, readable when a phone shrinks it to 330 px.
const L: f64 = 40.0;
const R: f64 = 390.0;
const T: f64 = 24.0;
const B: f64 = 150.0;

fn chart(m: &mut Markup, w: &Shedding, c: Chart) {
    let run = w.run();
    let cfg = &w.cfg;
    let top = c.series.iter().flat_map(|s| s.values.iter().flatten()).fold(c.line.0, |a, b| a.max(*b)) * 1.1;
    let ystep = nice_step(top.max(1e-6));
    let ymax = (top / ystep).ceil() * ystep;
    let x = |t: f64| L + (R - L) * t / run.end;
    let y = |v: f64| B - (B - T) * v / ymax;

    m.open("svg", &[("viewBox", "0 0 400 184"), ("class", "w-diagram"), ("role", "img"), ("aria-label", c.aria)]);
    m.el("title", &[], c.title);
    m.el("text", &[("x", "4"), ("y", "12"), ("class", "w-label")], c.title);
    // The surge, shaded.
    if cfg.v[FOR] > 0.0 {
        let (a, b) = (x(cfg.v[AT]), x(cfg.surge_end()));
        m.void("rect", &[("x", &coord(a)), ("y", &coord(T)), ("width", &coord(b - a)), ("height", &coord(B - T)), ("class", "w-bar w-c1"), ("fill-opacity", "0.12")]);
        m.el("text", &[("x", &coord((a + b) / 2.0)), ("y", &coord(T + 10.0)), ("text-anchor", "middle"), ("class", "w-small")], "surge");
    }
    // Axes: value ticks on the left, time ticks below.
    let mut v = 0.0;
    while v <= ymax + 1e-9 {
        m.void("line", &[("x1", &coord(L)), ("y1", &coord(y(v))), ("x2", &coord(R)), ("y2", &coord(y(v))), ("class", "w-grid")]);
        m.el("text", &[("x", &coord(L - 3.0)), ("y", &coord(y(v) + 4.0)), ("text-anchor", "end"), ("class", "w-small")], &short(v, 3));
        v += ystep;
    }
    let tstep = [5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0].into_iter().find(|s| run.end / s <= 6.0).unwrap_or(600.0);
    let mut t = 0.0;
    while t <= run.end + 1e-9 {
        let anchor = if t == 0.0 { "start" } else if x(t) > R - 12.0 { "end" } else { "middle" };
        m.void("line", &[("x1", &coord(x(t))), ("y1", &coord(B)), ("x2", &coord(x(t))), ("y2", &coord(B + 4.0)), ("class", "w-edge")]);
        m.el("text", &[("x", &coord(x(t))), ("y", &coord(B + 16.0)), ("text-anchor", anchor), ("class", "w-small")], &format!("{} s", short(t, 0)));
        t += tstep;
    }
    m.el("text", &[("x", &coord(R)), ("y", &coord(B + 28.0)), ("text-anchor", "end"), ("class", "w-small")], "time since the start");
    let (lv, lclass, llabel) = &c.line;
    m.void("line", &[("x1", &coord(L)), ("y1", &coord(y(*lv))), ("x2", &coord(R)), ("y2", &coord(y(*lv))), ("class", lclass), ("stroke-width", "1.5")]);
    m.el("text", &[("x", &coord(R)), ("y", &coord(y(*lv) - 3.0)), ("text-anchor", "end"), ("class", "w-small")], llabel);
    // The series: one polyline per run of bins with a value.
    for s in &c.series {
        let mut points: Vec<String> = vec![];
        let flush = |m: &mut Markup, points: &mut Vec<String>| {
            if points.len() > 1 {
                m.void("polyline", &[("points", &points.join(" ")), ("class", s.class), ("fill-opacity", "0"), ("stroke-width", "2"), ("stroke-linejoin", "round")]);
            } else if let Some(p) = points.first() {
                let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
                m.void("circle", &[("cx", px), ("cy", py), ("r", "1.8"), ("class", s.class)]);
            }
            points.clear();
        };
        for (k, value) in s.values.iter().enumerate() {
            match value {
                Some(v) => {
                    let (start, width) = run.bin_span(k);
                    points.push(format!("{},{}", coord(x(start + width / 2.0)), coord(y(*v))));
                }
                None => flush(m, &mut points),
            }
        }
        flush(m, &mut points);
    }
    m.close("svg");
}

pub fn view(w: &Shedding) -> String {
    let mut m = Markup::new();
    let cfg = &w.cfg;
    let run = w.run();
    m.open("div", &[("class", "w-shedding")]);

    m.open("div", &[("class", "w-controls")]);
    m.open("label", &[]).checkbox("shedding", None, w.shedding).text(" Prioritised load shedding").close("label");
    m.el("button", &[("type", "button"), ("data-ev", "reseed")], "New seed");
    m.close("div");

    headline(&mut m, w);

    let per_s = |counts: &Vec<u32>| counts.iter().enumerate().map(|(k, c)| Some(f64::from(*c) / run.bin_span(k).1)).collect::<Vec<_>>();
    chart(&mut m, w, Chart {
        title: "Requests per second over time",
        aria: "Line chart over time of offered load, throughput and goodput in requests per second, with the server's capacity; the tables below give the totals",
        series: vec![
            Series { class: "w-c9", values: per_s(&run.offered) },
            Series { class: "w-c0", values: per_s(&run.done) },
            Series { class: "w-c2", values: per_s(&run.good) },
        ],
        line: (cfg.v[CAP], "w-grid", format!("capacity {}", rate(cfg.v[CAP]))),
    });
    m.legend(&[("w-c9", "offered"), ("w-c0", "throughput (all completions)"), ("w-c2", "goodput (answered within the deadline)")]);
    chart(&mut m, w, Chart {
        title: "p95 response time by priority (seconds)",
        aria: "Line chart over time of the 95th-percentile response time of each priority's completed requests, with the client deadline; the table below gives percentiles per priority",
        series: (0..3).map(|i| Series { class: PRIO_CLASS[i], values: run.p95[i].clone() }).collect(),
        line: (cfg.deadline(), "w-grid w-c1", format!("deadline {}", dur(Some(cfg.deadline())))),
    });
    m.legend(&[(PRIO_CLASS[0], "critical"), (PRIO_CLASS[1], "normal"), (PRIO_CLASS[2], "best-effort")]);

    by_priority(&mut m, w);
    off_on(&mut m, w);
    formulas(&mut m, w);
    inputs(&mut m, w);

    w.log.view(&mut m, "Nothing yet: turn shedding on or off, or change an input.");
    m.open("p", &[("class", "w-note")]).text("Sources: goodput against throughput under overload, and shedding to keep accepted requests fast: ");
    m.el("a", &[("href", "https://aws.amazon.com/builders-library/using-load-shedding-to-avoid-overload/")], "David Yanacek, “Using load shedding to avoid overload”, Amazon Builders' Library, 2019");
    m.text("; shedding the lowest priority first: ");
    m.el("a", &[("href", "https://netflixtechblog.com/keeping-netflix-reliable-using-prioritized-load-shedding-6cc827b02f94")], "Netflix Technology Blog, “Keeping Netflix Reliable Using Prioritized Load Shedding”, 2020");
    m.text(" and ");
    m.el("a", &[("href", "https://sre.google/sre-book/handling-overload/")], "Google, “Site Reliability Engineering”, chapter 21 “Handling Overload”, 2016");
    m.text(" (request criticality). The server, rates and deadline are a model to experiment with, not measurements.");
    m.close("p");
    m.close("div");
    m.finish()
}

fn headline(m: &mut Markup, w: &Shedding) {
    let run = w.run();
    m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
    m.open("p", &[]).text("Goodput ").el("strong", &[("class", "w-total")], &rate(run.goodput()));
    m.text(" of ").el("strong", &[], &rate(run.throughput())).text(" throughput; ");
    m.textf(format_args!("{} of all requests answered in time, {} of critical ones.", pct(run.in_time(None)), pct(run.in_time(Some(0)))));
    m.close("p");
    m.el("p", &[("class", "w-formula")], &format!(
        "goodput = answered in time ÷ run time = {} ÷ {} s = {}; throughput = all completions ÷ run time = {} ÷ {} s = {}",
        number(f64::from(run.total(|c| c.on_time)), 0), short(run.end, 1), rate(run.goodput()),
        number(f64::from(run.completed()), 0), short(run.end, 1), rate(run.throughput())
    ));
    let wasted = if run.busy > 0.0 { run.busy_late / run.busy } else { 0.0 };
    m.el("p", &[], &format!(
        "{} of the server's work went to answers nobody was waiting for (completed after the {} deadline).",
        pct(wasted), dur(Some(w.cfg.deadline()))
    ));
    m.close("div");
}

fn by_priority(m: &mut Markup, w: &Shedding) {
    let run = w.run();
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], &format!("By priority, shedding {}", if w.shedding { "on" } else { "off" }));
    m.open("thead", &[]).open("tr", &[]).el("td", &[], "");
    for (i, name) in PRIO_NAME.iter().enumerate() {
        m.open("th", &[("scope", "col")]).el("span", &[("class", &format!("w-swatch {}", PRIO_CLASS[i])), ("aria-hidden", "true")], "").text(" ").text(name).close("th");
    }
    m.close("tr").close("thead").open("tbody", &[]);
    let count = |x: u32| number(f64::from(x), 0);
    let labels = [
        "Share of requests",
        "Offered",
        "Answered in time",
        "Refused on arrival",
        "Dropped after the deadline",
        "Answered late (wasted)",
        "p50 response time",
        "p95 response time",
        "p99 response time",
    ];
    for (row, label) in labels.into_iter().enumerate() {
        m.open("tr", &[]).el("th", &[("scope", "row")], label);
        for (i, c) in run.classes.iter().enumerate() {
            let cell = match row {
                0 => format!("{}%", w.cfg.shares[i]),
                1 => count(c.offered),
                2 => format!("{} ({})", count(c.on_time), pct(run.in_time(Some(i)))),
                3 => count(c.rejected),
                4 => count(c.expired),
                5 => count(c.late),
                6 => dur(c.percentile(0.5)),
                7 => dur(c.percentile(0.95)),
                _ => dur(c.percentile(0.99)),
            };
            m.el("td", &[], &cell);
        }
        m.close("tr");
    }
    m.close("tbody").close("table");
    m.el("p", &[("class", "w-note")], "Response times are of completed requests, from arrival to answer; a refused request gets a fast error instead, which its client can retry elsewhere or later.");
}

fn off_on(m: &mut Markup, w: &Shedding) {
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], "The same arrivals, shedding off and on");
    m.open("thead", &[]).open("tr", &[]).el("td", &[], "");
    for h in ["Shedding off", "Shedding on"] {
        m.el("th", &[("scope", "col")], h);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    type Cell = fn(&Outcome) -> String;
    let rows: [(&str, Cell); 5] = [
        ("Goodput", |r| rate(r.goodput())),
        ("Throughput", |r| rate(r.throughput())),
        ("Critical answered in time", |r| pct(r.in_time(Some(0)))),
        ("All answered in time", |r| pct(r.in_time(None))),
        ("Refused or dropped", |r| number(f64::from(r.total(|c| c.rejected + c.expired)), 0)),
    ];
    for (label, cell) in rows {
        m.open("tr", &[]).el("th", &[("scope", "row")], label);
        for r in &w.runs {
            m.el("td", &[], &cell(r));
        }
        m.close("tr");
    }
    m.close("tbody").close("table");
}

fn formulas(m: &mut Markup, w: &Shedding) {
    let v = &w.cfg.v;
    let (cap, base, peak) = (v[CAP], v[BASE], v[PEAK]);
    m.open("div", &[("class", "w-result")]);
    if base < cap {
        let model = 1.0 / (cap - base);
        let seen = w.runs[0].pre_surge_mean.map_or(String::new(), |s| format!("; simulated before the surge: {}", dur(Some(s))));
        m.el("p", &[("class", "w-formula")], &format!(
            "Steady load: ρ = base ÷ capacity = {} ÷ {} = {}; M/M/1 mean response time = 1 ÷ (capacity − base) = 1 ÷ ({} − {}) = {}{seen}",
            short(base, 2), short(cap, 2), short(base / cap, 3), short(cap, 2), short(base, 2), dur(Some(model))
        ));
    } else {
        m.el("p", &[("class", "w-formula")], &format!("Steady load: the base rate {} is at or above capacity {}: the queue grows even without a surge.", rate(base), rate(cap)));
    }
    if peak > cap && v[FOR] > 0.0 {
        let backlog = (peak - cap) * v[FOR];
        let mut text = format!(
            "Surge: backlog ≈ (surge − capacity) × length = ({} − {}) × {} s = {} requests; wait at its end ≈ backlog ÷ capacity = {}",
            short(peak, 2), short(cap, 2), short(v[FOR], 1), number(backlog, 0), dur(Some(backlog / cap))
        );
        if base < cap {
            text.push_str(&format!("; it drains at capacity − base = {}, taking ≈ {} after the surge", rate(cap - base), dur(Some(backlog / (cap - base)))));
        }
        m.el("p", &[("class", "w-formula")], &format!("{text} (without shedding)."));
    }
    let l = w.cfg.limits();
    let q = |s: f64| number(s * cap, 0);
    m.el("p", &[("class", "w-formula")], &format!(
        "Shedding refuses a request when the estimated wait, (queued + in service) ÷ capacity, reaches its limit: best-effort {} ({} requests queued), normal 2 × {} = {} ({}), critical the deadline {} ({}); requests whose client gave up are dropped, not served.",
        dur(Some(l[2])), q(l[2]), dur(Some(l[2])), dur(Some(l[1])), q(l[1]), dur(Some(l[0])), q(l[0])
    ));
    m.close("div");
}

fn inputs(m: &mut Markup, w: &Shedding) {
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], "Inputs (both runs use the same seeded arrivals)");
    m.open("tbody", &[]);
    for (i, f) in FIELDS.iter().enumerate() {
        m.open("tr", &[]).open("th", &[("scope", "row")]).text(f.label).el("span", &[("class", "w-unit")], f.unit).close("th");
        m.open("td", &[]);
        m.void("input", &[("type", "number"), ("value", &plain(w.cfg.v[i])), ("min", &plain(f.min)), ("max", &plain(f.max)), ("step", "any"), ("inputmode", "decimal"), ("data-ev", "set"), ("data-arg", f.key), ("aria-label", &format!("{} ({})", f.label, f.unit))]);
        m.close("td").close("tr");
    }
    for (i, who) in ["critical", "normal"].into_iter().enumerate() {
        m.open("tr", &[]).open("th", &[("scope", "row")]).text(PRIO_NAME[i]).text(" share").el("span", &[("class", "w-unit")], "%").close("th");
        m.open("td", &[]);
        m.void("input", &[("type", "number"), ("value", &w.cfg.shares[i].to_string()), ("min", "0"), ("max", "100"), ("step", "1"), ("inputmode", "numeric"), ("data-ev", "share"), ("data-arg", who), ("aria-label", &format!("{} share (%)", PRIO_NAME[i]))]);
        m.close("td").close("tr");
    }
    m.open("tr", &[]).el("th", &[("scope", "row")], "Best-effort share").el("td", &[], &format!("{}% (the rest)", w.cfg.shares[2])).close("tr");
    m.close("tbody").close("table");
}
