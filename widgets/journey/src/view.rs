//! The widget's markup: presets and selects, the headline times with their formulas, the
//! waterfall, the steps with their formulas, the number inputs, the log and the sources.

use crate::*;
use widget_core::format::coord;

fn class(kind: Kind) -> &'static str {
    match kind {
        Kind::Dns => "w-bar w-c3",
        Kind::User => "w-bar w-c0",
        Kind::Backbone => "w-bar w-c4",
        Kind::Work => "w-bar w-c2",
        Kind::Transfer => "w-bar w-c9",
    }
}

const LEGEND: [(Kind, &str); 5] = [
    (Kind::Dns, "DNS"),
    (Kind::User, "round trips from the user"),
    (Kind::Backbone, "edge ↔ origin"),
    (Kind::Work, "work in the data centre or edge"),
    (Kind::Transfer, "more response flights"),
];

use widget_core::axis::nice_step;

pub fn view(w: &Journey, log: &Log) -> String {
    let plan = w.plan();
    let mut m = Markup::new();
    m.open("div", &[("class", "w-journey")]);
    controls(&mut m, w);
    headline(&mut m, w, &plan);
    waterfall(&mut m, &plan);
    steps(&mut m, &plan);
    inputs(&mut m, w);
    log.view(&mut m, "Nothing yet: try Warm, Near user, TLS 1.2 or the CDN edge, and watch the first and last byte.");
    sources(&mut m);
    m.close("div");
    m.finish()
}

fn button(m: &mut Markup, arg: &str, label: &str, pressed: bool) {
    m.el("button", &[("type", "button"), ("data-ev", "preset"), ("data-arg", arg), ("aria-pressed", if pressed { "true" } else { "false" })], label);
}

fn controls(m: &mut Markup, w: &Journey) {
    m.open("div", &[("class", "w-controls")]);
    button(m, "cold", "Cold", w.is_cold());
    button(m, "warm", "Warm", w.is_warm());
    button(m, "near", "Near user (New York)", w.v[RTT] == NEAR_RTT && w.v[EDGE_ORIGIN] == NEAR_RTT);
    button(m, "far", "Far user (Sydney)", w.v[RTT] == FAR_RTT && w.v[EDGE_ORIGIN] == FAR_RTT);
    m.close("div");
    m.open("div", &[("class", "w-controls")]);
    for (i, ch) in CHOICES.iter().enumerate() {
        m.open("label", &[]).text(ch.label);
        m.open("select", &[("data-ev", ch.key)]);
        for (val, label) in ch.options {
            if *val == w.c[i] {
                m.el("option", &[("value", val), ("selected", "")], label);
            } else {
                m.el("option", &[("value", val)], label);
            }
        }
        m.close("select").close("label");
    }
    m.close("div");
}

fn headline(m: &mut Markup, w: &Journey, p: &Plan) {
    m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
    m.open("p", &[]).text("First byte at ").el("strong", &[("class", "w-total")], &ms(p.ttfb));
    m.text(", whole response at ").el("strong", &[("class", "w-total")], &ms(p.ttlb)).text(".").close("p");
    let st = &p.steps;
    m.el("p", &[("class", "w-formula")], &format!(
        "first byte = DNS {} + TCP {} + TLS {} + request {} + wait at the {} {} = {}",
        short(st[0].ms, 2), short(st[1].ms, 2), short(st[2].ms, 2), short(st[3].ms, 2), p.host, short(st[3].gap, 2), ms(p.ttfb)
    ));
    m.el("p", &[("class", "w-formula")], &format!(
        "last byte = first byte + (flights − 1) × RTT = {} + {} × {} = {}",
        short(p.ttfb, 2), p.flights - 1, ms(p.leg), ms(p.ttlb)
    ));
    let network = p.ttfb - p.work;
    m.el("p", &[], &format!(
        "{} round trip{} to the {} ({} each) before the first byte, {} more for the rest. Of the {} to the first byte, {} is waiting on the network and {} is work in the data centre.",
        p.trips, if p.trips == 1 { "" } else { "s" }, p.host, ms(p.leg), p.flights - 1, ms(p.ttfb), ms(network), ms(p.work)
    ));
    if w.is(PATH, "edge") && w.is(EDGE, "hit") {
        m.el("p", &[("class", "w-note")], "The edge answered from its cache: the origin did no work and nothing crossed to it.");
    }
    m.close("div");
}

// Plot area inside a 400-wide view box, readable when a phone shrinks it to 330 px.
const L: f64 = 10.0;
const R: f64 = 390.0;
const TOP: f64 = 22.0;
const ROW: f64 = 30.0;

fn waterfall(m: &mut Markup, p: &Plan) {
    let end = p.steps.iter().map(Step::end).fold(p.ttlb, f64::max);
    let step = nice_step(end.max(1.0));
    let tmax = (end / step).ceil().max(1.0) * step;
    let x = |t: f64| L + (R - L) * t / tmax;
    let bottom = TOP + ROW * p.steps.len() as f64;
    let height = bottom + 34.0;
    m.open("svg", &[("viewBox", &format!("0 0 400 {}", coord(height))), ("class", "w-diagram"), ("role", "img"), ("aria-label", &format!(
        "Waterfall of the request's steps on a millisecond axis: first byte at {}, last byte at {}; the table below lists each step",
        ms(p.ttfb), ms(p.ttlb)
    ))]);
    m.el("title", &[], "Waterfall of one request, in milliseconds");
    let mut t = 0.0;
    while t <= tmax + 1e-9 {
        let anchor = if t == 0.0 { "start" } else if x(t) > R - 12.0 { "end" } else { "middle" };
        m.void("line", &[("x1", &coord(x(t))), ("y1", &coord(TOP - 6.0)), ("x2", &coord(x(t))), ("y2", &coord(bottom)), ("class", "w-grid")]);
        m.el("text", &[("x", &coord(x(t))), ("y", "12"), ("text-anchor", anchor), ("class", "w-small")], &ms(t));
        t += step;
    }
    for (k, s) in p.steps.iter().enumerate() {
        let y = TOP + ROW * k as f64;
        m.el("text", &[("x", &coord(L)), ("y", &coord(y + 11.0)), ("class", "w-small")], &if s.gap > 0.0 { format!("{} · {} + {} wait", s.name, ms(s.ms), ms(s.gap)) } else { format!("{} · {}", s.name, ms(s.ms)) });
        let bar = |m: &mut Markup, a: f64, b: f64| {
            let width = (x(b) - x(a)).max(1.5);
            m.void("rect", &[("x", &coord(x(a))), ("y", &coord(y + 15.0)), ("width", &coord(width)), ("height", "10"), ("rx", "2"), ("class", class(s.kind))]);
        };
        if s.ms <= 0.0 && s.gap <= 0.0 {
            continue;
        }
        if s.gap > 0.0 {
            // A round trip open while work happens further along: half out, the wait, half back.
            let half = s.ms / 2.0;
            m.void("line", &[("x1", &coord(x(s.start + half))), ("y1", &coord(y + 20.0)), ("x2", &coord(x(s.end() - half))), ("y2", &coord(y + 20.0)), ("class", "w-edge")]);
            if half > 0.0 {
                bar(m, s.start, s.start + half);
                bar(m, s.end() - half, s.end());
            }
        } else {
            bar(m, s.start, s.end());
        }
    }
    let markers = if p.ttlb > p.ttfb {
        vec![(p.ttfb, format!("first byte {}", ms(p.ttfb))), (p.ttlb, format!("last byte {}", ms(p.ttlb)))]
    } else {
        vec![(p.ttfb, format!("first and last byte {}", ms(p.ttfb)))]
    };
    for (i, (at, label)) in markers.iter().enumerate() {
        let xa = x(*at);
        let anchor = if xa > R - 70.0 { "end" } else if xa < L + 70.0 { "start" } else { "middle" };
        m.void("line", &[("x1", &coord(xa)), ("y1", &coord(TOP - 6.0)), ("x2", &coord(xa)), ("y2", &coord(bottom + 4.0 + 14.0 * i as f64)), ("class", "w-grid w-c1"), ("stroke-width", "1.5")]);
        m.el("text", &[("x", &coord(xa)), ("y", &coord(bottom + 16.0 + 14.0 * i as f64)), ("text-anchor", anchor), ("class", "w-label")], label);
    }
    m.close("svg");
    m.open("p", &[("class", "w-note")]);
    for (i, (kind, label)) in LEGEND.iter().enumerate() {
        if i > 0 {
            m.text(" · ");
        }
        m.el("span", &[("class", &format!("w-swatch {}", class(*kind))), ("aria-hidden", "true")], "").text(" ").text(label);
    }
    m.text(". A round trip with work in the middle is drawn as its two halves.");
    m.close("p");
}

fn steps(m: &mut Markup, p: &Plan) {
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], "Each step and how it is priced");
    m.open("thead", &[]).open("tr", &[]);
    for h in ["Step", "Starts", "Takes"] {
        m.el("th", &[("scope", "col")], h);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    for s in &p.steps {
        m.open("tr", &[]).open("th", &[("scope", "row")]).text(s.name).el("span", &[("class", "w-formula")], &s.formula).close("th");
        m.el("td", &[], &ms(s.start)).el("td", &[], &ms(s.ms)).close("tr");
    }
    m.close("tbody").close("table");
}

fn inputs(m: &mut Markup, w: &Journey) {
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], "Round trips, server times and size");
    m.open("tbody", &[]);
    for (i, f) in FIELDS.iter().enumerate() {
        m.open("tr", &[]).open("th", &[("scope", "row")]).text(f.label).el("span", &[("class", "w-unit")], f.unit).close("th");
        m.open("td", &[]);
        m.void("input", &[
            ("type", "number"), ("value", &plain(w.v[i])), ("min", &plain(f.min)), ("max", &plain(f.max)), ("step", "any"),
            ("inputmode", "decimal"), ("data-ev", "set"), ("data-arg", f.key), ("aria-label", &format!("{} ({})", f.label, f.unit)),
        ]);
        m.close("td").close("tr");
    }
    m.close("tbody").close("table");
}

fn sources(m: &mut Markup) {
    m.open("p", &[("class", "w-note")]).text("Sources: TCP's one-round-trip handshake, ");
    m.el("a", &[("href", "https://www.rfc-editor.org/rfc/rfc9293")], "RFC 9293, 2022");
    m.text("; TLS 1.3 in one round trip (1.2 in two), ");
    m.el("a", &[("href", "https://www.rfc-editor.org/rfc/rfc8446")], "RFC 8446, 2018");
    m.text("; an initial window of 10 segments, 14,600 B, ");
    m.el("a", &[("href", "https://www.rfc-editor.org/rfc/rfc6928")], "RFC 6928, 2013");
    m.text("; 0.5 ms for a round trip inside a data centre (load balancer hop, cache lookup), ");
    m.el("a", &[("href", "https://www.cs.cornell.edu/projects/ladis2009/talks/dean-keynote-ladis2009.pdf")], "Jeff Dean, 2009");
    m.text("; routes about 2.1 × the straight line (Sydney–Virginia 15,700 km: 154 ms floor, about 320 ms typical, 200 ms here; New York–Virginia 350 km: about 7.4 ms, 8 ms here), ");
    m.el("a", &[("href", "https://arxiv.org/abs/1811.10737")], "Bozkurt et al., 2018");
    m.text("; a resolver or edge within 10 ms of users, ");
    m.el("a", &[("href", "https://blog.cloudflare.com/dns-resolver-1-1-1-1/")], "Cloudflare's 1.1.1.1 goal, 2018");
    m.text(". Assumptions to change: the resolver's round trips to root, TLD and authoritative servers on a miss (20 ms each; the root is rarely asked, as resolvers cache the TLDs), a 10 ms database query, 49 ms of code. Bandwidth, packet loss, the edge's own processing and rendering are left out.");
    m.close("p");
}
