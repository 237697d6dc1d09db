//! The markup: controls, the headline numbers, two charts over time (throughput per server;
//! latency percentiles), the per-server table with definitions, the page's formulas next to
//! what the run did, the run's timeline in words, the inputs, the log and the sources.

use crate::*;
use widget_core::Markup;
use widget_core::format::{coord, duration};

/// Colour class of server `s`.
pub fn colour(s: usize) -> String {
    format!("w-c{}", s % 16)
}

/// `duration` with a no-break space, `–` for nothing measured.
pub fn dur(t: Option<f64>) -> String {
    match t {
        Some(t) if t > 0.0 => duration(t).replace(' ', "\u{a0}"),
        Some(_) => "0\u{a0}s".to_string(),
        None => "–".to_string(),
    }
}

/// `part ÷ whole` as a percentage with enough digits for small shares.
pub fn pct(part: f64, whole: f64) -> String {
    if whole <= 0.0 {
        return "–".to_string();
    }
    let p = 100.0 * part / whole;
    format!("{}%", short(p, if p != 0.0 && p < 10.0 { 2 } else { 1 }))
}

fn share(x: f64) -> String {
    pct(x, 1.0)
}

fn secs(x: f64) -> String {
    format!("{}\u{a0}s", short(x, 2))
}

// Plot area inside a 400 × 196 view box, readable when a phone shrinks it to 330 px.
const L: f64 = 44.0;
const R: f64 = 390.0;
const T: f64 = 34.0;
const B: f64 = 160.0;

struct Line {
    class: String,
    values: Vec<Option<f64>>,
    dashed: bool,
}

struct Chart<'a> {
    title: &'a str,
    aria: &'a str,
    lines: Vec<Line>,
    /// Logarithmic value axis (latencies), else linear from 0.
    log: bool,
    /// A horizontal reference line and its label.
    reference: Option<(f64, String)>,
    unit: &'a str,
}

use widget_core::axis::nice_step;

/// log₁₀ through the natural logarithm the random generator already needs.
fn log10(v: f64) -> f64 {
    v.ln() / std::f64::consts::LN_10
}

fn latency_label(v: f64) -> String {
    if v < 1.0 { format!("{} ms", short(v * 1000.0, 1)) } else { format!("{} s", short(v, 1)) }
}

/// A line segment in SVG coordinates; `dash` is a dash pattern or "none".
fn seg(m: &mut Markup, x1: f64, y1: f64, x2: f64, y2: f64, class: &str, dash: &str) {
    m.void("line", &[("x1", &coord(x1)), ("y1", &coord(y1)), ("x2", &coord(x2)), ("y2", &coord(y2)), ("class", class), ("stroke-dasharray", dash)]);
}

/// Small text at a point.
fn label(m: &mut Markup, x: f64, y: f64, anchor: &str, text: &str) {
    m.el("text", &[("x", &coord(x)), ("y", &coord(y)), ("text-anchor", anchor), ("class", "w-small")], text);
}

fn chart(m: &mut Markup, w: &LoadBalancer, c: Chart) {
    let (run, cfg) = (&w.run, &w.cfg);
    let dur_s = cfg.v[DURATION];
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for l in &c.lines {
        for v in l.values.iter().flatten() {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
    }
    if let Some((v, _)) = &c.reference {
        hi = hi.max(*v);
    }
    // Value axis: decades for latencies (from the one below the smallest value to the one
    // above the largest), round steps from 0 otherwise.
    let mut ticks = vec![];
    let (mut v, step) = if c.log {
        let mut a = 0.001;
        while a * 10.0 <= lo {
            a *= 10.0;
        }
        (a, 0.0)
    } else {
        (0.0, nice_step((hi * 1.1).max(1.0)))
    };
    let top = if c.log { hi.max(v * 10.0) * 0.999 } else { ((hi * 1.1).max(1.0) / step).ceil() * step + 1e-9 };
    loop {
        ticks.push(v);
        if v >= top {
            break;
        }
        v = if c.log { v * 10.0 } else { v + step };
    }
    let scale = |v: f64| if c.log { log10(v.max(1e-9)) } else { v };
    let (ymin, ymax) = (scale(ticks[0]), scale(ticks[ticks.len() - 1]));
    let x = |t: f64| L + (R - L) * t / dur_s;
    let y = |v: f64| B - (B - T) * (scale(v) - ymin) / (ymax - ymin);

    m.open("svg", &[("viewBox", "0 0 400 196"), ("class", "w-diagram"), ("role", "img"), ("aria-label", c.aria)]);
    m.el("title", &[], c.title);
    m.el("text", &[("x", "4"), ("y", "12"), ("class", "w-label")], c.title);
    for v in ticks {
        seg(m, L, y(v), R, y(v), "w-grid", "3 3");
        label(m, L - 3.0, y(v) + 4.0, "end", &if c.log { latency_label(v) } else { short(v, 2) });
    }
    label(m, 4.0, T - 6.0, "start", c.unit);
    let tstep = [5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0].into_iter().find(|s| dur_s / s <= 6.0).unwrap_or(300.0);
    let mut t = 0.0;
    while t <= dur_s + 1e-9 {
        let anchor = if t == 0.0 {
            "start"
        } else if x(t) > R - 12.0 {
            "end"
        } else {
            "middle"
        };
        seg(m, x(t), B, x(t), B + 4.0, "w-edge", "none");
        label(m, x(t), B + 16.0, anchor, &format!("{} s", short(t, 0)));
        t += tstep;
    }
    label(m, R, B + 30.0, "end", "time since the start (s)");
    // Deploy turns as bars above the plot; hangs, removals and restorations as dashed lines.
    for d in &run.drains {
        let end = d.rejoin.unwrap_or(dur_s).min(dur_s);
        if d.start < dur_s {
            m.void(
                "rect",
                &[
                    ("x", &coord(x(d.start))),
                    ("y", &coord(T - 5.0)),
                    ("width", &coord((x(end) - x(d.start)).max(1.5))),
                    ("height", "4"),
                    ("class", &colour(d.server)),
                ],
            );
        }
    }
    let mut shown = 0;
    for mk in &run.marks {
        if mk.at > dur_s || matches!(mk.label, "drain" | "new") {
            continue;
        }
        seg(m, x(mk.at), T, x(mk.at), B, &colour(mk.server), "3 3");
        let end = x(mk.at) > R - 40.0;
        label(
            m,
            x(mk.at) + if end { -2.0 } else { 2.0 },
            T + 9.0 + 10.0 * f64::from(shown % 3),
            if end { "end" } else { "start" },
            &format!("{} {}", mk.server + 1, mk.label),
        );
        shown += 1;
    }
    if let Some((v, text)) = &c.reference {
        seg(m, L, y(*v), R, y(*v), "w-c9", "6 3");
        label(m, R, y(*v) - 3.0, "end", text);
    }
    for l in &c.lines {
        // One polyline per run of windows with a value; a lone point as a dot.
        let (mut points, mut count, mut last) = (String::new(), 0, (String::new(), String::new()));
        for k in 0..=l.values.len() {
            if let Some(Some(v)) = l.values.get(k) {
                let (start, width) = run.window(k, dur_s);
                last = (coord(x(start + width / 2.0)), coord(y(*v)));
                points.push_str(&last.0);
                points.push(',');
                points.push_str(&last.1);
                points.push(' ');
                count += 1;
                continue;
            }
            if count > 1 {
                let dash = if l.dashed { "5 3" } else { "none" };
                m.void(
                    "polyline",
                    &[
                        ("points", points.trim_end()),
                        ("class", &l.class),
                        ("fill-opacity", "0"),
                        ("stroke-width", "2"),
                        ("stroke-linejoin", "round"),
                        ("stroke-dasharray", dash),
                    ],
                );
            } else if count == 1 {
                m.void("circle", &[("cx", &last.0), ("cy", &last.1), ("r", "1.8"), ("class", &l.class)]);
            }
            points.clear();
            count = 0;
        }
    }
    m.close("svg");
}

/// A colour swatch and its label, for legends and table rows.
fn swatch(m: &mut Markup, class: &str, label: &str) {
    m.el("span", &[("class", &format!("w-swatch {class}")), ("aria-hidden", "true")], "").text(" ").text(label).text(" ");
}

fn formula(m: &mut Markup, text: &str) {
    m.el("p", &[("class", "w-formula")], text);
}

pub fn view(w: &LoadBalancer) -> String {
    let (cfg, run) = (&w.cfg, &w.run);
    let mut m = Markup::new();
    m.open("div", &[("class", "w-loadbalancer")]);

    m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", "Balancer")]);
    m.open("label", &[]).text("Algorithm ");
    m.open("select", &[("data-ev", "algorithm")]);
    for (i, (key, label)) in ALGOS.iter().enumerate() {
        if i == cfg.algo {
            m.el("option", &[("value", key), ("selected", "")], label);
        } else {
            m.el("option", &[("value", key)], label);
        }
    }
    m.close("select").close("label");
    m.open("label", &[]).checkbox("sticky", None, cfg.sticky).text(" Sticky sessions").close("label");
    m.open("label", &[]).checkbox("checks", None, cfg.checks).text(" Active health checks").close("label");
    m.close("div");
    m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", "Scenario")]);
    let kill = if cfg.kills.is_empty() { format!("Kill server {} at 10 s", 2.min(cfg.n())) } else { "No failures".to_string() };
    m.el("button", &[("type", "button"), ("data-ev", "kill-preset")], &kill);
    m.el("button", &[("type", "button"), ("data-ev", "deploy-preset")], if cfg.deploy.is_none() { "Rolling deploy at 20 s" } else { "No deploy" });
    m.el("button", &[("type", "button"), ("data-ev", "reseed")], "New seed");
    m.close("div");

    headline(&mut m, w);

    let n = cfg.n();
    let mut per_s = vec![];
    for s in 0..n {
        let mut values = vec![];
        for k in 0..run.bins {
            values.push(Some(f64::from(run.thr[s][k]) / run.window(k, cfg.v[DURATION]).1));
        }
        per_s.push(Line { class: colour(s), values, dashed: s >= 16 });
    }
    chart(
        &mut m,
        w,
        Chart {
            title: "Throughput per server",
            aria: "Successful responses per second of each server over time; the table below gives totals",
            lines: per_s,
            log: false,
            reference: None,
            unit: "responses/s",
        },
    );
    m.open("p", &[("class", "w-note")]);
    for s in 0..n {
        swatch(&mut m, &colour(s), &format!("server {} ({} req/s)", s + 1, short(cfg.caps[s], 1)));
    }
    m.close("p");
    let p = |i: usize| {
        let mut values = vec![];
        for x in &run.pct {
            values.push(x[i]);
        }
        Line { class: ["w-c0", "w-c4", "w-c1"][i].to_string(), values, dashed: false }
    };
    chart(
        &mut m,
        w,
        Chart {
            title: "Latency of all requests",
            aria: "p50, p95 and p99 latency over time, log scale, with the client timeout",
            lines: vec![p(0), p(1), p(2)],
            log: true,
            reference: Some((cfg.v[TIMEOUT], format!("client timeout {}", dur(Some(cfg.v[TIMEOUT]))))),
            unit: "latency (log scale)",
        },
    );
    m.open("p", &[("class", "w-note")]);
    for (class, label) in [("w-c0", "p50"), ("w-c4", "p95"), ("w-c1", "p99")] {
        swatch(&mut m, class, label);
    }
    m.close("p");
    m.el("p", &[("class", "w-note")], &format!(
        "Windows of {} s. Throughput counts answers within the client timeout as they arrive; latency percentiles are of the requests sent in each window. Dashed lines mark a hang, a removal (out) or a return (in); bars on top show each server's deploy turn.",
        short(run.bin, 0)
    ));

    table(&mut m, w);
    analysis(&mut m, w);
    timeline(&mut m, w);
    inputs(&mut m, w);
    w.log.view(&mut m, "Nothing yet: change the algorithm, kill a server or start a deploy.");
    sources(&mut m);
    m.close("div");
    m.finish()
}

fn headline(m: &mut Markup, w: &LoadBalancer) {
    let (cfg, run) = (&w.cfg, &w.run);
    let a = &run.all;
    let total = a.sent + run.refused;
    let errors = a.errors() + run.refused;
    m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
    m.open("p", &[]).el("strong", &[("class", "w-total")], &format!("{} errors", number(f64::from(errors), 0)));
    m.textf(format_args!(
        " of {} requests ({}): {} timed out, {} cut by a deploy, {} refused. Latency p50 {}, p95 {}, p99 {}.",
        number(f64::from(total), 0),
        pct(f64::from(errors), f64::from(total)),
        number(f64::from(a.timeouts), 0),
        number(f64::from(a.cut), 0),
        number(f64::from(run.refused), 0),
        dur(a.percentile(0.5)),
        dur(a.percentile(0.95)),
        dur(a.percentile(0.99))
    ));
    m.close("p");
    formula(
        m,
        &format!(
            "error rate = (timed out + cut + refused) ÷ requests = ({} + {} + {}) ÷ {} = {}; load ρ = rate ÷ total capacity = {} ÷ {} = {}",
            a.timeouts,
            a.cut,
            run.refused,
            total,
            pct(f64::from(errors), f64::from(total)),
            short(cfg.v[RATE], 2),
            short(cfg.total_cap(), 2),
            pct(cfg.v[RATE], cfg.total_cap())
        ),
    );
    let mut each = String::new();
    for (s, c) in cfg.caps.iter().enumerate() {
        if !cfg.caps[..s].contains(c) {
            each.push_str(&format!("{}{} ÷ {} = {}", if s > 0 { ", " } else { "" }, short(cfg.v[WORKERS], 0), short(*c, 2), dur(Some(cfg.v[WORKERS] / c))));
        }
    }
    formula(m, &format!("mean service time = worker slots ÷ capacity: {each} (exponential); response time = queueing + service"));
    m.close("div");
}

fn table(m: &mut Markup, w: &LoadBalancer) {
    let (cfg, run) = (&w.cfg, &w.run);
    let total = f64::from(run.all.sent + run.refused);
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], &format!("Per server, {}", ALGOS[cfg.algo].1.to_ascii_lowercase()));
    m.open("thead", &[]).open("tr", &[]);
    for h in ["Server", "Capacity", "Share", "p50", "p95", "p99", "Errors"] {
        m.el("th", &[("scope", "col")], h);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    let row = |m: &mut Markup, name: &str, class: Option<String>, cap: f64, x: &Stats| {
        m.open("tr", &[]).open("th", &[("scope", "row")]);
        match class {
            Some(class) => swatch(m, &class, name),
            None => {
                m.text(name);
            }
        }
        m.close("th");
        m.el("td", &[], &format!("{}/s", short(cap, 1)));
        m.el("td", &[], &format!("{} ({})", pct(f64::from(x.sent), total), number(f64::from(x.sent), 0)));
        for q in [0.5, 0.95, 0.99] {
            m.el("td", &[], &dur(x.percentile(q)));
        }
        let errors = if x.cut > 0 { format!("{} ({} timeouts + {} cut)", x.errors(), x.timeouts, x.cut) } else { number(f64::from(x.timeouts), 0) };
        m.el("td", &[], &errors);
        m.close("tr");
    };
    for (s, x) in run.per.iter().enumerate() {
        row(m, &(s + 1).to_string(), Some(colour(s)), cfg.caps[s], x);
    }
    row(m, "All", None, cfg.total_cap(), &run.all);
    m.close("tbody").close("table");

    formula(
        m,
        &format!(
            "share = sent to the server ÷ all requests; pXX = the ⌈XX% × n⌉-th smallest of n latencies; latency = what the client waited: queueing + service, the client timeout ({}) if no answer came, or the time until a deploy cut it; errors = timeouts + cuts (502).",
            dur(Some(cfg.v[TIMEOUT]))
        ),
    );
    let rule = match cfg.algo {
        RR => {
            format!("Round robin: the next server in turn, so each gets 1 ÷ N = 1 ÷ {} = {} while all are in rotation.", cfg.n(), share(1.0 / cfg.n() as f64))
        }
        WRR => {
            let mut text = "Weighted round robin (smooth, as in NGINX), weight = capacity: capacityᵢ ÷ Σ capacity =".to_string();
            for s in 0..cfg.n() {
                text.push_str(&format!(
                    " {} ÷ {} = {}{}",
                    short(cfg.caps[s], 2),
                    short(cfg.total_cap(), 2),
                    share(cfg.caps[s] / cfg.total_cap()),
                    if s + 1 < cfg.n() { ";" } else { "." }
                ));
            }
            text
        }
        LC => "Least connections: the server with the fewest requests in flight.".to_string(),
        LT => "Least response time: the lowest EWMA(latency) × (in flight + 1); EWMA ← 0.2 × latest + 0.8 × EWMA.".to_string(),
        IPH => "IP hash: hash(client) mod (servers in rotation): shares follow how the clients hash, and a change in N moves most clients.".to_string(),
        _ => "Power of two choices: two random draws (with replacement); the one with fewer requests in flight wins.".to_string(),
    };
    formula(m, &rule);
    // Servers a static algorithm overloads.
    for s in 0..cfg.n() {
        if let Some(sh) = cfg.static_share(s) {
            let offered = sh * cfg.v[RATE];
            if offered >= cfg.caps[s] {
                formula(
                    m,
                    &format!(
                        "Server {} is sent {} × {} = {} req/s but completes {}: ρ = {}, its queue grows by {} req/s.",
                        s + 1,
                        share(sh),
                        short(cfg.v[RATE], 2),
                        short(offered, 2),
                        short(cfg.caps[s], 2),
                        short(offered / cfg.caps[s], 2),
                        short(offered - cfg.caps[s], 2)
                    ),
                );
            }
        }
    }
    if cfg.sticky {
        formula(m, "Sticky sessions: a client keeps its server until that server leaves the rotation.");
    }
}

fn analysis(m: &mut Markup, w: &LoadBalancer) {
    let (cfg, run) = (&w.cfg, &w.run);
    let v = &cfg.v;
    let n = cfg.n() as f64;
    m.open("div", &[("class", "w-result")]);
    if cfg.checks {
        let (a, b) = detection_window(v[INTERVAL], v[CHECK_TIMEOUT], v[UNHEALTHY]);
        let (ra, rb) = recovery_window(v[INTERVAL], v[HEALTHY]);
        let per = v[RATE] / n;
        formula(
            m,
            &format!(
                "Active checks remove a hung server (U − 1) × interval + timeout to U × interval + timeout after it hangs: {} × {} + {} = {} to {} × {} + {} = {}. At rate ÷ N = {} ÷ {} = {} req/s, that is {} to {} requests left hanging (passive checks on failed requests would cut this to seconds). A fixed server needs H passes: (H − 1) × interval to H × interval = {} to {}.",
                short(v[UNHEALTHY] - 1.0, 0),
                short(v[INTERVAL], 2),
                short(v[CHECK_TIMEOUT], 2),
                secs(a),
                short(v[UNHEALTHY], 0),
                short(v[INTERVAL], 2),
                short(v[CHECK_TIMEOUT], 2),
                secs(b),
                short(v[RATE], 2),
                cfg.n(),
                short(per, 2),
                number(per * a, 0),
                number(per * b, 0),
                secs(ra),
                secs(rb)
            ),
        );
    } else {
        formula(m, "Active checks are off: a hung server stays in rotation.");
    }
    for k in &cfg.kills {
        let s = k.server;
        let end = k.until.unwrap_or(f64::INFINITY);
        let removed = run.first("out", s, k.at);
        let sent = run.reqs.iter().filter(|r| r.server == Some(s as u8) && r.at >= k.at && r.at < end.min(removed.unwrap_or(f64::INFINITY))).count();
        let mut text = format!("Simulated: server {} hung at {}", s + 1, secs(k.at));
        match removed {
            Some(r) => text.push_str(&format!(", removed at {} ({} later)", secs(r), secs(r - k.at))),
            None => text.push_str(", never removed"),
        }
        text.push_str(&format!(", sent {} requests while hung and in rotation.", number(sent as f64, 0)));
        if let Some((u, r)) = k.until.and_then(|u| run.first("in", s, u).map(|r| (u, r))) {
            text.push_str(&format!(" Fixed at {}, back at {} ({} later).", secs(u), secs(r), secs(r - u)));
        }
        formula(m, &text);
    }
    let k = cfg.hung_servers() as f64;
    if k > 0.0 {
        let sent = run.sent_to_hung(cfg);
        let total = run.all.sent + run.refused;
        formula(
            m,
            &format!(
                "k = {} of N = {} servers hung: one random choice hits one with probability k ÷ N = {}; two choices (with replacement) (k ÷ N)² = {}, without replacement k ÷ N × (k − 1) ÷ (N − 1) = {}; three (k ÷ N)³ = {}. Simulated with {}: {} of requests ({} of {}) went to a hung server.",
                cfg.hung_servers(),
                cfg.n(),
                share(stuck_share(k, n, 1)),
                share(stuck_share(k, n, 2)),
                share(stuck_share_distinct(k, n)),
                share(stuck_share(k, n, 3)),
                ALGOS[cfg.algo].1.to_ascii_lowercase(),
                pct(f64::from(sent), f64::from(total)),
                number(f64::from(sent), 0),
                number(f64::from(total), 0)
            ),
        );
    }
    if cfg.deploy.is_some() {
        let worst = n * v[DRAIN];
        let stopped: Vec<f64> = run.drains.iter().filter_map(|d| d.stop.map(|s| s - d.start)).collect();
        let cut: u32 = run.drains.iter().map(|d| d.cut).sum();
        let longest = stopped.iter().copied().fold(0.0, f64::max);
        formula(
            m,
            &format!(
                "Rolling deploy: if a WebSocket held each server for the whole deregistration delay, N × delay = {} × {} = {}, plus N × restart = {} × {} = {}. Short requests: {} of {} servers drained, the longest in {}; {} requests cut.",
                cfg.n(),
                secs(v[DRAIN]),
                dur(Some(worst)),
                cfg.n(),
                secs(v[RESTART]),
                dur(Some(n * v[RESTART])),
                stopped.len(),
                cfg.n(),
                dur(Some(longest)),
                number(f64::from(cut), 0)
            ),
        );
    }
    m.close("div");
}

fn timeline(m: &mut Markup, w: &LoadBalancer) {
    let run = &w.run;
    m.open("div", &[("class", "w-log")]);
    m.el("p", &[("class", "w-log-title")], "What happened in the run");
    if run.timeline.is_empty() {
        m.el("p", &[], "No server hung, left or came back.");
    } else {
        m.open("ol", &[]);
        for (t, text) in &run.timeline {
            m.open("li", &[]).el("strong", &[], &model::at(*t)).text(": ").text(text).close("li");
        }
        m.close("ol");
    }
    m.close("div");
}

fn inputs(m: &mut Markup, w: &LoadBalancer) {
    let cfg = &w.cfg;
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], "Inputs");
    m.open("tbody", &[]);
    let text_row = |m: &mut Markup, ev: &'static str, label: &str, hint: &str, value: &str| {
        m.open("tr", &[]).open("th", &[("scope", "row")]).text(label).el("span", &[("class", "w-unit")], hint).close("th");
        m.open("td", &[])
            .void("input", &[("type", "text"), ("value", value), ("data-ev", ev), ("aria-label", label), ("size", "16"), ("maxlength", "200")])
            .close("td")
            .close("tr");
    };
    text_row(m, "servers", "Server capacities", "req/s each, such as 40,40,20,80 or 12x100", &servers_text(&cfg.caps));
    text_row(m, "kill", "Servers that hang", "server@s or server@from-to, or none", &kills_text(&cfg.kills));
    text_row(m, "deploy", "Rolling deploy starts", "s, or off", &cfg.deploy.map_or("off".to_string(), plain));
    for (i, f) in FIELDS.iter().enumerate() {
        m.open("tr", &[]).open("th", &[("scope", "row")]).text(f.label).el("span", &[("class", "w-unit")], f.unit).close("th");
        m.open("td", &[]);
        m.void(
            "input",
            &[
                ("type", "number"),
                ("value", &plain(cfg.v[i])),
                ("min", &plain(f.min)),
                ("max", &plain(f.max)),
                ("step", if f.whole { "1" } else { "any" }),
                ("inputmode", "decimal"),
                ("data-ev", "set"),
                ("data-arg", f.key),
                ("aria-label", &format!("{} ({})", f.label, f.unit)),
            ],
        );
        m.close("td").close("tr");
    }
    m.close("tbody").close("table");
    m.el("p", &[("class", "w-note")], &format!(
        "Seed {}: same arrivals for every algorithm. At most {} requests (rate × duration). Probes skip the queue and pass unless the server hangs; a restarted server skips its first checks.",
        cfg.seed, number(MAX_REQUESTS, 0)
    ));
}

fn sources(m: &mut Markup) {
    m.open("p", &[("class", "w-source")])
        .text("Sources: checks every 30 s, 5 s timeout, 2 failures to remove, 5 passes to restore, failing open, 300 s deregistration delay: ");
    m.el(
        "a",
        &[("href", "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html")],
        "AWS, Application Load Balancer documentation, retrieved 2025",
    );
    m.text("; power of two random choices: ");
    m.el("a", &[("href", "https://www.eecs.harvard.edu/~michaelm/postscripts/handbook2001.pdf")], "Mitzenmacher, Richa and Sitaraman, 2001");
    m.text(". Capacities, rates and the client timeout are a model, not measurements.");
    m.close("p");
}
