/* output.h - results as text tables a person reads and JSON a script parses. */
#ifndef ARSIM_OUTPUT_H
#define ARSIM_OUTPUT_H

#include "arsim/diag.h"
#include "arsim/results.h"

#include <cjson/cJSON.h>
#include <glib.h>

/* The whole run as one JSON document (schema in docs/output-format.md):
 * {"scenario", "converged", "time", "messages", "nodes": {NAME: {...}}, "effectiveRoutes": {VNET: [...]}}.
 * node_filter (may be NULL) keeps only that node. Caller owns the result. */
cJSON *out_run_json(const ArRun *run, const char *node_filter);

/* One route of a speaker as JSON: prefix, asPath, nextHop, from, origin, best, weight, localPref,
 * communities. */
cJSON *out_route_json(const ArSpeaker *sp, uint64_t key, const ArRoute *r);

/* The view of `az network routeserver peering list-learned-routes` (advertised = FALSE) or
 * list-advertised-routes (TRUE) for the NVA named nva: {"RouteServiceRole_IN_0": [...], ...}.
 * NULL with error set when nva is not an NVA peering a Route Server. */
cJSON *out_peering_routes_json(const ArRun *run, const char *nva, gboolean advertised, GError **error);

/* Human-readable tables: every node's routes, then every VNet's effective routes. */
void out_run_text(const ArRun *run, const char *node_filter, GString *out);
void out_peering_routes_text(const cJSON *doc, GString *out);

/* Formats a JSON document deterministically (two-space indent, keys in insertion order). */
char *out_json_print(const cJSON *doc);

/* Writes data to path through a temporary file in the same folder and a rename, so a reader
 * never sees half a file. Refuses to write over protect (the input scenario) when not NULL. */
gboolean out_write_file(const char *path, const char *data, gsize len, const char *protect, GError **error);

#endif
