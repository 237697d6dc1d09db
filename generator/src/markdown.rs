//! Render: one page's Markdown body to HTML, collecting what validation needs (headings,
//! anchors, links) and reporting what is wrong in it with file line and column.
//!
//! Rendering a page depends only on that page (and the base URL): links are rewritten from the
//! page's own path, so a page can be re-rendered alone when it changes.

use crate::content::url_of;
use crate::diagnostics::{Diagnostic, LineIndex};
use crate::{diagram, highlight};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

/// A heading kept for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    /// 1-based line in the file.
    #[serde(skip)]
    pub line: usize,
}

/// A link to a course page found in the body, to be checked against the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageLink {
    /// Target's path relative to `content/`, such as `modules/03-data/sharding.md`.
    pub target: String,
    pub anchor: Option<String>,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Rendered {
    pub html: String,
    /// Every heading (all levels), in order.
    pub headings: Vec<Heading>,
    /// Every id a link may point at: headings and footnotes.
    pub anchors: Vec<String>,
    pub links: Vec<PageLink>,
    pub diagrams: usize,
    /// Names of the widgets placed on the page, each once, in order of first use.
    pub widgets: Vec<String>,
    /// Quick checks: question ids from ```` ```quiz ```` blocks, with their lines.
    pub quizzes: Vec<(String, usize)>,
    pub errors: Vec<Diagnostic>,
}

impl Rendered {
    pub fn has_anchor(&self, id: &str) -> bool {
        self.anchors.iter().any(|a| a == id)
    }
}

/// What rendering needs to know about the page.
pub struct Context<'a> {
    /// Path relative to the project root, for messages.
    pub path: &'a Path,
    /// Path relative to `content/`, for resolving relative links.
    pub key: &'a str,
    /// Lines in the file before the body.
    pub line_offset: usize,
    /// URL path prefix of the site, starting and ending with `/`.
    pub base: &'a str,
}

/// Callout markers: `> [!TIP]` and friends.
const CALLOUTS: &[(&str, &str, &str)] = &[
    ("NOTE", "note", "Note"),
    ("TIP", "tip", "Tip"),
    ("WARNING", "warning", "Warning"),
    ("MISTAKE", "mistake", "Common mistake"),
    ("INTERVIEW", "interview", "Interview tip"),
];

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

pub fn render(body: &str, cx: &Context) -> Rendered {
    Renderer::new(body, cx).run()
}

struct Renderer<'a, 'c> {
    body: &'a str,
    cx: &'c Context<'c>,
    lines: LineIndex,
    events: Vec<(Event<'a>, Range<usize>)>,
    out: Vec<Event<'a>>,
    result: Rendered,
    ids: HashSet<String>,
    /// For each open block quote: is it a callout?
    quotes: Vec<bool>,
    /// Rendered code blocks waiting to be grouped as tabs: (label, html).
    tabs: Vec<(String, String)>,
    tab_groups: usize,
}

impl<'a, 'c> Renderer<'a, 'c> {
    fn new(body: &'a str, cx: &'c Context<'c>) -> Self {
        let events = Parser::new_ext(body, options()).into_offset_iter().collect();
        Renderer {
            body,
            cx,
            lines: LineIndex::new(body),
            events,
            out: vec![],
            result: Rendered::default(),
            ids: HashSet::new(),
            quotes: vec![],
            tabs: vec![],
            tab_groups: 0,
        }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let (line, col) = self.lines.locate(self.body, offset);
        (line + self.cx.line_offset, col)
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let (line, col) = self.at(offset);
        self.result.errors.push(Diagnostic::new(self.cx.path, line, col, message));
    }

    fn run(mut self) -> Rendered {
        self.check_placeholders();
        let events = std::mem::take(&mut self.events);
        let mut i = 0;
        while i < events.len() {
            let (event, range) = &events[i];
            let starts_tab = matches!(event, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_tab(info));
            if !starts_tab && !self.tabs.is_empty() && !matches!(event, Event::SoftBreak) {
                self.flush_tabs();
            }
            i = match event {
                Event::Start(Tag::Heading { level, id, .. }) => self.heading(&events, i, *level, id.clone()),
                Event::Start(Tag::CodeBlock(kind)) => self.code_block(&events, i, kind.clone()),
                Event::Start(Tag::BlockQuote(_)) => self.block_quote(&events, i),
                Event::End(TagEnd::BlockQuote(_)) => {
                    let callout = self.quotes.pop().unwrap_or(false);
                    self.out.push(if callout { Event::Html("</aside>\n".into()) } else { event.clone() });
                    i + 1
                }
                Event::Start(Tag::Link { .. }) => {
                    self.inline(event, range.start);
                    i + 1
                }
                Event::Start(Tag::Table(_)) => {
                    self.out.push(Event::Html("<div class=\"table-wrap\">".into()));
                    self.out.push(event.clone());
                    i + 1
                }
                Event::End(TagEnd::Table) => {
                    self.out.push(event.clone());
                    self.out.push(Event::Html("</div>\n".into()));
                    i + 1
                }
                Event::Start(Tag::FootnoteDefinition(name)) => {
                    self.result.anchors.push(name.to_string());
                    self.out.push(event.clone());
                    i + 1
                }
                _ => {
                    self.out.push(event.clone());
                    i + 1
                }
            };
        }
        self.flush_tabs();
        let mut html = String::with_capacity(self.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        self.result.html = html;
        self.result
    }

    /// `[[TODO: ...]]` placeholders left by `sdp new`.
    fn check_placeholders(&mut self) {
        let found: Vec<(usize, String)> = self
            .body
            .match_indices("[[TODO")
            .map(|(i, _)| {
                let end = self.body[i..].find("]]").map_or(i + 40, |e| i + e + 2).min(self.body.len());
                (i, self.body[i..end].lines().next().unwrap_or("").to_string())
            })
            .collect();
        for (offset, text) in found {
            self.error(offset, format!("unfilled placeholder {text}"));
        }
    }

    fn heading(&mut self, events: &[(Event<'a>, Range<usize>)], start: usize, level: HeadingLevel, id: Option<CowStr<'a>>) -> usize {
        let mut end = start + 1;
        let mut title = String::new();
        while !matches!(events[end].0, Event::End(TagEnd::Heading(_))) {
            match &events[end].0 {
                Event::Text(t) | Event::Code(t) => title.push_str(t),
                _ => {}
            }
            end += 1;
        }
        let title = title.trim().to_string();
        let id = match id {
            Some(id) => id.to_string(),
            None => unique_id(&slugify(&title), &self.ids),
        };
        if !self.ids.insert(id.clone()) {
            self.error(events[start].1.start, format!("two headings have the id `{id}`"));
        }
        let (line, _) = self.at(events[start].1.start);
        let n = level as u8;
        self.result.headings.push(Heading { level: n, id: id.clone(), title, line });
        self.result.anchors.push(id.clone());
        self.out.push(Event::Html(format!("<h{n} id=\"{}\">", highlight::escape(&id)).into()));
        for (event, range) in &events[start + 1..end] {
            self.inline(event, range.start);
        }
        self.out.push(Event::Html(
            format!("<a class=\"anchor\" href=\"#{0}\" aria-label=\"Link to this section\">#</a></h{n}>\n", highlight::escape(&id)).into(),
        ));
        end + 1
    }

    fn code_block(&mut self, events: &[(Event<'a>, Range<usize>)], start: usize, kind: CodeBlockKind<'a>) -> usize {
        let range = events[start].1.clone();
        let mut end = start + 1;
        let mut code = String::new();
        while !matches!(events[end].0, Event::End(TagEnd::CodeBlock)) {
            if let Event::Text(t) = &events[end].0 {
                code.push_str(t);
            }
            end += 1;
        }
        let info = match &kind {
            CodeBlockKind::Fenced(info) => info.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        if matches!(kind, CodeBlockKind::Fenced(_)) && !fence_is_closed(&self.body[range.clone()]) {
            self.error(range.start, "code fence is not closed: add a closing fence (```) after the code");
        }
        let mut words = info.split_whitespace();
        let lang = words.next().unwrap_or("").to_string();
        let tab = is_tab(&info);
        if lang == "widget" {
            let name = words.next().unwrap_or("");
            self.widget(name, &code, range.start);
            return end + 1;
        }
        if lang == "quiz" {
            // Quick checks: questions from the bank, by id; filled in at layout.
            let (line, _) = self.at(range.start);
            let ids = crate::quiz::block_ids(&code);
            if ids.is_empty() {
                self.error(range.start, "a ```quiz block lists question ids from content/quizzes/, one or more per line");
            }
            let mut html = String::from("<div class=\"quick-check\"><p class=\"quick-check-title\">Check yourself</p>");
            for id in ids {
                html.push_str(&crate::quiz::marker(&highlight::escape(&id)));
                self.result.quizzes.push((id, line + 1));
            }
            html.push_str("</div>\n");
            self.out.push(Event::Html(html.into()));
            return end + 1;
        }
        if lang == "fill" {
            // A box to write in, for printable templates: ```fill N with its label inside.
            match words.next().and_then(|n| n.parse::<u32>().ok()).filter(|n| (1..=40).contains(n)) {
                Some(lines) => {
                    let label = code.split_whitespace().collect::<Vec<_>>().join(" ");
                    self.out.push(Event::Html(
                        format!("<div class=\"fill\" style=\"--lines:{lines}\"><span class=\"fill-label\">{}</span></div>\n", highlight::escape(&label)).into(),
                    ));
                }
                None => self.error(range.start, "a fill box is written ```fill N, where N (1 to 40) is its height in handwriting lines"),
            }
            return end + 1;
        }
        if diagram::is_diagram(&lang) {
            self.result.diagrams += 1;
            let prefix = format!("d{}-", self.result.diagrams);
            match diagram::render(&lang, &code, &prefix) {
                Ok(svg) => self.out.push(Event::Html(
                    format!("<figure class=\"diagram diagram-{lang}\" data-pagefind-ignore=\"all\">{svg}</figure>\n").into(),
                )),
                Err(message) => self.error(range.start, message),
            }
            return end + 1;
        }
        let inner = match highlight::highlight(&code, &lang) {
            Ok(html) => html,
            Err(message) => {
                self.error(range.start, message);
                highlight::escape(&code)
            }
        };
        let lang_attr = highlight::escape(&lang);
        let html = format!("<pre class=\"code\" data-lang=\"{lang_attr}\"><code>{inner}</code></pre>\n");
        if tab {
            self.tabs.push((highlight::language_name(&lang), html));
        } else {
            self.out.push(Event::Html(html.into()));
        }
        end + 1
    }

    /// A ```` ```widget NAME ```` block: the widget's starting view, pre-rendered, in a frame the
    /// browser loader takes over.
    fn widget(&mut self, name: &str, config: &str, offset: usize) {
        match crate::widgets::prerender(name, config) {
            Ok(view) => {
                if !self.result.widgets.iter().any(|w| w == name) {
                    self.result.widgets.push(name.to_string());
                }
                let n = self.ids.iter().filter(|id| id.starts_with(&format!("w-{name}-"))).count() + 1;
                let id = format!("w-{name}-{n}");
                self.ids.insert(id.clone());
                self.out.push(Event::Html(
                    format!(
                        "<figure class=\"widget\" id=\"{id}\" data-widget=\"{name}\" data-config=\"{}\" data-pagefind-ignore=\"all\">\
                         <div class=\"widget-body\">{view}</div>\
                         <figcaption class=\"widget-bar\"><button type=\"button\" class=\"widget-share\" hidden>Share this state</button>\
                         <span class=\"widget-status\" role=\"status\"></span></figcaption></figure>\n",
                        highlight::escape(config.trim_end())
                    )
                    .into(),
                ));
            }
            Err(e) => {
                let (line, _) = self.at(offset);
                let line = line + e.line.unwrap_or(0);
                self.result.errors.push(Diagnostic::new(self.cx.path, line, 1, e.message));
            }
        }
    }

    /// Adjacent tabbed code blocks as one group. Radio buttons switch tabs without JavaScript;
    /// with CSS off the blocks read one after another under their labels.
    fn flush_tabs(&mut self) {
        if self.tabs.is_empty() {
            return;
        }
        self.tab_groups += 1;
        let group = self.tab_groups;
        let tabs = std::mem::take(&mut self.tabs);
        let mut html = format!("<div class=\"tabs\" style=\"--tabs:{}\">", tabs.len());
        for (i, (label, code)) in tabs.iter().enumerate() {
            let checked = if i == 0 { " checked" } else { "" };
            html.push_str(&format!(
                "<input type=\"radio\" class=\"tab-input\" name=\"tabs-{group}\" id=\"tabs-{group}-{i}\"{checked}>\
                 <label class=\"tab-label\" for=\"tabs-{group}-{i}\">{}</label><div class=\"tab-panel\">{code}</div>",
                highlight::escape(label)
            ));
        }
        html.push_str("</div>\n");
        self.out.push(Event::Html(html.into()));
    }

    /// A block quote starting with `[!MARKER]` becomes a callout.
    fn block_quote(&mut self, events: &[(Event<'a>, Range<usize>)], start: usize) -> usize {
        let para = start + 1;
        if !matches!(events.get(para), Some((Event::Start(Tag::Paragraph), _))) {
            self.quotes.push(false);
            self.out.push(events[start].0.clone());
            return start + 1;
        }
        let mut marker = String::new();
        let mut j = para + 1;
        while let Some((Event::Text(t), _)) = events.get(j) {
            marker.push_str(t);
            j += 1;
            if marker.contains(']') || !"[!".starts_with(&marker[..marker.len().min(2)]) {
                break;
            }
        }
        let Some(name) = marker.strip_prefix("[!").and_then(|m| m.strip_suffix(']')) else {
            self.quotes.push(false);
            self.out.push(events[start].0.clone());
            return start + 1;
        };
        let Some((_, class, label)) = CALLOUTS.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(name)) else {
            let known: Vec<&str> = CALLOUTS.iter().map(|c| c.0).collect();
            self.error(events[start].1.start, format!("unknown callout `[!{name}]`; use one of {}", known.join(", ")));
            self.quotes.push(false);
            self.out.push(events[start].0.clone());
            return start + 1;
        };
        self.quotes.push(true);
        self.out.push(Event::Html(
            format!("<aside class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{label}</p>\n").into(),
        ));
        // Skip the marker and the line break after it; keep the paragraph if text follows.
        if matches!(events.get(j), Some((Event::SoftBreak | Event::HardBreak, _))) {
            j += 1;
        }
        if matches!(events.get(j), Some((Event::End(TagEnd::Paragraph), _))) {
            j + 1
        } else {
            self.out.push(Event::Start(Tag::Paragraph));
            j
        }
    }

    /// Pass an inline event through, rewriting a link's destination (see [`Renderer::link`]).
    fn inline(&mut self, event: &Event<'a>, offset: usize) {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = self.link(dest_url, offset);
                self.out.push(Event::Start(Tag::Link { link_type: *link_type, dest_url, title: title.clone(), id: id.clone() }));
            }
            e => self.out.push(e.clone()),
        }
    }

    /// Rewrite a link: `../03-data/x.md#y` becomes the page URL and is recorded for checking.
    fn link(&mut self, dest: &CowStr<'a>, offset: usize) -> CowStr<'a> {
        let d: &str = dest;
        if d.starts_with("https://") || d.starts_with("http://") || d.starts_with("mailto:") {
            return dest.clone();
        }
        let (path, anchor) = match d.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (d, None),
        };
        let (line, col) = self.at(offset);
        if path.is_empty() {
            self.result.links.push(PageLink { target: self.cx.key.to_string(), anchor, line, col });
            return dest.clone();
        }
        if !path.ends_with(".md") || path.starts_with('/') {
            self.error(offset, format!("link `{d}`: link to a course page by the relative path of its .md file, such as `../03-data/sharding.md`, or use a full https:// URL"));
            return dest.clone();
        }
        let Some(target) = resolve(self.cx.key, path) else {
            self.error(offset, format!("link `{d}` points outside content/ and cheatsheets/"));
            return dest.clone();
        };
        let url = format!(
            "{}{}{}",
            self.cx.base,
            url_of(&target),
            anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default()
        );
        self.result.links.push(PageLink { target, anchor, line, col });
        url.into()
    }
}

fn is_tab(info: &str) -> bool {
    info.split_whitespace().skip(1).any(|w| w == "tab")
}

/// Whether a fenced block's source ends with a closing fence of the opening's character.
fn fence_is_closed(source: &str) -> bool {
    let first = source.lines().next().unwrap_or("").trim_start();
    let ch = first.chars().next().unwrap_or('`');
    let len = first.chars().take_while(|&c| c == ch).count();
    let lines: Vec<&str> = source.trim_end_matches(['\n', '\r']).lines().collect();
    lines.len() > 1 && {
        let last = lines[lines.len() - 1].trim();
        last.chars().all(|c| c == ch) && last.chars().count() >= len
    }
}

/// Resolve a relative `.md` path from the page `from` to the key of its target. Paths are
/// followed as on disk, from the page's file, so editors and code hosts follow them too:
/// `../../../cheatsheets/x.md` from a module page, `../content/modules/...` from a sheet.
pub fn resolve(from: &str, rel: &str) -> Option<String> {
    let from = crate::content::path_of(from);
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    crate::content::key_of(&parts.join("/"))
}

/// Heading text to an anchor: lowercase, spaces to hyphens, punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "section".to_string() } else { out }
}

fn unique_id(base: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (1..).map(|n| format!("{base}-{n}")).find(|c| !taken.contains(c)).expect("some suffix is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> Rendered {
        let cx = Context { path: Path::new("content/modules/01-f/p.md"), key: "modules/01-f/p.md", line_offset: 10, base: "/" };
        render(body, &cx)
    }

    #[test]
    fn headings_get_stable_unique_anchors() {
        let r = md("## Hot keys & skew\n\n## Hot keys & skew\n\n### Custom {#mine}\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["hot-keys-skew", "hot-keys-skew-1", "mine"]);
        assert!(r.html.contains("<h2 id=\"hot-keys-skew\">"), "{}", r.html);
        assert_eq!(r.headings[0].line, 11);
    }

    #[test]
    fn page_links_are_rewritten_and_recorded() {
        let r = md("See [sharding](../03-data/sharding.md#hot-keys) and [home](../../_index.md).\n");
        assert!(r.html.contains("href=\"/modules/03-data/sharding/#hot-keys\""), "{}", r.html);
        assert!(r.html.contains("href=\"/\""), "{}", r.html);
        assert_eq!(r.links[0].target, "modules/03-data/sharding.md");
        assert_eq!(r.links[0].anchor.as_deref(), Some("hot-keys"));
        assert_eq!((r.links[0].line, r.links[0].col), (11, 5));
        assert!(r.errors.is_empty());
    }

    #[test]
    fn non_page_links_are_errors() {
        let r = md("x\n\n[a](/modules/x/) [b](other/) [c](../../../../etc.md) [d](https://e.org)\n");
        assert_eq!(r.errors.len(), 3, "{:?}", r.errors);
        assert_eq!(r.errors[0].line, 13);
    }

    #[test]
    fn callouts_render_with_labels() {
        let r = md("> [!MISTAKE]\n> Caching everything.\n\n> [!TIP]\n> Short.\n\n> plain quote\n");
        assert!(r.html.contains("<aside class=\"callout callout-mistake\""), "{}", r.html);
        assert!(r.html.contains("Common mistake</p>\n<p>Caching everything.</p>"), "{}", r.html);
        assert!(r.html.contains("callout-tip"));
        assert!(r.html.contains("<blockquote>"), "plain quotes stay quotes");
        assert!(!r.html.contains("[!"), "{}", r.html);
        assert!(r.errors.is_empty());
    }

    #[test]
    fn unknown_callout_is_an_error() {
        let r = md("> [!DANGER]\n> x\n");
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].line, 11);
    }

    #[test]
    fn code_is_highlighted_and_unclosed_fences_are_errors() {
        let r = md("```rust\nfn main() {}\n```\n");
        assert!(r.html.contains("<pre class=\"code\" data-lang=\"rust\">"), "{}", r.html);
        assert!(r.errors.is_empty());
        let r = md("text\n\n```python\nprint(1)\n");
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert_eq!((r.errors[0].line, r.errors[0].col), (13, 1));
        assert!(r.errors[0].message.contains("not closed"));
    }

    #[test]
    fn adjacent_tab_blocks_form_one_group() {
        let r = md("```python tab\nx = 1\n```\n```go tab\nx := 1\n```\n\nafter\n");
        assert_eq!(r.html.matches("class=\"tabs\"").count(), 1, "{}", r.html);
        assert!(r.html.contains(">Python</label>") && r.html.contains(">Go</label>"), "{}", r.html);
    }

    #[test]
    fn tables_footnotes_tasks_and_diagrams() {
        let r = md("| a | b |\n|---|---|\n| 1 | 2 |\n\nA claim.[^src]\n\n- [x] done\n\n[^src]: Source, 2024.\n\n```mermaid\nflowchart LR\n  a --> b\n```\n");
        assert!(r.html.contains("<div class=\"table-wrap\"><table>"), "{}", r.html);
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.has_anchor("src"));
        assert_eq!(r.diagrams, 1);
        assert!(r.html.contains("<figure class=\"diagram diagram-mermaid\" data-pagefind-ignore=\"all\"><svg"), "{}", r.errors.len());
    }

    #[test]
    fn widgets_are_prerendered_and_checked() {
        let r = md("x\n\n```widget availability\ntiers: App/2/99.9\n```\n");
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert!(r.html.contains("<figure class=\"widget\" id=\"w-availability-1\" data-widget=\"availability\" data-config=\"tiers: App/2/99.9\" data-pagefind-ignore=\"all\">"), "{}", r.html);
        assert!(r.html.contains("99.9999%"), "the starting state is in the HTML");
        assert_eq!(r.widgets, ["availability"]);
        let r = md("x\n\n```widget availability\n# comment\ntiers: App/0/99.9\n```\n");
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].line, 15, "the line of the bad parameter: {:?}", r.errors);
        let r = md("```widget nosuch\n```\n");
        assert!(r.errors[0].message.contains("unknown widget `nosuch`"));
    }

    #[test]
    fn fill_boxes_render_with_their_height() {
        let r = md("```fill 3\nNotes <here>\n```\n");
        assert!(r.html.contains("<div class=\"fill\" style=\"--lines:3\"><span class=\"fill-label\">Notes &lt;here&gt;</span></div>"), "{}", r.html);
        assert!(md("```fill many\nx\n```\n").errors[0].message.contains("fill N"));
    }

    #[test]
    fn placeholders_are_reported() {
        let r = md("## Why it matters\n\n[[TODO: the problem in two sentences]]\n");
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].line, 13);
        assert!(r.errors[0].message.contains("[[TODO: the problem in two sentences]]"));
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("modules/01-a/x.md", "../02-b/y.md").as_deref(), Some("modules/02-b/y.md"));
        assert_eq!(resolve("modules/01-a/x.md", "y.md").as_deref(), Some("modules/01-a/y.md"));
        assert_eq!(resolve("_index.md", "../x.md"), None);
        assert_eq!(resolve("modules/01-a/x.md", "../../../cheatsheets/s.md").as_deref(), Some("cheatsheets/s.md"));
        assert_eq!(resolve("cheatsheets/s.md", "../content/modules/01-a/x.md").as_deref(), Some("modules/01-a/x.md"));
        assert_eq!(resolve("cheatsheets/s.md", "t.md").as_deref(), Some("cheatsheets/t.md"));
        assert_eq!(slugify("CAP: theorem (PACELC)"), "cap-theorem-pacelc");
    }
}
