/* The DDL structures from C: JetCreateTableColumnIndex with a column of
 * every type (fixed, variable, tagged, long; autoincrement, NOT NULL, a
 * default, multi-valued), a primary, a unique, a descending, a conditional
 * and a Unicode index (JET_UNICODEINDEX); JetCreateIndex2 with two more;
 * every type set and read back byte for byte, defaults and a NULL; and the
 * structures' size checks. argv[1] is a scratch directory. */
#include <esent.h>

#include <stddef.h>
#include <stdint.h>

#include "check.h"

enum { COLUMNS = 17 };

static const struct {
    const char *name;
    JET_COLTYP type;
    JET_GRBIT grbit;
    JET_UINT32 size;
} kinds[COLUMNS] = {
    {"Id", JET_coltypLong, JET_bitColumnAutoincrement, 4},
    {"Bit", JET_coltypBit, 0, 1},
    {"Byte", JET_coltypUnsignedByte, 0, 1},
    {"Short", JET_coltypShort, 0, 2},
    {"UShort", JET_coltypUnsignedShort, 0, 2},
    {"Long", JET_coltypLong, JET_bitColumnNotNULL, 4},
    {"ULong", JET_coltypUnsignedLong, 0, 4},
    {"LongLong", JET_coltypLongLong, 0, 8},
    {"Currency", JET_coltypCurrency, 0, 8},
    {"Single", JET_coltypIEEESingle, 0, 4},
    {"Double", JET_coltypIEEEDouble, 0, 8},
    {"Date", JET_coltypDateTime, 0, 8},
    {"Guid", JET_coltypGUID, 0, 16},
    {"Bin", JET_coltypBinary, 0, 0},
    {"Text", JET_coltypText, 0, 0},
    {"LongBin", JET_coltypLongBinary, 0, 0},
    {"Tags", JET_coltypText, JET_bitColumnTagged | JET_bitColumnMultiValued, 0},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    char dir[2048], path[4096];
    snprintf(dir, sizeof dir, "%s/", argv[1]);
    snprintf(path, sizeof path, "%s/ddl.edb", argv[1]);

    JET_INSTANCE instance = 0;
    CHECK_OK(JetCreateInstance(&instance, "c-ddl"));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, dir));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, dir));
    CHECK_OK(JetInit(&instance));
    JET_SESID s = 0;
    CHECK_OK(JetBeginSession(instance, &s, NULL, NULL));
    JET_DBID dbid = 0;
    CHECK_OK(JetCreateDatabase(s, path, NULL, &dbid, 0));

    JET_COLUMNCREATE columns[COLUMNS];
    memset(columns, 0, sizeof columns);
    JET_INT32 default_long = 42;
    for (int i = 0; i < COLUMNS; i++) {
        columns[i].cbStruct = sizeof(JET_COLUMNCREATE);
        columns[i].szColumnName = (char *)kinds[i].name;
        columns[i].coltyp = kinds[i].type;
        columns[i].grbit = kinds[i].grbit;
        columns[i].cp = kinds[i].type == JET_coltypText ? 1252 : 0;
        columns[i].err = -1;
    }
    columns[5].pvDefault = &default_long;
    columns[5].cbDefault = sizeof default_long;

    JET_UNICODEINDEX unicode = {0x409, 0x00030401};
    JET_CONDITIONALCOLUMN condition = {sizeof(JET_CONDITIONALCOLUMN), (char *)"Short",
                                       JET_bitIndexColumnMustBeNonNull};
    JET_INDEXCREATE indexes[4];
    memset(indexes, 0, sizeof indexes);
    const char *names[4] = {"ById", "ByLongUnique", "ByDateDescending", "ByTextIfShort"};
    const char *keys[4] = {"+Id\0", "+Long\0", "-Date\0", "+Text\0"};
    const JET_UINT32 key_sizes[4] = {5, 7, 7, 7};
    const JET_GRBIT index_bits[4] = {JET_bitIndexPrimary, JET_bitIndexUnique, 0, JET_bitIndexUnicode};
    for (int i = 0; i < 4; i++) {
        indexes[i].cbStruct = sizeof(JET_INDEXCREATE);
        indexes[i].szIndexName = (char *)names[i];
        indexes[i].szKey = (char *)keys[i];
        indexes[i].cbKey = key_sizes[i];
        indexes[i].grbit = index_bits[i];
        indexes[i].ulDensity = 100;
        indexes[i].err = -1;
    }
    indexes[3].pidxunicode = &unicode;
    indexes[3].rgconditionalcolumn = &condition;
    indexes[3].cConditionalColumn = 1;

    JET_TABLECREATE table;
    memset(&table, 0, sizeof table);
    table.cbStruct = sizeof table;
    table.szTableName = (char *)"kinds";
    table.ulDensity = 90;
    table.rgcolumncreate = columns;
    table.cColumns = COLUMNS;
    table.rgindexcreate = indexes;
    table.cIndexes = 4;

    /* The size checks first: every structure's cbStruct is its size. */
    table.cbStruct = 8;
    CHECK_ERR(JET_errInvalidParameter, JetCreateTableColumnIndex(s, dbid, &table));
    table.cbStruct = sizeof table;
    columns[3].cbStruct = 20;
    CHECK_ERR(JET_errInvalidParameter, JetCreateTableColumnIndex(s, dbid, &table));
    columns[3].cbStruct = sizeof(JET_COLUMNCREATE);
    condition.cbStruct = 4;
    CHECK_ERR(JET_errInvalidParameter, JetCreateTableColumnIndex(s, dbid, &table));
    condition.cbStruct = sizeof condition;
    unicode.lcid = 0x40C;
    CHECK_ERR(JET_errInvalidLanguageId, JetCreateTableColumnIndex(s, dbid, &table));
    unicode.lcid = 0x409;
    CHECK_ERR(JET_errInvalidParameter, JetCreateTableColumnIndex(s, dbid, NULL));

    CHECK_OK(JetCreateTableColumnIndex(s, dbid, &table));
    CHECK(table.tableid != 0 && table.tableid != JET_tableidNil);
    CHECK(table.cCreated == 1 + COLUMNS + 4);
    for (int i = 0; i < COLUMNS; i++) {
        CHECK(columns[i].err == 0 && columns[i].columnid != 0);
    }
    for (int i = 0; i < 4; i++) {
        CHECK(indexes[i].err == 0);
    }
    JET_TABLEID t = table.tableid;

    /* Two more indexes through JetCreateIndex2. */
    JET_INDEXCREATE more[2];
    memset(more, 0, sizeof more);
    more[0].cbStruct = sizeof(JET_INDEXCREATE);
    more[0].szIndexName = (char *)"ByDouble";
    more[0].szKey = (char *)"+Double\0";
    more[0].cbKey = 9;
    more[1] = more[0];
    more[1].szIndexName = (char *)"ByGuid";
    more[1].szKey = (char *)"+Guid\0";
    more[1].cbKey = 7;
    more[0].err = more[1].err = -1;
    CHECK_OK(JetCreateIndex2(s, t, more, 2));
    CHECK(more[0].err == 0 && more[1].err == 0);

    /* Two indexes in the structure's older size (before cbKeyMost, as
     * programs built before Windows Vista pass it): JetCreateIndex2 steps
     * through the array by cbStruct. */
    enum { OLD_SIZE = offsetof(JET_INDEXCREATE, cbKeyMost) };
    uint64_t old_array[2 * OLD_SIZE / 8];
    JET_INDEXCREATE old = more[0];
    old.cbStruct = OLD_SIZE;
    old.szIndexName = (char *)"ByShort";
    old.szKey = (char *)"+Short\0";
    old.cbKey = 8;
    old.err = -1;
    memcpy(old_array, &old, OLD_SIZE);
    old.szIndexName = (char *)"ByULong";
    old.szKey = (char *)"+ULong\0";
    memcpy((char *)old_array + OLD_SIZE, &old, OLD_SIZE);
    CHECK(OLD_SIZE % 8 == 0);
    CHECK_OK(JetCreateIndex2(s, t, (JET_INDEXCREATE *)old_array, 2));
    JET_INDEXCREATE second_old;
    memcpy(&second_old, (char *)old_array + OLD_SIZE, OLD_SIZE);
    CHECK(((JET_INDEXCREATE *)old_array)->err == 0 && second_old.err == 0);
    CHECK_OK(JetSetCurrentIndex(s, t, "ByULong"));
    CHECK_OK(JetSetCurrentIndex(s, t, NULL));

    /* One row with every fixed type set, and one with defaults. */
    unsigned char fixed[16];
    for (int i = 0; i < 16; i++) {
        fixed[i] = (unsigned char)(0x11 * (i + 1));
    }
    double d = 2.5;
    float f = 1.25f;
    unsigned char bit = 1;
    CHECK_OK(JetBeginTransaction(s));
    CHECK_OK(JetPrepareUpdate(s, t, JET_prepInsert));
    for (int i = 1; i < 13; i++) {
        const void *value = fixed;
        if (kinds[i].type == JET_coltypIEEEDouble || kinds[i].type == JET_coltypDateTime) {
            value = &d;
        } else if (kinds[i].type == JET_coltypIEEESingle) {
            value = &f;
        } else if (kinds[i].type == JET_coltypBit) {
            value = &bit;
        }
        CHECK_OK(JetSetColumn(s, t, columns[i].columnid, value, kinds[i].size, 0, NULL));
    }
    CHECK_OK(JetSetColumn(s, t, columns[13].columnid, "bin", 3, 0, NULL));
    CHECK_OK(JetSetColumn(s, t, columns[14].columnid, "hello", 5, 0, NULL));
    CHECK_OK(JetSetColumn(s, t, columns[15].columnid, fixed, 16, 0, NULL));
    CHECK_OK(JetSetColumn(s, t, columns[16].columnid, "one", 3, 0, NULL));
    CHECK_OK(JetSetColumn(s, t, columns[16].columnid, "two", 3, 0, NULL));
    /* A fixed column given the wrong size. */
    CHECK_ERR(JET_errInvalidBufferSize, JetSetColumn(s, t, columns[3].columnid, fixed, 3, 0, NULL));
    CHECK_OK(JetUpdate(s, t, NULL, 0, NULL));
    CHECK_OK(JetPrepareUpdate(s, t, JET_prepInsert));
    CHECK_OK(JetUpdate(s, t, NULL, 0, NULL));
    CHECK_OK(JetCommitTransaction(s, 0));

    /* Back, byte for byte. */
    CHECK_OK(JetMove(s, t, JET_MoveFirst, 0));
    unsigned char got[64];
    JET_UINT32 actual = 0;
    for (int i = 1; i < 13; i++) {
        memset(got, 0, sizeof got);
        CHECK_OK(JetRetrieveColumn(s, t, columns[i].columnid, got, sizeof got, &actual, 0, NULL));
        CHECK(actual == kinds[i].size);
        if (kinds[i].type == JET_coltypIEEEDouble || kinds[i].type == JET_coltypDateTime) {
            CHECK(memcmp(got, &d, 8) == 0);
        } else if (kinds[i].type == JET_coltypIEEESingle) {
            CHECK(memcmp(got, &f, 4) == 0);
        } else if (kinds[i].type == JET_coltypBit) {
            CHECK(got[0] != 0);
        } else {
            CHECK(memcmp(got, fixed, kinds[i].size) == 0);
        }
    }
    CHECK_OK(JetRetrieveColumn(s, t, columns[14].columnid, got, sizeof got, &actual, 0, NULL));
    CHECK(actual == 5 && memcmp(got, "hello", 5) == 0);
    CHECK_OK(JetRetrieveColumn(s, t, columns[15].columnid, got, sizeof got, &actual, 0, NULL));
    CHECK(actual == 16 && memcmp(got, fixed, 16) == 0);
    JET_RETINFO second = {sizeof(JET_RETINFO), 0, 2, 0};
    CHECK_OK(JetRetrieveColumn(s, t, columns[16].columnid, got, sizeof got, &actual, 0, &second));
    CHECK(actual == 3 && memcmp(got, "two", 3) == 0);
    /* The second row: its Long is the default, its Text NULL. */
    CHECK_OK(JetMove(s, t, JET_MoveNext, 0));
    JET_INT32 value = 0;
    CHECK_OK(JetRetrieveColumn(s, t, columns[5].columnid, &value, sizeof value, &actual, 0, NULL));
    CHECK(value == 42);
    CHECK_ERR(JET_wrnColumnNull,
              JetRetrieveColumn(s, t, columns[14].columnid, got, sizeof got, &actual, 0, NULL));
    /* The unique index refuses a second 42. */
    CHECK_OK(JetBeginTransaction(s));
    CHECK_OK(JetPrepareUpdate(s, t, JET_prepInsert));
    CHECK_ERR(JET_errKeyDuplicate, JetUpdate(s, t, NULL, 0, NULL));
    CHECK_OK(JetRollback(s, 0));
    /* The conditional index holds only the row whose Short is set. */
    CHECK_OK(JetSetCurrentIndex(s, t, "ByTextIfShort"));
    unsigned long in_index = 0;
    CHECK_OK(JetIndexRecordCount(s, t, &in_index, 0));
    CHECK(in_index == 1);

    CHECK_OK(JetCloseTable(s, t));
    CHECK_OK(JetEndSession(s, 0));
    CHECK_OK(JetTerm(instance));
    return check_summary("ddl");
}
