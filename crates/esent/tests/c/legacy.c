/* The JET API from C in legacy single-instance mode, and the W forms:
 * parameters set for the process, JetInit with an instance of 0, a table
 * made through JetCreateTableW / JetAddColumnW / JetCreateIndexW,
 * JetStopBackup (legacy only: JET_errRunningInMultiInstanceMode is the
 * other mode's), JetStopService and JetTerm. argv[1] is a scratch
 * directory. */
#include <esent.h>
#include <uchar.h>

#include "check.h"

static char path[4096];
static char system_dir[4096];

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    snprintf(system_dir, sizeof system_dir, "%s/", argv[1]);
    snprintf(path, sizeof path, "%s/legacy.edb", argv[1]);

    /* Before JetInit: the process's parameters. */
    CHECK_OK(JetSetSystemParameter(NULL, 0, JET_paramSystemPath, 0, system_dir));
    CHECK_OK(JetSetSystemParameter(NULL, 0, JET_paramLogFilePath, 0, system_dir));
    /* An unknown parameter id. */
    CHECK_ERR(JET_errInvalidParameter, JetSetSystemParameter(NULL, 0, 99999, 0, NULL));

    JET_INSTANCE instance = 0;
    CHECK_OK(JetInit(&instance));
    CHECK(instance != 0);
    /* Legacy mode: no instance can be created beside it. */
    JET_INSTANCE second = 0;
    CHECK_ERR(JET_errRunningInOneInstanceMode, JetCreateInstance(&second, "no"));
    CHECK_ERR(JET_errAlreadyInitialized, JetInit(NULL));

    /* Sessions on the legacy instance, named by 0 or by its handle. */
    JET_SESID sesid = 0, by_handle = 0;
    CHECK_OK(JetBeginSession(0, &sesid, "user", "password"));
    CHECK_OK(JetBeginSessionW(instance, &by_handle, NULL, NULL));
    JET_SESID dup = 0;
    CHECK_OK(JetDupSession(sesid, &dup));
    CHECK_OK(JetEndSession(dup, 0));
    CHECK_OK(JetEndSession(by_handle, 0));

    /* The W forms, with UTF-16 strings. */
    char16_t wide_path[4096];
    size_t n = 0;
    for (; path[n] && n + 1 < sizeof wide_path / sizeof wide_path[0]; n++) {
        wide_path[n] = (char16_t)(unsigned char)path[n];
    }
    wide_path[n] = 0;
    JET_DBID dbid = 0;
    CHECK_OK(JetCreateDatabaseW(sesid, wide_path, NULL, &dbid, 0));
    JET_TABLEID table = 0;
    CHECK_OK(JetCreateTableW(sesid, dbid, u"notes", 0, 100, &table));
    JET_COLUMNDEF def;
    memset(&def, 0, sizeof def);
    def.cbStruct = sizeof def;
    def.coltyp = JET_coltypLong;
    JET_COLUMNID key_col = 0, text_col = 0;
    CHECK_OK(JetAddColumnW(sesid, table, u"Key", &def, NULL, 0, &key_col));
    def.coltyp = JET_coltypLongText;
    def.cp = 1200;
    CHECK_OK(JetAddColumnW(sesid, table, u"Text", &def, NULL, 0, &text_col));
    static const char16_t key[] = u"+Key\0";
    CHECK_OK(JetCreateIndexW(sesid, table, u"ByKey", JET_bitIndexPrimary, key, sizeof key, 100));
    /* An odd byte count cannot be UTF-16. */
    CHECK_ERR(JET_errInvalidParameter,
              JetCreateIndexW(sesid, table, u"Odd", 0, key, sizeof key - 1, 100));
    CHECK_OK(JetSetCurrentIndexW(sesid, table, u"ByKey"));

    CHECK_OK(JetBeginTransaction(sesid));
    for (JET_INT32 k = 1; k <= 3; k++) {
        static const char16_t words[] = u"caf\u00e9";
        CHECK_OK(JetPrepareUpdate(sesid, table, JET_prepInsert));
        CHECK_OK(JetSetColumn(sesid, table, key_col, &k, sizeof k, 0, NULL));
        CHECK_OK(JetSetColumn(sesid, table, text_col, words, sizeof words - 2, 0, NULL));
        CHECK_OK(JetUpdate(sesid, table, NULL, 0, NULL));
    }
    CHECK_OK(JetCommitTransaction(sesid, 0));
    JET_INT32 wanted = 2;
    CHECK_OK(JetMakeKey(sesid, table, &wanted, sizeof wanted, JET_bitNewKey));
    CHECK_OK(JetSeek(sesid, table, JET_bitSeekEQ));
    char16_t text[16];
    JET_UINT32 actual = 0;
    CHECK_OK(JetRetrieveColumn(sesid, table, text_col, text, sizeof text, &actual, 0, NULL));
    CHECK(actual == 8 && text[3] == 0x00e9);

    /* JetGetSystemParameter in the W form. */
    char16_t base[16];
    CHECK_OK(JetGetSystemParameterW(0, sesid, JET_paramBaseName, NULL, base, sizeof base));
    CHECK(base[0] == 'e' && base[1] == 'd' && base[2] == 'b' && base[3] == 0);

    /* JetStopBackup stops nothing here, but succeeds in legacy mode. */
    CHECK_OK(JetStopBackup());
    /* JetStopService: the instance refuses work, lets sessions wind down. */
    CHECK_OK(JetStopService());
    CHECK_ERR(JET_errClientRequestToStopJetService, JetBeginTransaction(sesid));
    CHECK_ERR(JET_errClientRequestToStopJetService,
              JetPrepareUpdate(sesid, table, JET_prepInsert));
    CHECK_OK(JetCloseTable(sesid, table));
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm(instance));
    CHECK_ERR(JET_errInvalidSesid, JetEndSession(sesid, 0));

    return check_summary("legacy");
}
