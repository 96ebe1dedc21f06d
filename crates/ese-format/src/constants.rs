//! Constants of the JET API and the file format that the first layers need:
//! column types, database states, file types and format versions.
//!
//! Values are those of ESE's published header (`jethdr.w`); names keep
//! ESE's spelling so that they match `esent.h`.

#![allow(non_upper_case_globals)]

// Column types (JET_coltyp*).
pub const JET_coltypNil: u32 = 0;
pub const JET_coltypBit: u32 = 1;
pub const JET_coltypUnsignedByte: u32 = 2;
pub const JET_coltypShort: u32 = 3;
pub const JET_coltypLong: u32 = 4;
pub const JET_coltypCurrency: u32 = 5;
pub const JET_coltypIEEESingle: u32 = 6;
pub const JET_coltypIEEEDouble: u32 = 7;
pub const JET_coltypDateTime: u32 = 8;
pub const JET_coltypBinary: u32 = 9;
pub const JET_coltypText: u32 = 10;
pub const JET_coltypLongBinary: u32 = 11;
pub const JET_coltypLongText: u32 = 12;
/// Obsolete "super long value" type; never valid in a new column.
pub const JET_coltypSLV: u32 = 13;
pub const JET_coltypUnsignedLong: u32 = 14;
pub const JET_coltypLongLong: u32 = 15;
pub const JET_coltypGUID: u32 = 16;
pub const JET_coltypUnsignedShort: u32 = 17;
pub const JET_coltypUnsignedLongLong: u32 = 18;
/// One past the last column type.
pub const JET_coltypMax: u32 = 19;

/// The name of a column type, e.g. `"LongText"`.
pub fn column_type_name(coltyp: u32) -> Option<&'static str> {
    const NAMES: [&str; JET_coltypMax as usize] = [
        "Nil",
        "Bit",
        "UnsignedByte",
        "Short",
        "Long",
        "Currency",
        "IEEESingle",
        "IEEEDouble",
        "DateTime",
        "Binary",
        "Text",
        "LongBinary",
        "LongText",
        "SLV",
        "UnsignedLong",
        "LongLong",
        "GUID",
        "UnsignedShort",
        "UnsignedLongLong",
    ];
    NAMES.get(usize::try_from(coltyp).ok()?).copied()
}

/// The stored width of a fixed-size column type, `None` for variable ones.
pub fn fixed_column_size(coltyp: u32) -> Option<usize> {
    match coltyp {
        JET_coltypBit | JET_coltypUnsignedByte => Some(1),
        JET_coltypShort | JET_coltypUnsignedShort => Some(2),
        JET_coltypLong | JET_coltypUnsignedLong | JET_coltypIEEESingle => Some(4),
        JET_coltypCurrency
        | JET_coltypIEEEDouble
        | JET_coltypDateTime
        | JET_coltypLongLong
        | JET_coltypUnsignedLongLong => Some(8),
        JET_coltypGUID => Some(16),
        _ => None,
    }
}

// Database states (JET_dbstate*), as stored in the header.
pub const JET_dbstateJustCreated: u32 = 1;
pub const JET_dbstateDirtyShutdown: u32 = 2;
pub const JET_dbstateCleanShutdown: u32 = 3;
pub const JET_dbstateBeingConverted: u32 = 4;
pub const JET_dbstateForceDetach: u32 = 5;
pub const JET_dbstateIncrementalReseedInProgress: u32 = 6;
pub const JET_dbstateDirtyAndPatchedShutdown: u32 = 7;
pub const JET_dbstateRevertInProgress: u32 = 8;

/// The display name of a database state, as `esentutl /mh` spells it.
pub fn database_state_name(state: u32) -> Option<&'static str> {
    Some(match state {
        JET_dbstateJustCreated => "Just Created",
        JET_dbstateDirtyShutdown => "Dirty Shutdown",
        JET_dbstateCleanShutdown => "Clean Shutdown",
        JET_dbstateBeingConverted => "Being Converted",
        JET_dbstateForceDetach => "Force Detach",
        JET_dbstateIncrementalReseedInProgress => "Incremental Reseed In Progress",
        JET_dbstateDirtyAndPatchedShutdown => "Dirty And Patched Shutdown",
        JET_dbstateRevertInProgress => "Revert In Progress",
        _ => return None,
    })
}

// File types (JET_filetype*), stored at a fixed offset in every ESE file
// header so that a log or checkpoint file is never mistaken for a database.
pub const JET_filetypeUnknown: u32 = 0;
pub const JET_filetypeDatabase: u32 = 1;
pub const JET_filetypeStreamingFile: u32 = 2;
pub const JET_filetypeLog: u32 = 3;
pub const JET_filetypeCheckpoint: u32 = 4;
pub const JET_filetypeTempDatabase: u32 = 5;
pub const JET_filetypeFTL: u32 = 6;
pub const JET_filetypeFlushMap: u32 = 7;
pub const JET_filetypeCachedFile: u32 = 8;
pub const JET_filetypeCachingFile: u32 = 9;
pub const JET_filetypeSnapshot: u32 = 10;
pub const JET_filetypeRBSRevertCheckpoint: u32 = 11;

/// The name of a file type.
pub fn file_type_name(file_type: u32) -> Option<&'static str> {
    Some(match file_type {
        JET_filetypeUnknown => "Unknown",
        JET_filetypeDatabase => "Database",
        JET_filetypeStreamingFile => "Streaming File",
        JET_filetypeLog => "Log",
        JET_filetypeCheckpoint => "Checkpoint",
        JET_filetypeTempDatabase => "Temporary Database",
        JET_filetypeFTL => "FTL",
        JET_filetypeFlushMap => "Flush Map",
        JET_filetypeCachedFile => "Cached File",
        JET_filetypeCachingFile => "Caching File",
        JET_filetypeSnapshot => "Snapshot",
        JET_filetypeRBSRevertCheckpoint => "Revert Checkpoint",
        _ => return None,
    })
}

/// The magic number in every database header (ESE: ulDAEMagic). It also
/// seeds the legacy XOR checksum.
pub const DATABASE_MAGIC: u32 = 0x89ab_cdef;

/// Database format major version written by every ESE since ESE97.
pub const FORMAT_VERSION: u32 = 0x620;
/// Format revision (ESE: ulDaeUpdateMajor) this engine writes when creating.
pub const FORMAT_REVISION: u32 = 20;

/// Page sizes the format defines. 2 KiB pages were dropped by Windows 10's
/// ESE but older files may hold them.
pub const PAGE_SIZES: [usize; 5] = [2048, 4096, 8192, 16384, 32768];
/// The page size a header with a zero page-size field means.
pub const DEFAULT_PAGE_SIZE: usize = 4096;
/// The number of header pages at the start of every database file (the
/// header and its shadow copy). Database page number `n` lives at file page
/// index `n + 1`.
pub const HEADER_PAGES: u64 = 2;

/// Whether `size` is a page size the format defines.
pub fn is_valid_page_size(size: usize) -> bool {
    PAGE_SIZES.contains(&size)
}

/// Key size limits per page size (JET_cbKeyMost*KBytePage).
pub fn max_key_size(page_size: usize) -> usize {
    match page_size {
        2048 => 500,
        4096 => 1000,
        _ => 2000,
    }
}
