//! Backups into a directory and restores: JetBackupInstance, JetBackup,
//! JetRestoreInstance, JetRestore(2), JetExternalRestore(2), with the
//! JET_PFNSTATUS progress callback (JET_SNPROG).

use std::ffi::c_char;
use std::path::{Path, PathBuf};

use ese::api::{Jet, JetInstance, Progress};
use ese::codes::*;
use ese::{Error, Result};

use crate::backup_calls::instance;
use crate::boundary::*;
use crate::types::*;

/// Calls a program's JET_PFNSTATUS with a JET_SNPROG for each progress
/// report (units: bytes, scaled to fit 32 bits).
fn status_adapter(callback: JET_PFNSTATUS) -> impl FnMut(Progress) {
    move |progress: Progress| {
        let Some(callback) = callback else {
            return;
        };
        let mut scale = 0;
        while progress.total >> scale > u64::from(u32::MAX) {
            scale += 1;
        }
        let mut units = JET_SNPROG {
            cbStruct: std::mem::size_of::<JET_SNPROG>() as ULONG,
            cunitDone: (progress.done >> scale) as ULONG,
            cunitTotal: (progress.total >> scale) as ULONG,
        };
        // SAFETY: the program's callback, given what ESENT gives it.
        let _ = unsafe {
            callback(
                0,
                progress.operation,
                progress.event,
                (&mut units as *mut JET_SNPROG).cast(),
            )
        };
    }
}

fn backup_instance(
    handle: Option<JET_INSTANCE>,
    path: Option<String>,
    grbit: JET_GRBIT,
    status: JET_PFNSTATUS,
) -> Result<i32> {
    let path = required(path, "szBackupPath")?;
    let target = match handle {
        Some(h) => instance(h)?,
        None => Jet::global().instance(None)?,
    };
    let mut report = status_adapter(status);
    target
        .backup(Path::new(&path), grbit, Some(&mut report))
        .map(|()| 0)
}

#[no_mangle]
pub unsafe extern "C" fn JetBackupInstanceA(
    instance_handle: JET_INSTANCE,
    szBackupPath: *const c_char,
    grbit: JET_GRBIT,
    pfnStatus: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetBackupInstance", || {
        // SAFETY: the caller's string (crate contract).
        let path = unsafe { a_text(szBackupPath)? };
        backup_instance(Some(instance_handle), path, grbit, pfnStatus)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetBackupInstanceW(
    instance_handle: JET_INSTANCE,
    szBackupPath: *const WCHAR,
    grbit: JET_GRBIT,
    pfnStatus: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetBackupInstance", || {
        // SAFETY: the caller's string (crate contract).
        let path = unsafe { w_text(szBackupPath)? };
        backup_instance(Some(instance_handle), path, grbit, pfnStatus)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetBackupInstance(
    instance_handle: JET_INSTANCE,
    szBackupPath: *const c_char,
    grbit: JET_GRBIT,
    pfnStatus: JET_PFNSTATUS,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetBackupInstanceA(instance_handle, szBackupPath, grbit, pfnStatus) }
}

/// JetBackup: JetBackupInstance of the legacy instance.
#[no_mangle]
pub unsafe extern "C" fn JetBackupA(
    szBackupPath: *const c_char,
    grbit: JET_GRBIT,
    pfnStatus: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetBackup", || {
        // SAFETY: the caller's string (crate contract).
        let path = unsafe { a_text(szBackupPath)? };
        backup_instance(None, path, grbit, pfnStatus)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetBackupW(
    szBackupPath: *const WCHAR,
    grbit: JET_GRBIT,
    pfnStatus: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetBackup", || {
        // SAFETY: the caller's string (crate contract).
        let path = unsafe { w_text(szBackupPath)? };
        backup_instance(None, path, grbit, pfnStatus)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetBackup(
    szBackupPath: *const c_char,
    grbit: JET_GRBIT,
    pfnStatus: JET_PFNSTATUS,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetBackupA(szBackupPath, grbit, pfnStatus) }
}

fn restore(
    handle: Option<JET_INSTANCE>,
    source: Option<String>,
    destination: Option<String>,
    status: JET_PFNSTATUS,
) -> Result<i32> {
    let source = required(source, "szSource")?;
    let given = handle.and_then(|h| match h {
        0 | JET_instanceNil => None,
        h => Some(h as JetInstance),
    });
    let mut report = status_adapter(status);
    Jet::global()
        .restore_instance(
            given,
            Path::new(&source),
            destination.as_deref().map(Path::new),
            Some(&mut report),
        )
        .map(|_| 0)
}

/// JetRestoreInstance: `instance` created, not initialized; the databases
/// go back where they were backed up from, or into `szDestination` when
/// it is given.
#[no_mangle]
pub unsafe extern "C" fn JetRestoreInstanceA(
    instance_handle: JET_INSTANCE,
    sz: *const c_char,
    szDestination: *const c_char,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetRestoreInstance", || {
        // SAFETY: the caller's strings (crate contract).
        let (source, destination) = unsafe { (a_text(sz)?, a_text(szDestination)?) };
        restore(Some(instance_handle), source, destination, pfn)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRestoreInstanceW(
    instance_handle: JET_INSTANCE,
    sz: *const WCHAR,
    szDestination: *const WCHAR,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetRestoreInstance", || {
        // SAFETY: the caller's strings (crate contract).
        let (source, destination) = unsafe { (w_text(sz)?, w_text(szDestination)?) };
        restore(Some(instance_handle), source, destination, pfn)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRestoreInstance(
    instance_handle: JET_INSTANCE,
    sz: *const c_char,
    szDestination: *const c_char,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetRestoreInstanceA(instance_handle, sz, szDestination, pfn) }
}

/// JetRestore: a restore in legacy mode, before JetInit.
#[no_mangle]
pub unsafe extern "C" fn JetRestoreA(sz: *const c_char, pfn: JET_PFNSTATUS) -> JET_ERR {
    call("JetRestore", || {
        // SAFETY: the caller's string (crate contract).
        let source = unsafe { a_text(sz)? };
        restore(None, source, None, pfn)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRestoreW(sz: *const WCHAR, pfn: JET_PFNSTATUS) -> JET_ERR {
    call("JetRestore", || {
        // SAFETY: the caller's string (crate contract).
        let source = unsafe { w_text(sz)? };
        restore(None, source, None, pfn)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRestore(sz: *const c_char, pfn: JET_PFNSTATUS) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetRestoreA(sz, pfn) }
}

#[no_mangle]
pub unsafe extern "C" fn JetRestore2A(
    sz: *const c_char,
    szDest: *const c_char,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetRestore2", || {
        // SAFETY: the caller's strings (crate contract).
        let (source, destination) = unsafe { (a_text(sz)?, a_text(szDest)?) };
        restore(None, source, destination, pfn)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRestore2W(
    sz: *const WCHAR,
    szDest: *const WCHAR,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetRestore2", || {
        // SAFETY: the caller's strings (crate contract).
        let (source, destination) = unsafe { (w_text(sz)?, w_text(szDest)?) };
        restore(None, source, destination, pfn)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetRestore2(
    sz: *const c_char,
    szDest: *const c_char,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetRestore2A(sz, szDest, pfn) }
}

/// A JET_RSTMAP array as (from, to) pairs.
///
/// # Safety
/// `map` is NULL (with `count` 0) or `count` readable entries whose
/// strings are NULL or NUL-terminated.
pub(crate) unsafe fn restore_map<F: Form>(
    map: *const JET_RSTMAP<F::Char>,
    count: LONG,
) -> Result<Vec<(PathBuf, PathBuf)>> {
    if count < 0 {
        return Err(Error::new(JET_errInvalidParameter).with_detail("a negative crstfilemap"));
    }
    if count > 0 && map.is_null() {
        return Err(null("rgrstmap"));
    }
    let mut pairs = Vec::new();
    for i in 0..count as usize {
        // SAFETY: within the caller's `count` entries.
        let entry = unsafe { map.add(i).read_unaligned() };
        // SAFETY: the entry's strings (caller's contract).
        let (from, to) = unsafe {
            (
                F::text(entry.szDatabaseName)?,
                F::text(entry.szNewDatabaseName)?,
            )
        };
        let from = required(from, "JET_RSTMAP's szDatabaseName")?;
        let to = required(to, "JET_RSTMAP's szNewDatabaseName")?;
        pairs.push((PathBuf::from(from), PathBuf::from(to)));
    }
    Ok(pairs)
}

/// What JetExternalRestore(2) is given, read in either form.
struct ExternalRestore {
    checkpoint: Option<String>,
    logs: Option<String>,
    map: Vec<(PathBuf, PathBuf)>,
    backup: Option<String>,
    base_name: Option<String>,
    low: u32,
    high: u32,
    target_logs: Option<String>,
    target_checkpoint: Option<String>,
}

fn external_restore(given: ExternalRestore, status: JET_PFNSTATUS) -> Result<i32> {
    // The target instance's paths come as a pair or not at all.
    if given.target_logs.is_some() != given.target_checkpoint.is_some() {
        return Err(Error::new(JET_errInvalidParameter).with_detail(
            "szTargetInstanceLogPath and szTargetInstanceCheckpointPath go together",
        ));
    }
    let backup = required(given.backup, "szBackupLogPath")?;
    let logs = given
        .target_logs
        .or(given.logs)
        .unwrap_or_else(|| backup.clone());
    let checkpoint = given
        .target_checkpoint
        .or(given.checkpoint)
        .unwrap_or_else(|| logs.clone());
    let mut report = status_adapter(status);
    Jet::global()
        .external_restore(
            Path::new(&checkpoint),
            Path::new(&logs),
            given.base_name.as_deref(),
            Path::new(&backup),
            &given.map,
            given.low,
            given.high,
            Some(&mut report),
        )
        .map(|_| 0)
}

/// JetExternalRestore: a streaming backup's files restored. The
/// databases are in `szBackupLogPath` beside the logs, or already where
/// `rgrstmap` sends them; the logs from `genLow` to `genHigh` are
/// replayed in `szLogPath` (the backup's own directory when NULL) and the
/// checkpoint goes to `szCheckpointFilePath`.
unsafe fn external_restore1<F: Form>(
    szCheckpointFilePath: *const F::Char,
    szLogPath: *const F::Char,
    rgrstmap: *const JET_RSTMAP<F::Char>,
    crstfilemap: LONG,
    szBackupLogPath: *const F::Char,
    genLow: LONG,
    genHigh: LONG,
    pfn: JET_PFNSTATUS,
) -> Result<i32> {
    // SAFETY: the caller's strings and map (crate contract).
    let given = unsafe {
        ExternalRestore {
            checkpoint: F::text(szCheckpointFilePath)?,
            logs: F::text(szLogPath)?,
            map: restore_map::<F>(rgrstmap, crstfilemap)?,
            backup: F::text(szBackupLogPath)?,
            base_name: None,
            low: genLow as u32,
            high: genHigh as u32,
            target_logs: None,
            target_checkpoint: None,
        }
    };
    external_restore(given, pfn)
}

#[no_mangle]
pub unsafe extern "C" fn JetExternalRestoreA(
    szCheckpointFilePath: *const c_char,
    szLogPath: *const c_char,
    rgrstmap: *const JET_RSTMAP<c_char>,
    crstfilemap: LONG,
    szBackupLogPath: *const c_char,
    genLow: LONG,
    genHigh: LONG,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetExternalRestore", || {
        // SAFETY: forwarded contract.
        unsafe {
            external_restore1::<A>(
                szCheckpointFilePath,
                szLogPath,
                rgrstmap,
                crstfilemap,
                szBackupLogPath,
                genLow,
                genHigh,
                pfn,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetExternalRestoreW(
    szCheckpointFilePath: *const WCHAR,
    szLogPath: *const WCHAR,
    rgrstmap: *const JET_RSTMAP<WCHAR>,
    crstfilemap: LONG,
    szBackupLogPath: *const WCHAR,
    genLow: LONG,
    genHigh: LONG,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetExternalRestore", || {
        // SAFETY: forwarded contract.
        unsafe {
            external_restore1::<W>(
                szCheckpointFilePath,
                szLogPath,
                rgrstmap,
                crstfilemap,
                szBackupLogPath,
                genLow,
                genHigh,
                pfn,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetExternalRestore(
    szCheckpointFilePath: *const c_char,
    szLogPath: *const c_char,
    rgrstmap: *const JET_RSTMAP<c_char>,
    crstfilemap: LONG,
    szBackupLogPath: *const c_char,
    genLow: LONG,
    genHigh: LONG,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe {
        JetExternalRestoreA(
            szCheckpointFilePath,
            szLogPath,
            rgrstmap,
            crstfilemap,
            szBackupLogPath,
            genLow,
            genHigh,
            pfn,
        )
    }
}

/// JetExternalRestore2: as JetExternalRestore, with the generations and
/// the log base name in a JET_LOGINFO (as JetGetLogInfoInstance2 filled
/// it) and the target instance's log and checkpoint paths (both or
/// neither: `JET_errInvalidParameter`), which take the place of
/// `szLogPath` and `szCheckpointFilePath`. `szTargetInstanceName` is
/// deprecated and ignored, as the page says.
unsafe fn external_restore2<F: Form>(
    szCheckpointFilePath: *const F::Char,
    szLogPath: *const F::Char,
    rgrstmap: *const JET_RSTMAP<F::Char>,
    crstfilemap: LONG,
    szBackupLogPath: *const F::Char,
    pLogInfo: *const JET_LOGINFO<F::Char>,
    szTargetInstanceLogPath: *const F::Char,
    szTargetInstanceCheckpointPath: *const F::Char,
    pfn: JET_PFNSTATUS,
) -> Result<i32> {
    // SAFETY: the caller's structure (crate contract).
    let info = unsafe { get(pLogInfo, "pLogInfo")? };
    let size = std::mem::size_of::<JET_LOGINFO<F::Char>>() as ULONG;
    if info.cbSize != size {
        return Err(Error::new(JET_errInvalidParameter).with_detail(format!(
            "JET_LOGINFO: cbSize {} is not its size {size}",
            info.cbSize
        )));
    }
    let units: Vec<u16> = info
        .szBaseName
        .iter()
        .map(|&c| c.into() as u16 & if F::WIDE { 0xffff } else { 0xff })
        .take_while(|&u| u != 0)
        .collect();
    let base_name = String::from_utf16(&units)
        .map_err(|_| Error::new(JET_errInvalidParameter).with_detail("JET_LOGINFO's szBaseName"))?;
    // SAFETY: the caller's strings and map (crate contract).
    let given = unsafe {
        ExternalRestore {
            checkpoint: F::text(szCheckpointFilePath)?,
            logs: F::text(szLogPath)?,
            map: restore_map::<F>(rgrstmap, crstfilemap)?,
            backup: F::text(szBackupLogPath)?,
            base_name: (!base_name.is_empty()).then_some(base_name),
            low: info.ulGenLow,
            high: info.ulGenHigh,
            target_logs: F::text(szTargetInstanceLogPath)?,
            target_checkpoint: F::text(szTargetInstanceCheckpointPath)?,
        }
    };
    external_restore(given, pfn)
}

#[no_mangle]
pub unsafe extern "C" fn JetExternalRestore2A(
    szCheckpointFilePath: *const c_char,
    szLogPath: *const c_char,
    rgrstmap: *const JET_RSTMAP<c_char>,
    crstfilemap: LONG,
    szBackupLogPath: *const c_char,
    pLogInfo: *const JET_LOGINFO<c_char>,
    _szTargetInstanceName: *const c_char,
    szTargetInstanceLogPath: *const c_char,
    szTargetInstanceCheckpointPath: *const c_char,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetExternalRestore2", || {
        // SAFETY: forwarded contract.
        unsafe {
            external_restore2::<A>(
                szCheckpointFilePath,
                szLogPath,
                rgrstmap,
                crstfilemap,
                szBackupLogPath,
                pLogInfo,
                szTargetInstanceLogPath,
                szTargetInstanceCheckpointPath,
                pfn,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetExternalRestore2W(
    szCheckpointFilePath: *const WCHAR,
    szLogPath: *const WCHAR,
    rgrstmap: *const JET_RSTMAP<WCHAR>,
    crstfilemap: LONG,
    szBackupLogPath: *const WCHAR,
    pLogInfo: *const JET_LOGINFO<WCHAR>,
    _szTargetInstanceName: *const WCHAR,
    szTargetInstanceLogPath: *const WCHAR,
    szTargetInstanceCheckpointPath: *const WCHAR,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    call("JetExternalRestore2", || {
        // SAFETY: forwarded contract.
        unsafe {
            external_restore2::<W>(
                szCheckpointFilePath,
                szLogPath,
                rgrstmap,
                crstfilemap,
                szBackupLogPath,
                pLogInfo,
                szTargetInstanceLogPath,
                szTargetInstanceCheckpointPath,
                pfn,
            )
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetExternalRestore2(
    szCheckpointFilePath: *const c_char,
    szLogPath: *const c_char,
    rgrstmap: *const JET_RSTMAP<c_char>,
    crstfilemap: LONG,
    szBackupLogPath: *const c_char,
    pLogInfo: *const JET_LOGINFO<c_char>,
    szTargetInstanceName: *const c_char,
    szTargetInstanceLogPath: *const c_char,
    szTargetInstanceCheckpointPath: *const c_char,
    pfn: JET_PFNSTATUS,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe {
        JetExternalRestore2A(
            szCheckpointFilePath,
            szLogPath,
            rgrstmap,
            crstfilemap,
            szBackupLogPath,
            pLogInfo,
            szTargetInstanceName,
            szTargetInstanceLogPath,
            szTargetInstanceCheckpointPath,
            pfn,
        )
    }
}
