//! Cheat sheets as one-page PDFs: the sheet's Markdown read as blocks ([`blocks`]), laid out
//! on an A4 page in measured, wrapped, balanced columns ([`layout`]) and written with embedded
//! fonts ([`write`]). Content that does not fit is an error saying by how much.

mod blocks;
mod fonts;
mod layout;
mod write;

use crate::content::{Page, Orientation};
use crate::diagnostics::Diagnostic;

/// Typeset the sheet `page`. `site_url` is the site's root URL ending in `/` (absolute when
/// the build has a base URL), from which the footer's link to the sheet's page is made.
pub fn typeset(page: &Page, site_url: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let sheet = page.meta.sheet.as_ref().expect("typeset is called for cheat sheets");
    let cx = blocks::Context { path: &page.path, key: &page.key, line_offset: page.body_line_offset, site_url };
    let doc = blocks::parse(&page.body, &cx)?;
    let url = format!("{site_url}{}", page.url);
    let frame = layout::Frame {
        title: &page.meta.title,
        summary: &page.meta.summary,
        url: &url,
        orientation: sheet.orientation,
        columns: sheet.columns,
    };
    let info = write::Info { title: &page.meta.title, subject: &page.meta.summary, keywords: &sheet.keywords };
    let laid_out = layout::lay_out(&doc, &frame).map_err(|o| {
        // To see what runs off the page: SDP_OVERFLOW_DIR=/tmp sdp check
        let preview = std::env::var_os("SDP_OVERFLOW_DIR").map(|dir| {
            let file = std::path::Path::new(&dir).join(crate::pipeline::pdf_path(&page.url).replace('/', "-"));
            match std::fs::write(&file, write::pdf(&o.page, &info)) {
                Ok(()) => format!(" (the overflowing page is in {})", file.display()),
                Err(e) => format!(" (could not write the overflowing page to {}: {e})", file.display()),
            }
        });
        let size = match sheet.orientation {
            Orientation::Landscape => "landscape",
            Orientation::Portrait => "portrait",
        };
        vec![Diagnostic::file(
            &page.path,
            format!(
                "cheat sheet `{}` does not fit on one {size} A4 page: it overflows by {:.1} mm ({:.0}% of the {:.0} mm text height); shorten it, or use more columns",
                page.meta.title,
                o.by_mm,
                o.by_mm / o.area_mm * 100.0,
                o.area_mm
            ) + &preview.unwrap_or_default(),
        )]
    })?;
    Ok(write::pdf(&laid_out, &info))
}

/// The cheat sheets' PDFs and their sizes, for the build report.
pub fn size_table(output: &crate::output::Output) -> Option<String> {
    let pdfs: Vec<(&String, usize)> = output
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("cheatsheets/") && p.ends_with(".pdf"))
        .map(|(p, b)| (p, b.len()))
        .collect();
    if pdfs.is_empty() {
        return None;
    }
    let mut table = format!("{:<44} {:>9}", "cheat sheet", "pdf");
    for (path, size) in &pdfs {
        table.push_str(&format!("\n{path:<44} {:>6.1} KB", *size as f64 / 1e3));
    }
    let total: usize = pdfs.iter().map(|p| p.1).sum();
    table.push_str(&format!("\n{:<44} {:>6.1} KB", format!("{} sheets", pdfs.len()), total as f64 / 1e3));
    Some(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const SHEET: &str = "---\ntitle: T\nsummary: S.\nmodules: [01-a]\nkeywords: [k]\n---\n## H\n\nText[^a] with a [link](https://example.org).\n\n[^a]: Source, 2020.\n";

    #[test]
    fn typesetting_twice_in_one_process_gives_the_same_bytes() {
        // printpdf names fonts and files from a process-wide counter; the sheet must not.
        let page = crate::content::parse_page(Path::new("cheatsheets/t.md"), "cheatsheets/t.md", SHEET).unwrap();
        let a = typeset(&page, "https://x.org/").unwrap();
        let b = typeset(&page, "https://x.org/").unwrap();
        assert!(a == b);
        assert!(a.starts_with(b"%PDF-"));
        let other = typeset(&page, "https://y.org/").unwrap();
        assert!(a != other, "the footer URL is part of the page");
    }
}
