/* A streaming backup client in C: JetBeginExternalBackupInstance, the
 * attach list, each database read through JetOpenFileInstance /
 * JetReadFileInstance into a directory, the log list and its files, the
 * truncation and the normal end; then JetStopBackupInstance during a
 * second backup, as JetStopBackupInstance's page describes it: the
 * backup's reads fail with JET_errBackupAbortByServer, its end is still
 * allowed. argv[1] is a scratch directory. */
#include <esent.h>

#include "check.h"

static char root[2048];

/* Copies the backup file `name` into root/copy/, through the instance's
 * streaming reads; returns the bytes copied, or -1. */
static long long copy_file(JET_INSTANCE instance, const char *name)
{
    JET_HANDLE file = 0;
    unsigned long low = 0, high = 0;
    JET_ERR err = JetOpenFileInstance(instance, name, &file, &low, &high);
    CHECK_OK(err);
    if (err != JET_errSuccess) {
        return -1;
    }
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    char target[8192];
    snprintf(target, sizeof target, "%s/copy/%s", root, base);
    FILE *out = fopen(target, "wb");
    CHECK(out != NULL);
    static char chunk[65536];
    long long total = 0;
    for (;;) {
        JET_UINT32 read = 0;
        err = JetReadFileInstance(instance, file, chunk, sizeof chunk, &read);
        if (err != JET_errSuccess || read == 0) {
            break;
        }
        if (out) {
            fwrite(chunk, 1, read, out);
        }
        total += read;
    }
    CHECK_OK(err);
    if (out) {
        fclose(out);
    }
    CHECK_OK(JetCloseFileInstance(instance, file));
    CHECK(total == ((long long)high << 32 | (long long)low));
    return total;
}

/* Copies every file of a `szz` list; returns how many. */
static int copy_list(JET_INSTANCE instance, const char *list)
{
    int files = 0;
    for (const char *name = list; *name; name += strlen(name) + 1) {
        if (copy_file(instance, name) >= 0) {
            files++;
        }
    }
    return files;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    snprintf(root, sizeof root, "%s", argv[1]);
    char system_dir[4096], path[4096], copy_dir[4096];
    snprintf(system_dir, sizeof system_dir, "%s/", root);
    snprintf(path, sizeof path, "%s/backed.edb", root);
    snprintf(copy_dir, sizeof copy_dir, "%s/copy", root);
    char command[8300];
    snprintf(command, sizeof command, "mkdir -p '%s'", copy_dir);
    CHECK(system(command) == 0);

    JET_INSTANCE instance = 0;
    CHECK_OK(JetCreateInstance(&instance, "c-backup"));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, system_dir));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, system_dir));
    CHECK_OK(JetInit(&instance));
    JET_SESID sesid = 0;
    CHECK_OK(JetBeginSession(instance, &sesid, NULL, NULL));
    JET_DBID dbid = 0;
    CHECK_OK(JetCreateDatabase(sesid, path, NULL, &dbid, 0));
    JET_TABLEID table = 0;
    CHECK_OK(JetCreateTable(sesid, dbid, "rows", 0, 100, &table));
    JET_COLUMNDEF def;
    memset(&def, 0, sizeof def);
    def.cbStruct = sizeof def;
    def.coltyp = JET_coltypLong;
    JET_COLUMNID column = 0;
    CHECK_OK(JetAddColumn(sesid, table, "N", &def, NULL, 0, &column));
    CHECK_OK(JetCreateIndex(sesid, table, "ByN", JET_bitIndexPrimary, "+N\0", 4, 100));
    CHECK_OK(JetBeginTransaction(sesid));
    for (JET_INT32 n = 0; n < 50; n++) {
        CHECK_OK(JetPrepareUpdate(sesid, table, JET_prepInsert));
        CHECK_OK(JetSetColumn(sesid, table, column, &n, sizeof n, 0, NULL));
        CHECK_OK(JetUpdate(sesid, table, NULL, 0, NULL));
    }
    CHECK_OK(JetCommitTransaction(sesid, 0));

    /* No backup yet: its calls are refused; JetStopBackup is for legacy
     * mode only. */
    JET_HANDLE none = 0;
    unsigned long low = 0, high = 0;
    CHECK_ERR(JET_errNoBackup, JetOpenFileInstance(instance, path, &none, &low, &high));
    CHECK_ERR(JET_errRunningInMultiInstanceMode, JetStopBackup());
    CHECK_ERR(JET_errInvalidParameter, JetStopBackupInstance((JET_INSTANCE)0x7777));

    /* A full backup. */
    CHECK_OK(JetBeginExternalBackupInstance(instance, 0));
    unsigned long size = 0;
    CHECK_OK(JetGetAttachInfoInstance(instance, NULL, 0, &size));
    CHECK(size > 2);
    char *list = malloc(size);
    CHECK_OK(JetGetAttachInfoInstance(instance, list, (JET_UINT32)size, &size));
    CHECK(strstr(list, "backed.edb") != NULL);
    CHECK(copy_list(instance, list) == 1);
    free(list);
    CHECK_OK(JetGetLogInfoInstance(instance, NULL, 0, &size));
    list = malloc(size);
    CHECK_OK(JetGetLogInfoInstance(instance, list, (JET_UINT32)size, &size));
    CHECK(copy_list(instance, list) >= 1);
    free(list);
    CHECK_OK(JetTruncateLogInstance(instance));
    CHECK_OK(JetEndExternalBackupInstance(instance));

    /* A second backup, stopped by the application. */
    CHECK_OK(JetBeginExternalBackupInstance(instance, 0));
    JET_HANDLE file = 0;
    CHECK_OK(JetOpenFileInstance(instance, path, &file, &low, &high));
    CHECK_OK(JetStopBackupInstance(instance));
    static char chunk[4096];
    JET_UINT32 read = 0;
    CHECK_ERR(JET_errBackupAbortByServer,
              JetReadFileInstance(instance, file, chunk, sizeof chunk, &read));
    CHECK_ERR(JET_errBackupAbortByServer, JetGetLogInfoInstance(instance, NULL, 0, &size));
    CHECK_OK(JetCloseFileInstance(instance, file));
    CHECK_OK(JetEndExternalBackupInstance2(instance, JET_bitBackupEndAbort));
    /* The instance goes on: a new backup may begin. */
    CHECK_OK(JetBeginExternalBackupInstance(instance, 0));
    CHECK_OK(JetEndExternalBackupInstance2(instance, JET_bitBackupEndAbort));

    CHECK_OK(JetCloseTable(sesid, table));
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm2(instance, JET_bitTermComplete));
    return check_summary("backup");
}
