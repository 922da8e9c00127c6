/* limits.h - Azure's limits and constants and the scenario format's defaults and bounds, named once. */
#ifndef ARSIM_LIMITS_H
#define ARSIM_LIMITS_H

/* Every number here is read by the code that applies it (the loader's checks, the model's defaults,
 * the Azure stage, the generator) and by the format table (sim/load/format.c) that the tests hold
 * docs/scenario.schema.json and docs/scenario-format.md against. Sources in brackets are the
 * short names of docs/azure-rules.md. Times are whole seconds (or milliseconds, _MS) so that the
 * format table can spell them as the docs do ("180s"); AR_US turns them into microseconds. */

#define AR_US(seconds) ((unsigned long long)(seconds) * 1000000ull) /* seconds to microseconds */
#define AR_US_MS(ms) ((unsigned long long)(ms) * 1000ull)          /* milliseconds to microseconds */

/* ---- Azure's ASNs and communities ---- */
#define AR_ASN_ROUTE_SERVER 65515      /* Route Server's fixed ASN, also the gateways' default (TS) */
#define AR_ASN_MSEE 12076u             /* Microsoft's ASN on ExpressRoute circuits (FAQ) */
#define AR_ASN_AZURE_PUBLIC_1 8074u    /* public ASNs of Azure that no customer may use (FAQ) */
#define AR_ASN_AZURE_PUBLIC_2 8075u
#define AR_ASN_RESERVED_LO 65517u      /* 65517..65520 are reserved by Azure (FAQ) */
#define AR_ASN_RESERVED_HI 65520u
#define AR_ASN_AMBIGUOUS 65516u        /* may be reserved by Azure: the docs disagree, so a warning */
#define AR_NVA_ASN_MAX 65535u          /* NVA ASNs are 16-bit (FAQ) */
#define AR_WIDE_ASN_MAX 4294967294u    /* largest site or VPN gateway ASN (4294967295 is reserved) */
#define AR_COMMUNITY_RS_RESERVED 0xFFEDFFEDu /* 65517:65517, reserved by Route Server (ERVPN) */

/* ---- Azure's limits (LIM) ---- */
#define AR_RS_MAX_PEERS 8              /* BGP peers (NVAs) per Route Server */
#define AR_RS_ROUTE_LIMIT 1000         /* routes a Route Server accepts from one NVA: routeLimitPerPeer's default */
#define AR_ER_STANDARD_LIMIT 4000u     /* prefixes from on-premises over a Standard circuit */
#define AR_ER_PREMIUM_LIMIT 10000u     /* same, Premium circuit */
#define AR_VPN_SITE_LIMIT 4000u        /* prefixes a VPN gateway accepts from one BGP site */
#define AR_RS_GATEWAY_LIMIT 1000u      /* routes a Route Server instance may advertise to an ExpressRoute or VPN
                                        * gateway; past it the gateway drops that session (LIM; 200 in its older
                                        * versions, raised with the ExpressRoute limit below) */
#define AR_ER_AZURE_LIMIT 1000u        /* routes an ExpressRoute gateway may advertise to a circuit (private
                                        * peering, from the VNet address space and Route Server, Standard and
                                        * Premium alike); past it the circuit drops that BGP session
                                        * (expressroute-limits, expressroute-faqs) */
#define AR_VNET_MAX_PEERINGS 500u      /* VNet peerings per VNet (azure-virtual-network-limits) */

/* ---- the format's bounds (arsim's own) ---- */
#define AR_RS_ROUTE_LIMIT_MAX 10000000  /* largest routeLimitPerPeer a what-if run may set */
#define AR_NAME_MAX_LEN 80             /* bytes of an object name */
#define AR_PREPEND_MAX 10              /* a policy's set.prepend: 1..10 */
#define AR_MAX_MEMORY_MIB_MAX 4194304  /* settings.maxMemoryMiB: 1..4 TiB */
#define AR_TIME_MAX_S (365ull * 24 * 3600) /* durations: at most a year of simulated time */
#define AR_HOLD_TIME_MIN_S 3           /* a hold time is 0 or at least 3 s (RFC 4271 4.2) */

/* ---- the format's defaults (settings, and an event's) ---- */
#define AR_LINK_DELAY_MS 10            /* settings.linkDelay: one-way message delay */
#define AR_PROC_DELAY_MS 1             /* settings.processingDelay */
#define AR_JITTER_MS 5                 /* settings.jitter: seeded extra delay per message, up to this (real timing varies) */
#define AR_HOLD_TIME_S 180             /* settings.holdTime: BGP hold time (FAQ); keepalive is a third */
#define AR_SESSION_SETUP_S 5           /* settings.sessionSetup: from connect to Established */
#define AR_RETRY_AFTER_LIMIT_S 60      /* settings.retryAfterLimit: idle after a route-limit drop */
#define AR_GATEWAY_DOWNTIME_S 600      /* settings.gatewayDowntime: gateways down on RS create/delete (FAQ) */
#define AR_MAX_TIME_S 3600             /* settings.maxTime: stop when still changing this long after the last event */
#define AR_MAX_MEMORY_MIB 16384        /* settings.maxMemoryMiB: refuse scenarios estimated to need more */
#define AR_MAINTENANCE_S 300           /* an event's maintenance duration */

#endif
