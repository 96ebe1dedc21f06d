/* The info calls from C: JetGetTableColumnInfo / JetGetColumnInfo (one
 * column by name or id, its base, the JET_COLUMNLIST table in its orders
 * and options), JetGetTableIndexInfo / JetGetIndexInfo (the JET_INDEXLIST
 * table, a row per key column; density, LCID, count, key size),
 * JetGetTableInfo, JetGetObjectInfo (one table, the JET_OBJECTLIST table)
 * and JetGetDatabaseInfo, with their size rules and errors, and what a
 * list table allows. argv[1] is a scratch directory. */
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
    column.cp = type == JET_coltypText ? 1252 : 0;
    JET_COLUMNID id = 0;
    CHECK_OK(JetAddColumn(s, t, name, &column, def, cbDef, &id));
    return id;
}

static JET_UINT32 long_at(JET_SESID s, JET_TABLEID t, JET_COLUMNID c)
{
    JET_UINT32 value = 0xdeadbeef, actual = 0;
    CHECK_OK(JetRetrieveColumn(s, t, c, &value, sizeof value, &actual, 0, NULL));
    CHECK(actual == 4);
    return value;
}

static unsigned short short_at(JET_SESID s, JET_TABLEID t, JET_COLUMNID c)
{
    unsigned short value = 0xbeef;
    JET_UINT32 actual = 0;
    CHECK_OK(JetRetrieveColumn(s, t, c, &value, sizeof value, &actual, 0, NULL));
    CHECK(actual == 2);
    return value;
}

/* A text column of a list, NUL-terminated into `out`. */
static void text_at(JET_SESID s, JET_TABLEID t, JET_COLUMNID c, char *out, size_t size)
{
    JET_UINT32 actual = 0;
    CHECK_OK(JetRetrieveColumn(s, t, c, out, (JET_UINT32)size - 1, &actual, 0, NULL));
    out[actual < size ? actual : size - 1] = 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    char dir[2048], path[4096];
    snprintf(dir, sizeof dir, "%s/", argv[1]);
    snprintf(path, sizeof path, "%s/info.edb", argv[1]);

    JET_INSTANCE instance = 0;
    CHECK_OK(JetCreateInstance(&instance, "c-info"));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, dir));
    CHECK_OK(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, dir));
    CHECK_OK(JetInit(&instance));
    JET_SESID sesid = 0;
    JET_DBID dbid = 0;
    CHECK_OK(JetBeginSession(instance, &sesid, NULL, NULL));
    CHECK_OK(JetCreateDatabase(sesid, path, NULL, &dbid, 0));

    /* books: id (fixed Long), Title (Text), price (Currency, default 5),
     * tags (multi-valued tagged). Indexes: primary on id; "ByTitle" on
     * Title ascending and price descending, density 80. */
    JET_TABLEID table = 0;
    CHECK_OK(JetCreateTable(sesid, dbid, "books", 4, 90, &table));
    JET_COLUMNID c_id = add_column(sesid, table, "id", JET_coltypLong, JET_bitColumnFixed, NULL, 0);
    JET_COLUMNID c_title = add_column(sesid, table, "Title", JET_coltypText, 0, NULL, 0);
    int64_t five = 5;
    JET_COLUMNID c_price = add_column(sesid, table, "price", JET_coltypCurrency, 0, &five, sizeof five);
    JET_COLUMNID c_tags = add_column(sesid, table, "tags", JET_coltypText,
                                     JET_bitColumnTagged | JET_bitColumnMultiValued, NULL, 0);
    CHECK_OK(JetCreateIndex(sesid, table, "primary", JET_bitIndexPrimary, "+id\0", 5, 100));
    CHECK_OK(JetCreateIndex(sesid, table, "ByTitle", 0, "+Title\0-price\0", 15, 80));
    CHECK_OK(JetBeginTransaction(sesid));
    for (JET_INT32 id = 1; id <= 3; id++) {
        CHECK_OK(JetPrepareUpdate(sesid, table, JET_prepInsert));
        CHECK_OK(JetSetColumn(sesid, table, c_id, &id, sizeof id, 0, NULL));
        CHECK_OK(JetSetColumn(sesid, table, c_title, "Book", 4, 0, NULL));
        CHECK_OK(JetUpdate(sesid, table, NULL, 0, NULL));
    }
    CHECK_OK(JetCommitTransaction(sesid, 0));

    /* ---- one column ---- */
    JET_COLUMNDEF def;
    memset(&def, 0xee, sizeof def);
    CHECK_OK(JetGetTableColumnInfo(sesid, table, "Title", &def, sizeof def, JET_ColInfo));
    CHECK(def.cbStruct == sizeof def && def.columnid == c_title && def.coltyp == JET_coltypText);
    CHECK(def.wCountry == 1 && def.langid == 0x409 && def.cp == 1252 && def.wCollate == 0);
    CHECK((def.grbit & (JET_bitColumnFixed | JET_bitColumnTagged)) == 0);
    CHECK(def.grbit & JET_bitColumnUpdatable);
    CHECK_OK(JetGetTableColumnInfo(sesid, table, "id", &def, sizeof def, JET_ColInfo));
    CHECK(def.cp == 0 && (def.grbit & JET_bitColumnFixed));
    /* By id: the name argument is a JET_COLUMNID. */
    memset(&def, 0, sizeof def);
    CHECK_OK(JetGetTableColumnInfo(sesid, table, (const char *)&c_tags, &def, sizeof def,
                                   JET_ColInfoByColid));
    CHECK(def.columnid == c_tags && (def.grbit & JET_bitColumnMultiValued) &&
          (def.grbit & JET_bitColumnTagged));
    JET_COLUMNID nowhere = 250;
    CHECK_ERR(JET_errColumnNotFound,
              JetGetTableColumnInfo(sesid, table, (const char *)&nowhere, &def, sizeof def,
                                    JET_ColInfoByColid));
    CHECK_ERR(JET_errBufferTooSmall,
              JetGetTableColumnInfo(sesid, table, "Title", &def, sizeof def - 1, JET_ColInfo));
    CHECK_ERR(JET_errColumnNotFound, JetGetTableColumnInfo(sesid, table, "", &def, sizeof def, JET_ColInfo));
    CHECK_ERR(JET_errColumnNotFound, JetGetTableColumnInfo(sesid, table, "nope", &def, sizeof def, JET_ColInfo));
    CHECK_ERR(JET_errInvalidParameter, JetGetTableColumnInfo(sesid, table, "Title", &def, sizeof def, 99));
    CHECK_ERR(JET_errFeatureNotAvailable,
              JetGetTableColumnInfo(sesid, table, "Title", &def, sizeof def, JET_ColInfoSysTabCursor));
    CHECK_ERR(JET_errInvalidParameter,
              JetGetTableColumnInfo(sesid, table, "Title", NULL, sizeof def, JET_ColInfo));
    /* By table name: the same, without the cursor's Updatable bit. */
    CHECK_OK(JetGetColumnInfo(sesid, dbid, "books", "Title", &def, sizeof def, JET_ColInfo));
    CHECK(def.columnid == c_title && (def.grbit & JET_bitColumnUpdatable) == 0);
    CHECK_ERR(JET_errObjectNotFound, JetGetColumnInfo(sesid, dbid, "shelves", "Title", &def, sizeof def, JET_ColInfo));
    CHECK_ERR(JET_errInvalidParameter, JetGetColumnInfo(sesid, dbid, NULL, "Title", &def, sizeof def, JET_ColInfo));

    /* JET_COLUMNBASE in both forms. */
    JET_COLUMNBASE_A base;
    CHECK_ERR(JET_errBufferTooSmall,
              JetGetTableColumnInfo(sesid, table, "price", &base, sizeof base - 1, JET_ColInfoBase));
    CHECK_OK(JetGetTableColumnInfo(sesid, table, "price", &base, sizeof base, JET_ColInfoBase));
    CHECK(base.cbStruct == sizeof base && base.columnid == c_price && base.coltyp == JET_coltypCurrency);
    CHECK(strcmp(base.szBaseTableName, "books") == 0 && strcmp(base.szBaseColumnName, "price") == 0);
    static JET_COLUMNBASE_W wbase;
    const WCHAR wprice[] = {'p', 'r', 'i', 'c', 'e', 0};
    CHECK_OK(JetGetTableColumnInfoW(sesid, table, wprice, &wbase, sizeof wbase, JET_ColInfoBase));
    CHECK(wbase.cbStruct == sizeof wbase && wbase.szBaseColumnName[0] == 'p' &&
          wbase.szBaseColumnName[4] == 'e' && wbase.szBaseColumnName[5] == 0 &&
          wbase.szBaseTableName[0] == 'b');

    /* ---- the column list ---- */
    JET_COLUMNLIST columns;
    memset(&columns, 0, sizeof columns);
    CHECK_ERR(JET_errBufferTooSmall,
              JetGetTableColumnInfo(sesid, table, NULL, &columns, sizeof columns - 1, JET_ColInfoList));
    CHECK_OK(JetGetTableColumnInfo(sesid, table, NULL, &columns, sizeof columns, JET_ColInfoList));
    CHECK(columns.cbStruct == sizeof columns && columns.cRecord == 4);
    CHECK(columns.columnidDefinitionName == columns.columnidcolumnname);
    /* By name, case-insensitively: id, price, tags, Title. */
    const char *by_name[4] = {"id", "price", "tags", "Title"};
    JET_COLUMNID ids_by_name[4] = {c_id, c_price, c_tags, c_title};
    int row = 0;
    for (JET_ERR e = JetMove(sesid, columns.tableid, JET_MoveFirst, 0); e == JET_errSuccess;
         e = JetMove(sesid, columns.tableid, JET_MoveNext, 0), row++) {
        char name[128];
        text_at(sesid, columns.tableid, columns.columnidcolumnname, name, sizeof name);
        CHECK(row < 4 && strcmp(name, by_name[row]) == 0);
        CHECK(row < 4 && long_at(sesid, columns.tableid, columns.columnidcolumnid) == ids_by_name[row]);
        JET_UINT32 order = 0, actual = 0;
        CHECK_ERR(JET_wrnColumnNull, JetRetrieveColumn(sesid, columns.tableid,
                                                       columns.columnidPresentationOrder, &order,
                                                       sizeof order, &actual, 0, NULL));
        CHECK(short_at(sesid, columns.tableid, columns.columnidCountry) == 1);
        CHECK(short_at(sesid, columns.tableid, columns.columnidCollate) == 0);
        JET_UINT32 grbit = long_at(sesid, columns.tableid, columns.columnidgrbit);
        char base_table[64];
        text_at(sesid, columns.tableid, columns.columnidBaseTableName, base_table, sizeof base_table);
        CHECK(strcmp(base_table, "books") == 0);
        if (row == 0) {
            CHECK(grbit & JET_bitColumnFixed);
            CHECK(long_at(sesid, columns.tableid, columns.columnidcoltyp) == JET_coltypLong);
        }
        if (row == 1) {
            int64_t value = 0;
            CHECK_OK(JetRetrieveColumn(sesid, columns.tableid, columns.columnidDefault, &value,
                                       sizeof value, &actual, 0, NULL));
            CHECK(actual == 8 && value == 5);
        } else {
            CHECK_ERR(JET_wrnColumnNull, JetRetrieveColumn(sesid, columns.tableid, columns.columnidDefault,
                                                           NULL, 0, &actual, 0, NULL));
        }
        if (row == 3) {
            CHECK(short_at(sesid, columns.tableid, columns.columnidCp) == 1252);
        }
    }
    CHECK(row == 4);
    /* Truncation and a size query, as on any table. */
    CHECK_OK(JetMove(sesid, columns.tableid, JET_MoveLast, 0));
    char cut[3];
    JET_UINT32 actual = 0;
    CHECK_ERR(JET_wrnBufferTruncated, JetRetrieveColumn(sesid, columns.tableid, columns.columnidcolumnname,
                                                        cut, sizeof cut, &actual, 0, NULL));
    CHECK(actual == 5 && memcmp(cut, "Tit", 3) == 0);
    JET_RETRIEVECOLUMN both[2];
    memset(both, 0, sizeof both);
    JET_UINT32 got_id = 0;
    both[0].columnid = columns.columnidcolumnid;
    both[0].pvData = &got_id;
    both[0].cbData = sizeof got_id;
    both[0].itagSequence = 1;
    both[1].columnid = columns.columnidPresentationOrder;
    both[1].itagSequence = 1;
    CHECK_OK(JetRetrieveColumns(sesid, columns.tableid, both, 2));
    CHECK(got_id == c_title && both[0].err == 0 && both[1].err == JET_wrnColumnNull);
    /* Past the end, and what a list does not allow. */
    CHECK_ERR(JET_errNoCurrentRecord, JetMove(sesid, columns.tableid, JET_MoveNext, 0));
    CHECK_ERR(JET_errNoCurrentRecord, JetRetrieveColumn(sesid, columns.tableid, columns.columnidcolumnid,
                                                        &got_id, sizeof got_id, &actual, 0, NULL));
    CHECK_ERR(JET_errIllegalOperation, JetPrepareUpdate(sesid, columns.tableid, JET_prepInsert));
    CHECK_ERR(JET_errIllegalOperation, JetDelete(sesid, columns.tableid));
    CHECK_ERR(JET_errColumnNotFound, JetRetrieveColumn(sesid, columns.tableid, 99, NULL, 0, &actual, 0, NULL));
    JET_OBJECTINFO list_info;
    CHECK_OK(JetGetTableInfo(sesid, columns.tableid, &list_info, sizeof list_info, JET_TblInfo));
    CHECK(list_info.cRecord == 4 && list_info.objtyp == JET_objtypTable);
    char list_name[64];
    CHECK_ERR(JET_errInvalidOperation,
              JetGetTableInfo(sesid, columns.tableid, list_name, sizeof list_name, JET_TblInfoName));
    CHECK_OK(JetCloseTable(sesid, columns.tableid));
    CHECK_ERR(JET_errInvalidTableId, JetMove(sesid, columns.tableid, JET_MoveFirst, 0));

    /* Sorted by column id, with the order column set; minimal: no types. */
    CHECK_OK(JetGetTableColumnInfo(sesid, table, NULL, &columns, sizeof columns,
                                   JET_ColInfoList | JET_ColInfoGrbitSortByColumnid |
                                       JET_ColInfoGrbitMinimalInfo));
    JET_UINT32 previous = 0;
    row = 0;
    for (JET_ERR e = JetMove(sesid, columns.tableid, JET_MoveFirst, 0); e == JET_errSuccess;
         e = JetMove(sesid, columns.tableid, JET_MoveNext, 0), row++) {
        JET_UINT32 id = long_at(sesid, columns.tableid, columns.columnidcolumnid);
        CHECK(id > previous);
        CHECK(long_at(sesid, columns.tableid, columns.columnidPresentationOrder) == id);
        CHECK_ERR(JET_wrnColumnNull, JetRetrieveColumn(sesid, columns.tableid, columns.columnidcoltyp,
                                                       NULL, 0, &actual, 0, NULL));
        previous = id;
    }
    CHECK(row == 4);
    CHECK_OK(JetCloseTable(sesid, columns.tableid));
    /* The W list's names are UTF-16. */
    CHECK_OK(JetGetColumnInfoW(sesid, dbid, (const WCHAR[]){'b', 'o', 'o', 'k', 's', 0}, NULL,
                               &columns, sizeof columns, JET_ColInfoList));
    WCHAR wname[8];
    CHECK_OK(JetRetrieveColumn(sesid, columns.tableid, columns.columnidcolumnname, wname, sizeof wname,
                               &actual, 0, NULL));
    CHECK(actual == 4 && wname[0] == 'i' && wname[1] == 'd');
    CHECK_OK(JetCloseTable(sesid, columns.tableid));

    /* ---- indexes ---- */
    JET_INDEXLIST indexes;
    memset(&indexes, 0, sizeof indexes);
    CHECK_ERR(JET_errBufferTooSmall,
              JetGetTableIndexInfo(sesid, table, NULL, &indexes, sizeof indexes - 5, JET_IdxInfoList));
    CHECK_OK(JetGetTableIndexInfo(sesid, table, NULL, &indexes, sizeof indexes, JET_IdxInfoList));
    CHECK(indexes.cbStruct == sizeof indexes && indexes.cRecord == 3);
    /* ByTitle's two key columns (0: Title ascending, 1: price
     * descending), then primary's one. */
    const char *index_names[3] = {"ByTitle", "ByTitle", "primary"};
    JET_COLUMNID key_columns[3] = {c_title, c_price, c_id};
    row = 0;
    for (JET_ERR e = JetMove(sesid, indexes.tableid, JET_MoveFirst, 0); e == JET_errSuccess;
         e = JetMove(sesid, indexes.tableid, JET_MoveNext, 0), row++) {
        char name[64];
        text_at(sesid, indexes.tableid, indexes.columnidindexname, name, sizeof name);
        CHECK(row < 3 && strcmp(name, index_names[row]) == 0);
        CHECK(row < 3 && long_at(sesid, indexes.tableid, indexes.columnidcolumnid) == key_columns[row]);
        CHECK(long_at(sesid, indexes.tableid, indexes.columnidiColumn) == (JET_UINT32)(row == 1));
        CHECK(long_at(sesid, indexes.tableid, indexes.columnidcColumn) == (row < 2 ? 2u : 1u));
        CHECK(long_at(sesid, indexes.tableid, indexes.columnidcEntry) == 3);
        CHECK(long_at(sesid, indexes.tableid, indexes.columnidgrbitColumn) == (row == 1 ? JET_bitKeyDescending : 0u));
        JET_UINT32 grbit = long_at(sesid, indexes.tableid, indexes.columnidgrbitIndex);
        CHECK((row == 2) == ((grbit & JET_bitIndexPrimary) != 0));
        text_at(sesid, indexes.tableid, indexes.columnidcolumnname, name, sizeof name);
        CHECK(row != 0 || strcmp(name, "Title") == 0);
    }
    CHECK(row == 3);
    CHECK_OK(JetCloseTable(sesid, indexes.tableid));
    /* One index; the structure of old, 4 bytes shorter, still works. */
    memset(&indexes, 0xab, sizeof indexes);
    CHECK_OK(JetGetIndexInfo(sesid, dbid, "books", "primary", &indexes, sizeof indexes - 4, JET_IdxInfo));
    CHECK(indexes.cbStruct == sizeof indexes - 4 && indexes.cRecord == 1);
    CHECK(indexes.columnidLCMapFlags == 0xabababab);
    CHECK_OK(JetCloseTable(sesid, indexes.tableid));
    CHECK_ERR(JET_errIndexNotFound, JetGetTableIndexInfo(sesid, table, "nope", &indexes, sizeof indexes, JET_IdxInfoList));
    JET_UINT32 value = 0;
    CHECK_OK(JetGetTableIndexInfo(sesid, table, "ByTitle", &value, sizeof value, JET_IdxInfoSpaceAlloc));
    CHECK(value == 80);
    CHECK_OK(JetGetTableIndexInfo(sesid, table, NULL, &value, sizeof value, JET_IdxInfoCount));
    CHECK(value == 2);
    CHECK_OK(JetGetIndexInfo(sesid, dbid, "books", "ByTitle", &value, sizeof value, JET_IdxInfoLCID));
    CHECK(value == 0x409);
    unsigned short small = 0;
    CHECK_OK(JetGetIndexInfo(sesid, dbid, "books", "ByTitle", &small, sizeof small, JET_IdxInfoKeyMost));
    CHECK(small >= 255);
    CHECK_ERR(JET_errBufferTooSmall,
              JetGetIndexInfo(sesid, dbid, "books", "ByTitle", &small, 1, JET_IdxInfoKeyMost));
    CHECK_ERR(JET_errIndexNotFound, JetGetIndexInfo(sesid, dbid, "books", NULL, &value, sizeof value,
                                                    JET_IdxInfoSpaceAlloc));
    CHECK_ERR(JET_errObjectNotFound, JetGetIndexInfo(sesid, dbid, "shelves", NULL, &indexes, sizeof indexes,
                                                     JET_IdxInfoList));
    CHECK_ERR(JET_errInvalidParameter, JetGetTableIndexInfo(sesid, table, NULL, &value, sizeof value, 77));

    /* ---- the table ---- */
    JET_OBJECTINFO info;
    CHECK_ERR(JET_errBufferTooSmall, JetGetTableInfo(sesid, table, &info, sizeof info - 1, JET_TblInfo));
    CHECK_OK(JetGetTableInfo(sesid, table, &info, sizeof info, JET_TblInfo));
    CHECK(info.cbStruct == sizeof info && info.objtyp == JET_objtypTable && info.cRecord == 3);
    CHECK(info.grbit == (JET_bitTableInfoUpdatable | JET_bitTableInfoBookmark | JET_bitTableInfoRollback));
    char name[64];
    CHECK_OK(JetGetTableInfo(sesid, table, name, sizeof name, JET_TblInfoName));
    CHECK(strcmp(name, "books") == 0);
    CHECK_ERR(JET_errBufferTooSmall, JetGetTableInfo(sesid, table, name, 5, JET_TblInfoName));
    WCHAR wide_name[6];
    CHECK_OK(JetGetTableInfoW(sesid, table, wide_name, sizeof wide_name, JET_TblInfoName));
    CHECK(wide_name[0] == 'b' && wide_name[4] == 's' && wide_name[5] == 0);
    CHECK_ERR(JET_errBufferTooSmall, JetGetTableInfoW(sesid, table, wide_name, 11, JET_TblInfoName));
    char template_name[65];
    CHECK_ERR(JET_errBufferTooSmall, JetGetTableInfo(sesid, table, template_name, 64, JET_TblInfoTemplateTableName));
    CHECK_OK(JetGetTableInfo(sesid, table, template_name, sizeof template_name, JET_TblInfoTemplateTableName));
    CHECK(template_name[0] == 0);
    JET_DBID table_dbid = 77;
    CHECK_OK(JetGetTableInfo(sesid, table, &table_dbid, sizeof table_dbid, JET_TblInfoDbid));
    CHECK(table_dbid == dbid);
    JET_UINT32 alloc[2] = {0, 0};
    CHECK_OK(JetGetTableInfo(sesid, table, alloc, sizeof alloc, JET_TblInfoSpaceAlloc));
    CHECK(alloc[0] == 4 && alloc[1] == 90);
    CHECK_ERR(JET_errFeatureNotAvailable, JetGetTableInfo(sesid, table, alloc, sizeof alloc, 55));

    /* ---- objects ---- */
    CHECK_OK(JetGetObjectInfo(sesid, dbid, JET_objtypTable, "Tables", "books", &info, sizeof info, JET_ObjInfo));
    CHECK(info.cRecord == 3 && info.objtyp == JET_objtypTable &&
          (info.grbit & JET_bitTableInfoUpdatable) && info.flags == 0);
    CHECK_OK(JetGetObjectInfo(sesid, dbid, JET_objtypTable, NULL, "books", &info, sizeof info, JET_ObjInfoNoStats));
    CHECK(info.cRecord == 0 && info.cPage == 0);
    CHECK_ERR(JET_errObjectNotFound,
              JetGetObjectInfo(sesid, dbid, JET_objtypTable, "Shelves", "books", &info, sizeof info, JET_ObjInfo));
    CHECK_ERR(JET_errObjectNotFound,
              JetGetObjectInfo(sesid, dbid, JET_objtypTable, NULL, "nope", &info, sizeof info, JET_ObjInfo));
    CHECK_ERR(JET_errObjectNotFound,
              JetGetObjectInfo(sesid, dbid, JET_objtypTable, NULL, NULL, &info, sizeof info, JET_ObjInfo));
    CHECK_ERR(JET_errBufferTooSmall,
              JetGetObjectInfo(sesid, dbid, JET_objtypTable, NULL, "books", &info, 8, JET_ObjInfo));
    JET_OBJECTLIST objects;
    CHECK_OK(JetGetObjectInfo(sesid, dbid, JET_objtypTable, NULL, NULL, &objects, sizeof objects, JET_ObjInfoList));
    CHECK(objects.cbStruct == sizeof objects && objects.cRecord >= 1);
    int books_rows = 0;
    for (JET_ERR e = JetMove(sesid, objects.tableid, JET_MoveFirst, 0); e == JET_errSuccess;
         e = JetMove(sesid, objects.tableid, JET_MoveNext, 0)) {
        char container[32], object[64];
        text_at(sesid, objects.tableid, objects.columnidcontainername, container, sizeof container);
        text_at(sesid, objects.tableid, objects.columnidobjectname, object, sizeof object);
        CHECK(strcmp(container, "Tables") == 0);
        CHECK(long_at(sesid, objects.tableid, objects.columnidobjtyp) == JET_objtypTable);
        if (strcmp(object, "books") == 0) {
            books_rows++;
            CHECK(long_at(sesid, objects.tableid, objects.columnidcRecord) == 3);
            CHECK(long_at(sesid, objects.tableid, objects.columnidflags) == 0);
        }
    }
    CHECK(books_rows == 1);
    CHECK_OK(JetCloseTable(sesid, objects.tableid));
    /* Objects of another type: none. */
    CHECK_OK(JetGetObjectInfo(sesid, dbid, 99, NULL, NULL, &objects, sizeof objects, JET_ObjInfoListNoStats));
    CHECK(objects.cRecord == 0);
    CHECK_ERR(JET_errNoCurrentRecord, JetMove(sesid, objects.tableid, JET_MoveFirst, 0));
    CHECK_OK(JetCloseTable(sesid, objects.tableid));

    /* ---- the database ---- */
    char file[4096];
    CHECK_OK(JetGetDatabaseInfo(sesid, dbid, file, sizeof file, JET_DbInfoFilename));
    CHECK(strstr(file, "info.edb") != NULL);
    CHECK_ERR(JET_errBufferTooSmall, JetGetDatabaseInfo(sesid, dbid, file, 4, JET_DbInfoFilename));
    CHECK_OK(JetGetDatabaseInfo(sesid, dbid, &value, sizeof value, JET_DbInfoPageSize));
    JET_API_PTR page_size = 0;
    CHECK_OK(JetGetSystemParameter(instance, sesid, JET_paramDatabasePageSize, &page_size, NULL, 0));
    CHECK(value == page_size);
    CHECK_OK(JetGetDatabaseInfo(sesid, dbid, &value, sizeof value, JET_DbInfoFilesize));
    CHECK(value > 0);
    CHECK_OK(JetGetDatabaseInfo(sesid, dbid, &value, sizeof value, JET_DbInfoTransactions));
    CHECK(value == 7);
    CHECK_OK(JetGetDatabaseInfo(sesid, dbid, &value, sizeof value, JET_DbInfoLCID));
    CHECK(value == 0x409);
    CHECK_ERR(JET_errInvalidBufferSize, JetGetDatabaseInfo(sesid, dbid, alloc, sizeof alloc, JET_DbInfoLCID));
    /* The header: the first and the last JET_DBINFOMISC versions. An
     * attached database is in dirty shutdown; its log is this
     * instance's, whose commit ids carry the same signature. */
    JET_DBINFOMISC misc;
    memset(&misc, 0xcc, sizeof misc);
    CHECK_OK(JetGetDatabaseInfo(sesid, dbid, &misc, sizeof misc, JET_DbInfoMisc));
    CHECK(misc.ulVersion == 0x620 && misc.dbstate == JET_dbstateDirtyShutdown);
    CHECK(misc.cbPageSize == page_size && misc.signDb.ulRandom != 0);
    CHECK(misc.logtimeAttach.bYear > 100 && misc.lgposAttach.lGeneration >= 1);
    JET_DBINFOMISC7 misc7;
    memset(&misc7, 0xcc, sizeof misc7);
    CHECK_OK(JetGetDatabaseInfo(sesid, dbid, &misc7, sizeof misc7, JET_DbInfoMisc));
    CHECK(memcmp(&misc7.signDb, &misc.signDb, sizeof misc.signDb) == 0);
    CHECK(misc7.cbPageSize == misc.cbPageSize && misc7.lgposAttach.lGeneration == misc.lgposAttach.lGeneration);
    CHECK(misc7.ulRepairCount == 0 && misc7.ulBadChecksum == 0);
    JET_COMMIT_ID commit;
    CHECK_OK(JetBeginTransaction(sesid));
    CHECK_OK(JetCommitTransaction2(sesid, 0, 0, &commit));
    CHECK(memcmp(&commit.signLog, &misc7.signLog, sizeof commit.signLog) == 0);
    JET_DBINFOMISC2 misc2;
    CHECK_OK(JetGetDatabaseInfo(sesid, dbid, &misc2, sizeof misc2, JET_DbInfoMisc));
    CHECK(misc2.ulRepairCount == 0 && misc2.dbstate == JET_dbstateDirtyShutdown);
    CHECK_ERR(JET_errInvalidBufferSize, JetGetDatabaseInfo(sesid, dbid, &misc7, sizeof misc + 4, JET_DbInfoMisc));
    CHECK_ERR(JET_errInvalidParameter, JetGetDatabaseInfo(sesid, dbid, &value, sizeof value, JET_DbInfoFileType));
    CHECK_ERR(JET_errInvalidParameter, JetGetDatabaseInfo(sesid, dbid, &value, sizeof value, 1000));

    CHECK_OK(JetCloseTable(sesid, table));
    CHECK_OK(JetEndSession(sesid, 0));
    CHECK_OK(JetTerm(instance));
    return check_summary("info");
}
