/* graph.h - topology and propagation diagrams built with cgraph and drawn with gvc, in process. */
#ifndef ARSIM_GRAPH_H
#define ARSIM_GRAPH_H

#include "arsim/results.h"

#include <glib.h>
#include <graphviz/cgraph.h>

typedef struct ArGraphOptions {
    const ArPrefix *prefix;    /* draw how this prefix propagates; NULL for the topology view */
    const ArRun *before;       /* diff mode: highlight what changed from before to the drawn run */
    const char *title;         /* graph label; NULL for the scenario's name */
} ArGraphOptions;

/* Builds the diagram. Every VNet is a cluster (the hub holds the Route Server, gateways and NVAs),
 * on-premises sites and ExpressRoute circuits outside Azure, one edge per BGP session labelled
 * with its type and the routes sent each way, a legend. Node and edge order follow the run, so
 * the DOT text is the same for the same scenario. Free with graph_free(). */
Agraph_t *graph_build(const ArRun *run, const ArGraphOptions *opt);
/* Frees a graph from graph_build (agclose plus arsim's ID discipline state). */
void graph_free(Agraph_t *g);

/* Renders g as format: "dot" (the graph as built, no layout) or any gvc output format ("svg",
 * "png", "pdf"), laid out with the dot engine. *data is g_malloc'ed. */
gboolean graph_render(Agraph_t *g, const char *format, char **data, gsize *len, GError **error);

/* The version of the Graphviz library linked at run time ("2.42.2"), from the process's one gvc context. */
const char *graph_graphviz_version(void);

/* Output format from a file name's extension ("x.svg" -> "svg"); NULL when unknown. */
const char *graph_format_for(const char *path);

#endif
