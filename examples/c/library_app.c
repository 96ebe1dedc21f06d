/*
 * library_app: a small lending library written the way ESENT applications
 * are, against esent.h. Legacy mode (JetInit with no instance), a database
 * with two tables made by JetCreateTableColumnIndex (an autoincrement key,
 * text, a multi-valued tag column, a long-value summary; a unique and a
 * conditional secondary index), books lent and returned in transactions,
 * seeks and an index range, then JetStopService before JetTerm.
 *
 *   cc -std=c11 library_app.c -I include -L target/release -lesent
 *   ./a.out /tmp/library
 *
 * Exits 0 when every call did what it should; prints what it found.
 */
#include <esent.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Call(f)                                                                  \
    do {                                                                         \
        JET_ERR err_ = (f);                                                      \
        if (err_ < 0) {                                                          \
            fprintf(stderr, "%s:%d: %s failed: %d\n", __FILE__, __LINE__, #f, (int)err_); \
            exit(1);                                                             \
        }                                                                        \
    } while (0)

static JET_SESID sesid;
static JET_DBID dbid;

enum { ID, TITLE, AUTHOR, TAGS, SUMMARY, ON_LOAN };
static JET_COLUMNID books[6];

static void create_schema(void)
{
    static JET_COLUMNCREATE columns[6];
    static const char *names[6] = {"Id", "Title", "Author", "Tags", "Summary", "OnLoan"};
    static const JET_COLTYP types[6] = {JET_coltypLong, JET_coltypText, JET_coltypText,
                                        JET_coltypText, JET_coltypLongText, JET_coltypBit};
    static const JET_GRBIT bits[6] = {JET_bitColumnAutoincrement, JET_bitColumnNotNULL, 0,
                                      JET_bitColumnTagged | JET_bitColumnMultiValued, 0,
                                      JET_bitColumnTagged};
    for (int i = 0; i < 6; i++) {
        columns[i].cbStruct = sizeof(JET_COLUMNCREATE);
        columns[i].szColumnName = (char *)names[i];
        columns[i].coltyp = types[i];
        columns[i].grbit = bits[i];
        columns[i].cp = types[i] == JET_coltypText || types[i] == JET_coltypLongText ? 1252 : 0;
    }
    /* Only books on loan are in the loan index. */
    static JET_CONDITIONALCOLUMN on_loan = {sizeof(JET_CONDITIONALCOLUMN), (char *)"OnLoan",
                                            JET_bitIndexColumnMustBeNonNull};
    static JET_INDEXCREATE indexes[3];
    indexes[0].cbStruct = sizeof(JET_INDEXCREATE);
    indexes[0].szIndexName = (char *)"ById";
    indexes[0].szKey = (char *)"+Id\0";
    indexes[0].cbKey = 5;
    indexes[0].grbit = JET_bitIndexPrimary;
    indexes[1] = indexes[0];
    indexes[1].szIndexName = (char *)"ByTitle";
    indexes[1].szKey = (char *)"+Title\0";
    indexes[1].cbKey = 8;
    indexes[1].grbit = JET_bitIndexUnique;
    indexes[2] = indexes[0];
    indexes[2].szIndexName = (char *)"OnLoanByAuthor";
    indexes[2].szKey = (char *)"+Author\0";
    indexes[2].cbKey = 9;
    indexes[2].grbit = 0;
    indexes[2].rgconditionalcolumn = &on_loan;
    indexes[2].cConditionalColumn = 1;

    JET_TABLECREATE table;
    memset(&table, 0, sizeof table);
    table.cbStruct = sizeof table;
    table.szTableName = (char *)"books";
    table.rgcolumncreate = columns;
    table.cColumns = 6;
    table.rgindexcreate = indexes;
    table.cIndexes = 3;
    Call(JetCreateTableColumnIndex(sesid, dbid, &table));
    for (int i = 0; i < 6; i++) {
        books[i] = columns[i].columnid;
    }
    Call(JetCloseTable(sesid, table.tableid));
}

static void add_book(JET_TABLEID t, const char *title, const char *author, const char *tag1,
                     const char *tag2, const char *summary)
{
    Call(JetPrepareUpdate(sesid, t, JET_prepInsert));
    Call(JetSetColumn(sesid, t, books[TITLE], title, (unsigned long)strlen(title), 0, NULL));
    Call(JetSetColumn(sesid, t, books[AUTHOR], author, (unsigned long)strlen(author), 0, NULL));
    Call(JetSetColumn(sesid, t, books[TAGS], tag1, (unsigned long)strlen(tag1), 0, NULL));
    if (tag2) {
        Call(JetSetColumn(sesid, t, books[TAGS], tag2, (unsigned long)strlen(tag2), 0, NULL));
    }
    Call(JetSetColumn(sesid, t, books[SUMMARY], summary, (unsigned long)strlen(summary), 0, NULL));
    Call(JetUpdate(sesid, t, NULL, 0, NULL));
}

/* Lends (or returns) the book with this title. */
static void set_loan(JET_TABLEID t, const char *title, int lent)
{
    Call(JetSetCurrentIndex(sesid, t, "ByTitle"));
    Call(JetMakeKey(sesid, t, title, (unsigned long)strlen(title), JET_bitNewKey));
    Call(JetSeek(sesid, t, JET_bitSeekEQ));
    Call(JetBeginTransaction(sesid));
    Call(JetPrepareUpdate(sesid, t, JET_prepReplace));
    unsigned char yes = 1;
    Call(JetSetColumn(sesid, t, books[ON_LOAN], lent ? &yes : NULL, lent ? 1 : 0, 0, NULL));
    Call(JetUpdate(sesid, t, NULL, 0, NULL));
    Call(JetCommitTransaction(sesid, 0));
}

static int count_index(JET_TABLEID t, const char *index)
{
    Call(JetSetCurrentIndex(sesid, t, index));
    int n = 0;
    for (JET_ERR err = JetMove(sesid, t, JET_MoveFirst, 0); err == JET_errSuccess;
         err = JetMove(sesid, t, JET_MoveNext, 0)) {
        n++;
    }
    return n;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    char system_path[2048], database[2100];
    snprintf(system_path, sizeof system_path, "%s/", dir);
    snprintf(database, sizeof database, "%s/library.edb", dir);

    JET_INSTANCE instance = 0;
    Call(JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, system_path));
    Call(JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, system_path));
    Call(JetSetSystemParameter(&instance, 0, JET_paramBaseName, 0, "lib"));
    Call(JetInit(&instance));
    Call(JetBeginSession(instance, &sesid, NULL, NULL));
    Call(JetCreateDatabase(sesid, database, NULL, &dbid, JET_bitDbOverwriteExisting));
    create_schema();

    JET_TABLEID t;
    Call(JetOpenTable(sesid, dbid, "books", NULL, 0, 0, &t));
    Call(JetBeginTransaction(sesid));
    add_book(t, "Dune", "Herbert", "sf", "classic", "A desert planet and its spice.");
    add_book(t, "Emma", "Austen", "novel", NULL, "A matchmaker learns better.");
    add_book(t, "Ubik", "Dick", "sf", NULL, "Time runs backwards in a half-life.");
    add_book(t, "Kindred", "Butler", "sf", "history", "A woman pulled back in time.");
    add_book(t, "Persuasion", "Austen", "novel", "classic", "A second chance, eight years on.");
    Call(JetCommitTransaction(sesid, 0));
    /* A title is unique: the second "Emma" is refused, and rolled back. */
    Call(JetBeginTransaction(sesid));
    Call(JetPrepareUpdate(sesid, t, JET_prepInsert));
    Call(JetSetColumn(sesid, t, books[TITLE], "Emma", 4, 0, NULL));
    if (JetUpdate(sesid, t, NULL, 0, NULL) != JET_errKeyDuplicate) {
        fprintf(stderr, "a duplicate title was accepted\n");
        return 1;
    }
    Call(JetPrepareUpdate(sesid, t, JET_prepCancel));
    Call(JetRollback(sesid, 0));

    set_loan(t, "Dune", 1);
    set_loan(t, "Emma", 1);
    set_loan(t, "Kindred", 1);
    set_loan(t, "Dune", 0);
    int lent = count_index(t, "OnLoanByAuthor");
    printf("books: %d, on loan: %d\n", count_index(t, "ById"), lent);

    /* Titles from "E" through those beginning with "P", through an index range
     * (JET_bitSubStrLimit makes "P" a prefix limit). */
    Call(JetSetCurrentIndex(sesid, t, "ByTitle"));
    Call(JetMakeKey(sesid, t, "E", 1, JET_bitNewKey));
    Call(JetSeek(sesid, t, JET_bitSeekGE));
    Call(JetMakeKey(sesid, t, "P", 1, JET_bitNewKey | JET_bitSubStrLimit));
    Call(JetSetIndexRange(sesid, t, JET_bitRangeUpperLimit | JET_bitRangeInclusive));
    int in_range = 0;
    do {
        char title[64];
        unsigned long size = 0;
        Call(JetRetrieveColumn(sesid, t, books[TITLE], title, sizeof title - 1, &size, 0, NULL));
        title[size] = 0;
        JET_RETINFO first_tag = {sizeof(JET_RETINFO), 0, 1, 0};
        char tag[32];
        Call(JetRetrieveColumn(sesid, t, books[TAGS], tag, sizeof tag - 1, &size, 0, &first_tag));
        tag[size] = 0;
        printf("  %s (%s)\n", title, tag);
        in_range++;
    } while (JetMove(sesid, t, JET_MoveNext, 0) == JET_errSuccess);

    Call(JetCloseTable(sesid, t));
    /* JetStopService first: calls stop, sessions wind down, then JetTerm. */
    Call(JetStopService());
    if (JetBeginTransaction(sesid) != JET_errClientRequestToStopJetService) {
        fprintf(stderr, "JetStopService did not stop new work\n");
        return 1;
    }
    Call(JetEndSession(sesid, 0));
    Call(JetTerm(instance));
    printf("titles E..P: %d\n", in_range);
    return lent == 2 && in_range == 3 ? 0 : 1;
}
