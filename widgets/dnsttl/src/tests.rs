use crate::*;

fn widget(config: &str) -> DnsTtl {
    DnsTtl::from_params(&Params::parse(config).unwrap()).unwrap()
}

fn error(config: &str) -> ParamError {
    match DnsTtl::from_params(&Params::parse(config).unwrap()) {
        Ok(_) => panic!("`{config}` should be refused"),
        Err(e) => e,
    }
}

/// The view with no-break spaces as plain spaces, to search it.
fn shown(w: &DnsTtl) -> String {
    w.view().replace('\u{a0}', " ")
}

fn near(x: f64, expected: f64, tolerance: f64) -> bool {
    (x - expected).abs() <= tolerance
}

#[test]
fn the_pages_worst_cases() {
    // The page's Try it: 60 s TTL, checks every 30 s, threshold 3, the primary fails at t = 0.
    let w = widget("");
    let c = &w.cfg;
    // Detection: 3 failed checks 30 s apart, the first 30 s after the last good one: 3 × 30 = 90 s.
    assert_eq!(c.detection(), 90.0);
    assert_eq!(w.run.detection, 90.0, "the simulated checks agree");
    // 1. A resolver that honours TTLs: 90 + 60 = 150 s.
    assert_eq!(c.worst(0), Some(150.0));
    // 2. The JVM's 30 s cache on top: 90 + 60 + 30 = 180 s.
    assert_eq!(c.worst(2), Some(180.0));
    // 3. A resolver holding every answer at least 300 s: 90 + max(60, 300) = 390 s.
    assert_eq!(c.worst(1), Some(390.0));
    // 4. A pool whose connections never close, to a region that still accepts them: unbounded.
    assert_eq!(c.worst(3), None);
    assert_eq!(w.run.rows[3].never, 200);
    assert_eq!(w.run.rows[3].slowest(), None);
    let v = shown(&w);
    for needle in ["150 s", "180 s", "390 s", "unbounded", "answer changes at 90 s"] {
        assert!(v.contains(needle), "{needle}");
    }
    assert!(v.contains("worst = detection 90 s + max(TTL 60 s, floor 300 s) = 390 s (6.50 min)"), "the floor row's formula");
    assert!(v.contains("worst = detection 90 s + TTL 60 s + JVM cache 30 s = 180 s"), "the JVM row's formula");
}

#[test]
fn simulated_slowest_clients_approach_the_worst_case_from_below() {
    // Ages are uniform, so with 1,000 clients the slowest is within a few tenths of a percent
    // of each worst case: P(all 1,000 more than 1% of the TTL short) = 0.99^1000 ≈ 4e-5.
    let w = widget("clients: 1000");
    for (r, worst, ttl) in [(0, 150.0, 60.0), (1, 390.0, 300.0), (2, 180.0, 90.0)] {
        let slowest = w.run.rows[r].slowest().unwrap();
        assert!(slowest <= worst && slowest > worst - 0.02 * ttl, "row {r}: {slowest}");
        // Nobody moves before the answer changes at 90 s.
        assert!(w.run.rows[r].times[0] > 90.0);
    }
}

#[test]
fn medians_are_half_the_ttls_after_the_answer_changes() {
    // A uniform age makes each client's delay after the change uniform over its TTL, so the
    // median is half a TTL after it: 90 + 60 ÷ 2 = 120 s; floor 90 + 300 ÷ 2 = 240 s; JVM: a sum
    // of uniforms over 60 and 30 s is symmetric, median 90 + (60 + 30) ÷ 2 = 135 s. With 1,000
    // clients the sample median's standard error is TTL ÷ (2 √1000) ≈ 1.6% of the TTL.
    let w = widget("clients: 1000");
    assert_eq!(w.cfg.median(0), Some(120.0));
    assert_eq!(w.cfg.median(1), Some(240.0));
    assert_eq!(w.cfg.median(2), Some(135.0));
    assert_eq!(w.cfg.median(3), None);
    let med = |r: usize| w.run.rows[r].percentile(0.5).unwrap();
    assert!(near(med(0), 120.0, 4.0), "{}", med(0));
    assert!(near(med(1), 240.0, 15.0), "{}", med(1));
    assert!(near(med(2), 135.0, 4.0), "{}", med(2));
    // A planned change with the TTL lowered ahead: half a TTL, 30 s, after t = 0.
    let w = widget("event: change\nlowered: true\nclients: 1000");
    assert_eq!(w.cfg.median(0), Some(30.0));
    assert!(near(w.run.rows[0].percentile(0.5).unwrap(), 30.0, 2.0));
}

#[test]
fn a_dead_region_breaks_the_pool_and_a_lifetime_bounds_it() {
    // Dead: connections are refused, so the pool reconnects at once and moves with its JVM
    // cache: 90 + 60 + 30 = 180 s, like the JVM row.
    let w = widget("region: dead");
    assert_eq!(w.cfg.worst(3), Some(180.0));
    assert_eq!(w.run.rows[3].never, 0);
    assert!(shown(&w).contains("the pool reconnects at once"));
    // Degraded with a 120 s connection lifetime: 90 + 60 + 30 + 120 = 300 s; median 90 +
    // (60 + 30 + 120) ÷ 2 = 195 s.
    let w = widget("pool_lifetime: 120\nclients: 1000");
    assert_eq!(w.cfg.worst(3), Some(300.0));
    assert_eq!(w.cfg.median(3), Some(195.0));
    let slowest = w.run.rows[3].slowest().unwrap();
    assert!(slowest <= 300.0 && slowest > 270.0, "{slowest}");
    assert!(near(w.run.rows[3].percentile(0.5).unwrap(), 195.0, 8.0));
    // "never" and 0 mean the same.
    assert_eq!(widget("pool_lifetime: 0").cfg, widget("pool_lifetime: never").cfg);
}

#[test]
fn a_planned_change_needs_the_ttl_lowered_ahead() {
    // Not lowered: caches hold the record under the old TTL, 3,600 s; the floor row's 300 s
    // floor is below it, so max(3,600, 300) = 3,600 s; the JVM adds 30 s: 3,630 s.
    let w = widget("event: change");
    assert_eq!(w.cfg.detection(), 0.0);
    assert_eq!(w.cfg.worst(0), Some(3_600.0));
    assert_eq!(w.cfg.worst(1), Some(3_600.0));
    assert_eq!(w.cfg.worst(2), Some(3_630.0));
    assert_eq!(w.cfg.worst(3), None, "the old address still answers, so the pool stays");
    // Lowered to 60 s one old TTL ahead: 60 s; but the floor still holds it 300 s.
    let w = widget("event: change\nlowered: true");
    assert_eq!(w.cfg.worst(0), Some(60.0));
    assert_eq!(w.cfg.worst(1), Some(300.0));
    assert_eq!(w.cfg.worst(2), Some(90.0));
    let v = shown(&w);
    assert!(!v.contains("<th scope=\"col\">Failed"), "nothing fails in a planned change");
    assert!(v.contains("keep it serving"));
}

#[test]
fn failed_requests_are_rate_times_time_on_the_failed_region() {
    // Each client sends 1 request/s and stays on the failed region until it moves, so failed =
    // 1 × Σ switch times = 200 × mean; the mean is 90 + 60 ÷ 2 = 120 s: ≈ 24,000 (standard error
    // of the mean 60 ÷ √(12 × 200) ≈ 1.2 s, 1%).
    let w = widget("");
    let total = w.run.rows[0].on_old().unwrap();
    assert!(near(total, 24_000.0, 800.0), "{total}");
    // Twice the rate, twice the failures: exactly.
    let w2 = widget("rate: 2");
    assert_eq!(w2.run.rows[0].on_old(), Some(total));
    assert!(shown(&w2).contains(&widget_core::format::number(2.0 * total, 0)));
    // The pool that never reconnects fails 200 × 1 = 200 requests every second, forever.
    assert_eq!(w.run.rows[3].on_old(), None);
    assert!(shown(&w).contains("unbounded, 200/s"));
}

#[test]
fn next_fetch_is_within_one_ttl() {
    // A cache 25% through a 60 s TTL at t = 0 fetches at 45 s, 105 s, ...; the first after
    // t = 90 is 105 (15 s later).
    assert!(near(next_fetch(90.0, 60.0, 0.25), 105.0, 1e-9));
    assert!(near(next_fetch(0.0, 60.0, 0.25), 45.0, 1e-9));
    // Just fetched at t: the next fetch is a full TTL later.
    assert!(near(next_fetch(60.0, 60.0, 0.0), 120.0, 1e-9));
}

#[test]
fn params_are_validated_with_their_names() {
    let cases = [
        ("nope: 1", "nope"),
        ("ttl: 0", "ttl"),
        ("ttl: 86401", "ttl"),
        ("ttl: 1.5", "ttl"),
        ("threshold: 11", "threshold"),
        ("interval: abc", "interval"),
        ("floor: -1", "floor"),
        ("pool_lifetime: forever", "pool_lifetime"),
        ("clients: 5", "clients"),
        ("rate: -1", "rate"),
        ("event: outage", "event"),
        ("region: gone", "region"),
        ("lowered: yes", "lowered"),
        ("rows: ttl,ttl", "rows"),
        ("rows: ttl,bogus", "rows"),
        ("rows: ", "rows"),
        ("seed: 1000000", "seed"),
    ];
    for (config, key) in cases {
        let e = error(config);
        assert_eq!(e.key.as_deref(), Some(key), "{config}: {e}");
    }
    assert!(error("ttl: 0").message.contains("1 to 86,400"));
}

#[test]
fn round_trip_reproduces_the_view() {
    for config in ["", "event: change\nlowered: true\nrows: ttl,floor\nseed: 7", "ttl: 30\ninterval: 10\nthreshold: 2\nfloor: 0\njvm: 5\npool_lifetime: 600\nregion: dead\nrate: 2.5\nclients: 50"] {
        let w = widget(config);
        let again = DnsTtl::from_params(&w.to_params()).unwrap();
        assert_eq!(w.view(), again.view(), "{config}");
        // And through a link.
        let link = Params::from_fragment(&w.to_params().to_fragment()).unwrap();
        assert_eq!(DnsTtl::from_params(&link).unwrap().cfg, w.cfg);
    }
    // After events too.
    let mut w = widget("");
    for (e, v) in [("set", "ttl|20"), ("event", "change"), ("lowered", "true"), ("row", "jvm|false"), ("reseed", ""), ("set", "pool_lifetime|90")] {
        w.update(e, v);
    }
    let again = DnsTtl::from_params(&w.to_params()).unwrap();
    assert_eq!(again.cfg, w.cfg);
    assert_eq!(again.run, w.run);
}

#[test]
fn events_change_the_state() {
    let mut w = widget("");
    w.update("set", "ttl|30");
    assert_eq!(w.cfg.worst(0), Some(120.0), "90 + 30");
    w.update("region", "dead");
    assert_eq!(w.cfg.worst(3), Some(150.0), "90 + 30 + 30");
    w.update("row", "floor|false");
    assert!(!w.cfg.rows[1]);
    w.update("set", "pool_lifetime|never");
    assert_eq!(w.cfg.v[LIFE], 0.0);
    w.update("reset", "");
    assert_eq!(w.cfg, widget("").cfg);
    assert!(w.view().contains("Back to the page"));
}

#[test]
fn hostile_events_never_panic_or_corrupt() {
    let mut w = widget("");
    let before = w.cfg.clone();
    let junk = ["", "|", "ttl|", "ttl|-5", "ttl|1e9", "ttl|NaN", "ttl|inf", "ttl|99999999999999999999999", "ttl|0.5", "nope|3", "||||", "<script>|1", "row|", "ttl|<b>", "\u{0}|\u{0}"];
    for e in ["set", "row", "event", "region", "lowered", "bogus", "", "<img src=x>"] {
        for v in junk {
            w.update(e, v);
        }
        w.update(e, &"9".repeat(10_000));
    }
    assert_eq!(w.cfg, before);
    let v = w.view();
    assert!(v.contains("Ignored record ttl"), "refusals are logged");
    assert!(!v.contains("<b>") && !v.contains("<script>"));
    // The last row cannot be hidden.
    let mut w = widget("rows: pool");
    w.update("row", "pool|false");
    assert!(w.cfg.rows[3]);
    assert!(w.view().contains("keep at least one row"));
    // The largest run stays bounded: 4 rows × 1,000 clients × 3 layers + checks.
    let w = widget("clients: 1000\npool_lifetime: 86400\nthreshold: 10\ninterval: 600\nttl: 86400\nfloor: 86400\njvm: 3600\nrate: 1000");
    assert!(w.run.events <= 12_020, "{}", w.run.events);
    assert!(w.view().contains("<svg"));
}

#[test]
fn view_is_deterministic_and_complete() {
    let a = widget("").view();
    assert_eq!(a, widget("").view());
    assert_ne!(a, widget("seed: 2").view(), "the seed changes the ages");
    for needle in ["<svg", "<title>", "viewBox", "data-ev=\"event\"", "data-ev=\"row\"", "data-arg=\"ttl\"", "Sources", "2025", "w-log", "polyline"] {
        assert!(a.contains(needle), "{needle}");
    }
    let svg = &a[a.find("<svg").unwrap()..];
    assert!(!svg[..svg.find('>').unwrap()].contains("width"), "the SVG scales by its viewBox");
    // Every input and select has a name: inside a <label>, or an aria-label.
    for (i, _) in a.match_indices("<input").chain(a.match_indices("<select")) {
        let tag = &a[i..i + a[i..].find('>').unwrap()];
        let labelled = a[..i].ends_with("<label>") || a[..i].ends_with("<label>Event ") || a[..i].ends_with("<label>Failed region ");
        assert!(tag.contains("aria-label") || labelled, "{tag}");
    }
    // Only the rows asked for are drawn.
    let one = widget("rows: floor").view();
    assert_eq!(one.matches("<polyline").count(), 1);
}

#[test]
fn quiz_floor_beats_a_lower_ttl() {
    // /tmp/quiz-dnsttl.yaml, dns-ttl-floor-beats-low-ttl: TTL 10 s, a 300 s floor: 90 +
    // max(10, 300) = 390 s, while the TTL-honouring resolver's worst is 90 + 10 = 100 s.
    let w = widget("ttl: 10\nrows: ttl,floor");
    assert_eq!(w.cfg.worst(1), Some(390.0));
    assert_eq!(w.cfg.worst(0), Some(100.0));
    assert!(shown(&w).contains("floor 390 s"));
}

#[test]
fn quiz_lowering_the_ttl_at_the_last_moment() {
    // /tmp/quiz-dnsttl.yaml, dns-ttl-lowered-too-late: a record with a 3,600 s TTL is changed
    // and its TTL set to 60 s at the same moment: caches keep the old answer up to 3,600 s (1 h).
    let w = widget("event: change\nlowered: false\nrows: ttl");
    assert_eq!(w.cfg.worst(0), Some(3_600.0));
    let v = shown(&w);
    assert!(v.contains("3,600 s (60.0 min)") && v.contains("TTL-honouring 3,600 s"), "shown as the worst case");
    // Median ≈ 1,800 s.
    assert!(near(w.run.rows[0].percentile(0.5).unwrap(), 1_800.0, 150.0));
}

