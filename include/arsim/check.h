/* check.h - the simulation against routes observed in Azure (arsim check): shapes, then differences. */
#ifndef ARSIM_CHECK_H
#define ARSIM_CHECK_H

#include "arsim/diag.h"
#include "arsim/jsonpos.h"

#include <cjson/cJSON.h>
#include <glib.h>

/* Which az command printed an observed file. */
typedef enum ArCheckKind {
    CHK_LEARNED = 0, /* az network routeserver peering list-learned-routes: {"RouteServiceRole_IN_0": [...], ...} */
    CHK_ADVERTISED,  /* az network routeserver peering list-advertised-routes: same shape */
    CHK_NIC,         /* az network nic show-effective-route-table: {"value": [...]} */
    CHK_GATEWAY,     /* az network vnet-gateway list-learned-routes: {"value": [...]} */
    CHK_KIND_COUNT
} ArCheckKind;

/* One difference between the simulation and an observed file. */
typedef struct ArCheckDiff {
    char *node;      /* where: the file's label and, for Route Server and gateway views, the instance */
    char *prefix;    /* the route's prefix */
    char *field;     /* the property that differs (Azure's name), or NULL: the route is on one side only */
    char *simulated; /* simulated value; the route's properties, or NULL when only observed */
    char *observed;  /* observed value; the route's properties, or NULL when only simulated */
} ArCheckDiff;

void chk_diff_free(gpointer d);

/* "learned", "advertised", "nic", "gateway" (what `arsim check` takes before ':'). */
const char *chk_kind_name(ArCheckKind k);
gboolean chk_kind_parse(const char *s, ArCheckKind *k);
/* What a file of kind k must hold, for "expected ..." messages. */
const char *chk_expect(ArCheckKind k);

/* Compares the simulated view sim (as out_peering_routes_json / out_az_*_json make it) with obs,
 * read from file with positions ix. A file of the wrong shape gets errors in diags (file,
 * line:column, JSON pointer, what was expected) and no differences. Routes match by prefix
 * (and Route Server instance, or gateway instance and source peer); next hop, AS path and origin
 * (NIC: next hop type, next hop addresses and source) are compared; Invalid effective routes
 * (overridden in Azure) are ignored. Each difference is appended to diffs (ArCheckDiff*), in the
 * simulation's order, then observed-only routes in file order. Returns the routes compared.
 * O(routes) with hash tables. */
guint chk_compare(ArCheckKind k, const char *label, const cJSON *sim, const cJSON *obs, const char *file,
                  const JPosIndex *ix, GPtrArray *diffs, ArDiagList *diags);

#endif
