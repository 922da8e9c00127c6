/* timeline.c - the story of a run: each event, what it set off, when routing settled, what VMs saw. */
#include "arsim/output.h"

#include <string.h>

static double secs(ArTime t) { return (double)t / (double)AR_SEC; }

/* ---- effective-route changes between two snapshots ---------------------------------------------- */

typedef enum { EFF_ADDED, EFF_REMOVED, EFF_CHANGED } EffChange;

typedef void (*EffChangeFn)(void *user, const ArEffTable *t, EffChange what, const ArEffRoute *before,
                            const ArEffRoute *after);

static bool same_route(const ArEffRoute *a, const ArEffRoute *b)
{
    if (a->type != b->type || a->next_hops->len != b->next_hops->len)
        return false;
    return a->next_hops->len == 0 ||
           memcmp(a->next_hops->data, b->next_hops->data, a->next_hops->len * sizeof(uint32_t)) == 0;
}

/* Walks two snapshots of the same VNets (tables sorted by prefix): O(routes). */
static void eff_changes(const GPtrArray *before, const GPtrArray *after, EffChangeFn fn, void *user)
{
    for (guint v = 0; v < after->len; v++) {
        const ArEffTable *ta = g_ptr_array_index(before, v), *tb = g_ptr_array_index(after, v);
        ArEffIter ia, ib;
        eff_iter_init(&ia, ta);
        eff_iter_init(&ib, tb);
        const ArEffRoute *ra = eff_iter_next(&ia), *rb = eff_iter_next(&ib);
        while (ra || rb) {
            int c = !ra ? 1 : !rb ? -1 : pfx_cmp(&ra->prefix, &rb->prefix);
            if (c < 0) {
                fn(user, tb, EFF_REMOVED, ra, NULL);
                ra = eff_iter_next(&ia);
            } else if (c > 0) {
                fn(user, tb, EFF_ADDED, NULL, rb);
                rb = eff_iter_next(&ib);
            } else {
                if (!same_route(ra, rb))
                    fn(user, tb, EFF_CHANGED, ra, rb);
                ra = eff_iter_next(&ia);
                rb = eff_iter_next(&ib);
            }
        }
    }
}

static void append_next_hops(GString *s, const ArEffRoute *r)
{
    char ip[IP_STRLEN];
    if (!r->next_hops->len) {
        g_string_append(s, eff_nh_type_name(r->type));
        return;
    }
    for (guint k = 0; k < r->next_hops->len; k++)
        g_string_append_printf(s, "%s%s", k ? "," : "", ip_format(g_array_index(r->next_hops, uint32_t, k), ip));
}

typedef struct TextCtx {
    const ArScenario *scn;  /* for VNet names */
    GString *out;           /* where the line goes */
    const ArEffTable *last; /* table of the previous change, to group by VNet (or subnet) */
} TextCtx;

static void text_change(void *user, const ArEffTable *t, EffChange what, const ArEffRoute *before,
                        const ArEffRoute *after)
{
    TextCtx *c = user;
    char pfx[PFX_STRLEN];
    if (c->last != t) {
        g_autofree char *name = eff_table_name(c->scn, t);
        g_string_append_printf(c->out, "%s%s:", c->last ? "; " : "", name);
        c->last = t;
    }
    const ArEffRoute *r = after ? after : before;
    g_string_append_printf(c->out, " %c%s", what == EFF_ADDED ? '+' : what == EFF_REMOVED ? '-' : '~',
                           pfx_format(r->prefix, pfx));
    g_string_append(c->out, what == EFF_REMOVED ? " (was " : " -> ");
    append_next_hops(c->out, what == EFF_REMOVED ? before : after);
    if (what == EFF_CHANGED) {
        g_string_append(c->out, ", was ");
        append_next_hops(c->out, before);
    }
    if (what == EFF_REMOVED)
        g_string_append(c->out, ")");
}

/* ---- text ---------------------------------------------------------------------------------------- */

void out_timeline_text(const ArRun *run, GString *out)
{
    const ArNet *net = run->net;
    const ArSim *sim = net->sim;
    g_string_append(out, "Timeline (simulated seconds)\n");
    for (guint e = 0; e < net->epochs->len; e++) {
        const ArEpoch *ep = &g_array_index(net->epochs, ArEpoch, e);
        if (e == 0) {
            guint ups = 0;
            for (guint l = ep->log_from; l < ep->log_to; l++)
                ups += g_array_index(sim->log, ArLogEntry, l).kind == TR_SESSION_UP && g_array_index(sim->log, ArLogEntry, l).time == 0;
            g_string_append_printf(out, "  %10.3f  start: %u sessions come up\n", 0.0, ups);
        }
        for (guint l = ep->log_from; l < ep->log_to; l++) {
            const ArLogEntry *le = &g_array_index(sim->log, ArLogEntry, l);
            if (e == 0 && le->kind == TR_SESSION_UP && le->time == 0)
                continue; /* summarised above */
            g_string_append_printf(out, "  %10.3f  %s%s\n", secs(le->time), le->kind != TR_SCENARIO ? "  " : ep->se ? "EVENT " : "THEN  ",
                                   le->text);
        }
        if (ep->quiet)
            g_string_append_printf(out, "  %10.3f    settled, %.3f s after %s, %" G_GUINT64_FORMAT " UPDATE messages\n",
                                   secs(ep->settled), secs(ep->settled - ep->start), e ? "the event" : "the start",
                                   ep->messages);
        else
            g_string_append_printf(out, "  %10s    NOT settled when %s (%" G_GUINT64_FORMAT " UPDATE messages so far)\n", "",
                                   e + 1 < net->epochs->len ? "the next event came" : "the run stopped", ep->messages);
        const GPtrArray *prev = e ? g_ptr_array_index(run->epoch_eff, e - 1) : NULL, *now = g_ptr_array_index(run->epoch_eff, e);
        if (prev && now) {
            TextCtx c = { net->scn, g_string_new(NULL), NULL };
            eff_changes(prev, now, text_change, &c);
            g_string_append_printf(out, "  %10s    VMs' effective routes: %s\n", "", c.out->len ? c.out->str : "unchanged");
            g_string_free(c.out, TRUE);
        }
    }
    if (run->end != RUN_CONVERGED)
        g_string_append_printf(out, "  %10.3f  run stopped: %s\n", secs(sim->now),
                               run->end == RUN_EVENT_CAP ? "event cap reached" : "time limit reached with routing still changing");
    g_autofree char *flaps = out_flaps_summary(run, 8);
    if (flaps)
        g_string_append_printf(out, "  %10s  %s\n", "", flaps);
}

char *out_flaps_summary(const ArRun *run, guint max_items)
{
    const GArray *f = run->net->flaps;
    if (!f || !f->len)
        return NULL;
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "did not settle: best paths kept changing in the last %.0f s for", secs(run->net->watch_window));
    char pfx[PFX_STRLEN];
    for (guint i = 0; i < f->len && i < max_items; i++) {
        const ArFlap *x = &g_array_index(f, ArFlap, i);
        g_string_append_printf(s, "%s %s at %s (%" G_GUINT64_FORMAT " changes)", i ? "," : "",
                               pfx_format(pfx_from_key(x->key), pfx), x->sp->name, x->changes);
    }
    if (f->len > max_items)
        g_string_append_printf(s, " and %u more", f->len - max_items);
    return g_string_free(s, FALSE);
}

cJSON *out_flaps_json(const ArRun *run)
{
    cJSON *arr = cJSON_CreateArray();
    const GArray *f = run->net->flaps;
    char pfx[PFX_STRLEN];
    for (guint i = 0; f && i < f->len; i++) {
        const ArFlap *x = &g_array_index(f, ArFlap, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "node", x->sp->name);
        cJSON_AddStringToObject(o, "prefix", pfx_format(pfx_from_key(x->key), pfx));
        cJSON_AddNumberToObject(o, "changes", (double)x->changes);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* ---- JSON ---------------------------------------------------------------------------------------- */

static cJSON *eff_route_json(const ArEffRoute *r)
{
    char pfx[PFX_STRLEN], ip[IP_STRLEN];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "prefix", pfx_format(r->prefix, pfx));
    cJSON_AddStringToObject(o, "nextHopType", eff_nh_type_name(r->type));
    cJSON *ips = cJSON_AddArrayToObject(o, "nextHopIps");
    for (guint k = 0; k < r->next_hops->len; k++)
        cJSON_AddItemToArray(ips, cJSON_CreateString(ip_format(g_array_index(r->next_hops, uint32_t, k), ip)));
    return o;
}

typedef struct JsonCtx {
    const ArScenario *scn;  /* for VNet names */
    cJSON *vnets;           /* {VNET: {added, removed, changed}} */
} JsonCtx;

static void json_change(void *user, const ArEffTable *t, EffChange what, const ArEffRoute *before,
                        const ArEffRoute *after)
{
    JsonCtx *c = user;
    g_autofree char *name = eff_table_name(c->scn, t);
    cJSON *v = cJSON_GetObjectItemCaseSensitive(c->vnets, name);
    if (!v) {
        v = cJSON_AddObjectToObject(c->vnets, name);
        cJSON_AddArrayToObject(v, "added");
        cJSON_AddArrayToObject(v, "removed");
        cJSON_AddArrayToObject(v, "changed");
    }
    if (what == EFF_ADDED) {
        cJSON_AddItemToArray(cJSON_GetObjectItem(v, "added"), eff_route_json(after));
    } else if (what == EFF_REMOVED) {
        cJSON_AddItemToArray(cJSON_GetObjectItem(v, "removed"), eff_route_json(before));
    } else {
        cJSON *ch = cJSON_CreateObject();
        char pfx[PFX_STRLEN];
        cJSON_AddStringToObject(ch, "prefix", pfx_format(after->prefix, pfx));
        cJSON_AddItemToObject(ch, "before", eff_route_json(before));
        cJSON_AddItemToObject(ch, "after", eff_route_json(after));
        cJSON_AddItemToArray(cJSON_GetObjectItem(v, "changed"), ch);
    }
}

cJSON *out_timeline_json(const ArRun *run)
{
    const ArNet *net = run->net;
    const ArSim *sim = net->sim;
    cJSON *arr = cJSON_CreateArray();
    for (guint e = 0; e < net->epochs->len; e++) {
        const ArEpoch *ep = &g_array_index(net->epochs, ArEpoch, e);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "at", secs(ep->start));
        cJSON_AddStringToObject(o, "event", ep->label);
        cJSON_AddBoolToObject(o, "scenarioEvent", ep->se != NULL);
        cJSON_AddBoolToObject(o, "settled", ep->quiet);
        if (ep->quiet) {
            cJSON_AddNumberToObject(o, "settledAt", secs(ep->settled));
            cJSON_AddNumberToObject(o, "settledAfter", secs(ep->settled - ep->start));
        }
        cJSON_AddNumberToObject(o, "messages", (double)ep->messages);
        cJSON *log = cJSON_AddArrayToObject(o, "log");
        for (guint l = ep->log_from; l < ep->log_to; l++) {
            const ArLogEntry *le = &g_array_index(sim->log, ArLogEntry, l);
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "at", secs(le->time));
            cJSON_AddStringToObject(x, "text", le->text);
            cJSON_AddItemToArray(log, x);
        }
        const GPtrArray *prev = e ? g_ptr_array_index(run->epoch_eff, e - 1) : NULL, *now = g_ptr_array_index(run->epoch_eff, e);
        JsonCtx c = { net->scn, cJSON_AddObjectToObject(o, "effectiveRouteChanges") };
        if (prev && now)
            eff_changes(prev, now, json_change, &c);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}
