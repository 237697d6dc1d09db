//! Diagrams written as text in fenced blocks, drawn to inline SVG at build time.
//!
//! `mermaid` (flowcharts, sequence diagrams, ...) is drawn by mermaid-rs-renderer, in pure Rust.
//! It reuses fixed element ids, so ids are prefixed per diagram to keep several diagrams on one
//! page apart. Its fixed palette is mapped to the site's theme colours in `style.css`.

/// Fence languages that are diagrams.
pub fn is_diagram(lang: &str) -> bool {
    lang == "mermaid"
}

/// Draw the diagram; `id_prefix` makes its element ids unique on the page.
pub fn render(lang: &str, source: &str, id_prefix: &str) -> Result<String, String> {
    let svg = match lang {
        "mermaid" => mermaid_rs_renderer::render_strict(source, mermaid_rs_renderer::RenderOptions::default())
            .map_err(|e| format!("mermaid diagram does not parse ({e}, counting lines from the fence)"))?,
        _ => return Err(format!("`{lang}` is not a diagram language")),
    };
    Ok(prefix_ids(&strip_xml_prolog(&svg), id_prefix))
}

fn strip_xml_prolog(svg: &str) -> String {
    match (svg.find("<?xml"), svg.find("<svg")) {
        (Some(_), Some(start)) => svg[start..].to_string(),
        _ => svg.to_string(),
    }
}

/// Rewrite `id="x"` and every reference to it (`url(#x)`, `href="#x"`, `#x` in a style block).
fn prefix_ids(svg: &str, prefix: &str) -> String {
    let mut ids = vec![];
    let mut rest = svg;
    while let Some(i) = rest.find(" id=\"") {
        let after = &rest[i + 5..];
        if let Some(end) = after.find('"') {
            ids.push(after[..end].to_string());
        }
        rest = after;
    }
    let mut out = svg.replace(" id=\"", &format!(" id=\"{prefix}"));
    ids.sort_by_key(|id| std::cmp::Reverse(id.len()));
    ids.dedup();
    for id in &ids {
        for (from, to) in [
            (format!("url(#{id})"), format!("url(#{prefix}{id})")),
            (format!("href=\"#{id}\""), format!("href=\"#{prefix}{id}\"")),
            (format!("url('#{id}')"), format!("url('#{prefix}{id}')")),
        ] {
            out = out.replace(&from, &to);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_flowchart_with_prefixed_ids() {
        let svg = render("mermaid", "flowchart LR\n  a[Client] --> b[Server]\n", "d1-").unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        assert!(svg.contains("Client") && svg.contains("Server"));
        assert!(!svg.contains(" id=\"arrow"), "ids are prefixed");
    }

    #[test]
    fn rejects_a_broken_mermaid_diagram() {
        assert!(render("mermaid", "flowchart LR\n  subgraph s\n  a --> b\n", "d-").is_err());
    }

    #[test]
    fn prefixes_references_too() {
        let out = prefix_ids(r##"<svg><marker id="arrow"/><path marker-end="url(#arrow)"/></svg>"##, "p-");
        assert_eq!(out, r##"<svg><marker id="p-arrow"/><path marker-end="url(#p-arrow)"/></svg>"##);
    }
}
