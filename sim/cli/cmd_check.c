/* cmd_check.c - `arsim check FILE KIND:NAME=OBSERVED...`: the simulation against what Azure printed. */
#include "cli_priv.h"
#include "arsim/check.h"
#include "arsim/output.h"

#include <string.h>

/* One KIND:NAME=FILE argument. */
typedef struct CheckSpec {
    ArCheckKind kind;  /* which az command printed FILE */
    char *name;        /* the NVA, VNET[/SUBNET] or gateway it is about */
    char *file;        /* the saved output */
} CheckSpec;

static gboolean parse_spec(const char *arg, CheckSpec *sp, FILE *err)
{
    const char *colon = strchr(arg, ':');
    const char *eq = colon ? strchr(colon + 1, '=') : NULL;
    g_autofree char *kind = colon ? g_strndup(arg, (gsize)(colon - arg)) : NULL;
    if (!colon || !eq || eq == colon + 1 || !eq[1] || !chk_kind_parse(kind, &sp->kind)) {
        fprintf(err, "arsim check: \"%s\": expected KIND:NAME=FILE with KIND learned or advertised (NAME: an NVA "
                     "peering a Route Server), nic (NAME: VNET or VNET/SUBNET), gateway (NAME: a gateway), e.g. "
                     "learned:sdwan=observed/sdwan-learned.json\n", arg);
        return FALSE;
    }
    sp->name = g_strndup(colon + 1, (gsize)(eq - colon - 1));
    sp->file = g_strdup(eq + 1);
    return TRUE;
}

/* The simulation's view for spec, in the shape az prints; NULL (message printed) on a bad NAME. */
static cJSON *simulated_view(const ArRun *run, const CheckSpec *sp, FILE *err)
{
    g_autoptr(GError) e = NULL;
    cJSON *doc = NULL;
    switch (sp->kind) {
    case CHK_LEARNED:
    case CHK_ADVERTISED:
        doc = out_peering_routes_json(run, sp->name, sp->kind == CHK_ADVERTISED, &e);
        break;
    case CHK_NIC:
        doc = out_az_nic_routes_json(run, sp->name, &e);
        break;
    case CHK_GATEWAY:
        doc = out_az_gateway_routes_json(run, sp->name, &e);
        break;
    case CHK_KIND_COUNT:
        g_assert_not_reached();
    }
    if (!doc)
        fprintf(err, "arsim check: %s:%s: %s\n", chk_kind_name(sp->kind), sp->name, e->message);
    return doc;
}

int cmd_check(const ArCheckArgs *a, FILE *out, FILE *err)
{
    guint n = g_strv_length(a->observed);
    g_autofree CheckSpec *specs = g_new0(CheckSpec, n);
    int status = EXIT_OK;
    for (guint i = 0; i < n && status == EXIT_OK; i++)
        if (!parse_spec(a->observed[i], &specs[i], err))
            status = EXIT_BAD_INPUT;
    g_autoptr(ArScenario) scn = status == EXIT_OK ? cli_load(a->file, a->sets, SCN_EST_RUN, err) : NULL;
    g_autoptr(ArRun) run = NULL;
    if (scn) {
        ArSimConfig cfg = { .seed = (uint32_t)a->seed };
        run = run_scenario(scn, &cfg);
        if (run->end != RUN_CONVERGED)
            fprintf(err, "arsim check: warning: %s did not settle; comparing the routes held when it stopped\n", a->file);
    } else {
        status = EXIT_BAD_INPUT;
    }
    g_autoptr(GPtrArray) diffs = g_ptr_array_new_with_free_func(chk_diff_free);
    g_autoptr(ArDiagList) diags = diag_list_new();
    guint compared = 0;
    for (guint i = 0; i < n && status == EXIT_OK; i++) {
        const CheckSpec *sp = &specs[i];
        cJSON *sim = simulated_view(run, sp, err);
        if (!sim) {
            status = EXIT_BAD_INPUT;
            break;
        }
        if (a->export_sim) {
            g_autofree char *text = out_json_print(sim);
            g_autoptr(GError) e = NULL;
            if (!out_write_file(sp->file, text, strlen(text), a->file, &e)) {
                fprintf(err, "arsim: %s\n", e->message);
                status = EXIT_BAD_INPUT;
            }
        } else {
            JPosIndex *ix = NULL;
            cJSON *obs = load_json_file(sp->file, chk_expect(sp->kind), &ix, diags);
            g_autofree char *label = g_strdup_printf("%s:%s", chk_kind_name(sp->kind), sp->name);
            if (obs)
                compared += chk_compare(sp->kind, label, sim, obs, sp->file, ix, diffs, diags);
            cJSON_Delete(obs);
            if (ix)
                jpos_index_free(ix);
        }
        cJSON_Delete(sim);
    }
    diag_print(diags, err);
    if (diags->errors)
        status = EXIT_BAD_INPUT;
    for (guint i = 0; i < n; i++) {
        g_free(specs[i].name);
        g_free(specs[i].file);
    }
    if (status != EXIT_OK || a->export_sim)
        return status;
    g_autoptr(GString) text = g_string_new("");
    if (a->json) {
        cJSON *doc = out_check_json(diffs);
        g_autofree char *s = out_json_print(doc);
        cJSON_Delete(doc);
        g_string_append(text, s);
    } else {
        out_check_text(diffs, text);
        if (diffs->len)
            g_string_append_printf(text, "%u difference%s between the simulation and %u observed file%s\n",
                                   diffs->len, diffs->len == 1 ? "" : "s", n, n == 1 ? "" : "s");
        else
            g_string_append_printf(text, "no difference: the simulation matches the %u observed file%s (%u routes)\n",
                                   n, n == 1 ? "" : "s", compared);
    }
    fputs(text->str, out);
    return diffs->len ? EXIT_DIFFERENT : EXIT_OK;
}

static int check_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    gboolean export_sim = FALSE;
    const GOptionEntry entries[] = {
        { "export", 0, 0, G_OPTION_ARG_NONE, &export_sim,
          "Write the simulation's view to each FILE, in the shape az prints, instead of comparing", NULL },
        cli_flag(&c, CLI_JSON, "Print the differences as a JSON array", NULL),
        cli_flag(&c, CLI_SET, NULL, NULL),
        cli_flag(&c, CLI_SEED, NULL, NULL),
        CLI_END,
    };
    int status = EXIT_OK;
    if (!cli_parse(cmd, entries, NULL, &argc, &argv, &status))
        return status;
    g_autoptr(GPtrArray) observed = g_ptr_array_new(); /* argv[2..argc), NULL-terminated */
    for (int i = 2; i < argc; i++)
        g_ptr_array_add(observed, argv[i]);
    g_ptr_array_add(observed, NULL);
    const ArCheckArgs a = {
        .file = argv[1], .sets = c.sets, .observed = (char **)observed->pdata, .export_sim = export_sim, .json = c.json,
        .seed = c.seed,
    };
    return cmd_check(&a, stdout, stderr);
}

const CliCommand cli_cmd_check = {
    .name = "check",
    .params = "FILE KIND:NAME=OBSERVED... - the simulation against routes seen in Azure",
    .description =
        "Each OBSERVED file is the -o json output of one az command, saved; KIND says which:\n"
        "  learned:NVA=F     az network routeserver peering list-learned-routes (the peering of NVA)\n"
        "  advertised:NVA=F  az network routeserver peering list-advertised-routes\n"
        "  nic:VNET/SUBNET=F az network nic show-effective-route-table (a NIC in that subnet)\n"
        "  gateway:GW=F      az network vnet-gateway list-learned-routes\n"
        "Prints each difference: prefix, where, and the simulated and observed next hop, AS path or\n"
        "origin (next hop type, addresses and source for a NIC), or a route seen on one side only.\n"
        "Example: arsim check x.json learned:sdwan=obs/sdwan-learned.json nic:spoke1/app=obs/vm1-nic.json\n"
        "Exit status: 0 no difference, 1 differences, 2 bad input.\n",
    .min_args = 2,
    .max_args = -1,
    .args_error = "expected a scenario FILE and at least one KIND:NAME=OBSERVED file",
    .main = check_main,
};
