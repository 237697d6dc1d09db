//! The widget's markup: controls, the plan with its formulas, the four strategies compared, the
//! regions, and the failover timeline (an SVG Gantt chart with a table of the same steps).

use crate::*;

const SOURCE_URL: &str = "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html";

/// A time after the failure: `0`, `+5.00 min`.
fn at(t: f64) -> String {
    if t <= 0.0 { "0".to_string() } else { format!("+{}", dur(t)) }
}

/// `duration` with a no-break space (`24.0 h` never splits in a table cell), and `0 s` rather
/// than `0 ns` for nothing.
pub fn dur(t: f64) -> String {
    if t <= 0.0 { "0\u{a0}s".to_string() } else { duration(t).replace(' ', "\u{a0}") }
}

pub fn step_label(w: &DrPlanner, step: Step) -> String {
    let v = &w.v;
    match (step, w.strategy) {
        (Step::Detect, _) => "Detect the outage".to_string(),
        (Step::Decide, _) => "Decide to fail over".to_string(),
        (Step::Provision, _) => "Provision infrastructure".to_string(),
        (Step::Restore, _) => format!("Restore {} GB at {} MB/s", number(v[DATA], 0), short(v[MBPS], 1)),
        (Step::Scale, Strategy::WarmStandby) => "Scale standby to full size".to_string(),
        (Step::Scale, _) => "Start and scale app servers".to_string(),
        (Step::Dns, Strategy::ActiveActive) => format!("DNS drops {}", REGIONS[w.primary].0),
        (Step::Dns, _) => format!("Switch DNS to {}", REGIONS[w.recovery].0),
    }
}

fn step_class(step: Step) -> &'static str {
    match step {
        Step::Detect => "w-bar w-c9",
        Step::Decide => "w-bar w-c3",
        Step::Provision => "w-bar w-c4",
        Step::Restore => "w-bar w-c0",
        Step::Scale => "w-bar w-c2",
        Step::Dns => "w-bar w-c5",
    }
}

/// The RTO as a sum, in minutes.
pub fn rto_formula(w: &DrPlanner) -> String {
    let v = &w.v;
    let p = w.plan();
    let n = |i: usize| short(v[i], 2);
    match w.strategy {
        Strategy::BackupRestore => format!(
            "RTO = detect + decide + provision + data ÷ throughput + DNS = {} + {} + {} + {} + {} = {} min",
            n(DETECT), n(DECIDE), n(PROVISION), mins(restore_s(v)), n(DNS), mins(p.rto)
        ),
        Strategy::PilotLight => format!(
            "RTO = detect + decide + start and scale app servers + DNS = {} + {} + {} + {} = {} min",
            n(DETECT), n(DECIDE), n(SCALE), n(DNS), mins(p.rto)
        ),
        Strategy::WarmStandby => format!(
            "RTO = detect + decide + DNS = {} + {} + {} = {} min (at reduced capacity); full capacity = detect + decide + max(scale-up, DNS) = {} min",
            n(DETECT), n(DECIDE), n(DNS), mins(p.rto), mins(p.full)
        ),
        Strategy::ActiveActive => format!(
            "RTO = detect + DNS = {} + {} = {} min (health checks route around the region; nobody has to decide)",
            n(DETECT), n(DNS), mins(p.rto)
        ),
    }
}

pub fn view(w: &DrPlanner) -> String {
    let mut m = Markup::new();
    let p = w.plan();
    m.open("div", &[("class", "w-drplanner")]);

    m.open("div", &[("class", "w-controls")]);
    let strategies: Vec<(&str, String)> = STRATEGIES.iter().map(|s| (s.id(), s.name().to_string())).collect();
    m.select("Strategy", "strategy", &strategies, w.strategy.id());
    let regions: Vec<(&str, String)> = REGIONS.iter().map(|(id, city)| (*id, format!("{id} ({city})"))).collect();
    m.select("Primary region", "primary", &regions, REGIONS[w.primary].0);
    m.select("Recovery region", "recovery", &regions, REGIONS[w.recovery].0);
    m.close("div");
    m.open("p", &[("class", "w-note")]).el("strong", &[], w.strategy.name()).text(": ").text(w.strategy.standing()).close("p");

    inputs(&mut m, w);
    result(&mut m, w, &p);
    compare(&mut m, w);
    regions_note(&mut m, w);

    m.open("div", &[("class", "w-controls")]);
    let fail_label = if w.failed { "Fail again at another moment".to_string() } else { format!("Fail the primary region ({})", REGIONS[w.primary].0) };
    m.el("button", &[("type", "button"), ("data-ev", "fail")], &fail_label);
    if w.failed {
        m.el("button", &[("type", "button"), ("data-ev", "reset")], "Bring the primary back");
    }
    m.close("div");
    match w.run() {
        Some(run) => timeline(&mut m, w, &run),
        None => {
            m.el("p", &[("class", "w-note")], "Press “Fail the primary region” to play the recovery as a timeline: what is lost before the failure, and each step until the recovery region serves again.");
        }
    }

    w.log.view(&mut m, "Nothing yet: change an input, pick another strategy or fail the primary region.");
    m.open("p", &[("class", "w-note")]).text("Sources: the four strategies and their RPO/RTO bands (hours; tens of minutes; minutes; real time) are from ");
    m.el("a", &[("href", SOURCE_URL)], "AWS, “Disaster Recovery of Workloads on AWS: Recovery in the Cloud”, whitepaper, 2021");
    m.text(". Light in silica fibre travels about 200,000 km/s (refractive index about 1.47). The DR cost shares (5%, 15%, 35%, 100% of the primary) are this widget's illustrative assumptions, not AWS figures: change them for your own bill.");
    m.close("p");
    m.close("div");
    m.finish()
}

fn inputs(m: &mut Markup, w: &DrPlanner) {
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], "Inputs: typical values for your workload (change any)");
    for (group, from, to) in GROUPS {
        m.open("tbody", &[]).open("tr", &[]).el("th", &[("scope", "rowgroup"), ("colspan", "2")], group).close("tr");
        for (i, f) in FIELDS.iter().enumerate().take(to).skip(from) {
            m.open("tr", &[]).open("th", &[("scope", "row")]).text(f.label).el("span", &[("class", "w-unit")], f.unit).close("th");
            m.open("td", &[]);
            m.void("input", &[("type", "number"), ("value", &plain(w.v[i])), ("min", &plain(f.min)), ("max", &plain(f.max)), ("step", "any"), ("inputmode", "decimal"), ("data-ev", "set"), ("data-arg", f.key), ("aria-label", &format!("{} ({})", f.label, f.unit))]);
            m.close("td").close("tr");
        }
        if to == NF {
            m.open("tr", &[]).open("th", &[("scope", "row")]).text("DR cost").el("span", &[("class", "w-unit")], "% of primary").close("th");
            m.open("td", &[]);
            m.void("input", &[("type", "number"), ("value", &plain(w.pct())), ("min", "0"), ("max", "300"), ("step", "any"), ("inputmode", "decimal"), ("data-ev", "set"), ("data-arg", "dr_pct"), ("aria-label", "DR cost (% of the primary's monthly cost)")]);
            if w.dr_pct.is_some() {
                m.text(" ").el("button", &[("type", "button"), ("data-ev", "dr-auto")], &format!("Use the assumption ({}%)", short(w.strategy.cost_pct(), 2)));
            } else {
                m.el("span", &[("class", "w-unit")], &format!("assumed: {}", w.strategy.cost_why()));
            }
            m.close("td").close("tr");
        }
        m.close("tbody");
    }
    m.close("table");
}

fn result(m: &mut Markup, w: &DrPlanner, p: &Plan) {
    let v = &w.v;
    m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
    m.open("p", &[]).text("RPO (worst-case data loss): ").el("strong", &[("class", "w-total")], &dur(p.rpo));
    if w.strategy == Strategy::BackupRestore {
        m.textf(format_args!("; on average {} of writes lost", dur(p.typical_loss)));
    }
    m.close("p");
    let rpo_formula = match w.strategy {
        Strategy::BackupRestore => format!(
            "RPO = backup interval = {} h = {} min; a failure lands anywhere in the cycle, so on average half: {} min",
            short(v[BACKUP], 2), mins(p.rpo), mins(p.typical_loss)
        ),
        _ => format!("RPO = replication lag = {} s (writes not yet copied when the region fails are lost)", short(v[LAG], 3)),
    };
    m.el("p", &[("class", "w-formula")], &rpo_formula);

    m.open("p", &[]).text("RTO (until serving again): ").el("strong", &[("class", "w-total")], &dur(p.rto));
    if p.full > p.rto {
        m.textf(format_args!("; full capacity after {}", dur(p.full)));
    }
    m.close("p");
    if w.strategy == Strategy::BackupRestore {
        m.el("p", &[("class", "w-formula")], &format!(
            "restore = {} GB × 1,000 MB/GB ÷ {} MB/s = {} s = {} min",
            short(v[DATA], 2), short(v[MBPS], 2), number(restore_s(v), 0), mins(restore_s(v))
        ));
    }
    m.el("p", &[("class", "w-formula")], &rto_formula(w));

    m.open("p", &[]).text("DR cost: ").el("strong", &[("class", "w-total")], &money(p.dr_cost)).text(" a month").close("p");
    m.el("p", &[("class", "w-formula")], &format!(
        "DR cost = {}% × {} = {} a month ({} a year); primary + DR = {} a month",
        short(p.pct, 2), money(v[COST]), money(p.dr_cost), money(p.dr_cost * 12.0), money(v[COST] + p.dr_cost)
    ));

    let (rpo_ok, rto_ok) = p.meets(v);
    let verdict = |ok: bool| if ok { "met" } else { "missed" };
    m.el("p", &[], &format!(
        "Targets: RPO ≤ {} {} ({}), RTO ≤ {} {} ({}).",
        dur(v[RPO_T] * 60.0), verdict(rpo_ok), dur(p.rpo), dur(v[RTO_T] * 60.0), verdict(rto_ok), dur(p.rto)
    ));
    m.close("div");
}

fn compare(m: &mut Markup, w: &DrPlanner) {
    let plans = w.all_plans();
    let best = w.cheapest_meeting();
    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], "The four strategies with these inputs, and the RPO/RTO band the AWS whitepaper gives each (choose one to plan it)");
    m.open("thead", &[]).open("tr", &[]);
    for h in ["Strategy", "RPO", "RTO", "DR cost a month", "Targets"] {
        m.el("th", &[("scope", "col")], h);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    for (s, p) in STRATEGIES.into_iter().zip(plans) {
        let pressed = if s == w.strategy { "true" } else { "false" };
        m.open("tr", &[]).open("th", &[("scope", "row")]);
        m.el("button", &[("type", "button"), ("class", "w-link"), ("data-ev", "strategy"), ("data-arg", s.id()), ("aria-pressed", pressed)], s.name());
        m.el("span", &[("class", "w-source")], &format!("AWS band: {}", s.band()));
        m.close("th");
        m.el("td", &[], &dur(p.rpo));
        m.open("td", &[]).text(&dur(p.rto));
        if p.full > p.rto {
            m.el("span", &[("class", "w-source")], &format!("full: {}", dur(p.full)));
        }
        m.close("td");
        m.open("td", &[]).text(&money(p.dr_cost)).el("span", &[("class", "w-source")], &format!("{}%", short(p.pct, 2))).close("td");
        let verdict = match p.meets(&w.v) {
            (true, true) if best == Some(s) => "met, cheapest",
            (true, true) => "met",
            (true, false) => "RTO missed",
            (false, true) => "RPO missed",
            (false, false) => "both missed",
        };
        m.el("td", &[], verdict);
        m.close("tr");
    }
    m.close("tbody").close("table");
    let targets = format!("RPO ≤ {} and RTO ≤ {}", dur(w.v[RPO_T] * 60.0), dur(w.v[RTO_T] * 60.0));
    match best {
        Some(s) => m.el("p", &[], &format!("Cheapest strategy meeting {targets}: {} at {} a month.", s.name(), money(plans[s as usize].dr_cost))),
        None => m.el("p", &[], &format!("None of the four meets {targets} with these inputs: shorten the steps (automate detection and the decision, lower the DNS TTL) or relax the targets.")),
    };
}

fn regions_note(m: &mut Markup, w: &DrPlanner) {
    let km = distance_km(w.primary, w.recovery);
    let one_way = km / FIBRE_KM_S;
    let mut text = format!(
        "{} → {}: about {} km apart (great circle). Light in fibre needs at least {} one way and {} for a round trip, so synchronous replication would add at least {} to every write; that is why cross-region replication is usually asynchronous and the RPO is the replication lag.",
        w.region(w.primary), w.region(w.recovery), number(km, 0), duration(one_way), duration(2.0 * one_way), duration(2.0 * one_way)
    );
    if w.v[LAG] == 0.0 {
        text.push_str(" A lag of 0 s means synchronous replication: no writes lost, every write slower by the round trip.");
    } else if w.v[LAG] < one_way {
        text.push_str(&format!(" A lag of {} is below the one-way delay: no replication between these regions can be that fast.", duration(w.v[LAG])));
    }
    let area = |i: usize| match &REGIONS[i].0[..2] {
        "us" => "the United States",
        "eu" => "Europe",
        _ => "Asia Pacific",
    };
    if area(w.primary) != area(w.recovery) {
        text.push_str(&format!(" The copy leaves {} for {}: check data-residency rules before replicating personal data.", area(w.primary), area(w.recovery)));
    }
    m.el("p", &[("class", "w-note")], &text);
}

/// A tick spacing, in seconds, giving at most 6 intervals over `range`.
pub fn nice_step(range: f64) -> f64 {
    const STEPS: [f64; 26] = [
        0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1_800.0, 3_600.0, 7_200.0, 10_800.0,
        21_600.0, 43_200.0, 86_400.0, 172_800.0, 432_000.0, 864_000.0, 1_728_000.0, 4_320_000.0,
    ];
    STEPS.into_iter().find(|s| range / s <= 6.0).unwrap_or(8_640_000.0)
}

/// A tick label in the unit of the step: `30 s`, `15 min`, `2 h`, `1 d`.
pub fn tick_label(t: f64, step: f64) -> String {
    let (unit, name) = if step < 60.0 {
        (1.0, "s")
    } else if step < 3_600.0 {
        (60.0, "min")
    } else if step < 86_400.0 {
        (3_600.0, "h")
    } else {
        (86_400.0, "d")
    };
    format!("{} {name}", short(t / unit, 1))
}

fn timeline(m: &mut Markup, w: &DrPlanner, run: &Run) {
    let p = w.plan();
    // 400 units wide, so 11-unit text stays readable when a phone shrinks it to 330 px.
    let (left, width) = (10.0, 370.0);
    let target = w.v[RTO_T] * 60.0;
    let mut range = run.full.max(1.0);
    if target <= 3.0 * range {
        range = range.max(target);
    }
    let step = nice_step(range);
    let end = (range / step).ceil() * step;
    let x = |t: f64| left + width * t / end;
    let rows = run.bars.len() as f64;
    let top = 74.0;
    let rows_end = top + 40.0 + 30.0 * rows;
    let height = rows_end + 40.0;

    m.open("svg", &[
        ("viewBox", &format!("0 0 400 {}", coord(height))),
        ("class", "w-diagram"),
        ("role", "img"),
        ("aria-label", "Timeline of the failover: writes lost before the failure, then each recovery step as a bar; the table below lists the same steps"),
    ]);
    m.el("title", &[], "Failover timeline");

    // Before the failure: the window whose writes are lost, on the scale of the worst case.
    let share = if p.rpo > 0.0 { (run.lost / p.rpo).clamp(0.0, 1.0) } else { 0.0 };
    m.el("text", &[("x", "10"), ("y", "16"), ("class", "w-label")], &format!("Writes lost before the failure: {}", dur(run.lost)));
    m.void("rect", &[("x", "10"), ("y", "26"), ("width", "370"), ("height", "14"), ("rx", "3"), ("class", "w-node")]);
    m.void("rect", &[("x", &coord(left + width * (1.0 - share))), ("y", "26"), ("width", &coord((width * share).max(1.5))), ("height", "14"), ("rx", "3"), ("class", "w-bar w-c1")]);
    let first = if w.strategy == Strategy::BackupRestore { "previous backup" } else { "oldest unreplicated write" };
    m.el("text", &[("x", "10"), ("y", "54"), ("class", "w-small")], &format!("−{} (RPO): {first}", dur(p.rpo)));
    m.el("text", &[("x", "380"), ("y", "54"), ("text-anchor", "end"), ("class", "w-small")], "0: region fails");

    // After the failure: the recovery steps on their own time axis.
    m.el("text", &[("x", "10"), ("y", &coord(top)), ("class", "w-label")], &format!("After the failure: serving again at {} (RTO)", at(run.serving)));
    let axis_y = top + 22.0;
    let mut t = 0.0;
    while t <= end + 1e-9 {
        let anchor = if t == 0.0 { "start" } else if t >= end - 1e-9 { "end" } else { "middle" };
        m.void("line", &[("x1", &coord(x(t))), ("y1", &coord(axis_y + 4.0)), ("x2", &coord(x(t))), ("y2", &coord(rows_end)), ("class", "w-grid")]);
        m.el("text", &[("x", &coord(x(t))), ("y", &coord(axis_y)), ("text-anchor", anchor), ("class", "w-small")], &tick_label(t, step));
        t += step;
    }
    // Downtime: from the failure until serving again.
    m.void("rect", &[("x", &coord(x(0.0))), ("y", &coord(axis_y + 4.0)), ("width", &coord((x(run.serving) - x(0.0)).max(0.0))), ("height", &coord(rows_end - axis_y - 4.0)), ("class", "w-bar w-c1"), ("fill-opacity", "0.15")]);
    for (k, b) in run.bars.iter().enumerate() {
        let y = axis_y + 10.0 + 30.0 * k as f64;
        let label = format!("{} · {}", step_label(w, b.step), dur(b.end - b.start));
        // Start the label at its bar, moved left as far as it must to fit (about 5.6 units a
        // character at 11 units).
        let anchor_x = x(b.start).min(395.0 - 5.6 * label.chars().count() as f64).max(2.0);
        m.el("text", &[("x", &coord(anchor_x)), ("y", &coord(y + 10.0)), ("class", "w-small")], &label);
        m.void("rect", &[("x", &coord(x(b.start))), ("y", &coord(y + 14.0)), ("width", &coord((x(b.end) - x(b.start)).max(1.5))), ("height", "12"), ("rx", "2"), ("class", step_class(b.step))]);
    }
    let mut marker = |t: f64, class: &'static str, text: String, line: f64| {
        let anchor = if x(t) > left + width * 0.6 { "end" } else { "start" };
        m.void("line", &[("x1", &coord(x(t))), ("y1", &coord(axis_y + 4.0)), ("x2", &coord(x(t))), ("y2", &coord(rows_end + 4.0 + 14.0 * line)), ("class", class), ("stroke-width", "2")]);
        m.el("text", &[("x", &coord(x(t))), ("y", &coord(rows_end + 14.0 + 14.0 * line)), ("text-anchor", anchor), ("class", "w-small")], &text);
    };
    marker(run.serving, "w-edge", format!("serving again {}", at(run.serving)), 0.0);
    if run.full > run.serving + 1e-9 {
        marker(run.full, "w-edge w-c2", format!("full capacity {}", at(run.full)), 1.0);
    } else if target <= end {
        let ok = if run.serving <= target + 1e-9 { "met" } else { "missed" };
        marker(target, "w-grid w-c1", format!("RTO target {} ({ok})", at(target)), 1.0);
    }
    m.close("svg");

    m.open("table", &[("class", "w-table")]);
    m.el("caption", &[], "Recovery timeline (t = 0 is the failure)");
    m.open("thead", &[]).open("tr", &[]);
    for h in ["Step", "Starts", "Ends", "Takes"] {
        m.el("th", &[("scope", "col")], h);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    for b in &run.bars {
        m.open("tr", &[]).el("th", &[("scope", "row")], &step_label(w, b.step));
        m.el("td", &[], &at(b.start)).el("td", &[], &at(b.end)).el("td", &[], &dur(b.end - b.start));
        m.close("tr");
    }
    m.close("tbody").close("table");
    let (rpo_ok, rto_ok) = (run.lost <= w.v[RPO_T] * 60.0 + 1e-9, run.serving <= target + 1e-9);
    let ok = |b: bool| if b { "within" } else { "beyond" };
    m.el("p", &[("aria-live", "polite")], &format!(
        "This run: {} of writes lost ({} the RPO target of {}); downtime {} ({} the RTO target of {}).",
        dur(run.lost), ok(rpo_ok), dur(w.v[RPO_T] * 60.0), dur(run.serving), ok(rto_ok), dur(target)
    ));
    m.el("p", &[("class", "w-note")], "Model: the steps take the typical times entered above and run one after another, except warm standby, which takes traffic at reduced capacity as soon as DNS moves while it scales up. The restore must finish before serving. Not modelled: failback, cross-region data transfer charges, and corrupted data, which replication copies faithfully (keep backups whatever the strategy).");
}
