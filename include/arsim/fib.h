/* fib.h - IPv4 longest-prefix match: a path-compressed binary (Patricia) trie, prefix -> value. */
#ifndef ARSIM_FIB_H
#define ARSIM_FIB_H

#include "arsim/prefix.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* A forwarding table. Every node of the trie holds a prefix strictly longer than its parent's, so a
 * lookup visits at most 33 nodes whatever the table size. Values are not owned unless a destroy
 * function is given. */
typedef struct ArFib ArFib;

/* value_free (may be NULL) is called on each stored value by fib_free and on replaced values. */
ArFib *fib_new(GDestroyNotify value_free);
void fib_free(ArFib *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArFib, fib_free)

/* Inserts p -> value, replacing the value already stored for exactly p. O(32). */
void fib_insert(ArFib *f, ArPrefix p, gpointer value);
/* Inserts p -> value unless p is already stored (then the table is unchanged and value is not
 * taken). TRUE when inserted. O(32). */
gboolean fib_insert_new(ArFib *f, ArPrefix p, gpointer value);

/* Value of the longest prefix containing ip, NULL when none; *matched (if not NULL) receives that
 * prefix. O(32). */
gpointer fib_lookup(const ArFib *f, uint32_t ip, ArPrefix *matched);

/* Value stored for exactly p, NULL when none. O(32). */
gpointer fib_exact(const ArFib *f, ArPrefix p);

/* Number of prefixes stored. */
guint fib_size(const ArFib *f);

#endif
