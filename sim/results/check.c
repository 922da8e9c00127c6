/* check.c - compares the simulation's az-shaped views with what Azure printed (arsim check). */
#include "arsim/check.h"

#include "arsim/prefix.h"

#include <stdarg.h>
#include <string.h>

static const char *const kind_names[CHK_KIND_COUNT] = { "learned", "advertised", "nic", "gateway" };

static const char *const kind_expect[CHK_KIND_COUNT] = {
    "the object 'az network routeserver peering list-learned-routes -o json' prints: "
    "{\"RouteServiceRole_IN_0\": [{\"network\", \"nextHop\", \"asPath\", \"origin\", ...}], ...}",
    "the object 'az network routeserver peering list-advertised-routes -o json' prints: "
    "{\"RouteServiceRole_IN_0\": [{\"network\", \"nextHop\", \"asPath\", \"origin\", ...}], ...}",
    "the object 'az network nic show-effective-route-table -o json' prints: "
    "{\"value\": [{\"addressPrefix\": [...], \"nextHopType\", \"nextHopIpAddress\": [...], \"source\", \"state\"}]}",
    "the object 'az network vnet-gateway list-learned-routes -o json' prints: "
    "{\"value\": [{\"localAddress\", \"network\", \"nextHop\", \"sourcePeer\", \"origin\", \"asPath\", \"weight\"}]}",
};

/* Properties compared, per kind (Azure's names), in the order they are reported. */
static const char *const bgp_fields[] = { "nextHop", "asPath", "origin" };
static const char *const nic_fields[] = { "nextHopType", "nextHopIpAddress", "source" };
#define CHK_FIELDS 3

const char *chk_kind_name(ArCheckKind k)
{
    g_assert(k < CHK_KIND_COUNT);
    return kind_names[k];
}

gboolean chk_kind_parse(const char *s, ArCheckKind *k)
{
    for (int i = 0; i < CHK_KIND_COUNT; i++)
        if (strcmp(s, kind_names[i]) == 0) {
            *k = (ArCheckKind)i;
            return TRUE;
        }
    return FALSE;
}

const char *chk_expect(ArCheckKind k)
{
    g_assert(k < CHK_KIND_COUNT);
    return kind_expect[k];
}

void chk_diff_free(gpointer p)
{
    ArCheckDiff *d = p;
    g_free(d->node);
    g_free(d->prefix);
    g_free(d->field);
    g_free(d->simulated);
    g_free(d->observed);
    g_free(d);
}

/* One route of a view, reduced to what is compared. */
typedef struct ChkRoute {
    char *key;              /* instance, prefix (and source peer): what pairs routes of both sides */
    char *node;             /* where, for the report */
    char *prefix;           /* canonical prefix */
    char *val[CHK_FIELDS];  /* the compared properties, as strings */
} ChkRoute;

static void chk_route_free(gpointer p)
{
    ChkRoute *r = p;
    g_free(r->key);
    g_free(r->node);
    g_free(r->prefix);
    for (int i = 0; i < CHK_FIELDS; i++)
        g_free(r->val[i]);
    g_free(r);
}

/* A view's routes in order, and by key. */
typedef struct ChkSide {
    GPtrArray *routes;   /* ChkRoute*, owned */
    GHashTable *by_key;  /* key -> ChkRoute* */
} ChkSide;

/* Where a shape error is reported. */
typedef struct ChkSrc {
    const char *file;     /* the observed file, or "(simulation)" */
    const JPosIndex *ix;  /* its positions, NULL for the simulation */
    ArDiagList *diags;    /* messages */
    int errors;           /* shape errors found in this file */
} ChkSrc;

static void shape_error(ChkSrc *s, const cJSON *node, const char *ptr, const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static void shape_error(ChkSrc *s, const cJSON *node, const char *ptr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    int line = 0, col = 0;
    if (s->ix && node)
        jpos_line_col(s->ix, jpos_offset(s->ix, node, FALSE), &line, &col);
    diag_add(s->diags, DIAG_ERROR, s->file, line, col, ptr, "%s", msg);
    s->errors++;
}

static const char *type_name(const cJSON *v)
{
    return cJSON_IsString(v) ? "a string" : cJSON_IsNumber(v) ? "a number" : cJSON_IsBool(v) ? "a boolean"
         : cJSON_IsNull(v) ? "null" : cJSON_IsArray(v) ? "an array" : cJSON_IsObject(v) ? "an object" : "nothing";
}

/* A required string member of entry (null allowed when nullable: it reads as ""); absent is an error. */
static const char *member_str(ChkSrc *s, const cJSON *entry, const char *ptr, const char *key, gboolean nullable)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, key);
    if (cJSON_IsString(v))
        return v->valuestring;
    if (nullable && cJSON_IsNull(v))
        return "";
    g_autofree char *p = g_strdup_printf("%s/%s", ptr, key);
    if (!v)
        shape_error(s, entry, ptr, "missing \"%s\" (a string)", key);
    else
        shape_error(s, v, p, "expected \"%s\" as a string, got %s", key, type_name(v));
    return NULL;
}

/* A prefix in canonical form, or NULL (error reported). */
static char *canon_prefix(ChkSrc *s, const cJSON *node, const char *ptr, const char *text)
{
    ArPrefix p;
    if (pfx_parse(text, &p) != PFX_OK) {
        shape_error(s, node, ptr, "expected an IPv4 prefix a.b.c.d/len, got \"%s\"", text);
        return NULL;
    }
    char buf[PFX_STRLEN];
    return g_strdup(pfx_format(p, buf));
}

static void side_add(ChkSrc *s, ChkSide *side, ChkRoute *r, const cJSON *node, const char *ptr)
{
    if (g_hash_table_contains(side->by_key, r->key)) {
        int line = 0, col = 0;
        if (s->ix)
            jpos_line_col(s->ix, jpos_offset(s->ix, node, FALSE), &line, &col);
        diag_add(s->diags, DIAG_WARNING, s->file, line, col, ptr, "%s at %s is listed twice; the first is compared",
                 r->prefix, r->node);
        chk_route_free(r);
        return;
    }
    g_ptr_array_add(side->routes, r);
    g_hash_table_insert(side->by_key, r->key, r);
}

/* Route Server peering views: one array per instance role. */
static void read_roles(ChkSrc *s, const char *label, const cJSON *doc, ChkSide *side)
{
    for (const cJSON *role = doc->child; role; role = role->next) {
        g_autoptr(GString) ptr = g_string_new("");
        jpos_pointer_append(ptr, role->string);
        if (!g_str_has_prefix(role->string, "RouteServiceRole_IN_")) {
            shape_error(s, role, ptr->str, "unexpected key \"%s\": expected RouteServiceRole_IN_0 and "
                        "RouteServiceRole_IN_1 (one list per Route Server instance)", role->string);
            continue;
        }
        if (!cJSON_IsArray(role)) {
            shape_error(s, role, ptr->str, "expected an array of routes, got %s", type_name(role));
            continue;
        }
        int i = 0;
        for (const cJSON *e = role->child; e; e = e->next, i++) {
            g_autofree char *ep = g_strdup_printf("%s/%d", ptr->str, i);
            if (!cJSON_IsObject(e)) {
                shape_error(s, e, ep, "expected a route object, got %s", type_name(e));
                continue;
            }
            const char *net = member_str(s, e, ep, "network", FALSE);
            const char *nh = member_str(s, e, ep, "nextHop", TRUE);
            const char *path = member_str(s, e, ep, "asPath", TRUE);
            const char *origin = member_str(s, e, ep, "origin", TRUE);
            g_autofree char *np = g_strdup_printf("%s/network", ep);
            char *pfx = net ? canon_prefix(s, cJSON_GetObjectItemCaseSensitive(e, "network"), np, net) : NULL;
            if (!pfx || !nh || !path || !origin) {
                g_free(pfx);
                continue;
            }
            ChkRoute *r = g_new0(ChkRoute, 1);
            r->prefix = pfx;
            r->node = g_strdup_printf("%s %s", label, role->string);
            r->key = g_strdup_printf("%s\n%s", role->string, pfx);
            r->val[0] = g_strdup(nh);
            r->val[1] = g_strdup(path);
            r->val[2] = g_strdup(origin);
            side_add(s, side, r, e, ep);
        }
    }
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One NIC effective route (Active only). */
static void read_nic_route(ChkSrc *s, const char *label, const cJSON *e, const char *ep, ChkSide *side)
{
    const char *state = member_str(s, e, ep, "state", TRUE);
    const char *type = member_str(s, e, ep, "nextHopType", FALSE);
    const char *source = member_str(s, e, ep, "source", TRUE);
    const cJSON *pfx = cJSON_GetObjectItemCaseSensitive(e, "addressPrefix");
    const cJSON *ips = cJSON_GetObjectItemCaseSensitive(e, "nextHopIpAddress");
    g_autofree char *pp = g_strdup_printf("%s/addressPrefix", ep);
    g_autofree char *ip = g_strdup_printf("%s/nextHopIpAddress", ep);
    if (!cJSON_IsArray(pfx)) {
        shape_error(s, pfx ? pfx : e, pfx ? pp : ep, "expected \"addressPrefix\" as an array of prefixes, got %s",
                    type_name(pfx));
        return;
    }
    if (ips && !cJSON_IsArray(ips) && !cJSON_IsNull(ips)) {
        shape_error(s, ips, ip, "expected \"nextHopIpAddress\" as an array of addresses, got %s", type_name(ips));
        return;
    }
    g_autoptr(GPtrArray) hops = g_ptr_array_new();
    for (const cJSON *h = cJSON_IsArray(ips) ? ips->child : NULL; h; h = h->next) {
        if (!cJSON_IsString(h)) {
            shape_error(s, h, ip, "expected next hop addresses as strings, got %s", type_name(h));
            return;
        }
        g_ptr_array_add(hops, h->valuestring);
    }
    if (!state || !type || !source || g_ascii_strcasecmp(state, "Invalid") == 0)
        return;
    g_ptr_array_sort(hops, cmp_str);
    g_ptr_array_add(hops, NULL);
    int k = 0;
    for (const cJSON *p = pfx->child; p; p = p->next, k++) {
        g_autofree char *pk = g_strdup_printf("%s/%d", pp, k);
        if (!cJSON_IsString(p)) {
            shape_error(s, p, pk, "expected a prefix string, got %s", type_name(p));
            continue;
        }
        char *c = canon_prefix(s, p, pk, p->valuestring);
        if (!c)
            continue;
        ChkRoute *r = g_new0(ChkRoute, 1);
        r->prefix = c;
        r->node = g_strdup(label);
        r->key = g_strdup(c);
        r->val[0] = g_strdup(type);
        r->val[1] = g_strjoinv(", ", (char **)hops->pdata);
        r->val[2] = g_strdup(source);
        side_add(s, side, r, e, ep);
    }
}

/* One gateway learned route. */
static void read_gateway_route(ChkSrc *s, const char *label, const cJSON *e, const char *ep, ChkSide *side)
{
    const char *local = member_str(s, e, ep, "localAddress", FALSE);
    const char *net = member_str(s, e, ep, "network", FALSE);
    const char *nh = member_str(s, e, ep, "nextHop", TRUE);
    const char *peer = member_str(s, e, ep, "sourcePeer", TRUE);
    const char *origin = member_str(s, e, ep, "origin", FALSE);
    const char *path = member_str(s, e, ep, "asPath", TRUE);
    g_autofree char *np = g_strdup_printf("%s/network", ep);
    char *pfx = net ? canon_prefix(s, cJSON_GetObjectItemCaseSensitive(e, "network"), np, net) : NULL;
    if (!pfx || !local || !nh || !peer || !origin || !path) {
        g_free(pfx);
        return;
    }
    ChkRoute *r = g_new0(ChkRoute, 1);
    r->prefix = pfx;
    r->node = g_strdup_printf("%s %s from %s", label, local, *peer ? peer : "?");
    r->key = g_strdup_printf("%s\n%s\n%s", local, pfx, peer);
    r->val[0] = g_strdup(nh);
    r->val[1] = g_strdup(path);
    r->val[2] = g_strdup(origin);
    side_add(s, side, r, e, ep);
}

/* Reads a view of kind k into side; FALSE when its shape is wrong (errors reported). */
static gboolean read_view(ArCheckKind k, const char *label, const cJSON *doc, ChkSrc *s, ChkSide *side)
{
    if (!cJSON_IsObject(doc)) {
        shape_error(s, doc, "", "expected %s; got %s", kind_expect[k], type_name(doc));
        return FALSE;
    }
    if (k == CHK_LEARNED || k == CHK_ADVERTISED) {
        read_roles(s, label, doc, side);
        return s->errors == 0;
    }
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(doc, "value");
    if (!cJSON_IsArray(value)) {
        if (value)
            shape_error(s, value, "/value", "expected \"value\" as an array of routes, got %s", type_name(value));
        else
            shape_error(s, doc, "", "missing \"value\": expected %s", kind_expect[k]);
        return FALSE;
    }
    int i = 0;
    for (const cJSON *e = value->child; e; e = e->next, i++) {
        g_autofree char *ep = g_strdup_printf("/value/%d", i);
        if (!cJSON_IsObject(e))
            shape_error(s, e, ep, "expected a route object, got %s", type_name(e));
        else if (k == CHK_NIC)
            read_nic_route(s, label, e, ep, side);
        else
            read_gateway_route(s, label, e, ep, side);
    }
    return s->errors == 0;
}

static void side_init(ChkSide *s)
{
    s->routes = g_ptr_array_new_with_free_func(chk_route_free);
    s->by_key = g_hash_table_new(g_str_hash, g_str_equal);
}

static void side_clear(ChkSide *s)
{
    g_hash_table_destroy(s->by_key);
    g_ptr_array_free(s->routes, TRUE);
}

/* "nextHop 10.1.1.4, asPath 65001, origin EBgp": a route present on one side only. */
static char *route_summary(ArCheckKind k, const ChkRoute *r)
{
    const char *const *names = k == CHK_NIC ? nic_fields : bgp_fields;
    GString *b = g_string_new("");
    for (int i = 0; i < CHK_FIELDS; i++)
        g_string_append_printf(b, "%s%s %s", i ? ", " : "", names[i], *r->val[i] ? r->val[i] : "\"\"");
    return g_string_free(b, FALSE);
}

static void add_diff(GPtrArray *diffs, const ChkRoute *r, const char *field, char *sim, char *obs)
{
    ArCheckDiff *d = g_new0(ArCheckDiff, 1);
    d->node = g_strdup(r->node);
    d->prefix = g_strdup(r->prefix);
    d->field = g_strdup(field);
    d->simulated = sim;
    d->observed = obs;
    g_ptr_array_add(diffs, d);
}

guint chk_compare(ArCheckKind k, const char *label, const cJSON *sim, const cJSON *obs, const char *file,
                  const JPosIndex *ix, GPtrArray *diffs, ArDiagList *diags)
{
    g_assert(k < CHK_KIND_COUNT);
    ChkSide a, b;
    side_init(&a);
    side_init(&b);
    ChkSrc ssim = { "(simulation)", NULL, diags, 0 };
    ChkSrc sobs = { file, ix, diags, 0 };
    gboolean ok_sim = read_view(k, label, sim, &ssim, &a);
    g_assert(ok_sim); /* the output stage makes the simulated views in this very shape */
    guint compared = 0;
    if (read_view(k, label, obs, &sobs, &b)) {
        const char *const *names = k == CHK_NIC ? nic_fields : bgp_fields;
        for (guint i = 0; i < a.routes->len; i++) {
            const ChkRoute *r = g_ptr_array_index(a.routes, i);
            const ChkRoute *o = g_hash_table_lookup(b.by_key, r->key);
            if (!o) {
                add_diff(diffs, r, NULL, route_summary(k, r), NULL);
                continue;
            }
            compared++;
            for (int f = 0; f < CHK_FIELDS; f++)
                if (strcmp(r->val[f], o->val[f]) != 0)
                    add_diff(diffs, r, names[f], g_strdup(r->val[f]), g_strdup(o->val[f]));
        }
        for (guint i = 0; i < b.routes->len; i++) {
            const ChkRoute *o = g_ptr_array_index(b.routes, i);
            if (!g_hash_table_contains(a.by_key, o->key))
                add_diff(diffs, o, NULL, NULL, route_summary(k, o));
        }
    }
    side_clear(&a);
    side_clear(&b);
    return compared;
}
