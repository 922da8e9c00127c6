/* attr.h - BGP path attributes, interned: one immutable copy of each distinct set, shared by all
 * routes that carry it (as BIRD's rta cache). Equality of two interned sets is pointer equality. */
#ifndef ARSIM_ATTR_H
#define ARSIM_ATTR_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

/* BGP ORIGIN attribute values (RFC 4271 4.3). */
typedef enum ArOrigin {
    ORIGIN_IGP = 0,
    ORIGIN_EGP = 1,
    ORIGIN_INCOMPLETE = 2,
} ArOrigin;

/* Well-known and Azure-reserved communities, as (high 16 bits << 16 | low 16 bits). */
#define COMM_NO_EXPORT 0xFFFFFF01u     /* RFC 1997 */
#define COMM_NO_ADVERTISE 0xFFFFFF02u  /* RFC 1997, 65535:65282 (INJ) */
#define COMM_ARS_TRANSIT 0xFFEDFFEDu   /* 65517:65517, Route Server toward its gateways (FAQ, ERVPN) */

#define AR_LOCAL_PREF_DEFAULT 100u
#define AR_WEIGHT_LOCAL 32768u /* weight of locally originated routes (Cisco convention, LAB) */

/* An AS_SEQUENCE, nearest AS first. Interned: never modify. */
typedef struct ArAsPath {
    uint32_t hash;    /* cached hash of asns */
    uint32_t len;     /* number of ASNs */
    uint32_t asns[];  /* asns[0] is the neighbour that sent it */
} ArAsPath;

/* A sorted, duplicate-free community list. Interned: never modify. */
typedef struct ArComms {
    uint32_t hash;   /* cached hash of vals */
    uint32_t len;    /* number of communities */
    uint32_t vals[]; /* ascending */
} ArComms;

/* One attribute set. Interned sets are immutable; build a candidate on the stack, then intern it. */
typedef struct ArAttrs {
    const ArAsPath *path;  /* interned AS path, never NULL (empty path for local routes) */
    const ArComms *comms;  /* interned communities, never NULL (empty list) */
    uint32_t next_hop;     /* NEXT_HOP, IPv4 host order */
    uint32_t local_pref;   /* LOCAL_PREF (default 100) */
    uint32_t med;          /* MULTI_EXIT_DISC (0 when absent) */
    uint32_t weight;       /* local to the speaker, never sent: set by import policy */
    uint8_t origin;        /* ArOrigin */
    uint32_t hash;         /* cached hash of all the above, set by attr_intern */
    uint32_t id;           /* set by attr_intern: the set's number, from 1 (attr_at); not part of the
                            * set's value (a candidate's is ignored) */
} ArAttrs;

/* The interning tables of one simulation. Interned objects live until attr_cache_free: their
 * number is bounded by the distinct paths in the scenario, not by the number of routes. */
typedef struct ArAttrCache ArAttrCache;

ArAttrCache *attr_cache_new(void);
void attr_cache_free(ArAttrCache *c);
/* Number of distinct attribute sets / AS paths interned so far. */
guint attr_cache_size(const ArAttrCache *c);
guint attr_cache_paths(const ArAttrCache *c);

/* Interning: O(len) hash + one table lookup; allocates only for a set not seen before. */
const ArAsPath *attr_path(ArAttrCache *c, const uint32_t *asns, uint32_t len);
const ArComms *attr_comms(ArAttrCache *c, const uint32_t *vals, uint32_t len); /* any order, dups ok */
const ArAttrs *attr_intern(ArAttrCache *c, const ArAttrs *candidate);
/* Every interned set of the process sits in one reserved range of slots, whatever its cache,
 * so that its number (ArAttrs.id) is enough to find it: a stored path (ArRoute) and the
 * Adj-RIB-Out hold the 4-byte number instead of an 8-byte pointer, and read the set back with
 * no table at hand. Slots of a freed cache are reused. Read-only outside attr.c. */
extern ArAttrs *attr_slab;
/* Most sets alive at once in the process: the slab's address range is reserved for this many
 * (6 GiB of address space, no memory until used), or for fewer when the system refuses that much
 * (strict overcommit) or sets an address-space limit (an eighth of it at most): halved until it
 * fits, down to 2^20. An Internet
 * table through a score of routers makes some millions of sets. */
#define ATTR_SLAB_SLOTS (1u << 27)
/* The interned set numbered id, NULL for 0. O(1). */
static inline const ArAttrs *attr_at(uint32_t id) { return id ? attr_slab + id : NULL; }
/* a's number, 0 for NULL. O(1). */
static inline uint32_t attr_id(const ArAttrs *a) { return a ? a->id : 0; }

/* Derived sets (each result interned). */
const ArAsPath *attr_path_prepend(ArAttrCache *c, const ArAsPath *p, uint32_t asn);
/* Removes private ASNs (64512-65534, 4200000000-4294967294) as Microsoft's edge does toward
 * on-premises (FAQ). */
const ArAsPath *attr_path_remove_private(ArAttrCache *c, const ArAsPath *p);
const ArComms *attr_comms_add(ArAttrCache *c, const ArComms *cs, uint32_t val);

bool attr_path_contains(const ArAsPath *p, uint32_t asn);
bool attr_comms_has(const ArComms *cs, uint32_t val);
static inline bool asn_is_private(uint32_t asn)
{
    return (asn >= 64512u && asn <= 65534u) || (asn >= 4200000000u && asn <= 4294967294u);
}

/* Output-time formatting (never in the engine's per-route path). */
char *attr_path_to_string(const ArAsPath *p);  /* Azure style "65515-12076-65020", "" if empty */
char *attr_comm_to_string(uint32_t val);       /* "65535:65282" */
const char *attr_origin_name(uint8_t origin);  /* "igp", "egp", "incomplete" */

#endif
