//! `sdp new`: a new page with every required section, ready to fill in.

use crate::content::{is_slug, module_number};
use crate::site::required_sections;
use crate::content::Kind;
use std::path::{Path, PathBuf};

/// Create `content/modules/<module>/<slug>.md` for `kind` and return its path.
pub fn new_page(root: &Path, kind: Kind, module: &str, slug: &str) -> Result<PathBuf, String> {
    if module_number(module).is_none() {
        return Err(format!("`{module}` is not a module folder name such as `01-foundations`"));
    }
    let dir = root.join("content/modules").join(module);
    if !dir.join("_index.md").is_file() {
        return Err(format!("no module {module}: content/modules/{module}/_index.md does not exist"));
    }
    if !is_slug(slug) {
        return Err(format!("`{slug}` is not a slug: use lowercase words joined by hyphens, such as `cap-theorem`"));
    }
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(format!("{} already exists", path.display()));
    }
    let order = next_order(&dir);
    std::fs::write(&path, skeleton(kind, slug, order)).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn next_order(dir: &Path) -> u32 {
    let mut max = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            let order = text.lines().take(40)
                .find_map(|l| l.strip_prefix("order:").and_then(|v| v.trim().parse::<u32>().ok()));
            max = max.max(order.unwrap_or(0));
        }
    }
    max + 1
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::CaseStudy => "case-study",
        Kind::Problem => "problem",
        _ => "topic",
    }
}

/// What to write under each required section.
fn hint(section: &str) -> &'static str {
    match section {
        "Why it matters" => "the problem in two or three sentences, with a concrete example",
        "The idea" => "the idea explained plainly, with at least one ```mermaid diagram and a sentence saying what it shows",
        "Try it" => "a widget or a worked calculation: instructions, and what to look for",
        "Trade-offs" => "when to use it, when not, and the alternatives (a table when comparing)",
        "Real-world examples" => "named systems with numbers, each number with a footnoted source and year",
        "Common mistakes" => "what people get wrong, and what to do instead",
        "Interview tips" => "how this comes up in interviews and what a strong answer says",
        "Architecture diagram" => "a ```mermaid diagram of the architecture and a sentence saying what it shows",
        "Important metrics" => "QPS, users, latency, storage: each with a footnoted source and date",
        "Back-of-envelope estimation" => "the estimate worked step by step, with the formula behind each number",
        "High-level design" => "the design, with a ```mermaid diagram",
        _ => "write this section",
    }
}

fn skeleton(kind: Kind, slug: &str, order: u32) -> String {
    let title = slug.split('-').enumerate().map(|(i, w)| {
        if i == 0 { w[..1].to_uppercase() + &w[1..] } else { w.to_string() }
    }).collect::<Vec<_>>().join(" ");
    let mut s = format!(
        "---\ntitle: {title}\nkind: {}\norder: {order}\nsummary: \"[[TODO: one sentence on what the reader gets from this page]]\"\ndifficulty: beginner\nobjectives:\n  - \"[[TODO: an outcome the reader will be able to do]]\"\n  - \"[[TODO: another outcome]]\"\nconcepts:\n  - {slug}\nrelated: []\nreferences:\n  - title: \"[[TODO: official docs, a paper or an engineering blog]]\"\n    url: https://example.org/replace-me\n---\n",
        kind_name(kind)
    );
    for section in required_sections(kind) {
        s.push_str(&format!("\n## {section}\n\n[[TODO: {}]]\n", hint(section)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_page;
    use crate::markdown;

    #[test]
    fn skeleton_parses_and_its_placeholders_are_reported() {
        for kind in [Kind::Topic, Kind::CaseStudy, Kind::Problem] {
            let text = skeleton(kind, "cap-theorem", 4);
            let page = parse_page(Path::new("content/modules/01-f/cap-theorem.md"), "modules/01-f/cap-theorem.md", &text)
                .expect("skeleton front matter is valid");
            assert_eq!(page.kind, kind);
            let r = markdown::render(&page.body, &markdown::Context { path: &page.path, key: &page.key, line_offset: page.body_line_offset, base: "/" });
            assert_eq!(r.errors.len(), required_sections(kind).len(), "one placeholder per section");
            let h2: Vec<&str> = r.headings.iter().map(|h| h.title.as_str()).collect();
            assert_eq!(h2, required_sections(kind));
        }
    }
}
