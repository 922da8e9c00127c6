/* azimport.c - maps Azure's exported resources (CLI lists, ARM templates) to a scenario document. */
#include "arsim/azimport.h"

#include "arsim/prefix.h"
#include "load_priv.h"

#include <stdarg.h>
#include <string.h>

/* The resource kinds arsim reads, by their Azure "type". */
typedef enum AzKind {
    K_VNET = 0,     /* Microsoft.Network/virtualNetworks */
    K_PEERING,      /* .../virtualNetworks/virtualNetworkPeerings (az network vnet peering list) */
    K_SUBNET,       /* .../virtualNetworks/subnets (templates list them apart) */
    K_HUB,          /* Microsoft.Network/virtualHubs: a Route Server (az network routeserver list) */
    K_BGPCONN,      /* .../virtualHubs/bgpConnections (az network routeserver peering list) */
    K_HUBIPCONF,    /* .../virtualHubs/ipConfigurations: the Route Server's subnet */
    K_GATEWAY,      /* Microsoft.Network/virtualNetworkGateways (az network vnet-gateway list) */
    K_CONNECTION,   /* Microsoft.Network/connections (az network vpn-connection list) */
    K_LNG,          /* Microsoft.Network/localNetworkGateways (az network local-gateway list) */
    K_CIRCUIT,      /* Microsoft.Network/expressRouteCircuits (az network express-route list) */
    K_CIRCUITPEER,  /* .../expressRouteCircuits/peerings (templates) */
    K_ROUTETABLE,   /* Microsoft.Network/routeTables (az network route-table list) */
    K_ROUTE,        /* .../routeTables/routes (templates) */
    K_COUNT
} AzKind;

static const char *const kind_types[K_COUNT] = {
    "Microsoft.Network/virtualNetworks", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    "Microsoft.Network/virtualNetworks/subnets", "Microsoft.Network/virtualHubs",
    "Microsoft.Network/virtualHubs/bgpConnections", "Microsoft.Network/virtualHubs/ipConfigurations",
    "Microsoft.Network/virtualNetworkGateways", "Microsoft.Network/connections",
    "Microsoft.Network/localNetworkGateways", "Microsoft.Network/expressRouteCircuits",
    "Microsoft.Network/expressRouteCircuits/peerings", "Microsoft.Network/routeTables",
    "Microsoft.Network/routeTables/routes",
};

/* One export file, kept parsed for positions in messages. */
typedef struct AzFile {
    char *path;          /* as found in the folder */
    cJSON *root;         /* its tree */
    JPosIndex *ix;       /* positions of its nodes */
    gboolean arm;        /* an ARM template: names and ids may be expressions */
    const cJSON *params; /* the template's "parameters" (defaultValue of each), NULL otherwise */
    const cJSON *vars;   /* the template's "variables", NULL otherwise */
} AzFile;

/* One resource object of a recognised kind. */
typedef struct AzRes {
    AzFile *f;           /* the file it is in */
    const cJSON *obj;    /* the object */
    const char *name;    /* its own name (last segment), interned */
    const char *parent;  /* the parent resource's name for child kinds, else NULL */
    const char *out;     /* name written to the scenario (sanitised, unique), NULL when skipped */
} AzRes;

/* A VNet being imported. */
typedef struct AzVnet {
    AzRes *r;            /* its resource */
    GArray *prefixes;    /* ArPrefix, IPv4 address space */
    cJSON *subnets;      /* scenario subnets with a route table (built last) */
    GPtrArray *subs;     /* const cJSON* subnet objects (inline and child resources) */
    gboolean has_hub;    /* holds an imported gateway or Route Server */
    gboolean has_rs;     /* holds an imported Route Server */
} AzVnet;

typedef struct AzCtx {
    ArDiagList *diags;       /* where messages go */
    GPtrArray *files;        /* AzFile* */
    GStringChunk *strings;   /* interned strings (names, evaluated expressions) */
    GPtrArray *res[K_COUNT]; /* AzRes* per kind, in file order */
    GHashTable *seen;        /* "kind/parent/name" -> AzRes*: the first copy of a resource */
    GPtrArray *vnets;        /* AzVnet* in import order */
    GHashTable *vnet_by;     /* Azure VNet name -> AzVnet* */
    GHashTable *nodes;       /* scenario node names in use (one namespace) */
    GHashTable *rs_by;       /* Azure hub name -> AzRes* imported as a Route Server */
    GHashTable *gw_by;       /* Azure gateway name -> AzRes* imported */
    GHashTable *rs_vnet;     /* Azure hub name -> AzVnet* */
    GHashTable *gw_type;     /* Azure gateway name -> "Vpn" or "ExpressRoute" */
    cJSON *out_rs, *out_gw, *out_nva, *out_site; /* scenario sections being built */
} AzCtx;

/* ---- messages ---- */

/* Finds the JSON pointer of node under root by a depth-first walk. O(tree): messages only. */
static gboolean find_ptr(const cJSON *root, const cJSON *node, GString *ptr)
{
    if (root == node)
        return TRUE;
    int i = 0;
    for (const cJSON *ch = root->child; ch; ch = ch->next, i++) {
        gsize len = ptr->len;
        if (cJSON_IsObject(root)) {
            jpos_pointer_append(ptr, ch->string);
        } else {
            char idx[16];
            g_snprintf(idx, sizeof idx, "%d", i);
            jpos_pointer_append(ptr, idx);
        }
        if (find_ptr(ch, node, ptr))
            return TRUE;
        g_string_truncate(ptr, len);
    }
    return FALSE;
}

static void az_diag(AzCtx *c, ArSeverity sev, const AzFile *f, const cJSON *node, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);

static void az_diag(AzCtx *c, ArSeverity sev, const AzFile *f, const cJSON *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autoptr(GString) ptr = g_string_new("");
    int line = 0, col = 0;
    if (node && f->root) {
        find_ptr(f->root, node, ptr);
        jpos_line_col(f->ix, jpos_offset(f->ix, node, FALSE), &line, &col);
    }
    diag_add(c->diags, sev, f->path, line, col, ptr->str, "%s", msg);
}

#define AZ_WARN(c, r, ...) az_diag((c), DIAG_WARNING, (r)->f, (r)->obj, __VA_ARGS__)

/* ---- values: CLI objects are flat, template objects keep them under "properties" ---- */

static const cJSON *jget(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(obj, "properties");
        if (cJSON_IsObject(props))
            v = cJSON_GetObjectItemCaseSensitive(props, key);
    }
    return cJSON_IsNull(v) ? NULL : v;
}

static const char *eval_expr(AzCtx *c, const AzFile *f, const char **s);

/* A quoted template string literal ('' is a quote). */
static const char *eval_literal(AzCtx *c, const char **s)
{
    GString *b = g_string_new("");
    for (const char *p = *s + 1; *p; p++) {
        if (*p == '\'' && p[1] == '\'') {
            g_string_append_c(b, '\'');
            p++;
        } else if (*p == '\'') {
            *s = p + 1;
            const char *r = g_string_chunk_insert(c->strings, b->str);
            g_string_free(b, TRUE);
            return r;
        } else {
            g_string_append_c(b, *p);
        }
    }
    g_string_free(b, TRUE);
    return NULL;
}

/* Value of a template's parameter (its defaultValue) or variable, when a string. */
static const char *eval_lookup(AzCtx *c, const cJSON *section, const char *name, gboolean param)
{
    const cJSON *v = section ? cJSON_GetObjectItemCaseSensitive(section, name) : NULL;
    if (param && cJSON_IsObject(v))
        v = cJSON_GetObjectItemCaseSensitive(v, "defaultValue");
    return cJSON_IsString(v) ? g_string_chunk_insert(c->strings, v->valuestring) : NULL;
}

/* resourceId([subscriptionId,] [resourceGroup,] 'Namespace/type/child', name, childName). */
static const char *eval_resource_id(AzCtx *c, GPtrArray *args)
{
    for (guint i = 0; i < args->len; i++) {
        const char *a = g_ptr_array_index(args, i);
        if (!strchr(a, '/'))
            continue;
        g_auto(GStrv) parts = g_strsplit(a, "/", -1);
        guint nparts = g_strv_length(parts);
        if (nparts < 2 || args->len - i - 1 != nparts - 1)
            return NULL;
        GString *id = g_string_new("/subscriptions/-/resourceGroups/-/providers/");
        g_string_append(id, parts[0]);
        for (guint k = 1; k < nparts; k++)
            g_string_append_printf(id, "/%s/%s", parts[k], (const char *)g_ptr_array_index(args, i + k));
        const char *r = g_string_chunk_insert(c->strings, id->str);
        g_string_free(id, TRUE);
        return r;
    }
    return NULL;
}

/* One expression: 'literal' or fn(args). Functions: parameters, variables, concat, resourceId. */
static const char *eval_expr(AzCtx *c, const AzFile *f, const char **s)
{
    while (**s == ' ')
        (*s)++;
    if (**s == '\'')
        return eval_literal(c, s);
    const char *start = *s;
    while (g_ascii_isalnum(**s))
        (*s)++;
    g_autofree char *fn = g_strndup(start, (gsize)(*s - start));
    if (**s != '(')
        return NULL;
    (*s)++;
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    while (**s == ' ')
        (*s)++;
    while (**s && **s != ')') {
        const char *a = eval_expr(c, f, s);
        if (!a)
            return NULL;
        g_ptr_array_add(args, (gpointer)a);
        while (**s == ' ')
            (*s)++;
        if (**s == ',')
            (*s)++;
        else if (**s != ')')
            return NULL;
    }
    if (**s != ')')
        return NULL;
    (*s)++;
    if (g_ascii_strcasecmp(fn, "parameters") == 0 && args->len == 1)
        return eval_lookup(c, f->params, g_ptr_array_index(args, 0), TRUE);
    if (g_ascii_strcasecmp(fn, "variables") == 0 && args->len == 1)
        return eval_lookup(c, f->vars, g_ptr_array_index(args, 0), FALSE);
    if (g_ascii_strcasecmp(fn, "concat") == 0) {
        GString *b = g_string_new("");
        for (guint i = 0; i < args->len; i++)
            g_string_append(b, g_ptr_array_index(args, i));
        const char *r = g_string_chunk_insert(c->strings, b->str);
        g_string_free(b, TRUE);
        return r;
    }
    if (g_ascii_strcasecmp(fn, "resourceId") == 0)
        return eval_resource_id(c, args);
    return NULL;
}

/* A template string's value without a warning when it cannot be evaluated (NULL then). */
static const char *eval_quiet(AzCtx *c, const AzFile *f, const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '[' || s[n - 1] != ']' || s[1] == '[')
        return NULL;
    g_autofree char *inner = g_strndup(s + 1, n - 2);
    const char *p = inner;
    const char *r = eval_expr(c, f, &p);
    return r && !*p ? r : NULL;
}

/* A string value; in a template, "[expr]" is evaluated ("[[" escapes a bracket). NULL when v is no
 * string or the expression is beyond arsim's evaluator (then a warning says so). */
static const char *sval(AzCtx *c, const AzFile *f, const cJSON *v)
{
    if (!cJSON_IsString(v))
        return NULL;
    const char *s = v->valuestring;
    size_t n = strlen(s);
    if (!f->arm || n < 2 || s[0] != '[' || s[n - 1] != ']')
        return s;
    if (s[1] == '[')
        return g_string_chunk_insert(c->strings, s + 1);
    const char *r = eval_quiet(c, f, s);
    if (!r) {
        az_diag(c, DIAG_WARNING, f, v, "template expression not understood (arsim evaluates parameters(), "
                "variables(), concat() and resourceId()); the value is ignored");
        return NULL;
    }
    return r;
}

static const char *str_of(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key)
{
    return sval(c, r->f, jget(obj, key));
}

/* The "id" of {"id": ...} at key (a SubResource), evaluated. */
static const char *ref_id(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key)
{
    const cJSON *ref = jget(obj, key);
    return cJSON_IsObject(ref) ? sval(c, r->f, cJSON_GetObjectItemCaseSensitive(ref, "id")) : NULL;
}

/* The name after "/seg/" in an Azure resource id (segments compare without case), interned. */
static const char *id_part(AzCtx *c, const char *id, const char *seg)
{
    if (!id)
        return NULL;
    g_auto(GStrv) parts = g_strsplit(id, "/", -1);
    for (guint i = 0; parts[i] && parts[i + 1]; i++)
        if (g_ascii_strcasecmp(parts[i], seg) == 0 && *parts[i + 1])
            return g_string_chunk_insert(c->strings, parts[i + 1]);
    return NULL;
}

/* A boolean property; missing or not boolean: def. A wrong type is reported as an error. */
static gboolean bool_of(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key, gboolean def)
{
    const cJSON *v = jget(obj, key);
    if (!v)
        return def;
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v);
    const char *s = sval(c, r->f, v);
    if (s && (g_ascii_strcasecmp(s, "true") == 0 || g_ascii_strcasecmp(s, "false") == 0))
        return g_ascii_strcasecmp(s, "true") == 0;
    az_diag(c, DIAG_ERROR, r->f, v, "expected a boolean (\"%s\"), got %s", key, load_type_name(v));
    return def;
}

/* An ASN property (a number, or a numeric string in some CLI versions); 0 when absent. */
static uint32_t asn_of(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key)
{
    const cJSON *v = jget(obj, key);
    if (!v)
        return 0;
    double d = -1;
    if (cJSON_IsNumber(v))
        d = v->valuedouble;
    else if (cJSON_IsString(v) && *v->valuestring)
        d = g_ascii_strtod(v->valuestring, NULL);
    if (d < 1 || d > 4294967295.0 || d != (double)(uint32_t)d) {
        az_diag(c, DIAG_ERROR, r->f, v, "expected an AS number (\"%s\", 1..4294967295)", key);
        return 0;
    }
    return (uint32_t)d;
}

/* ---- names ---- */

/* Azure names may hold characters scenario names refuse (and be longer): those become '-'. */
static const char *clean_name(AzCtx *c, const AzRes *r, const char *name)
{
    char buf[81];
    size_t n = 0;
    for (const char *p = name; *p && n < 80; p++, n++)
        buf[n] = g_ascii_isalnum(*p) || (n > 0 && (*p == '_' || *p == '.' || *p == '-')) ? *p : '-';
    buf[n] = '\0';
    if (n == 0)
        g_strlcpy(buf, "unnamed", sizeof buf);
    if (strcmp(buf, name) != 0)
        AZ_WARN(c, r, "name \"%s\" written as \"%s\" (scenario names are [A-Za-z0-9][A-Za-z0-9_.-]{0,79})", name, buf);
    return g_string_chunk_insert(c->strings, buf);
}

/* A node name unique across Route Servers, gateways, NVAs and sites (Azure's namespaces are
 * per type, the scenario's is one): a taken name gets "-2", "-3"... */
static const char *node_name(AzCtx *c, const AzRes *r, const char *name)
{
    const char *base = clean_name(c, r, name);
    const char *out = base;
    for (int k = 2; g_hash_table_contains(c->nodes, out); k++) {
        g_autofree char *next = g_strdup_printf("%s-%d", base, k);
        out = g_string_chunk_insert(c->strings, next);
    }
    if (out != base)
        AZ_WARN(c, r, "\"%s\" is already a node name in the scenario; written as \"%s\"", base, out);
    g_hash_table_add(c->nodes, (gpointer)out);
    return out;
}

/* ---- reading the files ---- */

static AzKind kind_of(const char *type)
{
    for (int k = 0; k < K_COUNT; k++)
        if (g_ascii_strcasecmp(type, kind_types[k]) == 0)
            return (AzKind)k;
    return K_COUNT;
}

/* Records one resource object, or says why it is skipped (or wrong). */
static void add_resource(AzCtx *c, AzFile *f, const cJSON *obj)
{
    if (!cJSON_IsObject(obj)) {
        az_diag(c, DIAG_ERROR, f, obj, "expected an Azure resource object (with \"type\" and \"name\"), got %s",
                load_type_name(obj));
        return;
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "type");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(obj, "name");
    if (!cJSON_IsString(t) || !cJSON_IsString(n)) {
        az_diag(c, DIAG_ERROR, f, obj, "expected an Azure resource object: \"type\" and \"name\" strings, as "
                "'az network ... list -o json' prints them");
        return;
    }
    AzKind k = kind_of(t->valuestring);
    if (k == K_COUNT) {
        const char *shown = f->arm ? eval_quiet(c, f, n->valuestring) : NULL;
        az_diag(c, DIAG_WARNING, f, obj, "skipped %s \"%s\": kind not modelled by arsim", t->valuestring,
                shown ? shown : n->valuestring);
        return;
    }
    AzRes *r = g_new0(AzRes, 1);
    r->f = f;
    r->obj = obj;
    const char *full = sval(c, f, n);
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
        static const char *const parent_seg[K_COUNT] = {
            [K_PEERING] = "virtualNetworks", [K_SUBNET] = "virtualNetworks", [K_BGPCONN] = "virtualHubs",
            [K_HUBIPCONF] = "virtualHubs", [K_CIRCUITPEER] = "expressRouteCircuits", [K_ROUTE] = "routeTables",
        };
        r->parent = id_part(c, sval(c, f, cJSON_GetObjectItemCaseSensitive(obj, "id")), parent_seg[k]);
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
static AzFile *open_file(AzCtx *c, const char *path, const char *expect)
{
    AzFile *f = g_new0(AzFile, 1);
    f->path = g_strdup(path);
    g_ptr_array_add(c->files, f);
    GString *text = load_read(path, LOAD_DEFAULT_MAX_BYTES, c->diags);
    if (!text)
        return f;
    f->root = load_parse_text(path, text->str, text->len, LOAD_DEFAULT_MAX_BYTES, expect, &f->ix, c->diags);
    g_string_free(text, TRUE);
    return f;
}

/* Reads and classifies one file. */
static void read_file(AzCtx *c, const char *path)
{
    static const char expect[] = "the JSON array an 'az network ... list -o json' command prints, or an ARM "
                                 "template from 'az group export'";
    AzFile *f = open_file(c, path, expect);
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
            az_diag(c, DIAG_ERROR, f, res, "expected the template's resources as an array, got %s", load_type_name(res));
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
    az_diag(c, DIAG_ERROR, f, f->root, "expected %s, got %s%s", expect, load_type_name(f->root),
            cJSON_IsObject(f->root) ? " without \"resources\" or \"type\"" : "");
}

/* ---- prefixes ---- */

/* Parses an IPv4 prefix; IPv6 ones are skipped with a warning (FALSE), bad ones are errors. */
static gboolean prefix_of(AzCtx *c, const AzRes *r, const cJSON *v, ArPrefix *out)
{
    const char *s = sval(c, r->f, v);
    if (!s) {
        if (v && !cJSON_IsString(v))
            az_diag(c, DIAG_ERROR, r->f, v, "expected an address prefix string (a.b.c.d/len), got %s", load_type_name(v));
        return FALSE;
    }
    if (strchr(s, ':')) {
        az_diag(c, DIAG_WARNING, r->f, v, "skipped IPv6 prefix %s: arsim models IPv4", s);
        return FALSE;
    }
    PfxParse p = pfx_parse(s, out);
    if (p == PFX_HOST_BITS) {
        az_diag(c, DIAG_WARNING, r->f, v, "%s has host bits set; imported as its network", s);
        return TRUE;
    }
    if (p != PFX_OK) {
        az_diag(c, DIAG_ERROR, r->f, v, "expected an address prefix (a.b.c.d/len), got \"%s\"", s);
        return FALSE;
    }
    return TRUE;
}

static cJSON *prefix_json(ArPrefix p)
{
    char buf[PFX_STRLEN];
    return cJSON_CreateString(pfx_format(p, buf));
}

/* The imported VNet whose space holds ip, NULL when none. O(VNets x prefixes). */
static AzVnet *vnet_holding(AzCtx *c, uint32_t ip)
{
    for (guint i = 0; i < c->vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c->vnets, i);
        for (guint k = 0; k < v->prefixes->len; k++)
            if (pfx_contains_ip(g_array_index(v->prefixes, ArPrefix, k), ip))
                return v;
    }
    return NULL;
}

static gboolean vnet_holds(const AzVnet *v, uint32_t ip)
{
    for (guint k = 0; k < v->prefixes->len; k++)
        if (pfx_contains_ip(g_array_index(v->prefixes, ArPrefix, k), ip))
            return TRUE;
    return FALSE;
}

/* ---- VNets ---- */

static void import_vnets(AzCtx *c)
{
    for (guint i = 0; i < c->res[K_VNET]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_VNET], i);
        const cJSON *space = jget(r->obj, "addressSpace");
        const cJSON *list = space ? jget(space, "addressPrefixes") : NULL;
        if (list && !cJSON_IsArray(list)) {
            az_diag(c, DIAG_ERROR, r->f, list, "expected addressSpace.addressPrefixes as an array, got %s",
                    load_type_name(list));
            continue;
        }
        AzVnet *v = g_new0(AzVnet, 1);
        v->r = r;
        v->prefixes = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
        v->subs = g_ptr_array_new();
        for (const cJSON *p = list ? list->child : NULL; p; p = p->next) {
            ArPrefix pf;
            if (prefix_of(c, r, p, &pf))
                g_array_append_val(v->prefixes, pf);
        }
        if (v->prefixes->len == 0) {
            AZ_WARN(c, r, "skipped virtual network \"%s\": missing field addressSpace.addressPrefixes (no IPv4 prefix)",
                    r->name);
            g_array_free(v->prefixes, TRUE);
            g_ptr_array_free(v->subs, TRUE);
            g_free(v);
            continue;
        }
        r->out = clean_name(c, r, r->name);
        const cJSON *subs = jget(r->obj, "subnets");
        for (const cJSON *s = cJSON_IsArray(subs) ? subs->child : NULL; s; s = s->next)
            if (cJSON_IsObject(s))
                g_ptr_array_add(v->subs, (gpointer)s);
        g_ptr_array_add(c->vnets, v);
        g_hash_table_insert(c->vnet_by, (gpointer)r->name, v);
    }
    /* Subnets listed as resources of their own (templates) join their VNet's inline ones. */
    for (guint i = 0; i < c->res[K_SUBNET]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_SUBNET], i);
        AzVnet *v = g_hash_table_lookup(c->vnet_by, r->parent);
        if (!v)
            continue;
        gboolean dup = FALSE;
        for (guint k = 0; k < v->subs->len && !dup; k++) {
            const char *n = str_of(c, r, g_ptr_array_index(v->subs, k), "name");
            dup = n && strcmp(n, r->name) == 0;
        }
        if (!dup)
            g_ptr_array_add(v->subs, (gpointer)r->obj);
    }
}

/* The VNet whose subnet lists an IP configuration of resource NAME of type seg (virtualHubs,
 * virtualNetworkGateways): where Azure placed it. */
static AzVnet *vnet_by_ipconfig(AzCtx *c, const char *seg, const char *name)
{
    for (guint i = 0; i < c->vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c->vnets, i);
        for (guint k = 0; k < v->subs->len; k++) {
            const cJSON *cfgs = jget(g_ptr_array_index(v->subs, k), "ipConfigurations");
            for (const cJSON *ip = cJSON_IsArray(cfgs) ? cfgs->child : NULL; ip; ip = ip->next) {
                const char *owner = id_part(c, sval(c, v->r->f, cJSON_GetObjectItemCaseSensitive(ip, "id")), seg);
                if (owner && strcmp(owner, name) == 0)
                    return v;
            }
        }
    }
    return NULL;
}

/* ---- Route Servers ---- */

static const char *hub_pref_name(const char *s)
{
    static const char *const names[] = { "ExpressRoute", "VpnGateway", "ASPath" };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (g_ascii_strcasecmp(s, names[i]) == 0)
            return names[i];
    return NULL;
}

/* Two router addresses inside v, else FALSE (arsim then chooses them). */
static gboolean router_ips(AzCtx *c, const AzRes *r, const cJSON *list, const AzVnet *v, cJSON *out)
{
    uint32_t ip[2];
    int n = 0;
    for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next, n++) {
        const char *s = sval(c, r->f, e);
        if (n >= 2 || !s || !ip_parse(s, &ip[n]) || !vnet_holds(v, ip[n]))
            return FALSE;
    }
    if (n != 2 || ip[0] == ip[1])
        return FALSE;
    cJSON *arr = cJSON_AddArrayToObject(out, "virtualRouterIps");
    for (int k = 0; k < 2; k++) {
        char buf[IP_STRLEN];
        cJSON_AddItemToArray(arr, cJSON_CreateString(ip_format(ip[k], buf)));
    }
    return TRUE;
}

static void import_route_servers(AzCtx *c)
{
    for (guint i = 0; i < c->res[K_HUB]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_HUB], i);
        if (jget(r->obj, "virtualWan")) {
            AZ_WARN(c, r, "skipped virtual hub \"%s\": a Virtual WAN hub (it has \"virtualWan\"), not a Route "
                    "Server; kind not modelled", r->name);
            continue;
        }
        AzVnet *v = vnet_by_ipconfig(c, "virtualHubs", r->name);
        for (guint k = 0; !v && k < c->res[K_HUBIPCONF]->len; k++) {
            AzRes *ipc = g_ptr_array_index(c->res[K_HUBIPCONF], k);
            const char *vn = strcmp(ipc->parent, r->name) == 0
                                 ? id_part(c, ref_id(c, ipc, ipc->obj, "subnet"), "virtualNetworks") : NULL;
            v = vn ? g_hash_table_lookup(c->vnet_by, vn) : NULL;
        }
        const cJSON *ips = jget(r->obj, "virtualRouterIps");
        if (!v && cJSON_IsArray(ips) && ips->child) {
            uint32_t a;
            const char *s = sval(c, r->f, ips->child);
            if (s && ip_parse(s, &a))
                v = vnet_holding(c, a);
        }
        if (!v) {
            AZ_WARN(c, r, "skipped Route Server \"%s\": cannot tell its VNet (no imported VNet lists its ip "
                    "configuration in a RouteServerSubnet, and no imported VNet holds its virtualRouterIps)", r->name);
            continue;
        }
        if (v->has_rs) {
            AZ_WARN(c, r, "skipped Route Server \"%s\": VNet \"%s\" already has one", r->name, v->r->name);
            continue;
        }
        uint32_t asn = asn_of(c, r, r->obj, "virtualRouterAsn");
        if (asn && asn != 65515)
            AZ_WARN(c, r, "virtualRouterAsn %u: arsim's Route Server always has 65515", asn);
        cJSON *o = cJSON_CreateObject();
        r->out = node_name(c, r, r->name);
        cJSON_AddStringToObject(o, "name", r->out);
        cJSON_AddStringToObject(o, "vnet", v->r->out);
        cJSON_AddBoolToObject(o, "allowBranchToBranchTraffic", bool_of(c, r, r->obj, "allowBranchToBranchTraffic", FALSE));
        const cJSON *pv = jget(r->obj, "hubRoutingPreference");
        const char *pref = sval(c, r->f, pv);
        if (pref && hub_pref_name(pref))
            cJSON_AddStringToObject(o, "hubRoutingPreference", hub_pref_name(pref));
        else if (pv)
            az_diag(c, DIAG_ERROR, r->f, pv, "expected hubRoutingPreference \"ExpressRoute\", \"VpnGateway\" or \"ASPath\"");
        if (ips && !router_ips(c, r, ips, v, o))
            AZ_WARN(c, r, "virtualRouterIps are not two addresses inside VNet \"%s\": arsim chooses them", v->r->name);
        cJSON_AddItemToArray(c->out_rs, o);
        v->has_hub = TRUE;
        g_hash_table_insert(c->rs_by, (gpointer)r->name, r);
        g_hash_table_insert(c->rs_vnet, (gpointer)r->name, v);
        v->has_rs = TRUE;
    }
}

/* ---- gateways ---- */

/* The instance addresses of a VPN gateway's BGP settings (bgpPeeringAddresses[].defaultBgpIpAddresses,
 * else bgpPeeringAddress "a,b"); added when there is one per instance, inside the VNet. */
static void gateway_ips(AzCtx *c, const AzRes *r, const cJSON *bgp, const AzVnet *v, int instances, cJSON *out)
{
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
    const cJSON *addrs = jget(bgp, "bgpPeeringAddresses");
    for (const cJSON *a = cJSON_IsArray(addrs) ? addrs->child : NULL; a; a = a->next) {
        const cJSON *def = jget(a, "defaultBgpIpAddresses");
        const char *s = cJSON_IsArray(def) && def->child ? sval(c, r->f, def->child) : NULL;
        if (s)
            g_ptr_array_add(found, g_strdup(s));
    }
    const char *joined = str_of(c, r, bgp, "bgpPeeringAddress");
    if (found->len == 0 && joined) {
        g_auto(GStrv) parts = g_strsplit(joined, ",", -1);
        for (guint k = 0; parts[k]; k++)
            g_ptr_array_add(found, g_strstrip(g_strdup(parts[k])));
    }
    if ((int)found->len != instances)
        return;
    uint32_t ip[2] = { 0, 0 };
    for (guint k = 0; k < found->len; k++)
        if (!ip_parse(g_ptr_array_index(found, k), &ip[k]) || !vnet_holds(v, ip[k]))
            return;
    if (instances == 2 && ip[0] == ip[1])
        return;
    cJSON *arr = cJSON_AddArrayToObject(out, "ipAddresses");
    for (guint k = 0; k < found->len; k++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(g_ptr_array_index(found, k)));
}

static void import_gateways(AzCtx *c)
{
    for (guint i = 0; i < c->res[K_GATEWAY]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_GATEWAY], i);
        const cJSON *tv = jget(r->obj, "gatewayType");
        const char *type = sval(c, r->f, tv);
        if (!type) {
            AZ_WARN(c, r, "skipped virtual network gateway \"%s\": missing field gatewayType", r->name);
            continue;
        }
        gboolean vpn = g_ascii_strcasecmp(type, "Vpn") == 0;
        if (!vpn && g_ascii_strcasecmp(type, "ExpressRoute") != 0) {
            AZ_WARN(c, r, "skipped virtual network gateway \"%s\": gatewayType \"%s\" not modelled (Vpn and "
                    "ExpressRoute are)", r->name, type);
            continue;
        }
        AzVnet *v = NULL;
        const cJSON *cfgs = jget(r->obj, "ipConfigurations");
        for (const cJSON *ip = cJSON_IsArray(cfgs) ? cfgs->child : NULL; ip && !v; ip = ip->next) {
            const char *vn = id_part(c, ref_id(c, r, ip, "subnet"), "virtualNetworks");
            v = vn ? g_hash_table_lookup(c->vnet_by, vn) : NULL;
        }
        if (!v)
            v = vnet_by_ipconfig(c, "virtualNetworkGateways", r->name);
        if (!v) {
            AZ_WARN(c, r, "skipped virtual network gateway \"%s\": cannot tell its VNet (missing field "
                    "ipConfigurations[].subnet.id naming an imported VNet's GatewaySubnet)", r->name);
            continue;
        }
        const char *tname = vpn ? "Vpn" : "ExpressRoute";
        g_autofree char *slot = g_strdup_printf("%s/%s", v->r->name, tname);
        if (g_hash_table_contains(c->gw_type, slot)) {
            AZ_WARN(c, r, "skipped virtual network gateway \"%s\": VNet \"%s\" already has a %s gateway", r->name,
                    v->r->name, tname);
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        r->out = node_name(c, r, r->name);
        cJSON_AddStringToObject(o, "name", r->out);
        cJSON_AddStringToObject(o, "vnet", v->r->out);
        cJSON_AddStringToObject(o, "type", tname);
        if (vpn) {
            gboolean aa = bool_of(c, r, r->obj, "activeActive", FALSE);
            cJSON_AddBoolToObject(o, "activeActive", aa);
            const cJSON *bgp = jget(r->obj, "bgpSettings");
            uint32_t asn = bgp ? asn_of(c, r, bgp, "asn") : 0;
            if (asn)
                cJSON_AddNumberToObject(o, "asn", asn);
            if (bgp)
                gateway_ips(c, r, bgp, v, aa ? 2 : 1, o);
        }
        cJSON_AddItemToArray(c->out_gw, o);
        v->has_hub = TRUE;
        g_hash_table_insert(c->gw_type, g_strdup(slot), (gpointer)tname);
        g_hash_table_insert(c->gw_type, g_strdup(r->name), (gpointer)tname);
        g_hash_table_insert(c->gw_by, (gpointer)r->name, r);
    }
}

/* ---- NVAs: the Route Server's BGP connections ---- */

static void import_nvas(AzCtx *c)
{
    for (guint i = 0; i < c->res[K_BGPCONN]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_BGPCONN], i);
        AzRes *hub = g_hash_table_lookup(c->rs_by, r->parent);
        if (!hub) {
            AZ_WARN(c, r, "skipped Route Server peering \"%s\": its Route Server \"%s\" is not imported", r->name,
                    r->parent);
            continue;
        }
        const cJSON *ipv = jget(r->obj, "peerIp");
        const char *ips = sval(c, r->f, ipv);
        uint32_t asn = asn_of(c, r, r->obj, "peerAsn");
        uint32_t ip;
        if (!ips || !asn) {
            AZ_WARN(c, r, "skipped Route Server peering \"%s\": missing field %s", r->name, !ips ? "peerIp" : "peerAsn");
            continue;
        }
        if (!ip_parse(ips, &ip)) {
            az_diag(c, DIAG_ERROR, r->f, ipv, "expected peerIp as an IPv4 address, got \"%s\"", ips);
            continue;
        }
        AzVnet *rsv = g_hash_table_lookup(c->rs_vnet, hub->name);
        AzVnet *v = vnet_holds(rsv, ip) ? rsv : vnet_holding(c, ip);
        if (!v) {
            AZ_WARN(c, r, "skipped Route Server peering \"%s\": peerIp %s is in no imported VNet", r->name, ips);
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        r->out = node_name(c, r, r->name);
        cJSON_AddStringToObject(o, "name", r->out);
        cJSON_AddStringToObject(o, "vnet", v->r->out);
        cJSON_AddStringToObject(o, "ipAddress", ips);
        cJSON_AddNumberToObject(o, "asn", asn);
        cJSON_AddStringToObject(o, "routeServer", hub->out);
        cJSON_AddItemToArray(c->out_nva, o);
    }
}

/* ---- sites: local network gateways and ExpressRoute circuits, through connections ---- */

static cJSON *find_named(cJSON *arr, const char *name)
{
    for (cJSON *o = arr->child; o; o = o->next) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
            return o;
    }
    return NULL;
}

/* The site for resource r (created on first use, keyed by the resource). */
static cJSON *site_for(AzCtx *c, AzRes *r, GHashTable *sites, uint32_t asn)
{
    cJSON *o = g_hash_table_lookup(sites, r);
    if (o)
        return o;
    o = cJSON_CreateObject();
    r->out = node_name(c, r, r->name);
    cJSON_AddStringToObject(o, "name", r->out);
    cJSON_AddNumberToObject(o, "asn", asn);
    cJSON_AddArrayToObject(o, "addressPrefixes");
    cJSON_AddArrayToObject(o, "connections");
    cJSON_AddItemToArray(c->out_site, o);
    g_hash_table_insert(sites, r, o);
    return o;
}

/* The AS number of a circuit's private peering (inline "peerings" or child resources). */
static uint32_t circuit_asn(AzCtx *c, const AzRes *circ)
{
    const cJSON *list = jget(circ->obj, "peerings");
    for (const cJSON *p = cJSON_IsArray(list) ? list->child : NULL; p; p = p->next) {
        const char *t = str_of(c, circ, p, "peeringType");
        if (t && g_ascii_strcasecmp(t, "AzurePrivatePeering") == 0)
            return asn_of(c, circ, p, "peerASN");
    }
    for (guint k = 0; k < c->res[K_CIRCUITPEER]->len; k++) {
        AzRes *p = g_ptr_array_index(c->res[K_CIRCUITPEER], k);
        const char *t = str_of(c, p, p->obj, "peeringType");
        if (strcmp(p->parent, circ->name) == 0 && t && g_ascii_strcasecmp(t, "AzurePrivatePeering") == 0)
            return asn_of(c, p, p->obj, "peerASN");
    }
    return 0;
}

static AzRes *res_named(AzCtx *c, AzKind k, const char *name)
{
    for (guint i = 0; name && i < c->res[k]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[k], i);
        if (strcmp(r->name, name) == 0)
            return r;
    }
    return NULL;
}

/* A VPN connection: the local network gateway becomes a site connected to the VPN gateway. */
static void import_vpn_connection(AzCtx *c, AzRes *r, const char *gw, GHashTable *sites)
{
    AzRes *lng = res_named(c, K_LNG, id_part(c, ref_id(c, r, r->obj, "localNetworkGateway2"), "localNetworkGateways"));
    if (!lng) {
        AZ_WARN(c, r, "skipped connection \"%s\": its local network gateway (localNetworkGateway2.id) is not "
                "imported", r->name);
        return;
    }
    gboolean bgp = bool_of(c, r, r->obj, "enableBgp", FALSE);
    const cJSON *lbgp = jget(lng->obj, "bgpSettings");
    uint32_t asn = lbgp ? asn_of(c, lng, lbgp, "asn") : 0;
    if (bgp && !asn) {
        AZ_WARN(c, r, "skipped connection \"%s\": enableBgp is true but local network gateway \"%s\" has no "
                "bgpSettings.asn", r->name, lng->name);
        return;
    }
    gboolean fresh = !g_hash_table_contains(sites, lng);
    cJSON *site = site_for(c, lng, sites, asn ? asn : 65000);
    if (fresh) {
        if (!asn)
            AZ_WARN(c, lng, "local network gateway \"%s\" has no bgpSettings.asn (static routing): its site gets "
                    "ASN 65000, which no BGP session uses", lng->name);
        const cJSON *space = jget(lng->obj, "localNetworkAddressSpace");
        const cJSON *list = space ? jget(space, "addressPrefixes") : NULL;
        cJSON *pfx = cJSON_GetObjectItemCaseSensitive(site, "addressPrefixes");
        for (const cJSON *p = cJSON_IsArray(list) ? list->child : NULL; p; p = p->next) {
            ArPrefix pf;
            if (prefix_of(c, lng, p, &pf))
                cJSON_AddItemToArray(pfx, prefix_json(pf));
        }
        const char *peer = lbgp ? str_of(c, lng, lbgp, "bgpPeeringAddress") : NULL;
        uint32_t ip;
        if (peer && ip_parse(peer, &ip))
            cJSON_AddStringToObject(site, "bgpPeeringAddress", peer);
    }
    cJSON *conn = cJSON_CreateObject();
    cJSON_AddStringToObject(conn, "vpnGateway", ((AzRes *)g_hash_table_lookup(c->gw_by, gw))->out);
    cJSON_AddBoolToObject(conn, "bgp", bgp);
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(site, "connections"), conn);
}

/* An ExpressRoute connection: the circuit becomes a site (its customer edge) linked to the gateway. */
static void import_er_connection(AzCtx *c, AzRes *r, const char *gw, GHashTable *sites)
{
    AzRes *circ = res_named(c, K_CIRCUIT, id_part(c, ref_id(c, r, r->obj, "peer"), "expressRouteCircuits"));
    if (!circ) {
        AZ_WARN(c, r, "skipped connection \"%s\": its ExpressRoute circuit (peer.id) is not imported", r->name);
        return;
    }
    uint32_t asn = circuit_asn(c, circ);
    if (!asn) {
        AZ_WARN(c, r, "skipped connection \"%s\": circuit \"%s\" has no AzurePrivatePeering with peerASN", r->name,
                circ->name);
        return;
    }
    gboolean fresh = !g_hash_table_contains(sites, circ);
    cJSON *site = site_for(c, circ, sites, asn);
    const cJSON *sku = jget(circ->obj, "sku");
    const char *tier = sku ? str_of(c, circ, sku, "tier") : NULL;
    const char *sku_name = tier && g_ascii_strcasecmp(tier, "Premium") == 0 ? "Premium" : "Standard";
    if (fresh && tier && g_ascii_strcasecmp(tier, "Premium") != 0 && g_ascii_strcasecmp(tier, "Standard") != 0)
        AZ_WARN(c, circ, "circuit SKU tier \"%s\" imported as Standard (arsim models Standard and Premium)", tier);
    cJSON *conn = cJSON_CreateObject();
    cJSON_AddStringToObject(conn, "expressRouteGateway", ((AzRes *)g_hash_table_lookup(c->gw_by, gw))->out);
    cJSON_AddStringToObject(conn, "circuitSku", sku_name);
    cJSON_AddStringToObject(conn, "circuit", circ->out);
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(site, "connections"), conn);
}

static void import_sites(AzCtx *c)
{
    g_autoptr(GHashTable) sites = g_hash_table_new(NULL, NULL); /* AzRes* (LNG or circuit) -> site */
    for (guint i = 0; i < c->res[K_CONNECTION]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_CONNECTION], i);
        const char *type = str_of(c, r, r->obj, "connectionType");
        if (!type) {
            AZ_WARN(c, r, "skipped connection \"%s\": missing field connectionType", r->name);
            continue;
        }
        gboolean er = g_ascii_strcasecmp(type, "ExpressRoute") == 0;
        if (!er && g_ascii_strcasecmp(type, "IPsec") != 0) {
            AZ_WARN(c, r, "skipped connection \"%s\": connectionType \"%s\" not modelled (IPsec and ExpressRoute are)",
                    r->name, type);
            continue;
        }
        const char *gw = id_part(c, ref_id(c, r, r->obj, "virtualNetworkGateway1"), "virtualNetworkGateways");
        const char *gt = gw ? g_hash_table_lookup(c->gw_type, gw) : NULL;
        if (!gt || strcmp(gt, er ? "ExpressRoute" : "Vpn") != 0) {
            AZ_WARN(c, r, "skipped connection \"%s\": its %s gateway (virtualNetworkGateway1.id) is not imported",
                    r->name, er ? "ExpressRoute" : "VPN");
            continue;
        }
        if (er)
            import_er_connection(c, r, gw, sites);
        else
            import_vpn_connection(c, r, gw, sites);
    }
    for (guint i = 0; i < c->res[K_LNG]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_LNG], i);
        if (!g_hash_table_contains(sites, r))
            AZ_WARN(c, r, "skipped local network gateway \"%s\": no imported connection uses it", r->name);
    }
    for (guint i = 0; i < c->res[K_CIRCUIT]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_CIRCUIT], i);
        if (!g_hash_table_contains(sites, r))
            AZ_WARN(c, r, "skipped ExpressRoute circuit \"%s\": no imported connection links it to a gateway", r->name);
    }
}

/* ---- route tables on subnets ---- */

static const char *const udr_types[] = { "VirtualAppliance", "VirtualNetworkGateway", "VnetLocal", "Internet", "None" };

static cJSON *route_json(AzCtx *c, AzRes *rt, const cJSON *route)
{
    const char *name = str_of(c, rt, route, "name");
    const cJSON *pv = jget(route, "addressPrefix");
    const char *type = str_of(c, rt, route, "nextHopType");
    const char *nh = str_of(c, rt, route, "nextHopIpAddress");
    ArPrefix p;
    const char *pstr = sval(c, rt->f, pv);
    if (pstr && !strchr(pstr, '/') && !strchr(pstr, ':')) {
        az_diag(c, DIAG_WARNING, rt->f, pv, "skipped route \"%s\": addressPrefix \"%s\" is a service tag; arsim "
                "models prefixes", name ? name : "", pstr);
        return NULL;
    }
    if (!pv || !type || !prefix_of(c, rt, pv, &p)) {
        if (!pv || !type)
            az_diag(c, DIAG_WARNING, rt->f, route, "skipped route \"%s\": missing field %s", name ? name : "",
                    !pv ? "addressPrefix" : "nextHopType");
        return NULL;
    }
    const char *t = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(udr_types); i++)
        if (g_ascii_strcasecmp(type, udr_types[i]) == 0)
            t = udr_types[i];
    if (!t) {
        az_diag(c, DIAG_WARNING, rt->f, route, "skipped route \"%s\": nextHopType \"%s\" not modelled", name ? name : "",
                type);
        return NULL;
    }
    uint32_t ip;
    if (strcmp(t, "VirtualAppliance") == 0 && (!nh || !ip_parse(nh, &ip))) {
        az_diag(c, DIAG_WARNING, rt->f, route, "skipped route \"%s\": a VirtualAppliance route without an IPv4 "
                "nextHopIpAddress", name ? name : "");
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    if (name)
        cJSON_AddStringToObject(o, "name", name);
    cJSON_AddItemToObject(o, "addressPrefix", prefix_json(p));
    cJSON_AddStringToObject(o, "nextHopType", t);
    if (strcmp(t, "VirtualAppliance") == 0)
        cJSON_AddStringToObject(o, "nextHopIpAddress", nh);
    return o;
}

/* The scenario "routeTable" object of route table rt. */
static cJSON *route_table_json(AzCtx *c, AzRes *rt)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", rt->name);
    cJSON_AddBoolToObject(o, "disableBgpRoutePropagation", bool_of(c, rt, rt->obj, "disableBgpRoutePropagation", FALSE));
    cJSON *routes = cJSON_AddArrayToObject(o, "routes");
    const cJSON *list = jget(rt->obj, "routes");
    for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e; e = e->next) {
        cJSON *x = route_json(c, rt, e);
        if (x)
            cJSON_AddItemToArray(routes, x);
    }
    for (guint k = 0; k < c->res[K_ROUTE]->len; k++) {
        AzRes *rr = g_ptr_array_index(c->res[K_ROUTE], k);
        if (strcmp(rr->parent, rt->name) != 0)
            continue;
        const char *n = rr->name;
        gboolean inline_too = FALSE;
        for (const cJSON *e = cJSON_IsArray(list) ? list->child : NULL; e && !inline_too; e = e->next) {
            const char *en = str_of(c, rt, e, "name");
            inline_too = en && strcmp(en, n) == 0;
        }
        cJSON *x = inline_too ? NULL : route_json(c, rr, rr->obj);
        if (x) {
            if (!cJSON_GetObjectItemCaseSensitive(x, "name"))
                cJSON_AddStringToObject(x, "name", n);
            cJSON_AddItemToArray(routes, x);
        }
    }
    return o;
}

/* Subnets that have an imported route table (from the subnet's routeTable.id, or the table's
 * subnets[].id) become scenario subnets. */
static void import_subnets(AzCtx *c)
{
    g_autoptr(GHashTable) used = g_hash_table_new(NULL, NULL);
    for (guint i = 0; i < c->vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c->vnets, i);
        for (guint k = 0; k < v->subs->len; k++) {
            const cJSON *s = g_ptr_array_index(v->subs, k);
            AzRes sub = { .f = v->r->f, .obj = s };
            for (guint q = 0; q < c->res[K_SUBNET]->len; q++)
                if (((AzRes *)g_ptr_array_index(c->res[K_SUBNET], q))->obj == s)
                    sub.f = ((AzRes *)g_ptr_array_index(c->res[K_SUBNET], q))->f;
            const char *name = str_of(c, &sub, s, "name");
            const char *slash = name ? strrchr(name, '/') : NULL;
            if (slash)
                name = slash + 1;
            AzRes *rt = res_named(c, K_ROUTETABLE, id_part(c, ref_id(c, &sub, s, "routeTable"), "routeTables"));
            for (guint q = 0; !rt && name && q < c->res[K_ROUTETABLE]->len; q++) {
                AzRes *t = g_ptr_array_index(c->res[K_ROUTETABLE], q);
                const cJSON *tsubs = jget(t->obj, "subnets");
                for (const cJSON *e = cJSON_IsArray(tsubs) ? tsubs->child : NULL; e && !rt; e = e->next) {
                    const char *id = sval(c, t->f, cJSON_GetObjectItemCaseSensitive(e, "id"));
                    const char *vn = id_part(c, id, "virtualNetworks"), *sn = id_part(c, id, "subnets");
                    if (vn && sn && strcmp(vn, v->r->name) == 0 && strcmp(sn, name) == 0)
                        rt = t;
                }
            }
            if (!rt || !name)
                continue;
            const cJSON *pv = jget(s, "addressPrefix");
            if (!pv) {
                const cJSON *list = jget(s, "addressPrefixes");
                pv = cJSON_IsArray(list) ? list->child : NULL;
                if (pv && pv->next)
                    az_diag(c, DIAG_WARNING, sub.f, list, "subnet \"%s\" has several prefixes: arsim uses the first", name);
            }
            ArPrefix p;
            if (!pv || !prefix_of(c, &sub, pv, &p)) {
                az_diag(c, DIAG_WARNING, sub.f, s, "skipped subnet \"%s\": missing field addressPrefix (IPv4)", name);
                continue;
            }
            if (!v->subnets)
                v->subnets = cJSON_CreateArray();
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", clean_name(c, &sub, name));
            cJSON_AddItemToObject(o, "addressPrefix", prefix_json(p));
            cJSON_AddItemToObject(o, "routeTable", route_table_json(c, rt));
            cJSON_AddItemToArray(v->subnets, o);
            g_hash_table_add(used, rt);
        }
    }
    for (guint i = 0; i < c->res[K_ROUTETABLE]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_ROUTETABLE], i);
        if (!g_hash_table_contains(used, r))
            AZ_WARN(c, r, "skipped route table \"%s\": no imported subnet uses it", r->name);
    }
}

/* ---- peerings ---- */

/* One direction of a peering, as Azure lists it under its local VNet. */
typedef struct AzPeer {
    AzRes *r;          /* the resource (or the VNet, for inline peerings) */
    const cJSON *obj;  /* the peering object */
    AzVnet *local, *remote;
    gboolean use_remote, transit;
} AzPeer;

static void collect_peering(AzCtx *c, AzRes *r, const cJSON *obj, AzVnet *local, GArray *all)
{
    const char *name = str_of(c, r, obj, "name");
    const char *rid = ref_id(c, r, obj, "remoteVirtualNetwork");
    const char *rv = id_part(c, rid, "virtualNetworks");
    AzVnet *remote = rv ? g_hash_table_lookup(c->vnet_by, rv) : NULL;
    const char *state = str_of(c, r, obj, "peeringState");
    if (!remote) {
        az_diag(c, DIAG_WARNING, r->f, obj, "skipped peering \"%s\" of VNet \"%s\": %s", name ? name : "",
                local->r->name, rv ? "its remote VNet is not imported" : "missing field remoteVirtualNetwork.id");
        return;
    }
    if (state && g_ascii_strcasecmp(state, "Connected") != 0) {
        az_diag(c, DIAG_WARNING, r->f, obj, "skipped peering \"%s\" of VNet \"%s\": peeringState is \"%s\" (Azure "
                "routes over Connected peerings only)", name ? name : "", local->r->name, state);
        return;
    }
    for (guint i = 0; i < all->len; i++) {
        AzPeer *p = &g_array_index(all, AzPeer, i);
        if (p->local == local && p->remote == remote)
            return; /* the same peering inline and from 'az network vnet peering list' */
    }
    AzPeer p = { r, obj, local, remote, bool_of(c, r, obj, "useRemoteGateways", FALSE),
                 bool_of(c, r, obj, "allowGatewayTransit", FALSE) };
    g_array_append_val(all, p);
}

static void import_peerings(AzCtx *c, GHashTable *peer_out)
{
    g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(AzPeer));
    for (guint i = 0; i < c->vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c->vnets, i);
        const cJSON *list = jget(v->r->obj, "virtualNetworkPeerings");
        for (const cJSON *p = cJSON_IsArray(list) ? list->child : NULL; p; p = p->next)
            collect_peering(c, v->r, p, v, all);
    }
    for (guint i = 0; i < c->res[K_PEERING]->len; i++) {
        AzRes *r = g_ptr_array_index(c->res[K_PEERING], i);
        AzVnet *v = g_hash_table_lookup(c->vnet_by, r->parent);
        if (v)
            collect_peering(c, r, r->obj, v, all);
        else
            AZ_WARN(c, r, "skipped peering \"%s\": its VNet \"%s\" is not imported", r->name, r->parent);
    }
    /* A scenario lists each pair once: under the side that uses the remote gateways, else the first. */
    g_autoptr(GHashTable) done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < all->len; i++) {
        AzPeer *p = &g_array_index(all, AzPeer, i);
        AzPeer *back = NULL;
        for (guint k = 0; k < all->len; k++) {
            AzPeer *q = &g_array_index(all, AzPeer, k);
            if (q->local == p->remote && q->remote == p->local)
                back = q;
        }
        const char *a = p->local->r->name, *b = p->remote->r->name;
        g_autofree char *key = strcmp(a, b) < 0 ? g_strdup_printf("%s\n%s", a, b) : g_strdup_printf("%s\n%s", b, a);
        if (g_hash_table_contains(done, key))
            continue;
        g_hash_table_add(done, g_strdup(key));
        AzPeer *use = back && back->use_remote && !p->use_remote ? back : p;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "remoteVnet", use->remote->r->out);
        gboolean ur = use->use_remote;
        if (ur && !use->remote->has_hub) {
            az_diag(c, DIAG_WARNING, use->r->f, use->obj, "useRemoteGateways dropped: VNet \"%s\" has no imported "
                    "gateway or Route Server", use->remote->r->name);
            ur = FALSE;
        } else if (ur && use->local->has_hub) {
            az_diag(c, DIAG_WARNING, use->r->f, use->obj, "useRemoteGateways dropped: VNet \"%s\" has a gateway "
                    "or Route Server of its own", use->local->r->name);
            ur = FALSE;
        }
        if (ur)
            cJSON_AddBoolToObject(o, "useRemoteGateways", TRUE);
        else if (use->transit)
            cJSON_AddBoolToObject(o, "allowGatewayTransit", TRUE);
        cJSON *arr = g_hash_table_lookup(peer_out, use->local);
        if (!arr) {
            arr = cJSON_CreateArray();
            g_hash_table_insert(peer_out, use->local, arr);
        }
        cJSON_AddItemToArray(arr, o);
    }
}

/* ---- overlay ---- */

/* Merges the overlay's objects into doc by name (overlay keys win); others are added. */
static void apply_overlay(AzCtx *c, cJSON *doc, const char *path)
{
    static const char expect[] = "an overlay: a JSON object with scenario sections, e.g. {\"sites\": [{\"name\": "
                                 "\"...\", \"addressPrefixes\": [...]}]}";
    AzFile *f = open_file(c, path, expect);
    if (!f->root)
        return;
    if (!cJSON_IsObject(f->root)) {
        az_diag(c, DIAG_ERROR, f, f->root, "expected %s, got %s", expect, load_type_name(f->root));
        return;
    }
    for (const cJSON *sec = f->root->child; sec; sec = sec->next) {
        cJSON *mine = cJSON_GetObjectItemCaseSensitive(doc, sec->string);
        if (!cJSON_IsArray(sec)) {
            if (mine)
                cJSON_ReplaceItemInObjectCaseSensitive(doc, sec->string, cJSON_Duplicate(sec, TRUE));
            else
                cJSON_AddItemToObject(doc, sec->string, cJSON_Duplicate(sec, TRUE));
            continue;
        }
        if (!cJSON_IsArray(mine)) {
            cJSON_DeleteItemFromObjectCaseSensitive(doc, sec->string);
            mine = cJSON_AddArrayToObject(doc, sec->string);
        }
        for (const cJSON *o = sec->child; o; o = o->next) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "name");
            if (!cJSON_IsObject(o) || !cJSON_IsString(n)) {
                az_diag(c, DIAG_ERROR, f, o, "expected an object with a \"name\" (the imported object to complete, "
                        "or a new one)");
                continue;
            }
            cJSON *target = find_named(mine, n->valuestring);
            if (!target) {
                cJSON_AddItemToArray(mine, cJSON_Duplicate(o, TRUE));
                continue;
            }
            for (const cJSON *kv = o->child; kv; kv = kv->next) {
                if (cJSON_GetObjectItemCaseSensitive(target, kv->string))
                    cJSON_ReplaceItemInObjectCaseSensitive(target, kv->string, cJSON_Duplicate(kv, TRUE));
                else
                    cJSON_AddItemToObject(target, kv->string, cJSON_Duplicate(kv, TRUE));
            }
        }
    }
}

/* Warns about what the overlay should still supply (sites with no prefixes, NVAs that advertise
 * nothing), listing the lines to add. */
static void warn_missing(AzCtx *c, cJSON *doc, const char *dir, const char *overlay)
{
    g_autoptr(GString) add = g_string_new("");
    const cJSON *sites = cJSON_GetObjectItemCaseSensitive(doc, "sites");
    for (const cJSON *s = cJSON_IsArray(sites) ? sites->child : NULL; s; s = s->next) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(s, "addressPrefixes");
        if (cJSON_IsArray(p) && cJSON_GetArraySize(p) == 0 && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(s, "name")))
            g_string_append_printf(add, "\n  sites: { \"name\": \"%s\", \"addressPrefixes\": [ \"PREFIX\", ... ] } "
                                   "(what on-premises announces; the circuit or gateway export does not list it)",
                                   cJSON_GetObjectItemCaseSensitive(s, "name")->valuestring);
    }
    const cJSON *nvas = cJSON_GetObjectItemCaseSensitive(doc, "nvas");
    for (const cJSON *s = cJSON_IsArray(nvas) ? nvas->child : NULL; s; s = s->next) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(s, "advertisedPrefixes");
        if (cJSON_GetArraySize(p) == 0 && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(s, "name")))
            g_string_append_printf(add, "\n  nvas: { \"name\": \"%s\", \"advertisedPrefixes\": [ \"PREFIX\", ... ] } "
                                   "(what the NVA announces to the Route Server; Azure does not store it)",
                                   cJSON_GetObjectItemCaseSensitive(s, "name")->valuestring);
    }
    if (add->len)
        diag_add(c->diags, DIAG_WARNING, overlay ? overlay : dir, 0, 0, "",
                 "the exports cannot tell what these originate; they announce nothing until an overlay file "
                 "(--overlay) adds:%s", add->str);
}

/* ---- the whole import ---- */

static void az_file_free(gpointer p)
{
    AzFile *f = p;
    g_free(f->path);
    cJSON_Delete(f->root);
    if (f->ix)
        jpos_index_free(f->ix);
    g_free(f);
}

static void az_vnet_free(gpointer p)
{
    AzVnet *v = p;
    g_array_free(v->prefixes, TRUE);
    g_ptr_array_free(v->subs, TRUE);
    cJSON_Delete(v->subnets);
    g_free(v);
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of dir, sorted by name (the order of the import, so of the output). */
static GPtrArray *list_files(const char *dir, ArDiagList *diags)
{
    g_autoptr(GError) e = NULL;
    GDir *d = g_dir_open(dir, 0, &e);
    if (!d) {
        diag_add(diags, DIAG_ERROR, dir, 0, 0, "", "cannot read the folder: %s", e->message);
        return NULL;
    }
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    for (const char *n; (n = g_dir_read_name(d));)
        if (g_str_has_suffix(n, ".json"))
            g_ptr_array_add(files, g_build_filename(dir, n, NULL));
    g_dir_close(d);
    g_ptr_array_sort(files, cmp_str);
    if (files->len == 0) {
        diag_add(diags, DIAG_ERROR, dir, 0, 0, "", "no *.json file in the folder: save each 'az network ... list "
                 "-o json' output (or 'az group export') there as NAME.json");
        g_ptr_array_free(files, TRUE);
        return NULL;
    }
    return files;
}

cJSON *azi_import_dir(const char *dir, const char *overlay, ArDiagList *diags)
{
    int errors_before = diags->errors;
    g_autoptr(GPtrArray) paths = list_files(dir, diags);
    if (!paths)
        return NULL;
    AzCtx c = { .diags = diags };
    c.files = g_ptr_array_new_with_free_func(az_file_free);
    c.strings = g_string_chunk_new(4096);
    for (int k = 0; k < K_COUNT; k++)
        c.res[k] = g_ptr_array_new();
    c.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    c.vnets = g_ptr_array_new_with_free_func(az_vnet_free);
    c.vnet_by = g_hash_table_new(g_str_hash, g_str_equal);
    c.nodes = g_hash_table_new(g_str_hash, g_str_equal);
    c.rs_by = g_hash_table_new(g_str_hash, g_str_equal);
    c.gw_by = g_hash_table_new(g_str_hash, g_str_equal);
    c.rs_vnet = g_hash_table_new(g_str_hash, g_str_equal);
    c.gw_type = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c.out_rs = cJSON_CreateArray();
    c.out_gw = cJSON_CreateArray();
    c.out_nva = cJSON_CreateArray();
    c.out_site = cJSON_CreateArray();

    for (guint i = 0; i < paths->len; i++)
        read_file(&c, g_ptr_array_index(paths, i));
    import_vnets(&c);
    import_route_servers(&c);
    import_gateways(&c);
    import_nvas(&c);
    import_sites(&c);
    import_subnets(&c);
    g_autoptr(GHashTable) peer_out = g_hash_table_new(NULL, NULL);
    import_peerings(&c, peer_out);

    cJSON *doc = cJSON_CreateObject();
    g_autofree char *base = g_path_get_basename(dir);
    g_autofree char *title = g_strdup_printf("Imported from %s", base);
    cJSON_AddStringToObject(doc, "name", title);
    cJSON *vnets = cJSON_AddArrayToObject(doc, "vnets");
    for (guint i = 0; i < c.vnets->len; i++) {
        AzVnet *v = g_ptr_array_index(c.vnets, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", v->r->out);
        cJSON *pf = cJSON_AddArrayToObject(o, "addressPrefixes");
        for (guint k = 0; k < v->prefixes->len; k++)
            cJSON_AddItemToArray(pf, prefix_json(g_array_index(v->prefixes, ArPrefix, k)));
        cJSON *peers = g_hash_table_lookup(peer_out, v);
        if (peers)
            cJSON_AddItemToObject(o, "peerings", peers);
        if (v->subnets) {
            cJSON_AddItemToObject(o, "subnets", v->subnets);
            v->subnets = NULL;
        }
        cJSON_AddItemToArray(vnets, o);
    }
    cJSON_AddItemToObject(doc, "routeServers", c.out_rs);
    cJSON_AddItemToObject(doc, "gateways", c.out_gw);
    cJSON_AddItemToObject(doc, "nvas", c.out_nva);
    cJSON_AddItemToObject(doc, "sites", c.out_site);
    if (c.vnets->len == 0 && diags->errors == errors_before)
        diag_add(diags, DIAG_ERROR, dir, 0, 0, "", "no virtual network imported: save 'az network vnet list -o json' "
                 "(or 'az group export') in the folder");
    if (overlay)
        apply_overlay(&c, doc, overlay);
    warn_missing(&c, doc, dir, overlay);

    g_hash_table_destroy(c.gw_type);
    g_hash_table_destroy(c.rs_vnet);
    g_hash_table_destroy(c.gw_by);
    g_hash_table_destroy(c.rs_by);
    g_hash_table_destroy(c.nodes);
    g_hash_table_destroy(c.vnet_by);
    g_ptr_array_free(c.vnets, TRUE);
    g_hash_table_destroy(c.seen);
    for (int k = 0; k < K_COUNT; k++)
        g_ptr_array_free(c.res[k], TRUE);
    g_ptr_array_free(c.files, TRUE);
    g_string_chunk_free(c.strings);
    diag_sort(diags);
    if (diags->errors > errors_before) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}
