//! Build benchmark (run with `cargo bench -p sdp`): CPU time per page of a full build of 1,000
//! and 5,000 synthetic pages (about 1,000 words and three highlighted code blocks each), and the
//! time from saving one page to the reload signal in `sdp serve`.
//!
//! Targets: at most 2 ms of CPU per page, flat from 1,000 to 5,000 pages; under 50 ms from save
//! to reload. The numbers are printed, not asserted: timing belongs in a benchmark, not a test.

use sdp::pipeline::{Builder, Options};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

const WORDS: &[&str] = &[
    "latency", "throughput", "replica", "partition", "cache", "queue", "request", "server", "client",
    "budget", "shard", "leader", "follower", "quorum", "timeout", "retry", "index", "tenant", "region",
    "the", "a", "of", "and", "to", "when", "every", "under", "load", "grows", "slowly", "fails", "quickly",
];

/// CPU time (user + system) of this process so far.
fn cpu_time() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// A deterministic word stream so pages differ from each other (nothing can be cached across pages).
struct Words(u64);
impl Words {
    fn next(&mut self) -> &'static str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        WORDS[(self.0 % WORDS.len() as u64) as usize]
    }
    fn sentence(&mut self, n: usize) -> String {
        let mut s: Vec<&str> = (0..n).map(|_| self.next()).collect();
        let first = s[0][..1].to_uppercase() + &s[0][1..];
        s[0] = Box::leak(first.into_boxed_str());
        s.join(" ") + "."
    }
}

fn code_blocks(i: usize) -> [String; 3] {
    [
        format!("```rust\n/// Retry budget for service {i}.\nfn budget_{i}(requests: u64, ratio: f64) -> u64 {{\n    let allowed = (requests as f64 * ratio) as u64; // {i}\n    allowed.max(10)\n}}\n```\n"),
        format!("```python\ndef backoff_{i}(attempt, base=0.1, cap=20.0):\n    \"\"\"Full jitter, page {i}.\"\"\"\n    import random\n    return random.uniform(0, min(cap, base * 2 ** attempt))\n```\n"),
        format!("```go\nfunc shard{i}(key string, n int) int {{\n\th := fnv.New32a()\n\th.Write([]byte(key))\n\treturn int(h.Sum32()) % n // page {i}\n}}\n```\n"),
    ]
}

fn page(i: usize, words: &mut Words) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "---\ntitle: Synthetic page {i}\nkind: problem\norder: {i}\nsummary: {}\ndifficulty: intermediate\nobjectives:\n  - Measure the build\n  - Keep it flat\nconcepts:\n  - synthetic-{i}\nreferences:\n  - title: Benchmark\n    url: https://example.org/{i}\n---\n",
        words.sentence(10)
    );
    // Interview problems: the page kind without a required diagram, so the figures measure text
    // and highlighting as specified (a diagram adds about 1 ms; see docs/architecture.md).
    let sections = sdp::site::required_sections(sdp::content::Kind::Problem);
    let code = code_blocks(i);
    for (n, section) in sections.iter().enumerate() {
        let _ = writeln!(s, "## {section}\n");
        for _ in 0..2 {
            let para: Vec<String> = (0..6).map(|_| words.sentence(12)).collect();
            let _ = writeln!(s, "{}\n", para.join(" "));
        }
        if let Some(c) = code.get(n.wrapping_sub(2)) {
            s.push_str(c);
            s.push('\n');
        }
    }
    s
}

fn make_project(dir: &Path, pages: usize) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for entry in walkdir::WalkDir::new(repo.join("templates")) {
        let entry = entry.unwrap();
        let target = dir.join("templates").join(entry.path().strip_prefix(repo.join("templates")).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("_index.md"), "---\ntitle: Bench\nsummary: Synthetic.\n---\nSynthetic course.\n").unwrap();
    let mut words = Words(0x9e37_79b9_7f4a_7c15);
    for m in 1..=10 {
        let folder = content.join(format!("modules/{m:02}-module"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("_index.md"), format!("---\ntitle: Module {m}\nsummary: Synthetic.\nobjectives: [a, b]\n---\nBody.\n")).unwrap();
    }
    for i in 0..pages {
        let folder = content.join(format!("modules/{:02}-module", i % 10 + 1));
        std::fs::write(folder.join(format!("page-{i}.md")), page(i, &mut words)).unwrap();
    }
}

fn full_build(pages: usize) {
    let dir = tempfile::tempdir().unwrap();
    make_project(dir.path(), pages);
    let words: usize = walkdir::WalkDir::new(dir.path().join("content/modules/01-module"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("page-"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap().split_whitespace().count())
        .sum::<usize>()
        / (pages / 10);
    // Warm the syntax set and fonts once, as a long-running `sdp serve` would have them.
    sdp::highlight::highlight("fn x() {}", "rust").unwrap();
    let (cpu, wall) = (cpu_time(), Instant::now());
    let mut builder = Builder::new(Options::new(dir.path()));
    let build = builder.build().unwrap_or_else(|f| panic!("{f}"));
    let phases: Vec<String> = build.stats.phases.iter().map(|(n, d)| format!("{n} {:.0}", d.as_secs_f64() * 1e3)).collect();
    println!("  phases of the full build (ms wall): {}", phases.join(", "));
    let (build_cpu, build_wall) = (cpu_time() - cpu, wall.elapsed());
    let (cpu2, wall2) = (cpu_time(), Instant::now());
    build.output.write_atomically(&dir.path().join("dist")).unwrap();
    let (write_cpu, write_wall) = (cpu_time() - cpu2, wall2.elapsed());
    let per_page = |d: Duration| d.as_secs_f64() * 1e3 / pages as f64;
    println!(
        "full build, {pages} pages (~{words} words, 3 code blocks each): build {:.3} ms CPU/page ({:.2} s wall), write {:.3} ms CPU/page ({:.2} s wall); total {:.3} ms CPU/page; output {:.0} MB",
        per_page(build_cpu), build_wall.as_secs_f64(), per_page(write_cpu), write_wall.as_secs_f64(),
        per_page(build_cpu + write_cpu), build.output.size() as f64 / 1e6
    );

    // One page edited: what `sdp serve` does after a save.
    let page = dir.path().join("content/modules/01-module/page-0.md");
    let mut times = vec![];
    for round in 0..5 {
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, text.replacen("Problem statement\n\n", &format!("Problem statement\n\nEdit {round}. "), 1)).unwrap();
        let t = Instant::now();
        let b = builder.build().unwrap();
        assert_eq!(b.stats.laid_out, 1, "{:?}", b.stats);
        times.push(t.elapsed());
    }
    let phases: Vec<String> = builder.build().unwrap().stats.phases.iter().map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1e3)).collect();
    println!("  phases of a no-change rebuild (ms): {}", phases.join(", "));
    times.sort();
    println!("  incremental rebuild after editing one page: median {:.1} ms, max {:.1} ms", times[2].as_secs_f64() * 1e3, times[4].as_secs_f64() * 1e3);
}

fn http(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
}

fn save_to_reload(pages: usize) {
    let dir = tempfile::tempdir().unwrap();
    make_project(dir.path(), pages);
    let preview = sdp::serve::start(Builder::new(Options::new(dir.path())), 0).unwrap();
    let port = preview.port;
    let page = dir.path().join("content/modules/01-module/page-0.md");
    let mut times = vec![];
    for round in 0..11 {
        let status: serde_json::Value = serde_json::from_str(&http(port, "/__sdp/status")).unwrap();
        let generation = status["generation"].as_u64().unwrap();
        let waiter = std::thread::spawn(move || http(port, &format!("/__sdp/wait?g={generation}")));
        std::thread::sleep(Duration::from_millis(300));
        let text = std::fs::read_to_string(&page).unwrap();
        let saved = Instant::now();
        std::fs::write(&page, text.replacen("Problem statement\n\n", &format!("Problem statement\n\nSaved {round}. "), 1)).unwrap();
        waiter.join().unwrap();
        times.push(saved.elapsed());
    }
    times.sort();
    println!(
        "serve, {pages} pages: save to reload signal median {:.1} ms, max {:.1} ms (11 saves; includes the watcher's 5 ms settle time)",
        times[5].as_secs_f64() * 1e3,
        times[10].as_secs_f64() * 1e3
    );
}

/// Typeset the real cheat sheets (parse, lay out, write the PDF), as `sdp build` does.
fn cheat_sheets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let mut pages = vec![];
    for entry in std::fs::read_dir(root.join("cheatsheets")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".md") && name != "_index.md" {
            let key = format!("cheatsheets/{name}");
            let text = std::fs::read_to_string(&path).unwrap();
            pages.push(sdp::content::parse_page(Path::new(&key), &key, &text).unwrap());
        }
    }
    pages.sort_by(|a, b| a.key.cmp(&b.key));
    // The first call loads and parses the fonts once per process; time it apart.
    let started = Instant::now();
    sdp::pdf::typeset(&pages[0], "https://example.org/").unwrap();
    let first = started.elapsed();
    let mut runs = vec![];
    let mut sizes = vec![];
    for _ in 0..5 {
        let started = Instant::now();
        sizes = pages.iter().map(|p| sdp::pdf::typeset(p, "https://example.org/").unwrap().len()).collect();
        runs.push(started.elapsed());
    }
    runs.sort();
    println!("cheat sheets: {} sheets typeset in {:.1} ms (median of 5; the process's first sheet took {:.0} ms with font loading)", pages.len(), runs[2].as_secs_f64() * 1e3, first.as_secs_f64() * 1e3);
    for (p, size) in pages.iter().zip(&sizes) {
        println!("  {:<40} {:>6.1} KB", p.key, *size as f64 / 1e3);
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    cheat_sheets();
    full_build(1000);
    full_build(5000);
    save_to_reload(1000);
}
