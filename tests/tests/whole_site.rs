//! Build the real `content/` and check the result as a reader's browser would meet it.

use site_tests::{attr_values, build_site, repo_root};
use std::collections::{BTreeSet, HashMap};

#[test]
fn every_page_exists_and_every_internal_link_and_anchor_resolves() {
    let site = build_site("/");
    let content = repo_root().join("content");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        let key = entry.path().strip_prefix(&content).unwrap().to_string_lossy().replace('\\', "/");
        if !key.ends_with(".md") {
            continue;
        }
        let url = sdp::content::url_of(&key);
        assert!(site.get(&format!("{url}index.html")).is_some(), "{key} has no page at /{url}");
        pages += 1;
    }
    assert!(pages >= 24, "home, ten modules and at least thirteen pages; found {pages}");

    let ids: HashMap<String, BTreeSet<String>> = site
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            let html = String::from_utf8_lossy(b);
            (p.clone(), attr_values(&html, "id").into_iter().map(str::to_string).collect())
        })
        .collect();
    let mut checked = 0;
    for (path, bytes) in &site.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for link in attr_values(&html, "href").into_iter().chain(attr_values(&html, "src")) {
            if link.starts_with("http") || link.starts_with("mailto:") {
                continue;
            }
            let (target, anchor) = link.split_once('#').unwrap_or((link, ""));
            let file = if target.is_empty() {
                path.clone()
            } else {
                assert!(target.starts_with('/'), "{path}: relative link {link}");
                let t = &target[1..];
                if t.is_empty() || t.ends_with('/') { format!("{t}index.html") } else { t.to_string() }
            };
            assert!(site.get(&file).is_some(), "{path}: link {link} points at a missing file {file}");
            if !anchor.is_empty() {
                assert!(ids[&file].contains(anchor), "{path}: link {link}: no id `{anchor}` in {file}");
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
    assert!(site.get("404.html").is_some() && site.get("sitemap.xml").is_some());
}

#[test]
fn two_builds_are_byte_identical() {
    let a = build_site("https://example.org/course/");
    let b = build_site("https://example.org/course/");
    assert_eq!(a.files.len(), b.files.len());
    for (path, bytes) in &a.files {
        assert!(b.files.get(path) == Some(bytes), "{path} differs between two builds");
    }
    let sitemap = String::from_utf8_lossy(a.get("sitemap.xml").unwrap()).into_owned();
    assert!(sitemap.contains("<loc>https://example.org/course/modules/01-foundations/</loc>"), "{sitemap}");
}

#[test]
fn every_module_and_page_is_in_the_course_map() {
    let site = build_site("/");
    let home = String::from_utf8_lossy(site.get("index.html").unwrap()).into_owned();
    let links: BTreeSet<&str> = attr_values(&home, "href").into_iter().collect();
    for path in site.files.keys().filter(|p| p.starts_with("modules/") && p.ends_with("/index.html")) {
        let url = format!("/{}", path.trim_end_matches("index.html"));
        assert!(links.contains(url.as_str()), "home page does not link {url}");
    }
    let modules = site.files.keys().filter(|p| p.starts_with("modules/") && p.matches('/').count() == 2).count();
    assert_eq!(modules, 10, "ten module pages");
}

#[test]
fn every_widget_fits_its_size_budget() {
    use std::io::Write;
    let site = build_site("/");
    let mut widgets = 0;
    for (path, bytes) in site.files.iter().filter(|(p, _)| p.starts_with("static/widgets/") && p.ends_with(".wasm")) {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(bytes).unwrap();
        let size = gz.finish().unwrap().len();
        // The quiz module (grading, SM-2, progress checks, the certificate PDF, with serde_json)
        // loads only on quiz, review and progress pages and pages with quick checks.
        let budget = if path.starts_with("static/widgets/quiz.") { 90_000 } else { 40_000 };
        assert!(size <= budget, "{path} is {size} bytes gzipped; the budget is {} KB", budget / 1000);
        widgets += 1;
    }
    assert!(widgets >= 4, "the three widgets and the quiz module are built: found {widgets}");
}

/// Every sheet in cheatsheets/ has an HTML twin and a one-page PDF whose extracted text holds
/// the sheet's title and every section heading, and the module pages it names link the PDF.
#[test]
fn every_cheat_sheet_is_a_page_and_a_one_page_pdf_with_its_text() {
    let site = build_site("/");
    let dir = repo_root().join("cheatsheets");
    let scratch = std::env::temp_dir().join(format!("sdp-sheets-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut sheets = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".md") || name == "_index.md" {
            continue;
        }
        sheets += 1;
        let key = format!("cheatsheets/{name}");
        let page = sdp::content::parse_page(std::path::Path::new(&key), &key, &std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(site.get(&format!("{}index.html", page.url)).is_some(), "{key}: no HTML twin");
        let pdf_path = sdp::pipeline::pdf_path(&page.url);
        let pdf = site.get(&pdf_path).unwrap_or_else(|| panic!("{key}: no PDF at {pdf_path}"));
        let file = scratch.join(&name).with_extension("pdf");
        std::fs::write(&file, pdf).unwrap();

        let info = run("pdfinfo", &[file.to_str().unwrap()]);
        assert!(info.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Pages:", "1"]), "{key}: not one page:\n{info}");
        let fonts = run("pdffonts", &[file.to_str().unwrap()]);
        assert!(fonts.lines().skip(2).all(|l| l.split_whitespace().rev().nth(4) == Some("yes")), "{key}: a font is not embedded:\n{fonts}");
        // pdftotext may break a long heading over two lines: compare with whitespace collapsed.
        let text = run("pdftotext", &[file.to_str().unwrap(), "-"]).replace(['‘', '’'], "'").replace(['“', '”'], "\"");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut expected = vec![page.meta.title.clone()];
        expected.extend(page.body.lines().filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### "))).map(|h| h.replace(['*', '`'], "")));
        for e in expected {
            // Footnote markers print as [n]: leave them out of the comparison.
            let mut e = e;
            while let Some(i) = e.find("[^") {
                let end = e[i..].find(']').map_or(e.len(), |j| i + j + 1);
                e.replace_range(i..end, "");
            }
            let e = e.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains(&e), "{key}: `{e}` is not in the PDF's text");
        }
        for folder in &page.meta.sheet.as_ref().unwrap().modules {
            let module = String::from_utf8_lossy(site.get(&format!("modules/{folder}/index.html")).unwrap()).into_owned();
            assert!(module.contains(&format!("href=\"/{pdf_path}\"")), "{key}: module {folder} does not link the PDF");
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(sheets >= 7, "the plan's seven sheets; found {sheets}");
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (scripts/setup --test-tools installs poppler-utils): {e}"));
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
