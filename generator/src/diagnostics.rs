//! Errors that point at the author's file: `path:line:col: message`.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the project, located in a file the author can open.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// Path relative to the project root, such as `content/modules/01-foundations/x.md`.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: impl AsRef<Path>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.as_ref().to_path_buf(),
            line,
            col,
            message: message.into(),
        }
    }

    /// A problem with a whole file rather than a place in it.
    pub fn file(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic::new(path, 1, 1, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )
    }
}

/// Every error of a failed run, sorted by file and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub Vec<Diagnostic>);

impl Failure {
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort();
        diagnostics.dedup();
        Failure(diagnostics)
    }

    pub fn one(d: Diagnostic) -> Self {
        Failure(vec![d])
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{}", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Failure {}

/// Line and column (both 1-based) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Maps byte offsets of one text to line and column quickly (binary search over line starts).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in bytes + 1) of `offset`.
    pub fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let t = "ab\ncd\n\nxyz";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 4), (2, 2));
        assert_eq!(line_col(t, 7), (4, 1));
        let idx = LineIndex::new(t);
        for off in 0..t.len() {
            assert_eq!(idx.locate(t, off), line_col(t, off), "offset {off}");
        }
    }

    #[test]
    fn failure_lists_sorted_and_counts() {
        let f = Failure::new(vec![
            Diagnostic::new("b.md", 3, 1, "late"),
            Diagnostic::new("a.md", 9, 2, "early"),
        ]);
        assert_eq!(f.to_string(), "a.md:9:2: early\nb.md:3:1: late\n2 errors");
    }
}
