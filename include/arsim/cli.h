/* cli.h - the commands behind the arsim executable, callable from tests without a process. */
#ifndef ARSIM_CLI_H
#define ARSIM_CLI_H

#include "arsim/generate.h"
#include <glib.h>
#include <stdio.h>

/* Exit statuses, as documented in --help. */
#define EXIT_OK 0
#define EXIT_DIFFERENT 1   /* compare: the two configurations differ */
#define EXIT_BAD_INPUT 2   /* bad scenario, bad arguments, unreadable or unwritable file */
#define EXIT_NO_CONVERGE 3 /* the simulation did not settle (event cap reached) */

/* The arsim executable: picks the subcommand named by argv[1] (sim/cli/commands.c), parses its
 * options and runs it on stdout and stderr. Returns the exit status. */
int cli_main(int argc, char **argv);

/* Process-wide settings for one command, before cli_main: the allocator (glibc) keeps what is
 * freed for reuse instead of handing it back to the kernel. A run frees and allocates scratch in
 * every flush (megabytes at 1M prefixes); handed back, each page is faulted in and zeroed again:
 * about 80,000 more page faults, some 10 % of a 1M-prefix run. A command ends with its process,
 * which is when the memory goes back. Call it only from a process that runs one command (the
 * arsim executable, one timed run of tools/bench), never from a long-lived host. */
void cli_process_setup(void);

/* How many heap bytes loading a scenario file takes per byte of the file (the JSON tree, the
 * model, the diagnostics): about 11 measured on a 17 MB generated file. */
#define CLI_LOAD_HEAP_PER_BYTE 16u
/* Before a step that will allocate about `bytes` (a load: CLI_LOAD_HEAP_PER_BYTE x the file; a
 * run: the scenario's scn_estimate_bytes): makes the heap's free end at least that long and asks
 * the kernel to back it with 2 MiB pages (madvise MADV_HUGEPAGE, which glibc's malloc does not
 * ask for unless the environment says so). The pages are still faulted in only when touched, one
 * fault per 2 MiB instead of per 4 KiB: a 1M-prefix run touches some 1.2 GB, and at a few
 * microseconds a fault on a virtual machine, 4 KiB faults cost it seconds. Nothing happens unless
 * cli_process_setup ran, when the environment has ARSIM_HUGE_PAGES=0 (a kernel whose huge-page
 * faults are dearer than their 512 small ones), under strict overcommit (vm.overcommit_memory 2:
 * the reservation would be charged in full), when the allocator is not glibc's heap (sanitizers,
 * valgrind), or when the kernel refuses. O(1) system calls. */
void cli_heap_reserve(size_t bytes);

/* Arguments of `arsim run`. */
typedef struct ArRunArgs {
    const char *file;          /* scenario file */
    char **sets;               /* NULL-terminated --set PATH=VALUE, may be NULL */
    const char *format;        /* --json...: the name of an output format (out_run_formats); NULL: text */
    const char *node;          /* --node NAME: only this node (or VNet) */
    const char *learned;       /* --learned-routes NVA */
    const char *advertised;    /* --advertised-routes NVA */
    const char *output;        /* -o FILE: write there (atomically) instead of stdout */
    gboolean stats;            /* --stats: what the run cost (to stderr; into the document with --json) */
    gboolean timeline;         /* --timeline: the story of the run instead of the tables */
    const char *until;         /* --until T: stop at simulated time T */
    int seed;                  /* --seed N: jitter seed */
    const char *trace;         /* --trace FILE.jsonl: every message and timer */
    guint64 trace_max_mib;     /* --trace-max-mib N: the trace's size cap (0: OUT_TRACE_DEFAULT_MAX_MIB) */
    const char *chart;         /* --chart FILE.svg: routes per node over time */
    guint64 max_events;        /* --max-events N: stop after N events (0: default 50,000,000) */
    const char *mrt_out;       /* --mrt-out DIR: each node's Loc-RIB (or --node's) as DIR/NODE.mrt */
    const char *vnet;          /* --vnet NAME: only this VNet's (or VNET/SUBNET's) effective routes, in full */
    const char *prefix;        /* --prefix A.B.C.D/LEN: only the routes for exactly this prefix */
    gboolean all;              /* --all: every table in full, whatever the size (JSON: every VNet expanded) */
    gboolean grouped;          /* --grouped: JSON's routes grouped by prefix set (version 3), whatever the size */
    gboolean full;             /* --full: JSON's every route on a line (version 2), whatever the size */
} ArRunArgs;

int cmd_run(const ArRunArgs *a, FILE *out, FILE *err);
/* `arsim validate FILE...`: diagnostics to err, one summary line per valid file to out. */
int cmd_validate(char **files, char **sets, FILE *out, FILE *err);

/* Arguments of `arsim graph`. */
typedef struct ArGraphArgs {
    const char *file;          /* scenario */
    char **sets;               /* --set overrides */
    const char *output;        /* -o OUT (required) */
    const char *format;        /* --format, NULL: from OUT's extension */
    const char *prefix;        /* --prefix P: propagation view */
    int seed;                  /* --seed N: jitter seed of every run (0: the library's) */
} ArGraphArgs;

int cmd_graph(const ArGraphArgs *a, FILE *out, FILE *err);

/* Arguments of `arsim generate`: a valid scenario from size parameters (benchmarks, what-ifs). */
typedef struct ArGenerateArgs {
    ArGenParams params;      /* sizes and seed (gen_option_entries); the SKU comes from circuit_sku */
    const char *circuit_sku; /* --circuit-sku Standard|Premium, NULL for Standard */
    const char *output;      /* -o FILE (default stdout) */
} ArGenerateArgs;

int cmd_generate(const ArGenerateArgs *a, FILE *out, FILE *err);

/* Arguments of `arsim report`: one self-contained HTML page. */
typedef struct ArReportArgs {
    const char *file;          /* scenario */
    char **sets;               /* --set overrides of the scenario */
    const char *compare_file;  /* --compare B.json: compare with another scenario */
    char **compare_sets;       /* --compare-set PATH=VALUE: compare with the scenario so changed */
    const char *output;        /* -o report.html (required) */
    gboolean sweep;            /* --sweep: add the single-failure sweep (every kind) */
    int jobs;                  /* --jobs N for the sweep, 0: one per core */
    int seed;                  /* --seed N: jitter seed of every run (0: the library's) */
} ArReportArgs;

int cmd_report(const ArReportArgs *a, FILE *out, FILE *err);

/* Arguments of `arsim compare`: A alone with --set (before = A, after = A + sets), or A and B. */
typedef struct ArCompareArgs {
    const char *file_a;        /* scenario before */
    const char *file_b;        /* scenario after, NULL to compare file_a with file_a + sets */
    char **sets;               /* NULL-terminated --set PATH=VALUE applied to the "after" side */
    gboolean json;             /* --json: {formatVersion, before, after, unchanged, diff, reachability} */
    gboolean full;             /* --full: with --json, both whole run documents, every VNet written out */
    const char *diagram;       /* --diagram OUT: draw the difference (format from the extension) */
    const char *output;        /* -o FILE */
    int seed;                  /* --seed N: jitter seed of every run (0: the library's) */
} ArCompareArgs;

/* Exit status as diff(1): 0 same, 1 different, 2 error. */
int cmd_compare(const ArCompareArgs *a, FILE *out, FILE *err);

/* Arguments of `arsim trace`. */
typedef struct ArTraceArgs {
    const char *file;          /* scenario */
    char **sets;               /* --set overrides */
    const char *from;          /* site or VNet name */
    const char *to;            /* destination address (a.b.c.d) or a site/VNet name */
    gboolean json;             /* --json */
    int seed;                  /* --seed N: jitter seed of every run (0: the library's) */
} ArTraceArgs;

/* Exit 0 when delivered, 1 when not (no route, loop, dropped), 2 on bad input. */
int cmd_trace(const ArTraceArgs *a, FILE *out, FILE *err);

/* arsim's version ("0.1.0", meson's project version). */
const char *cli_version(void);
/* `arsim version` and `arsim --version`: arsim's version, then the GLib, cJSON and Graphviz versions
 * linked at run time, one "NAME VERSION" line each. */
int cmd_version(FILE *out, FILE *err);

/* Arguments of `arsim sweep`: every failure of some kinds, simulated from the converged network. */
typedef struct ArSweepArgs {
    const char *file;          /* scenario */
    char **sets;               /* --set overrides */
    const char *kinds;         /* --kinds nva,session,...; NULL: every kind */
    int depth;                 /* --depth 1 (single failures) or 2 (also every pair) */
    const char *mode;          /* --mode silent|graceful, NULL: each kind's scenario default */
    gboolean json;             /* --json */
    const char *output;        /* -o FILE */
    int jobs;                  /* --jobs N threads, 0: one per core (one per rank under mpirun) */
    guint64 max_cases;         /* --max-cases N, 0: 10,000 */
    guint64 max_events;        /* --max-events N per case, 0: the engine's default */
    int seed;                  /* --seed N: jitter seed of every run (0: the library's) */
} ArSweepArgs;

/* Exit 0 with the results, 2 on bad input or too many cases, 3 when the scenario does not settle. */
int cmd_sweep(const ArSweepArgs *a, FILE *out, FILE *err);

/* Arguments of `arsim import`: a scenario from Azure's exports (sim/load/azimport.c). */
typedef struct ArImportArgs {
    const char *dir;           /* folder of 'az ... -o json' outputs and/or 'az group export' templates */
    const char *overlay;       /* --overlay FILE: what the exports cannot tell, merged by name; may be NULL */
    const char *output;        /* -o FILE (default stdout) */
} ArImportArgs;

/* Exit 0 with the scenario written, 2 on a bad export, overlay or a result that does not validate. */
int cmd_import(const ArImportArgs *a, FILE *out, FILE *err);

/* Arguments of `arsim check`: the simulation against outputs saved from Azure. */
typedef struct ArCheckArgs {
    const char *file;          /* scenario */
    char **sets;               /* --set overrides */
    char **observed;           /* NULL-terminated KIND:NAME=FILE (kinds: learned, advertised, nic, gateway) */
    gboolean export_sim;       /* --export: write the simulation's view to each FILE instead of reading it */
    gboolean json;             /* --json: the differences as a JSON array */
    int seed;                  /* --seed N: jitter seed of every run (0: the library's) */
} ArCheckArgs;

/* Exit 0 when every observed file matches, 1 on a difference, 2 on bad input. */
int cmd_check(const ArCheckArgs *a, FILE *out, FILE *err);

/* Arguments of `arsim live`: the scenario in real time, named NVAs played by real BGP speakers. */
typedef struct ArLiveArgs {
    const char *file;          /* scenario */
    char **sets;               /* --set overrides */
    char **peers;              /* NULL-terminated --peer NVA=ADDRESS[:PORT] (at least one) */
    char **locals;             /* NULL-terminated --local ADDRESS[:PORT]: instances 0 and 1, may be NULL */
    gboolean passive;          /* --passive: listen instead of connecting out */
    int hold_time;             /* --hold-time SECONDS offered (0 or 3..65535) */
    int connect_retry;         /* --connect-retry SECONDS between attempts */
    double duration;           /* --duration SECONDS: stop by itself (0: at SIGINT/SIGTERM) */
    double status_every;       /* --status SECONDS between status lines (0: on changes only) */
    gboolean json;             /* --json: events as JSON lines, the report as run --json's document */
    gboolean all;              /* --all: the report in full */
    const char *output;        /* -o FILE: the report there (atomically) instead of stdout */
} ArLiveArgs;

/* Runs until SIGINT, SIGTERM or --duration, then prints the report; 0, or 2 on bad input. */
int cmd_live(const ArLiveArgs *a, FILE *out, FILE *err);

#endif
