/* Threads and seeks from C: handles made on one thread used on others;
 * two threads inserting at once, each in its own session; a write
 * conflict between two threads' transactions on the same record (the
 * second writer gets JET_errWriteConflict until the first commits, then
 * succeeds); and JetSeek in every mode (EQ, LT, LE, GE, GT) on keys that
 * are and are not there, with JET_wrnSeekNotEqual wherever the entry
 * found is not an exact match (JetSeek's page), so always for LT and GT.
 * The threads only record what they saw; the checks run on the main
 * thread. argv[1] is a scratch directory. */
#define _POSIX_C_SOURCE 200809L
#include <esent.h>
#include <pthread.h>

#include "check.h"

static JET_INSTANCE instance;
static char path[4096];
static JET_COLUMNID c_key, c_value;

/* Two writers, each in a session begun on the main thread. */
typedef struct {
    JET_SESID sesid;
    JET_INT32 first;
    int inserted;
    JET_ERR last_err;
} Writer;

static void *insert_rows(void *arg)
{
    Writer *w = (Writer *)arg;
    JET_DBID dbid = 0;
    JET_TABLEID t = 0;
    w->last_err = JetOpenDatabase(w->sesid, path, NULL, &dbid, 0);
    if (w->last_err == JET_errSuccess) {
        w->last_err = JetOpenTable(w->sesid, dbid, "rows", NULL, 0, 0, &t);
    }
    for (JET_INT32 k = w->first; w->last_err == JET_errSuccess && k < w->first + 500; k++) {
        JET_ERR err = JetBeginTransaction(w->sesid);
        if (!err) err = JetPrepareUpdate(w->sesid, t, JET_prepInsert);
        if (!err) err = JetSetColumn(w->sesid, t, c_key, &k, sizeof k, 0, NULL);
        if (!err) err = JetUpdate(w->sesid, t, NULL, 0, NULL);
        if (!err) err = JetCommitTransaction(w->sesid, JET_bitCommitLazyFlush);
        if (err) {
            JetRollback(w->sesid, 0);
            w->last_err = err;
            break;
        }
        w->inserted++;
    }
    if (t) JetCloseTable(w->sesid, t);
    return NULL;
}

/* The conflict: the first writer updates key 7 and holds its transaction
 * open until the second has tried. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int stage = 0;

static void wait_for(int wanted)
{
    pthread_mutex_lock(&lock);
    while (stage < wanted) {
        pthread_cond_wait(&changed, &lock);
    }
    pthread_mutex_unlock(&lock);
}

static void move_to(int next)
{
    pthread_mutex_lock(&lock);
    stage = next;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

typedef struct {
    JET_SESID sesid;
    JET_TABLEID table;
    JET_ERR steps[6];
} Contender;

static JET_ERR seek_key(JET_SESID s, JET_TABLEID t, JET_INT32 k, JET_GRBIT grbit)
{
    JET_ERR err = JetMakeKey(s, t, &k, sizeof k, JET_bitNewKey);
    return err ? err : JetSeek(s, t, grbit);
}

static JET_ERR set_value(JET_SESID s, JET_TABLEID t, JET_INT32 value)
{
    JET_ERR err = JetPrepareUpdate(s, t, JET_prepReplace);
    if (!err) err = JetSetColumn(s, t, c_value, &value, sizeof value, 0, NULL);
    if (!err) err = JetUpdate(s, t, NULL, 0, NULL);
    return err;
}

static void *first_writer(void *arg)
{
    Contender *c = (Contender *)arg;
    c->steps[0] = JetBeginTransaction(c->sesid);
    c->steps[1] = seek_key(c->sesid, c->table, 7, JET_bitSeekEQ);
    c->steps[2] = set_value(c->sesid, c->table, 100);
    move_to(1);
    wait_for(2);
    c->steps[3] = JetCommitTransaction(c->sesid, 0);
    move_to(3);
    return NULL;
}

static void *second_writer(void *arg)
{
    Contender *c = (Contender *)arg;
    wait_for(1);
    c->steps[0] = JetBeginTransaction(c->sesid);
    c->steps[1] = seek_key(c->sesid, c->table, 7, JET_bitSeekEQ);
    c->steps[2] = JetPrepareUpdate(c->sesid, c->table, JET_prepReplace);
    c->steps[3] = JetRollback(c->sesid, 0);
    move_to(2);
    wait_for(3);
    c->steps[4] = JetBeginTransaction(c->sesid);
    JET_ERR err = seek_key(c->sesid, c->table, 7, JET_bitSeekEQ);
    if (!err) err = set_value(c->sesid, c->table, 200);
    if (!err) err = JetCommitTransaction(c->sesid, 0);
    c->steps[5] = err;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    char dir[2048];
    snprintf(dir, sizeof dir, "%s/", argv[1]);
    snprintf(path, sizeof path, "%s/threads.edb", argv[1]);
    CHECK_OK(JetCreateInstance(&instance, "c-threads"));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, dir));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, dir));
    CHECK_OK(JetInit(&instance));
    JET_SESID sesid = 0;
    JET_DBID dbid = 0;
    CHECK_OK(JetBeginSession(instance, &sesid, NULL, NULL));
    CHECK_OK(JetCreateDatabase(sesid, path, NULL, &dbid, 0));
    JET_TABLEID table = 0;
    CHECK_OK(JetCreateTable(sesid, dbid, "rows", 0, 100, &table));
    JET_COLUMNDEF def;
    memset(&def, 0, sizeof def);
    def.cbStruct = sizeof def;
    def.coltyp = JET_coltypLong;
    CHECK_OK(JetAddColumn(sesid, table, "k", &def, NULL, 0, &c_key));
    CHECK_OK(JetAddColumn(sesid, table, "v", &def, NULL, 0, &c_value));
    CHECK_OK(JetCreateIndex(sesid, table, "primary", JET_bitIndexPrimary, "+k\0", 4, 100));
    CHECK_OK(JetCloseTable(sesid, table));
    CHECK_OK(JetCloseDatabase(sesid, dbid, 0));

    /* Two writers at once, on sessions begun here. */
    Writer writers[2] = {{0, 1000, 0, 0}, {0, 2000, 0, 0}};
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        CHECK_OK(JetBeginSession(instance, &writers[i].sesid, NULL, NULL));
        CHECK(pthread_create(&threads[i], NULL, insert_rows, &writers[i]) == 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
        CHECK_OK(writers[i].last_err);
        CHECK(writers[i].inserted == 500);
        CHECK_OK(JetEndSession(writers[i].sesid, 0));
    }
    CHECK_OK(JetOpenDatabase(sesid, path, NULL, &dbid, 0));
    CHECK_OK(JetOpenTable(sesid, dbid, "rows", NULL, 0, 0, &table));
    JET_UINT32 count = 0;
    CHECK_OK(JetIndexRecordCount(sesid, table, &count, 0));
    CHECK(count == 1000);

    /* Keys 7, 10, 20, 30 for the conflict and the seeks. */
    JET_INT32 keys[4] = {7, 10, 20, 30};
    CHECK_OK(JetBeginTransaction(sesid));
    for (int i = 0; i < 4; i++) {
        CHECK_OK(JetPrepareUpdate(sesid, table, JET_prepInsert));
        CHECK_OK(JetSetColumn(sesid, table, c_key, &keys[i], sizeof keys[i], 0, NULL));
        CHECK_OK(JetUpdate(sesid, table, NULL, 0, NULL));
    }
    CHECK_OK(JetCommitTransaction(sesid, 0));

    /* The write conflict between two threads. */
    Contender first = {0, 0, {1, 1, 1, 1, 1, 1}}, second = {0, 0, {1, 1, 1, 1, 1, 1}};
    Contender *both[2] = {&first, &second};
    for (int i = 0; i < 2; i++) {
        JET_DBID d = 0;
        CHECK_OK(JetBeginSession(instance, &both[i]->sesid, NULL, NULL));
        CHECK_OK(JetOpenDatabase(both[i]->sesid, path, NULL, &d, 0));
        CHECK_OK(JetOpenTable(both[i]->sesid, d, "rows", NULL, 0, 0, &both[i]->table));
    }
    CHECK(pthread_create(&threads[0], NULL, first_writer, &first) == 0);
    CHECK(pthread_create(&threads[1], NULL, second_writer, &second) == 0);
    pthread_join(threads[0], NULL);
    pthread_join(threads[1], NULL);
    CHECK_OK(first.steps[0]);
    CHECK_OK(first.steps[1]);
    CHECK_OK(first.steps[2]);
    CHECK_OK(first.steps[3]);
    CHECK_OK(second.steps[0]);
    CHECK_OK(second.steps[1]);
    CHECK_ERR(JET_errWriteConflict, second.steps[2]);
    CHECK_OK(second.steps[3]);
    CHECK_OK(second.steps[4]);
    CHECK_OK(second.steps[5]);
    /* The second writer's value is the one that stayed. */
    CHECK_OK(seek_key(sesid, table, 7, JET_bitSeekEQ));
    JET_INT32 value = 0;
    JET_UINT32 actual = 0;
    CHECK_OK(JetRetrieveColumn(sesid, table, c_value, &value, sizeof value, &actual, 0, NULL));
    CHECK(value == 200);
    for (int i = 0; i < 2; i++) {
        CHECK_OK(JetEndSession(both[i]->sesid, 0));
    }

    /* Seeks in every mode, on keys 7, 10, 20, 30 (and 1000..2499). */
    struct {
        JET_INT32 key;
        JET_GRBIT grbit;
        JET_ERR expected;
        JET_INT32 lands_on;
    } seeks[] = {
        {20, JET_bitSeekEQ, JET_errSuccess, 20},
        {25, JET_bitSeekEQ, JET_errRecordNotFound, 0},
        {20, JET_bitSeekLT, JET_wrnSeekNotEqual, 10},
        {7, JET_bitSeekLT, JET_errRecordNotFound, 0},
        {20, JET_bitSeekLE, JET_errSuccess, 20},
        {25, JET_bitSeekLE, JET_wrnSeekNotEqual, 20},
        {5, JET_bitSeekLE, JET_errRecordNotFound, 0},
        {20, JET_bitSeekGE, JET_errSuccess, 20},
        {25, JET_bitSeekGE, JET_wrnSeekNotEqual, 30},
        {20, JET_bitSeekGT, JET_wrnSeekNotEqual, 30},
        {30, JET_bitSeekGT, JET_wrnSeekNotEqual, 1000},
        {2499, JET_bitSeekGT, JET_errRecordNotFound, 0},
        {3000, JET_bitSeekGE, JET_errRecordNotFound, 0},
    };
    for (size_t i = 0; i < sizeof seeks / sizeof seeks[0]; i++) {
        JET_ERR err = seek_key(sesid, table, seeks[i].key, seeks[i].grbit);
        CHECK_ERR(seeks[i].expected, err);
        if (err >= 0) {
            JET_INT32 found = 0;
            CHECK_OK(JetRetrieveColumn(sesid, table, c_key, &found, sizeof found, &actual, 0, NULL));
            if (found != seeks[i].lands_on) {
                fprintf(stderr, "seek %zu landed on %d, not %d\n", i, (int)found,
                        (int)seeks[i].lands_on);
            }
            CHECK(found == seeks[i].lands_on);
        }
    }
    /* A seek with an unknown bit, and one on a cursor with no key made. */
    CHECK_OK(JetMakeKey(sesid, table, &keys[0], sizeof keys[0], JET_bitNewKey));
    CHECK_ERR(JET_errInvalidGrbit, JetSeek(sesid, table, 0x40000000));
    JET_TABLEID fresh = 0;
    CHECK_OK(JetOpenTable(sesid, dbid, "rows", NULL, 0, 0, &fresh));
    CHECK_ERR(JET_errKeyNotMade, JetSeek(sesid, fresh, JET_bitSeekEQ));
    CHECK_OK(JetCloseTable(sesid, fresh));

    CHECK_OK(JetCloseTable(sesid, table));
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm(instance));
    return check_summary("threads");
}
