//! Reading through an index (ESE: JetSetCurrentIndex, JetMakeKey,
//! JetSeek): keys built from column values, seeks by equality or range,
//! and walks in index order that fetch each record by its primary key.

use ese_format::key::{normalize_key, KeyValue};

use crate::catalog::{IndexDef, TableDef};
use crate::codes::*;
use crate::record::table::{Row, TableReader};
use crate::storage::btree::{Entry, Tree};
use crate::storage::page_source::PageSource;
use crate::{Error, Result};

/// How a seek matches the key (JET_bitSeek*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekMode {
    /// The first entry equal to the key (JET_bitSeekEQ).
    Equal,
    /// The first entry greater than or equal to the key (JET_bitSeekGE).
    GreaterOrEqual,
    /// The first entry greater than the key (JET_bitSeekGT).
    Greater,
    /// The last entry less than or equal to the key (JET_bitSeekLE).
    LessOrEqual,
    /// The last entry less than the key (JET_bitSeekLT).
    Less,
}

/// JetMakeKey for a whole key: one value per segment, in segment order.
pub fn make_key(table: &TableDef, index: &IndexDef, values: &[KeyValue<'_>]) -> Result<Vec<u8>> {
    let layout = table.key_layout(index)?;
    normalize_key(&layout.spec, &layout.segments, values)
}

/// An index of a table, ready for seeks and ordered walks.
pub struct IndexReader<'a> {
    source: &'a dyn PageSource,
    table: &'a TableDef,
    index: &'a IndexDef,
    rows: TableReader<'a>,
}

impl<'a> IndexReader<'a> {
    pub fn new(source: &'a dyn PageSource, table: &'a TableDef, index: &'a IndexDef) -> Self {
        IndexReader {
            source,
            table,
            index,
            rows: TableReader::new(source, table),
        }
    }

    fn tree(&self) -> Tree {
        if self.index.is_primary() {
            self.table.tree()
        } else {
            self.index.tree()
        }
    }

    /// The primary key an index entry leads to.
    fn primary_key_of(&self, entry: &Entry) -> Vec<u8> {
        if self.index.is_primary() {
            entry.key.clone()
        } else {
            entry.data.clone()
        }
    }

    /// The row an index entry points at.
    pub fn fetch(&self, entry: &Entry) -> Result<Row> {
        if self.index.is_primary() {
            return self.rows.decode(entry.key.clone(), &entry.data);
        }
        let primary_key = self.primary_key_of(entry);
        let record = self
            .table
            .tree()
            .seek(self.source, &primary_key)?
            .next()
            .transpose()?
            .filter(|found| found.key == primary_key)
            .ok_or_else(|| {
                Error::new(JET_errSecondaryIndexCorrupted).with_detail(format!(
                    "an entry of index {} points at a record table {} does not hold",
                    self.index.name, self.table.name
                ))
            })?;
        self.rows.decode(record.key, &record.data)
    }

    /// Every row in index order.
    pub fn rows(&self) -> impl Iterator<Item = Result<Row>> + '_ {
        self.tree()
            .entries(self.source)
            .map(move |entry| entry.and_then(|e| self.fetch(&e)))
    }

    /// The index entry a seek lands on, if any.
    pub fn seek_entry(&self, key: &[u8], mode: SeekMode) -> Result<Option<Entry>> {
        let tree = self.tree();
        match mode {
            SeekMode::Equal => Ok(tree
                .seek(self.source, key)?
                .next()
                .transpose()?
                .filter(|e| e.key == key)),
            SeekMode::GreaterOrEqual => tree.seek(self.source, key)?.next().transpose(),
            SeekMode::Greater => {
                for entry in tree.seek(self.source, key)? {
                    let entry = entry?;
                    if entry.key.as_slice() > key {
                        return Ok(Some(entry));
                    }
                }
                Ok(None)
            }
            SeekMode::LessOrEqual => tree.last_before(self.source, key, true),
            SeekMode::Less => tree.last_before(self.source, key, false),
        }
    }

    /// JetSeek: the row a seek lands on; `JET_errRecordNotFound` when none.
    pub fn seek(&self, key: &[u8], mode: SeekMode) -> Result<Row> {
        match self.seek_entry(key, mode)? {
            Some(entry) => self.fetch(&entry),
            None => Err(Error::new(JET_errRecordNotFound).with_detail(format!(
                "no entry of index {} matches the key ({mode:?})",
                self.index.name
            ))),
        }
    }
}
