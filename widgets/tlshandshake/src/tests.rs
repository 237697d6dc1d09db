use super::*;

fn widget(config: &str) -> TlsHandshake {
    TlsHandshake::from_params(&Params::parse(config).unwrap()).unwrap()
}

fn error(config: &str) -> ParamError {
    match TlsHandshake::from_params(&Params::parse(config).unwrap()) {
        Ok(_) => panic!("`{config}` should be refused"),
        Err(e) => e,
    }
}

fn setup(arg: &str) -> Setup {
    Setup::from_arg(arg).unwrap()
}

#[test]
fn the_pages_worked_answer_at_120_ms() {
    // TCP costs 1 RTT and the request itself 1 RTT.
    // TLS 1.2 full: 1 + 2 + 1 = 4 RTT = 4 × 120 = 480 ms.
    let t = timing(setup("1.2/tcp/full"), 120.0, 0.0);
    assert_eq!((t.first_byte_rtts, t.first_byte_ms), (4, 480.0));
    // TLS 1.2 resumed: 1 + 1 + 1 = 3 RTT = 360 ms.
    let t = timing(setup("1.2/tcp/resumed"), 120.0, 0.0);
    assert_eq!((t.first_byte_rtts, t.first_byte_ms), (3, 360.0));
    // TLS 1.3 full: 1 + 1 + 1 = 3 RTT = 360 ms.
    let t = timing(setup("1.3/tcp/full"), 120.0, 0.0);
    assert_eq!((t.first_byte_rtts, t.first_byte_ms), (3, 360.0));
    // TLS 1.3 with 0-RTT: the request rides with the ClientHello, 1 + 1 = 2 RTT = 240 ms.
    let t = timing(setup("1.3/tcp/0-rtt"), 120.0, 0.0);
    assert_eq!((t.first_byte_rtts, t.first_byte_ms), (2, 240.0));
    // Over QUIC with 0-RTT: the request is in the first packet, 0 + 1 = 1 RTT = 120 ms.
    let t = timing(setup("1.3/quic/0-rtt"), 120.0, 0.0);
    assert_eq!((t.first_byte_rtts, t.first_byte_ms), (1, 120.0));
}

#[test]
fn the_widget_shows_the_pages_numbers() {
    for (config, shown) in [
        ("version: 1.2\nmode: full", "480 ms"),
        ("version: 1.2\nmode: resumed", "360 ms"),
        ("version: 1.3\nmode: full", "360 ms"),
        ("version: 1.3\nmode: 0-rtt", "240 ms"),
        ("version: 1.3\nmode: 0-rtt\ntransport: quic", "120 ms"),
    ] {
        let html = widget(config).view();
        let headline = format!("First response byte after <strong class=\"w-total\">{shown}</strong>");
        assert!(html.contains(&headline), "{config}: {shown}");
    }
}

#[test]
fn quic_cases_match_the_http_versions_table() {
    // HTTP/3 new connection 2 RTT, resumed with 0-RTT 1 RTT; at 80 ms: 160 ms and 80 ms.
    let full = timing(setup("1.3/quic/full"), 80.0, 0.0);
    assert_eq!((full.transport_rtts, full.tls_rtts, full.request_rtts, full.first_byte_ms), (0, 1, 1, 160.0));
    let resumed = timing(setup("1.3/quic/resumed"), 80.0, 0.0);
    assert_eq!(resumed.first_byte_ms, 160.0, "PSK resumption without early data still takes the 1-RTT handshake");
    let zero = timing(setup("1.3/quic/0-rtt"), 80.0, 0.0);
    assert_eq!((zero.request_rtts, zero.request_ms, zero.first_byte_ms), (0, 0.0, 80.0));
    // TLS 1.3 resumed over TCP without early data: 1 + 1 + 1 = 3 RTT = 240 ms at 80 ms.
    assert_eq!(timing(setup("1.3/tcp/resumed"), 80.0, 0.0).first_byte_ms, 240.0);
}

#[test]
fn request_times_and_think_time() {
    // Request leaves after: 1.2 full 1 + 2 = 3 RTT = 360 ms; 1.3 full 1 + 1 = 2 RTT = 240 ms;
    // 1.3 0-RTT over TCP 1 RTT = 120 ms (after the TCP handshake).
    assert_eq!(timing(setup("1.2/tcp/full"), 120.0, 0.0).request_ms, 360.0);
    assert_eq!(timing(setup("1.3/tcp/full"), 120.0, 0.0).request_ms, 240.0);
    assert_eq!(timing(setup("1.3/tcp/0-rtt"), 120.0, 0.0).request_ms, 120.0);
    // RTT 40 ms, server thinks 200 ms: 1.2 full 4 × 40 + 200 = 360 ms; 1.3 full 3 × 40 + 200 = 320 ms.
    assert_eq!(timing(setup("1.2/tcp/full"), 40.0, 200.0).first_byte_ms, 360.0);
    assert_eq!(timing(setup("1.3/tcp/full"), 40.0, 200.0).first_byte_ms, 320.0);
    // The request's send time does not depend on think time.
    assert_eq!(timing(setup("1.3/tcp/full"), 40.0, 200.0).request_ms, 80.0);
}

#[test]
fn flights_agree_with_the_counts() {
    for s in VALID {
        for (rtt, think) in [(120.0, 0.0), (50.0, 30.0), (10.0, 5_000.0)] {
            let fl = flights(s, rtt, think);
            let t = timing(s, rtt, think);
            let req = fl.iter().find(|f| f.has(Kind::Request)).unwrap();
            assert!(req.client && req.depart == t.request_ms, "{}", s.name());
            let resp = fl.iter().find(|f| f.has(Kind::Response)).unwrap();
            assert!(!resp.client);
            assert!((resp.depart + rtt / 2.0 - t.first_byte_ms).abs() < 1e-9, "{}", s.name());
            assert!(fl.windows(2).all(|w| w[0].depart <= w[1].depart), "flights in time order");
        }
    }
    // TLS 1.2 full over TCP: SYN, SYN-ACK, ACK + ClientHello, server hello flight, client key
    // exchange, server Finished, request, response: 8 flights, 8 one-way delays = 4 RTT.
    let fl = flights(setup("1.2/tcp/full"), 120.0, 0.0);
    assert_eq!(fl.len(), 8);
    assert_eq!(fl[2].text(), "TCP ACK, ClientHello");
    assert_eq!(fl[3].text(), "ServerHello, Certificate, ServerKeyExchange, ServerHelloDone");
    assert_eq!(fl[4].text(), "ClientKeyExchange, ChangeCipherSpec, {Finished}");
    // 0-RTT with no think time: the response leaves with the server's hello flight.
    let fl = flights(setup("1.3/tcp/0-rtt"), 120.0, 0.0);
    assert_eq!(fl.len(), 5);
    assert!(fl[3].has(Kind::Response) && fl[3].text().starts_with("ServerHello"));
    assert_eq!(fl[4].text(), "{EndOfEarlyData, Finished}");
    // With think time it is a flight of its own, between the hello flight and the client's Finished.
    let fl = flights(setup("1.3/tcp/0-rtt"), 120.0, 10.0);
    assert_eq!(fl.len(), 6);
    assert_eq!((fl[4].depart, fl[4].text().as_str()), (190.0, "{HTTP response}"));
    // QUIC has no EndOfEarlyData (RFC 9001, section 8.3) and names its packet types.
    let fl = flights(setup("1.3/quic/0-rtt"), 120.0, 0.0);
    assert_eq!(fl.len(), 3);
    assert_eq!(fl[0].text(), "Initial: ClientHello + key_share + pre_shared_key + early_data, 0-RTT: {HTTP request}");
    assert_eq!(fl[2].text(), "Handshake: {Finished}");
}

#[test]
fn encryption_is_marked() {
    let html = widget("version: 1.2").view();
    assert!(html.contains("Readable on the path: ClientHello, ServerHello, Certificate,"), "{html}");
    assert!(html.contains("In TLS 1.2 the server&#39;s certificate crosses the network in clear text."));
    let html = widget("version: 1.3").view();
    assert!(html.contains("{EncryptedExtensions, Certificate,"), "the certificate is inside braces");
    assert!(html.contains("Encrypted: EncryptedExtensions, Certificate, CertificateVerify, Finished, HTTP request, HTTP response."));
    let html = widget("version: 1.3\nmode: 0-rtt\ntransport: quic").view();
    assert!(html.contains("connection ID") && html.contains("can be replayed"));
}

#[test]
fn empty_config_draws_the_diagram_and_is_deterministic() {
    let w = widget("");
    assert_eq!(w.setup, setup("1.2/tcp/full"));
    assert_eq!(w.v, [120.0, 0.0]);
    let html = w.view();
    assert!(html.contains("<svg") && html.contains("viewBox=\"0 0 360.0 ") && html.contains("<title>"));
    assert!(!html.contains("width=\"360\""), "no fixed pixel width");
    assert!(html.contains("RFC 5246 (2008)") && html.contains("RFC 8446 (2018)") && html.contains("RFC 9000 and RFC 9001 (2021)"));
    assert!(!html.contains("href"), "the footer links nothing");
    assert_eq!(html, widget("").view());
    // One row per valid setup, the current one pressed.
    assert_eq!(html.matches("data-ev=\"combo\"").count(), 8);
    assert_eq!(html.matches("aria-pressed=\"true\"").count(), 1);
    assert!(html.contains("TLS 1.2 full handshake, TCP</button></th><td>3 RTT · 360 ms</td><td>4 RTT · 480 ms</td>"), "{html}");
}

#[test]
fn formulas_are_shown() {
    let html = widget("").view();
    assert!(html.contains("Request sent: 1 RTT TCP handshake + 2 RTT TLS 1.2 full handshake = 3 RTT; 3 × 120 ms = 360 ms."), "{html}");
    assert!(html.contains("First byte: 3 RTT + 1 RTT (request out, response back) = 4 RTT; 4 × 120 ms + 0 ms think time = 480 ms."));
    assert!(html.contains("RTT ÷ 2 = 120 ms ÷ 2 = 60 ms"));
    let html = widget("version: 1.3\nmode: 0-rtt\ntransport: quic").view();
    assert!(html.contains("Against TLS 1.2 full over TCP (4 RTT = 480 ms): 3 RTT saved, 3 × 120 ms = 360 ms."), "{html}");
}

#[test]
fn invalid_combinations_are_parameter_errors_naming_the_key() {
    let e = error("version: 1.2\nmode: 0-rtt");
    assert_eq!(e.key.as_deref(), Some("mode"));
    assert!(e.message.contains("TLS 1.3"), "{}", e.message);
    let e = error("version: 1.2\ntransport: quic");
    assert_eq!(e.key.as_deref(), Some("transport"));
    assert!(e.message.contains("RFC 9001"), "{}", e.message);
    // The default version is 1.2, so these alone are invalid too.
    assert_eq!(error("mode: 0-rtt").key.as_deref(), Some("mode"));
    assert_eq!(error("transport: quic").key.as_deref(), Some("transport"));
    for (bad, key) in [
        ("version: 1.1", "version"),
        ("mode: fast", "mode"),
        ("transport: udp", "transport"),
        ("rtt_ms: 0", "rtt_ms"),
        ("rtt_ms: 1001", "rtt_ms"),
        ("rtt_ms: abc", "rtt_ms"),
        ("think_ms: -1", "think_ms"),
        ("think_ms: 10001", "think_ms"),
        ("colour: red", "colour"),
    ] {
        assert_eq!(error(bad).key.as_deref(), Some(key), "{bad}");
    }
}

#[test]
fn invalid_combinations_are_refused_as_events() {
    let mut w = widget("");
    w.update("mode", "0-rtt");
    assert_eq!(w.setup, setup("1.2/tcp/full"));
    let line = w.log.latest().unwrap().to_string();
    assert!(line.starts_with("Refused TLS 1.2, 0-RTT early data, over TCP: 0-RTT early data exists only in TLS 1.3"), "{line}");
    assert!(line.ends_with("switch to TLS 1.3 first."), "{line}");
    w.update("transport", "quic");
    assert_eq!(w.setup, setup("1.2/tcp/full"));
    assert!(w.log.latest().unwrap().contains("QUIC always carries TLS 1.3"));
    w.update("combo", "1.2/quic/0-rtt");
    assert_eq!(w.setup, setup("1.2/tcp/full"));
    assert!(w.log.latest().unwrap().starts_with("Refused"));
    // Forward is always allowed: 1.3, then QUIC, then 0-RTT.
    w.update("version", "1.3");
    w.update("transport", "quic");
    w.update("mode", "0-rtt");
    assert_eq!(w.setup, setup("1.3/quic/0-rtt"));
    assert_eq!(w.log.latest(), Some("TLS 1.3, 0-RTT early data, over QUIC: request sent after 0 RTT (0 ms), first response byte after 1 RTT (120 ms)."));
    // Going back to 1.2 from QUIC is refused with the fix.
    w.update("version", "1.2");
    assert_eq!(w.setup, setup("1.3/quic/0-rtt"));
    assert!(w.log.latest().unwrap().ends_with("set the transport to TCP and the mode to full or resumed first."), "{:?}", w.log.latest());
    // A valid table row jumps straight there.
    w.update("combo", "1.2/tcp/resumed");
    assert_eq!(w.setup, setup("1.2/tcp/resumed"));
}

#[test]
fn numeric_events_are_checked_like_parameters() {
    let mut w = widget("");
    w.update("rtt_ms", "80");
    w.update("think_ms", "1,000");
    assert_eq!(w.v, [80.0, 1_000.0]);
    // 4 × 80 + 1,000 = 1,320 ms.
    assert_eq!(w.timing().first_byte_ms, 1_320.0);
    assert!(w.view().contains("1,320 ms"));
    w.update("rtt_ms", "0");
    w.update("think_ms", "NaN");
    assert_eq!(w.v, [80.0, 1_000.0]);
    assert!(w.log.latest().unwrap().starts_with("Ignored a new server think time: expected a number from 0 to 10,000 (ms)"), "{:?}", w.log.latest());
}

#[test]
fn state_round_trips_through_params_and_the_fragment() {
    let mut w = widget("");
    w.update("version", "1.3");
    w.update("transport", "quic");
    w.update("mode", "resumed");
    w.update("rtt_ms", "37.25");
    w.update("think_ms", "12.5");
    let p = w.to_params();
    let back = TlsHandshake::from_params(&p).unwrap();
    assert_eq!((back.setup, back.v), (w.setup, w.v));
    assert_eq!(back.to_params(), p);
    let (shared, notice) = widget_core::restore::<TlsHandshake>("version: 1.2\nrtt_ms: 300", &p.to_fragment()).unwrap();
    assert!(notice.is_none());
    assert_eq!((shared.setup, shared.v), (w.setup, w.v));
    // Same state, same view: only the log differs, and a fresh widget has none.
    assert_eq!(shared.view(), back.view());
    // A link to an invalid combination falls back to the configuration, with a notice.
    let (fallback, notice) = widget_core::restore::<TlsHandshake>("version: 1.3", "transport=quic;version=1.2").unwrap();
    assert_eq!(fallback.setup, setup("1.3/tcp/full"));
    assert!(notice.unwrap().contains("transport"));
}

#[test]
fn hostile_events_never_panic_or_inject() {
    let mut w = widget("version: 1.3\nmode: 0-rtt");
    let long = "9".repeat(10_000);
    let values = ["", " ", "<script>alert(1)</script>", "1e309", "-0", "NaN", "inf", "1.3/quic/0-rtt/x", "1.3//", "//", "é/é/é", "\u{0}", &long, "1.2", "0-rtt", "quic", "999999999999999999999"];
    for ev in ["version", "mode", "transport", "combo", "rtt_ms", "think_ms", "", "tick", "<b>"] {
        for v in values {
            w.update(ev, v);
            let html = w.view();
            assert!(!html.contains("<script>"), "{ev} {v}");
            assert!(w.setup.problem().is_none());
            assert!(w.v[0] >= 0.1 && w.v[0] <= 1_000.0 && w.v[1] >= 0.0 && w.v[1] <= 10_000.0);
        }
    }
    // -0 is a valid think time and shows as 0.
    w.update("think_ms", "-0");
    assert_eq!(w.to_params().get("think_ms"), Some("0"));
}

#[test]
fn long_think_times_are_drawn_shortened() {
    let html = widget("rtt_ms: 10\nthink_ms: 5000").view();
    assert!(html.contains("server thinks 5,000 ms") && html.contains("shortened)"), "{html}");
    // The picture stays small: 8 one-way delays of 56 px plus 2 for the think time.
    let vb = html.split("viewBox=\"0 0 360.0 ").nth(1).unwrap();
    let h: f64 = vb.split('"').next().unwrap().parse().unwrap();
    assert!(h < 700.0, "{h}");
}

#[test]
fn wrap_keeps_words_whole() {
    assert_eq!(wrap("Initial: ClientHello + key_share + pre_shared_key + early_data", 26), vec!["Initial: ClientHello +", "key_share + pre_shared_key", "+ early_data"]);
    assert_eq!(wrap("", 28), Vec::<String>::new());
}

#[test]
fn quiz_tls_zero_rtt_over_tcp() {
    // /tmp/quiz-tlshandshake.yaml, tls-zero-rtt-still-pays-tcp: 150 ms away, TLS 1.3 0-RTT over
    // TCP: 1 RTT TCP + 0 RTT TLS + 1 RTT request = 2 RTT = 2 × 150 = 300 ms.
    let w = widget("version: 1.3\nmode: 0-rtt\ntransport: tcp\nrtt_ms: 150");
    assert_eq!(w.timing().first_byte_ms, 300.0);
    assert!(w.view().contains("First response byte after <strong class=\"w-total\">300 ms</strong>"));
    // The distractors: QUIC 0-RTT 150 ms, TLS 1.3 full 450 ms, TLS 1.2 full 600 ms.
    assert!(w.view().contains("1 RTT · 150 ms</td></tr>"));
    assert!(w.view().contains("3 RTT · 450 ms") && w.view().contains("4 RTT · 600 ms"));
}

#[test]
fn quiz_tls_think_time_dominates() {
    // tls-upgrade-slow-backend: 40 ms away, 200 ms think time. TLS 1.2 full: 4 × 40 + 200 =
    // 360 ms; TLS 1.3 full: 3 × 40 + 200 = 320 ms, 40 ms (11%) sooner.
    let w = widget("version: 1.3\nmode: full\ntransport: tcp\nrtt_ms: 40\nthink_ms: 200");
    assert_eq!(w.timing().first_byte_ms, 320.0);
    let html = w.view();
    assert!(html.contains("First response byte after <strong class=\"w-total\">320 ms</strong>"));
    assert!(html.contains("Against TLS 1.2 full over TCP (4 RTT = 360 ms): 1 RTT saved, 1 × 40 ms = 40 ms."), "{html}");
}
