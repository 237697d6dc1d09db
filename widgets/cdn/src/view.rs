//! The widget's markup: the three choices, the headline, two charts over time (hit ratio and
//! stale share; origin requests per second with and without the shield), the numbers with their
//! formulas, the inputs, the log and the sources.

use crate::*;
use widget_core::Markup;
use widget_core::format::{coord, number, short};

/// A percentage with one decimal: 0.9012 -> `90.1%`.
pub fn pct(x: f64) -> String {
    format!("{}%", number(100.0 * x, 1))
}

/// A rate per second: whole above 100, else up to 2 decimals.
pub fn per_s(x: f64) -> String {
    format!("{} req/s", if x >= 100.0 { number(x, 0) } else { short(x, 2) })
}

/// An input's value for sentences: grouped, up to 3 decimals.
pub fn num(x: f64) -> String {
    short(x, 3)
}

/// A fraction for formulas, 3 decimals: 0.9012 -> `0.901`.
fn frac(x: f64) -> String {
    number(x, 3)
}

/// Bytes per second in decimal units.
pub fn bytes(x: f64) -> String {
    let (v, u) = if x >= 1e9 { (x / 1e9, "GB/s") } else if x >= 1e6 { (x / 1e6, "MB/s") } else if x >= 1e3 { (x / 1e3, "KB/s") } else { (x, "B/s") };
    format!("{} {u}", short(v, if v >= 100.0 { 0 } else if v >= 10.0 { 1 } else { 2 }))
}

pub fn gbps(bytes_per_s: f64) -> String {
    format!("{} Gbps", short(bytes_per_s * 8.0 / 1e9, 2))
}

use widget_core::axis::nice_step;

struct Series {
    class: &'static str,
    width: &'static str,
    values: Vec<Option<f64>>,
}

struct Chart<'a> {
    title: &'a str,
    aria: String,
    series: Vec<Series>,
    /// Fixed top of the value axis (a ratio chart), or scale to the data.
    top: Option<f64>,
    /// A horizontal reference line: value and label.
    line: Option<(f64, String)>,
    label: fn(f64) -> String,
}

// Plot area inside a 400 × 184 view box, readable when a phone shrinks it to 330 px.
const L: f64 = 46.0;
const R: f64 = 390.0;
const T: f64 = 24.0;
const B: f64 = 150.0;

fn chart(m: &mut Markup, w: &Cdn, c: Chart) {
    let cfg = &w.cfg;
    let end = cfg.v[DURATION];
    let ymax = match c.top {
        Some(t) => t,
        None => {
            let top = c.series.iter().flat_map(|s| s.values.iter().flatten()).fold(c.line.as_ref().map_or(0.0, |l| l.0), |a, b| a.max(*b)) * 1.1;
            let step = nice_step(top.max(1e-6));
            (top / step).ceil().max(1.0) * step
        }
    };
    let ystep = nice_step(ymax);
    let x = |t: f64| L + (R - L) * t / end;
    let y = |v: f64| B - (B - T) * v.min(ymax) / ymax;

    m.open("svg", &[("viewBox", "0 0 400 184"), ("class", "w-diagram"), ("role", "img"), ("aria-label", &c.aria)]);
    m.el("title", &[], c.title);
    m.el("text", &[("x", "4"), ("y", "12"), ("class", "w-label")], c.title);
    let mut v = 0.0;
    while v <= ymax + 1e-9 {
        m.void("line", &[("x1", &coord(L)), ("y1", &coord(y(v))), ("x2", &coord(R)), ("y2", &coord(y(v))), ("class", "w-grid")]);
        m.el("text", &[("x", &coord(L - 3.0)), ("y", &coord(y(v) + 4.0)), ("text-anchor", "end"), ("class", "w-small")], &(c.label)(v));
        v += ystep;
    }
    let tstep = [5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1_800.0, 3_600.0, 7_200.0, 14_400.0].into_iter().find(|s| end / s <= 6.0).unwrap_or(21_600.0);
    let mut t = 0.0;
    while t <= end + 1e-9 {
        let anchor = if t == 0.0 { "start" } else if x(t) > R - 12.0 { "end" } else { "middle" };
        let text = if tstep >= 60.0 { format!("{} min", short(t / 60.0, 0)) } else { format!("{} s", short(t, 0)) };
        m.void("line", &[("x1", &coord(x(t))), ("y1", &coord(B)), ("x2", &coord(x(t))), ("y2", &coord(B + 4.0)), ("class", "w-edge")]);
        m.el("text", &[("x", &coord(x(t))), ("y", &coord(B + 16.0)), ("text-anchor", anchor), ("class", "w-small")], &text);
        t += tstep;
    }
    m.el("text", &[("x", &coord(R)), ("y", &coord(B + 30.0)), ("text-anchor", "end"), ("class", "w-small")], "time since the start");
    if w.cfg.setup().has_update() {
        let ux = coord(x(cfg.v[UPDATE_AT]));
        m.void("line", &[("x1", &ux), ("y1", &coord(T)), ("x2", &ux), ("y2", &coord(B)), ("class", "w-grid w-c3"), ("stroke-width", "1.5")]);
        m.el("text", &[("x", &ux), ("y", &coord(T - 3.0)), ("text-anchor", "middle"), ("class", "w-small")], "update");
    }
    if let Some((lv, label)) = &c.line {
        m.void("line", &[("x1", &coord(L)), ("y1", &coord(y(*lv))), ("x2", &coord(R)), ("y2", &coord(y(*lv))), ("class", "w-grid w-c1"), ("stroke-width", "1.5")]);
        m.el("text", &[("x", &coord(R)), ("y", &coord(y(*lv) - 3.0)), ("text-anchor", "end"), ("class", "w-small")], label);
    }
    let bw = end / BINS as f64;
    for s in &c.series {
        // One polyline per run of bins with a value.
        let (mut points, mut count) = (String::new(), 0);
        for (k, value) in s.values.iter().chain([&None]).enumerate() {
            match value {
                Some(v) => {
                    points.push_str(&format!("{},{} ", coord(x((k as f64 + 0.5) * bw)), coord(y(*v))));
                    count += 1;
                }
                None => {
                    if count > 1 {
                        m.void("polyline", &[("points", points.trim_end()), ("class", s.class), ("fill-opacity", "0"), ("stroke-width", s.width), ("stroke-linejoin", "round")]);
                    }
                    (points, count) = (String::new(), 0);
                }
            }
        }
    }
    m.close("svg");
}

pub fn view(w: &Cdn) -> String {
    let mut m = Markup::new();
    let cfg = &w.cfg;
    m.open("div", &[("class", "w-cdn")]);

    m.open("div", &[("class", "w-controls")]);
    m.select("Origin shield", "shield", &[("off", "off"), ("on", "on")], if cfg.shield { "on" } else { "off" });
    m.select("Delivery", "delivery", &[("pull", "pull"), ("push", "push")], if cfg.push { "push" } else { "pull" });
    m.select("Caches at start", "start", &[("warm", "warm (at peak)"), ("cold", "cold (empty)")], if cfg.warm { "warm" } else { "cold" });
    m.select("On update", "invalidation", &INVALS, INVALS[cfg.inval].0);
    m.el("button", &[("type", "button"), ("data-ev", "reseed")], "New seed");
    m.close("div");

    headline(&mut m, w);
    charts(&mut m, w);
    numbers(&mut m, w);
    inputs(&mut m, w);
    w.log.view(&mut m, "Nothing yet: turn the shield on, switch to push, or pick another way to handle the update.");
    footer(&mut m, w);
    m.close("div");
    m.finish()
}

fn headline(m: &mut Markup, w: &Cdn) {
    let t = w.steady();
    let rate = w.cfg.v[RATE];
    let origin = rate * t.origin_share();
    m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
    m.open("p", &[]).text(if w.has_pre() { "At peak, before the update: edge hit ratio " } else { "Edge hit ratio " });
    m.el("strong", &[("class", "w-total")], &pct(t.edge_hit_ratio()));
    m.text(", origin load ").el("strong", &[], &per_s(origin));
    m.textf(format_args!(" ({} of its capacity), mean latency {} ms.", pct(origin / w.cfg.v[ORIGIN_CAP]), number(w.latency(t), 1)));
    m.close("p");
    if w.cfg.setup().has_update() {
        m.open("p", &[]).textf(format_args!("After the update ({}): ", INVALS[w.cfg.inval].1));
        m.el("strong", &[], &number(w.run().total.stale, 0)).text(" stale responses, origin peak ");
        m.el("strong", &[], &per_s(w.peak_after().0)).text(".").close("p");
    }
    m.close("div");
}

fn charts(m: &mut Markup, w: &Cdn) {
    let cfg = &w.cfg;
    let run = w.run();
    let bw = cfg.v[DURATION] / BINS as f64;
    let share = |f: fn(&Counts) -> f64| -> Vec<Option<f64>> { run.bins.iter().map(|b| (b.requests > 0.0).then(|| f(b))).collect() };
    chart(m, w, Chart {
        title: "Edge hit ratio and stale responses over time",
        aria: format!(
            "Line chart over {} s of the share of requests answered by the edge PoPs and the share served stale, with the update marked; overall {} hits and {} stale",
            num(cfg.v[DURATION]),
            pct(run.total.edge_hit_ratio()),
            pct(run.total.stale_share())
        ),
        series: vec![Series { class: "w-c0", width: "2", values: share(Counts::edge_hit_ratio) }, Series { class: "w-c1", width: "2", values: share(Counts::stale_share) }],
        top: Some(1.0),
        line: None,
        label: |v| format!("{}%", short(100.0 * v, 0)),
    });
    m.legend(&[("w-c0", "edge hit ratio"), ("w-c1", "stale responses (share)")]);
    let origin = |r: &Run| -> Vec<Option<f64>> { r.bins.iter().map(|b| Some(b.origin / bw)).collect() };
    let widths = if cfg.shield { ["1.5", "2.5"] } else { ["2.5", "1.5"] };
    chart(m, w, Chart {
        title: "Origin requests per second",
        aria: format!(
            "Line chart over {} s of the requests per second reaching the origin without and with an origin shield, against the origin's capacity of {}; averages {} and {}",
            num(cfg.v[DURATION]),
            per_s(cfg.v[ORIGIN_CAP]),
            per_s(cfg.v[RATE] * w.runs[0].total.origin_share()),
            per_s(cfg.v[RATE] * w.runs[1].total.origin_share())
        ),
        series: vec![Series { class: "w-c4", width: widths[0], values: origin(&w.runs[0]) }, Series { class: "w-c2", width: widths[1], values: origin(&w.runs[1]) }],
        top: None,
        line: Some((cfg.v[ORIGIN_CAP], format!("origin capacity {}", per_s(cfg.v[ORIGIN_CAP])))),
        label: |v| short(v, 0),
    });
    let (off, on) = if cfg.shield { ("without a shield", "with a shield (shown in the numbers)") } else { ("without a shield (shown in the numbers)", "with a shield") };
    m.legend(&[("w-c4", off), ("w-c2", on), ("w-c1", "origin capacity")]);
}

fn formula(m: &mut Markup, text: &str) {
    m.el("p", &[("class", "w-formula")], text);
}

fn numbers(m: &mut Markup, w: &Cdn) {
    let cfg = &w.cfg;
    let v = &cfg.v;
    let t = w.steady();
    let rate = v[RATE];
    let h1 = t.edge_hit_ratio();
    let h2 = t.shield_hit_ratio();
    let origin_share = t.origin_share();
    // Pull: exactly rate × origin share. Push: the storage share comes off the misses first.
    let origin = if cfg.push { rate * origin_share } else { origin_load(rate, h1, h2) };
    let big = |x: f64| number(x, 0);
    m.open("div", &[("class", "w-result")]);
    m.el("p", &[("class", "w-log-title")], &if w.has_pre() { format!("At peak, before the update (0 to {} s)", num(v[UPDATE_AT])) } else { "Over the whole run".to_string() });

    m.open("p", &[]).text("Edge hit ratio h₁ ").el("strong", &[], &pct(h1)).close("p");
    formula(m, &format!("h₁ = 1 − edge misses ÷ requests = 1 − {} ÷ {} = {}", big(t.misses), big(t.requests), pct(h1)));
    if cfg.push {
        formula(m, &format!(
            "Push: {} of those misses were for pushed objects and went to CDN storage, not the origin; only misses for the {} objects not pushed go on to the {}.",
            big(t.storage),
            num(v[OBJECTS] - v[PUSH_TOP]),
            if cfg.shield { "shield" } else { "origin" }
        ));
    }
    m.open("p", &[]).text("Shield hit ratio h₂ ");
    if cfg.shield {
        m.el("strong", &[], &pct(h2)).close("p");
        formula(m, &format!("h₂ = 1 − origin requests ÷ edge misses sent to the shield = 1 − {} ÷ {} = {}", big(t.origin), big(t.upstream()), pct(h2)));
    } else {
        m.el("strong", &[], "no shield").close("p");
        formula(m, "Every edge miss goes to the origin (h₂ = 0); turn the shield on to let one cache absorb the PoPs' repeated misses.");
    }

    m.open("p", &[]).text("Origin load ").el("strong", &[], &per_s(origin));
    m.textf(format_args!(", {} of the origin fleet's {}", pct(origin / v[ORIGIN_CAP]), per_s(v[ORIGIN_CAP]))).close("p");
    let miss = if cfg.push { frac(t.upstream() / t.requests.max(1.0)) } else { format!("(1 − {})", frac(h1)) };
    let (shield_term, shield_value) = if cfg.shield { (" × (1 − h₂)", format!(" × (1 − {})", frac(h2))) } else { ("", String::new()) };
    formula(m, &format!(
        "origin load = rate × {}{shield_term} = {} × {miss}{shield_value} ≈ {}",
        if cfg.push { "(misses not pushed ÷ requests)" } else { "(1 − h₁)" },
        number(rate, 0),
        per_s(origin)
    ));
    formula(m, &format!("offload = 1 − origin ÷ requests = 1 − {} = {}", frac(origin_share), pct(1.0 - origin_share)));
    let allowed = v[ORIGIN_CAP] / 2.0 / rate;
    if allowed < 1.0 {
        let mut text = format!(
            "To keep the origin at half its capacity ({}), at most {} ÷ {} = {} of requests may reach it: h₁ ≥ {} without a shield",
            per_s(v[ORIGIN_CAP] / 2.0),
            number(v[ORIGIN_CAP] / 2.0, 0),
            number(rate, 0),
            pct(allowed),
            pct(1.0 - allowed)
        );
        if cfg.shield && h2 < 1.0 {
            let need = 1.0 - allowed / (1.0 - h2);
            text.push_str(&format!(", or h₁ ≥ 1 − {} ÷ (1 − {}) = {} with this shield", pct(allowed), frac(h2), if need > 0.0 { pct(need) } else { "0% (any)".to_string() }));
        }
        formula(m, &format!("{text}."));
    } else {
        formula(m, &format!("The origin could take all {} at half its capacity.", per_s(rate)));
    }

    let latency = w.latency(t);
    m.open("p", &[]).text("Mean latency ").el("strong", &[], &format!("{} ms", number(latency, 1))).close("p");
    formula(m, &format!(
        "mean = user–edge RTT + (1 − h₁) × edge–origin RTT + origin share × origin time = {} + {} × {} + {} × {} ≈ {} ms",
        num(v[RTT_EDGE]),
        frac(1.0 - h1),
        num(v[RTT_ORIGIN]),
        frac(origin_share),
        num(v[ORIGIN_MS]),
        number(latency, 1)
    ));

    let size = v[SIZE_KB] * 1_000.0;
    m.open("p", &[]).text("Egress ").el("strong", &[], &gbps(rate * size)).text(" from the edge, ").el("strong", &[], &gbps(origin * size)).text(" from the origin").close("p");
    formula(m, &format!(
        "edge = {} × {} KB = {} ≈ {}; origin = {} × {} KB = {} ≈ {} (misses assumed the size of hits)",
        number(rate, 0),
        num(v[SIZE_KB]),
        bytes(rate * size),
        gbps(rate * size),
        number(origin, 0),
        num(v[SIZE_KB]),
        bytes(origin * size),
        gbps(origin * size)
    ));
    m.close("div");

    m.open("div", &[("class", "w-result")]);
    if cfg.setup().has_update() {
        let run = w.run();
        let after = run.total.requests - run.pre.requests;
        m.el("p", &[("class", "w-log-title")], &format!("After the update at {} s: the {} most popular objects changed; {}", num(v[UPDATE_AT]), num(v[CHANGED]), INVALS[cfg.inval].1));
        m.open("p", &[]).text("Stale responses ").el("strong", &[], &big(run.total.stale));
        m.textf(format_args!(" ({} of the requests after the update)", pct(if after > 0.0 { run.total.stale / after } else { 0.0 }))).close("p");
        let why = match cfg.inval {
            TTL_WAIT => format!("copies fetched before the update serve the old version until their TTL ({}) runs out", secs(v[TTL])),
            PURGE => "the purge dropped the changed objects' copies, so the next request fetches the new version".to_string(),
            PURGE_ALL => "the purge dropped every copy, so every object is fetched again".to_string(),
            _ => "the changed objects have new names, so no old copy can answer for them".to_string(),
        };
        formula(m, &format!("stale = {} simulated × {} = {}: {why}.", number(f64::from(run.raw.stale), 0), short(w.scale(), 1), big(run.total.stale)));
        let (peak, at) = w.peak_after();
        m.open("p", &[]).text("Refetches the update caused ").el("strong", &[], &big(run.refill_origin)).text(" at the origin");
        m.textf(format_args!(", {} at the edges", big(run.refill_edge))).close("p");
        formula(m, &format!(
            "first fetches after the update of a copy it dropped or renamed, each standing for as many real ones as it represents; peak origin load {} (the {} s from {} s), against {} before.",
            per_s(peak),
            num(v[DURATION] / BINS as f64),
            num(at),
            per_s(origin)
        ));
    }
    let hot = v[CACHE].min(v[OBJECTS]);
    let shield_hot = v[SHIELD_CACHE].min(v[OBJECTS]);
    let (pops, changed) = (v[POPS], v[CHANGED]);
    let mut worst = format!(
        "Worst case, if every PoP is full ({} objects each) and the shield too ({}): purge everything → up to {} × {} = {} origin fetches without a shield, {} with one (each object it holds, once)",
        big(hot),
        big(shield_hot),
        big(hot),
        big(pops),
        big(hot * pops),
        big(shield_hot)
    );
    if changed > 0.0 {
        worst.push_str(&format!("; versioned names → {} × {} = {} without a shield, {} with one", big(changed), big(pops), big(changed * pops), big(changed)));
    }
    formula(m, &format!("{worst}."));
    m.close("div");
}

/// Seconds, in words for long ones: `300 s`, `1 year`.
fn secs(s: f64) -> String {
    if s >= 31_536_000.0 {
        format!("{} year{}", short(s / 31_536_000.0, 2), if s == 31_536_000.0 { "" } else { "s" })
    } else if s >= 86_400.0 {
        format!("{} days", short(s / 86_400.0, 2))
    } else {
        format!("{} s", number(s, 0))
    }
}

fn inputs(m: &mut Markup, w: &Cdn) {
    let groups: [(&str, &[usize]); 2] = [
        ("Traffic and caches", &[RATE, POPS, OBJECTS, ZIPF, CACHE, SHIELD_CACHE, TTL, PUSH_TOP, DURATION, SEED]),
        ("Update, latency and origin", &[UPDATE_AT, CHANGED, RTT_EDGE, RTT_ORIGIN, ORIGIN_MS, SIZE_KB, ORIGIN_CAP]),
    ];
    for (caption, keys) in groups {
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], caption);
        m.open("tbody", &[]);
        for &i in keys {
            let f = &FIELDS[i];
            m.open("tr", &[]).open("th", &[("scope", "row")]).text(f.label).el("span", &[("class", "w-unit")], f.unit).close("th");
            m.open("td", &[]);
            let step = if f.whole { "1" } else { "any" };
            let label = if f.unit.is_empty() { f.label.to_string() } else { format!("{} ({})", f.label, f.unit) };
            m.void("input", &[("type", "number"), ("value", &plain(w.cfg.v[i])), ("min", &plain(f.min)), ("max", &plain(f.max)), ("step", step), ("inputmode", "decimal"), ("data-ev", f.key), ("aria-label", &label)]);
            m.close("td").close("tr");
        }
        m.close("tbody").close("table");
    }
}

fn footer(m: &mut Markup, w: &Cdn) {
    let v = &w.cfg.v;
    let total = v[RATE] * v[DURATION];
    let n = w.runs[0].raw.requests;
    let k = number(w.scale(), 0);
    let scale = if total <= BUDGET {
        format!("Every request is simulated ({}).", number(f64::from(n), 0))
    } else {
        format!(
            "Simulated 1 in {k} requests ({} of {} × {} s = {}). What an LRU cache holds depends on the order of requests, not their rate, so an eviction miss stands for {k} real ones. A refetch after a purge, a new name, a cold start or an expiry happens once per cache whatever the rate: it stands for 1 (a popular object) to {k} (a rare one), (1 − e^(−rW)) ÷ (1 − e^(−rW/k)) for an object asked for at r per second with W seconds left, or (TTL + k/r) ÷ (TTL + 1/r) after an expiry, and is drawn when the real one would happen. The simulated caches refill {k} times more slowly than real ones, so the hit ratio recovers more slowly in the chart than the origin load.",
            number(f64::from(n), 0),
            number(v[RATE], 0),
            num(v[DURATION]),
            number(total, 0)
        )
    };
    m.el("p", &[("class", "w-note")], &scale);
    m.el("p", &[("class", "w-source")], "Model: independent requests with Zipf-like popularity (Breslau et al., “Web Caching and Zipf-like Distributions”, INFOCOM 1999: exponents vary by trace, mostly below 1), LRU caches with a TTL, one LRU shield that collapses the PoPs' misses into one origin request per object (Amazon CloudFront Origin Shield documentation, retrieved 2026). Defaults from the course page's exercise: 60,000 req/s over 200 PoPs, 80 KB responses, an origin fleet of 3,000 req/s, 5,000 hot objects per PoP, 50 changed files; a one-year TTL as for fingerprinted assets (max-age=31536000; RFC 9111, 2022). The catalogue and shield sizes are assumptions chosen to give about the exercise's 90% edge and 80% shield hit ratios. Latencies: 10 ms to a nearby edge, 200 ms Sydney to North Virginia (between the 154 ms fibre floor and a 320 ms typical route) and 50 ms at the origin, as in the course's “Journey of a request” exercise.");
}
