//! Load: walk `content/`, split front matter from body, and check the front matter schema.
//!
//! Every page's place in the site comes from its path: `content/_index.md` is the home page,
//! `content/modules/NN-slug/_index.md` a module page, and any other `.md` file in a module folder
//! a topic, case study or problem (its `kind`). Cheat sheets live beside `content/`, in
//! `cheatsheets/`: each `cheatsheets/<slug>.md` is one sheet (an HTML page and a PDF), and
//! `cheatsheets/_index.md` the page listing them. Their keys keep the `cheatsheets/` prefix.

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a page is, which decides its schema, its required sections and its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Home,
    Module,
    #[default]
    Topic,
    CaseStudy,
    Problem,
    /// `cheatsheets/_index.md`: the page listing every sheet.
    Sheets,
    /// `cheatsheets/<slug>.md`: one printable sheet.
    Sheet,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Home => "Home",
            Kind::Module => "Module",
            Kind::Topic => "Topic",
            Kind::CaseStudy => "Case study",
            Kind::Problem => "Interview problem",
            Kind::Sheets => "Cheat sheets",
            Kind::Sheet => "Cheat sheet",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub title: String,
    pub url: String,
}

/// Front matter of a topic, case study or problem.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: String,
    #[serde(default)]
    kind: PageKind,
    order: u32,
    summary: String,
    difficulty: Difficulty,
    objectives: Vec<String>,
    #[serde(default)]
    concepts: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    references: Vec<Reference>,
}

/// The kinds an author may write in a page's `kind` field.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum PageKind {
    #[default]
    Topic,
    CaseStudy,
    Problem,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleFront {
    title: String,
    summary: String,
    objectives: Vec<String>,
}

/// Front matter of a cheat sheet.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SheetFront {
    title: String,
    summary: String,
    modules: Vec<String>,
    keywords: Vec<String>,
    #[serde(default)]
    orientation: Orientation,
    #[serde(default = "default_columns")]
    columns: u8,
}

fn default_columns() -> u8 {
    3
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    #[default]
    Landscape,
    Portrait,
}

/// What only a cheat sheet has.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SheetMeta {
    /// Module folders the sheet belongs to, such as `01-foundations`.
    pub modules: Vec<String>,
    pub keywords: Vec<String>,
    pub orientation: Orientation,
    /// Text columns of the first band (1 to 4).
    pub columns: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HomeFront {
    title: String,
    summary: String,
}

/// Front matter of any page, after its schema was checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Meta {
    pub title: String,
    pub summary: String,
    pub order: u32,
    pub difficulty: Option<Difficulty>,
    pub objectives: Vec<String>,
    pub concepts: Vec<String>,
    pub related: Vec<String>,
    pub references: Vec<Reference>,
    /// Cheat sheets only.
    pub sheet: Option<SheetMeta>,
}

/// One Markdown file of `content/`, parsed.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the project root (for messages): `content/modules/01-x/y.md`.
    pub path: PathBuf,
    /// Path relative to `content/` with `/` separators: `modules/01-x/y.md` (cheat sheets:
    /// `cheatsheets/y.md`, relative to the project root). Links name pages by it.
    pub key: String,
    /// URL path without the base, ending in `/` (empty for the home page).
    pub url: String,
    pub kind: Kind,
    /// Module number, for module pages and the pages inside them.
    pub module: Option<u32>,
    pub meta: Meta,
    pub body: String,
    /// Number of lines before the body in the file (front matter and its fences).
    pub body_line_offset: usize,
    /// `(field, line)` of each top-level front matter key, for pointing at a field.
    pub field_lines: Vec<(String, usize)>,
    /// The front matter's lines, for pointing at one value of a list field.
    pub front_matter: Vec<String>,
}

impl Page {
    /// The file line of a front matter field, or the first line of the front matter.
    pub fn field_line(&self, field: &str) -> usize {
        self.field_lines
            .iter()
            .find(|(f, _)| f == field)
            .map_or(1, |(_, l)| *l)
    }

    /// The file line of `value` in the list `field` (such as one concept), else the field's line.
    pub fn value_line(&self, field: &str, value: &str) -> usize {
        let start = self.field_line(field);
        self.front_matter
            .iter()
            .enumerate()
            .skip(start.saturating_sub(1))
            .find(|(_, l)| l.contains(value))
            .map_or(start, |(i, _)| i + 2)
    }
}

/// Where a `.md` file sits in the site, from its path relative to `content/`.
pub fn place(key: &str) -> Result<(Kind, Option<u32>), String> {
    let parts: Vec<&str> = key.split('/').collect();
    match parts.as_slice() {
        ["_index.md"] => Ok((Kind::Home, None)),
        ["cheatsheets", "_index.md"] => Ok((Kind::Sheets, None)),
        ["cheatsheets", file] => match file.strip_suffix(".md") {
            Some(stem) if is_slug(stem) => Ok((Kind::Sheet, None)),
            _ => Err(format!("cheat sheet file name `{file}` must be a lowercase-hyphen slug, such as `latency-numbers.md`")),
        },
        ["modules", dir, file] => {
            let number = module_number(dir).ok_or_else(|| {
                format!("module folder `{dir}` must be named NN-slug, such as `01-foundations`")
            })?;
            if *file == "_index.md" {
                return Ok((Kind::Module, Some(number)));
            }
            match file.strip_suffix(".md") {
                Some(stem) if is_slug(stem) => Ok((Kind::Topic, Some(number))),
                _ => Err(format!("page file name `{file}` must be a lowercase-hyphen slug, such as `cap-theorem.md`")),
            }
        }
        _ => Err(
            "pages live in content/modules/NN-slug/ (or content/_index.md for the home page)"
                .to_string(),
        ),
    }
}

/// A page's key from its path relative to the project root: `content/x` -> `x`, and
/// `cheatsheets/x` stays as it is. Other paths are not pages.
pub fn key_of(path: &str) -> Option<String> {
    if let Some(k) = path.strip_prefix("content/") {
        (!k.starts_with("cheatsheets/")).then(|| k.to_string())
    } else {
        path.starts_with("cheatsheets/").then(|| path.to_string())
    }
}

/// The inverse of [`key_of`]: a page's path relative to the project root.
pub fn path_of(key: &str) -> String {
    if key.starts_with("cheatsheets/") { key.to_string() } else { format!("content/{key}") }
}

/// `01-foundations` -> 1.
pub fn module_number(dir: &str) -> Option<u32> {
    let (num, slug) = dir.split_once('-')?;
    let valid_slug = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if num.len() == 2 && valid_slug {
        num.parse().ok().filter(|n| *n > 0)
    } else {
        None
    }
}

/// `modules/01-x/y.md` -> `modules/01-x/y/`; `modules/01-x/_index.md` -> `modules/01-x/`.
pub fn url_of(key: &str) -> String {
    let stem = key.strip_suffix(".md").unwrap_or(key);
    match stem.strip_suffix("_index") {
        Some(dir) => dir.to_string(),
        None => format!("{stem}/"),
    }
}

/// Parse one content file. `path` is relative to the project root, `key` to `content/`.
pub fn parse_page(path: &Path, key: &str, text: &str) -> Result<Page, Vec<Diagnostic>> {
    let (mut kind, module) = place(key).map_err(|m| vec![Diagnostic::file(path, m)])?;
    let (yaml, body, body_line_offset) = split_front_matter(text).map_err(|(line, m)| {
        vec![Diagnostic::new(path, line, 1, m)]
    })?;
    let yaml_err = |e: serde_saphyr::Error| vec![yaml_diagnostic(path, yaml, &e)];
    let field_lines = field_lines(yaml);
    let meta = match kind {
        Kind::Home => {
            let f: HomeFront = serde_saphyr::from_str(yaml).map_err(yaml_err)?;
            Meta { title: f.title, summary: f.summary, order: 0, difficulty: None,
                objectives: vec![], concepts: vec![], related: vec![], references: vec![], sheet: None }
        }
        Kind::Sheets => {
            let f: HomeFront = serde_saphyr::from_str(yaml).map_err(yaml_err)?;
            Meta { title: f.title, summary: f.summary, order: 0, difficulty: None,
                objectives: vec![], concepts: vec![], related: vec![], references: vec![], sheet: None }
        }
        Kind::Sheet => {
            let f: SheetFront = serde_saphyr::from_str(yaml).map_err(yaml_err)?;
            let sheet = SheetMeta { modules: f.modules, keywords: f.keywords, orientation: f.orientation, columns: f.columns };
            Meta { title: f.title, summary: f.summary, order: 0, difficulty: None,
                objectives: vec![], concepts: vec![], related: vec![], references: vec![], sheet: Some(sheet) }
        }
        Kind::Module => {
            let f: ModuleFront = serde_saphyr::from_str(yaml).map_err(yaml_err)?;
            Meta { title: f.title, summary: f.summary, order: 0, difficulty: None,
                objectives: f.objectives, concepts: vec![], related: vec![], references: vec![], sheet: None }
        }
        _ => {
            let f: PageFront = serde_saphyr::from_str(yaml).map_err(yaml_err)?;
            kind = match f.kind {
                PageKind::Topic => Kind::Topic,
                PageKind::CaseStudy => Kind::CaseStudy,
                PageKind::Problem => Kind::Problem,
            };
            Meta { title: f.title, summary: f.summary, order: f.order,
                difficulty: Some(f.difficulty), objectives: f.objectives, concepts: f.concepts,
                related: f.related, references: f.references, sheet: None }
        }
    };
    let page = Page {
        path: path.to_path_buf(),
        key: key.to_string(),
        url: url_of(key),
        kind,
        module,
        meta,
        body: body.to_string(),
        body_line_offset,
        field_lines,
        front_matter: yaml.lines().map(str::to_string).collect(),
    };
    let problems = check_meta(&page);
    if problems.is_empty() { Ok(page) } else { Err(problems) }
}

/// Checks the schema cannot express: lengths, formats, non-empty strings.
fn check_meta(page: &Page) -> Vec<Diagnostic> {
    let mut out = vec![];
    let mut err = |field: &str, msg: String| {
        out.push(Diagnostic::new(&page.path, page.field_line(field), 1, msg));
    };
    let m = &page.meta;
    if m.title.trim().is_empty() {
        err("title", "`title` is empty".into());
    }
    if m.summary.trim().is_empty() {
        err("summary", "`summary` is empty".into());
    }
    if let Some(sheet) = &m.sheet {
        if !(1..=4).contains(&sheet.columns) {
            err("columns", format!("`columns` is {}; a sheet has 1 to 4 columns", sheet.columns));
        }
        if sheet.modules.is_empty() {
            err("modules", "`modules` is empty; name the module folders the sheet belongs to, such as `01-foundations`".into());
        }
        if sheet.keywords.is_empty() || sheet.keywords.iter().any(|k| k.trim().is_empty()) {
            err("keywords", "`keywords` needs at least one non-empty keyword".into());
        }
    }
    if matches!(page.kind, Kind::Topic | Kind::CaseStudy | Kind::Problem | Kind::Module) {
        let n = m.objectives.len();
        if !(2..=5).contains(&n) {
            err("objectives", format!("`objectives` lists {n} outcomes; write 2 to 5"));
        }
    }
    if matches!(page.kind, Kind::Topic | Kind::CaseStudy | Kind::Problem) {
        if m.references.is_empty() {
            err("references", "`references` is empty; cite at least one source".into());
        }
        for r in &m.references {
            if !(r.url.starts_with("https://") || r.url.starts_with("http://")) {
                err("references", format!("reference `{}` needs an http(s) URL, got `{}`", r.title, r.url));
            }
        }
        for c in &m.concepts {
            if !is_slug(c) {
                err("concepts", format!("concept `{c}` must be a lowercase-hyphen slug such as `rate-limiting`"));
            }
        }
    }
    out
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Split `---\nyaml\n---\nbody`. Returns the YAML, the body and how many lines precede the body.
fn split_front_matter(text: &str) -> Result<(&str, &str, usize), (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
        .ok_or((1, "a page starts with front matter: a line `---`, YAML fields, and a closing `---`".to_string()))?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok((yaml, body, i + 2));
        }
        offset += line.len();
    }
    Err((1, "front matter is not closed: add a line `---` after the last field".to_string()))
}

/// Top-level keys of the front matter with their file lines (front matter starts on line 2).
fn field_lines(yaml: &str) -> Vec<(String, usize)> {
    yaml.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t', '-', '#']))
        .filter_map(|(i, l)| l.split_once(':').map(|(k, _)| (k.trim().to_string(), i + 2)))
        .collect()
}

/// A YAML error as a diagnostic at its file line: the front matter starts on line 2.
fn yaml_diagnostic(path: &Path, yaml: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let (line, col) = match e.location() {
        Some(loc) if loc.line() > 0 => (loc.line() as usize + 1, loc.column().max(1) as usize),
        _ => (2, 1),
    };
    let line = line.min(yaml.lines().count() + 1);
    let mut message = e.without_snippet().to_string();
    // The library appends its own position ("at line X, column Y"); ours is in front already.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let message = message.lines().next().unwrap_or("").trim().to_string();
    // A missing field has no line of its own: point at the start of the front matter.
    let (line, col) = if message.contains("missing field") { (1, 1) } else { (line, col) };
    Diagnostic::new(path, line, col, format!("front matter: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\ntitle: T\norder: 2\nsummary: S.\ndifficulty: beginner\nobjectives: [a, b]\nconcepts: [x-y]\nreferences:\n  - title: R\n    url: https://example.org\n---\n# Body\n";

    fn parse(text: &str) -> Result<Page, Vec<Diagnostic>> {
        parse_page(Path::new("content/modules/01-f/p.md"), "modules/01-f/p.md", text)
    }

    #[test]
    fn parses_a_topic() {
        let p = parse(PAGE).unwrap();
        assert_eq!(p.kind, Kind::Topic);
        assert_eq!(p.module, Some(1));
        assert_eq!(p.url, "modules/01-f/p/");
        assert_eq!(p.meta.order, 2);
        assert_eq!(p.meta.concepts, vec!["x-y"]);
        assert_eq!(p.body, "# Body\n");
        assert_eq!(p.body_line_offset, 11);
        assert_eq!(p.field_line("references"), 8);
        assert_eq!(p.value_line("concepts", "x-y"), 7);
    }

    #[test]
    fn places_pages_by_path() {
        assert_eq!(place("_index.md").unwrap(), (Kind::Home, None));
        assert_eq!(place("modules/03-data/_index.md").unwrap(), (Kind::Module, Some(3)));
        assert_eq!(place("modules/10-case-studies/x.md").unwrap(), (Kind::Topic, Some(10)));
        assert!(place("modules/data/x.md").is_err());
        assert!(place("modules/01-a/Bad Name.md").is_err());
        assert!(place("misc/x.md").is_err());
        assert_eq!(place("cheatsheets/latency.md").unwrap(), (Kind::Sheet, None));
        assert_eq!(place("cheatsheets/_index.md").unwrap(), (Kind::Sheets, None));
        assert!(place("cheatsheets/a/b.md").is_err());
        assert_eq!(key_of("content/modules/01-a/x.md").as_deref(), Some("modules/01-a/x.md"));
        assert_eq!(key_of("cheatsheets/x.md").as_deref(), Some("cheatsheets/x.md"));
        assert_eq!(key_of("content/cheatsheets/x.md"), None);
        assert_eq!(key_of("README.md"), None);
        assert_eq!(path_of("cheatsheets/x.md"), "cheatsheets/x.md");
        assert_eq!(url_of("_index.md"), "");
        assert_eq!(url_of("modules/03-data/_index.md"), "modules/03-data/");
    }

    #[test]
    fn unknown_field_names_its_line() {
        let text = PAGE.replace("order: 2\n", "order: 2\ncolour: red\n");
        let e = parse(&text).unwrap_err();
        assert_eq!(e[0].line, 4, "{e:?}");
        assert!(e[0].message.contains("colour"), "{}", e[0].message);
    }

    #[test]
    fn missing_field_is_named() {
        let text = PAGE.replace("summary: S.\n", "");
        let e = parse(&text).unwrap_err();
        assert!(e[0].message.contains("summary"), "{}", e[0].message);
    }

    #[test]
    fn wrong_type_names_its_line() {
        let text = PAGE.replace("order: 2", "order: second");
        let e = parse(&text).unwrap_err();
        assert_eq!(e[0].line, 3, "{e:?}");
    }

    #[test]
    fn bad_yaml_and_unclosed_front_matter() {
        let e = parse("---\ntitle: [unclosed\n---\n").unwrap_err();
        assert!(e[0].line >= 2, "{e:?}");
        let e = parse("---\ntitle: x\n").unwrap_err();
        assert!(e[0].message.contains("not closed"));
        let e = parse("# no front matter").unwrap_err();
        assert!(e[0].message.contains("front matter"));
    }

    #[test]
    fn objective_count_and_slugs_are_checked() {
        let text = PAGE.replace("objectives: [a, b]", "objectives: [a]").replace("[x-y]", "[Bad Slug]");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(e[0].line, 6);
        assert_eq!(e[1].line, 7);
    }
}
