//! `sdp serve`: serves the site, rebuilds on an edit, signals the reload, shows errors while the
//! last good version keeps serving, and never serves anything outside the output.

mod common;

use sdp::pipeline::{Builder, Options};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A raw HTTP/1.1 GET, so that unnormalised paths reach the server as written.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[test]
fn serves_reloads_shows_errors_and_refuses_traversal() {
    let project = common::fixture_project();
    let root = project.path().to_path_buf();
    let preview = sdp::serve::start(Builder::new(Options::new(&root)), 0).expect("server starts");
    let port = preview.port;

    let (status, page) = get(port, "/modules/01-basics/first/");
    assert_eq!(status, 200);
    assert!(page.contains("marker-first-page"));
    assert!(page.contains("/__sdp/live.js"), "HTML pages carry the reload script");
    let (status, _) = get(port, "/modules/01-basics/first");
    assert_eq!(status, 301, "a folder without its slash redirects");

    // Edit a page: a waiting browser is told, and the new text is served.
    let generation = json(&get(port, "/__sdp/status").1)["generation"].as_u64().unwrap();
    let waiter = std::thread::spawn(move || get(port, &format!("/__sdp/wait?g={generation}")));
    std::thread::sleep(Duration::from_millis(200));
    let saved = Instant::now();
    common::edit(&root, "content/modules/01-basics/first.md", |t| t.replace("marker-first-page", "marker-edited-page"));
    let (_, signal) = waiter.join().unwrap();
    let signal = json(&signal);
    eprintln!("save to reload signal: {:?}", saved.elapsed());
    assert_eq!(signal["generation"].as_u64().unwrap(), generation + 1, "{signal}");
    assert!(signal["errors"].as_array().unwrap().is_empty(), "{signal}");
    let (_, page) = get(port, "/modules/01-basics/first/");
    assert!(page.contains("marker-edited-page") && !page.contains("marker-first-page"));

    // Break a link: the error reaches the browser with file and line; the last good page stays.
    let generation = generation + 1;
    let waiter = std::thread::spawn(move || get(port, &format!("/__sdp/wait?g={generation}")));
    std::thread::sleep(Duration::from_millis(200));
    common::edit(&root, "content/modules/01-basics/first.md", |t| t.replace("second.md#trade-offs", "missing.md"));
    let signal = json(&waiter.join().unwrap().1);
    let errors = signal["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e.as_str().unwrap().starts_with("content/modules/01-basics/first.md:19:38: link")),
        "{signal}"
    );
    let (status, page) = get(port, "/modules/01-basics/first/");
    assert_eq!(status, 200);
    assert!(page.contains("marker-edited-page"), "the last good version keeps serving");

    // Fix it: the errors clear.
    let generation = signal["generation"].as_u64().unwrap();
    let waiter = std::thread::spawn(move || get(port, &format!("/__sdp/wait?g={generation}")));
    std::thread::sleep(Duration::from_millis(200));
    common::edit(&root, "content/modules/01-basics/first.md", |t| t.replace("missing.md", "second.md"));
    let signal = json(&waiter.join().unwrap().1);
    assert!(signal["errors"].as_array().unwrap().is_empty(), "{signal}");

    // Nothing outside the output, however the path is spelt.
    std::fs::write(root.join("secret.txt"), "do not serve").unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/modules/../../secret.txt",
        "/modules/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        &format!("{}/secret.txt", root.display()),
        "/content/modules/01-basics/first.md",
    ] {
        let (status, body) = get(port, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("do not serve") && !body.contains("root:"), "{path}");
    }
}

#[test]
fn a_project_that_never_built_still_reports_its_errors_in_the_browser() {
    let project = common::fixture_project();
    let root = project.path().to_path_buf();
    common::edit(&root, "content/modules/01-basics/first.md", |t| t.replace("second.md#trade-offs", "missing.md"));
    let preview = sdp::serve::start(Builder::new(Options::new(&root)), 0).expect("server starts");
    let (status, page) = get(preview.port, "/modules/01-basics/first/");
    assert_eq!(status, 404);
    assert!(page.contains("/__sdp/live.js"), "the stub page carries the reload script: {page}");
    let status = json(&get(preview.port, "/__sdp/status").1);
    assert!(status["errors"][0].as_str().unwrap().starts_with("content/modules/01-basics/first.md:19:38:"), "{status}");
}
