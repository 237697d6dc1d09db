//! Shared helpers for the whole-site tests: build the real project and look inside its HTML.

use sdp::output::Output;
use sdp::pipeline::{Builder, Options};
use std::path::{Path, PathBuf};

/// The repository root (holding content/ and templates/).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Build the real site in memory, failing the test with every error if it does not build.
pub fn build_site(base_url: &str) -> Output {
    let mut builder = Builder::new(Options { base_url: base_url.into(), ..Options::new(repo_root()) });
    match builder.build() {
        Ok(b) => b.output,
        Err(f) => panic!("the real content does not build:\n{f}"),
    }
}

/// Values of `attr="..."` in an HTML document, in order.
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = vec![];
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}
