/* rib.h - a speaker's routing table: per prefix, every path learned (Adj-RIB-In) and the best one
 * (Loc-RIB). Kept apart from the protocol, as BIRD keeps nest/rt-table.c apart from proto/bgp. */
#ifndef ARSIM_RIB_H
#define ARSIM_RIB_H

#include "arsim/attr.h"
#include "arsim/prefix.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PEER_LOCAL UINT16_MAX /* ArRoute.peer of a locally originated route */
/* Peers one speaker can hold: ArRoute.peer indexes them below PEER_LOCAL. The validator refuses a
 * scenario that would need more (scn_most_peers), with or without liftLimits. */
#define RIB_MAX_PEERS ((uint32_t)PEER_LOCAL)

/* Route flags. */
#define RT_VNET 0x1u   /* a VNet's address space, originated by an Azure component for its VNet */
#define RT_STATIC 0x2u /* a static (non-BGP) VPN site's prefix, originated by the VPN gateway */

/* One path to a prefix. 8 bytes: the prefix is the table key, the attributes are an interned
 * set named by its number (attr_at: no table needed), and the paths of one prefix sit side by
 * side (two in the net itself, more in one array: ArRibNet), so there is no next pointer. Read
 * the attributes with rt_attrs. */
typedef struct ArRoute {
    union {
        struct {
            uint32_t ax;    /* the set's number (ArAttrs.id); in a net's second inline path the top
                             * bit (RIB_BEST2) marks that path as the net's best */
            uint16_t peer;  /* index of the peer it was learned from, PEER_LOCAL if originated here */
            uint16_t flags; /* RT_* */
        };
        struct ArRoute *free_next; /* on a free list (rib.c): the next free array of its class */
    };
} ArRoute;
G_STATIC_ASSERT(sizeof(ArRoute) == 8);
#define RIB_BEST2 0x80000000u          /* ArRoute.ax bit: see above */
G_STATIC_ASSERT(ATTR_SLAB_SLOTS <= RIB_BEST2);
/* The number of the path's attribute set: equal numbers, equal sets (interned). O(1). */
static inline uint32_t rt_ax(const ArRoute *r) { return r->ax & ~RIB_BEST2; }
/* The path's attributes (interned, after import policy). O(1). */
static inline const ArAttrs *rt_attrs(const ArRoute *r) { return attr_at(rt_ax(r)); }

/* All paths to one prefix, 16 bytes: none, one or two paths inline (most prefixes of most tables
 * have one or two: one from each of two instances), or three and more side by side in an array
 * with the best one's position. The Adj-RIB-In of peer p is the set of routes with peer == p;
 * the Loc-RIB is the set of best paths: neither is copied. Read it through rib_first,
 * rib_route_next, rib_best and rib_paths. */
#define RIB_MANY UINT16_MAX   /* ArRibNet.many.tag: the net holds an array (no RT_* flag set is all ones) */
typedef struct ArRibNet {
    union {
        ArRoute two[2];         /* inline, ascending peer: none (two[0].ax 0), one (two[1].ax 0) or two */
        struct {
            ArRoute *arr;       /* three or more paths, ascending peer (locals last) */
            uint32_t n;         /* paths in arr, at least 3 */
            uint16_t best;      /* position of the best path in arr (with the local path, 65,536 paths at
                                 * most: positions fit); stale after rib_remove_route until set again */
            uint16_t tag;       /* RIB_MANY; lies over two[1].flags */
        } many;
    };
} ArRibNet;
G_STATIC_ASSERT(sizeof(ArRibNet) == 16);
G_STATIC_ASSERT(offsetof(ArRibNet, many.tag) == offsetof(ArRibNet, two[1].flags));

/* The first path of n (lowest peer), NULL when it has none. O(1). */
static inline ArRoute *rib_first(const ArRibNet *n)
{
    if (n->many.tag == RIB_MANY)
        return n->many.arr;
    return n->two[0].ax ? (ArRoute *)&n->two[0] : NULL;
}
/* The path after r in net n, NULL after the last. O(1). Walk a net's paths with
 * `for (r = rib_first(n); r; r = rib_route_next(n, r))`. */
static inline ArRoute *rib_route_next(const ArRibNet *n, const ArRoute *r)
{
    if (n->many.tag == RIB_MANY)
        return r + 1 < n->many.arr + n->many.n ? (ArRoute *)r + 1 : NULL;
    return r == &n->two[0] && n->two[1].ax ? (ArRoute *)&n->two[1] : NULL;
}
/* Number of paths of n. O(1). */
static inline guint rib_paths(const ArRibNet *n)
{
    return n->many.tag == RIB_MANY ? n->many.n : (guint)(n->two[0].ax != 0) + (guint)(n->two[1].ax != 0);
}
/* The selected path of n, NULL when it has none. O(1). */
static inline ArRoute *rib_best(const ArRibNet *n)
{
    if (n->many.tag == RIB_MANY)
        return n->many.arr + n->many.best;
    if (!n->two[0].ax)
        return NULL;
    return (ArRoute *)&n->two[(n->two[1].ax & RIB_BEST2) != 0];
}
/* Records b (one of n's paths, or NULL when n has none) as n's best. O(1). */
static inline void rib_set_best(ArRibNet *n, const ArRoute *b)
{
    if (n->many.tag == RIB_MANY) {
        g_assert(b && b >= n->many.arr && b < n->many.arr + n->many.n);
        n->many.best = (uint16_t)(b - n->many.arr);
    } else if (n->two[1].ax) {
        g_assert(b == &n->two[0] || b == &n->two[1]);
        n->two[1].ax = b == &n->two[1] ? n->two[1].ax | RIB_BEST2 : n->two[1].ax & ~RIB_BEST2;
    } else {
        g_assert(b == rib_first(n)); /* one path is its own best; none has none */
    }
}

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

/* ---- prefix ids ----------------------------------------------------------------------------- */

/* The prefixes of one run, each given a dense id (0, 1, 2... in order of first appearance) the
 * first time any speaker sees it: every RIB, dirty set and Adj-RIB-Out of the run is an array
 * indexed by that id, so a prefix is hashed once per run (when it enters), never per node or peer.
 * About 28 bytes per prefix of the run: its key (8) and a 16-byte map slot at most 7/8 full. */
#define PFX_NONE UINT32_MAX /* no such prefix id */
typedef struct ArPfxTable {
    ArKeyMap ids;      /* prefix key -> id + 1 (values must not be NULL) */
    GArray *keys;      /* uint64_t prefix key of each id */
    bool ordered;      /* every id's key is greater than the previous id's: ids are in prefix order */
} ArPfxTable;

void pfxtab_init(ArPfxTable *t);
void pfxtab_clear(ArPfxTable *t);
/* The prefix's id, given one if it has none. O(1) amortised. */
uint32_t pfxtab_intern(ArPfxTable *t, uint64_t key);
/* Gives the prefixes in keys (any order, duplicates allowed) ids in ascending key order, after the
 * ids already given. Called on a new run's empty table with every prefix the scenario names, it
 * makes id order prefix order: a session's table dump (rib_sorted_ids) is then a walk without a
 * sort, and UPDATEs list ids in ascending order, so RIB pages are visited in sequence rather than
 * at random (at 1M prefixes most of the cost of receiving was cache and TLB misses). Sorts keys.
 * O(n log n). */
void pfxtab_intern_sorted(ArPfxTable *t, GArray *keys);
/* The prefix's id, PFX_NONE when no speaker of the run ever held it. O(1) expected. */
uint32_t pfxtab_find(const ArPfxTable *t, uint64_t key);
/* The ids of n prefix keys sorted ascending (duplicates allowed), each given one if it has none,
 * into ids[]. While the table's ids are in prefix order (ordered), found by walking the table's
 * keys alongside, in sequence, without hashing; otherwise one hash each. O(n + table). */
void pfxtab_ids_sorted(ArPfxTable *t, const uint64_t *keys, size_t n, uint32_t *ids);
/* The prefix key of an id. O(1). */
static inline uint64_t pfxtab_key(const ArPfxTable *t, uint32_t id)
{
    g_assert(id < t->keys->len);
    return g_array_index(t->keys, uint64_t, id);
}
static inline guint pfxtab_size(const ArPfxTable *t) { return t->keys->len; }

/* Id-indexed tables are paged: pages of 4,096 ids are allocated when first written, so that a
 * speaker holding a few prefixes of a large run pays for the pages it touches, not for the run. */
#define RIB_PAGE_BITS 12u
#define RIB_PAGE_IDS (1u << RIB_PAGE_BITS)

/* A map from prefix id to a 32-bit value, 0 for none, paged (above): 4 bytes per id of a
 * touched page. The Adj-RIB-Out (ArPeer.out, ArUpdGroup.out) is one, holding attribute-set
 * numbers (ArAttrs.id): half the bytes of a pointer, in the table that has an entry per prefix
 * per update group. */
typedef struct ArIdMap {
    uint32_t **pages;  /* pages[id >> RIB_PAGE_BITS][id & (RIB_PAGE_IDS - 1)], NULL pages unused */
    guint n_pages;     /* length of pages */
    guint len;         /* ids with a value */
} ArIdMap;

void idmap_init(ArIdMap *m);
void idmap_clear(ArIdMap *m); /* frees the pages; the map stays usable */
static inline guint idmap_size(const ArIdMap *m) { return m->len; }
/* Value of id, 0 if none. O(1). */
static inline uint32_t idmap_get(const ArIdMap *m, uint32_t id)
{
    guint pg = id >> RIB_PAGE_BITS;
    return pg < m->n_pages && m->pages[pg] ? m->pages[pg][id & (RIB_PAGE_IDS - 1)] : 0;
}
/* Sets id's value; 0 removes it. O(1) (a page allocated on first write). */
void idmap_set(ArIdMap *m, uint32_t id, uint32_t value);
/* The page holding id's value, NULL when none was ever written: a loop over ids that mostly stay
 * in one page looks it up once per page, not once per id. O(1). */
static inline uint32_t *idmap_page(const ArIdMap *m, uint32_t id)
{
    guint pg = id >> RIB_PAGE_BITS;
    return pg < m->n_pages ? m->pages[pg] : NULL;
}
/* idmap_set through *page, id's page as idmap_page returned it (kept up to date: a first write
 * allocates the page). O(1). */
static inline void idmap_page_set(ArIdMap *m, uint32_t **page, uint32_t id, uint32_t value)
{
    if (!*page) {
        if (!value)
            return;
        idmap_set(m, id, value);
        *page = m->pages[id >> RIB_PAGE_BITS];
        return;
    }
    uint32_t *slot = &(*page)[id & (RIB_PAGE_IDS - 1)];
    m->len += (value != 0) - (*slot != 0);
    *slot = value;
}
/* Starts loading id's slot (batch loops, some 8 ids ahead). Changes nothing. */
static inline void idmap_prefetch(const ArIdMap *m, uint32_t id)
{
    guint pg = id >> RIB_PAGE_BITS;
    if (pg < m->n_pages && m->pages[pg])
        __builtin_prefetch(&m->pages[pg][id & (RIB_PAGE_IDS - 1)]);
}

/* ---- the routing table ---------------------------------------------------------------------- */

/* One page of a RIB: the nets of 4,096 consecutive prefix ids, inline (no pointer per prefix), and
 * one mark bit per id (the speaker's dirty set). 64 KiB + 512 bytes. */
typedef struct ArRibPage {
    ArRibNet nets[RIB_PAGE_IDS];            /* nets[i]: prefix id (page << RIB_PAGE_BITS) + i */
    uint64_t marks[RIB_PAGE_IDS / 64];      /* rib_mark bits */
} ArRibPage;
G_STATIC_ASSERT(offsetof(ArRibPage, nets) == 0); /* rib_mark_net finds the page from a net */

/* A net of three paths or more keeps them in an array with room for the next power of two of its
 * path count (4, 8, ...). Arrays of up to RIB_CLASS_MAX paths come from per-table blocks, kept on
 * one free list per class when freed (no per-array malloc header, no per-array free at the end);
 * longer ones (a prefix from dozens of peers) are allocated alone. A prefix costs
 * sizeof(ArRibNet) = 16 bytes in its page (indexed by prefix id: no key, no hash, no slot), which
 * holds its first two paths; a third and later path sizeof(ArRoute) = 8 bytes (more while its array
 * has room to spare). A net with no path is empty and counts as absent. */
#define RIB_CLASSES 6u                                 /* block-carved classes 2^0 .. 2^5 paths; since two paths live in the net, arrays start at 4 */
#define RIB_CLASS_MAX (1u << (RIB_CLASSES - 1))       /* longest block-carved array, in paths */
typedef struct ArRib {
    const ArPfxTable *pfx; /* the run's prefix ids (ArSim.pfx) */
    ArRibPage **pages;     /* by id >> RIB_PAGE_BITS; NULL pages hold nothing */
    guint n_pages;         /* length of pages */
    guint size;            /* nets holding at least one path */
    uint64_t routes;       /* paths stored, for statistics */
    ArRoute *free_arrays[RIB_CLASSES]; /* unused arrays of 2^c paths, linked through free_next */
    ArRoute *bump;         /* the unused rest of the newest block */
    guint bump_left;       /* routes left at bump */
    GPtrArray *blocks;     /* memory blocks the arrays are carved from */
    guint block_items;     /* routes in the next block: doubles from 64 up to 65,536 */
} ArRib;

void rib_init(ArRib *r, const ArPfxTable *pfx);
void rib_clear(ArRib *r);

/* Exact-match lookup by prefix key, O(1) (one hash in the prefix table): for outputs. NULL when
 * the prefix has no path here. */
ArRibNet *rib_find(const ArRib *r, uint64_t key);
/* The net of prefix id, NULL when its page was never written (the net is then empty). O(1). */
static inline ArRibNet *rib_net(const ArRib *r, uint32_t id)
{
    guint pg = id >> RIB_PAGE_BITS;
    return pg < r->n_pages && r->pages[pg] ? &r->pages[pg]->nets[id & (RIB_PAGE_IDS - 1)] : NULL;
}
/* The net of prefix id, its page allocated if needed. O(1). The pointer stays valid until
 * rib_clear. */
ArRibNet *rib_get(ArRib *r, uint32_t id);

/* Path from peer in n, NULL if none. O(paths). */
ArRoute *rib_route_from(ArRibNet *n, uint16_t peer);
/* Adds or replaces the path from peer; returns the route. O(paths). */
ArRoute *rib_set_route(ArRib *r, ArRibNet *n, uint16_t peer, const ArAttrs *a, uint16_t flags);
/* Removes the path from peer; returns TRUE if there was one. The caller chooses the best path
 * again (rib_set_best): until then, if the removed path was the best, rib_best returns a stand-in.
 * Pointers to the net's paths are invalid after this and after rib_set_route (the paths move
 * between the net and arrays). O(paths). */
gboolean rib_remove_route(ArRib *r, ArRibNet *n, uint16_t peer);

/* Starts loading prefix id's net, for batch loops (some 8 ids ahead). Changes nothing. */
static inline void rib_prefetch(const ArRib *r, uint32_t id)
{
    ArRibNet *n = rib_net(r, id);
    if (n)
        __builtin_prefetch(n);
}

/* Mark bit of prefix id (the speaker's dirty set): sets it, TRUE if it was clear. O(1). */
gboolean rib_mark(ArRib *r, uint32_t id);
/* rib_mark for net n, prefix id's, at hand: no lookup (the mark sits in n's page). O(1). */
static inline bool rib_mark_net(ArRibNet *n, uint32_t id)
{
    ArRibPage *page = (ArRibPage *)(void *)(n - (id & (RIB_PAGE_IDS - 1)));
    uint64_t *w = &page->marks[(id & (RIB_PAGE_IDS - 1)) / 64], bit = 1ull << (id % 64);
    if (*w & bit)
        return false;
    *w |= bit;
    return true;
}
/* Whether prefix id is marked. O(1). */
static inline bool rib_marked(const ArRib *r, uint32_t id)
{
    guint pg = id >> RIB_PAGE_BITS;
    return pg < r->n_pages && r->pages[pg] &&
           (r->pages[pg]->marks[(id & (RIB_PAGE_IDS - 1)) / 64] >> (id % 64) & 1u);
}
/* Clears the mark of prefix id. O(1). */
void rib_unmark(ArRib *r, uint32_t id);
/* rib_unmark for net n, prefix id's, at hand. O(1). */
static inline void rib_unmark_net(ArRibNet *n, uint32_t id)
{
    ArRibPage *page = (ArRibPage *)(void *)(n - (id & (RIB_PAGE_IDS - 1)));
    page->marks[(id & (RIB_PAGE_IDS - 1)) / 64] &= ~(1ull << (id % 64));
}

/* Checks the table's invariants, aborting on the first broken one: size nets hold a path and
 * routes paths in all (the sums over the nets), each net's paths in strictly ascending peer order
 * (inline up to two, three or more in an array), its best one of them, NULL only when it has none. O(table): tests and
 * debug builds. */
void rib_check(const ArRib *r);

/* Number of prefixes holding at least one path. O(1). */
static inline guint rib_size(const ArRib *r) { return r->size; }

/* Iteration over every entry, in no particular order (rib_sorted_keys gives the printing order).
 * The table must not change while iterating. Use this rather than the table itself: the table's
 * type is an implementation detail that is meant to change (docs/performance.md). */
typedef struct ArRibIter {
    const ArRib *r;     /* the table */
    uint32_t id;        /* next prefix id to look at */
} ArRibIter;
void rib_iter_init(ArRibIter *it, const ArRib *r);
/* Next entry: TRUE with *key and *net set, FALSE at the end. */
gboolean rib_iter_next(ArRibIter *it, uint64_t *key, ArRibNet **net);

/* All prefix keys, ascending (address, then length): the order of every printed table.
 * O(n log n); the caller frees the array. */
GArray *rib_sorted_keys(const ArRib *r);
/* The same order as prefix ids (uint32_t), for the engine's whole-table walks. O(n log n). */
GArray *rib_sorted_ids(const ArRib *r);

/* Prefix keys live in the pointer itself: the tables need 64-bit pointers. */
G_STATIC_ASSERT(sizeof(gpointer) >= sizeof(uint64_t));
static inline gpointer rib_key_ptr(uint64_t key) { return (gpointer)(guintptr)key; }
static inline uint64_t rib_ptr_key(gconstpointer p) { return (uint64_t)(guintptr)p; }
/* Hash for pointer-packed prefix keys (mixes the high bits g_direct_hash would drop). */
guint rib_key_hash(gconstpointer p);

#endif
