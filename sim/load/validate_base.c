/* validate_base.c - the validator's shared ground: messages with positions, the generic object check, names. */
#include "validator.h"
#include "arsim/names.h"

#include <string.h>

const char *const vd_section_key[K_N] = { "vnets", "routeServers", "gateways", "nvas", "sites" };
const char *const vd_node_what[K_N] = { "VNet", "Route Server", "gateway", "NVA", "site" };

/* ---- messages ---------------------------------------------------------------------------- */

const char *vd_keep(Ctx *c, char *owned)
{
    g_ptr_array_add(c->scratch, owned);
    return owned;
}

const char *vd_quote(Ctx *c, const char *s)
{
    return vd_keep(c, load_quote(s ? s : "", 64));
}

/* Pointer base + "/" + escaped key. */
const char *vd_key_ptr(Ctx *c, const char *base, const char *key)
{
    GString *p = g_string_new(base);
    jpos_pointer_append(p, key);
    return vd_keep(c, g_string_free(p, FALSE));
}

const char *vd_index_ptr(Ctx *c, const char *base, int i)
{
    return vd_keep(c, g_strdup_printf("%s/%d", base, i));
}

/* A value error points at the value, a key error at the key; nodes made by --set have no offset
 * and are reported with line 0. */
void vd_report(Ctx *c, ArSeverity sev, const cJSON *node, gboolean key, const char *ptr, const char *fmt, ...)
{
    int line = 0, col = 0;
    long off = jpos_offset(c->ix, node, key);
    if (off >= 0)
        jpos_line_col(c->ix, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    diag_add(c->d, sev, c->file, line, col, ptr, "%s", msg);
}

#define ERR(c, node, ptr, ...) vd_report((c), DIAG_ERROR, (node), FALSE, (ptr), __VA_ARGS__)
#define WARN(c, node, ptr, ...) vd_report((c), DIAG_WARNING, (node), FALSE, (ptr), __VA_ARGS__)

const char *vd_src_ptr(Ctx *c, int kind, int index)
{
    const Src *sr = &g_array_index(c->src[kind], Src, index);
    return vd_keep(c, g_strdup_printf("/%s/%d", vd_section_key[kind], sr->at));
}

const char *vd_obj_name(Ctx *c, int kind, int index)
{
    GPtrArray *arr = kind == K_VNET ? c->s->vnets
                     : kind == K_RS ? c->s->route_servers
                     : kind == K_GW ? c->s->gateways
                     : kind == K_NVA ? c->s->nvas
                                     : c->s->sites;
    /* Every model object starts with its name (see scn_find). */
    return *(char *const *)g_ptr_array_index(arr, index);
}

/* "hub, spoke1" for "known: ...", built once per section: a file with many bad references would
 * otherwise cost O(n) per reference. */
const char *vd_known(Ctx *c, int kind)
{
    if (c->known[kind])
        return c->known[kind];
    GString *k = g_string_new(NULL);
    guint n = c->src[kind]->len, listed = 0, named = 0;
    for (guint i = 0; i < n; i++)
        named += vd_obj_name(c, kind, (int)i)[0] != '\0';
    for (guint i = 0; i < n; i++) {
        const char *nm = vd_obj_name(c, kind, (int)i);
        if (!nm[0])
            continue;
        if (listed == LOAD_KNOWN_MAX) {
            g_string_append_printf(k, ", ... (%u more)", named - listed);
            break;
        }
        if (listed)
            g_string_append(k, ", ");
        load_append_escaped(k, nm, LOAD_KNOWN_NAME_BYTES);
        listed++;
    }
    if (!listed)
        g_string_append(k, "(none)");
    c->known[kind] = g_string_free(k, FALSE);
    return c->known[kind];
}

/* ---- generic object checking ------------------------------------------------------------- */

static gboolean type_ok(const cJSON *v, ArFmtType t)
{
    switch (t) {
    case FMT_STRING: return cJSON_IsString(v);
    case FMT_BOOL: return cJSON_IsBool(v);
    case FMT_INT: return cJSON_IsNumber(v);
    case FMT_ARRAY: return cJSON_IsArray(v);
    case FMT_OBJECT: return cJSON_IsObject(v);
    case FMT_TIME: return cJSON_IsNumber(v) || cJSON_IsString(v);
    case FMT_ANY: return TRUE;
    }
    return FALSE;
}

static const char *type_label(ArFmtType t)
{
    static const char *const labels[] = { "a string", "a boolean", "an integer", "an array", "an object",
                                          "a duration (seconds, or a string such as \"90s\", \"5m\", \"250ms\")",
                                          "a value" };
    return labels[t];
}

int vd_spec_find(const ArFmtKey *spec, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(spec[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* The known key an unknown one was probably meant to be: same key in another case, within edit
 * distance 2, or a prefix of at least 4 bytes of one ("allowBranchToBranch"). NULL if none. */
static const char *suggest_key(const char *key, const ArFmtKey *spec, size_t n)
{
    const char *best = NULL;
    guint bestd = G_MAXUINT;
    size_t kl = strlen(key);
    for (size_t i = 0; i < n; i++) {
        const char *cand = spec[i].key;
        size_t cl = strlen(cand);
        guint d = g_ascii_strcasecmp(key, cand) == 0 ? 0 : names_edit_distance(key, cand, FALSE);
        if (d > 2 && kl >= 4 && cl >= 4 &&
            (g_ascii_strncasecmp(key, cand, MIN(kl, cl)) == 0))
            d = 3; /* accepted, but ranked after close typos */
        if (d <= 3 && d < bestd) {
            bestd = d;
            best = cand;
        }
    }
    return best;
}

static void unknown_key(Ctx *c, const cJSON *ch, const char *ptr, const ArFmtKey *spec, size_t n)
{
    const char *kptr = PK(c, ptr, ch->string);
    const char *sug = suggest_key(ch->string, spec, n);
    if (sug) {
        vd_report(c, DIAG_ERROR, ch, TRUE, kptr, "unknown key %s; did you mean \"%s\"?", Q(c, ch->string), sug);
        return;
    }
    GString *valid = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(valid, "%s%s", i ? ", " : "", spec[i].key);
    vd_report(c, DIAG_ERROR, ch, TRUE, kptr, "unknown key %s; valid keys here: %s", Q(c, ch->string), valid->str);
    g_string_free(valid, TRUE);
}

/* Checks that obj is an object whose keys are all in spec, none twice, each of its type, the
 * required ones present. Fills sr. Returns FALSE (reported) when obj is not an object at all. */
gboolean vd_check_object(Ctx *c, const cJSON *obj, const char *ptr, const ArFmtKey *spec, size_t n, Src *sr)
{
    memset(sr, 0, sizeof *sr);
    sr->obj = obj;
    if (!cJSON_IsObject(obj)) {
        ERR(c, obj, ptr, "expected an object, got %s", load_type_name(obj));
        return FALSE;
    }
    const cJSON *first[FMT_MAX_KEYS] = { 0 };
    for (const cJSON *ch = obj->child; ch; ch = ch->next) {
        int k = vd_spec_find(spec, n, ch->string);
        if (k < 0) {
            unknown_key(c, ch, ptr, spec, n);
            continue;
        }
        if (first[k]) {
            int line = 0, col = 0;
            jpos_line_col(c->ix, jpos_offset(c->ix, first[k], TRUE), &line, &col);
            if (line > 0)
                vd_report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string),
                       "duplicate key \"%s\" (first at line %d); remove one", spec[k].key, line);
            else
                vd_report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string), "duplicate key \"%s\"; remove one",
                       spec[k].key);
            continue;
        }
        first[k] = ch;
        sr->present |= 1u << k;
        if (!type_ok(ch, spec[k].type)) {
            ERR(c, ch, PK(c, ptr, ch->string), "expected %s, got %s", type_label(spec[k].type), load_type_name(ch));
            continue;
        }
        sr->f[k] = ch;
    }
    for (size_t k = 0; k < n; k++)
        if (spec[k].required && !first[k])
            ERR(c, obj, ptr, "missing required key \"%s\"", spec[k].key);
    return TRUE;
}

/* ---- references -------------------------------------------------------------------------- */

int vd_resolve_vnet(Ctx *c, const cJSON *v, const char *ptr)
{
    if (!v)
        return -1;
    gpointer hit = g_hash_table_lookup(c->vnet_names, v->valuestring);
    if (hit)
        return GPOINTER_TO_INT(hit) - 1;
    ERR(c, v, ptr, "no VNet named %s; known: %s", Q(c, v->valuestring), vd_known(c, K_VNET));
    return -1;
}

/* The node named by v, which must be of section want (K_RS, K_GW, K_NVA or K_SITE). */
int vd_resolve_node(Ctx *c, const cJSON *v, const char *ptr, int want)
{
    if (!v)
        return -1;
    const NodeRef *r = g_hash_table_lookup(c->node_names, v->valuestring);
    if (r && r->kind == want)
        return r->index;
    if (r)
        ERR(c, v, ptr, "no %s named %s (%s is %s %s); known: %s", vd_node_what[want], Q(c, v->valuestring),
            Q(c, v->valuestring), r->kind == K_NVA ? "an" : "a", vd_node_what[r->kind], vd_known(c, want));
    else
        ERR(c, v, ptr, "no %s named %s; known: %s", vd_node_what[want], Q(c, v->valuestring), vd_known(c, want));
    return -1;
}

/* Names of route servers, gateways, NVAs and sites share one namespace (node names). */
void vd_register_node(Ctx *c, const char *name, const cJSON *node, const char *ptr, int kind, int index)
{
    if (!name)
        return;
    const NodeRef *r = g_hash_table_lookup(c->node_names, name);
    if (r) {
        const char *other = vd_src_ptr(c, r->kind, r->index);
        ERR(c, node, ptr, "name %s is already used by %s%s", Q(c, name), other,
            r->kind != kind ? " (route servers, gateways, NVAs and sites share one namespace)" : "");
        return;
    }
    NodeRef *n = g_new(NodeRef, 1);
    n->kind = kind;
    n->index = index;
    g_hash_table_insert(c->node_names, (gpointer)name, n);
}

/* Records that VNet v holds a route server or gateway (host >= 0: route server index; else gateway
 * -2 - index), whatever else is wrong with it, so that peerings judge useRemoteGateways on it. */
void vd_add_host(Ctx *c, int v, int host)
{
    if (v < 0) {
        c->hosts_unresolved = TRUE;
        return;
    }
    int *slot = &g_array_index(c->vnet_host, int, v);
    if (*slot == -1)
        *slot = host;
}

Src *vd_add_src(Ctx *c, int kind, const Src *sr, int at)
{
    g_array_append_val(c->src[kind], *sr);
    Src *out = &g_array_index(c->src[kind], Src, c->src[kind]->len - 1);
    out->at = at;
    return out;
}

/* Every node name an event may use: scenario names, and the generated ones (docs/azure-rules.md). */
GHashTable *vd_node_names(Ctx *c)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const ArScenario *s = c->s;
    for (guint i = 0; i < s->route_servers->len; i++) {
        const ArRouteServer *r = g_ptr_array_index(s->route_servers, i);
        g_hash_table_add(t, g_strdup(r->name));
        g_hash_table_add(t, g_strdup_printf("%s/0", r->name));
        g_hash_table_add(t, g_strdup_printf("%s/1", r->name));
    }
    for (guint i = 0; i < s->gateways->len; i++) {
        const ArGateway *g = g_ptr_array_index(s->gateways, i);
        g_hash_table_add(t, g_strdup(g->name));
        if (g->type == GW_EXPRESSROUTE || g->active_active) { /* two instances (build.c) */
            g_hash_table_add(t, g_strdup_printf("%s/0", g->name));
            g_hash_table_add(t, g_strdup_printf("%s/1", g->name));
        }
    }
    for (guint i = 0; i < s->nvas->len; i++)
        g_hash_table_add(t, g_strdup(((ArNva *)g_ptr_array_index(s->nvas, i))->name));
    for (guint i = 0; i < s->sites->len; i++) {
        const ArSite *st = g_ptr_array_index(s->sites, i);
        g_hash_table_add(t, g_strdup(st->name));
        for (guint k = 0; k < st->connections->len; k++) {
            const ArConnection *cn = &g_array_index(st->connections, ArConnection, k);
            const ArConnection *owner = &g_array_index(st->connections, ArConnection, cn->circuit_of);
            if (cn->kind == CONN_EXPRESSROUTE && owner->target >= 0) {
                char *m = scn_msee_name(s, st, k); /* the circuit, and each link's MSEE */
                for (int l = 0; l < 2; l++)
                    g_hash_table_add(t, g_strdup_printf("%s/%s", m, scn_link_names[l]));
                g_hash_table_add(t, m);
            }
        }
    }
    return t;
}
