//! The `sdp` command line.

use crate::content::Kind;
use crate::pipeline::{Builder, Options};
use crate::{scaffold, serve};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "sdp", version, about = "Builds the System Design Platform course site")]
struct Cli {
    /// The project folder, holding content/ and templates/.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the whole site into a folder (replaced only if the build succeeds).
    Build {
        /// Output folder.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
        /// Where the site will be published, such as https://example.org/course/.
        #[arg(long, default_value = "/")]
        base_url: String,
    },
    /// Build, serve on 127.0.0.1, rebuild on changes and reload the browser.
    Serve {
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Check everything the build checks, without writing anything.
    Check,
    /// Create a page with every required section.
    New {
        kind: NewKind,
        /// Module folder, such as 01-foundations.
        module: String,
        /// The page's slug, such as cap-theorem.
        slug: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    Topic,
    CaseStudy,
    Problem,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = Options::new(&cli.root);
    match cli.command {
        Command::Build { out, base_url } => {
            let started = Instant::now();
            let mut builder = Builder::new(Options { base_url: base_url.clone(), ..options });
            let build = match builder.build() {
                Ok(b) => b,
                Err(f) => {
                    eprintln!("{f}\nbuild failed; {} was not changed", out.display());
                    return ExitCode::FAILURE;
                }
            };
            let out = if out.is_relative() { cli.root.join(out) } else { out };
            if let Err(e) = build.output.write_atomically(&out) {
                eprintln!("error: cannot write {}: {e}; it was not changed", out.display());
                return ExitCode::FAILURE;
            }
            if !build.widgets.sizes.is_empty() {
                println!("{}", crate::wasm::size_table(&build.widgets));
            }
            if let Some(table) = crate::pdf::size_table(&build.output) {
                println!("{table}");
            }
            if build.stats.indexed > 0 {
                let index: usize = build.output.files.iter().filter(|(p, _)| p.starts_with("pagefind/") && !p.ends_with(".js") && !p.contains("wasm.")).map(|(_, b)| b.len()).sum();
                println!(
                    "search: {} pages indexed; index {:.1} KB ({:.1} KB per page), plus pagefind.js and its WebAssembly",
                    build.stats.indexed,
                    index as f64 / 1e3,
                    index as f64 / 1e3 / build.stats.indexed as f64
                );
            }
            let phases: Vec<String> = build.stats.phases.iter().map(|(n, d)| format!("{n} {:.0} ms", d.as_secs_f64() * 1e3)).collect();
            println!("time: {}", phases.join(", "));
            if !base_url.contains("://") {
                eprintln!("note: sitemap.xml has relative URLs; pass --base-url https://... when publishing");
            }
            println!(
                "built {} pages ({} files, {:.1} MB) into {} in {:.2} s",
                build.stats.pages,
                build.output.files.len(),
                build.output.size() as f64 / 1e6,
                out.display(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Command::Check => match Builder::new(Options { widgets: false, ..options }).build() {
            Ok(b) => {
                println!("ok: {} pages, no errors", b.stats.pages);
                ExitCode::SUCCESS
            }
            Err(f) => {
                eprintln!("{f}");
                ExitCode::FAILURE
            }
        },
        Command::Serve { port } => {
            let preview = match serve::start(Builder::new(options), port) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let errors = preview.shared.state.lock().unwrap().errors.clone();
            for e in &errors {
                eprintln!("{e}");
            }
            let watched: Vec<&str> = serve::WATCHED.iter().copied().filter(|d| cli.root.join(d).is_dir()).collect();
            println!("serving http://127.0.0.1:{}/ (watching {}; Ctrl-C stops)", preview.port, watched.join(", "));
            loop {
                std::thread::park();
            }
        }
        Command::New { kind, module, slug } => {
            let kind = match kind {
                NewKind::Topic => Kind::Topic,
                NewKind::CaseStudy => Kind::CaseStudy,
                NewKind::Problem => Kind::Problem,
            };
            match scaffold::new_page(&cli.root, kind, &module, &slug) {
                Ok(path) => {
                    println!("created {}; fill in every [[TODO: ...]] (sdp check lists them)", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
