//! The widget's markup: the inputs table, the picture of each design, the tables of needs and
//! costs with their formulas, the differences between A and B, and the JSON panel.

use super::*;

pub(crate) const SOURCES: &str = "Sources and assumptions, all editable above; US East (N. Virginia), on-demand, US dollars, 730 hours a month. App server $0.0816/h: AWS EC2 m7g.large (2 vCPU, 8 GiB, Linux), as quoted in a third-party pricing guide dated June 2026 (factualminds.com), not checked on aws.amazon.com. Assumed, not verified: database $0.168/h (RDS db.m7g.large, PostgreSQL, Single-AZ), cache node $0.158/h (ElastiCache cache.m7g.large, 6.38 GiB), block storage $0.08 per GB-month (EBS gp3). Assumed rules of thumb, not measurements: 1,000 requests/s per app server, 2,000 writes/s per primary, 5,000 reads/s per replica; measure yours with a load test. 1 TB = 1,000 GB; GB and GiB are treated alike.";

impl Capacity {
    pub(crate) fn inputs(&self, m: &mut Markup, designs: &[(&str, &Design, Plan)]) {
        m.open("table", &[("class", "w-table")]);
        m.el("caption", &[], "Inputs: the load and what one machine can do");
        m.open("thead", &[]).open("tr", &[]).el("th", &[("scope", "col")], "Setting");
        for (tag, _, _) in designs {
            m.el("th", &[("scope", "col")], &format!("Design {tag}"));
        }
        m.close("tr").close("thead").open("tbody", &[]);
        m.open("tr", &[]).el("th", &[("scope", "row")], "Name");
        for (tag, d, _) in designs {
            let key = if *tag == "B" { "b_name" } else { "name" };
            m.open("td", &[]);
            m.void("input", &[("type", "text"), ("value", &d.name), ("data-ev", "set"), ("data-arg", key), ("maxlength", "32"), ("size", "9"), ("aria-label", &format!("Design {tag}: name"))]);
            m.close("td");
        }
        m.close("tr").close("tbody");
        for (group, from, to) in GROUPS {
            m.open("tbody", &[]).open("tr", &[]).el("th", &[("scope", "rowgroup"), ("colspan", if designs.len() == 2 { "3" } else { "2" })], group).close("tr");
            for (i, f) in FIELDS.iter().enumerate().take(to).skip(from) {
                m.open("tr", &[]).open("th", &[("scope", "row")]).text(f.label).el("span", &[("class", "w-unit")], f.unit).close("th");
                for (tag, d, _) in designs {
                    let key = if *tag == "B" { format!("b_{}", f.key) } else { f.key.to_string() };
                    let (min, max) = (plain(f.min), plain(f.max));
                    let label = format!("Design {tag}: {} ({})", f.label, f.unit);
                    m.open("td", &[]);
                    m.void("input", &[("type", "number"), ("value", &plain(d.v[i])), ("min", &min), ("max", &max), ("step", if f.whole { "1" } else { "any" }), ("inputmode", if f.whole { "numeric" } else { "decimal" }), ("data-ev", "set"), ("data-arg", &key), ("aria-label", &label)]);
                    m.close("td");
                }
                m.close("tr");
            }
            m.close("tbody");
        }
        m.close("table");
    }

    pub(crate) fn export_panel(&self, m: &mut Markup) {
        m.open("div", &[("class", "w-result")]);
        m.open("p", &[]).open("label", &[]).el("strong", &[], "Export plan (JSON)").text(": copy this text to keep the plan.");
        m.el("textarea", &[("readonly", ""), ("rows", "10"), ("cols", "34"), ("spellcheck", "false"), ("class", "w-formula")], &self.to_json());
        m.close("label").close("p");
        m.open("p", &[]).open("label", &[]).el("strong", &[], "Import").text(": paste a plan exported here (at most 4 KB); settings it leaves out keep their values.");
        m.el("textarea", &[("name", "capacity-import"), ("rows", "6"), ("cols", "34"), ("maxlength", "4096"), ("spellcheck", "false"), ("class", "w-formula")], &self.draft);
        m.close("label").close("p");
        m.el("button", &[("type", "button"), ("data-ev", "import"), ("data-value-from", "capacity-import")], "Import");
        m.el("p", &[("class", "w-note"), ("aria-live", "polite")], &self.notice);
        m.close("div");
    }
}

/// A tier of the picture: a label, its count in words, and up to [`DRAWN`] boxes per kind.
fn tier(m: &mut Markup, y: f64, label: &str, detail: &str, kinds: &[(f64, &'static str)]) {
    let c = format::coord;
    m.el("text", &[("x", "8"), ("y", &c(y + 11.0)), ("class", "w-label")], label);
    m.el("text", &[("x", "8"), ("y", &c(y + 25.0)), ("class", "w-small")], detail);
    let total: f64 = kinds.iter().map(|k| k.0).sum();
    let mut drawn = 0;
    for &(count, class) in kinds {
        for _ in 0..(count.min(DRAWN as f64) as usize) {
            if drawn == DRAWN {
                break;
            }
            let (col, row) = (drawn % PER_LINE, drawn / PER_LINE);
            m.void("rect", &[("x", &c(170.0 + 16.0 * col as f64)), ("y", &c(y + 16.0 * row as f64)), ("width", "12"), ("height", "12"), ("rx", "2"), ("class", class)]);
            drawn += 1;
        }
    }
    if total > DRAWN as f64 {
        m.el("text", &[("x", "8"), ("y", &c(y + 38.0)), ("class", "w-small")], &format!("({DRAWN} of {} drawn)", n0(total)));
    }
}

pub(crate) fn picture(m: &mut Markup, tag: &str, d: &Design, p: &Plan) {
    let title = format!("Design {tag}, {}: {} app servers, {} database primaries and {} read replicas, {} cache nodes, {} GB stored", d.name, n0(p.app_servers), n0(p.primaries), n0(p.replicas), n0(p.cache_nodes), n0(p.stored_gb));
    // Drawn at 320 units for a 20rem box (`w-ring`), so its text stays at its own size on a phone
    // and on a desktop alike.
    m.open("svg", &[("viewBox", "0 0 320 236"), ("class", "w-diagram w-ring"), ("role", "img"), ("aria-label", &title)]);
    m.el("title", &[], &title);
    m.el("text", &[("x", "8"), ("y", "14"), ("class", "w-label")], &format!("{tag}: {} · peak {} requests/s", d.name, n0(d.v[PEAK])));
    let flow = |m: &mut Markup, y: f64, text: &str| {
        m.el("text", &[("x", "8"), ("y", &format::coord(y)), ("class", "w-small")], text);
    };
    flow(m, 32.0, &format!("↓ {} requests/s: {} reads, {} writes", n0(d.v[PEAK]), n0(p.reads), n0(p.writes)));
    tier(m, 40.0, "App servers", &format!("{} incl. {}", n0(p.app_servers), plural(d.v[SPARES], "spare", "spares")), &[(p.app_servers, "w-node")]);
    flow(m, 92.0, &format!("↓ {} reads/s to the cache; {} hit", n0(p.reads), pct(d.v[HIT])));
    tier(m, 100.0, "Cache", &plural(p.cache_nodes, "node", "nodes"), &[(p.cache_nodes, "w-c2")]);
    flow(m, 152.0, &format!("↓ {} reads/s miss, {} writes/s: to the database", n0(p.db_reads), n0(p.writes)));
    tier(m, 160.0, "Database", &format!("{} + {}", plural(p.primaries, "primary", "primaries"), plural(p.replicas, "replica", "replicas")), &[(p.primaries, "w-bar w-bar-selected"), (p.replicas, "w-node")]);
    tier(m, 205.0, "Storage", &format!("{} GB in {} copies", n0(p.stored_gb), n0(d.v[RF])), &[(d.v[RF], "w-c4")]);
    m.close("svg");
}

pub(crate) fn summary(m: &mut Markup, designs: &[(&str, &Design, Plan)]) {
    m.open("div", &[("class", "w-result"), ("aria-live", "polite")]);
    for (tag, _, p) in designs {
        m.open("p", &[]).textf(format_args!("{tag} needs {}, {}, {} and {}: about ", plural(p.app_servers, "app server", "app servers"), plural(p.primaries, "primary", "primaries"), plural(p.replicas, "read replica", "read replicas"), plural(p.cache_nodes, "cache node", "cache nodes")));
        m.el("strong", &[("class", "w-total")], &format!("{} a month", money(p.total)));
        m.textf(format_args!(" ({} per million requests).", money(p.per_million))).close("p");
    }
    if let [(_, _, a), (_, _, b)] = designs {
        let diff = b.total - a.total;
        let words = if diff > 0.0 { format!("B costs {} more a month than A.", money(diff)) } else if diff < 0.0 { format!("B costs {} less a month than A.", money(-diff)) } else { "A and B cost the same.".to_string() };
        m.el("p", &[], &words);
    }
    m.close("div");
}

fn row_head(m: &mut Markup, what: &str) {
    m.open("tr", &[]).el("th", &[("scope", "row")], what);
}

/// A table row: what it shows, and its value and formula for one design.
type Row = (&'static str, fn(&Design, &Plan) -> (String, String));
/// A row of the differences: what, A's value, B's value, how to show them.
type DiffRow = (&'static str, f64, f64, fn(f64) -> String);

/// A cell: the value in bold, the formula under it.
fn cell(m: &mut Markup, value: &str, formula: &str) {
    m.open("td", &[]).el("strong", &[], value).el("span", &[("class", "w-formula")], formula).close("td");
}

fn table_head(m: &mut Markup, caption: &str, designs: &[(&str, &Design, Plan)]) {
    m.open("table", &[("class", "w-table")]).el("caption", &[], caption);
    m.open("thead", &[]).open("tr", &[]).el("th", &[("scope", "col")], "");
    for (tag, _, _) in designs {
        m.el("th", &[("scope", "col")], &format!("Design {tag}"));
    }
    m.close("tr").close("thead").open("tbody", &[]);
}

pub(crate) fn needs_table(m: &mut Markup, designs: &[(&str, &Design, Plan)]) {
    table_head(m, "What the load needs, and why", designs);
    let rows: [Row; 7] = [
        ("Reads and writes", |d, p| (format!("{} + {} /s", n0(p.reads), n0(p.writes)), format!("reads = {} × {} = {}; writes = {} × {} = {}", n0(d.v[PEAK]), pct(d.v[READ]), num(p.reads), n0(d.v[PEAK]), pct(100.0 - d.v[READ]), num(p.writes)))),
        ("App servers", |d, p| (n0(p.app_servers), format!("ceil({} ÷ ({} × {})) + {} = ceil({}) + {} = {}", n0(d.v[PEAK]), n0(d.v[SERVER]), pct(d.v[UTIL]), n0(d.v[SPARES]), num(p.app_exact), n0(d.v[SPARES]), n0(p.app_servers)))),
        ("Database primaries (shards)", |d, p| (n0(p.primaries), format!("max(1, ceil({} writes/s ÷ {})) = max(1, ceil({})) = {}", num(p.writes), n0(d.v[PRIMARY]), num(p.writes / d.v[PRIMARY]), n0(p.primaries)))),
        ("Database reads after the cache", |d, p| (format!("{} /s", n0(p.db_reads)), format!("{} × (100% − {}) = {}", num(p.reads), pct(d.v[HIT]), num(p.db_reads)))),
        ("Read replicas", |d, p| (n0(p.replicas), format!("ceil({} ÷ {}) = ceil({}) = {}", num(p.db_reads), n0(d.v[REPLICA]), num(p.db_reads / d.v[REPLICA]), n0(p.replicas)))),
        ("Cache nodes", |d, p| (n0(p.cache_nodes), format!("ceil({} GB ÷ {} GB) = ceil({}) = {}", num(d.v[CACHE_GB]), num(d.v[NODE_GB]), num(d.v[CACHE_GB] / d.v[NODE_GB]), n0(p.cache_nodes)))),
        ("Stored data", |d, p| (format!("{} GB", n0(p.stored_gb)), format!("{} TB × 1,000 GB/TB × {} copies = {} GB", num(d.v[STORAGE]), n0(d.v[RF]), n0(p.stored_gb)))),
    ];
    for (what, row) in rows {
        row_head(m, what);
        for (_, d, p) in designs {
            let (value, formula) = row(d, p);
            cell(m, &value, &formula);
        }
        m.close("tr");
    }
    m.close("tbody").close("table");
}

pub(crate) fn cost_table(m: &mut Markup, designs: &[(&str, &Design, Plan)]) {
    table_head(m, "Monthly cost (730 hours a month)", designs);
    let rows: [Row; 7] = [
        ("App servers", |d, p| (money(p.app_cost), format!("{} × {} × 730 h", n0(p.app_servers), h(d.v[VM])))),
        ("Databases", |d, p| (money(p.db_cost), format!("({} + {}) × {} × 730 h", n0(p.primaries), n0(p.replicas), h(d.v[DB])))),
        ("Cache", |d, p| (money(p.cache_cost), format!("{} × {} × 730 h", n0(p.cache_nodes), h(d.v[CACHE])))),
        ("Storage", |d, p| (money(p.storage_cost), format!("{} GB × ${}/GB-month", n0(p.stored_gb), short(d.v[GB], 6)))),
        ("Total a month", |_, p| (money(p.total), format!("{} + {} + {} + {}", money(p.app_cost), money(p.db_cost), money(p.cache_cost), money(p.storage_cost)))),
        ("Requests a month", |d, p| (format!("{} million", number(p.requests_month / 1e6, 0)), format!("{} × {} average × 730 h × 3,600 s", n0(d.v[PEAK]), pct(d.v[AVG])))),
        ("Cost per million requests", |_, p| (money(p.per_million), format!("{} ÷ {} million", money(p.total), short(p.requests_month / 1e6, 2)))),
    ];
    for (what, row) in rows {
        row_head(m, what);
        for (_, d, p) in designs {
            let (value, formula) = row(d, p);
            cell(m, &value, &formula);
        }
        m.close("tr");
    }
    m.close("tbody").close("table");
}

fn h(x: f64) -> String {
    format!("${}/h", short(x, 6))
}

/// `+3`, `−2`, `0`, with the change relative to A when there is one.
fn signed(diff: f64, base: f64, show: fn(f64) -> String) -> String {
    let sign = if diff > 0.0 { "+" } else if diff < 0.0 { "−" } else { "" };
    let rel = if base != 0.0 && diff != 0.0 { format!(" ({sign}{})", pct((diff / base).abs() * 100.0)) } else { String::new() };
    if diff == 0.0 { "no change".to_string() } else { format!("{sign}{}{rel}", show(diff.abs())) }
}

pub(crate) fn differences(m: &mut Markup, a: &Plan, b: &Plan) {
    m.open("table", &[("class", "w-table")]).el("caption", &[], "Differences between the designs (B − A)");
    m.open("thead", &[]).open("tr", &[]);
    for h in ["", "A", "B", "B − A"] {
        m.el("th", &[("scope", "col")], h);
    }
    m.close("tr").close("thead").open("tbody", &[]);
    let rows: [DiffRow; 6] = [
        ("App servers", a.app_servers, b.app_servers, n0),
        ("Database primaries", a.primaries, b.primaries, n0),
        ("Read replicas", a.replicas, b.replicas, n0),
        ("Cache nodes", a.cache_nodes, b.cache_nodes, n0),
        ("Monthly cost", a.total, b.total, money),
        ("Cost per million requests", a.per_million, b.per_million, money),
    ];
    for (what, x, y, show) in rows {
        row_head(m, what);
        m.el("td", &[], &show(x)).el("td", &[], &show(y)).el("td", &[], &signed(y - x, x, show)).close("tr");
    }
    m.close("tbody").close("table");
}
