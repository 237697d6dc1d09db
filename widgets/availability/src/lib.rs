//! Availability calculator. The system is a chain of tiers in series; each tier is a group of
//! identical replicas in parallel. Failures are assumed independent (the page explains when
//! they are not).
//!
//! - tier availability: `1 − (1 − a)^n` for `n` replicas of availability `a`;
//! - system availability: the product of the tiers';
//! - downtime in a period: `(1 − A) × period`, with a year of 365.25 days.

use widget_core::format::{self, coord, duration, number, percent};
use widget_core::{Log, Markup, ParamError, Params, Widget};

const MAX_TIERS: usize = 8;
const MAX_REPLICAS: u32 = 9;
const YEAR_S: f64 = 365.25 * 86_400.0;
pub const PERIODS: [(&str, f64); 4] = [("year", YEAR_S), ("month", YEAR_S / 12.0), ("week", 7.0 * 86_400.0), ("day", 86_400.0)];

#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub name: String,
    pub replicas: u32,
    /// Availability of one replica, as a fraction.
    pub each: f64,
}

impl Tier {
    pub fn availability(&self) -> f64 {
        1.0 - (1.0 - self.each).powi(self.replicas as i32)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    pub tiers: Vec<Tier>,
    log: Log,
}

/// Availability of tiers in series.
pub fn series(parts: &[f64]) -> f64 {
    parts.iter().product()
}

/// Availability of independent replicas in parallel.
pub fn parallel(parts: &[f64]) -> f64 {
    1.0 - parts.iter().map(|a| 1.0 - a).product::<f64>()
}

/// Number of nines: −log10(1 − A).
pub fn nines(a: f64) -> f64 {
    if a >= 1.0 { f64::INFINITY } else { -(1.0 - a).log10() }
}

fn parse_tiers(text: &str) -> Result<Vec<Tier>, ParamError> {
    let err = |m: String| ParamError::new("tiers", m);
    let mut tiers = vec![];
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let fields: Vec<&str> = part.split('/').map(str::trim).collect();
        let [name, replicas, each] = fields[..] else {
            return Err(err(format!("`{part}` should be name/replicas/availability, such as App server/3/99.9")));
        };
        if name.is_empty() || name.chars().count() > 24 {
            return Err(err(format!("tier name `{name}` must be 1 to 24 characters")));
        }
        let replicas: u32 = replicas.parse().ok().filter(|r| (1..=MAX_REPLICAS).contains(r))
            .ok_or_else(|| err(format!("replicas `{replicas}` must be 1 to {MAX_REPLICAS}")))?;
        let pct: f64 = format::parse(each).filter(|p| (50.0..=99.99999).contains(p))
            .ok_or_else(|| err(format!("availability `{each}` must be a percentage from 50 to 99.99999")))?;
        tiers.push(Tier { name: name.to_string(), replicas, each: pct / 100.0 });
    }
    if tiers.is_empty() || tiers.len() > MAX_TIERS {
        return Err(err(format!("give 1 to {MAX_TIERS} tiers")));
    }
    Ok(tiers)
}

impl Availability {
    pub fn total(&self) -> f64 {
        series(&self.tiers.iter().map(Tier::availability).collect::<Vec<_>>())
    }

    fn record(&mut self, before: f64, what: String) {
        let after = self.total();
        self.log.push(format!("{what} System availability {} → {}.", percent(before), percent(after)));
    }

    fn tier_index(&self, arg: &str) -> Option<usize> {
        arg.parse().ok().filter(|i| *i < self.tiers.len())
    }
}

impl Widget for Availability {
    const NAME: &'static str = "availability";

    fn from_params(p: &Params) -> Result<Self, ParamError> {
        p.only(&["tiers"])?;
        let tiers = parse_tiers(p.get("tiers").unwrap_or("App server/2/99.9, Database/2/99.95"))?;
        Ok(Availability { tiers, log: Log::default() })
    }

    fn to_params(&self) -> Params {
        let text: Vec<String> = self.tiers.iter().map(|t| format!("{}/{}/{}", t.name, t.replicas, round_pct(t.each))).collect();
        let mut p = Params::new();
        p.set("tiers", text.join(","));
        p
    }

    fn update(&mut self, event: &str, value: &str) {
        let before = self.total();
        let (arg, input) = value.split_once('|').unwrap_or((value, ""));
        match event {
            "add-tier" if self.tiers.len() < MAX_TIERS => {
                let name = format!("Tier {}", self.tiers.len() + 1);
                self.tiers.push(Tier { name: name.clone(), replicas: 1, each: 0.999 });
                self.record(before, format!("Added {name} (1 × 99.9%)."));
            }
            "remove-tier" if self.tiers.len() > 1 => {
                if let Some(i) = self.tier_index(arg) {
                    let t = self.tiers.remove(i);
                    self.record(before, format!("Removed {}.", t.name));
                }
            }
            "more" | "fewer" => {
                if let Some(i) = self.tier_index(arg) {
                    let t = &mut self.tiers[i];
                    let n = if event == "more" { (t.replicas + 1).min(MAX_REPLICAS) } else { t.replicas.saturating_sub(1).max(1) };
                    if n != t.replicas {
                        t.replicas = n;
                        let what = format!("{} now has {n} replica{}.", t.name, if n == 1 { "" } else { "s" });
                        self.record(before, what);
                    }
                }
            }
            "each" => {
                if let Some(i) = self.tier_index(arg) {
                    let pct = format::parse(input).unwrap_or(f64::NAN);
                    if (50.0..=99.99999).contains(&pct) {
                        self.tiers[i].each = pct / 100.0;
                        let what = format!("{} replicas now {}% each.", self.tiers[i].name, round_pct(pct / 100.0));
                        self.record(before, what);
                    } else {
                        self.log.push(format!("Ignored {input}%: use a value from 50 to 99.99999."));
                    }
                }
            }
            "name" => {
                if let Some(i) = self.tier_index(arg) {
                    let name: String = input.chars().filter(|c| *c != '/' && *c != ',' && !c.is_control()).take(24).collect();
                    if !name.trim().is_empty() {
                        self.tiers[i].name = name.trim().to_string();
                    }
                }
            }
            _ => {}
        }
    }

    fn view(&self) -> String {
        let mut m = Markup::new();
        let total = self.total();
        m.open("div", &[("class", "w-availability")]);
        self.diagram(&mut m);

        m.open("table", &[("class", "w-table w-tiers")]);
        m.el("caption", &[], "Tiers, in series; replicas in a tier are in parallel");
        m.open("thead", &[]).open("tr", &[]);
        for h in ["Tier", "Replicas", "Each (%)", "Tier availability", ""] {
            m.el("th", &[("scope", "col")], h);
        }
        m.close("tr").close("thead").open("tbody", &[]);
        for (i, t) in self.tiers.iter().enumerate() {
            let idx = i.to_string();
            m.open("tr", &[]);
            m.open("td", &[]).void("input", &[("type", "text"), ("value", &t.name), ("data-ev", "name"), ("data-arg", &idx), ("aria-label", "Tier name"), ("maxlength", "24"), ("size", "12")]).close("td");
            m.open("td", &[("class", "w-stepper")]);
            m.el("button", &[("type", "button"), ("data-ev", "fewer"), ("data-arg", &idx), ("aria-label", &format!("Fewer {} replicas", t.name))], "−");
            m.el("output", &[("aria-live", "polite")], &t.replicas.to_string());
            m.el("button", &[("type", "button"), ("data-ev", "more"), ("data-arg", &idx), ("aria-label", &format!("More {} replicas", t.name))], "+");
            m.close("td");
            m.open("td", &[]).void("input", &[("type", "number"), ("value", &round_pct(t.each)), ("min", "50"), ("max", "99.99999"), ("step", "any"), ("data-ev", "each"), ("data-arg", &idx), ("aria-label", &format!("Availability of one {} replica, percent", t.name)), ("inputmode", "decimal")]);
            m.el("span", &[("class", "w-unit")], "% each").close("td");
            m.open("td", &[]);
            m.el("strong", &[], &percent(t.availability()));
            m.el("span", &[("class", "w-formula")], &format!("1 − (1 − {})^{} = {}", format::short(t.each, 7), t.replicas, format::short(t.availability(), 9)));
            m.close("td");
            m.open("td", &[]);
            if self.tiers.len() > 1 {
                m.el("button", &[("type", "button"), ("data-ev", "remove-tier"), ("data-arg", &idx), ("aria-label", &format!("Remove {}", t.name))], "Remove");
            }
            m.close("td").close("tr");
        }
        m.close("tbody").close("table");
        if self.tiers.len() < MAX_TIERS {
            m.el("button", &[("type", "button"), ("data-ev", "add-tier")], "Add a tier");
        }

        m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
        m.open("p", &[]).text("System availability: ").el("strong", &[("class", "w-total")], &percent(total));
        m.textf(format_args!(" ({} nines)", number(nines(total), 2))).close("p");
        m.el("p", &[("class", "w-formula")], &format!("nines = −log10(1 − A) = −log10({})", format::short(1.0 - total, 9)));
        let factors: Vec<String> = self.tiers.iter().map(|t| format::short(t.availability(), 9)).collect();
        m.el("p", &[("class", "w-formula")], &format!("A = {} = {}", factors.join(" × "), format::short(total, 9)));
        m.close("div");

        m.open("table", &[("class", "w-table w-downtime")]);
        m.el("caption", &[], "Expected downtime, (1 − A) × period (a year is 365.25 days)");
        m.open("tbody", &[]);
        for (name, seconds) in PERIODS {
            m.open("tr", &[]).el("th", &[("scope", "row")], &format!("Per {name}")).el("td", &[], &duration((1.0 - total) * seconds)).close("tr");
        }
        m.close("tbody").close("table");

        self.log.view(&mut m, "Nothing yet: change a tier to see its effect here.");
        m.close("div");
        m.finish()
    }
}

impl Availability {
    /// Tiers left to right, each a stack of replica boxes.
    fn diagram(&self, m: &mut Markup) {
        let col = 120.0;
        let width = col * self.tiers.len() as f64 + 20.0;
        let tallest = self.tiers.iter().map(|t| t.replicas).max().unwrap_or(1) as f64;
        let height = 30.0 + tallest * 30.0;
        let view = format!("0 0 {} {}", coord(width), coord(height));
        m.open("svg", &[("viewBox", &view), ("class", "w-diagram"), ("role", "img"), ("aria-label", "Diagram of the tiers in series, each with its replicas in parallel")]);
        for (i, t) in self.tiers.iter().enumerate() {
            let x = 10.0 + col * i as f64;
            let mid = height / 2.0;
            if i + 1 < self.tiers.len() {
                m.void("line", &[("x1", &coord(x + 95.0)), ("y1", &coord(mid)), ("x2", &coord(x + col)), ("y2", &coord(mid)), ("class", "w-edge")]);
            }
            m.el("text", &[("x", &coord(x + 47.5)), ("y", "14"), ("text-anchor", "middle"), ("class", "w-label")], &t.name);
            let top = mid - t.replicas as f64 * 15.0 + 8.0;
            for r in 0..t.replicas {
                let y = top + r as f64 * 30.0;
                m.void("rect", &[("x", &coord(x)), ("y", &coord(y)), ("width", "95"), ("height", "22"), ("rx", "4"), ("class", "w-node")]);
                m.el("text", &[("x", &coord(x + 47.5)), ("y", &coord(y + 15.0)), ("text-anchor", "middle"), ("class", "w-small")], &format!("{}%", round_pct(t.each)));
            }
        }
        m.close("svg");
    }
}

/// A replica availability as a percentage without float noise: 0.999 -> `99.9`.
fn round_pct(fraction: f64) -> String {
    format::short(fraction * 100.0, 5)
}

widget_core::export_widget!(crate::Availability);

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn series_and_parallel_match_hand_computation() {
        // Two 99.9% components: in series 0.999² = 0.998001; in parallel 1 − 0.001² = 0.999999.
        assert!(close(series(&[0.999, 0.999]), 0.998001));
        assert!(close(parallel(&[0.999, 0.999]), 0.999999));
        assert!((nines(0.999) - 3.0).abs() < 1e-9);
    }

    #[test]
    fn composes_tiers_from_parameters() {
        let w = Availability::from_params(&Params::parse("tiers: LB/2/99.99, App/3/99.9, DB/2/99.95").unwrap()).unwrap();
        let expected = (1.0 - 1e-8) * (1.0 - 1e-9) * (1.0 - 0.0005f64.powi(2));
        assert!(close(w.total(), expected), "{}", w.total());
        let html = w.view();
        assert!(html.contains("1 − (1 − 0.999)^3 = 0.999999999"), "the formula is shown");
        assert!(html.contains("A = 0.99999999 × 0.999999999 × 0.99999975 ="), "{html}");
    }

    #[test]
    fn downtime_for_three_nines() {
        // 0.1% of 365.25 days is 8.766 hours.
        let w = Availability::from_params(&Params::parse("tiers: One/1/99.9").unwrap()).unwrap();
        assert!(w.view().contains("8.77 h"), "{}", w.view());
    }

    #[test]
    fn events_edit_the_tree_and_log_in_words() {
        let mut w = Availability::from_params(&Params::parse("tiers: App/1/99").unwrap()).unwrap();
        w.update("more", "0");
        assert_eq!(w.tiers[0].replicas, 2);
        assert!(close(w.total(), 0.9999));
        w.update("each", "0|99.9");
        assert!(close(w.tiers[0].each, 0.999));
        w.update("each", "0|120");
        assert!(close(w.tiers[0].each, 0.999), "out of range is ignored");
        w.update("add-tier", "");
        w.update("name", "1|<b>Cache</b>");
        assert_eq!(w.tiers[1].name, "<b>Cache<b>", "slashes are dropped: they separate fields");
        assert!(w.view().contains("&lt;b&gt;Cache"), "names are escaped");
        w.update("remove-tier", "0");
        assert_eq!(w.tiers.len(), 1);
        assert!(w.log.latest().unwrap().starts_with("Removed App."), "{:?}", w.log);
        w.update("remove-tier", "0");
        assert_eq!(w.tiers.len(), 1, "the last tier stays");
    }

    #[test]
    fn state_round_trips_through_the_fragment() {
        let mut w = Availability::from_params(&Params::parse("tiers: LB/2/99.99, App/3/99.9").unwrap()).unwrap();
        w.update("fewer", "1");
        let fragment = w.to_params().to_fragment();
        let (back, notice) = widget_core::restore::<Availability>("tiers: X/1/90", &fragment).unwrap();
        assert_eq!(back.tiers, w.tiers);
        assert!(notice.is_none());
        let (fallback, notice) = widget_core::restore::<Availability>("tiers: X/1/90", "tiers=%3Cscript%3E").unwrap();
        assert_eq!(fallback.tiers[0].name, "X");
        assert!(notice.unwrap().contains("could not be used"));
    }

    #[test]
    fn bad_configuration_names_the_problem() {
        for bad in ["tiers: App/0/99", "tiers: App/2/101", "tiers: App/2", "colour: red", "tiers: "] {
            assert!(Availability::from_params(&Params::parse(bad).unwrap()).is_err(), "{bad}");
        }
    }
}
