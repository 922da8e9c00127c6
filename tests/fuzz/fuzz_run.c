/* fuzz_run.c - libFuzzer harness over load + simulate + output: every scenario the loader accepts
 * must build, run (with a bounded event budget), print as JSON and draw as DOT without a crash,
 * a leak or undefined behaviour. Built with -Dfuzz=true or tools/fuzz.sh; see docs/testing.md. */
#include "arsim/graph.h"
#include "arsim/loader.h"
#include "arsim/output.h"
#include "arsim/run.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small enough that an oscillating scenario (bad-gadget.json, a route-limit flap) costs well under
 * 0.2 s with ASan, so every seed replays fast on a busy machine; large enough for every valid
 * scenario the fuzzer can build within -max_len to converge (the shipped scenarios that settle
 * need at most 161 events and 109 prefix updates; nva-route-leak.json, which flaps, stops at the
 * prefix cap). */
#define FUZZ_MAX_EVENTS 10000
#define FUZZ_MAX_PREFIXES 5000

static void draw(const ArRun *run, const ArPrefix *prefix)
{
    ArGraphOptions opt = { .prefix = prefix };
    Agraph_t *g = graph_build(run, &opt);
    char *dot = NULL;
    gsize len = 0;
    GError *e = NULL;
    if (!graph_render(g, "dot", &dot, &len, &e))
        __builtin_trap(); /* the DOT writer needs no plugin: it cannot fail */
    g_free(dot);
    graph_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ArDiagList *diags = diag_list_new();
    ArScenario *scn = load_text("fuzz.json", (const char *)data, size, NULL, diags);
    diag_list_free(diags);
    if (!scn)
        return -1; /* not a valid scenario: keep it out of the corpus (the load fuzzer covers it) */

    ArRun *run = run_scenario(scn, &(ArSimConfig){ .max_events = FUZZ_MAX_EVENTS, .max_prefixes = FUZZ_MAX_PREFIXES });

    cJSON *doc = out_run_json(run, NULL);
    g_free(out_json_print(doc));
    cJSON_Delete(doc);

    draw(run, NULL);
    /* The propagation view of the first VNet's first prefix: stop reasons, explain. */
    const ArVnet *v = g_ptr_array_index(scn->vnets, 0);
    if (v->prefixes->len > 0)
        draw(run, &g_array_index(v->prefixes, ArPrefix, 0));

    run_free(run);
    scn_free(scn);
    return 0;
}
