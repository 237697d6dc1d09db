use std::time::Instant;
fn main() {
    if std::env::args().nth(1).as_deref() == Some("bob") { println!("{}", sdp::diagram::render("svgbob", "+---+     .---.\n| A |---->| B |\n+---+     `---'\n", "d-").unwrap()); return; }
    let code_rs = "/// Retry budget for service 1.\nfn budget_1(requests: u64, ratio: f64) -> u64 {\n    let allowed = (requests as f64 * ratio) as u64; // 1\n    allowed.max(10)\n}\n";
    let code_py = "def backoff_1(attempt, base=0.1, cap=20.0):\n    \"\"\"Full jitter, page 1.\"\"\"\n    import random\n    return random.uniform(0, min(cap, base * 2 ** attempt))\n";
    let code_go = "func shard1(key string, n int) int {\n\th := fnv.New32a()\n\th.Write([]byte(key))\n\treturn int(h.Sum32()) % n // page 1\n}\n";
    sdp::highlight::highlight(code_rs, "rust").unwrap();
    sdp::highlight::highlight(code_py, "python").unwrap();
    sdp::highlight::highlight(code_go, "go").unwrap();
    let t = Instant::now();
    for _ in 0..200 { sdp::highlight::highlight(code_rs, "rust").unwrap(); }
    println!("rust block: {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 200.0);
    let t = Instant::now();
    for _ in 0..200 { sdp::highlight::highlight(code_py, "python").unwrap(); }
    println!("python block: {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 200.0);
    let t = Instant::now();
    for _ in 0..200 { sdp::highlight::highlight(code_go, "go").unwrap(); }
    println!("go block: {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 200.0);
    let bob = "+--------+    +--------+\n| client |--->| server |\n+--------+    +--------+\n";
    let t = Instant::now();
    for _ in 0..200 { sdp::diagram::render("svgbob", bob, "d-").unwrap(); }
    println!("svgbob: {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 200.0);
    let m = "flowchart LR\n  a[Client] --> b[LB]\n  b --> c[App]\n  c --> d[(DB)]\n";
    sdp::diagram::render("mermaid", m, "d-").unwrap();
    let t = Instant::now();
    for _ in 0..50 { sdp::diagram::render("mermaid", m, "d-").unwrap(); }
    println!("mermaid: {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 50.0);
    {
        use syntect::html::{ClassStyle, ClassedHTMLGenerator};
        let ss = syntect::parsing::SyntaxSet::load_defaults_newlines();
        for (lang, code) in [("rs", code_rs), ("py", code_py), ("go", code_go)] {
            let syntax = ss.find_syntax_by_token(lang).unwrap();
            let t = Instant::now();
            for _ in 0..200 {
                let mut h = ClassedHTMLGenerator::new_with_class_style(syntax, &ss, ClassStyle::SpacedPrefixed { prefix: "hl-" });
                for line in syntect::util::LinesWithEndings::from(code) { h.parse_html_for_line_which_includes_newline(line).unwrap(); }
                h.finalize();
            }
            println!("syntect default set {lang}: {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 200.0);
        }
    }
    let body: String = (0..1000).map(|i| if i % 12 == 11 { "word.\n\n" } else { "word " }).collect();
    let cx = sdp::markdown::Context { path: std::path::Path::new("x.md"), key: "modules/01-a/x.md", line_offset: 0, base: "/" };
    let t = Instant::now();
    for _ in 0..200 { sdp::markdown::render(&body, &cx); }
    println!("markdown 1000 words no code: {:.3} ms", t.elapsed().as_secs_f64() * 1e3 / 200.0);
}
#[allow(dead_code)]
fn unused() {}
