//! A cheat sheet's Markdown as typesetting blocks: headings, paragraphs, list items, tables,
//! code, fill-in boxes and band breaks, with footnotes collected as numbered sources.
//!
//! A sheet uses a subset of the Markdown pages use (what prints well on one page). Anything
//! else is an error at its line, as is a character the font cannot draw.

use super::fonts::{self, Style};
use crate::content::url_of;
use crate::diagnostics::{Diagnostic, LineIndex};
use crate::markdown;
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::path::Path;

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
    /// Absolute URL (or site path) the run links to.
    pub link: Option<String>,
    /// A citation marker such as `[2]`.
    pub cite: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Marker {
    Bullet,
    Number(u64),
    Check(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading { level: u8, spans: Vec<Span> },
    Para(Vec<Span>),
    /// One list item; lists are flattened so a column may break between items.
    Item { marker: Marker, depth: u8, first: bool, spans: Vec<Span> },
    Table { aligns: Vec<Alignment>, head: Vec<Vec<Span>>, rows: Vec<Vec<Vec<Span>>> },
    Code(Vec<String>),
    /// A box to write in by hand: a label and a height in handwriting lines.
    Fill { lines: u32, label: Vec<Span> },
    /// `<!-- columns: N -->`: end the band, start one with N columns.
    Columns(u8),
}

#[derive(Debug, Default)]
pub struct Doc {
    pub blocks: Vec<Block>,
    /// Footnote texts, numbered in order of first citation.
    pub sources: Vec<Vec<Span>>,
}

pub struct Context<'a> {
    pub path: &'a Path,
    pub key: &'a str,
    pub line_offset: usize,
    /// Absolute URL of the site root, ending with `/` (or `/` alone without a base URL).
    pub site_url: &'a str,
}

pub fn parse(body: &str, cx: &Context) -> Result<Doc, Vec<Diagnostic>> {
    let mut p = Reader {
        body,
        cx,
        lines: LineIndex::new(body),
        offset: 0,
        doc: Doc::default(),
        errors: vec![],
        text: None,
        heading: None,
        bold: 0,
        italic: 0,
        links: vec![],
        lists: vec![],
        items: vec![],
        first_item: false,
        table: None,
        footnote: None,
        definitions: HashMap::new(),
        cited: vec![],
    };
    let events: Vec<_> = Parser::new_ext(body, markdown::options()).into_offset_iter().collect();
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        p.offset = range.start;
        i = p.event(event, &events, i);
    }
    p.finish()
}

struct Reader<'a, 'c> {
    body: &'a str,
    cx: &'c Context<'c>,
    lines: LineIndex,
    offset: usize,
    doc: Doc,
    errors: Vec<Diagnostic>,
    /// The paragraph or heading being read (outside lists and tables).
    text: Option<Vec<Span>>,
    heading: Option<u8>,
    bold: usize,
    italic: usize,
    links: Vec<Option<String>>,
    /// Open lists: the next number (None for bullets).
    lists: Vec<Option<u64>>,
    /// Open items: (marker, depth, spans, already emitted because a nested list followed).
    items: Vec<(Marker, u8, Vec<Span>, bool)>,
    first_item: bool,
    table: Option<TableState>,
    footnote: Option<(String, Vec<Span>)>,
    definitions: HashMap<String, (Vec<Span>, usize)>,
    cited: Vec<String>,
}

struct TableState {
    aligns: Vec<Alignment>,
    head: Vec<Vec<Span>>,
    rows: Vec<Vec<Vec<Span>>>,
    in_head: bool,
    cell: Option<Vec<Span>>,
}

impl<'a, 'c> Reader<'a, 'c> {
    fn cx(&self) -> &'c Context<'c> {
        self.cx
    }

    fn error(&mut self, message: impl Into<String>) {
        let (line, col) = self.lines.locate(self.body, self.offset);
        let cx = self.cx();
        self.errors.push(Diagnostic::new(cx.path, line + cx.line_offset, col, message));
    }

    fn unsupported(&mut self, what: &str) {
        self.error(format!("{what} cannot be printed on a cheat sheet; sheets take headings (## and ###), paragraphs, lists, tables, short code blocks, ```fill boxes and footnotes (see docs/authoring.md)"));
    }

    /// Where inline text goes now.
    fn sink(&mut self) -> Option<&mut Vec<Span>> {
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            return Some(cell);
        }
        if let Some((_, spans)) = self.footnote.as_mut() {
            return Some(spans);
        }
        if let Some(item) = self.items.last_mut() {
            return Some(&mut item.2);
        }
        self.text.as_mut()
    }

    fn push_text(&mut self, text: &str, style: Style, cite: bool) {
        let style = if style == Style::Mono {
            Style::Mono
        } else if self.bold > 0 {
            Style::Bold
        } else if self.italic > 0 {
            Style::Italic
        } else {
            style
        };
        if let Some(c) = text.chars().find(|&c| !fonts::has(style, c)) {
            self.error(format!("character `{c}` (U+{:04X}) is not in the sheet's font; write it another way", c as u32));
        }
        let link = self.links.last().cloned().flatten();
        match self.sink() {
            Some(spans) => {
                // Join with the previous run when nothing about it differs.
                match spans.last_mut() {
                    Some(last) if last.style == style && last.link == link && !last.cite && !cite => last.text.push_str(text),
                    _ => spans.push(Span { text: text.to_string(), style, link, cite }),
                }
            }
            None => self.error("text outside any block"),
        }
    }

    fn event(&mut self, event: &Event<'a>, events: &[(Event<'a>, std::ops::Range<usize>)], i: usize) -> usize {
        match event {
            Event::Start(tag) => return self.start(tag, events, i),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => self.push_text(t, Style::Regular, false),
            Event::Code(t) => self.push_text(t, Style::Mono, false),
            Event::SoftBreak | Event::HardBreak => self.push_text(" ", Style::Regular, false),
            Event::FootnoteReference(label) => {
                let n = match self.cited.iter().position(|l| l == label.as_ref()) {
                    Some(n) => n + 1,
                    None => {
                        self.cited.push(label.to_string());
                        self.cited.len()
                    }
                };
                self.push_text(&format!("[{n}]"), Style::Regular, true);
            }
            Event::TaskListMarker(done) => {
                if let Some(item) = self.items.last_mut() {
                    item.0 = Marker::Check(*done);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if h.trim().is_empty() {
                    return i + 1;
                }
                match columns_directive(h) {
                    Some(Ok(n)) if self.items.is_empty() && self.table.is_none() => self.doc.blocks.push(Block::Columns(n)),
                    Some(Err(m)) => self.error(m),
                    _ => self.unsupported("raw HTML"),
                }
            }
            Event::Rule => self.unsupported("a horizontal rule (to start new columns write `<!-- columns: N -->`)"),
            Event::InlineMath(_) | Event::DisplayMath(_) => self.unsupported("math"),
        }
        i + 1
    }

    fn start(&mut self, tag: &Tag<'a>, events: &[(Event<'a>, std::ops::Range<usize>)], i: usize) -> usize {
        match tag {
            Tag::Paragraph => {
                if self.footnote.is_some() {
                } else if let Some(item) = self.items.last_mut() {
                    if !item.2.is_empty() {
                        item.2.push(Span { text: " ".into(), style: Style::Regular, link: None, cite: false });
                    }
                } else {
                    self.text = Some(vec![]);
                }
            }
            Tag::Heading { level, .. } => {
                let level = match level {
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => {
                        self.error("a sheet uses `##` and `###` headings only (the title comes from the front matter)");
                        3
                    }
                };
                self.heading = Some(level);
                self.text = Some(vec![]);
            }
            Tag::List(start) => {
                if self.lists.len() >= 2 {
                    self.error("lists on a sheet nest one level deep at most");
                }
                // A nested list follows its parent item's text: emit that text first.
                if let Some(item) = self.items.last_mut() {
                    if !item.3 {
                        item.3 = true;
                        let block = Block::Item { marker: item.0, depth: item.1, first: self.first_item, spans: std::mem::take(&mut item.2) };
                        self.first_item = false;
                        self.doc.blocks.push(block);
                    }
                }
                if self.lists.is_empty() {
                    self.first_item = true;
                }
                self.lists.push(*start);
            }
            Tag::Item => {
                let depth = self.lists.len().saturating_sub(1) as u8;
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        Marker::Number(*n - 1)
                    }
                    _ => Marker::Bullet,
                };
                self.items.push((marker, depth, vec![], false));
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.unsupported("strikethrough"),
            Tag::Link { dest_url, .. } => {
                let url = self.link_url(dest_url);
                self.links.push(url);
            }
            Tag::FootnoteDefinition(label) => {
                self.footnote = Some((label.to_string(), vec![]));
            }
            Tag::Table(aligns) => {
                self.table = Some(TableState { aligns: aligns.clone(), head: vec![], rows: vec![], in_head: false, cell: None });
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                }
            }
            Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(vec![]);
                }
            }
            Tag::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    t.cell = Some(vec![]);
                }
            }
            Tag::CodeBlock(kind) => return self.code_block(kind, events, i),
            Tag::HtmlBlock => {}
            Tag::BlockQuote(_) => self.unsupported("a block quote or callout"),
            Tag::Image { .. } => self.unsupported("an image"),
            _ => self.unsupported("this Markdown construct"),
        }
        i + 1
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                if self.footnote.is_none() && self.items.is_empty() {
                    if let Some(spans) = self.text.take() {
                        self.doc.blocks.push(Block::Para(trim(spans)));
                    }
                }
            }
            TagEnd::Heading(_) => {
                let spans = trim(self.text.take().unwrap_or_default());
                let level = self.heading.take().unwrap_or(2);
                self.doc.blocks.push(Block::Heading { level, spans });
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Item => {
                if let Some((marker, depth, spans, emitted)) = self.items.pop() {
                    if !emitted {
                        self.doc.blocks.push(Block::Item { marker, depth, first: self.first_item, spans: trim(spans) });
                        self.first_item = false;
                    }
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::FootnoteDefinition => {
                if let Some((label, spans)) = self.footnote.take() {
                    let offset = self.offset;
                    self.definitions.insert(label, (trim(spans), offset));
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = false;
                }
            }
            TagEnd::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    let cell = trim(t.cell.take().unwrap_or_default());
                    if t.in_head {
                        t.head.push(cell);
                    } else if let Some(row) = t.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.doc.blocks.push(Block::Table { aligns: t.aligns, head: t.head, rows: t.rows });
                }
            }
            _ => {}
        }
    }

    /// A fenced block: ```` ```fill N ```` is a box to write in; anything else prints as code.
    fn code_block(&mut self, kind: &CodeBlockKind<'a>, events: &[(Event<'a>, std::ops::Range<usize>)], i: usize) -> usize {
        let mut end = i + 1;
        let mut code = String::new();
        while !matches!(events[end].0, Event::End(TagEnd::CodeBlock)) {
            if let Event::Text(t) = &events[end].0 {
                code.push_str(t);
            }
            end += 1;
        }
        let info = match kind {
            CodeBlockKind::Fenced(info) => info.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let mut words = info.split_whitespace();
        match words.next() {
            Some("fill") => {
                let lines = words.next().and_then(|n| n.parse::<u32>().ok()).filter(|n| (1..=40).contains(n));
                match lines {
                    Some(lines) => {
                        let label = code.split_whitespace().collect::<Vec<_>>().join(" ");
                        self.text = Some(vec![]);
                        self.push_text(&label, Style::Bold, false);
                        let label = self.text.take().unwrap_or_default();
                        self.doc.blocks.push(Block::Fill { lines, label });
                    }
                    None => self.error("a fill box is written ```fill N, where N (1 to 40) is its height in handwriting lines"),
                }
            }
            Some("widget" | "mermaid") => self.unsupported("a widget or diagram"),
            _ => {
                let lines: Vec<String> = code.trim_end_matches('\n').lines().map(|l| l.replace('\t', "    ")).collect();
                if let Some(c) = lines.iter().flat_map(|l| l.chars()).find(|&c| !fonts::has(Style::Mono, c)) {
                    self.error(format!("character `{c}` (U+{:04X}) is not in the sheet's code font", c as u32));
                }
                self.doc.blocks.push(Block::Code(lines));
            }
        }
        end + 1
    }

    /// Where a link goes, as an absolute URL: course pages by their site URL.
    fn link_url(&mut self, dest: &str) -> Option<String> {
        if dest.starts_with("https://") || dest.starts_with("http://") || dest.starts_with("mailto:") {
            return Some(dest.to_string());
        }
        // The HTML renderer reports bad links; here they simply do not become PDF links.
        let (path, anchor) = dest.split_once('#').map_or((dest, None), |(p, a)| (p, Some(a)));
        let target = markdown::resolve(self.cx().key, path)?;
        let anchor = anchor.map(|a| format!("#{a}")).unwrap_or_default();
        Some(format!("{}{}{anchor}", self.cx().site_url, url_of(&target)))
    }

    fn finish(mut self) -> Result<Doc, Vec<Diagnostic>> {
        for label in std::mem::take(&mut self.cited) {
            match self.definitions.remove(&label) {
                Some((spans, _)) => self.doc.sources.push(spans),
                None => {
                    self.offset = 0;
                    self.error(format!("footnote `[^{label}]` is cited but never defined"));
                }
            }
        }
        let mut unused: Vec<(String, usize)> = self.definitions.drain().map(|(l, (_, o))| (l, o)).collect();
        unused.sort_by_key(|u| u.1);
        for (label, offset) in unused {
            self.offset = offset;
            self.error(format!("footnote `[^{label}]` is defined but never cited"));
        }
        if self.errors.is_empty() { Ok(self.doc) } else { Err(self.errors) }
    }
}

/// `<!-- columns: 2 -->` -> Some(Ok(2)); another comment or HTML -> None.
fn columns_directive(html: &str) -> Option<Result<u8, String>> {
    let inner = html.trim().strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    let n = inner.strip_prefix("columns:")?.trim();
    Some(n.parse::<u8>().ok().filter(|n| (1..=4).contains(n)).ok_or_else(|| format!("`<!-- columns: {n} -->`: a band has 1 to 4 columns")))
}

/// Drop leading and trailing spaces of a run list.
fn trim(mut spans: Vec<Span>) -> Vec<Span> {
    if let Some(first) = spans.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = spans.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    spans.retain(|s| !s.text.is_empty());
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_md(body: &str) -> Result<Doc, Vec<Diagnostic>> {
        let cx = Context { path: Path::new("cheatsheets/t.md"), key: "cheatsheets/t.md", line_offset: 5, site_url: "https://x.org/" };
        parse(body, &cx)
    }

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn reads_headings_paragraphs_and_styles() {
        let doc = parse_md("## Reads\n\nA **bold** and *slanted* `code` word.\n\n### Sub\n").unwrap();
        assert_eq!(doc.blocks.len(), 3);
        let Block::Para(spans) = &doc.blocks[1] else { panic!("{:?}", doc.blocks[1]) };
        assert_eq!(text(spans), "A bold and slanted code word.");
        let styles: Vec<Style> = spans.iter().map(|s| s.style).collect();
        assert_eq!(styles, [Style::Regular, Style::Bold, Style::Regular, Style::Italic, Style::Regular, Style::Mono, Style::Regular]);
        assert!(matches!(doc.blocks[2], Block::Heading { level: 3, .. }));
    }

    #[test]
    fn lists_flatten_with_markers_and_depth() {
        let doc = parse_md("- one\n  - inner\n- [x] done\n\n1. first\n2. second\n").unwrap();
        let items: Vec<(Marker, u8, bool, String)> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Item { marker, depth, first, spans } => (*marker, *depth, *first, text(spans)),
                b => panic!("{b:?}"),
            })
            .collect();
        assert_eq!(items, [
            (Marker::Bullet, 0, true, "one".to_string()),
            (Marker::Bullet, 1, false, "inner".to_string()),
            (Marker::Check(true), 0, false, "done".to_string()),
            (Marker::Number(1), 0, true, "first".to_string()),
            (Marker::Number(2), 0, false, "second".to_string()),
        ]);
    }

    #[test]
    fn footnotes_number_by_first_citation_and_links_become_absolute() {
        let doc = parse_md("B[^b] then A[^a] and B[^b] [page](../content/modules/01-a/x.md#y).\n\n[^a]: Source A, 2020.\n[^b]: Source B, 2021.\n").unwrap();
        let Block::Para(spans) = &doc.blocks[0] else { panic!() };
        assert_eq!(text(spans), "B[1] then A[2] and B[1] page.");
        assert!(spans.iter().filter(|s| s.cite).count() == 3);
        let link = spans.iter().find_map(|s| s.link.clone()).unwrap();
        assert_eq!(link, "https://x.org/modules/01-a/x/#y");
        assert_eq!(text(&doc.sources[0]), "Source B, 2021.");
        assert_eq!(text(&doc.sources[1]), "Source A, 2020.");
    }

    #[test]
    fn tables_fill_boxes_and_bands() {
        let doc = parse_md("| a | b |\n|---|--:|\n| 1 | **2** |\n\n<!-- columns: 1 -->\n\n```fill 3\nNotes\n```\n").unwrap();
        let Block::Table { aligns, head, rows } = &doc.blocks[0] else { panic!() };
        assert_eq!(aligns[1], Alignment::Right);
        assert_eq!(text(&head[0]), "a");
        assert_eq!(rows[0][1][0].style, Style::Bold);
        assert_eq!(doc.blocks[1], Block::Columns(1));
        let Block::Fill { lines, label } = &doc.blocks[2] else { panic!() };
        assert_eq!((*lines, text(label)), (3, "Notes".to_string()));
    }

    #[test]
    fn unsupported_constructs_are_errors_at_their_line() {
        let e = parse_md("Text.\n\n> [!NOTE]\n> no\n").unwrap_err();
        assert_eq!(e[0].line, 8, "{e:?}");
        assert!(e[0].message.contains("block quote"));
        let e = parse_md("# Title\n").unwrap_err();
        assert!(e[0].message.contains("`##`"));
        let e = parse_md("![x](y.png)\n").unwrap_err();
        assert!(e[0].message.contains("image"));
        let e = parse_md("<div>x</div>\n").unwrap_err();
        assert!(e[0].message.contains("raw HTML"));
        let e = parse_md("<!-- columns: 9 -->\n").unwrap_err();
        assert!(e[0].message.contains("1 to 4"));
        let e = parse_md("Han 漢\n").unwrap_err();
        assert!(e[0].message.contains("U+6F22"));
        let e = parse_md("```fill x\nA\n```\n").unwrap_err();
        assert!(e[0].message.contains("fill N"));
        let e = parse_md("A.\n\n[^u]: unused.\n").unwrap_err();
        assert!(e[0].message.contains("never cited") && e[0].line == 8, "{e:?}");
    }
}
