//! The C types of the JET API with Windows x64's sizes and layouts.
//!
//! ESENT's `long` and `unsigned long` are 32-bit (Windows is LLP64), and
//! callers in other languages pass them as 32-bit integers, so they are
//! `i32` / `u32` here whatever the platform's C `long` is; handles are
//! pointer-sized (`JET_API_PTR`), `WCHAR` is a 16-bit unit. `include/esent.h`
//! declares the same, and `tests/c_api.rs` compares every structure's size
//! and field offsets as C sees them with these.
#![allow(non_camel_case_types, non_snake_case)]

pub type JET_ERR = i32;
pub type JET_API_PTR = usize;
pub type JET_INSTANCE = JET_API_PTR;
pub type JET_SESID = JET_API_PTR;
pub type JET_TABLEID = JET_API_PTR;
pub type JET_HANDLE = JET_API_PTR;
pub type JET_DBID = u32;
pub type JET_COLUMNID = u32;
pub type JET_GRBIT = u32;
pub type JET_COLTYP = u32;
/// ESENT's `unsigned long`.
pub type ULONG = u32;
/// ESENT's `long`.
pub type LONG = i32;
pub type WCHAR = u16;

pub const JET_instanceNil: JET_INSTANCE = !0;
pub const JET_sesidNil: JET_SESID = !0;
pub const JET_tableidNil: JET_TABLEID = !0;
pub const JET_dbidNil: JET_DBID = 0xFFFF_FFFF;

/// JET_COLUMNDEF (JetAddColumn's column).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_COLUMNDEF {
    pub cbStruct: ULONG,
    pub columnid: JET_COLUMNID,
    pub coltyp: JET_COLTYP,
    pub wCountry: u16,
    pub langid: u16,
    pub cp: u16,
    pub wCollate: u16,
    pub cbMax: ULONG,
    pub grbit: JET_GRBIT,
}

/// JET_SETINFO (JetSetColumn's offset into a long value and its value
/// number in a multi-valued column).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_SETINFO {
    pub cbStruct: ULONG,
    pub ibLongValue: ULONG,
    pub itagSequence: ULONG,
}

/// JET_RETINFO (JetRetrieveColumn's offset, value number, and the next
/// tagged column found).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_RETINFO {
    pub cbStruct: ULONG,
    pub ibLongValue: ULONG,
    pub itagSequence: ULONG,
    pub columnidNextTagged: JET_COLUMNID,
}

/// JET_RETRIEVECOLUMN (one column of JetRetrieveColumns).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_RETRIEVECOLUMN {
    pub columnid: JET_COLUMNID,
    pub pvData: *mut std::ffi::c_void,
    pub cbData: ULONG,
    pub cbActual: ULONG,
    pub grbit: JET_GRBIT,
    pub ibLongValue: ULONG,
    pub itagSequence: ULONG,
    pub columnidNextTagged: JET_COLUMNID,
    pub err: JET_ERR,
}

/// JET_SETCOLUMN (one column of JetSetColumns).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_SETCOLUMN {
    pub columnid: JET_COLUMNID,
    pub pvData: *const std::ffi::c_void,
    pub cbData: ULONG,
    pub grbit: JET_GRBIT,
    pub ibLongValue: ULONG,
    pub itagSequence: ULONG,
    pub err: JET_ERR,
}

/// JET_RECPOS (a position as a fraction of an index).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_RECPOS {
    pub cbStruct: ULONG,
    pub centriesLT: ULONG,
    pub centriesInRange: ULONG,
    pub centriesTotal: ULONG,
}

/// JET_COLUMNCREATE_A / _W (`C` is `c_char` or `u16`): one column of
/// JetCreateTableColumnIndex.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_COLUMNCREATE<C> {
    pub cbStruct: ULONG,
    pub szColumnName: *const C,
    pub coltyp: JET_COLTYP,
    pub cbMax: ULONG,
    pub grbit: JET_GRBIT,
    pub pvDefault: *const std::ffi::c_void,
    pub cbDefault: ULONG,
    pub cp: ULONG,
    pub columnid: JET_COLUMNID,
    pub err: JET_ERR,
}

/// JET_CONDITIONALCOLUMN_A / _W.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_CONDITIONALCOLUMN<C> {
    pub cbStruct: ULONG,
    pub szColumnName: *const C,
    pub grbit: JET_GRBIT,
}

/// JET_UNICODEINDEX.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_UNICODEINDEX {
    pub lcid: ULONG,
    pub dwMapFlags: ULONG,
}

/// JET_TUPLELIMITS.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_TUPLELIMITS {
    pub chLengthMin: ULONG,
    pub chLengthMax: ULONG,
    pub chToIndexMax: ULONG,
    pub cchIncrement: ULONG,
    pub ichStart: ULONG,
}

/// JET_INDEXCREATE_A / _W. The two unions of ESENT's structure are
/// pointer-sized words here: `lcid` or a JET_UNICODEINDEX pointer (with
/// JET_bitIndexUnicode), `cbVarSegMac` or a JET_TUPLELIMITS pointer (with
/// JET_bitIndexTupleLimits); a 32-bit value is read from the word's low
/// half, which is where a C program's write to the `unsigned long` member
/// goes on a little-endian machine.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_INDEXCREATE<C> {
    pub cbStruct: ULONG,
    pub szIndexName: *const C,
    pub szKey: *const C,
    pub cbKey: ULONG,
    pub grbit: JET_GRBIT,
    pub ulDensity: ULONG,
    pub lcid_or_unicode: usize,
    pub var_seg_or_tuple: usize,
    pub rgconditionalcolumn: *mut JET_CONDITIONALCOLUMN<C>,
    pub cConditionalColumn: ULONG,
    pub err: JET_ERR,
    pub cbKeyMost: ULONG,
}

/// JET_TABLECREATE_A / _W.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_TABLECREATE<C> {
    pub cbStruct: ULONG,
    pub szTableName: *const C,
    pub szTemplateTableName: *const C,
    pub ulPages: ULONG,
    pub ulDensity: ULONG,
    pub rgcolumncreate: *mut JET_COLUMNCREATE<C>,
    pub cColumns: ULONG,
    pub rgindexcreate: *mut JET_INDEXCREATE<C>,
    pub cIndexes: ULONG,
    pub grbit: JET_GRBIT,
    pub tableid: JET_TABLEID,
    pub cCreated: ULONG,
}

/// JET_PFNSTATUS: the progress callback of JetBackupInstance and
/// JetRestoreInstance.
pub type JET_PFNSTATUS =
    Option<unsafe extern "C" fn(JET_SESID, ULONG, ULONG, *mut std::ffi::c_void) -> JET_ERR>;

/// JET_SNPROG (the progress JET_PFNSTATUS is given).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_SNPROG {
    pub cbStruct: ULONG,
    pub cunitDone: ULONG,
    pub cunitTotal: ULONG,
}

/// JET_LOGTIME: a time in the log's format (seconds to year since 1900,
/// then two bytes of flags and milliseconds).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_LOGTIME {
    pub bSeconds: u8,
    pub bMinutes: u8,
    pub bHours: u8,
    pub bDay: u8,
    pub bMonth: u8,
    pub bYear: u8,
    pub bFiller1: u8,
    pub bFiller2: u8,
}

impl JET_LOGTIME {
    /// ESE's 8 LOGTIME bytes (as the log and database headers hold them)
    /// in their fields.
    pub fn from_bytes(t: [u8; 8]) -> Self {
        JET_LOGTIME {
            bSeconds: t[0],
            bMinutes: t[1],
            bHours: t[2],
            bDay: t[3],
            bMonth: t[4],
            bYear: t[5],
            bFiller1: t[6],
            bFiller2: t[7],
        }
    }
}

/// JET_LGPOS: a position in the log.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_LGPOS {
    pub ib: u16,
    pub isec: u16,
    pub lGeneration: LONG,
}

/// JET_SIGNATURE: a log's or database's identity.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_SIGNATURE {
    pub ulRandom: ULONG,
    pub logtimeCreate: JET_LOGTIME,
    pub szComputerName: [u8; 16],
}

/// JET_COMMIT_ID: what JetCommitTransaction2 reports of a commit.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_COMMIT_ID {
    pub signLog: JET_SIGNATURE,
    pub reserved: i32,
    pub commitId: i64,
}

/// JET_LOGINFO_A / _W: a backup's log generations and base name.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_LOGINFO<C> {
    pub cbSize: ULONG,
    pub ulGenLow: ULONG,
    pub ulGenHigh: ULONG,
    pub szBaseName: [C; 4],
}

/// JET_RSTMAP_A / _W: where a database was, and where it is restored.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_RSTMAP<C> {
    pub szDatabaseName: *const C,
    pub szNewDatabaseName: *const C,
}

/// JET_RSTINFO_A / _W: JetInit3's restore map and stopping point.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_RSTINFO<C> {
    pub cbStruct: ULONG,
    pub rgrstmap: *const JET_RSTMAP<C>,
    pub crstmap: LONG,
    pub lgposStop: JET_LGPOS,
    pub logtimeStop: JET_LOGTIME,
    pub pfnStatus: JET_PFNSTATUS,
}

/// JET_SETSYSPARAM_A / _W: one parameter of JetEnableMultiInstance.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_SETSYSPARAM<C> {
    pub paramid: ULONG,
    pub lParam: JET_API_PTR,
    pub sz: *const C,
    pub err: JET_ERR,
}

/// JET_INSTANCE_INFO_A / _W: one running instance (JetGetInstanceInfo).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_INSTANCE_INFO<C> {
    pub hInstanceId: JET_INSTANCE,
    pub szInstanceName: *mut C,
    pub cDatabases: JET_API_PTR,
    pub szDatabaseFileName: *mut *mut C,
    pub szDatabaseDisplayName: *mut *mut C,
    pub szDatabaseSLVFileName_Obsolete: *mut *mut C,
}

/// JET_RECSIZE: JetGetRecordSize's answer.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_RECSIZE {
    pub cbData: u64,
    pub cbLongValueData: u64,
    pub cbOverhead: u64,
    pub cbLongValueOverhead: u64,
    pub cNonTaggedColumns: u64,
    pub cTaggedColumns: u64,
    pub cLongValues: u64,
    pub cMultiValues: u64,
}

/// JET_ENUMCOLUMNID: a column JetEnumerateColumns is asked for, with the
/// value numbers wanted (none: all).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_ENUMCOLUMNID {
    pub columnid: JET_COLUMNID,
    pub ctagSequence: ULONG,
    pub rgtagSequence: *const ULONG,
}

/// JET_ENUMCOLUMNVALUE: one value JetEnumerateColumns returns.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_ENUMCOLUMNVALUE {
    pub itagSequence: ULONG,
    pub err: JET_ERR,
    pub cbData: ULONG,
    pub pvData: *mut std::ffi::c_void,
}

/// JET_ENUMCOLUMN: one column JetEnumerateColumns returns. The union of
/// ESENT's structure: `cEnumColumnValue` and `rgEnumColumnValue`, or
/// (with `JET_wrnColumnSingleValue`) `cbData` and `pvData` in the same
/// places.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_ENUMCOLUMN {
    pub columnid: JET_COLUMNID,
    pub err: JET_ERR,
    pub cEnumColumnValue: ULONG,
    pub rgEnumColumnValue: *mut std::ffi::c_void,
}

/// JET_PFNREALLOC: JetEnumerateColumns' allocator (realloc's contract).
pub type JET_PFNREALLOC = Option<
    unsafe extern "C" fn(
        *mut std::ffi::c_void,
        *mut std::ffi::c_void,
        ULONG,
    ) -> *mut std::ffi::c_void,
>;

/// JET_CALLBACK: JetDefragment2's completion callback (and the table
/// callbacks' type).
pub type JET_CALLBACK = Option<
    unsafe extern "C" fn(
        JET_SESID,
        JET_DBID,
        JET_TABLEID,
        u32,
        *mut std::ffi::c_void,
        *mut std::ffi::c_void,
        *mut std::ffi::c_void,
        JET_API_PTR,
    ) -> JET_ERR,
>;

/// JET_OBJECTINFO: a table as JetGetObjectInfo / JetGetTableInfo
/// describe it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_OBJECTINFO {
    pub cbStruct: ULONG,
    pub objtyp: u32,
    pub dtCreate: f64,
    pub dtUpdate: f64,
    pub grbit: JET_GRBIT,
    pub flags: ULONG,
    pub cRecord: ULONG,
    pub cPage: ULONG,
}

/// JET_COLUMNLIST: the list of a table's columns (JET_ColInfoList).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_COLUMNLIST {
    pub cbStruct: ULONG,
    pub tableid: JET_TABLEID,
    pub cRecord: ULONG,
    pub columnidPresentationOrder: JET_COLUMNID,
    pub columnidcolumnname: JET_COLUMNID,
    pub columnidcolumnid: JET_COLUMNID,
    pub columnidcoltyp: JET_COLUMNID,
    pub columnidCountry: JET_COLUMNID,
    pub columnidLangid: JET_COLUMNID,
    pub columnidCp: JET_COLUMNID,
    pub columnidCollate: JET_COLUMNID,
    pub columnidcbMax: JET_COLUMNID,
    pub columnidgrbit: JET_COLUMNID,
    pub columnidDefault: JET_COLUMNID,
    pub columnidBaseTableName: JET_COLUMNID,
    pub columnidBaseColumnName: JET_COLUMNID,
    pub columnidDefinitionName: JET_COLUMNID,
}

/// JET_INDEXLIST: the list of a table's indexes, a row per key column
/// (JET_IdxInfo, JET_IdxInfoList).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_INDEXLIST {
    pub cbStruct: ULONG,
    pub tableid: JET_TABLEID,
    pub cRecord: ULONG,
    pub columnidindexname: JET_COLUMNID,
    pub columnidgrbitIndex: JET_COLUMNID,
    pub columnidcKey: JET_COLUMNID,
    pub columnidcEntry: JET_COLUMNID,
    pub columnidcPage: JET_COLUMNID,
    pub columnidcColumn: JET_COLUMNID,
    pub columnidiColumn: JET_COLUMNID,
    pub columnidcolumnid: JET_COLUMNID,
    pub columnidcoltyp: JET_COLUMNID,
    pub columnidCountry: JET_COLUMNID,
    pub columnidLangid: JET_COLUMNID,
    pub columnidCp: JET_COLUMNID,
    pub columnidCollate: JET_COLUMNID,
    pub columnidgrbitColumn: JET_COLUMNID,
    pub columnidcolumnname: JET_COLUMNID,
    pub columnidLCMapFlags: JET_COLUMNID,
}

/// JET_OBJECTLIST: the list of a database's tables (JET_ObjInfoList).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_OBJECTLIST {
    pub cbStruct: ULONG,
    pub tableid: JET_TABLEID,
    pub cRecord: ULONG,
    pub columnidcontainername: JET_COLUMNID,
    pub columnidobjectname: JET_COLUMNID,
    pub columnidobjtyp: JET_COLUMNID,
    pub columniddtCreate: JET_COLUMNID,
    pub columniddtUpdate: JET_COLUMNID,
    pub columnidgrbit: JET_COLUMNID,
    pub columnidflags: JET_COLUMNID,
    pub columnidcRecord: JET_COLUMNID,
    pub columnidcPage: JET_COLUMNID,
}

/// JET_COLUMNBASE_A / _W: a column with the table and column it is
/// defined by (JET_ColInfoBase).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_COLUMNBASE<C> {
    pub cbStruct: ULONG,
    pub columnid: JET_COLUMNID,
    pub coltyp: JET_COLTYP,
    pub wCountry: u16,
    pub langid: u16,
    pub cp: u16,
    pub wFiller: u16,
    pub cbMax: ULONG,
    pub grbit: JET_GRBIT,
    pub szBaseTableName: [C; 256],
    pub szBaseColumnName: [C; 256],
}

/// JET_BKINFO: a backup's position, time and log generations.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_BKINFO {
    pub lgposMark: JET_LGPOS,
    pub logtimeMark: JET_LOGTIME,
    pub genLow: ULONG,
    pub genHigh: ULONG,
}

/// JET_DBINFOMISC7, the last of the JET_DBINFOMISC versions: each earlier
/// version is a prefix of it (every field is 4-byte aligned, so a
/// version's size is the offset of the next one's first field; see
/// [`DBINFOMISC_SIZES`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_DBINFOMISC7 {
    pub ulVersion: ULONG,
    pub ulUpdate: ULONG,
    pub signDb: JET_SIGNATURE,
    pub dbstate: ULONG,
    pub lgposConsistent: JET_LGPOS,
    pub logtimeConsistent: JET_LOGTIME,
    pub logtimeAttach: JET_LOGTIME,
    pub lgposAttach: JET_LGPOS,
    pub logtimeDetach: JET_LOGTIME,
    pub lgposDetach: JET_LGPOS,
    pub signLog: JET_SIGNATURE,
    pub bkinfoFullPrev: JET_BKINFO,
    pub bkinfoIncPrev: JET_BKINFO,
    pub bkinfoFullCur: JET_BKINFO,
    pub fShadowingDisabled: ULONG,
    pub fUpgradeDb: ULONG,
    pub dwMajorVersion: ULONG,
    pub dwMinorVersion: ULONG,
    pub dwBuildNumber: ULONG,
    pub lSPNumber: LONG,
    pub cbPageSize: ULONG,
    pub genMinRequired: ULONG,
    pub genMaxRequired: ULONG,
    pub logtimeGenMaxCreate: JET_LOGTIME,
    pub ulRepairCount: ULONG,
    pub logtimeRepair: JET_LOGTIME,
    pub ulRepairCountOld: ULONG,
    pub ulECCFixSuccess: ULONG,
    pub logtimeECCFixSuccess: JET_LOGTIME,
    pub ulECCFixSuccessOld: ULONG,
    pub ulECCFixFail: ULONG,
    pub logtimeECCFixFail: JET_LOGTIME,
    pub ulECCFixFailOld: ULONG,
    pub ulBadChecksum: ULONG,
    pub logtimeBadChecksum: JET_LOGTIME,
    pub ulBadChecksumOld: ULONG,
    pub genCommitted: ULONG,
    pub bkinfoCopyPrev: JET_BKINFO,
    pub bkinfoDiffPrev: JET_BKINFO,
    pub ulIncrementalReseedCount: ULONG,
    pub logtimeIncrementalReseed: JET_LOGTIME,
    pub ulIncrementalReseedCountOld: ULONG,
    pub ulPagePatchCount: ULONG,
    pub logtimePagePatch: JET_LOGTIME,
    pub ulPagePatchCountOld: ULONG,
    pub logtimeChecksumPrev: JET_LOGTIME,
    pub logtimeChecksumStart: JET_LOGTIME,
    pub cpgDatabaseChecked: ULONG,
    pub logtimeLastReAttach: JET_LOGTIME,
    pub lgposLastReAttach: JET_LGPOS,
}

/// The sizes of JET_DBINFOMISC, JET_DBINFOMISC2 ... JET_DBINFOMISC7.
pub const DBINFOMISC_SIZES: [usize; 7] = [
    std::mem::offset_of!(JET_DBINFOMISC7, genMinRequired),
    std::mem::offset_of!(JET_DBINFOMISC7, genCommitted),
    std::mem::offset_of!(JET_DBINFOMISC7, bkinfoCopyPrev),
    std::mem::offset_of!(JET_DBINFOMISC7, ulIncrementalReseedCount),
    std::mem::offset_of!(JET_DBINFOMISC7, logtimeChecksumPrev),
    std::mem::offset_of!(JET_DBINFOMISC7, logtimeLastReAttach),
    std::mem::size_of::<JET_DBINFOMISC7>(),
];

/// JET_INDEXID: an index's identity for JetSetCurrentIndex4 (opaque).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_INDEXID {
    pub cbStruct: ULONG,
    pub rgbIndexId: [u8; std::mem::size_of::<JET_API_PTR>() + 8],
}

/// JET_UNICODEINDEX2: an index's locale by name.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_UNICODEINDEX2 {
    pub szLocaleName: *const WCHAR,
    pub dwMapFlags: ULONG,
}

/// JET_SPACEHINTS: how a B-tree is to grow and be kept.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct JET_SPACEHINTS {
    pub cbStruct: ULONG,
    pub ulInitialDensity: ULONG,
    pub cbInitial: ULONG,
    pub grbit: JET_GRBIT,
    pub ulMaintDensity: ULONG,
    pub ulGrowth: ULONG,
    pub cbMinExtent: ULONG,
    pub cbMaxExtent: ULONG,
}

/// JET_INDEXCREATE2_A / _W and JET_INDEXCREATE3_A / _W (the same layout:
/// the third form's first union is a JET_UNICODEINDEX2 pointer). The
/// unions are pointer-sized words as in [`JET_INDEXCREATE`].
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_INDEXCREATE2<C> {
    pub cbStruct: ULONG,
    pub szIndexName: *const C,
    pub szKey: *const C,
    pub cbKey: ULONG,
    pub grbit: JET_GRBIT,
    pub ulDensity: ULONG,
    pub lcid_or_unicode: usize,
    pub var_seg_or_tuple: usize,
    pub rgconditionalcolumn: *mut JET_CONDITIONALCOLUMN<C>,
    pub cConditionalColumn: ULONG,
    pub err: JET_ERR,
    pub cbKeyMost: ULONG,
    pub pSpacehints: *mut JET_SPACEHINTS,
}

/// JET_TABLECREATE2_A / _W.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_TABLECREATE2<C> {
    pub cbStruct: ULONG,
    pub szTableName: *const C,
    pub szTemplateTableName: *const C,
    pub ulPages: ULONG,
    pub ulDensity: ULONG,
    pub rgcolumncreate: *mut JET_COLUMNCREATE<C>,
    pub cColumns: ULONG,
    pub rgindexcreate: *mut std::ffi::c_void,
    pub cIndexes: ULONG,
    pub szCallback: *const C,
    pub cbtyp: u32,
    pub grbit: JET_GRBIT,
    pub tableid: JET_TABLEID,
    pub cCreated: ULONG,
}

/// JET_TABLECREATE3_A / _W and JET_TABLECREATE4_A / _W (the same layout:
/// their index arrays are JET_INDEXCREATE2 and JET_INDEXCREATE3).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct JET_TABLECREATE3<C> {
    pub cbStruct: ULONG,
    pub szTableName: *const C,
    pub szTemplateTableName: *const C,
    pub ulPages: ULONG,
    pub ulDensity: ULONG,
    pub rgcolumncreate: *mut JET_COLUMNCREATE<C>,
    pub cColumns: ULONG,
    pub rgindexcreate: *mut std::ffi::c_void,
    pub cIndexes: ULONG,
    pub szCallback: *const C,
    pub cbtyp: u32,
    pub grbit: JET_GRBIT,
    pub pSeqSpacehints: *mut JET_SPACEHINTS,
    pub pLVSpacehints: *mut JET_SPACEHINTS,
    pub cbSeparateLV: ULONG,
    pub tableid: JET_TABLEID,
    pub cCreated: ULONG,
}

/// A structure's name, size, and each field's name and offset.
pub type Layout = (&'static str, usize, Vec<(&'static str, usize)>);

/// The layout of every structure, for the test that compares it with C's.
pub fn layouts() -> Vec<Layout> {
    use std::mem::{offset_of, size_of};
    macro_rules! layout {
        ($ty:ident { $($field:ident),* }) => {
            (
                stringify!($ty),
                size_of::<$ty>(),
                vec![$((stringify!($field), offset_of!($ty, $field))),*],
            )
        };
    }
    type JET_COLUMNCREATE_A = JET_COLUMNCREATE<std::ffi::c_char>;
    type JET_CONDITIONALCOLUMN_A = JET_CONDITIONALCOLUMN<std::ffi::c_char>;
    type JET_INDEXCREATE_A = JET_INDEXCREATE<std::ffi::c_char>;
    type JET_TABLECREATE_A = JET_TABLECREATE<std::ffi::c_char>;
    type JET_LOGINFO_A = JET_LOGINFO<std::ffi::c_char>;
    type JET_INDEXCREATE2_A = JET_INDEXCREATE2<std::ffi::c_char>;
    type JET_INDEXCREATE3_W = JET_INDEXCREATE2<WCHAR>;
    type JET_TABLECREATE2_A = JET_TABLECREATE2<std::ffi::c_char>;
    type JET_TABLECREATE3_A = JET_TABLECREATE3<std::ffi::c_char>;
    type JET_TABLECREATE4_W = JET_TABLECREATE3<WCHAR>;
    type JET_COLUMNBASE_A = JET_COLUMNBASE<std::ffi::c_char>;
    type JET_COLUMNBASE_W = JET_COLUMNBASE<WCHAR>;
    type JET_LOGINFO_W = JET_LOGINFO<WCHAR>;
    type JET_RSTMAP_A = JET_RSTMAP<std::ffi::c_char>;
    type JET_RSTINFO_A = JET_RSTINFO<std::ffi::c_char>;
    type JET_SETSYSPARAM_A = JET_SETSYSPARAM<std::ffi::c_char>;
    type JET_INSTANCE_INFO_A = JET_INSTANCE_INFO<std::ffi::c_char>;
    let mut all = vec![
        layout!(JET_COLUMNCREATE_A {
            cbStruct,
            szColumnName,
            coltyp,
            cbMax,
            grbit,
            pvDefault,
            cbDefault,
            cp,
            columnid,
            err
        }),
        layout!(JET_CONDITIONALCOLUMN_A {
            cbStruct,
            szColumnName,
            grbit
        }),
        layout!(JET_UNICODEINDEX { lcid, dwMapFlags }),
        layout!(JET_TUPLELIMITS {
            chLengthMin,
            chLengthMax,
            chToIndexMax,
            cchIncrement,
            ichStart
        }),
        layout!(JET_INDEXCREATE_A {
            cbStruct,
            szIndexName,
            szKey,
            cbKey,
            grbit,
            ulDensity,
            lcid_or_unicode,
            var_seg_or_tuple,
            rgconditionalcolumn,
            cConditionalColumn,
            err,
            cbKeyMost
        }),
        layout!(JET_TABLECREATE_A {
            cbStruct,
            szTableName,
            szTemplateTableName,
            ulPages,
            ulDensity,
            rgcolumncreate,
            cColumns,
            rgindexcreate,
            cIndexes,
            grbit,
            tableid,
            cCreated
        }),
        layout!(JET_LOGTIME {
            bSeconds,
            bMinutes,
            bHours,
            bDay,
            bMonth,
            bYear,
            bFiller1,
            bFiller2
        }),
        layout!(JET_LGPOS {
            ib,
            isec,
            lGeneration
        }),
        layout!(JET_SIGNATURE {
            ulRandom,
            logtimeCreate,
            szComputerName
        }),
        layout!(JET_COMMIT_ID {
            signLog,
            reserved,
            commitId
        }),
        layout!(JET_LOGINFO_A {
            cbSize,
            ulGenLow,
            ulGenHigh,
            szBaseName
        }),
        layout!(JET_LOGINFO_W {
            cbSize,
            ulGenLow,
            ulGenHigh,
            szBaseName
        }),
        layout!(JET_RSTMAP_A {
            szDatabaseName,
            szNewDatabaseName
        }),
        layout!(JET_RSTINFO_A {
            cbStruct,
            rgrstmap,
            crstmap,
            lgposStop,
            logtimeStop,
            pfnStatus
        }),
        layout!(JET_SETSYSPARAM_A {
            paramid,
            lParam,
            sz,
            err
        }),
        layout!(JET_INSTANCE_INFO_A {
            hInstanceId,
            szInstanceName,
            cDatabases,
            szDatabaseFileName,
            szDatabaseDisplayName,
            szDatabaseSLVFileName_Obsolete
        }),
        layout!(JET_RECSIZE {
            cbData,
            cbLongValueData,
            cbOverhead,
            cbLongValueOverhead,
            cNonTaggedColumns,
            cTaggedColumns,
            cLongValues,
            cMultiValues
        }),
        layout!(JET_ENUMCOLUMNID {
            columnid,
            ctagSequence,
            rgtagSequence
        }),
        layout!(JET_ENUMCOLUMNVALUE {
            itagSequence,
            err,
            cbData,
            pvData
        }),
        layout!(JET_ENUMCOLUMN {
            columnid,
            err,
            cEnumColumnValue,
            rgEnumColumnValue
        }),
        layout!(JET_OBJECTINFO {
            cbStruct,
            objtyp,
            dtCreate,
            dtUpdate,
            grbit,
            flags,
            cRecord,
            cPage
        }),
        layout!(JET_COLUMNLIST {
            cbStruct,
            tableid,
            cRecord,
            columnidPresentationOrder,
            columnidcolumnname,
            columnidcolumnid,
            columnidcoltyp,
            columnidCountry,
            columnidLangid,
            columnidCp,
            columnidCollate,
            columnidcbMax,
            columnidgrbit,
            columnidDefault,
            columnidBaseTableName,
            columnidBaseColumnName,
            columnidDefinitionName
        }),
        layout!(JET_INDEXLIST {
            cbStruct,
            tableid,
            cRecord,
            columnidindexname,
            columnidgrbitIndex,
            columnidcKey,
            columnidcEntry,
            columnidcPage,
            columnidcColumn,
            columnidiColumn,
            columnidcolumnid,
            columnidcoltyp,
            columnidCountry,
            columnidLangid,
            columnidCp,
            columnidCollate,
            columnidgrbitColumn,
            columnidcolumnname,
            columnidLCMapFlags
        }),
        layout!(JET_OBJECTLIST {
            cbStruct,
            tableid,
            cRecord,
            columnidcontainername,
            columnidobjectname,
            columnidobjtyp,
            columniddtCreate,
            columniddtUpdate,
            columnidgrbit,
            columnidflags,
            columnidcRecord,
            columnidcPage
        }),
        layout!(JET_COLUMNBASE_A {
            cbStruct,
            columnid,
            coltyp,
            wCountry,
            langid,
            cp,
            wFiller,
            cbMax,
            grbit,
            szBaseTableName,
            szBaseColumnName
        }),
        layout!(JET_COLUMNBASE_W {
            cbStruct,
            columnid,
            coltyp,
            wCountry,
            langid,
            cp,
            wFiller,
            cbMax,
            grbit,
            szBaseTableName,
            szBaseColumnName
        }),
        layout!(JET_INDEXID {
            cbStruct,
            rgbIndexId
        }),
        layout!(JET_UNICODEINDEX2 {
            szLocaleName,
            dwMapFlags
        }),
        layout!(JET_SPACEHINTS {
            cbStruct,
            ulInitialDensity,
            cbInitial,
            grbit,
            ulMaintDensity,
            ulGrowth,
            cbMinExtent,
            cbMaxExtent
        }),
        layout!(JET_INDEXCREATE2_A {
            cbStruct,
            szIndexName,
            szKey,
            cbKey,
            grbit,
            ulDensity,
            lcid_or_unicode,
            var_seg_or_tuple,
            rgconditionalcolumn,
            cConditionalColumn,
            err,
            cbKeyMost,
            pSpacehints
        }),
        layout!(JET_INDEXCREATE3_W {
            cbStruct,
            szIndexName,
            szKey,
            cbKey,
            grbit,
            ulDensity,
            var_seg_or_tuple,
            rgconditionalcolumn,
            cConditionalColumn,
            err,
            cbKeyMost,
            pSpacehints
        }),
        layout!(JET_TABLECREATE2_A {
            cbStruct,
            szTableName,
            szTemplateTableName,
            ulPages,
            ulDensity,
            rgcolumncreate,
            cColumns,
            rgindexcreate,
            cIndexes,
            szCallback,
            cbtyp,
            grbit,
            tableid,
            cCreated
        }),
        layout!(JET_TABLECREATE3_A {
            cbStruct,
            szTableName,
            szTemplateTableName,
            ulPages,
            ulDensity,
            rgcolumncreate,
            cColumns,
            rgindexcreate,
            cIndexes,
            szCallback,
            cbtyp,
            grbit,
            pSeqSpacehints,
            pLVSpacehints,
            cbSeparateLV,
            tableid,
            cCreated
        }),
        layout!(JET_TABLECREATE4_W {
            cbStruct,
            szTableName,
            szTemplateTableName,
            ulPages,
            ulDensity,
            rgcolumncreate,
            cColumns,
            rgindexcreate,
            cIndexes,
            szCallback,
            cbtyp,
            grbit,
            pSeqSpacehints,
            pLVSpacehints,
            cbSeparateLV,
            tableid,
            cCreated
        }),
        layout!(JET_SNPROG {
            cbStruct,
            cunitDone,
            cunitTotal
        }),
        layout!(JET_RETRIEVECOLUMN {
            columnid,
            pvData,
            cbData,
            cbActual,
            grbit,
            ibLongValue,
            itagSequence,
            columnidNextTagged,
            err
        }),
        layout!(JET_SETCOLUMN {
            columnid,
            pvData,
            cbData,
            grbit,
            ibLongValue,
            itagSequence,
            err
        }),
        layout!(JET_RECPOS {
            cbStruct,
            centriesLT,
            centriesInRange,
            centriesTotal
        }),
        (
            "JET_COLUMNDEF",
            size_of::<JET_COLUMNDEF>(),
            vec![
                ("cbStruct", offset_of!(JET_COLUMNDEF, cbStruct)),
                ("columnid", offset_of!(JET_COLUMNDEF, columnid)),
                ("coltyp", offset_of!(JET_COLUMNDEF, coltyp)),
                ("wCountry", offset_of!(JET_COLUMNDEF, wCountry)),
                ("langid", offset_of!(JET_COLUMNDEF, langid)),
                ("cp", offset_of!(JET_COLUMNDEF, cp)),
                ("wCollate", offset_of!(JET_COLUMNDEF, wCollate)),
                ("cbMax", offset_of!(JET_COLUMNDEF, cbMax)),
                ("grbit", offset_of!(JET_COLUMNDEF, grbit)),
            ],
        ),
        (
            "JET_SETINFO",
            size_of::<JET_SETINFO>(),
            vec![
                ("cbStruct", offset_of!(JET_SETINFO, cbStruct)),
                ("ibLongValue", offset_of!(JET_SETINFO, ibLongValue)),
                ("itagSequence", offset_of!(JET_SETINFO, itagSequence)),
            ],
        ),
        (
            "JET_RETINFO",
            size_of::<JET_RETINFO>(),
            vec![
                ("cbStruct", offset_of!(JET_RETINFO, cbStruct)),
                ("ibLongValue", offset_of!(JET_RETINFO, ibLongValue)),
                ("itagSequence", offset_of!(JET_RETINFO, itagSequence)),
                (
                    "columnidNextTagged",
                    offset_of!(JET_RETINFO, columnidNextTagged),
                ),
            ],
        ),
    ];
    all.push(layout!(JET_BKINFO {
        lgposMark,
        logtimeMark,
        genLow,
        genHigh
    }));
    // The JET_DBINFOMISC versions, each a prefix of the last.
    all.extend([
        (
            "JET_DBINFOMISC",
            offset_of!(JET_DBINFOMISC7, genMinRequired),
            vec![
                ("ulVersion", offset_of!(JET_DBINFOMISC7, ulVersion)),
                ("ulUpdate", offset_of!(JET_DBINFOMISC7, ulUpdate)),
                ("signDb", offset_of!(JET_DBINFOMISC7, signDb)),
                ("dbstate", offset_of!(JET_DBINFOMISC7, dbstate)),
                (
                    "lgposConsistent",
                    offset_of!(JET_DBINFOMISC7, lgposConsistent),
                ),
                (
                    "logtimeConsistent",
                    offset_of!(JET_DBINFOMISC7, logtimeConsistent),
                ),
                ("logtimeAttach", offset_of!(JET_DBINFOMISC7, logtimeAttach)),
                ("lgposAttach", offset_of!(JET_DBINFOMISC7, lgposAttach)),
                ("logtimeDetach", offset_of!(JET_DBINFOMISC7, logtimeDetach)),
                ("lgposDetach", offset_of!(JET_DBINFOMISC7, lgposDetach)),
                ("signLog", offset_of!(JET_DBINFOMISC7, signLog)),
                (
                    "bkinfoFullPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoFullPrev),
                ),
                ("bkinfoIncPrev", offset_of!(JET_DBINFOMISC7, bkinfoIncPrev)),
                ("bkinfoFullCur", offset_of!(JET_DBINFOMISC7, bkinfoFullCur)),
                (
                    "fShadowingDisabled",
                    offset_of!(JET_DBINFOMISC7, fShadowingDisabled),
                ),
                ("fUpgradeDb", offset_of!(JET_DBINFOMISC7, fUpgradeDb)),
                (
                    "dwMajorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMajorVersion),
                ),
                (
                    "dwMinorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMinorVersion),
                ),
                ("dwBuildNumber", offset_of!(JET_DBINFOMISC7, dwBuildNumber)),
                ("lSPNumber", offset_of!(JET_DBINFOMISC7, lSPNumber)),
                ("cbPageSize", offset_of!(JET_DBINFOMISC7, cbPageSize)),
            ],
        ),
        (
            "JET_DBINFOMISC2",
            offset_of!(JET_DBINFOMISC7, genCommitted),
            vec![
                ("ulVersion", offset_of!(JET_DBINFOMISC7, ulVersion)),
                ("ulUpdate", offset_of!(JET_DBINFOMISC7, ulUpdate)),
                ("signDb", offset_of!(JET_DBINFOMISC7, signDb)),
                ("dbstate", offset_of!(JET_DBINFOMISC7, dbstate)),
                (
                    "lgposConsistent",
                    offset_of!(JET_DBINFOMISC7, lgposConsistent),
                ),
                (
                    "logtimeConsistent",
                    offset_of!(JET_DBINFOMISC7, logtimeConsistent),
                ),
                ("logtimeAttach", offset_of!(JET_DBINFOMISC7, logtimeAttach)),
                ("lgposAttach", offset_of!(JET_DBINFOMISC7, lgposAttach)),
                ("logtimeDetach", offset_of!(JET_DBINFOMISC7, logtimeDetach)),
                ("lgposDetach", offset_of!(JET_DBINFOMISC7, lgposDetach)),
                ("signLog", offset_of!(JET_DBINFOMISC7, signLog)),
                (
                    "bkinfoFullPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoFullPrev),
                ),
                ("bkinfoIncPrev", offset_of!(JET_DBINFOMISC7, bkinfoIncPrev)),
                ("bkinfoFullCur", offset_of!(JET_DBINFOMISC7, bkinfoFullCur)),
                (
                    "fShadowingDisabled",
                    offset_of!(JET_DBINFOMISC7, fShadowingDisabled),
                ),
                ("fUpgradeDb", offset_of!(JET_DBINFOMISC7, fUpgradeDb)),
                (
                    "dwMajorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMajorVersion),
                ),
                (
                    "dwMinorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMinorVersion),
                ),
                ("dwBuildNumber", offset_of!(JET_DBINFOMISC7, dwBuildNumber)),
                ("lSPNumber", offset_of!(JET_DBINFOMISC7, lSPNumber)),
                ("cbPageSize", offset_of!(JET_DBINFOMISC7, cbPageSize)),
                (
                    "genMinRequired",
                    offset_of!(JET_DBINFOMISC7, genMinRequired),
                ),
                (
                    "genMaxRequired",
                    offset_of!(JET_DBINFOMISC7, genMaxRequired),
                ),
                (
                    "logtimeGenMaxCreate",
                    offset_of!(JET_DBINFOMISC7, logtimeGenMaxCreate),
                ),
                ("ulRepairCount", offset_of!(JET_DBINFOMISC7, ulRepairCount)),
                ("logtimeRepair", offset_of!(JET_DBINFOMISC7, logtimeRepair)),
                (
                    "ulRepairCountOld",
                    offset_of!(JET_DBINFOMISC7, ulRepairCountOld),
                ),
                (
                    "ulECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccess),
                ),
                (
                    "logtimeECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixSuccess),
                ),
                (
                    "ulECCFixSuccessOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccessOld),
                ),
                ("ulECCFixFail", offset_of!(JET_DBINFOMISC7, ulECCFixFail)),
                (
                    "logtimeECCFixFail",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixFail),
                ),
                (
                    "ulECCFixFailOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixFailOld),
                ),
                ("ulBadChecksum", offset_of!(JET_DBINFOMISC7, ulBadChecksum)),
                (
                    "logtimeBadChecksum",
                    offset_of!(JET_DBINFOMISC7, logtimeBadChecksum),
                ),
                (
                    "ulBadChecksumOld",
                    offset_of!(JET_DBINFOMISC7, ulBadChecksumOld),
                ),
            ],
        ),
        (
            "JET_DBINFOMISC3",
            offset_of!(JET_DBINFOMISC7, bkinfoCopyPrev),
            vec![
                ("ulVersion", offset_of!(JET_DBINFOMISC7, ulVersion)),
                ("ulUpdate", offset_of!(JET_DBINFOMISC7, ulUpdate)),
                ("signDb", offset_of!(JET_DBINFOMISC7, signDb)),
                ("dbstate", offset_of!(JET_DBINFOMISC7, dbstate)),
                (
                    "lgposConsistent",
                    offset_of!(JET_DBINFOMISC7, lgposConsistent),
                ),
                (
                    "logtimeConsistent",
                    offset_of!(JET_DBINFOMISC7, logtimeConsistent),
                ),
                ("logtimeAttach", offset_of!(JET_DBINFOMISC7, logtimeAttach)),
                ("lgposAttach", offset_of!(JET_DBINFOMISC7, lgposAttach)),
                ("logtimeDetach", offset_of!(JET_DBINFOMISC7, logtimeDetach)),
                ("lgposDetach", offset_of!(JET_DBINFOMISC7, lgposDetach)),
                ("signLog", offset_of!(JET_DBINFOMISC7, signLog)),
                (
                    "bkinfoFullPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoFullPrev),
                ),
                ("bkinfoIncPrev", offset_of!(JET_DBINFOMISC7, bkinfoIncPrev)),
                ("bkinfoFullCur", offset_of!(JET_DBINFOMISC7, bkinfoFullCur)),
                (
                    "fShadowingDisabled",
                    offset_of!(JET_DBINFOMISC7, fShadowingDisabled),
                ),
                ("fUpgradeDb", offset_of!(JET_DBINFOMISC7, fUpgradeDb)),
                (
                    "dwMajorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMajorVersion),
                ),
                (
                    "dwMinorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMinorVersion),
                ),
                ("dwBuildNumber", offset_of!(JET_DBINFOMISC7, dwBuildNumber)),
                ("lSPNumber", offset_of!(JET_DBINFOMISC7, lSPNumber)),
                ("cbPageSize", offset_of!(JET_DBINFOMISC7, cbPageSize)),
                (
                    "genMinRequired",
                    offset_of!(JET_DBINFOMISC7, genMinRequired),
                ),
                (
                    "genMaxRequired",
                    offset_of!(JET_DBINFOMISC7, genMaxRequired),
                ),
                (
                    "logtimeGenMaxCreate",
                    offset_of!(JET_DBINFOMISC7, logtimeGenMaxCreate),
                ),
                ("ulRepairCount", offset_of!(JET_DBINFOMISC7, ulRepairCount)),
                ("logtimeRepair", offset_of!(JET_DBINFOMISC7, logtimeRepair)),
                (
                    "ulRepairCountOld",
                    offset_of!(JET_DBINFOMISC7, ulRepairCountOld),
                ),
                (
                    "ulECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccess),
                ),
                (
                    "logtimeECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixSuccess),
                ),
                (
                    "ulECCFixSuccessOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccessOld),
                ),
                ("ulECCFixFail", offset_of!(JET_DBINFOMISC7, ulECCFixFail)),
                (
                    "logtimeECCFixFail",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixFail),
                ),
                (
                    "ulECCFixFailOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixFailOld),
                ),
                ("ulBadChecksum", offset_of!(JET_DBINFOMISC7, ulBadChecksum)),
                (
                    "logtimeBadChecksum",
                    offset_of!(JET_DBINFOMISC7, logtimeBadChecksum),
                ),
                (
                    "ulBadChecksumOld",
                    offset_of!(JET_DBINFOMISC7, ulBadChecksumOld),
                ),
                ("genCommitted", offset_of!(JET_DBINFOMISC7, genCommitted)),
            ],
        ),
        (
            "JET_DBINFOMISC4",
            offset_of!(JET_DBINFOMISC7, ulIncrementalReseedCount),
            vec![
                ("ulVersion", offset_of!(JET_DBINFOMISC7, ulVersion)),
                ("ulUpdate", offset_of!(JET_DBINFOMISC7, ulUpdate)),
                ("signDb", offset_of!(JET_DBINFOMISC7, signDb)),
                ("dbstate", offset_of!(JET_DBINFOMISC7, dbstate)),
                (
                    "lgposConsistent",
                    offset_of!(JET_DBINFOMISC7, lgposConsistent),
                ),
                (
                    "logtimeConsistent",
                    offset_of!(JET_DBINFOMISC7, logtimeConsistent),
                ),
                ("logtimeAttach", offset_of!(JET_DBINFOMISC7, logtimeAttach)),
                ("lgposAttach", offset_of!(JET_DBINFOMISC7, lgposAttach)),
                ("logtimeDetach", offset_of!(JET_DBINFOMISC7, logtimeDetach)),
                ("lgposDetach", offset_of!(JET_DBINFOMISC7, lgposDetach)),
                ("signLog", offset_of!(JET_DBINFOMISC7, signLog)),
                (
                    "bkinfoFullPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoFullPrev),
                ),
                ("bkinfoIncPrev", offset_of!(JET_DBINFOMISC7, bkinfoIncPrev)),
                ("bkinfoFullCur", offset_of!(JET_DBINFOMISC7, bkinfoFullCur)),
                (
                    "fShadowingDisabled",
                    offset_of!(JET_DBINFOMISC7, fShadowingDisabled),
                ),
                ("fUpgradeDb", offset_of!(JET_DBINFOMISC7, fUpgradeDb)),
                (
                    "dwMajorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMajorVersion),
                ),
                (
                    "dwMinorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMinorVersion),
                ),
                ("dwBuildNumber", offset_of!(JET_DBINFOMISC7, dwBuildNumber)),
                ("lSPNumber", offset_of!(JET_DBINFOMISC7, lSPNumber)),
                ("cbPageSize", offset_of!(JET_DBINFOMISC7, cbPageSize)),
                (
                    "genMinRequired",
                    offset_of!(JET_DBINFOMISC7, genMinRequired),
                ),
                (
                    "genMaxRequired",
                    offset_of!(JET_DBINFOMISC7, genMaxRequired),
                ),
                (
                    "logtimeGenMaxCreate",
                    offset_of!(JET_DBINFOMISC7, logtimeGenMaxCreate),
                ),
                ("ulRepairCount", offset_of!(JET_DBINFOMISC7, ulRepairCount)),
                ("logtimeRepair", offset_of!(JET_DBINFOMISC7, logtimeRepair)),
                (
                    "ulRepairCountOld",
                    offset_of!(JET_DBINFOMISC7, ulRepairCountOld),
                ),
                (
                    "ulECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccess),
                ),
                (
                    "logtimeECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixSuccess),
                ),
                (
                    "ulECCFixSuccessOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccessOld),
                ),
                ("ulECCFixFail", offset_of!(JET_DBINFOMISC7, ulECCFixFail)),
                (
                    "logtimeECCFixFail",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixFail),
                ),
                (
                    "ulECCFixFailOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixFailOld),
                ),
                ("ulBadChecksum", offset_of!(JET_DBINFOMISC7, ulBadChecksum)),
                (
                    "logtimeBadChecksum",
                    offset_of!(JET_DBINFOMISC7, logtimeBadChecksum),
                ),
                (
                    "ulBadChecksumOld",
                    offset_of!(JET_DBINFOMISC7, ulBadChecksumOld),
                ),
                ("genCommitted", offset_of!(JET_DBINFOMISC7, genCommitted)),
                (
                    "bkinfoCopyPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoCopyPrev),
                ),
                (
                    "bkinfoDiffPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoDiffPrev),
                ),
            ],
        ),
        (
            "JET_DBINFOMISC5",
            offset_of!(JET_DBINFOMISC7, logtimeChecksumPrev),
            vec![
                ("ulVersion", offset_of!(JET_DBINFOMISC7, ulVersion)),
                ("ulUpdate", offset_of!(JET_DBINFOMISC7, ulUpdate)),
                ("signDb", offset_of!(JET_DBINFOMISC7, signDb)),
                ("dbstate", offset_of!(JET_DBINFOMISC7, dbstate)),
                (
                    "lgposConsistent",
                    offset_of!(JET_DBINFOMISC7, lgposConsistent),
                ),
                (
                    "logtimeConsistent",
                    offset_of!(JET_DBINFOMISC7, logtimeConsistent),
                ),
                ("logtimeAttach", offset_of!(JET_DBINFOMISC7, logtimeAttach)),
                ("lgposAttach", offset_of!(JET_DBINFOMISC7, lgposAttach)),
                ("logtimeDetach", offset_of!(JET_DBINFOMISC7, logtimeDetach)),
                ("lgposDetach", offset_of!(JET_DBINFOMISC7, lgposDetach)),
                ("signLog", offset_of!(JET_DBINFOMISC7, signLog)),
                (
                    "bkinfoFullPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoFullPrev),
                ),
                ("bkinfoIncPrev", offset_of!(JET_DBINFOMISC7, bkinfoIncPrev)),
                ("bkinfoFullCur", offset_of!(JET_DBINFOMISC7, bkinfoFullCur)),
                (
                    "fShadowingDisabled",
                    offset_of!(JET_DBINFOMISC7, fShadowingDisabled),
                ),
                ("fUpgradeDb", offset_of!(JET_DBINFOMISC7, fUpgradeDb)),
                (
                    "dwMajorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMajorVersion),
                ),
                (
                    "dwMinorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMinorVersion),
                ),
                ("dwBuildNumber", offset_of!(JET_DBINFOMISC7, dwBuildNumber)),
                ("lSPNumber", offset_of!(JET_DBINFOMISC7, lSPNumber)),
                ("cbPageSize", offset_of!(JET_DBINFOMISC7, cbPageSize)),
                (
                    "genMinRequired",
                    offset_of!(JET_DBINFOMISC7, genMinRequired),
                ),
                (
                    "genMaxRequired",
                    offset_of!(JET_DBINFOMISC7, genMaxRequired),
                ),
                (
                    "logtimeGenMaxCreate",
                    offset_of!(JET_DBINFOMISC7, logtimeGenMaxCreate),
                ),
                ("ulRepairCount", offset_of!(JET_DBINFOMISC7, ulRepairCount)),
                ("logtimeRepair", offset_of!(JET_DBINFOMISC7, logtimeRepair)),
                (
                    "ulRepairCountOld",
                    offset_of!(JET_DBINFOMISC7, ulRepairCountOld),
                ),
                (
                    "ulECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccess),
                ),
                (
                    "logtimeECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixSuccess),
                ),
                (
                    "ulECCFixSuccessOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccessOld),
                ),
                ("ulECCFixFail", offset_of!(JET_DBINFOMISC7, ulECCFixFail)),
                (
                    "logtimeECCFixFail",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixFail),
                ),
                (
                    "ulECCFixFailOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixFailOld),
                ),
                ("ulBadChecksum", offset_of!(JET_DBINFOMISC7, ulBadChecksum)),
                (
                    "logtimeBadChecksum",
                    offset_of!(JET_DBINFOMISC7, logtimeBadChecksum),
                ),
                (
                    "ulBadChecksumOld",
                    offset_of!(JET_DBINFOMISC7, ulBadChecksumOld),
                ),
                ("genCommitted", offset_of!(JET_DBINFOMISC7, genCommitted)),
                (
                    "bkinfoCopyPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoCopyPrev),
                ),
                (
                    "bkinfoDiffPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoDiffPrev),
                ),
                (
                    "ulIncrementalReseedCount",
                    offset_of!(JET_DBINFOMISC7, ulIncrementalReseedCount),
                ),
                (
                    "logtimeIncrementalReseed",
                    offset_of!(JET_DBINFOMISC7, logtimeIncrementalReseed),
                ),
                (
                    "ulIncrementalReseedCountOld",
                    offset_of!(JET_DBINFOMISC7, ulIncrementalReseedCountOld),
                ),
                (
                    "ulPagePatchCount",
                    offset_of!(JET_DBINFOMISC7, ulPagePatchCount),
                ),
                (
                    "logtimePagePatch",
                    offset_of!(JET_DBINFOMISC7, logtimePagePatch),
                ),
                (
                    "ulPagePatchCountOld",
                    offset_of!(JET_DBINFOMISC7, ulPagePatchCountOld),
                ),
            ],
        ),
        (
            "JET_DBINFOMISC6",
            offset_of!(JET_DBINFOMISC7, logtimeLastReAttach),
            vec![
                ("ulVersion", offset_of!(JET_DBINFOMISC7, ulVersion)),
                ("ulUpdate", offset_of!(JET_DBINFOMISC7, ulUpdate)),
                ("signDb", offset_of!(JET_DBINFOMISC7, signDb)),
                ("dbstate", offset_of!(JET_DBINFOMISC7, dbstate)),
                (
                    "lgposConsistent",
                    offset_of!(JET_DBINFOMISC7, lgposConsistent),
                ),
                (
                    "logtimeConsistent",
                    offset_of!(JET_DBINFOMISC7, logtimeConsistent),
                ),
                ("logtimeAttach", offset_of!(JET_DBINFOMISC7, logtimeAttach)),
                ("lgposAttach", offset_of!(JET_DBINFOMISC7, lgposAttach)),
                ("logtimeDetach", offset_of!(JET_DBINFOMISC7, logtimeDetach)),
                ("lgposDetach", offset_of!(JET_DBINFOMISC7, lgposDetach)),
                ("signLog", offset_of!(JET_DBINFOMISC7, signLog)),
                (
                    "bkinfoFullPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoFullPrev),
                ),
                ("bkinfoIncPrev", offset_of!(JET_DBINFOMISC7, bkinfoIncPrev)),
                ("bkinfoFullCur", offset_of!(JET_DBINFOMISC7, bkinfoFullCur)),
                (
                    "fShadowingDisabled",
                    offset_of!(JET_DBINFOMISC7, fShadowingDisabled),
                ),
                ("fUpgradeDb", offset_of!(JET_DBINFOMISC7, fUpgradeDb)),
                (
                    "dwMajorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMajorVersion),
                ),
                (
                    "dwMinorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMinorVersion),
                ),
                ("dwBuildNumber", offset_of!(JET_DBINFOMISC7, dwBuildNumber)),
                ("lSPNumber", offset_of!(JET_DBINFOMISC7, lSPNumber)),
                ("cbPageSize", offset_of!(JET_DBINFOMISC7, cbPageSize)),
                (
                    "genMinRequired",
                    offset_of!(JET_DBINFOMISC7, genMinRequired),
                ),
                (
                    "genMaxRequired",
                    offset_of!(JET_DBINFOMISC7, genMaxRequired),
                ),
                (
                    "logtimeGenMaxCreate",
                    offset_of!(JET_DBINFOMISC7, logtimeGenMaxCreate),
                ),
                ("ulRepairCount", offset_of!(JET_DBINFOMISC7, ulRepairCount)),
                ("logtimeRepair", offset_of!(JET_DBINFOMISC7, logtimeRepair)),
                (
                    "ulRepairCountOld",
                    offset_of!(JET_DBINFOMISC7, ulRepairCountOld),
                ),
                (
                    "ulECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccess),
                ),
                (
                    "logtimeECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixSuccess),
                ),
                (
                    "ulECCFixSuccessOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccessOld),
                ),
                ("ulECCFixFail", offset_of!(JET_DBINFOMISC7, ulECCFixFail)),
                (
                    "logtimeECCFixFail",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixFail),
                ),
                (
                    "ulECCFixFailOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixFailOld),
                ),
                ("ulBadChecksum", offset_of!(JET_DBINFOMISC7, ulBadChecksum)),
                (
                    "logtimeBadChecksum",
                    offset_of!(JET_DBINFOMISC7, logtimeBadChecksum),
                ),
                (
                    "ulBadChecksumOld",
                    offset_of!(JET_DBINFOMISC7, ulBadChecksumOld),
                ),
                ("genCommitted", offset_of!(JET_DBINFOMISC7, genCommitted)),
                (
                    "bkinfoCopyPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoCopyPrev),
                ),
                (
                    "bkinfoDiffPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoDiffPrev),
                ),
                (
                    "ulIncrementalReseedCount",
                    offset_of!(JET_DBINFOMISC7, ulIncrementalReseedCount),
                ),
                (
                    "logtimeIncrementalReseed",
                    offset_of!(JET_DBINFOMISC7, logtimeIncrementalReseed),
                ),
                (
                    "ulIncrementalReseedCountOld",
                    offset_of!(JET_DBINFOMISC7, ulIncrementalReseedCountOld),
                ),
                (
                    "ulPagePatchCount",
                    offset_of!(JET_DBINFOMISC7, ulPagePatchCount),
                ),
                (
                    "logtimePagePatch",
                    offset_of!(JET_DBINFOMISC7, logtimePagePatch),
                ),
                (
                    "ulPagePatchCountOld",
                    offset_of!(JET_DBINFOMISC7, ulPagePatchCountOld),
                ),
                (
                    "logtimeChecksumPrev",
                    offset_of!(JET_DBINFOMISC7, logtimeChecksumPrev),
                ),
                (
                    "logtimeChecksumStart",
                    offset_of!(JET_DBINFOMISC7, logtimeChecksumStart),
                ),
                (
                    "cpgDatabaseChecked",
                    offset_of!(JET_DBINFOMISC7, cpgDatabaseChecked),
                ),
            ],
        ),
        (
            "JET_DBINFOMISC7",
            size_of::<JET_DBINFOMISC7>(),
            vec![
                ("ulVersion", offset_of!(JET_DBINFOMISC7, ulVersion)),
                ("ulUpdate", offset_of!(JET_DBINFOMISC7, ulUpdate)),
                ("signDb", offset_of!(JET_DBINFOMISC7, signDb)),
                ("dbstate", offset_of!(JET_DBINFOMISC7, dbstate)),
                (
                    "lgposConsistent",
                    offset_of!(JET_DBINFOMISC7, lgposConsistent),
                ),
                (
                    "logtimeConsistent",
                    offset_of!(JET_DBINFOMISC7, logtimeConsistent),
                ),
                ("logtimeAttach", offset_of!(JET_DBINFOMISC7, logtimeAttach)),
                ("lgposAttach", offset_of!(JET_DBINFOMISC7, lgposAttach)),
                ("logtimeDetach", offset_of!(JET_DBINFOMISC7, logtimeDetach)),
                ("lgposDetach", offset_of!(JET_DBINFOMISC7, lgposDetach)),
                ("signLog", offset_of!(JET_DBINFOMISC7, signLog)),
                (
                    "bkinfoFullPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoFullPrev),
                ),
                ("bkinfoIncPrev", offset_of!(JET_DBINFOMISC7, bkinfoIncPrev)),
                ("bkinfoFullCur", offset_of!(JET_DBINFOMISC7, bkinfoFullCur)),
                (
                    "fShadowingDisabled",
                    offset_of!(JET_DBINFOMISC7, fShadowingDisabled),
                ),
                ("fUpgradeDb", offset_of!(JET_DBINFOMISC7, fUpgradeDb)),
                (
                    "dwMajorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMajorVersion),
                ),
                (
                    "dwMinorVersion",
                    offset_of!(JET_DBINFOMISC7, dwMinorVersion),
                ),
                ("dwBuildNumber", offset_of!(JET_DBINFOMISC7, dwBuildNumber)),
                ("lSPNumber", offset_of!(JET_DBINFOMISC7, lSPNumber)),
                ("cbPageSize", offset_of!(JET_DBINFOMISC7, cbPageSize)),
                (
                    "genMinRequired",
                    offset_of!(JET_DBINFOMISC7, genMinRequired),
                ),
                (
                    "genMaxRequired",
                    offset_of!(JET_DBINFOMISC7, genMaxRequired),
                ),
                (
                    "logtimeGenMaxCreate",
                    offset_of!(JET_DBINFOMISC7, logtimeGenMaxCreate),
                ),
                ("ulRepairCount", offset_of!(JET_DBINFOMISC7, ulRepairCount)),
                ("logtimeRepair", offset_of!(JET_DBINFOMISC7, logtimeRepair)),
                (
                    "ulRepairCountOld",
                    offset_of!(JET_DBINFOMISC7, ulRepairCountOld),
                ),
                (
                    "ulECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccess),
                ),
                (
                    "logtimeECCFixSuccess",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixSuccess),
                ),
                (
                    "ulECCFixSuccessOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixSuccessOld),
                ),
                ("ulECCFixFail", offset_of!(JET_DBINFOMISC7, ulECCFixFail)),
                (
                    "logtimeECCFixFail",
                    offset_of!(JET_DBINFOMISC7, logtimeECCFixFail),
                ),
                (
                    "ulECCFixFailOld",
                    offset_of!(JET_DBINFOMISC7, ulECCFixFailOld),
                ),
                ("ulBadChecksum", offset_of!(JET_DBINFOMISC7, ulBadChecksum)),
                (
                    "logtimeBadChecksum",
                    offset_of!(JET_DBINFOMISC7, logtimeBadChecksum),
                ),
                (
                    "ulBadChecksumOld",
                    offset_of!(JET_DBINFOMISC7, ulBadChecksumOld),
                ),
                ("genCommitted", offset_of!(JET_DBINFOMISC7, genCommitted)),
                (
                    "bkinfoCopyPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoCopyPrev),
                ),
                (
                    "bkinfoDiffPrev",
                    offset_of!(JET_DBINFOMISC7, bkinfoDiffPrev),
                ),
                (
                    "ulIncrementalReseedCount",
                    offset_of!(JET_DBINFOMISC7, ulIncrementalReseedCount),
                ),
                (
                    "logtimeIncrementalReseed",
                    offset_of!(JET_DBINFOMISC7, logtimeIncrementalReseed),
                ),
                (
                    "ulIncrementalReseedCountOld",
                    offset_of!(JET_DBINFOMISC7, ulIncrementalReseedCountOld),
                ),
                (
                    "ulPagePatchCount",
                    offset_of!(JET_DBINFOMISC7, ulPagePatchCount),
                ),
                (
                    "logtimePagePatch",
                    offset_of!(JET_DBINFOMISC7, logtimePagePatch),
                ),
                (
                    "ulPagePatchCountOld",
                    offset_of!(JET_DBINFOMISC7, ulPagePatchCountOld),
                ),
                (
                    "logtimeChecksumPrev",
                    offset_of!(JET_DBINFOMISC7, logtimeChecksumPrev),
                ),
                (
                    "logtimeChecksumStart",
                    offset_of!(JET_DBINFOMISC7, logtimeChecksumStart),
                ),
                (
                    "cpgDatabaseChecked",
                    offset_of!(JET_DBINFOMISC7, cpgDatabaseChecked),
                ),
                (
                    "logtimeLastReAttach",
                    offset_of!(JET_DBINFOMISC7, logtimeLastReAttach),
                ),
                (
                    "lgposLastReAttach",
                    offset_of!(JET_DBINFOMISC7, lgposLastReAttach),
                ),
            ],
        ),
    ]);
    // The unions' members as C names them.
    for (_, _, fields) in &mut all {
        for (field, _) in fields.iter_mut() {
            *field = match *field {
                "lcid_or_unicode" => "lcid",
                "var_seg_or_tuple" => "cbVarSegMac",
                other => other,
            };
        }
    }
    all
}
