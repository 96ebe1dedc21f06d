/* The start-up sequence of ManagedEsent (the .NET binding), which learns
 * the engine's version before it picks its entry points: an instance named
 * GettingEsentVersion<thread id>, recovery "off", no temporary tables, 4
 * version pages, one session; JetInit, a session, JetGetVersion, and the
 * instance ended. Then the binding starts its real instance the same way
 * with the W functions, which the reported build (a current Windows') makes
 * it use. argv[1] is a scratch directory. */
#include <esent.h>
#include <uchar.h>

#include "check.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/", argv[1]);

    JET_INSTANCE probe = 0;
    CHECK_OK(JetCreateInstance(&probe, "GettingEsentVersion1234"));
    CHECK_OK(JetSetSystemParameter(&probe, 0, JET_paramSystemPath, 0, dir));
    CHECK_OK(JetSetSystemParameter(&probe, 0, JET_paramLogFilePath, 0, dir));
    CHECK_OK(JetSetSystemParameter(&probe, 0, JET_paramRecovery, 0, "off"));
    CHECK_OK(JetSetSystemParameter(&probe, 0, JET_paramMaxTemporaryTables, 0, NULL));
    CHECK_OK(JetSetSystemParameter(&probe, 0, JET_paramMaxVerPages, 4, NULL));
    CHECK_OK(JetSetSystemParameter(&probe, 0, JET_paramMaxSessions, 1, NULL));
    CHECK_OK(JetInit(&probe));
    JET_SESID sesid = 0;
    CHECK_OK(JetBeginSession(probe, &sesid, "", ""));
    /* One session at most. */
    JET_SESID second = 0;
    CHECK_ERR(JET_errOutOfSessions, JetBeginSession(probe, &second, "", ""));
    JET_UINT32 version = 0;
    CHECK_OK(JetGetVersion(sesid, &version));
    /* The binding's test for a current Windows: build (bits 8-23) at least
     * Windows 10's 10240, so the W functions and newer structures are
     * used. */
    CHECK(((version & 0xFFFFFF) >> 8) >= 10240);
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm(probe));

    /* The real instance, through the W forms. */
    char16_t wdir[4096];
    size_t n = 0;
    for (; dir[n] && n + 1 < sizeof wdir / sizeof wdir[0]; n++) {
        wdir[n] = (char16_t)(unsigned char)dir[n];
    }
    wdir[n] = 0;
    JET_INSTANCE instance = 0;
    CHECK_OK(JetCreateInstance2W(&instance, u"app", u"The application", 0));
    CHECK_OK(JetSetSystemParameterW(&instance, 0, JET_paramSystemPath, 0, wdir));
    CHECK_OK(JetSetSystemParameterW(&instance, 0, JET_paramLogFilePath, 0, wdir));
    CHECK_OK(JetInit2(&instance, 0));
    CHECK_OK(JetBeginSessionW(instance, &sesid, u"", u""));
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm2(instance, 0));
    return check_summary("managed_startup");
}
