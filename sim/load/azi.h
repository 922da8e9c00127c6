/* azi.h - what the files of arsim import share: resources by kind, the import's context, helpers. */
#ifndef ARSIM_AZI_H
#define ARSIM_AZI_H

#include "arsim/prefix.h"
#include "load_priv.h"

/* The import reads every file (azimport_read.c), then builds each scenario section from the
 * resources of its kinds (azimport_hub.c, azimport_sites.c) with the messages and value readers of
 * azimport_values.c; azimport.c runs them in order and applies the overlay. */

/* The resource kinds arsim reads, by their Azure "type". */
typedef enum AzKind {
    AZK_VNET = 0,     /* Microsoft.Network/virtualNetworks */
    AZK_PEERING,      /* .../virtualNetworks/virtualNetworkPeerings (az network vnet peering list) */
    AZK_SUBNET,       /* .../virtualNetworks/subnets (templates list them apart) */
    AZK_HUB,          /* Microsoft.Network/virtualHubs: a Route Server (az network routeserver list) */
    AZK_BGPCONN,      /* .../virtualHubs/bgpConnections (az network routeserver peering list) */
    AZK_HUBIPCONF,    /* .../virtualHubs/ipConfigurations: the Route Server's subnet */
    AZK_GATEWAY,      /* Microsoft.Network/virtualNetworkGateways (az network vnet-gateway list) */
    AZK_CONNECTION,   /* Microsoft.Network/connections (az network vpn-connection list) */
    AZK_LNG,          /* Microsoft.Network/localNetworkGateways (az network local-gateway list) */
    AZK_CIRCUIT,      /* Microsoft.Network/expressRouteCircuits (az network express-route list) */
    AZK_CIRCUITPEER,  /* .../expressRouteCircuits/peerings (templates) */
    AZK_ROUTETABLE,   /* Microsoft.Network/routeTables (az network route-table list) */
    AZK_ROUTE,        /* .../routeTables/routes (templates) */
    AZK_COUNT
} AzKind;


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
    GPtrArray *res[AZK_COUNT]; /* AzRes* per kind, in file order */
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

#define AZ_WARN(c, r, ...) azi_az_diag((c), DIAG_WARNING, (r)->f, (r)->obj, __VA_ARGS__)

/* ---- azimport_values.c ---- */

/* Adds a message at node of file f (line:column and JSON pointer). */
void azi_az_diag(AzCtx *c, ArSeverity sev, const AzFile *f, const cJSON *node, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
/* obj[key], or obj.properties[key] (templates). */
const cJSON *azi_jget(const cJSON *obj, const char *key);
/* A template string's value without a warning when it cannot be evaluated (NULL then). */
const char *azi_eval_quiet(AzCtx *c, const AzFile *f, const char *s);
/* A string value; in a template, "[expr]" is evaluated ("[[" escapes a bracket). NULL when v is no
 * string or the expression is beyond arsim's evaluator (then a warning says so). */
const char *azi_sval(AzCtx *c, const AzFile *f, const cJSON *v);
const char *azi_str_of(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key);
/* The "id" of {"id": ...} at key (a SubResource), evaluated. */
const char *azi_ref_id(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key);
/* The name after "/seg/" in an Azure resource id (segments compare without case), interned. */
const char *azi_id_part(AzCtx *c, const char *id, const char *seg);
/* A boolean property; missing or not boolean: def. A wrong type is reported as an error. */
gboolean azi_bool_of(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key, gboolean def);
/* An ASN property (a number, or a numeric string in some CLI versions); 0 when absent. */
uint32_t azi_asn_of(AzCtx *c, const AzRes *r, const cJSON *obj, const char *key);
/* Azure names may hold characters scenario names refuse (and be longer): those become '-'. */
const char *azi_clean_name(AzCtx *c, const AzRes *r, const char *name);
/* A node name unique across Route Servers, gateways, NVAs and sites (Azure's namespaces are
 * per type, the scenario's is one): a taken name gets "-2", "-3"... */
const char *azi_node_name(AzCtx *c, const AzRes *r, const char *name);

/* ---- azimport_read.c ---- */

/* Reads and parses one input file, kept in c->files (its positions for messages); f->root is NULL
 * when it could not be read or parsed (the diagnostic is reported). expect says what it should be. */
AzFile *azi_open_file(AzCtx *c, const char *path, const char *expect);
/* Reads and classifies one file. */
void azi_read_file(AzCtx *c, const char *path);
/* Parses an IPv4 prefix; IPv6 ones are skipped with a warning (FALSE), bad ones are errors. */
gboolean azi_prefix_of(AzCtx *c, const AzRes *r, const cJSON *v, ArPrefix *out);
cJSON *azi_prefix_json(ArPrefix p);
/* The imported VNet whose space holds ip, NULL when none. O(VNets x prefixes). */
AzVnet *azi_vnet_holding(AzCtx *c, uint32_t ip);
gboolean azi_vnet_holds(const AzVnet *v, uint32_t ip);

/* ---- azimport_hub.c ---- */

void azi_import_vnets(AzCtx *c);
void azi_import_route_servers(AzCtx *c);
void azi_import_gateways(AzCtx *c);
void azi_import_nvas(AzCtx *c);

/* ---- azimport_sites.c ---- */

cJSON *azi_find_named(cJSON *arr, const char *name);
void azi_import_sites(AzCtx *c);
/* Subnets that have an imported route table (from the subnet's routeTable.id, or the table's
 * subnets[].id) become scenario subnets. */
void azi_import_subnets(AzCtx *c);
void azi_import_peerings(AzCtx *c, GHashTable *peer_out);

#endif
