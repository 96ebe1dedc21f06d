//! The io layer on real files: positional I/O, syncs, the exclusive lock
//! (checked against a real second process), and every injectable fault.

use std::process::Command;

use ese::codes::*;
use ese::io::faulty::{Fault, FaultPlan, FaultyFile};
use ese::io::{FileIo, OpenMode, OsFile};

#[test]
fn positional_io_round_trips_and_grows_the_file() {
    let scratch = ese_testkit::scratch_dir();
    let path = scratch.path().join("data.bin");
    let file = OsFile::open(&path, OpenMode::CreateNew).unwrap();
    assert!(file.is_empty().unwrap());
    file.write_at(b"hello", 8192).unwrap();
    assert_eq!(file.len().unwrap(), 8197);
    let mut buffer = [0u8; 5];
    file.read_at(&mut buffer, 8192).unwrap();
    assert_eq!(&buffer, b"hello");
    file.sync_data().unwrap();
    file.set_len(4096).unwrap();
    assert_eq!(file.len().unwrap(), 4096);
    let error = file.read_at(&mut buffer, 4094).unwrap_err();
    assert_eq!(error.code(), JET_errFileIOBeyondEOF);

    drop(file);
    let again = OsFile::open(&path, OpenMode::CreateNew).unwrap_err();
    assert_eq!(again.code(), JET_errDatabaseDuplicate);
    let read_only = OsFile::open(&path, OpenMode::ReadOnly).unwrap();
    assert_eq!(
        read_only.write_at(b"x", 0).unwrap_err().code(),
        JET_errFileAccessDenied
    );
    assert_eq!(
        read_only.set_len(0).unwrap_err().code(),
        JET_errFileAccessDenied
    );
}

#[test]
fn a_writable_open_locks_the_file_against_others() {
    let scratch = ese_testkit::scratch_dir();
    let path = scratch.path().join("locked.edb");
    let file = OsFile::open(&path, OpenMode::CreateNew).unwrap();
    // A second open for writing in this process is refused...
    let second = OsFile::open(&path, OpenMode::ReadWrite).unwrap_err();
    assert_eq!(second.code(), JET_errFileAccessDenied, "{second}");
    // ...and so is another process's (util-linux flock, non-blocking).
    if let Ok(status) = Command::new("flock")
        .arg("-n")
        .arg(&path)
        .arg("true")
        .status()
    {
        assert!(!status.success(), "another process could lock the file");
    } else {
        println!("flock(1) not found: the cross-process half of the lock test is skipped");
    }
    // Readers without a lock may still read it.
    assert!(OsFile::open(&path, OpenMode::ReadOnly).is_ok());
    drop(file);
    // Once closed, the lock is gone.
    OsFile::open(&path, OpenMode::ReadWrite).unwrap();
}

fn faulty(
    faults: Vec<Fault>,
) -> (
    ese_testkit::TempDir,
    FaultyFile,
    std::sync::Arc<parking_lot::Mutex<FaultPlan>>,
) {
    let scratch = ese_testkit::scratch_dir();
    let inner = OsFile::open(scratch.path().join("f.bin"), OpenMode::CreateNew).unwrap();
    let plan = FaultPlan::new(faults);
    (
        scratch,
        FaultyFile::new(Box::new(inner), plan.clone()),
        plan,
    )
}

#[test]
fn injected_read_write_and_sync_errors_are_disk_io() {
    let (_dir, file, plan) = faulty(vec![
        Fault::WriteError { nth: 1 },
        Fault::ReadError { nth: 0 },
        Fault::SyncError { nth: 0 },
    ]);
    file.write_at(&[1; 4096], 0).unwrap();
    let error = file.write_at(&[2; 4096], 4096).unwrap_err();
    assert_eq!(error.code(), JET_errDiskIO);
    assert!(error.to_string().contains("injected"), "{error}");
    assert_eq!(file.len().unwrap(), 4096, "a failed write stores nothing");
    let mut buffer = [0u8; 4096];
    assert_eq!(
        file.read_at(&mut buffer, 0).unwrap_err().code(),
        JET_errDiskIO
    );
    file.read_at(&mut buffer, 0).unwrap();
    assert_eq!(buffer, [1; 4096], "data written before the fault is intact");
    assert_eq!(file.sync_data().unwrap_err().code(), JET_errDiskIO);
    file.sync_data().unwrap();
    assert_eq!(plan.lock().fired.len(), 3);
}

#[test]
fn short_and_torn_writes_store_part_of_the_data() {
    let (_dir, file, _plan) = faulty(vec![
        Fault::ShortWrite { nth: 0, kept: 100 },
        Fault::TornWrite { nth: 1, kept: 512 },
    ]);
    assert_eq!(
        file.write_at(&[7; 4096], 0).unwrap_err().code(),
        JET_errDiskIO
    );
    assert_eq!(file.len().unwrap(), 100);
    // The torn write claims success but only its first sector landed.
    file.write_at(&[9; 4096], 4096).unwrap();
    assert_eq!(file.len().unwrap(), 4096 + 512);
    let mut buffer = vec![0u8; 512];
    file.read_at(&mut buffer, 4096).unwrap();
    assert!(buffer.iter().all(|&b| b == 9));
}

#[test]
fn a_full_disk_refuses_writes_and_growth_past_its_capacity() {
    let (_dir, file, plan) = faulty(vec![Fault::DiskFull { capacity: 10_000 }]);
    file.write_at(&[1; 8192], 0).unwrap();
    assert_eq!(
        file.write_at(&[1; 4096], 8192).unwrap_err().code(),
        JET_errDiskFull
    );
    assert_eq!(file.set_len(20_000).unwrap_err().code(), JET_errDiskFull);
    assert_eq!(file.len().unwrap(), 8192);
    plan.lock().reset(Vec::new());
    file.write_at(&[1; 4096], 8192).unwrap();
}
