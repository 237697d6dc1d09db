//! Lay out a sheet on one page: wrap text by real glyph widths, cut blocks into pieces a column
//! may break between, flow them through balanced columns band by band, and place the header
//! band, the sources and the footer. The result is a list of drawing items in points, measured
//! from the page's top-left corner; [`super::write`] turns it into PDF.

use super::blocks::{Block, Doc, Marker, Span};
use super::fonts::{self, Style};
use crate::content::Orientation;
use pulldown_cmark::Alignment;

pub const MM: f32 = 72.0 / 25.4;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

const INK: Rgb = Rgb(0.13, 0.14, 0.16);
const BRAND: Rgb = Rgb(0.11, 0.29, 0.49);
const MUTED: Rgb = Rgb(0.38, 0.42, 0.48);
const LINK: Rgb = Rgb(0.05, 0.36, 0.68);
const RULE: Rgb = Rgb(0.74, 0.78, 0.82);
const FAINT: Rgb = Rgb(0.88, 0.9, 0.92);
const HEAD_FILL: Rgb = Rgb(0.89, 0.93, 0.97);
const ZEBRA: Rgb = Rgb(0.965, 0.972, 0.98);
const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

const BODY: f32 = 7.4;
const LEAD: f32 = 1.24;
const H2: f32 = 9.2;
const H3: f32 = 7.8;
const TABLE: f32 = 6.8;
const CODE: f32 = 6.5;
const SOURCES: f32 = 5.6;
const COLUMN_GAP: f32 = 14.0;
const BAND_GAP: f32 = 8.0;
/// Height of one handwriting line in a fill box.
const HAND_LINE: f32 = 6.0 * MM;

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text with its baseline at `y`.
    Text { x: f32, y: f32, size: f32, style: Style, color: Rgb, text: String },
    Rect { x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<(Rgb, f32)> },
    Line { x1: f32, y1: f32, x2: f32, y2: f32, color: Rgb, width: f32 },
    Link { x: f32, y: f32, w: f32, h: f32, url: String },
}

impl Item {
    fn shifted(mut self, dx: f32, dy: f32) -> Item {
        match &mut self {
            Item::Text { x, y, .. } | Item::Rect { x, y, .. } | Item::Link { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
        }
        self
    }
}

/// A laid-out page.
#[derive(Debug)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// What is printed around the content.
pub struct Frame<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    /// The sheet's page on the site, printed in the footer and linked.
    pub url: &'a str,
    pub orientation: Orientation,
    pub columns: u8,
}

/// The content did not fit: how far past the bottom of the text area it reached, and the page
/// as it would have been (running off the paper), for an author to look at.
#[derive(Debug)]
pub struct Overflow {
    pub by_mm: f32,
    pub area_mm: f32,
    pub page: Page,
}

/// A4, with margins wide enough that the page also prints at 100% on US Letter (which is
/// 6.1 mm wider and 17.6 mm shorter): nothing lies in the strips Letter cuts off plus a
/// printer's usual 6.35 mm unprintable edge.
pub fn page_size(o: Orientation) -> (f32, f32, f32, f32) {
    let (a4_w, a4_h) = (210.0 * MM, 297.0 * MM);
    match o {
        Orientation::Landscape => (a4_h, a4_w, 16.0 * MM, 10.0 * MM),
        Orientation::Portrait => (a4_w, a4_h, 10.0 * MM, 16.0 * MM),
    }
}

pub fn lay_out(doc: &Doc, frame: &Frame) -> Result<Page, Overflow> {
    let (width, height, mx, my) = page_size(frame.orientation);
    let content_w = width - 2.0 * mx;
    let mut items = vec![];

    // Header band.
    let pad = 8.0;
    let right = "System Design Platform";
    let right_w = fonts::width(Style::Bold, 7.0, right);
    let summary_spans = [plain(frame.summary)];
    let summary = wrap(&summary_spans, BODY, content_w - 2.0 * pad - right_w - 12.0);
    let title_size = 15.0;
    let band_h = pad + title_size * 1.15 + summary.len() as f32 * BODY * LEAD + pad - 2.0;
    items.push(Item::Rect { x: mx, y: my, w: content_w, h: band_h, fill: Some(BRAND), stroke: None });
    items.push(Item::Text { x: mx + pad, y: my + pad + title_size * 0.9, size: title_size, style: Style::Bold, color: WHITE, text: frame.title.to_string() });
    let mut y = my + pad + title_size * 1.15;
    for line in &summary {
        items.extend(line.items(mx + pad, y, BODY, BODY * LEAD, Some(WHITE)));
        y += BODY * LEAD;
    }
    items.push(Item::Text { x: mx + content_w - pad - right_w, y: my + pad + 7.0, size: 7.0, style: Style::Bold, color: WHITE, text: right.into() });
    let kind = "Cheat sheet";
    let kind_w = fonts::width(Style::Regular, 6.5, kind);
    items.push(Item::Text { x: mx + content_w - pad - kind_w, y: my + pad + 16.0, size: 6.5, style: Style::Regular, color: WHITE, text: kind.into() });

    // Footer.
    let footer_base = height - my;
    let footer_size = 6.2;
    items.push(Item::Line { x1: mx, y1: footer_base - 9.0, x2: mx + content_w, y2: footer_base - 9.0, color: RULE, width: 0.4 });
    let url_w = fonts::width(Style::Regular, footer_size, frame.url);
    items.push(Item::Text { x: mx, y: footer_base - 1.5, size: footer_size, style: Style::Regular, color: LINK, text: frame.url.to_string() });
    if frame.url.contains("://") {
        items.push(Item::Link { x: mx, y: footer_base - 8.0, w: url_w, h: 9.0, url: frame.url.to_string() });
    }
    let note = "Numbers in [brackets] cite the sources listed above.";
    let note_w = fonts::width(Style::Regular, footer_size, note);
    items.push(Item::Text { x: mx + content_w - note_w, y: footer_base - 1.5, size: footer_size, style: Style::Regular, color: MUTED, text: note.into() });

    // Content, band by band.
    let top = my + band_h + 9.0;
    let bottom = footer_base - 9.0 - 6.0;
    let mut y = top;
    let mut columns = frame.columns.max(1) as usize;
    let mut band: Vec<&Block> = vec![];
    let mut bands: Vec<(usize, Vec<&Block>)> = vec![];
    for block in &doc.blocks {
        if let Block::Columns(n) = block {
            bands.push((columns, std::mem::take(&mut band)));
            columns = *n as usize;
        } else {
            band.push(block);
        }
    }
    bands.push((columns, band));
    for (columns, blocks) in bands.into_iter().filter(|(_, b)| !b.is_empty()) {
        let col_w = (content_w - COLUMN_GAP * (columns as f32 - 1.0)) / columns as f32;
        let pieces: Vec<Piece> = blocks.iter().flat_map(|b| pieces(b, col_w)).collect();
        let h = place(&pieces, columns, col_w, mx, y, &mut items);
        y += h + BAND_GAP;
    }

    // Sources: a numbered list in small type across the page.
    if !doc.sources.is_empty() {
        y += 1.0;
        items.push(Item::Line { x1: mx, y1: y, x2: mx + content_w, y2: y, color: RULE, width: 0.4 });
        y += 3.0;
        items.push(Item::Text { x: mx, y: y + 6.0, size: 6.4, style: Style::Bold, color: BRAND, text: "Sources".into() });
        y += 9.0;
        let columns = if frame.orientation == Orientation::Landscape { 3 } else { 2 };
        let col_w = (content_w - COLUMN_GAP * (columns as f32 - 1.0)) / columns as f32;
        let pieces: Vec<Piece> = doc
            .sources
            .iter()
            .enumerate()
            .flat_map(|(i, spans)| {
                let label = format!("[{}]", i + 1);
                marked(&label, spans, SOURCES, col_w, 0.0, 12.0, if i == 0 { 0.0 } else { 1.2 })
            })
            .collect();
        let h = place(&pieces, columns, col_w, mx, y, &mut items);
        y += h;
    }

    let page = Page { width, height, items };
    if y > bottom + 0.01 {
        return Err(Overflow { by_mm: (y - bottom) / MM, area_mm: (bottom - top) / MM, page });
    }
    Ok(page)
}

fn plain(text: &str) -> Span {
    Span { text: text.to_string(), style: Style::Regular, link: None, cite: false }
}

/// A piece of a block that a column may not break inside.
#[derive(Debug, Clone)]
struct Piece {
    h: f32,
    /// Space above it, dropped at the top of a column.
    gap: f32,
    /// Keep in the same column as the piece after it (headings).
    keep: bool,
    /// Items relative to the piece's top-left corner.
    items: Vec<Item>,
}

/// Flow pieces into `columns` columns starting at `(x, y)`, with balanced heights. Returns the
/// height used.
fn place(pieces: &[Piece], columns: usize, col_w: f32, x: f32, y: f32, items: &mut Vec<Item>) -> f32 {
    let total: f32 = pieces.iter().map(|p| p.gap + p.h).sum();
    let tallest = pieces.iter().map(|p| p.h).fold(0.0, f32::max);
    // The shortest column height that fits everything: binary search, as fitting is monotone.
    let (mut lo, mut hi) = (tallest, total.max(tallest));
    for _ in 0..24 {
        let mid = (lo + hi) / 2.0;
        if flow(pieces, columns, mid).is_some() { hi = mid } else { lo = mid }
    }
    let spots = flow(pieces, columns, hi).or_else(|| flow(pieces, columns, total + 1.0)).unwrap_or_default();
    let mut used: f32 = 0.0;
    let mut used_cols = 0;
    for (piece, (col, top)) in pieces.iter().zip(&spots) {
        let dx = x + *col as f32 * (col_w + COLUMN_GAP);
        items.extend(piece.items.iter().cloned().map(|i| i.shifted(dx, y + top)));
        used = used.max(top + piece.h);
        used_cols = used_cols.max(col + 1);
    }
    for c in 1..used_cols {
        let rx = x + c as f32 * (col_w + COLUMN_GAP) - COLUMN_GAP / 2.0;
        items.push(Item::Line { x1: rx, y1: y, x2: rx, y2: y + used, color: FAINT, width: 0.5 });
    }
    used
}

/// Place pieces in columns of `height`: each piece's column and top, or None if they overflow.
/// Pieces chained by `keep` form a group that starts a new column rather than split, unless
/// the group is taller than a whole column.
fn flow(pieces: &[Piece], columns: usize, height: f32) -> Option<Vec<(usize, f32)>> {
    let mut spots = Vec::with_capacity(pieces.len());
    let (mut col, mut y) = (0, 0.0f32);
    let fits = |y: f32, need: f32| y + need <= height + 0.001;
    for (i, p) in pieces.iter().enumerate() {
        if y > 0.0 && (i == 0 || !pieces[i - 1].keep) {
            let end = pieces[i..].iter().position(|q| !q.keep).map_or(pieces.len(), |k| i + k + 1);
            let group: f32 = p.h + pieces[i + 1..end].iter().map(|q| q.gap + q.h).sum::<f32>();
            if !fits(y, p.gap + group) && group <= height {
                col += 1;
                y = 0.0;
            }
        }
        if y > 0.0 && !fits(y, p.gap + p.h) {
            col += 1;
            y = 0.0;
        }
        if col >= columns || !fits(0.0, p.h) {
            return None;
        }
        let gap = if y == 0.0 { 0.0 } else { p.gap };
        spots.push((col, y + gap));
        y += gap + p.h;
    }
    Some(spots)
}

/// A block as pieces for a column `w` wide.
fn pieces(block: &Block, w: f32) -> Vec<Piece> {
    match block {
        Block::Heading { level, spans } => {
            let (size, color, gap) = if *level == 2 { (H2, BRAND, 7.0) } else { (H3, INK, 4.0) };
            let bold: Vec<Span> = spans.iter().map(|s| Span { style: Style::Bold, ..s.clone() }).collect();
            let lines = wrap(&bold, size, w);
            let lead = size * 1.2;
            let mut items = vec![];
            for (i, line) in lines.iter().enumerate() {
                items.extend(line.items(0.0, i as f32 * lead, size, lead, Some(color)));
            }
            let mut h = lines.len() as f32 * lead;
            if *level == 2 {
                h += 1.5;
                items.push(Item::Line { x1: 0.0, y1: h, x2: w, y2: h, color: BRAND, width: 0.6 });
                h += 2.0;
            }
            vec![Piece { h, gap, keep: true, items }]
        }
        Block::Para(spans) => text_lines(spans, BODY, w, 0.0, 3.0),
        Block::Item { marker, depth, first, spans } => {
            let indent = *depth as f32 * 9.0;
            let gap = if *first { 3.0 } else { 1.0 };
            match marker {
                Marker::Bullet => marked("•", spans, BODY, w, indent, 8.0, gap),
                Marker::Number(n) => marked(&format!("{n}."), spans, BODY, w, indent, 10.0, gap),
                Marker::Check(done) => {
                    let mut ps = marked("", spans, BODY, w, indent, 10.0, gap);
                    if let Some(p) = ps.first_mut() {
                        let s = 5.6;
                        let top = (BODY * LEAD - s) / 2.0 + 0.3;
                        p.items.push(Item::Rect { x: indent, y: top, w: s, h: s, fill: None, stroke: Some((INK, 0.5)) });
                        if *done {
                            p.items.push(Item::Text { x: indent + 0.8, y: top + s - 0.8, size: 5.8, style: Style::Bold, color: INK, text: "✓".into() });
                        }
                    }
                    ps
                }
            }
        }
        Block::Table { aligns, head, rows } => table(aligns, head, rows, w),
        Block::Code(lines) => {
            let lead = CODE * 1.25;
            let pad = 3.0;
            let mut items = vec![Item::Rect { x: 0.0, y: 0.0, w, h: lines.len() as f32 * lead + 2.0 * pad, fill: Some(ZEBRA), stroke: Some((FAINT, 0.4)) }];
            for (i, l) in lines.iter().enumerate() {
                let base = pad + i as f32 * lead + fonts::baseline(CODE, lead);
                items.push(Item::Text { x: pad, y: base, size: CODE, style: Style::Mono, color: INK, text: l.clone() });
            }
            vec![Piece { h: lines.len() as f32 * lead + 2.0 * pad, gap: 3.0, keep: false, items }]
        }
        Block::Fill { lines, label } => {
            let pad = 3.5;
            let label_lines = wrap(label, 7.0, w - 2.0 * pad);
            let label_h = label_lines.len() as f32 * 7.0 * LEAD;
            let h = pad + label_h + *lines as f32 * HAND_LINE + 2.0;
            let mut items = vec![Item::Rect { x: 0.0, y: 0.0, w, h, fill: None, stroke: Some((RULE, 0.7)) }];
            for (i, line) in label_lines.iter().enumerate() {
                items.extend(line.items(pad, pad + i as f32 * 7.0 * LEAD, 7.0, 7.0 * LEAD, Some(BRAND)));
            }
            for i in 1..=*lines {
                let ly = pad + label_h + i as f32 * HAND_LINE;
                if ly < h - 1.0 {
                    items.push(Item::Line { x1: pad, y1: ly, x2: w - pad, y2: ly, color: FAINT, width: 0.4 });
                }
            }
            vec![Piece { h, gap: 5.0, keep: false, items }]
        }
        Block::Columns(_) => vec![],
    }
}

/// Wrapped text, one piece per line so a column may break between lines.
fn text_lines(spans: &[Span], size: f32, w: f32, indent: f32, gap: f32) -> Vec<Piece> {
    let lead = size * LEAD;
    wrap(spans, size, w - indent)
        .iter()
        .enumerate()
        .map(|(i, line)| Piece { h: lead, gap: if i == 0 { gap } else { 0.0 }, keep: false, items: line.items(indent, 0.0, size, lead, None) })
        .collect()
}

/// Text with a marker (bullet, number) hanging in the margin at `indent`.
/// Its lines stay in one column.
fn marked(marker: &str, spans: &[Span], size: f32, w: f32, indent: f32, hang: f32, gap: f32) -> Vec<Piece> {
    let mut ps = text_lines(spans, size, w, indent + hang, gap);
    if ps.is_empty() {
        ps.push(Piece { h: size * LEAD, gap, keep: false, items: vec![] });
    }
    let last = ps.len() - 1;
    for p in &mut ps[..last] {
        p.keep = true;
    }
    if !marker.is_empty() {
        let base = fonts::baseline(size, size * LEAD);
        ps[0].items.push(Item::Text { x: indent, y: base, size, style: Style::Regular, color: MUTED, text: marker.into() });
    }
    ps
}

fn table(aligns: &[Alignment], head: &[Vec<Span>], rows: &[Vec<Vec<Span>>], w: f32) -> Vec<Piece> {
    let pad = 2.6;
    let vpad = 1.7;
    let lead = TABLE * 1.2;
    let n = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if n == 0 {
        return vec![];
    }
    let bold = |cell: &Vec<Span>| -> Vec<Span> { cell.iter().map(|s| Span { style: Style::Bold, ..s.clone() }).collect() };
    let head: Vec<Vec<Span>> = head.iter().map(bold).collect();
    let all = std::iter::once(&head).chain(rows);
    // Each column's narrowest (longest word) and widest (one line) width.
    let mut min = vec![0.0f32; n];
    let mut max = vec![0.0f32; n];
    for row in all {
        for (c, cell) in row.iter().enumerate() {
            let (lo, hi) = measure(cell, TABLE);
            min[c] = min[c].max(lo + 2.0 * pad);
            max[c] = max[c].max(hi + 2.0 * pad);
        }
    }
    let widths = column_widths(&min, &max, w);
    let row_piece = |cells: &[Vec<Span>], header: bool, zebra: bool| -> Piece {
        let wrapped: Vec<Vec<Line>> = (0..n)
            .map(|c| cells.get(c).map_or(vec![], |cell| wrap(cell, TABLE, widths[c] - 2.0 * pad)))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = lines as f32 * lead + 2.0 * vpad;
        let mut items = vec![];
        if header || zebra {
            items.push(Item::Rect { x: 0.0, y: 0.0, w, h, fill: Some(if header { HEAD_FILL } else { ZEBRA }), stroke: None });
        }
        let mut x = 0.0;
        for (c, cell) in wrapped.iter().enumerate() {
            for (i, line) in cell.iter().enumerate() {
                let room = widths[c] - 2.0 * pad - line.width;
                let dx = match aligns.get(c) {
                    Some(Alignment::Right) => room,
                    Some(Alignment::Center) => room / 2.0,
                    _ => 0.0,
                };
                items.extend(line.items(x + pad + dx, vpad + i as f32 * lead, TABLE, lead, None));
            }
            x += widths[c];
        }
        let (color, width) = if header { (BRAND, 0.6) } else { (FAINT, 0.4) };
        items.push(Item::Line { x1: 0.0, y1: h, x2: w, y2: h, color, width });
        Piece { h, gap: if header { 4.0 } else { 0.0 }, keep: header, items }
    };
    let mut out = vec![];
    if head.iter().any(|c| !c.is_empty()) {
        out.push(row_piece(&head, true, false));
    }
    for (i, row) in rows.iter().enumerate() {
        let mut piece = row_piece(row, false, i % 2 == 1);
        piece.keep = i + 1 < rows.len();
        out.push(piece);
    }
    out
}

/// Share `w` between columns the way browsers do for auto tables: everything on one line when
/// it fits, else each column at least its longest word and the rest by how much it would use.
fn column_widths(min: &[f32], max: &[f32], w: f32) -> Vec<f32> {
    let sum_max: f32 = max.iter().sum();
    let sum_min: f32 = min.iter().sum();
    if sum_max <= w {
        return max.iter().map(|m| m + (w - sum_max) * m / sum_max).collect();
    }
    if sum_min >= w {
        return min.iter().map(|m| m * w / sum_min).collect();
    }
    let spread: f32 = max.iter().zip(min).map(|(a, b)| a - b).sum();
    min.iter().zip(max).map(|(lo, hi)| lo + (w - sum_min) * (hi - lo) / spread).collect()
}

/// The longest word's width and the one-line width of a cell.
fn measure(spans: &[Span], size: f32) -> (f32, f32) {
    let words = words(spans);
    let longest = words.iter().map(|w| w.width(size)).fold(0.0, f32::max);
    let full = spans.iter().map(|s| fonts::width(s.style, size, &s.text)).sum();
    (longest, full)
}

/// A word: the runs between two spaces (a word may change style mid-way, as in `**QPS**/day`).
/// Each part is `(index of its span, text)`.
#[derive(Debug, Clone)]
struct Word<'a> {
    parts: Vec<(usize, String)>,
    spans: &'a [Span],
}

impl Word<'_> {
    fn width(&self, size: f32) -> f32 {
        self.parts.iter().map(|(i, t)| fonts::width(self.spans[*i].style, size, t)).sum()
    }
}

fn words(spans: &[Span]) -> Vec<Word<'_>> {
    let mut out = vec![];
    let mut word = Word { parts: vec![], spans };
    for (i, span) in spans.iter().enumerate() {
        for (k, piece) in span.text.split(' ').enumerate() {
            if k > 0 && !word.parts.is_empty() {
                out.push(std::mem::replace(&mut word, Word { parts: vec![], spans }));
            }
            if !piece.is_empty() {
                word.parts.push((i, piece.to_string()));
            }
        }
    }
    if !word.parts.is_empty() {
        out.push(word);
    }
    out
}

/// One line of wrapped text: fragments (span index, text, x) and its width.
#[derive(Debug, Clone, Default)]
pub struct Line<'a> {
    frags: Vec<(usize, String, f32)>,
    width: f32,
    spans: &'a [Span],
}

impl Line<'_> {
    /// Drawing items for the line with its box top at `(x, y)`. `color` overrides the ink.
    fn items(&self, x: f32, y: f32, size: f32, lead: f32, color: Option<Rgb>) -> Vec<Item> {
        let base = y + fonts::baseline(size, lead);
        let mut out = vec![];
        for (i, text, fx) in &self.frags {
            let span = &self.spans[*i];
            let ink = if span.link.is_some() {
                LINK
            } else if span.cite {
                MUTED
            } else {
                color.unwrap_or(INK)
            };
            out.push(Item::Text { x: x + fx, y: base, size, style: span.style, color: ink, text: text.clone() });
            if let Some(url) = &span.link {
                let w = fonts::width(span.style, size, text.trim_end());
                out.push(Item::Link { x: x + fx, y, w, h: lead, url: url.clone() });
            }
        }
        out
    }

    fn push(&mut self, span: usize, text: &str, size: f32) {
        let w = fonts::width(self.spans[span].style, size, text);
        match self.frags.last_mut() {
            Some((i, t, _)) if *i == span => t.push_str(text),
            _ => self.frags.push((span, text.to_string(), self.width)),
        }
        self.width += w;
    }
}

/// Break text into lines no wider than `w`: greedily at spaces, and inside a word only when the
/// word alone is wider than the line.
fn wrap<'a>(spans: &'a [Span], size: f32, w: f32) -> Vec<Line<'a>> {
    let mut lines = vec![];
    let mut line = Line { spans, ..Line::default() };
    for word in words(spans) {
        let ww = word.width(size);
        if !line.frags.is_empty() {
            let last = line.frags.last().map_or(0, |f| f.0);
            let space = fonts::width(spans[last].style, size, " ");
            if line.width + space + ww <= w {
                line.push(last, " ", size);
                for (i, t) in &word.parts {
                    line.push(*i, t, size);
                }
                continue;
            }
            lines.push(std::mem::replace(&mut line, Line { spans, ..Line::default() }));
        }
        if ww <= w {
            for (i, t) in &word.parts {
                line.push(*i, t, size);
            }
            continue;
        }
        // Too wide for any line: break it between characters.
        for (i, t) in &word.parts {
            for c in t.chars() {
                let cw = fonts::width(spans[*i].style, size, c.encode_utf8(&mut [0; 4]));
                if line.width + cw > w && !line.frags.is_empty() {
                    lines.push(std::mem::replace(&mut line, Line { spans, ..Line::default() }));
                }
                line.push(*i, c.encode_utf8(&mut [0; 4]), size);
            }
        }
    }
    if !line.frags.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(t: &str, style: Style) -> Span {
        Span { text: t.into(), style, link: None, cite: false }
    }

    #[test]
    fn wrapping_keeps_lines_within_width_and_loses_no_text() {
        let spans = [span("Every number on a sheet carries its ", Style::Regular), span("source", Style::Bold), span(" and year, so a reader can check it.", Style::Regular)];
        for w in [40.0, 80.0, 120.0, 400.0] {
            let lines = wrap(&spans, BODY, w);
            for l in &lines {
                assert!(l.width <= w + 0.01 || l.frags.len() == 1, "{w}: {l:?}");
            }
            let text: Vec<String> = lines.iter().map(|l| l.frags.iter().map(|f| f.1.as_str()).collect()).collect();
            assert_eq!(text.join(" "), "Every number on a sheet carries its source and year, so a reader can check it.");
        }
        assert_eq!(wrap(&spans, BODY, 400.0).len(), 1);
        // A word wider than the line is broken between characters.
        let long = [span("https://example.org/a/very/long/path/that/cannot/fit", Style::Regular)];
        let lines = wrap(&long, BODY, 50.0);
        assert!(lines.len() > 2 && lines.iter().all(|l| l.width <= 50.0 + 0.01));
    }

    #[test]
    fn column_widths_fill_the_table_and_respect_words() {
        let w = column_widths(&[20.0, 30.0], &[50.0, 60.0], 200.0);
        assert!((w.iter().sum::<f32>() - 200.0).abs() < 0.01 && w[1] > w[0]);
        let w = column_widths(&[20.0, 30.0], &[100.0, 200.0], 150.0);
        assert!((w.iter().sum::<f32>() - 150.0).abs() < 0.01);
        assert!(w[0] >= 20.0 && w[1] >= 30.0);
    }

    fn line_piece(h: f32, gap: f32, keep: bool) -> Piece {
        Piece { h, gap, keep, items: vec![] }
    }

    #[test]
    fn flow_balances_and_keeps_headings_with_what_follows() {
        let pieces: Vec<Piece> = (0..10).map(|_| line_piece(10.0, 0.0, false)).collect();
        assert!(flow(&pieces, 2, 49.0).is_none());
        let spots = flow(&pieces, 2, 50.0).unwrap();
        assert_eq!(spots[5], (1, 0.0));
        let mut items = vec![];
        assert!((place(&pieces, 2, 100.0, 0.0, 0.0, &mut items) - 50.0).abs() < 0.01);
        // A heading that would end a column moves to the next one with its first line.
        let pieces = vec![line_piece(10.0, 0.0, false), line_piece(10.0, 0.0, false), line_piece(8.0, 4.0, true), line_piece(10.0, 0.0, false)];
        let spots = flow(&pieces, 2, 30.0).unwrap();
        assert_eq!(spots[2], (1, 0.0), "{spots:?}");
        assert_eq!(spots[3], (1, 8.0));
        // A kept group (a table) moves whole; one taller than a column splits.
        let mut table: Vec<Piece> = (0..3).map(|_| line_piece(10.0, 0.0, true)).collect();
        table[2].keep = false;
        let pieces: Vec<Piece> = std::iter::once(line_piece(10.0, 0.0, false)).chain(table.clone()).collect();
        let spots = flow(&pieces, 2, 35.0).unwrap();
        assert_eq!(spots[1..], [(1, 0.0), (1, 10.0), (1, 20.0)]);
        let spots = flow(&table, 2, 20.0).unwrap();
        assert_eq!(spots, [(0, 0.0), (0, 10.0), (1, 0.0)]);
    }

    fn doc(blocks: Vec<Block>) -> Doc {
        Doc { blocks, sources: vec![] }
    }

    fn frame() -> Frame<'static> {
        Frame { title: "T", summary: "S.", url: "https://x.org/cheatsheets/t/", orientation: Orientation::Landscape, columns: 3 }
    }

    #[test]
    fn a_short_sheet_fits_and_stays_inside_the_letter_safe_area() {
        let blocks = vec![Block::Heading { level: 2, spans: vec![span("Section", Style::Regular)] }, Block::Para(vec![span("Some text. ", Style::Regular)])];
        let page = lay_out(&doc(blocks), &frame()).unwrap();
        let (w, h, mx, my) = page_size(Orientation::Landscape);
        // US Letter landscape centred on A4 cuts 8.8 mm left and right; 6.35 mm more is unprintable.
        let safe_x = (297.0 - 279.4) / 2.0 * MM + 6.35 * MM;
        assert!(mx >= safe_x, "{mx} < {safe_x}");
        for item in &page.items {
            if let Item::Text { x, y, .. } = item {
                assert!(*x >= mx && *x < w - mx && *y > my && *y <= h - my, "{item:?}");
            }
        }
    }

    #[test]
    fn too_much_content_is_an_overflow_with_its_size() {
        let para = Block::Para(vec![span(&"word ".repeat(400), Style::Regular)]);
        let one = lay_out(&doc(vec![para.clone()]), &frame());
        assert!(one.is_ok());
        let many = lay_out(&doc(vec![para; 12]), &frame()).unwrap_err();
        assert!(many.by_mm > 50.0 && many.area_mm > 100.0, "{many:?}");
    }
}
