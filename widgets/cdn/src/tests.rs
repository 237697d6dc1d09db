use super::*;
use std::collections::HashSet;
use widget_core::format::number;

fn widget(config: &str) -> Cdn {
    Cdn::from_params(&Params::parse(config).unwrap()).unwrap()
}

/// `base` with the lines of `extra` on top.
fn widget_with(base: &str, extra: &str) -> Cdn {
    Cdn::from_params(&Params::parse(base).unwrap().overlaid(&Params::parse(extra).unwrap())).unwrap()
}

/// The requests a configuration simulates (the same seeded stream the runs replay).
fn requests(w: &Cdn) -> Vec<Arrival> {
    let s = w.cfg.setup();
    arrivals(&s, &zipf_cdf(s.objects, s.zipf))
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

/// A small CDN where every request is simulated (20 req/s × 1,000 s = 20,000 = the budget, so
/// k = 1 and every count is exact): 5 PoPs, 400 objects, caches that hold everything, a
/// one-year TTL, and an update of the 20 most popular objects at 500 s.
const EXACT: &str = "rate: 20\nduration: 1000\npops: 5\nobjects: 400\ncache: 1000\nshield_cache: 1000\nttl: 31536000\nchanged: 20\nupdate_at: 500";

#[test]
fn ttl_zero_means_no_hits() {
    for cfg in ["ttl: 0", "ttl: 0\nstart: cold", "ttl: 0\nshield: on", "ttl: 0\ndelivery: push\npush_top: 100", "ttl: 0\ninvalidation: versioned"] {
        let w = widget(cfg);
        for run in &w.runs {
            assert_eq!(run.raw.edge_hits, 0, "{cfg}");
            assert_eq!(run.raw.shield_hits, 0, "{cfg}");
            assert_eq!(run.raw.storage + run.raw.origin, run.raw.requests, "{cfg}: every request goes upstream");
            assert!(run.total.edge_hit_ratio() < 1e-9, "{cfg}: {}", run.total.edge_hit_ratio());
        }
        assert!(w.view().contains("Edge hit ratio h₁ <strong>0.0%</strong>"), "{cfg}");
    }
}

#[test]
fn compulsory_misses_equal_the_distinct_objects_per_pop() {
    // Cold caches that hold the whole catalogue with a one-year TTL and no update: a PoP misses
    // exactly once per object it is asked for, and the shield once per object anywhere.
    let w = widget_with(EXACT, "start: cold\nchanged: 0");
    assert_eq!(w.scale(), 1.0);
    let arr = requests(&w);
    let per_pop: HashSet<(u32, u32)> = arr.iter().map(|a| (a.pop, a.obj)).collect();
    let objects: HashSet<u32> = arr.iter().map(|a| a.obj).collect();
    for run in &w.runs {
        assert_eq!(run.raw.requests as usize, arr.len());
        assert_eq!((run.raw.requests - run.raw.edge_hits) as usize, per_pop.len());
        assert!(close(run.total.misses, per_pop.len() as f64, 1e-6), "k = 1: each miss counts once");
    }
    assert_eq!(w.runs[0].raw.origin as usize, per_pop.len(), "no shield: every miss reaches the origin");
    assert_eq!(w.runs[1].raw.origin as usize, objects.len(), "the shield fetches each object once");
    assert!(per_pop.len() > objects.len());
}

#[test]
fn a_warm_cache_that_holds_everything_never_misses() {
    // Warm start, caches ≥ catalogue, one-year TTL, no update: every request hits, so the mean
    // latency is the user–edge round trip alone, 10 ms.
    let w = widget_with(EXACT, "changed: 0");
    assert_eq!(w.run().raw.edge_hits, w.run().raw.requests);
    assert!(close(w.latency(w.steady()), 10.0, 1e-9));
    // TTL 0 without a shield: every request pays 10 + 200 + 50 = 260 ms.
    let w = widget_with(EXACT, "changed: 0\nttl: 0");
    assert!(close(w.latency(w.steady()), 260.0, 1e-9));
    assert!(w.view().contains("10 + 1.000 × 200 + 1.000 × 50 ≈ 260.0 ms"), "{}", w.view());
}

#[test]
fn the_page_worked_answers() {
    // 1. 60,000 × (1 − 0.90) = 6,000 req/s, twice the origin's 3,000. For 1,500 req/s:
    //    1,500 ÷ 60,000 = 2.5% may miss, so h₁ ≥ 97.5%.
    assert!(close(origin_load(60_000.0, 0.90, 0.0), 6_000.0, 1e-6));
    assert!(close(1.0 - 1_500.0 / 60_000.0, 0.975, 1e-12));
    // 2. 60,000 × 0.10 × 0.20 = 1,200 req/s; offload 1 − 0.10 × 0.20 = 98%.
    assert!(close(origin_load(60_000.0, 0.90, 0.80), 1_200.0, 1e-6));
    assert!(close(1.0 - origin_load(60_000.0, 0.90, 0.80) / 60_000.0, 0.98, 1e-12));
    // 3. Edge: 60,000 × 80 KB = 4.8 GB/s ≈ 38.4 Gbps; origin: 1,200 × 80 KB = 96 MB/s ≈ 0.77 Gbps.
    assert_eq!(view::bytes(60_000.0 * 80_000.0), "4.8 GB/s");
    assert_eq!(view::gbps(60_000.0 * 80_000.0), "38.4 Gbps");
    assert_eq!(view::bytes(1_200.0 * 80_000.0), "96 MB/s");
    assert_eq!(view::gbps(1_200.0 * 80_000.0), "0.77 Gbps");

    // The default widget is the exercise: 60,000 req/s, 200 PoPs, 5,000 hot objects per PoP.
    // Its simulated peak lands near the page's 90% and 80%, and the origin load shown is exactly
    // rate × (1 − h₁) × (1 − h₂) with those ratios.
    let w = widget("");
    let off = w.runs[0].pre;
    let on = w.runs[1].pre;
    assert!((0.89..0.93).contains(&off.edge_hit_ratio()), "{}", off.edge_hit_ratio());
    assert!((4_500.0..6_500.0).contains(&(60_000.0 * off.origin_share())), "about 6,000: {}", 60_000.0 * off.origin_share());
    assert!((0.74..0.84).contains(&on.shield_hit_ratio()), "{}", on.shield_hit_ratio());
    let load = origin_load(60_000.0, on.edge_hit_ratio(), on.shield_hit_ratio());
    assert!(close(load, 60_000.0 * on.origin_share(), 1e-6), "miss ratios multiply");
    assert!((900.0..1_500.0).contains(&load), "about 1,200: {load}");
    let html = w.view();
    assert!(html.contains("at most 1,500 ÷ 60,000 = 2.5% of requests may reach it: h₁ ≥ 97.5% without a shield"), "{html}");
    assert!(html.contains("edge = 60,000 × 80 KB = 4.8 GB/s ≈ 38.4 Gbps"));
    assert!(html.contains(&format!("= 60,000 × (1 − {}) ≈ {}", number(off.edge_hit_ratio(), 3), view::per_s(60_000.0 * off.origin_share()))));
    let mut w = w;
    w.update("shield", "on");
    let html = w.view();
    assert!(html.contains(&format!(
        "origin load = rate × (1 − h₁) × (1 − h₂) = 60,000 × (1 − {}) × (1 − {}) ≈ {}",
        number(on.edge_hit_ratio(), 3),
        number(on.shield_hit_ratio(), 3),
        view::per_s(load)
    )), "{html}");
    assert!(html.contains("or h₁ ≥ 1 − 2.5% ÷ (1 − "));

    // 4. Purge everything with 5,000 hot objects in each of 200 PoPs: up to 5,000 × 200 =
    //    1,000,000 origin fetches without a shield, about 5,000 with one (a shield holding the
    //    same 5,000); versioned names, 50 changed: 50 × 200 = 10,000 without, 50 with.
    assert!(html.contains("up to 5,000 × 200 = 1,000,000 origin fetches without a shield"));
    assert!(html.contains("versioned names → 50 × 200 = 10,000 without a shield, 50 with one"));
    let purge = widget("shield_cache: 5000");
    assert!((900_000.0..1_050_000.0).contains(&purge.runs[0].refill_origin), "{}", purge.runs[0].refill_origin);
    assert!((4_500.0..5_100.0).contains(&purge.runs[1].refill_origin), "{}", purge.runs[1].refill_origin);
    let versioned = widget("invalidation: versioned");
    assert!((9_000.0..10_100.0).contains(&versioned.runs[0].refill_origin), "{}", versioned.runs[0].refill_origin);
    assert!(close(versioned.runs[1].refill_origin, 50.0, 0.5), "{}", versioned.runs[1].refill_origin);
}

#[test]
fn push_of_the_top_k_hits_as_the_harmonic_numbers_say() {
    // Pushing the top K objects to every PoP, with no pull cache: a request hits exactly when
    // it is for one of them, which happens with probability H(K, s) ÷ H(N, s).
    let h = |n: u32, s: f64| (1..=n).map(|i| f64::from(i).powf(-s)).sum::<f64>();
    for (n, k, s) in [(1_000u32, 100u32, 1.0), (5_000, 500, 0.8), (2_000, 50, 1.2)] {
        let theory = h(k, s) / h(n, s);
        let w = widget(&format!("delivery: push\nobjects: {n}\npush_top: {k}\ncache: 0\nzipf: {s}\nchanged: 0"));
        let run = w.run();
        let got = ratio(run.raw.edge_hits, run.raw.requests);
        // About 20,000 requests: the standard error is under 0.004.
        assert!(close(got, theory, 0.015), "K={k} N={n} s={s}: {got} vs {theory}");
        assert!(close(run.total.edge_hit_ratio(), got, 1e-9), "every miss is a capacity miss (×k)");
        assert_eq!(run.raw.storage, 0, "pushed copies never expire within a year");
    }
    // H(100, 1) ÷ H(1,000, 1) = 5.187 ÷ 7.485 = 0.693.
    assert!(close(h(100, 1.0) / h(1_000, 1.0), 0.693, 0.001));
    // The whole catalogue pushed: everything hits, the origin sees nothing, and a purge sends
    // the refill to CDN storage instead.
    let w = widget("delivery: push\ninvalidation: purge-all");
    for run in &w.runs {
        assert_eq!(run.raw.origin, 0);
        assert!(run.raw.storage > 0);
        assert_eq!(run.pre.misses, 0.0);
    }
}

#[test]
fn purge_and_versioned_urls_refetch_only_what_they_drop() {
    // EXACT: caches hold everything, so nothing misses before the update. After it, each
    // strategy's misses are the distinct (PoP, object) pairs it invalidated that are asked for.
    let base = widget(EXACT);
    let after: Vec<Arrival> = requests(&base).into_iter().filter(|a| a.at >= 500.0).collect();
    let pairs = |changed_only: bool| after.iter().filter(|a| !changed_only || a.obj < 20).map(|a| (a.pop, a.obj)).collect::<HashSet<_>>().len() as u32;
    let objects = |changed_only: bool| after.iter().filter(|a| !changed_only || a.obj < 20).map(|a| a.obj).collect::<HashSet<_>>().len() as u32;
    for inval in ["purge", "versioned"] {
        let w = widget_with(EXACT, &format!("invalidation: {inval}"));
        assert_eq!(w.runs[0].raw.origin, pairs(true), "{inval}: once per PoP without a shield");
        assert_eq!(w.runs[1].raw.origin, objects(true), "{inval}: once per object with a shield");
        assert!(close(w.runs[1].refill_origin, f64::from(objects(true)), 1e-9));
        assert_eq!(w.runs[0].raw.stale, 0);
        assert_eq!(w.runs[0].pre.misses, 0.0);
    }
    let all = widget_with(EXACT, "invalidation: purge-all");
    assert_eq!(all.runs[0].raw.origin, pairs(false));
    assert_eq!(all.runs[1].raw.origin, objects(false));
    assert!(pairs(false) > 5 * pairs(true), "purging everything refetches far more");
    // Waiting for the TTL refetches nothing but serves every request for a changed object stale.
    let ttl = widget_with(EXACT, "invalidation: ttl");
    assert_eq!(ttl.runs[0].raw.origin, 0);
    assert_eq!(ttl.runs[0].raw.stale as usize, after.iter().filter(|a| a.obj < 20).count());
}

#[test]
fn waiting_for_the_ttl_serves_stale_only_until_it_runs_out() {
    // TTL 120 s, update at 500 s: every copy of the old version expires by 620 s. Chart bins are
    // 1,000 ÷ 60 = 16.7 s wide; bin 38 starts at 633 s.
    let w = widget_with(EXACT, "ttl: 120\ninvalidation: ttl");
    for run in &w.runs {
        assert!(run.raw.stale > 0);
        assert!(run.bins[38..].iter().all(|b| b.stale == 0.0));
        assert!(run.bins[..30].iter().all(|b| b.stale == 0.0), "nothing is stale before the update");
    }
    assert!(w.view().contains("until their TTL (120 s) runs out"));
    for inval in ["purge", "purge-all", "versioned"] {
        assert_eq!(widget_with(EXACT, &format!("ttl: 120\ninvalidation: {inval}")).runs[0].raw.stale, 0, "{inval}");
    }
}

#[test]
fn weights_are_one_when_every_request_is_simulated() {
    let w = Weights { k: 1.0, ttl: 300.0, duration: 900.0 };
    let [(a, t), (b, _)] = w.weigh(Kind::First(100.0), 0.5, 250.0);
    assert!(close(a, 1.0, 1e-9) && close(t, 250.0, 1e-6) && b == 0.0, "{a} {t}");
    let k = Weights { k: 100.0, ttl: 0.0, duration: 900.0 };
    // TTL 0: a refresh cycle is 1/r in reality and k/r in the sample, so a miss stands for k.
    let [(a, _), (b, _)] = k.weigh(Kind::Expired(10.0), 0.01, 500.0);
    assert!(close(a + b, 100.0, 1e-9));
    assert_eq!(k.weigh(Kind::Evicted, 5.0, 42.0), [(100.0, 42.0), (0.0, 42.0)]);
    // A popular object (r W = 20 × 800 = 16,000 ≫ k): its first fetch after an event counts
    // once, and comes within about 1/r of the event.
    let [(a, t), _] = k.weigh(Kind::First(100.0), 20.0, 110.0);
    assert!(close(a, 1.0, 1e-6) && t < 100.5, "{a} {t}");
    // A rare one (r W = 0.001 × 800 = 0.8): it stands for almost k.
    let [(a, _), _] = k.weigh(Kind::First(100.0), 0.001, 400.0);
    assert!((60.0..100.0).contains(&a), "{a}");
}

#[test]
fn shield_and_pops_change_what_the_origin_sees() {
    // Without a shield each PoP refetches the purged objects itself; with one, once in all.
    let w = widget("");
    assert!(w.runs[0].refill_origin > 50.0 * w.runs[1].refill_origin);
    // Fewer PoPs, fewer refetches (5,000 × 10 = 50,000 at most).
    let few = widget("pops: 10");
    assert!(few.runs[0].refill_origin < 50_000.0 && few.runs[0].refill_origin > 40_000.0, "{}", few.runs[0].refill_origin);
    // A shorter TTL lowers the edge hit ratio at peak.
    assert!(widget("ttl: 60").runs[0].pre.edge_hit_ratio() < w.runs[0].pre.edge_hit_ratio() - 0.02);
}

#[test]
fn quiz_configs_show_the_expected_answers() {
    // /tmp/quiz-cdn.yaml, cdn-shield-peak-origin: turning the shield on at peak takes the
    // origin from about 5,300 to about 1,100 req/s, under its 3,000.
    let w = widget("shield: on");
    let shown = |w: &Cdn| 60_000.0 * w.steady().origin_share();
    assert!((900.0..1_400.0).contains(&shown(&w)), "{}", shown(&w));
    assert!(w.view().contains(&format!("origin load <strong>{}</strong>", view::per_s(shown(&w)))));
    let off = widget("shield: off");
    assert!((4_500.0..6_000.0).contains(&shown(&off)), "{}", shown(&off));
    // cdn-versioned-refill: with a shield, versioned names cost about 50 origin fetches, purge
    // everything about 10,000 (one per object the shield held).
    let v = widget("shield: on\ninvalidation: versioned");
    assert!(close(v.run().refill_origin, 50.0, 1.0));
    assert!((9_000.0..10_100.0).contains(&v.run().refill_edge), "50 × 200 edge misses: {}", v.run().refill_edge);
    assert!(v.view().contains("Refetches the update caused <strong>50</strong> at the origin"), "{}", v.view());
    let p = widget("shield: on\ninvalidation: purge-all");
    assert!((8_000.0..11_000.0).contains(&p.run().refill_origin), "{}", p.run().refill_origin);
    assert!(w.run().refill_origin > 100.0 * v.run().refill_origin);
}

#[test]
fn bad_parameters_are_refused_by_name() {
    for (bad, key) in [
        ("rate: 0", "rate"),
        ("rate: 1e6", "rate"),
        ("pops: 0", "pops"),
        ("pops: 501", "pops"),
        ("pops: 2.5", "pops"),
        ("objects: 0", "objects"),
        ("zipf: 2.1", "zipf"),
        ("zipf: -1", "zipf"),
        ("cache: -1", "cache"),
        ("shield_cache: lots", "shield_cache"),
        ("ttl: forever", "ttl"),
        ("duration: 5", "duration"),
        ("update_at: 1000", "update_at"),
        ("objects: 100\nchanged: 101", "changed"),
        ("objects: 100\npush_top: 101", "push_top"),
        ("rtt_edge_ms: 1001", "rtt_edge_ms"),
        ("rtt_origin_ms: -5", "rtt_origin_ms"),
        ("origin_ms: x", "origin_ms"),
        ("size_kb: 0", "size_kb"),
        ("origin_capacity: 0", "origin_capacity"),
        ("seed: 1.5", "seed"),
        ("shield: maybe", "shield"),
        ("delivery: carrier", "delivery"),
        ("start: lukewarm", "start"),
        ("invalidation: hope", "invalidation"),
        ("colour: red", "colour"),
    ] {
        let e = Cdn::from_params(&Params::parse(bad).unwrap()).err().unwrap_or_else(|| panic!("{bad} accepted"));
        assert_eq!(e.key.as_deref(), Some(key), "{bad}: {e}");
    }
    // The defaults: pushed objects default to the whole catalogue.
    assert_eq!(widget("objects: 300").cfg.v[PUSH_TOP], 300.0);
}

#[test]
fn round_trip_through_the_fragment() {
    let mut w = widget("pops: 20\nobjects: 3000");
    w.update("shield", "on");
    w.update("delivery", "push");
    w.update("push_top", "250");
    w.update("invalidation", "versioned");
    w.update("start", "cold");
    w.update("zipf", "0.85");
    w.update("ttl", "600");
    w.update("reseed", "");
    let (back, notice) = widget_core::restore::<Cdn>("", &w.to_params().to_fragment()).unwrap();
    assert!(notice.is_none());
    assert_eq!(back.cfg, w.cfg);
    assert_eq!(back.runs, w.runs);
    let strip = |s: String| s.split("<div class=\"w-log\">").next().unwrap().to_string();
    assert_eq!(strip(back.view()), strip(w.view()));
    assert_eq!(widget("").to_params().get("invalidation"), Some("purge-all"));
}

#[test]
fn events_change_the_run_and_log_in_words() {
    let mut w = widget("");
    let before = w.steady().origin_share();
    w.update("shield", "on");
    assert!(w.cfg.shield);
    assert!(w.steady().origin_share() < before / 3.0);
    assert!(w.log.latest().unwrap().starts_with("Origin shield on."), "{:?}", w.log.latest());
    w.update("invalidation", "ttl");
    assert!(w.log.latest().unwrap().contains("stale"), "{:?}", w.log.latest());
    assert!(w.run().total.stale > 0.0);
    w.update("delivery", "push");
    assert!(w.cfg.push);
    assert_eq!(w.run().raw.origin, 0, "the whole catalogue is pushed");
    // Shrinking the catalogue keeps "push everything" and the changed count inside it.
    w.update("objects", "40");
    assert_eq!((w.cfg.v[OBJECTS], w.cfg.v[PUSH_TOP], w.cfg.v[CHANGED]), (40.0, 40.0, 40.0));
    w.update("update_at", "600");
    assert_eq!(w.cfg.v[UPDATE_AT], 600.0);
    w.update("duration", "500");
    assert_eq!(w.cfg.v[DURATION], 900.0, "an update after the end is refused");
    assert_eq!(w.log.latest(), Some("Ignored: the update (600 s) must come by the end of the run (500 s)."));
}

#[test]
fn hostile_events_are_ignored() {
    let mut w = widget("");
    let cfg = w.cfg.clone();
    let long = "9".repeat(5000);
    for (ev, v) in [
        ("rate", "0"),
        ("rate", "-1"),
        ("rate", "1e9"),
        ("pops", "NaN"),
        ("pops", "2.5"),
        ("objects", ""),
        ("zipf", "<script>"),
        ("ttl", long.as_str()),
        ("changed", "999999"),
        ("push_top", "13000"),
        ("seed", "-3"),
        ("shield", "maybe"),
        ("delivery", ""),
        ("start", "tepid"),
        ("invalidation", "<b>x</b>"),
        ("", ""),
        ("unknown", "1"),
        ("update_at", "∞"),
    ] {
        w.update(ev, v);
    }
    assert_eq!(w.cfg, cfg);
    assert!(w.log.latest().unwrap().starts_with("Ignored"), "{:?}", w.log.latest());
    let html = w.view();
    assert!(!html.contains("<script>") && !html.contains("<b>x"));
}

#[test]
fn view_has_controls_charts_formulas_and_sources() {
    let html = widget("").view();
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("viewBox=\"0 0 400 184\"") && html.contains("<title>") && html.contains("role=\"img\""));
    assert!(!html.contains("<svg width"));
    for ev in ["shield", "delivery", "start", "invalidation", "reseed"] {
        assert!(html.contains(&format!("data-ev=\"{ev}\"")), "{ev}");
    }
    for f in FIELDS {
        assert!(html.contains(&format!("data-ev=\"{}\"", f.key)), "{}", f.key);
    }
    for text in ["h₁ = 1 − edge misses ÷ requests", "offload = 1 − origin ÷ requests", "mean = user–edge RTT", "Simulated 1 in 2,700 requests", "INFOCOM 1999", "retrieved 2026", "RFC 9111, 2022", "polyline"] {
        assert!(html.contains(text), "{text}");
    }
}

#[test]
fn same_config_same_markup() {
    assert_eq!(widget("seed: 3").view(), widget("seed: 3").view());
    assert_ne!(widget("seed: 3").runs[0], widget("seed: 4").runs[0]);
    assert!(widget("").view().contains("<svg"), "an empty block draws the charts");
}

#[test]
fn the_largest_run_stays_bounded() {
    let w = widget("pops: 500\nobjects: 100000\ncache: 100000\nshield_cache: 100000\nrate: 10000000\nduration: 86400\nupdate_at: 100\nchanged: 100000\nstart: cold");
    for run in &w.runs {
        assert!(run.raw.requests as usize <= MAX_ARRIVALS);
        assert!(run.total.requests.is_finite() && run.total.origin.is_finite());
    }
    let w = widget("delivery: push\npops: 500\nobjects: 100000\npush_top: 50000\nzipf: 0\ninvalidation: purge");
    assert!(w.view().contains("<svg"));
}

