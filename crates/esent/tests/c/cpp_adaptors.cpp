// esent.h from C++: the overloads that let a Windows program's
// `unsigned long` out-parameters work, beside the 32-bit forms.
#include <esent.h>

#include <cstdio>

int main()
{
    int failed = 0;
    unsigned long version = 0;
    JET_UINT32 version32 = 0;
    // No session yet: both forms reach the library and get its error.
    if (JetGetVersion(JET_sesidNil, &version) != JET_errInvalidSesid) failed++;
    if (JetGetVersion(JET_sesidNil, &version32) != JET_errInvalidSesid) failed++;
    // NULL for the out-parameter picks the library's own function (the
    // unsigned long overloads are templates NULL cannot select).
    if (JetGetVersion(JET_sesidNil, NULL) != JET_errInvalidSesid) failed++;
    if (JetUpdate(JET_sesidNil, 0, NULL, 0, NULL) != JET_errInvalidTableId &&
        JetUpdate(JET_sesidNil, 0, NULL, 0, NULL) != JET_errInvalidSesid) failed++;
    if (JetRetrieveColumn(JET_sesidNil, 0, 1, NULL, 0, NULL, 0, NULL) != JET_errInvalidSesid &&
        JetRetrieveColumn(JET_sesidNil, 0, 1, NULL, 0, NULL, 0, NULL) != JET_errInvalidTableId)
        failed++;
    unsigned long records = 0;
    if (JetIndexRecordCount(JET_sesidNil, 0, &records, 0) != JET_errInvalidSesid) failed++;
    unsigned long low = 0, high = 0;
    JET_HANDLE file = 0;
    if (JetOpenFileInstance(0x7777, "x", &file, &low, &high) != JET_errInvalidParameter) failed++;
    std::printf("cpp_adaptors: 7 checks, %d failed\n", failed);
    return failed;
}
