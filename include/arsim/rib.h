/* rib.h - a speaker's routing table: per prefix, every path learned (Adj-RIB-In) and the best one
 * (Loc-RIB). Kept apart from the protocol, as BIRD keeps nest/rt-table.c apart from proto/bgp. */
#ifndef ARSIM_RIB_H
#define ARSIM_RIB_H

#include "arsim/attr.h"
#include "arsim/prefix.h"

#include <glib.h>
#include <stdint.h>

#define PEER_LOCAL UINT16_MAX /* ArRoute.peer of a locally originated route */
/* Peers one speaker can hold: ArRoute.peer indexes them below PEER_LOCAL. The validator refuses a
 * scenario that would need more (scn_most_peers), with or without liftLimits. */
#define RIB_MAX_PEERS ((uint32_t)PEER_LOCAL)

/* Route flags. */
#define RT_VNET 0x1u   /* a VNet's address space, originated by an Azure component for its VNet */
#define RT_STATIC 0x2u /* a static (non-BGP) VPN site's prefix, originated by the VPN gateway */

/* One path to a prefix. 24 bytes: the prefix is the table key, the attributes are shared. */
typedef struct ArRoute {
    struct ArRoute *next;   /* next path for the same prefix, in ascending peer order */
    const ArAttrs *attrs;   /* interned, after import policy */
    uint16_t peer;          /* index of the peer it was learned from, PEER_LOCAL if originated here */
    uint16_t flags;         /* RT_* */
} ArRoute;

/* All paths to one prefix. The Adj-RIB-In of peer p is the set of routes with peer == p; the
 * Loc-RIB is the set of best pointers: neither is copied. */
typedef struct ArRibNet {
    ArRoute *routes;   /* list of paths, ascending peer (locals last) */
    ArRoute *best;     /* selected path, NULL when none (every path rejected or list empty) */
} ArRibNet;

/* A map from 64-bit keys (prefix keys) to pointers: open addressing (Robin Hood, linear probing)
 * over one array of 16-byte slots (key beside value, so a lookup touches one or two cache lines
 * where a GHashTable touches three arrays), MurmurHash3-finaliser hashing, deletion by backward shift (no
 * tombstones), at most 7/8 full. Used for the big per-speaker tables (the RIB's nets).
 * Values must not be NULL. */
#define KEYMAP_EMPTY UINT64_MAX /* no prefix key has this value (length byte 0xff) */
typedef struct ArKeyMapSlot {
    uint64_t key;      /* KEYMAP_EMPTY when free */
    gpointer value;    /* the value stored for key */
} ArKeyMapSlot;
typedef struct ArKeyMap {
    ArKeyMapSlot *slots; /* 2^bits slots, NULL while empty */
    guint bits;          /* log2 of the slot count */
    guint len;           /* keys stored */
} ArKeyMap;

void keymap_init(ArKeyMap *m);
void keymap_clear(ArKeyMap *m);                 /* frees the slots; the map stays usable */
static inline guint keymap_size(const ArKeyMap *m) { return m->len; }
/* Value for key, NULL if absent. O(1) expected. */
gpointer keymap_lookup(const ArKeyMap *m, uint64_t key);
/* Sets key's value (inserting or replacing). O(1) amortised. */
void keymap_insert(ArKeyMap *m, uint64_t key, gpointer value);
/* Removes key; TRUE if it was present. O(1) expected. */
gboolean keymap_remove(ArKeyMap *m, uint64_t key);
/* Makes room for n keys in all without growing again. */
void keymap_reserve(ArKeyMap *m, guint n);
/* Starts loading the slot where key would be, so that a lookup a few keys later does not wait for
 * memory: batch loops call it for the key some 8-16 iterations ahead. Changes nothing. */
void keymap_prefetch(const ArKeyMap *m, uint64_t key);
/* Iteration in slot order: start with *pos = 0; FALSE at the end. The map must not change. */
gboolean keymap_next(const ArKeyMap *m, guint *pos, uint64_t *key, gpointer *value);

/* Routes and nets come from per-table blocks (no per-route malloc header, no per-route free at
 * the end): a stored path costs sizeof(ArRoute) = 24 bytes, a prefix sizeof(ArRibNet) = 16 bytes
 * plus its 16-byte slot in the nets map. Freed ones are kept on free lists for reuse. */
typedef struct ArRib {
    ArKeyMap nets;         /* prefix key -> ArRibNet* */
    uint64_t routes;       /* paths stored, for statistics */
    ArRoute *free_routes;  /* unused routes, linked through next */
    ArRibNet *free_nets;   /* unused nets, linked through their routes field (cast) */
    GPtrArray *blocks;     /* memory blocks the routes and nets are carved from */
    guint block_items;     /* items in the next block: doubles from 64 up to 65,536 */
} ArRib;

void rib_init(ArRib *r);
void rib_clear(ArRib *r);

/* Exact-match lookup, O(1). NULL when the prefix has no entry. */
ArRibNet *rib_find(const ArRib *r, uint64_t key);
/* Lookup, creating an empty entry. O(1) amortised. */
ArRibNet *rib_get(ArRib *r, uint64_t key);
/* Drops the entry when it holds no path. */
void rib_prune(ArRib *r, uint64_t key, ArRibNet *n);

/* Path from peer in n, NULL if none. O(paths). */
ArRoute *rib_route_from(ArRibNet *n, uint16_t peer);
/* Adds or replaces the path from peer; returns the route. O(paths). */
ArRoute *rib_set_route(ArRib *r, ArRibNet *n, uint16_t peer, const ArAttrs *a, uint16_t flags);
/* Removes the path from peer; returns TRUE if there was one. The best pointer must be
 * recomputed by the caller. O(paths). */
gboolean rib_remove_route(ArRib *r, ArRibNet *n, uint16_t peer);

/* Makes room for n prefixes in all, so that a bulk insert does not grow the table step by step. */
void rib_reserve(ArRib *r, guint n);
/* Starts loading what rib_find(r, key) will read, for batch loops (see keymap_prefetch). */
void rib_prefetch(const ArRib *r, uint64_t key);

/* Number of prefixes with an entry. O(1). */
guint rib_size(const ArRib *r);

/* Iteration over every entry, in no particular order (rib_sorted_keys gives the printing order).
 * The table must not change while iterating. Use this rather than the table itself: the table's
 * type is an implementation detail that is meant to change (docs/performance.md). */
typedef struct ArRibIter {
    const ArKeyMap *m;  /* the nets table */
    guint pos;          /* next slot to look at */
} ArRibIter;
void rib_iter_init(ArRibIter *it, const ArRib *r);
/* Next entry: TRUE with *key and *net set, FALSE at the end. */
gboolean rib_iter_next(ArRibIter *it, uint64_t *key, ArRibNet **net);

/* All prefix keys, ascending (address, then length): the order of every printed table.
 * O(n log n); the caller frees the array. */
GArray *rib_sorted_keys(const ArRib *r);

/* Prefix keys live in the pointer itself: the tables need 64-bit pointers. */
G_STATIC_ASSERT(sizeof(gpointer) >= sizeof(uint64_t));
static inline gpointer rib_key_ptr(uint64_t key) { return (gpointer)(guintptr)key; }
static inline uint64_t rib_ptr_key(gconstpointer p) { return (uint64_t)(guintptr)p; }
/* Hash for pointer-packed prefix keys (mixes the high bits g_direct_hash would drop). */
guint rib_key_hash(gconstpointer p);

#endif
