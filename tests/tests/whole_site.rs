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
        assert!(size <= 40_000, "{path} is {size} bytes gzipped; the budget is 40 KB");
        widgets += 1;
    }
    assert!(widgets >= 3, "the three widgets are built: found {widgets}");
}
