//! Tests: hand-computed runs (exact arrivals), the cascade with and without the breaker, the
//! contract (parameters, round trip, hostile events, view), and the quiz answers.

use super::*;
use run::{Config, State, p99_rank};

fn widget(config: &str) -> Breaker {
    Breaker::from_params(&Params::parse(config).unwrap()).unwrap()
}

/// The widget's configuration with exact arrivals (k / rate), for hand-computed cases.
fn exact(config: &str, on: bool) -> Run {
    let mut c: Config = widget(config).config(on);
    c.jitter = false;
    run::run(&c)
}

fn near(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn nearest_rank_percentile() {
    // ⌈0.99 × 100⌉ = 99, ⌈0.99 × 3,025⌉ = ⌈2,994.75⌉ = 2,995, ⌈0.99 × 1⌉ = 1.
    assert_eq!((p99_rank(100), p99_rank(3025), p99_rank(1)), (99, 2995, 1));
}

#[test]
fn a_healthy_dependency_matches_littles_law_and_never_trips() {
    // No slowdown, 5% failures: a window of 20 with ≥ 10 failures is vanishingly rare.
    // Threads busy = 50/s × 0.1 s (mean latency) + 20/s × 0.05 s = 5 + 1 = 6.
    let w = widget("slow_for: 0\nduration: 120");
    for r in [&w.off_run, &w.on_run] {
        assert!(near(r.mean_busy, 6.0, 0.25), "busy {}", r.mean_busy);
        assert!(near(r.success(), 0.95, 0.015), "success {}", r.success());
        assert_eq!(r.arrows, [0, 0, 0, 0]);
        assert_eq!(r.counts[Outcome::PoolFull as usize] + r.counts[Outcome::TimedOut as usize], 0);
        // Latency 50 to 150 ms, mean 100 ms; p99 near the top of the range.
        assert!(near(r.mean_ms, 100.0, 3.0) && r.p99_ms > 140.0 && r.p99_ms <= 150.0, "{} {}", r.mean_ms, r.p99_ms);
    }
    assert_eq!(w.off_run, w.on_run, "a breaker that never trips changes nothing");
}

#[test]
fn breaker_opens_probes_and_reopens_on_a_dead_dependency() {
    // 10 calls/s at exactly k × 0.1 s, each failing after 0.5 to 1.5 ms. Window 4, threshold 50%:
    // the 4th failure (call 3, sent at 0.3 s) opens it at about 0.301 s. Open for 1 s → half-open
    // at about 1.301; the next call (1.4 s) is the single probe, fails by 1.4015 → open again;
    // half-open at about 2.4015, probe at 2.5, and so on every 1.1 s: probes at 1.4, 2.5, 3.6, 4.7,
    // 5.8, 6.9, 8.0 and 9.1 s (10.2 is past the end). So 4 + 8 = 12 calls reach the dependency,
    // all fail, and the other 88 of 100 are rejected.
    let cfg = "rps: 10\nother_rps: 0\nlatency_ms: 1\nfail_pct: 100\nslow_for: 0\nwindow: 4\nthreshold_pct: 50\nopen_s: 1\nprobes: 1\nduration: 10\nat: 5";
    let r = exact(cfg, true);
    assert_eq!(r.sent, 100);
    assert_eq!(r.counts, [0, 12, 0, 88, 0]);
    assert_eq!(r.arrows, [1, 8, 0, 8], "opened once, 8 half-opens, each probe failed");
    let (t_open, s) = r.transitions[1];
    assert!(s == State::Open && t_open > 0.3005 && t_open < 0.3016, "{t_open}");
    assert_eq!(r.state_at(1.0), State::Open);
    assert_eq!(r.state_at(1.35), State::HalfOpen);
    // With the breaker off all 100 calls reach it and fail.
    let r = exact(cfg, false);
    assert_eq!(r.counts, [0, 100, 0, 0, 0]);
}

#[test]
fn threshold_is_inclusive_and_needs_a_full_window() {
    // Window 4, threshold 50%: a window needs 2 failures of 4 to open (2 × 100 ≥ 50 × 4).
    // Every call fails with fail_pct 100, so it opens at the 4th completion, not the 2nd:
    // the window is not full before then.
    let r = exact("rps: 10\nother_rps: 0\nlatency_ms: 1\nfail_pct: 100\nslow_for: 0\nwindow: 4\nduration: 10\nat: 1\nopen_s: 60", true);
    assert!(r.transitions[1].0 > 0.3, "opened at {}", r.transitions[1].0);
    assert_eq!(r.counts[Outcome::Failed as usize], 4);
}

#[test]
fn the_pool_fills_without_the_breaker_and_recovers_with_it() {
    // Default run: 50 calls/s; from 10 s to 30 s each call times out after 1 s, so it needs
    // 50 × 1 = 50 threads (+ 1 for other work) against a pool of 20 (Little's law).
    let w = widget("");
    let (off, on) = (&w.off_run, &w.on_run);
    assert_eq!(off.peak, 20);
    // Off: the pool is full for most of the 20 s slowdown, and the caller's other requests,
    // which never touch the dependency, mostly fail. A freed thread goes to whichever request
    // comes next: about 50 calls holding 1 s each for 20 others holding 0.05 s each, so others
    // keep roughly x of 20 threads-seconds where 20 = 50 × 1 × share + ... ≈ a third served.
    assert!(off.full_s > 12.0 && off.full_s < 20.0, "full {}", off.full_s);
    let off_other = ratio(off.other_slow_ok, off.other_slow_sent);
    assert!(off_other > 0.2 && off_other < 0.5, "{off_other}");
    assert_eq!(off.counts[Outcome::Rejected as usize], 0);
    // On: it opens after the first 10 timeouts (window 20, 50%), about 1.2 s into the slowdown,
    // calls fail fast and the other requests are served.
    let (t_open, _) = on.transitions[1];
    assert!(t_open > 11.0 && t_open < 11.5, "{t_open}");
    assert!(ratio(on.other_slow_ok, on.other_slow_sent) > 0.9);
    assert!(on.full_s < 2.0 && on.mean_busy < off.mean_busy / 2.0);
    assert!(on.slow_reached < off.slow_reached / 5, "the slow dependency is spared");
    assert!(on.mean_ms < off.mean_ms / 2.0);
    // Recovery: the slowdown ends at 30 s; probes sent before then time out (≤ 31 s), so the last
    // opening ends by 31 + 5 = 36 s, and healthy probes close it within a few hundred ms.
    let (t_close, s) = *on.transitions.last().unwrap();
    assert!(s == State::Closed && t_close > 30.0 && t_close < 36.5, "{t_close}");
    assert_eq!(on.state_at(50.0), State::Closed);
}

#[test]
fn a_long_timeout_makes_the_cascade_worse() {
    // With a 10 s timeout each stuck call holds a thread ten times longer: the pool stays full
    // well after the dependency recovers at 30 s (calls sent at 29.9 s hold threads until 32.9 s).
    let short_t = widget("breaker: off");
    let long_t = widget("breaker: off\ntimeout_ms: 10000");
    assert!(long_t.off_run.full_s > short_t.off_run.full_s);
    assert!(long_t.off_run.p99_ms > 2000.0, "p99 is the slow latency itself: {}", long_t.off_run.p99_ms);
    // And the breaker cannot help: calls of 1.5 to 4.5 s under a 10 s timeout succeed, so the
    // failure rate stays near 5% and it never opens, while threads pile up all the same.
    assert_eq!(long_t.on_run.arrows[0], 0);
    assert_eq!(long_t.on_run, long_t.off_run);
    assert!(long_t.view().contains("The breaker never opened"));
    assert!(!short_t.view().contains("The breaker never opened"));
}

#[test]
fn runs_are_deterministic_and_seeded() {
    assert_eq!(widget("").view(), widget("").view());
    assert_ne!(widget("seed: 2").off_run, widget("").off_run);
    // The largest run stays within its event budget.
    let w = widget("rps: 100\nother_rps: 50\nduration: 120\nslow_for: 120\nslow_at: 0");
    assert!(w.off_run.events < 40_000 && w.on_run.events < 40_000, "{}", w.off_run.events);
}

#[test]
fn view_shows_the_state_the_numbers_and_their_formulas() {
    let html = widget("at: 20").view();
    for s in [
        "Open (now)",
        "At 20 s the breaker is <strong>open</strong>",
        "50 /s × min(3000, 1000) ms + 20 /s × 50 ms = 51",
        "Normally: 50 /s × 100 ms + 1 = 6 threads",
        "at least 10 failed or timed out",
        "≥ 50% of last 20 calls failed (1×)",
        "<title>",
        "data-ev=\"breaker\"",
        "type=\"range\" data-ev=\"at\"",
        "Release It! (2007)",
    ] {
        assert!(html.contains(s), "{s} missing");
    }
    assert!(widget("at: 17").view().contains("Half-open (now)"));
    assert!(widget("at: 5").view().contains("Closed (now)"));
    let off = widget("breaker: off").view();
    assert!(off.contains("Breaker off: every call goes to the dependency") && !off.contains("(now)"));
    assert!(!html.contains("width=\"440\""), "the SVGs scale");
}

#[test]
fn bad_parameters_name_the_problem() {
    for (bad, key) in [
        ("rps: 0", "rps"),
        ("rps: 101", "rps"),
        ("pool: 2.5", "pool"),
        ("window: 1", "window"),
        ("probes: 0", "probes"),
        ("threshold_pct: 0", "threshold_pct"),
        ("breaker: maybe", "breaker"),
        ("seed: -1", "seed"),
        ("duration: 30\nat: 40", "at"),
        ("duration: 20\nslow_at: 25", "slow_at"),
        ("timeout_ms: 5", "timeout_ms"),
        ("colour: red", "colour"),
    ] {
        let err = Breaker::from_params(&Params::parse(bad).unwrap()).unwrap_err();
        assert_eq!(err.key.as_deref(), Some(key), "{bad}: {err}");
    }
}

#[test]
fn state_round_trips_through_the_fragment() {
    let mut w = widget("");
    for (ev, v) in [("breaker", "off"), ("timeout_ms", "2500"), ("pool", "35"), ("open_s", "2.5"), ("at", "41"), ("reseed", "")] {
        w.update(ev, v);
    }
    let fragment = w.to_params().to_fragment();
    let (back, notice) = widget_core::restore::<Breaker>("", &fragment).unwrap();
    assert!(notice.is_none());
    assert_eq!((back.values, back.on, back.seed), (w.values, w.on, w.seed));
    assert_eq!(back.off_run, w.off_run);
    let mut fresh = w;
    fresh.log = Log::default();
    assert_eq!(Breaker::from_params(&fresh.to_params()).unwrap().view(), fresh.view());
}

#[test]
fn hostile_events_are_ignored() {
    let mut w = widget("");
    let before = (w.values, w.on, w.seed);
    for (ev, v) in [
        ("rps", "1e9"),
        ("rps", "-5"),
        ("pool", "2.5"),
        ("pool", ""),
        ("breaker", "<script>"),
        ("seed", "99999999999999"),
        ("at", "61"),
        ("duration", "NaN"),
        ("nonsense", "1"),
        ("", ""),
        ("window", "999999999999999999999"),
    ] {
        w.update(ev, v);
    }
    assert_eq!((w.values, w.on, w.seed), before);
    w.update("slow_ms", "<b>x</b>");
    assert!(w.view().contains("Ignored `&lt;b&gt;x&lt;/b&gt;`"));
    // Shortening the run pulls the slowdown start and the time shown inside it.
    w.update("duration", "15");
    assert_eq!((w.get("slow_at"), w.get("at")), (10.0, 15.0));
    assert!(Breaker::from_params(&w.to_params()).is_ok());
}

#[test]
fn events_rerun_and_log_the_comparison() {
    let mut w = widget("");
    w.update("breaker", "off");
    assert!(!w.on);
    let line = w.log.latest().unwrap().to_string();
    assert!(line.starts_with("Breaker off: other requests served during the slowdown:"), "{line}");
    w.update("slow_for", "0");
    assert_eq!(w.off_run.counts[Outcome::TimedOut as usize], 0);
    w.update("at", "5");
    assert!(w.log.latest().unwrap().starts_with("At 5 s the breaker is not in the path"));
}

#[test]
fn quiz_answers_hold_for_their_exact_configs() {
    // breaker-cascade-other-requests (breaker: off): fewer than half of the other requests are
    // served during the slowdown, although none of them calls the dependency.
    let w = widget("breaker: off");
    let served = ratio(w.off_run.other_slow_ok, w.off_run.other_slow_sent);
    assert!(served < 0.5 && served > 0.2, "{served}");
    assert!(w.view().contains("34.8%"), "the number the explanation quotes");
    // "the pool recovers about a second after the dependency does": by 32 s threads are free.
    assert_eq!(w.off_run.buckets[29].peak, 20, "full just before 30 s");
    assert!(w.off_run.buckets[32].peak < 20, "free again at 32 s: {}", w.off_run.buckets[32].peak);
    // breaker-recovery-delay (breaker: on): the slowdown ends at 30 s; the breaker closes a few
    // seconds later (it waits out its open period, then 3 probes succeed), not at 30 s.
    let w = widget("breaker: on\nat: 32");
    let (t_close, _) = *w.on_run.transitions.last().unwrap();
    assert!(t_close > 34.0 && t_close < 35.0, "about 34.4 s: {t_close}");
    assert_eq!(w.on_run.state_at(32.0), State::Open);
    // Half-open at about 16, 22 and 28 s (each probe timed out while the dependency was slow).
    let half: Vec<f64> = w.on_run.transitions.iter().filter(|t| t.1 == State::HalfOpen).map(|t| t.0).collect();
    assert_eq!(half.len(), 4);
    for (t, want) in half.iter().zip([16.0, 22.0, 28.0, 34.0]) {
        assert!(near(*t, want, 0.5), "{t} vs {want}");
    }
    assert!(w.view().contains("At 32 s the breaker is <strong>open</strong>"));
}
