//! The harness on this engine alone with a few hundred records, so that it
//! cannot rot: every workload runs, its reads are checked by the harness
//! itself, and the table names every workload. (The peers need the
//! `peers` feature and are not built by the normal test run.)

use std::process::Command;

use ese_bench::{Config, EngineKind, Figure};

fn small_config(dir: &std::path::Path) -> Config {
    Config {
        records: 300,
        engines: vec![EngineKind::Ese],
        individual_writes: 20,
        batches: 3,
        batch_size: 50,
        backup_mib: 8,
        ..Config::new(dir)
    }
}

#[test]
fn every_workload_runs_on_this_engine() {
    let dir = ese_testkit::scratch_dir();
    let config = small_config(dir.path());
    let report = ese_bench::run(&config, &mut |_| {}).unwrap();
    let workloads: Vec<&str> = report.rows.iter().map(|r| r.workload.as_str()).collect();
    // 14 key-value figures (bulk load and its log, individual from 1 and
    // 4 threads, batches, size, reads on 1, 2 and 4 threads, ranges,
    // deletion and its log, size, all files), 8 table figures and 5
    // transaction figures, 3 backup figures, and 6 C ABI figures (the Rust
    // API and the C ABI on 1, 2 and 4 threads).
    assert_eq!(workloads.len(), 36, "{workloads:#?}");
    for name in ese_bench::transactions::workload_names(&config) {
        assert!(report.row(&name).is_some(), "{name} is missing");
    }
    for name in ese_bench::backup::workload_names(&config) {
        assert!(report.row(&name).is_some(), "{name} is missing");
    }
    for name in ese_bench::c_abi::workload_names(&config) {
        assert!(report.row(&name).is_some(), "{name} is missing");
    }
    for row in &report.rows {
        let figure = row.figures.get(&EngineKind::Ese).unwrap();
        match figure {
            Figure::Time(time) => assert!(!time.is_zero(), "{}", row.workload),
            // A database file has at least its header and a few pages; a
            // log volume of a small workload only something.
            Figure::Bytes(bytes) if row.workload.starts_with("log written") => {
                assert!(*bytes > 0, "{}: {bytes}", row.workload)
            }
            Figure::Bytes(bytes) => assert!(*bytes >= 8192 * 4, "{}: {bytes}", row.workload),
        }
        // Without a peer there is nothing to compare with.
        assert_eq!(row.ratio_to_best_peer(), None);
    }
    assert!(report
        .row("individual writes (20 durable commits)")
        .is_some());
    assert!(report
        .row(&ese_bench::kv::concurrent_writes_name(4, 5))
        .is_some());
    assert!(report.row("batch writes (3 × 50, durable)").is_some());
    // The engines' directories are removed after each suite.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_command_writes_its_table() {
    let dir = ese_testkit::scratch_dir();
    let output = dir.path().join("bench.md");
    let status = Command::new(env!("CARGO_BIN_EXE_ese-bench"))
        .args(["--records", "200", "--engines", "ese", "--suites", "kv"])
        .args([
            "--individual-writes",
            "5",
            "--batches",
            "2",
            "--batch-size",
            "20",
        ])
        .arg("--dir")
        .arg(dir.path().join("work"))
        .arg("--output")
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success());
    let table = std::fs::read_to_string(&output).unwrap();
    assert!(table.starts_with("Command: `"), "{table}");
    assert!(table.contains("- cores: "), "{table}");
    assert!(
        table.contains("| workload | ese | ese ÷ best peer |"),
        "{table}"
    );
    assert!(table.contains("| bulk load (200 records) |"), "{table}");
    assert!(
        table.contains("| random point reads, 4 threads |"),
        "{table}"
    );
    assert!(!table.contains("tables (against SQLite)"), "{table}");
}

#[test]
fn a_peer_without_the_feature_is_refused() {
    if cfg!(feature = "peers") {
        return;
    }
    let dir = ese_testkit::scratch_dir();
    let config = Config {
        engines: vec![EngineKind::Ese, EngineKind::Lmdb],
        ..small_config(dir.path())
    };
    let error = ese_bench::run(&config, &mut |_| {}).unwrap_err();
    assert!(error.to_string().contains("peers"), "{error}");
}
