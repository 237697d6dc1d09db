use crate::*;

fn widget(config: &str) -> Shedding {
    Shedding::from_params(&Params::parse(config).unwrap()).unwrap()
}

/// The view with no-break spaces as plain spaces, to search it.
fn shown(w: &Shedding) -> String {
    w.view().replace('\u{a0}', " ")
}

fn within(x: f64, expected: f64, tolerance: f64) -> bool {
    (x - expected).abs() <= tolerance * expected.abs()
}

#[test]
fn arrivals_follow_the_rates_and_shares() {
    // Defaults: 40/s for 100 s plus 80/s for 20 s = 4,000 + 1,600 = 5,600 expected (Poisson,
    // standard deviation √5,600 ≈ 75, so ±4% is over 3 σ).
    let w = widget("");
    let arr = arrivals(&w.cfg);
    assert!(within(arr.len() as f64, 5_600.0, 0.04), "{}", arr.len());
    // During the surge, 80/s × 20 s = 1,600.
    let surge = arr.iter().filter(|a| a.at >= 20.0 && a.at < 40.0).count() as f64;
    assert!(within(surge, 1_600.0, 0.08), "{surge}");
    assert!(arr.windows(2).all(|p| p[0].at <= p[1].at) && arr.last().unwrap().at < 120.0);
    // Shares 20/50/30.
    let share = |p: usize| arr.iter().filter(|a| a.prio == p).count() as f64 / arr.len() as f64;
    assert!((share(0) - 0.2).abs() < 0.03 && (share(1) - 0.5).abs() < 0.03 && (share(2) - 0.3).abs() < 0.03);
    // Mean service time 1 ÷ 50 = 20 ms.
    let work = arr.iter().map(|a| a.work).sum::<f64>() / arr.len() as f64;
    assert!(within(work, 0.02, 0.06), "{work}");
}

#[test]
fn a_steady_load_matches_m_m_1() {
    // 40/s into a 50/s server with no surge: mean response 1 ÷ (50 − 40) = 100 ms; 40 × 200 s
    // = 8,000 requests. Nothing is late enough to matter with a 60 s deadline.
    let w = widget("peak: 40\nduration: 200\nsurge_for: 0\ndeadline_ms: 60000");
    let r = &w.runs[0];
    let all: Vec<f64> = r.classes.iter().flat_map(|c| c.latencies.iter().copied()).collect();
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    assert!(within(mean, 0.1, 0.15), "{mean}");
    assert_eq!(r.completed(), r.total(|c| c.offered), "everything is served");
    // Shedding changes nothing when the queue stays short compared with the limits (60 s).
    let w = widget("peak: 40\nduration: 200\nsurge_for: 0\ndeadline_ms: 60000\nthreshold_ms: 30000");
    assert_eq!(w.runs[0].completed(), w.runs[1].completed());
}

#[test]
fn without_shedding_a_surge_leaves_a_backlog_that_drains_slowly() {
    // 150/s into a 100/s server for 20 s: backlog (150 − 100) × 20 = 1,000 requests, a wait of
    // 1,000 ÷ 100 = 10 s at the surge's end; it drains at 100 − 50 = 50/s, taking 20 s.
    let w = widget("capacity: 100\nbase: 50\npeak: 150\nsurge_at: 10\nsurge_for: 20\nduration: 80");
    let arr = arrivals(&w.cfg);
    let r = &w.runs[0];
    let worst = r.classes.iter().filter_map(|c| c.latencies.last()).fold(0.0f64, |a, b| a.max(*b));
    // Poisson arrivals put this seed's surge a little above 3,000 (the worst wait is 11.4 s):
    // allow 20%.
    assert!(within(worst, 10.0, 0.2), "longest response {worst}");
    // Goodput is back (most completions in time) about 20 s after the surge ends at 30 s, less
    // the last second of backlog, 1 s × 100/s: (1,000 − 100) ÷ 50 = 18 s, so near t = 48 s
    // (this seed: 53 s, its backlog being larger).
    let back = (0..r.done.len()).find(|&k| r.bin_span(k).0 >= 30.0 && r.done[k] > 0 && r.good[k] * 2 >= r.done[k]).unwrap();
    let t = r.bin_span(back).0;
    assert!((44.0..=56.0).contains(&t), "goodput back at {t} s");
    assert!(arr.len() > 4_000);
    // Work conserved: every offered request is answered, in time or late.
    for c in &r.classes {
        assert_eq!(c.offered, c.on_time + c.late);
        assert_eq!(c.rejected + c.expired, 0);
    }
}

#[test]
fn prioritised_shedding_protects_critical_traffic() {
    let w = widget("");
    let (off, on) = (&w.runs[0], &w.runs[1]);
    for r in [off, on] {
        for c in &r.classes {
            assert_eq!(c.offered, c.on_time + c.late + c.rejected + c.expired, "every request accounted for");
        }
    }
    // Off: the backlog pushes everyone past the deadline; most work is wasted.
    assert!(off.in_time(Some(0)) < 0.5, "{}", off.in_time(Some(0)));
    assert!(off.busy_late / off.busy > 0.5);
    // On: critical is almost always answered in time, best-effort is shed first.
    assert!(on.in_time(Some(0)) > 0.99, "{}", on.in_time(Some(0)));
    assert!(on.classes[2].rejected > on.classes[1].rejected && on.classes[0].rejected == 0);
    assert!(on.goodput() > 2.0 * off.goodput());
    assert!(on.throughput() <= off.throughput() + 1e-9, "shedding does less work, all of it useful");
    // Admitted critical requests wait at most about the normal limit, 2 × 200 ms = 400 ms.
    assert!(on.classes[0].percentile(0.99).unwrap() < 1.0);
    assert!(on.total(|c| c.late) * 100 <= on.total(|c| c.offered));
}

#[test]
fn the_view_shows_the_numbers_and_formulas() {
    let w = widget("shedding: on");
    let r = w.run();
    let html = shown(&w);
    for needle in [
        "M/M/1 mean response time = 1 ÷ (capacity − base) = 1 ÷ (50 − 40) = 100 ms".to_string(),
        "backlog ≈ (surge − capacity) × length = (80 − 50) × 20 s = 600 requests; wait at its end ≈ backlog ÷ capacity = 12.0 s".to_string(),
        "it drains at capacity − base = 10.0/s, taking ≈ 60.0 s".to_string(),
        "best-effort 200 ms (10 requests queued), normal 2 × 200 ms = 400 ms (20), critical the deadline 1.00 s (50)".to_string(),
        format!("goodput = answered in time ÷ run time = {} ÷", number(f64::from(r.total(|c| c.on_time)), 0)),
        format!("Goodput <strong class=\"w-total\">{}/s</strong>", number(r.goodput(), 1)),
        "<title>Requests per second over time</title>".to_string(),
        "Using load shedding to avoid overload".to_string(),
        "2019".to_string(),
        "data-ev=\"shedding\" checked".to_string(),
    ] {
        assert!(html.contains(&needle), "missing {needle}");
    }
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.matches("<polyline").count() >= 6, "three lines in each chart");
}

#[test]
fn the_same_seed_gives_the_same_run() {
    assert_eq!(widget("seed: 5").view(), widget("seed: 5").view());
    assert_ne!(widget("seed: 5").runs[0], widget("seed: 6").runs[0]);
}

#[test]
fn events_toggle_and_change_the_run() {
    let mut w = widget("");
    w.update("shedding", "true");
    assert!(w.shedding);
    assert!(w.log.latest().unwrap().starts_with("Shedding on: goodput"));
    w.update("shedding", "off");
    assert!(!w.shedding);
    w.update("set", "capacity|100");
    assert_eq!(w.cfg.v[CAP], 100.0);
    assert!(w.runs[0].in_time(None) > 0.95, "a server twice as big absorbs the surge");
    w.update("share", "critical|60");
    assert_eq!(w.cfg.shares, [20, 50, 30], "60 + 50 > 100 is refused");
    assert!(w.log.latest().unwrap().contains("110%"));
    w.update("share", "normal|20");
    assert_eq!(w.cfg.shares, [20, 20, 60], "best-effort takes the rest");
    w.update("share", "critical|60");
    assert_eq!(w.cfg.shares, [60, 20, 20]);
    // A change that breaks the run's limits is refused with the reason.
    w.update("set", "surge_for|200");
    assert_eq!(w.cfg.v[FOR], 20.0);
    assert!(w.log.latest().unwrap().starts_with("Ignored: the surge"), "{:?}", w.log.latest());
    w.update("set", "peak|2000");
    assert_eq!(w.cfg.v[PEAK], 80.0, "2,000/s for 20 s is too many requests");
    let seed = w.cfg.seed;
    w.update("reseed", "");
    assert_ne!(w.cfg.seed, seed);
}

#[test]
fn hostile_events_are_ignored() {
    let mut w = widget("");
    let before = w.to_params();
    for (ev, value) in [
        ("shedding", "maybe"),
        ("shedding", ""),
        ("set", "capacity|0"),
        ("set", "capacity|-1"),
        ("set", "capacity|1e9"),
        ("set", "capacity|NaN"),
        ("set", "deadline_ms|inf"),
        ("set", "nope|1"),
        ("set", "capacity"),
        ("set", &format!("base|{}", "9".repeat(300))),
        ("share", "critical|-5"),
        ("share", "critical|101"),
        ("share", "critical|ten"),
        ("share", "best-effort|10"),
        ("share", "<script>|1"),
        ("bogus", "x"),
        ("", ""),
    ] {
        w.update(ev, value);
    }
    assert_eq!(w.to_params(), before);
    assert!(!w.view().contains("<script>"));
}

#[test]
fn state_round_trips_through_the_fragment() {
    let mut w = widget("capacity: 60
shares: 10,30,60");
    w.update("shedding", "true");
    w.update("set", "threshold_ms|150.5");
    w.update("reseed", "");
    let fragment = w.to_params().to_fragment();
    let (back, notice) = widget_core::restore::<Shedding>("shedding: off", &fragment).unwrap();
    assert!(notice.is_none());
    assert_eq!(back.cfg, w.cfg);
    assert_eq!(back.shedding, w.shedding);
    assert_eq!(back.runs, w.runs);
    let fresh = widget("shedding: on
seed: 9");
    assert_eq!(fresh.view(), Shedding::from_params(&fresh.to_params()).unwrap().view());
    let (_, notice) = widget_core::restore::<Shedding>("", "shares=50,50,50").unwrap();
    assert!(notice.unwrap().contains("could not be used"));
}

#[test]
fn bad_configuration_names_the_parameter() {
    for (bad, key) in [
        ("shedding: maybe", "shedding"),
        ("shares: 20,50,29", "shares"),
        ("shares: 20,80", "shares"),
        ("shares: a,b,c", "shares"),
        ("capacity: 0", "capacity"),
        ("deadline_ms: 5", "deadline_ms"),
        ("surge_at: 80
surge_for: 50", "surge_for"),
        ("base: 100
duration: 600", "duration"),
        ("seed: x", "seed"),
        ("colour: red", "colour"),
    ] {
        let e = Shedding::from_params(&Params::parse(bad).unwrap()).unwrap_err();
        assert_eq!(e.key.as_deref(), Some(key), "{bad}: {e}");
    }
}

/// The predict questions in /tmp/quiz-shedding.yaml, checked against the widget.
#[test]
fn quiz_configs_show_the_expected_answers() {
    // Q1: without shedding, goodput only comes back about a minute after the 20 s surge ends
    // (600 requests of backlog drain at 10/s), not when the surge ends.
    let w = widget("shedding: off");
    let r = w.run();
    let back = (0..r.done.len()).find(|&k| r.bin_span(k).0 >= 40.0 && r.done[k] > 0 && r.good[k] * 2 >= r.done[k]).unwrap();
    let t = r.bin_span(back).0;
    assert!((85.0..=105.0).contains(&t), "goodput back at {t} s");
    // Q2: with shedding on, critical requests are nearly all answered in time while about a
    // third of best-effort ones are refused.
    let w = widget("shedding: on");
    let r = w.run();
    assert!(r.in_time(Some(0)) > 0.99);
    assert!(r.in_time(Some(2)) < 0.8);
    assert_eq!(r.classes[0].rejected, 0);
    assert!(r.classes[2].rejected > r.classes[1].rejected, "best-effort takes most refusals");
    // The "same as without shedding" distractor: about 30% with shedding off.
    assert!((w.runs[0].in_time(Some(0)) - 0.3).abs() < 0.05);
    assert!(shown(&w).contains("of critical ones"));
}
