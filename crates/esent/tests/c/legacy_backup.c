/* A streaming backup in legacy mode (JetInit without JetCreateInstance)
 * through the calls without "Instance" in their names: JetBeginExternalBackup,
 * JetGetAttachInfo, JetOpenFile / JetReadFile / JetCloseFile, JetGetLogInfo,
 * JetGetLogInfoInstance2's JET_LOGINFO, JetTruncateLog,
 * JetEndExternalBackup; then the copy restored with JetExternalRestore2
 * (the database put back by the client, as ESENT's backup clients do) and
 * read again. argv[1] is a scratch directory. */
#include <esent.h>

#include "check.h"

static char root[2048];

/* Copies the file `from` to `to` with stdio; true when it worked. */
static int copy_plain(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    int ok = in && out;
    static char chunk[65536];
    size_t n;
    while (ok && (n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        ok = fwrite(chunk, 1, n, out) == n;
    }
    if (in) fclose(in);
    if (out) fclose(out);
    return ok;
}

/* Copies the backup file `name` into root/copy/ through the legacy
 * streaming reads; returns the bytes copied, or -1. */
static long long copy_file(const char *name)
{
    JET_HANDLE file = 0;
    unsigned long low = 0, high = 0;
    JET_ERR err = JetOpenFile(name, &file, &low, &high);
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
        unsigned long read = 0;
        err = JetReadFile(file, chunk, sizeof chunk, &read);
        if (err != JET_errSuccess || read == 0) {
            break;
        }
        if (out) {
            fwrite(chunk, 1, read, out);
        }
        total += (long long)read;
    }
    CHECK_OK(err);
    if (out) {
        fclose(out);
    }
    CHECK_OK(JetCloseFile(file));
    CHECK(total == ((long long)high << 32 | (long long)low));
    return total;
}

static int copy_list(const char *list)
{
    int files = 0;
    for (const char *name = list; *name; name += strlen(name) + 1) {
        if (copy_file(name) >= 0) {
            files++;
        }
    }
    return files;
}

static int restore_reports = 0;
static JET_ERR JET_API on_restore(JET_SESID sesid, JET_SNP snp, JET_SNT snt, void *pv)
{
    (void)sesid;
    (void)snt;
    (void)pv;
    if (snp == JET_snpRestore) {
        restore_reports++;
    }
    return JET_errSuccess;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    snprintf(root, sizeof root, "%s", argv[1]);
    char system_dir[4096], path[4096], copy_dir[4096], restore_dir[4096], restored[4096];
    snprintf(system_dir, sizeof system_dir, "%s/", root);
    snprintf(path, sizeof path, "%s/legacy.edb", root);
    snprintf(copy_dir, sizeof copy_dir, "%s/copy", root);
    snprintf(restore_dir, sizeof restore_dir, "%s/restore", root);
    snprintf(restored, sizeof restored, "%s/restore/restored.edb", root);
    char command[17000];
    snprintf(command, sizeof command, "mkdir -p '%s' '%s'", copy_dir, restore_dir);
    CHECK(system(command) == 0);

    CHECK_OK(JetSetSystemParameter(NULL, 0, JET_paramSystemPath, 0, system_dir));
    CHECK_OK(JetSetSystemParameter(NULL, 0, JET_paramLogFilePath, 0, system_dir));
    JET_INSTANCE instance = 0;
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
    CHECK_OK(JetCloseTable(sesid, table));

    /* Not in a backup: its reads are refused. */
    JET_HANDLE none = 0;
    unsigned long low = 0, high = 0;
    CHECK_ERR(JET_errNoBackup, JetOpenFile(path, &none, &low, &high));
    CHECK_ERR(JET_errNoBackup, JetEndExternalBackup());

    CHECK_OK(JetBeginExternalBackup(0));
    unsigned long size = 0;
    CHECK_OK(JetGetAttachInfo(NULL, 0, &size));
    char *list = malloc(size);
    CHECK_OK(JetGetAttachInfo(list, (JET_UINT32)size, &size));
    CHECK(strstr(list, "legacy.edb") != NULL);
    CHECK(copy_list(list) == 1);
    free(list);

    /* The log list, with its JET_LOGINFO (a wrong cbSize is refused). */
    JET_LOGINFO info;
    memset(&info, 0, sizeof info);
    info.cbSize = sizeof info + 4;
    CHECK_ERR(JET_errInvalidParameter, JetGetLogInfoInstance2(instance, NULL, 0, &size, &info));
    info.cbSize = sizeof info;
    CHECK_OK(JetGetLogInfoInstance2(instance, NULL, 0, &size, &info));
    CHECK(info.ulGenLow >= 1 && info.ulGenHigh >= info.ulGenLow);
    CHECK(strcmp(info.szBaseName, "edb") == 0);
    list = malloc(size);
    CHECK_OK(JetGetLogInfo(list, (JET_UINT32)size, &size));
    int logs = copy_list(list);
    CHECK(logs == (int)(info.ulGenHigh - info.ulGenLow + 1));
    free(list);
    /* The W form of the log info names the same base. */
    JET_LOGINFO_W wide;
    memset(&wide, 0, sizeof wide);
    wide.cbSize = sizeof wide;
    CHECK_OK(JetGetLogInfoInstance2W(instance, NULL, 0, NULL, &wide));
    CHECK(wide.szBaseName[0] == 'e' && wide.szBaseName[1] == 'd' && wide.szBaseName[2] == 'b' &&
          wide.szBaseName[3] == 0 && wide.ulGenHigh == info.ulGenHigh);
    CHECK_OK(JetTruncateLog());
    CHECK_OK(JetEndExternalBackup());

    /* Hard recovery while the legacy instance runs is refused. */
    JET_RSTMAP map;
    map.szDatabaseName = path;
    map.szNewDatabaseName = restored;
    CHECK_ERR(JET_errRunningInOneInstanceMode,
              JetExternalRestore2(restore_dir, restore_dir, &map, 1, copy_dir, &info, NULL, NULL,
                                  NULL, NULL));
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm(instance));

    /* The client takes the database out of the backup directory: it
     * goes back to where it is to be recovered. */
    char copied_db[8300], taken[8400];
    snprintf(copied_db, sizeof copied_db, "%s/legacy.edb", copy_dir);
    snprintf(taken, sizeof taken, "%s.taken", copied_db);
    CHECK(rename(copied_db, taken) == 0);
    /* At the target, a file that is not the backup's copy (the original
     * database, shut down cleanly) is refused before anything is
     * replayed over it. */
    CHECK(copy_plain(path, restored));
    CHECK_ERR(JET_errRestoreOfNonBackupDatabase,
              JetExternalRestore2(restore_dir, restore_dir, &map, 1, copy_dir, &info, NULL, NULL,
                                  NULL, NULL));
    CHECK(copy_plain(taken, restored));

    /* Refused before anything is written: target paths not paired, a
     * generation range that leaves out logs the backup holds. */
    CHECK_ERR(JET_errInvalidParameter,
              JetExternalRestore2(restore_dir, restore_dir, &map, 1, copy_dir, &info, NULL,
                                  restore_dir, NULL, NULL));
    CHECK_ERR(JET_errEndingRestoreLogTooLow,
              JetExternalRestore(restore_dir, restore_dir, &map, 1, copy_dir,
                                 (JET_INT32)info.ulGenLow, (JET_INT32)info.ulGenLow - 1, NULL));
    CHECK_ERR(JET_errInvalidParameter,
              JetExternalRestore(restore_dir, restore_dir, NULL, 1, copy_dir, 1, 1, NULL));

    CHECK_OK(JetExternalRestore2(restore_dir, restore_dir, &map, 1, copy_dir, &info, NULL, NULL,
                                 NULL, on_restore));
    CHECK(restore_reports >= 2);

    /* The restored copy, attached to a new legacy instance, has the rows.
     * (JetInit's page: in legacy mode the buffer holds 0 or nil.) */
    instance = 0;
    CHECK_OK(JetInit(&instance));
    CHECK_OK(JetBeginSession(instance, &sesid, NULL, NULL));
    CHECK_OK(JetAttachDatabase(sesid, restored, 0));
    CHECK_OK(JetOpenDatabase(sesid, restored, NULL, &dbid, 0));
    CHECK_OK(JetOpenTable(sesid, dbid, "rows", NULL, 0, 0, &table));
    int rows = 0;
    for (JET_ERR e = JetMove(sesid, table, JET_MoveFirst, 0); e == JET_errSuccess;
         e = JetMove(sesid, table, JET_MoveNext, 0)) {
        rows++;
    }
    CHECK(rows == 50);
    CHECK_OK(JetCloseTable(sesid, table));
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm(instance));
    return check_summary("legacy_backup");
}
