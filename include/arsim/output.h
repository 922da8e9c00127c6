/* output.h - results as text tables a person reads and JSON a script parses. */
#ifndef ARSIM_OUTPUT_H
#define ARSIM_OUTPUT_H

#include "arsim/check.h"
#include "arsim/compare.h"
#include "arsim/diag.h"
#include "arsim/reach.h"
#include "arsim/results.h"
#include "arsim/sweep.h"

#include <cjson/cJSON.h>
#include <glib.h>

/* What `arsim run` shows, in text and in JSON. */
typedef struct ArRunView {
    const char *node;       /* --node NAME: only this speaker (or every instance of this Route Server,
                             * gateway or circuit: rows_node_speakers), VNet or VNET/SUBNET; NULL: all */
    const char *vnet;       /* --vnet NAME: only this VNet's (or VNET/SUBNET's) effective routes, in full */
    const ArPrefix *prefix; /* --prefix P: only the routes for exactly P, in every node and VNet; NULL: all */
    gboolean all;           /* --all: every table in full (text), every VNet expanded (JSON), whatever the size */
    gboolean full;          /* --full: JSON's every route on a line of its own (version 2) whatever the size */
    gboolean grouped;       /* JSON: node routes and shared tables' routes grouped by prefix set (format
                             * version 3); set by --grouped, or past OUT_JSON_FULL_ROUTES (out_run_json_wants_groups) */
} ArRunView;

/* Run documents carry "formatVersion": 2 since effective routes are grouped into shared tables, 3
 * in the grouped form (routes grouped by prefix set, docs/output-format.md). */
#define OUT_RUN_FORMAT_VERSION 2
#define OUT_RUN_FORMAT_GROUPED 3
/* `run --json` writes the grouped form past this many route lines (paths held by all nodes plus
 * routes of the shared effective-route tables: about 150 MB of full document). */
#define OUT_JSON_FULL_ROUTES 1000000

/* ---- Outputs written piece by piece ------------------------------------------------------------
 * ArOutStream: the bytes of one output, to -o FILE through a temporary file beside it renamed over
 * it by out_stream_close (a device or FIFO is written into), or to a FILE* such as stdout. The
 * first failure (a write, or a piece that could not be built: out_stream_fail) is kept; later
 * writes are skipped; out_stream_close reports it naming the output and leaves the target as it
 * was. The temporary file is removed if SIGINT or SIGTERM stops the process (out_cleanup_add).
 * Memory: what the caller hands over, never the whole output. */
typedef struct ArOutStream ArOutStream;
ArOutStream *out_stream_open(const char *path, GError **error);
ArOutStream *out_stream_stdio(FILE *f, const char *name); /* not closed by out_stream_close */
const char *out_stream_name(const ArOutStream *s);
void out_stream_write(ArOutStream *s, const char *data, gsize len);
/* Writes buf's text and empties buf. */
void out_stream_drain(ArOutStream *s, GString *buf);
void out_stream_fail(ArOutStream *s, const char *why);
gboolean out_stream_failed(const ArOutStream *s);
/* Flushes, closes and renames into place; FALSE with "NAME: cannot write: WHY" on any failure. Frees s. */
gboolean out_stream_close(ArOutStream *s, GError **error);
/* Drops the output: the temporary file is removed, the target left as it was. Frees s. */
void out_stream_discard(ArOutStream *s);

/* ArJsonOut: one JSON document written a piece at a time. Containers are opened and closed with
 * out_json_begin/out_json_end (key NULL inside an array and for the document itself); each piece
 * is a cJSON tree handed over by out_json_put, printed at its depth and freed at once, so memory
 * is bounded by the largest piece. The bytes are exactly cJSON_Print's for the whole document
 * (tab indents, ", " between array items) plus a final new line. A NULL piece (cJSON could not
 * build it) or a piece that cannot be printed fails the stream. The same calls build a cJSON tree
 * instead with out_json_dom (out_json_dom_finish returns it), for callers that want one. */
typedef struct ArJsonOut ArJsonOut;
ArJsonOut *out_json_stream(ArOutStream *s);  /* s stays the caller's */
ArJsonOut *out_json_dom(void);
void out_json_begin(ArJsonOut *w, const char *key, gboolean array);
void out_json_end(ArJsonOut *w);
void out_json_put(ArJsonOut *w, const char *key, cJSON *piece);
/* Stream mode only: an item of the innermost array already printed by cJSON unformatted (len bytes,
 * one line), written as out_json_put would write that piece. For pieces printed once and reused. */
void out_json_put_printed(ArJsonOut *w, const char *text, gsize len);
cJSON *out_json_dom_finish(ArJsonOut *w);  /* frees w */
/* TRUE when pieces are printed and freed at once (they may reference strings that outlive them),
 * FALSE when they are kept in a tree (that may outlive the run: copy). */
gboolean out_json_is_stream(const ArJsonOut *w);
void out_json_free(ArJsonOut *w);

/* Writes the run's members of the run document (docs/output-format.md) into the open top-level
 * object of w: formatVersion, scenario, converged, time, messages, events, nodes, tables (the
 * shared effective-route tables), effectiveRoutes (each VNet naming its table, with its own and
 * hidden routes; expanded in full with v->all, v->vnet or v->prefix). v may be NULL (everything,
 * VNets grouped). One node route, one effective route at a time; with v->grouped (version 3),
 * prefixSets first, then each node's and shared table's route groups, one group a line. */
void out_run_json_write(const ArRun *run, const ArRunView *v, ArJsonOut *w);
/* Only the first members of the run document, what describes the run: formatVersion, scenario,
 * converged, time, messages, events. O(1). */
void out_run_json_head(const ArRun *run, ArJsonOut *w);
/* TRUE when `run --json` with view v would pass OUT_JSON_FULL_ROUTES route lines and selects
 * nothing (no --node, --vnet, --prefix, --all): then it writes the grouped form. O(speakers + tables). */
gboolean out_run_json_wants_groups(const ArRun *run, const ArRunView *v);
/* A prefix a node holds and its paths. */
typedef struct OutKeyNet {
    uint64_t key;          /* prefix key */
    const ArRibNet *net;   /* its paths (at least one) */
} OutKeyNet;
/* The prefixes of sp (only *prefix when prefix is not NULL) and their paths, ascending (OutKeyNet;
 * the caller frees the array), walked without a lookup per prefix: O(R log R) to sort sp's R
 * prefixes, or O(P) for a node holding most of the run's P prefixes, through *order (the run's
 * prefixes sorted once: made on first use, kept and freed by the caller for the next nodes). */
GArray *out_node_nets(const ArSpeaker *sp, const ArPrefix *prefix, GArray **order);
/* Grouped documents (run --json version 3, compare --json version 3): items equal but for their
 * prefix written once, naming a set of prefixes written once in "prefixSets". OutSets holds one
 * document's sets; an OutGrouper gathers one list of items into groups (by a key the caller makes:
 * equal keys must mean equal items but for the prefix), added in ascending prefix order. */
typedef struct OutSets OutSets;
typedef struct OutGrouper OutGrouper;
typedef struct OutGroupKey {
    guint n;          /* values used */
    guint64 v[8];     /* what identifies the item besides its prefix */
} OutGroupKey;
/* The item's JSON object, its first member "prefix" (the prefix given with it). */
typedef cJSON *(*OutPieceFn)(const void *ctx);
OutSets *out_sets_new(void);
void out_sets_free(OutSets *s);
/* "prefixSets": every set, one a line (docs/output-format.md). O(prefixes). */
void out_sets_write(ArJsonOut *w, const OutSets *s);
OutGrouper *out_grouper_new(void);
/* Adds the item with key k and prefix key prefix; piece(ctx) is called for the first item of each
 * group only. O(1) expected (the last key is checked first). */
void out_grouper_add(OutGrouper *g, const OutGroupKey *k, uint64_t prefix, OutPieceFn piece, const void *ctx);
/* Ends g (freed): its groups, each with its prefix set interned in s, in order of first appearance
 * (opaque; g_ptr_array_unref frees them). O(items). */
GPtrArray *out_grouper_finish(OutGrouper *g, OutSets *s);
/* The groups as array name: one line each, {"prefixSet": N, then the item's members but "prefix"}. */
void out_groups_write(ArJsonOut *w, const char *name, const GPtrArray *groups);
/* One effective route: prefix, source, nextHopType, nextHopIps, nextHop, asPath (BGP routes). */
cJSON *out_eff_route_json(const ArEffRoute *r);
/* The key of a shared table in "tables": its hub's name, or OUT_NO_HUB_TABLE. g_free it. */
char *out_eff_shared_key(const ArScenario *scn, const ArEffShared *sh);
#define OUT_NO_HUB_TABLE "(no hub)" /* names start with a letter or digit: never a VNet's */
/* Whether the view shows this effective-route table (--node or --vnet naming it or its VNet). */
gboolean out_view_keeps_table(const ArScenario *scn, const ArEffTable *t, const ArRunView *v);
/* The same as one cJSON document (grouped form, node_filter as --node). Caller owns the result. */
cJSON *out_run_json(const ArRun *run, const char *node_filter);

/* `arsim compare --json` (docs/output-format.md): the members {"formatVersion", "before", "after",
 * "unchanged", "diff", "effectiveRoutes", "reachability", "summary"} written into the open
 * top-level object of w, one route, one diff entry, one grid row at a time. What is identical is
 * summarised: "before" and "after" hold each run's head (out_run_json_head), "unchanged" counts
 * what is the same, a VNet with the same differences as an earlier one names it ("sameAs"). With
 * full (--full), "before" and "after" are whole run documents and every VNet is written out.
 * out_compare_json builds the same document as one cJSON tree (the caller owns it). */
#define OUT_COMPARE_FORMAT_VERSION 2
#define OUT_COMPARE_FORMAT_GROUPED 3 /* the grouped form: differences grouped by prefix set */
typedef enum OutCmpForm {
    OUT_CMP_SUMMARY,  /* version 2: each run's head, every difference on a line */
    OUT_CMP_FULL,     /* --full: both whole run documents, every VNet in full */
    OUT_CMP_GROUPED,  /* version 3: each run's head, differences grouped by prefix set */
} OutCmpForm;
/* Writes the summarised form, or past OUT_JSON_FULL_ROUTES differences when streaming the grouped
 * form (with full, the full form). */
void out_compare_json_write(const ArCompare *c, gboolean full, ArJsonOut *w);
void out_compare_json_write_form(const ArCompare *c, OutCmpForm form, ArJsonOut *w);
cJSON *out_compare_json(const ArCompare *c, gboolean full);
/* `arsim compare` as text: summary line, best routes per node, effective routes per VNet (grouped
 * into covering ranges past CMP_FULL_MAX differences), reachability grids. */
void out_compare_text(const ArCompare *c, GString *out);

/* `arsim trace`: a walk as text (a header line, one line per hop, the verdict) and as JSON
 * {"from","to","hops":[...],"verdict","result","at","delivered"}. */
void out_reach_trace_text(const ArTrace *t, GString *out);
cJSON *out_reach_trace_json(const ArTrace *t);

/* One route of a speaker as JSON: prefix, asPath, nextHop, from, origin, best, weight, localPref,
 * communities. */
cJSON *out_route_json(const ArSpeaker *sp, uint64_t key, const ArRoute *r);

/* FALSE with the reason when nva does not name an NVA (what --learned-routes takes). */
gboolean out_peering_check(const ArRun *run, const char *nva, GError **error);
/* The view of `az network routeserver peering list-learned-routes` (advertised = FALSE) or
 * list-advertised-routes (TRUE) for the NVA named nva: {"RouteServiceRole_IN_0": [...], ...}.
 * NULL with error set when nva is not an NVA peering a Route Server. */
cJSON *out_peering_routes_json(const ArRun *run, const char *nva, gboolean advertised, GError **error);

/* Human-readable tables: every node's routes, then every VNet's effective routes, as v asks (NULL:
 * everything). Text is appended to out; with a sink, out is drained into it after each node and
 * table (memory: one table), and a run whose full listing would pass OUT_TEXT_FULL_LINES lines of
 * routes (and no --node, --vnet, --prefix or --all) is summarised instead: per node its sessions
 * and paths/best paths by peer and origin; each shared effective-route table once with the VNets
 * on it (in full up to OUT_TEXT_FULL_LINES routes, else counted); per VNet what it adds and hides. */
void out_run_text(const ArRun *run, const ArRunView *v, GString *out, ArOutStream *sink);
#define OUT_TEXT_FULL_LINES 20000
void out_peering_routes_text(const cJSON *doc, GString *out);

/* What a run cost (arsim run --stats). */
typedef struct ArRunStats {
    uint64_t events;        /* events processed */
    uint64_t messages;      /* UPDATE messages delivered */
    uint64_t announced;     /* prefixes announced in those messages */
    uint64_t withdrawn;     /* prefixes withdrawn in those messages */
    uint64_t routes;        /* paths stored in every speaker's RIB */
    uint64_t adj_out;       /* entries in every Adj-RIB-Out */
    uint64_t attr_sets;     /* distinct interned attribute sets */
    uint64_t as_paths;      /* distinct interned AS paths */
    uint64_t peak_events;   /* largest future-event set */
    uint64_t speakers;      /* BGP speakers */
    uint64_t sessions;      /* BGP sessions */
    uint64_t peak_rss_kib;  /* peak resident memory of the process, KiB */
    double sim_seconds;     /* simulated time of the last routing change */
} ArRunStats;

void out_stats_collect(const ArRun *run, ArRunStats *st);
cJSON *out_stats_json(const ArRunStats *st);
void out_stats_text(const ArRunStats *st, GString *out);

/* The story of the run: per epoch (start, then each scenario event) its log, when routing
 * settled and after how many messages, and how VMs' effective routes changed. */
void out_timeline_text(const ArRun *run, GString *out);
/* One line naming what kept changing when a run did not settle ("10.99.0.0/16 at nva1 (...)"),
 * NULL when nothing was watched. */
char *out_flaps_summary(const ArRun *run, guint max_items);
cJSON *out_flaps_json(const ArRun *run);
cJSON *out_timeline_json(const ArRun *run);

/* ---- The output formats of `arsim run` (formats.c) --------------------------------------------
 * One table, each format a name and its writers; `arsim run` offers --NAME for each but the first
 * (the default, text) and calls the chosen one's writer. A new format is its writer function and
 * one line in the table. */
typedef struct ArRunOutput {
    const ArRun *run;              /* the finished run */
    const ArRunView *view;         /* --node, --vnet, --prefix, --all */
    const ArRunStats *stats;       /* --stats: what the run cost; NULL when not asked */
    gboolean timeline;             /* --timeline: the story of the run instead of the tables */
    FILE *notes;                   /* where a format that cannot hold the stats writes them (stderr) */
} ArRunOutput;

typedef struct ArRunFormat {
    const char *name;   /* "text", "json": the option --NAME picks it */
    const char *help;   /* the --help line of --NAME; NULL for the default format */
    /* Writes the run as o asks to s, as it is produced; a failure is kept in s (out_stream_close). */
    void (*write)(const ArRunOutput *o, ArOutStream *s);
    /* The --learned-routes/--advertised-routes view (out_peering_routes_json's doc) as this format's
     * text; NULL when it cannot be printed (out of memory). g_free it. */
    char *(*peering)(const cJSON *doc);
} ArRunFormat;

/* --csv (csv.c): the run's node routes, then its effective routes, then (for the whole run: no
 * --node, --vnet or --prefix) its reachability pairs, as one CSV table through the results' rows
 * (arsim/rows.h), as v asks (NULL: everything); columns in docs/output-format.md. Written as it is
 * produced: memory is bounded by the run's forwarding tables and reach matrix, not the output. */
void out_run_csv(const ArRun *run, const ArRunView *v, ArOutStream *s);
/* The --learned-routes/--advertised-routes view (out_peering_routes_json's doc) as CSV: role,
 * then the entries' members. g_free it. */
char *out_peering_routes_csv(const cJSON *doc);

/* The formats, the default first; *n gets their number. */
const ArRunFormat *out_run_formats(guint *n);
/* The format named name, NULL when none. O(formats). */
const ArRunFormat *out_run_format_find(const char *name);

/* --trace FILE.jsonl: every message and timer as one JSON object per line, written to a temporary
 * file beside FILE and renamed over it by out_trace_close. The temporary file is removed if the
 * process is stopped by SIGINT or SIGTERM meanwhile (out_cleanup_add). A trace stops growing at
 * max_bytes (0: OUT_TRACE_DEFAULT_MAX_MIB MiB): out_trace_close then fails, saying so, and writes
 * nothing, as for any other failed output. */
#define OUT_TRACE_DEFAULT_MAX_MIB 1024
typedef struct ArTraceWriter ArTraceWriter;
ArTraceWriter *out_trace_open(const char *path, guint64 max_bytes, GError **error);
/* Drops the trace: the temporary file is removed, the target left as it was. */
void out_trace_discard(ArTraceWriter *w);
void out_trace_record(void *writer, const ArTraceRec *rec); /* an ArTraceFn */
gboolean out_trace_close(ArTraceWriter *w, GError **error);   /* frees w */

/* --chart FILE.svg: routes held per node over simulated time, drawn with cairo. */
typedef struct ArChart ArChart;
ArChart *out_chart_new(void);
void out_chart_record(void *chart, const ArTraceRec *rec);  /* an ArTraceFn */
/* Renders the series of run (events marked) as SVG into *data (g_malloc'ed). */
gboolean out_chart_svg(ArChart *c, const ArRun *run, char **data, gsize *len, GError **error);
void out_chart_free(ArChart *c);

/* A failure sweep's results (sorted by sweep_sort) as a table worst first with the pairs each case
 * cut and the routes it lost; as one JSON document (docs/output-format.md); as the data of the
 * report's "sweep" section ({headline, rows: [class, failure, pairs cut, pairs lost a while, settled
 * after, UPDATEs, routes lost, repaired]}, every value display text). */
void out_sweep_text(const ArSweep *s, const GPtrArray *results, const char *file, GString *out);
cJSON *out_sweep_json(const ArSweep *s, const GPtrArray *results, const char *file);
cJSON *out_sweep_report(const ArSweep *s, const GPtrArray *results);

/* Formats a JSON document deterministically (tab indents, keys in insertion order), with a final
 * new line. NULL when cJSON cannot print it (out of memory): callers fail, never print "null".
 * Whole documents of any size are better streamed (ArJsonOut). */
char *out_json_print(const cJSON *doc);

/* Writes data to path through a temporary file in the same folder and a rename, so a reader
 * never sees half a file; a device or FIFO is written into, a symbolic link's target replaced.
 * Refuses to write over protect (the input scenario) when not NULL. */
gboolean out_write_file(const char *path, const char *data, gsize len, const char *protect, GError **error);
/* A file named on the command line: how it was given, and its name. */
typedef struct ArFileArg {
    const char *option; /* how the user named it, for messages: "-o", "--trace", "scenario", "--compare" */
    const char *path;   /* the name given; NULL when the option was not given */
} ArFileArg;
/* The check every command makes before any work: FALSE with the reason when an output names an
 * input (same device and inode, through any link, hard link or "..") or another output (the same
 * existing file, or the same place once links and folders are resolved). An output that is a
 * device, FIFO or socket (-o /dev/stdout, /dev/null) is written into, never replaced, so it is
 * exempt. Empty output names are refused. O(inputs x outputs + outputs^2): a handful each. */
gboolean out_check_files(const ArFileArg *inputs, guint n_inputs, const ArFileArg *outputs, guint n_outputs,
                         GError **error);
/* Temporary files removed if SIGINT or SIGTERM stops the process before they are renamed: the
 * first add installs an async-signal-safe handler (unlink, then the default action, so the exit
 * status still says which signal), the last remove restores the previous handlers. At most
 * OUT_CLEANUP_MAX at once; path is copied. FALSE when the table is full (the file is then only
 * not cleaned up on a signal). O(OUT_CLEANUP_MAX). */
#define OUT_CLEANUP_MAX 8
gboolean out_cleanup_add(const char *path);
void out_cleanup_remove(const char *path);
/* True when both name one existing file (any link to it included). */
gboolean out_same_file(const char *x, const char *y);
/* Where an output to path really goes: a symbolic link's target, else path. g_free it. Sets
 * *special when that is an existing device or FIFO, to be written into rather than replaced. */
char *out_target(const char *path, gboolean *special);

/* --mrt-out DIR (sim/output/mrt.c): a speaker's Loc-RIB as an MRT TABLE_DUMP_V2 file: a
 * PEER_INDEX_TABLE (its peers, then itself for its own routes) and one RIB_IPV4_UNICAST record per
 * prefix with the best path, in prefix order. O(n log n) in its table. */
GByteArray *out_mrt_node(const ArSpeaker *sp);
/* Writes DIR/NAME.mrt for every speaker (or only node's, when not NULL: the speaker of that name or
 * every instance of that Route Server, gateway or circuit, rows_node_speakers), each through a temporary
 * file and a rename; a generated name's '/' makes a folder (DIR/ars/0.mrt). Refuses to write over
 * any of inputs (the scenario and the route files it read; out_check_files). */
gboolean out_mrt_dir(const ArRun *run, const char *dir, const char *node, const ArFileArg *inputs, guint n_inputs,
                     GError **error);

/* The view of `az network nic show-effective-route-table` for a VM of where ("VNET/SUBNET": the
 * subnet's table when it has a route table in the scenario, else the VNet's): {"value": [...]},
 * Active routes only. NULL with error when the VNet is unknown. O(routes). (azview.c) */
cJSON *out_az_nic_routes_json(const ArRun *run, const char *where, GError **error);
/* The view of `az network vnet-gateway list-learned-routes` for gateway gw: {"value": [...]}, every
 * path of every instance. NULL with error when gw is no gateway. O(paths). (azview.c) */
cJSON *out_az_gateway_routes_json(const ArRun *run, const char *gw, GError **error);

/* arsim check's differences (ArCheckDiff*): one line each, "PREFIX NODE: FIELD simulated X,
 * observed Y" or "only in the simulation (...)" / "only observed (...)"; and as a JSON array of
 * {prefix, node, field, simulated, observed} (field null: the route is on one side only). (checkout.c) */
void out_check_text(const GPtrArray *diffs, GString *out);
cJSON *out_check_json(const GPtrArray *diffs);

#endif
