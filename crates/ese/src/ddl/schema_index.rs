//! Index definition (ESE: JetCreateIndex and the index part of
//! JetCreateTableColumnIndex): key strings parsed against the table's
//! columns, JET_INDEXCREATE checked and turned into ESE's catalog row
//! (flags, segments, locale, tuple limits), the index's tree, and its
//! entries built over the rows already there; a derived table's inherited
//! indexes.

use ese_format::constants::*;

use crate::catalog::create::CatalogRow;
use crate::catalog::write::tree_flags;
use crate::catalog::{column_flags, index_flags, row_type, table_flags, ColumnDef, TableDef};
use crate::codes::*;
use crate::database::{Database, WriteGuard};
use crate::ddl::definitions::{check_name, IndexCreate, DEFAULT_DENSITY, DEFAULT_LCMAP_FLAGS};
use crate::ddl::rows::{stored_row, table_named, write_rows};
use crate::grbit::*;
use crate::record::keys::{index_entries, IndexEntries};
use crate::record::values::RecordValues;
use crate::{Error, Result};

/// The sort-order version and id Windows records for a localized (Unicode)
/// index in en-US (as found in the compatibility corpus); our sort keys
/// reproduce that NLS version.
const NLS_VERSION: [u8; 8] = [0x0f, 0x02, 0x06, 0x00, 0x0f, 0x02, 0x06, 0x00];
const NLS_SORT_ID: [u8; 16] = [
    0x01, 0x00, 0x00, 0x00, 0xee, 0x57, 0x5c, 0x1e, 0x00, 0xb4, 0xd0, 0x00, 0x0b, 0xb1, 0xe1, 0x1e,
];
/// JET_ccolKeyMost: segments per index.
const MAX_KEY_SEGMENTS: usize = 16;

/// A parsed key segment.
struct KeySegment {
    column: ColumnDef,
    descending: bool,
}

/// Parses `+A\0-B\0\0` against the table's columns.
fn parse_key(columns: &[ColumnDef], key: &str) -> Result<Vec<KeySegment>> {
    let mut segments = Vec::new();
    for part in key.split('\0').filter(|p| !p.is_empty()) {
        let (descending, name) = match part.as_bytes()[0] {
            b'+' => (false, &part[1..]),
            b'-' => (true, &part[1..]),
            _ => (false, part),
        };
        let column = columns
            .iter()
            .find(|c| !c.is_deleted() && c.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                Error::new(JET_errColumnNotFound)
                    .with_detail(format!("key column {name:?} is not in the table"))
            })?;
        if segments
            .iter()
            .any(|s: &KeySegment| s.column.id == column.id)
        {
            return Err(Error::new(JET_errIndexInvalidDef)
                .with_detail(format!("column {name:?} appears twice in the key")));
        }
        if column.flags & column_flags::ESCROW_UPDATE != 0 {
            return Err(Error::new(JET_errCannotIndex)
                .with_detail(format!("column {name:?} is an escrow update column")));
        }
        segments.push(KeySegment {
            column: column.clone(),
            descending,
        });
    }
    if segments.is_empty() {
        return Err(Error::new(JET_errIndexInvalidDef).with_detail("an index needs a key column"));
    }
    if segments.len() > MAX_KEY_SEGMENTS {
        return Err(Error::new(JET_errIndexInvalidDef).with_detail(format!(
            "{} key columns ({MAX_KEY_SEGMENTS} at most)",
            segments.len()
        )));
    }
    Ok(segments)
}

/// The catalog row of an index, checked. `object_id` and `root` are filled
/// in by the caller once the tree exists.
fn plan_index(table: &TableDef, create: &IndexCreate, page_size: usize) -> Result<CatalogRow> {
    check_name(&create.name)?;
    if table
        .indexes
        .iter()
        .any(|i| i.name.eq_ignore_ascii_case(&create.name))
    {
        return Err(Error::new(JET_errIndexDuplicate).with_detail(create.name.clone()));
    }
    let grbit = create.grbit;
    let known = JET_bitIndexUnique
        | JET_bitIndexPrimary
        | JET_bitIndexDisallowNull
        | JET_bitIndexIgnoreNull
        | JET_bitIndexIgnoreAnyNull
        | JET_bitIndexIgnoreFirstNull
        | JET_bitIndexLazyFlush
        | JET_bitIndexEmpty
        | JET_bitIndexUnversioned
        | JET_bitIndexSortNullsHigh
        | JET_bitIndexUnicode
        | JET_bitIndexCrossProduct
        | JET_bitIndexKeyMost
        | JET_bitIndexDisallowTruncation
        | JET_bitIndexDotNetGuid
        | JET_bitIndexImmutableStructure
        | JET_bitIndexTuples
        | JET_bitIndexTupleLimits;
    if grbit & !known != 0 {
        return Err(Error::new(JET_errInvalidGrbit).with_detail(format!(
            "index {:?}: options {:#x} are not supported",
            create.name,
            grbit & !known
        )));
    }
    let primary = grbit & JET_bitIndexPrimary != 0;
    if primary && table.primary_index().is_some() {
        return Err(Error::new(JET_errIndexHasPrimary).with_detail(create.name.clone()));
    }
    if primary
        && grbit
            & (JET_bitIndexIgnoreNull | JET_bitIndexIgnoreAnyNull | JET_bitIndexIgnoreFirstNull)
            != 0
    {
        return Err(Error::new(JET_errInvalidGrbit)
            .with_detail("a primary index cannot ignore NULL keys: every record is in it"));
    }
    let segments = parse_key(&table.columns, &create.key)?;
    let tuples = if grbit & (JET_bitIndexTuples | JET_bitIndexTupleLimits) != 0 {
        if primary {
            return Err(Error::new(JET_errIndexTuplesSecondaryIndexOnly));
        }
        if grbit & JET_bitIndexUnique != 0 {
            return Err(Error::new(JET_errIndexTuplesNonUniqueOnly));
        }
        if create.var_seg_mac != 0 {
            return Err(Error::new(JET_errIndexTuplesVarSegMacNotAllowed));
        }
        if !crate::record::values::is_variable_type(segments[0].column.coltyp) {
            return Err(Error::new(JET_errIndexTuplesTextBinaryColumnsOnly)
                .with_detail(format!("key column {:?}", segments[0].column.name)));
        }
        let limits = match (grbit & JET_bitIndexTupleLimits != 0, create.tuple_limits) {
            (true, None) => {
                return Err(Error::new(JET_errIndexInvalidDef)
                    .with_detail("JET_bitIndexTupleLimits without the limits"))
            }
            (_, limits) => limits.unwrap_or_default().resolved()?,
        };
        Some(limits)
    } else {
        None
    };
    let mut flags = index_flags::EXTENDED_SEGMENTS;
    if grbit & (JET_bitIndexUnique | JET_bitIndexPrimary) != 0 {
        flags |= index_flags::UNIQUE;
    }
    if primary {
        flags |= index_flags::PRIMARY;
    }
    if grbit & (JET_bitIndexIgnoreNull | JET_bitIndexIgnoreAnyNull) == 0 {
        flags |= index_flags::ALLOW_ALL_NULL;
    }
    if grbit & (JET_bitIndexIgnoreFirstNull | JET_bitIndexIgnoreAnyNull) == 0 {
        flags |= index_flags::ALLOW_FIRST_NULL;
    }
    if grbit & JET_bitIndexIgnoreAnyNull == 0 {
        flags |= index_flags::ALLOW_SOME_NULL;
    }
    if grbit & JET_bitIndexDisallowNull != 0 {
        flags |= index_flags::NO_NULL_SEGMENT;
    }
    // A key that cannot hold NULLs has no NULL order to choose.
    if grbit & JET_bitIndexSortNullsHigh != 0 && grbit & JET_bitIndexDisallowNull == 0 {
        flags |= index_flags::SORT_NULLS_HIGH;
    }
    if grbit & JET_bitIndexUnicode != 0 {
        flags |= index_flags::LOCALE_SET;
    }
    if grbit & JET_bitIndexCrossProduct != 0 {
        flags |= index_flags::CROSS_PRODUCT;
    }
    if grbit & JET_bitIndexDisallowTruncation != 0 {
        flags |= index_flags::DISALLOW_TRUNCATION;
    }
    if grbit & JET_bitIndexDotNetGuid != 0 {
        flags |= index_flags::DOTNET_GUID;
    }
    let localized = segments.iter().any(|s| {
        matches!(s.column.coltyp, JET_coltypText | JET_coltypLongText) && s.column.code_page == 1200
    });
    if localized {
        flags |= index_flags::LOCALIZED_TEXT;
    }
    if segments.iter().any(|s| s.column.is_multi_valued()) {
        flags |= index_flags::MULTI_VALUED;
    }
    if table.is_template() {
        flags |= index_flags::TEMPLATE_INDEX;
    }
    // The longest key a page size allows (ESE: JET_paramKeyMost's bound:
    // 1,000 bytes on 4 KiB pages, 2,000 on larger ones).
    let limit = ese_format::constants::max_key_size(page_size) as u32;
    let key_most = match create.key_most {
        0 => 255,
        n if n <= limit => n,
        n => {
            return Err(Error::new(JET_errIndexInvalidDef).with_detail(format!(
                "a key of at most {n} bytes; {page_size}-byte pages allow {limit}"
            )))
        }
    };
    let density = match create.density {
        0 => DEFAULT_DENSITY,
        d if (20..=100).contains(&d) => d,
        d => return Err(Error::new(JET_errDensityInvalid).with_detail(format!("{d}%"))),
    };
    let mut key_fields = Vec::with_capacity(segments.len() * 4);
    for segment in &segments {
        let [a, b] = (segment.column.id as u16).to_le_bytes();
        let mut flags = if segment.descending { 0x40 } else { 0 };
        if segment.column.from_template || table.is_template() {
            flags |= 0x80;
        }
        key_fields.extend_from_slice(&[flags, 0, a, b]);
    }
    let mut conditional = Vec::new();
    for condition in &create.conditional_columns {
        let column = table
            .column_by_name(&condition.name)
            .filter(|c| !c.is_deleted())
            .ok_or_else(|| {
                Error::new(JET_errColumnNotFound)
                    .with_detail(format!("conditional column {:?}", condition.name))
            })?;
        let must_be_null = match condition.grbit {
            JET_bitIndexColumnMustBeNull => true,
            JET_bitIndexColumnMustBeNonNull => false,
            _ => {
                return Err(Error::new(JET_errInvalidGrbit).with_detail(format!(
                    "conditional column {:?}: MustBeNull or MustBeNonNull",
                    condition.name
                )))
            }
        };
        let [a, b] = (column.id as u16).to_le_bytes();
        let mut flags = if must_be_null { 0x20 } else { 0 };
        if column.from_template || table.is_template() {
            flags |= 0x80;
        }
        conditional.extend_from_slice(&[flags, 0, a, b]);
    }
    if create.conditional_columns.len() > 12 {
        return Err(
            Error::new(JET_errIndexInvalidDef).with_detail("at most 12 conditional columns")
        );
    }
    let lcmap_flags = if create.lcmap_flags == 0 {
        DEFAULT_LCMAP_FLAGS
    } else {
        create.lcmap_flags
    };
    Ok(CatalogRow {
        objid_table: table.object_id as i32,
        row_type: row_type::INDEX,
        id: 0,
        coltyp_or_pgno_fdp: 0,
        space_usage: density as i32,
        flags,
        pages_or_locale: 0,
        lcmap_flags: Some(lcmap_flags),
        key_most: (key_most != 255).then_some(key_most as u16),
        name: create.name.clone(),
        key_fields_raw: Some(key_fields),
        var_seg_mac: (create.var_seg_mac != 0 && create.var_seg_mac < key_most)
            .then(|| (create.var_seg_mac as u16).to_le_bytes().to_vec()),
        conditional_columns: (!conditional.is_empty()).then_some(conditional),
        // Five u32 (min, max, positions, increment, start), as resolved.
        tuple_limits: tuples.map(|limits| limits.iter().flat_map(|v| v.to_le_bytes()).collect()),
        version: localized.then(|| NLS_VERSION.to_vec()),
        sort_id: localized.then(|| NLS_SORT_ID.to_vec()),
        locale_name: Some(create.locale.clone().unwrap_or_else(|| "en-US".into())),
        ..Default::default()
    })
}

/// Gives a new derived table the template's indexes: a row of its own
/// for each (same name, key and settings; the template-index flag traded
/// for the derived-index one), on the table's own tree for the primary
/// index and on a new tree in the table's space for the others, as ESE
/// does (the derived table starts empty, so nothing is built).
pub(crate) fn inherit_indexes(
    guard: &mut WriteGuard<'_>,
    database: &Database,
    table: &mut TableDef,
    template: &TableDef,
) -> Result<()> {
    for index in &template.indexes {
        let id = if index.is_primary() {
            template.object_id
        } else {
            index.object_id
        };
        let mut row = stored_row(database, template.object_id, row_type::INDEX, id)?;
        row.objid_table = table.object_id as i32;
        row.flags = (row.flags & !index_flags::TEMPLATE_INDEX) | index_flags::DERIVED_INDEX;
        if index.is_primary() {
            row.id = table.object_id as i32;
            row.coltyp_or_pgno_fdp = table.root_page as i32;
        } else {
            let (root, object_id, _) = guard.state().space.create_tree(
                table.root_page,
                1,
                tree_flags(row_type::INDEX),
                !index.is_unique(),
                false,
            )?;
            row.id = object_id as i32;
            row.coltyp_or_pgno_fdp = root as i32;
        }
        write_rows(guard, database, std::slice::from_ref(&row))?;
        table.indexes.push(index_def_from_row(table, &row)?);
    }
    Ok(())
}

/// Creates one index on `table` (and fills it from the table's records),
/// updating `table` to include it.
pub(crate) fn add_index(
    guard: &mut WriteGuard<'_>,
    database: &Database,
    table: &mut TableDef,
    create: &IndexCreate,
) -> Result<()> {
    let mut row = plan_index(table, create, database.page_size())?;
    let primary = row.flags & index_flags::PRIMARY != 0;
    let pages = database.pages();
    let table_empty = table.tree().entries(&pages).next().transpose()?.is_none();
    if primary {
        if !table_empty {
            return Err(Error::new(JET_errTableNotEmpty)
                .with_detail("a primary index can only be added to an empty table"));
        }
        row.id = table.object_id as i32;
        row.coltyp_or_pgno_fdp = table.root_page as i32;
    } else {
        let unique = row.flags & index_flags::UNIQUE != 0;
        let (root, object_id, _) = guard.state().space.create_tree(
            table.root_page,
            1,
            tree_flags(row_type::INDEX),
            !unique,
            false,
        )?;
        row.id = object_id as i32;
        row.coltyp_or_pgno_fdp = root as i32;
    }
    write_rows(guard, database, std::slice::from_ref(&row))?;
    let index = index_def_from_row(table, &row)?;
    if !primary && !table_empty {
        build_index(guard, database, table, &index)?;
    }
    table.indexes.push(index);
    Ok(())
}

/// Checks the indexes of a table about to be created, in order (names,
/// keys, options, one primary index), before anything is written.
pub(crate) fn check_indexes(
    table: &TableDef,
    creates: &[IndexCreate],
    page_size: usize,
) -> Result<()> {
    let mut probe = table.clone();
    for (number, create) in creates.iter().enumerate() {
        let mut row = plan_index(&probe, create, page_size)?;
        // A stand-in object id, so later definitions see this one.
        row.id = number as i32 + 1;
        probe.indexes.push(index_def_from_row(&probe, &row)?);
    }
    Ok(())
}

/// The in-memory definition of a freshly written index row.
fn index_def_from_row(table: &TableDef, row: &CatalogRow) -> Result<crate::catalog::IndexDef> {
    let data = crate::catalog::create::encode_catalog_row(row, 4096)?;
    let decoded = crate::catalog::CatalogRow::decode(&data, 4096)?;
    let mut probe = vec![TableDef {
        indexes: Vec::new(),
        ..table.clone()
    }];
    crate::catalog::apply_row(&mut probe, decoded)?;
    probe[0]
        .indexes
        .pop()
        .ok_or_else(|| Error::new(JET_errInternalError).with_detail("index row not applied"))
}

/// Fills a new secondary index from the table's records.
fn build_index(
    guard: &mut WriteGuard<'_>,
    database: &Database,
    table: &TableDef,
    index: &crate::catalog::IndexDef,
) -> Result<()> {
    let pages = database.pages();
    let mut entries: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for entry in table.tree().entries(&pages) {
        let entry = entry?;
        let values = RecordValues::decode(&pages, table, &entry.data)?;
        if let IndexEntries::Keys(keys) = index_entries(table, index, &values)? {
            for key in keys {
                entries.push((key, entry.key.clone()));
            }
        }
    }
    entries.sort();
    if index.is_unique() && entries.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(Error::new(JET_errKeyDuplicate).with_detail(format!(
            "the records hold duplicate keys for unique index {}",
            index.name
        )));
    }
    // An index larger than a quarter of the cache is logged in parts
    // (`TreeWriter::bound_unit`): inside a transaction a crash then finds
    // the index's creation to undo; outside one a build that large is not
    // atomic across a crash.
    let state = guard.state();
    database.with_tree_writer(state, index.tree(), index.density, None, |writer| {
        for (key, primary) in &entries {
            writer.insert(key, primary)?;
            writer.bound_unit()?;
        }
        Ok(())
    })?;
    guard.changed();
    Ok(())
}

/// JetCreateIndex (JetCreateIndex2 with several definitions).
pub fn create_indexes(
    database: &Database,
    table_name: &str,
    creates: &[IndexCreate],
    permit_ddl: bool,
) -> Result<()> {
    let mut table = table_named(database, table_name)?;
    if table.flags & table_flags::FIXED_DDL != 0 && !permit_ddl {
        return Err(Error::new(JET_errFixedDDL).with_detail(table.name.clone()));
    }
    // All or nothing: every definition is checked first, and an index
    // that cannot be built (duplicate keys in a unique index) takes the
    // ones made before it back with it.
    check_indexes(&table, creates, database.page_size())?;
    let mut guard = database.write()?;
    let mut made = Vec::new();
    let mut outcome = Ok(());
    for create in creates {
        outcome = add_index(&mut guard, database, &mut table, create);
        if outcome.is_err() {
            break;
        }
        made.push(create.name.clone());
    }
    guard.schema_changed()?;
    drop(guard);
    if outcome.is_err() {
        let current = table_named(database, table_name)?;
        for name in &made {
            let _ = crate::ddl::schema_change::delete_index(database, &current.name, name);
        }
        // The one that failed may have written its row before building.
        if let Some(failed) = creates.get(made.len()) {
            if table_named(database, table_name)?
                .index_by_name(&failed.name)
                .is_some()
            {
                let _ =
                    crate::ddl::schema_change::delete_index(database, &current.name, &failed.name);
            }
        }
    }
    outcome
}
