//! Broken content gives a precise `path:line` error, and a failed build leaves `dist/` as it was.

mod common;

use std::path::Path;
use std::process::Command;

const PAGE: &str = "content/modules/01-basics/first.md";

fn sdp(root: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sdp")).arg("--root").arg(root).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

const SHEET: &str = "cheatsheets/basics.md";
const QUIZ: &str = "content/quizzes/01-basics.yaml";

/// Each broken fixture replaces the valid first page (or, for `sheet-*`, the valid sheet); the
/// build must fail with this error.
const CASES: &[(&str, &str, &str)] = &[
    ("bad-yaml", "content/modules/01-basics/first.md:4:", "front matter"),
    ("missing-field", "content/modules/01-basics/first.md:1:1:", "missing field `summary`"),
    ("unknown-field", "content/modules/01-basics/first.md:4:", "author"),
    ("wrong-type", "content/modules/01-basics/first.md:3:", "front matter"),
    ("broken-link", "content/modules/01-basics/first.md:19:38:", "no such page"),
    ("broken-anchor", "content/modules/01-basics/first.md:19:38:", "no-such-heading"),
    ("duplicate-concept", "content/modules/01-basics/second.md:10:1:", "already has a home page: content/modules/01-basics/first.md"),
    ("unclosed-fence", "content/modules/01-basics/first.md:32:1:", "not closed"),
    ("missing-section", "content/modules/01-basics/first.md:48:1:", "missing section `## Common mistakes`"),
    ("unknown-callout", "content/modules/01-basics/first.md:50:1:", "unknown callout `[!DANGER]`"),
    ("unknown-widget", "content/modules/01-basics/first.md:32:1:", "unknown widget `nosuch`"),
    ("bad-widget-config", "content/modules/01-basics/first.md:33:1:", "replicas `0` must be 1 to 9"),
    ("sheet-overflow", "cheatsheets/basics.md:1:1:", "does not fit on one landscape A4 page: it overflows by"),
    ("sheet-unsupported", "cheatsheets/basics.md:21:1:", "a block quote or callout cannot be printed on a cheat sheet"),
    ("sheet-unknown-module", "cheatsheets/basics.md:4:1:", "module `07-nowhere` does not exist"),
    ("quiz-two-correct", "content/quizzes/01-basics.yaml:2:1:", "question `basics-pick-one`: a single-choice question has exactly one option with `correct: true` (has 2)"),
    ("quiz-no-tolerance", "content/quizzes/01-basics.yaml:13:1:", "question `basics-estimate`: a numeric question needs a `tolerance`"),
    ("quiz-missing-anchor", "content/quizzes/01-basics.yaml:21:1:", "has no heading with the anchor `no-such-section`"),
    ("quiz-unknown-widget", "content/quizzes/01-basics.yaml:27:1:", "unknown widget `nosuch`"),
    ("quiz-duplicate-id", "content/quizzes/01-basics.yaml:13:1:", "question id `basics-pick-one` is also used at content/quizzes/01-basics.yaml:2"),
];

#[test]
fn the_valid_fixture_builds() {
    let project = common::fixture_project();
    let (ok, err) = sdp(project.path(), &["build"]);
    assert!(ok, "{err}");
    let page = std::fs::read_to_string(project.path().join("dist/modules/01-basics/first/index.html")).unwrap();
    assert!(page.contains("marker-first-page"));
}

#[test]
fn each_broken_fixture_names_file_and_line_and_keeps_dist() {
    for (case, location, fragment) in CASES {
        let project = common::fixture_project();
        let root = project.path();
        let (target, ext) = if case.starts_with("sheet-") {
            (SHEET, "md")
        } else if case.starts_with("quiz-") {
            (QUIZ, "yaml")
        } else {
            (PAGE, "md")
        };
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/broken/{case}.{ext}"));
        std::fs::copy(&fixture, root.join(target)).unwrap();
        std::fs::create_dir_all(root.join("dist")).unwrap();
        std::fs::write(root.join("dist/marker.txt"), "previous build").unwrap();

        let (ok, stderr) = sdp(root, &["build"]);
        assert!(!ok, "{case}: build should fail");
        let line = stderr
            .lines()
            .find(|l| l.starts_with(location))
            .unwrap_or_else(|| panic!("{case}: expected an error at {location}, got:\n{stderr}"));
        assert!(line.contains(fragment), "{case}: `{line}` should mention `{fragment}`");
        let dist: Vec<_> = std::fs::read_dir(root.join("dist")).unwrap().collect();
        assert_eq!(dist.len(), 1, "{case}: dist/ must be left as it was");
        assert_eq!(std::fs::read_to_string(root.join("dist/marker.txt")).unwrap(), "previous build");

        let (ok, check) = sdp(root, &["check"]);
        assert!(!ok, "{case}: check should fail");
        assert!(check.lines().any(|l| l.starts_with(location)), "{case}: check reports the same error:\n{check}");
    }
}

#[test]
fn check_lists_every_error_not_only_the_first() {
    let project = common::fixture_project();
    let root = project.path();
    common::edit(root, PAGE, |t| t.replace("second.md#trade-offs", "nowhere.md").replace("[!MISTAKE]", "[!OOPS]"));
    common::edit(root, "content/modules/01-basics/second.md", |t| t.replace("order: 2", "order: two"));
    // second.md fails to load; links to it are not reported again, its own error is.
    let (ok, stderr) = sdp(root, &["check"]);
    assert!(!ok);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("content/")).collect();
    assert_eq!(errors.len(), 3, "{stderr}");
    assert!(stderr.trim_end().ends_with("3 errors"), "{stderr}");
}

#[test]
fn new_page_has_every_section_and_check_reports_its_placeholders() {
    let project = common::fixture_project();
    let root = project.path();
    let out = Command::new(env!("CARGO_BIN_EXE_sdp"))
        .arg("--root").arg(root)
        .args(["new", "case-study", "01-basics", "acme-payments"])
        .output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(root.join("content/modules/01-basics/acme-payments.md")).unwrap();
    assert!(text.contains("kind: case-study") && text.contains("## Design challenge"));
    let (ok, stderr) = sdp(root, &["check"]);
    assert!(!ok);
    let placeholders = stderr.lines().filter(|l| l.contains("unfilled placeholder")).count();
    assert!(placeholders >= 12, "one per section at least:\n{stderr}");
    // A second `new` with the same slug refuses to overwrite.
    let again = Command::new(env!("CARGO_BIN_EXE_sdp")).arg("--root").arg(root)
        .args(["new", "topic", "01-basics", "acme-payments"]).output().unwrap();
    assert!(!again.status.success());
}
