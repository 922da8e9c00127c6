/* sweep_print.c - a failure sweep's results: a table worst first, one JSON document, an HTML section. */
#include "arsim/output.h"
#include "arsim/sweep.h"

#include <string.h>

#define SWEEP_PAIRS_SHOWN 8u  /* pairs listed per detail line before "and N more" */
#define SWEEP_NODES_SHOWN 8u  /* nodes listed in "routes lost:" */

static double secs(ArTime t) { return (double)t / AR_SEC; }

/* "21 single failures" / "231 cases: 21 single failures and their 210 pairs". */
static void sweep_headline(const ArSweep *s, GString *o)
{
    const ArSweepOptions *opt = sweep_options(s);
    guint nf = sweep_failure_count(s), nc = sweep_case_count(s);
    if (opt->depth >= 2)
        g_string_append_printf(o, "%u cases: %u single failures and their %u pairs", nc, nf, nc - nf);
    else
        g_string_append_printf(o, "%u single failure%s", nf, nf == 1 ? "" : "s");
    g_string_append(o, " (");
    guint shown = 0;
    for (int k = 0; k < SWEEP_KIND_COUNT; k++)
        if (opt->kinds & (1u << k))
            g_string_append_printf(o, "%s%s", shown++ ? ", " : "", sweep_kind_name((ArSweepKind)k));
    g_string_append_printf(o, "; %s failures)", opt->mode == SWEEP_MODE_DEFAULT ? "silent node, graceful link"
                                                                                : sweep_mode_name(opt->mode));
}

/* The longest loss of pairs that came back, 0 when none. */
static ArTime sweep_longest(const ArSweepResult *r)
{
    ArTime m = 0;
    for (guint i = 0; i < r->pairs->len; i++) {
        const ArSweepPair *p = &g_array_index(r->pairs, ArSweepPair, i);
        if (!p->until_repair)
            m = MAX(m, p->lost_for);
    }
    return m;
}

/* Lists the pairs matching (until_repair, lost_at, lost_for) of the first one at index from,
 * marking them in done. */
static void sweep_pair_group(const ArSweepResult *r, guint from, gboolean *done, GString *o)
{
    const ArSweepPair *g = &g_array_index(r->pairs, ArSweepPair, from);
    guint n = 0, more = 0;
    GString *names = g_string_new(NULL);
    for (guint i = from; i < r->pairs->len; i++) {
        const ArSweepPair *p = &g_array_index(r->pairs, ArSweepPair, i);
        if (done[i] || p->until_repair != g->until_repair || p->lost_at != g->lost_at ||
            (!g->until_repair && p->lost_for != g->lost_for))
            continue;
        done[i] = TRUE;
        if (n++ < SWEEP_PAIRS_SHOWN)
            g_string_append_printf(names, "%s%s <-> %s", names->len ? ", " : "", p->a, p->b);
        else
            more++;
    }
    if (g->until_repair && r->settled)
        g_string_append_printf(o, "      cut from %.3f s until the repair (routing settled %.3f s after the failure): %s",
                               secs(g->lost_at), secs(r->settle), names->str);
    else if (g->until_repair)
        g_string_append_printf(o, "      cut from %.3f s until the repair: %s", secs(g->lost_at), names->str);
    else
        g_string_append_printf(o, "      lost at %.3f s for %.3f s: %s", secs(g->lost_at), secs(g->lost_for), names->str);
    if (more)
        g_string_append_printf(o, " and %u more", more);
    g_string_append_c(o, '\n');
    g_string_free(names, TRUE);
}

void out_sweep_text(const ArSweep *s, const GPtrArray *results, const char *file, GString *o)
{
    g_string_append_printf(o, "Failure sweep of %s: ", file);
    sweep_headline(s, o);
    g_string_append_printf(o, "\nEach case: the converged network, the failure at %.0f s, the repair %.0f s later. "
                              "%u pairs of sites and VNets reach each other before any failure.\n\n",
                           secs(sweep_fail_time(s)), secs(sweep_window(s)), sweep_baseline_pairs(s));
    int w = (int)strlen("failure");
    for (guint i = 0; i < results->len; i++)
        w = MAX(w, (int)strlen(((const ArSweepResult *)g_ptr_array_index(results, i))->label));
    g_string_append_printf(o, "%4s  %-*s  %5s  %5s  %12s  %13s  %8s  %11s  %s\n", "#", w, "failure", "cut", "lost",
                           "longest", "settled after", "UPDATEs", "routes lost", "repaired");
    for (guint i = 0; i < results->len; i++) {
        const ArSweepResult *r = g_ptr_array_index(results, i);
        char longest[32], settle[32], repaired[48];
        ArTime lg = sweep_longest(r);
        if (!r->pairs->len)
            g_strlcpy(longest, "-", sizeof longest);
        else if (sweep_result_cut(r))
            g_strlcpy(longest, "until repair", sizeof longest);
        else
            g_snprintf(longest, sizeof longest, "%.3f s", secs(lg));
        if (r->settled)
            g_snprintf(settle, sizeof settle, "%.3f s", secs(r->settle));
        else
            g_strlcpy(settle, r->capped ? "no (cap)" : "no", sizeof settle);
        if (r->recovered)
            g_snprintf(repaired, sizeof repaired, "yes, %.3f s", secs(r->repair_settle));
        else
            g_strlcpy(repaired, r->capped ? "no (event cap)" : "NO: routes missing", sizeof repaired);
        g_string_append_printf(o, "%4u  %-*s  %5u  %5u  %12s  %13s  %8" G_GUINT64_FORMAT "  %11" G_GUINT64_FORMAT "  %s\n",
                               i + 1, w, r->label, sweep_result_cut(r), r->pairs->len, longest, settle, r->updates,
                               r->routes_lost, repaired);
        g_autofree gboolean *done = g_new0(gboolean, r->pairs->len + 1);
        for (guint k = 0; k < r->pairs->len; k++)
            if (!done[k])
                sweep_pair_group(r, k, done, o);
        if (r->losses->len) {
            g_string_append(o, "      routes lost:");
            for (guint k = 0; k < r->losses->len && k < SWEEP_NODES_SHOWN; k++) {
                const ArSweepLoss *l = &g_array_index(r->losses, ArSweepLoss, k);
                g_string_append_printf(o, "%s %s %u", k ? "," : "", l->node, l->routes);
            }
            if (r->losses->len > SWEEP_NODES_SHOWN)
                g_string_append_printf(o, " and %u more nodes", r->losses->len - SWEEP_NODES_SHOWN);
            g_string_append_c(o, '\n');
        }
    }
}

cJSON *out_sweep_json(const ArSweep *s, const GPtrArray *results, const char *file)
{
    const ArSweepOptions *opt = sweep_options(s);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "file", file);
    cJSON *kinds = cJSON_AddArrayToObject(doc, "kinds");
    for (int k = 0; k < SWEEP_KIND_COUNT; k++)
        if (opt->kinds & (1u << k))
            cJSON_AddItemToArray(kinds, cJSON_CreateString(sweep_kind_name((ArSweepKind)k)));
    cJSON_AddNumberToObject(doc, "depth", opt->depth);
    cJSON_AddStringToObject(doc, "mode", sweep_mode_name(opt->mode));
    cJSON_AddNumberToObject(doc, "failures", sweep_failure_count(s));
    cJSON_AddNumberToObject(doc, "cases", sweep_case_count(s));
    cJSON_AddNumberToObject(doc, "failureAt", secs(sweep_fail_time(s)));
    cJSON_AddNumberToObject(doc, "repairAfter", secs(sweep_window(s)));
    cJSON *eps = cJSON_AddArrayToObject(doc, "endpoints");
    const GArray *ep = sweep_endpoints(s);
    for (guint i = 0; i < ep->len; i++)
        cJSON_AddItemToArray(eps, cJSON_CreateString(g_array_index(ep, ArReachEndpoint, i).name));
    cJSON_AddNumberToObject(doc, "reachablePairs", sweep_baseline_pairs(s));
    cJSON *rs = cJSON_AddArrayToObject(doc, "results");
    for (guint i = 0; i < results->len; i++) {
        const ArSweepResult *r = g_ptr_array_index(results, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "rank", i + 1);
        cJSON_AddNumberToObject(o, "case", r->index);
        cJSON_AddStringToObject(o, "failure", r->label);
        cJSON *what = cJSON_AddArrayToObject(o, "failures");
        for (guint k = 0; k < r->what->len; k++)
            cJSON_AddItemToArray(what, cJSON_CreateString(g_ptr_array_index(r->what, k)));
        cJSON_AddNumberToObject(o, "cut", sweep_result_cut(r));
        cJSON *pl = cJSON_AddArrayToObject(o, "pairsLost");
        for (guint k = 0; k < r->pairs->len; k++) {
            const ArSweepPair *p = &g_array_index(r->pairs, ArSweepPair, k);
            cJSON *j = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "a", p->a);
            cJSON_AddStringToObject(j, "b", p->b);
            cJSON_AddNumberToObject(j, "lostAt", secs(p->lost_at));
            if (p->until_repair)
                cJSON_AddNullToObject(j, "lostFor");
            else
                cJSON_AddNumberToObject(j, "lostFor", secs(p->lost_for));
            cJSON_AddBoolToObject(j, "untilRepair", p->until_repair);
            cJSON_AddItemToArray(pl, j);
        }
        cJSON_AddNumberToObject(o, "routesLost", (double)r->routes_lost);
        cJSON *pn = cJSON_AddObjectToObject(o, "routesLostPerNode");
        for (guint k = 0; k < r->losses->len; k++) {
            const ArSweepLoss *l = &g_array_index(r->losses, ArSweepLoss, k);
            cJSON_AddNumberToObject(pn, l->node, l->routes);
        }
        cJSON_AddNumberToObject(o, "updates", (double)r->updates);
        cJSON_AddNumberToObject(o, "settleTime", secs(r->settle));
        cJSON_AddBoolToObject(o, "settled", r->settled);
        cJSON *rep = cJSON_AddObjectToObject(o, "repair");
        cJSON_AddNumberToObject(rep, "updates", (double)r->repair_updates);
        cJSON_AddNumberToObject(rep, "settleTime", secs(r->repair_settle));
        cJSON_AddBoolToObject(rep, "recovered", r->recovered);
        cJSON_AddBoolToObject(o, "eventCap", r->capped);
        cJSON_AddNumberToObject(o, "samples", r->samples);
        cJSON_AddItemToArray(rs, o);
    }
    return doc;
}

cJSON *out_sweep_report(const ArSweep *s, const GPtrArray *results)
{
    cJSON *doc = cJSON_CreateObject();
    GString *h = g_string_new(NULL);
    sweep_headline(s, h);
    g_string_append_printf(h, ", each simulated from the converged network and repaired %.0f s later; worst first. "
                              "%u pairs of sites and VNets reach each other before any failure.",
                           secs(sweep_window(s)), sweep_baseline_pairs(s));
    cJSON_AddStringToObject(doc, "headline", h->str);
    g_string_free(h, TRUE);
    cJSON *rows = cJSON_AddArrayToObject(doc, "rows");
    for (guint i = 0; i < results->len; i++) {
        const ArSweepResult *r = g_ptr_array_index(results, i);
        GString *cut = g_string_new(NULL), *brief = g_string_new(NULL), *t = g_string_new(NULL);
        for (guint k = 0; k < r->pairs->len; k++) {
            const ArSweepPair *p = &g_array_index(r->pairs, ArSweepPair, k);
            if (p->until_repair)
                g_string_append_printf(cut, "%s%s \u2194 %s", cut->len ? ", " : "", p->a, p->b);
            else
                g_string_append_printf(brief, "%s%s \u2194 %s (%.3f s)", brief->len ? ", " : "", p->a, p->b,
                                       secs(p->lost_for));
        }
        cJSON *row = cJSON_CreateArray();
        cJSON_AddItemToArray(row, cJSON_CreateString(cut->len ? "bad" : ""));
        cJSON_AddItemToArray(row, cJSON_CreateString(r->label));
        cJSON_AddItemToArray(row, cJSON_CreateString(cut->len ? cut->str : "none"));
        cJSON_AddItemToArray(row, cJSON_CreateString(brief->len ? brief->str : "none"));
        if (r->settled)
            g_string_printf(t, "%.3f", secs(r->settle));
        else
            g_string_assign(t, "not settled");
        cJSON_AddItemToArray(row, cJSON_CreateString(t->str));
        g_string_printf(t, "%" G_GUINT64_FORMAT, r->updates);
        cJSON_AddItemToArray(row, cJSON_CreateString(t->str));
        g_string_printf(t, "%" G_GUINT64_FORMAT, r->routes_lost);
        cJSON_AddItemToArray(row, cJSON_CreateString(t->str));
        cJSON_AddItemToArray(row, cJSON_CreateString(r->recovered ? "yes" : "no"));
        cJSON_AddItemToArray(rows, row);
        g_string_free(cut, TRUE);
        g_string_free(brief, TRUE);
        g_string_free(t, TRUE);
    }
    return doc;
}
