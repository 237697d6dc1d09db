//! `sdp serve`: the authors' live preview. Builds into memory, serves on 127.0.0.1, watches the
//! project, rebuilds what a change affects and tells open tabs to reload. A failed rebuild keeps
//! the last good site serving and shows the errors in the browser as an overlay.
//!
//! Files are served only from the in-memory output, looked up by normalised path, so no request
//! can reach anything outside it.

use crate::diagnostics::Failure;
use crate::output::Output;
use crate::pipeline::Builder;
use notify::{EventKind, RecursiveMode, Watcher};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use tiny_http::{Header, Request, Response, Server};

/// Folders whose changes trigger a rebuild.
pub const WATCHED: &[&str] = &["content", "templates", "cheatsheets", "widgets"];

const LIVE_JS: &str = include_str!("live.js");
/// How long a reload wait may hang before the browser asks again.
const WAIT: Duration = Duration::from_secs(20);

/// What the server shows: the last good output and the outcome of the last build.
pub struct State {
    pub output: Output,
    /// Bumped by every build, good or bad.
    pub generation: u64,
    /// Errors of the last build (empty when it succeeded).
    pub errors: Vec<String>,
}

pub struct Shared {
    pub state: Mutex<State>,
    changed: Condvar,
}

impl Shared {
    fn new(output: Output) -> Arc<Shared> {
        Arc::new(Shared {
            state: Mutex::new(State { output, generation: 1, errors: vec![] }),
            changed: Condvar::new(),
        })
    }

    /// Record a build's outcome and wake every waiting browser.
    fn publish(&self, result: Result<Output, Failure>) {
        let mut s = self.state.lock().unwrap();
        s.generation += 1;
        match result {
            Ok(output) => {
                s.output = output;
                s.errors.clear();
            }
            Err(f) => s.errors = f.0.iter().map(ToString::to_string).collect(),
        }
        self.changed.notify_all();
    }
}

/// A running preview server.
pub struct Preview {
    pub port: u16,
    pub shared: Arc<Shared>,
}

/// Build, then serve on `127.0.0.1:port` (0 picks a free port) and watch for changes. Returns
/// once the server is listening; it runs on background threads for the life of the process.
pub fn start(mut builder: Builder, port: u16) -> Result<Preview, String> {
    let root = builder.options.root.clone();
    let first = builder.build();
    let shared = Shared::new(Output::default());
    shared.publish(first.map(|b| b.output));

    let server = Server::http(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    let server = Arc::new(server);
    for _ in 0..4 {
        let (server, shared) = (server.clone(), shared.clone());
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                if request.url().starts_with("/__sdp/wait") {
                    let shared = shared.clone();
                    std::thread::spawn(move || respond(request, &shared));
                } else {
                    respond(request, &shared);
                }
            }
        });
    }
    watch(root, builder, shared.clone())?;
    Ok(Preview { port, shared })
}

fn watch(root: PathBuf, mut builder: Builder, shared: Arc<Shared>) -> Result<(), String> {
    let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    std::thread::spawn(move || {
        let _keep = watcher;
        while let Ok(event) = rx.recv() {
            if !is_change(&event) {
                continue;
            }
            // An editor's save is often several events: wait until they stop for a moment,
            // then rebuild once.
            while let Ok(more) = rx.recv_timeout(SETTLE) {
                let _ = is_change(&more);
            }
            let started = Instant::now();
            let result = builder.build();
            match &result {
                Ok(b) => eprintln!(
                    "rebuilt in {:.1} ms ({} rendered, {} laid out)",
                    started.elapsed().as_secs_f64() * 1e3,
                    b.stats.rendered,
                    b.stats.laid_out
                ),
                Err(f) => eprintln!("{f}"),
            }
            shared.publish(result.map(|b| b.output));
        }
    });
    Ok(())
}

/// How long the watcher waits for more events after a change before rebuilding.
const SETTLE: Duration = Duration::from_millis(5);

/// Whether a file event changes the project: reads (including the build's own) are not.
fn is_change(event: &notify::Result<notify::Event>) -> bool {
    match event {
        Ok(e) => {
            matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
                && !e.paths.iter().all(|p| is_ignored(p))
        }
        Err(_) => true,
    }
}

/// Editor swap and backup files, and build output inside watched folders.
fn is_ignored(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || path.components().any(|c| c.as_os_str() == "target")
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header is valid")
}

fn respond(request: Request, shared: &Shared) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let response = match path {
        "/__sdp/live.js" => Response::from_data(LIVE_JS.as_bytes().to_vec())
            .with_header(header("Content-Type", "text/javascript; charset=utf-8")),
        "/__sdp/wait" => {
            let seen: u64 = query.strip_prefix("g=").and_then(|g| g.parse().ok()).unwrap_or(0);
            let state = shared.state.lock().unwrap();
            let (state, _) = shared
                .changed
                .wait_timeout_while(state, WAIT, |s| s.generation == seen)
                .unwrap();
            status_json(&state)
        }
        "/__sdp/status" => status_json(&shared.state.lock().unwrap()),
        _ => serve_file(path, shared),
    };
    let _ = request.respond(response.with_header(header("Cache-Control", "no-store")));
}

fn status_json(s: &State) -> Response<Cursor<Vec<u8>>> {
    let body = serde_json::json!({ "generation": s.generation, "errors": s.errors });
    Response::from_data(body.to_string().into_bytes()).with_header(header("Content-Type", "application/json"))
}

fn serve_file(raw_path: &str, shared: &Shared) -> Response<Cursor<Vec<u8>>> {
    let state = shared.state.lock().unwrap();
    let Some(path) = normalise(raw_path) else {
        return not_found(&state);
    };
    let candidates = [
        path.clone(),
        if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { format!("{path}/index.html") },
    ];
    for (i, candidate) in candidates.iter().enumerate() {
        if let Some(bytes) = state.output.get(candidate) {
            if i == 1 && !path.is_empty() && !path.ends_with('/') {
                // A folder without its slash: send the browser to the canonical URL.
                return Response::from_data(Vec::new())
                    .with_status_code(301)
                    .with_header(header("Location", &format!("/{path}/")));
            }
            let body = if candidate.ends_with(".html") { inject_live(bytes, &state) } else { bytes.to_vec() };
            return Response::from_data(body).with_header(header("Content-Type", content_type(candidate)));
        }
    }
    not_found(&state)
}

fn not_found(state: &State) -> Response<Cursor<Vec<u8>>> {
    // Before the first good build there is no 404 page: send a stub that still carries the reload
    // script, so the errors show and the tab reloads once they are fixed.
    let stub: &[u8] = b"<!doctype html><meta charset=\"utf-8\"><title>Not built yet</title><body><p>The site has not built yet.</p></body>";
    let body = inject_live(state.output.get("404.html").map_or(stub, |b| &b[..]), state);
    Response::from_data(body).with_status_code(404).with_header(header("Content-Type", "text/html; charset=utf-8"))
}

/// Add the reload script, telling it which build this page came from.
fn inject_live(html: &[u8], state: &State) -> Vec<u8> {
    let tag = format!("<script src=\"/__sdp/live.js\" data-generation=\"{}\" defer></script>", state.generation);
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Decode and check a request path. `None` for anything that could step outside the output:
/// `..` or `.` segments (plain or percent-encoded), backslashes, NUL bytes, bad encodings.
pub fn normalise(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
    if decoded.contains('\0') || decoded.contains('\\') || !decoded.starts_with('/') {
        return None;
    }
    let mut parts = vec![];
    for seg in decoded[1..].split('/') {
        match seg {
            "." | ".." => return None,
            s => parts.push(s),
        }
    }
    if parts.iter().take(parts.len().saturating_sub(1)).any(|s| s.is_empty()) {
        return None;
    }
    Some(parts.join("/"))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, e)| e) {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn traversal_is_refused() {
        assert_eq!(normalise("/").as_deref(), Some(""));
        assert_eq!(normalise("/modules/01-x/").as_deref(), Some("modules/01-x/"));
        assert_eq!(normalise("/a%20b.css").as_deref(), Some("a b.css"));
        for bad in ["/../etc/passwd", "/a/../../x", "/%2e%2e/x", "/%2E%2E%2Fetc", "/a/%2e/b", "/..%2f..%2fetc", "/a%5c..%5cb", "/x%00", "//etc/passwd", "etc", "/%ff"] {
            assert_eq!(normalise(bad), None, "{bad}");
        }
    }
}
