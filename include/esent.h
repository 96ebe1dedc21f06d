/*
 * esent.h: the JET API (Extensible Storage Engine) for libesent on Linux.
 *
 * The names and values are those of Microsoft's ESENT.DLL header; this
 * header declares what libesent exports today (crates/esent/EXPORTS.md
 * lists the rest of ESENT's functions and why each is not here yet).
 *
 * Data model: ESENT's `long` and `unsigned long` are 32-bit (Windows is
 * LLP64), so they are JET_INT32 / JET_UINT32 here whatever the platform's
 * C `long` is; handles are pointer-sized; WCHAR is a 16-bit unit (UTF-16).
 * A program written for Windows that passes `unsigned long *` where ESENT
 * returns a size compiles unchanged: in C11 and C++ the functions with
 * such out-parameters accept both `unsigned long *` and `JET_UINT32 *`
 * (define JET_NO_LONG_ADAPTORS to turn this off). See docs/PORTING.md.
 *
 * A strings (`char *`) are UTF-8; W strings (`WCHAR *`) are UTF-16. The
 * unsuffixed names are the A forms unless JET_UNICODE is defined.
 *
 * The sections between BEGIN GENERATED and END GENERATED come from the
 * engine's own tables (crates/esent/tests/header.rs checks them, and
 * rewrites them with ESENT_UPDATE_HEADER=1).
 */
#ifndef ESENT_H_LIBESENT
#define ESENT_H_LIBESENT

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JET_API

typedef int32_t JET_INT32;
typedef uint32_t JET_UINT32;
typedef uint16_t WCHAR;

typedef JET_INT32 JET_ERR;
typedef uintptr_t JET_API_PTR;
typedef JET_API_PTR JET_INSTANCE;
typedef JET_API_PTR JET_SESID;
typedef JET_API_PTR JET_TABLEID;
typedef JET_API_PTR JET_HANDLE;
typedef JET_UINT32 JET_DBID;
typedef JET_UINT32 JET_COLUMNID;
typedef JET_UINT32 JET_GRBIT;
typedef JET_UINT32 JET_COLTYP;
typedef JET_UINT32 JET_OBJTYP;
typedef JET_UINT32 JET_CBTYP;
typedef JET_API_PTR JET_LS;
typedef double JET_DATESERIAL;

typedef const char *JET_PCSTR;
typedef char *JET_PSTR;
typedef const WCHAR *JET_PCWSTR;
typedef WCHAR *JET_PWSTR;

#define JET_instanceNil (~(JET_INSTANCE)0)
#define JET_sesidNil (~(JET_SESID)0)
#define JET_tableidNil (~(JET_TABLEID)0)
#define JET_dbidNil ((JET_DBID)0xFFFFFFFF)

/* JetAddColumn's column. */
typedef struct {
    JET_UINT32 cbStruct;
    JET_COLUMNID columnid;
    JET_COLTYP coltyp;
    uint16_t wCountry;
    uint16_t langid;
    uint16_t cp;
    uint16_t wCollate;
    JET_UINT32 cbMax;
    JET_GRBIT grbit;
} JET_COLUMNDEF;

/* JetSetColumn's offset into a long value and value number. */
typedef struct {
    JET_UINT32 cbStruct;
    JET_UINT32 ibLongValue;
    JET_UINT32 itagSequence;
} JET_SETINFO;

/* JetRetrieveColumn's offset, value number and next tagged column. */
typedef struct {
    JET_UINT32 cbStruct;
    JET_UINT32 ibLongValue;
    JET_UINT32 itagSequence;
    JET_COLUMNID columnidNextTagged;
} JET_RETINFO;

/* One column of JetRetrieveColumns. */
typedef struct {
    JET_COLUMNID columnid;
    void *pvData;
    JET_UINT32 cbData;
    JET_UINT32 cbActual;
    JET_GRBIT grbit;
    JET_UINT32 ibLongValue;
    JET_UINT32 itagSequence;
    JET_COLUMNID columnidNextTagged;
    JET_ERR err;
} JET_RETRIEVECOLUMN;

/* One column of JetSetColumns. */
typedef struct {
    JET_COLUMNID columnid;
    const void *pvData;
    JET_UINT32 cbData;
    JET_GRBIT grbit;
    JET_UINT32 ibLongValue;
    JET_UINT32 itagSequence;
    JET_ERR err;
} JET_SETCOLUMN;

/* A position as a fraction of an index. */
typedef struct {
    JET_UINT32 cbStruct;
    JET_UINT32 centriesLT;
    JET_UINT32 centriesInRange;
    JET_UINT32 centriesTotal;
} JET_RECPOS;

/* Progress reports of JetBackupInstance and JetRestoreInstance. */
typedef JET_UINT32 JET_SNP;
typedef JET_UINT32 JET_SNT;
typedef struct {
    JET_UINT32 cbStruct;
    JET_UINT32 cunitDone;
    JET_UINT32 cunitTotal;
} JET_SNPROG;
typedef JET_ERR(JET_API *JET_PFNSTATUS)(JET_SESID sesid, JET_SNP snp, JET_SNT snt, void *pv);

/* An index's locale and LCMapString flags (with JET_bitIndexUnicode). */
typedef struct {
    JET_UINT32 lcid;
    JET_UINT32 dwMapFlags;
} JET_UNICODEINDEX;

/* Tuple index limits (with JET_bitIndexTupleLimits). */
typedef struct {
    JET_UINT32 chLengthMin;
    JET_UINT32 chLengthMax;
    JET_UINT32 chToIndexMax;
    JET_UINT32 cchIncrement;
    JET_UINT32 ichStart;
} JET_TUPLELIMITS;

/* JetCreateTableColumnIndex's column (A form). */
typedef struct {
    JET_UINT32 cbStruct;
    char * szColumnName;
    JET_COLTYP coltyp;
    JET_UINT32 cbMax;
    JET_GRBIT grbit;
    void *pvDefault;
    JET_UINT32 cbDefault;
    JET_UINT32 cp;
    JET_COLUMNID columnid;
    JET_ERR err;
} JET_COLUMNCREATE_A;

/* A column an index's entries depend on (A form). */
typedef struct {
    JET_UINT32 cbStruct;
    char * szColumnName;
    JET_GRBIT grbit;
} JET_CONDITIONALCOLUMN_A;

/* An index to create (A form). */
typedef struct {
    JET_UINT32 cbStruct;
    char * szIndexName;
    char * szKey;
    JET_UINT32 cbKey;
    JET_GRBIT grbit;
    JET_UINT32 ulDensity;
    union {
        JET_UINT32 lcid;
        JET_UNICODEINDEX *pidxunicode;
    };
    union {
        JET_UINT32 cbVarSegMac;
        JET_TUPLELIMITS *ptuplelimits;
    };
    JET_CONDITIONALCOLUMN_A *rgconditionalcolumn;
    JET_UINT32 cConditionalColumn;
    JET_ERR err;
    JET_UINT32 cbKeyMost;
} JET_INDEXCREATE_A;

/* A table with its columns and indexes (A form). */
typedef struct {
    JET_UINT32 cbStruct;
    char * szTableName;
    char * szTemplateTableName;
    JET_UINT32 ulPages;
    JET_UINT32 ulDensity;
    JET_COLUMNCREATE_A *rgcolumncreate;
    JET_UINT32 cColumns;
    JET_INDEXCREATE_A *rgindexcreate;
    JET_UINT32 cIndexes;
    JET_GRBIT grbit;
    JET_TABLEID tableid;
    JET_UINT32 cCreated;
} JET_TABLECREATE_A;

/* JetCreateTableColumnIndex's column (W form). */
typedef struct {
    JET_UINT32 cbStruct;
    WCHAR * szColumnName;
    JET_COLTYP coltyp;
    JET_UINT32 cbMax;
    JET_GRBIT grbit;
    void *pvDefault;
    JET_UINT32 cbDefault;
    JET_UINT32 cp;
    JET_COLUMNID columnid;
    JET_ERR err;
} JET_COLUMNCREATE_W;

/* A column an index's entries depend on (W form). */
typedef struct {
    JET_UINT32 cbStruct;
    WCHAR * szColumnName;
    JET_GRBIT grbit;
} JET_CONDITIONALCOLUMN_W;

/* An index to create (W form). */
typedef struct {
    JET_UINT32 cbStruct;
    WCHAR * szIndexName;
    WCHAR * szKey;
    JET_UINT32 cbKey;
    JET_GRBIT grbit;
    JET_UINT32 ulDensity;
    union {
        JET_UINT32 lcid;
        JET_UNICODEINDEX *pidxunicode;
    };
    union {
        JET_UINT32 cbVarSegMac;
        JET_TUPLELIMITS *ptuplelimits;
    };
    JET_CONDITIONALCOLUMN_W *rgconditionalcolumn;
    JET_UINT32 cConditionalColumn;
    JET_ERR err;
    JET_UINT32 cbKeyMost;
} JET_INDEXCREATE_W;

/* A table with its columns and indexes (W form). */
typedef struct {
    JET_UINT32 cbStruct;
    WCHAR * szTableName;
    WCHAR * szTemplateTableName;
    JET_UINT32 ulPages;
    JET_UINT32 ulDensity;
    JET_COLUMNCREATE_W *rgcolumncreate;
    JET_UINT32 cColumns;
    JET_INDEXCREATE_W *rgindexcreate;
    JET_UINT32 cIndexes;
    JET_GRBIT grbit;
    JET_TABLEID tableid;
    JET_UINT32 cCreated;
} JET_TABLECREATE_W;

#ifdef JET_UNICODE
typedef JET_COLUMNCREATE_W JET_COLUMNCREATE;
typedef JET_CONDITIONALCOLUMN_W JET_CONDITIONALCOLUMN;
typedef JET_INDEXCREATE_W JET_INDEXCREATE;
typedef JET_TABLECREATE_W JET_TABLECREATE;
#else
typedef JET_COLUMNCREATE_A JET_COLUMNCREATE;
typedef JET_CONDITIONALCOLUMN_A JET_CONDITIONALCOLUMN;
typedef JET_INDEXCREATE_A JET_INDEXCREATE;
typedef JET_TABLECREATE_A JET_TABLECREATE;
#endif

/* The newer forms of the create structures (JetCreateIndex3 / 4,
 * JetCreateTableColumnIndex2 / 3 / 4), their space hints, and the index id
 * of JetSetCurrentIndex4: declared as ESENT declares them; the functions
 * that take them are not in libesent yet (crates/esent/EXPORTS.md). */
typedef struct {
    JET_UINT32 cbStruct;
    unsigned char rgbIndexId[sizeof(JET_API_PTR) + 2 * sizeof(JET_UINT32)];
} JET_INDEXID;

typedef struct {
    WCHAR *szLocaleName;
    JET_UINT32 dwMapFlags;
} JET_UNICODEINDEX2;

typedef struct {
    JET_UINT32 cbStruct;
    JET_UINT32 ulInitialDensity;
    JET_UINT32 cbInitial;
    JET_GRBIT grbit;
    JET_UINT32 ulMaintDensity;
    JET_UINT32 ulGrowth;
    JET_UINT32 cbMinExtent;
    JET_UINT32 cbMaxExtent;
} JET_SPACEHINTS;

typedef struct {
    JET_UINT32 cbStruct;
    char *szIndexName;
    char *szKey;
    JET_UINT32 cbKey;
    JET_GRBIT grbit;
    JET_UINT32 ulDensity;
    union {
        JET_UINT32 lcid;
        JET_UNICODEINDEX *pidxunicode;
    };
    union {
        JET_UINT32 cbVarSegMac;
        JET_TUPLELIMITS *ptuplelimits;
    };
    JET_CONDITIONALCOLUMN_A *rgconditionalcolumn;
    JET_UINT32 cConditionalColumn;
    JET_ERR err;
    JET_UINT32 cbKeyMost;
    JET_SPACEHINTS *pSpacehints;
} JET_INDEXCREATE2_A;
typedef struct {
    JET_UINT32 cbStruct;
    char *szIndexName;
    char *szKey;
    JET_UINT32 cbKey;
    JET_GRBIT grbit;
    JET_UINT32 ulDensity;
    JET_UNICODEINDEX2 *pidxunicode;
    union {
        JET_UINT32 cbVarSegMac;
        JET_TUPLELIMITS *ptuplelimits;
    };
    JET_CONDITIONALCOLUMN_A *rgconditionalcolumn;
    JET_UINT32 cConditionalColumn;
    JET_ERR err;
    JET_UINT32 cbKeyMost;
    JET_SPACEHINTS *pSpacehints;
} JET_INDEXCREATE3_A;
typedef struct {
    JET_UINT32 cbStruct;
    char *szTableName;
    char *szTemplateTableName;
    JET_UINT32 ulPages;
    JET_UINT32 ulDensity;
    JET_COLUMNCREATE_A *rgcolumncreate;
    JET_UINT32 cColumns;
    JET_INDEXCREATE_A *rgindexcreate;
    JET_UINT32 cIndexes;
    char *szCallback;
    JET_CBTYP cbtyp;
    JET_GRBIT grbit;
    JET_TABLEID tableid;
    JET_UINT32 cCreated;
} JET_TABLECREATE2_A;

typedef struct {
    JET_UINT32 cbStruct;
    char *szTableName;
    char *szTemplateTableName;
    JET_UINT32 ulPages;
    JET_UINT32 ulDensity;
    JET_COLUMNCREATE_A *rgcolumncreate;
    JET_UINT32 cColumns;
    JET_INDEXCREATE2_A *rgindexcreate;
    JET_UINT32 cIndexes;
    char *szCallback;
    JET_CBTYP cbtyp;
    JET_GRBIT grbit;
    JET_SPACEHINTS *pSeqSpacehints;
    JET_SPACEHINTS *pLVSpacehints;
    JET_UINT32 cbSeparateLV;
    JET_TABLEID tableid;
    JET_UINT32 cCreated;
} JET_TABLECREATE3_A;

typedef struct {
    JET_UINT32 cbStruct;
    char *szTableName;
    char *szTemplateTableName;
    JET_UINT32 ulPages;
    JET_UINT32 ulDensity;
    JET_COLUMNCREATE_A *rgcolumncreate;
    JET_UINT32 cColumns;
    JET_INDEXCREATE3_A *rgindexcreate;
    JET_UINT32 cIndexes;
    char *szCallback;
    JET_CBTYP cbtyp;
    JET_GRBIT grbit;
    JET_SPACEHINTS *pSeqSpacehints;
    JET_SPACEHINTS *pLVSpacehints;
    JET_UINT32 cbSeparateLV;
    JET_TABLEID tableid;
    JET_UINT32 cCreated;
} JET_TABLECREATE4_A;

typedef struct {
    JET_UINT32 cbStruct;
    WCHAR *szIndexName;
    WCHAR *szKey;
    JET_UINT32 cbKey;
    JET_GRBIT grbit;
    JET_UINT32 ulDensity;
    union {
        JET_UINT32 lcid;
        JET_UNICODEINDEX *pidxunicode;
    };
    union {
        JET_UINT32 cbVarSegMac;
        JET_TUPLELIMITS *ptuplelimits;
    };
    JET_CONDITIONALCOLUMN_W *rgconditionalcolumn;
    JET_UINT32 cConditionalColumn;
    JET_ERR err;
    JET_UINT32 cbKeyMost;
    JET_SPACEHINTS *pSpacehints;
} JET_INDEXCREATE2_W;
typedef struct {
    JET_UINT32 cbStruct;
    WCHAR *szIndexName;
    WCHAR *szKey;
    JET_UINT32 cbKey;
    JET_GRBIT grbit;
    JET_UINT32 ulDensity;
    JET_UNICODEINDEX2 *pidxunicode;
    union {
        JET_UINT32 cbVarSegMac;
        JET_TUPLELIMITS *ptuplelimits;
    };
    JET_CONDITIONALCOLUMN_W *rgconditionalcolumn;
    JET_UINT32 cConditionalColumn;
    JET_ERR err;
    JET_UINT32 cbKeyMost;
    JET_SPACEHINTS *pSpacehints;
} JET_INDEXCREATE3_W;
typedef struct {
    JET_UINT32 cbStruct;
    WCHAR *szTableName;
    WCHAR *szTemplateTableName;
    JET_UINT32 ulPages;
    JET_UINT32 ulDensity;
    JET_COLUMNCREATE_W *rgcolumncreate;
    JET_UINT32 cColumns;
    JET_INDEXCREATE_W *rgindexcreate;
    JET_UINT32 cIndexes;
    WCHAR *szCallback;
    JET_CBTYP cbtyp;
    JET_GRBIT grbit;
    JET_TABLEID tableid;
    JET_UINT32 cCreated;
} JET_TABLECREATE2_W;

typedef struct {
    JET_UINT32 cbStruct;
    WCHAR *szTableName;
    WCHAR *szTemplateTableName;
    JET_UINT32 ulPages;
    JET_UINT32 ulDensity;
    JET_COLUMNCREATE_W *rgcolumncreate;
    JET_UINT32 cColumns;
    JET_INDEXCREATE2_W *rgindexcreate;
    JET_UINT32 cIndexes;
    WCHAR *szCallback;
    JET_CBTYP cbtyp;
    JET_GRBIT grbit;
    JET_SPACEHINTS *pSeqSpacehints;
    JET_SPACEHINTS *pLVSpacehints;
    JET_UINT32 cbSeparateLV;
    JET_TABLEID tableid;
    JET_UINT32 cCreated;
} JET_TABLECREATE3_W;

typedef struct {
    JET_UINT32 cbStruct;
    WCHAR *szTableName;
    WCHAR *szTemplateTableName;
    JET_UINT32 ulPages;
    JET_UINT32 ulDensity;
    JET_COLUMNCREATE_W *rgcolumncreate;
    JET_UINT32 cColumns;
    JET_INDEXCREATE3_W *rgindexcreate;
    JET_UINT32 cIndexes;
    WCHAR *szCallback;
    JET_CBTYP cbtyp;
    JET_GRBIT grbit;
    JET_SPACEHINTS *pSeqSpacehints;
    JET_SPACEHINTS *pLVSpacehints;
    JET_UINT32 cbSeparateLV;
    JET_TABLEID tableid;
    JET_UINT32 cCreated;
} JET_TABLECREATE4_W;

#ifdef JET_UNICODE
typedef JET_INDEXCREATE2_W JET_INDEXCREATE2;
typedef JET_INDEXCREATE3_W JET_INDEXCREATE3;
typedef JET_TABLECREATE2_W JET_TABLECREATE2;
typedef JET_TABLECREATE3_W JET_TABLECREATE3;
typedef JET_TABLECREATE4_W JET_TABLECREATE4;
#else
typedef JET_INDEXCREATE2_A JET_INDEXCREATE2;
typedef JET_INDEXCREATE3_A JET_INDEXCREATE3;
typedef JET_TABLECREATE2_A JET_TABLECREATE2;
typedef JET_TABLECREATE3_A JET_TABLECREATE3;
typedef JET_TABLECREATE4_A JET_TABLECREATE4;
#endif

/* Times and positions in the log, and a log's or database's identity. */
typedef struct {
    char bSeconds;
    char bMinutes;
    char bHours;
    char bDay;
    char bMonth;
    char bYear; /* years since 1900 */
    union {
        char bFiller1;
        struct {
            unsigned char fTimeIsUTC : 1;
            unsigned char bMillisecondsLow : 7;
        };
    };
    union {
        char bFiller2;
        struct {
            unsigned char fReserved : 1;
            unsigned char bMillisecondsHigh : 3;
            unsigned char fUnused : 4;
        };
    };
} JET_LOGTIME;

typedef struct {
    uint16_t ib;
    uint16_t isec;
    JET_INT32 lGeneration;
} JET_LGPOS;

#define JET_MAX_COMPUTERNAME_LENGTH 15
typedef struct {
    JET_UINT32 ulRandom;
    JET_LOGTIME logtimeCreate;
    char szComputerName[JET_MAX_COMPUTERNAME_LENGTH + 1];
} JET_SIGNATURE;

/* A backup's position, time and log generations (JET_DBINFOMISC). */
typedef struct {
    JET_LGPOS lgposMark;
    JET_LOGTIME logtimeMark;
    JET_UINT32 genLow;
    JET_UINT32 genHigh;
} JET_BKINFO;

/* JetGetDatabaseInfo(JET_DbInfoMisc): the database header; each version
 * adds fields to the one before, and cbMax names the version wanted. */
typedef struct {
    JET_UINT32 ulVersion;
    JET_UINT32 ulUpdate;
    JET_SIGNATURE signDb;
    JET_UINT32 dbstate;
    JET_LGPOS lgposConsistent;
    JET_LOGTIME logtimeConsistent;
    JET_LOGTIME logtimeAttach;
    JET_LGPOS lgposAttach;
    JET_LOGTIME logtimeDetach;
    JET_LGPOS lgposDetach;
    JET_SIGNATURE signLog;
    JET_BKINFO bkinfoFullPrev;
    JET_BKINFO bkinfoIncPrev;
    JET_BKINFO bkinfoFullCur;
    JET_UINT32 fShadowingDisabled;
    JET_UINT32 fUpgradeDb;
    JET_UINT32 dwMajorVersion;
    JET_UINT32 dwMinorVersion;
    JET_UINT32 dwBuildNumber;
    JET_INT32 lSPNumber;
    JET_UINT32 cbPageSize;
} JET_DBINFOMISC;
typedef struct {
    JET_UINT32 ulVersion;
    JET_UINT32 ulUpdate;
    JET_SIGNATURE signDb;
    JET_UINT32 dbstate;
    JET_LGPOS lgposConsistent;
    JET_LOGTIME logtimeConsistent;
    JET_LOGTIME logtimeAttach;
    JET_LGPOS lgposAttach;
    JET_LOGTIME logtimeDetach;
    JET_LGPOS lgposDetach;
    JET_SIGNATURE signLog;
    JET_BKINFO bkinfoFullPrev;
    JET_BKINFO bkinfoIncPrev;
    JET_BKINFO bkinfoFullCur;
    JET_UINT32 fShadowingDisabled;
    JET_UINT32 fUpgradeDb;
    JET_UINT32 dwMajorVersion;
    JET_UINT32 dwMinorVersion;
    JET_UINT32 dwBuildNumber;
    JET_INT32 lSPNumber;
    JET_UINT32 cbPageSize;
    JET_UINT32 genMinRequired;
    JET_UINT32 genMaxRequired;
    JET_LOGTIME logtimeGenMaxCreate;
    JET_UINT32 ulRepairCount;
    JET_LOGTIME logtimeRepair;
    JET_UINT32 ulRepairCountOld;
    JET_UINT32 ulECCFixSuccess;
    JET_LOGTIME logtimeECCFixSuccess;
    JET_UINT32 ulECCFixSuccessOld;
    JET_UINT32 ulECCFixFail;
    JET_LOGTIME logtimeECCFixFail;
    JET_UINT32 ulECCFixFailOld;
    JET_UINT32 ulBadChecksum;
    JET_LOGTIME logtimeBadChecksum;
    JET_UINT32 ulBadChecksumOld;
} JET_DBINFOMISC2;
typedef struct {
    JET_UINT32 ulVersion;
    JET_UINT32 ulUpdate;
    JET_SIGNATURE signDb;
    JET_UINT32 dbstate;
    JET_LGPOS lgposConsistent;
    JET_LOGTIME logtimeConsistent;
    JET_LOGTIME logtimeAttach;
    JET_LGPOS lgposAttach;
    JET_LOGTIME logtimeDetach;
    JET_LGPOS lgposDetach;
    JET_SIGNATURE signLog;
    JET_BKINFO bkinfoFullPrev;
    JET_BKINFO bkinfoIncPrev;
    JET_BKINFO bkinfoFullCur;
    JET_UINT32 fShadowingDisabled;
    JET_UINT32 fUpgradeDb;
    JET_UINT32 dwMajorVersion;
    JET_UINT32 dwMinorVersion;
    JET_UINT32 dwBuildNumber;
    JET_INT32 lSPNumber;
    JET_UINT32 cbPageSize;
    JET_UINT32 genMinRequired;
    JET_UINT32 genMaxRequired;
    JET_LOGTIME logtimeGenMaxCreate;
    JET_UINT32 ulRepairCount;
    JET_LOGTIME logtimeRepair;
    JET_UINT32 ulRepairCountOld;
    JET_UINT32 ulECCFixSuccess;
    JET_LOGTIME logtimeECCFixSuccess;
    JET_UINT32 ulECCFixSuccessOld;
    JET_UINT32 ulECCFixFail;
    JET_LOGTIME logtimeECCFixFail;
    JET_UINT32 ulECCFixFailOld;
    JET_UINT32 ulBadChecksum;
    JET_LOGTIME logtimeBadChecksum;
    JET_UINT32 ulBadChecksumOld;
    JET_UINT32 genCommitted;
} JET_DBINFOMISC3;
typedef struct {
    JET_UINT32 ulVersion;
    JET_UINT32 ulUpdate;
    JET_SIGNATURE signDb;
    JET_UINT32 dbstate;
    JET_LGPOS lgposConsistent;
    JET_LOGTIME logtimeConsistent;
    JET_LOGTIME logtimeAttach;
    JET_LGPOS lgposAttach;
    JET_LOGTIME logtimeDetach;
    JET_LGPOS lgposDetach;
    JET_SIGNATURE signLog;
    JET_BKINFO bkinfoFullPrev;
    JET_BKINFO bkinfoIncPrev;
    JET_BKINFO bkinfoFullCur;
    JET_UINT32 fShadowingDisabled;
    JET_UINT32 fUpgradeDb;
    JET_UINT32 dwMajorVersion;
    JET_UINT32 dwMinorVersion;
    JET_UINT32 dwBuildNumber;
    JET_INT32 lSPNumber;
    JET_UINT32 cbPageSize;
    JET_UINT32 genMinRequired;
    JET_UINT32 genMaxRequired;
    JET_LOGTIME logtimeGenMaxCreate;
    JET_UINT32 ulRepairCount;
    JET_LOGTIME logtimeRepair;
    JET_UINT32 ulRepairCountOld;
    JET_UINT32 ulECCFixSuccess;
    JET_LOGTIME logtimeECCFixSuccess;
    JET_UINT32 ulECCFixSuccessOld;
    JET_UINT32 ulECCFixFail;
    JET_LOGTIME logtimeECCFixFail;
    JET_UINT32 ulECCFixFailOld;
    JET_UINT32 ulBadChecksum;
    JET_LOGTIME logtimeBadChecksum;
    JET_UINT32 ulBadChecksumOld;
    JET_UINT32 genCommitted;
    JET_BKINFO bkinfoCopyPrev;
    JET_BKINFO bkinfoDiffPrev;
} JET_DBINFOMISC4;
typedef struct {
    JET_UINT32 ulVersion;
    JET_UINT32 ulUpdate;
    JET_SIGNATURE signDb;
    JET_UINT32 dbstate;
    JET_LGPOS lgposConsistent;
    JET_LOGTIME logtimeConsistent;
    JET_LOGTIME logtimeAttach;
    JET_LGPOS lgposAttach;
    JET_LOGTIME logtimeDetach;
    JET_LGPOS lgposDetach;
    JET_SIGNATURE signLog;
    JET_BKINFO bkinfoFullPrev;
    JET_BKINFO bkinfoIncPrev;
    JET_BKINFO bkinfoFullCur;
    JET_UINT32 fShadowingDisabled;
    JET_UINT32 fUpgradeDb;
    JET_UINT32 dwMajorVersion;
    JET_UINT32 dwMinorVersion;
    JET_UINT32 dwBuildNumber;
    JET_INT32 lSPNumber;
    JET_UINT32 cbPageSize;
    JET_UINT32 genMinRequired;
    JET_UINT32 genMaxRequired;
    JET_LOGTIME logtimeGenMaxCreate;
    JET_UINT32 ulRepairCount;
    JET_LOGTIME logtimeRepair;
    JET_UINT32 ulRepairCountOld;
    JET_UINT32 ulECCFixSuccess;
    JET_LOGTIME logtimeECCFixSuccess;
    JET_UINT32 ulECCFixSuccessOld;
    JET_UINT32 ulECCFixFail;
    JET_LOGTIME logtimeECCFixFail;
    JET_UINT32 ulECCFixFailOld;
    JET_UINT32 ulBadChecksum;
    JET_LOGTIME logtimeBadChecksum;
    JET_UINT32 ulBadChecksumOld;
    JET_UINT32 genCommitted;
    JET_BKINFO bkinfoCopyPrev;
    JET_BKINFO bkinfoDiffPrev;
    JET_UINT32 ulIncrementalReseedCount;
    JET_LOGTIME logtimeIncrementalReseed;
    JET_UINT32 ulIncrementalReseedCountOld;
    JET_UINT32 ulPagePatchCount;
    JET_LOGTIME logtimePagePatch;
    JET_UINT32 ulPagePatchCountOld;
} JET_DBINFOMISC5;
typedef struct {
    JET_UINT32 ulVersion;
    JET_UINT32 ulUpdate;
    JET_SIGNATURE signDb;
    JET_UINT32 dbstate;
    JET_LGPOS lgposConsistent;
    JET_LOGTIME logtimeConsistent;
    JET_LOGTIME logtimeAttach;
    JET_LGPOS lgposAttach;
    JET_LOGTIME logtimeDetach;
    JET_LGPOS lgposDetach;
    JET_SIGNATURE signLog;
    JET_BKINFO bkinfoFullPrev;
    JET_BKINFO bkinfoIncPrev;
    JET_BKINFO bkinfoFullCur;
    JET_UINT32 fShadowingDisabled;
    JET_UINT32 fUpgradeDb;
    JET_UINT32 dwMajorVersion;
    JET_UINT32 dwMinorVersion;
    JET_UINT32 dwBuildNumber;
    JET_INT32 lSPNumber;
    JET_UINT32 cbPageSize;
    JET_UINT32 genMinRequired;
    JET_UINT32 genMaxRequired;
    JET_LOGTIME logtimeGenMaxCreate;
    JET_UINT32 ulRepairCount;
    JET_LOGTIME logtimeRepair;
    JET_UINT32 ulRepairCountOld;
    JET_UINT32 ulECCFixSuccess;
    JET_LOGTIME logtimeECCFixSuccess;
    JET_UINT32 ulECCFixSuccessOld;
    JET_UINT32 ulECCFixFail;
    JET_LOGTIME logtimeECCFixFail;
    JET_UINT32 ulECCFixFailOld;
    JET_UINT32 ulBadChecksum;
    JET_LOGTIME logtimeBadChecksum;
    JET_UINT32 ulBadChecksumOld;
    JET_UINT32 genCommitted;
    JET_BKINFO bkinfoCopyPrev;
    JET_BKINFO bkinfoDiffPrev;
    JET_UINT32 ulIncrementalReseedCount;
    JET_LOGTIME logtimeIncrementalReseed;
    JET_UINT32 ulIncrementalReseedCountOld;
    JET_UINT32 ulPagePatchCount;
    JET_LOGTIME logtimePagePatch;
    JET_UINT32 ulPagePatchCountOld;
    JET_LOGTIME logtimeChecksumPrev;
    JET_LOGTIME logtimeChecksumStart;
    JET_UINT32 cpgDatabaseChecked;
} JET_DBINFOMISC6;
typedef struct {
    JET_UINT32 ulVersion;
    JET_UINT32 ulUpdate;
    JET_SIGNATURE signDb;
    JET_UINT32 dbstate;
    JET_LGPOS lgposConsistent;
    JET_LOGTIME logtimeConsistent;
    JET_LOGTIME logtimeAttach;
    JET_LGPOS lgposAttach;
    JET_LOGTIME logtimeDetach;
    JET_LGPOS lgposDetach;
    JET_SIGNATURE signLog;
    JET_BKINFO bkinfoFullPrev;
    JET_BKINFO bkinfoIncPrev;
    JET_BKINFO bkinfoFullCur;
    JET_UINT32 fShadowingDisabled;
    JET_UINT32 fUpgradeDb;
    JET_UINT32 dwMajorVersion;
    JET_UINT32 dwMinorVersion;
    JET_UINT32 dwBuildNumber;
    JET_INT32 lSPNumber;
    JET_UINT32 cbPageSize;
    JET_UINT32 genMinRequired;
    JET_UINT32 genMaxRequired;
    JET_LOGTIME logtimeGenMaxCreate;
    JET_UINT32 ulRepairCount;
    JET_LOGTIME logtimeRepair;
    JET_UINT32 ulRepairCountOld;
    JET_UINT32 ulECCFixSuccess;
    JET_LOGTIME logtimeECCFixSuccess;
    JET_UINT32 ulECCFixSuccessOld;
    JET_UINT32 ulECCFixFail;
    JET_LOGTIME logtimeECCFixFail;
    JET_UINT32 ulECCFixFailOld;
    JET_UINT32 ulBadChecksum;
    JET_LOGTIME logtimeBadChecksum;
    JET_UINT32 ulBadChecksumOld;
    JET_UINT32 genCommitted;
    JET_BKINFO bkinfoCopyPrev;
    JET_BKINFO bkinfoDiffPrev;
    JET_UINT32 ulIncrementalReseedCount;
    JET_LOGTIME logtimeIncrementalReseed;
    JET_UINT32 ulIncrementalReseedCountOld;
    JET_UINT32 ulPagePatchCount;
    JET_LOGTIME logtimePagePatch;
    JET_UINT32 ulPagePatchCountOld;
    JET_LOGTIME logtimeChecksumPrev;
    JET_LOGTIME logtimeChecksumStart;
    JET_UINT32 cpgDatabaseChecked;
    JET_LOGTIME logtimeLastReAttach;
    JET_LGPOS lgposLastReAttach;
} JET_DBINFOMISC7;

/* What JetCommitTransaction2 reports of a commit. */
typedef struct {
    JET_SIGNATURE signLog;
    int reserved;
    int64_t commitId;
} JET_COMMIT_ID;

/* A backup's log generations and base name (JetGetLogInfoInstance2,
 * JetExternalRestore2). */
#define JET_BASE_NAME_LENGTH 3
typedef struct {
    JET_UINT32 cbSize;
    JET_UINT32 ulGenLow;
    JET_UINT32 ulGenHigh;
    char szBaseName[JET_BASE_NAME_LENGTH + 1];
} JET_LOGINFO_A;
typedef struct {
    JET_UINT32 cbSize;
    JET_UINT32 ulGenLow;
    JET_UINT32 ulGenHigh;
    WCHAR szBaseName[JET_BASE_NAME_LENGTH + 1];
} JET_LOGINFO_W;

/* Where a database was backed up from, and where it is restored. */
typedef struct {
    char *szDatabaseName;
    char *szNewDatabaseName;
} JET_RSTMAP_A;
typedef struct {
    WCHAR *szDatabaseName;
    WCHAR *szNewDatabaseName;
} JET_RSTMAP_W;

/* JetInit3's restore information. */
typedef struct {
    JET_UINT32 cbStruct;
    JET_RSTMAP_A *rgrstmap;
    JET_INT32 crstmap;
    JET_LGPOS lgposStop;
    JET_LOGTIME logtimeStop;
    JET_PFNSTATUS pfnStatus;
} JET_RSTINFO_A;
typedef struct {
    JET_UINT32 cbStruct;
    JET_RSTMAP_W *rgrstmap;
    JET_INT32 crstmap;
    JET_LGPOS lgposStop;
    JET_LOGTIME logtimeStop;
    JET_PFNSTATUS pfnStatus;
} JET_RSTINFO_W;

/* One parameter of JetEnableMultiInstance. */
typedef struct {
    JET_UINT32 paramid;
    JET_API_PTR lParam;
    const char *sz;
    JET_ERR err;
} JET_SETSYSPARAM_A;
typedef struct {
    JET_UINT32 paramid;
    JET_API_PTR lParam;
    const WCHAR *sz;
    JET_ERR err;
} JET_SETSYSPARAM_W;

/* One running instance (JetGetInstanceInfo; freed with JetFreeBuffer). */
typedef struct {
    JET_INSTANCE hInstanceId;
    char *szInstanceName;
    JET_API_PTR cDatabases;
    char **szDatabaseFileName;
    char **szDatabaseDisplayName;
    char **szDatabaseSLVFileName_Obsolete;
} JET_INSTANCE_INFO_A;
typedef struct {
    JET_INSTANCE hInstanceId;
    WCHAR *szInstanceName;
    JET_API_PTR cDatabases;
    WCHAR **szDatabaseFileName;
    WCHAR **szDatabaseDisplayName;
    WCHAR **szDatabaseSLVFileName_Obsolete;
} JET_INSTANCE_INFO_W;

/* JetGetRecordSize's answer. */
typedef struct {
    uint64_t cbData;
    uint64_t cbLongValueData;
    uint64_t cbOverhead;
    uint64_t cbLongValueOverhead;
    uint64_t cNonTaggedColumns;
    uint64_t cTaggedColumns;
    uint64_t cLongValues;
    uint64_t cMultiValues;
} JET_RECSIZE;

/* JetEnumerateColumns: what is asked for, and what comes back. */
typedef struct {
    JET_COLUMNID columnid;
    JET_UINT32 ctagSequence;
    JET_UINT32 *rgtagSequence;
} JET_ENUMCOLUMNID;
typedef struct {
    JET_UINT32 itagSequence;
    JET_ERR err;
    JET_UINT32 cbData;
    void *pvData;
} JET_ENUMCOLUMNVALUE;
typedef struct {
    JET_COLUMNID columnid;
    JET_ERR err;
    union {
        struct { /* err != JET_wrnColumnSingleValue */
            JET_UINT32 cEnumColumnValue;
            JET_ENUMCOLUMNVALUE *rgEnumColumnValue;
        };
        struct { /* err == JET_wrnColumnSingleValue */
            JET_UINT32 cbData;
            void *pvData;
        };
    };
} JET_ENUMCOLUMN;
typedef void *(JET_API *JET_PFNREALLOC)(void *pvContext, void *pv, JET_UINT32 cb);

/* The callback of JetDefragment2 (and of table callbacks). */
typedef JET_ERR(JET_API *JET_CALLBACK)(JET_SESID sesid, JET_DBID dbid, JET_TABLEID tableid,
                                       JET_CBTYP cbtyp, void *pvArg1, void *pvArg2,
                                       void *pvContext, JET_API_PTR ulUnused);

/* What the info calls return: a table (JetGetObjectInfo, JetGetTableInfo),
 * a column with its base names (JET_ColInfoBase), and the lists, each a
 * table of rows read with JetMove / JetRetrieveColumn and closed with
 * JetCloseTable. */
typedef struct {
    JET_UINT32 cbStruct;
    JET_OBJTYP objtyp;
    JET_DATESERIAL dtCreate;
    JET_DATESERIAL dtUpdate;
    JET_GRBIT grbit;
    JET_UINT32 flags;
    JET_UINT32 cRecord;
    JET_UINT32 cPage;
} JET_OBJECTINFO;

typedef struct {
    JET_UINT32 cbStruct;
    JET_COLUMNID columnid;
    JET_COLTYP coltyp;
    uint16_t wCountry;
    uint16_t langid;
    uint16_t cp;
    uint16_t wFiller;
    JET_UINT32 cbMax;
    JET_GRBIT grbit;
    char szBaseTableName[256];
    char szBaseColumnName[256];
} JET_COLUMNBASE_A;
typedef struct {
    JET_UINT32 cbStruct;
    JET_COLUMNID columnid;
    JET_COLTYP coltyp;
    uint16_t wCountry;
    uint16_t langid;
    uint16_t cp;
    uint16_t wFiller;
    JET_UINT32 cbMax;
    JET_GRBIT grbit;
    WCHAR szBaseTableName[256];
    WCHAR szBaseColumnName[256];
} JET_COLUMNBASE_W;

typedef struct {
    JET_UINT32 cbStruct;
    JET_TABLEID tableid;
    JET_UINT32 cRecord;
    JET_COLUMNID columnidPresentationOrder;
    JET_COLUMNID columnidcolumnname;
    JET_COLUMNID columnidcolumnid;
    JET_COLUMNID columnidcoltyp;
    JET_COLUMNID columnidCountry;
    JET_COLUMNID columnidLangid;
    JET_COLUMNID columnidCp;
    JET_COLUMNID columnidCollate;
    JET_COLUMNID columnidcbMax;
    JET_COLUMNID columnidgrbit;
    JET_COLUMNID columnidDefault;
    JET_COLUMNID columnidBaseTableName;
    JET_COLUMNID columnidBaseColumnName;
    JET_COLUMNID columnidDefinitionName;
} JET_COLUMNLIST;

typedef struct {
    JET_UINT32 cbStruct;
    JET_TABLEID tableid;
    JET_UINT32 cRecord;
    JET_COLUMNID columnidindexname;
    JET_COLUMNID columnidgrbitIndex;
    JET_COLUMNID columnidcKey;
    JET_COLUMNID columnidcEntry;
    JET_COLUMNID columnidcPage;
    JET_COLUMNID columnidcColumn;
    JET_COLUMNID columnidiColumn;
    JET_COLUMNID columnidcolumnid;
    JET_COLUMNID columnidcoltyp;
    JET_COLUMNID columnidCountry;
    JET_COLUMNID columnidLangid;
    JET_COLUMNID columnidCp;
    JET_COLUMNID columnidCollate;
    JET_COLUMNID columnidgrbitColumn;
    JET_COLUMNID columnidcolumnname;
    JET_COLUMNID columnidLCMapFlags;
} JET_INDEXLIST;

typedef struct {
    JET_UINT32 cbStruct;
    JET_TABLEID tableid;
    JET_UINT32 cRecord;
    JET_COLUMNID columnidcontainername;
    JET_COLUMNID columnidobjectname;
    JET_COLUMNID columnidobjtyp;
    JET_COLUMNID columniddtCreate;
    JET_COLUMNID columniddtUpdate;
    JET_COLUMNID columnidgrbit;
    JET_COLUMNID columnidflags;
    JET_COLUMNID columnidcRecord;
    JET_COLUMNID columnidcPage;
} JET_OBJECTLIST;

#ifdef JET_UNICODE
typedef JET_COLUMNBASE_W JET_COLUMNBASE;
typedef JET_LOGINFO_W JET_LOGINFO;
typedef JET_RSTMAP_W JET_RSTMAP;
typedef JET_RSTINFO_W JET_RSTINFO;
typedef JET_SETSYSPARAM_W JET_SETSYSPARAM;
typedef JET_INSTANCE_INFO_W JET_INSTANCE_INFO;
#else
typedef JET_COLUMNBASE_A JET_COLUMNBASE;
typedef JET_LOGINFO_A JET_LOGINFO;
typedef JET_RSTMAP_A JET_RSTMAP;
typedef JET_RSTINFO_A JET_RSTINFO;
typedef JET_SETSYSPARAM_A JET_SETSYSPARAM;
typedef JET_INSTANCE_INFO_A JET_INSTANCE_INFO;
#endif

/* BEGIN GENERATED: error and warning codes (crates/ese-format/data/jet_codes.tsv) */
#define JET_errSuccess 0
#define JET_wrnNyi (-1)
#define JET_errRfsFailure (-100)
#define JET_errRfsNotArmed (-101)
#define JET_errFileClose (-102)
#define JET_errOutOfThreads (-103)
#define JET_errTooManyIO (-105)
#define JET_errTaskDropped (-106)
#define JET_errInternalError (-107)
#define JET_errDisabledFunctionality (-112)
#define JET_errUnloadableOSFunctionality (-113)
#define JET_errDeviceMissing (-114)
#define JET_errDeviceMisconfigured (-115)
#define JET_errDeviceTimeout (-116)
#define JET_errDeviceFailure (-118)
#define JET_errDatabaseBufferDependenciesCorrupted (-255)
#define JET_wrnRemainingVersions 321
#define JET_errPreviousVersion (-322)
#define JET_errPageBoundary (-323)
#define JET_errKeyBoundary (-324)
#define JET_errBadPageLink (-327)
#define JET_errBadBookmark (-328)
#define JET_errNTSystemCallFailed (-334)
#define JET_errBadParentPageLink (-338)
#define JET_errSPAvailExtCacheOutOfSync (-340)
#define JET_errSPAvailExtCorrupted (-341)
#define JET_errSPAvailExtCacheOutOfMemory (-342)
#define JET_errSPOwnExtCorrupted (-343)
#define JET_errDbTimeCorrupted (-344)
#define JET_wrnUniqueKey 345
#define JET_errKeyTruncated (-346)
#define JET_errDatabaseLeakInSpace (-348)
#define JET_errBadEmptyPage (-351)
#define JET_errBadLineCount (-354)
#define JET_errPageTagCorrupted (-357)
#define JET_errNodeCorrupted (-358)
#define JET_wrnSeparateLongValue 406
#define JET_wrnRecordFoundGreater 1039
#define JET_wrnRecordFoundLess 1039
#define JET_errColumnIllegalNull (-1504)
#define JET_errKeyTooBig (-408)
#define JET_errCannotSeparateIntrinsicLV (-416)
#define JET_errSeparatedLongValue (-421)
#define JET_errMustBeSeparateLongValue (-423)
#define JET_errInvalidPreread (-424)
#define JET_errInvalidColumnReference (-426)
#define JET_errStaleColumnReference (-427)
#define JET_wrnNoMoreRecords 428
#define JET_errCompressionIntegrityCheckFailed (-431)
#define JET_wrnIndexDeferredPopulateIncomplete 432
#define JET_wrnIndexDeferredPopulateHalted 433
#define JET_errIndexDeferredPopulateCurrentlyUnavailable (-434)
#define JET_errInvalidLoggedOperation (-500)
#define JET_errLogFileCorrupt (-501)
#define JET_errNoBackupDirectory (-503)
#define JET_errBackupDirectoryNotEmpty (-504)
#define JET_errBackupInProgress (-505)
#define JET_errRestoreInProgress (-506)
#define JET_errMissingPreviousLogFile (-509)
#define JET_errLogWriteFail (-510)
#define JET_errLogDisabledDueToRecoveryFailure (-511)
#define JET_errCannotLogDuringRecoveryRedo (-512)
#define JET_errLogGenerationMismatch (-513)
#define JET_errBadLogVersion (-514)
#define JET_errInvalidLogSequence (-515)
#define JET_errLoggingDisabled (-516)
#define JET_errLogBufferTooSmall (-517)
#define JET_errLogSequenceEnd (-519)
#define JET_errNoBackup (-520)
#define JET_errInvalidBackupSequence (-521)
#define JET_errBackupNotAllowedYet (-523)
#define JET_errDeleteBackupFileFail (-524)
#define JET_errMakeBackupDirectoryFail (-525)
#define JET_errInvalidBackup (-526)
#define JET_errRecoveredWithErrors (-527)
#define JET_errMissingLogFile (-528)
#define JET_errLogDiskFull (-529)
#define JET_errBadLogSignature (-530)
#define JET_errBadDbSignature (-531)
#define JET_errBadCheckpointSignature (-532)
#define JET_errCheckpointCorrupt (-533)
#define JET_errMissingPatchPage (-534)
#define JET_errBadPatchPage (-535)
#define JET_errRedoAbruptEnded (-536)
#define JET_errPatchFileMissing (-538)
#define JET_errDatabaseLogSetMismatch (-539)
#define JET_errDatabaseStreamingFileMismatch (-540)
#define JET_errLogFileSizeMismatch (-541)
#define JET_errCheckpointFileNotFound (-542)
#define JET_errRequiredLogFilesMissing (-543)
#define JET_errSoftRecoveryOnBackupDatabase (-544)
#define JET_errLogFileSizeMismatchDatabasesConsistent (-545)
#define JET_errLogSectorSizeMismatch (-546)
#define JET_errLogSectorSizeMismatchDatabasesConsistent (-547)
#define JET_errLogSequenceEndDatabasesConsistent (-548)
#define JET_errStreamingDataNotLogged (-549)
#define JET_errDatabaseDirtyShutdown (-550)
#define JET_errDatabaseInconsistent (-550)
#define JET_errConsistentTimeMismatch (-551)
#define JET_errDatabasePatchFileMismatch (-552)
#define JET_errEndingRestoreLogTooLow (-553)
#define JET_errStartingRestoreLogTooHigh (-554)
#define JET_errGivenLogFileHasBadSignature (-555)
#define JET_errGivenLogFileIsNotContiguous (-556)
#define JET_errMissingRestoreLogFiles (-557)
#define JET_wrnExistingLogFileHasBadSignature 558
#define JET_wrnExistingLogFileIsNotContiguous 559
#define JET_errMissingFullBackup (-560)
#define JET_errBadBackupDatabaseSize (-561)
#define JET_errDatabaseAlreadyUpgraded (-562)
#define JET_errDatabaseIncompleteUpgrade (-563)
#define JET_wrnSkipThisRecord 564
#define JET_errMissingCurrentLogFiles (-565)
#define JET_errDbTimeTooOld (-566)
#define JET_errDbTimeTooNew (-567)
#define JET_errMissingFileToBackup (-569)
#define JET_errLogTornWriteDuringHardRestore (-570)
#define JET_errLogTornWriteDuringHardRecovery (-571)
#define JET_errLogCorruptDuringHardRestore (-573)
#define JET_errLogCorruptDuringHardRecovery (-574)
#define JET_errMustDisableLoggingForDbUpgrade (-575)
#define JET_errBadRestoreTargetInstance (-577)
#define JET_wrnTargetInstanceRunning 578
#define JET_errRecoveredWithoutUndo (-579)
#define JET_errDatabasesNotFromSameSnapshot (-580)
#define JET_errSoftRecoveryOnSnapshot (-581)
#define JET_errCommittedLogFilesMissing (-582)
#define JET_errSectorSizeNotSupported (-583)
#define JET_errRecoveredWithoutUndoDatabasesConsistent (-584)
#define JET_wrnCommittedLogFilesLost 585
#define JET_errCommittedLogFileCorrupt (-586)
#define JET_wrnCommittedLogFilesRemoved 587
#define JET_wrnFinishWithUndo 588
#define JET_errLogSequenceChecksumMismatch (-590)
#define JET_wrnDatabaseRepaired 595
#define JET_errPageInitializedMismatch (-596)
#define JET_errUnicodeTranslationBufferTooSmall (-601)
#define JET_errUnicodeTranslationFail (-602)
#define JET_errUnicodeNormalizationNotSupported (-603)
#define JET_errUnicodeLanguageValidationFailure (-604)
#define JET_errExistingLogFileHasBadSignature (-610)
#define JET_errExistingLogFileIsNotContiguous (-611)
#define JET_errLogReadVerifyFailure (-612)
#define JET_errCheckpointDepthTooDeep (-614)
#define JET_errRestoreOfNonBackupDatabase (-615)
#define JET_errLogFileNotCopied (-616)
#define JET_errSurrogateBackupInProgress (-617)
#define JET_errTransactionTooLong (-618)
#define JET_errEngineFormatVersionNoLongerSupportedTooLow (-619)
#define JET_errEngineFormatVersionNotYetImplementedTooHigh (-620)
#define JET_errEngineFormatVersionParamTooLowForRequestedFeature (-621)
#define JET_errEngineFormatVersionSpecifiedTooLowForLogVersion (-622)
#define JET_errEngineFormatVersionSpecifiedTooLowForDatabaseVersion (-623)
#define JET_errDbTimeBeyondMaxRequired (-625)
#define JET_errLogOperationInconsistentWithDatabase (-626)
#define JET_errBackupAbortByServer (-801)
#define JET_errInvalidGrbit (-900)
#define JET_errTermInProgress (-1000)
#define JET_errFeatureNotAvailable (-1001)
#define JET_errInvalidName (-1002)
#define JET_errInvalidParameter (-1003)
#define JET_wrnColumnNull 1004
#define JET_wrnBufferTruncated 1006
#define JET_wrnDatabaseAttached 1007
#define JET_errDatabaseFileReadOnly (-1008)
#define JET_wrnSortOverflow 1009
#define JET_errInvalidDatabaseId (-1010)
#define JET_errOutOfMemory (-1011)
#define JET_errOutOfDatabaseSpace (-1012)
#define JET_errOutOfCursors (-1013)
#define JET_errOutOfBuffers (-1014)
#define JET_errTooManyIndexes (-1015)
#define JET_errTooManyKeys (-1016)
#define JET_errRecordDeleted (-1017)
#define JET_errReadVerifyFailure (-1018)
#define JET_errPageNotInitialized (-1019)
#define JET_errOutOfFileHandles (-1020)
#define JET_errDiskReadVerificationFailure (-1021)
#define JET_errDiskIO (-1022)
#define JET_errInvalidPath (-1023)
#define JET_errInvalidSystemPath (-1024)
#define JET_errInvalidLogDirectory (-1025)
#define JET_errRecordTooBig (-1026)
#define JET_errTooManyOpenDatabases (-1027)
#define JET_errInvalidDatabase (-1028)
#define JET_errNotInitialized (-1029)
#define JET_errAlreadyInitialized (-1030)
#define JET_errInitInProgress (-1031)
#define JET_errFileAccessDenied (-1032)
#define JET_errQueryNotSupported (-1034)
#define JET_errSQLLinkNotSupported (-1035)
#define JET_errBufferTooSmall (-1038)
#define JET_wrnSeekNotEqual 1039
#define JET_errTooManyColumns (-1040)
#define JET_errContainerNotEmpty (-1043)
#define JET_errInvalidFilename (-1044)
#define JET_errInvalidBookmark (-1045)
#define JET_errColumnInUse (-1046)
#define JET_errInvalidBufferSize (-1047)
#define JET_errColumnNotUpdatable (-1048)
#define JET_errIndexInUse (-1051)
#define JET_errLinkNotSupported (-1052)
#define JET_errNullKeyDisallowed (-1053)
#define JET_errNotInTransaction (-1054)
#define JET_wrnNoErrorInfo 1055
#define JET_errMustRollback (-1057)
#define JET_wrnNoIdleActivity 1058
#define JET_errTooManyActiveUsers (-1059)
#define JET_errInvalidCountry (-1061)
#define JET_errInvalidLanguageId (-1062)
#define JET_errInvalidCodePage (-1063)
#define JET_errInvalidLCMapStringFlags (-1064)
#define JET_errVersionStoreEntryTooBig (-1065)
#define JET_errVersionStoreOutOfMemoryAndCleanupTimedOut (-1066)
#define JET_wrnNoWriteLock 1067
#define JET_wrnColumnSetNull 1068
#define JET_errVersionStoreOutOfMemory (-1069)
#define JET_errCurrencyStackOutOfMemory (-1070)
#define JET_errCannotIndex (-1071)
#define JET_errRecordNotDeleted (-1072)
#define JET_errTooManyMempoolEntries (-1073)
#define JET_errOutOfObjectIDs (-1074)
#define JET_errOutOfLongValueIDs (-1075)
#define JET_errOutOfAutoincrementValues (-1076)
#define JET_errOutOfDbtimeValues (-1077)
#define JET_errOutOfSequentialIndexValues (-1078)
#define JET_errRunningInOneInstanceMode (-1080)
#define JET_errRunningInMultiInstanceMode (-1081)
#define JET_errSystemParamsAlreadySet (-1082)
#define JET_errSystemPathInUse (-1083)
#define JET_errLogFilePathInUse (-1084)
#define JET_errTempPathInUse (-1085)
#define JET_errInstanceNameInUse (-1086)
#define JET_errSystemParameterConflict (-1087)
#define JET_errInstanceUnavailable (-1090)
#define JET_errDatabaseUnavailable (-1091)
#define JET_errInstanceUnavailableDueToFatalLogDiskFull (-1092)
#define JET_errInvalidSesparamId (-1093)
#define JET_errTooManyRecords (-1094)
#define JET_errInvalidDbparamId (-1095)
#define JET_errOutOfSessions (-1101)
#define JET_errWriteConflict (-1102)
#define JET_errTransTooDeep (-1103)
#define JET_errInvalidSesid (-1104)
#define JET_errWriteConflictPrimaryIndex (-1105)
#define JET_errInTransaction (-1108)
#define JET_errRollbackRequired (-1109)
#define JET_errTransReadOnly (-1110)
#define JET_errSessionWriteConflict (-1111)
#define JET_errRecordTooBigForBackwardCompatibility (-1112)
#define JET_errCannotMaterializeForwardOnlySort (-1113)
#define JET_errSesidTableIdMismatch (-1114)
#define JET_errInvalidInstance (-1115)
#define JET_errDirtyShutdown (-1116)
#define JET_errReadPgnoVerifyFailure (-1118)
#define JET_errReadLostFlushVerifyFailure (-1119)
#define JET_errFileSystemCorruption (-1121)
#define JET_wrnShrinkNotPossible 1122
#define JET_errRecoveryVerifyFailure (-1123)
#define JET_errFilteredMoveNotSupported (-1124)
#define JET_errMustCommitDistributedTransactionToLevel0 (-1150)
#define JET_errDistributedTransactionAlreadyPreparedToCommit (-1151)
#define JET_errNotInDistributedTransaction (-1152)
#define JET_errDistributedTransactionNotYetPreparedToCommit (-1153)
#define JET_errCannotNestDistributedTransactions (-1154)
#define JET_errDTCMissingCallback (-1160)
#define JET_errDTCMissingCallbackOnRecovery (-1161)
#define JET_errDTCCallbackUnexpectedError (-1162)
#define JET_wrnDTCCommitTransaction 1163
#define JET_wrnDTCRollbackTransaction 1164
#define JET_errDatabaseDuplicate (-1201)
#define JET_errDatabaseInUse (-1202)
#define JET_errDatabaseNotFound (-1203)
#define JET_errDatabaseInvalidName (-1204)
#define JET_errDatabaseInvalidPages (-1205)
#define JET_errDatabaseCorrupted (-1206)
#define JET_errDatabaseLocked (-1207)
#define JET_errCannotDisableVersioning (-1208)
#define JET_errInvalidDatabaseVersion (-1209)
#define JET_errDatabase200Format (-1210)
#define JET_errDatabase400Format (-1211)
#define JET_errDatabase500Format (-1212)
#define JET_errPageSizeMismatch (-1213)
#define JET_errTooManyInstances (-1214)
#define JET_errDatabaseSharingViolation (-1215)
#define JET_errAttachedDatabaseMismatch (-1216)
#define JET_errDatabaseInvalidPath (-1217)
#define JET_errDatabaseIdInUse (-1218)
#define JET_errForceDetachNotAllowed (-1219)
#define JET_errCatalogCorrupted (-1220)
#define JET_errPartiallyAttachedDB (-1221)
#define JET_errDatabaseSignInUse (-1222)
#define JET_errDatabaseCorruptedNoRepair (-1224)
#define JET_errInvalidCreateDbVersion (-1225)
#define JET_errDatabaseIncompleteIncrementalReseed (-1226)
#define JET_errDatabaseInvalidIncrementalReseed (-1227)
#define JET_errDatabaseFailedIncrementalReseed (-1228)
#define JET_errNoAttachmentsFailedIncrementalReseed (-1229)
#define JET_errDatabaseNotReady (-1230)
#define JET_errDatabaseAttachedForRecovery (-1231)
#define JET_errTransactionsNotReadyDuringRecovery (-1232)
#define JET_wrnTableEmpty 1301
#define JET_errTableLocked (-1302)
#define JET_errTableDuplicate (-1303)
#define JET_errTableInUse (-1304)
#define JET_errObjectNotFound (-1305)
#define JET_errDensityInvalid (-1307)
#define JET_errTableNotEmpty (-1308)
#define JET_errInvalidTableId (-1310)
#define JET_errTooManyOpenTables (-1311)
#define JET_errIllegalOperation (-1312)
#define JET_errTooManyOpenTablesAndCleanupTimedOut (-1313)
#define JET_errObjectDuplicate (-1314)
#define JET_errInvalidObject (-1316)
#define JET_errCannotDeleteTempTable (-1317)
#define JET_errCannotDeleteSystemTable (-1318)
#define JET_errCannotDeleteTemplateTable (-1319)
#define JET_errExclusiveTableLockRequired (-1322)
#define JET_errFixedDDL (-1323)
#define JET_errFixedInheritedDDL (-1324)
#define JET_errCannotNestDDL (-1325)
#define JET_errDDLNotInheritable (-1326)
#define JET_wrnTableInUseBySystem 1327
#define JET_errInvalidSettings (-1328)
#define JET_errClientRequestToStopJetService (-1329)
#define JET_errCannotAddFixedVarColumnToDerivedTable (-1330)
#define JET_errIndexCantBuild (-1401)
#define JET_errIndexHasPrimary (-1402)
#define JET_errIndexDuplicate (-1403)
#define JET_errIndexNotFound (-1404)
#define JET_errIndexMustStay (-1405)
#define JET_errIndexInvalidDef (-1406)
#define JET_errInvalidCreateIndex (-1409)
#define JET_errTooManyOpenIndexes (-1410)
#define JET_errMultiValuedIndexViolation (-1411)
#define JET_errIndexBuildCorrupted (-1412)
#define JET_errPrimaryIndexCorrupted (-1413)
#define JET_errSecondaryIndexCorrupted (-1414)
#define JET_wrnCorruptIndexDeleted 1415
#define JET_errInvalidIndexId (-1416)
#define JET_wrnPrimaryIndexOutOfDate 1417
#define JET_wrnSecondaryIndexOutOfDate 1418
#define JET_errCantUseDeferredPopulateIndex (-1419)
#define JET_errIndexTuplesSecondaryIndexOnly (-1430)
#define JET_errIndexTuplesTooManyColumns (-1431)
#define JET_errIndexTuplesOneColumnOnly (-1431)
#define JET_errIndexTuplesNonUniqueOnly (-1432)
#define JET_errIndexTuplesTextBinaryColumnsOnly (-1433)
#define JET_errIndexTuplesTextColumnsOnly (-1433)
#define JET_errIndexTuplesVarSegMacNotAllowed (-1434)
#define JET_errIndexTuplesInvalidLimits (-1435)
#define JET_errIndexTuplesCannotRetrieveFromIndex (-1436)
#define JET_errIndexTuplesKeyTooSmall (-1437)
#define JET_errInvalidLVChunkSize (-1438)
#define JET_errColumnCannotBeEncrypted (-1439)
#define JET_errCannotIndexOnEncryptedColumn (-1440)
#define JET_errColumnLong (-1501)
#define JET_errColumnNoChunk (-1502)
#define JET_errColumnDoesNotFit (-1503)
#define JET_errNullInvalid (-1504)
#define JET_errColumnIndexed (-1505)
#define JET_errColumnTooBig (-1506)
#define JET_errColumnNotFound (-1507)
#define JET_errColumnDuplicate (-1508)
#define JET_errMultiValuedColumnMustBeTagged (-1509)
#define JET_errColumnRedundant (-1510)
#define JET_errInvalidColumnType (-1511)
#define JET_wrnColumnMaxTruncated 1512
#define JET_errTaggedNotNULL (-1514)
#define JET_errNoCurrentIndex (-1515)
#define JET_errKeyIsMade (-1516)
#define JET_errBadColumnId (-1517)
#define JET_errBadItagSequence (-1518)
#define JET_errColumnInRelationship (-1519)
#define JET_wrnCopyLongValue 1520
#define JET_errCannotBeTagged (-1521)
#define JET_wrnTaggedColumnsRemaining 1523
#define JET_errDefaultValueTooBig (-1524)
#define JET_errMultiValuedDuplicate (-1525)
#define JET_errLVCorrupted (-1526)
#define JET_errMultiValuedDuplicateAfterTruncation (-1528)
#define JET_errDerivedColumnCorruption (-1529)
#define JET_errInvalidPlaceholderColumn (-1530)
#define JET_wrnColumnSkipped 1531
#define JET_wrnColumnNotLocal 1532
#define JET_wrnColumnMoreTags 1533
#define JET_wrnColumnTruncated 1534
#define JET_wrnColumnPresent 1535
#define JET_wrnColumnSingleValue 1536
#define JET_wrnColumnDefault 1537
#define JET_errColumnCannotBeCompressed (-1538)
#define JET_wrnColumnNotInRecord 1539
#define JET_errColumnNoEncryptionKey (-1540)
#define JET_wrnColumnReference 1541
#define JET_errRecordNotFound (-1601)
#define JET_errRecordNoCopy (-1602)
#define JET_errNoCurrentRecord (-1603)
#define JET_errRecordPrimaryChanged (-1604)
#define JET_errKeyDuplicate (-1605)
#define JET_errAlreadyPrepared (-1607)
#define JET_errKeyNotMade (-1608)
#define JET_errUpdateNotPrepared (-1609)
#define JET_wrnDataHasChanged 1610
#define JET_errDataHasChanged (-1611)
#define JET_wrnKeyChanged 1618
#define JET_errLanguageNotSupported (-1619)
#define JET_errDecompressionFailed (-1620)
#define JET_errUpdateMustVersion (-1621)
#define JET_errDecryptionFailed (-1622)
#define JET_errEncryptionBadItag (-1623)
#define JET_errSetAutoIncrementTooHigh (-1624)
#define JET_errAutoIncrementNotSet (-1625)
#define JET_errTooManySorts (-1701)
#define JET_errInvalidOnSort (-1702)
#define JET_errTempFileOpenError (-1803)
#define JET_errTooManyAttachedDatabases (-1805)
#define JET_errDiskFull (-1808)
#define JET_errPermissionDenied (-1809)
#define JET_errFileNotFound (-1811)
#define JET_errFileInvalidType (-1812)
#define JET_wrnFileOpenReadOnly 1813
#define JET_errFileAlreadyExists (-1814)
#define JET_errAfterInitialization (-1850)
#define JET_errLogCorrupted (-1852)
#define JET_errInvalidOperation (-1906)
#define JET_errAccessDenied (-1907)
#define JET_wrnIdleFull 1908
#define JET_errTooManySplits (-1909)
#define JET_errSessionSharingViolation (-1910)
#define JET_errEntryPointNotFound (-1911)
#define JET_errSessionContextAlreadySet (-1912)
#define JET_errSessionContextNotSetByThisThread (-1913)
#define JET_errSessionInUse (-1914)
#define JET_errRecordFormatConversionFailed (-1915)
#define JET_errOneDatabasePerSession (-1916)
#define JET_errRollbackError (-1917)
#define JET_errFlushMapVersionUnsupported (-1918)
#define JET_errFlushMapDatabaseMismatch (-1919)
#define JET_errFlushMapUnrecoverable (-1920)
#define JET_errRBSFileCorrupt (-1921)
#define JET_errRBSHeaderCorrupt (-1922)
#define JET_errRBSDbMismatch (-1923)
#define JET_errBadRBSVersion (-1925)
#define JET_errOutOfRBSSpace (-1926)
#define JET_errRBSInvalidSign (-1927)
#define JET_errRBSInvalidRecord (-1928)
#define JET_errRBSRCInvalidRBS (-1929)
#define JET_errRBSRCNoRBSFound (-1930)
#define JET_errRBSRCBadDbState (-1931)
#define JET_errRBSMissingReqLogs (-1932)
#define JET_errRBSLogDivergenceFailed (-1933)
#define JET_errRBSRCCopyLogsRevertState (-1934)
#define JET_errDatabaseIncompleteRevert (-1935)
#define JET_errRBSRCRevertCancelled (-1936)
#define JET_errRBSRCInvalidDbFormatVersion (-1937)
#define JET_errRBSCannotDetermineDivergence (-1938)
#define JET_errRBSDeleteTableTooBig (-1941)
#define JET_errRBSDeleteTableTooSoon (-1942)
#define JET_errRBSFDPToBeDeleted (-1943)
#define JET_errRBSRevertableDeleteNotPossible (-1944)
#define JET_errRBSRedeleteFDPUnexpected (-1947)
#define JET_errRBSRCPageFDPDeleteFileCorrupt (-1948)
#define JET_wrnDefragAlreadyRunning 2000
#define JET_wrnDefragNotRunning 2001
#define JET_wrnDatabaseScanAlreadyRunning 2002
#define JET_wrnDatabaseScanNotRunning 2003
#define JET_errDatabaseAlreadyRunningMaintenance (-2004)
#define JET_errRootSpaceLeakEstimationAlreadyRunning (-2006)
#define JET_wrnCallbackNotRegistered 2100
#define JET_errCallbackFailed (-2101)
#define JET_errCallbackNotResolved (-2102)
#define JET_errSpaceHintsInvalid (-2103)
#define JET_errOSSnapshotInvalidSequence (-2401)
#define JET_errOSSnapshotTimeOut (-2402)
#define JET_errOSSnapshotNotAllowed (-2403)
#define JET_errOSSnapshotInvalidSnapId (-2404)
#define JET_errTooManyTestInjections (-2501)
#define JET_errTestInjectionNotSupported (-2502)
#define JET_errInvalidLogDataSequence (-2601)
#define JET_wrnPreviousLogFileIncomplete 2602
#define JET_errLSCallbackNotSpecified (-3000)
#define JET_errLSAlreadySet (-3001)
#define JET_errLSNotSet (-3002)
#define JET_errFileIOSparse (-4000)
#define JET_errFileIOBeyondEOF (-4001)
#define JET_errFileIOAbort (-4002)
#define JET_errFileIORetry (-4003)
#define JET_errFileIOFail (-4004)
#define JET_errFileCompressed (-4005)
#define JET_errClientSpaceBegin (-10000)
#define JET_errClientSpaceEnd (-11999)
/* END GENERATED */

/* BEGIN GENERATED: system parameters (ese::api::params::PARAMS) */
#define JET_paramSystemPath 0
#define JET_paramTempPath 1
#define JET_paramLogFilePath 2
#define JET_paramBaseName 3
#define JET_paramEventSource 4
#define JET_paramMaxSessions 5
#define JET_paramMaxOpenTables 6
#define JET_paramPreferredMaxOpenTables 7
#define JET_paramMaxCursors 8
#define JET_paramMaxVerPages 9
#define JET_paramMaxTemporaryTables 10
#define JET_paramLogFileSize 11
#define JET_paramLogBuffers 12
#define JET_paramLogCheckpointPeriod 14
#define JET_paramLogWaitingUserMax 15
#define JET_paramCommitDefault 16
#define JET_paramCircularLog 17
#define JET_paramDbExtensionSize 18
#define JET_paramPageTempDBMin 19
#define JET_paramPageFragment 20
#define JET_paramBatchIOBufferMax 22
#define JET_paramCacheSizeMax 23
#define JET_paramCheckpointDepthMax 24
#define JET_paramLRUKCorrInterval 25
#define JET_paramLRUKHistoryMax 26
#define JET_paramLRUKPolicy 27
#define JET_paramLRUKTimeout 28
#define JET_paramOutstandingIOMax 30
#define JET_paramStartFlushThreshold 31
#define JET_paramStopFlushThreshold 32
#define JET_paramRecovery 34
#define JET_paramEnableOnlineDefrag 35
#define JET_paramCacheSize 41
#define JET_paramCheckFormatWhenOpenFail 44
#define JET_paramEnableIndexChecking 45
#define JET_paramEnableTempTableVersioning 46
#define JET_paramIgnoreLogVersion 47
#define JET_paramDeleteOldLogs 48
#define JET_paramEventSourceKey 49
#define JET_paramNoInformationEvent 50
#define JET_paramDeleteOutOfRangeLogs 52
#define JET_paramAccessDeniedRetryPeriod 53
#define JET_paramEnableIndexCleanup 54
#define JET_paramCacheSizeMin 60
#define JET_paramPreferredVerPages 63
#define JET_paramDatabasePageSize 64
#define JET_paramDisableCallbacks 65
#define JET_paramLogFileCreateAsynch 69
#define JET_paramErrorToString 70
#define JET_paramZeroDatabaseDuringBackup 71
#define JET_paramCleanupMismatchedLogFiles 77
#define JET_paramRecordUpgradeDirtyLevel 78
#define JET_paramGlobalMinVerPages 81
#define JET_paramOSSnapshotTimeout 82
#define JET_paramExceptionAction 98
#define JET_paramCreatePathIfNotExist 100
#define JET_paramPageHintCacheSize 101
#define JET_paramOneDatabasePerSession 102
#define JET_paramMaxInstances 104
#define JET_paramVersionStoreTaskQueueMax 105
#define JET_paramDisablePerfmon 107
#define JET_paramIndexTuplesLengthMin 110
#define JET_paramIndexTuplesLengthMax 111
#define JET_paramIndexTuplesToIndexMax 112
#define JET_paramAlternateDatabaseRecoveryPath 113
#define JET_paramCachedClosedTables 125
#define JET_paramEnableFileCache 126
#define JET_paramEnableViewCache 127
#define JET_paramVerPageSize 128
#define JET_paramConfiguration 129
#define JET_paramEnableAdvanced 130
#define JET_paramMaxColtyp 131
#define JET_paramIndexTupleIncrement 132
#define JET_paramIndexTupleStart 133
#define JET_paramKeyMost 134
#define JET_paramCheckpointIOMax 135
#define JET_paramLegacyFileNames 136
#define JET_paramIOPriority 152
#define JET_paramWaypointLatency 153
#define JET_paramEnablePersistedCallbacks 156
#define JET_paramDefragmentSequentialBTrees 160
#define JET_paramDefragmentSequentialBTreesDensityCheckFrequency 161
#define JET_paramIOThrottlingTimeQuanta 162
#define JET_paramLVChunkSizeMost 163
#define JET_paramMaxCoalesceReadSize 164
#define JET_paramMaxCoalesceWriteSize 165
#define JET_paramMaxCoalesceReadGapSize 166
#define JET_paramMaxCoalesceWriteGapSize 167
/* END GENERATED */

/* BEGIN GENERATED: option bits and constants (the engine's JET_ definitions) */
#define JET_bitESE98FileNames 0x1
#define JET_bitEightDotThreeSoftCompat 0x2
#define JET_OnlineDefragDisable 0x0
#define JET_OnlineDefragAllOBSOLETE 0x1
#define JET_OnlineDefragDatabases 0x2
#define JET_OnlineDefragSpaceTrees 0x4
#define JET_OnlineDefragAll 0xffff
#define JET_ExceptionMsgBox 0x1
#define JET_ExceptionNone 0x2
#define JET_ExceptionFailFast 0x4
#define JET_bitReplayIgnoreMissingDB 0x4
#define JET_bitRecoveryWithoutUndo 0x8
#define JET_bitTruncateLogsAfterRecovery 0x10
#define JET_bitReplayMissingMapEntryDB 0x20
#define JET_bitLogStreamMustExist 0x40
#define JET_bitReplayIgnoreLostLogs 0x80
#define JET_coltypBit 1
#define JET_coltypUnsignedByte 2
#define JET_coltypShort 3
#define JET_coltypLong 4
#define JET_coltypCurrency 5
#define JET_coltypIEEESingle 6
#define JET_coltypIEEEDouble 7
#define JET_coltypDateTime 8
#define JET_coltypBinary 9
#define JET_coltypText 10
#define JET_coltypLongBinary 11
#define JET_coltypLongText 12
#define JET_coltypSLV 13
#define JET_coltypUnsignedLong 14
#define JET_coltypLongLong 15
#define JET_coltypGUID 16
#define JET_coltypUnsignedShort 17
#define JET_coltypUnsignedLongLong 18
#define JET_coltypMax 19
#define JET_dbstateJustCreated 1
#define JET_dbstateDirtyShutdown 2
#define JET_dbstateCleanShutdown 3
#define JET_dbstateBeingConverted 4
#define JET_dbstateForceDetach 5
#define JET_dbstateIncrementalReseedInProgress 6
#define JET_dbstateDirtyAndPatchedShutdown 7
#define JET_dbstateRevertInProgress 8
#define JET_filetypeUnknown 0
#define JET_filetypeDatabase 1
#define JET_filetypeStreamingFile 2
#define JET_filetypeLog 3
#define JET_filetypeCheckpoint 4
#define JET_filetypeTempDatabase 5
#define JET_filetypeFTL 6
#define JET_filetypeFlushMap 7
#define JET_filetypeCachedFile 8
#define JET_filetypeCachingFile 9
#define JET_filetypeSnapshot 10
#define JET_filetypeRBSRevertCheckpoint 11
#define JET_bitDbReadOnly 0x1
#define JET_bitDbExclusive 0x2
#define JET_bitDbDeleteCorruptIndexes 0x10
#define JET_bitDbRecoveryOff 0x8
#define JET_bitDbShadowingOff 0x80
#define JET_bitDbOverwriteExisting 0x200
#define JET_bitTableDenyWrite 0x1
#define JET_bitTableDenyRead 0x2
#define JET_bitTableReadOnly 0x4
#define JET_bitTableUpdatable 0x8
#define JET_bitTablePermitDDL 0x10
#define JET_bitTableNoCache 0x20
#define JET_bitTablePreread 0x40
#define JET_bitTableOpportuneRead 0x80
#define JET_bitTableSequential 0x8000
#define JET_bitTableCreateFixedDDL 0x1
#define JET_bitTableCreateTemplateTable 0x2
#define JET_bitTableCreateNoFixedVarColumnsInDerivedTables 0x4
#define JET_bitTableCreateImmutableStructure 0x8
#define JET_bitColumnFixed 0x1
#define JET_bitColumnTagged 0x2
#define JET_bitColumnNotNULL 0x4
#define JET_bitColumnVersion 0x8
#define JET_bitColumnAutoincrement 0x10
#define JET_bitColumnUpdatable 0x20
#define JET_bitColumnTTKey 0x40
#define JET_bitColumnTTDescending 0x80
#define JET_bitColumnMultiValued 0x400
#define JET_bitColumnEscrowUpdate 0x800
#define JET_bitColumnUnversioned 0x1000
#define JET_bitColumnMaybeNull 0x2000
#define JET_bitColumnFinalize 0x4000
#define JET_bitColumnUserDefinedDefault 0x8000
#define JET_bitColumnDeleteOnZero 0x20000
#define JET_bitColumnCompressed 0x80000
#define JET_bitIndexUnique 0x1
#define JET_bitIndexPrimary 0x2
#define JET_bitIndexDisallowNull 0x4
#define JET_bitIndexIgnoreNull 0x8
#define JET_bitIndexIgnoreAnyNull 0x20
#define JET_bitIndexIgnoreFirstNull 0x40
#define JET_bitIndexLazyFlush 0x80
#define JET_bitIndexEmpty 0x100
#define JET_bitIndexUnversioned 0x200
#define JET_bitIndexSortNullsHigh 0x400
#define JET_bitIndexUnicode 0x800
#define JET_bitIndexTuples 0x1000
#define JET_bitIndexTupleLimits 0x2000
#define JET_bitIndexCrossProduct 0x4000
#define JET_bitIndexKeyMost 0x8000
#define JET_bitIndexDisallowTruncation 0x10000
#define JET_bitIndexNestedTable 0x20000
#define JET_bitIndexDotNetGuid 0x40000
#define JET_bitIndexImmutableStructure 0x80000
#define JET_bitIndexColumnMustBeNull 0x1
#define JET_bitIndexColumnMustBeNonNull 0x2
#define JET_MoveFirst (-2147483647 - 1)
#define JET_MovePrevious (-1)
#define JET_MoveNext 1
#define JET_MoveLast 2147483647
#define JET_bitMoveKeyNE 0x1
#define JET_bitNewKey 0x1
#define JET_bitStrLimit 0x2
#define JET_bitSubStrLimit 0x4
#define JET_bitNormalizedKey 0x8
#define JET_bitKeyDataZeroLength 0x10
#define JET_bitFullColumnStartLimit 0x100
#define JET_bitFullColumnEndLimit 0x200
#define JET_bitPartialColumnStartLimit 0x400
#define JET_bitPartialColumnEndLimit 0x800
#define JET_bitSeekEQ 0x1
#define JET_bitSeekLT 0x2
#define JET_bitSeekLE 0x4
#define JET_bitSeekGE 0x8
#define JET_bitSeekGT 0x10
#define JET_bitSetIndexRange 0x20
#define JET_bitCheckUniqueness 0x40
#define JET_bitRangeInclusive 0x1
#define JET_bitRangeUpperLimit 0x2
#define JET_bitRangeInstantDuration 0x4
#define JET_bitRangeRemove 0x8
#define JET_bitMoveFirst 0x0
#define JET_bitNoMove 0x2
#define JET_prepInsert 0
#define JET_prepReplace 2
#define JET_prepCancel 3
#define JET_prepReplaceNoLock 4
#define JET_prepInsertCopy 5
#define JET_prepInsertCopyDeleteOriginal 7
#define JET_bitSetAppendLV 0x1
#define JET_bitSetOverwriteLV 0x4
#define JET_bitSetSizeLV 0x8
#define JET_bitSetZeroLength 0x20
#define JET_bitSetSeparateLV 0x40
#define JET_bitSetUniqueMultiValues 0x80
#define JET_bitSetUniqueNormalizedMultiValues 0x100
#define JET_bitSetRevertToDefaultValue 0x200
#define JET_bitSetIntrinsicLV 0x400
#define JET_bitSetUncompressed 0x10000
#define JET_bitSetCompressed 0x20000
#define JET_bitRetrieveCopy 0x1
#define JET_bitRetrieveFromIndex 0x2
#define JET_bitRetrieveFromPrimaryBookmark 0x4
#define JET_bitRetrieveTag 0x8
#define JET_bitRetrieveNull 0x10
#define JET_bitRetrieveIgnoreDefault 0x20
#define JET_bitEnumerateCopy 0x1
#define JET_bitEnumerateIgnoreDefault 0x20
#define JET_bitEnumerateLocal 0x10000
#define JET_bitEnumeratePresenceOnly 0x20000
#define JET_bitEnumerateTaggedOnly 0x40000
#define JET_bitEnumerateCompressOutput 0x80000
#define JET_bitEnumerateIgnoreUserDefinedDefault 0x100000
#define JET_bitEnumerateInRecordOnly 0x200000
#define JET_bitRecordSizeInCopyBuffer 0x1
#define JET_bitRecordSizeRunningTotal 0x2
#define JET_bitRecordSizeLocal 0x4
#define JET_bitRetrieveCopyKey 0x1
#define JET_bitForceDetach 0x1
#define JET_bitTransactionReadOnly 0x1
#define JET_bitCommitLazyFlush 0x1
#define JET_bitWaitLastLevel0Commit 0x2
#define JET_bitWaitAllLevel0Commit 0x8
#define JET_bitForceNewLog 0x10
#define JET_bitRollbackAll 0x1
#define JET_bitReadLock 0x1
#define JET_bitWriteLock 0x2
#define JET_bitEscrowNoRollback 0x1
#define JET_bitTermComplete 0x1
#define JET_bitTermAbrupt 0x2
#define JET_bitTermStopBackup 0x4
#define JET_bitTermDirty 0x8
#define JET_bitStopServiceAll 0x0
#define JET_bitStopServiceBackgroundUserTasks 0x2
#define JET_bitStopServiceQuiesceCaches 0x4
#define JET_bitStopServiceResume 0x80000000
#define JET_bitStopServiceStopAndEmitLog 0x8
#define JET_bitDefragmentBatchStart 0x1
#define JET_bitDefragmentBatchStop 0x2
#define JET_bitDefragmentAvailSpaceTreesOnly 0x40
#define JET_bitDefragmentNoPartialMerges 0x80
#define JET_bitDefragmentBTree 0x100
#define JET_cbtypNull 0x0
#define JET_cbtypFinalize 0x1
#define JET_cbtypBeforeInsert 0x2
#define JET_cbtypAfterInsert 0x4
#define JET_cbtypBeforeReplace 0x8
#define JET_cbtypAfterReplace 0x10
#define JET_cbtypBeforeDelete 0x20
#define JET_cbtypAfterDelete 0x40
#define JET_cbtypUserDefinedDefaultValue 0x80
#define JET_cbtypOnlineDefragCompleted 0x100
#define JET_cbtypFreeCursorLS 0x200
#define JET_cbtypFreeTableLS 0x400
#define JET_bitBackupIncremental 0x1
#define JET_bitBackupAtomic 0x4
#define JET_bitBackupFullWithAllLogs 0x8
#define JET_bitBackupSnapshot 0x10
#define JET_bitBackupSurrogate 0x20
#define JET_bitBackupEndNormal 0x1
#define JET_bitBackupEndAbort 0x2
#define JET_bitBackupTruncateDone 0x100
#define JET_bitBackupNoDbHeaderUpdate 0x200
#define JET_snpRestore 8
#define JET_snpBackup 9
#define JET_sntProgress 0
#define JET_sntFail 3
#define JET_sntBegin 5
#define JET_sntComplete 6
#define JET_ColInfo 0
#define JET_ColInfoList 1
#define JET_ColInfoSysTabCursor 3
#define JET_ColInfoBase 4
#define JET_ColInfoListCompact 5
#define JET_ColInfoByColid 6
#define JET_ColInfoListSortColumnid 7
#define JET_ColInfoBaseByColid 8
#define JET_ColInfoGrbitNonDerivedColumnsOnly 0x80000000
#define JET_ColInfoGrbitMinimalInfo 0x40000000
#define JET_ColInfoGrbitSortByColumnid 0x20000000
#define JET_bitKeyAscending 0x0
#define JET_bitKeyDescending 0x1
#define JET_IdxInfo 0
#define JET_IdxInfoList 1
#define JET_IdxInfoSysTabCursor 2
#define JET_IdxInfoOLC 3
#define JET_IdxInfoResetOLC 4
#define JET_IdxInfoSpaceAlloc 5
#define JET_IdxInfoLCID 6
#define JET_IdxInfoLangid 6
#define JET_IdxInfoCount 7
#define JET_IdxInfoVarSegMac 8
#define JET_IdxInfoIndexId 9
#define JET_IdxInfoKeyMost 10
#define JET_IdxInfoCreateIndex 11
#define JET_IdxInfoCreateIndex2 12
#define JET_IdxInfoCreateIndex3 13
#define JET_IdxInfoLocaleName 14
#define JET_TblInfo 0
#define JET_TblInfoName 1
#define JET_TblInfoDbid 2
#define JET_TblInfoMostMany 3
#define JET_TblInfoRvt 4
#define JET_TblInfoOLC 5
#define JET_TblInfoResetOLC 6
#define JET_TblInfoSpaceUsage 7
#define JET_TblInfoDumpTable 8
#define JET_TblInfoSpaceAlloc 9
#define JET_TblInfoSpaceOwned 10
#define JET_TblInfoSpaceAvailable 11
#define JET_TblInfoTemplateTableName 12
#define JET_DbInfoFilename 0
#define JET_DbInfoConnect 1
#define JET_DbInfoCountry 2
#define JET_DbInfoLCID 3
#define JET_DbInfoLangid 3
#define JET_DbInfoCp 4
#define JET_DbInfoCollate 5
#define JET_DbInfoOptions 6
#define JET_DbInfoTransactions 7
#define JET_DbInfoVersion 8
#define JET_DbInfoIsam 9
#define JET_DbInfoFilesize 10
#define JET_DbInfoSpaceOwned 11
#define JET_DbInfoSpaceAvailable 12
#define JET_DbInfoUpgrade 13
#define JET_DbInfoMisc 14
#define JET_DbInfoDBInUse 15
#define JET_DbInfoPageSize 17
#define JET_DbInfoFileType 19
#define JET_DbInfoFilesizeOnDisk 21
#define JET_ObjInfo 0
#define JET_ObjInfoListNoStats 1
#define JET_ObjInfoList 2
#define JET_ObjInfoSysTabCursor 3
#define JET_ObjInfoListACM 4
#define JET_ObjInfoNoStats 5
#define JET_ObjInfoSysTabReadOnly 6
#define JET_ObjInfoRulesLoaded 7
#define JET_objtypTable 1
#define JET_bitTableInfoUpdatable 0x1
#define JET_bitTableInfoBookmark 0x2
#define JET_bitTableInfoRollback 0x4
#define JET_bitObjectSystem 0x80000000
#define JET_bitObjectTableFixedDDL 0x40000000
#define JET_bitObjectTableTemplate 0x20000000
#define JET_bitObjectTableDerived 0x10000000
#define JET_bitObjectTableNoFixedVarColumnsInDerivedTables 0x4000000
/* END GENERATED */

/* Process and instances. */
JET_ERR JET_API JetGetVersion(JET_SESID sesid, JET_UINT32 *pwVersion);
JET_ERR JET_API JetCreateInstanceA(JET_INSTANCE *pinstance, JET_PCSTR szInstanceName);
JET_ERR JET_API JetCreateInstanceW(JET_INSTANCE *pinstance, JET_PCWSTR szInstanceName);
JET_ERR JET_API JetCreateInstance2A(JET_INSTANCE *pinstance, JET_PCSTR szInstanceName,
                                    JET_PCSTR szDisplayName, JET_GRBIT grbit);
JET_ERR JET_API JetCreateInstance2W(JET_INSTANCE *pinstance, JET_PCWSTR szInstanceName,
                                    JET_PCWSTR szDisplayName, JET_GRBIT grbit);
JET_ERR JET_API JetInit(JET_INSTANCE *pinstance);
JET_ERR JET_API JetInit2(JET_INSTANCE *pinstance, JET_GRBIT grbit);
JET_ERR JET_API JetTerm(JET_INSTANCE instance);
JET_ERR JET_API JetTerm2(JET_INSTANCE instance, JET_GRBIT grbit);
JET_ERR JET_API JetStopService(void);
JET_ERR JET_API JetStopServiceInstance(JET_INSTANCE instance);
JET_ERR JET_API JetStopServiceInstance2(JET_INSTANCE instance, const JET_GRBIT grbit);
JET_ERR JET_API JetStopBackup(void);
JET_ERR JET_API JetStopBackupInstance(JET_INSTANCE instance);
JET_ERR JET_API JetSetSystemParameterA(JET_INSTANCE *pinstance, JET_SESID sesid,
                                       JET_UINT32 paramid, JET_API_PTR lParam, JET_PCSTR szParam);
JET_ERR JET_API JetSetSystemParameterW(JET_INSTANCE *pinstance, JET_SESID sesid,
                                       JET_UINT32 paramid, JET_API_PTR lParam, JET_PCWSTR szParam);
JET_ERR JET_API JetGetSystemParameterA(JET_INSTANCE instance, JET_SESID sesid, JET_UINT32 paramid,
                                       JET_API_PTR *plParam, JET_PSTR szParam, JET_UINT32 cbMax);
JET_ERR JET_API JetGetSystemParameterW(JET_INSTANCE instance, JET_SESID sesid, JET_UINT32 paramid,
                                       JET_API_PTR *plParam, JET_PWSTR szParam, JET_UINT32 cbMax);

/* Sessions, transactions and databases. */
JET_ERR JET_API JetBeginSessionA(JET_INSTANCE instance, JET_SESID *psesid, JET_PCSTR szUserName,
                                 JET_PCSTR szPassword);
JET_ERR JET_API JetBeginSessionW(JET_INSTANCE instance, JET_SESID *psesid, JET_PCWSTR szUserName,
                                 JET_PCWSTR szPassword);
JET_ERR JET_API JetDupSession(JET_SESID sesid, JET_SESID *psesid);
JET_ERR JET_API JetEndSession(JET_SESID sesid, JET_GRBIT grbit);
JET_ERR JET_API JetBeginTransaction(JET_SESID sesid);
JET_ERR JET_API JetBeginTransaction2(JET_SESID sesid, JET_GRBIT grbit);
JET_ERR JET_API JetCommitTransaction(JET_SESID sesid, JET_GRBIT grbit);
JET_ERR JET_API JetRollback(JET_SESID sesid, JET_GRBIT grbit);
JET_ERR JET_API JetCreateDatabaseA(JET_SESID sesid, JET_PCSTR szFilename, JET_PCSTR szConnect,
                                   JET_DBID *pdbid, JET_GRBIT grbit);
JET_ERR JET_API JetCreateDatabaseW(JET_SESID sesid, JET_PCWSTR szFilename, JET_PCWSTR szConnect,
                                   JET_DBID *pdbid, JET_GRBIT grbit);
JET_ERR JET_API JetAttachDatabaseA(JET_SESID sesid, JET_PCSTR szFilename, JET_GRBIT grbit);
JET_ERR JET_API JetAttachDatabaseW(JET_SESID sesid, JET_PCWSTR szFilename, JET_GRBIT grbit);
JET_ERR JET_API JetDetachDatabaseA(JET_SESID sesid, JET_PCSTR szFilename);
JET_ERR JET_API JetDetachDatabaseW(JET_SESID sesid, JET_PCWSTR szFilename);
JET_ERR JET_API JetOpenDatabaseA(JET_SESID sesid, JET_PCSTR szFilename, JET_PCSTR szConnect,
                                 JET_DBID *pdbid, JET_GRBIT grbit);
JET_ERR JET_API JetOpenDatabaseW(JET_SESID sesid, JET_PCWSTR szFilename, JET_PCWSTR szConnect,
                                 JET_DBID *pdbid, JET_GRBIT grbit);
JET_ERR JET_API JetCloseDatabase(JET_SESID sesid, JET_DBID dbid, JET_GRBIT grbit);

/* Tables, columns and indexes. */
JET_ERR JET_API JetCreateTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName,
                                JET_UINT32 lPages, JET_UINT32 lDensity, JET_TABLEID *ptableid);
JET_ERR JET_API JetCreateTableW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName,
                                JET_UINT32 lPages, JET_UINT32 lDensity, JET_TABLEID *ptableid);
JET_ERR JET_API JetOpenTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName,
                              const void *pvParameters, JET_UINT32 cbParameters, JET_GRBIT grbit,
                              JET_TABLEID *ptableid);
JET_ERR JET_API JetOpenTableW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName,
                              const void *pvParameters, JET_UINT32 cbParameters, JET_GRBIT grbit,
                              JET_TABLEID *ptableid);
JET_ERR JET_API JetCloseTable(JET_SESID sesid, JET_TABLEID tableid);
JET_ERR JET_API JetAddColumnA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName,
                              const JET_COLUMNDEF *pcolumndef, const void *pvDefault,
                              JET_UINT32 cbDefault, JET_COLUMNID *pcolumnid);
JET_ERR JET_API JetAddColumnW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szColumnName,
                              const JET_COLUMNDEF *pcolumndef, const void *pvDefault,
                              JET_UINT32 cbDefault, JET_COLUMNID *pcolumnid);
JET_ERR JET_API JetCreateIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                JET_GRBIT grbit, const char *szKey, JET_UINT32 cbKey,
                                JET_UINT32 lDensity);
JET_ERR JET_API JetCreateIndexW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName,
                                JET_GRBIT grbit, const WCHAR *szKey, JET_UINT32 cbKey,
                                JET_UINT32 lDensity);

/* Cursors: navigation, seeks and ranges. */
JET_ERR JET_API JetSetCurrentIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName);
JET_ERR JET_API JetSetCurrentIndexW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName);
JET_ERR JET_API JetSetCurrentIndex2A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                     JET_GRBIT grbit);
JET_ERR JET_API JetSetCurrentIndex2W(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName,
                                     JET_GRBIT grbit);
JET_ERR JET_API JetMove(JET_SESID sesid, JET_TABLEID tableid, JET_INT32 cRow, JET_GRBIT grbit);
JET_ERR JET_API JetMakeKey(JET_SESID sesid, JET_TABLEID tableid, const void *pvData,
                           JET_UINT32 cbData, JET_GRBIT grbit);
JET_ERR JET_API JetSeek(JET_SESID sesid, JET_TABLEID tableid, JET_GRBIT grbit);
JET_ERR JET_API JetSetIndexRange(JET_SESID sesid, JET_TABLEID tableidSrc, JET_GRBIT grbit);
JET_ERR JET_API JetGetBookmark(JET_SESID sesid, JET_TABLEID tableid, void *pvBookmark,
                               JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetGotoBookmark(JET_SESID sesid, JET_TABLEID tableid, void *pvBookmark,
                                JET_UINT32 cbBookmark);

/* Cursors: updates and retrieval. */
JET_ERR JET_API JetPrepareUpdate(JET_SESID sesid, JET_TABLEID tableid, JET_UINT32 prep);
JET_ERR JET_API JetSetColumn(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                             const void *pvData, JET_UINT32 cbData, JET_GRBIT grbit,
                             JET_SETINFO *psetinfo);
JET_ERR JET_API JetUpdate(JET_SESID sesid, JET_TABLEID tableid, void *pvBookmark,
                          JET_UINT32 cbBookmark, JET_UINT32 *pcbActual);
JET_ERR JET_API JetDelete(JET_SESID sesid, JET_TABLEID tableid);
JET_ERR JET_API JetRetrieveColumn(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                                  void *pvData, JET_UINT32 cbData, JET_UINT32 *pcbActual,
                                  JET_GRBIT grbit, JET_RETINFO *pretinfo);

/* Streaming backup. */
JET_ERR JET_API JetBeginExternalBackupInstance(JET_INSTANCE instance, JET_GRBIT grbit);
JET_ERR JET_API JetGetAttachInfoInstanceA(JET_INSTANCE instance, JET_PSTR szzDatabases,
                                          JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetGetAttachInfoInstanceW(JET_INSTANCE instance, JET_PWSTR szzDatabases,
                                          JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetOpenFileInstanceA(JET_INSTANCE instance, JET_PCSTR szFileName,
                                     JET_HANDLE *phfFile, JET_UINT32 *pulFileSizeLow,
                                     JET_UINT32 *pulFileSizeHigh);
JET_ERR JET_API JetOpenFileInstanceW(JET_INSTANCE instance, JET_PCWSTR szFileName,
                                     JET_HANDLE *phfFile, JET_UINT32 *pulFileSizeLow,
                                     JET_UINT32 *pulFileSizeHigh);
JET_ERR JET_API JetReadFileInstance(JET_INSTANCE instance, JET_HANDLE hfFile, void *pv,
                                    JET_UINT32 cb, JET_UINT32 *pcbActual);
JET_ERR JET_API JetCloseFileInstance(JET_INSTANCE instance, JET_HANDLE hfFile);
JET_ERR JET_API JetGetLogInfoInstanceA(JET_INSTANCE instance, JET_PSTR szzLogs, JET_UINT32 cbMax,
                                       JET_UINT32 *pcbActual);
JET_ERR JET_API JetGetLogInfoInstanceW(JET_INSTANCE instance, JET_PWSTR wszzLogs,
                                       JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetGetTruncateLogInfoInstanceA(JET_INSTANCE instance, JET_PSTR szzLogs,
                                               JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetGetTruncateLogInfoInstanceW(JET_INSTANCE instance, JET_PWSTR wszzLogs,
                                               JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetTruncateLogInstance(JET_INSTANCE instance);
JET_ERR JET_API JetEndExternalBackupInstance(JET_INSTANCE instance);
JET_ERR JET_API JetEndExternalBackupInstance2(JET_INSTANCE instance, JET_GRBIT grbit);

/* Schema changes by name. */
JET_ERR JET_API JetDeleteTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName);
JET_ERR JET_API JetDeleteTableW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName);
JET_ERR JET_API JetRenameTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szName, JET_PCSTR szNameNew);
JET_ERR JET_API JetRenameTableW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szName,
                                JET_PCWSTR szNameNew);
JET_ERR JET_API JetDeleteColumnA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName);
JET_ERR JET_API JetDeleteColumnW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szColumnName);
JET_ERR JET_API JetDeleteColumn2A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName,
                                  const JET_GRBIT grbit);
JET_ERR JET_API JetDeleteColumn2W(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szColumnName,
                                  const JET_GRBIT grbit);
JET_ERR JET_API JetRenameColumnA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szName,
                                 JET_PCSTR szNameNew, JET_GRBIT grbit);
JET_ERR JET_API JetRenameColumnW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szName,
                                 JET_PCWSTR szNameNew, JET_GRBIT grbit);
JET_ERR JET_API JetDeleteIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName);
JET_ERR JET_API JetDeleteIndexW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName);
JET_ERR JET_API JetGetCurrentIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PSTR szIndexName,
                                    JET_UINT32 cbIndexName);
JET_ERR JET_API JetGetCurrentIndexW(JET_SESID sesid, JET_TABLEID tableid, JET_PWSTR szIndexName,
                                    JET_UINT32 cbIndexName);

/* More of a cursor's calls. */
JET_ERR JET_API JetRetrieveColumns(JET_SESID sesid, JET_TABLEID tableid,
                                   JET_RETRIEVECOLUMN *pretrievecolumn,
                                   JET_UINT32 cretrievecolumn);
JET_ERR JET_API JetSetColumns(JET_SESID sesid, JET_TABLEID tableid, JET_SETCOLUMN *psetcolumn,
                              JET_UINT32 csetcolumn);
JET_ERR JET_API JetEscrowUpdate(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                                void *pv, JET_UINT32 cbMax, void *pvOld, JET_UINT32 cbOldMax,
                                JET_UINT32 *pcbOldActual, JET_GRBIT grbit);
JET_ERR JET_API JetRetrieveKey(JET_SESID sesid, JET_TABLEID tableid, void *pvKey, JET_UINT32 cbMax,
                               JET_UINT32 *pcbActual, JET_GRBIT grbit);
JET_ERR JET_API JetDupCursor(JET_SESID sesid, JET_TABLEID tableid, JET_TABLEID *ptableid,
                             JET_GRBIT grbit);
JET_ERR JET_API JetIndexRecordCount(JET_SESID sesid, JET_TABLEID tableid, JET_UINT32 *pcrec,
                                    JET_UINT32 crecMax);
JET_ERR JET_API JetGetRecordPosition(JET_SESID sesid, JET_TABLEID tableid, JET_RECPOS *precpos,
                                     JET_UINT32 cbRecpos);
JET_ERR JET_API JetGotoPosition(JET_SESID sesid, JET_TABLEID tableid, JET_RECPOS *precpos);
JET_ERR JET_API JetGetLock(JET_SESID sesid, JET_TABLEID tableid, JET_GRBIT grbit);
JET_ERR JET_API JetGetSecondaryIndexBookmark(JET_SESID sesid, JET_TABLEID tableid,
                                             void *pvSecondaryKey, JET_UINT32 cbSecondaryKeyMax,
                                             JET_UINT32 *pcbSecondaryKeyActual,
                                             void *pvPrimaryBookmark,
                                             JET_UINT32 cbPrimaryBookmarkMax,
                                             JET_UINT32 *pcbPrimaryBookmarkActual,
                                             const JET_GRBIT grbit);
JET_ERR JET_API JetGotoSecondaryIndexBookmark(JET_SESID sesid, JET_TABLEID tableid,
                                              void *pvSecondaryKey, JET_UINT32 cbSecondaryKey,
                                              void *pvPrimaryBookmark,
                                              JET_UINT32 cbPrimaryBookmark,
                                              const JET_GRBIT grbit);

/* Session contexts and transactions with an id. */
JET_ERR JET_API JetBeginTransaction3(JET_SESID sesid, int64_t trxid, JET_GRBIT grbit);
JET_ERR JET_API JetSetSessionContext(JET_SESID sesid, JET_API_PTR ulContext);
JET_ERR JET_API JetResetSessionContext(JET_SESID sesid);

/* Tables with their columns and indexes; several indexes at once. */
JET_ERR JET_API JetCreateTableColumnIndexA(JET_SESID sesid, JET_DBID dbid,
                                           JET_TABLECREATE_A *ptablecreate);
JET_ERR JET_API JetCreateTableColumnIndexW(JET_SESID sesid, JET_DBID dbid,
                                           JET_TABLECREATE_W *ptablecreate);
JET_ERR JET_API JetCreateIndex2A(JET_SESID sesid, JET_TABLEID tableid,
                                 JET_INDEXCREATE_A *pindexcreate, JET_UINT32 cIndexCreate);
JET_ERR JET_API JetCreateIndex2W(JET_SESID sesid, JET_TABLEID tableid,
                                 JET_INDEXCREATE_W *pindexcreate, JET_UINT32 cIndexCreate);

/* Backup into a directory and restore. */
JET_ERR JET_API JetBackupInstanceA(JET_INSTANCE instance, JET_PCSTR szBackupPath, JET_GRBIT grbit,
                                   JET_PFNSTATUS pfnStatus);
JET_ERR JET_API JetBackupInstanceW(JET_INSTANCE instance, JET_PCWSTR szBackupPath,
                                   JET_GRBIT grbit, JET_PFNSTATUS pfnStatus);
JET_ERR JET_API JetBackupA(JET_PCSTR szBackupPath, JET_GRBIT grbit, JET_PFNSTATUS pfnStatus);
JET_ERR JET_API JetBackupW(JET_PCWSTR szBackupPath, JET_GRBIT grbit, JET_PFNSTATUS pfnStatus);
JET_ERR JET_API JetRestoreInstanceA(JET_INSTANCE instance, JET_PCSTR sz, JET_PCSTR szDestination,
                                    JET_PFNSTATUS pfn);
JET_ERR JET_API JetRestoreInstanceW(JET_INSTANCE instance, JET_PCWSTR sz,
                                    JET_PCWSTR szDestination, JET_PFNSTATUS pfn);
JET_ERR JET_API JetRestoreA(JET_PCSTR sz, JET_PFNSTATUS pfn);
JET_ERR JET_API JetRestoreW(JET_PCWSTR sz, JET_PFNSTATUS pfn);
JET_ERR JET_API JetRestore2A(JET_PCSTR sz, JET_PCSTR szDest, JET_PFNSTATUS pfn);
JET_ERR JET_API JetRestore2W(JET_PCWSTR sz, JET_PCWSTR szDest, JET_PFNSTATUS pfn);

/* The legacy instance's streaming backup, external restore, and the rest
 * of the process, transaction, record and maintenance calls. */
JET_ERR JET_API JetBeginExternalBackup(JET_GRBIT grbit);
JET_ERR JET_API JetGetAttachInfoA(JET_PSTR szzDatabases, JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetGetAttachInfoW(JET_PWSTR wszzDatabases, JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetOpenFileA(JET_PCSTR szFileName, JET_HANDLE *phfFile, JET_UINT32 *pulFileSizeLow, JET_UINT32 *pulFileSizeHigh);
JET_ERR JET_API JetOpenFileW(JET_PCWSTR szFileName, JET_HANDLE *phfFile, JET_UINT32 *pulFileSizeLow, JET_UINT32 *pulFileSizeHigh);
JET_ERR JET_API JetReadFile(JET_HANDLE hfFile, void *pv, JET_UINT32 cb, JET_UINT32 *pcbActual);
JET_ERR JET_API JetCloseFile(JET_HANDLE hfFile);
JET_ERR JET_API JetGetLogInfoA(JET_PSTR szzLogs, JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetGetLogInfoW(JET_PWSTR szzLogs, JET_UINT32 cbMax, JET_UINT32 *pcbActual);
JET_ERR JET_API JetTruncateLog(void);
JET_ERR JET_API JetEndExternalBackup(void);
JET_ERR JET_API JetGetLogInfoInstance2A(JET_INSTANCE instance, JET_PSTR szzLogs, JET_UINT32 cbMax, JET_UINT32 *pcbActual, JET_LOGINFO_A *pLogInfo);
JET_ERR JET_API JetGetLogInfoInstance2W(JET_INSTANCE instance, JET_PWSTR wszzLogs, JET_UINT32 cbMax, JET_UINT32 *pcbActual, JET_LOGINFO_W *pLogInfo);
JET_ERR JET_API JetExternalRestoreA(JET_PSTR szCheckpointFilePath, JET_PSTR szLogPath, JET_RSTMAP_A *rgrstmap, JET_INT32 crstfilemap, JET_PSTR szBackupLogPath, JET_INT32 genLow, JET_INT32 genHigh, JET_PFNSTATUS pfn);
JET_ERR JET_API JetExternalRestoreW(JET_PWSTR szCheckpointFilePath, JET_PWSTR szLogPath, JET_RSTMAP_W *rgrstmap, JET_INT32 crstfilemap, JET_PWSTR szBackupLogPath, JET_INT32 genLow, JET_INT32 genHigh, JET_PFNSTATUS pfn);
JET_ERR JET_API JetExternalRestore2A(JET_PSTR szCheckpointFilePath, JET_PSTR szLogPath, JET_RSTMAP_A *rgrstmap, JET_INT32 crstfilemap, JET_PSTR szBackupLogPath, JET_LOGINFO_A *pLogInfo, JET_PSTR szTargetInstanceName, JET_PSTR szTargetInstanceLogPath, JET_PSTR szTargetInstanceCheckpointPath, JET_PFNSTATUS pfn);
JET_ERR JET_API JetExternalRestore2W(JET_PWSTR szCheckpointFilePath, JET_PWSTR szLogPath, JET_RSTMAP_W *rgrstmap, JET_INT32 crstfilemap, JET_PWSTR szBackupLogPath, JET_LOGINFO_W *pLogInfo, JET_PWSTR szTargetInstanceName, JET_PWSTR szTargetInstanceLogPath, JET_PWSTR szTargetInstanceCheckpointPath, JET_PFNSTATUS pfn);
JET_ERR JET_API JetCommitTransaction2(JET_SESID sesid, JET_GRBIT grbit, JET_UINT32 cmsecDurableCommit, JET_COMMIT_ID *pCommitId);
JET_ERR JET_API JetEnableMultiInstanceA(JET_SETSYSPARAM_A *psetsysparam, JET_UINT32 csetsysparam, JET_UINT32 *pcsetsucceed);
JET_ERR JET_API JetEnableMultiInstanceW(JET_SETSYSPARAM_W *psetsysparam, JET_UINT32 csetsysparam, JET_UINT32 *pcsetsucceed);
JET_ERR JET_API JetInit3A(JET_INSTANCE *pinstance, JET_RSTINFO_A *prstInfo, JET_GRBIT grbit);
JET_ERR JET_API JetInit3W(JET_INSTANCE *pinstance, JET_RSTINFO_W *prstInfo, JET_GRBIT grbit);
JET_ERR JET_API JetGetInstanceInfoA(JET_UINT32 *pcInstanceInfo, JET_INSTANCE_INFO_A **paInstanceInfo);
JET_ERR JET_API JetGetInstanceInfoW(JET_UINT32 *pcInstanceInfo, JET_INSTANCE_INFO_W **paInstanceInfo);
JET_ERR JET_API JetFreeBuffer(char *pbBuf);
JET_ERR JET_API JetGetRecordSize(JET_SESID sesid, JET_TABLEID tableid, JET_RECSIZE *precsize, const JET_GRBIT grbit);
JET_ERR JET_API JetEnumerateColumns(JET_SESID sesid, JET_TABLEID tableid, JET_UINT32 cEnumColumnId, JET_ENUMCOLUMNID *rgEnumColumnId, JET_UINT32 *pcEnumColumn, JET_ENUMCOLUMN **prgEnumColumn, JET_PFNREALLOC pfnRealloc, void *pvReallocContext, JET_UINT32 cbDataMost, JET_GRBIT grbit);
JET_ERR JET_API JetDefragmentA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName, JET_UINT32 *pcPasses, JET_UINT32 *pcSeconds, JET_GRBIT grbit);
JET_ERR JET_API JetDefragmentW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName, JET_UINT32 *pcPasses, JET_UINT32 *pcSeconds, JET_GRBIT grbit);
JET_ERR JET_API JetDefragment2A(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName, JET_UINT32 *pcPasses, JET_UINT32 *pcSeconds, JET_CALLBACK callback, JET_GRBIT grbit);
JET_ERR JET_API JetDefragment2W(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName, JET_UINT32 *pcPasses, JET_UINT32 *pcSeconds, JET_CALLBACK callback, JET_GRBIT grbit);

/* Schema and database information. The list levels (JET_ColInfoList,
 * JET_IdxInfoList, JET_ObjInfoList) return a table in the structure's
 * tableid: move over it with JetMove, read it with JetRetrieveColumn(s),
 * close it with JetCloseTable. */
JET_ERR JET_API JetGetTableColumnInfoA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName,
                                       void *pvResult, JET_UINT32 cbMax, JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetTableColumnInfoW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szColumnName,
                                       void *pvResult, JET_UINT32 cbMax, JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetColumnInfoA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName,
                                  JET_PCSTR pColumnNameOrId, void *pvResult, JET_UINT32 cbMax,
                                  JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetColumnInfoW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName,
                                  JET_PCWSTR pwColumnNameOrId, void *pvResult, JET_UINT32 cbMax,
                                  JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetTableIndexInfoA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                      void *pvResult, JET_UINT32 cbResult, JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetTableIndexInfoW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName,
                                      void *pvResult, JET_UINT32 cbResult, JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetIndexInfoA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName,
                                 JET_PCSTR szIndexName, void *pvResult, JET_UINT32 cbResult,
                                 JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetIndexInfoW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName,
                                 JET_PCWSTR szIndexName, void *pvResult, JET_UINT32 cbResult,
                                 JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetTableInfoA(JET_SESID sesid, JET_TABLEID tableid, void *pvResult,
                                 JET_UINT32 cbMax, JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetTableInfoW(JET_SESID sesid, JET_TABLEID tableid, void *pvResult,
                                 JET_UINT32 cbMax, JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetObjectInfoA(JET_SESID sesid, JET_DBID dbid, JET_OBJTYP objtyp,
                                  JET_PCSTR szContainerName, JET_PCSTR szObjectName,
                                  void *pvResult, JET_UINT32 cbMax, JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetObjectInfoW(JET_SESID sesid, JET_DBID dbid, JET_OBJTYP objtyp,
                                  JET_PCWSTR szContainerName, JET_PCWSTR szObjectName,
                                  void *pvResult, JET_UINT32 cbMax, JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetDatabaseInfoA(JET_SESID sesid, JET_DBID dbid, void *pvResult,
                                    JET_UINT32 cbMax, JET_UINT32 InfoLevel);
JET_ERR JET_API JetGetDatabaseInfoW(JET_SESID sesid, JET_DBID dbid, void *pvResult,
                                    JET_UINT32 cbMax, JET_UINT32 InfoLevel);

#ifdef JET_UNICODE
#define JetCreateInstance JetCreateInstanceW
#define JetCreateInstance2 JetCreateInstance2W
#define JetSetSystemParameter JetSetSystemParameterW
#define JetGetSystemParameter JetGetSystemParameterW
#define JetBeginSession JetBeginSessionW
#define JetCreateDatabase JetCreateDatabaseW
#define JetAttachDatabase JetAttachDatabaseW
#define JetDetachDatabase JetDetachDatabaseW
#define JetOpenDatabase JetOpenDatabaseW
#define JetCreateTable JetCreateTableW
#define JetOpenTable JetOpenTableW
#define JetAddColumn JetAddColumnW
#define JetCreateIndex JetCreateIndexW
#define JetSetCurrentIndex JetSetCurrentIndexW
#define JetSetCurrentIndex2 JetSetCurrentIndex2W
#define JetGetAttachInfoInstance JetGetAttachInfoInstanceW
#define JetOpenFileInstance JetOpenFileInstanceW
#define JetGetLogInfoInstance JetGetLogInfoInstanceW
#define JetGetTruncateLogInfoInstance JetGetTruncateLogInfoInstanceW
#define JetDeleteTable JetDeleteTableW
#define JetRenameTable JetRenameTableW
#define JetDeleteColumn JetDeleteColumnW
#define JetDeleteColumn2 JetDeleteColumn2W
#define JetRenameColumn JetRenameColumnW
#define JetDeleteIndex JetDeleteIndexW
#define JetGetCurrentIndex JetGetCurrentIndexW
#define JetRestore2 JetRestore2W
#define JetRestore JetRestoreW
#define JetRestoreInstance JetRestoreInstanceW
#define JetBackup JetBackupW
#define JetBackupInstance JetBackupInstanceW
#define JetCreateIndex2 JetCreateIndex2W
#define JetCreateTableColumnIndex JetCreateTableColumnIndexW
#define JetDefragment JetDefragmentW
#define JetDefragment2 JetDefragment2W
#define JetGetTableColumnInfo JetGetTableColumnInfoW
#define JetGetColumnInfo JetGetColumnInfoW
#define JetGetTableIndexInfo JetGetTableIndexInfoW
#define JetGetIndexInfo JetGetIndexInfoW
#define JetGetTableInfo JetGetTableInfoW
#define JetGetObjectInfo JetGetObjectInfoW
#define JetGetDatabaseInfo JetGetDatabaseInfoW
#define JetEnableMultiInstance JetEnableMultiInstanceW
#define JetExternalRestore JetExternalRestoreW
#define JetExternalRestore2 JetExternalRestore2W
#define JetGetAttachInfo JetGetAttachInfoW
#define JetGetInstanceInfo JetGetInstanceInfoW
#define JetGetLogInfo JetGetLogInfoW
#define JetGetLogInfoInstance2 JetGetLogInfoInstance2W
#define JetInit3 JetInit3W
#define JetOpenFile JetOpenFileW
#else
#define JetCreateInstance JetCreateInstanceA
#define JetCreateInstance2 JetCreateInstance2A
#define JetSetSystemParameter JetSetSystemParameterA
#define JetGetSystemParameter JetGetSystemParameterA
#define JetBeginSession JetBeginSessionA
#define JetCreateDatabase JetCreateDatabaseA
#define JetAttachDatabase JetAttachDatabaseA
#define JetDetachDatabase JetDetachDatabaseA
#define JetOpenDatabase JetOpenDatabaseA
#define JetCreateTable JetCreateTableA
#define JetOpenTable JetOpenTableA
#define JetAddColumn JetAddColumnA
#define JetCreateIndex JetCreateIndexA
#define JetSetCurrentIndex JetSetCurrentIndexA
#define JetSetCurrentIndex2 JetSetCurrentIndex2A
#define JetGetAttachInfoInstance JetGetAttachInfoInstanceA
#define JetOpenFileInstance JetOpenFileInstanceA
#define JetGetLogInfoInstance JetGetLogInfoInstanceA
#define JetGetTruncateLogInfoInstance JetGetTruncateLogInfoInstanceA
#define JetDeleteTable JetDeleteTableA
#define JetRenameTable JetRenameTableA
#define JetDeleteColumn JetDeleteColumnA
#define JetDeleteColumn2 JetDeleteColumn2A
#define JetRenameColumn JetRenameColumnA
#define JetDeleteIndex JetDeleteIndexA
#define JetGetCurrentIndex JetGetCurrentIndexA
#define JetRestore2 JetRestore2A
#define JetRestore JetRestoreA
#define JetRestoreInstance JetRestoreInstanceA
#define JetBackup JetBackupA
#define JetBackupInstance JetBackupInstanceA
#define JetCreateIndex2 JetCreateIndex2A
#define JetCreateTableColumnIndex JetCreateTableColumnIndexA
#define JetDefragment JetDefragmentA
#define JetDefragment2 JetDefragment2A
#define JetGetTableColumnInfo JetGetTableColumnInfoA
#define JetGetColumnInfo JetGetColumnInfoA
#define JetGetTableIndexInfo JetGetTableIndexInfoA
#define JetGetIndexInfo JetGetIndexInfoA
#define JetGetTableInfo JetGetTableInfoA
#define JetGetObjectInfo JetGetObjectInfoA
#define JetGetDatabaseInfo JetGetDatabaseInfoA
#define JetEnableMultiInstance JetEnableMultiInstanceA
#define JetExternalRestore JetExternalRestoreA
#define JetExternalRestore2 JetExternalRestore2A
#define JetGetAttachInfo JetGetAttachInfoA
#define JetGetInstanceInfo JetGetInstanceInfoA
#define JetGetLogInfo JetGetLogInfoA
#define JetGetLogInfoInstance2 JetGetLogInfoInstance2A
#define JetInit3 JetInit3A
#define JetOpenFile JetOpenFileA
#endif

#ifdef __cplusplus
}
#endif

/*
 * `unsigned long *` out-parameters. ESENT declares these sizes `unsigned
 * long`, which is 64-bit on LP64 Linux; the library writes 32 bits. These
 * adaptors let a program's `unsigned long` variables work unchanged: the
 * value goes through a 32-bit temporary.
 */
#if !defined(JET_NO_LONG_ADAPTORS)
#if defined(__cplusplus)
/* The overloads below are templates that only `unsigned long` satisfies,
 * so that NULL (or 0) for the out-parameter still picks the library's own
 * function rather than being ambiguous. */
template <typename T> struct jet_ulong_only_ {};
template <> struct jet_ulong_only_<unsigned long> { typedef JET_ERR ret; };
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetVersion(JET_SESID sesid, T *pwVersion)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetGetVersion(sesid, pwVersion ? &value : (JET_UINT32 *)0);
    if (pwVersion) *pwVersion = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetBookmark(JET_SESID sesid, JET_TABLEID tableid, void *pvBookmark,
                              JET_UINT32 cbMax, T *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetGetBookmark(sesid, tableid, pvBookmark, cbMax,
                                 pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetUpdate(JET_SESID sesid, JET_TABLEID tableid, void *pvBookmark,
                         JET_UINT32 cbBookmark, T *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetUpdate(sesid, tableid, pvBookmark, cbBookmark,
                            pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetRetrieveColumn(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                                 void *pvData, JET_UINT32 cbData, T *pcbActual,
                                 JET_GRBIT grbit, JET_RETINFO *pretinfo)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetRetrieveColumn(sesid, tableid, columnid, pvData, cbData,
                                    pcbActual ? &value : (JET_UINT32 *)0, grbit, pretinfo);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetAttachInfoInstanceA(JET_INSTANCE instance, JET_PSTR szz, JET_UINT32 cbMax,
                       T *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetGetAttachInfoInstanceA(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetAttachInfoInstanceW(JET_INSTANCE instance, JET_PWSTR szz, JET_UINT32 cbMax,
                       T *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetGetAttachInfoInstanceW(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetLogInfoInstanceA(JET_INSTANCE instance, JET_PSTR szz, JET_UINT32 cbMax,
                       T *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetGetLogInfoInstanceA(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetLogInfoInstanceW(JET_INSTANCE instance, JET_PWSTR szz, JET_UINT32 cbMax,
                       T *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetGetLogInfoInstanceW(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetTruncateLogInfoInstanceA(JET_INSTANCE instance, JET_PSTR szz, JET_UINT32 cbMax,
                       T *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetGetTruncateLogInfoInstanceA(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetTruncateLogInfoInstanceW(JET_INSTANCE instance, JET_PWSTR szz, JET_UINT32 cbMax,
                       T *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetGetTruncateLogInfoInstanceW(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetOpenFileInstanceA(JET_INSTANCE instance, JET_PCSTR szFileName, JET_HANDLE *phfFile,
                       T *pulFileSizeLow, T *pulFileSizeHigh)
{
    JET_UINT32 low = 0, high = 0;
    JET_ERR err = JetOpenFileInstanceA(instance, szFileName, phfFile, pulFileSizeLow ? &low : (JET_UINT32 *)0,
                        pulFileSizeHigh ? &high : (JET_UINT32 *)0);
    if (pulFileSizeLow) *pulFileSizeLow = low;
    if (pulFileSizeHigh) *pulFileSizeHigh = high;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetOpenFileInstanceW(JET_INSTANCE instance, JET_PCWSTR szFileName, JET_HANDLE *phfFile,
                       T *pulFileSizeLow, T *pulFileSizeHigh)
{
    JET_UINT32 low = 0, high = 0;
    JET_ERR err = JetOpenFileInstanceW(instance, szFileName, phfFile, pulFileSizeLow ? &low : (JET_UINT32 *)0,
                        pulFileSizeHigh ? &high : (JET_UINT32 *)0);
    if (pulFileSizeLow) *pulFileSizeLow = low;
    if (pulFileSizeHigh) *pulFileSizeHigh = high;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetReadFileInstance(JET_INSTANCE instance, JET_HANDLE hfFile, void *pv, JET_UINT32 cb,
                       T *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = JetReadFileInstance(instance, hfFile, pv, cb, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetEscrowUpdate(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid, void *pv, JET_UINT32 cbMax, void *pvOld, JET_UINT32 cbOldMax, T *pcbOldActual, JET_GRBIT grbit)
{
    JET_UINT32 pcbOldActual_value = 0;
    JET_ERR err = JetEscrowUpdate(sesid, tableid, columnid, pv, cbMax, pvOld, cbOldMax, pcbOldActual ? &pcbOldActual_value : (JET_UINT32 *)0, grbit);
    if (pcbOldActual) *pcbOldActual = pcbOldActual_value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetRetrieveKey(JET_SESID sesid, JET_TABLEID tableid, void *pvKey, JET_UINT32 cbMax, T *pcbActual, JET_GRBIT grbit)
{
    JET_UINT32 pcbActual_value = 0;
    JET_ERR err = JetRetrieveKey(sesid, tableid, pvKey, cbMax, pcbActual ? &pcbActual_value : (JET_UINT32 *)0, grbit);
    if (pcbActual) *pcbActual = pcbActual_value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetIndexRecordCount(JET_SESID sesid, JET_TABLEID tableid, T *pcrec, JET_UINT32 crecMax)
{
    JET_UINT32 pcrec_value = 0;
    JET_ERR err = JetIndexRecordCount(sesid, tableid, pcrec ? &pcrec_value : (JET_UINT32 *)0, crecMax);
    if (pcrec) *pcrec = pcrec_value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetSecondaryIndexBookmark(JET_SESID sesid, JET_TABLEID tableid, void *pvSecondaryKey, JET_UINT32 cbSecondaryKeyMax, T *pcbSecondaryKeyActual, void *pvPrimaryBookmark, JET_UINT32 cbPrimaryBookmarkMax, T *pcbPrimaryBookmarkActual, const JET_GRBIT grbit)
{
    JET_UINT32 pcbSecondaryKeyActual_value = 0;
    JET_UINT32 pcbPrimaryBookmarkActual_value = 0;
    JET_ERR err = JetGetSecondaryIndexBookmark(sesid, tableid, pvSecondaryKey, cbSecondaryKeyMax, pcbSecondaryKeyActual ? &pcbSecondaryKeyActual_value : (JET_UINT32 *)0, pvPrimaryBookmark, cbPrimaryBookmarkMax, pcbPrimaryBookmarkActual ? &pcbPrimaryBookmarkActual_value : (JET_UINT32 *)0, grbit);
    if (pcbSecondaryKeyActual) *pcbSecondaryKeyActual = pcbSecondaryKeyActual_value;
    if (pcbPrimaryBookmarkActual) *pcbPrimaryBookmarkActual = pcbPrimaryBookmarkActual_value;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetAttachInfoA(JET_PSTR szzDatabases, JET_UINT32 cbMax, T *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = JetGetAttachInfoA(szzDatabases, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetAttachInfoW(JET_PWSTR wszzDatabases, JET_UINT32 cbMax, T *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = JetGetAttachInfoW(wszzDatabases, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetOpenFileA(JET_PCSTR szFileName, JET_HANDLE *phfFile, T *pulFileSizeLow, T *pulFileSizeHigh)
{
    JET_UINT32 pulFileSizeLow_ = 0;
    JET_UINT32 pulFileSizeHigh_ = 0;
    JET_ERR err = JetOpenFileA(szFileName, phfFile, pulFileSizeLow ? &pulFileSizeLow_ : (JET_UINT32 *)0, pulFileSizeHigh ? &pulFileSizeHigh_ : (JET_UINT32 *)0);
    if (pulFileSizeLow) *pulFileSizeLow = pulFileSizeLow_;
    if (pulFileSizeHigh) *pulFileSizeHigh = pulFileSizeHigh_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetOpenFileW(JET_PCWSTR szFileName, JET_HANDLE *phfFile, T *pulFileSizeLow, T *pulFileSizeHigh)
{
    JET_UINT32 pulFileSizeLow_ = 0;
    JET_UINT32 pulFileSizeHigh_ = 0;
    JET_ERR err = JetOpenFileW(szFileName, phfFile, pulFileSizeLow ? &pulFileSizeLow_ : (JET_UINT32 *)0, pulFileSizeHigh ? &pulFileSizeHigh_ : (JET_UINT32 *)0);
    if (pulFileSizeLow) *pulFileSizeLow = pulFileSizeLow_;
    if (pulFileSizeHigh) *pulFileSizeHigh = pulFileSizeHigh_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetReadFile(JET_HANDLE hfFile, void *pv, JET_UINT32 cb, T *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = JetReadFile(hfFile, pv, cb, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetLogInfoA(JET_PSTR szzLogs, JET_UINT32 cbMax, T *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = JetGetLogInfoA(szzLogs, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetLogInfoW(JET_PWSTR szzLogs, JET_UINT32 cbMax, T *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = JetGetLogInfoW(szzLogs, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetLogInfoInstance2A(JET_INSTANCE instance, JET_PSTR szzLogs, JET_UINT32 cbMax, T *pcbActual, JET_LOGINFO_A *pLogInfo)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = JetGetLogInfoInstance2A(instance, szzLogs, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0, pLogInfo);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetLogInfoInstance2W(JET_INSTANCE instance, JET_PWSTR wszzLogs, JET_UINT32 cbMax, T *pcbActual, JET_LOGINFO_W *pLogInfo)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = JetGetLogInfoInstance2W(instance, wszzLogs, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0, pLogInfo);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetEnableMultiInstanceA(JET_SETSYSPARAM_A *psetsysparam, JET_UINT32 csetsysparam, T *pcsetsucceed)
{
    JET_UINT32 pcsetsucceed_ = 0;
    JET_ERR err = JetEnableMultiInstanceA(psetsysparam, csetsysparam, pcsetsucceed ? &pcsetsucceed_ : (JET_UINT32 *)0);
    if (pcsetsucceed) *pcsetsucceed = pcsetsucceed_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetEnableMultiInstanceW(JET_SETSYSPARAM_W *psetsysparam, JET_UINT32 csetsysparam, T *pcsetsucceed)
{
    JET_UINT32 pcsetsucceed_ = 0;
    JET_ERR err = JetEnableMultiInstanceW(psetsysparam, csetsysparam, pcsetsucceed ? &pcsetsucceed_ : (JET_UINT32 *)0);
    if (pcsetsucceed) *pcsetsucceed = pcsetsucceed_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetInstanceInfoA(T *pcInstanceInfo, JET_INSTANCE_INFO_A **paInstanceInfo)
{
    JET_UINT32 pcInstanceInfo_ = 0;
    JET_ERR err = JetGetInstanceInfoA(pcInstanceInfo ? &pcInstanceInfo_ : (JET_UINT32 *)0, paInstanceInfo);
    if (pcInstanceInfo) *pcInstanceInfo = pcInstanceInfo_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetGetInstanceInfoW(T *pcInstanceInfo, JET_INSTANCE_INFO_W **paInstanceInfo)
{
    JET_UINT32 pcInstanceInfo_ = 0;
    JET_ERR err = JetGetInstanceInfoW(pcInstanceInfo ? &pcInstanceInfo_ : (JET_UINT32 *)0, paInstanceInfo);
    if (pcInstanceInfo) *pcInstanceInfo = pcInstanceInfo_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetEnumerateColumns(JET_SESID sesid, JET_TABLEID tableid, JET_UINT32 cEnumColumnId, JET_ENUMCOLUMNID *rgEnumColumnId, T *pcEnumColumn, JET_ENUMCOLUMN **prgEnumColumn, JET_PFNREALLOC pfnRealloc, void *pvReallocContext, JET_UINT32 cbDataMost, JET_GRBIT grbit)
{
    JET_UINT32 pcEnumColumn_ = 0;
    JET_ERR err = JetEnumerateColumns(sesid, tableid, cEnumColumnId, rgEnumColumnId, pcEnumColumn ? &pcEnumColumn_ : (JET_UINT32 *)0, prgEnumColumn, pfnRealloc, pvReallocContext, cbDataMost, grbit);
    if (pcEnumColumn) *pcEnumColumn = pcEnumColumn_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetDefragmentA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName, T *pcPasses, T *pcSeconds, JET_GRBIT grbit)
{
    JET_UINT32 pcPasses_ = pcPasses ? (JET_UINT32)*pcPasses : 0;
    JET_UINT32 pcSeconds_ = pcSeconds ? (JET_UINT32)*pcSeconds : 0;
    JET_ERR err = JetDefragmentA(sesid, dbid, szTableName, pcPasses ? &pcPasses_ : (JET_UINT32 *)0, pcSeconds ? &pcSeconds_ : (JET_UINT32 *)0, grbit);
    if (pcPasses) *pcPasses = pcPasses_;
    if (pcSeconds) *pcSeconds = pcSeconds_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetDefragmentW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName, T *pcPasses, T *pcSeconds, JET_GRBIT grbit)
{
    JET_UINT32 pcPasses_ = pcPasses ? (JET_UINT32)*pcPasses : 0;
    JET_UINT32 pcSeconds_ = pcSeconds ? (JET_UINT32)*pcSeconds : 0;
    JET_ERR err = JetDefragmentW(sesid, dbid, szTableName, pcPasses ? &pcPasses_ : (JET_UINT32 *)0, pcSeconds ? &pcSeconds_ : (JET_UINT32 *)0, grbit);
    if (pcPasses) *pcPasses = pcPasses_;
    if (pcSeconds) *pcSeconds = pcSeconds_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetDefragment2A(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName, T *pcPasses, T *pcSeconds, JET_CALLBACK callback, JET_GRBIT grbit)
{
    JET_UINT32 pcPasses_ = pcPasses ? (JET_UINT32)*pcPasses : 0;
    JET_UINT32 pcSeconds_ = pcSeconds ? (JET_UINT32)*pcSeconds : 0;
    JET_ERR err = JetDefragment2A(sesid, dbid, szTableName, pcPasses ? &pcPasses_ : (JET_UINT32 *)0, pcSeconds ? &pcSeconds_ : (JET_UINT32 *)0, callback, grbit);
    if (pcPasses) *pcPasses = pcPasses_;
    if (pcSeconds) *pcSeconds = pcSeconds_;
    return err;
}
template <typename T>
inline typename jet_ulong_only_<T>::ret JetDefragment2W(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName, T *pcPasses, T *pcSeconds, JET_CALLBACK callback, JET_GRBIT grbit)
{
    JET_UINT32 pcPasses_ = pcPasses ? (JET_UINT32)*pcPasses : 0;
    JET_UINT32 pcSeconds_ = pcSeconds ? (JET_UINT32)*pcSeconds : 0;
    JET_ERR err = JetDefragment2W(sesid, dbid, szTableName, pcPasses ? &pcPasses_ : (JET_UINT32 *)0, pcSeconds ? &pcSeconds_ : (JET_UINT32 *)0, callback, grbit);
    if (pcPasses) *pcPasses = pcPasses_;
    if (pcSeconds) *pcSeconds = pcSeconds_;
    return err;
}
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
/* A call with two such out-parameters takes the adaptor when either is an
 * `unsigned long *` (the other NULL, or `unsigned long *` too); one of
 * each type is a compile error rather than a write of the wrong width. */
static inline JET_ERR JetEscrowUpdate_ulong_(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid, void *pv, JET_UINT32 cbMax, void *pvOld, JET_UINT32 cbOldMax, unsigned long *pcbOldActual, JET_GRBIT grbit)
{
    JET_UINT32 pcbOldActual_value = 0;
    JET_ERR err = (JetEscrowUpdate)(sesid, tableid, columnid, pv, cbMax, pvOld, cbOldMax, pcbOldActual ? &pcbOldActual_value : (JET_UINT32 *)0, grbit);
    if (pcbOldActual) *pcbOldActual = pcbOldActual_value;
    return err;
}
static inline JET_ERR JetRetrieveKey_ulong_(JET_SESID sesid, JET_TABLEID tableid, void *pvKey, JET_UINT32 cbMax, unsigned long *pcbActual, JET_GRBIT grbit)
{
    JET_UINT32 pcbActual_value = 0;
    JET_ERR err = (JetRetrieveKey)(sesid, tableid, pvKey, cbMax, pcbActual ? &pcbActual_value : (JET_UINT32 *)0, grbit);
    if (pcbActual) *pcbActual = pcbActual_value;
    return err;
}
static inline JET_ERR JetIndexRecordCount_ulong_(JET_SESID sesid, JET_TABLEID tableid, unsigned long *pcrec, JET_UINT32 crecMax)
{
    JET_UINT32 pcrec_value = 0;
    JET_ERR err = (JetIndexRecordCount)(sesid, tableid, pcrec ? &pcrec_value : (JET_UINT32 *)0, crecMax);
    if (pcrec) *pcrec = pcrec_value;
    return err;
}
static inline JET_ERR JetGetSecondaryIndexBookmark_ulong_(JET_SESID sesid, JET_TABLEID tableid, void *pvSecondaryKey, JET_UINT32 cbSecondaryKeyMax, unsigned long *pcbSecondaryKeyActual, void *pvPrimaryBookmark, JET_UINT32 cbPrimaryBookmarkMax, unsigned long *pcbPrimaryBookmarkActual, const JET_GRBIT grbit)
{
    JET_UINT32 pcbSecondaryKeyActual_value = 0;
    JET_UINT32 pcbPrimaryBookmarkActual_value = 0;
    JET_ERR err = (JetGetSecondaryIndexBookmark)(sesid, tableid, pvSecondaryKey, cbSecondaryKeyMax, pcbSecondaryKeyActual ? &pcbSecondaryKeyActual_value : (JET_UINT32 *)0, pvPrimaryBookmark, cbPrimaryBookmarkMax, pcbPrimaryBookmarkActual ? &pcbPrimaryBookmarkActual_value : (JET_UINT32 *)0, grbit);
    if (pcbSecondaryKeyActual) *pcbSecondaryKeyActual = pcbSecondaryKeyActual_value;
    if (pcbPrimaryBookmarkActual) *pcbPrimaryBookmarkActual = pcbPrimaryBookmarkActual_value;
    return err;
}
static inline JET_ERR JetGetAttachInfoInstanceA_ulong_(JET_INSTANCE instance, JET_PSTR szz, JET_UINT32 cbMax,
                                     unsigned long *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetGetAttachInfoInstanceA)(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
static inline JET_ERR JetGetAttachInfoInstanceW_ulong_(JET_INSTANCE instance, JET_PWSTR szz, JET_UINT32 cbMax,
                                     unsigned long *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetGetAttachInfoInstanceW)(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
static inline JET_ERR JetGetLogInfoInstanceA_ulong_(JET_INSTANCE instance, JET_PSTR szz, JET_UINT32 cbMax,
                                     unsigned long *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetGetLogInfoInstanceA)(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
static inline JET_ERR JetGetLogInfoInstanceW_ulong_(JET_INSTANCE instance, JET_PWSTR szz, JET_UINT32 cbMax,
                                     unsigned long *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetGetLogInfoInstanceW)(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
static inline JET_ERR JetGetTruncateLogInfoInstanceA_ulong_(JET_INSTANCE instance, JET_PSTR szz, JET_UINT32 cbMax,
                                     unsigned long *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetGetTruncateLogInfoInstanceA)(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
static inline JET_ERR JetGetTruncateLogInfoInstanceW_ulong_(JET_INSTANCE instance, JET_PWSTR szz, JET_UINT32 cbMax,
                                     unsigned long *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetGetTruncateLogInfoInstanceW)(instance, szz, cbMax, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
static inline JET_ERR JetOpenFileInstanceA_ulong_(JET_INSTANCE instance, JET_PCSTR szFileName, JET_HANDLE *phfFile,
                       unsigned long *pulFileSizeLow, unsigned long *pulFileSizeHigh)
{
    JET_UINT32 low = 0, high = 0;
    JET_ERR err = (JetOpenFileInstanceA)(instance, szFileName, phfFile, pulFileSizeLow ? &low : (JET_UINT32 *)0,
                        pulFileSizeHigh ? &high : (JET_UINT32 *)0);
    if (pulFileSizeLow) *pulFileSizeLow = low;
    if (pulFileSizeHigh) *pulFileSizeHigh = high;
    return err;
}
static inline JET_ERR JetOpenFileInstanceW_ulong_(JET_INSTANCE instance, JET_PCWSTR szFileName, JET_HANDLE *phfFile,
                       unsigned long *pulFileSizeLow, unsigned long *pulFileSizeHigh)
{
    JET_UINT32 low = 0, high = 0;
    JET_ERR err = (JetOpenFileInstanceW)(instance, szFileName, phfFile, pulFileSizeLow ? &low : (JET_UINT32 *)0,
                        pulFileSizeHigh ? &high : (JET_UINT32 *)0);
    if (pulFileSizeLow) *pulFileSizeLow = low;
    if (pulFileSizeHigh) *pulFileSizeHigh = high;
    return err;
}
static inline JET_ERR JetReadFileInstance_ulong_(JET_INSTANCE instance, JET_HANDLE hfFile, void *pv, JET_UINT32 cb,
                       unsigned long *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetReadFileInstance)(instance, hfFile, pv, cb, pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
static inline JET_ERR JetGetVersion_ulong_(JET_SESID sesid, unsigned long *pwVersion)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetGetVersion)(sesid, pwVersion ? &value : (JET_UINT32 *)0);
    if (pwVersion) *pwVersion = value;
    return err;
}
static inline JET_ERR JetGetBookmark_ulong_(JET_SESID sesid, JET_TABLEID tableid,
                                            void *pvBookmark, JET_UINT32 cbMax,
                                            unsigned long *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetGetBookmark)(sesid, tableid, pvBookmark, cbMax,
                                   pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
static inline JET_ERR JetUpdate_ulong_(JET_SESID sesid, JET_TABLEID tableid, void *pvBookmark,
                                       JET_UINT32 cbBookmark, unsigned long *pcbActual)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetUpdate)(sesid, tableid, pvBookmark, cbBookmark,
                              pcbActual ? &value : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = value;
    return err;
}
static inline JET_ERR JetRetrieveColumn_ulong_(JET_SESID sesid, JET_TABLEID tableid,
                                               JET_COLUMNID columnid, void *pvData,
                                               JET_UINT32 cbData, unsigned long *pcbActual,
                                               JET_GRBIT grbit, JET_RETINFO *pretinfo)
{
    JET_UINT32 value = 0;
    JET_ERR err = (JetRetrieveColumn)(sesid, tableid, columnid, pvData, cbData,
                                      pcbActual ? &value : (JET_UINT32 *)0, grbit, pretinfo);
    if (pcbActual) *pcbActual = value;
    return err;
}
#define JetGetVersion(sesid, pv) \
    _Generic((pv), unsigned long *: JetGetVersion_ulong_, default: JetGetVersion)(sesid, pv)
#define JetGetBookmark(s, t, pv, cb, pcb) \
    _Generic((pcb), unsigned long *: JetGetBookmark_ulong_, default: JetGetBookmark)(s, t, pv, cb, pcb)
#define JetUpdate(s, t, pv, cb, pcb) \
    _Generic((pcb), unsigned long *: JetUpdate_ulong_, default: JetUpdate)(s, t, pv, cb, pcb)
#define JetRetrieveColumn(s, t, c, pv, cb, pcb, g, pri) \
    _Generic((pcb), unsigned long *: JetRetrieveColumn_ulong_, \
             default: JetRetrieveColumn)(s, t, c, pv, cb, pcb, g, pri)
#define JetGetAttachInfoInstanceA(i, szz, cb, pcb) \
    _Generic((pcb), unsigned long *: JetGetAttachInfoInstanceA_ulong_, default: JetGetAttachInfoInstanceA)(i, szz, cb, pcb)
#define JetGetAttachInfoInstanceW(i, szz, cb, pcb) \
    _Generic((pcb), unsigned long *: JetGetAttachInfoInstanceW_ulong_, default: JetGetAttachInfoInstanceW)(i, szz, cb, pcb)
#define JetGetLogInfoInstanceA(i, szz, cb, pcb) \
    _Generic((pcb), unsigned long *: JetGetLogInfoInstanceA_ulong_, default: JetGetLogInfoInstanceA)(i, szz, cb, pcb)
#define JetGetLogInfoInstanceW(i, szz, cb, pcb) \
    _Generic((pcb), unsigned long *: JetGetLogInfoInstanceW_ulong_, default: JetGetLogInfoInstanceW)(i, szz, cb, pcb)
#define JetGetTruncateLogInfoInstanceA(i, szz, cb, pcb) \
    _Generic((pcb), unsigned long *: JetGetTruncateLogInfoInstanceA_ulong_, default: JetGetTruncateLogInfoInstanceA)(i, szz, cb, pcb)
#define JetGetTruncateLogInfoInstanceW(i, szz, cb, pcb) \
    _Generic((pcb), unsigned long *: JetGetTruncateLogInfoInstanceW_ulong_, default: JetGetTruncateLogInfoInstanceW)(i, szz, cb, pcb)
#define JetOpenFileInstanceA(i, f, ph, plow, phigh) \
    _Generic((plow), unsigned long *: JetOpenFileInstanceA_ulong_, default: _Generic((phigh), unsigned long *: JetOpenFileInstanceA_ulong_, default: JetOpenFileInstanceA))(i, f, ph, plow, phigh)
#define JetOpenFileInstanceW(i, f, ph, plow, phigh) \
    _Generic((plow), unsigned long *: JetOpenFileInstanceW_ulong_, default: _Generic((phigh), unsigned long *: JetOpenFileInstanceW_ulong_, default: JetOpenFileInstanceW))(i, f, ph, plow, phigh)
#define JetEscrowUpdate(a0, a1, a2, a3, a4, a5, a6, a7, a8) \
    _Generic((a7), unsigned long *: JetEscrowUpdate_ulong_, default: JetEscrowUpdate)(a0, a1, a2, a3, a4, a5, a6, a7, a8)
#define JetRetrieveKey(a0, a1, a2, a3, a4, a5) \
    _Generic((a4), unsigned long *: JetRetrieveKey_ulong_, default: JetRetrieveKey)(a0, a1, a2, a3, a4, a5)
#define JetIndexRecordCount(a0, a1, a2, a3) \
    _Generic((a2), unsigned long *: JetIndexRecordCount_ulong_, default: JetIndexRecordCount)(a0, a1, a2, a3)
#define JetGetSecondaryIndexBookmark(a0, a1, a2, a3, a4, a5, a6, a7, a8) \
    _Generic((a4), unsigned long *: JetGetSecondaryIndexBookmark_ulong_, default: JetGetSecondaryIndexBookmark)(a0, a1, a2, a3, a4, a5, a6, a7, a8)
#define JetReadFileInstance(i, h, pv, cb, pcb) \
    _Generic((pcb), unsigned long *: JetReadFileInstance_ulong_, default: JetReadFileInstance)(i, h, pv, cb, pcb)
static inline JET_ERR JetGetAttachInfoA_ulong_(JET_PSTR szzDatabases, JET_UINT32 cbMax, unsigned long *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = (JetGetAttachInfoA)(szzDatabases, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
static inline JET_ERR JetGetAttachInfoW_ulong_(JET_PWSTR wszzDatabases, JET_UINT32 cbMax, unsigned long *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = (JetGetAttachInfoW)(wszzDatabases, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
static inline JET_ERR JetOpenFileA_ulong_(JET_PCSTR szFileName, JET_HANDLE *phfFile, unsigned long *pulFileSizeLow, unsigned long *pulFileSizeHigh)
{
    JET_UINT32 pulFileSizeLow_ = 0;
    JET_UINT32 pulFileSizeHigh_ = 0;
    JET_ERR err = (JetOpenFileA)(szFileName, phfFile, pulFileSizeLow ? &pulFileSizeLow_ : (JET_UINT32 *)0, pulFileSizeHigh ? &pulFileSizeHigh_ : (JET_UINT32 *)0);
    if (pulFileSizeLow) *pulFileSizeLow = pulFileSizeLow_;
    if (pulFileSizeHigh) *pulFileSizeHigh = pulFileSizeHigh_;
    return err;
}
static inline JET_ERR JetOpenFileW_ulong_(JET_PCWSTR szFileName, JET_HANDLE *phfFile, unsigned long *pulFileSizeLow, unsigned long *pulFileSizeHigh)
{
    JET_UINT32 pulFileSizeLow_ = 0;
    JET_UINT32 pulFileSizeHigh_ = 0;
    JET_ERR err = (JetOpenFileW)(szFileName, phfFile, pulFileSizeLow ? &pulFileSizeLow_ : (JET_UINT32 *)0, pulFileSizeHigh ? &pulFileSizeHigh_ : (JET_UINT32 *)0);
    if (pulFileSizeLow) *pulFileSizeLow = pulFileSizeLow_;
    if (pulFileSizeHigh) *pulFileSizeHigh = pulFileSizeHigh_;
    return err;
}
static inline JET_ERR JetReadFile_ulong_(JET_HANDLE hfFile, void *pv, JET_UINT32 cb, unsigned long *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = (JetReadFile)(hfFile, pv, cb, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
static inline JET_ERR JetGetLogInfoA_ulong_(JET_PSTR szzLogs, JET_UINT32 cbMax, unsigned long *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = (JetGetLogInfoA)(szzLogs, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
static inline JET_ERR JetGetLogInfoW_ulong_(JET_PWSTR szzLogs, JET_UINT32 cbMax, unsigned long *pcbActual)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = (JetGetLogInfoW)(szzLogs, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
static inline JET_ERR JetGetLogInfoInstance2A_ulong_(JET_INSTANCE instance, JET_PSTR szzLogs, JET_UINT32 cbMax, unsigned long *pcbActual, JET_LOGINFO_A *pLogInfo)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = (JetGetLogInfoInstance2A)(instance, szzLogs, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0, pLogInfo);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
static inline JET_ERR JetGetLogInfoInstance2W_ulong_(JET_INSTANCE instance, JET_PWSTR wszzLogs, JET_UINT32 cbMax, unsigned long *pcbActual, JET_LOGINFO_W *pLogInfo)
{
    JET_UINT32 pcbActual_ = 0;
    JET_ERR err = (JetGetLogInfoInstance2W)(instance, wszzLogs, cbMax, pcbActual ? &pcbActual_ : (JET_UINT32 *)0, pLogInfo);
    if (pcbActual) *pcbActual = pcbActual_;
    return err;
}
static inline JET_ERR JetEnableMultiInstanceA_ulong_(JET_SETSYSPARAM_A *psetsysparam, JET_UINT32 csetsysparam, unsigned long *pcsetsucceed)
{
    JET_UINT32 pcsetsucceed_ = 0;
    JET_ERR err = (JetEnableMultiInstanceA)(psetsysparam, csetsysparam, pcsetsucceed ? &pcsetsucceed_ : (JET_UINT32 *)0);
    if (pcsetsucceed) *pcsetsucceed = pcsetsucceed_;
    return err;
}
static inline JET_ERR JetEnableMultiInstanceW_ulong_(JET_SETSYSPARAM_W *psetsysparam, JET_UINT32 csetsysparam, unsigned long *pcsetsucceed)
{
    JET_UINT32 pcsetsucceed_ = 0;
    JET_ERR err = (JetEnableMultiInstanceW)(psetsysparam, csetsysparam, pcsetsucceed ? &pcsetsucceed_ : (JET_UINT32 *)0);
    if (pcsetsucceed) *pcsetsucceed = pcsetsucceed_;
    return err;
}
static inline JET_ERR JetGetInstanceInfoA_ulong_(unsigned long *pcInstanceInfo, JET_INSTANCE_INFO_A **paInstanceInfo)
{
    JET_UINT32 pcInstanceInfo_ = 0;
    JET_ERR err = (JetGetInstanceInfoA)(pcInstanceInfo ? &pcInstanceInfo_ : (JET_UINT32 *)0, paInstanceInfo);
    if (pcInstanceInfo) *pcInstanceInfo = pcInstanceInfo_;
    return err;
}
static inline JET_ERR JetGetInstanceInfoW_ulong_(unsigned long *pcInstanceInfo, JET_INSTANCE_INFO_W **paInstanceInfo)
{
    JET_UINT32 pcInstanceInfo_ = 0;
    JET_ERR err = (JetGetInstanceInfoW)(pcInstanceInfo ? &pcInstanceInfo_ : (JET_UINT32 *)0, paInstanceInfo);
    if (pcInstanceInfo) *pcInstanceInfo = pcInstanceInfo_;
    return err;
}
static inline JET_ERR JetEnumerateColumns_ulong_(JET_SESID sesid, JET_TABLEID tableid, JET_UINT32 cEnumColumnId, JET_ENUMCOLUMNID *rgEnumColumnId, unsigned long *pcEnumColumn, JET_ENUMCOLUMN **prgEnumColumn, JET_PFNREALLOC pfnRealloc, void *pvReallocContext, JET_UINT32 cbDataMost, JET_GRBIT grbit)
{
    JET_UINT32 pcEnumColumn_ = 0;
    JET_ERR err = (JetEnumerateColumns)(sesid, tableid, cEnumColumnId, rgEnumColumnId, pcEnumColumn ? &pcEnumColumn_ : (JET_UINT32 *)0, prgEnumColumn, pfnRealloc, pvReallocContext, cbDataMost, grbit);
    if (pcEnumColumn) *pcEnumColumn = pcEnumColumn_;
    return err;
}
static inline JET_ERR JetDefragmentA_ulong_(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName, unsigned long *pcPasses, unsigned long *pcSeconds, JET_GRBIT grbit)
{
    JET_UINT32 pcPasses_ = pcPasses ? (JET_UINT32)*pcPasses : 0;
    JET_UINT32 pcSeconds_ = pcSeconds ? (JET_UINT32)*pcSeconds : 0;
    JET_ERR err = (JetDefragmentA)(sesid, dbid, szTableName, pcPasses ? &pcPasses_ : (JET_UINT32 *)0, pcSeconds ? &pcSeconds_ : (JET_UINT32 *)0, grbit);
    if (pcPasses) *pcPasses = pcPasses_;
    if (pcSeconds) *pcSeconds = pcSeconds_;
    return err;
}
static inline JET_ERR JetDefragmentW_ulong_(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName, unsigned long *pcPasses, unsigned long *pcSeconds, JET_GRBIT grbit)
{
    JET_UINT32 pcPasses_ = pcPasses ? (JET_UINT32)*pcPasses : 0;
    JET_UINT32 pcSeconds_ = pcSeconds ? (JET_UINT32)*pcSeconds : 0;
    JET_ERR err = (JetDefragmentW)(sesid, dbid, szTableName, pcPasses ? &pcPasses_ : (JET_UINT32 *)0, pcSeconds ? &pcSeconds_ : (JET_UINT32 *)0, grbit);
    if (pcPasses) *pcPasses = pcPasses_;
    if (pcSeconds) *pcSeconds = pcSeconds_;
    return err;
}
static inline JET_ERR JetDefragment2A_ulong_(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName, unsigned long *pcPasses, unsigned long *pcSeconds, JET_CALLBACK callback, JET_GRBIT grbit)
{
    JET_UINT32 pcPasses_ = pcPasses ? (JET_UINT32)*pcPasses : 0;
    JET_UINT32 pcSeconds_ = pcSeconds ? (JET_UINT32)*pcSeconds : 0;
    JET_ERR err = (JetDefragment2A)(sesid, dbid, szTableName, pcPasses ? &pcPasses_ : (JET_UINT32 *)0, pcSeconds ? &pcSeconds_ : (JET_UINT32 *)0, callback, grbit);
    if (pcPasses) *pcPasses = pcPasses_;
    if (pcSeconds) *pcSeconds = pcSeconds_;
    return err;
}
static inline JET_ERR JetDefragment2W_ulong_(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName, unsigned long *pcPasses, unsigned long *pcSeconds, JET_CALLBACK callback, JET_GRBIT grbit)
{
    JET_UINT32 pcPasses_ = pcPasses ? (JET_UINT32)*pcPasses : 0;
    JET_UINT32 pcSeconds_ = pcSeconds ? (JET_UINT32)*pcSeconds : 0;
    JET_ERR err = (JetDefragment2W)(sesid, dbid, szTableName, pcPasses ? &pcPasses_ : (JET_UINT32 *)0, pcSeconds ? &pcSeconds_ : (JET_UINT32 *)0, callback, grbit);
    if (pcPasses) *pcPasses = pcPasses_;
    if (pcSeconds) *pcSeconds = pcSeconds_;
    return err;
}
#define JetGetAttachInfoA(a0, a1, a2) \
    _Generic((a2), unsigned long *: JetGetAttachInfoA_ulong_, default: JetGetAttachInfoA)(a0, a1, a2)
#define JetGetAttachInfoW(a0, a1, a2) \
    _Generic((a2), unsigned long *: JetGetAttachInfoW_ulong_, default: JetGetAttachInfoW)(a0, a1, a2)
#define JetOpenFileA(a0, a1, a2, a3) \
    _Generic((a2), unsigned long *: JetOpenFileA_ulong_, default: _Generic((a3), unsigned long *: JetOpenFileA_ulong_, default: JetOpenFileA))(a0, a1, a2, a3)
#define JetOpenFileW(a0, a1, a2, a3) \
    _Generic((a2), unsigned long *: JetOpenFileW_ulong_, default: _Generic((a3), unsigned long *: JetOpenFileW_ulong_, default: JetOpenFileW))(a0, a1, a2, a3)
#define JetReadFile(a0, a1, a2, a3) \
    _Generic((a3), unsigned long *: JetReadFile_ulong_, default: JetReadFile)(a0, a1, a2, a3)
#define JetGetLogInfoA(a0, a1, a2) \
    _Generic((a2), unsigned long *: JetGetLogInfoA_ulong_, default: JetGetLogInfoA)(a0, a1, a2)
#define JetGetLogInfoW(a0, a1, a2) \
    _Generic((a2), unsigned long *: JetGetLogInfoW_ulong_, default: JetGetLogInfoW)(a0, a1, a2)
#define JetGetLogInfoInstance2A(a0, a1, a2, a3, a4) \
    _Generic((a3), unsigned long *: JetGetLogInfoInstance2A_ulong_, default: JetGetLogInfoInstance2A)(a0, a1, a2, a3, a4)
#define JetGetLogInfoInstance2W(a0, a1, a2, a3, a4) \
    _Generic((a3), unsigned long *: JetGetLogInfoInstance2W_ulong_, default: JetGetLogInfoInstance2W)(a0, a1, a2, a3, a4)
#define JetEnableMultiInstanceA(a0, a1, a2) \
    _Generic((a2), unsigned long *: JetEnableMultiInstanceA_ulong_, default: JetEnableMultiInstanceA)(a0, a1, a2)
#define JetEnableMultiInstanceW(a0, a1, a2) \
    _Generic((a2), unsigned long *: JetEnableMultiInstanceW_ulong_, default: JetEnableMultiInstanceW)(a0, a1, a2)
#define JetGetInstanceInfoA(a0, a1) \
    _Generic((a0), unsigned long *: JetGetInstanceInfoA_ulong_, default: JetGetInstanceInfoA)(a0, a1)
#define JetGetInstanceInfoW(a0, a1) \
    _Generic((a0), unsigned long *: JetGetInstanceInfoW_ulong_, default: JetGetInstanceInfoW)(a0, a1)
#define JetEnumerateColumns(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9) \
    _Generic((a4), unsigned long *: JetEnumerateColumns_ulong_, default: JetEnumerateColumns)(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9)
#define JetDefragmentA(a0, a1, a2, a3, a4, a5) \
    _Generic((a3), unsigned long *: JetDefragmentA_ulong_, default: _Generic((a4), unsigned long *: JetDefragmentA_ulong_, default: JetDefragmentA))(a0, a1, a2, a3, a4, a5)
#define JetDefragmentW(a0, a1, a2, a3, a4, a5) \
    _Generic((a3), unsigned long *: JetDefragmentW_ulong_, default: _Generic((a4), unsigned long *: JetDefragmentW_ulong_, default: JetDefragmentW))(a0, a1, a2, a3, a4, a5)
#define JetDefragment2A(a0, a1, a2, a3, a4, a5, a6) \
    _Generic((a3), unsigned long *: JetDefragment2A_ulong_, default: _Generic((a4), unsigned long *: JetDefragment2A_ulong_, default: JetDefragment2A))(a0, a1, a2, a3, a4, a5, a6)
#define JetDefragment2W(a0, a1, a2, a3, a4, a5, a6) \
    _Generic((a3), unsigned long *: JetDefragment2W_ulong_, default: _Generic((a4), unsigned long *: JetDefragment2W_ulong_, default: JetDefragment2W))(a0, a1, a2, a3, a4, a5, a6)
#endif
#endif

#endif /* ESENT_H_LIBESENT */
