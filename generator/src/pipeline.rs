//! The build, top to bottom: load and render every page (reusing pages whose source did not
//! change), check the whole site, lay out pages with templates, and collect the output.
//!
//! A [`Builder`] keeps what it made last time, so `sdp serve` rebuilds only what a change
//! affects: a page whose text changed is rendered again, and if the navigation (titles, order,
//! summaries) and templates are unchanged only that page is laid out again.

use crate::content::{self, Kind};
use crate::diagnostics::{Diagnostic, Failure};
use crate::markdown;
use crate::output::{Output, hash_bytes};
use crate::site::{self, Entry, Nav};
use crate::templates::{self, SiteInfo, Theme};
use crate::wasm::{self, Bundle};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

#[derive(Debug, Clone)]
pub struct Options {
    /// The project folder (holding `content/` and `templates/`).
    pub root: PathBuf,
    /// Where the site will live, such as `https://example.org/course/` or `/`.
    pub base_url: String,
    /// Compile the widgets to WebAssembly (`sdp check` does not).
    pub widgets: bool,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options { root: root.into(), base_url: "/".into(), widgets: true }
    }

    /// The site's root as printed in a PDF: the absolute base URL when there is one, else the
    /// path prefix. Ends with `/`.
    pub fn site_url(&self) -> String {
        if self.base_url.contains("://") { self.base_url.trim_end_matches('/').to_string() + "/" } else { self.base_path() }
    }

    /// The URL path prefix: `https://x.org/course` -> `/course/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or(self.base_url.as_str(), |(_, r)| r);
        let path = if self.base_url.contains("://") {
            after_scheme.find('/').map_or("", |i| &after_scheme[i..])
        } else {
            after_scheme
        };
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() { "/".to_string() } else { format!("/{trimmed}/") }
    }
}

/// What one build did, for reports and tests.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub pages: usize,
    /// Pages whose Markdown was rendered (not reused from the previous build).
    pub rendered: usize,
    /// Pages laid out with templates.
    pub laid_out: usize,
    /// Pages in the search index.
    pub indexed: usize,
    /// Wall time of each phase, in order.
    pub phases: Vec<(&'static str, std::time::Duration)>,
}

pub struct Build {
    pub output: Output,
    pub stats: Stats,
    /// The widgets' browser files and sizes (empty when not compiled).
    pub widgets: Arc<Bundle>,
}

struct Cached {
    /// Modification time and length when the file was last read: unchanged means not re-read.
    stamp: Stamp,
    source_hash: u64,
    entry: Arc<Entry>,
}

type Stamp = (Option<std::time::SystemTime>, u64);

struct Previous {
    output: Output,
    nav_hash: u64,
    theme_hash: u64,
    /// Source hash of each page as it was laid out.
    laid_out: HashMap<String, u64>,
}

pub struct Builder {
    pub options: Options,
    cache: HashMap<String, Cached>,
    previous: Option<Previous>,
    /// The last widget bundle and the stamp of `widgets/` it was built from.
    bundle: Option<(u64, Arc<Bundle>)>,
}

impl Builder {
    pub fn new(options: Options) -> Builder {
        Builder { options, cache: HashMap::new(), previous: None, bundle: None }
    }

    /// Check everything and produce the site in memory. On failure, every error found.
    pub fn build(&mut self) -> Result<Build, Failure> {
        let root = self.options.root.clone();
        let base = self.options.base_path();
        let site_url = self.options.site_url();
        let mut errors = vec![];
        let mut phases = vec![];
        let mut clock = std::time::Instant::now();
        let mut phase = |name: &'static str| {
            phases.push((name, clock.elapsed()));
            clock = std::time::Instant::now();
        };

        // 1. Load: list content/; read and render only pages whose file changed.
        let files = read_content(&root).map_err(Failure::new)?;
        let keys: HashSet<&str> = files.pages.iter().map(|f| f.key.as_str()).collect();
        self.cache.retain(|k, _| keys.contains(k.as_str()));
        let stale: Vec<&SourceFile> = files
            .pages
            .iter()
            .filter(|f| self.cache.get(&f.key).is_none_or(|c| c.stamp != f.stamp))
            .collect();
        let fresh: Vec<(&SourceFile, Result<(u64, Option<Entry>), Vec<Diagnostic>>)> = stale
            .par_iter()
            .map(|f| {
                let text = std::fs::read_to_string(root.join(&f.path))
                    .map_err(|e| vec![Diagnostic::file(&f.path, format!("cannot read as UTF-8 text: {e}"))]);
                let result = text.and_then(|text| {
                    let hash = hash_bytes(text.as_bytes());
                    // Touched but not changed: keep the rendered page.
                    if self.cache.get(&f.key).is_some_and(|c| c.source_hash == hash) {
                        return Ok((hash, None));
                    }
                    load_page(f, &text, &base, &site_url).map(|e| (hash, Some(e)))
                });
                (*f, result)
            })
            .collect();
        let mut rendered = 0;
        for (f, result) in fresh {
            match result {
                Ok((source_hash, Some(entry))) => {
                    rendered += 1;
                    self.cache.insert(f.key.clone(), Cached { stamp: f.stamp, source_hash, entry: Arc::new(entry) });
                }
                Ok((_, None)) => {
                    if let Some(c) = self.cache.get_mut(&f.key) {
                        c.stamp = f.stamp;
                    }
                }
                Err(e) => {
                    self.cache.remove(&f.key);
                    errors.extend(e);
                }
            }
        }
        let bank = match crate::quiz::load(&root, &base) {
            Ok(b) => b,
            Err(e) => {
                errors.extend(e);
                crate::quiz::Bank::default()
            }
        };
        phase("load");
        let mut entries: Vec<Arc<Entry>> = files
            .pages
            .iter()
            .filter_map(|f| self.cache.get(&f.key).map(|c| c.entry.clone()))
            .collect();
        entries.sort_by(|a, b| a.page.key.cmp(&b.page.key));
        for e in &entries {
            errors.extend(e.rendered.errors.iter().cloned());
        }

        // 2. Check the whole site.
        let unloaded: HashSet<String> = files
            .pages
            .iter()
            .filter(|f| !self.cache.contains_key(&f.key))
            .map(|f| f.key.clone())
            .collect();
        errors.extend(site::check(&entries, &unloaded));
        errors.extend(site::check_quizzes(&entries, &unloaded, &bank));
        phase("check");
        let theme = Theme::load(&root, &base);
        let theme = match theme {
            Ok(t) => Some(t),
            Err(e) => {
                errors.extend(e);
                None
            }
        };
        if !errors.is_empty() {
            return Err(Failure::new(errors));
        }
        let theme = theme.expect("no errors means the theme loaded");
        phase("templates");

        // Widgets: compile to WebAssembly when anything under widgets/ changed.
        let bundle = if self.options.widgets {
            let stamp = wasm::stamp(&root);
            match &self.bundle {
                Some((s, b)) if *s == stamp => b.clone(),
                _ => {
                    let b = Arc::new(wasm::build(&root).map_err(Failure::one)?);
                    self.bundle = Some((stamp, b.clone()));
                    b
                }
            }
        } else {
            Arc::new(Bundle::default())
        };
        let theme_hash = theme.hash ^ bundle.hash ^ bank.hash;
        phase("widgets");

        // 3. Lay out: every page when navigation or templates changed, else the changed ones.
        let mut nav = Nav::new(&entries);
        nav.attach_quizzes(&bank);
        let nav_hash = hash_bytes(&serde_json::to_vec(&nav).expect("navigation serializes"));
        phase("navigation");
        let site = SiteInfo {
            title: templates::SITE_TITLE,
            base: base.clone(),
            base_url: self.options.base_url.trim_end_matches('/').to_string() + "/",
            sheets_url: nav.sheets_url.clone(),
            quiz: (!bank.is_empty()).then(|| bundle.urls.get("quiz").map(|(js, wasm)| templates::QuizAssets { js: format!("{base}{js}"), wasm: format!("{base}{wasm}") })).flatten(),
        };
        let source_hash = |key: &str| self.cache.get(key).map_or(0, |c| c.source_hash);
        let previous = self
            .previous
            .take()
            .filter(|p| p.nav_hash == nav_hash && p.theme_hash == theme_hash);
        let todo: Vec<&Arc<Entry>> = entries
            .iter()
            .filter(|e| previous.as_ref().is_none_or(|p| p.laid_out.get(&e.page.key) != Some(&source_hash(&e.page.key))))
            .collect();

        let pages: Vec<(String, Arc<[u8]>)> = todo
            .par_iter()
            .map(|e| {
                templates::layout(&theme, &site, &nav, &bundle.urls, &bank, e)
                    .map(|html| (format!("{}index.html", e.page.url), Arc::from(html.into_bytes())))
            })
            .collect::<Result<_, _>>()
            .map_err(Failure::one)?;
        let laid_out = pages.len();
        phase("layout");

        // 4. Collect the output.
        let mut output = match previous {
            Some(p) => p.output,
            None => {
                let mut out = Output::default();
                for (path, bytes) in theme.assets.iter().chain(&bundle.files) {
                    out.insert(path.clone(), bytes.clone());
                }
                out.insert("404.html", templates::not_found(&theme, &site, &nav).map_err(Failure::one)?.into_bytes());
                for (path, html) in templates::quiz_pages(&theme, &site, &nav, &bank, &bundle.urls).map_err(Failure::one)? {
                    out.insert(path, html.into_bytes());
                }
                if !bank.is_empty() {
                    out.insert("quizzes/bank.json", bank.json(&base).into_bytes());
                }
                out.insert("sitemap.xml", sitemap(&site.base_url, &entries).into_bytes());
                out
            }
        };
        for (path, bytes) in &files.assets {
            output.insert(path.clone(), bytes.clone());
        }
        for (path, bytes) in pages {
            output.insert(path, bytes);
        }
        for e in &entries {
            if let Some(pdf) = &e.pdf {
                output.insert(pdf_path(&e.page.url), pdf.clone());
            }
        }
        phase("collect");

        // 5. Search index and offline files, over the finished pages (see search.rs).
        output.files.retain(|p, _| !p.starts_with("pagefind/"));
        let (index, indexed) = crate::search::index(&output, &base).map_err(|m| Failure::one(Diagnostic::file("content", m)))?;
        for (path, bytes) in index {
            output.insert(path, bytes);
        }
        crate::search::offline(&mut output, &base, templates::SITE_TITLE);
        self.previous = Some(Previous {
            output: output.clone(),
            nav_hash,
            theme_hash,
            laid_out: entries.iter().map(|e| (e.page.key.clone(), source_hash(&e.page.key))).collect(),
        });
        phase("search");
        Ok(Build { output, stats: Stats { pages: entries.len(), rendered, laid_out, indexed, phases }, widgets: bundle })
    }
}

/// One Markdown file found in `content/`.
struct SourceFile {
    /// Relative to the project root.
    path: PathBuf,
    key: String,
    stamp: Stamp,
}

struct ContentFiles {
    pages: Vec<SourceFile>,
    /// Other files (images) copied as they are, by output path.
    assets: Vec<(String, Arc<[u8]>)>,
}

/// List `content/` (pages and the files they use) and `cheatsheets/` (sheets only).
fn read_content(root: &Path) -> Result<ContentFiles, Vec<Diagnostic>> {
    if !root.join("content").is_dir() {
        return Err(vec![Diagnostic::file("content", "no content/ folder here; run sdp in the project folder or pass --root")]);
    }
    let mut files = ContentFiles { pages: vec![], assets: vec![] };
    let mut errors = vec![];
    for dir in ["content", "cheatsheets"] {
        if !root.join(dir).is_dir() {
            continue;
        }
        for item in WalkDir::new(root.join(dir)).sort_by_file_name() {
            let item = match item {
                Ok(i) => i,
                Err(e) => {
                    errors.push(Diagnostic::file(dir, format!("cannot read: {e}")));
                    continue;
                }
            };
            if !item.file_type().is_file() || item.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let rel_path = item.path().strip_prefix(root).unwrap_or(item.path()).to_path_buf();
            let rel = rel_path.to_string_lossy().replace('\\', "/");
            let Some(key) = content::key_of(&rel) else {
                errors.push(Diagnostic::file(&rel_path, "sheets live in cheatsheets/, not content/cheatsheets/"));
                continue;
            };
            if key.ends_with(".md") {
                let stamp = item.metadata().map_or((None, 0), |m| (m.modified().ok(), m.len()));
                files.pages.push(SourceFile { path: rel_path, key, stamp });
            } else if key.starts_with("quizzes/") {
                // The question bank: read by quiz::load, not copied.
            } else if dir == "cheatsheets" {
                errors.push(Diagnostic::file(&rel_path, "cheatsheets/ holds only sheets (.md files)"));
            } else {
                match std::fs::read(item.path()) {
                    Ok(bytes) => files.assets.push((key, Arc::from(bytes))),
                    Err(e) => errors.push(Diagnostic::file(&rel_path, format!("cannot read: {e}"))),
                }
            }
        }
    }
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}

fn load_page(f: &SourceFile, text: &str, base: &str, site_url: &str) -> Result<Entry, Vec<Diagnostic>> {
    let page = content::parse_page(&f.path, &f.key, text)?;
    let mut rendered = markdown::render(
        &page.body,
        &markdown::Context { path: &page.path, key: &page.key, line_offset: page.body_line_offset, base },
    );
    let pdf = if page.kind == Kind::Sheet && rendered.errors.is_empty() {
        match crate::pdf::typeset(&page, site_url) {
            Ok(bytes) => Some(Arc::from(bytes)),
            Err(e) => {
                rendered.errors.extend(e);
                None
            }
        }
    } else {
        None
    };
    Ok(Entry { page, rendered, pdf })
}

/// Where a sheet's PDF is written: `cheatsheets/x/` -> `cheatsheets/x.pdf`.
pub fn pdf_path(url: &str) -> String {
    format!("{}.pdf", url.trim_end_matches('/'))
}

fn sitemap(base_url: &str, entries: &[Arc<Entry>]) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for e in entries {
        let priority = match e.page.kind {
            Kind::Home => "1.0",
            Kind::Module => "0.8",
            _ => "0.6",
        };
        xml.push_str(&format!(
            "  <url><loc>{}{}</loc><priority>{priority}</priority></url>\n",
            crate::highlight::escape(base_url),
            crate::highlight::escape(&e.page.url)
        ));
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_base_url() {
        let with = |u: &str| Options { base_url: u.into(), ..Options::new(".") }.base_path();
        assert_eq!(with("/"), "/");
        assert_eq!(with("https://example.org"), "/");
        assert_eq!(with("https://example.org/course"), "/course/");
        assert_eq!(with("/course/"), "/course/");
    }
}
