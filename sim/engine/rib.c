/* rib.c - per-speaker routing table: prefix -> list of paths and the best one. */
#include "arsim/rib.h"

#include <stddef.h>
#include <stdlib.h>

guint rib_key_hash(gconstpointer p)
{
    uint64_t k = rib_ptr_key(p);
    k ^= k >> 29;
    k *= 0xbf58476d1ce4e5b9ull;
    k ^= k >> 32;
    return (guint)k;
}

/* Largest block: 65,536 items of at most 24 bytes (1.5 MiB). */
#define RIB_BLOCK_MAX 65536u

/* Carves a new block into items of the given size, pushed on a free list whose link is the first
 * pointer of each item (ArRoute.next, ArRibNet.routes). */
static void *rib_block(ArRib *r, gsize item)
{
    guint n = r->block_items;
    r->block_items = MIN(n * 2, RIB_BLOCK_MAX);
    char *b = g_malloc(n * item);
    g_ptr_array_add(r->blocks, b);
    for (guint i = 0; i < n; i++)
        *(void **)(void *)(b + i * item) = i + 1 < n ? b + (i + 1) * item : NULL;
    return b;
}

static ArRoute *route_alloc(ArRib *r)
{
    if (!r->free_routes)
        r->free_routes = rib_block(r, sizeof(ArRoute));
    ArRoute *rt = r->free_routes;
    r->free_routes = rt->next;
    return rt;
}

static void route_release(ArRib *r, ArRoute *rt)
{
    rt->next = r->free_routes;
    r->free_routes = rt;
}

static ArRibNet *net_alloc(ArRib *r)
{
    G_STATIC_ASSERT(offsetof(ArRibNet, routes) == 0);
    if (!r->free_nets)
        r->free_nets = rib_block(r, sizeof(ArRibNet));
    ArRibNet *n = r->free_nets;
    r->free_nets = (ArRibNet *)(void *)n->routes;
    n->routes = NULL;
    n->best = NULL;
    return n;
}

static void net_release(ArRib *r, ArRibNet *n)
{
    n->routes = (ArRoute *)(void *)r->free_nets;
    r->free_nets = n;
}

void rib_init(ArRib *r)
{
    *r = (ArRib){ 0 };
    keymap_init(&r->nets);
    r->blocks = g_ptr_array_new_with_free_func(g_free);
    r->block_items = 64;
}

void rib_clear(ArRib *r)
{
    keymap_clear(&r->nets);
    if (r->blocks)
        g_ptr_array_free(r->blocks, TRUE);
    *r = (ArRib){ 0 };
}

ArRibNet *rib_find(const ArRib *r, uint64_t key) { return keymap_lookup(&r->nets, key); }

ArRibNet *rib_get(ArRib *r, uint64_t key)
{
    ArRibNet *n = keymap_lookup(&r->nets, key);
    if (!n) {
        n = net_alloc(r);
        keymap_insert(&r->nets, key, n);
    }
    return n;
}

void rib_prune(ArRib *r, uint64_t key, ArRibNet *n)
{
    if (n->routes == NULL) {
        g_assert(n->best == NULL);
        keymap_remove(&r->nets, key);
        net_release(r, n);
    }
}

ArRoute *rib_route_from(ArRibNet *n, uint16_t peer)
{
    for (ArRoute *r = n->routes; r; r = r->next)
        if (r->peer == peer)
            return r;
    return NULL;
}

ArRoute *rib_set_route(ArRib *rib, ArRibNet *n, uint16_t peer, const ArAttrs *a, uint16_t flags)
{
    ArRoute **pp = &n->routes;
    while (*pp && (*pp)->peer < peer)
        pp = &(*pp)->next;
    if (*pp && (*pp)->peer == peer) {
        (*pp)->attrs = a;
        (*pp)->flags = flags;
        return *pp;
    }
    ArRoute *r = route_alloc(rib);
    r->attrs = a;
    r->peer = peer;
    r->flags = flags;
    r->next = *pp;
    *pp = r;
    rib->routes++;
    return r;
}

gboolean rib_remove_route(ArRib *rib, ArRibNet *n, uint16_t peer)
{
    for (ArRoute **pp = &n->routes; *pp; pp = &(*pp)->next) {
        if ((*pp)->peer == peer) {
            ArRoute *r = *pp;
            *pp = r->next;
            if (n->best == r)
                n->best = NULL;
            route_release(rib, r);
            rib->routes--;
            return TRUE;
        }
    }
    return FALSE;
}

void rib_reserve(ArRib *r, guint n) { keymap_reserve(&r->nets, n); }

void rib_prefetch(const ArRib *r, uint64_t key)
{
    keymap_prefetch(&r->nets, key);
}

guint rib_size(const ArRib *r) { return keymap_size(&r->nets); }

void rib_iter_init(ArRibIter *it, const ArRib *r) { *it = (ArRibIter){ &r->nets, 0 }; }

gboolean rib_iter_next(ArRibIter *it, uint64_t *key, ArRibNet **net)
{
    gpointer v;
    if (!keymap_next(it->m, &it->pos, key, &v))
        return FALSE;
    *net = v;
    return TRUE;
}

static gint key_cmp(gconstpointer a, gconstpointer b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

GArray *rib_sorted_keys(const ArRib *r)
{
    GArray *keys = g_array_sized_new(FALSE, FALSE, sizeof(uint64_t), keymap_size(&r->nets));
    guint pos = 0;
    uint64_t key;
    gpointer v;
    while (keymap_next(&r->nets, &pos, &key, &v))
        g_array_append_val(keys, key);
    g_array_sort(keys, key_cmp);
    return keys;
}

/* ---- ArKeyMap ------------------------------------------------------------------------------- */

/* Robin Hood hashing: an entry never sits farther from its home slot than the entry it passed,
 * so a lookup for an absent key stops at the first entry closer to its home than the search is
 * (a few slots even when the table is 7/8 full), and deletion shifts the following entries back. */

/* Home slot: the top bits of MurmurHash3's 64-bit finaliser. Prefix keys of consecutive /24s
 * differ by 2^16, a stride plain multiplicative (Fibonacci) hashing clusters badly (measured: a
 * mean probe distance of 49 slots for 1,000,000 such keys, against under 1 with this mix). */
static inline guint keymap_home(const ArKeyMap *m, uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ull;
    key ^= key >> 33;
    return (guint)(key >> (64 - m->bits));
}

/* How far slot i is from the home of the key it holds. */
static inline guint keymap_dist(const ArKeyMap *m, guint i, uint64_t key)
{
    return (i - keymap_home(m, key)) & ((1u << m->bits) - 1);
}

void keymap_init(ArKeyMap *m) { *m = (ArKeyMap){ 0 }; }

void keymap_clear(ArKeyMap *m)
{
    g_free(m->slots);
    *m = (ArKeyMap){ 0 };
}

/* Slot holding key, or -1. */
static gint64 keymap_find(const ArKeyMap *m, uint64_t key)
{
    if (!m->len)
        return -1;
    guint mask = (1u << m->bits) - 1;
    for (guint i = keymap_home(m, key), d = 0;; i = (i + 1) & mask, d++) {
        uint64_t k = m->slots[i].key;
        if (k == key)
            return i;
        if (k == KEYMAP_EMPTY || keymap_dist(m, i, k) < d)
            return -1;
    }
}

gpointer keymap_lookup(const ArKeyMap *m, uint64_t key)
{
    gint64 i = keymap_find(m, key);
    return i < 0 ? NULL : m->slots[i].value;
}

/* Places an entry known to be absent. */
static void keymap_place(ArKeyMap *m, ArKeyMapSlot cur)
{
    guint mask = (1u << m->bits) - 1;
    for (guint i = keymap_home(m, cur.key), d = 0;; i = (i + 1) & mask, d++) {
        ArKeyMapSlot *s = &m->slots[i];
        if (s->key == KEYMAP_EMPTY) {
            *s = cur;
            return;
        }
        guint sd = keymap_dist(m, i, s->key);
        if (sd < d) {
            ArKeyMapSlot t = *s;
            *s = cur;
            cur = t;
            d = sd;
        }
    }
}

static void keymap_resize(ArKeyMap *m, guint bits)
{
    ArKeyMapSlot *old = m->slots;
    guint n_old = old ? 1u << m->bits : 0;
    m->bits = bits;
    m->slots = g_new(ArKeyMapSlot, 1u << bits);
    for (guint i = 0; i < 1u << bits; i++)
        m->slots[i] = (ArKeyMapSlot){ KEYMAP_EMPTY, NULL };
    for (guint k = 0; k < n_old; k++)
        if (old[k].key != KEYMAP_EMPTY)
            keymap_place(m, old[k]);
    g_free(old);
}

/* Smallest table (at least 8 slots) that holds n keys at most 7/8 full. */
static guint keymap_bits_for(guint n)
{
    guint bits = 3;
    while (((guint64)1 << bits) * 7 / 8 < n)
        bits++;
    return bits;
}

void keymap_reserve(ArKeyMap *m, guint n)
{
    guint bits = keymap_bits_for(n);
    if (!m->slots || bits > m->bits)
        keymap_resize(m, bits);
}

void keymap_insert(ArKeyMap *m, uint64_t key, gpointer value)
{
    g_assert(key != KEYMAP_EMPTY && value);
    gint64 i = keymap_find(m, key);
    if (i >= 0) {
        m->slots[i].value = value;
        return;
    }
    if (!m->slots || ((guint64)m->len + 1) > ((guint64)1 << m->bits) * 7 / 8)
        keymap_resize(m, m->slots ? m->bits + 1 : 3);
    keymap_place(m, (ArKeyMapSlot){ key, value });
    m->len++;
}

gboolean keymap_remove(ArKeyMap *m, uint64_t key)
{
    gint64 at = keymap_find(m, key);
    if (at < 0)
        return FALSE;
    guint mask = (1u << m->bits) - 1;
    guint i = (guint)at;
    /* Backward shift: the following entries that are away from home move one slot back. */
    for (guint j = (i + 1) & mask; m->slots[j].key != KEYMAP_EMPTY && keymap_dist(m, j, m->slots[j].key) > 0;
         j = (j + 1) & mask) {
        m->slots[i] = m->slots[j];
        i = j;
    }
    m->slots[i] = (ArKeyMapSlot){ KEYMAP_EMPTY, NULL };
    m->len--;
    return TRUE;
}

void keymap_prefetch(const ArKeyMap *m, uint64_t key)
{
    if (m->slots)
        __builtin_prefetch(&m->slots[keymap_home(m, key)]);
}

gboolean keymap_next(const ArKeyMap *m, guint *pos, uint64_t *key, gpointer *value)
{
    guint n = m->slots ? 1u << m->bits : 0;
    for (; *pos < n; (*pos)++) {
        const ArKeyMapSlot *s = &m->slots[*pos];
        if (s->key != KEYMAP_EMPTY) {
            *key = s->key;
            *value = s->value;
            (*pos)++;
            return TRUE;
        }
    }
    return FALSE;
}
