use super::*;

fn widget(config: &str) -> Capacity {
    Capacity::from_params(&Params::parse(config).unwrap()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// The view without the log, which records how a state was reached rather than the state.
fn without_log(html: &str) -> String {
    let start = html.find("<div class=\"w-log\">").unwrap();
    let end = start + html[start..].find("</div>").unwrap();
    format!("{}{}", &html[..start], &html[end..])
}

const SECOND: &str = "peak_qps: 50000\nread_pct: 80\navg_pct: 25\nserver_qps: 2000\nutil_pct: 50\nspares: 2\nprimary_writes: 3000\nreplica_reads: 1500\nhit_pct: 90\ncache_gb: 100\nnode_gb: 13\nstorage_tb: 10\nreplication: 2\nvm_hour: 0.1\ndb_hour: 0.2\ncache_hour: 0.25\ngb_month: 0.05";

#[test]
fn default_plan_matches_hand_computation() {
    let p = widget("").a.plan();
    // reads = 10,000 × 90% = 9,000; writes = 1,000.
    assert!(close(p.reads, 9000.0) && close(p.writes, 1000.0));
    // 10,000 ÷ (1,000 × 0.7) = 14.2857 → 15, plus 1 spare = 16.
    assert!(close(p.app_exact, 10_000.0 / 700.0));
    assert_eq!(p.app_servers, 16.0);
    // ceil(1,000 ÷ 2,000) = ceil(0.5) = 1 primary.
    assert_eq!(p.primaries, 1.0);
    // 9,000 × 20% = 1,800 reads/s reach the database; ceil(1,800 ÷ 5,000) = 1 replica.
    assert!(close(p.db_reads, 1800.0));
    assert_eq!(p.replicas, 1.0);
    // ceil(20 ÷ 6.38) = ceil(3.13) = 4 nodes; 2 TB × 1,000 × 3 = 6,000 GB.
    assert_eq!(p.cache_nodes, 4.0);
    assert_eq!(p.stored_gb, 6000.0);
    // 16 × 0.0816 × 730 = 953.088; 2 × 0.168 × 730 = 245.28; 4 × 0.158 × 730 = 461.36; 6,000 × 0.08 = 480.
    assert!(close(p.app_cost, 953.088) && close(p.db_cost, 245.28) && close(p.cache_cost, 461.36) && close(p.storage_cost, 480.0));
    assert!(close(p.total, 2139.728));
    // 10,000 × 50% × 730 × 3,600 = 13,140,000,000 requests; 2,139.728 ÷ 13,140 = 0.162841.
    assert!(close(p.requests_month, 13_140_000_000.0));
    assert!(close(p.per_million, 2139.728 / 13_140.0));
}

#[test]
fn a_second_plan_matches_hand_computation() {
    let p = widget(SECOND).a.plan();
    // 50,000 ÷ (2,000 × 0.5) = 50 exactly (no rounding up), + 2 spares = 52.
    assert_eq!(p.app_servers, 52.0);
    // writes 10,000 ÷ 3,000 = 3.33 → 4 shards.
    assert_eq!(p.primaries, 4.0);
    // reads 40,000 × 10% = 4,000; ÷ 1,500 = 2.67 → 3 replicas.
    assert!(close(p.db_reads, 4000.0));
    assert_eq!(p.replicas, 3.0);
    // 100 ÷ 13 = 7.7 → 8 nodes; 10 TB × 1,000 × 2 = 20,000 GB.
    assert_eq!((p.cache_nodes, p.stored_gb), (8.0, 20_000.0));
    // 52 × 0.1 × 730 = 3,796; 7 × 0.2 × 730 = 1,022; 8 × 0.25 × 730 = 1,460; 20,000 × 0.05 = 1,000.
    assert!(close(p.app_cost, 3796.0) && close(p.db_cost, 1022.0) && close(p.cache_cost, 1460.0) && close(p.storage_cost, 1000.0));
    assert!(close(p.total, 7278.0));
    // 50,000 × 25% × 730 × 3,600 = 32,850 million requests; 7,278 ÷ 32,850 = 0.22155.
    assert!(close(p.requests_month, 32_850_000_000.0));
    assert!(close(p.per_million, 7278.0 / 32_850.0));
    let html = widget(SECOND).view();
    assert!(html.contains("$7,278.00") && html.contains("$0.2216"), "{html}");
}

#[test]
fn edges_round_and_floor_as_they_should() {
    // 3 ÷ (1 × 0.3) is 10.000000000000002 in floating point: still 10 servers, not 11.
    assert_eq!(widget("peak_qps: 3\nserver_qps: 1\nutil_pct: 30\nspares: 0").a.plan().app_servers, 10.0);
    assert_eq!(widget("peak_qps: 7000\nspares: 0").a.plan().app_servers, 10.0);
    assert_eq!(widget("peak_qps: 7001\nspares: 0").a.plan().app_servers, 11.0);
    // All reads: no writes, yet the data still needs one primary. All hits: no replicas.
    let p = widget("read_pct: 100\nhit_pct: 100\ncache_gb: 0\nstorage_tb: 0").a.plan();
    assert_eq!((p.writes, p.primaries, p.replicas, p.cache_nodes, p.stored_gb), (0.0, 1.0, 0.0, 0.0, 0.0));
    assert_eq!(ceil(2.0000001), 3.0);
    assert_eq!(plain(0.0816), "0.0816");
    assert_eq!(plain(100_000_000.0), "100000000");
    assert_eq!(money(-12.5), "−$12.50");
}

#[test]
fn the_view_shows_numbers_with_their_formulas_and_sources() {
    let html = widget("").view();
    for needle in [
        "ceil(10,000 ÷ (1,000 × 70%)) + 1 = ceil(14.2857) + 1 = 16",
        "max(1, ceil(1,000 writes/s ÷ 2,000)) = max(1, ceil(0.5)) = 1",
        "9,000 × (100% − 80%) = 1,800",
        "ceil(1,800 ÷ 5,000) = ceil(0.36) = 1",
        "ceil(20 GB ÷ 6.38 GB) = ceil(3.1348) = 4",
        "2 TB × 1,000 GB/TB × 3 copies = 6,000 GB",
        "16 × $0.0816/h × 730 h",
        "$953.09",
        "(1 + 1) × $0.168/h × 730 h",
        "6,000 GB × $0.08/GB-month",
        "$2,139.73",
        "13,140 million",
        "$0.1628",
        "June 2026",
        "Assumed, not verified",
        "<title>Design A, Design A: 16 app servers",
        "viewBox=\"0 0 320 236\"",
        "data-ev=\"set\" data-arg=\"peak_qps\"",
    ] {
        assert!(html.contains(needle) || html.contains(&widget_core::markup::escape(needle)), "missing {needle}");
    }
    assert!(!html.contains("<svg width") && !html.contains("b_peak_qps"), "no fixed width; no B without comparison");
    assert_eq!(html, widget("").view(), "deterministic");
    let huge = widget("peak_qps: 100000000\nserver_qps: 1\nutil_pct: 5").view();
    assert!(huge.contains("(18 of 2,000,000,001 drawn)"), "the picture draws a bounded number of boxes");
}

#[test]
fn comparison_copies_a_into_b_and_tabulates_differences() {
    let mut w = widget("");
    w.update("set", "b_server_qps|2000");
    assert_eq!(w.b.v[SERVER], 1000.0, "B is not editable while comparison is off");
    w.update("compare", "true");
    assert!(w.compare && w.b.v == w.a.v && w.b.name == "Design B");
    w.update("set", "b_server_qps|2000");
    // B: ceil(10,000 ÷ 1,400) + 1 = 8 + 1 = 9 servers, 7 fewer than A (7 ÷ 16 = 43.75%).
    // 7 × 0.0816 × 730 = 416.976 less a month: 2,139.728 − 416.976 = 1,722.752.
    assert_eq!(w.b.plan().app_servers, 9.0);
    assert!(close(w.b.plan().total, 1722.752));
    let html = w.view();
    for needle in ["Differences between the designs (B − A)", "−7 (−43.75%)", "$1,722.75", "B costs $416.98 less a month than A.", "data-arg=\"b_peak_qps\"", "Design B: Peak load (requests/s)"] {
        assert!(html.contains(needle) || html.contains(&widget_core::markup::escape(needle)), "missing {needle}");
    }
    assert!(w.log.latest().unwrap().contains("App servers 16 → 9"), "{:?}", w.log);
    w.update("copy", "");
    assert_eq!(w.b.v, w.a.v);
    w.update("compare", "false");
    assert!(!w.view().contains("B − A"));
    assert!(w.to_params().get("b_peak_qps").is_none(), "B is not saved while comparison is off");
}

#[test]
fn a_config_can_set_up_a_comparison() {
    let w = widget("compare: true\nb_name: Bigger cache\nb_hit_pct: 95");
    // B is A with a 95% hit ratio: 9,000 × 5% = 450 reads/s, ceil(450 ÷ 5,000) = 1 replica still.
    assert_eq!(w.b.name, "Bigger cache");
    assert!(close(w.b.plan().db_reads, 450.0));
    assert_eq!(w.b.v[PEAK], w.a.v[PEAK], "B's other settings follow A's");
}

#[test]
fn bad_parameters_name_the_parameter() {
    for (bad, key) in [
        ("peak_qps: 0", "peak_qps"),
        ("read_pct: 101", "read_pct"),
        ("util_pct: 2", "util_pct"),
        ("spares: 1.5", "spares"),
        ("replication: 0", "replication"),
        ("node_gb: 0", "node_gb"),
        ("vm_hour: -1", "vm_hour"),
        ("gb_month: 0.1234567", "gb_month"),
        ("b_peak_qps: abc", "b_peak_qps"),
        ("name: ", "name"),
        ("compare: yes", "compare"),
        ("colour: red", "colour"),
        ("peak_qps: 1e6", "peak_qps"),
    ] {
        let err = Capacity::from_params(&Params::parse(bad).unwrap()).unwrap_err();
        assert_eq!(err.key.as_deref(), Some(key), "{bad}: {err}");
    }
    let err = Capacity::from_params(&Params::parse("read_pct: 101").unwrap()).unwrap_err();
    assert_eq!(err.to_string(), "`read_pct`: expected a number from 0 to 100 (% of requests), got `101`");
}

#[test]
fn state_round_trips_through_the_link() {
    let config = "peak_qps: 20000\nexport: false";
    let mut w = widget(config);
    w.update("set", "read_pct|75.5");
    w.update("set", "name|Écrit « très » \"lourd\"");
    w.update("compare", "true");
    w.update("set", "b_vm_hour|0.123456");
    w.update("set", "b_spares|3");
    w.update("export", "true");
    let fragment = w.to_params().to_fragment();
    let (back, notice) = widget_core::restore::<Capacity>(config, &fragment).unwrap();
    assert!(notice.is_none());
    assert_eq!((&back.a, &back.b, back.compare, back.export), (&w.a, &w.b, w.compare, w.export));
    assert_eq!(without_log(&back.view()), without_log(&w.view()));
    // Long names in any script still fit in a link.
    let mut long = widget("compare: true");
    long.update("set", &format!("name|{}", "界".repeat(32)));
    long.update("set", &format!("b_name|{}", "😀".repeat(32)));
    let fragment = long.to_params().to_fragment();
    assert!(fragment.len() < widget_core::params::MAX_FRAGMENT, "{}", fragment.len());
    let (back, notice) = widget_core::restore::<Capacity>("", &fragment).unwrap();
    assert!(notice.is_none() && back.b.name == long.b.name);
}

#[test]
fn json_export_and_import_round_trip() {
    let mut w = widget(SECOND);
    w.update("set", "name|Q \"quoted\" \\ back");
    w.update("compare", "true");
    w.update("set", "b_hit_pct|95");
    let text = w.to_json();
    assert!(text.contains("\"name\": \"Q \\\"quoted\\\" \\\\ back\",\n"), "{text}");
    assert!(text.contains("  \"peak_qps\": 50000,\n") && text.contains("  \"vm_hour\": 0.1,\n") && text.contains("\"compare\": true"));
    let mut fresh = widget("");
    fresh.update("import", &text);
    assert_eq!((&fresh.a, &fresh.b, fresh.compare), (&w.a, &w.b, true));
    assert!(fresh.notice.starts_with("Imported 37 settings"), "{}", fresh.notice);
    w.update("export", "true");
    let html = w.view();
    assert!(html.contains("Export plan (JSON)") && html.contains("data-ev=\"import\"") && html.contains("&quot;peak_qps&quot;: 50000"));
}

#[test]
fn import_overlays_and_refuses_clearly() {
    let mut w = widget("");
    w.update("import", "{\"peak_qps\": 20000}");
    assert_eq!(w.a.v[PEAK], 20000.0);
    assert_eq!(w.a.v[READ], 90.0, "settings left out keep their values");
    let before = (w.a.clone(), w.b.clone(), w.compare);
    for (text, says) in [
        ("", "nothing to import"),
        ("{\"colour\": 1}", "`colour` is not a plan setting"),
        ("{\"peak_qps\": \"100\"}", "`peak_qps` must be a number"),
        ("{\"name\": 5}", "`name` must be a string"),
        ("{\"compare\": 1}", "`compare` must be true or false"),
        ("{\"export\": true}", "view setting"),
        ("{\"read_pct\": 101}", "`read_pct`: expected a number from 0 to 100"),
        ("{\"spares\": 1.5}", "`spares`: expected a whole number"),
        ("{\"name\": \"\"}", "`name`: expected a name"),
        ("{\"peak_qps\": 1e6}", "exponent"),
        ("[1, 2]", "starts with `{`"),
        ("{\"peak_qps\": 1} trailing", "after the closing"),
    ] {
        w.update("import", text);
        assert!(w.notice.contains(says), "{text}: {}", w.notice);
        assert!(w.notice.starts_with("Import refused"), "{}", w.notice);
        assert_eq!((w.a.clone(), w.b.clone(), w.compare), before, "{text} changed nothing");
    }
    assert_eq!(w.draft, "{\"peak_qps\": 1} trailing", "a refused text stays in the box");
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(MAX_IMPORT));
    w.update("import", &big);
    assert!(w.notice.contains("the limit is 4 KB"), "{}", w.notice);
    assert!(w.draft.is_empty(), "an oversized text is not kept");
}

#[test]
fn events_edit_inputs_and_log_in_words() {
    let mut w = widget("");
    w.update("set", "peak_qps|20000");
    // 20,000 ÷ 700 = 28.57 → 29 + 1 = 30 servers.
    assert_eq!(w.a.plan().app_servers, 30.0);
    let line = w.log.latest().unwrap().to_string();
    assert!(line.starts_with("A: Peak load 10,000 → 20,000 requests/s. App servers 16 → 30;"), "{line}");
    w.update("set", "peak_qps|-5");
    assert_eq!(w.a.v[PEAK], 20000.0);
    assert!(w.log.latest().unwrap().starts_with("Ignored a new value for A's “Peak load”: expected a number from 1 to 100,000,000"), "{:?}", w.log);
    w.update("set", "spares|2.5");
    assert_eq!(w.a.v[SPARES], 1.0);
    w.update("set", "name|<b>x</b>");
    assert!(w.view().contains("&lt;b&gt;x&lt;/b&gt;"), "names are escaped");
}

#[test]
fn hostile_events_never_panic_or_corrupt() {
    let mut w = widget("compare: true");
    let long = "9".repeat(10_000);
    let values = [
        "", "|", "peak_qps|", "peak_qps|1e9", "peak_qps|NaN", "peak_qps|inf", "peak_qps|99999999999999999999999",
        "peak_qps|0.0000001", "peak_qps| 5 ", "spares|-0", "b_replication|11", "name|\u{0}", "name|   ", "nope|1",
        "b_|1", "b_b_peak_qps|1", "true", "false", "<script>", "{", "{\"peak_qps\":", "\u{feff}{}", "é|é", &long,
    ];
    for event in ["set", "compare", "copy", "export", "import", "", "tick", "SET"] {
        for value in values {
            w.update(event, value);
            w.update(event, &format!("peak_qps|{value}"));
            let _ = w.view();
        }
    }
    for d in [&w.a, &w.b] {
        for (f, x) in FIELDS.iter().zip(d.v) {
            assert!((f.min..=f.max).contains(&x), "{} = {x}", f.key);
        }
        assert!(check_name(&d.name).is_ok());
    }
    let (back, _) = widget_core::restore::<Capacity>("", &w.to_params().to_fragment()).unwrap();
    assert_eq!(back.a, w.a);
}
