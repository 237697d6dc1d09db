//! Write a laid-out page as a PDF with printpdf: fonts embedded and subset, text as real text
//! (selectable and searchable), links as link annotations, and metadata set. The output is
//! byte-identical across builds: printpdf's generated names are replaced with fixed ones and
//! the dates (which only say when the build ran) are left out.

use super::fonts::Style;
use super::layout::{Item, Page, Rgb};
use printpdf::{
    Actions, BorderArray, Color, FontId, LinkAnnotation, Op, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};
use std::sync::OnceLock;

pub struct Info<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub keywords: &'a [String],
}

fn parsed_fonts() -> &'static Vec<(Style, ParsedFont)> {
    static FONTS: OnceLock<Vec<(Style, ParsedFont)>> = OnceLock::new();
    FONTS.get_or_init(|| {
        Style::ALL
            .iter()
            .map(|&s| (s, ParsedFont::from_bytes(s.bytes(), 0, &mut vec![]).expect("the bundled fonts parse")))
            .collect()
    })
}

pub fn pdf(page: &Page, info: &Info) -> Vec<u8> {
    let mut doc = PdfDocument::new(info.title);
    let m = &mut doc.metadata.info;
    m.subject = info.subject.to_string();
    m.keywords = info.keywords.to_vec();
    m.author = "System Design Platform".into();
    m.creator = "sdp".into();
    m.producer = "sdp with printpdf".into();
    for (style, font) in parsed_fonts() {
        doc.resources.fonts.map.insert(FontId(style.pdf_id().into()), PdfFont::new(font.clone()));
    }
    let h = page.height;
    let mut ops = vec![];
    for item in &page.items {
        match item {
            Item::Text { x, y, size, style, color, text } => {
                ops.extend([
                    Op::StartTextSection,
                    Op::SetFont { font: PdfFontHandle::External(FontId(style.pdf_id().into())), size: Pt(*size) },
                    Op::SetFillColor { col: color_of(*color) },
                    Op::SetTextCursor { pos: Point { x: Pt(*x), y: Pt(h - y) } },
                    Op::ShowText { items: vec![TextItem::Text(text.clone())] },
                    Op::EndTextSection,
                ]);
            }
            Item::Rect { x, y, w, h: rh, fill, stroke } => {
                if let Some(c) = fill {
                    ops.push(Op::SetFillColor { col: color_of(*c) });
                }
                if let Some((c, width)) = stroke {
                    ops.push(Op::SetOutlineColor { col: color_of(*c) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                }
                let mode = match (fill, stroke) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (Some(_), None) => PaintMode::Fill,
                    _ => PaintMode::Stroke,
                };
                let mut rect = Rect::from_xywh(Pt(*x), Pt(h - y - rh), Pt(*w), Pt(*rh));
                rect.mode = Some(mode);
                ops.push(Op::DrawRectangle { rectangle: rect });
            }
            Item::Line { x1, y1, x2, y2, color, width } => {
                ops.push(Op::SetOutlineColor { col: color_of(*color) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                let point = |x: f32, y: f32| printpdf::LinePoint { p: Point { x: Pt(x), y: Pt(h - y) }, bezier: false };
                ops.push(Op::DrawLine { line: printpdf::Line { points: vec![point(*x1, *y1), point(*x2, *y2)], is_closed: false } });
            }
            Item::Link { x, y, w, h: lh, url } => {
                let rect = Rect::from_xywh(Pt(*x), Pt(h - y - lh), Pt(*w), Pt(*lh));
                ops.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(rect, Actions::Uri(url.clone()), Some(BorderArray::Solid([0.0, 0.0, 0.0])), None, None),
                });
            }
        }
    }
    let mut pdf_page = PdfPage::new(printpdf::Mm(0.0), printpdf::Mm(0.0), ops);
    let media = Rect::from_xywh(Pt(0.0), Pt(0.0), Pt(page.width), Pt(page.height));
    pdf_page.media_box = media.clone();
    pdf_page.trim_box = media.clone();
    pdf_page.crop_box = media;
    doc.pages.push(pdf_page);

    let opts = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
    let mut lo = doc.to_lopdf_document(&opts, &mut vec![]);
    // Fixed where printpdf is random or time-dependent: the file ID comes from the content,
    // and the dates are dropped (they are optional, and a build's time is not the sheet's).
    let id = format!("{:016x}", crate::output::hash_bytes(format!("{:?}{}", page.items, info.title).as_bytes()));
    let id = lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    if let Ok(info_id) = lo.trailer.get(b"Info").and_then(lopdf::Object::as_reference) {
        if let Ok(dict) = lo.get_object_mut(info_id).and_then(lopdf::Object::as_dict_mut) {
            for key in [&b"CreationDate"[..], b"ModDate", b"Identifier", b"GTS_PDFXVersion", b"Trapped"] {
                dict.remove(key);
            }
        }
    }
    lo.compress();
    let mut bytes = vec![];
    lo.save_to(&mut bytes).expect("writing to memory cannot fail");
    bytes
}

fn color_of(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb { r: c.0, g: c.1, b: c.2, icc_profile: None })
}
