/* report.h - one self-contained HTML page of a run (and optionally a comparison) to share in a review. */
#ifndef ARSIM_REPORT_H
#define ARSIM_REPORT_H

#include "arsim/compare.h"
#include "arsim/diag.h"
#include "arsim/output.h"
#include "arsim/results.h"

#include <glib.h>

/* Everything the page shows. Only run is required; the rest may be NULL. Borrowed, not owned. */
typedef struct ArReportInput {
    const ArRun *run;                   /* the run shown: tables, diagram, reachability, timeline */
    const char *source;                 /* scenario file name, for the summary */
    char *const *sets;                  /* NULL-terminated --set overrides applied to it, for the summary */
    const ArDiagList *warnings;         /* validation diagnostics of the scenario (warnings are listed) */
    ArChart *chart;                     /* routes over time recorded during run (out_chart_record); drawn
                                         * when the run had events (more than one epoch) */
    const ArCompare *compare;           /* comparison whose before side is run: diff, diff diagram, grids */
    const ArDiagList *compare_warnings; /* validation diagnostics of the "after" scenario */
    const ArSweep *sweep;               /* failure sweep of the run's scenario: the "sweep" section */
    const GPtrArray *sweep_results;     /* its results (ArSweepResult*), sorted worst first */
} ArReportInput;

/* Appends the whole page to out: the template sim/output/report/report.html (well-formed XML) with
 * its style sheet, one JSON data block (id "report-data", '<' '>' '&' U+2028 U+2029 escaped) and the
 * script that draws the page from it, all compiled in (GResource). No external assets, no
 * timestamps: the same input gives the same bytes; a Content-Security-Policy lets only that script
 * run. Element ids of the drawn page tests rely on: "summary", "diagram", "reachability",
 * "reach-grid" (the run's grid; "reach-grid-after" with a comparison), "routes", "effective",
 * "filter", "f-prefix", "f-node", "f-count", and with a comparison "comparison" (which then holds
 * "reachability"), "diff-nodes", "diff-vnets", "diff-diagram"; with events "timeline",
 * "timeline-table", "chart"; with a sweep "sweep", "sweep-table". Table rows of the route tables
 * carry data-n (node or VNet) and data-p (prefix); the script sets data-js="ready" on <body> and
 * reads #prefix=P&node=N&best=1 from the URL. Inline SVG ids become FIGURE-ID-N. A diagram Graphviz
 * cannot draw becomes a note in the page. */
void report_html(const ArReportInput *in, GString *out);

/* Appends text to out escaped for HTML text and attribute values (& < > " '), invalid UTF-8
 * repaired and control characters other than tab and newline replaced by U+FFFD. */
void report_escape(GString *out, const char *text);

#endif
