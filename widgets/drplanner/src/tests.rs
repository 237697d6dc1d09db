use crate::*;

fn widget(config: &str) -> DrPlanner {
    DrPlanner::from_params(&Params::parse(config).unwrap()).unwrap()
}

/// The view with no-break spaces as plain spaces, to search it.
fn shown(w: &DrPlanner) -> String {
    w.view().replace('\u{a0}', " ")
}

fn defaults() -> [f64; NF] {
    FIELDS.map(|f| f.default)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn backup_and_restore_matches_hand_computation() {
    // Defaults: 500 GB at 100 MB/s = 500 × 1,000 ÷ 100 = 5,000 s of restore.
    // RTO = (5 + 15 + 30 + 5) min × 60 + 5,000 s = 3,300 + 5,000 = 8,300 s (138.3 min).
    // RPO = 24 h × 3,600 = 86,400 s; average loss half of it, 43,200 s.
    // DR cost = 5% × $20,000 = $1,000.
    let p = plan(Strategy::BackupRestore, &defaults(), 5.0);
    assert!(close(restore_s(&defaults()), 5_000.0));
    assert!(close(p.rto, 8_300.0), "{}", p.rto);
    assert!(close(p.full, 8_300.0));
    assert!(close(p.rpo, 86_400.0));
    assert!(close(p.typical_loss, 43_200.0));
    assert!(close(p.dr_cost, 1_000.0));
}

#[test]
fn replicated_strategies_match_hand_computation() {
    let v = defaults();
    // Pilot light: (5 + 15 + 15 + 5) min = 40 min = 2,400 s; RPO = lag = 1 s; 15% × 20,000 = 3,000.
    let p = plan(Strategy::PilotLight, &v, 15.0);
    assert!(close(p.rto, 2_400.0) && close(p.rpo, 1.0) && close(p.dr_cost, 3_000.0));
    // Warm standby: serving after (5 + 15 + 5) min = 1,500 s; full after 5 + 15 + max(15, 5) =
    // 35 min = 2,100 s; 35% × 20,000 = 7,000.
    let p = plan(Strategy::WarmStandby, &v, 35.0);
    assert!(close(p.rto, 1_500.0) && close(p.full, 2_100.0) && close(p.dr_cost, 7_000.0));
    // Active/active: (5 + 5) min = 600 s, no decision; 100% × 20,000 = 20,000.
    let p = plan(Strategy::ActiveActive, &v, 100.0);
    assert!(close(p.rto, 600.0) && close(p.rpo, 1.0) && close(p.dr_cost, 20_000.0));
}

#[test]
fn the_simulated_failover_agrees_with_the_formulas() {
    for config in ["", "data_gb: 20000\nrestore_mbps: 37\nscale_min: 2\ndns_min: 9", "detect_min: 0\ndecide_min: 0\nscale_min: 0\ndns_min: 0"] {
        let w = widget(config);
        for s in STRATEGIES {
            let p = plan(s, &w.v, 0.0);
            for seed in [0, 1, 99, 123_456] {
                let r = fail(s, &w.v, seed);
                assert!(close(r.serving, p.rto), "{s:?} {config}: {} vs {}", r.serving, p.rto);
                assert!(close(r.full, p.full), "{s:?} {config}");
                assert!(r.lost >= 0.0 && r.lost <= p.rpo + 1e-9);
                // Steps never overlap except warm standby's DNS switch and scale-up.
                if s != Strategy::WarmStandby {
                    assert!(r.bars.windows(2).all(|b| close(b[0].end, b[1].start)), "{s:?}");
                }
            }
        }
    }
    let steps = |s: Strategy| fail(s, &defaults(), 1).bars.iter().map(|b| b.step).collect::<Vec<_>>();
    assert_eq!(steps(Strategy::BackupRestore), [Step::Detect, Step::Decide, Step::Provision, Step::Restore, Step::Dns]);
    assert_eq!(steps(Strategy::ActiveActive), [Step::Detect, Step::Dns]);
    // Warm standby: DNS (5 min) ends before the scale-up (15 min) that started with it.
    assert_eq!(steps(Strategy::WarmStandby), [Step::Detect, Step::Decide, Step::Dns, Step::Scale]);
}

#[test]
fn the_seed_picks_the_moment_in_the_backup_cycle() {
    let v = defaults();
    assert_eq!(fail(Strategy::BackupRestore, &v, 7), fail(Strategy::BackupRestore, &v, 7));
    assert_ne!(fail(Strategy::BackupRestore, &v, 7).lost, fail(Strategy::BackupRestore, &v, 8).lost);
    // Over many failures the average loss is half the interval: 43,200 s.
    let n = 4_000;
    let mean = (0..n).map(|s| fail(Strategy::BackupRestore, &v, s).lost).sum::<f64>() / n as f64;
    assert!((mean - 43_200.0).abs() < 1_500.0, "{mean}");
    // Replication loses exactly the lag, whatever the seed.
    assert_eq!(fail(Strategy::PilotLight, &v, 7).lost, 1.0);
}

#[test]
fn the_cheapest_strategy_meeting_the_targets() {
    // Defaults: RPO ≤ 60 min rules out backup and restore (24 h); pilot light (40 min) is cheapest.
    assert_eq!(widget("").cheapest_meeting(), Some(Strategy::PilotLight));
    // A day of loss accepted: backup and restore (RPO 1,440 min, RTO 138.3 min) is enough.
    assert_eq!(widget("rpo_target_min: 1440").cheapest_meeting(), Some(Strategy::BackupRestore));
    // RTO ≤ 30 min: pilot light's 40 min misses, warm standby's 25 min meets.
    assert_eq!(widget("rto_target_min: 30").cheapest_meeting(), Some(Strategy::WarmStandby));
    // RTO ≤ 5 min: even active/active needs 10 min.
    assert_eq!(widget("rto_target_min: 5").cheapest_meeting(), None);
    // A cheaper override of the chosen strategy changes the answer.
    assert_eq!(widget("strategy: active-active\ndr_pct: 10").cheapest_meeting(), Some(Strategy::ActiveActive));
}

#[test]
fn the_view_shows_the_formulas_and_numbers() {
    let html = shown(&widget(""));
    for needle in [
        "restore = 500 GB × 1,000 MB/GB ÷ 100 MB/s = 5,000 s = 83.3 min",
        "RTO = detect + decide + provision + data ÷ throughput + DNS = 5 + 15 + 30 + 83.3 + 5 = 138.3 min",
        "RPO = backup interval = 24 h = 1,440 min",
        "DR cost = 5% × $20,000 = $1,000 a month ($12,000 a year)",
        "Cheapest strategy meeting RPO ≤ 60.0 min and RTO ≤ 4.00 h: Pilot light at $3,000 a month.",
        "about 3,500 km apart",
        "at least 17.5 ms one way and 35.0 ms for a round trip",
        "Disaster Recovery of Workloads on AWS",
        "2021",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("<svg"), "no timeline before the failure");
    let html = shown(&widget("strategy: warm-standby\nfailed: true"));
    for needle in ["RTO = detect + decide + DNS = 5 + 15 + 5 = 25 min", "full capacity = detect + decide + max(scale-up, DNS) = 35 min", "<svg", "<title>Failover timeline</title>", "full capacity +35.0 min", "Scale standby to full size"] {
        assert!(html.contains(needle), "missing {needle}");
    }
    let html = shown(&widget("primary: eu-central-1\nrecovery: ap-southeast-1\nlag_s: 0"));
    assert!(html.contains("10,260 km") && html.contains("synchronous replication: no writes lost") && html.contains("leaves Europe for Asia Pacific"));
}

#[test]
fn the_timeline_run_is_summarised_in_words() {
    let mut w = widget("strategy: pilot-light");
    w.update("fail", "");
    assert!(w.failed);
    assert_eq!(w.log.latest().unwrap(), "us-east-1 failed. Serving again from us-west-2 after 40.0 min; 1.00 s of writes lost.");
    let html = shown(&w);
    assert!(html.contains("downtime 40.0 min (within the RTO target of 4.00 h)"), "{html}");
    let seed = w.seed;
    w.update("fail", "");
    assert_ne!(w.seed, seed, "failing again picks another moment");
    w.update("reset", "");
    assert!(!w.failed && !w.view().contains("<svg"));
}

#[test]
fn events_change_the_plan_and_ignore_nonsense() {
    let mut w = widget("");
    w.update("strategy", "warm-standby");
    assert_eq!(w.strategy, Strategy::WarmStandby);
    w.update("set", "dr_pct|50");
    assert_eq!(w.pct(), 50.0);
    w.update("strategy", "pilot-light");
    assert_eq!(w.pct(), 15.0, "a new strategy starts from its own assumption");
    w.update("set", "dr_pct|20");
    w.update("dr-auto", "");
    assert_eq!(w.dr_pct, None);
    w.update("set", "restore_mbps|200");
    assert_eq!(w.v[MBPS], 200.0);
    w.update("primary", "us-west-2");
    assert_eq!((w.primary, w.recovery), (1, 0), "choosing the recovery region as primary swaps them");
    w.update("recovery", "ap-northeast-1");
    assert_eq!(w.recovery, 5);
    let before = w.to_params();
    for (ev, value) in [
        ("set", "restore_mbps|0"),
        ("set", "restore_mbps|-5"),
        ("set", "restore_mbps|1e9"),
        ("set", "data_gb|NaN"),
        ("set", "lag_s|inf"),
        ("set", "nope|3"),
        ("set", "no separator"),
        ("set", "dr_pct|301"),
        ("set", &format!("data_gb|{}", "9".repeat(400))),
        ("strategy", "<script>"),
        ("primary", "mars-1"),
        ("recovery", ""),
        ("dr-auto", ""),
        ("reset", ""),
        ("bogus", "x"),
        ("", ""),
    ] {
        w.update(ev, value);
    }
    assert_eq!(w.to_params(), before, "nothing changed");
    assert!(w.log.latest().unwrap().starts_with("Ignored"), "{:?}", w.log.latest());
    assert!(!w.view().contains("<script>"));
}

#[test]
fn state_round_trips_through_the_fragment() {
    let mut w = widget("strategy: pilot-light\nprimary: eu-west-1\nrecovery: eu-central-1");
    w.update("set", "data_gb|1234.5");
    w.update("set", "dr_pct|12.5");
    w.update("fail", "");
    w.update("fail", "");
    let fragment = w.to_params().to_fragment();
    let (back, notice) = widget_core::restore::<DrPlanner>("strategy: active-active", &fragment).unwrap();
    assert!(notice.is_none());
    assert_eq!(back.to_params(), w.to_params());
    assert_eq!(back.run(), w.run());
    // A fresh widget and its round trip draw byte-identical markup.
    let fresh = widget("strategy: warm-standby\nfailed: true\nseed: 42\ndr_pct: 30");
    let again = DrPlanner::from_params(&fresh.to_params()).unwrap();
    assert_eq!(fresh.view(), again.view());
    let (_, notice) = widget_core::restore::<DrPlanner>("", "primary=us-east-1;recovery=us-east-1").unwrap();
    assert!(notice.unwrap().contains("could not be used"));
}

#[test]
fn bad_configuration_names_the_parameter() {
    for (bad, key) in [
        ("strategy: cold", "strategy"),
        ("primary: us-east-9", "primary"),
        ("primary: us-west-2", "recovery"),
        ("data_gb: 0", "data_gb"),
        ("backup_h: 1000", "backup_h"),
        ("restore_mbps: fast", "restore_mbps"),
        ("dr_pct: 400", "dr_pct"),
        ("failed: yes", "failed"),
        ("seed: -1", "seed"),
        ("colour: red", "colour"),
    ] {
        let e = DrPlanner::from_params(&Params::parse(bad).unwrap()).unwrap_err();
        assert_eq!(e.key.as_deref(), Some(key), "{bad}: {e}");
    }
    assert!(widget("dr_pct: auto").dr_pct.is_none());
}

#[test]
fn axis_ticks_are_round_numbers() {
    assert_eq!(view::nice_step(8_300.0), 1_800.0); // 2.3 h: every 30 min (8,300 ÷ 1,800 = 4.6 intervals)
    assert_eq!(view::nice_step(14_400.0), 3_600.0); // 4 h: hourly (every 30 min would be 8 intervals)
    assert_eq!(view::nice_step(600.0), 120.0); // 10 min: every 2 min (5 intervals)
    assert_eq!(view::tick_label(7_200.0, 3_600.0), "2 h");
    assert_eq!(view::tick_label(90.0, 30.0), "90 s");
}

/// The predict questions in /tmp/quiz-drplanner.yaml, checked against the widget.
#[test]
fn quiz_configs_show_the_expected_answers() {
    // Q1: daily backups lose 12 h of writes on average (half of 24 h) and up to 24 h.
    let w = widget("strategy: backup-restore\nfailed: true");
    let html = shown(&w);
    assert!(html.contains("RPO (worst-case data loss): <strong class=\"w-total\">24.0 h</strong>; on average 12.0 h of writes lost"), "{html}");
    let lost = w.run().unwrap().lost;
    assert!(lost > 0.0 && lost < 86_400.0);
    // Q2: pilot light at the defaults takes 5 + 15 + 15 + 5 = 40 min against a 30 min target.
    let mut w = widget("strategy: pilot-light\nrto_target_min: 30\nfailed: true");
    assert!(shown(&w).contains("downtime 40.0 min (beyond the RTO target of 30.0 min)"));
    // Halving the DNS time (5 → 2.5 min) gives 37.5 min: still missed.
    let mut dns = w.clone();
    dns.update("set", "dns_min|2.5");
    assert!(close(dns.plan().rto, 37.5 * 60.0) && !dns.plan().meets(&dns.v).1);
    // Warm standby meets it (25 min) at $7,000 instead of $3,000 a month.
    let mut ws = w.clone();
    ws.update("strategy", "warm-standby");
    assert!(close(ws.plan().rto, 1_500.0) && close(ws.plan().dr_cost, 7_000.0));
    // Automating the decision (15 → 0 min): 5 + 0 + 15 + 5 = 25 min, met, same $3,000.
    w.update("set", "decide_min|0");
    assert!(close(w.plan().rto, 1_500.0) && close(w.plan().dr_cost, 3_000.0));
    assert!(shown(&w).contains("downtime 25.0 min (within the RTO target of 30.0 min)"));
}
