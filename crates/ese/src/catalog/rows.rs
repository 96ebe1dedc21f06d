//! The catalog rows of a new database (ESE: the system tables' schema in
//! cat.cxx and the rows dbcreate writes): one MSysObjects row as data
//! ([`CatalogRow`]), its record as ESE encodes it, the keys of MSysObjects'
//! three indexes, and the rows describing the system tables themselves,
//! MSysObjids and MSysLocales. Which pages each system object occupies is
//! here too ([`SystemObject`]); `create.rs` lays the file out from it.

use ese_format::constants::*;
use ese_format::key::{normalize_key, KeySpec, KeyValue, SegmentSpec};
use ese_format::record::{encode_record, RecordParts, TaggedField};

use ese_format::page::PageFlags;
use ese_format::space::SpaceHeader;

use crate::catalog::catalog_schema;
use crate::Result;

/// Database pages of a new database (ESE: cpgPrimary of the root with the
/// default JET_paramDbExtensionSize 256: 30 base pages + 224).
pub const NEW_DATABASE_PAGES: u32 = 254;

/// Where an object lives and how it takes space.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SystemObject {
    pub(super) object_id: u32,
    pub(super) root: u32,
    /// Pages of its primary extent (root included).
    pub(super) pages: u32,
    /// The root of the object it takes pages from.
    pub(super) parent: u32,
    pub(super) multiple_extent: bool,
    /// Page flags of its tree (index).
    pub(super) tree_flags: u32,
    pub(super) density: u32,
}

impl SystemObject {
    pub(super) fn space_header(&self) -> SpaceHeader {
        if self.multiple_extent {
            SpaceHeader::multiple_extent(self.pages, self.parent, self.root + 1)
        } else {
            SpaceHeader::single_extent(self.pages, self.parent)
        }
    }
    pub(super) fn last_page(&self) -> u32 {
        self.root + self.pages - 1
    }
}

pub(crate) const ROOT: SystemObject = SystemObject {
    object_id: 1,
    root: 1,
    pages: NEW_DATABASE_PAGES,
    parent: 0,
    multiple_extent: true,
    tree_flags: 0,
    density: 100,
};
pub(crate) const MSYS_OBJECTS: SystemObject = SystemObject {
    object_id: 2,
    root: 4,
    pages: 20,
    parent: 1,
    multiple_extent: true,
    tree_flags: 0,
    density: 80,
};
pub(crate) const MSYS_OBJECTS_SHADOW: SystemObject = SystemObject {
    object_id: 3,
    root: 24,
    pages: 5,
    parent: 1,
    multiple_extent: true,
    tree_flags: 0,
    density: 80,
};
pub(crate) const NAME_INDEX: SystemObject = SystemObject {
    object_id: 4,
    root: 7,
    pages: 3,
    parent: 4,
    multiple_extent: true,
    tree_flags: PageFlags::INDEX,
    density: 80,
};
pub(crate) const ROOT_OBJECTS_INDEX: SystemObject = SystemObject {
    object_id: 5,
    root: 10,
    pages: 3,
    parent: 4,
    multiple_extent: true,
    tree_flags: PageFlags::INDEX,
    density: 80,
};
pub(crate) const MSYS_OBJIDS: SystemObject = SystemObject {
    object_id: 6,
    root: 29,
    pages: 1,
    parent: 1,
    multiple_extent: false,
    tree_flags: 0,
    density: 100,
};
pub(crate) const MSYS_LOCALES: SystemObject = SystemObject {
    object_id: 7,
    root: 30,
    pages: 1,
    parent: 1,
    multiple_extent: false,
    tree_flags: 0,
    density: 92,
};

/// Table flags (catalog Flags of a table row).
pub(crate) const TABLE_SYSTEM_FIXED_DDL: u32 = 0xC000_0000;
pub(crate) const TABLE_SYSTEM_FIXED_DDL_DYNAMIC: u32 = 0xC800_0000;
pub(crate) const TABLE_SYSTEM_DYNAMIC: u32 = 0x8800_0000;
/// LCMapFlags of every system index (JET_bitIndex defaults for en-US).
pub(crate) const SYSTEM_LCMAP_FLAGS: u32 = 0x0003_0401;
/// The code page of the catalog's own columns (ESE: usEnglishCodePage).
pub(crate) const ENGLISH_CODE_PAGE: i32 = 1252;

/// One catalog row, as data (NULL = `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CatalogRow {
    pub objid_table: i32,
    pub row_type: i16,
    pub id: i32,
    pub coltyp_or_pgno_fdp: i32,
    pub space_usage: i32,
    pub flags: u32,
    pub pages_or_locale: i32,
    pub root_flag: Option<bool>,
    pub record_offset: Option<i16>,
    pub lcmap_flags: Option<u32>,
    pub name: String,
    pub default_value: Option<Vec<u8>>,
    /// Key column ids (stored in the 4-byte form, ascending).
    pub key_columns: Option<Vec<u16>>,
    pub locale_name: Option<String>,
    pub key_most: Option<u16>,
    pub lv_chunk_max: Option<i32>,
    pub template_table: Option<String>,
    /// KeyFldIDs in their stored form, when `key_columns` cannot say it
    /// (descending segments, template columns): wins over `key_columns`.
    pub key_fields_raw: Option<Vec<u8>>,
    pub var_seg_mac: Option<Vec<u8>>,
    pub conditional_columns: Option<Vec<u8>>,
    pub tuple_limits: Option<Vec<u8>>,
    pub version: Option<Vec<u8>>,
    pub sort_id: Option<Vec<u8>>,
    pub separate_lv: Option<Vec<u8>>,
}

/// A column: (id, name, coltyp, size, flags, record offset, default value).
pub(crate) type ColumnSpec = (
    u32,
    &'static str,
    u32,
    i32,
    u32,
    Option<i16>,
    Option<Vec<u8>>,
);

/// A table's schema as the catalog describes it.
pub(crate) struct TableSpec {
    pub(super) object: SystemObject,
    pub(super) name: &'static str,
    pub(super) flags: u32,
    pub(super) pages_or_locale: i32,
    /// Column rows' PagesOrLocale (the catalog's own columns say 1252).
    pub(super) column_code_page: i32,
    pub(super) columns: Vec<ColumnSpec>,
    /// (index id, name, FDP, flags, key column ids).
    pub(super) indexes: Vec<(u32, &'static str, SystemObject, u32, Vec<u16>)>,
}

/// MSysObjects' 28 columns (the corpus engine's `rgcdescMSO`: 12 fixed, 10
/// variable and 6 tagged; GitHub HEAD's 13th fixed column is not there).
pub(crate) fn msys_objects_columns() -> Vec<ColumnSpec> {
    use catalog_schema::*;
    let fixed = |id, name, coltyp, size, not_null: bool| {
        (id, name, coltyp, size, u32::from(not_null), Some(4), None)
    };
    let var = |id, name, coltyp, size, not_null: bool| {
        (id, name, coltyp, size, u32::from(not_null), None, None)
    };
    vec![
        fixed(OBJID_TABLE, "ObjidTable", JET_coltypLong, 4, true),
        fixed(TYPE, "Type", JET_coltypShort, 2, true),
        fixed(ID, "Id", JET_coltypLong, 4, true),
        fixed(
            COLTYP_OR_PGNO_FDP,
            "ColtypOrPgnoFDP",
            JET_coltypLong,
            4,
            true,
        ),
        fixed(SPACE_USAGE, "SpaceUsage", JET_coltypLong, 4, true),
        fixed(FLAGS, "Flags", JET_coltypLong, 4, true),
        fixed(PAGES_OR_LOCALE, "PagesOrLocale", JET_coltypLong, 4, true),
        fixed(ROOT_FLAG, "RootFlag", JET_coltypBit, 1, false),
        fixed(RECORD_OFFSET, "RecordOffset", JET_coltypShort, 2, false),
        fixed(LCMAP_FLAGS, "LCMapFlags", JET_coltypLong, 4, false),
        fixed(KEY_MOST, "KeyMost", JET_coltypUnsignedShort, 2, false),
        fixed(LV_CHUNK_MAX, "LVChunkMax", JET_coltypLong, 4, false),
        var(NAME, "Name", JET_coltypText, 255, true),
        var(STATS, "Stats", JET_coltypBinary, 255, false),
        var(TEMPLATE_TABLE, "TemplateTable", JET_coltypText, 255, false),
        var(DEFAULT_VALUE, "DefaultValue", JET_coltypBinary, 255, false),
        var(KEY_FLD_IDS, "KeyFldIDs", JET_coltypBinary, 255, false),
        var(VAR_SEG_MAC, "VarSegMac", JET_coltypBinary, 255, false),
        var(
            CONDITIONAL_COLUMNS,
            "ConditionalColumns",
            JET_coltypBinary,
            255,
            false,
        ),
        var(TUPLE_LIMITS, "TupleLimits", JET_coltypBinary, 255, false),
        var(VERSION, "Version", JET_coltypBinary, 255, false),
        var(SORT_ID, "SortID", JET_coltypBinary, 255, false),
        var(
            CALLBACK_DATA,
            "CallbackData",
            JET_coltypLongBinary,
            0,
            false,
        ),
        var(
            CALLBACK_DEPENDENCIES,
            "CallbackDependencies",
            JET_coltypLongBinary,
            0,
            false,
        ),
        var(SEPARATE_LV, "SeparateLV", JET_coltypLongBinary, 0, false),
        var(SPACE_HINTS, "SpaceHints", JET_coltypLongBinary, 0, false),
        var(
            SPACE_DEFERRED_LV_HINTS,
            "SpaceDeferredLVHints",
            JET_coltypLongBinary,
            0,
            false,
        ),
        var(LOCALE_NAME, "LocaleName", JET_coltypLongBinary, 0, false),
    ]
}

pub(crate) fn system_tables() -> Vec<TableSpec> {
    use catalog_schema::{NAME, OBJID_TABLE, ROOT_FLAG, TYPE};
    const UNIQUE_PRIMARY_DISALLOW_NULL: u32 = 0x0001_0031; // 4-byte segs | no NULL | primary | unique
    vec![
        TableSpec {
            object: MSYS_OBJECTS,
            name: "MSysObjects",
            flags: TABLE_SYSTEM_FIXED_DDL,
            pages_or_locale: MSYS_OBJECTS.pages as i32,
            column_code_page: ENGLISH_CODE_PAGE,
            columns: msys_objects_columns(),
            indexes: vec![
                (
                    2,
                    "Id",
                    MSYS_OBJECTS,
                    UNIQUE_PRIMARY_DISALLOW_NULL,
                    vec![1, 2, 3],
                ),
                (
                    NAME_INDEX.object_id,
                    "Name",
                    NAME_INDEX,
                    0x0001_0011,
                    vec![OBJID_TABLE as u16, TYPE as u16, NAME as u16],
                ),
                (
                    ROOT_OBJECTS_INDEX.object_id,
                    "RootObjects",
                    ROOT_OBJECTS_INDEX,
                    0x0001_0009,
                    vec![ROOT_FLAG as u16, NAME as u16],
                ),
            ],
        },
        TableSpec {
            object: MSYS_OBJECTS_SHADOW,
            name: "MSysObjectsShadow",
            flags: TABLE_SYSTEM_FIXED_DDL,
            pages_or_locale: MSYS_OBJECTS_SHADOW.pages as i32,
            column_code_page: ENGLISH_CODE_PAGE,
            columns: msys_objects_columns(),
            indexes: vec![(
                3,
                "Id",
                MSYS_OBJECTS_SHADOW,
                UNIQUE_PRIMARY_DISALLOW_NULL,
                vec![1, 2, 3],
            )],
        },
        TableSpec {
            object: MSYS_OBJIDS,
            name: "MSysObjids",
            flags: TABLE_SYSTEM_FIXED_DDL_DYNAMIC,
            pages_or_locale: 0,
            column_code_page: 0,
            columns: vec![
                (256, "objid", JET_coltypLong, 4, 0, None, None),
                (257, "objidTable", JET_coltypLong, 4, 0, None, None),
                (258, "type", JET_coltypShort, 2, 0, None, None),
            ],
            // 4-byte segs | primary | no NULL segment... as ESE: 0x2F.
            indexes: vec![(6, "primary", MSYS_OBJIDS, 0x0001_002F, vec![256])],
        },
        TableSpec {
            object: MSYS_LOCALES,
            name: "MSysLocales",
            flags: TABLE_SYSTEM_DYNAMIC,
            pages_or_locale: 0,
            column_code_page: 0,
            columns: vec![
                (1, "Type", JET_coltypUnsignedByte, 1, 1, Some(4), None),
                // Default value | escrow update, default 0.
                (
                    2,
                    "iValue",
                    JET_coltypLong,
                    4,
                    0x30,
                    Some(5),
                    Some(vec![0; 4]),
                ),
                (128, "Key", JET_coltypBinary, 255, 0, None, None),
            ],
            // Disallow truncation | 4-byte segs | primary | unique, all NULLs.
            indexes: vec![(7, "KeyPrimary", MSYS_LOCALES, 0x0001_402F, vec![128])],
        },
    ]
}

/// Every catalog row of a new database (72), in creation order.
pub fn catalog_rows() -> Vec<CatalogRow> {
    let mut rows = Vec::new();
    for table in system_tables() {
        let objid = table.object.object_id as i32;
        rows.push(CatalogRow {
            objid_table: objid,
            row_type: 1,
            id: objid,
            coltyp_or_pgno_fdp: table.object.root as i32,
            space_usage: table.object.density as i32,
            flags: table.flags,
            pages_or_locale: table.pages_or_locale,
            root_flag: Some(true),
            name: table.name.into(),
            ..Default::default()
        });
        for (id, name, coltyp, size, flags, offset, default) in table.columns {
            rows.push(CatalogRow {
                objid_table: objid,
                row_type: 2,
                id: id as i32,
                coltyp_or_pgno_fdp: coltyp as i32,
                space_usage: size,
                flags,
                pages_or_locale: table.column_code_page,
                record_offset: offset,
                name: name.into(),
                default_value: default,
                ..Default::default()
            });
        }
        for (id, name, object, flags, keys) in table.indexes {
            rows.push(CatalogRow {
                objid_table: objid,
                row_type: 3,
                id: id as i32,
                coltyp_or_pgno_fdp: object.root as i32,
                space_usage: object.density as i32,
                flags,
                pages_or_locale: 0,
                lcmap_flags: Some(SYSTEM_LCMAP_FLAGS),
                name: name.into(),
                key_columns: Some(keys),
                locale_name: Some("en-US".into()),
                ..Default::default()
            });
        }
    }
    rows
}

/// Encodes a catalog row as ESE stores it: NULL fixed columns inside the
/// stored range filled with `*` (0x2A), as ESE fills them.
pub fn encode_catalog_row(row: &CatalogRow, page_size: usize) -> Result<Vec<u8>> {
    use catalog_schema::*;
    let fixed: Vec<(u32, Option<Vec<u8>>)> = vec![
        (OBJID_TABLE, Some(row.objid_table.to_le_bytes().to_vec())),
        (TYPE, Some(row.row_type.to_le_bytes().to_vec())),
        (ID, Some(row.id.to_le_bytes().to_vec())),
        (
            COLTYP_OR_PGNO_FDP,
            Some(row.coltyp_or_pgno_fdp.to_le_bytes().to_vec()),
        ),
        (SPACE_USAGE, Some(row.space_usage.to_le_bytes().to_vec())),
        (FLAGS, Some(row.flags.to_le_bytes().to_vec())),
        (
            PAGES_OR_LOCALE,
            Some(row.pages_or_locale.to_le_bytes().to_vec()),
        ),
        (
            ROOT_FLAG,
            row.root_flag.map(|b| vec![if b { 0xff } else { 0 }]),
        ),
        (
            RECORD_OFFSET,
            row.record_offset.map(|o| o.to_le_bytes().to_vec()),
        ),
        (
            LCMAP_FLAGS,
            row.lcmap_flags.map(|f| f.to_le_bytes().to_vec()),
        ),
        (KEY_MOST, row.key_most.map(|k| k.to_le_bytes().to_vec())),
        (
            LV_CHUNK_MAX,
            row.lv_chunk_max.map(|c| c.to_le_bytes().to_vec()),
        ),
    ];
    let last_fixed = fixed
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(id, _)| *id)
        .max()
        .unwrap_or(0);
    let mut fixed_data = Vec::new();
    let mut fixed_null = Vec::new();
    for (id, value) in fixed.iter().filter(|(id, _)| *id <= last_fixed) {
        let (offset, size) = fixed_layout(*id);
        debug_assert_eq!(offset, 4 + fixed_data.len());
        match value {
            Some(bytes) => {
                debug_assert_eq!(bytes.len(), size);
                fixed_data.extend_from_slice(bytes);
                fixed_null.push(false);
            }
            None => {
                fixed_data.extend(std::iter::repeat_n(b'*', size));
                fixed_null.push(true);
            }
        }
    }
    let key_fld_ids = row.key_fields_raw.clone().or_else(|| {
        row.key_columns.as_ref().map(|columns| {
            columns
                .iter()
                .flat_map(|c| {
                    let [a, b] = c.to_le_bytes();
                    [0, 0, a, b]
                })
                .collect::<Vec<u8>>()
        })
    });
    let name = row.name.as_bytes().to_vec();
    let template = row.template_table.as_ref().map(|t| t.as_bytes().to_vec());
    let variable_values: Vec<(u32, Option<&[u8]>)> = vec![
        (NAME, Some(name.as_slice())),
        (STATS, None),
        (TEMPLATE_TABLE, template.as_deref()),
        (DEFAULT_VALUE, row.default_value.as_deref()),
        (KEY_FLD_IDS, key_fld_ids.as_deref()),
        (VAR_SEG_MAC, row.var_seg_mac.as_deref()),
        (CONDITIONAL_COLUMNS, row.conditional_columns.as_deref()),
        (TUPLE_LIMITS, row.tuple_limits.as_deref()),
        (VERSION, row.version.as_deref()),
        (SORT_ID, row.sort_id.as_deref()),
    ];
    let last_variable = variable_values
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(id, _)| *id)
        .max()
        .unwrap_or(127);
    let variable: Vec<Option<&[u8]>> = variable_values
        .iter()
        .filter(|(id, _)| *id <= last_variable)
        .map(|(_, v)| *v)
        .collect();
    let locale: Option<Vec<u8>> = row
        .locale_name
        .as_ref()
        .map(|name| name.encode_utf16().flat_map(u16::to_le_bytes).collect());
    let mut tagged = Vec::new();
    if let Some(separate_lv) = &row.separate_lv {
        tagged.push(TaggedField {
            column_id: SEPARATE_LV,
            derived: false,
            flags: 0x01,
            has_header: true,
            body: separate_lv,
        });
    }
    if let Some(locale) = &locale {
        tagged.push(TaggedField {
            column_id: LOCALE_NAME,
            derived: false,
            flags: 0x01,
            has_header: true,
            body: locale,
        });
    }
    encode_record(
        &RecordParts {
            last_fixed,
            fixed_data: &fixed_data,
            fixed_null: fixed_null.into(),
            variable: variable.into(),
            tagged: tagged.into(),
        },
        page_size,
    )
}

/// The key spec of the system indexes (en-US, 255-byte keys).
pub(crate) fn system_key_spec() -> KeySpec {
    KeySpec {
        key_most: 255,
        var_seg_mac: None,
        sort_nulls_high: false,
        dotnet_guid: false,
        lcmap_flags: SYSTEM_LCMAP_FLAGS,
        locale: "en-US".into(),
    }
}

pub(crate) fn segment(coltyp: u32, fixed_column: bool) -> SegmentSpec {
    SegmentSpec {
        coltyp,
        code_page: ENGLISH_CODE_PAGE as u32,
        descending: false,
        fixed_column,
    }
}

/// The catalog's primary key (index Id): ObjidTable, Type, Id.
pub fn catalog_key(row: &CatalogRow) -> Result<Vec<u8>> {
    normalize_key(
        &system_key_spec(),
        &[
            segment(JET_coltypLong, true),
            segment(JET_coltypShort, true),
            segment(JET_coltypLong, true),
        ],
        &[
            KeyValue::Data(&row.objid_table.to_le_bytes()),
            KeyValue::Data(&row.row_type.to_le_bytes()),
            KeyValue::Data(&row.id.to_le_bytes()),
        ],
    )
}

/// The catalog's Name index key: ObjidTable, Type, Name (text, cp1252).
pub fn name_index_key(row: &CatalogRow) -> Result<Vec<u8>> {
    normalize_key(
        &system_key_spec(),
        &[
            segment(JET_coltypLong, true),
            segment(JET_coltypShort, true),
            segment(JET_coltypText, false),
        ],
        &[
            KeyValue::Data(&row.objid_table.to_le_bytes()),
            KeyValue::Data(&row.row_type.to_le_bytes()),
            KeyValue::Data(row.name.as_bytes()),
        ],
    )
}

/// The catalog's RootObjects index key: RootFlag, Name. Only rows with
/// RootFlag set are in that index.
pub fn root_objects_key(row: &CatalogRow) -> Result<Option<Vec<u8>>> {
    if row.root_flag != Some(true) {
        return Ok(None);
    }
    normalize_key(
        &system_key_spec(),
        &[segment(JET_coltypBit, true), segment(JET_coltypText, false)],
        &[KeyValue::Data(&[0xff]), KeyValue::Data(row.name.as_bytes())],
    )
    .map(Some)
}

/// MSysObjids rows: (objid, objidTable, type) of every object but the root.
pub fn objids_rows() -> Vec<(i32, i32, i16)> {
    let mut rows: Vec<(i32, i32, i16)> = catalog_rows()
        .iter()
        // An index row's Id is the index's objid; a primary index shares
        // its table's (the catalogs' Id indexes, MSysObjids, MSysLocales).
        .filter(|r| r.row_type == 1 || (r.row_type == 3 && r.id != r.objid_table))
        .map(|r| (r.id, r.objid_table, r.row_type))
        .collect();
    rows.sort();
    rows
}

pub(crate) fn objids_entry(row: (i32, i32, i16), page_size: usize) -> Result<(Vec<u8>, Vec<u8>)> {
    let key = normalize_key(
        &system_key_spec(),
        &[segment(JET_coltypLong, false)],
        &[KeyValue::Data(&row.0.to_le_bytes())],
    )?;
    let objid = row.0.to_le_bytes();
    let objid_table = row.1.to_le_bytes();
    let row_type = row.2.to_le_bytes();
    let field = |column_id, body| TaggedField {
        column_id,
        derived: false,
        flags: 0,
        has_header: false,
        body,
    };
    let record = encode_record(
        &RecordParts {
            last_fixed: 0,
            fixed_data: &[],
            fixed_null: Vec::new().into(),
            variable: Vec::new().into(),
            tagged: vec![
                field(256, &objid[..]),
                field(257, &objid_table[..]),
                field(258, &row_type[..]),
            ]
            .into(),
        },
        page_size,
    )?;
    Ok((key, record))
}

/// MSysLocales rows: the key-value store's schema version and its
/// consistency marker (ESE: kvpstore.cxx). (key, Type, iValue).
pub fn locales_rows() -> Vec<(&'static str, u8, i32)> {
    vec![
        (".Schema\\External\\Major", 1, 1),
        (".Schema\\External\\Minor", 1, 0),
        (".Schema\\External\\Update", 1, 0),
        (".Schema\\Internal\\Major", 1, 1),
        (".Schema\\Internal\\Minor", 1, 0),
        (".Schema\\Internal\\Update", 1, 0),
        ("MSysLocalesConsistent", 2, 1),
    ]
}

pub(crate) fn locales_entry(row: (&str, u8, i32), page_size: usize) -> Result<(Vec<u8>, Vec<u8>)> {
    // UTF-16LE with its terminator.
    let key_bytes: Vec<u8> = row
        .0
        .encode_utf16()
        .chain([0])
        .flat_map(u16::to_le_bytes)
        .collect();
    let key = normalize_key(
        &system_key_spec(),
        &[segment(JET_coltypBinary, false)],
        &[KeyValue::Data(&key_bytes)],
    )?;
    let mut fixed = vec![row.1];
    fixed.extend_from_slice(&row.2.to_le_bytes());
    let record = encode_record(
        &RecordParts {
            last_fixed: 2,
            fixed_data: &fixed,
            fixed_null: vec![false, false].into(),
            variable: vec![Some(&key_bytes[..])].into(),
            tagged: Vec::new().into(),
        },
        page_size,
    )?;
    Ok((key, record))
}
