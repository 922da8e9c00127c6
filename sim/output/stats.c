/* stats.c - what a run cost: events, messages, stored routes, interned sets, memory. */
#include "arsim/output.h"

#include <sys/resource.h>

void out_stats_collect(const ArRun *run, ArRunStats *st)
{
    const ArSim *sim = run->net->sim;
    *st = (ArRunStats){ 0 };
    st->events = sim->stats.events;
    st->messages = sim->stats.updates;
    st->announced = sim->stats.announced;
    st->withdrawn = sim->stats.withdrawn;
    for (guint i = 0; i < sim->speakers->len; i++) {
        const ArSpeaker *sp = g_ptr_array_index(sim->speakers, i);
        st->routes += sp->rib.routes;
        for (guint k = 0; k < sp->peers->len; k++)
            st->adj_out += bgp_out_size(bgp_peer(sp, (uint16_t)k));
    }
    st->attr_sets = attr_cache_size(sim->attrs);
    st->as_paths = attr_cache_paths(sim->attrs);
    st->peak_events = sim->q.peak;
    st->speakers = sim->speakers->len;
    st->sessions = sim->sessions->len;
    st->sim_seconds = (double)sim->stats.last_change / (double)AR_SEC;
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        st->peak_rss_kib = (uint64_t)ru.ru_maxrss; /* Linux reports KiB */
}

cJSON *out_stats_json(const ArRunStats *st)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "events", (double)st->events);
    cJSON_AddNumberToObject(o, "messages", (double)st->messages);
    cJSON_AddNumberToObject(o, "prefixesAnnounced", (double)st->announced);
    cJSON_AddNumberToObject(o, "prefixesWithdrawn", (double)st->withdrawn);
    cJSON_AddNumberToObject(o, "routesStored", (double)st->routes);
    cJSON_AddNumberToObject(o, "adjRibOutEntries", (double)st->adj_out);
    cJSON_AddNumberToObject(o, "attributeSets", (double)st->attr_sets);
    cJSON_AddNumberToObject(o, "asPaths", (double)st->as_paths);
    cJSON_AddNumberToObject(o, "peakPendingEvents", (double)st->peak_events);
    cJSON_AddNumberToObject(o, "speakers", (double)st->speakers);
    cJSON_AddNumberToObject(o, "sessions", (double)st->sessions);
    cJSON_AddNumberToObject(o, "peakRssKiB", (double)st->peak_rss_kib);
    /* Whole-process peak memory over stored paths: an upper bound of what one route costs. */
    cJSON_AddNumberToObject(o, "bytesPerStoredRoute",
                            st->routes ? (double)st->peak_rss_kib * 1024.0 / (double)st->routes : 0.0);
    cJSON_AddNumberToObject(o, "simulatedSeconds", st->sim_seconds);
    return o;
}

void out_stats_text(const ArRunStats *st, GString *out)
{
    g_string_append_printf(out,
                           "Statistics\n"
                           "  speakers %" G_GUINT64_FORMAT ", sessions %" G_GUINT64_FORMAT "\n"
                           "  events %" G_GUINT64_FORMAT " (peak pending %" G_GUINT64_FORMAT "), UPDATE messages %" G_GUINT64_FORMAT
                           " (%" G_GUINT64_FORMAT " prefixes announced, %" G_GUINT64_FORMAT " withdrawn)\n"
                           "  routes stored %" G_GUINT64_FORMAT ", Adj-RIB-Out entries %" G_GUINT64_FORMAT "\n"
                           "  interned attribute sets %" G_GUINT64_FORMAT ", AS paths %" G_GUINT64_FORMAT "\n"
                           "  converged at %.3f s simulated; peak memory %.1f MiB (%.0f bytes per stored route)\n",
                           st->speakers, st->sessions, st->events, st->peak_events, st->messages, st->announced,
                           st->withdrawn, st->routes, st->adj_out, st->attr_sets, st->as_paths, st->sim_seconds,
                           (double)st->peak_rss_kib / 1024.0,
                           st->routes ? (double)st->peak_rss_kib * 1024.0 / (double)st->routes : 0.0);
}
