/* The process-wide calls and the record-wide reads from C:
 * JetEnableMultiInstance (parameters set with the switch to multi-instance
 * mode, each JET_SETSYSPARAM's err, the count that succeeded, a second
 * call refused), JetInit3 with a JET_RSTINFO (cbStruct checked),
 * JetGetInstanceInfo and JetFreeBuffer, JetCommitTransaction2's
 * JET_COMMIT_ID, JetEnumerateColumns (every option this library offers,
 * the program's allocator, a failing allocator leaving nothing behind),
 * JetGetRecordSize, and JetDefragment2's completion callback.
 * argv[1] is a scratch directory. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <esent.h>
#include <stdatomic.h>
#include <time.h>

#include "check.h"

/* The allocator JetEnumerateColumns is given: realloc, counting the blocks
 * alive, failing once `budget` blocks have been handed out (when >= 0). */
typedef struct {
    int live;
    int budget;
} Blocks;

static void *JET_API counting_realloc(void *context, void *pv, JET_UINT32 cb)
{
    Blocks *blocks = (Blocks *)context;
    if (cb == 0) {
        if (pv) {
            blocks->live--;
            free(pv);
        }
        return NULL;
    }
    if (pv == NULL) {
        if (blocks->budget == 0) {
            return NULL;
        }
        if (blocks->budget > 0) {
            blocks->budget--;
        }
        blocks->live++;
    }
    return realloc(pv, cb);
}

static void free_enumeration(Blocks *blocks, JET_UINT32 count, JET_ENUMCOLUMN *columns)
{
    for (JET_UINT32 i = 0; i < count; i++) {
        if (columns[i].err == JET_wrnColumnSingleValue) {
            counting_realloc(blocks, columns[i].pvData, 0);
            continue;
        }
        for (JET_UINT32 v = 0; v < columns[i].cEnumColumnValue; v++) {
            counting_realloc(blocks, columns[i].rgEnumColumnValue[v].pvData, 0);
        }
        counting_realloc(blocks, columns[i].rgEnumColumnValue, 0);
    }
    counting_realloc(blocks, columns, 0);
}

static JET_COLUMNID add_column(JET_SESID s, JET_TABLEID t, const char *name, JET_COLTYP type,
                               JET_GRBIT grbit)
{
    JET_COLUMNDEF column;
    memset(&column, 0, sizeof column);
    column.cbStruct = sizeof column;
    column.coltyp = type;
    column.grbit = grbit;
    JET_COLUMNID id = 0;
    CHECK_OK(JetAddColumn(s, t, name, &column, NULL, 0, &id));
    return id;
}

/* Set on the defragmentation task's thread, read on the main one. */
static atomic_int completions = 0;
static atomic_uint completed_dbid = 0;
static JET_ERR JET_API defrag_done(JET_SESID sesid, JET_DBID dbid, JET_TABLEID tableid,
                                   JET_CBTYP cbtyp, void *arg1, void *arg2, void *context,
                                   JET_API_PTR unused)
{
    (void)sesid;
    (void)arg1;
    (void)arg2;
    (void)context;
    (void)unused;
    if (cbtyp == JET_cbtypOnlineDefragCompleted && tableid == JET_tableidNil) {
        completed_dbid = dbid;
        completions++;
    }
    return JET_errSuccess;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    char dir[2048], path[4096];
    snprintf(dir, sizeof dir, "%s/", argv[1]);
    snprintf(path, sizeof path, "%s/process.edb", argv[1]);

    /* JetEnableMultiInstance: the good parameter is set and reported, a
     * bad one stops the list and the mode stays unset; then it works. */
    JET_SETSYSPARAM params[2];
    memset(params, 0, sizeof params);
    params[0].paramid = JET_paramDatabasePageSize;
    params[0].lParam = 8192;
    params[0].err = -1;
    params[1].paramid = 99999; /* no such parameter */
    params[1].err = -1;
    unsigned long succeeded = 77;
    JET_ERR err = JetEnableMultiInstance(params, 2, &succeeded);
    CHECK(err < 0);
    CHECK(succeeded == 1);
    CHECK(params[0].err == JET_errSuccess);
    CHECK(params[1].err == err);
    CHECK_ERR(JET_errInvalidParameter, JetEnableMultiInstance(NULL, 1, NULL));
    params[1].paramid = JET_paramMaxInstances;
    params[1].lParam = 4;
    params[0].err = params[1].err = -1;
    JET_UINT32 set = 0;
    CHECK_OK(JetEnableMultiInstance(params, 2, &set));
    CHECK(set == 2 && params[0].err == 0 && params[1].err == 0);
    JET_API_PTR page_size = 0;
    CHECK_OK(JetGetSystemParameter(0, JET_sesidNil, JET_paramDatabasePageSize, &page_size, NULL, 0));
    CHECK(page_size == 8192);
    /* Asked again: already in multi-instance mode. */
    CHECK_ERR(JET_errSystemParamsAlreadySet, JetEnableMultiInstance(NULL, 0, NULL));
    /* Legacy JetInit is now refused. */
    JET_INSTANCE legacy = 0;
    CHECK_ERR(JET_errRunningInMultiInstanceMode, JetInit(&legacy));

    JET_INSTANCE instance = 0;
    CHECK_OK(JetCreateInstance(&instance, "c-process"));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, dir));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, dir));

    /* JetInit3: a JET_RSTINFO of the wrong size, a stopping point (not
     * offered), then a good one with an empty map. */
    JET_RSTINFO info;
    memset(&info, 0, sizeof info);
    info.cbStruct = sizeof info - 1;
    CHECK_ERR(JET_errInvalidParameter, JetInit3(&instance, &info, 0));
    info.cbStruct = sizeof info;
    info.lgposStop.lGeneration = 3;
    CHECK_ERR(JET_errInvalidParameter, JetInit3(&instance, &info, 0));
    info.lgposStop.lGeneration = 0;
    CHECK_ERR(JET_errInvalidGrbit, JetInit3(&instance, &info, 0x40000000));
    CHECK_OK(JetInit3(&instance, &info, 0));
    CHECK_ERR(JET_errAlreadyInitialized, JetInit3(&instance, NULL, 0));

    JET_SESID sesid = 0;
    JET_DBID dbid = 0;
    CHECK_OK(JetBeginSession(instance, &sesid, NULL, NULL));
    CHECK_OK(JetCreateDatabase(sesid, path, NULL, &dbid, 0));

    /* JetGetInstanceInfo: this instance, its name and its database. */
    unsigned long instances = 0;
    JET_INSTANCE_INFO *infos = NULL;
    CHECK_OK(JetGetInstanceInfo(&instances, &infos));
    CHECK(instances == 1 && infos != NULL);
    if (instances == 1 && infos) {
        CHECK(infos[0].hInstanceId == instance);
        CHECK(strcmp(infos[0].szInstanceName, "c-process") == 0);
        CHECK(infos[0].cDatabases == 1);
        CHECK(infos[0].cDatabases == 1 && strstr(infos[0].szDatabaseFileName[0], "process.edb"));
        CHECK(infos[0].cDatabases == 1 && strcmp(infos[0].szDatabaseDisplayName[0],
                                                 infos[0].szDatabaseFileName[0]) == 0);
    }
    CHECK_OK(JetFreeBuffer((char *)infos));
    CHECK_OK(JetFreeBuffer(NULL));
    /* Memory the library never gave out (or gave and took back). */
    CHECK_ERR(JET_errInvalidParameter, JetFreeBuffer((char *)infos));
    CHECK_ERR(JET_errInvalidParameter, JetGetInstanceInfo(NULL, &infos));
    /* The W form: the same, in UTF-16. */
    JET_UINT32 wide_count = 0;
    JET_INSTANCE_INFO_W *wide = NULL;
    CHECK_OK(JetGetInstanceInfoW(&wide_count, &wide));
    CHECK(wide_count == 1 && wide && wide[0].szInstanceName[0] == 'c' &&
          wide[0].szInstanceName[1] == '-' && wide[0].szInstanceName[9] == 0);
    CHECK_OK(JetFreeBuffer((char *)wide));

    /* A table with a fixed, a variable, a multi-valued tagged and a long
     * binary column. */
    JET_TABLEID table = 0;
    CHECK_OK(JetBeginTransaction(sesid));
    CHECK_OK(JetCreateTable(sesid, dbid, "things", 0, 100, &table));
    JET_COLUMNID c_id = add_column(sesid, table, "id", JET_coltypLong, JET_bitColumnFixed);
    JET_COLUMNID c_name = add_column(sesid, table, "name", JET_coltypText, 0);
    JET_COLUMNID c_tags = add_column(sesid, table, "tags", JET_coltypBinary,
                                     JET_bitColumnTagged | JET_bitColumnMultiValued);
    JET_COLUMNID c_blob = add_column(sesid, table, "blob", JET_coltypLongBinary, 0);
    /* Never set: NULL in every record. */
    JET_COLUMNID c_empty = add_column(sesid, table, "empty", JET_coltypBinary,
                                      JET_bitColumnTagged | JET_bitColumnMultiValued);
    CHECK_OK(JetCreateIndex(sesid, table, "primary", JET_bitIndexPrimary, "+id\0", 5, 100));
    JET_COMMIT_ID commit;
    memset(&commit, 0xff, sizeof commit);
    CHECK_OK(JetCommitTransaction2(sesid, 0, 0, &commit));
    CHECK(commit.commitId > 0);
    /* The log's signature: a creation time (year since 1900) is there. */
    CHECK(commit.signLog.logtimeCreate.bYear > 100);

    static unsigned char blob[3000];
    for (size_t i = 0; i < sizeof blob; i++) {
        blob[i] = (unsigned char)(i * 7);
    }
    JET_INT32 id = 42;
    CHECK_OK(JetBeginTransaction(sesid));
    CHECK_OK(JetPrepareUpdate(sesid, table, JET_prepInsert));
    CHECK_OK(JetSetColumn(sesid, table, c_id, &id, sizeof id, 0, NULL));
    CHECK_OK(JetSetColumn(sesid, table, c_name, "answer", 6, 0, NULL));
    CHECK_OK(JetSetColumn(sesid, table, c_tags, "aa", 2, 0, NULL));
    CHECK_OK(JetSetColumn(sesid, table, c_tags, "bbb", 3, 0, NULL));
    CHECK_OK(JetSetColumn(sesid, table, c_blob, blob, sizeof blob, 0, NULL));
    CHECK_OK(JetUpdate(sesid, table, NULL, 0, NULL));
    /* An inner commit has no id of its own. */
    CHECK_OK(JetBeginTransaction(sesid));
    CHECK_OK(JetCommitTransaction2(sesid, 0, 0, &commit));
    CHECK(commit.commitId == 0);
    JET_COMMIT_ID second;
    CHECK_OK(JetCommitTransaction2(sesid, JET_bitCommitLazyFlush, 10, &second));
    CHECK(second.commitId > 0);
    CHECK(memcmp(&second.signLog, &commit.signLog, sizeof second.signLog) == 0);
    CHECK_ERR(JET_errNotInTransaction, JetCommitTransaction2(sesid, 0, 0, NULL));
    CHECK_OK(JetMove(sesid, table, JET_MoveFirst, 0));

    /* Every column, no options: four columns, tags with two values. */
    Blocks blocks = {0, -1};
    unsigned long count = 0;
    JET_ENUMCOLUMN *columns = NULL;
    CHECK_OK(JetEnumerateColumns(sesid, table, 0, NULL, &count, &columns, counting_realloc,
                                 &blocks, 0x7fffffff, 0));
    CHECK(count == 4);
    int seen = 0;
    for (JET_UINT32 i = 0; i < count && columns; i++) {
        JET_ENUMCOLUMN *c = &columns[i];
        CHECK(c->err == JET_errSuccess);
        if (c->columnid == c_id) {
            seen |= 1;
            CHECK(c->cEnumColumnValue == 1 && c->rgEnumColumnValue[0].cbData == 4 &&
                  *(JET_INT32 *)c->rgEnumColumnValue[0].pvData == 42);
        } else if (c->columnid == c_name) {
            seen |= 2;
            CHECK(c->cEnumColumnValue == 1 && c->rgEnumColumnValue[0].cbData == 6 &&
                  memcmp(c->rgEnumColumnValue[0].pvData, "answer", 6) == 0);
        } else if (c->columnid == c_tags) {
            seen |= 4;
            CHECK(c->cEnumColumnValue == 2);
            CHECK(c->rgEnumColumnValue[0].itagSequence == 1 &&
                  memcmp(c->rgEnumColumnValue[0].pvData, "aa", 2) == 0);
            CHECK(c->rgEnumColumnValue[1].itagSequence == 2 &&
                  c->rgEnumColumnValue[1].cbData == 3 &&
                  memcmp(c->rgEnumColumnValue[1].pvData, "bbb", 3) == 0);
        } else if (c->columnid == c_blob) {
            seen |= 8;
            CHECK(c->cEnumColumnValue == 1 && c->rgEnumColumnValue[0].cbData == sizeof blob &&
                  memcmp(c->rgEnumColumnValue[0].pvData, blob, sizeof blob) == 0);
        }
    }
    CHECK(seen == 15);
    free_enumeration(&blocks, count, columns);
    CHECK(blocks.live == 0);

    /* Compressed: single values come inline with JET_wrnColumnSingleValue;
     * the multi-valued column keeps its array. Tagged only: just tags. */
    CHECK_OK(JetEnumerateColumns(sesid, table, 0, NULL, &count, &columns, counting_realloc,
                                 &blocks, 0x7fffffff, JET_bitEnumerateCompressOutput));
    CHECK(count == 4);
    for (JET_UINT32 i = 0; i < count && columns; i++) {
        if (columns[i].columnid == c_tags) {
            CHECK(columns[i].err == JET_errSuccess && columns[i].cEnumColumnValue == 2);
        } else {
            CHECK(columns[i].err == JET_wrnColumnSingleValue);
        }
        if (columns[i].columnid == c_name) {
            CHECK(columns[i].cbData == 6 && memcmp(columns[i].pvData, "answer", 6) == 0);
        }
    }
    free_enumeration(&blocks, count, columns);
    CHECK_OK(JetEnumerateColumns(sesid, table, 0, NULL, &count, &columns, counting_realloc,
                                 &blocks, 0x7fffffff, JET_bitEnumerateTaggedOnly));
    /* Long value columns are tagged columns in ESE whatever their grbit. */
    CHECK(count == 2 && columns && columns[0].columnid == c_tags &&
          columns[1].columnid == c_blob);
    free_enumeration(&blocks, count, columns);
    CHECK(blocks.live == 0);

    /* Chosen columns, in the order asked: a skipped slot (0), the tags'
     * second and a missing fifth value with a skipped value number, the
     * blob capped by cbDataMost, presence only for the name... */
    JET_UINT32 wanted_tags[3] = {2, 0, 5};
    JET_ENUMCOLUMNID ids[4];
    memset(ids, 0, sizeof ids);
    ids[0].columnid = 0;
    ids[1].columnid = c_tags;
    ids[1].ctagSequence = 3;
    ids[1].rgtagSequence = wanted_tags;
    ids[2].columnid = c_blob;
    ids[3].columnid = c_id;
    CHECK_OK(JetEnumerateColumns(sesid, table, 4, ids, &count, &columns, counting_realloc,
                                 &blocks, 100, 0));
    CHECK(count == 4);
    if (count == 4 && columns) {
        CHECK(columns[0].columnid == 0 && columns[0].err == JET_wrnColumnSkipped);
        CHECK(columns[1].columnid == c_tags && columns[1].cEnumColumnValue == 3);
        if (columns[1].cEnumColumnValue == 3) {
            JET_ENUMCOLUMNVALUE *v = columns[1].rgEnumColumnValue;
            CHECK(v[0].itagSequence == 2 && v[0].err == 0 && v[0].cbData == 3 &&
                  memcmp(v[0].pvData, "bbb", 3) == 0);
            CHECK(v[1].itagSequence == 0 && v[1].err == JET_wrnColumnSkipped && v[1].pvData == NULL);
            CHECK(v[2].itagSequence == 5 && v[2].err == JET_wrnColumnNull && v[2].pvData == NULL);
        }
        CHECK(columns[2].columnid == c_blob && columns[2].cEnumColumnValue == 1 &&
              columns[2].rgEnumColumnValue[0].err == JET_wrnColumnTruncated &&
              columns[2].rgEnumColumnValue[0].cbData == 100 &&
              memcmp(columns[2].rgEnumColumnValue[0].pvData, blob, 100) == 0);
        CHECK(columns[3].columnid == c_id && columns[3].err == 0);
    }
    free_enumeration(&blocks, count, columns);
    /* ... presence only: statuses, no data. A column asked for whole is
     * present as a column; values asked for one by one are each present,
     * skipped or NULL. */
    CHECK_OK(JetEnumerateColumns(sesid, table, 4, ids, &count, &columns, counting_realloc,
                                 &blocks, 0x7fffffff, JET_bitEnumeratePresenceOnly));
    CHECK(count == 4 && columns != NULL);
    if (count == 4 && columns) {
        CHECK(columns[3].err == JET_wrnColumnPresent && columns[3].cEnumColumnValue == 0);
        CHECK(columns[1].err == JET_errSuccess && columns[1].cEnumColumnValue == 3);
        if (columns[1].cEnumColumnValue == 3) {
            JET_ENUMCOLUMNVALUE *v = columns[1].rgEnumColumnValue;
            CHECK(v[0].err == JET_wrnColumnPresent && v[0].pvData == NULL && v[0].cbData == 0);
            CHECK(v[1].err == JET_wrnColumnSkipped && v[2].err == JET_wrnColumnNull);
        }
    }
    free_enumeration(&blocks, count, columns);
    CHECK(blocks.live == 0);

    /* A NULL column: asked for whole, the column is NULL; asked value by
     * value, each slot is there, NULL. */
    JET_UINT32 two_tags[2] = {1, 2};
    JET_ENUMCOLUMNID nulls[2];
    memset(nulls, 0, sizeof nulls);
    nulls[0].columnid = c_empty;
    nulls[1].columnid = c_empty;
    nulls[1].ctagSequence = 2;
    nulls[1].rgtagSequence = two_tags;
    CHECK_OK(JetEnumerateColumns(sesid, table, 2, nulls, &count, &columns, counting_realloc,
                                 &blocks, 0x7fffffff, 0));
    CHECK(count == 2 && columns != NULL);
    if (count == 2 && columns) {
        CHECK(columns[0].err == JET_wrnColumnNull && columns[0].cEnumColumnValue == 0);
        CHECK(columns[1].err == JET_errSuccess && columns[1].cEnumColumnValue == 2);
        if (columns[1].cEnumColumnValue == 2) {
            CHECK(columns[1].rgEnumColumnValue[0].itagSequence == 1 &&
                  columns[1].rgEnumColumnValue[0].err == JET_wrnColumnNull);
            CHECK(columns[1].rgEnumColumnValue[1].itagSequence == 2 &&
                  columns[1].rgEnumColumnValue[1].err == JET_wrnColumnNull);
        }
    }
    free_enumeration(&blocks, count, columns);
    CHECK(blocks.live == 0);

    /* A column that does not exist: the answer is complete but for it,
     * and the call reports the column's error. */
    ids[0].columnid = 200;
    ids[1].ctagSequence = 0;
    CHECK_ERR(JET_errColumnNotFound,
              JetEnumerateColumns(sesid, table, 2, ids, &count, &columns, counting_realloc,
                                  &blocks, 0x7fffffff, 0));
    CHECK(count == 2 && columns && columns[0].err == JET_errColumnNotFound &&
          columns[1].cEnumColumnValue == 2);
    free_enumeration(&blocks, count, columns);
    ids[0].columnid = 0x7ffffff0;
    CHECK_ERR(JET_errBadColumnId,
              JetEnumerateColumns(sesid, table, 1, ids, &count, &columns, counting_realloc,
                                  &blocks, 0x7fffffff, 0));
    free_enumeration(&blocks, count, columns);
    CHECK(blocks.live == 0);

    /* Refused: TaggedOnly with a list, an unknown bit, no allocator, no
     * out-pointers. Outputs are 0 and NULL. */
    ids[0].columnid = c_id;
    count = 9;
    CHECK_ERR(JET_errInvalidGrbit,
              JetEnumerateColumns(sesid, table, 1, ids, &count, &columns, counting_realloc,
                                  &blocks, 0x7fffffff, JET_bitEnumerateTaggedOnly));
    CHECK(count == 0 && columns == NULL);
    CHECK_ERR(JET_errInvalidGrbit,
              JetEnumerateColumns(sesid, table, 0, NULL, &count, &columns, counting_realloc,
                                  &blocks, 0x7fffffff, 0x01000000));
    CHECK_ERR(JET_errInvalidParameter,
              JetEnumerateColumns(sesid, table, 0, NULL, &count, &columns, NULL, NULL, 0, 0));
    CHECK_ERR(JET_errInvalidParameter,
              JetEnumerateColumns(sesid, table, 0, NULL, NULL, &columns, counting_realloc,
                                  &blocks, 0, 0));

    /* An allocator that gives out three blocks and then fails: out of
     * memory, and the three are given back. */
    blocks.budget = 3;
    CHECK_ERR(JET_errOutOfMemory,
              JetEnumerateColumns(sesid, table, 0, NULL, &count, &columns, counting_realloc,
                                  &blocks, 0x7fffffff, 0));
    CHECK(count == 0 && columns == NULL && blocks.live == 0 && blocks.budget == 0);
    blocks.budget = -1;

    /* JetGetRecordSize: the data (4 + 6 + 2 + 3 bytes, the blob as long
     * value data), the columns (id and name fixed and variable; tags and
     * the long value tagged) and the second tag as a multi-value. */
    JET_RECSIZE size;
    memset(&size, 0, sizeof size);
    CHECK_OK(JetGetRecordSize(sesid, table, &size, 0));
    CHECK(size.cbData == 15);
    CHECK(size.cbLongValueData == sizeof blob);
    CHECK(size.cNonTaggedColumns == 2 && size.cTaggedColumns == 2);
    CHECK(size.cMultiValues == 1 && size.cLongValues == 1);
    CHECK(size.cbOverhead > 0);
    JET_RECSIZE running = size;
    CHECK_OK(JetGetRecordSize(sesid, table, &running, JET_bitRecordSizeRunningTotal));
    CHECK(running.cbData == 30 && running.cTaggedColumns == 4);
    CHECK_OK(JetGetRecordSize(sesid, table, &size, JET_bitRecordSizeLocal));
    CHECK(size.cbData == 15 && size.cbLongValueData == 0 && size.cLongValues == 0);
    /* The copy buffer: what an update has set so far. */
    CHECK_OK(JetPrepareUpdate(sesid, table, JET_prepReplace));
    CHECK_OK(JetSetColumn(sesid, table, c_name, "a much longer name", 18, 0, NULL));
    CHECK_OK(JetGetRecordSize(sesid, table, &size, JET_bitRecordSizeInCopyBuffer));
    CHECK(size.cbData == 27);
    CHECK_OK(JetPrepareUpdate(sesid, table, JET_prepCancel));
    CHECK_ERR(JET_errInvalidGrbit, JetGetRecordSize(sesid, table, &size, 0x100));
    CHECK_ERR(JET_errInvalidParameter, JetGetRecordSize(sesid, table, NULL, 0));

    /* JetDefragment2: a task of one pass; its callback reports the end. */
    unsigned long passes = 1, seconds = 30;
    err = JetDefragment2(sesid, dbid, NULL, &passes, &seconds, defrag_done,
                         JET_bitDefragmentBatchStart);
    CHECK(err == JET_errSuccess);
    /* Starting, the two are limits, left as they were. */
    CHECK(passes == 1 && seconds == 30);
    for (int i = 0; i < 500 && completions == 0; i++) {
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    CHECK(completions == 1 && completed_dbid == dbid);
    /* Nothing runs now: stopping says so, and reports no time spent
     * (one unsigned long out-parameter, the other NULL). */
    unsigned long spent = 99;
    CHECK_ERR(JET_wrnDefragNotRunning,
              JetDefragment(sesid, dbid, NULL, NULL, &spent, JET_bitDefragmentBatchStop));
    CHECK(spent == 0);
    CHECK_ERR(JET_errInvalidGrbit,
              JetDefragment(sesid, dbid, NULL, NULL, NULL,
                            JET_bitDefragmentBatchStart | JET_bitDefragmentBatchStop));

    CHECK_OK(JetCloseTable(sesid, table));
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm(instance));
    return check_summary("process");
}
