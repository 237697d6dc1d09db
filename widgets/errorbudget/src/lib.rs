//! Error budget and burn-rate alerts. An availability SLO over a 28- or 30-day window allows a
//! share of bad requests: the error budget. An incident with error rate `e` spends it at a
//! **burn rate** `e / (1 − SLO)`. The widget shows the budget, the three multi-window,
//! multi-burn-rate alerts recommended by Google's Site Reliability Workbook (chapter "Alerting
//! on SLOs", 2018), and, for one incident, when each alert fires, when it stops, and whether the
//! budget runs out.
//!
//! Model: the window starts with a full budget and no errors; from `incident_start_h` for
//! `incident_hours` the error rate is `e`, and zero otherwise. Formulas (hours throughout):
//! - budget `b = 1 − SLO`; allowed bad requests `b × rps × 3,600 × window_h`;
//!   equivalent full outage `b × window_h × 60` minutes;
//! - burn rate `B = e / b`; at that rate the whole budget lasts `window_h / B`;
//! - budget spent by the incident `e × hours / (b × window_h)`;
//! - an alert (burn `k`, long window `L`, short window `S`) trips when the error ratio over both
//!   windows reaches `k × b`; sustained for `L` that is `k × L / window_h` of the budget;
//! - during the incident the long-window ratio is `e × min(t, L) / L`, so the alert fires
//!   `L × k × b / e` after the start (the Workbook's detection time), if `e ≥ k × b` and the
//!   incident lasts that long; the short window is shorter, so it is never later;
//! - after the fix the short-window ratio falls below `k × b` after `S × (1 − k × b / e)`, which
//!   is when the alert stops (the long window alone would keep it firing `L × (1 − k × b / e)`).

use widget_core::format::{self, coord, number, percent, short};
use widget_core::{Log, Markup, ParamError, Params, Widget};

/// One row of the Workbook's recommended alerting configuration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alert {
    pub severity: &'static str,
    pub name: &'static str,
    /// Long and short windows, hours.
    pub long_h: f64,
    pub short_h: f64,
    pub burn: f64,
}

/// Google, The Site Reliability Workbook, "Alerting on SLOs" (2018): recommended parameters
/// for a 99.9% SLO over 30 days (2%, 5% and 10% of the budget).
pub const ALERTS: [Alert; 3] = [
    Alert { severity: "Page", name: "Page 1 h", long_h: 1.0, short_h: 5.0 / 60.0, burn: 14.4 },
    Alert { severity: "Page", name: "Page 6 h", long_h: 6.0, short_h: 0.5, burn: 6.0 },
    Alert { severity: "Ticket", name: "Ticket 3 d", long_h: 72.0, short_h: 6.0, burn: 1.0 },
];
const CLASSES: [&str; 3] = ["w-c0", "w-c3", "w-c4"];
const SOURCE: &str = "https://sre.google/workbook/alerting-on-slos/";
const KEYS: [&str; 6] = ["slo", "window_days", "rps", "incident_error_pct", "incident_start_h", "incident_hours"];
const EPS: f64 = 1e-9;

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBudget {
    /// SLO, percent.
    pub slo: f64,
    pub window_days: u32,
    /// Requests per second.
    pub rps: f64,
    /// Error rate during the incident, percent.
    pub error_pct: f64,
    /// Incident start and length, hours.
    pub start_h: f64,
    pub hours: f64,
    log: Log,
}

/// Share of the budget an alert's burn rate spends over its long window: `k × L / window`.
pub fn budget_share(a: &Alert, window_h: f64) -> f64 {
    a.burn * a.long_h / window_h
}

impl ErrorBudget {
    /// The error budget as a fraction of requests, `1 − SLO` (rounded to drop float noise).
    pub fn budget(&self) -> f64 {
        ((100.0 - self.slo) * 1e8).round() / 1e10
    }
    pub fn window_h(&self) -> f64 {
        f64::from(self.window_days) * 24.0
    }
    fn e(&self) -> f64 {
        self.error_pct / 100.0
    }
    pub fn allowed_bad(&self) -> f64 {
        self.budget() * self.rps * 3600.0 * self.window_h()
    }
    pub fn outage_minutes(&self) -> f64 {
        self.budget() * self.window_h() * 60.0
    }
    pub fn burn_rate(&self) -> f64 {
        self.e() / self.budget()
    }
    /// Fraction of the budget the incident spends (may exceed 1).
    pub fn spent(&self) -> f64 {
        self.e() * self.hours / (self.budget() * self.window_h())
    }
    /// Budget left at hour `t` of the window, as a fraction (negative when overspent).
    pub fn remaining_at(&self, t: f64) -> f64 {
        let inside = (t.min(self.start_h + self.hours) - self.start_h).max(0.0);
        1.0 - self.e() * inside / (self.budget() * self.window_h())
    }
    /// Hours after the incident starts when the budget reaches zero, if it does.
    pub fn exhausted_after(&self) -> Option<f64> {
        if self.e() <= 0.0 {
            return None;
        }
        let x = self.budget() * self.window_h() / self.e();
        (x <= self.hours + EPS).then_some(x)
    }
    /// Error ratio at which an alert trips: `k × b`.
    pub fn trip_ratio(&self, a: &Alert) -> f64 {
        a.burn * self.budget()
    }
    /// Hours after the incident starts when the alert fires: `L × k × b / e`.
    pub fn detect_after(&self, a: &Alert) -> Option<f64> {
        let (e, t) = (self.e(), self.trip_ratio(a));
        if e <= 0.0 || e < t * (1.0 - EPS) {
            return None;
        }
        let x = a.long_h * t / e;
        (x <= self.hours + EPS).then_some(x)
    }
    /// Hours after the incident ends when a fired alert stops: the short window `S × (1 − k b / e)`
    /// and, for comparison, the long window alone `L × (1 − k b / e)`.
    pub fn reset_after(&self, a: &Alert) -> (f64, f64) {
        let f = (1.0 - self.trip_ratio(a) / self.e()).max(0.0);
        (a.short_h * f, a.long_h * f)
    }

    fn summary(&self) -> String {
        let first = ALERTS.iter().filter_map(|a| self.detect_after(a).map(|x| (x, a.name))).min_by(|x, y| x.0.total_cmp(&y.0));
        let alert = match first {
            Some((x, name)) => format!("first alert: {name} after {}", hours(x)),
            None => "no alert fires".to_string(),
        };
        format!("burn rate {}×, the incident spends {} of the budget, {alert}.", short(self.burn_rate(), 2), pct(self.spent()))
    }

    fn fit_incident(&mut self) {
        let w = self.window_h();
        if self.start_h >= w {
            self.start_h = w - 1.0;
        }
        if self.start_h + self.hours > w {
            self.hours = w - self.start_h;
        }
    }
}

/// A fraction as a percentage with at most two decimals: 0.16667 -> `16.67%`.
fn pct(x: f64) -> String {
    format!("{}%", short(x * 100.0, 2))
}

/// Hours as a short duration: 0.0144 -> `51.8 s`, 0.72 -> `43.2 min`, 1.8 -> `1.8 h`, 72 -> `3 days`.
fn hours(h: f64) -> String {
    if h * 3600.0 < 99.95 {
        format!("{} s", short(h * 3600.0, 1))
    } else if h < 0.9995 {
        format!("{} min", short(h * 60.0, 1))
    } else if h < 48.0 {
        format!("{} h", short(h, 2))
    } else {
        format!("{} days", short(h / 24.0, 2))
    }
}

impl Widget for ErrorBudget {
    const NAME: &'static str = "errorbudget";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        p.only(&KEYS)?;
        let window_days = match p.get("window_days") {
            None | Some("30") => 30,
            Some("28") => 28,
            Some(v) => return Err(ParamError::new("window_days", format!("expected 28 or 30, got `{v}`"))),
        };
        let w = f64::from(window_days) * 24.0;
        let start_h = p.f64_in("incident_start_h", 240.0, 0.0, w - 0.01)?;
        let hours = p.f64_in("incident_hours", 6.0, 0.01, w)?;
        if start_h + hours > w + EPS {
            return Err(ParamError::new(
                "incident_hours",
                format!("the incident must end inside the {window_days}-day window ({} h): it starts at {} h and lasts {} h", short(w, 0), short(start_h, 2), short(hours, 2)),
            ));
        }
        Ok(ErrorBudget {
            slo: p.f64_in("slo", 99.9, 90.0, 99.999)?,
            window_days,
            rps: p.f64_in("rps", 100.0, 0.1, 1_000_000.0)?,
            error_pct: p.f64_in("incident_error_pct", 2.0, 0.0, 100.0)?,
            start_h,
            hours,
            log: Log::default(),
        })
    }

    fn to_params(&self) -> Params {
        let mut p = Params::new();
        p.set("slo", short(self.slo, 6))
            .set("window_days", self.window_days)
            .set("rps", short(self.rps, 6).replace(',', ""))
            .set("incident_error_pct", short(self.error_pct, 6))
            .set("incident_start_h", short(self.start_h, 6).replace(',', ""))
            .set("incident_hours", short(self.hours, 6).replace(',', ""));
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let v = format::parse(value).filter(|x| x.is_finite());
        let w = self.window_h();
        let in_range = |lo: f64, hi: f64| v.filter(|x| *x >= lo && *x <= hi);
        let what = match event {
            "slo" => in_range(90.0, 99.999).map(|x| {
                self.slo = x;
                format!("SLO {}%", short(x, 6))
            }),
            "window" => match value {
                "28" | "30" => {
                    self.window_days = if value == "28" { 28 } else { 30 };
                    self.fit_incident();
                    Some(format!("Window {value} days"))
                }
                _ => None,
            },
            "rps" => in_range(0.1, 1_000_000.0).map(|x| {
                self.rps = x;
                format!("Traffic {} req/s", short(x, 3))
            }),
            "error" => in_range(0.0, 100.0).map(|x| {
                self.error_pct = x;
                format!("Incident error rate {}%", short(x, 4))
            }),
            "start" => in_range(0.0, w - 0.01).map(|x| {
                self.start_h = x;
                self.fit_incident();
                format!("Incident starts at hour {}", short(x, 2))
            }),
            "hours" => in_range(0.01, w - self.start_h).map(|x| {
                self.hours = x;
                format!("Incident lasts {}", hours(x))
            }),
            _ => return,
        };
        match what {
            Some(w) => {
                let line = format!("{w}: {}", self.summary());
                self.log.push(line);
            }
            None => self.log.push(format!("Ignored `{}`: out of range for {event}.", value.chars().take(24).collect::<String>())),
        }
    }

    fn view(&self) -> String {
        let mut m = Markup::new();
        m.open("div", &[("class", "w-errorbudget")]);
        self.controls(&mut m);
        self.budget_block(&mut m);
        self.alert_table(&mut m);
        self.window_chart(&mut m);
        self.zoom_chart(&mut m);
        self.timeline(&mut m);
        self.log.view(&mut m, "Nothing yet: change the SLO or the incident to see what it costs.");
        m.open("p", &[("class", "w-note")]).text("Thresholds: ");
        m.el("a", &[("href", SOURCE)], "Google, The Site Reliability Workbook, “Alerting on SLOs”, 2018");
        m.text(" (recommended parameters for a 99.9% SLO over 30 days; the short window is 1/12 of the long one). Model: no errors outside the incident, a fixed window that starts with a full budget.");
        m.close("p");
        m.close("div");
        m.finish()
    }
}

impl ErrorBudget {
    fn controls(&self, m: &mut Markup) {
        m.open("div", &[("class", "w-controls")]);
        let w = short(self.window_h() - 0.01, 2).replace(',', "");
        let max_hours = short(self.window_h() - self.start_h, 2).replace(',', "");
        let fields: [(&str, &str, String, &str, &str, &str); 5] = [
            ("SLO", "slo", short(self.slo, 6), "90", "99.999", "%"),
            ("Traffic", "rps", short(self.rps, 6).replace(',', ""), "0.1", "1000000", "req/s"),
            ("Incident error rate", "error", short(self.error_pct, 6), "0", "100", "%"),
            ("Starts at hour", "start", short(self.start_h, 6).replace(',', ""), "0", &w, "h"),
            ("Lasts", "hours", short(self.hours, 6).replace(',', ""), "0.01", &max_hours, "h"),
        ];
        for (label, ev, value, lo, hi, unit) in fields.iter() {
            m.open("label", &[]).text(label).text(" ");
            m.void("input", &[("type", "number"), ("data-ev", ev), ("value", value), ("min", lo), ("max", hi), ("step", "any"), ("inputmode", "decimal")]);
            m.el("span", &[("class", "w-unit")], unit).close("label");
        }
        m.open("label", &[]).text("Window ");
        m.open("select", &[("data-ev", "window")]);
        for d in ["28", "30"] {
            let label = format!("{d} days");
            if d == self.window_days.to_string() {
                m.el("option", &[("value", d), ("selected", "")], &label);
            } else {
                m.el("option", &[("value", d)], &label);
            }
        }
        m.close("select").close("label");
        m.close("div");
    }

    fn budget_block(&self, m: &mut Markup) {
        let (b, days, wh) = (self.budget(), self.window_days, self.window_h());
        let bs = short(b, 8);
        m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
        m.open("p", &[]).text("Error budget: ").el("strong", &[("class", "w-total")], &number(self.allowed_bad(), 0));
        m.textf(format_args!(" bad requests in {days} days ({} of requests), or a full outage of ", percent(b)));
        m.el("strong", &[], &hours(self.outage_minutes() / 60.0)).text(".").close("p");
        m.el("p", &[("class", "w-formula")], &format!("(1 − {}) × {} req/s × 86,400 s/day × {days} days = {}", short(self.slo / 100.0, 8), short(self.rps, 3), number(self.allowed_bad(), 0)));
        m.el("p", &[("class", "w-formula")], &format!("{bs} × {days} days × 1,440 min/day = {} min", short(self.outage_minutes(), 2)));
        if self.e() > 0.0 {
            let burn = self.burn_rate();
            m.open("p", &[]).textf(format_args!("The incident ({}% errors for {}) burns the budget ", short(self.error_pct, 4), hours(self.hours)));
            m.el("strong", &[], &format!("{}× too fast", short(burn, 2)));
            m.textf(format_args!(" and spends {} of it", pct(self.spent())));
            match self.exhausted_after() {
                Some(x) => m.textf(format_args!("; the budget is gone {} after it starts.", hours(x))),
                None => m.textf(format_args!("; {} is left.", pct(self.remaining_at(wh)))),
            };
            m.close("p");
            m.el("p", &[("class", "w-formula")], &format!("burn rate = error rate ÷ budget = {} ÷ {bs} = {}; the whole budget lasts {} h ÷ {} = {}", short(self.e(), 6), short(burn, 2), short(wh, 0), short(burn, 2), hours(wh / burn)));
            m.el("p", &[("class", "w-formula")], &format!("spent = {} × {} h ÷ ({bs} × {} h) = {}", short(self.e(), 6), short(self.hours, 2), short(wh, 0), pct(self.spent())));
        } else {
            m.el("p", &[], "No incident: the error rate is 0%, so the budget stays whole.");
        }
        m.close("div");
    }

    fn alert_table(&self, m: &mut Markup) {
        let wh = self.window_h();
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], "Multi-window, multi-burn-rate alerts: each fires when the error ratio over both its windows reaches burn rate × budget");
        m.open("thead", &[]).open("tr", &[]);
        for h in ["Alert", "Threshold", "This incident"] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        for (i, a) in ALERTS.iter().enumerate() {
            let trip = self.trip_ratio(a);
            m.open("tr", &[]);
            m.open("th", &[("scope", "row")]).open("span", &[("class", CLASSES[i])]).el("span", &[("class", "w-swatch")], "").close("span");
            m.textf(format_args!(" {}", a.severity));
            m.el("span", &[("class", "w-source")], &format!("{} window, {} short window", hours(a.long_h), hours(a.short_h))).close("th");
            m.open("td", &[]).el("strong", &[], &format!("{}× burn", short(a.burn, 2)));
            let trips = if trip > 1.0 { "needs over 100% errors: never".to_string() } else { format!("trips at {} errors", pct(trip)) };
            m.textf(format_args!(": {trips}, and spends {} of the budget per {}", pct(budget_share(a, wh)), hours(a.long_h)));
            m.el("span", &[("class", "w-formula")], &format!("{} × {} = {}", short(a.burn, 2), short(self.budget(), 8), short(trip, 8)));
            m.el("span", &[("class", "w-formula")], &format!("{} × {} h ÷ {} h = {}", short(a.burn, 2), short(a.long_h, 0), short(wh, 0), pct(budget_share(a, wh)))).close("td");
            m.open("td", &[]);
            match self.detect_after(a) {
                Some(x) => {
                    let (reset, long_only) = self.reset_after(a);
                    m.text("Fires after ").el("strong", &[], &hours(x));
                    m.el("span", &[("class", "w-formula")], &format!("{} h × {} ÷ {} = {}", short(a.long_h, 0), short(trip, 8), short(self.e(), 6), hours(x)));
                    m.el("span", &[("class", "w-note")], &format!("Stops {} after the fix (the long window alone: {}).", hours(reset), hours(long_only)));
                }
                None if self.e() <= 0.0 => {
                    m.text("No incident.");
                }
                None if self.e() < trip * (1.0 - EPS) => {
                    m.textf(format_args!("Never: {}% errors is below {}.", short(self.error_pct, 4), pct(trip)));
                }
                None => {
                    let x = a.long_h * trip / self.e();
                    m.textf(format_args!("Never: it would need {}, the incident lasts {}.", hours(x), hours(self.hours)));
                }
            }
            m.close("td").close("tr");
        }
        m.close("tbody").close("table");
        if self.window_days != 30 {
            let keep: Vec<String> = ALERTS.iter().map(|a| short(budget_share(a, 720.0) * self.window_h() / a.long_h, 3)).collect();
            m.el("p", &[("class", "w-note")], &format!("The burn rates were chosen for 30 days (2%, 5%, 10%). Over {} days the same rates spend a little more; to keep 2%, 5% and 10% use {}.", self.window_days, keep.join(", ")));
        }
    }

    /// The axes of a chart from hour `x0` to `x1` of the window, budget left from 0 to 100%.
    /// `top` is the top of the plot area; alert labels go above it.
    fn axes(&self, m: &mut Markup, label: &str, ticks: &[(f64, String)], x: &dyn Fn(f64) -> f64, title: &str, top: f64) {
        let (y0, y1) = (top, top + PLOT_H);
        m.open("svg", &[("viewBox", &format!("0 0 440 {}", coord(y1 + 36.0))), ("class", "w-diagram"), ("role", "img"), ("aria-label", label)]);
        m.el("title", &[], label);
        for (frac, text) in [(1.0, "100%"), (0.5, "50%"), (0.0, "0%")] {
            let y = coord(y1 - PLOT_H * frac);
            m.void("line", &[("x1", &coord(X0)), ("y1", &y), ("x2", &coord(X1)), ("y2", &y), ("class", "w-grid")]);
            m.el("text", &[("x", &coord(X0 - 4.0)), ("y", &coord(y1 - PLOT_H * frac + 4.0)), ("text-anchor", "end"), ("class", "w-small")], text);
        }
        m.el("text", &[("x", "2"), ("y", &coord(y0 - 6.0)), ("class", "w-small")], "Budget left");
        for (h, text) in ticks {
            let xx = coord(x(*h));
            m.void("line", &[("x1", &xx), ("y1", &coord(y1)), ("x2", &xx), ("y2", &coord(y1 + 4.0)), ("class", "w-edge")]);
            m.el("text", &[("x", &xx), ("y", &coord(y1 + 16.0)), ("text-anchor", "middle"), ("class", "w-small")], text);
        }
        m.el("text", &[("x", &coord((X0 + X1) / 2.0)), ("y", &coord(y1 + 32.0)), ("text-anchor", "middle"), ("class", "w-small")], title);
    }

    /// The budget left as a filled area over hours `x0..x1`, and the incident as a band.
    fn budget_area(&self, m: &mut Markup, x0: f64, x1: f64, x: &dyn Fn(f64) -> f64, top: f64) {
        let y1 = top + PLOT_H;
        let y = |r: f64| coord(y1 - PLOT_H * r.clamp(0.0, 1.0));
        let (s, end) = (self.start_h, self.start_h + self.hours);
        let (band0, band1) = (x(s.max(x0)), x(end.min(x1)));
        m.open("g", &[("class", "w-c1")]);
        m.void("rect", &[("x", &coord(band0)), ("y", &coord(top)), ("width", &coord((band1 - band0).max(1.0))), ("height", &coord(PLOT_H)), ("fill-opacity", "0.15"), ("stroke", "none")]);
        m.close("g");
        let mut hs = vec![x0, s, end, x1];
        if let Some(ex) = self.exhausted_after() {
            hs.push(s + ex);
        }
        hs.retain(|h| *h >= x0 && *h <= x1);
        hs.sort_unstable_by(f64::total_cmp);
        let mut pts = String::new();
        for h in &hs {
            pts.push_str(&format!("{},{} ", coord(x(*h)), y(self.remaining_at(*h))));
        }
        pts.push_str(&format!("{},{} {},{}", coord(x(x1)), coord(y1), coord(x(x0)), coord(y1)));
        m.void("polygon", &[("points", &pts), ("class", "w-bar")]);
    }

    fn window_chart(&self, m: &mut Markup) {
        let wh = self.window_h();
        let x = move |h: f64| X0 + (X1 - X0) * h / wh;
        let step = if self.window_days == 28 { 7 } else { 5 };
        let ticks: Vec<(f64, String)> = (0..=self.window_days).step_by(step).map(|d| (f64::from(d) * 24.0, d.to_string())).collect();
        let label = format!(
            "Budget left over the {}-day window: full until hour {}, then {} at the end; the shaded band is the incident",
            self.window_days,
            short(self.start_h, 1),
            pct(self.remaining_at(wh).max(0.0))
        );
        self.axes(m, &label, &ticks, &x, &format!("Days into the {}-day window", self.window_days), 20.0);
        self.budget_area(m, 0.0, wh, &x, 20.0);
        m.close("svg");
    }

    fn zoom_chart(&self, m: &mut Markup) {
        if self.e() <= 0.0 {
            return;
        }
        let (s, end, wh) = (self.start_h, self.start_h + self.hours, self.window_h());
        let pad = (self.hours * 0.25).max(0.25);
        let (z0, z1) = ((s - pad).max(0.0), (end + pad).min(wh));
        let x = move |h: f64| X0 + (X1 - X0) * (h - z0) / (z1 - z0);
        let step = nice_step((z1 - z0) / 5.0);
        let mut ticks = vec![];
        let mut k = ((z0 - s) / step).ceil() as i64;
        while s + k as f64 * step <= z1 + EPS && ticks.len() < 12 {
            let rel = k as f64 * step;
            let text = if step < 1.0 { format!("{} min", number(rel * 60.0, 0)) } else { format!("{} h", short(rel, 1)) };
            ticks.push((s + rel, text));
            k += 1;
        }
        let label = "Zoom on the incident: budget left, with a line where each alert fires and where the budget runs out";
        let mut marks: Vec<(f64, &str, &str)> = ALERTS.iter().zip(CLASSES).filter_map(|(a, c)| self.detect_after(a).map(|d| (s + d, a.name, c))).collect();
        if let Some(ex) = self.exhausted_after() {
            marks.push((s + ex, "Budget gone", "w-c1"));
        }
        marks.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        // One row of labels per mark above the plot, earliest on top, each line reaching up to
        // its label; a label runs right of its line unless it would leave the picture.
        let top = 22.0 + 14.0 * marks.len() as f64;
        self.axes(m, label, &ticks, &x, "Time since the incident started", top);
        self.budget_area(m, z0, z1, &x, top);
        for (row, (h, name, class)) in marks.iter().enumerate() {
            let xx = x(*h);
            let ty = 14.0 + 14.0 * row as f64;
            let text = format!("{name} +{}", hours(*h - s));
            let anchor = if xx + 5.6 * text.chars().count() as f64 > 438.0 { "end" } else { "start" };
            let tx = if anchor == "end" { xx - 3.0 } else { xx + 3.0 };
            m.open("g", &[("class", class)]);
            m.void("line", &[("x1", &coord(xx)), ("y1", &coord(ty + 3.0)), ("x2", &coord(xx)), ("y2", &coord(top + PLOT_H)), ("stroke-width", "2")]);
            m.close("g");
            m.el("text", &[("x", &coord(tx)), ("y", &coord(ty)), ("text-anchor", anchor), ("class", "w-small")], &text);
        }
        m.close("svg");
    }

    fn timeline(&self, m: &mut Markup) {
        if self.e() <= 0.0 {
            return;
        }
        let mut events: Vec<(f64, String)> = vec![(0.0, format!("Incident starts at hour {}: {}% errors, burn rate {}×.", short(self.start_h, 2), short(self.error_pct, 4), short(self.burn_rate(), 2)))];
        for a in &ALERTS {
            if let Some(d) = self.detect_after(a) {
                events.push((d, format!("{} alert fires ({} long window, {} short).", a.name, hours(a.long_h), hours(a.short_h))));
                events.push((self.hours + self.reset_after(a).0, format!("{} alert stops.", a.name)));
            }
        }
        if let Some(ex) = self.exhausted_after() {
            events.push((ex, "The error budget is exhausted: the SLO is missed for this window.".to_string()));
        }
        events.push((self.hours, format!("Incident fixed; {} of the budget spent.", pct(self.spent()))));
        events.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        m.open("div", &[("class", "w-result")]);
        m.el("p", &[("class", "w-log-title")], "Timeline of the incident");
        m.open("ol", &[]);
        for (t, text) in events {
            m.el("li", &[], &format!("+{}: {text}", if t == 0.0 { "0".to_string() } else { hours(t) }));
        }
        m.close("ol").close("div");
    }
}

// Plot area of both charts, in viewBox units (440 wide).
const X0: f64 = 46.0;
const X1: f64 = 428.0;
const PLOT_H: f64 = 110.0;

/// A round tick step, in hours, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    const STEPS: [f64; 14] = [1.0 / 60.0, 5.0 / 60.0, 0.25, 0.5, 1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 48.0, 72.0, 168.0, 336.0];
    STEPS.iter().copied().find(|s| *s >= raw).unwrap_or(336.0)
}

widget_core::export_widget!(crate::ErrorBudget);

#[cfg(test)]
mod tests;
