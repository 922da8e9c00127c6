/* evq.c - radix heap (8-bit digits) of events keyed by (time, seq), FIFO among equal times; see evq.h. */
#include "arsim/evq.h"

#include <string.h>

/* Prefetching keeps the events about to fire on their way from memory, so that a pop does not wait
 * for them: the level-0 buckets up to this many time units past the one being emptied are fetched
 * (each once), as are the events this close to a new minimum when a higher bucket is spread. */
#define EVQ_PREFETCH_SPAN 32u
/* Entries of bucket 0 this far past its head are prefetched at each pop. */
#define EVQ_PREFETCH_AHEAD 16u
/* A bucket emptied by a refill keeps its array only up to this many entries, so that buckets the
 * time window has left behind do not hold memory. */
#define EVQ_KEEP_CAP 1024u

static inline ArEvqBucket *bucket_at(const ArEvq *q, unsigned level, unsigned digit)
{
    return &q->b[level * EVQ_DIGITS + digit];
}

static inline void bucket_append(ArEvqBucket *b, const ArEvqEntry *e)
{
    if (G_UNLIKELY(b->len == b->cap)) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->e = g_renew(ArEvqEntry, b->e, b->cap);
    }
    b->e[b->len++] = *e;
}

/* Files an entry (time >= last) under bucket 0 or (level, digit) of its highest differing byte. */
static inline void place(ArEvq *q, const ArEvqEntry *e)
{
    g_assert(e->time >= q->last); /* the radix heap's invariant: nothing is filed before `last` */
    ArTime x = e->time ^ q->last;
    if (x == 0) {
        bucket_append(&q->now, e);
        return;
    }
    unsigned level = (63u - (unsigned)__builtin_clzll(x)) >> 3;
    unsigned digit = (unsigned)(e->time >> (level * 8)) & 0xffu;
    bucket_append(bucket_at(q, level, digit), e);
    q->digits[level][digit >> 6] |= 1ull << (digit & 63);
    q->levels |= 1u << level;
}

/* Lowest non-empty bucket at or after (level, digit) in (level, digit) order; FALSE when none. */
static bool next_bucket(const ArEvq *q, unsigned *level, unsigned *digit)
{
    for (unsigned l = *level; l < EVQ_LEVELS; l++) {
        if (!(q->levels & (1u << l)))
            continue;
        for (unsigned w = l == *level ? *digit >> 6 : 0; w < EVQ_DIGITS / 64; w++) {
            uint64_t bits = q->digits[l][w];
            if (l == *level && w == *digit >> 6)
                bits &= ~0ull << (*digit & 63);
            if (bits) {
                *level = l;
                *digit = w * 64 + (unsigned)__builtin_ctzll(bits);
                return true;
            }
        }
        *digit = 0;
    }
    return false;
}

static void clear_bit(ArEvq *q, unsigned level, unsigned digit)
{
    q->digits[level][digit >> 6] &= ~(1ull << (digit & 63));
    for (unsigned w = 0; w < EVQ_DIGITS / 64; w++)
        if (q->digits[level][w])
            return;
    q->levels &= ~(1u << level);
}

/* True when the entry is a cancelled scheduling. Reads no event memory. */
static inline bool is_stale(const ArEvq *q, const ArEvqEntry *e)
{
    return q->stale && g_hash_table_contains(q->cancelled, GSIZE_TO_POINTER(e->seq));
}

/* Forgets a stale entry that is being dropped from its bucket. */
static inline void drop_stale(ArEvq *q, const ArEvqEntry *e)
{
    g_hash_table_remove(q->cancelled, GSIZE_TO_POINTER(e->seq));
    q->stale--;
}

/* Skips stale entries at the head of bucket 0, so that its head is always a live event. */
static void purge_head(ArEvq *q)
{
    ArEvqBucket *b0 = &q->now;
    while (q->stale && q->head < b0->len && is_stale(q, &b0->e[q->head]))
        drop_stale(q, &b0->e[q->head++]);
    if (q->head == b0->len)
        q->head = b0->len = 0;
}

/* After a refill from (level, digit d = the new minimum's low byte): fetches the events of the
 * level-0 buckets up to d + EVQ_PREFETCH_SPAN not fetched yet. A spread from a higher level starts
 * a new level-0 window, whose first EVQ_PREFETCH_SPAN units were fetched while spreading. */
static void prefetch_level0(ArEvq *q, unsigned level, unsigned d)
{
    unsigned upto = MIN(d + EVQ_PREFETCH_SPAN, EVQ_DIGITS - 1);
    if (level > 0) {
        q->pf_upto = upto;
        return;
    }
    for (unsigned g = MAX(q->pf_upto + 1, d + 1); g <= upto; g++) {
        if (!(q->digits[0][g >> 6] & (1ull << (g & 63))))
            continue;
        const ArEvqBucket *b = bucket_at(q, 0, g);
        for (uint32_t k = 0; k < b->len; k++)
            __builtin_prefetch(b->e[k].ev, 1, 3);
    }
    q->pf_upto = MAX(q->pf_upto, upto);
}

/* Bucket 0 after a refill holds one time in sequence order, so equal times fire first-in first-out
 * without sorting. Why: entries of one time always share a bucket (a push files a time by its
 * highest byte differing from `last`; `last` only reaches a bucket's times by spreading that
 * bucket, the lowest non-empty one), pushes append in sequence order, and a spread or a rebase
 * moves a bucket's entries in their order. Asserted here, O(n) per refill; tests/test_engine.c
 * (/evq/fifo-same-time) drives every path that moves entries (spread from each level, stale
 * entries, a push before `last`) and checks the order. */
static void check_now_order(const ArEvq *q)
{
    const ArEvqBucket *b0 = &q->now;
    for (uint32_t k = 1; k < b0->len; k++) {
        g_assert(b0->e[k - 1].time == b0->e[k].time);
        g_assert(b0->e[k - 1].seq < b0->e[k].seq);
    }
}

/* Bucket 0 is empty: spreads the lowest non-empty bucket relative to its minimum time, which
 * becomes `last`. Its entries agree with that minimum on every byte from their level up, so each
 * lands in bucket 0 or a lower level; the other buckets stay valid. */
static void refill(ArEvq *q)
{
    unsigned level = 0, digit = 0;
    while (next_bucket(q, &level, &digit)) {
        ArEvqBucket *b = bucket_at(q, level, digit);
        clear_bit(q, level, digit);
        if (level == 0 && q->stale == 0) {
            /* One time only (every byte but the lowest equals last's): the bucket becomes bucket 0
             * as it is, by swapping arrays. */
            ArEvqBucket t = q->now;
            q->now = *b;
            *b = t;
            q->last = q->now.e[0].time;
            prefetch_level0(q, 0, digit);
            check_now_order(q);
            return;
        }
        /* Drop stale entries, find the minimum time. */
        uint32_t n = 0;
        ArTime min = AR_TIME_NEVER;
        for (uint32_t k = 0; k < b->len; k++) {
            if (G_UNLIKELY(is_stale(q, &b->e[k]))) {
                drop_stale(q, &b->e[k]);
                continue;
            }
            if (b->e[k].time < min)
                min = b->e[k].time;
            b->e[n++] = b->e[k];
        }
        b->len = 0;
        if (n == 0)
            continue;
        q->last = min;
        for (uint32_t k = 0; k < n; k++) {
            if (level > 0 && b->e[k].time - min < EVQ_PREFETCH_SPAN)
                __builtin_prefetch(b->e[k].ev, 1, 3);
            place(q, &b->e[k]);
        }
        prefetch_level0(q, level, (unsigned)(min & 0xffu));
        if (b->cap > EVQ_KEEP_CAP) {
            g_free(b->e);
            b->e = NULL;
            b->cap = 0;
        }
        check_now_order(q);
        return;
    }
}

/* A push before `last`: files everything again relative to the new time. O(n), never needed
 * when times only grow (a simulation never schedules into the past). */
static void rebase(ArEvq *q, ArTime t)
{
    GArray *all = g_array_sized_new(FALSE, FALSE, sizeof(ArEvqEntry), q->len + q->stale);
    g_array_append_vals(all, q->now.e + q->head, q->now.len - q->head);
    q->now.len = q->head = 0;
    for (unsigned i = 0; i < EVQ_LEVELS * EVQ_DIGITS; i++) {
        g_array_append_vals(all, q->b[i].e, q->b[i].len);
        q->b[i].len = 0;
    }
    memset(q->digits, 0, sizeof q->digits);
    q->levels = 0;
    q->last = t;
    for (guint k = 0; k < all->len; k++)
        place(q, &g_array_index(all, ArEvqEntry, k));
    g_array_free(all, TRUE);
}

void evq_init(ArEvq *q) { memset(q, 0, sizeof *q); }

static void bucket_release(ArEvq *q, ArEvqBucket *b, uint32_t from)
{
    for (uint32_t k = from; k < b->len; k++)
        if (!is_stale(q, &b->e[k]))
            b->e[k].ev->slot = EVQ_IDLE;
    g_free(b->e);
}

void evq_clear(ArEvq *q)
{
    bucket_release(q, &q->now, q->head);
    if (q->b)
        for (unsigned i = 0; i < EVQ_LEVELS * EVQ_DIGITS; i++)
            bucket_release(q, &q->b[i], 0);
    g_free(q->b);
    if (q->cancelled)
        g_hash_table_destroy(q->cancelled);
    memset(q, 0, sizeof *q);
}

void evq_push(ArEvq *q, ArEvent *ev, ArTime t)
{
    g_assert(ev->slot == EVQ_IDLE);
    if (G_UNLIKELY(!q->b))
        q->b = g_new0(ArEvqBucket, EVQ_LEVELS * EVQ_DIGITS);
    ev->time = t;
    ev->seq = q->next_seq++;
    ev->slot = EVQ_QUEUED;
    if (G_UNLIKELY(t < q->last))
        rebase(q, t);
    ArEvqEntry e = { t, ev->seq, ev };
    place(q, &e);
    if (++q->len > q->peak)
        q->peak = q->len;
}

void evq_cancel(ArEvq *q, ArEvent *ev)
{
    g_assert(ev->slot != EVQ_IDLE && q->len > 0);
    ev->slot = EVQ_IDLE;
    q->len--;
    if (!q->cancelled)
        q->cancelled = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_add(q->cancelled, GSIZE_TO_POINTER(ev->seq));
    q->stale++;
    purge_head(q);
}

ArEvent *evq_pop(ArEvq *q)
{
    if (q->len == 0)
        return NULL;
    ArEvqBucket *b0 = &q->now;
    if (q->head == b0->len) {
        refill(q);
        purge_head(q);
    }
    g_assert(q->head < b0->len);
    if (q->head + EVQ_PREFETCH_AHEAD < b0->len)
        __builtin_prefetch(b0->e[q->head + EVQ_PREFETCH_AHEAD].ev, 1, 3);
    ArEvent *ev = b0->e[q->head++].ev;
    purge_head(q);
    ev->slot = EVQ_IDLE;
    q->len--;
    return ev;
}

ArEvent *evq_peek(const ArEvq *q)
{
    if (q->len == 0)
        return NULL;
    if (q->head < q->now.len)
        return q->now.e[q->head].ev; /* a live event: purge_head keeps it so */
    /* The minimum lies in the lowest bucket that holds a live entry. */
    unsigned level = 0, digit = 0;
    while (next_bucket(q, &level, &digit)) {
        const ArEvqBucket *b = bucket_at(q, level, digit);
        const ArEvqEntry *best = NULL;
        for (uint32_t k = 0; k < b->len; k++) {
            const ArEvqEntry *e = &b->e[k];
            if (is_stale(q, e))
                continue;
            if (!best || e->time < best->time || (e->time == best->time && e->seq < best->seq))
                best = e;
        }
        if (best)
            return best->ev;
        if (++digit == EVQ_DIGITS) {
            digit = 0;
            level++;
        }
    }
    return NULL;
}
