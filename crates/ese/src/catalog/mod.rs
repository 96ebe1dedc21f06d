//! The catalog (ESE: cat): MSysObjects and its shadow copy, read into the
//! schema of every table: columns, indexes and long-value trees.
//!
//! MSysObjects is itself a table, rooted at page 4 (object 2), keyed by
//! (table object id, row type, id), so each table's row is followed by its
//! column, index and long-value rows. Its own layout is fixed by the engine
//! (the rows that describe it hold placeholder offsets), so it is read with
//! the hard-coded schema in [`catalog_schema`]. When a catalog page is
//! damaged the shadow copy (page 24, object 3) is read instead.
//!
//! The component also holds [`mod@write`] (catalog rows added, changed and
//! removed) and [`create`] (a new database laid out with its system
//! tables). It uses `storage` only; records, the log and everything above
//! build on it, and `storage` must never import it.

use ese_format::constants::*;
use ese_format::record::{Record, Stored, FIRST_TAGGED_COLUMN, FIRST_VARIABLE_COLUMN};

use crate::codes::*;
use crate::storage::btree::Tree;
use crate::storage::page_source::PageSource;
use crate::{Error, Result};

pub mod create;
mod key_layout;
mod rows;
pub mod write;

pub use key_layout::{KeyLayout, KeyLayoutCache};

/// The catalog tree and its shadow.
pub const CATALOG_TREE: Tree = Tree {
    root: 4,
    object_id: 2,
};
pub const SHADOW_CATALOG_TREE: Tree = Tree {
    root: 24,
    object_id: 3,
};

/// Row types of MSysObjects (ESE: SYSOBJ).
pub mod row_type {
    pub const TABLE: i16 = 1;
    pub const COLUMN: i16 = 2;
    pub const INDEX: i16 = 3;
    pub const LONG_VALUE: i16 = 4;
    pub const CALLBACK: i16 = 5;
}

/// Column flags as the catalog stores them (ESE: FIELDFLAG; not the
/// JET_bitColumn* grbits of the API).
pub mod column_flags {
    pub const NOT_NULL: u32 = 0x0001;
    pub const VERSION: u32 = 0x0002;
    pub const AUTOINCREMENT: u32 = 0x0004;
    pub const MULTI_VALUED: u32 = 0x0008;
    pub const DEFAULT_VALUE: u32 = 0x0010;
    pub const ESCROW_UPDATE: u32 = 0x0020;
    pub const FINALIZE: u32 = 0x0040;
    pub const USER_DEFINED_DEFAULT: u32 = 0x0080;
    pub const TEMPLATE_COLUMN_ESE98: u32 = 0x0100;
    pub const DELETE_ON_ZERO: u32 = 0x0200;
    pub const PRIMARY_INDEX_PLACEHOLDER: u32 = 0x0800;
    pub const COMPRESSED: u32 = 0x1000;
    pub const ENCRYPTED: u32 = 0x2000;

    /// Names of the set bits, for display.
    pub fn names(flags: u32) -> Vec<&'static str> {
        const NAMES: [(u32, &str); 13] = [
            (NOT_NULL, "NotNull"),
            (VERSION, "Version"),
            (AUTOINCREMENT, "Autoincrement"),
            (MULTI_VALUED, "MultiValued"),
            (DEFAULT_VALUE, "Default"),
            (ESCROW_UPDATE, "EscrowUpdate"),
            (FINALIZE, "Finalize"),
            (USER_DEFINED_DEFAULT, "UserDefinedDefault"),
            (TEMPLATE_COLUMN_ESE98, "TemplateColumnESE98"),
            (DELETE_ON_ZERO, "DeleteOnZero"),
            (PRIMARY_INDEX_PLACEHOLDER, "PrimaryIndexPlaceholder"),
            (COMPRESSED, "Compressed"),
            (ENCRYPTED, "Encrypted"),
        ];
        NAMES
            .iter()
            .filter(|(bit, _)| flags & bit != 0)
            .map(|(_, name)| *name)
            .collect()
    }
}

/// Table flags as stored (JET_bitObject*).
pub mod table_flags {
    pub const SYSTEM: u32 = 0x8000_0000;
    pub const FIXED_DDL: u32 = 0x4000_0000;
    pub const TEMPLATE: u32 = 0x2000_0000;
    pub const DERIVED: u32 = 0x1000_0000;
    pub const SYSTEM_DYNAMIC: u32 = 0x0800_0000;
    pub const NO_FIXED_VAR_IN_DERIVED: u32 = 0x0400_0000;
}

/// Index flags as stored: the engine's flags in the low half (ESE: IDBFLAG)
/// and the extended ones in the high half (ESE: IDXFLAG).
pub mod index_flags {
    pub const UNIQUE: u32 = 0x0001;
    pub const ALLOW_ALL_NULL: u32 = 0x0002;
    pub const ALLOW_FIRST_NULL: u32 = 0x0004;
    pub const ALLOW_SOME_NULL: u32 = 0x0008;
    pub const NO_NULL_SEGMENT: u32 = 0x0010;
    pub const PRIMARY: u32 = 0x0020;
    pub const LOCALE_SET: u32 = 0x0040;
    pub const MULTI_VALUED: u32 = 0x0080;
    pub const TEMPLATE_INDEX: u32 = 0x0100;
    pub const DERIVED_INDEX: u32 = 0x0200;
    pub const LOCALIZED_TEXT: u32 = 0x0400;
    pub const SORT_NULLS_HIGH: u32 = 0x0800;
    pub const UNICODE_FIXUP: u32 = 0x1000;
    pub const CROSS_PRODUCT: u32 = 0x2000;
    pub const DISALLOW_TRUNCATION: u32 = 0x4000;
    pub const NESTED_TABLE: u32 = 0x8000;
    /// Segments are stored 4 bytes each (flags, reserved, u16 column id).
    pub const EXTENDED_SEGMENTS: u32 = 0x0001_0000;
    pub const DOTNET_GUID: u32 = 0x0002_0000;
    pub const DEFERRED_POPULATE: u32 = 0x0004_0000;
    pub const OPTIONALLY_UNIQUE: u32 = 0x0008_0000;

    /// Names of the set bits, for display.
    pub fn names(flags: u32) -> Vec<&'static str> {
        const NAMES: [(u32, &str); 20] = [
            (UNIQUE, "Unique"),
            (ALLOW_ALL_NULL, "AllowAllNull"),
            (ALLOW_FIRST_NULL, "AllowFirstNull"),
            (ALLOW_SOME_NULL, "AllowSomeNull"),
            (NO_NULL_SEGMENT, "DisallowNull"),
            (PRIMARY, "Primary"),
            (LOCALE_SET, "LocaleSet"),
            (MULTI_VALUED, "MultiValued"),
            (TEMPLATE_INDEX, "TemplateIndex"),
            (DERIVED_INDEX, "DerivedIndex"),
            (LOCALIZED_TEXT, "LocalizedText"),
            (SORT_NULLS_HIGH, "SortNullsHigh"),
            (UNICODE_FIXUP, "UnicodeFixup"),
            (CROSS_PRODUCT, "CrossProduct"),
            (DISALLOW_TRUNCATION, "DisallowTruncation"),
            (NESTED_TABLE, "NestedTable"),
            (EXTENDED_SEGMENTS, "ExtendedSegments"),
            (DOTNET_GUID, "DotNetGuid"),
            (DEFERRED_POPULATE, "DeferredPopulate"),
            (OPTIONALLY_UNIQUE, "OptionallyUnique"),
        ];
        NAMES
            .iter()
            .filter(|(bit, _)| flags & bit != 0)
            .map(|(_, name)| *name)
            .collect()
    }
}

/// Where a column's value lives in a record, from its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    Fixed,
    Variable,
    Tagged,
}

/// A column of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDef {
    pub id: u32,
    pub name: String,
    /// JET_coltyp* (0 for a deleted column).
    pub coltyp: u32,
    /// Maximum length in bytes (0 for unlimited long columns).
    pub max_size: u32,
    /// [`column_flags`] bits.
    pub flags: u32,
    /// The code page of text columns (1200 UTF-16LE, 1252, 20127), else 0.
    pub code_page: u32,
    /// Byte offset of a fixed column in the record.
    pub record_offset: Option<u16>,
    pub default_value: Option<Vec<u8>>,
    /// The column comes from the table's template.
    pub from_template: bool,
}

impl ColumnDef {
    pub fn placement(&self) -> Placement {
        if self.id < FIRST_VARIABLE_COLUMN {
            Placement::Fixed
        } else if self.id < FIRST_TAGGED_COLUMN {
            Placement::Variable
        } else {
            Placement::Tagged
        }
    }

    pub fn is_multi_valued(&self) -> bool {
        self.flags & column_flags::MULTI_VALUED != 0
    }

    pub fn is_deleted(&self) -> bool {
        self.coltyp == JET_coltypNil
    }

    pub fn type_name(&self) -> &'static str {
        column_type_name(self.coltyp).unwrap_or("Unknown")
    }
}

/// One key segment of an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub column_id: u32,
    pub descending: bool,
    /// The column belongs to the template table.
    pub from_template: bool,
}

/// A conditional column: the index holds a row only if the column is
/// non-NULL (or NULL, when `must_be_null`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Condition {
    pub column_id: u32,
    pub must_be_null: bool,
    /// The column belongs to the template table.
    pub from_template: bool,
}

/// An index of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexDef {
    pub object_id: u32,
    pub name: String,
    /// The index tree's root (the table's own tree for the primary index).
    pub root_page: u32,
    pub density: u32,
    /// [`index_flags`] bits.
    pub flags: u32,
    pub segments: Vec<Segment>,
    pub conditions: Vec<Condition>,
    /// LCMapString flags for text normalization.
    pub lcmap_flags: u32,
    /// Legacy locale id (0 when a locale name is used).
    pub lcid: u32,
    pub locale_name: Option<String>,
    /// Longest key kept (bytes); 255 when the catalog does not say.
    pub key_most: u16,
    /// Longest part of a variable segment kept; defaults to `key_most`.
    pub var_seg_mac: u16,
    /// Tuple index limits, when this is a tuple index.
    pub tuple_limits: Option<Vec<u32>>,
    /// The sort order version and id of a localized index.
    pub sort_version: Option<Vec<u8>>,
    pub sort_id: Option<Vec<u8>>,
    /// Derived: see [`TableDef::key_layout`].
    pub key_layout: KeyLayoutCache,
}

impl IndexDef {
    pub fn is_primary(&self) -> bool {
        self.flags & index_flags::PRIMARY != 0
    }

    pub fn is_unique(&self) -> bool {
        self.flags & index_flags::UNIQUE != 0
    }

    pub fn tree(&self) -> Tree {
        Tree::new(self.root_page, self.object_id)
    }
}

/// A table: its tree, columns, indexes and long-value tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDef {
    pub object_id: u32,
    pub name: String,
    pub root_page: u32,
    pub density: u32,
    pub initial_pages: u32,
    /// [`table_flags`] bits.
    pub flags: u32,
    /// The template a derived table inherits from.
    pub template_name: Option<String>,
    /// Columns in id order, inherited template columns included.
    pub columns: Vec<ColumnDef>,
    pub indexes: Vec<IndexDef>,
    /// The tree holding the table's separated long values, if any.
    pub long_values: Option<Tree>,
    /// Bytes per long-value chunk, when the table sets it.
    pub lv_chunk_max: Option<u32>,
    pub separate_lv_threshold: Option<u32>,
    /// `columns`' ids, filled once the columns are final (see
    /// [`TableDef::index_columns`]).
    pub column_ids: ColumnIds,
}

/// Where a table's columns are by id: a table of the first position of
/// each id (ids are handed out in sequence, so it is dense), else, for
/// ids spread too thinly, the ids in one array to search. A look-up by id
/// was a binary search over 80-byte definitions, several per column an
/// update sets: a tenth of an insert into a 500-column table. Derived from
/// the columns, so it takes no part in comparing tables; made for another
/// number of columns than the table has, it is not used.
#[derive(Clone, Debug, Default)]
pub struct ColumnIds {
    /// `columns`' ids, in order.
    ids: Vec<u32>,
    /// By id: the position of the first column with it, `u32::MAX` for
    /// none. Empty when the ids are too sparse.
    first: Vec<u32>,
}

impl ColumnIds {
    fn of(columns: &[ColumnDef]) -> Self {
        let ids: Vec<u32> = columns.iter().map(|c| c.id).collect();
        let highest = ids.iter().copied().max().unwrap_or(0) as usize;
        let mut first = Vec::new();
        if highest <= 4 * ids.len() + 512 {
            first = vec![u32::MAX; highest + 1];
            for (at, &id) in ids.iter().enumerate().rev() {
                first[id as usize] = at as u32;
            }
        }
        ColumnIds { ids, first }
    }

    /// Where the first of `count` columns with `id` is, or would be (past
    /// the end when there is none); `None` when made for other columns.
    fn start(&self, id: u32, count: usize) -> Option<usize> {
        if self.ids.len() != count {
            return None;
        }
        if self.first.is_empty() {
            return Some(self.ids.partition_point(|&c| c < id));
        }
        Some(match self.first.get(id as usize) {
            Some(&at) if at != u32::MAX => at as usize,
            _ => count,
        })
    }
}

impl PartialEq for ColumnIds {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ColumnIds {}

/// The bit of a JET_COLUMNID that marks a template table's column (ESE:
/// fCOLUMNIDTemplate), in the template itself and in its derived tables.
pub const TEMPLATE_COLUMN_BIT: u32 = 0x8000_0000;

impl TableDef {
    pub fn tree(&self) -> Tree {
        Tree::new(self.root_page, self.object_id)
    }

    /// The column a JET_COLUMNID names: the template bit picks the
    /// template's column in a derived table (where a tagged id can be both
    /// the template's and the table's own) and is optional in a template
    /// table; a plain id names the table's own column.
    pub fn column(&self, column_id: u32) -> Option<&ColumnDef> {
        let id = column_id & !TEMPLATE_COLUMN_BIT;
        let template = column_id & TEMPLATE_COLUMN_BIT != 0;
        if template && !self.is_derived() && !self.is_template() {
            return None;
        }
        self.column_by_stored(id, template)
    }

    /// Where the column `column_id` (a JET_COLUMNID) is in
    /// [`Self::columns`].
    pub fn column_position(&self, column_id: u32) -> Option<usize> {
        let column = self.column(column_id)?;
        let start = self.columns.partition_point(|c| c.id < column.id);
        (start..self.columns.len())
            .take_while(|&at| self.columns[at].id == column.id)
            .find(|&at| std::ptr::eq(&self.columns[at], column))
    }

    /// The column with stored id `id`, the template's when `from_template`
    /// (a catalog segment's or a record's mark; it matters only in derived
    /// tables).
    pub fn column_by_stored(&self, id: u32, from_template: bool) -> Option<&ColumnDef> {
        self.stored_column_position(id, from_template)
            .map(|at| &self.columns[at])
    }

    /// Where [`Self::column_by_stored`]'s column is in [`Self::columns`].
    pub fn stored_column_position(&self, id: u32, from_template: bool) -> Option<usize> {
        let start = self
            .column_ids
            .start(id, self.columns.len())
            .unwrap_or_else(|| self.columns.partition_point(|c| c.id < id));
        (start..self.columns.len())
            .take_while(|&at| self.columns[at].id == id)
            .find(|&at| self.columns[at].from_template == from_template || !self.is_derived())
    }

    /// Fills the look-ups derived from the definition as it now is:
    /// [`Self::column_ids`] and each index's key layout.
    pub fn index_columns(&mut self) {
        self.column_ids = ColumnIds::of(&self.columns);
        self.keep_key_layouts();
    }

    /// The JET_COLUMNID of a column of this table: its id, with the
    /// template bit for a template's columns.
    pub fn column_id_of(&self, column: &ColumnDef) -> u32 {
        if column.from_template || self.is_template() {
            column.id | TEMPLATE_COLUMN_BIT
        } else {
            column.id
        }
    }

    pub fn column_by_name(&self, name: &str) -> Option<&ColumnDef> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn index_by_name(&self, name: &str) -> Option<&IndexDef> {
        self.indexes
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(name))
    }

    pub fn primary_index(&self) -> Option<&IndexDef> {
        self.indexes.iter().find(|i| i.is_primary())
    }

    pub fn is_template(&self) -> bool {
        self.flags & table_flags::TEMPLATE != 0
    }

    pub fn is_derived(&self) -> bool {
        self.flags & table_flags::DERIVED != 0
    }
}

/// Every table of a database, in catalog order (by object id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    pub tables: Vec<TableDef>,
    /// True when the shadow copy had to be used.
    pub from_shadow: bool,
}

impl Catalog {
    /// Reads the catalog, falling back to its shadow when the primary copy
    /// cannot be read (a damaged page, a broken link, an impossible row).
    pub fn load(source: &dyn PageSource) -> Result<Self> {
        match Self::load_from(source, CATALOG_TREE) {
            Ok(tables) => Ok(Catalog {
                tables,
                from_shadow: false,
            }),
            Err(primary_error) => match Self::load_from(source, SHADOW_CATALOG_TREE) {
                Ok(tables) => Ok(Catalog {
                    tables,
                    from_shadow: true,
                }),
                Err(_) => Err(primary_error),
            },
        }
    }

    pub fn table(&self, name: &str) -> Option<&TableDef> {
        self.tables
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// Reads the rows of one catalog tree into tables.
    pub fn load_from(source: &dyn PageSource, tree: Tree) -> Result<Vec<TableDef>> {
        let page_size = source.page_size();
        let mut tables: Vec<TableDef> = Vec::new();
        for entry in tree.entries(source) {
            let entry = entry?;
            let row =
                CatalogRow::decode(&entry.data, page_size).map_err(|e| e.in_page(entry.page))?;
            apply_row(&mut tables, row).map_err(|e| e.in_page(entry.page))?;
        }
        for table in &mut tables {
            table.columns.sort_by_key(|c| c.id);
            if table.object_id == CATALOG_TREE.object_id
                || table.object_id == SHADOW_CATALOG_TREE.object_id
            {
                catalog_schema::fix_offsets(table);
            }
        }
        resolve_templates(&mut tables)?;
        for table in &mut tables {
            table.index_columns();
        }
        Ok(tables)
    }
}

fn catalog_error(detail: String) -> Error {
    Error::new(JET_errCatalogCorrupted).with_detail(detail)
}

/// Adds one decoded row to the table it belongs to.
pub(crate) fn apply_row(tables: &mut Vec<TableDef>, row: CatalogRow) -> Result<()> {
    if row.row_type == row_type::TABLE {
        if row.id != row.table_id {
            return Err(catalog_error(format!(
                "table row {} names itself object {}",
                row.table_id, row.id
            )));
        }
        tables.push(TableDef {
            object_id: row.id,
            name: row.name,
            root_page: row.coltyp_or_page,
            density: row.space_usage,
            initial_pages: row.pages_or_locale,
            flags: row.flags,
            template_name: row.template_or_callback,
            columns: Vec::new(),
            indexes: Vec::new(),
            long_values: None,
            lv_chunk_max: row.lv_chunk_max,
            separate_lv_threshold: row.separate_lv.as_deref().and_then(read_u32),
            column_ids: ColumnIds::default(),
        });
        return Ok(());
    }
    let table = match tables.last_mut() {
        Some(table) if table.object_id == row.table_id => table,
        _ => {
            return Err(catalog_error(format!(
                "a row of type {} for table {} comes before that table's own row",
                row.row_type, row.table_id
            )))
        }
    };
    match row.row_type {
        row_type::COLUMN => {
            if row.id == 0 || row.id > ese_format::record::LAST_COLUMN_ID {
                return Err(catalog_error(format!(
                    "column {:?} of table {} has id {}",
                    row.name, table.name, row.id
                )));
            }
            if row.coltyp_or_page >= JET_coltypMax {
                return Err(catalog_error(format!(
                    "column {:?} of table {} has type {}",
                    row.name, table.name, row.coltyp_or_page
                )));
            }
            table.columns.push(ColumnDef {
                id: row.id,
                name: row.name,
                coltyp: row.coltyp_or_page,
                max_size: row.space_usage,
                flags: row.flags,
                code_page: row.pages_or_locale,
                record_offset: row.record_offset,
                default_value: row.default_value,
                from_template: false,
            });
        }
        row_type::INDEX => {
            let extended = row.flags & index_flags::EXTENDED_SEGMENTS != 0;
            let segments = decode_segments(row.key_columns.as_deref().unwrap_or(&[]), extended)
                .map_err(|e| {
                    e.with_detail(format!("index {:?} of table {}", row.name, table.name))
                })?
                .into_iter()
                .map(|(column_id, descending, from_template)| Segment {
                    column_id,
                    descending,
                    from_template,
                })
                .collect();
            let conditions =
                decode_segments(row.conditional_columns.as_deref().unwrap_or(&[]), extended)?
                    .into_iter()
                    .map(|(column_id, must_be_null, from_template)| Condition {
                        column_id,
                        must_be_null,
                        from_template,
                    })
                    .collect();
            let key_most = row.key_most.unwrap_or(255);
            table.indexes.push(IndexDef {
                object_id: row.id,
                name: row.name,
                root_page: row.coltyp_or_page,
                density: row.space_usage,
                flags: row.flags,
                segments,
                conditions,
                lcmap_flags: row.lcmap_flags.unwrap_or(0),
                lcid: row.pages_or_locale,
                locale_name: row.locale_name,
                key_most,
                var_seg_mac: row.var_seg_mac.unwrap_or(key_most),
                tuple_limits: row.tuple_limits,
                sort_version: row.version,
                sort_id: row.sort_id,
                key_layout: KeyLayoutCache::default(),
            });
        }
        row_type::LONG_VALUE => {
            table.long_values = Some(Tree::new(row.coltyp_or_page, row.id));
        }
        // Callbacks cannot run outside the application that registered
        // them; obsolete SLV rows carry nothing a reader needs.
        _ => {}
    }
    Ok(())
}

fn read_u32(bytes: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?))
}

/// Decodes KeyFldIDs / ConditionalColumns: 4 bytes per segment (flags,
/// reserved, u16 id) in the extended form, else a signed u16 per segment
/// whose sign marks descending (or must-be-NULL).
fn decode_segments(bytes: &[u8], extended: bool) -> Result<Vec<(u32, bool, bool)>> {
    let width = if extended { 4 } else { 2 };
    if !bytes.len().is_multiple_of(width) || bytes.len() / width > 16 {
        return Err(catalog_error(format!(
            "a segment list of {} bytes ({width} per segment, 16 at most)",
            bytes.len()
        )));
    }
    Ok(bytes
        .chunks_exact(width)
        .map(|chunk| {
            if extended {
                let flags = chunk[0];
                let id = u32::from(u16::from_le_bytes([chunk[2], chunk[3]]));
                (id, flags & 0x60 != 0, flags & 0x80 != 0)
            } else {
                let raw = i16::from_le_bytes([chunk[0], chunk[1]]);
                (u32::from(raw.unsigned_abs()), raw < 0, false)
            }
        })
        .collect())
}

/// Gives a derived table the columns of its template, which its own rows
/// do not repeat. A template's tagged columns keep their ids; the record
/// tells them apart by the derived bit of their tagged entries.
fn resolve_templates(tables: &mut [TableDef]) -> Result<()> {
    for index in 0..tables.len() {
        let Some(template_name) = tables[index].template_name.clone() else {
            continue;
        };
        if !tables[index].is_derived() {
            continue;
        }
        let template = tables
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(&template_name) && t.is_template())
            .ok_or_else(|| {
                Error::new(JET_errDerivedColumnCorruption).with_detail(format!(
                    "table {} derives from {template_name:?}, which is not a template table",
                    tables[index].name
                ))
            })?;
        let inherited: Vec<ColumnDef> = template
            .columns
            .iter()
            .map(|c| ColumnDef {
                from_template: true,
                ..c.clone()
            })
            .collect();
        let table = &mut tables[index];
        table.columns.extend(inherited);
        table.columns.sort_by_key(|c| (c.id, !c.from_template));
    }
    Ok(())
}

/// One decoded row of MSysObjects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogRow {
    pub table_id: u32,
    pub row_type: i16,
    pub id: u32,
    pub coltyp_or_page: u32,
    pub space_usage: u32,
    pub flags: u32,
    pub pages_or_locale: u32,
    pub root_flag: Option<bool>,
    pub record_offset: Option<u16>,
    pub lcmap_flags: Option<u32>,
    pub key_most: Option<u16>,
    pub lv_chunk_max: Option<u32>,
    pub name: String,
    pub template_or_callback: Option<String>,
    pub default_value: Option<Vec<u8>>,
    pub key_columns: Option<Vec<u8>>,
    pub var_seg_mac: Option<u16>,
    pub conditional_columns: Option<Vec<u8>>,
    pub tuple_limits: Option<Vec<u32>>,
    pub version: Option<Vec<u8>>,
    pub sort_id: Option<Vec<u8>>,
    pub separate_lv: Option<Vec<u8>>,
    pub locale_name: Option<String>,
}

impl CatalogRow {
    /// Decodes a catalog record with the engine's fixed MSysObjects layout.
    pub fn decode(data: &[u8], page_size: usize) -> Result<Self> {
        use catalog_schema::*;
        let record = Record::parse(data, page_size)
            .map_err(|e| Error::new(JET_errCatalogCorrupted).with_detail(e.to_string()))?;
        let fixed = |id: u32| -> Result<Option<&[u8]>> {
            let (offset, size) = fixed_layout(id);
            Ok(match record.fixed(id, offset, size)? {
                Stored::Value(bytes) => Some(bytes),
                _ => None,
            })
        };
        let required_u32 = |id: u32, what: &str| -> Result<u32> {
            fixed(id)?
                .and_then(read_u32)
                .ok_or_else(|| catalog_error(format!("a catalog row without its {what}")))
        };
        let variable = |id: u32| -> Result<Option<Vec<u8>>> {
            Ok(match record.variable(id)? {
                Stored::Value(bytes) => Some(bytes.to_vec()),
                _ => None,
            })
        };
        let row_type = fixed(TYPE)?
            .and_then(|b| b.get(..2))
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| catalog_error("a catalog row without its type".into()))?;
        let name_bytes =
            variable(NAME)?.ok_or_else(|| catalog_error("a catalog row without a name".into()))?;
        let mut row = CatalogRow {
            table_id: required_u32(OBJID_TABLE, "table id")?,
            row_type,
            id: required_u32(ID, "id")?,
            coltyp_or_page: required_u32(COLTYP_OR_PGNO_FDP, "type or root page")?,
            space_usage: required_u32(SPACE_USAGE, "space usage")?,
            flags: required_u32(FLAGS, "flags")?,
            pages_or_locale: required_u32(PAGES_OR_LOCALE, "pages or locale")?,
            root_flag: fixed(ROOT_FLAG)?.map(|b| b.first().is_some_and(|&v| v != 0)),
            record_offset: fixed(RECORD_OFFSET)?
                .and_then(|b| b.get(..2))
                .map(|b| u16::from_le_bytes([b[0], b[1]])),
            lcmap_flags: fixed(LCMAP_FLAGS)?.and_then(read_u32),
            key_most: fixed(KEY_MOST)?
                .and_then(|b| b.get(..2))
                .map(|b| u16::from_le_bytes([b[0], b[1]])),
            lv_chunk_max: fixed(LV_CHUNK_MAX)?.and_then(read_u32),
            name: String::from_utf8_lossy(&name_bytes).into_owned(),
            template_or_callback: variable(TEMPLATE_TABLE)?
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
            default_value: variable(DEFAULT_VALUE)?,
            key_columns: variable(KEY_FLD_IDS)?,
            var_seg_mac: variable(VAR_SEG_MAC)?
                .and_then(|b| b.get(..2).map(|b| u16::from_le_bytes([b[0], b[1]]))),
            conditional_columns: variable(CONDITIONAL_COLUMNS)?,
            tuple_limits: variable(TUPLE_LIMITS)?.map(|b| {
                b.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect()
            }),
            version: variable(VERSION)?,
            sort_id: variable(SORT_ID)?,
            ..Default::default()
        };
        for field in record.tagged()? {
            let value = field
                .values()?
                .first()
                .filter(|v| !v.separated && !v.compressed)
                .map(|v| v.bytes.to_vec());
            match field.column_id {
                SEPARATE_LV => row.separate_lv = value,
                LOCALE_NAME => {
                    row.locale_name = value.map(|bytes| {
                        let units: Vec<u16> = bytes
                            .chunks_exact(2)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .collect();
                        String::from_utf16_lossy(&units)
                            .trim_end_matches('\0')
                            .to_string()
                    })
                }
                _ => {}
            }
        }
        Ok(row)
    }
}

/// The engine's own layout of MSysObjects (ESE: rgcdescSc in cat.cxx).
pub mod catalog_schema {
    use super::{ColumnDef, TableDef};
    use ese_format::constants::*;

    pub const OBJID_TABLE: u32 = 1;
    pub const TYPE: u32 = 2;
    pub const ID: u32 = 3;
    pub const COLTYP_OR_PGNO_FDP: u32 = 4;
    pub const SPACE_USAGE: u32 = 5;
    pub const FLAGS: u32 = 6;
    pub const PAGES_OR_LOCALE: u32 = 7;
    pub const ROOT_FLAG: u32 = 8;
    pub const RECORD_OFFSET: u32 = 9;
    pub const LCMAP_FLAGS: u32 = 10;
    pub const KEY_MOST: u32 = 11;
    pub const LV_CHUNK_MAX: u32 = 12;
    pub const PGNO_FDP_LAST_SET_TIME: u32 = 13;
    pub const NAME: u32 = 128;
    pub const STATS: u32 = 129;
    pub const TEMPLATE_TABLE: u32 = 130;
    pub const DEFAULT_VALUE: u32 = 131;
    pub const KEY_FLD_IDS: u32 = 132;
    pub const VAR_SEG_MAC: u32 = 133;
    pub const CONDITIONAL_COLUMNS: u32 = 134;
    pub const TUPLE_LIMITS: u32 = 135;
    pub const VERSION: u32 = 136;
    pub const SORT_ID: u32 = 137;
    pub const CALLBACK_DATA: u32 = 256;
    pub const CALLBACK_DEPENDENCIES: u32 = 257;
    pub const SEPARATE_LV: u32 = 258;
    pub const SPACE_HINTS: u32 = 259;
    pub const SPACE_DEFERRED_LV_HINTS: u32 = 260;
    pub const LOCALE_NAME: u32 = 261;

    /// The fixed columns in id order with their types: offsets follow from
    /// their sizes, starting after the 4-byte record header.
    const FIXED: [(u32, u32); 13] = [
        (OBJID_TABLE, JET_coltypLong),
        (TYPE, JET_coltypShort),
        (ID, JET_coltypLong),
        (COLTYP_OR_PGNO_FDP, JET_coltypLong),
        (SPACE_USAGE, JET_coltypLong),
        (FLAGS, JET_coltypLong),
        (PAGES_OR_LOCALE, JET_coltypLong),
        (ROOT_FLAG, JET_coltypBit),
        (RECORD_OFFSET, JET_coltypShort),
        (LCMAP_FLAGS, JET_coltypLong),
        (KEY_MOST, JET_coltypUnsignedShort),
        (LV_CHUNK_MAX, JET_coltypLong),
        (PGNO_FDP_LAST_SET_TIME, JET_coltypLongLong),
    ];

    /// (offset, size) of fixed catalog column `id`.
    pub fn fixed_layout(id: u32) -> (usize, usize) {
        let mut offset = 4;
        for (column, coltyp) in FIXED {
            let size = fixed_column_size(coltyp).unwrap_or(0);
            if column == id {
                return (offset, size);
            }
            offset += size;
        }
        (0, 0)
    }

    /// Replaces the placeholder offsets the catalog stores for its own
    /// fixed columns with the real ones.
    pub fn fix_offsets(table: &mut TableDef) {
        for column in table.columns.iter_mut() {
            fix_column(column);
        }
    }

    fn fix_column(column: &mut ColumnDef) {
        if column.id < 128 {
            let (offset, _) = fixed_layout(column.id);
            if offset != 0 {
                column.record_offset = Some(offset as u16);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(id: u32, from_template: bool) -> ColumnDef {
        ColumnDef {
            id,
            name: format!("c{id}"),
            coltyp: JET_coltypLong,
            max_size: 4,
            flags: 0,
            code_page: 0,
            record_offset: None,
            default_value: None,
            from_template,
        }
    }

    fn table(columns: Vec<ColumnDef>, derived: bool) -> TableDef {
        TableDef {
            object_id: 2,
            name: "t".into(),
            root_page: 3,
            density: 80,
            initial_pages: 1,
            flags: if derived { table_flags::DERIVED } else { 0 },
            template_name: None,
            columns,
            indexes: Vec::new(),
            long_values: None,
            lv_chunk_max: None,
            separate_lv_threshold: None,
            column_ids: ColumnIds::default(),
        }
    }

    /// A look-up by id through the position table (dense ids) or the id
    /// array (sparse ids) finds what searching the definitions finds, for
    /// every id up to past the highest, in a derived table whose own and
    /// template tagged columns share ids; columns changed after the
    /// positions were taken are searched directly.
    #[test]
    fn columns_found_by_id_through_their_positions_as_by_search() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        for (spread, derived) in [(1, false), (2, true), (900, false), (900, true)] {
            let mut columns = Vec::new();
            let mut id = 1;
            for _ in 0..300 {
                id += 1 + next(spread) as u32;
                if derived && id >= FIRST_TAGGED_COLUMN && next(3) == 0 {
                    columns.push(column(id, true));
                }
                columns.push(column(id, false));
            }
            columns.sort_by_key(|c| (c.id, !c.from_template));
            let plain = table(columns, derived);
            let mut indexed = plain.clone();
            indexed.index_columns();
            assert_eq!(indexed.column_ids.first.is_empty(), spread > 100);
            for probe in 0..id + 3 {
                for template in [false, true] {
                    let want = plain
                        .column_by_stored(probe, template)
                        .map(|c| (c.id, c.from_template));
                    let got = indexed
                        .column_by_stored(probe, template)
                        .map(|c| (c.id, c.from_template));
                    assert_eq!(
                        got, want,
                        "id {probe}, template {template}, spread {spread}"
                    );
                }
            }
            indexed.columns.push(column(id + 1, false));
            assert_eq!(
                indexed.column_by_stored(id + 1, false).map(|c| c.id),
                Some(id + 1)
            );
        }
    }
}
