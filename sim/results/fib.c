/* fib.c - path-compressed binary trie for IPv4 longest-prefix match (as BIRD's fib / libgds trie). */
#include "arsim/fib.h"

/* One trie node: a prefix, with or without a value. Children hold longer prefixes inside it,
 * split on the first bit after the node's length. */
typedef struct FibNode {
    ArPrefix prefix;            /* network and length of this node */
    bool has_value;             /* false for glue nodes created where two prefixes diverge */
    gpointer value;             /* stored value when has_value */
    struct FibNode *child[2];   /* subtrees whose next bit (at prefix.len) is 0 or 1 */
} FibNode;

#define FIB_BLOCK_MIN 16    /* nodes in the first allocation block; each next block doubles */
#define FIB_BLOCK_MAX 4096  /* ...up to this many */

struct ArFib {
    FibNode *root;              /* NULL when empty */
    guint size;                 /* prefixes holding a value */
    GDestroyNotify value_free;  /* called on stored values when dropped, may be NULL */
    GPtrArray *blocks;          /* FibNode arrays: nodes are never freed one by one */
    guint block_cap;            /* capacity of the last block */
    guint block_used;           /* nodes handed out from the last block */
};

/* Bit i of addr, counted from the most significant (bit 0). */
static inline unsigned fib_bit(uint32_t addr, uint8_t i) { return (addr >> (31 - i)) & 1u; }

/* Number of leading bits a and b share (32 when equal). */
static inline uint8_t fib_common_len(uint32_t a, uint32_t b)
{
    uint32_t x = a ^ b;
    return x ? (uint8_t)__builtin_clz(x) : 32;
}

/* One node from the current block: a table of N prefixes costs O(log N + N / FIB_BLOCK_MAX)
 * allocations, and a small table stays small. */
static FibNode *fib_node_new(ArFib *f, ArPrefix p, bool has_value, gpointer value)
{
    if (f->blocks->len == 0 || f->block_used == f->block_cap) {
        f->block_cap = f->blocks->len == 0 ? FIB_BLOCK_MIN : MIN(f->block_cap * 2, FIB_BLOCK_MAX);
        g_ptr_array_add(f->blocks, g_new(FibNode, f->block_cap));
        f->block_used = 0;
    }
    FibNode *n = (FibNode *)g_ptr_array_index(f->blocks, f->blocks->len - 1) + f->block_used++;
    n->child[0] = n->child[1] = NULL;
    n->prefix = p;
    n->has_value = has_value;
    n->value = value;
    return n;
}

ArFib *fib_new(GDestroyNotify value_free)
{
    ArFib *f = g_new0(ArFib, 1);
    f->value_free = value_free;
    f->blocks = g_ptr_array_new_with_free_func(g_free);
    return f;
}

void fib_free(ArFib *f)
{
    if (!f)
        return;
    /* Every node handed out is in the trie (nodes are only ever added), so the blocks hold them all. */
    guint cap = FIB_BLOCK_MIN;
    for (guint b = 0; f->value_free && b < f->blocks->len; b++, cap = MIN(cap * 2, FIB_BLOCK_MAX)) {
        FibNode *blk = g_ptr_array_index(f->blocks, b);
        guint used = b + 1 == f->blocks->len ? f->block_used : cap;
        for (guint i = 0; i < used; i++)
            if (blk[i].has_value)
                f->value_free(blk[i].value);
    }
    g_ptr_array_free(f->blocks, TRUE);
    g_free(f);
}

/* Inserts p -> value; an existing entry for p is replaced when replace is set, else kept.
 * Returns TRUE when value was stored. */
static gboolean fib_put(ArFib *f, ArPrefix p, gpointer value, gboolean replace)
{
    p.addr &= pfx_mask(p.len);
    FibNode **slot = &f->root;
    for (;;) {
        FibNode *n = *slot;
        if (!n) {
            *slot = fib_node_new(f, p, true, value);
            f->size++;
            return TRUE;
        }
        uint8_t common = fib_common_len(n->prefix.addr, p.addr);
        common = MIN(common, MIN(n->prefix.len, p.len));
        if (common == n->prefix.len) {
            if (p.len == n->prefix.len) {
                /* Exactly this prefix: set or replace. */
                if (n->has_value && !replace)
                    return FALSE;
                if (n->has_value && f->value_free && n->value != value)
                    f->value_free(n->value);
                if (!n->has_value)
                    f->size++;
                n->has_value = true;
                n->value = value;
                return TRUE;
            }
            slot = &n->child[fib_bit(p.addr, n->prefix.len)]; /* p lies inside n: go down */
            continue;
        }
        if (common == p.len) {
            /* p contains n: p takes n's place, n hangs below it. */
            FibNode *q = fib_node_new(f, p, true, value);
            q->child[fib_bit(n->prefix.addr, p.len)] = n;
            *slot = q;
            f->size++;
            return TRUE;
        }
        /* Neither contains the other: a glue node at the point where they diverge. */
        ArPrefix g = { p.addr & pfx_mask(common), common };
        FibNode *glue = fib_node_new(f, g, false, NULL);
        FibNode *leaf = fib_node_new(f, p, true, value);
        glue->child[fib_bit(p.addr, common)] = leaf;
        glue->child[fib_bit(n->prefix.addr, common)] = n;
        *slot = glue;
        f->size++;
        return TRUE;
    }
}

void fib_insert(ArFib *f, ArPrefix p, gpointer value) { fib_put(f, p, value, TRUE); }

gboolean fib_insert_new(ArFib *f, ArPrefix p, gpointer value) { return fib_put(f, p, value, FALSE); }

gpointer fib_lookup(const ArFib *f, uint32_t ip, ArPrefix *matched)
{
    const FibNode *best = NULL;
    for (const FibNode *n = f->root; n && pfx_contains_ip(n->prefix, ip);) {
        if (n->has_value)
            best = n;
        if (n->prefix.len == 32)
            break;
        n = n->child[fib_bit(ip, n->prefix.len)];
    }
    if (!best)
        return NULL;
    if (matched)
        *matched = best->prefix;
    return best->value;
}

gpointer fib_exact(const ArFib *f, ArPrefix p)
{
    p.addr &= pfx_mask(p.len);
    for (const FibNode *n = f->root; n && n->prefix.len <= p.len && pfx_within(p, n->prefix);) {
        if (n->prefix.len == p.len)
            return n->has_value ? n->value : NULL;
        n = n->child[fib_bit(p.addr, n->prefix.len)];
    }
    return NULL;
}

guint fib_size(const ArFib *f) { return f->size; }
