//! Reading columns through a cursor (ESE: JetRetrieveColumn,
//! JetRetrieveColumns, JetEnumerateColumns, JetGetRecordSize).
//!
//! Values come from the current record, or with JET_bitRetrieveCopy from
//! the prepared update. A column the record does not hold reads as its
//! default value when it has one (unless JET_bitRetrieveIgnoreDefault),
//! else as NULL (`JET_wrnColumnNull`). A buffer too small gets what fits
//! and `JET_wrnBufferTruncated`, with the full size reported.

use crate::catalog::{column_flags, ColumnDef, Placement, TableDef};
use crate::codes::*;
use crate::cursor::update::valid_column_id;
use crate::cursor::Cursor;
use crate::grbit::*;
use crate::record::values::RecordValues;
use crate::{Error, Result};
use ese_format::record::{Record, Stored};

/// JET_RETINFO: which value, and from which byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetInfo {
    /// Byte offset into a long value.
    pub ib_long_value: u32,
    /// Which value of a multi-valued column (1-based).
    pub itag_sequence: u32,
}

impl Default for RetInfo {
    fn default() -> Self {
        RetInfo {
            ib_long_value: 0,
            itag_sequence: 1,
        }
    }
}

/// What JetRetrieveColumn reports besides the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retrieved {
    /// The value's full size in bytes (from the offset asked for).
    pub actual_size: usize,
    /// 0, `JET_wrnColumnNull` or `JET_wrnBufferTruncated`.
    pub warning: i32,
}

/// JET_RETRIEVECOLUMN: one column for JetRetrieveColumns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetrieveColumn {
    pub column_id: u32,
    /// The buffer's size: at most this many bytes are returned.
    pub buffer_size: usize,
    pub grbit: u32,
    pub ib_long_value: u32,
    /// Which value (1-based); 0 asks for the number of values instead.
    pub itag_sequence: u32,
    /// Out: the bytes (at most `buffer_size`).
    pub data: Vec<u8>,
    /// Out: the value's full size.
    pub actual_size: usize,
    /// Out: 0, a warning, or the error for this column.
    pub err: i32,
}

/// One column of JetEnumerateColumns: its values in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumeratedColumn {
    pub column_id: u32,
    pub values: Vec<Vec<u8>>,
}

/// JetGetRecordSize's answer (JET_RECSIZE).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordSize {
    /// Bytes of column data in the record.
    pub data: u64,
    /// Bytes of long-value data (all in the record today).
    pub long_value_data: u64,
    /// Bytes of record structure (header, offsets, tags).
    pub overhead: u64,
    pub non_tagged_columns: u64,
    pub tagged_columns: u64,
    pub long_values: u64,
    pub multi_values: u64,
}

impl Cursor {
    /// The values to read: the prepared copy or the current record.
    fn values_for_read(&self, copy: bool) -> Result<std::sync::Arc<RecordValues>> {
        if copy {
            if let Some(update) = &self.update {
                return Ok(std::sync::Arc::new(update.values.clone()));
            }
        }
        self.shared_values()
    }

    /// The record's value of a fixed or variable column, read in the
    /// stored record without decoding the rest of it (such a column holds
    /// at most one value, stored raw): what [`Self::read_value`] gives
    /// for its first value.
    /// The piece asked for is written into `into` when the caller gave a
    /// buffer (see [`piece_of`]), with no copy of the value on the way.
    fn value_in_record(
        &self,
        column: &ColumnDef,
        ignore_default: bool,
        info: &RetInfo,
        limit: usize,
        into: Option<&mut [u8]>,
    ) -> Result<(Option<ValueBytes>, usize, i32)> {
        self.load_current_record()?;
        let read = self.read.borrow();
        let record = read
            .as_ref()
            .ok_or_else(|| Error::new(JET_errInternalError).with_detail("no record read"))?;
        let stored = Record::parse(&record.data, self.database.page_size())?;
        let stored = match column.placement() {
            Placement::Fixed => {
                let offset = column.record_offset.ok_or_else(|| {
                    Error::new(JET_errCatalogCorrupted)
                        .with_detail(format!("fixed column {:?} has no offset", column.name))
                })?;
                stored.fixed(column.id, usize::from(offset), column.max_size as usize)?
            }
            Placement::Variable => stored.variable(column.id)?,
            Placement::Tagged => {
                return Err(Error::new(JET_errInternalError)
                    .with_detail("a tagged column's value read as a fixed or variable one"))
            }
        };
        let value = match stored {
            Stored::Value(bytes) => Some(bytes),
            Stored::Null => None,
            Stored::Absent
                if !ignore_default && column.flags & column_flags::DEFAULT_VALUE != 0 =>
            {
                column.default_value.as_deref()
            }
            Stored::Absent => None,
        };
        Ok(piece_of(value, info, limit, into))
    }

    /// How many values a column reads as (its default counting as one
    /// unless ignored).
    fn value_count(
        &self,
        column: &ColumnDef,
        values: &RecordValues,
        ignore_default: bool,
    ) -> usize {
        match values.get(self.table.column_id_of(column)) {
            Some(list) => list.len(),
            None if !ignore_default && column.flags & column_flags::DEFAULT_VALUE != 0 => {
                usize::from(column.default_value.is_some())
            }
            None => 0,
        }
    }

    /// Value `index` of a column as it reads (a long value read only now;
    /// the default when the record holds nothing, unless ignored).
    fn read_value(
        &self,
        column: &ColumnDef,
        values: &RecordValues,
        index: usize,
        ignore_default: bool,
    ) -> Result<Option<Vec<u8>>> {
        let column_id = self.table.column_id_of(column);
        if values.get(column_id).is_some() {
            let pages = self.pages();
            return Ok(values
                .value(&pages, &self.table, column_id, index)?
                .map(|v| v.into_owned()));
        }
        if !ignore_default && column.flags & column_flags::DEFAULT_VALUE != 0 && index == 0 {
            return Ok(column.default_value.clone());
        }
        Ok(None)
    }

    /// Every value a column reads as.
    fn read_values(
        &self,
        column: &ColumnDef,
        values: &RecordValues,
        ignore_default: bool,
    ) -> Result<Vec<Vec<u8>>> {
        let count = self.value_count(column, values, ignore_default);
        let mut list = Vec::with_capacity(count);
        for index in 0..count {
            if let Some(value) = self.read_value(column, values, index, ignore_default)? {
                list.push(value);
            }
        }
        Ok(list)
    }

    /// JetRetrieveColumn into `buffer`.
    pub fn retrieve_column(
        &mut self,
        column_id: u32,
        buffer: &mut [u8],
        grbit: u32,
        info: Option<RetInfo>,
    ) -> Result<Retrieved> {
        let _call = self.session.enter()?;
        let limit = buffer.len();
        let (value, actual_size, warning) =
            self.retrieve_value(column_id, grbit, info, limit, Some(&mut *buffer))?;
        let copied = match value {
            None => {
                return Ok(Retrieved {
                    actual_size: 0,
                    warning,
                })
            }
            Some(ValueBytes::Written(written)) => written,
            Some(ValueBytes::Owned(value)) => {
                let copied = value.len().min(buffer.len());
                buffer[..copied].copy_from_slice(&value[..copied]);
                copied
            }
        };
        Ok(Retrieved {
            actual_size,
            warning: if copied < actual_size {
                JET_wrnBufferTruncated
            } else {
                JET_errSuccess
            },
        })
    }

    /// JetRetrieveColumn for the whole value: `None` for NULL.
    pub fn retrieve(&mut self, column_id: u32, grbit: u32) -> Result<Option<Vec<u8>>> {
        let _call = self.session.enter()?;
        let (value, _, _) = self.retrieve_value(column_id, grbit, None, usize::MAX, None)?;
        value.map(ValueBytes::owned).transpose()
    }

    /// The value asked for, at most `limit` bytes of it from the offset,
    /// with its full size from the offset and the warning. A long value
    /// read from its tree goes straight into `into` when given.
    fn retrieve_value(
        &mut self,
        column_id: u32,
        grbit: u32,
        info: Option<RetInfo>,
        limit: usize,
        into: Option<&mut [u8]>,
    ) -> Result<(Option<ValueBytes>, usize, i32)> {
        let database = self.database.clone();
        let _access = database.read_access();
        let known = JET_bitRetrieveCopy
            | JET_bitRetrieveFromIndex
            | JET_bitRetrieveFromPrimaryBookmark
            | JET_bitRetrieveTag
            | JET_bitRetrieveNull
            | JET_bitRetrieveIgnoreDefault;
        if grbit & !known != 0 {
            return Err(Error::new(JET_errInvalidGrbit).with_detail("JetRetrieveColumn options"));
        }
        self.refresh()?;
        let table = self.table.clone();
        let column = column_for_read(&table, column_id)?;
        if grbit & JET_bitRetrieveFromIndex != 0 && grbit & JET_bitRetrieveFromPrimaryBookmark != 0
        {
            return Err(Error::new(JET_errInvalidGrbit).with_detail(
                "JET_bitRetrieveFromIndex and JET_bitRetrieveFromPrimaryBookmark exclude each other",
            ));
        }
        if grbit & JET_bitRetrieveFromIndex != 0 {
            // A tuple index holds pieces of the column, never its value.
            let tuple_column = self.index.as_ref().is_some_and(|i| {
                i.tuple_limits.is_some()
                    && i.segments.first().is_some_and(|s| {
                        self.table
                            .column_by_stored(s.column_id, s.from_template)
                            .map(|c| c.id)
                            == Some(column.id)
                    })
            });
            if tuple_column {
                return Err(Error::new(JET_errIndexTuplesCannotRetrieveFromIndex));
            }
        }
        // Retrieving from the index or the primary bookmark is a
        // performance option: JetRetrieveColumn falls back to the record
        // when the key cannot give the value, and the record always holds
        // it, so the value comes from the record (the cursor has it
        // decoded already).
        let info = info.unwrap_or_default();
        if info.itag_sequence == 0 {
            return Err(
                Error::new(JET_errBadItagSequence).with_detail("itagSequence counts from 1")
            );
        }
        let ignore_default = grbit & JET_bitRetrieveIgnoreDefault != 0;
        let index = info.itag_sequence as usize - 1;
        let from_copy = grbit & JET_bitRetrieveCopy != 0 && self.update.is_some();
        if index == 0 && !from_copy && column.placement() != Placement::Tagged {
            return self.value_in_record(column, ignore_default, &info, limit, into);
        }
        self.value_decoded(column, grbit, index, ignore_default, &info, limit, into)
    }

    /// [`Self::retrieve_value`] from the decoded record (or the prepared
    /// copy).
    #[allow(clippy::too_many_arguments)]
    fn value_decoded(
        &self,
        column: &ColumnDef,
        grbit: u32,
        index: usize,
        ignore_default: bool,
        info: &RetInfo,
        limit: usize,
        into: Option<&mut [u8]>,
    ) -> Result<(Option<ValueBytes>, usize, i32)> {
        let values = self.values_for_read(grbit & JET_bitRetrieveCopy != 0)?;
        // A long value not read yet: read only the piece asked for.
        let key = self.table.column_id_of(column);
        if let (Some(lid), Some(tree)) = (values.unread_lid(key, index), self.table.long_values) {
            let pages = self.pages();
            let offset = u64::from(info.ib_long_value);
            let id = lid.to_le_bytes();
            let (size, piece) = match into {
                Some(buffer) => {
                    let room = limit.min(buffer.len());
                    let buffer = &mut buffer[..room];
                    let (size, written) = crate::storage::long_value::read_long_value_into(
                        &pages, tree, &id, offset, buffer,
                    )?;
                    (size, ValueBytes::Written(written))
                }
                None => {
                    let (size, piece) = crate::storage::long_value::read_long_value_part(
                        &pages, tree, &id, offset, limit,
                    )?;
                    (size, ValueBytes::Owned(piece))
                }
            };
            let actual = size.saturating_sub(offset) as usize;
            return Ok((Some(piece), actual, JET_errSuccess));
        }
        let value = self.read_value(column, &values, index, ignore_default)?;
        Ok(piece_of(value.as_deref(), info, limit, into))
    }

    /// JetRetrieveColumns: each request gets its bytes, size and outcome.
    pub fn retrieve_columns(&mut self, requests: &mut [RetrieveColumn]) -> Result<()> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        for request in requests.iter_mut() {
            if request.itag_sequence == 0 {
                // The number of values.
                let table = self.table.clone();
                let column = column_for_read(&table, request.column_id)?;
                let values = self.values_for_read(request.grbit & JET_bitRetrieveCopy != 0)?;
                let count = self.value_count(
                    column,
                    &values,
                    request.grbit & JET_bitRetrieveIgnoreDefault != 0,
                );
                request.itag_sequence = count as u32;
                request.data.clear();
                request.actual_size = 0;
                request.err = JET_errSuccess;
                continue;
            }
            let info = RetInfo {
                ib_long_value: request.ib_long_value,
                itag_sequence: request.itag_sequence,
            };
            let retrieved = self
                .retrieve_value(
                    request.column_id,
                    request.grbit,
                    Some(info),
                    request.buffer_size,
                    None,
                )
                .and_then(|(value, actual, warning)| {
                    Ok((value.map(ValueBytes::owned).transpose()?, actual, warning))
                });
            match retrieved {
                Ok((Some(value), actual, _)) => {
                    request.actual_size = actual;
                    request.data = value;
                    request.err = if request.data.len() < actual {
                        JET_wrnBufferTruncated
                    } else {
                        JET_errSuccess
                    };
                }
                Ok((None, _, warning)) => {
                    request.actual_size = 0;
                    request.data.clear();
                    request.err = warning;
                }
                Err(e) => {
                    request.err = e.code();
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// JetEnumerateColumns: every column with a value (defaults included
    /// unless JET_bitEnumerateIgnoreDefault), in column id order.
    pub fn enumerate_columns(&mut self, grbit: u32) -> Result<Vec<EnumeratedColumn>> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        crate::grbit::check_grbit(
            grbit,
            JET_bitEnumerateCopy | JET_bitEnumerateIgnoreDefault | JET_bitEnumerateTaggedOnly,
            "JetEnumerateColumns",
        )?;
        self.refresh()?;
        let values = self.values_for_read(grbit & JET_bitEnumerateCopy != 0)?;
        let tagged_only = grbit & JET_bitEnumerateTaggedOnly != 0;
        let mut out = Vec::new();
        if grbit & JET_bitEnumerateIgnoreDefault != 0 {
            // What the record holds: cost per stored column.
            for (column_id, list) in values.iter() {
                let Some(column) = self.table.column(column_id) else {
                    continue;
                };
                if list.is_empty() || (tagged_only && column.id < 256) {
                    continue;
                }
                out.push(EnumeratedColumn {
                    column_id,
                    values: self.read_values(column, &values, true)?,
                });
            }
            // Column order, a template's column before the table's own of
            // the same number, as the other path gives.
            let bit = crate::catalog::TEMPLATE_COLUMN_BIT;
            out.sort_by_key(|c| (c.column_id & !bit, c.column_id & bit == 0));
            return Ok(out);
        }
        // Only a stored column or one with a default can read as a value:
        // visit those, in the table's column order, so that a row of a
        // table defining many columns costs what it holds.
        let mut visit: Vec<usize> = values
            .iter()
            .filter_map(|(column_id, _)| self.table.column_position(column_id))
            .chain(self.update_columns.read_defaults.iter().copied())
            .collect();
        visit.sort_unstable();
        visit.dedup();
        for column in visit.into_iter().map(|at| &self.table.columns[at]) {
            if column.is_deleted() || (tagged_only && column.id < 256) {
                continue;
            }
            let list = self.read_values(column, &values, false)?;
            if !list.is_empty() {
                out.push(EnumeratedColumn {
                    column_id: self.table.column_id_of(column),
                    values: list,
                });
            }
        }
        Ok(out)
    }

    /// JetGetRecordSize of the current record (or the prepared copy).
    pub fn get_record_size(&mut self, copy: bool) -> Result<RecordSize> {
        let _call = self.session.enter()?;
        let database = self.database.clone();
        let _access = database.read_access();
        self.refresh()?;
        // Sizes need every long value read.
        let values = match (&self.update, copy) {
            (Some(update), true) => std::sync::Arc::new(update.values.clone()),
            _ => std::sync::Arc::new(self.current_values()?.1),
        };
        let record = values.encode(&self.table, self.database.page_size(), &Default::default())?;
        let mut size = RecordSize::default();
        for (id, list) in values.iter() {
            if list.is_empty() {
                continue;
            }
            let bytes: u64 = list.iter().map(|v| v.len() as u64).sum();
            let long = self
                .table
                .column(id)
                .is_some_and(|c| crate::record::values::is_long_type(c.coltyp));
            if long {
                size.long_value_data += bytes;
                size.long_values += list.len() as u64;
            } else {
                size.data += bytes;
            }
            if id & !crate::catalog::TEMPLATE_COLUMN_BIT >= 256 {
                size.tagged_columns += 1;
            } else {
                size.non_tagged_columns += 1;
            }
            if list.len() > 1 {
                size.multi_values += list.len() as u64 - 1;
            }
        }
        size.overhead = (record.len() as u64).saturating_sub(size.data + size.long_value_data);
        Ok(size)
    }
}

/// The column a read names: `JET_errBadColumnId` for an id no column can
/// have, `JET_errColumnNotFound` for one the table lacks.
fn column_for_read(table: &TableDef, column_id: u32) -> Result<&ColumnDef> {
    if !valid_column_id(column_id) {
        return Err(Error::new(JET_errBadColumnId).with_detail(format!("column id {column_id}")));
    }
    table
        .column(column_id)
        .filter(|c| !c.is_deleted())
        .ok_or_else(|| {
            Error::new(JET_errColumnNotFound).with_detail(format!("column id {column_id}"))
        })
}

/// A retrieved value's bytes: returned, or already written into the
/// caller's buffer (a long value read from its tree: no copy in between).
enum ValueBytes {
    Owned(Vec<u8>),
    Written(usize),
}

impl ValueBytes {
    /// The bytes, for a retrieval that gave no buffer (and so always has
    /// them).
    fn owned(self) -> Result<Vec<u8>> {
        match self {
            ValueBytes::Owned(bytes) => Ok(bytes),
            ValueBytes::Written(_) => Err(Error::new(JET_errInternalError)
                .with_detail("a value written into a buffer no one gave")),
        }
    }
}

/// The part of a value a read asks for: from `ib_long_value`, at most
/// `limit` bytes, written into `into` when a buffer is given (at most its
/// length), else copied out; with the size from the offset on. NULL is
/// `JET_wrnColumnNull`.
fn piece_of(
    value: Option<&[u8]>,
    info: &RetInfo,
    limit: usize,
    into: Option<&mut [u8]>,
) -> (Option<ValueBytes>, usize, i32) {
    let Some(value) = value else {
        return (None, 0, JET_wrnColumnNull);
    };
    let rest = &value[(info.ib_long_value as usize).min(value.len())..];
    let piece = &rest[..rest.len().min(limit)];
    let bytes = match into {
        Some(buffer) => {
            let written = piece.len().min(buffer.len());
            buffer[..written].copy_from_slice(&piece[..written]);
            ValueBytes::Written(written)
        }
        None => ValueBytes::Owned(piece.to_vec()),
    };
    (Some(bytes), rest.len(), JET_errSuccess)
}
