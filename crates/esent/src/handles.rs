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
use std::sync::{
    Arc, LazyLock, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError,
};

use ese::api::{Cursor, JetInstance, Session};
use ese::codes::*;
use ese::{Error, Result};

use crate::list_table::ListTable;
use crate::types::{JET_SESID, JET_TABLEID};

/// A session a C program holds.
pub(crate) struct SessionEntry {
    pub session: Session,
    /// The instance it belongs to (the registry's handle), so that JetTerm
    /// can retire it.
    pub instance: JetInstance,
}

/// A table a C program holds: a cursor, or the list an info call
/// returned (see `list_table`).
pub(crate) struct TableEntry {
    pub sesid: JET_SESID,
    kind: TableKind,
}

// A list is the rare case and each entry is already behind an Arc: boxing
// the cursor would add a pointer chase to every call on a cursor.
#[allow(clippy::large_enum_variant)]
enum TableKind {
    Cursor(Mutex<Cursor>),
    List(Mutex<ListTable>),
}

#[derive(Default)]
struct Handles {
    sessions: HashMap<JET_SESID, Arc<SessionEntry>>,
    tables: HashMap<JET_TABLEID, Arc<TableEntry>>,
}

/// Every call looks its handles up; only opening and closing change the
/// tables. The handles are spread over shards by value, so that threads
/// working with their own sessions and tables read different locks and do
/// not bounce one lock's cache line between cores (each call takes one
/// shared lock).
const SHARDS: usize = 16;
static HANDLES: LazyLock<[RwLock<Handles>; SHARDS]> =
    LazyLock::new(|| std::array::from_fn(|_| RwLock::default()));
/// Handle values: multiples of 16 from 0x10000, like the addresses ESENT
/// hands out, and never 0 or a Nil value.
static NEXT: AtomicUsize = AtomicUsize::new(0x10000);

fn shard_of(handle: usize) -> usize {
    (handle >> 4) % SHARDS
}

fn handles(handle: usize) -> RwLockReadGuard<'static, Handles> {
    HANDLES[shard_of(handle)]
        .read()
        .unwrap_or_else(|p| p.into_inner())
}

fn handles_mut(handle: usize) -> RwLockWriteGuard<'static, Handles> {
    HANDLES[shard_of(handle)]
        .write()
        .unwrap_or_else(|p| p.into_inner())
}

fn new_handle() -> usize {
    NEXT.fetch_add(16, Ordering::Relaxed)
}

fn invalid_sesid(sesid: JET_SESID) -> Error {
    Error::new(JET_errInvalidSesid).with_detail(format!("{sesid:#x} is not a session"))
}

pub(crate) fn add_session(session: Session, instance: JetInstance) -> JET_SESID {
    let sesid = new_handle();
    handles_mut(sesid)
        .sessions
        .insert(sesid, Arc::new(SessionEntry { session, instance }));
    sesid
}

pub(crate) fn session(sesid: JET_SESID) -> Result<Arc<SessionEntry>> {
    handles(sesid)
        .sessions
        .get(&sesid)
        .cloned()
        .ok_or_else(|| invalid_sesid(sesid))
}

/// Removes the tables `matches` picks from every shard; they are dropped
/// by the caller after the locks are released: dropping a cursor can do
/// engine work (a rollback) that other threads' calls must not wait
/// behind.
fn take_tables(matches: impl Fn(&TableEntry) -> bool) -> Vec<Arc<TableEntry>> {
    let mut gone = Vec::new();
    for shard in HANDLES.iter() {
        let mut all = shard.write().unwrap_or_else(|p| p.into_inner());
        let ids: Vec<JET_TABLEID> = all
            .tables
            .iter()
            .filter(|(_, table)| matches(table))
            .map(|(&id, _)| id)
            .collect();
        gone.extend(ids.iter().filter_map(|id| all.tables.remove(id)));
    }
    gone
}

/// Removes a session and its tables (JetEndSession); the session is
/// dropped by the caller, the tables here, outside the locks.
pub(crate) fn remove_session(sesid: JET_SESID) -> Option<Arc<SessionEntry>> {
    let entry = handles_mut(sesid).sessions.remove(&sesid)?;
    drop(take_tables(|table| table.sesid == sesid));
    Some(entry)
}

/// Retires every session of `instance` and their tables (after JetTerm:
/// ESENT frees them with the instance).
pub(crate) fn retire_instance(instance: JetInstance) {
    let mut sessions = Vec::new();
    let mut gone_sessions = Vec::new();
    for shard in HANDLES.iter() {
        let mut all = shard.write().unwrap_or_else(|p| p.into_inner());
        let ids: Vec<JET_SESID> = all
            .sessions
            .iter()
            .filter(|(_, s)| s.instance == instance)
            .map(|(&id, _)| id)
            .collect();
        gone_sessions.extend(ids.iter().filter_map(|id| all.sessions.remove(id)));
        sessions.extend(ids);
    }
    drop(take_tables(|table| sessions.contains(&table.sesid)));
    drop(gone_sessions);
}

pub(crate) fn add_table(sesid: JET_SESID, cursor: Cursor) -> JET_TABLEID {
    insert_table(sesid, TableKind::Cursor(Mutex::new(cursor)))
}

/// Gives a C program an info call's list as a table of session `sesid`.
pub(crate) fn add_list(sesid: JET_SESID, list: ListTable) -> JET_TABLEID {
    insert_table(sesid, TableKind::List(Mutex::new(list)))
}

fn insert_table(sesid: JET_SESID, kind: TableKind) -> JET_TABLEID {
    let tableid = new_handle();
    handles_mut(tableid)
        .tables
        .insert(tableid, Arc::new(TableEntry { sesid, kind }));
    tableid
}

/// The table `tableid` of session `sesid`, checked as ESENT checks the
/// pair: `JET_errInvalidSesid` for a session that does not exist, then
/// `JET_errInvalidTableId`, then `JET_errSesidTableIdMismatch`. A table
/// found with its own session needs no second look: a session's tables
/// go when it does.
pub(crate) fn table(sesid: JET_SESID, tableid: JET_TABLEID) -> Result<Arc<TableEntry>> {
    let found = handles(tableid).tables.get(&tableid).cloned();
    match found {
        Some(table) if table.sesid == sesid => Ok(table),
        Some(_) => {
            session(sesid)?;
            Err(Error::new(JET_errSesidTableIdMismatch)
                .with_detail(format!("{tableid:#x} belongs to another session")))
        }
        None => {
            session(sesid)?;
            Err(Error::new(JET_errInvalidTableId)
                .with_detail(format!("{tableid:#x} is not a table")))
        }
    }
}

/// Removes a table (JetCloseTable).
pub(crate) fn remove_table(sesid: JET_SESID, tableid: JET_TABLEID) -> Result<()> {
    table(sesid, tableid)?;
    let gone = handles_mut(tableid).tables.remove(&tableid);
    drop(gone);
    Ok(())
}

/// The table's state for one call. A call on it from another thread
/// while one runs is `JET_errSessionSharingViolation`, as a second call on
/// the same session is in ESENT.
fn for_one_call<T>(state: &Mutex<T>) -> Result<MutexGuard<'_, T>> {
    match state.try_lock() {
        Ok(guard) => Ok(guard),
        Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
        Err(TryLockError::WouldBlock) => Err(Error::new(JET_errSessionSharingViolation)
            .with_detail("another thread's call is running on the table")),
    }
}

impl TableEntry {
    /// The cursor, for one call; an info call's list has none
    /// (`JET_errIllegalOperation`: the call is not one a list supports).
    pub fn cursor(&self) -> Result<MutexGuard<'_, Cursor>> {
        match &self.kind {
            TableKind::Cursor(cursor) => for_one_call(cursor),
            TableKind::List(_) => Err(Error::new(JET_errIllegalOperation)
                .with_detail("the table is an info call's list: move and retrieve only")),
        }
    }

    /// The list, for one call, when the table is an info call's list.
    pub fn list(&self) -> Result<Option<MutexGuard<'_, ListTable>>> {
        match &self.kind {
            TableKind::Cursor(_) => Ok(None),
            TableKind::List(list) => for_one_call(list).map(Some),
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
