//! The handles C programs hold: JET_SESID and JET_TABLEID values naming
//! the Rust API's sessions and cursors, valid on any thread, as ESENT's
//! are. (JET_INSTANCE values are the registry's own handles, and JET_DBID
//! values a session's own `DbId`s, so they need no table here.)
//!
//! A handle that was never issued, or was closed, is refused with ESENT's
//! error (`JET_errInvalidSesid`, `JET_errInvalidTableId`), and a table
//! named with another session's sesid with `JET_errSesidTableIdMismatch`,
//! as ESENT's handle validation does. Values are never reused within a
//! process, so a stale handle cannot reach a newer object.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, TryLockError};

use ese::api::{Cursor, JetInstance, Session};
use ese::codes::*;
use ese::{Error, Result};

use crate::types::{JET_SESID, JET_TABLEID};

/// A session a C program holds.
pub(crate) struct SessionEntry {
    pub session: Session,
    /// The instance it belongs to (the registry's handle), so that JetTerm
    /// can retire it.
    pub instance: JetInstance,
}

/// A cursor a C program holds.
pub(crate) struct TableEntry {
    pub sesid: JET_SESID,
    cursor: Mutex<Cursor>,
}

#[derive(Default)]
struct Handles {
    sessions: HashMap<JET_SESID, Arc<SessionEntry>>,
    tables: HashMap<JET_TABLEID, Arc<TableEntry>>,
}

static HANDLES: LazyLock<Mutex<Handles>> = LazyLock::new(Default::default);
/// Handle values: multiples of 16 from 0x10000, like the addresses ESENT
/// hands out, and never 0 or a Nil value.
static NEXT: AtomicUsize = AtomicUsize::new(0x10000);

fn handles() -> MutexGuard<'static, Handles> {
    HANDLES.lock().unwrap_or_else(|p| p.into_inner())
}

fn new_handle() -> usize {
    NEXT.fetch_add(16, Ordering::Relaxed)
}

fn invalid_sesid(sesid: JET_SESID) -> Error {
    Error::new(JET_errInvalidSesid).with_detail(format!("{sesid:#x} is not a session"))
}

pub(crate) fn add_session(session: Session, instance: JetInstance) -> JET_SESID {
    let sesid = new_handle();
    handles()
        .sessions
        .insert(sesid, Arc::new(SessionEntry { session, instance }));
    sesid
}

pub(crate) fn session(sesid: JET_SESID) -> Result<Arc<SessionEntry>> {
    handles()
        .sessions
        .get(&sesid)
        .cloned()
        .ok_or_else(|| invalid_sesid(sesid))
}

/// Removes a session and its tables (JetEndSession).
pub(crate) fn remove_session(sesid: JET_SESID) -> Option<Arc<SessionEntry>> {
    let mut all = handles();
    let entry = all.sessions.remove(&sesid)?;
    all.tables.retain(|_, table| table.sesid != sesid);
    Some(entry)
}

/// Retires every session of `instance` and their tables (after JetTerm:
/// ESENT frees them with the instance).
pub(crate) fn retire_instance(instance: JetInstance) {
    let mut all = handles();
    let gone: Vec<JET_SESID> = all
        .sessions
        .iter()
        .filter(|(_, s)| s.instance == instance)
        .map(|(&id, _)| id)
        .collect();
    for sesid in &gone {
        all.sessions.remove(sesid);
    }
    all.tables.retain(|_, table| !gone.contains(&table.sesid));
}

pub(crate) fn add_table(sesid: JET_SESID, cursor: Cursor) -> JET_TABLEID {
    let tableid = new_handle();
    handles().tables.insert(
        tableid,
        Arc::new(TableEntry {
            sesid,
            cursor: Mutex::new(cursor),
        }),
    );
    tableid
}

/// The table `tableid` of session `sesid`, checked as ESENT checks the
/// pair.
pub(crate) fn table(sesid: JET_SESID, tableid: JET_TABLEID) -> Result<Arc<TableEntry>> {
    let all = handles();
    if !all.sessions.contains_key(&sesid) {
        return Err(invalid_sesid(sesid));
    }
    let table = all.tables.get(&tableid).ok_or_else(|| {
        Error::new(JET_errInvalidTableId).with_detail(format!("{tableid:#x} is not a table"))
    })?;
    if table.sesid != sesid {
        return Err(Error::new(JET_errSesidTableIdMismatch)
            .with_detail(format!("{tableid:#x} belongs to another session")));
    }
    Ok(table.clone())
}

/// Removes a table (JetCloseTable).
pub(crate) fn remove_table(sesid: JET_SESID, tableid: JET_TABLEID) -> Result<()> {
    table(sesid, tableid)?;
    handles().tables.remove(&tableid);
    Ok(())
}

impl TableEntry {
    /// The cursor, for one call. A call on it from another thread while
    /// one runs is `JET_errSessionSharingViolation`, as a second call on
    /// the same session is in ESENT.
    pub fn cursor(&self) -> Result<MutexGuard<'_, Cursor>> {
        match self.cursor.try_lock() {
            Ok(guard) => Ok(guard),
            Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
            Err(TryLockError::WouldBlock) => Err(Error::new(JET_errSessionSharingViolation)
                .with_detail("another thread's call is running on the table")),
        }
    }
}

/// Runs `body` on the cursor `tableid` of session `sesid`.
pub(crate) fn with_cursor<T>(
    sesid: JET_SESID,
    tableid: JET_TABLEID,
    body: impl FnOnce(&mut Cursor) -> Result<T>,
) -> Result<T> {
    let table = table(sesid, tableid)?;
    let mut cursor = table.cursor()?;
    body(&mut cursor)
}
