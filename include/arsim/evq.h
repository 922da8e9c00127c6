/* evq.h - the future-event set: a radix heap ordered by (time, sequence), no allocation per event. */
#ifndef ARSIM_EVQ_H
#define ARSIM_EVQ_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Simulated time in microseconds. Integer, so runs are exactly repeatable. */
typedef uint64_t ArTime;
#define AR_USEC 1ull
#define AR_MSEC 1000ull
#define AR_SEC 1000000ull
#define AR_TIME_NEVER UINT64_MAX

struct ArEvent;
typedef void (*ArEventFn)(struct ArEvent *ev, void *ctx);

/* The event node lives inside the object that owns the event (a message, a timer), as in libuv:
 * scheduling writes into it and allocates nothing but, rarely, a larger bucket array. */
typedef struct ArEvent {
    ArTime time;      /* when it fires */
    uint64_t seq;     /* tie-break: scheduling order, so equal times fire first-in first-out */
    uint32_t slot;    /* EVQ_QUEUED while scheduled, EVQ_IDLE when not */
    ArEventFn fn;     /* what to do */
} ArEvent;

#define EVQ_IDLE UINT32_MAX
#define EVQ_QUEUED 0u

/* One queued event with its key copied beside it, so ordering never touches the event itself. */
typedef struct ArEvqEntry {
    ArTime time;      /* ev->time when pushed */
    uint64_t seq;     /* ev->seq when pushed: identifies this scheduling of ev */
    ArEvent *ev;      /* the event; not read again once cancelled (its owner may free it) */
} ArEvqEntry;

/* A growable array of entries. */
typedef struct ArEvqBucket {
    ArEvqEntry *e;    /* entries */
    uint32_t len;     /* entries used */
    uint32_t cap;     /* entries allocated */
} ArEvqBucket;

#define EVQ_LEVELS 8    /* one per byte of a 64-bit time */
#define EVQ_DIGITS 256  /* buckets per level */

/* A radix heap (Ahuja, Mehlhorn, Orlin, Tarjan 1990) with 8-bit digits, on (time, seq). Times
 * never go below the last popped one in a simulation, so an event waits in the bucket named by
 * the highest byte where its time differs from `last` (the level) and by its time's value in that
 * byte (the digit). When bucket 0 runs dry, the lowest non-empty bucket is spread relative to its
 * minimum, which becomes `last`: an event moves at most 8 times, about 3 for a one-second spread
 * of microsecond times. Bucket 0 holds the events at time `last` in sequence order and is
 * consumed first-in first-out, so the events of one instant cost O(1) each. Every operation
 * reads and writes bucket arrays sequentially; a 1,000,000-event queue is 24 MB of entries.
 * Cancelled events stay in their bucket as stale entries, recognised by their sequence number. */
typedef struct ArEvq {
    ArEvqBucket now;     /* bucket 0: entries at time == last, consumed from head on */
    uint32_t head;       /* first unconsumed entry of `now` */
    uint32_t len;        /* events scheduled (stale entries not counted) */
    uint32_t peak;       /* largest len seen */
    uint32_t stale;      /* stale entries in the buckets */
    ArEvqBucket *b;      /* EVQ_LEVELS x EVQ_DIGITS buckets, allocated at the first push */
    uint64_t digits[EVQ_LEVELS][EVQ_DIGITS / 64]; /* bit d of level l set when b[l][d] holds entries */
    uint32_t levels;     /* bit l set when level l holds entries */
    uint32_t pf_upto;    /* highest level-0 digit whose events were prefetched (see evq.c) */
    ArTime last;         /* time of the latest refill of `now`: every queued time is >= last */
    uint64_t next_seq;   /* sequence number of the next schedule */
    GHashTable *cancelled; /* seq of each stale entry still in a bucket; NULL until the first cancel */
} ArEvq;

void evq_init(ArEvq *q);
void evq_clear(ArEvq *q); /* frees the arrays; the events themselves belong to their owners */

static inline void evq_event_init(ArEvent *ev, ArEventFn fn) { ev->fn = fn; ev->slot = EVQ_IDLE; }
static inline bool evq_scheduled(const ArEvent *ev) { return ev->slot != EVQ_IDLE; }

/* Schedules ev at time t. ev must not be scheduled already. O(1); a time earlier than the last
 * popped one (never the case in a simulation) costs O(n) once. */
void evq_push(ArEvq *q, ArEvent *ev, ArTime t);
/* Removes a scheduled event; its memory may be freed at once. O(1). */
void evq_cancel(ArEvq *q, ArEvent *ev);
/* Removes and returns the earliest event, NULL when empty. O(1) amortised: each event is moved
 * between buckets at most 8 times. */
ArEvent *evq_pop(ArEvq *q);
/* The earliest event without removing it, NULL when empty. O(1) while events share the earliest
 * time, else one scan of the lowest bucket (which the next pop empties). */
ArEvent *evq_peek(const ArEvq *q);

#endif
