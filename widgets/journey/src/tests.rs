use super::*;

fn widget(config: &str) -> Journey {
    Journey::from_params(&Params::parse(config).unwrap()).unwrap()
}

fn times(config: &str) -> (f64, f64) {
    let p = widget(config).plan();
    (p.ttfb, p.ttlb)
}

// The page's "Try it" worked answer, case by case (defaults: Sydney user, Virginia origin
// 200 ms away, resolver and edge 10 ms away, 50 ms at the origin = 0.5 + 49 + 0.5, 40 KB).

#[test]
fn exercise_1_cold_tls13_resolver_hit() {
    // DNS 10 + TCP 200 + TLS 200 + request 200 + server 50 = 660 ms. 40,000 B > 14,600 B, and
    // 14,600 + 29,200 = 43,800 B ≥ 40,000 B: 2 flights, one more RTT: 660 + 200 = 860 ms.
    assert_eq!(times(""), (660.0, 860.0));
    assert_eq!(times("dns: resolver\nconnection: new\ntls: 1.3\npath: direct"), (660.0, 860.0));
}

#[test]
fn exercise_2_tls12_adds_a_round_trip() {
    // TLS 1.2: 2 × 200 = 400 ms, so 10 + 200 + 400 + 200 + 50 = 860 ms; + 200 = 1,060 ms.
    assert_eq!(times("tls: 1.2"), (860.0, 1_060.0));
}

#[test]
fn exercise_3_warm() {
    // Name cached (0), connection reused (no TCP, no TLS), window open: 200 + 50 = 250 ms, and
    // the whole 40 KB comes in that one flight.
    let mut w = widget("");
    w.update("preset", "warm");
    let p = w.plan();
    assert_eq!((p.ttfb, p.ttlb, p.flights), (250.0, 250.0, 1));
    assert_eq!(times("dns: browser\nconnection: reused\nwindow: open"), (250.0, 250.0));
}

#[test]
fn exercise_4_edge_miss_on_a_warm_origin_connection() {
    // DNS 10 + TCP 10 + TLS 10 + request 10 + edge→origin 200 + origin 50 = 290 ms; the second
    // flight crosses only the 10 ms user↔edge leg: 300 ms.
    assert_eq!(times("path: edge\nedge_cache: miss"), (290.0, 300.0));
}

#[test]
fn exercise_5_edge_hit() {
    // 10 + 10 + 10 + 10 = 40 ms, plus 10 ms for the second flight = 50 ms.
    let w = widget("path: edge\nedge_cache: hit");
    let p = w.plan();
    assert_eq!((p.ttfb, p.ttlb, p.work), (40.0, 50.0, 0.0));
    assert!(!p.steps.iter().any(|s| s.name == "Application code"), "the origin does nothing");
}

#[test]
fn slow_start_flights() {
    // Cumulative after n flights: 14,600 × (2ⁿ − 1) = 14,600; 43,800; 102,200; 219,000.
    assert_eq!(flights(100.0), 1);
    assert_eq!(flights(14_600.0), 1);
    assert_eq!(flights(14_601.0), 2);
    assert_eq!(flights(43_800.0), 2);
    assert_eq!(flights(60_000.0), 3, "the page: a 60 KB page needs three flights");
    assert_eq!(flights(102_201.0), 4);
    // 100 MB: 14,600 × (2¹³ − 1) = 119,585,000 ≥ 10⁸ > 14,600 × (2¹² − 1) = 59,787,000.
    assert_eq!(flights(1e8), 13);
    // 60 KB cold direct: 660 + 2 × 200 = 1,060 ms.
    assert_eq!(times("size_kb: 60"), (660.0, 1_060.0));
}

#[test]
fn dns_cases() {
    // Browser cache: 0 + 600 + 50 = 650 ms. Resolver miss: 10 + 20 + 20 + 20 = 70 ms of DNS,
    // so 70 + 600 + 50 = 720 ms.
    assert_eq!(times("dns: browser").0, 650.0);
    let w = widget("dns: miss");
    assert_eq!(w.plan().steps[0].ms, 70.0);
    assert_eq!(w.plan().ttfb, 720.0);
    assert_eq!(times("dns: miss\nroot_rtt: 0\ntld_rtt: 5\nauth_rtt: 100").0, 10.0 + 105.0 + 650.0);
}

#[test]
fn origin_time_and_app_cache_miss() {
    // Miss: 0.5 + 49 + 0.5 + 10 = 60 ms at the origin: 10 + 600 + 60 = 670 ms.
    let w = widget("app_cache: miss");
    assert_eq!(w.origin_ms(), 60.0);
    assert_eq!(w.plan().ttfb, 670.0);
    assert!(w.plan().steps.iter().any(|s| s.name == "Database query"));
    // A server twice as fast (app 24 ms: 0.5 + 24 + 0.5 = 25) saves only 25 ms: 635 ms.
    assert_eq!(times("app_ms: 24").0, 635.0);
}

#[test]
fn reused_connection_after_idle_restarts_slow_start() {
    // Reused but the window fell back to 10 segments: 250 + 1 × 200 = 450 ms.
    assert_eq!(times("dns: browser\nconnection: reused\nwindow: fresh"), (250.0, 450.0));
    // A new connection always starts at the initial window, whatever `window` says.
    assert_eq!(times("window: open"), (660.0, 860.0));
}

#[test]
fn near_user_and_the_edge() {
    // Near (8 ms): 10 + 8 + 8 + 8 + 50 = 84 ms; last byte 84 + 8 = 92 ms.
    let mut w = widget("");
    w.update("preset", "near");
    assert_eq!((w.plan().ttfb, w.plan().ttlb), (84.0, 92.0));
    // Via a 10 ms edge, uncacheable: 10 + 10 + 10 + 10 + 8 + 50 = 98 ms: slower than direct.
    w.update("path", "edge");
    assert_eq!(w.plan().ttfb, 98.0);
    w.update("preset", "far");
    assert_eq!(w.plan().ttfb, 290.0);
}

#[test]
fn presets_set_and_show_their_state() {
    let mut w = widget("");
    assert!(w.is_cold() && !w.is_warm());
    assert!(w.view().contains("data-arg=\"cold\" aria-pressed=\"true\""));
    w.update("preset", "warm");
    assert!(w.is_warm() && !w.is_cold());
    assert_eq!(w.c, ["browser", "reused", "1.3", "open", "direct", "miss", "hit"]);
    w.update("app_cache", "miss");
    assert!(!w.is_warm());
    w.update("preset", "cold");
    assert!(w.is_cold());
    assert_eq!(w.c[APPC], "miss", "cold leaves the shared app cache as it was");
    assert!(w.log.latest().unwrap().starts_with("Cold:"), "{:?}", w.log);
}

#[test]
fn view_shows_numbers_formulas_and_picture() {
    let html = widget("tls: 1.2").view();
    for needle in [
        "860 ms",
        "1,060 ms",
        "TLS 1.2: 2 × 200 ms RTT = 400 ms",
        "TCP: 1 × 200 ms RTT (SYN, SYN-ACK with the origin) = 200 ms",
        "DNS: resolver cache hit, 1 × 10 ms RTT to the resolver = 10 ms",
        "first byte = DNS 10 + TCP 200 + TLS 400 + request 200 + wait at the origin 50 = 860 ms",
        "last byte = first byte + (flights − 1) × RTT = 860 + 1 × 200 ms = 1,060 ms",
        "cumulative 14,600, 43,800 B",
        "4 round trips to the origin",
        "<svg",
        "<title>",
        "viewBox=\"0 0 400 ",
        "RFC 6928, 2013",
        "Jeff Dean, 2009",
    ] {
        assert!(html.contains(needle), "missing {needle}\n{html}");
    }
    assert!(!html.contains("width=\"400\""), "no fixed pixel width");
    let edge = widget("path: edge").view();
    assert!(edge.contains("1 × 200 ms RTT to the origin on the edge&#39;s warm connection"), "{edge}");
}

#[test]
fn empty_config_draws_the_waterfall_and_is_deterministic() {
    let a = widget("").view();
    assert!(a.contains("<svg") && a.contains("660 ms") && a.contains("860 ms"));
    assert_eq!(a, widget("").view());
}

#[test]
fn state_round_trips_through_the_fragment() {
    let mut w = widget("");
    w.update("preset", "near");
    w.update("path", "edge");
    w.update("tls", "1.2");
    w.update("set", "size_kb|123.25");
    w.update("set", "db_ms|7.5");
    let fragment = w.to_params().to_fragment();
    let (back, notice) = widget_core::restore::<Journey>("rtt: 300", &fragment).unwrap();
    assert!(notice.is_none());
    assert_eq!((back.v, back.c), (w.v, w.c));
    let direct = Journey::from_params(&w.to_params()).unwrap();
    assert_eq!(direct.plan(), w.plan());
    assert_eq!(direct.view(), back.view(), "same view (both with an empty log)");
    assert!(direct.view().contains(&ms(w.plan().ttlb)));
}

#[test]
fn bad_parameters_name_the_key() {
    for (bad, key) in [
        ("colour: red", "colour"),
        ("rtt: -1", "rtt"),
        ("rtt: 2001", "rtt"),
        ("size_kb: 0", "size_kb"),
        ("app_ms: fast", "app_ms"),
        ("tls: 1.1", "tls"),
        ("dns: cached", "dns"),
        ("path: cdn", "path"),
        ("db_ms: 1e3", "db_ms"),
    ] {
        let e = Journey::from_params(&Params::parse(bad).unwrap()).unwrap_err();
        assert_eq!(e.key.as_deref(), Some(key), "{bad}: {e}");
    }
}

#[test]
fn hostile_events_never_panic_or_change_state() {
    let mut w = widget("");
    let before = (w.v, w.c);
    let long = "9".repeat(10_000);
    for (ev, val) in [
        ("set", "rtt|<script>alert(1)</script>"),
        ("set", "rtt|-5"),
        ("set", "rtt|NaN"),
        ("set", "rtt|1e9"),
        ("set", &format!("rtt|{long}")),
        ("set", "nokey|5"),
        ("set", "rtt"),
        ("set", ""),
        ("set", "|||"),
        ("preset", "lukewarm"),
        ("preset", ""),
        ("tls", "1.1"),
        ("dns", "<b>"),
        ("path", &long),
        ("unknown", "x"),
        ("", ""),
    ] {
        w.update(ev, val);
    }
    assert_eq!((w.v, w.c), before);
    let html = w.view();
    assert!(html.contains("Ignored user ↔ origin round trip: expected a number from 0 to 2,000 (ms)"), "{html}");
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
    // Zero everywhere is fine: a zero-length axis still draws.
    for f in FIELDS.iter().filter(|f| f.key != "size_kb") {
        w.update("set", &format!("{}|0", f.key));
    }
    assert_eq!(w.plan().ttfb, 0.0);
    assert!(w.view().contains("<svg"));
    w.update("set", "size_kb|100000");
    assert_eq!(w.plan().flights, 13);
}

#[test]
fn events_log_their_effect() {
    let mut w = widget("");
    w.update("tls", "1.2");
    assert_eq!(w.log.latest(), Some("TLS: 1.2. First byte 660 ms → 860 ms, last byte 860 ms → 1,060 ms."));
    w.update("tls", "1.2");
    w.update("set", "rtt|200");
    assert_eq!(w.log.latest(), Some("TLS: 1.2. First byte 660 ms → 860 ms, last byte 860 ms → 1,060 ms."), "no-op changes are not logged");
    w.update("set", "rtt|100");
    assert_eq!(w.log.latest(), Some("User ↔ origin round trip: 200 ms → 100 ms. First byte 860 ms → 460 ms, last byte 1,060 ms → 560 ms."));
}

// The predict questions in /tmp/quiz-journey.yaml, run with their exact configs.

#[test]
fn quiz_edge_slow_start_is_cheap() {
    // Via the edge, uncacheable, 100 KB: first byte 10 + 10 + 10 + 10 + 200 + 50 = 290 ms;
    // 100,000 B needs 3 flights (14,600; 43,800; 102,200), 2 more × 10 ms: 310 ms.
    let w = widget("path: edge\nedge_cache: miss\nsize_kb: 100");
    assert_eq!((w.plan().ttfb, w.plan().ttlb), (290.0, 310.0));
    assert!(w.view().contains("whole response at <strong class=\"w-total\">310 ms</strong>"));
}

#[test]
fn quiz_near_user_edge_adds_a_hop() {
    // New York user, origin 8 ms away, edge 10 ms away, uncacheable: 10 + 3 × 10 + 8 + 50 = 98 ms
    // against 10 + 3 × 8 + 50 = 84 ms direct.
    let w = widget("rtt: 8\nedge_origin_rtt: 8\npath: edge\nedge_cache: miss");
    assert_eq!(w.plan().ttfb, 98.0);
    assert!(w.view().contains("First byte at <strong class=\"w-total\">98 ms</strong>"));
    assert_eq!(times("rtt: 8\nedge_origin_rtt: 8").0, 84.0);
}
