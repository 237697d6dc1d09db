//! The sheets' typeface and its measurements. DejaVu Sans Condensed (regular, bold, oblique)
//! and DejaVu Sans Mono are committed in `generator/fonts/` with their licence, compiled into
//! the binary, embedded (subset) in every PDF, and measured here from their own glyph advances,
//! so a line that measures as fitting is exactly as wide when drawn.

use std::sync::OnceLock;
use ttf_parser::Face;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
    Italic,
    Mono,
}

impl Style {
    pub const ALL: [Style; 4] = [Style::Regular, Style::Bold, Style::Italic, Style::Mono];

    pub fn bytes(self) -> &'static [u8] {
        match self {
            Style::Regular => include_bytes!("../../fonts/DejaVuSansCondensed.ttf"),
            Style::Bold => include_bytes!("../../fonts/DejaVuSansCondensed-Bold.ttf"),
            Style::Italic => include_bytes!("../../fonts/DejaVuSansCondensed-Oblique.ttf"),
            Style::Mono => include_bytes!("../../fonts/DejaVuSansMono.ttf"),
        }
    }

    /// The font's resource name in the PDF. Its six capital letters double as the subset tag
    /// (`DJVSCR+DejaVuSansCondensed`), which must not change between builds.
    pub fn pdf_id(self) -> &'static str {
        match self {
            Style::Regular => "DJVSCR",
            Style::Bold => "DJVSCB",
            Style::Italic => "DJVSCI",
            Style::Mono => "DJVSMR",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

fn faces() -> &'static [Face<'static>; 4] {
    static FACES: OnceLock<[Face<'static>; 4]> = OnceLock::new();
    FACES.get_or_init(|| Style::ALL.map(|s| Face::parse(s.bytes(), 0).expect("the bundled fonts parse")))
}

/// Whether the font has a glyph for `c` (the PDF would show a box otherwise).
pub fn has(style: Style, c: char) -> bool {
    c == ' ' || faces()[style.index()].glyph_index(c).is_some()
}

/// Width of `text` set in `style` at `size` points, in points.
pub fn width(style: Style, size: f32, text: &str) -> f32 {
    let face = &faces()[style.index()];
    let units: u32 = text
        .chars()
        .map(|c| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).unwrap_or(0) as u32)
        .sum();
    units as f32 * size / face.units_per_em() as f32
}

/// Distance from the top of a line box of height `leading` to the baseline, for text of `size`:
/// the font's ascent and descent centred in the line.
pub fn baseline(size: f32, leading: f32) -> f32 {
    let face = &faces()[Style::Regular.index()];
    let em = face.units_per_em() as f32;
    let ascent = face.ascender() as f32 / em * size;
    let descent = -(face.descender() as f32) / em * size;
    (leading - ascent - descent) / 2.0 + ascent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_scale_with_size_and_differ_by_style() {
        let w = width(Style::Regular, 10.0, "Latency");
        assert!(w > 25.0 && w < 40.0, "{w}");
        assert!((width(Style::Regular, 20.0, "Latency") - 2.0 * w).abs() < 1e-3);
        assert!(width(Style::Bold, 10.0, "Latency") > w);
        // Monospace: every character the same width.
        assert_eq!(width(Style::Mono, 10.0, "iiii"), width(Style::Mono, 10.0, "WWWW"));
        assert_eq!(width(Style::Regular, 10.0, ""), 0.0);
    }

    #[test]
    fn coverage_includes_the_symbols_sheets_use() {
        for c in "×÷≈≤≥→↔µ–—‘’“”•²✓".chars() {
            assert!(has(Style::Regular, c), "{c}");
        }
        assert!(!has(Style::Regular, '漢'));
    }
}
