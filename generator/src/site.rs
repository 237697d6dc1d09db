//! The whole site: checks that need every page at once (links, anchors, concept owners,
//! required sections, module structure) and the navigation that templates lay out.

use crate::content::{Kind, Page};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Rendered};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// A loaded page and its rendered body.
#[derive(Debug)]
pub struct Entry {
    pub page: Page,
    pub rendered: Rendered,
    /// Cheat sheets: the typeset PDF.
    pub pdf: Option<std::sync::Arc<[u8]>>,
}

/// Required `##` sections, in order, by page kind (see docs/authoring.md).
pub fn required_sections(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Topic => &["Why it matters", "The idea", "Try it", "Trade-offs", "Real-world examples", "Common mistakes", "Interview tips"],
        Kind::CaseStudy => &[
            "Company overview", "The challenge", "Initial architecture", "The problem at scale", "The solution",
            "Key technologies", "Architecture diagram", "Important metrics", "Trade-offs made", "Lessons learned",
            "Try it yourself", "Design challenge",
        ],
        Kind::Problem => &[
            "Problem statement", "Requirements", "Back-of-envelope estimation", "API design", "Data model",
            "High-level design", "Deep dives", "Bottlenecks and trade-offs",
        ],
        Kind::Home | Kind::Module | Kind::Sheets | Kind::Sheet => &[],
    }
}

/// Everything that needs more than one page to check. `unloaded` names pages that exist but
/// failed to load (their own errors are reported); links to them are not errors.
pub fn check(entries: &[Arc<Entry>], unloaded: &HashSet<String>) -> Vec<Diagnostic> {
    let mut out = vec![];
    let by_key: HashMap<&str, &Entry> = entries.iter().map(|e| (e.page.key.as_str(), e.as_ref())).collect();

    if !by_key.contains_key("_index.md") {
        out.push(Diagnostic::file("content/_index.md", "the home page content/_index.md is missing"));
    }
    check_modules(entries, &by_key, &mut out);

    let mut owners: BTreeMap<&str, &Page> = BTreeMap::new();
    for e in entries {
        let page = &e.page;
        for concept in &page.meta.concepts {
            if let Some(first) = owners.insert(concept, page) {
                out.push(Diagnostic::new(
                    &page.path,
                    page.value_line("concepts", concept),
                    1,
                    format!("concept `{concept}` already has a home page: {} (link to it instead)", first.path.display()),
                ));
                owners.insert(concept, first);
            }
        }
        for rel in &page.meta.related {
            let target = markdown::resolve(&page.key, rel);
            if target.as_deref().is_none_or(|t| !by_key.contains_key(t) && !unloaded.contains(t)) {
                out.push(Diagnostic::new(&page.path, page.value_line("related", rel), 1, format!("related page `{rel}` does not exist")));
            }
        }
        for link in &e.rendered.links {
            match by_key.get(link.target.as_str()) {
                None if unloaded.contains(&link.target) => {}
                None => out.push(Diagnostic::new(&page.path, link.line, link.col, format!("link to `{}`: no such page", link.target))),
                Some(target) => {
                    if let Some(anchor) = &link.anchor {
                        if !target.rendered.has_anchor(anchor) {
                            out.push(Diagnostic::new(
                                &page.path, link.line, link.col,
                                format!("link to `{}#{anchor}`: that page has no heading with the anchor `{anchor}`", link.target),
                            ));
                        }
                    }
                }
            }
        }
        if let Some(sheet) = &page.meta.sheet {
            for folder in &sheet.modules {
                if !by_key.contains_key(format!("modules/{folder}/_index.md").as_str()) {
                    out.push(Diagnostic::new(&page.path, page.value_line("modules", folder), 1, format!("module `{folder}` does not exist: name a folder of content/modules/, such as `01-foundations`")));
                }
            }
        }
        check_sections(e, &mut out);
        if matches!(page.kind, Kind::Topic | Kind::CaseStudy) && e.rendered.diagrams == 0 {
            out.push(Diagnostic::file(&page.path, format!("a {} needs at least one diagram (a ```mermaid block)", page.kind.label().to_lowercase())));
        }
    }
    out
}

/// The question bank against the site: `teaches` and links resolve, quiz files name modules
/// that exist, and every quick check names a question that exists.
pub fn check_quizzes(entries: &[Arc<Entry>], unloaded: &HashSet<String>, bank: &crate::quiz::Bank) -> Vec<Diagnostic> {
    let by_key: HashMap<&str, &Entry> = entries.iter().map(|e| (e.page.key.as_str(), e.as_ref())).collect();
    let has = |target: &str, anchor: Option<&str>| -> Result<(), String> {
        match by_key.get(target) {
            None if unloaded.contains(target) => Ok(()),
            None => Err(format!("link to `{target}`: no such page")),
            Some(e) => match anchor {
                Some(a) if !e.rendered.has_anchor(a) => Err(format!("link to `{target}#{a}`: that page has no heading with the anchor `{a}`")),
                _ => Ok(()),
            },
        }
    };
    let mut out = crate::quiz::check(bank, has, |folder| by_key.contains_key(format!("modules/{folder}/_index.md").as_str()));
    for e in entries {
        for (id, line) in &e.rendered.quizzes {
            if bank.get(id).is_none() {
                out.push(Diagnostic::new(&e.page.path, *line, 1, format!("quick check: no question `{id}` in content/quizzes/")));
            }
        }
    }
    out
}

fn check_modules(entries: &[Arc<Entry>], by_key: &HashMap<&str, &Entry>, out: &mut Vec<Diagnostic>) {
    let mut folders: BTreeMap<u32, &str> = BTreeMap::new();
    let mut orders: HashMap<(u32, u32), &Page> = HashMap::new();
    for e in entries {
        let page = &e.page;
        let Some(n) = page.module else { continue };
        let folder = module_folder(&page.key);
        match folders.get(&n) {
            Some(other) if *other != folder => out.push(Diagnostic::file(
                &page.path,
                format!("module number {n:02} is used by two folders: {other} and {folder}"),
            )),
            _ => {
                folders.insert(n, folder);
            }
        }
        if page.kind != Kind::Module {
            if !by_key.contains_key(format!("modules/{folder}/_index.md").as_str()) {
                out.push(Diagnostic::file(&page.path, format!("module folder {folder} has no _index.md module page")));
            }
            if let Some(other) = orders.insert((n, page.meta.order), page) {
                out.push(Diagnostic::new(
                    &page.path, page.field_line("order"), 1,
                    format!("order {} is also used by {} in this module", page.meta.order, other.path.display()),
                ));
            }
        }
    }
}

fn module_folder(key: &str) -> &str {
    key.split('/').nth(1).unwrap_or("")
}

fn check_sections(e: &Entry, out: &mut Vec<Diagnostic>) {
    let required = required_sections(e.page.kind);
    let h2: Vec<_> = e.rendered.headings.iter().filter(|h| h.level == 2).collect();
    let mut pos = 0;
    let mut previous: Option<&str> = None;
    for name in required {
        match h2[pos..].iter().position(|h| h.title == *name) {
            Some(i) => pos += i + 1,
            None => {
                let message = match h2[..pos].iter().find(|h| h.title == *name) {
                    Some(h) => (h.line, format!("section `## {name}` must come after `## {}`", previous.unwrap_or(""))),
                    None => (
                        h2.get(pos).map_or(e.page.body_line_offset + 1, |h| h.line),
                        format!("missing section `## {name}` (required in a {}; see docs/authoring.md)", e.page.kind.label().to_lowercase()),
                    ),
                };
                out.push(Diagnostic::new(&e.page.path, message.0, 1, message.1));
            }
        }
        previous = Some(name);
    }
}

/// A page as navigation shows it.
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct NavPage {
    pub key: String,
    pub title: String,
    pub summary: String,
    pub url: String,
    pub kind: Kind,
    pub kind_label: &'static str,
    pub difficulty: Option<crate::content::Difficulty>,
    pub module: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct NavModule {
    pub number: u32,
    pub title: String,
    pub summary: String,
    pub url: String,
    pub pages: Vec<NavPage>,
    /// The cheat sheets that belong to this module.
    pub sheets: Vec<NavSheet>,
    /// Its end-of-module quiz, when it has questions.
    pub quiz: Option<QuizLink>,
}

#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct QuizLink {
    pub url: String,
    pub questions: usize,
}

/// A cheat sheet as lists show it.
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct NavSheet {
    pub key: String,
    pub title: String,
    pub summary: String,
    /// Its HTML page.
    pub url: String,
    /// Its PDF, relative to the site root.
    pub pdf: String,
    pub orientation: crate::content::Orientation,
    pub modules: Vec<ModuleLink>,
}

/// A module as the sidebar lists it.
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub struct ModuleLink {
    pub number: u32,
    pub title: String,
    pub url: String,
}

/// How many of its module's pages the sidebar lists around the current page. Beyond that it
/// says how many more there are and links to the module page, so a page's size and layout cost
/// do not grow with its module.
pub const SIDEBAR_WINDOW: usize = 40;

/// The site's navigation: modules in order with their pages in order. It depends only on the
/// fields that navigation shows, so a change that leaves it equal re-lays out one page only.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Nav {
    pub modules: Vec<NavModule>,
    /// Every page in reading order: each module page followed by its pages.
    pub sequence: Vec<NavPage>,
    pub case_studies: Vec<NavPage>,
    pub problems: Vec<NavPage>,
    /// Every cheat sheet, by title.
    pub sheets: Vec<NavSheet>,
    /// The page listing the cheat sheets, when there is one.
    pub sheets_url: Option<String>,
    /// The modules without their pages, for the sidebar.
    #[serde(skip)]
    pub module_links: Vec<ModuleLink>,
    /// Position of each page in `sequence` and in its module's pages, by key.
    #[serde(skip)]
    index: HashMap<String, (usize, Option<usize>)>,
}

/// The part of a module's page list the sidebar shows.
#[derive(Debug, Serialize)]
pub struct Window<'a> {
    pub pages: &'a [NavPage],
    pub hidden_before: usize,
    pub hidden_after: usize,
}

impl Nav {
    pub fn new(entries: &[Arc<Entry>]) -> Nav {
        let nav_page = |p: &Page| NavPage {
            key: p.key.clone(),
            title: p.meta.title.clone(),
            summary: p.meta.summary.clone(),
            url: p.url.clone(),
            kind: p.kind,
            kind_label: p.kind.label(),
            difficulty: p.meta.difficulty,
            module: p.module,
        };
        let mut modules: BTreeMap<u32, NavModule> = BTreeMap::new();
        for e in entries.iter().filter(|e| e.page.kind == Kind::Module) {
            let p = &e.page;
            let n = p.module.expect("module pages have a number");
            modules.insert(n, NavModule { number: n, title: p.meta.title.clone(), summary: p.meta.summary.clone(), url: p.url.clone(), pages: vec![], sheets: vec![], quiz: None });
        }
        let mut pages: Vec<&Page> = entries.iter().map(|e| &e.page).filter(|p| matches!(p.kind, Kind::Topic | Kind::CaseStudy | Kind::Problem)).collect();
        pages.sort_by(|a, b| (a.module, a.meta.order, &a.key).cmp(&(b.module, b.meta.order, &b.key)));
        let mut nav = Nav::default();
        for p in pages {
            let np = nav_page(p);
            match p.kind {
                Kind::CaseStudy => nav.case_studies.push(np.clone()),
                Kind::Problem => nav.problems.push(np.clone()),
                _ => {}
            }
            if let Some(m) = p.module.and_then(|n| modules.get_mut(&n)) {
                m.pages.push(np);
            }
        }
        for e in entries.iter().filter(|e| e.page.kind == Kind::Module) {
            let n = e.page.module.unwrap_or(0);
            nav.sequence.push(nav_page(&e.page));
            if let Some(m) = modules.get(&n) {
                nav.sequence.extend(m.pages.iter().cloned());
            }
        }
        nav.sequence.sort_by_key(|p| (p.module, p.kind != Kind::Module));
        let links: Vec<ModuleLink> = modules.values().map(|m| ModuleLink { number: m.number, title: m.title.clone(), url: m.url.clone() }).collect();
        for e in entries {
            let p = &e.page;
            if p.kind == Kind::Sheets {
                nav.sheets_url = Some(p.url.clone());
            }
            let Some(sheet) = (p.kind == Kind::Sheet).then_some(p.meta.sheet.as_ref()).flatten() else { continue };
            let numbers: Vec<u32> = sheet.modules.iter().filter_map(|f| crate::content::module_number(f)).collect();
            nav.sheets.push(NavSheet {
                key: p.key.clone(),
                title: p.meta.title.clone(),
                summary: p.meta.summary.clone(),
                url: p.url.clone(),
                pdf: crate::pipeline::pdf_path(&p.url),
                orientation: sheet.orientation,
                modules: links.iter().filter(|l| numbers.contains(&l.number)).cloned().collect(),
            });
        }
        nav.sheets.sort_by(|a, b| a.title.cmp(&b.title));
        for sheet in &nav.sheets {
            for m in &sheet.modules {
                if let Some(module) = modules.get_mut(&m.number) {
                    module.sheets.push(sheet.clone());
                }
            }
        }
        nav.modules = modules.into_values().collect();
        nav.module_links = nav.modules.iter().map(|m| ModuleLink { number: m.number, title: m.title.clone(), url: m.url.clone() }).collect();
        nav.index = nav.sequence.iter().enumerate().map(|(i, p)| (p.key.clone(), (i, None))).collect();
        for m in &nav.modules {
            for (j, p) in m.pages.iter().enumerate() {
                if let Some(entry) = nav.index.get_mut(&p.key) {
                    entry.1 = Some(j);
                }
            }
        }
        nav
    }

    /// Link each module to its quiz.
    pub fn attach_quizzes(&mut self, bank: &crate::quiz::Bank) {
        for m in &mut self.modules {
            let folder = m.url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            if let Some(questions) = bank.modules.get(folder).filter(|q| !q.is_empty()) {
                m.quiz = Some(QuizLink { url: format!("quizzes/{folder}/"), questions: questions.len() });
            }
        }
    }

    pub fn module(&self, number: u32) -> Option<&NavModule> {
        self.modules.iter().find(|m| m.number == number)
    }

    /// The pages before and after `key` in reading order.
    pub fn neighbours(&self, key: &str) -> (Option<&NavPage>, Option<&NavPage>) {
        match self.index.get(key).map(|e| e.0) {
            Some(i) => (i.checked_sub(1).map(|j| &self.sequence[j]), self.sequence.get(i + 1)),
            None => (None, None),
        }
    }

    pub fn page(&self, key: &str) -> Option<&NavPage> {
        self.index.get(key).map(|&(i, _)| &self.sequence[i])
    }

    /// Up to [`SIDEBAR_WINDOW`] pages of `module` around the page `key` (from the start when
    /// `key` is not one of them, as for the module page itself).
    pub fn window(&self, module: u32, key: &str) -> Window<'_> {
        let pages: &[NavPage] = self.module(module).map_or(&[], |m| &m.pages);
        let at = self.index.get(key).and_then(|e| e.1).unwrap_or(0);
        let start = at.saturating_sub(SIDEBAR_WINDOW / 2).min(pages.len().saturating_sub(SIDEBAR_WINDOW));
        let end = (start + SIDEBAR_WINDOW).min(pages.len());
        Window { pages: &pages[start..end], hidden_before: start, hidden_after: pages.len() - end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nav_with(n: usize) -> Nav {
        let page = |i: usize| NavPage {
            key: format!("modules/01-a/p{i:04}.md"), title: format!("P{i}"), summary: String::new(),
            url: format!("modules/01-a/p{i:04}/"), kind: Kind::Topic, kind_label: "Topic", difficulty: None, module: Some(1),
        };
        let pages: Vec<NavPage> = (0..n).map(page).collect();
        let mut nav = Nav { sequence: pages.clone(), ..Nav::default() };
        nav.modules = vec![NavModule { number: 1, title: "A".into(), summary: String::new(), url: "modules/01-a/".into(), pages, sheets: vec![], quiz: None }];
        nav.index = nav.sequence.iter().enumerate().map(|(i, p)| (p.key.clone(), (i, Some(i)))).collect();
        nav
    }

    #[test]
    fn sidebar_window_is_bounded_and_centred() {
        let nav = nav_with(500);
        let w = nav.window(1, "modules/01-a/p0250.md");
        assert_eq!(w.pages.len(), SIDEBAR_WINDOW);
        assert_eq!((w.hidden_before, w.hidden_after), (230, 230));
        assert!(w.pages.iter().any(|p| p.key == "modules/01-a/p0250.md"));
        let w = nav.window(1, "modules/01-a/p0499.md");
        assert_eq!((w.hidden_before, w.hidden_after), (460, 0));
        let w = nav.window(1, "modules/01-a/_index.md");
        assert_eq!((w.hidden_before, w.hidden_after), (0, 460));
        let small = nav_with(5);
        let w = small.window(1, "modules/01-a/p0003.md");
        assert_eq!((w.pages.len(), w.hidden_before, w.hidden_after), (5, 0, 0));
        let (prev, next) = small.neighbours("modules/01-a/p0000.md");
        assert!(prev.is_none() && next.unwrap().key.ends_with("p0001.md"));
    }
}
