//! TLS handshakes as a sequence diagram: TLS 1.2 and 1.3, full, resumed and 0-RTT, over TCP or
//! QUIC, with the round trips counted to the request leaving and to the first response byte.
//!
//! Model: every flight of messages takes one one-way delay, RTT ÷ 2; flights alternate, the
//! client starting at time 0, and each side answers as soon as the other's flight arrives. The
//! server spends `think` ms between receiving the HTTP request and sending the response's first
//! byte; crypto time, bandwidth, loss and DNS are left out, as on the course page.
//!
//! - transport handshake: TCP 1 RTT (SYN, SYN-ACK; the ACK rides with the ClientHello); QUIC 0
//!   (its transport handshake is the TLS 1.3 handshake);
//! - TLS before the request: 1.2 full 2 RTT, 1.2 resumed 1, 1.3 full 1, 1.3 resumed (PSK) 1,
//!   1.3 0-RTT 0 (the request rides in the first flight); QUIC full and resumed 1, QUIC 0-RTT 0;
//! - request sent at `R × RTT` with R = transport + TLS round trips;
//! - first response byte at `(R + 1) × RTT + think` (one more round trip: the request travels
//!   to the server and the response back).
//!
//! At 120 ms this gives the page's worked answer: 1.2 full 4 RTT = 480 ms, 1.2 resumed 360 ms,
//! 1.3 full 360 ms, 1.3 with 0-RTT 240 ms, QUIC 0-RTT 120 ms.
//!
//! TLS 1.2 has no 0-RTT and QUIC carries only TLS 1.3 (RFC 9001): those combinations are
//! parameter errors, and refused (with the reason in the log) as events.

use widget_core::field::{self, Field};
use widget_core::format::short;
use widget_core::{Log, Markup, ParamError, Params, Widget};

#[cfg(test)]
mod tests;
mod view;

#[cfg(test)]
use view::wrap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V12,
    V13,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Full,
    Resumed,
    ZeroRtt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Quic,
}

/// Parameter value, label in the controls, and the choice.
pub const VERSIONS: [(&str, &str, Version); 2] = [("1.2", "TLS 1.2", Version::V12), ("1.3", "TLS 1.3", Version::V13)];
pub const MODES: [(&str, &str, Mode); 3] = [("full", "full handshake", Mode::Full), ("resumed", "resumed session", Mode::Resumed), ("0-rtt", "0-RTT early data", Mode::ZeroRtt)];
pub const TRANSPORTS: [(&str, &str, Transport); 2] = [("tcp", "TCP", Transport::Tcp), ("quic", "QUIC", Transport::Quic)];

fn find<T: Copy>(table: &[(&'static str, &'static str, T)], key: &str) -> Option<T> {
    table.iter().find(|e| e.0 == key).map(|e| e.2)
}

fn keys<T>(table: &[(&'static str, &'static str, T)]) -> Vec<&'static str> {
    table.iter().map(|e| e.0).collect()
}

fn entry<T: Copy + PartialEq>(table: &[(&'static str, &'static str, T)], v: T) -> (&'static str, &'static str) {
    table.iter().find(|e| e.2 == v).map_or(("", ""), |e| (e.0, e.1))
}

pub const FIELDS: [Field; 2] = [
    Field::num("rtt_ms", "Round trip (RTT)", "ms", 120.0, 0.1, 1_000.0),
    Field::num("think_ms", "Server think time", "ms", 0.0, 0.0, 10_000.0),
];
const RTT: usize = 0;
const THINK: usize = 1;

/// One combination of version, mode and transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    pub version: Version,
    pub mode: Mode,
    pub transport: Transport,
}

/// Every combination that exists, slowest first: the rows of the comparison table.
pub const VALID: [Setup; 8] = [
    Setup::new(Version::V12, Mode::Full, Transport::Tcp),
    Setup::new(Version::V12, Mode::Resumed, Transport::Tcp),
    Setup::new(Version::V13, Mode::Full, Transport::Tcp),
    Setup::new(Version::V13, Mode::Resumed, Transport::Tcp),
    Setup::new(Version::V13, Mode::ZeroRtt, Transport::Tcp),
    Setup::new(Version::V13, Mode::Full, Transport::Quic),
    Setup::new(Version::V13, Mode::Resumed, Transport::Quic),
    Setup::new(Version::V13, Mode::ZeroRtt, Transport::Quic),
];

impl Setup {
    pub const fn new(version: Version, mode: Mode, transport: Transport) -> Setup {
        Setup { version, mode, transport }
    }

    /// Why this combination cannot exist: the parameter at fault, the reason, and the other
    /// value of that parameter that would work with TLS 1.2.
    pub fn problem(self) -> Option<(&'static str, &'static str, &'static str)> {
        if self.version == Version::V12 && self.transport == Transport::Quic {
            return Some(("transport", "QUIC always carries TLS 1.3 (RFC 9001), never TLS 1.2", "TCP"));
        }
        if self.version == Version::V12 && self.mode == Mode::ZeroRtt {
            return Some(("mode", "0-RTT early data exists only in TLS 1.3; a TLS 1.2 client can resume a session but cannot send data before the handshake ends", "full or resumed"));
        }
        None
    }

    /// "TLS 1.2, full handshake, over TCP".
    pub fn name(self) -> String {
        format!("{}, {}, over {}", entry(&VERSIONS, self.version).1, entry(&MODES, self.mode).1, entry(&TRANSPORTS, self.transport).1)
    }

    /// "1.3/quic/0-rtt": the argument of the table's buttons.
    pub fn arg(self) -> String {
        format!("{}/{}/{}", entry(&VERSIONS, self.version).0, entry(&TRANSPORTS, self.transport).0, entry(&MODES, self.mode).0)
    }

    pub fn from_arg(s: &str) -> Option<Setup> {
        let mut it = s.split('/');
        let (v, t, m) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() {
            return None;
        }
        Some(Setup::new(find(&VERSIONS, v)?, find(&MODES, m)?, find(&TRANSPORTS, t)?))
    }

    pub fn transport_rtts(self) -> u32 {
        match self.transport {
            Transport::Tcp => 1,
            Transport::Quic => 0,
        }
    }
}

/// What a group of messages is, which decides how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// TCP segments (not TLS).
    Tcp,
    /// TLS messages anyone on the path can read.
    Clear,
    /// TLS messages encrypted under handshake (or early) keys.
    Enc,
    /// The HTTP request, always encrypted.
    Request,
    /// The HTTP response's first byte, always encrypted.
    Response,
}

impl Kind {
    pub fn encrypted(self) -> bool {
        matches!(self, Kind::Enc | Kind::Request | Kind::Response)
    }
}

/// Messages of one kind sent together, with the QUIC packet type (or TLS 1.3 "early data")
/// that carries them, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub kind: Kind,
    pub packet: &'static str,
    pub msgs: &'static [&'static str],
}

const fn part(kind: Kind, packet: &'static str, msgs: &'static [&'static str]) -> Part {
    Part { kind, packet, msgs }
}

impl Part {
    /// "Handshake: {EncryptedExtensions, Finished}": braces mark encryption, as in RFC 8446.
    pub fn text(&self) -> String {
        let body = self.msgs.join(", ");
        let body = if self.kind.encrypted() { format!("{{{body}}}") } else { body };
        if self.packet.is_empty() { body } else { format!("{}: {body}", self.packet) }
    }
}

/// One flight: the messages one side sends at once, leaving at `depart` ms and arriving one
/// one-way delay later.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    pub client: bool,
    pub depart: f64,
    pub parts: Vec<Part>,
}

impl Flight {
    pub fn has(&self, kind: Kind) -> bool {
        self.parts.iter().any(|p| p.kind == kind)
    }
    pub fn text(&self) -> String {
        self.parts.iter().map(Part::text).collect::<Vec<_>>().join(", ")
    }
}

/// The handshake's flights in order, without the response: flight `i` leaves at `i` one-way
/// delays, from the client when `i` is even. Message names follow RFC 5246 (section 7.3),
/// RFC 8446 (sections 2, 2.2 and 2.3) and RFC 9001 (QUIC packet types; no EndOfEarlyData).
pub fn script(s: Setup) -> Vec<Vec<Part>> {
    use Kind::*;
    let quic = s.transport == Transport::Quic;
    let (ini, hs, app, early) = if quic { ("Initial", "Handshake", "1-RTT", "0-RTT") } else { ("", "", "", "early data") };
    let mut out: Vec<Vec<Part>> = vec![];
    if !quic {
        out.push(vec![part(Tcp, "", &["TCP SYN"])]);
        out.push(vec![part(Tcp, "", &["TCP SYN-ACK"])]);
    }
    let tls: Vec<Vec<Part>> = match (s.version, s.mode) {
        (Version::V12, Mode::Full) => vec![
            vec![part(Clear, "", &["ClientHello"])],
            vec![part(Clear, "", &["ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone"])],
            vec![part(Clear, "", &["ClientKeyExchange", "ChangeCipherSpec"]), part(Enc, "", &["Finished"])],
            vec![part(Clear, "", &["ChangeCipherSpec"]), part(Enc, "", &["Finished"])],
            vec![part(Request, "", &["HTTP request"])],
        ],
        (Version::V12, _) => vec![
            vec![part(Clear, "", &["ClientHello + session ID or ticket"])],
            vec![part(Clear, "", &["ServerHello", "ChangeCipherSpec"]), part(Enc, "", &["Finished"])],
            vec![part(Clear, "", &["ChangeCipherSpec"]), part(Enc, "", &["Finished"]), part(Request, "", &["HTTP request"])],
        ],
        (Version::V13, Mode::Full) => vec![
            vec![part(Clear, ini, &["ClientHello + key_share"])],
            vec![part(Clear, ini, &["ServerHello + key_share"]), part(Enc, hs, &["EncryptedExtensions", "Certificate", "CertificateVerify", "Finished"])],
            vec![part(Enc, hs, &["Finished"]), part(Request, app, &["HTTP request"])],
        ],
        (Version::V13, Mode::Resumed) => vec![
            vec![part(Clear, ini, &["ClientHello + key_share + pre_shared_key"])],
            vec![part(Clear, ini, &["ServerHello + key_share + pre_shared_key"]), part(Enc, hs, &["EncryptedExtensions", "Finished"])],
            vec![part(Enc, hs, &["Finished"]), part(Request, app, &["HTTP request"])],
        ],
        (Version::V13, Mode::ZeroRtt) => vec![
            vec![part(Clear, ini, &["ClientHello + key_share + pre_shared_key + early_data"]), part(Request, early, &["HTTP request"])],
            vec![part(Clear, ini, &["ServerHello + key_share + pre_shared_key"]), part(Enc, hs, &["EncryptedExtensions + early_data", "Finished"])],
            if quic { vec![part(Enc, hs, &["Finished"])] } else { vec![part(Enc, "", &["EndOfEarlyData", "Finished"])] },
        ],
    };
    for (i, mut flight) in tls.into_iter().enumerate() {
        if i == 0 && !quic {
            flight.insert(0, part(Tcp, "", &["TCP ACK"]));
        }
        out.push(flight);
    }
    out
}

/// Index of the flight carrying the HTTP request.
fn request_flight(script: &[Vec<Part>]) -> usize {
    script.iter().position(|f| f.iter().any(|p| p.kind == Kind::Request)).unwrap_or(0)
}

/// Round trips and times of one setup.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub transport_rtts: u32,
    pub tls_rtts: u32,
    /// Round trips before the request leaves the client.
    pub request_rtts: u32,
    pub first_byte_rtts: u32,
    pub request_ms: f64,
    pub first_byte_ms: f64,
}

pub fn timing(s: Setup, rtt: f64, think: f64) -> Timing {
    // The request leaves with client flight 2k, that is after k round trips.
    let request_rtts = (request_flight(&script(s)) / 2) as u32;
    let first_byte_rtts = request_rtts + 1;
    Timing {
        transport_rtts: s.transport_rtts(),
        tls_rtts: request_rtts - s.transport_rtts(),
        request_rtts,
        first_byte_rtts,
        request_ms: f64::from(request_rtts) * rtt,
        first_byte_ms: f64::from(first_byte_rtts) * rtt + think,
    }
}

/// All flights with their times, the response included: it leaves `think` ms after the request
/// arrives, in the server's flight of that moment if there is one.
pub fn flights(s: Setup, rtt: f64, think: f64) -> Vec<Flight> {
    let one = rtt / 2.0;
    let sc = script(s);
    let req = request_flight(&sc);
    let mut out: Vec<Flight> = sc.into_iter().enumerate().map(|(i, parts)| Flight { client: i % 2 == 0, depart: i as f64 * one, parts }).collect();
    let packet = if s.transport == Transport::Quic { "1-RTT" } else { "" };
    let response = part(Kind::Response, packet, &["HTTP response"]);
    let leaves = out[req].depart + one + think;
    match out.iter_mut().find(|f| !f.client && f.depart == leaves) {
        Some(f) => f.parts.push(response),
        None => {
            let at = out.iter().position(|f| f.depart > leaves).unwrap_or(out.len());
            out.insert(at, Flight { client: false, depart: leaves, parts: vec![response] });
        }
    }
    out
}

/// `x` ms, without float noise and without thousands separators in parameters.
fn plain(x: f64) -> String {
    short(x, field::DECIMALS as usize).replace(',', "")
}

fn ms(x: f64) -> String {
    format!("{} ms", short(x, 3))
}

fn rtts(n: u32) -> String {
    format!("{n} RTT")
}

pub struct TlsHandshake {
    pub setup: Setup,
    /// Round trip and think time, ms, in the order of [`FIELDS`].
    pub v: [f64; 2],
    log: Log,
}

impl TlsHandshake {
    pub fn timing(&self) -> Timing {
        timing(self.setup, self.v[RTT], self.v[THINK])
    }

    pub fn flights(&self) -> Vec<Flight> {
        flights(self.setup, self.v[RTT], self.v[THINK])
    }

    fn headline(&self) -> String {
        let t = self.timing();
        format!(
            "{}: request sent after {} ({}), first response byte after {} ({}).",
            self.setup.name(),
            rtts(t.request_rtts),
            ms(t.request_ms),
            if self.v[THINK] > 0.0 { format!("{} + think time", rtts(t.first_byte_rtts)) } else { rtts(t.first_byte_rtts) },
            ms(t.first_byte_ms)
        )
    }

    /// Switch to `next` if the combination exists; otherwise say why not and what to change.
    fn try_setup(&mut self, next: Setup) {
        if next == self.setup {
            return;
        }
        match next.problem() {
            Some((_, why, _)) => {
                let fix = if next.version != self.setup.version {
                    // Name every setting that stands in the way, not only the first.
                    let mut steps = vec![];
                    if next.transport == Transport::Quic {
                        steps.push("the transport to TCP");
                    }
                    if next.mode == Mode::ZeroRtt {
                        steps.push("the mode to full or resumed");
                    }
                    format!("set {} first", steps.join(" and "))
                } else {
                    "switch to TLS 1.3 first".to_string()
                };
                self.log.push(format!("Refused {}: {why}. To get there, {fix}.", next.name()));
            }
            None => {
                self.setup = next;
                let h = self.headline();
                self.log.push(h);
            }
        }
    }

    fn set_field(&mut self, i: usize, raw: &str) {
        let f = &FIELDS[i];
        match f.parse(raw) {
            Ok(x) if x != self.v[i] => {
                let before = self.v[i];
                self.v[i] = x;
                let h = self.headline();
                self.log.push(format!("{}: {} → {}. {h}", f.label, ms(before), ms(x)));
            }
            Ok(_) => {}
            Err(m) => self.log.push(format!("Ignored a new {}: {m}.", f.label.to_ascii_lowercase())),
        }
    }
}

impl Widget for TlsHandshake {
    const NAME: &'static str = "tlshandshake";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        p.only(&["version", "mode", "transport", "rtt_ms", "think_ms"])?;
        let version = find(&VERSIONS, p.choice("version", "1.2", &keys(&VERSIONS))?).unwrap_or(Version::V12);
        let mode = find(&MODES, p.choice("mode", "full", &keys(&MODES))?).unwrap_or(Mode::Full);
        let transport = find(&TRANSPORTS, p.choice("transport", "tcp", &keys(&TRANSPORTS))?).unwrap_or(Transport::Tcp);
        let setup = Setup::new(version, mode, transport);
        if let Some((key, why, _)) = setup.problem() {
            let other = if key == "mode" { "`mode: full` or `mode: resumed`" } else { "`transport: tcp`" };
            return Err(ParamError::new(key, format!("{why}; use `version: 1.3`, or {other} with TLS 1.2")));
        }
        Ok(TlsHandshake { setup, v: [FIELDS[RTT].read(p)?, FIELDS[THINK].read(p)?], log: Log::default() })
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        p.set("version", entry(&VERSIONS, self.setup.version).0)
            .set("mode", entry(&MODES, self.setup.mode).0)
            .set("transport", entry(&TRANSPORTS, self.setup.transport).0)
            .set("rtt_ms", plain(self.v[RTT]))
            .set("think_ms", plain(self.v[THINK]));
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let value = value.trim();
        let shown: String = value.chars().take(16).collect();
        let s = self.setup;
        match event {
            "version" => match find(&VERSIONS, value) {
                Some(v) => self.try_setup(Setup { version: v, ..s }),
                None => self.log.push(format!("Ignored version “{shown}”: choose 1.2 or 1.3.")),
            },
            "mode" => match find(&MODES, value) {
                Some(m) => self.try_setup(Setup { mode: m, ..s }),
                None => self.log.push(format!("Ignored mode “{shown}”: choose full, resumed or 0-rtt.")),
            },
            "transport" => match find(&TRANSPORTS, value) {
                Some(t) => self.try_setup(Setup { transport: t, ..s }),
                None => self.log.push(format!("Ignored transport “{shown}”: choose tcp or quic.")),
            },
            "combo" => match Setup::from_arg(value) {
                Some(next) => self.try_setup(next),
                None => self.log.push(format!("Ignored setup “{shown}”.")),
            },
            _ => {
                if let Some(i) = field::position(&FIELDS, event) {
                    self.set_field(i, value);
                }
            }
        }
    }

    fn view(&self) -> String {
        view::view(self)
    }
}

widget_core::export_widget!(crate::TlsHandshake);
