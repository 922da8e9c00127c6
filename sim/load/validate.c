/* validate.c - checks a scenario tree against format v1 and builds the model from it. */
#include "load_priv.h"
#include "arsim/mrt.h"
#include "arsim/rib.h"
#include "arsim/timefmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One pass per section, in file order of sections, each referring only to sections already read:
 * vnets (names, prefixes), routeServers, gateways, then the VNets' peerings (they need to know
 * which VNets hold gateways), nvas (refer to route servers), sites (refer to NVAs and gateways),
 * and last the VNet overlap sweep. Lookups are hash tables, so the whole is O(n log n), the log
 * from sorting prefixes. Every object that is a JSON object gets a model object even when it has
 * errors, so later references to it resolve and do not cascade. */

#define MAXF 20                 /* keys of the largest object kind (events) */

typedef enum JType { J_STRING, J_BOOL, J_INT, J_ARRAY, J_OBJECT, J_TIME, J_ANY } JType;

typedef struct KeySpec {
    const char *key;
    JType type;
    gboolean required;
} KeySpec;

/* An object as read: its JSON node, its index in the JSON array, and its known keys' values (NULL
 * when absent or of the wrong type, which has been reported). */
typedef struct Src {
    const cJSON *obj;
    int at;
    const cJSON *f[MAXF];
    guint present; /* bit k: key k appears (even with a wrong type) */
    gboolean gw_type_known; /* gateways: "type" was valid, so g->type means something */
} Src;

/* A node name's holder: its section (K_RS, K_GW, K_NVA or K_SITE) and index there. */
typedef struct NodeRef {
    int kind;
    int index;
} NodeRef;

/* A VNet address prefix as a closed address range, for the overlap checks. */
typedef struct Range {
    uint32_t start, end;
    int vnet;
    int at; /* index in the VNet's addressPrefixes */
    ArPrefix p;
    const cJSON *node;
} Range;

typedef struct Ctx {
    const char *file;
    const JPosIndex *ix;
    ArDiagList *d;
    ArScenario *s;
    GPtrArray *scratch;      /* strings made for messages and pointers, freed at the end */
    GHashTable *vnet_names;  /* name -> index + 1 */
    GHashTable *node_names;  /* name -> NodeRef* (route servers, gateways, NVAs, sites share it) */
    GHashTable *addresses;   /* (vnet << 32 | ip) -> pointer of the first holder */
    GHashTable *peered;      /* (min << 32 | max) VNet pair -> pointer of the listing peering */
    GHashTable *site_conns;  /* (site, kind, target) -> pointer of the first connection */
    GArray *src[5];          /* Src per model object: vnets, routeServers, gateways, nvas, sites */
    GPtrArray *ranges;       /* per VNet: GArray of Range, sorted by start, then end descending */
    GArray *vnet_rs;         /* per VNet: index of its Route Server, -1 */
    GArray *vnet_gw[2];      /* per VNet and gateway type: index of the gateway, -1 */
    GArray *vnet_uses;       /* per VNet: index of the VNet whose gateways it uses, -1 */
    GArray *vnet_host;       /* per VNet: first Route Server (index) or gateway (-2 - index) in it, -1 */
    GArray *rs_peers;        /* per Route Server: NVAs that name it so far */
    gboolean hosts_unresolved; /* a route server or gateway has no valid vnet: skip "has no gateway" */
    char *known[5];          /* cached "known: ..." lists per section */
    GArray *refs;            /* Ref: names checked once every node is known (policy peers, bgpPeers) */
} Ctx;

/* A name that can only be checked when every node is known. */
typedef struct Ref {
    const cJSON *node;   /* the name's JSON string */
    const char *ptr;     /* its pointer */
    int nva;             /* bgpPeers: the NVA listing it; -1 for a policy's peer */
    ArRmRule *rule;      /* a policy's peer: the rule (its array is not resized after parsing) */
} Ref;

enum { K_VNET, K_RS, K_GW, K_NVA, K_SITE };
static const char *const section_key[] = { "vnets", "routeServers", "gateways", "nvas", "sites" };
static const char *const node_what[] = { "VNet", "Route Server", "gateway", "NVA", "site" }; /* per section */

/* ---- messages ---------------------------------------------------------------------------- */

static const char *keep(Ctx *c, char *owned)
{
    g_ptr_array_add(c->scratch, owned);
    return owned;
}

static const char *Q(Ctx *c, const char *s)
{
    return keep(c, load_quote(s ? s : "", 64));
}

/* Pointer base + "/" + escaped key. */
static const char *PK(Ctx *c, const char *base, const char *key)
{
    GString *p = g_string_new(base);
    jpos_pointer_append(p, key);
    return keep(c, g_string_free(p, FALSE));
}

static const char *PI(Ctx *c, const char *base, int i)
{
    return keep(c, g_strdup_printf("%s/%d", base, i));
}

static void report(Ctx *c, ArSeverity sev, const cJSON *node, gboolean key, const char *ptr, const char *fmt,
                   ...) G_GNUC_PRINTF(6, 7);

/* A value error points at the value, a key error at the key; nodes made by --set have no offset
 * and are reported with line 0. */
static void report(Ctx *c, ArSeverity sev, const cJSON *node, gboolean key, const char *ptr, const char *fmt, ...)
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

#define ERR(c, node, ptr, ...) report((c), DIAG_ERROR, (node), FALSE, (ptr), __VA_ARGS__)
#define WARN(c, node, ptr, ...) report((c), DIAG_WARNING, (node), FALSE, (ptr), __VA_ARGS__)

static const char *src_ptr(Ctx *c, int kind, int index)
{
    const Src *sr = &g_array_index(c->src[kind], Src, index);
    return keep(c, g_strdup_printf("/%s/%d", section_key[kind], sr->at));
}

static const char *obj_name(Ctx *c, int kind, int index)
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
static const char *known(Ctx *c, int kind)
{
    if (c->known[kind])
        return c->known[kind];
    GString *k = g_string_new(NULL);
    guint n = c->src[kind]->len, listed = 0, named = 0;
    for (guint i = 0; i < n; i++)
        named += obj_name(c, kind, (int)i)[0] != '\0';
    for (guint i = 0; i < n; i++) {
        const char *nm = obj_name(c, kind, (int)i);
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

static gboolean type_ok(const cJSON *v, JType t)
{
    switch (t) {
    case J_STRING: return cJSON_IsString(v);
    case J_BOOL: return cJSON_IsBool(v);
    case J_INT: return cJSON_IsNumber(v);
    case J_ARRAY: return cJSON_IsArray(v);
    case J_OBJECT: return cJSON_IsObject(v);
    case J_TIME: return cJSON_IsNumber(v) || cJSON_IsString(v);
    case J_ANY: return TRUE;
    }
    return FALSE;
}

static const char *type_label(JType t)
{
    static const char *const labels[] = { "a string", "a boolean", "an integer", "an array", "an object",
                                          "a duration (seconds, or a string such as \"90s\", \"5m\", \"250ms\")",
                                          "a value" };
    return labels[t];
}

static int spec_find(const KeySpec *spec, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(spec[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* The known key an unknown one was probably meant to be: same key in another case, within edit
 * distance 2, or a prefix of at least 4 bytes of one ("allowBranchToBranch"). NULL if none. */
static const char *suggest_key(const char *key, const KeySpec *spec, size_t n)
{
    const char *best = NULL;
    guint bestd = G_MAXUINT;
    size_t kl = strlen(key);
    for (size_t i = 0; i < n; i++) {
        const char *cand = spec[i].key;
        size_t cl = strlen(cand);
        guint d = g_ascii_strcasecmp(key, cand) == 0 ? 0 : load_edit_distance(key, cand);
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

static void unknown_key(Ctx *c, const cJSON *ch, const char *ptr, const KeySpec *spec, size_t n)
{
    const char *kptr = PK(c, ptr, ch->string);
    const char *sug = suggest_key(ch->string, spec, n);
    if (sug) {
        report(c, DIAG_ERROR, ch, TRUE, kptr, "unknown key %s; did you mean \"%s\"?", Q(c, ch->string), sug);
        return;
    }
    GString *valid = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(valid, "%s%s", i ? ", " : "", spec[i].key);
    report(c, DIAG_ERROR, ch, TRUE, kptr, "unknown key %s; valid keys here: %s", Q(c, ch->string), valid->str);
    g_string_free(valid, TRUE);
}

/* Checks that obj is an object whose keys are all in spec, none twice, each of its type, the
 * required ones present. Fills sr. Returns FALSE (reported) when obj is not an object at all. */
static gboolean check_object(Ctx *c, const cJSON *obj, const char *ptr, const KeySpec *spec, size_t n, Src *sr)
{
    memset(sr, 0, sizeof *sr);
    sr->obj = obj;
    if (!cJSON_IsObject(obj)) {
        ERR(c, obj, ptr, "expected an object, got %s", load_type_name(obj));
        return FALSE;
    }
    const cJSON *first[MAXF] = { 0 };
    for (const cJSON *ch = obj->child; ch; ch = ch->next) {
        int k = spec_find(spec, n, ch->string);
        if (k < 0) {
            unknown_key(c, ch, ptr, spec, n);
            continue;
        }
        if (first[k]) {
            int line = 0, col = 0;
            jpos_line_col(c->ix, jpos_offset(c->ix, first[k], TRUE), &line, &col);
            if (line > 0)
                report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string),
                       "duplicate key \"%s\" (first at line %d); remove one", spec[k].key, line);
            else
                report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string), "duplicate key \"%s\"; remove one",
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

/* ---- scalar values ----------------------------------------------------------------------- */

static gboolean name_ok(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len > AR_NAME_MAX_LEN || !g_ascii_isalnum(n[0]))
        return FALSE;
    for (size_t i = 1; i < len; i++)
        if (!g_ascii_isalnum(n[i]) && n[i] != '_' && n[i] != '.' && n[i] != '-')
            return FALSE;
    return TRUE;
}

/* Reports a bad name but returns it anyway, so references to it still resolve. */
static const char *check_name(Ctx *c, const cJSON *v, const char *ptr)
{
    if (!v)
        return NULL;
    const char *n = v->valuestring;
    if (!name_ok(n))
        ERR(c, v, ptr,
            "invalid name %s: use 1 to %d letters, digits, '_', '.' or '-', starting with a letter or digit%s",
            Q(c, n), AR_NAME_MAX_LEN,
            strchr(n, '/') ? " ('/' is reserved for generated node names such as \"ars/0\")" : "");
    return n;
}

/* A JSON number that is a whole number (65001 and 65001.0 alike). */
static gboolean get_whole(Ctx *c, const cJSON *v, const char *ptr, double *out)
{
    double x = v->valuedouble;
    if (!isfinite(x) || x != floor(x)) {
        ERR(c, v, ptr, "expected an integer, got %.17g", x);
        return FALSE;
    }
    *out = x;
    return TRUE;
}

static gboolean get_uint_range(Ctx *c, const cJSON *v, const char *ptr, double min, double max, uint32_t *out)
{
    double x;
    if (!get_whole(c, v, ptr, &x))
        return FALSE;
    if (x < min || x > max) {
        ERR(c, v, ptr, "%.0f is out of range (%.0f..%.0f)", x, min, max);
        return FALSE;
    }
    *out = (uint32_t)x;
    return TRUE;
}

/* NVA ASNs (FAQ): 16-bit, not reserved by Azure or IANA. 65516 only warns: the docs disagree. */
static gboolean get_nva_asn(Ctx *c, const cJSON *v, const char *ptr, uint32_t *out)
{
    double x;
    if (!get_whole(c, v, ptr, &x))
        return FALSE;
    if (x == 0) {
        ERR(c, v, ptr, "ASN 0 is reserved (RFC 7607); use a private ASN such as 65001");
        return FALSE;
    }
    if (x < 0 || x > AR_NVA_ASN_MAX) {
        ERR(c, v, ptr, "ASN %.0f: arsim models 16-bit NVA ASNs only (FAQ); use 1..65534", x);
        return FALSE;
    }
    uint32_t a = (uint32_t)x;
    const char *why = NULL;
    if (a == AR_ASN_ROUTE_SERVER)
        why = "65515 is reserved by Azure (the Route Server's own ASN)";
    else if (a == AR_ASN_AZURE_PUBLIC_1 || a == AR_ASN_AZURE_PUBLIC_2 || a == AR_ASN_MSEE)
        why = "is a public ASN of Azure";
    else if (a >= AR_ASN_RESERVED_LO && a <= AR_ASN_RESERVED_HI)
        why = "is reserved by Azure";
    else if (a == 23456)
        why = "is reserved by IANA (AS_TRANS)";
    else if (a >= 64496 && a <= 64511)
        why = "is reserved by IANA for documentation";
    else if (a == 65535)
        why = "is reserved by IANA";
    if (why) {
        if (a == AR_ASN_ROUTE_SERVER)
            ERR(c, v, ptr, "%s; use a private ASN such as 65001", why);
        else
            ERR(c, v, ptr, "%u %s; use a private ASN such as 65001", a, why);
        return FALSE;
    }
    if (a == AR_ASN_AMBIGUOUS)
        WARN(c, v, ptr, "65516 may be reserved by Azure (the docs are ambiguous); prefer a private ASN such as 65001");
    *out = a;
    return TRUE;
}

/* On-premises and VPN gateway ASNs: 32-bit, and not Azure's own nor IANA's reserved ones.
 * allow_65515 is for a VPN gateway, whose default ASN that is. */
static gboolean get_wide_asn(Ctx *c, const cJSON *v, const char *ptr, gboolean allow_65515, uint32_t *out)
{
    double x;
    if (!get_whole(c, v, ptr, &x))
        return FALSE;
    if (x == 0) {
        ERR(c, v, ptr, "ASN 0 is reserved (RFC 7607)");
        return FALSE;
    }
    if (x < 0 || x > AR_WIDE_ASN_MAX) {
        ERR(c, v, ptr, "ASN %.0f is out of range (1..4294967294)", x);
        return FALSE;
    }
    uint32_t a = (uint32_t)x;
    if (a == AR_ASN_AZURE_PUBLIC_1 || a == AR_ASN_AZURE_PUBLIC_2 || a == AR_ASN_MSEE ||
        (a == AR_ASN_ROUTE_SERVER && !allow_65515) || (a >= AR_ASN_RESERVED_LO && a <= AR_ASN_RESERVED_HI)) {
        ERR(c, v, ptr, "ASN %u is one of Azure's own; %s cannot reuse Azure's ASNs", a,
            allow_65515 ? "a VPN gateway" : "on-premises networks");
        return FALSE;
    }
    if (a == 23456 || a == 65535) {
        ERR(c, v, ptr, "ASN %u is reserved by IANA", a);
        return FALSE;
    }
    *out = a;
    return TRUE;
}

static gboolean get_prefix(Ctx *c, const cJSON *v, const char *ptr, ArPrefix *out)
{
    if (!cJSON_IsString(v)) {
        ERR(c, v, ptr, "expected a CIDR prefix string such as \"10.1.0.0/16\", got %s", load_type_name(v));
        return FALSE;
    }
    char buf[PFX_STRLEN];
    switch (pfx_parse(v->valuestring, out)) {
    case PFX_OK:
        return TRUE;
    case PFX_HOST_BITS:
        ERR(c, v, ptr, "%s has host bits set; did you mean %s?", v->valuestring, pfx_format(*out, buf));
        return FALSE;
    case PFX_BAD_SYNTAX:
        break;
    }
    ERR(c, v, ptr, "%s is not an IPv4 prefix in CIDR form (a.b.c.d/len, e.g. \"10.1.0.0/16\")",
        Q(c, v->valuestring));
    return FALSE;
}

static gboolean get_ip(Ctx *c, const cJSON *v, const char *ptr, uint32_t *out)
{
    if (!cJSON_IsString(v)) {
        ERR(c, v, ptr, "expected an IPv4 address string such as \"10.1.1.4\", got %s", load_type_name(v));
        return FALSE;
    }
    if (ip_parse(v->valuestring, out))
        return TRUE;
    ERR(c, v, ptr, "%s is not an IPv4 address (a.b.c.d%s)", Q(c, v->valuestring),
        strchr(v->valuestring, '/') ? ", without /len" : "");
    return FALSE;
}

/* Index of s in choices; reports (with the right spelling when only the case differs) if absent. */
static int get_enum(Ctx *c, const cJSON *v, const char *ptr, const char *key, const char *const *choices, int n)
{
    const char *s = v->valuestring;
    for (int i = 0; i < n; i++)
        if (strcmp(s, choices[i]) == 0)
            return i;
    GString *list = g_string_new(NULL);
    const char *same_case = NULL;
    for (int i = 0; i < n; i++) {
        g_string_append_printf(list, "%s\"%s\"", i == 0 ? "" : i == n - 1 ? " or " : ", ", choices[i]);
        if (g_ascii_strcasecmp(s, choices[i]) == 0)
            same_case = choices[i];
    }
    if (same_case)
        ERR(c, v, ptr, "%s is not a valid %s; did you mean \"%s\"?", Q(c, s), key, same_case);
    else
        ERR(c, v, ptr, "%s is not a valid %s; use %s", Q(c, s), key, list->str);
    g_string_free(list, TRUE);
    return -1;
}

static gboolean get_bool(const cJSON *v, gboolean dflt)
{
    return v ? cJSON_IsTrue(v) : dflt;
}

/* "10.1.0.0/16, 10.3.0.0/16" */
static const char *vnet_space(Ctx *c, int v)
{
    const ArVnet *vn = g_ptr_array_index(c->s->vnets, v);
    GString *sp = g_string_new(NULL);
    char buf[PFX_STRLEN];
    for (guint i = 0; i < vn->prefixes->len; i++)
        g_string_append_printf(sp, "%s%s", i ? ", " : "", pfx_format(g_array_index(vn->prefixes, ArPrefix, i), buf));
    return keep(c, g_string_free(sp, FALSE));
}

/* An address of an Azure resource: inside its VNet and not already taken there. Skipped (no
 * cascade) when the VNet did not resolve or has no valid prefix. */
static void check_vnet_address(Ctx *c, const cJSON *node, const char *ptr, int vnet, uint32_t ip)
{
    if (vnet < 0)
        return;
    const ArVnet *vn = g_ptr_array_index(c->s->vnets, vnet);
    if (vn->prefixes->len == 0)
        return;
    gboolean inside = FALSE;
    for (guint i = 0; i < vn->prefixes->len && !inside; i++)
        inside = pfx_contains_ip(g_array_index(vn->prefixes, ArPrefix, i), ip);
    char buf[IP_STRLEN];
    if (!inside) {
        ERR(c, node, ptr, "%s is outside VNet '%s' (%s)", ip_format(ip, buf), vn->name, vnet_space(c, vnet));
        return;
    }
    guint64 key = ((guint64)(guint32)vnet << 32) | ip;
    const char *holder = g_hash_table_lookup(c->addresses, &key);
    if (holder) {
        ERR(c, node, ptr, "%s in VNet '%s' is already used by %s", ip_format(ip, buf), vn->name, holder);
        return;
    }
    guint64 *k = g_new(guint64, 1);
    *k = key;
    g_hash_table_insert(c->addresses, k, (gpointer)ptr);
}

/* ---- references -------------------------------------------------------------------------- */

static int resolve_vnet(Ctx *c, const cJSON *v, const char *ptr)
{
    if (!v)
        return -1;
    gpointer hit = g_hash_table_lookup(c->vnet_names, v->valuestring);
    if (hit)
        return GPOINTER_TO_INT(hit) - 1;
    ERR(c, v, ptr, "no VNet named %s; known: %s", Q(c, v->valuestring), known(c, K_VNET));
    return -1;
}

/* The node named by v, which must be of section want (K_RS, K_GW, K_NVA or K_SITE). */
static int resolve_node(Ctx *c, const cJSON *v, const char *ptr, int want)
{
    if (!v)
        return -1;
    const NodeRef *r = g_hash_table_lookup(c->node_names, v->valuestring);
    if (r && r->kind == want)
        return r->index;
    if (r)
        ERR(c, v, ptr, "no %s named %s (%s is %s %s); known: %s", node_what[want], Q(c, v->valuestring),
            Q(c, v->valuestring), r->kind == K_NVA ? "an" : "a", node_what[r->kind], known(c, want));
    else
        ERR(c, v, ptr, "no %s named %s; known: %s", node_what[want], Q(c, v->valuestring), known(c, want));
    return -1;
}

/* Names of route servers, gateways, NVAs and sites share one namespace (node names). */
static void register_node(Ctx *c, const char *name, const cJSON *node, const char *ptr, int kind, int index)
{
    if (!name)
        return;
    const NodeRef *r = g_hash_table_lookup(c->node_names, name);
    if (r) {
        const char *other = src_ptr(c, r->kind, r->index);
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
static void add_host(Ctx *c, int v, int host)
{
    if (v < 0) {
        c->hosts_unresolved = TRUE;
        return;
    }
    int *slot = &g_array_index(c->vnet_host, int, v);
    if (*slot == -1)
        *slot = host;
}

static Src *add_src(Ctx *c, int kind, const Src *sr, int at)
{
    g_array_append_val(c->src[kind], *sr);
    Src *out = &g_array_index(c->src[kind], Src, c->src[kind]->len - 1);
    out->at = at;
    return out;
}

/* ---- vnets ------------------------------------------------------------------------------- */

enum { VN_NAME, VN_PREFIXES, VN_PEERINGS, VN_SUBNETS, VN_N };
static const KeySpec vnet_keys[VN_N] = {
    { "name", J_STRING, TRUE },
    { "addressPrefixes", J_ARRAY, TRUE },
    { "peerings", J_ARRAY, FALSE },
    { "subnets", J_ARRAY, FALSE },
};

enum { SN_NAME, SN_PREFIX, SN_RT, SN_N };
static const KeySpec subnet_keys[SN_N] = {
    { "name", J_STRING, TRUE },
    { "addressPrefix", J_STRING, TRUE },
    { "routeTable", J_OBJECT, FALSE },
};
enum { RT_NAME, RT_DISABLE, RT_ROUTES, RT_N };
static const KeySpec rt_keys[RT_N] = {
    { "name", J_STRING, FALSE },
    { "disableBgpRoutePropagation", J_BOOL, FALSE },
    { "routes", J_ARRAY, FALSE },
};
enum { UR_NAME, UR_PREFIX, UR_TYPE, UR_IP, UR_N };
static const KeySpec udr_keys[UR_N] = {
    { "name", J_STRING, FALSE },
    { "addressPrefix", J_STRING, TRUE },
    { "nextHopType", J_STRING, TRUE },
    { "nextHopIpAddress", J_STRING, FALSE },
};
static const char *const udr_types[] = { "VirtualAppliance", "VirtualNetworkGateway", "VnetLocal", "Internet", "None" };

/* Subnets of VNet v, with their route tables (user-defined routes, BGP propagation). */
static void do_subnets(Ctx *c, const cJSON *arr, const char *base, ArVnet *vn)
{
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
    int i = 0;
    for (const cJSON *el = arr->child; el; el = el->next, i++) {
        const char *ptr = PI(c, base, i);
        Src sr;
        if (!check_object(c, el, ptr, subnet_keys, SN_N, &sr))
            continue;
        const char *name = check_name(c, sr.f[SN_NAME], PK(c, ptr, "name"));
        if (name && !g_hash_table_add(names, (gpointer)name))
            ERR(c, sr.f[SN_NAME], PK(c, ptr, "name"), "VNet '%s' already has a subnet named %s", vn->name, Q(c, name));
        ArSubnet *sn = scn_add_subnet(vn, name ? name : "");
        const char *pp = PK(c, ptr, "addressPrefix");
        if (sr.f[SN_PREFIX] && get_prefix(c, sr.f[SN_PREFIX], pp, &sn->prefix)) {
            gboolean inside = FALSE;
            for (guint k = 0; k < vn->prefixes->len; k++)
                inside |= pfx_within(sn->prefix, g_array_index(vn->prefixes, ArPrefix, k));
            if (!inside && vn->prefixes->len) {
                char b[PFX_STRLEN];
                ERR(c, sr.f[SN_PREFIX], pp, "%s is outside VNet '%s' (%s)", pfx_format(sn->prefix, b), vn->name,
                    vnet_space(c, (int)c->s->vnets->len - 1));
            }
        }
        const char *rp = PK(c, ptr, "routeTable");
        Src rt;
        if (!sr.f[SN_RT] || !check_object(c, sr.f[SN_RT], rp, rt_keys, RT_N, &rt))
            continue;
        sn->has_route_table = TRUE;
        sn->disable_bgp = get_bool(rt.f[RT_DISABLE], FALSE);
        if (!rt.f[RT_ROUTES])
            continue;
        const char *rb = PK(c, rp, "routes");
        int j = 0;
        for (const cJSON *ue = rt.f[RT_ROUTES]->child; ue; ue = ue->next, j++) {
            const char *up = PI(c, rb, j);
            Src ur;
            if (!check_object(c, ue, up, udr_keys, UR_N, &ur))
                continue;
            ArUdr u = { 0 };
            gboolean ok = ur.f[UR_PREFIX] && get_prefix(c, ur.f[UR_PREFIX], PK(c, up, "addressPrefix"), &u.prefix);
            int t = ur.f[UR_TYPE] ? get_enum(c, ur.f[UR_TYPE], PK(c, up, "nextHopType"), "nextHopType", udr_types, 5) : -1;
            ok = ok && t >= 0;
            if (t >= 0)
                u.type = (ArUdrNextHop)t;
            if (t == UDR_VIRTUAL_APPLIANCE && !ur.f[UR_IP]) {
                ERR(c, ue, up, "a VirtualAppliance route needs \"nextHopIpAddress\" (the firewall's or NVA's address)");
                ok = FALSE;
            } else if (t >= 0 && t != UDR_VIRTUAL_APPLIANCE && ur.f[UR_IP]) {
                ERR(c, ur.f[UR_IP], PK(c, up, "nextHopIpAddress"), "\"nextHopIpAddress\" goes with nextHopType VirtualAppliance only");
                ok = FALSE;
            } else if (ur.f[UR_IP] && !get_ip(c, ur.f[UR_IP], PK(c, up, "nextHopIpAddress"), &u.ip)) {
                ok = FALSE;
            }
            for (guint k = 0; ok && k < sn->routes->len; k++)
                if (pfx_key(g_array_index(sn->routes, ArUdr, k).prefix) == pfx_key(u.prefix)) {
                    char b[PFX_STRLEN];
                    ERR(c, ur.f[UR_PREFIX], PK(c, up, "addressPrefix"), "route table already has a route for %s (%s/%u)",
                        pfx_format(u.prefix, b), rb, k);
                    ok = FALSE;
                }
            if (ok)
                g_array_append_val(sn->routes, u);
        }
    }
    /* Subnets of one VNet never overlap (Azure refuses it). O(n^2) in the subnets of one VNet,
     * which are few. */
    for (guint a = 0; a < vn->subnets->len; a++)
        for (guint b = a + 1; b < vn->subnets->len; b++) {
            const ArSubnet *x = g_ptr_array_index(vn->subnets, a), *y = g_ptr_array_index(vn->subnets, b);
            if (x->prefix.len && y->prefix.len && pfx_overlap(x->prefix, y->prefix)) {
                char pa[PFX_STRLEN], pb[PFX_STRLEN];
                const cJSON *node = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(arr, (int)b), "addressPrefix");
                ERR(c, node, PK(c, PI(c, base, (int)b), "addressPrefix"), "%s overlaps subnet '%s' (%s) of VNet '%s'",
                    pfx_format(y->prefix, pb), x->name, pfx_format(x->prefix, pa), vn->name);
            }
        }
}

static int range_cmp(const void *a, const void *b)
{
    const Range *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1; /* the larger (containing) range first */
    if (x->vnet != y->vnet)
        return x->vnet < y->vnet ? -1 : 1;
    return (x->at > y->at) - (x->at < y->at);
}

static const char *range_ptr(Ctx *c, const Range *r)
{
    const Src *sr = &g_array_index(c->src[K_VNET], Src, r->vnet);
    return keep(c, g_strdup_printf("/vnets/%d/addressPrefixes/%d", sr->at, r->at));
}

/* Azure refuses a VNet whose address prefixes overlap each other. Sorted by start, a range
 * overlaps an earlier one iff it starts before the largest end so far. O(p log p). */
static void check_own_overlap(Ctx *c, GArray *rs)
{
    g_array_sort(rs, range_cmp);
    const Range *reach = NULL; /* earlier range with the largest end */
    char a[PFX_STRLEN], b[PFX_STRLEN];
    for (guint i = 0; i < rs->len; i++) {
        const Range *r = &g_array_index(rs, Range, i);
        if (reach && reach->end >= r->start) {
            /* Report at the one written later in the file. */
            const Range *late = reach->at > r->at ? reach : r, *early = late == r ? reach : r;
            ERR(c, late->node, range_ptr(c, late), "%s overlaps %s (%s) of the same VNet",
                pfx_format(late->p, a), pfx_format(early->p, b), range_ptr(c, early));
        }
        if (!reach || r->end > reach->end)
            reach = r;
    }
}

static void do_vnets(Ctx *c, const cJSON *arr)
{
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/vnets", at);
        Src sr;
        if (!check_object(c, el, ptr, vnet_keys, VN_N, &sr))
            continue;
        const char *name = check_name(c, sr.f[VN_NAME], PK(c, ptr, "name"));
        int v = (int)c->s->vnets->len;
        ArVnet *vn = scn_add_vnet(c->s, name ? name : "");
        add_src(c, K_VNET, &sr, at);
        int minus1 = -1;
        g_array_append_val(c->vnet_rs, minus1);
        g_array_append_val(c->vnet_gw[0], minus1);
        g_array_append_val(c->vnet_gw[1], minus1);
        g_array_append_val(c->vnet_uses, minus1);
        g_array_append_val(c->vnet_host, minus1);
        GArray *rs = g_array_new(FALSE, FALSE, sizeof(Range));
        g_ptr_array_add(c->ranges, rs);

        if (name) {
            gpointer hit = g_hash_table_lookup(c->vnet_names, name);
            if (hit)
                ERR(c, sr.f[VN_NAME], PK(c, ptr, "name"), "name %s is already used by %s", Q(c, name),
                    src_ptr(c, K_VNET, GPOINTER_TO_INT(hit) - 1));
            else
                g_hash_table_insert(c->vnet_names, (gpointer)name, GINT_TO_POINTER(v + 1));
        }
        const cJSON *pl = sr.f[VN_PREFIXES];
        if (!pl)
            continue;
        const char *pptr = PK(c, ptr, "addressPrefixes");
        if (!pl->child)
            ERR(c, pl, pptr, "addressPrefixes needs at least one prefix");
        int j = 0;
        for (const cJSON *it = pl->child; it; it = it->next, j++) {
            ArPrefix p;
            if (!get_prefix(c, it, PI(c, pptr, j), &p))
                continue;
            g_array_append_val(vn->prefixes, p);
            Range r = { p.addr, p.addr | ~pfx_mask(p.len), v, j, p, it };
            g_array_append_val(rs, r);
        }
        check_own_overlap(c, rs);
        if (sr.f[VN_SUBNETS])
            do_subnets(c, sr.f[VN_SUBNETS], PK(c, ptr, "subnets"), vn);
    }
}

/* ---- route servers ----------------------------------------------------------------------- */

enum { RS_NAME, RS_VNET, RS_B2B, RS_HRP, RS_LIMIT, RS_REFLECT, RS_IPS, RS_N };
static const KeySpec rs_keys[RS_N] = {
    { "name", J_STRING, TRUE },
    { "vnet", J_STRING, TRUE },
    { "allowBranchToBranchTraffic", J_BOOL, FALSE },
    { "hubRoutingPreference", J_STRING, FALSE },
    { "routeLimitPerPeer", J_INT, FALSE },
    { "nvaToNvaReflection", J_BOOL, FALSE },
    { "virtualRouterIps", J_ARRAY, FALSE },
};
static const char *const hrp_names[] = { "ExpressRoute", "VpnGateway", "ASPath" };

static void do_route_servers(Ctx *c, const cJSON *arr)
{
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/routeServers", at);
        Src sr;
        if (!check_object(c, el, ptr, rs_keys, RS_N, &sr))
            continue;
        const char *name = check_name(c, sr.f[RS_NAME], PK(c, ptr, "name"));
        int idx = (int)c->s->route_servers->len;
        ArRouteServer *r = scn_add_route_server(c->s, name ? name : "");
        add_src(c, K_RS, &sr, at);
        int zero = 0;
        g_array_append_val(c->rs_peers, zero);
        register_node(c, name, sr.f[RS_NAME], PK(c, ptr, "name"), K_RS, idx);

        r->vnet = resolve_vnet(c, sr.f[RS_VNET], PK(c, ptr, "vnet"));
        add_host(c, r->vnet, idx);
        if (r->vnet >= 0) {
            int *slot = &g_array_index(c->vnet_rs, int, r->vnet);
            if (*slot >= 0)
                ERR(c, sr.f[RS_VNET], PK(c, ptr, "vnet"),
                    "VNet '%s' already has Route Server '%s' (%s); Azure allows one Route Server per VNet",
                    ((ArVnet *)g_ptr_array_index(c->s->vnets, r->vnet))->name, obj_name(c, K_RS, *slot),
                    src_ptr(c, K_RS, *slot));
            else
                *slot = idx;
        }
        r->branch_to_branch = get_bool(sr.f[RS_B2B], FALSE);
        r->reflect_nva_to_nva = get_bool(sr.f[RS_REFLECT], TRUE);
        if (sr.f[RS_HRP]) {
            int h = get_enum(c, sr.f[RS_HRP], PK(c, ptr, "hubRoutingPreference"), "hubRoutingPreference", hrp_names, 3);
            if (h >= 0)
                r->hub_pref = (ArHubPref)h;
        }
        if (sr.f[RS_LIMIT])
            get_uint_range(c, sr.f[RS_LIMIT], PK(c, ptr, "routeLimitPerPeer"), 1, AR_RS_ROUTE_LIMIT_MAX, &r->route_limit);
        const cJSON *ips = sr.f[RS_IPS];
        if (ips) {
            const char *iptr = PK(c, ptr, "virtualRouterIps");
            int n = cJSON_GetArraySize(ips);
            if (n != 2) {
                ERR(c, ips, iptr, "virtualRouterIps needs exactly 2 addresses (one per Route Server instance), got %d", n);
                continue;
            }
            int j = 0;
            for (const cJSON *it = ips->child; it; it = it->next, j++) {
                const char *ip_ptr = PI(c, iptr, j);
                if (!get_ip(c, it, ip_ptr, &r->ips[j]))
                    continue;
                if (j == 1 && r->ips[0] == r->ips[1]) {
                    ERR(c, it, ip_ptr, "virtualRouterIps must be 2 different addresses");
                    continue;
                }
                check_vnet_address(c, it, ip_ptr, r->vnet, r->ips[j]);
            }
        }
    }
}

/* ---- gateways ---------------------------------------------------------------------------- */

enum { GW_NAME, GW_VNET, GW_TYPE, GW_AA, GW_ASN, GW_IPS, GW_N };
static const KeySpec gw_keys[GW_N] = {
    { "name", J_STRING, TRUE },
    { "vnet", J_STRING, TRUE },
    { "type", J_STRING, TRUE },
    { "activeActive", J_BOOL, FALSE },
    { "asn", J_INT, FALSE },
    { "ipAddresses", J_ARRAY, FALSE },
};
static const char *const gw_type_names[] = { "ExpressRoute", "Vpn" };

static void do_gateways(Ctx *c, const cJSON *arr)
{
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/gateways", at);
        Src sr;
        if (!check_object(c, el, ptr, gw_keys, GW_N, &sr))
            continue;
        const char *name = check_name(c, sr.f[GW_NAME], PK(c, ptr, "name"));
        int idx = (int)c->s->gateways->len;
        ArGateway *g = scn_add_gateway(c->s, name ? name : "");
        Src *kept = add_src(c, K_GW, &sr, at);
        register_node(c, name, sr.f[GW_NAME], PK(c, ptr, "name"), K_GW, idx);

        int type = -1;
        if (sr.f[GW_TYPE])
            type = get_enum(c, sr.f[GW_TYPE], PK(c, ptr, "type"), "gateway type", gw_type_names, 2);
        if (type >= 0) {
            g->type = (ArGatewayType)type;
            kept->gw_type_known = TRUE;
        }
        g->vnet = resolve_vnet(c, sr.f[GW_VNET], PK(c, ptr, "vnet"));
        add_host(c, g->vnet, -2 - idx);
        if (g->vnet >= 0 && type >= 0) {
            int *slot = &g_array_index(c->vnet_gw[type], int, g->vnet);
            if (*slot >= 0)
                ERR(c, sr.f[GW_VNET], PK(c, ptr, "vnet"),
                    "VNet '%s' already has %s gateway '%s' (%s); Azure allows one gateway of each type per VNet",
                    ((ArVnet *)g_ptr_array_index(c->s->vnets, g->vnet))->name,
                    type == GW_VPN ? "a Vpn" : "an ExpressRoute", obj_name(c, K_GW, *slot), src_ptr(c, K_GW, *slot));
            else
                *slot = idx;
        }
        g->active_active = get_bool(sr.f[GW_AA], FALSE);
        gboolean asn_ok = TRUE;
        if (sr.f[GW_ASN]) {
            const char *aptr = PK(c, ptr, "asn");
            if (type == GW_EXPRESSROUTE) {
                double x;
                asn_ok = get_whole(c, sr.f[GW_ASN], aptr, &x);
                if (asn_ok && x != AR_ASN_ROUTE_SERVER) {
                    ERR(c, sr.f[GW_ASN], aptr, "an ExpressRoute gateway's ASN is always 65515; remove \"asn\"");
                    asn_ok = FALSE;
                }
            } else if (type == GW_VPN) {
                asn_ok = get_wide_asn(c, sr.f[GW_ASN], aptr, TRUE, &g->asn);
            } else {
                double x; /* unknown type (reported): which ASN rule applies is unclear */
                asn_ok = get_whole(c, sr.f[GW_ASN], aptr, &x);
            }
        }
        /* A VPN gateway beside a Route Server must be active-active with ASN 65515 (ERVPN). */
        int rs = g->vnet >= 0 ? g_array_index(c->vnet_rs, int, g->vnet) : -1;
        if (type == GW_VPN && rs >= 0) {
            const char *rsn = obj_name(c, K_RS, rs);
            if (!g->active_active)
                ERR(c, sr.f[GW_AA] ? sr.f[GW_AA] : el, sr.f[GW_AA] ? PK(c, ptr, "activeActive") : ptr,
                    "VPN gateway '%s' must be active-active beside Route Server '%s'; set \"activeActive\": true",
                    g->name, rsn);
            if (asn_ok && g->asn != AR_ASN_ROUTE_SERVER)
                ERR(c, sr.f[GW_ASN], PK(c, ptr, "asn"),
                    "VPN gateway '%s' must use ASN 65515 beside Route Server '%s'; set \"asn\": 65515", g->name, rsn);
        }
        const cJSON *ips = sr.f[GW_IPS];
        if (ips) {
            const char *iptr = PK(c, ptr, "ipAddresses");
            int n = cJSON_GetArraySize(ips);
            if (n < 1 || n > 2) {
                ERR(c, ips, iptr, "ipAddresses needs 1 or 2 addresses (one per gateway instance), got %d", n);
                continue;
            }
            int j = 0;
            for (const cJSON *it = ips->child; it; it = it->next, j++) {
                const char *ip_ptr = PI(c, iptr, j);
                if (!get_ip(c, it, ip_ptr, &g->ips[j]))
                    continue;
                if (j == 1 && g->ips[0] == g->ips[1]) {
                    ERR(c, it, ip_ptr, "ipAddresses must be different addresses");
                    continue;
                }
                check_vnet_address(c, it, ip_ptr, g->vnet, g->ips[j]);
            }
        }
    }
}

/* ---- peerings ---------------------------------------------------------------------------- */

enum { PR_REMOTE, PR_USE, PR_ALLOW, PR_N };
static const KeySpec peering_keys[PR_N] = {
    { "remoteVnet", J_STRING, TRUE },
    { "useRemoteGateways", J_BOOL, FALSE },
    { "allowGatewayTransit", J_BOOL, FALSE },
};

static gboolean vnet_hosts(Ctx *c, int v)
{
    return g_array_index(c->vnet_host, int, v) != -1;
}

static const char *vnet_host_name(Ctx *c, int v)
{
    int h = g_array_index(c->vnet_host, int, v);
    return h >= 0 ? obj_name(c, K_RS, h) : obj_name(c, K_GW, -2 - h);
}

/* First overlap between two VNets' sorted ranges, two pointers: O(pa + pb). A range that ends
 * before the other list's current one starts can overlap nothing later in that list. */
static gboolean first_overlap(GArray *a, GArray *b, const Range **ra, const Range **rb)
{
    guint i = 0, j = 0;
    while (i < a->len && j < b->len) {
        const Range *x = &g_array_index(a, Range, i), *y = &g_array_index(b, Range, j);
        if (x->end < y->start)
            i++;
        else if (y->end < x->start)
            j++;
        else {
            *ra = x;
            *rb = y;
            return TRUE;
        }
    }
    return FALSE;
}

static void do_peerings(Ctx *c)
{
    for (guint v = 0; v < c->s->vnets->len; v++) {
        const Src *sr = &g_array_index(c->src[K_VNET], Src, v);
        const cJSON *arr = sr->f[VN_PEERINGS];
        if (!arr)
            continue;
        ArVnet *vn = g_ptr_array_index(c->s->vnets, v);
        const char *base = keep(c, g_strdup_printf("/vnets/%d/peerings", sr->at));
        int at = 0;
        for (const cJSON *el = arr->child; el; el = el->next, at++) {
            const char *ptr = PI(c, base, at);
            Src pr;
            if (!check_object(c, el, ptr, peering_keys, PR_N, &pr))
                continue;
            const cJSON *rem = pr.f[PR_REMOTE];
            const char *rptr = PK(c, ptr, "remoteVnet");
            ArPeering p = { resolve_vnet(c, rem, rptr), get_bool(pr.f[PR_USE], FALSE), get_bool(pr.f[PR_ALLOW], FALSE) };
            const char *uptr = PK(c, ptr, "useRemoteGateways");
            if (p.use_remote_gateways && p.allow_gateway_transit)
                ERR(c, pr.f[PR_USE], uptr,
                    "useRemoteGateways and allowGatewayTransit cannot both be true on one peering");
            if (p.use_remote_gateways && vnet_hosts(c, (int)v))
                ERR(c, pr.f[PR_USE], uptr,
                    "VNet '%s' has its own gateway or Route Server ('%s'), so it cannot use remote gateways",
                    vn->name, vnet_host_name(c, (int)v));
            if (p.remote < 0)
                continue;
            ArVnet *rv = g_ptr_array_index(c->s->vnets, p.remote);
            if (p.remote == (int)v) {
                ERR(c, rem, rptr, "VNet '%s' cannot peer with itself", vn->name);
                continue;
            }
            guint64 key = ((guint64)MIN(v, (guint)p.remote) << 32) | MAX(v, (guint)p.remote);
            const char *first = g_hash_table_lookup(c->peered, &key);
            if (first) {
                ERR(c, rem, rptr, "VNets '%s' and '%s' are already peered by %s; list a peering once", vn->name,
                    rv->name, first);
                continue;
            }
            guint64 *k = g_new(guint64, 1);
            *k = key;
            g_hash_table_insert(c->peered, k, (gpointer)ptr);
            g_array_append_val(vn->peerings, p);

            const Range *ra, *rb;
            if (first_overlap(g_ptr_array_index(c->ranges, v), g_ptr_array_index(c->ranges, p.remote), &ra, &rb)) {
                char a[PFX_STRLEN], b[PFX_STRLEN];
                ERR(c, rem, rptr, "VNets '%s' (%s) and '%s' (%s) have overlapping address spaces; Azure refuses to peer them",
                    vn->name, pfx_format(ra->p, a), rv->name, pfx_format(rb->p, b));
            }
            if (p.use_remote_gateways && !vnet_hosts(c, (int)v)) {
                int *uses = &g_array_index(c->vnet_uses, int, v);
                if (!vnet_hosts(c, p.remote) && !c->hosts_unresolved)
                    ERR(c, pr.f[PR_USE], uptr, "VNet '%s' has no gateway or Route Server to use", rv->name);
                else if (*uses >= 0)
                    ERR(c, pr.f[PR_USE], uptr,
                        "VNet '%s' already uses the gateways of VNet '%s'; useRemoteGateways can be true on one peering only",
                        vn->name, ((ArVnet *)g_ptr_array_index(c->s->vnets, *uses))->name);
                else
                    *uses = p.remote;
            }
        }
    }
}

/* ---- nvas -------------------------------------------------------------------------------- */

enum { NV_NAME, NV_VNET, NV_IP, NV_ASN, NV_RS, NV_NH, NV_ADV, NV_POL, NV_PEERS, NV_HOLD, NV_MRAI, NV_FROM, NV_N };
static const KeySpec nva_keys[NV_N] = {
    { "name", J_STRING, TRUE },
    { "vnet", J_STRING, TRUE },
    { "ipAddress", J_STRING, TRUE },
    { "asn", J_INT, TRUE },
    { "routeServer", J_STRING, FALSE },
    { "nextHopIp", J_STRING, FALSE },
    { "advertisedPrefixes", J_ARRAY, FALSE },
    { "policies", J_ARRAY, FALSE },
    { "bgpPeers", J_ARRAY, FALSE },
    { "holdTime", J_TIME, FALSE },
    { "mrai", J_TIME, FALSE },
    { "routesFrom", J_OBJECT, FALSE },
};

enum { AP_PREFIX, AP_PATH, AP_COMM, AP_N };
static const KeySpec adv_keys[AP_N] = {
    { "prefix", J_STRING, TRUE },
    { "asPath", J_ARRAY, FALSE },
    { "communities", J_ARRAY, FALSE },
};

/* "A:B" with A and B in 0..65535, as one 32-bit value. */
static gboolean parse_community(const char *s, uint32_t *out)
{
    uint32_t part[2];
    for (int i = 0; i < 2; i++) {
        int digits = 0;
        uint32_t v = 0;
        while (*s >= '0' && *s <= '9' && digits < 6) {
            v = v * 10 + (uint32_t)(*s++ - '0');
            digits++;
        }
        /* No leading zeros ("065001:1"), as for addresses: one spelling per value. */
        if (digits == 0 || digits > 5 || v > 65535 || (digits > 1 && s[-digits] == '0') ||
            *s != (i == 0 ? ':' : '\0'))
            return FALSE;
        s++;
        part[i] = v;
    }
    *out = part[0] << 16 | part[1];
    return TRUE;
}

static void do_origination(Ctx *c, const cJSON *it, const char *ptr, ArNva *n, GHashTable *seen)
{
    ArOrigination o = { { 0, 0 }, g_array_new(FALSE, FALSE, sizeof(uint32_t)),
                        g_array_new(FALSE, FALSE, sizeof(uint32_t)) };
    const cJSON *pnode = it;
    const char *pptr = ptr;
    gboolean ok;
    if (cJSON_IsObject(it)) {
        Src sr;
        check_object(c, it, ptr, adv_keys, AP_N, &sr);
        pnode = sr.f[AP_PREFIX];
        pptr = PK(c, ptr, "prefix");
        ok = pnode && get_prefix(c, pnode, pptr, &o.prefix);
        if (sr.f[AP_PATH]) {
            const char *base = PK(c, ptr, "asPath");
            int j = 0;
            for (const cJSON *a = sr.f[AP_PATH]->child; a; a = a->next, j++) {
                uint32_t asn;
                const char *aptr = PI(c, base, j);
                if (!cJSON_IsNumber(a)) {
                    ERR(c, a, aptr, "expected an integer ASN, got %s", load_type_name(a));
                    continue;
                }
                if (!get_uint_range(c, a, aptr, 0, 4294967295.0, &asn))
                    continue;
                /* Accepted so that the simulation can show the drop (rule book section 5). */
                if (asn == 0)
                    WARN(c, a, aptr, "AS 0 in an AS path is invalid (RFC 7607); Route Server drops this route");
                else if (asn == AR_ASN_ROUTE_SERVER)
                    WARN(c, a, aptr, "65515 in the AS path: Route Server drops this route (loop prevention, MR)");
                g_array_append_val(o.as_path, asn);
            }
        }
        if (sr.f[AP_COMM]) {
            const char *base = PK(c, ptr, "communities");
            int j = 0;
            for (const cJSON *a = sr.f[AP_COMM]->child; a; a = a->next, j++) {
                uint32_t cm;
                const char *cptr = PI(c, base, j);
                if (!cJSON_IsString(a))
                    ERR(c, a, cptr, "expected a community string such as \"65001:100\", got %s", load_type_name(a));
                else if (!parse_community(a->valuestring, &cm))
                    ERR(c, a, cptr, "%s is not a community (A:B with A and B in 0..65535)", Q(c, a->valuestring));
                else if (cm == AR_COMMUNITY_RS_RESERVED)
                    ERR(c, a, cptr, "community 65517:65517 is reserved by Route Server; NVAs must not advertise it (ERVPN)");
                else
                    g_array_append_val(o.communities, cm);
            }
        }
    } else if (cJSON_IsString(it)) {
        ok = get_prefix(c, it, ptr, &o.prefix);
    } else {
        ERR(c, it, ptr, "expected a CIDR prefix string or an object with \"prefix\", got %s", load_type_name(it));
        ok = FALSE;
    }
    if (ok) {
        gpointer key = rib_key_ptr(pfx_key(o.prefix));
        const char *first = g_hash_table_lookup(seen, key);
        if (first) {
            char b[PFX_STRLEN];
            ERR(c, pnode, pptr, "%s is already advertised by %s", pfx_format(o.prefix, b), first);
        } else {
            g_hash_table_insert(seen, key, (gpointer)ptr);
        }
    }
    /* Appended even when invalid: the model is discarded then, and this frees the arrays. */
    g_array_append_val(n->originations, o);
}

enum { PO_PEER, PO_DIR, PO_MATCH, PO_ACTION, PO_SET, PO_N };
static const KeySpec policy_keys[PO_N] = {
    { "peer", J_STRING, FALSE },
    { "direction", J_STRING, TRUE },
    { "match", J_OBJECT, FALSE },
    { "action", J_STRING, FALSE },
    { "set", J_OBJECT, FALSE },
};
enum { PM_PREFIX, PM_GE, PM_LE, PM_AS, PM_COMM, PM_N };
static const KeySpec match_keys[PM_N] = {
    { "prefix", J_STRING, FALSE },
    { "ge", J_INT, FALSE },
    { "le", J_INT, FALSE },
    { "asPathContains", J_INT, FALSE },
    { "community", J_STRING, FALSE },
};
enum { PS_PREPEND, PS_REMOVE, PS_REPLACE, PS_ADDCOMM, PS_LP, PS_NH, PS_N };
static const KeySpec set_keys[PS_N] = {
    { "prepend", J_INT, FALSE },
    { "removePrivateAs", J_BOOL, FALSE },
    { "replaceAs", J_OBJECT, FALSE },
    { "addCommunities", J_ARRAY, FALSE },
    { "localPreference", J_INT, FALSE },
    { "nextHop", J_STRING, FALSE },
};
enum { RA_FROM, RA_TO, RA_N };
static const KeySpec replace_keys[RA_N] = {
    { "from", J_INT, TRUE },
    { "to", J_INT, TRUE },
};

static gboolean parse_community(const char *s, uint32_t *out);

static gboolean get_community(Ctx *c, const cJSON *v, const char *ptr, uint32_t *out)
{
    if (cJSON_IsString(v) && parse_community(v->valuestring, out))
        return TRUE;
    ERR(c, v, ptr, "expected a community \"A:B\" with A and B from 0 to 65535, e.g. \"65535:65282\" (NO_ADVERTISE)");
    return FALSE;
}

/* Neighbour policies of an NVA or site: route-map rules, first match wins. */
static void do_policies(Ctx *c, const cJSON *arr, const char *base, GArray *out)
{
    static const char *const dirs[] = { "import", "export" };
    static const char *const actions[] = { "permit", "deny" };
    int i = 0;
    for (const cJSON *el = arr->child; el; el = el->next, i++) {
        const char *ptr = PI(c, base, i);
        Src sr;
        if (!check_object(c, el, ptr, policy_keys, PO_N, &sr))
            continue;
        ArRmRule r = { 0 };
        if (sr.f[PO_DIR])
            r.import = get_enum(c, sr.f[PO_DIR], PK(c, ptr, "direction"), "direction", dirs, 2) == 0;
        if (sr.f[PO_ACTION])
            r.deny = get_enum(c, sr.f[PO_ACTION], PK(c, ptr, "action"), "action", actions, 2) == 1;
        if (sr.f[PO_PEER] && strcmp(sr.f[PO_PEER]->valuestring, "*") != 0)
            r.peer = g_strdup(sr.f[PO_PEER]->valuestring);
        const char *mp = PK(c, ptr, "match");
        Src m;
        if (sr.f[PO_MATCH] && check_object(c, sr.f[PO_MATCH], mp, match_keys, PM_N, &m)) {
            if (m.f[PM_PREFIX] && get_prefix(c, m.f[PM_PREFIX], PK(c, mp, "prefix"), &r.prefix))
                r.has_prefix = TRUE;
            uint32_t ge = r.prefix.len, le = r.prefix.len;
            if (m.f[PM_GE] || m.f[PM_LE])
                le = 32;
            if (m.f[PM_GE])
                get_uint_range(c, m.f[PM_GE], PK(c, mp, "ge"), r.prefix.len, 32, &ge);
            if (m.f[PM_LE])
                get_uint_range(c, m.f[PM_LE], PK(c, mp, "le"), ge, 32, &le);
            if ((m.f[PM_GE] || m.f[PM_LE]) && !m.f[PM_PREFIX])
                ERR(c, sr.f[PO_MATCH], mp, "\"ge\" and \"le\" go with \"prefix\"");
            r.ge = (uint8_t)ge;
            r.le = (uint8_t)le;
            if (m.f[PM_AS] && get_uint_range(c, m.f[PM_AS], PK(c, mp, "asPathContains"), 0, 4294967295.0, &r.as))
                r.has_as = TRUE;
            if (m.f[PM_COMM] && get_community(c, m.f[PM_COMM], PK(c, mp, "community"), &r.comm))
                r.has_comm = TRUE;
        }
        const char *sp = PK(c, ptr, "set");
        Src st;
        if (sr.f[PO_SET] && check_object(c, sr.f[PO_SET], sp, set_keys, PS_N, &st)) {
            if (r.deny)
                ERR(c, sr.f[PO_SET], sp, "a \"deny\" rule drops the route: \"set\" has nothing to change");
            uint32_t v;
            if (st.f[PS_PREPEND] && get_uint_range(c, st.f[PS_PREPEND], PK(c, sp, "prepend"), 1, AR_PREPEND_MAX, &v))
                r.prepend = (uint8_t)v;
            r.remove_private = get_bool(st.f[PS_REMOVE], FALSE);
            Src ra;
            const char *rp = PK(c, sp, "replaceAs");
            if (st.f[PS_REPLACE] && check_object(c, st.f[PS_REPLACE], rp, replace_keys, RA_N, &ra) && ra.f[RA_FROM] &&
                ra.f[RA_TO] && get_uint_range(c, ra.f[RA_FROM], PK(c, rp, "from"), 1, 4294967295.0, &r.replace_from) &&
                get_uint_range(c, ra.f[RA_TO], PK(c, rp, "to"), 1, 4294967295.0, &r.replace_to))
                r.has_replace = TRUE;
            if (st.f[PS_ADDCOMM]) {
                r.add_comms = g_array_new(FALSE, FALSE, sizeof(uint32_t));
                const char *ap = PK(c, sp, "addCommunities");
                int k = 0;
                for (const cJSON *it = st.f[PS_ADDCOMM]->child; it; it = it->next, k++)
                    if (get_community(c, it, PI(c, ap, k), &v)) {
                        if (v == AR_COMMUNITY_RS_RESERVED)
                            ERR(c, it, PI(c, ap, k), "65517:65517 is reserved by Route Server (ERVPN): NVAs must not advertise it");
                        g_array_append_val(r.add_comms, v);
                    }
            }
            if (st.f[PS_LP] && get_uint_range(c, st.f[PS_LP], PK(c, sp, "localPreference"), 0, 4294967295.0, &r.local_pref))
                r.has_local_pref = TRUE;
            if (st.f[PS_NH] && get_ip(c, st.f[PS_NH], PK(c, sp, "nextHop"), &r.next_hop))
                r.has_next_hop = TRUE;
        }
        g_array_append_val(out, r);
    }
    /* Peers are checked when every node is known (sites come after NVAs). */
    i = 0;
    for (const cJSON *el = arr->child; el; el = el->next, i++) {
        const cJSON *peer = cJSON_IsObject(el) ? cJSON_GetObjectItemCaseSensitive(el, "peer") : NULL;
        if (!cJSON_IsString(peer) || strcmp(peer->valuestring, "*") == 0)
            continue;
        Ref ref = { peer, PK(c, PI(c, base, i), "peer"), -1, NULL };
        g_array_append_val(c->refs, ref);
    }
}

/* Every policy peer names a node (generated instance names too); bgpPeers name other NVAs. */
static GHashTable *event_node_names(Ctx *c);

static void check_refs(Ctx *c)
{
    g_autoptr(GHashTable) names = event_node_names(c);
    /* NVA pairs already peered, (low index << 32 | high index): O(1) per bgpPeers entry. */
    g_autoptr(GHashTable) pairs = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    for (guint i = 0; i < c->refs->len; i++) {
        const Ref *r = &g_array_index(c->refs, Ref, i);
        const char *n = r->node->valuestring;
        if (r->nva < 0) {
            if (!g_hash_table_contains(names, n))
                ERR(c, r->node, r->ptr, "no node named %s for this policy; use a neighbour's name, a Route Server's name "
                                        "(both instances) or \"*\"", Q(c, n));
            continue;
        }
        ArNva *nva = g_ptr_array_index(c->s->nvas, r->nva);
        const NodeRef *nr = g_hash_table_lookup(c->node_names, n);
        int other = nr && nr->kind == K_NVA ? nr->index : AR_NO_INDEX;
        if (other < 0) {
            ERR(c, r->node, r->ptr, "no NVA named %s; bgpPeers lists other NVAs (sites connect through \"connections\"); known: %s",
                Q(c, n), known(c, K_NVA));
            continue;
        }
        if (other == r->nva) {
            ERR(c, r->node, r->ptr, "an NVA cannot peer with itself");
            continue;
        }
        /* Listed twice, or on both sides: one session. */
        gint64 *pair = g_new(gint64, 1);
        *pair = ((gint64)MIN(other, r->nva) << 32) | (gint64)MAX(other, r->nva);
        gboolean dup = !g_hash_table_add(pairs, pair);
        if (dup)
            ERR(c, r->node, r->ptr, "the session between '%s' and '%s' is already listed; list it once", nva->name, n);
        else
            g_array_append_val(nva->bgp_peers, other);
    }
}

static gboolean get_time(Ctx *c, const cJSON *v, const char *ptr, uint64_t *out);

/* A node's own hold time (RFC 4271 4.2: 0, or at least 3 s); the session uses the smaller end's. */
static void get_hold_time(Ctx *c, const cJSON *v, const char *ptr, uint64_t *out)
{
    uint64_t t;
    if (!get_time(c, v, ptr, &t))
        return;
    if (t && t < AR_US(AR_HOLD_TIME_MIN_S)) {
        ERR(c, v, ptr, "a BGP hold time is 0 (no hold timer) or at least 3 s (RFC 4271 4.2)");
        return;
    }
    *out = t;
}

enum { RF_MRT, RF_BGPDUMP, RF_PEER, RF_N };
static const KeySpec routes_from_keys[RF_N] = {
    { "mrt", J_STRING, FALSE },
    { "bgpdump", J_STRING, FALSE },
    { "peer", J_ANY, FALSE },
};

/* routesFrom of an NVA or site: its file (relative to the scenario's folder) read now, by the MRT
 * reader (include/arsim/mrt.h). NULL when absent or bad (reported). O(file size). */
static ArRouteTable *do_routes_from(Ctx *c, const cJSON *obj, const char *ptr)
{
    Src sr;
    if (!check_object(c, obj, ptr, routes_from_keys, RF_N, &sr))
        return NULL;
    bool text = sr.f[RF_BGPDUMP] != NULL;
    const cJSON *fnode = text ? sr.f[RF_BGPDUMP] : sr.f[RF_MRT];
    if ((sr.f[RF_MRT] != NULL) == text) {
        if (!(sr.present & 3u)) /* a key of the wrong type was reported already */
            ERR(c, obj, ptr, "routesFrom needs one of \"mrt\" (an MRT TABLE_DUMP_V2 file) or \"bgpdump\" (bgpdump -m text)");
        else if (text)
            ERR(c, obj, ptr, "\"mrt\" and \"bgpdump\" exclude each other: one file per routesFrom");
        return NULL;
    }
    ArMrtPeerSel sel = { 0 };
    const cJSON *pn = sr.f[RF_PEER];
    const char *pptr = PK(c, ptr, "peer");
    if (cJSON_IsString(pn)) {
        if (!get_ip(c, pn, pptr, &sel.ip))
            return NULL;
        sel.by_ip = true;
    } else if (cJSON_IsNumber(pn) && !text) {
        uint32_t v;
        if (!get_uint_range(c, pn, pptr, 0, 65535, &v))
            return NULL;
        sel.by_index = true;
        sel.index = (uint16_t)v;
    } else if (pn) {
        ERR(c, pn, pptr, "expected the peer's address such as \"192.0.2.1\"%s, got %s",
            text ? " (bgpdump text names peers by address)" : " or its index in the PEER_INDEX_TABLE", load_type_name(pn));
        return NULL;
    }
    const char *fptr = PK(c, ptr, text ? "bgpdump" : "mrt");
    if (!*fnode->valuestring) {
        ERR(c, fnode, fptr, "expected a file name, got an empty string");
        return NULL;
    }
    g_autofree char *dir = g_path_get_dirname(c->file);
    g_autofree char *path = g_path_is_absolute(fnode->valuestring) || strcmp(dir, ".") == 0
                                ? g_strdup(fnode->valuestring)
                                : g_build_filename(dir, fnode->valuestring, NULL);
    ArRouteTable *t = scn_route_table_new(path);
    g_autoptr(GError) e = NULL;
    if (!mrt_read_file(text, &sel, t, &e)) {
        ERR(c, fnode, fptr, "%s", e->message);
        scn_route_table_free(t);
        return NULL;
    }
    if (t->skipped_ipv6)
        WARN(c, fnode, fptr, "%s: %" G_GUINT64_FORMAT " IPv6 %s skipped (arsim models IPv4 only)", path,
             t->skipped_ipv6, text ? "lines" : "records");
    if (!t->routes->len)
        WARN(c, fnode, fptr, "%s: no IPv4 route%s", path, pn ? " from the chosen peer" : "");
    return t;
}

static void do_nvas(Ctx *c, const cJSON *arr)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(rib_key_hash, g_direct_equal); /* prefix key packed in the pointer */
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/nvas", at);
        Src sr;
        if (!check_object(c, el, ptr, nva_keys, NV_N, &sr))
            continue;
        const char *name = check_name(c, sr.f[NV_NAME], PK(c, ptr, "name"));
        int idx = (int)c->s->nvas->len;
        ArNva *n = scn_add_nva(c->s, name ? name : "");
        add_src(c, K_NVA, &sr, at);
        register_node(c, name, sr.f[NV_NAME], PK(c, ptr, "name"), K_NVA, idx);

        n->vnet = resolve_vnet(c, sr.f[NV_VNET], PK(c, ptr, "vnet"));
        if (sr.f[NV_IP] && get_ip(c, sr.f[NV_IP], PK(c, ptr, "ipAddress"), &n->ip))
            check_vnet_address(c, sr.f[NV_IP], PK(c, ptr, "ipAddress"), n->vnet, n->ip);
        n->next_hop = n->ip;
        if (sr.f[NV_NH])
            get_ip(c, sr.f[NV_NH], PK(c, ptr, "nextHopIp"), &n->next_hop);
        if (sr.f[NV_ASN])
            get_nva_asn(c, sr.f[NV_ASN], PK(c, ptr, "asn"), &n->asn);

        const char *rptr = PK(c, ptr, "routeServer");
        n->route_server = resolve_node(c, sr.f[NV_RS], rptr, K_RS);
        if (n->route_server >= 0) {
            const ArRouteServer *r = g_ptr_array_index(c->s->route_servers, n->route_server);
            if (r->vnet >= 0 && n->vnet >= 0 && r->vnet != n->vnet) {
                guint64 key = ((guint64)MIN(r->vnet, n->vnet) << 32) | (guint64)MAX(r->vnet, n->vnet);
                if (!g_hash_table_contains(c->peered, &key))
                    ERR(c, sr.f[NV_RS], rptr,
                        "Route Server '%s' is in VNet '%s', which is neither the NVA's VNet '%s' nor peered with it",
                        r->name, ((ArVnet *)g_ptr_array_index(c->s->vnets, r->vnet))->name,
                        ((ArVnet *)g_ptr_array_index(c->s->vnets, n->vnet))->name);
            }
            int *peers = &g_array_index(c->rs_peers, int, n->route_server);
            /* With liftLimits, one warning per Route Server: thousands would bury any error. */
            gboolean lift = c->s->settings.lift_limits;
            if (++*peers > AR_RS_MAX_PEERS && (!lift || *peers == AR_RS_MAX_PEERS + 1))
                report(c, lift ? DIAG_WARNING : DIAG_ERROR, sr.f[NV_RS], FALSE, rptr,
                    "NVA '%s' would be BGP peer number %d of Route Server '%s'; Azure allows at most %d peers per Route Server (LIM)%s",
                    n->name, *peers, r->name, AR_RS_MAX_PEERS, lift ? "; later peers past the limit are not listed" : "");
        }
        if (sr.f[NV_ADV]) {
            g_hash_table_remove_all(seen);
            const char *base = PK(c, ptr, "advertisedPrefixes");
            int j = 0;
            for (const cJSON *it = sr.f[NV_ADV]->child; it; it = it->next, j++)
                do_origination(c, it, PI(c, base, j), n, seen);
        }
        if (sr.f[NV_FROM])
            n->table = do_routes_from(c, sr.f[NV_FROM], PK(c, ptr, "routesFrom"));
        if (sr.f[NV_POL])
            do_policies(c, sr.f[NV_POL], PK(c, ptr, "policies"), n->policies);
        if (sr.f[NV_HOLD])
            get_hold_time(c, sr.f[NV_HOLD], PK(c, ptr, "holdTime"), &n->hold_time);
        if (sr.f[NV_MRAI])
            get_time(c, sr.f[NV_MRAI], PK(c, ptr, "mrai"), &n->mrai);
        if (sr.f[NV_PEERS]) {
            const char *base = PK(c, ptr, "bgpPeers");
            int j = 0;
            for (const cJSON *it = sr.f[NV_PEERS]->child; it; it = it->next, j++) {
                const char *pp = PI(c, base, j);
                const cJSON *nv = cJSON_IsObject(it) ? cJSON_GetObjectItemCaseSensitive(it, "nva") : NULL;
                if (!cJSON_IsString(nv) || cJSON_GetArraySize(it) != 1) {
                    ERR(c, it, pp, "expected {\"nva\": NAME}: another NVA to peer with over eBGP multihop");
                    continue;
                }
                Ref ref = { nv, PK(c, pp, "nva"), idx, NULL };
                g_array_append_val(c->refs, ref);
            }
        }
    }
}

/* ---- sites ------------------------------------------------------------------------------- */

enum { ST_NAME, ST_ASN, ST_PREFIXES, ST_IP, ST_CONNS, ST_POL, ST_HOLD, ST_MRAI, ST_FROM, ST_N };
static const KeySpec site_keys[ST_N] = {
    { "name", J_STRING, TRUE },
    { "asn", J_INT, TRUE },
    { "addressPrefixes", J_ARRAY, TRUE },
    { "bgpPeeringAddress", J_STRING, FALSE },
    { "connections", J_ARRAY, TRUE },
    { "policies", J_ARRAY, FALSE },
    { "holdTime", J_TIME, FALSE },
    { "mrai", J_TIME, FALSE },
    { "routesFrom", J_OBJECT, FALSE },
};

enum { CN_NVA, CN_ER, CN_VPN, CN_SKU, CN_BGP, CN_CIRCUIT, CN_N };
static const KeySpec conn_keys[CN_N] = {
    { "nva", J_STRING, FALSE },
    { "expressRouteGateway", J_STRING, FALSE },
    { "vpnGateway", J_STRING, FALSE },
    { "circuitSku", J_STRING, FALSE },
    { "bgp", J_BOOL, FALSE },
    { "circuit", J_STRING, FALSE },
};
static const char *const sku_names[] = { "Standard", "Premium" };

static void do_connection(Ctx *c, const cJSON *el, const char *ptr, int site, ArSite *st)
{
    Src sr;
    if (!check_object(c, el, ptr, conn_keys, CN_N, &sr))
        return;
    ArConnection cn = { .kind = CONN_NVA, .target = AR_NO_INDEX, .sku = SKU_STANDARD,
                        .circuit_of = (int)st->connections->len };
    int kinds = 0, kind = -1;
    for (const cJSON *ch = el->child; ch; ch = ch->next) {
        int k = spec_find(conn_keys, CN_N, ch->string);
        if (k < CN_NVA || k > CN_VPN || k == kind) /* the same key twice is a duplicate key */
            continue;
        if (++kinds == 1)
            kind = k;
        else
            report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string),
                   "\"%s\" cannot be combined with \"%s\": a connection has exactly one target", ch->string,
                   conn_keys[kind].key);
    }
    if (kinds == 0) {
        ERR(c, el, ptr, "a connection needs exactly one of \"nva\", \"expressRouteGateway\" or \"vpnGateway\"");
        return;
    }
    /* Attribute keys of another kind of connection; not judged when the kind itself is unclear. */
    static const struct { int key, kind; } owner[] = { { CN_SKU, CN_ER }, { CN_BGP, CN_VPN }, { CN_CIRCUIT, CN_ER } };
    for (size_t i = 0; i < G_N_ELEMENTS(owner) && kinds == 1; i++) {
        if ((sr.present & (1u << owner[i].key)) && kind != owner[i].kind) {
            const cJSON *kn = cJSON_GetObjectItemCaseSensitive(el, conn_keys[owner[i].key].key);
            report(c, DIAG_ERROR, kn, TRUE, PK(c, ptr, conn_keys[owner[i].key].key),
                   "\"%s\" belongs to \"%s\" connections only", conn_keys[owner[i].key].key,
                   conn_keys[owner[i].kind].key);
        }
    }
    const cJSON *tnode = sr.f[kind];
    const char *tptr = PK(c, ptr, conn_keys[kind].key);
    cn.kind = kind == CN_NVA ? CONN_NVA : kind == CN_ER ? CONN_EXPRESSROUTE : CONN_VPN;
    if (kind == CN_NVA) {
        cn.target = resolve_node(c, tnode, tptr, K_NVA);
    } else {
        cn.target = resolve_node(c, tnode, tptr, K_GW);
        if (cn.target >= 0) {
            const Src *gs = &g_array_index(c->src[K_GW], Src, cn.target);
            const ArGateway *g = g_ptr_array_index(c->s->gateways, cn.target);
            ArGatewayType want = kind == CN_ER ? GW_EXPRESSROUTE : GW_VPN;
            if (gs->gw_type_known && g->type != want) {
                ERR(c, tnode, tptr, "gateway '%s' is of type %s; \"%s\" needs a gateway of type %s", g->name,
                    gw_type_names[g->type], conn_keys[kind].key, gw_type_names[want]);
                cn.target = AR_NO_INDEX;
            }
        }
    }
    if (cn.target >= 0) {
        guint64 key = ((guint64)(guint32)site << 32) | ((guint64)(kind != CN_NVA) << 31) | (guint32)cn.target;
        const char *first = g_hash_table_lookup(c->site_conns, &key);
        if (first) {
            ERR(c, tnode, tptr, "site '%s' already connects to '%s' (%s)", st->name, tnode->valuestring, first);
        } else {
            guint64 *k = g_new(guint64, 1);
            *k = key;
            g_hash_table_insert(c->site_conns, k, (gpointer)ptr);
        }
    }
    if (kind == CN_ER && sr.f[CN_SKU]) {
        int sku = get_enum(c, sr.f[CN_SKU], PK(c, ptr, "circuitSku"), "circuitSku", sku_names, 2);
        if (sku >= 0)
            cn.sku = (ArCircuitSku)sku;
    }
    if (kind == CN_VPN)
        cn.bgp = get_bool(sr.f[CN_BGP], FALSE);
    if (kind == CN_ER && sr.f[CN_CIRCUIT]) {
        cn.circuit = g_strdup(check_name(c, sr.f[CN_CIRCUIT], PK(c, ptr, "circuit")) ? sr.f[CN_CIRCUIT]->valuestring : "");
        /* Connections of this site naming the same circuit share it (one MSEE, several gateways). */
        for (guint k = 0; k < st->connections->len; k++) {
            const ArConnection *o = &g_array_index(st->connections, ArConnection, k);
            if (o->kind == CONN_EXPRESSROUTE && o->circuit && strcmp(o->circuit, cn.circuit) == 0 && o->circuit_of == (int)k) {
                cn.circuit_of = (int)k;
                if (o->sku != cn.sku && sr.f[CN_SKU])
                    ERR(c, sr.f[CN_SKU], PK(c, ptr, "circuitSku"), "circuit '%s' is already %s (an earlier connection says so)",
                        cn.circuit, sku_names[o->sku]);
                cn.sku = o->sku;
                break;
            }
        }
    }
    g_array_append_val(st->connections, cn);
}

static void do_sites(Ctx *c, const cJSON *arr)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(rib_key_hash, g_direct_equal); /* prefix key packed in the pointer */
    int at = 0;
    for (const cJSON *el = arr->child; el; el = el->next, at++) {
        const char *ptr = PI(c, "/sites", at);
        Src sr;
        if (!check_object(c, el, ptr, site_keys, ST_N, &sr))
            continue;
        const char *name = check_name(c, sr.f[ST_NAME], PK(c, ptr, "name"));
        int idx = (int)c->s->sites->len;
        ArSite *st = scn_add_site(c->s, name ? name : "");
        add_src(c, K_SITE, &sr, at);
        register_node(c, name, sr.f[ST_NAME], PK(c, ptr, "name"), K_SITE, idx);

        if (sr.f[ST_ASN])
            get_wide_asn(c, sr.f[ST_ASN], PK(c, ptr, "asn"), FALSE, &st->asn);
        if (sr.f[ST_IP])
            get_ip(c, sr.f[ST_IP], PK(c, ptr, "bgpPeeringAddress"), &st->ip);
        if (sr.f[ST_PREFIXES]) {
            g_hash_table_remove_all(seen);
            const char *base = PK(c, ptr, "addressPrefixes");
            int j = 0;
            for (const cJSON *it = sr.f[ST_PREFIXES]->child; it; it = it->next, j++) {
                ArPrefix p;
                const char *pptr = PI(c, base, j);
                if (!get_prefix(c, it, pptr, &p))
                    continue;
                gpointer key = rib_key_ptr(pfx_key(p));
                const char *first = g_hash_table_lookup(seen, key);
                char b[PFX_STRLEN];
                if (first) {
                    ERR(c, it, pptr, "%s is already listed at %s", pfx_format(p, b), first);
                    continue;
                }
                g_hash_table_insert(seen, key, (gpointer)pptr);
                g_array_append_val(st->prefixes, p);
            }
        }
        if (sr.f[ST_CONNS]) {
            const char *base = PK(c, ptr, "connections");
            int j = 0;
            for (const cJSON *it = sr.f[ST_CONNS]->child; it; it = it->next, j++)
                do_connection(c, it, PI(c, base, j), idx, st);
        }
        if (sr.f[ST_FROM])
            st->table = do_routes_from(c, sr.f[ST_FROM], PK(c, ptr, "routesFrom"));
        if (sr.f[ST_POL])
            do_policies(c, sr.f[ST_POL], PK(c, ptr, "policies"), st->policies);
        if (sr.f[ST_HOLD])
            get_hold_time(c, sr.f[ST_HOLD], PK(c, ptr, "holdTime"), &st->hold_time);
        if (sr.f[ST_MRAI])
            get_time(c, sr.f[ST_MRAI], PK(c, ptr, "mrai"), &st->mrai);
    }
}

/* ---- VNet overlap sweep ------------------------------------------------------------------ */

/* Unpeered VNets may overlap in Azure (peered ones may not: do_peerings reports those), but their
 * overlap makes routes ambiguous, so it is a warning, one per VNet pair. CIDR ranges are nested or
 * disjoint, so in (start, larger first) order the earlier ranges that reach a range all contain it
 * and form a stack. Each range is compared with at most STACK_LOOK entries of that stack: O(p log p)
 * for p prefixes, complete unless more than STACK_LOOK VNets share one prefix. */
#define STACK_LOOK 64

static void warn_vnet_overlaps(Ctx *c)
{
    g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Range));
    for (guint v = 0; v < c->ranges->len; v++) {
        GArray *rs = g_ptr_array_index(c->ranges, v);
        g_array_append_vals(all, rs->data, rs->len);
    }
    g_array_sort(all, range_cmp);
    g_autoptr(GHashTable) warned = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    g_autoptr(GPtrArray) stack = g_ptr_array_new();
    for (guint i = 0; i < all->len; i++) {
        const Range *r = &g_array_index(all, Range, i);
        while (stack->len && ((const Range *)g_ptr_array_index(stack, stack->len - 1))->end < r->start)
            g_ptr_array_set_size(stack, (gint)stack->len - 1);
        for (guint k = stack->len, seen = 0; k > 0 && seen < STACK_LOOK; k--, seen++) {
            const Range *e = g_ptr_array_index(stack, k - 1);
            if (e->vnet == r->vnet)
                continue;
            guint64 key = ((guint64)(guint32)MIN(e->vnet, r->vnet) << 32) | (guint32)MAX(e->vnet, r->vnet);
            if (g_hash_table_contains(c->peered, &key) || g_hash_table_contains(warned, &key))
                continue;
            guint64 *kp = g_new(guint64, 1);
            *kp = key;
            g_hash_table_add(warned, kp);
            /* Reported at the prefix of the VNet written later in the file. */
            const Range *late = e->vnet > r->vnet ? e : r, *early = late == r ? e : r;
            char a[PFX_STRLEN], b[PFX_STRLEN];
            WARN(c, late->node, range_ptr(c, late),
                 "%s overlaps %s of VNet '%s' (%s); allowed because the VNets are not peered, but routes to the overlap are ambiguous",
                 pfx_format(late->p, a), pfx_format(early->p, b),
                 ((ArVnet *)g_ptr_array_index(c->s->vnets, early->vnet))->name, range_ptr(c, early));
        }
        g_ptr_array_add(stack, (gpointer)r);
    }
}

/* ---- top level --------------------------------------------------------------------------- */

enum { TOP_NAME, TOP_DESC, TOP_VNETS, TOP_RS, TOP_GW, TOP_NVAS, TOP_SITES, TOP_EVENTS, TOP_SETTINGS, TOP_N };
static const KeySpec top_keys[TOP_N] = {
    { "name", J_STRING, FALSE },
    { "description", J_STRING, FALSE },
    { "vnets", J_ARRAY, TRUE },
    { "routeServers", J_ARRAY, FALSE },
    { "gateways", J_ARRAY, FALSE },
    { "nvas", J_ARRAY, FALSE },
    { "sites", J_ARRAY, FALSE },
    { "events", J_ARRAY, FALSE },
    { "settings", J_OBJECT, FALSE },
};

enum { SET_LIFT, SET_LINK, SET_PROC, SET_JITTER, SET_MRAI, SET_HOLD, SET_SETUP, SET_RETRY, SET_GWDOWN, SET_MAXT,
       SET_MAXMEM, SET_N };
static const KeySpec settings_keys[SET_N] = {
    { "liftLimits", J_BOOL, FALSE },      { "linkDelay", J_TIME, FALSE },   { "processingDelay", J_TIME, FALSE },
    { "jitter", J_TIME, FALSE },          { "mrai", J_TIME, FALSE },        { "holdTime", J_TIME, FALSE },
    { "sessionSetup", J_TIME, FALSE },    { "retryAfterLimit", J_TIME, FALSE },
    { "gatewayDowntime", J_TIME, FALSE }, { "maxTime", J_TIME, FALSE },
    { "maxMemoryMiB", J_INT, FALSE },
};


/* A duration: a number of seconds (fractions allowed) or a string "<number><unit>" with unit ms, s,
 * m, h or d. Microsecond resolution; at most a year. */
static gboolean get_time(Ctx *c, const cJSON *v, const char *ptr, uint64_t *out)
{
    bool ok = cJSON_IsNumber(v) ? dur_from_seconds(v->valuedouble, AR_US(AR_TIME_MAX_S), out)
                                : dur_parse(v->valuestring, AR_US(AR_TIME_MAX_S), out);
    if (!ok)
        ERR(c, v, ptr, "%s is not a duration from 0 to 365 days; write seconds (90) or a string with a unit: "
                       "\"250ms\", \"90s\", \"5m\", \"1h\", \"7d\"",
            cJSON_IsString(v) ? Q(c, v->valuestring) : "this number");
    return ok;
}

/* Scenario-wide settings; read first, since they change what later checks allow. */
static void do_settings(Ctx *c, const cJSON *obj)
{
    Src sr;
    ArSettings *st = &c->s->settings;
    if (!check_object(c, obj, "/settings", settings_keys, SET_N, &sr))
        return;
    if (sr.f[SET_LIFT])
        st->lift_limits = cJSON_IsTrue(sr.f[SET_LIFT]);
    uint64_t *dst[SET_N] = { NULL, &st->link_delay, &st->proc_delay, &st->jitter, &st->mrai, &st->hold_time,
                             &st->session_setup, &st->retry_after_limit, &st->gateway_downtime, &st->max_time, NULL };
    uint32_t mib;
    if (sr.f[SET_MAXMEM] && get_uint_range(c, sr.f[SET_MAXMEM], "/settings/maxMemoryMiB", 1, AR_MAX_MEMORY_MIB_MAX, &mib))
        st->max_memory_mib = mib;
    for (int k = SET_LINK; k <= SET_MAXT; k++)
        if (sr.f[k])
            get_time(c, sr.f[k], PK(c, "/settings", settings_keys[k].key), dst[k]);
    if (sr.f[SET_HOLD] && st->hold_time && st->hold_time < AR_US(AR_HOLD_TIME_MIN_S))
        ERR(c, sr.f[SET_HOLD], "/settings/holdTime", "a BGP hold time is 0 (no hold timer) or at least 3 s (RFC 4271 4.2)");
    /* These are used as given: 0 would mean "instantly" or "never", which the model cannot honour. */
    static const int positive[] = { SET_LINK, SET_PROC, SET_SETUP, SET_RETRY, SET_MAXT };
    for (size_t k = 0; k < G_N_ELEMENTS(positive); k++) {
        int f = positive[k];
        if (sr.f[f] && *dst[f] == 0)
            ERR(c, sr.f[f], PK(c, "/settings", settings_keys[f].key), "%s must be greater than 0 (at least 1 microsecond)",
                settings_keys[f].key);
    }
}

/* ---- timed events ------------------------------------------------------------------------ */

enum { EV_AT, EV_NOTE, EV_SET, EV_VALUE, EV_FAIL, EV_MODE, EV_RESTORE, EV_FAILS, EV_RESTORES, EV_FAILC, EV_RESTOREC,
       EV_ANN, EV_WD, EV_CREATE, EV_DELETE, EV_MAINT, EV_DUR, EV_N };
static const KeySpec event_keys[EV_N] = {
    { "at", J_TIME, TRUE },
    { "note", J_STRING, FALSE },
    { "set", J_STRING, FALSE },
    { "value", J_ANY, FALSE },
    { "fail", J_STRING, FALSE },
    { "mode", J_STRING, FALSE },
    { "restore", J_STRING, FALSE },
    { "failSession", J_ARRAY, FALSE },
    { "restoreSession", J_ARRAY, FALSE },
    { "failConnection", J_OBJECT, FALSE },
    { "restoreConnection", J_OBJECT, FALSE },
    { "announce", J_OBJECT, FALSE },
    { "withdraw", J_OBJECT, FALSE },
    { "createRouteServer", J_STRING, FALSE },
    { "deleteRouteServer", J_STRING, FALSE },
    { "maintenance", J_STRING, FALSE },
    { "duration", J_TIME, FALSE },
};
/* The action keys, in the order of ArScnEventKind's matching kinds. */
static const int action_keys[] = { EV_SET, EV_FAIL, EV_RESTORE, EV_FAILS, EV_RESTORES, EV_FAILC, EV_RESTOREC,
                                   EV_ANN, EV_WD, EV_CREATE, EV_DELETE, EV_MAINT };

/* Every node name an event may use: scenario names, and the generated ones (docs/azure-rules.md). */
static GHashTable *event_node_names(Ctx *c)
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
        if (g->type == GW_VPN && g->active_active) {
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
            if (cn->kind == CONN_EXPRESSROUTE && owner->target >= 0)
                g_hash_table_add(t, scn_msee_name(s, st, k));
        }
    }
    return t;
}

static const char *event_node(Ctx *c, GHashTable *names, const cJSON *v, const char *ptr)
{
    if (!cJSON_IsString(v)) {
        ERR(c, v, ptr, "expected a node name, got %s", load_type_name(v));
        return NULL;
    }
    if (g_hash_table_contains(names, v->valuestring))
        return v->valuestring;
    ERR(c, v, ptr, "no node named %s; nodes are the scenario's Route Servers, gateways, NVAs and sites, "
                   "Route Server instances NAME/0 and NAME/1, active-active VPN gateway instances, and circuits msee/SITE",
        Q(c, v->valuestring));
    return NULL;
}

static const char *const rs_fields[] = { "allowBranchToBranchTraffic", "hubRoutingPreference", "nvaToNvaReflection",
                                         "routeLimitPerPeer" };
static const char *const hub_prefs[] = { "ExpressRoute", "VpnGateway", "ASPath" };

/* "set": routeServers.NAME.FIELD with a value of the field's type. */
static void event_set(Ctx *c, const Src *sr, const char *ptr, ArScnEvent *e)
{
    const cJSON *path = sr->f[EV_SET], *val = sr->f[EV_VALUE];
    const char *pp = PK(c, ptr, "set");
    /* routeServers.NAME.FIELD, where NAME may itself hold dots: the field is the last segment. */
    const char *ps = path->valuestring, *last = strrchr(ps, '.');
    g_autofree char *rs_name = NULL;
    int field = -1;
    if (g_str_has_prefix(ps, "routeServers.") && last && last > ps + strlen("routeServers.")) {
        rs_name = g_strndup(ps + strlen("routeServers."), (gsize)(last - ps - (long)strlen("routeServers.")));
        for (int i = 0; i < (int)G_N_ELEMENTS(rs_fields); i++)
            if (strcmp(last + 1, rs_fields[i]) == 0)
                field = i;
    }
    if (field < 0) {
        ERR(c, path, pp, "%s cannot change during a run; events can set routeServers.NAME.allowBranchToBranchTraffic, "
                         ".hubRoutingPreference, .nvaToNvaReflection or .routeLimitPerPeer (other changes: use "
                         "fail/restore, announce/withdraw, or compare two scenarios)", Q(c, path->valuestring));
        return;
    }
    int rs = scn_find(c->s->route_servers, rs_name);
    if (rs < 0) {
        ERR(c, path, pp, "no Route Server named %s; known: %s", Q(c, rs_name), known(c, K_RS));
        return;
    }
    e->rs = rs;
    e->field = (ArRsField)field;
    const char *vp = PK(c, ptr, "value");
    if (!val) {
        ERR(c, sr->obj, ptr, "missing required key \"value\" (the new value of %s)", rs_fields[field]);
        return;
    }
    switch (e->field) {
    case RSF_BRANCH_TO_BRANCH:
    case RSF_REFLECT_NVA:
        if (!cJSON_IsBool(val))
            ERR(c, val, vp, "expected a boolean, got %s", load_type_name(val));
        e->value = cJSON_IsTrue(val);
        break;
    case RSF_HUB_PREF:
        if (!cJSON_IsString(val)) {
            ERR(c, val, vp, "expected a string, got %s", load_type_name(val));
            break;
        }
        e->value = (uint32_t)MAX(0, get_enum(c, val, vp, "hubRoutingPreference", hub_prefs, 3));
        break;
    case RSF_ROUTE_LIMIT:
        if (!cJSON_IsNumber(val))
            ERR(c, val, vp, "expected an integer, got %s", load_type_name(val));
        else
            get_uint_range(c, val, vp, 1, AR_RS_ROUTE_LIMIT_MAX, &e->value);
        break;
    }
    g_autofree char *v = cJSON_PrintUnformatted(val);
    e->label = g_strdup_printf("set %s = %s", path->valuestring, v ? v : "?");
}

/* A two-element array of node names: a session's ends. */
static gboolean event_pair(Ctx *c, GHashTable *names, const cJSON *arr, const char *ptr, ArScnEvent *e)
{
    if (cJSON_GetArraySize(arr) != 2) {
        ERR(c, arr, ptr, "expected the session's two ends, e.g. [\"sdwan\", \"ars/0\"]");
        return FALSE;
    }
    const char *a = event_node(c, names, arr->child, PI(c, ptr, 0));
    const char *b = event_node(c, names, arr->child->next, PI(c, ptr, 1));
    if (!a || !b)
        return FALSE;
    e->node = g_strdup(a);
    e->peer = g_strdup(b);
    return TRUE;
}

/* {"site": NAME, "to": NVA-or-gateway}: one of the site's connections. */
static void event_connection(Ctx *c, const cJSON *o, const char *ptr, ArScnEvent *e)
{
    const cJSON *site = cJSON_GetObjectItemCaseSensitive(o, "site"), *to = cJSON_GetObjectItemCaseSensitive(o, "to");
    for (const cJSON *ch = o->child; ch; ch = ch->next)
        if (strcmp(ch->string, "site") != 0 && strcmp(ch->string, "to") != 0)
            report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string), "unknown key \"%s\"; a connection is {\"site\": NAME, \"to\": NVA or gateway}", ch->string);
    if (!cJSON_IsString(site) || !cJSON_IsString(to)) {
        ERR(c, o, ptr, "expected {\"site\": NAME, \"to\": NVA or gateway} naming one of the site's connections");
        return;
    }
    int si = scn_find(c->s->sites, site->valuestring);
    if (si < 0) {
        ERR(c, site, PK(c, ptr, "site"), "no site named %s; known: %s", Q(c, site->valuestring), known(c, K_SITE));
        return;
    }
    const ArSite *st = g_ptr_array_index(c->s->sites, si);
    for (guint k = 0; k < st->connections->len; k++) {
        const ArConnection *cn = &g_array_index(st->connections, ArConnection, k);
        if (cn->target < 0)
            continue;
        const char *tname = cn->kind == CONN_NVA ? ((ArNva *)g_ptr_array_index(c->s->nvas, cn->target))->name
                                                 : ((ArGateway *)g_ptr_array_index(c->s->gateways, cn->target))->name;
        if (strcmp(tname, to->valuestring) == 0) {
            e->node = g_strdup(st->name);
            e->peer = g_strdup(tname);
            return;
        }
    }
    ERR(c, to, PK(c, ptr, "to"), "site '%s' has no connection to %s", st->name, Q(c, to->valuestring));
}

/* {"node": NAME, "prefixes": [...]}: what a site or NVA starts or stops originating. */
static void event_prefixes(Ctx *c, const cJSON *o, const char *ptr, ArScnEvent *e)
{
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(o, "node"), *pf = cJSON_GetObjectItemCaseSensitive(o, "prefixes");
    for (const cJSON *ch = o->child; ch; ch = ch->next)
        if (strcmp(ch->string, "node") != 0 && strcmp(ch->string, "prefixes") != 0)
            report(c, DIAG_ERROR, ch, TRUE, PK(c, ptr, ch->string), "unknown key \"%s\"; expected {\"node\": SITE or NVA, \"prefixes\": [...]}", ch->string);
    if (!cJSON_IsString(node) || !cJSON_IsArray(pf)) {
        ERR(c, o, ptr, "expected {\"node\": SITE or NVA, \"prefixes\": [\"10.9.0.0/16\", ...]}");
        return;
    }
    if (scn_find(c->s->sites, node->valuestring) < 0 && scn_find(c->s->nvas, node->valuestring) < 0) {
        ERR(c, node, PK(c, ptr, "node"), "no site or NVA named %s: only they originate prefixes", Q(c, node->valuestring));
        return;
    }
    e->node = g_strdup(node->valuestring);
    e->prefixes = g_array_new(FALSE, FALSE, sizeof(ArPrefix));
    const char *base = PK(c, ptr, "prefixes");
    int i = 0;
    for (const cJSON *it = pf->child; it; it = it->next, i++) {
        ArPrefix p;
        if (get_prefix(c, it, PI(c, base, i), &p))
            g_array_append_val(e->prefixes, p);
    }
}

static gint event_cmp(gconstpointer a, gconstpointer b)
{
    const ArScnEvent *x = a, *y = b;
    if (x->at != y->at)
        return (x->at > y->at) - (x->at < y->at);
    return (x->order > y->order) - (x->order < y->order);
}

static void do_events(Ctx *c, const cJSON *arr)
{
    g_autoptr(GHashTable) names = event_node_names(c);
    int i = 0;
    for (const cJSON *el = arr->child; el; el = el->next, i++) {
        const char *ptr = PI(c, "/events", i);
        Src sr;
        if (!check_object(c, el, ptr, event_keys, EV_N, &sr))
            continue;
        ArScnEvent e = { .rs = AR_NO_INDEX, .order = i };
        int actions = 0, which = -1;
        for (size_t k = 0; k < G_N_ELEMENTS(action_keys); k++)
            if (sr.present & (1u << action_keys[k])) { /* present, even with a wrong type (reported) */
                actions++;
                which = (int)k;
            }
        if (actions != 1) {
            ERR(c, el, ptr, "an event has \"at\" and exactly one action: set, fail, restore, failSession, restoreSession, "
                            "failConnection, restoreConnection, announce, withdraw, createRouteServer, deleteRouteServer "
                            "or maintenance (found %d)", actions);
            continue;
        }
        if (sr.f[EV_AT])
            get_time(c, sr.f[EV_AT], PK(c, ptr, "at"), &e.at);
        e.kind = (ArScnEventKind)which;
        const cJSON *v = sr.f[action_keys[which]];
        if (!v) { /* the action's value had the wrong type: already reported */
            g_free(e.label);
            continue;
        }
        const char *vp = PK(c, ptr, event_keys[action_keys[which]].key);
        if (sr.f[EV_MODE] && e.kind != SEV_FAIL && e.kind != SEV_FAIL_SESSION && e.kind != SEV_FAIL_CONNECTION)
            ERR(c, sr.f[EV_MODE], PK(c, ptr, "mode"), "\"mode\" goes with fail, failSession or failConnection");
        if (sr.f[EV_MODE]) {
            static const char *const modes[] = { "silent", "graceful" };
            e.graceful = get_enum(c, sr.f[EV_MODE], PK(c, ptr, "mode"), "mode", modes, 2) == 1;
        } else {
            e.graceful = e.kind != SEV_FAIL; /* a failed node is silent unless told; a session reset is graceful */
        }
        if (sr.f[EV_VALUE] && e.kind != SEV_SET)
            ERR(c, sr.f[EV_VALUE], PK(c, ptr, "value"), "\"value\" goes with \"set\"");
        if (sr.f[EV_DUR] && e.kind != SEV_MAINTENANCE)
            ERR(c, sr.f[EV_DUR], PK(c, ptr, "duration"), "\"duration\" goes with \"maintenance\"");
        const char *n = NULL;
        switch (e.kind) {
        case SEV_SET:
            event_set(c, &sr, ptr, &e);
            break;
        case SEV_FAIL:
        case SEV_RESTORE:
            if ((n = event_node(c, names, v, vp)) != NULL)
                e.node = g_strdup(n);
            break;
        case SEV_FAIL_SESSION:
        case SEV_RESTORE_SESSION:
            event_pair(c, names, v, vp, &e);
            break;
        case SEV_FAIL_CONNECTION:
        case SEV_RESTORE_CONNECTION:
            event_connection(c, v, vp, &e);
            break;
        case SEV_ANNOUNCE:
        case SEV_WITHDRAW:
            event_prefixes(c, v, vp, &e);
            break;
        case SEV_CREATE_RS:
        case SEV_DELETE_RS:
            e.rs = scn_find(c->s->route_servers, v->valuestring);
            if (e.rs < 0)
                ERR(c, v, vp, "no Route Server named %s; known: %s", Q(c, v->valuestring), known(c, K_RS));
            else
                e.node = g_strdup(v->valuestring);
            break;
        case SEV_MAINTENANCE: {
            size_t len = strlen(v->valuestring);
            gboolean inst = len > 2 && v->valuestring[len - 2] == '/' &&
                            (v->valuestring[len - 1] == '0' || v->valuestring[len - 1] == '1');
            g_autofree char *base = inst ? g_strndup(v->valuestring, len - 2) : NULL;
            if (!inst || scn_find(c->s->route_servers, base) < 0)
                ERR(c, v, vp, "maintenance takes one Route Server instance, e.g. \"ars/0\"");
            else
                e.node = g_strdup(v->valuestring);
            e.duration = AR_US(AR_MAINTENANCE_S);
            if (sr.f[EV_DUR])
                get_time(c, sr.f[EV_DUR], PK(c, ptr, "duration"), &e.duration);
            break;
        }
        }
        if (!e.label) {
            static const char *const verbs[] = { "set", "fails", "restored", "session fails", "session restored",
                                                 "connection fails", "connection restored", "announces", "withdraws",
                                                 "Route Server created", "Route Server deleted", "maintenance" };
            GString *l = g_string_new(NULL);
            if (e.node)
                g_string_append(l, e.node);
            if (e.peer)
                g_string_append_printf(l, " - %s", e.peer);
            g_string_append_printf(l, " %s", verbs[e.kind]);
            if (e.kind == SEV_FAIL || e.kind == SEV_FAIL_SESSION || e.kind == SEV_FAIL_CONNECTION)
                g_string_append(l, e.graceful ? " (graceful)" : " (silent)");
            guint np = e.prefixes ? e.prefixes->len : 0;
            if (np > 4)
                g_string_append_printf(l, " %u prefixes:", np);
            for (guint k = 0; k < np && k < 4; k++) {
                char buf[PFX_STRLEN];
                g_string_append_printf(l, " %s", pfx_format(g_array_index(e.prefixes, ArPrefix, k), buf));
            }
            if (np > 4)
                g_string_append(l, " ...");
            if (e.kind == SEV_MAINTENANCE)
                g_string_append_printf(l, " for %.0f s", (double)e.duration / 1e6);
            e.label = g_string_free(l, FALSE);
        }
        if (sr.f[EV_NOTE]) {
            char *l = g_strdup_printf("%s: %s", sr.f[EV_NOTE]->valuestring, e.label);
            g_free(e.label);
            e.label = l;
        }
        g_array_append_val(c->s->events, e);
    }
    g_array_sort(c->s->events, event_cmp); /* by time, then file order */
}

static void ranges_free(gpointer p)
{
    g_array_free(p, TRUE);
}

ArScenario *load_validate(const char *file, const cJSON *root, const JPosIndex *ix, ArDiagList *diags)
{
    Ctx ctx = { 0 }, *c = &ctx;
    c->file = file;
    c->ix = ix;
    c->d = diags;
    c->s = scn_new();
    c->scratch = g_ptr_array_new_with_free_func(g_free);
    /* Name keys point into the cJSON tree, which outlives this function's tables. */
    c->vnet_names = g_hash_table_new(g_str_hash, g_str_equal);
    c->node_names = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    c->addresses = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    c->peered = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    c->site_conns = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    for (int k = 0; k < 5; k++)
        c->src[k] = g_array_new(FALSE, FALSE, sizeof(Src));
    c->ranges = g_ptr_array_new_with_free_func(ranges_free);
    c->vnet_rs = g_array_new(FALSE, FALSE, sizeof(int));
    c->vnet_gw[0] = g_array_new(FALSE, FALSE, sizeof(int));
    c->vnet_gw[1] = g_array_new(FALSE, FALSE, sizeof(int));
    c->vnet_uses = g_array_new(FALSE, FALSE, sizeof(int));
    c->vnet_host = g_array_new(FALSE, FALSE, sizeof(int));
    c->rs_peers = g_array_new(FALSE, FALSE, sizeof(int));
    c->refs = g_array_new(FALSE, FALSE, sizeof(Ref));

    Src top;
    check_object(c, root, "", top_keys, TOP_N, &top);
    if (top.f[TOP_NAME])
        c->s->name = g_strdup(top.f[TOP_NAME]->valuestring);
    if (top.f[TOP_DESC])
        c->s->description = g_strdup(top.f[TOP_DESC]->valuestring);
    if (top.f[TOP_VNETS] && !top.f[TOP_VNETS]->child)
        ERR(c, top.f[TOP_VNETS], "/vnets", "at least one VNet is required");

    if (top.f[TOP_SETTINGS])
        do_settings(c, top.f[TOP_SETTINGS]);
    if (top.f[TOP_VNETS])
        do_vnets(c, top.f[TOP_VNETS]);
    if (top.f[TOP_RS])
        do_route_servers(c, top.f[TOP_RS]);
    if (top.f[TOP_GW])
        do_gateways(c, top.f[TOP_GW]);
    do_peerings(c);
    if (top.f[TOP_NVAS])
        do_nvas(c, top.f[TOP_NVAS]);
    if (top.f[TOP_SITES])
        do_sites(c, top.f[TOP_SITES]);
    warn_vnet_overlaps(c);
    check_refs(c);
    if (top.f[TOP_EVENTS])
        do_events(c, top.f[TOP_EVENTS]);
    /* What one speaker can hold is bounded by the engine's peer index, not only by Azure's limits:
     * refuse past it, liftLimits or not, rather than abort in the build. */
    if (c->d->errors == 0) {
        const char *section;
        guint at;
        uint64_t peers = scn_most_peers(c->s, &section, &at);
        if (peers > RIB_MAX_PEERS) {
            int kind = K_SITE;
            while (kind > K_VNET && strcmp(section_key[kind], section) != 0)
                kind--;
            const Src *sr = &g_array_index(c->src[kind], Src, at);
            ERR(c, sr->obj, src_ptr(c, kind, (int)at),
                "'%s' would have %" G_GUINT64_FORMAT " BGP sessions; arsim holds at most %u per speaker (a "
                "limit of the simulator, with or without settings.liftLimits)",
                obj_name(c, kind, (int)at), peers, RIB_MAX_PEERS);
        }
    }
    /* A small file can ask for more routes than the machine holds (thousands of VNets each
     * receiving every hub route): refuse it up front rather than die out of memory. */
    if (c->d->errors == 0) {
        uint64_t need = scn_estimate_bytes(c->s), max = c->s->settings.max_memory_mib * 1024ull * 1024ull;
        if (need > max)
            ERR(c, root, "", "this scenario could need about %.1f GiB of memory (its prefixes times the sessions and VNets "
                             "that would hold them), more than settings.maxMemoryMiB allows (%" G_GUINT64_FORMAT
                             " MiB); raise it if the machine has the memory",
                (double)need / (1024.0 * 1024 * 1024), c->s->settings.max_memory_mib);
    }

    g_ptr_array_free(c->scratch, TRUE);
    g_hash_table_destroy(c->vnet_names);
    g_hash_table_destroy(c->node_names);
    g_hash_table_destroy(c->addresses);
    g_hash_table_destroy(c->peered);
    g_hash_table_destroy(c->site_conns);
    for (int k = 0; k < 5; k++) {
        g_array_free(c->src[k], TRUE);
        g_free(c->known[k]);
    }
    g_ptr_array_free(c->ranges, TRUE);
    g_array_free(c->vnet_rs, TRUE);
    g_array_free(c->vnet_gw[0], TRUE);
    g_array_free(c->vnet_gw[1], TRUE);
    g_array_free(c->vnet_uses, TRUE);
    g_array_free(c->vnet_host, TRUE);
    g_array_free(c->rs_peers, TRUE);
    g_array_free(c->refs, TRUE);
    return c->s;
}
