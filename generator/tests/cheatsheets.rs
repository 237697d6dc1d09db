//! Cheat sheets end to end on the fixture project: the PDF is one A4 page with embedded,
//! subset fonts, real text (checked with poppler's pdftotext), links and metadata; it is
//! byte-identical across builds; and its HTML twin and the lists that link it exist.

mod common;

use std::path::Path;
use std::process::Command;

fn build(root: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_sdp")).arg("--root").arg(root).arg("build").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Run a poppler tool on a file and return its output.
fn poppler(tool: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(file)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[] })
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed for this test (scripts/setup --test-tools installs poppler-utils): {e}"));
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_sheet_pdf_is_one_searchable_page_with_embedded_fonts_links_and_metadata() {
    let project = common::fixture_project();
    let root = project.path();
    build(root);
    let pdf = root.join("dist/cheatsheets/basics.pdf");

    let info = poppler("pdfinfo", &[], &pdf);
    let field = |name: &str| info.lines().find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::trim)).unwrap_or("").to_string();
    assert_eq!(field("Pages"), "1", "{info}");
    assert_eq!(field("Title"), "Basics sheet");
    assert_eq!(field("Subject"), "A small sheet that uses every construct a sheet may contain.");
    assert_eq!(field("Keywords"), "fixture,basics");
    assert!(field("Page size").starts_with("841.89 x 595.27"), "A4 landscape: {info}");
    assert!(field("CreationDate").is_empty(), "no build time in the file: {info}");

    // Every font embedded and subset.
    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3, "regular, bold and mono at least: {fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!((cols[n - 5], cols[n - 4]), ("yes", "yes"), "embedded and subset: {row}");
    }

    // The text is real text, in reading order, including the table, boxes, code and sources.
    let text = poppler("pdftotext", &["-layout"], &pdf).replace('\u{c}', "");
    for expected in [
        "Basics sheet",
        "A cache hit takes about 100 ns[1]",
        "Memory reference",
        "10 ms",
        "marker-sheet-checklist",
        "Nested bullet",
        "2. Second step",
        "Write your estimate here",
        "QPS = DAU × actions ÷ 86,400",
        "Sources",
        "Jeff Dean, “Numbers everyone should know”, 2009",
        "/cheatsheets/basics/",
    ] {
        assert!(text.contains(expected), "`{expected}` is not in the PDF's text:\n{text}");
    }

    // Links are annotations with their URLs; the course page link is made absolute-path.
    let bytes = std::fs::read(&pdf).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/URI") && raw.contains("(https://example.org/spec)"), "external link annotation");
    assert!(raw.contains("(/modules/01-basics/first/)"), "course page link annotation");
}

#[test]
fn two_builds_make_byte_identical_pdfs() {
    let a = common::fixture_project();
    let b = common::fixture_project();
    build(a.path());
    build(b.path());
    let pa = std::fs::read(a.path().join("dist/cheatsheets/basics.pdf")).unwrap();
    let pb = std::fs::read(b.path().join("dist/cheatsheets/basics.pdf")).unwrap();
    assert!(pa.len() > 5_000);
    assert!(pa == pb, "the PDFs differ between two builds");
}

#[test]
fn the_html_twin_and_the_lists_link_the_pdf() {
    let project = common::fixture_project();
    let root = project.path();
    build(root);
    let read = |p: &str| std::fs::read_to_string(root.join("dist").join(p)).unwrap();
    let twin = read("cheatsheets/basics/index.html");
    for expected in ["marker-sheet-checklist", "Memory reference", "href=\"/cheatsheets/basics.pdf\" download", "class=\"fill\" style=\"--lines:2\"", "href=\"/modules/01-basics/first/\""] {
        assert!(twin.contains(expected), "the HTML twin lacks `{expected}`");
    }
    assert!(read("cheatsheets/index.html").contains("href=\"/cheatsheets/basics.pdf\""), "the sheets page links the PDF");
    assert!(read("modules/01-basics/index.html").contains("href=\"/cheatsheets/basics.pdf\""), "its module page links the PDF");
    assert!(read("index.html").contains("href=\"/cheatsheets/basics/\""), "the home page lists the sheet");
}
