//! The widget's markup: the event and row controls, the headline, a step chart of the share of
//! each row's clients on the new answer over time, a table of medians, worst cases and failed
//! requests, each row's formula, the inputs, the log and the sources.

use crate::*;
use widget_core::format::{coord, number};

fn s(x: f64) -> String {
    format!("{}\u{a0}s", short(x, 1))
}

/// A row's name with its settings.
pub fn row_label(c: &Config, r: usize) -> String {
    match r {
        0 => ROWS[0].1.to_string(),
        1 => format!("Resolver with a {} floor", s(c.v[FLOOR])),
        2 => format!("Java client, JVM cache {}", s(c.v[JVM])),
        _ if c.v[LIFE] == 0.0 => "Java client, pooled connections never close".to_string(),
        _ => format!("Java client, pooled connections closed at {}", s(c.v[LIFE])),
    }
}

/// A row's short name for the table.
pub fn row_short(c: &Config, r: usize) -> String {
    match r {
        0 => "TTL-honouring".to_string(),
        1 => format!("Floor {}", s(c.v[FLOOR])),
        2 => format!("JVM {}", s(c.v[JVM])),
        _ if c.v[LIFE] == 0.0 => "Pool, never closes".to_string(),
        _ => format!("Pool, closes at {}", s(c.v[LIFE])),
    }
}

pub fn view(w: &DnsTtl) -> String {
    let c = &w.cfg;
    let mut m = Markup::new();
    m.open("div", &[("class", "w-dnsttl")]);

    m.open("div", &[("class", "w-controls")]);
    let event = if c.change { "change" } else { "failure" };
    m.select("Event", "event", &[("failure", "A region fails at t = 0"), ("change", "Planned record change at t = 0")], event);
    if c.change {
        m.open("label", &[]).checkbox("lowered", None, c.lowered).text(" TTL lowered one old TTL ahead").close("label");
    } else {
        m.select("Failed region", "region", &[("degraded", "Degraded"), ("dead", "Dead")], if c.dead { "dead" } else { "degraded" });
    }
    m.el("button", &[("type", "button"), ("data-ev", "reseed")], "New random ages");
    m.el("button", &[("type", "button"), ("data-ev", "reset")], "Page's exercise");
    m.close("div");

    m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", "Rows shown")]);
    for (r, (key, _, class)) in ROWS.iter().enumerate() {
        m.open("label", &[]).checkbox("row", Some(key), c.rows[r]);
        m.el("span", &[("class", &format!("w-swatch {class}")), ("aria-hidden", "true")], "").text(&row_label(c, r)).close("label");
    }
    m.close("div");

    m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
    m.open("p", &[]).el("strong", &[], &w.headline()).close("p");
    if !c.change {
        m.el("p", &[], if c.dead {
            "Dead: the failed region refuses connections, so pools reconnect at once and every client moves when its caches let it."
        } else {
            "Degraded: the failed region fails its health checks but still accepts connections, so open pooled connections stay on it."
        });
        m.el("p", &[("class", "w-formula")], &format!(
            "detection = interval × failures = {} × {} = {} (the last good check ended just before t = 0)",
            s(c.v[INTERVAL]), short(c.v[THRESHOLD], 0), s(c.detection())
        ));
    } else if !c.lowered {
        m.el("p", &[], &format!(
            "Caches fetched the record under its old TTL of {}: a new TTL set now only applies once they fetch again. Lower it at least one old TTL ahead.",
            secs(c.v[OLD_TTL])
        ));
    }
    m.close("div");

    chart(&mut m, w);
    table(&mut m, w);
    formulas(&mut m, w);
    inputs(&mut m, w);

    w.log.view(&mut m, "Nothing yet: change an input, the event or the rows shown.");
    sources(&mut m);
    m.close("div");
    m.finish()
}

// Plot area inside a 400 × 206 view box.
const L: f64 = 40.0;
const R: f64 = 392.0;
const T: f64 = 34.0;
const B: f64 = 170.0;

/// The time a row's chain of caches delivers the new answer by, ignoring connections that never
/// close: the chart's right edge is fitted to the largest.
fn reach(c: &Config, r: usize) -> f64 {
    let l = c.layers(r);
    let pool = if let Pool::Lifetime(x) = l.pool { x } else { 0.0 };
    c.detection() + l.resolver + l.client + pool
}

fn chart(m: &mut Markup, w: &DnsTtl) {
    let c = &w.cfg;
    let shown: Vec<usize> = (0..4).filter(|r| c.rows[*r]).collect();
    let h = shown.iter().map(|r| reach(c, *r)).fold(1.0, f64::max) * 1.08;
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1_200.0, 1_800.0, 3_600.0, 7_200.0, 14_400.0, 21_600.0, 43_200.0, 86_400.0]
        .into_iter()
        .find(|st| h / st <= 6.0)
        .unwrap_or(172_800.0);
    let xmax = (h / step).ceil() * step;
    let x = |t: f64| L + (R - L) * t.min(xmax) / xmax;
    let y = |share: f64| B - (B - T) * share;

    m.open("svg", &[
        ("viewBox", "0 0 400 206"),
        ("class", "w-diagram"),
        ("role", "img"),
        ("aria-label", "Step chart over time in seconds of the share of each row's clients on the new answer; the table below gives each row's median and worst case"),
    ]);
    m.el("title", &[], "Share of clients on the new answer over time");
    m.el("text", &[("x", "4"), ("y", "12"), ("class", "w-label")], "Clients on the new answer");
    for k in 0..=4 {
        let share = f64::from(k) / 4.0;
        m.void("line", &[("x1", &coord(L)), ("y1", &coord(y(share))), ("x2", &coord(R)), ("y2", &coord(y(share))), ("class", "w-grid")]);
        m.el("text", &[("x", &coord(L - 3.0)), ("y", &coord(y(share) + 4.0)), ("text-anchor", "end"), ("class", "w-small")], &format!("{}%", k * 25));
    }
    let mut t = 0.0;
    while t <= xmax + 1e-9 {
        let anchor = if t == 0.0 { "start" } else if x(t) > R - 14.0 { "end" } else { "middle" };
        m.void("line", &[("x1", &coord(x(t))), ("y1", &coord(B)), ("x2", &coord(x(t))), ("y2", &coord(B + 4.0)), ("class", "w-edge")]);
        m.el("text", &[("x", &coord(x(t))), ("y", &coord(B + 16.0)), ("text-anchor", anchor), ("class", "w-small")], &format!("{} s", short(t, 0)));
        t += step;
    }
    m.el("text", &[("x", &coord(R)), ("y", &coord(B + 30.0)), ("text-anchor", "end"), ("class", "w-small")], "seconds after t = 0");
    let d = c.detection();
    if d > 0.0 {
        m.void("line", &[("x1", &coord(x(d))), ("y1", &coord(T)), ("x2", &coord(x(d))), ("y2", &coord(B)), ("class", "w-edge"), ("stroke-dasharray", "4 3")]);
        let anchor = if x(d) > (L + R) / 2.0 { "end" } else { "start" };
        let lx = if anchor == "end" { x(d) - 3.0 } else { x(d) + 3.0 };
        m.el("text", &[("x", &coord(lx)), ("y", &coord(T - 4.0)), ("text-anchor", anchor), ("class", "w-small")], &format!("answer changes at {} s", short(d, 1)));
    }
    for &r in &shown {
        let run = &w.run.rows[r];
        let n = (run.times.len() + run.never) as f64;
        // (x, share) corners of the step curve; steps that land on the same half unit merge.
        let mut pts: Vec<(f64, f64)> = vec![(x(0.0), 0.0)];
        let mut share = 0.0;
        for (k, t) in run.times.iter().enumerate() {
            let px = (x(*t) * 2.0).round() / 2.0;
            let next = (k + 1) as f64 / n;
            match pts.last_mut() {
                Some(last) if last.0 == px => last.1 = next,
                _ => {
                    pts.push((px, share));
                    pts.push((px, next));
                }
            }
            share = next;
        }
        pts.push((R, share));
        let points: Vec<String> = pts.iter().map(|(px, sh)| format!("{},{}", coord(*px), coord(y(*sh)))).collect();
        m.void("polyline", &[("points", &points.join(" ")), ("class", ROWS[r].2), ("fill-opacity", "0"), ("stroke-width", "2"), ("stroke-linejoin", "round")]);
        if run.never > 0 {
            m.el("text", &[("x", &coord(R)), ("y", &coord(y(share) - 4.0)), ("text-anchor", "end"), ("class", "w-small")], &format!("{}: never moves", ROWS[r].0));
        }
    }
    m.close("svg");
}

fn table(m: &mut Markup, w: &DnsTtl) {
    let c = &w.cfg;
    m.open("table", &[("class", "w-table")]);
    let failed = if c.change { "" } else { "; failed: requests sent to the failed region" };
    m.el("caption", &[], &format!("When clients reach the new answer ({} clients a row, seed {}{failed})", short(c.v[CLIENTS], 0), short(c.v[SEED], 0)));
    m.open("thead", &[]).open("tr", &[]);
    let mut heads = vec!["Row", "Median", "Worst"];
    if !c.change {
        heads.push("Failed");
    }
    for h in heads {
        m.el("th", &[("scope", "col")], h);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    for r in (0..4).filter(|r| c.rows[*r]) {
        let run = &w.run.rows[r];
        m.open("tr", &[]).open("th", &[("scope", "row")]);
        m.el("span", &[("class", &format!("w-swatch {}", ROWS[r].2)), ("aria-hidden", "true")], "").text(" ").text(&row_short(c, r)).close("th");
        m.el("td", &[], &run.percentile(0.5).map_or("never".to_string(), s));
        m.open("td", &[]).el("strong", &[], &c.worst(r).map_or("unbounded".to_string(), s)).close("td");
        if !c.change {
            m.el("td", &[], &failed_text(c, run));
        }
        m.close("tr");
    }
    m.close("tbody").close("table");
}

/// Requests sent to the failed region: rate × Σ seconds on it, or a rate that never stops.
fn failed_text(c: &Config, run: &RowRun) -> String {
    match run.on_old() {
        Some(total) => number(c.v[RATE] * total, 0),
        None => format!("unbounded, {}/s", short(c.v[RATE] * run.never as f64, 1)),
    }
}

fn formulas(m: &mut Markup, w: &DnsTtl) {
    let c = &w.cfg;
    let d = c.detection();
    let ttl_name = if c.change && !c.lowered { "old TTL" } else { "TTL" };
    m.open("div", &[("class", "w-result")]);
    for r in (0..4).filter(|r| c.rows[*r]) {
        let l = c.layers(r);
        let run = &w.run.rows[r];
        let mut terms: Vec<String> = vec![];
        let mut halves: Vec<String> = vec![];
        if d > 0.0 {
            terms.push(format!("detection {}", s(d)));
        }
        if r == 1 {
            terms.push(format!("max({ttl_name} {}, floor {})", s(c.cached_ttl()), s(c.v[FLOOR])));
        } else {
            terms.push(format!("{ttl_name} {}", s(l.resolver)));
        }
        halves.push(s(l.resolver));
        if l.client > 0.0 {
            terms.push(format!("JVM cache {}", s(l.client)));
            halves.push(s(l.client));
        }
        match l.pool {
            Pool::Lifetime(x) => {
                terms.push(format!("connection lifetime {}", s(x)));
                halves.push(s(x));
            }
            Pool::Never => terms.push("connections that never close".to_string()),
            Pool::None => {}
        }
        let mut text = format!("{}: worst = {} = ", row_label(c, r), terms.join(" + "));
        match (c.worst(r), c.median(r)) {
            (Some(worst), Some(median)) => {
                let sum = if halves.len() > 1 { format!("({})", halves.join(" + ")) } else { halves.join("") };
                let start = if d > 0.0 { format!("{} + ", s(d)) } else { String::new() };
                let slowest = run.slowest().map_or(String::new(), |x| format!(" (slowest of {} simulated: {})", run.times.len(), s(x)));
                let simulated = run.percentile(0.5).map_or(String::new(), |x| format!(" (simulated: {})", s(x)));
                text.push_str(&format!("{}{slowest}; median ≈ {start}{sum} ÷ 2 = {}{simulated}", secs(worst), secs(median)));
            }
            _ => text.push_str("unbounded: the pool never looks the name up again while the old region accepts connections"),
        }
        if !c.change {
            if let Some(total) = run.on_old() {
                let n = run.times.len() as f64;
                text.push_str(&format!(
                    "; failed = clients × rate × mean time on the failed region = {} × {}/s × {} = {} requests",
                    short(n, 0), short(c.v[RATE], 3), s(total / n), number(c.v[RATE] * total, 0)
                ));
            } else {
                text.push_str(&format!("; {} × {}/s = {} requests a second keep failing", run.never, short(c.v[RATE], 3), short(c.v[RATE] * run.never as f64, 1)));
            }
        }
        if r == POOL_ROW && !c.change && c.dead {
            text.push_str(" (the dead region refuses connections, so the pool reconnects at once)");
        }
        m.el("p", &[("class", "w-formula")], &text);
    }
    if c.change {
        let worst = (0..4).filter(|r| c.rows[*r]).map(|r| c.worst(r)).try_fold(0.0, |a: f64, w| w.map(|w| a.max(w)));
        m.el("p", &[], &match worst {
            Some(wc) => format!("No request fails while the old address still answers: keep it serving for at least {} after the change.", secs(wc)),
            None => "No request fails while the old address still answers, but a pool that never reconnects keeps using it: keep it serving, or cap connection lifetimes.".to_string(),
        });
    }
    m.el("p", &[("class", "w-note")], "Each client's caches have a random age, uniform within their TTL, so its delay after the answer changes is a sum of uniforms: the median is about half the sum of the TTLs, the worst case the whole sum.");
    m.close("div");
}

fn inputs(m: &mut Markup, w: &DnsTtl) {
    let c = &w.cfg;
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], "Inputs");
    m.open("tbody", &[]);
    for (i, f) in FIELDS.iter().enumerate() {
        // Show only what the event uses.
        let unused = match i {
            INTERVAL | THRESHOLD | RATE => c.change,
            OLD_TTL => !c.change,
            _ => false,
        };
        if unused {
            continue;
        }
        let label = if i == TTL && c.change { "TTL after lowering" } else { f.label };
        m.open("tr", &[]).open("th", &[("scope", "row")]).text(label).el("span", &[("class", "w-unit")], f.unit).close("th");
        m.open("td", &[]);
        let step = if f.whole { "1" } else { "any" };
        let aria = if f.unit.is_empty() { label.to_string() } else { format!("{label} ({})", f.unit) };
        m.void("input", &[
            ("type", "number"),
            ("value", &plain(c.v[i])),
            ("min", &plain(f.min)),
            ("max", &plain(f.max)),
            ("step", step),
            ("inputmode", "decimal"),
            ("data-ev", "set"),
            ("data-arg", f.key),
            ("aria-label", &aria),
        ]);
        m.close("td").close("tr");
    }
    m.close("tbody").close("table");
}

fn sources(m: &mut Markup) {
    m.open("p", &[("class", "w-note")]).text("Sources: health checks every 10 or 30 s, 3 failures by default: ");
    m.el("a", &[("href", "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html")], "AWS, Route 53 Developer Guide, retrieved 2025");
    m.text("; 60 s TTLs on failover records, Route 53's recommended 60 s to two days: ");
    m.el("a", &[("href", "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/best-practices-dns.html")], "AWS, “Best practices for Route 53 DNS”, retrieved 2025");
    m.text("; the JVM caches lookups 30 s by default: ");
    m.el("a", &[("href", "https://github.com/openjdk/jdk/blob/master/src/java.base/share/conf/security/java.security")], "OpenJDK java.security, retrieved 2025");
    m.text("; resolvers can raise low TTLs to a minimum: ");
    m.el("a", &[("href", "https://unbound.docs.nlnetlabs.nl/en/latest/manpages/unbound.conf.html")], "NLnet Labs, unbound.conf cache-min-ttl, retrieved 2025");
    m.text(". Assumed, not measured: caches kept warm by steady traffic, the last good check just before t = 0, every request to the failed region fails, and the client counts and request rate.");
    m.close("p");
}
