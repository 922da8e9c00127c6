/* validator.h - what the validator's files share: the context of one load, messages, values. */
#ifndef ARSIM_VALIDATOR_H
#define ARSIM_VALIDATOR_H

#include "format_keys.h"
#include "load_priv.h"

/* The validator reads the format's sections in file order of dependencies, one file each:
 * settings (validate_settings.c), vnets with their subnets and peerings (validate_vnets.c),
 * routeServers, gateways, nvas, sites (validate_route_servers.c ... validate_sites.c), the
 * neighbour policies and routesFrom they share, then events; validate.c runs the passes in that
 * order. The keys, types, bounds and words of every object come from the format table
 * (format.c). This file and validate_base.c / validate_values.c hold what every section uses:
 * the context, messages with positions, the generic object check, names and references, and
 * scalar values. Sections call only these and the sections read before them, never back. */

/* The scenario sections whose objects have names, in file order: index into Ctx.src. */
enum { K_VNET, K_RS, K_GW, K_NVA, K_SITE, K_N };

/* An object as read: its JSON node, its index in the JSON array, and its known keys' values (NULL
 * when absent or of the wrong type, which has been reported). */
typedef struct Src {
    const cJSON *obj;                /* the object */
    int at;                          /* its index in its section's array */
    const cJSON *f[FMT_MAX_KEYS];    /* per key of its table: the value, NULL when absent or mistyped */
    guint present;                   /* bit k: key k appears (even with a wrong type) */
    gboolean gw_type_known;          /* gateways: "type" was valid, so g->type means something */
} Src;
G_STATIC_ASSERT(FMT_MAX_KEYS <= 32); /* Src.present has a bit per key */

/* A node name's holder: its section (K_RS, K_GW, K_NVA or K_SITE) and index there. */
typedef struct NodeRef {
    int kind;   /* section */
    int index;  /* index in the section's model array */
} NodeRef;

/* A VNet address prefix as a closed address range, for the overlap checks. */
typedef struct Range {
    uint32_t start, end;  /* first and last address */
    int vnet;             /* index of its VNet */
    int at;               /* index in the VNet's addressPrefixes */
    ArPrefix p;           /* the prefix */
    const cJSON *node;    /* its JSON string, for messages */
} Range;

/* One validation: the input, the model being built and the lookups the sections share. */
typedef struct Ctx {
    const char *file;        /* file name for messages */
    const JPosIndex *ix;     /* positions of the tree's nodes */
    ArDiagList *d;           /* where problems go */
    ArScenario *s;           /* the model being built */
    GPtrArray *scratch;      /* strings made for messages and pointers, freed at the end */
    GHashTable *vnet_names;  /* name -> index + 1 */
    GHashTable *node_names;  /* name -> NodeRef* (route servers, gateways, NVAs, sites share it) */
    GHashTable *addresses;   /* (vnet << 32 | ip) -> pointer of the first holder */
    GHashTable *peered;      /* (min << 32 | max) VNet pair -> pointer of the listing peering */
    GHashTable *site_conns;  /* (site, kind, target) -> pointer of the first connection */
    GArray *src[K_N];        /* Src per model object: vnets, routeServers, gateways, nvas, sites */
    GPtrArray *ranges;       /* per VNet: GArray of Range, sorted by start, then end descending */
    GArray *vnet_rs;         /* per VNet: index of its Route Server, -1 */
    GArray *vnet_gw[2];      /* per VNet and gateway type: index of the gateway, -1 */
    GArray *vnet_uses;       /* per VNet: index of the VNet whose gateways it uses, -1 */
    GArray *vnet_host;       /* per VNet: first Route Server (index) or gateway (-2 - index) in it, -1 */
    GArray *rs_peers;        /* per Route Server: NVAs that name it so far */
    gboolean hosts_unresolved; /* a route server or gateway has no valid vnet: skip "has no gateway" */
    char *known[K_N];        /* cached "known: ..." lists per section */
    GArray *refs;            /* Ref: names checked once every node is known (policy peers, bgpPeers) */
} Ctx;

/* A name that can only be checked when every node is known. */
typedef struct Ref {
    const cJSON *node;   /* the name's JSON string */
    const char *ptr;     /* its pointer */
    int nva;             /* bgpPeers: the NVA listing it; -1 for a policy's peer */
    ArRmRule *rule;      /* a policy's peer: the rule (its array is not resized after parsing) */
} Ref;

/* ---- messages (validate_base.c) ---- */

/* Keeps owned until the end of the validation and returns it. O(1). */
const char *vd_keep(Ctx *c, char *owned);
/* s quoted and escaped for a message (load_quote, 64 bytes). */
const char *vd_quote(Ctx *c, const char *s);
/* Pointer base + "/" + escaped key. */
const char *vd_key_ptr(Ctx *c, const char *base, const char *key);
/* Pointer base + "/" + i. */
const char *vd_index_ptr(Ctx *c, const char *base, int i);
/* Adds a problem at node's value (or its key when key) with JSON pointer ptr. */
void vd_report(Ctx *c, ArSeverity sev, const cJSON *node, gboolean key, const char *ptr, const char *fmt, ...)
    G_GNUC_PRINTF(6, 7);
#define Q(c, s) vd_quote((c), (s))
#define PK(c, base, key) vd_key_ptr((c), (base), (key))
#define PI(c, base, i) vd_index_ptr((c), (base), (i))
#define ERR(c, node, ptr, ...) vd_report((c), DIAG_ERROR, (node), FALSE, (ptr), __VA_ARGS__)
#define WARN(c, node, ptr, ...) vd_report((c), DIAG_WARNING, (node), FALSE, (ptr), __VA_ARGS__)

/* Key of a section in the file ("vnets", ...), and what its objects are called ("Route Server"). */
extern const char *const vd_section_key[K_N];
extern const char *const vd_node_what[K_N];
/* "/SECTION/AT" of the object index of section kind. */
const char *vd_src_ptr(Ctx *c, int kind, int index);
/* Name of the object index of section kind. */
const char *vd_obj_name(Ctx *c, int kind, int index);
/* "hub, spoke1" for "known: ..." messages, built once per section. */
const char *vd_known(Ctx *c, int kind);

/* ---- objects, names and references (validate_base.c) ---- */

/* Index of key in spec, -1 if absent. O(n). */
int vd_spec_find(const ArFmtKey *spec, size_t n, const char *key);
/* Checks that obj is an object whose keys are all in spec, none twice, each of its type, the
 * required ones present. Fills sr. Returns FALSE (reported) when obj is not an object at all. */
gboolean vd_check_object(Ctx *c, const cJSON *obj, const char *ptr, const ArFmtKey *spec, size_t n, Src *sr);
/* Index of the VNet v names, -1 (reported) when none; -1 unreported when v is NULL. */
int vd_resolve_vnet(Ctx *c, const cJSON *v, const char *ptr);
/* Index of the node v names, which must be of section want; -1 as for vd_resolve_vnet. */
int vd_resolve_node(Ctx *c, const cJSON *v, const char *ptr, int want);
/* Enters a node's name in the shared namespace; a name used twice is reported. */
void vd_register_node(Ctx *c, const char *name, const cJSON *node, const char *ptr, int kind, int index);
/* Records that VNet v holds a route server (host >= 0) or gateway (-2 - index). */
void vd_add_host(Ctx *c, int v, int host);
/* Keeps sr as the source of the next model object of section kind; returns the kept copy. */
Src *vd_add_src(Ctx *c, int kind, const Src *sr, int at);
/* Every node name a policy or event may use: scenario names and generated ones (NAME/0, msee/SITE).
 * O(nodes + connections). */
GHashTable *vd_node_names(Ctx *c);

/* ---- scalar values (validate_values.c): each reports a bad value and returns FALSE or -1 ---- */

/* v's name (reported when invalid but returned, so that references to it resolve); NULL if v is. */
const char *vd_check_name(Ctx *c, const cJSON *v, const char *ptr);
gboolean vd_get_whole(Ctx *c, const cJSON *v, const char *ptr, double *out);
gboolean vd_get_uint_range(Ctx *c, const cJSON *v, const char *ptr, double min, double max, uint32_t *out);
/* An integer within the bounds the format table gives key k. */
gboolean vd_get_key_uint(Ctx *c, const cJSON *v, const char *ptr, const ArFmtKey *k, uint32_t *out);
/* Index of v among the words the format table gives key k (label names the key in messages). */
int vd_get_word(Ctx *c, const cJSON *v, const char *ptr, const char *label, const ArFmtKey *k);
gboolean vd_get_nva_asn(Ctx *c, const cJSON *v, const char *ptr, uint32_t *out);
gboolean vd_get_wide_asn(Ctx *c, const cJSON *v, const char *ptr, gboolean allow_65515, uint32_t *out);
gboolean vd_get_prefix(Ctx *c, const cJSON *v, const char *ptr, ArPrefix *out);
/* vd_get_prefix for element i of the list at base: the element's pointer is formatted only when
 * there is something to report, so a list of a million prefixes costs no string per prefix. */
gboolean vd_get_prefix_at(Ctx *c, const cJSON *v, const char *base, int i, ArPrefix *out);
gboolean vd_get_ip(Ctx *c, const cJSON *v, const char *ptr, uint32_t *out);
gboolean vd_get_bool(const cJSON *v, gboolean dflt);
/* "A:B" with A and B in 0..65535, as one 32-bit value; FALSE (not reported) when it is not. */
gboolean vd_parse_community(const char *s, uint32_t *out);
gboolean vd_get_community(Ctx *c, const cJSON *v, const char *ptr, uint32_t *out);
/* A duration, in microseconds. */
gboolean vd_get_time(Ctx *c, const cJSON *v, const char *ptr, uint64_t *out);
/* A node's own hold time: 0 or at least AR_HOLD_TIME_MIN_S; *out unchanged when bad. */
void vd_get_hold_time(Ctx *c, const cJSON *v, const char *ptr, uint64_t *out);

/* ---- the sections, in the order validate.c runs them ---- */

void vd_settings(Ctx *c, const cJSON *obj);               /* validate_settings.c */
void vd_vnets(Ctx *c, const cJSON *arr);                  /* validate_vnets.c: VNets and subnets */
/* An address of an Azure resource: inside its VNet and not already taken there (validate_vnets.c). */
void vd_check_vnet_address(Ctx *c, const cJSON *node, const char *ptr, int vnet, uint32_t ip);
void vd_route_servers(Ctx *c, const cJSON *arr);          /* validate_route_servers.c */
void vd_gateways(Ctx *c, const cJSON *arr);               /* validate_gateways.c */
void vd_peerings(Ctx *c);                                 /* validate_vnets.c, once hosts are known */
void vd_nvas(Ctx *c, const cJSON *arr);                   /* validate_nvas.c */
void vd_sites(Ctx *c, const cJSON *arr);                  /* validate_sites.c */
void vd_warn_vnet_overlaps(Ctx *c);                       /* validate_vnets.c */
/* Neighbour policies of an NVA or site into out (validate_policies.c). */
void vd_policies(Ctx *c, const cJSON *arr, const char *base, GArray *out);
/* Policy peers and bgpPeers, once every node is known (validate_policies.c). */
void vd_check_refs(Ctx *c);
/* routesFrom of an NVA or site: its file read now; NULL when bad (validate_routes_from.c). */
ArRouteTable *vd_routes_from(Ctx *c, const cJSON *obj, const char *ptr);
void vd_events(Ctx *c, const cJSON *arr);                 /* validate_events.c */

#endif
