//! The read path against Windows' own output: exporting each corpus
//! database must give exactly the rows of its expected/NAME.jsonl (parsed
//! JSON compared value by value), tables and rows in the same order.

use ese::catalog::Catalog;
use ese::database_file::DatabaseFile;
use ese::export::export_jsonl;
use serde_json::Value as Json;

fn same(a: &Json, b: &Json) -> bool {
    ese_testkit::json_equal(a, b)
}

fn first_difference(ours: &Json, theirs: &Json) -> String {
    let (Some(a), Some(b)) = (ours["values"].as_object(), theirs["values"].as_object()) else {
        return format!("ours {ours}\ntheirs {theirs}");
    };
    for (key, value) in b {
        match a.get(key) {
            None => return format!("column {key} missing; expected {value}"),
            Some(ours) if !same(ours, value) => {
                let show = |v: &Json| {
                    let text = v.to_string();
                    if text.len() > 200 {
                        format!("{}...", &text[..200])
                    } else {
                        text
                    }
                };
                return format!("column {key}: ours {} expected {}", show(ours), show(value));
            }
            _ => {}
        }
    }
    for key in a.keys() {
        if !b.contains_key(key) {
            return format!("column {key} should be NULL, ours is {}", a[key]);
        }
    }
    format!(
        "table differs: ours {} expected {}",
        ours["table"], theirs["table"]
    )
}

#[test]
fn every_corpus_database_exports_exactly_as_expected() {
    let Some(dir) = ese_testkit::corpus_dir() else {
        return;
    };
    for (name, _) in ese_testkit::CORPUS_DATABASES {
        let db = DatabaseFile::open(dir.join(name)).unwrap();
        let catalog = Catalog::load(&db).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!catalog.from_shadow, "{name}");
        let mut out = Vec::new();
        export_jsonl(&db, &catalog, None, &mut out).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours: Vec<Json> = out
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        let expected_text =
            std::fs::read_to_string(dir.join("expected").join(format!("{name}.jsonl"))).unwrap();
        let expected: Vec<Json> = expected_text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(
            expected.len() > 100,
            "{name}: the expected export looks truncated"
        );
        for (index, (a, b)) in ours.iter().zip(&expected).enumerate() {
            assert!(
                same(a, b),
                "{name} row {index} ({}): {}",
                b["table"],
                first_difference(a, b)
            );
        }
        assert_eq!(ours.len(), expected.len(), "{name}: row count");
    }
}
