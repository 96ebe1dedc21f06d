//! Sessions, transactions and databases: JetBeginSession, JetDupSession,
//! JetEndSession, JetBeginTransaction(2), JetCommitTransaction,
//! JetRollback, JetCreateDatabase, JetAttachDatabase, JetDetachDatabase,
//! JetOpenDatabase, JetCloseDatabase.

use std::ffi::c_char;
use std::path::Path;

use ese::api::{DbId, Jet};
use ese::Result;

use crate::boundary::*;
use crate::handles;
use crate::types::*;

fn begin_session(instance: JET_INSTANCE, psesid: *mut JET_SESID) -> Result<i32> {
    if psesid.is_null() {
        return Err(null("psesid"));
    }
    let handle = match instance {
        0 | JET_instanceNil => None,
        h => Some(h as ese::api::JetInstance),
    };
    let session = Jet::global().begin_session(handle)?;
    let owner = match handle {
        Some(h) => h,
        None => Jet::global()
            .get_instance_info()?
            .first()
            .map_or(ese::api::JET_instanceNil, |i| i.instance),
    };
    let sesid = handles::add_session(session, owner);
    // SAFETY: checked not NULL; writable by the caller's contract.
    unsafe { put(psesid, sesid, "psesid")? };
    Ok(0)
}

/// JetBeginSession: the user name and password are not used (as in
/// ESENT, which ignores them).
#[no_mangle]
pub unsafe extern "C" fn JetBeginSessionA(
    instance: JET_INSTANCE,
    psesid: *mut JET_SESID,
    _szUserName: *const c_char,
    _szPassword: *const c_char,
) -> JET_ERR {
    call("JetBeginSession", || begin_session(instance, psesid))
}

#[no_mangle]
pub unsafe extern "C" fn JetBeginSessionW(
    instance: JET_INSTANCE,
    psesid: *mut JET_SESID,
    _szUserName: *const WCHAR,
    _szPassword: *const WCHAR,
) -> JET_ERR {
    call("JetBeginSession", || begin_session(instance, psesid))
}

#[no_mangle]
pub unsafe extern "C" fn JetBeginSession(
    instance: JET_INSTANCE,
    psesid: *mut JET_SESID,
    szUserName: *const c_char,
    szPassword: *const c_char,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetBeginSessionA(instance, psesid, szUserName, szPassword) }
}

#[no_mangle]
pub unsafe extern "C" fn JetDupSession(sesid: JET_SESID, psesid: *mut JET_SESID) -> JET_ERR {
    call("JetDupSession", || {
        let entry = handles::session(sesid)?;
        if psesid.is_null() {
            return Err(null("psesid"));
        }
        let copy = entry.session.dup_session()?;
        let new = handles::add_session(copy, entry.instance);
        // SAFETY: checked not NULL; writable by the caller's contract.
        unsafe { put(psesid, new, "psesid")? };
        Ok(0)
    })
}

/// JetEndSession: the session's open transaction is rolled back and its
/// tables and databases are closed; its handles and its tables' handles
/// are invalid afterwards.
#[no_mangle]
pub extern "C" fn JetEndSession(sesid: JET_SESID, grbit: JET_GRBIT) -> JET_ERR {
    call("JetEndSession", || {
        let entry = handles::session(sesid)?;
        if grbit != 0 {
            return Err(
                ese::Error::new(ese::codes::JET_errInvalidGrbit).with_detail(format!(
                    "JetEndSession does not take option bits {grbit:#x}"
                )),
            );
        }
        entry.session.clone().end()?;
        handles::remove_session(sesid);
        Ok(0)
    })
}

#[no_mangle]
pub extern "C" fn JetBeginTransaction(sesid: JET_SESID) -> JET_ERR {
    JetBeginTransaction2(sesid, 0)
}

#[no_mangle]
pub extern "C" fn JetBeginTransaction2(sesid: JET_SESID, grbit: JET_GRBIT) -> JET_ERR {
    call("JetBeginTransaction2", || {
        handles::session(sesid)?
            .session
            .begin_transaction2(grbit)
            .map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetCommitTransaction(sesid: JET_SESID, grbit: JET_GRBIT) -> JET_ERR {
    call("JetCommitTransaction", || {
        handles::session(sesid)?
            .session
            .commit_transaction(grbit)
            .map(|()| 0)
    })
}

/// JetCommitTransaction2: the commit's id and the log's signature go to
/// `pCommitId` when given (an inner commit's id is 0); a lazy commit is
/// made durable within `cmsecDurableCommit` milliseconds.
#[no_mangle]
pub unsafe extern "C" fn JetCommitTransaction2(
    sesid: JET_SESID,
    grbit: JET_GRBIT,
    cmsecDurableCommit: ULONG,
    pCommitId: *mut JET_COMMIT_ID,
) -> JET_ERR {
    call("JetCommitTransaction2", || {
        let entry = handles::session(sesid)?;
        let id = entry
            .session
            .commit_transaction2(grbit, cmsecDurableCommit)?;
        let mut commit = JET_COMMIT_ID {
            commitId: id,
            ..Default::default()
        };
        if let Some(signature) = entry.session.log_signature() {
            commit.signLog = JET_SIGNATURE {
                ulRandom: signature.random,
                logtimeCreate: JET_LOGTIME::from_bytes(signature.created),
                szComputerName: signature.computer,
            };
        }
        // SAFETY: NULL allowed (not wanted).
        unsafe { put_opt(pCommitId, commit) };
        Ok(0)
    })
}

#[no_mangle]
pub extern "C" fn JetRollback(sesid: JET_SESID, grbit: JET_GRBIT) -> JET_ERR {
    call("JetRollback", || {
        handles::session(sesid)?.session.rollback(grbit).map(|()| 0)
    })
}

/// JetCreateDatabase and JetOpenDatabase's common part: `open` gets the
/// session and the file name and gives the database's handle.
fn database_call(
    sesid: JET_SESID,
    file: Option<String>,
    pdbid: *mut JET_DBID,
    open: impl FnOnce(&ese::api::Session, &Path) -> Result<DbId>,
) -> Result<i32> {
    let entry = handles::session(sesid)?;
    let file = required(file, "szFilename")?;
    if pdbid.is_null() {
        return Err(null("pdbid"));
    }
    let dbid = open(&entry.session, Path::new(&file))?;
    // SAFETY: checked not NULL; writable by the caller's contract.
    unsafe { put(pdbid, dbid.0, "pdbid")? };
    Ok(0)
}

fn create_database(
    sesid: JET_SESID,
    file: Option<String>,
    pdbid: *mut JET_DBID,
    grbit: JET_GRBIT,
) -> Result<i32> {
    database_call(sesid, file, pdbid, |s, path| s.create_database(path, grbit))
}

/// JetCreateDatabase: `szConnect` is reserved and not read.
#[no_mangle]
pub unsafe extern "C" fn JetCreateDatabaseA(
    sesid: JET_SESID,
    szFilename: *const c_char,
    _szConnect: *const c_char,
    pdbid: *mut JET_DBID,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetCreateDatabase", || {
        // SAFETY: the caller's string (crate contract).
        let file = unsafe { a_text(szFilename)? };
        create_database(sesid, file, pdbid, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateDatabaseW(
    sesid: JET_SESID,
    szFilename: *const WCHAR,
    _szConnect: *const WCHAR,
    pdbid: *mut JET_DBID,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetCreateDatabase", || {
        // SAFETY: the caller's string (crate contract).
        let file = unsafe { w_text(szFilename)? };
        create_database(sesid, file, pdbid, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetCreateDatabase(
    sesid: JET_SESID,
    szFilename: *const c_char,
    szConnect: *const c_char,
    pdbid: *mut JET_DBID,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetCreateDatabaseA(sesid, szFilename, szConnect, pdbid, grbit) }
}

fn attach_database(sesid: JET_SESID, file: Option<String>, grbit: JET_GRBIT) -> Result<i32> {
    let entry = handles::session(sesid)?;
    let file = required(file, "szFilename")?;
    entry.session.attach_database(Path::new(&file), grbit)
}

#[no_mangle]
pub unsafe extern "C" fn JetAttachDatabaseA(
    sesid: JET_SESID,
    szFilename: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetAttachDatabase", || {
        // SAFETY: the caller's string (crate contract).
        let file = unsafe { a_text(szFilename)? };
        attach_database(sesid, file, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetAttachDatabaseW(
    sesid: JET_SESID,
    szFilename: *const WCHAR,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetAttachDatabase", || {
        // SAFETY: the caller's string (crate contract).
        let file = unsafe { w_text(szFilename)? };
        attach_database(sesid, file, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetAttachDatabase(
    sesid: JET_SESID,
    szFilename: *const c_char,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetAttachDatabaseA(sesid, szFilename, grbit) }
}

fn detach_database(sesid: JET_SESID, file: Option<String>) -> Result<i32> {
    let entry = handles::session(sesid)?;
    entry
        .session
        .detach_database(file.as_deref().map(Path::new))
        .map(|()| 0)
}

/// JetDetachDatabase: a NULL name detaches every database.
#[no_mangle]
pub unsafe extern "C" fn JetDetachDatabaseA(
    sesid: JET_SESID,
    szFilename: *const c_char,
) -> JET_ERR {
    call("JetDetachDatabase", || {
        // SAFETY: the caller's string (crate contract).
        let file = unsafe { a_text(szFilename)? };
        detach_database(sesid, file)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDetachDatabaseW(sesid: JET_SESID, szFilename: *const WCHAR) -> JET_ERR {
    call("JetDetachDatabase", || {
        // SAFETY: the caller's string (crate contract).
        let file = unsafe { w_text(szFilename)? };
        detach_database(sesid, file)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetDetachDatabase(sesid: JET_SESID, szFilename: *const c_char) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetDetachDatabaseA(sesid, szFilename) }
}

fn open_database(
    sesid: JET_SESID,
    file: Option<String>,
    pdbid: *mut JET_DBID,
    grbit: JET_GRBIT,
) -> Result<i32> {
    database_call(sesid, file, pdbid, |s, path| s.open_database(path, grbit))
}

/// JetOpenDatabase: `szConnect` is reserved and not read.
#[no_mangle]
pub unsafe extern "C" fn JetOpenDatabaseA(
    sesid: JET_SESID,
    szFilename: *const c_char,
    _szConnect: *const c_char,
    pdbid: *mut JET_DBID,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetOpenDatabase", || {
        // SAFETY: the caller's string (crate contract).
        let file = unsafe { a_text(szFilename)? };
        open_database(sesid, file, pdbid, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenDatabaseW(
    sesid: JET_SESID,
    szFilename: *const WCHAR,
    _szConnect: *const WCHAR,
    pdbid: *mut JET_DBID,
    grbit: JET_GRBIT,
) -> JET_ERR {
    call("JetOpenDatabase", || {
        // SAFETY: the caller's string (crate contract).
        let file = unsafe { w_text(szFilename)? };
        open_database(sesid, file, pdbid, grbit)
    })
}

#[no_mangle]
pub unsafe extern "C" fn JetOpenDatabase(
    sesid: JET_SESID,
    szFilename: *const c_char,
    szConnect: *const c_char,
    pdbid: *mut JET_DBID,
    grbit: JET_GRBIT,
) -> JET_ERR {
    // SAFETY: forwarded contract.
    unsafe { JetOpenDatabaseA(sesid, szFilename, szConnect, pdbid, grbit) }
}

#[no_mangle]
pub extern "C" fn JetCloseDatabase(sesid: JET_SESID, dbid: JET_DBID, grbit: JET_GRBIT) -> JET_ERR {
    call("JetCloseDatabase", || {
        handles::session(sesid)?
            .session
            .close_database(DbId(dbid), grbit)
            .map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetBeginTransaction3(sesid: JET_SESID, trxid: i64, grbit: JET_GRBIT) -> JET_ERR {
    call("JetBeginTransaction3", || {
        handles::session(sesid)?
            .session
            .begin_transaction3(trxid, grbit)
            .map(|()| 0)
    })
}

/// JetSetSessionContext: the session's calls are then the context's, on
/// whichever thread makes them.
#[no_mangle]
pub extern "C" fn JetSetSessionContext(sesid: JET_SESID, ulContext: JET_API_PTR) -> JET_ERR {
    call("JetSetSessionContext", || {
        handles::session(sesid)?
            .session
            .set_session_context(ulContext)
            .map(|()| 0)
    })
}

#[no_mangle]
pub extern "C" fn JetResetSessionContext(sesid: JET_SESID) -> JET_ERR {
    call("JetResetSessionContext", || {
        handles::session(sesid)?
            .session
            .reset_session_context()
            .map(|()| 0)
    })
}
