//! Lay out: Tera templates from `templates/` around rendered pages, plus the static assets they
//! use (copied with content-hashed names so browsers may cache them for ever).
//!
//! Each page gets a small context: its own fields, its module, its neighbours and a sidebar that
//! was rendered once per module. Nothing in it grows with the number of pages in the site.

use crate::content::{Kind, Reference};
use crate::diagnostics::Diagnostic;
use crate::highlight;
use crate::markdown::Heading;
use crate::output::{Fnv, hash_bytes};
use crate::site::{Entry, ModuleLink, Nav, NavModule, NavPage, NavSheet, Window};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::{Context, Tera};

pub const SITE_TITLE: &str = "System Design Platform";

/// Loaded templates and assets.
pub struct Theme {
    tera: Tera,
    /// Output path (`static/style.1a2b3c4d.css`) and bytes of each asset.
    pub assets: Vec<(String, Arc<[u8]>)>,
    /// Changes whenever a template or asset changes.
    pub hash: u64,
}

impl Theme {
    /// Read `templates/*.html` and `templates/static/*`; `base` is the site's URL path prefix.
    pub fn load(root: &Path, base: &str) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("templates");
        let read_err = |p: &Path, e: std::io::Error| vec![Diagnostic::file(rel(root, p), format!("cannot read: {e}"))];
        let mut hash = Fnv::default();
        hash.write(base.as_bytes());
        let mut sources = vec![];
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| read_err(&dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "html"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|e| read_err(&path, e))?;
            hash.write(text.as_bytes());
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            sources.push((name, text));
        }

        let mut assets = vec![];
        let mut urls = HashMap::new();
        let static_dir = dir.join("static");
        let mut statics: Vec<PathBuf> = std::fs::read_dir(&static_dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect())
            .unwrap_or_default();
        statics.sort();
        let mut add = |name: &str, bytes: Vec<u8>| {
            let h = hash_bytes(&bytes);
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            let out = format!("static/{stem}.{:08x}.{ext}", h as u32);
            urls.insert(name.to_string(), format!("{base}{out}"));
            assets.push((out, Arc::from(bytes)));
            h
        };
        for path in statics {
            let bytes = std::fs::read(&path).map_err(|e| read_err(&path, e))?;
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            hash.write_u64(add(&name, bytes));
        }
        hash.write_u64(add("highlight.css", highlight::stylesheet().into_bytes()));

        let mut tera = Tera::default();
        // Tera's default escaping also turns `/` into `&#x2F;`, which makes every URL unreadable in
        // the HTML. Escape what HTML needs (`& < > "`); attributes are always double-quoted.
        tera.set_escape_fn(|s| highlight::escape(s));
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| vec![template_error(&e, None)])?;
        tera.register_function("asset", move |args: &HashMap<String, tera::Value>| {
            let name = args.get("name").and_then(|v| v.as_str()).ok_or("asset() needs name=\"file\"")?;
            urls.get(name)
                .map(|u| tera::Value::String(u.clone()))
                .ok_or_else(|| format!("asset(name=\"{name}\"): no such file in templates/static/").into())
        });
        Ok(Theme { tera, assets, hash: hash.finish() })
    }

    pub fn render(&self, template: &str, context: &impl Serialize) -> Result<String, Diagnostic> {
        let ctx = Context::from_serialize(context).map_err(|e| template_error(&e, Some(template)))?;
        self.tera.render(template, &ctx).map_err(|e| template_error(&e, Some(template)))
    }
}

fn rel(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

/// A Tera error with its whole cause chain, pointed at the template (and line, when Tera says).
fn template_error(e: &tera::Error, template: Option<&str>) -> Diagnostic {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let name = template
        .map(str::to_string)
        .or_else(|| message.split('\'').nth(1).map(str::to_string))
        .unwrap_or_default();
    let (line, col) = message
        .split("--> ")
        .nth(1)
        .and_then(|rest| {
            let mut it = rest.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
            Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
        })
        .unwrap_or((1, 1));
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    Diagnostic::new(Path::new("templates").join(name), line, col, format!("template: {message}"))
}

/// Site-wide values every template sees.
#[derive(Serialize, Clone)]
pub struct SiteInfo {
    pub title: &'static str,
    /// URL path prefix, starting and ending with `/`.
    pub base: String,
    /// Absolute URL of the site root, ending with `/`.
    pub base_url: String,
    /// The cheat sheets page, relative to the site root, when there is one.
    pub sheets_url: Option<String>,
    /// The quiz module's browser files, when the course has quizzes.
    pub quiz: Option<QuizAssets>,
}

#[derive(Serialize, Clone)]
pub struct QuizAssets {
    pub js: String,
    pub wasm: String,
}

#[derive(Serialize)]
struct PageContext<'a> {
    site: &'a SiteInfo,
    page: PageView<'a>,
    sidebar: SidebarView<'a>,
    /// Home page only: the course map.
    nav: Option<&'a Nav>,
    /// Module page only: the module with its pages.
    module: Option<&'a NavModule>,
    /// Cheat sheet pages only: the sheet.
    sheet: Option<&'a NavSheet>,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    summary: &'a str,
    url: &'a str,
    kind: Kind,
    kind_label: &'static str,
    difficulty: Option<crate::content::Difficulty>,
    objectives: &'a [String],
    references: &'a [Reference],
    content: &'a str,
    toc: Vec<&'a Heading>,
    module: Option<&'a ModuleLink>,
    related: Vec<&'a NavPage>,
    prev: Option<&'a NavPage>,
    next: Option<&'a NavPage>,
    source: String,
    /// The widgets on this page that have browser code: name -> {js, wasm} URLs, as JSON for
    /// the loader (empty when there are none, and then no script is sent).
    widgets_json: String,
    /// The page has quick checks (and needs the quiz script).
    quizzes: bool,
}

/// What the sidebar shows: every module, and part of the current module's pages.
#[derive(Serialize)]
struct SidebarView<'a> {
    modules: &'a [ModuleLink],
    /// Number of the open module (0: none).
    current: u32,
    /// URL of the current page, marked `aria-current` in the list.
    current_url: &'a str,
    window: Window<'a>,
}

/// Lay out one page with its template.
pub fn layout(
    theme: &Theme,
    site: &SiteInfo,
    nav: &Nav,
    widget_urls: &BTreeMap<String, (String, String)>,
    bank: &crate::quiz::Bank,
    entry: &Entry,
) -> Result<String, Diagnostic> {
    let filled;
    let content = if entry.rendered.quizzes.is_empty() {
        &entry.rendered.html
    } else {
        filled = crate::quiz::fill_markers(&entry.rendered.html, bank);
        &filled
    };
    let mut widgets_used = entry.rendered.widgets.clone();
    for (id, _) in &entry.rendered.quizzes {
        if let Some(name) = bank.get(id).and_then(|q| q.widget_name()) {
            if !widgets_used.iter().any(|w| w == name) {
                widgets_used.push(name.to_string());
            }
        }
    }
    let page = &entry.page;
    let module = page.module.and_then(|n| nav.module(n));
    let module_link = page.module.and_then(|n| nav.module_links.iter().find(|m| m.number == n));
    let (prev, next) = nav.neighbours(&page.key);
    let related = page
        .meta
        .related
        .iter()
        .filter_map(|r| crate::markdown::resolve(&page.key, r))
        .filter_map(|k| nav.page(&k))
        .collect();
    let view = PageView {
        title: &page.meta.title,
        summary: &page.meta.summary,
        url: &page.url,
        kind: page.kind,
        kind_label: page.kind.label(),
        difficulty: page.meta.difficulty,
        objectives: &page.meta.objectives,
        references: &page.meta.references,
        content,
        toc: entry.rendered.headings.iter().filter(|h| h.level == 2 || h.level == 3).collect(),
        module: module_link,
        related,
        prev,
        next,
        source: page.path.to_string_lossy().replace('\\', "/"),
        widgets_json: widgets_json(site, widget_urls, &widgets_used),
        quizzes: !entry.rendered.quizzes.is_empty(),
    };
    let template = match page.kind {
        Kind::Home => "home.html",
        Kind::Module => "module.html",
        Kind::Sheets => "sheets.html",
        Kind::Sheet => "sheet.html",
        _ => "page.html",
    };
    let context = PageContext {
        site,
        page: view,
        sidebar: SidebarView {
            modules: &nav.module_links,
            current: page.module.unwrap_or(0),
            current_url: &page.url,
            window: nav.window(page.module.unwrap_or(0), &page.key),
        },
        nav: matches!(page.kind, Kind::Home | Kind::Sheets).then_some(nav),
        module: if page.kind == Kind::Module { module } else { None },
        sheet: nav.sheets.iter().find(|s| s.key == page.key),
    };
    theme.render(template, &context).map_err(|mut d| {
        d.message = format!("{} (while laying out {})", d.message, page.path.display());
        d
    })
}

fn widgets_json(site: &SiteInfo, urls: &BTreeMap<String, (String, String)>, used: &[String]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = used
        .iter()
        .filter_map(|name| {
            let (js, wasm) = urls.get(name)?;
            Some((name.clone(), serde_json::json!({ "js": format!("{}{js}", site.base), "wasm": format!("{}{wasm}", site.base) })))
        })
        .collect();
    if map.is_empty() {
        return String::new();
    }
    // Inside a <script> element: `</` must not appear.
    serde_json::Value::Object(map).to_string().replace("</", "<\\/")
}

/// The 404 page.
pub fn not_found(theme: &Theme, site: &SiteInfo, nav: &Nav) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct NotFound<'a> {
        site: &'a SiteInfo,
        sidebar: SidebarView<'a>,
    }
    let sidebar = SidebarView { modules: &nav.module_links, current: 0, current_url: "", window: nav.window(0, "") };
    theme.render("404.html", &NotFound { site, sidebar })
}

/// The quiz pages (one per module with questions), the review page and the progress page.
pub fn quiz_pages(
    theme: &Theme,
    site: &SiteInfo,
    nav: &Nav,
    bank: &crate::quiz::Bank,
    widget_urls: &BTreeMap<String, (String, String)>,
) -> Result<Vec<(String, String)>, Diagnostic> {
    if bank.is_empty() {
        return Ok(vec![]);
    }
    /// What base.html needs of any page: title, summary and URL.
    #[derive(Serialize)]
    struct Head {
        title: String,
        summary: String,
        url: String,
        /// For widget-scripts.html: the predict questions' widgets.
        widgets_json: String,
    }
    #[derive(Serialize)]
    struct QuizPage<'a> {
        site: &'a SiteInfo,
        page: Head,
        sidebar: SidebarView<'a>,
        module: &'a NavModule,
        folder: &'a str,
        questions: Vec<&'a str>,
    }
    #[derive(Serialize)]
    struct Special<'a> {
        site: &'a SiteInfo,
        page: Head,
        sidebar: SidebarView<'a>,
        /// Modules for the progress page: folder, number, title, URLs and pages.
        modules_json: String,
        questions: usize,
    }
    let mut out = vec![];
    for m in &nav.modules {
        let Some(link) = &m.quiz else { continue };
        let folder = link.url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let questions = &bank.modules[folder];
        let widgets: Vec<String> = questions.iter().filter_map(|q| q.widget_name().map(str::to_string)).collect();
        let page = QuizPage {
            site,
            page: Head {
                title: format!("Module {} quiz: {}", m.number, m.title),
                summary: format!("{} questions on module {}: judgement, trade-offs and estimates, with explanations.", questions.len(), m.number),
                url: link.url.clone(),
                widgets_json: widgets_json(site, widget_urls, &widgets),
            },
            sidebar: SidebarView { modules: &nav.module_links, current: m.number, current_url: &link.url, window: nav.window(m.number, "") },
            module: m,
            folder,
            questions: questions.iter().map(|q| q.html.as_str()).collect(),
        };
        out.push((format!("{}index.html", link.url), theme.render("quiz.html", &page)?));
    }
    let modules: Vec<serde_json::Value> = nav
        .modules
        .iter()
        .map(|m| {
            serde_json::json!({
                "folder": m.url.trim_end_matches('/').rsplit('/').next().unwrap_or(""),
                "number": m.number,
                "title": m.title,
                "url": m.url,
                "quiz": m.quiz.as_ref().map(|q| &q.url),
                "pages": m.pages.iter().map(|p| &p.url).collect::<Vec<_>>(),
            })
        })
        .collect();
    let all_widgets: Vec<String> = {
        let mut w: Vec<String> = bank.modules.values().flatten().filter_map(|q| q.widget_name().map(str::to_string)).collect();
        w.sort();
        w.dedup();
        w
    };
    for (template, url, title, summary) in [
        ("review.html", "review/", "Review", "Spaced-repetition review of the questions you have answered."),
        ("progress.html", "progress/", "Your progress", "Pages read, quiz scores, review streak, export and import, and the certificate."),
    ] {
        let page = Special {
            site,
            page: Head {
                title: title.into(),
                summary: summary.into(),
                url: url.into(),
                widgets_json: if template == "review.html" { widgets_json(site, widget_urls, &all_widgets) } else { String::new() },
            },
            sidebar: SidebarView { modules: &nav.module_links, current: 0, current_url: url, window: nav.window(0, "") },
            modules_json: serde_json::Value::Array(modules.clone()).to_string().replace("</", "<\\/"),
            questions: bank.len(),
        };
        out.push((format!("{url}index.html"), theme.render(template, &page)?));
    }
    Ok(out)
}
