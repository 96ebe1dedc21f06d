//! Changing records through a cursor (ESE: JetPrepareUpdate, JetSetColumn,
//! JetSetColumns, JetUpdate, JetDelete, JetEscrowUpdate).
//!
//! An update is prepared into a copy of the record's values; JetUpdate
//! turns the copy into a record, checks every constraint (NOT NULL, unique
//! indexes, the primary key) before changing anything, then writes the
//! record and the index entries under the database's write lock. Until the
//! version store exists each update is its own implicit transaction: it
//! either happens whole or, when a check fails, not at all. (An I/O error
//! or a full disk between the first and the last page change can still
//! leave it half done; the log will close that gap.)

use std::borrow::Cow;
use std::sync::Arc;

use ese_format::constants::*;

use crate::catalog::{column_flags, ColumnDef, TableDef};
use crate::codes::*;
use crate::cursor::store::Store;
use crate::cursor::{no_current_record, Cursor, PendingUpdate, Position, ReadRecord, UpdateKind};
use crate::grbit::*;
use crate::record::values::fixed_type_size;
use crate::record::values::{is_long_type, is_variable_type, RecordValues};
use crate::storage::long_value::MAX_LONG_VALUE_SIZE;
use crate::storage::long_value_write::DEFAULT_SEPARATE_THRESHOLD;
use crate::{Error, Result};

/// The columns of a table an update visits beyond those it sets (indexes
/// into the table's columns), found once per schema snapshot: a table may
/// define hundreds of columns, and an insert sets a few.
#[derive(Debug, Default)]
pub(crate) struct UpdateColumns {
    /// Live fixed and variable columns with a default (new records carry
    /// it; tagged defaults stay in the catalog).
    defaults: Vec<usize>,
    /// Version columns, deleted ones too (as the updates always set them).
    versions: Vec<usize>,
    /// The live autoincrement column.
    autoincrement: Option<usize>,
    /// Live NOT NULL columns.
    not_null: Vec<usize>,
    /// Live columns of every placement whose default a read returns when
    /// the record holds nothing (JetEnumerateColumns visits these and the
    /// stored ones, not every column the table defines).
    pub(crate) read_defaults: Vec<usize>,
}

impl UpdateColumns {
    pub(crate) fn of(table: &TableDef) -> Self {
        let mut columns = UpdateColumns::default();
        for (at, column) in table.columns.iter().enumerate() {
            let live = !column.is_deleted();
            if live && column.id < 256 && column.default_value.is_some() {
                columns.defaults.push(at);
            }
            if column.flags & column_flags::VERSION != 0 {
                columns.versions.push(at);
            }
            if live
                && column.flags & column_flags::AUTOINCREMENT != 0
                && columns.autoincrement.is_none()
            {
                columns.autoincrement = Some(at);
            }
            if live && column.flags & column_flags::NOT_NULL != 0 {
                columns.not_null.push(at);
            }
            if live
                && column.flags & column_flags::DEFAULT_VALUE != 0
                && column.default_value.is_some()
            {
                columns.read_defaults.push(at);
            }
        }
        columns
    }
}

/// JET_SETINFO: where in a long or multi-valued column a value goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SetInfo {
    /// Byte offset for JET_bitSetOverwriteLV.
    pub ib_long_value: u32,
    /// Which value of a multi-valued column (1-based; 0 adds a value).
    pub itag_sequence: u32,
}

/// JET_SETCOLUMN: one column for JetSetColumns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetColumn {
    pub column_id: u32,
    /// The data; `None` sets NULL.
    pub data: Option<Vec<u8>>,
    pub grbit: u32,
    pub ib_long_value: u32,
    pub itag_sequence: u32,
    /// Out: the outcome for this column (0 or a warning or error code).
    pub err: i32,
}

impl Cursor {
    fn require_writable(&self) -> Result<()> {
        if self.read_only || self.database.is_read_only() {
            return Err(Error::new(JET_errPermissionDenied)
                .with_detail("the table or database is open read-only"));
        }
        self.session.check_updatable()
    }

    /// The values of the record the cursor is on.
    /// [`Self::current_values`] for a caller that holds no lock: shares
    /// the database with other readers while it reads.
    fn current_values_shared(&self) -> Result<(Vec<u8>, RecordValues)> {
        let database = self.database.clone();
        let _access = database.read_access();
        self.current_values()
    }

    /// The current record's values, every long value read (what an update
    /// or a key computation needs).
    pub(crate) fn current_values(&self) -> Result<(Vec<u8>, RecordValues)> {
        let (bookmark, data) = self.current_record()?;
        let values = RecordValues::decode(&self.pages(), &self.table, &data)?;
        Ok((bookmark, values))
    }

    /// The current record's bookmark and stored bytes.
    fn current_record(&self) -> Result<(Vec<u8>, Vec<u8>)> {
        let bookmark = match &self.position {
            Position::On(place) => place.bookmark.to_vec(),
            Position::Deleted(_) => return Err(Error::new(JET_errRecordDeleted)),
            _ => return Err(no_current_record()),
        };
        let data = self
            .record_data(&bookmark)?
            .ok_or_else(|| Error::new(JET_errRecordDeleted))?;
        Ok((bookmark, data))
    }

    /// What deleting the current record needs of it: every value when a
    /// secondary index takes keys from them; else only its long values'
    /// ids (their contents are not read), or nothing without a long-value
    /// tree. The record must be there either way.
    fn values_to_delete(&self) -> Result<(Vec<u8>, RecordValues)> {
        if self.table.indexes.iter().any(|i| !i.is_primary()) {
            return self.current_values();
        }
        let (bookmark, data) = self.current_record()?;
        let values = if self.table.long_values.is_some() {
            RecordValues::decode_for_reading(&self.pages(), &self.table, &data)?
        } else {
            RecordValues::new()
        };
        Ok((bookmark, values))
    }

    /// Makes [`Cursor::read`] hold the current record, reading it unless
    /// it holds it already for this database state.
    pub(crate) fn load_current_record(&self) -> Result<()> {
        let bookmark = match &self.position {
            Position::On(place) => &place.bookmark,
            Position::Deleted(_) => return Err(Error::new(JET_errRecordDeleted)),
            _ => return Err(no_current_record()),
        };
        let change = self.view_stamp();
        if let Some(record) = &*self.read.borrow() {
            if record.change == change && record.bookmark == *bookmark {
                return Ok(());
            }
        }
        // The last record's buffer holds this one (a scan reads record
        // after record).
        let mut data = self
            .read
            .borrow_mut()
            .take()
            .map(|last| last.data)
            .unwrap_or_default();
        if !self.record_data_into(bookmark, &mut data)? {
            return Err(Error::new(JET_errRecordDeleted));
        }
        *self.read.borrow_mut() = Some(ReadRecord {
            change,
            bookmark: bookmark.clone(),
            data,
            values: None,
        });
        Ok(())
    }

    /// The current record's values for reading, decoded once per record
    /// and database state (every column read of a record shares one
    /// decoding); long values are read when asked for.
    pub(crate) fn shared_values(&self) -> Result<Arc<RecordValues>> {
        self.load_current_record()?;
        let mut read = self.read.borrow_mut();
        let record = read
            .as_mut()
            .ok_or_else(|| Error::new(JET_errInternalError).with_detail("no record read"))?;
        if let Some(values) = &record.values {
            return Ok(values.clone());
        }
        let values = Arc::new(RecordValues::decode_for_reading(
            &self.pages(),
            &self.table,
            &record.data,
        )?);
        record.values = Some(values.clone());
        Ok(values)
    }

    /// JetPrepareUpdate.
    pub fn prepare_update(&mut self, prep: u32) -> Result<()> {
        let _call = self.session.enter()?;
        self.refresh()?;
        if prep == JET_prepCancel {
            return match self.update.take() {
                Some(pending) => {
                    self.spare_values = Some(pending.values.recycled());
                    Ok(())
                }
                None => Err(Error::new(JET_errUpdateNotPrepared)),
            };
        }
        if !matches!(
            prep,
            JET_prepInsert
                | JET_prepReplace
                | JET_prepReplaceNoLock
                | JET_prepInsertCopy
                | JET_prepInsertCopyDeleteOriginal
        ) {
            return Err(Error::new(JET_errInvalidParameter)
                .with_detail(format!("JetPrepareUpdate option {prep}")));
        }
        self.require_writable()?;
        if self.update.is_some() {
            return Err(Error::new(JET_errAlreadyPrepared));
        }
        let pending = match prep {
            JET_prepInsert => {
                let mut values = self.spare_values.take().unwrap_or_default();
                let table = &self.table;
                // ESE copies fixed and variable defaults into new records;
                // tagged defaults stay in the catalog.
                for &at in &self.update_columns.defaults {
                    let column = &table.columns[at];
                    if let Some(default) = &column.default_value {
                        values.set(table.column_id_of(column), vec![default.clone()]);
                    }
                }
                for &at in &self.update_columns.versions {
                    let column = &table.columns[at];
                    if !column.is_deleted() {
                        values.set(
                            table.column_id_of(column),
                            vec![0i32.to_le_bytes().to_vec()],
                        );
                    }
                }
                self.assign_autoincrement(&mut values)?;
                PendingUpdate {
                    kind: UpdateKind::Insert,
                    values,
                }
            }
            JET_prepReplace | JET_prepReplaceNoLock => {
                let (bookmark, original) = self.current_values_shared()?;
                // Inside a transaction JET_prepReplace write-locks the
                // record at once, as ESE does, so a conflict shows here
                // and the update cannot meet one later.
                if prep == JET_prepReplace && self.session.transaction_level() > 0 {
                    let (tree, density) = (self.table.tree(), self.table.density);
                    self.session
                        .lock_record(&self.database, tree, density, &bookmark, true)?;
                }
                PendingUpdate {
                    kind: UpdateKind::Replace {
                        bookmark,
                        original: original.clone(),
                    },
                    values: original,
                }
            }
            _ => {
                let (bookmark, mut values) = self.current_values_shared()?;
                for &at in &self.update_columns.versions {
                    let column = &self.table.columns[at];
                    values.set(
                        self.table.column_id_of(column),
                        vec![0i32.to_le_bytes().to_vec()],
                    );
                }
                self.assign_autoincrement(&mut values)?;
                PendingUpdate {
                    kind: if prep == JET_prepInsertCopy {
                        UpdateKind::Insert
                    } else {
                        UpdateKind::InsertCopyDeleteOriginal { bookmark }
                    },
                    values,
                }
            }
        };
        self.update = Some(pending);
        self.update_cancelled = self.session.register_cursor(self.update_cancelled.as_ref());
        Ok(())
    }

    /// Gives a new record its autoincrement value (ESE assigns it when the
    /// insert is prepared, so a cancelled insert uses a number up).
    fn assign_autoincrement(&mut self, values: &mut RecordValues) -> Result<()> {
        let Some(column) = self
            .update_columns
            .autoincrement
            .map(|at| self.table.columns[at].clone())
        else {
            return Ok(());
        };
        let mut guard = self.database.write()?;
        let table_id = self.table.object_id;
        let next = match guard.state().autoincrement.get(&table_id) {
            Some(next) => *next,
            None => self.highest_autoincrement(&column)? + 1,
        };
        guard.state().autoincrement.insert(table_id, next + 1);
        let bytes = if column.max_size == 4 {
            let value = u32::try_from(next).map_err(|_| {
                Error::new(JET_errOutOfAutoincrementValues)
                    .with_detail(format!("column {:?}", column.name))
            })?;
            value.to_le_bytes().to_vec()
        } else {
            next.to_le_bytes().to_vec()
        };
        values.set(self.table.column_id_of(&column), vec![bytes]);
        Ok(())
    }

    /// The largest autoincrement value stored (0 for none): the last entry
    /// of an index led by the column, else a scan.
    fn highest_autoincrement(&self, column: &ColumnDef) -> Result<u64> {
        let pages = self.database.pages();
        let value_of = |values: &RecordValues| -> u64 {
            values
                .get(self.table.column_id_of(column))
                .and_then(|v| v.first())
                .map_or(0, |bytes| match bytes.len() {
                    4 => u64::from(u32::from_le_bytes(bytes[..4].try_into().unwrap_or([0; 4]))),
                    8 => u64::from_le_bytes(bytes[..8].try_into().unwrap_or([0; 8])),
                    _ => 0,
                })
        };
        let led = self.table.indexes.iter().find(|i| {
            i.segments
                .first()
                .is_some_and(|s| s.column_id == column.id && !s.descending)
        });
        if let Some(index) = led {
            let tree = if index.is_primary() {
                self.table.tree()
            } else {
                index.tree()
            };
            let Some(last) = tree.entries_rev(&pages)?.next().transpose()? else {
                return Ok(0);
            };
            let bookmark = if index.is_primary() {
                last.key
            } else {
                last.data
            };
            let Some(data) = self.record_data(&bookmark)? else {
                return Ok(0);
            };
            return Ok(value_of(&RecordValues::decode(&pages, &self.table, &data)?));
        }
        let mut highest = 0;
        for entry in self.table.tree().entries(&pages) {
            let entry = entry?;
            let values = RecordValues::decode(&pages, &self.table, &entry.data)?;
            highest = highest.max(value_of(&values));
        }
        Ok(highest)
    }

    /// JetSetColumn: sets (or with `None`, NULLs) a column of the prepared
    /// record. Returns 0 or a warning.
    pub fn set_column(
        &mut self,
        column_id: u32,
        data: Option<&[u8]>,
        grbit: u32,
        info: Option<SetInfo>,
    ) -> Result<i32> {
        let _call = self.session.enter()?;
        let known = JET_bitSetAppendLV
            | JET_bitSetOverwriteLV
            | JET_bitSetSizeLV
            | JET_bitSetZeroLength
            | JET_bitSetSeparateLV
            | JET_bitSetUniqueMultiValues
            | JET_bitSetUniqueNormalizedMultiValues
            | JET_bitSetRevertToDefaultValue
            | JET_bitSetIntrinsicLV
            | JET_bitSetUncompressed
            | JET_bitSetCompressed;
        if grbit & !known != 0 {
            return Err(Error::new(JET_errInvalidGrbit).with_detail("JetSetColumn options"));
        }
        let lv_bits = JET_bitSetAppendLV | JET_bitSetOverwriteLV | JET_bitSetSizeLV;
        if grbit & (JET_bitSetUniqueMultiValues | JET_bitSetUniqueNormalizedMultiValues) != 0
            && grbit & lv_bits != 0
        {
            return Err(Error::new(JET_errInvalidGrbit)
                .with_detail("unique multi-values cannot go with long-value offsets"));
        }
        if !valid_column_id(column_id) {
            return Err(
                Error::new(JET_errBadColumnId).with_detail(format!("column id {column_id}"))
            );
        }
        // Borrowed from the table definition, not copied (nor its Arc
        // cloned): a set per column of every row.
        let table: &TableDef = &self.table;
        let column = table
            .column(column_id)
            .filter(|c| !c.is_deleted())
            .ok_or_else(|| {
                Error::new(JET_errColumnNotFound).with_detail(format!("column id {column_id}"))
            })?;
        let key = table.column_id_of(column);
        let pending = self
            .update
            .as_mut()
            .ok_or_else(|| Error::new(JET_errUpdateNotPrepared))?;
        if column.flags & column_flags::AUTOINCREMENT != 0 {
            return Err(Error::new(JET_errInvalidColumnType)
                .with_detail(format!("{:?} is an autoincrement column", column.name)));
        }
        if column.flags & column_flags::VERSION != 0
            && matches!(pending.kind, UpdateKind::Replace { .. })
        {
            return Err(Error::new(JET_errInvalidColumnType)
                .with_detail(format!("{:?} is a version column", column.name)));
        }
        let info = info.unwrap_or_default();
        if grbit & JET_bitSetRevertToDefaultValue != 0 {
            pending.values.remove(key);
            if column.id < 256 {
                if let Some(default) = &column.default_value {
                    pending.values.set(key, vec![default.clone()]);
                }
            }
            return Ok(JET_errSuccess);
        }
        // JET: no data means NULL unless a zero-length value is asked for.
        let value: Option<Vec<u8>> = match data {
            Some(bytes) if !bytes.is_empty() || grbit & JET_bitSetZeroLength != 0 => {
                Some(pending.values.copy_of(bytes))
            }
            _ if grbit & JET_bitSetSizeLV != 0 => Some(Vec::new()),
            _ => None,
        };
        if let Some(bytes) = &value {
            check_size(column, bytes.len(), grbit & lv_bits != 0)?;
        }
        // ESE stores every true Bit as 0xFF.
        let value = match value {
            Some(bytes) if column.coltyp == JET_coltypBit && bytes != [0] => Some(vec![0xff]),
            other => other,
        };
        let multi = column.is_multi_valued();
        let values = pending.values.entry(key);
        let itag = info.itag_sequence as usize;
        let slot = if multi {
            if itag == 0 || itag > values.len() {
                None
            } else {
                Some(itag - 1)
            }
        } else if values.is_empty() {
            None
        } else {
            Some(0)
        };
        let Some(new) = value else {
            if column.flags & column_flags::NOT_NULL != 0 && !multi {
                return Err(Error::new(JET_errNullInvalid)
                    .with_detail(format!("column {:?} is NOT NULL", column.name)));
            }
            match slot {
                Some(i) if multi => {
                    values.remove(i);
                }
                _ if multi => {}
                _ => values.clear(),
            }
            return Ok(JET_errSuccess);
        };
        let new = match slot {
            Some(i) if grbit & lv_bits != 0 => {
                long_value_edit(&values[i], new, grbit, info.ib_long_value)?
            }
            _ if grbit & JET_bitSetOverwriteLV != 0 && info.ib_long_value != 0 => {
                long_value_edit(&[], new, grbit, info.ib_long_value)?
            }
            _ => new,
        };
        check_size(column, new.len(), false)?;
        // A long value ESE must store apart from the record is written to
        // the long-value tree as it is set, which ESE allows only inside a
        // transaction (JetSetColumn's JET_errNotInTransaction).
        if is_long_type(column.coltyp) && self.session.transaction_level() == 0 {
            let threshold = self
                .table
                .separate_lv_threshold
                .filter(|t| *t > 0)
                .map_or(DEFAULT_SEPARATE_THRESHOLD, |t| t as usize);
            if new.len() > threshold || grbit & JET_bitSetSeparateLV != 0 {
                return Err(Error::new(JET_errNotInTransaction).with_detail(format!(
                    "a long value of {} bytes is stored apart from the record, which needs a \
                     transaction",
                    new.len()
                )));
            }
        }
        if grbit & (JET_bitSetUniqueMultiValues | JET_bitSetUniqueNormalizedMultiValues) != 0
            && values
                .iter()
                .enumerate()
                .any(|(i, v)| Some(i) != slot && *v == new)
        {
            return Err(Error::new(JET_errMultiValuedDuplicate)
                .with_detail(format!("column {:?} already holds that value", column.name)));
        }
        match slot {
            Some(i) => values[i] = new,
            None if multi => values.push(new),
            None => {
                values.clear();
                values.push(new);
            }
        }
        Ok(JET_errSuccess)
    }

    /// JetSetColumns: each column's outcome goes to its `err`; the first
    /// error stops the call.
    pub fn set_columns(&mut self, columns: &mut [SetColumn]) -> Result<()> {
        let _call = self.session.enter()?;
        for column in columns.iter_mut() {
            let info = SetInfo {
                ib_long_value: column.ib_long_value,
                itag_sequence: column.itag_sequence,
            };
            match self.set_column(
                column.column_id,
                column.data.as_deref(),
                column.grbit,
                Some(info),
            ) {
                Ok(warning) => column.err = warning,
                Err(e) => {
                    column.err = e.code();
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// JetUpdate: writes the prepared record and returns its bookmark.
    /// A failed update stays prepared, as in ESE.
    pub fn update(&mut self) -> Result<Vec<u8>> {
        let _call = self.session.enter()?;
        self.refresh()?;
        let pending = self
            .update
            .take()
            .ok_or_else(|| Error::new(JET_errUpdateNotPrepared))?;
        let written = self.write_update(&pending);
        if written.is_err() {
            self.update = Some(pending);
        } else {
            self.spare_values = Some(pending.values.recycled());
        }
        written
    }

    fn write_update(&mut self, pending: &PendingUpdate) -> Result<Vec<u8>> {
        let table = self.table.clone();
        let update_columns = self.update_columns.clone();
        // Copied only when the update adds to what was set (version columns).
        let mut values = Cow::Borrowed(&pending.values);
        if let UpdateKind::Replace { original, .. } = &pending.kind {
            for column in update_columns.versions.iter().map(|&at| &table.columns[at]) {
                let old = original
                    .get(table.column_id_of(column))
                    .and_then(|v| v.first())
                    .map_or(0, |b| long_value_of(b));
                values.to_mut().set(
                    table.column_id_of(column),
                    vec![old.wrapping_add(1).to_le_bytes().to_vec()],
                );
            }
        }
        for column in update_columns.not_null.iter().map(|&at| &table.columns[at]) {
            let missing = match values.get(table.column_id_of(column)) {
                Some(v) => v.is_empty(),
                None => column.default_value.is_none(),
            };
            if missing {
                return Err(Error::new(JET_errNullInvalid)
                    .with_detail(format!("column {:?} is NOT NULL", column.name)));
            }
        }
        let database = self.database.clone();
        let session = self.session.clone();
        let mut guard = database.write()?;
        // The table as it is now: another cursor may have given it a
        // long-value tree since this one last looked (the schema cannot
        // change while the write lock is held).
        self.refresh()?;
        if matches!(pending.kind, UpdateKind::Replace { .. }) {
            self.offer_leaf_hint(guard.state());
        }
        // The change makes the cursor's leaf stale; let its page snapshot
        // go before the page is written, so the write does not copy it.
        self.leaf = None;
        let table = self.table.clone();
        let mut schema_changed = false;
        let this = &*self;
        let outcome = session.versioned_update(&database, guard.state(), |state, recorder| {
            let mut store = Store::new(&database, table, recorder);
            let outcome = match &pending.kind {
                UpdateKind::Insert => store.insert(state, &values),
                UpdateKind::InsertCopyDeleteOriginal { bookmark } => {
                    let mut copy = values.clone().into_owned();
                    copy.lids.clear();
                    store.insert(state, &copy).and_then(|new| {
                        let pages = this.pages();
                        let old_data = this
                            .record_data(bookmark)?
                            .ok_or_else(|| Error::new(JET_errRecordDeleted))?;
                        let old_values = RecordValues::decode(&pages, &store.table, &old_data)?;
                        store.delete(state, bookmark, &old_values)?;
                        Ok(new)
                    })
                }
                UpdateKind::Replace { bookmark, original } => {
                    // Another session may have changed or deleted the
                    // record since JetPrepareUpdate copied it: that is a
                    // write conflict, as ESE reports it, and nothing is
                    // written.
                    let pages = database.pages();
                    match store.table.tree().get(&pages, bookmark)? {
                        None => Err(store.missing_record_error(bookmark)),
                        Some(data) => {
                            let now = RecordValues::decode(&pages, &store.table, &data)?;
                            if now != *original {
                                Err(Error::new(JET_errWriteConflict).with_detail(
                                    "another session changed the record since JetPrepareUpdate",
                                ))
                            } else {
                                store
                                    .replace(state, bookmark, original, &values)
                                    .map(|()| bookmark.clone())
                            }
                        }
                    }
                }
            };
            schema_changed = store.schema_changed;
            outcome
        });
        guard.changed();
        if schema_changed {
            guard.schema_changed()?;
        }
        let bookmark = outcome?;
        drop(guard);
        if let UpdateKind::Replace { .. } = pending.kind {
            // The cursor stays on the record (its entry in the current
            // index may have moved).
            let _ = self.goto_bookmark(&bookmark);
        }
        Ok(bookmark)
    }

    /// JetDelete: removes the current record; the cursor stays where the
    /// record was.
    pub fn delete(&mut self) -> Result<()> {
        let _call = self.session.enter()?;
        self.refresh()?;
        self.require_writable()?;
        // The record is read under the write lock: what is deleted (its
        // index entries, its long values) is what is there now.
        let database = self.database.clone();
        let session = self.session.clone();
        let mut guard = database.write()?;
        let (bookmark, values) = self.values_to_delete()?;
        let table = self.table.clone();
        self.offer_leaf_hint(guard.state());
        // The change makes the cursor's leaf stale; let its page snapshot
        // go before the page is written, so the write does not copy it.
        self.leaf = None;
        let outcome = session.versioned_update(&database, guard.state(), |state, recorder| {
            Store::new(&database, table, recorder).delete(state, &bookmark, &values)
        });
        guard.changed();
        drop(guard);
        outcome?;
        self.update = None;
        if let Position::On(place) = &self.position {
            self.position = Position::Deleted(place.clone());
        }
        Ok(())
    }

    /// JetEscrowUpdate: adds `delta` to an escrow column of the current
    /// record and returns the value it had (on the page: the running total
    /// of every transaction's deltas). Needs a transaction.
    pub fn escrow_update(&mut self, column_id: u32, delta: i32, grbit: u32) -> Result<i32> {
        let _call = self.session.enter()?;
        crate::grbit::check_grbit(grbit, JET_bitEscrowNoRollback, "JetEscrowUpdate")?;
        self.refresh()?;
        self.require_writable()?;
        let column = self
            .table
            .column(column_id)
            .filter(|c| !c.is_deleted())
            .cloned()
            .ok_or_else(|| Error::new(JET_errColumnNotFound))?;
        let key = self.table.column_id_of(&column);
        if column.flags & column_flags::ESCROW_UPDATE == 0 {
            return Err(Error::new(JET_errInvalidOperation)
                .with_detail(format!("{:?} is not an escrow update column", column.name)));
        }
        if self.update.is_some() {
            return Err(Error::new(JET_errAlreadyPrepared));
        }
        if self.session.transaction_level() == 0 {
            return Err(Error::new(JET_errNotInTransaction)
                .with_detail("escrow updates can only be made in a transaction"));
        }
        // JET_bitEscrowNoRollback: no version is kept, so the delta is
        // seen by everyone at once and no rollback takes it back.
        let no_rollback = grbit & JET_bitEscrowNoRollback != 0;
        // Read and changed under one hold of the write lock: concurrent
        // escrow updates add up.
        let database = self.database.clone();
        let session = self.session.clone();
        let mut guard = database.write()?;
        let (bookmark, original) = self.current_values()?;
        let table = self.table.clone();
        let delete_on_zero = column.flags & column_flags::DELETE_ON_ZERO != 0;
        // The page holds the running total of every transaction's deltas;
        // when the column is stored there as a 4-byte fixed value, the
        // update is a delta that other transactions' deltas do not
        // conflict with (ESE's escrow versions).
        let stored = self.stored_escrow(&database, &bookmark, &column)?;
        // The change makes the cursor's leaf stale; let its page snapshot
        // go before the page is written, so the write does not copy it.
        self.leaf = None;
        if let Some((offset, raw)) = stored {
            if !(delete_on_zero && raw.wrapping_add(delta) == 0) {
                let outcome = if no_rollback {
                    session.check_access(
                        &database,
                        table.object_id,
                        &bookmark,
                        crate::storage::btree_write::Access::Delta,
                    )?;
                    Store::new(&database, table, None).add_to(
                        guard.state(),
                        &bookmark,
                        offset,
                        delta,
                    )
                } else {
                    session.versioned_update(&database, guard.state(), |state, recorder| {
                        Store::new(&database, table, recorder)
                            .add_to(state, &bookmark, offset, delta)
                    })
                };
                guard.changed();
                return outcome;
            }
        }
        let old = original
            .get(key)
            .and_then(|v| v.first())
            .or(column.default_value.as_ref())
            .map_or(0, |b| long_value_of(b));
        let mut values = original.clone();
        let new = old.wrapping_add(delta);
        values.set(key, vec![new.to_le_bytes().to_vec()]);
        let delete = new == 0 && delete_on_zero;
        let outcome = session.versioned_update(&database, guard.state(), |state, recorder| {
            let mut store = Store::new(&database, table, recorder);
            if delete {
                store.delete(state, &bookmark, &original)
            } else {
                store.replace(state, &bookmark, &original, &values)
            }
        });
        guard.changed();
        outcome.map(|()| old)
    }

    /// JetGetLock: a read lock (JET_bitReadLock) or a write lock
    /// (JET_bitWriteLock) on the current record until the transaction
    /// ends. Needs a transaction (`JET_errNotInTransaction`); another
    /// transaction's uncommitted change or lock, or a change committed
    /// after this transaction began, is `JET_errWriteConflict` (read locks
    /// share).
    pub fn get_lock(&mut self, grbit: u32) -> Result<()> {
        let _call = self.session.enter()?;
        if grbit != JET_bitReadLock && grbit != JET_bitWriteLock {
            return Err(Error::new(JET_errInvalidGrbit)
                .with_detail("JetGetLock takes exactly one of JET_bitReadLock, JET_bitWriteLock"));
        }
        self.refresh()?;
        if grbit == JET_bitWriteLock {
            self.require_writable()?;
        }
        let Position::On(place) = &self.position else {
            return Err(Error::new(JET_errNoCurrentRecord));
        };
        let bookmark = place.bookmark.clone();
        // A record this transaction cannot see (deleted since the cursor
        // came to it) cannot be locked.
        if self.record_data(&bookmark)?.is_none() {
            return Err(Error::new(JET_errRecordDeleted));
        }
        let (tree, density) = (self.table.tree(), self.table.density);
        self.session.lock_record(
            &self.database,
            tree,
            density,
            &bookmark,
            grbit == JET_bitWriteLock,
        )
    }

    /// Where escrow column `column` of record `bookmark` sits on the page
    /// and the value there, when the record as stored holds it as a 4-byte
    /// fixed value (not NULL, not absent, not a default).
    fn stored_escrow(
        &self,
        database: &crate::database::Database,
        bookmark: &[u8],
        column: &ColumnDef,
    ) -> Result<Option<(usize, i32)>> {
        let (Some(offset), 4) = (column.record_offset, column.max_size) else {
            return Ok(None);
        };
        let id = column.id & !crate::catalog::TEMPLATE_COLUMN_BIT;
        if id == 0 || id >= 128 {
            return Ok(None);
        }
        let Some(data) = self.table.tree().get(&database.pages(), bookmark)? else {
            return Ok(None);
        };
        let record = ese_format::record::Record::parse(&data, database.page_size())?;
        Ok(match record.fixed(id, usize::from(offset), 4)? {
            ese_format::record::Stored::Value(bytes) => Some((
                usize::from(offset),
                i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
            )),
            _ => None,
        })
    }
}

/// `JET_errInvalidBufferSize` / `JET_errColumnTooBig` for a value of `len`
/// bytes in `column`.
fn check_size(column: &ColumnDef, len: usize, partial: bool) -> Result<()> {
    if let Some(size) = fixed_type_size(column.coltyp) {
        if len != size as usize && !partial {
            return Err(Error::new(JET_errInvalidBufferSize).with_detail(format!(
                "{len} bytes for column {:?}, which holds {size}",
                column.name
            )));
        }
        return Ok(());
    }
    let limit = if is_long_type(column.coltyp) {
        if column.max_size == 0 {
            MAX_LONG_VALUE_SIZE as usize
        } else {
            column.max_size as usize
        }
    } else {
        column.max_size as usize
    };
    if len > limit {
        return Err(Error::new(JET_errColumnTooBig).with_detail(format!(
            "{len} bytes for column {:?}, which holds at most {limit}",
            column.name
        )));
    }
    debug_assert!(is_variable_type(column.coltyp));
    Ok(())
}

/// Applies JET_bitSetAppendLV / OverwriteLV / SizeLV to a long value.
fn long_value_edit(old: &[u8], data: Vec<u8>, grbit: u32, offset: u32) -> Result<Vec<u8>> {
    let mut value = old.to_vec();
    if grbit & JET_bitSetSizeLV != 0 {
        let size = match data.len() {
            4 => u32::from_le_bytes(data[..4].try_into().unwrap_or([0; 4])) as usize,
            _ => {
                return Err(Error::new(JET_errInvalidBufferSize)
                    .with_detail("JET_bitSetSizeLV takes the new size as 4 bytes"))
            }
        };
        value.resize(size, 0);
        return Ok(value);
    }
    if grbit & JET_bitSetAppendLV != 0 {
        value.extend_from_slice(&data);
        return Ok(value);
    }
    let offset = offset as usize;
    if offset > value.len() {
        return Err(Error::new(JET_errColumnNoChunk).with_detail(format!(
            "offset {offset} past the value's {} bytes",
            value.len()
        )));
    }
    let end = offset + data.len();
    if end > value.len() {
        value.resize(end, 0);
    }
    value[offset..end].copy_from_slice(&data);
    Ok(value)
}

/// A JET_COLUMNID in range: a column number, possibly with the template
/// bit and nothing else.
pub(crate) fn valid_column_id(column_id: u32) -> bool {
    let number = column_id & !crate::catalog::TEMPLATE_COLUMN_BIT;
    number != 0 && number <= ese_format::record::LAST_COLUMN_ID
}

/// A Long column's value (0 for bytes of another length, which a damaged
/// record or catalog could hold).
fn long_value_of(bytes: &[u8]) -> i32 {
    <[u8; 4]>::try_from(bytes).map_or(0, i32::from_le_bytes)
}
