/* attr.c - interning of AS paths, community lists and attribute sets. */
#include "arsim/attr.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

/* Slots of the memo caches below (a power of two). */
#define ATTR_MEMO 256u

struct ArAttrCache {
    GHashTable *paths;  /* ArAsPath* set, content hash */
    GHashTable *comms;  /* ArComms* set, content hash */
    GHashTable *attrs;  /* ArAttrs* set (slots of attr_slab), content hash */
    /* Exports ask for the same few results once per prefix and peer: small direct-mapped memos
     * answer the repeats without hashing a path or probing a table. Interned objects never
     * change, so a pointer identifies its content. */
    const ArAttrs *recent[ATTR_MEMO];          /* interned sets, by their hash */
    const ArAsPath *prep_in[ATTR_MEMO];        /* attr_path_prepend: path given ... */
    uint32_t prep_asn[ATTR_MEMO];              /* ... ASN given ... */
    const ArAsPath *prep_out[ATTR_MEMO];       /* ... and the result */
};

/* FNV-1a over 32-bit words: cheap, deterministic across runs (no per-process seed). */
static uint32_t hash_words(const uint32_t *w, uint32_t n, uint32_t h)
{
    for (uint32_t i = 0; i < n; i++) {
        h ^= w[i];
        h *= 16777619u;
    }
    return h ^ n;
}

static guint path_hash(gconstpointer p) { return ((const ArAsPath *)p)->hash; }
static gboolean path_equal(gconstpointer a, gconstpointer b)
{
    const ArAsPath *x = a, *y = b;
    return x->len == y->len && memcmp(x->asns, y->asns, x->len * sizeof(uint32_t)) == 0;
}
static guint comms_hash(gconstpointer p) { return ((const ArComms *)p)->hash; }
static gboolean comms_equal(gconstpointer a, gconstpointer b)
{
    const ArComms *x = a, *y = b;
    return x->len == y->len && memcmp(x->vals, y->vals, x->len * sizeof(uint32_t)) == 0;
}

static uint32_t attrs_hash_of(const ArAttrs *a)
{
    /* path and comms are interned: their addresses identify them, but addresses differ from
     * run to run, so hash their contents' cached hashes to keep table order deterministic. */
    uint32_t w[7] = { a->path->hash, a->comms->hash, a->next_hop, a->local_pref, a->med, a->weight, a->origin };
    return hash_words(w, 7, 2166136261u);
}
static guint attrs_hash(gconstpointer p) { return ((const ArAttrs *)p)->hash; }
static gboolean attrs_equal(gconstpointer a, gconstpointer b)
{
    const ArAttrs *x = a, *y = b;
    return x->path == y->path && x->comms == y->comms && x->next_hop == y->next_hop &&
           x->local_pref == y->local_pref && x->med == y->med && x->weight == y->weight &&
           x->origin == y->origin;
}

/* ---- the slab of interned sets --------------------------------------------------------------- */

ArAttrs *attr_slab;
static uint32_t slab_slots;    /* slots reserved (ATTR_SLAB_SLOTS, or fewer: slab_map) */
static GMutex slab_lock;       /* guards slab_next and slab_free: caches live on several threads */
static uint32_t slab_next = 1; /* slots below it have been used (slot 0 never: number 0 is none) */
static GArray *slab_free;      /* uint32_t slots given back by freed caches, reused first */

/* Reserves the slab's address range once: untouched slots cost no memory (MAP_NORESERVE). */
static gpointer slab_map(gpointer unused)
{
    (void)unused;
    void *p = MAP_FAILED;
    uint32_t most = ATTR_SLAB_SLOTS;
    struct rlimit as;
    /* Under an address-space limit, an eighth of it at most: the rest is the run's. */
    while (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY && most > (1u << 20) &&
           (rlim_t)most * sizeof(ArAttrs) > as.rlim_cur / 8)
        most /= 2;
    for (slab_slots = most; p == MAP_FAILED && slab_slots >= (1u << 20); slab_slots /= 2)
        p = mmap(NULL, (size_t)slab_slots * sizeof(ArAttrs), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    slab_slots *= 2; /* the loop halved it once more after the mapping that worked */
    if (p == MAP_FAILED)
        g_error("arsim: cannot reserve %zu MiB of address space for attribute sets",
                ((size_t)1 << 20) * sizeof(ArAttrs) >> 20);
    attr_slab = p;
    slab_free = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    return p;
}

/* A free slot, numbered. O(1). */
static ArAttrs *slab_take(void)
{
    g_mutex_lock(&slab_lock);
    uint32_t slot;
    if (slab_free->len) {
        slot = g_array_index(slab_free, uint32_t, slab_free->len - 1);
        g_array_set_size(slab_free, slab_free->len - 1);
    } else {
        if (slab_next == slab_slots)
            g_error("arsim: more than %u distinct attribute sets at once (the most this system let arsim "
                    "reserve room for)", slab_slots - 1);
        slot = slab_next++;
    }
    g_mutex_unlock(&slab_lock);
    return attr_slab + slot;
}

/* Gives a set's slot back (the cache's table frees its sets with it). O(1). */
static void slab_release(gpointer p)
{
    uint32_t slot = (uint32_t)((ArAttrs *)p - attr_slab);
    g_mutex_lock(&slab_lock);
    g_array_append_val(slab_free, slot);
    g_mutex_unlock(&slab_lock);
}

ArAttrCache *attr_cache_new(void)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, slab_map, NULL);
    ArAttrCache *c = g_new0(ArAttrCache, 1);
    c->paths = g_hash_table_new_full(path_hash, path_equal, g_free, NULL);
    c->comms = g_hash_table_new_full(comms_hash, comms_equal, g_free, NULL);
    c->attrs = g_hash_table_new_full(attrs_hash, attrs_equal, slab_release, NULL);
    return c;
}

void attr_cache_free(ArAttrCache *c)
{
    if (!c)
        return;
    g_hash_table_destroy(c->attrs);
    g_hash_table_destroy(c->comms);
    g_hash_table_destroy(c->paths);
    g_free(c);
}

guint attr_cache_size(const ArAttrCache *c) { return g_hash_table_size(c->attrs); }
guint attr_cache_paths(const ArAttrCache *c) { return g_hash_table_size(c->paths); }


const ArAsPath *attr_path(ArAttrCache *c, const uint32_t *asns, uint32_t len)
{
    /* Look up with a stack key for short paths; allocate only when the path is new. */
    uint32_t stackbuf[2 + 32];
    gsize size = sizeof(ArAsPath) + len * sizeof(uint32_t);
    ArAsPath *heap = len <= 32 ? NULL : g_malloc(size);
    ArAsPath *key = heap ? heap : (ArAsPath *)(void *)stackbuf;
    key->len = len;
    if (len)
        memcpy(key->asns, asns, len * sizeof(uint32_t));
    key->hash = hash_words(asns, len, 2166136261u);
    ArAsPath *found = g_hash_table_lookup(c->paths, key);
    if (found) {
        g_free(heap);
        return found;
    }
    ArAsPath *stored = heap ? heap : g_memdup2(key, size);
    g_hash_table_add(c->paths, stored);
    return stored;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

const ArComms *attr_comms(ArAttrCache *c, const uint32_t *vals, uint32_t len)
{
    ArComms *key = g_malloc(sizeof(ArComms) + len * sizeof(uint32_t));
    uint32_t n = 0;
    if (len) {
        memcpy(key->vals, vals, len * sizeof(uint32_t));
        qsort(key->vals, len, sizeof(uint32_t), u32_cmp);
        for (uint32_t i = 0; i < len; i++)
            if (n == 0 || key->vals[n - 1] != key->vals[i])
                key->vals[n++] = key->vals[i];
    }
    key->len = n;
    key->hash = hash_words(key->vals, n, 2166136261u);
    ArComms *found = g_hash_table_lookup(c->comms, key);
    if (found) {
        g_free(key);
        return found;
    }
    g_hash_table_add(c->comms, key);
    return key;
}

const ArAttrs *attr_intern(ArAttrCache *c, const ArAttrs *cand)
{
    g_assert(cand->path && cand->comms);
    ArAttrs key = *cand;
    key.hash = attrs_hash_of(&key);
    const ArAttrs **memo = &c->recent[key.hash & (ATTR_MEMO - 1)];
    if (*memo && (*memo)->hash == key.hash && attrs_equal(*memo, &key))
        return *memo;
    ArAttrs *found = g_hash_table_lookup(c->attrs, &key);
    if (!found) {
        found = slab_take();
        key.id = (uint32_t)(found - attr_slab); /* below ATTR_SLAB_SLOTS: never OUT_NONE (updgroup.c) */
        *found = key;
        g_hash_table_add(c->attrs, found);
    }
    *memo = found;
    return found;
}

const ArAsPath *attr_path_prepend(ArAttrCache *c, const ArAsPath *p, uint32_t asn)
{
    guint slot = (guint)((((guintptr)p >> 4) ^ asn) * 2654435761u) >> 24 & (ATTR_MEMO - 1);
    if (c->prep_in[slot] == p && c->prep_asn[slot] == asn)
        return c->prep_out[slot];
    uint32_t stackbuf[64];
    uint32_t *buf = p->len + 1 <= 64 ? stackbuf : g_new(uint32_t, p->len + 1);
    buf[0] = asn;
    memcpy(buf + 1, p->asns, p->len * sizeof(uint32_t));
    const ArAsPath *r = attr_path(c, buf, p->len + 1);
    if (buf != stackbuf)
        g_free(buf);
    c->prep_in[slot] = p;
    c->prep_asn[slot] = asn;
    c->prep_out[slot] = r;
    return r;
}

const ArAsPath *attr_path_remove_private(ArAttrCache *c, const ArAsPath *p)
{
    uint32_t stackbuf[64];
    uint32_t *buf = p->len <= 64 ? stackbuf : g_new(uint32_t, p->len);
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->len; i++)
        if (!asn_is_private(p->asns[i]))
            buf[n++] = p->asns[i];
    const ArAsPath *r = n == p->len ? p : attr_path(c, buf, n);
    if (buf != stackbuf)
        g_free(buf);
    return r;
}

const ArComms *attr_comms_add(ArAttrCache *c, const ArComms *cs, uint32_t val)
{
    if (attr_comms_has(cs, val))
        return cs;
    uint32_t *buf = g_new(uint32_t, cs->len + 1);
    memcpy(buf, cs->vals, cs->len * sizeof(uint32_t));
    buf[cs->len] = val;
    const ArComms *r = attr_comms(c, buf, cs->len + 1);
    g_free(buf);
    return r;
}

bool attr_path_contains(const ArAsPath *p, uint32_t asn)
{
    for (uint32_t i = 0; i < p->len; i++)
        if (p->asns[i] == asn)
            return true;
    return false;
}

bool attr_comms_has(const ArComms *cs, uint32_t val)
{
    /* Sorted: binary search, O(log n). */
    uint32_t lo = 0, hi = cs->len;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (cs->vals[mid] == val)
            return true;
        if (cs->vals[mid] < val)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

char *attr_path_to_string(const ArAsPath *p)
{
    GString *s = g_string_sized_new(p->len * 6 + 1);
    for (uint32_t i = 0; i < p->len; i++)
        g_string_append_printf(s, i ? "-%u" : "%u", p->asns[i]);
    return g_string_free(s, FALSE);
}

char *attr_comm_to_string(uint32_t val) { return g_strdup_printf("%u:%u", val >> 16, val & 0xffff); }

const char *attr_origin_name(uint8_t origin)
{
    switch (origin) {
    case ORIGIN_IGP: return "igp";
    case ORIGIN_EGP: return "egp";
    default: return "incomplete";
    }
}
