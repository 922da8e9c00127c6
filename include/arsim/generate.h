/* generate.h - synthetic scenarios of a given size (benchmarks, what-if runs), as JSON documents. */
#ifndef ARSIM_GENERATE_H
#define ARSIM_GENERATE_H

#include "arsim/limits.h"

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* Azure's limits the generator checks (LIM; named once in arsim/limits.h). */
#define GEN_RS_MAX_PEERS AR_RS_MAX_PEERS          /* BGP peers per Route Server */
#define GEN_RS_ROUTE_LIMIT ((int)AR_RS_ROUTE_LIMIT) /* routes a Route Server accepts from one NVA (routeLimitPerPeer) */
#define GEN_ER_STANDARD_LIMIT ((int)AR_ER_STANDARD_LIMIT) /* prefixes from on-premises over a Standard circuit */
#define GEN_ER_PREMIUM_LIMIT ((int)AR_ER_PREMIUM_LIMIT)   /* same, Premium circuit */
#define GEN_VPN_SITE_LIMIT ((int)AR_VPN_SITE_LIMIT)       /* prefixes a VPN gateway accepts from one BGP site */

/* What the address plan can hold (see the shape in generate.c). */
#define GEN_MAX_SPOKES 32512        /* 10.1.0.0/24 .. 10.127.255.0/24 */
#define GEN_MAX_NVAS 500            /* NVA ASNs 65001..65500 */
#define GEN_MAX_VPN_SITES 10000     /* VPN site ASNs */
#define GEN_MAX_PREFIXES 3000000    /* all site prefixes together: keeps the file under the loader's 64 MiB */

/* Circuit SKU of the ExpressRoute site. */
typedef enum ArGenSku {
    GEN_SKU_STANDARD = 0, /* 4,000 prefixes from on-premises */
    GEN_SKU_PREMIUM,      /* 10,000 prefixes */
} ArGenSku;

/* Size and shape of a generated scenario. */
typedef struct ArGenParams {
    int spokes;              /* spoke VNets peered with the hub, useRemoteGateways */
    int nvas;                /* NVAs in the hub peering with the Route Server, one site behind each */
    int routes_per_nva;      /* prefixes each NVA's site originates */
    int er_prefixes;         /* prefixes of the ExpressRoute site; 0: no ExpressRoute gateway */
    ArGenSku sku;            /* circuit SKU of that site */
    int vpn_sites;           /* BGP sites on an active-active VPN gateway; 0: no VPN gateway */
    int prefixes_per_site;   /* prefixes of each VPN site */
    gboolean branch_to_branch; /* Route Server allowBranchToBranchTraffic (gboolean: a GOption flag) */
    gboolean lift_limits;    /* allow sizes past Azure's limits: sets settings.liftLimits */
    uint32_t seed;           /* varies site ASNs and prefix order; same seed, same document */
} ArGenParams;

/* Errors of gen_scenario. */
#define GEN_ERROR (gen_error_quark())
GQuark gen_error_quark(void);
typedef enum ArGenError {
    GEN_ERROR_INVALID = 0, /* a parameter is negative, unknown or beyond what the address plan holds */
    GEN_ERROR_LIMIT,       /* past an Azure limit without lift_limits */
} ArGenError;

/* The defaults of `arsim generate`: 1 spoke, 1 NVA x 10 routes, 10 ExpressRoute prefixes (Standard),
 * no VPN site, 10 prefixes per VPN site, seed 1. */
void gen_params_default(ArGenParams *p);
/* "Standard" or "Premium" (case-insensitive); FALSE for anything else. */
bool gen_sku_parse(const char *s, ArGenSku *out);
/* The size options of `arsim generate` (and tools/bench) bound to p: --spokes ... --lift-limits,
 * with --circuit-sku into *sku and --seed into *seed (GOption takes strings and gint; the caller
 * converts them after parsing). NULL-terminated; g_free it. */
GOptionEntry *gen_option_entries(ArGenParams *p, char **sku, gint *seed);
/* Total site prefixes the parameters describe (ExpressRoute + NVA sites + VPN sites). */
uint64_t gen_total_prefixes(const ArGenParams *p);

/* Builds the scenario document. Deterministic: the same parameters give the same document. Returns
 * NULL with error set (GEN_ERROR_INVALID or GEN_ERROR_LIMIT, message telling what to change) when
 * the parameters are bad. O(spokes + prefixes). The caller owns the result (cJSON_Delete). */
cJSON *gen_scenario(const ArGenParams *p, GError **error);

#endif
