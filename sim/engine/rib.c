/* rib.c - per-speaker routing table: prefix -> list of paths and the best one. */
#include "arsim/rib.h"

#include <stdlib.h>

guint rib_key_hash(gconstpointer p)
{
    uint64_t k = rib_ptr_key(p);
    k ^= k >> 29;
    k *= 0xbf58476d1ce4e5b9ull;
    k ^= k >> 32;
    return (guint)k;
}

static void net_free(gpointer p)
{
    ArRibNet *n = p;
    for (ArRoute *r = n->routes, *next; r; r = next) {
        next = r->next;
        g_free(r);
    }
    g_free(n);
}

void rib_init(ArRib *r)
{
    r->nets = g_hash_table_new_full(rib_key_hash, g_direct_equal, NULL, net_free);
    r->routes = 0;
}

void rib_clear(ArRib *r)
{
    if (r->nets)
        g_hash_table_destroy(r->nets);
    r->nets = NULL;
    r->routes = 0;
}

ArRibNet *rib_find(const ArRib *r, uint64_t key) { return g_hash_table_lookup(r->nets, rib_key_ptr(key)); }

ArRibNet *rib_get(ArRib *r, uint64_t key)
{
    ArRibNet *n = g_hash_table_lookup(r->nets, rib_key_ptr(key));
    if (!n) {
        n = g_new0(ArRibNet, 1);
        g_hash_table_insert(r->nets, rib_key_ptr(key), n);
    }
    return n;
}

void rib_prune(ArRib *r, uint64_t key, ArRibNet *n)
{
    if (n->routes == NULL) {
        g_assert(n->best == NULL);
        g_hash_table_remove(r->nets, rib_key_ptr(key));
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
    ArRoute *r = g_new(ArRoute, 1);
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
            g_free(r);
            rib->routes--;
            return TRUE;
        }
    }
    return FALSE;
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
