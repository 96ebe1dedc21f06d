//! Fixtures the integration tests share: a keyed table made through the
//! API, the structure check a test ends with, a test run again in a child
//! process, and the independent reader's presence.
//!
//! Each test file includes this module with `mod common;` and uses the part
//! it needs, so an unused function here is not dead code in the suite.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use ese::api::grbit::*;
use ese::api::{ColumnCreate, DbId, IndexCreate, Session, TableCreate};
use ese::database_file::DatabaseFile;
use ese::format::constants::*;
use ese::structure_check::{check_structure, StructureReport};

/// Creates table `name` through JetCreateTableColumnIndex: a NOT NULL long
/// column `key` with the primary index `By<key>`, then `columns` (name,
/// column type) in order, and a secondary index `By<column>` over each
/// column named in `secondary`. Returns the column ids, `key`'s first.
pub fn create_keyed_table(
    session: &Session,
    dbid: DbId,
    name: &str,
    key: &str,
    columns: &[(&str, u32)],
    secondary: &[&str],
) -> Vec<u32> {
    let mut create =
        TableCreate {
            name: name.into(),
            columns: std::iter::once(ColumnCreate::new(key, JET_coltypLong, JET_bitColumnNotNULL))
                .chain(
                    columns
                        .iter()
                        .map(|&(column, coltyp)| ColumnCreate::new(column, coltyp, 0)),
                )
                .collect(),
            indexes: std::iter::once(IndexCreate::new(
                &format!("By{key}"),
                &format!("+{key}\0\0"),
                JET_bitIndexPrimary,
            ))
            .chain(secondary.iter().map(|column| {
                IndexCreate::new(&format!("By{column}"), &format!("+{column}\0\0"), 0)
            }))
            .collect(),
            ..Default::default()
        };
    drop(
        session
            .create_table_column_index(dbid, &mut create)
            .unwrap(),
    );
    create.columns.iter().map(|c| c.column_id).collect()
}

/// Checks every tree, space tree and catalog entry of the database at
/// `path` (as `esentutl check` does) and fails the test, listing the
/// findings, unless it is sound. Returns the report for further checks.
pub fn assert_structure_clean(path: &Path) -> StructureReport {
    let file = DatabaseFile::open(path).unwrap();
    let report = check_structure(&file, file.header()).unwrap();
    assert!(
        report.is_clean(),
        "{}: {:?}",
        path.display(),
        report
            .findings
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
    );
    report
}

/// [`assert_structure_clean`] for a database that must also have been
/// shut down cleanly (its header says so).
pub fn assert_clean_shutdown_and_structure(path: &Path) -> StructureReport {
    let state = DatabaseFile::open(path).unwrap().header().state;
    assert_eq!(state, JET_dbstateCleanShutdown, "{}", path.display());
    assert_structure_clean(path)
}

/// This test binary run again on exactly the test `test`, one thread,
/// output not captured: the parent sets the child's environment and reads
/// or kills it. `ignored`: the child test is marked `#[ignore]` (it runs
/// only when a parent asks for it).
pub fn child_test(test: &str, ignored: bool) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    if ignored {
        command.arg("--ignored");
    }
    command.args(["--exact", test, "--nocapture", "--test-threads=1"]);
    command
}

/// Whether libesedb's `esedbexport` (Debian's libesedb-utils) can be run.
/// With `ESE_REQUIRE_CORPUS=1` (as in CI) its absence fails the test;
/// otherwise the test says it skips `what` and goes on without it.
pub fn esedbexport_available(what: &str) -> bool {
    let found = Command::new("esedbexport").arg("-V").output().is_ok();
    if !found {
        let required = std::env::var("ESE_REQUIRE_CORPUS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "ESE_REQUIRE_CORPUS=1 but esedbexport (libesedb-utils) is not installed"
        );
        println!("esedbexport (Debian package libesedb-utils) not found: {what} skipped");
    }
    found
}
