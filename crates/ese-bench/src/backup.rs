//! The backup suite, this engine alone: a full backup (JetBackupInstance:
//! every page read and checksum-verified, databases and logs written and
//! synced) of a database of `backup_mib` MiB, against `cp` of the same file
//! followed by an fsync of the copy, then the restore of that backup
//! (JetRestoreInstance: files copied back, logs replayed, clean shutdown).
//!
//! The database is one table of 24-byte keys and 64 KiB long values,
//! so that it reaches its size quickly; the backup reads pages whatever
//! they hold. Files are in the page cache for both copies.

use std::path::Path;
use std::time::Instant;

use ese::api::grbit::*;
use ese::api::*;

use crate::data::Rng;
use crate::report::{Figure, Report};
use crate::{check, BenchResult, Config, EngineKind};
use ese::format::constants::*;

const SUITE: &str = "backup (this engine alone)";
const VALUE: usize = 64 << 10;

/// The workload names, for the report and the smoke test.
pub fn workload_names(config: &Config) -> [String; 3] {
    let mib = config.backup_mib;
    [
        format!("cp of the {mib} MiB database file, then fsync"),
        format!("full backup (JetBackupInstance) of the {mib} MiB database"),
        "restore (JetRestoreInstance) of that backup".to_string(),
    ]
}

pub fn run(
    config: &Config,
    report: &mut Report,
    progress: &mut dyn FnMut(&str),
) -> BenchResult<()> {
    let names = workload_names(config);
    let dir = config.dir.join("ese-backup");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut options = InstanceOptions::new(dir.join("system"));
    options.cache_max_pages = config.cache_bytes / 8192;
    let instance = Instance::new(options.clone())?;
    let path = dir.join("backup.edb");
    let rows = (config.backup_mib << 20) / VALUE;
    progress(&format!("backup: loading {rows} rows of 64 KiB"));
    {
        let session = instance.begin_session()?;
        let dbid = session.create_database(&path, 0)?;
        let mut create = TableCreate {
            name: "blobs".into(),
            columns: vec![
                ColumnCreate::new("Key", JET_coltypBinary, JET_bitColumnNotNULL),
                ColumnCreate::new("Value", JET_coltypLongBinary, 0),
            ],
            indexes: vec![IndexCreate::new("ByKey", "+Key\0\0", JET_bitIndexPrimary)],
            ..Default::default()
        };
        let mut cursor = session.create_table_column_index(dbid, &mut create)?;
        let (key, value) = (create.columns[0].column_id, create.columns[1].column_id);
        let mut rng = Rng::new(config.seed);
        let mut bytes = vec![0u8; VALUE];
        for chunk in (0..rows).collect::<Vec<_>>().chunks(256) {
            session.begin_transaction()?;
            for &row in chunk {
                let mut k = [0u8; 24];
                k[..8].copy_from_slice(&(row as u64).to_be_bytes());
                rng.fill(&mut bytes);
                cursor.prepare_update(JET_prepInsert)?;
                cursor.set_column(key, Some(&k), 0, None)?;
                cursor.set_column(value, Some(&bytes), 0, None)?;
                cursor.update()?;
            }
            session.commit_transaction(0)?;
        }
        drop(cursor);
        session.close_database(dbid, 0)?;
    }
    let size = std::fs::metadata(&path)?.len();
    // cp, then fsync of the copy (a backup is durable when it returns).
    let copy = dir.join("copy.edb");
    let started = Instant::now();
    let status = std::process::Command::new("cp")
        .arg(&path)
        .arg(&copy)
        .status()?;
    check(status.success(), || "cp failed".into())?;
    std::fs::File::open(&copy)?.sync_all()?;
    let cp_time = started.elapsed();
    std::fs::remove_file(&copy)?;
    report.record(SUITE, &names[0], EngineKind::Ese, Figure::Time(cp_time));
    progress(&format!("backup: cp {size} bytes in {cp_time:?}"));
    // The backup.
    let target = dir.join("backup");
    let started = Instant::now();
    let mut written = 0;
    instance.backup(
        &target,
        0,
        Some(&mut |p: Progress| {
            if p.event == JET_sntProgress {
                written = p.done;
            }
        }),
    )?;
    let backup_time = started.elapsed();
    report.record(SUITE, &names[1], EngineKind::Ese, Figure::Time(backup_time));
    let share = (size as f64 / backup_time.as_secs_f64()) / (size as f64 / cp_time.as_secs_f64());
    progress(&format!(
        "backup: {written} bytes (database {size}) in {backup_time:?}: {:.0} % of cp's rate",
        share * 100.0
    ));
    instance.term()?;
    // The restore, into other directories.
    let started = Instant::now();
    let restored = Instance::restore(
        InstanceOptions::new(dir.join("restore-system")),
        &target,
        Some(&dir.join("restored")),
        None,
    )?;
    let restore_time = started.elapsed();
    check(
        restored.databases.len() == 1 && dir.join("restored").join("backup.edb").is_file(),
        || "the restore wrote no database".into(),
    )?;
    report.record(
        SUITE,
        &names[2],
        EngineKind::Ese,
        Figure::Time(restore_time),
    );
    progress(&format!("backup: restore in {restore_time:?}"));
    check_restored(&dir.join("restored").join("backup.edb"), size)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The restored file is as large as the source and in clean shutdown.
fn check_restored(path: &Path, size: u64) -> BenchResult<()> {
    let file = ese::database_file::DatabaseFile::open(path)?;
    check(
        file.header().state == ese::format::constants::JET_dbstateCleanShutdown,
        || "the restored database is not in clean shutdown".into(),
    )?;
    check(std::fs::metadata(path)?.len() >= size, || {
        "the restored database is shorter than the source".into()
    })
}
