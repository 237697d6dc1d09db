//! Widgets to WebAssembly: one `cargo build` for every widget crate under `widgets/` (cargo's
//! incremental state makes an unchanged widget free), wasm-bindgen run in-process, `wasm-opt`
//! when a new enough binaryen is installed, and content-hashed file names.

use crate::diagnostics::Diagnostic;
use crate::output::hash_bytes;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The widgets' browser files and what they cost.
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    /// Output path and bytes of each file.
    pub files: Vec<(String, Arc<[u8]>)>,
    /// Per widget name: URLs (without the base) of its JS glue and its wasm.
    pub urls: BTreeMap<String, (String, String)>,
    pub sizes: Vec<Size>,
    /// Whether wasm-opt ran, or why not.
    pub wasm_opt: String,
    /// Changes whenever any widget file changes.
    pub hash: u64,
}

#[derive(Debug, Clone)]
pub struct Size {
    pub name: String,
    pub wasm: usize,
    pub wasm_gz: usize,
    pub js: usize,
    pub js_gz: usize,
}

/// The crates compiled for the browser: every registered widget and the quiz module, each a
/// folder of `widgets/` named like the crate. A crate being written but not yet registered is
/// left alone.
pub fn crates(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = crate::widgets::REGISTRY
        .iter()
        .map(|(n, _)| n.to_string())
        .chain(std::iter::once("quiz".to_string()))
        .filter(|n| root.join("widgets").join(n).join("Cargo.toml").is_file())
        .collect();
    names.sort();
    names
}

/// Modification times and sizes of everything under `widgets/`: when it is unchanged, the
/// previous bundle is still right and cargo need not run.
pub fn stamp(root: &Path) -> u64 {
    let mut parts = String::new();
    for entry in walkdir::WalkDir::new(root.join("widgets")).sort_by_file_name().into_iter().flatten() {
        if let Ok(meta) = entry.metadata() {
            let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
            parts.push_str(&format!("{}:{}:{modified};", entry.path().display(), meta.len()));
        }
    }
    hash_bytes(parts.as_bytes())
}

/// Compile every widget and prepare its browser files.
pub fn build(root: &Path) -> Result<Bundle, Diagnostic> {
    let names = crates(root);
    if names.is_empty() {
        return Ok(Bundle::default());
    }
    let target_dir = root.join("target/widgets");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args(["build", "--quiet", "--profile", "widgets", "--target", "wasm32-unknown-unknown", "--target-dir"])
        .arg(&target_dir);
    for n in &names {
        cmd.args(["-p", n]);
    }
    let out = cmd.output().map_err(|e| Diagnostic::file("widgets", format!("cannot run cargo to build the widgets: {e}")))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let hint = if stderr.contains("wasm32-unknown-unknown") && stderr.contains("target may not be installed") {
            " (run `rustup toolchain install` in the project folder: it installs the wasm32 target listed in rust-toolchain.toml)"
        } else {
            ""
        };
        return Err(Diagnostic::file("widgets", format!("building the widgets for WebAssembly failed{hint}:\n{stderr}")));
    }

    let opt = wasm_opt_version();
    let mut bundle = Bundle {
        wasm_opt: match opt {
            Some(v) if v >= 116 => format!("wasm-opt {v} -Oz"),
            Some(v) => format!("wasm-opt skipped: binaryen {v} is older than 116 and breaks Rust 1.82+ output"),
            None => "wasm-opt skipped: not installed".to_string(),
        },
        ..Bundle::default()
    };
    for name in &names {
        let artifact = target_dir.join(format!("wasm32-unknown-unknown/widgets/{}.wasm", name.replace('-', "_")));
        // A fresh folder per run: two builds at once (a preview and a test) must not share one.
        let _ = std::fs::create_dir_all(&target_dir);
        let scratch = tempfile::Builder::new()
            .prefix("bindgen-")
            .tempdir_in(&target_dir)
            .map_err(|e| Diagnostic::file("widgets", format!("cannot create a folder in {}: {e}", target_dir.display())))?;
        let dir = scratch.path().to_path_buf();
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&artifact)
            .out_name(name)
            .web(true)
            .and_then(|b| {
                b.typescript(false)
                    .omit_default_module_path(false)
                    .remove_name_section(true)
                    .remove_producers_section(true)
                    .generate(&dir)
            })
            .map_err(|e| Diagnostic::file(format!("widgets/{name}"), format!("wasm-bindgen failed: {e:#}")))?;
        let wasm_path = dir.join(format!("{name}_bg.wasm"));
        if opt.is_some_and(|v| v >= 116) {
            let status = Command::new("wasm-opt").arg("-Oz").arg("--enable-bulk-memory").arg("--enable-nontrapping-float-to-int").arg(&wasm_path).arg("-o").arg(&wasm_path).status();
            if !status.is_ok_and(|s| s.success()) {
                return Err(Diagnostic::file(format!("widgets/{name}"), "wasm-opt failed"));
            }
        }
        let read = |p: PathBuf| std::fs::read(&p).map_err(|e| Diagnostic::file(format!("widgets/{name}"), format!("cannot read {}: {e}", p.display())));
        let wasm = read(wasm_path)?;
        let js = read(dir.join(format!("{name}.js")))?;
        let js_path = format!("static/widgets/{name}.{:08x}.js", hash_bytes(&js) as u32);
        let wasm_out = format!("static/widgets/{name}.{:08x}.wasm", hash_bytes(&wasm) as u32);
        bundle.sizes.push(Size { name: name.clone(), wasm: wasm.len(), wasm_gz: gzip_len(&wasm), js: js.len(), js_gz: gzip_len(&js) });
        bundle.urls.insert(name.clone(), (js_path.clone(), wasm_out.clone()));
        bundle.files.push((js_path, Arc::from(js)));
        bundle.files.push((wasm_out, Arc::from(wasm)));
    }
    bundle.hash = hash_bytes(format!("{:?}", bundle.urls).as_bytes());
    Ok(bundle)
}

/// Size after `gzip -9`, which is what a browser downloads from a server that compresses.
pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory cannot fail");
    enc.finish().expect("writing to memory cannot fail").len()
}

fn wasm_opt_version() -> Option<u32> {
    let out = Command::new("wasm-opt").arg("--version").output().ok()?;
    String::from_utf8_lossy(&out.stdout).split_whitespace().find_map(|w| w.parse().ok())
}

/// The size table printed by `sdp build`.
pub fn size_table(bundle: &Bundle) -> String {
    let mut s = String::from("widget         wasm      wasm gz   js        js gz\n");
    for z in &bundle.sizes {
        s.push_str(&format!(
            "{:<14} {:>7.1} KB {:>6.1} KB {:>6.1} KB {:>5.1} KB\n",
            z.name,
            z.wasm as f64 / 1000.0,
            z.wasm_gz as f64 / 1000.0,
            z.js as f64 / 1000.0,
            z.js_gz as f64 / 1000.0
        ));
    }
    s.push_str(&format!("({})", bundle.wasm_opt));
    s
}
