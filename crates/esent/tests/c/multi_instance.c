/* The JET API from C in multi-instance mode: an instance, a database, a
 * table with an autoincrement key, text, multi-valued and long columns,
 * a secondary index; inserts in a transaction, retrieval with size
 * queries and truncation, seeks, an index range, bookmarks, a rollback,
 * the bad-input errors of the handle checks, JetStopServiceInstance and
 * JetTerm2. argv[1] is a scratch directory. */
#include <esent.h>

#include "check.h"

static char path[4096];
static char system_dir[4096];

static void make_key_text(JET_SESID s, JET_TABLEID t, const char *text)
{
    CHECK_OK(JetMakeKey(s, t, text, (JET_UINT32)strlen(text), JET_bitNewKey));
}

static int count_rows(JET_SESID s, JET_TABLEID t)
{
    int rows = 0;
    JET_ERR err = JetMove(s, t, JET_MoveFirst, 0);
    while (err == JET_errSuccess) {
        rows++;
        err = JetMove(s, t, JET_MoveNext, 0);
    }
    CHECK_ERR(JET_errNoCurrentRecord, err);
    return rows;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    snprintf(system_dir, sizeof system_dir, "%s/", argv[1]);
    snprintf(path, sizeof path, "%s/multi.edb", argv[1]);

    /* Handles that were never issued. */
    CHECK_ERR(JET_errInvalidSesid, JetBeginTransaction((JET_SESID)0xdead0));
    CHECK_ERR(JET_errInvalidSesid, JetGetVersion(JET_sesidNil, (JET_UINT32 *)0));

    JET_INSTANCE instance = 0;
    CHECK_OK(JetCreateInstance(&instance, "c-multi"));
    CHECK(instance != 0 && instance != JET_instanceNil);
    /* Names are unique in the process. */
    JET_INSTANCE twin = 0;
    CHECK_ERR(JET_errInstanceNameInUse, JetCreateInstance(&twin, "c-multi"));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, system_dir));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, system_dir));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramBaseName, 0, "edb"));
    JET_API_PTR value = 0;
    char text[64];
    CHECK_OK(JetGetSystemParameter(instance, 0, JET_paramBaseName, &value, text, sizeof text));
    CHECK(strcmp(text, "edb") == 0);
    CHECK_ERR(JET_errBufferTooSmall,
              JetGetSystemParameter(instance, 0, JET_paramBaseName, &value, text, 2));
    /* JET_paramErrorToString reads the error number from plParam. */
    JET_API_PTR code = (JET_API_PTR)(JET_INT32)JET_errReadVerifyFailure;
    char message[512];
    CHECK_OK(JetGetSystemParameter(instance, 0, JET_paramErrorToString, &code, message,
                                   sizeof message));
    CHECK(strncmp(message, "JET_errReadVerifyFailure", 24) == 0);
    CHECK_OK(JetInit(&instance));

    JET_SESID sesid = 0;
    CHECK_OK(JetBeginSession(instance, &sesid, NULL, NULL));
    CHECK(sesid != 0 && sesid != JET_sesidNil);

    /* The version, through a Windows program's `unsigned long` and through
     * the 32-bit type. */
    unsigned long version = 0;
    CHECK_OK(JetGetVersion(sesid, &version));
    CHECK(((version >> 8) & 0xFFFF) == 26100);
    CHECK((version >> 28) == 10);
    JET_UINT32 version32 = 0;
    CHECK_OK(JetGetVersion(sesid, &version32));
    CHECK(version32 == (JET_UINT32)version);

    JET_DBID dbid = 0;
    CHECK_ERR(JET_errInvalidParameter, JetCreateDatabase(sesid, NULL, NULL, &dbid, 0));
    CHECK_OK(JetCreateDatabase(sesid, path, NULL, &dbid, 0));

    JET_TABLEID table = 0;
    CHECK_OK(JetBeginTransaction(sesid));
    CHECK_OK(JetCreateTable(sesid, dbid, "books", 0, 100, &table));
    JET_COLUMNDEF def;
    memset(&def, 0, sizeof def);
    def.cbStruct = sizeof def;
    JET_COLUMNID id_col = 0, title_col = 0, tags_col = 0, body_col = 0;
    def.coltyp = JET_coltypLong;
    def.grbit = JET_bitColumnAutoincrement;
    CHECK_OK(JetAddColumn(sesid, table, "Id", &def, NULL, 0, &id_col));
    def.coltyp = JET_coltypText;
    def.cp = 1252;
    def.cbMax = 100;
    def.grbit = 0;
    CHECK_OK(JetAddColumn(sesid, table, "Title", &def, NULL, 0, &title_col));
    def.grbit = JET_bitColumnTagged | JET_bitColumnMultiValued;
    CHECK_OK(JetAddColumn(sesid, table, "Tags", &def, NULL, 0, &tags_col));
    def.coltyp = JET_coltypLongBinary;
    def.cbMax = 0;
    def.cp = 0;
    def.grbit = 0;
    CHECK_OK(JetAddColumn(sesid, table, "Body", &def, NULL, 0, &body_col));
    /* A column definition whose cbStruct is too small. */
    JET_COLUMNDEF small = def;
    small.cbStruct = 4;
    CHECK_ERR(JET_errInvalidParameter, JetAddColumn(sesid, table, "Bad", &small, NULL, 0, NULL));
    CHECK_OK(JetCreateIndex(sesid, table, "ById", JET_bitIndexPrimary, "+Id\0", 5, 100));
    CHECK_OK(JetCreateIndex(sesid, table, "ByTitle", 0, "+Title\0", 8, 100));
    CHECK_OK(JetCommitTransaction(sesid, 0));

    /* 100 rows in one transaction. */
    char body[5000];
    memset(body, 'b', sizeof body);
    CHECK_OK(JetBeginTransaction(sesid));
    for (int i = 0; i < 100; i++) {
        char title[32];
        snprintf(title, sizeof title, "title%03d", i);
        CHECK_OK(JetPrepareUpdate(sesid, table, JET_prepInsert));
        CHECK_OK(JetSetColumn(sesid, table, title_col, title, (JET_UINT32)strlen(title), 0, NULL));
        CHECK_OK(JetSetColumn(sesid, table, tags_col, "red", 3, 0, NULL));
        CHECK_OK(JetSetColumn(sesid, table, tags_col, "blue", 4, 0, NULL));
        CHECK_OK(JetSetColumn(sesid, table, body_col, body, (JET_UINT32)(100 + i * 40), 0, NULL));
        unsigned char bookmark[256];
        unsigned long bookmark_size = 0;
        CHECK_OK(JetUpdate(sesid, table, bookmark, sizeof bookmark, &bookmark_size));
        CHECK(bookmark_size > 0 && bookmark_size <= sizeof bookmark);
    }
    CHECK_OK(JetCommitTransaction(sesid, 0));
    CHECK(count_rows(sesid, table) == 100);

    /* Retrieval: the size alone, a truncated copy, the whole value. */
    CHECK_OK(JetMove(sesid, table, JET_MoveFirst, 0));
    unsigned long actual = 0;
    CHECK_ERR(JET_wrnBufferTruncated,
              JetRetrieveColumn(sesid, table, body_col, NULL, 0, &actual, 0, NULL));
    CHECK(actual == 100);
    char got[5000];
    CHECK_ERR(JET_wrnBufferTruncated,
              JetRetrieveColumn(sesid, table, title_col, got, 4, &actual, 0, NULL));
    CHECK(actual == 8 && memcmp(got, "titl", 4) == 0);
    CHECK_OK(JetRetrieveColumn(sesid, table, title_col, got, sizeof got, &actual, 0, NULL));
    CHECK(actual == 8 && memcmp(got, "title000", 8) == 0);
    JET_INT32 first_id = 0;
    JET_UINT32 id_size = 0;
    CHECK_OK(JetRetrieveColumn(sesid, table, id_col, &first_id, sizeof first_id, &id_size, 0, NULL));
    CHECK(id_size == 4 && first_id == 1);
    /* The second value of the multi-valued column. */
    JET_RETINFO retinfo = {sizeof(JET_RETINFO), 0, 2, 0};
    CHECK_OK(JetRetrieveColumn(sesid, table, tags_col, got, sizeof got, &actual, 0, &retinfo));
    CHECK(actual == 4 && memcmp(got, "blue", 4) == 0);
    retinfo.itagSequence = 3;
    CHECK_ERR(JET_wrnColumnNull,
              JetRetrieveColumn(sesid, table, tags_col, got, sizeof got, &actual, 0, &retinfo));
    retinfo.cbStruct = 4;
    CHECK_ERR(JET_errInvalidParameter,
              JetRetrieveColumn(sesid, table, tags_col, got, sizeof got, &actual, 0, &retinfo));

    /* Seeks on the secondary index, and an index range. */
    CHECK_OK(JetSetCurrentIndex(sesid, table, "ByTitle"));
    make_key_text(sesid, table, "title042");
    CHECK_OK(JetSeek(sesid, table, JET_bitSeekEQ));
    JET_INT32 id = 0;
    CHECK_OK(JetRetrieveColumn(sesid, table, id_col, &id, sizeof id, NULL, 0, NULL));
    CHECK(id == 43);
    make_key_text(sesid, table, "title042x");
    CHECK_ERR(JET_errRecordNotFound, JetSeek(sesid, table, JET_bitSeekEQ));
    make_key_text(sesid, table, "title010");
    CHECK_OK(JetSeek(sesid, table, JET_bitSeekGE));
    make_key_text(sesid, table, "title019");
    CHECK_OK(JetSetIndexRange(sesid, table, JET_bitRangeUpperLimit | JET_bitRangeInclusive));
    int in_range = 1;
    while (JetMove(sesid, table, JET_MoveNext, 0) == JET_errSuccess) {
        in_range++;
    }
    CHECK(in_range == 10);

    /* Bookmarks: too small a buffer, then a round trip. */
    CHECK_OK(JetSetCurrentIndex(sesid, table, NULL));
    CHECK_OK(JetMove(sesid, table, JET_MoveFirst, 0));
    CHECK_OK(JetMove(sesid, table, 5, 0));
    unsigned char mark[256];
    unsigned long mark_size = 0;
    CHECK_ERR(JET_errBufferTooSmall, JetGetBookmark(sesid, table, mark, 1, &mark_size));
    CHECK(mark_size > 1);
    CHECK_OK(JetGetBookmark(sesid, table, mark, sizeof mark, &mark_size));
    CHECK_OK(JetMove(sesid, table, JET_MoveLast, 0));
    CHECK_OK(JetGotoBookmark(sesid, table, mark, (JET_UINT32)mark_size));
    CHECK_OK(JetRetrieveColumn(sesid, table, id_col, &id, sizeof id, NULL, 0, NULL));
    CHECK(id == 6);

    /* A delete rolled back, a replace committed. */
    CHECK_OK(JetBeginTransaction(sesid));
    CHECK_OK(JetDelete(sesid, table));
    CHECK_OK(JetRollback(sesid, 0));
    CHECK(count_rows(sesid, table) == 100);
    CHECK_OK(JetGotoBookmark(sesid, table, mark, (JET_UINT32)mark_size));
    CHECK_OK(JetBeginTransaction(sesid));
    CHECK_OK(JetPrepareUpdate(sesid, table, JET_prepReplace));
    CHECK_OK(JetSetColumn(sesid, table, title_col, "renamed", 7, 0, NULL));
    CHECK_OK(JetUpdate(sesid, table, NULL, 0, NULL));
    CHECK_OK(JetCommitTransaction(sesid, 0));
    CHECK_OK(JetRetrieveColumn(sesid, table, title_col, got, sizeof got, &actual, 0, NULL));
    CHECK(actual == 7 && memcmp(got, "renamed", 7) == 0);

    /* The handle checks: a table that was never issued, another session's
     * table, a NULL out-pointer. */
    JET_SESID other = 0;
    CHECK_OK(JetBeginSession(instance, &other, NULL, NULL));
    CHECK_ERR(JET_errInvalidTableId, JetCloseTable(sesid, (JET_TABLEID)0x12340));
    CHECK_ERR(JET_errSesidTableIdMismatch, JetMove(other, table, JET_MoveFirst, 0));
    CHECK_ERR(JET_errInvalidParameter, JetBeginSession(instance, NULL, NULL, NULL));
    CHECK_OK(JetEndSession(other, 0));
    CHECK_ERR(JET_errInvalidSesid, JetBeginTransaction(other));

    /* The table reopened by name. */
    JET_TABLEID again = 0;
    CHECK_OK(JetOpenTable(sesid, dbid, "books", NULL, 0, 0, &again));
    CHECK(count_rows(sesid, again) == 100);
    CHECK_OK(JetCloseTable(sesid, again));
    CHECK_ERR(JET_errInvalidTableId, JetCloseTable(sesid, again));
    CHECK_OK(JetCloseTable(sesid, table));

    /* JetStopServiceInstance: most calls are refused from then on, the
     * wind-down ones go through, and JetTerm2 ends the instance. */
    CHECK_OK(JetStopServiceInstance(instance));
    CHECK_ERR(JET_errClientRequestToStopJetService, JetBeginTransaction(sesid));
    CHECK_OK(JetCloseDatabase(sesid, dbid, 0));
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm2(instance, JET_bitTermComplete));
    CHECK_ERR(JET_errInvalidSesid, JetBeginTransaction(sesid));

    return check_summary("multi_instance");
}
