//! The widget's markup: controls, the sequence diagram, the numbers with their formulas, the
//! comparison table and the flights in words.

use super::*;
use widget_core::format::coord;

/// The whole widget.
pub(crate) fn view(w: &TlsHandshake) -> String {
    let mut m = Markup::new();
    m.open("div", &[("class", "w-tlshandshake")]);
    w.controls(&mut m);
    w.diagram(&mut m);
    w.results(&mut m);
    w.table(&mut m);
    w.in_words(&mut m);
    w.log.view(&mut m, "Nothing yet: change the version, mode or transport, or pick a row of the table.");
    m.el(
        "p",
        &[("class", "w-source")],
        "Sources: TLS 1.2, RFC 5246 (2008), with session tickets from RFC 5077 (2008); TLS 1.3, RFC 8446 (2018); QUIC, RFC 9000 and RFC 9001 (2021). 0-RTT early data is not forward secret and can be replayed by anyone who recorded it, so accept it only for requests that are safe to repeat (RFC 8470, 2018). Model: one flight takes RTT ÷ 2; DNS, bandwidth, loss and crypto time are left out.",
    );
    m.close("div");
    m.finish()
}

fn select<T: Copy + PartialEq>(m: &mut Markup, ev: &'static str, label: &str, table: &[(&'static str, &'static str, T)], current: T, hint: &[(&str, &str)]) {
    m.open("label", &[]).text(label).text(" ");
    m.open("select", &[("data-ev", ev)]);
    for (key, name, v) in table {
        let text = match hint.iter().find(|h| h.0 == *key) {
            Some(h) => format!("{name} ({})", h.1),
            None => name.to_string(),
        };
        if *v == current {
            m.el("option", &[("value", key), ("selected", "")], &text);
        } else {
            m.el("option", &[("value", key)], &text);
        }
    }
    m.close("select").close("label");
}

/// Greedy word wrap to `width` characters.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Diagram geometry: client and server lanes, the label column, pixels per one-way delay.
const WIDTH: f64 = 360.0;
const XC: f64 = 68.0;
const XS: f64 = 158.0;
const XL: f64 = 170.0;
const Y0: f64 = 40.0;
const H: f64 = 60.0;
const LINE: f64 = 14.0;
const WRAP: usize = 26;

/// Lines of a label: the colour class of each (empty for clear text) and its text.
type Lines = Vec<(&'static str, String)>;

/// Maps times to heights. Think time longer than two one-way delays is drawn shortened.
struct Scale {
    px_per_ms: f64,
    think_from: f64,
    think: f64,
    squeeze: f64,
}

impl Scale {
    fn y(&self, t: f64) -> f64 {
        let drawn = if t <= self.think_from {
            t
        } else if t <= self.think_from + self.think {
            self.think_from + (t - self.think_from) * self.squeeze
        } else {
            self.think_from + self.think * self.squeeze + (t - self.think_from - self.think)
        };
        Y0 + drawn * self.px_per_ms
    }
}

impl TlsHandshake {
    fn controls(&self, m: &mut Markup) {
        let s = self.setup;
        m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", "Handshake")]);
        select(m, "version", "Version", &VERSIONS, s.version, &[]);
        select(m, "mode", "Mode", &MODES, s.mode, &[("0-rtt", "TLS 1.3 only")]);
        select(m, "transport", "Transport", &TRANSPORTS, s.transport, &[("quic", "TLS 1.3 only")]);
        m.close("div");
        m.open("div", &[("class", "w-controls"), ("role", "group"), ("aria-label", "Timing")]);
        for (i, f) in FIELDS.iter().enumerate() {
            m.open("label", &[]).text(f.label).text(" ");
            m.void("input", &[("type", "number"), ("data-ev", f.key), ("value", &plain(self.v[i])), ("min", &plain(f.min)), ("max", &plain(f.max)), ("step", "any"), ("inputmode", "decimal")]);
            m.el("span", &[("class", "w-unit")], f.unit);
            m.close("label");
        }
        m.close("div");
    }

    fn diagram(&self, m: &mut Markup) {
        let (rtt, think) = (self.v[RTT], self.v[THINK]);
        let one = rtt / 2.0;
        let t = self.timing();
        let fl = self.flights();
        let req_arrives = t.request_ms + one;
        let squeeze = if think > 2.0 * one { 2.0 * one / think } else { 1.0 };
        let sc = Scale { px_per_ms: H / one, think_from: req_arrives, think, squeeze };
        let end = fl.iter().map(|f| f.depart + one).fold(t.first_byte_ms, f64::max);

        // Label blocks: (wanted centre, lines, flight number or 0).
        let mut blocks: Vec<(f64, Lines, usize)> = vec![];
        for (i, f) in fl.iter().enumerate() {
            let mut lines = vec![];
            for p in &f.parts {
                let class = match p.kind {
                    Kind::Tcp => "w-c9",
                    Kind::Clear => "",
                    Kind::Enc => "w-c2",
                    Kind::Request | Kind::Response => "w-c0",
                };
                for l in wrap(&p.text(), WRAP) {
                    lines.push((class, l));
                }
            }
            let along = if f.has(Kind::Response) && f.parts.len() == 1 { 0.7 } else { 0.5 };
            blocks.push((sc.y(f.depart + one * along), lines, i + 1));
        }
        if think > 0.0 {
            let mut text = format!("server thinks {}", ms(think));
            if squeeze < 1.0 {
                text.push_str(" (drawn shortened)");
            }
            // Flights come in time order; the think label goes where its time falls.
            let centre = sc.y(req_arrives + think / 2.0);
            let at = blocks.iter().position(|b| b.0 > centre).unwrap_or(blocks.len());
            blocks.insert(at, (centre, wrap(&text, WRAP).into_iter().map(|l| ("w-c4", l)).collect(), 0));
        }
        let mut placed: Vec<(f64, &Lines, usize)> = vec![];
        let mut bottom = 0.0f64;
        for (centre, lines, n) in &blocks {
            let h = LINE * lines.len() as f64;
            let top = (centre - h / 2.0).max(bottom + 5.0);
            bottom = top + h;
            placed.push((top, lines, *n));
        }
        let height = (sc.y(end) + 24.0).max(bottom + 12.0);

        let title = format!("{}: sequence diagram at {} RTT", self.setup.name(), ms(rtt));
        let label = format!(
            "{title}. Time runs down; each arrow is one flight taking {}. The request leaves at {} and the first response byte arrives at {}. The list below the table gives every flight in words.",
            ms(one),
            ms(t.request_ms),
            ms(t.first_byte_ms)
        );
        m.open("svg", &[("viewBox", &format!("0 0 {} {}", coord(WIDTH), coord(height))), ("class", "w-diagram"), ("role", "img"), ("aria-label", &label)]);
        m.el("title", &[], &title);
        m.el("text", &[("x", &coord(XC)), ("y", "16"), ("text-anchor", "middle"), ("class", "w-label")], "Client");
        m.el("text", &[("x", &coord(XS)), ("y", "16"), ("text-anchor", "middle"), ("class", "w-label")], "Server");
        for x in [XC, XS] {
            m.void("line", &[("x1", &coord(x)), ("y1", "24"), ("x2", &coord(x)), ("y2", &coord(height - 8.0)), ("class", "w-edge")]);
        }

        // Time axis: every round trip, and the two moments that matter, in bold.
        let keys = [(t.request_ms, "request"), (t.first_byte_ms, "first byte")];
        for (at, word) in keys {
            let y = sc.y(at);
            m.void("circle", &[("cx", &coord(XC)), ("cy", &coord(y)), ("r", "4"), ("class", "w-c0")]);
            m.el("text", &[("x", &coord(XC - 8.0)), ("y", &coord(y + 4.0)), ("text-anchor", "end"), ("class", "w-label")], &ms(at));
            m.el("text", &[("x", &coord(XC - 8.0)), ("y", &coord(y + 16.0)), ("text-anchor", "end"), ("class", "w-small")], word);
        }
        // Round-trip ticks, none inside a shortened think time (they would pile up there).
        let mut ticks: Vec<f64> = (0..=32).map(|k| f64::from(k) * rtt).take_while(|at| *at <= end + 1e-9).collect();
        if squeeze < 1.0 {
            let resume = ((req_arrives + think) / rtt).ceil();
            ticks.retain(|at| *at <= req_arrives);
            ticks.extend((0..=32).map(|k| (resume + f64::from(k)) * rtt).take_while(|at| *at <= end + 1e-9));
        }
        let mut last = f64::NEG_INFINITY;
        for at in ticks {
            let y = sc.y(at);
            m.void("line", &[("x1", &coord(XC - 4.0)), ("y1", &coord(y)), ("x2", &coord(XC)), ("y2", &coord(y)), ("class", "w-edge")]);
            let clear_of_keys = keys.iter().all(|(kt, _)| {
                let ky = sc.y(*kt);
                y < ky - 12.0 || y > ky + 22.0
            });
            if clear_of_keys && y - last >= 13.0 {
                m.el("text", &[("x", &coord(XC - 8.0)), ("y", &coord(y + 4.0)), ("text-anchor", "end"), ("class", "w-small")], &ms(at));
                last = y;
            }
        }

        if think > 0.0 {
            let (a, b) = (sc.y(req_arrives), sc.y(req_arrives + think));
            m.void("rect", &[("x", &coord(XS - 4.0)), ("y", &coord(a)), ("width", "8"), ("height", &coord(b - a)), ("class", "w-c4"), ("fill-opacity", "0.6")]);
        }

        for (i, f) in fl.iter().enumerate() {
            let (x1, x2) = if f.client { (XC, XS) } else { (XS, XC) };
            let (y1, y2) = (sc.y(f.depart), sc.y(f.depart + one));
            let class = if f.has(Kind::Request) || f.has(Kind::Response) {
                "w-c0"
            } else if f.parts.iter().all(|p| p.kind == Kind::Tcp) {
                "w-c9"
            } else {
                "w-c3"
            };
            let (dx, dy) = (x2 - x1, y2 - y1);
            let len = (dx * dx + dy * dy).sqrt().max(1e-9);
            let (ux, uy) = (dx / len, dy / len);
            let (bx, by) = (x2 - 9.0 * ux, y2 - 9.0 * uy);
            m.void("line", &[("x1", &coord(x1)), ("y1", &coord(y1)), ("x2", &coord(bx)), ("y2", &coord(by)), ("class", class), ("stroke-width", "2")]);
            let head = format!("{},{} {},{} {},{}", coord(x2), coord(y2), coord(bx - 4.0 * uy), coord(by + 4.0 * ux), coord(bx + 4.0 * uy), coord(by - 4.0 * ux));
            m.void("polygon", &[("points", &head), ("class", class)]);
            let along = if f.has(Kind::Response) && f.parts.len() == 1 { 0.7 } else { 0.5 };
            let (mx, my) = (x1 + dx * along, y1 + dy * along);
            m.void("circle", &[("cx", &coord(mx)), ("cy", &coord(my)), ("r", "8"), ("class", "w-node")]);
            m.el("text", &[("x", &coord(mx)), ("y", &coord(my + 4.0)), ("text-anchor", "middle"), ("font-size", "11")], &(i + 1).to_string());
        }

        for (top, lines, n) in placed {
            for (j, (class, text)) in lines.iter().enumerate() {
                let y = coord(top + 10.0 + LINE * j as f64);
                m.open("text", &[("x", &coord(XL)), ("y", &y), ("font-size", "12")]);
                if j == 0 && n > 0 {
                    m.el("tspan", &[("font-weight", "700")], &format!("{n} "));
                }
                match *class {
                    "" => m.text(text),
                    // The colour classes also set a stroke, which would outline the letters.
                    "w-c0" => m.el("tspan", &[("class", class), ("stroke-width", "0"), ("font-weight", "700")], text),
                    _ => m.el("tspan", &[("class", class), ("stroke-width", "0")], text),
                };
                m.close("text");
            }
        }
        m.close("svg");

        m.open("p", &[("class", "w-note")]);
        m.textf(format_args!("Time runs down; each arrow is one flight taking RTT ÷ 2 = {} ÷ 2 = {}. ", ms(rtt), ms(one)));
        m.el("span", &[("class", "w-swatch w-c2")], "").text(" {Braces} mark encrypted messages; ");
        m.el("span", &[("class", "w-swatch w-c0")], "").text(" the HTTP request and response are in bold; ");
        m.el("span", &[("class", "w-swatch w-c9")], "").text(" TCP segments; everything else travels in clear text.");
        m.close("p");
    }

    fn results(&self, m: &mut Markup) {
        let (rtt, think) = (self.v[RTT], self.v[THINK]);
        let s = self.setup;
        let t = self.timing();
        m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
        m.open("p", &[]).text("First response byte after ").el("strong", &[("class", "w-total")], &ms(t.first_byte_ms));
        m.textf(format_args!(" ({}{}); the request leaves after {} ({}).", rtts(t.first_byte_rtts), if think > 0.0 { " + think time" } else { "" }, ms(t.request_ms), rtts(t.request_rtts)));
        m.close("p");

        let mut terms = vec![];
        if t.transport_rtts > 0 {
            terms.push(format!("{} TCP handshake", rtts(t.transport_rtts)));
        }
        let tls = match (s.transport, s.mode) {
            (Transport::Quic, Mode::ZeroRtt) => "0 RTT QUIC handshake (the request rides in the first packet)".to_string(),
            (Transport::Quic, _) => format!("{} QUIC handshake (transport and TLS 1.3 together)", rtts(t.tls_rtts)),
            (_, Mode::ZeroRtt) => "0 RTT TLS (the request rides with the ClientHello as early data)".to_string(),
            _ => format!("{} {} {}", rtts(t.tls_rtts), entry(&VERSIONS, s.version).1, entry(&MODES, s.mode).1),
        };
        terms.push(tls);
        m.el("p", &[("class", "w-formula")], &format!(
            "Request sent: {} = {}; {} × {} = {}.",
            terms.join(" + "), rtts(t.request_rtts), t.request_rtts, ms(rtt), ms(t.request_ms)
        ));
        m.el("p", &[("class", "w-formula")], &format!(
            "First byte: {} + 1 RTT (request out, response back) = {}; {} × {} + {} think time = {}.",
            rtts(t.request_rtts), rtts(t.first_byte_rtts), t.first_byte_rtts, ms(rtt), ms(think), ms(t.first_byte_ms)
        ));
        let slowest = timing(VALID[0], rtt, think);
        if s != VALID[0] {
            let saved = slowest.first_byte_rtts - t.first_byte_rtts;
            m.el("p", &[("class", "w-formula")], &format!(
                "Against TLS 1.2 full over TCP ({} = {}): {} saved, {} × {} = {}.",
                rtts(slowest.first_byte_rtts), ms(slowest.first_byte_ms), rtts(saved), saved, ms(rtt), ms(f64::from(saved) * rtt)
            ));
        }

        let (mut clear, mut secret): (Vec<&str>, Vec<&str>) = (vec![], vec![]);
        for f in self.flights() {
            for p in f.parts.iter().filter(|p| p.kind != Kind::Tcp) {
                let list = if p.kind.encrypted() { &mut secret } else { &mut clear };
                for msg in p.msgs {
                    if !list.contains(msg) {
                        list.push(msg);
                    }
                }
            }
        }
        let mut note = format!("Readable on the path: {}. Encrypted: {}.", clear.join(", "), secret.join(", "));
        if s.version == Version::V12 {
            note.push_str(" In TLS 1.2 the server's certificate crosses the network in clear text.");
        }
        if s.transport == Transport::Quic {
            note.push_str(" QUIC protects even its Initial packets, but with keys derived from the connection ID, which anyone on the path can compute (RFC 9001), so the hellos are as readable as over TCP.");
        }
        if s.mode == Mode::ZeroRtt {
            note.push_str(" The early request is encrypted with a key from the earlier session: it is not forward secret and can be replayed.");
        }
        m.el("p", &[("class", "w-note")], &note);
        m.close("div");
    }

    fn table(&self, m: &mut Markup) {
        let (rtt, think) = (self.v[RTT], self.v[THINK]);
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], &format!("Every valid setup at RTT {} and think time {}: first byte = (R + 1) × RTT + think", ms(rtt), ms(think)));
        m.open("thead", &[]).open("tr", &[]);
        for h in ["Setup (pick one)", "Request sent (R)", "First byte"] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        for s in VALID {
            let t = timing(s, rtt, think);
            let on = if s == self.setup { "true" } else { "false" };
            let name = format!("{} {}, {}", entry(&VERSIONS, s.version).1, entry(&MODES, s.mode).1, entry(&TRANSPORTS, s.transport).1);
            m.open("tr", &[]).open("th", &[("scope", "row")]);
            m.el("button", &[("type", "button"), ("class", "w-link"), ("data-ev", "combo"), ("data-arg", &s.arg()), ("aria-pressed", on)], &name);
            m.close("th");
            m.el("td", &[], &format!("{} · {}", rtts(t.request_rtts), ms(t.request_ms)));
            m.el("td", &[], &format!("{} · {}", rtts(t.first_byte_rtts), ms(t.first_byte_ms)));
            m.close("tr");
        }
        m.close("tbody").close("table");
    }

    fn in_words(&self, m: &mut Markup) {
        let one = self.v[RTT] / 2.0;
        m.open("details", &[]).el("summary", &[], "The flights in words").open("ol", &[]);
        for f in self.flights() {
            let dir = if f.client { "Client → server" } else { "Server → client" };
            m.el("li", &[], &format!("{dir}, leaves at {}, arrives at {}: {}.", ms(f.depart), ms(f.depart + one), f.text()));
        }
        m.close("ol").close("details");
    }
}
