//! The option bits (grbits) and enumerations of the JET API, named as in
//! `esent.h` so that the C interface and ESE users recognise them.
#![allow(non_upper_case_globals)]

// JetCreateDatabase / JetAttachDatabase / JetOpenDatabase
pub const JET_bitDbReadOnly: u32 = 0x1;
pub const JET_bitDbExclusive: u32 = 0x2;
pub const JET_bitDbDeleteCorruptIndexes: u32 = 0x10;
pub const JET_bitDbRecoveryOff: u32 = 0x8;
pub const JET_bitDbShadowingOff: u32 = 0x80;
pub const JET_bitDbOverwriteExisting: u32 = 0x200;

// JetOpenTable
pub const JET_bitTableDenyWrite: u32 = 0x1;
pub const JET_bitTableDenyRead: u32 = 0x2;
pub const JET_bitTableReadOnly: u32 = 0x4;
pub const JET_bitTableUpdatable: u32 = 0x8;
pub const JET_bitTablePermitDDL: u32 = 0x10;
pub const JET_bitTableNoCache: u32 = 0x20;
pub const JET_bitTablePreread: u32 = 0x40;
pub const JET_bitTableOpportuneRead: u32 = 0x80;
pub const JET_bitTableSequential: u32 = 0x8000;

// JET_TABLECREATE
pub const JET_bitTableCreateFixedDDL: u32 = 0x1;
pub const JET_bitTableCreateTemplateTable: u32 = 0x2;
pub const JET_bitTableCreateNoFixedVarColumnsInDerivedTables: u32 = 0x4;
pub const JET_bitTableCreateImmutableStructure: u32 = 0x8;

// JET_COLUMNDEF / JET_COLUMNCREATE
pub const JET_bitColumnFixed: u32 = 0x1;
pub const JET_bitColumnTagged: u32 = 0x2;
pub const JET_bitColumnNotNULL: u32 = 0x4;
pub const JET_bitColumnVersion: u32 = 0x8;
pub const JET_bitColumnAutoincrement: u32 = 0x10;
pub const JET_bitColumnUpdatable: u32 = 0x20;
pub const JET_bitColumnTTKey: u32 = 0x40;
pub const JET_bitColumnTTDescending: u32 = 0x80;
pub const JET_bitColumnMultiValued: u32 = 0x400;
pub const JET_bitColumnEscrowUpdate: u32 = 0x800;
pub const JET_bitColumnUnversioned: u32 = 0x1000;
pub const JET_bitColumnMaybeNull: u32 = 0x2000;
pub const JET_bitColumnFinalize: u32 = 0x4000;
pub const JET_bitColumnUserDefinedDefault: u32 = 0x8000;
pub const JET_bitColumnDeleteOnZero: u32 = 0x20000;
pub const JET_bitColumnCompressed: u32 = 0x80000;

// JET_INDEXCREATE
pub const JET_bitIndexUnique: u32 = 0x1;
pub const JET_bitIndexPrimary: u32 = 0x2;
pub const JET_bitIndexDisallowNull: u32 = 0x4;
pub const JET_bitIndexIgnoreNull: u32 = 0x8;
pub const JET_bitIndexIgnoreAnyNull: u32 = 0x20;
pub const JET_bitIndexIgnoreFirstNull: u32 = 0x40;
pub const JET_bitIndexLazyFlush: u32 = 0x80;
pub const JET_bitIndexEmpty: u32 = 0x100;
pub const JET_bitIndexUnversioned: u32 = 0x200;
pub const JET_bitIndexSortNullsHigh: u32 = 0x400;
pub const JET_bitIndexUnicode: u32 = 0x800;
pub const JET_bitIndexTuples: u32 = 0x1000;
pub const JET_bitIndexTupleLimits: u32 = 0x2000;
pub const JET_bitIndexCrossProduct: u32 = 0x4000;
pub const JET_bitIndexKeyMost: u32 = 0x8000;
pub const JET_bitIndexDisallowTruncation: u32 = 0x10000;
pub const JET_bitIndexNestedTable: u32 = 0x20000;
pub const JET_bitIndexDotNetGuid: u32 = 0x40000;
pub const JET_bitIndexImmutableStructure: u32 = 0x80000;

// JET_CONDITIONALCOLUMN
pub const JET_bitIndexColumnMustBeNull: u32 = 0x1;
pub const JET_bitIndexColumnMustBeNonNull: u32 = 0x2;

// JetMove
pub const JET_MoveFirst: i32 = i32::MIN;
pub const JET_MovePrevious: i32 = -1;
pub const JET_MoveNext: i32 = 1;
pub const JET_MoveLast: i32 = i32::MAX;
pub const JET_bitMoveKeyNE: u32 = 0x1;

// JetMakeKey
pub const JET_bitNewKey: u32 = 0x1;
pub const JET_bitStrLimit: u32 = 0x2;
pub const JET_bitSubStrLimit: u32 = 0x4;
pub const JET_bitNormalizedKey: u32 = 0x8;
pub const JET_bitKeyDataZeroLength: u32 = 0x10;
pub const JET_bitFullColumnStartLimit: u32 = 0x100;
pub const JET_bitFullColumnEndLimit: u32 = 0x200;
pub const JET_bitPartialColumnStartLimit: u32 = 0x400;
pub const JET_bitPartialColumnEndLimit: u32 = 0x800;

// JetSeek
pub const JET_bitSeekEQ: u32 = 0x1;
pub const JET_bitSeekLT: u32 = 0x2;
pub const JET_bitSeekLE: u32 = 0x4;
pub const JET_bitSeekGE: u32 = 0x8;
pub const JET_bitSeekGT: u32 = 0x10;
pub const JET_bitSetIndexRange: u32 = 0x20;
pub const JET_bitCheckUniqueness: u32 = 0x40;

// JetSetIndexRange
pub const JET_bitRangeInclusive: u32 = 0x1;
pub const JET_bitRangeUpperLimit: u32 = 0x2;
pub const JET_bitRangeInstantDuration: u32 = 0x4;
pub const JET_bitRangeRemove: u32 = 0x8;

// JetSetCurrentIndex
pub const JET_bitMoveFirst: u32 = 0x0;
pub const JET_bitNoMove: u32 = 0x2;

// JetPrepareUpdate
pub const JET_prepInsert: u32 = 0;
pub const JET_prepReplace: u32 = 2;
pub const JET_prepCancel: u32 = 3;
pub const JET_prepReplaceNoLock: u32 = 4;
pub const JET_prepInsertCopy: u32 = 5;
pub const JET_prepInsertCopyDeleteOriginal: u32 = 7;

// JetSetColumn
pub const JET_bitSetAppendLV: u32 = 0x1;
pub const JET_bitSetOverwriteLV: u32 = 0x4;
pub const JET_bitSetSizeLV: u32 = 0x8;
pub const JET_bitSetZeroLength: u32 = 0x20;
pub const JET_bitSetSeparateLV: u32 = 0x40;
pub const JET_bitSetUniqueMultiValues: u32 = 0x80;
pub const JET_bitSetUniqueNormalizedMultiValues: u32 = 0x100;
pub const JET_bitSetRevertToDefaultValue: u32 = 0x200;
pub const JET_bitSetIntrinsicLV: u32 = 0x400;
pub const JET_bitSetUncompressed: u32 = 0x10000;
pub const JET_bitSetCompressed: u32 = 0x20000;

// JetRetrieveColumn
pub const JET_bitRetrieveCopy: u32 = 0x1;
pub const JET_bitRetrieveFromIndex: u32 = 0x2;
pub const JET_bitRetrieveFromPrimaryBookmark: u32 = 0x4;
pub const JET_bitRetrieveTag: u32 = 0x8;
pub const JET_bitRetrieveNull: u32 = 0x10;
pub const JET_bitRetrieveIgnoreDefault: u32 = 0x20;

// JetEnumerateColumns
pub const JET_bitEnumerateCopy: u32 = 0x1;
pub const JET_bitEnumerateIgnoreDefault: u32 = 0x20;
pub const JET_bitEnumerateLocal: u32 = 0x10000;
pub const JET_bitEnumeratePresenceOnly: u32 = 0x20000;
pub const JET_bitEnumerateTaggedOnly: u32 = 0x40000;
pub const JET_bitEnumerateCompressOutput: u32 = 0x80000;
pub const JET_bitEnumerateIgnoreUserDefinedDefault: u32 = 0x100000;
pub const JET_bitEnumerateInRecordOnly: u32 = 0x200000;

// JetGetRecordSize
pub const JET_bitRecordSizeInCopyBuffer: u32 = 0x1;
pub const JET_bitRecordSizeRunningTotal: u32 = 0x2;
pub const JET_bitRecordSizeLocal: u32 = 0x4;

// JetRetrieveKey
pub const JET_bitRetrieveCopyKey: u32 = 0x1;

// JetDeleteTable / JetDetachDatabase2
pub const JET_bitForceDetach: u32 = 0x1;

// JetBeginTransaction2 / JetCommitTransaction / JetRollback / JetGetLock.
pub const JET_bitTransactionReadOnly: u32 = 0x1;
pub const JET_bitCommitLazyFlush: u32 = 0x1;
pub const JET_bitWaitLastLevel0Commit: u32 = 0x2;
pub const JET_bitWaitAllLevel0Commit: u32 = 0x8;
pub const JET_bitForceNewLog: u32 = 0x10;
pub const JET_bitRollbackAll: u32 = 0x1;
pub const JET_bitReadLock: u32 = 0x1;
pub const JET_bitWriteLock: u32 = 0x2;

// JetEscrowUpdate
pub const JET_bitEscrowNoRollback: u32 = 0x1;

// JetTerm2
pub const JET_bitTermComplete: u32 = 0x1;
pub const JET_bitTermAbrupt: u32 = 0x2;
pub const JET_bitTermStopBackup: u32 = 0x4;
pub const JET_bitTermDirty: u32 = 0x8;

// JetStopServiceInstance2
pub const JET_bitStopServiceAll: u32 = 0x0;
pub const JET_bitStopServiceBackgroundUserTasks: u32 = 0x2;
pub const JET_bitStopServiceQuiesceCaches: u32 = 0x4;
pub const JET_bitStopServiceResume: u32 = 0x8000_0000;
pub const JET_bitStopServiceStopAndEmitLog: u32 = 0x8;

// JetDefragment
pub const JET_bitDefragmentBatchStart: u32 = 0x1;
pub const JET_bitDefragmentBatchStop: u32 = 0x2;
pub const JET_bitDefragmentAvailSpaceTreesOnly: u32 = 0x40;
pub const JET_bitDefragmentNoPartialMerges: u32 = 0x80;
pub const JET_bitDefragmentBTree: u32 = 0x100;

// JET_CBTYP: what a callback (JET_CALLBACK) is called for.
pub const JET_cbtypNull: u32 = 0x0;
pub const JET_cbtypFinalize: u32 = 0x1;
pub const JET_cbtypBeforeInsert: u32 = 0x2;
pub const JET_cbtypAfterInsert: u32 = 0x4;
pub const JET_cbtypBeforeReplace: u32 = 0x8;
pub const JET_cbtypAfterReplace: u32 = 0x10;
pub const JET_cbtypBeforeDelete: u32 = 0x20;
pub const JET_cbtypAfterDelete: u32 = 0x40;
pub const JET_cbtypUserDefinedDefaultValue: u32 = 0x80;
pub const JET_cbtypOnlineDefragCompleted: u32 = 0x100;
pub const JET_cbtypFreeCursorLS: u32 = 0x200;
pub const JET_cbtypFreeTableLS: u32 = 0x400;

// JetBeginExternalBackupInstance and JetBackupInstance.
pub const JET_bitBackupIncremental: u32 = 0x0000_0001;
pub const JET_bitBackupAtomic: u32 = 0x0000_0004;
pub const JET_bitBackupFullWithAllLogs: u32 = 0x0000_0008;
pub const JET_bitBackupSnapshot: u32 = 0x0000_0010;
pub const JET_bitBackupSurrogate: u32 = 0x0000_0020;

// JetEndExternalBackupInstance2.
pub const JET_bitBackupEndNormal: u32 = 0x0001;
pub const JET_bitBackupEndAbort: u32 = 0x0002;
pub const JET_bitBackupTruncateDone: u32 = 0x0100;
pub const JET_bitBackupNoDbHeaderUpdate: u32 = 0x0200;

// JET_PFNSTATUS: the operation (JET_SNP) and what happened (JET_SNT).
pub const JET_snpRestore: u32 = 8;
pub const JET_snpBackup: u32 = 9;
pub const JET_sntProgress: u32 = 0;
pub const JET_sntFail: u32 = 3;
pub const JET_sntBegin: u32 = 5;
pub const JET_sntComplete: u32 = 6;

// Info levels of JetGetTableColumnInfo / JetGetColumnInfo.
pub const JET_ColInfo: u32 = 0;
pub const JET_ColInfoList: u32 = 1;
pub const JET_ColInfoSysTabCursor: u32 = 3;
pub const JET_ColInfoBase: u32 = 4;
pub const JET_ColInfoListCompact: u32 = 5;
pub const JET_ColInfoByColid: u32 = 6;
pub const JET_ColInfoListSortColumnid: u32 = 7;
pub const JET_ColInfoBaseByColid: u32 = 8;
pub const JET_ColInfoGrbitNonDerivedColumnsOnly: u32 = 0x80000000;
pub const JET_ColInfoGrbitMinimalInfo: u32 = 0x40000000;
pub const JET_ColInfoGrbitSortByColumnid: u32 = 0x20000000;

// JET_INDEXLIST's grbitColumn: a key column's direction.
pub const JET_bitKeyAscending: u32 = 0x0;
pub const JET_bitKeyDescending: u32 = 0x1;

// Info levels of JetGetTableIndexInfo / JetGetIndexInfo.
pub const JET_IdxInfo: u32 = 0;
pub const JET_IdxInfoList: u32 = 1;
pub const JET_IdxInfoSysTabCursor: u32 = 2;
pub const JET_IdxInfoOLC: u32 = 3;
pub const JET_IdxInfoResetOLC: u32 = 4;
pub const JET_IdxInfoSpaceAlloc: u32 = 5;
pub const JET_IdxInfoLCID: u32 = 6;
pub const JET_IdxInfoLangid: u32 = 6;
pub const JET_IdxInfoCount: u32 = 7;
pub const JET_IdxInfoVarSegMac: u32 = 8;
pub const JET_IdxInfoIndexId: u32 = 9;
pub const JET_IdxInfoKeyMost: u32 = 10;
pub const JET_IdxInfoCreateIndex: u32 = 11;
pub const JET_IdxInfoCreateIndex2: u32 = 12;
pub const JET_IdxInfoCreateIndex3: u32 = 13;
pub const JET_IdxInfoLocaleName: u32 = 14;

// Info levels of JetGetTableInfo.
pub const JET_TblInfo: u32 = 0;
pub const JET_TblInfoName: u32 = 1;
pub const JET_TblInfoDbid: u32 = 2;
pub const JET_TblInfoMostMany: u32 = 3;
pub const JET_TblInfoRvt: u32 = 4;
pub const JET_TblInfoOLC: u32 = 5;
pub const JET_TblInfoResetOLC: u32 = 6;
pub const JET_TblInfoSpaceUsage: u32 = 7;
pub const JET_TblInfoDumpTable: u32 = 8;
pub const JET_TblInfoSpaceAlloc: u32 = 9;
pub const JET_TblInfoSpaceOwned: u32 = 10;
pub const JET_TblInfoSpaceAvailable: u32 = 11;
pub const JET_TblInfoTemplateTableName: u32 = 12;

// Info levels of JetGetDatabaseInfo.
pub const JET_DbInfoFilename: u32 = 0;
pub const JET_DbInfoConnect: u32 = 1;
pub const JET_DbInfoCountry: u32 = 2;
pub const JET_DbInfoLCID: u32 = 3;
pub const JET_DbInfoLangid: u32 = 3;
pub const JET_DbInfoCp: u32 = 4;
pub const JET_DbInfoCollate: u32 = 5;
pub const JET_DbInfoOptions: u32 = 6;
pub const JET_DbInfoTransactions: u32 = 7;
pub const JET_DbInfoVersion: u32 = 8;
pub const JET_DbInfoIsam: u32 = 9;
pub const JET_DbInfoFilesize: u32 = 10;
pub const JET_DbInfoSpaceOwned: u32 = 11;
pub const JET_DbInfoSpaceAvailable: u32 = 12;
pub const JET_DbInfoUpgrade: u32 = 13;
pub const JET_DbInfoMisc: u32 = 14;
pub const JET_DbInfoDBInUse: u32 = 15;
pub const JET_DbInfoPageSize: u32 = 17;
pub const JET_DbInfoFileType: u32 = 19;
pub const JET_DbInfoFilesizeOnDisk: u32 = 21;

// Info levels of JetGetObjectInfo, and what an object is.
pub const JET_ObjInfo: u32 = 0;
pub const JET_ObjInfoListNoStats: u32 = 1;
pub const JET_ObjInfoList: u32 = 2;
pub const JET_ObjInfoSysTabCursor: u32 = 3;
pub const JET_ObjInfoListACM: u32 = 4;
pub const JET_ObjInfoNoStats: u32 = 5;
pub const JET_ObjInfoSysTabReadOnly: u32 = 6;
pub const JET_ObjInfoRulesLoaded: u32 = 7;
pub const JET_objtypNil: u32 = 0;
pub const JET_objtypTable: u32 = 1;

// JET_OBJECTINFO's grbit and flags.
pub const JET_bitTableInfoUpdatable: u32 = 0x1;
pub const JET_bitTableInfoBookmark: u32 = 0x2;
pub const JET_bitTableInfoRollback: u32 = 0x4;
pub const JET_bitObjectSystem: u32 = 0x80000000;
pub const JET_bitObjectTableFixedDDL: u32 = 0x40000000;
pub const JET_bitObjectTableTemplate: u32 = 0x20000000;
pub const JET_bitObjectTableDerived: u32 = 0x10000000;
pub const JET_bitObjectTableNoFixedVarColumnsInDerivedTables: u32 = 0x04000000;
