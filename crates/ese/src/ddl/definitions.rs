//! What the DDL functions take (ESE: JET_TABLECREATE, JET_COLUMNCREATE,
//! JET_INDEXCREATE, JET_CONDITIONALCOLUMN, JET_INDEX_COLUMN limits) and
//! the rule every object name follows. Shared by every DDL file, so it
//! imports none of them.

use crate::codes::*;
use crate::{Error, Result};

/// JET_COLUMNCREATE: one column to create.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnCreate {
    pub name: String,
    /// JET_coltyp*.
    pub coltyp: u32,
    /// Maximum length in bytes (0: the type's default).
    pub max_size: u32,
    /// JET_bitColumn* options.
    pub grbit: u32,
    pub default_value: Option<Vec<u8>>,
    /// Code page of a text column (0: 1252; 1200 for Unicode).
    pub code_page: u32,
    /// Out: the column id given to the column.
    pub column_id: u32,
}

impl ColumnCreate {
    pub fn new(name: &str, coltyp: u32, grbit: u32) -> Self {
        ColumnCreate {
            name: name.into(),
            coltyp,
            grbit,
            ..Default::default()
        }
    }

    /// The same column with a default value.
    pub fn with_default(self, value: &[u8]) -> Self {
        ColumnCreate {
            default_value: Some(value.to_vec()),
            ..self
        }
    }
}

/// JET_CONDITIONALCOLUMN.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConditionalColumn {
    pub name: String,
    /// JET_bitIndexColumnMustBeNull or JET_bitIndexColumnMustBeNonNull.
    pub grbit: u32,
}

/// JET_INDEXCREATE (with the JET_INDEXCREATE2 fields that matter).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexCreate {
    pub name: String,
    /// The key as JET writes it: `+Column\0-Other\0\0` (a missing sign
    /// means ascending; the final NULs may be left out).
    pub key: String,
    /// JET_bitIndex* options.
    pub grbit: u32,
    /// Percentage of each page filled by ascending loads (0: 100 for
    /// indexes, as ESE).
    pub density: u32,
    /// The locale of text keys (JET_UNICODEINDEX2's szLocaleName; None:
    /// en-US).
    pub locale: Option<String>,
    /// LCMapString flags of text keys (0: ESE's default).
    pub lcmap_flags: u32,
    /// Longest part of a variable segment kept in a key (0: no limit).
    pub var_seg_mac: u32,
    pub conditional_columns: Vec<ConditionalColumn>,
    /// Longest key (0: 255 bytes).
    pub key_most: u32,
    /// JET_TUPLELIMITS, with JET_bitIndexTupleLimits (0 fields take the
    /// defaults).
    pub tuple_limits: Option<TupleLimits>,
}

/// JET_TUPLELIMITS: how a tuple index cuts its first key column into
/// substrings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TupleLimits {
    /// Shortest tuple, in characters (default 3).
    pub length_min: u32,
    /// Longest tuple (default 10).
    pub length_max: u32,
    /// How many start positions are indexed (default 32,767).
    pub to_index_max: u32,
    /// Characters between start positions (default 1).
    pub increment: u32,
    /// The first start position (default 0).
    pub start: u32,
}

impl TupleLimits {
    /// The limits with ESE's defaults filled in, checked.
    pub(crate) fn resolved(self) -> Result<[u32; 5]> {
        let pick = |value: u32, default: u32| if value == 0 { default } else { value };
        let limits = [
            pick(self.length_min, 3),
            pick(self.length_max, 10),
            pick(self.to_index_max, 32_767),
            pick(self.increment, 1),
            self.start,
        ];
        let [min, max, to_index, _, _] = limits;
        if limits.iter().any(|v| *v > 0xffff)
            || !(2..=255).contains(&min)
            || !(2..=255).contains(&max)
            || min > max
            || to_index > 0x7fff
        {
            return Err(
                Error::new(JET_errIndexTuplesInvalidLimits).with_detail(format!("{self:?}"))
            );
        }
        Ok(limits)
    }
}

impl IndexCreate {
    pub fn new(name: &str, key: &str, grbit: u32) -> Self {
        IndexCreate {
            name: name.into(),
            key: key.into(),
            grbit,
            ..Default::default()
        }
    }
}

/// JET_TABLECREATE.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableCreate {
    pub name: String,
    /// The template table a derived table inherits from.
    pub template_table: Option<String>,
    /// Initial pages (0: ESE's default).
    pub pages: u32,
    /// Page density percentage (0: 80).
    pub density: u32,
    pub columns: Vec<ColumnCreate>,
    pub indexes: Vec<IndexCreate>,
    /// JET_bitTableCreate* options.
    pub grbit: u32,
    /// Out: how many objects were created (table, columns, indexes).
    pub created: u32,
}

/// The LCMapString flags ESE uses for text keys unless told otherwise
/// (NORM_IGNORECASE | LCMAP_SORTKEY | NORM_IGNOREKANATYPE |
/// NORM_IGNOREWIDTH).
pub const DEFAULT_LCMAP_FLAGS: u32 = 0x0003_0401;
/// Default densities (ESE: ulFILEDefaultDensity for tables; indexes use
/// the same).
pub const DEFAULT_DENSITY: u32 = 80;
/// JET_cbNameMost.
const MAX_NAME_LENGTH: usize = 64;

/// `JET_errInvalidName` unless `name` is a valid object name: 1 to 64
/// characters, no control characters, no leading space, none of `!.[]`.
pub fn check_name(name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name.chars().count() > MAX_NAME_LENGTH
        || name.starts_with(' ')
        || name
            .chars()
            .any(|c| c.is_control() || matches!(c, '!' | '.' | '[' | ']'));
    if bad {
        return Err(Error::new(JET_errInvalidName).with_detail(format!("{name:?}")));
    }
    Ok(())
}
