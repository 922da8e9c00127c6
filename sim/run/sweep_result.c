/* sweep_result.c - a failure sweep's results: made and freed, ordered by impact, packed and unpacked for MPI. */
#include "arsim/sweep.h"

#include <string.h>

/* ---- results ------------------------------------------------------------------------------- */

static void pair_clear(gpointer p)
{
    ArSweepPair *x = p;
    g_free(x->a);
    g_free(x->b);
}

static void loss_clear(gpointer p) { g_free(((ArSweepLoss *)p)->node); }

ArSweepResult *sweep_result_new(guint index, const char *label)
{
    ArSweepResult *r = g_new0(ArSweepResult, 1);
    r->index = index;
    r->label = g_strdup(label);
    r->what = g_ptr_array_new_with_free_func(g_free);
    r->pairs = g_array_new(FALSE, TRUE, sizeof(ArSweepPair));
    g_array_set_clear_func(r->pairs, pair_clear);
    r->losses = g_array_new(FALSE, TRUE, sizeof(ArSweepLoss));
    g_array_set_clear_func(r->losses, loss_clear);
    return r;
}

void sweep_result_free(ArSweepResult *r)
{
    if (!r)
        return;
    g_free(r->label);
    g_ptr_array_free(r->what, TRUE);
    g_array_free(r->pairs, TRUE);
    g_array_free(r->losses, TRUE);
    g_free(r);
}

guint sweep_result_cut(const ArSweepResult *r)
{
    guint n = 0;
    for (guint i = 0; i < r->pairs->len; i++)
        n += g_array_index(r->pairs, ArSweepPair, i).until_repair;
    return n;
}

/* ---- ordering ------------------------------------------------------------------------------ */

/* Time lost by the pairs that came back before the repair, summed (microseconds). */
static guint64 sweep_pair_time(const ArSweepResult *r)
{
    guint64 t = 0;
    for (guint i = 0; i < r->pairs->len; i++) {
        const ArSweepPair *p = &g_array_index(r->pairs, ArSweepPair, i);
        t += p->until_repair ? 0 : p->lost_for;
    }
    return t;
}

#define CMP_DESC(x, y) \
    do { \
        if ((x) != (y)) \
            return (x) > (y) ? -1 : 1; \
    } while (0)

static gint sweep_impact_cmp(gconstpointer pa, gconstpointer pb)
{
    const ArSweepResult *a = *(ArSweepResult *const *)pa, *b = *(ArSweepResult *const *)pb;
    CMP_DESC(sweep_result_cut(a), sweep_result_cut(b));
    CMP_DESC(sweep_pair_time(a), sweep_pair_time(b));
    CMP_DESC(a->pairs->len, b->pairs->len);
    CMP_DESC(a->routes_lost, b->routes_lost);
    CMP_DESC(a->updates, b->updates);
    return (a->index > b->index) - (a->index < b->index);
}

void sweep_sort(GPtrArray *results)
{
    g_ptr_array_sort(results, sweep_impact_cmp);
}

/* ---- packing for MPI ----------------------------------------------------------------------- */

static cJSON *pack_one(const ArSweepResult *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "i", r->index);
    cJSON_AddStringToObject(o, "label", r->label);
    cJSON *w = cJSON_AddArrayToObject(o, "what");
    for (guint k = 0; k < r->what->len; k++)
        cJSON_AddItemToArray(w, cJSON_CreateString(g_ptr_array_index(r->what, k)));
    cJSON *ps = cJSON_AddArrayToObject(o, "pairs");
    for (guint k = 0; k < r->pairs->len; k++) {
        const ArSweepPair *p = &g_array_index(r->pairs, ArSweepPair, k);
        cJSON *j = cJSON_CreateArray();
        cJSON_AddItemToArray(j, cJSON_CreateString(p->a));
        cJSON_AddItemToArray(j, cJSON_CreateString(p->b));
        cJSON_AddItemToArray(j, cJSON_CreateNumber((double)p->lost_at));
        cJSON_AddItemToArray(j, cJSON_CreateNumber((double)p->lost_for));
        cJSON_AddItemToArray(j, cJSON_CreateBool(p->until_repair));
        cJSON_AddItemToArray(ps, j);
    }
    cJSON *ls = cJSON_AddArrayToObject(o, "losses");
    for (guint k = 0; k < r->losses->len; k++) {
        const ArSweepLoss *l = &g_array_index(r->losses, ArSweepLoss, k);
        cJSON *j = cJSON_CreateArray();
        cJSON_AddItemToArray(j, cJSON_CreateString(l->node));
        cJSON_AddItemToArray(j, cJSON_CreateNumber(l->routes));
        cJSON_AddItemToArray(ls, j);
    }
    double nums[] = { (double)r->routes_lost, (double)r->updates, (double)r->settle, r->settled,
                      (double)r->repair_updates, (double)r->repair_settle, r->recovered, r->capped, r->samples };
    cJSON_AddItemToObject(o, "n", cJSON_CreateDoubleArray(nums, G_N_ELEMENTS(nums)));
    return o;
}

char *sweep_results_pack(const GPtrArray *results)
{
    cJSON *a = cJSON_CreateArray();
    for (guint i = 0; i < results->len; i++)
        cJSON_AddItemToArray(a, pack_one(g_ptr_array_index(results, i)));
    char *cj = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    char *text = g_strdup(cj);
    cJSON_free(cj);
    return text;
}

static const char *arr_str(const cJSON *a, int i)
{
    const cJSON *x = cJSON_GetArrayItem(a, i);
    return cJSON_IsString(x) ? x->valuestring : NULL;
}

static gboolean arr_num(const cJSON *a, int i, double *out)
{
    const cJSON *x = cJSON_GetArrayItem(a, i);
    if (cJSON_IsBool(x))
        *out = cJSON_IsTrue(x);
    else if (cJSON_IsNumber(x))
        *out = x->valuedouble;
    else
        return FALSE;
    return TRUE;
}

static ArSweepResult *unpack_one(const cJSON *o)
{
    const cJSON *i = cJSON_GetObjectItemCaseSensitive(o, "i"), *label = cJSON_GetObjectItemCaseSensitive(o, "label");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "what"), *ps = cJSON_GetObjectItemCaseSensitive(o, "pairs");
    const cJSON *ls = cJSON_GetObjectItemCaseSensitive(o, "losses"), *n = cJSON_GetObjectItemCaseSensitive(o, "n");
    if (!cJSON_IsNumber(i) || !cJSON_IsString(label) || !cJSON_IsArray(w) || !cJSON_IsArray(ps) || !cJSON_IsArray(ls) ||
        cJSON_GetArraySize(n) != 9)
        return NULL;
    g_autoptr(ArSweepResult) r = sweep_result_new((guint)i->valuedouble, label->valuestring);
    const cJSON *x;
    cJSON_ArrayForEach(x, w)
    {
        if (!cJSON_IsString(x))
            return NULL;
        g_ptr_array_add(r->what, g_strdup(x->valuestring));
    }
    cJSON_ArrayForEach(x, ps)
    {
        double at, dur, until;
        if (!arr_str(x, 0) || !arr_str(x, 1) || !arr_num(x, 2, &at) || !arr_num(x, 3, &dur) || !arr_num(x, 4, &until))
            return NULL;
        ArSweepPair p = { g_strdup(arr_str(x, 0)), g_strdup(arr_str(x, 1)), (ArTime)at, (ArTime)dur, until != 0 };
        g_array_append_val(r->pairs, p);
    }
    cJSON_ArrayForEach(x, ls)
    {
        double routes;
        if (!arr_str(x, 0) || !arr_num(x, 1, &routes))
            return NULL;
        ArSweepLoss l = { g_strdup(arr_str(x, 0)), (guint)routes };
        g_array_append_val(r->losses, l);
    }
    double v[9];
    for (int k = 0; k < 9; k++)
        if (!arr_num(n, k, &v[k]))
            return NULL;
    r->routes_lost = (guint64)v[0];
    r->updates = (guint64)v[1];
    r->settle = (ArTime)v[2];
    r->settled = v[3] != 0;
    r->repair_updates = (guint64)v[4];
    r->repair_settle = (ArTime)v[5];
    r->recovered = v[6] != 0;
    r->capped = v[7] != 0;
    r->samples = (guint)v[8];
    return g_steal_pointer(&r);
}

gboolean sweep_results_unpack(const char *text, GPtrArray *into, GError **error)
{
    cJSON *a = cJSON_Parse(text);
    gboolean ok = cJSON_IsArray(a);
    const cJSON *list = ok ? a : NULL, *o;
    cJSON_ArrayForEach(o, list)
    {
        ArSweepResult *r = unpack_one(o);
        if (!r) {
            ok = FALSE;
            break;
        }
        g_ptr_array_add(into, r);
    }
    cJSON_Delete(a);
    if (!ok)
        g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_BAD_DATA, "a rank's sweep results could not be read back");
    return ok;
}
