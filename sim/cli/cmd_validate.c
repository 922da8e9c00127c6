/* cmd_validate.c - `arsim validate FILE...`: every problem of each scenario, then a summary and the memory estimates per valid file. */
#include "cli_priv.h"
#include "arsim/loader.h"

int cmd_validate(char **files, char **sets, FILE *out, FILE *err)
{
    int status = EXIT_OK;
    for (char **f = files; f && *f; f++) {
        g_autoptr(ArDiagList) diags = diag_list_new();
        ArLoadOptions opts = { .sets = (const char *const *)sets };
        g_autoptr(ArScenario) scn = load_file(*f, &opts, diags);
        diag_print(diags, err);
        if (!scn) {
            status = EXIT_BAD_INPUT;
            continue;
        }
        fprintf(out, "%s: valid: %u VNets, %u Route Servers, %u gateways, %u NVAs, %u sites", *f,
                scn->vnets->len, scn->route_servers->len, scn->gateways->len, scn->nvas->len, scn->sites->len);
        if (diags->warnings)
            fprintf(out, " (%d warning%s)", diags->warnings, diags->warnings == 1 ? "" : "s");
        fputc('\n', out);
        /* What each command would need (settings.maxMemoryMiB is held against the command's own). */
        fprintf(out, "%s: estimated peak memory:", *f);
        uint64_t max = scn->settings.max_memory_mib;
        for (ScnEstimateFor w = 0; w < SCN_EST_N; w++) {
            uint64_t mib = (scn_estimate_bytes(scn, w) + (1u << 20) - 1) >> 20;
            fprintf(out, "%s %s %" G_GUINT64_FORMAT " MiB%s", w ? "," : "", scn_estimate_name(w), mib,
                    mib > max ? " (above settings.maxMemoryMiB)" : "");
        }
        fputc('\n', out);
    }
    return status;
}

static int validate_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    const GOptionEntry entries[] = { cli_flag(&c, CLI_SET, NULL, NULL), CLI_END };
    int status = EXIT_OK;
    if (!cli_parse(cmd, entries, NULL, &argc, &argv, &status))
        return status;
    return cmd_validate(argv + 1, c.sets, stdout, stderr);
}

const CliCommand cli_cmd_validate = {
    .name = "validate",
    .params = "FILE... - check scenario files",
    .description = "Reports every error (exit 2) and warning (exit 0) as FILE:LINE:COL: /json/pointer: message,\n"
                   "then per valid file a summary line and the peak memory each command would need\n"
                   "(settings.maxMemoryMiB is held against that of the command that loads the file).\n",
    .min_args = 1,
    .max_args = -1,
    .args_error = "expected at least one scenario FILE",
    .main = validate_main,
};
