//! Hand-computed cases for every formula and template, parameter errors, the shared-link round
//! trip, hostile events and the view.

use super::*;

fn widget(config: &str) -> Estimate {
    Estimate::from_params(&Params::parse(config).unwrap()).unwrap()
}

/// Equal to 1 part in 10⁹.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
}

fn assert_close(a: f64, b: f64, what: &str) {
    assert!(close(a, b), "{what}: {a} vs {b}");
}

#[test]
fn every_formula_matches_hand_computation() {
    // Default: 10,000,000 users × 2 writes, 10 reads per write, 1 KB, 5 years, 3 replicas, peak 2, hot 20%.
    let r = widget("").results();
    assert_close(r.object_bytes, 1_000.0, "1 KB = 1,000 B");
    assert_close(r.writes_day, 20_000_000.0, "10,000,000 × 2");
    assert_close(r.reads_day, 200_000_000.0, "20,000,000 × 10");
    assert_close(r.write_qps, 20_000_000.0 / 86_400.0, "= 231.48 writes/s");
    assert_close(r.read_qps, 200_000_000.0 / 86_400.0, "= 2,314.8 reads/s");
    // (231.48 + 2,314.81) × 2 = 5,092.59
    assert_close(r.peak_qps, 220_000_000.0 / 86_400.0 * 2.0, "peak");
    assert!((r.peak_qps - 5_092.59).abs() < 0.01);
    // 20,000,000 × 1,000 B = 2 × 10¹⁰ B = 20 GB a day; × 365 × 5 × 3 = 1.095 × 10¹⁴ B = 109.5 TB.
    assert_close(r.storage_day, 2e10, "storage/day");
    assert_close(r.storage_total, 1.095e14, "storage total");
    // 231.48/s × 1,000 B = 231,481 B/s; × 8 = 1,851,852 bit/s. Reads: 2,314,815 B/s.
    assert_close(r.ingress, 2e10 / 86_400.0, "ingress");
    assert_close(r.egress, 2e11 / 86_400.0, "egress");
    // 20% × 200,000,000 reads × 1,000 B = 4 × 10¹⁰ B = 40 GB; new objects only: 20% × 2 × 10⁷ × 1,000 = 4 GB.
    assert_close(r.cache, 4e10, "cache");
    assert_close(r.cache_new, 4e9, "cache of new objects");
}

#[test]
fn units_and_figures_are_written_decimally() {
    assert_eq!(sig(231.481), "231");
    assert_eq!(sig(77.15), "77.2");
    assert_eq!(sig(5.787), "5.79");
    assert_eq!(sig(0.011574), "0.0116");
    assert_eq!(sig(0.0), "0");
    assert_eq!(sig(23_376.6), "23,377");
    assert_eq!(sci(1.8248175e13), "1.82 × 10¹³");
    assert_eq!(sci(9.996e5), "1 × 10⁶", "rounding carries into the exponent");
    assert_eq!(sci(0.0025), "2.5 × 10⁻³");
    assert_eq!(sig(6.57e17), "6.57 × 10¹⁷");
    assert_eq!(bytes(1.8248175e13), "18.2 TB");
    assert_eq!(bytes(500.0), "500 B");
    assert_eq!(bytes(6.57e17), "657 PB");
    assert_eq!(bytes(3.65e36), "3.65 × 10¹² YB", "beyond the largest unit");
    assert_eq!(bits(30_864.0 * 8.0 * 125.0), "30.9 Mbit/s");
    assert_eq!(converted(2e10), "2 × 10¹⁰ B = 20 GB (1 GB = 10⁹ B)");
    assert_eq!(converted(640.0), "640 B");
    assert_eq!(plain(0.3333), "0.3333");
    assert_eq!(plain(1e10), "10000000000");
    assert_eq!(plain(2.0), "2");
}

#[test]
fn view_writes_out_the_arithmetic() {
    let html = widget("").view();
    for expected in [
        "10,000,000 × 2 ÷ 86,400 s = 231 writes/s",
        "20,000,000 writes/day × 10 reads per write ÷ 86,400 s = 2,315 reads/s",
        "(231 + 2,315) requests/s × 2 = 5,093 requests/s",
        "20,000,000 writes/day × 1 KB (1,000 B) = 2 × 10¹⁰ B = 20 GB (1 GB = 10⁹ B)",
        "20 GB/day × 365 days × 5 years × 3 replicas = 1.1 × 10¹⁴ B = 110 TB (1 TB = 10¹² B)",
        "231 writes/s × 1 KB (1,000 B) = 231 KB/s",
        "231 KB/s × 8 bit/B = 1.85 Mbit/s; at peak (× 2) 3.7 Mbit/s",
        "2.31 MB/s × 8 bit/B = 18.5 Mbit/s",
        "20% × 200,000,000 reads/day × 1 KB (1,000 B) = 4 × 10¹⁰ B = 40 GB",
        "20% × 20,000,000 objects × 1 KB = 4 GB",
        "Decimal units: 1 KB = 1,000 B",
        "read in 2026",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(html.contains("<svg viewBox=\"0 0 480 210\"") && html.contains("aria-label=\"Diagram"));
    assert!(!html.contains("width=\"480\""), "the picture scales");
    assert_eq!(html, widget("").view(), "deterministic");
    // Every input and select sits in a label or has an aria-label.
    let controls = html.matches("<input").count() + html.matches("<select").count();
    assert_eq!(controls, 10);
    assert_eq!(html.matches("<label").count() + html.matches("<select data-ev=\"size_unit\" aria-label").count(), controls);
}

#[test]
fn url_shortener_agrees_with_its_page() {
    // 20,000,000 × 0.3333 = 6,666,000 links/day ≈ 200 M/month; ÷ 86,400 = 77.15/s.
    let w = widget("template: url-shortener");
    let r = w.results();
    assert_close(r.writes_day, 6_666_000.0, "links/day");
    assert_close(r.write_qps, 6_666_000.0 / 86_400.0, "77.15 writes/s");
    // × 100 = 7,715/s; peak (77.15 + 7,715.3) × 3 = 23,377/s.
    assert_close(r.read_qps, 666_600_000.0 / 86_400.0, "7,715 reads/s");
    assert_close(r.peak_qps, 673_266_000.0 / 86_400.0 * 3.0, "peak");
    // 6,666,000 × 500 B = 3.333 GB/day; × 365 × 5 × 3 = 18.25 TB (the page: 18 TB).
    assert_close(r.storage_total, 6_666_000.0 * 500.0 * 365.0 * 5.0 * 3.0, "storage");
    // 7,715/s × 500 B = 3.86 MB/s = 30.9 Mbit/s; cache 20% × 666,600,000 × 500 B = 66.66 GB.
    assert_close(r.egress, 666_600_000.0 * 500.0 / 86_400.0, "egress");
    assert_close(r.cache, 0.2 * 666_600_000.0 * 500.0, "cache");
    let html = w.view();
    for s in ["77.2 writes/s", "7,715 reads/s", "23,377 requests/s", "18.2 TB", "30.9 Mbit/s", "66.7 GB"] {
        assert!(html.contains(s), "{s}");
    }
}

#[test]
fn photo_sharing_agrees_with_the_cheat_sheet() {
    // 10,000,000 × 0.2 = 2,000,000 photos/day → 23.1/s; × 250 = 500,000,000 views/day → 5,787/s.
    let r = widget("template: photos").results();
    assert_close(r.object_bytes, 2e6, "2 MB");
    assert_close(r.write_qps, 2e6 / 86_400.0, "writes");
    assert_close(r.read_qps, 5e8 / 86_400.0, "reads");
    // 2,000,000 × 2 MB = 4 TB/day; × 365 × 5 × 3 = 21.9 PB.
    assert_close(r.storage_day, 4e12, "storage/day");
    assert_close(r.storage_total, 2.19e16, "storage");
    // 5,787/s × 2 MB = 11.57 GB/s = 92.6 Gbit/s.
    assert_close(r.egress * 8.0, 5e8 * 2e6 * 8.0 / 86_400.0, "egress");
    assert!((r.egress * 8.0 / 1e9 - 92.59).abs() < 0.01);
    // New photos only: 20% × 2,000,000 × 2 MB = 800 GB; every view: 20% × 5 × 10⁸ × 2 MB = 200 TB.
    assert_close(r.cache_new, 8e11, "hot new photos");
    assert_close(r.cache, 2e14, "upper bound");
    let html = widget("template: photos").view();
    for s in ["21.9 PB", "92.6 Gbit/s", "800 GB", "200 TB", "<option value=\"photos\" selected"] {
        assert!(html.contains(s), "{s}");
    }
}

#[test]
fn video_streaming_is_bandwidth_heavy() {
    // 8 Mbit/s × 60 s ÷ 8 = 60 MB a minute. 100,000,000 × 0.01 = 1,000,000 minutes uploaded a day.
    let r = widget("template: video").results();
    assert_close(r.object_bytes, 8e6 * 60.0 / 8.0, "one minute of 1080p");
    assert_close(r.writes_day, 1e6, "minutes uploaded");
    // × 1,000 = 10⁹ minutes watched a day (10 each) → 11,574/s × 60 MB = 694 GB/s = 5.56 Tbit/s.
    assert_close(r.egress, 1e9 * 6e7 / 86_400.0, "egress");
    assert!((r.egress * 8.0 / 1e12 - 5.5556).abs() < 0.001);
    // 10⁶ × 60 MB = 60 TB/day; × 365 × 10 × 3 = 657 PB.
    assert_close(r.storage_total, 6e13 * 365.0 * 10.0 * 3.0, "storage");
    let html = widget("template: video").view();
    for s in ["5.56 Tbit/s", "657 PB", "60 TB a day", "YouTube Help"] {
        assert!(html.contains(s), "{s}");
    }
}

#[test]
fn chat_is_request_heavy_and_small() {
    // 100,000,000 × 40 = 4 × 10⁹ messages/day → 46,296/s each way; peak (46,296 × 2) × 3 = 277,778/s.
    let r = widget("template: chat").results();
    assert_close(r.write_qps, 4e9 / 86_400.0, "writes");
    assert_close(r.peak_qps, 8e9 / 86_400.0 * 3.0, "peak");
    // 4 × 10⁹ × 100 B = 400 GB/day; × 365 × 5 × 3 = 2.19 PB. 46,296/s × 100 B × 8 = 37 Mbit/s.
    assert_close(r.storage_total, 4e11 * 365.0 * 5.0 * 3.0, "storage");
    assert_close(r.ingress * 8.0, 4e9 * 100.0 * 8.0 / 86_400.0, "ingress");
    assert_close(r.cache, 0.2 * 4e9 * 100.0, "80 GB");
    let html = widget("template: chat").view();
    for s in ["277,778 requests/s", "2.19 PB", "37 Mbit/s", "80 GB"] {
        assert!(html.contains(s), "{s}");
    }
}

#[test]
fn templates_state_their_assumptions() {
    for t in &TEMPLATES {
        assert!(t.notes.iter().all(|n| n.contains("ssumption") || n.contains("YouTube")), "{}", t.key);
        let html = widget(&format!("template: {}", t.key)).view();
        assert!(html.contains(&format!("<option value=\"{}\" selected", t.key)), "{}", t.key);
        assert!(html.contains(&widget_core::markup::escape(t.notes[0])));
    }
}

#[test]
fn events_change_inputs_and_log_in_words() {
    let mut w = widget("");
    assert!(w.view().contains("data-ev=\"dau\" value=\"10,000,000\""), "grouped digits in the users field");
    w.update("dau", "20,000,000");
    assert_eq!(w.values[DAU], 2e7, "commas are allowed in what a learner types");
    assert!(w.log.latest().unwrap().starts_with("Daily active users 10,000,000 → 20,000,000. Peak 5,093 → 10,185 requests/s"), "{:?}", w.log);
    w.update("size_unit", "MB");
    assert_eq!(w.unit, 2);
    assert_close(w.results().object_bytes, 1e6, "1 MB");
    assert!(w.log.latest().unwrap().contains("1 KB → 1 MB: every byte figure × 1,000"));
    w.update("template", "chat");
    assert_eq!((w.values, w.unit, w.base), (TEMPLATES[4].values, 0, 4));
    w.update("hot", "10");
    let html = w.view();
    assert!(html.contains("<option value=\"custom\" selected"), "edited numbers are your own");
    assert!(html.contains("you changed: Hot cache"), "{html}");
    w.update("template", "custom");
    assert_eq!(w.base, 0);
    assert_eq!(w.values[HOT], 10.0, "choosing your own numbers keeps them");
}

#[test]
fn hostile_events_are_ignored() {
    let mut w = widget("template: photos");
    let before = w.values;
    for (ev, val) in [
        ("dau", ""), ("dau", "0"), ("dau", "1.5"), ("dau", "-3"), ("dau", "99999999999999999999999"),
        ("writes", "NaN"), ("writes", "inf"), ("writes", "1e3"), ("size", "<script>alert(1)</script>"),
        ("replicas", "2.5"), ("replicas", "11"), ("peak", "0.5"), ("hot", "101"), ("retention", "-0.1"),
        ("size_unit", "GB"), ("size_unit", ""), ("template", "../../etc"), ("bogus", "1"), ("", ""),
        ("size", &"9".repeat(10_000)), ("hot", "\u{0}\u{202e}"),
    ] {
        w.update(ev, val);
    }
    assert_eq!(w.values, before);
    assert_eq!((w.unit, w.base), (2, 2));
    let html = w.view();
    assert!(!html.contains("<script>"), "echoed input is escaped");
    assert!(w.log.latest().unwrap().starts_with("Ignored"));
    w.update("writes", "0.12345678");
    assert_eq!(w.values[WRITES], 0.123457, "kept to six decimals");
    w.update("dau", "10000000000");
    w.update("writes", "10000");
    w.update("reads_per_write", "100000");
    w.update("size", "1000000");
    w.update("retention", "100");
    w.update("replicas", "10");
    let html = w.view();
    assert!(html.contains("× 10") && !html.contains("NaN"), "the largest inputs still draw");
}

#[test]
fn state_round_trips_through_the_fragment() {
    let mut w = widget("template: url-shortener");
    w.update("writes", "0.4");
    w.update("size_unit", "KB");
    w.update("replicas", "2");
    w.update("hot", "12.5");
    let fragment = w.to_params().to_fragment();
    let (back, notice) = widget_core::restore::<Estimate>("template: chat", &fragment).unwrap();
    assert!(notice.is_none());
    assert_eq!((back.values, back.unit, back.base), (w.values, w.unit, w.base));
    let fresh = Estimate::from_params(&w.to_params()).unwrap();
    assert_eq!(fresh.view().split("w-log").next(), w.view().split("w-log").next(), "same view apart from the log");
    for t in &TEMPLATES {
        let w = widget(&format!("template: {}", t.key));
        assert_eq!(Estimate::from_params(&w.to_params()).unwrap().view(), w.view());
    }
    let (fallback, notice) = widget_core::restore::<Estimate>("template: chat", "dau=%3Cb%3E").unwrap();
    assert_eq!(fallback.base, 4);
    assert!(notice.unwrap().contains("could not be used"));
}

#[test]
fn bad_configuration_names_the_parameter() {
    for (bad, key) in [
        ("template: blog", "template"),
        ("dau: 0", "dau"),
        ("dau: 1.5", "dau"),
        ("dau: lots", "dau"),
        ("writes: 0", "writes"),
        ("reads_per_write: -1", "reads_per_write"),
        ("size: 0", "size"),
        ("size: 1.0000001", "size"),
        ("size_unit: GB", "size_unit"),
        ("retention: 101", "retention"),
        ("replicas: 0", "replicas"),
        ("replicas: 2.5", "replicas"),
        ("peak: 0.9", "peak"),
        ("hot: 120", "hot"),
        ("colour: red", "colour"),
    ] {
        let err = Estimate::from_params(&Params::parse(bad).unwrap()).unwrap_err();
        assert_eq!(err.key.as_deref(), Some(key), "{bad}: {err}");
    }
    let w = widget("template: video\nhot: 5\nsize_unit: KB");
    assert_eq!((w.values[HOT], w.unit, w.values[DAU]), (5.0, 1, 1e8), "explicit values override the template");
}
