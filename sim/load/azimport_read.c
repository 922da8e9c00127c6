/* azimport_read.c - reading export files into resources by kind, and the prefixes they hold. */
#include "azi.h"

#include <string.h>

/* The Azure "type" of each kind. */
static const char *const kind_types[AZK_COUNT] = {
    "Microsoft.Network/virtualNetworks", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    "Microsoft.Network/virtualNetworks/subnets", "Microsoft.Network/virtualHubs",
    "Microsoft.Network/virtualHubs/bgpConnections", "Microsoft.Network/virtualHubs/ipConfigurations",
    "Microsoft.Network/virtualNetworkGateways", "Microsoft.Network/connections",
    "Microsoft.Network/localNetworkGateways", "Microsoft.Network/expressRouteCircuits",
    "Microsoft.Network/expressRouteCircuits/peerings", "Microsoft.Network/routeTables",
    "Microsoft.Network/routeTables/routes",
};

/* ---- reading the files ---- */

static AzKind kind_of(const char *type)
{
    for (int k = 0; k < AZK_COUNT; k++)
        if (g_ascii_strcasecmp(type, kind_types[k]) == 0)
            return (AzKind)k;
    return AZK_COUNT;
}

/* Records one resource object, or says why it is skipped (or wrong). */
static void add_resource(AzCtx *c, AzFile *f, const cJSON *obj)
{
    if (!cJSON_IsObject(obj)) {
        azi_az_diag(c, DIAG_ERROR, f, obj, "expected an Azure resource object (with \"type\" and \"name\"), got %s",
                load_type_name(obj));
        return;
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "type");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, "name");
    if (!cJSON_IsString(t) || !cJSON_IsString(n)) {
        azi_az_diag(c, DIAG_ERROR, f, obj, "expected an Azure resource object: \"type\" and \"name\" strings, as "
                "'az network ... list -o json' prints them");
        return;
    }
    AzKind k = kind_of(t->valuestring);
    if (k == AZK_COUNT) {
        const char *shown = f->arm ? azi_eval_quiet(c, f, n->valuestring) : NULL;
        azi_az_diag(c, DIAG_WARNING, f, obj, "skipped %s \"%s\": kind not modelled by arsim", t->valuestring,
                shown ? shown : n->valuestring);
        return;
    }
    AzRes *r = g_new0(AzRes, 1);
    r->f = f;
    r->obj = obj;
    const char *full = azi_sval(c, f, n);
    if (!full) {
        g_free(r);
        return;
    }
    /* A child resource is named "parent/child" in templates; the CLI gives its parent in "id". */
    const char *slash = strrchr(full, '/');
    r->name = g_string_chunk_insert(c->strings, slash ? slash + 1 : full);
    if (slash) {
        g_autofree char *p = g_strndup(full, (gsize)(slash - full));
        r->parent = g_string_chunk_insert(c->strings, p);
    } else if (strchr(kind_types[k] + strlen("Microsoft.Network/"), '/')) {
        static const char *const parent_seg[AZK_COUNT] = {
            [AZK_PEERING] = "virtualNetworks", [AZK_SUBNET] = "virtualNetworks", [AZK_BGPCONN] = "virtualHubs",
            [AZK_HUBIPCONF] = "virtualHubs", [AZK_CIRCUITPEER] = "expressRouteCircuits", [AZK_ROUTE] = "routeTables",
        };
        r->parent = azi_id_part(c, azi_sval(c, f, cJSON_GetObjectItemCaseSensitive(obj, "id")), parent_seg[k]);
        if (!r->parent) {
            AZ_WARN(c, r, "skipped %s \"%s\": missing \"id\" naming its parent resource", kind_types[k], r->name);
            g_free(r);
            return;
        }
    }
    g_autofree char *key = g_strdup_printf("%d/%s/%s", k, r->parent ? r->parent : "", r->name);
    AzRes *first = g_hash_table_lookup(c->seen, key);
    if (first) {
        AZ_WARN(c, r, "skipped: %s \"%s\" is already imported from %s", kind_types[k], r->name, first->f->path);
        g_free(r);
        return;
    }
    g_hash_table_insert(c->seen, g_strdup(key), r);
    g_ptr_array_add(c->res[k], r);
}

/* Reads and parses one input file, kept in c->files (its positions for messages); f->root is NULL
 * when it could not be read or parsed (the diagnostic is reported). expect says what it should be. */
AzFile *azi_open_file(AzCtx *c, const char *path, const char *expect)
{
    AzFile *f = g_new0(AzFile, 1);
    f->path = g_strdup(path);
    g_ptr_array_add(c->files, f);
    GString *text = load_read(path, LOAD_DEFAULT_MAX_BYTES, c->diags);
    if (!text)
        return f;
    f->root = load_parse_text(path, text->str, text->len, LOAD_DEFAULT_MAX_BYTES, expect, FALSE, &f->ix, c->diags);
    g_string_free(text, TRUE);
    return f;
}

/* Reads and classifies one file. */
void azi_read_file(AzCtx *c, const char *path)
{
    static const char expect[] = "the JSON array an 'az network ... list -o json' command prints, or an ARM "
                                 "template from 'az group export'";
    AzFile *f = azi_open_file(c, path, expect);
    if (!f->root)
        return;
    if (cJSON_IsArray(f->root)) {
        for (const cJSON *o = f->root->child; o; o = o->next)
            add_resource(c, f, o);
        return;
    }
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(f->root, "resources");
    if (cJSON_IsObject(f->root) && res) {
        if (!cJSON_IsArray(res)) {
            azi_az_diag(c, DIAG_ERROR, f, res, "expected the template's resources as an array, got %s", load_type_name(res));
            return;
        }
        f->arm = TRUE;
        f->params = cJSON_GetObjectItemCaseSensitive(f->root, "parameters");
        f->vars = cJSON_GetObjectItemCaseSensitive(f->root, "variables");
        for (const cJSON *o = res->child; o; o = o->next)
            add_resource(c, f, o);
        return;
    }
    if (cJSON_IsObject(f->root) && cJSON_GetObjectItemCaseSensitive(f->root, "type")) {
        add_resource(c, f, f->root); /* one resource: 'az network ... show' */
        return;
    }
    azi_az_diag(c, DIAG_ERROR, f, f->root, "expected %s, got %s%s", expect, load_type_name(f->root),
            cJSON_IsObject(f->root) ? " without \"resources\" or \"type\"" : "");
}

/* ---- prefixes ---- */

/* Parses an IPv4 prefix; IPv6 ones are skipped with a warning (FALSE), bad ones are errors. */
gboolean azi_prefix_of(AzCtx *c, const AzRes *r, const cJSON *v, ArPrefix *out)
{
    const char *s = azi_sval(c, r->f, v);
    if (!s) {
        if (v && !cJSON_IsString(v))
            azi_az_diag(c, DIAG_ERROR, r->f, v, "expected an address prefix string (a.b.c.d/len), got %s", load_type_name(v));
        return FALSE;
    }
    if (strchr(s, ':')) {
        azi_az_diag(c, DIAG_WARNING, r->f, v, "skipped IPv6 prefix %s: arsim models IPv4", s);
        return FALSE;
    }
    PfxParse p = pfx_parse(s, out);
    if (p == PFX_HOST_BITS) {
        azi_az_diag(c, DIAG_WARNING, r->f, v, "%s has host bits set; imported as its network", s);
        return TRUE;
    }
    if (p != PFX_OK) {
        azi_az_diag(c, DIAG_ERROR, r->f, v, "expected an address prefix (a.b.c.d/len), got \"%s\"", s);
        return FALSE;
    }
    return TRUE;
}

cJSON *azi_prefix_json(ArPrefix p)
{
    char buf[PFX_STRLEN];
    return cJSON_CreateString(pfx_format(p, buf));
}

/* The imported VNet whose space holds ip, NULL when none. O(VNets x prefixes). */
AzVnet *azi_vnet_holding(AzCtx *c, uint32_t ip)
{
    for (guint i = 0; i < c->vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c->vnets, i);
        for (guint k = 0; k < v->prefixes->len; k++)
            if (pfx_contains_ip(g_array_index(v->prefixes, ArPrefix, k), ip))
                return v;
    }
    return NULL;
}

gboolean azi_vnet_holds(const AzVnet *v, uint32_t ip)
{
    for (guint k = 0; k < v->prefixes->len; k++)
        if (pfx_contains_ip(g_array_index(v->prefixes, ArPrefix, k), ip))
            return TRUE;
    return FALSE;
}
