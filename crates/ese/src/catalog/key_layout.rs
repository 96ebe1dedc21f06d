//! What building an index's keys takes from the catalog besides a record's
//! values: the key settings, each segment's type and where its column sits
//! among the table's. Derived once per catalog load and kept with the
//! index, not found again for every key of every update (ESE keeps the
//! same in its in-memory index descriptor, the IDB).

use std::borrow::Cow;
use std::sync::Arc;

use ese_format::key::{KeySpec, SegmentSpec};
use ese_format::record::FIRST_VARIABLE_COLUMN;

use super::{index_flags, IndexDef, TableDef};
use crate::codes::*;
use crate::{Error, Result};

/// An index's key settings and segments, resolved against its table.
#[derive(Clone, Debug)]
pub struct KeyLayout {
    pub spec: KeySpec,
    /// Each segment's type, in segment order.
    pub segments: Vec<SegmentSpec>,
    /// Where each segment's column is in the table's `columns`.
    pub columns: Vec<usize>,
}

/// An index's [`KeyLayout`] once built. Derived from the index and its
/// table, so it takes no part in comparing definitions; one that no longer
/// matches them is not used (see [`TableDef::key_layout`]).
#[derive(Clone, Debug, Default)]
pub struct KeyLayoutCache(Option<Arc<KeyLayout>>);

impl PartialEq for KeyLayoutCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for KeyLayoutCache {}

impl IndexDef {
    /// The key settings of the index.
    pub fn key_spec(&self) -> KeySpec {
        KeySpec {
            key_most: usize::from(self.key_most),
            var_seg_mac: (self.var_seg_mac != self.key_most)
                .then_some(usize::from(self.var_seg_mac)),
            sort_nulls_high: self.flags & index_flags::SORT_NULLS_HIGH != 0,
            dotnet_guid: self.flags & index_flags::DOTNET_GUID != 0,
            lcmap_flags: self.lcmap_flags,
            locale: self
                .locale_name
                .clone()
                .map_or(Cow::Borrowed("en-US"), Cow::Owned),
        }
    }
}

impl TableDef {
    /// The key layout of `index` (one of this table's): the one kept with
    /// it when it still matches the table's columns, else built now.
    ///
    /// # Errors
    ///
    /// `JET_errColumnNotFound` when a segment names a column the table
    /// lacks.
    pub fn key_layout<'a>(&'a self, index: &'a IndexDef) -> Result<Cow<'a, KeyLayout>> {
        if let Some(layout) = &index.key_layout.0 {
            let matches = layout.columns.len() == index.segments.len()
                && layout
                    .columns
                    .iter()
                    .zip(&index.segments)
                    .all(|(&at, segment)| {
                        self.columns.get(at).is_some_and(|c| {
                            c.id == segment.column_id
                                && (c.from_template == segment.from_template || !self.is_derived())
                        })
                    });
            if matches {
                return Ok(Cow::Borrowed(layout));
            }
        }
        self.build_key_layout(index).map(Cow::Owned)
    }

    fn build_key_layout(&self, index: &IndexDef) -> Result<KeyLayout> {
        let mut segments = Vec::with_capacity(index.segments.len());
        let mut columns = Vec::with_capacity(index.segments.len());
        for segment in &index.segments {
            let at = self
                .stored_column_position(segment.column_id, segment.from_template)
                .ok_or_else(|| {
                    Error::new(JET_errColumnNotFound).with_detail(format!(
                        "index {} names column {}, which table {} lacks",
                        index.name, segment.column_id, self.name
                    ))
                })?;
            let column = &self.columns[at];
            segments.push(SegmentSpec {
                coltyp: column.coltyp,
                code_page: column.code_page,
                descending: segment.descending,
                fixed_column: column.id < FIRST_VARIABLE_COLUMN,
            });
            columns.push(at);
        }
        Ok(KeyLayout {
            spec: index.key_spec(),
            segments,
            columns,
        })
    }

    /// Keeps each index's key layout with it (indexes whose columns are
    /// missing keep none, and report that when their keys are built).
    pub(super) fn keep_key_layouts(&mut self) {
        let layouts: Vec<KeyLayoutCache> = self
            .indexes
            .iter()
            .map(|index| KeyLayoutCache(self.build_key_layout(index).ok().map(Arc::new)))
            .collect();
        for (index, layout) in self.indexes.iter_mut().zip(layouts) {
            index.key_layout = layout;
        }
    }
}
