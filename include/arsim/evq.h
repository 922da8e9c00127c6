/* evq.h - the future-event set: an intrusive binary min-heap ordered by (time, sequence). */
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

/* The heap node lives inside the object that owns the event (a message, a timer), as in libuv:
 * scheduling writes into it and allocates nothing but, rarely, a larger heap array. */
typedef struct ArEvent {
    ArTime time;      /* when it fires */
    uint64_t seq;     /* tie-break: scheduling order, so equal times fire first-in first-out */
    uint32_t slot;    /* index in the heap array while scheduled; EVQ_IDLE when not */
    ArEventFn fn;     /* what to do */
} ArEvent;

#define EVQ_IDLE UINT32_MAX

typedef struct ArEvq {
    ArEvent **heap;   /* heap[0] is the earliest event */
    uint32_t len;     /* events scheduled */
    uint32_t cap;     /* allocated slots */
    uint32_t peak;    /* largest len seen */
    uint64_t next_seq; /* sequence number of the next schedule */
} ArEvq;

void evq_init(ArEvq *q);
void evq_clear(ArEvq *q); /* frees the array; the events themselves belong to their owners */

static inline void evq_event_init(ArEvent *ev, ArEventFn fn) { ev->fn = fn; ev->slot = EVQ_IDLE; }
static inline bool evq_scheduled(const ArEvent *ev) { return ev->slot != EVQ_IDLE; }

/* Schedules ev at time t. ev must not be scheduled already. O(log n). */
void evq_push(ArEvq *q, ArEvent *ev, ArTime t);
/* Removes a scheduled event. O(log n). */
void evq_cancel(ArEvq *q, ArEvent *ev);
/* Removes and returns the earliest event, NULL when empty. O(log n). */
ArEvent *evq_pop(ArEvq *q);
static inline ArEvent *evq_peek(const ArEvq *q) { return q->len ? q->heap[0] : NULL; }

#endif
