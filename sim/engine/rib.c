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
    r->nets = g_hash_table_new(rib_key_hash, g_direct_equal);
    r->blocks = g_ptr_array_new_with_free_func(g_free);
    r->block_items = 64;
}

void rib_clear(ArRib *r)
{
    if (r->nets)
        g_hash_table_destroy(r->nets);
    if (r->blocks)
        g_ptr_array_free(r->blocks, TRUE);
    *r = (ArRib){ 0 };
}

ArRibNet *rib_find(const ArRib *r, uint64_t key) { return g_hash_table_lookup(r->nets, rib_key_ptr(key)); }

ArRibNet *rib_get(ArRib *r, uint64_t key)
{
    ArRibNet *n = g_hash_table_lookup(r->nets, rib_key_ptr(key));
    if (!n) {
        n = net_alloc(r);
        g_hash_table_insert(r->nets, rib_key_ptr(key), n);
    }
    return n;
}

void rib_prune(ArRib *r, uint64_t key, ArRibNet *n)
{
    if (n->routes == NULL) {
        g_assert(n->best == NULL);
        g_hash_table_remove(r->nets, rib_key_ptr(key));
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

guint rib_size(const ArRib *r) { return g_hash_table_size(r->nets); }

void rib_iter_init(ArRibIter *it, const ArRib *r) { g_hash_table_iter_init(&it->it, r->nets); }

gboolean rib_iter_next(ArRibIter *it, uint64_t *key, ArRibNet **net)
{
    gpointer k, v;
    if (!g_hash_table_iter_next(&it->it, &k, &v))
        return FALSE;
    *key = rib_ptr_key(k);
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
    GArray *keys = g_array_sized_new(FALSE, FALSE, sizeof(uint64_t), g_hash_table_size(r->nets));
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, r->nets);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        uint64_t key = rib_ptr_key(k);
        g_array_append_val(keys, key);
    }
    g_array_sort(keys, key_cmp);
    return keys;
}

/* ---- ArKeyMap ------------------------------------------------------------------------------- */

/* Fibonacci hashing: the top bits of key * 2^64 / phi, so that nearby prefixes spread out. */
static inline guint keymap_home(const ArKeyMap *m, uint64_t key)
{
    return (guint)((key * 0x9E3779B97F4A7C15ull) >> (64 - m->bits));
}

void keymap_init(ArKeyMap *m) { *m = (ArKeyMap){ 0 }; }

void keymap_clear(ArKeyMap *m)
{
    g_free(m->slots);
    *m = (ArKeyMap){ 0 };
}

gpointer keymap_lookup(const ArKeyMap *m, uint64_t key)
{
    if (!m->len)
        return NULL;
    guint mask = (1u << m->bits) - 1;
    for (guint i = keymap_home(m, key);; i = (i + 1) & mask) {
        const ArKeyMapSlot *s = &m->slots[i];
        if (s->key == key)
            return s->value;
        if (s->key == KEYMAP_EMPTY)
            return NULL;
    }
}

static void keymap_resize(ArKeyMap *m, guint bits)
{
    ArKeyMapSlot *old = m->slots;
    guint n_old = old ? 1u << m->bits : 0;
    m->bits = bits;
    m->slots = g_new(ArKeyMapSlot, 1u << bits);
    for (guint i = 0; i < 1u << bits; i++)
        m->slots[i].key = KEYMAP_EMPTY;
    guint mask = (1u << bits) - 1;
    for (guint k = 0; k < n_old; k++) {
        if (old[k].key == KEYMAP_EMPTY)
            continue;
        guint i = keymap_home(m, old[k].key);
        while (m->slots[i].key != KEYMAP_EMPTY)
            i = (i + 1) & mask;
        m->slots[i] = old[k];
    }
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
    if (!m->slots || ((guint64)m->len + 1) > ((guint64)1 << m->bits) * 7 / 8)
        keymap_resize(m, m->slots ? m->bits + 1 : 3);
    guint mask = (1u << m->bits) - 1;
    guint i = keymap_home(m, key);
    for (; m->slots[i].key != KEYMAP_EMPTY; i = (i + 1) & mask) {
        if (m->slots[i].key == key) {
            m->slots[i].value = value;
            return;
        }
    }
    m->slots[i] = (ArKeyMapSlot){ key, value };
    m->len++;
}

gboolean keymap_remove(ArKeyMap *m, uint64_t key)
{
    if (!m->len)
        return FALSE;
    guint mask = (1u << m->bits) - 1;
    guint i = keymap_home(m, key);
    while (m->slots[i].key != key) {
        if (m->slots[i].key == KEYMAP_EMPTY)
            return FALSE;
        i = (i + 1) & mask;
    }
    /* Backward shift: move later entries of the cluster into the hole when their home allows. */
    for (guint j = (i + 1) & mask;; j = (j + 1) & mask) {
        if (m->slots[j].key == KEYMAP_EMPTY)
            break;
        guint home = keymap_home(m, m->slots[j].key);
        /* j's entry may move to i when i lies cyclically in [home, j). */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].key = KEYMAP_EMPTY;
    m->slots[i].value = NULL;
    m->len--;
    return TRUE;
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
