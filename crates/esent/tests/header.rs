//! `include/esent.h` against the engine and the library.
//!
//! - Its generated sections (error codes, system parameters, constants)
//!   must be exactly what the engine's own tables give: the JET code table
//!   (`jet_codes.tsv`), the parameter table, and every `pub const JET_...`
//!   of the engine's sources. `ESENT_UPDATE_HEADER=1 cargo test -p esent
//!   --test header` rewrites them after a change.
//! - Every function the library exports is declared in the header and
//!   listed as implemented in `crates/esent/EXPORTS.md`, and every function
//!   the table calls implemented is exported: nothing declared that the
//!   library lacks, nothing exported that is undocumented.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn header_path() -> PathBuf {
    root().join("include/esent.h")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A literal of a `pub const`: hex, decimal, or a bound of its type.
fn literal(text: &str) -> Option<i128> {
    let text = text.trim().replace('_', "");
    match text.as_str() {
        "i32::MIN" => return Some(i128::from(i32::MIN)),
        "i32::MAX" => return Some(i128::from(i32::MAX)),
        _ => {}
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i128::from_str_radix(hex, 16).ok();
    }
    text.parse().ok()
}

/// Every `pub const JET_*: T = literal;` of the engine's sources, in file
/// order, but the nil handles the header defines by hand; with whether the
/// source wrote it in hex (the header keeps the radix).
fn engine_constants() -> Vec<(String, i128, bool)> {
    let mut files = Vec::new();
    rust_files(&root().join("crates/ese-format/src"), &mut files);
    rust_files(&root().join("crates/ese/src"), &mut files);
    files.sort();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for file in files {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            let Some(rest) = line.trim().strip_prefix("pub const JET_") else {
                continue;
            };
            let Some((name, rest)) = rest.split_once(':') else {
                continue;
            };
            let Some((_, value)) = rest.split_once('=') else {
                continue;
            };
            let name = format!("JET_{name}");
            if name.ends_with("Nil") || !seen.insert(name.clone()) {
                continue;
            }
            let value_text = value.trim().trim_end_matches(';');
            let value = literal(value_text).unwrap_or_else(|| {
                panic!("{}: {name} = {value_text} is not a literal", file.display())
            });
            out.push((name, value, value_text.starts_with("0x")));
        }
    }
    out
}

fn c_value(value: i128, hex: bool) -> String {
    if value == i128::from(i32::MIN) {
        "(-2147483647 - 1)".into()
    } else if value < 0 {
        format!("({value})")
    } else if hex {
        format!("0x{value:x}")
    } else {
        value.to_string()
    }
}

fn section(title: &str, lines: Vec<String>) -> (String, String) {
    let begin = format!("/* BEGIN GENERATED: {title} */\n");
    let mut body = String::new();
    for line in lines {
        body.push_str(&line);
        body.push('\n');
    }
    (begin, body)
}

fn expected_sections() -> Vec<(String, String)> {
    let codes = ese::codes::ALL_CODES
        .iter()
        .map(|c| format!("#define {} {}", c.name, c_value(i128::from(c.value), false)))
        .collect();
    let mut params: Vec<_> = ese::api::params::PARAMS.iter().collect();
    params.sort_by_key(|p| p.id);
    let params = params
        .iter()
        .map(|p| format!("#define {} {}", p.name, p.id))
        .collect();
    let constants = engine_constants()
        .into_iter()
        .map(|(name, value, hex)| format!("#define {name} {}", c_value(value, hex)))
        .collect();
    vec![
        section(
            "error and warning codes (crates/ese-format/data/jet_codes.tsv)",
            codes,
        ),
        section("system parameters (ese::api::params::PARAMS)", params),
        section(
            "option bits and constants (the engine's JET_ definitions)",
            constants,
        ),
    ]
}

/// The header with its generated sections replaced by `sections`.
fn with_sections(header: &str, sections: &[(String, String)]) -> String {
    let mut text = header.to_string();
    for (begin, body) in sections {
        let start = text.find(begin.as_str()).expect("section marker") + begin.len();
        let end = start
            + text[start..]
                .find("/* END GENERATED */")
                .expect("end marker");
        text.replace_range(start..end, body);
    }
    text
}

#[test]
fn generated_sections_match_the_engines_tables() {
    let header = std::fs::read_to_string(header_path()).unwrap();
    let expected = with_sections(&header, &expected_sections());
    if std::env::var("ESENT_UPDATE_HEADER").is_ok_and(|v| v == "1") {
        std::fs::write(header_path(), &expected).unwrap();
        return;
    }
    assert!(
        header == expected,
        "include/esent.h's generated sections are stale: run \
         ESENT_UPDATE_HEADER=1 cargo test -p esent --test header"
    );
    // What the tables hold, in numbers.
    assert!(expected.contains("#define JET_errReadVerifyFailure (-1018)"));
    assert!(expected.contains("#define JET_paramDatabasePageSize 64"));
    assert!(expected.contains("#define JET_bitTermStopBackup 0x4"));
}

/// The functions the library exports: every `#[no_mangle]` function.
fn exported() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&root().join("crates/esent/src"), &mut files);
    let mut out = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.trim() != "#[no_mangle]" {
                continue;
            }
            let signature = lines.next().unwrap_or("");
            let name = signature
                .split("fn ")
                .nth(1)
                .and_then(|s| s.split('(').next())
                .unwrap_or_else(|| panic!("no function after #[no_mangle]: {signature}"));
            out.insert(name.to_string());
        }
    }
    out
}

#[test]
fn every_export_is_declared_and_listed_and_nothing_else_is() {
    let exports = exported();
    let header = std::fs::read_to_string(header_path()).unwrap();
    for name in &exports {
        let declared = header.contains(&format!("JET_API {name}("))
            || header.contains(&format!("#define {name} {name}A"));
        assert!(declared, "{name} is exported but not declared in esent.h");
    }
    for line in header.lines() {
        if let Some(rest) = line.split("JET_ERR JET_API ").nth(1) {
            let name = rest.split('(').next().unwrap();
            assert!(
                exports.contains(name),
                "esent.h declares {name}, which is not exported"
            );
        }
    }
    let table = std::fs::read_to_string(root().join("crates/esent/EXPORTS.md")).unwrap();
    let mut listed = BTreeSet::new();
    for line in table.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() > 3 && cells[2] == "yes" {
            listed.insert(cells[1].trim_matches('`').to_string());
        }
    }
    let suffixed: BTreeSet<String> = exports
        .iter()
        .filter(|name| {
            !(exports.contains(&format!("{name}A")) && exports.contains(&format!("{name}W")))
        })
        .cloned()
        .collect();
    assert_eq!(
        listed, suffixed,
        "EXPORTS.md's implemented rows and the library's exports differ"
    );
    // Every ESENT export is in the table, once.
    let reference = root().join("../shared/reference/jet-exports.txt");
    if let Ok(all) = std::fs::read_to_string(reference) {
        let rows: BTreeSet<String> = table
            .lines()
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (cells.len() > 3 && cells[1].starts_with("`Jet"))
                    .then(|| cells[1].trim_matches('`').to_string())
            })
            .collect();
        for name in all.lines().filter(|l| !l.is_empty()) {
            assert!(
                rows.contains(name),
                "EXPORTS.md lacks ESENT's export {name}"
            );
        }
    }
}
