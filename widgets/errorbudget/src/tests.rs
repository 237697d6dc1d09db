//! Tests: every formula against hand arithmetic, a brute-force check of detection times, and
//! the contract (parameters, round trip, hostile events, view, quiz answers).

use super::*;

fn widget(config: &str) -> ErrorBudget {
    ErrorBudget::from_params(&Params::parse(config).unwrap()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

#[test]
fn workbook_thresholds_spend_2_5_and_10_percent_of_a_30_day_budget() {
    // burn × long window ÷ window: 14.4 × 1 h ÷ 720 h = 0.02; 6 × 6 ÷ 720 = 0.05; 1 × 72 ÷ 720 = 0.1.
    let w = 30.0 * 24.0;
    assert!(close(budget_share(&ALERTS[0], w), 0.02));
    assert!(close(budget_share(&ALERTS[1], w), 0.05));
    assert!(close(budget_share(&ALERTS[2], w), 0.10));
    // Short windows are 1/12 of the long ones: 5 min, 30 min, 6 h.
    for a in &ALERTS {
        assert!(close(a.short_h * 12.0, a.long_h), "{}", a.name);
    }
    // Over 28 days (672 h) the same burn rates spend 14.4/672 = 2.142857%.
    assert!(close(budget_share(&ALERTS[0], 672.0), 14.4 / 672.0));
}

#[test]
fn budget_in_requests_and_minutes() {
    // 99.9% of 100 req/s over 30 days: 0.001 × 100 × 2,592,000 s = 259,200 bad requests;
    // a full outage of 0.001 × 43,200 min = 43.2 min. Over 28 days: 40.32 min.
    let w = widget("");
    assert!(close(w.budget(), 0.001));
    assert!(close(w.allowed_bad(), 259_200.0));
    assert!(close(w.outage_minutes(), 43.2));
    assert!(close(widget("window_days: 28").outage_minutes(), 40.32));
    let html = w.view();
    assert!(html.contains("259,200"), "{html}");
    assert!(html.contains("43.2 min"));
}

#[test]
fn default_incident_burns_20x_and_fires_each_alert_on_time() {
    // 2% errors at a 0.1% budget: burn rate 20. Six hours spend 0.02 × 6 ÷ (0.001 × 720) = 1/6.
    // Detection: 1 h × 0.0144 ÷ 0.02 = 0.72 h (43.2 min); 6 h × 0.006 ÷ 0.02 = 1.8 h;
    // 72 h × 0.001 ÷ 0.02 = 3.6 h. The budget would last 720 ÷ 20 = 36 h > 6 h: not exhausted.
    let w = widget("");
    assert!(close(w.burn_rate(), 20.0));
    assert!(close(w.spent(), 1.0 / 6.0));
    assert!(close(w.detect_after(&ALERTS[0]).unwrap(), 0.72));
    assert!(close(w.detect_after(&ALERTS[1]).unwrap(), 1.8));
    assert!(close(w.detect_after(&ALERTS[2]).unwrap(), 3.6));
    assert_eq!(w.exhausted_after(), None);
    // Reset of the fast page: 5 min × (1 − 0.0144/0.02) = 1.4 min; the hour window alone 16.8 min.
    let (reset, long) = w.reset_after(&ALERTS[0]);
    assert!(close(reset * 60.0, 1.4) && close(long * 60.0, 16.8));
    let html = w.view();
    for s in ["43.2 min", "1.8 h", "3.6 h", "16.67%", "20×", "1 h × 0.0144 ÷ 0.02 = 43.2 min", "14.4 × 1 h ÷ 720 h = 2%", "14.4 × 0.001 = 0.0144"] {
        assert!(html.contains(s), "{s} missing");
    }
}

#[test]
fn detection_agrees_with_a_brute_force_sliding_window() {
    // Step through the incident every 3.6 s, computing the error ratio over each window, and
    // check the first instant both windows reach the threshold against L × k × b / e.
    for cfg in ["", "incident_error_pct: 100\nincident_hours: 1", "incident_error_pct: 0.8\nincident_hours: 20", "slo: 99\nincident_error_pct: 30"] {
        let w = widget(cfg);
        let e = w.error_pct / 100.0;
        let ratio = |t: f64, win: f64| e * (t.min(win)) / win; // t hours since the start, t ≤ incident length
        for a in &ALERTS {
            let trip = w.trip_ratio(a);
            let mut fired = None;
            let mut t = 0.0;
            while t <= w.hours + 1e-9 {
                if ratio(t, a.long_h) >= trip - 1e-12 && ratio(t, a.short_h) >= trip - 1e-12 {
                    fired = Some(t);
                    break;
                }
                t += 0.001;
            }
            match (fired, w.detect_after(a)) {
                (Some(b), Some(f)) => assert!((b - f).abs() <= 0.0011, "{cfg} {}: {b} vs {f}", a.name),
                (None, None) => {}
                other => panic!("{cfg} {}: {other:?}", a.name),
            }
        }
    }
}

#[test]
fn full_outage_pages_in_under_a_minute_and_slow_burn_only_tickets() {
    // 100% errors: 1 h × 0.0144 ÷ 1 = 0.0144 h = 51.84 s. Budget gone after 0.72 h = 43.2 min.
    let w = widget("incident_error_pct: 100\nincident_hours: 2");
    assert!(close(w.detect_after(&ALERTS[0]).unwrap() * 3600.0, 51.84));
    assert!(close(w.exhausted_after().unwrap(), 0.72));
    assert!(w.view().contains("Budget gone"));
    // 0.5% errors (burn 5) for a day: below 6× and 14.4×, so no page; ticket after
    // 72 × 0.001 ÷ 0.005 = 14.4 h.
    let w = widget("incident_error_pct: 0.5\nincident_hours: 24");
    assert_eq!(w.detect_after(&ALERTS[0]), None);
    assert_eq!(w.detect_after(&ALERTS[1]), None);
    assert!(close(w.detect_after(&ALERTS[2]).unwrap(), 14.4));
    assert!(w.view().contains("Never: 0.5% errors is below 0.6%."));
    // At a 90% SLO the fast page needs 14.4 × 10% = 144% errors: it can never fire.
    let w = widget("slo: 90\nincident_error_pct: 100");
    assert_eq!(w.detect_after(&ALERTS[0]), None);
    assert!(w.view().contains("needs over 100% errors: never"));
}

#[test]
fn budget_runs_out_and_the_chart_follows() {
    // 5% errors for 20 h: budget lasts 0.001 × 720 ÷ 0.05 = 14.4 h; spent 0.05 × 20 ÷ 0.72 = 138.9%.
    let w = widget("incident_error_pct: 5\nincident_hours: 20\nincident_start_h: 100");
    assert!(close(w.exhausted_after().unwrap(), 14.4));
    assert!(close(w.spent(), 1.0 / 0.72));
    assert!(close(w.remaining_at(50.0), 1.0) && close(w.remaining_at(107.2), 0.5));
    let html = w.view();
    assert!(html.contains("the budget is gone 14.4 h after it starts"), "{html}");
    assert!(html.contains("<title>") && html.contains("viewBox=\"0 0 440 166.0\"") && !html.contains("width=\"440\""));
}

#[test]
fn bad_parameters_name_the_problem() {
    for (bad, key) in [
        ("slo: 100", "slo"),
        ("slo: 80", "slo"),
        ("window_days: 31", "window_days"),
        ("rps: 0", "rps"),
        ("incident_error_pct: 101", "incident_error_pct"),
        ("incident_start_h: 720", "incident_start_h"),
        ("incident_start_h: 700\nincident_hours: 30", "incident_hours"),
        ("incident_hours: 0", "incident_hours"),
        ("colour: red", "colour"),
    ] {
        let err = ErrorBudget::from_params(&Params::parse(bad).unwrap()).unwrap_err();
        assert_eq!(err.key.as_deref(), Some(key), "{bad}: {err}");
    }
    assert!(ErrorBudget::from_params(&Params::parse("incident_start_h: 666\nincident_hours: 6\nwindow_days: 28").unwrap()).is_ok());
}

#[test]
fn state_round_trips_and_views_are_deterministic() {
    let mut w = widget("slo: 99.95\nrps: 1234.5");
    w.update("error", "3.25");
    w.update("start", "500.5");
    w.update("window", "28");
    let fragment = w.to_params().to_fragment();
    let (back, notice) = widget_core::restore::<ErrorBudget>("", &fragment).unwrap();
    assert!(notice.is_none());
    assert_eq!((back.slo, back.window_days, back.rps, back.error_pct, back.start_h, back.hours), (w.slo, w.window_days, w.rps, w.error_pct, w.start_h, w.hours));
    assert_eq!(widget("").view(), widget("").view());
    let mut fresh = widget("");
    fresh.log = Log::default();
    let rebuilt = ErrorBudget::from_params(&fresh.to_params()).unwrap();
    assert_eq!(rebuilt.view(), fresh.view());
}

#[test]
fn hostile_events_are_ignored_or_clamped() {
    let mut w = widget("");
    let before = w.clone();
    for (ev, v) in [("slo", "100"), ("slo", "<script>"), ("rps", "1e9"), ("error", "-1"), ("error", ""), ("window", "29"), ("start", "99999999999999999999"), ("hours", "NaN"), ("bogus", "1"), ("hours", "0")] {
        w.update(ev, v);
    }
    assert_eq!((w.slo, w.rps, w.error_pct, w.window_days, w.start_h, w.hours), (before.slo, before.rps, before.error_pct, before.window_days, before.start_h, before.hours));
    w.update("slo", "<script>");
    assert!(w.view().contains("Ignored `&lt;script&gt;`"), "ignored values are escaped in the log");
    // Shrinking the window pulls an incident at the end back inside it.
    let mut w = widget("incident_start_h: 700\nincident_hours: 20");
    w.update("window", "28");
    assert!(w.start_h + w.hours <= 672.0 + 1e-9 && w.hours > 0.0);
    assert!(ErrorBudget::from_params(&w.to_params()).is_ok());
    w.update("hours", "1000");
    assert!(w.start_h + w.hours <= 672.0 + 1e-9);
}

#[test]
fn quiz_answers_hold_for_their_exact_configs() {
    // /tmp/quiz-errorbudget.yaml, slo-full-outage-page-time: 100% errors, 1 h. The fast page
    // fires after 1 h × 14.4 × 0.001 ÷ 1 = 0.0144 h = 51.84 s, not after 5 min or 1 h.
    let w = widget("slo: 99.9\nwindow_days: 30\nincident_error_pct: 100\nincident_hours: 1");
    let first = w.detect_after(&ALERTS[0]).unwrap() * 3600.0;
    assert!(first < 60.0 && close(first, 51.84));
    assert!(w.view().contains("Fires after <strong>51.8 s</strong>"));
    // slo-slow-burn-ticket-only: 0.5% errors for 24 h is burn 5, under 6 and 14.4, so no page;
    // the ticket fires after 72 × 0.001 ÷ 0.005 = 14.4 h; the day spends 0.005 × 24 ÷ 0.72 = 16.67%.
    let w = widget("slo: 99.9\nwindow_days: 30\nincident_error_pct: 0.5\nincident_hours: 24");
    assert_eq!((w.detect_after(&ALERTS[0]), w.detect_after(&ALERTS[1])), (None, None));
    assert!(close(w.detect_after(&ALERTS[2]).unwrap(), 14.4));
    let html = w.view();
    assert!(html.contains("Fires after <strong>14.4 h</strong>") && html.contains("16.67%"), "{html}");
}

#[test]
fn events_log_in_words() {
    let mut w = widget("");
    w.update("error", "100");
    let line = w.log.latest().unwrap();
    assert!(line.starts_with("Incident error rate 100%: burn rate 1,000×"), "{line}");
    assert!(line.contains("Page 1 h after 51.8 s"), "{line}");
    w.update("error", "0");
    assert!(w.log.latest().unwrap().contains("no alert fires"));
}
