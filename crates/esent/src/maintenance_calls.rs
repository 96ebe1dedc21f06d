//! Online maintenance: JetDefragment and JetDefragment2 (a database's
//! background defragmentation task, started, stopped or asked about).

use std::ffi::c_char;

use ese::api::grbit::{JET_bitDefragmentBatchStart, JET_cbtypOnlineDefragCompleted};
use ese::api::{DbId, DefragCallback};
use ese::Result;

use crate::boundary::*;
use crate::handles;
use crate::types::*;

/// Both calls: `pcPasses` and `pcSeconds` are read as the limits (NULL:
/// none) when a task starts, and receive what the task did when it is
/// stopped or asked about; `callback` (JetDefragment2)
/// is called once when a task started here ends by itself, with
/// JET_cbtypOnlineDefragCompleted, the session and the database handle.
unsafe fn defragment(
    sesid: JET_SESID,
    dbid: JET_DBID,
    table: Option<String>,
    pcPasses: *mut ULONG,
    pcSeconds: *mut ULONG,
    callback: JET_CALLBACK,
    grbit: JET_GRBIT,
) -> Result<i32> {
    let entry = handles::session(sesid)?;
    // NULL: no limit.
    let limit = |count: *mut ULONG, what: &str| -> Result<ULONG> {
        if count.is_null() {
            return Ok(0);
        }
        // SAFETY: not NULL; readable by the caller's contract.
        unsafe { get(count, what) }
    };
    let passes = limit(pcPasses, "pcPasses")?;
    let seconds = limit(pcSeconds, "pcSeconds")?;
    let completed: Option<DefragCallback> = callback.map(|function| {
        Box::new(move |database: DbId| {
            // SAFETY: the program's JET_CALLBACK, given what ESENT gives
            // it for a completed defragmentation.
            unsafe {
                function(
                    sesid,
                    database.0,
                    JET_tableidNil,
                    JET_cbtypOnlineDefragCompleted,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    0,
                );
            }
        }) as DefragCallback
    });
    let outcome = entry.session.defragment2(
        DbId(dbid),
        table.as_deref(),
        passes,
        seconds,
        completed,
        grbit,
    )?;
    // Starting a task, the two are its limits (inputs only); stopping or
    // asking, they receive what the task did.
    if grbit & JET_bitDefragmentBatchStart == 0 {
        // SAFETY: NULL allowed (not wanted).
        unsafe {
            put_opt(pcPasses, outcome.passes);
            put_opt(pcSeconds, outcome.seconds);
        }
    }
    Ok(outcome.warning)
}

#[no_mangle]
pub unsafe extern "C" fn JetDefragmentA(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    pcPasses: *mut ULONG,
    pcSeconds: *mut ULONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetDefragment", || {
        // SAFETY: the caller's string and counters (crate contract).
        unsafe {
            let table = a_text(szTableName)?;
            defragment(sesid, dbid, table, pcPasses, pcSeconds, None, grbit)
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDefragmentW(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const WCHAR,
    pcPasses: *mut ULONG,
    pcSeconds: *mut ULONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetDefragment", || {
        // SAFETY: the caller's string and counters (crate contract).
        unsafe {
            let table = w_text(szTableName)?;
            defragment(sesid, dbid, table, pcPasses, pcSeconds, None, grbit)
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDefragment(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    pcPasses: *mut ULONG,
    pcSeconds: *mut ULONG,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetDefragmentA(sesid, dbid, szTableName, pcPasses, pcSeconds, grbit) }
}

#[no_mangle]
pub unsafe extern "C" fn JetDefragment2A(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    pcPasses: *mut ULONG,
    pcSeconds: *mut ULONG,
    callback: JET_CALLBACK,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetDefragment2", || {
        // SAFETY: the caller's string and counters (crate contract).
        unsafe {
            let table = a_text(szTableName)?;
            defragment(sesid, dbid, table, pcPasses, pcSeconds, callback, grbit)
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDefragment2W(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const WCHAR,
    pcPasses: *mut ULONG,
    pcSeconds: *mut ULONG,
    callback: JET_CALLBACK,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetDefragment2", || {
        // SAFETY: the caller's string and counters (crate contract).
        unsafe {
            let table = w_text(szTableName)?;
            defragment(sesid, dbid, table, pcPasses, pcSeconds, callback, grbit)
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDefragment2(
    sesid: JET_SESID,
    dbid: JET_DBID,
    szTableName: *const c_char,
    pcPasses: *mut ULONG,
    pcSeconds: *mut ULONG,
    callback: JET_CALLBACK,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe {
        JetDefragment2A(
            sesid,
            dbid,
            szTableName,
            pcPasses,
            pcSeconds,
            callback,
            grbit,
        )
    }
}
