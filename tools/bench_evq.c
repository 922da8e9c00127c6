/* bench_evq.c - B4: hold-model benchmark of the future-event set (include/arsim/evq.h). */
#include "arsim/evq.h"

#include <glib.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

/* One hold-model run: n pending events, ops hold operations (pop the earliest, push it back at
 * now + increment). */
typedef struct BenchHold {
    const char *name;      /* increment distribution, as printed */
    uint64_t pending;      /* events kept in the queue */
    uint64_t ops;          /* hold operations timed */
    double seconds;        /* wall time of the timed part (median of the repeats) */
    double mops;           /* million hold operations per second */
} BenchHold;

/* xorshift64*: a few instructions per number, so the generator does not dominate what is timed. */
static inline uint64_t bench_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

typedef enum BenchDist {
    BENCH_UNIFORM = 0, /* increments uniform in [1 us, 1 s] */
    BENCH_BGP,         /* increments of 1 ms or 10 ms (processing and link delays): many equal times */
} BenchDist;

static inline ArTime bench_increment(BenchDist d, uint64_t *s)
{
    uint64_t r = bench_rand(s);
    if (d == BENCH_UNIFORM)
        return 1 + (r >> 11) % AR_SEC;
    return (r >> 63) ? 10 * AR_MSEC : 1 * AR_MSEC;
}

static int bench_dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs the hold model repeats times; returns the median. Checks that times never go backwards. */
static BenchHold bench_hold(const char *name, BenchDist d, uint64_t n, uint64_t ops, int repeats, bool huge)
{
    BenchHold h = { .name = name, .pending = n, .ops = ops };
    double *secs = g_new(double, (gsize)repeats);
    /* The events live in one array of 64-byte aligned, huge-page backed memory when the kernel
     * allows it, so that what is timed is the queue and not the TLB of a virtual machine. */
    size_t bytes = ((n * sizeof(ArEvent)) | ((2u << 20) - 1)) + 1;
    ArEvent *evs = g_aligned_alloc(1, bytes, 2u << 20);
    if (huge)
        (void)madvise(evs, bytes, MADV_HUGEPAGE);
    for (int rep = 0; rep < repeats; rep++) {
        uint64_t seed = 0x9E3779B97F4A7C15ull + (uint64_t)rep;
        ArEvq q;
        evq_init(&q);
        for (uint64_t i = 0; i < n; i++) {
            evq_event_init(&evs[i], NULL);
            evq_push(&q, &evs[i], bench_increment(d, &seed));
        }
        /* Warm-up: as many operations as pending events, so the time distribution settles. */
        ArTime now = 0;
        for (uint64_t i = 0; i < n; i++) {
            ArEvent *ev = evq_pop(&q);
            now = ev->time;
            evq_push(&q, ev, now + bench_increment(d, &seed));
        }
        gint64 t0 = g_get_monotonic_time();
        for (uint64_t i = 0; i < ops; i++) {
            ArEvent *ev = evq_pop(&q);
            if (G_UNLIKELY(ev->time < now)) {
                fprintf(stderr, "bench_evq: time went backwards (%" G_GUINT64_FORMAT " < %" G_GUINT64_FORMAT ")\n",
                        ev->time, now);
                exit(1);
            }
            now = ev->time;
            evq_push(&q, ev, now + bench_increment(d, &seed));
        }
        secs[rep] = (double)(g_get_monotonic_time() - t0) / 1e6;
        evq_clear(&q);
    }
    qsort(secs, (size_t)repeats, sizeof(double), bench_dbl_cmp);
    h.seconds = secs[repeats / 2];
    h.mops = (double)ops / h.seconds / 1e6;
    g_aligned_free(evs);
    g_free(secs);
    return h;
}

int main(int argc, char **argv)
{
    gint64 pending = 1000000, ops = 10000000;
    gint repeats = 5;
    gboolean json = FALSE, small_pages = FALSE;
    GOptionEntry entries[] = {
        { "pending", 'n', 0, G_OPTION_ARG_INT64, &pending, "Events kept pending (default 1,000,000)", "N" },
        { "ops", 0, 0, G_OPTION_ARG_INT64, &ops, "Hold operations timed per repeat (default 10,000,000)", "N" },
        { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeats, "Repeats; the median is reported (default 5)", "N" },
        { "small-pages", 0, 0, G_OPTION_ARG_NONE, &small_pages, "Do not ask for huge pages for the event array", NULL },
        { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per distribution instead of text", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- B4: hold model on the event queue");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) e = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &e) || pending < 1 || ops < 1 || repeats < 1) {
        fprintf(stderr, "bench_evq: %s\n", e ? e->message : "--pending, --ops and --repeat must be positive");
        return 2;
    }
    BenchHold res[2] = {
        bench_hold("uniform 1us-1s", BENCH_UNIFORM, (uint64_t)pending, (uint64_t)ops, repeats, !small_pages),
        bench_hold("bgp 1ms|10ms", BENCH_BGP, (uint64_t)pending, (uint64_t)ops, repeats, !small_pages),
    };
    for (int i = 0; i < 2; i++) {
        if (json)
            printf("{\"benchmark\":\"B4\",\"distribution\":\"%s\",\"pending\":%" G_GUINT64_FORMAT ",\"ops\":%" G_GUINT64_FORMAT
                   ",\"seconds\":%.6f,\"millionEventsPerSecond\":%.2f}\n",
                   res[i].name, res[i].pending, res[i].ops, res[i].seconds, res[i].mops);
        else
            printf("B4 hold model, %-15s %8" G_GUINT64_FORMAT " pending: %.2f M events/s (%" G_GUINT64_FORMAT
                   " ops in %.3f s, median of %d)\n",
                   res[i].name, res[i].pending, res[i].mops, res[i].ops, res[i].seconds, repeats);
    }
    return 0;
}
