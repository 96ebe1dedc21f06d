//! Writing one table's records under the write lock (ESE: the record
//! manager's insert / replace / delete below JetUpdate and JetDelete):
//! the primary key, the uniqueness checks made before the first change,
//! the long values a record separates (as ESE decides which), the record
//! itself and every index entry.

use smallvec::SmallVec;
use std::cell::RefCell;
use std::sync::Arc;

use crate::catalog::create::CatalogRow;
use crate::catalog::write::{tree_flags, CatalogWriter};
use crate::catalog::{column_flags, row_type, IndexDef, TableDef};
use crate::codes::*;
use crate::database::{Database, WriteState};
use crate::record::keys::{index_entries, IndexEntries, Keys};
use crate::record::values::{is_long_type, RecordValues, Separated};
use crate::storage::btree::Tree;
use crate::storage::btree_write::{max_entry_data, TreeWriter};
use crate::storage::btree_write::{Access, NodeVersioning};
use crate::storage::long_value_write::{
    chunk_size, next_lid, release_long_value, write_long_value, DEFAULT_SEPARATE_THRESHOLD, MAX_LID,
};
use crate::version::{NodeKey, Recorder};
use crate::{Error, Result};

/// Writes records of one table: the record, its long values and its index
/// entries, under the write lock.
pub(crate) struct Store<'a> {
    pub database: &'a Database,
    /// Shared with the cursor's schema snapshot: a table may define many
    /// columns, and an update must not cost a copy of their definitions.
    pub table: Arc<TableDef>,
    /// A long-value tree was created (the schema must be read again).
    pub schema_changed: bool,
    /// The transaction every node change is versioned in; `None` writes
    /// the pages unversioned.
    pub recorder: Option<RefCell<Recorder<'a>>>,
}

impl<'a> Store<'a> {
    pub fn new(
        database: &'a Database,
        table: Arc<TableDef>,
        recorder: Option<Recorder<'a>>,
    ) -> Self {
        Store {
            database,
            table,
            schema_changed: false,
            recorder: recorder.map(RefCell::new),
        }
    }

    /// Runs one change on a tree with pages from its own space.
    fn on_tree<T>(
        &self,
        state: &mut WriteState,
        tree: Tree,
        density: u32,
        change: impl FnOnce(&mut TreeWriter<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut recorder = self.recorder.as_ref().map(RefCell::borrow_mut);
        let versioning = recorder
            .as_deref_mut()
            .map(|r| r as &mut dyn NodeVersioning);
        self.database
            .with_tree_writer(state, tree, density, versioning, change)
    }

    /// The primary key `values` give the table (a new record id for a
    /// table without a primary index).
    fn primary_key(&self, state: &mut WriteState, values: &RecordValues) -> Result<Vec<u8>> {
        let table = &self.table;
        if let Some(index) = table.primary_index() {
            return match index_entries(table, index, values)? {
                IndexEntries::Keys(mut keys) if !keys.is_empty() => Ok(keys.swap_remove(0)),
                _ => Err(Error::new(JET_errNullKeyDisallowed)
                    .with_detail("the record has no primary key")),
            };
        }
        let next = match state.sequential.get(&table.object_id) {
            Some(next) => *next,
            None => {
                let pages = self.database.pages();
                let last = table.tree().entries_rev(&pages)?.next().transpose()?;
                last.map_or(1, |e| {
                    u32::from_be_bytes(
                        e.key
                            .get(..4)
                            .and_then(|k| k.try_into().ok())
                            .unwrap_or([0; 4]),
                    ) + 1
                })
            }
        };
        if next > 0x7fff_ff00 {
            return Err(Error::new(JET_errOutOfSequentialIndexValues));
        }
        state.sequential.insert(table.object_id, next + 1);
        Ok(next.to_be_bytes().to_vec())
    }

    /// The entries `values` give every secondary index.
    /// (Borrowed from `table`, a clone of the store's, so that the store
    /// stays free to change: no copy of each index's definition per row.)
    fn secondary_entries<'t>(
        table: &'t TableDef,
        values: &RecordValues,
    ) -> Result<SmallVec<[IndexKeys<'t>; 4]>> {
        let mut all = SmallVec::new();
        for index in table.indexes.iter().filter(|i| !i.is_primary()) {
            // Sorted and without duplicates, as `index_entries` gives them.
            let keys = match index_entries(table, index, values)? {
                IndexEntries::Keys(keys) => keys,
                IndexEntries::None => Keys::new(),
            };
            all.push((index, keys));
        }
        Ok(all)
    }

    /// `JET_errKeyDuplicate` if a unique index already holds `key` for a
    /// record other than `bookmark`.
    fn check_unique(&self, index: &IndexDef, key: &[u8], bookmark: &[u8]) -> Result<()> {
        let pages = self.database.pages();
        if let Some(data) = index.tree().get(&pages, key)? {
            if data != bookmark {
                return Err(duplicate_in(index));
            }
        }
        Ok(())
    }

    /// The error for a record that is gone from the page when a replace
    /// comes: a write conflict when another transaction's delete explains
    /// it, else `JET_errRecordDeleted`.
    pub(crate) fn missing_record_error(&self, bookmark: &[u8]) -> Error {
        if let Some(recorder) = &self.recorder {
            let recorder = recorder.borrow();
            let node = NodeKey::new(self.database.id(), self.table.object_id, bookmark, &[]);
            if let Err(conflict) =
                recorder
                    .store
                    .check_conflict(recorder.transaction, &node, Access::Write)
            {
                return conflict;
            }
        }
        Error::new(JET_errRecordDeleted)
            .with_detail("another session deleted the record being replaced")
    }

    fn has_record(&self, bookmark: &[u8]) -> Result<bool> {
        Ok(self
            .table
            .tree()
            .get(&self.database.pages(), bookmark)?
            .is_some())
    }

    /// The table's long-value tree, created on first need as ESE does
    /// (one page from the table's space, catalog row "LV").
    fn long_value_tree(&mut self, state: &mut WriteState) -> Result<Tree> {
        if let Some(tree) = self.table.long_values {
            return Ok(tree);
        }
        let (root, object_id, _) = state.space.create_tree(
            self.table.root_page,
            1,
            tree_flags(row_type::LONG_VALUE),
            false,
            false,
        )?;
        let row = CatalogRow {
            objid_table: self.table.object_id as i32,
            row_type: row_type::LONG_VALUE,
            id: object_id as i32,
            coltyp_or_pgno_fdp: root as i32,
            space_usage: 100,
            flags: 0,
            pages_or_locale: 1,
            name: "LV".into(),
            ..Default::default()
        };
        CatalogWriter::new(self.database.cache(), self.database.id(), &mut state.space)
            .insert(&row)?;
        let tree = Tree::new(root, object_id);
        Arc::make_mut(&mut self.table).long_values = Some(tree);
        self.schema_changed = true;
        Ok(tree)
    }

    /// Decides which long values leave the record (ESE: above the table's
    /// threshold, 1023 bytes by default; then, while the record does not
    /// fit, every value above half a page, a quarter, ... down to 4 bytes),
    /// writes the new ones and encodes the record. Returns the record and
    /// the LIDs of `original` it no longer uses.
    fn encode(
        &mut self,
        state: &mut WriteState,
        values: &RecordValues,
        original: Option<&RecordValues>,
        key_len: usize,
    ) -> Result<(Vec<u8>, Vec<u32>)> {
        let page_size = self.database.page_size();
        let limit = max_entry_data(page_size, key_len);
        let threshold = self
            .table
            .separate_lv_threshold
            .filter(|t| *t > 0)
            .map_or(DEFAULT_SEPARATE_THRESHOLD, |t| t as usize)
            .clamp(4, limit);
        let mut long_values: Vec<((u32, usize), usize)> = Vec::new();
        for (id, list) in values.iter() {
            if self
                .table
                .column(id)
                .is_some_and(|c| is_long_type(c.coltyp))
            {
                for (index, value) in list.iter().enumerate() {
                    long_values.push(((id, index), value.len()));
                }
            }
        }
        let placeholder = u32::MAX;
        let mut separated: Separated = long_values
            .iter()
            .filter(|(_, len)| *len > threshold)
            .map(|(at, _)| (*at, placeholder))
            .collect();
        let mut cut = page_size / 2;
        let fitting = loop {
            let record = values.encode(&self.table, page_size, &separated)?;
            if record.len() <= limit {
                break record;
            }
            let before = separated.len();
            for (at, len) in &long_values {
                if *len > cut && *len > 4 {
                    separated.insert(*at, placeholder);
                }
            }
            if separated.len() == before {
                if cut <= 4 {
                    return Err(Error::new(JET_errRecordTooBig).with_detail(format!(
                        "a record of {} bytes; a {page_size}-byte page holds at most {limit}",
                        record.len()
                    )));
                }
                cut = if cut / 2 < page_size / 64 { 4 } else { cut / 2 };
            }
        };
        // Unchanged values keep their LIDs; the others get new ones.
        let mut released: Vec<u32> = original
            .map(|o| o.lids.values().copied().collect())
            .unwrap_or_default();
        let mut to_write = Vec::new();
        for (at, lid) in separated.iter_mut() {
            let kept = original.and_then(|o| {
                let old_lid = o.lids.get(at)?;
                let old_value = o.get(at.0)?.get(at.1)?;
                (values.get(at.0)?.get(at.1)? == old_value).then_some(*old_lid)
            });
            match kept {
                Some(old) => {
                    *lid = old;
                    released.retain(|l| *l != old);
                }
                None => to_write.push(*at),
            }
        }
        if !to_write.is_empty() {
            let tree = self.long_value_tree(state)?;
            let table_id = self.table.object_id;
            let mut next = match state.long_value_ids.get(&table_id) {
                Some(next) => *next,
                None => next_lid(&self.database.pages(), tree)?,
            };
            let chunk = chunk_size(page_size, self.table.lv_chunk_max);
            for at in to_write {
                if next >= MAX_LID {
                    return Err(Error::new(JET_errOutOfLongValueIDs));
                }
                let lid = next;
                next += 1;
                let compressed = self
                    .table
                    .column(at.0)
                    .is_some_and(|c| c.flags & column_flags::COMPRESSED != 0);
                let data = values
                    .get(at.0)
                    .and_then(|v| v.get(at.1))
                    .map_or(&[][..], Vec::as_slice);
                self.on_tree(state, tree, 100, |w| {
                    write_long_value(w, lid, data, chunk, compressed)
                })?;
                separated.insert(at, lid);
            }
            state.long_value_ids.insert(table_id, next);
        }
        // Without separated values the record that fitted is the record;
        // with them it is encoded again with their LIDs in place of the
        // placeholders (the same size).
        let record = if separated.is_empty() {
            fitting
        } else {
            values.encode(&self.table, page_size, &separated)?
        };
        Ok((record, released))
    }

    fn release(&mut self, state: &mut WriteState, lids: &[u32]) -> Result<()> {
        let Some(tree) = self.table.long_values else {
            return Ok(());
        };
        for lid in lids {
            let pages = self.database.pages();
            self.on_tree(state, tree, 100, |w| {
                release_long_value(&pages, w, tree, *lid)
            })?;
        }
        Ok(())
    }

    pub(crate) fn insert(
        &mut self,
        state: &mut WriteState,
        values: &RecordValues,
    ) -> Result<Vec<u8>> {
        let bookmark = self.primary_key(state, values)?;
        let table = self.table.clone();
        let entries = Self::secondary_entries(&table, values)?;
        // Every check before the first change. The primary tree's insert
        // refuses a duplicate key before it changes anything, so the
        // separate lookup is needed only when long values would be
        // written to the long-value tree ahead of that insert.
        let writes_long_values = values.iter().any(|(id, list)| {
            !list.is_empty()
                && self
                    .table
                    .column(id)
                    .is_some_and(|c| is_long_type(c.coltyp))
        });
        if writes_long_values && self.has_record(&bookmark)? {
            return Err(Error::new(JET_errKeyDuplicate).with_detail(format!(
                "table {} already holds the primary key",
                self.table.name
            )));
        }
        // Outside a transaction nothing would take back the primary insert,
        // so every unique key is looked up first. In one, the unique
        // index's own insert refuses a taken key (a node there, or another
        // transaction's version of it), and the update's undo takes back
        // what came before: one descent of the index instead of two.
        let versioned = self.recorder.is_some();
        for (index, keys) in &entries {
            if index.is_unique() && !versioned {
                for key in keys {
                    self.check_unique(index, key, &bookmark)?;
                }
            }
        }
        let (record, _) = self.encode(state, values, None, bookmark.len())?;
        self.on_tree(state, table.tree(), table.density, |w| {
            w.insert(&bookmark, &record)
        })
        .map_err(|e| {
            if e.code() == JET_errKeyDuplicate {
                Error::new(JET_errKeyDuplicate).with_detail(format!(
                    "table {} already holds the primary key",
                    self.table.name
                ))
            } else {
                e
            }
        })?;
        for (index, keys) in &entries {
            for key in keys {
                self.on_tree(state, index.tree(), index.density, |w| {
                    w.insert(key, &bookmark)
                })
                .map_err(|e| {
                    if e.code() == JET_errKeyDuplicate && index.is_unique() {
                        duplicate_in(index)
                    } else {
                        e
                    }
                })?;
            }
        }
        Ok(bookmark)
    }

    pub(crate) fn replace(
        &mut self,
        state: &mut WriteState,
        bookmark: &[u8],
        original: &RecordValues,
        values: &RecordValues,
    ) -> Result<()> {
        if let Some(primary) = self.table.primary_index() {
            let new_key = match index_entries(&self.table, primary, values)? {
                IndexEntries::Keys(keys) => keys.into_iter().next(),
                IndexEntries::None => None,
            };
            if new_key.as_deref() != Some(bookmark) {
                return Err(Error::new(JET_errRecordPrimaryChanged).with_detail(
                    "a replace cannot change the primary key (use JET_prepInsertCopyDeleteOriginal)",
                ));
            }
        }
        let table = self.table.clone();
        let old_entries = Self::secondary_entries(&table, original)?;
        let new_entries = Self::secondary_entries(&table, values)?;
        for ((index, old), (_, new)) in old_entries.iter().zip(&new_entries) {
            if index.is_unique() {
                for key in keys_not_in(new, old) {
                    self.check_unique(index, key, bookmark)?;
                }
            }
        }
        let (record, released) = self.encode(state, values, Some(original), bookmark.len())?;
        let table = self.table.clone();
        self.on_tree(state, table.tree(), table.density, |w| {
            w.replace(bookmark, &record)
        })?;
        for ((index, old), (_, new)) in old_entries.iter().zip(&new_entries) {
            for key in keys_not_in(old, new) {
                self.remove_entry(state, index, key, bookmark)?;
            }
            for key in keys_not_in(new, old) {
                self.on_tree(state, index.tree(), index.density, |w| {
                    w.insert(key, bookmark)
                })?;
            }
        }
        self.release(state, &released)
    }

    /// Adds `delta` to the 4-byte value at `offset` of record `bookmark`
    /// (an escrow column; no index holds escrow columns, as ESE requires)
    /// and returns the value it had.
    pub(crate) fn add_to(
        &self,
        state: &mut WriteState,
        bookmark: &[u8],
        offset: usize,
        delta: i32,
    ) -> Result<i32> {
        let table = self.table.clone();
        self.on_tree(state, table.tree(), table.density, |w| {
            w.add_to(bookmark, offset, delta)
        })
    }

    /// Removes the entry `key` of record `bookmark` from a secondary index
    /// (in a non-unique index the bookmark tells duplicates apart).
    fn remove_entry(
        &self,
        state: &mut WriteState,
        index: &IndexDef,
        key: &[u8],
        bookmark: &[u8],
    ) -> Result<()> {
        self.on_tree(state, index.tree(), index.density, |w| {
            if index.is_unique() {
                w.delete(key)
            } else {
                w.delete_entry(key, bookmark)
            }
        })
    }

    pub(crate) fn delete(
        &self,
        state: &mut WriteState,
        bookmark: &[u8],
        values: &RecordValues,
    ) -> Result<()> {
        let table = self.table.clone();
        let entries = Self::secondary_entries(&table, values)?;
        for (index, keys) in &entries {
            for key in keys {
                self.remove_entry(state, index, key, bookmark)?;
            }
        }
        let table = self.table.clone();
        self.on_tree(state, table.tree(), table.density, |w| w.delete(bookmark))?;
        if let Some(tree) = table.long_values {
            for lid in values.lids.values() {
                let pages = self.database.pages();
                self.on_tree(state, tree, 100, |w| {
                    release_long_value(&pages, w, tree, *lid)
                })?;
            }
        }
        Ok(())
    }
}

/// A secondary index with the keys a record gives it.
type IndexKeys<'t> = (&'t IndexDef, Keys);

/// The keys of `keys` that `other` lacks (both sorted, without
/// duplicates: a record's keys in one index).
fn keys_not_in<'a>(keys: &'a [Vec<u8>], other: &'a [Vec<u8>]) -> impl Iterator<Item = &'a Vec<u8>> {
    keys.iter().filter(|key| other.binary_search(key).is_err())
}

fn duplicate_in(index: &IndexDef) -> Error {
    Error::new(JET_errKeyDuplicate)
        .with_detail(format!("unique index {} already holds the key", index.name))
}
