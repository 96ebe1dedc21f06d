//! Test support shared by the crates of the workspace.
//!
//! The compatibility corpus (databases written by Windows' ESE) lives
//! outside the repository, in `../shared/testdata` or wherever
//! `ESE_TEST_CORPUS` points. Tests read it in place and never copy it into
//! the repository; damage tests work on scratch copies in a temporary
//! directory.

use std::path::{Path, PathBuf};

pub use tempfile::TempDir;

/// The seven corpus databases with their page sizes, from the corpus README.
pub const CORPUS_DATABASES: [(&str, usize); 7] = [
    ("basic.edb", 4096),
    ("binary.edb", 4096),
    ("text.edb", 4096),
    ("multi.edb", 4096),
    ("default.edb", 4096),
    ("index.edb", 4096),
    ("large.edb", 32768),
];

/// The corpus folder, or `None` (after printing one line saying the test is
/// skipped) when it is absent. With `ESE_REQUIRE_CORPUS=1` a missing corpus
/// fails the test instead.
pub fn corpus_dir() -> Option<PathBuf> {
    let candidate = match std::env::var_os("ESE_TEST_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata"),
    };
    if candidate.join("basic.edb").is_file() {
        return Some(candidate);
    }
    let required = std::env::var("ESE_REQUIRE_CORPUS").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "ESE_REQUIRE_CORPUS=1 but the corpus is not at {}",
        candidate.display()
    );
    println!(
        "corpus not found at {} (set ESE_TEST_CORPUS): test skipped",
        candidate.display()
    );
    None
}

/// Microsoft's JET API documentation (`../shared/reference/ese-docs`),
/// or `None` (after one line saying the test is skipped) when absent; with
/// `ESE_REQUIRE_CORPUS=1` a missing folder fails the test instead.
pub fn reference_docs_dir() -> Option<PathBuf> {
    let candidate =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/ese-docs");
    if candidate.join("jetterm2-function.md").is_file() {
        return Some(candidate);
    }
    let required = std::env::var("ESE_REQUIRE_CORPUS").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "ESE_REQUIRE_CORPUS=1 but the reference documentation is not at {}",
        candidate.display()
    );
    println!(
        "skipped: no reference documentation at {}",
        candidate.display()
    );
    None
}

/// The path of one corpus database, or `None` when the corpus is absent.
pub fn corpus_file(name: &str) -> Option<PathBuf> {
    corpus_dir().map(|dir| dir.join(name))
}

/// A scratch directory removed when dropped.
pub fn scratch_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("ese-test-")
        .tempdir()
        .expect("create a scratch directory")
}

/// Copies a corpus database into `dir` (so it can be damaged) and returns
/// the copy's path. The copy is made writable.
pub fn scratch_copy(source: &Path, dir: &Path) -> PathBuf {
    let target = dir.join(source.file_name().expect("corpus file has a name"));
    std::fs::copy(source, &target).expect("copy corpus database");
    let mut permissions = std::fs::metadata(&target).expect("stat copy").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&target, permissions).expect("make the copy writable");
    target
}

/// The seed for a randomized test: `ESE_TEST_SEED` when set (to replay a
/// failure), else fresh. Always printed so that any run can be replayed.
pub fn test_seed(test_name: &str) -> u64 {
    let seed = match std::env::var("ESE_TEST_SEED") {
        Ok(text) => text.parse().expect("ESE_TEST_SEED must be a u64"),
        Err(_) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            nanos ^ (u64::from(std::process::id()) << 32)
        }
    };
    println!("{test_name}: seed {seed} (replay with ESE_TEST_SEED={seed})");
    seed
}

/// A small deterministic generator (SplitMix64) for tests that pick
/// positions and values from a seed.
#[derive(Clone, Debug)]
pub struct SeededRng(u64);

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `0..bound` (bound > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }
}

/// JSON equality where numbers compare by value (1 == 1.0), as the corpus
/// README asks of exports.
pub fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as Json;
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// The parsed lines of a JSON-lines text.
pub fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}
