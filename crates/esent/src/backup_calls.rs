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

use ese::api::{BackupFile, Instance, Jet, JetInstance};
use ese::Result;

use crate::boundary::*;
use crate::types::*;

pub(crate) fn instance(handle: JET_INSTANCE) -> Result<Instance> {
    let given = match handle {
        0 | JET_instanceNil => None,
        h => Some(h as JetInstance),
    };
    Jet::global().instance(given)
}

/// A `szz` list of `paths`, in the A (UTF-8) or W (UTF-16) form: each
/// name with its terminator, then one more.
fn file_list(paths: &[PathBuf], wide: bool) -> Vec<u8> {
    let encode = |text: &str| {
        if wide {
            W::encode(text)
        } else {
            A::encode(text)
        }
    };
    let mut out: Vec<u8> = paths
        .iter()
        .flat_map(|path| encode(&path.to_string_lossy()))
        .collect();
    out.extend(encode(""));
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

/// # Safety
/// The pointers are NULL or valid as the exported call documents them.
unsafe fn attach_info(
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
        // SAFETY: forwarded contract.
        unsafe {
            attach_info(
                instance_handle,
                szzDatabases.cast(),
                cbMax,
                pcbActual,
                false,
            )
        }
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
        // SAFETY: forwarded contract.
        unsafe { attach_info(instance_handle, szzDatabases.cast(), cbMax, pcbActual, true) }
    })
}

/// # Safety
/// The pointers are NULL or valid as the exported call documents them.
unsafe fn open_file(
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
        // SAFETY: forwarded contract.
        unsafe {
            open_file(
                instance_handle,
                name,
                phfFile,
                pulFileSizeLow,
                pulFileSizeHigh,
            )
        }
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
        // SAFETY: forwarded contract.
        unsafe {
            open_file(
                instance_handle,
                name,
                phfFile,
                pulFileSizeLow,
                pulFileSizeHigh,
            )
        }
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

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfoInstanceA(
    instance_handle: JET_INSTANCE,
    szzLogs: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    call("JetGetLogInfoInstance", || {
        // SAFETY: forwarded contract.
        unsafe {
            log_info2::<A>(
                instance_handle,
                szzLogs.cast(),
                cbMax,
                pcbActual,
                std::ptr::null_mut(),
            )
        }
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
        // SAFETY: forwarded contract.
        unsafe {
            log_info2::<W>(
                instance_handle,
                wszzLogs.cast(),
                cbMax,
                pcbActual,
                std::ptr::null_mut(),
            )
        }
    })
}

/// # Safety
/// The pointers are NULL or valid as the exported call documents them.
unsafe fn truncate_log_info(
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
        // SAFETY: forwarded contract.
        unsafe { truncate_log_info(instance_handle, szzLogs.cast(), cbMax, pcbActual, false) }
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
        // SAFETY: forwarded contract.
        unsafe { truncate_log_info(instance_handle, wszzLogs.cast(), cbMax, pcbActual, true) }
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

// The legacy forms: the same calls on the one instance of legacy mode
// (JetInit without JetCreateInstance), which instance handle 0 names.

#[no_mangle]
pub extern "C" fn JetBeginExternalBackup(grbit: JET_GRBIT) -> JET_ERR {
    JetBeginExternalBackupInstance(0, grbit)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetAttachInfoA(
    szzDatabases: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetAttachInfoInstanceA(0, szzDatabases, cbMax, pcbActual) }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetAttachInfoW(
    wszzDatabases: *mut WCHAR,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetAttachInfoInstanceW(0, wszzDatabases, cbMax, pcbActual) }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetAttachInfo(
    szzDatabases: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetAttachInfoInstanceA(0, szzDatabases, cbMax, pcbActual) }
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenFileA(
    szFileName: *const c_char,
    phfFile: *mut JET_HANDLE,
    pulFileSizeLow: *mut ULONG,
    pulFileSizeHigh: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetOpenFileInstanceA(0, szFileName, phfFile, pulFileSizeLow, pulFileSizeHigh) }
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenFileW(
    szFileName: *const WCHAR,
    phfFile: *mut JET_HANDLE,
    pulFileSizeLow: *mut ULONG,
    pulFileSizeHigh: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetOpenFileInstanceW(0, szFileName, phfFile, pulFileSizeLow, pulFileSizeHigh) }
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenFile(
    szFileName: *const c_char,
    phfFile: *mut JET_HANDLE,
    pulFileSizeLow: *mut ULONG,
    pulFileSizeHigh: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetOpenFileInstanceA(0, szFileName, phfFile, pulFileSizeLow, pulFileSizeHigh) }
}

#[no_mangle]
pub unsafe extern "C" fn JetReadFile(
    hfFile: JET_HANDLE,
    pv: *mut c_void,
    cb: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetReadFileInstance(0, hfFile, pv, cb, pcbActual) }
}

#[no_mangle]
pub extern "C" fn JetCloseFile(hfFile: JET_HANDLE) -> JET_ERR {
    JetCloseFileInstance(0, hfFile)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfoA(
    szzLogs: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetLogInfoInstanceA(0, szzLogs, cbMax, pcbActual) }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfoW(
    szzLogs: *mut WCHAR,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetLogInfoInstanceW(0, szzLogs, cbMax, pcbActual) }
}

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfo(
    szzLogs: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetLogInfoInstanceA(0, szzLogs, cbMax, pcbActual) }
}

#[no_mangle]
pub extern "C" fn JetTruncateLog() -> JET_ERR {
    JetTruncateLogInstance(0)
}

#[no_mangle]
pub extern "C" fn JetEndExternalBackup() -> JET_ERR {
    JetEndExternalBackupInstance(0)
}

/// JetGetLogInfoInstance(2): the logs to copy as a `szz` list and, with
/// JetGetLogInfoInstance2, their generations and base name in a
/// JET_LOGINFO (`cbSize` must be its size; NULL: not wanted).
/// # Safety
/// The pointers are NULL or valid as the exported call documents them.
unsafe fn log_info2<F: Form>(
    handle: JET_INSTANCE,
    out: *mut c_void,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
    pLogInfo: *mut JET_LOGINFO<F::Char>,
) -> Result<i32> {
    if !pLogInfo.is_null() {
        // SAFETY: not NULL; readable by the caller's contract.
        let given = unsafe { get(pLogInfo, "pLogInfo")? };
        let size = std::mem::size_of::<JET_LOGINFO<F::Char>>() as ULONG;
        if given.cbSize != size {
            return Err(
                ese::Error::new(ese::codes::JET_errInvalidParameter).with_detail(format!(
                    "JET_LOGINFO: cbSize {} is not its size {size}",
                    given.cbSize
                )),
            );
        }
    }
    let (paths, info) = instance(handle)?.get_log_info()?;
    // SAFETY: the caller's buffer and out-pointer (crate contract).
    unsafe { give_list(&file_list(&paths, F::WIDE), out, cbMax, pcbActual) };
    if !pLogInfo.is_null() {
        let name = F::fill::<4>(&info.base_name);
        let filled = JET_LOGINFO {
            cbSize: std::mem::size_of::<JET_LOGINFO<F::Char>>() as ULONG,
            ulGenLow: info.generation_low,
            ulGenHigh: info.generation_high,
            szBaseName: name,
        };
        // SAFETY: checked not NULL above; writable by the caller's contract.
        unsafe { put(pLogInfo, filled, "pLogInfo")? };
    }
    Ok(0)
}

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfoInstance2A(
    instance_handle: JET_INSTANCE,
    szzLogs: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
    pLogInfo: *mut JET_LOGINFO<c_char>,
) -> JET_ERR {
    call("JetGetLogInfoInstance2", || {
        // SAFETY: forwarded contract.
        unsafe { log_info2::<A>(instance_handle, szzLogs.cast(), cbMax, pcbActual, pLogInfo) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfoInstance2W(
    instance_handle: JET_INSTANCE,
    wszzLogs: *mut WCHAR,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
    pLogInfo: *mut JET_LOGINFO<WCHAR>,
) -> JET_ERR {
    call("JetGetLogInfoInstance2", || {
        // SAFETY: forwarded contract.
        unsafe { log_info2::<W>(instance_handle, wszzLogs.cast(), cbMax, pcbActual, pLogInfo) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetGetLogInfoInstance2(
    instance_handle: JET_INSTANCE,
    szzLogs: *mut c_char,
    cbMax: ULONG,
    pcbActual: *mut ULONG,
    pLogInfo: *mut JET_LOGINFO<c_char>,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetGetLogInfoInstance2A(instance_handle, szzLogs, cbMax, pcbActual, pLogInfo) }
}
