/* report_priv.h - what the report's page (report.c) and its data (report_data.c, report_tables.c) share. */
#ifndef ARSIM_REPORT_PRIV_H
#define ARSIM_REPORT_PRIV_H

#include "arsim/report.h"

#include <cjson/cJSON.h>

/* Past these sizes the page shows grouped forms, so that it stays small enough to open (B2, Azure's
 * maximum, gives a page of a few MB instead of 2.3 GB); below them every row is listed. */
#define REPORT_FULL_ROWS 5000 /* a route table with more rows: runs of prefixes with the same paths share a row */
#define REPORT_GRID_FULL 40   /* a grid with more endpoints: endpoints that reach alike share a row */
#define REPORT_GRID_CLASS 3   /* ... from this many alike endpoints on */
#define REPORT_HIDDEN_NAMED 8 /* hidden shared routes named per VNet; the rest are counted */

/* Adds text as a JSON string (null for NULL) to an object (key) or, with key NULL, to an array.
 * report_html repairs every string of the document as report_escape does before printing it. */
void report_add(cJSON *to, const char *key, const char *text);

/* A name to show for the scenario: its name, else its file name, else "scenario". */
const char *report_title(const ArScenario *scn);

/* An effective route's next hop IPs and what it leads to (nodes, or the peered VNet), each
 * comma-separated, appended to hops and via. */
void report_eff_hops_via(const ArScenario *scn, const ArEffRoute *r, GString *hops, GString *via);

/* The data the page's script renders (report_data.c): every section but the route tables. */
cJSON *report_data(const ArReportInput *in);
/* The "nodes" (routing tables) and "effective" (effective routes) members (report_tables.c). */
void report_tables_data(cJSON *data, const ArRun *run);

#endif
