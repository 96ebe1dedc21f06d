/* More of the API from C: JetSetColumns / JetRetrieveColumns, long values
 * by pieces (JET_bitSetAppendLV, ibLongValue both ways), escrow updates,
 * save points, a write conflict between two sessions, JetGetLock,
 * JetRetrieveKey, JetDupCursor, JetIndexRecordCount, positions, secondary
 * index bookmarks, session contexts, and schema changes by name (rename
 * and delete of columns, indexes and tables, JetGetCurrentIndex).
 * argv[1] is a scratch directory. */
#include <esent.h>

#include "check.h"

static JET_COLUMNID add_column(JET_SESID s, JET_TABLEID t, const char *name, JET_COLTYP type,
                               JET_GRBIT grbit, const void *def, JET_UINT32 cbDef)
{
    JET_COLUMNDEF column;
    memset(&column, 0, sizeof column);
    column.cbStruct = sizeof column;
    column.coltyp = type;
    column.grbit = grbit;
    JET_COLUMNID id = 0;
    CHECK_OK(JetAddColumn(s, t, name, &column, def, cbDef, &id));
    return id;
}

static void insert(JET_SESID s, JET_TABLEID t, JET_COLUMNID key, JET_INT32 k, JET_COLUMNID name,
                   const char *text)
{
    JET_SETCOLUMN set[2];
    memset(set, 0, sizeof set);
    set[0].columnid = key;
    set[0].pvData = &k;
    set[0].cbData = sizeof k;
    set[1].columnid = name;
    set[1].pvData = text;
    set[1].cbData = (JET_UINT32)strlen(text);
    CHECK_OK(JetPrepareUpdate(s, t, JET_prepInsert));
    CHECK_OK(JetSetColumns(s, t, set, 2));
    CHECK(set[0].err == 0 && set[1].err == 0);
    CHECK_OK(JetUpdate(s, t, NULL, 0, NULL));
}

static int seek_key(JET_SESID s, JET_TABLEID t, JET_INT32 k)
{
    CHECK_OK(JetMakeKey(s, t, &k, sizeof k, JET_bitNewKey));
    return JetSeek(s, t, JET_bitSeekEQ) == JET_errSuccess;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    char dir[2048], path[4096];
    snprintf(dir, sizeof dir, "%s/", argv[1]);
    snprintf(path, sizeof path, "%s/records.edb", argv[1]);

    JET_INSTANCE instance = 0;
    CHECK_OK(JetCreateInstance(&instance, "c-records"));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, dir));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, dir));
    CHECK_OK(JetInit(&instance));
    JET_SESID s = 0;
    CHECK_OK(JetBeginSession(instance, &s, NULL, NULL));
    JET_DBID dbid = 0;
    CHECK_OK(JetCreateDatabase(s, path, NULL, &dbid, 0));

    JET_TABLEID t = 0;
    CHECK_OK(JetCreateTable(s, dbid, "items", 0, 100, &t));
    JET_COLUMNID key = add_column(s, t, "Key", JET_coltypLong, JET_bitColumnNotNULL, NULL, 0);
    JET_COLUMNID name = add_column(s, t, "Name", JET_coltypText, 0, NULL, 0);
    JET_COLUMNID blob = add_column(s, t, "Blob", JET_coltypLongBinary, 0, NULL, 0);
    JET_INT32 zero = 0;
    JET_COLUMNID count = add_column(s, t, "Count", JET_coltypLong, JET_bitColumnEscrowUpdate,
                                    &zero, sizeof zero);
    JET_COLUMNID spare = add_column(s, t, "Spare", JET_coltypLong, 0, NULL, 0);
    CHECK_OK(JetCreateIndex(s, t, "ByKey", JET_bitIndexPrimary, "+Key\0", 6, 100));
    CHECK_OK(JetCreateIndex(s, t, "ByName", 0, "+Name\0", 7, 100));

    CHECK_OK(JetBeginTransaction(s));
    for (JET_INT32 k = 1; k <= 20; k++) {
        char text[16];
        snprintf(text, sizeof text, "n%02d", (int)(21 - k));
        insert(s, t, key, k, name, text);
    }
    CHECK_OK(JetCommitTransaction(s, 0));

    /* JetRetrieveColumns: two values, one truncated, and a value count. */
    CHECK(seek_key(s, t, 5));
    JET_INT32 got_key = 0;
    char got_name[2];
    JET_RETRIEVECOLUMN get[3];
    memset(get, 0, sizeof get);
    get[0].columnid = key;
    get[0].pvData = &got_key;
    get[0].cbData = sizeof got_key;
    get[0].itagSequence = 1;
    get[1].columnid = name;
    get[1].pvData = got_name;
    get[1].cbData = sizeof got_name;
    get[1].itagSequence = 1;
    get[2].columnid = name;
    get[2].itagSequence = 0;
    CHECK_OK(JetRetrieveColumns(s, t, get, 3));
    CHECK(got_key == 5 && get[0].err == 0 && get[0].cbActual == 4);
    CHECK(get[1].err == JET_wrnBufferTruncated && get[1].cbActual == 3 && got_name[0] == 'n');
    CHECK(get[2].itagSequence == 1);

    /* A long value written in pieces, read back from an offset. */
    CHECK_OK(JetBeginTransaction(s));
    CHECK_OK(JetPrepareUpdate(s, t, JET_prepReplace));
    static char piece[3000];
    for (int i = 0; i < 4; i++) {
        memset(piece, 'a' + i, sizeof piece);
        CHECK_OK(JetSetColumn(s, t, blob, piece, sizeof piece, JET_bitSetAppendLV, NULL));
    }
    JET_SETINFO setinfo = {sizeof(JET_SETINFO), 1000, 1};
    CHECK_OK(JetSetColumn(s, t, blob, "XYZ", 3, JET_bitSetOverwriteLV, &setinfo));
    CHECK_OK(JetUpdate(s, t, NULL, 0, NULL));
    CHECK_OK(JetCommitTransaction(s, 0));
    char back[16];
    unsigned long actual = 0;
    JET_RETINFO retinfo = {sizeof(JET_RETINFO), 999, 1, 0};
    CHECK_ERR(JET_wrnBufferTruncated, JetRetrieveColumn(s, t, blob, back, 5, &actual, 0, &retinfo));
    CHECK(actual == 12000 - 999 && memcmp(back, "aXYZa", 5) == 0);
    retinfo.ibLongValue = 9000;
    CHECK_ERR(JET_wrnBufferTruncated, JetRetrieveColumn(s, t, blob, back, 1, &actual, 0, &retinfo));
    CHECK(back[0] == 'd');

    /* Escrow updates need a transaction; the old value comes back. */
    JET_INT32 delta = 7, old = -1;
    unsigned long old_size = 0;
    CHECK_ERR(JET_errNotInTransaction,
              JetEscrowUpdate(s, t, count, &delta, sizeof delta, &old, sizeof old, &old_size, 0));
    CHECK_OK(JetBeginTransaction(s));
    CHECK_OK(JetEscrowUpdate(s, t, count, &delta, sizeof delta, &old, sizeof old, &old_size, 0));
    CHECK(old == 0 && old_size == 4);
    CHECK_OK(JetEscrowUpdate(s, t, count, &delta, sizeof delta, &old, sizeof old, NULL, 0));
    CHECK(old == 7);
    CHECK_OK(JetCommitTransaction(s, 0));
    JET_INT32 total = 0;
    CHECK_OK(JetRetrieveColumn(s, t, count, &total, sizeof total, NULL, 0, NULL));
    CHECK(total == 14);

    /* Save points: the inner level rolled back, the outer committed. */
    CHECK_OK(JetBeginTransaction(s));
    insert(s, t, key, 100, name, "outer");
    CHECK_OK(JetBeginTransaction(s));
    insert(s, t, key, 101, name, "inner");
    CHECK_OK(JetRollback(s, 0));
    CHECK_OK(JetCommitTransaction(s, 0));
    CHECK(seek_key(s, t, 100));
    CHECK(!seek_key(s, t, 101));

    /* A write conflict between two sessions, and JetGetLock. The table
     * is reopened first: JetCreateTable opened it for its creator alone,
     * and another session gets JET_errTableLocked until it is closed. */
    JET_SESID s2 = 0;
    CHECK_OK(JetBeginSession(instance, &s2, NULL, NULL));
    JET_DBID dbid2 = 0;
    CHECK_OK(JetOpenDatabase(s2, path, NULL, &dbid2, 0));
    JET_TABLEID t2 = 0;
    CHECK_ERR(JET_errTableLocked, JetOpenTable(s2, dbid2, "items", NULL, 0, 0, &t2));
    CHECK_OK(JetCloseTable(s, t));
    CHECK_OK(JetOpenTable(s, dbid, "items", NULL, 0, 0, &t));
    CHECK_OK(JetOpenTable(s2, dbid2, "items", NULL, 0, 0, &t2));
    CHECK_OK(JetBeginTransaction(s));
    CHECK(seek_key(s, t, 3));
    CHECK_OK(JetGetLock(s, t, JET_bitWriteLock));
    CHECK_OK(JetBeginTransaction(s2));
    CHECK(seek_key(s2, t2, 3));
    CHECK_ERR(JET_errWriteConflict, JetPrepareUpdate(s2, t2, JET_prepReplace));
    CHECK_OK(JetRollback(s2, 0));
    CHECK_OK(JetCommitTransaction(s, 0));

    /* JetRetrieveKey, JetDupCursor, record counts and positions. */
    CHECK(seek_key(s, t, 4));
    unsigned char key_bytes[64];
    unsigned long key_size = 0;
    CHECK_OK(JetRetrieveKey(s, t, key_bytes, sizeof key_bytes, &key_size, 0));
    CHECK(key_size == 5);
    CHECK_ERR(JET_wrnBufferTruncated, JetRetrieveKey(s, t, key_bytes, 2, &key_size, 0));
    JET_TABLEID copy = 0;
    CHECK_OK(JetDupCursor(s, t, &copy, 0));
    unsigned long records = 0;
    CHECK_OK(JetIndexRecordCount(s, copy, &records, 0));
    CHECK(records == 21);
    CHECK_OK(JetIndexRecordCount(s, copy, &records, 5));
    CHECK(records == 5);
    JET_RECPOS position;
    CHECK_OK(JetGetRecordPosition(s, t, &position, sizeof position));
    CHECK(position.centriesLT == 3 && position.centriesTotal == 21);
    CHECK_ERR(JET_errInvalidParameter, JetGetRecordPosition(s, t, &position, 4));
    position.centriesLT = 10;
    CHECK_OK(JetGotoPosition(s, copy, &position));
    JET_INT32 at = 0;
    CHECK_OK(JetRetrieveColumn(s, copy, key, &at, sizeof at, NULL, 0, NULL));
    CHECK(at == 11);
    CHECK_OK(JetCloseTable(s, copy));

    /* JetSetCurrentIndex2 with JET_bitNoMove keeps the cursor on its
     * record; then secondary index bookmarks. */
    CHECK(seek_key(s, t, 9));
    CHECK_OK(JetSetCurrentIndex2(s, t, "ByName", JET_bitNoMove));
    CHECK_OK(JetRetrieveColumn(s, t, key, &at, sizeof at, NULL, 0, NULL));
    CHECK(at == 9);
    /* Selecting the current index again moves nothing, as documented. */
    CHECK_OK(JetSetCurrentIndex2(s, t, "ByName", JET_bitMoveFirst));
    CHECK_OK(JetRetrieveColumn(s, t, key, &at, sizeof at, NULL, 0, NULL));
    CHECK(at == 9);
    /* Another index, JET_bitMoveFirst: its first entry ("n01" is Key 20). */
    CHECK_OK(JetSetCurrentIndex2(s, t, "ByKey", JET_bitNoMove));
    CHECK_OK(JetSetCurrentIndex2(s, t, "ByName", JET_bitMoveFirst));
    CHECK_OK(JetRetrieveColumn(s, t, key, &at, sizeof at, NULL, 0, NULL));
    CHECK(at == 20);
    char index_name[64];
    CHECK_OK(JetGetCurrentIndex(s, t, index_name, sizeof index_name));
    CHECK(strcmp(index_name, "ByName") == 0);
    CHECK_ERR(JET_wrnBufferTruncated, JetGetCurrentIndex(s, t, index_name, 3));
    CHECK(strcmp(index_name, "By") == 0);
    CHECK_OK(JetMakeKey(s, t, "n07", 3, JET_bitNewKey));
    CHECK_OK(JetSeek(s, t, JET_bitSeekEQ));
    unsigned char sec[64], prim[64];
    unsigned long sec_size = 0, prim_size = 0;
    CHECK_OK(JetGetSecondaryIndexBookmark(s, t, sec, sizeof sec, &sec_size, prim, sizeof prim,
                                          &prim_size, 0));
    CHECK_OK(JetMove(s, t, JET_MoveFirst, 0));
    CHECK_OK(JetGotoSecondaryIndexBookmark(s, t, sec, (JET_UINT32)sec_size, prim,
                                           (JET_UINT32)prim_size, 0));
    CHECK_OK(JetRetrieveColumn(s, t, key, &at, sizeof at, NULL, 0, NULL));
    CHECK(at == 14);

    /* A session context: the transaction belongs to the context, and
     * JetBeginTransaction3 names it. */
    CHECK_OK(JetSetSessionContext(s2, 0x1234));
    CHECK_OK(JetBeginTransaction3(s2, 77, 0));
    CHECK_OK(JetCommitTransaction(s2, 0));
    CHECK_OK(JetResetSessionContext(s2));

    /* Schema changes by name. */
    CHECK_OK(JetCloseTable(s2, t2));
    CHECK_OK(JetRenameColumn(s, t, "Spare", "Extra", 0));
    CHECK_OK(JetDeleteColumn(s, t, "Extra"));
    CHECK_ERR(JET_errColumnNotFound, JetDeleteColumn2(s, t, "Extra", 0));
    CHECK_OK(JetSetCurrentIndex(s, t, NULL));
    CHECK_OK(JetDeleteIndex(s, t, "ByName"));
    CHECK_ERR(JET_errIndexNotFound, JetDeleteIndex(s, t, "ByName"));
    CHECK_OK(JetCloseTable(s, t));
    CHECK_OK(JetRenameTable(s, dbid, "items", "things"));
    CHECK_OK(JetOpenTable(s, dbid, "things", NULL, 0, 0, &t));
    CHECK_OK(JetCloseTable(s, t));
    CHECK_OK(JetDeleteTable(s, dbid, "things"));
    CHECK_ERR(JET_errObjectNotFound, JetOpenTable(s, dbid, "things", NULL, 0, 0, &t));
    (void)spare;

    CHECK_OK(JetEndSession(s2, 0));
    CHECK_OK(JetEndSession(s, 0));
    CHECK_OK(JetTerm(instance));
    return check_summary("records");
}
