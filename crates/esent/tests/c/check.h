/* A small assertion kit for the C tests: each CHECK counts, a failure
 * prints where and what, and the program's exit status is the number of
 * failures (capped). */
#ifndef ESENT_TEST_CHECK_H
#define ESENT_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks_run = 0;
static int checks_failed = 0;

#define CHECK(cond)                                                              \
    do {                                                                         \
        checks_run++;                                                            \
        if (!(cond)) {                                                           \
            checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                        \
    } while (0)

/* A call that must return exactly `expected` (an error, a warning or 0). */
#define CHECK_ERR(expected, call)                                                \
    do {                                                                         \
        JET_ERR err_ = (call);                                                   \
        checks_run++;                                                            \
        if (err_ != (expected)) {                                                \
            checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: %s returned %d, expected %d (%s)\n", __FILE__, \
                    __LINE__, #call, (int)err_, (int)(expected), #expected);     \
        }                                                                        \
    } while (0)

#define CHECK_OK(call) CHECK_ERR(JET_errSuccess, call)

static int check_summary(const char *program)
{
    printf("%s: %d checks, %d failed\n", program, checks_run, checks_failed);
    return checks_failed > 100 ? 100 : checks_failed;
}

#endif
