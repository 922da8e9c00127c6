/* evq.c - binary min-heap of events keyed by (time, seq); see evq.h. */
#include "arsim/evq.h"

static inline bool ev_before(const ArEvent *a, const ArEvent *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline void heap_set(ArEvq *q, uint32_t i, ArEvent *ev)
{
    q->heap[i] = ev;
    ev->slot = i;
}

static void sift_up(ArEvq *q, uint32_t i)
{
    ArEvent *ev = q->heap[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!ev_before(ev, q->heap[parent]))
            break;
        heap_set(q, i, q->heap[parent]);
        i = parent;
    }
    heap_set(q, i, ev);
}

static void sift_down(ArEvq *q, uint32_t i)
{
    ArEvent *ev = q->heap[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= q->len)
            break;
        if (child + 1 < q->len && ev_before(q->heap[child + 1], q->heap[child]))
            child++;
        if (!ev_before(q->heap[child], ev))
            break;
        heap_set(q, i, q->heap[child]);
        i = child;
    }
    heap_set(q, i, ev);
}

void evq_init(ArEvq *q) { *q = (ArEvq){ 0 }; }

void evq_clear(ArEvq *q)
{
    for (uint32_t i = 0; i < q->len; i++)
        q->heap[i]->slot = EVQ_IDLE;
    g_free(q->heap);
    *q = (ArEvq){ 0 };
}

void evq_push(ArEvq *q, ArEvent *ev, ArTime t)
{
    g_assert(ev->slot == EVQ_IDLE);
    if (q->len == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->heap = g_renew(ArEvent *, q->heap, q->cap);
    }
    ev->time = t;
    ev->seq = q->next_seq++;
    q->heap[q->len] = ev;
    ev->slot = q->len++;
    if (q->len > q->peak)
        q->peak = q->len;
    sift_up(q, q->len - 1);
}

void evq_cancel(ArEvq *q, ArEvent *ev)
{
    uint32_t i = ev->slot;
    g_assert(i < q->len && q->heap[i] == ev);
    ev->slot = EVQ_IDLE;
    if (i == --q->len)
        return;
    q->heap[i] = q->heap[q->len];
    q->heap[i]->slot = i;
    /* The moved event may belong above or below i. */
    if (i > 0 && ev_before(q->heap[i], q->heap[(i - 1) / 2]))
        sift_up(q, i);
    else
        sift_down(q, i);
}

ArEvent *evq_pop(ArEvq *q)
{
    if (q->len == 0)
        return NULL;
    ArEvent *top = q->heap[0];
    top->slot = EVQ_IDLE;
    if (--q->len > 0) {
        q->heap[0] = q->heap[q->len];
        q->heap[0]->slot = 0;
        sift_down(q, 0);
    }
    return top;
}
