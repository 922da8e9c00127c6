/* format.h - the scenario format as data: each object's keys, their types, defaults and bounds. */
#ifndef ARSIM_FORMAT_H
#define ARSIM_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

/* The one description of scenario format v1. The loader (sim/load/validate*.c) checks files
 * against it (unknown keys, types, required keys, enum words, integer bounds), the model's
 * defaults come from the same constants (arsim/limits.h), and tests/test_loader.c holds
 * docs/scenario.schema.json and docs/scenario-format.md against it, so a doc that drifts fails. */

/* The JSON type a key takes. */
typedef enum ArFmtType {
    FMT_STRING = 0, /* a string */
    FMT_BOOL,       /* true or false */
    FMT_INT,        /* a whole number */
    FMT_ARRAY,      /* an array */
    FMT_OBJECT,     /* an object */
    FMT_TIME,       /* a duration: seconds as a number, or a string such as "90s" */
    FMT_ANY,        /* any value; its key's checks decide */
} ArFmtType;

/* One key of an object. */
typedef struct ArFmtKey {
    const char *key;            /* the key, as written in files */
    ArFmtType type;             /* the JSON type it takes */
    bool required;              /* an object without it is an error */
    const char *dflt;           /* its default as JSON text, as the docs write it ("false", "1000", "\"180s\"");
                                 * NULL when absent means none, or a value taken from elsewhere */
    double min, max;            /* FMT_INT: bounds, inclusive, when min < max; both 0 when none */
    const char *const *words;   /* FMT_STRING: the values allowed, NULL when free (names, prefixes) */
    int n_words;                /* entries in words */
} ArFmtKey;

/* One kind of object of the format. */
typedef struct ArFmtObject {
    const char *def;            /* its name under "$defs" in docs/scenario.schema.json; "" at the top level */
    const char *section;        /* the heading of docs/scenario-format.md whose tables list its keys; NULL
                                 * when its keys are described in prose */
    const ArFmtKey *keys;       /* its keys, in the order messages list them */
    size_t n;                   /* entries in keys */
} ArFmtObject;

/* Every kind of object, top level first; *n receives the count. O(1). */
const ArFmtObject *fmt_objects(size_t *n);

#endif
