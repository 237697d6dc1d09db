//! Search and offline reading, made from the laid-out site.
//!
//! - [`index`]: the full-text index, built in-process with Pagefind's Rust library from every
//!   page that marks its body (`data-pagefind-body`: topics, case studies, problems, module
//!   pages, cheat sheets and quizzes, whose explanations are text). Widgets, diagrams and
//!   navigation carry `data-pagefind-ignore`. The browser downloads only `pagefind.js`, its
//!   WebAssembly and the index chunks and fragments a query needs.
//! - [`offline`]: the web app manifest, its icons, the list of every file the site needs
//!   (`offline.json`, for "download the whole course") and a service worker whose cache is
//!   named after a hash of the whole build, so a new deploy replaces the old cache.

use crate::output::{Output, hash_bytes};

/// Words per index chunk.
const INDEX_CHUNK_WORDS: usize = 4000;

/// Pagefind's browser files the site uses (its UI bundles are not: the site has its own).
fn wanted(path: &str) -> bool {
    path == "pagefind.js"
        || path == "pagefind-entry.json"
        || path.starts_with("wasm.en.")
        || path.ends_with(".pf_meta")
        || path.starts_with("index/")
        || path.starts_with("fragment/")
        || path.starts_with("filter/")
}

/// Index every HTML file in `output` that has a search body; returns the files to add under
/// `pagefind/` and how many pages were indexed.
pub fn index(output: &Output, base: &str) -> Result<(Vec<(String, Vec<u8>)>, usize), String> {
    // Smaller index chunks than Pagefind's default (20,000 words): a query downloads only the
    // chunks holding its words, which keeps the first query under its 150 KB budget. Pagefind
    // reads this setting only from the environment.
    static CHUNKS: std::sync::Once = std::sync::Once::new();
    CHUNKS.call_once(|| {
        if std::env::var_os("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE").is_none() {
            // SAFETY: set once, before the first index is built; no other thread of sdp reads
            // or writes the environment.
            unsafe { std::env::set_var("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", INDEX_CHUNK_WORDS.to_string()) };
        }
    });
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| format!("search index: {e}"))?;
    runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder().force_language("en".to_string()).build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| format!("search index: {e}"))?;
        let mut pages = 0;
        for (path, bytes) in &output.files {
            if !path.ends_with(".html") {
                continue;
            }
            let html = String::from_utf8_lossy(bytes);
            if !html.contains("data-pagefind-body") {
                continue;
            }
            let url = format!("{base}{}", path.strip_suffix("index.html").unwrap_or(path));
            index.add_html_file(None, Some(url), html.into_owned()).await.map_err(|e| format!("search index: {path}: {e}"))?;
            pages += 1;
        }
        let files = index.get_files().await.map_err(|e| format!("search index: {e}"))?;
        let mut out: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                let name = name.trim_start_matches("pagefind/").to_string();
                wanted(&name).then(|| (format!("pagefind/{name}"), f.contents))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok((out, pages))
    })
}

/// The offline files: manifest, icons, `offline.json` and `sw.js`. Called last, on the finished
/// output, whose hash names the cache.
pub fn offline(output: &mut Output, base: &str, title: &str) {
    let manifest = serde_json::json!({
        "name": title,
        "short_name": "System Design",
        "description": "An open, interactive course on system design.",
        "start_url": base,
        "scope": base,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1c4a7d",
        "icons": [
            { "src": format!("{base}static/icon-192.png"), "sizes": "192x192", "type": "image/png" },
            { "src": format!("{base}static/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable" },
        ],
    });
    output.insert("manifest.webmanifest", serde_json::to_vec_pretty(&manifest).expect("serializes"));
    output.insert("static/icon-192.png", icon(192));
    output.insert("static/icon-512.png", icon(512));

    // Every file a reader may need offline, as URLs; pages by their directory URL.
    let mut urls: Vec<String> = output
        .files
        .keys()
        .filter(|p| !p.ends_with(".xml") && p.as_str() != "404.html")
        .map(|p| format!("{base}{}", p.strip_suffix("index.html").unwrap_or(p)))
        .collect();
    urls.sort();
    let version = format!("{:016x}", {
        let mut h = crate::output::Fnv::default();
        for (path, bytes) in &output.files {
            std::hash::Hasher::write(&mut h, path.as_bytes());
            std::hash::Hasher::write_u64(&mut h, hash_bytes(bytes));
        }
        std::hash::Hasher::finish(&h)
    });
    let list = serde_json::json!({ "version": version, "files": urls });
    output.insert("offline.json", serde_json::to_vec(&list).expect("serializes"));
    let sw = include_str!("sw.js").replace("__VERSION__", &version).replace("__BASE__", base);
    output.insert("sw.js", sw.into_bytes());
}

/// A square PNG: the brand colour with a white diamond, drawn without an image library.
fn icon(size: u32) -> Vec<u8> {
    let mut raw = Vec::with_capacity((size * (size * 3 + 1)) as usize);
    let c = size as f64 / 2.0;
    for y in 0..size {
        raw.push(0); // filter: none
        for x in 0..size {
            let d = ((x as f64 + 0.5 - c).abs() + (y as f64 + 0.5 - c).abs()) / c;
            let px: [u8; 3] = if d < 0.5 { [255, 255, 255] } else { [0x1c, 0x4a, 0x7d] };
            raw.extend_from_slice(&px);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut z, &raw).expect("memory");
    let data = z.finish().expect("memory");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8; 4], body: &[u8]| {
        png.extend_from_slice(&(body.len() as u32).to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(body);
        png.extend_from_slice(&crc_input);
        png.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    };
    let mut ihdr = size.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &data);
    chunk(b"IEND", &[]);
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_icon_are_valid_png() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        let png = icon(16);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.ends_with(&[0xAE, 0x42, 0x60, 0x82]));
    }

    #[test]
    fn indexes_marked_pages_only_and_finds_their_words() {
        let mut out = Output::default();
        out.insert("a/index.html", &b"<html><body><nav>Skipme</nav><main data-pagefind-body><h1>Quorum reads</h1><p>Majority quorum explained.</p></main></body></html>"[..]);
        out.insert("b/index.html", &b"<html><body><h1>Unmarked</h1></body></html>"[..]);
        let (files, pages) = index(&out, "/").unwrap();
        assert_eq!(pages, 1);
        assert!(files.iter().any(|(p, _)| p == "pagefind/pagefind.js"));
        assert!(files.iter().any(|(p, _)| p.starts_with("pagefind/fragment/")));
        assert!(files.iter().any(|(p, _)| p.starts_with("pagefind/wasm.")));
        assert!(!files.iter().any(|(p, _)| p.contains("-ui")), "the UI bundles are left out");
    }

    #[test]
    fn offline_files_name_the_cache_after_the_build() {
        let mut a = Output::default();
        a.insert("index.html", &b"<html>a</html>"[..]);
        let mut b = a.clone();
        offline(&mut a, "/", "T");
        b.insert("x/index.html", &b"<html>x</html>"[..]);
        offline(&mut b, "/", "T");
        let sw = |o: &Output| String::from_utf8(o.get("sw.js").unwrap().to_vec()).unwrap();
        assert_ne!(sw(&a), sw(&b), "a different build, a different cache");
        let list: serde_json::Value = serde_json::from_slice(b.get("offline.json").unwrap()).unwrap();
        assert!(list["files"].as_array().unwrap().iter().any(|u| u == "/x/"));
    }
}
