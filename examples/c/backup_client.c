/*
 * backup_client: an online backup of a running instance through ESENT's
 * streaming API, the way backup software drives it, then a restore of what
 * it copied.
 *
 * An instance "app" writes a table; JetBeginExternalBackupInstance starts a
 * full backup; the attach list and each database are read with
 * JetOpenFileInstance / JetReadFileInstance into a directory, then the log
 * list and its files; JetTruncateLogInstance and
 * JetEndExternalBackupInstance2 end it. A second instance, created but not
 * initialized, restores the directory with JetRestoreInstance into a new
 * place; initialized, it attaches the restored database and finds every
 * row. Last, a second backup of "app" is stopped by JetStopBackupInstance:
 * its reads fail, its end still goes through.
 *
 *   cc -std=c11 backup_client.c -I include -L target/release -lesent
 *   ./a.out /tmp/backup-demo
 */
#include <esent.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define Call(f)                                                                  \
    do {                                                                         \
        JET_ERR err_ = (f);                                                      \
        if (err_ < 0) {                                                          \
            fprintf(stderr, "%s:%d: %s failed: %d\n", __FILE__, __LINE__, #f, (int)err_); \
            exit(1);                                                             \
        }                                                                        \
    } while (0)

static char root[1024];

static JET_INSTANCE start(const char *name, const char *system, int init)
{
    JET_INSTANCE instance = 0;
    Call(JetCreateInstance(&instance, name));
    Call(JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, system));
    Call(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, system));
    if (init) {
        Call(JetInit(&instance));
    }
    return instance;
}

/* Copies one file of the running backup into `to`. */
static unsigned long long copy(JET_INSTANCE instance, const char *name, const char *to)
{
    JET_HANDLE file;
    unsigned long low, high;
    Call(JetOpenFileInstance(instance, name, &file, &low, &high));
    const char *base = strrchr(name, '/');
    char target[4096];
    snprintf(target, sizeof target, "%s/%s", to, base ? base + 1 : name);
    FILE *out = fopen(target, "wb");
    if (!out) {
        perror(target);
        exit(1);
    }
    static char chunk[1 << 16];
    unsigned long long total = 0;
    unsigned long read = 0;
    do {
        Call(JetReadFileInstance(instance, file, chunk, sizeof chunk, &read));
        fwrite(chunk, 1, read, out);
        total += read;
    } while (read > 0);
    fclose(out);
    Call(JetCloseFileInstance(instance, file));
    if (total != ((unsigned long long)high << 32 | low)) {
        fprintf(stderr, "%s: copied %llu bytes of %lu\n", name, total, low);
        exit(1);
    }
    return total;
}

/* Copies every file of a list ESENT returns (names, each NUL-ended, then a
 * final NUL). */
static int copy_all(JET_INSTANCE instance, int logs, const char *to)
{
    unsigned long size = 0;
    if (logs) {
        Call(JetGetLogInfoInstance(instance, NULL, 0, &size));
    } else {
        Call(JetGetAttachInfoInstance(instance, NULL, 0, &size));
    }
    char *list = malloc(size);
    if (logs) {
        Call(JetGetLogInfoInstance(instance, list, size, &size));
    } else {
        Call(JetGetAttachInfoInstance(instance, list, size, &size));
    }
    int files = 0;
    for (const char *name = list; *name; name += strlen(name) + 1) {
        printf("  %s: %llu bytes\n", name, copy(instance, name, to));
        files++;
    }
    free(list);
    return files;
}

static int progress_reports = 0;

static JET_ERR JET_API progress(JET_SESID sesid, JET_SNP snp, JET_SNT snt, void *pv)
{
    (void)sesid;
    (void)snt;
    (void)pv;
    if (snp == JET_snpRestore) {
        progress_reports++;
    }
    return JET_errSuccess;
}

int main(int argc, char **argv)
{
    snprintf(root, sizeof root, "%s", argc > 1 ? argv[1] : ".");
    char app_system[1100], database[1100], backup[1100], restore_system[1100], restored[1100];
    snprintf(app_system, sizeof app_system, "%s/app/", root);
    snprintf(database, sizeof database, "%s/app/app.edb", root);
    snprintf(backup, sizeof backup, "%s/backup", root);
    snprintf(restore_system, sizeof restore_system, "%s/restore/", root);
    snprintf(restored, sizeof restored, "%s/restored", root);
    mkdir(app_system, 0755);
    mkdir(backup, 0755);
    mkdir(restore_system, 0755);
    mkdir(restored, 0755);

    /* The application's data. */
    JET_INSTANCE app = start("app", app_system, 1);
    JET_SESID sesid;
    JET_DBID dbid;
    JET_TABLEID table;
    JET_COLUMNID column;
    Call(JetBeginSession(app, &sesid, NULL, NULL));
    Call(JetCreateDatabase(sesid, database, NULL, &dbid, 0));
    Call(JetCreateTable(sesid, dbid, "events", 0, 100, &table));
    JET_COLUMNDEF def = {sizeof(JET_COLUMNDEF), 0, JET_coltypLong, 0, 0, 0, 0, 0, 0};
    Call(JetAddColumn(sesid, table, "N", &def, NULL, 0, &column));
    Call(JetCreateIndex(sesid, table, "ByN", JET_bitIndexPrimary, "+N\0", 4, 100));
    Call(JetBeginTransaction(sesid));
    for (JET_INT32 n = 0; n < 500; n++) {
        Call(JetPrepareUpdate(sesid, table, JET_prepInsert));
        Call(JetSetColumn(sesid, table, column, &n, sizeof n, 0, NULL));
        Call(JetUpdate(sesid, table, NULL, 0, NULL));
    }
    Call(JetCommitTransaction(sesid, 0));

    /* The online backup, while the application's session stays open. */
    printf("backup:\n");
    Call(JetBeginExternalBackupInstance(app, 0));
    int databases = copy_all(app, 0, backup);
    int logs = copy_all(app, 1, backup);
    Call(JetTruncateLogInstance(app));
    Call(JetEndExternalBackupInstance2(app, JET_bitBackupEndNormal));

    /* The restore, by an instance of its own. */
    JET_INSTANCE restorer = start("restorer", restore_system, 0);
    Call(JetRestoreInstance(restorer, backup, restored, progress));
    Call(JetInit(&restorer));
    JET_SESID check;
    char restored_database[1200];
    snprintf(restored_database, sizeof restored_database, "%s/app.edb", restored);
    Call(JetBeginSession(restorer, &check, NULL, NULL));
    Call(JetAttachDatabase(check, restored_database, 0));
    JET_DBID restored_dbid;
    JET_TABLEID restored_table;
    Call(JetOpenDatabase(check, restored_database, NULL, &restored_dbid, 0));
    Call(JetOpenTable(check, restored_dbid, "events", NULL, 0, 0, &restored_table));
    unsigned long rows = 0;
    Call(JetIndexRecordCount(check, restored_table, &rows, 0));
    Call(JetCloseTable(check, restored_table));
    Call(JetEndSession(check, 0));
    Call(JetTerm(restorer));
    printf("restored: %lu rows (%d progress reports)\n", rows, progress_reports);

    /* A second backup, stopped by the application. */
    Call(JetBeginExternalBackupInstance(app, 0));
    JET_HANDLE file;
    unsigned long low, high, read;
    Call(JetOpenFileInstance(app, database, &file, &low, &high));
    Call(JetStopBackupInstance(app));
    static char chunk[4096];
    JET_ERR stopped = JetReadFileInstance(app, file, chunk, sizeof chunk, &read);
    Call(JetCloseFileInstance(app, file));
    Call(JetEndExternalBackupInstance2(app, JET_bitBackupEndAbort));
    printf("stopped backup's read: %d\n", (int)stopped);

    Call(JetCloseTable(sesid, table));
    Call(JetEndSession(sesid, 0));
    Call(JetTerm2(app, JET_bitTermComplete));
    return databases == 1 && logs >= 1 && rows == 500 && stopped == JET_errBackupAbortByServer
               ? 0
               : 1;
}
