//! Write: the built site as a map of paths to bytes, written to disk all at once or not at all.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every file of the site by its path relative to the output folder (`/` separators).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Arc<[u8]>>,
}

impl Output {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Arc<[u8]>>) {
        self.files.insert(path.into(), bytes.into());
    }

    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.files.get(path)
    }

    /// Write everything into a fresh folder next to `dir`, then swap it in. If anything fails
    /// before the swap, `dir` is left exactly as it was.
    pub fn write_atomically(&self, dir: &Path) -> io::Result<()> {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("dist");
        let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&staging);
        let result = self.write_all(&staging).and_then(|()| {
            if dir.exists() {
                fs::rename(dir, &old)?;
            }
            fs::rename(&staging, dir).inspect_err(|_| {
                let _ = fs::rename(&old, dir);
            })?;
            let _ = fs::remove_dir_all(&old);
            Ok(())
        });
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        result
    }

    fn write_all(&self, root: &Path) -> io::Result<()> {
        fs::create_dir_all(root)?;
        let mut made = std::collections::HashSet::new();
        for (path, bytes) in &self.files {
            let target = root.join(path);
            if let Some(dir) = target.parent() {
                if made.insert(dir.to_path_buf()) {
                    fs::create_dir_all(dir)?;
                }
            }
            fs::write(&target, bytes)?;
        }
        Ok(())
    }

    /// Total size in bytes.
    pub fn size(&self) -> usize {
        self.files.values().map(|b| b.len()).sum()
    }
}

/// FNV-1a, 64 bit: a small stable hash for content-addressed names and change detection.
#[derive(Clone, Copy)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

pub fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = Fnv::default();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_in_only_complete_output() {
        let tmp = tempfile::tempdir().unwrap();
        let dist = tmp.path().join("dist");
        let mut out = Output::default();
        out.insert("index.html", b"one".to_vec());
        out.insert("a/b/index.html", b"two".to_vec());
        out.write_atomically(&dist).unwrap();
        assert_eq!(fs::read(dist.join("a/b/index.html")).unwrap(), b"two");

        // A file that cannot be written (its parent is a file) fails before the swap.
        let mut bad = Output::default();
        bad.insert("index.html", b"new".to_vec());
        bad.insert("index.html/x", b"impossible".to_vec());
        assert!(bad.write_atomically(&dist).is_err());
        assert_eq!(fs::read(dist.join("index.html")).unwrap(), b"one", "old output untouched");
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left behind");
    }

    #[test]
    fn fnv_matches_reference_values() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(hash_bytes(b""), 0xcbf29ce484222325);
        assert_eq!(hash_bytes(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(hash_bytes(b"foobar"), 0x85944171f73967e8);
    }
}
