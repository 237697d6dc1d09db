use crate::*;

fn widget(config: &str) -> LoadBalancer {
    match LoadBalancer::from_params(&Params::parse(config).unwrap()) {
        Ok(w) => w,
        Err(e) => panic!("{config}: {e}"),
    }
}

/// The view with no-break spaces as plain spaces, to search it.
fn shown(w: &LoadBalancer) -> String {
    w.view().replace('\u{a0}', " ")
}

fn shares(w: &LoadBalancer) -> Vec<f64> {
    let total = f64::from(w.run.all.sent + w.run.refused);
    w.run.per.iter().map(|x| f64::from(x.sent) / total).collect()
}

/// The distinct servers each client was sent to.
fn servers_per_client(w: &LoadBalancer) -> Vec<Vec<u8>> {
    let mut seen: Vec<Vec<u8>> = vec![vec![]; w.cfg.v[CLIENTS] as usize];
    for r in &w.run.reqs {
        if let Some(s) = r.server
            && !seen[r.client as usize].contains(&s)
        {
            seen[r.client as usize].push(s);
        }
    }
    seen
}

#[test]
fn the_pages_worked_answer() {
    // 1. ALB defaults: interval 30 s, timeout 5 s, 2 failures: best case 1 × 30 + 5 = 35 s,
    // worst 2 × 30 + 5 = 65 s. At 100 req/s per target: 100 × 35 = 3,500 to 100 × 65 = 6,500
    // requests. Recovery, 5 passes: 4 × 30 = 120 s to 5 × 30 = 150 s.
    assert_eq!(detection_window(30.0, 5.0, 2.0), (35.0, 65.0));
    assert_eq!(recovery_window(30.0, 5.0), (120.0, 150.0));
    // 1,200 req/s over 12 targets for a few seconds (the run is bounded; the formula is not).
    let w = widget("servers: 12x100\nrate: 1200\nduration: 8\nkill: 1@0");
    let html = shown(&w);
    assert!(html.contains("rate ÷ N = 1,200 ÷ 12 = 100 req/s, that is 3,500 to 6,500 requests"), "{html}");
    assert!(html.contains("1 × 30 + 5 = 35 s to 2 × 30 + 5 = 65 s"));
    assert!(html.contains("= 120 s to 150 s"));
    // 2. 2 stuck of 20: one choice 2/20 = 10%; two (2/20)² = 1%; without replacement
    // 2/20 × 1/19 = 0.526%; three (2/20)³ = 0.1%.
    assert!((stuck_share(2.0, 20.0, 1) - 0.1).abs() < 1e-12);
    assert!((stuck_share(2.0, 20.0, 2) - 0.01).abs() < 1e-12);
    assert!((stuck_share_distinct(2.0, 20.0) - 0.1 / 19.0).abs() < 1e-12);
    assert!((stuck_share(2.0, 20.0, 3) - 0.001).abs() < 1e-12);
    let w = widget("servers: 20x100\nkill: 1@0,2@0\nalgorithm: p2c\nchecks: off\nrate: 150\nduration: 60");
    let html = shown(&w);
    assert!(
        html.contains(
            "k ÷ N = 10%; two choices (with replacement) (k ÷ N)² = 1%, without replacement k ÷ N × (k − 1) ÷ (N − 1) = 0.53%; three (k ÷ N)³ = 0.1%"
        ),
        "{html}"
    );
    // 3. 12 targets × 300 s = 3,600 s = 60 minutes.
    let w = widget("servers: 12x100\nrate: 100\nduration: 60\nkill: none\ndeploy: 0");
    assert!(shown(&w).contains("N × delay = 12 × 300 s = 60.0 min"), "{}", shown(&w));
}

#[test]
fn health_checks_remove_a_hung_server_within_the_pages_bounds() {
    // Kill at 10 s: removal 35 to 65 s later, whatever the probes' phase (several seeds).
    let mut delays = vec![];
    for seed in 1..=12 {
        let w = widget(&format!("seed: {seed}\nkill: 2@10\nrate: 50"));
        let removed = w.run.marked("out", 1);
        assert_eq!(removed.len(), 1, "seed {seed}");
        let d = removed[0] - 10.0;
        assert!((35.0..=65.0).contains(&d), "seed {seed}: {d}");
        delays.push(d);
        // Other servers stay in.
        assert!(w.run.marks.iter().all(|m| m.label != "out" || m.server == 1));
        // Nothing is sent to it after the removal.
        assert!(w.run.reqs.iter().all(|r| r.server != Some(1) || r.at <= removed[0]));
    }
    // The phase matters: the seeds spread over the window.
    let spread = delays.iter().copied().fold(0.0, f64::max) - delays.iter().copied().fold(100.0, f64::min);
    assert!(spread > 10.0, "{delays:?}");
    // Fixed at 100 s: back 120 to 150 s later (5 passes 30 s apart).
    for seed in 1..=6 {
        let w = widget(&format!("seed: {seed}\nkill: 2@10-100\nrate: 20\nduration: 300"));
        let back = w.run.first("in", 1, 0.0).expect("restored") - 100.0;
        assert!((120.0..=150.0).contains(&back), "seed {seed}: {back}");
        assert!(w.run.reqs.iter().any(|r| r.server == Some(1) && r.at > 100.0 + back && r.outcome == Outcome::Ok));
    }
}

#[test]
fn round_robin_gives_equal_shares() {
    // No failures: each of 4 servers gets 1/4 of the requests, within one request (whatever
    // their capacity).
    let w = widget("algorithm: round-robin\nkill: none");
    let total = w.run.all.sent;
    for x in &w.run.per {
        assert!((f64::from(x.sent) - f64::from(total) / 4.0).abs() <= 1.0, "{} of {total}", x.sent);
    }
    // Server 3 (20 req/s) is sent 25% × 100 = 25 req/s > 20: it overloads and times out.
    assert!(w.run.per[2].timeouts > 100, "{}", w.run.per[2].timeouts);
    assert!(shown(&w).contains("Server 3 is sent 25% × 100 = 25 req/s but completes 20: ρ = 1.25, its queue grows by 5 req/s."));
}

#[test]
fn weighted_round_robin_follows_capacity() {
    // Weights 40, 40, 20, 80 of 180: 22.2%, 22.2%, 11.1%, 44.4%.
    let w = widget("algorithm: weighted\nkill: none");
    let expect = [40.0 / 180.0, 40.0 / 180.0, 20.0 / 180.0, 80.0 / 180.0];
    for (got, want) in shares(&w).iter().zip(expect) {
        assert!((got - want).abs() < 0.002, "{got} vs {want}");
    }
    // Every server runs at ρ = 100 ÷ 180 = 56%: no timeouts.
    assert_eq!(w.run.all.timeouts, 0);
    assert!(shown(&w).contains("20 ÷ 180 = 11.1%"));
}

#[test]
fn power_of_two_choices_rarely_picks_a_stuck_server() {
    // 2 of 20 servers hang from the start, no active checks, a 10 s client timeout (a stuck
    // server keeps its unanswered requests in flight, so it looks busy): both draws must be
    // stuck, (2/20)² = 1% of about 9,000 requests ≈ 90 (Poisson σ ≈ 9.5), plus a few ties at
    // the start when the stuck servers still look idle. Five seeds.
    for seed in 1..=5 {
        let w = widget(&format!("servers: 20x100\nkill: 1@0,2@0\nalgorithm: p2c\nchecks: off\nrate: 150\nduration: 60\ntimeout: 10\nseed: {seed}"));
        let share = f64::from(w.run.sent_to_hung(&w.cfg)) / f64::from(w.run.all.sent);
        assert!((0.006..=0.015).contains(&share), "seed {seed}: {share}");
    }
    // Round robin sends them 2/20 = 10%.
    let w = widget("servers: 20x100\nkill: 1@0,2@0\nalgorithm: round-robin\nchecks: off\nrate: 150\nduration: 60\ntimeout: 10");
    let share = f64::from(w.run.sent_to_hung(&w.cfg)) / f64::from(w.run.all.sent);
    assert!((share - 0.1).abs() < 0.001, "{share}");
    // With a 2 s timeout the stuck servers shed their requests sooner, look idle more often and
    // win more ties: the share rises above 1%.
    let w = widget("servers: 20x100\nkill: 1@0,2@0\nalgorithm: p2c\nchecks: off\nrate: 150\nduration: 60\ntimeout: 2");
    let share = f64::from(w.run.sent_to_hung(&w.cfg)) / f64::from(w.run.all.sent);
    assert!((0.012..0.03).contains(&share), "{share}");
}

#[test]
fn ip_hash_and_sticky_sessions_keep_each_client_on_one_server() {
    for config in ["algorithm: ip-hash\nkill: none", "algorithm: round-robin\nsticky: on\nkill: none", "algorithm: p2c\nsticky: on\nkill: none"] {
        let w = widget(config);
        let seen = servers_per_client(&w);
        assert!(seen.iter().all(|s| s.len() <= 1), "{config}");
        assert!(seen.iter().filter(|s| s.len() == 1).count() >= 45, "almost all 50 clients send something");
    }
    // Without stickiness round robin spreads each client over every server.
    let w = widget("algorithm: round-robin\nkill: none");
    assert!(servers_per_client(&w).iter().all(|s| s.len() == 4));
    // Sticky clients leave a removed server for good, and only then.
    let w = widget("algorithm: round-robin\nsticky: on\nkill: 2@10");
    let removed = w.run.first("out", 1, 0.0).unwrap();
    let moved: Vec<u32> = (0..50).filter(|c| servers_per_client(&w)[*c as usize].len() > 1).collect();
    assert!(!moved.is_empty());
    for r in w.run.reqs.iter().filter(|r| moved.contains(&r.client) && r.server == Some(1)) {
        assert!(r.at <= removed);
    }
}

#[test]
fn a_draining_server_gets_no_new_requests() {
    let w = widget("deploy: 20\nkill: none");
    assert_eq!(w.run.drains.len(), 4, "all four servers take their turn");
    for d in &w.run.drains {
        let back = d.rejoin.expect("back before the end");
        let during = w.run.reqs.iter().filter(|r| r.server == Some(d.server as u8) && r.at > d.start && r.at < back).count();
        assert_eq!(during, 0, "server {}", d.server + 1);
        // Short requests drain in well under a second; none is cut with a 300 s delay.
        assert!(d.stop.unwrap() - d.start < 1.5, "{d:?}");
        assert_eq!(d.cut, 0);
        // Restart 10 s.
        assert!((back - d.stop.unwrap() - 10.0).abs() < 1e-9);
    }
    // Each turn starts when the previous server is back.
    for p in w.run.drains.windows(2) {
        assert_eq!(p[1].start, p[0].rejoin.unwrap());
    }
    assert_eq!(w.run.all.cut, 0);
    // Without a deregistration delay, what is in flight is cut.
    let w = widget("deploy: 20\nkill: none\ndrain: 0");
    let cut: u32 = w.run.drains.iter().map(|d| d.cut).sum();
    assert!(cut > 0);
    assert_eq!(cut, w.run.all.cut);
    assert!(w.run.drains.iter().all(|d| d.cut == d.in_flight));
}

#[test]
fn an_mmc_server_matches_queueing_theory() {
    // One server, one slot, capacity 10/s, 5 req/s: M/M/1 mean response 1 ÷ (10 − 5) = 200 ms;
    // 5 × 600 = 3,000 requests.
    let w = widget("servers: 10\nworkers: 1\nrate: 5\nduration: 600\nkill: none\nchecks: off\ntimeout: 60");
    let l = &w.run.all.latencies;
    let mean = l.iter().sum::<f64>() / l.len() as f64;
    assert!((mean - 0.2).abs() < 0.03, "{mean}");
    // Its median: response time of M/M/1 is exponential with mean 0.2 s: ln 2 × 0.2 = 139 ms.
    let p50 = w.run.all.percentile(0.5).unwrap();
    assert!((p50 - 0.1386).abs() < 0.02, "{p50}");
    // Capacity with 4 slots: 4 ÷ 40 = 100 ms per request, as the view says.
    assert!(shown(&widget("")).contains("4 ÷ 40 = 100 ms"));
}

#[test]
fn adaptive_algorithms_avoid_a_hung_server_before_checks_do() {
    // Server 2 hangs at 10 s and is removed 35 to 65 s later. Weighted round robin keeps
    // sending it 40/180 of the traffic until then; least connections sees its in-flight
    // requests pile up (one client timeout's worth) and sends it only a trickle.
    let wrr = widget("");
    let lc = widget("algorithm: least-conn");
    let p2c = widget("algorithm: p2c");
    let lt = widget("algorithm: least-time");
    let t = |w: &LoadBalancer| w.run.all.timeouts;
    assert!(t(&wrr) > 500, "{}", t(&wrr));
    for w in [&lc, &lt] {
        assert!(t(w) > 0 && t(w) * 5 < t(&wrr), "{} vs {}", t(w), t(&wrr));
    }
    // Power of two choices with only 4 servers: both draws land on the hung one (1/4)² = 6.25%
    // of the time, against weighted round robin's 40/180 = 22%: about a third as many.
    assert!(t(&p2c) * 2 < t(&wrr) && t(&p2c) * 6 > t(&wrr), "{} vs {}", t(&p2c), t(&wrr));
}

#[test]
fn all_servers_failing_fails_open_then_refuses_during_a_lone_deploy() {
    let w = widget("servers: 50,50\nkill: 1@0,2@0\nrate: 50\nduration: 90");
    assert!(w.run.timeline.iter().any(|(_, t)| t.contains("fails open")));
    assert_eq!(w.run.refused, 0, "failing open still sends");
    let w = widget("servers: 50\nkill: none\ndeploy: 20\nrate: 50\nduration: 60");
    assert!(w.run.refused > 300, "10 s of restart at 50 req/s: {}", w.run.refused);
    assert!(w.run.timeline.iter().any(|(_, t)| t.contains("refused")));
}

#[test]
fn the_default_view_has_the_picture_numbers_and_sources() {
    let w = widget("");
    let html = shown(&w);
    assert!(html.contains("<svg") && html.contains("viewBox=\"0 0 400 196\"") && html.contains("<title>Throughput per server</title>"));
    assert!(html.contains("<title>Latency of all requests</title>"));
    assert!(html.contains("Server 2 hangs: it accepts requests but never answers."));
    assert!(html.contains("Server 2 removed by health checks"));
    let a = &w.run.all;
    assert!(html.contains(&format!("{} errors", number(f64::from(a.errors()), 0))));
    assert!(html.contains("error rate = (timed out + cut + refused)"));
    assert!(html.contains("retrieved 2025") && html.contains("2001"));
    for ev in ["algorithm", "sticky", "checks", "kill-preset", "deploy-preset", "reseed", "servers", "kill", "deploy", "set"] {
        assert!(html.contains(&format!("data-ev=\"{ev}\"")), "{ev}");
    }
    for f in FIELDS {
        assert!(html.contains(&format!("data-arg=\"{}\"", f.key)), "{}", f.key);
    }
    // Bounded: about two events per request.
    assert!(w.run.events < 20_000, "{}", w.run.events);
    // An empty configuration shows a picture; the same configuration gives the same markup.
    assert_eq!(widget("").view(), w.view());
    assert_ne!(widget("seed: 2").run, w.run);
}

#[test]
fn parsers_and_bad_parameters() {
    assert_eq!(parse_servers("40, 40,20 ,80").unwrap(), vec![40.0, 40.0, 20.0, 80.0]);
    assert_eq!(parse_servers("2x40,20").unwrap(), vec![40.0, 40.0, 20.0]);
    assert_eq!(parse_kills("2@10, 3@5-60").unwrap(), vec![Kill { server: 1, at: 10.0, until: None }, Kill { server: 2, at: 5.0, until: Some(60.0) }]);
    assert_eq!(parse_kills("none").unwrap(), vec![]);
    assert_eq!(parse_deploy("off").unwrap(), None);
    assert_eq!(parse_deploy("12.5").unwrap(), Some(12.5));
    for (bad, key) in [
        ("algorithm: random", "algorithm"),
        ("servers: 0", "servers"),
        ("servers: 21x10", "servers"),
        ("servers: 10x10,11x10", "servers"),
        ("servers: ", "servers"),
        ("servers: a,b", "servers"),
        ("kill: 5@10", "kill"),
        ("kill: 2@100", "kill"),
        ("kill: 2@10-5", "kill"),
        ("kill: 2@1,2@3", "kill"),
        ("kill: two", "kill"),
        ("deploy: soon", "deploy"),
        ("deploy: 95", "deploy"),
        ("rate: 200", "rate"),
        ("rate: 0", "rate"),
        ("check_timeout: 30", "check_timeout"),
        ("workers: 2.5", "workers"),
        ("timeout: -1", "timeout"),
        ("sticky: yes", "sticky"),
        ("seed: 1000000", "seed"),
        ("colour: red", "colour"),
    ] {
        match LoadBalancer::from_params(&Params::parse(bad).unwrap()) {
            Ok(_) => panic!("{bad} accepted"),
            Err(e) => assert_eq!(e.key.as_deref(), Some(key), "{bad}: {e}"),
        }
    }
}

#[test]
fn round_trip_through_the_fragment() {
    let mut w = widget("algorithm: least-time");
    w.update("servers", "3x50, 120");
    w.update("kill", "1@5-40, 4@20");
    w.update("deploy", "30");
    w.update("sticky", "true");
    w.update("set", "timeout|1.5");
    w.update("set", "drain|2");
    w.update("reseed", "");
    assert_eq!(w.cfg.caps, vec![50.0, 50.0, 50.0, 120.0]);
    assert_eq!(w.cfg.v[TIMEOUT], 1.5);
    let (back, notice) = widget_core::restore::<LoadBalancer>("", &w.to_params().to_fragment()).unwrap();
    assert!(notice.is_none());
    assert_eq!(back.cfg, w.cfg);
    assert_eq!(back.run, w.run);
    let strip = |s: String| s.split("<div class=\"w-log\"><p class=\"w-log-title\">What changed").next().unwrap().to_string();
    assert_eq!(strip(back.view()), strip(w.view()));
    // And from the author's configuration text.
    let text: String =
        w.to_params().to_fragment().split(';').map(|kv| kv.replacen('=', ": ", 1).replace("%40", "@").replace("%20", " ")).collect::<Vec<_>>().join("\n");
    assert_eq!(widget(&text).cfg, w.cfg);
}

#[test]
fn events_change_the_run_and_log_in_words() {
    let mut w = widget("");
    w.update("algorithm", "p2c");
    assert_eq!(w.cfg.algo, P2C);
    assert!(w.log.latest().unwrap().starts_with("algorithm: p2c. Power of two choices:"), "{:?}", w.log.latest());
    w.update("kill-preset", "");
    assert!(w.cfg.kills.is_empty());
    w.update("kill-preset", "");
    assert_eq!(w.cfg.kills, vec![Kill { server: 1, at: 10.0, until: None }]);
    w.update("deploy-preset", "");
    assert_eq!(w.cfg.deploy, Some(20.0));
    assert!(!w.run.drains.is_empty());
    w.update("checks", "false");
    assert!(!w.cfg.checks && w.run.first("out", 1, 0.0).is_none());
    assert_eq!(w.run, simulate(&w.cfg));
}

#[test]
fn hostile_events_are_ignored() {
    let mut w = widget("");
    let before = w.cfg.clone();
    for (ev, v) in [
        ("algorithm", "fastest"),
        ("algorithm", ""),
        ("sticky", "maybe"),
        ("set", "rate"),
        ("set", "rate|1e9"),
        ("set", "rate|200"),
        ("set", "nope|3"),
        ("set", "timeout|NaN"),
        ("set", "workers|0"),
        ("set", "check_timeout|31"),
        ("servers", "<script>"),
        ("servers", "0,1"),
        ("servers", &"1,".repeat(300)),
        ("kill", "9@1"),
        ("kill", "2@-1"),
        ("kill", "2@999999999999999999999"),
        ("deploy", "100"),
        ("deploy", "<b>"),
        ("", ""),
        ("unknown", "1"),
        ("set", "|"),
    ] {
        w.update(ev, v);
    }
    assert_eq!(w.cfg, before);
    assert!(w.log.latest().unwrap().contains("Ignored"));
    let html = w.view();
    assert!(!html.contains("<script>") && !html.contains("<b>"));
    // Shrinking the servers below a hung one is refused with the reason.
    w.update("servers", "100");
    assert!(w.log.latest().unwrap().contains("no server 2"), "{:?}", w.log.latest());
}

#[test]
fn quiz_configs_show_the_expected_answers() {
    // /tmp/quiz-loadbalancer.yaml, balancing-hung-server-least-conn: server 2 hangs at 10 s;
    // least connections sends it a trickle, so timeouts fall far below weighted round robin's
    // (which sends it 40 ÷ 180 = 22% of the traffic until removal), but not to zero.
    let lc = widget("algorithm: least-conn\nkill: 2@10");
    let wrr = widget("algorithm: weighted\nkill: 2@10");
    let (l, r) = (lc.run.all.timeouts, wrr.run.all.timeouts);
    assert!((800..960).contains(&r), "the prompt says about 880: {r}");
    assert!(l * 7 < r && l * 15 > r, "about a tenth: {l} vs {r}");
    assert!(shown(&lc).contains(&format!("{} errors", number(f64::from(lc.run.all.errors()), 0))));
    // balancing-p2c-stuck-share: about 1% reaches the 2 stuck servers of 20.
    let w = widget("algorithm: p2c\nservers: 20x100\nkill: 1@0,2@0\nchecks: off\nrate: 150\nduration: 60\ntimeout: 10");
    let sent = w.run.sent_to_hung(&w.cfg);
    let share = f64::from(sent) / f64::from(w.run.all.sent);
    assert!((0.008..=0.013).contains(&share), "{share}");
    assert!(shown(&w).contains(&format!("Simulated with power of two choices: {} of requests", view::pct(f64::from(sent), f64::from(w.run.all.sent)))));
}

#[test]
fn the_radix_sort_orders_by_latency_and_keeps_ties_in_order() {
    // Keys: (latency as f32 bits) << 32 | index. 0.5 s, 0.001 s, 2 s, 0.5 s, 0 → indexes 4, 1, 0, 3, 2.
    let lat = [0.5f32, 0.001, 2.0, 0.5, 0.0];
    let mut keys: Vec<u64> = lat.iter().enumerate().map(|(i, l)| u64::from(l.to_bits()) << 32 | i as u64).collect();
    sort(&mut keys);
    let order: Vec<u64> = keys.iter().map(|k| k & 0xFFFF_FFFF).collect();
    assert_eq!(order, [4, 1, 0, 3, 2]);
    // The run's latency lists come out sorted.
    let w = widget("");
    assert!(w.run.all.latencies.windows(2).all(|p| p[0] <= p[1]));
    assert!(w.run.per.iter().all(|x| x.latencies.windows(2).all(|p| p[0] <= p[1])));
    assert_eq!(w.run.all.latencies.len() as u32, w.run.all.sent);
}
