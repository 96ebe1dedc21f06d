//! Streaming backup of a running instance: JetBeginExternalBackupInstance,
//! JetGetAttachInfoInstance, JetOpenFileInstance, JetReadFileInstance,
//! JetCloseFileInstance, JetGetLogInfoInstance,
//! JetGetTruncateLogInfoInstance, JetTruncateLogInstance,
//! JetEndExternalBackupInstance(2). (JetStopBackupInstance is with the
//! other instance calls.)
//!
//! The file lists come back as ESENT gives them: a list of NUL-terminated
//! names ended by a second NUL (`szz`), UTF-8 in the A forms and UTF-16 in
//! the W forms. As much of the list as fits goes into the caller's buffer
//! and `pcbActual` receives its whole size, so that a first call with a
//! NULL buffer asks the size.

use std::ffi::{c_char, c_void};
use std::path::{Path, PathBuf};

use ese::api::{BackupFile, Instance, Jet, JetInstance, Progress};
use ese::Result;

use crate::boundary::*;
use crate::types::*;

fn instance(handle: JET_INSTANCE) -> Result<Instance> {
    let given = match handle {
        0 | JET_instanceNil => None,
        h => Some(h as JetInstance),
    };
    Jet::global().instance(given)
}

/// A `szz` list of `paths`, in the A (UTF-8) or W (UTF-16) form.
fn file_list(paths: &[PathBuf], wide: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for path in paths {
        let text = path.to_string_lossy();
        if wide {
            out.extend(text.encode_utf16().chain([0]).flat_map(u16::to_le_bytes));
        } else {
            out.extend(text.bytes().chain([0]));
        }
    }
    if wide {
        out.extend([0, 0]);
    } else {
        out.push(0);
    }
    out
}

/// Gives the caller what fits of `list` and its whole size.
///
/// # Safety
/// `out` is NULL or `cbMax` writable bytes; `pcbActual` NULL or writable.
unsafe fn give_list(list: &[u8], out: *mut c_void, cbMax: ULONG, pcbActual: *mut ULONG) {
    // SAFETY: forwarded contract.
    copy_out(list, unsafe { buffer(out, cbMax) });
    // SAFETY: forwarded contract.
    unsafe { put_opt(pcbActual, list.len() as ULONG) };
}

#[no_mangle]
pub extern "C" fn JetBeginExternalBackupInstance(
    instance_handle: JET_INSTANCE,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetBeginExternalBackupInstance", || {
        instance(instance_handle)?
            .begin_external_backup(grbit)
            .map(|()| 0)
    })
}

fn attach_info(
    handle: JET_INSTANCE,
    out: *mut c_void,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
    wide: bool,
) -> Result<i32> {
    let paths = instance(handle)?.get_attach_info()?;
    // SAFETY: the caller's buffer and out-pointer (crate contract).
    unsafe { give_list(&file_list(&paths, wide), out, cbMax, pcbActual) };
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetAttachInfoInstanceA(
    instance_handle: JET_INSTANCE,
    szzDatabases: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetGetAttachInfoInstance", || {
        attach_info(
            instance_handle,
            szzDatabases.cast(),
            cbMax,
            pcbActual,
            false,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetAttachInfoInstanceW(
    instance_handle: JET_INSTANCE,
    szzDatabases: *mut WCHAR,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetGetAttachInfoInstance", || {
        attach_info(instance_handle, szzDatabases.cast(), cbMax, pcbActual, true)
    })
}

fn open_file(
    handle: JET_INSTANCE,
    name: Option<String>,
    phfFile: *mut JET_HANDLE,
    low: *mut ULONG,
    high: *mut ULONG,
) -> Result<i32> {
    let name = required(name, "szFileName")?;
    if phfFile.is_null() || low.is_null() || high.is_null() {
        return Err(null("an out-parameter of JetOpenFileInstance"));
    }
    let (file, size) = instance(handle)?.open_backup_file(Path::new(&name))?;
    // SAFETY: checked not NULL; writable by the caller's contract.
    unsafe {
        put(phfFile, file.0 as JET_HANDLE, "phfFile")?;
        put(low, size.low, "pulFileSizeLow")?;
        put(high, size.high, "pulFileSizeHigh")?;
    }
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenFileInstanceA(
    instance_handle: JET_INSTANCE,
    szFileName: *const c_char,
    phfFile: *mut JET_HANDLE,
    pulFileSizeLow: *mut ULONG,
    pulFileSizeHigh: *mut ULONG,
) -> JET_ERR {
    call("JetOpenFileInstance", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { a_text(szFileName)? };
        open_file(
            instance_handle,
            name,
            phfFile,
            pulFileSizeLow,
            pulFileSizeHigh,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenFileInstanceW(
    instance_handle: JET_INSTANCE,
    szFileName: *const WCHAR,
    phfFile: *mut JET_HANDLE,
    pulFileSizeLow: *mut ULONG,
    pulFileSizeHigh: *mut ULONG,
) -> JET_ERR {
    call("JetOpenFileInstance", || {
        // SAFETY: the caller's string (crate contract).
        let name = unsafe { w_text(szFileName)? };
        open_file(
            instance_handle,
            name,
            phfFile,
            pulFileSizeLow,
            pulFileSizeHigh,
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetReadFileInstance(
    instance_handle: JET_INSTANCE,
    hfFile: JET_HANDLE,
    pv: *mut c_void,
    cb: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetReadFileInstance", || {
        if pv.is_null() && cb != 0 {
            return Err(null("pv"));
        }
        // SAFETY: the caller's buffer of cb bytes (crate contract).
        let out = unsafe { buffer(pv, cb) };
        let read = instance(instance_handle)?.read_backup_file(BackupFile(hfFile as u64), out)?;
        // SAFETY: NULL allowed (not wanted).
        unsafe { put_opt(pcbActual, read as ULONG) };
        Ok(0)
    })
}

#[no_mangle]
pub extern "C" fn JetCloseFileInstance(
    instance_handle: JET_INSTANCE,
    hfFile: JET_HANDLE,
) -> JET_ERR {
    call("JetCloseFileInstance", || {
        instance(instance_handle)?
            .close_backup_file(BackupFile(hfFile as u64))
            .map(|()| 0)
    })
}

fn log_info(
    handle: JET_INSTANCE,
    out: *mut c_void,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
    wide: bool,
) -> Result<i32> {
    let (paths, _) = instance(handle)?.get_log_info()?;
    // SAFETY: the caller's buffer and out-pointer (crate contract).
    unsafe { give_list(&file_list(&paths, wide), out, cbMax, pcbActual) };
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfoInstanceA(
    instance_handle: JET_INSTANCE,
    szzLogs: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetGetLogInfoInstance", || {
        log_info(instance_handle, szzLogs.cast(), cbMax, pcbActual, false)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfoInstanceW(
    instance_handle: JET_INSTANCE,
    wszzLogs: *mut WCHAR,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetGetLogInfoInstance", || {
        log_info(instance_handle, wszzLogs.cast(), cbMax, pcbActual, true)
    })
}

fn truncate_log_info(
    handle: JET_INSTANCE,
    out: *mut c_void,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
    wide: bool,
) -> Result<i32> {
    let paths = instance(handle)?.get_truncate_log_info()?;
    // SAFETY: the caller's buffer and out-pointer (crate contract).
    unsafe { give_list(&file_list(&paths, wide), out, cbMax, pcbActual) };
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTruncateLogInfoInstanceA(
    instance_handle: JET_INSTANCE,
    szzLogs: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetGetTruncateLogInfoInstance", || {
        truncate_log_info(instance_handle, szzLogs.cast(), cbMax, pcbActual, false)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTruncateLogInfoInstanceW(
    instance_handle: JET_INSTANCE,
    wszzLogs: *mut WCHAR,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetGetTruncateLogInfoInstance", || {
        truncate_log_info(instance_handle, wszzLogs.cast(), cbMax, pcbActual, true)
    })
}

#[no_mangle]
pub extern "C" fn JetTruncateLogInstance(instance_handle: JET_INSTANCE) -> JET_ERR {
    call("JetTruncateLogInstance", || {
        instance(instance_handle)?.truncate_log().map(|()| 0)
    })
}

/// JetEndExternalBackupInstance: the normal end (JET_bitBackupEndNormal).
#[no_mangle]
pub extern "C" fn JetEndExternalBackupInstance(instance_handle: JET_INSTANCE) -> JET_ERR {
    call("JetEndExternalBackupInstance", || {
        instance(instance_handle)?
            .end_external_backup_normal()
            .map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetEndExternalBackupInstance2(
    instance_handle: JET_INSTANCE,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetEndExternalBackupInstance2", || {
        instance(instance_handle)?
            .end_external_backup(grbit)
            .map(|()| 0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetAttachInfoInstance(
    instance_handle: JET_INSTANCE,
    szzDatabases: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetAttachInfoInstanceA(instance_handle, szzDatabases, cbMax, pcbActual) }
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenFileInstance(
    instance_handle: JET_INSTANCE,
    szFileName: *const c_char,
    phfFile: *mut JET_HANDLE,
    pulFileSizeLow: *mut ULONG,
    pulFileSizeHigh: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe {
        JetOpenFileInstanceA(
            instance_handle,
            szFileName,
            phfFile,
            pulFileSizeLow,
            pulFileSizeHigh,
        )
    }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfoInstance(
    instance_handle: JET_INSTANCE,
    szzLogs: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetLogInfoInstanceA(instance_handle, szzLogs, cbMax, pcbActual) }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetTruncateLogInfoInstance(
    instance_handle: JET_INSTANCE,
    szzLogs: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetTruncateLogInfoInstanceA(instance_handle, szzLogs, cbMax, pcbActual) }
}

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
