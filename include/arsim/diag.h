/* diag.h - diagnostics: errors and warnings with file, line:column and JSON pointer. */
#ifndef ARSIM_DIAG_H
#define ARSIM_DIAG_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

/* GError domain of every arsim stage; codes below. */
#define AR_ERROR (ar_error_quark())
GQuark ar_error_quark(void);

typedef enum ArErrorCode {
    AR_ERROR_IO,       /* a file could not be read or written */
    AR_ERROR_INPUT,    /* the scenario (or a --set) is invalid: exit status 2 */
    AR_ERROR_USAGE,    /* bad command line: exit status 2 */
} ArErrorCode;

typedef enum ArSeverity {
    DIAG_ERROR,
    DIAG_WARNING,
} ArSeverity;

/* One message about the input. line/col are 1-based; 0 when unknown (e.g. for --set). */
typedef struct ArDiag {
    ArSeverity severity; /* error (exit 2) or warning (exit 0) */
    char *file;          /* file name as given by the user, or "--set" */
    int line;            /* 1-based line, 0 if unknown */
    int col;             /* 1-based column in bytes, 0 if unknown */
    char *pointer;       /* RFC 6901 JSON pointer, "" for the document */
    char *message;       /* what is wrong and what to do about it */
} ArDiag;

/* An ordered list of diagnostics; owns its entries. */
typedef struct ArDiagList {
    GPtrArray *items; /* ArDiag*, in the order found, at most DIAG_KEEP_MAX of them */
    int errors;       /* count of DIAG_ERROR diagnostics, kept or not */
    int warnings;     /* count of DIAG_WARNING diagnostics, kept or not */
} ArDiagList;

/* Diagnostics kept per list: a generated file with millions of mistakes must not need gigabytes to
 * say so. The rest are counted and summarised by diag_print. */
#define DIAG_KEEP_MAX 1000

ArDiagList *diag_list_new(void);
void diag_list_free(ArDiagList *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArDiagList, diag_list_free)

/* Appends a diagnostic; message is printf-style. O(1) amortised. */
void diag_add(ArDiagList *l, ArSeverity sev, const char *file, int line, int col, const char *pointer,
              const char *fmt, ...) G_GNUC_PRINTF(7, 8);

/* Sorts by file, line, column (stable, so equal positions keep their order). */
void diag_sort(ArDiagList *l);

/* Writes "FILE:LINE:COL: /pointer: message" (warnings say "warning: " before the message). */
void diag_print(const ArDiagList *l, FILE *out);
char *diag_format(const ArDiag *d);

#endif
