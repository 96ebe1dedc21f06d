//! Cursors on tables (ESE: JET_TABLEID, the FUCB): the current index, the
//! position in it, the search key, the index range and the prepared
//! update. This file holds opening and navigation (JetMove, JetSeek,
//! JetSetIndexRange, JetSetCurrentIndex); `position.rs` bookmarks and
//! positions, `retrieve.rs` JetRetrieveColumn and its kin, `update.rs`
//! JetPrepareUpdate / JetSetColumn / JetUpdate / JetDelete, and
//! `store.rs` the record manager those updates write through (the row,
//! its long values and its index entries as one change).
//!
//! Uses the instance (a cursor belongs to a session) and everything
//! below it; only the API and maintenance above it use cursors.
//!
//! A position is an index entry: its key and, in a non-unique index, the
//! primary key that follows it. The cursor keeps a copy of the leaf it
//! stands on, so stepping through an index touches each leaf once; after
//! any change to the database it finds its place again from the root by
//! that position, so moves stay correct when pages split or merge.

use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;

use crate::catalog::{IndexDef, TableDef};
use crate::codes::*;
use crate::database::{CursorLock, Database, WriteState};
use crate::grbit::*;
use crate::instance::session::Session;
use crate::record::search_key::{make_key, KeyShape, SearchKey};
use crate::record::values::RecordValues;
use crate::storage::btree::{Entry, Leaf, Tree};
use crate::storage::btree_write::LeafHint;
use crate::{Error, Result};

mod position;
pub(crate) mod retrieve;
pub(crate) mod store;
pub(crate) mod update;

/// What JetPrepareUpdate started.
#[derive(Clone, Debug)]
pub(crate) enum UpdateKind {
    Insert,
    /// Replacing the record with this bookmark, whose values were these.
    Replace {
        bookmark: Vec<u8>,
        original: RecordValues,
    },
    /// An insert copy that deletes the original at JetUpdate (how a
    /// primary key is changed).
    InsertCopyDeleteOriginal {
        bookmark: Vec<u8>,
    },
}

/// A prepared update (ESE: the copy buffer).
#[derive(Clone, Debug)]
pub(crate) struct PendingUpdate {
    pub kind: UpdateKind,
    pub values: RecordValues,
}

/// Where a cursor stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Position {
    BeforeFirst,
    AfterLast,
    /// On an index entry.
    On(Place),
    /// Not on a record, but between entries: moves go to the neighbours
    /// of this place (an entry that left the index range or was deleted).
    Gap(Place),
    /// On a record this cursor deleted.
    Deleted(Place),
    /// Not on a record, just before this entry: where a seek that found
    /// nothing would have landed (a move forward reaches the entry).
    Before(Place),
}

/// An index entry's identity and its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    pub key: PlaceBytes,
    /// The data that orders duplicates (the primary key in a non-unique
    /// index; empty otherwise).
    pub order: PlaceBytes,
    /// The record's primary key (its bookmark).
    pub bookmark: PlaceBytes,
}

/// A place's bytes: inline for the usual keys and bookmarks, since a
/// cursor's place is made (and copied) at every move.
pub(crate) type PlaceBytes = smallvec::SmallVec<[u8; 64]>;

/// A key held in two parts (see [`Leaf::key_parts`]) put together.
fn whole_key(parts: [&[u8]; 2]) -> PlaceBytes {
    let mut key = PlaceBytes::with_capacity(parts[0].len() + parts[1].len());
    key.extend_from_slice(parts[0]);
    key.extend_from_slice(parts[1]);
    key
}

/// The leaf a cursor stands in, valid while the database is unchanged.
#[derive(Clone, Debug)]
struct LeafCache {
    change: u64,
    leaf: Leaf,
    index: usize,
}

/// An index range (JetSetIndexRange).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IndexRange {
    limit: Vec<u8>,
    upper: bool,
    inclusive: bool,
}

impl IndexRange {
    /// True when `key` lies inside the range. A key the limit prefixes
    /// matches the limit (a partial key stands for all its completions).
    fn contains(&self, key: &[u8]) -> bool {
        let matches = key.starts_with(&self.limit);
        if self.upper {
            if self.inclusive {
                key <= self.limit.as_slice() || matches
            } else {
                key < self.limit.as_slice() && !matches
            }
        } else if self.inclusive {
            key >= self.limit.as_slice()
        } else {
            key > self.limit.as_slice() && !matches
        }
    }
}

/// A cursor on a table.
pub struct Cursor {
    pub(crate) session: Session,
    pub(crate) database: Arc<Database>,
    pub(crate) table: Arc<TableDef>,
    /// The columns an update visits beyond those it sets, found once per
    /// schema snapshot of the table.
    pub(crate) update_columns: Arc<update::UpdateColumns>,
    generation: u64,
    /// The current index; `None` for the clustered index of a table
    /// without a primary index.
    pub(crate) index: Option<IndexDef>,
    /// The current index's [`KeyShape`], with the schema snapshot and
    /// index it was found for (held, so that a snapshot replaced since
    /// cannot be mistaken for it).
    key_shape: Option<(Arc<TableDef>, String, Arc<KeyShape>)>,
    pub(crate) position: Position,
    leaf: Option<LeafCache>,
    pub(crate) key: Option<SearchKey>,
    pub(crate) range: Option<IndexRange>,
    pub(crate) update: Option<PendingUpdate>,
    /// The last update's values, emptied, for the next one's buffers.
    pub(crate) spare_values: Option<RecordValues>,
    pub(crate) read_only: bool,
    /// Opened with JET_bitTablePermitDDL: DDL on a fixed-DDL table.
    pub(crate) permit_ddl: bool,
    lock: CursorLock,
    /// The record read last, while the database is unchanged; a schema
    /// change clears it.
    pub(crate) read: std::cell::RefCell<Option<ReadRecord>>,
    /// The entry a forward seek landed on, with the database change count
    /// then (the record itself, on the clustered index).
    landed: Option<(u64, Entry)>,
    /// Set when the save point the cursor was opened in rolls back: the
    /// cursor is then closed (JetRollback closes them).
    closed: Option<Arc<AtomicBool>>,
    /// Set when the save point the prepared update was prepared in rolls
    /// back: the update is then cancelled.
    pub(crate) update_cancelled: Option<Arc<AtomicBool>>,
    /// The view stamp taken when the pages were last asked for: what the
    /// cursor caches from them is stamped with it, not with a later one a
    /// commit in between would give.
    read_stamp: std::cell::Cell<u64>,
}

impl Drop for Cursor {
    fn drop(&mut self) {
        self.database
            .unlock_cursor(self.table.object_id, &self.lock);
    }
}

impl std::fmt::Debug for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cursor")
            .field("table", &self.table.name)
            .field("index", &self.index.as_ref().map(|i| i.name.clone()))
            .field("position", &self.position)
            .finish()
    }
}

/// The record a cursor read last: every column read of a record shares
/// one read of it, and one decoding when a read needs its values decoded.
#[derive(Debug)]
pub(crate) struct ReadRecord {
    /// The database change count it was read at.
    pub change: u64,
    pub bookmark: PlaceBytes,
    /// The record as stored.
    pub data: Vec<u8>,
    /// Its values, once decoded.
    pub values: Option<Arc<RecordValues>>,
}

/// JetSeek's outcome when it lands.
pub type SeekWarning = i32;

impl Cursor {
    pub(crate) fn open(
        session: Session,
        database: Arc<Database>,
        table_name: &str,
        grbit: u32,
    ) -> Result<Self> {
        let schema = database.schema();
        let table = schema.table(table_name).cloned().ok_or_else(|| {
            Error::new(JET_errObjectNotFound).with_detail(format!("no table named {table_name:?}"))
        })?;
        let index = table.primary_index().cloned();
        let read_only = grbit & JET_bitTableReadOnly != 0 || database.is_read_only();
        let lock = CursorLock {
            session: session.id(),
            writes: !read_only,
            deny_read: grbit & JET_bitTableDenyRead != 0,
            deny_write: grbit & JET_bitTableDenyWrite != 0,
        };
        database.lock_cursor(table.object_id, lock)?;
        let closed = session.register_cursor(None);
        Ok(Cursor {
            session,
            database,
            update_columns: Arc::new(update::UpdateColumns::of(&table)),
            table: Arc::new(table),
            generation: schema.generation,
            index,
            key_shape: None,
            position: Position::BeforeFirst,
            leaf: None,
            key: None,
            range: None,
            update: None,
            spare_values: None,
            read_only,
            permit_ddl: grbit & JET_bitTablePermitDDL != 0,
            lock,
            read: Default::default(),
            landed: None,
            closed,
            update_cancelled: None,
            read_stamp: std::cell::Cell::new(0),
        })
    }

    /// Changes whenever what this cursor reads may have changed: a page
    /// change or commit in the database, or the session's view moving (a
    /// transaction ending). The two counters only grow, so their sum
    /// changes when either does.
    pub(crate) fn view_stamp(&self) -> u64 {
        self.database
            .change_count()
            .wrapping_add(self.session.view_epoch())
    }

    /// The pages as this cursor's session reads them (its transaction's
    /// snapshot, or now).
    pub(crate) fn pages(&self) -> crate::storage::cache::CachedDatabase {
        self.read_stamp.set(self.view_stamp());
        self.session.pages_for(&self.database)
    }

    /// The table's definition as it is now (after DDL by anyone).
    pub(crate) fn refresh(&mut self) -> Result<()> {
        if self
            .closed
            .as_ref()
            .is_some_and(|c| c.load(AtomicOrdering::Acquire))
        {
            return Err(Error::new(JET_errInvalidTableId)
                .with_detail("the cursor was opened in a save point that was rolled back"));
        }
        if self
            .update_cancelled
            .as_ref()
            .is_some_and(|c| c.load(AtomicOrdering::Acquire))
        {
            self.update = None;
            self.update_cancelled = None;
        }
        if self.database.schema_generation() == self.generation {
            return Ok(());
        }
        let schema = self.database.schema();
        if schema.generation == self.generation {
            return Ok(());
        }
        let table = schema
            .table_by_id(self.table.object_id)
            .cloned()
            .ok_or_else(|| {
                Error::new(JET_errObjectNotFound).with_detail("the table was deleted")
            })?;
        let index_name = self.index.as_ref().map(|i| i.name.clone());
        self.index = match index_name {
            Some(name) => Some(
                table
                    .index_by_name(&name)
                    .cloned()
                    .ok_or_else(|| Error::new(JET_errIndexNotFound).with_detail(name))?,
            ),
            None => table.primary_index().cloned(),
        };
        self.update_columns = Arc::new(update::UpdateColumns::of(&table));
        self.table = Arc::new(table);
        self.generation = schema.generation;
        self.leaf = None;
        self.landed = None;
        self.read.replace(None);
        Ok(())
    }

    /// The table's name.
    pub fn table_name(&self) -> &str {
        &self.table.name
    }

    /// The table definition the cursor uses.
    pub fn table(&self) -> &TableDef {
        &self.table
    }

    /// The session the cursor belongs to.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// JetCloseTable (dropping the cursor does the same).
    pub fn close(self) {}

    /// JetDupCursor: a new cursor on the same table and index, before the
    /// first entry, without search key, range or update.
    pub fn dup_cursor(&self, grbit: u32) -> Result<Cursor> {
        let _call = self.session.enter()?;
        crate::grbit::check_grbit(grbit, 0, "JetDupCursor")?;
        // The same session, the same access (deny options do not stop a
        // session's own cursors).
        self.database.lock_cursor(self.table.object_id, self.lock)?;
        let closed = self.session.register_cursor(None);
        Ok(Cursor {
            session: self.session.clone(),
            database: self.database.clone(),
            table: self.table.clone(),
            update_columns: self.update_columns.clone(),
            generation: self.generation,
            index: self.index.clone(),
            key_shape: self.key_shape.clone(),
            position: Position::BeforeFirst,
            leaf: None,
            key: None,
            range: None,
            update: None,
            spare_values: None,
            read_only: self.read_only,
            permit_ddl: self.permit_ddl,
            lock: self.lock,
            read: Default::default(),
            landed: None,
            closed,
            update_cancelled: None,
            read_stamp: std::cell::Cell::new(0),
        })
    }

    /// Offers the leaf the cursor stands in to the next writer of its
    /// index's tree: a change at the cursor's record finds its entry there
    /// without a descent (the writer checks that it does).
    pub(crate) fn offer_leaf_hint(&self, state: &mut WriteState) {
        // The leaf read after a move, or the page a seek landed in.
        let leaf = match (&self.leaf, &self.landed) {
            (Some(cached), _) => cached.leaf.number,
            (None, Some((_, entry))) => entry.page,
            (None, None) => return,
        };
        let (tree, _) = self.current_tree();
        state
            .leaf_hints
            .insert(tree.object_id, LeafHint::at_cursor(leaf));
    }

    /// The tree of the current index, and whether it is the clustered one.
    pub(crate) fn current_tree(&self) -> (Tree, bool) {
        match &self.index {
            Some(index) if !index.is_primary() => (index.tree(), false),
            _ => (self.table.tree(), true),
        }
    }

    /// The place an entry of the current index stands for.
    fn place_of(&self, entry: &Entry) -> Place {
        self.place_from([&entry.key, &[]], &entry.data, entry.non_unique)
    }

    /// The place of the entry (key, data) of the current index.
    /// (`key` in two parts, as a node holds it: the bytes it shares with
    /// its page's common key, and its own.)
    fn place_from(&self, key: [&[u8]; 2], data: &[u8], non_unique: bool) -> Place {
        let (_, clustered) = self.current_tree();
        let whole = whole_key(key);
        if clustered {
            Place {
                bookmark: whole.clone(),
                key: whole,
                order: PlaceBytes::new(),
            }
        } else {
            Place {
                key: whole,
                order: if non_unique {
                    PlaceBytes::from_slice(data)
                } else {
                    PlaceBytes::new()
                },
                bookmark: PlaceBytes::from_slice(data),
            }
        }
    }

    /// The place the cursor stands on or next to.
    fn anchor(&self) -> Option<&Place> {
        match &self.position {
            Position::On(p) | Position::Gap(p) | Position::Deleted(p) | Position::Before(p) => {
                Some(p)
            }
            _ => None,
        }
    }

    /// The place of entry `index` of `leaf` (a leaf of the current index).
    fn place_in(&self, leaf: &Leaf, index: usize) -> Result<Place> {
        Ok(self.place_from(leaf.key_parts(index)?, leaf.data(index)?, leaf.non_unique()))
    }

    /// Whether entry `index` of `leaf` is `place` (what `place_in` would
    /// give, compared without copying the entry out).
    fn holds_place(&self, leaf: &Leaf, index: usize, place: &Place) -> Result<bool> {
        if index >= leaf.len() || !leaf.key_is(index, &place.key)? {
            return Ok(false);
        }
        let (_, clustered) = self.current_tree();
        if clustered {
            return Ok(place.order.is_empty() && place.bookmark == place.key);
        }
        let data = leaf.data(index)?;
        let order: &[u8] = if leaf.non_unique() { data } else { &[] };
        Ok(place.bookmark[..] == *data && place.order[..] == *order)
    }

    fn set_on(&mut self, leaf: Leaf, index: usize) -> Result<()> {
        let place = self.place_in(&leaf, index)?;
        self.set_on_place(leaf, index, place);
        Ok(())
    }

    /// [`Self::set_on`] with the entry's place already made.
    fn set_on_place(&mut self, leaf: Leaf, index: usize, place: Place) {
        self.position = Position::On(place);
        self.leaf = Some(LeafCache {
            change: self.read_stamp.get(),
            leaf,
            index,
        });
    }

    // ------------------------------------------------------------
    // Stepping

    /// The first entry of the index, or None.
    fn first_entry(&self) -> Result<Option<(Leaf, usize)>> {
        let (tree, _) = self.current_tree();
        let pages = self.pages();
        let leaf = tree.first_leaf(&pages)?;
        self.forward_from(leaf, 0)
    }

    fn last_entry(&self) -> Result<Option<(Leaf, usize)>> {
        let (tree, _) = self.current_tree();
        let pages = self.pages();
        let leaf = tree.last_leaf(&pages)?;
        let count = leaf.len();
        self.backward_from(leaf, count)
    }

    /// The first entry at or after `index` of `leaf`, following right
    /// links past leaves with nothing left.
    fn forward_from(&self, mut leaf: Leaf, mut index: usize) -> Result<Option<(Leaf, usize)>> {
        let (tree, _) = self.current_tree();
        let pages = self.pages();
        let mut hops = 0u32;
        while index >= leaf.len() {
            if leaf.next() == 0 {
                return Ok(None);
            }
            hops += 1;
            if hops > pages_limit(&pages) {
                return Err(Error::new(JET_errBadPageLink).with_detail("a cycle of leaf links"));
            }
            leaf = tree.neighbour_leaf(&pages, leaf.number, leaf.next(), true)?;
            index = 0;
        }
        Ok(Some((leaf, index)))
    }

    /// The last entry before `index` of `leaf`, following left links.
    fn backward_from(&self, mut leaf: Leaf, mut index: usize) -> Result<Option<(Leaf, usize)>> {
        let (tree, _) = self.current_tree();
        let pages = self.pages();
        let mut hops = 0u32;
        while index == 0 {
            if leaf.previous() == 0 {
                return Ok(None);
            }
            hops += 1;
            if hops > pages_limit(&pages) {
                return Err(Error::new(JET_errBadPageLink).with_detail("a cycle of leaf links"));
            }
            leaf = tree.neighbour_leaf(&pages, leaf.number, leaf.previous(), false)?;
            index = leaf.len();
        }
        Ok(Some((leaf, index - 1)))
    }

    /// The leaf and index of `place` (or where it would be), reusing the
    /// cached leaf when nothing changed. The bool says whether the entry
    /// there is the place itself.
    fn locate(&self, place: &Place) -> Result<(Leaf, usize, bool)> {
        if let Some(cache) = &self.leaf {
            if cache.change == self.view_stamp()
                && self.holds_place(&cache.leaf, cache.index, place)?
            {
                return Ok((cache.leaf.clone(), cache.index, true));
            }
        }
        let (tree, _) = self.current_tree();
        let pages = self.pages();
        // Right after a seek the entry's leaf is known and, if nothing
        // changed since, still holds it: read it without a descent.
        if let Some((change, landed)) = &self.landed {
            if *change == self.view_stamp() && self.place_of(landed) == *place {
                let leaf = tree.read_leaf(&pages, landed.page)?;
                if let Some(index) = leaf.find(&landed.key, &landed.data)? {
                    return Ok((leaf, index, true));
                }
            }
        }
        let (leaf, index) = tree.leaf_for(&pages, &place.key, &place.order)?;
        let exact = self.holds_place(&leaf, index, place)?;
        Ok((leaf, index, exact))
    }

    /// The entry after the cursor's place (or the first).
    fn next_entry(&mut self) -> Result<Option<(Leaf, usize)>> {
        if let Some(cache) = self.take_valid_leaf() {
            return self.forward_from(cache.leaf, cache.index + 1);
        }
        let Some(place) = self.anchor().cloned() else {
            return match self.position {
                Position::AfterLast => Ok(None),
                _ => self.first_entry(),
            };
        };
        let (leaf, index, exact) = self.locate(&place)?;
        let skip = exact && !matches!(self.position, Position::Before(_));
        self.forward_from(leaf, if skip { index + 1 } else { index })
    }

    /// The entry before the cursor's place (or the last).
    fn previous_entry(&mut self) -> Result<Option<(Leaf, usize)>> {
        if let Some(cache) = self.take_valid_leaf() {
            return self.backward_from(cache.leaf, cache.index);
        }
        let Some(place) = self.anchor().cloned() else {
            return match self.position {
                Position::BeforeFirst => Ok(None),
                _ => self.last_entry(),
            };
        };
        let (leaf, index, _) = self.locate(&place)?;
        self.backward_from(leaf, index)
    }

    /// One step in a direction, honouring the index range. On running out
    /// the cursor is left past the end (or in the gap past the range) and
    /// `JET_errNoCurrentRecord` is returned.
    /// The leaf the cursor stands on, taken, when it is still the
    /// database's (a step then starts from it rather than searching for the
    /// cursor's place, which is cloned only when searched for). A cursor
    /// with a place loses its leaf whether or not it is still valid, as a
    /// step always did.
    fn take_valid_leaf(&mut self) -> Option<LeafCache> {
        self.anchor()?;
        let cache = self.leaf.take()?;
        (cache.change == self.view_stamp() && matches!(self.position, Position::On(_)))
            .then_some(cache)
    }

    fn step(&mut self, forward: bool) -> Result<()> {
        let found = if forward {
            self.next_entry()?
        } else {
            self.previous_entry()?
        };
        let Some((leaf, index)) = found else {
            self.position = if forward {
                Position::AfterLast
            } else {
                Position::BeforeFirst
            };
            self.leaf = None;
            return Err(no_current_record());
        };
        // The place first: the range is checked against its key, not
        // against a key put together for the check alone.
        let place = self.place_in(&leaf, index)?;
        if let Some(range) = &self.range {
            if range.upper == forward && !range.contains(&place.key) {
                self.position = Position::Gap(place);
                self.leaf = None;
                return Err(no_current_record());
            }
        }
        self.set_on_place(leaf, index, place);
        Ok(())
    }

    /// JetMove: `JET_MoveFirst`, `JET_MoveLast`, or a signed number of
    /// entries (`JET_MoveNext` = 1, `JET_MovePrevious` = -1). With
    /// JET_bitMoveKeyNE, entries with the current key are skipped.
    pub fn move_(&mut self, offset: i32, grbit: u32) -> Result<()> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        crate::grbit::check_grbit(grbit, JET_bitMoveKeyNE, "JetMove")?;
        self.refresh()?;
        self.update = None;
        match offset {
            JET_MoveFirst => {
                self.range = None;
                self.position = Position::BeforeFirst;
                self.leaf = None;
                self.step(true)
            }
            JET_MoveLast => {
                self.range = None;
                self.position = Position::AfterLast;
                self.leaf = None;
                self.step(false)
            }
            0 => match self.position {
                Position::On(_) => Ok(()),
                _ => Err(no_current_record()),
            },
            n => {
                let forward = n > 0;
                for _ in 0..n.unsigned_abs() {
                    let current_key = match &self.position {
                        Position::On(p) if grbit & JET_bitMoveKeyNE != 0 => Some(p.key.clone()),
                        _ => None,
                    };
                    self.step(forward)?;
                    if grbit & JET_bitMoveKeyNE != 0 {
                        while let (Some(key), Position::On(p)) = (&current_key, &self.position) {
                            if p.key != *key {
                                break;
                            }
                            self.step(forward)?;
                        }
                    }
                }
                Ok(())
            }
        }
    }

    // ------------------------------------------------------------
    // Keys and seeks

    /// The index keys are made for (`JET_errNoCurrentIndex` for a table
    /// without a primary index on its clustered index).
    pub(crate) fn key_index(&self) -> Result<&IndexDef> {
        self.index.as_ref().ok_or_else(|| {
            Error::new(JET_errNoCurrentIndex).with_detail(
                "the table has no primary index: its clustered index has no key columns",
            )
        })
    }

    /// JetMakeKey: adds the next key column's value to the search key.
    pub fn make_key(&mut self, data: &[u8], grbit: u32) -> Result<()> {
        let _call = self.session.enter()?;
        self.refresh()?;
        if grbit & JET_bitNormalizedKey != 0 && self.index.is_none() {
            self.key = Some(SearchKey::normalized(data));
            return Ok(());
        }
        self.key_index()?;
        let Some(index) = self.index.as_ref() else {
            return Err(Error::new(JET_errNoCurrentIndex));
        };
        let shape = match &self.key_shape {
            Some((table, name, shape))
                if Arc::ptr_eq(table, &self.table) && *name == index.name =>
            {
                shape.clone()
            }
            _ => {
                let shape = Arc::new(self.table.key_layout(index)?.into_owned());
                self.key_shape = Some((self.table.clone(), index.name.clone(), shape.clone()));
                shape
            }
        };
        let key = make_key(&self.table, index, &shape, self.key.take(), data, grbit);
        match key {
            Ok(key) => {
                self.key = Some(key);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// JetRetrieveKey: the normalized key of the current entry, or with
    /// JET_bitRetrieveCopyKey the search key being built.
    pub fn retrieve_key(&self, grbit: u32) -> Result<Vec<u8>> {
        let _call = self.session.enter()?;
        crate::grbit::check_grbit(grbit, JET_bitRetrieveCopyKey, "JetRetrieveKey")?;
        if grbit & JET_bitRetrieveCopyKey != 0 {
            return self
                .key
                .as_ref()
                .map(|k| k.bytes.clone())
                .ok_or_else(|| Error::new(JET_errKeyNotMade));
        }
        match &self.position {
            Position::On(place) => Ok(place.key.to_vec()),
            _ => Err(no_current_record()),
        }
    }

    /// The first key greater than every key the search key prefixes.
    fn past_prefix(&self, key: &[u8]) -> Vec<u8> {
        let key_most = self
            .index
            .as_ref()
            .map_or(255, |i| usize::from(i.key_most))
            .max(key.len());
        let mut probe = key.to_vec();
        probe.resize(key.len() + key_most + 1, 0xff);
        probe
    }

    /// JetSeek. Returns 0 when the entry found matches the key, or
    /// `JET_wrnSeekNotEqual` when an inequality seek landed elsewhere;
    /// `JET_errRecordNotFound` when no entry qualifies (the cursor then
    /// stays where it was).
    pub fn seek(&mut self, grbit: u32) -> Result<SeekWarning> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        let modes = JET_bitSeekEQ | JET_bitSeekLT | JET_bitSeekLE | JET_bitSeekGE | JET_bitSeekGT;
        crate::grbit::check_grbit(
            grbit,
            modes | JET_bitSetIndexRange | JET_bitCheckUniqueness,
            "JetSeek",
        )?;
        if (grbit & modes).count_ones() != 1 {
            return Err(Error::new(JET_errInvalidGrbit)
                .with_detail("JetSeek takes exactly one of SeekEQ, LT, LE, GE, GT"));
        }
        self.refresh()?;
        let search = self
            .key
            .take()
            .ok_or_else(|| Error::new(JET_errKeyNotMade))?;
        self.update = None;
        let end_limit = search.end_limit;
        let key = search.bytes;
        let (tree, _) = self.current_tree();
        let pages = self.pages();
        let mode = grbit & modes;
        // Forward seeks copy out the entry found alone; the leaf is read
        // whole only if the cursor then moves.
        let forward = match mode {
            JET_bitSeekEQ | JET_bitSeekGE => Some(tree.first_at_or_after(&pages, &key, &[])?),
            JET_bitSeekGT => Some(tree.first_at_or_after(&pages, &self.past_prefix(&key), &[])?),
            _ => None,
        };
        // A seek that finds nothing leaves the cursor where the entry
        // would have been, with no index range, as JetSeek documents.
        if let Some(found) = forward {
            self.range = None;
            self.leaf = None;
            let Some(entry) = found else {
                self.position = Position::AfterLast;
                return Err(record_not_found());
            };
            let matches = entry.key.starts_with(&key) && !end_limit;
            if mode == JET_bitSeekEQ && !matches {
                self.position = Position::Before(self.place_of(&entry));
                return Err(record_not_found());
            }
            self.range = None;
            let exact = entry.key == key;
            let place = self.place_of(&entry);
            self.position = Position::On(place);
            self.leaf = None;
            self.landed = Some((self.read_stamp.get(), entry));
            if mode == JET_bitSeekEQ && grbit & JET_bitSetIndexRange != 0 {
                self.range = Some(IndexRange {
                    limit: key.clone(),
                    upper: true,
                    inclusive: true,
                });
            }
            if mode == JET_bitSeekEQ && grbit & JET_bitCheckUniqueness != 0 {
                if let Some((_, landed)) = &self.landed {
                    // The entry right after this one: does it match too?
                    let mut after_data = if landed.non_unique {
                        landed.data.clone()
                    } else {
                        Vec::new()
                    };
                    let mut after_key = landed.key.clone();
                    if landed.non_unique {
                        after_data.push(0);
                    } else {
                        after_key.push(0);
                    }
                    let next = tree.first_at_or_after(&pages, &after_key, &after_data)?;
                    if !next.is_some_and(|n| n.key.starts_with(&key)) {
                        return Ok(JET_wrnUniqueKey);
                    }
                }
            }
            return Ok(if mode == JET_bitSeekEQ || exact {
                JET_errSuccess
            } else {
                JET_wrnSeekNotEqual
            });
        }
        let found = match mode {
            JET_bitSeekLE => {
                let probe = self.past_prefix(&key);
                let (leaf, index) = tree.leaf_for(&pages, &probe, &[])?;
                self.backward_from(leaf, index)?
            }
            _ => {
                let (leaf, index) = tree.leaf_for(&pages, &key, &[])?;
                self.backward_from(leaf, index)?
            }
        };
        let Some((leaf, index)) = found else {
            self.range = None;
            self.leaf = None;
            self.position = Position::BeforeFirst;
            return Err(record_not_found());
        };
        let landed = leaf.key(index)?;
        let exact = landed == key;
        let matches = landed.starts_with(&key) && !end_limit;
        if mode == JET_bitSeekEQ && !matches {
            return Err(record_not_found());
        }
        self.range = None;
        self.set_on(leaf, index)?;
        if mode == JET_bitSeekEQ && grbit & JET_bitSetIndexRange != 0 {
            self.range = Some(IndexRange {
                limit: key,
                upper: true,
                inclusive: true,
            });
        }
        if mode == JET_bitSeekEQ || exact {
            Ok(JET_errSuccess)
        } else {
            Ok(JET_wrnSeekNotEqual)
        }
    }

    /// JetSetIndexRange: limits moves from the current entry to those up
    /// to (JET_bitRangeUpperLimit) or down to the search key;
    /// JET_bitRangeRemove cancels the range.
    pub fn set_index_range(&mut self, grbit: u32) -> Result<()> {
        let _call = self.session.enter()?;
        crate::grbit::check_grbit(
            grbit,
            JET_bitRangeInclusive
                | JET_bitRangeUpperLimit
                | JET_bitRangeInstantDuration
                | JET_bitRangeRemove,
            "JetSetIndexRange",
        )?;
        if grbit & JET_bitRangeRemove != 0 {
            if self.range.take().is_none() {
                return Err(
                    Error::new(JET_errInvalidOperation).with_detail("no index range is in effect")
                );
            }
            return Ok(());
        }
        let search = self
            .key
            .take()
            .ok_or_else(|| Error::new(JET_errKeyNotMade))?;
        let range = IndexRange {
            limit: search.bytes,
            upper: grbit & JET_bitRangeUpperLimit != 0,
            inclusive: grbit & JET_bitRangeInclusive != 0,
        };
        let Position::On(place) = &self.position else {
            return Err(no_current_record());
        };
        if !range.contains(&place.key) {
            self.range = None;
            return Err(no_current_record());
        }
        if grbit & JET_bitRangeInstantDuration == 0 {
            self.range = Some(range);
        }
        Ok(())
    }

    // ------------------------------------------------------------
    // Indexes

    /// JetGetCurrentIndex: the current index's name ("" for the clustered
    /// index of a table without a primary index).
    pub fn current_index(&self) -> String {
        self.index
            .as_ref()
            .map(|i| i.name.clone())
            .unwrap_or_default()
    }

    /// JetSetCurrentIndex2: switches to the index named (None or "": the
    /// primary index). With JET_bitMoveFirst (0) the cursor goes to the
    /// first entry; with JET_bitNoMove it stays on its record.
    pub fn set_current_index(&mut self, name: Option<&str>, grbit: u32) -> Result<()> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        crate::grbit::check_grbit(grbit, JET_bitNoMove, "JetSetCurrentIndex")?;
        self.refresh()?;
        let wanted = match name.filter(|n| !n.is_empty()) {
            Some(name) => Some(
                self.table
                    .index_by_name(name)
                    // An index this session deleted in its open
                    // transaction is gone for it.
                    .filter(|i| !self.database.index_hidden(i.object_id, self.session.id()))
                    .cloned()
                    .ok_or_else(|| {
                        Error::new(JET_errIndexNotFound)
                            .with_detail(format!("no index named {name:?}"))
                    })?,
            ),
            None => self.table.primary_index().cloned(),
        };
        if wanted.as_ref().map(|i| &i.name) == self.index.as_ref().map(|i| &i.name) {
            return Ok(());
        }
        let record = match &self.position {
            Position::On(place) => Some(place.bookmark.clone()),
            _ => None,
        };
        self.update = None;
        self.key = None;
        self.range = None;
        self.leaf = None;
        // What a seek on the old index landed on says nothing of the new.
        self.landed = None;
        self.index = wanted;
        self.position = Position::BeforeFirst;
        if grbit & JET_bitNoMove != 0 {
            if let Some(bookmark) = record {
                return self.goto_bookmark(&bookmark);
            }
            return Ok(());
        }
        match self.step(true) {
            Err(e) if e.code() == JET_errNoCurrentRecord => {
                self.position = Position::BeforeFirst;
                Ok(())
            }
            other => other,
        }
    }
}

fn pages_limit(pages: &crate::storage::cache::CachedDatabase) -> u32 {
    use crate::storage::page_source::PageSource;
    pages.last_page().max(1)
}

pub(crate) fn no_current_record() -> Error {
    Error::new(JET_errNoCurrentRecord)
}

pub(crate) fn record_not_found() -> Error {
    Error::new(JET_errRecordNotFound)
}
