/* cmd_import.c - `arsim import DIR`: a validated scenario from Azure's exports. */
#include "cli_priv.h"
#include "arsim/azimport.h"
#include "arsim/output.h"

#include <string.h>

int cmd_import(const ArImportArgs *a, FILE *out, FILE *err)
{
    g_autoptr(ArDiagList) diags = diag_list_new();
    cJSON *doc = azi_import_dir(a->dir, a->overlay, diags);
    diag_print(diags, err);
    if (!doc)
        return EXIT_BAD_INPUT;
    g_autofree char *text = out_json_print(doc);
    cJSON_Delete(doc);
    /* The result goes through the loader's validation, as `arsim validate` would check it. */
    const char *name = a->output ? a->output : "(imported scenario)";
    g_autoptr(ArDiagList) checks = diag_list_new();
    g_autoptr(ArScenario) scn = load_text(name, text, strlen(text), NULL, checks);
    diag_print(checks, err);
    if (!scn) {
        fprintf(err, "arsim import: the imported scenario does not validate (messages above): correct the overlay, "
                     "or report the export that arsim maps wrongly\n");
        return EXIT_BAD_INPUT;
    }
    if (a->output) {
        g_autoptr(GError) e = NULL;
        if (!out_write_file(a->output, text, strlen(text), NULL, &e)) {
            fprintf(err, "arsim: %s\n", e->message);
            return EXIT_BAD_INPUT;
        }
    } else {
        fputs(text, out);
    }
    fprintf(err, "arsim import: %u VNets, %u Route Servers, %u gateways, %u NVAs, %u sites (%d warnings)\n",
            scn->vnets->len, scn->route_servers->len, scn->gateways->len, scn->nvas->len, scn->sites->len,
            diags->warnings + checks->warnings);
    return EXIT_OK;
}

static int import_main(const CliCommand *cmd, int argc, char **argv)
{
    g_auto(CliCommon) c = CLI_COMMON_INIT;
    g_autofree char *overlay = NULL;
    const GOptionEntry entries[] = {
        cli_flag(&c, CLI_OUTPUT, "Write the scenario to FILE (atomically) instead of stdout", NULL),
        { "overlay", 0, 0, G_OPTION_ARG_FILENAME, &overlay,
          "What the exports cannot tell (prefixes behind a circuit, an NVA's routes), merged by name", "FILE" },
        CLI_END,
    };
    int status = EXIT_OK;
    if (!cli_parse(cmd, entries, NULL, &argc, &argv, &status))
        return status;
    const ArImportArgs a = { .dir = argv[1], .overlay = overlay, .output = c.output };
    return cmd_import(&a, stdout, stderr);
}

const CliCommand cli_cmd_import = {
    .name = "import",
    .params = "DIR - a scenario from Azure's exports",
    .description =
        "DIR holds the outputs of 'az network vnet list', 'vnet peering list', 'routeserver list',\n"
        "'routeserver peering list', 'vnet-gateway list', 'vpn-connection list', 'local-gateway list',\n"
        "'express-route list', 'route-table list' (each with -o json, saved as NAME.json), or an\n"
        "'az group export' template. Each object skipped gets a warning saying why; the result is\n"
        "validated. See README.md, 'From your own subscription'.\n"
        "Example: arsim import tests/data/az/hub-spoke --overlay tests/data/az/hub-spoke-overlay.json -o x.json\n",
    .min_args = 1,
    .max_args = 1,
    .args_error = "expected exactly one folder DIR of exported JSON files",
    .main = import_main,
};
